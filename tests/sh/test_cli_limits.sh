#!/bin/bash
# test_cli_limits.sh -- the CSV reader's limits (issue 15 point 2,
# docs/cli.md "Limits"):
#  - a header of 10^6 columns is read (the duplicate check and the lookups
#    by name are hashed: linear time); a run that does not finish within 60 s
#    fails -- a guard against the quadratic check (hours for 10^6 names),
#    not a performance figure (bench/cli_header.sh measures it; linear work
#    takes about 1 s here, a few under ASan);
#  - the predictions of a hand-coded model whose columns are the 2nd and the
#    10^6-th of that header (c1, c999999) equal 3 c1 + 1000 c999999 - 2
#    computed by Python from the CSV (exact: small integers);
#  - a duplicate name at column 10^6, a header of CLI_COLUMNS_MAX + 1 =
#    1048577 columns, a name of OCCAM_NAME_MAX + 1 = 10001 bytes and a line
#    of CLI_LINE_MAX + 1 = 67108865 bytes each fail with one line naming the
#    limit and the place.
# Expected places (line, column, offset) are written here by hand from the
# inputs.
. "$(dirname "$0")/cli_testlib.sh" || exit 1

# --- 10^6 columns -----------------------------------------------------------------
"$PY" - "$WORK" <<'EOF'
import sys
w, n = sys.argv[1], 10**6
names = ["c%d" % i for i in range(n)]
rows = [[(i * (r + 2) + r) % 97 for i in range(n)] for r in range(4)]
with open(w + "/wide.csv", "w") as f:
    f.write(",".join(names) + "\n")
    for row in rows:
        f.write(",".join(map(str, row)) + "\n")
with open(w + "/wide_expected.csv", "w") as f:  # 3 * c1 + 1000 * c999999 - 2
    f.write("prediction\n")
    for row in rows:
        f.write("%d\n" % (3 * row[1] + 1000 * row[n - 1] - 2))
names[-1] = "c5"
with open(w + "/wide_dup.csv", "w") as f:
    f.write(",".join(names) + "\n" + ",".join("1" * n) + "\n")
m = (1 << 20) + 1
with open(w + "/too_many.csv", "w") as f:
    f.write(",".join("c%d" % i for i in range(m)) + "\n" + ",".join("1" * m) + "\n")
with open(w + "/long_name.csv", "w") as f:
    f.write("y," + "n" * 10001 + "\n1,2\n")
with open(w + "/name_at_limit.csv", "w") as f:
    f.write("y," + "n" * 10000 + "\n1,2\n")
with open(w + "/long_line.csv", "w") as f:
    f.write("y,x\n1,2\n")
    f.write("3," + "4" * ((1 << 26) - 1) + "\n")  # 2^26 + 1 bytes before the line feed
EOF

# guarded NAME ARGS...: run, as `run` does, stopped after 60 s (RC 124)
guarded() {
    local name=$1
    shift
    timeout 60 "$OCCAM_CLI" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err"
    RC=$?
    if [ "$RC" -eq 124 ]; then echo "occam: not finished within 60 s" > "$WORK/$name.err"; fi
}

run model_wide model linear --intercept -2 --coef 3,1000 --names c1,c999999 --save "$WORK/wide.occam"
expect_ok model_wide
"$PY" -c 'import time; print(time.time())' > "$WORK/t0"
guarded wide_pred predict "$WORK/wide.occam" --data "$WORK/wide.csv"
secs=$("$PY" -c 'import sys, time; print("%.2f" % (time.time() - float(open(sys.argv[1]).read())))' "$WORK/t0")
if [ "$RC" -eq 124 ]; then fail "wide_pred: a 10^6-column header was not read within 60 s"; else
    expect_ok wide_pred
    echo "     (10^6-column header read and predicted in $secs s)"
fi
if cmp -s "$WORK/wide_pred.out" "$WORK/wide_expected.csv"; then
    pass "wide_pred: predictions from columns c1 and c999999 equal 3 * c1 + 1000 * c999999 - 2"
else fail "wide_pred: predictions differ: $(diff "$WORK/wide_pred.out" "$WORK/wide_expected.csv" | head -4)"; fi

guarded wide_dup fit linear --data "$WORK/wide_dup.csv" --y c0
expect_error wide_dup 1 "wide_dup\.csv: line 1, column 1000000: duplicate column name 'c5' \(also column 6\)$"

guarded too_many fit linear --data "$WORK/too_many.csv" --y c0
expect_error too_many 1 "too_many\.csv: line 1: more than 1048576 columns \(the limit, CLI_COLUMNS_MAX\)$"

run long_name fit linear --data "$WORK/long_name.csv" --y y
expect_error long_name 1 "long_name\.csv: line 1, column 2: column name is 10001 bytes long, the limit is OCCAM_NAME_MAX = 10000 bytes$"
run name_at_limit fit linear --data "$WORK/name_at_limit.csv" --y y --coef-csv "$WORK/limit_coef.csv"
expect_ok name_at_limit

run long_line fit linear --data "$WORK/long_line.csv" --y y
expect_error long_line 1 "long_line\.csv: line 3: longer than 67108864 bytes \(the limit, CLI_LINE_MAX\)$"

finish
