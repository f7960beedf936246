#!/usr/bin/env bash
# README command (2): install dependencies, build, and run every test twice:
# a Release build, and a Debug build with -fsanitize=address,undefined.
# Both builds run even when the first fails; the last lines sum them up and
# the exit status is 0 only when every test passed in both.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install-deps.sh
# every Python module, R package and command the tests use is installed by
# tools/install-deps.sh: a missing one is named here, before any build
/usr/bin/python3 tools/check-deps.py --installed
jobs=$(nproc)
summary=()
status=0
for config in release sanitize; do
  dir=build-test-$config
  if [ $config = release ]; then flags=(-DCMAKE_BUILD_TYPE=Release); else flags=(-DCMAKE_BUILD_TYPE=Debug -DOCCAM_SANITIZE=ON); fi
  echo "== $config: configure and build ($dir)"
  cmake -S . -B "$dir" "${flags[@]}" > "$dir.configure.log" 2>&1 || { cat "$dir.configure.log"; exit 1; }
  cmake --build "$dir" -j"$jobs" > "$dir.build.log" 2>&1 || { tail -50 "$dir.build.log"; exit 1; }
  echo "== $config: ctest"
  if ctest --test-dir "$dir" --output-on-failure -j"$jobs" | tee "$dir.ctest.log"; then
    result=$(grep -m1 'tests passed' "$dir.ctest.log")
  else
    status=1
    result="FAILED: $(grep -m1 'tests passed' "$dir.ctest.log" || echo 'ctest did not finish')"
  fi
  summary+=("== $config: $result")
done
printf '%s\n' "${summary[@]}"
exit $status
