#!/bin/bash
# test_cli_predict.sh -- `occam model linear` and `occam predict`.
#
# References and tolerances:
#  - hand-coded models: the prediction b0 + sum_j b_j x_j computed in Python
#    (same doubles, different summation order): relative error <= 1e-13;
#  - fitted models saved, reloaded and used to predict on their own data:
#    R's lm fitted values (tests/data/glm/<case>.json, `lm` section, first 10
#    rows): relative error <= 1e-9 (issue 2's tolerance for fitted values);
#  - output format: header `prediction`, one row per data row, each value the
#    %.17g text of a double (exact string check).
. "$(dirname "$0")/cli_testlib.sh" || exit 1

# check_pred NAME OUT CSV EXPR: OUT holds the predictions for the rows of CSV;
# EXPR is a Python expression of the row dict `r` (floats) giving the exact
# expected value; tolerance 1e-13 relative.
check_pred() {
    local name=$1 out=$2 data=$3 expr=$4
    local msg
    if msg=$("$PY" - "$out" "$data" "$expr" 2>&1 <<'EOF'
import csv, sys
out, data, expr = sys.argv[1:4]
lines = open(out).read().split("\n")
assert lines[-1] == "", "output must end with a newline"
lines = lines[:-1]
assert lines[0] == "prediction", "header %r" % lines[0]
rows = [{k: float(v) for k, v in r.items()} for r in csv.DictReader(open(data))]
assert len(lines) - 1 == len(rows), "%d predictions for %d rows" % (len(lines) - 1, len(rows))
worst = 0.0
for text, r in zip(lines[1:], rows):
    got = float(text)
    assert "%.17g" % got == text, "not %%.17g text: %r" % text
    want = eval(expr, {}, {"r": r})
    err = abs(got - want) / max(abs(want), 1e-300)
    worst = max(worst, err)
    assert err <= 1e-13, "row %r: %r vs %r" % (r, got, want)
print("%d rows, max rel err %.2g" % (len(rows), worst))
EOF
    ); then pass "$name: $msg"; else fail "$name: $msg"; fi
}

# check_fitted NAME OUT JSON: predictions on the fit's own data equal R's
# fitted values (first 10 rows) within 1e-9 relative.
check_fitted() {
    local name=$1 out=$2 json=$3
    local msg
    if msg=$("$PY" - "$out" "$json" 2>&1 <<'EOF'
import json, sys
lines = open(sys.argv[1]).read().split("\n")[:-1]
assert lines[0] == "prediction", lines[0]
ref = json.load(open(sys.argv[2]))
want = ref["lm"]["fitted_values_head"]
assert len(lines) - 1 == ref["n"], "%d rows, R has %d" % (len(lines) - 1, ref["n"])
worst = 0.0
for text, w in zip(lines[1:], want):
    rel = abs(float(text) - w) / abs(w)
    worst = max(worst, rel)
    assert rel <= 1e-9, "%s vs R %r (rel %.3g)" % (text, w, rel)
print("first %d predictions = R fitted values, max rel err %.2g" % (len(want), worst))
EOF
    ); then pass "$name: $msg"; else fail "$name: $msg"; fi
}

cat >"$WORK/new.csv" <<'EOF'
weight,height,other
1.5,0.1,100
-2.25,3.7,-1
0,0,0
1e-3,123.456,7
EOF

# --- hand-coded model with names: columns picked by name, any order ----------
run hand_named model linear --intercept 0.1 --coef 0.3,-1.7 --names height,weight --save "$WORK/named.occam"
expect_ok hand_named
run pred_named predict "$WORK/named.occam" --data "$WORK/new.csv"
expect_ok pred_named
check_pred pred_named "$WORK/pred_named.out" "$WORK/new.csv" "0.1 + 0.3 * r['height'] + -1.7 * r['weight']"

# --type link is the same for a linear model
run pred_link predict "$WORK/named.occam" --data "$WORK/new.csv" --type link
expect_ok pred_link
check_pred pred_link "$WORK/pred_link.out" "$WORK/new.csv" "0.1 + 0.3 * r['height'] + -1.7 * r['weight']"

# --offset COL is added to the linear predictor
run pred_offset predict "$WORK/named.occam" --data "$WORK/new.csv" --offset other
expect_ok pred_offset
check_pred pred_offset "$WORK/pred_offset.out" "$WORK/new.csv" \
    "0.1 + 0.3 * r['height'] + -1.7 * r['weight'] + r['other']"

# --- hand-coded model without names: every CSV column, in file order -------
run hand_pos model linear --intercept -2.5 --coef 0.5,0.25,-0.125 --save "$WORK/pos.occam"
expect_ok hand_pos
run pred_pos predict "$WORK/pos.occam" --data "$WORK/new.csv"
expect_ok pred_pos
check_pred pred_pos "$WORK/pred_pos.out" "$WORK/new.csv" \
    "-2.5 + 0.5 * r['weight'] + 0.25 * r['height'] + -0.125 * r['other']"

