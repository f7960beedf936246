#!/bin/bash
# test_cli_pnbd_events.sh -- `occam fit pnbd --events` on logs longer than
# the CLI's chunk of 65,536 rows, which it streams through the library's
# mergeable event states (occam_events): the --summary-csv it writes must
# equal, number for number and in the same order, the summaries computed
# here in Python from the definitions (docs/pnbd.md: first event = birth, x
# = later distinct periods by the calibration end, t_x, T, x_star), with ids
# in the natural order (integers numerically -- "007" and "7" being two
# customers -- then other text by strcmp).  Integer ids only, and mixed
# integer/text ids; merge periods 1 and 0.  Errors found after the first
# chunks keep the whole-file messages and their order (a CSV error anywhere
# before a bad time; the first bad time's row and text; a short row's
# physical line).  The fits run one iteration (--maxit 1: a warning, exit
# 0): the summaries are written before the fit, which is tested elsewhere.
. "$(dirname "$0")/cli_testlib.sh" || exit 1

# LOG FILE N_ROWS KIND SEED: a shuffled log id,t,amount
make_log() {
    "$PY" - "$@" <<'EOF'
import random, sys
path, n, kind, seed = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
rng = random.Random(seed)
def one_id():
    k = rng.randrange(20000)
    if kind == "int":
        return str(k - 3000)
    u = rng.random()
    if u < 0.80: return str(k - 3000)
    if u < 0.88: return "%07d" % (k % 500)      # zero-padded: not the same customer as str(k)
    if u < 0.92: return "+%d" % (k % 300)       # strtoll reads it as a number
    if u < 0.96: return "c_%d" % (k % 700)
    return "9%019d" % (k % 50)                  # beyond int64: text
rows = []
for _ in range(n):
    rows.append((one_id(), rng.randrange(400) / 4.0))
with open(path, "w") as f:
    f.write("id,t,amount\n")
    for i, t in rows:
        f.write("%s,%r,%.2f\n" % (i, t, rng.random() * 100))
EOF
}

# LOG FILE N_ROWS SEED: a shuffled log id,t,amount of ISO dates over the
# years 0001 to 9999 (Python's datetime), one in ten with a time of day
make_date_log() {
    "$PY" - "$@" <<'EOF'
import datetime, random, sys
path, n, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(seed)
lo, hi = datetime.date(1, 1, 1).toordinal(), datetime.date(9999, 12, 31).toordinal()
with open(path, "w") as f:
    f.write("id,t,amount\n")
    for _ in range(n):
        d = datetime.date.fromordinal(rng.randint(lo, hi) if rng.random() < 0.5 else rng.randint(729000, 729400))
        t = d.isoformat()
        if rng.random() < 0.1:
            t += "T%02d:%02d" % (rng.randrange(24), rng.randrange(60))
        f.write("%d,%s,%.2f\n" % (rng.randrange(5000), t, rng.random() * 100))
EOF
}

# CHECK NAME LOG SUMMARY_CSV CAL_END MERGE [dates]: with "dates", the times
# and CAL_END are ISO dates, in days since 1970-01-01 by Python's datetime
check_summary() {
    local msg
    if msg=$("$PY" - "$2" "$3" "$4" "$5" "${6:-}" 2>&1 <<'EOF'
import csv, datetime, math, sys
log, got_path, P, dates = sys.argv[1], sys.argv[2], float(sys.argv[4]), sys.argv[5] == "dates"
epoch = datetime.datetime(1970, 1, 1)
def tv(s):
    if not dates:
        return float(s)
    d = datetime.datetime.fromisoformat(s) - epoch
    return float(d.days) + d.seconds / 86400.0
end = tv(sys.argv[3])
def fl(t): return P * math.floor(t / P) if P > 0 else t
ev = {}
for r in csv.DictReader(open(log)):
    ev.setdefault(r["id"], []).append(fl(tv(r["t"])))
E = fl(end) if P > 0 else end
want = {}
for i, ts in ev.items():
    ts.sort()
    if P > 0:
        ts = sorted(set(ts))
    t0 = ts[0]
    if t0 > E:
        continue
    cal = [t for t in ts[1:] if t <= E]
    x = len(cal)
    want[i] = (x, (cal[-1] - t0) if x else 0.0, E - t0, len([t for t in ts[1:] if t > E]))
def strtoll_value(s):   # C's strtoll on the whole text (these logs: optional sign, digits)
    body = s[1:] if s[:1] in "+-" else s
    if not body.isdigit():
        return None
    v = int(s)
    return v if -2**63 <= v < 2**63 else None
def natural(s):
    v = strtoll_value(s)
    return (0, v, s.encode()) if v is not None else (1, 0, s.encode())
order = sorted(want, key=natural)
rows = list(csv.DictReader(open(got_path)))
assert [r["id"] for r in rows] == order, "order: %r ... vs %r ..." % ([r["id"] for r in rows][:8], order[:8])
for r in rows:
    w = want[r["id"]]
    g = (float(r["x"]), float(r["t_x"]), float(r["T"]), float(r["x_star"]))
    assert g == w, (r["id"], g, w)
print("%d customers" % len(rows))
EOF
    ); then pass "$1: summaries equal the direct computation ($msg)"; else fail "$1: $msg"; fi
}

