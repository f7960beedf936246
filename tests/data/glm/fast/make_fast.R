# make_fast.R -- the larger logistic reference of tests/check_glm_fast.c:
# n = 40000 rows defined by integer formulas (exact in doubles, recomputed by
# the test), prior weights and an offset, fitted by R's glm() (R 4.2.2).
# Run from this directory: Rscript make_fast.R  (writes logit40k.json)
n <- 40000
i <- seq_len(n)
a <- c(37, 101, 211, 389, 523); cc <- c(11, 53, 7, 91, 17)
u <- function(j) ((i * a[j] + cc[j]) %% 9973) / 9973
X <- sapply(1:4, function(j) 2 * u(j) - 1)
colnames(X) <- paste0("x", 1:4)
w <- 1 + i %% 3
off <- 0.25 * (i %% 5 - 2)
t <- 1000 + (((i * 37 + 11) %% 9973) * 6) %/% 10 + (i %% 7) * 500
y <- as.numeric(((i * 523 + 17) %% 9973) < t)
fit <- glm(y ~ X, family = binomial(), weights = w, offset = off)
s <- summary(fit)
# R's MLE to rounding (glm()'s default epsilon stops short of it) and the SEs there
tight <- glm(y ~ X, family = binomial(), weights = w, offset = off,
             control = glm.control(epsilon = 1e-15, maxit = 200))
st <- summary(tight)
num <- function(v) paste0("[", paste(sprintf("%.17g", v), collapse = ", "), "]")
writeLines(c("{",
  sprintf('  "r_call": "glm(y ~ X, family = binomial(), weights = w, offset = off) (%s)",', R.version.string),
  sprintf('  "sum_y": %.17g,', sum(y)),
  sprintf('  "sum_x": %.17g,', sum(X)),
  sprintf('  "coefficients": %s,', num(coef(fit))),
  sprintf('  "std_errors": %s,', num(s$coefficients[, 2])),
  sprintf('  "deviance": %.17g,', deviance(fit)),
  sprintf('  "iter": %d,', fit$iter),
  sprintf('  "mle_converged": %s,', tolower(tight$converged)),
  sprintf('  "mle_coefficients": %s,', num(coef(tight))),
  sprintf('  "mle_std_errors": %s', num(st$coefficients[, 2])),
  "}"), "logit40k.json")
