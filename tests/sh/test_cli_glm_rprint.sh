#!/bin/bash
# test_cli_glm_rprint.sh -- `occam fit glm` prints summary(glm(...)) as R
# does, character for character.
#
# Reference: R's own print(summary(glm(...))) (R >= 4.2, Rscript, run in the
# C locale so that the significance legend has ASCII quotes, as occam prints
# it), generated here on the same CSV file with the same family, link,
# weights, offset, start and maxit.  Compared exactly: every line from
# "Deviance Residuals:" to the end (residuals, coefficient table, dispersion,
# null and residual deviance, AIC, iterations).  The "Call:" block differs by
# design (occam names the data file) and is not compared.  One allowance: a
# printed number may differ from R's by one unit in its last printed digit
# (same width and shape), as when the two values straddle a rounding
# boundary: on fittedzero_poisson_log R's own SE of the intercept is
# 8071.18740577 on one machine and 8071.18745947 on another (the BLAS kernel
# differs), printed 8071.1874 and 8071.1875.  The values themselves are
# compared with R's at 1e-6 in check_glm; the test names every such digit.
#
# Cases: the separated binomial fit x = 1..4, y = 0,0,1,1 (deviances printed
# in R's common scientific format, 5.5452e+00 / 2.1755e-10, and an Estimate
# column as wide as the Std. Error column), and every case of
# tests/data/glm/*.json and tests/data/glm/extra/*.json except
# dobson_poisson_log, whose treatment coefficients are exact zeros in theory
# and rounding noise (~1e-16) in practice, printed as different noise by R
# and occam.  Three cases again with --threads 3 (the same summary).
. "$(dirname "$0")/cli_testlib.sh" || exit 1

if ! command -v Rscript >/dev/null; then
    fail "Rscript not found (apt-get install r-base-core): R's printed summaries are the reference"
    finish
fi

# join_case JSON NAME: write $WORK/NAME.csv (X columns without the intercept,
# then yy, ww, oo), $WORK/NAME.args (occam fit glm arguments, one a line) and
# append R's call to $WORK/all.R, printing to $WORK/NAME.r.
join_case() {
    "$PY" - "$1" "$WORK/$2.csv" "$REF" "$WORK/$2" "$WORK/all.R" <<'EOF'
import csv, json, sys
ref = json.load(open(sys.argv[1])); out, base, stem, rfile = sys.argv[2:6]
def rel(p):
    return base + "/" + (p[len("shared/data/glm/"):] if p.startswith("shared/data/glm/") else p)
X = list(csv.reader(open(rel(ref["x_csv"]))))
Y = list(csv.reader(open(rel(ref["y_csv"]))))
keep = [j for j, n in enumerate(X[0]) if n != "Intercept"]
with open(out, "w", newline="") as f:
    w = csv.writer(f)
    for xr, yr in zip(X, Y):
        w.writerow([xr[j] for j in keep] + (["yy", "ww", "oo"] if xr is X[0] else yr))
xs = [X[0][j] for j in keep]
args = ["--family", ref["family"], "--link", ref["link"], "--y", "yy", "--x", ",".join(xs)]
rhs = " + ".join("`%s`" % x for x in xs) if xs else "1"
extra = ""
if not ref["has_intercept"]:
    args += ["--no-intercept"]; rhs += " - 1"
if ref["has_prior_weights"]:
    args += ["--weights", "ww"]; extra += ", weights = ww"
if ref["has_offset"]:
    args += ["--offset", "oo"]; extra += ", offset = oo"
if ref.get("start"):
    s = ",".join("%.17g" % v for v in ref["start"])
    args += ["--start", s]; extra += ", start = c(%s)" % s
if ref.get("control"):
    args += ["--maxit", str(ref["control"]["maxit"])]
    extra += ", control = glm.control(maxit = %d)" % ref["control"]["maxit"]
open(stem + ".args", "w").write("\n".join(args) + "\n")
with open(rfile, "a") as f:
    f.write('d <- read.csv("%s", check.names = FALSE)\n' % out)
    f.write('fit <- suppressWarnings(glm(yy ~ %s, family = %s(link = "%s"), data = d%s))\n'
            % (rhs, ref["family"], ref["link"], extra))
    f.write('writeLines(capture.output(print(summary(fit))), "%s.r")\n' % stem)
EOF
}

