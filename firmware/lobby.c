/* SPDX-License-Identifier: MIT */
/*
 * The lobby's loop: the board's loop (firmware/app.c) with one team per MQTT
 * connection. A single poll() on every team's socket and a signalfd, with a
 * timeout from the nearest deadline; each pass reads a team's socket
 * (every command decoded in one read shares that team's transaction),
 * commits its store, and only then writes its acknowledgements, so what a
 * team's broker session was acknowledged is in that team's store. Teams
 * share nothing but the screen: a team whose store fails is rolled back,
 * its connection dropped and its reading paused (the broker redelivers),
 * while the others go on.
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#define LOG_MODULE "lobby"
#include "lobby.h"

#include <SDL2/SDL.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "board.h"
#include "brokerlink.h"
#include "client.h"
#include "codec.h"
#include "dbwatch.h"
#include "fatal.h"
#include "i18n.h"
#include "log.h"
#include "mainloop.h"
#include "render.h"
#include "store.h"
#include "sync.h"
#include "teamrun.h"
#include "teams.h"
#include "upkeep.h"
#include "util.h"
#include "wall.h"
#include "warnings.h"
#include "watchdog.h"

#define BATCH_MAX_MESSAGES 2000 /* commands sharing one transaction at most */
#define BATCH_MAX_MS       25   /* and at most this long, so the screen keeps up */
#define STATE_INTERVAL_MS  1000 /* each team's retained state at most once a second */
#define INPUT_TICK_MS      50   /* SDL event pump with a window (no fd to poll) */
#define FRAME_GAP_MAX_MS   250  /* frames paced by their cost, never further apart */
#define LOBBY_BANNER_MAX   16   /* warnings merged for the banner at most */

struct lobby;

/* One team: a board of that team, as far as the broker and the store see. */
struct team {
    struct lobby *lobby;
    const char *name; /* borrowed from the config */
    char db[TW_CONFIG_PATH + 48];
    char root[128];
    size_t root_len;
    char t_status[256], t_state[256], t_events[256], t_rejected[256];
    tw_store *store;
    tw_board *board;
    tw_mqtt *mqtt;
    tw_wall *wall; /* the team's figures (its digest); the screen mode of team 0 */
    tw_sync *sync;
    tw_warnings *warnings;
    tw_upkeep *upkeep; /* restore reload, redaction checkpoint, [board] keep */

    bool online;
    int64_t offline_since;
    char offline_reason[64];

    /* the pass's commands, events, commit and storage trouble, and the
     * store's file under us (firmware/teamrun.h) */
    tw_teamrun run;

    uint64_t state_version, state_figures, state_warnings;
    int64_t state_next_ms;
    uint64_t warnings_rendered;
};

struct lobby {
    const tw_config *cfg;
    const tw_app_options *opt;
    struct team teams[TW_TEAMS_MAX];
    int n;
    tw_ui *ui;
    int64_t started;
    bool quit, want_screenshot, view_dirty;
    bool too_many;                    /* more teams than the screen shows: exit status 2 */
    char fatal[TW_WARNING_TEXT_SIZE]; /* a store this build cannot use: the error frame */
    int64_t frame_ok_ms, screenshot_due, minute_due, exit_due;
};

/* ---- publishing ---------------------------------------------------------- */

/* The team's retained state under the lobby's board id, as any board's
 * (firmware/teamrun.h): no stand-up, the lobby follows none. */
static void publish_state(struct team *t)
{
    char *json = tw_teamrun_state_json(&t->run, t->name, t->lobby->cfg->board,
                                       tw_wall_figures(t->wall), NULL);
    tw_teamrun_publish(&t->run, t->t_state, json, 1, true);
    t->state_version = tw_board_version(t->board);
    t->state_figures = tw_wall_figures_version(t->wall);
    t->state_warnings = tw_warnings_version(t->warnings);
    t->state_next_ms = tw_mono_ms() + STATE_INTERVAL_MS;
}

