/* SPDX-License-Identifier: MIT */
/*
 * The wall between board and screen, for real: a SQLite fixture built through
 * the board, the headless screen, the wall module. Idle means no deadline and
 * no frame; a tap opens a card's detail view; Claim, Resolve and Reopen go
 * through the one door with source "touch" and show in the item's history;
 * the view closes itself after 30 s; arrow keys and Enter do the same
 * without touch; SDL finger and key events reach it; a new card animates
 * while visible and then the wall is idle again; the night schedule blanks
 * the screen and a tap wakes it; the retained state carries the figures.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "openitems.h"
#include "codec.h"
#include "digest.h"
#include "config.h"
#include "render.h"
#include "util.h"
#include "wall.h"
#include "wallfix.h"

static wallfix f;
static tw_ui *ui;
static tw_config cfg;
static int64_t mono = 100000; /* a monotonic clock the test moves */

static void frame(tw_wall *w)
{
    tw_view v = {.team = "platform", .now = tw_now(), .online = true};
    v.board = f.board;
    tw_wall_view(w, &v, mono);
    CHECK_EQ_INT(tw_ui_render(ui, &v), 0);
    tw_wall_rendered(w, mono);
}

static bool idle(tw_wall *w)
{
    return !tw_wall_needs_frame(w, mono) && tw_wall_deadline(w, mono) == 0;
}

/* A pass of the loop: tick, and a frame if one is needed. */
static void pass(tw_wall *w)
{
    tw_wall_tick(w, mono, tw_now());
    if (tw_wall_needs_frame(w, mono))
        frame(w);
}

static const tw_item *item_by_id(const char *id)
{
    size_t n;
    const tw_item *items = open_items(f.board, &n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(items[i].id, id) == 0)
            return &items[i];
    return NULL;
}

static const tw_item *item_by_seq(int64_t seq)
{
    size_t n;
    const tw_item *items = open_items(f.board, &n);
    for (size_t i = 0; i < n; i++)
        if (items[i].seq == seq)
            return &items[i];
    return NULL;
}

/* Where detail button i is: scan the lower half of the screen. */
static bool find_button(int i, int *x, int *y)
{
    int w, h;
    tw_ui_size(ui, &w, &h);
    for (int yy = h / 4; yy < h; yy += 6)
        for (int xx = 0; xx < w; xx += 6) {
            tw_hit hit;
            tw_ui_hit(ui, xx, yy, &hit);
            if (hit.kind == TW_HIT_BUTTON && hit.button == i) {
                *x = xx + 10;
                *y = yy + 10;
                return true;
            }
        }
    return false;
}

typedef struct last_row {
    tw_history_entry h;
    int n;
} last_row;

static int on_row(void *ctx, const tw_history_entry *h, const tw_item *it)
{
    (void)it;
    last_row *l = ctx;
    l->h = *h;
    l->n++;
    return 0;
}

