/* SPDX-License-Identifier: MIT */
/*
 * The wall's state and input. Everything here is driven by the app's loop:
 * a pass calls tw_wall_tick(), a minute tw_wall_minute(), an SDL event
 * tw_wall_event(); the wall keeps versions of what the screen last showed so
 * it asks for a frame only when something it shows changed, and a deadline
 * only while something is running (an animation, an open detail view).
 */
#define _POSIX_C_SOURCE 200809L
#define LOG_MODULE      "wall"
#include "wall.h"

#include <stdlib.h>
#include <string.h>

#include "../firmware/digest.h"
#include "../firmware/schedule.h"
#include "detail.h"
#include "log.h"
#include "util.h"

#define HISTORY_KEEP 64 /* history rows of the open item kept (the newest) */

struct tw_wall {
    const tw_config *cfg;
    tw_store *store;
    tw_board *board;
    tw_ui *ui;

    tw_digest *digest;
    bool digest_loaded;
    uint64_t digest_board_version; /* board version the figures describe */
    bool rows_valid;               /* the digest's rows describe rows_version: */
    uint64_t rows_version;         /* its last walk, and the posts folded since */
    uint64_t walks;                /* history walks so far (tests) */
    int64_t digest_next_ms;        /* no re-read before this */
    uint64_t seen_version;         /* board version the last tick saw */
    int64_t seen_ms;               /* when it first saw it */
    uint64_t digest_shown;         /* digest version on screen */

    bool scheduled, dim_off;
    tw_schedule sched;
    tw_screen_mode screen, screen_shown;
    int64_t wake_until; /* wall clock: a tap woke the night screen until then */
    int64_t now;        /* wall clock of the last tick */

    int64_t anim_due; /* next animation frame (monotonic), 0 = none */
    bool dirty;       /* the detail view or focus changed since the last frame */

    tw_detail detail;
    tw_item item; /* the open item as it is now */
    uint64_t item_board_version;
    tw_history_entry *history;
    size_t n_history;
    tw_detail_view dv;

    int64_t focus_seq, focus_until;
};

static void update_screen(tw_wall *w, int64_t now)
{
    bool on = !w->scheduled || tw_schedule_on_at(&w->sched, now) || now < w->wake_until;
    tw_screen_mode m = on ? TW_SCREEN_ON : w->dim_off ? TW_SCREEN_DIM : TW_SCREEN_BLANK;
    if (m != w->screen)
        log_info("screen %s", m == TW_SCREEN_ON ? "on" : m == TW_SCREEN_DIM ? "dimmed" : "blank");
    w->screen = m;
    if (!on) { /* nobody reads a dark wall: nothing stays open */
        tw_detail_close(&w->detail);
        w->focus_seq = 0;
    }
}

int tw_wall_create(const tw_wall_options *opt, tw_wall **out)
{
    if (!opt || !out || !opt->cfg || !opt->store || !opt->board || !opt->ui)
        return TW_ERR_INVAL;
    *out = NULL;
    tw_wall *w = tw_xcalloc(1, sizeof(*w));
    w->cfg = opt->cfg;
    w->store = opt->store;
    w->board = opt->board;
    w->ui = opt->ui;
    w->digest = tw_digest_create();
    w->dim_off = strcmp(opt->cfg->off, "dim") == 0;
    char err[160];
    if (tw_schedule_parse(opt->cfg->on, &w->sched, err, sizeof(err))) {
        log_error("[display] on: %s", err);
        tw_wall_destroy(w);
        return TW_ERR_INVAL;
    }
    const char *p = opt->cfg->on;
    while (*p == ' ')
        p++;
    w->scheduled = *p && strcmp(p, "always") != 0;
    w->now = tw_now();
    update_screen(w, w->now);
    w->screen_shown = w->screen;
    *out = w;
    return 0;
}

void tw_wall_destroy(tw_wall *w)
{
    if (!w)
        return;
    tw_digest_destroy(w->digest);
    free(w->history);
    free(w);
}

/* ---- the detail view ---- */

static int on_history(void *ctx, const tw_history_entry *h, const tw_item *it)
{
    (void)it;
    tw_wall *w = ctx;
    if (w->n_history == HISTORY_KEEP) { /* keep the newest */
        memmove(w->history, w->history + 1, (HISTORY_KEEP - 1) * sizeof(*w->history));
        w->n_history--;
    }
    w->history[w->n_history++] = *h;
    return 0;
}

