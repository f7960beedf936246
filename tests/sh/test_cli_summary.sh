#!/bin/bash
# test_cli_summary.sh -- `occam summary MODEL` (issue 14 point 2): the saved
# model's summary is what `occam fit` printed -- whose every line
# test_cli_glm_rprint.sh / test_cli_linear.sh check against R's printed
# summary() -- except the fit's own header (Call / data lines) and "Model
# saved": the residual block (when the file keeps the rows; zero-weight rows
# in, their residuals 0, as R 4.2's summary.glm), the coefficient table and the statistics lines,
# character for character. GLM: warpbreaks poisson, quasipoisson (dispersion
# line), budworm binomial with weights, zero weights, an aliased column;
# (saved with --keep-data); without it the file holds no per-row data: 40
# bytes per row smaller, the block says so, the rest the same; --keep-data
# on a streamed fit refused; linear: cars (its file keeps no rows: the block says so); Pareto/NBD:
# CDNOW; a hand-coded linear model; errors.
. "$(dirname "$0")/cli_testlib.sh" || exit 1

# same NAME FIT_OUT SUMMARY_OUT HEADER_LINES: the fit's output without its
# first HEADER_LINES lines (after the leading blank) and "Model saved" = the
# summary's without its first two lines
same() {
    local name=$1 skip=$4
    "$PY" - "$2" "$3" "$skip" >"$WORK/$name.cmp" 2>&1 <<'PYEOF'
import sys
fit = open(sys.argv[1]).read().split("\n"); summ = open(sys.argv[2]).read().split("\n"); skip = int(sys.argv[3])
fit = [l for l in fit[1 + skip:] if not l.startswith("Model saved to ")]
summ = summ[2:]
while fit and fit[-1] == "": fit.pop()
while summ and summ[-1] == "": summ.pop()
if fit != summ:
    import difflib
    print("\n".join(difflib.unified_diff(fit, summ, "fit", "summary", lineterm="")))
    sys.exit(1)
print("%d lines the same" % len(fit))
PYEOF
    if [ $? -eq 0 ]; then pass "$name: $(cat "$WORK/$name.cmp")"; else fail "$name: $(head -c 600 "$WORK/$name.cmp")"; fi
}

glm_case() { # JSON
    local json=$1 name
    name=$(basename "$json" .json)
    mapfile -t args < <(join_case "$json" "$WORK/$name.csv")
    run "$name.fit" fit glm --data "$WORK/$name.csv" "${args[@]}" --keep-data --save "$WORK/$name.occam"
    [ "$RC" -eq 0 ] || { fail "$name: fit: $(head -c 300 "$WORK/$name.fit.err")"; return; }
    run "$name.sum" summary "$WORK/$name.occam"
    [ "$RC" -eq 0 ] || { fail "$name: summary: $(head -c 300 "$WORK/$name.sum.err")"; return; }
    grep -q "^Generalized linear model (family = " "$WORK/$name.sum.out" || fail "$name: no header line"
    same "$name" "$WORK/$name.fit.out" "$WORK/$name.sum.out" 2
}
for c in warpbreaks_poisson_log warpbreaks_quasipoisson_log budworm_binomial_logit; do glm_case "$REF/$c.json"; done
for c in zeroweights_budworm_binomial_logit rankdef_dup_warpbreaks_poisson_log; do glm_case "$REF/extra/$c.json"; done

# the default: no per-row data in the file (issue 14 point 3)
mapfile -t wargs < <(join_case "$REF/warpbreaks_poisson_log.json" "$WORK/wb.csv")
run wb.fit fit glm --data "$WORK/wb.csv" "${wargs[@]}" --save "$WORK/wb.occam"
expect_ok wb.fit
run wb.sum summary "$WORK/wb.occam"
expect_ok wb.sum
rows=$(($(wc -l <"$WORK/wb.csv") - 1))
small=$(stat -c %s "$WORK/wb.occam") big=$(stat -c %s "$WORK/warpbreaks_poisson_log.occam")
if [ $((big - small)) -eq $((rows * 40)) ]; then pass "default file: $small bytes, with --keep-data $big (40 x $rows rows)"
else fail "default file $small bytes, --keep-data $big, $rows rows"; fi
"$PY" - "$WORK/warpbreaks_poisson_log.sum.out" "$WORK/wb.sum.out" >"$WORK/wb.cmp" 2>&1 <<'PYEOF'
import sys
keep = open(sys.argv[1]).read(); summ = open(sys.argv[2]).read()
assert "(Deviance residuals not stored in the model file)" in summ, summ[:300]
assert summ[summ.index("Coefficients:"):] == keep[keep.index("Coefficients:"):], "tables differ"
print("residuals not stored, said; coefficient table and statistics the same")
PYEOF
if [ $? -eq 0 ]; then pass "default file: $(cat "$WORK/wb.cmp")"; else fail "default file: $(tail -c 400 "$WORK/wb.cmp")"; fi
run wb.stream fit glm --data "$WORK/wb.csv" "${wargs[@]}" --keep-data --chunk-rows 10 --save "$WORK/wb2.occam"
expect_error wb.stream 2 "--keep-data keeps the rows of data held in memory only"
[ ! -e "$WORK/wb2.occam" ] && pass "refused --keep-data: no model file" || fail "refused --keep-data wrote a model file"

