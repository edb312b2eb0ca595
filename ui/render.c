/* SPDX-License-Identifier: MIT */
/*
 * The board's screen. tw_ui_render() turns a tw_view into one frame: a header
 * bar (team, connection state, date and clock) and three columns of cards
 * (blockers, questions, wins). Sizes come from the output size alone, in the
 * pure layout_*() functions at the top, so the same code serves 800x480 and
 * 3840x2160; the draw_*() functions below only place what the layout and the
 * text cache hand them. The view is copied at each frame so tw_ui_screenshot()
 * can draw that frame again into a texture and save it, instead of reading
 * the screen back on every frame.
 */
#define _POSIX_C_SOURCE 200809L
#define LOG_MODULE      "ui"
#include "render.h"

#include <SDL.h>
#include <SDL_image.h>
#include <SDL_ttf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "textcache.h"
#include "util.h"

/* Text textures unused for this many frames are freed. Small, because every
 * string on screen is looked up every frame; anything more only keeps
 * yesterday's ages and clocks alive. */
#define TEXT_KEEP_FRAMES 3

/* ---- Fonts and colours ---- */

enum font_id { F_HEADER, F_STATUS, F_TITLE, F_CARD, F_META, F_STRONG, F_NUM };

/* Face and size of each font: size as a fraction of the layout scale (output
 * height for landscape), card text scale/32 = 34 px at 1080; and a floor so
 * the 7" 800x480 screen stays readable. */
static const struct {
    const char *file;
    int div, min_px;
} font_spec[F_NUM] = {
    [F_HEADER] = {"Inter-SemiBold.otf", 22, 20}, [F_STATUS] = {"Inter-Regular.otf", 38, 12},
    [F_TITLE] = {"Inter-SemiBold.otf", 30, 15},  [F_CARD] = {"Inter-Regular.otf", 32, 15},
    [F_META] = {"Inter-Regular.otf", 40, 12},    [F_STRONG] = {"Inter-SemiBold.otf", 40, 12},
};

typedef struct theme {
    SDL_Color bg, header, rule, card, text, muted;
    SDL_Color kind[TW_KIND_COUNT]; /* accents: blocker, question, win */
    SDL_Color helping;             /* "<name> is on it" */
    SDL_Color good, warn, bad;     /* connection dot, blocker age */
} theme;

/* Dark. Contrast on a card: text 13.7:1, muted text 6.6:1, every accent and
 * state colour at least 5.4:1 (WCAG AA asks 4.5:1). */
static const theme theme_dark = {
    .bg = {0x0E, 0x11, 0x16, 0xFF},
    .header = {0x16, 0x1A, 0x21, 0xFF},
    .rule = {0x26, 0x2C, 0x36, 0xFF},
    .card = {0x1B, 0x20, 0x29, 0xFF},
    .text = {0xE8, 0xEB, 0xF0, 0xFF},
    .muted = {0x9C, 0xA5, 0xB3, 0xFF},
    .kind = {{0xFF, 0x6B, 0x6B, 0xFF}, {0xF5, 0xB9, 0x42, 0xFF}, {0x4A, 0xCB, 0x8A, 0xFF}},
    .helping = {0x7D, 0xB7, 0xFF, 0xFF},
    .good = {0x4A, 0xCB, 0x8A, 0xFF},
    .warn = {0xF5, 0xB9, 0x42, 0xFF},
    .bad = {0xFF, 0x5C, 0x5C, 0xFF},
};

static const char *const column_title[TW_KIND_COUNT] = {"Blockers", "Questions", "Wins"};
static const char *const column_empty[TW_KIND_COUNT] = {"No blockers", "No open questions",
                                                        "No wins yet"};

#define SEP  " \xc2\xb7 "     /* " · " */
#define DASH " \xe2\x80\x94 " /* " — " */

/* ---- Layout: pure functions of the output size ---- */

