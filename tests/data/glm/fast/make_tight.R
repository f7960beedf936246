# make_tight.R -- R's maximum likelihood estimate of every GLM reference case
# (tests/data/glm, extra, glm2), for tests/check_glm_fast.c: the same model
# refitted by R 4.2.2's glm.fit() with glm.control(epsilon = 1e-15,
# maxit = 200), so that the coefficients are R's MLE to rounding (the
# references' default epsilon = 1e-8 stops R up to ~1e-5 relative short of
# it), then one-iteration refits until the coefficients stop moving, and
# summary.glm()'s standard errors at that MLE.  Rank-deficient cases are
# not meaningful here (glm.fit's rank tolerance is epsilon / 1000): the
# fast path falls back on them and the test compares glm()'s references.
# Run from this directory: Rscript make_tight.R   (writes tight.json)
library(jsonlite)
out <- list()
for (dir in c("..", "../extra", "../glm2")) {
  for (f in sort(list.files(dir, pattern = "\\.json$", full.names = TRUE))) {
    j <- fromJSON(f, simplifyVector = TRUE)
    rel <- function(p) {
      if (startsWith(p, "shared/data/")) file.path("../..", substring(p, 13)) else file.path("..", p)
    }
    X <- as.matrix(read.csv(rel(j$x_csv), check.names = FALSE))
    Y <- read.csv(rel(j$y_csv))
    fam <- get(j$family)(link = j$link)
    fit <- suppressWarnings(glm.fit(X, Y$y, weights = Y$weights, offset = Y$offset, start = j$start,
                                    family = fam, control = glm.control(epsilon = 1e-15, maxit = 200),
                                    intercept = isTRUE(j$has_intercept)))
    # R's scoring can still move the coefficients by ~1e-8 after its deviance
    # test passes (non-canonical links converge linearly: clotting
    # inverse.gaussian identity oscillates with rate -0.5): go on with
    # one-iteration refits until the coefficients stop moving (1e-14).
    for (r in seq_len(500)) {
      if (!fit$converged || anyNA(coef(fit))) break
      b <- coef(fit)
      nxt <- tryCatch(suppressWarnings(glm.fit(X, Y$y, weights = Y$weights, offset = Y$offset, start = b,
                                      family = fam, control = glm.control(epsilon = 1e-15, maxit = 1),
                                      intercept = isTRUE(j$has_intercept))), error = function(e) NULL)
      if (is.null(nxt)) { fit$converged <- FALSE; break } # no MLE to go on to (separation)
      fit <- nxt
      fit$converged <- TRUE
      if (max(abs(coef(fit) - b) / pmax(abs(b), 1e-300)) < 1e-14) break
    }
    class(fit) <- c("glm", "lm")
    s <- suppressWarnings(summary.glm(fit))
    se <- rep(NaN, ncol(X))
    ok <- !is.na(coef(fit))
    se[ok] <- sqrt(diag(s$cov.scaled))
    out[[j$case_id]] <- list(converged = fit$converged, iter = fit$iter,
                             coefficients = ifelse(ok, coef(fit), NaN), std_errors = se)
  }
}
writeLines(toJSON(out, digits = I(17), auto_unbox = TRUE, pretty = TRUE, na = "string"), "tight.json")
