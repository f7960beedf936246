#!/bin/bash
# test_cli_text_columns.sh -- columns a command does not use may hold text
# (customer ids, notes): only the model's columns, --offset, --y, --weights
# and the --x columns must be numbers; a bad cell in one of those still
# fails with its line and column.  And `occam predict --id COL`.
#
# References and tolerances:
#  - hand-coded models: b0 + sum_j b_j x_j computed in Python from the CSV
#    (same doubles, different summation order): relative error <= 1e-13;
#  - fits on data with an added text column: R's lm()/glm() coefficients
#    (tests/data/glm/*.json, R 4.2.2): lm 1e-9, glm 1e-6 relative (issue 2
#    and 3 tolerances);
#  - Pareto/NBD fit on CDNOW with text ids: the reference MLE of
#    tests/data/pnbd/cdnow_reference.json (mpmath) to 1e-7 relative;
#  - --id output: the id cells parsed back with Python's csv module equal the
#    input cells exactly (text, including quotes and commas);
#  - error messages: the line and column of the bad cell, written here by hand.
. "$(dirname "$0")/cli_testlib.sh" || exit 1

# check_rows NAME OUT CSV EXPR [IDCOL]: OUT is predict output for the rows of
# CSV; EXPR a Python expression of the row dict `r` (text) giving the exact
# value; with IDCOL the output has the columns IDCOL,prediction and the id
# cells must equal the CSV's, else the single column `prediction`.
check_rows() {
    local name=$1 out=$2 data=$3 expr=$4 idcol=${5:-}
    local msg
    if msg=$("$PY" - "$out" "$data" "$expr" "$idcol" 2>&1 <<'EOF'
import csv, sys
out, data, expr, idcol = sys.argv[1:5]
got = list(csv.reader(open(out, newline="")))
rows = list(csv.DictReader(open(data, newline="")))
want_header = [idcol, "prediction"] if idcol else ["prediction"]
assert got[0] == want_header, "header %r, expected %r" % (got[0], want_header)
assert len(got) - 1 == len(rows), "%d predictions for %d rows" % (len(got) - 1, len(rows))
worst = 0.0
for g, r in zip(got[1:], rows):
    if idcol:
        assert g[0] == r[idcol], "id %r, expected %r" % (g[0], r[idcol])
    text = g[-1]
    assert "%.17g" % float(text) == text, "not %%.17g text: %r" % text
    want = eval(expr, {}, {"r": r, "f": float})
    err = abs(float(text) - want) / max(abs(want), 1e-300)
    worst = max(worst, err)
    assert err <= 1e-13, "row %r: %r vs %r" % (r, text, want)
print("%d rows%s, max rel err %.2g" % (len(rows), ", ids echoed exactly" if idcol else "", worst))
EOF
    ); then pass "$name: $msg"; else fail "$name: $msg"; fi
}

# customers.csv: a text id, a free-text note (quoted commas and quotes), and
# the numeric columns the model uses.
cat >"$WORK/customers.csv" <<'EOF'
id,note,weight,height
C1,first,1.5,0.1
C2,"says ""hi"", twice",-2.25,3.7
C3,,0,0
C 4,NA,1e-3,123.456
EOF

# --- predict: a named model uses weight and height only ---------------------
run hand model linear --intercept 0.1 --coef 0.3,-1.7 --names height,weight --save "$WORK/named.occam"
expect_ok hand
run pred_text predict "$WORK/named.occam" --data "$WORK/customers.csv"
expect_ok pred_text
check_rows pred_text "$WORK/pred_text.out" "$WORK/customers.csv" "0.1 + 0.3 * f(r['height']) + -1.7 * f(r['weight'])"

# --id echoes the id column as text: header 'id,prediction'
run pred_id predict "$WORK/named.occam" --data "$WORK/customers.csv" --id id
expect_ok pred_id
check_rows pred_id "$WORK/pred_id.out" "$WORK/customers.csv" "0.1 + 0.3 * f(r['height']) + -1.7 * f(r['weight'])" id
if head -2 "$WORK/pred_id.out" | tail -1 | grep -q '^C1,'; then pass "pred_id: first row starts 'C1,'"; else
    fail "pred_id: first row $(sed -n 2p "$WORK/pred_id.out")"; fi