typedef struct layout {
    int w, h;     /* output size */
    int scale;    /* what type sizes derive from */
    int unit;     /* base spacing, scale/40 */
    int margin;   /* outer margin and gap between columns */
    int header_h; /* header bar height */
    int col_x[TW_KIND_COUNT], col_w;
    int title_y; /* top of the column titles */
    int rule_y;  /* the accent rule under a title */
    int rule_h;
    int cards_y, cards_bottom;
    int pad, card_gap, radius, accent_w, meta_gap;
    int dot_d; /* connection dot diameter */
    int font_px[F_NUM];
} layout;

/* Vertical metrics of the fonts once sized, filled from SDL_ttf. */
typedef struct font_metrics {
    int ascent[F_NUM], height[F_NUM], skip[F_NUM];
} font_metrics;

static int max_i(int a, int b)
{
    return a > b ? a : b;
}

/* Compute the layout for a w x h output. Landscape: the scale is the height,
 * capped by a 16:9 width so a squarish screen does not get oversized type. */
static void layout_compute(int w, int h, layout *L)
{
    memset(L, 0, sizeof(*L));
    L->w = w;
    L->h = h;
    L->scale = h;
    if ((long)w * 9 / 16 < h)
        L->scale = (int)((long)w * 9 / 16);
    int s = max_i(L->scale, 240);
    for (int f = 0; f < F_NUM; f++)
        L->font_px[f] = max_i(s / font_spec[f].div, font_spec[f].min_px);

    L->unit = max_i(s / 40, 6);
    int u = L->unit;
    L->margin = u;
    L->header_h = s * 9 / 100;
    L->col_w = (w - 4 * L->margin) / 3;
    for (int k = 0; k < TW_KIND_COUNT; k++)
        L->col_x[k] = L->margin + k * (L->col_w + L->margin);
    L->title_y = L->header_h + u;
    L->pad = u * 6 / 10;
    L->card_gap = u / 2;
    L->radius = max_i(u / 3, 3);
    L->accent_w = max_i(u / 6, 3);
    L->meta_gap = u / 3;
    L->rule_h = max_i(u / 12, 2);
    L->dot_d = max_i(L->font_px[F_STATUS] * 6 / 10, 6);
    L->cards_bottom = h - L->margin;
}

/* The parts of the layout that depend on font metrics. */
static void layout_finish(layout *L, const font_metrics *fm)
{
    L->rule_y = L->title_y + fm->height[F_TITLE] + L->unit / 3;
    L->cards_y = L->rule_y + L->rule_h + L->unit * 2 / 3;
}

/* Width available to the text inside a card. */
static int card_text_w(const layout *L)
{
    return L->col_w - L->accent_w - 2 * L->pad;
}

/* Height of a card with `lines` lines of text and one or two meta lines. */
static int card_height(const layout *L, const font_metrics *fm, int lines, bool claimed)
{
    int text = lines > 0 ? (lines - 1) * fm->skip[F_CARD] + fm->height[F_CARD] : 0;
    int meta = fm->height[F_META] + (claimed ? fm->skip[F_META] : 0);
    return L->pad + text + L->meta_gap + meta + L->pad;
}

/* Does a card of height h fit at y? When more cards follow, room for the
 * "+N more" line must remain below it. */
static bool card_fits(const layout *L, int y, int h, bool more_after, int more_h)
{
    int need = h + (more_after ? L->card_gap + more_h : 0);
    return y + need <= L->cards_bottom;
}

/* Top of a text box in font f whose capitals are centred on cy. */
static int text_top_centred(const layout *L, const font_metrics *fm, int f, int cy)
{
    int cap = L->font_px[f] * 73 / 100; /* Inter's cap height is 0.727 em */
    return cy + cap / 2 - fm->ascent[f];
}

/* "now", "5m", "3h", "2d". */
static void format_age(int64_t secs, char *buf, size_t size)
{
    if (secs < 60)
        snprintf(buf, size, "now");
    else if (secs < 3600)
        snprintf(buf, size, "%dm", (int)(secs / 60));
    else if (secs < 86400)
        snprintf(buf, size, "%dh", (int)(secs / 3600));
    else
        snprintf(buf, size, "%lldd", (long long)(secs / 86400));
}

