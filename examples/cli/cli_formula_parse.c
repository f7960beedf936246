/*
 * cli_formula_parse.c -- a recursive-descent parser of R model formulas
 * (cli_formula.h): the response expression, the terms (+, -, :, *, 0, 1,
 * parentheses), offset(), factor(), I() and the functions log, log2,
 * log10, log1p, exp, sqrt and abs of arithmetic expressions, with R's
 * deparsed names.  Anything else (^ and / between terms, %in%, ., cbind,
 * poly, ...) is refused with one line.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli_formula.h"

static const char *const functions[] = {"log", "log2", "log10", "log1p", "exp", "sqrt", "abs"};

typedef struct parser {
    const char *cmd, *s, *pos;
    cli_formula *f;
    int failed;
} parser;

/* A set of terms while parsing: masks, and the intercept as written
 * (-1 not said, 0 removed, 1 asked for). */
typedef struct tset {
    uint64_t *t;
    int n, icpt;
} tset;

static int fail(parser *p, const char *why)
{
    if (!p->failed)
        cli_fail(CLI_EXIT_USAGE, "%s: --formula: %s at '%s'", p->cmd, why, *p->pos ? p->pos : "<end>");
    p->failed = 1;
    return CLI_EXIT_USAGE;
}

static void skip(parser *p)
{
    while (*p->pos == ' ' || *p->pos == '\t' || *p->pos == '\n' || *p->pos == '\r')
        p->pos++;
}

static int peek(parser *p)
{
    skip(p);
    return (unsigned char)*p->pos;
}

static int accept(parser *p, char c)
{
    if (peek(p) != c)
        return 0;
    p->pos++;
    return 1;
}

static int name_start(int c) { return isalpha(c) || c == '.' || c == '_' || c >= 0x80; }
static int name_char(int c) { return isalnum(c) || c == '.' || c == '_' || c >= 0x80; }

/* An identifier or a `backquoted name` into a malloc'd string. */
static char *identifier(parser *p)
{
    skip(p);
    const char *b = p->pos, *e;
    if (*b == '`') {
        e = strchr(b + 1, '`');
        if (!e || e == b + 1)
            return fail(p, "unterminated or empty `name`"), NULL;
        p->pos = e + 1;
        b++;
    } else {
        if (!name_start((unsigned char)*b))
            return NULL;
        for (e = b; name_char((unsigned char)*e); e++)
            ;
        p->pos = e;
    }
    char *s = malloc((size_t)(e - b) + 1);
    if (!s)
        return fail(p, "out of memory"), NULL;
    memcpy(s, b, (size_t)(e - b));
    s[e - b] = '\0';
    return s;
}

static fnode *node(parser *p, int kind)
{
    fnode *n = calloc(1, sizeof *n);
    if (!n)
        fail(p, "out of memory");
    else
        n->kind = kind;
    return n;
}

static void free_node(fnode *n)
{
    if (!n)
        return;
    free_node(n->a);
    free_node(n->b);
    free(n->name);
    free(n);
}

/* The formula's column named s (added once). */
static int column(parser *p, const char *s)
{
    cli_formula *f = p->f;
    for (int j = 0; j < f->ncols; j++)
        if (strcmp(f->cols[j].name, s) == 0)
            return j;
    fcol *c = realloc(f->cols, (size_t)(f->ncols + 1) * sizeof *c);
    if (!c)
        return fail(p, "out of memory"), -1;
    f->cols = c;
    memset(&c[f->ncols], 0, sizeof *c);
    c[f->ncols].rcol = -1;
    if (!(c[f->ncols].name = cli_strdup(s)))
        return fail(p, "out of memory"), -1;
    return f->ncols++;
}

static fnode *expr(parser *p);

static int known_function(const char *s)
{
    for (size_t i = 0; i < sizeof functions / sizeof functions[0]; i++)
        if (strcmp(functions[i], s) == 0)
            return 1;
    return 0;
}

