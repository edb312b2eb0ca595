/* SPDX-License-Identifier: MIT */
/*
 * The header (team, connection, date, clock), drawn every frame, and the
 * warnings banner under it.
 */
#define _POSIX_C_SOURCE 200809L
#define LOG_MODULE      "ui"
#include "screen.h"

#include "i18n.h"

#include <stdio.h>
#include <string.h>

#include "unicode.h"

/* ---- header and banner ---- */

/* What the header shows (the team's name aside). */
typedef struct header_look {
    bool online;
    tw_ink state_ink;
    const char *state;
    char hhmm[16], date[32];
} header_look;

static void draw_header(tw_ui *ui, const header_look *hl, const char *team_name)
{
    const tw_layout *L = &ui->L;
    int u = L->unit, cy = L->header.h / 2, sh = L->shift;
    tw_ink state_ink = hl->state_ink;

    tw_draw_fill(ui, -sh, -sh, L->w + 2 * sh, L->header.h + sh, surf(ui, SURF_HEADER));
    tw_draw_fill(ui, -sh, L->header.h - 1, L->w + 2 * sh, 1, sdl(ui->th->marks.rule));

    /* Right to left: clock, date, connection state. */
    const tw_text_tex *clock = tw_draw_text_str(ui, F_HEADER, INK_TEXT, SURF_HEADER, hl->hhmm);
    int x = L->w - L->margin - tex_w(clock);
    tw_draw_blit(ui, clock, x, text_top_centred(ui, F_HEADER, cy));

    const tw_text_tex *date = tw_draw_text_str(ui, F_STATUS, INK_MUTED, SURF_HEADER, hl->date);
    x -= u * 2 / 3 + tex_w(date);
    tw_draw_blit(ui, date, x, text_top_centred(ui, F_STATUS, cy));

    const tw_text_tex *st =
        tw_draw_text_str(ui, F_STATUS, hl->online ? INK_TEXT : state_ink, SURF_HEADER, hl->state);
    x -= u * 3 / 2 + tex_w(st);
    tw_draw_blit(ui, st, x, text_top_centred(ui, F_STATUS, cy));
    x -= L->dot_d / 2 + max_i(u / 3, L->dot_d / 2);
    tw_draw_dot(ui, x, cy, L->dot_d, ink(ui, state_ink));
    x -= L->dot_d / 2;

    const tw_text_tex *team =
        tw_draw_text_fit(ui, F_HEADER, INK_TEXT, SURF_HEADER, team_name, x - u * 2 - L->margin);
    tw_draw_blit(ui, team, L->margin, text_top_centred(ui, F_HEADER, cy));
}

/* The header: a band across the top, shifted with the picture. Drawn, not
 * composed (ui/cardcache.c): it is a fill across whole rows and four texts
 * copied from the text cache, which costs no more than copying a composed
 * band (bench_render: 1.88 M instructions a frame against 1.91 M composed)
 * and does not hold the band's 0.7 MB at 1920x1080 (P4's peak). */
void tw_header_draw(tw_ui *ui, const tw_view *v)
{
    header_look hl = {.online = v->online};
    if (v->online) {
        hl.state_ink = INK_GOOD;
        hl.state = _("live");
    } else if (!v->offline_reason || strcmp(v->offline_reason, "connecting") == 0) {
        hl.state_ink = INK_WARN;
        hl.state = _("connecting");
    } else {
        hl.state_ink = v->now - v->offline_since < 5 * 60 ? INK_WARN : INK_BAD;
        hl.state = _("offline");
    }
    tw_format_hhmm(v->now, hl.hhmm, sizeof(hl.hhmm));
    tw_format_date(v->now, hl.date, sizeof(hl.date));
    draw_header(ui, &hl, v->team);
}

