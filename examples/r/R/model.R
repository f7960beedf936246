# Shared plumbing of the occam R package: the C handle behind every model
# object, status -> R condition, argument coercion, files and bytes.

.pkg <- new.env(parent = emptyenv())

.onLoad <- function(libname, pkgname) {
  .pkg$K <- .Call(C_occamr_constants)  # enum values, read from occam.h at build time
}

#' The occam library's version string.
occam_version <- function() .Call(C_occamr_version)

# A model object keeps its serialized bytes (`raw`) and an environment holding
# the external pointer: after saveRDS()/readRDS() the pointer is empty and is
# rebuilt from the bytes on first use.
.new_holder <- function(ptr) {
  env <- new.env(parent = emptyenv())
  env$ptr <- ptr
  env
}

.handle <- function(object) {
  env <- object$handle
  if (is.null(env$ptr) || .Call(C_occamr_is_null, env$ptr))
    env$ptr <- .Call(C_occamr_deserialize, object$raw)
  env$ptr
}

# Positive statuses of a fit: one R warning per condition (as glm() warns),
# of class occam_warning with the status code.
.warn_conditions <- function(h, status, call) {
  if (status <= 0L) return(invisible())
  flags <- .Call(C_occamr_conditions, h)
  bits <- .pkg$K$conditions  # OCCAM_COND_* bits; warning code = log2(bit) + 1
  codes <- as.integer(round(log2(bits[bitwAnd(flags, bits) != 0L]))) + 1L
  if (!length(codes)) codes <- status
  detail <- attr(status, "detail")
  for (code in codes) {
    txt <- .Call(C_occamr_status_text, code)
    msg <- paste0(txt[2L], if (code == status && !is.null(detail) && nzchar(detail)) paste0(" (", detail, ")"))
    warning(structure(class = c("occam_warning", "warning", "condition"),
                      list(message = msg, call = call, status = as.integer(code), name = txt[1L])))
  }
}

# Numeric design matrix, column-major doubles (passed to C without a copy
# when it already is one).  A column named "(Intercept)" (model.matrix()) is
# dropped: the library adds the intercept itself.
.design <- function(X, intercept) {
  if (is.data.frame(X)) X <- as.matrix(X)
  if (is.null(dim(X))) X <- matrix(X, ncol = 1L)
  if (!(is.numeric(X) || is.logical(X)) || length(dim(X)) != 2L)
    stop("X must be a numeric matrix (e.g. model.matrix(~ ..., data))", call. = FALSE)
  if (storage.mode(X) != "double") storage.mode(X) <- "double"
  cn <- colnames(X)
  if (!is.null(cn) && "(Intercept)" %in% cn) {
    if (identical(intercept, FALSE))
      stop("X has an (Intercept) column but intercept = FALSE", call. = FALSE)
    X <- X[, cn != "(Intercept)", drop = FALSE]
    intercept <- TRUE
  }
  if (is.null(colnames(X)) && ncol(X) > 0L) colnames(X) <- paste0("x", seq_len(ncol(X)))
  list(X = X, intercept = isTRUE(intercept))
}

# The matrix methods take `...` (the generic's) but no argument of their own
# goes unmatched: a misspelt argument is an error, not ignored.
.no_dots <- function(...) {
  if (...length()) {
    nm <- names(list(...))
    if (is.null(nm)) nm <- rep("", ...length())
    stop("unused argument", if (...length() > 1L) "s", ": ",
         paste(ifelse(nm == "", "(unnamed)", nm), collapse = ", "), call. = FALSE)
  }
}

.vec <- function(v, n, what) {
  if (is.null(v)) return(NULL)
  if (!is.numeric(v) && !is.logical(v)) stop(what, " must be numeric", call. = FALSE)
  if (length(v) != n) stop(what, " must have ", n, " values (one per row of X), not ", length(v), call. = FALSE)
  v <- as.vector(v)
  if (storage.mode(v) != "double") storage.mode(v) <- "double"
  v
}

.options <- function(...) {
  o <- list(...)
  o[!vapply(o, is.null, logical(1L))]
}

