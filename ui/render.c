/* SPDX-License-Identifier: MIT */
/*
 * The board's screen. tw_ui_render() turns a tw_view into one frame: the
 * header (team, connection, date, clock), the warnings banner, the three
 * sections of cards, the figures strip, the "recently learned" line and,
 * over them, the detail view. Geometry comes from ui/layout.c (pure), colours
 * from ui/theme.c, text from the cache (ui/textcache.c) over the font chain
 * (ui/fonts.c); this file only places what they hand it.
 *
 * Every text is drawn as an (ink, surface) pair of the theme and the pairs
 * used are recorded, so tests can prove each one has 4.5:1 contrast.
 *
 * The view is copied at each frame so tw_ui_screenshot() can draw that frame
 * again into a texture and save it, instead of reading the screen back on
 * every frame.
 *
 * What changes rarely is composed once (ui/cardcache.c) and copied: each
 * card, the header, the figures strip. The wall is painted around them
 * rather than under them, so each pixel of a frame is written about once;
 * on the software renderer the copies and the wall's fills run on whole
 * cache lines (see line_pads), and a frame costs little more than clearing
 * the screen.
 */
#define _POSIX_C_SOURCE 200809L
#define LOG_MODULE      "ui"
#include "render.h"

#include <SDL.h>
#include <SDL_image.h>
#include <SDL_ttf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cardcache.h"
#include "fonts.h"
#include "icons.h"
#include "layout.h"
#include "log.h"
#include "schedule.h"
#include "textcache.h"
#include "theme.h"
#include "unicode.h"
#include "util.h"

/* Text textures unused for this many frames are freed. Small, because every
 * string on screen is looked up, or kept by the card it was drawn into, every
 * frame; anything more only keeps yesterday's ages and clocks alive. */
#define TEXT_KEEP_FRAMES 3

/* The new-card highlight: this long, pulsing this fast, drawn this often. */
#define ANIM_MS       6000
#define ANIM_PULSE_MS 1500
#define ANIM_FRAME_MS 40

#define SHIFT_PERIOD_S 120 /* one pixel of burn-in shift every two minutes */
/* The learned line moves on once a minute: on the clock's own minute ticks,
 * which redraw anyway, so every answer gets its turn and no wake-up is added. */
#define LEARNED_ROTATE_S 60
#define DIM_ALPHA        175 /* night dimming: about a third of the brightness left */
#define BANNER_MAX_ROWS  3
#define HISTORY_MAX      24
#define DISC_CACHE       48

/* Rows of the wall's texture: a run of wall taller than this is painted with
 * several copies of it. */
#define WALL_ROWS 64

#define SEP       " \xc2\xb7 "     /* " · " */
#define DASH      " \xe2\x80\x94 " /* " — " */
#define ARROW     " \xe2\x86\x92 " /* " → " */
#define WARN_SIGN "\xe2\x9a\xa0"   /* ⚠ */

static const char *const section_title[TW_KIND_COUNT] = {"Blockers", "Questions", "Wins"};
static const char *const section_empty[TW_KIND_COUNT] = {"No blockers", "No open questions",
                                                         "No wins yet this week"};
static const tw_ink kind_ink[TW_KIND_COUNT] = {INK_BLOCKER, INK_QUESTION, INK_WIN};

/* One card placed in the last frame, for touch and arrow keys. */
typedef struct hit_rect {
    int64_t seq;
    int section;
    tw_rect r;
} hit_rect;

/* A card placed in this frame, for the wall around it and then itself:
 * its rect and the wall it takes left and right onto whole cache lines. */
typedef struct placed_card {
    const tw_item *it;
    const tw_wrap *wr;
    tw_rect r;
    int pl, pr;
} placed_card;

/* A card that arrived after the first frame, and when (for the highlight). */
typedef struct fresh {
    int64_t seq;
    int64_t since_ms;
} fresh;
#define FRESH_MAX 64

struct tw_ui {
    SDL_Window *win;
    SDL_Renderer *r;
    bool sdl_up, ttf_up;
    tw_fonts *fonts;
    tw_textcache *text;
    tw_cardcache *cards;
    bool composing; /* drawing into a card: keep its text with it */
    int grain;      /* pixels in a cache line of the screen (software); 1: no lines */
    const tw_theme *th;
    int64_t escalate_s, critical_s;

    tw_layout L;
    int fonts_w, fonts_h; /* output size the fonts are sized for */
    int ox, oy;           /* pixel shift of this frame */

    struct {
        int d;
        Uint32 rgb;
        SDL_Texture *t;
    } discs[DISC_CACHE];
    int disc_next; /* round-robin slot to reuse when the cache is full */
    SDL_Texture *icons[TW_ICON_COUNT];
    int icon_size;

    /* The last frame's view, owned, for tw_ui_screenshot(). */
    bool have_last;
    tw_view last;
    char *last_team, *last_reason;
    /* The cards each section may show, copied in its order (at most the
     * number that can fit), and how many the section has in all: a board
     * with 100,000 open items copies and draws a screenful, not the board. */
    tw_item *kept[TW_KIND_COUNT];
    size_t kept_n[TW_KIND_COUNT], kept_cap, total[TW_KIND_COUNT];
    const tw_item **pick; /* scratch for the selection */
    size_t pick_cap;
    tw_warning *last_warnings;
    size_t last_warn_cap;
    tw_figures last_figures;
    tw_learned *last_learned;
    tw_detail_view last_detail;
    tw_item last_detail_item;
    tw_history_entry *last_history;

    const tw_item **order; /* scratch: items of a section, sorted */
    size_t order_cap;
    int *heights;
    const tw_wrap **wraps;
    tw_rect *rects;
    size_t scratch_cap;
    int *rows; /* portrait: row heights of the bands */
    size_t rows_cap;

    /* This frame's cards, section by section, placed before anything is
     * drawn so the wall can be painted around them. */
    placed_card *placed;
    size_t n_placed, placed_cap, sec_first[TW_KIND_COUNT], sec_n[TW_KIND_COUNT];
    int more_y[TW_KIND_COUNT];
    tw_rect *opaque, *wall; /* what is copied opaque, and the wall around it */
    size_t opaque_cap, wall_cap;
    int strip_pl, strip_pr; /* the strip's wall onto whole lines */
    /* The cache key of what is being drawn: everything it shows. */
    char key[sizeof(tw_item) + 256];

    hit_rect *hits;
    size_t n_hits, hits_cap;
    bool detail_shown;
    tw_detail_layout detail_layout;

    fresh fresh[FRESH_MAX];
    int n_fresh;
    int64_t seq_high; /* highest item seq of the last frame; -1 before the first */
    int64_t next_frame;
    int anim_cards, cards_drawn;

    uint64_t frames;
    uint32_t pairs_used[16];
};

static int max_i(int a, int b)
{
    return a > b ? a : b;
}

/* ---- colours ---- */

static bool same_rgb(tw_rgb a, tw_rgb b)
{
    return a.r == b.r && a.g == b.g && a.b == b.b;
}

static SDL_Color sdl(tw_rgb c)
{
    return (SDL_Color){c.r, c.g, c.b, 0xFF};
}

static SDL_Color ink(const tw_ui *ui, tw_ink i)
{
    return sdl(ui->th->ink[i]);
}

static SDL_Color surf(const tw_ui *ui, tw_surface s)
{
    return sdl(ui->th->surface[s]);
}

static SDL_Color alpha(SDL_Color c, int a)
{
    c.a = (Uint8)(a < 0 ? 0 : a > 255 ? 255 : a);
    return c;
}

static void note_pair(tw_ui *ui, tw_ink i, tw_surface s)
{
    uint32_t bit = 1u << i;
    if (ui->pairs_used[s] & bit)
        return;
    ui->pairs_used[s] |= bit;
    if (!tw_theme_pair_allowed(i, s))
        log_error("text in %s on %s is not an allowed pair (contrast unchecked)", tw_ink_name(i),
                  tw_surface_name(s));
}

/* ---- text ---- */

/* Text drawn into a card being composed lives as long as the card. */
static const tw_text_tex *used(tw_ui *ui, const tw_text_tex *t)
{
    if (ui->composing)
        tw_cardcache_text(ui->cards, t);
    return t;
}

