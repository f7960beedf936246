#!/bin/bash
# test_nist_data.sh -- the NIST StRD linear datasets typed into tests/data/nist
# reproduce NIST's certified values: tests/data/nist/check_certified.py solves
# each least-squares problem in exact rational arithmetic on the decimal
# data and compares every estimate and standard error with the 15 certified
# digits (relative 1e-14), and the exact values (<name>_exact.csv, which the
# LRE test of tests/check_linear.c measures against) with it; and
# xtx_inverse.py rewrites the exact inverses of Wampler4's X'X and X'WX
# (<name>_xt[w]x_inverse.csv) identically.
set -u
: "${OCCAM_SOURCE_DIR:?}"
dir="$OCCAM_SOURCE_DIR/tests/data/nist"
out=$(/usr/bin/python3 "$dir/check_certified.py" "$dir") || { echo "$out"; echo "FAIL: a NIST file does not match"; exit 1; }
echo "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$dir"/*.csv "$dir/check_certified.py" "$tmp"/
rm "$tmp"/*_exact.csv
/usr/bin/python3 "$tmp/check_certified.py" --write "$tmp" >/dev/null || { echo "FAIL: --write"; exit 1; }
for f in "$dir"/*_exact.csv; do
    cmp -s "$f" "$tmp/$(basename "$f")" || { echo "FAIL: $(basename "$f") differs from the exact solution"; exit 1; }
done
echo "ok: 11 datasets match NIST's certified values; the _exact.csv files are the exact solutions"
# the exact (X'X)^-1 and (X'WX)^-1 of Wampler4 (tests/check_lsq_refine_cov.c)
cp "$dir/xtx_inverse.py" "$tmp"/
rm "$tmp"/*_inverse.csv
/usr/bin/python3 "$tmp/xtx_inverse.py" "$tmp" || { echo "FAIL: xtx_inverse.py"; exit 1; }
for f in "$dir"/*_inverse.csv; do
    cmp -s "$f" "$tmp/$(basename "$f")" || { echo "FAIL: $(basename "$f") differs from the exact inverse"; exit 1; }
done
echo "ok: the _inverse.csv files are the exact inverses"
