# The formula interface (occam_glm(formula, family, data, weights, subset,
# offset), occam_lm(formula, ...)) and the model methods, against R's own
# glm()/lm() fitted in this session on the same data: warpbreaks (Poisson,
# wool * tension), MASS's Insurance (ordered factors, offset() in the
# formula and the offset = argument), esoph (binomial: cbind() response,
# proportions with weights, a subset), an aliased coefficient, mtcars (lm).
# Tolerances (issue 14, point 4): coefficients, standard errors, vcov,
# deviance, logLik, AIC, BIC, fitted values, residuals of every type,
# predictions and their standard errors, anova and drop1 tables relative
# 1e-8 (zero-to-scale rule for coefficients R gives as rounding noise);
# profile confidence intervals (confint) relative 1e-6 of R's confint.glm
# (MASS's profile, R 4.2); names, df, nobs, model.matrix and printed
# summary/anova/drop1 texts identical.
source("helpers.R")
HAVE_MASS <- requireNamespace("MASS", quietly = TRUE)
if (nzchar(Sys.getenv("OCCAM_SOURCE_DIR")) && !HAVE_MASS) stop("R package MASS missing: apt-get install r-cran-mass")
if (!HAVE_MASS) cat("note: MASS not installed: Insurance case and confint() references skipped\n")

TOL <- 1e-8
printed <- function(x) capture.output(print(x))
check_text <- function(got, want, what) {
  if (!identical(got, want)) {
    cat("--- ours\n", got, "--- R\n", want, sep = "\n")
    stop(what, ": printed text differs from R's")
  }
  n_checks <<- n_checks + 1L
}

# Every method of a GLM fit against R's glm object; newdata: a data frame
# of new rows (the fit's offset variables included).
compare_glm <- function(fit, ref, newdata, what, profile = HAVE_MASS) {
  check_true(identical(names(coef(fit)), names(coef(ref))), paste(what, "coefficient names"))
  se <- sqrt(diag(vcov(ref)))
  check_scaled(coef(fit), coef(ref), TOL, se, paste(what, "coef"))
  check_true(identical(dimnames(vcov(fit)), dimnames(vcov(ref))), paste(what, "vcov names"))
  check_rel(sqrt(diag(vcov(fit))), se, TOL, paste(what, "std errors"))
  check_scaled(vcov(fit), vcov(ref), TOL, outer(se, se), paste(what, "vcov"))
  check_rel(coef(summary(fit))[, 2:4], coef(summary(ref))[, 2:4], TOL, paste(what, "summary table"))
  check_summary(fit, ref, what)
  for (f in c("deviance", "df.residual", "nobs", "AIC", "BIC"))
    check_rel(get(f)(fit), get(f)(ref), TOL, paste(what, f))
  check_rel(logLik(fit), logLik(ref), TOL, paste(what, "logLik"))
  check_true(identical(attributes(logLik(fit)), attributes(logLik(ref))), paste(what, "logLik df, nobs"))
  check_true(identical(names(fitted(fit)), names(fitted(ref))), paste(what, "fitted names"))
  check_rel(fitted(fit), fitted(ref), TOL, paste(what, "fitted"))
  for (t in c("deviance", "pearson", "working", "response")) {
    check_true(identical(names(residuals(fit, t)), names(residuals(ref, t))), paste(what, t, "residual names"))
    check_rel(residuals(fit, type = t), residuals(ref, type = t), TOL, paste(what, t, "residuals"))
  }
  check_true(isTRUE(all.equal(model.matrix(fit), model.matrix(ref), tolerance = 0)), paste(what, "model.matrix"))
  check_true(identical(formula(fit), formula(ref)), paste(what, "formula"))
  for (type in c("link", "response")) {
    check_rel(predict(fit, type = type), predict(ref, type = type), TOL, paste(what, "predict", type))
    p <- predict(fit, newdata = newdata, type = type, se.fit = TRUE)
    q <- suppressWarnings(predict(ref, newdata = newdata, type = type, se.fit = TRUE))  # R: rank-deficient
    check_true(identical(names(p$fit), names(q$fit)), paste(what, "predict newdata names"))
    check_rel(p$fit, q$fit, TOL, paste(what, "predict newdata", type))
    check_rel(p$se.fit, q$se.fit, TOL, paste(what, "predict newdata se.fit", type))
  }
  if (profile) {
    got <- suppressMessages(confint(fit))
    want <- suppressMessages(confint(ref))
    check_true(identical(dimnames(got), dimnames(want)), paste(what, "confint names"))
    check_rel(got, want, 1e-6, paste(what, "confint (profile)"))
    check_rel(suppressMessages(confint(fit, 2, level = 0.9)), suppressMessages(confint(ref, 2, level = 0.9)),
              1e-6, paste(what, "confint parm 2, level 0.9"))
  }
  check_rel(confint.default(fit), confint.default(ref), TOL, paste(what, "confint.default (Wald)"))
  # anova(fit) (terms sequentially) and drop1(), both tests
  for (test in list(NULL, "Chisq")) {
    a <- anova(fit, test = test); b <- anova(ref, test = test)
    check_rel(a, b, TOL, paste(what, "anova", test)); check_text(printed(a), printed(b), paste(what, "anova"))
  }
  d <- drop1(fit, test = "Chisq"); e <- drop1(ref, test = "Chisq")
  check_rel(d, e, TOL, paste(what, "drop1")); check_text(printed(d), printed(e), paste(what, "drop1"))
  # saveRDS keeps the terms: predictions from a data frame after readRDS
  f <- tempfile(fileext = ".rds")
  saveRDS(fit, f)
  back <- readRDS(f)
  unlink(f)
  check_true(identical(predict(back, newdata), predict(fit, newdata)), paste(what, "readRDS predict newdata"))
}

