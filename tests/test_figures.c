/* SPDX-License-Identifier: MIT */
/*
 * The team's figures on a fixture worked out by hand (the arithmetic is in
 * the comments and in docs/FIGURES.md's example), the calendar across a
 * daylight-saving change, the duration format, and the same figures through
 * the digest from a real SQLite store filled through the board.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "board.h"
#include "check.h"
#include "digest.h"
#include "figures.h"
#include "store.h"
#include "util.h"

#define H 3600
#define D 86400

static int64_t at(const char *rfc3339)
{
    int64_t t = 0;
    if (tw_time_parse(rfc3339, &t) != 0) {
        fprintf(stderr, "bad time %s\n", rfc3339);
        exit(2);
    }
    return t;
}

static tw_fig_row row(tw_kind k, tw_state s, const char *created, const char *resolved)
{
    return (tw_fig_row){k, s, at(created), resolved ? at(resolved) : 0};
}

/* now = Wed 2026-11-25 10:00 UTC. The 14 days are 12..25 Nov (index 0..13),
 * the week starts Mon 23 Nov 00:00, the windows are (11 Nov 10:00, now] and
 * (28 Oct 10:00, 11 Nov 10:00]. */
static size_t hand_rows(tw_fig_row *r)
{
    size_t n = 0;
    const tw_kind B = TW_KIND_BLOCKER, Q = TW_KIND_QUESTION, W = TW_KIND_WIN;
    const tw_state O = TW_STATE_OPEN, R = TW_STATE_RESOLVED;
    /* Blockers resolved in the last 14 days: 1d, 2h, 30m, 10d. */
    r[n++] = row(B, R, "2026-11-22T10:00:00Z", "2026-11-23T10:00:00Z"); /* 86400 */
    r[n++] = row(B, R, "2026-11-24T08:00:00Z", "2026-11-24T10:00:00Z"); /* 7200 */
    r[n++] = row(B, R, "2026-11-25T09:00:00Z", "2026-11-25T09:30:00Z"); /* 1800 */
    r[n++] = row(B, R, "2026-11-10T10:00:00Z", "2026-11-20T10:00:00Z"); /* 864000 */
    r[n++] = row(B, O, "2026-11-25T08:00:00Z", NULL);
    r[n++] = row(B, O, "2026-11-24T12:00:00Z", NULL); /* reopened: not cleared */
    /* The 14 days before: 1d, 6h, and 2d resolved exactly 14 days ago. */
    r[n++] = row(B, R, "2026-11-01T10:00:00Z", "2026-11-02T10:00:00Z"); /* 86400 */
    r[n++] = row(B, R, "2026-11-05T10:00:00Z", "2026-11-05T16:00:00Z"); /* 21600 */
    r[n++] = row(B, R, "2026-11-09T10:00:00Z", "2026-11-11T10:00:00Z"); /* 172800 */
    /* Older than both windows: ignored. */
    r[n++] = row(B, R, "2026-10-01T10:00:00Z", "2026-10-02T10:00:00Z");
    /* Questions. */
    r[n++] = row(Q, O, "2026-11-25T07:00:00Z", NULL); /* 3 h old: not decided yet */
    r[n++] = row(Q, O, "2026-11-25T05:00:00Z", NULL); /* 5 h, open: decided, slow */
    r[n++] = row(Q, R, "2026-11-24T10:00:00Z", "2026-11-24T11:00:00Z"); /* fast */
    r[n++] = row(Q, R, "2026-11-20T10:00:00Z", "2026-11-20T14:00:00Z"); /* 4 h exactly: fast */
    r[n++] = row(Q, R, "2026-11-18T10:00:00Z", "2026-11-18T14:01:00Z"); /* slow */
    r[n++] = row(Q, R, "2026-11-25T09:00:00Z", "2026-11-25T09:20:00Z"); /* fast, recent */
    r[n++] = row(Q, R, "2026-11-05T10:00:00Z", "2026-11-05T10:05:00Z"); /* outside */
    /* Wins. */
    r[n++] = row(W, O, "2026-11-23T00:00:00Z", NULL);                   /* Monday 00:00: counts */
    r[n++] = row(W, O, "2026-11-22T23:59:00Z", NULL);                   /* Sunday: does not */
    r[n++] = row(W, R, "2026-11-25T09:00:00Z", "2026-11-25T09:30:00Z"); /* acknowledged */
    r[n++] = row(W, O, "2026-11-24T12:00:00Z", NULL);
    return n;
}

