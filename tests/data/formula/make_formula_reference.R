# make_formula_reference.R -- the data and R's reference values for
# tests/sh/test_cli_formula.sh (occam fit --formula, predict through the
# stored formula).  Run from this directory:
#   Rscript make_formula_reference.R
# Writes the CSV data files (text columns as R writes them) and
# coefficients.csv (case, name, value) and predict_*.csv at 17 significant
# digits.  Factors come from read.csv(stringsAsFactors = TRUE) on the
# written files, so their levels are sorted; LC_COLLATE=C makes that byte
# order, which is occam's (docs/cli.md, "Formulas").
invisible(Sys.setlocale("LC_COLLATE", "C"))
library(MASS)
options(digits = 17)

wb <- data.frame(breaks = warpbreaks$breaks, wool = as.character(warpbreaks$wool),
                 tension = as.character(warpbreaks$tension))
write.csv(wb, "warpbreaks.csv", row.names = FALSE, quote = FALSE)
mt <- data.frame(mpg = mtcars$mpg, cyl = mtcars$cyl, wt = mtcars$wt, hp = mtcars$hp, disp = mtcars$disp)
write.csv(mt, "mtcars.csv", row.names = FALSE, quote = FALSE)
ins <- data.frame(District = as.character(Insurance$District), Group = as.character(Insurance$Group),
                  Age = as.character(Insurance$Age), Holders = Insurance$Holders, Claims = Insurance$Claims)
ins$logHolders <- log(ins$Holders)
write.csv(ins, "insurance.csv", row.names = FALSE, quote = FALSE)
write.csv(cars, "cars.csv", row.names = FALSE, quote = FALSE)

rd <- function(f) read.csv(f, stringsAsFactors = TRUE)
wb <- rd("warpbreaks.csv"); mt <- rd("mtcars.csv"); ins <- rd("insurance.csv"); cr <- rd("cars.csv")

fits <- list(
  wb_poisson = glm(breaks ~ wool * tension, family = poisson, data = wb),
  wb_no_intercept = glm(breaks ~ 0 + wool + tension, family = poisson, data = wb),
  wb_minus1_lm = lm(breaks ~ tension - 1, data = wb),
  cars_poly_log = lm(dist ~ speed + I(speed^2) + log(speed), data = cr),
  cars_deparse = lm(dist ~ I(1/speed) + sqrt(speed * 2) + exp(-speed/10), data = cr),
  mtcars_factor_cyl = lm(mpg ~ factor(cyl) + wt, data = mt),
  mtcars_inter_num = lm(mpg ~ factor(cyl):wt + hp, data = mt),
  ins_offset_formula = glm(Claims ~ factor(District) + Group + Age + offset(log(Holders)), family = poisson, data = ins),
  ins_offset_column = glm(Claims ~ factor(District) + Group + Age, offset = logHolders, family = poisson, data = ins),
  mtcars_exclude = lm(mpg ~ . - disp - hp, data = mt)
)
out <- do.call(rbind, lapply(names(fits), function(k) {
  b <- coef(fits[[k]])
  data.frame(case = k, name = names(b), value = sprintf("%.17g", unname(b)))
}))
write.csv(out, "coefficients.csv", row.names = FALSE, quote = FALSE)

pr <- function(fit, file) {
  p <- predict(fit, type = "response")
  write.csv(data.frame(prediction = sprintf("%.17g", unname(p))), file, row.names = FALSE, quote = FALSE)
}
pr(fits$wb_poisson, "predict_wb_poisson.csv")
pr(fits$ins_offset_formula, "predict_ins_offset.csv")
pr(fits$ins_offset_column, "predict_ins_offset_column.csv")

# residuals(type = ...) of three fits, for occam residuals on a formula model
rs <- function(fit, type, file)
  write.csv(data.frame(residual = sprintf("%.17g", unname(residuals(fit, type)))), file, row.names = FALSE,
            quote = FALSE)
rs(fits$wb_poisson, "pearson", "resid_wb_pearson.csv")
rs(fits$ins_offset_column, "deviance", "resid_ins_column_deviance.csv")
rs(fits$ins_offset_formula, "working", "resid_ins_working.csv")
