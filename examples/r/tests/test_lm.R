# occam_lm() against R's own lm() (R 4.2, same session) on real datasets:
# cars, LifeCycleSavings, mtcars (weighted, with an aliased column, with an
# offset, without intercept).  Tolerances are the linear issue's contract:
# coefficients, fitted values, residuals and predictions relative 1e-9;
# standard errors, t values, p-values, sigma, R^2, F, vcov, logLik and
# prediction standard errors relative 1e-7; summary() printed text identical
# to R's after "Call:".
source("helpers.R")

compare <- function(fit, ref, X, what, newrows = 1:6) {
  check_true(identical(names(coef(fit)), names(coef(ref))), paste(what, "names"))
  check_rel(coef(fit), coef(ref), 1e-9, paste(what, "coef"))
  s <- summary(fit); r <- summary(ref)
  check_rel(coef(s), coef(r), 1e-7, paste(what, "coefficient table"))
  check_rel(vcov(fit), vcov(ref), 1e-7, paste(what, "vcov"))
  for (f in c("sigma", "r.squared", "adj.r.squared")) check_rel(s[[f]], r[[f]], 1e-7, paste(what, f))
  if (!is.null(r$fstatistic)) check_rel(s$fstatistic, r$fstatistic, 1e-7, paste(what, "F"))
  check_true(fit$df.residual == ref$df.residual && fit$rank == ref$rank && nobs(fit) == nobs(ref),
             paste(what, "df, rank, nobs"))
  check_rel(logLik(fit), logLik(ref), 1e-7, paste(what, "logLik"))
  check_rel(AIC(fit), AIC(ref), 1e-7, paste(what, "AIC"))
  check_rel(fitted(fit), fitted(ref), 1e-9, paste(what, "fitted"))
  check_rel(residuals(fit), residuals(ref), 1e-9, paste(what, "residuals"))
  p <- predict(fit, X[newrows, , drop = FALSE], se.fit = TRUE, offset = ref$offset[newrows])
  q <- suppressWarnings(predict(ref, ref$model[newrows, , drop = FALSE], se.fit = TRUE))
  check_rel(p$fit, q$fit, 1e-9, paste(what, "predict"))
  check_rel(p$se.fit, q$se.fit, 1e-7, paste(what, "predict se.fit"))
  check_summary(fit, ref, what)
}

# cars: stopping distance on speed
ref <- lm(dist ~ speed, data = cars)
X <- model.matrix(~ speed, cars)
compare(occam_lm(X, cars$dist), ref, X, "cars")

# LifeCycleSavings: savings rate on demography and income
ref <- lm(sr ~ ., data = LifeCycleSavings)
X <- model.matrix(~ ., LifeCycleSavings[, -1])
compare(occam_lm(X, LifeCycleSavings$sr), ref, X, "LifeCycleSavings")

# mtcars: weighted (prior weights 1/disp) with cyl as a factor
mt <- transform(mtcars, cyl = factor(cyl))
ref <- lm(mpg ~ wt + hp + cyl, data = mt, weights = 1 / disp)
X <- model.matrix(~ wt + hp + cyl, mt)
compare(occam_lm(X, mt$mpg, weights = 1 / mt$disp), ref, X, "mtcars weighted")

# an aliased column: R's NA coefficient, "(1 not defined because of singularities)"
mt$wt2 <- 2 * mt$wt
ref <- lm(mpg ~ wt + hp + wt2, data = mt)
X <- model.matrix(~ wt + hp + wt2, mt)
w <- collect_warnings(occam_lm(X, mt$mpg))
check_true(length(w$warnings) == 1L && w$warnings[[1L]]$status == 5L, "rank deficiency warns (OCCAM_W_RANK_DEFICIENT)")
fit <- w$value
check_true(is.na(coef(fit)[["wt2"]]) && identical(is.na(coef(fit)), is.na(coef(ref))), "aliased pattern")
check_rel(coef(fit), coef(ref), 1e-9, "aliased coef")
check_summary(fit, ref, "aliased")

# offset and no intercept
ref <- lm(dist ~ speed + offset(2 * speed), data = cars)
fit <- occam_lm(cbind(speed = cars$speed), cars$dist, offset = 2 * cars$speed)
check_rel(coef(fit), coef(ref), 1e-9, "offset coef")
check_rel(predict(fit, cbind(speed = c(5, 30)), offset = c(10, 60)), predict(ref, data.frame(speed = c(5, 30))),
          1e-9, "offset predict")
