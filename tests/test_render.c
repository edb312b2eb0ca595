/* SPDX-License-Identifier: MIT */
/*
 * The screen, headless: word wrapping against a fake measure, then a fixed
 * view rendered at 1920x1080 with the offscreen driver and the software
 * renderer and compared with tests/ref/render_basic.png (TW_UPDATE_REF=1
 * rewrites the reference: look at it before committing). Also: an unchanged
 * redraw rasterises nothing, the text cache stays bounded while the clock
 * runs, and the smallest and largest screens render.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "pngcmp.h"
#include "render.h"
#include "textcache.h"
#include "util.h"

/* ---- wrapping, with every code point 10 px wide ---- */

static int measure_cp(void *ctx, const char *s, size_t len)
{
    (void)ctx;
    int n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n * 10;
}

static const char *line(const char *s, const tw_wrap *w, int i)
{
    static char buf[256];
    snprintf(buf, sizeof(buf), "%.*s%s", (int)w->len[i], s + w->start[i],
             w->ellipsis && i == w->n - 1 ? TW_ELLIPSIS : "");
    return buf;
}

static void test_wrap(void)
{
    tw_wrap w;
    const char *s;

    s = "hello world foo";
    tw_text_wrap(s, 60, 3, measure_cp, NULL, &w);
    CHECK_EQ_INT(w.n, 3);
    CHECK(!w.ellipsis);
    CHECK_EQ_STR(line(s, &w, 0), "hello");
    CHECK_EQ_STR(line(s, &w, 1), "world");
    CHECK_EQ_STR(line(s, &w, 2), "foo");

    s = "  two  words  ";
    tw_text_wrap(s, 200, 3, measure_cp, NULL, &w);
    CHECK_EQ_INT(w.n, 1);
    CHECK_EQ_STR(line(s, &w, 0), "two  words");

    /* One word wider than the line breaks inside, by code points. */
    s = "abcdefghijkl";
    tw_text_wrap(s, 50, 3, measure_cp, NULL, &w);
    CHECK_EQ_INT(w.n, 3);
    CHECK_EQ_STR(line(s, &w, 0), "abcde");
    CHECK_EQ_STR(line(s, &w, 2), "kl");

    s = "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"; /* 6 x é */
    tw_text_wrap(s, 30, 3, measure_cp, NULL, &w);
    CHECK_EQ_INT(w.n, 2);
    CHECK_EQ_INT(w.len[0], 6);
    CHECK_EQ_INT(w.start[1], 6);

    /* Ellipsis: drop the last word that does not fit with it. */
    s = "aa bb cc dd ee";
    tw_text_wrap(s, 50, 2, measure_cp, NULL, &w);
    CHECK_EQ_INT(w.n, 2);
    CHECK(w.ellipsis);
    CHECK_EQ_STR(line(s, &w, 0), "aa bb");
    CHECK_EQ_STR(line(s, &w, 1), "cc" TW_ELLIPSIS);

    /* ... or code points when the line is one word, never half of one. */
    s = "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9";
    tw_text_wrap(s, 40, 1, measure_cp, NULL, &w);
    CHECK_EQ_INT(w.n, 1);
    CHECK(w.ellipsis);
    CHECK_EQ_INT(w.len[0], 6);

    /* A 4-byte code point (emoji) is one step. */
    s = "\xf0\x9f\x8e\x89\xf0\x9f\x8e\x89";
    tw_text_wrap(s, 10, 3, measure_cp, NULL, &w);
    CHECK_EQ_INT(w.n, 2);
    CHECK_EQ_INT(w.len[0], 4);

    /* Narrower than one code point: still one per line, no endless loop. */
    s = "abc";
    tw_text_wrap(s, 5, 8, measure_cp, NULL, &w);
    CHECK_EQ_INT(w.n, 3);

    tw_text_wrap("", 100, 3, measure_cp, NULL, &w);
    CHECK_EQ_INT(w.n, 0);
    tw_text_wrap("   ", 100, 3, measure_cp, NULL, &w);
    CHECK_EQ_INT(w.n, 0);

    /* A truncated sequence at the end is stepped over bytewise, not read past. */
    CHECK_EQ_INT(tw_utf8_step("\xe2\x80"), 1);
    CHECK_EQ_INT(tw_utf8_step("\xe2\x80\xa6"), 3);
    CHECK_EQ_INT(tw_utf8_step(""), 0);
}

/* ---- the fixture ---- */

static int64_t t0; /* 2026-11-25T10:00:00Z */

static tw_item mk(int64_t seq, tw_kind kind, const char *ref, const char *text, const char *author,
                  int64_t age_s, const char *claimed_by)
{
    tw_item it;
    memset(&it, 0, sizeof(it));
    it.seq = seq;
    it.kind = kind;
    it.state = claimed_by ? TW_STATE_CLAIMED : TW_STATE_OPEN;
    snprintf(it.id, sizeof(it.id), "fixture-%lld", (long long)seq);
    tw_strlcpy(it.ref, ref, sizeof(it.ref));
    tw_strlcpy(it.text, text, sizeof(it.text));
    tw_strlcpy(it.author, author, sizeof(it.author));
    tw_strlcpy(it.source, "chat", sizeof(it.source));
    if (claimed_by)
        tw_strlcpy(it.claimed_by, claimed_by, sizeof(it.claimed_by));
    it.created = it.updated = t0 - age_s;
    return it;
}

