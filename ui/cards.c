/* SPDX-License-Identifier: MIT */
/*
 * The cards and their sections: which cards may show (a screenful, chosen in
 * one pass over any number of items), where they go, and each card composed
 * once (text, meta line, who is helping, the rings of focus, highlight and
 * escalation) and copied while it shows the same.
 */
#define _POSIX_C_SOURCE 200809L
#define LOG_MODULE      "ui"
#include "screen.h"

#include "i18n.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unicode.h"
#include "util.h"

static const char *const section_title[TW_KIND_COUNT] = {N_("Blockers"), N_("Questions"),
                                                         N_("Wins")};
static const char *const section_empty[TW_KIND_COUNT] = {N_("No blockers"), N_("No open questions"),
                                                         N_("No wins yet this week")};
const tw_ink tw_kind_ink[TW_KIND_COUNT] = {INK_BLOCKER, INK_QUESTION, INK_WIN};

/* Blockers escalate: 0 calm, 1 escalated, 2 critical. */
static int age_level(const tw_ui *ui, const tw_item *it, int64_t now)
{
    if (it->kind != TW_KIND_BLOCKER)
        return 0;
    int64_t age = now - it->created;
    return age >= ui->critical_s ? 2 : age >= ui->escalate_s ? 1 : 0;
}

/* Sort orders: blockers and questions oldest first, wins newest first. */
static int cmp_oldest(const void *pa, const void *pb)
{
    const tw_item *a = *(const tw_item *const *)pa, *b = *(const tw_item *const *)pb;
    if (a->created != b->created)
        return a->created < b->created ? -1 : 1;
    return (a->seq > b->seq) - (a->seq < b->seq);
}

static int cmp_newest(const void *pa, const void *pb)
{
    return cmp_oldest(pb, pa);
}

static bool is_claimed(const tw_item *it)
{
    return it->state == TW_STATE_CLAIMED;
}

/* ---- cards ---- */

/* The highlight of a new card: 0 (none) .. 255 (peak), pulsing and fading. */
static int highlight(const tw_ui *ui, const tw_view *v, const tw_item *it)
{
    if (!v->anim_ms || v->detail)
        return 0;
    for (int i = 0; i < ui->n_fresh; i++) {
        if (ui->fresh[i].seq != it->seq)
            continue;
        int64_t t = v->anim_ms - ui->fresh[i].since_ms;
        if (t < 0 || t >= ANIM_MS)
            return 0;
        double env = 1.0 - (double)t / ANIM_MS;
        double pulse = 0.5 - 0.5 * cos(2 * 3.14159265358979 * (double)t / ANIM_PULSE_MS);
        /* Starts at its peak: the first pulse begins bright. */
        if (t < ANIM_PULSE_MS / 2)
            pulse = 1.0;
        return (int)(255 * env * (0.35 + 0.65 * pulse));
    }
    return 0;
}

