"""GLM through Python against R 4.2.2's glm() (tests/data/glm/*.json and
glm/extra/*.json, schema in tests/data/glm/REFERENCE_README.md).

Tolerances are the GLM issue's contract (as tests/check_glm.c): coefficients,
standard errors, statistics, p-values, vcov, dispersion, Pearson chi2,
fitted values, linear predictors, residuals of every type and working
weights (first 10 rows) relative 1e-6; deviance, null deviance, AIC and
log-likelihood relative 1e-8; df, rank, converged and boundary exact;
iterations +-1; the same aliased pattern; R's warnings as OccamWarnings.
Entries that are zero in exact arithmetic (R's value below 1e-10 times the
entry's natural scale, e.g. a coefficient of 1e-15 with SE 0.2) are rounding
noise in both programs and are compared absolutely to 1e-10 times that scale.
"""
import json
import math
import warnings

import numpy as np
import pytest

from conftest import REPO, TEST_DATA, GlmCase, assert_rel, glm_case_paths

SHARED = glm_case_paths()
EXTRA = glm_case_paths(extra=True)
ALL = SHARED + EXTRA

_WARNING_TEXT = [("did not converge", "OCCAM_W_NOT_CONVERGED"), ("stopped at boundary value", "OCCAM_W_BOUNDARY"),
                 ("fitted probabilities numerically 0 or 1", "OCCAM_W_FITTED_01"),
                 ("fitted rates numerically 0", "OCCAM_W_FITTED_ZERO"), ("non-integer", "OCCAM_W_NON_INTEGER")]
# R's whole warning texts: glm.fit's step-halving, summary.glm's zero-weight note
_STEP_WARNINGS = {"step size truncated due to divergence": "OCCAM_W_STEP_DIVERGENCE",
                  "step size truncated: out of bounds": "OCCAM_W_STEP_OUT_OF_BOUNDS"}
_SUMMARY_WARNINGS = {"observations with zero weight not used for calculating dispersion": "OCCAM_W_ZERO_WEIGHTS"}


def expected_conditions(ref):
    """The conditions R's warnings name: glm()'s, and summary()'s where the case records them."""
    want = set()
    for w in ref["warnings"]:
        want |= {name for text, name in _WARNING_TEXT if text in w}
        if w in _STEP_WARNINGS:
            want.add(_STEP_WARNINGS[w])
    for w in ref.get("summary_warnings", []):
        if w in _SUMMARY_WARNINGS:
            want.add(_SUMMARY_WARNINGS[w])
    if any(ref["aliased"]):
        want.add("OCCAM_W_RANK_DEFICIENT")
    return want


def assert_scaled(got, want, rtol, scale, what):
    want = np.array([np.nan if w is None else w for w in want], dtype=float)
    got = np.asarray(got, dtype=float)[:want.size]
    scale = np.broadcast_to(np.asarray(scale, dtype=float), want.shape)
    zero = np.isfinite(scale) & (scale > 0) & (np.abs(want) < 1e-10 * scale)
    if zero.any():
        assert np.all(np.abs(got[zero] - want[zero]) <= 1e-10 * scale[zero]), f"{what}: zero-to-scale entries"
    assert_rel(got[~zero], want[~zero], rtol, what)


def fit_case(occam, case, X=None, **kw):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        m = case.fit(occam, X, **kw)
    got = {w.message.name for w in caught if isinstance(w.message, occam.OccamWarning)}
    return m, got


