# glm_fast_r.R -- R's glm.fit (binomial) on bench_glm_fast's rows, for the
# coefficient comparison and the time.
#   Rscript glm_fast_r.R FILE N P
# FILE: little-endian doubles, X (N x P, column-major, no intercept) then y.
# Prints one line: RESULT R_glm.fit SECONDS PEAK_RSS_MB ITER coef_0 ... coef_P
args <- commandArgs(trailingOnly = TRUE)
n <- as.numeric(args[2]); p <- as.integer(args[3])
con <- file(args[1], "rb")
X <- matrix(readBin(con, "double", n * p, endian = "little"), n, p)
y <- readBin(con, "double", n, endian = "little")
close(con)
X <- cbind(1, X)
invisible(gc())
t0 <- proc.time()[["elapsed"]]
fit <- glm.fit(X, y, family = binomial())
secs <- proc.time()[["elapsed"]] - t0
hwm <- grep("^VmHWM", readLines("/proc/self/status"), value = TRUE)
kb <- as.numeric(gsub("[^0-9]", "", hwm))
cat("RESULT R_glm.fit", sprintf("%.3f %.1f %d", secs, kb / 1024, fit$iter),
    sprintf("%.17g", coef(fit)), "\n")
