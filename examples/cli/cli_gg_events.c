/*
 * cli_gg_events.c -- `occam fit gg --events LOG --id COL --time COL --value
 * COL --calibration-end V`: the Gamma-Gamma inputs (x, m_x) of each
 * customer built from a transaction log, as the Pareto/NBD summary of
 * `fit pnbd --events` counts x: a customer's transactions of one period
 * (--merge-period, one day for dates) are one transaction whose value is
 * the sum of theirs; the first period (the first purchase) is not a repeat
 * transaction; x = the repeat periods by the calibration end, m_x = the
 * mean of their values.  The log is read in chunks by the CLI's reader and
 * streamed into the library's valued event states (occam_events_new_valued,
 * occam_events_add_valued, occam_events_spend): memory O(chunk + the
 * customers' distinct purchase periods), the result the same bit for bit
 * whatever the chunk size.  Ids that are canonical decimal integers go to
 * an integer state, other text to a text state, and the customers come out
 * in the order of `fit pnbd --summary-csv`: integer ids numerically, then
 * the others by strcmp (text that strtoll reads whole among the integers).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Converter codes (cli_reader_convert). */
enum { GE_INT = 1, GE_TEXT = 2, GE_DATE = 1, GE_NUMBER = 2, GE_BAD = 3 };

/* What "%lld" prints for some int64. */
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

static int id_cell(const char *s, size_t len, void *out)
{
    int64_t v;
    if (!canonical_int(s, len, &v))
        return GE_TEXT | CLI_CELL_KEEP_TEXT;
    memcpy(out, &v, sizeof v);
    return GE_INT;
}

/* An ISO date (days since 1970-01-01) or a number. */
static int parse_time(const char *s, size_t len, double *v, int *is_date)
{
    *is_date = cli_iso_date(s, len, v) == OCCAM_OK;
    if (*is_date)
        return 0;
    return len > 0 && cli_number_scan(s, s + len, v) == s + len && isfinite(*v) ? 0 : -1;
}

static int time_cell(const char *s, size_t len, void *out)
{
    double v;
    int is_date;
    if (parse_time(s, len, &v, &is_date) != 0)
        return GE_BAD | CLI_CELL_KEEP_TEXT;
    memcpy(out, &v, sizeof v);
    return (is_date ? GE_DATE : GE_NUMBER) | CLI_CELL_KEEP_TEXT; /* the text names a time that mixes kinds */
}

/* The chunk's events, by id kind. */
typedef struct ge_chunk {
    int64_t mi, mt;
    int64_t *ival;
    double *ti, *vi, *tt, *vt;
    const char **tid;
} ge_chunk;

static void chunk_free(ge_chunk *c)
{
    free(c->ival);
    free(c->ti);
    free(c->vi);
    free(c->tt);
    free(c->vt);
    free(c->tid);
}

static int chunk_alloc(ge_chunk *c, int64_t n)
{
    size_t m = (size_t)(n > 0 ? n : 1);
    c->ival = malloc(m * sizeof *c->ival);
    c->ti = malloc(m * sizeof *c->ti);
    c->vi = malloc(m * sizeof *c->vi);
    c->tt = malloc(m * sizeof *c->tt);
    c->vt = malloc(m * sizeof *c->vt);
    c->tid = malloc(m * sizeof *c->tid);
    return c->ival && c->ti && c->vi && c->tt && c->vt && c->tid ? 0 : cli_fail(CLI_EXIT_FAILURE, "out of memory");
}

/* The settings fixed by the first row: dates or numbers, the calibration
 * end, the merge period, the unit; the states. */
typedef struct ge_state {
    const cli_gg_events_args *a;
    int dates, ready;
    double end, merge, unit;
    occam_events *ie, *te;
    int64_t n;
} ge_state;

