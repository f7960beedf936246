#!/usr/bin/env bash
# README command (1): install dependencies, build, and run the main job on the
# bundled real data: fit, print the summary, save, reload and predict.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release > build-configure.log 2>&1 ||
  { cat build-configure.log; echo "demo: cmake configure failed (log above, in build-configure.log)"; exit 1; }
cmake --build build -j"$(nproc)" > build.log 2>&1 ||
  { tail -50 build.log; echo "demo: build failed (last lines above, all in build.log)"; exit 1; }
occam=build/examples/occam
out=$(mktemp -d)

echo "== Linear model on R's LifeCycleSavings data (data/glm/LifeCycleSavings.csv)"
$occam fit linear --data data/glm/LifeCycleSavings.csv --y sr --save "$out/savings.occam"
echo
echo "== Reload the saved model and predict the first 5 countries"
head -6 data/glm/LifeCycleSavings.csv > "$out/new.csv"
$occam predict "$out/savings.occam" --data "$out/new.csv"
for demo in examples/*_demo.sh; do
  [ -e "$demo" ] || continue
  echo
  bash "$demo" "$occam" "$out"
done
rm -rf "$out"
