#!/usr/bin/env bash
# pnbd_demo.sh -- who has churned? The Pareto/NBD model on the CDNOW sample
# (data/, 2,357 customers, weeks; Fader & Hardie), with the occam CLI:
#   1. fit from the customer summaries (x, t_x, T) and list the customers least
#      likely to be alive; save the model;
#   2. the same fit straight from the raw transaction log (ISO dates,
#      calibration period ending 1997-09-30);
#   3. reload the model: P(alive) and expected purchases in the next 39 weeks
#      (the holdout period) for the first customers; the model recorded its
#      time unit (weeks) and refuses data said to be in days;
#   4. the plots (gnuplot, SVG and PNG, with their numbers as CSV) in
#      PLOT_DIR (default build/demo-plots): the tracking plot of the cohort's
#      repeat transactions, actual vs model, the P(alive) matrix, and the
#      Gamma-Gamma spend model with its observed vs model spend distribution.
# Usage: bash examples/pnbd_demo.sh [OCCAM_BINARY] [WORK_DIR] [PLOT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
occam=${1:-build/examples/occam}
out=${2:-$(mktemp -d)}
plots=${3:-build/demo-plots}
mkdir -p "$plots"

echo "== Pareto/NBD on the CDNOW customer summaries (data/cdnow_summary.csv)"
$occam fit pnbd --data data/cdnow_summary.csv --unit weeks --save "$out/cdnow.occam" --top 5

echo
echo "== The same model from the raw transaction log (data/cdnow_transactions.csv)"
$occam fit pnbd --events data/cdnow_transactions.csv --id id --time date \
  --calibration-end 1997-09-30 --top 0

echo
echo "== Reload the saved model: first 5 customers"
head -6 data/cdnow_summary.csv > "$out/customers.csv"
echo "-- P(alive at T)"
$occam predict "$out/cdnow.occam" --data "$out/customers.csv" --type palive
echo "-- expected purchases in the next 39 weeks"
$occam predict "$out/cdnow.occam" --data "$out/customers.csv" --type expected --horizon 39
echo "-- the model remembers its time unit: data said to be in days are refused"
$occam predict "$out/cdnow.occam" --data "$out/customers.csv" --unit days 2>&1 || true

echo
echo "== Plots in $plots (gnuplot: SVG and PNG; the numbers as CSV)"
echo "-- tracking: weekly and cumulative repeat transactions of the cohort, actual vs model"
$occam plot tracking --output "$plots/cdnow_tracking" --events data/cdnow_transactions.csv --id id --time date \
  --calibration-end 1997-09-30 --save "$out/cdnow_events.occam" | tail -1
echo "-- P(alive) at T = 39 weeks by frequency and recency"
$occam plot palive --model "$out/cdnow_events.occam" --T 39 --output "$plots/cdnow_palive"
echo "-- the Gamma-Gamma spend model on the CDNOW spend table (x, m_x: mean value of the repeat purchases)"
$occam fit gg --data data/cdnow_spend.csv --save "$out/cdnow_gg.occam" | sed -n '/^Coefficients/,/^Correlation/p'
echo "-- spend: observed vs model distribution of the average transaction value"
$occam plot spend --model "$out/cdnow_gg.occam" --data data/cdnow_spend.csv --output "$plots/cdnow_spend"
echo "-- week 39 and 78 of the tracking plot (cumulative repeat transactions: actual, model)"
awk -F, 'NR == 1 || $1 == 39 || $1 == 78 { print $1 "," $4 "," $6 }' "$plots/cdnow_tracking.csv"
ls -l "$plots"/*.svg "$plots"/*.png | awk '{ print $5, $NF }'
