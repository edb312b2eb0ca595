/* SPDX-License-Identifier: MIT */
/*
 * The board's screen. tw_ui_render() turns a tw_view into one frame: the
 * header (team, connection, date, clock), the warnings banner, the three
 * sections of cards, the figures strip, the "recently learned" line and,
 * over them, the detail view. Geometry comes from ui/layout.c (pure), colours
 * from ui/theme.c, text from the cache (ui/textcache.c) over the font chain
 * (ui/fonts.c); the parts of the frame are drawn by ui/header.c, ui/cards.c,
 * ui/strip.c and ui/detailview.c over the primitives of ui/draw.c (shared
 * state in ui/screen.h). This file owns the window, keeps the view, paints
 * the wall around what is copied, and answers where things are.
 *
 * Every text is drawn as an (ink, surface) pair of the theme and the pairs
 * used are recorded, so tests can prove each one has 4.5:1 contrast.
 *
 * The view is copied at each frame so tw_ui_screenshot() can draw that frame
 * again into a texture and save it, instead of reading the screen back on
 * every frame.
 *
 * What changes rarely is composed once (ui/cardcache.c) and copied: each
 * card, the figures strip (the header, a fill across whole rows and a few
 * texts, is drawn). The wall is painted around them
 * rather than under them, so each pixel of a frame is written about once;
 * on the software renderer the copies and the wall's fills run on whole
 * cache lines (see line_pads), and a frame costs little more than clearing
 * the screen.
 */
#define _POSIX_C_SOURCE 200809L
#define LOG_MODULE      "ui"
#include "render.h"

#include <SDL.h>
#include <SDL_ttf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "pngfile.h"
#include "schedule.h"
#include "screen.h"
#include "util.h"

/* ---- layout ---- */

/* Size the fonts for a new output size. */
static int size_fonts(tw_ui *ui, int w, int h)
{
    int px[F_NUM];
    bool bold[F_NUM];
    tw_layout_fonts(w, h, px, bold);
    /* Cards keep text alive: they go first. */
    tw_cardcache_flush(ui->cards);
    for (int f = 0; f < F_NUM; f++) {
        if (tw_fonts_set_role(ui->fonts, f, bold[f], px[f]) != 0) {
            log_error("cannot size fonts to %d px", px[f]);
            return TW_ERR_IO;
        }
        tw_textcache_flush_font(ui->text, f);
    }
    if (tw_standupview_size_fonts(ui, w, h) != 0) {
        log_error("cannot size the stand-up's fonts");
        return TW_ERR_IO;
    }
    ui->fonts_w = w;
    ui->fonts_h = h;
    return 0;
}

/* The layout for w x h with banner_rows warning rows; fonts resized when
 * the size changed. */
/* The composed cards may hold as many bytes as the screen itself, and at
 * most COMPOSE_BUDGET_MAX. At 1920x1080 every card that shows fits (under
 * 6 MiB for 200 open cards: P5's frames stay one copy per card); at
 * 3840x2160 the cache no longer grows with the pixels (it took 35 MB there)
 * and the cards past it are drawn every frame, so the board's memory stays
 * bounded (docs/PERFORMANCE.md, P4). */
#define COMPOSE_BUDGET_MAX ((size_t)6 << 20)

static size_t compose_budget(int w, int h)
{
    size_t screen = (size_t)w * (size_t)h * 4;
    return screen < COMPOSE_BUDGET_MAX ? screen : COMPOSE_BUDGET_MAX;
}

static int relayout(tw_ui *ui, int w, int h, int banner_rows)
{
    int rc;
    tw_cardcache_set_budget(ui->cards, compose_budget(w, h));
    if ((w != ui->fonts_w || h != ui->fonts_h) && (rc = size_fonts(ui, w, h)) != 0)
        return rc;
    int px[F_NUM];
    bool bold[F_NUM];
    tw_metrics fm[F_NUM];
    tw_layout_fonts(w, h, px, bold);
    for (int f = 0; f < F_NUM; f++) {
        tw_font_metrics m;
        tw_fonts_metrics(ui->fonts, f, &m);
        fm[f] = (tw_metrics){m.ascent, m.height, m.skip};
    }
    int old_icon = ui->L.icon;
    tw_layout_compute(w, h, px, bold, fm, banner_rows, &ui->L);
    if (ui->L.icon != old_icon || !ui->icons[0]) {
        for (int i = 0; i < TW_ICON_COUNT; i++) {
            if (ui->icons[i])
                SDL_DestroyTexture(ui->icons[i]);
            ui->icons[i] = tw_draw_make_icon(ui->r, (tw_icon)i, ui->L.icon, ink(ui, INK_MUTED));
        }
        ui->icon_size = ui->L.icon;
    }
    return 0;
}

int tw_render_relayout(tw_ui *ui, int w, int h, int banner_rows)
{
    return relayout(ui, w, h, banner_rows);
}

/* ---- the frame ---- */

/* The wall's colour as a texture, WALL_ROWS rows of w pixels (at most the
 * screen's width); NULL when the renderer cannot compose (then the wall is
 * filled). */
