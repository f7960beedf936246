"""occam from Python: linear baseline, GLM (IRLS, as R's glm), Pareto/NBD and Gamma-Gamma.

    import numpy as np, occam
    m = occam.GLM("poisson").fit(X, y)          # X: n x p NumPy array, no intercept column
    m.coef, m.std_errors, m.vcov(), m.deviance  # NumPy arrays and floats
    print(m)                                    # an R-style summary
    m.predict(X_new, type="response")
    m.save("model.occam"); occam.load("model.occam")   # or pickle
    occam.clv(pnbd, gg, x, t_x, T, m_x, annual_discount=0.15, margin=0.3)  # CLV table (pandas)
    f = occam.glm("breaks ~ wool * tension", data=df, family="poisson")  # patsy formula
    f.params, f.bse, f.pvalues; print(f.summary()); f.predict(new_df)    # pandas, statsmodels' layout

A thin ctypes layer over the C library liboccam (see _lib.py for how it is
found).  Errors raise OccamError (status, name, detail); warning statuses
(non-convergence, aliased columns, ...) are emitted as OccamWarning.
"""
from ._lib import OccamError, OccamWarning, library_path, version
from ._model import Model, load, loads
from .glm import GLM
from .linear import Linear
from .pnbd import ParetoNBD
from .gg import GammaGamma
from ._clv import clv
from .formula import glm, lm

__all__ = ["glm", "lm", "GLM", "Linear", "ParetoNBD", "GammaGamma", "clv", "Model", "OccamError", "OccamWarning", "load", "loads",
           "library_path", "version"]
