/* SPDX-License-Identifier: MIT */
/*
 * firmware/order.c: the ordering rule of several boards. Tables for the time
 * a command counts at, the order of changes and the fold; every permutation
 * of sets of changes, applied the way firmware/converge.c does (one step when
 * in order, the fold otherwise), ends in the same item.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "order.h"
#include "util.h"

#define NOW 1764061200

static void test_time(void)
{
    static const struct {
        int64_t ts, now, want;
    } t[] = {
        {0, NOW, NOW},                                       /* none: receipt */
        {-5, NOW, NOW},                                      /* nonsense: receipt */
        {NOW - 3600, NOW, NOW - 3600},                       /* the producer's */
        {NOW + TW_ORDER_SKEW_S, NOW, NOW + TW_ORDER_SKEW_S}, /* a clock a little ahead */
        {NOW + TW_ORDER_SKEW_S + 1, NOW, NOW},               /* too far ahead: now */
        {1, NOW, 1},
    };
    for (size_t i = 0; i < TW_ARRAY_LEN(t); i++) {
        CHECK_EQ_INT(tw_order_time(t[i].ts, t[i].now), t[i].want);
        CHECK_EQ_INT(tw_order_untimed(t[i].ts, t[i].now), t[i].want == t[i].now && t[i].ts != NOW);
    }
}

static void test_cmp(void)
{
    static const struct {
        int64_t ta;
        const char *a;
        int64_t tb;
        const char *b;
        int sign;
    } t[] = {
        {1, "z", 2, "a", -1},                                                    /* time first */
        {2, "a", 1, "z", 1},     {5, "c-a", 5, "c-b", -1},                       /* then the id */
        {5, "c-b", 5, "c-a", 1}, {5, "x", 5, "x", 0},      {5, "A", 5, "a", -1}, /* bytewise */
    };
    for (size_t i = 0; i < TW_ARRAY_LEN(t); i++) {
        int c = tw_order_cmp(t[i].ta, t[i].a, t[i].tb, t[i].b);
        CHECK_EQ_INT(c < 0 ? -1 : c > 0 ? 1 : 0, t[i].sign);
    }
}

static void test_ids(void)
{
    tw_command c;
    memset(&c, 0, sizeof(c));
    c.type = TW_CMD_POST;
    c.kind = TW_KIND_BLOCKER;
    tw_strlcpy(c.text, "CI is red", sizeof(c.text));
    tw_strlcpy(c.author, "Ana", sizeof(c.author));
    tw_strlcpy(c.source, "mqtt", sizeof(c.source));
    c.ts = NOW;
    char a[TW_ID_SIZE], b[TW_ID_SIZE];
    tw_order_post_id(&c, a);
    tw_order_post_id(&c, b);
    CHECK_EQ_STR(a, b);
    CHECK_EQ_INT(strlen(a), 18);
    CHECK(strncmp(a, "m-", 2) == 0);
    /* Fields are separated: moving a character from one to the next makes
     * another id. */
    tw_strlcpy(c.text, "CI is re", sizeof(c.text));
    tw_strlcpy(c.author, "dAna", sizeof(c.author));
    tw_order_post_id(&c, b);
    CHECK(strcmp(a, b) != 0);

    tw_command r;
    memset(&r, 0, sizeof(r));
    r.type = TW_CMD_RESOLVE;
    tw_strlcpy(r.author, "Ben", sizeof(r.author));
    tw_order_cmd_id(&r, "slack-1", NOW, a);
    tw_order_cmd_id(&r, "slack-1", NOW, b);
    CHECK_EQ_STR(a, b);
    CHECK(strncmp(a, "c-", 2) == 0);
    tw_order_cmd_id(&r, "slack-1", NOW + 1, b);
    CHECK(strcmp(a, b) != 0);
    r.type = TW_CMD_REOPEN;
    tw_order_cmd_id(&r, "slack-1", NOW, b);
    CHECK(strcmp(a, b) != 0);
}

static tw_item posted(tw_kind kind)
{
    tw_item it;
    memset(&it, 0, sizeof(it));
    tw_strlcpy(it.id, "i-1", sizeof(it.id));
    tw_strlcpy(it.ref, "abcd", sizeof(it.ref));
    it.kind = kind;
    it.state = TW_STATE_OPEN;
    it.created = it.updated = NOW;
    return it;
}

static tw_op op(const char *id, tw_cmd_type type, int64_t ts, const char *by, const char *note)
{
    tw_op o;
    memset(&o, 0, sizeof(o));
    tw_strlcpy(o.id, id, sizeof(o.id));
    o.type = type;
    o.ts = ts;
    tw_strlcpy(o.by, by, sizeof(o.by));
    tw_strlcpy(o.note, note ? note : "", sizeof(o.note));
    return o;
}