@pytest.mark.parametrize("threads", [1, 3])
@pytest.mark.parametrize("path", ALL, ids=lambda p: p.stem)
def test_matches_r_glm(occam, path, threads):
    """Every R case, on one thread and with the rows split over three."""
    case = GlmCase(path)
    j = case.ref
    m, warned = fit_case(occam, case, threads=threads)
    want_cond = expected_conditions(j)
    assert warned == want_cond, f"warnings {warned}, R warned {j['warnings']}"
    assert set(m.conditions) == want_cond
    assert m.family == j["family"] and m.link == j["link"]
    assert m.coef_names[int(case.intercept):] == case.names
    assert list(m.aliased) == j["aliased"]
    se = np.array([np.nan if v is None else v for v in j["std_errors"]])
    assert_scaled(m.coef, j["coefficients"], 1e-6, se, "coefficients")
    assert_rel(m.std_errors, j["std_errors"], 1e-6, "std_errors")
    assert_scaled(m.statistics, j["statistics"], 1e-6, 1.0, "statistics")
    assert_rel(m.p_values, j["p_values"], 1e-6, "p_values")
    V = m.vcov()
    assert V.shape == (len(se), len(se))
    for i, row in enumerate(j["vcov"]):
        assert_scaled(V[i], row, 1e-6, se[i] * se, f"vcov row {i}")
    for name, key, tol in [("deviance", "deviance", 1e-8), ("null_deviance", "null_deviance", 1e-8),
                           ("aic", "aic", 1e-8), ("loglik", "loglik", 1e-8), ("dispersion", "dispersion", 1e-6),
                           ("pearson_chi2", "pearson_chi2", 1e-6)]:
        assert_rel(getattr(m, name), j[key], tol, name)
        assert isinstance(getattr(m, name), float)
    assert m.df_residual == j["df_residual"] and m.df_null == j["df_null"] and m.rank == j["rank"]
    assert m.converged == j["converged"] and m.boundary == j["boundary"]
    assert abs(m.iter - j["iter"]) <= 1
    k = min(10, case.X.shape[0])
    assert_rel(m.fitted_values[:k], j["fitted_values_head"], 1e-6, "fitted")
    assert_rel(m.linear_predictors[:k], j["linear_predictors_head"], 1e-6, "linear predictors")
    for t in ("deviance", "pearson", "working", "response"):
        assert_rel(m.residuals(t)[:k], j[f"residuals_{t}_head"], 1e-6, f"{t} residuals")
    assert_rel(m.weights[:k], j["working_weights_head"], 1e-6, "working weights")
    assert_rel(m.prior_weights[:k], j["prior_weights_head"], 0, "prior weights")


@pytest.mark.parametrize("path", SHARED, ids=lambda p: p.stem)
def test_predict_on_training_rows(occam, path):
    """predict(type = "link"/"response") on the fit's own X and offset gives
    R's linear predictors and fitted values (first 10 rows, 1e-6); standard
    errors of the link are sqrt(diag(X V X')) with R's vcov (1e-6)."""
    case = GlmCase(path)
    j = case.ref
    m, _ = fit_case(occam, case)
    k = min(10, case.X.shape[0])
    off = None if case.offset is None else case.offset[:k]
    eta, se = m.predict(case.X[:k], type="link", offset=off, se_fit=True)
    assert_rel(eta, j["linear_predictors_head"], 1e-6, "link")
    assert_rel(m.predict(case.X[:k], type="response", offset=off), j["fitted_values_head"], 1e-6, "response")
    if not any(j["aliased"]):
        Xi = np.column_stack([np.ones(k), case.X[:k]]) if case.intercept else case.X[:k]
        V = np.array(j["vcov"], dtype=float)
        assert_rel(se, np.sqrt(np.einsum("ij,jk,ik->i", Xi, V, Xi)), 1e-6, "se.fit (link)")


def test_predict_type_is_checked(occam):
    case = GlmCase(SHARED[0])
    m, _ = fit_case(occam, case)
    with pytest.raises(ValueError):
        m.predict(case.X, type="terms")


def test_threads_option_is_checked(occam):
    """threads must be an integer in [1, 256] (include/occam.h): a float is a
    TypeError (not truncated), an out-of-range count the library's error."""
    X = np.array([[1.0], [2.0], [3.0], [4.0]])
    y = np.array([1.0, 3.0, 2.0, 5.0])
    with pytest.raises(TypeError):
        occam.GLM("poisson").fit(X, y, threads=2.5)
    with pytest.raises(occam.OccamError) as e:
        occam.GLM("poisson").fit(X, y, threads=0)
    assert e.value.name == "OCCAM_E_INVALID_ARG"


