/* SPDX-License-Identifier: MIT */
/*
 * A crowded wall through the real renderer (SDL offscreen, software): at
 * 1920x1080 with 30 open blockers, 20 questions and 15 wins at least 12
 * blockers show, the oldest and most escalated first, every card inside its
 * section and none overlapping, in landscape and portrait (reference images
 * wall_busy_1920x1080.png and wall_busy_1080x1920.png); a larger screen of
 * the same shape shows at least as many cards as a smaller one (1280x720
 * showed more than 1080p); wins leave the wall after [display] wins_for,
 * acknowledged or not.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <SDL_image.h>

#include "check.h"
#include "layout.h"
#include "refcheck.h"
#include "render.h"
#include "util.h"
#include "wallfix.h"

static char src_dir[4096], tmp_dir[4096], font_dir[8192];
static int64_t now;

static tw_ui *open_ui(int w, int h, int64_t wins_for_s)
{
    tw_ui_options opt = {
        .width = w, .height = h, .headless = true, .font_dir = font_dir, .wins_for_s = wins_for_s};
    tw_ui *ui = NULL;
    CHECK_EQ_INT(tw_ui_create(&opt, &ui), 0);
    return ui;
}

static const char *const blocker_texts[] = {
    "Waiting on prod DB access for the billing migration",
    "Staging certificate expired, deploys fail",
    "CI runners out of disk space again",
    "Payment sandbox returns 502 since the upgrade",
    "Design files for onboarding not shared",
    "Legal has not approved the privacy text",
    "VPN drops every 20 minutes on the guest network",
    "Feature flag service times out under load",
};
static const char *const question_texts[] = {
    "Who knows the VPN setup?", "Which Postgres version for reporting?",
    "Where do the release notes live now?", "Do we still need the legacy export job?",
    "Can someone walk me through on-call?"};
static const char *const win_texts[] = {
    "Shipped search to all customers \xf0\x9f\x9a\x80", "Cut build time from 14 to 6 minutes",
    "Zero-downtime deploys are live", "Onboarded two new teammates"};

static size_t busy(tw_item *items, int nb, int nq, int nw)
{
    size_t n = 0;
    int64_t seq = 1;
    struct {
        tw_kind kind;
        int count;
        const char *const *texts;
        size_t n_texts;
    } kinds[] = {{TW_KIND_BLOCKER, nb, blocker_texts, TW_ARRAY_LEN(blocker_texts)},
                 {TW_KIND_QUESTION, nq, question_texts, TW_ARRAY_LEN(question_texts)},
                 {TW_KIND_WIN, nw, win_texts, TW_ARRAY_LEN(win_texts)}};
    for (size_t k = 0; k < TW_ARRAY_LEN(kinds); k++) {
        for (int i = 0; i < kinds[k].count; i++, n++) {
            tw_item *it = &items[n];
            memset(it, 0, sizeof(*it));
            it->seq = seq++;
            it->kind = kinds[k].kind;
            it->state = i % 7 == 3 ? TW_STATE_CLAIMED : TW_STATE_OPEN;
            snprintf(it->id, sizeof(it->id), "busy-%lld", (long long)it->seq);
            snprintf(it->ref, sizeof(it->ref), "%c%03d", "bqw"[k], i);
            snprintf(it->text, sizeof(it->text), "%s (%d)",
                     kinds[k].texts[(size_t)i % kinds[k].n_texts], i + 1);
            tw_strlcpy(it->author, "Ana", sizeof(it->author));
            tw_strlcpy(it->source, "chat", sizeof(it->source));
            if (it->state == TW_STATE_CLAIMED)
                tw_strlcpy(it->claimed_by, "Ben", sizeof(it->claimed_by));
            /* Blockers from 5 days old down to minutes: the first ones
             * critical, then escalated, then calm. Wins within the week. */
            int64_t age = kinds[k].kind == TW_KIND_WIN ? (int64_t)(i + 1) * 3 * 3600
                                                       : (int64_t)(kinds[k].count - i) * 4 * 3600;
            it->created = it->updated = now - age;
        }
    }
    return n;
}

/* The cards of a frame: inside their section and the screen, no overlap;
 * returns how many each section shows. */
