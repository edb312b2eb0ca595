/* SPDX-License-Identifier: MIT */
/*
 * The stand-up's state machine without screen, broker or disk: every command
 * in every phase (a table), "at" making a redelivered next a no-op, resolve
 * moving on, the empty walk, the summary's minute, the walk's order, the
 * summary's counts, carried-over counts across stand-ups (as the store
 * hands them in), ids from the sender's time, and the [standup] at schedule.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "standup.h"
#include "util.h"

#define T0 1764667800 /* 2025-12-02 09:30:00 UTC */

static tw_standup S;
static tw_standup_entry W[5];

static void make_walk(void)
{
    static const tw_kind kinds[5] = {TW_KIND_BLOCKER, TW_KIND_BLOCKER, TW_KIND_QUESTION,
                                     TW_KIND_QUESTION, TW_KIND_WIN};
    for (int i = 0; i < 5; i++) {
        memset(&W[i], 0, sizeof(W[i]));
        snprintf(W[i].id, sizeof(W[i].id), "item-%d", i + 1);
        W[i].kind = kinds[i];
        W[i].carried = i == 0 ? 2 : 0;
    }
}

static int cmd(tw_standup_action a, int at, int64_t now, tw_standup_effects *fx)
{
    tw_standup_input in;
    memset(&in, 0, sizeof(in));
    in.cmd.action = a;
    in.cmd.at = at;
    tw_strlcpy(in.cmd.by, "Ana", sizeof(in.cmd.by));
    if (a == TW_SU_START) {
        in.walk = W;
        in.n_walk = 5;
    }
    return tw_standup_step(&S, &in, now, fx);
}

static void tick(int64_t now, tw_standup_effects *fx)
{
    tw_standup_input in;
    memset(&in, 0, sizeof(in));
    in.tick = true;
    tw_standup_step(&S, &in, now, fx);
}

/* Bring S to a phase: 0 idle, 1 blockers (at 1), 2 blockers (at 2),
 * 3 questions (at 3), 4 wins (at 5, the last), 5 summary. */
static void setup(int where)
{
    tw_standup_effects fx;
    make_walk();
    tw_standup_init(&S);
    if (where == 0)
        return;
    cmd(TW_SU_START, 0, T0, &fx);
    int steps[] = {0, 0, 1, 2, 4};
    if (where <= 4)
        for (int i = 0; i < steps[where]; i++)
            cmd(TW_SU_NEXT, 0, T0 + 10 * (i + 1), &fx);
    if (where == 5)
        cmd(TW_SU_STOP, 0, T0 + 100, &fx);
}

static const char *const where_name[] = {"idle",        "blockers@1", "blockers@2",
                                         "questions@3", "wins@5",     "summary"};

struct row {
    int where;
    tw_standup_action action;
    int at;
    int rc;                 /* 0 or TW_ERR_INVAL */
    bool noop;              /* accepted, nothing changed */
    tw_standup_phase phase; /* after */
    int position;           /* after */
    bool started, moved, ended, claim, resolve;
};

