/* SPDX-License-Identifier: MIT */
/*
 * The figures strip (time to clear a blocker, questions answered in time,
 * blockers opened and cleared, wins this week), composed once until the
 * figures change, and the "learned" line under it.
 */
#define _POSIX_C_SOURCE 200809L
#define LOG_MODULE      "ui"
#include "screen.h"

#include "i18n.h"

#include <stdio.h>
#include <string.h>

/* ---- figures strip and the learned line ---- */

/* A tile's label: the whole one when it fits, else its short form (on the
 * 7" screen, and in languages with long words), never a cut word unless
 * even the short form does not fit. */
static void tile_label(tw_ui *ui, tw_rect t, const char *s, const char *shorter, int max_w)
{
    const tw_text_tex *full = tw_draw_text_str(ui, F_FIG_LABEL, INK_MUTED, SURF_HEADER, s);
    const tw_text_tex *tex = tex_w(full) <= max_w ? full
                                                  : tw_draw_text_fit(ui, F_FIG_LABEL, INK_MUTED,
                                                                     SURF_HEADER, shorter, max_w);
    tw_draw_blit(ui, tex, t.x + ui->L.pad, t.y + ui->L.pad);
}

/* The big value of a tile and, after it on the same baseline, a note, or
 * its short form when the note does not fit (the arrow without "faster"). */
static void tile_value(tw_ui *ui, tw_rect t, const char *value, tw_ink vi, const char *note,
                       const char *shorter, tw_ink ni)
{
    const tw_layout *L = &ui->L;
    int y = t.y + L->pad + L->fm[F_FIG_LABEL].height;
    int x = t.x + L->pad, max = t.w - 2 * L->pad;
    const tw_text_tex *tv = tw_draw_text_fit(ui, F_FIG_VALUE, vi, SURF_HEADER, value, max);
    tw_draw_blit(ui, tv, x, y);
    int room = max - tex_w(tv) - L->unit / 2;
    if (note && *note && shorter &&
        tex_w(tw_draw_text_str(ui, F_FIG_LABEL, ni, SURF_HEADER, note)) > room)
        note = shorter;
    /* A trend that still does not fit keeps its arrow: "▼" says faster. */
    char arrow[4];
    if (note && strncmp(note, "\xe2\x96", 2) == 0 &&
        tex_w(tw_draw_text_str(ui, F_FIG_LABEL, ni, SURF_HEADER, note)) > room) {
        memcpy(arrow, note, 3);
        arrow[3] = '\0';
        note = arrow;
    }
    if (note && *note && room > L->unit) {
        const tw_text_tex *tn = tw_draw_text_fit(ui, F_FIG_LABEL, ni, SURF_HEADER, note, room);
        /* Baselines together: the note sits on the value's baseline. */
        tw_draw_blit(ui, tn, x + tex_w(tv) + L->unit / 2,
                     y + L->fm[F_FIG_VALUE].ascent - L->fm[F_FIG_LABEL].ascent);
    }
}