static void test_touch(tw_wall *w)
{
    /* Start: the digest is read once, one frame shows it, then idle. */
    CHECK(tw_wall_deadline(w, mono) > 0);
    pass(w);
    CHECK(tw_wall_figures(w)->valid);
    CHECK(idle(w));
    frame(w); /* the cards' places for the taps below */

    tw_ui_card c[8];
    size_t n = tw_ui_cards(ui, c, 8);
    CHECK(n > 0);
    const tw_item *first = item_by_seq(c[0].seq);
    CHECK(first && first->state == TW_STATE_OPEN);
    char id[TW_ID_SIZE];
    tw_strlcpy(id, first ? first->id : "", sizeof(id));

    bool applied = false;
    CHECK(tw_wall_tap(w, c[0].x + c[0].w / 2, c[0].y + c[0].h / 2, mono, &applied));
    CHECK(!applied);
    CHECK_EQ_STR(tw_wall_detail_id(w), id);
    CHECK(tw_wall_needs_frame(w, mono));
    pass(w);
    CHECK_EQ_INT(tw_wall_deadline(w, mono), mono + TW_DETAIL_TIMEOUT_MS);

    /* Claim: through the board, as "touch", into the history. */
    int x = 0, y = 0;
    CHECK(find_button(0, &x, &y));
    uint64_t v0 = tw_board_version(f.board);
    mono += 1000;
    CHECK(tw_wall_tap(w, x, y, mono, &applied));
    CHECK(applied);
    CHECK(tw_board_version(f.board) > v0);
    const tw_item *it = item_by_id(id);
    CHECK(it && it->state == TW_STATE_CLAIMED);
    last_row lr = {0};
    CHECK_EQ_INT(tw_store_history_of(f.store, id, on_row, &lr), 0);
    CHECK_EQ_STR(lr.h.action, "claim");
    CHECK_EQ_STR(lr.h.source, "touch");
    pass(w);

    /* Enter on the focused first button, now Resolve; then Reopen (undo). */
    applied = false;
    CHECK(tw_wall_key(w, TW_NAV_ENTER, mono, &applied));
    CHECK(applied);
    CHECK(item_by_id(id) == NULL);          /* off the wall */
    CHECK_EQ_STR(tw_wall_detail_id(w), id); /* the view stays, with Reopen */
    pass(w);
    applied = false;
    CHECK(tw_wall_key(w, TW_NAV_ENTER, mono, &applied));
    CHECK(applied);
    CHECK(item_by_id(id) != NULL);
    lr.n = 0;
    tw_store_history_of(f.store, id, on_row, &lr);
    CHECK_EQ_STR(lr.h.action, "reopen");
    CHECK_EQ_STR(lr.h.source, "touch");
    pass(w);

    /* Thirty seconds after the last touch it closes by itself. */
    mono += TW_DETAIL_TIMEOUT_MS - 1;
    pass(w);
    CHECK(tw_wall_detail_id(w) != NULL);
    mono += 1;
    pass(w);
    CHECK(tw_wall_detail_id(w) == NULL);
    pass(w);
    mono += TW_WALL_DIGEST_MIN_MS; /* the changes above: one re-read, then quiet */
    pass(w);
    pass(w);
    mono += TW_WALL_FOCUS_MS;
    pass(w);
    CHECK(idle(w));

    /* A tap outside an open view closes it; a tap on the bare wall does nothing. */
    frame(w);
    CHECK(tw_wall_tap(w, c[0].x + 5, c[0].y + 5, mono, &applied));
    pass(w);
    CHECK(tw_wall_tap(w, 2, 2, mono, &applied));
    CHECK(tw_wall_detail_id(w) == NULL);
    pass(w);
    CHECK(!tw_wall_tap(w, 2, 2, mono, &applied));
}

static void test_keys(tw_wall *w)
{
    bool applied = false;
    frame(w);
    tw_ui_card c[8];
    tw_ui_cards(ui, c, 8);
    /* The first arrow picks the first card; down goes down its column. */
    CHECK(tw_wall_key(w, TW_NAV_DOWN, mono, &applied));
    pass(w);
    CHECK(tw_wall_deadline(w, mono) > 0); /* the focus ring goes by itself */
    CHECK(tw_wall_key(w, TW_NAV_DOWN, mono, &applied));
    pass(w);
    CHECK(tw_wall_key(w, TW_NAV_ENTER, mono, &applied));
    const char *open = tw_wall_detail_id(w);
    CHECK(open != NULL);
    /* The card under the first one (the blockers may have two columns). */
    size_t below = 1;
    for (size_t i = 1; i < 8; i++)
        if (c[i].x == c[0].x && c[i].y > c[0].y) {
            below = i;
            break;
        }
    const tw_item *second = item_by_seq(c[below].seq);
    CHECK(open && second && strcmp(open, second->id) == 0);
    pass(w);
    CHECK(tw_wall_key(w, TW_NAV_BACK, mono, &applied)); /* Back = Close */
    CHECK(tw_wall_detail_id(w) == NULL);
    CHECK(!applied);
    pass(w);

    /* The same through SDL events: a finger on the first card, Escape. */
    int ow, oh;
    tw_ui_size(ui, &ow, &oh);
    SDL_Event ev;
    memset(&ev, 0, sizeof(ev));
    ev.type = SDL_FINGERDOWN;
    ev.tfinger.x = (float)(c[0].x + c[0].w / 2) / (float)ow;
    ev.tfinger.y = (float)(c[0].y + c[0].h / 2) / (float)oh;
    CHECK(tw_wall_event(w, &ev, mono, &applied));
    CHECK(tw_wall_detail_id(w) != NULL);
    pass(w);
    memset(&ev, 0, sizeof(ev));
    ev.type = SDL_KEYDOWN;
    ev.key.keysym.sym = SDLK_ESCAPE;
    CHECK(tw_wall_event(w, &ev, mono, &applied));
    CHECK(tw_wall_detail_id(w) == NULL);
    ev.key.keysym.sym = SDLK_q;
    ev.key.keysym.mod = KMOD_LCTRL;
    CHECK(!tw_wall_event(w, &ev, mono, &applied)); /* Ctrl+Q is the app's */
    ev.type = SDL_MOUSEBUTTONDOWN;
    ev.button.which = SDL_TOUCH_MOUSEID; /* the mouse echo of a touch: ignored */
    CHECK(!tw_wall_event(w, &ev, mono, &applied));
    mono += TW_WALL_FOCUS_MS;
    pass(w);
    pass(w);
    CHECK(idle(w));
}

