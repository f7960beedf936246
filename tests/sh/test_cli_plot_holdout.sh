#!/bin/bash
# test_cli_plot_holdout.sh -- `occam plot holdout` (issue 13 point 5) on the
# CDNOW log, calibration 1997-01-01 .. 1997-09-30, holdout to 1998-06-30.
#
#  - the CSV (x,customers,mean_actual,mean_predicted for x = 0..6, 7+)
#    against the reference holdout aggregates (tests/data/clv/shared.json,
#    ../shared/reference/clv `holdout.buckets`, CE(39) at PNBD_DAYS_MLE10):
#    customers exactly, the means within 1e-6 relative (issue 13's
#    tolerance; our own fit differs from those 10-digit parameters by ~1e-7
#    along the flat beta direction), and the same numbers as the table
#    `fit pnbd --holdout-end` prints;
#  - gnuplot (tools/install-deps.sh installs gnuplot-nox) writes the SVG and
#    PNG; the per-customer rows it reads are removed, or kept when
#    --holdout-csv names them;
#  - without gnuplot on PATH: the data and the .gp script are written and
#    the message says how to render them; errors: no --holdout-end, no
#    --output.
. "$(dirname "$0")/cli_testlib.sh" || exit 1

LOG="$OCCAM_SOURCE_DIR/data/cdnow_transactions.csv"
CLV="$OCCAM_SOURCE_DIR/tests/data/clv/shared.json"
[ -f "$OCCAM_SOURCE_DIR/../shared/reference/clv/shared.json" ] && CLV="$OCCAM_SOURCE_DIR/../shared/reference/clv/shared.json"
EV=(--events "$LOG" --id id --time date --calibration-end 1997-09-30 --holdout-end 1998-06-30)

check_csv() { # NAME CSV OUT
    if "$PY" - "$2" "$CLV" "$3" >"$WORK/$1.check" 2>&1 <<'PYEOF'; then pass "$1: $(cat "$WORK/$1.check")"; else fail "$1: $(cat "$WORK/$1.check")"; fi
import csv, json, re, sys
rows = list(csv.DictReader(open(sys.argv[1])))
ref = json.load(open(sys.argv[2]))["holdout"]["buckets"]
out = open(sys.argv[3]).read()
assert [r["x"] for r in rows] == [b["x_cal"] for b in ref] == ["0", "1", "2", "3", "4", "5", "6", "7+"], rows
worst = 0.0
for r, b in zip(rows, ref):
    assert float(r["customers"]) == b["n_customers"], (r, b)
    for got, want in ((r["mean_actual"], b["mean_actual_x_star"]), (r["mean_predicted"], b["mean_predicted_ce39"])):
        e = abs(float(got) - want) / abs(want)
        assert e <= 1e-6, (r, b, e)
        worst = max(worst, e)
    m = re.search(r"\n +%s +(\d+) +(\S+) +(\S+)\n" % re.escape(r["x"]), out)
    assert m and int(m.group(1)) == int(float(r["customers"])), r["x"]
    assert abs(float(m.group(2)) - float(r["mean_actual"])) <= 1e-9 * float(r["mean_actual"]), r
    assert abs(float(m.group(3)) - float(r["mean_predicted"])) <= 1e-9 * float(r["mean_predicted"]), r
print("8 buckets: customers = reference, means within %.1e, = the printed table" % worst)
PYEOF
}

command -v gnuplot >/dev/null || fail "gnuplot not on PATH (tools/install-deps.sh installs gnuplot-nox)"
run plot plot holdout --output "$WORK/cdnow_holdout" "${EV[@]}"
expect_ok plot
check_csv plot_csv "$WORK/cdnow_holdout.csv" "$WORK/plot.out"
if grep -q "<svg" "$WORK/cdnow_holdout.svg" 2>/dev/null &&
    [ "$(head -c 8 "$WORK/cdnow_holdout.png" 2>/dev/null | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] &&
    grep -q "Plot written to $WORK/cdnow_holdout.svg and $WORK/cdnow_holdout.png" "$WORK/plot.out"; then
    pass "plot: gnuplot wrote cdnow_holdout.svg ($(wc -c <"$WORK/cdnow_holdout.svg") bytes) and .png ($(wc -c <"$WORK/cdnow_holdout.png") bytes)"
else fail "plot: no SVG/PNG: $(cat "$WORK/plot.out" "$WORK/plot.err" | tail -c 300)"; fi
if [ ! -e "$WORK/cdnow_holdout.customers.csv" ]; then pass "plot: the per-customer rows it read are removed"
else fail "plot: left $WORK/cdnow_holdout.customers.csv behind"; fi

run kept plot holdout --output "$WORK/k" --csv "$WORK/k_table.csv" "${EV[@]}" --holdout-csv "$WORK/k_rows.csv"
expect_ok kept
check_csv kept_csv "$WORK/k_table.csv" "$WORK/kept.out"
if [ "$(head -1 "$WORK/k_rows.csv")" = "id,x,t_x,T,x_star,predicted" ] && [ "$(wc -l <"$WORK/k_rows.csv")" -eq 2358 ] &&
    [ ! -e "$WORK/k.csv" ]; then pass "kept: --holdout-csv keeps the 2357 per-customer rows, --csv names the table"
else fail "kept: $(head -2 "$WORK/k_rows.csv")"; fi

mkdir -p "$WORK/nognuplot"
PATH="$WORK/nognuplot" "$OCCAM_CLI" plot holdout --output "$WORK/ng" "${EV[@]}" >"$WORK/ng.out" 2>"$WORK/ng.err"
if [ $? -eq 0 ] && [ -s "$WORK/ng.gp" ] && [ -s "$WORK/ng.csv" ] && [ ! -e "$WORK/ng.svg" ] &&
    grep -q "gnuplot is not on PATH: wrote $WORK/ng.csv and $WORK/ng.gp; render them with: gnuplot $WORK/ng.gp" "$WORK/ng.out"; then
    pass "no gnuplot: data and script written, the message says how to render"
else fail "no gnuplot: $(cat "$WORK/ng.out" "$WORK/ng.err" | tail -c 300)"; fi

run no_end plot holdout --output "$WORK/x" --events "$LOG" --id id --time date --calibration-end 1997-09-30
expect_error no_end 2 "plot holdout: --holdout-end VALUE is required"
run no_out plot holdout "${EV[@]}"
expect_error no_out 2 "output PREFIX is required"
finish