/* What a disconnect reason means to someone looking at the wall. */
static const char *reason_words(const char *r)
{
    if (!r || !*r)
        return _("no connection to the broker");
    if (strcmp(r, "unreachable") == 0)
        return _("the broker is unreachable");
    if (strcmp(r, "refused credentials") == 0)
        return _("the broker refused our credentials");
    if (strcmp(r, "TLS error") == 0)
        return _("TLS failed (certificate or key)");
    return r;
}

/* The same, as short as it can be said, for narrow screens. */
static const char *reason_brief(const char *r)
{
    if (!r || !*r)
        return _("no connection");
    if (strcmp(r, "unreachable") == 0)
        return _("unreachable");
    if (strcmp(r, "refused credentials") == 0)
        return _("credentials refused");
    if (strcmp(r, "TLS error") == 0)
        return _("TLS failed");
    return r;
}

/* The banner's rows: the connection first, then the warnings, at most
 * BANNER_MAX_ROWS (the last one counting the rest). */
int tw_banner_rows(const tw_view *v, banner_row *rows)
{
    int n = 0;
    char hhmm[16];
    if (!v->online) {
        banner_row *b = &rows[n++];
        memset(b, 0, sizeof(*b));
        bool connecting = !v->offline_reason || strcmp(v->offline_reason, "connecting") == 0;
        if (connecting) {
            b->level = TW_WARN_INFO;
            snprintf(b->text, sizeof(b->text), "%s" TW_ELLIPSIS, _("Connecting to the broker"));
        } else {
            b->level = v->now - v->offline_since < 5 * 60 ? TW_WARN_WARNING : TW_WARN_ERROR;
            tw_format_hhmm(v->offline_since ? v->offline_since : v->now, hhmm, sizeof(hhmm));
            snprintf(b->text, sizeof(b->text), _("Offline since %s \xe2\x80\x94 %s"), hhmm,
                     reason_words(v->offline_reason));
            snprintf(b->brief, sizeof(b->brief), _("Offline since %s \xe2\x80\x94 %s"), hhmm,
                     reason_brief(v->offline_reason));
            snprintf(b->right, sizeof(b->right), "%s", _("new posts wait on the broker"));
        }
    }
    for (size_t i = 0; v->warnings && i < v->n_warnings; i++) {
        if (n == BANNER_MAX_ROWS - 1 && v->n_warnings - i > 1) {
            banner_row *b = &rows[n++];
            memset(b, 0, sizeof(*b));
            b->level = v->warnings[i].level;
            snprintf(b->text, sizeof(b->text), "%s", v->warnings[i].text);
            snprintf(b->right, sizeof(b->right), _("+%zu more warnings"), v->n_warnings - i - 1);
            break;
        }
        if (n == BANNER_MAX_ROWS)
            break;
        banner_row *b = &rows[n++];
        memset(b, 0, sizeof(*b));
        b->level = v->warnings[i].level;
        snprintf(b->text, sizeof(b->text), "%s", v->warnings[i].text);
        if (v->warnings[i].since) {
            tw_format_when(v->warnings[i].since, v->now, hhmm, sizeof(hhmm));
            snprintf(b->right, sizeof(b->right), _("since %s"), hhmm);
        }
    }
    return n;
}

/* A row's colours by its level. */
static tw_surface banner_surface(tw_warning_level level)
{
    return level == TW_WARN_ERROR ? SURF_BAD : level == TW_WARN_WARNING ? SURF_WARN : SURF_INFO;
}

static tw_ink banner_ink(tw_surface s)
{
    return s == SURF_BAD ? INK_ON_BAD : s == SURF_WARN ? INK_ON_WARN : INK_ON_INFO;
}

/* The warning sign a row starts with; NULL for information. */
static const tw_text_tex *banner_sign(tw_ui *ui, tw_warning_level level)
{
    if (level == TW_WARN_INFO)
        return NULL;
    tw_surface s = banner_surface(level);
    return tw_draw_text_str(ui, F_BANNER, banner_ink(s), s, WARN_SIGN);
}

