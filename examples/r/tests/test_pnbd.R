# occam_pnbd() and the BTYD-style functions against the mpmath reference for
# CDNOW (tests/data/pnbd/cdnow_reference.json, read with jsonlite).
# Tolerances: the Pareto/NBD issue's acceptance for the fit (parameters
# relative 1e-7, log-likelihood 1e-10, standard errors 1e-6), the reference
# README's for fixed parameters (P(alive) and expectations relative 1e-11,
# per-customer log-likelihood 1e-12, absolute below |LL| = 1).
source("helpers.R")
if (!HAVE_DATA || !requireNamespace("jsonlite", quietly = TRUE)) {
  cat("test_pnbd.R: skipped (needs the occam source tree and jsonlite)\n")
  quit(save = "no")
}
suppressPackageStartupMessages(library(jsonlite))

ref <- fromJSON(file.path(SRC, "tests", "data", "pnbd", "cdnow_reference.json"), simplifyVector = FALSE)
cbs <- read.csv(file.path(SRC, "data", "cdnow_summary.csv"))
pars <- c("r", "alpha", "s", "beta")

fit <- occam_pnbd(cbs$x, cbs$t_x, cbs$T)
mle <- ref$mle$cdnow_summary
check_true(identical(names(coef(fit)), pars), "parameter names")
check_rel(coef(fit), as.numeric(unlist(mle$params_str[pars])), 1e-7, "MLE")
check_rel(logLik(fit), as.numeric(mle$loglik_str), 1e-10, "log-likelihood")
check_rel(sqrt(diag(vcov(fit))), unlist(mle$std_errors[pars]), 1e-6, "standard errors")
check_true(fit$converged && nobs(fit) == nrow(cbs) && attr(logLik(fit), "df") == 4L, "converged, nobs, df")
check_rel(AIC(fit), -2 * as.numeric(mle$loglik_str) + 8, 1e-10, "AIC")

# the same fit from a data frame (x, t_x, T) and from distinct rows with counts as weights
check_rel(coef(occam_pnbd(cbs[, c("x", "t_x", "T")])), coef(fit), 1e-7, "data frame input")
key <- paste(cbs$x, cbs$t_x, cbs$T)
u <- cbs[!duplicated(key), ]
w <- as.numeric(table(factor(key, levels = unique(key))))
fw <- occam_pnbd(u$x, u$t_x, u$T, weights = w)
check_rel(logLik(fw), logLik(fit), 1e-10, "weighted log-likelihood")

# fixed parameter sets: P(alive), conditional expectations, per-customer LL
for (set in names(ref$parameter_sets)) {
  p <- ref$parameter_sets[[set]]$values
  m <- occam_pnbd_params(p$r, p$alpha, p$s, p$beta)
  cust <- Filter(function(c) c$params == set, ref$customers)
  x <- vapply(cust, `[[`, 0, "x"); tx <- vapply(cust, `[[`, 0, "t_x"); Tc <- vapply(cust, `[[`, 0, "T")
  check_rel(pnbd_palive(m, x, tx, Tc), as.numeric(vapply(cust, `[[`, "", "p_alive_str")), 1e-11,
            paste(set, "P(alive)"))
  for (t in c("39", "52"))
    check_rel(pnbd_expected(m, as.numeric(t), x, tx, Tc), vapply(cust, function(c) c$cond_exp[[t]], 0), 1e-11,
              paste(set, "E[X(T, T +", t, ")]"))
  ll <- predict(m, cbind(x, tx, Tc), type = "loglik")
  want <- as.numeric(vapply(cust, `[[`, "", "loglik_str"))
  check_true(all(abs(ll - want) <= 1e-12 * pmax(1, abs(want))), paste(set, "customer log-likelihood"))
  ue <- Filter(function(u) u$params == set, ref$uncond_exp)
  check_rel(pnbd_expectation(m, vapply(ue, `[[`, 0, "t")), vapply(ue, `[[`, 0, "value"), 1e-11,
            paste(set, "E[X(t)]"))
}

# pmf: sums to 1 and its mean is the reference E[X(39)] (1e-9)
m <- occam_pnbd_params(0.553, 10.578, 0.606, 11.669)
pm <- pnbd_pmf(m, 39, 0:2000)
e39 <- Filter(function(u) u$params == "FHL2005" && u$t == 39, ref$uncond_exp)[[1L]]$value
check_true(abs(sum(pm) - 1) <= 1e-9 && abs(sum((0:2000) * pm) - e39) <= 1e-9 * e39, "pmf")

