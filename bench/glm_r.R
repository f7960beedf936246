# glm_r.R -- R's glm.fit on the benchmark data written by bench_glm (same
# run, same rows), for the side-by-side ratio.
#   Rscript glm_r.R FILE N P FAMILY [REPS]
# FILE holds little-endian doubles: X (N x P, column-major, no intercept
# column) then y (N).  Fits REPS times (default 1) and prints one line, S
# the median seconds:
#   R glm.fit: seconds S iterations I deviance D peak_rss_mb M
args <- commandArgs(trailingOnly = TRUE)
path <- args[1]; n <- as.numeric(args[2]); p <- as.integer(args[3]); fam <- args[4]
reps <- if (length(args) >= 5) as.integer(args[5]) else 1L
con <- file(path, "rb")
X <- matrix(readBin(con, "double", n * p, endian = "little"), n, p)
y <- readBin(con, "double", n, endian = "little")
close(con)
X <- cbind(1, X)
family <- switch(fam, binomial = binomial(), poisson = poisson())
secs <- numeric(reps)
for (r in seq_len(reps)) {
  invisible(gc())
  t0 <- proc.time()[["elapsed"]]
  fit <- glm.fit(X, y, family = family)
  secs[r] <- proc.time()[["elapsed"]] - t0
}
hwm <- grep("^VmHWM", readLines("/proc/self/status"), value = TRUE)
kb <- as.numeric(gsub("[^0-9]", "", hwm))
cat(sprintf("R glm.fit: seconds %.3f iterations %d deviance %.17g peak_rss_mb %.1f\n",
            median(secs), fit$iter, fit$deviance, kb / 1024))
