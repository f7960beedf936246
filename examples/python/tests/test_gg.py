"""Gamma-Gamma through Python against the mpmath CLV reference for CDNOW
(tests/data/clv/shared.json; its README: tests/data/clv/REFERENCE_README.md).

Tolerances: issue 13's: p, q, gamma within 1e-6 relative, log-likelihood
1e-8 relative, standard errors 1e-4; conditional spend of ids 1..10 at the
given GG_MLE12 parameters 1e-8.  Round trip through bytes and pickle.
"""
import pickle

import numpy as np
import pytest

from conftest import DATA, TEST_DATA, assert_rel, read_csv, read_json

REF = read_json(TEST_DATA / "clv" / "shared.json")


@pytest.fixture(scope="module")
def spend():
    header, d = read_csv(DATA / "cdnow_spend.csv")
    assert header == ["id", "x", "m_x"]
    return d


def test_fit_against_reference(occam, spend):
    m = occam.GammaGamma().fit(spend[:, 1], spend[:, 2])
    mle = REF["gamma_gamma"]["mle"]
    for k in ("p", "q", "gamma"):
        assert_rel(m.params[k], mle["params"][k], 1e-6, k)
    assert_rel(m.std_errors, np.array([mle["std_errors"][k] for k in ("p", "q", "gamma")]), 1e-4, "SEs")
    assert_rel(m.loglik, mle["loglik"], 1e-8, "loglik")
    assert m.nobs == 946 and m.converged
    x, mx = spend[:, 1], spend[:, 2]
    keep = x > 0
    assert_rel(m.correlation, np.corrcoef(x[keep], mx[keep])[0, 1], 1e-12, "correlation")
    assert "Gamma-Gamma spend model" in m.summary()
    m2 = occam.loads(m.to_bytes())
    assert isinstance(m2, occam.GammaGamma)
    assert np.array_equal(m2.conditional_expected_spend(x, mx), m.conditional_expected_spend(x, mx))
    m3 = pickle.loads(pickle.dumps(m))
    assert m3.params == m.params


def test_conditional_spend(occam):
    v = REF["parameter_sets"]["GG_MLE12"]["exact_decimal"]
    m = occam.GammaGamma.from_params(float(v["p"]), float(v["q"]), float(v["gamma"]))
    cust = REF["customers"]
    got = m.conditional_expected_spend([c["x"] for c in cust], [float(c["m_x_text"]) for c in cust])
    assert_rel(got, np.array([c["cond_spend"]["GG_MLE12"] for c in cust]), 1e-8, "E[M | x, m_x]")


def test_errors(occam):
    with pytest.raises(occam.OccamError):
        occam.GammaGamma().fit([1, 2], [10, 0])  # m_x = 0 with x = 2
    with pytest.raises(occam.OccamError):
        occam.GammaGamma.from_params(1, -1, 2)
