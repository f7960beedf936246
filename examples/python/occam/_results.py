"""statsmodels' names for the results of GLM and Linear, with pandas labels.

params, bse, tvalues, pvalues are pandas Series indexed by the parameter
names (patsy's for a formula fit: "Intercept", "wool[T.B]"; the model's
coef_names otherwise) when pandas is importable, else NumPy arrays.  The
values are the library's, i.e. R's: for families with an estimated
dispersion (gaussian, Gamma, inverse.gaussian, quasi-*) and for Linear,
tvalues are t statistics and pvalues use the t distribution on
df_resid degrees of freedom, as R's summary; statsmodels' GLM uses the
normal distribution there (use_t=False).  conf_int() is Wald's: normal
quantiles for a GLM (R's confint.default, statsmodels' GLM), t quantiles for
Linear (R's confint.lm, statsmodels' OLS).
"""
import math
from statistics import NormalDist

import numpy as np

from ._lib import Info


def _pandas():
    try:
        import pandas
    except ImportError:
        return None
    return pandas


def _t_quantile(q, df):
    try:
        from scipy.stats import t
    except ImportError:  # pragma: no cover - scipy comes with statsmodels
        raise ImportError("Linear.conf_int needs scipy for t quantiles (Debian: python3-scipy)") from None
    return float(t.ppf(q, df))


class Results:
    """Mixin for Model subclasses with a coefficient table."""

    _design = None  # a formula.Design after occam.glm / occam.lm

    @property
    def design(self):
        """The formula.Design of an occam.glm/occam.lm fit (None for arrays)."""
        return self._design

    @property
    def formula(self):
        return None if self._design is None else self._design.formula

    @property
    def param_names(self):
        """Names of the coefficients: patsy's for a formula fit, coef_names otherwise."""
        if self._design is not None:
            return self._design.param_names
        return self.coef_names

    def _series(self, values):
        pd = _pandas()
        if pd is None:
            return values
        return pd.Series(values, index=self.param_names)

    def _rows_series(self, values):
        pd = _pandas()
        if pd is None or self._design is None or values is None:
            return values
        return pd.Series(values, index=self._design.index)

    params = property(lambda self: self._series(self.coef), doc="coefficients (NaN where aliased)")
    bse = property(lambda self: self._series(self.std_errors), doc="standard errors (R's)")
    tvalues = property(lambda self: self._series(self.statistics), doc="z or t statistics (R's)")
    pvalues = property(lambda self: self._series(self.p_values), doc="p-values (R's: t for estimated dispersion)")
    df_resid = property(lambda self: self.info(Info.DF_RESIDUAL))
    llf = property(lambda self: self.info(Info.LOGLIK), doc="log-likelihood (R's logLik)")

    @property
    def df_model(self):
        """statsmodels' df_model: the rank less the intercept."""
        return self.rank - int(bool(self.info(Info.INTERCEPT)))

    def cov_params(self):
        """vcov() as a DataFrame labelled by param_names."""
        v = self.vcov()
        pd = _pandas()
        return v if pd is None else pd.DataFrame(v, index=self.param_names, columns=self.param_names)

    def _uses_t(self):
        return False

    def conf_int(self, alpha=0.05):
        """Wald intervals (lower, upper): columns 0 and 1 as statsmodels'."""
        q = 1 - alpha / 2
        crit = _t_quantile(q, self.df_resid) if self._uses_t() else NormalDist().inv_cdf(q)
        est, se = self.coef, self.std_errors
        ci = np.column_stack([est - crit * se, est + crit * se])
        pd = _pandas()
        return ci if pd is None else pd.DataFrame(ci, index=self.param_names)

    @property
    def fittedvalues(self):
        return self._rows_series(self.fitted_values)

    def _formula_exog(self, data, offset):
        """For predict(): (X, offset, labels) from a DataFrame through the stored design."""
        d = self._design
        X, labels, frame = d.exog(data)
        if offset is None:
            offset = d.offset(frame)
        elif isinstance(offset, str):
            offset = np.asarray(d.env.eval(offset, inner_namespace=frame), dtype=np.float64)
        return X, offset, labels

    def _label(self, out, labels):
        pd = _pandas()
        if pd is None or labels is None:
            return out
        if isinstance(out, tuple):
            return tuple(pd.Series(o, index=labels) for o in out)
        return pd.Series(out, index=labels)


def is_frame(X):
    """A DataFrame or a dict of columns (data for a formula design), not an array."""
    pd = _pandas()
    return isinstance(X, dict) or (pd is not None and isinstance(X, pd.DataFrame))


def nan_to_none(x):
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else x
