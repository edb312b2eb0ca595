/* SPDX-License-Identifier: MIT */
/*
 * The layout maths. Everything derives from one scale (see layout.h) and
 * one unit of spacing (scale/40), so 800x480 and 3840x2160 are the same
 * design at different sizes, with floors that keep the 7" screen readable.
 */
#include "layout.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Type sizes as scale/div, with a floor in pixels, and the weight. */
static const struct {
    int div, min_px;
    bool bold;
} font_spec[F_NUM] = {
    [F_HEADER] = {20, 20, true},
    [F_STATUS] = {34, 13, false},
    [F_TITLE] = {27, 16, true},
    [F_CARD] = {27, 16, false},
    [F_META] = {38, 12, false},
    [F_STRONG] = {38, 12, true},
    [F_BANNER] = {32, 13, true},
    [F_FIG_VALUE] = {24, 16, true},
    [F_FIG_LABEL] = {46, 11, false},
    [F_DETAIL] = {23, 17, false},
    [F_DETAIL_META] = {36, 13, false},
    [F_BUTTON] = {30, 15, true},
    /* Compact cards: 3/4 of a full card's type, 30 px at 1080 lines, whose
     * capitals (Inter: 0.73 em) are 22 px, 10.8 mm on a 43" panel: 12
     * minutes of arc at three metres, where full cards have 16. Normal
     * (6/6) vision resolves letters of 5 minutes, so this is still 2.4
     * times that: a glance reads it, as a wall is read. Nothing smaller:
     * below this a crowded column hides cards under "+N more" instead. On
     * the 7" screen, read at arm's length, the floor is 13 px. */
    [F_COMPACT] = {36, 13, false},
};

static int max_i(int a, int b)
{
    return a > b ? a : b;
}

static int min_i(int a, int b)
{
    return a < b ? a : b;
}

static int scale_of(int w, int h)
{
    int s = w < h ? w : h, l = w < h ? h : w;
    if ((long)l * 9 / 16 < s)
        s = (int)((long)l * 9 / 16);
    return max_i(s, 240);
}

void tw_layout_fonts(int w, int h, int px[F_NUM], bool bold[F_NUM])
{
    int s = scale_of(w, h);
    for (int f = 0; f < F_NUM; f++) {
        px[f] = max_i(s / font_spec[f].div, font_spec[f].min_px);
        if (bold)
            bold[f] = font_spec[f].bold;
    }
}

