/* SPDX-License-Identifier: MIT */
/*
 * The stand-up's screens: one item large (its kind, "carried over (3rd
 * stand-up)", the text, who raised it and when, who is helping, the last
 * steps of its history, the item's timer, amber at the limit and red at
 * twice it) under a header with the phase, "4 of 11" and the meeting's
 * timer; then the summary (discussed, resolved, claimed, still open, carried
 * over, time taken), or "nothing to walk through". Sized from the screen's
 * scale like the board, with three type sizes of their own (the item's text
 * is read from five metres), so the same screens work at 1920x1080, at
 * 800x480 and in portrait.
 */
#define _POSIX_C_SOURCE 200809L
#define LOG_MODULE      "ui"
#include "standupview.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "log.h"
#include "screen.h"
#include "util.h"

/* Font roles of their own, above the board's (ui/layout.h). */
enum { SU_LABEL = 13, SU_BIG = 14, SU_TEXT = 15 };
_Static_assert((int)F_NUM <= (int)SU_LABEL && (int)SU_TEXT < TW_FONT_ROLES,
               "stand-up font roles collide");

#define TEXT_LINES 6

static const tw_ink kind_ink_of[TW_KIND_COUNT] = {INK_BLOCKER, INK_QUESTION, INK_WIN};

int tw_standupview_timer_level(int64_t elapsed_s, int limit_s)
{
    if (limit_s <= 0)
        return 0;
    return elapsed_s >= 2 * (int64_t)limit_s ? 2 : elapsed_s >= limit_s ? 1 : 0;
}

void tw_standupview_ordinal(int n, char *buf, size_t size)
{
    /* TRANSLATORS: the one ending of ordinal numbers in your language, as
     * in "3rd stand-up": "." in German, "e" in French and Dutch, ".º" in
     * Spanish. English's st/nd/rd/th are chosen in the code. */
    const char *suffix = C_("ordinal suffix", "th");
    if (strcmp(suffix, "th") == 0) {
        if (n % 100 < 11 || n % 100 > 13)
            suffix = n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th";
    }
    snprintf(buf, size, "%d%s", n, suffix);
}

int tw_standupview_size_fonts(tw_ui *ui, int w, int h)
{
    /* The board's scale (ui/layout.c): the shorter side, at most 9/16 of
     * the longer one. */
    int s = w < h ? w : h, l = w < h ? h : w;
    if ((long)l * 9 / 16 < s)
        s = (int)((long)l * 9 / 16);
    if (s < 240)
        s = 240;
    const struct {
        int role, div, min;
        bool bold;
    } spec[] = {{SU_LABEL, 26, 15, true}, {SU_BIG, 9, 34, true}, {SU_TEXT, 12, 22, false}};
    for (size_t i = 0; i < TW_ARRAY_LEN(spec); i++) {
        int px = s / spec[i].div > spec[i].min ? s / spec[i].div : spec[i].min;
        if (tw_fonts_set_role(ui->fonts, spec[i].role, spec[i].bold, px) != 0)
            return TW_ERR_IO;
        tw_textcache_flush_font(ui->text, spec[i].role);
        tw_fonts_metrics(ui->fonts, spec[i].role, &ui->su_fm[spec[i].role - SU_LABEL]);
    }
    return 0;
}

static const tw_font_metrics *fm(const tw_ui *ui, int role)
{
    return &ui->su_fm[role - SU_LABEL];
}

/* "1:32", "12:05", "1:02:00". */
static void clock_text(int64_t secs, char *buf, size_t size)
{
    if (secs < 0)
        secs = 0;
    if (secs >= 3600)
        snprintf(buf, size, "%d:%02d:%02d", (int)(secs / 3600), (int)(secs / 60 % 60),
                 (int)(secs % 60));
    else
        snprintf(buf, size, "%d:%02d", (int)(secs / 60), (int)(secs % 60));
}

static int timer_ink(int level)
{
    return level == 2 ? INK_BAD : level == 1 ? INK_WARN : INK_TEXT;
}

