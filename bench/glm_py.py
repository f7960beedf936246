"""glm_py.py -- sklearn and statsmodels on the rows bench_glm fits.

    /usr/bin/python3 glm_py.py FILE N P FAMILY [METHOD ...]

FILE: little-endian doubles, X (N x P, column-major, no intercept) then y.
FAMILY: binomial (logistic) or poisson (log link).  METHOD: sklearn,
statsmodels (default both; bench_glm runs one per process, so that each
peak RSS is that method's own):
  sklearn      binomial: LogisticRegression(penalty=None, solver="lbfgs",
               max_iter=1000); poisson: PoissonRegressor(alpha=0,
               solver="lbfgs", max_iter=1000).  No standard errors.
  statsmodels  GLM(y, [1 X], Binomial() or Poisson()).fit() (IRLS), and its
               standard errors (res.bse), as occam computes them.
Prints per method one line, the time covering the fit (and the SEs):
  RESULT name seconds peak_rss_mb iterations deviance coef_0 ... coef_P
(intercept first; peak RSS: ru_maxrss of this process, data included; the
deviance is computed after the timed part for sklearn).  A method whose
package is missing is skipped with a message (Debian: python3-sklearn,
python3-statsmodels).
"""
import resource
import sys
import time

import numpy as np


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def report(name, secs, iters, dev, coef):
    print("RESULT %s %.3f %.1f %d %.17g %s" % (name, secs, peak_mb(), iters, dev,
                                               " ".join("%.17g" % c for c in coef)), flush=True)


def deviance(family, y, mu):
    if family == "binomial":
        return -2.0 * np.sum(np.where(y > 0, np.log(mu), np.log1p(-mu)))
    ylogy = np.where(y > 0, y * np.log(np.where(y > 0, y, 1.0) / mu), 0.0)
    return 2.0 * np.sum(ylogy - (y - mu))


def run_sklearn(family, X, y):
    try:
        from sklearn.linear_model import LogisticRegression, PoissonRegressor
    except ImportError:
        print("sklearn not installed (python3-sklearn): skipped", flush=True)
        return
    t0 = time.perf_counter()
    if family == "binomial":
        est = LogisticRegression(penalty=None, solver="lbfgs", max_iter=1000).fit(X, y)
        secs = time.perf_counter() - t0
        coef = np.concatenate([est.intercept_, est.coef_[0]])
        mu = est.predict_proba(X)[:, 1]
        iters = int(np.ravel(est.n_iter_)[0])
    else:
        est = PoissonRegressor(alpha=0, solver="lbfgs", max_iter=1000).fit(X, y)
        secs = time.perf_counter() - t0
        coef = np.concatenate([[est.intercept_], est.coef_])
        mu = est.predict(X)
        iters = int(est.n_iter_)
    report("sklearn_lbfgs_(no_SEs)", secs, iters, deviance(family, y, mu), coef)


def run_statsmodels(family, X, y):
    try:
        import statsmodels.api as sm
    except ImportError:
        print("statsmodels not installed (python3-statsmodels): skipped", flush=True)
        return
    fam = sm.families.Binomial() if family == "binomial" else sm.families.Poisson()
    t0 = time.perf_counter()
    Xc = np.column_stack([np.ones(X.shape[0]), X])
    res = sm.GLM(y, Xc, family=fam).fit()
    _ = res.bse  # the standard errors, as occam reports them
    secs = time.perf_counter() - t0
    report("statsmodels_GLM", secs, int(res.fit_history["iteration"]), res.deviance, res.params)


def main():
    path, n, p, family = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    methods = sys.argv[5:] or ["sklearn", "statsmodels"]
    if family not in ("binomial", "poisson"):
        sys.exit("glm_py.py: unknown family %s" % family)
    raw = np.fromfile(path, dtype="<f8")
    X = raw[: n * p].reshape((p, n)).T  # column-major on disk: a Fortran-ordered view
    y = raw[n * p:]
    for method in methods:
        {"sklearn": run_sklearn, "statsmodels": run_statsmodels}[method](family, X, y)


if __name__ == "__main__":
    main()