/* The meta line: [icon] author · ref ........ age (a pill when escalated). */
static void draw_meta(tw_ui *ui, const tw_item *it, int64_t now, int x, int y, int w, tw_surface on)
{
    const tw_layout *L = &ui->L;
    char age[24];
    tw_format_age(now - it->created, age, sizeof(age));
    int level = age_level(ui, it, now);
    int mh = L->fm[F_META].height;

    /* Right end: the age, plain or in a pill with a marker. */
    const tw_text_tex *tage;
    int right_w;
    if (level == 0) {
        tage = tw_draw_text_str(ui, F_META, INK_MUTED, on, age);
        right_w = tex_w(tage);
        tw_draw_blit(ui, tage, x + w - right_w, y);
    } else {
        char pill[40];
        snprintf(pill, sizeof(pill), level == 2 ? WARN_SIGN " %s" : "%s", age);
        tw_surface ps = level == 2 ? SURF_BAD : SURF_WARN;
        tage = tw_draw_text_str(ui, F_STRONG, level == 2 ? INK_ON_BAD : INK_ON_WARN, ps, pill);
        /* The text box stays on the pill's straight part, off its round ends:
         * the text is laid onto the pill's colour and must sit on it. */
        int ph = mh, pw = tex_w(tage) + ph;
        right_w = pw;
        tw_draw_round_rect_r(ui, x + w - pw, y, pw, ph, ph / 2, surf(ui, ps));
        tw_draw_blit(ui, tage, x + w - pw + (pw - tex_w(tage)) / 2,
                     y + (L->fm[F_META].ascent - L->fm[F_STRONG].ascent));
    }

    /* Left: source icon, author, ref (drawn per character: Inter's
     * contextual alternates turn the "2x8" of "m2x8" into "2×8"). */
    tw_draw_icon(ui, tw_icon_for_source(it->source), x, y + (mh - L->icon) / 2);
    int cx = x + L->icon + L->unit / 3;
    const tw_text_tex *sep = tw_draw_text_str(ui, F_META, INK_MUTED, on, SEP);
    int ref_w = 0;
    for (size_t i = 0, n; (n = tw_utf8_step(it->ref + i)) > 0; i += n)
        ref_w += tex_w(tw_draw_text_char(ui, on, it->ref + i, n));
    int room = x + w - right_w - L->unit / 2 - cx - tex_w(sep) - ref_w;
    if (it->author[0] && room > L->unit) {
        const tw_text_tex *ta = tw_draw_text_fit(ui, F_META, INK_MUTED, on, it->author, room);
        tw_draw_blit(ui, ta, cx, y);
        cx += tex_w(ta);
        tw_draw_blit(ui, sep, cx, y);
        cx += tex_w(sep);
    }
    for (size_t i = 0, n; (n = tw_utf8_step(it->ref + i)) > 0; i += n) {
        const tw_text_tex *c = tw_draw_text_char(ui, on, it->ref + i, n);
        tw_draw_blit(ui, c, cx, y);
        cx += tex_w(c);
    }
}

static void draw_helper(tw_ui *ui, const tw_item *it, int x, int y, int w, tw_surface on)
{
    const tw_layout *L = &ui->L;
    const char *who = it->claimed_by[0] ? it->claimed_by : _("someone");
    /* TRANSLATORS: after a name in bold, "Ben is on it"; keep the space. */
    const tw_text_tex *tail = tw_draw_text_str(ui, F_META, INK_HELPING, on, _(" is on it"));
    int d = L->icon * 6 / 10;
    tw_draw_dot(ui, x + L->icon / 2, y + L->fm[F_META].height / 2, d, ink(ui, INK_HELPING));
    int nx = x + L->icon + L->unit / 3;
    const tw_text_tex *name =
        tw_draw_text_fit(ui, F_STRONG, INK_HELPING, on, who, w - (nx - x) - tex_w(tail));
    tw_draw_blit(ui, name, nx, y + (L->fm[F_META].ascent - L->fm[F_STRONG].ascent));
    tw_draw_blit(ui, tail, nx + tex_w(name), y);
}

/* A card as drawn in this frame. */
typedef struct card_draw {
    const tw_item *it;
    const tw_wrap *wr;
    tw_rect r;
    int pl, pr; /* the wall beside it in its texture */
    int64_t now;
    int level, hi;
    bool focus, compact;
} card_draw;

/* What a card shows, as the start of its cache key (its strings follow).
 * The wrap is a function of the text and the size. */
typedef struct card_look {
    char tag; /* 'c' */
    signed char kind, claimed, level, focus, icon, pl, pr, lines, compact;
    short hi;
    char age[24];
} card_look;

/* The rings around a card: the focus, the new card's pulse, the critical
 * frame. Outside the card, but their corners reach under its own. */
static void card_rings(tw_ui *ui, const card_draw *c)
{
    const tw_layout *L = &ui->L;
    SDL_Color bg = surf(ui, SURF_BG);
    if (c->focus)
        tw_draw_ring(ui, c->r, L->focus_w, L->focus_w * 2, sdl(ui->th->marks.focus), bg);
    if (c->hi > 0) {
        /* A new card: a pulsing ring in its colour, outside the card, so the
         * card and its text stay as they are (no new text to rasterise). */
        tw_draw_ring(ui, c->r, 0, max_i(L->card_gap - 1, 2),
                     alpha(ink(ui, tw_kind_ink[c->it->kind]), c->hi), bg);
    } else if (c->level == 2) {
        tw_draw_ring(ui, c->r, 0, max_i(L->focus_w, 2), ink(ui, INK_BAD), bg);
    }
}

