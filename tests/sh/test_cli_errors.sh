#!/bin/bash
# test_cli_errors.sh -- the failure half of the CLI contract (issue 2, item 6):
# every failure exits non-zero (1: data, model or I/O; 2: command line) with
# exactly ONE line on stderr that says what went wrong; a bad CSV cell is
# named by line and column.  Also --help and --version.
#
# Expected values are the facts of each input (the line and column of the bad
# cell, the missing name), written here by hand; the version string comes
# from include/occam.h.
. "$(dirname "$0")/cli_testlib.sh" || exit 1

CARS="$DATA/cars.csv"

# --- top level ----------------------------------------------------------------
run help --help
expect_ok help
if grep -q '^Usage: occam <command>' "$WORK/help.out" && [ ! -s "$WORK/help.err" ]; then
    pass "help: usage on stdout, nothing on stderr"
else fail "help: no usage text"; fi

run version --version
expect_ok version
want=$(sed -n 's/^#define OCCAM_VERSION_STRING "\(.*\)"$/\1/p' "$OCCAM_SOURCE_DIR/include/occam.h")
if [ "$(cat "$WORK/version.out")" = "occam $want" ]; then pass "version: 'occam $want'"; else
    fail "version: '$(cat "$WORK/version.out")', expected 'occam $want'"; fi

run sub_help fit linear --help
expect_ok sub_help

run no_command
expect_error no_command 2 "missing command"
run bad_command frobnicate
expect_error bad_command 2 "unknown command 'frobnicate'"
run bad_kind fit quadratic --data "$CARS"
expect_error bad_kind 2 "unknown model kind 'quadratic'"
run top_option --frobnicate
expect_error top_option 2 "unknown option '--frobnicate'"

# --- options --------------------------------------------------------------------
run unknown_option fit linear --data "$CARS" --y dist --bogus
expect_error unknown_option 2 "fit linear" "unknown option '--bogus'"
run unknown_short fit linear --data "$CARS" --y dist -q
expect_error unknown_short 2 "unknown option '-q'"
run missing_value fit linear --data "$CARS" --y
expect_error missing_value 2 "option '--y' needs a value"
run flag_value fit linear --data "$CARS" --y dist --no-intercept=yes
expect_error flag_value 2 "option '--no-intercept' takes no value"
run missing_y fit linear --data "$CARS"
expect_error missing_y 2 "missing required option --y"
run missing_data fit linear --y dist
expect_error missing_data 2 "missing required option --data"
run extra_arg fit linear --data "$CARS" --y dist surplus
expect_error extra_arg 2 "unexpected argument 'surplus'"
run empty_x_item fit linear --data "$CARS" --y dist --x speed,,speed
expect_error empty_x_item 2 "--x: empty item 2"
run twice_x fit linear --data "$CARS" --y dist --x speed,speed
expect_error twice_x 2 "column 'speed' named twice"

# the response, the weights or the offset among the predictors: an error (a
# fit of y on itself has R^2 = 1 and says nothing), nothing on stdout
run y_in_x fit linear --data "$CARS" --y dist --x dist
expect_error y_in_x 2 "^occam: fit linear: column 'dist' is the response \(--y\) and cannot also be a predictor \(--x\)$"
if [ ! -s "$WORK/y_in_x.out" ]; then pass "y_in_x: nothing on stdout"; else
    fail "y_in_x: printed a summary: $(grep R-squared "$WORK/y_in_x.out")"; fi
