/* glue.h -- the .Call entry points of the occam R package (glue.c), listed
 * for the registration table in init.c. */
#ifndef OCCAMR_GLUE_H
#define OCCAMR_GLUE_H

#include <Rinternals.h>

SEXP occamr_version(void);
SEXP occamr_constants(void);
SEXP occamr_new(SEXP kind, SEXP family, SEXP link);
SEXP occamr_fit(SEXP ptr, SEXP X, SEXP y, SEXP weights, SEXP offset, SEXP options);
SEXP occamr_glm_set_start(SEXP ptr, SEXP start);
SEXP occamr_linear_set_coef(SEXP ptr, SEXP has_intercept, SEXP intercept, SEXP coef);
SEXP occamr_pnbd_set_params(SEXP ptr, SEXP params);
SEXP occamr_gg_set_params(SEXP ptr, SEXP params);
SEXP occamr_set_names(SEXP ptr, SEXP names);
SEXP occamr_predict(SEXP ptr, SEXP type, SEXP horizon, SEXP X, SEXP offset, SEXP se_fit);
SEXP occamr_coef(SEXP ptr, SEXP column);
SEXP occamr_coef_names(SEXP ptr);
SEXP occamr_column_names(SEXP ptr);
SEXP occamr_context(SEXP ptr);
SEXP occamr_aliased(SEXP ptr);
SEXP occamr_vcov(SEXP ptr);
SEXP occamr_vcov_estimable(SEXP ptr);
SEXP occamr_info(SEXP ptr, SEXP key);
SEXP occamr_rows(SEXP ptr, SEXP which);
SEXP occamr_glm_names(SEXP ptr);
SEXP occamr_conditions(SEXP ptr);
SEXP occamr_kind(SEXP ptr);
SEXP occamr_is_null(SEXP ptr);
SEXP occamr_serialize(SEXP ptr);
SEXP occamr_deserialize(SEXP raw);
SEXP occamr_save(SEXP ptr, SEXP path);
SEXP occamr_load(SEXP path);
SEXP occamr_status_text(SEXP status);
SEXP occamr_pnbd_summarize(SEXP ids, SEXP times, SEXP cal_end, SEXP merge_period);
SEXP occamr_set_time_unit(SEXP ptr, SEXP unit, SEXP unit_days);
SEXP occamr_clv(SEXP pnbd, SEXP gg, SEXP X, SEXP delta, SEXP margin, SEXP horizon);

#endif
