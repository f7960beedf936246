# cli_testlib.sh -- helpers sourced by tests/sh/test_cli_*.sh (not a test
# itself: ctest runs only test_*.sh).
#
# ctest sets OCCAM_CLI (the built occam binary), OCCAM_SOURCE_DIR and
# OCCAM_BINARY_DIR.  Numeric comparisons run in /usr/bin/python3 (Debian's,
# with numpy/statsmodels), never in the shell.

set -u

: "${OCCAM_CLI:?OCCAM_CLI must name the occam binary}"
: "${OCCAM_SOURCE_DIR:?OCCAM_SOURCE_DIR must name the source tree}"

PY=/usr/bin/python3
DATA="$OCCAM_SOURCE_DIR/data/glm"
REF="$OCCAM_SOURCE_DIR/tests/data/glm"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/occam_cli_test.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

FAILURES=0
CHECKS=0

pass() { CHECKS=$((CHECKS + 1)); echo "ok   - $*"; }
fail() { CHECKS=$((CHECKS + 1)); FAILURES=$((FAILURES + 1)); echo "FAIL - $*"; }

# run NAME ARGS...: run occam, keep stdout/stderr in $WORK/NAME.out/.err and
# the exit status in $RC.
run() {
    local name=$1
    shift
    "$OCCAM_CLI" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err"
    RC=$?
}

# expect_ok NAME: last run exited 0.
expect_ok() {
    if [ "$RC" -eq 0 ]; then pass "$1: exit 0"; else
        fail "$1: exit $RC, stderr: $(head -c 300 "$WORK/$1.err")"; fi
}

# expect_error NAME STATUS PATTERN...: last run exited with STATUS, wrote
# exactly one line on stderr, and that line matches every grep -E PATTERN.
expect_error() {
    local name=$1 status=$2
    shift 2
    local err="$WORK/$name.err"
    if [ "$RC" -ne "$status" ]; then
        fail "$name: exit $RC, expected $status (stderr: $(head -c 300 "$err"))"
        return
    fi
    local lines
    lines=$(wc -l <"$err")
    if [ "$lines" -ne 1 ] || [ "$(tail -c 1 "$err" | od -An -c | tr -d ' ')" != '\n' ]; then
        fail "$name: stderr has $lines lines, expected exactly one: $(head -c 300 "$err")"
        return
    fi
    local pat
    for pat in "$@"; do
        if ! grep -Eq -- "$pat" "$err"; then
            fail "$name: stderr '$(cat "$err")' does not match /$pat/"
            return
        fi
    done
    pass "$name: exit $status, one line: $(cat "$err")"
}

finish() {
    echo "$CHECKS checks, $FAILURES failed"
    [ "$FAILURES" -eq 0 ]
    exit $?
}