# residual df = 0: NaN standard errors are explained (R prints them without a word), in the fit and the summary;
# a Poisson fit with df = 0 has finite SEs (dispersion 1): no such line
printf 'y,x\n1,2\n3,5\n' >"$WORK/two.csv"
run two.fit fit glm --family gaussian --data "$WORK/two.csv" --y y --save "$WORK/two.occam"
run two.sum summary "$WORK/two.occam"
run two.lm fit linear --data "$WORK/two.csv" --y y
run two.pois fit glm --family poisson --data "$WORK/two.csv" --y y
n_expl=$(cat "$WORK/two.fit.out" "$WORK/two.sum.out" "$WORK/two.lm.out" | grep -c '^(residual df = 0: standard errors are undefined)$')
if [ "$n_expl" -eq 3 ] && ! grep -q "residual df = 0" "$WORK/two.pois.out" && grep -Eq '^x +[0-9.]+ +[0-9.]+ ' "$WORK/two.pois.out"; then
    pass "df = 0: NaN SEs explained in glm fit, its summary and lm; not for Poisson (finite SEs)"
else fail "df = 0: $n_expl explanations; poisson: $(grep -A3 Coefficients "$WORK/two.pois.out")"; fi

run lin.fit fit linear --data "$DATA/cars.csv" --y dist --save "$WORK/cars.occam"
run lin.sum summary "$WORK/cars.occam"
expect_ok lin.sum
"$PY" - "$WORK/lin.fit.out" "$WORK/lin.sum.out" >"$WORK/lin.cmp" 2>&1 <<'PYEOF'
import sys
fit = open(sys.argv[1]).read(); summ = open(sys.argv[2]).read()
tail = fit[fit.index("Coefficients:"):fit.index("\nModel saved")].rstrip("\n")
assert "(Residuals not stored in the model file)" in summ, summ[:200]
assert summ[summ.index("Coefficients:"):].rstrip("\n") == tail, (summ, tail)
print("coefficient table and statistics lines the same; residuals not stored, said")
PYEOF
if [ $? -eq 0 ]; then pass "lin: $(cat "$WORK/lin.cmp")"; else fail "lin: $(tail -c 400 "$WORK/lin.cmp")"; fi

run pnbd.fit fit pnbd --data "$OCCAM_SOURCE_DIR/data/cdnow_summary.csv" --top 0 --save "$WORK/p.occam"
run pnbd.sum summary "$WORK/p.occam"
expect_ok pnbd.sum
grep -q "^Pareto/NBD model fitted to 2357 customers, saved in $WORK/p.occam" "$WORK/pnbd.sum.out" || fail "pnbd: header line"
same pnbd "$WORK/pnbd.fit.out" "$WORK/pnbd.sum.out" 1

run hand model linear --intercept 1.5 --coef 2,-0.5 --names a,b --save "$WORK/h.occam"
run hand.sum summary "$WORK/h.occam"
if [ "$RC" -eq 0 ] && grep -q "hand-coded coefficients" "$WORK/hand.sum.out" && grep -Eq "^a +2\.0 +NaN" "$WORK/hand.sum.out"; then
    pass "hand-coded: its coefficients"
else fail "hand-coded: exit $RC, $(head -c 300 "$WORK/hand.sum.out")"; fi

run none summary
expect_error none 2 "summary: missing MODEL"
echo "not a model" >"$WORK/bad.occam"
run bad summary "$WORK/bad.occam"
expect_error bad 1 "summary: cannot load the model"
finish