# without names the column count must match (the offset column does not count)
run pred_pos_offset predict "$WORK/pos.occam" --data "$WORK/new.csv" --offset other
expect_error pred_pos_offset 1 "no column names" "needs 3 columns" "has 2"

# --- no intercept ---------------------------------------------------------------
run hand_noint model linear --no-intercept --coef 2.5 --names weight --save "$WORK/noint.occam"
expect_ok hand_noint
run pred_noint predict "$WORK/noint.occam" --data "$WORK/new.csv"
expect_ok pred_noint
check_pred pred_noint "$WORK/pred_noint.out" "$WORK/new.csv" "2.5 * r['weight']"

# a named column missing from the CSV
run pred_missing predict "$WORK/named.occam" --data "$DATA/cars.csv"
expect_error pred_missing 1 "no column named 'height'" "cars.csv"

# --- fit, save, reload, predict: R's fitted values ---------------------------
run fit_cars fit linear --data "$DATA/cars.csv" --y dist --x speed --save "$WORK/cars.occam"
expect_ok fit_cars
run pred_cars predict "$WORK/cars.occam" --data "$DATA/cars.csv"
expect_ok pred_cars
check_fitted pred_cars "$WORK/pred_cars.out" "$REF/cars_gaussian_identity.json"

# mtcars: the model stores wt,hp,cyl6,cyl8 and predict picks them by name out
# of the 12 columns of mtcars.csv.
run fit_mtcars fit linear --data "$DATA/mtcars.csv" --y mpg --x wt,hp,cyl6,cyl8 --save "$WORK/mtcars.occam"
expect_ok fit_mtcars
run pred_mtcars predict "$WORK/mtcars.occam" --data "$DATA/mtcars.csv"
expect_ok pred_mtcars
check_fitted pred_mtcars "$WORK/pred_mtcars.out" "$REF/mtcars_gaussian_identity.json"

# the same data with its columns shuffled give the same text, byte for byte
"$PY" - "$DATA/mtcars.csv" "$WORK/mtcars_shuffled.csv" <<'EOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
order = list(reversed(range(len(rows[0]))))
with open(sys.argv[2], "w") as f:
    for r in rows:
        f.write(",".join(r[j] for j in order) + "\n")
EOF
run pred_shuffled predict "$WORK/mtcars.occam" --data "$WORK/mtcars_shuffled.csv"
expect_ok pred_shuffled
if cmp -s "$WORK/pred_shuffled.out" "$WORK/pred_mtcars.out"; then pass "pred_shuffled: identical output"; else
    fail "pred_shuffled: output differs from the unshuffled columns"; fi

# --- type checks --------------------------------------------------------------
run pred_badtype predict "$WORK/cars.occam" --data "$DATA/cars.csv" --type nonsense
expect_error pred_badtype 2 "unknown --type 'nonsense'"
# a type the model kind does not define: a usage error (exit 2) naming the
# types of that kind (by name, not enum number), raised before the data are
# read (--data names a file that does not exist, and is never opened).
run pred_palive predict "$WORK/cars.occam" --data "$DATA/cars.csv" --type palive
expect_error pred_palive 2 "^occam: predict: type 'palive' is not defined for a linear model \(use response or link\)$"
run pred_prob_nodata predict "$WORK/cars.occam" --data "$WORK/no-such.csv" --type prob
expect_error pred_prob_nodata 2 "^occam: predict: type 'prob' is not defined for a linear model \(use response or link\)$"
run pnbd_model model pnbd --r 0.553 --alpha 10.578 --s 0.606 --beta 11.669 --save "$WORK/pnbd.occam"
expect_ok pnbd_model
run pred_pnbd_link predict "$WORK/pnbd.occam" --data "$WORK/no-such.csv" --type link
expect_error pred_pnbd_link 2 \
    "^occam: predict: type 'link' is not defined for a Pareto/NBD model \(use palive, expected, loglik, expected_new, prob or dert\)$"
printf 'x,y\n1,0\n2,0\n3,1\n4,1\n5,1\n6,0\n' >"$WORK/bin.csv"
run fit_bin fit glm --family binomial --data "$WORK/bin.csv" --y y --save "$WORK/bin.occam"
expect_ok fit_bin
run pred_glm_expected predict "$WORK/bin.occam" --data "$WORK/no-such.csv" --type expected --horizon 3
expect_error pred_glm_expected 2 "^occam: predict: type 'expected' is not defined for a GLM \(use response or link\)$"
run pred_expected predict "$WORK/pnbd.occam" --data "$OCCAM_SOURCE_DIR/data/cdnow_summary.csv" --type expected
expect_error pred_expected 2 "needs --horizon"
run pred_horizon predict "$WORK/pnbd.occam" --data "$OCCAM_SOURCE_DIR/data/cdnow_summary.csv" --horizon 39
expect_error pred_horizon 2 "--horizon applies only to --type expected"

finish