# --id on a column with commas, quotes and empty cells: quoted as RFC 4180
run pred_note predict "$WORK/named.occam" --data "$WORK/customers.csv" --id note
expect_ok pred_note
check_rows pred_note "$WORK/pred_note.out" "$WORK/customers.csv" "0.1 + 0.3 * f(r['height']) + -1.7 * f(r['weight'])" note
if grep -qx '"says ""hi"", twice",.*' "$WORK/pred_note.out"; then pass "pred_note: quoted id cell"; else
    fail "pred_note: $(sed -n 3p "$WORK/pred_note.out")"; fi

# --id with --offset (both given, offset numeric)
printf 'id,weight,height,off\nA,1,2,0.5\nB,3,4,-1\n' >"$WORK/off.csv"
run pred_id_off predict "$WORK/named.occam" --data "$WORK/off.csv" --id id --offset off
expect_ok pred_id_off
check_rows pred_id_off "$WORK/pred_id_off.out" "$WORK/off.csv" \
    "0.1 + 0.3 * f(r['height']) + -1.7 * f(r['weight']) + f(r['off'])" id

# a bad cell in a used column still names its line and column
printf 'id,weight,height\nC1,1,2\nC2,3,4\nC3,5,abc\n' >"$WORK/bad_used.csv"
run pred_bad_used predict "$WORK/named.occam" --data "$WORK/bad_used.csv" --id id
expect_error pred_bad_used 1 "bad_used.csv: line 4, column 3 \(height\): not a number: 'abc'"
if [ ! -s "$WORK/pred_bad_used.out" ]; then pass "pred_bad_used: nothing on stdout"; else
    fail "pred_bad_used: output on stdout"; fi
# a text offset column is used, so it must be numeric
printf 'id,weight,height,off\nC1,1,2,x\n' >"$WORK/bad_off.csv"
run pred_bad_off predict "$WORK/named.occam" --data "$WORK/bad_off.csv" --offset off
expect_error pred_bad_off 1 "line 2, column 4 \(off\): not a number: 'x'"
# of two bad used cells, the first in file order is named
printf 'id,weight,height\nC1,1,2\nC2,3,bad1\nC3,bad2,4\n' >"$WORK/bad_two.csv"
run pred_bad_two predict "$WORK/named.occam" --data "$WORK/bad_two.csv"
expect_error pred_bad_two 1 "line 3, column 3 \(height\): not a number: 'bad1'"
run pred_no_id predict "$WORK/named.occam" --data "$WORK/customers.csv" --id customer
expect_error pred_no_id 1 "no column named 'customer'"

# a model without names uses every column but the --id (and --offset) column
run hand_pos model linear --intercept -2.5 --coef 0.5,0.25 --save "$WORK/pos.occam"
expect_ok hand_pos
printf 'id,a,b\nC1,1,2\nC2,-3,0.5\n' >"$WORK/pos.csv"
run pred_pos_id predict "$WORK/pos.occam" --data "$WORK/pos.csv" --id id
expect_ok pred_pos_id
check_rows pred_pos_id "$WORK/pred_pos_id.out" "$WORK/pos.csv" "-2.5 + 0.5 * f(r['a']) + 0.25 * f(r['b'])" id
run pred_pos_noid predict "$WORK/pos.occam" --data "$WORK/pos.csv"
expect_error pred_pos_noid 1 "needs 2 columns, but .*pos.csv has 3"

# --- fits: text columns outside --x/--y/--weights/--offset -------------------
"$PY" - "$DATA/cars.csv" "$WORK/cars_id.csv" <<'EOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
with open(sys.argv[2], "w", newline="") as f:
    w = csv.writer(f)
    for i, r in enumerate(rows):
        w.writerow(["id" if i == 0 else "car %d" % i] + r + ["note" if i == 0 else "n/a, really"])
EOF
run fit_lin fit linear --data "$WORK/cars_id.csv" --y dist --x speed --coef-csv "$WORK/fit_lin.csv" \
    --save "$WORK/cars.occam"
