# glm_r.R -- R's glm.fit on the rows bench_glm fits (same run, same rows),
# for the time, the peak memory and the reference coefficients.
#   Rscript glm_r.R FILE N P FAMILY [REPS]
# FILE holds little-endian doubles: X (N x P, column-major, no intercept
# column) then y (N).  FAMILY is binomial (logit) or poisson (log).  Fits
# REPS times (default 1) and prints one line, S the median seconds, M the
# peak RSS of this R process (VmHWM: data and all fits), I the iterations,
# D the deviance, then the P + 1 coefficients, intercept first:
#   RESULT R_glm.fit S M I D coef_0 ... coef_P
args <- commandArgs(trailingOnly = TRUE)
path <- args[1]; n <- as.numeric(args[2]); p <- as.integer(args[3]); fam <- args[4]
reps <- if (length(args) >= 5) as.integer(args[5]) else 1L
con <- file(path, "rb")
X <- matrix(readBin(con, "double", n * p, endian = "little"), n, p)
y <- readBin(con, "double", n, endian = "little")
close(con)
X <- cbind(1, X)
family <- switch(fam, binomial = binomial(), poisson = poisson(), stop("unknown family ", fam))
secs <- numeric(reps)
for (r in seq_len(reps)) {
  invisible(gc())
  t0 <- proc.time()[["elapsed"]]
  fit <- glm.fit(X, y, family = family)
  secs[r] <- proc.time()[["elapsed"]] - t0
}
hwm <- grep("^VmHWM", readLines("/proc/self/status"), value = TRUE)
kb <- as.numeric(gsub("[^0-9]", "", hwm))
cat("RESULT R_glm.fit", sprintf("%.3f %.1f %d %.17g", median(secs), kb / 1024, fit$iter, fit$deviance),
    sprintf("%.17g", coef(fit)), "\n")
