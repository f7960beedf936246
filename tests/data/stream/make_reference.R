# Reference values for tests/check_glm_stream.c: how many IRLS iterations
# R 4.2.2 takes for glm()'s null-deviance refit of a model with an intercept
# and an offset (glm() calls glm.fit on the intercept column alone with
# mustart = the full fit's fitted values, R's src/library/stats/R/glm.R),
# which the streamed fit reads the data once for.  Run from this directory:
#   Rscript make_reference.R        (writes reference.json)
num <- function(x) sprintf("%.17g", x)
cases <- list(
  list(id = "insurance_poisson_log_offset", dir = "../glm/cases", family = poisson("log")),
  list(id = "offset_infert_binomial_probit", dir = "../glm/extra/cases", family = binomial("probit")),
  list(id = "offset_cars_gaussian_log", dir = "../glm/extra/cases", family = gaussian("log")))
out <- c()
for (cs in cases) {
  X <- as.matrix(read.csv(file.path(cs$dir, paste0(cs$id, "_X.csv"))))
  d <- read.csv(file.path(cs$dir, paste0(cs$id, "_y.csv")))
  ctl <- glm.control(epsilon = 1e-8, maxit = 25)
  fit <- glm.fit(X, d$y, weights = d$weights, offset = d$offset, family = cs$family, control = ctl)
  null <- glm.fit(X[, "Intercept", drop = FALSE], d$y, weights = d$weights, offset = d$offset,
                  mustart = fit$fitted.values, family = cs$family, control = ctl, intercept = TRUE)
  out <- c(out, sprintf('"%s": {"iter": %d, "null_iter": %d, "null_deviance": %s, "deviance": %s}',
                        cs$id, fit$iter, null$iter, num(null$deviance), num(fit$deviance)))
}
writeLines(c("{", paste(out, collapse = ",\n"), "}"), "reference.json")
