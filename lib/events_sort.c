/*
 * events_sort.c -- sort event records by (customer key, time key): a
 * least-significant-digit radix sort.
 *
 * When the keys of a batch fit, each record is first packed losslessly into
 * one 64-bit key: (id - min id) in the high bits, (tk - min tk) >> z in the
 * low bits, z = the trailing zero bits every time-key difference shares
 * (integer day numbers differ only in their top mantissa bits, so a log of
 * 10^6 customers over 546 days packs into 30 bits).  The packed keys sort in
 * ceil(bits / 11) passes of at most 11-bit digits over 8-byte elements, and
 * unpack in the same order.  Otherwise the 128-bit keys sort directly,
 * 8-bit digits, skipping digits on which every record agrees.  Both are
 * stable, O(n) time; small inputs use insertion sort.
 */
#include <stdlib.h>
#include <string.h>

#include "events.h"

enum { SMALL = 48 };

static int rec_less(const occam_ev_rec *a, const occam_ev_rec *b)
{
    return a->id != b->id ? a->id < b->id : a->tk < b->tk;
}

static void insertion_sort(occam_ev_rec *r, int64_t n)
{
    for (int64_t i = 1; i < n; i++) {
        occam_ev_rec v = r[i];
        int64_t j = i;
        while (j > 0 && rec_less(&v, &r[j - 1])) {
            r[j] = r[j - 1];
            j--;
        }
        r[j] = v;
    }
}

static int bit_length(uint64_t v)
{
    int b = 0;
    while (v) {
        b++;
        v >>= 1;
    }
    return b;
}

/* 128-bit keys, 8-bit digits; tmp has n records. */
static void sort_wide(occam_ev_rec *r, occam_ev_rec *tmp, int64_t n)
{
    enum { DIGITS = 16, RADIX = 256 };
    int64_t(*count)[RADIX] = calloc(DIGITS, sizeof *count);
    if (count == NULL) { /* no memory for 32 KB of counters: sort by insertion is still correct */
        insertion_sort(r, n);
        return;
    }
    for (int64_t i = 0; i < n; i++) {
        uint64_t t = r[i].tk, c = r[i].id;
        for (int d = 0; d < 8; d++) {
            count[d][(t >> (8 * d)) & 0xff]++;
            count[d + 8][(c >> (8 * d)) & 0xff]++;
        }
    }
    occam_ev_rec *src = r, *dst = tmp;
    for (int d = 0; d < DIGITS; d++) {
        int trivial = 0;
        for (int b = 0; b < RADIX && !trivial; b++) trivial = count[d][b] == n;
        if (trivial) continue; /* every record has this digit */
        int64_t pos[RADIX], sum = 0;
        for (int b = 0; b < RADIX; b++) {
            pos[b] = sum;
            sum += count[d][b];
        }
        int shift = 8 * (d & 7);
        if (d < 8)
            for (int64_t i = 0; i < n; i++) dst[pos[(src[i].tk >> shift) & 0xff]++] = src[i];
        else
            for (int64_t i = 0; i < n; i++) dst[pos[(src[i].id >> shift) & 0xff]++] = src[i];
        occam_ev_rec *s = src;
        src = dst;
        dst = s;
    }
    if (src != r) memcpy(r, src, (size_t)n * sizeof *r);
    free(count);
}

/* Packed 64-bit keys of `bits` bits; tmp has n keys. */
static int sort_packed(uint64_t *k, uint64_t *tmp, int64_t n, int bits)
{
    enum { MAXD = 11 };
    int passes = (bits + MAXD - 1) / MAXD, width = passes ? (bits + passes - 1) / passes : 0;
    size_t radix = (size_t)1 << width;
    int64_t *count = calloc((size_t)passes * radix, sizeof *count);
    if (count == NULL && passes > 0) return -1;
    uint64_t mask = radix - 1;
    for (int64_t i = 0; i < n; i++)
        for (int p = 0; p < passes; p++) count[(size_t)p * radix + ((k[i] >> (width * p)) & mask)]++;
    uint64_t *src = k, *dst = tmp;
    for (int p = 0; p < passes; p++) {
        int64_t *c = count + (size_t)p * radix, sum = 0;
        for (size_t b = 0; b < radix; b++) {
            int64_t v = c[b];
            c[b] = sum;
            sum += v;
        }
        int shift = width * p;
        for (int64_t i = 0; i < n; i++) dst[c[(src[i] >> shift) & mask]++] = src[i];
        uint64_t *s = src;
        src = dst;
        dst = s;
    }
    if (src != k) memcpy(k, src, (size_t)n * sizeof *k);
    free(count);
    return 0;
}

int occam__ev_sort(occam_ev_rec *r, int64_t n, occam_ev_scratch *sc)
{
    if (n <= SMALL) {
        insertion_sort(r, n);
        return OCCAM_OK;
    }
    size_t need = (size_t)n * sizeof *r;
    if (sc->cap < need) {
        void *p = realloc(sc->buf, need);
        if (p == NULL) return occam__fail(OCCAM_E_NOMEM, "out of memory sorting %lld events", (long long)n);
        sc->buf = p;
        sc->cap = need;
    }
    uint64_t idmin = r[0].id, idmax = r[0].id, tkmin = r[0].tk, tkmax = r[0].tk;
    for (int64_t i = 1; i < n; i++) {
        idmin = r[i].id < idmin ? r[i].id : idmin;
        idmax = r[i].id > idmax ? r[i].id : idmax;
        tkmin = r[i].tk < tkmin ? r[i].tk : tkmin;
        tkmax = r[i].tk > tkmax ? r[i].tk : tkmax;
    }
    uint64_t diff = 0;
    for (int64_t i = 0; i < n; i++) diff |= r[i].tk - tkmin;
    int z = 0;
    while (diff && !(diff & 1)) {
        diff >>= 1;
        z++;
    }
    int tkbits = bit_length((tkmax - tkmin) >> z), idbits = bit_length(idmax - idmin);
    if (idbits + tkbits > 64) {
        sort_wide(r, sc->buf, n);
        return OCCAM_OK;
    }
    uint64_t *k = sc->buf, *tmp = k + n; /* the scratch holds n records = 2n keys */
    for (int64_t i = 0; i < n; i++)
        k[i] = (tkbits == 64 ? 0 : (r[i].id - idmin) << tkbits) | ((r[i].tk - tkmin) >> z); /* tkbits 64: one id */
    if (sort_packed(k, tmp, n, idbits + tkbits) != 0) {
        sort_wide(r, sc->buf, n); /* the keys are lost, the records are not */
        return OCCAM_OK;
    }
    uint64_t tmask = tkbits == 64 ? ~(uint64_t)0 : (((uint64_t)1 << tkbits) - 1);
    for (int64_t i = 0; i < n; i++) {
        r[i].id = (tkbits == 64 ? 0 : k[i] >> tkbits) + idmin;
        r[i].tk = ((k[i] & tmask) << z) + tkmin;
    }
    return OCCAM_OK;
}