/* Every command in every phase. */
static const struct row rows[] = {
    /* idle */
    {0, TW_SU_START, 0, 0, false, TW_SU_BLOCKERS, 1, true, false, false, false, false},
    {0, TW_SU_NEXT, 0, TW_ERR_INVAL, false, TW_SU_IDLE, 0, 0, 0, 0, 0, 0},
    {0, TW_SU_BACK, 0, TW_ERR_INVAL, false, TW_SU_IDLE, 0, 0, 0, 0, 0, 0},
    {0, TW_SU_CLAIM, 0, TW_ERR_INVAL, false, TW_SU_IDLE, 0, 0, 0, 0, 0, 0},
    {0, TW_SU_RESOLVE, 0, TW_ERR_INVAL, false, TW_SU_IDLE, 0, 0, 0, 0, 0, 0},
    {0, TW_SU_STOP, 0, TW_ERR_INVAL, false, TW_SU_IDLE, 0, 0, 0, 0, 0, 0},
    /* blockers, first item */
    {1, TW_SU_START, 0, 0, true, TW_SU_BLOCKERS, 1, 0, 0, 0, 0, 0},
    {1, TW_SU_NEXT, 0, 0, false, TW_SU_BLOCKERS, 2, 0, true, 0, 0, 0},
    {1, TW_SU_NEXT, 1, 0, false, TW_SU_BLOCKERS, 2, 0, true, 0, 0, 0},
    {1, TW_SU_NEXT, 2, 0, true, TW_SU_BLOCKERS, 1, 0, 0, 0, 0, 0},
    {1, TW_SU_BACK, 0, 0, true, TW_SU_BLOCKERS, 1, 0, 0, 0, 0, 0},
    {1, TW_SU_CLAIM, 0, 0, false, TW_SU_BLOCKERS, 1, 0, 0, 0, true, 0},
    {1, TW_SU_CLAIM, 3, 0, true, TW_SU_BLOCKERS, 1, 0, 0, 0, 0, 0},
    {1, TW_SU_RESOLVE, 0, 0, false, TW_SU_BLOCKERS, 2, 0, true, 0, 0, true},
    {1, TW_SU_RESOLVE, 2, 0, true, TW_SU_BLOCKERS, 1, 0, 0, 0, 0, 0},
    {1, TW_SU_STOP, 0, 0, false, TW_SU_SUMMARY, 1, 0, 0, true, 0, 0},
    {1, TW_SU_STOP, 4, 0, true, TW_SU_BLOCKERS, 1, 0, 0, 0, 0, 0},
    /* blockers, second item: next crosses into the questions, back returns */
    {2, TW_SU_START, 0, 0, true, TW_SU_BLOCKERS, 2, 0, 0, 0, 0, 0},
    {2, TW_SU_NEXT, 2, 0, false, TW_SU_QUESTIONS, 3, 0, true, 0, 0, 0},
    {2, TW_SU_BACK, 2, 0, false, TW_SU_BLOCKERS, 1, 0, true, 0, 0, 0},
    {2, TW_SU_BACK, 1, 0, true, TW_SU_BLOCKERS, 2, 0, 0, 0, 0, 0},
    {2, TW_SU_CLAIM, 2, 0, false, TW_SU_BLOCKERS, 2, 0, 0, 0, true, 0},
    {2, TW_SU_RESOLVE, 0, 0, false, TW_SU_QUESTIONS, 3, 0, true, 0, 0, true},
    {2, TW_SU_STOP, 0, 0, false, TW_SU_SUMMARY, 2, 0, 0, true, 0, 0},
    /* questions */
    {3, TW_SU_START, 0, 0, true, TW_SU_QUESTIONS, 3, 0, 0, 0, 0, 0},
    {3, TW_SU_NEXT, 3, 0, false, TW_SU_QUESTIONS, 4, 0, true, 0, 0, 0},
    {3, TW_SU_BACK, 0, 0, false, TW_SU_BLOCKERS, 2, 0, true, 0, 0, 0},
    {3, TW_SU_CLAIM, 0, 0, false, TW_SU_QUESTIONS, 3, 0, 0, 0, true, 0},
    {3, TW_SU_RESOLVE, 3, 0, false, TW_SU_QUESTIONS, 4, 0, true, 0, 0, true},
    {3, TW_SU_STOP, 3, 0, false, TW_SU_SUMMARY, 3, 0, 0, true, 0, 0},
    /* wins, the last item: next and resolve end it */
    {4, TW_SU_START, 0, 0, true, TW_SU_WINS, 5, 0, 0, 0, 0, 0},
    {4, TW_SU_NEXT, 0, 0, false, TW_SU_SUMMARY, 5, 0, 0, true, 0, 0},
    {4, TW_SU_NEXT, 4, 0, true, TW_SU_WINS, 5, 0, 0, 0, 0, 0},
    {4, TW_SU_BACK, 5, 0, false, TW_SU_QUESTIONS, 4, 0, true, 0, 0, 0},
    {4, TW_SU_CLAIM, 0, 0, false, TW_SU_WINS, 5, 0, 0, 0, true, 0},
    {4, TW_SU_RESOLVE, 0, 0, false, TW_SU_SUMMARY, 5, 0, 0, true, 0, true},
    {4, TW_SU_STOP, 0, 0, false, TW_SU_SUMMARY, 5, 0, 0, true, 0, 0},
    /* summary: everything but the clock is a no-op */
    {5, TW_SU_START, 0, 0, true, TW_SU_SUMMARY, 1, 0, 0, 0, 0, 0},
    {5, TW_SU_NEXT, 0, 0, true, TW_SU_SUMMARY, 1, 0, 0, 0, 0, 0},
    {5, TW_SU_BACK, 0, 0, true, TW_SU_SUMMARY, 1, 0, 0, 0, 0, 0},
    {5, TW_SU_CLAIM, 0, 0, true, TW_SU_SUMMARY, 1, 0, 0, 0, 0, 0},
    {5, TW_SU_RESOLVE, 0, 0, true, TW_SU_SUMMARY, 1, 0, 0, 0, 0, 0},
    {5, TW_SU_STOP, 0, 0, true, TW_SU_SUMMARY, 1, 0, 0, 0, 0, 0},
};

