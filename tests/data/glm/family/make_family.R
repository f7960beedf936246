# make_family.R -- R 4.2.2 values of every link's linkfun/linkinv/mu.eta,
# every family's variance/dev.resids, and the log densities family$aic uses,
# for tests/check_glm_family.c.  Run here: Rscript make_family.R
f17 <- function(x) ifelse(is.na(x), "null", ifelse(is.infinite(x), ifelse(x > 0, "\"Inf\"", "\"-Inf\""), sprintf("%.17g", x)))
arr <- function(x) paste0("[", paste(f17(x), collapse = ", "), "]")
out <- character()
add <- function(key, val) out <<- c(out, sprintf("\"%s\": %s", key, val))
eta <- c(-800, -40, -31, -29, -8.2, -3, -0.5, -1e-3, 0, 1e-3, 0.25, 1, 2.5, 8, 29, 31, 40, 700, 800)
etapos <- c(1e-4, 0.01, 0.3, 1, 2.5, 17, 1e3)
mu01 <- c(1e-12, 1e-6, 0.01, 0.2, 0.5, 0.73, 0.99, 1 - 1e-9)
mupos <- c(1e-8, 0.01, 0.5, 1, 3.7, 120, 1e6)
add("eta", arr(eta)); add("eta_pos", arr(etapos)); add("mu01", arr(mu01)); add("mu_pos", arr(mupos))
links <- c("identity", "log", "inverse", "logit", "probit", "cauchit", "cloglog", "sqrt", "1/mu^2")
for (l in links) {
  lk <- make.link(l)
  e <- if (l %in% c("sqrt", "1/mu^2", "inverse")) etapos else eta
  m <- if (l %in% c("logit", "probit", "cauchit", "cloglog")) mu01 else mupos
  add(paste0("linkinv_", l), arr(lk$linkinv(e)))
  add(paste0("mu_eta_", l), arr(lk$mu.eta(e)))
  add(paste0("linkfun_", l), arr(lk$linkfun(m)))
}
fams <- list(gaussian(), binomial(), poisson(), Gamma(), inverse.gaussian())
y01 <- c(0, 0.25, 1, 1, 0, 0.6, 1, 0); ypos <- c(0.5, 2, 1, 7, 0.01, 100, 3)
ycount <- c(0, 2, 1, 7, 0, 100, 3)
wt <- c(1, 2, 0.5, 3, 1, 4, 1, 2)
for (f in fams) {
  nm <- f$family
  m <- if (nm == "binomial") mu01 else mupos
  y <- if (nm == "binomial") y01 else if (nm == "poisson") ycount else ypos
  w <- wt[seq_along(m)]
  y <- y[seq_along(m)]
  add(paste0("variance_", nm), arr(f$variance(m)))
  add(paste0("devres_", nm), arr(f$dev.resids(y, m, w)))
  add(paste0("y_", nm), arr(y)); add(paste0("wt_", nm), arr(w))
}
xb <- c(0, 1, 3, 10, 20, 37, 0, 500); nb <- c(5, 1, 3, 20, 40, 100, 0, 1000); pb <- c(0.3, 0.999, 0.02, 0.5, 0.45, 0.37, 0.5, 0.4999)
add("dbinom_x", arr(xb)); add("dbinom_n", arr(nb)); add("dbinom_p", arr(pb)); add("dbinom_log", arr(dbinom(xb, nb, pb, log = TRUE)))
xp <- c(0, 1, 2, 7, 15, 16, 40, 100, 1e4, 3); lp <- c(0.5, 1e-10, 2.2, 7, 15.5, 3, 41, 1e3, 1.0001e4, 0)
add("dpois_x", arr(xp)); add("dpois_lambda", arr(lp)); add("dpois_log", arr(dpois(xp, lp, log = TRUE)))
xg <- c(0.5, 2, 17, 1e-3, 3, 80); sg <- c(0.4, 1, 2.5, 0.7, 1200, 35.5); scg <- c(2, 0.5, 3, 1e-2, 0.0025, 2.2)
add("dgamma_x", arr(xg)); add("dgamma_shape", arr(sg)); add("dgamma_scale", arr(scg)); add("dgamma_log", arr(dgamma(xg, sg, scale = scg, log = TRUE)))
add("generated_by", sprintf("\"%s; tests/data/glm/family/make_family.R\"", R.version.string))
writeLines(paste0("{\n", paste(out, collapse = ",\n"), "\n}"), "family.json")
