#!/bin/bash
# test_cli_gg_events.sh -- `occam fit gg --events` (issue 13 point 1): the
# Gamma-Gamma model fitted from the CDNOW transaction log
# (data/cdnow_transactions.csv, calibration end 1997-09-30).  The built
# (id, x, m_x) table (--summary-csv) against the reference spend table
# (../shared/reference/clv/cdnow_spend.csv when present, else its copy
# tests/data/clv/cdnow_spend.csv; computed there in exact decimal
# arithmetic): every id, x exactly, m_x within 4e-16 relative (the
# reference prints m_x exactly or to 20 digits; ours is two roundings away);
# the fit's p, q, gamma within 1e-6 relative, standard errors 1e-4 and
# log-likelihood 1e-8 of the reference MLE (tests/data/clv/shared.json,
# issue 13's tolerances), 946 customers fitted, 1411 with x = 0 skipped.
# The same bytes with --chunk-rows 7 and with text ids; the saved model's
# context (weeks, calibration end) and E[M | x, m_x] of ids 1..10 within
# 1e-8 of the reference (at GG_MLE12).  Errors: --data with --events, a
# missing --value, numeric times without --merge-period, a value that is
# not a number, --summary-csv without --events.
. "$(dirname "$0")/cli_testlib.sh" || exit 1
LOG="$OCCAM_SOURCE_DIR/data/cdnow_transactions.csv"
CLV="$OCCAM_SOURCE_DIR/tests/data/clv/shared.json"
REF="$OCCAM_SOURCE_DIR/tests/data/clv/cdnow_spend.csv"
[ -f "$OCCAM_SOURCE_DIR/../shared/reference/clv/cdnow_spend.csv" ] && REF="$OCCAM_SOURCE_DIR/../shared/reference/clv/cdnow_spend.csv"

run fit fit gg --events "$LOG" --id id --time date --value sales --calibration-end 1997-09-30 \
    --summary-csv "$WORK/spend.csv" --coef-csv "$WORK/coef.csv" --stats-csv "$WORK/stats.csv" --save "$WORK/gg.occam"
expect_ok fit
if "$PY" - "$WORK/spend.csv" "$REF" "$WORK/coef.csv" "$WORK/stats.csv" "$WORK/fit.out" "$CLV" >"$WORK/fit.cmp" 2>&1 <<'PYEOF'; then pass "fit: $(cat "$WORK/fit.cmp")"; else fail "fit: $(tail -c 600 "$WORK/fit.cmp")"; fi
import csv, json, sys
got = list(csv.DictReader(open(sys.argv[1])))
ref = list(csv.DictReader(open(sys.argv[2])))
assert len(got) == len(ref) == 2357, (len(got), len(ref))
worst = 0.0
for g, r in zip(got, ref):
    assert g["id"] == r["id"] and float(g["x"]) == float(r["x"]), (g, r)
    gm, rm = float(g["m_x"]), float(r["m_x"])
    e = abs(gm - rm) / rm if rm else abs(gm)
    assert e <= 4e-16, (g, r, e)
    worst = max(worst, e)
coef = {r["term"]: r for r in csv.DictReader(open(sys.argv[3]))}
stats = list(csv.DictReader(open(sys.argv[4])))[0]
out = open(sys.argv[5]).read()
mle = json.load(open(sys.argv[6]))["gamma_gamma"]["mle"]
for k in ("p", "q", "gamma"):
    e = abs(float(coef[k]["estimate"]) - mle["params"][k]) / mle["params"][k]
    s = abs(float(coef[k]["std_error"]) - mle["std_errors"][k]) / mle["std_errors"][k]
    assert e <= 1e-6 and s <= 1e-4, (k, coef[k], mle["params"][k], mle["std_errors"][k])
