/* SPDX-License-Identifier: MIT */
/*
 * The lobby's bands: the space under the banner shared evenly among the
 * teams, each band a gutter and a board of three sections, in the wall's
 * units (ui/layout.c), so a lobby is the wall's design repeated, not a new
 * one.
 */
#include "lobbylayout.h"

#include <string.h>

static int max_i(int a, int b)
{
    return a > b ? a : b;
}

static int min_i(int a, int b)
{
    return a < b ? a : b;
}

void tw_lobby_layout(const tw_layout *full, int n, int i, tw_layout *band, tw_rect *gutter)
{
    *band = *full;
    n = max_i(n, 1);
    int u = full->unit, gap = max_i(u / 3, 4), m = full->margin;
    int top = full->banner.y + full->banner.h + u / 4;
    int bottom = full->h - max_i(m / 4, full->shift + 1);
    int bh = max_i((bottom - top - (n - 1) * gap) / n, 0);
    int y = top + i * (bh + gap);
    /* The gutter: a sixth of the width, enough for a team's name and
     * "Time to clear 3h" in the status type at every size. */
    int gw = full->w * 16 / 100;
    *gutter = (tw_rect){m, y, gw, bh};
    band->portrait = false;
    band->board = (tw_rect){m + gw + m, y, full->w - 3 * m - gw, bh};
    int cw = (band->board.w - 2 * m) / TW_SECTIONS;
    for (int k = 0; k < TW_SECTIONS; k++)
        band->section[k] = (tw_rect){band->board.x + k * (cw + m), y, cw, bh};
    memcpy(band->section_base, band->section, sizeof(band->section_base));
    int min_w = full->font_px[F_CARD] * 25 / 2;
    band->card_cols =
        max_i(1, min_i(3, (band->section[0].w + full->card_gap) / (min_w + full->card_gap)));
    for (int k = 0; k < TW_SECTIONS; k++) {
        band->compact[k] = false;
        band->cols[k] = band->card_cols;
    }
    /* A band has no strip or learned line of its own: its figures are in
     * the gutter. */
    band->strip = (tw_rect){0, 0, 0, 0};
    band->learned = (tw_rect){0, 0, 0, 0};
    for (int t = 0; t < TW_TILES; t++)
        band->tile[t] = (tw_rect){0, 0, 0, 0};
}

int tw_lobby_capacity(const tw_layout *full, int max)
{
    for (int n = max; n > 0; n--) {
        tw_layout b;
        tw_rect g;
        tw_lobby_layout(full, n, 0, &b, &g);
        int area = b.board.h - b.section_head_h;
        /* The gutter holds the name and three lines of figures. */
        int gutter_need = full->fm[F_TITLE].height + 3 * full->fm[F_BANNER].skip;
        /* A section as wide as a column of compact cards, so a compact
         * card keeps a few words beside its ref and age (portrait screens
         * are too narrow for three sections a team: none fit there). */
        if (tw_layout_compact_fit(&b, area, 1, 1 << 20) >= TW_LOBBY_MIN_ROWS &&
            g.h >= gutter_need && b.section[0].w >= full->compact_min_w)
            return n;
    }
    return 0;
}