static const tw_text_tex *text_str(tw_ui *ui, int role, tw_ink i, tw_surface on, const char *s)
{
    note_pair(ui, i, on);
    return used(ui, tw_textcache_str(ui->text, role, ink(ui, i), surf(ui, on), s));
}

static const tw_text_tex *text_fit(tw_ui *ui, int role, tw_ink i, tw_surface on, const char *s,
                                   int max_w)
{
    note_pair(ui, i, on);
    return used(ui, tw_textcache_fit(ui->text, role, ink(ui, i), surf(ui, on), s, max_w));
}

static const tw_text_tex *text_line(tw_ui *ui, int role, tw_ink i, tw_surface on, const char *s,
                                    const tw_wrap *wr, int line)
{
    note_pair(ui, i, on);
    return used(ui, tw_textcache_line(ui->text, role, ink(ui, i), surf(ui, on), s, wr, line));
}

/* One character of a ref (drawn apart: see draw_meta). */
static const tw_text_tex *text_char(tw_ui *ui, tw_surface on, const char *s, size_t n)
{
    return used(ui,
                tw_textcache_text(ui->text, F_META, ink(ui, INK_MUTED), surf(ui, on), s, n, false));
}

static int tex_w(const tw_text_tex *t)
{
    return t ? t->w : 0;
}

/* Top of a text box in role f whose capitals are centred on cy (Inter's
 * capitals are 0.727 em tall). */
static int text_top_centred(const tw_ui *ui, int f, int cy)
{
    int cap = ui->L.font_px[f] * 727 / 1000;
    return cy + cap / 2 - ui->L.fm[f].ascent;
}

/* ---- drawing primitives (all shifted by the burn-in offset) ---- */

static void fill(tw_ui *ui, int x, int y, int w, int h, SDL_Color c)
{
    if (w <= 0 || h <= 0)
        return;
    SDL_Rect rc = {x + ui->ox, y + ui->oy, w, h};
    SDL_SetRenderDrawBlendMode(ui->r, c.a == 0xFF ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
    SDL_SetRenderDrawColor(ui->r, c.r, c.g, c.b, c.a);
    SDL_RenderFillRect(ui->r, &rc);
}

/* A disc of diameter d in colour c with an anti-aliased edge (alpha from
 * the pixel's coverage, 4x4 samples), cached by size and colour. The colour
 * is in the pixels, not a colour modulation: SDL's software renderer blends
 * a modulated texture through its slow generic path, a plain one through its
 * fast one (a frame's corners cost 4x less). */
static SDL_Texture *disc(tw_ui *ui, int d, SDL_Color c)
{
    if (d < 1)
        d = 1;
    Uint32 rgb = (Uint32)c.r << 16 | (Uint32)c.g << 8 | c.b;
    for (int i = 0; i < DISC_CACHE; i++)
        if (ui->discs[i].t && ui->discs[i].d == d && ui->discs[i].rgb == rgb)
            return ui->discs[i].t;
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, d, d, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!s)
        return NULL;
    float rad = d / 2.0f;
    for (int y = 0; y < d; y++) {
        Uint32 *row = (Uint32 *)((Uint8 *)s->pixels + (size_t)y * s->pitch);
        for (int x = 0; x < d; x++) {
            int in = 0;
            for (int j = 0; j < 4; j++)
                for (int i = 0; i < 4; i++) {
                    float fx = x + (i + 0.5f) / 4 - rad, fy = y + (j + 0.5f) / 4 - rad;
                    in += fx * fx + fy * fy <= rad * rad;
                }
            row[x] = (Uint32)(in * 255 / 16) << 24 | rgb;
        }
    }
    SDL_Texture *t = SDL_CreateTextureFromSurface(ui->r, s);
    SDL_FreeSurface(s);
    if (!t)
        return NULL;
    SDL_SetTextureBlendMode(t, SDL_BLENDMODE_BLEND);
    int slot = -1;
    for (int i = 0; i < DISC_CACHE && slot < 0; i++)
        if (!ui->discs[i].t)
            slot = i;
    if (slot < 0) {
        slot = ui->disc_next;
        ui->disc_next = (ui->disc_next + 1) % DISC_CACHE;
        SDL_DestroyTexture(ui->discs[slot].t);
    }
    ui->discs[slot].t = t;
    ui->discs[slot].d = d;
    ui->discs[slot].rgb = rgb;
    return t;
}

/* Only a translucent colour (the new-card ring) needs a modulation. */
static void with_alpha(SDL_Texture *t, SDL_Color c)
{
    SDL_SetTextureAlphaMod(t, c.a);
}

/* The four anti-aliased quarter discs of radius r at the corners of a
 * rectangle; false (nothing drawn) when there is no disc to draw them with. */
static bool corners(tw_ui *ui, int x, int y, int w, int h, int r, SDL_Color c)
{
    SDL_Texture *corner = r > 0 ? disc(ui, 2 * r, c) : NULL;
    if (!corner)
        return false;
    with_alpha(corner, c);
    const SDL_Rect src[4] = {{0, 0, r, r}, {r, 0, r, r}, {0, r, r, r}, {r, r, r, r}};
    int X = x + ui->ox, Y = y + ui->oy;
    const SDL_Rect dst[4] = {
        {X, Y, r, r}, {X + w - r, Y, r, r}, {X, Y + h - r, r, r}, {X + w - r, Y + h - r, r, r}};
    for (int i = 0; i < 4; i++)
        SDL_RenderCopy(ui->r, corner, &src[i], &dst[i]);
    return true;
}

/* Filled rectangle with anti-aliased corners of radius r. */
static void round_rect_r(tw_ui *ui, int x, int y, int w, int h, int r, SDL_Color c)
{
    if (r > w / 2)
        r = w / 2;
    if (r > h / 2)
        r = h / 2;
    if (!corners(ui, x, y, w, h, r, c)) {
        fill(ui, x, y, w, h, c);
        return;
    }
    fill(ui, x + r, y, w - 2 * r, h, c);
    fill(ui, x, y + r, r, h - 2 * r, c);
    fill(ui, x + w - r, y + r, r, h - 2 * r, c);
}

static void round_rect(tw_ui *ui, int x, int y, int w, int h, SDL_Color c)
{
    round_rect_r(ui, x, y, w, h, ui->L.radius, c);
}

/* The border of a rounded rectangle, t thick, for what is drawn inside it
 * next: the corners whole, then four strips; the inside is not filled (a
 * ring around a card would otherwise paint the card's area twice). */
static void round_border(tw_ui *ui, int x, int y, int w, int h, int r, int t, SDL_Color c)
{
    if (r > w / 2)
        r = w / 2;
    if (r > h / 2)
        r = h / 2;
    if (t >= r || t * 2 >= w || t * 2 >= h) {
        round_rect_r(ui, x, y, w, h, r, c);
        return;
    }
    corners(ui, x, y, w, h, r, c);
    fill(ui, x + r, y, w - 2 * r, t, c);
    fill(ui, x + r, y + h - t, w - 2 * r, t, c);
    fill(ui, x, y + r, t, h - 2 * r, c);
    fill(ui, x + w - t, y + r, t, h - 2 * r, c);
}

/* A ring of width t around r, gap g away from it, on background bg. Whatever
 * is drawn in r afterwards covers the corners' inner parts. */
static void ring(tw_ui *ui, tw_rect r, int g, int t, SDL_Color c, SDL_Color bg)
{
    int rad = ui->L.radius;
    round_border(ui, r.x - g - t, r.y - g - t, r.w + 2 * (g + t), r.h + 2 * (g + t), rad + g + t,
                 t + g, c);
    if (g > 0)
        round_border(ui, r.x - g, r.y - g, r.w + 2 * g, r.h + 2 * g, rad + g, g, bg);
}

static void dot(tw_ui *ui, int cx, int cy, int d, SDL_Color c)
{
    SDL_Texture *t = disc(ui, d, c);
    if (!t)
        return;
    SDL_Rect dst = {cx - d / 2 + ui->ox, cy - d / 2 + ui->oy, d, d};
    with_alpha(t, c);
    SDL_RenderCopy(ui->r, t, NULL, &dst);
}

