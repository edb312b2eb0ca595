/* SPDX-License-Identifier: MIT */
/*
 * [display] rotate (ui/rotate.c) with the real SDL software renderer: for
 * 90, 180 and 270 degrees the screen shows exactly the board an unrotated
 * screen of the turned size shows, turned (screenshots compared pixel by
 * pixel after turning one in memory), the 90 degree picture matches
 * tests/ref/wall_rotate_90.png, and a touch or a click where a card shows
 * on the turned screen finds that card. The mapping itself is checked
 * corner by corner.
 */
#define _POSIX_C_SOURCE 200809L
#include <SDL.h>
#include <SDL_image.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "openitems.h"
#include "pngcmp.h"
#include "refcheck.h"
#include "render.h"
#include "rotate.h"
#include "wallfix.h"

static char font_dir[8192], tmp_dir[4096], src_dir[4096];
static wallfix wall;

static tw_ui *open_ui(int w, int h, int rotate)
{
    tw_ui_options opt = {
        .width = w, .height = h, .headless = true, .font_dir = font_dir, .rotate = rotate};
    tw_ui *ui = NULL;
    CHECK_EQ_INT(tw_ui_create(&opt, &ui), 0);
    return ui;
}

/* The screen point where the board point (bx, by) shows: the inverse of
 * tw_rotate_to_board(), written out independently. */
static void board_to_screen(int deg, int ow, int oh, int bx, int by, int *px, int *py)
{
    int bw = (deg == 90 || deg == 270) ? oh : ow, bh = (deg == 90 || deg == 270) ? ow : oh;
    switch (deg) {
    case 90: *px = bh - 1 - by, *py = bx; break;
    case 180: *px = bw - 1 - bx, *py = bh - 1 - by; break;
    case 270: *px = by, *py = bw - 1 - bx; break;
    default: *px = bx, *py = by; break;
    }
}

static void test_mapping(void)
{
    static const int degs[] = {0, 90, 180, 270};
    for (size_t i = 0; i < 4; i++) {
        tw_rotate *r = tw_rotate_create(degs[i]);
        int bw, bh;
        tw_rotate_board_size(r, 800, 480, &bw, &bh);
        CHECK_EQ_INT(bw, degs[i] % 180 ? 480 : 800);
        CHECK_EQ_INT(bh, degs[i] % 180 ? 800 : 480);
        /* Every corner and a middle point go back where they came from. */
        const int pts[][2] = {{0, 0}, {bw - 1, 0}, {0, bh - 1}, {bw - 1, bh - 1}, {123, 45}};
        for (size_t k = 0; k < 5; k++) {
            int px, py, x, y;
            board_to_screen(degs[i], 800, 480, pts[k][0], pts[k][1], &px, &py);
            CHECK(px >= 0 && px < 800 && py >= 0 && py < 480);
            tw_rotate_to_board(r, 800, 480, px, py, &x, &y);
            CHECK_EQ_INT(x, pts[k][0]);
            CHECK_EQ_INT(y, pts[k][1]);
        }
        tw_rotate_destroy(r);
    }
    /* 90: the board's top left corner is at the screen's top right. */
    tw_rotate *r = tw_rotate_create(90);
    int x, y;
    tw_rotate_to_board(r, 800, 480, 799, 0, &x, &y);
    CHECK_EQ_INT(x, 0);
    CHECK_EQ_INT(y, 0);
    tw_rotate_destroy(r);
    r = tw_rotate_create(45); /* not a rotation: none */
    CHECK_EQ_INT(tw_rotate_degrees(r), 0);
    tw_rotate_destroy(r);
}

/* Turn the PNG at in by deg clockwise into out. */
static int turn_png(const char *in, int deg, const char *out)
{
    SDL_Surface *raw = IMG_Load(in);
    SDL_Surface *a = raw ? SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_RGBA32, 0) : NULL;
    SDL_FreeSurface(raw);
    if (!a)
        return -1;
    int w = deg % 180 ? a->h : a->w, h = deg % 180 ? a->w : a->h;
    SDL_Surface *b = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_RGBA32);
    for (int y = 0; y < a->h; y++) {
        for (int x = 0; x < a->w; x++) {
            int px, py;
            board_to_screen(deg, w, h, x, y, &px, &py);
            memcpy((char *)b->pixels + py * b->pitch + px * 4,
                   (char *)a->pixels + y * a->pitch + x * 4, 4);
        }
    }
    int rc = IMG_SavePNG(b, out);
    SDL_FreeSurface(a);
    SDL_FreeSurface(b);
    return rc;
}