/* Due when the items, figures or warnings changed since the last one, and
 * only once the figures describe the items as they are now. */
static bool state_due(const struct team *t)
{
    uint64_t v = tw_board_version(t->board);
    if (v == t->state_version && tw_warnings_version(t->warnings) == t->state_warnings &&
        tw_wall_figures_version(t->wall) == t->state_figures)
        return false;
    return tw_wall_figures_board_version(t->wall) == v;
}

static void on_board_event(void *ctx, const char *event, const tw_item *item, const char *note)
{
    struct team *t = ctx;
    tw_wall_board_event(t->wall, event, item); /* a post is folded into the figures */
    tw_teamrun_queue_event(&t->run, tw_codec_event_json(event, item, note));
}

static void publish_state_now(void *ctx)
{
    publish_state(ctx);
}

/* ---- MQTT callbacks --------------------------------------------------------- */

static void subscribe_filter(void *ctx, const char *filter)
{
    struct team *t = ctx;
    tw_mqtt_subscribe(t->mqtt, filter, 1);
}

static void on_connect(void *ctx)
{
    struct team *t = ctx;
    /* The team's commands and the team's boards (catch-up). Not its
     * stand-up: the lobby neither follows nor answers it. */
    tw_teamrun_subscribe_commands(&t->run, t->root);
    tw_sync_topics(t->sync, subscribe_filter, t);
    if (!tw_mqtt_priming(t->mqtt))
        tw_sync_connected(t->sync, tw_mqtt_session_present(t->mqtt), tw_mono_ms());
    tw_teamrun_publish(&t->run, t->t_status,
                       tw_codec_status_json("online", TW_VERSION, t->lobby->started), 1, true);
    publish_state(t);
    t->online = true;
    t->offline_reason[0] = '\0';
    t->lobby->view_dirty = true;
}

static void on_disconnect(void *ctx, const char *reason)
{
    struct team *t = ctx;
    if (t->online || !t->offline_since)
        t->offline_since = tw_now();
    t->online = false;
    tw_strlcpy(t->offline_reason, reason, sizeof(t->offline_reason));
    t->lobby->view_dirty = true;
}

static void on_message(void *ctx, const char *topic, const void *payload, size_t len, int qos,
                       bool retained)
{
    struct team *t = ctx;
    (void)qos;
    if (t->run.batch_failed || strncmp(topic, t->root, t->root_len) != 0 ||
        topic[t->root_len] != '/')
        return; /* a failed batch is rolled back and redelivered */
    const char *suffix = topic + t->root_len + 1;
    if (strncmp(suffix, "sync/", 5) == 0 || strncmp(suffix, "board/", 6) == 0) {
        /* Catch-up pages are stored in the batch's transaction, like commands. */
        if (tw_teamrun_begin(&t->run) &&
            tw_sync_message(t->sync, topic, payload, len, retained, tw_mono_ms()) < 0)
            t->run.batch_failed = true;
        return;
    }
    int type = tw_teamrun_command_type(suffix);
    if (type < 0)
        return;
    tw_teamrun_command(&t->run, type, topic, payload, len, retained, 0);
}

/* ---- the screen ------------------------------------------------------------ */

static bool needs_frame(struct lobby *l)
{
    if (l->view_dirty)
        return true;
    for (int i = 0; i < l->n; i++) {
        struct team *t = &l->teams[i];
        if (tw_board_dirty(t->board) || tw_warnings_version(t->warnings) != t->warnings_rendered ||
            tw_wall_needs_frame(t->wall, tw_mono_ms()))
            return true;
    }
    return false;
}

