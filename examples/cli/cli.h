/*
 * cli.h -- the shared interface of the `occam` command-line tool.
 *
 * The tool is one executable built from the .c files in examples/cli/:
 *   main.c         subcommand dispatch, usage text, --help, --version
 *   cli_reader.c   the CSV reader: a file or standard input in chunks of
 *                  rows, cells read as numbers only for the columns a
 *                  command uses (the fast path in cli_number.cc, C++)
 *   cli_common.c   errors, option helpers, design loading, --coef-csv, --save
 *   cli_rprint.c   R-style printing: format(), format.pval(), printCoefmat(),
 *                  the residual five-number summary
 *   cli_linear.c   occam fit linear, occam model linear
 *   cli_glm.c      occam fit glm
 *   cli_pnbd.c     occam fit pnbd, occam model pnbd
 *   cli_predict.c  occam predict
 *   cli_formula*.c --formula (parser, design per chunk, the design text in
 *                  the model) and --exclude; cli_formula.h
 *   cli_outfile.c  output files replaced atomically (with lib/file_replace.c)
 *
 * Conventions every subcommand follows (docs/cli.md is the user contract):
 *  - A subcommand entry point gets (argc, argv) with argv[0] naming the
 *    subcommand (e.g. "fit linear") and the options from argv[1]; it parses
 *    them with getopt_long through cli_getopt() and returns the process exit
 *    status: CLI_EXIT_OK, CLI_EXIT_FAILURE (bad data, library error, I/O) or
 *    CLI_EXIT_USAGE (bad command line).
 *  - Every failure prints exactly ONE line on stderr, "occam: <message>",
 *    through cli_fail()/cli_fail_status(); nothing else goes to stderr except
 *    one-line warnings ("occam: warning: ...").
 *  - Every cli_* helper below that returns int returns 0 on success; on
 *    failure it has ALREADY printed its one-line message and returns the exit
 *    status to use, so callers just propagate it:
 *        if ((rc = cli_table_read(path, &t)) != 0) goto done;
 *  - Results go to stdout; data files are read in chunks (cli_reader_*).
 */
#ifndef OCCAM_CLI_H
#define OCCAM_CLI_H

#include <getopt.h>
#include <stdint.h>
#include <stdio.h>

#include "occam.h"

/* ------------------------------------------------------------ exit status */

enum cli_exit {
    CLI_EXIT_OK = 0,      /* success (library warnings included) */
    CLI_EXIT_FAILURE = 1, /* bad data, library error, I/O error */
    CLI_EXIT_USAGE = 2    /* bad command line: unknown option, missing argument */
};

/* ------------------------------------------------- subcommand entry points */
/* Each returns an exit status (enum cli_exit).  argv[0] is the subcommand. */

int cli_fit_linear(int argc, char **argv);   /* cli_linear.c  */
int cli_model_linear(int argc, char **argv); /* cli_linear.c  */
int cli_fit_glm(int argc, char **argv);      /* cli_glm.c     */
int cli_fit_pnbd(int argc, char **argv);     /* cli_pnbd.c    */
int cli_model_pnbd(int argc, char **argv);   /* cli_pnbd.c    */
int cli_predict(int argc, char **argv);      /* cli_predict.c */
int cli_fit_gg(int argc, char **argv);       /* cli_gg.c */
int cli_clv(int argc, char **argv);          /* cli_clv.c */
int cli_residuals(int argc, char **argv);    /* cli_residuals.c */
int cli_summary(int argc, char **argv);      /* cli_summary.c */
int cli_plot(int argc, char **argv);         /* cli_plot.c */

/* ------------------------------------------------------------ errors */

/* Print "occam: <printf message>\n" on stderr (newlines in the message become
 * spaces, so it stays one line) and return `code`. */
int cli_fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* For a library status < 0: print "occam: <message>: <occam_strerror(status)>
 * (<occam_last_error()>)" and return CLI_EXIT_FAILURE.  For status > 0 (a
 * warning): print "occam: warning: <message>: <strerror> (<last error>)" and
 * return CLI_EXIT_OK.  When the last error already contains the status text
 * ("glm.fit: algorithm did not converge"), it is printed alone in place of
 * "<strerror> (<last error>)", so nothing is said twice.  For 0: print
 * nothing, return CLI_EXIT_OK. */