/* A compact card, one line: the text as far as it goes, then on the right
 * a blue dot when someone is on it, the ref, and the age (a pill when
 * escalated), all on one baseline. Who posted it and from where wait for
 * the detail view (a tap). */
static void compose_compact(tw_ui *ui, const card_draw *c, int tx, int tw)
{
    const tw_layout *L = &ui->L;
    const tw_item *it = c->it;
    const tw_surface on = SURF_CARD;
    int mh = L->fm[F_META].height, ch = L->fm[F_COMPACT].height;
    int line_h = max_i(mh, ch), top = c->r.y + (c->r.h - line_h) / 2;
    int ty = top + (line_h - ch) / 2;
    /* The meta's baseline on the text's. */
    int my = ty + L->fm[F_COMPACT].ascent - L->fm[F_META].ascent;
    char age[24];
    tw_format_age(c->now - it->created, age, sizeof(age));
    int right = tx + tw;
    const tw_text_tex *tage;
    if (c->level == 0) {
        tage = tw_draw_text_str(ui, F_META, INK_MUTED, on, age);
        right -= tex_w(tage);
        tw_draw_blit(ui, tage, right, my);
    } else {
        char pill[40];
        snprintf(pill, sizeof(pill), c->level == 2 ? WARN_SIGN " %s" : "%s", age);
        tw_surface ps = c->level == 2 ? SURF_BAD : SURF_WARN;
        tage = tw_draw_text_str(ui, F_STRONG, c->level == 2 ? INK_ON_BAD : INK_ON_WARN, ps, pill);
        int ph = mh, pw = tex_w(tage) + ph;
        right -= pw;
        tw_draw_round_rect_r(ui, right, my, pw, ph, ph / 2, surf(ui, ps));
        tw_draw_blit(ui, tage, right + (pw - tex_w(tage)) / 2,
                     my + (L->fm[F_META].ascent - L->fm[F_STRONG].ascent));
    }
    /* The ref, drawn per character as on full cards. */
    int ref_w = 0;
    for (size_t i = 0, n; (n = tw_utf8_step(it->ref + i)) > 0; i += n)
        ref_w += tex_w(tw_draw_text_char(ui, on, it->ref + i, n));
    right -= L->unit / 2 + ref_w;
    int rx = right;
    for (size_t i = 0, n; (n = tw_utf8_step(it->ref + i)) > 0; i += n) {
        const tw_text_tex *t = tw_draw_text_char(ui, on, it->ref + i, n);
        tw_draw_blit(ui, t, rx, my);
        rx += tex_w(t);
    }
    if (is_claimed(it)) {
        int d = L->icon * 6 / 10;
        right -= L->unit / 3 + d;
        tw_draw_dot(ui, right + d / 2, my + mh / 2, d, ink(ui, INK_HELPING));
    }
    int room = right - L->unit / 2 - tx;
    if (room <= L->unit)
        return;
    const tw_wrap *wr = tw_textcache_wrap(ui->text, F_COMPACT, it->text, room, 1);
    if (!wr || wr->n < 1)
        return;
    const tw_text_tex *t = tw_draw_text_line(ui, F_COMPACT, INK_TEXT, on, it->text, wr, 0);
    tw_draw_blit(ui, t, wr->rtl ? tx + room - tex_w(t) : tx, ty);
}

/* Every pixel of the card's rect and the wall beside it: the wall, the
 * rings' parts there, the card. */
