/*
 * events_sort.c -- sort event records by (customer key, time key): a
 * least-significant-digit radix sort over the 128-bit key, 8-bit digits.
 * One pass counts all sixteen digit histograms; a digit on which every
 * record agrees is skipped, so ids below 2^24 and day-valued times cost
 * about six scatter passes.  Stable, O(n) time, n records of extra memory;
 * small inputs use insertion sort.
 */
#include <string.h>

#include "events.h"

enum { RADIX_BITS = 8, RADIX = 1 << RADIX_BITS, DIGITS = 16, SMALL = 48 };

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

/* Digit d (0 = least significant) of a record's key: digits 0-7 from the
 * time key, 8-15 from the customer key. */
static inline unsigned digit(const occam_ev_rec *x, int d)
{
    uint64_t w = d < 8 ? x->tk : x->id;
    return (unsigned)(w >> (RADIX_BITS * (d & 7))) & (RADIX - 1);
}

void occam__ev_sort(occam_ev_rec *r, occam_ev_rec *tmp, int64_t n)
{
    if (n <= SMALL) {
        insertion_sort(r, n);
        return;
    }
    static const int NONE = -1;
    int64_t count[DIGITS][RADIX];
    memset(count, 0, sizeof count);
    for (int64_t i = 0; i < n; i++) {
        uint64_t t = r[i].tk, c = r[i].id;
        for (int d = 0; d < 8; d++) {
            count[d][(t >> (8 * d)) & 0xff]++;
            count[d + 8][(c >> (8 * d)) & 0xff]++;
        }
    }
    occam_ev_rec *src = r, *dst = tmp;
    for (int d = 0; d < DIGITS; d++) {
        int only = NONE;
        for (int b = 0; b < RADIX && only == NONE; b++)
            if (count[d][b] == n) only = b;
        if (only != NONE) continue; /* every record has this digit */
        int64_t pos[RADIX], sum = 0;
        for (int b = 0; b < RADIX; b++) {
            pos[b] = sum;
            sum += count[d][b];
        }
        for (int64_t i = 0; i < n; i++) dst[pos[digit(&src[i], d)]++] = src[i];
        occam_ev_rec *s = src;
        src = dst;
        dst = s;
    }
    if (src != r) memcpy(r, src, (size_t)n * sizeof *r);
}
