#!/usr/bin/env bash
# The R package (examples/r) with Debian's r-base-core (+ r-base-dev to
# compile, r-cran-jsonlite for the Pareto/NBD reference file, r-cran-mass for
# the Insurance data and R 4.2's confint.glm, the profile reference).  A copy of the
# package is installed into a temporary library and examples/r/tests/test_*.R
# run with R_LIBS:
#  - normal build: against this build installed into a temporary prefix,
#    found through pkg-config (the README route); then once more against the
#    build tree itself (OCCAM_CFLAGS / OCCAM_LIBS, the documented
#    alternative), which must load;
#  - sanitized build: against the build tree, the glue compiled with
#    ASan/UBSan too, R run with the runtimes preloaded (sanitize_preload.sh).
set -euo pipefail
: "${OCCAM_SOURCE_DIR:?}" "${OCCAM_BINARY_DIR:?}"
# shellcheck source=sanitize_preload.sh
source "$(dirname "$0")/sanitize_preload.sh"
for tool in R Rscript pkg-config; do
  command -v "$tool" > /dev/null || { echo "FAIL: $tool not found: apt-get install r-base-core r-base-dev pkg-config"; exit 1; }
done
Rscript -e 'library(jsonlite)' > /dev/null 2>&1 || { echo "FAIL: R package jsonlite missing: apt-get install r-cran-jsonlite"; exit 1; }
Rscript -e 'library(MASS)' > /dev/null 2>&1 || { echo "FAIL: R package MASS missing: apt-get install r-cran-mass"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/lib" "$tmp/lib2"

install_package() { # library dir, then environment assignments for R CMD INSTALL
  local lib=$1
  shift
  rm -rf "$tmp/occam"
  cp -r "$OCCAM_SOURCE_DIR/examples/r" "$tmp/occam"  # R CMD INSTALL builds in the package directory
  if ! (cd "$tmp" && env "$@" "${SAN_ENV[@]}" R CMD INSTALL -l "$lib" "$tmp/occam" > "$tmp/r-install.log" 2>&1); then
    cat "$tmp/r-install.log"; exit 1
  fi
  grep '^occam: using' "$tmp/r-install.log"
}

tree_flags=(OCCAM_CFLAGS="-I$OCCAM_SOURCE_DIR/include" OCCAM_LIBS="-L$OCCAM_BINARY_DIR -loccam -Wl,-rpath,$OCCAM_BINARY_DIR")
if [ ${#SAN_ENV[@]} -gt 0 ]; then
  san="-fsanitize=address,undefined -fno-omit-frame-pointer"
  install_package "$tmp/lib" OCCAM_CFLAGS="-I$OCCAM_SOURCE_DIR/include $san" \
    OCCAM_LIBS="$san -L$OCCAM_BINARY_DIR -loccam -Wl,-rpath,$OCCAM_BINARY_DIR"
else
  cmake --install "$OCCAM_BINARY_DIR" --prefix "$tmp/prefix" > "$tmp/install.log"
  install_package "$tmp/lib" PKG_CONFIG_PATH="$(dirname "$(ls "$tmp"/prefix/lib*/pkgconfig/occam.pc)")"
fi

cp -r "$OCCAM_SOURCE_DIR/examples/r/tests" "$tmp/tests"
cd "$tmp/tests"
for t in test_*.R; do
  env "${SAN_ENV[@]}" R_LIBS="$tmp/lib" OCCAM_SOURCE_DIR="$OCCAM_SOURCE_DIR" Rscript "$t"
done
cd "$tmp"

if [ ${#SAN_ENV[@]} -eq 0 ]; then
  install_package "$tmp/lib2" -u PKG_CONFIG_PATH "${tree_flags[@]}"
  version=$(sed -n 's/^#define OCCAM_VERSION_STRING "\(.*\)".*/\1/p' "$OCCAM_SOURCE_DIR/include/occam.h")
  R_LIBS="$tmp/lib2" Rscript -e "library(occam); stopifnot(occam_version() == '$version'); cat('build-tree install loads occam', occam_version(), '\n')"
fi