# Columns of newdata in the order of the fit: by name when newdata names them
# all, else by position.
.newdata <- function(object, newdata) {
  if (is.data.frame(newdata)) newdata <- as.matrix(newdata)
  if (is.null(dim(newdata))) newdata <- matrix(newdata, ncol = length(object$xnames))
  cn <- colnames(newdata)
  if (!is.null(cn) && length(object$xnames) && all(object$xnames %in% cn))
    newdata <- newdata[, object$xnames, drop = FALSE]
  if (storage.mode(newdata) != "double") storage.mode(newdata) <- "double"
  newdata
}

.info <- function(h, key) {
  v <- .Call(C_occamr_info, h, .pkg$K$info[[key]])
  if (is.nan(v)) NA_real_ else v  # undefined (quasi AIC, ...): R's NA
}
.rows <- function(h, key) {
  r <- .Call(C_occamr_rows, h, .pkg$K$rows[[key]])
  if (!is.null(r)) names(r) <- as.character(seq_along(r))
  r
}

# Coefficient table pieces, R's NA for aliased coefficients.
.coef_parts <- function(h) {
  K <- .pkg$K$coef
  kn <- .Call(C_occamr_coef_names, h)
  aliased <- setNames(.Call(C_occamr_aliased, h), kn)
  col <- function(k) {
    v <- setNames(.Call(C_occamr_coef, h, K[[k]]), kn)
    v[aliased | is.nan(v)] <- NA  # R's NA: aliased, or no standard errors (given coefficients)
    v
  }
  # the covariance of the estimable coefficients only: no k x k matrix for a
  # wide fit (vcov() makes the full one, with NA rows, on request)
  V <- .Call(C_occamr_vcov_estimable, h)
  dimnames(V) <- list(kn[!aliased], kn[!aliased])
  V[is.nan(V)] <- NA
  list(names = kn, aliased = aliased, estimate = col("estimate"), se = col("std.error"),
       statistic = col("statistic"), p = col("p.value"), vcov = V)
}

# vcov() as R's (complete = TRUE): k x k, NA rows and columns for aliased
# coefficients.
.full_vcov <- function(object) {
  al <- object$aliased
  if (is.null(al) || !any(al)) return(object$vcov)
  V <- matrix(NA_real_, length(al), length(al), dimnames = list(names(al), names(al)))
  V[!al, !al] <- object$vcov
  V
}

.kind_name <- function(h) names(.pkg$K$kind)[match(.Call(C_occamr_kind, h), .pkg$K$kind)]

#' Save a model in occam's file format (readable by occam_load(), the occam
#' command-line tool and the Python binding).
occam_save <- function(model, file) {
  .Call(C_occamr_save, .handle(model), path.expand(file))
  invisible(model)
}

#' Read a model saved by occam_save(), the CLI or Python: an occam_lm,
#' occam_glm or occam_pnbd object (without per-observation results, which
#' the file format does not keep).
occam_load <- function(file) .from_handle(.Call(C_occamr_load, path.expand(file)), match.call())

#' The model as a raw vector (occam's binary format), and back.
occam_serialize <- function(model) model$raw
occam_unserialize <- function(raw) .from_handle(.Call(C_occamr_deserialize, raw), match.call())

.from_handle <- function(h, call) {
  switch(.kind_name(h),
         linear = .lm_object(h, call, NULL),
         glm = .glm_object(h, call, NULL),
         pnbd = .pnbd_object(h, call),
         gg = .gg_object(h, call))
}

vcov.occam_lm <- function(object, ...) .full_vcov(object)
vcov.occam_glm <- function(object, ...) .full_vcov(object)
vcov.occam_pnbd <- function(object, ...) object$vcov
vcov.occam_gg <- function(object, ...) object$vcov
nobs.occam_lm <- function(object, ...) object$nobs
nobs.occam_glm <- function(object, ...) object$nobs
nobs.occam_pnbd <- function(object, ...) object$nobs
nobs.occam_gg <- function(object, ...) object$nobs
