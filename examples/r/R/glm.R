# Generalized linear models fitted by IRLS, as glm().

# family: a name ("poisson"), a family function (poisson) or object
# (poisson(link = "log")); link: a name overriding the family object's.
.family_link <- function(family, link) {
  if (is.function(family)) family <- family()
  if (inherits(family, "family")) {
    if (is.null(link)) link <- family$link
    family <- family$family
  }
  if (!is.character(family) || length(family) != 1L) stop("family must be a name or a family object", call. = FALSE)
  list(family = family, link = link)
}

.family_object <- function(family, link) {
  f <- get(family, mode = "function", envir = asNamespace("stats"))
  f(link = link)
}

#' Generalized linear model, as glm(y ~ X, family, weights, offset).
#'
#' X: numeric matrix without the intercept column (a "(Intercept)" column,
#' as model.matrix() makes, is dropped); y: response (binomial: proportions
#' with weights = numbers of trials, or 0/1); family: "gaussian",
#' "binomial", "poisson", "Gamma", "inverse.gaussian", "quasibinomial",
#' "quasipoisson" or the family object; link: R's link name (default the
#' family's).  control: glm.control()-like list(epsilon, maxit).  Returns
#' an object of class "occam_glm" with the usual glm components and
#' methods coef(), vcov(), predict(type = "link" | "response", se.fit),
#' summary() (printed by R's print.summary.glm), residuals(type), fitted(),
#' logLik(), AIC(), nobs(), family().  fast = TRUE: the fast path
#' (OCCAM_OPT_FAST), not R's iterations but R's MLE with the SEs of one final
#' X'WX at it; it falls back to R's path when in doubt; $fast says which ran.
#' The first argument picks the interface: a formula dispatches to
#' occam_glm.formula() (R/formula.R), anything else to this matrix method.
occam_glm <- function(X, ...) {
  if (missing(X)) return(.formula_by_name(match.call(), "occam_glm", parent.frame()))
  UseMethod("occam_glm")
}

occam_glm.default <- function(X, y, family = gaussian(), link = NULL, weights = NULL, offset = NULL,
                              intercept = TRUE, control = list(), start = NULL,
                              solver = c("auto", "qr", "cholesky"), threads = 1L, fast = FALSE, ...) {
  .no_dots(...)
  call <- match.call()
  call[[1L]] <- quote(occam_glm)
  .glm_matrix(X, y, family, link, weights, offset, intercept, control, start, match.arg(solver), threads, fast, call)
}

# The matrix fit behind both interfaces.
.glm_matrix <- function(X, y, family, link, weights, offset, intercept, control, start, solver, threads, fast,
                        call) {
  fl <- .family_link(family, link)
  d <- .design(X, intercept)
  n <- nrow(d$X)
  y <- .vec(y, n, "y")
  weights <- .vec(weights, n, "weights")
  offset <- .vec(offset, n, "offset")
  h <- .Call(C_occamr_new, "glm", fl$family, fl$link)
  if (!is.null(start)) .Call(C_occamr_glm_set_start, h, as.double(start))
  opts <- .options(intercept = as.numeric(d$intercept), epsilon = control$epsilon, maxit = control$maxit,
                   solver = match(solver, c("qr", "cholesky", "auto")), threads = threads,
                   fast = if (isTRUE(fast)) 1 else 0)
  status <- .Call(C_occamr_fit, h, d$X, y, weights, offset, opts)
  if (ncol(d$X)) .Call(C_occamr_set_names, h, colnames(d$X))
  .warn_conditions(h, status, call)
  obj <- .glm_object(h, call, list(X = d$X, y = y, offset = offset))
  obj$control <- list(epsilon = control$epsilon, maxit = control$maxit)
  obj$intercept <- d$intercept
  obj
}

