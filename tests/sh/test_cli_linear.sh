#!/bin/bash
# test_cli_linear.sh -- `occam fit linear` against R's lm().
#
# Reference: the `lm` section of tests/data/glm/<case>.json (R 4.2.2, values
# printed with %.17g).  The CLI fits the bundled datasets in data/glm/, with
# the columns of tests/data/glm/cases/<case>_X.csv, and its --coef-csv output
# is compared with tolerances from issue 2:
#   estimates                          relative error <= 1e-9
#   std. errors, t values, p-values    relative error <= 1e-7
# The printed summary is checked against the same R values at the precision
# summary.lm prints them (4 significant digits).
# Cases without an R fixture use statsmodels OLS (same tolerances).
. "$(dirname "$0")/cli_testlib.sh" || exit 1

# compare_coef NAME COEF_CSV JSON [ALIASED_TERM]: the CSV's rows equal R's lm
# table; ALIASED_TERM, if given, must be an extra all-NA row.
compare_coef() {
    local name=$1 csv=$2 json=$3 aliased=${4:-}
    local msg
    if msg=$("$PY" - "$csv" "$json" "$aliased" 2>&1 <<'EOF'
import csv, json, math, sys
path, ref_path, aliased = sys.argv[1], sys.argv[2], sys.argv[3]
ref = json.load(open(ref_path))
lm = ref["lm"]
with open(path, newline="") as f:
    rows = list(csv.reader(f))
assert rows[0] == ["term", "estimate", "std_error", "statistic", "p_value"], "header %r" % rows[0]
rows = rows[1:]
if aliased:
    hit = [r for r in rows if r[0] == aliased]
    assert len(hit) == 1 and hit[0][1:] == ["NA"] * 4, "aliased row %r" % hit
    rows = [r for r in rows if r[0] != aliased]
names = ref["coef_names"]
assert [r[0] for r in rows] == names, "terms %r != R's %r" % ([r[0] for r in rows], names)
worst = {}
for col, key, tol in ((1, "coefficients", 1e-9), (2, "std_errors", 1e-7),
                      (3, "t_values", 1e-7), (4, "p_values", 1e-7)):
    for r, want in zip(rows, lm[key]):
        got = float(r[col])
        # 17 significant digits: the text must read back as the same double
        assert "%.17g" % got == r[col], "not %%.17g: %r" % r[col]
        rel = abs(got - want) / abs(want)
        worst[key] = max(worst.get(key, 0.0), rel)
        assert rel <= tol, "%s %s: %r vs R %r, rel %.3g > %g" % (r[0], key, got, want, rel, tol)
print(" ".join("%s %.2g" % kv for kv in worst.items()))
EOF
    ); then
        pass "$name: coef table = R lm (max rel err: $msg)"
    else
        fail "$name: $msg"
    fi
}

# compare_summary NAME STDOUT JSON: the printed statistics equal R's at
# print.summary.lm's precision (signif 4 for sigma, %.4g for R^2 and F).
compare_summary() {
    local name=$1 out=$2 json=$3
    local msg
    if msg=$("$PY" - "$out" "$json" 2>&1 <<'EOF'
import json, re, sys
text = open(sys.argv[1]).read()
lm = json.load(open(sys.argv[2]))["lm"]
def sig4(x):
    return float("%.4g" % x)
m = re.search(r"^Residual standard error: (\S+) on (\d+) degrees of freedom$", text, re.M)
assert m, "no residual standard error line"
assert float(m.group(1)) == sig4(lm["sigma"]) and int(m.group(2)) == lm["df_residual"], m.group(0)
m = re.search(r"^Multiple R-squared: +(\S+),\tAdjusted R-squared: +(\S+) $", text, re.M)
assert m, "no R-squared line"
assert float(m.group(1)) == sig4(lm["r_squared"]) and float(m.group(2)) == sig4(lm["adj_r_squared"]), m.group(0)
m = re.search(r"^F-statistic: +(\S+) on (\d+) and (\d+) DF,  p-value: (.+)$", text, re.M)
assert m, "no F-statistic line"
assert float(m.group(1)) == sig4(lm["fstatistic"]), m.group(0)
assert int(m.group(2)) == lm["f_numdf"] and int(m.group(3)) == lm["f_dendf"], m.group(0)
p = m.group(4)
if not p.startswith("<"):
    assert float(p) == float("%.4g" % lm["f_p_value"]), m.group(0)
assert "Coefficients:" in text and "Signif. codes:" in text
print("sigma, R^2, adj R^2, F, df, p as R prints them")
EOF
    ); then
        pass "$name: printed summary: $msg"
    else
        fail "$name: printed summary: $msg"
    fi
}

# --- cars: dist ~ speed (R: lm(dist ~ speed)) -------------------------------
run cars fit linear --data "$DATA/cars.csv" --y dist --x speed --coef-csv "$WORK/cars.csv"
expect_ok cars
compare_coef cars "$WORK/cars.csv" "$REF/cars_gaussian_identity.json"
compare_summary cars "$WORK/cars.out" "$REF/cars_gaussian_identity.json"

# --x defaults to every other column: same fit.
run cars_default fit linear --data "$DATA/cars.csv" --y dist --coef-csv "$WORK/cars_default.csv"
expect_ok cars_default
compare_coef cars_default "$WORK/cars_default.csv" "$REF/cars_gaussian_identity.json"

