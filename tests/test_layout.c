/* SPDX-License-Identifier: MIT */
/*
 * The layout maths over the range of screens (800x480 to 3840x2160, both
 * orientations, odd sizes) with 0-3 warning rows: every region on the screen
 * and in its order, tiles inside the strip, sections inside the board,
 * nothing overlapping; type sizes from the screen; card packing and portrait
 * bands by whole rows; the detail view's panel and buttons; the wall around
 * a set of rects, each of its pixels once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "layout.h"
#include "util.h"

/* Metrics as Inter's at px: ascent 0.97 em, height 1.21 em. */
static void metrics(const int px[F_NUM], tw_metrics fm[F_NUM])
{
    for (int f = 0; f < F_NUM; f++)
        fm[f] = (tw_metrics){px[f] * 97 / 100, px[f] * 121 / 100, px[f] * 121 / 100};
}

static void make(int w, int h, int rows, tw_layout *L)
{
    int px[F_NUM];
    bool bold[F_NUM];
    tw_metrics fm[F_NUM];
    tw_layout_fonts(w, h, px, bold);
    metrics(px, fm);
    tw_layout_compute(w, h, px, bold, fm, rows, L);
}

static bool on_screen(const tw_layout *L, tw_rect r)
{
    return tw_rect_inside(r, (tw_rect){0, 0, L->w, L->h}) && r.w >= 0 && r.h >= 0;
}

static void test_sizes(void)
{
    static const int sizes[][2] = {{800, 480},   {480, 800},   {1024, 600},  {1280, 720},
                                   {1280, 1024}, {1366, 768},  {1920, 1080}, {1080, 1920},
                                   {2560, 1080}, {2560, 1440}, {3840, 2160}, {2160, 3840},
                                   {1024, 768},  {768, 1024},  {1920, 1200}, {720, 1280}};
    int bad = 0;
    for (size_t i = 0; i < TW_ARRAY_LEN(sizes); i++) {
        for (int rows = 0; rows <= 3; rows++) {
            tw_layout L;
            make(sizes[i][0], sizes[i][1], rows, &L);
            bool ok = on_screen(&L, L.header) && on_screen(&L, L.board) && on_screen(&L, L.strip) &&
                      on_screen(&L, L.learned) && (rows == 0 || on_screen(&L, L.banner));
            ok = ok && L.header.y + L.header.h <= L.banner.y + (rows ? 0 : 1) &&
                 L.banner.y + L.banner.h <= L.board.y && L.board.y + L.board.h <= L.strip.y &&
                 L.strip.y + L.strip.h <= L.learned.y;
            ok = ok && L.banner_rows == rows && L.portrait == (sizes[i][1] > sizes[i][0]);
            for (int t = 0; t < TW_TILES; t++) {
                ok = ok && tw_rect_inside(L.tile[t], L.strip) && L.tile[t].w > 0;
                for (int u = t + 1; u < TW_TILES; u++)
                    ok = ok && !tw_rect_overlap(L.tile[t], L.tile[u]);
            }
            if (!L.portrait) {
                for (int k = 0; k < TW_SECTIONS; k++) {
                    ok = ok && tw_rect_inside(L.section[k], L.board);
                    for (int j = k + 1; j < TW_SECTIONS; j++)
                        ok = ok && !tw_rect_overlap(L.section[k], L.section[j]);
                }
                /* A three-line claimed card fits under a section's title. */
                ok = ok && tw_layout_cards_area(&L, 0).h >= tw_layout_card_h(&L, 3, true);
            }
            ok = ok && tw_layout_card_text_w(&L) > 8 * L.font_px[F_CARD] && L.card_cols >= 1;
            if (!ok) {
                fprintf(stderr, "%dx%d with %d rows: bad layout\n", sizes[i][0], sizes[i][1], rows);
                bad++;
            }
        }
    }
    CHECK_EQ_INT(bad, 0);
}