static const char *phase_title(tw_standup_phase p)
{
    switch (p) {
    case TW_SU_BLOCKERS: return _("Blockers");
    case TW_SU_QUESTIONS: return _("Questions");
    case TW_SU_WINS: return _("Wins");
    case TW_SU_SUMMARY: return _("Summary");
    case TW_SU_IDLE: break;
    }
    return "";
}

static tw_ink phase_ink(tw_standup_phase p)
{
    return p == TW_SU_BLOCKERS    ? INK_BLOCKER
           : p == TW_SU_QUESTIONS ? INK_QUESTION
           : p == TW_SU_WINS      ? INK_WIN
                                  : INK_TEXT;
}

/* The header: "Stand-up  Blockers  4 of 11 ...... Meeting 7:12 / 15:00  09:42".
 * Where that does not fit (portrait, small screens) the clock goes first,
 * then the word "Meeting", then "Stand-up": the phase, the position and the
 * meeting's timer always show. */
static void draw_header(tw_ui *ui, const tw_view *v, const tw_standup_view *sv)
{
    const tw_layout *L = &ui->L;
    const tw_standup *su = sv->su;
    int sh = L->shift, hh = L->header.h, cy = hh / 2, u = L->unit;
    tw_draw_fill(ui, -sh, -sh, L->w + 2 * sh, hh + sh, surf(ui, SURF_HEADER));
    tw_draw_fill(ui, -sh, hh - 1, L->w + 2 * sh, 1, sdl(ui->th->marks.rule));

    char buf[96], t1[32], t2[32];
    tw_format_hhmm(v->now, buf, sizeof(buf));
    const tw_text_tex *clock = tw_draw_text_str(ui, F_STATUS, INK_MUTED, SURF_HEADER, buf);
    int64_t end = su->phase == TW_SU_SUMMARY && su->ended ? su->ended : v->now;
    int64_t meeting = end - su->started;
    clock_text(meeting, t1, sizeof(t1));
    clock_text((int64_t)sv->meeting_minutes * 60, t2, sizeof(t2));
    snprintf(buf, sizeof(buf), "%s / %s", t1, t2);
    int level = tw_standupview_timer_level(meeting, sv->meeting_minutes * 60);
    const tw_text_tex *mt = tw_draw_text_str(ui, F_HEADER, timer_ink(level), SURF_HEADER, buf);
    const tw_text_tex *ml = tw_draw_text_str(ui, F_STATUS, INK_MUTED, SURF_HEADER, _("Meeting"));
    const tw_text_tex *title = tw_draw_text_str(ui, F_HEADER, INK_TEXT, SURF_HEADER, _("Stand-up"));
    const tw_text_tex *ph =
        tw_draw_text_str(ui, F_HEADER, phase_ink(su->phase), SURF_HEADER, phase_title(su->phase));
    const tw_text_tex *pos = NULL;
    if (su->phase != TW_SU_SUMMARY && su->count > 0) {
        snprintf(buf, sizeof(buf), _("%d of %d"), su->position, su->count);
        pos = tw_draw_text_str(ui, F_HEADER, INK_MUTED, SURF_HEADER, buf);
    }
    int room = L->w - 2 * L->margin;
    int need = tex_w(ph) + (pos ? u + tex_w(pos) : 0) + u * 3 / 2 + tex_w(mt);
    bool show_clock =
        need + tex_w(clock) + u * 3 / 2 + tex_w(ml) + u / 2 + tex_w(title) + u <= room;
    bool show_ml = need + tex_w(ml) + u / 2 + tex_w(title) + u <= room;
    bool show_title = need + tex_w(title) + u <= room;

    int x = L->w - L->margin;
    if (show_clock) {
        x -= tex_w(clock);
        tw_draw_blit(ui, clock, x, text_top_centred(ui, F_STATUS, cy));
        x -= u * 3 / 2;
    }
    x -= tex_w(mt);
    tw_draw_blit(ui, mt, x, text_top_centred(ui, F_HEADER, cy));
    if (show_ml) {
        x -= u / 2 + tex_w(ml);
        tw_draw_blit(ui, ml, x, text_top_centred(ui, F_STATUS, cy));
    }
    int lx = L->margin;
    if (show_title) {
        tw_draw_blit(ui, title, lx, text_top_centred(ui, F_HEADER, cy));
        lx += tex_w(title) + u;
    }
    int right = x - u;
    ph = tw_draw_text_fit(ui, F_HEADER, phase_ink(su->phase), SURF_HEADER, phase_title(su->phase),
                          right - lx - (pos ? u + tex_w(pos) : 0));
    tw_draw_blit(ui, ph, lx, text_top_centred(ui, F_HEADER, cy));
    lx += tex_w(ph) + u;
    if (pos)
        tw_draw_blit(ui, pos, lx, text_top_centred(ui, F_HEADER, cy));
}

