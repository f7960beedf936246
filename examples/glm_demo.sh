#!/usr/bin/env bash
# glm_demo.sh -- the GLM on real data (data/glm/), with the occam CLI:
#   1. logistic regression: low birth weight on the mother's risk factors
#      (Hosmer & Lemeshow's birthwt data, MASS), as
#      R: glm(low ~ age + lwt + race + smoke + ptl + ht + ui + ftv, family = binomial)
#   2. Poisson rate model with an offset: car insurance claims per policy
#      holder (MASS Insurance), as
#      R: glm(Claims ~ District + Group + Age + offset(log(Holders)), family = poisson)
#   3. save the rate model, reload it, and predict expected claims (response
#      scale, with the offset) and the log rate (link scale) for new rows.
# Usage: bash examples/glm_demo.sh [OCCAM_BINARY] [WORK_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
occam=${1:-build/examples/occam}
out=${2:-$(mktemp -d)}

echo "== Logistic regression (binomial, logit) on data/glm/birthwt.csv"
$occam fit glm --family binomial --data data/glm/birthwt.csv --y low \
  --x age,lwt,raceblack,raceother,smoke,ptl,ht,ui,ftv

echo "== Poisson rate model with offset log(Holders) on data/glm/Insurance.csv"
$occam fit glm --family poisson --link log --data data/glm/Insurance.csv --y Claims \
  --x District2,District3,District4,Group1_1_5l,Group1_5_2l,Groupgt2l,Age25_29,Age30_35,Agegt35 \
  --offset logHolders --save "$out/insurance.occam"

echo "== Reload it: expected claims for the first 5 cells (type response, offset log(Holders))"
head -6 data/glm/Insurance.csv > "$out/insurance_new.csv"
$occam predict "$out/insurance.occam" --data "$out/insurance_new.csv" --type response --offset logHolders
echo "== ... and their linear predictors (type link)"
$occam predict "$out/insurance.occam" --data "$out/insurance_new.csv" --type link --offset logHolders
