"""The Pareto/NBD customer-base model (Schmittlein, Morrison & Colombo 1987)."""
import ctypes

import numpy as np

from . import _arrays
from . import _rformat as rf
from ._lib import Info, ModelKind, Option, Predict, check, lib
from ._context import _Context
from ._model import Model, _CLASSES, _new_handle


def _summaries(x, t_x, T, name="x"):
    """The n x 3 (x, t_x, T) matrix: x itself when it already is one (passed
    in place), else the three vectors as columns (one copy)."""
    if t_x is None and T is None:
        a = np.asarray(x)
        if a.ndim != 2 or a.shape[1] != 3:
            raise ValueError(f"{name} must be an n x 3 array (x, t_x, T) when t_x and T are not given")
        return x
    if t_x is None or T is None:
        raise ValueError("give x, t_x and T (or one n x 3 array)")
    cols = [np.asarray(v, dtype=np.float64).reshape(-1) for v in (x, t_x, T)]
    n = max(c.size for c in cols)
    cols = [np.broadcast_to(c, (n,)) if c.size == 1 else c for c in cols]
    if any(c.size != n for c in cols):
        raise ValueError(f"x, t_x and T must have the same length, got {[c.size for c in cols]}")
    return np.column_stack(cols)


class ParetoNBD(_Context, Model):
    """Pareto/NBD on customer summaries (x, t_x, T).

    x: number of repeat transactions, t_x: time of the last one, T: time
    since the first transaction, all in one time unit of your choice (alpha
    and beta, and every prediction horizon, are then in that unit).
    Parameters r, alpha (purchase rate: gamma shape and scale) and s, beta
    (lifetime: gamma shape and scale), as BTYD, lifetimes and CLVTools.
    """

    _kind = ModelKind.PNBD

    def __init__(self):
        super().__init__(_new_handle(lib.occam_pnbd_new))

    @classmethod
    def from_params(cls, r, alpha, s, beta):
        """A model with given parameters (e.g. a published fit): predicts, no fit statistics."""
        m = cls()
        check(lib.occam_pnbd_set_params(m._h, float(r), float(alpha), float(s), float(beta)),
              "occam_pnbd_set_params")
        return m

    def fit(self, x, t_x=None, T=None, weights=None, maxit=None, grad_tol=None, epsilon=None, collapse=None):
        """Maximum likelihood.  x, t_x, T: vectors of length n, or x alone as
        an n x 3 array (passed without copying).  weights: row counts.
        Returns self."""
        X = _summaries(x, t_x, T)
        options = {Option.MAXIT: maxit, Option.GRAD_TOL: grad_tol, Option.EPSILON: epsilon,
                   Option.COLLAPSE: None if collapse is None else {None: -1, False: 0, True: 1}.get(collapse, collapse)}
        return self._fit(X, None, weights, None, options, names=None)

    @property
    def params(self):
        """{"r": ..., "alpha": ..., "s": ..., "beta": ...} as plain floats."""
        return dict(zip(("r", "alpha", "s", "beta"), (float(v) for v in self.coef)))

    r = property(lambda self: float(self.coef[0]))
    alpha = property(lambda self: float(self.coef[1]))
    s = property(lambda self: float(self.coef[2]))
    beta = property(lambda self: float(self.coef[3]))
    grad_norm = property(lambda self: self.info(Info.GRAD_NORM))

    def p_alive(self, x, t_x=None, T=None):
        """P(alive at T | x, t_x, T) per customer (BTYD pnbd.PAlive,
        lifetimes conditional_probability_alive)."""
        return self._predict(Predict.PALIVE, _summaries(x, t_x, T))

    def conditional_expected(self, t, x, t_x=None, T=None):
        """E[transactions in (T, T + t] | x, t_x, T] (BTYD
        pnbd.ConditionalExpectedTransactions(params, T.star = t, x, t.x, T.cal))."""
        return self._predict(Predict.EXPECTED, _summaries(x, t_x, T), horizon=float(t))

    def dert(self, delta, x, t_x=None, T=None):
        """Discounted expected residual transactions at T per customer, at a
        continuous discount rate delta > 0 per unit of T (Fader, Hardie & Lee
        2005, "RFM and CLV", appendix; BTYD pnbd.DERT(params, delta, x, t.x,
        T.cal)).  15% a year with T in weeks: delta = log(1.15) / 52."""
        return self._predict(Predict.DERT, _summaries(x, t_x, T), horizon=float(delta))

    def customer_loglik(self, x, t_x=None, T=None):
        """Each customer's log-likelihood at the model's parameters."""
        return self._predict(Predict.LOGLIK, _summaries(x, t_x, T))

    def expected(self, t):
        """E[X(t)]: expected transactions of a new customer in (0, t] (BTYD pnbd.Expectation)."""
        t = np.atleast_1d(np.asarray(t, dtype=np.float64))
        z = np.zeros_like(t)
        return self._predict(Predict.EXPECTED_NEW, np.column_stack([z, z, t]))

    def pmf(self, t, x):
        """P(X(t) = x) for a new customer (BTYD pnbd.pmf(params, t, x))."""
        t, x = np.broadcast_arrays(np.asarray(t, dtype=np.float64), np.asarray(x, dtype=np.float64))
        t, x = t.reshape(-1), x.reshape(-1)
        return self._predict(Predict.PROB_N, np.column_stack([x, np.zeros_like(t), t]))

    def _describe(self):
        if not self.is_fitted:
            return ""
        return ", ".join(f"{k} = {v:.4g}" for k, v in self.params.items())

    def summary(self):
        """Parameter table with standard errors and the fit statistics."""
        given = self._nrows() == 0
        how = "parameters given, not fitted" if given else "maximum likelihood"
        lines = [f"Pareto/NBD model ({how}; Schmittlein, Morrison & Colombo 1987)", "", "Coefficients:"]
        lines += rf.coef_table(self.coef_names, self.coef, self.std_errors)
        if given:
            return "\n".join(lines) + "\n"
        ll = self.loglik
        lines += ["", f"Log-likelihood: {rf.format_num(ll, 10)} ({self.nobs} customers)",
                  f"AIC: {rf.format_num(self.aic, 10)}",
                  f"Iterations: {self.iter}, converged: {'yes' if self.converged else 'no'}"
                  f" (max |gradient| {rf.format_num(self.grad_norm, 3)})"]
        return "\n".join(lines) + "\n"


