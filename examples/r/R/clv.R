# Customer lifetime value from a Pareto/NBD and a Gamma-Gamma model: the
# table of the CLI's `occam clv` (docs/cli.md) in one call of
# occam_clv_table (include/occam.h).

#' A copy of a Pareto/NBD or Gamma-Gamma model that records another time
#' unit (occam_model_set_time_unit): "weeks", "days", "other" (unit.days
#' its length in days, NA when not known) or "unknown".
occam_set_time_unit <- function(object, time_unit = c("weeks", "days", "other", "unknown"), unit.days = NA) {
  if (!inherits(object, c("occam_pnbd", "occam_gg")))
    stop("occam_set_time_unit needs an occam_pnbd or occam_gg model", call. = FALSE)
  time_unit <- match.arg(time_unit)
  h <- .Call(C_occamr_deserialize, object$raw)
  .Call(C_occamr_set_time_unit, h, .pkg$K$unit[[time_unit]], as.numeric(unit.days))
  .from_handle(h, object$call)
}

# Model time units per year from the Pareto/NBD model's recorded unit, as
# the CLI: 365 for days, 52 for weeks or an unknown unit.
.periods_per_year <- function(pnbd) {
  if (identical(pnbd$time_unit, "other"))
    stop("the Pareto/NBD model's time unit is 'other': give periods.per.year", call. = FALSE)
  if (identical(pnbd$time_unit, "days")) 365 else 52
}

.clv_delta <- function(pnbd, d, annual.discount, periods.per.year) {
  if (is.null(d) == is.null(annual.discount))
    stop("give d (per time unit) or annual.discount (a yearly rate): one of them", call. = FALSE)
  if (!is.null(d)) {
    if (!is.null(periods.per.year)) stop("periods.per.year goes with annual.discount, not d", call. = FALSE)
    return(as.numeric(d))
  }
  k <- if (is.null(periods.per.year)) .periods_per_year(pnbd) else as.numeric(periods.per.year)
  r <- as.numeric(annual.discount)
  if (!(length(r) == 1L && length(k) == 1L && isTRUE(r > -1) && isTRUE(k > 0)))
    stop("annual.discount must be > -1 and periods.per.year > 0", call. = FALSE)
  log1p(r) / k
}

.clv_matrix <- function(x, t.x, T.cal, m.x) {
  given <- !vapply(list(t.x, T.cal, m.x), is.null, TRUE)
  if (!any(given)) {
    X <- x
    if (is.data.frame(X)) {
      idx <- .pick_columns(names(X), list("x", c("t.x", "t_x"), c("T.cal", "T"), c("m.x", "m_x")))
      if (anyNA(idx)) stop("the data frame needs columns x, t.x (or t_x), T.cal (or T) and m.x (or m_x)", call. = FALSE)
      X <- as.matrix(X[, idx])
    }
    if (!is.matrix(X) || ncol(X) != 4L)
      stop("give x, t.x, T.cal and m.x, or one 4-column matrix / data frame (x, t.x, T.cal, m.x)", call. = FALSE)
  } else {
    if (!all(given)) stop("give x, t.x, T.cal and m.x (or one 4-column matrix / data frame)", call. = FALSE)
    n <- c(length(x), length(t.x), length(T.cal), length(m.x))
    if (length(unique(n)) != 1L) stop("x, t.x, T.cal and m.x must have the same length", call. = FALSE)
    X <- cbind(as.numeric(x), as.numeric(t.x), as.numeric(T.cal), as.numeric(m.x))
  }
  storage.mode(X) <- "double"
  unname(X)
}

#' What each customer is worth: the table of the CLI's `occam clv`, one row
#' per customer in input order (occam_clv_table).
#'
#' pnbd: an occam_pnbd model; gg: an occam_gg model.  Customers: x, t.x,
#' T.cal (in the Pareto/NBD model's time unit) and m.x (mean value of the
#' repeat purchases), or x alone as a 4-column matrix / data frame.  d: the
#' continuous discount rate per time unit (> 0); or annual.discount R, d =
#' log(1 + R) / periods.per.year (default from the Pareto/NBD model's
#' recorded unit: 365 for days, 52 for weeks or unknown; "other" needs it).
#' margin: the share of spend that is profit.  T.star: the horizon of
#' `expected`, (T.cal, T.cal + T.star].  Returns a data.frame with p_alive,
#' expected, dert, spend and clv = margin * spend * dert.
occam_clv <- function(pnbd, gg, x, t.x = NULL, T.cal = NULL, m.x = NULL, d = NULL, annual.discount = NULL,
                      periods.per.year = NULL, margin = 1, T.star = 52) {
  if (!inherits(pnbd, "occam_pnbd") || !inherits(gg, "occam_gg"))
    stop("occam_clv needs an occam_pnbd and an occam_gg model", call. = FALSE)
  delta <- .clv_delta(pnbd, d, annual.discount, periods.per.year)
  X <- .clv_matrix(x, t.x, T.cal, m.x)
  out <- .Call(C_occamr_clv, .handle(pnbd), .handle(gg), X, delta, as.numeric(margin), as.numeric(T.star))
  names(out) <- c("p_alive", "expected", "dert", "spend", "clv")
  rn <- if (is.data.frame(x) && is.null(t.x)) row.names(x) else NULL
  df <- as.data.frame(out)
  if (!is.null(rn)) row.names(df) <- rn
  df
}
