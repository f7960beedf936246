# Inference on fitted GLMs that needs refits: anova() (deviance tables, as
# anova.glm / anova.glmlist), drop1() (single term deletions, as
# drop1.glm) and confint() (profile-likelihood intervals by the algorithm
# of MASS's profile.glm / confint.profile.glm, which R's confint.glm runs).
# The refits are occam fits of sub-designs (columns of model.matrix(fit))
# with the fit's response, prior weights, offset, family and control.

# Refit of a design sub-matrix (intercept, if kept, as an ordinary column):
# deviance, rank, df.residual and coefficients.
.glm_refit <- function(object, X, offset) {
  y <- object$y
  w <- object$prior.weights
  n <- length(y)
  if (is.null(y)) stop("the model keeps no data (read from a file): refit it", call. = FALSE)
  if (is.null(offset)) offset <- rep(0, n)
  if (is.null(w)) w <- rep(1, n)
  fam <- object$family
  if (!NCOL(X)) {  # no coefficients: mu from the offset alone
    mu <- fam$linkinv(offset)
    return(list(deviance = sum(fam$dev.resids(y, mu, w)), rank = 0L, df.residual = sum(w != 0),
                coefficients = numeric(0)))
  }
  X <- unname(as.matrix(X))
  storage.mode(X) <- "double"
  h <- .Call(C_occamr_new, "glm", fam$family, fam$link)
  opts <- .options(intercept = 0, epsilon = object$control$epsilon, maxit = object$control$maxit, solver = 1)
  status <- .Call(C_occamr_fit, h, X, as.double(y), as.double(w), as.double(offset), opts)
  # glm.fit()'s warnings (convergence, boundary, fitted 0/1), not aliasing
  withCallingHandlers(.warn_conditions(h, status, object$call), occam_warning = function(w) {
    if (identical(w$name, "OCCAM_W_RANK_DEFICIENT")) invokeRestart("muffleWarning")
  })
  list(deviance = .info(h, "deviance"), rank = as.integer(.info(h, "rank")), df.residual = .info(h, "df.residual"),
       coefficients = .Call(C_occamr_coef, h, .pkg$K$coef[["estimate"]]))
}

# Term labels and the column -> term map of a fit: the formula's terms, or
# one term per column for a matrix fit.
.term_map <- function(object) {
  X <- model.matrix(object)
  tl <- if (!is.null(object$terms)) attr(object$terms, "term.labels") else object$xnames
  list(X = X, assign = attr(X, "assign"), labels = tl)
}

.response_name <- function(object) {
  if (!is.null(object$terms)) return(as.character(attr(object$terms, "variables")[-1L])[1L])
  "y"
}

.p_chisq <- function(q, df) {
  df[df <= 0] <- NA
  pchisq(q, df, lower.tail = FALSE)
}

.anova_dispersion <- function(object, dispersion) {
  if (!is.null(dispersion)) return(list(value = dispersion, df = Inf))
  d <- object$dispersion
  list(value = d, df = if (d == 1) Inf else object$df.residual)
}

.warn_f_test <- function(object, test, df) {
  if (identical(test, "F") && df == Inf) {
    fam <- object$family$family
    if (fam %in% c("binomial", "poisson")) warning(gettextf("using F test with a '%s' family is inappropriate", fam),
                                                   call. = FALSE)
    else warning("using F test with a fixed dispersion is inappropriate", call. = FALSE)
  }
}

