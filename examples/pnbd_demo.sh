#!/usr/bin/env bash
# pnbd_demo.sh -- from a transaction log to customer lifetime value: the
# Pareto/NBD and Gamma-Gamma models on the CDNOW sample (data/, 2,357
# customers, 6,919 transactions 1997-01-01 .. 1998-06-30; Fader & Hardie),
# with the occam CLI:
#   1. the Pareto/NBD model (who is still buying, and how often) fitted
#      straight from the log on the calibration period (to 1997-09-30, in
#      weeks), and its holdout evaluation: predicted vs actual repeat
#      transactions from 1997-10-01 to 1998-06-30;
#   2. the Gamma-Gamma spend model (how much a transaction is worth) from the
#      same log: same-day purchases are one transaction, their sales summed,
#      the first purchase excluded;
#   3. the saved models scored: P(alive) and expected purchases of the
#      first customers (the model recorded its time unit, weeks, and refuses
#      data said to be in days), and the top 5 customers by CLV (15% a year,
#      30% margin);
#   4. the plots (gnuplot, SVG and PNG, with their numbers as CSV) in
#      PLOT_DIR (default build/demo-plots): the tracking plot, the holdout
#      plot, the P(alive) matrix and the spend distribution.
# Usage: bash examples/pnbd_demo.sh [OCCAM_BINARY] [WORK_DIR] [PLOT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
occam=${1:-build/examples/occam}
out=${2:-$(mktemp -d)}
plots=${3:-build/demo-plots}
mkdir -p "$plots" "$out"
LOG=(--events data/cdnow_transactions.csv --id id --time date --calibration-end 1997-09-30)

echo "== 1. Pareto/NBD from the transaction log (data/cdnow_transactions.csv), calibration to 1997-09-30,"
echo "      evaluated on the holdout period to 1998-06-30"
$occam fit pnbd "${LOG[@]}" --holdout-end 1998-06-30 --top 5 \
  --summary-csv "$out/summary.csv" --save "$out/cdnow_pnbd.occam" | sed '/^Model saved/d'

echo
echo "== 2. Gamma-Gamma spend model from the same log (--value sales)"
$occam fit gg "${LOG[@]}" --value sales --summary-csv "$out/spend.csv" --save "$out/cdnow_gg.occam" |
  sed '/^Model saved/d'

echo
echo "== 3. Scoring with the saved models"
head -6 "$out/summary.csv" | cut -d, -f1-4 > "$out/customers.csv"
echo "-- P(alive at T) of the first 5 customers"
$occam predict "$out/cdnow_pnbd.occam" --data "$out/customers.csv" --id id --type palive
echo "-- their expected purchases in the next 39 weeks"
$occam predict "$out/cdnow_pnbd.occam" --data "$out/customers.csv" --id id --type expected --horizon 39
echo "-- the model remembers its time unit: data said to be in days are refused"
$occam predict "$out/cdnow_pnbd.occam" --data "$out/customers.csv" --unit days 2>&1 || true
echo "-- the top 5 customers by CLV (annual discount 15%, margin 30%; spend in dollars)"
# one row per customer: the Pareto/NBD summary (id,x,t_x,T) with the Gamma-Gamma m_x
awk -F, 'NR == FNR { m[$1] = $3; next } FNR == 1 { print "id,x,t_x,T,m_x"; next } { print $1 "," $2 "," $3 "," $4 "," m[$1] }' \
  "$out/spend.csv" "$out/summary.csv" > "$out/clv_input.csv"
$occam clv --pnbd "$out/cdnow_pnbd.occam" --gg "$out/cdnow_gg.occam" --data "$out/clv_input.csv" \
  --annual-discount 0.15 --margin 0.3 --output "$out/clv.csv"
{ head -1 "$out/clv.csv"; tail -n +2 "$out/clv.csv" | sort -t, -k6,6 -g -r | awk 'NR <= 5'; } |
  awk -F, 'NR == 1 { printf "%8s %8s %9s %9s %9s %9s\n", $1, $2, $3, $4, $5, $6; next }
           { printf "%8s %8.4f %9.3f %9.3f %9.2f %9.2f\n", $1, $2, $3, $4, $5, $6 }'

echo
echo "== 4. Plots in $plots (gnuplot: SVG and PNG; the numbers as CSV)"
echo "-- tracking: weekly and cumulative repeat transactions of the cohort, actual vs model"
$occam plot tracking --output "$plots/cdnow_tracking" "${LOG[@]}" | tail -1
echo "-- holdout: mean holdout transactions by calibration frequency, actual vs model"
$occam plot holdout --output "$plots/cdnow_holdout" "${LOG[@]}" --holdout-end 1998-06-30 | tail -1
echo "-- P(alive) at T = 39 weeks by frequency and recency"
$occam plot palive --model "$out/cdnow_pnbd.occam" --T 39 --output "$plots/cdnow_palive"
echo "-- spend: observed vs model distribution of the average transaction value"
$occam plot spend --model "$out/cdnow_gg.occam" --data "$out/spend.csv" --output "$plots/cdnow_spend"
echo "-- week 39 and 78 of the tracking plot (cumulative repeat transactions: actual, model)"
awk -F, 'NR == 1 || $1 == 39 || $1 == 78 { print $1 "," $4 "," $6 }' "$plots/cdnow_tracking.csv"
ls -l "$plots"/*.svg "$plots"/*.png | awk '{ print $5, $NF }'
