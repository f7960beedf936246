/*
 * model_design.c -- design metadata attached to a linear model or a GLM:
 * text the library stores and returns but never reads (the occam CLI keeps
 * there the formula, the factor levels and the offset column, so that
 * `occam predict` rebuilds the fit's columns from a new file).  Saved in the
 * model file as the optional common field 14 (docs/format.md, format 1.2).
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int occam_model_set_design(occam_model *m, const char *text)
{
    if (m == NULL) return occam__fail(OCCAM_E_NULL, "occam_model_set_design: model is NULL");
    char *copy = NULL;
    if (text != NULL) {
        size_t len = strlen(text), bad = 0;
        if (len > OCCAM_DESIGN_MAX)
            return occam__fail(OCCAM_E_INVALID_ARG, "occam_model_set_design: %zu bytes, more than %d", len,
                               OCCAM_DESIGN_MAX);
        if (!occam__utf8_valid(text, len, &bad))
            return occam__fail(OCCAM_E_INVALID_ARG, "occam_model_set_design: not valid UTF-8 at byte offset %zu",
                               bad);
        copy = malloc(len + 1);
        if (copy == NULL) return occam__fail(OCCAM_E_NOMEM, "occam_model_set_design: out of memory");
        memcpy(copy, text, len + 1);
    }
    free(m->design);
    m->design = copy;
    return OCCAM_OK;
}

int occam_model_design(const occam_model *m, char *buf, size_t cap, size_t *needed)
{
    if (m == NULL) return occam__fail(OCCAM_E_NULL, "occam_model_design: model is NULL");
    const char *s = m->design ? m->design : "";
    size_t len = strlen(s) + 1;
    if (needed) *needed = len;
    if (buf == NULL || cap < len)
        return occam__fail(OCCAM_E_BUFFER_TOO_SMALL, "occam_model_design: needs %zu bytes, buffer has %zu", len,
                           cap);
    memcpy(buf, s, len);
    return OCCAM_OK;
}
