/* SPDX-License-Identifier: MIT */
/*
 * The screen: an SDL2 window (or, headless, the offscreen driver with the
 * software renderer) that draws a tw_view: header, warnings banner, three
 * sections of cards (columns in landscape, bands in portrait), the figures
 * strip, the "recently learned" line, and the detail view over them. It
 * draws only when asked; text is rasterised once into textures and cached,
 * so a frame with no new text rasterises no glyph. A new card is highlighted
 * for a few seconds; while that animation is visible tw_ui_next_frame()
 * names the next frame's time, otherwise it is 0 and the loop may sleep.
 */
#ifndef TW_UI_RENDER_H
#define TW_UI_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../firmware/board.h"
#include "../firmware/digest.h"
#include "../firmware/figures.h"
#include "../firmware/item.h"
#include "../firmware/store.h"
#include "../firmware/warnings.h"
#include "detail.h"
#include "standupview.h"

typedef struct tw_ui tw_ui;

typedef struct tw_ui_options {
    int width, height;        /* window size; 0 = 1280x720 (window) or screen size (fullscreen) */
    bool fullscreen;          /* full screen (KMSDRM on a console) */
    bool headless;            /* no window: offscreen driver, software renderer */
    const char *font_dir;     /* folder with Inter-Regular.otf and Inter-SemiBold.otf */
    const char *theme;        /* "dark" (NULL), "light", "high-contrast" */
    int64_t escalate_after_s; /* blocker age that escalates (0: 1 day) */
    int64_t critical_after_s; /* ... and turns critical (0: 3 days) */
    int64_t wins_for_s;       /* a win this old leaves the wall (0: 7 days) */
    /* Draw every card every frame instead of composing it once, as on a
     * renderer without target textures: the tests compare the two. */
    bool no_cache;
    int rotate; /* [display] rotate: 0, 90, 180, 270 degrees clockwise (ui/rotate.h) */
} tw_ui_options;

typedef enum { TW_SCREEN_ON = 0, TW_SCREEN_DIM, TW_SCREEN_BLANK } tw_screen_mode;

/* An open detail view, as the screen shows it. Borrowed like the view. */
typedef struct tw_detail_view {
    const tw_item *item;             /* as it is now (may be resolved: then Reopen) */
    const tw_history_entry *history; /* oldest first */
    size_t n_history;
    int focus; /* focused button */
} tw_detail_view;

/* Everything a frame shows. Borrowed for the duration of tw_ui_render(). */
typedef struct tw_view {
    const char *team;           /* team name for the header */
    int64_t now;                /* wall clock, Unix seconds (HH:MM and ages) */
    bool online;                /* broker connection is up */
    int64_t offline_since;      /* when it went down (0 = never connected) */
    const char *offline_reason; /* "unreachable", "refused credentials", ... or NULL */
    /* The open items: from the board's model when board is set (a frame
     * reads the screenful it can show, in the board's order, however many
     * are open); otherwise items[count], in any order (tests, fixtures). */
    const tw_board *board;
    const tw_item *items;
    size_t count;
    const tw_warning *warnings; /* banner lines, most severe first (may be NULL) */
    size_t n_warnings;
    const tw_figures *figures; /* the strip; NULL or !valid shows dashes */
    const tw_learned *learned; /* answered questions, newest first */
    size_t n_learned;
    int64_t anim_ms;                /* monotonic ms for the new-card highlight; 0 = no animation */
    bool pixel_shift;               /* move the picture a pixel every two minutes */
    tw_screen_mode screen;          /* on, dimmed (night) or blank */
    int64_t focus_seq;              /* card with the keyboard focus ring (0: none) */
    const tw_detail_view *detail;   /* the detail view, or NULL */
    const tw_standup_view *standup; /* a stand-up's screen instead of the board, or NULL */
} tw_view;

typedef struct tw_ui_stats {
    uint64_t frames;        /* frames presented */
    uint64_t glyph_renders; /* text rasterisations (TTF_Render* calls) so far */
    size_t cache_entries;   /* text textures held */
    size_t text_bytes;      /* their pixels */
    uint64_t composed;      /* cards (and the strip) composed so far */
    size_t composed_bytes;  /* pixels of the composed ones held */
    int cards_drawn;        /* in the last frame */
    int anim_cards;         /* cards animating in the last frame */
    /* Text colour pairs used so far: bit ink set in pairs_used[surface]. */
    uint32_t pairs_used[16];
    int fallback_faces; /* fonts in the chain */
    int fonts_open;     /* faces open at a role's size (only roles that drew) */
    /* One-line texts cut with an ellipsis so far, by text role (layout.h's
     * F_*): the tests check that titles and labels never are. */
    uint32_t cut[16];
} tw_ui_stats;