static const tw_card *wall_texture(tw_ui *ui, int w)
{
    struct {
        int tag, w;
    } wk = {'w', w};
    size_t len = tw_draw_key_start(ui, &wk, sizeof(wk));
    const tw_card *c = tw_cardcache_find(ui->cards, ui->key, len, w, WALL_ROWS);
    if (c || !(c = tw_cardcache_begin(ui->cards, ui->key, len, w, WALL_ROWS, false)))
        return c;
    SDL_Color bg = surf(ui, SURF_BG);
    SDL_SetRenderDrawBlendMode(ui->r, SDL_BLENDMODE_NONE);
    SDL_SetRenderDrawColor(ui->r, bg.r, bg.g, bg.b, 0xFF);
    SDL_RenderClear(ui->r);
    tw_cardcache_end(ui->cards);
    return c;
}

/* The width of wall texture that the runs which are copied need: the widest
 * of them, up to a multiple of WALL_STEP pixels (so that a card moving by a
 * few pixels does not compose it anew); 0 when every run is filled. The
 * copied runs are the gaps beside cards, a few dozen pixels: a texture the
 * screen's width was 0.5 MB of P4's peak at 1920x1080 for 27 pixels used. */
#define WALL_STEP 64

static int wall_width(const tw_ui *ui, size_t nw)
{
    int need = 0;
    for (size_t i = 0; i < nw; i++) {
        tw_rect w = ui->wall[i];
        if (w.w != ui->L.w && !on_lines(ui, (SDL_Rect){w.x, w.y, w.w, w.h}) && w.w > need)
            need = w.w;
    }
    if (!need)
        return 0;
    need = (need + WALL_STEP - 1) / WALL_STEP * WALL_STEP;
    return need < ui->L.w ? need : ui->L.w;
}

/* Output pixels of r (drawing coordinates). */
static tw_rect on_screen(const tw_ui *ui, tw_rect r)
{
    return (tw_rect){r.x + ui->ox, r.y + ui->oy, r.w, r.h};
}

/* How far outside a card its rings reach at most: focus, pulse, critical. */
static int ring_reach(const tw_layout *L)
{
    return max_i(max_i(L->focus_w * 3, max_i(L->card_gap - 1, 2)), max_i(L->focus_w, 2));
}

/* What else is drawn over the wall across rows [y, y + h) (output pixels),
 * beside the card self (an index of ui->placed; SIZE_MAX: the strip): how
 * far the nearest such thing left of x0 reaches (*left, at least 0) and
 * where the nearest one right of x1 starts (*right, at most the screen's
 * width). Other cards and their rings, the strip, the sections' titles,
 * "+N more" and empty lines, the learned line. False when one straddles
 * x0 or x1. */
static bool free_wall(const tw_ui *ui, int y, int h, int x0, int x1, size_t self, int *left,
                      int *right)
{
    const tw_layout *L = &ui->L;
    int reach = ring_reach(L);
    tw_rect o[3 * TW_KIND_COUNT + 2];
    size_t n = 0;
    if (self != SIZE_MAX)
        o[n++] = on_screen(ui, L->strip);
    o[n++] = on_screen(ui, L->learned);
    for (int k = 0; k < TW_KIND_COUNT; k++) {
        tw_rect sec = L->section[k], area = tw_layout_cards_area(L, k);
        o[n++] = on_screen(ui, (tw_rect){sec.x, sec.y, sec.w, L->section_head_h});
        o[n++] = on_screen(
            ui, (tw_rect){area.x, ui->more_y[k], area.w, max_i(L->more_h, L->empty_h + L->pad)});
    }
    *left = 0;
    *right = L->w;
    for (size_t i = 0; i < ui->n_placed + n; i++) {
        tw_rect b;
        if (i < ui->n_placed) {
            if (i == self)
                continue;
            b = on_screen(ui, ui->placed[i].r);
            b = (tw_rect){b.x - reach, b.y - reach, b.w + 2 * reach, b.h + 2 * reach};
        } else {
            b = o[i - ui->n_placed];
        }
        if (b.w <= 0 || b.h <= 0 || b.y >= y + h || b.y + b.h <= y)
            continue;
        if (b.x + b.w <= x0)
            *left = max_i(*left, b.x + b.w);
        else if (b.x >= x1)
            *right = b.x < *right ? b.x : *right;
        else if (b.x < x0 || b.x + b.w > x1)
            return false; /* across an edge of the card */
    }
    return true;
}

/*
 * The wall to take into the texture of r (drawing coordinates) left and
 * right of it, so that its copy starts and ends on whole cache lines of the
 * screen and meets the next one's: out to the screen's edge when that is
 * near, on the left to the line after the nearest thing (say the rings of
 * the card to the left) when that is near, on the right to the line after
 * its own rings, where the card to its right starts. None when that would
 * cover anything but the wall.
 */
