/* SPDX-License-Identifier: MIT */
/*
 * The detail view drawn over the board: the whole text, who posted it and
 * where it stands, its history, and the buttons (state in ui/detail.c).
 */
#define _POSIX_C_SOURCE 200809L
#define LOG_MODULE      "ui"
#include "screen.h"

#include "i18n.h"

#include <stdio.h>
#include <string.h>

/* ---- the detail view ---- */

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

#define HISTORY_SHOWN 8 /* rows of history in the detail view at most */

void tw_detailview_draw(tw_ui *ui, const tw_view *v, const tw_detail_view *d)
{
    const tw_layout *L = &ui->L;
    const tw_theme *th = ui->th;
    const tw_item *it = d->item;
    int sh = L->shift;
    tw_draw_fill(ui, -sh, -sh, L->w + 2 * sh, L->h + 2 * sh,
                 alpha(sdl(th->marks.scrim), th->marks.scrim_alpha));
    if (!it)
        return;
    tw_detail_action acts[TW_DETAIL_BUTTONS];
    int nb = tw_detail_buttons(it, acts);
    tw_detail_layout *D = &ui->detail_layout;

    /* Measure first: the panel is as tall as what it shows. */
    int pw = (L->portrait ? L->w * 9 / 10 : L->w * 64 / 100) - 2 * L->unit;
    const tw_wrap *wr = tw_textcache_wrap(ui->text, F_DETAIL, it->text, pw, 6);
    int mh = L->fm[F_DETAIL_META].skip, lines = wr ? wr->n : 0;
    size_t hist = d->n_history < HISTORY_SHOWN ? d->n_history : HISTORY_SHOWN;
    int content = L->fm[F_BUTTON].height + L->unit / 2 +
                  (lines ? (lines - 1) * L->fm[F_DETAIL].skip + L->fm[F_DETAIL].height : 0) +
                  L->unit / 2 + mh * (it->state == TW_STATE_OPEN ? 1 : 2);
    if (hist)
        content += L->unit / 2 + L->fm[F_STRONG].height + L->unit / 4 + (int)hist * mh;
    content += L->unit / 2;
    tw_layout_detail(L, nb, content, D);
    ui->detail_shown = true;

    tw_rect p = D->panel;
    int rad = L->radius * 2, aw = L->accent_w * 2;
    tw_draw_round_rect_r(ui, p.x, p.y, p.w, p.h, rad, ink(ui, tw_kind_ink[it->kind]));
    tw_draw_round_rect_r(ui, p.x, p.y + aw, p.w, p.h - aw, rad, sdl(th->marks.card_border));
    tw_draw_round_rect_r(ui, p.x + 1, p.y + aw + 1, p.w - 2, p.h - aw - 2, rad,
                         surf(ui, SURF_CARD));

    tw_rect b = D->body;
    int x = b.x, y = b.y, w = b.w;
    char buf[TW_NOTE_SIZE + 128], age[24], when[48];

    /* Kind, ref, age. */
    static const char *const kind_word[TW_KIND_COUNT] = {N_("Blocker"), N_("Question"), N_("Win")};
    const tw_text_tex *kw =
        tw_draw_text_str(ui, F_BUTTON, tw_kind_ink[it->kind], SURF_CARD, _(kind_word[it->kind]));
    tw_draw_blit(ui, kw, x, y);
    tw_format_age(v->now - it->created, age, sizeof(age));
    snprintf(buf, sizeof(buf), SEP "%s" SEP "%s", it->ref, age);
    tw_draw_blit(ui, tw_draw_text_str(ui, F_DETAIL_META, INK_MUTED, SURF_CARD, buf), x + tex_w(kw),
                 y + L->fm[F_BUTTON].ascent - L->fm[F_DETAIL_META].ascent);
    y += L->fm[F_BUTTON].height + L->unit / 2;

    /* The whole text. */
    for (int i = 0; i < lines; i++) {
        const tw_text_tex *t =
            tw_draw_text_line(ui, F_DETAIL, INK_TEXT, SURF_CARD, it->text, wr, i);
        tw_draw_blit(ui, t, wr->rtl ? x + w - tex_w(t) : x, y + i * L->fm[F_DETAIL].skip);
    }
    if (lines)
        y += (lines - 1) * L->fm[F_DETAIL].skip + L->fm[F_DETAIL].height + L->unit / 2;

    /* Who, from where, and where it stands. */
    tw_format_when(it->created, v->now, when, sizeof(when));
    snprintf(buf, sizeof(buf), _("Posted by %s via %s, %s"), it->author, it->source, when);
    tw_draw_icon(ui, tw_icon_for_source(it->source), x,
                 y + (L->fm[F_DETAIL_META].height - L->icon) / 2);
    tw_draw_blit(
        ui,
        tw_draw_text_fit(ui, F_DETAIL_META, INK_MUTED, SURF_CARD, buf, w - L->icon - L->unit / 2),
        x + L->icon + L->unit / 2, y);
    y += mh;
    if (it->state == TW_STATE_CLAIMED) {
        tw_format_when(it->claimed, v->now, when, sizeof(when));
        snprintf(buf, sizeof(buf), _("%s is on it since %s"),
                 it->claimed_by[0] ? it->claimed_by : _("someone"), when);
        tw_draw_blit(ui, tw_draw_text_fit(ui, F_DETAIL_META, INK_HELPING, SURF_CARD, buf, w), x, y);
        y += mh;
    } else if (it->state == TW_STATE_RESOLVED) {
        tw_format_when(it->resolved, v->now, when, sizeof(when));
        /* The note, if any, is in the history below (the resolve's row). */
        snprintf(buf, sizeof(buf), _("Resolved by %s, %s"), it->resolved_by, when);
        tw_draw_blit(ui, tw_draw_text_fit(ui, F_DETAIL_META, INK_GOOD, SURF_CARD, buf, w), x, y);
        y += mh;
    }

    /* History: as many of the newest rows as fit, oldest first. */
    y += L->unit / 2;
    int bottom = b.y + b.h;
    if (hist && y + L->fm[F_STRONG].height + mh <= bottom) {
        tw_draw_blit(ui, tw_draw_text_str(ui, F_STRONG, INK_MUTED, SURF_CARD, _("History")), x, y);
        y += L->fm[F_STRONG].height + L->unit / 4;
        tw_draw_fill(ui, x, y - L->unit / 8, w, 1, sdl(th->marks.rule));
        size_t fit = (size_t)max_i((bottom - y) / mh, 0);
        if (fit > hist)
            fit = hist;
        for (size_t i = d->n_history - fit; i < d->n_history; i++) {
            const tw_history_entry *h = &d->history[i];
            tw_format_when(h->at, v->now, when, sizeof(when));
            int n = snprintf(buf, sizeof(buf), _("%s  %s by %s"), when, action_words(h->action),
                             h->actor[0] ? h->actor : _("someone"));
            if (h->source[0] && n > 0 && (size_t)n < sizeof(buf))
                n += snprintf(buf + n, sizeof(buf) - (size_t)n, _(" via %s"), h->source);
            if (h->detail[0] && n > 0 && (size_t)n < sizeof(buf))
                snprintf(buf + n, sizeof(buf) - (size_t)n, ": %.400s", h->detail);
            tw_draw_blit(ui, tw_draw_text_fit(ui, F_DETAIL_META, INK_TEXT, SURF_CARD, buf, w), x,
                         y);
            y += mh;
        }
    }

    /* Buttons. */
    for (int i = 0; i < nb; i++) {
        tw_rect r = D->button[i];
        bool focus = i == d->focus;
        tw_surface s = focus ? SURF_PRIMARY : SURF_BUTTON;
        if (focus)
            tw_draw_ring(ui, r, L->focus_w, L->focus_w, sdl(th->marks.focus), surf(ui, SURF_CARD));
        tw_draw_round_rect(ui, r.x, r.y, r.w, r.h, surf(ui, s));
        const tw_text_tex *t =
            tw_draw_text_fit(ui, F_BUTTON, focus ? INK_ON_PRIMARY : INK_ON_BUTTON, s,
                             tw_detail_label(acts[i], it->kind), r.w - L->unit);
        tw_draw_blit(ui, t, r.x + (r.w - tex_w(t)) / 2,
                     text_top_centred(ui, F_BUTTON, r.y + r.h / 2));
    }
}
