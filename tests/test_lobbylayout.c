/* SPDX-License-Identifier: MIT */
/*
 * The lobby's bands (ui/lobbylayout.c), pure: for every landscape size from
 * 800x480 to 3840x2160 with 0 to 3 warning rows and 1 to 8 teams, each band's
 * gutter and sections lie on the screen under the banner, side by side and
 * not overlapping each other or another band; bands keep their order, share
 * the height evenly and are at least as tall as the capacity promises; the
 * capacity never grows with more warning rows, and a portrait screen holds
 * none. Metrics are the fonts' approximated (no SDL), as in test_layout.c.
 */
#include <stdio.h>

#include "check.h"
#include "layout.h"
#include "lobbylayout.h"
#include "teams.h"

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

static bool on_screen(tw_rect r, const tw_layout *L)
{
    return r.x >= 0 && r.y >= L->banner.y + L->banner.h && r.x + r.w <= L->w && r.y + r.h <= L->h &&
           r.w > 0 && r.h > 0;
}

int main(void)
{
    static const int sizes[][2] = {{800, 480},   {1024, 600},  {1280, 720},  {1280, 800},
                                   {1366, 768},  {1920, 1080}, {1920, 1200}, {2560, 1080},
                                   {2560, 1440}, {3840, 2160}};
    int layouts = 0, bad = 0;
    for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
        int prev_cap = TW_TEAMS_MAX + 1;
        for (int rows = 0; rows <= 3; rows++) {
            tw_layout full;
            make(sizes[s][0], sizes[s][1], rows, &full);
            int cap = tw_lobby_capacity(&full, TW_TEAMS_MAX);
            CHECK(cap <= prev_cap);
            prev_cap = cap;
            if (rows == 0)
                printf("%dx%d: %d teams\n", sizes[s][0], sizes[s][1], cap);
            for (int n = 1; n <= TW_TEAMS_MAX; n++) {
                tw_rect prev = {0, 0, 0, 0};
                int first_h = -1;
                for (int i = 0; i < n; i++) {
                    tw_layout b;
                    tw_rect g;
                    tw_lobby_layout(&full, n, i, &b, &g);
                    layouts++;
                    if (n > cap && b.board.h <= b.section_head_h)
                        continue; /* past the capacity a band may be too short: refused */
                    bool ok = on_screen(g, &full) && on_screen(b.board, &full) &&
                              !tw_rect_overlap(g, b.board) && g.x + g.w <= b.board.x && !b.portrait;
                    for (int k = 0; k < TW_SECTIONS; k++) {
                        ok = ok && tw_rect_inside(b.section[k], b.board);
                        for (int j = 0; j < k; j++)
                            ok = ok && !tw_rect_overlap(b.section[k], b.section[j]);
                    }
                    /* In order, below the one before, as tall as the first. */
                    if (i > 0)
                        ok = ok && g.y >= prev.y + prev.h && !tw_rect_overlap(g, prev);
                    if (first_h < 0)
                        first_h = g.h;
                    ok = ok && g.h == first_h && b.board.h == g.h;
                    /* Within the capacity: two compact rows in every section. */
                    if (n <= cap)
                        ok = ok &&
                             tw_layout_compact_fit(&b, b.board.h - b.section_head_h, 1, 1 << 20) >=
                                 TW_LOBBY_MIN_ROWS &&
                             b.section[0].w >= full.compact_min_w;
                    if (!ok) {
                        bad++;
                        if (bad < 10)
                            fprintf(stderr, "%dx%d rows %d: band %d of %d is wrong\n", sizes[s][0],
                                    sizes[s][1], rows, i, n);
                    }
                    prev = g;
                }
            }
        }
    }
    /* Portrait: none, whatever the size. */
    static const int tall[][2] = {{480, 800}, {720, 1280}, {1080, 1920}, {2160, 3840}};
    for (size_t s = 0; s < sizeof(tall) / sizeof(tall[0]); s++) {
        tw_layout full;
        make(tall[s][0], tall[s][1], 0, &full);
        CHECK_EQ_INT(tw_lobby_capacity(&full, TW_TEAMS_MAX), 0);
    }
    printf("%d band layouts checked\n", layouts);
    CHECK_EQ_INT(bad, 0);
    return check_done();
}