void tw_layout_compute(int w, int h, const int px[F_NUM], const bool bold[F_NUM],
                       const tw_metrics fm[F_NUM], int banner_rows, tw_layout *L)
{
    memset(L, 0, sizeof(*L));
    L->w = w;
    L->h = h;
    L->portrait = h > w;
    L->scale = scale_of(w, h);
    memcpy(L->font_px, px, sizeof(L->font_px));
    memcpy(L->font_bold, bold, sizeof(L->font_bold));
    memcpy(L->fm, fm, sizeof(L->fm));
    int s = L->scale, u = max_i(s / 40, 6);
    L->unit = u;
    L->margin = u;
    L->pad = u * 6 / 10;
    L->card_gap = max_i(u / 3, 3);
    L->radius = max_i(u / 3, 3);
    L->accent_w = max_i(u / 6, 3);
    L->meta_gap = max_i(u / 4, 2);
    L->rule_h = max_i(u / 12, 2);
    L->focus_w = max_i(u / 8, 2);
    L->icon = fm[F_META].height * 8 / 10;
    L->dot_d = max_i(px[F_STATUS] * 6 / 10, 6);
    L->more_h = fm[F_STRONG].height;
    L->shift = max_i(s / 360, 1);

    /* Header: the big clock with air above and below. */
    int head = max_i(s * 85 / 1000, fm[F_HEADER].height + u / 2);
    L->header = (tw_rect){0, 0, w, head};

    /* Warnings: one row each under the header. */
    if (banner_rows > 3)
        banner_rows = 3;
    L->banner_rows = banner_rows > 0 ? banner_rows : 0;
    L->banner_row_h = fm[F_BANNER].height + u * 2 / 3;
    L->banner = (tw_rect){0, head, w, banner_rows > 0 ? banner_rows * L->banner_row_h : 0};

    /* From the bottom: the learned line (two lines in portrait, where one
     * would cut both question and answer), then the figures strip. */
    L->learned_lines = L->portrait ? 2 : 1;
    int learned_h = L->learned_lines * fm[F_STATUS].skip + u * 2 / 3;
    L->learned = (tw_rect){L->margin, h - L->margin / 2 - learned_h, w - 2 * L->margin, learned_h};
    int tile_h = L->pad + fm[F_FIG_LABEL].height + fm[F_FIG_VALUE].height + L->pad;
    int strip_rows = L->portrait ? 2 : 1;
    int strip_h = strip_rows * tile_h + (strip_rows - 1) * L->card_gap;
    L->strip =
        (tw_rect){L->margin, L->learned.y - L->margin / 2 - strip_h, w - 2 * L->margin, strip_h};
    /* Tiles: time to clear, answered in 4 h, the 14-day chart, wins. */
    static const int weight[TW_TILES] = {10, 10, 17, 7};
    int gap = L->card_gap;
    if (!L->portrait) {
        int total = weight[0] + weight[1] + weight[2] + weight[3];
        int avail = L->strip.w - (TW_TILES - 1) * gap, x = L->strip.x;
        for (int t = 0; t < TW_TILES; t++) {
            int tw = t == TW_TILES - 1 ? L->strip.x + L->strip.w - x : avail * weight[t] / total;
            L->tile[t] = (tw_rect){x, L->strip.y, tw, tile_h};
            x += tw + gap;
        }
    } else {
        /* Two rows: the two ratios, then the chart and the wins. */
        int half = (L->strip.w - gap) / 2;
        L->tile[0] = (tw_rect){L->strip.x, L->strip.y, half, tile_h};
        L->tile[1] =
            (tw_rect){L->strip.x + half + gap, L->strip.y, L->strip.w - half - gap, tile_h};
        int y2 = L->strip.y + tile_h + gap, chart = (L->strip.w - gap) * 7 / 10;
        L->tile[2] = (tw_rect){L->strip.x, y2, chart, tile_h};
        L->tile[3] = (tw_rect){L->strip.x + chart + gap, y2, L->strip.w - chart - gap, tile_h};
    }

    int top = L->banner.y + L->banner.h + u * 2 / 3;
    L->board = (tw_rect){L->margin, top, w - 2 * L->margin, L->strip.y - u * 2 / 3 - top};
    L->section_head_h = fm[F_TITLE].height + u / 3 + L->rule_h + u / 2;
    L->empty_h = L->pad / 2 + fm[F_CARD].height;

    if (!L->portrait) {
        int cw = (L->board.w - 2 * L->margin) / TW_SECTIONS;
        for (int k = 0; k < TW_SECTIONS; k++)
            L->section[k] =
                (tw_rect){L->board.x + k * (cw + L->margin), L->board.y, cw, L->board.h};
    } else {
        for (int k = 0; k < TW_SECTIONS; k++)
            L->section[k] = (tw_rect){L->board.x, L->board.y, L->board.w, 0};
    }
    /* As many card columns as fit cards at least 12.5 em of card text wide:
     * one per section on a landscape 16:9 screen, two in portrait bands. */
    memcpy(L->section_base, L->section, sizeof(L->section_base));
    int min_w = px[F_CARD] * 25 / 2;
    L->card_cols = max_i(1, min_i(3, (L->section[0].w + L->card_gap) / (min_w + L->card_gap)));
    /* A compact card: its line (or the meta beside it) with a quarter of
     * its height above and below; a column of them at least 14 em of their type wide, so a
     * few words, the ref and the age share the line. */
    /* Its height is the line's times 1.5, not the line plus rounded pads:
     * proportional, so a larger screen of the same shape never fits fewer
     * rows than a smaller one (1280x720 showed more cards than 1080p). */
    L->compact_h = (max_i(fm[F_COMPACT].height, fm[F_META].height) * 3 + 1) / 2;
    L->compact_min_w = px[F_COMPACT] * 14;
    for (int k = 0; k < TW_SECTIONS; k++) {
        L->compact[k] = false;
        L->cols[k] = L->card_cols;
    }
}