# 1. warpbreaks, Poisson: wool * tension, and wool + tension nested in it
ref <- glm(breaks ~ wool * tension, family = poisson, data = warpbreaks)
fit <- occam_glm(breaks ~ wool * tension, poisson, warpbreaks)
check_true(identical(names(coef(fit)), c("(Intercept)", "woolB", "tensionM", "tensionH", "woolB:tensionM",
                                         "woolB:tensionH")), "warpbreaks names as R prints them")
nd <- data.frame(wool = c("B", "A", "B"), tension = c("H", "M", "L"), row.names = c("a", "b", "c"))
compare_glm(fit, ref, nd, "warpbreaks poisson wool * tension")
ref1 <- glm(breaks ~ wool + tension, family = poisson, data = warpbreaks)
fit1 <- occam_glm(breaks ~ wool + tension, family = poisson, data = warpbreaks)
compare_glm(fit1, ref1, nd, "warpbreaks poisson wool + tension")
for (test in c("Chisq", "LRT", "F")) {
  a <- suppressWarnings(anova(fit1, fit, test = test)); b <- suppressWarnings(anova(ref1, ref, test = test))
  check_rel(a, b, TOL, paste("anova(fit1, fit2)", test))
  check_text(printed(a), printed(b), paste("anova(fit1, fit2)", test))
}
check_text(printed(anova(fit1, fit)), printed(anova(ref1, ref)), "anova(fit1, fit2) without test")
# quasi-Poisson: estimated dispersion, F tests
refq <- glm(breaks ~ wool * tension, family = quasipoisson, data = warpbreaks)
fitq <- occam_glm(breaks ~ wool * tension, family = quasipoisson, data = warpbreaks)
compare_glm(fitq, refq, nd, "warpbreaks quasipoisson")
a <- anova(fitq, test = "F"); b <- anova(refq, test = "F")
check_rel(a, b, TOL, "quasipoisson anova F"); check_text(printed(a), printed(b), "quasipoisson anova F")
d <- drop1(fitq, test = "F"); e <- drop1(refq, test = "F")
check_rel(d, e, TOL, "quasipoisson drop1 F"); check_text(printed(d), printed(e), "quasipoisson drop1 F")
check_true(identical(coef(occam_glm(formula = breaks ~ wool * tension, family = poisson, data = warpbreaks)),
                     coef(fit)), "formula = by name")