static void render(struct lobby *l)
{
    int64_t started = tw_mono_ms();
    tw_lobby_band bands[TW_TEAMS_MAX];
    tw_warning warnings[LOBBY_BANNER_MAX];
    size_t nw = 0;
    tw_lobby_view lv = {0};
    tw_view *v = &lv.wall;
    v->team = l->cfg->board;
    v->now = tw_now();
    v->online = true;
    for (int i = 0; i < l->n; i++) {
        struct team *t = &l->teams[i];
        tw_view tv = {0};
        tw_wall_view(t->wall, &tv, started);
        if (i == 0) { /* one schedule and shift for the screen: the config's */
            v->screen = tv.screen;
            v->pixel_shift = tv.pixel_shift;
        }
        bands[i] = (tw_lobby_band){.team = t->name, .board = t->board, .figures = tv.figures};
        if (!t->online && v->online) {
            /* The teams share one broker: the first one down speaks. */
            v->online = false;
            v->offline_since = t->offline_since;
            v->offline_reason = t->offline_reason;
        }
        size_t n;
        const tw_warning *w = tw_warnings_list(t->warnings, &n);
        for (size_t j = 0; j < n && nw < LOBBY_BANNER_MAX; j++)
            warnings[nw++] = w[j];
        t->warnings_rendered = tw_warnings_version(t->warnings);
    }
    v->warnings = warnings;
    v->n_warnings = nw;
    lv.bands = bands;
    lv.n_bands = (size_t)l->n;
    tw_ui_render_lobby(l->ui, &lv);
    for (int i = 0; i < l->n; i++) {
        tw_wall_rendered(l->teams[i].wall, tw_mono_ms());
        tw_board_clear_dirty(l->teams[i].board);
    }
    l->view_dirty = false;
    int64_t spent = tw_mono_ms() - started, gap = spent * 3;
    l->frame_ok_ms = started + spent + (gap < FRAME_GAP_MAX_MS ? gap : FRAME_GAP_MAX_MS);
    if (l->cfg->headless && l->cfg->screenshot[0] && !l->screenshot_due)
        l->screenshot_due = tw_mono_ms() + 1000;
}

static void screenshot(struct lobby *l)
{
    tw_mainloop_screenshot(l->ui, l->cfg->screenshot);
}

static void pump_sdl(struct lobby *l)
{
    SDL_Event ev;
    while (SDL_PollEvent(&ev))
        tw_mainloop_window_event(&ev, &l->quit, &l->view_dirty);
}

/* ---- set-up ------------------------------------------------------------------ */

static void sync_publish(void *ctx, const char *topic, const char *payload, size_t len)
{
    struct team *t = ctx;
    tw_mqtt_publish(t->mqtt, topic, payload, len, 1, false, NULL);
}

/* The team's store, model and catch-up; its connection comes later. */
static int open_team(struct lobby *l, struct team *t, const char *name)
{
    const tw_config *cfg = l->cfg;
    t->lobby = l;
    t->name = name;
    snprintf(t->root, sizeof(t->root), "%s/%s", cfg->prefix, name);
    t->root_len = strlen(t->root);
    snprintf(t->t_status, sizeof(t->t_status), "%s/board/%s/status", t->root, cfg->board);
    snprintf(t->t_state, sizeof(t->t_state), "%s/board/%s/state", t->root, cfg->board);
    snprintf(t->t_events, sizeof(t->t_events), "%s/board/%s/events", t->root, cfg->board);
    snprintf(t->t_rejected, sizeof(t->t_rejected), "%s/board/%s/rejected", t->root, cfg->board);
    t->offline_since = l->started;
    tw_strlcpy(t->offline_reason, "connecting", sizeof(t->offline_reason));
    tw_teamrun_start(&t->run);
    t->warnings = tw_warnings_create();
    if (tw_teams_db_path(cfg->db, name, t->db, sizeof(t->db)) || tw_make_parent_dir(t->db)) {
        log_error("team %s: no room for its store beside %s", name, cfg->db);
        return TW_ERR_IO;
    }
    t->run.team = name;
    t->run.db = t->db;
    t->run.warnings = t->warnings;
    int rc = tw_teamrun_open_store(&t->run, name, strcmp(cfg->sync, "full") == 0, l->fatal,
                                   sizeof(l->fatal));
    if (rc)
        return rc;
    t->store = t->run.store;
    if ((rc = tw_board_create(t->store, &t->board)) != 0)
        return rc;
    tw_upkeep_options ko = {t->store, t->board, NULL, cfg->keep};
    if ((rc = tw_upkeep_create(&ko, tw_mono_ms(), &t->upkeep)) != 0)
        return rc;
    tw_board_set_name(t->board, cfg->board);
    tw_board_set_event_handler(t->board, on_board_event, t);
    tw_sync_options sy = {.store = t->store,
                          .board = t->board,
                          .root = t->root,
                          .self = cfg->board,
                          .pace_ms = cfg->sync_pace_ms,
                          .page_items = (size_t)cfg->sync_page_items,
                          .catch_up = cfg->sync_catch_up && !tw_clock_fixed(),
                          .publish = sync_publish,
                          .ctx = t};
    return tw_sync_create(&sy, &t->sync);
}

