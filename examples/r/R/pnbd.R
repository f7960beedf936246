# The Pareto/NBD customer-base model (Schmittlein, Morrison & Colombo 1987),
# with BTYD's argument names: x (repeat transactions), t.x (time of the last
# one), T.cal (time since the first transaction), one time unit throughout.

# For each entry of cands (alternative spellings of one column), the index
# in nm of its first spelling present, or NA.
.pick_columns <- function(nm, cands)
  vapply(cands, function(c) { i <- match(c, nm); i <- i[!is.na(i)]; if (length(i)) i[1L] else NA_integer_ }, 1L)

.pnbd_matrix <- function(x, t.x, T.cal) {
  if (is.null(t.x) && is.null(T.cal)) {
    X <- x
    if (is.data.frame(X)) {
      idx <- .pick_columns(names(X), list("x", c("t.x", "t_x"), c("T.cal", "T")))
      X <- if (anyNA(idx)) as.matrix(X) else as.matrix(X[, idx])
    }
    if (!is.matrix(X) || ncol(X) != 3L)
      stop("give x, t.x and T.cal, or one 3-column matrix / data frame (x, t.x, T.cal)", call. = FALSE)
  } else {
    n <- max(length(x), length(t.x), length(T.cal))
    X <- cbind(rep_len(as.numeric(x), n), rep_len(as.numeric(t.x), n), rep_len(as.numeric(T.cal), n))
  }
  storage.mode(X) <- "double"
  X
}

#' Fit the Pareto/NBD model by maximum likelihood.
#'
#' x, t.x, T.cal: customer summaries (vectors), or x alone as a matrix /
#' data frame with those three columns (cbs of BTYD).  weights: row counts.
#' control: list(maxit, grad_tol, epsilon, collapse).  Returns an object of
#' class "occam_pnbd": coef() (r, alpha, s, beta), vcov(), logLik(),
#' summary(), predict(type = "palive" | "expected" | "loglik").
occam_pnbd <- function(x, t.x = NULL, T.cal = NULL, weights = NULL, control = list()) {
  call <- match.call()
  X <- .pnbd_matrix(x, t.x, T.cal)
  weights <- .vec(weights, nrow(X), "weights")
  h <- .Call(C_occamr_new, "pnbd", NULL, NULL)
  opts <- .options(maxit = control$maxit, grad_tol = control$grad_tol, epsilon = control$epsilon,
                   collapse = control$collapse)
  status <- .Call(C_occamr_fit, h, X, NULL, weights, NULL, opts)
  .warn_conditions(h, status, call)
  .pnbd_object(h, call)
}

#' A Pareto/NBD model with given parameters (e.g. published estimates).
occam_pnbd_params <- function(r, alpha, s, beta) {
  h <- .Call(C_occamr_new, "pnbd", NULL, NULL)
  .Call(C_occamr_pnbd_set_params, h, as.numeric(c(r, alpha, s, beta)))
  .pnbd_object(h, match.call())
}

.pnbd_object <- function(h, call) {
  cf <- .coef_parts(h)
  info <- function(k) .info(h, k)
  obj <- list(coefficients = cf$estimate, std.errors = cf$se, vcov = cf$vcov,
              loglik = info("loglik"), aic = info("aic"), iter = as.integer(info("iter")),
              converged = isTRUE(info("converged") == 1), grad.norm = info("grad.norm"),
              nobs = info("nobs"), call = call, raw = .Call(C_occamr_serialize, h), handle = .new_holder(h))
  # the context the model records (docs/format.md 1.2): time_unit ("weeks", "days", "other",
  # "unknown"), unit_days, calibration_end (NA when unknown), calibration_end_text
  obj <- c(obj, .Call(C_occamr_context, h))
  class(obj) <- c("occam_pnbd", "occam_model")
  obj
}

.pnbd_predict <- function(object, type, X, horizon = 0) {
  .Call(C_occamr_predict, .handle(object), .pkg$K$predict[[type]], as.numeric(horizon), X, NULL, FALSE)[[1L]]
}

#' P(alive at T.cal | x, t.x, T.cal), as BTYD's pnbd.PAlive(params, x, t.x, T.cal).
pnbd_palive <- function(object, x, t.x = NULL, T.cal = NULL)
  .pnbd_predict(object, "palive", .pnbd_matrix(x, t.x, T.cal))

#' Expected transactions in (T.cal, T.cal + T.star], as BTYD's
#' pnbd.ConditionalExpectedTransactions(params, T.star, x, t.x, T.cal).
pnbd_expected <- function(object, T.star, x, t.x = NULL, T.cal = NULL)
  .pnbd_predict(object, "expected", .pnbd_matrix(x, t.x, T.cal), T.star)

