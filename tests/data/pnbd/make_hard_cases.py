#!/usr/bin/python3
"""Generate hard_cases.json: high-precision Pareto/NBD reference values for
inputs beyond cdnow_reference.json (issue 4, item 1), with mpmath at 50
significant digits.

Run:  /usr/bin/python3 tests/data/pnbd/make_hard_cases.py > tests/data/pnbd/hard_cases.json

Contents
  "h2f1":      S(e, c, z) = 2F1(1, e; c; z) and dS/de, dS/dc, dS/dz (mpmath
               hyp2f1 and mp.diff), z given with its exact complement zc.
  "customers": per-customer log-likelihood, P(alive), gradient over
               log(r, alpha, s, beta), E[X(T, T+52)], for each hard input
               class.  loglik and P(alive) are computed twice, from Fader &
               Hardie's 2F1 closed form (eq. 22, with mpmath's hyp2f1) and by
               direct quadrature of s Int_{t_x}^T (alpha+w)^-(r+x)
               (beta+w)^-(s+1) dw; the script stops if they disagree beyond
               1e-30 relative.  The gradient is mp.diff of the closed form.
  "prob_n":    P(X(t) = n) for a new customer by quadrature of F&H (2006)'s
               integral form, and E[X(t)] (F&H 2005 eq. 17).
Every number is written as a decimal string with 25 significant digits.
"""
import json
import sys

import mpmath as mp

mp.mp.dps = 50


def s25(v):
    return mp.nstr(mp.mpf(v), 25)


# ------------------------------------------------------------------ 2F1(1,e;c;z)

def h2f1_case(e, c, zc):
    e, c, zc = mp.mpf(e), mp.mpf(c), mp.mpf(zc)
    z = 1 - zc
    f = lambda ee, cc, zz: mp.hyp2f1(1, ee, cc, zz)
    return {
        "e": float(e), "c": float(c), "z": float(z), "zc": float(zc),
        "S": s25(f(e, c, z)),
        "dS_de": s25(mp.diff(lambda t: f(t, c, z), e)),
        "dS_dc": s25(mp.diff(lambda t: f(e, t, z), c)),
        "dS_dz": s25(mp.diff(lambda t: f(e, c, t), z)),
    }


# zc chosen so that both zc and z = 1 - zc are exact doubles
H2F1 = [
    (0.5, 2.1, 0.75), (3.0, 3.5, 0.25), (0.001, 1.002, 0.5), (0.001, 1.002, 2**-4),
    (1e4 + 0.5, 1e4 + 1.1, 0.5), (1e4 + 0.5, 1e4 + 1.1, 2**-10), (1e4, 1e4 + 0.1, 2**-23),
    (1.0, 2.0, 2**-20),          # s = 1 in the alpha >= beta branch: c - 1 - e = 0
    (2.0, 1e4, 2**-30),          # e small against c
    (0.55, 10.2, 2**-6), (0.55, 10.2, 0.875), (5.5, 6.5, 2**-40),
    (1e-3, 2e4, 2**-3), (20000.0, 20000.001, 0.5), (0.3, 1.2, 1.0),
]


# ------------------------------------------------------------------ customers

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
    A0 = F(tx) - F(T)
    L2 = first + s / A * A0
    lc = mp.loggamma(p) - mp.loggamma(r) + r * mp.log(a) + s * mp.log(b)
    return lc + mp.log(L2), first / L2


def by_quadrature(r, a, s, b, x, tx, T):
    p = r + x
    lf = lambda w: -p * mp.log(a + w) - (s + 1) * mp.log(b + w)
    l0 = lf(tx)
    f = lambda w: mp.exp(lf(w) - l0)  # <= 1, decreasing
    if T > tx:
        # the integrand decays on the scale 1/|d lf/dw| at t_x: fine steps
        # over the first 200 scales, then steps doubling up to T
        scale = 1 / (p / (a + tx) + (s + 1) / (b + tx))
        pts = [tx + scale * k / 4 for k in range(801)]
        pts = [q for q in pts if q < T]
        step = scale
        while pts[-1] + step < T:
            pts.append(pts[-1] + step)
            step *= 2
        pts.append(T)
        I = mp.quad(f, pts) * mp.exp(l0)
    else:
        I = mp.mpf(0)
    first = (a + T) ** (-p) * (b + T) ** (-s)
    L2 = first + s * I
    lc = mp.loggamma(p) - mp.loggamma(r) + r * mp.log(a) + s * mp.log(b)
    return lc + mp.log(L2), first / L2