static bool same(const tw_item *a, const char *na, const tw_item *b, const char *nb)
{
    return a->state == b->state && a->claimed == b->claimed && a->resolved == b->resolved &&
           a->updated == b->updated && strcmp(a->claimed_by, b->claimed_by) == 0 &&
           strcmp(a->resolved_by, b->resolved_by) == 0 && strcmp(na, nb) == 0;
}

/* The table: a set of changes and what the item ends as. */
static void test_fold_table(void)
{
    struct row {
        tw_kind kind;
        tw_op ops[4];
        size_t n;
        tw_state state;
        const char *claimed_by, *resolved_by, *note;
        int64_t updated;
    } t[] = {
        {TW_KIND_BLOCKER,
         {op("unused", TW_CMD_CLAIM, 0, "", NULL)},
         0,
         TW_STATE_OPEN,
         "",
         "",
         "",
         NOW},
        /* The case: resolve and reopen cross; the later wins. */
        {TW_KIND_BLOCKER,
         {op("c-1", TW_CMD_RESOLVE, NOW + 10, "Ben", "ask IT"),
          op("c-2", TW_CMD_REOPEN, NOW + 20, "Ana", NULL)},
         2,
         TW_STATE_OPEN,
         "",
         "",
         "",
         NOW + 20},
        {TW_KIND_BLOCKER,
         {op("c-2", TW_CMD_REOPEN, NOW + 10, "Ana", NULL),
          op("c-1", TW_CMD_RESOLVE, NOW + 20, "Ben", "ask IT")},
         2,
         TW_STATE_RESOLVED,
         "",
         "Ben",
         "ask IT",
         NOW + 20},
        /* A tie: the command id decides (c-a before c-b). */
        {TW_KIND_BLOCKER,
         {op("c-b", TW_CMD_REOPEN, NOW + 10, "Ana", NULL),
          op("c-a", TW_CMD_RESOLVE, NOW + 10, "Ben", "x")},
         2,
         TW_STATE_OPEN,
         "",
         "",
         "",
         NOW + 10},
        /* A claim after the resolve does nothing; one after a reopen does. */
        {TW_KIND_BLOCKER,
         {op("c-1", TW_CMD_RESOLVE, NOW + 10, "Ben", NULL),
          op("c-2", TW_CMD_CLAIM, NOW + 20, "Cleo", NULL)},
         2,
         TW_STATE_RESOLVED,
         "",
         "Ben",
         "",
         NOW + 10},
        {TW_KIND_BLOCKER,
         {op("c-1", TW_CMD_RESOLVE, NOW + 10, "Ben", NULL),
          op("c-2", TW_CMD_REOPEN, NOW + 20, "Ana", NULL),
          op("c-3", TW_CMD_CLAIM, NOW + 30, "Cleo", NULL)},
         3,
         TW_STATE_CLAIMED,
         "Cleo",
         "",
         "",
         NOW + 30},
        /* Claims: the latest claimer holds it; a resolve keeps who helped. */
        {TW_KIND_QUESTION,
         {op("c-1", TW_CMD_CLAIM, NOW + 10, "Ben", NULL),
          op("c-2", TW_CMD_CLAIM, NOW + 20, "Cleo", NULL),
          op("c-3", TW_CMD_RESOLVE, NOW + 30, "Cleo", "done")},
         3,
         TW_STATE_RESOLVED,
         "Cleo",
         "Cleo",
         "done",
         NOW + 30},
        /* A second resolve changes nothing, not even the note. */
        {TW_KIND_BLOCKER,
         {op("c-1", TW_CMD_RESOLVE, NOW + 10, "Ben", "first"),
          op("c-2", TW_CMD_RESOLVE, NOW + 20, "Ana", "second")},
         2,
         TW_STATE_RESOLVED,
         "",
         "Ben",
         "first",
         NOW + 10},
        /* Wins are never claimed. */
        {TW_KIND_WIN,
         {op("c-1", TW_CMD_CLAIM, NOW + 10, "Ben", NULL)},
         1,
         TW_STATE_OPEN,
         "",
         "",
         "",
         NOW},
    };
    for (size_t i = 0; i < TW_ARRAY_LEN(t); i++) {
        tw_item it = posted(t[i].kind);
        it.state = TW_STATE_CLAIMED; /* what was stored does not matter */
        tw_strlcpy(it.claimed_by, "stale", sizeof(it.claimed_by));
        char note[TW_NOTE_SIZE] = "stale";
        tw_op ops[4];
        memcpy(ops, t[i].ops, sizeof(ops));
        CHECK(tw_order_fold(&it, note, ops, t[i].n));
        CHECK_EQ_INT(it.state, t[i].state);
        CHECK_EQ_STR(it.claimed_by, t[i].claimed_by);
        CHECK_EQ_STR(it.resolved_by, t[i].resolved_by);
        CHECK_EQ_STR(note, t[i].note);
        CHECK_EQ_INT(it.updated, t[i].updated);
        /* Folding what is folded changes nothing. */
        CHECK(!tw_order_fold(&it, note, ops, t[i].n));
    }
}

