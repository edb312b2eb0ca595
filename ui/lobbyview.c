/* SPDX-License-Identifier: MIT */
/*
 * The lobby's screen (docs/LOBBY.md): the wall's header and banner, then one
 * band per team (ui/lobbylayout.c). A band's gutter shows the team's name and
 * three figures as lines (time to clear a blocker with its trend, questions
 * answered within 4 hours, wins this week); right of it the team's three
 * sections are placed and drawn by ui/cards.c exactly as on a wall, with the
 * band's layout in ui->L and the band's kept cards in ui->kept, so the
 * density rules (compact cards before "+N more", widths by need) are the
 * wall's. Each band keeps its own screenful of cards, so a screenshot draws
 * the last frame again without the boards.
 *
 * Not here, on purpose: the learned line, the new-card pulse (each team's
 * items are numbered by its own store, so "new" has no single meaning across
 * bands), focus and the detail view (a lobby is looked at, not touched), the
 * stand-up screen (a team's stand-up is at its own walls).
 */
#define _POSIX_C_SOURCE 200809L
#define LOG_MODULE      "ui"
#include "screen.h"

#include "i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../firmware/schedule.h"
#include "../firmware/teams.h"
#include "lobbylayout.h"
#include "log.h"
#include "util.h"

/* A team's band as the last frame showed it. */
struct lobby_band_keep {
    char team[TW_TEAM_SIZE + 32];
    bool has_figures;
    tw_figures figures;
    /* Swapped with ui->kept & co. while the band is laid out and drawn. */
    tw_item *kept[TW_KIND_COUNT];
    size_t kept_n[TW_KIND_COUNT], kept_cap, total[TW_KIND_COUNT];
};

struct tw_lobby_keep {
    bool active; /* the last frame was a lobby's */
    tw_view v;   /* the header's part, owned strings */
    char *title, *reason;
    tw_warning *warnings;
    size_t warn_cap;
    struct lobby_band_keep bands[TW_TEAMS_MAX];
    size_t n;
};

static void swap_kept(tw_ui *ui, struct lobby_band_keep *b)
{
    for (int k = 0; k < TW_KIND_COUNT; k++) {
        tw_item *t = ui->kept[k];
        ui->kept[k] = b->kept[k];
        b->kept[k] = t;
        size_t n = ui->kept_n[k];
        ui->kept_n[k] = b->kept_n[k];
        b->kept_n[k] = n;
        n = ui->total[k];
        ui->total[k] = b->total[k];
        b->total[k] = n;
    }
    size_t c = ui->kept_cap;
    ui->kept_cap = b->kept_cap;
    b->kept_cap = c;
}

void tw_lobbyview_free(tw_ui *ui)
{
    struct tw_lobby_keep *lk = ui ? ui->lobby : NULL;
    if (!lk)
        return;
    for (size_t i = 0; i < TW_TEAMS_MAX; i++)
        for (int k = 0; k < TW_KIND_COUNT; k++)
            free(lk->bands[i].kept[k]);
    free(lk->title);
    free(lk->reason);
    free(lk->warnings);
    free(lk);
    ui->lobby = NULL;
}

/* ---- the gutter: the team's name and figures ---- */

/* One of the gutter's three figures. */
struct gutter_fig {
    char value[64];
    tw_ink ink;
    const char *label, *shorter; /* shorter: NULL for none */
};

/* The label, or its short form, when it fits in room beside value. */
static const tw_text_tex *label_beside(tw_ui *ui, const struct gutter_fig *f, int room)
{
    const tw_text_tex *tl = tw_draw_text_str(ui, F_FIG_LABEL, INK_MUTED, SURF_HEADER, f->label);
    if (tex_w(tl) > room && f->shorter)
        tl = tw_draw_text_str(ui, F_FIG_LABEL, INK_MUTED, SURF_HEADER, f->shorter);
    return tex_w(tl) <= room ? tl : NULL;
}

/* Does the figure's label, or its short form, fit on the value's line? */
static bool fits_beside(tw_ui *ui, tw_rect g, const struct gutter_fig *f)
{
    const tw_layout *L = &ui->L;
    int room = g.w - 2 * L->pad;
    const tw_text_tex *tv = tw_draw_text_fit(ui, F_BANNER, f->ink, SURF_HEADER, f->value, room);
    return label_beside(ui, f, room - tex_w(tv) - L->unit / 3) != NULL;
}