def total_loglik(r, alpha, s, beta, x, t_x=None, T=None, weights=None):
    """Total log-likelihood of customers (x, t_x, T) at given parameters and
    its gradient in (r, alpha, s, beta): (float, 4-array).  No constant is
    dropped (as BTYD, lifetimes, CLVTools).  occam_pnbd_loglik."""
    Xm = _arrays.matrix(_summaries(x, t_x, T))
    if Xm.p != 3:
        raise ValueError("x must have 3 columns (x, t_x, T)")
    wv = _arrays.vector(weights, Xm.n, "weights")
    ll = ctypes.c_double()
    grad = np.empty(4)
    check(lib.occam_pnbd_loglik(float(r), float(alpha), float(s), float(beta), Xm.ptr, Xm.n, Xm.ld, Xm.layout,
                                _arrays.address(wv), ctypes.byref(ll), grad.ctypes.data), "occam_pnbd_loglik")
    return ll.value, grad


def iso_date_days(date):
    """Days since 1970-01-01 of an ISO 8601 date "YYYY-MM-DD" (optionally with
    "THH:MM[:SS]", adding a fraction of a day): occam_iso_date_days."""
    v = ctypes.c_double()
    check(lib.occam_iso_date_days(str(date).encode("ascii"), ctypes.byref(v)), f"date {date!r}")
    return v.value


def _days(values):
    a = np.asarray(values)
    if a.dtype.kind in "USO":
        return np.array([iso_date_days(v) for v in a.reshape(-1)], dtype=np.float64)
    if a.dtype.kind == "M":
        return a.astype("datetime64[s]").astype(np.float64) / 86400.0
    return np.ascontiguousarray(a, dtype=np.float64).reshape(-1)


def summarize_events(ids, times, cal_end, merge_period=0.0):
    """An event log (one row per transaction) as Pareto/NBD summaries, one row
    per customer: occam_pnbd_summarize_events (the conventions of BTYD's
    dc.ElogToCbsCbt and lifetimes' summary_data_from_transaction_data).

    ids: customer ids (any sortable values); times: numbers in one unit, or
    ISO date strings / numpy datetime64 (then in days); cal_end: end of the
    calibration period, same kind; merge_period: 0 counts every event, P > 0
    counts a customer's events within one period of length P once (1 with
    days: one transaction per day, as CDNOW).
    Returns a dict of arrays, customers in increasing id order: "id", "x",
    "t_x", "T" (in the unit of times), "first" (time of the first event) and
    "x_star" (events after cal_end: the holdout count)."""
    t = _days(times)
    end = float(_days([cal_end])[0])
    uniq, codes = np.unique(np.asarray(ids).reshape(-1), return_inverse=True)
    if codes.size != t.size:
        raise ValueError(f"ids and times must have the same length, got {codes.size} and {t.size}")
    codes = np.ascontiguousarray(codes, dtype=np.int64)
    k = ctypes.c_int64(0)
    st = lib.occam_pnbd_summarize_events(codes.ctypes.data, t.ctypes.data, t.size, end, float(merge_period),
                                         None, None, None, None, 0, ctypes.byref(k))
    if st != -13:  # OCCAM_E_BUFFER_TOO_SMALL: the size query answered
        check(st, "occam_pnbd_summarize_events")
    cid = np.empty(k.value, dtype=np.int64)
    S = np.empty((k.value, 3))
    first, x_star = np.empty(k.value), np.empty(k.value)
    check(lib.occam_pnbd_summarize_events(codes.ctypes.data, t.ctypes.data, t.size, end, float(merge_period),
                                          cid.ctypes.data, S.ctypes.data, first.ctypes.data, x_star.ctypes.data,
                                          k.value, ctypes.byref(k)), "occam_pnbd_summarize_events")
    return {"id": uniq[cid], "x": S[:, 0], "t_x": S[:, 1], "T": S[:, 2], "first": first, "x_star": x_star}


_CLASSES[ModelKind.PNBD] = ParetoNBD
