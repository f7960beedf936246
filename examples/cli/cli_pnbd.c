/*
 * cli_pnbd.c -- `occam fit pnbd` and `occam model pnbd`: the Pareto/NBD
 * customer-base model (Fader & Hardie's notes; BTYD, lifetimes, CLVTools).
 *
 *   occam fit pnbd --data FILE.csv [--x COL] [--tx COL] [--T COL] [--weights COL]
 *   occam fit pnbd --events FILE.csv --id COL --time COL --calibration-end VALUE
 *                  [--unit weeks|days] [--merge-period P] [--summary-csv FILE]
 *                  [--holdout-end VALUE [--holdout-csv FILE]]
 *   occam model pnbd --r R --alpha A --s S --beta B [--save MODEL] [--coef-csv FILE]
 *
 * A fit prints the parameters with standard errors, the log-likelihood,
 * iterations and convergence, and the customers least likely to be alive.
 * The event log is read by the CLI's reader (cli_reader.c; ids may be any
 * strings, times ISO dates or numbers) and summarized in chunks by the
 * library's mergeable event states (occam_events).
 */
#include <errno.h>
#include <pthread.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char fit_usage[] =
    "Usage: occam fit pnbd --data FILE.csv [--x COL] [--tx COL] [--T COL] [--weights COL]\n"
    "                      [--unit weeks|days|other [--unit-days D]] [options]\n"
    "       occam fit pnbd --events FILE.csv --id COL --time COL --calibration-end VALUE\n"
    "                      [--unit weeks|days] [--merge-period P] [--summary-csv FILE]\n"
    "                      [--tracking-csv FILE] [--holdout-end VALUE [--holdout-csv FILE]] [options]\n"
    "\n"
    "Pareto/NBD model (Schmittlein, Morrison & Colombo 1987) fitted by maximum likelihood:\n"
    "purchase rates ~ Gamma(r, alpha), dropout rates ~ Gamma(s, beta).\n"
    "\n"
    "Customer summaries (--data): one row per customer\n"
    "  --x COL           number of repeat transactions (default column 'x')\n"
    "  --tx COL          time of the last repeat transaction (default 't_x')\n"
    "  --T COL           time since the first transaction (default 'T'); t_x and T in\n"
    "                    one time unit, which alpha and beta then share\n"
    "  --weights COL     number of customers each row stands for\n"
    "  --unit U          the time unit of t_x and T, recorded in the model (predict,\n"
    "                    clv and plot palive refuse data of another --unit): weeks,\n"
    "                    days, or other with --unit-days D its length in days (30.4375\n"
    "                    for months); unknown when not given\n"
    "Transaction log (--events): one row per transaction\n"
    "  --id COL          customer id column (any text)\n"
    "  --time COL        transaction time: ISO dates YYYY-MM-DD[THH:MM[:SS]] or numbers\n"
    "  --calibration-end VALUE  end of the calibration period (inclusive), same kind as --time\n"
    "  --unit U          with dates: weeks (default, t_x and T = days / 7) or days;\n"
    "                    recorded in the model with the calibration end\n"
    "  --merge-period P  count the transactions of one customer within one period of P\n"
    "                    time units once (default 1 day for dates: same-day purchases merge;\n"
    "                    0 for numbers); 0 counts every row\n"
    "  --summary-csv FILE  write the summaries (id,x,t_x,T,x_star) as CSV\n"
    "  --tracking-csv FILE  write the tracking curve: per period of the unit from the first\n"
    "                    purchase to the last event, the cohort's actual and the model's\n"
    "                    expected repeat transactions (period,in_calibration,actual_inc,\n"
    "                    actual_cum,expected_inc,expected_cum)\n"
    "  --holdout-end VALUE  end of the holdout period (inclusive, after the calibration\n"
    "                    end, same kind as --time): fit on the calibration period, then\n"
    "                    print how the model predicts each customer's holdout repeat\n"
    "                    transactions (counted as x, same-period purchases merged):\n"
    "                    totals, MAE, RMSE, correlation and the table by calibration\n"
    "                    x = 0..6, 7+; later transactions are ignored, customers born\n"
    "                    after the calibration end excluded (their count is printed)\n"
    "  --holdout-csv FILE  with --holdout-end: per customer id,x,t_x,T,x_star,predicted\n"
    "Options\n"
    "  --top N           list the N customers least likely to be alive (default 10, 0: none)\n"
    "  --grad-tol G      convergence tolerance on the gradient (default 1e-9)\n"
    "  --maxit N         maximum optimizer iterations (default 200)\n"
    "  --chunk-rows N    rows per chunk read (default 65536); --data past one chunk keeps\n"
    "                    the distinct (x, t_x, T) patterns with their counts\n"
    "  --threads N       threads parsing the CSV and evaluating the likelihood, 1 to 256\n"
    "                    (default 1; the same fit)\n"
    "  --save MODEL      save the fitted model to MODEL\n"
    "  --coef-csv FILE   write the parameter table (terms r, alpha, s, beta) as CSV\n"
    "  --stats-csv FILE  write the fit's statistics as one CSV row (nobs, logLik, aic,\n"
    "                    bic, iter, converged, ...; NA where undefined)\n"
    "  -h, --help        show this help\n";

static const char model_usage[] =
    "Usage: occam model pnbd --r R --alpha A --s S --beta B [--save MODEL] [--coef-csv FILE]\n"
    "                        [--unit weeks|days|other [--unit-days D]]\n"
    "\n"
    "A Pareto/NBD model from parameters estimated elsewhere (a published or earlier fit),\n"
    "to score customers with 'occam predict' without refitting.  alpha and beta are in the\n"
    "time unit of the data to be scored.\n"
    "\n"
    "  --r R, --alpha A, --s S, --beta B   the parameters (all > 0, required)\n"
    "  --unit U          the time unit of alpha and beta, recorded in the model (weeks,\n"
    "                    days, or other with --unit-days D); unknown when not given\n"
    "  --save MODEL      save the model to MODEL\n"
    "  --coef-csv FILE   write the parameter table as CSV\n"
    "  -h, --help        show this help\n";

enum {
    OPT_TX = CLI_OPT_CUSTOM,
    OPT_T,
    OPT_EVENTS,
    OPT_ID,
    OPT_TIME,
    OPT_CAL_END,
    OPT_UNIT,
    OPT_UNIT_DAYS,
    OPT_MERGE,
    OPT_SUMMARY_CSV,
    OPT_HOLDOUT_END,
    OPT_HOLDOUT_CSV,
    OPT_TOP,
    OPT_GRAD_TOL,
    OPT_MAXIT,
    OPT_R,
    OPT_ALPHA,
    OPT_S,
    OPT_BETA,
    OPT_CHUNK_ROWS,
    OPT_THREADS,
    OPT_TRACKING_CSV
};

typedef struct pnbd_args {
    cli_fit_args fit;
    const char *tx, *T, *events, *id, *time, *cal_end, *unit, *merge, *summary_csv, *top, *grad_tol, *maxit;
    const char *chunk_rows, *threads, *tracking_csv, *holdout_end, *holdout_csv, *unit_days;
} pnbd_args;

/* Customers to fit: summaries in column-major n x 3, labels for printing. */
typedef struct customers {
    int64_t n;
    double *X;       /* n x 3, column-major (x, t_x, T) */
    double *w;       /* NULL or n weights */
    char **labels;   /* n labels (ids), or NULL: ids, or row numbers */
    int64_t *ids;    /* n integer ids (events with integer ids only), or NULL */
    double *x_star;  /* holdout counts (events only) */
    int64_t ncust;   /* customers (n, or more when rows are patterns) */
    cli_patterns *pat; /* --data of more than one chunk: the rows are its patterns */
    int64_t *order;  /* row k of X is pattern order[k] of pat */
    int pat_ids;     /* pat keeps ids */
    occam_events *states[2]; /* --tracking-csv: the log's integer-id and text-id states, kept */
    double unit, merge, cal_end; /* and their unit (days per model time unit), merge period, calibration end */
    int64_t n_late;  /* events: customers born after the calibration end (excluded) */
    int64_t n_after; /* events: transactions after --holdout-end (ignored) */
    double horizon;  /* events with --holdout-end: the holdout's length in model units */
    int ctx_unit;    /* the model's context: OCCAM_UNIT_*, days per unit, calibration end (model time) */
    double ctx_days, ctx_end;
} customers;

/* Customer i's label: its id text, integer id, or row number. */
static const char *customer_label(const customers *c, int64_t i, char *buf, size_t cap)
{
    if (c->labels)
        return c->labels[i];
    snprintf(buf, cap, "%lld", (long long)(c->ids ? c->ids[i] : i + 1));
    return buf;
}