/* The team's own connection, as board <id> of the team. */
static int connect_team(struct lobby *l, struct team *t)
{
    tw_mqtt_handlers h = {t, on_connect, on_disconnect, on_message, NULL};
    int rc = tw_brokerlink_start(l->cfg, t->name, t->t_status, &h, &t->mqtt);
    if (rc)
        return rc;
    t->run.owner = "lobby";
    t->run.board = t->board;
    t->run.mqtt = t->mqtt;
    t->run.t_events = t->t_events;
    t->run.t_rejected = t->t_rejected;
    t->run.max_payload = l->cfg->max_payload;
    t->run.ctx = t;
    t->run.publish_state = publish_state_now;
    return 0;
}

static int setup(struct lobby *l)
{
    const tw_config *cfg = l->cfg;
    if (tw_i18n_use_config(cfg->language))
        return TW_ERR_INVAL;
    if (cfg->ha_enabled)
        log_warn("[homeassistant] is a team's wall's: the lobby announces nothing");
    if (cfg->standup_at[0])
        log_warn("[standup] at is a team's wall's: the lobby runs no stand-up");
    l->started = tw_now();
    l->n = cfg->n_teams;
    tw_ui_options uo;
    tw_mainloop_ui_options(cfg, l->opt->font_dir, &uo);
    int rc = tw_ui_create(&uo, &l->ui);
    if (rc)
        return rc;
    /* As many teams as the screen shows legibly (two rows of compact cards
     * in every section while no warning takes a row), or none. */
    int cap = tw_ui_lobby_capacity(l->ui, 0, TW_TEAMS_MAX), w, h;
    tw_ui_size(l->ui, &w, &h);
    if (cap == 0) {
        log_error("a %dx%d screen is too narrow for a lobby (three sections a team, each a "
                  "column of compact cards wide): turn it to landscape (docs/LOBBY.md)",
                  w, h);
        l->too_many = true;
        return TW_ERR_INVAL;
    }
    if (l->n > cap) {
        log_error("[board] teams lists %d teams; a %dx%d screen shows at most %d legibly "
                  "(docs/LOBBY.md): list fewer, or use a second lobby",
                  l->n, w, h, cap);
        l->too_many = true;
        return TW_ERR_INVAL;
    }
    /* The screen first: a list it cannot show creates no store. */
    for (int i = 0; i < l->n; i++)
        if ((rc = open_team(l, &l->teams[i], cfg->team_list[i])) != 0)
            return rc;
    for (int i = 0; i < l->n; i++) {
        struct team *t = &l->teams[i];
        tw_wall_options wo = {.cfg = cfg, .store = t->store, .board = t->board, .ui = l->ui};
        if ((rc = tw_wall_create(&wo, &t->wall)) != 0)
            return rc;
    }
    for (int i = 0; i < l->n; i++)
        if ((rc = connect_team(l, &l->teams[i])) != 0)
            return rc;
    log_info("lobby %s: %d teams (%s), at most %d on this %dx%d screen", cfg->board, l->n,
             cfg->teams, cap, w, h);
    return 0;
}

