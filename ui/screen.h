/* SPDX-License-Identifier: MIT */
/*
 * The screen's private state, shared by the files that draw one frame
 * (ui/render.c owns the window and the frame; ui/draw.c the drawing
 * primitives and composed regions; ui/format.c times and ages as text;
 * ui/header.c the header and the warnings banner; ui/cards.c the cards and
 * their sections; ui/strip.c the figures strip and the learned line;
 * ui/detailview.c the detail view). Nothing outside ui/ includes it: the
 * public face is ui/render.h.
 *
 * Drawing functions take drawing coordinates: output pixels before the
 * burn-in shift (ui->ox, ui->oy), which they add.
 */
#ifndef TW_UI_SCREEN_H
#define TW_UI_SCREEN_H

#include <SDL.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cardcache.h"
#include "fonts.h"
#include "icons.h"
#include "layout.h"
#include "render.h"
#include "rotate.h"
#include "textcache.h"
#include "theme.h"

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

/* Section accents: blockers, questions, wins (ui/cards.c). */
extern const tw_ink tw_kind_ink[TW_KIND_COUNT];

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
    const tw_wrap *wr; /* full cards; compact ones wrap as they are drawn */
    tw_rect r;
    int pl, pr;
    bool compact; /* one line: a crowded section */
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
    tw_rotate *rot; /* [display] rotate, at present (ui/rotate.h) */
    bool sdl_up, ttf_up;
    tw_fonts *fonts;
    tw_textcache *text;
    tw_cardcache *cards;
    bool composing; /* drawing into a card: keep its text with it */
    int grain;      /* pixels in a cache line of the screen (software); 1: no lines */
    const tw_theme *th;
    int64_t escalate_s, critical_s, wins_for_s;

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
    int *full_h[TW_KIND_COUNT]; /* landscape: full-size heights for tw_layout_density */
    size_t full_h_cap;

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
    uint32_t cut[16]; /* tw_ui_stats.cut */

    /* The stand-up's screens (ui/standupview.c): its fonts' metrics, and
     * the last frame's stand-up, owned, for tw_ui_screenshot(). */
    tw_font_metrics su_fm[3];
    tw_standup *last_su;
    tw_standup_view last_sv;
    tw_item last_su_item;
    tw_history_entry last_su_history[TW_STANDUP_VIEW_HISTORY];
    tw_rect su_buttons[2]; /* Claim, Resolve of the last frame (drawing coordinates) */
    int n_su_buttons;

    /* The last lobby frame (ui/lobbyview.c), owned; NULL before the first
     * and unused after a board's frame. */
    struct tw_lobby_keep *lobby;
};

typedef struct banner_row {
    tw_warning_level level;
    char text[TW_WARNING_TEXT_SIZE + 96];
    char brief[TW_WARNING_TEXT_SIZE + 96]; /* shorter text, when text does not fit; may be "" */
    char right[64];
    bool cont; /* the row above's text going on: no sign, no hairline */
} banner_row;

static inline int max_i(int a, int b)
{
    return a > b ? a : b;
}

static inline bool same_rgb(tw_rgb a, tw_rgb b)
{
    return a.r == b.r && a.g == b.g && a.b == b.b;
}

static inline SDL_Color sdl(tw_rgb c)
{
    return (SDL_Color){c.r, c.g, c.b, 0xFF};
}

static inline SDL_Color ink(const tw_ui *ui, tw_ink i)
{
    return sdl(ui->th->ink[i]);
}

static inline SDL_Color surf(const tw_ui *ui, tw_surface s)
{
    return sdl(ui->th->surface[s]);
}

static inline SDL_Color alpha(SDL_Color c, int a)
{
    c.a = (Uint8)(a < 0 ? 0 : a > 255 ? 255 : a);
    return c;
}

static inline int tex_w(const tw_text_tex *t)
{
    return t ? t->w : 0;
}

/* Top of a text box in role f whose capitals are centred on cy (Inter's
 * capitals are 0.727 em tall). */
static inline int text_top_centred(const tw_ui *ui, int f, int cy)
{
    int cap = ui->L.font_px[f] * 727 / 1000;
    return cy + cap / 2 - ui->L.fm[f].ascent;
}

/* Does dst (output pixels) start and end on whole cache lines of the
 * screen? Then the software renderer streams it (see tw_cardcache_begin). */
static inline bool on_lines(const tw_ui *ui, SDL_Rect dst)
{
    return ui->grain > 1 && dst.x % ui->grain == 0 && dst.w % ui->grain == 0 && dst.x >= 0 &&
           dst.x + dst.w <= ui->L.w;
}

/* ---- ui/draw.c: text, primitives, icons, composed regions ---- */

const tw_text_tex *tw_draw_text_str(tw_ui *ui, int role, tw_ink i, tw_surface on, const char *s);
const tw_text_tex *tw_draw_text_fit(tw_ui *ui, int role, tw_ink i, tw_surface on, const char *s,
                                    int max_w);
const tw_text_tex *tw_draw_text_line(tw_ui *ui, int role, tw_ink i, tw_surface on, const char *s,
                                     const tw_wrap *wr, int line);