/* number | column | function(expr) | (expr) | -primary */
static fnode *primary(parser *p)
{
    int c = peek(p);
    if (c == '-') {
        p->pos++;
        fnode *n = node(p, FN_NEG);
        if (n && !(n->a = primary(p)))
            return free_node(n), NULL;
        return n;
    }
    if (c == '(') {
        p->pos++;
        fnode *n = node(p, FN_PAREN);
        if (n && !(n->a = expr(p)))
            return free_node(n), NULL;
        if (n && !accept(p, ')'))
            return fail(p, "')' expected"), free_node(n), NULL;
        return n;
    }
    if (isdigit(c) || (c == '.' && isdigit((unsigned char)p->pos[1]))) {
        char *end;
        double v = strtod(p->pos, &end);
        p->pos = end;
        fnode *n = node(p, FN_NUM);
        if (n)
            n->num = v;
        return n;
    }
    char *id = identifier(p);
    if (!id)
        return fail(p, "a number, a column or a function expected"), NULL;
    if (peek(p) != '(') {
        fnode *n = node(p, FN_COL);
        if (!n || (n->col = column(p, id)) < 0)
            return free(id), free_node(n), NULL;
        n->name = id;
        return n;
    }
    if (!known_function(id) && strcmp(id, "I") != 0) {
        fail(p, "unknown function (use log, log2, log10, log1p, exp, sqrt, abs or I)");
        return free(id), NULL;
    }
    p->pos++;
    fnode *n = node(p, FN_CALL);
    if (!n)
        return free(id), NULL;
    n->name = id;
    if (!(n->a = expr(p)))
        return free_node(n), NULL;
    if (!accept(p, ')'))
        return fail(p, "')' expected"), free_node(n), NULL;
    return n;
}

/* power := primary ['^' power] (right-associative, above unary minus as R) */
static fnode *power(parser *p)
{
    fnode *a = primary(p);
    if (!a || !accept(p, '^'))
        return a;
    fnode *n = node(p, FN_BIN);
    if (!n)
        return free_node(a), NULL;
    n->op = '^';
    n->a = a;
    if (!(n->b = power(p)))
        return free_node(n), NULL;
    return n;
}

static fnode *binary(parser *p, fnode *(*next)(parser *), const char *ops)
{
    fnode *a = next(p);
    while (a && peek(p) && strchr(ops, peek(p))) {
        fnode *n = node(p, FN_BIN);
        if (!n)
            return free_node(a), NULL;
        n->op = *p->pos++;
        n->a = a;
        a = n;
        if (!(n->b = next(p)))
            return free_node(a), NULL;
    }
    return a;
}

static fnode *product(parser *p) { return binary(p, power, "*/"); }
static fnode *expr(parser *p) { return binary(p, product, "+-"); }

/* ------------------------------------------------------------ terms */

static int tset_add(parser *p, tset *s, uint64_t t)
{
    for (int i = 0; i < s->n; i++)
        if (s->t[i] == t)
            return 0;
    uint64_t *nt = realloc(s->t, (size_t)(s->n + 1) * sizeof *nt);
    if (!nt)
        return fail(p, "out of memory");
    s->t = nt;
    s->t[s->n++] = t;
    return 0;
}

/* The predictor variable of expression e labelled `label` (owned). */
static int variable(parser *p, fnode *e, char *label, int explicit_factor, tset *s)
{
    cli_formula *f = p->f;
    int v = 0;
    while (v < f->nvars && strcmp(f->vars[v].label, label) != 0)
        v++;
    if (v < f->nvars) {
        free(label);
        free_node(e);
    } else {
        if (f->nvars == CLI_FORMULA_MAX_VARS)
            return free(label), free_node(e), fail(p, "more than 64 variables");
        fvar *nv = realloc(f->vars, (size_t)(f->nvars + 1) * sizeof *nv);
        if (!nv)
            return free(label), free_node(e), fail(p, "out of memory");
        f->vars = nv;
        memset(&nv[v], 0, sizeof *nv);
        nv[v].label = label;
        nv[v].e = e;
        nv[v].explicit_factor = explicit_factor;
        if (e->kind == FN_COL)
            f->cols[e->col].as_factor |= !explicit_factor;
        f->nvars++;
    }
    return tset_add(p, s, (uint64_t)1 << v);
}

