#!/usr/bin/python3
"""Write wampler4_xtx_inverse.csv: the exact unscaled covariance (X'X)^-1
of NIST's Wampler4 design (intercept, x .. x^5 for x = 0 .. 20; the same
design as Wampler1-5), as the C tests hold it in doubles (powers formed by
repeated double multiplication: check_certified.double_design; here they
are integers, exact), inverted in rational arithmetic and printed to 25
significant digits (mpmath); and wampler4_xtwx_inverse.csv, (X'WX)^-1 with
the prior weights w_i = 1 + (i mod 3) of row i = 0 .. 20.  Column j of a
file is column j of the matrix.  tests/check_lsq_refine_cov.c asks the
refined covariance of lm fits to match them to 1e-14 on every BLAS
kernel; tests/sh/test_nist_data.sh rewrites both and compares.
Usage: xtx_inverse.py [DIR] (default: this folder)."""
import sys
from fractions import Fraction
from pathlib import Path

import mpmath

sys.path.insert(0, str(Path(__file__).parent))
import check_certified as cc  # noqa: E402

NAME, DEGREE, INTERCEPT = "wampler4", 5, True


def main():
    mpmath.mp.dps = 50
    d = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent
    _, rows = cc.read(d / f"{NAME}.csv")
    X, _ = cc.double_design(rows, DEGREE, INTERCEPT)
    n, k = len(X), len(X[0])
    for what, w in (("xtx", [1] * n), ("xtwx", [1 + i % 3 for i in range(n)])):
        XtWX = [[sum(w[i] * X[i][a] * X[i][b] for i in range(n)) for b in range(k)] for a in range(k)]
        _, inv = cc.solve(XtWX, [Fraction(0)] * k)
        with open(d / f"{NAME}_{what}_inverse.csv", "w") as f:
            f.write(",".join(f"c{j}" for j in range(k)) + "\n")
            for a in range(k):
                f.write(",".join(mpmath.nstr(mpmath.mpf(v.numerator) / v.denominator, 25, strip_zeros=False)
                                 for v in inv[a]) + "\n")


if __name__ == "__main__":
    main()