static void draw_chart(tw_ui *ui, tw_rect t, const tw_figures *f)
{
    const tw_layout *L = &ui->L;
    const tw_theme *th = ui->th;
    /* Legend on the label's line, right-aligned. */
    const tw_text_tex *lo = tw_draw_text_str(ui, F_FIG_LABEL, INK_MUTED, SURF_HEADER, _("cleared"));
    const tw_text_tex *lh = tw_draw_text_str(ui, F_FIG_LABEL, INK_MUTED, SURF_HEADER, _("opened"));
    int sq = L->fm[F_FIG_LABEL].ascent * 7 / 10, ly = t.y + L->pad;
    int sy = ly + L->fm[F_FIG_LABEL].ascent - sq;
    int x = t.x + t.w - L->pad - tex_w(lo);
    tw_draw_blit(ui, lo, x, ly);
    x -= sq + L->unit / 4;
    tw_draw_fill(ui, x, sy, sq, sq, sdl(th->marks.bar_lo));
    x -= L->unit * 2 / 3 + tex_w(lh);
    tw_draw_blit(ui, lh, x, ly);
    x -= sq + L->unit / 4;
    tw_draw_fill(ui, x, sy, sq, sq, sdl(th->marks.bar_hi));
    /* TRANSLATORS: the chart's title, and its short form for small screens. */
    tile_label(ui, t, _("Blockers opened and cleared, 14 days"), _("Blockers, 14 days"),
               x - L->unit - t.x - L->pad);

    int cx = t.x + L->pad, cw = t.w - 2 * L->pad;
    int top = ly + L->fm[F_FIG_LABEL].height + L->unit / 4, base = t.y + t.h - L->pad;
    int ch = base - top;
    if (ch < 4 || cw < TW_FIG_DAYS * 3)
        return;
    int most = 1;
    for (int d = 0; f && f->valid && d < TW_FIG_DAYS; d++)
        most = max_i(most, max_i(f->opened[d], f->cleared[d]));
    int gw = cw / TW_FIG_DAYS, bw = max_i(gw * 34 / 100, 1), gap = max_i(gw / 16, 1);
    int x0 = cx + (cw - gw * TW_FIG_DAYS) / 2;
    for (int d = 0; d < TW_FIG_DAYS; d++) {
        int gx = x0 + d * gw + (gw - 2 * bw - gap) / 2;
        int o = f && f->valid ? f->opened[d] : 0, c = f && f->valid ? f->cleared[d] : 0;
        int oh = o ? max_i(ch * o / most, 2) : 0, chh = c ? max_i(ch * c / most, 2) : 0;
        tw_draw_fill(ui, gx, base - oh, bw, oh, sdl(th->marks.bar_hi));
        tw_draw_fill(ui, gx + bw + gap, base - chh, bw, chh, sdl(th->marks.bar_lo));
        /* A tick under every day, so an empty fortnight still reads as 14
         * days; today's is twice as thick and in the text's colour. (A
         * lighter column behind today read from three metres as the
         * tallest bar of the fortnight.) */
        bool today = d == TW_FIG_DAYS - 1;
        int tick = max_i(L->rule_h, 2) * (today ? 2 : 1);
        tw_draw_fill(ui, gx, base + max_i(L->rule_h / 2, 1), 2 * bw + gap, tick,
                     today ? ink(ui, INK_TEXT) : sdl(th->marks.rule));
    }
}

/* Every pixel of the strip's rect and the wall beside it: the wall, the
 * tiles. */