ref <- lm(dist ~ speed - 1, data = cars)
fit <- occam_lm(cbind(speed = cars$speed), cars$dist, intercept = FALSE)
compare(fit, ref, cbind(speed = cars$speed), "no intercept")

# hand-coded: prediction = 1.5 + 2 a - 0.5 b, exact arithmetic
h <- occam_lm_coef(c(a = 2, b = -0.5), intercept = 1.5)
check_true(identical(unname(predict(h, cbind(a = c(1, 4, -2), b = c(2, 0, 6)))), c(2.5, 9.5, -5.5)),
           "hand-coded predictions")
check_true(identical(unname(predict(h, cbind(b = c(2, 0), a = c(1, 4)))), c(2.5, 9.5)), "columns matched by name")
check_true(identical(names(coef(h)), c("(Intercept)", "a", "b")), "hand-coded names")

# summary.lm's "essentially perfect fit" warning, where R gives it (an exact
# line, and NIST's Wampler1), as an R warning of class occam_warning
# (status 10), with R's words; none on an ordinary fit
x <- 0:9
for (case in list(list(x = x, y = 1 + 2 * x), list(x = 0:20, y = rowSums(outer(0:20, 0:5, `^`))))) {
  X <- if (length(case$x) == 21L) outer(case$x, 1:5, `^`) else cbind(x = case$x)
  r_warns <- FALSE
  withCallingHandlers(summary(lm(case$y ~ X)), warning = function(c) {
    r_warns <<- grepl("essentially perfect fit", conditionMessage(c)); invokeRestart("muffleWarning")
  })
  w <- collect_warnings(occam_lm(X, case$y))
  check_true(r_warns && length(w$warnings) == 1L && w$warnings[[1L]]$status == 10L &&
             inherits(w$warnings[[1L]], "occam_warning") &&
             grepl("essentially perfect fit: summary may be unreliable", conditionMessage(w$warnings[[1L]]), fixed = TRUE),
             "perfect fit warns as summary.lm (OCCAM_W_PERFECT_FIT)")
}
w <- collect_warnings(occam_lm(cbind(speed = cars$speed), cars$dist))
check_true(length(w$warnings) == 0L, "no warning on cars")

# y = +-1e200: R's lm gives sigma Inf and R^2 NaN; occam's are those of
# y / 1e200 scaled back, with an overflow warning (status 11) for the RSS
y <- rep(c(1e200, -1e200), 5)
x <- 1:10
w <- collect_warnings(occam_lm(cbind(x = x), y))
fit <- w$value
ref <- summary(lm(I(y / 1e200) ~ x))
check_true(length(w$warnings) == 1L && w$warnings[[1L]]$status == 11L, "overflow warns (OCCAM_W_OVERFLOW)")
check_rel(summary(fit)$sigma, ref$sigma * 1e200, 1e-9, "overflow sigma")
check_rel(summary(fit)$r.squared, ref$r.squared, 1e-9, "overflow R^2")
check_rel(coef(summary(fit))[, 3], ref$coefficients[, 3], 1e-9, "overflow t values")

# fewer rows than columns (3 x 4000): R's NA pattern and estimates; the
# object keeps the 3 x 3 covariance of the estimable coefficients, not 4001^2
X <- outer(0:2, 0:3999, function(i, j) ((37 * i + 101 * j + 7 * i * j) %% 199) - 99)
X[, 2] <- 2 * X[, 1]; X[, 3] <- 0
colnames(X) <- paste0("x", 1:4000)
y <- c(1.5, -2, 4)
ref <- lm.fit(cbind("(Intercept)" = 1, X), y)
w <- collect_warnings(occam_lm(X, y))
fit <- w$value
check_true(identical(unname(is.na(coef(fit))), unname(is.na(ref$coefficients))), "wide: R's aliased pattern")
check_rel(coef(fit)[!is.na(coef(fit))], ref$coefficients[!is.na(ref$coefficients)], 1e-9, "wide: coefficients")
check_true(identical(dim(fit$vcov), c(3L, 3L)) && nrow(coef(summary(fit))) == 3L, "wide: 3 x 3 covariance kept")

done("test_lm.R")