/* Read the open item and its history again (after a change). */
static void reload_detail(tw_wall *w)
{
    if (!w->detail.open)
        return;
    w->item_board_version = tw_board_version(w->board);
    if (tw_store_get(w->store, w->detail.id, &w->item) != 0) {
        tw_detail_close(&w->detail);
        return;
    }
    if (!w->history)
        w->history = tw_xmalloc(HISTORY_KEEP * sizeof(*w->history));
    w->n_history = 0;
    if (tw_store_history_of(w->store, w->detail.id, on_history, w) != 0)
        w->n_history = 0;
    tw_detail_refocus(&w->detail, &w->item);
}

static void open_detail(tw_wall *w, int64_t seq, int64_t mono_ms)
{
    const tw_item_view *v = tw_board_find_seq(w->board, seq);
    if (!v)
        return;
    tw_item_from_view(v, &w->item); /* reload_detail() reads it again */
    tw_detail_open(&w->detail, &w->item, mono_ms);
    reload_detail(w);
    w->focus_seq = seq;
    w->focus_until = mono_ms + TW_WALL_FOCUS_MS;
    w->dirty = true;
}

/* Claim, resolve or reopen through the one door, as "touch". */
static void act(tw_wall *w, tw_detail_action a, bool *applied)
{
    if (a == TW_ACT_NONE) {
        w->dirty = true; /* the focus moved */
        return;
    }
    if (a == TW_ACT_CLOSE) {
        tw_detail_close(&w->detail);
        w->dirty = true;
        return;
    }
    tw_command cmd;
    memset(&cmd, 0, sizeof(cmd));
    cmd.type = a == TW_ACT_CLAIM     ? TW_CMD_CLAIM
               : a == TW_ACT_RESOLVE ? TW_CMD_RESOLVE
                                     : TW_CMD_REOPEN;
    tw_strlcpy(cmd.ref, w->detail.id, sizeof(cmd.ref));
    tw_strlcpy(cmd.source, "touch", sizeof(cmd.source));
    tw_board_result res;
    int rc = tw_board_apply(w->board, &cmd, tw_now(), &res);
    if (rc)
        log_warn("%s %s from the screen: %s", tw_cmd_name(cmd.type), w->detail.id, res.reason);
    else if (res.changed && applied)
        *applied = true;
    reload_detail(w);
    w->dirty = true;
}

/* A tap or key on a screen that is off for the night wakes it instead. */
static bool wake(tw_wall *w)
{
    if (w->screen == TW_SCREEN_ON)
        return false;
    w->wake_until = tw_now() + TW_WALL_WAKE_S;
    update_screen(w, tw_now());
    w->dirty = true;
    return true;
}

bool tw_wall_tap(tw_wall *w, int x, int y, int64_t mono_ms, bool *applied)
{
    if (!w || wake(w))
        return w != NULL;
    tw_hit hit;
    tw_ui_hit(w->ui, x, y, &hit);
    if (w->detail.open) {
        switch (hit.kind) {
        case TW_HIT_BUTTON:
            act(w, tw_detail_press(&w->detail, &w->item, hit.button, mono_ms), applied);
            break;
        case TW_HIT_PANEL: tw_detail_press(&w->detail, &w->item, -1, mono_ms); break;
        default:
            tw_detail_close(&w->detail);
            w->dirty = true;
            break;
        }
        return true;
    }
    if (hit.kind == TW_HIT_CARD) {
        open_detail(w, hit.seq, mono_ms);
        return true;
    }
    if (w->focus_seq) {
        w->focus_seq = 0;
        w->dirty = true;
    }
    return false;
}

