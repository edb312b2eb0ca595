/* SPDX-License-Identifier: MIT */
/*
 * The stand-up's screens against reviewed references (tests/ref/standup_*,
 * TW_UPDATE_REF=1 rewrites them: look at each before committing): an item
 * with its helper and history, a blocker carried over to its 3rd stand-up
 * whose timer is red, and the summary, each at 1920x1080, 800x480 and in
 * portrait; plus "nothing to walk through", the timer's colours and the
 * ordinals. The stand-up is a real one (firmware/meeting.c over a real
 * store), so the screens show what the board would.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "meeting.h"
#include "refcheck.h"
#include "render.h"
#include "theme.h"
#include "wallfix.h"

static char font_dir[8192], tmp_dir[4096], src_dir[4096];
static int refs_checked;

static const struct size {
    int w, h;
    const char *name;
} sizes[] = {{1920, 1080, "1920x1080"}, {800, 480, "800x480"}, {1080, 1920, "portrait"}};

static tw_history_entry hist[TW_STANDUP_VIEW_HISTORY];
static size_t n_hist;

static int keep(void *ctx, const tw_history_entry *h, const tw_item *it)
{
    (void)ctx;
    (void)it;
    if (n_hist == TW_STANDUP_VIEW_HISTORY) {
        memmove(hist, hist + 1, sizeof(hist) - sizeof(hist[0]));
        n_hist--;
    }
    hist[n_hist++] = *h;
    return 0;
}

static void check_ref(tw_ui *ui, const char *name)
{
    int rc = refcheck_ui(ui, src_dir, tmp_dir, name);
    CHECK(rc != REFCHECK_FAILED);
    refs_checked += rc == REFCHECK_MATCH;
}

/* Render the meeting's screen at now in every size, against name_<size>. */
static void shoot(wallfix *f, tw_meeting *m, int64_t now, const char *name)
{
    tw_standup_view sv = {.su = tw_meeting_state(m), .item_seconds = 90, .meeting_minutes = 15};
    tw_item it;
    n_hist = 0;
    if (tw_meeting_item(m, &it)) {
        sv.item = &it;
        tw_store_history_of(f->store, it.id, keep, NULL);
        sv.history = hist;
        sv.n_history = n_hist;
    }
    tw_view v = {.team = "acme", .now = now, .online = true, .standup = &sv, .board = f->board};
    for (size_t i = 0; i < TW_ARRAY_LEN(sizes); i++) {
        tw_ui_options opt = {
            .width = sizes[i].w, .height = sizes[i].h, .headless = true, .font_dir = font_dir};
        tw_ui *ui = NULL;
        CHECK_EQ_INT(tw_ui_create(&opt, &ui), 0);
        if (!ui)
            return;
        CHECK_EQ_INT(tw_ui_render(ui, &v), 0);
        char ref[256];
        snprintf(ref, sizeof(ref), "%s_%s", name, sizes[i].name);
        check_ref(ui, ref);
        /* Touch: Claim and Resolve where an item shows, nothing elsewhere. */
        int claim = 0, resolve = 0;
        for (int y = 0; y < sizes[i].h; y += 8)
            for (int x = 0; x < sizes[i].w; x += 8) {
                int b = tw_ui_standup_button(ui, x, y);
                claim += b == TW_SU_CLAIM;
                resolve += b == TW_SU_RESOLVE;
            }
        CHECK(sv.item ? claim > 20 && resolve > 20 : claim == 0 && resolve == 0);
        CHECK_EQ_INT(tw_ui_standup_button(ui, 2, 2), -1);
        /* Every text on an allowed pair of the theme (4.5:1). */
        tw_ui_stats st;
        tw_ui_get_stats(ui, &st);
        for (int s = 0; s < SURF_COUNT; s++)
            for (int k = 0; k < INK_COUNT; k++)
                if (st.pairs_used[s] & (1u << k))
                    CHECK(tw_theme_pair_allowed((tw_ink)k, (tw_surface)s));
        tw_ui_destroy(ui);
    }
    /* The other themes: every text on an allowed pair there too. */
    static const char *const themes[] = {"light", "high-contrast"};
    for (size_t i = 0; i < TW_ARRAY_LEN(themes); i++) {
        tw_ui_options opt = {.width = 1280,
                             .height = 720,
                             .headless = true,
                             .font_dir = font_dir,
                             .theme = themes[i]};
        tw_ui *ui = NULL;
        CHECK_EQ_INT(tw_ui_create(&opt, &ui), 0);
        if (!ui)
            return;
        CHECK_EQ_INT(tw_ui_render(ui, &v), 0);
        char out[8192];
        snprintf(out, sizeof(out), "%s/%s_%s.png", tmp_dir, name, themes[i]);
        CHECK_EQ_INT(tw_ui_screenshot(ui, out), 0);
        tw_ui_stats st;
        tw_ui_get_stats(ui, &st);
        for (int s = 0; s < SURF_COUNT; s++)
            for (int k = 0; k < INK_COUNT; k++)
                if (st.pairs_used[s] & (1u << k))
                    CHECK(tw_theme_pair_allowed((tw_ink)k, (tw_surface)s));
        tw_ui_destroy(ui);
    }
}

