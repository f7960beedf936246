#!/usr/bin/env bash
# Vendoring: tests/vendor is a CMake project that add_subdirectory()s the occam
# source tree (here through a symlink ./occam -> the tree, as a copy or a git
# submodule would be). The test configures and builds it from scratch, runs
# the consumer linked to occam::occam (shared) and occam::occam_static, and
# checks that occam behaves as a guest: none of its tests, CLI, benchmarks or
# install rules are added, and it does not impose a build type on the parent.
# Independent of the surrounding build (its own compile, no sanitizers), so it
# runs in every configuration.
set -euo pipefail
: "${OCCAM_SOURCE_DIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }

cp -r "$OCCAM_SOURCE_DIR/tests/vendor" "$tmp/app"
ln -s "$OCCAM_SOURCE_DIR" "$tmp/app/occam"
if ! cmake -S "$tmp/app" -B "$tmp/build" > "$tmp/configure.log" 2>&1; then
  cat "$tmp/configure.log"; exit 1
fi
if ! cmake --build "$tmp/build" -j2 > "$tmp/build.log" 2>&1; then
  tail -40 "$tmp/build.log"; exit 1
fi
"$tmp/build/vendored" || bad "consumer linked to occam::occam failed"
"$tmp/build/vendored_static" || bad "consumer linked to occam::occam_static failed"
readelf -d "$tmp/build/vendored" | grep -q 'liboccam.so.0' || bad "vendored does not use liboccam.so.0"
if readelf -d "$tmp/build/vendored_static" | grep -q 'liboccam'; then bad "vendored_static needs liboccam.so"; fi

# a guest: no occam tests, CLI, benchmarks; no install rules; no build type forced
for d in tests examples bench; do
  [ ! -e "$tmp/build/occam/$d" ] || bad "occam/$d was configured in a vendored build"
done
if grep -q 'add_test' "$tmp/build/occam/CTestTestfile.cmake" 2> /dev/null; then bad "occam added ctest tests"; fi
cmake --install "$tmp/build" --prefix "$tmp/prefix" > "$tmp/install.log" 2>&1 || true
if [ -e "$tmp/prefix" ] && find "$tmp/prefix" -name 'occam*' | grep -q .; then
  bad "occam installed files into the consumer's prefix:"; find "$tmp/prefix" -name 'occam*'
fi
bt=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=\(.*\)/\1/p' "$tmp/build/CMakeCache.txt")
[ -z "$bt" ] || bad "occam set the consumer's CMAKE_BUILD_TYPE to '$bt' (only a top-level occam may pick a default)"

if [ $fail -ne 0 ]; then exit 1; fi
echo "vendoring OK: add_subdirectory(occam) built occam::occam and occam::occam_static, consumers ran; no tests/CLI/bench/install rules added"