static void test_table(void)
{
    for (size_t i = 0; i < TW_ARRAY_LEN(rows); i++) {
        const struct row *r = &rows[i];
        setup(r->where);
        tw_standup before = S;
        tw_standup_effects fx;
        int rc = cmd(r->action, r->at, T0 + 500, &fx);
        bool ok = rc == r->rc && fx.noop == r->noop && S.phase == r->phase &&
                  S.position == r->position && fx.started == r->started && fx.moved == r->moved &&
                  fx.ended == r->ended && fx.claim == r->claim && fx.resolve == r->resolve;
        if (!ok)
            fprintf(stderr,
                    "row %zu (%s, %s at %d): rc %d noop %d phase %d pos %d started %d moved %d "
                    "ended %d claim %d resolve %d (%s)\n",
                    i, where_name[r->where], tw_standup_action_name(r->action), r->at, rc, fx.noop,
                    S.phase, S.position, fx.started, fx.moved, fx.ended, fx.claim, fx.resolve,
                    fx.reason);
        CHECK(ok);
        /* A rejection or a no-op leaves the state exactly as it was. */
        if (rc || fx.noop)
            CHECK(memcmp(&before, &S, sizeof(S)) == 0);
        if (rc)
            CHECK(fx.rejected && fx.reason[0]);
        if (fx.claim || fx.resolve)
            CHECK_EQ_INT(fx.target, before.position - 1);
    }
}

/* A next delivered twice with its at moves once; without at, twice. */
static void test_redelivery(void)
{
    tw_standup_effects fx;
    setup(1);
    CHECK_EQ_INT(cmd(TW_SU_NEXT, 1, T0 + 5, &fx), 0);
    CHECK(fx.moved);
    CHECK_EQ_INT(cmd(TW_SU_NEXT, 1, T0 + 6, &fx), 0);
    CHECK(fx.noop && !fx.moved);
    CHECK_EQ_INT(S.position, 2);
    CHECK_EQ_INT(S.item_started, T0 + 5); /* the timer did not restart */
    /* A redelivered resolve with its at never resolves the next item. */
    CHECK_EQ_INT(cmd(TW_SU_RESOLVE, 2, T0 + 7, &fx), 0);
    CHECK(fx.resolve && fx.target == 1);
    CHECK_EQ_INT(cmd(TW_SU_RESOLVE, 2, T0 + 8, &fx), 0);
    CHECK(fx.noop && !fx.resolve);
    CHECK_EQ_INT(S.position, 3);
    /* A start redelivered while it runs starts nothing new. */
    char id[TW_STANDUP_ID_SIZE];
    tw_strlcpy(id, S.id, sizeof(id));
    CHECK_EQ_INT(cmd(TW_SU_START, 0, T0 + 9, &fx), 0);
    CHECK(fx.noop);
    CHECK_EQ_STR(S.id, id);
}

static void test_timers_and_summary(void)
{
    tw_standup_effects fx;
    setup(1);
    CHECK_EQ_INT(S.started, T0);
    CHECK_EQ_INT(S.item_started, T0);
    CHECK_EQ_INT(tw_standup_deadline(&S, T0 + 3), T0 + 4); /* one wake a second */
    tick(T0 + 4, &fx);
    CHECK(fx.redraw && !fx.changed);
    cmd(TW_SU_CLAIM, 0, T0 + 20, &fx);
    cmd(TW_SU_RESOLVE, 0, T0 + 30, &fx); /* item 1 resolved, on to 2 */
    CHECK_EQ_INT(S.item_started, T0 + 30);
    cmd(TW_SU_CLAIM, 2, T0 + 40, &fx); /* item 2 claimed */
    cmd(TW_SU_NEXT, 2, T0 + 50, &fx);  /* item 3 shown */
    cmd(TW_SU_STOP, 0, T0 + 200, &fx);
    CHECK(fx.ended && S.phase == TW_SU_SUMMARY);
    CHECK_EQ_INT(tw_standup_deadline(&S, T0 + 201), T0 + 200 + TW_STANDUP_SUMMARY_S);
    tw_standup_summary sum;
    tw_standup_summarize(&S, &sum);
    CHECK_EQ_INT(sum.discussed, 3);
    CHECK_EQ_INT(sum.n_resolved, 1);
    CHECK_EQ_INT(sum.resolved[0], 0);
    CHECK_EQ_INT(sum.n_claimed, 1);
    CHECK_EQ_INT(sum.claimed[0], 1);
    CHECK_EQ_INT(sum.still_open, 3);     /* items 2, 3, 4; the win does not count */
    CHECK_EQ_INT(sum.n_carried_over, 0); /* item 1 was carried over, but resolved */
    CHECK_EQ_INT(sum.duration_s, 200);
    tick(T0 + 259, &fx);
    CHECK(!fx.closed && S.phase == TW_SU_SUMMARY);
    tick(T0 + 260, &fx);
    CHECK(fx.closed && fx.changed && S.phase == TW_SU_IDLE);
    CHECK_EQ_INT(tw_standup_deadline(&S, T0 + 261), 0); /* idle: asleep */
}