static size_t fixture(tw_item *items)
{
    size_t n = 0;
    /* Given in no particular order: the screen sorts. */
    items[n++] = mk(4, TW_KIND_BLOCKER, "q7d2",
                    "The payment sandbox rejects every request with a 502 since this morning's "
                    "upgrade, the vendor's status page says all is fine, and nobody here has "
                    "the admin rights to open a ticket with them",
                    "Bartholomew Featherstonehaugh", 2 * 3600, NULL);
    items[n++] = mk(1, TW_KIND_BLOCKER, "k3f9", "Waiting on prod DB access for the migration",
                    "ana", 26 * 3600, "Marek");
    items[n++] = mk(2, TW_KIND_BLOCKER, "m2x8", "CI runners out of disk space again", "jo\xc3\xa3o",
                    5 * 3600, NULL);
    items[n++] = mk(5, TW_KIND_BLOCKER, "c9a1", "Staging certificate expired, deploys fail", "li",
                    40 * 60, NULL);
    items[n++] =
        mk(6, TW_KIND_QUESTION, "v4pn", "Who knows the VPN setup?", "priya", 3 * 3600, NULL);
    items[n++] = mk(9, TW_KIND_QUESTION, "cafe",
                    "Caf\xc3\xa9 d\xc3\xa9j\xc3\xa0 vu: is the na\xc3\xafve fa\xc3\xa7"
                    "ade "
                    "r\xc3\xa9"
                    "design for Z\xc3\xbcrich still on the roadmap?",
                    "Zo\xc3\xab", 5 * 60, NULL);
    items[n++] =
        mk(10, TW_KIND_QUESTION, "r3ln", "Where do the release notes live now?", "tom", 30, NULL);
    items[n++] = mk(7, TW_KIND_QUESTION, "pg16",
                    "Which Postgres version do we target for the "
                    "new reporting service?",
                    "sam", 2 * 3600 + 600, NULL);
    items[n++] = mk(8, TW_KIND_QUESTION, "lgcy", "Do we still need the legacy export job?", "kim",
                    75 * 60, NULL);
    items[n++] = mk(3, TW_KIND_QUESTION, "prnt",
                    "Has anyone got the new office printer working "
                    "from Linux?",
                    "marek", 2 * 86400, NULL);
    items[n++] =
        mk(11, TW_KIND_WIN, "p1pe", "First deploy of the new pipeline", "sam", 2 * 86400, NULL);
    items[n++] =
        mk(12, TW_KIND_WIN, "srch", "Shipped search to all customers", "priya", 3600, NULL);
    items[n++] =
        mk(13, TW_KIND_WIN, "bld6", "Cut build time from 14 to 6 minutes", "li", 20 * 60, NULL);
    items[n++] = mk(14, TW_KIND_WIN, "onb2", "Onboarded two new teammates", "kim", 4 * 86400, NULL);
    /* Resolved items never reach the wall. */
    items[n] =
        mk(15, TW_KIND_BLOCKER, "gone", "This was resolved and must not show", "x", 60, NULL);
    items[n++].state = TW_STATE_RESOLVED;
    return n;
}

/* ---- rendering ---- */

static char font_dir[8192], tmp_dir[4096], src_dir[4096];

static tw_ui *open_ui(int w, int h)
{
    tw_ui_options opt = {.width = w, .height = h, .headless = true, .font_dir = font_dir};
    tw_ui *ui = NULL;
    int rc = tw_ui_create(&opt, &ui);
    CHECK_EQ_INT(rc, 0);
    return ui;
}