static void line_pads(const tw_ui *ui, tw_rect r, size_t self, int *pl, int *pr)
{
    *pl = *pr = 0;
    int g = ui->grain, w = ui->L.w, near = 4 * g, reach = ring_reach(&ui->L);
    tw_rect s = on_screen(ui, r);
    int x0 = s.x, x1 = s.x + s.w, lim_l, lim_r;
    if (g <= 1 || x0 < 0 || x1 > w || !free_wall(ui, s.y, s.h, x0, x1, self, &lim_l, &lim_r))
        return;
    int left = (lim_l + g - 1) / g * g;
    if (left > x0 || x0 - left > near)
        left = x0 / g * g;
    int right = (x1 + reach + g - 1) / g * g;
    if (lim_r == w && w % g == 0 && w - x1 <= near)
        right = w;
    else if (right > lim_r)
        right = (x1 + g - 1) / g * g;
    if (left < lim_l || left > x0 || right > lim_r || right < x1)
        return;
    *pl = x0 - left;
    *pr = right - x1;
}

/*
 * The wall from row top down, around the cards and the strip (with the wall
 * their textures took) rather than under them: each of its pixels once. On
 * the software renderer a fill is written with non-temporal stores, which
 * cost a memory round trip for every cache line a rect's edge cuts (four
 * times a clear's time for the wall between three columns of cards); so a
 * run on whole lines, or across the screen, is filled, and any other is
 * copied from a texture of its colour, rows of memcpy.
 */
static void paint_wall(tw_ui *ui, int top)
{
    const tw_layout *L = &ui->L;
    if (ui->n_placed + 1 > ui->opaque_cap) {
        ui->opaque_cap = (ui->n_placed + 1) * 2;
        ui->opaque = tw_xrealloc(ui->opaque, ui->opaque_cap * sizeof(*ui->opaque));
    }
    size_t n = 0;
    for (size_t i = 0; i < ui->n_placed; i++) {
        const placed_card *p = &ui->placed[i];
        tw_rect r = on_screen(ui, p->r);
        ui->opaque[n++] = (tw_rect){r.x - p->pl, r.y, r.w + p->pl + p->pr, r.h};
    }
    tw_rect s = on_screen(ui, L->strip);
    ui->opaque[n++] = (tw_rect){s.x - ui->strip_pl, s.y, s.w + ui->strip_pl + ui->strip_pr, s.h};
    tw_rect area = {0, top, L->w, L->h - top};
    size_t nw = tw_layout_uncovered(area, ui->opaque, n, &ui->wall, &ui->wall_cap);

    int tw = wall_width(ui, nw);
    const tw_card *t = tw ? wall_texture(ui, tw) : NULL;
    SDL_Color bg = surf(ui, SURF_BG);
    SDL_SetRenderDrawBlendMode(ui->r, SDL_BLENDMODE_NONE);
    SDL_SetRenderDrawColor(ui->r, bg.r, bg.g, bg.b, 0xFF);
    for (size_t i = 0; i < nw; i++) {
        tw_rect w = ui->wall[i];
        /* Whole rows, or whole cache lines: a fill is as fast as a clear. */
        if (!t || w.w == L->w || on_lines(ui, (SDL_Rect){w.x, w.y, w.w, w.h})) {
            SDL_Rect rc = {w.x, w.y, w.w, w.h};
            SDL_RenderFillRect(ui->r, &rc);
            continue;
        }
        for (int y = 0; y < w.h; y += WALL_ROWS) {
            SDL_Rect src = {0, 0, w.w, w.h - y < WALL_ROWS ? w.h - y : WALL_ROWS};
            SDL_Rect dst = {w.x, w.y + y, src.w, src.h};
            SDL_RenderCopy(ui->r, t->tex, &src, &dst);
        }
    }
}

static void dim(tw_ui *ui, const tw_view *v)
{
    if (v->screen == TW_SCREEN_DIM) {
        SDL_SetRenderDrawBlendMode(ui->r, SDL_BLENDMODE_BLEND);
        SDL_SetRenderDrawColor(ui->r, 0, 0, 0, DIM_ALPHA);
        SDL_RenderFillRect(ui->r, NULL);
    }
}

int tw_render_frame_begin(tw_ui *ui, const tw_view *v, banner_row rows[BANNER_MAX_ROWS])
{
    ui->n_hits = 0;
    ui->detail_shown = false;
    ui->anim_cards = ui->cards_drawn = 0;
    SDL_SetRenderDrawBlendMode(ui->r, SDL_BLENDMODE_NONE);
    if (v->screen == TW_SCREEN_BLANK) {
        SDL_SetRenderDrawColor(ui->r, 0, 0, 0, 0xFF);
        SDL_RenderClear(ui->r);
        return -1;
    }
    int nrows = tw_banner_layout_rows(ui, v, rows);
    if (nrows != ui->L.banner_rows)
        relayout(ui, ui->L.w, ui->L.h, nrows);
    ui->ox = ui->oy = 0;
    if (v->pixel_shift)
        tw_pixel_shift(v->now, SHIFT_PERIOD_S, ui->L.shift, &ui->ox, &ui->oy);
    return nrows;
}