static const char *customer_label_fn(const void *c, int64_t i, char *buf, size_t cap)
{
    return customer_label(c, i, buf, cap);
}

static void customers_free(customers *c)
{
    if (c->labels)
        cli_strings_free(c->labels, c->n);
    free(c->X);
    free(c->w);
    free(c->ids);
    free(c->x_star);
    cli_patterns_free(c->pat);
    free(c->order);
    occam_events_free(c->states[0]);
    occam_events_free(c->states[1]);
    memset(c, 0, sizeof *c);
}

/* ------------------------------------------------------------ --data */

/* The patterns of pat as the rows of the fit (weights: their counts). */
static int patterns_to_rows(customers *c)
{
    int64_t u = cli_patterns_count(c->pat);
    int rc = cli_patterns_order(c->pat, &c->order);
    if (rc)
        return rc;
    c->n = u;
    c->X = malloc((size_t)(u > 0 ? u : 1) * 3 * sizeof(double));
    c->w = malloc((size_t)(u > 0 ? u : 1) * sizeof(double));
    if (!c->X || !c->w)
        return cli_fail(CLI_EXIT_FAILURE, "out of memory");
    for (int64_t k = 0; k < u; k++)
        cli_patterns_get(c->pat, c->order[k], &c->X[k], &c->X[k + u], &c->X[k + 2 * u], &c->w[k]);
    return 0;
}

/* One row per customer: in memory when the file is one chunk (as the
 * library reads them), else collapsed to distinct (x, t_x, T) patterns with
 * counts as they are read (memory O(patterns)). */
static int load_summaries(const pnbd_args *a, const cli_read_opts *ro, int64_t top, customers *c)
{
    cli_reader *r = NULL;
    int rc = cli_reader_open(a->fit.data, ro, &r);
    if (rc)
        return rc;
    const char *names[3] = {a->fit.x ? a->fit.x : "x", a->tx ? a->tx : "t_x", a->T ? a->T : "T"};
    /* col[3]: the weights; an "id" column (any text) labels the customers */
    int64_t col[4] = {-1, -1, -1, -1}, idcol = cli_reader_find(r, "id"), n = 0, ld;
    for (int j = 0; j < 3 && !rc; j++)
        rc = cli_reader_require(r, names[j], &col[j]);
    if (!rc && a->fit.weights)
        rc = cli_reader_require(r, a->fit.weights, &col[3]);
    if (!rc)
        rc = cli_reader_numbers(r, col, col[3] >= 0 ? 4 : 3);
    if (!rc && idcol >= 0)
        rc = cli_reader_text(r, idcol);
    if (!rc)
        rc = cli_reader_next(r, &n);
    if (!rc && cli_reader_at_end(r)) { /* one chunk */
        const double *b = cli_reader_block(r, &ld);
        c->n = c->ncust = n;
        c->X = malloc((size_t)n * 3 * sizeof(double));
        c->w = col[3] >= 0 ? malloc((size_t)n * sizeof(double)) : NULL;
        c->labels = idcol >= 0 ? calloc((size_t)n, sizeof(char *)) : NULL;
        if (!c->X || (col[3] >= 0 && !c->w) || (idcol >= 0 && !c->labels))
            rc = cli_fail(CLI_EXIT_FAILURE, "out of memory");
        for (int64_t i = 0; !rc && i < n; i++) {
            for (int j = 0; j < 3; j++)
                c->X[i + j * n] = b[i + j * ld];
            if (c->w)
                c->w[i] = b[i + 3 * ld];
            if (c->labels && !(c->labels[i] = cli_strdup(cli_reader_cell(r, i, idcol))))
                rc = cli_fail(CLI_EXIT_FAILURE, "out of memory");
        }
        cli_reader_close(r);
        return rc;
    }
    c->pat_ids = idcol >= 0;
    if (!rc)
        rc = cli_patterns_new(top, idcol >= 0, &c->pat);
    while (!rc && n > 0) {
        const double *b = cli_reader_block(r, &ld);
        int64_t row0 = cli_reader_row0(r);
        for (int64_t i = 0; !rc && i < n; i++) {
            double w = col[3] >= 0 ? b[i + 3 * ld] : 1.0;
            if (w < 0) /* the library's message, with the customer's row (before collapsing) */
                rc = cli_fail(CLI_EXIT_FAILURE, "fit pnbd on %s: %s (weights must be >= 0: weight %g at row %lld)",
                              a->fit.data, occam_strerror(OCCAM_E_BAD_WEIGHTS), w, (long long)(row0 + i + 1));
            else
                rc = cli_patterns_add(c->pat, b[i], b[i + ld], b[i + 2 * ld], w, row0 + i,
                                      idcol >= 0 ? cli_reader_cell(r, i, idcol) : NULL);
        }
        c->ncust += n;
        if (!rc)
            rc = cli_reader_next(r, &n);
    }
    cli_reader_close(r);
    if (!rc)
        rc = patterns_to_rows(c);
    return rc;
}

/* ------------------------------------------------------------ --events */

/* The log is read by the CLI's reader, its ids and times converted on the
 * parsing threads (cli_reader_convert), and streamed through the library's
 * event states (occam_events) in chunks of EV_CHUNK rows (with --threads >
 * 1 a worker adds one chunk while the next is read): memory O(chunk +
 * customers' distinct purchase periods), not O(rows).  Ids that are
 * canonical decimal integers (those that print back as the same text) go
 * to an integer state; any other id text to a text state: the two hold
 * disjoint customers.  The summaries come out in the natural order of the
 * ids: integers first, numerically, then other text by strcmp (a total
 * order, so 1, 2, ..., 10, not 1, 10, 2), and ties of equal numbers
 * ("01", "1") by strcmp. */
enum { EV_CHUNK = 65536 };

typedef struct ev_reader {
    const pnbd_args *a;
    const char *path;
    const char *want[2];
    int64_t col[2];
    int64_t field, line, n; /* cell in the row, line of the file, data rows */
    int header_done, rc;
    /* the current row */
    int id_is_int;       /* its id: a canonical decimal integer id_v, or the text id_text */
    int64_t id_v;
    const char *id_text; /* (the reader's, valid for the row) */
    size_t id_start, id_len;
    int t_bad, t_date;
    double t;
    const char *tcell; /* its time cell's text (for the messages; the reader's, valid for the row), or NULL
                        * when the value gives it back (ev_time_cell) */
    /* settings, fixed by the first row */
    int dates, ready;  /* ready: the states exist and rows are being added */
    int preset;        /* the settings come from the file's first row, read before (occam-mpi) */
    int preset_ok;     /* and that row's time was a date or a number */
    double end, unit, merge;
    int hold;          /* --holdout-end given and of the times' kind: events after it are dropped */
    double hold_q;     /* the holdout end, floored to periods (floor(H / P)) when P > 0 */
    int64_t n_after;   /* events dropped after the holdout end */
    occam_events *ie, *te;
    int lib_st; /* first library error while adding */
    /* the first bad time: row, kind (1 unparsable, 2 mixes dates and numbers), text */
    int64_t err_row;
    int err_kind;
    char *err_text;
    /* the chunk */
    int64_t m, mi, mt;
    int64_t *ival;
    double *ti, *tt;
    char *arena;
    size_t arena_len, arena_cap;
    size_t *off, *len;
    const char **tid;
    /* --threads > 1: the states are fed by a worker thread while the next
     * chunk is read (a pipeline of two: the chunk above, and `spare`) */
    struct ev_worker *w;
} ev_reader;

/* The buffers of one chunk of events (the reader's current ones, or the
 * worker's). */
typedef struct ev_batch {
    int64_t mi, mt;
    int64_t *ival;
    double *ti, *tt;
    char *arena;
    size_t arena_len, arena_cap;
    size_t *off, *len;
    const char **tid;
} ev_batch;

typedef struct ev_worker {
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int busy, quit, started;
    int st;        /* the first library status of the worker's adds */
    ev_batch b;    /* the batch being added (busy), or the spare buffers */
    occam_events *ie, *te;
} ev_worker;

/* A canonical decimal integer: what "%lld" prints for some int64 (no sign
 * but '-', no leading zeros, not "-0"). */
static int canonical_int(const char *s, size_t len, int64_t *v)
{
    size_t i = s[0] == '-';
    if (len == i || len - i > 19 || (s[i] == '0' && len - i > 1) || (i && s[1] == '0'))
        return 0;
    uint64_t u = 0;
    for (size_t k = i; k < len; k++) {
        if (s[k] < '0' || s[k] > '9')
            return 0;
        u = u * 10 + (uint64_t)(s[k] - '0');
    }
    if (u > (i ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX))
        return 0;
    *v = i ? (int64_t)(0 - u) : (int64_t)u;
    return 1;
}

