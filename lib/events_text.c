/*
 * events_text.c -- the text customer ids of an event state: distinct byte
 * strings (any bytes, any length) with dense indices in first-seen order,
 * found by an open-addressing hash table (linear probing, load <= 1/2).
 * Ids are always compared byte for byte: two customers never merge because
 * their hashes agree.  The hash is XXH3-64 from xxHash (BSD-2-Clause,
 * Debian's libxxhash-dev), compiled in from its header (XXH_INLINE_ALL): no
 * run-time dependency.
 */
#include <stdlib.h>
#include <string.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "events.h"

/* A slot holds an id's hash, index, length and first 8 bytes, so that a
 * lookup of an id of at most 8 bytes (most customer ids) is decided by the
 * slot alone, without touching the id's bytes elsewhere in memory. */
typedef struct slot {
    uint64_t hash;
    int64_t index; /* -1: empty */
    uint64_t head; /* the first 8 bytes, zero-padded */
    uint64_t len;
} slot;

static uint64_t head_of(const unsigned char *p, size_t len)
{
    uint64_t v = 0;
    memcpy(&v, p, len < 8 ? len : 8);
    return v;
}

struct occam_ev_text {
    unsigned char *bytes; /* all ids, concatenated */
    size_t nbytes, bytes_cap;
    uint64_t *off;  /* n + 1 offsets into bytes */
    int64_t n, cap; /* ids; room in off (cap + 1) */
    slot *slot;     /* 2 cap slots */
    uint64_t mask;  /* 2 cap - 1 (cap a power of 2) */
};

static void clear_slots(slot *s, size_t n)
{
    for (size_t i = 0; i < n; i++) s[i] = (slot){0, -1, 0, 0};
}

int occam__ev_text_new(occam_ev_text **out)
{
    occam_ev_text *t = calloc(1, sizeof *t);
    if (t == NULL) return occam__fail(OCCAM_E_NOMEM, "out of memory for the text ids");
    t->cap = 64;
    t->off = malloc((size_t)(t->cap + 1) * sizeof *t->off);
    t->slot = malloc(2 * (size_t)t->cap * sizeof *t->slot);
    t->bytes_cap = 1024;
    t->bytes = malloc(t->bytes_cap);
    if (t->off == NULL || t->slot == NULL || t->bytes == NULL) {
        occam__ev_text_free(t);
        return occam__fail(OCCAM_E_NOMEM, "out of memory for the text ids");
    }
    t->mask = 2 * (uint64_t)t->cap - 1;
    clear_slots(t->slot, 2 * (size_t)t->cap);
    t->off[0] = 0;
    *out = t;
    return OCCAM_OK;
}

void occam__ev_text_free(occam_ev_text *t)
{
    if (t == NULL) return;
    free(t->bytes);
    free(t->off);
    free(t->slot);
    free(t);
}

/* Double the id capacity and the slot table (rehashing the stored hashes). */
static int grow_ids(occam_ev_text *t)
{
    int64_t cap = 2 * t->cap;
    uint64_t *off = realloc(t->off, (size_t)(cap + 1) * sizeof *off);
    if (off == NULL) return occam__fail(OCCAM_E_NOMEM, "out of memory for %lld text ids", (long long)cap);
    t->off = off;
    slot *ns = malloc(2 * (size_t)cap * sizeof *ns);
    if (ns == NULL) return occam__fail(OCCAM_E_NOMEM, "out of memory for %lld text ids", (long long)cap);
    clear_slots(ns, 2 * (size_t)cap);
    uint64_t mask = 2 * (uint64_t)cap - 1;
    for (uint64_t k = 0; k <= t->mask; k++) {
        if (t->slot[k].index < 0) continue;
        uint64_t s = t->slot[k].hash & mask;
        while (ns[s].index >= 0) s = (s + 1) & mask;
        ns[s] = t->slot[k];
    }
    free(t->slot);
    t->slot = ns;
    t->mask = mask;
    t->cap = cap;
    return OCCAM_OK;
}

static int grow_bytes(occam_ev_text *t, size_t need)
{
    size_t cap = t->bytes_cap;
    while (cap - t->nbytes < need) {
        if (cap > SIZE_MAX / 2) return occam__fail(OCCAM_E_NOMEM, "text ids too long");
        cap *= 2;
    }
    unsigned char *b = realloc(t->bytes, cap);
    if (b == NULL) return occam__fail(OCCAM_E_NOMEM, "out of memory for %zu bytes of text ids", cap);
    t->bytes = b;
    t->bytes_cap = cap;
    return OCCAM_OK;
}

uint64_t occam__ev_text_hash(const void *bytes, size_t len) { return XXH3_64bits(bytes, len); }

void occam__ev_text_prefetch(const occam_ev_text *t, uint64_t hash)
{
#if defined(__GNUC__)
    __builtin_prefetch(&t->slot[hash & t->mask]);
#else
    (void)t;
    (void)hash;
#endif
}

int occam__ev_text_intern_hashed(occam_ev_text *t, const void *bytes, size_t len, uint64_t h, uint64_t *index)
{
    uint64_t s = h & t->mask, head = head_of(bytes, len);
    for (; t->slot[s].index >= 0; s = (s + 1) & t->mask) {
        const slot *q = &t->slot[s];
        if (q->hash == h && q->len == len && q->head == head &&
            (len <= 8 || memcmp(t->bytes + t->off[q->index] + 8, (const unsigned char *)bytes + 8, len - 8) == 0)) {
            *index = (uint64_t)q->index;
            return OCCAM_OK;
        }
    }
    int rc = OCCAM_OK;
    if (len > t->bytes_cap - t->nbytes) rc = grow_bytes(t, len);
    if (rc == OCCAM_OK && t->n == t->cap) {
        rc = grow_ids(t);
        if (rc == OCCAM_OK) { /* the slot table changed: find the free slot again */
            s = h & t->mask;
            while (t->slot[s].index >= 0) s = (s + 1) & t->mask;
        }
    }
    if (rc != OCCAM_OK) return rc;
    if (len > 0) memcpy(t->bytes + t->nbytes, bytes, len);
    t->nbytes += len;
    t->off[t->n + 1] = t->nbytes;
    t->slot[s] = (slot){h, t->n, head, len};
    *index = (uint64_t)t->n++;
    return OCCAM_OK;
}

int occam__ev_text_intern(occam_ev_text *t, const void *bytes, size_t len, uint64_t *index)
{
    return occam__ev_text_intern_hashed(t, bytes, len, occam__ev_text_hash(bytes, len), index);
}

void occam__ev_text_get(const occam_ev_text *t, uint64_t index, const unsigned char **bytes, size_t *len)
{
    *bytes = t->bytes + t->off[index];
    *len = (size_t)(t->off[index + 1] - t->off[index]);
}

int occam__ev_text_cmp(const occam_ev_text *t, uint64_t a, uint64_t b)
{
    size_t la = (size_t)(t->off[a + 1] - t->off[a]), lb = (size_t)(t->off[b + 1] - t->off[b]);
    size_t m = la < lb ? la : lb;
    int c = m ? memcmp(t->bytes + t->off[a], t->bytes + t->off[b], m) : 0;
    if (c != 0) return c;
    return la < lb ? -1 : la > lb;
}
