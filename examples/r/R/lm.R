# The linear baseline: least squares as lm(), or hand-coded coefficients.

#' Least squares fit, as lm(y ~ X) / lm.wfit.
#'
#' X: numeric matrix without the intercept column (a column named
#' "(Intercept)", as model.matrix() makes, is dropped); y, weights (prior
#' weights >= 0) and offset: one value per row.  Returns an object of class
#' "occam_lm" with coef(), vcov(), predict(), summary() (printed as
#' summary.lm), residuals(), fitted(), logLik(), AIC(), nobs().
#' The first argument picks the interface: a formula dispatches to
#' occam_lm.formula() (R/formula.R), anything else to this matrix method.
occam_lm <- function(X, ...) {
  if (missing(X)) return(.formula_by_name(match.call(), "occam_lm", parent.frame()))
  UseMethod("occam_lm")
}

occam_lm.default <- function(X, y, weights = NULL, offset = NULL, intercept = TRUE,
                             solver = c("qr", "cholesky"), rank_tol = NULL, ...) {
  .no_dots(...)
  call <- match.call()
  call[[1L]] <- quote(occam_lm)
  .lm_matrix(X, y, weights, offset, intercept, match.arg(solver), rank_tol, call)
}

# The matrix fit behind both interfaces.
.lm_matrix <- function(X, y, weights, offset, intercept, solver, rank_tol, call) {
  d <- .design(X, intercept)
  n <- nrow(d$X)
  y <- .vec(y, n, "y")
  weights <- .vec(weights, n, "weights")
  offset <- .vec(offset, n, "offset")
  h <- .Call(C_occamr_new, "linear", NULL, NULL)
  opts <- .options(intercept = as.numeric(d$intercept), solver = if (solver == "qr") 1 else 2, rank_tol = rank_tol)
  status <- .Call(C_occamr_fit, h, d$X, y, weights, offset, opts)
  if (ncol(d$X)) .Call(C_occamr_set_names, h, colnames(d$X))
  .warn_conditions(h, status, call)
  obj <- .lm_object(h, call, list(X = d$X, y = y, weights = weights, offset = offset))
  obj$intercept <- d$intercept
  obj
}

#' A hand-coded linear model: prediction = intercept + sum(coef * x).
occam_lm_coef <- function(coef, intercept = 0, has_intercept = TRUE, names = base::names(coef)) {
  h <- .Call(C_occamr_new, "linear", NULL, NULL)
  .Call(C_occamr_linear_set_coef, h, has_intercept, as.numeric(intercept), as.numeric(coef))
  if (!is.null(names)) .Call(C_occamr_set_names, h, as.character(names))
  .lm_object(h, match.call(), NULL)
}

.lm_object <- function(h, call, data) {
  cf <- .coef_parts(h)
  info <- function(k) .info(h, k)
  xn <- .Call(C_occamr_column_names, h)
  obj <- list(
    coefficients = cf$estimate, aliased = cf$aliased, std.errors = cf$se, statistics = cf$statistic,
    p.values = cf$p, vcov = cf$vcov,
    residuals = .rows(h, "response"), fitted.values = .rows(h, "fitted"),
    weighted.residuals = .rows(h, "pearson"),
    rank = as.integer(info("rank")), df.residual = info("df.residual"),
    deviance = info("deviance"), sigma = info("sigma"), r.squared = info("r.squared"),
    adj.r.squared = info("adj.r.squared"),
    fstatistic = c(value = info("fstatistic"), numdf = info("f.numdf"), dendf = info("f.dendf")),
    loglik = info("loglik"), nobs = info("nobs"),
    weights = data$weights, offset = data$offset, x = data$X, y = data$y, xnames = xn,
    call = call, raw = .Call(C_occamr_serialize, h), handle = .new_holder(h))
  class(obj) <- c("occam_lm", "occam_model")
  obj
}

print.occam_lm <- function(x, digits = max(3L, getOption("digits") - 3L), ...) {
  cat("\nCall:\n", paste(deparse(x$call), sep = "\n", collapse = "\n"), "\n\n", sep = "")
  if (length(coef(x))) {
    cat("Coefficients:\n")
    print.default(format(coef(x), digits = digits), print.gap = 2L, quote = FALSE)
  } else cat("No coefficients\n")
  cat("\n")
  invisible(x)
}

#' summary() of a least-squares fit: an object of class c("summary.occam_lm",
#' "summary.lm"), printed by R's own print.summary.lm.
summary.occam_lm <- function(object, ...) {
  if (is.na(object$df.residual)) stop("a hand-coded model has no fit summary", call. = FALSE)
  al <- object$aliased
  tab <- cbind(Estimate = object$coefficients, "Std. Error" = object$std.errors,
               "t value" = object$statistics, "Pr(>|t|)" = object$p.values)[!al, , drop = FALSE]
  V <- object$vcov  # the estimable coefficients' block
  ans <- list(call = object$call, residuals = object$weighted.residuals, coefficients = tab, aliased = al,
              sigma = object$sigma, df = c(object$rank, object$df.residual, length(al)),
              r.squared = object$r.squared, adj.r.squared = object$adj.r.squared,
              cov.unscaled = V / object$sigma^2, weights = object$weights)
  if (isTRUE(object$fstatistic[["numdf"]] > 0)) ans$fstatistic <- object$fstatistic
  ans$na.action <- object$na.action  # "(n observations deleted due to missingness)"
  class(ans) <- c("summary.occam_lm", "summary.lm")
  ans
}

#' predict(): newdata (matrix or data frame with the fit's columns, matched by
#' name when named) or NULL for the fitted rows; se.fit as predict.lm.
predict.occam_lm <- function(object, newdata = NULL, se.fit = FALSE, offset = NULL, ...) {
  rows <- .predict_rows(object, newdata, offset)
  X <- rows$X
  offset <- .vec(rows$offset, nrow(X), "offset")
  r <- .Call(C_occamr_predict, .handle(object), .pkg$K$predict[["response"]], 0, X, offset, se.fit)
  nm <- if (!is.null(rownames(X))) rownames(X) else as.character(seq_len(nrow(X)))
  fit <- setNames(r[[1L]], nm)
  if (is.null(newdata)) fit <- napredict(object$na.action, fit)  # na.exclude: NA for the excluded rows
  if (!se.fit) return(fit)
  se <- setNames(r[[2L]], nm)
  if (is.null(newdata)) se <- napredict(object$na.action, se)
  list(fit = fit, se.fit = se, df = object$df.residual, residual.scale = object$sigma)
}

logLik.occam_lm <- function(object, ...) {
  structure(object$loglik, df = object$rank + 1, nobs = object$nobs, class = "logLik")
}
