#!/usr/bin/python3
"""Generate the two ingest benchmark files of issue 11 (fixed seed, numpy).

  gen_data.py events OUT.csv [--customers N]   id,date,sales transaction log
  gen_data.py glm OUT.csv [--rows N]           y,x1..x20 Poisson design

events: N customers (default 10^6) with integer ids, first purchases spread
over 1997-01-01 .. 1997-03-31 and repeat purchases from a Pareto/NBD-like
process (gamma heterogeneity, exponential lifetimes) until 1998-06-30, as
the CDNOW log; about 2.8 transactions per customer, ~66 MB at 10^6
customers; rows are shuffled by day blocks, not sorted by id.
glm: N rows (default 10^6) of 20 standard normal covariates printed with 11
significant digits and y ~ Poisson(exp(0.5 + x b)), b_j = 0.05 (-1)^j;
~278 MB at 10^6 rows.
"""
import argparse
import numpy as np

DAY0 = np.datetime64("1997-01-01")
NDAYS = int((np.datetime64("1998-06-30") - DAY0) / np.timedelta64(1, "D")) + 1


def events(out, n, rng):
    first = rng.integers(0, 90, n)
    lam = rng.gamma(0.55, 1 / 10.6, n)         # purchases per week (r, alpha of CDNOW)
    mu = rng.gamma(0.6, 1 / 11.7, n)           # dropout rate per week (s, beta)
    life = rng.exponential(1 / mu)             # weeks alive
    horizon = np.minimum((NDAYS - first) / 7.0, life)
    nrep = rng.poisson(lam * horizon)
    nrep = np.minimum(nrep, 200)
    ids = np.repeat(np.arange(1, n + 1), 1 + nrep)
    day = np.repeat(first.astype(np.float64), 1 + nrep)
    # repeat purchases: uniform over each customer's alive window
    span = np.repeat(horizon * 7.0, 1 + nrep)
    isrep = np.ones(ids.size, bool)
    starts = np.concatenate(([0], np.cumsum(1 + nrep)[:-1]))
    isrep[starts] = False
    day[isrep] += rng.uniform(0, 1, isrep.sum()) * span[isrep]
    day = np.minimum(day.astype(np.int64), NDAYS - 1)
    order = np.argsort(day, kind="stable")    # a log is written in time order
    ids, day = ids[order], day[order]
    sales = np.round(rng.gamma(2.0, 18.0, ids.size), 2)
    dates = (DAY0 + day.astype("timedelta64[D]")).astype(str)
    with open(out, "w") as f:
        f.write("id,date,sales\n")
        chunk = 1 << 20
        for a in range(0, ids.size, chunk):
            b = min(a + chunk, ids.size)
            f.write("".join(f"{i},{d},{s:.2f}\n" for i, d, s in zip(ids[a:b], dates[a:b], sales[a:b])))


def glm(out, n, rng):
    p = 20
    beta = 0.05 * (-1.0) ** np.arange(p)
    with open(out, "w") as f:
        f.write("y," + ",".join(f"x{j + 1}" for j in range(p)) + "\n")
        chunk = 1 << 16
        for a in range(0, n, chunk):
            m = min(chunk, n - a)
            X = rng.standard_normal((m, p))
            y = rng.poisson(np.exp(0.5 + X @ beta))
            np.savetxt(f, np.column_stack((y, X)), fmt=["%d"] + ["%.11g"] * p, delimiter=",")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=["events", "glm"])
    ap.add_argument("out")
    ap.add_argument("--customers", type=int, default=10**6)
    ap.add_argument("--rows", type=int, default=10**6)
    a = ap.parse_args()
    rng = np.random.default_rng(20261203)
    if a.what == "events":
        events(a.out, a.customers, rng)
    else:
        glm(a.out, a.rows, rng)


if __name__ == "__main__":
    main()
