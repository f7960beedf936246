"""Pareto/NBD through Python against the mpmath reference for CDNOW
(tests/data/pnbd/cdnow_reference.json, 60-digit values; README there).

Tolerances: the fit is the Pareto/NBD issue's acceptance (as
tests/check_pnbd_fit.c): r, alpha, s, beta relative 1e-7, log-likelihood
relative 1e-10, standard errors relative 1e-6.  At fixed parameters, the
reference README's double-precision tolerances: per-customer log-likelihood
1e-12 relative (absolute when |LL| < 1), P(alive) and expectations 1e-11
relative, total log-likelihood 1e-8 absolute.
"""
import pickle

import numpy as np
import pytest

from conftest import DATA, TEST_DATA, assert_rel, read_csv, read_json

REF = read_json(TEST_DATA / "pnbd" / "cdnow_reference.json")
ORDER = ("r", "alpha", "s", "beta")


@pytest.fixture(scope="module")
def cdnow():
    header, d = read_csv(DATA / "cdnow_summary.csv")
    assert header == ["id", "x", "t_x", "T"]
    return d  # C order; d[:, 1:] is the (x, t_x, T) view, rows 4 apart


@pytest.fixture(scope="module")
def fitted(occam, cdnow):
    return occam.ParetoNBD().fit(cdnow[:, 1:])


def params(name):
    return [REF["parameter_sets"][name]["values"][k] for k in ORDER]


def test_fit_matches_mle(fitted):
    mle = REF["mle"]["cdnow_summary"]
    assert_rel(fitted.coef, [float(mle["params_str"][k]) for k in ORDER], 1e-7, "r, alpha, s, beta")
    assert_rel(fitted.loglik, float(mle["loglik_str"]), 1e-10, "log-likelihood")
    assert_rel(fitted.std_errors, [mle["std_errors"][k] for k in ORDER], 1e-6, "standard errors")
    assert_rel(np.diag(fitted.vcov()), fitted.std_errors ** 2, 1e-12, "vcov diagonal")
    assert fitted.coef_names == list(ORDER)
    assert fitted.converged and fitted.nobs == REF["dataset"]["n_customers"]
    assert set(fitted.params) == set(ORDER) and all(isinstance(v, float) for v in fitted.params.values())
    assert fitted.r == fitted.params["r"]


def test_fit_from_three_vectors_and_weights(occam, cdnow, fitted):
    """The same optimum from separate x, t_x, T vectors, and from the distinct
    rows with their counts as weights (log-likelihood 1e-10, parameters 1e-7)."""
    m = occam.ParetoNBD().fit(cdnow[:, 1], cdnow[:, 2], cdnow[:, 3])
    assert_rel(m.coef, fitted.coef, 1e-7, "three vectors")
    rows, counts = np.unique(cdnow[:, 1:], axis=0, return_counts=True)
    assert rows.shape[0] < cdnow.shape[0]
    w = occam.ParetoNBD().fit(rows, weights=counts)
    assert_rel(w.loglik, fitted.loglik, 1e-10, "weighted log-likelihood")
    assert_rel(w.coef, fitted.coef, 1e-7, "weighted parameters")


@pytest.mark.parametrize("pset", list(REF["parameter_sets"]))
def test_customers_at_fixed_parameters(occam, pset):
    m = occam.ParetoNBD.from_params(*params(pset))
    cust = [c for c in REF["customers"] if c["params"] == pset]
    x = np.array([c["x"] for c in cust], dtype=float)
    t_x = np.array([c["t_x"] for c in cust])
    T = np.array([c["T"] for c in cust])
    ll = m.customer_loglik(x, t_x, T)
    for got, c in zip(ll, cust):
        want = float(c["loglik_str"])
        assert abs(got - want) <= 1e-12 * max(1.0, abs(want)), f"customer {c['id']} loglik"
    assert_rel(m.p_alive(x, t_x, T), [float(c["p_alive_str"]) for c in cust], 1e-11, "P(alive)")
    for t in ("39", "52"):
        assert_rel(m.conditional_expected(float(t), x, t_x, T), [c["cond_exp"][t] for c in cust], 1e-11,
                   f"E[X(T, T+{t})]")


@pytest.mark.parametrize("pset", list(REF["parameter_sets"]))
def test_new_customer_expectation(occam, pset):
    m = occam.ParetoNBD.from_params(*params(pset))
    ref = [u for u in REF["uncond_exp"] if u["params"] == pset]
    assert_rel(m.expected([u["t"] for u in ref]), [u["value"] for u in ref], 1e-11, "E[X(t)]")


def test_pmf_sums_to_one_with_the_reference_mean(occam):
    """P(X(t) = x) over x = 0..2000 sums to 1 and its mean is the reference
    E[X(39)] (mpmath), both to 1e-9: an independent check of pmf()."""
    m = occam.ParetoNBD.from_params(*params("FHL2005"))
    want = next(u["value"] for u in REF["uncond_exp"] if u["params"] == "FHL2005" and u["t"] == 39)
    x = np.arange(2001.0)
    p = m.pmf(39.0, x)
    assert np.all(p >= 0)
    assert abs(p.sum() - 1) <= 1e-9
    assert abs((x * p).sum() - want) <= 1e-9 * want