static void draw_frame(tw_ui *ui, const tw_view *v)
{
    banner_row rows[BANNER_MAX_ROWS];
    int nrows = tw_render_frame_begin(ui, v, rows);
    if (nrows < 0)
        return;
    if (v->standup) {
        ui->n_placed = 0;
        tw_standupview_draw(ui, v);
        dim(ui, v);
        return;
    }

    if (ui->L.portrait)
        tw_cards_share_bands(ui);
    else
        tw_cards_share_width(ui);
    ui->n_placed = 0;
    for (int k = 0; k < TW_KIND_COUNT; k++)
        tw_cards_place_section(ui, (tw_kind)k);
    for (size_t i = 0; i < ui->n_placed; i++)
        line_pads(ui, ui->placed[i].r, i, &ui->placed[i].pl, &ui->placed[i].pr);
    line_pads(ui, ui->L.strip, SIZE_MAX, &ui->strip_pl, &ui->strip_pr);
    /* Every pixel about once: the header's band (from the top of the screen
     * whatever the shift), the banner's rows, then the wall around what is
     * copied opaque. */
    tw_header_draw(ui, v);
    tw_banner_draw(ui, rows, nrows);
    paint_wall(ui, ui->L.banner.y + ui->L.banner.h + ui->oy);
    for (int k = 0; k < TW_KIND_COUNT; k++)
        tw_cards_draw_section(ui, v, (tw_kind)k);
    tw_strip_draw(ui, v);
    tw_learned_draw(ui, v);
    if (v->detail)
        tw_detailview_draw(ui, v, v->detail);
    dim(ui, v);
}

static void note_fresh(tw_ui *ui, const tw_item *it, int64_t anim_ms, int64_t *high)
{
    if (it->seq > *high)
        *high = it->seq;
    if (ui->seq_high < 0 || it->seq <= ui->seq_high || it->state == TW_STATE_RESOLVED)
        return;
    if (ui->n_fresh == FRESH_MAX) { /* a flood: the oldest highlight goes */
        memmove(ui->fresh, ui->fresh + 1, (FRESH_MAX - 1) * sizeof(fresh));
        ui->n_fresh--;
    }
    ui->fresh[ui->n_fresh++] = (fresh){it->seq, anim_ms};
}

/* New cards, for the highlight: items are numbered as they are created,
 * so anything above the highest number of the last frame is new. Cheap at
 * any board size, and what was there at start is not new. */
static void update_fresh(tw_ui *ui, const tw_view *v)
{
    if (!v->anim_ms)
        return;
    int64_t high = ui->seq_high;
    if (v->board) {
        /* Only the cards that may show can light up: look at those kept,
         * and take the highest seq from the board. */
        for (int k = 0; k < TW_KIND_COUNT; k++)
            for (size_t i = 0; i < ui->kept_n[k]; i++)
                note_fresh(ui, &ui->kept[k][i], v->anim_ms, &high);
        int64_t board_high = tw_board_seq_high(v->board);
        if (board_high > high)
            high = board_high;
    } else {
        for (size_t i = 0; i < v->count; i++)
            note_fresh(ui, &v->items[i], v->anim_ms, &high);
    }
    ui->seq_high = high < 0 ? 0 : high;
    int k = 0;
    for (int i = 0; i < ui->n_fresh; i++)
        if (v->anim_ms - ui->fresh[i].since_ms < ANIM_MS)
            ui->fresh[k++] = ui->fresh[i];
    ui->n_fresh = k;
}

/* The stand-up's part of the view, copied. */
static void keep_standup(tw_ui *ui, const tw_view *v)
{
    const tw_standup_view *sv = v->standup;
    ui->last.standup = NULL;
    if (!sv || !sv->su)
        return;
    if (!ui->last_su)
        ui->last_su = tw_xmalloc(sizeof(*ui->last_su));
    *ui->last_su = *sv->su;
    ui->last_sv = *sv;
    ui->last_sv.su = ui->last_su;
    if (sv->item) {
        ui->last_su_item = *sv->item;
        ui->last_sv.item = &ui->last_su_item;
    }
    size_t nh = sv->history ? sv->n_history : 0;
    if (nh > TW_STANDUP_VIEW_HISTORY)
        nh = TW_STANDUP_VIEW_HISTORY;
    if (nh)
        memcpy(ui->last_su_history, sv->history + (sv->n_history - nh), nh * sizeof(*sv->history));
    ui->last_sv.history = ui->last_su_history;
    ui->last_sv.n_history = nh;
    ui->last.standup = &ui->last_sv;
}