/* One figure at y: its label (muted, small) over its value (bold, its
 * colour), as the strip's tiles are (stacked); else the value and after
 * it, on its baseline, the label, or its short form, cut as a last resort. */
static void figure_line(tw_ui *ui, tw_rect g, int y, bool stacked, const struct gutter_fig *f)
{
    const tw_layout *L = &ui->L;
    int x = g.x + L->pad, room = g.w - 2 * L->pad;
    const char *label = f->label, *shorter = f->shorter;
    if (stacked) {
        const tw_text_tex *tl = tw_draw_text_str(ui, F_FIG_LABEL, INK_MUTED, SURF_HEADER, label);
        if (tex_w(tl) > room)
            tl = tw_draw_text_fit(ui, F_FIG_LABEL, INK_MUTED, SURF_HEADER,
                                  shorter ? shorter : label, room);
        tw_draw_blit(ui, tl, x, y);
        tw_draw_blit(ui, tw_draw_text_fit(ui, F_BANNER, f->ink, SURF_HEADER, f->value, room), x,
                     y + L->fm[F_FIG_LABEL].height);
        return;
    }
    const tw_text_tex *tv = tw_draw_text_fit(ui, F_BANNER, f->ink, SURF_HEADER, f->value, room);
    tw_draw_blit(ui, tv, x, y);
    room -= tex_w(tv) + L->unit / 3;
    if (room <= L->unit)
        return;
    const tw_text_tex *tl = label_beside(ui, f, room);
    if (!tl)
        tl = tw_draw_text_fit(ui, F_FIG_LABEL, INK_MUTED, SURF_HEADER, shorter ? shorter : label,
                              room);
    tw_draw_blit(ui, tl, x + tex_w(tv) + L->unit / 3,
                 y + L->fm[F_BANNER].ascent - L->fm[F_FIG_LABEL].ascent);
}

static void gutter_figures(const tw_figures *f, struct gutter_fig fig[3])
{
    fig[0] = (struct gutter_fig){.ink = INK_MUTED, .label = _("Time to clear")};
    snprintf(fig[0].value, sizeof(fig[0].value), "\xe2\x80\x94");
    if (f && f->clear_n) {
        char d[48];
        tw_figures_format_duration(f->clear_median_s, d, sizeof(d));
        tw_strlcpy(fig[0].value, d, sizeof(fig[0].value));
        fig[0].ink = INK_TEXT;
        if (f->clear_prev_n > 0) {
            int64_t delta = f->clear_median_s - f->clear_prev_median_s;
            /* The trend as the strip's arrow: down is faster. */
            if (delta <= -60 || delta >= 60) {
                snprintf(fig[0].value, sizeof(fig[0].value), "%s %s", d,
                         delta < 0 ? "\xe2\x96\xbc" : "\xe2\x96\xb2");
                fig[0].ink = delta < 0 ? INK_GOOD : INK_BAD;
            }
        }
    }
    int pct = tw_figures_fast_percent(f);
    /* TRANSLATORS: "in 4 h" is the short form of "Answered in 4 h", after
       the share of questions: "75% in 4 h". */
    fig[1] = (struct gutter_fig){.ink = pct < 0 ? INK_MUTED : INK_TEXT,
                                 .label = _("Answered in 4 h"),
                                 .shorter = _("in 4 h")};
    if (pct < 0)
        snprintf(fig[1].value, sizeof(fig[1].value), "\xe2\x80\x94");
    else
        snprintf(fig[1].value, sizeof(fig[1].value), "%d%%", pct);
    fig[2] = (struct gutter_fig){
        .ink = f ? INK_WIN : INK_MUTED, .label = _("Wins this week"), .shorter = _("Wins")};
    if (f)
        snprintf(fig[2].value, sizeof(fig[2].value), "%d", f->wins_week);
    else
        snprintf(fig[2].value, sizeof(fig[2].value), "\xe2\x80\x94");
}