/* Where the walk stands: a segment an item (a plain bar when they are too
 * many to tell apart). */
static void draw_progress(tw_ui *ui, const tw_standup *su, int y, int h)
{
    const tw_layout *L = &ui->L;
    int x0 = L->margin, w = L->w - 2 * L->margin;
    if (su->count <= 0 || w <= 0)
        return;
    SDL_Color track = sdl(ui->th->marks.track);
    int done = su->phase == TW_SU_SUMMARY ? su->count : su->position;
    if (su->count > w / 8) {
        tw_draw_round_rect_r(ui, x0, y, w, h, h / 2, track);
        tw_draw_round_rect_r(ui, x0, y, w * done / su->count, h, h / 2, ink(ui, INK_MUTED));
        return;
    }
    int gap = max_i(h / 2, 2);
    for (int i = 0; i < su->count; i++) {
        int a = x0 + (int)((int64_t)w * i / su->count),
            b = x0 + (int)((int64_t)w * (i + 1) / su->count);
        SDL_Color c = i + 1 == su->position && su->phase != TW_SU_SUMMARY
                          ? ink(ui, kind_ink_of[su->walk[i].kind])
                      : i + 1 < done || su->phase == TW_SU_SUMMARY ? ink(ui, INK_MUTED)
                                                                   : track;
        tw_draw_round_rect_r(ui, a, y, b - a - gap, h, h / 2, c);
    }
}

/* A card's box; with an outline where the theme's cards need one (high
 * contrast: black cards on black). */
static void card_box(tw_ui *ui, int x, int y, int w, int h, int r)
{
    if (!same_rgb(ui->th->marks.card_border, ui->th->surface[SURF_CARD])) {
        int b = max_i(ui->L.unit / 10, 1);
        tw_draw_round_rect_r(ui, x, y, w, h, r, sdl(ui->th->marks.card_border));
        tw_draw_round_rect_r(ui, x + b, y + b, w - 2 * b, h - 2 * b, r, surf(ui, SURF_CARD));
    } else {
        tw_draw_round_rect_r(ui, x, y, w, h, r, surf(ui, SURF_CARD));
    }
}

static const char *action_words(const char *action)
{
    if (strcmp(action, "post") == 0)
        return _("posted");
    if (strcmp(action, "claim") == 0)
        return _("claimed");
    if (strcmp(action, "resolve") == 0)
        return _("resolved");
    if (strcmp(action, "reopen") == 0)
        return _("reopened");
    return action;
}

