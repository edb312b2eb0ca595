/* SPDX-License-Identifier: MIT */
/*
 * The open-items model (firmware/model.c) against a plain reference: random
 * posts, claims, resolves, reopens and back-dated posts, checking after
 * each step that every kind reads in (created, seq) order from both ends,
 * that the n-th item and an item's index agree, that lookups by seq and id
 * find exactly the open items, and that the tree stays balanced (its height
 * bounds every operation's cost). Then what an item costs: its bytes against
 * tw_item's 2 KB, and the tree height at 100,000 open items.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "model.h"
#include "util.h"

#define N_ITEMS 600

typedef struct ref_item {
    bool open;
    tw_item it;
} ref_item;

static ref_item ref[N_ITEMS];
static uint64_t rng = 88172645463325252ull;

static uint64_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static int cmp_order(const void *a, const void *b)
{
    const tw_item *x = *(const tw_item *const *)a, *y = *(const tw_item *const *)b;
    if (x->created != y->created)
        return x->created < y->created ? -1 : 1;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

static bool same(const tw_item_view *v, const tw_item *it)
{
    return v && v->seq == it->seq && strcmp(v->id, it->id) == 0 && strcmp(v->ref, it->ref) == 0 &&
           v->kind == it->kind && v->state == it->state && strcmp(v->text, it->text) == 0 &&
           strcmp(v->author, it->author) == 0 && strcmp(v->source, it->source) == 0 &&
           strcmp(v->claimed_by, it->claimed_by) == 0 && v->created == it->created &&
           v->claimed == it->claimed && v->updated == it->updated;
}

/* Everything the model says agrees with the reference. */
static bool agrees(const tw_model *m)
{
    static const tw_item *want[N_ITEMS];
    if (tw_model_check(m) != 0)
        return false;
    size_t total = 0;
    for (int k = 0; k < TW_KIND_COUNT; k++) {
        size_t n = 0;
        for (size_t i = 0; i < N_ITEMS; i++)
            if (ref[i].open && (int)ref[i].it.kind == k)
                want[n++] = &ref[i].it;
        qsort(want, n, sizeof(*want), cmp_order);
        total += n;
        if (tw_model_count(m, (tw_kind)k) != n)
            return false;
        size_t i = 0;
        for (const tw_item_view *v = tw_model_first(m, (tw_kind)k); v; v = tw_model_next(m, v))
            if (i >= n || !same(v, want[i++]))
                return false;
        if (i != n)
            return false;
        for (const tw_item_view *v = tw_model_last(m, (tw_kind)k); v; v = tw_model_prev(m, v))
            if (i == 0 || !same(v, want[--i]))
                return false;
        for (i = 0; i < n; i++) {
            const tw_item_view *v = tw_model_at(m, (tw_kind)k, i);
            if (!same(v, want[i]) || tw_model_rank(m, v) != i)
                return false;
        }
        if (tw_model_at(m, (tw_kind)k, n) != NULL)
            return false;
    }
    if (tw_model_count(m, TW_KIND_COUNT) != total)
        return false;
    for (size_t i = 0; i < N_ITEMS; i++) {
        const tw_item_view *by_seq = tw_model_find_seq(m, ref[i].it.seq);
        const tw_item_view *by_id = tw_model_find_id(m, ref[i].it.id);
        if (ref[i].open ? !same(by_seq, &ref[i].it) || by_id != by_seq : by_seq || by_id)
            return false;
    }
    return true;
}