/* The deferred integrity check of every team's store, once the first
 * frame is up and before anything is read from the broker. */
static int verify_stores(struct lobby *l)
{
    for (int i = 0; i < l->n; i++) {
        struct team *t = &l->teams[i];
        bool recovered;
        int rc = tw_teamrun_verify_store(&t->run, &recovered);
        if (rc)
            return rc;
        if (recovered)
            l->view_dirty = true;
    }
    return 0;
}

int tw_lobby_run(const tw_config *cfg, const tw_app_options *opt)
{
    struct lobby l_ = {0}, *l = &l_;
    l->cfg = cfg;
    l->opt = opt;
    int status = 1;
    int sigfd = tw_mainloop_signals_open();
    tw_watchdog_init();
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    if (sigfd < 0)
        goto out;
    if (setup(l) != 0) {
        if (l->too_many)
            status = 2;
        if (l->fatal[0]) {
            /* A store this build cannot use: on the wall, as a board does
             * (firmware/fatal.h), on a screen of its own. */
            tw_ui_destroy(l->ui);
            l->ui = NULL;
            tw_fatal_screen(cfg, opt->font_dir, opt->exit_after_ms, l->fatal, sigfd);
        }
        goto out;
    }
    if (opt->exit_after_ms)
        l->exit_due = tw_mono_ms() + opt->exit_after_ms;
    l->minute_due = tw_mainloop_next_minute_ms();
    render(l);
    if (verify_stores(l))
        goto out;
    tw_watchdog_ready();
    bool windowed = !cfg->headless;

    while (!l->quit) {
        int64_t now = tw_mono_ms();
        int64_t due = now + 60000;
        struct pollfd fds[1 + TW_TEAMS_MAX];
        fds[0] = (struct pollfd){sigfd, POLLIN, 0};
        bool reading[TW_TEAMS_MAX];
        for (int i = 0; i < l->n; i++) {
            struct team *t = &l->teams[i];
            due = tw_mainloop_earliest(due, tw_mqtt_next_deadline(t->mqtt));
            due = tw_mainloop_earliest(due, tw_sync_deadline(t->sync));
            due = tw_mainloop_earliest(due, tw_wall_deadline(t->wall, now));
            due = tw_mainloop_earliest(due, t->run.dbwatch_due);
            due = tw_mainloop_earliest(due, tw_upkeep_deadline(t->upkeep));
            int64_t expiry = tw_warnings_next_expiry(t->warnings);
            if (expiry)
                due = tw_mainloop_earliest(due, now + (expiry - tw_now()) * 1000);
            reading[i] = t->run.read_paused_until <= now;
            if (!reading[i])
                due = tw_mainloop_earliest(due, t->run.read_paused_until);
            if (state_due(t) && tw_mqtt_connected(t->mqtt))
                due = tw_mainloop_earliest(due, t->state_next_ms > now ? t->state_next_ms : now);
            int fd = tw_mqtt_fd(t->mqtt);
            fds[1 + i] = (struct pollfd){fd, 0, 0};
            if (fd >= 0)
                fds[1 + i].events = (short)((reading[i] ? POLLIN : 0) |
                                            (tw_mqtt_want_write(t->mqtt) ? POLLOUT : 0));
        }
        due = tw_mainloop_earliest(due, l->minute_due);
        due = tw_mainloop_earliest(due, l->exit_due);
        due = tw_mainloop_earliest(due, l->screenshot_due);
        due = tw_mainloop_earliest(due, tw_watchdog_deadline());
        if (windowed)
            due = tw_mainloop_earliest(due, now + INPUT_TICK_MS);
        if (needs_frame(l))
            due = tw_mainloop_earliest(due, l->frame_ok_ms > now ? l->frame_ok_ms : now);
        int timeout = due > now ? (int)(due - now) : 0;
        int n = poll(fds, (nfds_t)(1 + l->n), timeout);
        if (n < 0 && errno != EINTR) {
            log_error("poll: %s", strerror(errno));
            break;
        }
        if (fds[0].revents & POLLIN)
            tw_mainloop_signals_read(sigfd, &l->quit, &l->want_screenshot);
        for (int i = 0; i < l->n; i++) {
            struct team *t = &l->teams[i];
            if (fds[1 + i].fd >= 0 && reading[i] &&
                (fds[1 + i].revents & (POLLIN | POLLERR | POLLHUP))) {
                int64_t start = tw_mono_ms();
                int reads = 0;
                while (tw_mqtt_read(t->mqtt) && !t->run.batch_failed &&
                       ++reads < BATCH_MAX_MESSAGES && tw_mono_ms() - start < BATCH_MAX_MS)
                    ;
                tw_teamrun_finish_batch(&t->run);
            }
            /* Only now, after the commit, do the acknowledgements leave. */
            if (tw_mqtt_fd(t->mqtt) >= 0 && tw_mqtt_want_write(t->mqtt))
                tw_mqtt_write(t->mqtt);
        }
        now = tw_mono_ms();
        for (int i = 0; i < l->n; i++) {
            struct team *t = &l->teams[i];
            if (now >= tw_mqtt_next_deadline(t->mqtt))
                tw_mqtt_tick(t->mqtt);
            if (tw_sync_deadline(t->sync) && now >= tw_sync_deadline(t->sync))
                tw_sync_tick(t->sync, now);
            tw_wall_tick(t->wall, tw_mono_ms(), tw_now());
            if (tw_mqtt_connected(t->mqtt) && now >= t->state_next_ms && state_due(t))
                publish_state(t);
            if (tw_upkeep_tick(t->upkeep, now, tw_now()))
                l->view_dirty = true;
            if (now >= t->run.dbwatch_due)
                tw_teamrun_db_tick(&t->run);
            int64_t expiry = tw_warnings_next_expiry(t->warnings);
            if (expiry && tw_now() >= expiry)
                tw_warnings_expire(t->warnings, tw_now());
        }
        if (now >= l->minute_due) {
            l->minute_due = tw_mainloop_next_minute_ms();
            l->view_dirty = true;
            for (int i = 0; i < l->n; i++)
                tw_wall_minute(l->teams[i].wall, tw_now());
        }
        tw_watchdog_kick();
        pump_sdl(l);
        if (needs_frame(l) && tw_mono_ms() >= l->frame_ok_ms)
            render(l);
        if (l->screenshot_due && now >= l->screenshot_due) {
            l->screenshot_due = 0;
            screenshot(l);
        }
        if (l->want_screenshot) {
            l->want_screenshot = false;
            screenshot(l);
        }
        if (l->exit_due && now >= l->exit_due)
            l->quit = true;
    }
    status = 0;
    screenshot(l);
    for (int i = 0; i < l->n; i++) {
        struct team *t = &l->teams[i];
        if (tw_mqtt_connected(t->mqtt)) /* a clean stop suppresses the will */
            tw_teamrun_publish(&t->run, t->t_status, tw_codec_status_json("offline", TW_VERSION, 0),
                               1, true);
    }
out:
    for (int i = 0; i < l->n; i++) {
        struct team *t = &l->teams[i];
        tw_mqtt_destroy(t->mqtt, 1000);
        tw_wall_destroy(t->wall);
        tw_sync_destroy(t->sync);
        tw_upkeep_destroy(t->upkeep);
        tw_board_destroy(t->board);
        tw_store_close(t->store);
        tw_teamrun_destroy(&t->run, status == 0);
        tw_warnings_destroy(t->warnings);
    }
    tw_ui_destroy(l->ui);
    if (sigfd >= 0)
        close(sigfd);
    return status;
}
