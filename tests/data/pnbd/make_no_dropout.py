#!/usr/bin/python3
"""Customers without dropout, and the reference values of their fit at the
Pareto/NBD's no-dropout limit (issue 15 point 4).

  /usr/bin/python3 tests/data/pnbd/make_no_dropout.py csv [N] [SEED] > FILE.csv
  /usr/bin/python3 tests/data/pnbd/make_no_dropout.py ref FILE.csv > FILE.json

csv: N customers (default 1200, seed default 3) who never lapse: purchase
     rate lambda ~ Gamma(r = 0.55, rate alpha = 10.5) (CDNOW-like, weeks),
     first purchase on a uniform day of a 12-week window, calibration end at
     day 272 (T = (272 - day)/7), repeat purchases a Poisson process of rate
     lambda on (0, T]; x = their number, t_x = the last one's time (0 if
     none).  Columns id,x,t_x,T; times rounded to 6 decimals (t_x <= T kept).
     Python's random.Random(SEED): reproducible.
     tests/data/pnbd/no_dropout_1200.csv = `csv 1200 3`.
ref: with mpmath at 60 digits, the NBD model's MLE -- the Pareto/NBD limit
     s, beta -> Inf, s/beta -> 0, log L = lgamma(r+x) - lgamma(r)
     + r log alpha - (r+x) log(alpha+T) (Fader & Hardie 2005, eq. 22 without
     dropout) -- by Newton's method on its score equations
         sum digamma(r+x) - digamma(r) + log(alpha/(alpha+T)) = 0,
         sum r/alpha - (r+x)/(alpha+T) = 0,
     its log-likelihood, the standard errors of (r, alpha) from the inverse
     observed information, and the dropout score
         D = sum (alpha+T) [((alpha+T)/(alpha+t_x))^(r+x-1) - 1]/(r+x-1) - T
     (d log L / d(s/beta) at s/beta = 0, any s; D <= 0: no small dropout
     raises the likelihood).  Also P(X(t) = n) of the NBD at the MLE for a
     few (n, t), and E[X(T, T+39) | x, T] = (r+x) 39 / (alpha+T) of the first
     five customers.  Numbers as decimal strings with 30 digits.
"""
import csv
import json
import random
import sys

import mpmath as mp

mp.mp.dps = 60


def simulate(n, seed):
    rng = random.Random(seed)
    r, alpha = 0.55, 10.5
    out = ["id,x,t_x,T"]
    for i in range(n):
        day = rng.randrange(84)
        T = (272 - day) / 7.0
        lam = rng.gammavariate(r, 1.0 / alpha)
        t, last, x = 0.0, 0.0, 0
        while True:
            t += rng.expovariate(lam)
            if t > T:
                break
            x += 1
            last = t
        out.append("%d,%d,%.6f,%.6f" % (i + 1, x, last, T))
    return "\n".join(out) + "\n"


def s30(v):
    return mp.nstr(mp.mpf(v), 30)


def reference(path):
    rows = [(int(d["x"]), mp.mpf(d["t_x"]), mp.mpf(d["T"])) for d in csv.DictReader(open(path))]

    def score(r, a):
        gr = sum(mp.digamma(r + x) - mp.digamma(r) + mp.log(a / (a + T)) for x, _, T in rows)
        ga = sum(r / a - (r + x) / (a + T) for x, _, T in rows)
        return gr, ga

    def info(r, a):  # minus the Hessian of log L
        hrr = -sum(mp.psi(1, r + x) - mp.psi(1, r) for x, _, T in rows)
        hra = -sum(1 / a - 1 / (a + T) for x, _, T in rows)
        haa = -sum(-r / a ** 2 + (r + x) / (a + T) ** 2 for x, _, T in rows)
        return mp.matrix([[hrr, hra], [hra, haa]])

    th = mp.matrix([mp.mpf("0.55"), mp.mpf("10.5")])
    for _ in range(100):
        g = mp.matrix(score(th[0], th[1]))
        step = mp.lu_solve(info(th[0], th[1]), g)
        th = th + step
        if max(abs(step[0]) / th[0], abs(step[1]) / th[1]) < mp.mpf(10) ** -50:
            break
    else:
        sys.exit("Newton did not converge")
    r, a = th[0], th[1]
    ll = sum(mp.loggamma(r + x) - mp.loggamma(r) + r * mp.log(a) - (r + x) * mp.log(a + T) for x, _, T in rows)
    V = info(r, a) ** -1
    D = mp.mpf(0)
    for x, tx, T in rows:
        p = r + x
        if p == 1:
            D += (a + T) * mp.log((a + T) / (a + tx)) - T
        else:
            D += (a + T) * (((a + T) / (a + tx)) ** (p - 1) - 1) / (p - 1) - T
    pmf = []
    for n, t in ((0, 1.0), (1, 10.0), (3, 39.0), (10, 78.0)):
        pn = mp.exp(mp.loggamma(r + n) - mp.loggamma(r) - mp.loggamma(n + 1)) * (a / (a + t)) ** r * (t / (a + t)) ** n
        pmf.append({"n": n, "t": t, "value": s30(pn), "expected_new": s30(r * t / a)})
    cond = [{"x": int(x), "t_x": float(tx), "T": float(T), "cond_exp_39": s30((r + x) * 39 / (a + T))}
            for x, tx, T in rows[:5]]
    return {
        "schema_version": 1,
        "generated_by": "tests/data/pnbd/make_no_dropout.py ref (mpmath %s, dps=%d)" % (mp.__version__, mp.mp.dps),
        "data": path.split("/")[-1], "n": len(rows),
        "nbd_mle": {"r": s30(r), "alpha": s30(a), "loglik": s30(ll),
                    "se_r": s30(mp.sqrt(V[0, 0])), "se_alpha": s30(mp.sqrt(V[1, 1])), "cov_r_alpha": s30(V[0, 1])},
        "dropout_score": s30(D),
        "pmf": pmf, "cond_exp": cond,
    }


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == "csv":
        n = int(sys.argv[2]) if len(sys.argv) > 2 else 1200
        seed = int(sys.argv[3]) if len(sys.argv) > 3 else 3
        sys.stdout.write(simulate(n, seed))
    elif len(sys.argv) == 3 and sys.argv[1] == "ref":
        json.dump(reference(sys.argv[2]), sys.stdout, indent=1)
        sys.stdout.write("\n")
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
