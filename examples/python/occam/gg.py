"""The Gamma-Gamma spend model (Colombo & Jiang 1999; Fader, Hardie & Lee 2005)."""
import numpy as np

from . import _rformat as rf
from ._lib import Info, ModelKind, Option, Predict, check, lib
from ._context import _Context
from ._model import Model, _CLASSES, _new_handle


def _rows(x, m_x, name="x"):
    """The n x 2 (x, m_x) matrix: x itself when it is one, else the two vectors as columns."""
    if m_x is None:
        a = np.asarray(x)
        if a.ndim != 2 or a.shape[1] != 2:
            raise ValueError(f"{name} must be an n x 2 array (x, m_x) when m_x is not given")
        return x
    cols = [np.asarray(v, dtype=np.float64).reshape(-1) for v in (x, m_x)]
    if cols[0].size != cols[1].size:
        raise ValueError(f"x and m_x must have the same length, got {cols[0].size} and {cols[1].size}")
    return np.column_stack(cols)


class GammaGamma(_Context, Model):
    """Gamma-Gamma spend model on (x, m_x): x repeat transactions of mean value m_x.

    Transaction values are Gamma(p, nu), nu ~ Gamma(q, gamma) across customers
    (parameters p, q, gamma as lifetimes' GammaGammaFitter, CLVTools gg() and
    BTYD spend.*).  Rows with x = 0 carry no spend information and are skipped
    by the fit.  occam_gg_new.
    """

    _kind = ModelKind.GG

    def __init__(self):
        super().__init__(_new_handle(lib.occam_gg_new))

    @classmethod
    def from_params(cls, p, q, gamma):
        """A model with given parameters (e.g. a published fit): predicts, no fit statistics."""
        m = cls()
        check(lib.occam_gg_set_params(m._h, float(p), float(q), float(gamma)), "occam_gg_set_params")
        return m

    def fit(self, x, m_x=None, weights=None, maxit=None, grad_tol=None):
        """Maximum likelihood.  x, m_x: vectors of length n, or x alone as an n x 2 array. Returns self."""
        return self._fit(_rows(x, m_x), None, weights, None, {Option.MAXIT: maxit, Option.GRAD_TOL: grad_tol},
                         names=None)

    @property
    def params(self):
        """{"p": ..., "q": ..., "gamma": ...} as plain floats."""
        return dict(zip(("p", "q", "gamma"), (float(v) for v in self.coef)))

    correlation = property(lambda self: self.info(Info.CORRELATION),
                           doc="Pearson correlation of x and m_x over the fitted customers (the model assumes ~0)")
    grad_norm = property(lambda self: self.info(Info.GRAD_NORM))

    def conditional_expected_spend(self, x, m_x=None):
        """E[M | x, m_x] per customer (lifetimes conditional_expected_average_profit,
        BTYD spend.expected.value)."""
        return self._predict(Predict.SPEND, _rows(x, m_x))

    def customer_loglik(self, x, m_x=None):
        """log f(m_x | x) per customer (x > 0)."""
        return self._predict(Predict.LOGLIK, _rows(x, m_x))

    def _describe(self):
        return ", ".join(f"{k} = {v:.4g}" for k, v in self.params.items()) if self.is_fitted else ""

    def summary(self):
        """Parameter table with standard errors and the fit statistics."""
        given = self._nrows() == 0
        how = "parameters given, not fitted" if given else "maximum likelihood"
        lines = [f"Gamma-Gamma spend model ({how}; Fader, Hardie & Lee 2005)", "", "Coefficients:"]
        lines += rf.coef_table(self.coef_names, self.coef, self.std_errors)
        if given:
            return "\n".join(lines) + "\n"
        lines += ["", f"Log-likelihood: {rf.format_num(self.loglik, 10)} ({self.nobs} customers with x > 0)",
                  f"AIC: {rf.format_num(self.aic, 10)}",
                  f"Iterations: {self.iter}, converged: {'yes' if self.converged else 'no'}",
                  f"Correlation of x and m_x: {self.correlation:.4f}"]
        return "\n".join(lines) + "\n"


_CLASSES[ModelKind.GG] = GammaGamma
