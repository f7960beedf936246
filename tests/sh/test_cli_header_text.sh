#!/bin/bash
# test_cli_header_text.sh -- names and line ends of the CSV files the CLI
# reads (issue 15 point 5, docs/cli.md "Input"):
#  - column names must be UTF-8 (the model file format stores UTF-8 and the
#    bindings decode it): a byte 0xFF, an overlong form, a surrogate fail
#    with the line, the column and the byte offset (occam_name_check's rule,
#    the library's); UTF-8 names are kept;
#  - CR-only line ends: a bad cell in data row 3 is reported on line 4 (the
#    header is line 1), as with LF and CRLF, and blank lines count; the same
#    data with LF, CRLF and CR line ends give byte-identical --coef-csv
#    files.
# Expected places (line, column, byte offset) are written here by hand from
# the inputs.
. "$(dirname "$0")/cli_testlib.sh" || exit 1

# --- UTF-8 names ---------------------------------------------------------------------
printf 'y,b\xffc\n1,2\n' > "$WORK/ff.csv"
run utf8_ff fit linear --data "$WORK/ff.csv" --y y
expect_error utf8_ff 1 "ff\.csv: line 1, column 2: column name is not valid UTF-8: byte 0xFF at byte offset 1$"
printf 'y,x,ab\xc0\xaf\n1,2,3\n' > "$WORK/overlong.csv"
run utf8_overlong fit linear --data "$WORK/overlong.csv" --y y
expect_error utf8_overlong 1 "overlong\.csv: line 1, column 3: column name is not valid UTF-8: byte 0xC0 at byte offset 2$"
printf 'y,\xed\xa0\x80x\n1,2\n' > "$WORK/surrogate.csv"
run utf8_surrogate fit linear --data "$WORK/surrogate.csv" --y y
expect_error utf8_surrogate 1 "surrogate\.csv: line 1, column 2: column name is not valid UTF-8: byte 0xED at byte offset 0$"
printf 'y,caf\xc3\xa9\n1,2\n2,3\n4,5\n' > "$WORK/cafe.csv"
run utf8_ok fit linear --data "$WORK/cafe.csv" --y y --coef-csv "$WORK/cafe_coef.csv"
expect_ok utf8_ok
if grep -q "^caf$(printf '\xc3\xa9')," "$WORK/cafe_coef.csv"; then pass "utf8_ok: the UTF-8 name is kept"; else
    fail "utf8_ok: $(cat "$WORK/cafe_coef.csv")"; fi

# --- line ends -------------------------------------------------------------------------
for eol in lf crlf cr; do
    case $eol in lf) e='\n' ;; crlf) e='\r\n' ;; cr) e='\r' ;; esac
    printf "y,x${e}1,2${e}2,3${e}3,abc${e}4,5${e}" > "$WORK/bad_$eol.csv"
    run "bad_$eol" fit linear --data "$WORK/bad_$eol.csv" --y y
    expect_error "bad_$eol" 1 "bad_$eol\.csv: line 4, column 2 \(x\): not a number: 'abc'$"
    printf "y,x${e}1,2${e}${e}2,3${e}3,5.5${e}4,5${e}" > "$WORK/good_$eol.csv"
    run "good_$eol" fit linear --data "$WORK/good_$eol.csv" --y y --coef-csv "$WORK/coef_$eol.csv"
    expect_ok "good_$eol"
done
printf 'y,x\r1,2\r\r2,3\r3,a\r' > "$WORK/blank_cr.csv"
run blank_cr fit linear --data "$WORK/blank_cr.csv" --y y
expect_error blank_cr 1 "blank_cr\.csv: line 5, column 2 \(x\): not a number: 'a'$"
for eol in crlf cr; do
    if cmp -s "$WORK/coef_lf.csv" "$WORK/coef_$eol.csv"; then pass "coef_$eol: the same coefficients as with LF"; else
        fail "coef_$eol: differs from the LF file's: $(diff "$WORK/coef_lf.csv" "$WORK/coef_$eol.csv" | head -3)"; fi
done

finish
