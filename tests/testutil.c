#define _POSIX_C_SOURCE 200809L
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *tu_data_path(const char *relpath)
{
    if (relpath[0] == '/') { /* already absolute (fixtures read from ../shared) */
        char *p = strdup(relpath);
        ck_assert_ptr_nonnull(p);
        return p;
    }
    size_t len = strlen(OCCAM_TEST_DATA) + strlen(relpath) + 2;
    char *p = malloc(len);
    ck_assert_ptr_nonnull(p);
    snprintf(p, len, "%s/%s", OCCAM_TEST_DATA, relpath);
    return p;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open fixture %s", path);
    fseek(f, 0, SEEK_END);
    long sz = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)sz + 1);
    ck_assert_ptr_nonnull(buf);
    size_t got = fread(buf, 1, (size_t)sz, f);
    fclose(f);
    ck_assert_msg(got == (size_t)sz, "short read of %s", path);
    buf[sz] = '\0';
    if (len) *len = (size_t)sz;
    return buf;
}

const char *tu_shared_dir(void)
{
    static const char dir[] = OCCAM_SHARED_DIR;
    char probe[sizeof dir + 64];
    snprintf(probe, sizeof probe, "%s/reference", dir);
    FILE *f = fopen(probe, "r");
    if (f == NULL) return NULL;
    fclose(f);
    return dir;
}

cJSON *tu_load_json(const char *relpath)
{
    char *path = tu_data_path(relpath);
    char *text = slurp(path, NULL);
    cJSON *j = cJSON_Parse(text);
    ck_assert_msg(j != NULL, "cannot parse JSON fixture %s", path);
    free(text);
    free(path);
    return j;
}

tu_csv tu_load_csv(const char *relpath)
{
    tu_csv c = {0, 0, NULL, NULL};
    char *path = tu_data_path(relpath);
    char *text = slurp(path, NULL);
    /* header */
    char *save = NULL;
    char *line = strtok_r(text, "\n", &save);
    ck_assert_msg(line != NULL, "empty CSV %s", path);
    int64_t cap = 8;
    c.names = malloc((size_t)cap * sizeof(char *));
    {
        char *s2 = NULL;
        for (char *tok = strtok_r(line, ",\r", &s2); tok; tok = strtok_r(NULL, ",\r", &s2)) {
            if (c.ncols == cap) {
                cap *= 2;
                c.names = realloc(c.names, (size_t)cap * sizeof(char *));
            }
            c.names[c.ncols++] = strdup(tok);
        }
    }
    int64_t rcap = 64;
    double *rows = malloc((size_t)(rcap * c.ncols) * sizeof(double));
    while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
        if (line[0] == '\0' || line[0] == '\r') continue;
        if (c.nrows == rcap) {
            rcap *= 2;
            rows = realloc(rows, (size_t)(rcap * c.ncols) * sizeof(double));
        }
        char *p = line;
        for (int64_t j = 0; j < c.ncols; j++) {
            char *end = NULL;
            rows[c.nrows * c.ncols + j] = strtod(p, &end);
            ck_assert_msg(end != p, "bad number in %s row %lld col %lld", path,
                          (long long)c.nrows + 2, (long long)j + 1);
            p = end;
            if (*p == ',') p++;
        }
        c.nrows++;
    }
    c.data = malloc((size_t)(c.nrows * c.ncols) * sizeof(double) + 1);
    for (int64_t i = 0; i < c.nrows; i++)
        for (int64_t j = 0; j < c.ncols; j++) c.data[i + j * c.nrows] = rows[i * c.ncols + j];
    free(rows);
    free(text);
    free(path);
    return c;
}

void tu_csv_free(tu_csv *c)
{
    for (int64_t j = 0; j < c->ncols; j++) free(c->names[j]);
    free(c->names);
    free(c->data);
    c->names = NULL;
    c->data = NULL;
}

int64_t tu_csv_col(const tu_csv *c, const char *name)
{
    for (int64_t j = 0; j < c->ncols; j++)
        if (strcmp(c->names[j], name) == 0) return j;
    return -1;
}

const double *tu_csv_column(const tu_csv *c, int64_t j) { return c->data + j * c->nrows; }

double tu_json_num(const cJSON *v)
{
    if (v == NULL || cJSON_IsNull(v)) return NAN;
    if (cJSON_IsString(v)) {
        if (strcmp(v->valuestring, "Inf") == 0) return INFINITY;
        if (strcmp(v->valuestring, "-Inf") == 0) return -INFINITY;
        return strtod(v->valuestring, NULL);
    }
    if (cJSON_IsBool(v)) return cJSON_IsTrue(v) ? 1.0 : 0.0;
    ck_assert_msg(cJSON_IsNumber(v), "JSON value is not a number");
    return v->valuedouble;
}

double *tu_json_array(const cJSON *arr, int64_t *n)
{
    ck_assert_msg(cJSON_IsArray(arr), "JSON value is not an array");
    int64_t len = cJSON_GetArraySize(arr);
    double *out = malloc((size_t)(len > 0 ? len : 1) * sizeof(double));
    int64_t i = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, arr) out[i++] = tu_json_num(e);
    if (n) *n = len;
    return out;
}

const cJSON *tu_json_get(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    ck_assert_msg(v != NULL, "JSON key '%s' missing", key);
    return v;
}

double tu_rel_err(double a, double b)
{
    if (isnan(a) && isnan(b)) return 0.0;
    if (isnan(a) || isnan(b)) return INFINITY;
    if (a == b) return 0.0;
    double d = fabs(a - b);
    double s = fabs(b);
    return s > 1e-300 ? d / s : d;
}

int tu_run_suite(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