static void compose_card(tw_ui *ui, const void *arg)
{
    const card_draw *c = arg;
    const tw_layout *L = &ui->L;
    const tw_theme *th = ui->th;
    const tw_item *it = c->it;
    const tw_wrap *wr = c->wr;
    tw_rect r = c->r;
    SDL_Color accent = ink(ui, tw_kind_ink[it->kind]);
    const tw_surface on = SURF_CARD;

    tw_draw_fill(ui, r.x - c->pl, r.y, r.w + c->pl + c->pr, r.h, surf(ui, SURF_BG));
    card_rings(ui, c);

    /* The accent shows as a left border that follows the rounded corners.
     * It is only as wide as the card's corner, so no accent pixel shows
     * through the anti-aliased right-hand corners. */
    int aw = c->level == 2 ? L->accent_w * 2 : L->accent_w;
    SDL_Color card = surf(ui, SURF_CARD);
    tw_draw_round_rect(ui, r.x, r.y, aw + 2 * L->radius, r.h, accent);
    if (!same_rgb(th->marks.card_border, th->surface[SURF_CARD])) {
        tw_draw_round_rect(ui, r.x + aw, r.y, r.w - aw, r.h, sdl(th->marks.card_border));
        tw_draw_round_rect(ui, r.x + aw, r.y + 1, r.w - aw - 1, r.h - 2, card);
    } else {
        tw_draw_round_rect(ui, r.x + aw, r.y, r.w - aw, r.h, card);
    }

    /* Text starts after room for the wider critical accent, so the text of
     * every card in a column lines up. */
    int tx = r.x + 2 * L->accent_w + L->pad, ty = r.y + L->pad;
    int tw = r.w - 2 * L->accent_w - 2 * L->pad;
    if (c->compact) {
        compose_compact(ui, c, tx, tw);
        return;
    }
    for (int i = 0; i < wr->n; i++) {
        const tw_text_tex *t = tw_draw_text_line(ui, F_CARD, INK_TEXT, on, it->text, wr, i);
        tw_draw_blit(ui, t, wr->rtl ? tx + tw - tex_w(t) : tx, ty + i * L->fm[F_CARD].skip);
    }
    /* The meta lines sit at the bottom, so they line up across a row of
     * cards stretched to the tallest (portrait grids). */
    ty = r.y + r.h - L->pad - L->fm[F_META].height - (is_claimed(it) ? L->fm[F_META].skip : 0);
    draw_meta(ui, it, c->now, tx, ty, tw, on);
    if (is_claimed(it))
        draw_helper(ui, it, tx, ty + L->fm[F_META].skip, tw, on);
}

static void draw_card(tw_ui *ui, const tw_view *v, const placed_card *p)
{
    const tw_item *it = p->it;
    tw_rect r = p->r;
    card_draw c = {it,
                   p->wr,
                   r,
                   p->pl,
                   p->pr,
                   v->now,
                   age_level(ui, it, v->now),
                   highlight(ui, v, it),
                   v->focus_seq && v->focus_seq == it->seq && !v->detail,
                   p->compact};
    if (c.hi > 0)
        ui->anim_cards++;
    SDL_Rect dst = {r.x + ui->ox - p->pl, r.y + ui->oy, r.w + p->pl + p->pr, r.h};

    card_look cl;
    memset(&cl, 0, sizeof(cl));
    cl.tag = 'c';
    cl.kind = (signed char)it->kind;
    cl.claimed = is_claimed(it);
    cl.level = (signed char)c.level;
    cl.focus = c.focus;
    cl.icon = (signed char)tw_icon_for_source(it->source);
    cl.pl = (signed char)p->pl;
    cl.pr = (signed char)p->pr;
    cl.lines = on_lines(ui, dst);
    cl.hi = (short)c.hi;
    cl.compact = p->compact;
    tw_format_age(v->now - it->created, cl.age, sizeof(cl.age));
    size_t len = tw_draw_key_start(ui, &cl, sizeof(cl));
    len = tw_draw_key_add(ui, len, it->text);
    len = tw_draw_key_add(ui, len, it->author);
    len = tw_draw_key_add(ui, len, it->ref);
    len = tw_draw_key_add(ui, len, cl.claimed ? it->claimed_by : "");

    const tw_card *t = tw_draw_region(ui, len, dst, compose_card, &c);
    if (t) {
        /* The rings' outer parts, then the card over their inner parts. */
        card_rings(ui, &c);
        tw_draw_put(ui, t, dst);
    }
}

/* ---- sections ---- */

static void ensure_scratch(tw_ui *ui, size_t n)
{
    if (n <= ui->scratch_cap)
        return;
    ui->scratch_cap = n;
    ui->order = tw_xrealloc(ui->order, n * sizeof(*ui->order));
    ui->heights = tw_xrealloc(ui->heights, n * sizeof(*ui->heights));
    ui->wraps = tw_xrealloc(ui->wraps, n * sizeof(*ui->wraps));
    ui->rects = tw_xrealloc(ui->rects, n * sizeof(*ui->rects));
}