run y_in_x_glm fit glm --family poisson --data "$CARS" --y dist --x speed,dist
expect_error y_in_x_glm 2 "^occam: fit glm: column 'dist' is the response \(--y\) and cannot also be a predictor \(--x\)$"
printf 'y,x,w,o\n1,2,1,0\n2,3,2,0.5\n4,5,1,1\n' >"$WORK/ywo.csv"
run w_in_x fit linear --data "$WORK/ywo.csv" --y y --x x,w --weights w
expect_error w_in_x 2 "^occam: fit linear: column 'w' is the prior weights \(--weights\) and cannot also be a predictor \(--x\)$"
run o_in_x fit glm --family gaussian --data "$WORK/ywo.csv" --y y --x o,x --offset o
expect_error o_in_x 2 "^occam: fit glm: column 'o' is the offset \(--offset\) and cannot also be a predictor \(--x\)$"
# the default --x leaves those columns out, as R's y ~ .
run ywo_default fit linear --data "$WORK/ywo.csv" --y y --weights w --offset o
expect_ok ywo_default
if grep -q '^Linear model.*: y ~ x + offset(o)$' "$WORK/ywo_default.out"; then pass "ywo_default: y ~ x + offset(o)"; else
    fail "ywo_default: $(head -1 "$WORK/ywo_default.out")"; fi

# --- files and columns ------------------------------------------------------------
run missing_file fit linear --data "$WORK/does-not-exist.csv" --y dist
expect_error missing_file 1 "cannot open '.*does-not-exist.csv'" "No such file"
run missing_column fit linear --data "$CARS" --y distance
expect_error missing_column 1 "no column named 'distance'" "columns: speed, dist"
run missing_x_column fit linear --data "$CARS" --y dist --x speed,weight
expect_error missing_x_column 1 "no column named 'weight'"
run missing_w_column fit linear --data "$CARS" --y dist --weights w
expect_error missing_w_column 1 "no column named 'w'"

# --- bad CSV content: line and column named -------------------------------------
printf 'speed,dist\n4,2\n7,4\n8,1x6\n9,10\n' >"$WORK/bad_cell.csv"
run bad_cell fit linear --data "$WORK/bad_cell.csv" --y dist
expect_error bad_cell 1 "bad_cell.csv: line 4, column 2 \(dist\)" "not a number: '1x6'"
if [ ! -s "$WORK/bad_cell.out" ]; then pass "bad_cell: nothing on stdout"; else fail "bad_cell: output on stdout"; fi

# CRLF line ends, a quoted cell, and a bad cell in column 1
printf 'speed,dist\r\n4,"2"\r\n7,4\r\nfast,22\r\n' >"$WORK/bad_crlf.csv"
run bad_crlf fit linear --data "$WORK/bad_crlf.csv" --y dist
expect_error bad_crlf 1 "line 4, column 1 \(speed\)" "'fast'"

# blank lines still count as lines
printf 'speed,dist\n4,2\n\n7,NA\n' >"$WORK/bad_na.csv"
run bad_na fit linear --data "$WORK/bad_na.csv" --y dist
expect_error bad_na 1 "line 4, column 2 \(dist\)" "missing value 'NA'"

printf 'speed,dist\n4,2\n7,\n' >"$WORK/bad_empty.csv"
run bad_empty fit linear --data "$WORK/bad_empty.csv" --y dist
expect_error bad_empty 1 "line 3, column 2 \(dist\): empty cell"

printf 'speed,dist\n4,2\n7,1e999\n' >"$WORK/bad_inf.csv"
run bad_inf fit linear --data "$WORK/bad_inf.csv" --y dist
expect_error bad_inf 1 "line 3, column 2 \(dist\): not a finite number"

printf 'speed,dist\n4,2\n7,4,9\n' >"$WORK/bad_long.csv"
run bad_long fit linear --data "$WORK/bad_long.csv" --y dist
expect_error bad_long 1 "line 3: more than 2 cells"

printf 'speed,dist\n4,2\n7\n' >"$WORK/bad_short.csv"
run bad_short fit linear --data "$WORK/bad_short.csv" --y dist
expect_error bad_short 1 "line 3: 1 cell, but the header has 2 columns"

printf 'speed,dist\n4,2\n"7,4\n' >"$WORK/bad_quote.csv"
run bad_quote fit linear --data "$WORK/bad_quote.csv" --y dist
expect_error bad_quote 1 "line 3: malformed CSV"

printf 'speed,speed\n4,2\n' >"$WORK/bad_dup.csv"
run bad_dup fit linear --data "$WORK/bad_dup.csv" --y speed
expect_error bad_dup 1 "line 1, column 2: duplicate column name 'speed'"

