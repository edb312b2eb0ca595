/* SPDX-License-Identifier: MIT */
/*
 * The digest: one walk back through the store's history to the start of the
 * figures' windows collects each item once (the newest row names it first)
 * as a figures row, and each question still resolved with an answer as a
 * "recently learned" entry. The rows stay in memory, so a minute passing
 * only recomputes; a change on the board re-reads, except a new post, which
 * is folded in: it adds one row and changes nothing learned, so a flood of
 * posts costs a row each instead of a walk every few hundred (a tenth of
 * P2's board CPU was those walks).
 */
#define _POSIX_C_SOURCE 200809L
#define LOG_MODULE      "digest"
#include "digest.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "log.h"
#include "util.h"

/* History rows are written with the board's clock; allow for it having
 * stepped back a little when deciding where the walk may stop. */
#define CLOCK_SLACK_S 86400
/* The walk stops after this many items (the newest changed): memory and a
 * reload's cost stay bounded when a script or a flood changes hundreds of
 * thousands of items in the windows (R6: 60 bytes and a re-read per item
 * otherwise), while a team, at some fifty items a day, never comes near. */
#define ROWS_MAX 20000
#define ENOUGH   1 /* on_row's "stop here", not an error */
/* Folded posts may run this far past ROWS_MAX before the oldest rows are
 * dropped in one move (amortised: one memmove every ROWS_SLACK posts). */
#define ROWS_SLACK 4096

struct tw_digest {
    tw_fig_row *rows; /* one per item, the least recently changed first */
    size_t n, cap;
    int64_t *seen; /* open-addressing set of item seqs met in this walk (0 = empty) */
    size_t seen_cap;
    tw_learned learned[TW_LEARNED_MAX];
    size_t n_learned;
    tw_figures fig;
    uint64_t version;
};

tw_digest *tw_digest_create(void)
{
    return tw_xcalloc(1, sizeof(tw_digest));
}

void tw_digest_destroy(tw_digest *d)
{
    if (!d)
        return;
    free(d->rows);
    free(d->seen);
    free(d);
}

static uint64_t mix(int64_t v)
{
    uint64_t h = (uint64_t)v * 0x9E3779B97F4A7C15ULL;
    return h ^ (h >> 29);
}

/* Add seq to the set; false if it was there already. */
static bool seen_add(tw_digest *d, int64_t seq)
{
    if (seq == 0)
        seq = INT64_MIN; /* 0 marks empty slots */
    if ((d->n + 1) * 2 > d->seen_cap) {
        size_t cap = d->seen_cap ? d->seen_cap * 2 : 1024;
        int64_t *old = d->seen;
        size_t old_cap = d->seen_cap;
        d->seen = tw_xcalloc(cap, sizeof(*d->seen));
        d->seen_cap = cap;
        for (size_t i = 0; i < old_cap; i++) {
            if (!old[i])
                continue;
            size_t k = mix(old[i]) & (cap - 1);
            while (d->seen[k])
                k = (k + 1) & (cap - 1);
            d->seen[k] = old[i];
        }
        free(old);
    }
    size_t k = mix(seq) & (d->seen_cap - 1);
    while (d->seen[k]) {
        if (d->seen[k] == seq)
            return false;
        k = (k + 1) & (d->seen_cap - 1);
    }
    d->seen[k] = seq;
    return true;
}

/* The same answer given to several questions ("ask IT, form on the wiki"
 * for the third VPN question) is one thing learned: the line rotates
 * through different answers, newest first, instead of repeating one. Equal
 * ignoring case and surrounding spaces. */
static bool learned_already(const tw_digest *d, const char *answer)
{
    while (*answer == ' ')
        answer++;
    size_t n = strlen(answer);
    while (n > 0 && answer[n - 1] == ' ')
        n--;
    for (size_t i = 0; i < d->n_learned; i++) {
        const char *a = d->learned[i].answer;
        while (*a == ' ')
            a++;
        size_t m = strlen(a);
        while (m > 0 && a[m - 1] == ' ')
            m--;
        if (m == n && strncasecmp(a, answer, n) == 0)
            return true;
    }
    return false;
}

/* Needs n < ROWS_MAX + ROWS_SLACK, which the walk and the fold keep. */
static void add_row(tw_digest *d, const tw_item *it)
{
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 256;
        if (d->cap > ROWS_MAX + ROWS_SLACK)
            d->cap = ROWS_MAX + ROWS_SLACK;
        d->rows = tw_xrealloc(d->rows, d->cap * sizeof(*d->rows));
    }
    d->rows[d->n++] = (tw_fig_row){it->kind, it->state, it->created, it->resolved};
}

