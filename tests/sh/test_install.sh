#!/usr/bin/env bash
# Install the built tree into a temporary prefix, then build and run a small
# consumer three ways: find_package(occam CONFIG) with the shared and the
# static library, and pkg-config (shared, and --static).
set -euo pipefail
: "${OCCAM_SOURCE_DIR:?}" "${OCCAM_BINARY_DIR:?}"
if [ "${OCCAM_SANITIZE:-OFF}" = "ON" ]; then
  echo "skipped: sanitized build (consumers are built without ASan)"; exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$OCCAM_BINARY_DIR" --prefix "$tmp/prefix" > "$tmp/install.log"
test -f "$tmp/prefix/include/occam.h"
ls "$tmp"/prefix/lib*/liboccam.so.0 "$tmp"/prefix/lib*/liboccam.a > /dev/null

cmake -S "$OCCAM_SOURCE_DIR/tests/install" -B "$tmp/consumer" -DCMAKE_PREFIX_PATH="$tmp/prefix" > "$tmp/configure.log"
cmake --build "$tmp/consumer" > "$tmp/build.log"
"$tmp/consumer/consumer"
"$tmp/consumer/consumer_static"

# the installed CLI finds the installed library (RPATH $ORIGIN/../lib)
if [ -x "$tmp/prefix/bin/occam" ]; then
  "$tmp/prefix/bin/occam" --version
fi

pcdir=$(dirname "$(ls "$tmp"/prefix/lib*/pkgconfig/occam.pc)")
export PKG_CONFIG_PATH="$pcdir"
libdir=$(pkg-config --variable=libdir occam)
cc -o "$tmp/pc_shared" "$OCCAM_SOURCE_DIR/tests/install/main.c" $(pkg-config --cflags --libs occam) -Wl,-rpath,"$libdir"
"$tmp/pc_shared"
cc -o "$tmp/pc_static" "$OCCAM_SOURCE_DIR/tests/install/main.c" -DOCCAM_STATIC $(pkg-config --cflags occam) \
   "$libdir/liboccam.a" $(pkg-config --static --libs-only-l --libs-only-L lapacke blas zlib) -lm
"$tmp/pc_static"
echo "install consumers: find_package shared+static, pkg-config shared+static OK"