static void test_type(void)
{
    tw_layout L;
    make(1920, 1080, 0, &L);
    CHECK_EQ_INT(L.font_px[F_CARD], 40); /* 14 mm capitals on a 43" panel */
    CHECK_EQ_INT(L.card_cols, 1);
    make(3840, 2160, 0, &L);
    CHECK_EQ_INT(L.font_px[F_CARD], 80);
    make(1080, 1920, 0, &L); /* the same panel turned: the same type, two columns */
    CHECK_EQ_INT(L.font_px[F_CARD], 40);
    CHECK_EQ_INT(L.card_cols, 2);
    CHECK_EQ_INT(L.learned_lines, 2);
    make(800, 480, 0, &L); /* the 7" screen: floors */
    CHECK_EQ_INT(L.font_px[F_CARD], 16);
    CHECK(L.font_px[F_META] >= 12);
    make(1280, 1024, 0, &L); /* squarish: capped by 9/16 of the width */
    CHECK_EQ_INT(L.scale, 720);
}

static void test_pack(void)
{
    tw_rect area = {10, 100, 300, 500};
    int heights[10] = {100, 120, 90, 200, 100, 100, 100, 100, 100, 100};
    tw_rect out[10];
    int more_y = 0;
    /* One column: 100+120+90 with gaps of 10 fit (330); 200 more would not
     * leave room for the +N line of 30. */
    size_t n = tw_layout_pack(area, 1, 10, heights, 10, 30, out, &more_y);
    CHECK_EQ_INT(n, 3);
    CHECK_EQ_INT(out[2].y, 100 + 100 + 10 + 120 + 10);
    CHECK_EQ_INT(more_y, out[2].y + 90 + 10);
    CHECK(more_y + 30 <= area.y + area.h);
    /* All fit: no room kept for a line that is not needed (100 + 120 + 90 +
     * 150 and the gaps make 490 of 500; with the +N line they would not). */
    int four[4] = {100, 120, 90, 150};
    n = tw_layout_pack(area, 1, 10, four, 4, 30, out, &more_y);
    CHECK_EQ_INT(n, 4);
    /* Two columns: rows as tall as their tallest card, each card as tall as
     * itself (a one-line card is not stretched to its neighbour's height). */
    n = tw_layout_pack(area, 2, 10, heights, 10, 30, out, &more_y);
    CHECK_EQ_INT(n, 6);
    CHECK_EQ_INT(out[0].h, heights[0]);
    CHECK_EQ_INT(out[1].h, heights[1]);
    CHECK_EQ_INT(out[1].h, 120);
    CHECK_EQ_INT(out[2].y, 100 + 120 + 10);
    CHECK_EQ_INT(out[1].x, 10 + 145 + 10);
    for (size_t i = 0; i < n; i++)
        CHECK(tw_rect_inside(out[i], area));
    CHECK_EQ_INT(tw_layout_pack_height(2, 10, heights, 4), 120 + 10 + 200);
    CHECK_EQ_INT(tw_layout_pack(area, 1, 10, heights, 0, 30, out, &more_y), 0);
}

/* Every pixel of area once: covered by a rect or by exactly one of out. */
static void check_cover(tw_rect area, const tw_rect *rects, size_t n, const tw_rect *out, size_t m)
{
    for (int y = area.y; y < area.y + area.h; y++)
        for (int x = area.x; x < area.x + area.w; x++) {
            int in = 0, hits = 0;
            for (size_t i = 0; i < n; i++)
                in |= tw_rect_has(rects[i], x, y);
            for (size_t i = 0; i < m; i++)
                hits += tw_rect_has(out[i], x, y);
            if (hits != !in) {
                fprintf(stderr, "pixel %d,%d: covered %d, painted %d times\n", x, y, in, hits);
                CHECK(false);
                return;
            }
        }
    for (size_t i = 0; i < m; i++)
        CHECK(out[i].w > 0 && out[i].h > 0 && tw_rect_inside(out[i], area));
}

