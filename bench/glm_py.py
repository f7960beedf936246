"""glm_py.py -- sklearn's LogisticRegression(penalty=None, lbfgs) and
statsmodels' GLM(Binomial) (IRLS) on bench_glm_fast's rows.

    /usr/bin/python3 glm_py.py FILE N P

FILE: little-endian doubles, X (N x P, column-major, no intercept) then y.
Prints per method: RESULT name seconds peak_rss_mb iterations coef_0 ... coef_P
(peak RSS: ru_maxrss of this process after the fit, so it includes the data and
the earlier method's).  A method whose package is missing is skipped with a
message (Debian: python3-sklearn, python3-statsmodels).
"""
import resource
import sys
import time

import numpy as np


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def report(name, secs, iters, coef):
    print("RESULT %s %.3f %.1f %d %s" % (name, secs, peak_mb(), iters,
                                         " ".join("%.17g" % c for c in coef)), flush=True)


def main():
    path, n, p = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    raw = np.fromfile(path, dtype="<f8")
    X = raw[: n * p].reshape((p, n)).T  # column-major on disk: a Fortran-ordered view
    y = raw[n * p:]
    try:
        from sklearn.linear_model import LogisticRegression
    except ImportError:
        print("sklearn not installed (python3-sklearn): skipped")
    else:
        t0 = time.perf_counter()
        lr = LogisticRegression(penalty=None, solver="lbfgs", max_iter=1000)
        lr.fit(X, y)
        report("sklearn_lbfgs(no_SEs)", time.perf_counter() - t0, int(lr.n_iter_[0]),
               np.concatenate([lr.intercept_, lr.coef_[0]]))
    try:
        import statsmodels.api as sm
    except ImportError:
        print("statsmodels not installed (python3-statsmodels): skipped")
    else:
        t0 = time.perf_counter()
        Xc = np.column_stack([np.ones(n), X])
        res = sm.GLM(y, Xc, family=sm.families.Binomial()).fit()
        _ = res.bse  # the standard errors, as occam reports
        report("statsmodels_GLM", time.perf_counter() - t0, int(res.fit_history["iteration"]), res.params)


if __name__ == "__main__":
    main()
