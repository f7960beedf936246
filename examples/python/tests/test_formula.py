"""occam.glm / occam.lm with patsy formulas, against R and statsmodels.

References: R 4.2.2's glm()/lm() on the same data (tests/data/python/*.json,
made by make_formula_refs.R) and statsmodels' GLM/OLS fitted here on the
same DataFrame.  Tolerances: coefficients relative 1e-8 against both (the
issue's contract); deviance, AIC, log-likelihood relative 1e-8 against R;
standard errors, statistics, p-values, dispersion, Pearson chi2 and the
predict(se.fit) values relative 1e-6 against R (the GLM tests' tolerance:
R's SEs are computed at the last IRLS iteration, so they match R's
iteration path, not the exact MLE); predictions relative 1e-8.
Against statsmodels (which iterates to its own stopping point, with an
absolute deviance criterion) the model is refitted with a tight epsilon
(1e-15): both are then the MLE, and R's default epsilon = 1e-8, relative to
the deviance, can stop 5e-6 (relative) short of it (the Gamma case here):
coefficients and deviance 1e-8, SEs, intervals and covariances 1e-6.
"""
import json
import re
import warnings

import numpy as np
import pytest

from conftest import TEST_DATA, assert_rel

pd = pytest.importorskip("pandas")
patsy = pytest.importorskip("patsy")
sm = pytest.importorskip("statsmodels.api")
smf = pytest.importorskip("statsmodels.formula.api")

REF = TEST_DATA / "python"


def ref(case):
    with open(REF / f"{case}.json") as f:
        return json.load(f)


def frame(r):
    """The case's data with R's factor levels (first = baseline) as pandas Categoricals."""
    levels = r.get("levels", {})
    df = pd.read_csv(REF / r["data_csv"], dtype={k: str for k in levels})
    for col, lv in levels.items():
        df[col] = pd.Categorical(df[col], categories=lv)
    return df


def newdata(r, df):
    nd = df.iloc[[i - 1 for i in r["newdata_rows"]]].copy()
    if r["case_id"] == "insurance_poisson_offset":
        nd["Holders"] = nd["Holders"] * 2
    return nd


def r_name(name):
    """patsy's column name -> R's coefficient name (treatment contrasts)."""
    if name == "Intercept":
        return "(Intercept)"
    return ":".join(re.sub(r"^(?:C\()?([^)\[]+)\)?\[T\.(.*)\]$", r"\1\2", part) for part in name.split(":"))


SM_FAMILY = {"poisson": sm.families.Poisson, "binomial": sm.families.Binomial}


def check_against_r(fit, r):
    assert [r_name(n) for n in fit.param_names] == r["coef_names"]
    assert list(fit.params.index) == fit.param_names
    assert_rel(fit.params.to_numpy(), r["coefficients"], 1e-8, "coefficients")
    assert_rel(fit.bse.to_numpy(), r["std_errors"], 1e-6, "std errors")
    assert_rel(fit.tvalues.to_numpy(), r["statistics"], 1e-6, "statistics")
    assert_rel(fit.pvalues.to_numpy(), r["p_values"], 1e-6, "p-values")
    assert_rel(fit.deviance, r["deviance"], 1e-8, "deviance")
    assert_rel(fit.llf, r["loglik"], 1e-8, "logLik")
    assert_rel(fit.aic, r["aic"], 1e-8, "AIC")
    assert fit.df_resid == r["df_residual"]
    if "dispersion" in r:
        assert_rel(fit.null_deviance, r["null_deviance"], 1e-8, "null deviance")
        assert_rel(fit.scale, r["dispersion"], 1e-6, "dispersion")
        assert_rel(fit.pearson_chi2, r["pearson_chi2"], 1e-6, "Pearson chi2")