/* One character of a ref (drawn apart: see ui/cards.c draw_meta). */
const tw_text_tex *tw_draw_text_char(tw_ui *ui, tw_surface on, const char *s, size_t n);
void tw_draw_fill(tw_ui *ui, int x, int y, int w, int h, SDL_Color c);
/* Filled rectangle with anti-aliased corners of radius r (or the layout's). */
void tw_draw_round_rect_r(tw_ui *ui, int x, int y, int w, int h, int r, SDL_Color c);
void tw_draw_round_rect(tw_ui *ui, int x, int y, int w, int h, SDL_Color c);
/* A ring of width t around r, gap g away from it, on background bg. */
void tw_draw_ring(tw_ui *ui, tw_rect r, int g, int t, SDL_Color c, SDL_Color bg);
void tw_draw_dot(tw_ui *ui, int cx, int cy, int d, SDL_Color c);
void tw_draw_blit(tw_ui *ui, const tw_text_tex *t, int x, int y);
SDL_Texture *tw_draw_make_icon(SDL_Renderer *r, tw_icon icon, int size, SDL_Color c);
void tw_draw_icon(tw_ui *ui, tw_icon icon, int x, int y);
void tw_draw_free_discs(tw_ui *ui);

typedef void (*compose_fn)(tw_ui *ui, const void *arg);
/* The cache key of what is drawn next: head, then strings appended. */
size_t tw_draw_key_start(tw_ui *ui, const void *head, size_t size);
size_t tw_draw_key_add(tw_ui *ui, size_t len, const char *s);
/* ui->key's region at dst from the cache or composed now by draw(ui, arg);
 * NULL when draw() has drawn it straight onto the screen instead. */
const tw_card *tw_draw_region(tw_ui *ui, size_t len, SDL_Rect dst, compose_fn draw,
                              const void *arg);
void tw_draw_put(tw_ui *ui, const tw_card *c, SDL_Rect dst);

/* ---- ui/format.c ---- */

void tw_format_age(int64_t secs, char *buf, size_t size); /* "now", "5m", "3h", "2d" */
void tw_format_hhmm(int64_t t, char *buf, size_t size);   /* local "09:30" */
void tw_format_date(int64_t t, char *buf, size_t size);   /* "Mon 3 Nov" */
void tw_format_when(int64_t t, int64_t now, char *buf, size_t size);

/* ---- ui/header.c ---- */

void tw_header_draw(tw_ui *ui, const tw_view *v);
/* The banner's rows for v (at most BANNER_MAX_ROWS); how many. */
int tw_banner_rows(const tw_view *v, banner_row *rows);
/* The rows as drawn at ui's layout (its width and fonts): tw_banner_rows(),
 * then a text too long for its line goes on into a second row while the
 * banner has one to spare. How many. */
int tw_banner_layout_rows(tw_ui *ui, const tw_view *v, banner_row *rows);
void tw_banner_draw(tw_ui *ui, const banner_row *rows, int n);

/* ---- ui/cards.c ---- */

/* Keep the cards of v that may show, section by section. */
void tw_cards_keep(tw_ui *ui, const tw_view *v);
/* Portrait: share the board among the bands by whole rows of cards. */
void tw_cards_share_bands(tw_ui *ui);
/* Landscape: full or compact, and the width shared by need (layout.h,
 * tw_layout_density). */
void tw_cards_share_width(tw_ui *ui);
/* Place the cards of section k that fit, then draw the section. */
void tw_cards_place_section(tw_ui *ui, tw_kind k);
void tw_cards_draw_section(tw_ui *ui, const tw_view *v, tw_kind k);

/* ---- ui/strip.c ---- */

void tw_strip_draw(tw_ui *ui, const tw_view *v);
void tw_learned_draw(tw_ui *ui, const tw_view *v);

/* ---- ui/standupview.c ---- */

/* Size the stand-up's own font roles for an output of w x h. */
int tw_standupview_size_fonts(tw_ui *ui, int w, int h);
/* The stand-up's screen (v->standup) over the whole output. */
void tw_standupview_draw(tw_ui *ui, const tw_view *v);

/* ---- ui/render.c, for ui/lobbyview.c ---- */

/* The layout for w x h with banner_rows warning rows (fonts resized when
 * the size changed). */
int tw_render_relayout(tw_ui *ui, int w, int h, int banner_rows);

/* What every frame starts with, the wall's and the lobby's: hits and
 * counters reset, opaque drawing, the layout for the banner's rows (into
 * rows), the burn-in shift. The number of banner rows, or -1 for a blank
 * screen (then drawn: nothing else to do). */
int tw_render_frame_begin(tw_ui *ui, const tw_view *v, banner_row rows[BANNER_MAX_ROWS]);

/* ---- ui/lobbyview.c ---- */

/* The kept lobby frame, drawn again (screenshots); false when the last
 * frame was not a lobby's. */
bool tw_lobbyview_redraw(tw_ui *ui);
void tw_lobbyview_free(tw_ui *ui);

/* ---- ui/detailview.c ---- */

void tw_detailview_draw(tw_ui *ui, const tw_view *v, const tw_detail_view *d);

#endif