/* Rows of height row_h that fit in h, gap between them, with room for the
 * "+N more" line under them when more_line. */
static int rows_fit(int h, int row_h, int gap, int more_h, bool more_line)
{
    if (more_line)
        h -= gap + more_h;
    return h < row_h ? 0 : (h + gap) / (row_h + gap);
}

int tw_layout_compact_fit(const tw_layout *L, int h, int cols, int total)
{
    cols = max_i(cols, 1);
    int all = rows_fit(h, L->compact_h, L->card_gap, L->more_h, false) * cols;
    if (all >= total)
        return total;
    return min_i(rows_fit(h, L->compact_h, L->card_gap, L->more_h, true) * cols, total);
}

/* How many of n full cards (heights h) the section's grid places. */
static int full_fit(const tw_layout *L, tw_rect area, const int *h, int measured, int total)
{
    if (total <= 0)
        return 0;
    int y = area.y, bottom = area.y + area.h, placed = 0, cols = max_i(L->card_cols, 1);
    while (placed < measured) {
        int row_n = min_i(cols, measured - placed), row_h = 0;
        for (int i = 0; i < row_n; i++)
            row_h = max_i(row_h, h[placed + i]);
        bool after = placed + row_n < total;
        if (y + row_h + (after ? L->card_gap + L->more_h : 0) > bottom)
            break;
        placed += row_n;
        y += row_h + L->card_gap;
    }
    return placed;
}

void tw_layout_density(tw_layout *L, const int total[TW_SECTIONS],
                       const int *const full_h[TW_SECTIONS], const int measured[TW_SECTIONS],
                       int shown[TW_SECTIONS])
{
    memcpy(L->section, L->section_base, sizeof(L->section));
    int area_h = max_i(L->board.h - L->section_head_h, 0);
    bool all = true;
    /* At full size, as the sections are. */
    for (int k = 0; k < TW_SECTIONS; k++) {
        L->compact[k] = false;
        L->cols[k] = L->card_cols;
        tw_rect area = tw_layout_cards_area(L, k);
        shown[k] = full_fit(L, area, full_h[k], measured[k], total[k]);
        all &= shown[k] >= total[k];
    }
    if (all)
        return;
    /* The crowded ones compact, in the widths they have. */
    all = true;
    for (int k = 0; k < TW_SECTIONS; k++) {
        if (shown[k] >= total[k])
            continue;
        L->compact[k] = true;
        L->cols[k] = max_i(1, (L->section[k].w + L->card_gap) / (L->compact_min_w + L->card_gap));
        shown[k] = tw_layout_compact_fit(L, area_h, L->cols[k], total[k]);
        all &= shown[k] >= total[k];
    }
    if (all)
        return;
    /* Still crowded: all compact, the board cut into columns shared by need. */
    int gap = L->card_gap, between = L->margin;
    int ncols = TW_SECTIONS;
    while (ncols < 64) {
        int c = ncols + 1;
        int w = (L->board.w - (TW_SECTIONS - 1) * between - (c - TW_SECTIONS) * gap) / c;
        if (w < L->compact_min_w)
            break;
        ncols = c;
    }
    /* Each next column to the section hiding the most cards (that one
     * more column shows more of), blockers first on a tie: the blockers
     * are what the wall is for. */
    int cols[TW_SECTIONS] = {1, 1, 1};
    for (int given = TW_SECTIONS; given < ncols; given++) {
        int best = -1, best_gain = 0, best_hidden = 0;
        for (int k = 0; k < TW_SECTIONS; k++) {
            int now_fit = tw_layout_compact_fit(L, area_h, cols[k], total[k]);
            int gain = tw_layout_compact_fit(L, area_h, cols[k] + 1, total[k]) - now_fit;
            int hidden = total[k] - now_fit;
            if (gain > 0 && (hidden > best_hidden || (hidden == best_hidden && gain > best_gain))) {
                best = k;
                best_gain = gain;
                best_hidden = hidden;
            }
        }
        if (best < 0)
            break; /* everything shows: the spare width goes to the widest need below */
        cols[best]++;
    }
    /* Spare columns (everything shows with fewer) widen the sections with
     * the most cards, so no section is narrower than it need be. */
    int used = cols[0] + cols[1] + cols[2];
    for (; used < ncols; used++) {
        int best = 0;
        for (int k = 1; k < TW_SECTIONS; k++)
            if (total[k] * cols[best] > total[best] * cols[k])
                best = k;
        cols[best]++;
    }
    int colw = (L->board.w - (TW_SECTIONS - 1) * between - (ncols - TW_SECTIONS) * gap) / ncols;
    int x = L->board.x;
    for (int k = 0; k < TW_SECTIONS; k++) {
        int w = cols[k] * colw + (cols[k] - 1) * gap;
        if (k == TW_SECTIONS - 1)
            w = L->board.x + L->board.w - x;
        L->section[k] = (tw_rect){x, L->board.y, w, L->board.h};
        x += w + between;
        L->compact[k] = true;
        L->cols[k] = cols[k];
        shown[k] = tw_layout_compact_fit(L, area_h, cols[k], total[k]);
    }
}

