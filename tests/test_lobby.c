/* SPDX-License-Identifier: MIT */
/*
 * The lobby's screen through the real renderer (SDL offscreen, software):
 * three teams, one crowded (30 blockers, 20 questions, 15 wins), one with
 * accents, emoji and other scripts, one empty, at 1920x1080 and 800x480
 * (reference images lobby_1920x1080.png and lobby_800x480.png). Every card
 * lies inside its team's band and section and on the screen, none overlap;
 * a crowded band goes compact before it hides cards; the oldest blocker of
 * each team comes first in its band. How many teams each screen holds with
 * two rows of compact cards per section is measured and checked by
 * rendering that many crowded teams.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "i18n.h"
#include "layout.h"
#include "lobbylayout.h"
#include "refcheck.h"
#include "render.h"
#include "theme.h"
#include "teams.h"
#include "util.h"

static char src_dir[4096], tmp_dir[4096], font_dir[8192];
static int64_t now;

static tw_ui *open_ui(int w, int h)
{
    tw_ui_options opt = {.width = w, .height = h, .headless = true, .font_dir = font_dir};
    tw_ui *ui = NULL;
    CHECK_EQ_INT(tw_ui_create(&opt, &ui), 0);
    return ui;
}

static const char *const blocker_texts[] = {
    "Waiting on prod DB access for the billing migration",
    "Staging certificate expired, deploys fail",
    "CI runners out of disk space again",
    "Payment sandbox returns 502 since the upgrade",
    "Legal has not approved the privacy text",
};
static const char *const question_texts[] = {"Who knows the VPN setup?",
                                             "Which Postgres version for reporting?",
                                             "Where do the release notes live now?"};
static const char *const win_texts[] = {"Shipped search to all customers \xf0\x9f\x9a\x80",
                                        "Cut build time from 14 to 6 minutes",
                                        "Zero-downtime deploys are live"};

static void add(tw_item *items, size_t *n, int64_t seq, tw_kind kind, const char *text,
                const char *author, int64_t age, bool claimed)
{
    tw_item *it = &items[(*n)++];
    memset(it, 0, sizeof(*it));
    it->seq = seq;
    it->kind = kind;
    it->state = claimed ? TW_STATE_CLAIMED : TW_STATE_OPEN;
    snprintf(it->id, sizeof(it->id), "lobby-%lld", (long long)seq);
    snprintf(it->ref, sizeof(it->ref), "%c%03lld", "bqw"[kind], (long long)(seq % 1000));
    tw_strlcpy(it->text, text, sizeof(it->text));
    tw_strlcpy(it->author, author, sizeof(it->author));
    tw_strlcpy(it->source, "chat", sizeof(it->source));
    if (claimed)
        tw_strlcpy(it->claimed_by, "Ben", sizeof(it->claimed_by));
    it->created = it->updated = now - age;
}

/* A crowded team: nb blockers (5 days old down to hours), nq questions, nw wins. */
static size_t crowded(tw_item *items, int nb, int nq, int nw)
{
    size_t n = 0;
    char text[256];
    for (int i = 0; i < nb; i++) {
        snprintf(text, sizeof(text), "%s (%d)", blocker_texts[i % 5], i + 1);
        add(items, &n, 1 + i, TW_KIND_BLOCKER, text, "Ana", (int64_t)(nb - i) * 4 * 3600,
            i % 7 == 3);
    }
    for (int i = 0; i < nq; i++) {
        snprintf(text, sizeof(text), "%s (%d)", question_texts[i % 3], i + 1);
        add(items, &n, 100 + i, TW_KIND_QUESTION, text, "Chen", (int64_t)(nq - i) * 3 * 3600,
            false);
    }
    for (int i = 0; i < nw; i++) {
        snprintf(text, sizeof(text), "%s (%d)", win_texts[i % 3], i + 1);
        add(items, &n, 200 + i, TW_KIND_WIN, text, "Dana", (int64_t)(i + 1) * 3 * 3600, false);
    }
    return n;
}