/* Keep a copy of the view for tw_ui_screenshot(). */
static void keep_view(tw_ui *ui, const tw_view *v)
{
    free(ui->last_team);
    free(ui->last_reason);
    ui->last_team = tw_xstrdup(v->team ? v->team : "");
    ui->last_reason = v->offline_reason ? tw_xstrdup(v->offline_reason) : NULL;
    tw_cards_keep(ui, v);
    size_t nw = v->warnings ? v->n_warnings : 0;
    if (nw > ui->last_warn_cap) {
        ui->last_warn_cap = nw;
        ui->last_warnings = tw_xrealloc(ui->last_warnings, nw * sizeof(tw_warning));
    }
    if (nw)
        memcpy(ui->last_warnings, v->warnings, nw * sizeof(tw_warning));
    ui->last = *v;
    ui->last.team = ui->last_team;
    ui->last.offline_reason = ui->last_reason;
    /* The items themselves are not kept: tw_cards_keep() copied the ones that
     * can show. */
    ui->last.board = NULL;
    ui->last.items = NULL;
    ui->last.count = 0;
    ui->last.warnings = ui->last_warnings;
    ui->last.n_warnings = nw;
    if (v->figures) {
        ui->last_figures = *v->figures;
        ui->last.figures = &ui->last_figures;
    }
    size_t nl = v->learned ? v->n_learned : 0;
    if (nl > TW_LEARNED_MAX)
        nl = TW_LEARNED_MAX;
    if (!ui->last_learned)
        ui->last_learned = tw_xmalloc(TW_LEARNED_MAX * sizeof(tw_learned));
    if (nl)
        memcpy(ui->last_learned, v->learned, nl * sizeof(tw_learned));
    ui->last.learned = ui->last_learned;
    ui->last.n_learned = nl;
    if (v->detail && v->detail->item) {
        ui->last_detail = *v->detail;
        ui->last_detail_item = *v->detail->item;
        ui->last_detail.item = &ui->last_detail_item;
        size_t nh = v->detail->history ? v->detail->n_history : 0;
        if (nh > HISTORY_MAX) /* the newest ones are the ones shown */
            nh = HISTORY_MAX;
        if (!ui->last_history)
            ui->last_history = tw_xmalloc(HISTORY_MAX * sizeof(tw_history_entry));
        if (nh)
            memcpy(ui->last_history, v->detail->history + (v->detail->n_history - nh),
                   nh * sizeof(tw_history_entry));
        ui->last_detail.history = ui->last_history;
        ui->last_detail.n_history = nh;
        ui->last.detail = &ui->last_detail;
    } else {
        ui->last.detail = NULL;
    }
    keep_standup(ui, v);
    ui->have_last = true;
}

/* ---- public API ---- */

int tw_ui_create(const tw_ui_options *opt, tw_ui **out)
{
    if (!opt || !out)
        return TW_ERR_INVAL;
    *out = NULL;
    if (!opt->font_dir) {
        log_error("no font folder given");
        return TW_ERR_INVAL;
    }
    const tw_theme *th = tw_theme_get(opt->theme);
    if (!th) {
        log_error("unknown theme \"%s\" (dark, light, high-contrast)", opt->theme);
        return TW_ERR_INVAL;
    }

    int rc = TW_ERR_IO;
    tw_ui *ui = tw_xcalloc(1, sizeof(*ui));
    ui->th = th;
    ui->seq_high = -1;
    ui->escalate_s = opt->escalate_after_s > 0 ? opt->escalate_after_s : 86400;
    ui->critical_s = opt->critical_after_s > 0 ? opt->critical_after_s : 3 * 86400;
    ui->wins_for_s = opt->wins_for_s > 0 ? opt->wins_for_s : 7 * 86400;
    if (ui->critical_s < ui->escalate_s)
        ui->critical_s = ui->escalate_s;

    if (opt->headless) {
        /* Override: headless means no window whatever SDL_VIDEODRIVER says. */
        SDL_SetHintWithPriority(SDL_HINT_VIDEODRIVER, "offscreen", SDL_HINT_OVERRIDE);
        SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
        /* A plain surface as the window framebuffer; otherwise SDL backs it
         * with a GL texture and loads Mesa just to present off screen. */
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    }
    if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
        log_error("cannot start SDL video: %s", SDL_GetError());
        goto out;
    }
    ui->sdl_up = true;
    if (TTF_Init() != 0) {
        log_error("cannot start SDL_ttf: %s", TTF_GetError());
        goto out;
    }
    ui->ttf_up = true;
    if ((rc = tw_fonts_create(opt->font_dir, &ui->fonts)) != 0)
        goto out;
    rc = TW_ERR_IO;

    int w = opt->width, h = opt->height;
    Uint32 flags = SDL_WINDOW_ALLOW_HIGHDPI;
    if (opt->fullscreen && !opt->headless) {
        SDL_DisplayMode dm;
        flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
        if ((w <= 0 || h <= 0) && SDL_GetDesktopDisplayMode(0, &dm) == 0) {
            w = dm.w;
            h = dm.h;
        }
    } else if (!opt->headless) {
        flags |= SDL_WINDOW_RESIZABLE;
    }
    if (w <= 0 || h <= 0) {
        w = 1280;
        h = 720;
    }
    ui->win =
        SDL_CreateWindow("teamwall", SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED, w, h, flags);
    if (!ui->win) {
        log_error("cannot create window (%s): %s", SDL_GetCurrentVideoDriver(), SDL_GetError());
        goto out;
    }

    if (!opt->headless) {
        ui->r = SDL_CreateRenderer(ui->win, -1,
                                   SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC |
                                       SDL_RENDERER_TARGETTEXTURE);
        if (!ui->r)
            log_warn("no accelerated renderer (%s); using software", SDL_GetError());
    }
    if (!ui->r)
        ui->r = SDL_CreateRenderer(ui->win, -1, SDL_RENDERER_SOFTWARE);
    if (!ui->r) {
        log_error("cannot create renderer: %s", SDL_GetError());
        goto out;
    }
    if (opt->fullscreen && !opt->headless)
        SDL_ShowCursor(SDL_DISABLE);

    SDL_RendererInfo info = {0};
    if (SDL_GetRendererInfo(ui->r, &info) == 0)
        log_info("video %s, renderer %s, theme %s", SDL_GetCurrentVideoDriver(), info.name,
                 th->name);

    ui->text = tw_textcache_create(ui->r, ui->fonts, TEXT_KEEP_FRAMES);
    /* Opaque text and cards in the window's own format: drawn by copying
     * rows. (The GL renderers upload to the GPU either way.) */
    Uint32 format = 0;
    if (info.flags & SDL_RENDERER_SOFTWARE) {
        format = SDL_GetWindowPixelFormat(ui->win);
        tw_textcache_set_format(ui->text, format);
    }
    if (!opt->no_cache)
        ui->cards = tw_cardcache_create(ui->r, ui->text, format);
    /* 64-byte cache lines: 16 pixels of the window's 4-byte pixels. */
    ui->grain = format && SDL_BYTESPERPIXEL(format) ? 64 / SDL_BYTESPERPIXEL(format) : 1;
    int ow, oh, bw, bh;
    if (SDL_GetRendererOutputSize(ui->r, &ow, &oh) != 0 || ow <= 0 || oh <= 0) {
        log_error("cannot read output size: %s", SDL_GetError());
        goto out;
    }
    ui->rot = tw_rotate_create(opt->rotate);
    tw_rotate_board_size(ui->rot, ow, oh, &bw, &bh);
    if ((rc = relayout(ui, bw, bh, 0)) != 0)
        goto out;
    *out = ui;
    return 0;