static int sum(parser *p, tset *s);

/* factor(col): the column as a factor */
static int factor_term(parser *p, tset *s)
{
    fnode *e = primary(p);
    if (!e)
        return CLI_EXIT_USAGE;
    if (e->kind != FN_PAREN || e->a->kind != FN_COL) {
        free_node(e);
        return fail(p, "factor() takes one column");
    }
    fnode *c = e->a;
    e->a = NULL;
    free_node(e);
    size_t len = strlen(c->name) + 10;
    char *inner = cli_formula_deparse(c), *label = malloc(len + (inner ? strlen(inner) : 0));
    if (!inner || !label)
        return free(inner), free(label), free_node(c), fail(p, "out of memory");
    sprintf(label, "factor(%s)", inner);
    free(inner);
    return variable(p, c, label, 1, s);
}

/* offset(expr): added to the linear predictor, not a term */
static int offset_term(parser *p)
{
    if (!accept(p, '('))
        return fail(p, "'(' expected");
    fnode *e = expr(p);
    if (!e)
        return CLI_EXIT_USAGE;
    if (!accept(p, ')'))
        return free_node(e), fail(p, "')' expected");
    cli_formula *f = p->f;
    fnode **o = realloc(f->offsets, (size_t)(f->noffsets + 1) * sizeof *o);
    if (!o)
        return free_node(e), fail(p, "out of memory");
    f->offsets = o;
    o[f->noffsets++] = e;
    return 0;
}

/* atom := '(' sum ')' | 0 | 1 | offset(..) | factor(col) | expression */
static int atom(parser *p, tset *s)
{
    int c = peek(p);
    if (c == '(') {
        p->pos++;
        int rc = sum(p, s);
        if (!rc && !accept(p, ')'))
            rc = fail(p, "')' expected");
        return rc;
    }
    if ((c == '0' || c == '1') && !isdigit((unsigned char)p->pos[1]) && p->pos[1] != '.') {
        p->pos++;
        s->icpt = c == '1';
        return 0;
    }
    const char *at = p->pos;
    char *id = identifier(p);
    if (id && (strcmp(id, "offset") == 0 || strcmp(id, "factor") == 0 || strcmp(id, "as.factor") == 0) &&
        peek(p) == '(') {
        int off = strcmp(id, "offset") == 0;
        free(id);
        return off ? offset_term(p) : factor_term(p, s);
    }
    free(id);
    if (p->failed)
        return CLI_EXIT_USAGE;
    if (c == '.' && !name_char((unsigned char)p->pos[0]) && p->pos == at + 1)
        return fail(p, "'.' (all other columns) is not supported: list the columns");
    p->pos = at;
    fnode *e = primary(p); /* a column, a function call, I(...) */
    if (!e)
        return CLI_EXIT_USAGE;
    if (e->kind != FN_COL && e->kind != FN_CALL) {
        free_node(e);
        return fail(p, "a column, factor(), I(), offset() or a function of columns expected");
    }
    char *label = cli_formula_deparse(e);
    if (!label)
        return free_node(e), fail(p, "out of memory");
    return variable(p, e, label, 0, s);
}

/* inter := atom (':' atom)* : every union of one term of each side */
static int inter(parser *p, tset *s)
{
    int rc = atom(p, s);
    while (!rc && accept(p, ':')) {
        tset b = {NULL, 0, -1}, out = {NULL, 0, -1};
        rc = atom(p, &b);
        if (!rc && (b.icpt != -1 || s->icpt != -1))
            rc = fail(p, "0 or 1 in an interaction");
        for (int i = 0; !rc && i < s->n; i++)
            for (int j = 0; !rc && j < b.n; j++)
                rc = tset_add(p, &out, s->t[i] | b.t[j]);
        free(b.t);
        free(s->t);
        *s = out;
    }
    return rc;
}

