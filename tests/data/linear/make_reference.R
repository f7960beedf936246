# Reference values for tests/check_linear.c that the shared R references do
# not cover.  Run from this directory:  Rscript make_reference.R
# (R 4.2.2, Debian r-base-core; writes linear_reference.json)
cars <- read.csv("../../../data/glm/cars.csv")
num <- function(x) sprintf("%.17g", x)
vec <- function(x) paste0("[", paste(ifelse(is.na(x), "null", num(x)), collapse = ", "), "]")
out <- c()
add <- function(name, fit, newdata = NULL) {
  s <- summary(fit)
  cf <- coef(fit)
  se <- rep(NA, length(cf)); se[!is.na(cf)] <- s$coefficients[, 2]
  fields <- c(
    sprintf('"coefficients": %s', vec(cf)),
    sprintf('"std_errors": %s', vec(se)),
    sprintf('"sigma": %s', num(s$sigma)),
    sprintf('"r_squared": %s', num(s$r.squared)),
    sprintf('"df_residual": %s', num(fit$df.residual)),
    sprintf('"fitted_head": %s', vec(head(fitted(fit), 10))))
  if (!is.null(newdata)) {
    p <- predict(fit, newdata = newdata, se.fit = TRUE)
    fields <- c(fields, sprintf('"new_speed": %s', vec(newdata$speed)),
                sprintf('"predict_fit": %s', vec(p$fit)), sprintf('"predict_se": %s', vec(p$se.fit)))
  }
  out <<- c(out, sprintf('"%s": {%s}', name, paste(fields, collapse = ", ")))
}
add("cars_no_intercept", lm(dist ~ speed - 1, data = cars))
cars$speed2 <- cars$speed
add("cars_duplicated_column", lm(dist ~ speed + speed2, data = cars))
add("cars_offset", lm(dist ~ speed, offset = 2 * speed, data = cars))
add("cars_predict_se", lm(dist ~ speed, data = cars), data.frame(speed = c(5, 21.5, 30)))
writeLines(c("{", paste(out, collapse = ",\n"), "}"), "linear_reference.json")