out:
    tw_ui_destroy(ui);
    return rc;
}

void tw_ui_destroy(tw_ui *ui)
{
    if (!ui)
        return;
    tw_cardcache_destroy(ui->cards);
    tw_textcache_destroy(ui->text);
    tw_draw_free_discs(ui);
    for (int i = 0; i < TW_ICON_COUNT; i++)
        if (ui->icons[i])
            SDL_DestroyTexture(ui->icons[i]);
    tw_fonts_destroy(ui->fonts);
    tw_rotate_destroy(ui->rot);
    if (ui->r)
        SDL_DestroyRenderer(ui->r);
    if (ui->win)
        SDL_DestroyWindow(ui->win);
    if (ui->ttf_up)
        TTF_Quit();
    if (ui->sdl_up)
        SDL_QuitSubSystem(SDL_INIT_VIDEO);
    free(ui->last_team);
    free(ui->last_reason);
    for (int k = 0; k < TW_KIND_COUNT; k++)
        free(ui->kept[k]);
    free(ui->pick);
    free(ui->last_warnings);
    free(ui->last_learned);
    free(ui->last_history);
    free(ui->order);
    free(ui->heights);
    free(ui->wraps);
    free(ui->rects);
    free(ui->rows);
    for (int k = 0; k < TW_KIND_COUNT; k++)
        free(ui->full_h[k]);
    free(ui->placed);
    free(ui->opaque);
    free(ui->wall);
    free(ui->hits);
    free(ui->last_su);
    tw_lobbyview_free(ui);
    free(ui);
}

int tw_ui_render(tw_ui *ui, const tw_view *view)
{
    if (!ui || !view || (view->count && !view->items))
        return TW_ERR_INVAL;
    int ow, oh, w, h, rc;
    if (SDL_GetRendererOutputSize(ui->r, &ow, &oh) != 0 || ow <= 0 || oh <= 0) {
        log_error("cannot read output size: %s", SDL_GetError());
        return TW_ERR_IO;
    }
    tw_rotate_board_size(ui->rot, ow, oh, &w, &h); /* the board's size: turned at present */
    if (w != ui->L.w || h != ui->L.h) {
        tw_draw_free_discs(ui);
        if ((rc = relayout(ui, w, h, 0)) != 0)
            return rc;
    }
    /* The banner's rows decide the layout, the layout how many cards can
     * show, and that how many are kept. */
    banner_row rows[BANNER_MAX_ROWS];
    int nrows = tw_banner_layout_rows(ui, view, rows);
    if (nrows != ui->L.banner_rows && (rc = relayout(ui, w, h, nrows)) != 0)
        return rc;
    if (ui->lobby) /* a board's frame now: screenshots draw it */
        tw_lobbyview_free(ui);
    keep_view(ui, view);
    update_fresh(ui, view);
    tw_rotate_begin(ui->rot, ui->r, w, h);
    draw_frame(ui, &ui->last);
    tw_rotate_end(ui->rot, ui->r, NULL, ow, oh);
    SDL_RenderPresent(ui->r);
    tw_cardcache_sweep(ui->cards); /* before the text they keep */
    tw_textcache_sweep(ui->text);
    ui->next_frame = ui->anim_cards > 0 ? view->anim_ms + ANIM_FRAME_MS : 0;
    ui->frames++;
    return 0;
}

