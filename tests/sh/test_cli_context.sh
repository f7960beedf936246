#!/bin/bash
# test_cli_context.sh -- the model remembers its context (issue 13 point 3):
#  - the format 1.1 model files of tests/data/format_1_1 (written by the
#    binary of commit ebbd3c0, before this change) load and predict the same
#    CSV, byte for byte (17 significant digits), for palive, expected,
#    spend and clv (DERT and CLV to 1e-13 relative: tricomi_u.h's cells); their summary says "Time unit: unknown";
#  - fit pnbd --events records weeks (or days with --unit days) and the
#    calibration end; fit pnbd --data / fit gg record --unit (unknown when not
#    given) and the columns fitted, which predict, clv and plot spend then
#    use by default;
#  - predict, clv and plot palive refuse a --unit other than the model's
#    with one line naming both units, exit 1 and no output file; two models
#    of different units are refused by clv; bad --unit values are usage errors.
. "$(dirname "$0")/cli_testlib.sh" || exit 1
D="$OCCAM_SOURCE_DIR/tests/data/format_1_1"
CDNOW="$OCCAM_SOURCE_DIR/data/cdnow_transactions.csv"

# same NAME FILE EXPECTED: byte-identical CSV
same() {
    if [ "$RC" -eq 0 ] && cmp -s "$2" "$3"; then pass "$1: the same bytes as the format 1.1 binary ($(wc -l <"$3") lines)"
    else fail "$1: exit $RC, $(diff "$2" "$3" | head -4) $(head -c 300 "$WORK/$1.err")"; fi
}

# close NAME FILE EXPECTED COLS: the same CSV but for the columns COLS (DERT
# and what is made from it: since the format 1.1 binary, the Tricomi part of
# DERT at z < 1 is interpolated, tricomi_u.h), which agree to 1e-13 relative
close() {
    local why
    if [ "$RC" -ne 0 ]; then fail "$1: exit $RC, $(head -c 300 "$WORK/$1.err")"; return; fi
    if why=$("$PY" - "$2" "$3" "$4" <<'PYEOF'
import csv, sys
got, want = (list(csv.reader(open(f))) for f in sys.argv[1:3])
loose = set(sys.argv[3].split(","))
assert len(got) == len(want) and got[0] == want[0], "header or row count differs"
for i, (g, w) in enumerate(zip(got[1:], want[1:]), 2):
    for name, a, b in zip(want[0], g, w):
        if name in loose:
            assert abs(float(a) - float(b)) <= 1e-13 * abs(float(b)), "line %d %s: %s vs %s" % (i, name, a, b)
        else:
            assert a == b, "line %d %s: %s vs %s (must be the same bytes)" % (i, name, a, b)
PYEOF
    ); then pass "$1: the format 1.1 binary's CSV, $4 within 1e-13 relative, the rest byte for byte"
    else fail "$1: $why"; fi
}