expect_ok fit_lin
if msg=$("$PY" - "$WORK/fit_lin.csv" "$REF/cars_gaussian_identity.json" 2>&1 <<'EOF'
import csv, json, sys
rows = list(csv.reader(open(sys.argv[1])))[1:]
lm = json.load(open(sys.argv[2]))["lm"]
assert [r[0] for r in rows] == ["(Intercept)", "speed"], rows
for r, b in zip(rows, lm["coefficients"]):
    assert abs(float(r[1]) - b) <= 1e-9 * abs(b), (r, b)
print("coefficients = R lm(dist ~ speed) within 1e-9")
EOF
); then pass "fit_lin: $msg"; else fail "fit_lin: $msg"; fi
run pred_cars_id predict "$WORK/cars.occam" --data "$WORK/cars_id.csv" --id id
expect_ok pred_cars_id
if [ "$(sed -n 1p "$WORK/pred_cars_id.out")" = "id,prediction" ] &&
    [ "$(sed -n 2p "$WORK/pred_cars_id.out" | cut -d, -f1)" = "car 1" ]; then
    pass "pred_cars_id: header 'id,prediction', first id 'car 1'"
else fail "pred_cars_id: $(head -2 "$WORK/pred_cars_id.out")"; fi

# the default --x takes every other column, so the text id is used: error
run fit_lin_all fit linear --data "$WORK/cars_id.csv" --y dist
expect_error fit_lin_all 1 "cars_id.csv: line 2, column 1 \(id\): not a number: 'car 1'"

"$PY" - "$DATA/spector.csv" "$WORK/spector_id.csv" <<'EOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
with open(sys.argv[2], "w", newline="") as f:
    w = csv.writer(f)
    for i, r in enumerate(rows):
        w.writerow(["student" if i == 0 else "S%02d" % i] + r)
EOF
run fit_glm fit glm --family binomial --data "$WORK/spector_id.csv" --y GRADE --x GPA,TUCE,PSI \
    --coef-csv "$WORK/fit_glm.csv"
expect_ok fit_glm
if msg=$("$PY" - "$WORK/fit_glm.csv" "$REF/spector_binomial_logit.json" 2>&1 <<'EOF'
import csv, json, sys
rows = list(csv.reader(open(sys.argv[1])))[1:]
ref = json.load(open(sys.argv[2]))
assert [r[0] for r in rows] == ref["coef_names"], rows
for r, b in zip(rows, ref["coefficients"]):
    assert abs(float(r[1]) - b) <= 1e-6 * abs(b), (r, b)
print("coefficients = R glm(GRADE ~ GPA + TUCE + PSI, binomial) within 1e-6")
EOF
); then pass "fit_glm: $msg"; else fail "fit_glm: $msg"; fi
# a bad cell in a used column of a fit
sed '5s/^S04,\([^,]*\),/S04,\1x,/' "$WORK/spector_id.csv" >"$WORK/spector_bad.csv"
run fit_glm_bad fit glm --family binomial --data "$WORK/spector_bad.csv" --y GRADE --x GPA,TUCE,PSI
expect_error fit_glm_bad 1 "spector_bad.csv: line 5, column 2 \(GPA\): not a number: '[0-9.]+x'"

# Pareto/NBD summaries with text ids: the reference MLE, ids in the listing
"$PY" - "$OCCAM_SOURCE_DIR/data/cdnow_summary.csv" "$WORK/cdnow_text.csv" <<'EOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
with open(sys.argv[2], "w", newline="") as f:
    w = csv.writer(f)
    for i, r in enumerate(rows):
        w.writerow(r if i == 0 else ["cust-" + r[0]] + r[1:])
EOF
run fit_pnbd fit pnbd --data "$WORK/cdnow_text.csv" --coef-csv "$WORK/fit_pnbd.csv"
expect_ok fit_pnbd
if msg=$("$PY" - "$WORK/fit_pnbd.csv" "$OCCAM_SOURCE_DIR/tests/data/pnbd/cdnow_reference.json" 2>&1 <<'EOF'
import csv, json, sys
rows = list(csv.reader(open(sys.argv[1])))[1:]
ref = json.load(open(sys.argv[2]))["mle"]["cdnow_summary"]["params_str"]
for r in rows:
    want = float(ref[r[0]])
    assert abs(float(r[1]) - want) <= 1e-7 * want, (r, want)
print("r, alpha, s, beta = reference MLE within 1e-7")
EOF
); then pass "fit_pnbd: $msg"; else fail "fit_pnbd: $msg"; fi
awk '/least likely/{getline; getline; print $1; exit}' "$WORK/fit_pnbd.out" | grep -qx cust-1901 &&
    pass "fit_pnbd: text id 'cust-1901' listed least likely alive" ||
    fail "fit_pnbd: least-alive list: $(grep -A3 'least likely' "$WORK/fit_pnbd.out")"

finish