bool tw_wall_key(tw_wall *w, tw_nav_key key, int64_t mono_ms, bool *applied)
{
    if (!w || key == TW_NAV_NONE)
        return false;
    if (wake(w))
        return true;
    if (w->detail.open) {
        act(w, tw_detail_key(&w->detail, &w->item, key, mono_ms), applied);
        return true;
    }
    switch (key) {
    case TW_NAV_UP:
    case TW_NAV_DOWN:
    case TW_NAV_LEFT:
    case TW_NAV_RIGHT:
    case TW_NAV_NEXT: {
        tw_nav_key k = key == TW_NAV_NEXT ? TW_NAV_DOWN : key;
        int64_t from = w->focus_seq && tw_board_find_seq(w->board, w->focus_seq) ? w->focus_seq : 0;
        w->focus_seq = tw_ui_navigate(w->ui, from, k);
        w->focus_until = mono_ms + TW_WALL_FOCUS_MS;
        w->dirty = true;
        return true;
    }
    case TW_NAV_ENTER:
        if (!w->focus_seq)
            return false;
        open_detail(w, w->focus_seq, mono_ms);
        return true;
    case TW_NAV_BACK:
        if (!w->focus_seq)
            return false;
        w->focus_seq = 0;
        w->dirty = true;
        return true;
    default: return false;
    }
}

static tw_nav_key nav_key(SDL_Keycode k)
{
    switch (k) {
    case SDLK_UP: return TW_NAV_UP;
    case SDLK_DOWN: return TW_NAV_DOWN;
    case SDLK_LEFT: return TW_NAV_LEFT;
    case SDLK_RIGHT: return TW_NAV_RIGHT;
    case SDLK_TAB: return TW_NAV_NEXT;
    case SDLK_RETURN:
    case SDLK_KP_ENTER:
    case SDLK_SPACE: return TW_NAV_ENTER;
    case SDLK_ESCAPE:
    case SDLK_BACKSPACE:
    case SDLK_AC_BACK: return TW_NAV_BACK;
    default: return TW_NAV_NONE;
    }
}

bool tw_wall_event(tw_wall *w, const SDL_Event *ev, int64_t mono_ms, bool *applied)
{
    if (!w || !ev)
        return false;
    int x, y;
    switch (ev->type) {
    case SDL_MOUSEBUTTONDOWN:
        /* Touch screens also send a mouse click: the finger event counts. */
        if (ev->button.which == SDL_TOUCH_MOUSEID || ev->button.button != SDL_BUTTON_LEFT)
            return false;
        tw_ui_window_to_output(w->ui, ev->button.x, ev->button.y, &x, &y);
        return tw_wall_tap(w, x, y, mono_ms, applied);
    case SDL_FINGERDOWN:
        tw_ui_touch_to_board(w->ui, ev->tfinger.x, ev->tfinger.y, &x, &y);
        return tw_wall_tap(w, x, y, mono_ms, applied);
    case SDL_KEYDOWN:
        if (ev->key.keysym.mod & (KMOD_CTRL | KMOD_ALT | KMOD_GUI))
            return false;
        return tw_wall_key(w, nav_key(ev->key.keysym.sym), mono_ms, applied);
    default: return false;
    }
}

/* ---- the loop's side ---- */

void tw_wall_view(tw_wall *w, tw_view *v, int64_t mono_ms)
{
    if (!w || !v)
        return;
    v->figures = tw_digest_figures(w->digest);
    v->learned = tw_digest_learned(w->digest, &v->n_learned);
    v->anim_ms = mono_ms > 0 ? mono_ms : 1;
    v->pixel_shift = w->cfg->pixel_shift;
    v->screen = w->screen;
    v->focus_seq = w->focus_seq && mono_ms < w->focus_until ? w->focus_seq : 0;
    v->detail = NULL;
    if (w->detail.open) {
        /* Someone else may have claimed or resolved it meanwhile. */
        if (w->item_board_version != tw_board_version(w->board))
            reload_detail(w);
    }
    if (w->detail.open) {
        w->dv = (tw_detail_view){&w->item, w->history, w->n_history, w->detail.focus};
        v->detail = &w->dv;
    }
}

void tw_wall_rendered(tw_wall *w, int64_t mono_ms)
{
    (void)mono_ms;
    if (!w)
        return;
    w->anim_due = tw_ui_next_frame(w->ui);
    w->digest_shown = tw_digest_version(w->digest);
    w->screen_shown = w->screen;
    w->dirty = false;
}

bool tw_wall_needs_frame(const tw_wall *w, int64_t mono_ms)
{
    if (!w)
        return false;
    return w->dirty || w->screen != w->screen_shown ||
           w->digest_shown != tw_digest_version(w->digest) ||
           (w->anim_due && mono_ms >= w->anim_due);
}