static void test_animation(tw_wall *w)
{
    /* A new win goes to the top of its column: visible, so it animates. */
    wallfix_post(&f, TW_KIND_WIN, "new-win", "Release 4.2 is out", "Ana", "chat", 0);
    mono += 1000;
    tw_wall_tick(w, mono, tw_now());
    frame(w); /* the board changed: the app renders */
    int64_t due = tw_wall_deadline(w, mono);
    CHECK(due > 0 && due <= mono + 40);
    int frames = 0;
    while ((due = tw_wall_deadline(w, mono)) && frames < 1000) {
        mono = due;
        pass(w);
        frames++;
    }
    printf("new card: %d frames, then idle\n", frames);
    CHECK(frames > 100);
    CHECK(idle(w));
}

static void test_night(void)
{
    tw_config night = cfg;
    tw_strlcpy(night.on, "Mon-Fri 07:30-19:00", sizeof(night.on));
    tw_strlcpy(night.off, "blank", sizeof(night.off));
    int64_t sat;
    tw_time_parse("2026-11-28T12:00:00Z", &sat);
    tw_clock_fix(sat);
    tw_wall_options o = {.cfg = &night, .store = f.store, .board = f.board, .ui = ui};
    tw_wall *w = NULL;
    CHECK_EQ_INT(tw_wall_create(&o, &w), 0);
    if (!w)
        return;
    CHECK_EQ_INT(tw_wall_screen(w), TW_SCREEN_BLANK);
    pass(w);
    tw_ui_stats st;
    tw_ui_get_stats(ui, &st);
    CHECK_EQ_INT(st.cards_drawn, 0);
    /* A tap wakes it for five minutes, then it goes dark again. */
    bool applied;
    CHECK(tw_wall_tap(w, 100, 300, mono, &applied));
    CHECK_EQ_INT(tw_wall_screen(w), TW_SCREEN_ON);
    pass(w);
    tw_ui_get_stats(ui, &st);
    CHECK(st.cards_drawn > 0);
    tw_clock_fix(sat + TW_WALL_WAKE_S);
    pass(w);
    CHECK_EQ_INT(tw_wall_screen(w), TW_SCREEN_BLANK);
    tw_wall_destroy(w);

    /* Dimmed instead: the picture stays, darker. Monday 07:30 it is on. */
    tw_strlcpy(night.off, "dim", sizeof(night.off));
    CHECK_EQ_INT(tw_wall_create(&o, &w), 0);
    CHECK_EQ_INT(tw_wall_screen(w), TW_SCREEN_DIM);
    int64_t mon;
    tw_time_parse("2026-11-30T07:30:00Z", &mon);
    tw_clock_fix(mon);
    tw_wall_minute(w, mon);
    CHECK_EQ_INT(tw_wall_screen(w), TW_SCREEN_ON);
    tw_wall_destroy(w);

    /* A schedule that does not parse is refused. */
    tw_strlcpy(night.on, "Mon-Fri 7-19", sizeof(night.on));
    CHECK_EQ_INT(tw_wall_create(&o, &w), TW_ERR_INVAL);
    CHECK(w == NULL);
    tw_clock_fix(f.now);
}

static void test_state(tw_wall *w)
{
    size_t n;
    const tw_item *items = open_items(f.board, &n);
    char *json =
        tw_codec_state_json_figures("platform", "wall1", f.now, items, n, 200, tw_wall_figures(w));
    CHECK(json && strstr(json, "\"figures\":{\"blocker_clear\":{\"median_s\":"));
    CHECK(json && strstr(json, "\"blockers_per_day\":[{\"day\":\"2026-11-12\""));
    CHECK(json && strstr(json, "\"wins_week\":"));
    free(json);
    json = tw_codec_state_json("platform", "wall1", f.now, items, n, 200);
    CHECK(json && strstr(json, "\"figures\":{}"));
    free(json);
}

/* The loop feeds the wall the board's events: new posts are folded into
 * the figures without walking the history, and the figures then describe
 * the board as it is; any other change walks it again. */