/* The cards kept for section k, in order, into ui->order; returns how
 * many were kept (the section's total is ui->total[k]). */
static size_t section_items(tw_ui *ui, tw_kind k)
{
    for (size_t i = 0; i < ui->kept_n[k]; i++)
        ui->order[i] = &ui->kept[k][i];
    return ui->kept_n[k];
}

/* At most this many cards can show in a height h: bounds the wrapping work
 * for a column of 200 cards to the ones that might be seen. */
static size_t visible_bound(const tw_layout *L, int h)
{
    /* Compact cards are the smallest, and a crowded section may take most
     * of the board's width in compact columns. One row more than can fit,
     * so a column that overflows always has a measured card after its last
     * placed row (and the "+N more" line gets its room). */
    int min_h = L->compact_h + L->card_gap;
    int cols = max_i(L->card_cols, L->board.w / max_i(L->compact_min_w, 1) + 1);
    return (size_t)(h / max_i(min_h, 1) + 2) * (size_t)cols;
}

/* Wrap and measure the first n cards of ui->order. */
static void measure_cards(tw_ui *ui, size_t n)
{
    const tw_layout *L = &ui->L;
    int tw = tw_layout_card_text_w(L);
    for (size_t i = 0; i < n; i++) {
        const tw_item *it = ui->order[i];
        ui->wraps[i] = tw_textcache_wrap(ui->text, F_CARD, it->text, tw, 3);
        ui->heights[i] = tw_layout_card_h(L, ui->wraps[i] ? ui->wraps[i]->n : 1, is_claimed(it));
    }
}

static void add_hit(tw_ui *ui, int64_t seq, int section, tw_rect r)
{
    if (ui->n_hits == ui->hits_cap) {
        ui->hits_cap = ui->hits_cap ? ui->hits_cap * 2 : 64;
        ui->hits = tw_xrealloc(ui->hits, ui->hits_cap * sizeof(*ui->hits));
    }
    ui->hits[ui->n_hits++] = (hit_rect){seq, section, r};
}

/* Place the cards of section k that fit (before anything is drawn, so the
 * wall can be painted around them). */
void tw_cards_place_section(tw_ui *ui, tw_kind k)
{
    const tw_layout *L = &ui->L;
    tw_rect area = tw_layout_cards_area(L, k);
    size_t m = section_items(ui, k), n = ui->total[k];
    ui->sec_first[k] = ui->n_placed;
    ui->sec_n[k] = 0;
    ui->more_y[k] = area.y;
    if (L->section[k].h <= 0 || n == 0)
        return;
    size_t bound = visible_bound(L, area.h);
    if (m > bound)
        m = bound;
    bool compact = L->compact[k];
    if (compact) {
        for (size_t i = 0; i < m; i++) {
            ui->heights[i] = L->compact_h;
            ui->wraps[i] = NULL;
        }
    } else {
        measure_cards(ui, m);
    }
    size_t placed = tw_layout_pack(area, L->cols[k], L->card_gap, ui->heights, m, L->more_h,
                                   ui->rects, &ui->more_y[k]);
    if (ui->n_placed + placed > ui->placed_cap) {
        ui->placed_cap = (ui->n_placed + placed) * 2;
        ui->placed = tw_xrealloc(ui->placed, ui->placed_cap * sizeof(*ui->placed));
    }
    for (size_t i = 0; i < placed; i++)
        ui->placed[ui->n_placed++] =
            (placed_card){ui->order[i], ui->wraps[i], ui->rects[i], 0, 0, compact};
    ui->sec_n[k] = placed;
}