# --- cars weighted: lm(dist ~ speed, weights = 1/speed) ----------------------
# The weight column is 1/speed written with 17 significant digits, i.e. the
# same doubles R divides out.
"$PY" - "$DATA/cars.csv" "$WORK/cars_w.csv" <<'EOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
with open(sys.argv[2], "w") as f:
    f.write("w,speed,dist\n")
    for r in rows:
        f.write("%.17g,%s,%s\n" % (1.0 / float(r["speed"]), r["speed"], r["dist"]))
EOF
run cars_w fit linear --data "$WORK/cars_w.csv" --y dist --weights w --coef-csv "$WORK/cars_w_coef.csv"
expect_ok cars_w
compare_coef cars_w "$WORK/cars_w_coef.csv" "$REF/cars_weighted_gaussian_identity.json"
compare_summary cars_w "$WORK/cars_w.out" "$REF/cars_weighted_gaussian_identity.json"
if grep -q '^Weighted Residuals:$' "$WORK/cars_w.out"; then pass "cars_w: 'Weighted Residuals:' as summary.lm"; else
    fail "cars_w: no 'Weighted Residuals:' line"; fi

# --- mtcars: lm(mpg ~ wt + hp + cyl), cyl as the dummies cyl6, cyl8 --------
run mtcars fit linear --data "$DATA/mtcars.csv" --y mpg --x wt,hp,cyl6,cyl8 --coef-csv "$WORK/mtcars.csv"
expect_ok mtcars
compare_coef mtcars "$WORK/mtcars.csv" "$REF/mtcars_gaussian_identity.json"
compare_summary mtcars "$WORK/mtcars.out" "$REF/mtcars_gaussian_identity.json"

# --- LifeCycleSavings: lm(sr ~ pop15 + pop75 + dpi + ddpi) = all columns ----
run lcs fit linear --data "$DATA/LifeCycleSavings.csv" --y sr --coef-csv "$WORK/lcs.csv"
expect_ok lcs
compare_coef lcs "$WORK/lcs.csv" "$REF/lifecyclesavings_gaussian_identity.json"
compare_summary lcs "$WORK/lcs.out" "$REF/lifecyclesavings_gaussian_identity.json"

# --- rank deficiency: an exact copy 2*speed is aliased (R: NA), the rest is
# R's dist ~ speed fit; the fit warns on stderr and exits 0. ----------------
"$PY" - "$DATA/cars.csv" "$WORK/cars_dup.csv" <<'EOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
with open(sys.argv[2], "w") as f:
    f.write("speed,dist,speed2x\n")
    for r in rows:
        f.write("%s,%s,%.17g\n" % (r["speed"], r["dist"], 2 * float(r["speed"])))
EOF
run dup fit linear --data "$WORK/cars_dup.csv" --y dist --coef-csv "$WORK/dup.csv"
expect_ok dup
compare_coef dup "$WORK/dup.csv" "$REF/cars_gaussian_identity.json" speed2x
if grep -q '^Coefficients: (1 not defined because of singularities)$' "$WORK/dup.out"; then
    pass "dup: 'Coefficients: (1 not defined because of singularities)' as summary.lm"
else fail "dup: singularity line missing"; fi
if [ "$(wc -l <"$WORK/dup.err")" -eq 1 ] && grep -q 'warning' "$WORK/dup.err"; then
    pass "dup: one warning line on stderr: $(cat "$WORK/dup.err")"
else fail "dup: expected one warning line, got: $(cat "$WORK/dup.err")"; fi

# --- no intercept: dist ~ speed - 1, against statsmodels OLS ----------------
run noint fit linear --data "$DATA/cars.csv" --y dist --x speed --no-intercept --coef-csv "$WORK/noint.csv"
expect_ok noint
if msg=$("$PY" - "$DATA/cars.csv" "$WORK/noint.csv" 2>&1 <<'EOF'
import csv, sys
import numpy as np
import statsmodels.api as sm
d = np.genfromtxt(sys.argv[1], delimiter=",", names=True)
fit = sm.OLS(d["dist"], d["speed"][:, None]).fit()
rows = list(csv.reader(open(sys.argv[2])))
assert rows[0] == ["term", "estimate", "std_error", "statistic", "p_value"]
assert len(rows) == 2 and rows[1][0] == "speed", rows
got = [float(v) for v in rows[1][1:]]
want = [fit.params[0], fit.bse[0], fit.tvalues[0], fit.pvalues[0]]
tols = [1e-9, 1e-7, 1e-7, 1e-7]
for g, w, t in zip(got, want, tols):
    assert abs(g - w) <= t * abs(w), "%r vs statsmodels %r (tol %g)" % (g, w, t)
print("estimate/SE/t/p vs statsmodels within 1e-9/1e-7")
EOF
); then pass "noint: $msg"; else fail "noint: $msg"; fi
if grep -q '^Linear model.*: dist ~ speed - 1$' "$WORK/noint.out"; then pass "noint: formula 'dist ~ speed - 1'"; else
    fail "noint: formula line missing"; fi

# --- --save writes a model that loads (occam predict) -------------------------
run save fit linear --data "$DATA/cars.csv" --y dist --save "$WORK/cars.occam"
expect_ok save
if [ -s "$WORK/cars.occam" ] && grep -q "^Model saved to $WORK/cars.occam\$" "$WORK/save.out"; then
    pass "save: file written and reported"
else fail "save: no model file or message"; fi

finish
