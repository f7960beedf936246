"""The handle every model kind shares: fit/predict plumbing, results, files, pickle."""
import ctypes
import math
import operator
import os
import weakref

import numpy as np

from . import _arrays
from ._lib import (CoefColumn, Info, ModelKind, Option, OccamError, Rows, Status, check, lib,
                   warn)

# the warning codes, in the order of their bits in occam_model_conditions (bit code - 1)
_COND_BITS = sorted(s for s in Status if s > 0)


_DOUBLE_OPTIONS = (Option.EPSILON, Option.RANK_TOL, Option.GRAD_TOL)


class _Options:
    """An occam_opts built from {Option: value} and freed on exit."""

    def __init__(self, values):
        self.values = {k: v for k, v in values.items() if v is not None}
        self.ptr = ctypes.c_void_p()

    def __enter__(self):
        if not self.values:
            return None
        check(lib.occam_opts_new(ctypes.byref(self.ptr)), "occam_opts_new")
        for key, value in self.values.items():
            if key in _DOUBLE_OPTIONS:
                check(lib.occam_opts_set_double(self.ptr, int(key), float(value)), f"option {key.name}")
            else:
                try:
                    value = operator.index(value)  # an integer, not a float or a string
                except TypeError:
                    raise TypeError(f"option {key.name.lower()} must be an integer, not {value!r}") from None
                check(lib.occam_opts_set_int(self.ptr, int(key), value), f"option {key.name}")
        return self.ptr

    def __exit__(self, *exc):
        lib.occam_opts_free(self.ptr)
        self.ptr = ctypes.c_void_p()


def _new_handle(constructor, *args):
    h = ctypes.c_void_p()
    check(constructor(*args, ctypes.byref(h)), constructor.__name__)
    return h