static void test_empty_walk(void)
{
    tw_standup_effects fx;
    tw_standup_init(&S);
    tw_standup_input in;
    memset(&in, 0, sizeof(in));
    in.cmd.action = TW_SU_START;
    CHECK_EQ_INT(tw_standup_step(&S, &in, T0, &fx), 0);
    CHECK(fx.started && fx.ended); /* says so and ends */
    CHECK_EQ_INT(S.phase, TW_SU_SUMMARY);
    CHECK_EQ_INT(S.count, 0);
    CHECK_EQ_INT(S.position, 0);
    CHECK(tw_standup_current(&S) == NULL);
}

/* The id comes from the sender's time, so boards agree; a wild clock is
 * not trusted. */
static void test_ids(void)
{
    tw_standup_effects fx;
    tw_standup_input in;
    memset(&in, 0, sizeof(in));
    in.cmd.action = TW_SU_START;
    in.cmd.ts = T0 - 2;
    tw_standup_init(&S);
    tw_standup_step(&S, &in, T0, &fx);
    CHECK_EQ_STR(S.id, "su-20251202T092958Z");
    CHECK_EQ_INT(S.started, T0 - 2);
    in.cmd.ts = T0 + 86400;
    tw_standup_init(&S);
    tw_standup_step(&S, &in, T0, &fx);
    CHECK_EQ_STR(S.id, "su-20251202T093000Z");
}

static tw_item item(int seq, tw_kind k, tw_state st, int64_t created)
{
    tw_item it;
    memset(&it, 0, sizeof(it));
    it.seq = seq;
    snprintf(it.id, sizeof(it.id), "i%d", seq);
    it.kind = k;
    it.state = st;
    it.created = created;
    return it;
}

static void test_walk_order(void)
{
    tw_item items[] = {
        item(1, TW_KIND_WIN, TW_STATE_OPEN, T0 - 9000),       /* before the last stand-up */
        item(2, TW_KIND_QUESTION, TW_STATE_OPEN, T0 - 500),   /* */
        item(3, TW_KIND_BLOCKER, TW_STATE_CLAIMED, T0 - 300), /* */
        item(4, TW_KIND_BLOCKER, TW_STATE_OPEN, T0 - 800),    /* */
        item(5, TW_KIND_WIN, TW_STATE_OPEN, T0 - 100),        /* */
        item(6, TW_KIND_QUESTION, TW_STATE_OPEN, T0 - 900),   /* */
        item(7, TW_KIND_BLOCKER, TW_STATE_RESOLVED, T0 - 990),
        item(8, TW_KIND_WIN, TW_STATE_OPEN, T0 - 200),
    };
    tw_item_view views[8];
    const tw_item_view *ptr[8];
    for (int i = 0; i < 8; i++) {
        tw_item_view_of(&items[i], &views[i]);
        ptr[i] = &views[i];
    }
    tw_standup_entry out[8];
    size_t n = tw_standup_walk(ptr, 8, T0 - 1000, out, 8);
    const char *want[] = {"i4", "i3", "i6", "i2", "i8", "i5"};
    CHECK_EQ_INT(n, 6);
    for (size_t i = 0; i < n && i < 6; i++)
        CHECK_EQ_STR(out[i].id, want[i]);
    CHECK_EQ_INT(out[0].kind, TW_KIND_BLOCKER);
    CHECK_EQ_INT(out[5].kind, TW_KIND_WIN);
    /* Capped: the oldest come first. */
    CHECK_EQ_INT(tw_standup_walk(ptr, 8, T0 - 1000, out, 3), 3);
    CHECK_EQ_STR(out[2].id, "i6");
    CHECK_EQ_INT(tw_standup_walk(NULL, 0, 0, out, 3), 0);
}

