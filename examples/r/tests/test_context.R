# The context of Pareto/NBD and Gamma-Gamma models (issue 13 point 3): a
# format 1.1 file (tests/data/format_1_1, written before the change) loads
# with time_unit "unknown" and predicts what the old binary printed
# (identical doubles: 17 significant digits read back exactly); a format 1.2
# file (tests/data/format_1_2) gives its unit and calibration end.
source("helpers.R")
if (!HAVE_DATA) {
  cat("test_context.R: skipped (needs the occam source tree)\n")
  quit(save = "no")
}
old <- file.path(SRC, "tests", "data", "format_1_1")
m <- occam_load(file.path(old, "pnbd_events.occam"))
check_true(identical(m$time_unit, "unknown") && is.na(m$unit_days) && is.na(m$calibration_end) &&
           is.na(m$calibration_end_text), "a format 1.1 model: unit unknown")
d <- read.csv(file.path(old, "events_summary.csv"))
want <- read.csv(file.path(old, "pnbd_events_palive.csv"))
check_true(identical(pnbd_palive(m, d$x, d$t_x, d$T), want$prediction), "a format 1.1 model predicts the same")
g <- occam_load(file.path(old, "gg_spend.occam"))
check_true(identical(g$time_unit, "unknown"), "a format 1.1 Gamma-Gamma model: unit unknown")
n <- occam_load(file.path(SRC, "tests", "data", "format_1_2", "pnbd_events.occam"))
check_true(identical(n$time_unit, "weeks") && n$unit_days == 7 && n$calibration_end == 10134 / 7 &&
           identical(n$calibration_end_text, "1997-09-30"), "a format 1.2 model: weeks, 1997-09-30")
check_true(identical(occam_unserialize(occam_serialize(n))$calibration_end_text, "1997-09-30"), "serialize keeps it")
done("test_context.R")
