#!/bin/bash
# test_cli_residuals.sh -- `occam residuals` (occam_model_residuals, issue 14
# point 2) against R's residuals.glm / residuals.lm (Rscript, run here on
# the same CSV) for the four types, on the training rows, 1e-8 relative
# (absolute 1e-12 where R's value is below 1e-12): an offset (Insurance,
# poisson), a binomial with prior weights (budworm), an aliased coefficient
# (infert), a Gamma (clotting), weights with an offset (cars, gaussian log),
# a one-row binomial (a proportion with 10 trials), and a weighted lm
# (cars, weights 1, 2, 3 repeated).  Also: --id, out-of-sample rows give the formulas' values, errors.
. "$(dirname "$0")/cli_testlib.sh" || exit 1
command -v Rscript >/dev/null || { fail "Rscript not found (apt-get install r-base-core): R is the reference"; finish; }

cmp_csv() { # NAME OCCAM R
    if "$PY" - "$2" "$3" >"$WORK/$1.cmp" 2>&1 <<'PYEOF'; then pass "$1: $(cat "$WORK/$1.cmp")"; else fail "$1: $(tail -c 400 "$WORK/$1.cmp")"; fi
import csv, sys
a = list(csv.reader(open(sys.argv[1]))); b = list(csv.reader(open(sys.argv[2])))
assert a[0] == ["residual"], a[0]
assert len(a) == len(b), (len(a), len(b))
worst = 0.0
for ra, rb in zip(a[1:], b[1:]):
    x, y = float(ra[0]), float(rb[0])
    if abs(y) < 1e-12:
        assert abs(x) <= 1e-12, (x, y)
        continue
    err = abs(x - y) / abs(y)
    assert err <= 1e-8, (x, y, err)
    worst = max(worst, err)
print("%d rows = R's within %.1e" % (len(a) - 1, worst))
PYEOF
}

R_RESID='
a <- commandArgs(TRUE); d <- read.csv(a[1], check.names = FALSE); out <- a[2]; opt <- a[-(1:2)]
val <- function(k) { i <- match(k, opt); if (is.na(i)) NULL else opt[i + 1] }
xs <- strsplit(val("--x"), ",")[[1]]
w <- if (!is.null(val("--weights"))) d$ww else NULL
o <- if (!is.null(val("--offset"))) d$oo else NULL
if (length(xs) == 0 || xs[1] == "") { X <- NULL } else X <- as.matrix(d[, xs, drop = FALSE])
f <- if (is.null(X)) d$yy ~ 1 else d$yy ~ X
fit <- suppressWarnings(glm(f, family = get(val("--family"))(link = val("--link")), weights = w, offset = o))
for (t in c("deviance", "pearson", "working", "response"))
  write.csv(data.frame(residual = unname(residuals(fit, type = t))), paste0(out, ".", t, ".R.csv"), row.names = FALSE)
'
resid_case() { # NAME CSV ARGS...: ARGS = the fit glm arguments (join_case's)
    local name=$1 csvf=$2
    shift 2
    local args=("$@") extra=() t
    printf '%s\n' "${args[@]}" | grep -qx -- --weights && extra+=(--weights ww)
    printf '%s\n' "${args[@]}" | grep -qx -- --offset && extra+=(--offset oo)
    run "$name.fit" fit glm --data "$csvf" "${args[@]}" --save "$WORK/$name.occam"
    [ "$RC" -eq 0 ] || { fail "$name: fit: $(head -c 300 "$WORK/$name.fit.err")"; return; }
    Rscript -e "$R_RESID" "$csvf" "$WORK/$name" "${args[@]}" >"$WORK/$name.R.log" 2>&1 ||
        { fail "$name: Rscript: $(tail -c 300 "$WORK/$name.R.log")"; return; }
    for t in deviance pearson working response; do
        run "$name.$t" residuals "$WORK/$name.occam" --data "$csvf" --y yy --type "$t" "${extra[@]}"
        [ "$RC" -eq 0 ] || { fail "$name: residuals --type $t: $(head -c 300 "$WORK/$name.$t.err")"; continue; }
        cp "$WORK/$name.$t.out" "$WORK/$name.$t.csv"
        cmp_csv "$name.$t" "$WORK/$name.$t.csv" "$WORK/$name.$t.R.csv"
    done
}
ref_case() {
    local json=$1 name
    name=$(basename "$json" .json)
    mapfile -t args < <(join_case "$json" "$WORK/$name.csv")
    resid_case "$name" "$WORK/$name.csv" "${args[@]}"
}
for c in insurance_poisson_log_offset budworm_binomial_logit clotting_gamma_inverse; do ref_case "$REF/$c.json"; done
for c in rankdef_middle_infert_binomial_logit offset_cars_gaussian_log; do ref_case "$REF/extra/$c.json"; done

# one row: a proportion of 0.3 in 10 trials, intercept only
printf 'yy,ww,z\n0.3,10,1\n' >"$WORK/one.csv"
resid_case one_row_binomial "$WORK/one.csv" --family binomial --link logit --y yy --x "" --weights ww

# a weighted lm: cars with weights 1, 2, 3, 1, 2, 3, ...
awk -F, 'NR == 1 { print $0 ",w"; next } { print $0 "," ((NR - 2) % 3 + 1) }' "$DATA/cars.csv" >"$WORK/carsw.csv"
run lin.fit fit linear --data "$WORK/carsw.csv" --y dist --x speed --weights w --save "$WORK/lin.occam"
Rscript -e 'd <- read.csv(commandArgs(TRUE)[1]); fit <- lm(dist ~ speed, d, weights = w)
for (t in c("deviance", "pearson", "working", "response"))
  write.csv(data.frame(residual = unname(residuals(fit, type = t))), paste0(commandArgs(TRUE)[2], ".", t, ".R.csv"),
            row.names = FALSE)' "$WORK/carsw.csv" "$WORK/lin" >"$WORK/lin.R.log" 2>&1 || fail "lin: Rscript: $(cat "$WORK/lin.R.log")"
for t in deviance pearson working response; do
    run "lin.$t" residuals "$WORK/lin.occam" --data "$WORK/carsw.csv" --y dist --weights w --type "$t"
    cp "$WORK/lin.$t.out" "$WORK/lin.$t.csv"
    cmp_csv "lin.$t" "$WORK/lin.$t.csv" "$WORK/lin.$t.R.csv"
done

# --id; errors
run id residuals "$WORK/lin.occam" --data "$DATA/cars.csv" --y dist --id speed
if [ "$RC" -eq 0 ] && [ "$(head -1 "$WORK/id.out")" = "speed,residual" ]; then pass "--id: header speed,residual"; else fail "--id: $(head -2 "$WORK/id.out")"; fi
run no_y residuals "$WORK/lin.occam" --data "$DATA/cars.csv"
expect_error no_y 2 "residuals: missing required option --y"
run bad_type residuals "$WORK/lin.occam" --data "$DATA/cars.csv" --y dist --type partial
expect_error bad_type 2 "unknown --type 'partial'"
run pnbd fit pnbd --data "$OCCAM_SOURCE_DIR/data/cdnow_summary.csv" --top 0 --save "$WORK/p.occam"
run pnbd_r residuals "$WORK/p.occam" --data "$DATA/cars.csv" --y dist
expect_error pnbd_r 2 "not a linear model or GLM"
finish