#' anova(): with one fit, the terms added sequentially (first to last); with
#' several nested fits, their deviances compared; test = "Chisq" (= "LRT")
#' or "F" adds p-values (stats' stat.anova, as anova.glm).  "Rao" is not
#' offered.
anova.occam_glm <- function(object, ..., dispersion = NULL, test = NULL) {
  if (identical(test, "Rao")) stop("test = \"Rao\" is not implemented for occam fits", call. = FALSE)
  more <- list(...)
  more <- more[vapply(more, inherits, NA, "occam_glm")]
  if (length(more)) return(.anova_list(c(list(object), more), dispersion, test))
  tm <- .term_map(object)
  nvars <- max(0L, tm$assign)
  resdev <- resdf <- NULL
  for (i in seq_len(max(nvars - 1L, 0L))) {
    fit <- .glm_refit(object, tm$X[, tm$assign <= i, drop = FALSE], object$offset)
    resdev <- c(resdev, fit$deviance)
    resdf <- c(resdf, fit$df.residual)
  }
  resdf <- c(object$df.null, resdf, object$df.residual)
  resdev <- c(object$null.deviance, resdev, object$deviance)
  table <- data.frame(c(NA, -diff(resdf)), c(NA, pmax(0, -diff(resdev))), resdf, resdev)
  if (!length(tm$labels)) table <- table[1L, , drop = FALSE]
  dimnames(table) <- list(c("NULL", tm$labels), c("Df", "Deviance", "Resid. Df", "Resid. Dev"))
  title <- paste0("Analysis of Deviance Table", "\n\nModel: ", object$family$family, ", link: ",
                  object$family$link, "\n\nResponse: ", .response_name(object),
                  "\n\nTerms added sequentially (first to last)\n\n")
  disp <- .anova_dispersion(object, dispersion)
  if (!is.null(test)) {
    .warn_f_test(object, test, disp$df)
    table <- stat.anova(table = table, test = test, scale = disp$value, df.scale = disp$df, n = NROW(tm$X))
  }
  structure(table, heading = title, class = c("anova", "data.frame"))
}

# The fits of an anova() list that anova.glmlist / anova.lmlist compare:
# those with model 1's response (the others dropped with R's warning), all
# of one size (n(f) rows), else R's error.
.comparable_fits <- function(fits, n) {
  responses <- vapply(fits, function(f) deparse(formula(f)[[2L]]), "")
  same <- responses == responses[1L]
  if (!all(same)) {
    fits <- fits[same]
    warning(gettextf("models with response %s removed because response differs from model 1",
                     sQuote(deparse(responses[!same]))), call. = FALSE)
  }
  ns <- vapply(fits, n, 0)
  if (any(ns != ns[1L])) stop("models were not all fitted to the same size of dataset", call. = FALSE)
  fits
}

.anova_list <- function(fits, dispersion, test) {
  fits <- .comparable_fits(fits, function(f) length(f$y))
  if (length(fits) == 1L) return(anova.occam_glm(fits[[1L]], dispersion = dispersion, test = test))
  resdf <- vapply(fits, function(f) f$df.residual, 0)
  resdev <- vapply(fits, function(f) f$deviance, 0)
  table <- data.frame(resdf, resdev, c(NA, -diff(resdf)), c(NA, -diff(resdev)))
  dimnames(table) <- list(seq_along(fits), c("Resid. Df", "Resid. Dev", "Df", "Deviance"))
  variables <- vapply(fits, function(f) paste(deparse(formula(f)), collapse = "\n"), "")
  heading <- c("Analysis of Deviance Table\n",
               paste0("Model ", format(seq_along(fits)), ": ", variables, collapse = "\n"))
  if (!is.null(test)) {
    big <- fits[[order(resdf)[1L]]]
    d <- if (is.null(dispersion)) big$dispersion else dispersion
    df <- if (d == 1) Inf else min(resdf)
    .warn_f_test(big, test, df)
    table <- stat.anova(table = table, test = test, scale = d, df.scale = df, n = length(big$y))
  }
  structure(table, heading = heading, class = c("anova", "data.frame"))
}

