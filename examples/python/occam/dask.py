"""Fits over Dask collections (docs/scale.md, "Dask"): the same models as
occam.GLM / Linear / ParetoNBD, from a Dask DataFrame or Array whose
partitions stay on the workers.

    import dask.dataframe as dd, occam.dask
    df = dd.read_csv("big-*.csv")
    m = occam.dask.fit_glm(df, y="claims", family="poisson", offset="log_exposure")
    print(m)                       # an occam.GLM: summary, predict, save, pickle

Every pass of the streamed fit (occam.stream) runs as one Dask graph: the
client forks the empty partial result of the pass (it carries the current
coefficients) and ships its bytes; a task per partition fills it with the
partition's rows in the C core and returns the partial's bytes; tasks merge
them in a tree whose shape depends only on the number of partitions
(groups of `split_every` consecutive partitions, in partition order), and
the client absorbs the total and runs the IRLS step (occam_stream_next).
Which worker computes which task does not enter the arithmetic: a fit on
any number of workers gives the same bits (tested on 1 and 2).

A partition with bad rows fails the fit with the OccamError the in-memory
fit raises (status and detail, rows numbered from the first row of the
collection); a worker lost mid-fit makes Dask recompute its tasks (the bytes
of a partial depend only on its rows), or Dask's own error propagates: the
model is never built from a partial pass.
"""
import re

import numpy as np

from ._lib import OccamError, Option, Status
from .glm import GLM
from .linear import Linear, _solver
from .pnbd import ParetoNBD, summarize_events
from .stream import Partial, Stream

__all__ = ["fit_glm", "fit_linear", "fit_pnbd", "fit_pnbd_events"]

# A task's result: ("ok", partial bytes, rows) or ("error", status, detail,
# rows before the failing partition within the task's group, or None when
# the error is not about a row).


def _leaf(fork, part, spec):
    """One partition's partial result (runs on a worker)."""
    try:
        X, y, w, off = spec.arrays(part)
        pt = Partial.from_bytes(fork)
        pt.add(X, y, w, off)
        return ("ok", pt.to_bytes(), int(X.shape[0]))
    except OccamError as e:
        return ("error", e.status, e.detail, 0)


def _merge(children):
    """Merge consecutive partitions' results in their order (runs on a
    worker); the first error in partition order wins."""
    before = 0
    for c in children:
        if c[0] == "error":
            return ("error", c[1], c[2], None if c[3] is None else before + c[3])
        before += c[2]
    try:
        total = Partial.from_bytes(children[0][1])
        for c in children[1:]:
            total.merge(Partial.from_bytes(c[1]))
        return ("ok", total.to_bytes(), before)
    except OccamError as e:
        return ("error", e.status, e.detail, None)


_ROW = re.compile(r"(\brow |weights\[)(\d+)")


def _renumber(detail, offset):
    """A partial numbers rows from its own first: add the rows before it."""
    if not offset:
        return detail
    return _ROW.sub(lambda m: m.group(1) + str(int(m.group(2)) + offset), detail)


def _tree(leaves, split_every):
    import dask
    level = leaves
    while len(level) > 1:
        level = [dask.delayed(_merge)(level[i:i + split_every]) for i in range(0, len(level), split_every)]
    return level[0]


def _drive(model, p, spec, parts, options, client, split_every, progress, what):
    """The pass loop on the client: fork, compute the tree, absorb, step."""
    import dask
    if split_every < 2:
        raise ValueError(f"split_every must be >= 2, got {split_every}")
    stream = Stream(model, p, weights=spec.weights is not None, offset=spec.offset is not None, options=options)
    try:
        while stream.next():
            if progress is not None:
                progress(stream.pass_number)
            if not parts:
                continue  # no rows: occam_stream_next says so
            fork = dask.delayed(stream.fork().to_bytes())
            root = _tree([dask.delayed(_leaf)(fork, part, spec) for part in parts], split_every)
            result = client.compute(root).result() if client is not None else root.compute()
            if result[0] == "error":
                detail = result[2] if not spec.renumber or result[3] is None else _renumber(result[2], result[3])
                raise OccamError(result[1], what, detail=detail)
            stream.absorb(Partial.from_bytes(result[1]))
        stream.finish()
    finally:
        stream.free()
    return model


# ------------------------------------------------------------ partitions


class _Columns:
    """Rows of a pandas partition: X from columns x, y/weights/offset from one column each."""
    renumber = True

    def __init__(self, x, y, weights, offset):
        self.x, self.y, self.weights, self.offset = list(x), y, weights, offset

    def arrays(self, df):
        col = lambda c: None if c is None else df[c].to_numpy(dtype=np.float64)
        return df[self.x].to_numpy(dtype=np.float64), col(self.y), col(self.weights), col(self.offset)


