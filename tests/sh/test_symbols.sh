#!/usr/bin/env bash
# Symbol hygiene of the built libraries (nm, readelf):
#  1. the shared library's SONAME is liboccam.so.<major> and the real file is
#     liboccam.so.<OCCAM_VERSION_STRING> (both from include/occam.h);
#  2. it exports no symbol but occam_* and exactly the functions declared
#     OCCAM_API in include/occam.h (nothing internal leaks, nothing declared
#     is missing);
#  3. hidden visibility by default: the occam__ internals present in the
#     static library are not in the dynamic symbol table;
#  4. every global symbol defined in the static library carries the prefix:
#     occam_ for public functions (declared in occam.h), occam__ for internals;
#  5. the library calls nothing that prints, terminates, asserts, uses the
#     C RNG, [v]sprintf or libm's lgamma (writes the global signgam): the
#     rules of the project and of CRAN for compiled code that R loads.
set -euo pipefail
: "${OCCAM_SOURCE_DIR:?}" "${OCCAM_BINARY_DIR:?}"
header="$OCCAM_SOURCE_DIR/include/occam.h"
so="$OCCAM_BINARY_DIR/liboccam.so"
ar="$OCCAM_BINARY_DIR/liboccam.a"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }

# ---- 1. SONAME and version
major=$(sed -n 's/^#define OCCAM_VERSION_MAJOR \([0-9]*\).*/\1/p' "$header")
version=$(sed -n 's/^#define OCCAM_VERSION_STRING "\(.*\)".*/\1/p' "$header")
soname=$(readelf -d "$so" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
[ "$soname" = "liboccam.so.$major" ] || bad "SONAME is '$soname', expected liboccam.so.$major"
[ -f "$OCCAM_BINARY_DIR/liboccam.so.$version" ] || bad "liboccam.so.$version missing"
[ "$(readlink -f "$OCCAM_BINARY_DIR/liboccam.so.$major")" = "$(readlink -f "$OCCAM_BINARY_DIR/liboccam.so.$version")" ] \
  || bad "liboccam.so.$major does not point to liboccam.so.$version"

# ---- 2. exported symbols == OCCAM_API declarations
# declarations may span lines: join the header, then take the name before '('
grep -v "^[[:space:]]*#" "$header" | tr "\n" " " | grep -o 'OCCAM_API [^(;]*(' | sed 's/($//; s/.*[ *]//' | sort -u > "$tmp/declared"
nm -D --defined-only "$so" | awk '{print $NF}' | sort -u > "$tmp/exported"
[ -s "$tmp/declared" ] || bad "no OCCAM_API declarations found in occam.h"
if grep -v '^occam_[a-z0-9]' "$tmp/exported" > "$tmp/x"; then
  bad "shared library exports symbols without the occam_ prefix (or internal occam__ ones):"; sed 's/^/    /' "$tmp/x"
fi
if comm -23 "$tmp/exported" "$tmp/declared" > "$tmp/x" && [ -s "$tmp/x" ]; then
  bad "exported but not declared OCCAM_API in occam.h:"; sed 's/^/    /' "$tmp/x"
fi
if comm -13 "$tmp/exported" "$tmp/declared" > "$tmp/x" && [ -s "$tmp/x" ]; then
  bad "declared OCCAM_API in occam.h but not exported (missing definition?):"; sed 's/^/    /' "$tmp/x"
fi

# ---- 3 and 4. static library: prefix rule, internals hidden in the .so
# (ASan builds add __odr_asan.<symbol> companions of globals: judge the symbol)
nm -g --defined-only "$ar" | awk 'NF == 3 {print $3}' | sed 's/^__odr_asan\.//' | sort -u > "$tmp/static"
if grep -v '^occam_' "$tmp/static" > "$tmp/x"; then
  bad "global symbols of liboccam.a without the occam_ prefix (make them static or occam__):"
  while read -r sym; do
    echo "    $sym  (defined in: $(nm -A -g --defined-only "$ar" 2>/dev/null | awk -v s="$sym" '$NF == s || $NF == "__odr_asan." s {split($1, a, ":"); print a[2]}' | sort -u | tr '\n' ' '))"
  done < "$tmp/x"
fi
grep '^occam_[a-z0-9]' "$tmp/static" > "$tmp/static_public" || true
if comm -23 "$tmp/static_public" "$tmp/declared" > "$tmp/x" && [ -s "$tmp/x" ]; then
  bad "public-looking globals (occam_, one underscore) not declared in occam.h; internals must be occam__:"
  sed 's/^/    /' "$tmp/x"
fi
grep '^occam__' "$tmp/static" > "$tmp/internal" || true
[ -s "$tmp/internal" ] || bad "no occam__ internals in liboccam.a: cannot check visibility"
if grep -q '^occam__' "$tmp/exported"; then bad "occam__ internals are exported: visibility is not hidden"; fi

# ---- 5. forbidden calls
forbidden='^(abort|exit|_exit|_Exit|quick_exit|__assert_fail|assert|printf|vprintf|puts|putchar|fprintf|vfprintf|fputs|fputc|putc|perror|stdout|stderr|rand|srand|random|srandom|drand48|sprintf|vsprintf|lgamma|lgammaf|lgammal|gamma|setlocale)$'
nm -u "$so" | awk '{print $NF}' | sed 's/@.*//' | sort -u > "$tmp/undefined"
if grep -E "$forbidden" "$tmp/undefined" > "$tmp/x"; then
  bad "the library calls functions it must not (prints, terminates, asserts, global RNG/state):"; sed 's/^/    /' "$tmp/x"
fi

if [ $fail -ne 0 ]; then exit 1; fi
echo "symbols OK: SONAME $soname, $(wc -l < "$tmp/exported") exported occam_* = OCCAM_API declarations," \
     "$(wc -l < "$tmp/internal") occam__ internals hidden, $(wc -l < "$tmp/static") static globals prefixed, no forbidden calls"
