#!/bin/bash
# test_cli_glm_warnings.sh -- `occam fit glm` says what R says: for the fits
# on which R 4.2.2 warns, the one stderr line is R's warning texts, in R's
# order, joined by "; ", and the fit is R's (coefficients and standard errors
# 1e-6, iterations exact).
#
# References: tests/data/glm/extra/ *.json (make_extra.R there, from R's glm()
# and summary(); "warnings" and "summary_warnings" hold R's texts), and glm2's
# heart data (../shared/reference/glm/glm2, copy in tests/data/glm/glm2/heart):
# R's glm.fit and glm2::glm.fit2 from the same start.  The texts R gives that
# are not glm's own are left out: "NaNs produced" (log() of a negative mean
# inside the Gamma deviance) and glm2's "step size truncated due to
# increasing deviance".  Cases: R's two step-halving warnings ("step size
# truncated due to divergence", "step size truncated: out of bounds") on
# Gamma identity and inverse, binomial log and Poisson sqrt and identity fits
# with start values; summary.glm's "observations with zero weight not used
# for calculating dispersion" on gaussian, Gamma and quasi-Poisson fits with
# zero prior weights, and its absence on a binomial one (fixed dispersion).
. "$(dirname "$0")/cli_testlib.sh" || exit 1

# join_case JSON NAME: $WORK/NAME.csv (X without the intercept, then yy, ww,
# oo), the occam fit glm arguments in $WORK/NAME.args (one a line) and R's
# expected stderr line (without the "occam: warning: fit glm on FILE: "
# prefix; empty for none) in $WORK/NAME.want.
join_case() {
    "$PY" - "$1" "$WORK/$2" "$REF" <<'EOF'
import csv, json, sys
ref = json.load(open(sys.argv[1])); stem, base = sys.argv[2], sys.argv[3]
X = list(csv.reader(open(base + "/" + ref["x_csv"])))
Y = list(csv.reader(open(base + "/" + ref["y_csv"])))
keep = [j for j, n in enumerate(X[0]) if n != "Intercept"]
with open(stem + ".csv", "w", newline="") as f:
    w = csv.writer(f)
    for xr, yr in zip(X, Y):
        w.writerow([xr[j] for j in keep] + (["yy", "ww", "oo"] if xr is X[0] else yr))
args = ["--family", ref["family"], "--link", ref["link"], "--y", "yy", "--x", ",".join(X[0][j] for j in keep)]
if ref["has_prior_weights"]: args += ["--weights", "ww"]
if ref["has_offset"]: args += ["--offset", "oo"]
if not ref["has_intercept"]: args += ["--no-intercept"]
if ref.get("start"): args += ["--start", ",".join("%.17g" % v for v in ref["start"])]
open(stem + ".args", "w").write("\n".join(args) + "\n")
glm_own = [w for w in ref["warnings"] if w.startswith("glm.fit: ") or
           w in ("step size truncated due to divergence", "step size truncated: out of bounds")]
glm_own += [w for w in ref.get("summary_warnings", []) if w]
open(stem + ".want", "w").write("; ".join(glm_own))
EOF
}

# check_fit NAME CSV WANT COEF_JSON ITER: the last run exited 0 with stderr
# "occam: warning: fit glm on CSV: WANT" (nothing when WANT is empty), its
# --coef-csv matches COEF_JSON's coefficients and std_errors (1e-6) and it
# printed ITER iterations.
check_fit() {
    local name=$1 csv=$2 want=$3 ref=$4 iter=$5 err
    err=$(cat "$WORK/$name.err")
    if [ "$RC" -ne 0 ]; then fail "$name: exit $RC: $err"; return; fi
    if [ -z "$want" ] && [ -z "$err" ]; then
        pass "$name: no warning, as R"
    elif [ -n "$want" ] && [ "$err" = "occam: warning: fit glm on $csv: $want" ]; then
        pass "$name: R's warnings: $want"
    else
        fail "$name: stderr '$err', R's warnings '$want'"
    fi
    local msg
    if msg=$("$PY" - "$WORK/$name.coef.csv" "$ref" "$WORK/$name.out" "$iter" 2>&1 <<'EOF'
import csv, json, sys
rows = list(csv.reader(open(sys.argv[1])))[1:]
ref = json.loads(sys.argv[2]) if sys.argv[2].startswith("{") else json.load(open(sys.argv[2]))
assert len(rows) == len(ref["coefficients"]), "%d terms, R %d" % (len(rows), len(ref["coefficients"]))
for r, b, s in zip(rows, ref["coefficients"], ref["std_errors"]):
    for got, want, what in ((float(r[1]), b, "estimate"), (float(r[2]), s, "std. error")):
        assert abs(got - want) <= 1e-6 * abs(want), "%s %s: %r vs R %r" % (r[0], what, got, want)
line = "Number of Fisher Scoring iterations: %s\n" % sys.argv[4]
assert line in open(sys.argv[3]).read(), "no line %r" % line
print("ok")
EOF
    ); then pass "$name: coefficients, SEs, $iter iterations = R"; else fail "$name: $msg"; fi
}

for c in start_clotting_gamma_identity start_clotting_gamma_inverse start_infert_binomial_log \
    start2_infert_binomial_log parity_infert_binomial_log esoph_binomial_log boundary_poisson_sqrt \
    boundary_poisson_identity zeroweights_cars_gaussian_identity zeroweights_clotting_gamma_inverse \
    zeroweights_warpbreaks_quasipoisson_log zeroweights_budworm_binomial_logit; do
    json="$REF/extra/$c.json"
    join_case "$json" "$c"
    mapfile -t args <"$WORK/$c.args"
    run "$c" fit glm --data "$WORK/$c.csv" "${args[@]}" --coef-csv "$WORK/$c.coef.csv"
    iter=$("$PY" -c 'import json, sys; print(json.load(open(sys.argv[1]))["iter"])' "$json")
    check_fit "$c" "$WORK/$c.csv" "$(cat "$WORK/$c.want")" "$json" "$iter"
done

# glm2's heart data: R's glm.fit (25 iterations, not converged, boundary) and,
# with --halve-on-increase, glm2's glm.fit2 (14 iterations, converged)
HEART="$OCCAM_SOURCE_DIR/../shared/reference/glm/glm2"
[ -f "$HEART/heart_logbinomial.json" ] || HEART="$REF/glm2/heart"
heart=(fit glm --family binomial --link log --data "$HEART/heart_logbinomial.csv" --y y --weights weights
    --offset offset --x AgeGroup2,AgeGroup3,Severity2,Severity3,Delay2,Delay3,Region2,Region3
    --start=-2.78619194961914,0,0,0,0,0,0,0,0)
for rule in r glm2; do
    opt=()
    [ $rule = glm2 ] && opt=(--halve-on-increase)
    run "heart_$rule" "${heart[@]}" "${opt[@]}" --coef-csv "$WORK/heart_$rule.coef.csv"
    ref=$("$PY" -c 'import json, sys; print(json.dumps(json.load(open(sys.argv[1]))[sys.argv[2]]))' \
        "$HEART/heart_logbinomial.json" $rule)
    want=$("$PY" -c 'import json, sys
ws = json.loads(sys.argv[1])["warnings"]
print("; ".join(w for w in ws if w != "step size truncated due to increasing deviance"))' "$ref")
    iter=$("$PY" -c 'import json, sys; print(json.loads(sys.argv[1])["iter"])' "$ref")
    check_fit "heart_$rule" "$HEART/heart_logbinomial.csv" "$want" "$ref" "$iter"
done
finish