class _Blocks:
    """Rows of aligned array blocks [X, y, weights, offset] (None when absent)."""
    renumber = True

    def __init__(self, y, weights, offset):
        self.y, self.weights, self.offset = y, weights, offset

    def arrays(self, blocks):
        X = np.asarray(blocks[0], dtype=np.float64)
        return (X.reshape(-1, 1) if X.ndim == 1 else X,) + tuple(blocks[1:])


class _Events:
    """A partition of a log shuffled by customer: its customers' (x, t_x, T)."""
    renumber = False  # rows of the summaries, not of the log
    weights = offset = None

    def __init__(self, id, time, cal_end, merge_period, unit):
        self.id, self.time, self.cal_end, self.merge_period, self.unit = id, time, cal_end, merge_period, unit

    def arrays(self, df):
        if len(df) == 0:
            return np.empty((0, 3)), None, None, None
        try:
            s = summarize_events(df[self.id].to_numpy(), df[self.time].to_numpy(), self.cal_end, self.merge_period)
        except OccamError as e:
            if e.status == Status.E_NO_DATA:  # no customer of this partition starts by cal_end
                return np.empty((0, 3)), None, None, None
            raise
        return np.column_stack([s["x"], s["t_x"] / self.unit, s["T"] / self.unit]), None, None, None


def _is_frame(data):
    import dask.dataframe as dd
    return isinstance(data, dd.DataFrame)


def _frame_parts(df, columns):
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise KeyError(f"columns {missing} are not in the DataFrame (columns: {list(df.columns)})")
    return list(df[columns].to_delayed())


def _array_parts(X, vectors):
    """Blocks [X_i, y_i, ...] with the vectors rechunked to X's rows."""
    import dask
    import dask.array as da
    X = da.asarray(X)
    if X.ndim == 1:
        X = X[:, None]
    if X.ndim != 2:
        raise ValueError(f"X must be a 2-D Dask Array (n rows x p columns), got {X.ndim} dimensions")
    if any(np.isnan(c) for c in X.chunks[0]):
        raise ValueError("X has unknown chunk sizes: call X.compute_chunk_sizes() first")
    X = X.rechunk({1: -1})
    rows = X.chunks[0]
    blocks = []
    for v in vectors:
        if v is None:
            blocks.append(None)
            continue
        v = da.asarray(v)
        v = v.reshape(-1) if v.ndim == 2 and 1 in v.shape else v
        if v.ndim != 1 or v.shape[0] != X.shape[0]:
            raise ValueError(f"a vector of shape {v.shape} for {X.shape[0]} rows of X")
        blocks.append(list(v.rechunk((rows,)).to_delayed()))
    xb = list(X.to_delayed().reshape(-1))
    return X.shape[1], [[xb[i]] + [None if b is None else b[i] for b in blocks] for i in range(len(xb))]


def _design(data, y, x, weights, offset):
    """(p, partitions, spec, column names) of a linear/GLM design."""
    if _is_frame(data):
        for name, v in (("y", y), ("weights", weights), ("offset", offset)):
            if v is not None and not isinstance(v, str):
                raise TypeError(f"with a Dask DataFrame, {name} is a column name, not {type(v).__name__}")
        if y is None:
            raise TypeError("y (a column name) is required")
        taken = {c for c in (y, weights, offset) if c is not None}
        x = [c for c in data.columns if c not in taken] if x is None else list(x)
        columns = x + [c for c in (y, weights, offset) if c is not None]
        spec = _Columns(x, y, weights, offset)
        return len(x), _frame_parts(data, columns), spec, [str(c) for c in x]
    p, parts = _array_parts(data, (y, weights, offset))
    return p, parts, _Blocks(y, weights, offset), None


# --------------------------------------------------------------- the fits


def fit_glm(data, y, family="gaussian", link=None, x=None, weights=None, offset=None, intercept=True,
            epsilon=None, maxit=None, start=None, rank_tol=None, solver=None, halve_on_increase=None,
            names=None, client=None, split_every=8, progress=None):
    """occam.GLM(family, link).fit(...) over a Dask collection; returns the occam.GLM.

    data: a Dask DataFrame (y, weights, offset: column names; x: the columns
    of X, by default every other column) or a Dask Array n x p (y, weights,
    offset: Dask Arrays or NumPy vectors of n values, rechunked to data's
    row chunks).  Other arguments as GLM.fit.  client: the
    distributed.Client to run on (default: Dask's current scheduler).
    split_every: partitions merged per task of the reduction tree.
    progress: called with the pass number before each pass.  Passes: as the
    streamed fit (docs/scale.md): 1 + iterations (+ step-halvings, + null
    deviance refit with an offset, + 1 for Gamma).  The model has no
    per-row results (residuals): those of a streamed fit are not kept."""
    m = GLM(family, link)
    p, parts, spec, cols = _design(data, y, x, weights, offset)
    if start is not None:
        s = np.ascontiguousarray(start, dtype=np.float64).reshape(-1)
        from ._lib import check, lib
        check(lib.occam_glm_set_start(m._h, s.ctypes.data, s.size), "occam_glm_set_start")
    options = {Option.INTERCEPT: int(bool(intercept)), Option.EPSILON: epsilon, Option.MAXIT: maxit,
               Option.RANK_TOL: rank_tol, Option.SOLVER: _solver(solver),
               Option.HALVE_ON_INCREASE: None if halve_on_increase is None else int(bool(halve_on_increase))}
    _drive(m, p, spec, parts, options, client, split_every, progress, "occam.dask.fit_glm")
    names = cols if names is None else names
    return m.set_names(names) if names is not None else m


