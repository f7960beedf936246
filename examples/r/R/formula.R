# The formula interface of occam_glm() and occam_lm(): base R's
# model.frame()/model.matrix() build the design (factors with the
# contrasts of options("contrasts"), interactions, offset() terms, subset,
# weights, na.action), the matrix fitter runs on it, and the fit keeps the
# terms, factor levels and contrasts so that predict(newdata =) rebuilds the
# same columns from a data frame.

# The model frame of a formula-interface call, evaluated where the user
# called: `call` is the method's match.call(), `env` its parent.frame().
.model_frame <- function(call, env) {
  mf <- call[c(1L, match(c("formula", "data", "subset", "weights", "na.action", "offset"), names(call), 0L))]
  mf$drop.unused.levels <- TRUE
  mf[[1L]] <- quote(stats::model.frame)
  eval(mf, env)
}

# Design matrix, response, weights and offset of a model frame.
.frame_parts <- function(mf, contrasts) {
  mt <- attr(mf, "terms")
  y <- model.response(mf, "any")
  X <- if (!is.empty.model(mt)) model.matrix(mt, mf, contrasts) else matrix(NA_real_, NROW(y), 0L)
  w <- as.vector(model.weights(mf))
  if (!is.null(w) && !is.numeric(w)) stop("'weights' must be a numeric vector", call. = FALSE)
  offset <- as.vector(model.offset(mf))  # offset() terms and offset = summed, as glm()
  list(terms = mt, X = X, y = y, weights = w, offset = offset, intercept = attr(mt, "intercept") > 0L)
}

# glm()'s binomial responses: a factor (first level = failure), 0/1 or
# proportions, or cbind(successes, failures) -> proportions with the
# numbers of trials multiplied into the prior weights.
.binomial_response <- function(y, w) {
  if (is.factor(y)) return(list(y = as.numeric(y != levels(y)[1L]), w = w))
  if (NCOL(y) == 2L) {
    trials <- y[, 1L] + y[, 2L]
    p <- ifelse(trials == 0, 0, y[, 1L] / trials)
    return(list(y = p, w = if (is.null(w)) trials else w * trials, trials = trials))
  }
  if (NCOL(y) != 1L) stop("a binomial response must be a vector, a factor or a two-column matrix", call. = FALSE)
  list(y = as.numeric(y), w = w)
}

# What a formula fit keeps beyond the matrix fit, with R's row names on the
# per-row results.
.add_formula_parts <- function(obj, mf, parts, contrasts_arg, model) {
  obj$terms <- parts$terms
  obj$formula <- formula(parts$terms)
  obj$xlevels <- .getXlevels(parts$terms, mf)
  obj$contrasts <- attr(parts$X, "contrasts")
  obj$assign <- attr(parts$X, "assign")
  obj$na.action <- attr(mf, "na.action")
  if (isTRUE(model)) obj$model <- mf
  rn <- row.names(mf)
  for (k in c("residuals", "fitted.values", "linear.predictors", "weights", "prior.weights", "y",
              "weighted.residuals", "offset"))
    if (length(obj[[k]]) == length(rn)) names(obj[[k]]) <- rn
  if (!is.null(obj[["resid"]])) obj$resid <- lapply(obj$resid, function(r) setNames(r, rn))
  if (!is.null(obj$x)) rownames(obj$x) <- rn
  obj
}

#' occam_glm(formula, family, data, weights, subset, na.action, offset, ...)
#' as glm(): the formula's design through model.frame()/model.matrix().
occam_glm.formula <- function(formula, family = gaussian(), data, weights, subset, na.action, offset,
                              link = NULL, control = list(), start = NULL, contrasts = NULL,
                              solver = c("auto", "qr", "cholesky"), threads = 1L, fast = FALSE, model = TRUE, ...) {
  .no_dots(...)
  call <- match.call()
  call[[1L]] <- quote(occam_glm)
  mf <- .model_frame(call, parent.frame())
  parts <- .frame_parts(mf, contrasts)
  fam <- .family_link(family, link)$family
  y <- parts$y
  w <- parts$weights
  if (fam %in% c("binomial", "quasibinomial")) {
    b <- .binomial_response(y, w)
    y <- b$y
    w <- b$w
  } else if (is.factor(y) || NCOL(y) != 1L) stop("the response must be a numeric vector for family ", fam,
                                                 call. = FALSE)
  obj <- .glm_matrix(parts$X, as.vector(y), family, link, w, parts$offset, parts$intercept, control, start,
                     match.arg(solver), threads, fast, call)
  if (fam == "binomial" && !is.null(b$trials) && !is.null(parts$weights)) {
    # cbind() response with prior weights: the library takes the weights x
    # trials as the numbers of trials; R's binomial AIC counts the trials
    aic <- obj$family$aic(obj$y, b$trials, obj$fitted.values, obj$prior.weights, obj$deviance) + 2 * obj$rank
    obj$aic <- aic
    obj$loglik <- obj$rank - aic / 2
  }
  obj$data <- if (missing(data)) environment(parts$terms) else data
  .add_formula_parts(obj, mf, parts, contrasts, model)
}

