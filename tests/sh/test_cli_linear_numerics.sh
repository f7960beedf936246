#!/bin/bash
# test_cli_linear_numerics.sh -- `occam fit linear` on numerically extreme
# data (issue 15, points 6 and 7):
#  - an exact fit prints summary.lm's warning with R's words, "essentially
#    perfect fit: summary may be unreliable" (R 4.2.2 warns on these data:
#    tests/data/linear/summary_reference.json, case exact_line), and an
#    ordinary fit prints none;
#  - y = +-1e200 (R's lm: sigma Inf, R^2 NaN): exit 0, one overflow warning,
#    a finite summary, a --coef-csv of finite numbers only (no inf, nan or
#    -0) that equal R's fit of y / 1e200 scaled back (estimates 1e-12,
#    standard errors 1e-9, t values 1e-9), and that the tool reads back.
. "$(dirname "$0")/cli_testlib.sh" || exit 1

# --- perfect fit: R's summary.lm warning ---------------------------------------
printf 'y,x\n' >"$WORK/exact.csv"
for i in 0 1 2 3 4 5 6 7 8 9; do printf '%d,%d\n' $((1 + 2 * i)) "$i" >>"$WORK/exact.csv"; done
run exact fit linear --data "$WORK/exact.csv" --y y
expect_ok exact
if [ "$(wc -l <"$WORK/exact.err")" -eq 1 ] &&
    grep -qx 'occam: warning: fit linear on .*exact.csv: essentially perfect fit: summary may be unreliable' "$WORK/exact.err"; then
    pass "exact: R's warning: $(cat "$WORK/exact.err")"
else fail "exact: stderr '$(cat "$WORK/exact.err")'"; fi
if grep -q '^Residual standard error' "$WORK/exact.out"; then pass "exact: summary printed"; else
    fail "exact: no summary"; fi
run cars fit linear --data "$DATA/cars.csv" --y dist
if [ "$RC" -eq 0 ] && [ ! -s "$WORK/cars.err" ]; then pass "cars: no warning"; else
    fail "cars: exit $RC, stderr '$(cat "$WORK/cars.err")'"; fi

# --- y = +-1e200: scaled summary, overflow warning, clean CSV ------------------
printf 'y,x\n' >"$WORK/big.csv"
for i in 1 2 3 4 5 6 7 8 9 10; do
    if [ $((i % 2)) -eq 1 ]; then y=1e200; else y=-1e200; fi
    printf '%s,%d\n' "$y" "$i" >>"$WORK/big.csv"
done
run big fit linear --data "$WORK/big.csv" --y y --coef-csv "$WORK/big_coef.csv"
expect_ok big
if [ "$(wc -l <"$WORK/big.err")" -eq 1 ] && grep -q '^occam: warning: .*exceeds the double range' "$WORK/big.err"; then
    pass "big: one overflow warning"
else fail "big: stderr '$(cat "$WORK/big.err")'"; fi
if grep -q '^Residual standard error: 1.101e+200 on 8 degrees of freedom$' "$WORK/big.out" &&
    grep -q '^Multiple R-squared:  0.0303,' "$WORK/big.out" && ! grep -Eq 'Inf|NaN' "$WORK/big.out"; then
    pass "big: finite summary (sigma 1.101e+200, R^2 0.0303: R's for y / 1e200)"
else fail "big: summary $(cat "$WORK/big.out")"; fi
if ! grep -Eiq '(^|,)(-?inf|-?nan|-0)(,|$)' "$WORK/big_coef.csv"; then pass "big: coef CSV has no inf, nan or -0"; else
    fail "big: coef CSV $(cat "$WORK/big_coef.csv")"; fi
if msg=$("$PY" - "$WORK/big_coef.csv" "$OCCAM_SOURCE_DIR/tests/data/linear/summary_reference.json" 2>&1 <<'PYEOF'
import csv, json, sys
rows = list(csv.reader(open(sys.argv[1])))[1:]
r = json.load(open(sys.argv[2]))["overflow_pm1e200"]
for j, row in enumerate(rows):
    est, se, t = (float(v) for v in row[1:4])
    for got, want, tol, what in ((est, r["r_coefficients_unscaled"][j], 1e-12, "estimate"),
                                 (se, r["std_errors"][j] * 1e200, 1e-9, "std error"),
                                 (t, r["t_values"][j], 1e-9, "t value")):
        assert abs(got - want) <= tol * abs(want), (what, got, want)
print("estimates, std errors, t values equal R's (y / 1e200, scaled back)")
PYEOF
); then pass "big: $msg"; else fail "big: $msg"; fi
run readback fit linear --data "$WORK/big_coef.csv" --y estimate --x std_error
if [ "$RC" -eq 0 ]; then pass "big: the tool reads its own coef CSV back"; else
    fail "big: reading the coef CSV back: $(cat "$WORK/readback.err")"; fi

finish