static void draw_gutter(tw_ui *ui, tw_rect g, const struct lobby_band_keep *b)
{
    const tw_layout *L = &ui->L;
    const tw_figures *f = b->has_figures && b->figures.valid ? &b->figures : NULL;
    tw_draw_round_rect(ui, g.x, g.y, g.w, g.h, surf(ui, SURF_HEADER));
    int x = g.x + L->pad, y = g.y + L->pad / 2;
    tw_draw_blit(
        ui, tw_draw_text_fit(ui, F_TITLE, INK_TEXT, SURF_HEADER, b->team, g.w - 2 * L->pad), x, y);
    y += L->fm[F_TITLE].height + L->unit / 3;
    struct gutter_fig fig[3];
    gutter_figures(f, fig);
    /* Label over value when three such fit under the name. Else one line
     * each, and a figure whose label does not fit beside its value (a
     * longer language, four teams) gets its label over it while the room
     * holds that too, the first figures first; the rest are cut. */
    int room = g.y + g.h - L->pad / 2 - y, label_h = L->fm[F_FIG_LABEL].height,
        skip = L->fm[F_BANNER].skip;
    bool all_stacked = room >= 3 * (label_h + skip), stack[3] = {false, false, false};
    int need = 3 * skip;
    for (int i = 0; i < 3 && !all_stacked; i++)
        if (need + label_h <= room && !fits_beside(ui, g, &fig[i])) {
            stack[i] = true;
            need += label_h;
        }
    for (int i = 0; i < 3; i++) {
        bool st = all_stacked || stack[i];
        int step = st ? label_h + skip : skip;
        if (room < step)
            return;
        figure_line(ui, g, y, st, &fig[i]);
        y += step;
        room -= step;
    }
}

/* ---- the frame ---- */

static void draw_lobby(tw_ui *ui)
{
    struct tw_lobby_keep *lk = ui->lobby;
    const tw_view *v = &lk->v;
    ui->n_placed = 0;
    banner_row rows[BANNER_MAX_ROWS];
    int nrows = tw_render_frame_begin(ui, v, rows);
    if (nrows < 0)
        return;
    /* The bands are few: the wall under them is cleared once rather than
     * painted around the cards as a board's frame is (ui/render.c). */
    SDL_Color bg = surf(ui, SURF_BG);
    SDL_SetRenderDrawColor(ui->r, bg.r, bg.g, bg.b, 0xFF);
    SDL_RenderClear(ui->r);
    tw_header_draw(ui, v);
    tw_banner_draw(ui, rows, nrows);

    tw_layout full = ui->L;
    tw_view bv = {0};
    bv.now = v->now;
    for (size_t i = 0; i < lk->n; i++) {
        struct lobby_band_keep *b = &lk->bands[i];
        tw_rect gutter;
        tw_lobby_layout(&full, (int)lk->n, (int)i, &ui->L, &gutter);
        swap_kept(ui, b);
        tw_cards_share_width(ui);
        ui->n_placed = 0;
        for (int k = 0; k < TW_KIND_COUNT; k++)
            tw_cards_place_section(ui, (tw_kind)k);
        draw_gutter(ui, gutter, b);
        for (int k = 0; k < TW_KIND_COUNT; k++)
            tw_cards_draw_section(ui, &bv, (tw_kind)k);
        swap_kept(ui, b);
        ui->L = full;
        if (i + 1 < lk->n) {
            /* A hairline in the gap to the next team, across its board. */
            tw_layout next;
            tw_rect ng;
            tw_lobby_layout(&full, (int)lk->n, (int)i + 1, &next, &ng);
            int y0 = gutter.y + gutter.h, rule = max_i(full.rule_h / 2, 1);
            tw_draw_fill(ui, next.board.x, y0 + (ng.y - y0 - rule) / 2, next.board.w, rule,
                         sdl(ui->th->marks.rule));
        }
    }
    ui->n_placed = 0;
    if (v->screen == TW_SCREEN_DIM) {
        SDL_SetRenderDrawBlendMode(ui->r, SDL_BLENDMODE_BLEND);
        SDL_SetRenderDrawColor(ui->r, 0, 0, 0, DIM_ALPHA);
        SDL_RenderFillRect(ui->r, NULL);
    }
}

bool tw_lobbyview_redraw(tw_ui *ui)
{
    if (!ui->lobby || !ui->lobby->active)
        return false;
    draw_lobby(ui);
    return true;
}

/* Keep what the frame shows: the header's part and, band by band, the
 * cards that may show (chosen in the band's own layout) and the figures. */
