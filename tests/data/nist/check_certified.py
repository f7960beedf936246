#!/usr/bin/python3
"""Check the NIST StRD files typed into this folder against NIST's
certified values: solve each least-squares problem exactly (rational
arithmetic on the decimal data) and compare with the 15 certified digits.
A typing error in a data or certified file shows as a mismatch.

With --write, also write <name>_exact.csv: the exact estimates and standard
errors to 25 significant digits (NIST's certified values are these rounded
to 15).  LREs are measured against them (tests/check_linear.c, r_lre.R):
against 15 digits a result closer to the exact value than the rounded
certified one can score lower than a less accurate one.
With --limits, print for each dataset the LRE (against the exact values)
of the exact least-squares solution of the data as a double-precision
program holds them (decimals rounded to doubles, powers of x formed by
repeated double multiplication as tests/check_linear.c does): no
double-precision method can be expected to do better (Wampler2: 13.2).
Usage: check_certified.py [--write] [--limits] [DIR]; exit status 1 on any
mismatch."""
import csv
import sys
from fractions import Fraction
from pathlib import Path

import mpmath

# name: (polynomial degree or None for the columns as given, intercept)
DATASETS = {"norris": (1, True), "pontius": (2, True), "noint1": (1, False), "noint2": (1, False),
            "filip": (10, True), "longley": (None, True), "wampler1": (5, True), "wampler2": (5, True),
            "wampler3": (5, True), "wampler4": (5, True), "wampler5": (5, True)}


def read(path):
    with open(path) as f:
        rows = list(csv.reader(f))
    return rows[0], [[Fraction(v) for v in r] for r in rows[1:]]


def design(rows, degree, intercept):
    X = []
    for r in rows:
        x = r[1:] if degree is None else [r[1] ** d for d in range(1, degree + 1)]
        X.append(([Fraction(1)] if intercept else []) + x)
    return X, [r[0] for r in rows]


def solve(A, b):
    """Gauss-Jordan elimination in exact arithmetic; returns A^-1 b and A^-1."""
    k = len(A)
    M = [A[i][:] + b[i:i + 1] + [Fraction(int(i == j)) for j in range(k)] for i in range(k)]
    for c in range(k):
        piv = next(i for i in range(c, k) if M[i][c] != 0)
        M[c], M[piv] = M[piv], M[c]
        M[c] = [v / M[c][c] for v in M[c]]
        for i in range(k):
            if i != c and M[i][c] != 0:
                M[i] = [vi - M[i][c] * vc for vi, vc in zip(M[i], M[c])]
    return [M[i][k] for i in range(k)], [M[i][k + 1:] for i in range(k)]


def check(d, name, degree, intercept, write):
    _, rows = read(d / f"{name}.csv")
    _, cert = read(d / f"{name}_certified.csv")
    X, y = design(rows, degree, intercept)
    n, k = len(X), len(X[0])
    XtX = [[sum(X[i][a] * X[i][b] for i in range(n)) for b in range(k)] for a in range(k)]
    Xty = [[sum(X[i][a] * y[i] for i in range(n))] for a in range(k)]
    beta, inv = solve(XtX, [v[0] for v in Xty])
    rss = sum((y[i] - sum(X[i][j] * beta[j] for j in range(k))) ** 2 for i in range(n))
    s2 = rss / (n - k)
    bad = 0
    exact_rows = []
    for j in range(k):
        se = mpmath.sqrt(mpmath.mpf(s2.numerator) / s2.denominator * inv[j][j].numerator / inv[j][j].denominator)
        est = mpmath.mpf(beta[j].numerator) / beta[j].denominator
        exact_rows.append((mpmath.nstr(est, 25, strip_zeros=False), mpmath.nstr(se, 25, strip_zeros=False)))
        for what, exact, c in (("estimate", mpmath.mpf(beta[j].numerator) / beta[j].denominator, cert[j][0]),
                               ("std_error", se, cert[j][1])):
            c = mpmath.mpf(c.numerator) / c.denominator
            err = abs(exact - c) / abs(c) if c != 0 else abs(exact)
            if err > 1e-14:
                print(f"{name} B{j} {what}: certified {mpmath.nstr(c, 15)}, exact {mpmath.nstr(exact, 17)}")
                bad += 1
    print(f"{name}: {k} parameters, {n} observations: {'ok' if bad == 0 else 'MISMATCH'}")
    if write and bad == 0:
        with open(d / f"{name}_exact.csv", "w") as f:
            f.write("estimate,std_error\n")
            for e, se in exact_rows:
                f.write(f"{e},{se}\n")
    return bad


def double_design(rows, degree, intercept):
    """The design and response as doubles, exactly as the C test builds them."""
    X, y = [], []
    for r in rows:
        if degree is None:
            xs = [float(v) for v in r[1:]]
        else:
            xs, v = [], 1.0
            for _ in range(degree):
                v *= float(r[1])
                xs.append(v)
        X.append(([Fraction(1)] if intercept else []) + [Fraction(v) for v in xs])
        y.append(Fraction(float(r[0])))
    return X, y


def limit(d, name, degree, intercept):
    _, rows = read(d / f"{name}.csv")
    _, exact = read(d / f"{name}_exact.csv")
    X, y = double_design(rows, degree, intercept)
    n, k = len(X), len(X[0])
    XtX = [[sum(X[i][a] * X[i][b] for i in range(n)) for b in range(k)] for a in range(k)]
    beta, _ = solve(XtX, [sum(X[i][a] * y[i] for i in range(n)) for a in range(k)])
    worst = 15.0
    for j in range(k):
        e = abs(beta[j] - exact[j][0]) / abs(exact[j][0])
        if e:
            worst = min(worst, float(-mpmath.log10(mpmath.mpf(e.numerator) / e.denominator)))
    print(f"{name}: LRE limit of the estimates for double-precision data {worst:.2f}")


def main():
    mpmath.mp.dps = 50
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    d = Path(args[0]) if args else Path(__file__).parent
    bad = sum(check(d, name, *spec, "--write" in sys.argv) for name, spec in DATASETS.items())
    if "--limits" in sys.argv and bad == 0:
        for name, spec in DATASETS.items():
            limit(d, name, *spec)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
