#!/bin/bash
# bench/clv/run.sh -- issue 13's CLV figure: `occam clv` on N generated
# customers (default 10^6; bench/clv/gen_clv.py: x, t_x, T, m_x drawn from
# the Pareto/NBD and Gamma-Gamma models), the models fitted first with
# `occam fit pnbd` and `occam fit gg` on the same file.  Prints wall seconds,
# peak RSS and CPU seconds (user + system, /usr/bin/time) of each step; the target is clv <= 2 s and
# <= 200 MB at 10^6.  Performance is measured here, never asserted in tests.
#
#   bash bench/clv/run.sh [--customers N] [--dir DIR] [--continuous-T]   (OCCAM_BUILD: default ./build)
#
# The customers' T are whole days / 7 (few distinct values, as summaries of a
# dated log; DERT's Tricomi function is computed once per distinct T);
# --continuous-T makes every T distinct: each DERT then interpolates its
# Tricomi part in lib/tricomi_u.c's cells (at 10^6: 11.9 s with a quadrature
# per customer, 1.14 s with the cells).
set -euo pipefail
cd "$(dirname "$0")/../.."
n=1000000
extra=()
dir=${OCCAM_BENCH_DATA:-${OCCAM_BUILD:-build}/benchdata}
while [ $# -gt 0 ]; do
  case $1 in
    --customers) n=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    --continuous-T) extra=(--continuous-T); shift ;;
    *) echo "usage: $0 [--customers N] [--dir DIR] [--continuous-T]" >&2; exit 2 ;;
  esac
done
occam=${OCCAM_BUILD:-build}/examples/occam
mkdir -p "$dir"
data=$dir/clv_$n${extra:+_continuous}.csv
[ -s "$data" ] || { echo "generating $data"; /usr/bin/python3 bench/clv/gen_clv.py "$data" --customers "$n" "${extra[@]}"; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
step() { # NAME ARGS...
  local name=$1; shift
  /usr/bin/time -f "%e %M %U %S" -o "$work/$name.time" "$@" >"$work/$name.out" 2>"$work/$name.err" ||
    { cat "$work/$name.err"; exit 1; }
  read -r s kb us ss <"$work/$name.time"
  printf '%-28s %8.2f s %8.1f MB %8.2f s cpu\n' "$name" "$s" "$(echo "$kb / 1024" | bc -l)" "$(echo "$us + $ss" | bc -l)"
}
echo "== $n customers${extra:+ (continuous T)} ($(du -m "$data" | cut -f1) MB), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
step "fit pnbd" "$occam" fit pnbd --data "$data" --top 0 --save "$work/pn.occam"
step "fit gg" "$occam" fit gg --data "$data" --save "$work/gg.occam"
step "clv (written to a file)" "$occam" clv --pnbd "$work/pn.occam" --gg "$work/gg.occam" --data "$data" \
  --annual-discount 0.15 --margin 0.3 --output "$work/clv.csv"
echo "rows written: $(($(wc -l <"$work/clv.csv") - 1))"
