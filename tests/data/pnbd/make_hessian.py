#!/usr/bin/python3
"""Generate hessian.json: second derivatives for the analytic Hessian of the
Pareto/NBD log-likelihood (issue 16 point 4), with mpmath at 50 significant
digits.

Run:  /usr/bin/python3 tests/data/pnbd/make_hessian.py > tests/data/pnbd/hessian.json

Contents
  "h2f1":      S(e, c, z) = 2F1(1, e; c; z) and its six second partial
               derivatives d2S/de2, d2S/de dc, d2S/dc2, d2S/de dz, d2S/dc dz,
               d2S/dz2 (mp.diff of mpmath's hyp2f1) at the cases of
               make_hard_cases.py.
  "customers": per-customer log-likelihood, gradient and Hessian over
               log(r, alpha, s, beta) (mp.diff of Fader & Hardie's 2F1 closed
               form, make_hard_cases.closed_form, which that script checks
               against direct quadrature to 1e-30), at make_hard_cases'
               hard inputs plus CDNOW-like rows in the short-window form
               (t_x close to T) and next to it.
Every number is written as a decimal string with 25 significant digits.
"""
import json
import os
import sys

import mpmath as mp

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_hard_cases as hc  # noqa: E402

mp.mp.dps = 50
s25 = hc.s25

H2F1_D2 = [("e", "e"), ("e", "c"), ("c", "c"), ("e", "z"), ("c", "z"), ("z", "z")]


def h2f1_d2_case(e, c, zc):
    e, c, zc = mp.mpf(e), mp.mpf(c), mp.mpf(zc)
    z = 1 - zc
    at = {"e": e, "c": c, "z": z}
    out = {"e": float(e), "c": float(c), "z": float(z), "zc": float(zc), "S": s25(mp.hyp2f1(1, e, c, z))}
    names = ["e", "c", "z"]
    for a, b in H2F1_D2:
        order = tuple(int(n == a) + int(n == b) for n in names)
        f = lambda ee, cc, zz: mp.hyp2f1(1, ee, cc, zz)
        out["d2S_d%sd%s" % (a, b)] = s25(mp.diff(f, (at["e"], at["c"], at["z"]), order))
    return out


def customer_hessian(name, cls, r, a, s, b, x, tx, T):
    th = [mp.log(mp.mpf(v)) for v in (r, a, s, b)]
    X, TX, TT = mp.mpf(x), mp.mpf(tx), mp.mpf(T)

    def f(l0, l1, l2, l3):
        return hc.closed_form(mp.exp(l0), mp.exp(l1), mp.exp(l2), mp.exp(l3), X, TX, TT)[0]

    grad = []
    for k in range(4):
        order = tuple(int(i == k) for i in range(4))
        grad.append(s25(mp.diff(f, th, order)))
    hess = [[None] * 4 for _ in range(4)]
    for i in range(4):
        for j in range(i, 4):
            order = tuple(int(m == i) + int(m == j) for m in range(4))
            v = s25(mp.diff(f, th, order))
            hess[i][j] = hess[j][i] = v
    return {"name": name, "class": cls, "params": [r, a, s, b], "x": x, "t_x": tx, "T": T,
            "loglik": s25(f(*th)), "grad_log": grad, "hess_log": hess}


MLE = hc.MLE
EXTRA = [
    ("cdnow_like", "general", *MLE, 2, 30.43, 38.86),
    ("short_x2", "short_window", *MLE, 2, 38.0, 38.86),
    ("short_x10", "short_window", *MLE, 10, 38.5, 38.86),
    ("general_x1", "general", *MLE, 1, 1.71, 38.86),
    ("beta_gt_alpha", "general", 0.553, 10.578, 0.606, 31.669, 4, 20.0, 38.86),
    ("alpha_gt_beta", "general", 0.553, 12.578, 0.606, 3.669, 4, 20.0, 38.86),
    ("quad_branch", "quadrature", 2.5, 0.5, 1.3, 0.02, 0, 0.0, 38.86),
]


def main():
    cases = hc.CUSTOMERS + EXTRA
    out = {
        "schema_version": 1,
        "generated_by": "tests/data/pnbd/make_hessian.py (mpmath %s, dps=%d)" % (mp.__version__, mp.mp.dps),
        "parameter_order": ["r", "alpha", "s", "beta"],
        "h2f1": [h2f1_d2_case(*c) for c in hc.H2F1],
        "customers": [customer_hessian(*c) for c in cases],
    }
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