/* The item card: kind and carried-over pill, text, who and when, helper. */
static void draw_item_card(tw_ui *ui, const tw_view *v, const tw_standup_view *sv, tw_rect r)
{
    const tw_layout *L = &ui->L;
    const tw_item *it = sv->item;
    const tw_standup_entry *e = tw_standup_current(sv->su);
    tw_kind kind = it ? it->kind : e ? e->kind : TW_KIND_BLOCKER;
    int u = L->unit, aw = max_i(L->accent_w * 3, 6);
    tw_draw_round_rect_r(ui, r.x, r.y, aw + 2 * L->radius * 2, r.h, L->radius * 2,
                         ink(ui, kind_ink_of[kind]));
    card_box(ui, r.x + aw, r.y, r.w - aw, r.h, L->radius * 2);
    int x = r.x + aw + u * 3 / 2, w = r.w - aw - u * 3, y = r.y + u;
    char buf[TW_TEXT_SIZE + 128], age[24], nth[16];

    static const char *const kind_word[TW_KIND_COUNT] = {N_("Blocker"), N_("Question"), N_("Win")};
    const tw_text_tex *kw =
        tw_draw_text_str(ui, SU_LABEL, kind_ink_of[kind], SURF_CARD, _(kind_word[kind]));
    tw_draw_blit(ui, kw, x, y);
    if (e && e->carried > 0) {
        tw_standupview_ordinal(e->carried + 1, nth, sizeof(nth));
        snprintf(buf, sizeof(buf), _("carried over (%s stand-up)"), nth);
        tw_surface ps = e->carried >= 2 ? SURF_BAD : SURF_WARN;
        tw_ink pi = e->carried >= 2 ? INK_ON_BAD : INK_ON_WARN;
        int px = x + tex_w(kw) + u, ph = fm(ui, SU_LABEL)->height;
        const tw_text_tex *pt = tw_draw_text_fit(ui, SU_LABEL, pi, ps, buf, x + w - px - ph);
        if (pt) {
            tw_draw_round_rect_r(ui, px, y, tex_w(pt) + ph, ph, ph / 2, surf(ui, ps));
            tw_draw_blit(ui, pt, px + ph / 2, y);
        }
    }
    y += fm(ui, SU_LABEL)->height + u / 2;

    /* The bottom lines first: the text gets the room left between. */
    int skip = fm(ui, SU_LABEL)->skip, bottom = r.y + r.h - u;
    int by = bottom - fm(ui, SU_LABEL)->height;
    if (it && (it->state == TW_STATE_CLAIMED || it->state == TW_STATE_RESOLVED)) {
        if (it->state == TW_STATE_RESOLVED)
            snprintf(buf, sizeof(buf), _("Resolved by %s"),
                     it->resolved_by[0] ? it->resolved_by : _("someone"));
        else
            snprintf(buf, sizeof(buf), _("%s is on it"),
                     it->claimed_by[0] ? it->claimed_by : _("someone"));
        tw_ink hi = it->state == TW_STATE_RESOLVED ? INK_GOOD : INK_HELPING;
        int d = fm(ui, SU_LABEL)->ascent * 6 / 10;
        tw_draw_dot(ui, x + d / 2, by + fm(ui, SU_LABEL)->ascent - d / 2 - d / 4, d, ink(ui, hi));
        tw_draw_blit(ui, tw_draw_text_fit(ui, SU_LABEL, hi, SURF_CARD, buf, w - d * 2), x + d * 2,
                     by);
    } else if (it) {
        tw_draw_blit(
            ui, tw_draw_text_fit(ui, SU_LABEL, INK_MUTED, SURF_CARD, _("Nobody is on it yet"), w),
            x, by);
    }
    by -= skip;
    if (it) {
        tw_format_age(v->now - it->created, age, sizeof(age));
        snprintf(buf, sizeof(buf), "%s" SEP "%s", it->author[0] ? it->author : _("someone"), age);
        tw_draw_blit(ui, tw_draw_text_fit(ui, SU_LABEL, INK_MUTED, SURF_CARD, buf, w), x, by);
    }

    const char *text = it ? it->text : _("(this item is gone from the board)");
    int lines = (by - u / 2 - y - fm(ui, SU_TEXT)->height) / max_i(fm(ui, SU_TEXT)->skip, 1) + 1;
    if (lines > TEXT_LINES)
        lines = TEXT_LINES;
    if (lines < 1)
        lines = 1;
    const tw_wrap *wr = tw_textcache_wrap(ui->text, SU_TEXT, text, w, lines);
    for (int i = 0; wr && i < wr->n; i++) {
        const tw_text_tex *t = tw_draw_text_line(ui, SU_TEXT, INK_TEXT, SURF_CARD, text, wr, i);
        tw_draw_blit(ui, t, wr->rtl ? x + w - tex_w(t) : x, y + i * fm(ui, SU_TEXT)->skip);
    }
}