/* prod := inter ('*' inter)* : a * b = a + b + a:b */
static int prod(parser *p, tset *s)
{
    int rc = inter(p, s);
    while (!rc && accept(p, '*')) {
        tset b = {NULL, 0, -1};
        rc = inter(p, &b);
        if (!rc && (b.icpt != -1 || s->icpt != -1))
            rc = fail(p, "0 or 1 in an interaction");
        int na = s->n;
        for (int j = 0; !rc && j < b.n; j++)
            rc = tset_add(p, s, b.t[j]);
        for (int i = 0; !rc && i < na; i++)
            for (int j = 0; !rc && j < b.n; j++)
                rc = tset_add(p, s, s->t[i] | b.t[j]);
        free(b.t);
    }
    if (!rc && (peek(p) == '^' || peek(p) == '/' || peek(p) == '%'))
        rc = fail(p, "'^', '/' and '%in%' between terms are not supported: write the terms out");
    return rc;
}

/* sum := ['-'] prod (('+' | '-') prod)* */
static int sum(parser *p, tset *s)
{
    int rc = 0, sign = '+';
    if (peek(p) == '-') {
        p->pos++;
        sign = '-';
    }
    for (;;) {
        tset b = {NULL, 0, -1};
        rc = prod(p, &b);
        for (int j = 0; !rc && sign == '+' && j < b.n; j++)
            rc = tset_add(p, s, b.t[j]);
        if (!rc && b.icpt != -1)
            s->icpt = sign == '+' ? b.icpt : !b.icpt;
        for (int j = 0; !rc && sign == '-' && j < b.n; j++)
            for (int i = 0; i < s->n; i++)
                if (s->t[i] == b.t[j]) {
                    memmove(&s->t[i], &s->t[i + 1], (size_t)(s->n - i - 1) * sizeof *s->t);
                    s->n--;
                    break;
                }
        free(b.t);
        if (rc || (peek(p) != '+' && peek(p) != '-'))
            return rc;
        sign = *p->pos++;
    }
}

static int degree(uint64_t t)
{
    int d = 0;
    for (; t; t &= t - 1)
        d++;
    return d;
}

/* Stable order by degree (R's terms.formula). */
static void order_terms(cli_formula *f)
{
    for (int i = 1; i < f->nterms; i++) {
        uint64_t t = f->terms[i];
        int j = i;
        for (; j > 0 && degree(f->terms[j - 1]) > degree(t); j--)
            f->terms[j] = f->terms[j - 1];
        f->terms[j] = t;
    }
}

int cli_formula_parse(const char *cmd, const char *text, int need_response, cli_formula **out)
{
    *out = NULL;
    cli_formula *f = calloc(1, sizeof *f);
    if (!f || !(f->text = cli_strdup(text)))
        return free(f), cli_fail(CLI_EXIT_FAILURE, "out of memory");
    parser p = {cmd, text, text, f, 0};
    int rc = 0;
    if (peek(&p) != '~' && !(f->response = expr(&p)))
        rc = CLI_EXIT_USAGE;
    if (!rc && !accept(&p, '~'))
        rc = fail(&p, "'~' expected");
    if (!rc && !f->response && need_response)
        rc = fail(&p, "a response before '~' is needed");
    tset s = {NULL, 0, -1};
    if (!rc)
        rc = sum(&p, &s);
    if (!rc && peek(&p))
        rc = fail(&p, "unexpected text");
    f->terms = s.t;
    f->nterms = s.n;
    f->intercept = s.icpt != 0;
    if (rc) {
        cli_formula_free(f);
        return rc;
    }
    order_terms(f);
    if (need_response == 0) { /* prediction: the response's columns stay unread */
        free_node(f->response);
        f->response = NULL;
    }
    *out = f;
    return 0;
}

