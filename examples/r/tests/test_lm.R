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

done("test_lm.R")