/* The item's timer and its history, in the side panel r. */
static void draw_side(tw_ui *ui, const tw_view *v, const tw_standup_view *sv, tw_rect r,
                      bool stacked)
{
    const tw_layout *L = &ui->L;
    const tw_standup *su = sv->su;
    int u = L->unit, x = r.x, y = r.y, w = r.w;
    char buf[TW_NOTE_SIZE + 160], t1[32], t2[32], when[48];
    int64_t elapsed = v->now - su->item_started;
    int level = tw_standupview_timer_level(elapsed, sv->item_seconds);
    clock_text(elapsed, t1, sizeof(t1));
    clock_text(sv->item_seconds, t2, sizeof(t2));

    tw_draw_blit(ui, tw_draw_text_fit(ui, SU_LABEL, INK_MUTED, SURF_BG, _("This item"), w), x, y);
    y += fm(ui, SU_LABEL)->height;
    const tw_text_tex *tt = tw_draw_text_str(ui, SU_BIG, timer_ink(level), SURF_BG, t1);
    tw_draw_blit(ui, tt, x, y);
    snprintf(buf, sizeof(buf),
             level == 2   ? _("twice its %s")
             : level == 1 ? _("past its %s")
                          : _("of %s"),
             t2);
    const tw_text_tex *lim = tw_draw_text_fit(ui, SU_LABEL, level ? timer_ink(level) : INK_MUTED,
                                              SURF_BG, buf, stacked ? w - tex_w(tt) - u : w);
    if (stacked) {
        tw_draw_blit(ui, lim, x + tex_w(tt) + u,
                     y + fm(ui, SU_BIG)->ascent - fm(ui, SU_LABEL)->ascent);
        y += fm(ui, SU_BIG)->height;
    } else {
        y += fm(ui, SU_BIG)->height;
        tw_draw_blit(ui, lim, x, y);
        y += fm(ui, SU_LABEL)->height;
    }

    /* Claim and Resolve for touch screens (tw_ui_standup_button()). */
    if (sv->item && sv->item->state != TW_STATE_RESOLVED) {
        y += u;
        int bh = L->fm[F_BUTTON].height + u, bw = (w - u) / 2;
        static const char *const label[2] = {N_("Claim"), N_("Resolve")};
        for (int i = 0; i < 2; i++) {
            tw_rect b = {x + i * (bw + u), y, bw, bh};
            tw_surface bs = i ? SURF_PRIMARY : SURF_BUTTON;
            tw_draw_round_rect(ui, b.x, b.y, b.w, b.h, surf(ui, bs));
            const tw_text_tex *t = tw_draw_text_fit(
                ui, F_BUTTON, i ? INK_ON_PRIMARY : INK_ON_BUTTON, bs, _(label[i]), b.w - u);
            tw_draw_blit(ui, t, b.x + (b.w - tex_w(t)) / 2,
                         text_top_centred(ui, F_BUTTON, b.y + b.h / 2));
            ui->su_buttons[i] = b;
        }
        ui->n_su_buttons = 2;
        y += bh;
    }

    if (!sv->n_history)
        return;
    y += u;
    int mh = L->fm[F_STATUS].skip, bottom = r.y + r.h;
    if (y + L->fm[F_STRONG].height + mh > bottom)
        return;
    tw_draw_blit(ui, tw_draw_text_str(ui, F_STRONG, INK_MUTED, SURF_BG, _("History")), x, y);
    y += L->fm[F_STRONG].height + u / 4;
    tw_draw_fill(ui, x, y - u / 8, w, 1, sdl(ui->th->marks.rule));
    size_t fit = (size_t)max_i((bottom - y) / max_i(mh, 1), 0);
    if (fit > sv->n_history)
        fit = sv->n_history;
    for (size_t i = sv->n_history - fit; i < sv->n_history; i++) {
        const tw_history_entry *h = &sv->history[i];
        tw_format_when(h->at, v->now, when, sizeof(when));
        int n = snprintf(buf, sizeof(buf), _("%s  %s by %s"), when, action_words(h->action),
                         h->actor[0] ? h->actor : _("someone"));
        if (h->detail[0] && n > 0 && (size_t)n < sizeof(buf))
            snprintf(buf + n, sizeof(buf) - (size_t)n, ": %.200s", h->detail);
        tw_draw_blit(ui, tw_draw_text_fit(ui, F_STATUS, INK_TEXT, SURF_BG, buf, w), x, y);
        y += mh;
    }
}