static void compose_strip(tw_ui *ui, const void *arg)
{
    const tw_layout *L = &ui->L;
    const tw_figures *f = arg;
    char value[64], note[96], brief[64];
    bool outline = !same_rgb(ui->th->marks.card_border, ui->th->surface[SURF_CARD]);
    tw_draw_fill(ui, L->strip.x - ui->strip_pl, L->strip.y,
                 L->strip.w + ui->strip_pl + ui->strip_pr, L->strip.h, surf(ui, SURF_BG));
    for (int t = 0; t < TW_TILES; t++) {
        tw_rect r = L->tile[t];
        if (outline) { /* high contrast: black tiles on black need an edge */
            tw_draw_round_rect(ui, r.x, r.y, r.w, r.h, sdl(ui->th->marks.card_border));
            tw_draw_round_rect(ui, r.x + 1, r.y + 1, r.w - 2, r.h - 2, surf(ui, SURF_HEADER));
        } else {
            tw_draw_round_rect(ui, r.x, r.y, r.w, r.h, surf(ui, SURF_HEADER));
        }
    }

    /* Time to clear a blocker, and its trend against the 14 days before. */
    tw_rect t0 = L->tile[0];
    tile_label(ui, t0, _("Time to clear a blocker, 14 days"), _("Time to clear"),
               t0.w - 2 * L->pad);
    tw_ink ni = INK_MUTED;
    note[0] = brief[0] = '\0';
    if (!f || f->clear_n == 0) {
        snprintf(value, sizeof(value), "\xe2\x80\x94");
        snprintf(note, sizeof(note), "%s", f ? _("none cleared") : "");
    } else {
        tw_figures_format_duration(f->clear_median_s, value, sizeof(value));
        if (f->clear_prev_n > 0) {
            int64_t d = f->clear_median_s - f->clear_prev_median_s;
            char dur[32];
            tw_figures_format_duration(d < 0 ? -d : d, dur, sizeof(dur));
            if (d <= -60) {
                snprintf(note, sizeof(note), _("\xe2\x96\xbc %s faster"), dur);
                snprintf(brief, sizeof(brief), "\xe2\x96\xbc %s", dur);
                ni = INK_GOOD;
            } else if (d >= 60) {
                snprintf(note, sizeof(note), _("\xe2\x96\xb2 %s slower"), dur);
                snprintf(brief, sizeof(brief), "\xe2\x96\xb2 %s", dur);
                ni = INK_BAD;
            } else {
                snprintf(note, sizeof(note), "%s", _("as before"));
            }
        } else {
            snprintf(note, sizeof(note), _("median of %d"), f->clear_n);
        }
    }
    tile_value(ui, t0, value, f && f->clear_n ? INK_TEXT : INK_MUTED, note, brief[0] ? brief : NULL,
               ni);
    brief[0] = '\0';

    /* Questions answered within 4 hours, with a bar. */
    tw_rect t1 = L->tile[1];
    tile_label(ui, t1, _("Questions answered within 4 h"), _("Answered in 4 h"), t1.w - 2 * L->pad);
    int pct = tw_figures_fast_percent(f);
    if (pct < 0) {
        snprintf(value, sizeof(value), "\xe2\x80\x94");
        if (f && f->questions_asked) {
            snprintf(note, sizeof(note), _("%d asked, none 4 h old yet"), f->questions_asked);
            snprintf(brief, sizeof(brief), _("%d asked"), f->questions_asked);
        } else
            snprintf(note, sizeof(note), "%s", f ? _("none asked") : "");
    } else {
        snprintf(value, sizeof(value), "%d%%", pct);
        snprintf(note, sizeof(note), _("%d of %d"), f->questions_fast, f->questions_decided);
    }
    tile_value(ui, t1, value, pct < 0 ? INK_MUTED : INK_TEXT, note, brief[0] ? brief : NULL,
               INK_MUTED);
    if (pct >= 0) {
        int bx = t1.x + L->pad, bw = t1.w - 2 * L->pad, bh = max_i(L->rule_h * 2, 3);
        int by = t1.y + t1.h - L->pad / 2 - bh;
        tw_draw_round_rect_r(ui, bx, by, bw, bh, bh / 2, sdl(ui->th->marks.track));
        if (pct > 0)
            tw_draw_round_rect_r(ui, bx, by, max_i(bw * pct / 100, bh), bh, bh / 2,
                                 ink(ui, INK_GOOD));
    }

    draw_chart(ui, L->tile[2], f);

    tw_rect t3 = L->tile[3];
    tile_label(ui, t3, _("Wins this week"), _("Wins"), t3.w - 2 * L->pad);
    if (f)
        snprintf(value, sizeof(value), "%d", f->wins_week);
    else
        snprintf(value, sizeof(value), "\xe2\x80\x94");
    tile_value(ui, t3, value, f ? INK_WIN : INK_MUTED, f ? _("since Monday") : "", "", INK_MUTED);
}

/* The figures as the strip shows them: its cache key. */
typedef struct strip_look {
    int64_t clear_median_s, clear_prev_median_s;
    int tag, valid, pl, pr, lines, clear_n, clear_prev_n;
    int questions_asked, questions_decided, questions_fast, wins_week;
    int opened[TW_FIG_DAYS], cleared[TW_FIG_DAYS];
} strip_look;

/* The figures strip, from the cache until the figures change. */
void tw_strip_draw(tw_ui *ui, const tw_view *v)
{
    const tw_figures *f = v->figures && v->figures->valid ? v->figures : NULL;
    strip_look sl;
    memset(&sl, 0, sizeof(sl));
    sl.tag = 's';
    if (f) {
        sl.valid = 1;
        sl.clear_median_s = f->clear_median_s;
        sl.clear_prev_median_s = f->clear_prev_median_s;
        sl.clear_n = f->clear_n;
        sl.clear_prev_n = f->clear_prev_n;
        sl.questions_asked = f->questions_asked;
        sl.questions_decided = f->questions_decided;
        sl.questions_fast = f->questions_fast;
        sl.wins_week = f->wins_week;
        memcpy(sl.opened, f->opened, sizeof(sl.opened));
        memcpy(sl.cleared, f->cleared, sizeof(sl.cleared));
    }
    tw_rect s = ui->L.strip;
    SDL_Rect dst = {s.x + ui->ox - ui->strip_pl, s.y + ui->oy, s.w + ui->strip_pl + ui->strip_pr,
                    s.h};
    sl.pl = ui->strip_pl;
    sl.pr = ui->strip_pr;
    sl.lines = on_lines(ui, dst);
    tw_draw_put(
        ui, tw_draw_region(ui, tw_draw_key_start(ui, &sl, sizeof(sl)), dst, compose_strip, f), dst);
}