static void blit(tw_ui *ui, const tw_text_tex *t, int x, int y)
{
    if (!t)
        return;
    SDL_Rect dst = {x + ui->ox, y - t->oy + ui->oy, t->w, t->h};
    SDL_RenderCopy(ui->r, t->tex, NULL, &dst);
}

/* An icon in colour c (baked in, as for the discs). */
static SDL_Texture *make_icon(SDL_Renderer *r, tw_icon icon, int size, SDL_Color c)
{
    Uint32 rgb = (Uint32)c.r << 16 | (Uint32)c.g << 8 | c.b;
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, size, size, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!s)
        return NULL;
    for (int y = 0; y < size; y++) {
        Uint32 *row = (Uint32 *)((Uint8 *)s->pixels + (size_t)y * s->pitch);
        for (int x = 0; x < size; x++)
            row[x] = (Uint32)(tw_icon_pixel(icon, size, x, y) * 255 + 0.5f) << 24 | rgb;
    }
    SDL_Texture *t = SDL_CreateTextureFromSurface(r, s);
    SDL_FreeSurface(s);
    if (t)
        SDL_SetTextureBlendMode(t, SDL_BLENDMODE_BLEND);
    return t;
}

/* Icons are drawn in the muted ink, baked into their textures. */
static void draw_icon(tw_ui *ui, tw_icon icon, int x, int y)
{
    SDL_Texture *t = ui->icons[icon];
    if (!t)
        return;
    SDL_Rect dst = {x + ui->ox, y + ui->oy, ui->icon_size, ui->icon_size};
    SDL_RenderCopy(ui->r, t, NULL, &dst);
}

/* ---- composed cards (ui/cardcache.h) ---- */

/* Does dst (output pixels) start and end on whole cache lines of the
 * screen? Then the software renderer streams it (see tw_cardcache_begin). */
static bool on_lines(const tw_ui *ui, SDL_Rect dst)
{
    return ui->grain > 1 && dst.x % ui->grain == 0 && dst.w % ui->grain == 0 && dst.x >= 0 &&
           dst.x + dst.w <= ui->L.w;
}

typedef void (*compose_fn)(tw_ui *ui, const void *arg);

/* The key of what is drawn next starts with head (size bytes, zeroed
 * padding included); returns its length. */
static size_t key_start(tw_ui *ui, const void *head, size_t size)
{
    memcpy(ui->key, head, size);
    return size;
}

/* Append s and its terminator to the key of length len; SIZE_MAX (no key:
 * draw without the cache) when it does not fit. */
static size_t key_add(tw_ui *ui, size_t len, const char *s)
{
    size_t n = strlen(s ? s : "") + 1;
    if (len == SIZE_MAX || len + n > sizeof(ui->key))
        return SIZE_MAX;
    memcpy(ui->key + len, s ? s : "", n);
    return len + n;
}

/*
 * What ui->key (len bytes) shows, at dst (output pixels): from the cache, or
 * composed now by draw(ui, arg), which paints every pixel of dst in drawing
 * coordinates (as if straight onto the screen). NULL when it cannot be
 * composed: then draw() has drawn it straight onto the screen.
 */
static const tw_card *region(tw_ui *ui, size_t len, SDL_Rect dst, compose_fn draw, const void *arg)
{
    const tw_card *c =
        len == SIZE_MAX ? NULL : tw_cardcache_find(ui->cards, ui->key, len, dst.w, dst.h);
    if (c)
        return c;
    if (len == SIZE_MAX ||
        !(c = tw_cardcache_begin(ui->cards, ui->key, len, dst.w, dst.h, on_lines(ui, dst)))) {
        draw(ui, arg);
        return NULL;
    }
    /* Drawing coordinates land in the texture: its origin is dst. */
    int ox = ui->ox, oy = ui->oy;
    ui->ox -= dst.x;
    ui->oy -= dst.y;
    ui->composing = true;
    draw(ui, arg);
    ui->composing = false;
    ui->ox = ox;
    ui->oy = oy;
    tw_cardcache_end(ui->cards);
    return c;
}

/* A composed card onto the screen: one copy, no blending. */
static void put(tw_ui *ui, const tw_card *c, SDL_Rect dst)
{
    if (!c)
        return;
    SDL_Rect src = {0, 0, dst.w, dst.h};
    SDL_RenderCopy(ui->r, c->tex, &src, &dst);
}

/* ---- formatting ---- */

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

static const char *const weekday[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
static const char *const month[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

static void format_date(int64_t t, char *buf, size_t size)
{
    struct tm tm;
    local_tm(t, &tm);
    snprintf(buf, size, "%s %d %s", weekday[(unsigned)tm.tm_wday % 7], tm.tm_mday,
             month[(unsigned)tm.tm_mon % 12]);
}

/* "10:12" today, "Mon 09:40" this week, "21 Nov 09:00" before. */
static void format_when(int64_t t, int64_t now, char *buf, size_t size)
{
    struct tm a, b;
    local_tm(t, &a);
    local_tm(now, &b);
    if (a.tm_year == b.tm_year && a.tm_yday == b.tm_yday)
        snprintf(buf, size, "%02d:%02d", a.tm_hour, a.tm_min);
    else if (now - t < 6 * 86400)
        snprintf(buf, size, "%s %02d:%02d", weekday[(unsigned)a.tm_wday % 7], a.tm_hour, a.tm_min);
    else
        snprintf(buf, size, "%d %s %02d:%02d", a.tm_mday, month[(unsigned)a.tm_mon % 12], a.tm_hour,
                 a.tm_min);
}

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
    ui->fonts_w = w;
    ui->fonts_h = h;
    return 0;
}

/* The layout for w x h with banner_rows warning rows; fonts resized when
 * the size changed. */
static int relayout(tw_ui *ui, int w, int h, int banner_rows)
{
    int rc;
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
            ui->icons[i] = make_icon(ui->r, (tw_icon)i, ui->L.icon, ink(ui, INK_MUTED));
        }
        ui->icon_size = ui->L.icon;
    }
    return 0;
}

static void free_discs(tw_ui *ui)
{
    for (int i = 0; i < DISC_CACHE; i++) {
        if (ui->discs[i].t)
            SDL_DestroyTexture(ui->discs[i].t);
        ui->discs[i].t = NULL;
    }
}

/* ---- header and banner ---- */

/* What the header shows, as its cache key (the team's name follows). */
typedef struct header_look {
    char tag; /* 'h' */
    signed char online, state_ink, lines;
    char state[16], hhmm[16], date[32];
    int ox, oy, h;
} header_look;

typedef struct header_draw {
    const header_look *hl;
    const char *team;
} header_draw;

static void compose_header(tw_ui *ui, const void *arg)
{
    const header_look *hl = ((const header_draw *)arg)->hl;
    const char *team_name = ((const header_draw *)arg)->team;
    const tw_layout *L = &ui->L;
    int u = L->unit, cy = L->header.h / 2, sh = L->shift;
    tw_ink state_ink = (tw_ink)hl->state_ink;

    fill(ui, -sh, -sh, L->w + 2 * sh, L->header.h + sh, surf(ui, SURF_HEADER));
    fill(ui, -sh, L->header.h - 1, L->w + 2 * sh, 1, sdl(ui->th->marks.rule));

    /* Right to left: clock, date, connection state. */
    const tw_text_tex *clock = text_str(ui, F_HEADER, INK_TEXT, SURF_HEADER, hl->hhmm);
    int x = L->w - L->margin - tex_w(clock);
    blit(ui, clock, x, text_top_centred(ui, F_HEADER, cy));

    const tw_text_tex *date = text_str(ui, F_STATUS, INK_MUTED, SURF_HEADER, hl->date);
    x -= u * 2 / 3 + tex_w(date);
    blit(ui, date, x, text_top_centred(ui, F_STATUS, cy));

    const tw_text_tex *st =
        text_str(ui, F_STATUS, hl->online ? INK_TEXT : state_ink, SURF_HEADER, hl->state);
    x -= u * 3 / 2 + tex_w(st);
    blit(ui, st, x, text_top_centred(ui, F_STATUS, cy));
    x -= L->dot_d / 2 + max_i(u / 3, L->dot_d / 2);
    dot(ui, x, cy, L->dot_d, ink(ui, state_ink));
    x -= L->dot_d / 2;

    const tw_text_tex *team =
        text_fit(ui, F_HEADER, INK_TEXT, SURF_HEADER, team_name, x - u * 2 - L->margin);
    blit(ui, team, L->margin, text_top_centred(ui, F_HEADER, cy));
}