/* Accents, emoji (ZWJ, flags), Chinese and Arabic. */
static size_t scripts(tw_item *items)
{
    size_t n = 0;
    add(items, &n, 1, TW_KIND_BLOCKER,
        "Caf\xc3\xa9 Wi-Fi \xe2\x80\x94 d\xc3\xa9j\xc3\xa0 vu, "
        "the r\xc3\xa9seau drops \xf0\x9f\x98\xa4",
        "Zo\xc3\xab", 2 * 86400, false);
    add(items, &n, 2, TW_KIND_BLOCKER,
        "\xe6\x9e\x84\xe5\xbb\xba\xe6\x9c\x8d\xe5\x8a\xa1\xe5\x99"
        "\xa8\xe5\xae\x95\xe6\x9c\xba\xe4\xba\x86",
        "\xe7\x8e\x8b\xe8\x8a\xb3", 5 * 3600, true);
    add(items, &n, 3, TW_KIND_QUESTION,
        "\xc2\xbfQui\xc3\xa9n revisa la traducci\xc3\xb3n "
        "al espa\xc3\xb1ol?",
        "Jos\xc3\xa9", 3 * 3600, false);
    add(items, &n, 4, TW_KIND_QUESTION,
        "\xd9\x85\xd8\xaa\xd9\x89 \xd9\x8a\xd8\xa8\xd8\xaf\xd8\xa3 "
        "\xd8\xa7\xd9\x84\xd8\xa7\xd8\xac\xd8\xaa\xd9\x85\xd8\xa7\xd8\xb9\xd8\x9f",
        "Layla", 3600, false);
    add(items, &n, 5, TW_KIND_WIN,
        "\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb Gr\xc3\xbc\xc3"
        "\x9f"
        "e aus M\xc3\xbcnchen: release 4.2 \xf0\x9f\x87\xa9\xf0\x9f\x87\xaa \xf0\x9f\x8e\x89",
        "J\xc3\xbcrgen", 7200, false);
    return n;
}

static void figures(tw_figures *f, int64_t clear, int64_t prev, int asked, int fast, int wins)
{
    memset(f, 0, sizeof(*f));
    f->valid = true;
    f->clear_n = clear ? 6 : 0;
    f->clear_prev_n = prev ? 5 : 0;
    f->clear_median_s = clear;
    f->clear_prev_median_s = prev;
    f->questions_asked = f->questions_decided = asked;
    f->questions_fast = fast;
    f->wins_week = wins;
}

/* The cards of the frame: each on the screen and inside one band's board
 * (and section), none overlapping; per band and section how many show. */
static void check_frame(tw_ui *ui, int bands, const char *what, size_t shown[][3])
{
    static tw_ui_card c[1024];
    size_t n = tw_ui_cards(ui, c, 1024);
    int w, h, bad = 0;
    tw_ui_size(ui, &w, &h);
    const tw_layout *full = tw_ui_layout(ui);
    memset(shown, 0, sizeof(size_t) * 3 * (size_t)bands);
    for (size_t i = 0; i < n; i++) {
        tw_rect r = {c[i].x, c[i].y, c[i].w, c[i].h};
        int in = -1;
        for (int b = 0; b < bands; b++) {
            tw_layout L;
            tw_rect g;
            tw_lobby_layout(full, bands, b, &L, &g);
            if (tw_rect_inside(r, L.board)) {
                in = b;
                tw_rect s = L.board;
                bad += tw_rect_overlap(r, g);
                (void)s;
            }
        }
        bad += in < 0 || r.x < 0 || r.y < 0 || r.x + r.w > w || r.y + r.h > h;
        if (in >= 0)
            shown[in][c[i].section]++;
        for (size_t j = i + 1; j < n; j++)
            bad += tw_rect_overlap(r, (tw_rect){c[j].x, c[j].y, c[j].w, c[j].h});
    }
    if (bad)
        fprintf(stderr, "%s: %d cards outside a band or overlapping\n", what, bad);
    CHECK_EQ_INT(bad, 0);
}

static void check_ref(tw_ui *ui, const char *name)
{
    CHECK(refcheck_ui(ui, src_dir, tmp_dir, name) != REFCHECK_FAILED);
}

