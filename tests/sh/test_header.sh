#!/usr/bin/env bash
# Header hygiene: include/occam.h compiles on its own (included first, twice)
# as C99, C11 and C17 (gcc and clang) and as C++11/17/20 (g++ and clang++),
# with -Wall -Wextra -Werror -pedantic and a few stricter warnings; the C and
# C++ programs then link against the built shared library and run, which
# checks the extern "C" guards (a mangled name would not link) and that the
# header and the library agree on the version.
set -euo pipefail
: "${OCCAM_SOURCE_DIR:?}" "${OCCAM_BINARY_DIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# One translation unit, valid C and C++: uses enum constants of every kind,
# a macro, and takes the address of functions from each part of the API.
cat > "$tmp/use.c" <<'SRC'
#include <occam.h>
#include <occam.h> /* include guard */
#include <stdio.h>

#ifdef __cplusplus
#define NO_MODEL nullptr
#else
#define NO_MODEL NULL
#endif

int main(void)
{
    int (*fit)(occam_model *, const occam_opts *, const double *, int64_t, int64_t, int64_t, int,
               const double *, const double *, const double *) = occam_model_fit;
    int (*ser)(const occam_model *, void *, size_t, size_t *) = occam_model_serialize;
    int checks[] = {OCCAM_OK, OCCAM_W_NOT_CONVERGED, OCCAM_E_INTERNAL, OCCAM_ROW_MAJOR, OCCAM_COL_MAJOR,
                    OCCAM_MODEL_PNBD, OCCAM_FAMILY_GAMMA, OCCAM_LINK_INVERSE_SQUARE, OCCAM_OPT_EPSILON,
                    OCCAM_SOLVER_QR, OCCAM_PREDICT_PALIVE, OCCAM_COEF_P_VALUE, OCCAM_INFO_AIC,
                    OCCAM_COND_RANK_DEFICIENT, OCCAM_ROWS_FITTED};
    occam_model *m = NO_MODEL;
    int rc;
    (void)fit;
    (void)ser;
    (void)checks;
    if (occam_version_number() != OCCAM_VERSION_NUMBER) {
        printf("header %d != library %d\n", OCCAM_VERSION_NUMBER, occam_version_number());
        return 1;
    }
    rc = occam_linear_new(&m);
    if (rc != OCCAM_OK)
        return 1;
    occam_model_free(m);
    printf("occam %s: %s\n", occam_version_string(), occam_status_name(OCCAM_E_NULL));
    return 0;
}
SRC
cp "$tmp/use.c" "$tmp/use.cpp"

inc=(-I"$OCCAM_SOURCE_DIR/include")
warn=(-Wall -Wextra -Werror -pedantic -Wshadow -Wundef -Wredundant-decls -Wcast-qual)
cwarn=(-Wstrict-prototypes -Wmissing-prototypes -Wold-style-definition -Wdeclaration-after-statement)
cxxwarn=(-Wold-style-cast -Wzero-as-null-pointer-constant -Wuseless-cast)
link=("$OCCAM_BINARY_DIR/liboccam.so" -Wl,-rpath,"$OCCAM_BINARY_DIR")
san=()
if [ "${OCCAM_SANITIZE:-OFF}" = "ON" ]; then
  # the library is instrumented: the programs must load the same runtimes
  san=(-fsanitize=address,undefined)
fi

n=0
compile() { # compiler, standard, source, extra warnings...
  local cc=$1 std=$2 src=$3
  shift 3
  local exe="$tmp/prog_${cc//+/x}_$std"
  if [ ${#san[@]} -gt 0 ] && [[ $cc == clang* ]]; then
    # clang's ASan runtime is not gcc's, which the sanitized library carries: compile only
    "$cc" "-std=$std" "${inc[@]}" "${warn[@]}" "$@" -c "$src" -o "$exe.o" 2> "$tmp/err" \
      || { echo "FAIL: $cc -std=$std"; cat "$tmp/err"; exit 1; }
    n=$((n + 1))
    return
  fi
  if ! "$cc" "-std=$std" "${inc[@]}" "${warn[@]}" "$@" "${san[@]}" "$src" "${link[@]}" -o "$exe" 2> "$tmp/err"; then
    echo "FAIL: $cc -std=$std"; cat "$tmp/err"; exit 1
  fi
  "$exe" > /dev/null || { echo "FAIL: running the $cc -std=$std program"; exit 1; }
  n=$((n + 1))
}
for std in c99 c11 c17; do
  compile gcc "$std" "$tmp/use.c" "${cwarn[@]}"
done
for std in c++11 c++17 c++20; do
  compile g++ "$std" "$tmp/use.cpp" "${cxxwarn[@]}"
done
if command -v clang > /dev/null && command -v clang++ > /dev/null; then
  for std in c99 c11; do compile clang "$std" "$tmp/use.c" "${cwarn[@]}"; done
  compile clang++ c++17 "$tmp/use.cpp" -Wold-style-cast -Wzero-as-null-pointer-constant
else
  echo "note: clang not installed, gcc/g++ only"
fi
note=""
if [ ${#san[@]} -gt 0 ]; then note=" (sanitized build: the clang ones compiled only)"; fi
echo "occam.h: $n compiler/standard combinations compiled with -Werror, linked and ran$note"