#' drop1(): each term of the scope dropped in turn (refitted), with
#' deviance and AIC, test = "Chisq"/"LRT" (likelihood ratio) or "F", as
#' drop1.glm.  "Rao" is not offered.
drop1.occam_glm <- function(object, scope, scale = 0, test = c("none", "LRT", "Chisq", "F"), k = 2, ...) {
  test <- match.arg(test)
  if (test == "Chisq") test <- "LRT"
  tm <- .term_map(object)
  n <- nrow(tm$X)
  if (missing(scope)) {
    scope <- if (!is.null(object$terms)) drop.scope(object) else tm$labels
  } else {
    if (!is.character(scope)) scope <- attr(terms(update.formula(formula(object), scope)), "term.labels")
    if (!all(match(scope, tm$labels, 0L) > 0L)) stop("scope is not a subset of term labels", call. = FALSE)
  }
  ndrop <- match(scope, tm$labels)
  fits <- lapply(ndrop, function(j) .glm_refit(object, tm$X[, tm$assign != j, drop = FALSE], object$offset))
  dfs <- c(object$rank, vapply(fits, `[[`, 0, "rank"))
  dev <- c(object$deviance, vapply(fits, `[[`, 0, "deviance"))
  dispersion <- if (is.null(scale) || scale == 0) object$dispersion else scale
  fam <- object$family$family
  loglik <- if (fam == "gaussian") {
    if (scale > 0) dev / scale - n else n * log(dev / n)
  } else dev / dispersion
  aic <- loglik + k * dfs
  dfs <- dfs[1L] - dfs
  dfs[1L] <- NA
  edf <- length(object$y) - object$df.residual
  aic <- aic + ((object$aic + (k - 2) * edf) - aic[1L])  # extractAIC.glm's scale
  aod <- data.frame(Df = dfs, Deviance = dev, AIC = aic, row.names = c("<none>", scope), check.names = FALSE)
  if (all(is.na(aic))) aod <- aod[, -3]
  if (test == "LRT") {
    lr <- pmax(0, loglik - loglik[1L])
    lr[1L] <- NA
    aod[, if (dispersion == 1) "LRT" else "scaled dev."] <- lr
    ok <- !is.na(lr)
    lr[ok] <- .p_chisq(lr[ok], aod$Df[ok])
    aod[, "Pr(>Chi)"] <- lr
  } else if (test == "F") {
    if (fam %in% c("binomial", "poisson")) warning(gettextf("F test assumes 'quasi%s' family", fam), call. = FALSE)
    d <- aod$Deviance
    rms <- d[1L] / object$df.residual
    d <- pmax(0, d - d[1L])
    Fs <- (d / aod$Df) / rms
    Fs[aod$Df < 1e-4] <- NA
    P <- Fs
    ok <- !is.na(Fs)
    P[ok] <- pf(Fs[ok], aod$Df[ok], object$df.residual, lower.tail = FALSE)
    aod[, c("F value", "Pr(>F)")] <- list(Fs, P)
  }
  head <- c("Single term deletions", "\nModel:", deparse(formula(object)),
            if (!is.null(scale) && scale > 0) paste("\nscale: ", format(scale), "\n"))
  structure(aod, heading = head, class = c("anova", "data.frame"))
}

# The signed root deviance profile of coefficient i: the coefficient fixed
# at b0 +- step * del * se (steps 1..maxsteps-1 each way, stopping past
# zmax), the others refitted with it in the offset, as MASS's profile.glm.
.profile_one <- function(object, X, i, zmax, del, maxsteps = 10L) {
  b0 <- object$coefficients
  keep <- !is.na(b0)
  keep[i] <- FALSE
  Xi <- X[, keep, drop = FALSE]
  O <- if (is.null(object$offset)) rep(0, nrow(X)) else object$offset
  se <- object$std.errors[[i]]
  b <- b0[[i]]
  z <- 0
  for (sgn in c(-1, 1)) {
    step <- 0L
    zs <- 0
    while ((step <- step + 1L) < maxsteps && abs(zs) < zmax) {
      bi <- b0[[i]] + sgn * step * del * se
      fit <- .glm_refit(object, Xi, O + X[, i] * bi)
      zz <- (fit$deviance - object$deviance) / object$dispersion
      if (zz <= -0.001) stop("profiling has found a better solution, so original fit had not converged", call. = FALSE)
      zs <- sgn * sqrt(max(zz, 0))
      b <- c(b, bi)
      z <- c(z, zs)
    }
  }
  o <- order(z)
  list(z = z[o], b = b[o])
}

#' confint(): profile-likelihood intervals, as R's confint.glm (MASS's
#' profile.glm then confint.profile.glm: the profile traced at steps of a
#' fifth of sqrt(qchisq(1 - (1 - level) / 4, 1)) standard errors (the F
#' quantile with an estimated dispersion), interpolated by an interpolating
#' spline at qnorm((1 -+ level) / 2)).  confint.default(fit) gives the
#' Wald intervals.
confint.occam_glm <- function(object, parm, level = 0.95, ...) {
  pnames <- names(object$coefficients)
  if (missing(parm)) parm <- seq_along(pnames)
  else if (is.character(parm)) parm <- match(parm, pnames, nomatch = 0L)
  X <- model.matrix(object)  # an error before the message when the fit keeps no data
  message("Waiting for profiling to be done...")
  alpha <- (1 - level) / 4
  fam <- object$family$family
  zmax <- if (fam %in% c("binomial", "poisson")) sqrt(qchisq(1 - alpha, 1))
          else sqrt(qf(1 - alpha, 1, nrow(X) - length(pnames)))
  a <- (1 - level) / 2
  a <- c(a, 1 - a)
  ci <- array(NA_real_, dim = c(length(parm), 2L), dimnames = list(pnames[parm], paste(round(100 * a, 1), "%")))
  for (k in seq_along(parm)) {
    i <- parm[k]
    if (i == 0L || is.na(object$coefficients[[i]])) next
    pr <- .profile_one(object, X, i, zmax, zmax / 5)
    sp <- spline(x = pr$b, y = pr$z)
    ci[k, ] <- approx(sp$y, sp$x, xout = qnorm(a))$y
  }
  drop(ci)
}