def test_binomial_counts_as_proportions(occam):
    """R's glm(cbind(s, f) ~ ...) equals proportions y = s/(s+f) with
    weights s+f: the budworm case stores exactly that form."""
    case = GlmCase(next(p for p in SHARED if p.stem == "budworm_binomial_logit"))
    assert case.weights is not None and np.all((case.y >= 0) & (case.y <= 1))
    m, _ = fit_case(occam, case)
    assert_rel(m.deviance, case.ref["deviance"], 1e-8, "deviance")


@pytest.mark.parametrize("stem, want", [
    ("start_clotting_gamma_inverse", {"OCCAM_W_STEP_DIVERGENCE": "step size truncated due to divergence"}),
    ("start_infert_binomial_log", {"OCCAM_W_STEP_OUT_OF_BOUNDS": "step size truncated: out of bounds"}),
    ("zeroweights_clotting_gamma_inverse",
     {"OCCAM_W_ZERO_WEIGHTS": "observations with zero weight not used for calculating dispersion"}),
    ("zeroweights_budworm_binomial_logit", {}),  # binomial: dispersion 1, R gives no note
])
def test_r_warning_texts(occam, stem, want):
    """The step-halving warnings of R's glm.fit and summary.glm's zero-weight
    note: one OccamWarning each, with R's text (references from the same R
    run as the fit's numbers, checked by test_matches_r_glm)."""
    case = GlmCase(next(p for p in EXTRA if p.stem == stem))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        m = case.fit(occam)
    got = {w.message.name: str(w.message) for w in caught if isinstance(w.message, occam.OccamWarning)}
    assert set(got) == set(want), got
    for name, text in want.items():
        assert text in got[name], got[name]
    assert m.conditions == list(want)


def heart_reference():
    """glm2's heart data and its reference (../shared when present, else the copy in tests/data)."""
    d = REPO.parent / "shared" / "reference" / "glm" / "glm2"
    if not (d / "heart_logbinomial.json").exists():
        d = TEST_DATA / "glm" / "glm2" / "heart"
    data = np.genfromtxt(d / "heart_logbinomial.csv", delimiter=",", names=True)
    with open(d / "heart_logbinomial.json") as f:
        return data, json.load(f)


@pytest.mark.parametrize("rule", ["r", "glm2"])
def test_glm2_heart(occam, rule):
    """glm2's heart data (Marschner 2011), log-binomial from glm2's start:
    R's glm.fit (25 iterations, no convergence) and, with
    halve_on_increase, glm2's glm.fit2 (14 iterations): coefficients and SEs
    1e-6, deviance 1e-8, iterations exact, R's warnings."""
    data, ref = heart_reference()
    ref = ref[rule]
    cols = ref["coef_names"][1:]
    X = np.column_stack([data[c] for c in cols])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        m = occam.GLM("binomial", "log").fit(X, data["y"], weights=data["weights"], offset=data["offset"],
                                             start=[-2.78619194961914] + [0] * 8,
                                             halve_on_increase=rule == "glm2", names=cols)
    assert_rel(m.coef, ref["coefficients"], 1e-6, "coefficients")
    assert_rel(m.std_errors, ref["std_errors"], 1e-6, "std errors")
    assert_rel(m.deviance, ref["deviance"], 1e-8, "deviance")
    assert m.iter == ref["iter"]
    want = {"r": {"OCCAM_W_STEP_DIVERGENCE", "OCCAM_W_NOT_CONVERGED", "OCCAM_W_BOUNDARY"},
            "glm2": {"OCCAM_W_STEP_DIVERGENCE"}}[rule]
    assert {w.message.name for w in caught if isinstance(w.message, occam.OccamWarning)} == want