static void draw_footer(tw_ui *ui, const char *s)
{
    const tw_layout *L = &ui->L;
    int fh = L->fm[F_STATUS].height;
    const tw_text_tex *t =
        tw_draw_text_fit(ui, F_STATUS, INK_MUTED, SURF_BG, s, L->w - 2 * L->margin);
    tw_draw_blit(ui, t, (L->w - tex_w(t)) / 2, L->h - L->margin / 2 - fh);
}

/* The height the item card needs at width w (portrait sizes it to this). */
static int card_need(tw_ui *ui, const tw_standup_view *sv, int w)
{
    const tw_layout *L = &ui->L;
    int u = L->unit, aw = max_i(L->accent_w * 3, 6);
    const char *text = sv->item ? sv->item->text : "";
    const tw_wrap *wr = tw_textcache_wrap(ui->text, SU_TEXT, text, w - aw - u * 3, TEXT_LINES);
    int lines = wr && wr->n ? wr->n : 1;
    return u + fm(ui, SU_LABEL)->height + u / 2 + (lines - 1) * fm(ui, SU_TEXT)->skip +
           fm(ui, SU_TEXT)->height + u + 2 * fm(ui, SU_LABEL)->skip + u;
}

static void draw_walk(tw_ui *ui, const tw_view *v, const tw_standup_view *sv, int top, int bottom)
{
    const tw_layout *L = &ui->L;
    int u = L->unit, x = L->margin, w = L->w - 2 * L->margin, h = bottom - top;
    if (L->portrait) {
        int side_h = fm(ui, SU_LABEL)->height + fm(ui, SU_BIG)->height + u +
                     L->fm[F_STRONG].height + L->fm[F_STATUS].skip * TW_STANDUP_VIEW_HISTORY;
        if (side_h > h / 2)
            side_h = h / 2;
        int ch = card_need(ui, sv, w);
        if (ch < h * 45 / 100)
            ch = h * 45 / 100;
        if (ch > h - side_h - u)
            ch = h - side_h - u;
        tw_rect card = {x, top, w, ch};
        side_h = h - ch - u;
        draw_item_card(ui, v, sv, card);
        draw_side(ui, v, sv, (tw_rect){x, top + card.h + u, w, side_h}, true);
    } else {
        int cw = w * 66 / 100;
        draw_item_card(ui, v, sv, (tw_rect){x, top, cw, h});
        draw_side(ui, v, sv, (tw_rect){x + cw + u * 3 / 2, top, w - cw - u * 3 / 2, h}, false);
    }
}