static void test_hand(void)
{
    tw_fig_clock clk;
    tw_figures_clock(at("2026-11-25T10:00:00Z"), &clk);
    CHECK_EQ_INT(clk.day_start[0], at("2026-11-12T00:00:00Z"));
    CHECK_EQ_INT(clk.day_start[13], at("2026-11-25T00:00:00Z"));
    CHECK_EQ_INT(clk.day_start[14], at("2026-11-26T00:00:00Z"));
    CHECK_EQ_INT(clk.week_start, at("2026-11-23T00:00:00Z"));
    CHECK(tw_figures_since(&clk) <= at("2026-10-28T10:00:00Z"));

    tw_fig_row rows[32];
    size_t n = hand_rows(rows);
    tw_figures f;
    tw_figures_compute(rows, n, &clk, &f);
    CHECK(f.valid);
    /* Median of 1800, 7200, 86400, 864000: (7200 + 86400) / 2 = 46800 (13 h). */
    CHECK_EQ_INT(f.clear_n, 4);
    CHECK_EQ_INT(f.clear_median_s, 46800);
    /* Median of 21600, 86400, 172800 = 86400: 13 h against 1 d, 11 h faster. */
    CHECK_EQ_INT(f.clear_prev_n, 3);
    CHECK_EQ_INT(f.clear_prev_median_s, 86400);
    /* Asked 6 in the window; decided 5 (not the 3-hour-old one); fast 3. */
    CHECK_EQ_INT(f.questions_asked, 6);
    CHECK_EQ_INT(f.questions_decided, 5);
    CHECK_EQ_INT(f.questions_fast, 3);
    CHECK_EQ_INT(tw_figures_fast_percent(&f), 60);
    /* Opened: 22 Nov (10) 1, 24 Nov (12) 2, 25 Nov (13) 2; the one opened on
     * 10 Nov is before the chart. Cleared: 20 Nov (8), 23 (11), 24 (12), 25 (13). */
    int opened[TW_FIG_DAYS] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 2, 2};
    int cleared[TW_FIG_DAYS] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 1, 1};
    for (int d = 0; d < TW_FIG_DAYS; d++) {
        CHECK_EQ_INT(f.opened[d], opened[d]);
        CHECK_EQ_INT(f.cleared[d], cleared[d]);
    }
    CHECK_EQ_INT(f.wins_week, 3);
    char day[16];
    tw_figures_day_name(&f, 0, day, sizeof(day));
    CHECK_EQ_STR(day, "2026-11-12");
    tw_figures_day_name(&f, 13, day, sizeof(day));
    CHECK_EQ_STR(day, "2026-11-25");

    /* Order does not matter; nothing at all gives zeros. */
    tw_fig_row rev[32];
    for (size_t i = 0; i < n; i++)
        rev[i] = rows[n - 1 - i];
    tw_figures g;
    tw_figures_compute(rev, n, &clk, &g);
    CHECK(memcmp(&f, &g, sizeof(f)) == 0);
    tw_figures_compute(NULL, 0, &clk, &g);
    CHECK(g.valid);
    CHECK_EQ_INT(g.clear_n, 0);
    CHECK_EQ_INT(g.clear_median_s, 0);
    CHECK_EQ_INT(tw_figures_fast_percent(&g), -1);
    CHECK_EQ_INT(tw_figures_fast_percent(NULL), -1);

    /* An odd count takes the middle value; a resolve before its post (a
     * producer's clock) counts as 0. */
    tw_fig_row odd[3] = {
        row(TW_KIND_BLOCKER, TW_STATE_RESOLVED, "2026-11-25T08:00:00Z", "2026-11-25T09:00:00Z"),
        row(TW_KIND_BLOCKER, TW_STATE_RESOLVED, "2026-11-25T08:00:00Z", "2026-11-25T08:10:00Z"),
        row(TW_KIND_BLOCKER, TW_STATE_RESOLVED, "2026-11-25T09:00:00Z", "2026-11-25T08:59:00Z")};
    tw_figures_compute(odd, 3, &clk, &g);
    CHECK_EQ_INT(g.clear_n, 3);
    CHECK_EQ_INT(g.clear_median_s, 600);
}

/* Local days around the start of summer time in Berlin (29 March 2026):
 * that day is 23 hours long, every day_start is a local midnight. */