class Model:
    """Base class of Linear, GLM and ParetoNBD: owns one occam_model handle."""

    _kind = None

    def __init__(self, handle):
        self._h = handle
        self._finalizer = weakref.finalize(self, lib.occam_model_free, handle)

    def _replace_handle(self, handle):
        self._finalizer()
        self._h = handle
        self._finalizer = weakref.finalize(self, lib.occam_model_free, handle)

    # ------------------------------------------------------------- fitting
    def _fit(self, X, y, weights, offset, options, names=None):
        Xm = _arrays.matrix(X)
        n = Xm.n
        yv = _arrays.vector(y, n, "y")
        wv = _arrays.vector(weights, n, "weights")
        ov = _arrays.vector(offset, n, "offset")
        if names is None:
            names = getattr(X, "columns", None)  # pandas
        with _Options(options) as opts:
            status = lib.occam_model_fit(self._h, opts, Xm.ptr, n, Xm.p, Xm.ld, Xm.layout,
                                         _arrays.address(yv), _arrays.address(wv), _arrays.address(ov))
        if status < 0:
            raise OccamError(status, "occam_model_fit")
        if status > 0:
            self._warn_conditions(status)
        if names is not None:
            self.set_names(names)
        return self

    def _warn_conditions(self, status):
        """One warning per condition of the fit, as R's glm() warns."""
        detail = lib.occam_last_error()
        detail = detail.decode("utf-8", "replace") if detail else ""
        flags = ctypes.c_int(0)
        lib.occam_model_conditions(self._h, ctypes.byref(flags))
        codes = [c for c in _COND_BITS if flags.value & (1 << (c - 1))] or [status]
        for code in codes:
            warn(code, detail if code == status else "", stacklevel=5)  # the caller of fit()

    def set_names(self, names):
        """Name the columns of X (coefficient names follow them)."""
        names = [str(s) for s in names]
        arr = (ctypes.c_char_p * max(len(names), 1))(*[s.encode("utf-8") for s in names])
        check(lib.occam_model_set_names(self._h, arr if names else None, len(names)), "occam_model_set_names")
        return self

    def _predict(self, ptype, X, offset=None, horizon=0.0, se_fit=False):
        Xm = _arrays.matrix(X)
        ov = _arrays.vector(offset, Xm.n, "offset")
        out = np.empty(Xm.n)
        se = np.empty(Xm.n) if se_fit else None
        check(lib.occam_model_predict(self._h, int(ptype), float(horizon), Xm.ptr, Xm.n, Xm.p, Xm.ld, Xm.layout,
                                      _arrays.address(ov), out.ctypes.data, _arrays.address(se), Xm.n),
              "occam_model_predict", stacklevel=4)
        return (out, se) if se_fit else out

    # ------------------------------------------------------------- results
    @property
    def kind(self):
        """ModelKind.LINEAR, GLM or PNBD."""
        v = lib.occam_model_kind(self._h)  # a value, not a status
        if v < 0:
            raise OccamError(v, "occam_model_kind")
        return ModelKind(v)

    @property
    def is_fitted(self):
        """True when the model can predict (fitted, hand-coded or given parameters)."""
        v = lib.occam_model_is_fitted(self._h)  # 1/0, not a status
        if v < 0:
            raise OccamError(v, "occam_model_is_fitted")
        return bool(v)

    def _dims(self):
        k, p = ctypes.c_int64(), ctypes.c_int64()
        check(lib.occam_model_dims(self._h, ctypes.byref(k), ctypes.byref(p)), "occam_model_dims")
        return k.value, p.value

    def _coef_column(self, column):
        k, _ = self._dims()
        out = np.empty(k)
        check(lib.occam_model_coef(self._h, int(column), out.ctypes.data, k), "occam_model_coef")
        return out

    @property
    def coef(self):
        """Coefficient estimates (NumPy array; NaN where aliased, R's NA)."""
        return self._coef_column(CoefColumn.ESTIMATE)

    @property
    def std_errors(self):
        return self._coef_column(CoefColumn.STD_ERROR)

    @property
    def statistics(self):
        """Estimate / std. error (t or z value)."""
        return self._coef_column(CoefColumn.STATISTIC)

    @property
    def p_values(self):
        return self._coef_column(CoefColumn.P_VALUE)

    @property
    def aliased(self):
        k, _ = self._dims()
        out = np.zeros(k, dtype=np.intc)
        check(lib.occam_model_aliased(self._h, out.ctypes.data, k), "occam_model_aliased")
        return out.astype(bool)

    def vcov(self):
        """Covariance matrix of the coefficients (k x k NumPy array)."""
        k, _ = self._dims()
        out = np.empty((k, k), order="F")
        check(lib.occam_model_vcov(self._h, out.ctypes.data, max(k, 1)), "occam_model_vcov")
        return out

    def _name(self, fn, j):
        need = ctypes.c_size_t(0)
        fn(self._h, j, None, 0, ctypes.byref(need))
        buf = ctypes.create_string_buffer(max(need.value, 1))
        check(fn(self._h, j, buf, len(buf), None), fn.__name__)
        return buf.value.decode("utf-8")

    @property
    def coef_names(self):
        k, _ = self._dims()
        return [self._name(lib.occam_model_coef_name, j) for j in range(k)]

    @property
    def column_names(self):
        _, p = self._dims()
        return [self._name(lib.occam_model_column_name, j) for j in range(p)]

    def info(self, key):
        """A scalar result as a float (occam_model_info; NaN where R gives NA)."""
        v = ctypes.c_double()
        check(lib.occam_model_info(self._h, int(key), ctypes.byref(v)), f"occam_model_info({Info(key).name})")
        return v.value

    def _info_or_nan(self, key):
        v = ctypes.c_double(math.nan)
        return v.value if lib.occam_model_info(self._h, int(key), ctypes.byref(v)) >= 0 else math.nan

    def _nrows(self):
        n = ctypes.c_int64()
        check(lib.occam_model_nrows(self._h, ctypes.byref(n)), "occam_model_nrows")
        return n.value

    def rows(self, which):
        """A per-row result of the fit (occam_model_rows) as a NumPy array."""
        n = self._nrows()
        out = np.empty(n)
        check(lib.occam_model_rows(self._h, int(Rows(which)), out.ctypes.data, n), "occam_model_rows")
        return out

    def _rows_if_stored(self, which):
        """rows(which), or None for a loaded model (per-row results are not
        part of the saved format)."""
        try:
            return self.rows(which)
        except OccamError as e:
            if e.status == Status.E_WRONG_MODEL:
                return None
            raise

    @property
    def conditions(self):
        """Names of the warning conditions of the last fit (e.g. ['OCCAM_W_NOT_CONVERGED'])."""
        flags = ctypes.c_int(0)
        check(lib.occam_model_conditions(self._h, ctypes.byref(flags)), "occam_model_conditions")
        return ["OCCAM_" + c.name for c in _COND_BITS if flags.value & (1 << (c - 1))]

    nobs = property(lambda self: int(self.info(Info.NOBS)))
    loglik = property(lambda self: self.info(Info.LOGLIK))
    aic = property(lambda self: self.info(Info.AIC))
    converged = property(lambda self: bool(self.info(Info.CONVERGED)))
    iter = property(lambda self: int(self.info(Info.ITER)))

    # ------------------------------------------------------ serialization
    def to_bytes(self):
        """The model in occam's binary format v1 (docs/format.md)."""
        need = ctypes.c_size_t(0)
        st = lib.occam_model_serialize(self._h, None, 0, ctypes.byref(need))
        if st != Status.E_BUFFER_TOO_SMALL:
            check(st, "occam_model_serialize")
        buf = ctypes.create_string_buffer(need.value)
        check(lib.occam_model_serialize(self._h, buf, need.value, ctypes.byref(need)), "occam_model_serialize")
        return buf.raw[:need.value]

    def save(self, path):
        """Write the model to a file (occam_model_save)."""
        check(lib.occam_model_save(self._h, os.fsencode(path)), "occam_model_save")

    def __getstate__(self):
        return {"occam": self.to_bytes()}

    def __setstate__(self, state):
        h = _deserialize(state["occam"])
        self._h = h
        self._finalizer = weakref.finalize(self, lib.occam_model_free, h)
        if self._kind is not None and self.kind != self._kind:
            raise OccamError(Status.E_WRONG_MODEL, "unpickle", f"not a {self._kind.name} model")

    def __repr__(self):
        what = "fitted" if self.is_fitted else "not fitted"
        return f"<occam.{type(self).__name__} {self._describe()}, {what}>"

    def _describe(self):
        return ""

    def __str__(self):
        return self.summary() if self.is_fitted else repr(self)


def _deserialize(data):
    data = bytes(data)
    h = ctypes.c_void_p()
    check(lib.occam_model_deserialize(data, len(data), ctypes.byref(h)), "occam_model_deserialize")
    return h


_CLASSES = {}


def _wrap(handle):
    kind = ModelKind(lib.occam_model_kind(handle))
    obj = _CLASSES[kind].__new__(_CLASSES[kind])
    Model.__init__(obj, handle)
    return obj


def loads(data):
    """A model from occam_model_serialize() bytes (Linear, GLM or ParetoNBD)."""
    return _wrap(_deserialize(data))


def load(path):
    """A model from a file written by save() or the occam CLI."""
    h = ctypes.c_void_p()
    check(lib.occam_model_load(os.fsencode(path), ctypes.byref(h)), "occam_model_load")
    return _wrap(h)
