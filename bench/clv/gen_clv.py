#!/usr/bin/python3
"""Customer summaries for the CLV bench of issue 13 (fixed seed, numpy).

  gen_clv.py OUT.csv [--customers N]     id,x,t_x,T,m_x

N customers (default 10^6) drawn from the Pareto/NBD and Gamma-Gamma models
at CDNOW-like parameters (r 0.55, alpha 10.6, s 0.6, beta 11.7 in weeks;
p 6.25, q 3.74, gamma 15.44), first purchases on the first 84 days of a
calibration period ending on day 272 (as CDNOW: 1997-01-01 .. 1997-09-30):
x repeat purchases, t_x the last one's time, T the time since the first,
m_x the mean value of the x repeat purchases (0 when x = 0), in weeks of
whole days (days / 7, as summaries of a dated transaction log are) and
dollars.  --continuous-T draws T and t_x as real numbers instead (every
customer's T distinct).
"""
import argparse
import numpy as np


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--customers", type=int, default=10**6)
    ap.add_argument("--continuous-T", action="store_true")
    a = ap.parse_args()
    rng = np.random.default_rng(20261203)
    n = a.customers
    birth = rng.integers(0, 84, n)
    T = (272 - birth) / 7.0 if not a.continuous_T else 39.0 + rng.uniform(0, 12, n)
    lam = rng.gamma(0.55, 1 / 10.6, n)
    mu = rng.gamma(0.6, 1 / 11.7, n)
    alive = np.minimum(rng.exponential(1 / mu), T)
    x = np.minimum(rng.poisson(lam * alive), 400)
    # the last of x uniform purchase times in (0, alive): alive * U^(1/x)
    tx = np.where(x > 0, alive * rng.uniform(0, 1, n) ** (1 / np.maximum(x, 1)), 0.0)
    if not a.continuous_T:  # whole days
        tx = np.floor(tx * 7.0) / 7.0
        x = np.where(tx > 0, x, 0)
    nu = rng.gamma(3.74, 1 / 15.44, n)                 # Gamma-Gamma: rate of the spend per customer
    mx = np.where(x > 0, rng.gamma(6.25 * np.maximum(x, 1), 1 / nu) / np.maximum(x, 1), 0.0)
    with open(a.out, "w") as f:
        f.write("id,x,t_x,T,m_x\n")
        chunk = 1 << 16
        for s in range(0, n, chunk):
            e = min(n, s + chunk)
            f.write("".join(f"{i},{xi},{ti:.4f},{Ti:.4f},{mi:.4f}\n" for i, xi, ti, Ti, mi in
                            zip(range(s + 1, e + 1), x[s:e], tx[s:e], T[s:e], mx[s:e])))


if __name__ == "__main__":
    main()