/* The header: a band across the top, shifted with the picture, from the
 * cache while its clock, date, connection and team stay the same. */
static void draw_header(tw_ui *ui, const tw_view *v)
{
    header_look hl;
    memset(&hl, 0, sizeof(hl));
    hl.tag = 'h';
    hl.online = v->online;
    if (v->online) {
        hl.state_ink = INK_GOOD;
        snprintf(hl.state, sizeof(hl.state), "live");
    } else if (!v->offline_reason || strcmp(v->offline_reason, "connecting") == 0) {
        hl.state_ink = INK_WARN;
        snprintf(hl.state, sizeof(hl.state), "connecting");
    } else {
        hl.state_ink = v->now - v->offline_since < 5 * 60 ? INK_WARN : INK_BAD;
        snprintf(hl.state, sizeof(hl.state), "offline");
    }
    format_hhmm(v->now, hl.hhmm, sizeof(hl.hhmm));
    format_date(v->now, hl.date, sizeof(hl.date));
    hl.ox = ui->ox;
    hl.oy = ui->oy;
    /* From the top of the screen to the header's bottom edge, wherever the
     * shift put it. */
    SDL_Rect dst = {0, 0, ui->L.w, ui->L.header.h + ui->oy};
    hl.h = dst.h;
    hl.lines = on_lines(ui, dst);
    size_t len = key_add(ui, key_start(ui, &hl, sizeof(hl)), v->team);
    header_draw d = {&hl, v->team};
    put(ui, region(ui, len, dst, compose_header, &d), dst);
}

typedef struct banner_row {
    tw_warning_level level;
    char text[TW_WARNING_TEXT_SIZE + 96];
    char right[48];
} banner_row;

/* What a disconnect reason means to someone looking at the wall. */
static const char *reason_words(const char *r)
{
    if (!r || !*r)
        return "no connection to the broker";
    if (strcmp(r, "unreachable") == 0)
        return "the broker is unreachable";
    if (strcmp(r, "refused credentials") == 0)
        return "the broker refused our credentials";
    if (strcmp(r, "TLS error") == 0)
        return "TLS failed (certificate or key)";
    return r;
}

/* The banner's rows: the connection first, then the warnings, at most
 * BANNER_MAX_ROWS (the last one counting the rest). */
static int banner_rows(const tw_view *v, banner_row *rows)
{
    int n = 0;
    char hhmm[16];
    if (!v->online) {
        banner_row *b = &rows[n++];
        memset(b, 0, sizeof(*b));
        bool connecting = !v->offline_reason || strcmp(v->offline_reason, "connecting") == 0;
        if (connecting) {
            b->level = TW_WARN_INFO;
            snprintf(b->text, sizeof(b->text), "Connecting to the broker" TW_ELLIPSIS);
        } else {
            b->level = v->now - v->offline_since < 5 * 60 ? TW_WARN_WARNING : TW_WARN_ERROR;
            format_hhmm(v->offline_since ? v->offline_since : v->now, hhmm, sizeof(hhmm));
            snprintf(b->text, sizeof(b->text), "Offline since %s" DASH "%s", hhmm,
                     reason_words(v->offline_reason));
            snprintf(b->right, sizeof(b->right), "new posts wait on the broker");
        }
    }
    for (size_t i = 0; v->warnings && i < v->n_warnings; i++) {
        if (n == BANNER_MAX_ROWS - 1 && v->n_warnings - i > 1) {
            banner_row *b = &rows[n++];
            memset(b, 0, sizeof(*b));
            b->level = v->warnings[i].level;
            snprintf(b->text, sizeof(b->text), "%s", v->warnings[i].text);
            snprintf(b->right, sizeof(b->right), "+%zu more warnings", v->n_warnings - i - 1);
            break;
        }
        if (n == BANNER_MAX_ROWS)
            break;
        banner_row *b = &rows[n++];
        memset(b, 0, sizeof(*b));
        b->level = v->warnings[i].level;
        snprintf(b->text, sizeof(b->text), "%s", v->warnings[i].text);
        if (v->warnings[i].since) {
            format_when(v->warnings[i].since, v->now, hhmm, sizeof(hhmm));
            snprintf(b->right, sizeof(b->right), "since %s", hhmm);
        }
    }
    return n;
}

static void draw_banner(tw_ui *ui, const banner_row *rows, int n)
{
    const tw_layout *L = &ui->L;
    int sh = L->shift;
    for (int i = 0; i < n; i++) {
        tw_surface s = rows[i].level == TW_WARN_ERROR     ? SURF_BAD
                       : rows[i].level == TW_WARN_WARNING ? SURF_WARN
                                                          : SURF_INFO;
        tw_ink k = s == SURF_BAD ? INK_ON_BAD : s == SURF_WARN ? INK_ON_WARN : INK_ON_INFO;
        int y = L->banner.y + i * L->banner_row_h, cy = y + L->banner_row_h / 2;
        fill(ui, -sh, y, L->w + 2 * sh, L->banner_row_h, surf(ui, s));
        if (i > 0) /* a hairline between rows of the same colour */
            fill(ui, -sh, y, L->w + 2 * sh, 1, alpha(ink(ui, k), 60));
        int x = L->margin, top = text_top_centred(ui, F_BANNER, cy);
        if (rows[i].level != TW_WARN_INFO) {
            const tw_text_tex *sign = text_str(ui, F_BANNER, k, s, WARN_SIGN);
            blit(ui, sign, x, top);
            x += tex_w(sign) + L->unit / 2;
        }
        const tw_text_tex *right =
            rows[i].right[0] ? text_fit(ui, F_STATUS, k, s, rows[i].right, L->w / 3) : NULL;
        int right_x = L->w - L->margin - tex_w(right);
        if (right)
            blit(ui, right, right_x, text_top_centred(ui, F_STATUS, cy));
        int max = (right ? right_x - L->unit : L->w - L->margin) - x;
        blit(ui, text_fit(ui, F_BANNER, k, s, rows[i].text, max), x, top);
    }
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
    format_age(now - it->created, age, sizeof(age));
    int level = age_level(ui, it, now);
    int mh = L->fm[F_META].height;

    /* Right end: the age, plain or in a pill with a marker. */
    const tw_text_tex *tage;
    int right_w;
    if (level == 0) {
        tage = text_str(ui, F_META, INK_MUTED, on, age);
        right_w = tex_w(tage);
        blit(ui, tage, x + w - right_w, y);
    } else {
        char pill[40];
        snprintf(pill, sizeof(pill), level == 2 ? WARN_SIGN " %s" : "%s", age);
        tw_surface ps = level == 2 ? SURF_BAD : SURF_WARN;
        tage = text_str(ui, F_STRONG, level == 2 ? INK_ON_BAD : INK_ON_WARN, ps, pill);
        /* The text box stays on the pill's straight part, off its round ends:
         * the text is laid onto the pill's colour and must sit on it. */
        int ph = mh, pw = tex_w(tage) + ph;
        right_w = pw;
        round_rect_r(ui, x + w - pw, y, pw, ph, ph / 2, surf(ui, ps));
        blit(ui, tage, x + w - pw + (pw - tex_w(tage)) / 2,
             y + (L->fm[F_META].ascent - L->fm[F_STRONG].ascent));
    }

    /* Left: source icon, author, ref (drawn per character: Inter's
     * contextual alternates turn the "2x8" of "m2x8" into "2×8"). */
    draw_icon(ui, tw_icon_for_source(it->source), x, y + (mh - L->icon) / 2);
    int cx = x + L->icon + L->unit / 3;
    const tw_text_tex *sep = text_str(ui, F_META, INK_MUTED, on, SEP);
    int ref_w = 0;
    for (size_t i = 0, n; (n = tw_utf8_step(it->ref + i)) > 0; i += n)
        ref_w += tex_w(text_char(ui, on, it->ref + i, n));
    int room = x + w - right_w - L->unit / 2 - cx - tex_w(sep) - ref_w;
    if (it->author[0] && room > L->unit) {
        const tw_text_tex *ta = text_fit(ui, F_META, INK_MUTED, on, it->author, room);
        blit(ui, ta, cx, y);
        cx += tex_w(ta);
        blit(ui, sep, cx, y);
        cx += tex_w(sep);
    }
    for (size_t i = 0, n; (n = tw_utf8_step(it->ref + i)) > 0; i += n) {
        const tw_text_tex *c = text_char(ui, on, it->ref + i, n);
        blit(ui, c, cx, y);
        cx += tex_w(c);
    }
}