/* A time cell of len bytes (NUL-terminated): ISO date (-> days, *is_date =
 * 1) or a number (strtod's, by fast_float where it reads the same). */
static int parse_time_len(const char *s, size_t len, double *v, int *is_date)
{
    if (cli_iso_date(s, len, v) == OCCAM_OK) {
        *is_date = 1;
        return 0;
    }
    *is_date = 0;
    const char *e = cli_number_scan(s, s + len, v);
    if (e == s + len)
        return 0;
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    return (end == s || *end != '\0' || !isfinite(*v)) ? -1 : 0;
}

static int parse_time(const char *s, double *v, int *is_date) { return parse_time_len(s, strlen(s), v, is_date); }

/* Converter codes of the id and time cells (cli_reader_convert: they run
 * on the reader's threads). */
enum { EV_INT = 1, EV_TEXT = 2, EV_DATE = 1 + 4, EV_NUMBER = 2 + 4, EV_BAD = 3 + 4 };

/* Largest |integer| whose text a time cell need not keep (exact in a double). */
#define EV_EXACT_INT 9007199254740992.0 /* 2^53 */

static int ev_id_cell(const char *s, size_t len, void *out)
{
    int64_t v;
    if (!canonical_int(s, len, &v))
        return EV_TEXT | CLI_CELL_KEEP_TEXT;
    memcpy(out, &v, sizeof v);
    return EV_INT;
}

/* The text of a time is for the message of a time that mixes kinds: kept
 * unless the value gives it back exactly (ev_time_text): a date of 10
 * bytes (YYYY-MM-DD), a canonical decimal integer below 2^53. */
static int ev_time_cell(const char *s, size_t len, void *out)
{
    double v;
    int is_date;
    if (parse_time_len(s, len, &v, &is_date) != 0)
        return EV_BAD | CLI_CELL_KEEP_TEXT;
    memcpy(out, &v, sizeof v);
    if (is_date)
        return len == 10 ? EV_DATE : EV_DATE | CLI_CELL_KEEP_TEXT;
    int64_t iv;
    if (canonical_int(s, len, &iv) && fabs(v) < EV_EXACT_INT)
        return EV_NUMBER;
    return EV_NUMBER | CLI_CELL_KEEP_TEXT;
}

/* The text of a time cell whose text was not kept (ev_time_cell). */
static void ev_time_text(double t, int is_date, char *buf, size_t cap)
{
    if (!is_date || cli_date_text(t, buf, cap) != 0)
        snprintf(buf, cap, "%lld", (long long)t);
}

/* --unit and --merge-period given the kind of times, without messages
 * (settings_report prints the first problem, in the order of the checks). */
static int settings_ok(const pnbd_args *a, int dates, double *unit, double *merge)
{
    if (a->unit && (!dates || (strcmp(a->unit, "weeks") != 0 && strcmp(a->unit, "days") != 0)))
        return 0;
    *unit = dates && !(a->unit && strcmp(a->unit, "days") == 0) ? 7.0 : 1.0;
    *merge = dates ? 1.0 : 0.0;
    if (a->merge) {
        char *end;
        double v = strtod(a->merge, &end);
        if (end == a->merge || *end != '\0' || !isfinite(v) || v < 0)
            return 0;
        *merge = v;
    }
    return 1;
}

static int settings_report(const pnbd_args *a, int dates)
{
    double merge;
    if (a->unit && !dates)
        return cli_fail(CLI_EXIT_USAGE, "fit pnbd: --unit applies to dates only (numeric times keep their unit)");
    if (a->unit && strcmp(a->unit, "weeks") != 0 && strcmp(a->unit, "days") != 0)
        return cli_fail(CLI_EXIT_USAGE, "fit pnbd: --unit must be weeks or days, not '%s'", a->unit);
    int rc = 0;
    if (a->merge && ((rc = cli_parse_double("fit pnbd", a->merge, "--merge-period", &merge)) != 0 || merge < 0))
        rc = rc ? rc : cli_fail(CLI_EXIT_USAGE, "fit pnbd: --merge-period must be >= 0");
    return rc;
}

/* Add a batch to the states (the worker's, or the reader's own without one). */
static int ev_add_batch(occam_events *ie, occam_events *te, ev_batch *b)
{
    int st = OCCAM_OK;
    if (b->mi > 0)
        st = occam_events_add(ie, b->ival, b->ti, b->mi);
    if (b->mt > 0 && st == OCCAM_OK) {
        for (int64_t k = 0; k < b->mt; k++)
            b->tid[k] = b->arena + b->off[k];
        st = occam_events_add_text(te, b->tid, b->len, b->tt, b->mt);
    }
    return st;
}