#' Discounted expected residual transactions at T.cal, continuous discount
#' rate d > 0 per unit of T.cal, as BTYD's pnbd.DERT(params, d, x, t.x, T.cal)
#' (Fader, Hardie & Lee 2005 appendix; finite for any beta, unlike BTYD's).
pnbd_dert <- function(object, d, x, t.x = NULL, T.cal = NULL)
  .pnbd_predict(object, "dert", .pnbd_matrix(x, t.x, T.cal), d)

#' Expected transactions of a new customer in (0, t], as BTYD's pnbd.Expectation(params, t).
pnbd_expectation <- function(object, t) {
  t <- as.numeric(t)
  .pnbd_predict(object, "expected.new", cbind(0, 0, t))
}

#' P(X(t) = x) for a new customer, as BTYD's pnbd.pmf(params, t, x).
pnbd_pmf <- function(object, t, x) {
  n <- max(length(t), length(x))
  .pnbd_predict(object, "pmf", cbind(rep_len(as.numeric(x), n), 0, rep_len(as.numeric(t), n)))
}

#' predict(): type "palive" (default), "expected" (needs T.star) or
#' "loglik" (each customer's log-likelihood) for newdata (x, t.x, T.cal).
predict.occam_pnbd <- function(object, newdata, type = c("palive", "expected", "loglik"), T.star = NULL, ...) {
  type <- match.arg(type)
  if (type == "expected" && is.null(T.star)) stop("type = \"expected\" needs T.star", call. = FALSE)
  .pnbd_predict(object, type, .pnbd_matrix(newdata, NULL, NULL), if (is.null(T.star)) 0 else T.star)
}

logLik.occam_pnbd <- function(object, ...) structure(object$loglik, df = 4L, nobs = object$nobs, class = "logLik")

print.occam_pnbd <- function(x, ...) {
  cat("\nCall:\n", paste(deparse(x$call), sep = "\n", collapse = "\n"), "\n\n", sep = "")
  cat("Pareto/NBD parameters:\n")
  print.default(format(coef(x), digits = max(3L, getOption("digits") - 3L)), print.gap = 2L, quote = FALSE)
  if (!is.na(x$loglik)) cat("\nLog-likelihood:", format(x$loglik, digits = 10), "\n")
  cat("\n")
  invisible(x)
}

summary.occam_pnbd <- function(object, ...) {
  tab <- cbind(Estimate = object$coefficients, "Std. Error" = object$std.errors)
  structure(list(call = object$call, coefficients = tab, loglik = object$loglik, aic = object$aic,
                 iter = object$iter, converged = object$converged, nobs = object$nobs,
                 grad.norm = object$grad.norm), class = "summary.occam_pnbd")
}

print.summary.occam_pnbd <- function(x, digits = max(3L, getOption("digits") - 3L), ...) {
  cat("\nCall:\n", paste(deparse(x$call), sep = "\n", collapse = "\n"), "\n\n", sep = "")
  cat("Pareto/NBD model (Schmittlein, Morrison & Colombo 1987)\n\nCoefficients:\n")
  stats::printCoefmat(x$coefficients, digits = digits, has.Pvalue = FALSE, ...)
  if (is.na(x$loglik)) {
    cat("\n(parameters given, not fitted)\n\n")
  } else {
    cat("\nLog-likelihood: ", format(x$loglik, digits = 10), " (", x$nobs, " customers)",
        "\nAIC: ", format(x$aic, digits = 10),
        "\nIterations: ", x$iter, ", converged: ", if (x$converged) "yes" else "no",
        " (max |gradient| ", format(x$grad.norm, digits = 3), ")\n\n", sep = "")
  }
  invisible(x)
}

#' An event log as Pareto/NBD summaries, one row per customer (BTYD's
#' dc.ElogToCbsCbt conventions): the first event of a customer is time 0 and
#' not counted; x = later events up to cal.end, t.x = time of the last of
#' them, T.cal = cal.end - first event; x.star = events after cal.end.
#'
#' ids: customer ids (any type); times: Date (or anything as.Date() reads,
#' results in days) or numbers in one unit; cal.end: the same kind;
#' merge.period: 0 counts every event, P > 0 counts a customer's events
#' within one period of length P once (1 with dates: one transaction per day).
#' Returns a data frame (id, first, x, t.x, T.cal, x.star) in id order.
pnbd_summarize <- function(ids, times, cal.end, merge.period = 0) {
  if (is.character(times) || is.factor(times)) times <- as.Date(as.character(times))
  dates <- inherits(times, "Date")
  if (dates) cal.end <- as.Date(cal.end)
  u <- sort(unique(ids))
  r <- .Call(C_occamr_pnbd_summarize, as.numeric(match(ids, u)), as.numeric(times), as.numeric(cal.end),
             as.numeric(merge.period))
  first <- if (dates) as.Date(r[[5L]], origin = "1970-01-01") else r[[5L]]
  data.frame(id = u[r[[1L]]], first = first, x = r[[2L]], t.x = r[[3L]], T.cal = r[[4L]], x.star = r[[6L]])
}