static void test_three_teams(int w, int h, const char *ref, const char *lang)
{
    static tw_item busy[80], intl[8];
    size_t nb = crowded(busy, 30, 20, 15), ni = scripts(intl);
    tw_figures fb, fi, fe;
    figures(&fb, 5 * 3600, 9 * 3600, 12, 9, 15);
    figures(&fi, 2 * 86400, 86400, 2, 0, 1);
    figures(&fe, 0, 0, 0, 0, 0);
    tw_lobby_band bands[3] = {
        {.team = "platform", .items = busy, .count = nb, .figures = &fb},
        {.team = "design", .items = intl, .count = ni, .figures = &fi},
        {.team = "infra", .figures = &fe},
    };
    tw_lobby_view lv = {
        .wall = {.team = "Lobby", .now = now, .online = true}, .bands = bands, .n_bands = 3};
    tw_ui *ui = open_ui(w, h);
    if (!ui)
        return;
    CHECK_EQ_INT(tw_ui_render_lobby(ui, &lv), 0);
    size_t shown[3][3];
    check_frame(ui, 3, ref, shown);
    printf("%dx%d: platform %zu/%zu/%zu, design %zu/%zu/%zu, infra %zu/%zu/%zu\n", w, h,
           shown[0][0], shown[0][1], shown[0][2], shown[1][0], shown[1][1], shown[1][2],
           shown[2][0], shown[2][1], shown[2][2]);
    /* The crowded team shows cards in every section, compact ones: more
     * than one per section. */
    for (int k = 0; k < 3; k++)
        CHECK(shown[0][k] >= 2);
    /* The small team shows all it has; the empty one none. */
    CHECK_EQ_INT(shown[1][0] + shown[1][1] + shown[1][2], ni);
    CHECK_EQ_INT(shown[2][0] + shown[2][1] + shown[2][2], 0);
    /* Compact before "+N more": the crowded team's cards are one line each. */
    {
        static tw_ui_card c[256];
        size_t n = tw_ui_cards(ui, c, 256), compact = 0, in_band = 0;
        tw_layout L;
        tw_rect g;
        tw_lobby_layout(tw_ui_layout(ui), 3, 0, &L, &g);
        for (size_t i = 0; i < n && i < 256; i++) {
            if (!tw_rect_inside((tw_rect){c[i].x, c[i].y, c[i].w, c[i].h}, L.board))
                continue;
            in_band++;
            compact += c[i].h == L.compact_h;
        }
        CHECK(in_band > 0);
        CHECK_EQ_INT(compact, in_band);
    }
    /* The oldest blocker of the crowded team is its band's first card. */
    tw_ui_card c[1];
    CHECK(tw_ui_cards(ui, c, 1) >= 1 && c[0].seq == 1);
    /* Titles and labels on the lobby are never cut. */
    tw_ui_stats st;
    /* A region is composed the second frame in a row that shows it
     * (ui/cardcache.h): from then on a redraw that changes nothing
     * rasterises no glyph and composes no card. */
    tw_ui_get_stats(ui, &st);
    uint64_t renders = st.glyph_renders;
    CHECK_EQ_INT(tw_ui_render_lobby(ui, &lv), 0);
    tw_ui_get_stats(ui, &st);
    CHECK_EQ_INT(st.glyph_renders, renders);
    CHECK_EQ_INT(tw_ui_render_lobby(ui, &lv), 0);
    tw_ui_stats again;
    tw_ui_get_stats(ui, &again);
    CHECK_EQ_INT(again.glyph_renders, st.glyph_renders);
    CHECK_EQ_INT(again.composed, st.composed);
    CHECK_EQ_INT(st.cut[F_TITLE], 0);
    CHECK_EQ_INT(st.cut[F_BANNER], 0);
    /* Only allowed ink-on-surface pairs. */
    for (int s = 0; s < SURF_COUNT; s++)
        for (int i = 0; i < INK_COUNT; i++)
            if (st.pairs_used[s] & (1u << i))
                CHECK(tw_theme_pair_allowed((tw_ink)i, (tw_surface)s));
    if (lang) {
        char out[8192];
        snprintf(out, sizeof(out), "%s/lobby_%dx%d_%s.png", tmp_dir, w, h, lang);
        CHECK_EQ_INT(tw_ui_screenshot(ui, out), 0);
    } else {
        check_ref(ui, ref);
    }
    tw_ui_destroy(ui);
}

/* Every offered language: section titles, the banner and team names uncut
 * (the checks above) at the smallest and the most common screen. */
static void test_languages(void)
{
    static const char *const langs[] = {"de", "fr", "es", "nl"};
    for (size_t i = 0; i < TW_ARRAY_LEN(langs); i++) {
        CHECK_EQ_INT(tw_i18n_set_language(langs[i]), 0);
        test_three_teams(800, 480, langs[i], langs[i]);
        test_three_teams(1920, 1080, langs[i], langs[i]);
    }
    CHECK_EQ_INT(tw_i18n_set_language("en"), 0);
}

/* How many teams a screen holds, and that so many crowded teams do show
 * two rows of compact cards in every section (with the connection banner
 * up: a lobby that just started is connecting). */
