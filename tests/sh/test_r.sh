#!/usr/bin/env bash
# The R package (examples/r) with Debian's r-base-core (+ r-base-dev to
# compile, r-cran-jsonlite for the Pareto/NBD reference file):
#  1. install this build into a temporary prefix and R CMD INSTALL a copy of
#     the package against it through pkg-config (the README route), into a
#     temporary library; run examples/r/tests/test_*.R with R_LIBS;
#  2. install it once more against the build tree itself (OCCAM_CFLAGS /
#     OCCAM_LIBS, the documented alternative) and load it.
set -euo pipefail
: "${OCCAM_SOURCE_DIR:?}" "${OCCAM_BINARY_DIR:?}"
if [ "${OCCAM_SANITIZE:-OFF}" = "ON" ]; then
  echo "skipped: sanitized build (an ASan-instrumented liboccam cannot be loaded into an uninstrumented R)"
  exit 0
fi
for tool in R Rscript pkg-config; do
  command -v "$tool" > /dev/null || { echo "FAIL: $tool not found: apt-get install r-base-core r-base-dev pkg-config"; exit 1; }
done
Rscript -e 'library(jsonlite)' > /dev/null 2>&1 || { echo "FAIL: R package jsonlite missing: apt-get install r-cran-jsonlite"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cmake --install "$OCCAM_BINARY_DIR" --prefix "$tmp/prefix" > "$tmp/install.log"
PKG_CONFIG_PATH="$(dirname "$(ls "$tmp"/prefix/lib*/pkgconfig/occam.pc)")"
export PKG_CONFIG_PATH
mkdir "$tmp/lib" "$tmp/lib2"
cp -r "$OCCAM_SOURCE_DIR/examples/r" "$tmp/occam"  # R CMD INSTALL builds in the package directory
if ! R CMD INSTALL -l "$tmp/lib" "$tmp/occam" > "$tmp/r-install.log" 2>&1; then
  cat "$tmp/r-install.log"; exit 1
fi
grep '^occam: using' "$tmp/r-install.log"

cd "$tmp/occam/tests"
for t in test_*.R; do
  R_LIBS="$tmp/lib" OCCAM_SOURCE_DIR="$OCCAM_SOURCE_DIR" Rscript "$t"
done

cd "$tmp"
rm -rf "$tmp/occam"
cp -r "$OCCAM_SOURCE_DIR/examples/r" "$tmp/occam"
if ! env -u PKG_CONFIG_PATH OCCAM_CFLAGS="-I$OCCAM_SOURCE_DIR/include" \
     OCCAM_LIBS="-L$OCCAM_BINARY_DIR -loccam -Wl,-rpath,$OCCAM_BINARY_DIR" \
     R CMD INSTALL -l "$tmp/lib2" "$tmp/occam" > "$tmp/r-install2.log" 2>&1; then
  cat "$tmp/r-install2.log"; exit 1
fi
R_LIBS="$tmp/lib2" Rscript -e 'library(occam); stopifnot(occam_version() == "'"$(sed -n 's/^#define OCCAM_VERSION_STRING "\(.*\)".*/\1/p' "$OCCAM_SOURCE_DIR/include/occam.h")"'"); cat("build-tree install loads occam", occam_version(), "\n")'
