/* STUB: replaced by the GLM implementation (issue 3). */
#include "internal.h"

const occam_vtable occam__glm_vtable = {OCCAM_MODEL_GLM, "glm", NULL, NULL, NULL, NULL, NULL, NULL, NULL};

int occam_glm_new(int family, int link, occam_model **out)
{
    (void)family;
    (void)link;
    if (out) *out = NULL;
    return occam__fail(OCCAM_E_INTERNAL, "GLM not implemented yet");
}
int occam_glm_set_start(occam_model *m, const double *start, int64_t len)
{
    (void)m; (void)start; (void)len;
    return occam__fail(OCCAM_E_INTERNAL, "GLM not implemented yet");
}
int occam_glm_set_mustart(occam_model *m, const double *mustart, int64_t n)
{
    (void)m; (void)mustart; (void)n;
    return occam__fail(OCCAM_E_INTERNAL, "GLM not implemented yet");
}
const char *occam_family_name(int family) { (void)family; return NULL; }
const char *occam_link_name(int link) { (void)link; return NULL; }
int occam_family_parse(const char *name, int *family) { (void)name; (void)family; return OCCAM_E_INTERNAL; }
int occam_link_parse(const char *name, int *link) { (void)name; (void)link; return OCCAM_E_INTERNAL; }