#' confint() of a least-squares fit: coefficient -+ t quantile x standard
#' error, as confint.lm.
confint.occam_lm <- function(object, parm, level = 0.95, ...) {
  cf <- object$coefficients
  pnames <- names(cf)
  if (missing(parm)) parm <- pnames
  else if (is.numeric(parm)) parm <- pnames[parm]
  a <- (1 - level) / 2
  a <- c(a, 1 - a)
  pct <- paste(format(100 * a, trim = TRUE, scientific = FALSE, digits = 3), "%")
  fac <- qt(a, object$df.residual)
  ci <- array(NA_real_, dim = c(length(parm), 2L), dimnames = list(parm, pct))
  se <- object$std.errors[parm]
  ci[] <- cf[parm] + se %o% fac
  ci
}

# Least-squares refit of a design sub-matrix: residual sum of squares
# (weighted) and rank.
.lm_refit <- function(object, X) {
  y <- object$y
  if (is.null(y)) stop("the model keeps no data (read from a file): refit it", call. = FALSE)
  w <- object$weights
  if (!NCOL(X)) {
    r <- y - (if (is.null(object$offset)) 0 else object$offset)
    return(list(deviance = sum(if (is.null(w)) r^2 else w * r^2), rank = 0L))
  }
  X <- unname(as.matrix(X))
  storage.mode(X) <- "double"
  h <- .Call(C_occamr_new, "linear", NULL, NULL)
  status <- .Call(C_occamr_fit, h, X, as.double(y), if (!is.null(w)) as.double(w), if (!is.null(object$offset))
                  as.double(object$offset), .options(intercept = 0, solver = 1))
  withCallingHandlers(.warn_conditions(h, status, object$call), occam_warning = function(w) {
    if (w$name %in% c("OCCAM_W_RANK_DEFICIENT", "OCCAM_W_PERFECT_FIT")) invokeRestart("muffleWarning")
  })
  list(deviance = .info(h, "deviance"), rank = as.integer(.info(h, "rank")))
}

#' anova() of least-squares fits, as anova.lm (one fit: sequential sums of
#' squares, from refits of the terms added in order) and anova.lmlist
#' (nested fits: residual sums of squares, test = "F" by default).
anova.occam_lm <- function(object, ..., scale = 0, test = "F") {
  more <- list(...)
  more <- more[vapply(more, inherits, NA, "occam_lm")]
  if (length(more)) return(.anova_lm_list(c(list(object), more), scale, test))
  tm <- .term_map(object)
  dfr <- object$df.residual
  ssr <- object$deviance
  w <- object$weights
  mss <- sum(if (is.null(w)) object$fitted.values^2 else w * object$fitted.values^2)
  if (ssr < 1e-10 * mss) warning("ANOVA F-tests on an essentially perfect fit are unreliable", call. = FALSE)
  terms_in <- sort(unique(tm$assign))
  rss <- rank <- numeric(0)
  prev <- .lm_refit(object, tm$X[, FALSE, drop = FALSE])
  for (j in terms_in) {
    fit <- if (j == max(terms_in)) list(deviance = ssr, rank = object$rank)
           else .lm_refit(object, tm$X[, tm$assign <= j, drop = FALSE])
    rss <- c(rss, prev$deviance - fit$deviance)
    rank <- c(rank, fit$rank - prev$rank)
    prev <- fit
  }
  labels <- c("(Intercept)", tm$labels)[1L + terms_in]
  keep <- rank > 0
  ss <- c(rss[keep], ssr)
  df <- c(rank[keep], dfr)
  ms <- ss / df
  f <- ms / (ssr / dfr)
  P <- pf(f, df, dfr, lower.tail = FALSE)
  table <- data.frame(df, ss, ms, f, P)
  table[length(P), 4:5] <- NA
  dimnames(table) <- list(c(labels[keep], "Residuals"), c("Df", "Sum Sq", "Mean Sq", "F value", "Pr(>F)"))
  if (0L %in% terms_in[keep]) table <- table[-1, ]
  structure(table, heading = c("Analysis of Variance Table\n", paste("Response:", .response_name(object))),
            class = c("anova", "data.frame"))
}