static void *ev_worker_main(void *arg)
{
    ev_worker *w = arg;
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (!w->busy && !w->quit)
            pthread_cond_wait(&w->cv, &w->mu);
        if (!w->busy && w->quit)
            break;
        pthread_mutex_unlock(&w->mu);
        int st = w->st == OCCAM_OK ? ev_add_batch(w->ie, w->te, &w->b) : w->st;
        pthread_mutex_lock(&w->mu);
        w->st = st;
        w->busy = 0;
        pthread_cond_broadcast(&w->cv);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

/* Wait until the worker has added its batch; its status into r->lib_st. */
static void ev_worker_wait(ev_reader *r)
{
    ev_worker *w = r->w;
    pthread_mutex_lock(&w->mu);
    while (w->busy)
        pthread_cond_wait(&w->cv, &w->mu);
    if (r->lib_st == OCCAM_OK)
        r->lib_st = w->st;
    pthread_mutex_unlock(&w->mu);
}

static void ev_batch_swap(ev_reader *r, ev_batch *b)
{
    ev_batch mine = {r->mi, r->mt, r->ival, r->ti, r->tt, r->arena, r->arena_len, r->arena_cap, r->off, r->len, r->tid};
    r->mi = b->mi;
    r->mt = b->mt;
    r->ival = b->ival;
    r->ti = b->ti;
    r->tt = b->tt;
    r->arena = b->arena;
    r->arena_len = b->arena_len;
    r->arena_cap = b->arena_cap;
    r->off = b->off;
    r->len = b->len;
    r->tid = b->tid;
    *b = mine;
}

/* Hand the chunk to the states. */
static void ev_flush(ev_reader *r)
{
    if (r->w) { /* to the worker, taking its spare buffers */
        ev_worker_wait(r);
        if (r->lib_st == OCCAM_OK && r->w->started) {
            pthread_mutex_lock(&r->w->mu);
            r->w->ie = r->ie;
            r->w->te = r->te;
            ev_batch_swap(r, &r->w->b);
            r->w->busy = 1;
            pthread_cond_broadcast(&r->w->cv);
            pthread_mutex_unlock(&r->w->mu);
            r->m = r->mi = r->mt = 0;
            r->arena_len = 0;
            return;
        }
    }
    if (r->mi > 0 && r->lib_st == OCCAM_OK)
        r->lib_st = occam_events_add(r->ie, r->ival, r->ti, r->mi);
    if (r->mt > 0 && r->lib_st == OCCAM_OK) {
        for (int64_t k = 0; k < r->mt; k++)
            r->tid[k] = r->arena + r->off[k];
        r->lib_st = occam_events_add_text(r->te, r->tid, r->len, r->tt, r->mt);
    }
    r->m = r->mi = r->mt = 0;
    r->arena_len = 0;
}

/* The settings of a log whose first row's time is a date (or a number):
 * the states, when --calibration-end and the options fit it. */
static void ev_settings(ev_reader *r, int dates)
{
    r->dates = dates;
    double end;
    int end_date = 0;
    if (parse_time(r->a->cal_end, &end, &end_date) == 0 && end_date == r->dates &&
        settings_ok(r->a, r->dates, &r->unit, &r->merge)) {
        r->lib_st = occam_events_new(end, r->merge, &r->ie);
        if (r->lib_st == OCCAM_OK)
            r->lib_st = occam_events_new(end, r->merge, &r->te);
        r->ready = r->lib_st == OCCAM_OK;
        double h;
        int h_date = 0;
        if (r->a->holdout_end && parse_time(r->a->holdout_end, &h, &h_date) == 0 && h_date == r->dates) {
            r->hold = 1;
            r->hold_q = r->merge > 0 ? floor(h / r->merge) : h;
        }
    }
}

/* Whether an event at time t is by the holdout end (in the same periods as
 * the library's: floor(t / P) <= floor(H / P) when P > 0). */
static int ev_by_hold(const ev_reader *r, double t)
{
    return (r->merge > 0 ? floor(t / r->merge) : t) <= r->hold_q;
}

/* The process's rows: its byte range with events hooks (occam-mpi). */
static const cli_events_hooks *ev_hooks;

void cli_pnbd_set_events_hooks(const cli_events_hooks *h) { ev_hooks = h; }

/* One data row into the chunk (the first one fixes the settings). */
static void ev_take_row(ev_reader *r)
{
    r->n++;
    int mixes = r->preset ? r->preset_ok && r->t_date != r->dates : r->n > 1 && r->t_date != r->dates;
    if (r->err_kind == 0 && (r->t_bad || mixes)) {
        r->err_row = r->n;
        r->err_kind = r->t_bad ? 1 : 2;
        char buf[32];
        if (!r->tcell)
            ev_time_text(r->t, r->t_date, buf, sizeof buf);
        if (!(r->err_text = cli_strdup(r->tcell ? r->tcell : buf))) {
            r->rc = cli_fail(CLI_EXIT_FAILURE, "out of memory reading %s", r->path);
            return;
        }
    }
    if (!r->preset && r->n == 1 && !r->t_bad)
        ev_settings(r, r->t_date);
    if (!r->ready || r->err_kind != 0 || r->lib_st != OCCAM_OK)
        return;
    if (r->hold && !ev_by_hold(r, r->t)) {
        r->n_after++;
        return;
    }
    if (r->id_is_int) {
        r->ival[r->mi] = r->id_v;
        r->ti[r->mi++] = r->t;
    } else {
        if (r->arena_cap - r->arena_len < r->id_len) {
            size_t cap = r->arena_cap ? r->arena_cap : 1 << 16;
            while (cap - r->arena_len < r->id_len)
                cap *= 2;
            char *p = realloc(r->arena, cap);
            if (!p) {
                r->rc = cli_fail(CLI_EXIT_FAILURE, "out of memory reading %s", r->path);
                return;
            }
            r->arena = p;
            r->arena_cap = cap;
        }
        memcpy(r->arena + r->arena_len, r->id_text, r->id_len);
        r->off[r->mt] = r->arena_len;
        r->len[r->mt] = r->id_len;
        r->tt[r->mt++] = r->t;
        r->arena_len += r->id_len;
    }
    if (++r->m == EV_CHUNK)
        ev_flush(r);
}

/* Start the worker (its spare buffers of EV_CHUNK events); without a thread
 * the reader adds its chunks itself. */
static int ev_worker_start(ev_reader *r)
{
    ev_worker *w = calloc(1, sizeof *w);
    if (!w)
        return cli_fail(CLI_EXIT_FAILURE, "out of memory");
    r->w = w;
    w->b.ival = malloc(EV_CHUNK * sizeof *w->b.ival);
    w->b.ti = malloc(EV_CHUNK * sizeof *w->b.ti);
    w->b.tt = malloc(EV_CHUNK * sizeof *w->b.tt);
    w->b.off = malloc(EV_CHUNK * sizeof *w->b.off);
    w->b.len = malloc(EV_CHUNK * sizeof *w->b.len);
    w->b.tid = malloc(EV_CHUNK * sizeof *w->b.tid);
    if (!w->b.ival || !w->b.ti || !w->b.tt || !w->b.off || !w->b.len || !w->b.tid)
        return cli_fail(CLI_EXIT_FAILURE, "out of memory");
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    w->started = pthread_create(&w->th, NULL, ev_worker_main, w) == 0;
    return 0;
}

/* Stop the worker after its last batch (its status into r->lib_st). */
static void ev_worker_stop(ev_reader *r)
{
    ev_worker *w = r->w;
    if (!w)
        return;
    if (w->started) {
        ev_worker_wait(r);
        pthread_mutex_lock(&w->mu);
        w->quit = 1;
        pthread_cond_broadcast(&w->cv);
        pthread_mutex_unlock(&w->mu);
        pthread_join(w->th, NULL);
        pthread_mutex_destroy(&w->mu);
        pthread_cond_destroy(&w->cv);
    }
    free(w->b.ival);
    free(w->b.ti);
    free(w->b.tt);
    free(w->b.arena);
    free(w->b.off);
    free(w->b.len);
    free(w->b.tid);
    free(w);
    r->w = NULL;
}

static void ev_reader_free(ev_reader *r)
{
    ev_worker_stop(r);
    occam_events_free(r->ie);
    occam_events_free(r->te);
    free(r->err_text);
    free(r->ival);
    free(r->ti);
    free(r->tt);
    free(r->arena);
    free(r->off);
    free(r->len);
    free(r->tid);
}

/* A whole chunk of the reader at once, when every row is what the rows
 * before it were (integer ids, times of the first row's kind) and the
 * chunk's buffer is empty: the ids and times go to the state (or the
 * worker) as they are in the reader's block, as ev_take_row would have
 * put them.  1 when taken, 0 for the row-by-row way. */
static int ev_take_chunk(ev_reader *r, const double *b, int64_t ld, const unsigned char *ic,
                         const unsigned char *tc, int64_t n)
{
    if (!r->ready || r->err_kind != 0 || r->lib_st != OCCAM_OK || r->m != 0 || n > EV_CHUNK)
        return 0;
    unsigned char want = r->dates ? EV_DATE : EV_NUMBER, other = 0;
    for (int64_t i = 0; i < n; i++)
        other |= (unsigned char)((ic[i] ^ EV_INT) | (tc[i] ^ want));
    if (other)
        return 0;
    const int64_t *ids = (const int64_t *)(const void *)b; /* the converter's int64s (memcpy'd: their type) */
    r->n += n;
    if (r->hold) { /* the events by the holdout end, through the chunk's buffers */
        int64_t k = 0;
        for (int64_t i = 0; i < n; i++) {
            r->ival[k] = ids[i];
            r->ti[k] = b[ld + i];
            k += ev_by_hold(r, b[ld + i]);
        }
        r->n_after += n - k;
        r->mi = r->m = k;
        ev_flush(r);
        return 1;
    }
    if (!r->w) {
        r->lib_st = occam_events_add(r->ie, ids, b + ld, n);
        return 1;
    }
    memcpy(r->ival, ids, (size_t)n * sizeof *r->ival);
    memcpy(r->ti, b + ld, (size_t)n * sizeof *r->ti);
    r->mi = r->m = n;
    ev_flush(r);
    return 1;
}

/* Read the log through the CLI's reader (cli_reader.c), keeping the --id
 * and --time columns as text, and hand it to the states in chunks. */
static int ev_read(ev_reader *r, const cli_read_opts *ro)
{
    r->ival = malloc(EV_CHUNK * sizeof *r->ival);
    r->ti = malloc(EV_CHUNK * sizeof *r->ti);
    r->tt = malloc(EV_CHUNK * sizeof *r->tt);
    r->off = malloc(EV_CHUNK * sizeof *r->off);
    r->len = malloc(EV_CHUNK * sizeof *r->len);
    r->tid = malloc(EV_CHUNK * sizeof *r->tid);
    if (!r->ival || !r->ti || !r->tt || !r->off || !r->len || !r->tid)
        return cli_fail(CLI_EXIT_FAILURE, "out of memory");
    cli_reader *rd = NULL;
    char open_msg[2048];
    if (ev_hooks) /* the processes agree on a failure to open (ev_hooks->open) */
        cli_capture_messages(open_msg, sizeof open_msg);
    int rc = ro->threads > 1 ? ev_worker_start(r) : 0;
    if (!rc)
        rc = cli_reader_open(r->path, ro, &rd);
    for (int k = 0; k < 2 && !rc; k++)
        if ((r->col[k] = cli_reader_find(rd, r->want[k])) < 0)
            rc = cli_fail(CLI_EXIT_FAILURE, "%s: no column named '%s'", r->path, r->want[k]);
    for (int k = 0; k < 2 && !rc; k++)
        rc = cli_reader_text(rd, r->col[k]);
    if (!rc && r->col[0] == r->col[1])
        rc = cli_fail(CLI_EXIT_USAGE, "fit pnbd: --id and --time name the same column '%s'", r->want[0]);
    /* the ids and times are converted on the reader's threads */
    if (!rc)
        rc = cli_reader_convert(rd, r->col[0], ev_id_cell);
    if (!rc)
        rc = cli_reader_convert(rd, r->col[1], ev_time_cell);
    void *rows = NULL;
    char msg[2048];
    if (ev_hooks) { /* this process's bytes, the settings from the file's first row */
        cli_capture_messages(NULL, 0);
        int has = 0, code = 0;
        rc = ev_hooks->open(ev_hooks->ctx, rd, rc, open_msg, 1, &has, &code, &rows);
        r->preset = 1;
        r->preset_ok = has && code != EV_BAD;
        if (!rc && r->preset_ok)
            ev_settings(r, code == EV_DATE);
        cli_capture_messages(msg, sizeof msg);
    }
    int64_t n = 0, ld;
    while (!rc && (rc = ev_hooks ? ev_hooks->next(ev_hooks->ctx, rd, rows, &n) : cli_reader_next(rd, &n)) == 0 &&
           n > 0) {
        const double *b = cli_reader_block(rd, &ld);
        const unsigned char *ic = cli_reader_codes(rd, 0), *tc = cli_reader_codes(rd, 1);
        if (ev_take_chunk(r, b, ld, ic, tc, n))
            continue;
        for (int64_t i = 0; i < n && !r->rc; i++) {
            r->id_is_int = ic[i] == EV_INT;
            if (r->id_is_int) {
                memcpy(&r->id_v, &b[i], sizeof r->id_v);
            } else {
                r->id_text = cli_reader_cell(rd, i, r->col[0]);
                r->id_len = strlen(r->id_text); /* the id is the text up to a NUL byte, as a C string */
            }
            r->t_bad = tc[i] == EV_BAD;
            r->t_date = tc[i] == EV_DATE;
            r->t = b[ld + i];
            r->tcell = cli_reader_cell(rd, i, r->col[1]);
            ev_take_row(r);
        }
        rc = r->rc;
    }
    r->rc = rc;
    if (!r->rc && r->ready)
        ev_flush(r);
    ev_worker_stop(r); /* the last batch added */
    if (ev_hooks) { /* all processes' rows: agree on a failure, merge the states */
        if (!r->rc && r->lib_st != OCCAM_OK) /* the library's failure, as load_events says it */
            r->rc = cli_fail_status(r->lib_st, "fit pnbd: cannot summarize %s", r->a->events);
        cli_capture_messages(NULL, 0);
        cli_events_result e = {r->n, r->err_row, r->err_kind, r->err_text, r->ie, r->te};
        r->rc = ev_hooks->done(ev_hooks->ctx, rd, rows, r->rc, msg, &e);
        r->n = e.n;
        r->err_row = e.err_row;
        r->err_kind = e.err_kind;
        r->err_text = e.err_text;
        r->ie = e.ie;
        r->te = e.te;
        r->lib_st = OCCAM_OK;
        ev_hooks->close(ev_hooks->ctx, rows);
    }
    cli_reader_close(rd);
    return r->rc;
}

/* Summaries of one state (n = 0 when it has no customer by the end). */
typedef struct ev_part {
    int64_t n;
    double *S, *xs; /* n x 3 row-major, n */
    int64_t *ids;   /* integer state */
    char *bytes;    /* text state: n ids, concatenated */
    size_t *lens;
} ev_part;

static void ev_part_free(ev_part *p)
{
    free(p->S);
    free(p->xs);
    free(p->ids);
    free(p->bytes);
    free(p->lens);
}

static int ev_summarize(occam_events *e, int text, ev_part *p)
{
    memset(p, 0, sizeof *p);
    int st = occam_events_compact(e);
    if (st == OCCAM_OK)
        st = occam_events_summary(e, NULL, NULL, NULL, 0, &p->n);
    if (st == OCCAM_E_NO_DATA) {
        p->n = 0;
        return OCCAM_OK;
    }
    if (st != OCCAM_E_BUFFER_TOO_SMALL)
        return st;
    p->S = malloc((size_t)p->n * 3 * sizeof *p->S);
    p->xs = malloc((size_t)p->n * sizeof *p->xs);
    if (!p->S || !p->xs)
        return OCCAM_E_NOMEM;
    st = occam_events_summary(e, p->S, NULL, p->xs, p->n, &p->n);
    if (st == OCCAM_OK && !text) {
        if (!(p->ids = malloc((size_t)p->n * sizeof *p->ids)))
            return OCCAM_E_NOMEM;
        st = occam_events_ids(e, p->ids, p->n, &p->n);
    } else if (st == OCCAM_OK) {
        size_t nb = 0;
        int64_t k;
        if (!(p->lens = malloc((size_t)p->n * sizeof *p->lens)))
            return OCCAM_E_NOMEM;
        st = occam_events_text_ids(e, NULL, 0, p->lens, p->n, &nb, &k);
        if (st == OCCAM_E_BUFFER_TOO_SMALL || st == OCCAM_OK) {
            if (!(p->bytes = malloc(nb + 1)))
                return OCCAM_E_NOMEM;
            st = occam_events_text_ids(e, p->bytes, nb, p->lens, p->n, &nb, &k);
        }
    }
    return st;
}

/* The natural order of ids (integers numerically, then text by strcmp),
 * from keys computed once per customer. */
typedef struct id_key {
    int is_int;
    long long v;
    const char *s;
    int64_t i;
} id_key;

static int cmp_id_key(const void *pa, const void *pb)
{
    const id_key *x = pa, *y = pb;
    if (x->is_int && y->is_int && x->v != y->v)
        return x->v < y->v ? -1 : 1;
    if (x->is_int != y->is_int)
        return x->is_int ? -1 : 1;
    return strcmp(x->s, y->s);
}

/* Both states' summaries into c, in the natural order of the ids. */
static int ev_customers(const ev_part *pi, const ev_part *pt, double unit, customers *c)
{
    int64_t k = pi->n + pt->n;
    c->n = k;
    c->X = malloc((size_t)k * 3 * sizeof *c->X);
    c->x_star = malloc((size_t)k * sizeof *c->x_star);
    if (!c->X || !c->x_star)
        return cli_fail(CLI_EXIT_FAILURE, "out of memory");
    if (pt->n == 0) { /* integer ids only: already in order */
        for (int64_t i = 0; i < k; i++) {
            c->X[i] = pi->S[3 * i];
            c->X[i + k] = pi->S[3 * i + 1] / unit;
            c->X[i + 2 * k] = pi->S[3 * i + 2] / unit;
            c->x_star[i] = pi->xs[i];
        }
        c->ids = pi->ids;
        return 0;
    }
    id_key *key = malloc((size_t)k * sizeof *key);
    c->labels = calloc((size_t)k, sizeof(char *));
    if (!key || !c->labels) {
        free(key);
        return cli_fail(CLI_EXIT_FAILURE, "out of memory");
    }
    int rc = 0;
    size_t pos = 0;
    for (int64_t i = 0; i < k && !rc; i++) {
        char *lab;
        if (i < pi->n) {
            char num[24];
            snprintf(num, sizeof num, "%lld", (long long)pi->ids[i]);
            lab = cli_strdup(num);
        } else {
            size_t len = pt->lens[i - pi->n];
            lab = malloc(len + 1);
            if (lab) {
                memcpy(lab, pt->bytes + pos, len);
                lab[len] = '\0';
            }
            pos += len;
        }
        if (!lab) {
            rc = cli_fail(CLI_EXIT_FAILURE, "out of memory");
            break;
        }
        char *end;
        errno = 0;
        key[i].v = strtoll(lab, &end, 10);
        key[i].is_int = end != lab && *end == '\0' && errno == 0;
        key[i].s = lab;
        key[i].i = i;
        c->labels[i] = lab;
    }
    if (!rc) {
        qsort(key, (size_t)k, sizeof *key, cmp_id_key);
        char **labels = malloc((size_t)k * sizeof *labels);
        if (!labels)
            rc = cli_fail(CLI_EXIT_FAILURE, "out of memory");
        for (int64_t j = 0; !rc && j < k; j++) {
            int64_t i = key[j].i;
            const ev_part *p = i < pi->n ? pi : pt;
            int64_t r = i < pi->n ? i : i - pi->n;
            c->X[j] = p->S[3 * r];
            c->X[j + k] = p->S[3 * r + 1] / unit;
            c->X[j + 2 * k] = p->S[3 * r + 2] / unit;
            c->x_star[j] = p->xs[r];
            labels[j] = c->labels[i];
        }
        if (!rc) {
            free(c->labels);
            c->labels = labels;
        }
    }
    free(key);
    return rc;
}

static int load_events(const pnbd_args *a, const cli_read_opts *ro, customers *c, char *what, size_t cap)
{
    ev_reader r;
    memset(&r, 0, sizeof r);
    r.a = a;
    r.path = a->events;
    r.want[0] = a->id;
    r.want[1] = a->time;
    int rc = ev_read(&r, ro), end_date = 0;
    double end;
    /* the checks of a whole-file read, in its order */
    if (!rc && parse_time(a->cal_end, &end, &end_date) != 0)
        rc = cli_fail(CLI_EXIT_USAGE, "fit pnbd: --calibration-end '%s' is neither a date nor a number", a->cal_end);
    if (!rc && r.err_kind)
        rc = cli_fail(CLI_EXIT_FAILURE, r.err_kind == 1 ? "%s: row %lld: time '%s' is neither an ISO date nor a number"
                                                       : "%s: row %lld: time '%s' mixes dates and numbers",
                      a->events, (long long)r.err_row, r.err_text);
    if (!rc && end_date != r.dates)
        rc = cli_fail(CLI_EXIT_USAGE, "fit pnbd: --calibration-end must be a %s like the --time column",
                      r.dates ? "date" : "number");
    double hend = 0;
    int hend_date = 0;
    if (!rc && a->holdout_end && parse_time(a->holdout_end, &hend, &hend_date) != 0)
        rc = cli_fail(CLI_EXIT_USAGE, "fit pnbd: --holdout-end '%s' is neither a date nor a number", a->holdout_end);
    if (!rc && a->holdout_end && hend_date != r.dates)
        rc = cli_fail(CLI_EXIT_USAGE, "fit pnbd: --holdout-end must be a %s like the --time column",
                      r.dates ? "date" : "number");
    if (!rc && !r.ready)
        rc = settings_report(a, r.dates);
    if (!rc && r.lib_st != OCCAM_OK)
        rc = cli_fail_status(r.lib_st, "fit pnbd: cannot summarize %s", a->events);
    ev_part pi, pt;
    memset(&pi, 0, sizeof pi);
    memset(&pt, 0, sizeof pt);
    if (!rc) {
        int st = ev_summarize(r.ie, 0, &pi);
        if (st == OCCAM_OK)
            st = ev_summarize(r.te, 1, &pt);
        if (st == OCCAM_OK && pi.n + pt.n == 0) /* the library's message for no customer */
            st = occam_events_summary(r.ie, NULL, NULL, NULL, 0, &pi.n);
        if (st != OCCAM_OK)
            rc = cli_fail_status(st, "fit pnbd: cannot summarize %s", a->events);
    }
    if (!rc && a->holdout_end) { /* customers born after the calibration end: counted, excluded */
        int64_t all[2] = {0, 0}, by[2] = {0, 0};
        int st = occam_events_customers(r.ie, &all[0], &by[0]);
        if (st == OCCAM_OK)
            st = occam_events_customers(r.te, &all[1], &by[1]);
        if (st != OCCAM_OK)
            rc = cli_fail_status(st, "fit pnbd: cannot summarize %s", a->events);
        c->n_late = all[0] - by[0] + all[1] - by[1];
        c->n_after = r.n_after;
        /* the holdout's length, in the periods the library counts */
        double e0 = r.merge > 0 ? floor(end / r.merge) * r.merge : end;
        double h0 = r.merge > 0 ? r.hold_q * r.merge : hend;
        c->horizon = (h0 - e0) / r.unit;
    }
    if (!rc)
        rc = ev_customers(&pi, &pt, r.unit, c);
    if (c->ids == pi.ids)
        pi.ids = NULL; /* now c's */
    if (!rc)
        snprintf(what, cap, "%lld transactions in %s, calibration end %s, times in %s%s", (long long)r.n, a->events,
                 a->cal_end, r.dates ? (r.unit == 7.0 ? "weeks" : "days") : "the file's unit",
                 r.merge > 0 ? ", same-period transactions merged" : "");
    if (!rc) { /* the context: dates in weeks or days, numbers in the file's (unknown) unit */
        c->ctx_unit = !r.dates ? OCCAM_UNIT_UNKNOWN : r.unit == 7.0 ? OCCAM_UNIT_WEEKS : OCCAM_UNIT_DAYS;
        c->ctx_days = r.dates ? r.unit : NAN;
        c->ctx_end = end / r.unit;
    }
    if (!rc && a->tracking_csv) { /* kept for the tracking curve, after the fit */
        c->states[0] = r.ie;
        c->states[1] = r.te;
        r.ie = r.te = NULL;
        c->unit = r.unit;
        c->merge = r.merge;
        c->cal_end = end;
    }
    ev_part_free(&pi);
    ev_part_free(&pt);
    ev_reader_free(&r);
    return rc;
}

static int write_summary_csv(const customers *c, const char *path)
{
    if (!path || !cli_reporting())
        return 0;
    FILE *f = NULL;
    cli_outfile *o = NULL;
    int rc = cli_outfile_open("fit pnbd: --summary-csv", path, &o, &f);
    if (rc)
        return rc;
    fputs("id,x,t_x,T,x_star\n", f);
    for (int64_t i = 0; i < c->n; i++) {
        char buf[32];
        const char *id = customer_label(c, i, buf, sizeof buf);
        int quote = strpbrk(id, ",\"\r\n") != NULL;
        if (quote) {
            fputc('"', f);
            for (const char *p = id; *p; p++) {
                if (*p == '"')
                    fputc('"', f);
                fputc(*p, f);
            }
            fputc('"', f);
        } else {
            fputs(id, f);
        }
        const double v[4] = {c->X[i], c->X[i + c->n], c->X[i + 2 * c->n], c->x_star ? c->x_star[i] : NAN};
        for (int j = 0; j < 4; j++) {
            fputc(',', f);
            cli_put_number(f, v[j]);
        }
        fputc('\n', f);
    }
    return cli_outfile_commit(o);
}

/* ------------------------------------------------------------ reporting */

static double info(const occam_model *m, int key)
{
    double v = NAN;
    return occam_model_info(m, key, &v) < 0 ? NAN : v;
}

typedef struct ranked {
    double p;
    int64_t i;
} ranked;

static int cmp_ranked(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->p != y->p)
        return x->p < y->p ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

/* One line of the least-alive listing. */
static void print_customer(const char *id, int64_t row, const double *X, int64_t ld, int64_t k, double p)
{
    char lab[32];
    if (id)
        snprintf(lab, sizeof lab, "%.12s", id);
    else
        snprintf(lab, sizeof lab, "%lld", (long long)row + 1);
    printf("%12s %8.0f %10.4g %10.4g %12.4e\n", lab, X[k], X[k + ld], X[k + 2 * ld], p);
}

/* A pattern by P(alive), then by its first customer's row. */
typedef struct pattern_rank {
    double p;
    int64_t first, k; /* first row, row of X */
} pattern_rank;

static int cmp_pattern_rank(const void *a, const void *b)
{
    const pattern_rank *x = a, *y = b;
    if (x->p != y->p)
        return x->p < y->p ? -1 : 1;
    return x->first < y->first ? -1 : x->first > y->first;
}

/* The listing from collapsed rows: patterns by P(alive), taken until `top`
 * customers are listed and then all patterns tied with the last; their
 * listed customers (the first `top` of each) ordered by (P(alive), row) as
 * the ranking of every customer would order them. */
static int print_least_alive_patterns(const customers *c, const double *pa, int64_t top)
{
    int64_t u = c->n, m = 0, q = 0, taken = 0;
    const char *id;
    pattern_rank *all = malloc((size_t)(u > 0 ? u : 1) * sizeof *all);
    if (!all)
        return cli_fail(CLI_EXIT_FAILURE, "out of memory");
    for (int64_t k = 0; k < u; k++)
        all[k] = (pattern_rank){pa[k], cli_patterns_listed(c->pat, c->order[k], 0, &id), k};
    qsort(all, (size_t)u, sizeof *all, cmp_pattern_rank);
    for (; q < u && (taken < top || (q > 0 && all[q].p == all[q - 1].p)); q++)
        for (int64_t j = 0; cli_patterns_listed(c->pat, c->order[all[q].k], j, &id) >= 0; j++)
            taken++;
    /* the customers of the q patterns taken: (p, row) and where they are */
    typedef struct listed {
        double p;
        int64_t row, k, j;
    } listed;
    listed *e = malloc((size_t)(taken > 0 ? taken : 1) * sizeof *e);
    if (!e) {
        free(all);
        return cli_fail(CLI_EXIT_FAILURE, "out of memory");
    }
    for (int64_t s = 0; s < q; s++) {
        int64_t row;
        for (int64_t j = 0; (row = cli_patterns_listed(c->pat, c->order[all[s].k], j, &id)) >= 0; j++)
            e[m++] = (listed){all[s].p, row, all[s].k, j};
    }
    /* (p, row) order: insertion sort, m is about top */
    for (int64_t i = 1; i < m; i++) {
        listed v = e[i];
        int64_t j = i;
        for (; j > 0 && (e[j - 1].p > v.p || (e[j - 1].p == v.p && e[j - 1].row > v.row)); j--)
            e[j] = e[j - 1];
        e[j] = v;
    }
    printf("\nCustomers least likely to be alive (P(alive) at T):\n");
    printf("%12s %8s %10s %10s %12s\n", c->pat_ids ? "id" : "row", "x", "t_x", "T", "P(alive)");
    for (int64_t i = 0; i < m && i < top; i++) {
        cli_patterns_listed(c->pat, c->order[e[i].k], e[i].j, &id);
        print_customer(id, e[i].row, c->X, c->n, e[i].k, e[i].p);
    }
    free(e);
    free(all);
    return 0;
}

static int print_least_alive(const occam_model *m, const customers *c, int64_t top)
{
    if (top <= 0)
        return 0;
    double *pa = malloc((size_t)c->n * sizeof(double));
    ranked *r = malloc((size_t)c->n * sizeof(ranked));
    if (!pa || !r) {
        free(pa);
        free(r);
        return cli_fail(CLI_EXIT_FAILURE, "out of memory");
    }
    int st = occam_model_predict(m, OCCAM_PREDICT_PALIVE, 0, c->X, c->n, 3, c->n, OCCAM_COL_MAJOR, NULL, pa, NULL,
                                 c->n);
    int rc = st < 0 ? cli_fail_status(st, "fit pnbd: P(alive)") : 0;
    if (!rc && c->pat) {
        rc = print_least_alive_patterns(c, pa, top);
    } else if (!rc) {
        for (int64_t i = 0; i < c->n; i++)
            r[i] = (ranked){pa[i], i};
        qsort(r, (size_t)c->n, sizeof *r, cmp_ranked);
        if (top > c->n)
            top = c->n;
        printf("\nCustomers least likely to be alive (P(alive) at T):\n");
        printf("%12s %8s %10s %10s %12s\n", c->labels || c->ids ? "id" : "row", "x", "t_x", "T", "P(alive)");
        for (int64_t j = 0; j < top; j++) {
            int64_t i = r[j].i;
            char buf[32];
            print_customer(customer_label(c, i, buf, sizeof buf), i, c->X, c->n, i, r[j].p);
        }
    }
    free(pa);
    free(r);
    return rc;
}

int cli_print_pnbd_fit(const occam_model *m)
{
    int rc = cli_print_coef_table(stdout, m);
    if (rc)
        return rc;
    double ll = info(m, OCCAM_INFO_LOGLIK);
    printf("\nLog-likelihood: %.10g (df = 4)   AIC: %.10g\n", ll, info(m, OCCAM_INFO_AIC));
    printf("Iterations: %.0f, %s (max |gradient| of the mean log-likelihood over log-parameters: %.3g)\n",
           info(m, OCCAM_INFO_ITER), info(m, OCCAM_INFO_CONVERGED) == 1 ? "converged" : "NOT converged",
           info(m, OCCAM_INFO_GRAD_NORM));
    cli_print_context(stdout, m);
    return 0;
}

static int print_fit(const occam_model *m, const customers *c, const char *source, int64_t top)
{
    printf("\nPareto/NBD model fitted to %lld customers (%s)\n", (long long)(c->pat ? c->ncust : c->n), source);
    int rc = cli_print_pnbd_fit(m);
    if (rc)
        return rc;
    int flags = 0;
    occam_model_conditions(m, &flags);
    if (flags & OCCAM_COND_NO_DROPOUT) {
        /* every P(alive) is 1: a ranking would list arbitrary customers */
        printf("No evidence of dropout: the fit is the limit s, beta -> Inf with s/beta -> 0, the NBD model\n"
               "(r, alpha) without dropout; P(alive) = 1 for every customer.\n");
        return 0;
    }
    return print_least_alive(m, c, top);
}

static int make_opts(const pnbd_args *a, const cli_read_opts *ro, occam_opts **o)
{
    int rc, st = occam_opts_new(o);
    if (st != OCCAM_OK)
        return cli_fail_status(st, "fit pnbd: cannot create the options");
    /* --threads: also the likelihood's blocks (the same fit, bit for bit) */
    if (ro->threads > 1 && occam_opts_set_int(*o, OCCAM_OPT_THREADS, ro->threads) != OCCAM_OK)
        return cli_bad_option_value("fit pnbd", "--threads");
    if (a->grad_tol) {
        double g;
        if ((rc = cli_parse_double("fit pnbd", a->grad_tol, "--grad-tol", &g)) != 0)
            return rc;
        if (occam_opts_set_double(*o, OCCAM_OPT_GRAD_TOL, g) != OCCAM_OK)
            return cli_bad_option_value("fit pnbd", "--grad-tol");
    }
    if (a->maxit) {
        int64_t k;
        if ((rc = cli_parse_int64("fit pnbd", a->maxit, "--maxit", &k)) != 0)
            return rc;
        if (occam_opts_set_int(*o, OCCAM_OPT_MAXIT, k) != OCCAM_OK)
            return cli_bad_option_value("fit pnbd", "--maxit");
    }
    return 0;
}

int cli_fit_pnbd(int argc, char **argv)
{
    const char *cmd = "fit pnbd";
    static const struct option longopts[] = {CLI_FIT_LONG_OPTIONS,
                                             {"tx", required_argument, NULL, OPT_TX},
                                             {"T", required_argument, NULL, OPT_T},
                                             {"events", required_argument, NULL, OPT_EVENTS},
                                             {"id", required_argument, NULL, OPT_ID},
                                             {"time", required_argument, NULL, OPT_TIME},
                                             {"calibration-end", required_argument, NULL, OPT_CAL_END},
                                             {"unit", required_argument, NULL, OPT_UNIT},
                                             {"unit-days", required_argument, NULL, OPT_UNIT_DAYS},
                                             {"merge-period", required_argument, NULL, OPT_MERGE},
                                             {"summary-csv", required_argument, NULL, OPT_SUMMARY_CSV},
                                             {"holdout-end", required_argument, NULL, OPT_HOLDOUT_END},
                                             {"holdout-csv", required_argument, NULL, OPT_HOLDOUT_CSV},
                                             {"top", required_argument, NULL, OPT_TOP},
                                             {"grad-tol", required_argument, NULL, OPT_GRAD_TOL},
                                             {"maxit", required_argument, NULL, OPT_MAXIT},
                                             {"chunk-rows", required_argument, NULL, OPT_CHUNK_ROWS},
                                             {"threads", required_argument, NULL, OPT_THREADS},
                                             {"tracking-csv", required_argument, NULL, OPT_TRACKING_CSV},
                                             {"help", no_argument, NULL, 'h'},
                                             {0, 0, 0, 0}};
    pnbd_args a;
    memset(&a, 0, sizeof a);
    cli_fit_args_init(&a.fit);
    int c, started = 0;
    while ((c = cli_getopt(argc, argv, longopts, &started)) != -1) {
        switch (c) {
        case 'h': fputs(fit_usage, stdout); return CLI_EXIT_OK;
        case OPT_TX: a.tx = optarg; break;
        case OPT_T: a.T = optarg; break;
        case OPT_EVENTS: a.events = optarg; break;
        case OPT_ID: a.id = optarg; break;
        case OPT_TIME: a.time = optarg; break;
        case OPT_CAL_END: a.cal_end = optarg; break;
        case OPT_UNIT: a.unit = optarg; break;
        case OPT_UNIT_DAYS: a.unit_days = optarg; break;
        case OPT_MERGE: a.merge = optarg; break;
        case OPT_SUMMARY_CSV: a.summary_csv = optarg; break;
        case OPT_HOLDOUT_END: a.holdout_end = optarg; break;
        case OPT_HOLDOUT_CSV: a.holdout_csv = optarg; break;
        case OPT_TOP: a.top = optarg; break;
        case OPT_GRAD_TOL: a.grad_tol = optarg; break;
        case OPT_MAXIT: a.maxit = optarg; break;
        case OPT_CHUNK_ROWS: a.chunk_rows = optarg; break;
        case OPT_THREADS: a.threads = optarg; break;
        case OPT_TRACKING_CSV: a.tracking_csv = optarg; break;
        default:
            if (!cli_fit_args_take(&a.fit, c, optarg))
                return cli_bad_option(cmd, c, argv);
        }
    }
    int rc = cli_no_operands(cmd, argc, argv), cust_unit = OCCAM_UNIT_UNKNOWN;
    double cust_days = NAN;
    if (rc)
        return rc;
    if (a.fit.y || a.fit.offset || !a.fit.intercept)
        return cli_fail(CLI_EXIT_USAGE, "%s: --%s does not apply to a Pareto/NBD model", cmd,
                        a.fit.y ? "y" : a.fit.offset ? "offset" : "no-intercept");
    if (!a.fit.data == !a.events)
        return cli_fail(CLI_EXIT_USAGE, "%s: give either --data (customer summaries) or --events (transactions)", cmd);
    if (a.events) {
        if ((rc = cli_require(cmd, a.id, "id")) || (rc = cli_require(cmd, a.time, "time")) ||
            (rc = cli_require(cmd, a.cal_end, "calibration-end")))
            return rc;
        if (a.fit.x || a.tx || a.T || a.fit.weights || a.unit_days)
            return cli_fail(CLI_EXIT_USAGE, "%s: --x, --tx, --T, --weights and --unit-days apply to --data only", cmd);
    } else if (a.id || a.time || a.cal_end || a.merge || a.summary_csv || a.tracking_csv || a.holdout_end) {
        return cli_fail(CLI_EXIT_USAGE, "%s: --id, --time, --calibration-end, --merge-period, --summary-csv, "
                                        "--tracking-csv and --holdout-end apply to --events only",
                        cmd);
    } else if ((rc = cli_parse_unit(cmd, a.unit, a.unit_days, &cust_unit, &cust_days)) != 0) {
        return rc;
    }
    if (a.holdout_csv && !a.holdout_end)
        return cli_fail(CLI_EXIT_USAGE, "%s: --holdout-csv needs --holdout-end", cmd);
    if (a.holdout_end) { /* before the log is read: the holdout follows the calibration period */
        double ce, he;
        int cd = 0, hd = 0;
        if (parse_time(a.cal_end, &ce, &cd) == 0 && parse_time(a.holdout_end, &he, &hd) == 0 && cd == hd &&
            !(he > ce))
            return cli_fail(CLI_EXIT_USAGE, "%s: --holdout-end %s must be after --calibration-end %s", cmd,
                            a.holdout_end, a.cal_end);
    }
    int64_t top = 10;
    if (a.top && (rc = cli_parse_int64(cmd, a.top, "--top", &top)) != 0)
        return rc;
    cli_read_opts ro;
    if ((rc = cli_read_options(cmd, a.chunk_rows, a.threads, 1, &ro)) != 0)
        return rc;
    customers cust;
    memset(&cust, 0, sizeof cust);
    char source[1024];
    occam_opts *o = NULL;
    occam_model *m = NULL;
    if (a.events) {
        double t0 = cli_seconds(), u0, s0, u1, s1;
        cli_cpu_seconds(&u0, &s0);
        rc = load_events(&a, &ro, &cust, source, sizeof source);
        if (!rc && getenv("OCCAM_CLI_TIMING")) { /* bench/ingest/run.sh: the reading alone */
            double t1 = cli_seconds();
            cli_cpu_seconds(&u1, &s1);
            fprintf(stderr, "occam: timing: reading %s into customer summaries: %.3f s\n", a.events, t1 - t0);
            fprintf(stderr, "occam: timing: its CPU time: %.3f s user, %.3f s system\n", u1 - u0, s1 - s0);
        }
        if (!rc)
            rc = write_summary_csv(&cust, a.summary_csv);
    } else {
        rc = load_summaries(&a, &ro, top, &cust);
        snprintf(source, sizeof source, "%s", a.fit.data);
        cust.ctx_unit = cust_unit;
        cust.ctx_days = cust_days;
        cust.ctx_end = NAN;
    }
    if (!rc)
        rc = make_opts(&a, &ro, &o);
    if (!rc) {
        int st = occam_pnbd_new(&m);
        if (st == OCCAM_OK)
            st = occam_model_fit(m, o, cust.X, cust.n, 3, cust.n, OCCAM_COL_MAJOR, NULL, cust.w, NULL);
        if (st < 0)
            rc = cli_fail_status(st, "%s on %s", cmd, a.events ? a.events : a.fit.data);
        else if (st > 0)
            cli_fail_status(st, "%s on %s", cmd, a.events ? a.events : a.fit.data);
    }
    if (!rc) { /* the unit, the calibration end and (--data) the columns fitted */
        const char *names[3] = {a.fit.x ? a.fit.x : "x", a.tx ? a.tx : "t_x", a.T ? a.T : "T"};
        rc = cli_context_store(cmd, m, cust.ctx_unit, cust.ctx_days, cust.ctx_end, a.events ? a.cal_end : NULL,
                               a.events ? NULL : names, 3);
    }
    if (!rc)
        rc = print_fit(m, &cust, source, top);
    if (!rc && a.holdout_end) {
        char window[512];
        snprintf(window, sizeof window, "calibration to %s, holdout to %s: %.10g time units", a.cal_end,
                 a.holdout_end, cust.horizon);
        rc = cli_holdout_report(m, cust.X, cust.x_star, cust.n, cust.horizon, window, cust.n_late, cust.n_after,
                                a.holdout_csv, customer_label_fn, &cust);
    }
    if (!rc)
        rc = cli_write_coef_csv(cmd, m, a.fit.coef_csv);
    if (!rc)
        rc = cli_write_stats_csv(cmd, m, a.fit.stats_csv);
    if (!rc)
        rc = cli_write_tracking_csv(cmd, m, cust.states, cust.unit, cust.merge, cust.cal_end, a.tracking_csv);
    if (!rc)
        rc = cli_save_model(cmd, m, a.fit.save);
    occam_model_free(m);
    occam_opts_free(o);
    customers_free(&cust);
    return rc;
}

int cli_model_pnbd(int argc, char **argv)
{
    const char *cmd = "model pnbd";
    static const struct option longopts[] = {{"r", required_argument, NULL, OPT_R},
                                             {"alpha", required_argument, NULL, OPT_ALPHA},
                                             {"s", required_argument, NULL, OPT_S},
                                             {"beta", required_argument, NULL, OPT_BETA},
                                             {"save", required_argument, NULL, CLI_OPT_SAVE},
                                             {"coef-csv", required_argument, NULL, CLI_OPT_COEF_CSV},
                                             {"unit", required_argument, NULL, OPT_UNIT},
                                             {"unit-days", required_argument, NULL, OPT_UNIT_DAYS},
                                             {"help", no_argument, NULL, 'h'},
                                             {0, 0, 0, 0}};
    const char *val[4] = {NULL, NULL, NULL, NULL}, *save = NULL, *coef_csv = NULL, *unit = NULL, *unit_days = NULL;
    static const char *const names[4] = {"r", "alpha", "s", "beta"};
    int c, started = 0;
    while ((c = cli_getopt(argc, argv, longopts, &started)) != -1) {
        switch (c) {
        case 'h': fputs(model_usage, stdout); return CLI_EXIT_OK;
        case OPT_R: val[0] = optarg; break;
        case OPT_ALPHA: val[1] = optarg; break;
        case OPT_S: val[2] = optarg; break;
        case OPT_BETA: val[3] = optarg; break;
        case CLI_OPT_SAVE: save = optarg; break;
        case CLI_OPT_COEF_CSV: coef_csv = optarg; break;
        case OPT_UNIT: unit = optarg; break;
        case OPT_UNIT_DAYS: unit_days = optarg; break;
        default: return cli_bad_option(cmd, c, argv);
        }
    }
    int rc = cli_no_operands(cmd, argc, argv);
    double par[4];
    for (int k = 0; k < 4 && !rc; k++) {
        char opt[16];
        snprintf(opt, sizeof opt, "--%s", names[k]);
        if (!(rc = cli_require(cmd, val[k], names[k])))
            rc = cli_parse_double(cmd, val[k], opt, &par[k]);
    }
    int ctx_unit = OCCAM_UNIT_UNKNOWN;
    double ctx_days = NAN;
    if (!rc)
        rc = cli_parse_unit(cmd, unit, unit_days, &ctx_unit, &ctx_days);
    if (rc)
        return rc;
    occam_model *m = NULL;
    int st = occam_pnbd_new(&m);
    if (st == OCCAM_OK)
        st = occam_pnbd_set_params(m, par[0], par[1], par[2], par[3]);
    if (st == OCCAM_OK)
        st = occam_model_set_time_unit(m, ctx_unit, ctx_days);
    if (st != OCCAM_OK) {
        occam_model_free(m);
        return st == OCCAM_E_DOMAIN || st == OCCAM_E_NONFINITE ? cli_fail(CLI_EXIT_USAGE, "%s: %s", cmd, occam_last_error())
                                                                : cli_fail_status(st, "%s", cmd);
    }
    printf("\nPareto/NBD model with given parameters\n");
    rc = cli_print_coef_table(stdout, m);
    if (!rc)
        rc = cli_write_coef_csv(cmd, m, coef_csv);
    if (!rc)
        rc = cli_save_model(cmd, m, save);
    occam_model_free(m);
    return rc;
}