static void random_ops(void)
{
    tw_model *m = tw_model_create();
    for (size_t i = 0; i < N_ITEMS; i++) {
        tw_item *it = &ref[i].it;
        memset(it, 0, sizeof(*it));
        it->seq = (int64_t)i + 1;
        snprintf(it->id, sizeof(it->id), "item-%zu", i);
        snprintf(it->ref, sizeof(it->ref), "r%03zx", i);
        it->kind = (tw_kind)(next_rand() % TW_KIND_COUNT);
        /* Many share a created second, some are back-dated. */
        it->created = 1000 + (int64_t)(i / 3) - (next_rand() % 5 == 0 ? 200 : 0);
        snprintf(it->text, sizeof(it->text), "%.*s", (int)(next_rand() % 200 + 1),
                 "Waiting on prod DB access, the VPN, the build, the review, the release of "
                 "the new router firmware and the answer to the question asked yesterday in "
                 "the channel about the staging cluster that nobody owns since the move.");
        snprintf(it->author, sizeof(it->author), "person %d", (int)(next_rand() % 7));
        snprintf(it->source, sizeof(it->source), "mqtt");
    }
    bool ok = true;
    size_t posted = 0;
    for (int step = 0; step < 4000 && ok; step++) {
        size_t i = posted < N_ITEMS && next_rand() % 3 == 0 ? posted++
                   : posted                                 ? next_rand() % posted
                                                            : posted++;
        tw_item *it = &ref[i].it;
        switch (next_rand() % 4) {
        case 0: /* post or reopen */
            it->state = TW_STATE_OPEN;
            it->claimed = 0;
            it->claimed_by[0] = '\0';
            break;
        case 1: /* claim: a longer string in the same entry */
            if (it->kind == TW_KIND_WIN)
                continue;
            it->state = TW_STATE_CLAIMED;
            it->claimed = 5000 + step;
            snprintf(it->claimed_by, sizeof(it->claimed_by), "helper %d with a long name", step);
            break;
        case 2: /* an update that moves it in the order */
            if (!ref[i].open)
                continue;
            it->created -= 7;
            break;
        default: it->state = TW_STATE_RESOLVED; break;
        }
        it->updated = 6000 + step;
        tw_model_put(m, it);
        ref[i].open = it->state != TW_STATE_RESOLVED;
        if (step % 37 == 0 || step > 3900)
            ok = agrees(m);
    }
    CHECK(ok);
    CHECK(agrees(m));
    CHECK(tw_model_seq_high(m) > 0);
    /* Everything resolved: empty, and the indexes hold nothing. */
    for (size_t i = 0; i < N_ITEMS; i++) {
        ref[i].it.state = TW_STATE_RESOLVED;
        ref[i].open = false;
        tw_model_put(m, &ref[i].it);
    }
    CHECK(agrees(m));
    CHECK_EQ_INT(tw_model_count(m, TW_KIND_COUNT), 0);
    CHECK(tw_model_first(m, TW_KIND_BLOCKER) == NULL);
    tw_model_clear(m);
    CHECK_EQ_INT(tw_model_check(m), 0);
    tw_model_destroy(m);
    tw_model_destroy(NULL);
}

/* The height of the tree at n items, through the index of its last item:
 * tw_model_check() has verified the AVL balance, so walking the parents of
 * any entry is at most 1.44 log2(n) steps. Here: the cost of an item. */
static void cost(void)
{
    tw_model *m = tw_model_create();
    tw_item it;
    memset(&it, 0, sizeof(it));
    const size_t n = 100000;
    for (size_t i = 0; i < n; i++) {
        it.seq = (int64_t)i + 1;
        snprintf(it.id, sizeof(it.id), "bench-%zu", i);
        snprintf(it.ref, sizeof(it.ref), "%05zx", i);
        it.kind = (tw_kind)(i % TW_KIND_COUNT);
        it.created = 1700000000 + (int64_t)i;
        snprintf(it.text, sizeof(it.text), "Waiting on the staging database, item %zu", i);
        tw_strlcpy(it.author, "Ana", sizeof(it.author));
        tw_strlcpy(it.source, "mqtt", sizeof(it.source));
        tw_model_put(m, &it);
    }
    CHECK_EQ_INT(tw_model_check(m), 0);
    CHECK_EQ_INT(tw_model_count(m, TW_KIND_COUNT), n);
    size_t per = tw_model_bytes(m) / n;
    printf("model: %zu open items, %zu bytes each (tw_item: %zu)\n", n, per, sizeof(tw_item));
    CHECK(per < 320);
    /* The oldest of each kind resolved: the worst case of the array it
     * replaced, one step here. */
    for (int k = 0; k < TW_KIND_COUNT; k++) {
        const tw_item_view *v = tw_model_first(m, (tw_kind)k);
        tw_item old;
        tw_item_from_view(v, &old);
        old.state = TW_STATE_RESOLVED;
        tw_model_put(m, &old);
        CHECK(tw_model_find_seq(m, old.seq) == NULL);
    }
    CHECK_EQ_INT(tw_model_count(m, TW_KIND_COUNT), n - 3);
    CHECK_EQ_INT(tw_model_check(m), 0);
    tw_model_destroy(m);
}

int main(void)
{
    random_ops();
    cost();
    return check_done();
}
