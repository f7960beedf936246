"""Summaries in statsmodels' layout (GLMResults.summary(), OLSResults.summary()).

A 78-column header of two label/value columns, then the coefficient table
(coef, std err, z or t, P>|z| or P>|t|, [0.025 0.975]), widened when the
names are long.  Numbers are occam's (R's); the layout and number formats
follow what statsmodels 0.13 prints, written here from its output.
"""
import math
import time

WIDTH = 78
_FAMILIES = {"gaussian": "Gaussian", "binomial": "Binomial", "poisson": "Poisson", "Gamma": "Gamma",
             "inverse.gaussian": "InverseGaussian"}
_LINKS = {"log": "Log", "logit": "Logit", "probit": "Probit", "cloglog": "CLogLog", "cauchit": "Cauchy",
          "identity": "Identity", "inverse": "InversePower", "1/mu^2": "InverseSquared", "sqrt": "Sqrt"}


def g(x, spec):
    """%-formatting that shows NaN as statsmodels does ("nan")."""
    if x is None:
        return ""
    if isinstance(x, float) and math.isnan(x):
        return "nan"
    return (spec % x).strip()


def forg(x, prec):
    """Fixed with prec decimals, or %g when very large or small."""
    if isinstance(x, float) and math.isnan(x):
        return "nan"
    if x == 0 or 1e-4 <= abs(x) < 1e4:
        return f"{x:.{prec}f}"
    return f"{x:.{prec}g}"


def _header(title, left, right):
    lines = [title.center(WIDTH), "=" * WIDTH]
    for i in range(max(len(left), len(right))):
        lab, val = left[i] if i < len(left) else ("", "")
        l_cell = (lab + ":" if lab else "").ljust(37 - len(val)) + val if lab else " " * 37
        lab, val = right[i] if i < len(right) else ("", "")
        r_cell = (lab + ":").ljust(38 - len(val)) + val if lab else " " * 38
        lines.append(l_cell + "   " + r_cell)
    return lines


def _coef_table(names, est, se, stat, pval, ci, use_t):
    w = max([10] + [len(n) for n in names])
    width = w + 68
    stat_h, p_h = ("t", "P>|t|") if use_t else ("z", "P>|z|")
    lines = ["=" * width,
             " " * w + "coef".rjust(11) + "std err".rjust(11) + stat_h.rjust(11) + p_h.rjust(11)
             + "[0.025".rjust(12) + "0.975]".rjust(12),
             "-" * width]
    for j, name in enumerate(names):
        lines.append(name.ljust(w) + forg(est[j], 4).rjust(11) + forg(se[j], 3).rjust(11)
                     + g(stat[j], "%#6.3f").rjust(11) + g(pval[j], "%#6.3f").rjust(11)
                     + forg(ci[j][0], 3).rjust(12) + forg(ci[j][1], 3).rjust(12))
    lines.append("=" * width)
    return lines


def _date_rows(stamp):
    t = time.localtime() if stamp is None else stamp
    return [("Date", time.strftime("%a, %d %b %Y", t)), ("Time", time.strftime("%H:%M:%S", t))]


def _table_parts(m):
    ci = m.conf_int()
    ci = ci.to_numpy() if hasattr(ci, "to_numpy") else ci
    return [list(m.param_names), list(m.coef), list(m.std_errors), list(m.statistics), list(m.p_values),
            [tuple(r) for r in ci]]


def glm_summary(m, stamp=None):
    """GLM: statsmodels' GLMResults.summary() layout."""
    dep = m.design.y_name if m.design is not None else "y"
    family = _FAMILIES.get(m.family, m.family)
    link = _LINKS.get(m.link, m.link)
    date, clock = _date_rows(stamp)
    left = [("Dep. Variable", dep), ("Model", "GLM"), ("Model Family", family), ("Link Function", link),
            ("Method", "IRLS"), date, clock, ("No. Iterations", str(m.iter)),
            ("Covariance Type", "nonrobust")]
    right = [("No. Observations", str(m.nobs)), ("Df Residuals", g(m.df_resid, "%d")),
             ("Df Model", str(m.df_model)), ("Scale", g(m.dispersion, "%#8.5g")),
             ("Log-Likelihood", g(m.llf, "%#8.5g")), ("Deviance", g(m.deviance, "%#8.5g")),
             ("Pearson chi2", g(m.pearson_chi2, "%#6.3g"))]
    if m.family in ("binomial", "poisson"):  # Cox-Snell, exact from the deviances when the scale is 1
        cs = 1 - math.exp(-(m.null_deviance - m.deviance) / m.nobs)
        right.append(("Pseudo R-squ. (CS)", g(cs, "%#6.4g")))
    lines = _header("Generalized Linear Model Regression Results", left, right)
    lines += _coef_table(*_table_parts(m), use_t=m._uses_t())
    return "\n".join(lines)


def ols_summary(m, stamp=None):
    """Linear: statsmodels' OLSResults.summary() layout (header and table)."""
    dep = m.design.y_name if m.design is not None else "y"
    date, clock = _date_rows(stamp)
    f, _, _ = m.fstatistic
    left = [("Dep. Variable", dep), ("Model", "OLS"), ("Method", "Least Squares"), date, clock,
            ("No. Observations", str(m.nobs)), ("Df Residuals", g(m.df_resid, "%d")),
            ("Df Model", str(m.df_model)), ("Covariance Type", "nonrobust")]
    right = [("R-squared", g(m.r_squared, "%#8.3f")), ("Adj. R-squared", g(m.adj_r_squared, "%#8.3f")),
             ("F-statistic", g(f, "%#8.4g")), ("Prob (F-statistic)", g(m.f_pvalue, "%#6.3g")),
             ("Log-Likelihood", g(m.llf, "%#8.5g")), ("AIC", g(m.aic, "%#8.4g")), ("BIC", g(m.bic, "%#8.4g"))]
    title = ("WLS" if m.is_weighted else "OLS") + " Regression Results"
    if m.is_weighted:
        left[1] = ("Model", "WLS")
    lines = _header(title, left, right)
    lines += _coef_table(*_table_parts(m), use_t=True)
    return "\n".join(lines)