static void on_board_event(void *ctx, const char *event, const tw_item *item, const char *note)
{
    (void)note;
    tw_wall_board_event(ctx, event, item);
}

static void test_folds(tw_wall *w)
{
    tw_board_set_event_handler(f.board, on_board_event, w);
    mono += TW_WALL_DIGEST_MIN_MS + 1;
    pass(w); /* whatever the tests before left to read */
    uint64_t walks = tw_wall_history_walks(w);
    int opened = tw_wall_figures(w)->opened[TW_FIG_DAYS - 1];
    char id[32];
    for (int i = 0; i < 30; i++) {
        tw_command c;
        memset(&c, 0, sizeof(c));
        c.type = TW_CMD_POST;
        c.kind = TW_KIND_BLOCKER;
        snprintf(id, sizeof(id), "fold-%d", i);
        tw_strlcpy(c.id, id, sizeof(c.id));
        tw_strlcpy(c.text, "the staging cluster is down", sizeof(c.text));
        CHECK_EQ_INT(tw_board_apply(f.board, &c, tw_now(), NULL), 0);
        if (i % 10 == 9) {
            mono += TW_WALL_DIGEST_MIN_MS + 1;
            pass(w);
            CHECK_EQ_INT(tw_wall_figures_board_version(w), tw_board_version(f.board));
        }
    }
    CHECK_EQ_INT(tw_wall_history_walks(w), walks); /* no walk for 30 posts */
    CHECK_EQ_INT(tw_wall_figures(w)->opened[TW_FIG_DAYS - 1], opened + 30);
    tw_digest *d = tw_digest_create(); /* what a walk reads now */
    CHECK_EQ_INT(tw_digest_reload(d, f.store, tw_now()), 0);
    CHECK(memcmp(tw_digest_figures(d), tw_wall_figures(w), sizeof(tw_figures)) == 0);
    tw_digest_destroy(d);

    /* A resolve is read back from the history. */
    tw_command c;
    memset(&c, 0, sizeof(c));
    c.type = TW_CMD_RESOLVE;
    tw_strlcpy(c.ref, "fold-0", sizeof(c.ref));
    CHECK_EQ_INT(tw_board_apply(f.board, &c, tw_now(), NULL), 0);
    mono += TW_WALL_DIGEST_MIN_MS + 1;
    pass(w);
    CHECK_EQ_INT(tw_wall_history_walks(w), walks + 1);
    CHECK_EQ_INT(tw_wall_figures_board_version(w), tw_board_version(f.board));
    tw_board_set_event_handler(f.board, NULL, NULL);
}

int main(void)
{
    setenv("TZ", "UTC", 1);
    tzset();
    setenv("SDL_VIDEODRIVER", "offscreen", 1);
    const char *src = getenv("TW_SOURCE_DIR"), *tmp = getenv("TW_TEST_TMP");
    char fonts[4096], path[4096];
    snprintf(fonts, sizeof(fonts), "%s/assets/fonts", src && *src ? src : ".");
    snprintf(path, sizeof(path), "%s/test_wall.db", tmp && *tmp ? tmp : "/tmp");

    int64_t t0;
    tw_time_parse("2026-11-25T10:00:00Z", &t0);
    tw_clock_fix(t0);
    CHECK_EQ_INT(wallfix_open(&f, path, t0), 0);
    wallfix_team(&f, 40);
    CHECK_EQ_INT(f.failures, 0);
    tw_config_defaults(&cfg);
    CHECK(cfg.pixel_shift);
    CHECK_EQ_STR(cfg.theme, "dark");

    tw_ui_options uo = {.width = 1920, .height = 1080, .headless = true, .font_dir = fonts};
    CHECK_EQ_INT(tw_ui_create(&uo, &ui), 0);
    tw_wall_options o = {.cfg = &cfg, .store = f.store, .board = f.board, .ui = ui};
    tw_wall *w = NULL;
    CHECK_EQ_INT(tw_wall_create(&o, &w), 0);
    if (ui && w) {
        CHECK_EQ_INT(tw_wall_screen(w), TW_SCREEN_ON);
        test_touch(w);
        test_keys(w);
        test_animation(w);
        test_state(w);
        test_folds(w);
        test_night();
    }
    CHECK_EQ_INT(tw_wall_create(NULL, &w), TW_ERR_INVAL);
    tw_wall_destroy(w);
    tw_ui_destroy(ui);
    wallfix_close(&f);
    return check_done();
}