static void test_dst(void)
{
    setenv("TZ", "Europe/Berlin", 1);
    tzset();
    tw_fig_clock clk;
    tw_figures_clock(at("2026-04-02T10:00:00Z"), &clk);
    int short_days = 0;
    for (int i = 0; i < TW_FIG_DAYS; i++) {
        time_t t = (time_t)clk.day_start[i];
        struct tm tm;
        localtime_r(&t, &tm);
        CHECK_EQ_INT(tm.tm_hour, 0);
        CHECK_EQ_INT(tm.tm_min, 0);
        int64_t len = clk.day_start[i + 1] - clk.day_start[i];
        CHECK(len == 86400 || len == 82800);
        short_days += len == 82800;
    }
    CHECK_EQ_INT(short_days, 1);
    /* Thursday 2 April: the week began on Monday 30 March, local midnight. */
    CHECK_EQ_INT(clk.week_start, at("2026-03-29T22:00:00Z"));
    setenv("TZ", "UTC", 1);
    tzset();
}

static void test_format(void)
{
    static const struct {
        int64_t s;
        const char *want;
    } cases[] = {{0, "<1m"},       {59, "<1m"},     {60, "1m"},     {3599, "59m"},
                 {3600, "1h"},     {3660, "1h 1m"}, {46800, "13h"}, {86400, "1d"},
                 {90000, "1d 1h"}, {864000, "10d"}, {-5, "<1m"}};
    char buf[32];
    for (size_t i = 0; i < TW_ARRAY_LEN(cases); i++) {
        tw_figures_format_duration(cases[i].s, buf, sizeof(buf));
        CHECK_EQ_STR(buf, cases[i].want);
    }
}

/* A fresh store named name in the test's directory, with a board on it. */
static bool open_store(const char *name, char *path, size_t size, tw_store **s, tw_board **b)
{
    const char *tmp = getenv("TW_TEST_TMP");
    snprintf(path, size, "%s/%s_%d.db", tmp ? tmp : "/tmp", name, (int)getpid());
    *s = NULL;
    *b = NULL;
    CHECK_EQ_INT(tw_store_open(path, NULL, s), 0);
    CHECK_EQ_INT(tw_board_create(*s, b), 0);
    return *s && *b;
}

static void close_store(const char *path, tw_store *s, tw_board *b)
{
    tw_board_destroy(b);
    tw_store_close(s);
    char buf[600];
    static const char *const suffixes[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < TW_ARRAY_LEN(suffixes); i++) {
        snprintf(buf, sizeof(buf), "%s%s", path, suffixes[i]);
        unlink(buf);
    }
}

/* The same hand-worked blockers, through the board into a real store, read
 * back by the digest's walk over the recent history. */
