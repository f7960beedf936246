"""Linear model through Python against R 4.2.2's lm().

References: the "lm" blocks of tests/data/glm/*_gaussian_identity.json
(summary(lm()) values) and tests/data/linear/linear_reference.json
(make_reference.R: no intercept, aliased column, offset, predict se.fit).
Tolerances are the linear issue's contract (as tests/check_linear.c):
coefficients, fitted values and residuals relative 1e-9; standard errors,
t values, p-values, R^2, sigma, F, log-likelihood, vcov relative 1e-7.
"""
import warnings

import numpy as np
import pytest

from conftest import DATA, TEST_DATA, GlmCase, assert_rel, read_csv, read_json

LM_CASES = [p for p in sorted((TEST_DATA / "glm").glob("*_gaussian_identity.json")) if "lm" in read_json(p)]


@pytest.mark.parametrize("path", LM_CASES, ids=lambda p: p.stem)
def test_matches_r_lm(occam, path):
    case = GlmCase(path)
    lm = case.ref["lm"]
    m = occam.Linear().fit(case.X, case.y, weights=case.weights, names=case.names)
    assert m.coef_names == ["(Intercept)"] + case.names
    assert_rel(m.coef, lm["coefficients"], 1e-9, "coefficients")
    assert_rel(m.std_errors, lm["std_errors"], 1e-7, "std errors")
    assert_rel(m.statistics, lm["t_values"], 1e-7, "t values")
    assert_rel(m.p_values, lm["p_values"], 1e-7, "p values")
    for attr, key in [("r_squared", "r_squared"), ("adj_r_squared", "adj_r_squared"), ("sigma", "sigma"),
                      ("deviance", "rss"), ("loglik", "loglik")]:
        assert_rel(getattr(m, attr), lm[key], 1e-7, attr)
    f, numdf, dendf = m.fstatistic
    assert_rel(f, lm["fstatistic"], 1e-7, "F")
    assert (numdf, dendf, m.df_residual) == (lm["f_numdf"], lm["f_dendf"], lm["df_residual"])
    assert_rel(m.vcov(), lm["vcov"], 1e-7, "vcov")
    assert_rel(m.fitted_values[:10], lm["fitted_values_head"], 1e-9, "fitted")
    assert_rel(m.residuals[:10], lm["residuals_head"], 1e-9, "residuals")
    assert_rel(m.predict(case.X[:10]), lm["fitted_values_head"], 1e-9, "predict")


def _cars():
    _, d = read_csv(DATA / "glm" / "cars.csv")
    return d[:, 0], d[:, 1]


def _check(m, ref):
    assert_rel(m.coef, ref["coefficients"], 1e-9, "coefficients")
    assert_rel(m.std_errors, ref["std_errors"], 1e-7, "std errors")
    assert_rel(m.sigma, ref["sigma"], 1e-7, "sigma")
    assert_rel(m.r_squared, ref["r_squared"], 1e-7, "R^2")
    assert m.df_residual == ref["df_residual"]
    assert_rel(m.fitted_values[:10], ref["fitted_head"], 1e-9, "fitted")


REF = read_json(TEST_DATA / "linear" / "linear_reference.json")


def test_no_intercept(occam):
    speed, dist = _cars()
    _check(occam.Linear().fit(speed, dist, intercept=False), REF["cars_no_intercept"])


def test_offset(occam):
    speed, dist = _cars()
    _check(occam.Linear().fit(speed, dist, offset=2 * speed), REF["cars_offset"])


def test_predict_se_fit(occam):
    ref = REF["cars_predict_se"]
    speed, dist = _cars()
    m = occam.Linear().fit(speed, dist)
    _check(m, ref)
    fit, se = m.predict(np.array(ref["new_speed"]), se_fit=True)
    assert_rel(fit, ref["predict_fit"], 1e-9, "predict fit")
    assert_rel(se, ref["predict_se"], 1e-7, "predict se.fit")
    assert isinstance(fit, np.ndarray) and isinstance(m.sigma, float)


def test_cholesky_solver(occam):
    """The documented fast solver on a well-conditioned problem (cars): R's lm to 1e-9."""
    speed, dist = _cars()
    _check(occam.Linear().fit(speed, dist, solver="cholesky"), REF["cars_predict_se"])
    with pytest.raises(ValueError):
        occam.Linear().fit(speed, dist, solver="svd")


def test_hand_coded(occam):
    """prediction = intercept + sum coef_j x_j, checked by exact arithmetic."""
    m = occam.Linear.from_coef([2.0, -0.5], intercept=1.5, names=["a", "b"])
    X = np.array([[1.0, 2.0], [4.0, 0.0], [-2.0, 6.0]])
    assert np.array_equal(m.predict(X), np.array([2.5, 9.5, -5.5]))
    assert m.coef_names == ["(Intercept)", "a", "b"] and np.array_equal(m.coef, [1.5, 2.0, -0.5])
    assert np.all(np.isnan(m.std_errors))
    assert "hand-coded" in str(m)


def test_perfect_fit_warns_as_summary_lm(occam):
    """R's summary.lm warns "essentially perfect fit: summary may be
    unreliable" where resvar < 1e-30 (mean(f)^2 + var(f))
    (tests/data/linear/summary_reference.json, R 4.2.2): OccamWarning with
    status OCCAM_W_PERFECT_FIT on the cases where R warns, none elsewhere."""
    ref = read_json(TEST_DATA / "linear" / "summary_reference.json")
    for name in ("exact_line", "noise_1e-15", "noise_1e-13", "noise_1e-6", "weighted_exact",
                 "noise_1e-13_zero_weight_rows"):
        r = ref[name]
        x = np.array(r["x"], dtype=float)[:, None]
        w = None if r["weights"] is None else np.array(r["weights"], dtype=float)
        with warnings.catch_warnings(record=True) as got:
            warnings.simplefilter("always")
            m = occam.Linear().fit(x, np.array(r["y"], dtype=float), weights=w)
        names = [g.message.name for g in got if isinstance(g.message, occam.OccamWarning)]
        assert names == (["OCCAM_W_PERFECT_FIT"] if r["perfect_fit_warning"] else []), name
        assert ("OCCAM_W_PERFECT_FIT" in m.conditions) == r["perfect_fit_warning"], name
        if names:
            assert "essentially perfect fit: summary may be unreliable" in str(got[0].message)


def test_overflow_is_scaled_and_warned(occam):
    """y = +-1e200: the residual sum of squares overflows; sigma, R^2 and t
    are those R gives for y / 1e200 (scaled back), to 1e-9, with an
    OCCAM_W_OVERFLOW warning; the RSS (deviance) is Inf."""
    r = read_json(TEST_DATA / "linear" / "summary_reference.json")["overflow_pm1e200"]
    x = np.array(r["x"], dtype=float)[:, None]
    with pytest.warns(occam.OccamWarning) as got:
        m = occam.Linear().fit(x, np.array(r["y"], dtype=float))
    assert [g.message.name for g in got] == ["OCCAM_W_OVERFLOW"]
    assert_rel(m.sigma, r["sigma"] * 1e200, 1e-9, "sigma")
    assert_rel(m.r_squared, r["r_squared"], 1e-9, "R^2")
    assert_rel(m.coef, r["r_coefficients_unscaled"], 1e-12, "coefficients")
    assert np.isinf(m.deviance)