make_log "$WORK/ints.csv" 150000 int 1
run ints fit pnbd --events "$WORK/ints.csv" --id id --time t --calibration-end 60 --merge-period 1 \
    --summary-csv "$WORK/ints_sum.csv" --top 3 --maxit 1
expect_ok ints
check_summary ints "$WORK/ints.csv" "$WORK/ints_sum.csv" 60 1
grep -q "^Pareto/NBD model fitted to [0-9]* customers (150000 transactions in .*ints.csv, calibration end 60, times in the file's unit, same-period transactions merged)" \
    "$WORK/ints.out" && pass "ints: transactions counted" || fail "ints: $(grep fitted "$WORK/ints.out")"

# ISO dates (the CLI reads YYYY-MM-DD itself, other forms by the library)
make_date_log "$WORK/dates.csv" 150000 3
run dates fit pnbd --events "$WORK/dates.csv" --id id --time t --calibration-end 1996-07-01 --unit days \
    --summary-csv "$WORK/dates_sum.csv" --top 0 --maxit 1
expect_ok dates
check_summary dates "$WORK/dates.csv" "$WORK/dates_sum.csv" 1996-07-01 1 dates
run dates0 fit pnbd --events "$WORK/dates.csv" --id id --time t --calibration-end 1996-07-01T12:00 --unit days \
    --merge-period 0 --summary-csv "$WORK/dates0_sum.csv" --top 0 --maxit 1
expect_ok dates0
check_summary dates0 "$WORK/dates.csv" "$WORK/dates0_sum.csv" 1996-07-01T12:00 0 dates

# the reader's plain scan (no quote, no CR: line feeds found 64 bytes at a
# time): ids of 1 to 150 bytes, blank and blanks-only lines, no line feed
# at the end; every chunk size and 2 threads read what Python reads from the
# same log without its blank lines
"$PY" - "$WORK/plain.csv" "$WORK/plain_clean.csv" <<'EOF'
import random, sys
rng = random.Random(5)
rows = []
for _ in range(30000):
    k = rng.randrange(3000)
    i = str(k) if k % 3 else "c%d_%s" % (k, "x" * (k % 150))
    rows.append("%s,%d,%.2f" % (i, rng.randrange(100), rng.random()))
with open(sys.argv[2], "w") as f:
    f.write("id,t,amount\n" + "\n".join(rows) + "\n")
with open(sys.argv[1], "w") as f:
    f.write("id,t,amount\n")
    for j, r in enumerate(rows):
        f.write(r + ("\n" if j + 1 < len(rows) else ""))
        if rng.random() < 0.01:
            f.write(rng.choice(["\n", "  \n", "\t \n", " " * 70 + "\n"]))