def cond_exp(r, a, s, b, x, T, t, palive):
    if s == 1:
        return palive * (r + x) / (a + T) * (b + T) * mp.log((b + T + t) / (b + T))
    return palive * (r + x) * (b + T) / ((a + T) * (s - 1)) * (1 - ((b + T) / (b + T + t)) ** (s - 1))


def customer_case(name, cls, r, a, s, b, x, tx, T):
    R, Al, S_, B = (mp.mpf(v) for v in (r, a, s, b))
    X, TX, TT = mp.mpf(x), mp.mpf(tx), mp.mpf(T)
    ll, pa = closed_form(R, Al, S_, B, X, TX, TT)
    ll2, pa2 = by_quadrature(R, Al, S_, B, X, TX, TT)
    if abs(ll - ll2) > mp.mpf(10) ** -30 * max(1, abs(ll)) or abs(pa - pa2) > mp.mpf(10) ** -30 * pa:
        sys.exit("closed form and quadrature disagree for %s: %s %s / %s %s" % (name, ll, ll2, pa, pa2))
    th = [R, Al, S_, B]
    grad = []
    for k in range(4):
        def g(lt, k=k):
            t = list(th)
            t[k] = mp.exp(lt)
            return closed_form(t[0], t[1], t[2], t[3], X, TX, TT)[0]
        grad.append(s25(mp.diff(g, mp.log(th[k]))))
    return {
        "name": name, "class": cls, "params": [r, a, s, b], "x": x, "t_x": tx, "T": T,
        "loglik": s25(ll), "p_alive": s25(pa), "grad_log": grad,
        "cond_exp_52": s25(cond_exp(R, Al, S_, B, X, TT, mp.mpf(52), pa)),
    }