static void test_turned(int deg, int ow, int oh)
{
    tw_view v = {.team = "platform", .now = wall.now, .online = true};
    v.board = wall.board;
    v.items = open_items(wall.board, &v.count);
    v.figures = tw_digest_figures(wall.digest);
    v.learned = tw_digest_learned(wall.digest, &v.n_learned);

    int bw = deg % 180 ? oh : ow, bh = deg % 180 ? ow : oh;
    tw_ui *plain = open_ui(bw, bh, 0);
    tw_ui *turned = open_ui(ow, oh, deg);
    if (!plain || !turned)
        return;
    CHECK_EQ_INT(tw_ui_render(plain, &v), 0);
    CHECK_EQ_INT(tw_ui_render(turned, &v), 0);
    char a[8192], b[8192], want[8192], diff[8192];
    snprintf(a, sizeof(a), "%s/rotate_plain_%d.png", tmp_dir, deg);
    snprintf(b, sizeof(b), "%s/rotate_turned_%d.png", tmp_dir, deg);
    snprintf(want, sizeof(want), "%s/rotate_want_%d.png", tmp_dir, deg);
    snprintf(diff, sizeof(diff), "%s/rotate_diff_%d.png", tmp_dir, deg);
    CHECK_EQ_INT(tw_ui_screenshot(plain, a), 0);
    CHECK_EQ_INT(tw_ui_screenshot(turned, b), 0);
    CHECK_EQ_INT(turn_png(a, deg, want), 0);
    pngcmp_result res;
    int rc = pngcmp_files(b, want, 0, 0, diff, &res);
    pngcmp_print(stdout, b, want, 0, 0, rc, &res);
    CHECK_EQ_INT(rc, 0);
    CHECK_EQ_INT(res.w, ow);
    CHECK_EQ_INT(res.h, oh);

    /* The board lays out the same cards; a touch where one shows finds it. */
    tw_ui_card c[64];
    size_t n = tw_ui_cards(turned, c, 64);
    CHECK(n >= 6);
    for (size_t i = 0; i < n; i += 3) {
        int px, py, x, y;
        board_to_screen(deg, ow, oh, c[i].x + c[i].w / 2, c[i].y + c[i].h / 2, &px, &py);
        tw_hit hit;
        tw_ui_touch_to_board(turned, ((float)px + 0.5f) / (float)ow, ((float)py + 0.5f) / (float)oh,
                             &x, &y);
        tw_ui_hit(turned, x, y, &hit);
        CHECK_EQ_INT(hit.kind, TW_HIT_CARD);
        CHECK_EQ_INT(hit.seq, c[i].seq);
        tw_ui_window_to_output(turned, px, py, &x, &y); /* a click: window = output headless */
        tw_ui_hit(turned, x, y, &hit);
        CHECK_EQ_INT(hit.seq, c[i].seq);
    }
    if (deg == 90) {
        /* The screen's picture as it leaves the board (sideways: the panel is turned). */
        char ref[8192];
        snprintf(ref, sizeof(ref), "%s/tests/ref/wall_rotate_90.png", src_dir);
        const char *upd = getenv("TW_UPDATE_REF");
        if (upd && strcmp(upd, "1") == 0) {
            CHECK_EQ_INT(tw_ui_screenshot(turned, ref), 0);
            printf("wrote %s: look at it before committing\n", ref);
        } else {
            rc = pngcmp_files(b, ref, PNGCMP_MAX_DIFF, PNGCMP_MAX_BAD, diff, &res);
            pngcmp_print(stdout, b, ref, PNGCMP_MAX_DIFF, PNGCMP_MAX_BAD, rc, &res);
            CHECK_EQ_INT(rc, 0);
        }
    }
    tw_ui_destroy(plain);
    tw_ui_destroy(turned);
}

int main(void)
{
    refcheck_setup(src_dir, sizeof(src_dir), tmp_dir, sizeof(tmp_dir), font_dir, sizeof(font_dir));
    test_mapping();

    int64_t t0;
    CHECK_EQ_INT(tw_time_parse("2026-11-25T10:00:00Z", &t0), 0);
    char path[8192];
    snprintf(path, sizeof(path), "%s/rotate.db", tmp_dir);
    CHECK_EQ_INT(wallfix_open(&wall, path, t0), 0);
    wallfix_team(&wall, 24);
    CHECK_EQ_INT(wall.failures, 0);
    test_turned(90, 1280, 720);
    test_turned(180, 800, 480);
    test_turned(270, 1280, 720);
    wallfix_close(&wall);
    wallfix_remove(path);
    return check_done();
}