# an unseen level at prediction is model.frame()'s error naming the factor
e <- tryCatch(predict(fit, data.frame(wool = "C", tension = "L")), error = function(e) conditionMessage(e))
check_true(grepl("wool", e) && grepl("C", e), paste("unseen level error:", e))
# the matrix interface still works beside it, with the same numbers
Xw <- model.matrix(~ wool * tension, warpbreaks)
check_rel(coef(occam_glm(Xw, warpbreaks$breaks, family = poisson)), coef(ref), TOL, "matrix interface")
check_true(inherits(tryCatch(occam_glm(Xw, warpbreaks$breaks, familly = poisson), error = function(e) e), "error"),
           "a misspelt argument is an error")

# 2. an offset: MASS's Insurance, ordered factors (contr.poly), offset() in
# the formula and the offset = argument
if (HAVE_MASS) {
  ins <- MASS::Insurance
  nd <- ins[c(3, 17, 40, 64), ]
  nd$Holders <- c(100, 250, 1000, 30)
  ref <- glm(Claims ~ District + Group + Age + offset(log(Holders)), family = poisson, data = ins)
  fit <- occam_glm(Claims ~ District + Group + Age + offset(log(Holders)), family = poisson, data = ins)
  check_true(all(c("Group.L", "Group.Q", "Age.C") %in% names(coef(fit))), "Insurance polynomial contrast names")
  compare_glm(fit, ref, nd, "Insurance offset() term")
  ref <- glm(Claims ~ District + Group + Age, family = poisson, data = ins, offset = log(Holders))
  fit <- occam_glm(Claims ~ District + Group + Age, family = poisson, data = ins, offset = log(Holders))
  compare_glm(fit, ref, nd, "Insurance offset =")
  ref0 <- glm(Claims ~ District + Age, family = poisson, data = ins, offset = log(Holders))
  fit0 <- occam_glm(Claims ~ District + Age, family = poisson, data = ins, offset = log(Holders))
  a <- anova(fit0, fit, test = "Chisq"); b <- anova(ref0, ref, test = "Chisq")
  check_rel(a, b, TOL, "Insurance anova"); check_text(printed(a), printed(b), "Insurance anova")
}

# 3. binomial: esoph as cbind(cases, controls), as proportions with the
# trials as weights, and on a subset (unused levels dropped as glm does)
ref <- glm(cbind(ncases, ncontrols) ~ agegp + tobgp + alcgp, family = binomial, data = esoph)
fit <- occam_glm(cbind(ncases, ncontrols) ~ agegp + tobgp + alcgp, family = binomial, data = esoph)
nd <- esoph[c(1, 20, 50, 88), ]
compare_glm(fit, ref, nd, "esoph cbind")
# cbind() with prior weights: R's AIC counts the trials, not weights x
# trials.  R starts its iterations from mu = (trials y + 0.5) / (trials + 1),
# the library (given proportions and weights x trials, no trials) from
# (weights trials y + 0.5) / (weights trials + 1): the same MLE
# (coefficients, deviance, AIC: 1e-8 of glm(cbind(...), weights)) but R's
# standard errors use the working weights at the start of its last
# iteration, which depend on the path (here 4e-8 apart): they are compared
# with R's own fit of the same proportions and weights x trials (1e-8).
w2 <- rep(c(1, 2, 3), length.out = nrow(esoph))
ref <- glm(cbind(ncases, ncontrols) ~ alcgp + tobgp, family = binomial, data = esoph, weights = w2)
fit <- occam_glm(cbind(ncases, ncontrols) ~ alcgp + tobgp, family = binomial, data = esoph, weights = w2)
check_true(identical(names(coef(fit)), names(coef(ref))), "esoph cbind weights names")
check_rel(coef(fit), coef(ref), TOL, "esoph cbind weights coef")
for (f in c("deviance", "AIC", "BIC", "logLik", "nobs", "df.residual"))
  check_rel(get(f)(fit), get(f)(ref), TOL, paste("esoph cbind weights", f))