void tw_ui_release(tw_ui *ui)
{
    if (!ui)
        return;
    tw_cardcache_release(ui->cards);
    tw_textcache_trim(ui->text);
}

int64_t tw_ui_next_frame(const tw_ui *ui)
{
    return ui ? ui->next_frame : 0;
}

int tw_ui_screenshot(tw_ui *ui, const char *path)
{
    if (!ui || !path)
        return TW_ERR_INVAL;
    if (!ui->have_last) {
        log_error("screenshot %s: nothing rendered yet", path);
        return TW_ERR_INVAL;
    }
    int rc = TW_ERR_IO, w = ui->L.w, h = ui->L.h;
    SDL_Surface *s = NULL;
    SDL_Texture *turned = NULL; /* the picture as the screen shows it, with a rotation */
    /* Draw the kept view again off screen: the back buffer is undefined after
     * a present, and reading the screen back every frame would cost a GPU
     * stall on the Pi for a picture that is rarely asked for. */
    SDL_Texture *t =
        SDL_CreateTexture(ui->r, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_TARGET, w, h);
    if (!t || SDL_SetRenderTarget(ui->r, t) != 0) {
        log_error("screenshot %s: no render target: %s", path, SDL_GetError());
        goto out;
    }
    int anim = ui->anim_cards, drawn = ui->cards_drawn;
    if (!tw_lobbyview_redraw(ui))
        draw_frame(ui, &ui->last);
    ui->anim_cards = anim;
    ui->cards_drawn = drawn;
    if (tw_rotate_degrees(ui->rot)) {
        int bw = w, bh = h;
        tw_rotate_board_size(ui->rot, bw, bh, &w, &h); /* back to the screen's size */
        turned = SDL_CreateTexture(ui->r, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_TARGET, w, h);
        if (!turned || SDL_SetRenderTarget(ui->r, turned) != 0 ||
            tw_rotate_copy(ui->rot, ui->r, t, bw, bh, w, h) != 0) {
            log_error("screenshot %s: cannot turn the picture: %s", path, SDL_GetError());
            SDL_SetRenderTarget(ui->r, NULL);
            goto out;
        }
    }
    s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 24, SDL_PIXELFORMAT_RGB24);
    if (!s || SDL_RenderReadPixels(ui->r, NULL, SDL_PIXELFORMAT_RGB24, s->pixels, s->pitch) != 0) {
        log_error("screenshot %s: cannot read pixels: %s", path, SDL_GetError());
        SDL_SetRenderTarget(ui->r, NULL);
        goto out;
    }
    SDL_SetRenderTarget(ui->r, NULL);
    char why[160];
    if (tw_pngfile_write_rgb(path, s->pixels, s->w, s->h, s->pitch, why, sizeof(why)) != 0) {
        log_error("screenshot %s: %s", path, why);
        goto out;
    }
    rc = 0;
out:
    SDL_FreeSurface(s);
    if (turned)
        SDL_DestroyTexture(turned);
    if (t)
        SDL_DestroyTexture(t);
    return rc;
}

/* The screen's own size, in pixels (not turned). */
static void output_size(const tw_ui *ui, int *w, int *h)
{
    *w = *h = 0;
    if (ui && SDL_GetRendererOutputSize(ui->r, w, h) != 0)
        tw_rotate_board_size(ui->rot, ui->L.w, ui->L.h, w, h); /* turned back */
}

void tw_ui_size(const tw_ui *ui, int *w, int *h)
{
    int ow, oh, bw, bh;
    output_size(ui, &ow, &oh);
    tw_rotate_board_size(ui ? ui->rot : NULL, ow, oh, &bw, &bh);
    if (w)
        *w = bw;
    if (h)
        *h = bh;
}

int tw_ui_standup_button(const tw_ui *ui, int x, int y)
{
    if (!ui || !ui->last.standup)
        return -1;
    for (int i = 0; i < ui->n_su_buttons; i++)
        if (tw_rect_has(ui->su_buttons[i], x - ui->ox, y - ui->oy))
            return i ? TW_SU_RESOLVE : TW_SU_CLAIM;
    return -1;
}

void tw_ui_window_to_output(const tw_ui *ui, int wx, int wy, int *x, int *y)
{
    int ww = 0, wh = 0, ow = 0, oh = 0;
    if (ui && ui->win)
        SDL_GetWindowSize(ui->win, &ww, &wh);
    if (ui && ui->r)
        SDL_GetRendererOutputSize(ui->r, &ow, &oh);
    int px = ww > 0 ? (int)((int64_t)wx * ow / ww) : wx;
    int py = wh > 0 ? (int)((int64_t)wy * oh / wh) : wy;
    tw_rotate_to_board(ui ? ui->rot : NULL, ow, oh, px, py, x, y);
}