static void test_uncovered(void)
{
    tw_rect *out = NULL;
    size_t cap = 0;
    /* Nothing to go around: the area itself. */
    tw_rect area = {0, 10, 100, 50};
    CHECK_EQ_INT(tw_layout_uncovered(area, NULL, 0, &out, &cap), 1);
    CHECK(out[0].x == 0 && out[0].y == 10 && out[0].w == 100 && out[0].h == 50);

    /* Two columns of cards with a gap, a strip across the bottom, a rect
     * partly outside: the wall between and around them, runs with the same
     * edges merged (right of the cards, one rect down three bands). */
    tw_rect r[] = {
        {10, 20, 30, 10}, {10, 32, 30, 8}, {60, 20, 30, 15}, {5, 50, 90, 10}, {-20, 0, 25, 15}};
    size_t n = sizeof(r) / sizeof(r[0]);
    size_t m = tw_layout_uncovered(area, r, n, &out, &cap);
    check_cover(area, r, n, out, m);
    int right = 0;
    for (size_t i = 0; i < m; i++)
        right += out[i].x == 90 && out[i].w == 10 && out[i].y == 20 && out[i].h == 15;
    CHECK_EQ_INT(right, 1);
    CHECK(m <= 14);

    /* Random boards: always exact. */
    srand(7);
    for (int t = 0; t < 200; t++) {
        tw_rect rr[12];
        size_t k = (size_t)(rand() % 12);
        for (size_t i = 0; i < k; i++)
            rr[i] = (tw_rect){rand() % 120 - 10, rand() % 80, rand() % 40 + 1, rand() % 30 + 1};
        m = tw_layout_uncovered(area, rr, k, &out, &cap);
        check_cover(area, rr, k, out, m);
    }
    tw_rect empty = {0, 0, 0, 10};
    CHECK_EQ_INT(tw_layout_uncovered(empty, r, n, &out, &cap), 0);
    free(out);
}

static void test_bands(void)
{
    tw_layout L;
    make(1080, 1920, 0, &L);
    /* Blockers: many rows; questions: one row; wins: none. */
    int b[8] = {200, 200, 200, 200, 200, 200, 200, 200}, q[1] = {150};
    const int *rows[TW_SECTIONS] = {b, q, NULL};
    int measured[TW_SECTIONS] = {8, 1, 0}, total[TW_SECTIONS] = {20, 1, 0};
    tw_layout_bands(&L, rows, measured, total);
    int bottom = L.board.y;
    for (int k = 0; k < TW_SECTIONS; k++) {
        CHECK(tw_rect_inside(L.section[k], L.board));
        CHECK(L.section[k].y >= bottom);
        bottom = L.section[k].y + L.section[k].h;
    }
    /* The questions and the empty wins get what they need; the blockers
     * get the rest, in whole rows. */
    CHECK(L.section[1].h >= tw_layout_band_h(&L, q, 1, 1));
    CHECK(L.section[2].h >= tw_layout_band_h(&L, NULL, 0, 0));
    CHECK(L.section[0].h > L.section[1].h);
    /* The blockers get every row that fits beside the others' needs. */
    int gap = L.unit * 2 / 3;
    int avail =
        L.board.h - 2 * gap - tw_layout_band_h(&L, q, 1, 1) - tw_layout_band_h(&L, NULL, 0, 0);
    int fit = 0;
    while (fit < 8 && tw_layout_band_h(&L, b, fit + 1, 20) <= avail)
        fit++;
    CHECK(fit >= 3);
    CHECK(L.section[0].h >= tw_layout_band_h(&L, b, fit, 20));
    CHECK(L.section[0].h < tw_layout_band_h(&L, b, fit + 1, 20) + (L.board.h / 3));
}

static void test_detail(void)
{
    static const int sizes[][2] = {{800, 480}, {1920, 1080}, {1080, 1920}, {3840, 2160}};
    for (size_t i = 0; i < TW_ARRAY_LEN(sizes); i++) {
        tw_layout L;
        make(sizes[i][0], sizes[i][1], 0, &L);
        for (int content = 0; content <= 4000; content += 400) {
            tw_detail_layout D;
            tw_layout_detail(&L, 3, content, &D);
            CHECK(on_screen(&L, D.panel));
            CHECK(tw_rect_inside(D.body, D.panel));
            CHECK(D.body.h >= 0);
            for (int b = 0; b < 3; b++) {
                CHECK(tw_rect_inside(D.button[b], D.panel));
                CHECK(!tw_rect_overlap(D.button[b], D.body));
                CHECK(D.button[b].h >= L.fm[F_BUTTON].height);
            }
            CHECK(!tw_rect_overlap(D.button[0], D.button[1]));
        }
    }
    tw_rect r = {10, 10, 5, 5};
    CHECK(tw_rect_has(r, 10, 10));
    CHECK(!tw_rect_has(r, 15, 10));
}

/* ---- density (PRODUCT.md, "A crowded wall") ---- */

/* A full card of this layout: two lines of text, every third claimed. */
static int full_card_h(const tw_layout *L, int i)
{
    return tw_layout_card_h(L, 1 + (i % 3 == 0), i % 3 == 1);
}

typedef struct plan {
    int shown[TW_SECTIONS]; /* cards placed */
    int hidden[TW_SECTIONS];
    tw_rect cards[TW_SECTIONS][400];
} plan;