void tw_cards_draw_section(tw_ui *ui, const tw_view *v, tw_kind k)
{
    const tw_layout *L = &ui->L;
    tw_rect sec = L->section[k];
    char buf[32];
    if (sec.h <= 0)
        return;

    const tw_text_tex *title =
        tw_draw_text_str(ui, F_TITLE, INK_TEXT, SURF_BG, _(section_title[k]));
    tw_draw_blit(ui, title, sec.x, sec.y);
    size_t n = ui->total[k];
    snprintf(buf, sizeof(buf), "%zu", n);
    tw_draw_blit(ui, tw_draw_text_str(ui, F_TITLE, tw_kind_ink[k], SURF_BG, buf),
                 sec.x + tex_w(title) + L->unit / 2, sec.y);
    int rule_y = sec.y + L->fm[F_TITLE].height + L->unit / 3;
    tw_draw_fill(ui, sec.x, rule_y, sec.w, L->rule_h, ink(ui, tw_kind_ink[k]));

    tw_rect area = tw_layout_cards_area(L, k);
    if (n == 0) {
        /* Fitted: a lobby's sections are narrower than a wall's. */
        tw_draw_blit(ui,
                     tw_draw_text_fit(ui, F_CARD, INK_MUTED, SURF_BG, _(section_empty[k]),
                                      area.w - 2 * L->accent_w - L->pad),
                     area.x + 2 * L->accent_w + L->pad, area.y + L->pad / 2);
        return;
    }
    const placed_card *p = ui->placed + ui->sec_first[k];
    size_t placed = ui->sec_n[k];
    for (size_t i = 0; i < placed; i++) {
        draw_card(ui, v, &p[i]);
        add_hit(ui, p[i].it->seq, (int)k, p[i].r);
        ui->cards_drawn++;
    }
    if (placed < n) {
        snprintf(buf, sizeof(buf), _("+%zu more"), n - placed);
        tw_draw_blit(ui, tw_draw_text_str(ui, F_STRONG, INK_MUTED, SURF_BG, buf),
                     area.x + 2 * L->accent_w + L->pad, ui->more_y[k]);
    }
}

/* Landscape: measure each section's cards at full size in the standard
 * column, then let the layout decide full or compact and the widths. */
void tw_cards_share_width(tw_ui *ui)
{
    tw_layout *L = &ui->L;
    size_t bound = visible_bound(L, L->board.h);
    if (bound > ui->full_h_cap) {
        for (int k = 0; k < TW_KIND_COUNT; k++)
            ui->full_h[k] = tw_xrealloc(ui->full_h[k], bound * sizeof(int));
        ui->full_h_cap = bound;
    }
    int total[TW_SECTIONS], measured[TW_SECTIONS], shown[TW_SECTIONS];
    const int *full[TW_SECTIONS];
    /* Full cards taller than the board never fit: measuring stops once the
     * measured ones fill it. */
    for (int k = 0; k < TW_SECTIONS; k++) {
        size_t m = section_items(ui, (tw_kind)k), n = ui->total[k];
        size_t cap = (size_t)(L->board.h / max_i(tw_layout_card_h(L, 1, false), 1) + 2) *
                     (size_t)max_i(L->card_cols, 1);
        if (m > cap)
            m = cap;
        if (m > bound)
            m = bound;
        measure_cards(ui, m);
        memcpy(ui->full_h[k], ui->heights, m * sizeof(int));
        total[k] = (int)n;
        measured[k] = (int)m;
        full[k] = ui->full_h[k];
    }
    tw_layout_density(L, total, full, measured, shown);
}

/* Portrait: share the board among the bands by whole rows of cards. */
void tw_cards_share_bands(tw_ui *ui)
{
    tw_layout *L = &ui->L;
    size_t bound = visible_bound(L, L->board.h);
    int cols = max_i(L->card_cols, 1);
    size_t per = bound / (size_t)cols + 1;
    if (per * TW_SECTIONS > ui->rows_cap) {
        ui->rows_cap = per * TW_SECTIONS;
        ui->rows = tw_xrealloc(ui->rows, ui->rows_cap * sizeof(*ui->rows));
    }
    int *row_h[TW_SECTIONS];
    int measured[TW_SECTIONS], total[TW_SECTIONS], items[TW_SECTIONS], kept[TW_SECTIONS];
    for (int k = 0; k < TW_SECTIONS; k++) {
        int *rows = ui->rows + (size_t)k * per;
        size_t m = section_items(ui, (tw_kind)k), n = ui->total[k];
        if (m > bound)
            m = bound;
        measure_cards(ui, m);
        total[k] = (int)((n + (size_t)cols - 1) / (size_t)cols);
        /* Only whole rows count as measured when cards remain unmeasured. */
        measured[k] = (int)(m < n ? m / (size_t)cols : (m + (size_t)cols - 1) / (size_t)cols);
        for (int r = 0; r < measured[k]; r++) {
            rows[r] = 0;
            for (size_t i = (size_t)r * cols; i < m && i < (size_t)(r + 1) * cols; i++)
                rows[r] = max_i(rows[r], ui->heights[i]);
        }
        row_h[k] = rows;
        items[k] = (int)n;
        kept[k] = (int)m;
    }
    tw_layout_bands_density(L, row_h, (int)per, measured, total, items, kept);
}