check_rel(fitted(fit), fitted(ref), TOL, "esoph cbind weights fitted")
check_rel(residuals(fit), residuals(ref), TOL, "esoph cbind weights deviance residuals")
trials <- esoph$ncases + esoph$ncontrols
ref_p <- glm(ncases / trials ~ alcgp + tobgp, family = binomial, data = esoph, weights = w2 * trials)
check_rel(sqrt(diag(vcov(fit))), sqrt(diag(vcov(ref_p))), TOL, "esoph cbind weights std errors")
p <- predict(fit, esoph[c(2, 40), ], se.fit = TRUE)
q <- predict(ref_p, esoph[c(2, 40), ], se.fit = TRUE)
check_rel(p$fit, q$fit, TOL, "esoph cbind weights predict")
check_rel(p$se.fit, q$se.fit, TOL, "esoph cbind weights predict se.fit")
ref <- glm(ncases / (ncases + ncontrols) ~ agegp + unclass(tobgp) + alcgp, family = binomial, data = esoph,
           weights = ncases + ncontrols)
fit <- occam_glm(ncases / (ncases + ncontrols) ~ agegp + unclass(tobgp) + alcgp, family = binomial, data = esoph,
                 weights = ncases + ncontrols)
compare_glm(fit, ref, nd, "esoph proportions with weights")
sub <- esoph$agegp != "25-34"
ref <- glm(cbind(ncases, ncontrols) ~ agegp + alcgp, family = binomial, data = esoph, subset = agegp != "25-34")
fit <- occam_glm(cbind(ncases, ncontrols) ~ agegp + alcgp, family = binomial, data = esoph, subset = agegp != "25-34")
compare_glm(fit, ref, esoph[which(sub)[c(1, 30, 60)], ], "esoph subset")
# a factor response (first level = failure), infert
ref <- glm(factor(case) ~ spontaneous + induced + age, family = binomial, data = infert)
fit <- occam_glm(factor(case) ~ spontaneous + induced + age, family = binomial, data = infert)
compare_glm(fit, ref, infert[1:5, ], "infert factor response")

# 4. an aliased coefficient: R's NA and "(1 not defined because of singularities)"
wb <- transform(warpbreaks, tM = as.numeric(tension == "M"))
ref <- glm(breaks ~ wool + tension + tM, family = poisson, data = wb)
fit <- suppressWarnings(occam_glm(breaks ~ wool + tension + tM, family = poisson, data = wb))
check_true(is.na(coef(fit)[["tM"]]) && identical(is.na(coef(fit)), is.na(coef(ref))), "aliased pattern")
compare_glm(fit, ref, wb[c(1, 30, 54), ], "warpbreaks aliased")

# 5. occam_lm(formula): mtcars with a factor, weights, a subset, an offset
mt <- transform(mtcars, cyl = factor(cyl))
compare_lm <- function(fit, ref, newdata, what) {
  check_true(identical(names(coef(fit)), names(coef(ref))), paste(what, "names"))
  check_scaled(coef(fit), coef(ref), TOL, sqrt(diag(vcov(ref))), paste(what, "coef"))
  check_rel(coef(summary(fit))[, 2:4], coef(summary(ref))[, 2:4], TOL, paste(what, "summary table"))
  check_summary(fit, ref, what)
  for (f in c("deviance", "df.residual", "nobs", "AIC", "BIC", "logLik"))
    check_rel(get(f)(fit), get(f)(ref), TOL, paste(what, f))
  check_rel(fitted(fit), fitted(ref), TOL, paste(what, "fitted"))
  check_rel(residuals(fit), residuals(ref), TOL, paste(what, "residuals"))
  check_true(identical(names(residuals(fit)), names(residuals(ref))), paste(what, "residual names"))
  check_true(isTRUE(all.equal(model.matrix(fit), model.matrix(ref), tolerance = 0)), paste(what, "model.matrix"))
  check_rel(confint(fit), confint(ref), TOL, paste(what, "confint"))
  check_true(identical(dimnames(confint(fit)), dimnames(confint(ref))), paste(what, "confint names"))
  p <- predict(fit, newdata, se.fit = TRUE)
  q <- suppressWarnings(predict(ref, newdata, se.fit = TRUE))
  check_true(identical(names(p$fit), names(q$fit)), paste(what, "predict names"))
  check_rel(p$fit, q$fit, TOL, paste(what, "predict newdata"))
  check_rel(p$se.fit, q$se.fit, TOL, paste(what, "predict se.fit"))
  a <- anova(fit); b <- anova(ref)
  check_rel(a, b, TOL, paste(what, "anova")); check_text(printed(a), printed(b), paste(what, "anova"))
  for (test in c("none", "Chisq", "F")) {
    a <- drop1(fit, test = test); b <- drop1(ref, test = test)
    check_rel(a, b, TOL, paste(what, "drop1", test)); check_text(printed(a), printed(b), paste(what, "drop1", test))
  }
}
nd <- mt[c("Fiat 128", "Valiant", "Ferrari Dino"), ]
compare_lm(occam_lm(mpg ~ wt * hp + cyl, mt), lm(mpg ~ wt * hp + cyl, mt), nd, "mtcars lm")
compare_lm(occam_lm(mpg ~ log(wt) + cyl, data = mt, weights = 1 / disp, subset = am == 1),
           lm(mpg ~ log(wt) + cyl, data = mt, weights = 1 / disp, subset = am == 1), nd, "mtcars weighted subset")