.anova_lm_list <- function(fits, scale, test) {
  fits <- .comparable_fits(fits, function(f) length(f$residuals))
  if (length(fits) == 1L) return(anova.occam_lm(fits[[1L]]))
  resdf <- vapply(fits, function(f) f$df.residual, 0)
  resdev <- vapply(fits, function(f) f$deviance, 0)
  table <- data.frame(resdf, resdev, c(NA, -diff(resdf)), c(NA, -diff(resdev)))
  dimnames(table) <- list(seq_along(fits), c("Res.Df", "RSS", "Df", "Sum of Sq"))
  variables <- vapply(fits, function(f) paste(deparse(formula(f)), collapse = "\n"), "")
  heading <- c("Analysis of Variance Table\n",
               paste0("Model ", format(seq_along(fits)), ": ", variables, collapse = "\n"))
  if (!is.null(test)) {
    big <- order(resdf)[1L]
    s <- if (scale > 0) scale else resdev[big] / resdf[big]
    table <- stat.anova(table = table, test = test, scale = s, df.scale = resdf[big], n = length(fits[[big]]$residuals))
  }
  structure(table, heading = heading, class = c("anova", "data.frame"))
}

#' drop1() of a least-squares fit, as drop1.lm: RSS and AIC of each term
#' dropped in turn, test = "F" or "Chisq".
drop1.occam_lm <- function(object, scope, scale = 0, test = c("none", "Chisq", "F"), k = 2, ...) {
  test <- match.arg(test)
  tm <- .term_map(object)
  n <- nrow(tm$X)
  if (missing(scope)) {
    scope <- if (!is.null(object$terms)) drop.scope(object) else tm$labels
  } else {
    if (!is.character(scope)) scope <- attr(terms(update.formula(formula(object), scope)), "term.labels")
    if (!all(match(scope, tm$labels, 0L) > 0L)) stop("scope is not a subset of term labels", call. = FALSE)
  }
  fits <- lapply(match(scope, tm$labels), function(j) .lm_refit(object, tm$X[, tm$assign != j, drop = FALSE]))
  dfs <- c(object$rank, vapply(fits, `[[`, 0, "rank"))
  RSS <- c(object$deviance, vapply(fits, `[[`, 0, "deviance"))
  aic <- if (scale > 0) RSS / scale - n + k * dfs else n * log(RSS / n) + k * dfs
  dfs <- dfs[1L] - dfs
  dfs[1L] <- NA
  aod <- data.frame(Df = dfs, `Sum of Sq` = c(NA, RSS[-1L] - RSS[1L]), RSS = RSS, AIC = aic,
                    row.names = c("<none>", scope), check.names = FALSE)
  if (scale > 0) names(aod) <- c("Df", "Sum of Sq", "RSS", "Cp")
  if (test == "Chisq") {
    dev <- aod$"Sum of Sq"
    if (scale == 0) {
      dev <- n * log(RSS / n)
      dev <- dev - dev[1L]
      dev[1L] <- NA
    } else dev <- dev / scale
    ok <- !is.na(aod$Df)
    dev[ok] <- .p_chisq(dev[ok], aod$Df[ok])
    aod[, "Pr(>Chi)"] <- dev
  } else if (test == "F") {
    rms <- aod$RSS[1L] / object$df.residual
    Fs <- (aod$"Sum of Sq" / aod$Df) / rms
    Fs[aod$Df < 1e-4] <- NA
    P <- Fs
    ok <- !is.na(Fs)
    P[ok] <- pf(Fs[ok], aod$Df[ok], object$df.residual, lower.tail = FALSE)
    aod[, c("F value", "Pr(>F)")] <- list(Fs, P)
  }
  head <- c("Single term deletions", "\nModel:", deparse(formula(object)),
            if (scale > 0) paste("\nscale: ", format(scale), "\n"))
  structure(aod, heading = head, class = c("anova", "data.frame"))
}