/* The first `want` items of kind k in section order (blockers and
 * questions oldest first, wins newest first), chosen from all of them in
 * one pass: a sorted window of the best so far, each newcomer placed by
 * binary search. Items arrive oldest first, so walking them backwards for
 * the wins keeps every insertion at the window's end. */
static size_t select_section(tw_ui *ui, const tw_view *v, tw_kind k, size_t want)
{
    int (*cmp)(const void *, const void *) = k == TW_KIND_WIN ? cmp_newest : cmp_oldest;
    size_t n = 0, total = 0;
    for (size_t j = 0; j < v->count; j++) {
        size_t i = k == TW_KIND_WIN ? v->count - 1 - j : j;
        const tw_item *it = &v->items[i];
        if (it->kind != k || it->state == TW_STATE_RESOLVED)
            continue;
        /* Wins age off the wall after [display] wins_for, acknowledged or
         * not; they stay in the store, the state and the figures. */
        if (k == TW_KIND_WIN && v->now - it->created >= ui->wins_for_s)
            continue;
        total++;
        if (want == 0 || (n == want && cmp(&it, &ui->pick[n - 1]) >= 0))
            continue;
        size_t lo = 0, hi = n;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (cmp(&ui->pick[mid], &it) <= 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (n == want)
            n--; /* the last one drops out */
        memmove(ui->pick + lo + 1, ui->pick + lo, (n - lo) * sizeof(*ui->pick));
        ui->pick[lo] = it;
        n++;
    }
    ui->total[k] = total;
    return n;
}

/* The same from the board's model: its order is the section's (wins read
 * from the newest), so the first `want` are copied and nothing else is
 * looked at. */
static size_t board_section(tw_ui *ui, const tw_board *b, tw_kind k, int64_t now, size_t want)
{
    bool newest = k == TW_KIND_WIN;
    size_t n = 0, total = tw_board_count(b, k);
    if (newest) {
        /* Wins age off after [display] wins_for: the model is in created
         * order, so the first one young enough is found by its rank, and
         * only those after it count and show. */
        size_t lo = 0, hi = total;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            const tw_item_view *it = tw_board_at(b, k, mid);
            if (it && now - it->created >= ui->wins_for_s)
                lo = mid + 1;
            else
                hi = mid;
        }
        total -= lo;
    }
    ui->total[k] = total;
    for (const tw_item_view *it = newest ? tw_board_last(b, k) : tw_board_first(b, k);
         it && n < want && n < total; it = newest ? tw_board_prev(b, it) : tw_board_next(b, it))
        tw_item_from_view(it, &ui->kept[k][n++]);
    return n;
}

/* Keep the cards that may show: for each section, as many as could fit. */
void tw_cards_keep(tw_ui *ui, const tw_view *v)
{
    size_t want = visible_bound(&ui->L, ui->L.board.h);
    if (want > ui->pick_cap) {
        ui->pick_cap = want;
        ui->pick = tw_xrealloc(ui->pick, want * sizeof(*ui->pick));
    }
    if (want > ui->kept_cap) {
        for (int k = 0; k < TW_KIND_COUNT; k++)
            ui->kept[k] = tw_xrealloc(ui->kept[k], want * sizeof(tw_item));
        ui->kept_cap = want;
    }
    ensure_scratch(ui, want);
    for (int k = 0; k < TW_KIND_COUNT; k++) {
        if (v->board) {
            ui->kept_n[k] = board_section(ui, v->board, (tw_kind)k, v->now, want);
            continue;
        }
        size_t n = select_section(ui, v, (tw_kind)k, want);
        for (size_t i = 0; i < n; i++)
            ui->kept[k][i] = *ui->pick[i];
        ui->kept_n[k] = n;
    }
}