static void test_capacity(void)
{
    /* The measured limits (docs/LOBBY.md). */
    static const int sizes[][3] = {
        {800, 480, 4}, {1280, 720, 3}, {1920, 1080, 4}, {3840, 2160, 4}, {1080, 1920, 0}};
    static tw_item busy[TW_TEAMS_MAX][80];
    tw_lobby_band bands[TW_TEAMS_MAX];
    for (size_t s = 0; s < TW_ARRAY_LEN(sizes); s++) {
        tw_ui *ui = open_ui(sizes[s][0], sizes[s][1]);
        if (!ui)
            continue;
        int cap = tw_ui_lobby_capacity(ui, 0, TW_TEAMS_MAX);
        printf("%dx%d holds %d teams\n", sizes[s][0], sizes[s][1], cap);
        CHECK_EQ_INT(cap, sizes[s][2]);
        if (cap == 0) {
            tw_ui_destroy(ui);
            continue;
        }
        for (int b = 0; b < cap; b++) {
            size_t n = crowded(busy[b], 20, 20, 20);
            char *name = tw_xmalloc(16);
            snprintf(name, 16, "team-%d", b);
            bands[b] = (tw_lobby_band){.team = name, .items = busy[b], .count = n};
        }
        /* Live: two rows of compact cards in every section of every team;
         * with a warning row up, one at least. */
        for (int online = 1; online >= 0; online--) {
            tw_lobby_view lv = {.wall = {.team = "Lobby", .now = now, .online = online},
                                .bands = bands,
                                .n_bands = (size_t)cap};
            CHECK_EQ_INT(tw_ui_render_lobby(ui, &lv), 0);
            size_t shown[TW_TEAMS_MAX][3];
            check_frame(ui, cap, "capacity", shown);
            size_t least = SIZE_MAX;
            for (int b = 0; b < cap; b++)
                for (int k = 0; k < 3; k++)
                    least = shown[b][k] < least ? shown[b][k] : least;
            printf("  %s: at least %zu cards in each section\n", online ? "live" : "a warning up",
                   least);
            CHECK(least >= (size_t)(online ? TW_LOBBY_MIN_ROWS : 1));
            char out[8192];
            snprintf(out, sizeof(out), "%s/lobby_capacity_%dx%d_%s.png", tmp_dir, sizes[s][0],
                     sizes[s][1], online ? "live" : "offline");
            CHECK_EQ_INT(tw_ui_screenshot(ui, out), 0);
        }
        for (int b = 0; b < cap; b++)
            free((char *)bands[b].team);
        tw_ui_destroy(ui);
    }
}

/* Four teams with figures in every language: the gutter's labels are never
 * cut. A label that does not fit beside its value (German "Lösungszeit"
 * beside "5 h 20 min ▼") goes over it, or its short form beside it ("75 %
 * in 4 Std."); they were cut to "Lös…" and "In 4 Std.…". */
static void test_gutter_labels(void)
{
    static const char *const langs[] = {"en", "de", "fr", "es", "nl"};
    static const int sizes[][2] = {{800, 480}, {1920, 1080}, {3840, 2160}};
    static tw_item busy[4][80];
    static tw_figures fig[4];
    tw_lobby_band bands[4];
    char names[4][16];
    for (int b = 0; b < 4; b++) {
        size_t n = crowded(busy[b], 20, 20, 20);
        figures(&fig[b], 5 * 3600 + 1200, 9 * 3600, 12, 9, 15);
        snprintf(names[b], sizeof(names[b]), "team-%d", b);
        bands[b] =
            (tw_lobby_band){.team = names[b], .items = busy[b], .count = n, .figures = &fig[b]};
    }
    for (size_t l = 0; l < TW_ARRAY_LEN(langs); l++) {
        CHECK_EQ_INT(tw_i18n_set_language(langs[l]), 0);
        for (size_t s = 0; s < TW_ARRAY_LEN(sizes); s++) {
            tw_ui *ui = open_ui(sizes[s][0], sizes[s][1]);
            if (!ui)
                continue;
            tw_lobby_view lv = {.wall = {.team = "Lobby", .now = now, .online = true},
                                .bands = bands,
                                .n_bands = 4};
            CHECK_EQ_INT(tw_ui_render_lobby(ui, &lv), 0);
            tw_ui_stats st;
            tw_ui_get_stats(ui, &st);
            if (st.cut[F_FIG_LABEL])
                fprintf(stderr, "%s %dx%d: %llu figure labels cut\n", langs[l], sizes[s][0],
                        sizes[s][1], (unsigned long long)st.cut[F_FIG_LABEL]);
            CHECK_EQ_INT(st.cut[F_FIG_LABEL], 0);
            size_t shown[4][3];
            check_frame(ui, 4, "gutter labels", shown);
            tw_ui_destroy(ui);
        }
    }
    CHECK_EQ_INT(tw_i18n_set_language("en"), 0);
}

int main(void)
{
    refcheck_setup(src_dir, sizeof(src_dir), tmp_dir, sizeof(tmp_dir), font_dir, sizeof(font_dir));
    CHECK_EQ_INT(tw_time_parse("2026-11-25T10:00:00Z", &now), 0);
    CHECK_EQ_INT(tw_i18n_set_language("en"), 0);
    test_three_teams(1920, 1080, "lobby_1920x1080", NULL);
    test_three_teams(800, 480, "lobby_800x480", NULL);
    test_languages();
    test_capacity();
    test_gutter_labels();
    return check_done();
}
