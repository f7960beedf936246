#!/bin/bash
# bench/ingest/run.sh -- CSV ingest of issue 11, occam against its peers in
# the same run, on the same files.
#
#   bash bench/ingest/run.sh [--customers N] [--rows N] [--reps K] [--dir DIR]
#                            [--limit-mb M] [--no-big]
#
# Files (made by gen_data.py when missing, fixed seed): DIR/events_N.csv, the
# id,date,sales log of N customers (default 10^6, ~66 MB), and
# DIR/glm_N.csv, the y,x1..x20 Poisson matrix of N rows (default 10^6,
# ~285 MB).  DIR defaults to $OCCAM_BENCH_DATA or BUILD/benchdata; the build
# is $OCCAM_BUILD (default ./build, a Release build with the CLI).
#
# Timed, K times each (default 3, the median printed), wall time and peak
# RSS by /usr/bin/time -f '%e %M':
#   occam ingest glm          bench_ingest: the CLI's reader alone, the whole
#                             matrix as numbers (1 and 2 threads)
#   occam fit glm             fit glm --family poisson --y y (streamed: one
#                             read per pass; 1 and 2 threads)
#   occam ingest events       bench_ingest: the log's id and date columns
#                             into the library's event state and its
#                             summaries (1 and 2 threads)
#   occam fit pnbd --events   --id id --time date --calibration-end 1998-06-30
#                             --top 0 (1 and 2 threads); with OCCAM_CLI_TIMING
#                             set it prints how long reading the log into
#                             customer summaries took (the last run's, shown)
#   pandas, fread             peers_pandas.py / peers_fread.R (data.table with
#                             setDTthreads(1)), when installed; else a message
# MB/s = file bytes / 10^6 / median seconds; ratios = peer seconds / occam
# seconds (above 1: occam is faster).
# Then (unless --no-big) a GLM file about 4x the address-space limit
# (--limit-mb, default 256; 3.6 M rows, 1.03 GB, for 256 MB) is fitted under
# `prlimit --as`: streamed (the default chunk) and in memory (one chunk of
# every row, --chunk-rows N), and in memory without the limit, for time and
# peak RSS.
set -u
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
build=${OCCAM_BUILD:-$src/build}
customers=1000000 rows=1000000 reps=3 limit_mb=256 big=1
dir=${OCCAM_BENCH_DATA:-$build/benchdata}
while [ $# -gt 0 ]; do
    case $1 in
    --customers) customers=$2; shift 2 ;;
    --rows) rows=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    --limit-mb) limit_mb=$2; shift 2 ;;
    --no-big) big=0; shift ;;
    *) echo "usage: $0 [--customers N] [--rows N] [--reps K] [--dir DIR] [--limit-mb M] [--no-big]" >&2; exit 2 ;;
    esac
done
occam=$build/examples/occam
ingest=$build/bench/bench_ingest
PY=/usr/bin/python3
for f in "$occam" "$ingest"; do
    [ -x "$f" ] || { echo "run.sh: $f not built (cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build)" >&2; exit 1; }
