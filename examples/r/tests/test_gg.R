# occam_gg() against the mpmath CLV reference for CDNOW
# (tests/data/clv/shared.json, read with jsonlite). Tolerances: issue 13's
# (p, q, gamma 1e-6 relative, log-likelihood 1e-8, standard errors 1e-4;
# conditional spend of ids 1..10 at GG_MLE12 1e-8).
source("helpers.R")
if (!HAVE_DATA || !requireNamespace("jsonlite", quietly = TRUE)) {
  cat("test_gg.R: skipped (needs the occam source tree and jsonlite)\n")
  quit(save = "no")
}
suppressPackageStartupMessages(library(jsonlite))
ref <- fromJSON(file.path(SRC, "tests", "data", "clv", "shared.json"), simplifyVector = FALSE)
sp <- read.csv(file.path(SRC, "data", "cdnow_spend.csv"))
pars <- c("p", "q", "gamma")
mle <- ref$gamma_gamma$mle

fit <- occam_gg(sp$x, sp$m_x)
check_true(identical(names(coef(fit)), pars), "parameter names")
check_rel(coef(fit), as.numeric(unlist(mle$params[pars])), 1e-6, "MLE")
check_rel(sqrt(diag(vcov(fit))), as.numeric(unlist(mle$std_errors[pars])), 1e-4, "standard errors")
check_rel(as.numeric(logLik(fit)), mle$loglik, 1e-8, "log-likelihood")
check_true(fit$converged && nobs(fit) == 946 && attr(logLik(fit), "df") == 3L, "converged, nobs, df")
k <- sp$x > 0
check_rel(fit$correlation, cor(sp$x[k], sp$m_x[k]), 1e-12, "correlation of x and m.x")
check_rel(coef(occam_gg(sp[, c("x", "m_x")])), coef(fit), 1e-12, "data frame input")

v <- ref$parameter_sets$GG_MLE12$exact_decimal
given <- occam_gg_params(as.numeric(v$p), as.numeric(v$q), as.numeric(v$gamma))
cust <- ref$customers
got <- gg_spend(given, sapply(cust, `[[`, "x"), as.numeric(sapply(cust, `[[`, "m_x_text")))
check_rel(got, sapply(cust, function(c) c$cond_spend$GG_MLE12), 1e-8, "E[M | x, m.x] of ids 1..10")
check_rel(predict(given, cbind(sapply(cust, `[[`, "x"), as.numeric(sapply(cust, `[[`, "m_x_text")))), got, 0,
          "predict() = gg_spend()")
f <- tempfile(fileext = ".occam")
occam_save(fit, f)
back <- occam_load(f)
check_true(inherits(back, "occam_gg") && identical(coef(back), coef(fit)), "save / load")
done("test_gg.R")
