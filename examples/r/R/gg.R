# The Gamma-Gamma spend model (Colombo & Jiang 1999; Fader, Hardie & Lee
# 2005), with BTYD's argument names: x (repeat transactions) and m.x (their
# mean value); parameters p, q, gamma as lifetimes, CLVTools gg() and BTYD.

.gg_matrix <- function(x, m.x) {
  if (is.null(m.x)) {
    X <- x
    if (is.data.frame(X)) {
      i <- .pick_columns(names(X), list("x", c("m.x", "m_x")))
      X <- if (anyNA(i)) as.matrix(X) else as.matrix(X[, i])
    }
    if (!is.matrix(X) || ncol(X) != 2L)
      stop("give x and m.x, or one 2-column matrix / data frame (x, m.x)", call. = FALSE)
  } else {
    if (length(x) != length(m.x)) stop("x and m.x must have the same length", call. = FALSE)
    X <- cbind(as.numeric(x), as.numeric(m.x))
  }
  storage.mode(X) <- "double"
  X
}

#' Fit the Gamma-Gamma spend model by maximum likelihood (occam_gg_new).
#'
#' x, m.x: customers' repeat transactions and their mean value (rows with
#' x = 0 are skipped), or x alone as a 2-column matrix / data frame.
#' weights: row counts.  control: list(maxit, grad_tol).  Returns an object
#' of class "occam_gg": coef() (p, q, gamma), vcov(), logLik(), summary(),
#' predict(type = "spend"), $correlation (of x and m.x; the model assumes ~0).
occam_gg <- function(x, m.x = NULL, weights = NULL, control = list()) {
  call <- match.call()
  X <- .gg_matrix(x, m.x)
  weights <- .vec(weights, nrow(X), "weights")
  h <- .Call(C_occamr_new, "gg", NULL, NULL)
  status <- .Call(C_occamr_fit, h, X, NULL, weights, NULL, .options(maxit = control$maxit, grad_tol = control$grad_tol))
  .warn_conditions(h, status, call)
  .gg_object(h, call)
}

#' A Gamma-Gamma model with given parameters (e.g. published estimates).
occam_gg_params <- function(p, q, gamma) {
  h <- .Call(C_occamr_new, "gg", NULL, NULL)
  .Call(C_occamr_gg_set_params, h, as.numeric(c(p, q, gamma)))
  .gg_object(h, match.call())
}

.gg_object <- function(h, call) {
  cf <- .coef_parts(h)
  info <- function(k) .info(h, k)
  obj <- list(coefficients = cf$estimate, std.errors = cf$se, vcov = cf$vcov, loglik = info("loglik"),
              aic = info("aic"), iter = as.integer(info("iter")), converged = isTRUE(info("converged") == 1),
              correlation = info("correlation"), nobs = info("nobs"), call = call,
              raw = .Call(C_occamr_serialize, h), handle = .new_holder(h))
  # the context the model records (docs/format.md 1.2): time_unit ("weeks", "days", "other",
  # "unknown"), unit_days, calibration_end (NA when unknown), calibration_end_text
  obj <- c(obj, .Call(C_occamr_context, h))
  class(obj) <- c("occam_gg", "occam_model")
  obj
}

#' E[M | x, m.x], the conditional expected average transaction value, as
#' BTYD's spend.expected.value(params, m.x, x) and lifetimes'
#' conditional_expected_average_profit.
gg_spend <- function(object, x, m.x = NULL)
  .Call(C_occamr_predict, .handle(object), .pkg$K$predict[["spend"]], 0, .gg_matrix(x, m.x), NULL, FALSE)[[1L]]

predict.occam_gg <- function(object, newdata, type = c("spend", "loglik"), ...) {
  type <- match.arg(type)
  .Call(C_occamr_predict, .handle(object), .pkg$K$predict[[type]], 0, .gg_matrix(newdata, NULL), NULL, FALSE)[[1L]]
}

logLik.occam_gg <- function(object, ...) structure(object$loglik, df = 3L, nobs = object$nobs, class = "logLik")

print.occam_gg <- function(x, ...) {
  cat("\nCall:\n", paste(deparse(x$call), sep = "\n", collapse = "\n"), "\n\n", sep = "")
  cat("Gamma-Gamma parameters:\n")
  print.default(format(coef(x), digits = max(3L, getOption("digits") - 3L)), print.gap = 2L, quote = FALSE)
  if (!is.na(x$loglik)) cat("\nLog-likelihood:", format(x$loglik, digits = 10), "\n")
  cat("\n")
  invisible(x)
}