void tw_learned_draw(tw_ui *ui, const tw_view *v)
{
    const tw_layout *L = &ui->L;
    tw_rect r = L->learned;
    int u = L->unit, skip = L->fm[F_STATUS].skip;
    int cy = r.y + (r.h - (L->learned_lines - 1) * skip) / 2;
    const tw_text_tex *label = tw_draw_text_str(ui, F_BANNER, INK_QUESTION, SURF_BG, _("Learned"));
    int top = text_top_centred(ui, F_STATUS, cy);
    tw_draw_blit(ui, label, r.x, text_top_centred(ui, F_BANNER, cy));
    int x0 = r.x + tex_w(label) + u * 2 / 3, x = x0, end = r.x + r.w;
    if (!v->learned || v->n_learned == 0) {
        tw_draw_blit(ui,
                     tw_draw_text_fit(ui, F_STATUS, INK_MUTED, SURF_BG,
                                      _("answers to questions show up here, one at a time"),
                                      end - x),
                     x, top);
        return;
    }
    /* One answer at a time, in turn, by the wall clock's minute: no state,
     * and the same picture for the same minute. */
    size_t i = (size_t)((v->now / LEARNED_ROTATE_S) % (int64_t)v->n_learned);
    const tw_learned *l = &v->learned[i];
    if (v->n_learned > 1) {
        char count[32];
        snprintf(count, sizeof(count), "%zu/%zu", i + 1, v->n_learned);
        const tw_text_tex *tc = tw_draw_text_str(ui, F_STATUS, INK_MUTED, SURF_BG, count);
        end -= tex_w(tc) + u;
        tw_draw_blit(ui, tc, r.x + r.w - tex_w(tc), top);
    }
    const tw_text_tex *arrow = tw_draw_text_str(ui, F_STATUS, INK_MUTED, SURF_BG, ARROW);
    const tw_text_tex *sep = tw_draw_text_str(ui, F_STATUS, INK_MUTED, SURF_BG, SEP);
    const tw_text_tex *tb = tw_draw_text_fit(ui, F_STATUS, INK_MUTED, SURF_BG,
                                             l->by[0] ? l->by : _("someone"), (end - x) / 5);
    int tail = tex_w(sep) + tex_w(tb);
    if (L->learned_lines >= 2) {
        /* Question on the first line, the answer under it. */
        tw_draw_blit(ui, tw_draw_text_fit(ui, F_STATUS, INK_MUTED, SURF_BG, l->question, end - x),
                     x, top);
        top += skip;
        tw_draw_blit(ui, arrow, x, top);
        x += tex_w(arrow);
        const tw_text_tex *ta =
            tw_draw_text_fit(ui, F_STATUS, INK_TEXT, SURF_BG, l->answer, end - x - tail);
        tw_draw_blit(ui, ta, x, top);
        x += tex_w(ta);
    } else {
        int room = end - x - tex_w(arrow) - tail;
        const tw_text_tex *tq =
            tw_draw_text_fit(ui, F_STATUS, INK_MUTED, SURF_BG, l->question, room * 2 / 5);
        const tw_text_tex *ta =
            tw_draw_text_fit(ui, F_STATUS, INK_TEXT, SURF_BG, l->answer, room - tex_w(tq));
        tw_draw_blit(ui, tq, x, top);
        x += tex_w(tq);
        tw_draw_blit(ui, arrow, x, top);
        x += tex_w(arrow);
        tw_draw_blit(ui, ta, x, top);
        x += tex_w(ta);
    }
    tw_draw_blit(ui, sep, x, top);
    tw_draw_blit(ui, tb, x + tex_w(sep), top);
}
