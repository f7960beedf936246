#!/bin/bash
# test_cli_formula.sh -- `occam fit linear|glm --formula` and `--exclude`
# (issue 14 point 1) and the remembered offset (point 3): coefficient names
# exactly and values to 1e-8 (relative to max(1, |value|)) against R
# (tests/data/formula/coefficients.csv, from make_formula_reference.R in
# that directory: lm/glm on the same CSV files read with
# read.csv(stringsAsFactors = TRUE), LC_COLLATE=C); `occam summary` of the
# saved model reprints the names; `occam predict` through the stored
# formula equals R's predict(type = "response") to 1e-8; an unseen level,
# a missing offset column and bad formulas fail with one line.
. "$(dirname "$0")/cli_testlib.sh" || exit 1
FD="$OCCAM_SOURCE_DIR/tests/data/formula"

# coef NAME CASE: $WORK/NAME.csv (--coef-csv) against R's case
coef() {
    if "$PY" - "$WORK/$1.csv" "$FD/coefficients.csv" "$2" >"$WORK/$1.cmp" 2>&1 <<'PYEOF'
import csv, sys
got = [(r["term"], float(r["estimate"])) for r in csv.DictReader(open(sys.argv[1]))]
want = [(r["name"], float(r["value"])) for r in csv.DictReader(open(sys.argv[2])) if r["case"] == sys.argv[3]]
assert [g[0] for g in got] == [w[0] for w in want], "names %s != R's %s" % ([g[0] for g in got], [w[0] for w in want])
for (n, g), (_, w) in zip(got, want):
    assert abs(g - w) <= 1e-8 * max(1.0, abs(w)), "%s: %r vs R %r" % (n, g, w)
print("%d coefficients" % len(got))
PYEOF
    then pass "$1: names and values as R ($(cat "$WORK/$1.cmp"))"; else fail "$1: $(cat "$WORK/$1.cmp")"; fi
}

# pred NAME REF: $WORK/NAME.out (predict) against R's predictions
pred() {
    if "$PY" - "$WORK/$1.out" "$FD/$2" >"$WORK/$1.cmp" 2>&1 <<'PYEOF'
import csv, sys
got = [float(r["prediction"]) for r in csv.DictReader(open(sys.argv[1]))]
want = [float(r["prediction"]) for r in csv.DictReader(open(sys.argv[2]))]
assert len(got) == len(want), "%d rows, R %d" % (len(got), len(want))
for i, (g, w) in enumerate(zip(got, want)):
    assert abs(g - w) <= 1e-8 * max(1.0, abs(w)), "row %d: %r vs R %r" % (i + 1, g, w)
print("%d predictions" % len(got))
PYEOF
    then pass "$1: as R's predict ($(cat "$WORK/$1.cmp"))"; else fail "$1: $(cat "$WORK/$1.cmp")"; fi
}

WB="$FD/warpbreaks.csv"
run wb fit glm --formula 'breaks ~ wool * tension' --family poisson --data "$WB" --coef-csv "$WORK/wb.csv" \
    --save "$WORK/wb.occam"
expect_ok wb
coef wb wb_poisson
run wb_summary summary "$WORK/wb.occam"
expect_ok wb_summary
if grep -q '^woolB:tensionM  *0.44981 ' "$WORK/wb_summary.out" && grep -q '^tensionL  ' "$WORK/wb_summary.out"; then
    pass "wb_summary: reprints R's names and values"
else fail "wb_summary: $(cat "$WORK/wb_summary.out")"; fi
run wb_predict predict "$WORK/wb.occam" --data "$WB"
expect_ok wb_predict
pred wb_predict predict_wb_poisson.csv
# a file with only the predictors, in another column order
"$PY" -c "
import csv, sys
rows = list(csv.DictReader(open('$WB')))
w = csv.writer(open('$WORK/wb_x.csv', 'w', newline=''))
w.writerow(['tension', 'wool'])
for r in rows: w.writerow([r['tension'], r['wool']])
"
run wb_predict_x predict "$WORK/wb.occam" --data "$WORK/wb_x.csv"
expect_ok wb_predict_x
pred wb_predict_x predict_wb_poisson.csv
printf 'wool,tension\nA,L\nC,M\n' >"$WORK/unseen.csv"
run unseen predict "$WORK/wb.occam" --data "$WORK/unseen.csv"
expect_error unseen 1 "column 'wool'" "level 'C'" "data row 2"

run wb0 fit glm --formula 'breaks ~ 0 + wool + tension' --family poisson --data "$WB" --coef-csv "$WORK/wb0.csv"
expect_ok wb0
coef wb0 wb_no_intercept
run wb_m1 fit linear --formula 'breaks ~ tension - 1' --data "$WB" --coef-csv "$WORK/wb_m1.csv"
expect_ok wb_m1
coef wb_m1 wb_minus1_lm

run cars fit linear --formula 'dist ~ speed + I(speed^2) + log(speed)' --data "$FD/cars.csv" \
    --coef-csv "$WORK/cars.csv"
expect_ok cars
coef cars cars_poly_log
run cars_dp fit linear --formula 'dist ~ I(1 / speed) + sqrt(speed*2) + exp(-speed/10)' --data "$FD/cars.csv" \
    --coef-csv "$WORK/cars_dp.csv"
expect_ok cars_dp
coef cars_dp cars_deparse

MT="$FD/mtcars.csv"
run mt fit linear --formula 'mpg ~ factor(cyl) + wt' --data "$MT" --coef-csv "$WORK/mt.csv"
expect_ok mt
coef mt mtcars_factor_cyl
run mt_inter fit linear --formula 'mpg ~ factor(cyl):wt + hp' --data "$MT" --coef-csv "$WORK/mt_inter.csv"
expect_ok mt_inter
coef mt_inter mtcars_inter_num
run mt_ex fit linear --y mpg --exclude disp,hp --data "$MT" --coef-csv "$WORK/mt_ex.csv"
expect_ok mt_ex
coef mt_ex mtcars_exclude