: >"$WORK/all.R"
names=()
# the separated fit of the bug report
printf 'x,yy\n1,0\n2,0\n3,1\n4,1\n' >"$WORK/separated.csv"
printf '%s\n' --family binomial --y yy --x x >"$WORK/separated.args"
cat >>"$WORK/all.R" <<EOF
d <- read.csv("$WORK/separated.csv")
fit <- suppressWarnings(glm(yy ~ x, family = binomial(link = "logit"), data = d))
writeLines(capture.output(print(summary(fit))), "$WORK/separated.r")
EOF
names+=(separated)
for json in "$REF"/*.json "$REF"/extra/*.json; do
    name=$(basename "$json" .json)
    [ "$name" = dobson_poisson_log ] && continue
    join_case "$json" "$name" || { fail "$name: cannot build the case"; continue; }
    names+=("$name")
done
if ! LC_ALL=C Rscript "$WORK/all.R" >"$WORK/all.R.log" 2>&1; then
    fail "Rscript failed: $(tail -3 "$WORK/all.R.log")"
    finish
fi

# from "Deviance Residuals:" to the end
tail_from_residuals() { sed -n '/^Deviance Residuals:/,$p' "$1"; }

# last_digit_only OCCAM R: succeed, printing the numbers, when the two texts
# have the same lines but for numbers of the same width and shape that
# differ by one unit in their last printed digit.
last_digit_only() {
    "$PY" - "$1" "$2" <<'EOF'
import re, sys
a, b = (open(f).read().split("\n") for f in sys.argv[1:3])
num = re.compile(r"^-?\d+(\.\d+)?(e[-+]\d+)?$")
def one_unit_apart(x, y):
    if not (num.match(x) and num.match(y)) or re.sub(r"\d", "0", x) != re.sub(r"\d", "0", y):
        return False
    (mx, _, ex), (my, _, ey) = x.partition("e"), y.partition("e")
    if ex != ey or x.startswith("-") != y.startswith("-"):
        return False
    return abs(int(re.sub(r"\D", "", mx)) - int(re.sub(r"\D", "", my))) == 1
found = []
if len(a) != len(b):
    sys.exit(1)
for la, lb in zip(a, b):
    ta, tb = la.split(" "), lb.split(" ")
    if len(ta) != len(tb):
        sys.exit(1)
    for x, y in zip(ta, tb):
        if x != y:
            if not one_unit_apart(x, y):
                sys.exit(1)
            found.append("%s (R %s)" % (x, y))
print(", ".join(found))
EOF
}

for name in "${names[@]}"; do
    mapfile -t args <"$WORK/$name.args"
    run "$name" fit glm --data "$WORK/$name.csv" "${args[@]}"
    if [ "$RC" -ne 0 ]; then fail "$name: exit $RC: $(head -c 300 "$WORK/$name.err")"; continue; fi
    tail_from_residuals "$WORK/$name.out" >"$WORK/$name.occam.txt"
    tail_from_residuals "$WORK/$name.r" >"$WORK/$name.r.txt"
    if [ ! -s "$WORK/$name.r.txt" ]; then fail "$name: no R output"; continue; fi
    if cmp -s "$WORK/$name.occam.txt" "$WORK/$name.r.txt"; then
        pass "$name: summary = R's print(summary(glm)) ($(wc -l <"$WORK/$name.r.txt") lines)"
    elif digits=$(last_digit_only "$WORK/$name.occam.txt" "$WORK/$name.r.txt"); then
        pass "$name: summary = R's print(summary(glm)) but for one unit in the last digit of $digits"
    else
        fail "$name: summary differs from R's (< occam, > R): $(diff "$WORK/$name.occam.txt" "$WORK/$name.r.txt" | head -12)"
    fi
done

# --threads 3 (the rows split over three threads) prints the same summary
for name in warpbreaks_poisson_log esoph_binomial_logit insurance_poisson_log_offset; do
    [ -f "$WORK/$name.args" ] || { fail "$name: case missing"; continue; }
    mapfile -t args <"$WORK/$name.args"
    run "$name-threads" fit glm --data "$WORK/$name.csv" "${args[@]}" --threads 3
    tail_from_residuals "$WORK/$name-threads.out" >"$WORK/$name-threads.occam.txt"
    if [ "$RC" -eq 0 ] && cmp -s "$WORK/$name-threads.occam.txt" "$WORK/$name.r.txt"; then
        pass "$name --threads 3: summary = R's"
    else
        fail "$name --threads 3: exit $RC: $(diff "$WORK/$name-threads.occam.txt" "$WORK/$name.r.txt" | head -12)"
    fi
done
run threads-0 fit glm --data "$WORK/separated.csv" --family binomial --y yy --x x --threads 0
if [ "$RC" -eq 2 ] && grep -q "threads" "$WORK/threads-0.err"; then pass "--threads 0: usage error"
else fail "--threads 0: exit $RC: $(cat "$WORK/threads-0.err")"; fi

# the two lines of the bug report, spelled out
if grep -qx '    Null deviance: 5.5452e+00  on 3  degrees of freedom' "$WORK/separated.out" &&
    grep -qx 'Residual deviance: 2.1755e-10  on 2  degrees of freedom' "$WORK/separated.out"; then
    pass "separated: deviances 5.5452e+00 and 2.1755e-10 as R prints them"
else fail "separated: $(grep deviance: "$WORK/separated.out")"; fi
finish