/* A lobby board (docs/LOBBY.md): one band per team, each with the team's
 * name and figures in a gutter and its three sections laid out by the
 * wall's rules. Borrowed for the duration of tw_ui_render_lobby(). */
typedef struct tw_lobby_band {
    const char *team;      /* the band's heading */
    const tw_board *board; /* its open items, or items[count] as in tw_view */
    const tw_item *items;
    size_t count;
    const tw_figures *figures; /* NULL or !valid shows dashes */
} tw_lobby_band;

typedef struct tw_lobby_view {
    /* The header, banner, clock, connection, screen mode and pixel shift,
     * as a board's (team: the lobby's title). Its items, figures, learned
     * line, focus, detail view and stand-up are not used. */
    tw_view wall;
    const tw_lobby_band *bands;
    size_t n_bands; /* 1..TW_TEAMS_MAX */
} tw_lobby_view;

/* Draw a lobby and present it (tw_ui_screenshot() then writes it). */
int tw_ui_render_lobby(tw_ui *ui, const tw_lobby_view *lv);

/* How many bands this screen holds with at least two rows of compact cards
 * in every section and banner_rows warning rows (ui/lobbylayout.h). */
int tw_ui_lobby_capacity(tw_ui *ui, int banner_rows, int max);

/* Create the window and renderer, load fonts. Returns 0, TW_ERR_INVAL (bad
 * option, e.g. unknown theme) or TW_ERR_IO with a log line naming what failed. */
int tw_ui_create(const tw_ui_options *opt, tw_ui **out);
/* NULL is a no-op. */
void tw_ui_destroy(tw_ui *ui);

/* Draw view and present it. */
int tw_ui_render(tw_ui *ui, const tw_view *view);

/* The board went quiet: free the composed cards and strip (the
 * screen holds the picture; the next frame draws from the kept text and
 * composes again only what the frame after shows too), and the texts the
 * last frame did not show (tw_textcache_trim). */
void tw_ui_release(tw_ui *ui);

/* Monotonic ms at which the next animation frame is due, or 0 when nothing
 * visible is animating (the loop may sleep). */
int64_t tw_ui_next_frame(const tw_ui *ui);

/* Write the last presented frame to path as PNG. */
int tw_ui_screenshot(tw_ui *ui, const char *path);

/* The board's size in pixels: the output's, with width and height swapped
 * when [display] rotate is 90 or 270. */
void tw_ui_size(const tw_ui *ui, int *w, int *h);

/* What is at output pixel (x, y) of the last frame. */
typedef enum {
    TW_HIT_NONE = 0, /* nothing: the wall */
    TW_HIT_CARD,     /* a card: seq */
    TW_HIT_BUTTON,   /* a detail view button: button */
    TW_HIT_PANEL,    /* inside the detail view, not on a button */
    TW_HIT_OUTSIDE,  /* outside an open detail view */
} tw_hit_kind;
typedef struct tw_hit {
    tw_hit_kind kind;
    int64_t seq;
    int button;
} tw_hit;
void tw_ui_hit(const tw_ui *ui, int x, int y, tw_hit *out);

/* On the stand-up's screen of the last frame: the Claim (TW_SU_CLAIM) or
 * Resolve (TW_SU_RESOLVE) button at output pixel (x, y), or -1. */
int tw_ui_standup_button(const tw_ui *ui, int x, int y);

/* Window coordinates (mouse events) to the board's pixels (HiDPI, and
 * turned back with [display] rotate), as tw_ui_hit() takes them. */
void tw_ui_window_to_output(const tw_ui *ui, int wx, int wy, int *x, int *y);
/* A touch (SDL's normalised 0..1 finger position on the screen) to the
 * board's pixels. */
void tw_ui_touch_to_board(const tw_ui *ui, float fx, float fy, int *x, int *y);

/* Keyboard focus on the board: the card next to from_seq in direction key
 * (TW_NAV_UP/DOWN/LEFT/RIGHT, by position on screen); the first card when
 * from_seq is 0 or gone; from_seq when there is none that way. */
int64_t tw_ui_navigate(const tw_ui *ui, int64_t from_seq, tw_nav_key key);

void tw_ui_get_stats(const tw_ui *ui, tw_ui_stats *out);

/* The cards of the last frame, in output pixels without the burn-in shift:
 * up to max of them into out; returns how many were drawn. For tests. */
typedef struct tw_ui_card {
    int64_t seq;
    int section; /* 0 blockers, 1 questions, 2 wins */
    int x, y, w, h;
    int sx, sy, sw, sh; /* the section it belongs to */
} tw_ui_card;
size_t tw_ui_cards(const tw_ui *ui, tw_ui_card *out, size_t max);

/* The last frame's layout (borrowed; for tests that look at a region). */
struct tw_layout;
const struct tw_layout *tw_ui_layout(const tw_ui *ui);

#endif
