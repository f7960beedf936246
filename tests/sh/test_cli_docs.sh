#!/bin/bash
# test_cli_docs.sh -- the samples in docs/cli.md are the tool's real output.
#
# Each sample block of docs/cli.md is compared exactly (text, line by line)
# with what occam prints for the command the page names:
#  - the `fit linear` summary on data/glm/cars.csv (from "Residuals:" to the
#    F-statistic line, p-value included);
#  - the --coef-csv file of the same fit and the `predict --id` example: the
#    same text, every number printed with 17 significant digits (%.17g, the
#    shortest form that round-trips) and equal to the real one to 1e-13
#    relative: the last one or two of 17 digits depend on the BLAS kernel
#    OpenBLAS picks for the CPU (PRESCOTT and Cooperlake differ there);
#  - every sample error and warning line, from the inputs the page describes.
# (The numbers themselves are checked against R in test_cli_linear.sh.)
. "$(dirname "$0")/cli_testlib.sh" || exit 1

DOC="$OCCAM_SOURCE_DIR/docs/cli.md"

# block PATTERN OUT: the first fenced code block of the page with a line
# matching the regular expression PATTERN, into OUT (a block indented in a
# list loses its indentation).
block() {
    "$PY" - "$DOC" "$1" >"$2" <<'EOF'
import re, sys
text, pat = open(sys.argv[1]).read(), re.compile(sys.argv[2])
for indent, b in re.findall(r"^( *)```[^\n]*\n(.*?)^ *```", text, re.S | re.M):
    lines = [l[len(indent):] if l.startswith(indent) else l for l in b.split("\n")]
    if any(pat.search(l) for l in lines):
        sys.stdout.write("\n".join(lines))
        break
EOF
}

# same NAME EXPECTED_FILE GOT_FILE
same() {
    if [ ! -s "$2" ]; then fail "$1: no such sample in docs/cli.md"; return; fi
    if cmp -s "$2" "$3"; then pass "$1: docs/cli.md sample = real output ($(wc -l <"$2") lines)"; else
        fail "$1: docs/cli.md differs from the real output (< docs, > occam): $(diff "$2" "$3" | head -8)"; fi
}

# same_csv NAME EXPECTED_FILE GOT_FILE: same lines and fields; numeric fields
# as %.17g and within 1e-13 relative of the documented ones.
same_csv() {
    if [ ! -s "$2" ]; then fail "$1: no such sample in docs/cli.md"; return; fi
    if msg=$("$PY" - "$2" "$3" <<'EOF'
import sys
doc, got = (open(f).read().rstrip("\n").split("\n") for f in sys.argv[1:3])
assert len(doc) == len(got), "%d lines in the docs, %d printed" % (len(doc), len(got))
worst = 0.0
for ld, lg in zip(doc, got):
    fd, fg = ld.split(","), lg.split(",")
    assert len(fd) == len(fg), "fields differ: %r vs %r" % (ld, lg)
    for d, g in zip(fd, fg):
        try:
            vd, vg = float(d), float(g)
        except ValueError:
            assert d == g, "%r vs printed %r" % (d, g)
            continue
        assert g == "%.17g" % vg, "%r is not printed with 17 significant digits" % g
        rel = abs(vd - vg) / max(abs(vd), 1e-300)
        assert rel <= 1e-13, "%s vs printed %s (relative %.1e > 1e-13)" % (d, g, rel)
        worst = max(worst, rel)
print("%d lines, numbers within %.1e relative" % (len(doc), worst))
EOF
    ); then pass "$1: docs/cli.md sample = real output ($msg)"; else
        fail "$1: docs/cli.md differs from the real output: $msg"; fi
}

cd "$WORK" || exit 1
cp "$DATA/cars.csv" "$DATA/spector.csv" .

# --- the fit linear summary and its --coef-csv --------------------------------
cd "$OCCAM_SOURCE_DIR" || exit 1   # the page's command line, as written there
run cars fit linear --data data/glm/cars.csv --y dist --coef-csv "$WORK/coef.csv"
expect_ok cars
cd "$WORK" || exit 1
block '^Residuals:$' doc_summary.txt
sed -n '/^Residuals:$/,/^F-statistic/p' cars.out >got_summary.txt
same summary doc_summary.txt got_summary.txt
block '^term,estimate,std_error,statistic,p_value$' doc_coef.txt
same_csv coef_csv doc_coef.txt coef.csv

# --- predict --id ---------------------------------------------------------------
run save fit linear --data cars.csv --y dist --save cars.occam
expect_ok save
"$PY" - <<'EOF'
import csv
rows = list(csv.reader(open("cars.csv")))
with open("cars_with_ids.csv", "w") as f:
    f.write("car,speed\n")
    for i, r in enumerate(rows[1:]):
        f.write("car %d,%s\n" % (i + 1, r[0]))
EOF
run pred_id predict cars.occam --data cars_with_ids.csv --id car
expect_ok pred_id
block '^car,prediction$' doc_id.txt
grep -v '^\$ \|^\.\.\.$' doc_id.txt >doc_id_lines.txt
head -n "$(wc -l <doc_id_lines.txt)" pred_id.out >got_id.txt
same_csv predict_id doc_id_lines.txt got_id.txt

# --- the sample error lines -------------------------------------------------------
printf 'y,x,w\n1,2,1\n2,3,-1\n3,5,1\n' >w.csv
head -c 20 cars.occam >m.occam
{
    "$OCCAM_CLI" fit linear --data cars.csv --y dist --bogus
    "$OCCAM_CLI" fit glm --family binomial --data spector.csv --y GRADE --maxit 2x
    "$OCCAM_CLI" fit linear --data cars.csv --y distance
    "$OCCAM_CLI" fit linear --data w.csv --y y --weights w
    "$OCCAM_CLI" fit glm --family poisson --link logit --data cars.csv --y dist
    "$OCCAM_CLI" predict m.occam --data cars.csv
    "$OCCAM_CLI" fit glm --family binomial --data spector.csv --y GRADE --maxit 2 >/dev/null
} 2>got_errors.txt >/dev/null
block "unknown option '--bogus'" doc_errors.txt
same errors doc_errors.txt got_errors.txt

# the fit glm warning sample: glm2's heart data as heart.csv
HEART="$OCCAM_SOURCE_DIR/../shared/reference/glm/glm2/heart_logbinomial.csv"
[ -f "$HEART" ] || HEART="$REF/glm2/heart/heart_logbinomial.csv"
cp "$HEART" heart.csv
"$OCCAM_CLI" fit glm --family binomial --link log --data heart.csv --y y --weights weights --offset offset \
    --x AgeGroup2,AgeGroup3,Severity2,Severity3,Delay2,Delay3,Region2,Region3 \
    --start=-2.78619194961914,0,0,0,0,0,0,0,0 2>got_heart.txt >/dev/null
block "^occam: warning: fit glm on heart.csv" doc_heart.txt
same glm_warnings doc_heart.txt got_heart.txt

printf 'speed,dist\n4,2\n7,4\n8,1x6\n' >data.csv
"$OCCAM_CLI" fit linear --data data.csv --y dist 2>got_cell.txt >/dev/null
block "line 4, column 2 \(dist\)" doc_cell.txt
same bad_cell doc_cell.txt got_cell.txt

"$OCCAM_CLI" model pnbd --r 0.553 --alpha 10.578 --s 0.606 --beta 11.669 --save p.occam >/dev/null
"$OCCAM_CLI" predict p.occam --data cars.csv --type link 2>got_type.txt
block "^occam: predict: type 'link'" doc_type.txt
same predict_type doc_type.txt got_type.txt
finish