/* Where a row's text starts: after its sign (banner_sign), if it has one. */
static int banner_text_x(const tw_ui *ui, const tw_text_tex *sign)
{
    return ui->L.margin + (sign ? tex_w(sign) + ui->L.unit / 2 : 0);
}

/* A warning's words are its point: the fatal screen's "update it or
 * restore a backup" was cut to "update it..." at 720 px. So a text too long
 * for its line (and with no brief form that fits) goes on into the next
 * row while the banner has one to spare, and the right-hand note moves
 * there with it. */
int tw_banner_layout_rows(tw_ui *ui, const tw_view *v, banner_row *rows)
{
    const tw_layout *L = &ui->L;
    int n = tw_banner_rows(v, rows);
    for (int i = 0; i < n && n < BANNER_MAX_ROWS; i++) {
        banner_row *b = &rows[i];
        int max = L->w - L->margin - banner_text_x(ui, banner_sign(ui, b->level));
        if (max <= 0)
            continue;
        if (b->brief[0] && !tw_textcache_wrap(ui->text, F_BANNER, b->brief, max, 1)->ellipsis)
            continue; /* drawn in its brief form, which fits */
        const tw_wrap *wr = tw_textcache_wrap(ui->text, F_BANNER, b->text, max, 2);
        if (wr->n < 2)
            continue;
        banner_row next = {.level = b->level, .cont = true};
        snprintf(next.text, sizeof(next.text), "%s", b->text + wr->start[1]);
        snprintf(next.right, sizeof(next.right), "%s", b->right);
        b->text[wr->start[0] + wr->len[0]] = '\0';
        b->brief[0] = b->right[0] = '\0';
        memmove(&rows[i + 2], &rows[i + 1], (size_t)(n - i - 1) * sizeof(*rows));
        rows[++i] = next;
        n++;
    }
    return n;
}

void tw_banner_draw(tw_ui *ui, const banner_row *rows, int n)
{
    const tw_layout *L = &ui->L;
    int sh = L->shift;
    for (int i = 0; i < n; i++) {
        tw_surface s = banner_surface(rows[i].level);
        tw_ink k = banner_ink(s);
        int y = L->banner.y + i * L->banner_row_h, cy = y + L->banner_row_h / 2;
        tw_draw_fill(ui, -sh, y, L->w + 2 * sh, L->banner_row_h, surf(ui, s));
        if (i > 0 && !rows[i].cont) /* a hairline between rows of the same colour */
            tw_draw_fill(ui, -sh, y, L->w + 2 * sh, 1, alpha(ink(ui, k), 60));
        /* A row going on from the one above starts under its text, unsigned. */
        const tw_text_tex *sign = banner_sign(ui, rows[i].level);
        int x = banner_text_x(ui, sign), top = text_top_centred(ui, F_BANNER, cy);
        if (sign && !rows[i].cont)
            tw_draw_blit(ui, sign, L->margin, top);
        /* The row's own text comes first: the note on the right goes when
         * both do not fit (a portrait screen, a long translation). */
        const tw_text_tex *right =
            rows[i].right[0] ? tw_draw_text_fit(ui, F_STATUS, k, s, rows[i].right, L->w / 3) : NULL;
        const char *text = rows[i].text;
        if (right && tex_w(tw_draw_text_str(ui, F_BANNER, k, s, text)) >
                         L->w - L->margin - tex_w(right) - L->unit - x)
            right = NULL;
        if (rows[i].brief[0] &&
            tex_w(tw_draw_text_str(ui, F_BANNER, k, s, text)) > L->w - L->margin - x)
            text = rows[i].brief;
        int right_x = L->w - L->margin - tex_w(right);
        if (right)
            tw_draw_blit(ui, right, right_x, text_top_centred(ui, F_STATUS, cy));
        int max = (right ? right_x - L->unit : L->w - L->margin) - x;
        tw_draw_blit(ui, tw_draw_text_fit(ui, F_BANNER, k, s, text, max), x, top);
    }
}
