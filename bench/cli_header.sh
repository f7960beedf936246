#!/usr/bin/env bash
# bench/cli_header.sh -- time of the occam CLI on wide CSV headers (issue 15
# point 2): `occam predict` with a two-column hand-coded model on files of
# K columns x 4 rows, K = 10^4 .. 10^6, so the time is the header (the
# duplicate check, the lookups by name) and reading the cells.  Before the
# hash index the duplicate check was quadratic (3x10^4 columns 4.5 s, 10^6
# more than an hour); it is linear now.
# Usage: bash bench/cli_header.sh [path/to/occam]   (default build/examples/occam)
set -euo pipefail
occam=${1:-build/examples/occam}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$occam" model linear --intercept 0 --coef 1,1 --names c1,c2 --save "$tmp/m.occam" > /dev/null
for k in 10000 30000 100000 300000 1000000; do
  /usr/bin/python3 -c "
import sys
k = int(sys.argv[1])
print(','.join('c%d' % i for i in range(k)))
for r in range(4): print(','.join(str((i + r) % 10) for i in range(k)))" "$k" > "$tmp/w.csv"
  /usr/bin/python3 -c "
import subprocess, sys, time
t0 = time.perf_counter()
subprocess.run(sys.argv[2:], check=True, stdout=subprocess.DEVNULL)
print('%8s columns: %6.3f s' % (sys.argv[1], time.perf_counter() - t0))" "$k" "$occam" predict "$tmp/m.occam" --data "$tmp/w.csv"
done