compare_lm(occam_lm(mpg ~ wt + offset(0.01 * hp), data = mt, offset = qsec),
           lm(mpg ~ wt + offset(0.01 * hp), data = mt, offset = qsec), nd, "mtcars offsets")
compare_lm(occam_lm(mpg ~ 0 + cyl + wt, mt), lm(mpg ~ 0 + cyl + wt, mt), nd, "mtcars no intercept")
fit1 <- occam_lm(mpg ~ wt, mt); ref1 <- lm(mpg ~ wt, mt)
fit2 <- occam_lm(mpg ~ wt * hp + cyl, mt); ref2 <- lm(mpg ~ wt * hp + cyl, mt)
for (test in list("F", "Chisq", NULL)) {
  a <- anova(fit1, fit2, test = test); b <- anova(ref1, ref2, test = test)
  check_rel(a, b, TOL, paste("lm anova(fit1, fit2)", test))
  check_text(printed(a), printed(b), paste("lm anova(fit1, fit2)", test))
}
mt$wt2 <- 2 * mt$wt  # an aliased term: absent from anova.lm's table, as R's
fit <- suppressWarnings(occam_lm(mpg ~ wt + wt2 + hp, mt)); ref <- lm(mpg ~ wt + wt2 + hp, mt)
check_text(printed(anova(fit)), printed(anova(ref)), "lm anova aliased term")
check_rel(anova(fit), anova(ref), TOL, "lm anova aliased term")

# na.action = na.exclude (airquality's missing Ozone and Solar.R): residuals,
# fitted values and predictions padded with NA as R's
ref <- glm(Ozone ~ Solar.R + Temp, family = poisson, data = airquality, na.action = na.exclude)
fit <- occam_glm(Ozone ~ Solar.R + Temp, family = poisson, data = airquality, na.action = na.exclude)
check_rel(coef(fit), coef(ref), TOL, "airquality na.exclude coef")
for (t in c("deviance", "pearson", "working", "response")) {
  check_true(identical(names(residuals(fit, t)), names(residuals(ref, t))), paste("na.exclude", t, "names"))
  check_rel(residuals(fit, t), residuals(ref, t), TOL, paste("na.exclude", t, "residuals"))
}
check_rel(fitted(fit), fitted(ref), TOL, "na.exclude fitted")
check_rel(predict(fit, se.fit = TRUE)[1:2], predict(ref, se.fit = TRUE)[1:2], TOL, "na.exclude predict")
check_summary(fit, ref, "glm na.exclude")
ref <- lm(Ozone ~ Solar.R + Temp, data = airquality, na.action = na.exclude)
fit <- occam_lm(Ozone ~ Solar.R + Temp, data = airquality, na.action = na.exclude)
check_rel(residuals(fit), residuals(ref), TOL, "lm na.exclude residuals")
check_rel(fitted(fit), fitted(ref), TOL, "lm na.exclude fitted")
check_rel(predict(fit), predict(ref), TOL, "lm na.exclude predict")
check_summary(fit, ref, "lm na.exclude")

done("test_formula.R")
