#!/usr/bin/env bash
# README command (2): install dependencies, build, and run every test twice:
# a Release build, and a Debug build with -fsanitize=address,undefined.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install-deps.sh
jobs=$(nproc)
for config in release sanitize; do
  dir=build-test-$config
  if [ $config = release ]; then flags=(-DCMAKE_BUILD_TYPE=Release); else flags=(-DCMAKE_BUILD_TYPE=Debug -DOCCAM_SANITIZE=ON); fi
  echo "== $config: configure and build ($dir)"
  cmake -S . -B "$dir" "${flags[@]}" > "$dir.configure.log" 2>&1 || { cat "$dir.configure.log"; exit 1; }
  cmake --build "$dir" -j"$jobs" > "$dir.build.log" 2>&1 || { tail -50 "$dir.build.log"; exit 1; }
  echo "== $config: ctest"
  ctest --test-dir "$dir" --output-on-failure -j"$jobs"
done
