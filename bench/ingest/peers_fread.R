# The peers' side of bench/ingest/run.sh, data.table (one thread).
#   Rscript peers_fread.R events FILE CAL_END | glm FILE
# Prints "fread <what> <seconds> <rows>" (wall time of the work after loading the package).
suppressPackageStartupMessages(library(data.table))
setDTthreads(1)
a <- commandArgs(trailingOnly = TRUE)
t0 <- Sys.time()
if (a[1] == "events") {
  d <- fread(a[2], select = c("id", "date"))
  d[, date := as.IDate(date)]
  d <- unique(d, by = c("id", "date"))
  g <- d[, .(first = min(date), last = max(date), n = .N), by = id]
  end <- as.IDate(a[3])
  g[, `:=`(x = n - 1L, t_x = as.numeric(last - first) / 7, T = as.numeric(end - first) / 7)]
  n <- nrow(g)
} else {
  d <- fread(a[2])
  m <- as.matrix(d)
  n <- nrow(m)
}
cat(sprintf("fread %s %.3f %d\n", a[1], as.numeric(difftime(Sys.time(), t0, units = "secs")), n))