static void draw_helper(tw_ui *ui, const tw_item *it, int x, int y, int w, tw_surface on)
{
    const tw_layout *L = &ui->L;
    const char *who = it->claimed_by[0] ? it->claimed_by : "someone";
    const tw_text_tex *tail = text_str(ui, F_META, INK_HELPING, on, " is on it");
    int d = L->icon * 6 / 10;
    dot(ui, x + L->icon / 2, y + L->fm[F_META].height / 2, d, ink(ui, INK_HELPING));
    int nx = x + L->icon + L->unit / 3;
    const tw_text_tex *name =
        text_fit(ui, F_STRONG, INK_HELPING, on, who, w - (nx - x) - tex_w(tail));
    blit(ui, name, nx, y + (L->fm[F_META].ascent - L->fm[F_STRONG].ascent));
    blit(ui, tail, nx + tex_w(name), y);
}

/* A card as drawn in this frame. */
typedef struct card_draw {
    const tw_item *it;
    const tw_wrap *wr;
    tw_rect r;
    int pl, pr; /* the wall beside it in its texture */
    int64_t now;
    int level, hi;
    bool focus;
} card_draw;

/* What a card shows, as the start of its cache key (its strings follow).
 * The wrap is a function of the text and the size. */
typedef struct card_look {
    char tag; /* 'c' */
    signed char kind, claimed, level, focus, icon, pl, pr, lines;
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
        ring(ui, c->r, L->focus_w, L->focus_w * 2, sdl(ui->th->marks.focus), bg);
    if (c->hi > 0) {
        /* A new card: a pulsing ring in its colour, outside the card, so the
         * card and its text stay as they are (no new text to rasterise). */
        ring(ui, c->r, 0, max_i(L->card_gap - 1, 2), alpha(ink(ui, kind_ink[c->it->kind]), c->hi),
             bg);
    } else if (c->level == 2) {
        ring(ui, c->r, 0, max_i(L->focus_w, 2), ink(ui, INK_BAD), bg);
    }
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
    SDL_Color accent = ink(ui, kind_ink[it->kind]);
    const tw_surface on = SURF_CARD;

    fill(ui, r.x - c->pl, r.y, r.w + c->pl + c->pr, r.h, surf(ui, SURF_BG));
    card_rings(ui, c);

    /* The accent shows as a left border that follows the rounded corners.
     * It is only as wide as the card's corner, so no accent pixel shows
     * through the anti-aliased right-hand corners. */
    int aw = c->level == 2 ? L->accent_w * 2 : L->accent_w;
    SDL_Color card = surf(ui, SURF_CARD);
    round_rect(ui, r.x, r.y, aw + 2 * L->radius, r.h, accent);
    if (!same_rgb(th->marks.card_border, th->surface[SURF_CARD])) {
        round_rect(ui, r.x + aw, r.y, r.w - aw, r.h, sdl(th->marks.card_border));
        round_rect(ui, r.x + aw, r.y + 1, r.w - aw - 1, r.h - 2, card);
    } else {
        round_rect(ui, r.x + aw, r.y, r.w - aw, r.h, card);
    }

    /* Text starts after room for the wider critical accent, so the text of
     * every card in a column lines up. */
    int tx = r.x + 2 * L->accent_w + L->pad, ty = r.y + L->pad, tw = tw_layout_card_text_w(L);
    for (int i = 0; i < wr->n; i++) {
        const tw_text_tex *t = text_line(ui, F_CARD, INK_TEXT, on, it->text, wr, i);
        blit(ui, t, wr->rtl ? tx + tw - tex_w(t) : tx, ty + i * L->fm[F_CARD].skip);
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
                   v->focus_seq && v->focus_seq == it->seq && !v->detail};
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
    format_age(v->now - it->created, cl.age, sizeof(cl.age));
    size_t len = key_start(ui, &cl, sizeof(cl));
    len = key_add(ui, len, it->text);
    len = key_add(ui, len, it->author);
    len = key_add(ui, len, it->ref);
    len = key_add(ui, len, cl.claimed ? it->claimed_by : "");

    const tw_card *t = region(ui, len, dst, compose_card, &c);
    if (t) {
        /* The rings' outer parts, then the card over their inner parts. */
        card_rings(ui, &c);
        put(ui, t, dst);
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
    int min_h = tw_layout_card_h(L, 1, false) + L->card_gap;
    /* One row more than can fit, so a column that overflows always has a
     * measured card after its last placed row (and the "+N more" line gets
     * its room). */
    return (size_t)(h / max_i(min_h, 1) + 2) * (size_t)L->card_cols;
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
static void place_section(tw_ui *ui, tw_kind k)
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
    measure_cards(ui, m);
    size_t placed = tw_layout_pack(area, L->card_cols, L->card_gap, ui->heights, m, L->more_h,
                                   ui->rects, &ui->more_y[k]);
    if (ui->n_placed + placed > ui->placed_cap) {
        ui->placed_cap = (ui->n_placed + placed) * 2;
        ui->placed = tw_xrealloc(ui->placed, ui->placed_cap * sizeof(*ui->placed));
    }
    for (size_t i = 0; i < placed; i++)
        ui->placed[ui->n_placed++] = (placed_card){ui->order[i], ui->wraps[i], ui->rects[i], 0, 0};
    ui->sec_n[k] = placed;
}

static void draw_section(tw_ui *ui, const tw_view *v, tw_kind k)
{
    const tw_layout *L = &ui->L;
    tw_rect sec = L->section[k];
    char buf[32];
    if (sec.h <= 0)
        return;

    const tw_text_tex *title = text_str(ui, F_TITLE, INK_TEXT, SURF_BG, section_title[k]);
    blit(ui, title, sec.x, sec.y);
    size_t n = ui->total[k];
    snprintf(buf, sizeof(buf), "%zu", n);
    blit(ui, text_str(ui, F_TITLE, kind_ink[k], SURF_BG, buf), sec.x + tex_w(title) + L->unit / 2,
         sec.y);
    int rule_y = sec.y + L->fm[F_TITLE].height + L->unit / 3;
    fill(ui, sec.x, rule_y, sec.w, L->rule_h, ink(ui, kind_ink[k]));

    tw_rect area = tw_layout_cards_area(L, k);
    if (n == 0) {
        blit(ui, text_str(ui, F_CARD, INK_MUTED, SURF_BG, section_empty[k]),
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
        snprintf(buf, sizeof(buf), "+%zu more", n - placed);
        blit(ui, text_str(ui, F_STRONG, INK_MUTED, SURF_BG, buf), area.x + 2 * L->accent_w + L->pad,
             ui->more_y[k]);
    }
}

/* Portrait: share the board among the bands by whole rows of cards. */
static void share_bands(tw_ui *ui)
{
    tw_layout *L = &ui->L;
    size_t bound = visible_bound(L, L->board.h);
    int cols = max_i(L->card_cols, 1);
    size_t per = bound / (size_t)cols + 1;
    if (per * TW_SECTIONS > ui->rows_cap) {
        ui->rows_cap = per * TW_SECTIONS;
        ui->rows = tw_xrealloc(ui->rows, ui->rows_cap * sizeof(*ui->rows));
    }
    const int *row_h[TW_SECTIONS];
    int measured[TW_SECTIONS], total[TW_SECTIONS];
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
    }
    tw_layout_bands(L, row_h, measured, total);
}

/* ---- figures strip and the learned line ---- */

static void tile_label(tw_ui *ui, tw_rect t, const char *s, int max_w)
{
    blit(ui, text_fit(ui, F_FIG_LABEL, INK_MUTED, SURF_HEADER, s, max_w), t.x + ui->L.pad,
         t.y + ui->L.pad);
}

/* The big value of a tile and, after it on the same baseline, a note. */
static void tile_value(tw_ui *ui, tw_rect t, const char *value, tw_ink vi, const char *note,
                       tw_ink ni)
{
    const tw_layout *L = &ui->L;
    int y = t.y + L->pad + L->fm[F_FIG_LABEL].height;
    int x = t.x + L->pad, max = t.w - 2 * L->pad;
    const tw_text_tex *tv = text_fit(ui, F_FIG_VALUE, vi, SURF_HEADER, value, max);
    blit(ui, tv, x, y);
    if (note && *note && max - tex_w(tv) - L->unit / 2 > L->unit) {
        const tw_text_tex *tn =
            text_fit(ui, F_FIG_LABEL, ni, SURF_HEADER, note, max - tex_w(tv) - L->unit / 2);
        /* Baselines together: the note sits on the value's baseline. */
        blit(ui, tn, x + tex_w(tv) + L->unit / 2,
             y + L->fm[F_FIG_VALUE].ascent - L->fm[F_FIG_LABEL].ascent);
    }
}

static void draw_chart(tw_ui *ui, tw_rect t, const tw_figures *f)
{
    const tw_layout *L = &ui->L;
    const tw_theme *th = ui->th;
    /* Legend on the label's line, right-aligned. */
    const tw_text_tex *lo = text_str(ui, F_FIG_LABEL, INK_MUTED, SURF_HEADER, "cleared");
    const tw_text_tex *lh = text_str(ui, F_FIG_LABEL, INK_MUTED, SURF_HEADER, "opened");
    int sq = L->fm[F_FIG_LABEL].ascent * 7 / 10, ly = t.y + L->pad;
    int sy = ly + L->fm[F_FIG_LABEL].ascent - sq;
    int x = t.x + t.w - L->pad - tex_w(lo);
    blit(ui, lo, x, ly);
    x -= sq + L->unit / 4;
    fill(ui, x, sy, sq, sq, sdl(th->marks.bar_lo));
    x -= L->unit * 2 / 3 + tex_w(lh);
    blit(ui, lh, x, ly);
    x -= sq + L->unit / 4;
    fill(ui, x, sy, sq, sq, sdl(th->marks.bar_hi));
    tile_label(ui, t, "Blockers opened and cleared, 14 days", x - L->unit - t.x - L->pad);

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
        if (d == TW_FIG_DAYS - 1) /* today */
            fill(ui, x0 + d * gw, top, gw, ch, sdl(th->marks.track));
        int o = f && f->valid ? f->opened[d] : 0, c = f && f->valid ? f->cleared[d] : 0;
        int oh = o ? max_i(ch * o / most, 2) : 0, chh = c ? max_i(ch * c / most, 2) : 0;
        fill(ui, gx, base - oh, bw, oh, sdl(th->marks.bar_hi));
        fill(ui, gx + bw + gap, base - chh, bw, chh, sdl(th->marks.bar_lo));
        /* A tick under every day, so an empty fortnight still reads as 14 days. */
        fill(ui, gx, base + max_i(L->rule_h / 2, 1), 2 * bw + gap, max_i(L->rule_h, 2),
             sdl(th->marks.rule));
    }
}

