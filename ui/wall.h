/* SPDX-License-Identifier: MIT */
/*
 * The wall between the board and the screen: what the view shows besides the
 * open items (figures and the learned line from the digest, the night
 * schedule, the burn-in shift, the new-card animation clock), and what people
 * do at the screen (tap a card or pick it with the arrow keys, read its
 * detail and history, press Claim / Resolve / Reopen, which go through the
 * one door, tw_board_apply(), with source "touch"). The app's loop asks it for
 * its deadline and whether it needs a frame; it never asks for frames that
 * show nothing new, so the loop goes back to sleep.
 */
#ifndef TW_UI_WALL_H
#define TW_UI_WALL_H

#include <SDL.h>
#include <stdbool.h>
#include <stdint.h>

#include "../firmware/board.h"
#include "../firmware/config.h"
#include "../firmware/store.h"
#include "render.h"

#define TW_WALL_DIGEST_MIN_MS 10000 /* re-reads of the history are never further apart */
/* A board unchanged this long has its figures re-read at once, whatever the
 * pace: the flood has stopped, and the re-read (a walk over up to 20,000
 * items, freeing what it allocated) then comes before the loop's quiet
 * moment, which gives its pages back (firmware/heap.c), not after it. */
#define TW_WALL_DIGEST_SETTLE_MS 250
#define TW_WALL_WAKE_S           300   /* a tap wakes a night screen for this long */
#define TW_WALL_FOCUS_MS         30000 /* the keyboard focus ring goes after this */

typedef struct tw_wall tw_wall;

typedef struct tw_wall_options {
    const tw_config *cfg; /* [display] on, off, pixel_shift */
    tw_store *store;      /* for the digest and item history */
    tw_board *board;      /* the one door */
    tw_ui *ui;            /* for hit testing and navigation */
} tw_wall_options;

/* All borrowed; they must outlive the wall. Returns 0 or TW_ERR_INVAL (a
 * schedule that does not parse: the config table checked it already). */
int tw_wall_create(const tw_wall_options *opt, tw_wall **out);
/* NULL is a no-op. */
void tw_wall_destroy(tw_wall *w);

/* Fill the wall's part of a view for a frame at monotonic mono_ms. The
 * pointers stay valid until the next call into the wall. */
void tw_wall_view(tw_wall *w, tw_view *v, int64_t mono_ms);

/* A frame was presented at mono_ms. */
void tw_wall_rendered(tw_wall *w, int64_t mono_ms);

/* Does the screen need a frame for the wall's sake: figures or the learned
 * list changed, an animation frame is due, the screen turned on or off? */
bool tw_wall_needs_frame(const tw_wall *w, int64_t mono_ms);

/* The wall's next deadline (monotonic ms), or 0 for none: the animation's
 * next frame while a new card is visible, the detail view closing, the
 * focus ring going, the throttled re-read of the history. */
int64_t tw_wall_deadline(const tw_wall *w, int64_t mono_ms);

/* One pass of the loop: re-read the recent history when the board changed
 * (at most every TW_WALL_DIGEST_MIN_MS, ten times as long as a re-read
 * takes; or TW_WALL_DIGEST_SETTLE_MS after the board last changed, when a
 * flood stops), close what expired. When every change since the last
 * re-read was a post folded in (tw_wall_board_event), the figures are only
 * recomputed from the rows, at the same pace. now is the wall clock (Unix
 * seconds). A re-read or recompute changes tw_wall_figures_board_version(). */
void tw_wall_tick(tw_wall *w, int64_t mono_ms, int64_t now);

/* The board changed an item and said so (its event handler: event and
 * item as tw_board_event_fn gives them). A new post is folded into the
 * figures' rows without reading the history; any other change, and any
 * change the board made without an event, is read back at the next
 * re-read. The loop calls it from the board's event handler. */
void tw_wall_board_event(tw_wall *w, const char *event, const tw_item *item);

/* The clock's minute turned: figures windows slide, the schedule may flip. */
void tw_wall_minute(tw_wall *w, int64_t now);

/* An SDL event: a tap or click, arrows, Enter, Tab, Escape, Backspace.
 * Returns true when the wall used it; *applied is set when a command went
 * through the board (the caller publishes its events). */
bool tw_wall_event(tw_wall *w, const SDL_Event *ev, int64_t mono_ms, bool *applied);

/* The same for a tap at output pixel (x, y), and a key, without SDL events
 * (tests, and input that does not come from SDL). */
bool tw_wall_tap(tw_wall *w, int x, int y, int64_t mono_ms, bool *applied);
bool tw_wall_key(tw_wall *w, tw_nav_key key, int64_t mono_ms, bool *applied);

/* The figures for the retained state (never NULL). */
const tw_figures *tw_wall_figures(const tw_wall *w);

/* Increases whenever the figures (or the learned list) changed. */
uint64_t tw_wall_figures_version(const tw_wall *w);
/* The board version (tw_board_version) the figures were read at, or
 * UINT64_MAX before the first read: the retained state waits for the figures
 * to describe the items it lists. */
uint64_t tw_wall_figures_board_version(const tw_wall *w);

/* For tests: the open detail view's item id, or NULL when closed; the
 * screen mode now. */
const char *tw_wall_detail_id(const tw_wall *w);
tw_screen_mode tw_wall_screen(const tw_wall *w);
/* For tests: how many times the wall has walked the recent history. */
uint64_t tw_wall_history_walks(const tw_wall *w);

#endif