done
mkdir -p "$dir"
events=$dir/events_$customers.csv
glm=$dir/glm_$rows.csv
[ -s "$events" ] || { echo "generating $events"; "$PY" "$here/gen_data.py" events "$events" --customers "$customers" || exit 1; }
[ -s "$glm" ] || { echo "generating $glm"; "$PY" "$here/gen_data.py" glm "$glm" --rows "$rows" || exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/occam_ingest.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export OPENBLAS_NUM_THREADS=1

# measure NAME CMD...: run K times; keep the median wall seconds and the
# largest peak RSS (MB) in $med / $rss; a failing run sets $med to "failed".
measure() {
    local name=$1
    shift
    local times=() rs=0 i
    for ((i = 0; i < reps; i++)); do
        if ! /usr/bin/time -f '%e %M' -o "$tmp/time" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"; then
            med=failed rss=$(tail -1 "$tmp/time" | awk '{printf "%.0f", $2 / 1024}')
            echo "  ($name failed: $(grep -v '^Command' "$tmp/$name.err" | head -c 200))" >&2
            return 1
        fi
        read -r t m <"$tmp/time"
        times+=("$t")
        [ "$m" -gt "$rs" ] && rs=$m
    done
    med=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')
    rss=$((rs / 1024))
}

mb() { "$PY" -c "import os, sys; print('%.1f' % (os.path.getsize(sys.argv[1]) / 1e6))" "$1"; }
rate() { [ "$2" = failed ] && { echo "-"; return; }; "$PY" -c "import sys; print('%.0f' % (float(sys.argv[1]) / float(sys.argv[2])))" "$1" "$2"; }
ratio() { { [ "$1" = failed ] || [ "$2" = failed ]; } && { echo "-"; return; }; "$PY" -c "import sys; print('%.2f' % (float(sys.argv[1]) / float(sys.argv[2])))" "$1" "$2"; }

glm_mb=$(mb "$glm") ev_mb=$(mb "$events")
echo "== files: $glm ($glm_mb MB), $events ($ev_mb MB); medians of $reps runs; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-34s %9s %8s %9s\n' "what" "seconds" "MB/s" "peak MB"
row() { printf '%-34s %9s %8s %9s\n' "$1" "$2" "$(rate "$3" "$2")" "$4"; }

declare -A T
for th in 1 2; do
    measure "ingest$th" "$ingest" glm "$glm" "$th"
    T[ingest$th]=$med; row "occam ingest glm ($th thread$([ "$th" = 2 ] && echo s))" "$med" "$glm_mb" "$rss"
done
for th in 1 2; do
    measure "fitglm$th" "$occam" fit glm --family poisson --data "$glm" --y y --threads "$th"
    T[fitglm$th]=$med; row "occam fit glm ($th thread$([ "$th" = 2 ] && echo s))" "$med" "$glm_mb" "$rss"
done
for th in 1 2; do
    measure "evingest$th" "$ingest" events "$events" "$th"
    row "occam ingest events ($th thread$([ "$th" = 2 ] && echo s))" "$med" "$ev_mb" "$rss"
done
for th in 1 2; do
    OCCAM_CLI_TIMING=1 measure "pnbd$th" "$occam" fit pnbd --events "$events" --id id --time date \
        --calibration-end 1998-06-30 --top 0 --threads "$th"
    T[pnbd$th]=$med; row "occam fit pnbd --events ($th thr.)" "$med" "$ev_mb" "$rss"
    rd=$(sed -n 's/^occam: timing: reading .* into customer summaries: \([0-9.]*\) s$/\1/p' "$tmp/pnbd$th.err")
    [ -n "$rd" ] && row "  of which reading + summaries" "$rd" "$ev_mb" ""
    T[read$th]=${rd:-failed}
done
if "$PY" -c 'import pandas' 2>/dev/null; then
    measure pandas_glm "$PY" "$here/peers_pandas.py" glm "$glm"
    T[pandas_glm]=$med; row "pandas read_csv glm" "$med" "$glm_mb" "$rss"
    measure pandas_ev "$PY" "$here/peers_pandas.py" events "$events" 1998-06-30
    T[pandas_ev]=$med; row "pandas events summary" "$med" "$ev_mb" "$rss"
else
    echo "pandas: not installed (apt-get install python3-pandas): skipped"
fi
if command -v Rscript >/dev/null && Rscript -e 'library(data.table)' >/dev/null 2>&1; then
    measure fread_glm Rscript "$here/peers_fread.R" glm "$glm"
    T[fread_glm]=$med; row "data.table fread glm (1 thread)" "$med" "$glm_mb" "$rss"
    measure fread_ev Rscript "$here/peers_fread.R" events "$events" 1998-06-30
    T[fread_ev]=$med; row "data.table events summary (1 thr.)" "$med" "$ev_mb" "$rss"
else
    echo "data.table: not installed (apt-get install r-cran-data.table): skipped"
fi
echo "(process wall times: the peers' include starting Python / R; their own timers: see their output below)"
for k in pandas_glm pandas_ev fread_glm fread_ev; do [ -s "$tmp/$k.out" ] && echo "  $k: $(cat "$tmp/$k.out")"; done
echo "== ratios (peer seconds / occam seconds, process wall times)"
[ -n "${T[fread_glm]:-}" ] && echo "  glm ingest: fread / occam ingest (1 thread) = $(ratio "${T[fread_glm]}" "${T[ingest1]}")"
[ -n "${T[pandas_glm]:-}" ] && echo "  glm ingest: pandas / occam ingest (1 thread) = $(ratio "${T[pandas_glm]}" "${T[ingest1]}")"
for th in 1 2; do
    [ -n "${T[pandas_ev]:-}" ] && echo "  events, like for like: pandas (own timer: read, dedupe, group) / occam reading + summaries ($th thread(s)) = $(ratio "$(awk '{print $3}' "$tmp/pandas_ev.out")" "${T[read$th]}")"
    [ -n "${T[fread_ev]:-}" ] && echo "  events, like for like: fread (own timer) / occam reading + summaries ($th thread(s)) = $(ratio "$(awk '{print $3}' "$tmp/fread_ev.out")" "${T[read$th]}")"
    [ -n "${T[pandas_ev]:-}" ] && echo "  events: pandas / occam fit pnbd --events ($th thread(s)) = $(ratio "${T[pandas_ev]}" "${T[pnbd$th]}")"
    [ -n "${T[fread_ev]:-}" ] && echo "  events: fread / occam fit pnbd --events ($th thread(s)) = $(ratio "${T[fread_ev]}" "${T[pnbd$th]}")"
done

[ "$big" = 1 ] || exit 0
# --- bigger than the memory limit -------------------------------------------------
big_rows=$((limit_mb * 3600000 / 256)) # 3.6 M rows = 1.03 GB for 256 MB: about 4 x the limit
bigf=$dir/glm_$big_rows.csv
[ -s "$bigf" ] || { echo "generating $bigf"; "$PY" "$here/gen_data.py" glm "$bigf" --rows "$big_rows" || exit 1; }
reps=1
limit=$((limit_mb * 1024 * 1024))
echo "== $bigf ($(mb "$bigf") MB) under prlimit --as=$limit ($limit_mb MB)"
printf '%-34s %9s %8s %9s\n' "what" "seconds" "MB/s" "peak MB"
measure big_stream prlimit --as="$limit" "$occam" fit glm --family poisson --data "$bigf" --y y
row "streamed (default chunk)" "$med" "$(mb "$bigf")" "$rss"
measure big_mem prlimit --as="$limit" "$occam" fit glm --family poisson --data "$bigf" --y y --chunk-rows "$big_rows"
row "in memory (--chunk-rows $big_rows)" "$med" "$(mb "$bigf")" "${rss:-}"
[ "$med" = failed ] && echo "  in memory under the limit: $(tail -1 "$tmp/big_mem.err")"
measure big_mem_free "$occam" fit glm --family poisson --data "$bigf" --y y --chunk-rows "$big_rows"
row "in memory, no limit" "$med" "$(mb "$bigf")" "$rss"
if [ -s "$tmp/big_stream.out" ] && [ -s "$tmp/big_mem_free.out" ]; then
    if diff -q <(sed -n '/^Coefficients/,$p' "$tmp/big_stream.out") <(sed -n '/^Coefficients/,$p' "$tmp/big_mem_free.out") >/dev/null
    then echo "  streamed and in-memory summaries: identical"
    else echo "  streamed and in-memory summaries differ:"; diff "$tmp/big_stream.out" "$tmp/big_mem_free.out" | head; fi
fi
