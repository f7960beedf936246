"""Generalized linear models fitted by IRLS, as R's glm()."""
import ctypes

import numpy as np

from . import _rformat as rf
from . import _smsummary
from ._lib import Info, ModelKind, Option, OccamError, Predict, Rows, check, lib
from ._model import Model, _CLASSES, _new_handle
from ._results import Results, is_frame
from .linear import _coef_block, _solver

_RESIDUALS = {"deviance": Rows.RESID_DEVIANCE, "pearson": Rows.RESID_PEARSON,
              "working": Rows.RESID_WORKING, "response": Rows.RESID_RESPONSE}
_PREDICT = {"link": Predict.LINK, "response": Predict.RESPONSE}


def _parse(fn, name, what):
    value = ctypes.c_int()
    if isinstance(name, int):
        return name
    check(fn(str(name).encode("utf-8"), ctypes.byref(value)), f"{what} {name!r}")
    return value.value


def _text(b):
    return b.decode("utf-8") if b else None


class GLM(Results, Model):
    """A GLM with one of R's families and links.

    family: "gaussian", "binomial", "poisson", "Gamma", "inverse.gaussian",
    "quasibinomial", "quasipoisson" (R's names); link: R's link name
    ("logit", "probit", "cloglog", "log", "identity", "inverse", "sqrt",
    "1/mu^2", "cauchit") or None for the family's default.  Binomial y is the
    proportion of successes with the number of trials as weights (R's
    cbind(successes, failures) is y = s/(s+f), weights = s+f).
    """

    _kind = ModelKind.GLM

    def __init__(self, family="gaussian", link=None):
        fam = _parse(lib.occam_family_parse, family, "family")
        lnk = 0 if link is None else _parse(lib.occam_link_parse, link, "link")
        super().__init__(_new_handle(lib.occam_glm_new, fam, lnk))
        self._family_link = (_text(lib.occam_family_name(fam)),
                             _text(lib.occam_link_name(lnk)) if lnk else None)

    def fit(self, X, y, weights=None, offset=None, intercept=True, epsilon=None, maxit=None, start=None,
            rank_tol=None, solver=None, halve_on_increase=None, names=None, threads=None, fast=False,
            keep_data=False):
        """Fit by IRLS (R's glm.fit; epsilon 1e-8 and maxit 25 by default, as
        glm.control).  start: starting coefficients (intercept first).
        threads: POSIX threads for the passes over the rows (default 1; with
        more, run OpenBLAS single-threaded: OPENBLAS_NUM_THREADS=1).
        halve_on_increase: glm2's glm.fit2 step-halving (Marschner 2011).
        fast: the fast path (OCCAM_OPT_FAST, docs/glm.md "Fast path"), NOT
        R's iteration path: IRLS on a fixed row subsample, chord steps over
        all rows, then R's IRLS from there (normally one iteration): R's MLE
        with the standard errors of one final X'WX at it.  It falls back to
        R's path when anything is doubtful (a warning, aliased columns, no
        converging chord steps); the used_fast property says which ran.
        keep_data: save() / to_bytes() / pickle also store the per-row
        results (y as used, prior and working weights, eta, mu: 5 doubles a
        row; OCCAM_OPT_KEEP_DATA), so a loaded model has fitted_values,
        residuals(), weights and its summary's residual block, as R's glm
        object keeps them.  Without it (the default) a loaded model has the
        coefficient table and fit statistics only.
        Returns self.  Non-convergence, a boundary stop, fitted 0/1
        probabilities, aliased columns, non-integer counts, R's step-halving
        ("step size truncated due to divergence", "...: out of bounds") and
        summary.glm's zero-weight note are warnings (OccamWarning), as R's;
        invalid input raises OccamError."""
        if start is not None:
            s = np.ascontiguousarray(start, dtype=np.float64).reshape(-1)
            check(lib.occam_glm_set_start(self._h, s.ctypes.data, s.size), "occam_glm_set_start")
        else:  # no start values from an earlier fit() linger
            check(lib.occam_glm_set_start(self._h, None, 0), "occam_glm_set_start")
        options = {Option.INTERCEPT: int(bool(intercept)), Option.EPSILON: epsilon, Option.MAXIT: maxit,
                   Option.RANK_TOL: rank_tol, Option.SOLVER: _solver(solver),
                   Option.HALVE_ON_INCREASE: None if halve_on_increase is None else int(bool(halve_on_increase)),
                   Option.THREADS: threads, Option.FAST: int(bool(fast)),
                   Option.KEEP_DATA: int(bool(keep_data))}
        self._fit(X, y, weights, offset, options, names)
        self._offset_used = offset is not None
        self._design = None  # occam.glm sets it after this fit
        return self

    def predict(self, X=None, type="response", offset=None, se_fit=False):
        """R's predict.glm(newdata, type = "link" | "response", se.fit):
        an array, or (fit, se) with se_fit=True.  A model fitted by
        occam.glm(formula, data) also takes a DataFrame (or dict of columns):
        the stored patsy design builds its columns (same levels, contrasts
        and transforms; an unseen level or a missing value raises), the
        offset given by name is evaluated on it, and the results are pandas
        Series indexed like it.  X=None: the fitted rows (R's predict(fit))."""
        try:
            ptype = _PREDICT[type]
        except KeyError:
            raise ValueError(f"type must be 'link' or 'response', got {type!r}") from None
        labels = None
        if X is None:
            if self._design is None:
                raise ValueError("predict() without X needs a model fitted by occam.glm(formula, data)")
            fit = self.linear_predictors if ptype == Predict.LINK else self.fitted_values
            if not se_fit:
                return self._rows_series(fit)
            raise ValueError("se_fit=True needs the data: predict(df, se_fit=True)")
        if self._design is not None and is_frame(X):
            X, offset, labels = self._formula_exog(X, offset)
            if offset is None and self._offset_used:
                raise ValueError("the model was fitted with an offset given as values: pass offset= "
                                 "(or fit with offset='column or expression' to have it evaluated here)")
        return self._label(self._predict(ptype, X, offset, se_fit=se_fit), labels)

    def residuals(self, type="deviance"):
        """R's residuals.glm(type = "deviance" | "pearson" | "working" | "response")."""
        try:
            return self.rows(_RESIDUALS[type])
        except KeyError:
            raise ValueError(f"type must be one of {sorted(_RESIDUALS)}, got {type!r}") from None

    @property
    def used_fast(self):
        """True when the fast path (fit(fast=True)) produced the fit, False
        when R's path did (not asked for, or the fast path fell back)."""
        return bool(self.info(Info.FAST))

    @property
    def solver_used(self):
        """The solver of the final IRLS system, "qr" or "cholesky" (the
        default solver "auto" takes Cholesky while the system is well
        conditioned, else R's QR); None for a model read from a file."""
        return {1: "qr", 2: "cholesky"}.get(int(self.info(Info.SOLVER)))

    @property
    def family(self):
        """R's family name ("poisson", "Gamma", ...)."""
        if self.is_fitted:
            return _text(lib.occam_family_name(int(self.info(Info.FAMILY))))
        return getattr(self, "_family_link", (None, None))[0]

    @property
    def link(self):
        """R's link name ("log", "1/mu^2", ...)."""
        if self.is_fitted:
            return _text(lib.occam_link_name(int(self.info(Info.LINK))))
        return getattr(self, "_family_link", (None, None))[1]

    deviance = property(lambda self: self.info(Info.DEVIANCE))
    null_deviance = property(lambda self: self.info(Info.NULL_DEVIANCE))
    df_residual = property(lambda self: self.info(Info.DF_RESIDUAL))
    df_null = property(lambda self: self.info(Info.DF_NULL))
    dispersion = property(lambda self: self.info(Info.DISPERSION))
    pearson_chi2 = property(lambda self: self.info(Info.PEARSON_CHI2))
    rank = property(lambda self: int(self.info(Info.RANK)))
    boundary = property(lambda self: bool(self.info(Info.BOUNDARY)))
    fitted_values = property(lambda self: self.rows(Rows.FITTED))
    linear_predictors = property(lambda self: self.rows(Rows.LINEAR_PREDICTOR))
    weights = property(lambda self: self.rows(Rows.WORKING_WEIGHTS), doc="working weights (R's fit$weights)")
    prior_weights = property(lambda self: self.rows(Rows.PRIOR_WEIGHTS))

    def _describe(self):
        return f"{self.family}(link = {self.link!r})"

    mu = property(lambda self: self.fitted_values, doc="fitted means (statsmodels' mu)")
    scale = property(lambda self: self.dispersion, doc="R's dispersion (statsmodels' scale)")
    resid_deviance = property(lambda self: self._rows_series(self.residuals("deviance")))
    resid_pearson = property(lambda self: self._rows_series(self.residuals("pearson")))
    resid_working = property(lambda self: self._rows_series(self.residuals("working")))
    resid_response = property(lambda self: self._rows_series(self.residuals("response")))

    def _uses_t(self):
        return False  # conf_int: normal quantiles, as R's confint.default and statsmodels' GLM

    def summary(self, style=None):
        """The model summary as text.  style="statsmodels": the layout of
        statsmodels' GLMResults.summary() (the default for occam.glm formula
        fits); style="r": R 4.2's print(summary(glm(...))) (the default for
        array fits).  print(model) prints it."""
        if style is None:
            style = "statsmodels" if self._design is not None else "r"
        if style == "statsmodels":
            return _smsummary.glm_summary(self)
        if style != "r":
            raise ValueError(f"style must be 'r' or 'statsmodels', got {style!r}")
        lines = [f"Generalized linear model (IRLS, as R's glm): family {self.family}, link {self.link}",
                 "", "Deviance Residuals: "]
        r = self._rows_if_stored(Rows.RESID_DEVIANCE)
        lines += (rf.residual_block(r, self.df_residual, 4, glm=True) if r is not None
                  else ["(not stored: a loaded or streamed model)"])
        lines += _coef_block(self, self.coef_names, self.aliased)
        lines += ["", f"(Dispersion parameter for {self.family} family taken to be "
                      f"{rf.format_num(self.dispersion, 7)})", ""]
        dev = rf.format_vector([self.null_deviance, self.deviance], 5)
        dev = [s.rjust(max(map(len, dev))) for s in dev]  # format() pads to a common width
        df = [f"{v:.7g}" for v in (self.df_null, self.df_residual)]
        w = max(len(s) for s in df)
        lines.append(f"    Null deviance: {dev[0]}  on {df[0].rjust(w)}  degrees of freedom")
        lines.append(f"Residual deviance: {dev[1]}  on {df[1].rjust(w)}  degrees of freedom")
        aic = self.aic
        lines.append(f"AIC: {'NA' if aic != aic else rf.format_num(aic, 5)}")
        lines += ["", f"Number of Fisher Scoring iterations: {self.iter}"]
        return "\n".join(lines) + "\n"


_CLASSES[ModelKind.GLM] = GLM
