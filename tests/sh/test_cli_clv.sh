#!/bin/bash
# test_cli_clv.sh -- the customer-value commands of issue 13 against the
# mpmath reference tests/data/clv/shared.json (copied from
# ../shared/reference/clv; its REFERENCE_README.md):
#   predict --type dert --discount D   DERT of CDNOW ids 1..10 at PNBD_MLE10
#                                      (delta = ln(1.15)/52, 0.01, 0.1) and of
#                                      the 20 stress rows (beta = 1e4, 1e6,
#                                      s = 1, delta = 1e-6, ...): 1e-10
#                                      relative (contract 1e-8), never NA
#   fit pnbd --events ... --holdout-end H   the holdout evaluation of CDNOW
#                                      (calibration to 1997-09-30, holdout
#                                      to 1998-06-30 = 39 weeks): printed
#                                      totals, MAE, RMSE, correlation and the
#                                      x = 0..6, 7+ table against `holdout`
#                                      (its PNBD_DAYS_MLE10 values; our own
#                                      fit differs by ~1e-7 along the flat
#                                      beta direction): 1e-6 relative, the
#                                      counts exactly; --holdout-csv rows:
#                                      x_star = data/cdnow_summary_days.csv,
#                                      sum of predicted = sum_ce39 (1e-6)
#   a log with a customer born in the holdout and transactions after H:
#                                      the counts are reported, the excluded
#                                      customer and transactions change
#                                      nothing else; --threads/--chunk-rows
#                                      give the same output
# and bad input fails with exactly one line on stderr.
. "$(dirname "$0")/cli_testlib.sh" || exit 1

D="$OCCAM_SOURCE_DIR/data"
CLV="$OCCAM_SOURCE_DIR/tests/data/clv/shared.json"

# --- DERT inputs: CDNOW customers 1..10, the stress rows
"$PY" - "$CLV" "$WORK" <<'PYEOF'
import csv, json, math, sys
ref = json.load(open(sys.argv[1]))
out = sys.argv[2]
def args(p):
    return "\n".join(["--r", p["r"], "--alpha", p["alpha"], "--s", p["s"], "--beta", p["beta"]]) + "\n"