static void test_basic(const tw_view *v)
{
    tw_ui *ui = open_ui(1920, 1080);
    if (!ui)
        return;
    int w, h;
    tw_ui_size(ui, &w, &h);
    CHECK_EQ_INT(w, 1920);
    CHECK_EQ_INT(h, 1080);

    tw_ui_stats s1, s2;
    CHECK_EQ_INT(tw_ui_render(ui, v), 0);
    tw_ui_get_stats(ui, &s1);
    CHECK(s1.glyph_renders > 0);
    CHECK_EQ_INT(s1.frames, 1);

    /* The same view again: nothing new to rasterise. */
    CHECK_EQ_INT(tw_ui_render(ui, v), 0);
    tw_ui_get_stats(ui, &s2);
    CHECK_EQ_INT(s2.glyph_renders, s1.glyph_renders);
    CHECK_EQ_INT(s2.frames, 2);
    CHECK_EQ_INT(s2.cache_entries, s1.cache_entries);

    char out[8192], ref[8192], diff[8192];
    snprintf(out, sizeof(out), "%s/render_basic.png", tmp_dir);
    snprintf(ref, sizeof(ref), "%s/tests/ref/render_basic.png", src_dir);
    snprintf(diff, sizeof(diff), "%s/render_basic.diff.png", tmp_dir);
    CHECK_EQ_INT(tw_ui_screenshot(ui, out), 0);
    /* The screenshot redraws the kept view: still nothing rasterised. */
    tw_ui_get_stats(ui, &s2);
    CHECK_EQ_INT(s2.glyph_renders, s1.glyph_renders);

    const char *upd = getenv("TW_UPDATE_REF");
    if (upd && strcmp(upd, "1") == 0) {
        CHECK_EQ_INT(tw_ui_screenshot(ui, ref), 0);
        printf("wrote %s: look at it before committing\n", ref);
    } else {
        pngcmp_result res;
        int rc = pngcmp_files(out, ref, PNGCMP_MAX_DIFF, PNGCMP_MAX_BAD, diff, &res);
        pngcmp_print(stdout, out, ref, PNGCMP_MAX_DIFF, PNGCMP_MAX_BAD, rc, &res);
        CHECK_EQ_INT(rc, 0);
    }

    /* The clock runs for two hours of frames, one a minute: ages and the
     * clock change, old textures go, the cache does not grow with time. */
    tw_view run = *v;
    size_t most = 0;
    for (int i = 1; i <= 120; i++) {
        run.now = v->now + i * 60;
        CHECK_EQ_INT(tw_ui_render(ui, &run), 0);
        tw_ui_get_stats(ui, &s2);
        if (s2.cache_entries > most)
            most = s2.cache_entries;
    }
    CHECK(most < s1.cache_entries * 2);
    printf("cache: %zu entries after one frame, at most %zu while the clock ran\n",
           s1.cache_entries, most);
    tw_ui_destroy(ui);
}

static void test_sizes(const tw_view *v)
{
    static const int sizes[][2] = {{800, 480}, {3840, 2160}, {1280, 720}};
    tw_view off = *v;
    off.online = false;
    off.offline_since = v->now - 18 * 60;
    off.offline_reason = "broker unreachable";

    for (size_t i = 0; i < TW_ARRAY_LEN(sizes); i++) {
        tw_ui *ui = open_ui(sizes[i][0], sizes[i][1]);
        if (!ui)
            continue;
        CHECK_EQ_INT(tw_ui_render(ui, i == 0 ? &off : v), 0);
        char out[8192];
        snprintf(out, sizeof(out), "%s/render_%dx%d.png", tmp_dir, sizes[i][0], sizes[i][1]);
        CHECK_EQ_INT(tw_ui_screenshot(ui, out), 0);
        int w, h;
        tw_ui_size(ui, &w, &h);
        CHECK_EQ_INT(w, sizes[i][0]);
        CHECK_EQ_INT(h, sizes[i][1]);
        tw_ui_destroy(ui);
    }

    /* An empty board. */
    tw_ui *ui = open_ui(1280, 720);
    if (ui) {
        tw_view empty = {.team = "acme", .now = v->now, .online = false};
        CHECK_EQ_INT(tw_ui_render(ui, &empty), 0);
        char out[8192];
        snprintf(out, sizeof(out), "%s/render_empty.png", tmp_dir);
        CHECK_EQ_INT(tw_ui_screenshot(ui, out), 0);
        tw_ui_destroy(ui);
    }
}

static void test_errors(void)
{
    tw_ui_options opt = {.width = 320, .height = 240, .headless = true, .font_dir = "/nonexistent"};
    tw_ui *ui = (tw_ui *)&opt; /* must be reset to NULL */
    CHECK_EQ_INT(tw_ui_create(&opt, &ui), TW_ERR_IO);
    CHECK(ui == NULL);
    CHECK_EQ_INT(tw_ui_create(NULL, &ui), TW_ERR_INVAL);
    tw_ui_destroy(NULL);

    ui = open_ui(320, 240);
    if (ui) {
        /* Nothing to save before the first frame. */
        CHECK(tw_ui_screenshot(ui, "/nonexistent/x.png") != 0);
        tw_ui_destroy(ui);
    }
}

static void env_or(char *dst, size_t size, const char *name, const char *dflt)
{
    const char *v = getenv(name);
    snprintf(dst, size, "%s", v && *v ? v : dflt);
}

int main(void)
{
    setenv("TZ", "UTC", 1);
    tzset();
    setenv("SDL_VIDEODRIVER", "offscreen", 1);
    env_or(src_dir, sizeof(src_dir), "TW_SOURCE_DIR", ".");
    env_or(tmp_dir, sizeof(tmp_dir), "TW_TEST_TMP", "/tmp");
    snprintf(font_dir, sizeof(font_dir), "%s/assets/fonts", src_dir);

    test_wrap();

    CHECK_EQ_INT(tw_time_parse("2026-11-25T10:00:00Z", &t0), 0);
    static tw_item items[16];
    size_t n = fixture(items);
    tw_view v = {.team = "acme", .now = t0, .online = true, .items = items, .count = n};

    test_errors();
    test_basic(&v);
    test_sizes(&v);
    return check_done();
}