def test_total_loglik(occam, cdnow):
    from occam.pnbd import total_loglik
    for entry in REF["total_loglik"]:
        if entry["data"] != "cdnow_summary":
            continue
        ll, grad = total_loglik(*params(entry["params"]), cdnow[:, 1:])
        assert abs(ll - float(entry["value_str"])) <= 1e-8, entry["params"]
        assert grad.shape == (4,)


def test_domain_errors(occam):
    m = occam.ParetoNBD()
    with pytest.raises(occam.OccamError) as e:
        m.fit([1.0, 2.0], [5.0, 3.0], [4.0, 10.0])  # t_x = 5 > T = 4
    assert e.value.name == "OCCAM_E_DOMAIN"
    with pytest.raises(occam.OccamError) as e:
        occam.ParetoNBD.from_params(0.5, -1.0, 0.6, 11.0)
    assert e.value.name == "OCCAM_E_DOMAIN"
    with pytest.raises(ValueError):
        m.fit(np.ones((4, 2)))


def test_pickle_and_summary(occam, fitted):
    copy = pickle.loads(pickle.dumps(fitted))
    assert isinstance(copy, occam.ParetoNBD)
    X = np.array([[2, 30.43, 38.86], [0, 0, 38.86]])
    assert np.array_equal(copy.p_alive(X), fitted.p_alive(X))
    text = str(fitted)
    assert "Pareto/NBD" in text and "alpha" in text and "Log-likelihood: -9594.97393" in text


def test_event_log_to_cdnow_summaries(occam):
    """The CDNOW transaction log (data/cdnow_transactions.csv, dates), cut at
    1997-09-30 with one transaction per day, gives data/cdnow_summary_days.csv
    exactly (BTYD's cdnowSummary / lifetimes' summary, data/README.cdnow.md)."""
    from occam.pnbd import iso_date_days, summarize_events
    tx = np.genfromtxt(DATA / "cdnow_transactions.csv", delimiter=",", names=True, dtype=None, encoding="utf-8")
    ref = np.genfromtxt(DATA / "cdnow_summary_days.csv", delimiter=",", names=True, dtype=None, encoding="utf-8")
    s = summarize_events(tx["id"], tx["date"], "1997-09-30", merge_period=1)
    assert np.array_equal(s["id"], ref["id"])
    assert np.array_equal(s["x"], ref["x"]) and np.array_equal(s["t_x"], ref["t_x_days"])
    assert np.array_equal(s["T"], ref["T_days"]) and np.array_equal(s["x_star"], ref["x_star"])
    assert np.array_equal(s["first"], [iso_date_days(d) for d in ref["first_purchase"]])
    assert iso_date_days("1970-01-02") == 1.0 and iso_date_days("1997-01-01") == 9862.0
    dt = summarize_events(tx["id"], tx["date"].astype("datetime64[D]"), np.datetime64("1997-09-30"), 1)
    assert np.array_equal(dt["x"], s["x"]) and np.array_equal(dt["T"], s["T"])
    with pytest.raises(occam.OccamError) as e:
        iso_date_days("1997-02-29")
    assert e.value.name == "OCCAM_E_INVALID_ARG"


def test_no_dropout_boundary(occam):
    """1200 customers who never lapse (tests/data/pnbd/no_dropout_1200.csv):
    the fit warns OCCAM_W_NO_DROPOUT and is the NBD limit of the mpmath
    reference no_dropout_1200.json (make_no_dropout.py; r, alpha relative
    1e-9, log-likelihood 1e-12), s = beta = inf, P(alive) = 1; pickle and
    from_params keep the limit."""
    ref = read_json(TEST_DATA / "pnbd" / "no_dropout_1200.json")["nbd_mle"]
    _, d = read_csv(TEST_DATA / "pnbd" / "no_dropout_1200.csv")
    with pytest.warns(occam.OccamWarning) as w:
        m = occam.ParetoNBD().fit(d[:, 1:])
    assert any("no evidence of dropout" in str(x.message) for x in w)
    assert m.conditions == ["OCCAM_W_NO_DROPOUT"]
    assert_rel([m.r, m.alpha], [float(ref["r"]), float(ref["alpha"])], 1e-9, "r, alpha")
    assert_rel(m.loglik, float(ref["loglik"]), 1e-12, "loglik")
    assert np.isinf(m.s) and np.isinf(m.beta) and m.s > 0 and m.beta > 0
    assert np.all(m.p_alive(d[:, 1:]) == 1.0)
    copy = pickle.loads(pickle.dumps(m))
    assert copy.params == m.params and copy.conditions == m.conditions
    given = occam.ParetoNBD.from_params(m.r, m.alpha, np.inf, np.inf)
    assert np.array_equal(given.conditional_expected(39, d[:, 1:]), m.conditional_expected(39, d[:, 1:]))
    assert "Inf" in str(m)
