#!/bin/bash
# test_cli_outfile.sh -- every file the CLI writes (--save, --coef-csv,
# --summary-csv, predict --output) is replaced atomically (issue 15 point 1):
# a run that cannot finish writing (the file size limit of `ulimit -f`, with
# SIGXFSZ ignored, fails write() with EFBIG as a full disk fails it with
# ENOSPC) exits 1 with one line saying the file was not changed, leaves the
# previous file byte-identical, and leaves no temporary file behind.  A
# successful run replaces the file and keeps its permission bits.
#
# The reference for each comparison is a copy of the previous file taken
# with cp before the run (not produced by the code under test).
. "$(dirname "$0")/cli_testlib.sh" || exit 1

# 300 rows, 60 predictors: a coefficient table and a model file of several
# KiB; predictions for 300 rows; a transaction log of 300 customers.
"$PY" - "$WORK" <<'EOF'
import random, sys
w = sys.argv[1]
rnd = random.Random(15)
cols = ["x%d" % j for j in range(60)]
with open(w + "/wide.csv", "w") as f:
    f.write("y," + ",".join(cols) + "\n")
    for i in range(300):
        x = [rnd.uniform(-1, 1) for _ in cols]
        f.write("%r,%s\n" % (sum(x) + rnd.gauss(0, 1), ",".join("%r" % v for v in x)))
with open(w + "/small.csv", "w") as f:
    f.write("y,x0\n1,1\n2,2\n4,3\n")
with open(w + "/events.csv", "w") as f:
    f.write("id,time\n")
    for c in range(300):
        for k in range(3):
            f.write("customer%d,%d\n" % (c, k * 7 + c % 5))
with open(w + "/events_small.csv", "w") as f:
    f.write("id,time\na,0\na,3\nb,1\n")
EOF

# limited NAME LIMIT_KIB ARGS...: run occam with the file size limit, SIGXFSZ
# ignored, stdout discarded (the limit is for the file under test).
limited() {
    local name=$1 kib=$2
    shift 2
    (trap '' XFSZ; ulimit -f "$kib"; exec "$OCCAM_CLI" "$@") > /dev/null 2> "$WORK/$name.err"
    RC=$?
}

# check_kept NAME FILE: FILE equals its copy FILE.before; no temporary file
# (.NAME.tmp.*) beside it.
check_kept() {
    local name=$1 file=$2
    if cmp -s "$file" "$file.before"; then pass "$name: the previous file is byte-identical"; else
        fail "$name: the previous file changed ($(wc -c < "$file") bytes, was $(wc -c < "$file.before"))"; fi
    local dir base left
    dir=$(dirname "$file")
    base=$(basename "$file")
    left=$(find "$dir" -maxdepth 1 -name ".$base.tmp.*" | wc -l)
    if [ "$left" -eq 0 ]; then pass "$name: no temporary file left"; else
        fail "$name: $left temporary file(s) left: $(ls -a "$dir" | grep "^\.$base\.tmp\." | head -3 | tr '\n' ' ')"; fi
}

# --- --save and --coef-csv of fit linear ---------------------------------------
run prev_fit fit linear --data "$WORK/small.csv" --y y --save "$WORK/m.occam" --coef-csv "$WORK/coef.csv"
expect_ok prev_fit
cp "$WORK/m.occam" "$WORK/m.occam.before"
cp "$WORK/coef.csv" "$WORK/coef.csv.before"

limited save_full 2 fit linear --data "$WORK/wide.csv" --y y --save "$WORK/m.occam"
expect_error save_full 1 "^occam: fit linear: cannot save the model to '.*m\.occam'" "File too large" \
    "the file was not changed"
check_kept save_full "$WORK/m.occam"
run load_old predict "$WORK/m.occam" --data "$WORK/small.csv"
expect_ok load_old

