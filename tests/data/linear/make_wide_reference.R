# Reference values for the wide (n << p) fits of tests/check_linear.c and
# tests/check_glm.c: R's lm.fit and glm.fit (the engines of lm() and glm())
# on designs with fewer rows than columns.  The data are generated here and
# in the tests by the same integer formula:
#   x[i, j] = ((37 i + 101 j + 7 i j) mod 199) - 99   (i, j from 0)
# then column 2 (j = 1) = 2 * column 1 and column 3 (j = 2) = 0, so dqrdc2
# aliases both and keeps the intercept, x1, x4 (at most n coefficients).
# Run from this directory:  Rscript make_wide_reference.R
# (R 4.2.2, Debian r-base-core; writes wide_reference.json)
num <- function(x) sprintf("%.17g", x)
vec <- function(x) paste0("[", paste(ifelse(is.na(x), "null", num(x)), collapse = ", "), "]")
design <- function(n, p) {
  i <- 0:(n - 1)
  X <- outer(i, 0:(p - 1), function(i, j) ((37 * i + 101 * j + 7 * i * j) %% 199) - 99)
  X[, 2] <- 2 * X[, 1]
  X[, 3] <- 0
  X
}
out <- c()
add <- function(name, n, p, y, fit, extra = character()) {
  cf <- fit$coefficients
  kept <- which(!is.na(cf))
  fields <- c(sprintf('"n": %d, "p": %d', n, p), sprintf('"y": %s', vec(y)),
              sprintf('"kept": %s', paste0("[", paste(kept - 1, collapse = ", "), "]")),
              sprintf('"coef_kept": %s', vec(cf[kept])), sprintf('"rank": %d', fit$rank), extra)
  out <<- c(out, sprintf('"%s": {%s}', name, paste(fields, collapse = ", ")))
}
for (size in list(c(3, 4000), c(2, 200000), c(1, 10000))) {
  n <- size[1]; p <- size[2]
  y <- c(1.5, -2, 4)[1:n]
  fit <- lm.fit(cbind(1, design(n, p)), y)
  add(sprintf("lm_%dx%d", n, p), n, p, y, fit)
}
y <- c(3, 7, 2)
fit <- glm.fit(cbind(1, design(3, 4000)), y, family = poisson())
add("glm_poisson_3x4000", 3, 4000, y, fit,
    c(sprintf('"deviance": %s', num(fit$deviance)), sprintf('"iter": %d', fit$iter)))
writeLines(c("{", paste(out, collapse = ",\n"), "}"), "wide_reference.json")
