#!/usr/bin/python3
"""The peers' side of bench/ingest/run.sh, pandas.

  peers_pandas.py events FILE CAL_END   read_csv + drop_duplicates(id, date)
                                        + groupby min/max/size -> (x, t_x, T) per customer
  peers_pandas.py glm FILE              read_csv of the numeric matrix

Prints one line "pandas <what> <seconds>" (wall time of the work, after the
import); the caller measures peak RSS with /usr/bin/time.
"""
import sys
import time

import pandas as pd


def events(path, cal_end):
    t0 = time.perf_counter()
    d = pd.read_csv(path, usecols=["id", "date"], parse_dates=["date"], engine="c")
    d = d.drop_duplicates(["id", "date"])
    g = d.groupby("id")["date"].agg(["min", "max", "size"])
    end = pd.Timestamp(cal_end)
    x = g["size"] - 1
    t_x = (g["max"] - g["min"]).dt.days / 7.0
    T = (end - g["min"]).dt.days / 7.0
    assert len(x) == len(t_x) == len(T)
    return time.perf_counter() - t0, len(g)


def glm(path):
    t0 = time.perf_counter()
    d = pd.read_csv(path, engine="c")
    m = d.to_numpy(dtype=float)
    return time.perf_counter() - t0, m.shape[0]


if __name__ == "__main__":
    what = sys.argv[1]
    sec, n = events(sys.argv[2], sys.argv[3]) if what == "events" else glm(sys.argv[2])
    print(f"pandas {what} {sec:.3f} {n}")