.glm_object <- function(h, call, data) {
  cf <- .coef_parts(h)
  info <- function(k) .info(h, k)
  fam_name <- .Call(C_occamr_glm_names, h)  # R's family and link names
  obj <- list(
    coefficients = cf$estimate, aliased = cf$aliased, std.errors = cf$se, statistics = cf$statistic,
    p.values = cf$p, t.statistic = isTRUE(info("t.statistic") == 1), vcov = cf$vcov,
    residuals = .rows(h, "working"), fitted.values = .rows(h, "fitted"),
    rank = as.integer(info("rank")), family = .family_object(fam_name[1L], fam_name[2L]),
    linear.predictors = .rows(h, "linear.predictors"), deviance = info("deviance"), aic = info("aic"),
    null.deviance = info("null.deviance"), iter = as.integer(info("iter")), weights = .rows(h, "weights"),
    prior.weights = .rows(h, "prior.weights"), df.residual = info("df.residual"), df.null = info("df.null"),
    y = data$y, converged = isTRUE(info("converged") == 1), boundary = isTRUE(info("boundary") == 1),
    dispersion = info("dispersion"), loglik = info("loglik"), pearson.chi2 = info("pearson.chi2"),
    nobs = info("nobs"), fast = isTRUE(info("fast") == 1),
    resid = list(deviance = .rows(h, "deviance"), pearson = .rows(h, "pearson"),
                 working = .rows(h, "working"), response = .rows(h, "response")),
    x = data$X, offset = data$offset, xnames = .Call(C_occamr_column_names, h),
    call = call, raw = .Call(C_occamr_serialize, h), handle = .new_holder(h))
  class(obj) <- c("occam_glm", "occam_model")
  obj
}

family.occam_glm <- function(object, ...) object$family

print.occam_glm <- function(x, digits = max(3L, getOption("digits") - 3L), ...) {
  getS3method("print", "glm")(x, digits = digits, ...)  # R's own print.glm reads the same fields
}

#' summary(): an object of class c("summary.occam_glm", "summary.glm"),
#' printed by R's own print.summary.glm; coef(summary(fit)) is the table.
summary.occam_glm <- function(object, ...) {
  al <- object$aliased
  z <- !object$t.statistic
  tab <- cbind(object$coefficients, object$std.errors, object$statistics, object$p.values)
  dimnames(tab) <- list(names(al), c("Estimate", "Std. Error", if (z) "z value" else "t value",
                                     if (z) "Pr(>|z|)" else "Pr(>|t|)"))
  tab <- tab[!al, , drop = FALSE]
  V <- object$vcov  # the estimable coefficients' block
  ans <- list(call = object$call, family = object$family, deviance = object$deviance, aic = object$aic,
              df.residual = object$df.residual, null.deviance = object$null.deviance,
              df.null = object$df.null, iter = object$iter, deviance.resid = object$resid$deviance,
              coefficients = tab, aliased = al, dispersion = object$dispersion,
              df = c(object$rank, object$df.residual, length(al)),
              cov.unscaled = V / object$dispersion, cov.scaled = V)
  if (is.null(ans$deviance.resid)) ans$deviance.resid <- numeric(0)
  ans$na.action <- object$na.action  # "(n observations deleted due to missingness)"
  class(ans) <- c("summary.occam_glm", "summary.glm")
  ans
}

#' predict() as predict.glm: type "link" (default) or "response"; newdata a
#' matrix or data frame with the fit's columns (by name when named), NULL for
#' the fitted rows; se.fit gives list(fit, se.fit, residual.scale).
predict.occam_glm <- function(object, newdata = NULL, type = c("link", "response"), se.fit = FALSE,
                              offset = NULL, ...) {
  type <- match.arg(type)
  rows <- .predict_rows(object, newdata, offset)
  X <- rows$X
  offset <- .vec(rows$offset, nrow(X), "offset")
  r <- .Call(C_occamr_predict, .handle(object), .pkg$K$predict[[type]], 0, X, offset, se.fit)
  nm <- if (!is.null(rownames(X))) rownames(X) else as.character(seq_len(nrow(X)))
  fit <- setNames(r[[1L]], nm)
  if (is.null(newdata)) fit <- napredict(object$na.action, fit)  # na.exclude: NA for the excluded rows
  if (!se.fit) return(fit)
  se <- setNames(r[[2L]], nm)
  if (is.null(newdata)) se <- napredict(object$na.action, se)
  list(fit = fit, se.fit = se, residual.scale = sqrt(object$dispersion))
}

#' residuals() as residuals.glm: "deviance" (default), "pearson", "working", "response".
residuals.occam_glm <- function(object, type = c("deviance", "pearson", "working", "response"), ...) {
  type <- match.arg(type)
  naresid(object$na.action, object$resid[[type]])  # na.exclude: NA for the excluded rows
}

logLik.occam_glm <- function(object, ...) {
  fam <- object$family$family
  df <- object$rank + as.integer(fam %in% c("gaussian", "Gamma", "inverse.gaussian"))
  val <- if (fam %in% c("quasibinomial", "quasipoisson")) NA_real_ else object$loglik  # R: NA for quasi
  structure(val, nobs = as.integer(object$nobs), df = df, class = "logLik")  # R's attribute order
}