: >"$WORK/bad_zero.csv"
run bad_zero fit linear --data "$WORK/bad_zero.csv" --y dist
expect_error bad_zero 1 "empty file"

printf 'speed,dist\n' >"$WORK/bad_header_only.csv"
run bad_header_only fit linear --data "$WORK/bad_header_only.csv" --y dist
expect_error bad_header_only 1 "no data rows"

# --- library failures carry occam_last_error() ----------------------------------
printf 'y,x,w\n1,2,1\n2,3,-1\n3,5,1\n' >"$WORK/neg_w.csv"
run neg_weights fit linear --data "$WORK/neg_w.csv" --y y --weights w
expect_error neg_weights 1 "negative weight" "row 2"

head -c 20 /dev/zero >"$WORK/zeros.occam"
run bad_model predict "$WORK/zeros.occam" --data "$CARS"
expect_error bad_model 1 "cannot load the model" "zeros.occam"
run missing_model predict "$WORK/no-such.occam" --data "$CARS"
expect_error missing_model 1 "cannot load the model" "no-such.occam"
run predict_no_model predict --data "$CARS"
expect_error predict_no_model 2 "missing MODEL"

# --- model linear -----------------------------------------------------------------
run ml_names model linear --intercept 1 --coef 1,2 --names a --save "$WORK/m.occam"
expect_error ml_names 2 "--names has 1 names but --coef has 2"
run ml_nan model linear --intercept 1 --coef 1,abc --save "$WORK/m.occam"
expect_error ml_nan 2 "^occam: model linear: --coef: not a number: 'abc'$"
run ml_no_b0 model linear --coef 1 --save "$WORK/m.occam"
expect_error ml_no_b0 2 "--intercept B0 or --no-intercept"
run ml_no_save model linear --intercept 1 --coef 1
expect_error ml_no_save 2 "missing required option --save"
run ml_bad_dir model linear --intercept 1 --coef 1 --save "$WORK/no/such/dir/m.occam"
expect_error ml_bad_dir 1 "^occam: model linear: cannot save the model to '.*/no/such/dir/m.occam'"

# --- every option value error names its subcommand -------------------------------
run maxit_glm fit glm --family binomial --data "$DATA/spector.csv" --y GRADE --maxit 2x
expect_error maxit_glm 2 "^occam: fit glm: --maxit: not an integer: '2x'$"
run epsilon_glm fit glm --family binomial --data "$DATA/spector.csv" --y GRADE --epsilon tiny
expect_error epsilon_glm 2 "^occam: fit glm: --epsilon: not a number: 'tiny'$"
run start_glm fit glm --family binomial --data "$DATA/spector.csv" --y GRADE --start 1,,2
expect_error start_glm 2 "^occam: fit glm: --start: empty item 2 in list '1,,2'$"
run maxit_pnbd fit pnbd --data "$OCCAM_SOURCE_DIR/data/cdnow_summary.csv" --maxit 2x
expect_error maxit_pnbd 2 "^occam: fit pnbd: --maxit: not an integer: '2x'$"
run top_pnbd fit pnbd --data "$OCCAM_SOURCE_DIR/data/cdnow_summary.csv" --top many
expect_error top_pnbd 2 "^occam: fit pnbd: --top: not an integer: 'many'$"
run r_pnbd model pnbd --r x --alpha 1 --s 1 --beta 1
expect_error r_pnbd 2 "^occam: model pnbd: --r: not a number: 'x'$"
run horizon predict "$WORK/any.occam" --data "$CARS" --type expected --horizon soon
expect_error horizon 2 "^occam: predict: --horizon: not a number: 'soon'$"
run x_item fit linear --data "$CARS" --y dist --x speed,
expect_error x_item 2 "^occam: fit linear: --x: empty item 2 in list 'speed,'$"
run coef_dir fit linear --data "$CARS" --y dist --coef-csv "$WORK/no/such/dir/c.csv"
expect_error coef_dir 1 "^occam: fit linear: --coef-csv: cannot open '.*/no/such/dir/c.csv' for writing"

finish
