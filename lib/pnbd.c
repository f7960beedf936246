/* STUB: replaced by the Pareto/NBD implementation (issue 4). */
#include "internal.h"

const occam_vtable occam__pnbd_vtable = {OCCAM_MODEL_PNBD, "pnbd", NULL, NULL, NULL, NULL, NULL, NULL, NULL};

int occam_pnbd_new(occam_model **out)
{
    if (out) *out = NULL;
    return occam__fail(OCCAM_E_INTERNAL, "Pareto/NBD not implemented yet");
}
int occam_pnbd_set_params(occam_model *m, double r, double alpha, double s, double beta)
{
    (void)m; (void)r; (void)alpha; (void)s; (void)beta;
    return occam__fail(OCCAM_E_INTERNAL, "Pareto/NBD not implemented yet");
}