MLE = (0.5532755087, 10.57761224, 0.6062135687, 11.66791124)
CUSTOMERS = [
    ("x1e4", "x_large", *MLE, 10000, 30.0, 38.86),
    ("x1e4_tx_near_T", "x_large", *MLE, 10000, 38.85, 38.86),
    ("x2e4", "x_large", 0.2, 3.0, 0.5, 40.0, 20000, 5.0, 100.0),
    ("alpha_ll_beta", "alpha_ll_beta", 0.8, 1e-3, 0.7, 1e4, 5, 10.0, 40.0),
    ("alpha_ll_beta_x0", "alpha_ll_beta", 0.8, 1e-3, 0.7, 1e4, 0, 0.0, 40.0),
    ("alpha_gg_beta", "alpha_gg_beta", 0.8, 1e4, 0.7, 1e-3, 5, 10.0, 40.0),
    ("alpha_gg_beta_x0", "alpha_gg_beta", 0.8, 1e4, 0.7, 1e-3, 0, 0.0, 40.0),
    ("alpha_gg_beta_x1e4", "alpha_gg_beta", 0.8, 1e4, 0.7, 1e-3, 10000, 10.0, 40.0),
    ("alpha_ll_beta_x1e4", "alpha_ll_beta", 0.8, 1e-3, 0.7, 1e4, 10000, 10.0, 40.0),
    ("alpha_eq_beta", "alpha_eq_beta", 0.55, 10.5, 0.6, 10.5, 3, 20.0, 39.0),
    ("alpha_eq_beta_x0", "alpha_eq_beta", 0.55, 10.5, 0.6, 10.5, 0, 0.0, 39.0),
    ("alpha_1ulp_beta", "alpha_eq_beta", 0.55, 10.5, 0.6, 10.500000000000002, 3, 20.0, 39.0),
    ("rsx_large", "rsx_large", 1e4, 50.0, 1e4, 80.0, 100, 30.0, 39.0),
    ("rsx_large_x1e4", "rsx_large", 5e3, 2.0, 5e3, 3.0, 10000, 30.0, 39.0),
    ("params_1e-3", "params_small", 1e-3, 1e-3, 1e-3, 1e-3, 2, 5.0, 40.0),
    ("params_1e-3_x0", "params_small", 1e-3, 1e-3, 1e-3, 1e-3, 0, 0.0, 1000.0),
    ("params_1e4", "params_large", 1e4, 1e4, 1e4, 1e4, 3, 1.0, 2.0),
    ("params_mixed", "params_mixed", 1e-3, 1e4, 1e4, 1e-3, 7, 30.0, 40.0),
    ("params_mixed2", "params_mixed", 1e4, 1e-3, 1e-3, 1e4, 7, 30.0, 40.0),
    ("tx0_x0", "tx_zero", *MLE, 0, 0.0, 38.86),
    ("tx0_x3", "tx_zero", *MLE, 3, 0.0, 38.86),
    ("tiny_T", "tiny_T", *MLE, 0, 0.0, 1e-8),
    ("tiny_T_x1", "tiny_T", *MLE, 1, 5e-7, 1e-6),
    ("T_zero", "tiny_T", *MLE, 0, 0.0, 0.0),
    ("tx_eq_T", "tx_eq_T", *MLE, 5, 30.0, 30.0),
    ("s_one_r_one", "integer_params", 1.0, 10.0, 1.0, 5.0, 4, 20.0, 39.0),
    ("s_two", "integer_params", 2.0, 5.0, 2.0, 10.0, 4, 20.0, 39.0),
    ("huge_T", "huge_T", *MLE, 50, 9e4, 1e5),
]


# ------------------------------------------------------------------ P(X(t)=n)

def prob_n(r, a, s, b, n, t):
    r, a, s, b, n, t = (mp.mpf(v) for v in (r, a, s, b, n, t))
    c = mp.exp(mp.loggamma(r + n) - mp.loggamma(r) - mp.loggamma(n + 1)) * a ** r * b ** s
    first = t ** n * (a + t) ** (-(r + n)) * (b + t) ** (-s) if t > 0 else (1 if n == 0 else 0)
    f = lambda u: u ** n * (a + u) ** (-(r + n)) * (b + u) ** (-(s + 1))
    pts = [0] + [t * mp.mpf(2) ** -k for k in range(40, 0, -1)] + [t]
    I = mp.quad(f, pts) if t > 0 else 0
    return c * (first + s * I)


def expected_new(r, a, s, b, t):
    r, a, s, b, t = (mp.mpf(v) for v in (r, a, s, b, t))
    if s == 1:
        return r * b / a * mp.log(1 + t / b)
    return r * b / (a * (s - 1)) * (1 - (b / (b + t)) ** (s - 1))


PROB = [(MLE, n, t) for t in (1.0, 39.0, 78.0) for n in (0, 1, 2, 5, 10)]
PROB += [((0.8, 1e-3, 0.7, 1e4), 3, 40.0), ((0.8, 1e4, 0.7, 1e-3), 3, 40.0), ((1.0, 10.0, 1.0, 5.0), 2, 39.0),
         ((2.0, 1.0, 0.5, 3.0), 40, 20.0)]


def main():
    out = {
        "schema_version": 1,
        "generated_by": "tests/data/pnbd/make_hard_cases.py (mpmath %s, dps=%d)" % (mp.__version__, mp.mp.dps),
        "parameter_order": ["r", "alpha", "s", "beta"],
        "h2f1": [h2f1_case(*c) for c in H2F1],
        "customers": [customer_case(*c) for c in CUSTOMERS],
        "prob_n": [{"params": list(p), "n": n, "t": t, "value": s25(prob_n(*p, n, t)),
                    "expected_new": s25(expected_new(*p, t))} for p, n, t in PROB],
    }
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
