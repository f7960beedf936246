"""The linear baseline: least squares as R's lm(), or hand-coded coefficients."""
import math

import numpy as np

from . import _rformat as rf
from . import _smsummary
from ._lib import Info, ModelKind, Option, Predict, Rows, Solver, check, lib
from ._model import Model, _CLASSES, _new_handle
from ._results import Results, is_frame


class Linear(Results, Model):
    """Linear model y = b0 + X b (+ offset).

    ``Linear().fit(X, y)`` fits by least squares (R's ``lm``, QR with R's
    pivoting; rank-deficient columns get NaN coefficients, R's NA);
    ``Linear.from_coef([b1, b2], intercept=b0)`` hand-codes one.  X is an
    n x p array (C or Fortran order, passed without copying) WITHOUT the
    intercept column; y, weights (R's prior weights) and offset have n values.
    """

    _kind = ModelKind.LINEAR

    def __init__(self):
        super().__init__(_new_handle(lib.occam_linear_new))

    @classmethod
    def from_coef(cls, coef, intercept=0.0, has_intercept=True, names=None):
        """A hand-coded model: prediction = intercept + sum_j coef[j] x_j."""
        m = cls()
        c = np.ascontiguousarray(coef, dtype=np.float64).reshape(-1)
        check(lib.occam_linear_set_coef(m._h, int(bool(has_intercept)), float(intercept), c.ctypes.data, c.size),
              "occam_linear_set_coef")
        if names is not None:
            m.set_names(names)
        return m

    def fit(self, X, y, weights=None, offset=None, intercept=True, solver="qr", rank_tol=None, names=None):
        """Least squares fit (R's lm / lm.wfit).  solver: "qr" or "cholesky".
        Returns self; warns OccamWarning when some columns are aliased."""
        options = {Option.INTERCEPT: int(bool(intercept)), Option.SOLVER: _solver(solver),
                   Option.RANK_TOL: rank_tol}
        self._fit(X, y, weights, offset, options, names)
        self._offset_used = offset is not None
        self._design = None  # occam.lm sets it after this fit
        return self

    def predict(self, X=None, offset=None, se_fit=False):
        """Predictions for the rows of X (n x p); with se_fit, also their
        standard errors (R's predict.lm(se.fit = TRUE)): returns (fit, se).
        A model fitted by occam.lm(formula, data) also takes a DataFrame,
        as GLM.predict; X=None gives the fitted values."""
        labels = None
        if X is None:
            if self._design is None or se_fit:
                raise ValueError("predict() without X: only the fitted values of an occam.lm formula fit")
            return self.fittedvalues
        if self._design is not None and is_frame(X):
            X, offset, labels = self._formula_exog(X, offset)
            if offset is None and self._offset_used:
                raise ValueError("the model was fitted with an offset given as values: pass offset=")
        return self._label(self._predict(Predict.RESPONSE, X, offset, se_fit=se_fit), labels)

    # results, R's names
    df_residual = property(lambda self: self.info(Info.DF_RESIDUAL))
    deviance = property(lambda self: self.info(Info.DEVIANCE), doc="weighted residual sum of squares")
    sigma = property(lambda self: self.info(Info.SIGMA), doc="residual standard error")
    r_squared = property(lambda self: self.info(Info.R_SQUARED))
    adj_r_squared = property(lambda self: self.info(Info.ADJ_R_SQUARED))
    rank = property(lambda self: int(self.info(Info.RANK)))
    fitted_values = property(lambda self: self.rows(Rows.FITTED))
    residuals = property(lambda self: self.rows(Rows.RESID_RESPONSE))
    weights = property(lambda self: self.rows(Rows.PRIOR_WEIGHTS))

    @property
    def fstatistic(self):
        """(value, numdf, dendf), as summary.lm's fstatistic."""
        return (self.info(Info.FSTATISTIC), self.info(Info.F_NUMDF), self.info(Info.F_DENDF))

    f_pvalue = property(lambda self: self.info(Info.F_P_VALUE), doc="p-value of the F statistic")
    resid = property(lambda self: self._rows_series(self.residuals), doc="residuals (statsmodels' resid)")
    rsquared = property(lambda self: self.r_squared)
    rsquared_adj = property(lambda self: self.adj_r_squared)

    @property
    def bic(self):
        """R's BIC: -2 logLik + log(n) (rank + 1), the +1 for sigma."""
        return -2 * self.loglik + math.log(self.nobs) * (self.rank + 1)

    @property
    def is_weighted(self):
        w = self._rows_if_stored(Rows.PRIOR_WEIGHTS)
        return w is not None and w.size > 1 and bool(np.any(w != w[0]))

    def _uses_t(self):
        return True  # conf_int: t quantiles on df_resid, as R's confint.lm and statsmodels' OLS

    def _describe(self):
        k, p = self._dims() if self.is_fitted else (0, 0)
        return f"{p} columns, {k} coefficients" if self.is_fitted else ""

    def summary(self, style=None):
        """The model summary as text.  style="statsmodels": the header and
        coefficient table of statsmodels' OLSResults.summary() (the default
        for occam.lm formula fits); style="r": R's print(summary(lm(...)))
        (the default otherwise)."""
        if style is None:
            style = "statsmodels" if self._design is not None else "r"
        if style == "statsmodels":
            return _smsummary.ols_summary(self)
        if style != "r":
            raise ValueError(f"style must be 'r' or 'statsmodels', got {style!r}")
        lines = ["Linear model (least squares, as R's lm)"]
        names, aliased = self.coef_names, self.aliased
        if self._nrows() == 0:  # hand-coded: no fit statistics
            lines[0] = "Linear model (hand-coded coefficients)"
            lines += ["", "Coefficients:"]
            lines += rf.named_vector(names, list(self.coef), 4, 1)
            return "\n".join(lines) + "\n"
        w, r = self._rows_if_stored(Rows.PRIOR_WEIGHTS), self._rows_if_stored(Rows.RESID_PEARSON)
        weighted = w is not None and w.size > 1 and np.any(w != w[0])
        lines += ["", ("Weighted " if weighted else "") + "Residuals:"]
        lines += (rf.residual_block(r, self.df_residual, 4, glm=False) if r is not None
                  else ["(not stored: a loaded or streamed model)"])
        lines += _coef_block(self, names, aliased)
        rdf = self.df_residual
        lines += ["", f"Residual standard error: {rf.format_num(rf.signif(self.sigma, 4), 7)} "
                      f"on {rdf:.7g} degrees of freedom"]
        f, numdf, dendf = self.fstatistic
        if numdf > 0:
            lines.append(f"Multiple R-squared:  {rf.formatc(self.r_squared)},\t"
                         f"Adjusted R-squared:  {rf.formatc(self.adj_r_squared)} ")
            pv = rf.format_pval([self.info(Info.F_P_VALUE)], 4)[0]
            lines.append(f"F-statistic: {rf.formatc(f)} on {numdf:.7g} and {dendf:.7g} DF,  p-value: {pv}")
        return "\n".join(lines) + "\n"


def _coef_block(model, names, aliased):
    """"Coefficients:" and printCoefmat, shared by Linear and GLM."""
    lines = [""]
    n_aliased = int(np.sum(aliased))
    if not names:
        return lines + ["No Coefficients"]
    lines.append(f"Coefficients: ({n_aliased} not defined because of singularities)" if n_aliased
                 else "Coefficients:")
    z = model.info(Info.T_STATISTIC) == 0
    lines += rf.coef_table(names, model.coef, model.std_errors, model.statistics, model.p_values, aliased, z=z)
    return lines


def _solver(name):
    if name is None:
        return None
    try:
        return int(Solver[str(name).upper()])
    except KeyError:
        raise ValueError(f"solver must be 'auto', 'qr' or 'cholesky', got {name!r}") from None


_CLASSES[ModelKind.LINEAR] = Linear
