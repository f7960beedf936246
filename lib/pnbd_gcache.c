/*
 * pnbd_gcache.c -- a small direct-mapped cache of the Pareto/NBD tail factor
 * G(u) (pnbd_terms.c) keyed by (x, u), for one parameter set and level.  A
 * customer needs G(t_x) and G(T); after the collapse rows come sorted by x,
 * then t_x, and T takes few values (days of a calibration window), so most
 * lookups hit and the 2F1 work is done once per distinct (x, u) instead of
 * twice per customer.  The values are the same as without the cache.
 */
#include <stdlib.h>
#include <string.h>

#include "hyp2f1.h"
#include "pnbd.h"

occam_pnbd_gcache *occam__pnbd_gcache_new(void)
{
    occam_pnbd_gcache *gc = calloc(1, sizeof *gc); /* gen 0 in every slot: nothing valid before the first begin */
    if (gc == NULL) return NULL;
    gc->tab = calloc(1, sizeof *gc->tab);
    if (gc->tab == NULL) {
        free(gc);
        return NULL;
    }
    return gc;
}

void occam__pnbd_gcache_free(occam_pnbd_gcache *gc)
{
    if (gc == NULL) return;
    free(gc->tab);
    free(gc);
}

void occam__pnbd_gcache_begin(occam_pnbd_gcache *gc, const occam_pnbd_par *pp, int level)
{
    gc->gen++;
    gc->tab->n = 0; /* new parameters: new coefficients */
    gc->pp = pp;
    gc->level = level;
}

static unsigned slot_of(double x, double u)
{
    uint64_t hx, hu;
    memcpy(&hx, &x, sizeof hx);
    memcpy(&hu, &u, sizeof hu);
    uint64_t h = (hx * 0x9E3779B97F4A7C15ULL) ^ (hu * 0xC2B2AE3D27D4EB4FULL);
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ULL;
    return (unsigned)(h >> 54) & (OCCAM_PNBD_GCACHE - 1);
}

const occam_pnbd_gval *occam__pnbd_gcache_get(occam_pnbd_gcache *gc, double x, double u)
{
    occam_pnbd_gslot *sl = &gc->slot[slot_of(x, u)];
    if (sl->gen != gc->gen || sl->x != x || sl->u != u) {
        sl->gen = gc->gen;
        sl->x = x;
        sl->u = u;
        sl->rc = occam__pnbd_G(gc->pp, x, u, gc->level, gc->tab, &sl->v);
    }
    return sl->rc == 0 ? &sl->v : NULL;
}
