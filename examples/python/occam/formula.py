"""Formula fits with patsy (Debian's python3-patsy): occam.glm and occam.lm.

    fit = occam.glm("breaks ~ wool * tension", data=df, family="poisson")
    fit.params                  # pandas Series named as patsy names columns
    fit.predict(new_df)         # the same design (levels, contrasts, transforms)
    print(fit.summary())        # statsmodels' layout

The formula is patsy's (statsmodels' too): treatment contrasts with the first
level as baseline, named ``wool[T.B]``, ``wool[T.B]:tension[T.M]`` (R:
``woolB``, ``woolB:tensionM``; docs/python.md has the mapping).  The
intercept column of patsy's design is not passed to C: the library adds its
own (``intercept=True``), so the numbers are R's glm()/lm().  A two-column
response (``"successes + failures ~ x"``, statsmodels' form of R's
``cbind(s, f)``) fits the binomial proportion with the row totals as prior
weights.  Rows with a missing value in a used variable are dropped (R's and
statsmodels' default).
"""
import numpy as np

from ._lib import OccamError, Status

__all__ = ["glm", "lm", "Design"]


def _patsy():
    try:
        import patsy
    except ImportError:  # pragma: no cover - patsy is in tools/install-deps.sh
        raise ImportError("occam.glm/occam.lm with a formula need patsy "
                          "(Debian: apt-get install python3-patsy)") from None
    return patsy


def _pandas():
    try:
        import pandas
    except ImportError:  # pragma: no cover
        return None
    return pandas


class Design:
    """What a formula fit keeps to build the same columns from new data:
    patsy's DesignInfo of the right-hand side, the response name, the
    offset expression (when the offset was given as a column or expression),
    and the row labels of the fitted rows."""

    def __init__(self, formula, design_info, y_name, intercept, offset_expr, env, index):
        self.formula = formula
        self.design_info = design_info
        self.y_name = y_name
        self.intercept = intercept
        self.offset_expr = offset_expr
        self.env = env
        self.index = index  # labels of the rows used in the fit (NA rows dropped)

    @property
    def param_names(self):
        """patsy's column names, "Intercept" first when there is one (statsmodels' names)."""
        return list(self.design_info.column_names)

    def exog(self, data):
        """(X without the intercept column, row labels) for new data."""
        patsy = _patsy()
        frame, labels = _frame(data)
        (X,) = patsy.build_design_matrices([self.design_info], frame, NA_action="raise")
        return _drop_intercept(np.asarray(X, dtype=np.float64), self.design_info)[0], labels, frame

    def offset(self, frame):
        if self.offset_expr is None:
            return None
        return np.asarray(self.env.eval(self.offset_expr, inner_namespace=frame), dtype=np.float64)


def _frame(data):
    """(data with positional row labels, original labels)."""
    pd = _pandas()
    if pd is not None and isinstance(data, pd.DataFrame):
        return data.reset_index(drop=True), data.index
    if isinstance(data, dict):
        n = len(next(iter(data.values()))) if data else 0
        return data, (pd.RangeIndex(n) if pd is not None else np.arange(n))
    raise TypeError(f"data must be a pandas DataFrame or a dict of columns, not {type(data).__name__}")


def _drop_intercept(X, info):
    """X without patsy's intercept column, and whether there was one."""
    patsy = _patsy()
    sl = info.term_slices.get(patsy.INTERCEPT)
    if sl is None:
        return X, False
    if sl != slice(0, 1):  # patsy puts the intercept first: never expected
        raise OccamError(Status.E_INTERNAL, "formula", "patsy's intercept column is not the first")
    return X[:, 1:], True


def _column(value, frame, env, rows, n_all, what):
    """weights= / offset=: None, a column name or expression of data, or n values."""
    if value is None:
        return None, None
    if isinstance(value, str):
        v = np.asarray(env.eval(value, inner_namespace=frame), dtype=np.float64)
        expr = value
    else:
        v, expr = np.asarray(value, dtype=np.float64).reshape(-1), None
    if v.shape != (n_all,):
        raise ValueError(f"{what} must have one value per row of data ({n_all}), got shape {v.shape}")
    return v[rows], expr


def _design(formula, data, weights, offset, eval_env):
    patsy = _patsy()
    env = patsy.EvalEnvironment.capture(eval_env + 2)  # the caller of occam.glm / occam.lm
    frame, labels = _frame(data)
    Y, X = patsy.dmatrices(formula, frame, eval_env=env, NA_action="drop", return_type="dataframe")
    rows = np.asarray(X.index, dtype=np.intp)
    n_all = len(labels)
    w, _ = _column(weights, frame, env, rows, n_all, "weights")
    off, off_expr = _column(offset, frame, env, rows, n_all, "offset")
    Xa, intercept = _drop_intercept(X.to_numpy(dtype=np.float64), X.design_info)
    Ya = Y.to_numpy(dtype=np.float64)
    y_name = " + ".join(Y.design_info.column_names)
    design = Design(formula, X.design_info, y_name, intercept, off_expr, env, labels[rows])
    names = X.design_info.column_names[1:] if intercept else X.design_info.column_names
    return design, Xa, Ya, w, off, list(names)


def _binomial_response(Y, w):
    """successes + failures: (proportion, totals times the prior weights)."""
    s, f = Y[:, 0], Y[:, 1]
    total = s + f
    with np.errstate(invalid="ignore", divide="ignore"):
        y = np.where(total > 0, s / np.where(total > 0, total, 1), 0.0)
    return y, total if w is None else total * w


def glm(formula, data, family="gaussian", link=None, weights=None, offset=None, eval_env=0, **fit_options):
    """Fit a GLM from a patsy formula: R's glm(formula, family, data, weights, offset).

    data: a pandas DataFrame (or a dict of columns).  family, link: R's names
    (occam.GLM).  weights, offset: n values, or the name/expression of a
    column of data (e.g. offset="np.log(Holders)"); an offset given by name
    is evaluated again on the data passed to predict().  The response is
    one column, or two for binomial counts ("s + f ~ ...").  fit_options go
    to GLM.fit (epsilon, maxit, start, threads, ...).  Returns the fitted
    occam.GLM, whose predict(DataFrame) builds the same design."""
    from .glm import GLM
    design, X, Y, w, off, names = _design(formula, data, weights, offset, eval_env)
    if Y.shape[1] == 2:
        if GLM(family, link).family not in ("binomial", "quasibinomial"):
            raise ValueError("a two-column response (successes + failures) needs a binomial family")
        y, w = _binomial_response(Y, w)
    elif Y.shape[1] == 1:
        y = Y[:, 0]
    else:
        raise ValueError(f"the response must be one column (or two for binomial counts), got {Y.shape[1]}")
    m = GLM(family, link)
    m.fit(X, y, weights=w, offset=off, intercept=design.intercept, names=names, **fit_options)
    m._design = design
    return m


def lm(formula, data, weights=None, offset=None, eval_env=0, **fit_options):
    """Least squares from a patsy formula: R's lm(formula, data, weights, offset).
    Arguments as occam.glm; returns the fitted occam.Linear."""
    from .linear import Linear
    design, X, Y, w, off, names = _design(formula, data, weights, offset, eval_env)
    if Y.shape[1] != 1:
        raise ValueError(f"the response of a linear model must be one column, got {Y.shape[1]}")
    m = Linear()
    m.fit(X, Y[:, 0], weights=w, offset=off, intercept=design.intercept, names=names, **fit_options)
    m._design = design
    return m