def fit_linear(data, y, x=None, weights=None, offset=None, intercept=True, solver="qr", rank_tol=None,
               names=None, client=None, split_every=8, progress=None):
    """occam.Linear().fit(...) (R's lm) over a Dask collection, as fit_glm;
    returns the occam.Linear (3 passes over the data)."""
    m = Linear()
    p, parts, spec, cols = _design(data, y, x, weights, offset)
    options = {Option.INTERCEPT: int(bool(intercept)), Option.SOLVER: _solver(solver), Option.RANK_TOL: rank_tol}
    _drive(m, p, spec, parts, options, client, split_every, progress, "occam.dask.fit_linear")
    names = cols if names is None else names
    return m.set_names(names) if names is not None else m


def _pnbd_options(maxit, grad_tol, epsilon):
    return {Option.MAXIT: maxit, Option.GRAD_TOL: grad_tol, Option.EPSILON: epsilon}


def fit_pnbd(data, x="x", t_x="t_x", T="T", weights=None, maxit=None, grad_tol=None, epsilon=None,
             client=None, split_every=8, progress=None):
    """occam.ParetoNBD().fit(...) over customer summaries in a Dask
    collection: a DataFrame with columns x, t_x, T (names given) and
    optionally weights (a column name: customers per row), or an n x 3 Dask
    Array (weights a vector).  One pass: each partition collapses into its
    table of distinct (x, t_x, T) patterns, the tables merge (adding counts:
    exactly, in any order), the maximum likelihood runs on the client.
    Returns the occam.ParetoNBD."""
    m = ParetoNBD()
    if _is_frame(data):
        cols = [x, t_x, T]
        parts = _frame_parts(data, cols + ([weights] if weights is not None else []))
        spec = _Columns(cols, None, weights, None)
    else:
        p, parts = _array_parts(data, (None, weights, None))
        if p != 3:
            raise ValueError(f"the array must have 3 columns (x, t_x, T), got {p}")
        spec = _Blocks(None, weights, None)
    return _drive(m, 3, spec, parts, _pnbd_options(maxit, grad_tol, epsilon), client, split_every, progress,
                  "occam.dask.fit_pnbd")


def fit_pnbd_events(data, id="id", time="date", cal_end=None, merge_period=None, unit=None, maxit=None,
                    grad_tol=None, epsilon=None, npartitions=None, client=None, split_every=8, progress=None):
    """A Pareto/NBD fit from a Dask DataFrame of transactions (one row per
    event: customer id and time), as summarize_events() + ParetoNBD().fit()
    in memory (and `occam fit pnbd --events`).

    The log is shuffled by customer id (every customer's events in one
    partition; npartitions: their number, by default data's), each
    partition is summarized into its customers' (x, t_x, T) and collapsed
    into a pattern table on its worker, and the tables merge.  time: ISO
    date strings or datetime64 (then times are days, merge_period defaults
    to 1 -- one transaction per day, as CDNOW -- and unit to "weeks": t_x and
    T are divided by 7; "days" keeps them) or numbers (merge_period 0, unit
    must be None: they keep their unit).  cal_end: the calibration end, of
    the kind of the times."""
    if cal_end is None:
        raise TypeError("cal_end (the end of the calibration period) is required")
    dates = data[time].dtype.kind in "OSUM"
    if unit is not None and not dates:
        raise ValueError("unit applies to dates only (numeric times keep their unit)")
    if unit not in (None, "weeks", "days"):
        raise ValueError(f"unit must be 'weeks' or 'days', not {unit!r}")
    days_per_unit = 1.0 if not dates or unit == "days" else 7.0
    merge_period = (1.0 if dates else 0.0) if merge_period is None else float(merge_period)
    log = data[[id, time]].shuffle(id, npartitions=npartitions)
    spec = _Events(id, time, cal_end, merge_period, days_per_unit)
    return _drive(ParetoNBD(), 3, spec, list(log.to_delayed()), _pnbd_options(maxit, grad_tol, epsilon), client,
                  split_every, progress, "occam.dask.fit_pnbd_events")
