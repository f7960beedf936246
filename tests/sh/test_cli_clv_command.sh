#!/bin/bash
# test_cli_clv_command.sh -- `occam clv` (issue 13 point 2) on CDNOW: the
# Pareto/NBD model fitted to data/cdnow_summary.csv and the Gamma-Gamma model
# fitted to data/cdnow_spend.csv; with --annual-discount 0.15 (delta =
# ln(1.15)/52 per week) and --margin 0.3, customers 1..10: clv, dert and
# spend within 1e-8 relative of tests/data/clv/shared.json (the reference
# is at the 10/12-digit MLEs; the fits differ from those by ~1e-10), p_alive
# equal to `occam predict --type palive` and expected to `--type expected
# --horizon 39` (the same library calls); the same numbers with --discount;
# rows in input order; errors: no discount, both, wrong model kinds.
. "$(dirname "$0")/cli_testlib.sh" || exit 1
D="$OCCAM_SOURCE_DIR/data"
CLV="$OCCAM_SOURCE_DIR/tests/data/clv/shared.json"
run pn fit pnbd --data "$D/cdnow_summary.csv" --top 0 --save "$WORK/pn.occam"
run gg fit gg --data "$D/cdnow_spend.csv" --save "$WORK/gg.occam"
"$PY" - "$D/cdnow_summary.csv" "$D/cdnow_spend.csv" "$WORK/in.csv" <<'PYEOF'
import csv, sys
a = list(csv.DictReader(open(sys.argv[1]))); b = {r["id"]: r for r in csv.DictReader(open(sys.argv[2]))}
with open(sys.argv[3], "w", newline="") as f:
    w = csv.writer(f); w.writerow(["id", "x", "t_x", "T", "m_x"])
    for r in reversed(a):  # input order, not id order
        w.writerow([r["id"], r["x"], r["t_x"], r["T"], b[r["id"]]["m_x"]])
PYEOF
run clv clv --pnbd "$WORK/pn.occam" --gg "$WORK/gg.occam" --data "$WORK/in.csv" --annual-discount 0.15 --margin 0.3 \
    --horizon 39 --output "$WORK/clv.csv"
expect_ok clv
run pa predict "$WORK/pn.occam" --data "$WORK/in.csv" --type palive
run ex predict "$WORK/pn.occam" --data "$WORK/in.csv" --type expected --horizon 39
if "$PY" - "$WORK/clv.csv" "$CLV" "$WORK/in.csv" "$WORK/pa.out" "$WORK/ex.out" >"$WORK/clv.cmp" 2>&1 <<'PYEOF'; then pass "clv: $(cat "$WORK/clv.cmp")"; else fail "clv: $(tail -c 400 "$WORK/clv.cmp")"; fi
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1])))
ref = {c["id"]: c for c in json.load(open(sys.argv[2]))["customers"]}
ids = [r["id"] for r in csv.DictReader(open(sys.argv[3]))]
pa = [float(r["prediction"]) for r in csv.DictReader(open(sys.argv[4]))]
ex = [float(r["prediction"]) for r in csv.DictReader(open(sys.argv[5]))]
assert list(rows[0].keys()) == ["id", "p_alive", "expected", "dert", "spend", "clv"], rows[0].keys()
assert [r["id"] for r in rows] == ids, "not in input order"
assert all(float(r["p_alive"]) == p and float(r["expected"]) == e for r, p, e in zip(rows, pa, ex))
worst = 0.0
for r in rows:
    c = ref.get(int(r["id"]))
    if c is None: continue
    for k, want in (("clv", c["clv"]), ("dert", c["dert"]["ln(1.15)/52"]), ("spend", c["cond_spend"]["GG_MLE12"])):
        e = abs(float(r[k]) - want) / want
        assert e <= 1e-8, (r["id"], k, r[k], want)
        worst = max(worst, e)
print("%d rows in input order; ids 1..10: clv, dert, spend = reference within %.1e; p_alive, expected = occam predict's" % (len(rows), worst))
PYEOF
run clv2 clv --pnbd "$WORK/pn.occam" --gg "$WORK/gg.occam" --data "$WORK/in.csv" --discount "$("$PY" -c 'import math; print(repr(math.log(1.15) / 52))')" \
    --margin 0.3 --horizon 39 --output "$WORK/clv2.csv"
if [ "$RC" -eq 0 ] && "$PY" -c "
import csv, sys
a = list(csv.DictReader(open(sys.argv[1]))); b = list(csv.DictReader(open(sys.argv[2])))
assert all(abs(float(x['clv']) - float(y['clv'])) <= 1e-13 * abs(float(y['clv'])) for x, y in zip(a, b))" "$WORK/clv.csv" "$WORK/clv2.csv"; then
    pass "--discount ln(1.15)/52 = --annual-discount 0.15"
else fail "--discount vs --annual-discount"; fi
run none clv --pnbd "$WORK/pn.occam" --gg "$WORK/gg.occam" --data "$WORK/in.csv"
expect_error none 2 "give --discount DELTA or --annual-discount RATE"
run both clv --pnbd "$WORK/pn.occam" --gg "$WORK/gg.occam" --data "$WORK/in.csv" --discount 0.01 --annual-discount 0.1
expect_error both 2 "one of them"
run swapped clv --pnbd "$WORK/gg.occam" --gg "$WORK/pn.occam" --data "$WORK/in.csv" --discount 0.01
expect_error swapped 2 "is not a Pareto/NBD model"
finish
