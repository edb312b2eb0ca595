/* SPDX-License-Identifier: MIT */
/*
 * The screen: an SDL2 window (or, headless, the offscreen driver with the
 * software renderer) that draws a tw_view: header, three columns of cards.
 * It draws only when asked; text is rasterised once into textures and cached,
 * so a frame with no new text rasterises no glyph.
 */
#ifndef TW_UI_RENDER_H
#define TW_UI_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../firmware/item.h"
#include "../firmware/warnings.h"

typedef struct tw_ui tw_ui;

typedef struct tw_ui_options {
    int width, height;    /* window size; 0 = 1280x720 (window) or screen size (fullscreen) */
    bool fullscreen;      /* full screen (KMSDRM on a console) */
    bool headless;        /* no window: offscreen driver, software renderer */
    const char *font_dir; /* folder with Inter-Regular.otf and Inter-SemiBold.otf */
} tw_ui_options;

/* Everything a frame shows. Borrowed for the duration of tw_ui_render(). */
typedef struct tw_view {
    const char *team;           /* team name for the header */
    int64_t now;                /* wall clock, Unix seconds (HH:MM and ages) */
    bool online;                /* broker connection is up */
    int64_t offline_since;      /* when it went down (0 = never connected) */
    const char *offline_reason; /* "unreachable", "refused credentials", ... or NULL */
    const tw_item *items;       /* open items, any order */
    size_t count;
    const tw_warning *warnings; /* banner lines, most severe first (may be NULL) */
    size_t n_warnings;
} tw_view;

typedef struct tw_ui_stats {
    uint64_t frames;        /* frames presented */
    uint64_t glyph_renders; /* text rasterisations (TTF_Render* calls) so far */
    size_t cache_entries;   /* text textures held */
} tw_ui_stats;

/* Create the window and renderer, load fonts. Returns 0 or TW_ERR_IO with a
 * log line naming what failed. */
int tw_ui_create(const tw_ui_options *opt, tw_ui **out);
/* NULL is a no-op. */
void tw_ui_destroy(tw_ui *ui);

/* Draw view and present it. */
int tw_ui_render(tw_ui *ui, const tw_view *view);

/* Write the last presented frame to path as PNG. */
int tw_ui_screenshot(tw_ui *ui, const char *path);

/* Output size in pixels. */
void tw_ui_size(const tw_ui *ui, int *w, int *h);

void tw_ui_get_stats(const tw_ui *ui, tw_ui_stats *out);

#endif