int tw_layout_card_w(const tw_layout *L)
{
    int cols = max_i(L->card_cols, 1);
    return (L->section_base[0].w - (cols - 1) * L->card_gap) / cols;
}

int tw_layout_card_text_w(const tw_layout *L)
{
    return tw_layout_card_w(L) - 2 * L->accent_w - 2 * L->pad;
}

int tw_layout_card_h(const tw_layout *L, int lines, bool claimed)
{
    const tw_metrics *fm = L->fm;
    int text = lines > 0 ? (lines - 1) * fm[F_CARD].skip + fm[F_CARD].height : 0;
    int meta = fm[F_META].height + (claimed ? fm[F_META].skip : 0);
    return L->pad + text + L->meta_gap + meta + L->pad;
}

tw_rect tw_layout_cards_area(const tw_layout *L, int s)
{
    tw_rect r = L->section[s];
    r.y += L->section_head_h;
    r.h -= L->section_head_h;
    if (r.h < 0)
        r.h = 0;
    return r;
}

size_t tw_layout_pack(tw_rect area, int cols, int gap, const int *heights, size_t n, int more_h,
                      tw_rect *out, int *more_y)
{
    cols = max_i(cols, 1);
    int cw = (area.w - (cols - 1) * gap) / cols;
    int y = area.y, bottom = area.y + area.h;
    size_t placed = 0;
    while (placed < n) {
        size_t row_n = n - placed < (size_t)cols ? n - placed : (size_t)cols;
        int row_h = 0;
        for (size_t i = 0; i < row_n; i++)
            row_h = max_i(row_h, heights[placed + i]);
        bool more_after = placed + row_n < n;
        int need = row_h + (more_after ? gap + more_h : 0);
        if (y + need > bottom)
            break;
        for (size_t i = 0; i < row_n; i++)
            out[placed + i] = (tw_rect){area.x + (int)i * (cw + gap), y, cw, heights[placed + i]};
        placed += row_n;
        y += row_h + gap;
    }
    if (more_y)
        *more_y = y;
    return placed;
}

int tw_layout_pack_height(int cols, int gap, const int *heights, size_t n)
{
    cols = max_i(cols, 1);
    int h = 0;
    for (size_t i = 0; i < n; i += (size_t)cols) {
        int row_h = 0;
        for (size_t k = i; k < n && k < i + (size_t)cols; k++)
            row_h = max_i(row_h, heights[k]);
        h += row_h + (i ? gap : 0);
    }
    return h;
}

int tw_layout_band_h(const tw_layout *L, const int *row_h, int r, int total)
{
    if (total <= 0)
        return L->section_head_h + L->empty_h;
    int h = L->section_head_h;
    for (int i = 0; i < r; i++)
        h += row_h[i] + (i ? L->card_gap : 0);
    if (r < total)
        h += (r ? L->card_gap : 0) + L->more_h;
    return h;
}