static int cmd(tw_meeting *m, tw_standup_action a, int at, const char *by, int64_t now)
{
    tw_standup_cmd c;
    memset(&c, 0, sizeof(c));
    c.action = a;
    c.at = at;
    tw_strlcpy(c.by, by, sizeof(c.by));
    char reason[160];
    return tw_meeting_command(m, &c, now, reason, sizeof(reason));
}

static void test_screens(void)
{
    wallfix f;
    int64_t now = 1795599000; /* Wed 25 Nov 2026 09:30 UTC */
    char path[8192];
    snprintf(path, sizeof(path), "%s/standupview.db", tmp_dir);
    CHECK_EQ_INT(wallfix_open(&f, path, now - 3 * D_), 0);
    f.now = now;
    wallfix_post(&f, TW_KIND_BLOCKER, "b1",
                 "Staging database is read-only since Monday's migration: nothing deploys to "
                 "staging until the replica is rebuilt",
                 "Ana Lima", "slack", 3 * D_ + 2 * H_);
    wallfix_post(&f, TW_KIND_BLOCKER, "b2", "CI runners out of disk on the arm64 builds", "Chen",
                 "cli", D_ + 5 * H_);
    CHECK_EQ_INT(f.failures, 0);

    tw_meeting_options o = {.store = f.store, .board = f.board};
    tw_meeting *m = NULL;
    CHECK_EQ_INT(tw_meeting_create(&o, now - 2 * D_, &m), 0);
    /* Two earlier stand-ups, while b1 was open: this is its 3rd. */
    for (int d = 2; d >= 1; d--) {
        CHECK_EQ_INT(cmd(m, TW_SU_START, 0, "Ana", now - d * D_), 0);
        CHECK_EQ_INT(cmd(m, TW_SU_STOP, 0, "Ana", now - d * D_ + 300), 0);
        tw_meeting_tick(m, now - d * D_ + 400);
    }
    /* Posted since: open at none of them. */
    wallfix_post(&f, TW_KIND_QUESTION, "q1",
                 "Who can approve the vendor security questionnaire before Friday?", "Dee",
                 "mattermost", 20 * H_);
    wallfix_act(&f, TW_CMD_CLAIM, "q1", "Ben", "button", NULL, 3 * H_);
    wallfix_post(&f, TW_KIND_QUESTION, "q2", "Is the 4.3 freeze on Thursday or Friday?", "Eve",
                 "mqtt", 2 * H_);
    wallfix_post(&f, TW_KIND_WIN, "w1", "Release 4.2 shipped to every customer", "Eve", "button",
                 5 * H_);
    CHECK_EQ_INT(cmd(m, TW_SU_START, 0, "Ana", now), 0);
    CHECK_EQ_INT(tw_meeting_state(m)->walk[0].carried, 2);
    /* The carried-over blocker, 3:05 on its timer (more than twice 1:30). */
    shoot(&f, m, now + 185, "standup_carried");
    /* The claimed question, 25 s in. */
    CHECK_EQ_INT(cmd(m, TW_SU_NEXT, 1, "Ana", now + 190), 0);
    CHECK_EQ_INT(cmd(m, TW_SU_RESOLVE, 2, "Chen", now + 250), 0); /* b2: resolved, moves on */
    shoot(&f, m, now + 275, "standup_item");
    CHECK_EQ_INT(cmd(m, TW_SU_NEXT, 3, "Ana", now + 300), 0);
    CHECK_EQ_INT(cmd(m, TW_SU_CLAIM, 4, "Dee", now + 320), 0);
    CHECK_EQ_INT(cmd(m, TW_SU_STOP, 4, "Ana", now + 12 * 60 + 40), 0);
    shoot(&f, m, now + 12 * 60 + 55, "standup_summary");
    tw_meeting_destroy(m);
    wallfix_close(&f);
}