/* Carried over across stand-ups: the counts the store gives the walk of
 * each new stand-up are kept, shown and summarised. */
static void test_carried_over(void)
{
    tw_standup_effects fx;
    int open_at[5] = {0};
    for (int round = 0; round < 3; round++) {
        make_walk();
        for (int i = 0; i < 5; i++)
            W[i].carried = open_at[i];
        tw_standup_init(&S);
        tw_standup_input in;
        memset(&in, 0, sizeof(in));
        in.cmd.action = TW_SU_START;
        in.walk = W;
        in.n_walk = 5;
        tw_standup_step(&S, &in, T0 + round * 86400, &fx);
        CHECK_EQ_INT(tw_standup_current(&S)->carried, round);
        cmd(TW_SU_STOP, 0, T0 + round * 86400 + 60, &fx);
        tw_standup_summary sum;
        tw_standup_summarize(&S, &sum);
        CHECK_EQ_INT(sum.n_carried_over, round ? 4 : 0);
        for (int i = 0; i < 5; i++)
            open_at[i]++; /* every one was in this walk, open */
    }
}

static void test_schedule(void)
{
    tw_schedule s;
    bool empty;
    char err[160];
    CHECK_EQ_INT(tw_standup_schedule_parse("Mon-Fri 09:30", &s, &empty, err, sizeof(err)), 0);
    CHECK(!empty);
    CHECK(tw_standup_schedule_due(&s, 1, 9 * 60 + 30));
    CHECK(tw_standup_schedule_due(&s, 5, 9 * 60 + 30));
    CHECK(!tw_standup_schedule_due(&s, 1, 9 * 60 + 29));
    CHECK(!tw_standup_schedule_due(&s, 1, 9 * 60 + 31));
    CHECK(!tw_standup_schedule_due(&s, 6, 9 * 60 + 30));
    CHECK(!tw_standup_schedule_due(&s, 0, 9 * 60 + 30));
    CHECK_EQ_INT(
        tw_standup_schedule_parse("Mon Wed 09:30, Fri 23:59", &s, &empty, err, sizeof(err)), 0);
    CHECK(tw_standup_schedule_due(&s, 3, 9 * 60 + 30));
    CHECK(!tw_standup_schedule_due(&s, 2, 9 * 60 + 30));
    CHECK(tw_standup_schedule_due(&s, 5, 23 * 60 + 59));
    CHECK(!tw_standup_schedule_due(&s, 6, 0));
    CHECK_EQ_INT(tw_standup_schedule_parse("", &s, &empty, err, sizeof(err)), 0);
    CHECK(empty);
    CHECK(!tw_standup_schedule_due(&s, 1, 9 * 60 + 30));
    CHECK_EQ_INT(tw_standup_schedule_parse("09:30", &s, &empty, err, sizeof(err)), TW_ERR_PARSE);
    CHECK(strstr(err, "which days") != NULL);
    CHECK_EQ_INT(tw_standup_schedule_parse("Mon-Fri 9:30am", &s, &empty, err, sizeof(err)),
                 TW_ERR_PARSE);
    CHECK_EQ_INT(tw_standup_schedule_parse("Mon-Fri 25:00", &s, &empty, err, sizeof(err)),
                 TW_ERR_PARSE);
    CHECK_EQ_INT(tw_standup_schedule_parse("Moon 09:30", &s, &empty, err, sizeof(err)),
                 TW_ERR_PARSE);
}

static void test_names(void)
{
    for (int a = 0; a < TW_SU_ACTION_COUNT; a++)
        CHECK_EQ_INT(tw_standup_action_parse(tw_standup_action_name((tw_standup_action)a)), a);
    CHECK_EQ_INT(tw_standup_action_parse("skip"), -1);
    CHECK_EQ_STR(tw_standup_phase_name(TW_SU_QUESTIONS), "questions");
    CHECK(tw_standup_phase_name(TW_SU_IDLE) == NULL);
}

int main(void)
{
    test_table();
    test_redelivery();
    test_timers_and_summary();
    test_empty_walk();
    test_ids();
    test_walk_order();
    test_carried_over();
    test_schedule();
    test_names();
    return check_done();
}
