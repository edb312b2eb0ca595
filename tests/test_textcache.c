/* SPDX-License-Identifier: MIT */
/*
 * The text cache at rest, through the real renderer (SDL offscreen,
 * software): a flood's last frames show a screenful of cards, then every one
 * is resolved and the board goes quiet. The cache keeps a text
 * TEXT_KEEP_FRAMES frames after the screen last showed it, and an idle board
 * draws no more frames, so the cards' texts stayed in the heap until the next
 * work: R6's at-rest readings took two levels about 1.1 MB apart by where the
 * flood's last frames fell. When the board goes quiet (tw_ui_release) the
 * cache must hold what the last frame showed and no more: as much as a fresh
 * screen that only drew that frame, and the next frame rasterises nothing.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "refcheck.h"
#include "render.h"
#include "util.h"

static char src_dir[4096], tmp_dir[4096], font_dir[8192];
static const int64_t now = 1795600000; /* a fixed wall clock */

static tw_ui *open_ui(void)
{
    tw_ui_options opt = {.width = 1920, .height = 1080, .headless = true, .font_dir = font_dir};
    tw_ui *ui = NULL;
    CHECK_EQ_INT(tw_ui_create(&opt, &ui), 0);
    return ui;
}

/* n open items, each with its own text, as a flood of posts shows them. */
static void flood(tw_item *items, size_t n, int64_t first)
{
    for (size_t i = 0; i < n; i++) {
        tw_item *it = &items[i];
        memset(it, 0, sizeof(*it));
        it->seq = first + (int64_t)i;
        it->kind = (tw_kind)(i % 3);
        it->state = TW_STATE_OPEN;
        snprintf(it->id, sizeof(it->id), "r6-%lld", (long long)it->seq);
        snprintf(it->ref, sizeof(it->ref), "%c%03lld", "bqw"[i % 3], (long long)(it->seq % 1000));
        snprintf(it->text, sizeof(it->text), "Post %lld of the flood, waiting on the build",
                 (long long)it->seq);
        snprintf(it->author, sizeof(it->author), "bench-%zu", i % 4);
        tw_strlcpy(it->source, "mqtt", sizeof(it->source));
        it->created = it->updated = now - 60 - (int64_t)i;
    }
}

static void stats(tw_ui *ui, tw_ui_stats *st)
{
    tw_ui_get_stats(ui, st);
}

int main(void)
{
    refcheck_setup(src_dir, sizeof(src_dir), tmp_dir, sizeof(tmp_dir), font_dir, sizeof(font_dir));
    static tw_item items[40];
    tw_view busy = {.team = "bench", .now = now, .online = true, .items = items, .count = 40};
    tw_view rest = {.team = "bench", .now = now, .online = true}; /* every item resolved */

    /* What a screen that only drew the empty wall holds. */
    tw_ui *fresh = open_ui();
    if (!fresh)
        return check_done();
    CHECK_EQ_INT(tw_ui_render(fresh, &rest), 0);
    tw_ui_release(fresh);
    tw_ui_stats f;
    stats(fresh, &f);
    tw_ui_destroy(fresh);
    printf("empty wall: %zu texts, %zu KB\n", f.cache_entries, f.text_bytes / 1024);

    tw_ui *ui = open_ui();
    if (!ui)
        return check_done();
    tw_ui_stats s0, s1, s2, s3;
    for (int wave = 0; wave < 3; wave++) {
        /* A flood's frames: a screenful of new cards each (the sweep
         * evicts what two frames ago showed), then the last resolves. */
        for (int frame = 0; frame < 3; frame++) {
            flood(items, 40, 1000 * wave + 100 * frame);
            CHECK_EQ_INT(tw_ui_render(ui, &busy), 0);
        }
        stats(ui, &s0);
        CHECK(s0.cards_drawn > 0);
        CHECK_EQ_INT(tw_ui_render(ui, &rest), 0);
        stats(ui, &s1);
        CHECK_EQ_INT(s1.cards_drawn, 0);
        /* The cards' texts are still held: the sweep keeps them for
         * TEXT_KEEP_FRAMES frames, which an idle board does not draw. */
        CHECK(s1.cache_entries > f.cache_entries);
        CHECK(s1.text_bytes > f.text_bytes + 100 * 1024);

        tw_ui_release(ui); /* the quiet hook */
        stats(ui, &s2);
        printf("wave %d: %zu texts, %zu KB after the last resolve; %zu, %zu KB quiet\n", wave,
               s1.cache_entries, s1.text_bytes / 1024, s2.cache_entries, s2.text_bytes / 1024);
        CHECK(s2.cache_entries <= f.cache_entries); /* textures and measures */
        CHECK_EQ_INT(s2.text_bytes, f.text_bytes);
        CHECK_EQ_INT(s2.composed_bytes, 0);

        /* What the screen shows stayed: the next frame rasterises nothing. */
        CHECK_EQ_INT(tw_ui_render(ui, &rest), 0);
        stats(ui, &s3);
        CHECK_EQ_INT(s3.glyph_renders, s2.glyph_renders);
        CHECK_EQ_INT(s3.text_bytes, f.text_bytes);
    }
    tw_ui_destroy(ui);
    return check_done();
}