/* Blockers escalate: 0 calm, 1 after 4 hours, 2 after a day. */
static int age_level(tw_kind kind, int64_t secs)
{
    if (kind != TW_KIND_BLOCKER)
        return 0;
    return secs >= 86400 ? 2 : secs >= 4 * 3600 ? 1 : 0;
}

static void local_tm(int64_t t, struct tm *tm)
{
    time_t tt = (time_t)t;
    if (!localtime_r(&tt, tm))
        memset(tm, 0, sizeof(*tm));
}

static void format_hhmm(int64_t t, char *buf, size_t size)
{
    struct tm tm;
    local_tm(t, &tm);
    snprintf(buf, size, "%02d:%02d", tm.tm_hour, tm.tm_min);
}

static void format_date(int64_t t, char *buf, size_t size)
{
    static const char *const wd[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    struct tm tm;
    local_tm(t, &tm);
    snprintf(buf, size, "%s %d %s", wd[(unsigned)tm.tm_wday % 7], tm.tm_mday,
             mon[(unsigned)tm.tm_mon % 12]);
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

/* ---- The screen ---- */

struct tw_ui {
    SDL_Window *win;
    SDL_Renderer *r;
    bool sdl_up, ttf_up;
    TTF_Font *font[F_NUM];
    tw_textcache *text;
    const theme *th;

    layout L;
    font_metrics fm;
    SDL_Texture *corner; /* white disc of radius L.radius, for rounded corners */
    SDL_Texture *dot;    /* white disc of diameter L.dot_d */

    /* The last frame's view, owned, for tw_ui_screenshot(). */
    bool have_last;
    tw_view last;
    char *last_team, *last_reason;
    tw_item *last_items;
    size_t last_cap;

    const tw_item **order; /* scratch: items sorted per column */
    size_t order_cap;

    uint64_t frames;
};

/* A white anti-aliased disc of diameter d on a transparent square, tinted at
 * draw time with SDL_SetTextureColorMod. Coverage from 4x4 supersampling. */
static SDL_Texture *make_disc(SDL_Renderer *r, int d)
{
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, d, d, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!s)
        return NULL;
    float rad = d / 2.0f;
    for (int y = 0; y < d; y++) {
        Uint32 *row = (Uint32 *)((Uint8 *)s->pixels + y * s->pitch);
        for (int x = 0; x < d; x++) {
            int in = 0;
            for (int sy = 0; sy < 4; sy++)
                for (int sx = 0; sx < 4; sx++) {
                    float fx = x + (sx + 0.5f) / 4 - rad, fy = y + (sy + 0.5f) / 4 - rad;
                    in += fx * fx + fy * fy <= rad * rad;
                }
            row[x] = (Uint32)(in * 255 / 16) << 24 | 0xFFFFFF;
        }
    }
    SDL_Texture *t = SDL_CreateTextureFromSurface(r, s);
    SDL_FreeSurface(s);
    if (t)
        SDL_SetTextureBlendMode(t, SDL_BLENDMODE_BLEND);
    return t;
}

/* Size the fonts and shapes for a new output size. */
static int relayout(tw_ui *ui, int w, int h)
{
    layout_compute(w, h, &ui->L);
    for (int f = 0; f < F_NUM; f++) {
        if (TTF_SetFontSize(ui->font[f], ui->L.font_px[f]) != 0) {
            log_error("cannot size font %s to %d px: %s", font_spec[f].file, ui->L.font_px[f],
                      TTF_GetError());
            return TW_ERR_IO;
        }
        tw_textcache_set_font(ui->text, f, ui->font[f]);
        ui->fm.ascent[f] = TTF_FontAscent(ui->font[f]);
        ui->fm.height[f] = TTF_FontHeight(ui->font[f]);
        ui->fm.skip[f] = TTF_FontLineSkip(ui->font[f]);
    }
    layout_finish(&ui->L, &ui->fm);

    if (ui->corner)
        SDL_DestroyTexture(ui->corner);
    if (ui->dot)
        SDL_DestroyTexture(ui->dot);
    ui->corner = make_disc(ui->r, 2 * ui->L.radius);
    ui->dot = make_disc(ui->r, ui->L.dot_d);
    if (!ui->corner || !ui->dot) {
        log_error("cannot create shape textures: %s", SDL_GetError());
        return TW_ERR_IO;
    }
    log_debug("layout %dx%d: card text %d px, header %d px", w, h, ui->L.font_px[F_CARD],
              ui->L.font_px[F_HEADER]);
    return 0;
}

/* ---- Drawing primitives ---- */

static void fill(tw_ui *ui, int x, int y, int w, int h, SDL_Color c)
{
    if (w <= 0 || h <= 0)
        return;
    SDL_Rect rc = {x, y, w, h};
    SDL_SetRenderDrawColor(ui->r, c.r, c.g, c.b, c.a);
    SDL_RenderFillRect(ui->r, &rc);
}

static void tinted(SDL_Texture *t, SDL_Color c)
{
    SDL_SetTextureColorMod(t, c.r, c.g, c.b);
    SDL_SetTextureAlphaMod(t, c.a);
}

/* Filled rectangle with anti-aliased corners of radius L.radius. */
static void round_rect(tw_ui *ui, int x, int y, int w, int h, SDL_Color c)
{
    int r = ui->L.radius;
    if (w < 2 * r || h < 2 * r) {
        fill(ui, x, y, w, h, c);
        return;
    }
    tinted(ui->corner, c);
    const SDL_Rect src[4] = {{0, 0, r, r}, {r, 0, r, r}, {0, r, r, r}, {r, r, r, r}};
    const SDL_Rect dst[4] = {
        {x, y, r, r}, {x + w - r, y, r, r}, {x, y + h - r, r, r}, {x + w - r, y + h - r, r, r}};
    for (int i = 0; i < 4; i++)
        SDL_RenderCopy(ui->r, ui->corner, &src[i], &dst[i]);
    fill(ui, x + r, y, w - 2 * r, h, c);
    fill(ui, x, y + r, r, h - 2 * r, c);
    fill(ui, x + w - r, y + r, r, h - 2 * r, c);
}

static void draw_dot(tw_ui *ui, int cx, int cy, SDL_Color c)
{
    int d = ui->L.dot_d;
    SDL_Rect dst = {cx - d / 2, cy - d / 2, d, d};
    tinted(ui->dot, c);
    SDL_RenderCopy(ui->r, ui->dot, NULL, &dst);
}

static void blit(tw_ui *ui, const tw_text_tex *t, int x, int y)
{
    if (!t)
        return;
    SDL_Rect dst = {x, y, t->w, t->h};
    SDL_RenderCopy(ui->r, t->tex, NULL, &dst);
}

static int tex_w(const tw_text_tex *t)
{
    return t ? t->w : 0;
}

/* Draw s (when draw is set) one code point at a time; return its width. For refs: shaped as a
 * whole, Inter's contextual alternates turn the "2x8" of a ref like "m2x8" into "2×8", and a ref
 * must read as typed. */
static int draw_chars(tw_ui *ui, int f, SDL_Color c, const char *s, bool draw, int x, int y)
{
    int w = 0;
    for (size_t i = 0, n; s && (n = tw_utf8_step(s + i)) > 0; i += n) {
        const tw_text_tex *t = tw_textcache_text(ui->text, f, c, s + i, n);
        if (draw)
            blit(ui, t, x + w, y);
        w += tex_w(t);
    }
    return w;
}

/* Texture of line i of a wrap of s, with the ellipsis on a cut last line. */
static const tw_text_tex *wrap_line(tw_ui *ui, int f, SDL_Color c, const char *s, const tw_wrap *wr,
                                    int i)
{
    if (!wr || i >= wr->n)
        return NULL;
    bool dots = wr->ellipsis && i == wr->n - 1;
    if (!dots)
        return tw_textcache_text(ui->text, f, c, s + wr->start[i], wr->len[i]);
    /* Only the last line needs a new string. No line near this long fits on
     * any screen, so cutting at the buffer (on a code point) loses nothing. */
    char buf[2048];
    size_t n = wr->len[i];
    if (n > sizeof(buf) - sizeof(TW_ELLIPSIS)) {
        n = 0;
        while (n < wr->len[i]) {
            size_t st = tw_utf8_step(s + wr->start[i] + n);
            if (st == 0 || n + st > sizeof(buf) - sizeof(TW_ELLIPSIS))
                break;
            n += st;
        }
    }
    memcpy(buf, s + wr->start[i], n);
    memcpy(buf + n, TW_ELLIPSIS, sizeof(TW_ELLIPSIS));
    return tw_textcache_text(ui->text, f, c, buf, n + sizeof(TW_ELLIPSIS) - 1);
}

/* One line of s in font f, cut with an ellipsis to max_w. */
static const tw_text_tex *line_fit(tw_ui *ui, int f, SDL_Color c, const char *s, int max_w)
{
    if (!s || !*s)
        return NULL;
    const tw_wrap *wr = tw_textcache_wrap(ui->text, f, s, max_i(max_w, 1), 1);
    return wrap_line(ui, f, c, s, wr, 0);
}

/* ---- The frame ---- */

static void draw_header(tw_ui *ui, const tw_view *v)
{
    const layout *L = &ui->L;
    const font_metrics *fm = &ui->fm;
    const theme *th = ui->th;
    int u = L->unit, cy = L->header_h / 2;
    char buf[512], hhmm[16];

    fill(ui, 0, 0, L->w, L->header_h, th->header);
    fill(ui, 0, L->header_h - 1, L->w, 1, th->rule);

    /* Right to left: clock, date, connection state. */
    format_hhmm(v->now, hhmm, sizeof(hhmm));
    const tw_text_tex *clock = tw_textcache_str(ui->text, F_HEADER, th->text, hhmm);
    int x = L->w - L->margin - tex_w(clock);
    blit(ui, clock, x, text_top_centred(L, fm, F_HEADER, cy));

    format_date(v->now, buf, sizeof(buf));
    const tw_text_tex *date = tw_textcache_str(ui->text, F_STATUS, th->muted, buf);
    x -= u * 2 / 3 + tex_w(date);
    blit(ui, date, x, text_top_centred(L, fm, F_STATUS, cy));

    SDL_Color dot, ink;
    if (v->online) {
        dot = th->good;
        ink = th->text;
        snprintf(buf, sizeof(buf), "live");
    } else {
        bool recent = v->offline_since == 0 || v->now - v->offline_since < 5 * 60;
        dot = recent ? th->warn : th->bad;
        ink = dot;
        int n = v->offline_since ? snprintf(buf, sizeof(buf), "offline since ") : 0;
        if (v->offline_since)
            format_hhmm(v->offline_since, buf + n, sizeof(buf) - (size_t)n);
        else
            snprintf(buf, sizeof(buf), "offline");
        if (v->offline_reason && *v->offline_reason) {
            size_t len = strlen(buf);
            snprintf(buf + len, sizeof(buf) - len, DASH "%s", v->offline_reason);
        }
    }
    const tw_text_tex *st = line_fit(ui, F_STATUS, ink, buf, L->w * 35 / 100);
    x -= u * 3 / 2 + tex_w(st);
    blit(ui, st, x, text_top_centred(L, fm, F_STATUS, cy));
    x -= L->dot_d / 2 + u / 2;
    draw_dot(ui, x, cy, dot);
    x -= L->dot_d / 2;

    int team_max = x - u * 2 - L->margin;
    const tw_text_tex *team = line_fit(ui, F_HEADER, th->text, v->team, team_max);
    blit(ui, team, L->margin, text_top_centred(L, fm, F_HEADER, cy));
}

/* The meta line: author · age · ref, the author cut to what is left. */
static void draw_meta(tw_ui *ui, const tw_item *it, int64_t now, int x, int y, int w)
{
    const theme *th = ui->th;
    char age[24];
    int64_t secs = now - it->created;
    format_age(secs, age, sizeof(age));
    int level = age_level(it->kind, secs);
    SDL_Color age_ink = level == 2 ? th->bad : level == 1 ? th->warn : th->muted;

    const tw_text_tex *sep = tw_textcache_str(ui->text, F_META, th->muted, SEP);
    const tw_text_tex *tage = tw_textcache_str(ui->text, F_META, age_ink, age);
    int ref_w = draw_chars(ui, F_META, th->muted, it->ref, false, x, y);
    int rest = tex_w(tage) + (ref_w ? tex_w(sep) + ref_w : 0);

    if (it->author[0]) {
        const tw_text_tex *ta = line_fit(ui, F_META, th->muted, it->author, w - rest - tex_w(sep));
        blit(ui, ta, x, y);
        x += tex_w(ta);
        blit(ui, sep, x, y);
        x += tex_w(sep);
    }
    blit(ui, tage, x, y);
    x += tex_w(tage);
    if (ref_w) {
        blit(ui, sep, x, y);
        x += tex_w(sep);
        draw_chars(ui, F_META, th->muted, it->ref, true, x, y);
    }
}

static void draw_helper(tw_ui *ui, const tw_item *it, int x, int y, int w)
{
    const char *who = it->claimed_by[0] ? it->claimed_by : "someone";
    const tw_text_tex *tail = tw_textcache_str(ui->text, F_META, ui->th->helping, " is on it");
    const tw_text_tex *name = line_fit(ui, F_STRONG, ui->th->helping, who, w - tex_w(tail));
    blit(ui, name, x, y);
    blit(ui, tail, x + tex_w(name), y);
}

static bool is_claimed(const tw_item *it)
{
    return it->state == TW_STATE_CLAIMED;
}

/* Draw one card at y; returns its height. */
static int draw_card(tw_ui *ui, const tw_item *it, const tw_wrap *wr, int64_t now, int x, int y)
{
    const layout *L = &ui->L;
    const font_metrics *fm = &ui->fm;
    int h = card_height(L, fm, wr->n, is_claimed(it));

    /* The accent shows as a left border that follows the rounded corners.
     * It is only as wide as the card's corner, so no accent pixel shows
     * through the anti-aliased right-hand corners. */
    round_rect(ui, x, y, L->accent_w + 2 * L->radius, h, ui->th->kind[it->kind]);
    round_rect(ui, x + L->accent_w, y, L->col_w - L->accent_w, h, ui->th->card);

    int tx = x + L->accent_w + L->pad, ty = y + L->pad;
    for (int i = 0; i < wr->n; i++)
        blit(ui, wrap_line(ui, F_CARD, ui->th->text, it->text, wr, i), tx,
             ty + i * fm->skip[F_CARD]);
    if (wr->n > 0)
        ty += (wr->n - 1) * fm->skip[F_CARD] + fm->height[F_CARD];
    ty += L->meta_gap;
    draw_meta(ui, it, now, tx, ty, card_text_w(L));
    if (is_claimed(it))
        draw_helper(ui, it, tx, ty + fm->skip[F_META], card_text_w(L));
    return h;
}

static void draw_column(tw_ui *ui, tw_kind k, const tw_item **items, size_t n, int64_t now)
{
    const layout *L = &ui->L;
    const font_metrics *fm = &ui->fm;
    const theme *th = ui->th;
    int x = L->col_x[k];
    char buf[32];

    const tw_text_tex *title = tw_textcache_str(ui->text, F_TITLE, th->text, column_title[k]);
    blit(ui, title, x, L->title_y);
    snprintf(buf, sizeof(buf), "%zu", n);
    blit(ui, tw_textcache_str(ui->text, F_TITLE, th->kind[k], buf), x + tex_w(title) + L->unit / 2,
         L->title_y);
    fill(ui, x, L->rule_y, L->col_w, L->rule_h, th->kind[k]);

    if (n == 0) {
        blit(ui, tw_textcache_str(ui->text, F_CARD, th->muted, column_empty[k]),
             x + L->accent_w + L->pad, L->cards_y + L->pad);
        return;
    }

    int y = L->cards_y, more_h = fm->height[F_STRONG];
    size_t shown = 0;
    for (; shown < n; shown++) {
        const tw_item *it = items[shown];
        const tw_wrap *wr = tw_textcache_wrap(ui->text, F_CARD, it->text, card_text_w(L), 3);
        if (!wr)
            break;
        int h = card_height(L, fm, wr->n, is_claimed(it));
        if (!card_fits(L, y, h, shown + 1 < n, more_h))
            break;
        draw_card(ui, it, wr, now, x, y);
        y += h + L->card_gap;
    }
    if (shown < n) {
        snprintf(buf, sizeof(buf), "+%zu more", n - shown);
        blit(ui, tw_textcache_str(ui->text, F_STRONG, th->muted, buf), x + L->accent_w + L->pad, y);
    }
}

static void draw_frame(tw_ui *ui, const tw_view *v)
{
    SDL_Color bg = ui->th->bg;
    SDL_SetRenderDrawBlendMode(ui->r, SDL_BLENDMODE_NONE);
    SDL_SetRenderDrawColor(ui->r, bg.r, bg.g, bg.b, 0xFF);
    SDL_RenderClear(ui->r);
    draw_header(ui, v);

    if (v->count > ui->order_cap) {
        ui->order_cap = v->count;
        ui->order = tw_xrealloc(ui->order, ui->order_cap * sizeof(*ui->order));
    }
    for (int k = 0; k < TW_KIND_COUNT; k++) {
        size_t n = 0;
        for (size_t i = 0; i < v->count; i++)
            if (v->items[i].kind == (tw_kind)k && v->items[i].state != TW_STATE_RESOLVED)
                ui->order[n++] = &v->items[i];
        if (n > 1)
            qsort(ui->order, n, sizeof(*ui->order), k == TW_KIND_WIN ? cmp_newest : cmp_oldest);
        draw_column(ui, (tw_kind)k, ui->order, n, v->now);
    }
}

/* Keep a copy of the view for tw_ui_screenshot(). */
static void keep_view(tw_ui *ui, const tw_view *v)
{
    free(ui->last_team);
    free(ui->last_reason);
    ui->last_team = tw_xstrdup(v->team ? v->team : "");
    ui->last_reason = v->offline_reason ? tw_xstrdup(v->offline_reason) : NULL;
    if (v->count > ui->last_cap) {
        ui->last_cap = v->count;
        ui->last_items = tw_xrealloc(ui->last_items, ui->last_cap * sizeof(tw_item));
    }
    if (v->count)
        memcpy(ui->last_items, v->items, v->count * sizeof(tw_item));
    ui->last = *v;
    ui->last.team = ui->last_team;
    ui->last.offline_reason = ui->last_reason;
    ui->last.items = ui->last_items;
    ui->have_last = true;
}

/* ---- Public API ---- */

static int open_fonts(tw_ui *ui, const char *dir)
{
    char path[4096];
    for (int f = 0; f < F_NUM; f++) {
        snprintf(path, sizeof(path), "%s/%s", dir, font_spec[f].file);
        ui->font[f] = TTF_OpenFont(path, 16);
        if (!ui->font[f]) {
            log_error("cannot load font %s: %s", path, TTF_GetError());
            return TW_ERR_IO;
        }
        TTF_SetFontHinting(ui->font[f], TTF_HINTING_LIGHT);
    }
    return 0;
}

int tw_ui_create(const tw_ui_options *opt, tw_ui **out)
{
    if (!opt || !out)
        return TW_ERR_INVAL;
    *out = NULL;
    if (!opt->font_dir) {
        log_error("no font folder given");
        return TW_ERR_INVAL;
    }

    int rc = TW_ERR_IO;
    tw_ui *ui = tw_xcalloc(1, sizeof(*ui));
    ui->th = &theme_dark;

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
    if ((rc = open_fonts(ui, opt->font_dir)) != 0)
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

    SDL_RendererInfo info;
    if (SDL_GetRendererInfo(ui->r, &info) == 0)
        log_info("video %s, renderer %s", SDL_GetCurrentVideoDriver(), info.name);

    ui->text = tw_textcache_create(ui->r, TEXT_KEEP_FRAMES);
    int ow, oh;
    if (SDL_GetRendererOutputSize(ui->r, &ow, &oh) != 0 || ow <= 0 || oh <= 0) {
        log_error("cannot read output size: %s", SDL_GetError());
        goto out;
    }
    if ((rc = relayout(ui, ow, oh)) != 0)
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
    tw_textcache_destroy(ui->text);
    if (ui->corner)
        SDL_DestroyTexture(ui->corner);
    if (ui->dot)
        SDL_DestroyTexture(ui->dot);
    for (int f = 0; f < F_NUM; f++)
        if (ui->font[f])
            TTF_CloseFont(ui->font[f]);
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
    free(ui->last_items);
    free(ui->order);
    free(ui);
}

int tw_ui_render(tw_ui *ui, const tw_view *view)
{
    if (!ui || !view || (view->count && !view->items))
        return TW_ERR_INVAL;
    int w, h, rc;
    if (SDL_GetRendererOutputSize(ui->r, &w, &h) != 0 || w <= 0 || h <= 0) {
        log_error("cannot read output size: %s", SDL_GetError());
        return TW_ERR_IO;
    }
    if ((w != ui->L.w || h != ui->L.h) && (rc = relayout(ui, w, h)) != 0)
        return rc;
    keep_view(ui, view);
    draw_frame(ui, &ui->last);
    SDL_RenderPresent(ui->r);
    tw_textcache_sweep(ui->text);
    ui->frames++;
    return 0;
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
    /* Draw the kept view again off screen: the back buffer is undefined after
     * a present, and reading the screen back every frame would cost a GPU
     * stall on the Pi for a picture that is rarely asked for. */
    SDL_Texture *t =
        SDL_CreateTexture(ui->r, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_TARGET, w, h);
    if (!t || SDL_SetRenderTarget(ui->r, t) != 0) {
        log_error("screenshot %s: no render target: %s", path, SDL_GetError());
        goto out;
    }
    draw_frame(ui, &ui->last);
    s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 24, SDL_PIXELFORMAT_RGB24);
    if (!s || SDL_RenderReadPixels(ui->r, NULL, SDL_PIXELFORMAT_RGB24, s->pixels, s->pitch) != 0) {
        log_error("screenshot %s: cannot read pixels: %s", path, SDL_GetError());
        SDL_SetRenderTarget(ui->r, NULL);
        goto out;
    }
    SDL_SetRenderTarget(ui->r, NULL);
    if (IMG_SavePNG(s, path) != 0) {
        log_error("screenshot %s: %s", path, IMG_GetError());
        goto out;
    }
    rc = 0;
out:
    SDL_FreeSurface(s);
    if (t)
        SDL_DestroyTexture(t);
    return rc;
}

void tw_ui_size(const tw_ui *ui, int *w, int *h)
{
    int ow = 0, oh = 0;
    if (ui && SDL_GetRendererOutputSize(ui->r, &ow, &oh) != 0) {
        ow = ui->L.w;
        oh = ui->L.h;
    }
    if (w)
        *w = ow;
    if (h)
        *h = oh;
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
    out->frames = ui->frames;
    out->glyph_renders = ts.renders;
    out->cache_entries = ts.entries;
}
