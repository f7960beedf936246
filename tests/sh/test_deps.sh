#!/usr/bin/env bash
# Every Python module, R package and command that tests/, examples/, bench/
# and tools/ use comes from a Debian package that tools/install-deps.sh
# installs, and every such package is installed here (tools/check-deps.py).
# Then a self-test: removing a package the tests need from a copy of the
# list makes the check fail with a line naming that package and the file
# that needs it (the failure of issue 10: statsmodels imported by
# test_cli_linear.sh, never installed).
set -euo pipefail
: "${OCCAM_SOURCE_DIR:?}"
py=/usr/bin/python3
check="$OCCAM_SOURCE_DIR/tools/check-deps.py"
deps="$OCCAM_SOURCE_DIR/tools/install-deps.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

"$py" "$check" --installed || fail=1

# without PKG in the list, the check must fail and name PKG and FILE
expect_named() {
  local pkg=$1 file=$2
  sed "s/^\(  .*\)\b$pkg\b/\1/" "$deps" > "$tmp/deps.sh"
  if grep -qw -- "$pkg" <(sed -n '/^packages=(/,/^)/p' "$tmp/deps.sh" | sed 's/#.*//'); then
    echo "FAIL: self-test could not remove $pkg from the copy"; fail=1; return
  fi
  if "$py" "$check" --deps "$tmp/deps.sh" > "$tmp/out" 2>&1; then
    echo "FAIL: check-deps passed with $pkg removed from the list"; fail=1
  elif grep -q "^check-deps: Debian package $pkg is needed .*add $pkg to its packages list. Needed by .*$file:[0-9]" "$tmp/out"; then
    echo "ok: without $pkg: $(grep -m1 "$pkg" "$tmp/out")"
  else
    echo "FAIL: with $pkg removed, no line names $pkg and $file:"; cat "$tmp/out"; fail=1
  fi
}
expect_named python3-statsmodels tests/sh/test_cli_linear.sh
expect_named python3-numpy examples/python/occam/_arrays.py
expect_named r-cran-jsonlite tests/sh/test_r.sh
expect_named r-base-core tests/sh/test_cli_glm_rprint.sh
exit $fail