int cli_fail_status(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* An option value the library's options object rejected: print
 * "occam: <cmd>: <flag>: <why>", where <why> is occam_last_error() without
 * its "occam_opts_set_...: " prefix (a C function name means nothing on the
 * command line), and return CLI_EXIT_USAGE. */
int cli_bad_option_value(const char *cmd, const char *flag);

/* Run OpenBLAS single-threaded from now on (openblas_set_num_threads, found
 * with dlsym; nothing happens with another BLAS).  The tool calls it before
 * a fit with --threads N > 1, whose own threads each call BLAS: the library
 * may not change BLAS settings (process-wide state), the program may. */
void cli_blas_single_thread(void);

/* Seconds on the monotonic clock (OCCAM_CLI_TIMING, bench/ingest). */
double cli_seconds(void);

/* CPU seconds of the process so far, user and system (getrusage; all
 * threads): OCCAM_CLI_TIMING, whose wall times a busy machine inflates. */
void cli_cpu_seconds(double *user, double *sys);

/* malloc'd copy of a string (strdup is not in C11), or NULL when out of
 * memory. */
char *cli_strdup(const char *s);

/* ------------------------------------------------------------ options */

/* Option codes shared by the fit subcommands (long options only; values
 * above 255 so they never clash with short options).  Subcommands define
 * their own extra codes from CLI_OPT_CUSTOM upward. */
enum cli_opt_code {
    CLI_OPT_DATA = 1000,
    CLI_OPT_Y,
    CLI_OPT_X,
    CLI_OPT_WEIGHTS,
    CLI_OPT_OFFSET,
    CLI_OPT_NO_INTERCEPT,
    CLI_OPT_SAVE,
    CLI_OPT_COEF_CSV,
    CLI_OPT_STATS_CSV,
    CLI_OPT_FORMULA, /* fit linear and fit glm only: CLI_FORMULA_LONG_OPTIONS */
    CLI_OPT_EXCLUDE,
    CLI_OPT_CUSTOM = 1100
};

/* struct option entries for the options shared by every `occam fit`; put this
 * macro first in a subcommand's option table, followed by its own entries,
 * {"help", no_argument, NULL, 'h'} and the {0, 0, 0, 0} terminator. */
#define CLI_FIT_LONG_OPTIONS                                        \
    {"data", required_argument, NULL, CLI_OPT_DATA},                \
    {"y", required_argument, NULL, CLI_OPT_Y},                      \
    {"x", required_argument, NULL, CLI_OPT_X},                      \
    {"weights", required_argument, NULL, CLI_OPT_WEIGHTS},          \
    {"offset", required_argument, NULL, CLI_OPT_OFFSET},            \
    {"no-intercept", no_argument, NULL, CLI_OPT_NO_INTERCEPT},      \
    {"save", required_argument, NULL, CLI_OPT_SAVE},                \
    {"coef-csv", required_argument, NULL, CLI_OPT_COEF_CSV},       \
    {"stats-csv", required_argument, NULL, CLI_OPT_STATS_CSV}

/* --formula and --exclude (cli_formula_fit.c), for the fits of linear
 * models and GLMs: put after CLI_FIT_LONG_OPTIONS. */
#define CLI_FORMULA_LONG_OPTIONS                                    \
    {"formula", required_argument, NULL, CLI_OPT_FORMULA},          \
    {"exclude", required_argument, NULL, CLI_OPT_EXCLUDE}

/* Values of the shared fit options (NULL / default when not given). */
typedef struct cli_fit_args {
    const char *data;     /* --data FILE.csv (required by every fit) */
    const char *y;        /* --y COL */
    const char *x;        /* --x COL,COL,... (NULL: every other column) */
    const char *weights;  /* --weights COL */
    const char *offset;   /* --offset COL */
    const char *save;     /* --save MODEL */
    const char *coef_csv; /* --coef-csv FILE */
    const char *stats_csv; /* --stats-csv FILE */
    const char *formula;  /* --formula 'y ~ a * b' (replaces --y and --x) */
    const char *exclude;  /* --exclude COL,... (without --x: columns left out of X) */
    int intercept;        /* 1 unless --no-intercept */
} cli_fit_args;

/* Set every field to its default (NULLs, intercept = 1). */
void cli_fit_args_init(cli_fit_args *a);

/* If `code` is one of the CLI_OPT_* codes of CLI_FIT_LONG_OPTIONS, store
 * `arg` in `a` and return 1; otherwise return 0 (not a shared option). */
int cli_fit_args_take(cli_fit_args *a, int code, const char *arg);

/* getopt_long over argv[1..] of a subcommand: the first call after entering a
 * subcommand resets getopt's state (optind = 0, opterr = 0) when `*started`
 * is 0 and sets it.  Short options: only -h.  Returns getopt_long's value:
 * -1 at the end, 'h', an option code, or '?' (unknown option) / ':' (missing
 * argument), which cli_bad_option() reports. */
int cli_getopt(int argc, char **argv, const struct option *longopts, int *started);

/* Report the '?' or ':' just returned by cli_getopt() as one line
 * ("occam: fit linear: unknown option '--foo'; see 'occam fit linear --help'",
 * "... option '--data' needs a value ...", "... option '--no-intercept' takes
 * no value ...") and return CLI_EXIT_USAGE.  Also used for any other value
 * `c` a subcommand does not handle (a shared option it does not accept).
 * cmd NULL: the top-level command. */
int cli_bad_option(const char *cmd, int c, char **argv);

/* Reject extra positional arguments: if optind < argc, report the first one
 * and return CLI_EXIT_USAGE; else 0. */
int cli_no_operands(const char *cmd, int argc, char **argv);

/* Fail with CLI_EXIT_USAGE "<cmd>: missing required option --<name>" when
 * value is NULL; 0 otherwise. */
int cli_require(const char *cmd, const char *value, const char *name);

/* Parse a whole string as a finite double / an int64 (decimal); the message
 * names the subcommand `cmd` and the option `what` ("occam: fit glm:
 * --maxit: not an integer: '2x'").  Failure: CLI_EXIT_USAGE. */
int cli_parse_double(const char *cmd, const char *s, const char *what, double *out);
int cli_parse_int64(const char *cmd, const char *s, const char *what, int64_t *out);

/* Split a comma-separated list "a,b,c" into *n newly allocated strings
 * (*items is a malloc'd array; free with cli_strings_free).  "" gives n = 0
 * and *items = NULL; empty items ("a,,b", trailing comma) are an error
 * (CLI_EXIT_USAGE). */
int cli_split_list(const char *cmd, const char *s, const char *what, char ***items, int64_t *n);
void cli_strings_free(char **items, int64_t n);

/* Parse a comma-separated list of finite doubles into a malloc'd array.
 * "" gives n = 0 and *vals = NULL.  Failure: CLI_EXIT_USAGE. */
int cli_parse_double_list(const char *cmd, const char *s, const char *what, double **vals, int64_t *n);

/* ------------------------------------------------------ dates and numbers of cells */

/* An ISO date as occam_iso_date_days() reads it (same checks, value and
 * status), s being len bytes and NUL-terminated; the form "YYYY-MM-DD" is
 * read without the library call (cli_date.c). */
int cli_iso_date(const char *s, size_t len, double *days);

/* The text "YYYY-MM-DD" of whole day number `days` (years 0000 to 9999):
 * exactly the cell cli_iso_date() read in 10 bytes.  0, or -1 (not such a
 * day, or cap < 11). */
int cli_date_text(double days, char *buf, size_t cap);

/* The longest decimal number at the start of [first, last), as strtod
 * reads it, by fast_float: where it stopped, or NULL for any form left to
 * strtod (a sign '+', blanks, hex, inf/nan, overflow) (cli_number.cc). */
const char *cli_number_scan(const char *first, const char *last, double *value);

/* Room cli_number_format() needs (the longest %.17g text has 24 bytes). */
#define CLI_NUMBER_CHARS 32
/* A number as cli_put_number() writes it, into buf (CLI_NUMBER_CHARS bytes,
 * not NUL-terminated): the bytes of printf("%.17g"), "NA" when not finite,
 * "0" for -0.  Returns the length (cli_number.cc). */
size_t cli_number_format(char *buf, double v);

/* ------------------------------------------------------ CSV reader (cli_reader.c) */

/* Limits of the CSV files the tool reads (docs/cli.md, "Limits"); each is
 * checked while the file is read and fails at once with one line naming it.
 * Column names: 1 to OCCAM_NAME_MAX bytes of UTF-8 (occam_name_check()). */
#define CLI_LINE_MAX ((int64_t)1 << 26)    /* bytes in one physical line (64 MiB) */
#define CLI_COLUMNS_MAX ((int64_t)1 << 20) /* columns (1,048,576) */
#define CLI_ROWS_MAX ((int64_t)OCCAM_DIM_MAX) /* data rows (2^31 - 1, the library's GLM limit) */

/* Default chunk: CLI_CHUNK_ROWS rows, fewer when a command reads more than
 * CLI_CHUNK_CELLS / CLI_CHUNK_ROWS = 32 numeric columns, so that a chunk
 * holds at most CLI_CHUNK_CELLS numbers (16 MiB); at least one row. */
#define CLI_CHUNK_ROWS ((int64_t)1 << 16)  /* 65,536 */
#define CLI_CHUNK_CELLS ((int64_t)1 << 21) /* 2,097,152 */

/* The name of standard input ("-") in messages. */
#define CLI_STDIN_NAME "<stdin>"

/* Hash index of the column names (private to cli_reader.c). */
typedef struct cli_name_index {
    int64_t *slots; /* nslots (a power of 2) entries: column + 1, or 0 */
    size_t nslots;
} cli_name_index;

/* A CSV file with a header row, read once or several times (rewind), in
 * chunks of rows.  The text goes through a buffer of 8 MiB (grown only for
 * a longer record); a chunk holds the numbers of the columns the command
 * reads as numbers (a column-major block) and the text of those it keeps as
 * text.  Syntax (RFC 4180 quoting, LF / CRLF / CR line ends, blank lines
 * skipped, spaces and tabs around unquoted cells dropped: libcsv's strict
 * rules), the header checks (non-empty, unique, UTF-8 names) and the limits
 * above are those of docs/cli.md; every error is one line naming the file,
 * the physical line, the column and its name, and the cell. */
typedef struct cli_reader cli_reader;

typedef struct cli_read_opts {
    int64_t chunk_rows; /* rows per chunk, > 0; 0: the default above */
    int threads;        /* threads parsing a chunk (1 to 256); <= 1: one */
} cli_read_opts;

/* Open path ("-": standard input) and read its header row (an optional
 * UTF-8 byte-order mark first).  A file without a header row, or whose
 * header breaks a rule or a limit, fails (CLI_EXIT_FAILURE, one line);
 * *out is then NULL. */
int cli_reader_open(const char *path, const cli_read_opts *o, cli_reader **out);
void cli_reader_close(cli_reader *r); /* NULL: nothing */

const char *cli_reader_path(const cli_reader *r); /* the file's name in messages */
int64_t cli_reader_ncols(const cli_reader *r);
const char *cli_reader_name(const cli_reader *r, int64_t j);
int cli_reader_seekable(const cli_reader *r); /* 1 for a regular file (rewind works) */

/* Index of the column named `name` (exact match), or -1.  O(1) on average. */
int64_t cli_reader_find(const cli_reader *r, const char *name);

/* Like cli_reader_find, but a missing column fails with
 * "<file>: no column named 'x' (columns: a, b, c)" and CLI_EXIT_FAILURE. */
int cli_reader_require(const cli_reader *r, const char *name, int64_t *col);

/* Before the first chunk: read the k columns cols[] (indices; repeats
 * allowed; -1 gives a column of zeros) as numbers, appended to the block in
 * this order (block column s = the s-th column asked for over all calls).
 * Every cell of such a column must be a finite number as strtod reads the
 * whole cell (docs/cli.md): "NA", "", "inf" or text fail with the place
 * ("cars.csv: line 7, column 2 (dist): not a number: 'abc'"), the first in
 * file order.  Failure: CLI_EXIT_FAILURE (out of memory). */
int cli_reader_numbers(cli_reader *r, const int64_t *cols, int64_t k);

/* Before the first chunk: also keep column col as text (cli_reader_cell). */
int cli_reader_text(cli_reader *r, int64_t col);

/* A converter of a cell's text (NUL-terminated, len bytes, after the CSV's
 * unquoting) to 8 bytes of any meaning (a double, an int64 ...) in *out; it
 * returns a code of 0 to 255 the caller defines, OR CLI_CELL_KEEP_TEXT to
 * also keep the cell's text.  It runs on the parsing threads: it must be
 * thread-safe and print nothing. */
#define CLI_CELL_KEEP_TEXT 0x100
typedef int (*cli_cell_fn)(const char *s, size_t len, void *out);

/* Before the first chunk: convert column col with fn as the chunk is
 * parsed (so the work runs on the --threads threads): its 8 bytes go to
 * the next block column (as cli_reader_numbers), its codes to
 * cli_reader_codes(), its text (when kept) to cli_reader_cell(). */
int cli_reader_convert(cli_reader *r, int64_t col, cli_cell_fn fn);

/* The chunk's converter codes of block column slot (nrows of them). */
const unsigned char *cli_reader_codes(const cli_reader *r, int64_t slot);

/* Rows per chunk: the --chunk-rows value, or the default for the columns
 * asked for so far. */
int64_t cli_reader_chunk_rows(const cli_reader *r);

/* The next chunk: *nrows rows (at most cli_reader_chunk_rows(); fewer only
 * at the end of the input), 0 at the end.  A file without data rows fails
 * ("<file>: no data rows after the header") at the first call.  The block
 * and cells of a chunk stay valid until the next call.  Failure:
 * CLI_EXIT_FAILURE after the one-line message. */
int cli_reader_next(cli_reader *r, int64_t *nrows);

/* 1 when no row is left after the chunks read so far (the input may be
 * read ahead to tell). */
int cli_reader_at_end(cli_reader *r);

/* The chunk's numbers: column s of the block at block + s * (*ld), rows 0
 * to nrows - 1 (column-major with leading dimension *ld). */
const double *cli_reader_block(const cli_reader *r, int64_t *ld);

/* Text of the chunk's row i (0-based within the chunk) in column col
 * (which cli_reader_text() asked for). */
const char *cli_reader_cell(const cli_reader *r, int64_t i, int64_t col);

/* 0-based index in the file of the chunk's first row. */
int64_t cli_reader_row0(const cli_reader *r);

/* Go back to the first data row (for the next pass of a fit).  A pipe or
 * standard input cannot: "<cmd>: <stdin> has more than N rows (one chunk,
 * --chunk-rows) and this fit reads its data several times: give a file,
 * not standard input or a pipe" and CLI_EXIT_FAILURE. */
int cli_reader_rewind(cli_reader *r, const char *cmd);

/* Byte ranges of a regular file (occam-mpi: each process reads its own).
 * A line starts at the first byte after the header or after a line end
 * (LF, CRLF or a lone CR); a line break inside a quoted cell is taken for
 * a line end here, so a file cut into ranges must not have one. */
int64_t cli_reader_data_offset(const cli_reader *r); /* first byte after the header */
int64_t cli_reader_data_line(const cli_reader *r);   /* its physical line (1-based) */
/* The file's size; a pipe or standard input fails (one line). */
int cli_reader_size(const cli_reader *r, int64_t *size);
/* The first line start at or after byte off (the data offset for any off
 * before it, the file size past the last line). */
int cli_reader_line_start(const cli_reader *r, int64_t off, int64_t *start);
/* The line ends in bytes [from, to), which are whole lines. */
int cli_reader_count_lines(const cli_reader *r, int64_t from, int64_t to, int64_t *lines);
/* Read the rows of bytes [start, end) (whole lines; end -1: to the end of
 * the file), the first on physical line `line`, as if they were the
 * whole file (no row: not an error); cli_reader_rewind() reads the whole
 * file again. */
int cli_reader_range(cli_reader *r, int64_t start, int64_t end, int64_t line);

/* The reading options of a command: --chunk-rows N (1 to CLI_ROWS_MAX)
 * and --threads N (1 to 256), either NULL when not given.  strict_threads
 * 0: a --threads value out of range is left for the fit's options to
 * report (fit glm, whose library threads share the flag), reading with one
 * thread.  Failure: CLI_EXIT_USAGE after one line. */
int cli_read_options(const char *cmd, const char *chunk_rows, const char *threads, int strict_threads,
                     cli_read_opts *ro);

/* ------------------------------------------------------ design (cli_common.c) */

/* The columns of a fit: which reader columns are X (in order), y, weights
 * and offset, and their block columns (X first, then y, weights, offset). */
typedef struct cli_design {
    int64_t p;
    int64_t *xcols;  /* p reader columns of X */
    int64_t ycol, wcol, ocol; /* reader columns, -1 when not given */
    char **xnames;   /* p column names of X, in order */
    struct cli_formula *fm;  /* --formula: X, y and the offset() terms built per chunk (cli_formula.h), or NULL */
    const char *offset_name; /* --offset COL, stored in the model for predict */
} cli_design;

/* Resolve the columns of a fit on reader r and ask r for them as numbers
 * (X, then y, weights, offset: block columns 0..p-1, p, ...).  y, weights,
 * offset: column names or NULL.  xlist: comma-separated X column names, or
 * NULL for every column that is not y, weights or offset (in file order).
 * Only these columns are read as numbers: other columns may hold text.
 * Missing or duplicated columns and an --x column that is also the y,
 * weights or offset column fail (CLI_EXIT_FAILURE / CLI_EXIT_USAGE) with one
 * line; cmd ("fit linear") prefixes the command-line errors. */
int cli_design_open(const char *cmd, cli_reader *r, const char *y, const char *xlist, const char *weights,
                    const char *offset, cli_design *d);
void cli_design_free(cli_design *d);

/* A chunk's arrays in the block layout of cli_design_open(). */
typedef struct cli_rows {
    int64_t n, ld;
    const double *X, *y, *weights, *offset; /* weights, offset NULL when not given */
} cli_rows;
void cli_design_rows(const cli_design *d, const cli_reader *r, int64_t n, cli_rows *rows);

/* Store d->xnames in the model (occam_model_set_names), and the formula
 * with its levels and the --offset column (occam_model_set_design). */
int cli_design_name_model(occam_model *m, const cli_design *d);

/* cli_formula_fit.c: cli_design_open() for a->formula (a formula on r's
 * columns, typed and its levels collected by cli_fit_open()), the --x list
 * that --exclude gives (*xlist malloc'd; NULL without --exclude), and the
 * rows of a formula design (cli_design_rows() calls it). */
int cli_design_open_formula(const char *cmd, cli_reader *r, const cli_fit_args *a, cli_design *d);
int cli_exclude_list(const char *cmd, const cli_reader *r, const cli_fit_args *a, char **xlist);
void cli_formula_design_rows(const cli_design *d, const cli_reader *r, int64_t n, cli_rows *rows);
int cli_design_store(occam_model *m, const cli_design *d);
/* The option combinations of --formula / --exclude / --y / --x (and
 * --formula refused in a distributed fit): 0 or CLI_EXIT_USAGE. */
int cli_fit_formula_check(const char *cmd, const cli_fit_args *a, int distributed);
/* After the first chunk (n rows) of a formula design: type the columns,
 * collect the levels (reading the whole file when there is more than the
 * chunk) and set d->p and d->xnames to the design's columns. */
int cli_design_formula_scan(const char *cmd, cli_design *d, cli_reader *r, int64_t n);
/* 1 when the rows have an offset: --offset, or offset() in the formula. */
int cli_design_has_offset(const cli_design *d);
/* The formula's intercept (0 after '- 1' or '+ 0'), else `intercept`. */
int cli_design_intercept(const cli_design *d, int intercept);
void cli_formula_free(struct cli_formula *f); /* cli_formula_parse.c; NULL: nothing */

/* ------------------------------------------------------ output (cli_rprint.c) */

/* R's format(x, digits = digits) for one number: at most `digits`
 * significant digits, trailing zeros dropped, fixed or scientific notation
 * whichever is narrower (fixed on ties); "NaN", "Inf", "-Inf" as R. */
void cli_format_num(double x, int digits, char *buf, size_t cap);

/* R's format(x, digits = digits) of a numeric vector: the n values in the
 * one format R's formatReal() picks for the whole vector (fixed, or
 * scientific when narrower), right-justified to a common width.  cells: n
 * strings of cap bytes each, cell i at cells + i * cap. */
void cli_format_vector(const double *x, int64_t n, int digits, char *cells, size_t cap);

/* R's format.pval(p, digits) with eps = DBL_EPSILON: "< 2.2e-16" below eps
 * for digits 4. */
void cli_format_pval(double p, int digits, char *buf, size_t cap);

/* R's signif(x, digits). */
double cli_signif(double x, int digits);

/* Print the model's coefficient table as print.summary.lm/glm call R's
 * printCoefmat() (digits = 4, signif.stars = TRUE): a blank line, a
 * "Coefficients:" line (with "(k not defined because of
 * singularities)" when some are aliased), the table with the column names of
 * summary.lm / summary.glm ("t value" and "Pr(>|t|)" or "z value" and
 * "Pr(>|z|)" per OCCAM_INFO_T_STATISTIC), NA rows for aliased coefficients,
 * then the "Signif. codes" legend (only when some p-value < 0.1, as R).
 * Cells: "NA" for aliased coefficients, "NaN" for other NaN values (as R
 * prints a fit with 0 residual df).  Pareto/NBD models get only the Estimate
 * and Std. Error columns.  Failure (library error): CLI_EXIT_FAILURE. */
int cli_print_coef_table(FILE *out, const occam_model *m);

/* Which of R's residual blocks cli_print_resid_summary() mimics. */
enum cli_resid_style {
    CLI_RESID_LM,  /* print.summary.lm: quantiles zapsmall'ed, else raw residuals; gap 1 */
    CLI_RESID_GLM  /* print.summary.glm (R 4.2): always zapsmall(digits + 1); gap 2 */
};

/* Print a residual summary as print.summary.lm / print.summary.glm (R 4.2):
 * when df_residual > 5 the five-number summary (quantile type 7, names Min
 * 1Q Median 3Q Max) after zapsmall(digits + 1), otherwise all n residuals
 * named 1..n; printed as R's print.default(digits = digits) of a named
 * vector (lines of at most 80 characters).  The caller prints the title line
 * ("Residuals:", "Deviance Residuals: ").  CLI_RESID_LM with df_residual == 0
 * prints "ALL n residuals are 0: no residual degrees of freedom!".  lm passes
 * the sqrt(prior weight)-scaled residuals, glm the deviance residuals; digits
 * is 4 for both (R's default). */
void cli_print_resid_summary(FILE *out, const double *resid, int64_t n, double df_residual, int digits,
                             enum cli_resid_style style);

/* R's quantile(type = 7) at probabilities 0, .25, .5, .75, 1: for
 * probability i / 4 of n sorted values, the ranks lo, hi (0-based) and the
 * weight frac of s[hi]; and the five values from n sorted values s. */
void cli_quantile_ranks(int64_t n, int i, int64_t *lo, int64_t *hi, double *frac);
void cli_quantiles_of_sorted(const double *s, int64_t n, double q[5]);

/* The five-number block of cli_print_resid_summary() (df_residual > 5)
 * from the five quantiles. */
void cli_print_resid_quantiles(FILE *out, const double quantiles[5], int digits, enum cli_resid_style style);

/* Exact quantiles of n values that are met in passes over the data, in
 * O(cap) memory (cli_quantile.c): the values of a pass are collected while
 * there are at most cap of them (then one pass suffices), and a radix
 * histogram of their order-preserving 64-bit keys narrows each needed
 * order statistic by 16 bits per pass until few enough values remain to
 * collect: for any n at most 5 passes, 2 when a 16-bit bucket around each
 * quartile holds at most cap values. */
typedef struct cli_quantiles cli_quantiles;
int cli_quantiles_new(int64_t n, int64_t cap, cli_quantiles **out);
void cli_quantiles_free(cli_quantiles *q);
/* Give the next m values of the current pass. */
void cli_quantiles_add(cli_quantiles *q, const double *v, int64_t m);
/* End a pass: *more = 1 when another pass over the same values in any
 * order is needed.  Failure: out of memory (one line). */
int cli_quantiles_end_pass(cli_quantiles *q, int *more);
/* Values met by several processes (occam-mpi): at the end of every pass
 * the processes' counts are summed and the values collected are gathered,
 * in process order, so each process ends with the quantiles of all of
 * them (n is then the total).  Each function is collective and returns 0
 * or an exit status after its one-line message. */
typedef struct cli_quantiles_comm {
    void *ctx;
    /* sum k counts over the processes, in place */
    int (*sum)(void *ctx, uint32_t *counts, int64_t k);
    /* every process's m values, in process order, into all (capacity cap
     * values); *total = their number (fails past cap) */
    int (*gather)(void *ctx, const double *v, int64_t m, double *all, int64_t cap, int64_t *total);
} cli_quantiles_comm;
void cli_quantiles_set_comm(cli_quantiles *q, const cli_quantiles_comm *c);
/* After the last pass: the five quantiles, or (when n <= cap) every value,
 * in the order given (*all, n of them; owned by q). */
void cli_quantiles_result(const cli_quantiles *q, double out[5], const double **all);

/* ------------------------------------------------------ fits (cli_fit.c) */

/* The data of a linear or GLM fit: the reader, the design, and the rows
 * (n; in memory when the data are one chunk). */
typedef struct cli_fit_data {
    const char *cmd;
    cli_reader *r;
    cli_design d;
    int64_t n;     /* data rows (of a streamed fit: known after the fit) */
    cli_rows rows; /* the first chunk: every row unless streamed */
    int streamed;  /* more than one chunk: a file read once per pass */
    int weighted;  /* the prior weights are not all equal */
    int have_w0;   /* private */
    double w0;
    void *dist;    /* the state of cli_fit_hooks (NULL without) */
} cli_fit_data;

/* Open a->data with ro, resolve the design (cli_design_open) and read the
 * first chunk: the fit is in memory when it holds every row, streamed
 * otherwise, which needs a file (standard input or a pipe fails with
 * cli_reader_rewind()'s message).  Failure: the exit status after one
 * line. */
int cli_fit_open(const char *cmd, const cli_fit_args *a, const cli_read_opts *ro, cli_fit_data *f);

/* Fit m with opts: occam_model_fit() on the rows held, or a stream fed
 * with one read of the file per pass.  A library error or warning is one
 * line "<label>: <status> (<detail>)" (cli_fail_status); returns the exit
 * status (0 after a warning). */
int cli_fit_model(cli_fit_data *f, occam_model *m, const occam_opts *opts, const char *label);

/* 1 when the prior weights are not all equal (lm's "Weighted Residuals"). */
int cli_fit_weighted(const cli_fit_data *f);

/* Print the residual block of the summary (cli_print_resid_summary) from
 * the model's residuals `which` (OCCAM_ROWS_RESID_*) of every row; after a
 * streamed fit from one more read of the file (deviance residuals of a GLM,
 * sqrt(w)-scaled ones of a linear model; more reads when there are over 16
 * chunks of them, for exact quantiles in bounded memory); `failure` is the
 * message when they cannot be had. */
int cli_fit_print_residuals(cli_fit_data *f, const occam_model *m, int which, double df, enum cli_resid_style style,
                            const char *failure);

void cli_fit_close(cli_fit_data *f);

/* A fit whose rows several processes share (occam-mpi, examples/mpi/): the
 * hooks the program installs before it runs `fit linear` or `fit glm`, so
 * that every process runs the same code and ends with the same model.
 * Each hook returns 0 or an exit status after its one-line message, the
 * same on every process. */
typedef struct cli_fit_hooks {
    void *ctx;
    /* after the file is opened and the design resolved, with their exit
     * status rc and its message msg (kept, not printed): agree on a
     * failure, then plan this process's rows (sets f->streamed = 1;
     * f->dist is the hooks' state) */
    int (*open)(void *ctx, cli_fit_data *f, int rc, const char *msg);
    /* one pass of stream s over all processes' rows; after the first sets
     * f->n (all rows) and f->weighted */
    int (*pass)(void *ctx, cli_fit_data *f, occam_stream *s, int first, const char *label);
    /* this process's rows again, in order: rewind, then chunks read by
     * f->r (n = 0 at the end) */
    int (*rewind)(void *ctx, cli_fit_data *f);
    int (*next)(void *ctx, cli_fit_data *f, int64_t *n);
    void (*close)(void *ctx, cli_fit_data *f);
    const cli_quantiles_comm *quantiles; /* the residual quantiles over all rows */
} cli_fit_hooks;
void cli_fit_set_hooks(const cli_fit_hooks *h); /* NULL: the rows of one process */

/* Note whether the prior weights of rows x vary (lm's "Weighted"). */
void cli_fit_note_weights(cli_fit_data *f, const cli_rows *x);

/* Output of a process that is not the one reporting (occam-mpi's ranks but
 * rank 0): messages (cli_fail*) are not printed and --save, --coef-csv and
 * other output files are not written.  Default: reporting. */
void cli_set_reporting(int reporting);
int cli_reporting(void);

/* While capture is not NULL, the one-line messages are not printed but
 * the first is kept there ("occam: ..." without the newline, cap bytes). */
void cli_capture_messages(char *capture, size_t cap);

/* ------------------------------------------ customer patterns (cli_patterns.c) */

/* Distinct (x, t_x, T) patterns of customer summaries with their summed
 * weights, and per pattern the row and id of its first `keep` customers. */
typedef struct cli_patterns cli_patterns;
int cli_patterns_new(int64_t keep, int with_ids, cli_patterns **out);
void cli_patterns_free(cli_patterns *t);
/* Add a customer (0-based row; id NULL without ids).  Failure: out of memory. */
int cli_patterns_add(cli_patterns *t, double x, double tx, double T, double w, int64_t row, const char *id);
int64_t cli_patterns_count(const cli_patterns *t);
/* The patterns' indices in the library's collapsed order (x, t_x, T). */
int cli_patterns_order(const cli_patterns *t, int64_t **order);
void cli_patterns_get(const cli_patterns *t, int64_t k, double *x, double *tx, double *T, double *w);
/* Row of the j-th customer kept for pattern k (and its id), or -1. */
int64_t cli_patterns_listed(const cli_patterns *t, int64_t k, int64_t j, const char **id);

/* ------------------------------------- event logs over processes (cli_pnbd.c) */

/* What `fit pnbd --events` read: in, this process's; out, all processes'. */
typedef struct cli_events_result {
    int64_t n;             /* data rows */
    int64_t err_row;       /* the first bad time's row (in: within the process, out: in the file), with */
    int err_kind;          /* 0 none, 1 not a time, 2 mixes dates and numbers */
    char *err_text;        /* its cell (malloc'd; replaced) */
    occam_events *ie, *te; /* the integer-id and text-id states (NULL: none); out: all merged */
} cli_events_result;

/* occam-mpi's hooks of the event log's reader (examples/mpi/mpi_pnbd.c);
 * each returns 0 or an exit status after its one-line message, the same on
 * every process. */
typedef struct cli_events_hooks {
    void *ctx;
    /* after the reader r is set up (rc, msg: its status and kept message):
     * agree on a failure, plan this process's bytes (*rows), and give the
     * converter code of block column `slot` in the file's first data row
     * (*has = 0: the file has none) */
    int (*open)(void *ctx, cli_reader *r, int rc, const char *msg, int64_t slot, int *has, int *code, void **rows);
    /* the next chunk of this process's rows (n = 0 at the end) */
    int (*next)(void *ctx, cli_reader *r, void *rows, int64_t *n);
    /* agree on a failure (rc, msg), then sum, renumber and merge e */
    int (*done)(void *ctx, cli_reader *r, void *rows, int rc, const char *msg, cli_events_result *e);
    void (*close)(void *ctx, void *rows);
} cli_events_hooks;
void cli_pnbd_set_events_hooks(const cli_events_hooks *h); /* NULL: one process */

/* ------------------------------------ holdout evaluation (cli_holdout.c) */

/* Customer i's label for the --holdout-csv rows (buf: scratch of cap bytes). */
typedef const char *(*cli_label_fn)(const void *ctx, int64_t i, char *buf, size_t cap);

/* The calibration/holdout evaluation of a fitted Pareto/NBD model m: for
 * the n customers X (n x 3 column-major: x, t_x, T) with holdout counts
 * x_star over a holdout of `horizon` time units, the predictions
 * E[X(T, T + horizon] | x, t_x, T] against x_star: totals, MAE, RMSE,
 * Pearson correlation, and the table by calibration x = 0..6, 7+
 * (customers, mean actual, mean predicted) on stdout; n_late customers
 * born after the calibration end are named as excluded.  csv_path (NULL:
 * none) receives "id,x,t_x,T,x_star,predicted" rows.  Returns 0 or an exit
 * status after its message. */
int cli_holdout_report(const occam_model *m, const double *X, const double *x_star, int64_t n, double horizon,
                       const char *window, int64_t n_late, int64_t n_after, const char *csv_path,
                       cli_label_fn label, const void *label_ctx);

/* ------------------------------------------------- output files (cli_common.c) */

/* A number in a CSV the tool writes: %.17g (reads back as the same
 * double), "NA" when it is not finite (NaN, or an overflow to +-Inf, which
 * the fit reports as a warning), and 0 for a negative zero. */
void cli_put_number(FILE *f, double v);

/* Write the coefficient table as CSV (the --coef-csv contract): header
 * "term,estimate,std_error,statistic,p_value", one row per coefficient in
 * model order (intercept first as "(Intercept)"), numbers by cli_put_number,
 * "NA" for aliased coefficients.  Terms containing ',' or '"' are
 * quoted.  path NULL: nothing to do.  Failure: CLI_EXIT_FAILURE, messages
 * prefixed "<cmd>: --coef-csv: ". */
int cli_write_coef_csv(const char *cmd, const occam_model *m, const char *path);

/* Write one row of the model's statistics as CSV (the --stats-csv contract,
 * cli_stats.c: R's names nobs, df.residual, ..., conditions; NA where the
 * kind does not define one).  path NULL: nothing to do.  Failure:
 * CLI_EXIT_FAILURE, messages prefixed "<cmd>: --stats-csv: ". */
int cli_write_stats_csv(const char *cmd, const occam_model *m, const char *path);

/* The summary blocks `occam fit` prints after the call and residuals, which
 * `occam summary` prints again from a saved model: print.summary.glm's
 * dispersion, deviance, AIC and iteration lines (cli_glm.c), print.summary.lm's
 * residual standard error, R-squared and F lines (cli_linear.c), and the
 * Pareto/NBD parameter table, log-likelihood and iteration lines
 * (cli_pnbd.c; 0 or an exit status). */
void cli_print_glm_deviances(const occam_model *m, int family);
void cli_print_lm_statistics(const occam_model *m);
int cli_print_pnbd_fit(const occam_model *m);
int cli_print_gg_fit(const occam_model *m); /* cli_gg.c: the Gamma-Gamma table, log-likelihood, iterations, correlation */

/* The context of a Pareto/NBD or Gamma-Gamma model (cli_context.c): parse
 * --unit weeks|days|other and --unit-days D (unit NULL: *u unknown, *days
 * NaN; other without --unit-days: length unknown); store the unit, the
 * calibration end (time, text or NULL) and the p column names (names NULL:
 * kept); check the --unit of predict, clv and plot palive against the
 * model's (no --unit: nothing to check; a mismatch names both units and
 * exits 1); print the line "Time unit: ...; calibration end: ...".  0 or an
 * exit status after its message. */
int cli_parse_unit(const char *cmd, const char *unit, const char *unit_days, int *u, double *days);
int cli_context_store(const char *cmd, occam_model *m, int unit, double days, double cal_end, const char *cal_text,
                      const char *const *names, int64_t p);
int cli_context_check(const char *cmd, const occam_model *m, const char *unit, const char *unit_days);
void cli_print_context(FILE *f, const occam_model *m);
/* Periods per year for an annual rate from the model's unit (365 for days,
 * else 52; a usage error for 'other'); m may be NULL (52). */
int cli_periods_per_year(const char *cmd, const occam_model *m, double *k);
/* Two models of known, different units (Pareto/NBD a, Gamma-Gamma b): an
 * error naming both. */
int cli_context_pair(const char *cmd, const occam_model *a, const occam_model *b);
/* Column j's name in the model (*out malloc'ed; "" when it has none). */
int cli_column_name(const occam_model *m, int64_t j, char **out);

/* The (x, m_x[, weight]) rows of a customer CSV, read in chunks (cli_gg.c):
 * columns f->x (default "x"), mcol (default "m_x"), f->weights (w NULL
 * without); free x, m, w.  0 or an exit status after its message. */
typedef struct gg_rows {
    int64_t n, cap;
    double *x, *m, *w;
} gg_rows;
int cli_gg_load(const cli_fit_args *f, const char *mcol, const cli_read_opts *ro, gg_rows *g);

/* cli_gg_events.c: the (x, m_x) rows of `fit gg --events` from a
 * transaction log (columns id, time, value; calibration end, --unit
 * weeks|days for dates, --merge-period, default one day for dates and
 * required for numbers), customers in fit pnbd's order, written to
 * --summary-csv (id,x,m_x) when given; info: the events read, customers
 * with x = 0 (in g, skipped by the fit), customers born after the
 * calibration end (not in g), dates or numbers, days per unit, merge
 * period, calibration end in model units.  g->w stays NULL. */
typedef struct cli_gg_events_args {
    const char *events, *id, *time, *value, *cal_end, *unit, *merge, *summary_csv;
} cli_gg_events_args;
typedef struct cli_gg_events_info {
    int64_t n_events, n_zero, n_late;
    int dates;
    double unit, merge, cal_end;
} cli_gg_events_info;
int cli_gg_events_load(const cli_gg_events_args *a, const cli_read_opts *ro, gg_rows *g, cli_gg_events_info *info);

/* An output file (--coef-csv, --summary-csv, predict --output), replaced
 * atomically as occam_model_save() replaces a model file: write to *f, then
 * cli_outfile_commit(); until it succeeds an existing file at path is
 * untouched.  label prefixes messages ("fit glm: --coef-csv").  Each
 * returns 0 or an exit status after its one-line message
 * ("occam: <label>: cannot write '.<name>.tmp.<pid>.<n>': No space left on
 * device (the file was not changed)"); commit and abort release o. */
typedef struct cli_outfile cli_outfile;
int cli_outfile_open(const char *label, const char *path, cli_outfile **o, FILE **f);
int cli_outfile_commit(cli_outfile *o);
void cli_outfile_abort(cli_outfile *o); /* remove the temporary file; NULL: nothing */

/* The tracking curve of `fit pnbd --events` as CSV (cli_tracking.c): per
 * period of the unit (times of the states: unit = 7 for weeks of days),
 * the cohort's actual and the model's expected repeat transactions.
 * states: the integer-id and text-id states (either NULL); merge: their
 * merge period (> 0); cal_end: the calibration end in their time.  path
 * NULL: nothing to do.  0 or an exit status after its message. */
int cli_write_tracking_csv(const char *cmd, const occam_model *m, occam_events *const states[2], double unit,
                           double merge, double cal_end, const char *path);

/* occam_model_save() to path and print "Model saved to <path>" on stdout.
 * path NULL: nothing to do.  Failure: CLI_EXIT_FAILURE ("<cmd>: cannot save
 * the model to '<path>': ..."). */
int cli_save_model(const char *cmd, const occam_model *m, const char *path);

#endif /* OCCAM_CLI_H */