static void check_frame(tw_ui *ui, const char *what, size_t shown[3])
{
    static tw_ui_card c[512];
    size_t n = tw_ui_cards(ui, c, 512);
    int w, h, bad = 0;
    tw_ui_size(ui, &w, &h);
    shown[0] = shown[1] = shown[2] = 0;
    for (size_t i = 0; i < n; i++) {
        shown[c[i].section]++;
        bool inside = c[i].x >= c[i].sx && c[i].y >= c[i].sy &&
                      c[i].x + c[i].w <= c[i].sx + c[i].sw &&
                      c[i].y + c[i].h <= c[i].sy + c[i].sh && c[i].x >= 0 && c[i].y >= 0 &&
                      c[i].x + c[i].w <= w && c[i].y + c[i].h <= h;
        bad += !inside;
        for (size_t j = i + 1; j < n; j++)
            bad += c[i].x < c[j].x + c[j].w && c[j].x < c[i].x + c[i].w &&
                   c[i].y < c[j].y + c[j].h && c[j].y < c[i].y + c[i].h;
    }
    if (bad)
        fprintf(stderr, "%s: %d cards outside their section or overlapping\n", what, bad);
    CHECK_EQ_INT(bad, 0);
}

static void check_ref(tw_ui *ui, const char *name)
{
    CHECK(refcheck_ui(ui, src_dir, tmp_dir, name) != REFCHECK_FAILED);
}

static void test_busy(void)
{
    static tw_item items[80];
    size_t n = busy(items, 30, 20, 15);
    tw_view v = {.team = "platform", .now = now, .online = true, .items = items, .count = n};
    size_t shown[3];
    tw_ui *ui = open_ui(1920, 1080, 0);
    if (ui) {
        CHECK_EQ_INT(tw_ui_render(ui, &v), 0);
        check_frame(ui, "busy 1920x1080", shown);
        printf("1920x1080 30/20/15: %zu %zu %zu shown\n", shown[0], shown[1], shown[2]);
        CHECK(shown[0] >= 12);
        CHECK(shown[1] > 0 && shown[2] > 0);
        /* The oldest (most escalated) blocker is the first card. */
        tw_ui_card c[4];
        CHECK(tw_ui_cards(ui, c, 4) >= 1);
        CHECK_EQ_INT(c[0].seq, 1);
        check_ref(ui, "wall_busy_1920x1080");
        tw_ui_destroy(ui);
    }
    ui = open_ui(1080, 1920, 0);
    if (ui) {
        CHECK_EQ_INT(tw_ui_render(ui, &v), 0);
        check_frame(ui, "busy 1080x1920", shown);
        printf("1080x1920 30/20/15: %zu %zu %zu shown\n", shown[0], shown[1], shown[2]);
        CHECK(shown[0] >= 12);
        check_ref(ui, "wall_busy_1080x1920");
        tw_ui_destroy(ui);
    }
    /* Bigger never shows less, for a busy and a middling wall. */
    static const int mixes[][3] = {{30, 20, 15}, {14, 14, 12}, {6, 4, 3}};
    for (size_t m = 0; m < TW_ARRAY_LEN(mixes); m++) {
        n = busy(items, mixes[m][0], mixes[m][1], mixes[m][2]);
        v.count = n;
        size_t total[2] = {0, 0};
        static const int sizes[2][2] = {{1280, 720}, {1920, 1080}};
        for (int s = 0; s < 2; s++) {
            ui = open_ui(sizes[s][0], sizes[s][1], 0);
            if (!ui)
                continue;
            CHECK_EQ_INT(tw_ui_render(ui, &v), 0);
            check_frame(ui, "pair", shown);
            total[s] = shown[0] + shown[1] + shown[2];
            tw_ui_destroy(ui);
        }
        printf("mix %zu: 1280x720 %zu cards, 1920x1080 %zu\n", m, total[0], total[1]);
        CHECK(total[1] >= total[0]);
    }
}

static void test_wins_age_off(void)
{
    static tw_item items[4];
    static const int64_t ages[] = {86400, 6 * 86400, 8 * 86400, 22 * 86400};
    for (size_t i = 0; i < TW_ARRAY_LEN(ages); i++) {
        tw_item *it = &items[i];
        memset(it, 0, sizeof(*it));
        it->seq = (int64_t)i + 1;
        it->kind = TW_KIND_WIN;
        it->state = TW_STATE_OPEN; /* never acknowledged */
        snprintf(it->id, sizeof(it->id), "win-%zu", i);
        snprintf(it->ref, sizeof(it->ref), "w%zu", i);
        snprintf(it->text, sizeof(it->text), "A win %lld days old", (long long)(ages[i] / 86400));
        tw_strlcpy(it->source, "chat", sizeof(it->source));
        it->created = it->updated = now - ages[i];
    }
    tw_view v = {.team = "platform", .now = now, .online = true, .items = items, .count = 4};
    /* The default, 7 days: the 8- and 22-day-old wins are gone. */
    tw_ui *ui = open_ui(1920, 1080, 0);
    if (ui) {
        CHECK_EQ_INT(tw_ui_render(ui, &v), 0);
        tw_ui_card c[8];
        size_t n = tw_ui_cards(ui, c, 8);
        CHECK_EQ_INT(n, 2);
        for (size_t i = 0; i < n; i++)
            CHECK(c[i].seq == 1 || c[i].seq == 2);
        tw_ui_destroy(ui);
    }
    /* wins_for = 30d keeps all four. */
    ui = open_ui(1920, 1080, 30 * 86400);
    if (ui) {
        CHECK_EQ_INT(tw_ui_render(ui, &v), 0);
        tw_ui_card c[8];
        CHECK_EQ_INT(tw_ui_cards(ui, c, 8), 4);
        tw_ui_destroy(ui);
    }
}