static void test_digest(void)
{
    char path[512];
    tw_store *s;
    tw_board *b;
    if (!open_store("test_figures", path, sizeof(path), &s, &b))
        return;
    static const struct {
        const char *id, *kind, *created, *resolved, *note;
    } items[] = {
        {"b1", "blocker", "2026-11-22T10:00:00Z", "2026-11-23T10:00:00Z", NULL},
        {"b2", "blocker", "2026-11-24T08:00:00Z", "2026-11-24T10:00:00Z", NULL},
        {"b3", "blocker", "2026-11-25T09:00:00Z", "2026-11-25T09:30:00Z", NULL},
        {"b4", "blocker", "2026-11-10T10:00:00Z", "2026-11-20T10:00:00Z", NULL},
        {"b5", "blocker", "2026-11-25T08:00:00Z", NULL, NULL},
        {"q1", "question", "2026-11-24T10:00:00Z", "2026-11-24T11:00:00Z",
         "Ask IT; the form is on the wiki"},
        {"q2", "question", "2026-11-25T05:00:00Z", NULL, NULL},
        {"q3", "question", "2026-11-20T10:00:00Z", "2026-11-20T14:00:00Z", NULL},
        {"w1", "win", "2026-11-24T12:00:00Z", NULL, NULL},
    };
    for (size_t i = 0; i < TW_ARRAY_LEN(items); i++) {
        tw_command c;
        memset(&c, 0, sizeof(c));
        c.type = TW_CMD_POST;
        c.kind = (tw_kind)tw_kind_parse(items[i].kind);
        tw_strlcpy(c.id, items[i].id, sizeof(c.id));
        snprintf(c.text, sizeof(c.text), "item %s", items[i].id);
        CHECK_EQ_INT(tw_board_apply(b, &c, at(items[i].created), NULL), 0);
        if (items[i].resolved) {
            memset(&c, 0, sizeof(c));
            c.type = TW_CMD_RESOLVE;
            tw_strlcpy(c.ref, items[i].id, sizeof(c.ref));
            tw_strlcpy(c.author, "Ben", sizeof(c.author));
            if (items[i].note)
                tw_strlcpy(c.note, items[i].note, sizeof(c.note));
            CHECK_EQ_INT(tw_board_apply(b, &c, at(items[i].resolved), NULL), 0);
        }
    }
    tw_digest *d = tw_digest_create();
    int64_t now = at("2026-11-25T10:00:00Z");
    CHECK_EQ_INT(tw_digest_reload(d, s, now), 0);
    const tw_figures *f = tw_digest_figures(d);
    CHECK(f->valid);
    CHECK_EQ_INT(f->clear_n, 4);
    CHECK_EQ_INT(f->clear_median_s, 46800);
    CHECK_EQ_INT(f->questions_asked, 3);
    CHECK_EQ_INT(f->questions_decided, 3);
    CHECK_EQ_INT(f->questions_fast, 2);
    CHECK_EQ_INT(f->opened[13], 2);
    CHECK_EQ_INT(f->cleared[13], 1);
    CHECK_EQ_INT(f->wins_week, 1);
    size_t nl;
    const tw_learned *l = tw_digest_learned(d, &nl);
    CHECK_EQ_INT(nl, 1);
    CHECK_EQ_STR(l[0].answer, "Ask IT; the form is on the wiki");
    CHECK_EQ_STR(l[0].by, "Ben");
    CHECK_EQ_STR(l[0].question, "item q1");

    /* A minute later nothing changes; a day later the windows slide. */
    uint64_t v = tw_digest_version(d);
    tw_digest_recompute(d, now + 60);
    CHECK_EQ_INT(tw_digest_version(d), v);
    tw_digest_recompute(d, now + D);
    CHECK(tw_digest_version(d) > v);
    CHECK_EQ_INT(tw_digest_figures(d)->opened[12], 2);

    /* Reopening the answered question takes it off the learned list. */
    tw_command c;
    memset(&c, 0, sizeof(c));
    c.type = TW_CMD_REOPEN;
    tw_strlcpy(c.ref, "q1", sizeof(c.ref));
    CHECK_EQ_INT(tw_board_apply(b, &c, now, NULL), 0);
    CHECK_EQ_INT(tw_digest_reload(d, s, now), 0);
    tw_digest_learned(d, &nl);
    CHECK_EQ_INT(nl, 0);

    /* The same answer to four questions is learned once (the line used to
     * show it for 4 of its 12 entries); a different one still shows. */
    static const char *const answers[] = {"ask IT, form on the wiki", "Ask IT, form on the wiki ",
                                          "the runbook, page 3", "ask it, form on the wiki",
                                          "ask IT, form on the wiki"};
    for (size_t i = 0; i < TW_ARRAY_LEN(answers); i++) {
        memset(&c, 0, sizeof(c));
        c.type = TW_CMD_POST;
        c.kind = TW_KIND_QUESTION;
        snprintf(c.id, sizeof(c.id), "dup-%zu", i);
        snprintf(c.text, sizeof(c.text), "VPN question %zu", i);
        CHECK_EQ_INT(tw_board_apply(b, &c, now - 3600 + (int64_t)i * 60, NULL), 0);
        memset(&c, 0, sizeof(c));
        c.type = TW_CMD_RESOLVE;
        snprintf(c.ref, sizeof(c.ref), "dup-%zu", i);
        tw_strlcpy(c.note, answers[i], sizeof(c.note));
        CHECK_EQ_INT(tw_board_apply(b, &c, now - 1800 + (int64_t)i * 60, NULL), 0);
    }
    CHECK_EQ_INT(tw_digest_reload(d, s, now), 0);
    l = tw_digest_learned(d, &nl);
    CHECK_EQ_INT(nl, 2);
    if (nl == 2) {
        CHECK_EQ_STR(l[0].question, "VPN question 4"); /* the newest of the repeats */
        CHECK_EQ_STR(l[1].answer, "the runbook, page 3");
    }
    tw_digest_destroy(d);
    close_store(path, s, b);
}

/* A post folded into the digest's rows gives the figures a walk over the
 * history would, without reading it: while only posts arrive, and past
 * the walk's bound of 20,000 items, where both keep the newest. */
struct fold_ctx {
    tw_digest *d;
    int folded, refused;
};

static void on_event(void *ctx, const char *event, const tw_item *item, const char *note)
{
    (void)note;
    struct fold_ctx *fc = ctx;
    if (strcmp(event, "posted") == 0) {
        if (tw_digest_fold_post(fc->d, item))
            fc->folded++;
        else
            fc->refused++;
    }
}

static void post(tw_board *b, tw_kind kind, const char *id, int64_t when)
{
    tw_command c;
    memset(&c, 0, sizeof(c));
    c.type = TW_CMD_POST;
    c.kind = kind;
    tw_strlcpy(c.id, id, sizeof(c.id));
    snprintf(c.text, sizeof(c.text), "item %s", id);
    CHECK_EQ_INT(tw_board_apply(b, &c, when, NULL), 0);
}