/* Every pixel of the strip's rect and the wall beside it: the wall, the
 * tiles. */
static void compose_strip(tw_ui *ui, const void *arg)
{
    const tw_layout *L = &ui->L;
    const tw_figures *f = arg;
    char value[64], note[96];
    bool outline = !same_rgb(ui->th->marks.card_border, ui->th->surface[SURF_CARD]);
    fill(ui, L->strip.x - ui->strip_pl, L->strip.y, L->strip.w + ui->strip_pl + ui->strip_pr,
         L->strip.h, surf(ui, SURF_BG));
    for (int t = 0; t < TW_TILES; t++) {
        tw_rect r = L->tile[t];
        if (outline) { /* high contrast: black tiles on black need an edge */
            round_rect(ui, r.x, r.y, r.w, r.h, sdl(ui->th->marks.card_border));
            round_rect(ui, r.x + 1, r.y + 1, r.w - 2, r.h - 2, surf(ui, SURF_HEADER));
        } else {
            round_rect(ui, r.x, r.y, r.w, r.h, surf(ui, SURF_HEADER));
        }
    }

    /* Time to clear a blocker, and its trend against the 14 days before. */
    tw_rect t0 = L->tile[0];
    tile_label(ui, t0, "Time to clear a blocker, 14 days", t0.w - 2 * L->pad);
    tw_ink ni = INK_MUTED;
    note[0] = '\0';
    if (!f || f->clear_n == 0) {
        snprintf(value, sizeof(value), "\xe2\x80\x94");
        snprintf(note, sizeof(note), f ? "none cleared" : "");
    } else {
        tw_figures_format_duration(f->clear_median_s, value, sizeof(value));
        if (f->clear_prev_n > 0) {
            int64_t d = f->clear_median_s - f->clear_prev_median_s;
            char dur[32];
            tw_figures_format_duration(d < 0 ? -d : d, dur, sizeof(dur));
            if (d <= -60) {
                snprintf(note, sizeof(note), "\xe2\x96\xbc %s faster", dur);
                ni = INK_GOOD;
            } else if (d >= 60) {
                snprintf(note, sizeof(note), "\xe2\x96\xb2 %s slower", dur);
                ni = INK_BAD;
            } else {
                snprintf(note, sizeof(note), "as before");
            }
        } else {
            snprintf(note, sizeof(note), "median of %d", f->clear_n);
        }
    }
    tile_value(ui, t0, value, f && f->clear_n ? INK_TEXT : INK_MUTED, note, ni);

    /* Questions answered within 4 hours, with a bar. */
    tw_rect t1 = L->tile[1];
    tile_label(ui, t1, "Questions answered within 4 h", t1.w - 2 * L->pad);
    int pct = tw_figures_fast_percent(f);
    if (pct < 0) {
        snprintf(value, sizeof(value), "\xe2\x80\x94");
        if (f && f->questions_asked)
            snprintf(note, sizeof(note), "%d asked, none 4 h old yet", f->questions_asked);
        else
            snprintf(note, sizeof(note), f ? "none asked" : "");
    } else {
        snprintf(value, sizeof(value), "%d%%", pct);
        snprintf(note, sizeof(note), "%d of %d", f->questions_fast, f->questions_decided);
    }
    tile_value(ui, t1, value, pct < 0 ? INK_MUTED : INK_TEXT, note, INK_MUTED);
    if (pct >= 0) {
        int bx = t1.x + L->pad, bw = t1.w - 2 * L->pad, bh = max_i(L->rule_h * 2, 3);
        int by = t1.y + t1.h - L->pad / 2 - bh;
        round_rect_r(ui, bx, by, bw, bh, bh / 2, sdl(ui->th->marks.track));
        if (pct > 0)
            round_rect_r(ui, bx, by, max_i(bw * pct / 100, bh), bh, bh / 2, ink(ui, INK_GOOD));
    }

    draw_chart(ui, L->tile[2], f);

    tw_rect t3 = L->tile[3];
    tile_label(ui, t3, "Wins this week", t3.w - 2 * L->pad);
    if (f)
        snprintf(value, sizeof(value), "%d", f->wins_week);
    else
        snprintf(value, sizeof(value), "\xe2\x80\x94");
    tile_value(ui, t3, value, f ? INK_WIN : INK_MUTED, f ? "since Monday" : "", INK_MUTED);
}

/* The figures as the strip shows them: its cache key. */
typedef struct strip_look {
    int64_t clear_median_s, clear_prev_median_s;
    int tag, valid, pl, pr, lines, clear_n, clear_prev_n;
    int questions_asked, questions_decided, questions_fast, wins_week;
    int opened[TW_FIG_DAYS], cleared[TW_FIG_DAYS];
} strip_look;

/* The figures strip, from the cache until the figures change. */
static void draw_strip(tw_ui *ui, const tw_view *v)
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
    put(ui, region(ui, key_start(ui, &sl, sizeof(sl)), dst, compose_strip, f), dst);
}