def check_predict(fit, r, df):
    nd = newdata(r, df)
    if hasattr(fit, "family"):
        link, link_se = fit.predict(nd, type="link", se_fit=True)
        resp, resp_se = fit.predict(nd, type="response", se_fit=True)
    else:
        link, link_se = resp, resp_se = fit.predict(nd, se_fit=True)
    assert list(resp.index) == list(nd.index)
    assert_rel(link.to_numpy(), r["predict_link"], 1e-8, "predict link")
    assert_rel(resp.to_numpy(), r["predict_response"], 1e-8, "predict response")
    assert_rel(link_se.to_numpy(), r["predict_link_se"], 1e-6, "predict link se")
    assert_rel(resp_se.to_numpy(), r["predict_response_se"], 1e-6, "predict response se")


def check_against_statsmodels(fit, res, nd=None, sm_predict_kw=None):
    assert list(res.params.index) == fit.param_names
    assert_rel(fit.params.to_numpy(), res.params.to_numpy(), 1e-8, "coefficients vs statsmodels")
    assert_rel(fit.bse.to_numpy(), res.bse.to_numpy(), 1e-6, "SEs vs statsmodels")
    assert_rel(fit.deviance, getattr(res, "deviance", None) or res.ssr, 1e-8, "deviance vs statsmodels")
    assert fit.nobs == res.nobs and fit.df_resid == res.df_resid and fit.df_model == res.df_model
    if nd is not None:
        assert_rel(fit.predict(nd).to_numpy(), np.asarray(res.predict(nd, **(sm_predict_kw or {}))), 1e-8,
                   "predict vs statsmodels")


TIGHT = {"epsilon": 1e-15, "maxit": 100}


def test_warpbreaks_poisson_interaction(occam):
    r = ref("warpbreaks_poisson_wool_x_tension")
    df = frame(r)
    fit = occam.glm(r["formula_py"], data=df, family="poisson")
    assert fit.param_names == ["Intercept", "wool[T.B]", "tension[T.M]", "tension[T.H]",
                               "wool[T.B]:tension[T.M]", "wool[T.B]:tension[T.H]"]
    check_against_r(fit, r)
    check_predict(fit, r, df)
    res = smf.glm(r["formula_py"], df, family=sm.families.Poisson()).fit(tol=1e-12)
    fit = occam.glm(r["formula_py"], data=df, family="poisson", **TIGHT)
    check_against_statsmodels(fit, res, newdata(r, df))
    assert_rel(fit.llf, res.llf, 1e-8, "llf vs statsmodels")
    assert_rel(fit.pearson_chi2, res.pearson_chi2, 1e-6, "Pearson chi2 vs statsmodels")
    # in-sample: fitted values and residuals as Series over the rows of df
    assert list(fit.fittedvalues.index) == list(df.index)
    assert_rel(fit.fittedvalues.to_numpy(), res.fittedvalues.to_numpy(), 1e-8, "fitted")
    assert_rel(fit.resid_deviance.to_numpy(), res.resid_deviance.to_numpy(), 1e-6, "deviance residuals")
    assert_rel(fit.predict().to_numpy(), fit.fittedvalues.to_numpy(), 0, "predict()")
    # Wald intervals: normal quantiles, as statsmodels' GLM
    assert_rel(fit.conf_int().to_numpy(), res.conf_int().to_numpy(), 1e-6, "conf_int")
    assert_rel(fit.cov_params().to_numpy(), res.cov_params().to_numpy(), 1e-6, "cov_params")


def _mask_clock(text):
    return [ln for ln in text.splitlines() if not re.match(r"^(Date|Time):", ln)]


def test_summary_layout_matches_statsmodels(occam):
    """The text of statsmodels' summary, Date and Time lines aside (same
    iteration count on this case: 4 in both), and the numbers in it."""
    r = ref("warpbreaks_poisson_wool_x_tension")
    df = frame(r)
    fit = occam.glm(r["formula_py"], data=df, family="poisson")
    res = smf.glm(r["formula_py"], df, family=sm.families.Poisson()).fit()
    assert fit.iter == res.fit_history["iteration"]
    ours, theirs = fit.summary(), str(res.summary())
    assert str(fit) == ours
    assert _mask_clock(ours) == _mask_clock(theirs)