static bool same_digest(const tw_digest *a, const tw_digest *b)
{
    size_t na, nb;
    const tw_learned *la = tw_digest_learned(a, &na), *lb = tw_digest_learned(b, &nb);
    return memcmp(tw_digest_figures(a), tw_digest_figures(b), sizeof(tw_figures)) == 0 &&
           na == nb && memcmp(la, lb, na * sizeof(*la)) == 0;
}

static void test_fold(void)
{
    char path[512];
    tw_store *s;
    tw_board *b;
    if (!open_store("test_fold", path, sizeof(path), &s, &b))
        return;
    int64_t now = at("2026-11-25T10:00:00Z");
    /* Some history first: an answered question and a cleared blocker. */
    post(b, TW_KIND_QUESTION, "q0", now - 5 * H);
    post(b, TW_KIND_BLOCKER, "b0", now - 4 * H);
    static const char *const done[] = {"q0", "b0"};
    for (size_t i = 0; i < TW_ARRAY_LEN(done); i++) {
        tw_command c;
        memset(&c, 0, sizeof(c));
        c.type = TW_CMD_RESOLVE;
        tw_strlcpy(c.ref, done[i], sizeof(c.ref));
        tw_strlcpy(c.author, "Ben", sizeof(c.author));
        tw_strlcpy(c.note, "restart the runner", sizeof(c.note));
        CHECK_EQ_INT(tw_board_apply(b, &c, now - 3 * H, NULL), 0);
    }
    struct fold_ctx fc = {.d = tw_digest_create()};
    CHECK_EQ_INT(tw_digest_reload(fc.d, s, now), 0);
    tw_board_set_event_handler(b, on_event, &fc);

    /* Posts of every kind, some created days ago (a late delivery). */
    char id[32];
    for (int i = 0; i < 60; i++) {
        snprintf(id, sizeof(id), "p%d", i);
        post(b, (tw_kind)(i % TW_KIND_COUNT), id, now - (i % 5) * D - i);
    }
    CHECK_EQ_INT(fc.folded, 60);
    CHECK_EQ_INT(fc.refused, 0);
    uint64_t v = tw_digest_version(fc.d);
    tw_digest_recompute(fc.d, now);
    CHECK(tw_digest_version(fc.d) > v); /* the new posts count */
    tw_digest *walked = tw_digest_create();
    CHECK_EQ_INT(tw_digest_reload(walked, s, now), 0);
    CHECK(same_digest(fc.d, walked));
    CHECK_EQ_INT(tw_digest_figures(fc.d)->opened[13], 1 + 4); /* b0, p0, p15, p30, p45 */

    /* Past the walk's bound (20,000 items, 4,096 more folded before the
     * oldest go): both count the newest 20,000. Blockers posted today, so
     * every row kept or dropped moves "opened today". */
    CHECK_EQ_INT(tw_store_begin(s), 0);
    for (int i = 0; i < 24500; i++) {
        snprintf(id, sizeof(id), "f%d", i);
        post(b, TW_KIND_BLOCKER, id, now - 60);
    }
    CHECK_EQ_INT(tw_store_commit(s), 0);
    tw_digest_recompute(fc.d, now);
    CHECK_EQ_INT(tw_digest_reload(walked, s, now), 0);
    CHECK_EQ_INT(tw_digest_figures(walked)->opened[13], 20000);
    CHECK(memcmp(tw_digest_figures(fc.d), tw_digest_figures(walked), sizeof(tw_figures)) == 0);
    /* What was learned stays through the flood (a post changes nothing
     * learned); the bounded walk no longer reaches that question. */
    size_t nl;
    CHECK_EQ_STR(tw_digest_learned(fc.d, &nl)[0].question, "item q0");
    CHECK_EQ_INT(nl, 1);

    /* An item that comes resolved may be something learned: not folded. */
    tw_item it;
    memset(&it, 0, sizeof(it));
    it.kind = TW_KIND_QUESTION;
    it.state = TW_STATE_RESOLVED;
    it.created = now - H;
    it.resolved = now;
    CHECK(!tw_digest_fold_post(fc.d, &it));

    tw_board_set_event_handler(b, NULL, NULL);
    tw_digest_destroy(walked);
    tw_digest_destroy(fc.d);
    close_store(path, s, b);
}

int main(void)
{
    setenv("TZ", "UTC", 1);
    tzset();
    test_hand();
    test_dst();
    test_format();
    test_digest();
    test_fold();
    return check_done();
}
