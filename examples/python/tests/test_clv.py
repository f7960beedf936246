"""Pareto/NBD DERT through Python against the CLV reference
(tests/data/clv/shared.json, mpmath at 60 digits; its REFERENCE_README.md).

Tolerances: the reference README's double-precision ones, tighter than the
issue's 1e-8 contract: DERT of CDNOW ids 1..10 1e-11 relative, the stress
rows (beta = 1e4 and 1e6, s = 1, delta = 1e-6, ...) 1e-10 relative.
"""
import math

import numpy as np

from conftest import TEST_DATA, assert_rel, read_json

CLV = read_json(TEST_DATA / "clv" / "shared.json")
ORDER = ("r", "alpha", "s", "beta")


def delta_of(text):
    return math.log(1.15) / 52 if text == "ln(1.15)/52" else float(text)


def test_dert_cdnow_customers(occam):
    p = CLV["parameter_sets"]["PNBD_MLE10"]["exact_decimal"]
    m = occam.ParetoNBD.from_params(*(float(p[k]) for k in ORDER))
    cust = CLV["customers"]
    x = np.array([c["x"] for c in cust], dtype=float)
    t_x = np.array([float(c["t_x"]) for c in cust])
    T = np.array([float(c["T"]) for c in cust])
    assert_rel(m.dert(delta_of("ln(1.15)/52"), x, t_x, T), [float(c["dert_15pct_str"]) for c in cust], 1e-11,
               "DERT 15%/year")
    for d in ("0.01", "0.1"):
        assert_rel(m.dert(float(d), x, t_x, T), [c["dert"][d] for c in cust], 1e-11, f"DERT delta {d}")


def test_dert_stress_rows(occam):
    for row in CLV["dert_stress"]:
        m = occam.ParetoNBD.from_params(*(float(row["params"][k]) for k in ORDER))
        got = m.dert(delta_of(row["delta"]), [float(row["x"])], [float(row["t_x"])], [float(row["T"])])
        assert np.isfinite(got).all(), row["case"]
        assert_rel(got, [float(row["dert_str"])], 1e-10, row["case"])
