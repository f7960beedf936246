#!/usr/bin/env bash
# The Python binding (examples/python) under Debian's /usr/bin/python3 with
# python3-numpy, python3-pytest (and python3-cffi for the header checks):
# runs examples/python/tests against the shared library of this build, with
# the CLI of this build for the C cross-checks.  Sanitized builds run it with
# the ASan/UBSan runtimes preloaded into python3 (sanitize_preload.sh).
set -euo pipefail
: "${OCCAM_SOURCE_DIR:?}" "${OCCAM_BINARY_DIR:?}"
# shellcheck source=sanitize_preload.sh
source "$(dirname "$0")/sanitize_preload.sh"
py=/usr/bin/python3
if ! "$py" -c 'import numpy, pytest' 2> /dev/null; then
  echo "FAIL: $py lacks numpy or pytest: apt-get install python3-numpy python3-pytest python3-cffi (tools/install-deps.sh)"
  exit 1
fi
export OCCAM_LIBRARY="$OCCAM_BINARY_DIR/liboccam.so"
export PYTHONDONTWRITEBYTECODE=1  # keep the source tree clean
cd "$OCCAM_SOURCE_DIR"
exec env "${SAN_ENV[@]}" "$py" -m pytest -q -p no:cacheprovider examples/python/tests
