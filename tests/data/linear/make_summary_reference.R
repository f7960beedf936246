# Reference values for tests/check_linear_summary.c: R's summary.lm warning
# "essentially perfect fit: summary may be unreliable" on cases that do and
# do not trigger it, and a fit whose residual sum of squares overflows.
# Run from this directory:  Rscript make_summary_reference.R
# (R 4.2.2, Debian r-base-core; writes summary_reference.json)
num <- function(x) sprintf("%.17g", x)
vec <- function(x) paste0("[", paste(ifelse(is.na(x), "null", num(x)), collapse = ", "), "]")
warns <- function(fit) {
  w <- FALSE
  withCallingHandlers(summary(fit), warning = function(c) {
    if (grepl("essentially perfect fit", conditionMessage(c))) w <<- TRUE
    invokeRestart("muffleWarning")
  })
  w
}
out <- c()
add <- function(name, x, y, w = NULL) {
  fit <- if (is.null(w)) lm(y ~ x) else lm(y ~ x, weights = w)
  fields <- c(sprintf('"x": %s', vec(x)), sprintf('"y": %s', vec(y)),
              sprintf('"weights": %s', if (is.null(w)) "null" else vec(w)),
              sprintf('"perfect_fit_warning": %s', if (warns(fit)) "true" else "false"))
  out <<- c(out, sprintf('"%s": {%s}', name, paste(fields, collapse = ", ")))
}
x <- 0:9
add("exact_line", x, 1 + 2 * x)
add("noise_1e-15", x, 10 + x + 1e-15 * c(1, -1, 2, -2, 1, -1, 2, -2, 1, -1))  # resvar ~ 1e-30 < 1.3e-28
add("noise_1e-13", x, 10 + x + 1e-13 * c(1, -1, 2, -2, 1, -1, 2, -2, 1, -1))  # resvar ~ 1e-26 > 1.3e-28
add("noise_1e-6", x, 10 + x + 1e-6 * c(1, -1, 2, -2, 1, -1, 2, -2, 1, -1))
# zero-weight rows count in mean(f) and var(f) (R's fitted values of all rows)
add("weighted_exact", c(x, 100, 200), c(3 - x, 5, 7), c(rep(1, 10), 0, 0))
# noise_1e-13 does not warn; with two zero-weight rows far out, var(f) is
# 1e15 and it does
e <- 1e-13 * c(1, -1, 2, -2, 1, -1, 2, -2, 1, -1)
add("noise_1e-13_zero_weight_rows", c(x, 1e8, -1e8), c(10 + x + e, 5, 7), c(rep(1, 10), 0, 0))
# y = +-1e200: R's rss overflows (sigma Inf, R^2 NaN); the same fit on
# y / 1e200 gives every scale-free statistic, the others scale
x <- 1:10
y <- rep(c(1e200, -1e200), 5)
s <- summary(lm(I(y / 1e200) ~ x))
f <- lm(I(y / 1e200) ~ x)
fields <- c(sprintf('"x": %s', vec(x)), sprintf('"y": %s', vec(y)), '"scale": 1e200',
            sprintf('"coefficients": %s', vec(coef(f))), sprintf('"std_errors": %s', vec(s$coefficients[, 2])),
            sprintf('"t_values": %s', vec(s$coefficients[, 3])), sprintf('"p_values": %s', vec(s$coefficients[, 4])),
            sprintf('"sigma": %s', num(s$sigma)), sprintf('"r_squared": %s', num(s$r.squared)),
            sprintf('"adj_r_squared": %s', num(s$adj.r.squared)), sprintf('"fstatistic": %s', num(s$fstatistic[1])),
            sprintf('"loglik": %s', num(as.numeric(logLik(f)))),
            sprintf('"r_coefficients_unscaled": %s', vec(coef(lm(y ~ x)))),
            sprintf('"r_sigma_unscaled": "%s"', format(summary(lm(y ~ x))$sigma)))
out <- c(out, sprintf('"overflow_pm1e200": {%s}', paste(fields, collapse = ", ")))
writeLines(c("{", paste(out, collapse = ",\n"), "}"), "summary_reference.json")