def test_summary_numbers_gamma(occam):
    """A family with estimated dispersion: the header's numbers equal
    statsmodels' (Scale = R's dispersion = statsmodels' Pearson scale); the
    z/t column and p-values are R's (t on df_resid), statsmodels' normal."""
    r = ref("warpbreaks_gamma_wool_tension")
    df = frame(r)
    fit = occam.glm(r["formula_py"], data=df, family="Gamma", link="log")
    check_against_r(fit, r)
    check_predict(fit, r, df)
    res = smf.glm(r["formula_py"], df, family=sm.families.Gamma(sm.families.links.log())).fit(tol=1e-12)
    fit = occam.glm(r["formula_py"], data=df, family="Gamma", link="log", **TIGHT)
    check_against_statsmodels(fit, res, newdata(r, df))
    assert_rel(fit.scale, res.scale, 1e-6, "scale")
    head = dict(re.findall(r"(Scale|Deviance|Pearson chi2|Df Residuals|Df Model|No. Observations):\s+(\S+)",
                           fit.summary()))
    head_sm = dict(re.findall(r"(Scale|Deviance|Pearson chi2|Df Residuals|Df Model|No. Observations):\s+(\S+)",
                              str(res.summary())))
    assert head == head_sm and len(head) == 6
    assert "P>|z|" in fit.summary()
    # R's t-based p-values differ from statsmodels' normal ones
    assert not np.allclose(fit.pvalues.to_numpy()[1:], res.pvalues.to_numpy()[1:], rtol=1e-3)


def test_budworm_binomial_two_column_and_weights(occam):
    r = ref("budworm_binomial_sex_x_ldose")
    df = frame(r)
    fit = occam.glm(r["formula_py"], data=df, family="binomial")      # successes + failures
    check_against_r(fit, r)
    check_predict(fit, r, df)
    fit_w = occam.glm(r["formula_py_weights"], data=df, family="binomial", weights=r["weights_py"])
    check_against_r(fit_w, r)
    check_predict(fit_w, r, df)
    assert fit.design.y_name == "numdead + numalive"
    res = smf.glm(r["formula_py"], df, family=sm.families.Binomial()).fit(tol=1e-12)
    check_against_statsmodels(occam.glm(r["formula_py"], data=df, family="binomial", **TIGHT), res)
    res_w = smf.glm(r["formula_py_weights"], df, family=sm.families.Binomial(),
                    var_weights=df[r["weights_py"]]).fit(tol=1e-12)
    fit_w = occam.glm(r["formula_py_weights"], data=df, family="binomial", weights=r["weights_py"], **TIGHT)
    check_against_statsmodels(fit_w, res_w, newdata(r, df))
    with pytest.raises(ValueError, match="binomial"):
        occam.glm(r["formula_py"], data=df, family="poisson")


def test_insurance_offset_by_expression(occam):
    r = ref("insurance_poisson_offset")
    df = frame(r)
    fit = occam.glm(r["formula_py"], data=df, family="poisson", offset=r["offset_py"])
    check_against_r(fit, r)
    check_predict(fit, r, df)          # the offset evaluated on the new rows (Holders doubled)
    res = smf.glm(r["formula_py"], df, family=sm.families.Poisson(), offset=np.log(df["Holders"])).fit(tol=1e-12)
    nd = newdata(r, df)
    check_against_statsmodels(occam.glm(r["formula_py"], data=df, family="poisson", offset=r["offset_py"], **TIGHT),
                              res, nd, {"offset": np.log(nd["Holders"])})
    # the offset given as values: predict needs it again
    fit_v = occam.glm(r["formula_py"], data=df, family="poisson", offset=np.log(df["Holders"]).to_numpy())
    assert_rel(fit_v.params.to_numpy(), r["coefficients"], 1e-8, "coefficients, offset as values")
    with pytest.raises(ValueError, match="offset"):
        fit_v.predict(nd)
    assert_rel(fit_v.predict(nd, offset=np.log(nd["Holders"]).to_numpy()).to_numpy(), r["predict_response"],
               1e-8, "predict with offset=")