static int64_t soonest(int64_t a, int64_t b)
{
    return b > 0 && (a == 0 || b < a) ? b : a;
}

int64_t tw_wall_deadline(const tw_wall *w, int64_t mono_ms)
{
    if (!w)
        return 0;
    int64_t due = w->anim_due;
    if (w->detail.open)
        due = soonest(due, w->detail.closes_ms);
    if (w->focus_seq)
        due = soonest(due, w->focus_until);
    if (!w->digest_loaded || tw_board_version(w->board) != w->digest_board_version) {
        int64_t next = w->digest_next_ms, settled = w->seen_ms + TW_WALL_DIGEST_SETTLE_MS;
        next = settled < next ? settled : next;
        due = soonest(due, next > mono_ms ? next : mono_ms);
    }
    return due;
}

void tw_wall_tick(tw_wall *w, int64_t mono_ms, int64_t now)
{
    if (!w)
        return;
    w->now = now;
    uint64_t version = tw_board_version(w->board);
    if (version != w->seen_version) {
        w->seen_version = version;
        w->seen_ms = mono_ms;
    }
    if ((!w->digest_loaded || version != w->digest_board_version) &&
        (mono_ms >= w->digest_next_ms || mono_ms >= w->seen_ms + TW_WALL_DIGEST_SETTLE_MS)) {
        /* After a change, at once; in a flood, every few seconds: one walk
         * over the recent history each time; and once a flood has stopped
         * changing the board, without waiting out that pace (the walk
         * then lands before the loop goes quiet, not after it: R6). */
        int64_t t0 = tw_mono_ms();
        if (w->rows_valid && w->rows_version == version) {
            tw_digest_recompute(w->digest, now); /* only posts since: all folded */
        } else {
            w->rows_valid = tw_digest_reload(w->digest, w->store, now) == 0;
            w->walks++;
            w->rows_version = version;
        }
        w->digest_loaded = true;
        w->digest_board_version = version;
        /* The next re-read waits ten times as long as this one took, so
         * the figures follow each change at once while reading them costs
         * at most a tenth of a flood's time; never longer than the bound. */
        int64_t spent = tw_mono_ms() - t0, wait = spent * 10;
        w->digest_next_ms = mono_ms + (wait < TW_WALL_DIGEST_MIN_MS ? wait : TW_WALL_DIGEST_MIN_MS);
    }
    if (tw_detail_expired(&w->detail, mono_ms)) {
        tw_detail_close(&w->detail);
        w->dirty = true;
    }
    if (w->focus_seq && mono_ms >= w->focus_until) {
        w->focus_seq = 0;
        w->dirty = true;
    }
    if (w->wake_until && now >= w->wake_until) {
        w->wake_until = 0;
        update_screen(w, now);
    }
}

void tw_wall_board_event(tw_wall *w, const char *event, const tw_item *item)
{
    /* Folded only when the rows described the board just before this
     * change: anything that touched the board without telling (a reload, a
     * ref moved, a batch rolled back) or did more than post makes the next
     * tick walk the history again. */
    if (!w || !w->rows_valid || !event)
        return;
    uint64_t version = tw_board_version(w->board);
    if (strcmp(event, "posted") == 0 && w->rows_version + 1 == version &&
        tw_digest_fold_post(w->digest, item))
        w->rows_version = version;
    else
        w->rows_valid = false;
}

void tw_wall_minute(tw_wall *w, int64_t now)
{
    if (!w)
        return;
    w->now = now;
    tw_digest_recompute(w->digest, now);
    update_screen(w, now);
}

const tw_figures *tw_wall_figures(const tw_wall *w)
{
    return w ? tw_digest_figures(w->digest) : NULL;
}

uint64_t tw_wall_figures_version(const tw_wall *w)
{
    return w ? tw_digest_version(w->digest) : 0;
}

uint64_t tw_wall_figures_board_version(const tw_wall *w)
{
    return w && w->digest_loaded ? w->digest_board_version : UINT64_MAX;
}

const char *tw_wall_detail_id(const tw_wall *w)
{
    return w && w->detail.open ? w->detail.id : NULL;
}

uint64_t tw_wall_history_walks(const tw_wall *w)
{
    return w ? w->walks : 0;
}

tw_screen_mode tw_wall_screen(const tw_wall *w)
{
    return w ? w->screen : TW_SCREEN_ON;
}