void tw_layout_bands(tw_layout *L, const int *const row_h[TW_SECTIONS],
                     const int measured[TW_SECTIONS], const int total[TW_SECTIONS])
{
    int gap = L->unit * 2 / 3;
    int avail = L->board.h - (TW_SECTIONS - 1) * gap;
    int shown[TW_SECTIONS], got[TW_SECTIONS], need = 0;
    for (int k = 0; k < TW_SECTIONS; k++) {
        shown[k] = total[k] > 0 && measured[k] > 0 ? 1 : 0;
        got[k] = tw_layout_band_h(L, row_h[k], shown[k], total[k]);
        need += got[k];
    }
    if (need > avail) {
        /* Not even a row each: equal shares, the packing shows what fits. */
        for (int k = 0; k < TW_SECTIONS; k++)
            got[k] = avail / TW_SECTIONS;
    } else {
        /* By need: each next row to the band with the most rows still
         * hidden that has room for it, blockers first on a tie. */
        for (;;) {
            int best = -1, best_h = 0;
            for (int k = 0; k < TW_SECTIONS; k++) {
                if (shown[k] >= measured[k])
                    continue;
                int h = tw_layout_band_h(L, row_h[k], shown[k] + 1, total[k]);
                if (need - got[k] + h > avail)
                    continue;
                if (best < 0 || total[k] - shown[k] > total[best] - shown[best]) {
                    best = k;
                    best_h = h;
                }
            }
            if (best < 0)
                break;
            need += best_h - got[best];
            got[best] = best_h;
            shown[best]++;
        }
        /* The rest is spread evenly, so the bands stay in rhythm. */
        int rest = avail - need;
        for (int k = 0; k < TW_SECTIONS; k++)
            got[k] += rest / TW_SECTIONS + (k == TW_SECTIONS - 1 ? rest % TW_SECTIONS : 0);
    }
    int y = L->board.y;
    for (int k = 0; k < TW_SECTIONS; k++) {
        L->section[k] = (tw_rect){L->board.x, y, L->board.w, got[k]};
        y += got[k] + gap;
    }
}

void tw_layout_bands_density(tw_layout *L, int *const row_h[TW_SECTIONS], int rows_cap,
                             int measured[TW_SECTIONS], int total[TW_SECTIONS],
                             const int n_items[TW_SECTIONS], const int measured_items[TW_SECTIONS])
{
    const int *rows[TW_SECTIONS];
    int cols = max_i(L->card_cols, 1);
    for (int k = 0; k < TW_SECTIONS; k++) {
        rows[k] = row_h[k];
        L->compact[k] = false;
        L->cols[k] = cols;
    }
    tw_layout_bands(L, rows, measured, total);
    bool again = false;
    int ccols = max_i(cols, (L->board.w + L->card_gap) / (L->compact_min_w + L->card_gap));
    for (int k = 0; k < TW_SECTIONS; k++) {
        int r = 0;
        while (r < measured[k] && tw_layout_band_h(L, rows[k], r + 1, total[k]) <= L->section[k].h)
            r++;
        if (r >= total[k])
            continue;
        int n = n_items[k], m = measured_items[k] < n ? measured_items[k] : n;
        total[k] = (n + ccols - 1) / ccols;
        measured[k] = min_i((m + ccols - 1) / ccols, rows_cap);
        for (int i = 0; i < measured[k]; i++)
            row_h[k][i] = L->compact_h;
        L->compact[k] = true;
        L->cols[k] = ccols;
        again = true;
    }
    if (again)
        tw_layout_bands(L, rows, measured, total);
}

