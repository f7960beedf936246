/*
 * cli_formula.h -- R model formulas in the CLI (`--formula 'y ~ a * b'`):
 * the parser (cli_formula_parse.c), the design built chunk by chunk from a
 * CSV (cli_formula.c) and the design text stored in the model file for
 * `occam predict` (cli_formula_design.c).  docs/cli.md, "Formulas", is the
 * user contract: which syntax is R's and which is refused.
 *
 * Terms follow R's terms.formula(): the variables are the distinct
 * predictor expressions (`wool`, `log(x)`, `I(x^2)`, `factor(cyl)`) in
 * order of first appearance; a term is a set of them (a bit mask); terms
 * are ordered by degree, then as written.  Columns follow model.matrix()
 * with treatment contrasts: a factor in a term is coded by its levels 2..L
 * when the term without it came earlier (or is empty), else by all L
 * levels; without an intercept the first factor of the first term that has
 * one gets all L levels.  Levels are sorted by bytes (text) or by value
 * (factor() of numbers): R's order with LC_COLLATE=C.
 */
#ifndef OCCAM_CLI_FORMULA_H
#define OCCAM_CLI_FORMULA_H

#include <stdint.h>

#include "cli.h"

/* An arithmetic expression: numbers, columns, + - * / ^, unary minus,
 * parentheses and the functions of cli_formula_parse.c. */
enum fnode_kind { FN_NUM, FN_COL, FN_NEG, FN_BIN, FN_CALL, FN_PAREN };
typedef struct fnode {
    int kind;
    char op;         /* FN_BIN: + - * / ^ */
    double num;      /* FN_NUM */
    char *name;      /* FN_COL: column name; FN_CALL: function name */
    int col;         /* FN_COL: index in cli_formula.cols */
    struct fnode *a, *b;
} fnode;

/* A data column the formula reads. */
typedef struct fcol {
    char *name;
    int64_t rcol;    /* reader column */
    int numeric;     /* every cell is a number (after the scan, or from the design) */
    int as_factor;   /* used bare in a term: a factor when not numeric */
    double *val;     /* chunk values (numeric columns) */
} fcol;

/* A predictor variable. */
typedef struct fvar {
    char *label;     /* R's deparsed text: "wool", "log(x)", "I(x^2)", "factor(cyl)" */
    fnode *e;        /* its expression (factor(x): the column x) */
    int explicit_factor; /* factor(x) */
    int factor;      /* coded by levels (known after the scan) */
    int numeric_levels; /* levels are numbers (factor() of a numeric column) */
    char **levels;   /* nlev sorted levels (text, or numbers as R prints them) */
    double *lnum;    /* nlev sorted values (numeric_levels) */
    int64_t nlev;
    double *val;     /* chunk values (numeric) or level indices (factor) */
} fvar;

#define CLI_FORMULA_MAX_VARS 64

typedef struct cli_formula {
    char *text;      /* the formula as given */
    fnode *response; /* NULL at predict */
    fcol *cols;
    int ncols;
    fvar *vars;
    int nvars;
    uint64_t *terms; /* bit v: variable v */
    int nterms;
    int intercept;
    fnode **offsets; /* offset(...) terms */
    int noffsets;
    /* the design, after cli_formula_layout() */
    int *code;       /* nterms x nvars: 1 contrasts, 2 all levels */
    int64_t p;
    char **xnames;   /* p coefficient names */
    /* chunk buffers */
    double *X, *y, *offset;
    int64_t cap;     /* rows they hold */
} cli_formula;

/* Parse `text` ("y ~ rhs"; with need_response 0 the response may be
 * absent, and is dropped: prediction; 2: kept when present) into *out (newly allocated).  Failure: CLI_EXIT_USAGE after one
 * line "<cmd>: --formula: <why> at '<rest>'". */
int cli_formula_parse(const char *cmd, const char *text, int need_response, cli_formula **out);
void cli_formula_free(cli_formula *f);

/* Numeric value of expression e at row i of the chunk (cols[].val set). */
double cli_formula_eval(const cli_formula *f, const fnode *e, int64_t i);

/* R's deparse of e into a malloc'd string (NULL: out of memory). */
char *cli_formula_deparse(const fnode *e);

/* Resolve the columns on reader r and ask for them as text (and the
 * --weights / --offset columns, wcol / ocol >= 0, as numbers: block
 * columns 0 and 1 in that order). */
int cli_formula_bind(const char *cmd, cli_formula *f, cli_reader *r);

/* Fit: read every row once (the chunk already read when the data are one
 * chunk: first_n rows, else from the start of the file, rewinding after)
 * to type the columns and collect the factor levels, then lay out the
 * columns (cli_formula_layout). */
int cli_formula_scan(const char *cmd, cli_formula *f, cli_reader *r, int64_t first_n, int at_end);

/* The columns and their names from the variables' types and levels. */
int cli_formula_layout(const char *cmd, cli_formula *f);

/* Build the chunk's X (n x p, column-major, ld n), y (when a response)
 * and the sum of the offset() terms (NULL when none, added to `extra`
 * when extra != NULL) from the reader's current chunk.  An unseen level
 * or a cell that is not a number fails with one line naming the column. */
int cli_formula_rows(const char *cmd, cli_formula *f, const cli_reader *r, int64_t n, const double *extra,
                     const double **X, const double **y, const double **offset);

/* The design text stored in the model (occam_model_set_design): formula,
 * column types and levels, the --offset column (NULL: none); f NULL for a
 * fit by column list with --offset.  Malloc'd, NULL when out of memory. */
char *cli_formula_design_text(const cli_formula *f, const char *offset_col);

/* Read a model's design text: *f the formula with its levels (NULL when
 * the model has none; its response kept with keep_response), *offset_col the stored --offset column (malloc'd,
 * NULL when none). */
int cli_formula_from_model(const char *cmd, const occam_model *m, int keep_response, cli_formula **f,
                           char **offset_col);

#endif /* OCCAM_CLI_FORMULA_H */