static void draw_learned(tw_ui *ui, const tw_view *v)
{
    const tw_layout *L = &ui->L;
    tw_rect r = L->learned;
    int u = L->unit, skip = L->fm[F_STATUS].skip;
    int cy = r.y + (r.h - (L->learned_lines - 1) * skip) / 2;
    const tw_text_tex *label = text_str(ui, F_BANNER, INK_QUESTION, SURF_BG, "Learned");
    int top = text_top_centred(ui, F_STATUS, cy);
    blit(ui, label, r.x, text_top_centred(ui, F_BANNER, cy));
    int x0 = r.x + tex_w(label) + u * 2 / 3, x = x0, end = r.x + r.w;
    if (!v->learned || v->n_learned == 0) {
        blit(ui,
             text_fit(ui, F_STATUS, INK_MUTED, SURF_BG,
                      "answers to questions show up here, one at a time", end - x),
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
        const tw_text_tex *tc = text_str(ui, F_STATUS, INK_MUTED, SURF_BG, count);
        end -= tex_w(tc) + u;
        blit(ui, tc, r.x + r.w - tex_w(tc), top);
    }
    const tw_text_tex *arrow = text_str(ui, F_STATUS, INK_MUTED, SURF_BG, ARROW);
    const tw_text_tex *sep = text_str(ui, F_STATUS, INK_MUTED, SURF_BG, SEP);
    const tw_text_tex *tb =
        text_fit(ui, F_STATUS, INK_MUTED, SURF_BG, l->by[0] ? l->by : "someone", (end - x) / 5);
    int tail = tex_w(sep) + tex_w(tb);
    if (L->learned_lines >= 2) {
        /* Question on the first line, the answer under it. */
        blit(ui, text_fit(ui, F_STATUS, INK_MUTED, SURF_BG, l->question, end - x), x, top);
        top += skip;
        blit(ui, arrow, x, top);
        x += tex_w(arrow);
        const tw_text_tex *ta =
            text_fit(ui, F_STATUS, INK_TEXT, SURF_BG, l->answer, end - x - tail);
        blit(ui, ta, x, top);
        x += tex_w(ta);
    } else {
        int room = end - x - tex_w(arrow) - tail;
        const tw_text_tex *tq =
            text_fit(ui, F_STATUS, INK_MUTED, SURF_BG, l->question, room * 2 / 5);
        const tw_text_tex *ta =
            text_fit(ui, F_STATUS, INK_TEXT, SURF_BG, l->answer, room - tex_w(tq));
        blit(ui, tq, x, top);
        x += tex_w(tq);
        blit(ui, arrow, x, top);
        x += tex_w(arrow);
        blit(ui, ta, x, top);
        x += tex_w(ta);
    }
    blit(ui, sep, x, top);
    blit(ui, tb, x + tex_w(sep), top);
}

/* ---- the detail view ---- */

static const char *action_words(const char *action)
{
    if (strcmp(action, "post") == 0)
        return "posted";
    if (strcmp(action, "claim") == 0)
        return "claimed";
    if (strcmp(action, "resolve") == 0)
        return "resolved";
    if (strcmp(action, "reopen") == 0)
        return "reopened";
    return action;
}

#define HISTORY_SHOWN 8 /* rows of history in the detail view at most */

static void draw_detail(tw_ui *ui, const tw_view *v, const tw_detail_view *d)
{
    const tw_layout *L = &ui->L;
    const tw_theme *th = ui->th;
    const tw_item *it = d->item;
    int sh = L->shift;
    fill(ui, -sh, -sh, L->w + 2 * sh, L->h + 2 * sh,
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
    round_rect_r(ui, p.x, p.y, p.w, p.h, rad, ink(ui, kind_ink[it->kind]));
    round_rect_r(ui, p.x, p.y + aw, p.w, p.h - aw, rad, sdl(th->marks.card_border));
    round_rect_r(ui, p.x + 1, p.y + aw + 1, p.w - 2, p.h - aw - 2, rad, surf(ui, SURF_CARD));

    tw_rect b = D->body;
    int x = b.x, y = b.y, w = b.w;
    char buf[TW_NOTE_SIZE + 128], age[24], when[48];

    /* Kind, ref, age. */
    static const char *const kind_word[TW_KIND_COUNT] = {"Blocker", "Question", "Win"};
    const tw_text_tex *kw =
        text_str(ui, F_BUTTON, kind_ink[it->kind], SURF_CARD, kind_word[it->kind]);
    blit(ui, kw, x, y);
    format_age(v->now - it->created, age, sizeof(age));
    snprintf(buf, sizeof(buf), SEP "%s" SEP "%s", it->ref, age);
    blit(ui, text_str(ui, F_DETAIL_META, INK_MUTED, SURF_CARD, buf), x + tex_w(kw),
         y + L->fm[F_BUTTON].ascent - L->fm[F_DETAIL_META].ascent);
    y += L->fm[F_BUTTON].height + L->unit / 2;

    /* The whole text. */
    for (int i = 0; i < lines; i++) {
        const tw_text_tex *t = text_line(ui, F_DETAIL, INK_TEXT, SURF_CARD, it->text, wr, i);
        blit(ui, t, wr->rtl ? x + w - tex_w(t) : x, y + i * L->fm[F_DETAIL].skip);
    }
    if (lines)
        y += (lines - 1) * L->fm[F_DETAIL].skip + L->fm[F_DETAIL].height + L->unit / 2;

    /* Who, from where, and where it stands. */
    format_when(it->created, v->now, when, sizeof(when));
    snprintf(buf, sizeof(buf), "Posted by %s via %s, %s", it->author, it->source, when);
    draw_icon(ui, tw_icon_for_source(it->source), x,
              y + (L->fm[F_DETAIL_META].height - L->icon) / 2);
    blit(ui, text_fit(ui, F_DETAIL_META, INK_MUTED, SURF_CARD, buf, w - L->icon - L->unit / 2),
         x + L->icon + L->unit / 2, y);
    y += mh;
    if (it->state == TW_STATE_CLAIMED) {
        format_when(it->claimed, v->now, when, sizeof(when));
        snprintf(buf, sizeof(buf), "%s is on it since %s",
                 it->claimed_by[0] ? it->claimed_by : "someone", when);
        blit(ui, text_fit(ui, F_DETAIL_META, INK_HELPING, SURF_CARD, buf, w), x, y);
        y += mh;
    } else if (it->state == TW_STATE_RESOLVED) {
        format_when(it->resolved, v->now, when, sizeof(when));
        /* The note, if any, is in the history below (the resolve's row). */
        snprintf(buf, sizeof(buf), "Resolved by %s, %s", it->resolved_by, when);
        blit(ui, text_fit(ui, F_DETAIL_META, INK_GOOD, SURF_CARD, buf, w), x, y);
        y += mh;
    }

    /* History: as many of the newest rows as fit, oldest first. */
    y += L->unit / 2;
    int bottom = b.y + b.h;
    if (hist && y + L->fm[F_STRONG].height + mh <= bottom) {
        blit(ui, text_str(ui, F_STRONG, INK_MUTED, SURF_CARD, "History"), x, y);
        y += L->fm[F_STRONG].height + L->unit / 4;
        fill(ui, x, y - L->unit / 8, w, 1, sdl(th->marks.rule));
        size_t fit = (size_t)max_i((bottom - y) / mh, 0);
        if (fit > hist)
            fit = hist;
        for (size_t i = d->n_history - fit; i < d->n_history; i++) {
            const tw_history_entry *h = &d->history[i];
            format_when(h->at, v->now, when, sizeof(when));
            int n = snprintf(buf, sizeof(buf), "%s  %s by %s", when, action_words(h->action),
                             h->actor[0] ? h->actor : "someone");
            if (h->source[0] && n > 0 && (size_t)n < sizeof(buf))
                n += snprintf(buf + n, sizeof(buf) - (size_t)n, " via %s", h->source);
            if (h->detail[0] && n > 0 && (size_t)n < sizeof(buf))
                snprintf(buf + n, sizeof(buf) - (size_t)n, ": %.400s", h->detail);
            blit(ui, text_fit(ui, F_DETAIL_META, INK_TEXT, SURF_CARD, buf, w), x, y);
            y += mh;
        }
    }

    /* Buttons. */
    for (int i = 0; i < nb; i++) {
        tw_rect r = D->button[i];
        bool focus = i == d->focus;
        tw_surface s = focus ? SURF_PRIMARY : SURF_BUTTON;
        if (focus)
            ring(ui, r, L->focus_w, L->focus_w, sdl(th->marks.focus), surf(ui, SURF_CARD));
        round_rect(ui, r.x, r.y, r.w, r.h, surf(ui, s));
        const tw_text_tex *t = text_fit(ui, F_BUTTON, focus ? INK_ON_PRIMARY : INK_ON_BUTTON, s,
                                        tw_detail_label(acts[i], it->kind), r.w - L->unit);
        blit(ui, t, r.x + (r.w - tex_w(t)) / 2, text_top_centred(ui, F_BUTTON, r.y + r.h / 2));
    }
}

/* ---- the frame ---- */

/* The wall's colour as a texture, WALL_ROWS rows of the screen's width;
 * NULL when the renderer cannot compose (then the wall is filled). */
static const tw_card *wall_texture(tw_ui *ui)
{
    struct {
        int tag, w;
    } wk = {'w', ui->L.w};
    size_t len = key_start(ui, &wk, sizeof(wk));
    const tw_card *c = tw_cardcache_find(ui->cards, ui->key, len, ui->L.w, WALL_ROWS);
    if (c || !(c = tw_cardcache_begin(ui->cards, ui->key, len, ui->L.w, WALL_ROWS, false)))
        return c;
    SDL_Color bg = surf(ui, SURF_BG);
    SDL_SetRenderDrawBlendMode(ui->r, SDL_BLENDMODE_NONE);
    SDL_SetRenderDrawColor(ui->r, bg.r, bg.g, bg.b, 0xFF);
    SDL_RenderClear(ui->r);
    tw_cardcache_end(ui->cards);
    return c;
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

    const tw_card *t = wall_texture(ui);
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

static void draw_frame(tw_ui *ui, const tw_view *v)
{
    ui->n_hits = 0;
    ui->detail_shown = false;
    ui->anim_cards = ui->cards_drawn = 0;
    SDL_SetRenderDrawBlendMode(ui->r, SDL_BLENDMODE_NONE);
    if (v->screen == TW_SCREEN_BLANK) {
        SDL_SetRenderDrawColor(ui->r, 0, 0, 0, 0xFF);
        SDL_RenderClear(ui->r);
        return;
    }

    banner_row rows[BANNER_MAX_ROWS];
    int nrows = banner_rows(v, rows);
    if (nrows != ui->L.banner_rows)
        relayout(ui, ui->L.w, ui->L.h, nrows);
    ui->ox = ui->oy = 0;
    if (v->pixel_shift)
        tw_pixel_shift(v->now, SHIFT_PERIOD_S, ui->L.shift, &ui->ox, &ui->oy);

    if (ui->L.portrait)
        share_bands(ui);
    ui->n_placed = 0;
    for (int k = 0; k < TW_KIND_COUNT; k++)
        place_section(ui, (tw_kind)k);
    for (size_t i = 0; i < ui->n_placed; i++)
        line_pads(ui, ui->placed[i].r, i, &ui->placed[i].pl, &ui->placed[i].pr);
    line_pads(ui, ui->L.strip, SIZE_MAX, &ui->strip_pl, &ui->strip_pr);
    /* Every pixel about once: the header's band (from the top of the screen
     * whatever the shift), the banner's rows, then the wall around what is
     * copied opaque. */
    draw_header(ui, v);
    draw_banner(ui, rows, nrows);
    paint_wall(ui, ui->L.banner.y + ui->L.banner.h + ui->oy);
    for (int k = 0; k < TW_KIND_COUNT; k++)
        draw_section(ui, v, (tw_kind)k);
    draw_strip(ui, v);
    draw_learned(ui, v);
    if (v->detail)
        draw_detail(ui, v, v->detail);
    if (v->screen == TW_SCREEN_DIM) {
        SDL_SetRenderDrawBlendMode(ui->r, SDL_BLENDMODE_BLEND);
        SDL_SetRenderDrawColor(ui->r, 0, 0, 0, DIM_ALPHA);
        SDL_RenderFillRect(ui->r, NULL);
    }
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
static size_t board_section(tw_ui *ui, const tw_board *b, tw_kind k, size_t want)
{
    bool newest = k == TW_KIND_WIN;
    size_t n = 0;
    ui->total[k] = tw_board_count(b, k);
    for (const tw_item_view *it = newest ? tw_board_last(b, k) : tw_board_first(b, k);
         it && n < want; it = newest ? tw_board_prev(b, it) : tw_board_next(b, it))
        tw_item_from_view(it, &ui->kept[k][n++]);
    return n;
}

/* Keep the cards that may show: for each section, as many as could fit. */
static void keep_cards(tw_ui *ui, const tw_view *v)
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
            ui->kept_n[k] = board_section(ui, v->board, (tw_kind)k, want);
            continue;
        }
        size_t n = select_section(ui, v, (tw_kind)k, want);
        for (size_t i = 0; i < n; i++)
            ui->kept[k][i] = *ui->pick[i];
        ui->kept_n[k] = n;
    }
}

/* Keep a copy of the view for tw_ui_screenshot(). */
static void keep_view(tw_ui *ui, const tw_view *v)
{
    free(ui->last_team);
    free(ui->last_reason);
    ui->last_team = tw_xstrdup(v->team ? v->team : "");
    ui->last_reason = v->offline_reason ? tw_xstrdup(v->offline_reason) : NULL;
    keep_cards(ui, v);
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
    /* The items themselves are not kept: keep_cards() copied the ones that
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
    int ow, oh;
    if (SDL_GetRendererOutputSize(ui->r, &ow, &oh) != 0 || ow <= 0 || oh <= 0) {
        log_error("cannot read output size: %s", SDL_GetError());
        goto out;
    }
    if ((rc = relayout(ui, ow, oh, 0)) != 0)
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
    free_discs(ui);
    for (int i = 0; i < TW_ICON_COUNT; i++)
        if (ui->icons[i])
            SDL_DestroyTexture(ui->icons[i]);
    tw_fonts_destroy(ui->fonts);
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
    free(ui->placed);
    free(ui->opaque);
    free(ui->wall);
    free(ui->hits);
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
    if (w != ui->L.w || h != ui->L.h) {
        free_discs(ui);
        if ((rc = relayout(ui, w, h, 0)) != 0)
            return rc;
    }
    /* The banner's rows decide the layout, the layout how many cards can
     * show, and that how many are kept. */
    banner_row rows[BANNER_MAX_ROWS];
    int nrows = banner_rows(view, rows);
    if (nrows != ui->L.banner_rows && (rc = relayout(ui, w, h, nrows)) != 0)
        return rc;
    keep_view(ui, view);
    update_fresh(ui, view);
    draw_frame(ui, &ui->last);
    SDL_RenderPresent(ui->r);
    tw_cardcache_sweep(ui->cards); /* before the text they keep */
    tw_textcache_sweep(ui->text);
    ui->next_frame = ui->anim_cards > 0 ? view->anim_ms + ANIM_FRAME_MS : 0;
    ui->frames++;
    return 0;
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
    draw_frame(ui, &ui->last);
    ui->anim_cards = anim;
    ui->cards_drawn = drawn;
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

void tw_ui_window_to_output(const tw_ui *ui, int wx, int wy, int *x, int *y)
{
    int ww = 0, wh = 0, ow = 0, oh = 0;
    if (ui && ui->win)
        SDL_GetWindowSize(ui->win, &ww, &wh);
    if (ui && ui->r)
        SDL_GetRendererOutputSize(ui->r, &ow, &oh);
    *x = ww > 0 ? (int)((int64_t)wx * ow / ww) : wx;
    *y = wh > 0 ? (int)((int64_t)wy * oh / wh) : wy;
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
    out->cards_drawn = ui->cards_drawn;
    out->anim_cards = ui->anim_cards;
    memcpy(out->pairs_used, ui->pairs_used, sizeof(out->pairs_used));
    out->fallback_faces = fs.faces;
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