#' occam_lm(formula, data, subset, weights, na.action, offset, ...) as lm().
occam_lm.formula <- function(formula, data, subset, weights, na.action, offset, contrasts = NULL,
                             solver = c("qr", "cholesky"), rank_tol = NULL, model = TRUE, ...) {
  .no_dots(...)
  call <- match.call()
  call[[1L]] <- quote(occam_lm)
  mf <- .model_frame(call, parent.frame())
  parts <- .frame_parts(mf, contrasts)
  if (is.factor(parts$y) || NCOL(parts$y) != 1L) stop("the response must be a numeric vector", call. = FALSE)
  obj <- .lm_matrix(parts$X, as.vector(parts$y), parts$weights, parts$offset, parts$intercept,
                    match.arg(solver), rank_tol, call)
  .add_formula_parts(obj, mf, parts, contrasts, model)
}

# The generic called with formula = by name (no X): the formula method.
.formula_by_name <- function(call, generic, env) {
  if (is.null(call$formula)) stop(generic, "() needs X (a design matrix) or a formula", call. = FALSE)
  call[[1L]] <- get(paste0(generic, ".formula"), mode = "function")
  eval(call, env)
}

# The design and offset of new rows (a data frame) for a formula fit, as
# predict.lm: the stored terms without the response, the training factor
# levels (an unseen level is model.frame()'s error naming the factor), the
# stored contrasts; offset() terms and the call's offset = evaluated in
# newdata.
.formula_newdata <- function(object, newdata) {
  tt <- delete.response(object$terms)
  m <- model.frame(tt, newdata, na.action = na.pass, xlev = object$xlevels)
  if (!is.null(cl <- attr(tt, "dataClasses"))) .checkMFClasses(cl, m)
  X <- model.matrix(tt, m, contrasts.arg = object$contrasts)
  offset <- rep(0, nrow(X))
  for (i in attr(tt, "offset")) offset <- offset + eval(attr(tt, "variables")[[i + 1L]], newdata, environment(tt))
  if (!is.null(object$call$offset)) offset <- offset + eval(object$call$offset, newdata, environment(tt))
  if ("(Intercept)" %in% colnames(X)) X <- X[, colnames(X) != "(Intercept)", drop = FALSE]
  list(X = X, offset = offset)
}

# The new rows of predict(): a formula fit given a data frame goes through
# its terms; otherwise a matrix with the fit's columns.
.predict_rows <- function(object, newdata, offset) {
  if (is.null(newdata)) {
    if (is.null(object$x)) stop("newdata is needed (the model keeps no data)", call. = FALSE)
    return(list(X = object$x, offset = if (is.null(offset)) object$offset else offset))
  }
  if (!is.null(object$terms) && is.data.frame(newdata)) {
    r <- .formula_newdata(object, newdata)
    if (!is.null(offset)) r$offset <- r$offset + offset
    return(r)
  }
  list(X = .newdata(object, newdata), offset = offset)
}

.formula_fit <- function(x, ...) {
  if (!is.null(x$formula)) return(x$formula)
  if (!is.null(x$terms)) return(formula(x$terms))
  # a matrix fit: y ~ its columns (anova() headings, drop1())
  cols <- if (length(x$xnames)) paste0("`", x$xnames, "`", collapse = " + ") else "1"
  stats::as.formula(paste("y ~", cols, if (isFALSE(x$intercept)) "- 1"), env = globalenv())
}

.terms_fit <- function(x, ...) {
  if (is.null(x$terms)) stop("a matrix-interface fit has no terms: fit with a formula", call. = FALSE)
  x$terms
}

.model_frame_fit <- function(formula, ...) {
  if (is.null(formula$model)) stop("the fit keeps no model frame (formula fit with model = TRUE keeps one)",
                                   call. = FALSE)
  formula$model
}

#' model.matrix(): the design with the "(Intercept)" column and attributes
#' "assign" (and "contrasts"), as model.matrix() of an lm/glm.
.model_matrix_fit <- function(object, ...) {
  if (is.null(object$x)) stop("the model keeps no data (read from a file)", call. = FALSE)
  X <- object$x
  icpt <- !isFALSE(object$intercept)
  if (icpt) X <- cbind("(Intercept)" = rep(1, nrow(X)), X)
  asgn <- object$assign
  if (is.null(asgn)) asgn <- c(if (icpt) 0L, seq_len(ncol(object$x)))
  attr(X, "assign") <- asgn
  if (!is.null(object$contrasts)) attr(X, "contrasts") <- object$contrasts
  X
}

formula.occam_lm <- formula.occam_glm <- .formula_fit
terms.occam_lm <- terms.occam_glm <- .terms_fit
model.frame.occam_lm <- model.frame.occam_glm <- .model_frame_fit
model.matrix.occam_lm <- model.matrix.occam_glm <- .model_matrix_fit