/* An empty board: the stand-up says so and ends. */
static void test_nothing(void)
{
    wallfix f;
    int64_t now = 1795599000;
    char path[8192];
    snprintf(path, sizeof(path), "%s/standupview-empty.db", tmp_dir);
    CHECK_EQ_INT(wallfix_open(&f, path, now), 0);
    tw_meeting_options o = {.store = f.store, .board = f.board};
    tw_meeting *m = NULL;
    CHECK_EQ_INT(tw_meeting_create(&o, now, &m), 0);
    CHECK_EQ_INT(cmd(m, TW_SU_START, 0, "Ana", now), 0);
    CHECK_EQ_INT(tw_meeting_state(m)->phase, TW_SU_SUMMARY);
    tw_standup_view sv = {.su = tw_meeting_state(m), .item_seconds = 90, .meeting_minutes = 15};
    tw_view v = {.team = "acme", .now = now + 5, .online = true, .standup = &sv};
    tw_ui_options opt = {.width = 1280, .height = 720, .headless = true, .font_dir = font_dir};
    tw_ui *ui = NULL;
    CHECK_EQ_INT(tw_ui_create(&opt, &ui), 0);
    CHECK_EQ_INT(tw_ui_render(ui, &v), 0);
    check_ref(ui, "standup_nothing_1280x720");
    tw_ui_destroy(ui);
    tw_meeting_destroy(m);
    wallfix_close(&f);
}

static void test_helpers(void)
{
    CHECK_EQ_INT(tw_standupview_timer_level(89, 90), 0);
    CHECK_EQ_INT(tw_standupview_timer_level(90, 90), 1);
    CHECK_EQ_INT(tw_standupview_timer_level(179, 90), 1);
    CHECK_EQ_INT(tw_standupview_timer_level(180, 90), 2);
    char b[16];
    static const struct {
        int n;
        const char *s;
    } ord[] = {{1, "1st"},   {2, "2nd"},   {3, "3rd"},   {4, "4th"},   {11, "11th"},
               {12, "12th"}, {13, "13th"}, {21, "21st"}, {22, "22nd"}, {112, "112th"}};
    for (size_t i = 0; i < TW_ARRAY_LEN(ord); i++) {
        tw_standupview_ordinal(ord[i].n, b, sizeof(b));
        CHECK_EQ_STR(b, ord[i].s);
    }
}

int main(void)
{
    refcheck_setup(src_dir, sizeof(src_dir), tmp_dir, sizeof(tmp_dir), font_dir, sizeof(font_dir));
    test_helpers();
    test_screens();
    test_nothing();
    printf("%d references compared\n", refs_checked);
    return check_done();
}