static int on_row(void *ctx, const tw_history_entry *h, const tw_item *it)
{
    tw_digest *d = ctx;
    if (d->n >= ROWS_MAX)
        return ENOUGH;
    if (!it || !seen_add(d, it->seq))
        return 0;
    add_row(d, it);
    /* The first row met for an item is its newest: an answered question that
     * is still resolved (a reopened one was not the answer after all). For a
     * resolved item that row is its resolve, whose detail is the note. */
    if (it->kind == TW_KIND_QUESTION && it->state == TW_STATE_RESOLVED &&
        strcmp(h->action, "resolve") == 0 && h->detail[0] && d->n_learned < TW_LEARNED_MAX &&
        !learned_already(d, h->detail)) {
        tw_learned *l = &d->learned[d->n_learned++];
        memset(l, 0, sizeof(*l)); /* whole buffers are compared for changes */
        tw_strlcpy(l->ref, it->ref, sizeof(l->ref));
        tw_strlcpy(l->question, it->text, sizeof(l->question));
        tw_strlcpy(l->answer, h->detail, sizeof(l->answer));
        tw_strlcpy(l->by, it->resolved_by, sizeof(l->by));
        l->at = it->resolved;
    }
    return 0;
}

static void compute(tw_digest *d, int64_t now)
{
    tw_fig_clock clk;
    tw_figures_clock(now, &clk);
    tw_figures f;
    size_t skip = d->n > ROWS_MAX ? d->n - ROWS_MAX : 0; /* what a walk would not reach */
    tw_figures_compute(d->rows + skip, d->n - skip, &clk, &f);
    if (memcmp(&f, &d->fig, sizeof(f)) != 0) {
        d->fig = f;
        d->version++;
    }
}

int tw_digest_reload(tw_digest *d, tw_store *store, int64_t now)
{
    if (!d || !store)
        return TW_ERR_INVAL;
    tw_fig_clock clk;
    tw_figures_clock(now, &clk);
    size_t old_learned = d->n_learned;
    /* The learned list is compared after the walk to bump the version only
     * when it changed; keep the old one aside (small, fixed size). */
    tw_learned *before = tw_xmalloc(sizeof(d->learned));
    memcpy(before, d->learned, sizeof(d->learned));

    d->n = 0;
    d->n_learned = 0;
    free(d->seen); /* a walk that failed may have left one */
    d->seen = NULL;
    d->seen_cap = 0;
    /* The walk reads the recent history once: with 100,000 items it filled
     * SQLite's whole page cache (2 MB, more than one walk holds, so the next
     * walk found none of its pages) and pushed out the commands' pages
     * anyway. It runs in a small cache, emptied after it: those 2 MB were
     * in P4's peak (fragments of the heap the composed cards could not
     * reuse) and in its steady figure. */
    int cache = tw_store_walk_begin(store);
    int rc = tw_store_history_since(store, tw_figures_since(&clk) - CLOCK_SLACK_S, on_row, d);
    tw_store_walk_end(store, cache);
    if (rc == ENOUGH)
        rc = 0;
    if (rc) {
        log_warn("cannot read recent history: %s", tw_strerror(rc));
        memcpy(d->learned, before, sizeof(d->learned));
        d->n_learned = old_learned;
        free(before);
        return rc;
    }
    /* The walk met the newest first; folded posts go at the other end. */
    for (size_t i = 0, j = d->n; i + 1 < j; i++, j--) {
        tw_fig_row t = d->rows[i];
        d->rows[i] = d->rows[j - 1];
        d->rows[j - 1] = t;
    }
    if (d->n_learned != old_learned ||
        memcmp(before, d->learned, d->n_learned * sizeof(*before)) != 0)
        d->version++;
    free(before);
    /* The set only serves the walk: 512 KiB at ROWS_MAX items that need not
     * stay resident between walks (R6). */
    free(d->seen);
    d->seen = NULL;
    d->seen_cap = 0;
    compute(d, now);
    return 0;
}

bool tw_digest_fold_post(tw_digest *d, const tw_item *it)
{
    /* Resolved from the start (kept changes applied at once): it may be
     * something learned, which only a walk orders right. */
    if (!d || !it || it->state == TW_STATE_RESOLVED || (unsigned)it->kind >= TW_KIND_COUNT)
        return false;
    if (d->n >= ROWS_MAX + ROWS_SLACK) {
        memmove(d->rows, d->rows + (d->n - ROWS_MAX), ROWS_MAX * sizeof(*d->rows));
        d->n = ROWS_MAX;
    }
    add_row(d, it);
    return true;
}

void tw_digest_recompute(tw_digest *d, int64_t now)
{
    if (d)
        compute(d, now);
}

const tw_figures *tw_digest_figures(const tw_digest *d)
{
    return d ? &d->fig : NULL;
}

const tw_learned *tw_digest_learned(const tw_digest *d, size_t *count)
{
    if (count)
        *count = d ? d->n_learned : 0;
    return d ? d->learned : NULL;
}

uint64_t tw_digest_version(const tw_digest *d)
{
    return d ? d->version : 0;
}