INS="$FD/insurance.csv"
run ins fit glm --formula 'Claims ~ factor(District) + Group + Age + offset(log(Holders))' --family poisson \
    --data "$INS" --coef-csv "$WORK/ins.csv" --save "$WORK/ins.occam"
expect_ok ins
coef ins ins_offset_formula
run ins_predict predict "$WORK/ins.occam" --data "$INS"
expect_ok ins_predict
pred ins_predict predict_ins_offset.csv
cut -d, -f1-3,5 "$INS" >"$WORK/ins_noholders.csv"
run ins_noholders predict "$WORK/ins.occam" --data "$WORK/ins_noholders.csv"
expect_error ins_noholders 1 "Holders"

run insc fit glm --formula 'Claims ~ factor(District) + Group + Age' --offset logHolders --family poisson \
    --data "$INS" --coef-csv "$WORK/insc.csv" --save "$WORK/insc.occam"
expect_ok insc
coef insc ins_offset_column
run insc_predict predict "$WORK/insc.occam" --data "$INS"
expect_ok insc_predict
pred insc_predict predict_ins_offset_column.csv
cut -d, -f1-5 "$INS" >"$WORK/ins_nolog.csv"
run insc_nolog predict "$WORK/insc.occam" --data "$WORK/ins_nolog.csv"
expect_error insc_nolog 1 "offset column 'logHolders'"

# the --offset of a fit by column list is remembered too
"$PY" -c "
import csv
rows = list(csv.DictReader(open('$INS')))
w = csv.writer(open('$WORK/ins_num.csv', 'w', newline=''))
w.writerow(['Claims', 'District', 'logHolders'])
for r in rows: w.writerow([r['Claims'], r['District'], r['logHolders']])
"
run insn fit glm --y Claims --x District --offset logHolders --family poisson --data "$WORK/ins_num.csv" \
    --save "$WORK/insn.occam"
expect_ok insn
cut -d, -f1,2 "$WORK/ins_num.csv" >"$WORK/ins_num_nolog.csv"
run insn_nolog predict "$WORK/insn.occam" --data "$WORK/ins_num_nolog.csv"
expect_error insn_nolog 1 "offset column 'logHolders'"

# residuals of formula models (the response from the formula, the offset
# remembered), against R's residuals(fit, type) to 1e-8
resid() {
    if "$PY" - "$WORK/$1.out" "$FD/$2" >"$WORK/$1.cmp" 2>&1 <<'PYEOF'
import csv, sys
got = [float(r["residual"]) for r in csv.DictReader(open(sys.argv[1]))]
want = [float(r["residual"]) for r in csv.DictReader(open(sys.argv[2]))]
assert len(got) == len(want), "%d rows, R %d" % (len(got), len(want))
for i, (g, w) in enumerate(zip(got, want)):
    assert abs(g - w) <= 1e-8 * max(1.0, abs(w)), "row %d: %r vs R %r" % (i + 1, g, w)
print("%d residuals" % len(got))
PYEOF
    then pass "$1: as R's residuals ($(cat "$WORK/$1.cmp"))"; else fail "$1: $(cat "$WORK/$1.cmp")"; fi
}
run wb_resid residuals "$WORK/wb.occam" --data "$WB" --type pearson
expect_ok wb_resid
resid wb_resid resid_wb_pearson.csv
run insc_resid residuals "$WORK/insc.occam" --data "$INS"
expect_ok insc_resid
resid insc_resid resid_ins_column_deviance.csv
run ins_resid residuals "$WORK/ins.occam" --data "$INS" --type working
expect_ok ins_resid
resid ins_resid resid_ins_working.csv
run insc_resid_nolog residuals "$WORK/insc.occam" --data "$WORK/ins_nolog.csv"
expect_error insc_resid_nolog 1 "offset column 'logHolders'"

# command-line errors
run bad_syntax fit glm --formula 'breaks ~ wool +' --family poisson --data "$WB"
expect_error bad_syntax 2 "--formula"
run bad_power fit glm --formula 'breaks ~ (wool + tension)^2' --family poisson --data "$WB"
expect_error bad_power 2 "not supported"
run bad_both fit glm --formula 'breaks ~ wool' --y breaks --family poisson --data "$WB"
expect_error bad_both 2 "--formula replaces"
run bad_dot fit glm --formula 'breaks ~ .' --family poisson --data "$WB"
expect_error bad_dot 2 "'\\.' \\(all other columns\\) is not supported"
run bad_exclude fit linear --y mpg --x wt --exclude hp --data "$MT"
expect_error bad_exclude 2 "--exclude applies without --x"
run bad_exclude_col fit linear --y mpg --exclude nosuch --data "$MT"
expect_error bad_exclude_col 1 "no column named 'nosuch'"
run bad_num fit glm --formula 'breaks ~ log(wool)' --family poisson --data "$WB"
expect_error bad_num 1 "column 'wool'" "not a number"

# streamed (chunks of 10 rows): the levels come from a first read of the file
run wb_stream fit glm --formula 'breaks ~ wool * tension' --family poisson --data "$WB" --chunk-rows 10 \
    --coef-csv "$WORK/wb_stream.csv"
expect_ok wb_stream
coef wb_stream wb_poisson
run ins_stream fit glm --formula 'Claims ~ factor(District) + Group + Age + offset(log(Holders))' \
    --family poisson --data "$INS" --chunk-rows 7 --coef-csv "$WORK/ins_stream.csv"
expect_ok ins_stream
coef ins_stream ins_offset_formula
finish