with open(out + "/c10.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["id", "x", "t_x", "T"])
    for c in ref["customers"]:
        w.writerow([c["id"], c["x"], c["t_x"], c["T"]])
open(out + "/mle10.args", "w").write(args(ref["parameter_sets"]["PNBD_MLE10"]["exact_decimal"]))
for i, s in enumerate(ref["dert_stress"]):
    with open(out + "/stress%d.csv" % i, "w") as f:
        f.write("x,t_x,T\n%s,%s,%s\n" % (s["x"], s["t_x"], s["T"]))
    open(out + "/stress%d.args" % i, "w").write(args(s["params"]))
    d = "%.17g" % (math.log(1.15) / 52) if s["delta"] == "ln(1.15)/52" else s["delta"]
    open(out + "/stress%d.delta" % i, "w").write(d + "\n")
PYEOF

mapfile -t MLE10 <"$WORK/mle10.args"
run model10 model pnbd "${MLE10[@]}" --save "$WORK/m10.occam"
expect_ok model10
LN115=$("$PY" -c 'import math; print("%.17g" % (math.log(1.15) / 52))')
k=0
for d in "$LN115" 0.01 0.1; do
    k=$((k + 1))
    run dert$k predict "$WORK/m10.occam" --data "$WORK/c10.csv" --type dert --discount "$d" --id id
    expect_ok dert$k
    if msg=$("$PY" - "$WORK/dert$k.out" "$CLV" "$d" 2>&1 <<'PYEOF'
import csv, json, sys
rows = list(csv.reader(open(sys.argv[1])))
assert rows[0] == ["id", "prediction"], rows[0]
ref = json.load(open(sys.argv[2]))
d = sys.argv[3]
assert len(rows) == 11, len(rows)
for r, c in zip(rows[1:], ref["customers"]):
    assert int(r[0]) == c["id"]
    want = c["dert"][d] if d in ("0.01", "0.1") else float(c["dert_15pct_str"])
    got = float(r[1])
    assert abs(got - want) <= 1e-10 * want, "id %s: %r vs %r" % (r[0], got, want)
PYEOF
    ); then pass "dert$k (delta $d): ids 1..10 match the reference (1e-10)"; else fail "dert$k: $msg"; fi
done

# --- DERT: the stress rows, one model each
i=0
STRESS_OK=1
while [ -f "$WORK/stress$i.csv" ]; do
    mapfile -t P <"$WORK/stress$i.args"
    delta=$(cat "$WORK/stress$i.delta")
    "$OCCAM_CLI" model pnbd "${P[@]}" --save "$WORK/s$i.occam" >/dev/null 2>&1 || STRESS_OK=0
    "$OCCAM_CLI" predict "$WORK/s$i.occam" --data "$WORK/stress$i.csv" --type dert --discount "$delta" \
        >"$WORK/s$i.out" 2>&1 || STRESS_OK=0
    if ! msg=$("$PY" - "$WORK/s$i.out" "$CLV" $i 2>&1 <<'PYEOF'
import json, math, sys
lines = open(sys.argv[1]).read().split()
s = json.load(open(sys.argv[2]))["dert_stress"][int(sys.argv[3])]
assert lines[0] == "prediction", lines
got, want = float(lines[1]), float(s["dert_str"])
assert math.isfinite(got) and abs(got - want) <= 1e-10 * want, "%s: %r vs %r" % (s["case"], got, want)
PYEOF
    ); then
        STRESS_OK=0
        fail "dert stress row $i: $msg"
    fi
    i=$((i + 1))
done
if [ "$STRESS_OK" = 1 ] && [ "$i" = 20 ]; then pass "dert: the 20 stress rows match the reference (1e-10)"
else fail "dert: stress rows ($i run)"; fi

run dert_nodiscount predict "$WORK/m10.occam" --data "$WORK/c10.csv" --type dert
expect_error dert_nodiscount 2 "--type dert needs --discount"
run dert_zero predict "$WORK/m10.occam" --data "$WORK/c10.csv" --type dert --discount 0
expect_error dert_zero 1 "discount rate delta = 0" "> 0"
run dert_misplaced predict "$WORK/m10.occam" --data "$WORK/c10.csv" --type palive --discount 0.1
expect_error dert_misplaced 2 "--discount applies only to --type dert"

# --- holdout evaluation of CDNOW
check_holdout() { # NAME OUT [CSV]
    local msg
    if msg=$("$PY" - "$2" "$CLV" "$D/cdnow_summary_days.csv" "${3:-}" 2>&1 <<'PYEOF'
import csv, json, re, sys
out = open(sys.argv[1]).read()
ho = json.load(open(sys.argv[2]))["holdout"]
def rel(got, want, what, tol=1e-6):
    assert abs(got - want) <= tol * abs(want), "%s: %r vs reference %r" % (what, got, want)
m = re.search(r"Holdout evaluation \(.*: 39 time units\), (\d+) customers:", out)
assert m and int(m.group(1)) == ho["n_customers"], "header: %r" % out[-2000:]
m = re.search(r"holdout: actual (\S+), predicted (\S+)\n", out)
assert m and float(m.group(1)) == ho["sum_x_star"], "actual total"
rel(float(m.group(2)), ho["sum_ce39"], "predicted total")
m = re.search(r"MAE (\S+), RMSE (\S+), correlation (\S+)\n", out)
rel(float(m.group(1)), ho["mae"], "MAE")
rel(float(m.group(2)), ho["rmse"], "RMSE")
rel(float(m.group(3)), ho["pearson"], "correlation")
for b in ho["buckets"]:
    m = re.search(r"\n +%s +(\d+) +(\S+) +(\S+)\n" % re.escape(b["x_cal"]), out)
    assert m, "bucket %s missing" % b["x_cal"]
    assert int(m.group(1)) == b["n_customers"], "bucket %s customers" % b["x_cal"]
    rel(float(m.group(2)), b["mean_actual_x_star"], "bucket %s mean actual" % b["x_cal"])
    rel(float(m.group(3)), b["mean_predicted_ce39"], "bucket %s mean predicted" % b["x_cal"])
if sys.argv[4]:
    rows = list(csv.reader(open(sys.argv[4])))
    assert rows[0] == ["id", "x", "t_x", "T", "x_star", "predicted"], rows[0]
    days = {r["id"]: r for r in csv.DictReader(open(sys.argv[3]))}
    assert len(rows) - 1 == len(days)
    for r in rows[1:]:
        d = days[r[0]]
        assert float(r[1]) == int(d["x"]) and float(r[4]) == int(d["x_star"]), r
        assert abs(float(r[3]) - int(d["T_days"]) / 7) <= 1e-12, r
    rel(sum(float(r[5]) for r in rows[1:]), ho["sum_ce39"], "CSV sum of predicted")
PYEOF
    ); then pass "$1: holdout aggregates match the reference (1e-6)"; else fail "$1: $msg"; fi
}
EV=(--events "$D/cdnow_transactions.csv" --id id --time date --calibration-end 1997-09-30)
run holdout fit pnbd "${EV[@]}" --holdout-end 1998-06-30 --holdout-csv "$WORK/ho.csv" --top 0
expect_ok holdout
check_holdout holdout "$WORK/holdout.out" "$WORK/ho.csv"
if grep -q "Note:" "$WORK/holdout.out"; then fail "holdout: a note for CDNOW, which has no late customers"
else pass "holdout: no exclusion note for CDNOW"; fi

# a customer born in the holdout (excluded, counted), one born after H and a
# transaction of customer 1 after H (both ignored, counted): the evaluation of
# the CDNOW customers is unchanged
cp "$D/cdnow_transactions.csv" "$WORK/late.csv"
printf '9001,1997-10-05,1,10.00,0\n9001,1997-11-05,1,10.00,0\n9002,1998-07-10,1,5.00,0\n1,1998-07-01,1,5.00,4\n' \
    >>"$WORK/late.csv"
LATE=(--events "$WORK/late.csv" --id id --time date --calibration-end 1997-09-30 --holdout-end 1998-06-30 --top 0)
run late fit pnbd "${LATE[@]}"
expect_ok late
check_holdout late "$WORK/late.out"
if grep -qF "Note: 1 customer(s) whose first purchase falls after the calibration end excluded" "$WORK/late.out" &&
    grep -qF "Note: 2 transaction(s) after the holdout end ignored" "$WORK/late.out"; then
    pass "late: the excluded customer and the ignored transactions are counted"
else fail "late: $(tail -5 "$WORK/late.out")"; fi
run late_threads fit pnbd "${LATE[@]}" --threads 2 --chunk-rows 100
if cmp -s "$WORK/late.out" "$WORK/late_threads.out"; then
    pass "late_threads: same output with --threads 2 --chunk-rows 100"
else fail "late_threads: output differs"; fi

run ho_before fit pnbd "${EV[@]}" --holdout-end 1997-09-01
expect_error ho_before 2 "--holdout-end 1997-09-01 must be after --calibration-end 1997-09-30"
run ho_kind fit pnbd "${EV[@]}" --holdout-end 1998
expect_error ho_kind 2 "--holdout-end must be a date like the --time column"
run ho_csv_alone fit pnbd "${EV[@]}" --holdout-csv "$WORK/x.csv"
expect_error ho_csv_alone 2 "--holdout-csv needs --holdout-end"
run ho_data fit pnbd --data "$D/cdnow_summary.csv" --holdout-end 3
expect_error ho_data 2 "apply to --events only"
finish