limited coef_full 2 fit linear --data "$WORK/wide.csv" --y y --coef-csv "$WORK/coef.csv"
expect_error coef_full 1 "^occam: fit linear: --coef-csv: cannot write '.*/\.coef\.csv\.tmp\.[0-9]+\.[0-9]+': File too large \(the file was not changed\)$"
check_kept coef_full "$WORK/coef.csv"

# success replaces the file and keeps its mode
chmod 0604 "$WORK/coef.csv"
run coef_ok fit linear --data "$WORK/wide.csv" --y y --coef-csv "$WORK/coef.csv"
expect_ok coef_ok
rows=$(wc -l < "$WORK/coef.csv")
if [ "$rows" -eq 62 ]; then pass "coef_ok: 61 coefficients written"; else fail "coef_ok: $rows lines, expected 62"; fi
mode=$(stat -c %a "$WORK/coef.csv")
if [ "$mode" = 604 ]; then pass "coef_ok: mode 604 kept"; else fail "coef_ok: mode $mode, expected 604"; fi

# --- predict --output ------------------------------------------------------------
run wide_fit fit linear --data "$WORK/wide.csv" --y y --save "$WORK/wide.occam"
expect_ok wide_fit
run pred_prev predict "$WORK/wide.occam" --data "$WORK/wide.csv" --output "$WORK/pred.csv"
expect_ok pred_prev
if [ ! -s "$WORK/pred_prev.out" ] && [ "$(wc -l < "$WORK/pred.csv")" -eq 301 ]; then
    pass "pred_prev: 300 predictions in the file, nothing on stdout"
else fail "pred_prev: $(wc -l < "$WORK/pred.csv") lines in the file, stdout $(wc -c < "$WORK/pred_prev.out") bytes"; fi
run pred_stdout predict "$WORK/wide.occam" --data "$WORK/wide.csv"
if cmp -s "$WORK/pred.csv" "$WORK/pred_stdout.out"; then pass "pred_stdout: --output holds what stdout gets"; else
    fail "pred_stdout: --output differs from stdout"; fi
head -2 "$WORK/pred.csv" > "$WORK/pred.csv.tmp2" && mv "$WORK/pred.csv.tmp2" "$WORK/pred.csv"
cp "$WORK/pred.csv" "$WORK/pred.csv.before"
limited pred_full 4 predict "$WORK/wide.occam" --data "$WORK/wide.csv" --output "$WORK/pred.csv"
expect_error pred_full 1 "^occam: predict: --output: cannot write '.*/\.pred\.csv\.tmp\.[0-9]+\.[0-9]+': File too large \(the file was not changed\)$"
check_kept pred_full "$WORK/pred.csv"
run pred_dir predict "$WORK/wide.occam" --data "$WORK/wide.csv" --output "$WORK/no/such/dir/p.csv"
expect_error pred_dir 1 "^occam: predict: --output: cannot open '.*/no/such/dir/p\.csv' for writing: No such file or directory"

# --- fit pnbd --summary-csv --------------------------------------------------------
run sum_prev fit pnbd --events "$WORK/events_small.csv" --id id --time time --calibration-end 10 \
    --summary-csv "$WORK/summary.csv"
# (two customers: the fit itself may warn or fail; the summaries are written first)
if [ -s "$WORK/summary.csv" ]; then pass "sum_prev: summary written"; else
    fail "sum_prev: no summary ($(head -c 300 "$WORK/sum_prev.err"))"; fi
cp "$WORK/summary.csv" "$WORK/summary.csv.before"
limited sum_full 2 fit pnbd --events "$WORK/events.csv" --id id --time time --calibration-end 30 \
    --summary-csv "$WORK/summary.csv"
expect_error sum_full 1 "^occam: fit pnbd: --summary-csv: cannot write '.*/\.summary\.csv\.tmp\.[0-9]+\.[0-9]+': File too large \(the file was not changed\)$"
check_kept sum_full "$WORK/summary.csv"

finish
