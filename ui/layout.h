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
    F_COMPACT,     /* a compact card's one line (a crowded section) */
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
    tw_rect board;                     /* what the sections share */
    tw_rect section[TW_SECTIONS];      /* landscape: set here; portrait: tw_layout_bands() */
    tw_rect section_base[TW_SECTIONS]; /* the sections before density shared the width */
    int card_cols;                     /* card columns in a section at full size */
    /* How each section shows its cards (tw_layout_density, or bands in
     * portrait): compact (one line each) or full, in how many columns. */
    bool compact[TW_SECTIONS];
    int cols[TW_SECTIONS];
    int compact_h;      /* height of a compact card */
    int compact_min_w;  /* narrowest column of compact cards */
    int section_head_h; /* title, rule and the space under it */
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

/*
 * Density (PRODUCT.md, "A crowded wall"), landscape: how the three sections
 * share the board. Section k has total[k] open items, of which the first
 * measured[k] have the heights full_h[k][..] at full size in the standard
 * column. When every section's cards fit at full size, nothing changes.
 * Otherwise a section that overflows goes compact (one line per card, as
 * many columns as its width holds); if some still overflow, every section
 * goes compact and the board's width is cut into compact columns shared by
 * need: each section gets one, then the section with the most cards still
 * hidden gets the next, blockers first on a tie. Sets L->section[],
 * L->compact[], L->cols[]; returns how many cards each section shows in
 * shown[] (the first ones in its order: the oldest, most escalated).
 */
void tw_layout_density(tw_layout *L, const int total[TW_SECTIONS],
                       const int *const full_h[TW_SECTIONS], const int measured[TW_SECTIONS],
                       int shown[TW_SECTIONS]);

/* How many cards of height card_h fit in a height h, cols to a row, with
 * the "+N more" line kept when total do not all fit. */
int tw_layout_compact_fit(const tw_layout *L, int h, int cols, int total);

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
 * (with the "+N more" line when more follow), then each next row goes to
 * the band with the most rows still hidden (blockers first on a tie) while
 * they fit; what is left is spread evenly.
 */
void tw_layout_bands(tw_layout *L, const int *const row_h[TW_SECTIONS],
                     const int measured[TW_SECTIONS], const int total[TW_SECTIONS]);

/*
 * Portrait density: the bands as tw_layout_bands() shares them, from the
 * full-size rows (row_h[k][0..measured[k]), of total[k] rows; then a band
 * that hides cards at full size goes compact (one line each, as many
 * columns as the width holds) and the bands share the height again.
 * n_items[k] cards in all, of which measured_items[k] can be shown; row_h[k]
 * has room for rows_cap rows and is rewritten with compact rows; measured
 * and total are updated. Sets L->compact[] and L->cols[].
 */
void tw_layout_bands_density(tw_layout *L, int *const row_h[TW_SECTIONS], int rows_cap,
                             int measured[TW_SECTIONS], int total[TW_SECTIONS],
                             const int n_items[TW_SECTIONS], const int measured_items[TW_SECTIONS]);

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
