/* SPDX-License-Identifier: MIT */
/*
 * Where everything goes, as pure functions of the output size and the font
 * metrics: the type sizes (one scale from the screen), the header, the
 * warnings banner, the three sections (columns in landscape, bands in
 * portrait), the card grid inside a section, the figures strip and the
 * "recently learned" line, and the detail view. No SDL: tests run the whole
 * range of screens and check that nothing overlaps or leaves the screen.
 *
 * Type is sized from the shorter side (capped by 9/16 of the longer one, so
 * a squarish screen does not get oversized type): card text is scale/27,
 * 40 px at 1080 lines, whose capitals are 14 mm tall on a 43" panel, about
 * 16 minutes of arc at three metres; the same panel turned to portrait keeps
 * the same sizes.
 */
#ifndef TW_UI_LAYOUT_H
#define TW_UI_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

/* The screen's text styles. */
enum tw_font_role {
    F_HEADER,      /* team name, clock */
    F_STATUS,      /* connection, date, learned line */
    F_TITLE,       /* section titles */
    F_CARD,        /* card text */
    F_META,        /* author, ref, age */
    F_STRONG,      /* helper's name, "+N more", pills */
    F_BANNER,      /* warnings, the learned label */
    F_FIG_VALUE,   /* the strip's big numbers */
    F_FIG_LABEL,   /* the strip's labels */
    F_DETAIL,      /* detail view text */
    F_DETAIL_META, /* detail view history */
    F_BUTTON,      /* detail view buttons */
    F_NUM
};

typedef struct tw_rect {
    int x, y, w, h;
} tw_rect;

/* Vertical metrics of a role once sized (from the font). */
typedef struct tw_metrics {
    int ascent, height, skip;
} tw_metrics;

#define TW_SECTIONS 3
#define TW_TILES    4

typedef struct tw_layout {
    int w, h;
    bool portrait;
    int scale, unit, margin;
    int font_px[F_NUM];
    bool font_bold[F_NUM];
    tw_metrics fm[F_NUM];

    tw_rect header;
    tw_rect banner; /* h 0 without warnings */
    int banner_rows, banner_row_h;
    tw_rect board;                /* what the sections share */
    tw_rect section[TW_SECTIONS]; /* landscape: set here; portrait: tw_layout_bands() */
    int card_cols;                /* card columns in a section */
    int section_head_h;           /* title, rule and the space under it */
    tw_rect strip, tile[TW_TILES];
    tw_rect learned;
    int learned_lines; /* 2 in portrait: question, then answer */
    int empty_h;       /* the "No blockers" line of an empty section */

    /* inside a card */
    int pad, card_gap, radius, accent_w, meta_gap, icon, rule_h, dot_d, more_h, focus_w;
    /* pixel shift radius against burn-in */
    int shift;
} tw_layout;

/* Step 1: sizes of the text roles for a w x h output. */
void tw_layout_fonts(int w, int h, int px[F_NUM], bool bold[F_NUM]);

/* Step 2: everything else, once the fonts are sized (fm from the fonts),
 * with banner_rows warning rows (0..3) under the header. */
void tw_layout_compute(int w, int h, const int px[F_NUM], const bool bold[F_NUM],
                       const tw_metrics fm[F_NUM], int banner_rows, tw_layout *L);

/* Width of the text inside a card of the section's card grid (after room
 * for a double-width accent, so text lines up in every card). */
int tw_layout_card_text_w(const tw_layout *L);
/* Width of one card. */
int tw_layout_card_w(const tw_layout *L);

/* Height of a card with `lines` lines of text, and a helper line when claimed. */
int tw_layout_card_h(const tw_layout *L, int lines, bool claimed);

/* Top of the card grid in section s (below its title). */
tw_rect tw_layout_cards_area(const tw_layout *L, int s);

/*
 * Place n cards of the given heights in area, cols columns, row-major, each
 * card as tall as itself (a one-line card is not stretched to its
 * neighbour's height), each row as tall as its tallest card, gap between
 * rows and columns. Stops at the
 * first row that does not fit; when some cards are left out, a line of more_h
 * (the "+N more") still fits under the last row, at *more_y. Returns the
 * number placed, with their rects in out (n entries).
 */
size_t tw_layout_pack(tw_rect area, int cols, int gap, const int *heights, size_t n, int more_h,
                      tw_rect *out, int *more_y);

/* Height the cards would need with all of them placed (for portrait bands). */
int tw_layout_pack_height(int cols, int gap, const int *heights, size_t n);

/*
 * Portrait: share the board's height among the sections by rows of cards.
 * Section s has total[s] rows in all, of which the first measured[s] have
 * the heights row_h[s][0..]. Each section gets its title and first row
 * (with the "+N more" line when more follow), then one more row each in
 * turn, blockers first, while they fit; what is left is spread evenly.
 */
void tw_layout_bands(tw_layout *L, const int *const row_h[TW_SECTIONS],
                     const int measured[TW_SECTIONS], const int total[TW_SECTIONS]);

/* Height of section s showing r of its total rows (row heights row_h). */
int tw_layout_band_h(const tw_layout *L, const int *row_h, int r, int total);

/* The detail view: its panel, and n button rects along its bottom. The
 * panel is as tall as content_h (its text and history) needs, between a
 * third of the screen and 84 % of it; body is where the content goes. */
typedef struct tw_detail_layout {
    tw_rect panel, body;
    tw_rect button[4];
    int n_buttons, pad, max_body_h;
} tw_detail_layout;
void tw_layout_detail(const tw_layout *L, int n_buttons, int content_h, tw_detail_layout *out);

/*
 * The part of area that none of the n rects covers, as rects that do not
 * overlap: area cut into bands at every rect's top and bottom, each band's
 * uncovered runs, and a run merged with the one above it when both have the
 * same left and right edge. For painting the wall around the cards exactly
 * once. *out (with room for *cap rects) is grown as needed and is the
 * caller's to free; returns the number of rects.
 */
size_t tw_layout_uncovered(tw_rect area, const tw_rect *rects, size_t n, tw_rect **out,
                           size_t *cap);

/* Does a lie inside b? Do a and b overlap? */
bool tw_rect_inside(tw_rect a, tw_rect b);
bool tw_rect_overlap(tw_rect a, tw_rect b);
bool tw_rect_has(tw_rect r, int x, int y);

#endif
