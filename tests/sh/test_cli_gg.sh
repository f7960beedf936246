#!/bin/bash
# test_cli_gg.sh -- `occam fit gg` and `occam predict --type spend` (issue 13
# point 1) on the CDNOW spend table (data/cdnow_spend.csv, a copy of
# ../shared/reference/clv/cdnow_spend.csv): the --coef-csv estimates within
# 1e-6 relative and standard errors within 1e-4 of the mpmath reference
# (tests/data/clv/shared.json, gamma_gamma.mle), the printed log-likelihood
# line and correlation, the saved model's E[M | x, m_x] for customers 1..10
# within 1e-8 of the reference at GG_MLE12 (the MLE to 12 digits: the fit's
# predictions differ from those by ~1e-12), `occam summary` of the model,
# --stats-csv, and errors: a missing column, a bad row, a type for another
# kind.
. "$(dirname "$0")/cli_testlib.sh" || exit 1
SPEND="$OCCAM_SOURCE_DIR/data/cdnow_spend.csv"
CLV="$OCCAM_SOURCE_DIR/tests/data/clv/shared.json"

run fit fit gg --data "$SPEND" --save "$WORK/gg.occam" --coef-csv "$WORK/gg.coef.csv" --stats-csv "$WORK/gg.stats.csv"
expect_ok fit
if "$PY" - "$WORK/gg.coef.csv" "$WORK/fit.out" "$WORK/gg.stats.csv" "$CLV" >"$WORK/fit.cmp" 2>&1 <<'PYEOF'; then pass "fit: $(cat "$WORK/fit.cmp")"; else fail "fit: $(tail -c 400 "$WORK/fit.cmp")"; fi
import csv, json, sys
coef = {r["term"]: r for r in csv.DictReader(open(sys.argv[1]))}
out = open(sys.argv[2]).read()
stats = list(csv.DictReader(open(sys.argv[3])))[0]
ref = json.load(open(sys.argv[4]))["gamma_gamma"]["mle"]
we = ws = 0.0
for k in ("p", "q", "gamma"):
    e = abs(float(coef[k]["estimate"]) - ref["params"][k]) / ref["params"][k]
    s = abs(float(coef[k]["std_error"]) - ref["std_errors"][k]) / ref["std_errors"][k]
    assert e <= 1e-6 and s <= 1e-4, (k, coef[k], ref["params"][k], ref["std_errors"][k])
    we, ws = max(we, e), max(ws, s)
ll = float(stats["logLik"])
assert abs(ll - ref["loglik"]) / abs(ref["loglik"]) <= 1e-8, (ll, ref["loglik"])
assert "Log-likelihood: %.10g (df = 3)" % ll in out, out
assert float(stats["nobs"]) == ref["n_customers"] == 946, stats["nobs"]
assert "Gamma-Gamma spend model fitted to 946 customers with x > 0 (2357 rows in" in out
assert "Correlation of x and m_x: " in out
print("estimates within %.1e, SEs within %.1e, loglik %.12g = reference to 1e-8, 946 customers" % (we, ws, ll))
PYEOF

head -11 "$SPEND" >"$WORK/first10.csv"
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

run sum summary "$WORK/gg.occam"
if [ "$RC" -eq 0 ] && grep -q "^Gamma-Gamma spend model fitted to 946 customers with x > 0, saved in" "$WORK/sum.out" &&
    [ "$(sed -n '/^Coefficients:/,$p' "$WORK/sum.out")" = "$(sed -n '/^Coefficients:/,/^Time unit/p' "$WORK/fit.out")" ]; then
    pass "summary: the fit's table, log-likelihood, iterations, correlation and time unit lines"
else fail "summary: $(head -c 400 "$WORK/sum.out")"; fi

run no_col fit gg --data "$SPEND" --m spend
expect_error no_col 1 "spend"
printf 'x,m_x\n2,10\n3,0\n1,5\n' >"$WORK/bad.csv"
run bad_row fit gg --data "$WORK/bad.csv"
expect_error bad_row 1 "row 2: m_x = 0 with x = 3"
run wrong_type predict "$WORK/gg.occam" --data "$WORK/first10.csv" --type palive
expect_error wrong_type 2 "type 'palive' is not defined for a Gamma-Gamma model \(use loglik or spend\)"
finish