# ---- old files: the same numbers
for m in pnbd_summary:summary pnbd_events:events_summary; do
    mod=${m%%:*} dat=${m##*:}
    run "$mod.palive" predict "$D/$mod.occam" --data "$D/$dat.csv" --id id --type palive --output "$WORK/$mod.palive.csv"
    same "$mod.palive" "$WORK/$mod.palive.csv" "$D/${mod}_palive.csv"
    run "$mod.exp" predict "$D/$mod.occam" --data "$D/$dat.csv" --id id --type expected --horizon 52 --output "$WORK/$mod.exp.csv"
    same "$mod.exp" "$WORK/$mod.exp.csv" "$D/${mod}_expected52.csv"
    run "$mod.dert" predict "$D/$mod.occam" --data "$D/$dat.csv" --id id --type dert --discount 0.0026877 --unit weeks --output "$WORK/$mod.dert.csv"
    close "$mod.dert" "$WORK/$mod.dert.csv" "$D/${mod}_dert.csv" prediction # --unit against an unknown unit: accepted
done
run gg.spend predict "$D/gg_spend.occam" --data "$D/spend.csv" --id id --type spend --output "$WORK/gg.spend.csv"
same gg.spend "$WORK/gg.spend.csv" "$D/gg_spend_spend.csv"
run clv.old clv --pnbd "$D/pnbd_summary.occam" --gg "$D/gg_spend.occam" --data "$D/clv_input.csv" --discount 0.0026877 --output "$WORK/clv.csv"
close clv.old "$WORK/clv.csv" "$D/clv.csv" dert,clv
run sum.old summary "$D/pnbd_events.occam"
if [ "$RC" -eq 0 ] && grep -qx "Time unit: unknown; calibration end: unknown" "$WORK/sum.old.out"; then
    pass "sum.old: a format 1.1 model's summary says the unit is unknown"
else fail "sum.old: $(head -c 300 "$WORK/sum.old.out" "$WORK/sum.old.err")"; fi

# ---- events: weeks, calibration end
run ev fit pnbd --events "$CDNOW" --id id --time date --calibration-end 1997-09-30 --top 0 --save "$WORK/ev.occam"
if [ "$RC" -eq 0 ] && grep -qx "Time unit: weeks (7 days per unit); calibration end: 1997-09-30" "$WORK/ev.out"; then
    pass "ev: the fit prints the unit and the calibration end"
else fail "ev: $(head -c 300 "$WORK/ev.err")"; fi
run ev.sum summary "$WORK/ev.occam"
if [ "$RC" -eq 0 ] && grep -qx "Time unit: weeks (7 days per unit); calibration end: 1997-09-30" "$WORK/ev.sum.out"; then
    pass "ev.sum: the summary prints them from the file"
else fail "ev.sum: $(head -c 300 "$WORK/ev.sum.out" "$WORK/ev.sum.err")"; fi
run evd fit pnbd --events "$CDNOW" --id id --time date --calibration-end 1997-09-30 --unit days --top 0 --save "$WORK/evd.occam"
if [ "$RC" -eq 0 ] && grep -qx "Time unit: days (1 day per unit); calibration end: 1997-09-30" "$WORK/evd.out"; then
    pass "evd: --unit days recorded"
else fail "evd: $(head -c 300 "$WORK/evd.err")"; fi

# ---- the mismatch: refused, both units named, no output file
rm -f "$WORK/none.csv"
run mis predict "$WORK/ev.occam" --data "$D/summary.csv" --unit days --output "$WORK/none.csv"
expect_error mis 1 "^occam: predict: the model was fitted in weeks \(7 days per unit\) but --unit says days \(1 day per unit\): convert the data or refit$"
if [ -e "$WORK/none.csv" ]; then fail "mis: an output file was written"; else pass "mis: no output file"; fi
run mis_d predict "$WORK/evd.occam" --data "$D/summary.csv" --unit weeks
expect_error mis_d 1 "fitted in days \(1 day per unit\) but --unit says weeks \(7 days per unit\)"
if [ ! -s "$WORK/mis_d.out" ]; then pass "mis_d: nothing on stdout"; else fail "mis_d: stdout has $(head -c 100 "$WORK/mis_d.out")"; fi
run mis_o predict "$WORK/ev.occam" --data "$D/summary.csv" --unit other --unit-days 30.4375
expect_error mis_o 1 "fitted in weeks \(7 days per unit\) but --unit says other \(30.4375 days per unit\)"
run ok_w predict "$WORK/ev.occam" --data "$D/summary.csv" --unit weeks
expect_ok ok_w
run ok_o7 predict "$WORK/ev.occam" --data "$D/summary.csv" --unit other --unit-days 7
expect_ok ok_o7
run clv_mis clv --pnbd "$WORK/ev.occam" --gg "$D/gg_spend.occam" --data "$D/clv_input.csv" --discount 0.0026877 --unit days --output "$WORK/none.csv"
expect_error clv_mis 1 "^occam: clv: the model was fitted in weeks \(7 days per unit\) but --unit says days \(1 day per unit\)"
if [ -e "$WORK/none.csv" ]; then fail "clv_mis: an output file was written"; else pass "clv_mis: no output file"; fi
run palive_mis plot palive --model "$WORK/ev.occam" --T 39 --unit days --output "$WORK/pa"
expect_error palive_mis 1 "^occam: plot palive: the model was fitted in weeks \(7 days per unit\) but --unit says days"
if ls "$WORK"/pa.* >/dev/null 2>&1; then fail "palive_mis: files written"; else pass "palive_mis: no file written"; fi
run given model pnbd --r 0.55 --alpha 10.58 --s 0.61 --beta 11.67 --unit weeks --save "$WORK/given.occam"
run given.mis predict "$WORK/given.occam" --data "$D/summary.csv" --unit days
expect_error given.mis 1 "fitted in weeks \(7 days per unit\) but --unit says days"
run lin_unit model linear --intercept 1 --coef 2 --save "$WORK/lin.occam"
run lin_unit predict "$WORK/lin.occam" --data "$D/summary.csv" --unit weeks
expect_error lin_unit 2 "--unit applies to Pareto/NBD and Gamma-Gamma models"
run bad_unit predict "$WORK/ev.occam" --data "$D/summary.csv" --unit months
expect_error bad_unit 2 "--unit must be weeks, days or other, not 'months'"
run bad_days fit pnbd --data "$D/summary.csv" --unit other --unit-days 0
expect_error bad_days 2 "--unit-days must be a number of days > 0"
run days_weeks fit pnbd --data "$D/summary.csv" --unit weeks --unit-days 7
expect_error days_weeks 2 "--unit-days applies to --unit other"
run ev_days fit pnbd --events "$CDNOW" --id id --time date --calibration-end 1997-09-30 --unit-days 7
expect_error ev_days 2 "--unit-days apply to --data only"

# ---- --data and fit gg: --unit and the columns fitted become the defaults
sed '1s/.*/id,freq,rec,age/' "$D/summary.csv" >"$WORK/renamed.csv"
run ren fit pnbd --data "$WORK/renamed.csv" --x freq --tx rec --T age --unit other --unit-days 30.4375 --top 0 --save "$WORK/ren.occam"
if [ "$RC" -eq 0 ] && grep -qx "Time unit: other (30.4375 days per unit); calibration end: unknown" "$WORK/ren.out"; then
    pass "ren: --unit other --unit-days recorded"
else fail "ren: $(head -c 300 "$WORK/ren.err")"; fi
run ren.p predict "$WORK/ren.occam" --data "$WORK/renamed.csv" --id id --output "$WORK/ren.csv"
run def fit pnbd --data "$D/summary.csv" --top 0 --save "$WORK/def.occam"
if grep -qx "Time unit: unknown; calibration end: unknown" "$WORK/def.out"; then pass "def: no --unit: unknown"
else fail "def: $(grep "Time unit" "$WORK/def.out")"; fi
run def.p predict "$WORK/def.occam" --data "$D/summary.csv" --id id --output "$WORK/def.csv"
if [ -s "$WORK/ren.csv" ] && cmp -s "$WORK/ren.csv" "$WORK/def.csv"; then
    pass "ren.p: predict reads the columns freq, rec, age the model was fitted on (no --x/--tx/--T)"
else fail "ren.p: $(head -c 300 "$WORK/ren.p.err")"; fi
run ren.mis predict "$WORK/ren.occam" --data "$WORK/renamed.csv" --unit weeks
expect_error ren.mis 1 "fitted in other \(30.4375 days per unit\) but --unit says weeks \(7 days per unit\)"
run ren.col predict "$WORK/ren.occam" --data "$D/summary.csv"
expect_error ren.col 1 "no column named 'freq'"
run ren.over predict "$WORK/ren.occam" --data "$D/summary.csv" --x x --tx t_x --T T --id id --output "$WORK/ren_over.csv"
if [ "$RC" -eq 0 ] && cmp -s "$WORK/ren_over.csv" "$WORK/def.csv"; then pass "ren.over: --x/--tx/--T read other columns"
else fail "ren.over: $(head -c 300 "$WORK/ren.over.err")"; fi
run old.over predict "$D/pnbd_summary.occam" --data "$WORK/renamed.csv" --x freq --tx rec --T age --id id
if [ "$RC" -eq 0 ] && cmp -s "$WORK/old.over.out" "$D/pnbd_summary_palive.csv"; then pass "old.over: an old model on renamed columns"
else fail "old.over: $(head -c 300 "$WORK/old.over.err")"; fi
run gg.tx predict "$D/gg_spend.occam" --data "$D/spend.csv" --tx m_x
expect_error gg.tx 2 "--tx applies to Pareto/NBD models"
run lin.x predict "$WORK/lin.occam" --data "$D/summary.csv" --x x
expect_error lin.x 2 "--x, --tx, --T and --m apply to Pareto/NBD and Gamma-Gamma models"

sed '1s/.*/id,n,avg/' "$D/spend.csv" >"$WORK/spend_renamed.csv"
run gg fit gg --data "$WORK/spend_renamed.csv" --x n --m avg --unit weeks --save "$WORK/gg.occam"
if [ "$RC" -eq 0 ] && grep -qx "Time unit: weeks (7 days per unit); calibration end: unknown" "$WORK/gg.out"; then
    pass "gg: fit gg records --unit"
else fail "gg: $(head -c 300 "$WORK/gg.err")"; fi
run gg.p predict "$WORK/gg.occam" --data "$WORK/spend_renamed.csv" --id id --unit weeks
if [ "$RC" -eq 0 ] && [ "$(wc -l <"$WORK/gg.p.out")" -eq 301 ]; then pass "gg.p: predict reads the columns n, avg"
else fail "gg.p: $(head -c 300 "$WORK/gg.p.err")"; fi
run gg.mis predict "$WORK/gg.occam" --data "$WORK/spend_renamed.csv" --unit days
expect_error gg.mis 1 "fitted in weeks \(7 days per unit\) but --unit says days \(1 day per unit\)"
run gg.plot plot spend --model "$WORK/gg.occam" --data "$WORK/spend_renamed.csv" --output "$WORK/sp"
if [ "$RC" -eq 0 ] && [ -s "$WORK/sp.csv" ]; then pass "gg.plot: plot spend reads the model's columns"
else fail "gg.plot: $(head -c 300 "$WORK/gg.plot.err")"; fi
# clv: a weeks model and a days model are not mixed; the renamed columns are read
run ggd fit gg --data "$D/spend.csv" --unit days --save "$WORK/ggd.occam"
run clv_pair clv --pnbd "$WORK/ev.occam" --gg "$WORK/ggd.occam" --data "$D/clv_input.csv" --discount 0.0026877
expect_error clv_pair 1 "the Pareto/NBD model was fitted in weeks \(7 days per unit\) but the Gamma-Gamma model in days \(1 day per unit\)"
paste -d, "$WORK/renamed.csv" <(cut -d, -f3 "$WORK/spend_renamed.csv") >"$WORK/clv_renamed.csv"
run ggu fit gg --data "$WORK/spend_renamed.csv" --x n --m avg --save "$WORK/ggu.occam" # unit unknown: goes with any
run clv_ren clv --pnbd "$WORK/ren.occam" --gg "$WORK/ggu.occam" --data "$WORK/clv_renamed.csv" --discount 0.0026877
if [ "$RC" -eq 0 ] && [ "$(wc -l <"$WORK/clv_ren.out")" -eq 301 ]; then pass "clv_ren: clv reads the models' columns freq, rec, age, avg"
else fail "clv_ren: $(head -c 300 "$WORK/clv_ren.err")"; fi
finish