static int settings(ge_state *s, int dates)
{
    const cli_gg_events_args *a = s->a;
    const char *cmd = "fit gg";
    double end;
    int end_date;
    s->dates = dates;
    if (parse_time(a->cal_end, strlen(a->cal_end), &end, &end_date) != 0)
        return cli_fail(CLI_EXIT_USAGE, "%s: --calibration-end '%s' is neither a date nor a number", cmd, a->cal_end);
    if (end_date != dates)
        return cli_fail(CLI_EXIT_USAGE, "%s: --calibration-end must be a %s like the --time column", cmd,
                        dates ? "date" : "number");
    if (a->unit && !dates)
        return cli_fail(CLI_EXIT_USAGE, "%s: --unit applies to dates only (numeric times keep their unit)", cmd);
    if (a->unit && strcmp(a->unit, "weeks") != 0 && strcmp(a->unit, "days") != 0)
        return cli_fail(CLI_EXIT_USAGE, "%s: with --events, --unit must be weeks or days, not '%s'", cmd, a->unit);
    s->unit = dates && !(a->unit && strcmp(a->unit, "days") == 0) ? 7.0 : 1.0;
    s->merge = 1.0;
    if (a->merge) {
        int rc = cli_parse_double(cmd, a->merge, "--merge-period", &s->merge);
        if (rc)
            return rc;
    } else if (!dates) {
        return cli_fail(CLI_EXIT_USAGE, "%s: numeric times need --merge-period P > 0 (the period whose purchases "
                                        "are one transaction, their values summed)", cmd);
    }
    if (!(s->merge > 0) || !isfinite(s->merge))
        return cli_fail(CLI_EXIT_USAGE, "%s: --merge-period must be > 0 (the period whose purchases are one "
                                        "transaction, their values summed)", cmd);
    s->end = end;
    int st = occam_events_new_valued(end, s->merge, &s->ie);
    if (st == OCCAM_OK)
        st = occam_events_new_valued(end, s->merge, &s->te);
    if (st != OCCAM_OK)
        return cli_fail_status(st, "%s: cannot summarize %s", cmd, a->events);
    s->ready = 1;
    return 0;
}

/* One chunk of rows into the states. */
static int take_chunk(ge_state *s, cli_reader *rd, const int64_t col[3], ge_chunk *c, int64_t n)
{
    int64_t ld;
    const double *b = cli_reader_block(rd, &ld);
    const unsigned char *ic = cli_reader_codes(rd, 0), *tc = cli_reader_codes(rd, 1);
    int64_t row0 = cli_reader_row0(rd);
    c->mi = c->mt = 0;
    for (int64_t i = 0; i < n; i++) {
        int rc = 0;
        if (tc[i] == GE_BAD || (s->ready && (tc[i] == GE_DATE) != s->dates))
            return cli_fail(CLI_EXIT_FAILURE, tc[i] == GE_BAD ? "%s: row %lld: time '%s' is neither an ISO date nor a number"
                                                              : "%s: row %lld: time '%s' mixes dates and numbers",
                            s->a->events, (long long)(row0 + i + 1), cli_reader_cell(rd, i, col[1]));
        if (!s->ready && (rc = settings(s, tc[i] == GE_DATE)) != 0)
            return rc;
        double t = b[ld + i], v = b[2 * ld + i];
        if (ic[i] == GE_INT) {
            memcpy(&c->ival[c->mi], &b[i], sizeof c->ival[0]);
            c->ti[c->mi] = t;
            c->vi[c->mi++] = v;
        } else {
            c->tid[c->mt] = cli_reader_cell(rd, i, col[0]);
            c->tt[c->mt] = t;
            c->vt[c->mt++] = v;
        }
    }
    int st = c->mi > 0 ? occam_events_add_valued(s->ie, c->ival, c->ti, c->vi, c->mi) : OCCAM_OK;
    if (st == OCCAM_OK && c->mt > 0)
        st = occam_events_add_text_valued(s->te, c->tid, NULL, c->tt, c->vt, c->mt);
    if (st != OCCAM_OK)
        return cli_fail_status(st, "fit gg: cannot summarize %s", s->a->events);
    s->n += n;
    return 0;
}