TIGHT = json.load(open(TEST_DATA / "glm" / "fast" / "tight.json"))


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.stem)
def test_fast_reaches_r_mle(occam, path):
    """fit(fast=True) (OCCAM_OPT_FAST): on the fast path, R's MLE
    (tests/data/glm/fast/tight.json: glm.fit at epsilon 1e-15) to the issue's
    contract, coefficients 1e-8 and SEs 1e-6 relative; after a fallback
    (used_fast False) R's glm() answer to the exact path's 1e-6, and R warned
    or the MLE is at infinity (the two separation cases)."""
    case = GlmCase(path)
    j = case.ref
    m, warned = fit_case(occam, case, fast=True)
    assert warned == expected_conditions(j)
    assert list(m.aliased) == j["aliased"]
    if m.used_fast:
        ref, tol = TIGHT[j["case_id"]], 1e-8
        assert ref["converged"]
    else:
        ref, tol = j, 1e-6
        assert j["warnings"] or j["case_id"] in ("quasiseparation_binomial_logit", "fittedzero_poisson_log")
    se = np.array([np.nan if v is None or v == "NA" else v for v in ref["std_errors"]], dtype=float)
    coef = [np.nan if v is None or v == "NA" else v for v in ref["coefficients"]]
    assert_scaled(m.coef, coef, tol, se, "coefficients")
    assert_rel(m.std_errors, list(se), 1e-6, "std_errors")
    assert_rel(m.deviance, j["deviance"], 1e-8, "deviance")


def test_fast_option_default_and_stream(occam):
    """fast defaults to False (R's path); fast=True on a small Poisson fit takes the fast path."""
    X = np.array([[1.0], [2.0], [3.0], [4.0], [5.0]])
    y = np.array([1.0, 3.0, 2.0, 5.0, 4.0])
    assert not occam.GLM("poisson").fit(X, y).used_fast


def test_solver_auto_default_and_explicit(occam):
    """The default solver is auto: Cholesky on a well-conditioned design,
    QR on one with two columns collinear to 1e-9 (R's QR keeps both); the
    explicit solvers report themselves; the coefficients under auto equal
    QR's to 1e-10 relative."""
    rng = np.random.default_rng(7)
    X = rng.normal(size=(300, 2))
    y = rng.poisson(np.exp(0.3 + 0.2 * X[:, 0]))
    assert occam.GLM("poisson").fit(X, y).solver_used == "cholesky"
    assert occam.GLM("poisson").fit(X, y, solver="qr").solver_used == "qr"
    assert occam.GLM("poisson").fit(X, y, solver="cholesky").solver_used == "cholesky"
    Xc = np.column_stack([X[:, 0], X[:, 0] + 1e-9 * X[:, 1]])
    a = occam.GLM("poisson").fit(Xc, y)
    q = occam.GLM("poisson").fit(Xc, y, solver="qr")
    assert a.solver_used == "qr"
    np.testing.assert_allclose(a.coef, q.coef, rtol=1e-10)
    assert occam.GLM("poisson").fit(X, y, fast=True).used_fast


@pytest.mark.parametrize("stem", ["dobson_poisson_log", "cars_weighted_gaussian_identity"])
def test_keep_data_survives_save(occam, stem):
    """fit(keep_data=True): the loaded model has R's per-row results (first 10
    rows, 1e-6 as above) and the in-memory model's bits; without it the rows
    are not stored and asking for them raises."""
    case = GlmCase(TEST_DATA / "glm" / f"{stem}.json")
    j = case.ref
    m, _ = fit_case(occam, case, keep_data=True)
    back = occam.loads(m.to_bytes())
    k = min(10, case.X.shape[0])
    assert_rel(back.fitted_values[:k], j["fitted_values_head"], 1e-6, "fitted")
    assert_rel(back.linear_predictors[:k], j["linear_predictors_head"], 1e-6, "linear predictors")
    assert_rel(back.weights[:k], j["working_weights_head"], 1e-6, "working weights")
    assert_rel(back.prior_weights[:k], j["prior_weights_head"], 0, "prior weights")
    assert_rel(back.residuals("deviance")[:k], j["residuals_deviance_head"], 1e-6, "deviance residuals")
    for name in ("fitted_values", "linear_predictors", "weights", "prior_weights"):
        assert np.array_equal(getattr(back, name), getattr(m, name)), name
    plain, _ = fit_case(occam, case)
    with pytest.raises(occam.OccamError):
        occam.loads(plain.to_bytes()).fitted_values