ll = float(stats["logLik"])
assert abs(ll - mle["loglik"]) / abs(mle["loglik"]) <= 1e-8, (ll, mle["loglik"])
assert float(stats["nobs"]) == 946
assert "fitted to 946 customers with x > 0, from 6919 transactions in" in out, out
assert "2357 customers by the calibration end, 1411 with x = 0 skipped" in out, out
assert "Time unit: weeks (7 days per unit); calibration end: 1997-09-30" in out, out
print("2357 rows = reference (m_x within %.1e), MLE, SEs and loglik within the tolerances" % worst)
PYEOF

# chunked reading and text ids give the same table
run chunked fit gg --events "$LOG" --id id --time date --value sales --calibration-end 1997-09-30 \
    --chunk-rows 7 --summary-csv "$WORK/spend7.csv" --coef-csv "$WORK/coef7.csv"
expect_ok chunked
if cmp -s "$WORK/spend.csv" "$WORK/spend7.csv" && cmp -s "$WORK/coef.csv" "$WORK/coef7.csv"; then
    pass "chunks of 7 rows: the same table and coefficients, byte for byte"
else fail "chunks of 7 rows differ"; fi
awk -F, 'NR == 1 { print; next } { printf "c%06d,%s,%s,%s,%s\n", $1, $2, $3, $4, $5 }' "$LOG" >"$WORK/text.csv"
run text fit gg --events "$WORK/text.csv" --id id --time date --value sales --calibration-end 1997-09-30 \
    --summary-csv "$WORK/spendt.csv" --coef-csv "$WORK/coeft.csv"
expect_ok text
if [ "$(cut -d, -f2- "$WORK/spend.csv")" = "$(cut -d, -f2- "$WORK/spendt.csv")" ] && cmp -s "$WORK/coef.csv" "$WORK/coeft.csv" &&
    [ "$(sed -n 2p "$WORK/spendt.csv" | cut -d, -f1)" = c000001 ]; then
    pass "text ids: the same x, m_x and coefficients"
else fail "text ids differ: $(head -3 "$WORK/spendt.csv")"; fi

head -11 "$REF" >"$WORK/first10.csv"
run spend predict "$WORK/gg.occam" --data "$WORK/first10.csv" --id id
expect_ok spend
if "$PY" - "$WORK/spend.out" "$CLV" >"$WORK/spend.cmp" 2>&1 <<'PYEOF'; then pass "spend: $(cat "$WORK/spend.cmp")"; else fail "spend: $(tail -c 400 "$WORK/spend.cmp")"; fi
import csv, json, sys
got = {int(r["id"]): float(r["prediction"]) for r in csv.DictReader(open(sys.argv[1]))}
ref = {c["id"]: c["cond_spend"]["GG_MLE12"] for c in json.load(open(sys.argv[2]))["customers"]}
worst = max(abs(got[i] - ref[i]) / ref[i] for i in ref)
assert len(ref) == 10 and worst <= 1e-8, worst
print("E[M | x, m_x] of ids 1..10 = reference within %.1e" % worst)
PYEOF

run both fit gg --events "$LOG" --data "$REF" --id id --time date --value sales --calibration-end 1997-09-30
expect_error both 2 "--data does not apply to --events"
run no_value fit gg --events "$LOG" --id id --time date --calibration-end 1997-09-30
expect_error no_value 2 "--value"
printf 'id,t,v\n1,0,5\n1,3,7\n2,1,4\n' >"$WORK/num.csv"
run num fit gg --events "$WORK/num.csv" --id id --time t --value v --calibration-end 10
expect_error num 2 "numeric times need --merge-period P > 0"
printf 'id,date,v\n1,1997-01-01,5\n1,1997-01-03,abc\n' >"$WORK/badv.csv"
run bad_value fit gg --events "$WORK/badv.csv" --id id --time date --value v --calibration-end 1997-09-30
expect_error bad_value 1 "abc"
run csv_only fit gg --data "$REF" --summary-csv "$WORK/x.csv"
expect_error csv_only 2 "--summary-csv applies to --events only"
finish
