# R references for the Python formula interface (examples/python/tests/test_formula.py).
# Run from this directory: Rscript make_formula_refs.R (R 4.2.2, MASS, jsonlite).
# Writes the data with factor columns as text (<name>.csv), and per case
# <case>.json: R's coefficients, SEs, statistics, p-values, deviances, AIC,
# logLik, dispersion, and predict(newdata, se.fit = TRUE) on both scales.
# Factor levels are recorded in the JSON (R's order: the baselines).
suppressMessages({library(MASS); library(jsonlite)})
num <- function(x) I(as.numeric(sprintf("%.17g", x)))
levels_of <- function(d) lapply(Filter(is.factor, d), levels)
out <- function(case, fit, data_csv, formula_py, newdata, extra = list()) {
  s <- summary(fit)
  cf <- coef(s)
  is_glm <- inherits(fit, "glm")
  pl <- predict(fit, newdata, type = if (is_glm) "link" else "response", se.fit = TRUE)
  pr <- predict(fit, newdata, type = "response", se.fit = TRUE)
  ref <- c(list(case_id = case, r_call = paste(deparse(fit$call), collapse = ""),
                formula_py = formula_py, data_csv = data_csv,
                coef_names = rownames(cf), coefficients = num(cf[, 1]), std_errors = num(cf[, 2]),
                statistics = num(cf[, 3]), p_values = num(cf[, 4]),
                deviance = num(deviance(fit)), df_residual = fit$df.residual,
                loglik = num(as.numeric(logLik(fit))), aic = num(AIC(fit)),
                newdata_rows = I(as.integer(rownames(newdata))),
                predict_link = num(pl$fit), predict_link_se = num(pl$se.fit),
                predict_response = num(pr$fit), predict_response_se = num(pr$se.fit),
                generated_by = R.version.string), extra)
  if (inherits(fit, "glm")) {
    ref$null_deviance <- num(fit$null.deviance)
    ref$dispersion <- num(s$dispersion)
    ref$pearson_chi2 <- num(sum(residuals(fit, "pearson")^2))
    ref$iter <- fit$iter
  }
  writeLines(toJSON(ref, auto_unbox = TRUE, digits = NA, pretty = TRUE), paste0(case, ".json"))
}
wb <- warpbreaks
write.csv(wb, "warpbreaks.csv", row.names = FALSE)
lv <- list(levels = levels_of(wb))
out("warpbreaks_poisson_wool_x_tension", glm(breaks ~ wool * tension, poisson, wb), "warpbreaks.csv",
    "breaks ~ wool * tension", wb[c(1, 10, 19, 28, 37, 46), ], lv)
out("warpbreaks_lm_wool_x_tension", lm(breaks ~ wool * tension, wb), "warpbreaks.csv",
    "breaks ~ wool * tension", wb[c(1, 10, 19, 28, 37, 46), ], lv)
out("warpbreaks_gamma_wool_tension", glm(breaks ~ wool + tension, Gamma(link = "log"), wb), "warpbreaks.csv",
    "breaks ~ wool + tension", wb[c(1, 10, 19, 28, 37, 46), ], lv)
bw <- data.frame(ldose = rep(0:5, 2), numdead = c(1, 4, 9, 13, 18, 20, 0, 2, 6, 10, 12, 16),
                 sex = factor(rep(c("M", "F"), c(6, 6))))
bw$numalive <- 20 - bw$numdead
bw$total <- 20
bw$prop <- bw$numdead / bw$total
write.csv(bw, "budworm.csv", row.names = FALSE)
out("budworm_binomial_sex_x_ldose", glm(cbind(numdead, numalive) ~ sex * ldose, binomial, bw), "budworm.csv",
    "numdead + numalive ~ sex * ldose", bw[c(1, 4, 7, 12), ],
    list(levels = levels_of(bw), formula_py_weights = "prop ~ sex * ldose", weights_py = "total"))
ins <- Insurance
ins$Group <- factor(ins$Group, ordered = FALSE)   # treatment contrasts (R's default for unordered factors)
ins$Age <- factor(ins$Age, ordered = FALSE)
write.csv(ins, "insurance.csv", row.names = FALSE)
nd <- ins[c(1, 20, 40, 64), ]
nd$Holders <- nd$Holders * 2
out("insurance_poisson_offset", glm(Claims ~ District + Group + Age + offset(log(Holders)), poisson, ins),
    "insurance.csv", "Claims ~ District + Group + Age", nd,
    list(levels = levels_of(ins), offset_py = "np.log(Holders)"))