#define MAX_ITEMS 400

/* Lay out n[k] cards per section as the screen does (landscape: density
 * over full heights; portrait: bands with density), then pack each
 * section's grid with its mode and columns. */
static void lay_out(tw_layout *L, const int n[TW_SECTIONS], plan *p)
{
    static int full[TW_SECTIONS][MAX_ITEMS], heights[MAX_ITEMS];
    static int rows_buf[TW_SECTIONS][MAX_ITEMS];
    int measured[TW_SECTIONS], total[TW_SECTIONS];
    for (int k = 0; k < TW_SECTIONS; k++)
        for (int i = 0; i < n[k] && i < MAX_ITEMS; i++)
            full[k][i] = full_card_h(L, i);
    if (!L->portrait) {
        const int *fh[TW_SECTIONS] = {full[0], full[1], full[2]};
        int shown[TW_SECTIONS];
        for (int k = 0; k < TW_SECTIONS; k++)
            measured[k] = n[k] < MAX_ITEMS ? n[k] : MAX_ITEMS;
        tw_layout_density(L, n, fh, measured, shown);
    } else {
        int cols = L->card_cols > 0 ? L->card_cols : 1, items[TW_SECTIONS], kept[TW_SECTIONS];
        int *rows[TW_SECTIONS] = {rows_buf[0], rows_buf[1], rows_buf[2]};
        for (int k = 0; k < TW_SECTIONS; k++) {
            int m = n[k] < MAX_ITEMS ? n[k] : MAX_ITEMS;
            total[k] = (n[k] + cols - 1) / cols;
            measured[k] = m < n[k] ? m / cols : (m + cols - 1) / cols;
            for (int r = 0; r < measured[k]; r++) {
                rows[k][r] = 0;
                for (int i = r * cols; i < m && i < (r + 1) * cols; i++)
                    rows[k][r] = rows[k][r] > full[k][i] ? rows[k][r] : full[k][i];
            }
            items[k] = n[k];
            kept[k] = m;
        }
        tw_layout_bands_density(L, rows, MAX_ITEMS, measured, total, items, kept);
    }
    for (int k = 0; k < TW_SECTIONS; k++) {
        int m = n[k] < MAX_ITEMS ? n[k] : MAX_ITEMS;
        for (int i = 0; i < m; i++)
            heights[i] = L->compact[k] ? L->compact_h : full[k][i];
        int more_y;
        p->shown[k] = (int)tw_layout_pack(tw_layout_cards_area(L, k), L->cols[k], L->card_gap,
                                          heights, (size_t)m, L->more_h, p->cards[k], &more_y);
        p->hidden[k] = n[k] - p->shown[k];
    }
}

static void test_density_sizes(void)
{
    /* Every size from the 7" screen to 4K in steps, both orientations. */
    static const int mixes[][TW_SECTIONS] = {{30, 20, 15}, {0, 0, 0},       {3, 2, 1},   {40, 0, 0},
                                             {2, 2, 60},   {100, 100, 100}, {12, 12, 12}};
    int bad = 0, checked = 0;
    for (int w = 800; w <= 3840; w += 160) {
        for (int h = 480; h <= 2160; h += 120) {
            for (int turn = 0; turn < 2; turn++) {
                int W = turn ? h : w, H = turn ? w : h;
                for (size_t m = 0; m < TW_ARRAY_LEN(mixes); m++) {
                    tw_layout L;
                    make(W, H, (int)(m % 3), &L);
                    static plan p;
                    lay_out(&L, mixes[m], &p);
                    checked++;
                    bool ok = true;
                    for (int k = 0; k < TW_SECTIONS; k++) {
                        tw_rect area = tw_layout_cards_area(&L, k);
                        ok = ok && tw_rect_inside(L.section[k], L.board);
                        for (int j = k + 1; j < TW_SECTIONS; j++)
                            ok = ok && !tw_rect_overlap(L.section[k], L.section[j]);
                        for (int i = 0; i < p.shown[k]; i++) {
                            tw_rect c = p.cards[k][i];
                            /* Nothing clipped: inside its section, on the screen. */
                            ok = ok && tw_rect_inside(c, area) && on_screen(&L, c) && c.w > 0;
                            for (int i2 = i + 1; i2 < p.shown[k]; i2++)
                                ok = ok && !tw_rect_overlap(c, p.cards[k][i2]);
                        }
                        /* The first ever shown: the oldest, most escalated
                         * (the screen's order), unless the section has no
                         * room at all. */
                        ok = ok && (mixes[m][k] == 0 || p.shown[k] > 0 || area.h < L.compact_h);
                        if (p.hidden[k] > 0) {
                            /* No space wasted while items hide: compact, and
                             * not another row's room left under the grid. */
                            int used = 0;
                            for (int i = 0; i < p.shown[k]; i++) {
                                tw_rect c = p.cards[k][i];
                                if (c.y + c.h - area.y > used)
                                    used = c.y + c.h - area.y;
                            }
                            int rest = area.h - used - L.card_gap - L.more_h;
                            ok = ok && L.compact[k] && rest < L.compact_h + L.card_gap;
                        }
                    }
                    if (!ok && bad++ < 10)
                        fprintf(stderr,
                                "density %dx%d mix %zu: a card outside, overlapping or "
                                "space wasted\n",
                                W, H, m);
                }
            }
        }
    }
    CHECK_EQ_INT(bad, 0);
    CHECK(checked > 1000);
    printf("density: %d layouts checked\n", checked);
}