# predict(), saveRDS/readRDS, occam_save/occam_load, errors
nd <- data.frame(x = c(2, 0), t.x = c(30.43, 0), T.cal = c(38.86, 38.86))
check_true(identical(predict(fit, nd), pnbd_palive(fit, nd$x, nd$t.x, nd$T.cal)), "predict palive")
check_true(identical(predict(fit, nd, type = "expected", T.star = 52), pnbd_expected(fit, 52, nd)),
           "predict expected")
f <- tempfile(fileext = ".rds")
saveRDS(fit, f)
check_true(identical(predict(readRDS(f), nd), predict(fit, nd)), "readRDS")
occam_save(fit, f)
back <- occam_load(f)
check_true(inherits(back, "occam_pnbd") && identical(coef(back), coef(fit)) &&
           identical(predict(back, nd), predict(fit, nd)), "occam_load")
unlink(f)
e <- tryCatch(occam_pnbd(c(1, 2), c(5, 3), c(4, 10)), occam_error = function(e) e)
check_true(inherits(e, "occam_error") && e$name == "OCCAM_E_DOMAIN", "t.x > T.cal is a domain error")
out <- capture.output(print(summary(fit)))
check_true(any(grepl("^alpha +10\\.57", out)) && any(grepl("Log-likelihood: -9594.97393", out)), "summary print")

# event log -> summaries: the CDNOW transactions cut at 1997-09-30, one
# transaction per day, give data/cdnow_summary_days.csv exactly
elog <- read.csv(file.path(SRC, "data", "cdnow_transactions.csv"))
days <- read.csv(file.path(SRC, "data", "cdnow_summary_days.csv"))
s <- pnbd_summarize(elog$id, as.Date(elog$date), as.Date("1997-09-30"), merge.period = 1)
check_true(identical(s$id, days$id) && all(s$x == days$x) && all(s$t.x == days$t_x_days) &&
           all(s$T.cal == days$T_days) && all(s$x.star == days$x_star) &&
           identical(s$first, as.Date(days$first_purchase)), "event log summaries = cdnow_summary_days.csv")
s2 <- pnbd_summarize(paste0("c", elog$id), elog$date, "1997-09-30", 1)  # character ids and dates
check_true(nrow(s2) == nrow(days) && sum(s2$x) == sum(days$x), "character ids")


# 1200 customers who never lapse (tests/data/pnbd/no_dropout_1200.csv): the
# no-dropout warning (status 12, condition "no.dropout"), the NBD limit of the
# mpmath reference no_dropout_1200.json (r, alpha relative 1e-9,
# log-likelihood 1e-12), s = beta = Inf, P(alive) = 1, kept by saveRDS().
nd_ref <- fromJSON(file.path(SRC, "tests", "data", "pnbd", "no_dropout_1200.json"), simplifyVector = FALSE)$nbd_mle
nd <- read.csv(file.path(SRC, "tests", "data", "pnbd", "no_dropout_1200.csv"))
w <- collect_warnings(occam_pnbd(nd$x, nd$t_x, nd$T))
check_true(length(w$warnings) == 1L && w$warnings[[1L]]$status == 12L &&
           grepl("no evidence of dropout", conditionMessage(w$warnings[[1L]]), fixed = TRUE),
           "no-dropout warning (OCCAM_W_NO_DROPOUT)")
nd_fit <- w$value
check_rel(coef(nd_fit)[c("r", "alpha")], c(as.numeric(nd_ref$r), as.numeric(nd_ref$alpha)), 1e-9, "NBD limit r, alpha")
check_rel(as.numeric(logLik(nd_fit)), as.numeric(nd_ref$loglik), 1e-12, "NBD limit loglik")
check_true(identical(unname(coef(nd_fit)[c("s", "beta")]), c(Inf, Inf)), "s = beta = Inf")
check_true(all(pnbd_palive(nd_fit, nd$x, nd$t_x, nd$T) == 1), "P(alive) = 1")
tmp <- tempfile(fileext = ".rds")
saveRDS(nd_fit, tmp)
nd_back <- readRDS(tmp)
check_true(identical(coef(nd_back), coef(nd_fit)) &&
           identical(pnbd_expected(nd_back, 39, nd$x, nd$t_x, nd$T),
                     pnbd_expected(nd_fit, 39, nd$x, nd$t_x, nd$T)), "saveRDS round trip")

done("test_pnbd.R")