void cli_formula_free(cli_formula *f)
{
    if (!f)
        return;
    free(f->text);
    free_node(f->response);
    for (int j = 0; j < f->ncols; j++) {
        free(f->cols[j].name);
        free(f->cols[j].val);
    }
    free(f->cols);
    for (int v = 0; v < f->nvars; v++) {
        free(f->vars[v].label);
        free_node(f->vars[v].e);
        cli_strings_free(f->vars[v].levels, f->vars[v].nlev);
        free(f->vars[v].lnum);
        free(f->vars[v].val);
    }
    free(f->vars);
    free(f->terms);
    for (int k = 0; k < f->noffsets; k++)
        free_node(f->offsets[k]);
    free(f->offsets);
    free(f->code);
    cli_strings_free(f->xnames, f->p);
    free(f->X);
    free(f->y);
    free(f->offset);
    free(f);
}

/* ------------------------------------------------------------ evaluation */

static double call(const char *fn, double x)
{
    if (strcmp(fn, "log") == 0) return log(x);
    if (strcmp(fn, "log2") == 0) return log2(x);
    if (strcmp(fn, "log10") == 0) return log10(x);
    if (strcmp(fn, "log1p") == 0) return log1p(x);
    if (strcmp(fn, "exp") == 0) return exp(x);
    if (strcmp(fn, "sqrt") == 0) return sqrt(x);
    if (strcmp(fn, "abs") == 0) return fabs(x);
    return x; /* I() */
}

double cli_formula_eval(const cli_formula *f, const fnode *e, int64_t i)
{
    switch (e->kind) {
    case FN_NUM: return e->num;
    case FN_COL: return f->cols[e->col].val[i];
    case FN_NEG: return -cli_formula_eval(f, e->a, i);
    case FN_PAREN: return cli_formula_eval(f, e->a, i);
    case FN_CALL: return call(e->name, cli_formula_eval(f, e->a, i));
    default: break;
    }
    double a = cli_formula_eval(f, e->a, i), b = cli_formula_eval(f, e->b, i);
    switch (e->op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': return a / b;
    default: return pow(a, b);
    }
}

/* ------------------------------------------------------------ deparse */

typedef struct sbuf {
    char *s;
    size_t len, cap;
    int oom;
} sbuf;

static void put(sbuf *b, const char *s)
{
    size_t n = strlen(s);
    if (b->len + n + 1 > b->cap) {
        size_t cap = (b->len + n + 1) * 2;
        char *ns = realloc(b->s, cap);
        if (!ns) {
            b->oom = 1;
            return;
        }
        b->s = ns;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n + 1);
    b->len += n;
}

static int syntactic(const char *s)
{
    if (!name_start((unsigned char)s[0]) || s[0] == '_' || (s[0] == '.' && isdigit((unsigned char)s[1])))
        return 0;
    for (const char *c = s; *c; c++)
        if (!name_char((unsigned char)*c))
            return 0;
    return 1;
}

static void deparse(sbuf *b, const fnode *e)
{
    char num[40];
    switch (e->kind) {
    case FN_NUM: snprintf(num, sizeof num, "%.15g", e->num); put(b, num); return;
    case FN_COL:
        if (syntactic(e->name)) {
            put(b, e->name);
        } else {
            put(b, "`");
            put(b, e->name);
            put(b, "`");
        }
        return;
    case FN_NEG: put(b, "-"); deparse(b, e->a); return;
    case FN_PAREN: put(b, "("); deparse(b, e->a); put(b, ")"); return;
    case FN_CALL: put(b, e->name); put(b, "("); deparse(b, e->a); put(b, ")"); return;
    default: break;
    }
    char op[4] = {' ', e->op, ' ', '\0'};
    if (e->op == '^' || e->op == '/')
        op[2] = '\0';
    deparse(b, e->a);
    put(b, e->op == '^' || e->op == '/' ? op + 1 : op); /* R: "x^2", "1/x", "x * 2" */
    deparse(b, e->b);
}

char *cli_formula_deparse(const fnode *e)
{
    sbuf b = {NULL, 0, 0, 0};
    put(&b, "");
    deparse(&b, e);
    if (b.oom) {
        free(b.s);
        return NULL;
    }
    return b.s;
}
