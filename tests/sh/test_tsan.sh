#!/usr/bin/env bash
# test_tsan.sh -- ThreadSanitizer on one model shared by 8 threads (issue 15
# point 11): builds the library and tests/load/threads.c alone with
# -DOCCAM_TSAN=ON (-fsanitize=thread) in $OCCAM_BINARY_DIR/tsan (only the
# load_threads target: the library, the test helpers and the test), checks
# that the binary is instrumented, and runs it: 8 threads x 10^4 predictions
# on one model, with concurrent serialize, coefficient, covariance, name and
# info reads.  Any data race TSan sees fails the test (halt_on_error), as
# does a result that differs from the single-threaded one or from R's.
# Independent of the surrounding build's flags (its own tree, no ASan), so
# it runs in the release and the sanitize configurations alike.
# OPENBLAS_NUM_THREADS=1: OpenBLAS is not instrumented, and its thread pool
# would only add noise; the predictions under test use no BLAS.
set -euo pipefail
: "${OCCAM_SOURCE_DIR:?}" "${OCCAM_BINARY_DIR:?}"
dir="$OCCAM_BINARY_DIR/tsan"
mkdir -p "$dir"
if ! cmake -S "$OCCAM_SOURCE_DIR" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOCCAM_TSAN=ON -DOCCAM_SANITIZE=OFF \
     -DOCCAM_BUILD_TESTS=ON -DOCCAM_BUILD_EXAMPLES=OFF -DOCCAM_BUILD_BENCH=OFF -DOCCAM_INSTALL=OFF \
     > "$dir/configure.log" 2>&1; then
  cat "$dir/configure.log"; exit 1
fi
if ! cmake --build "$dir" -j2 --target load_threads > "$dir/build.log" 2>&1; then
  tail -40 "$dir/build.log"; exit 1
fi
bin="$dir/tests/load_threads"
nm "$bin" > "$dir/nm_bin.txt"
nm "$dir/liboccam.a" > "$dir/nm_lib.txt" 2> /dev/null
if ! grep -q '__tsan_init' "$dir/nm_bin.txt"; then
  echo "FAIL: $bin is not built with ThreadSanitizer (OCCAM_TSAN had no effect)"; exit 1
fi
if ! grep -q '__tsan_func_entry' "$dir/nm_lib.txt"; then
  echo "FAIL: liboccam.a is not instrumented by ThreadSanitizer"; exit 1
fi
log="$dir/run.log"
status=0
OPENBLAS_NUM_THREADS=1 CK_FORK=no TSAN_OPTIONS="halt_on_error=1 exitcode=66 history_size=4" "$bin" > "$log" 2>&1 \
  || status=$?
cat "$log"
if grep -q 'WARNING: ThreadSanitizer' "$log"; then echo "FAIL: ThreadSanitizer reported a race"; exit 1; fi
if [ "$status" -ne 0 ]; then echo "FAIL: load_threads exited $status under ThreadSanitizer"; exit 1; fi
echo "tsan OK: 8 threads x 10^4 predictions on one model, no race reported"
