# Helpers shared by the test files (sourced; run from this directory).
suppressPackageStartupMessages(library(occam))
# The occam source tree, for data/ and tests/data/: OCCAM_SOURCE_DIR (set by
# tests/sh/test_r.sh), else three levels up (examples/r/tests).  Under
# R CMD check neither exists: the tests on bundled files are then skipped.
SRC <- Sys.getenv("OCCAM_SOURCE_DIR", "")
if (!nzchar(SRC)) SRC <- file.path("..", "..", "..")
HAVE_DATA <- file.exists(file.path(SRC, "data", "cdnow_summary.csv"))
if (nzchar(Sys.getenv("OCCAM_SOURCE_DIR")) && !HAVE_DATA) stop("OCCAM_SOURCE_DIR has no data/cdnow_summary.csv")
if (!HAVE_DATA) cat("note: occam source tree not found (set OCCAM_SOURCE_DIR): tests on its data files skipped\n")
n_checks <- 0L

# Elementwise |got - want| <= tol * |want| (absolute where want == 0); NA/NaN
# must match NA/NaN; equal values (infinities) pass.
check_rel <- function(got, want, tol, what) {
  got <- as.numeric(unname(unlist(got)))
  want <- as.numeric(unname(unlist(want)))
  if (length(got) != length(want)) stop(what, ": length ", length(got), " != ", length(want))
  err <- abs(got - want)
  bound <- tol * ifelse(want == 0, 1, abs(want))
  ok <- (is.na(got) & is.na(want)) | (!is.na(got) & !is.na(want) & (got == want | err <= bound))
  if (!all(ok)) {
    i <- which(!ok)[1L]
    stop(sprintf("%s[%d]: got %.17g, want %.17g (relative tolerance %g)", what, i, got[i], want[i], tol))
  }
  n_checks <<- n_checks + 1L
  invisible(TRUE)
}

# Zero-to-scale rule: where R's value is below 1e-10 times the entry's scale
# (a coefficient of 1e-15 with a standard error of 0.2) both programs print
# rounding noise: compare absolutely to 1e-10 * scale, else relatively.
check_scaled <- function(got, want, tol, scale, what) {
  got <- as.numeric(got); want <- as.numeric(want); scale <- rep_len(as.numeric(scale), length(want))
  zero <- !is.na(want) & is.finite(scale) & scale > 0 & abs(want) < 1e-10 * scale
  if (any(zero) && any(abs(got[zero] - want[zero]) > 1e-10 * scale[zero])) stop(what, ": zero-to-scale entries differ")
  check_rel(got[!zero], want[!zero], tol, what)
}

check_true <- function(cond, what) {
  if (!isTRUE(cond)) stop(what)
  n_checks <<- n_checks + 1L
}

# print(summary(x)) without the "Call:" block, which names different calls.
summary_text <- function(x) {
  out <- capture.output(print(summary(x)))
  start <- which(out == "Call:")
  if (length(start)) out <- out[-(start:(start + which(out[(start + 1L):length(out)] == "")[1L]))]
  out
}

check_summary <- function(fit, ref, what) {
  got <- summary_text(fit)
  want <- summary_text(ref)
  if (!identical(got, want)) {
    cat("--- ours\n", got, "--- R\n", want, sep = "\n")
    stop(what, ": summary text differs from R's")
  }
  n_checks <<- n_checks + 1L
}

# R's warnings of an expression, and its value.
collect_warnings <- function(expr) {
  w <- list()
  value <- withCallingHandlers(expr, warning = function(c) { w[[length(w) + 1L]] <<- c; invokeRestart("muffleWarning") })
  list(value = value, warnings = w)
}

done <- function(file) cat(sprintf("%s: %d checks passed\n", file, n_checks))
