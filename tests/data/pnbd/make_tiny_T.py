#!/usr/bin/python3
"""Generate tiny_T.json: Pareto/NBD log-likelihoods and gradients of single
customers whose T or t_x is tiny relative to alpha and beta (issue 15 point
9), with mpmath at 60 significant digits.

Run:  /usr/bin/python3 tests/data/pnbd/make_tiny_T.py > tests/data/pnbd/tiny_T.json

For each case (parameters r, alpha, s, beta; customer x, t_x, T):
  "loglik"    log L from Fader & Hardie (2005) eq. 22 with mpmath's hyp2f1
              (the closed form of make_hard_cases.py), checked against direct
              quadrature of s Int_{t_x}^T (alpha+w)^-(r+x) (beta+w)^-(s+1) dw:
              the script stops if they differ by more than 1e-40 relative;
  "grad_log"  d log L / d log(r, alpha, s, beta), mp.diff of the closed form,
              checked the same way against mp.diff of the quadrature form
              (1e-30 relative to the largest component);
  "p_alive"   P(alive at T), F&H eq. 18.
The closed form subtracts two nearly equal 2F1 terms when T - t_x is tiny;
60 digits leave more than 40 after the loss at T = 1e-12.  Every number is a
decimal string with 30 significant digits; inputs are exact doubles.
"""
import json
import sys

import mpmath as mp

mp.mp.dps = 60


def s30(v):
    return mp.nstr(mp.mpf(v), 30)


def closed_form(r, a, s, b, x, tx, T):
    """log L and P(alive) from F&H (2005) eq. 22 with mpmath's hyp2f1."""
    p = r + x
    A = r + s + x
    if a >= b:
        m, bb = a, s + 1
    else:
        m, bb = b, p
    F = lambda u: mp.hyp2f1(A, bb, A + 1, abs(a - b) / (m + u)) / (m + u) ** A
    first = (a + T) ** (-p) * (b + T) ** (-s)
    L2 = first + s / A * (F(tx) - F(T))
    lc = mp.loggamma(p) - mp.loggamma(r) + r * mp.log(a) + s * mp.log(b)
    return lc + mp.log(L2), first / L2


def by_quadrature(r, a, s, b, x, tx, T):
    """log L from the integral form, the integral by Gauss-Legendre quadrature
    (T - t_x is tiny against alpha and beta in every case here except the
    t_x-tiny ones, where [t_x, T] is split geometrically)."""
    p = r + x
    f = lambda w: (a + w) ** (-p) * (b + w) ** (-(s + 1))
    if T > tx:
        pts = [tx]
        step = (T - tx) if T - tx < 1 else mp.mpf(1) / 64
        while pts[-1] + step < T:
            pts.append(pts[-1] + step)
            step *= 2
        pts.append(T)
        I = mp.quad(f, pts)
    else:
        I = mp.mpf(0)
    first = (a + T) ** (-p) * (b + T) ** (-s)
    lc = mp.loggamma(p) - mp.loggamma(r) + r * mp.log(a) + s * mp.log(b)
    return lc + mp.log(first + s * I)


def grad_log(fun, th, x, tx, T):
    g = []
    for k in range(4):
        def h(lt, k=k):
            t = list(th)
            t[k] = mp.exp(lt)
            return fun(t[0], t[1], t[2], t[3], x, tx, T)
        g.append(mp.diff(h, mp.log(th[k])))
    return g


def first(v):
    return v[0] if isinstance(v, tuple) else v


def case(name, par, x, tx, T):
    th = [mp.mpf(v) for v in par]
    X, TX, TT = mp.mpf(x), mp.mpf(tx), mp.mpf(T)
    ll, pa = closed_form(*th, X, TX, TT)
    ll_q = by_quadrature(*th, X, TX, TT)
    if abs(ll - ll_q) > mp.mpf(10) ** -40 * abs(ll):
        sys.exit("%s: closed form and quadrature disagree: %s vs %s" % (name, ll, ll_q))
    g = grad_log(lambda *a: first(closed_form(*a)), th, X, TX, TT)
    g_q = grad_log(by_quadrature, th, X, TX, TT)
    gmax = max(abs(v) for v in g)
    for k in range(4):
        if abs(g[k] - g_q[k]) > mp.mpf(10) ** -30 * gmax:
            sys.exit("%s: gradient %d: closed form and quadrature disagree: %s vs %s" % (name, k, g[k], g_q[k]))
    return {"name": name, "params": list(par), "x": x, "t_x": tx, "T": T, "loglik": s30(ll),
            "p_alive": s30(pa), "grad_log": [s30(v) for v in g]}


MLE = (0.5532755087, 10.57761224, 0.6062135687, 11.66791124)
OTHER = {
    "alpha_lt_beta": (0.8, 2.0, 1.3, 40.0),
    "alpha_gt_beta": (2.5, 30.0, 0.4, 3.0),
    "s_one": (1.0, 5.0, 1.0, 8.0),
}


def cases():
    out = []
    for T in (1e-4, 1e-6, 1e-8, 1e-10, 1e-12):
        out.append(("mle_x0_T%g" % T, MLE, 0, 0.0, T))
        out.append(("mle_x1_T%g" % T, MLE, 1, T / 2, T))
        out.append(("mle_x3_txT_T%g" % T, MLE, 3, T, T))
        out.append(("mle_x2_tx0.999_T%g" % T, MLE, 2, T * 0.999, T))
    for key, par in OTHER.items():
        for T in (1e-6, 1e-9):
            out.append(("%s_x0_T%g" % (key, T), par, 0, 0.0, T))
            out.append(("%s_x4_T%g" % (key, T), par, 4, T / 4, T))
    # t_x tiny, T not: the log1p(t_x / alpha) forms
    out.append(("mle_x1_tx1e-9_T39", MLE, 1, 1e-9, 39.0))
    out.append(("mle_x5_tx1e-7_T1", MLE, 5, 1e-7, 1.0))
    # T small relative to large alpha and beta, not in absolute terms
    out.append(("large_ab_x0_T1", (0.7, 3e6, 0.9, 5e6), 0, 0.0, 1.0))
    out.append(("large_ab_x2_T1", (0.7, 3e6, 0.9, 5e6), 2, 0.5, 1.0))
    return out


def main():
    res = {
        "schema_version": 1,
        "generated_by": "tests/data/pnbd/make_tiny_T.py (mpmath %s, dps=%d)" % (mp.__version__, mp.mp.dps),
        "parameter_order": ["r", "alpha", "s", "beta"],
        "customers": [case(*c) for c in cases()],
    }
    json.dump(res, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
