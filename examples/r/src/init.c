/* init.c -- registration of the .Call routines (R_registerRoutines): only
 * these entry points are visible to R, looked up as native symbol objects
 * (useDynLib(occam, .registration = TRUE, .fixes = "C_")). */
#include <R_ext/Rdynload.h>

#include "glue.h"

#define CALLDEF(name, n) {#name, (DL_FUNC)&name, n}

static const R_CallMethodDef call_methods[] = {
    CALLDEF(occamr_version, 0),
    CALLDEF(occamr_constants, 0),
    CALLDEF(occamr_new, 3),
    CALLDEF(occamr_fit, 6),
    CALLDEF(occamr_glm_set_start, 2),
    CALLDEF(occamr_linear_set_coef, 4),
    CALLDEF(occamr_pnbd_set_params, 2),
    CALLDEF(occamr_gg_set_params, 2),
    CALLDEF(occamr_set_names, 2),
    CALLDEF(occamr_predict, 6),
    CALLDEF(occamr_coef, 2),
    CALLDEF(occamr_coef_names, 1),
    CALLDEF(occamr_column_names, 1),
    CALLDEF(occamr_context, 1),
    CALLDEF(occamr_aliased, 1),
    CALLDEF(occamr_vcov, 1),
    CALLDEF(occamr_vcov_estimable, 1),
    CALLDEF(occamr_info, 2),
    CALLDEF(occamr_rows, 2),
    CALLDEF(occamr_glm_names, 1),
    CALLDEF(occamr_conditions, 1),
    CALLDEF(occamr_kind, 1),
    CALLDEF(occamr_is_null, 1),
    CALLDEF(occamr_serialize, 1),
    CALLDEF(occamr_deserialize, 1),
    CALLDEF(occamr_save, 2),
    CALLDEF(occamr_load, 1),
    CALLDEF(occamr_status_text, 1),
    CALLDEF(occamr_pnbd_summarize, 4),
    CALLDEF(occamr_set_time_unit, 3),
    CALLDEF(occamr_clv, 6),
    {NULL, NULL, 0}};

void R_init_occam(DllInfo *dll);
void R_init_occam(DllInfo *dll)
{
    R_registerRoutines(dll, NULL, call_methods, NULL, NULL);
    R_useDynamicSymbols(dll, FALSE);
    R_forceSymbols(dll, TRUE);
}