/* The same through the board's model, as the program draws it. */
static void test_wins_age_off_board(void)
{
    char path[8192];
    snprintf(path, sizeof(path), "%s/density-wins.db", tmp_dir);
    wallfix f;
    CHECK_EQ_INT(wallfix_open(&f, path, now), 0);
    static const int64_t ages[] = {22 * 86400, 8 * 86400, 6 * 86400, 86400, 3600};
    for (size_t i = 0; i < TW_ARRAY_LEN(ages); i++) {
        char id[32];
        snprintf(id, sizeof(id), "bw-%zu", i);
        wallfix_post(&f, TW_KIND_WIN, id, "A win", "Ana", "chat", ages[i]);
    }
    CHECK_EQ_INT(f.failures, 0);
    tw_view v = {.team = "platform", .now = now, .online = true, .board = f.board};
    tw_ui *ui = open_ui(1920, 1080, 0);
    if (ui) {
        CHECK_EQ_INT(tw_ui_render(ui, &v), 0);
        tw_ui_card c[8];
        CHECK_EQ_INT(tw_ui_cards(ui, c, 8), 3); /* 6 days, 1 day, 1 hour */
        tw_ui_destroy(ui);
    }
    /* Still open in the store, and counted by the board. */
    CHECK_EQ_INT(tw_board_count(f.board, TW_KIND_WIN), 5);
    wallfix_close(&f);
}

/* Today's column of the 14-day chart is no block: with nothing opened or
 * cleared today, its middle is the tile's colour, as on a quiet day's (it
 * was a light block the chart's full height, read from three metres as the
 * tallest bar). */
static void test_chart_today(void)
{
    tw_figures f;
    memset(&f, 0, sizeof(f));
    f.valid = true;
    for (int d = 0; d < TW_FIG_DAYS; d++) {
        f.day_start[d] = now - (TW_FIG_DAYS - 1 - d) * 86400;
        if (d % 3 == 0 && d < TW_FIG_DAYS - 1)
            f.opened[d] = f.cleared[d] = 2;
    }
    tw_view v = {.team = "platform", .now = now, .online = true, .figures = &f};
    tw_ui *ui = open_ui(1920, 1080, 0);
    if (!ui)
        return;
    CHECK_EQ_INT(tw_ui_render(ui, &v), 0);
    char out[8400];
    snprintf(out, sizeof(out), "%s/chart_today.png", tmp_dir);
    CHECK_EQ_INT(tw_ui_screenshot(ui, out), 0);
    const tw_layout *L = tw_ui_layout(ui);
    SDL_Surface *raw = IMG_Load(out);
    SDL_Surface *png = raw ? SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_RGBA32, 0) : NULL;
    CHECK(png != NULL);
    if (L && png) {
        tw_rect t = L->tile[2];
        int cx = t.x + L->pad, cw = t.w - 2 * L->pad, gw = cw / TW_FIG_DAYS;
        int x0 = cx + (cw - gw * TW_FIG_DAYS) / 2;
        int top = t.y + L->pad + L->fm[F_FIG_LABEL].height + L->unit / 4;
        int base = t.y + t.h - L->pad, y = (top + base) / 2;
        const uint32_t *px = png->pixels;
        int pitch = png->pitch / 4;
        /* Day 4 had nothing either (days 0, 3, 6, ... have bars). */
        uint32_t quiet = px[y * pitch + x0 + 4 * gw + gw / 2];
        uint32_t today = px[y * pitch + x0 + 13 * gw + gw / 2];
        CHECK_EQ_INT(today, quiet);
    }
    SDL_FreeSurface(png);
    SDL_FreeSurface(raw);
    tw_ui_destroy(ui);
}

int main(void)
{
    refcheck_setup(src_dir, sizeof(src_dir), tmp_dir, sizeof(tmp_dir), font_dir, sizeof(font_dir));
    CHECK_EQ_INT(tw_time_parse("2026-11-25T10:00:00Z", &now), 0);
    test_busy();
    test_wins_age_off();
    test_wins_age_off_board();
    test_chart_today();
    return check_done();
}
