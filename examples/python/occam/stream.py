"""Streamed fits and mergeable partial results (docs/scale.md): the C
library's occam_stream_* and occam_partial_* from Python.

A Stream fits a Linear, GLM or ParetoNBD model over data fed in passes;
each pass's rows can instead go to Partial objects (forked from the stream,
sent anywhere as bytes, filled, merged) that the stream absorbs:

    m = occam.GLM("poisson")
    s = Stream(m, p=2)
    while s.next():                     # one pass over all rows
        pt = s.fork()                   # or Partial.from_bytes(s.fork().to_bytes()) elsewhere
        for X, y in chunks():
            pt.add(X, y)
        s.absorb(pt)
    s.finish()                          # the fit is in m (summary, predict, save)

occam.dask drives this over the partitions of a Dask collection.
"""
import ctypes
import weakref

from . import _arrays
from ._lib import OccamError, StreamInput, Status, check, lib
from ._model import _Options


class Partial:
    """One pass's contribution of some rows (occam_partial): add rows, merge
    other partials of the same pass, travel as bytes (to_bytes/from_bytes,
    docs/format.md "Partial results")."""

    def __init__(self, handle):
        self._h = handle
        self._finalizer = weakref.finalize(self, lib.occam_partial_free, handle)

    @classmethod
    def from_bytes(cls, data):
        """A partial from to_bytes() output (every byte validated)."""
        data = bytes(data)
        h = ctypes.c_void_p()
        check(lib.occam_partial_deserialize(data, len(data), ctypes.byref(h)), "occam_partial_deserialize")
        return cls(h)

    def add(self, X, y=None, weights=None, offset=None):
        """Add the rows of X (n x p) with their y, weights and offset (those
        the fit declared, None otherwise).  Raises OccamError for bad rows
        (numbered from 1 within this partial); the partial is then failed."""
        Xm = _arrays.matrix(X)
        n = Xm.n
        if n == 0:
            return self
        yv = _arrays.vector(y, n, "y")
        wv = _arrays.vector(weights, n, "weights")
        ov = _arrays.vector(offset, n, "offset")
        check(lib.occam_partial_add(self._h, Xm.ptr, n, Xm.ld, Xm.layout, _arrays.address(yv),
                                    _arrays.address(wv), _arrays.address(ov)), "occam_partial_add")
        return self

    def merge(self, other):
        """self += other (other's rows after self's); other is unchanged."""
        check(lib.occam_partial_merge(self._h, other._h), "occam_partial_merge")
        return self

    @property
    def nrows(self):
        n = ctypes.c_int64()
        check(lib.occam_partial_rows(self._h, ctypes.byref(n)), "occam_partial_rows")
        return n.value

    def to_bytes(self):
        need = ctypes.c_size_t(0)
        st = lib.occam_partial_serialize(self._h, None, 0, ctypes.byref(need))
        if st != Status.E_BUFFER_TOO_SMALL:
            check(st, "occam_partial_serialize")
        buf = ctypes.create_string_buffer(need.value)
        check(lib.occam_partial_serialize(self._h, buf, need.value, ctypes.byref(need)), "occam_partial_serialize")
        return buf.raw[:need.value]


class Stream:
    """A streamed fit of model (occam.Linear, GLM or ParetoNBD) with p columns
    of X (no intercept column), declaring whether every chunk carries
    weights and an offset, with the model's options ({Option: value})."""

    def __init__(self, model, p, weights=False, offset=False, options=None):
        self.model, self.p = model, int(p)
        inputs = (StreamInput.WEIGHTS if weights else 0) | (StreamInput.OFFSET if offset else 0)
        h = ctypes.c_void_p()
        with _Options(options or {}) as opts:
            check(lib.occam_stream_new(model._h, opts, self.p, int(inputs), ctypes.byref(h)), "occam_stream_new")
        self._h = h
        self._finalizer = weakref.finalize(self, lib.occam_stream_free, h)

    def next(self):
        """End the current pass (if any) and begin the next: True when one
        more pass over all rows is needed, False when finish() may run."""
        more = ctypes.c_int(0)
        check(lib.occam_stream_next(self._h, ctypes.byref(more)), "occam_stream_next")
        return bool(more.value)

    def update(self, X, y=None, weights=None, offset=None):
        """Feed rows to the current pass on this process."""
        Xm = _arrays.matrix(X)
        n = Xm.n
        yv = _arrays.vector(y, n, "y")
        wv = _arrays.vector(weights, n, "weights")
        ov = _arrays.vector(offset, n, "offset")
        check(lib.occam_stream_update(self._h, Xm.ptr, n, Xm.ld, Xm.layout, _arrays.address(yv),
                                      _arrays.address(wv), _arrays.address(ov)), "occam_stream_update")

    def fork(self):
        """An empty Partial of the current pass."""
        h = ctypes.c_void_p()
        check(lib.occam_partial_fork(self._h, ctypes.byref(h)), "occam_partial_fork")
        return Partial(h)

    def absorb(self, partial):
        check(lib.occam_stream_absorb(self._h, partial._h), "occam_stream_absorb")

    @property
    def pass_number(self):
        """The number of the current pass (0 = the first)."""
        k, n = ctypes.c_int64(), ctypes.c_int64()
        check(lib.occam_stream_pass(self._h, ctypes.byref(k), ctypes.byref(n)), "occam_stream_pass")
        return k.value

    def finish(self):
        """Store the fit in the model.  Returns the fit's status (0, or a
        positive warning status: the model's conditions say which, and are
        emitted as OccamWarnings as the in-memory fit emits them); raises
        OccamError on failure (the model unchanged)."""
        status = lib.occam_stream_finish(self._h)
        if status < 0:
            raise OccamError(status, "occam_stream_finish")
        if status > 0:
            self.model._warn_conditions(status)
        return status

    def free(self):
        self._finalizer()


__all__ = ["Stream", "Partial"]