void tw_layout_detail(const tw_layout *L, int n_buttons, int content_h, tw_detail_layout *out)
{
    memset(out, 0, sizeof(*out));
    int w = L->portrait ? L->w * 9 / 10 : L->w * 64 / 100;
    int pad = L->unit;
    out->pad = pad;
    if (n_buttons > 4)
        n_buttons = 4;
    out->n_buttons = n_buttons;
    /* Buttons: touch targets at least 1.4 cm tall on a 43" panel, and two
     * lines of button text on small screens. */
    int bh = max_i(L->fm[F_BUTTON].height + L->unit, L->fm[F_BUTTON].height * 2);
    int gap = L->unit / 2;
    int chrome = 2 * pad + bh + gap + L->accent_w * 2;
    int h = content_h + chrome;
    int max_h = L->portrait ? L->h * 62 / 100 : L->h * 84 / 100;
    h = min_i(max_i(h, L->h / 3), max_h);
    out->max_body_h = max_h - chrome;
    out->panel = (tw_rect){(L->w - w) / 2, (L->h - h) / 2, w, h};
    int bw = n_buttons ? (w - 2 * pad - (n_buttons - 1) * gap) / n_buttons : 0;
    int by = out->panel.y + h - pad - bh;
    for (int i = 0; i < n_buttons; i++)
        out->button[i] = (tw_rect){out->panel.x + pad + i * (bw + gap), by, bw, bh};
    out->body = (tw_rect){out->panel.x + pad, out->panel.y + pad + L->accent_w * 2, w - 2 * pad,
                          by - gap - out->panel.y - pad - L->accent_w * 2};
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static int cmp_left(const void *a, const void *b)
{
    return cmp_int(&((const tw_rect *)a)->x, &((const tw_rect *)b)->x);
}

size_t tw_layout_uncovered(tw_rect area, const tw_rect *rects, size_t n, tw_rect **out, size_t *cap)
{
    if (area.w <= 0 || area.h <= 0)
        return 0;
    int ax1 = area.x + area.w, ay1 = area.y + area.h;
    tw_rect *c = tw_xmalloc((n + 1) * sizeof(*c)), *in = tw_xmalloc((n + 1) * sizeof(*in));
    int *ys = tw_xmalloc((2 * n + 2) * sizeof(*ys));
    size_t m = 0, k = 0;
    ys[k++] = area.y;
    ys[k++] = ay1;
    for (size_t i = 0; i < n; i++) {
        int x0 = max_i(rects[i].x, area.x), y0 = max_i(rects[i].y, area.y);
        int x1 = min_i(rects[i].x + rects[i].w, ax1), y1 = min_i(rects[i].y + rects[i].h, ay1);
        if (x0 >= x1 || y0 >= y1)
            continue;
        c[m++] = (tw_rect){x0, y0, x1 - x0, y1 - y0};
        ys[k++] = y0;
        ys[k++] = y1;
    }
    qsort(ys, k, sizeof(*ys), cmp_int);
    /* At most m + 1 runs in each of at most 2m + 1 bands. */
    size_t most = (2 * m + 1) * (m + 1);
    if (*cap < most) {
        *cap = most;
        *out = tw_xrealloc(*out, most * sizeof(**out));
    }
    tw_rect *o = *out;
    size_t count = 0;
    for (size_t b = 0; b + 1 < k; b++) {
        int ya = ys[b], yb = ys[b + 1];
        if (ya == yb)
            continue;
        /* The rects across this band (bands are cut at every edge, so a
         * rect that reaches into the band covers all of it), left first. */
        size_t ni = 0;
        for (size_t i = 0; i < m; i++)
            if (c[i].y < yb && c[i].y + c[i].h > ya)
                in[ni++] = c[i];
        qsort(in, ni, sizeof(*in), cmp_left);
        int x = area.x;
        for (size_t i = 0; i <= ni; i++) {
            int end = i < ni ? in[i].x : ax1;
            if (end > x) {
                /* Merge with the run just above with the same edges: the
                 * runs ending at ya are the band above's, disjoint. */
                size_t j = 0;
                while (j < count && !(o[j].x == x && o[j].w == end - x && o[j].y + o[j].h == ya))
                    j++;
                if (j < count)
                    o[j].h += yb - ya;
                else
                    o[count++] = (tw_rect){x, ya, end - x, yb - ya};
            }
            if (i < ni)
                x = max_i(x, in[i].x + in[i].w);
        }
    }
    free(c);
    free(in);
    free(ys);
    return count;
}

bool tw_rect_inside(tw_rect a, tw_rect b)
{
    return a.x >= b.x && a.y >= b.y && a.x + a.w <= b.x + b.w && a.y + a.h <= b.y + b.h;
}

bool tw_rect_overlap(tw_rect a, tw_rect b)
{
    return a.w > 0 && a.h > 0 && b.w > 0 && b.h > 0 && a.x < b.x + b.w && b.x < a.x + a.w &&
           a.y < b.y + b.h && b.y < a.y + a.h;
}

bool tw_rect_has(tw_rect r, int x, int y)
{
    return x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;
}