static void keep_lobby(tw_ui *ui, const tw_lobby_view *lv)
{
    if (!ui->lobby)
        ui->lobby = tw_xcalloc(1, sizeof(*ui->lobby));
    struct tw_lobby_keep *lk = ui->lobby;
    const tw_view *w = &lv->wall;
    free(lk->title);
    free(lk->reason);
    lk->title = tw_xstrdup(w->team ? w->team : "");
    lk->reason = w->offline_reason ? tw_xstrdup(w->offline_reason) : NULL;
    size_t nw = w->warnings ? w->n_warnings : 0;
    if (nw > lk->warn_cap) {
        lk->warn_cap = nw;
        lk->warnings = tw_xrealloc(lk->warnings, nw * sizeof(tw_warning));
    }
    if (nw)
        memcpy(lk->warnings, w->warnings, nw * sizeof(tw_warning));
    lk->v = (tw_view){0};
    lk->v.team = lk->title;
    lk->v.now = w->now;
    lk->v.online = w->online;
    lk->v.offline_since = w->offline_since;
    lk->v.offline_reason = lk->reason;
    lk->v.warnings = lk->warnings;
    lk->v.n_warnings = nw;
    lk->v.pixel_shift = w->pixel_shift;
    lk->v.screen = w->screen;

    tw_layout full = ui->L;
    lk->n = lv->n_bands < TW_TEAMS_MAX ? lv->n_bands : TW_TEAMS_MAX;
    for (size_t i = 0; i < lk->n; i++) {
        const tw_lobby_band *src = &lv->bands[i];
        struct lobby_band_keep *b = &lk->bands[i];
        snprintf(b->team, sizeof(b->team), "%s", src->team ? src->team : "");
        b->has_figures = src->figures != NULL;
        if (src->figures)
            b->figures = *src->figures;
        tw_rect gutter;
        tw_lobby_layout(&full, (int)lk->n, (int)i, &ui->L, &gutter);
        tw_view bv = {0};
        bv.now = w->now;
        bv.board = src->board;
        bv.items = src->items;
        bv.count = src->count;
        swap_kept(ui, b);
        tw_cards_keep(ui, &bv);
        swap_kept(ui, b);
        ui->L = full;
    }
    lk->active = true;
}

int tw_ui_render_lobby(tw_ui *ui, const tw_lobby_view *lv)
{
    if (!ui || !lv || !lv->bands || lv->n_bands == 0)
        return TW_ERR_INVAL;
    for (size_t i = 0; i < lv->n_bands; i++)
        if (lv->bands[i].count && !lv->bands[i].items)
            return TW_ERR_INVAL;
    int w, h, rc;
    if (SDL_GetRendererOutputSize(ui->r, &w, &h) != 0 || w <= 0 || h <= 0) {
        log_error("cannot read output size: %s", SDL_GetError());
        return TW_ERR_IO;
    }
    /* The size first: the banner's rows are measured at it. */
    if (w != ui->L.w || h != ui->L.h) {
        tw_draw_free_discs(ui);
        if ((rc = tw_render_relayout(ui, w, h, ui->L.banner_rows)) != 0)
            return rc;
    }
    banner_row rows[BANNER_MAX_ROWS];
    int nrows = tw_banner_layout_rows(ui, &lv->wall, rows);
    if (nrows != ui->L.banner_rows && (rc = tw_render_relayout(ui, w, h, nrows)) != 0)
        return rc;
    keep_lobby(ui, lv);
    ui->have_last = true;
    draw_lobby(ui);
    SDL_RenderPresent(ui->r);
    tw_cardcache_sweep(ui->cards);
    tw_textcache_sweep(ui->text);
    ui->next_frame = 0;
    ui->frames++;
    return 0;
}

int tw_ui_lobby_capacity(tw_ui *ui, int banner_rows, int max)
{
    if (!ui)
        return 0;
    int rows = ui->L.banner_rows, n;
    if (banner_rows != rows && tw_render_relayout(ui, ui->L.w, ui->L.h, banner_rows) != 0)
        return 0;
    n = tw_lobby_capacity(&ui->L, max);
    if (banner_rows != rows)
        tw_render_relayout(ui, ui->L.w, ui->L.h, rows);
    return n;
}