/* Arrival in the order perm[]: a step when after the latest, else a fold of
 * all arrived so far (firmware/converge.c). */
static void arrive(tw_kind kind, const tw_op *set, const size_t *perm, size_t n, tw_item *out,
                   char *note)
{
    *out = posted(kind);
    note[0] = '\0';
    tw_op *seen = calloc(n, sizeof(*seen));
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const tw_op *o = &set[perm[i]];
        bool in_order = true;
        for (size_t j = 0; j < k; j++)
            if (tw_order_op_cmp(o, &seen[j]) < 0)
                in_order = false;
        seen[k++] = *o;
        if (in_order)
            tw_order_step(out, note, o);
        else
            tw_order_fold(out, note, seen, k);
    }
    free(seen);
}

static bool next_perm(size_t *p, size_t n)
{
    if (n < 2)
        return false;
    size_t i = n - 1;
    while (i > 0 && p[i - 1] >= p[i])
        i--;
    if (i == 0)
        return false;
    size_t j = n - 1;
    while (p[j] <= p[i - 1])
        j--;
    size_t t = p[i - 1];
    p[i - 1] = p[j];
    p[j] = t;
    for (size_t a = i, b = n - 1; a < b; a++, b--) {
        t = p[a];
        p[a] = p[b];
        p[b] = t;
    }
    return true;
}

static void test_permutations(void)
{
    /* Six changes with a tie, claims that only count after a reopen, and
     * resolves whose note depends on which comes first: 720 orders. */
    const tw_op set[] = {
        op("c-k", TW_CMD_CLAIM, NOW + 5, "Ben", NULL),
        op("c-r1", TW_CMD_RESOLVE, NOW + 10, "Ben", "first"),
        op("c-o", TW_CMD_REOPEN, NOW + 20, "Ana", NULL),
        op("c-r2", TW_CMD_RESOLVE, NOW + 20, "Cleo", "tie"), /* a tie: after c-o */
        op("c-k2", TW_CMD_CLAIM, NOW + 25, "Dan", NULL),
        op("c-o2", TW_CMD_REOPEN, NOW + 30, "Eve", NULL),
    };
    size_t n = TW_ARRAY_LEN(set);
    tw_op sorted[6];
    memcpy(sorted, set, sizeof(sorted));
    tw_item want = posted(TW_KIND_BLOCKER);
    char want_note[TW_NOTE_SIZE] = "";
    tw_order_fold(&want, want_note, sorted, n);
    /* c-k claims, c-r1 resolves, c-o reopens, c-r2 resolves ("tie"), c-k2
     * does nothing (resolved), c-o2 reopens. */
    CHECK_EQ_INT(want.state, TW_STATE_OPEN);
    CHECK_EQ_INT(want.updated, NOW + 30);

    size_t perm[6] = {0, 1, 2, 3, 4, 5};
    int orders = 0, differ = 0;
    do {
        tw_item got;
        char note[TW_NOTE_SIZE];
        arrive(TW_KIND_BLOCKER, set, perm, n, &got, note);
        orders++;
        if (!same(&got, note, &want, want_note))
            differ++;
        /* Every prefix of the arrival ends as the fold of what arrived. */
        for (size_t m = 1; m < n; m++) {
            tw_op part[6];
            for (size_t i = 0; i < m; i++)
                part[i] = set[perm[i]];
            tw_item f = posted(TW_KIND_BLOCKER), g;
            char fn[TW_NOTE_SIZE] = "", gn[TW_NOTE_SIZE];
            tw_order_fold(&f, fn, part, m);
            arrive(TW_KIND_BLOCKER, set, perm, m, &g, gn);
            if (!same(&f, fn, &g, gn))
                differ++;
        }
    } while (next_perm(perm, n));
    CHECK_EQ_INT(orders, 720);
    CHECK_EQ_INT(differ, 0);

    /* Without the last reopen, the tie decides the end: resolved with the
     * note of the resolve that sorts last among those that counted. */
    tw_item it = posted(TW_KIND_BLOCKER);
    char note[TW_NOTE_SIZE] = "";
    memcpy(sorted, set, sizeof(sorted));
    tw_order_fold(&it, note, sorted, 5);
    CHECK_EQ_INT(it.state, TW_STATE_RESOLVED);
    CHECK_EQ_STR(it.resolved_by, "Cleo");
    CHECK_EQ_STR(note, "tie");
}

int main(void)
{
    test_time();
    test_cmp();
    test_ids();
    test_fold_table();
    test_permutations();
    return check_done();
}
