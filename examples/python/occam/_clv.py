"""Customer lifetime value from a Pareto/NBD and a Gamma-Gamma model: the
table of ``occam clv`` (docs/cli.md) in one call of occam_clv_table."""
import math

import numpy as np

from . import _arrays
from ._lib import check, lib
from ._results import _pandas
from .gg import GammaGamma
from .pnbd import ParetoNBD

COLUMNS = ("p_alive", "expected", "dert", "spend", "clv")

_DAYS = 2   # OCCAM_UNIT_DAYS
_OTHER = 3  # OCCAM_UNIT_OTHER


def _periods_per_year(pnbd):
    """Model time units per year from the Pareto/NBD model's recorded unit,
    as the CLI: 365 for days, 52 for weeks or an unknown unit."""
    unit, _ = pnbd._unit()
    if unit == _OTHER:
        raise ValueError("the Pareto/NBD model's time unit is 'other': give periods_per_year")
    return 365.0 if unit == _DAYS else 52.0


def _delta(pnbd, discount, annual_discount, periods_per_year):
    """The continuous discount rate per time unit: discount itself, or
    log(1 + annual_discount) / periods_per_year.  Its range (finite, > 0) is
    the library's to check."""
    if (discount is None) == (annual_discount is None):
        raise ValueError("give discount (per time unit) or annual_discount (a yearly rate): one of them")
    if discount is not None:
        if periods_per_year is not None:
            raise ValueError("periods_per_year goes with annual_discount, not discount")
        return float(discount)
    k = _periods_per_year(pnbd) if periods_per_year is None else float(periods_per_year)
    r = float(annual_discount)
    if not (r > -1 and k > 0):
        raise ValueError(f"annual_discount must be > -1 and periods_per_year > 0, got {r} and {k}")
    return math.log1p(r) / k


def _frame_columns(pnbd, gg):
    """The data's columns by the names the models were fitted on (the
    Pareto/NBD model's three, the Gamma-Gamma model's second): x, t_x, T, m_x
    by default."""
    return pnbd.column_names[:3] + [gg.column_names[1]]


def _customers(pnbd, gg, x, t_x, T, m_x):
    """(n x 4 matrix (x, t_x, T, m_x), index or None)."""
    given = [v is not None for v in (t_x, T, m_x)]
    if not any(given):
        if hasattr(x, "columns"):  # a pandas DataFrame
            names = _frame_columns(pnbd, gg)
            missing = [c for c in names if c not in x.columns]
            if missing:
                raise ValueError(f"the data have no column {missing[0]!r} (needs {', '.join(names)})")
            return np.column_stack([np.asarray(x[c], dtype=np.float64) for c in names]), x.index
        a = np.asarray(x)
        if a.ndim != 2 or a.shape[1] != 4:
            raise ValueError("x must be an n x 4 array (x, t_x, T, m_x) or a DataFrame when t_x, T and m_x "
                             "are not given")
        return x, None
    if not all(given):
        raise ValueError("give x, t_x, T and m_x (or one n x 4 array or DataFrame)")
    cols = [np.asarray(v, dtype=np.float64).reshape(-1) for v in (x, t_x, T, m_x)]
    if len({c.size for c in cols}) != 1:
        raise ValueError(f"x, t_x, T and m_x must have the same length, got {[c.size for c in cols]}")
    return np.column_stack(cols), getattr(x, "index", None)


def clv(pnbd, gg, x, t_x=None, T=None, m_x=None, *, discount=None, annual_discount=None, periods_per_year=None,
        margin=1.0, horizon=52.0):
    """What each customer is worth: the table of ``occam clv``, one row per
    customer **in input order** (occam_clv_table, one call).

    pnbd: a fitted (or from_params) ParetoNBD; gg: a GammaGamma.  Customers:
    four vectors x, t_x, T (in the Pareto/NBD model's time unit), m_x (mean
    value of the repeat purchases), or x alone as an n x 4 array (x, t_x, T,
    m_x; passed in place) or a DataFrame with the columns the models were
    fitted on (x, t_x, T and m_x unless names were given).

    discount: the continuous discount rate delta per time unit (> 0); or
    annual_discount: a yearly rate R, delta = log(1 + R) / K with K =
    periods_per_year (default from the Pareto/NBD model's recorded unit: 365
    for days, 52 for weeks or an unknown unit; a unit 'other' needs it).
    Give one of the two.  margin: the share of spend that is profit (1:
    revenue).  horizon: the window of ``expected``, (T, T + horizon].

    Returns a pandas DataFrame (a dict of NumPy arrays without pandas) with
    the columns p_alive (P(alive at T)), expected (transactions in (T, T +
    horizon]), dert (discounted expected residual transactions), spend (E[M
    | x, m_x]) and clv = margin x spend x dert, indexed as the input
    DataFrame or Series (else 0..n-1).  p_alive, expected and dert equal
    pnbd.p_alive, pnbd.conditional_expected(horizon) and pnbd.dert(delta)
    bit for bit; spend equals gg.conditional_expected_spend.

    Raises TypeError unless pnbd is a ParetoNBD and gg a GammaGamma;
    ValueError for a missing or extra rate, periods_per_year <= 0 or
    annual_discount <= -1, bad shapes and missing columns; OccamError (the
    library's message in ``detail``) for a delta that is not finite and > 0,
    a horizon < 0, bad rows (m_x = 0 with x > 0, t_x > T, ...), models not
    fitted or recorded in different time units."""
    if not isinstance(pnbd, ParetoNBD) or not isinstance(gg, GammaGamma):
        raise TypeError(f"clv needs a ParetoNBD and a GammaGamma model, got {type(pnbd).__name__} and "
                        f"{type(gg).__name__}")
    delta = _delta(pnbd, discount, annual_discount, periods_per_year)
    # as the CLI: two models of different recorded units are refused
    check(lib.occam_model_check_time_unit(pnbd._h, *gg._unit()), "clv: the Gamma-Gamma model's time unit")
    X, index = _customers(pnbd, gg, x, t_x, T, m_x)
    Xm = _arrays.matrix(X)
    if Xm.p != 4:
        raise ValueError(f"the customers must have 4 columns (x, t_x, T, m_x), got {Xm.p}")
    out = np.empty((len(COLUMNS), Xm.n))
    pa, ex, de, sp, cl = (out[j].ctypes.data for j in range(len(COLUMNS)))
    check(lib.occam_clv_table(pnbd._h, gg._h, Xm.ptr, Xm.n, Xm.ld, Xm.layout, delta, float(margin), float(horizon),
                              pa, ex, de, sp, cl, Xm.n), "occam_clv_table")
    columns = dict(zip(COLUMNS, out))
    pd = _pandas()
    if pd is None:
        return columns
    return pd.DataFrame(columns, index=index)