void tw_ui_touch_to_board(const tw_ui *ui, float fx, float fy, int *x, int *y)
{
    int ow, oh;
    output_size(ui, &ow, &oh);
    int px = (int)(fx * (float)ow), py = (int)(fy * (float)oh);
    px = px >= ow ? ow - 1 : px;
    py = py >= oh ? oh - 1 : py;
    tw_rotate_to_board(ui ? ui->rot : NULL, ow, oh, px, py, x, y);
}

void tw_ui_hit(const tw_ui *ui, int x, int y, tw_hit *out)
{
    memset(out, 0, sizeof(*out));
    if (!ui)
        return;
    x -= ui->ox;
    y -= ui->oy;
    if (ui->detail_shown) {
        const tw_detail_layout *D = &ui->detail_layout;
        for (int i = 0; i < D->n_buttons; i++) {
            if (tw_rect_has(D->button[i], x, y)) {
                out->kind = TW_HIT_BUTTON;
                out->button = i;
                return;
            }
        }
        out->kind = tw_rect_has(D->panel, x, y) ? TW_HIT_PANEL : TW_HIT_OUTSIDE;
        return;
    }
    for (size_t i = 0; i < ui->n_hits; i++) {
        if (tw_rect_has(ui->hits[i].r, x, y)) {
            out->kind = TW_HIT_CARD;
            out->seq = ui->hits[i].seq;
            return;
        }
    }
}

int64_t tw_ui_navigate(const tw_ui *ui, int64_t from, tw_nav_key key)
{
    if (!ui || ui->n_hits == 0)
        return from;
    const hit_rect *cur = NULL;
    for (size_t i = 0; i < ui->n_hits; i++)
        if (ui->hits[i].seq == from)
            cur = &ui->hits[i];
    if (!cur) {
        /* The first card in reading order: top, then left. */
        const hit_rect *best = &ui->hits[0];
        for (size_t i = 1; i < ui->n_hits; i++) {
            const tw_rect *a = &ui->hits[i].r, *b = &best->r;
            if (a->y < b->y || (a->y == b->y && a->x < b->x))
                best = &ui->hits[i];
        }
        return best->seq;
    }
    int cx = cur->r.x + cur->r.w / 2, cy = cur->r.y + cur->r.h / 2;
    int64_t best = from;
    long best_score = -1;
    for (size_t i = 0; i < ui->n_hits; i++) {
        const tw_rect *r = &ui->hits[i].r;
        if (ui->hits[i].seq == from)
            continue;
        int x = r->x + r->w / 2, y = r->y + r->h / 2;
        long along, across;
        switch (key) {
        case TW_NAV_UP: along = cy - y, across = labs((long)(x - cx)); break;
        case TW_NAV_DOWN: along = y - cy, across = labs((long)(x - cx)); break;
        case TW_NAV_LEFT: along = cx - x, across = labs((long)(y - cy)); break;
        case TW_NAV_RIGHT: along = x - cx, across = labs((long)(y - cy)); break;
        default: return from;
        }
        if (along <= 0)
            continue;
        /* Prefer what is straight ahead over what is nearer but aside. */
        long score = along + 3 * across;
        if (best_score < 0 || score < best_score) {
            best_score = score;
            best = ui->hits[i].seq;
        }
    }
    return best;
}

void tw_ui_get_stats(const tw_ui *ui, tw_ui_stats *out)
{
    if (!out)
        return;
    memset(out, 0, sizeof(*out));
    if (!ui)
        return;
    tw_textcache_stats ts;
    tw_textcache_get_stats(ui->text, &ts);
    tw_fonts_stats fs;
    tw_fonts_get_stats(ui->fonts, &fs);
    tw_cardcache_stats cs;
    tw_cardcache_get_stats(ui->cards, &cs);
    out->composed = cs.composed;
    out->composed_bytes = cs.bytes;
    out->frames = ui->frames;
    out->glyph_renders = fs.renders;
    out->cache_entries = ts.entries;
    out->text_bytes = ts.bytes;
    out->cards_drawn = ui->cards_drawn;
    out->anim_cards = ui->anim_cards;
    memcpy(out->pairs_used, ui->pairs_used, sizeof(out->pairs_used));
    memcpy(out->cut, ui->cut, sizeof(out->cut));
    out->fallback_faces = fs.faces;
    out->fonts_open = fs.open;
}

const struct tw_layout *tw_ui_layout(const tw_ui *ui)
{
    return ui ? &ui->L : NULL;
}

size_t tw_ui_cards(const tw_ui *ui, tw_ui_card *out, size_t max)
{
    if (!ui)
        return 0;
    for (size_t i = 0; i < ui->n_hits && i < max; i++) {
        const hit_rect *h = &ui->hits[i];
        tw_rect s = ui->L.section[h->section];
        out[i] =
            (tw_ui_card){h->seq, h->section, h->r.x, h->r.y, h->r.w, h->r.h, s.x, s.y, s.w, s.h};
    }
    return ui->n_hits;
}