EOF
for c in default 1 7 1000; do
    for th in 1 2; do
        opt=(--threads "$th"); [ "$c" = default ] || opt+=(--chunk-rows "$c")
        run "plain_${c}_$th" fit pnbd --events "$WORK/plain.csv" --id id --time t --calibration-end 80 \
            --merge-period 1 --summary-csv "$WORK/plain_${c}_$th.csv" --top 0 --maxit 1 "${opt[@]}"
        expect_ok "plain_${c}_$th"
        check_summary "plain_${c}_$th" "$WORK/plain_clean.csv" "$WORK/plain_${c}_$th.csv" 80 1
    done
done

make_log "$WORK/mixed.csv" 200000 mixed 2
run mixed fit pnbd --events "$WORK/mixed.csv" --id id --time t --calibration-end 60 --merge-period 1 \
    --summary-csv "$WORK/mixed_sum.csv" --top 3 --maxit 1
expect_ok mixed
check_summary mixed "$WORK/mixed.csv" "$WORK/mixed_sum.csv" 60 1
run mixed0 fit pnbd --events "$WORK/mixed.csv" --id id --time t --calibration-end 60.5 \
    --summary-csv "$WORK/mixed0_sum.csv" --top 0 --maxit 1
expect_ok mixed0
check_summary mixed0 "$WORK/mixed.csv" "$WORK/mixed0_sum.csv" 60.5 0

# --- errors past the first chunks: the messages of a whole-file read, in its order
cp "$WORK/ints.csv" "$WORK/bad_late.csv"
"$PY" - "$WORK/bad_late.csv" <<'EOF'
import sys
lines = open(sys.argv[1]).read().split("\n")
lines[100000] = "17,zz,1.00"      # data row 100000
lines[130000] = "18,1997-01-01,1.00"
open(sys.argv[1], "w").write("\n".join(lines))
EOF
run bad_late fit pnbd --events "$WORK/bad_late.csv" --id id --time t --calibration-end 60
expect_error bad_late 1 "bad_late.csv: row 100000: time 'zz' is neither an ISO date nor a number$"
"$PY" - "$WORK/bad_late.csv" <<'EOF'
import sys
lines = open(sys.argv[1]).read().split("\n")
lines[100000] = "17,3.5,1.00"
open(sys.argv[1], "w").write("\n".join(lines))
EOF
run mix_late fit pnbd --events "$WORK/bad_late.csv" --id id --time t --calibration-end 60
expect_error mix_late 1 "bad_late.csv: row 130000: time '1997-01-01' mixes dates and numbers$"
# numbers in a log of dates: the message quotes the cell as written
for cell in 42 -7 0 3.50 0042 1e3 9007199254740993; do
    "$PY" - "$WORK/dates.csv" "$WORK/mix_num.csv" "$cell" <<'EOF'
import sys
lines = open(sys.argv[1]).read().split("\n")
lines[120000] = "18,%s,1.00" % sys.argv[3]
open(sys.argv[2], "w").write("\n".join(lines))
EOF
    run mix_num fit pnbd --events "$WORK/mix_num.csv" --id id --time t --calibration-end 1996-07-01
    expect_error mix_num 1 "mix_num.csv: row 120000: time '$cell' mixes dates and numbers$"
done
"$PY" - "$WORK/bad_late.csv" <<'EOF'
import sys
lines = open(sys.argv[1]).read().split("\n")
lines[140000] = "19"             # line 140001 of the file: one cell
open(sys.argv[1], "w").write("\n".join(lines))
EOF
run short_late fit pnbd --events "$WORK/bad_late.csv" --id id --time t --calibration-end 60
expect_error short_late 1 "bad_late.csv: line 140001: 1 cell, but the header has 3 columns$" # the CLI reader's message (docs/cli.md), on the physical line
run unit_num fit pnbd --events "$WORK/ints.csv" --id id --time t --calibration-end 60 --unit days
expect_error unit_num 2 "--unit applies to dates only"
run end_kind fit pnbd --events "$WORK/ints.csv" --id id --time t --calibration-end 1997-01-01
expect_error end_kind 2 "--calibration-end must be a number like the --time column$"
run none_by_end fit pnbd --events "$WORK/ints.csv" --id id --time t --calibration-end -5
expect_error none_by_end 1 "cannot summarize .*no customer has an event before the calibration end"

finish