def test_lm_interaction(occam):
    r = ref("warpbreaks_lm_wool_x_tension")
    df = frame(r)
    fit = occam.lm(r["formula_py"], data=df)
    check_against_r(fit, r)
    check_predict(fit, r, df)
    res = smf.ols(r["formula_py"], df).fit()
    check_against_statsmodels(fit, res, newdata(r, df))
    assert_rel(fit.bse.to_numpy(), res.bse.to_numpy(), 1e-10, "OLS SEs (no iterations)")
    assert_rel(fit.conf_int().to_numpy(), res.conf_int().to_numpy(), 1e-10, "t intervals")
    assert_rel([fit.rsquared, fit.rsquared_adj, fit.fstatistic[0], fit.f_pvalue, fit.llf],
               [res.rsquared, res.rsquared_adj, res.fvalue, res.f_pvalue, res.llf], 1e-10, "OLS statistics")
    # statsmodels' AIC/BIC do not count sigma: R's are larger by 2 and log(n)
    assert_rel([fit.aic - 2, fit.bic - np.log(fit.nobs)], [res.aic, res.bic], 1e-10, "AIC/BIC")
    text = fit.summary()
    assert "OLS Regression Results" in text and "P>|t|" in text
    assert "R-squared:                       0.378" in text
    assert fit.summary(style="r").startswith("Linear model (least squares, as R's lm)")


def test_predict_design_errors_and_missing_rows(occam):
    r = ref("warpbreaks_poisson_wool_x_tension")
    df = frame(r)
    fit = occam.glm("breaks ~ wool + tension", data=df, family="poisson")
    bad = pd.DataFrame({"wool": ["A", "C"], "tension": ["L", "M"]})
    with pytest.raises(patsy.PatsyError, match="C"):
        fit.predict(bad)
    # a level subset and a plain dict: the stored levels build the same columns
    p = fit.predict({"wool": ["B"], "tension": ["H"]})
    assert_rel(p.to_numpy(), [np.exp(fit.params["Intercept"] + fit.params["wool[T.B]"] +
                                     fit.params["tension[T.H]"])], 1e-12, "dict predict")
    # rows with a missing value are dropped (labels kept); the rest fit as without them
    holes = df.copy()
    holes.index = holes.index + 100
    holes.loc[[100, 105], "breaks"] = np.nan
    f2 = occam.glm("breaks ~ wool + tension", data=holes, family="poisson")
    assert f2.nobs == 52 and 100 not in f2.fittedvalues.index and 101 in f2.fittedvalues.index
    f3 = occam.glm("breaks ~ wool + tension", data=df.drop(index=[0, 5]), family="poisson")
    assert_rel(f2.params.to_numpy(), f3.params.to_numpy(), 1e-14, "NA rows dropped")
    with pytest.raises(TypeError, match="DataFrame"):
        occam.glm("breaks ~ wool", data=[1, 2], family="poisson")


def test_array_and_dataframe_input_unchanged(occam):
    """Arrays as before (R's names in the R-style summary); a DataFrame X names the columns."""
    w = pd.read_csv(TEST_DATA.parent.parent / "data" / "glm" / "warpbreaks.csv")
    X = w[["woolB", "tensionM", "tensionH"]]
    m = occam.GLM("poisson").fit(X, w["breaks"])
    assert m.coef_names == ["(Intercept)", "woolB", "tensionM", "tensionH"]
    assert list(m.params.index) == m.coef_names and m.design is None
    assert isinstance(m.coef, np.ndarray)
    assert m.summary().startswith("Generalized linear model (IRLS, as R's glm)")
    assert "Generalized Linear Model Regression Results" in m.summary(style="statsmodels")
    f = occam.glm("breaks ~ wool + tension", data=frame(ref("warpbreaks_poisson_wool_x_tension")),
                  family="poisson")
    assert_rel(f.params.to_numpy(), m.coef, 1e-12, "formula vs dummies")
    with pytest.raises(ValueError, match="style"):
        m.summary(style="stata")


def test_r_name_mapping():
    assert r_name("wool[T.B]:tension[T.M]") == "woolB:tensionM"
    assert r_name("C(District)[T.2]") == "District2"
    assert r_name("ldose") == "ldose"
