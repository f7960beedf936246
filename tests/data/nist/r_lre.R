# R's accuracy on the NIST StRD linear datasets: the log relative error
# (LRE, McCullough 1998) of lm()'s estimates and standard errors, min over
# the parameters,
#   LRE = -log10(|q - c| / |c|), or -log10(|q - c|) where c = 0 (Wampler1-2's
#   standard errors); capped at 15; NA (an aliased coefficient) and values
#   below 1 count as 0;
# against the exact values <name>_exact.csv (check_certified.py --write:
# exact least squares on the decimal data, NIST's certified values to 25
# digits) and, for comparison, against NIST's 15-digit <name>_certified.csv.
# Writes <name>_r_lre.csv next to this script:
#   Rscript tests/data/nist/r_lre.R
args <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("^--file=", "", args[grep("^--file=", args)])))
lre <- function(q, c) {
  e <- ifelse(c == 0, abs(q - c), abs(q - c) / abs(c))
  v <- ifelse(is.na(q), 0, ifelse(e == 0, 15, pmin(15, -log10(e))))
  min(pmax(v, 0))
}
sets <- list(norris = 1, pontius = 2, noint1 = 1, noint2 = 1, filip = 10, longley = NA,
             wampler1 = 5, wampler2 = 5, wampler3 = 5, wampler4 = 5, wampler5 = 5)
out <- data.frame()
for (name in names(sets)) {
  d <- read.csv(file.path(here, paste0(name, ".csv")))
  exact <- read.csv(file.path(here, paste0(name, "_exact.csv")))
  cert <- read.csv(file.path(here, paste0(name, "_certified.csv")))
  deg <- sets[[name]]
  fit <- if (is.na(deg)) lm(y ~ ., data = d)
         else if (startsWith(name, "noint")) lm(y ~ x - 1, data = d)
         else lm(y ~ poly(x, deg, raw = TRUE), data = d)
  cf <- suppressWarnings(summary(fit))$coefficients  # Wampler1-2: "essentially perfect fit"
  est <- coef(fit)                      # NA for an aliased coefficient
  se <- rep(NA_real_, length(est))
  se[!is.na(est)] <- cf[, 2]
  one <- data.frame(estimate_lre = lre(est, exact$estimate), std_error_lre = lre(se, exact$std_error),
                    nist_estimate_lre = lre(est, cert$estimate), nist_std_error_lre = lre(se, cert$std_error))
  write.csv(format(one, digits = 17), file.path(here, paste0(name, "_r_lre.csv")), row.names = FALSE, quote = FALSE)
  out <- rbind(out, cbind(dataset = name, round(one, 2)))
}
print(out)
