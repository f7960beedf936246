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

# join_case JSON OUT: write OUT = X columns (no Intercept) + y, weights, offset;
# print the occam fit glm arguments for the case.
join_case() {
    "$PY" - "$1" "$2" "$REF" <<'EOF'
import csv, json, sys
ref = json.load(open(sys.argv[1])); out = sys.argv[2]; base = sys.argv[3]
def rel(p):
    return base + "/" + (p[len("shared/data/glm/"):] if p.startswith("shared/data/glm/") else p)
X = list(csv.reader(open(rel(ref["x_csv"]))))
Y = list(csv.reader(open(rel(ref["y_csv"]))))
keep = [j for j, n in enumerate(X[0]) if n != "Intercept"]
with open(out, "w", newline="") as f:
    w = csv.writer(f)
    for xr, yr in zip(X, Y):
        w.writerow([xr[j] for j in keep] + (["yy", "ww", "oo"] if xr is X[0] else yr))
args = ["--family", ref["family"], "--link", ref["link"], "--y", "yy",
        "--x", ",".join(X[0][j] for j in keep)]
if ref["has_prior_weights"]: args += ["--weights", "ww"]
if ref["has_offset"]: args += ["--offset", "oo"]
if not ref["has_intercept"]: args += ["--no-intercept"]
if ref.get("start"): args += ["--start", ",".join("%.17g" % v for v in ref["start"])]
ctl = ref.get("control")
if ctl: args += ["--maxit", str(ctl["maxit"])]
print("\n".join(args))
EOF
}

# glm_check_ref COEF_CSV SUMMARY_OUT JSON: the --coef-csv estimates and std.
# errors of a fit (relative error <= 1e-6, issue 3) and its printed null and
# residual deviance, AIC, iterations, call, dispersion and statistic lines
# against R's glm() reference JSON; prints "ok" or fails (exit 1).
glm_check_ref() {
    "$PY" - "$1" "$2" "$3" <<'EOF'
import csv, json, math, re, sys
coef, out, ref = sys.argv[1], open(sys.argv[2]).read(), json.load(open(sys.argv[3]))
rows = list(csv.reader(open(coef)))[1:]
names = ["(Intercept)"] if ref["has_intercept"] else []
names += [n for n in ref["x_columns"] if n != "Intercept"]
assert [r[0] for r in rows] == names, "terms %r vs %r" % ([r[0] for r in rows], names)
for r, b, s, al in zip(rows, ref["coefficients"], ref["std_errors"], ref["aliased"]):
    if al:
        assert r[1:] == ["NA"] * 4, "aliased row %r" % r
        continue
    for got, want, what in ((float(r[1]), b, "estimate"), (float(r[2]), s, "std. error")):
        err = abs(got - want) / max(abs(want), 1e-10 * s)
        assert err <= 1e-6, "%s %s: %r vs R %r" % (r[0], what, got, want)
def r_format(vals, digits):   # R's format() of a numeric vector, fixed notation
    dec = 0
    for v in vals:
        s = float("%.*g" % (digits, v))
        e = math.floor(math.log10(abs(s))) if s else 0
        d = max(0, digits - 1 - e)
        while d > 0 and ("%.*f" % (d, s)).endswith("0"): d -= 1
        dec = max(dec, d)
    return ["%.*f" % (dec, v) for v in vals]
nd, rd = r_format([ref["null_deviance"], ref["deviance"]], 5)
w = max(len(nd), len(rd))
want = "    Null deviance: %*s  on %d  degrees of freedom" % (w, nd, ref["df_null"])
assert want in out.replace("on  ", "on "), "missing %r" % want
want = "Residual deviance: %*s  on" % (w, rd)
assert want in out, "missing %r" % want
aic = "NA" if ref["aic"] is None else ("%.5g" % ref["aic"])
assert ("AIC: %s\n" % aic) in out, "AIC line, R %s" % aic
assert ("Number of Fisher Scoring iterations: %d\n" % ref["iter"]) in out, "iterations, R %d" % ref["iter"]
assert ("family = %s(link = \"%s\")" % (ref["family"], ref["link"])) in out, "call line"
assert ("(Dispersion parameter for %s family taken to be" % ref["family"]) in out
assert ("z value" if ref["statistic_name"] == "z value" else "t value") in out
print("ok")
EOF
}

finish() {
    echo "$CHECKS checks, $FAILURES failed"
    [ "$FAILURES" -eq 0 ]
    exit $?
}