static void test_density_cases(void)
{
    tw_layout L;
    static plan p;
    /* 1920x1080, 30 blockers, 20 questions, 15 wins: at least 12 blockers. */
    make(1920, 1080, 0, &L);
    int busy[TW_SECTIONS] = {30, 20, 15};
    lay_out(&L, busy, &p);
    printf("1920x1080 30/20/15: %d %d %d shown, columns %d %d %d\n", p.shown[0], p.shown[1],
           p.shown[2], L.cols[0], L.cols[1], L.cols[2]);
    CHECK(p.shown[0] >= 12);
    CHECK(L.compact[0]);
    /* Columns by need: the blockers' section is the widest. */
    CHECK(L.section[0].w > L.section[2].w);
    CHECK(p.shown[1] + p.shown[2] > 0);
    /* A quiet wall keeps full cards in equal columns. */
    int quiet[TW_SECTIONS] = {2, 1, 3};
    lay_out(&L, quiet, &p);
    CHECK(!L.compact[0] && !L.compact[1] && !L.compact[2]);
    CHECK_EQ_INT(p.shown[0] + p.shown[1] + p.shown[2], 6);
    CHECK_EQ_INT(L.section[0].w, L.section[1].w);
    /* Only the crowded section goes compact when that is enough. */
    int one[TW_SECTIONS] = {1, 9, 1};
    lay_out(&L, one, &p);
    CHECK(!L.compact[0] && L.compact[1] && !L.compact[2]);
    CHECK_EQ_INT(p.shown[1], 9);
    /* The same screen larger shows at least as much: 1280x720 showed more
     * cards than 1920x1080 did. (Only for exact multiples: type sizes are
     * whole pixels, so 1366x768 against 1920x1080 may differ by a row.) */
    static const int pairs[][4] = {{1280, 720, 1920, 1080},
                                   {1920, 1080, 3840, 2160},
                                   {800, 480, 1600, 960},
                                   {960, 540, 1920, 1080}};
    static const int mixes[][TW_SECTIONS] = {{30, 20, 15}, {14, 14, 12}, {5, 5, 5}, {40, 2, 0}};
    for (size_t i = 0; i < TW_ARRAY_LEN(pairs); i++) {
        for (size_t m = 0; m < TW_ARRAY_LEN(mixes); m++) {
            tw_layout a, b;
            static plan pa, pb;
            make(pairs[i][0], pairs[i][1], 0, &a);
            make(pairs[i][2], pairs[i][3], 0, &b);
            lay_out(&a, mixes[m], &pa);
            lay_out(&b, mixes[m], &pb);
            int sa = pa.shown[0] + pa.shown[1] + pa.shown[2];
            int sb = pb.shown[0] + pb.shown[1] + pb.shown[2];
            if (sb < sa)
                fprintf(stderr, "%dx%d shows %d, %dx%d only %d (mix %zu)\n", pairs[i][0],
                        pairs[i][1], sa, pairs[i][2], pairs[i][3], sb, m);
            CHECK(sb >= sa);
        }
    }
}

int main(void)
{
    test_sizes();
    test_type();
    test_pack();
    test_uncovered();
    test_bands();
    test_detail();
    test_density_sizes();
    test_density_cases();
    return check_done();
}