static int read_log(ge_state *s, const cli_read_opts *ro)
{
    const cli_gg_events_args *a = s->a;
    cli_reader *rd = NULL;
    int64_t col[3] = {-1, -1, -1}, n = 0;
    const char *want[3] = {a->id, a->time, a->value};
    int rc = cli_reader_open(a->events, ro, &rd);
    for (int k = 0; k < 3 && !rc; k++)
        rc = cli_reader_require(rd, want[k], &col[k]);
    for (int k = 0; k < 3 && !rc; k++)
        for (int j = 0; j < k && !rc; j++)
            if (col[j] == col[k])
                rc = cli_fail(CLI_EXIT_USAGE, "fit gg: --id, --time and --value must name three columns ('%s' twice)",
                              want[k]);
    for (int k = 0; k < 2 && !rc; k++)
        rc = cli_reader_text(rd, col[k]);
    if (!rc)
        rc = cli_reader_convert(rd, col[0], id_cell);
    if (!rc)
        rc = cli_reader_convert(rd, col[1], time_cell);
    if (!rc)
        rc = cli_reader_numbers(rd, &col[2], 1);
    ge_chunk c;
    memset(&c, 0, sizeof c);
    if (!rc)
        rc = chunk_alloc(&c, cli_reader_chunk_rows(rd));
    while (!rc && (rc = cli_reader_next(rd, &n)) == 0 && n > 0)
        rc = take_chunk(s, rd, col, &c, n);
    chunk_free(&c);
    cli_reader_close(rd);
    return rc;
}

/* One state's customers: (x, m_x) and ids. */
typedef struct ge_part {
    int64_t n;
    double *xm;
    int64_t *ids;
    char *bytes;
    size_t *lens;
} ge_part;

static void part_free(ge_part *p)
{
    free(p->xm);
    free(p->ids);
    free(p->bytes);
    free(p->lens);
}

static int part_of(occam_events *e, int text, ge_part *p)
{
    memset(p, 0, sizeof *p);
    int st = occam_events_compact(e);
    if (st == OCCAM_OK)
        st = occam_events_spend(e, NULL, 0, &p->n);
    if (st == OCCAM_E_NO_DATA) {
        p->n = 0;
        return OCCAM_OK;
    }
    if (st != OCCAM_E_BUFFER_TOO_SMALL)
        return st;
    size_t m = (size_t)p->n;
    if (!(p->xm = malloc(2 * m * sizeof *p->xm)))
        return OCCAM_E_NOMEM;
    st = occam_events_spend(e, p->xm, p->n, &p->n);
    if (st == OCCAM_OK && !text) {
        st = (p->ids = malloc(m * sizeof *p->ids)) ? occam_events_ids(e, p->ids, p->n, &p->n) : OCCAM_E_NOMEM;
    } else if (st == OCCAM_OK) {
        size_t nb = 0;
        int64_t k;
        if (!(p->lens = malloc(m * sizeof *p->lens)))
            return OCCAM_E_NOMEM;
        st = occam_events_text_ids(e, NULL, 0, p->lens, p->n, &nb, &k);
        if (st == OCCAM_E_BUFFER_TOO_SMALL || st == OCCAM_OK)
            st = (p->bytes = malloc(nb + 1)) ? occam_events_text_ids(e, p->bytes, nb, p->lens, p->n, &nb, &k)
                                             : OCCAM_E_NOMEM;
    }
    return st;
}

/* The natural order of ids (as fit pnbd's summaries). */
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