static void draw_summary(tw_ui *ui, const tw_view *v, const tw_standup_view *sv, int top,
                         int bottom)
{
    const tw_layout *L = &ui->L;
    const tw_standup *su = sv->su;
    int u = L->unit, x0 = L->margin, w = L->w - 2 * L->margin;
    char buf[128];
    if (su->count == 0) {
        int cy = (top + bottom) / 2;
        const tw_text_tex *a =
            tw_draw_text_fit(ui, SU_BIG, INK_TEXT, SURF_BG, _("Nothing to walk through"), w);
        tw_draw_blit(ui, a, (L->w - tex_w(a)) / 2, cy - fm(ui, SU_BIG)->height);
        const tw_text_tex *b = tw_draw_text_fit(
            ui, SU_LABEL, INK_MUTED, SURF_BG, _("No open blockers or questions, no new wins."), w);
        tw_draw_blit(ui, b, (L->w - tex_w(b)) / 2, cy + u / 2);
        return;
    }
    tw_standup_summary *m = tw_xmalloc(sizeof(*m));
    tw_standup_summarize(su, m);
    struct tile {
        const char *label;
        char value[32];
        tw_ink ink;
    } t[6];
    snprintf(t[0].value, sizeof(t[0].value), "%d", m->discussed);
    snprintf(buf, sizeof(buf), _("discussed of %d"), su->count);
    t[0].label = NULL;
    t[0].ink = INK_TEXT;
    snprintf(t[1].value, sizeof(t[1].value), "%d", m->n_resolved);
    t[1].label = _("resolved in the meeting");
    t[1].ink = m->n_resolved ? INK_GOOD : INK_TEXT;
    snprintf(t[2].value, sizeof(t[2].value), "%d", m->n_claimed);
    t[2].label = _("claimed");
    t[2].ink = m->n_claimed ? INK_HELPING : INK_TEXT;
    snprintf(t[3].value, sizeof(t[3].value), "%d", m->still_open);
    t[3].label = _("still open");
    t[3].ink = INK_TEXT;
    snprintf(t[4].value, sizeof(t[4].value), "%d", m->n_carried_over);
    t[4].label = _("carried over again");
    t[4].ink = m->n_carried_over ? INK_WARN : INK_TEXT;
    clock_text(m->duration_s, t[5].value, sizeof(t[5].value));
    t[5].label = _("time taken");
    t[5].ink =
        tw_standupview_timer_level(m->duration_s, sv->meeting_minutes * 60) ? INK_WARN : INK_TEXT;
    free(m);

    int cols = L->portrait ? 2 : 3, rows = 6 / cols, gap = u;
    int tw = (w - (cols - 1) * gap) / cols, th = (bottom - top - (rows - 1) * gap) / rows;
    int need = fm(ui, SU_BIG)->height + fm(ui, SU_LABEL)->height + fm(ui, SU_LABEL)->skip + 2 * u;
    if (th > need * 3 / 2)
        th = need * 3 / 2;
    int y0 = top + (bottom - top - rows * th - (rows - 1) * gap) / 2;
    for (int i = 0; i < 6; i++) {
        int cx = x0 + (i % cols) * (tw + gap), cy = y0 + (i / cols) * (th + gap);
        card_box(ui, cx, cy, tw, th, L->radius * 2);
        int ty = cy + (th - need) / 2 + u;
        tw_draw_blit(ui, tw_draw_text_fit(ui, SU_BIG, t[i].ink, SURF_CARD, t[i].value, tw - 2 * u),
                     cx + u, ty);
        const char *label = t[i].label ? t[i].label : buf;
        const tw_wrap *wr = tw_textcache_wrap(ui->text, SU_LABEL, label, tw - 2 * u, 2);
        for (int l = 0; wr && l < wr->n; l++)
            tw_draw_blit(ui, tw_draw_text_line(ui, SU_LABEL, INK_MUTED, SURF_CARD, label, wr, l),
                         cx + u, ty + fm(ui, SU_BIG)->height + l * fm(ui, SU_LABEL)->skip);
    }
    (void)v;
}

void tw_standupview_draw(tw_ui *ui, const tw_view *v)
{
    ui->n_su_buttons = 0;
    const tw_standup_view *sv = v->standup;
    const tw_layout *L = &ui->L;
    int sh = L->shift, u = L->unit;
    tw_draw_fill(ui, -sh, -sh, L->w + 2 * sh, L->h + 2 * sh, surf(ui, SURF_BG));
    draw_header(ui, v, sv);
    int bar = max_i(u / 4, 3);
    int top = L->header.h + u / 2;
    draw_progress(ui, sv->su, top, bar);
    top += bar + u;
    int bottom = L->h - L->margin - L->fm[F_STATUS].height - u / 2;
    char buf[160];
    if (sv->su->phase == TW_SU_SUMMARY) {
        draw_summary(ui, v, sv, top, bottom);
        /* A time, not a countdown: the summary needs no wake-up a second. */
        char at[16];
        tw_format_hhmm(sv->su->ended + TW_STANDUP_SUMMARY_S, at, sizeof(at));
        snprintf(buf, sizeof(buf), _("Back to the board at %s"), at);
        draw_footer(ui, buf);
    } else {
        draw_walk(ui, v, sv, top, bottom);
        draw_footer(ui, _("Space or \xe2\x86\x92 next  \xc2\xb7  \xe2\x86\x90 back  \xc2\xb7  "
                          "C claim  \xc2\xb7  R resolve  \xc2\xb7  Esc stop"));
    }
}