/* Both parts into g (x, m_x) and labels, in the natural order of the ids. */
static int join(const ge_part *pi, const ge_part *pt, gg_rows *g, char ***labels)
{
    int64_t k = pi->n + pt->n;
    size_t m = (size_t)(k > 0 ? k : 1);
    g->n = g->cap = k;
    g->x = malloc(m * sizeof *g->x);
    g->m = malloc(m * sizeof *g->m);
    id_key *key = malloc(m * sizeof *key);
    char **lab = calloc(m, sizeof *lab);
    *labels = lab;
    int rc = g->x && g->m && key && lab ? 0 : cli_fail(CLI_EXIT_FAILURE, "out of memory");
    size_t pos = 0;
    for (int64_t i = 0; i < k && !rc; i++) {
        if (i < pi->n) {
            char num[24];
            snprintf(num, sizeof num, "%lld", (long long)pi->ids[i]);
            lab[i] = cli_strdup(num);
        } else {
            size_t len = pt->lens[i - pi->n];
            if ((lab[i] = malloc(len + 1)) != NULL) {
                memcpy(lab[i], pt->bytes + pos, len);
                lab[i][len] = '\0';
            }
            pos += len;
        }
        if (!lab[i]) {
            rc = cli_fail(CLI_EXIT_FAILURE, "out of memory");
            break;
        }
        char *end;
        errno = 0;
        key[i].v = strtoll(lab[i], &end, 10);
        key[i].is_int = end != lab[i] && *end == '\0' && errno == 0;
        key[i].s = lab[i];
        key[i].i = i;
    }
    if (!rc && pt->n > 0)
        qsort(key, (size_t)k, sizeof *key, cmp_id_key);
    char **sorted = rc ? NULL : malloc(m * sizeof *sorted);
    if (!rc && !sorted)
        rc = cli_fail(CLI_EXIT_FAILURE, "out of memory");
    for (int64_t j = 0; !rc && j < k; j++) {
        int64_t i = pt->n > 0 ? key[j].i : j;
        const double *xm = i < pi->n ? &pi->xm[2 * i] : &pt->xm[2 * (i - pi->n)];
        g->x[j] = xm[0];
        g->m[j] = xm[1];
        sorted[j] = lab[i];
    }
    if (!rc) {
        memcpy(lab, sorted, (size_t)k * sizeof *lab);
        free(sorted);
    }
    free(key);
    return rc;
}

static int write_summary(const char *path, const gg_rows *g, char *const *labels)
{
    if (!path || !cli_reporting())
        return 0;
    FILE *f = NULL;
    cli_outfile *o = NULL;
    int rc = cli_outfile_open("fit gg: --summary-csv", path, &o, &f);
    if (rc)
        return rc;
    fputs("id,x,m_x\n", f);
    for (int64_t i = 0; i < g->n; i++) {
        const char *id = labels[i];
        if (strpbrk(id, ",\"\r\n")) {
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
        fputc(',', f);
        cli_put_number(f, g->x[i]);
        fputc(',', f);
        cli_put_number(f, g->m[i]);
        fputc('\n', f);
    }
    return cli_outfile_commit(o);
}

int cli_gg_events_load(const cli_gg_events_args *a, const cli_read_opts *ro, gg_rows *g, cli_gg_events_info *info)
{
    ge_state s;
    memset(&s, 0, sizeof s);
    s.a = a;
    memset(info, 0, sizeof *info);
    int rc = read_log(&s, ro);
    ge_part pi, pt;
    memset(&pi, 0, sizeof pi);
    memset(&pt, 0, sizeof pt);
    char **labels = NULL;
    if (!rc) {
        int st = part_of(s.ie, 0, &pi);
        if (st == OCCAM_OK)
            st = part_of(s.te, 1, &pt);
        if (st == OCCAM_OK && pi.n + pt.n == 0) /* the library's message for no customer */
            st = occam_events_spend(s.ie, NULL, 0, &pi.n);
        int64_t all[2] = {0, 0}, by[2] = {0, 0};
        if (st == OCCAM_OK)
            st = occam_events_customers(s.ie, &all[0], &by[0]);
        if (st == OCCAM_OK)
            st = occam_events_customers(s.te, &all[1], &by[1]);
        if (st != OCCAM_OK)
            rc = cli_fail_status(st, "fit gg: cannot summarize %s", a->events);
        info->n_late = all[0] - by[0] + all[1] - by[1];
    }
    if (!rc)
        rc = join(&pi, &pt, g, &labels);
    if (!rc) {
        for (int64_t i = 0; i < g->n; i++)
            info->n_zero += g->x[i] == 0;
        info->n_events = s.n;
        info->dates = s.dates;
        info->unit = s.unit;
        info->merge = s.merge;
        info->cal_end = s.end / s.unit;
        rc = write_summary(a->summary_csv, g, labels);
    }
    if (labels)
        cli_strings_free(labels, g->n);
    part_free(&pi);
    part_free(&pt);
    occam_events_free(s.ie);
    occam_events_free(s.te);
    return rc;
}
