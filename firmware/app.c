/* SPDX-License-Identifier: MIT */
/*
 * The board program's one main loop (redis ae.c, foot fdm.c): a single poll()
 * on the MQTT socket and a signalfd, with a timeout from the nearest deadline
 * (keepalive or reconnect, retained-state throttle, clock minute, input tick,
 * watchdog, --exit-after, a running stand-up's next second). Each pass: read
 * MQTT (every command decoded in one read shares one transaction), commit,
 * then write (the QoS 1 acks leave only now), publish what changed, pump SDL,
 * and render at most once if anything the screen shows has changed. Idle
 * means asleep in poll().
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#define LOG_MODULE "app"
#include "app.h"

#include <SDL2/SDL.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "board.h"
#include "brokerlink.h"
#include "buttons.h"
#include "client.h"
#include "codec.h"
#include "dbwatch.h"
#include "fatal.h"
#include "homeassistant.h"
#include "i18n.h"
#include "input.h"
#include "heap.h"
#include "log.h"
#include "mainloop.h"
#include "meeting.h"
#include "render.h"
#include "teamrun.h"
#include "text.h"
#include "store.h"
#include "sync.h"
#include "trace.h"
#include "util.h"
#include "wall.h"
#include "warnings.h"
#include "upkeep.h"
#include "watchdog.h"

#define BATCH_MAX_MESSAGES 2000 /* commands sharing one transaction at most */
#define BATCH_MAX_MS       25   /* and at most this long, so the screen keeps up */
#define STATE_INTERVAL_MS  1000 /* retained state at most once a second */
#define INPUT_TICK_MS      50   /* SDL event pump with a window (no fd to poll) */
#define FRAME_SHARE        4    /* frames take at most 1/4 of a busy loop's time... */
#define FRAME_GAP_MAX_MS   250  /* ...but the screen never lags more than this */
#define FLOOD_COMMANDS     20   /* more commands than this in one frame is a flood: */
#define FLOOD_GAP_MS       500  /* then at most 2 frames a second */

struct app {
    const tw_config *cfg;
    const tw_app_options *opt;
    tw_store *store;
    tw_board *board;
    tw_mqtt *mqtt;
    tw_ui *ui;
    tw_warnings *warnings;
    uint64_t warnings_rendered; /* warnings version on screen */
    tw_buttons *buttons;        /* desk buttons (firmware/buttons.c) */
    tw_wall *wall;              /* figures, schedule, animation, detail view (ui/wall.c) */
    tw_trace *trace;            /* --trace: per-command timings; NULL when off */
    size_t traced_composed;     /* composed bytes last marked in the trace */
    size_t traced_cache;        /* SQLite page cache bytes last marked */
    size_t traced_text;         /* text cache texture bytes last marked */
    tw_sync *sync;              /* catch-up from the team's other boards (firmware/sync.c) */
    tw_meeting *meeting;        /* the stand-up (firmware/meeting.c) */
    uint64_t standup_published, standup_rendered; /* meeting versions published, shown */
    tw_item su_item;                              /* the item the stand-up shows */
    tw_history_entry su_history[TW_STANDUP_VIEW_HISTORY];
    size_t n_su_history;
    tw_upkeep *upkeep; /* restore reload, redaction checkpoint, [board] keep */

    char root[128];
    size_t root_len;
    char t_status[256], t_state[256], t_events[256], t_rejected[256], t_standup[256];
    char t_ha_status[128]; /* Home Assistant's birth topic; "" when discovery is off */

    /* connection, as the header shows it */
    bool online;
    int64_t offline_since; /* wall clock */
    char offline_reason[64];
    int64_t started; /* wall clock */

    bool view_dirty;        /* something besides the items changed (connection, minute) */
    int64_t frame_ok_ms;    /* frame pacing: no frame before this (monotonic ms) */
    long commands_in_frame; /* commands committed since the last frame */
    uint64_t state_published_version;
    uint64_t state_published_figures;  /* digest version of the figures in it */
    uint64_t state_published_warnings; /* warnings version in the retained state */
    bool state_published_once;
    int64_t state_next_ms;

    /* the pass's commands, events, commit and storage trouble; the file under
     * the store (firmware/teamrun.h) */
    tw_teamrun run;
    char fatal[TW_WARNING_TEXT_SIZE]; /* start-up failed: what the error frame says */

    bool quit;
    bool want_screenshot;
    int64_t screenshot_due; /* headless: refresh the PNG after changes, coalesced */
    int64_t minute_due;
    int64_t exit_due;
    long crash_after; /* TW_TEST_CRASH_AFTER: die inside the Nth message callback */
    long messages;
};

/* ---- publishing ---------------------------------------------------------- */

static void publish_state(struct app *a)
{
    char *json = tw_teamrun_state_json(&a->run, a->cfg->team, a->cfg->board,
                                       tw_wall_figures(a->wall), tw_meeting_state(a->meeting));
    tw_teamrun_publish(&a->run, a->t_state, json, 1, true);
    a->state_published_version = tw_board_version(a->board);
    a->state_published_figures = tw_wall_figures_version(a->wall);
    a->state_published_warnings = tw_warnings_version(a->warnings);
    a->standup_published = tw_meeting_version(a->meeting);
    a->state_published_once = true;
    a->state_next_ms = tw_mono_ms() + STATE_INTERVAL_MS;
}

/* The state is due when the items or the figures changed since it was
 * published, and only once the figures describe the board as it is now:
 * items and figures of one state are of the same moment. */
static bool state_stale(const struct app *a);
static bool state_due(const struct app *a)
{
    uint64_t v = tw_board_version(a->board);
    if (!state_stale(a) && tw_wall_figures_version(a->wall) == a->state_published_figures)
        return false;
    return tw_wall_figures_board_version(a->wall) == v;
}

/* ---- the board's events: published once their transaction committed ------ */

/* An event's JSON (owned) waits for its transaction's commit. */
static void queue_event(void *ctx, char *json)
{
    struct app *a = ctx;
    tw_teamrun_queue_event(&a->run, json);
}

static void on_board_event(void *ctx, const char *event, const tw_item *item, const char *note)
{
    struct app *a = ctx;
    tw_wall_board_event(a->wall, event, item); /* a post is folded into the figures */
    queue_event(ctx, tw_codec_event_json(event, item, note));
}

/* The retained state is due: the board, the stand-up or the banner's
 * warnings changed since it was last published. */
static bool state_stale(const struct app *a)
{
    return tw_board_version(a->board) != a->state_published_version ||
           tw_meeting_version(a->meeting) != a->standup_published ||
           tw_warnings_version(a->warnings) != a->state_published_warnings;
}

/* Home Assistant discovery (mqtt/homeassistant.c): retained, so Home
 * Assistant finds the sensors whenever it starts; sent again when it says
 * it is back (its retained copies may have been cleared). */
static void announce_to_home_assistant(struct app *a)
{
    tw_ha_config c[TW_HA_SENSORS];
    tw_ha_discovery(a->cfg->ha_prefix, a->root, a->cfg->team, a->cfg->board, TW_VERSION, c);
    for (int i = 0; i < TW_HA_SENSORS; i++)
        tw_mqtt_publish(a->mqtt, c[i].topic, c[i].payload, strlen(c[i].payload), 1, true, NULL);
    tw_ha_free(c);
}

/* ---- MQTT callbacks --------------------------------------------------------- */

static void finish_batch(struct app *a);

static void subscribe_filter(void *ctx, const char *filter)
{
    struct app *a = ctx;
    tw_mqtt_subscribe(a->mqtt, filter, 1);
}

static void on_connect(void *ctx)
{
    struct app *a = ctx;
    tw_teamrun_subscribe_commands(&a->run, a->root);
    tw_mqtt_subscribe(a->mqtt, a->t_standup, 1);
    tw_buttons_topics(a->buttons, subscribe_filter, a);
    tw_sync_topics(a->sync, subscribe_filter, a);
    if (!tw_mqtt_priming(a->mqtt))
        tw_sync_connected(a->sync, tw_mqtt_session_present(a->mqtt), tw_mono_ms());
    tw_teamrun_publish(&a->run, a->t_status, tw_codec_status_json("online", TW_VERSION, a->started),
                       1, true);
    publish_state(a);
    if (a->t_ha_status[0]) {
        tw_mqtt_subscribe(a->mqtt, a->t_ha_status, 1);
        announce_to_home_assistant(a);
    }
    a->online = true;
    a->offline_reason[0] = '\0';
    a->view_dirty = true;
    size_t n = tw_board_count(a->board, TW_KIND_COUNT);
    char status[128];
    snprintf(status, sizeof(status), "live: connected to the broker, %zu open items", n);
    tw_watchdog_status(status);
}

static void on_disconnect(void *ctx, const char *reason)
{
    struct app *a = ctx;
    if (a->online || !a->offline_since)
        a->offline_since = tw_now();
    a->online = false;
    tw_strlcpy(a->offline_reason, reason, sizeof(a->offline_reason));
    a->view_dirty = true;
    char status[160];
    snprintf(status, sizeof(status), "offline (%s): showing the last state; posts wait", reason);
    tw_watchdog_status(status);
}

/* The commands the buttons' presses made, through the one door, in the
 * transaction that recorded the presses. */
static void apply_button_commands(struct app *a)
{
    tw_command cmd;
    while (!a->run.batch_failed && tw_buttons_next_command(a->buttons, &cmd)) {
        tw_board_result res;
        int rc = tw_board_apply(a->board, &cmd, tw_now(), &res);
        if (rc == TW_ERR_INVAL || rc == TW_ERR_NOTFOUND || rc == TW_ERR_AMBIGUOUS) {
            log_warn("button press by %s: %s refused: %s", cmd.author, tw_cmd_name(cmd.type),
                     res.reason);
        } else if (rc) {
            log_error("storing a button press failed: %s (%s)", tw_strerror(rc), res.reason);
            a->run.batch_failed = true;
        }
    }
}

static bool is_command_topic(const struct app *a, const char *topic)
{
    if (strncmp(topic, a->root, a->root_len) != 0 || topic[a->root_len] != '/')
        return false;
    return tw_teamrun_command_type(topic + a->root_len + 1) >= 0;
}

/* A desk button's message (any topic but the commands'): handled in the
 * batch's transaction like a command, so a press is stored before the
 * broker gets its acknowledgement. True if the topic was a button's. */
static bool button_message(struct app *a, const char *topic, const void *payload, size_t len,
                           bool retained)
{
    if (!a->buttons || is_command_topic(a, topic) || strcmp(topic, a->t_standup) == 0)
        return false;
    if (!tw_store_in_transaction(a->store) && tw_store_begin(a->store)) {
        a->run.batch_failed = true;
        return true;
    }
    char reason[160];
    int rc = tw_buttons_message(a->buttons, topic, payload, len, retained, tw_mono_ms(), tw_now(),
                                reason, sizeof(reason));
    if (rc < 0) {
        log_error("storing button message %s failed: %s", topic, tw_strerror(rc));
        a->run.batch_failed = true;
        return true;
    }
    if (reason[0])
        tw_teamrun_reject(&a->run, topic, reason, payload, len);
    apply_button_commands(a);
    if (rc > 0)
        a->run.batch_commands++;
    return rc > 0;
}

/* ---- the stand-up (firmware/meeting.c) -------------------------------------- */

/* A stand-up command, in the open transaction or one of its own. */
static int standup_apply(struct app *a, const tw_standup_cmd *cmd, char *reason, size_t size)
{
    bool own = !tw_store_in_transaction(a->store);
    if (own && tw_store_begin(a->store)) {
        a->run.batch_failed = true;
        finish_batch(a);
        return TW_ERR_DB;
    }
    uint64_t shown = tw_meeting_screen_version(a->meeting);
    int rc = tw_meeting_command(a->meeting, cmd, tw_now(), reason, size);
    if (rc && rc != TW_ERR_INVAL) {
        log_error("storing the stand-up failed: %s", tw_strerror(rc));
        a->run.batch_failed = true;
    }
    /* The team waits for the next item (P10): its frame is not paced
     * behind the last one, as a flood's are. */
    if (rc == 0 && tw_meeting_screen_version(a->meeting) != shown)
        a->frame_ok_ms = 0;
    if (own)
        finish_batch(a);
    return rc;
}

/*
 * A stand-up command made on this board (key, touch, button): applied here
 * at once, then sent on <root>/standup with this board's name, so the
 * team's other boards follow and this one skips its own. It carries the
 * position seen ("at"), so a second press that crossed the first in flight
 * changes nothing.
 */
static bool local_standup(struct app *a, tw_standup_action action, const char *source,
                          const char *by)
{
    const tw_standup *su = tw_meeting_state(a->meeting);
    if (action == TW_SU_RESOLVE && !tw_standup_current(su))
        return false;
    tw_standup_cmd cmd;
    memset(&cmd, 0, sizeof(cmd));
    cmd.action = action;
    cmd.at = action == TW_SU_START ? 0 : su->position;
    cmd.ts = action == TW_SU_START ? tw_now() : 0;
    tw_strlcpy(cmd.source, source, sizeof(cmd.source));
    tw_strlcpy(cmd.by, by ? by : "", sizeof(cmd.by));
    char reason[160];
    int rc = standup_apply(a, &cmd, reason, sizeof(reason));
    if (rc == TW_ERR_INVAL)
        log_info("stand-up %s from %s: %s", tw_standup_action_name(action), source, reason);
    if (rc == 0 && tw_mqtt_connected(a->mqtt))
        tw_teamrun_publish(&a->run, a->t_standup, tw_codec_encode_standup(&cmd, a->cfg->board), 1,
                           false);
    return true;
}

/* The buttons' stand-up actions (firmware/buttons.c). */
static bool button_standup(void *ctx, const char *action, const char *by)
{
    struct app *a = ctx;
    int act = tw_standup_action_parse(action);
    if (act < 0 || (act == TW_SU_RESOLVE && !tw_meeting_running(a->meeting)))
        return false;
    return local_standup(a, (tw_standup_action)act, "button", by);
}

static void standup_message(struct app *a, const char *topic, const void *payload, size_t len,
                            bool retained, int64_t received_us)
{
    char reason[200], board[128];
    tw_standup_cmd cmd;
    if (retained) {
        tw_teamrun_reject(&a->run, topic, "retained command messages are rejected", payload, len);
        return;
    }
    if (len > (size_t)a->cfg->max_payload) {
        snprintf(reason, sizeof(reason), "payload too large (%zu bytes, max %d)", len,
                 a->cfg->max_payload);
        tw_teamrun_reject(&a->run, topic, reason, payload, len);
        return;
    }
    if (tw_codec_decode_standup(payload, len, &cmd, board, sizeof(board), reason, sizeof(reason))) {
        tw_teamrun_reject(&a->run, topic, reason, payload, len);
        return;
    }
    if (strcmp(board, a->cfg->board) == 0)
        return; /* ours: applied when it was made */
    if (!cmd.source[0])
        tw_strlcpy(cmd.source, "mqtt", sizeof(cmd.source));
    int before = tw_meeting_state(a->meeting)->position;
    int rc = standup_apply(a, &cmd, reason, sizeof(reason));
    if (rc == TW_ERR_INVAL)
        tw_teamrun_reject(&a->run, topic, reason, payload, len);
    const tw_standup *su = tw_meeting_state(a->meeting);
    if (rc == 0 && a->trace && su->position != before) {
        /* --trace (bench/standup, P10): the item shown, by its position. */
        char id[48];
        snprintf(id, sizeof(id), "standup-%d", su->position);
        tw_trace_received(a->trace, id, received_us);
    }
    a->run.batch_commands++;
}

/* The stand-up's clock: timers each second, the summary's minute, and the
 * schedule's start. */
static void run_standup(struct app *a)
{
    int64_t now = tw_now(), ts;
    tw_meeting_tick(a->meeting, now);
    if (a->run.read_paused_until <= tw_mono_ms() && tw_meeting_scheduled(a->meeting, now, &ts)) {
        tw_standup_cmd cmd;
        memset(&cmd, 0, sizeof(cmd));
        cmd.action = TW_SU_START;
        cmd.ts = ts;
        tw_strlcpy(cmd.by, "schedule", sizeof(cmd.by));
        tw_strlcpy(cmd.source, "schedule", sizeof(cmd.source));
        char reason[160];
        standup_apply(a, &cmd, reason, sizeof(reason));
    }
}

/* Monotonic ms of the stand-up's next tick (on the wall clock's second). */
static int64_t standup_deadline_ms(const struct app *a)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    int64_t due = tw_meeting_deadline(a->meeting, (int64_t)ts.tv_sec);
    if (!due)
        return 0;
    int64_t wall_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    int64_t left = due * 1000 - wall_ms;
    return tw_mono_ms() + (left > 0 ? left : 0);
}

static void on_message(void *ctx, const char *topic, const void *payload, size_t len, int qos,
                       bool retained)
{
    struct app *a = ctx;
    (void)qos;
    int64_t received_us = a->trace ? tw_trace_clock_us() : 0;
    if (strncmp(topic, a->root, a->root_len) == 0 &&
        (strncmp(topic + a->root_len, "/sync/", 6) == 0 ||
         strncmp(topic + a->root_len, "/board/", 7) == 0)) {
        /* The team's boards and catch-up (firmware/sync.c). Pages are
         * applied in the batch's transaction, like commands: acknowledged
         * only once stored. */
        if (a->run.batch_failed)
            return;
        if (!tw_store_in_transaction(a->store) && tw_store_begin(a->store)) {
            a->run.batch_failed = true;
            return;
        }
        if (tw_sync_message(a->sync, topic, payload, len, retained, tw_mono_ms()) < 0)
            a->run.batch_failed = true;
        return;
    }
    a->messages++;
    if (a->crash_after && a->messages >= a->crash_after) {
        /* Test hook: die the hardest way inside the callback, before the
         * commit, to prove the broker redelivers what was never acked. */
        log_warn("TW_TEST_CRASH_AFTER reached in the message callback: killing myself");
        raise(SIGKILL);
    }
    if (a->run.batch_failed)
        return; /* the batch will be rolled back and redelivered */
    if (a->t_ha_status[0] && strcmp(topic, a->t_ha_status) == 0) {
        if (len == 6 && memcmp(payload, "online", 6) == 0 && !retained)
            announce_to_home_assistant(a);
        return;
    }
    if (button_message(a, topic, payload, len, retained))
        return;
    if (strcmp(topic, a->t_standup) == 0) {
        standup_message(a, topic, payload, len, retained, received_us);
        return;
    }
    if (strncmp(topic, a->root, a->root_len) != 0 || topic[a->root_len] != '/')
        return;
    const char *suffix = topic + a->root_len + 1;
    int type = tw_teamrun_command_type(suffix);
    if (type < 0)
        return;
    tw_teamrun_command(&a->run, type, topic, payload, len, retained, received_us);
}

/* ---- the pass's commit (firmware/teamrun.c) ----------------------------------- */

/* Commit what this pass read (firmware/teamrun.h: on failure nothing read
 * is acknowledged); committed commands count towards the frame's flood. */
static void finish_batch(struct app *a)
{
    int commands = a->run.batch_commands;
    if (tw_teamrun_finish_batch(&a->run) == 0)
        a->commands_in_frame += commands;
}

/* The model was reread (a failed commit rolled back, or a replaced file
 * adopted): so are the buttons, and after a rollback the stand-up. */
static void on_reloaded(void *ctx, bool rolled_back)
{
    struct app *a = ctx;
    tw_buttons_reload(a->buttons, tw_now());
    if (rolled_back)
        tw_meeting_reload(a->meeting, tw_now());
}

static void publish_state_now(void *ctx)
{
    publish_state(ctx);
}

/* ---- screen ----------------------------------------------------------------- */

/* Something the screen shows changed since the last frame. */
static bool needs_frame(struct app *a)
{
    return a->view_dirty || tw_board_dirty(a->board) ||
           tw_meeting_screen_version(a->meeting) != a->standup_rendered ||
           tw_warnings_version(a->warnings) != a->warnings_rendered ||
           tw_wall_needs_frame(a->wall, tw_mono_ms());
}

/* The last steps of the shown item's history, oldest first. */
static int keep_history(void *ctx, const tw_history_entry *h, const tw_item *item)
{
    struct app *a = ctx;
    (void)item;
    if (a->n_su_history == TW_STANDUP_VIEW_HISTORY) {
        memmove(&a->su_history[0], &a->su_history[1],
                (TW_STANDUP_VIEW_HISTORY - 1) * sizeof(a->su_history[0]));
        a->n_su_history--;
    }
    a->su_history[a->n_su_history++] = *h;
    return 0;
}

/* What the stand-up's screen shows, when one runs. */
static bool standup_view(struct app *a, tw_standup_view *sv)
{
    if (!tw_meeting_running(a->meeting))
        return false;
    memset(sv, 0, sizeof(*sv));
    sv->su = tw_meeting_state(a->meeting);
    sv->item_seconds = tw_meeting_item_seconds(a->meeting);
    sv->meeting_minutes = tw_meeting_minutes(a->meeting);
    a->n_su_history = 0;
    if (tw_meeting_item(a->meeting, &a->su_item)) {
        sv->item = &a->su_item;
        tw_store_history_of(a->store, a->su_item.id, keep_history, a);
        sv->history = a->su_history;
        sv->n_history = a->n_su_history;
    }
    return true;
}

/* Frame pacing: the next frame may start once FRAME_SHARE - 1 times this
 * frame's duration has passed. A frame costs more with more open items
 * (software rendering, the model copied for screenshots), so under a flood
 * of posts unpaced frames, one per pass, took most of the loop's time and the
 * ingest rate fell as the board grew (3,500 posts/s at 100,000 open items).
 * Paced, a quick frame (a few ms) follows at once and a slow one makes the
 * screen skip frames instead of slowing the commits and acks.
 * A frame that showed more than FLOOD_COMMANDS new commands means a flood
 * (a script, a chat export, a burst the broker queued while we were off):
 * nobody reads cards arriving that fast, so the next frame waits
 * FLOOD_GAP_MS and the time goes to the commits and acks (P2 ingest: a fifth
 * of the board's CPU went to frames). One post at a time, the screen still
 * follows at once (P1). */
/* --trace (bench/reliability, R6): "mark composed-<bytes>" whenever the
 * bytes the composed regions hold change, "mark textcache-<bytes>" for the
 * text cache's textures and "mark sqlcache-<bytes>" for SQLite's page cache,
 * so a bench can tell what the screen and the store held at the moment it
 * read the resident set. */
static void trace_composed(struct app *a)
{
    if (!a->trace)
        return;
    tw_ui_stats st;
    tw_ui_get_stats(a->ui, &st);
    char what[48];
    if (st.composed_bytes != a->traced_composed) {
        a->traced_composed = st.composed_bytes;
        snprintf(what, sizeof(what), "composed-%zu", st.composed_bytes);
        tw_trace_mark(a->trace, what);
    }
    if (st.text_bytes != a->traced_text) {
        a->traced_text = st.text_bytes;
        snprintf(what, sizeof(what), "textcache-%zu", st.text_bytes);
        tw_trace_mark(a->trace, what);
    }
    size_t cache = tw_store_cache_bytes(a->store);
    if (cache != a->traced_cache) {
        a->traced_cache = cache;
        snprintf(what, sizeof(what), "sqlcache-%zu", cache);
        tw_trace_mark(a->trace, what);
    }
}

/* The loop went quiet (firmware/heap.c): the screen's composed cards go,
 * the texts the last frame did not show, and what the commands left in
 * SQLite's page cache. */
static void on_quiet(void *ctx)
{
    struct app *a = ctx;
    tw_ui_release(a->ui);
    tw_store_release_cache(a->store);
    trace_composed(a);
}

static void render(struct app *a)
{
    int64_t started = tw_mono_ms();
    tw_view view = {0};
    view.team = a->cfg->team;
    view.now = tw_now();
    view.online = a->online;
    view.offline_since = a->offline_since;
    view.offline_reason = a->offline_reason;
    view.board = a->board;
    view.warnings = tw_warnings_list(a->warnings, &view.n_warnings);
    a->warnings_rendered = tw_warnings_version(a->warnings);
    tw_wall_view(a->wall, &view, started);
    tw_standup_view sv;
    if (standup_view(a, &sv))
        view.standup = &sv;
    a->standup_rendered = tw_meeting_screen_version(a->meeting);
    tw_ui_render(a->ui, &view);
    tw_wall_rendered(a->wall, tw_mono_ms());
    tw_trace_presented(a->trace);
    trace_composed(a);
    tw_board_clear_dirty(a->board);
    a->view_dirty = false;
    int64_t spent = tw_mono_ms() - started;
    int64_t gap = spent * (FRAME_SHARE - 1);
    if (a->commands_in_frame > FLOOD_COMMANDS && gap < FLOOD_GAP_MS - spent)
        gap = FLOOD_GAP_MS - spent;
    a->commands_in_frame = 0;
    a->frame_ok_ms = started + spent + (gap < FRAME_GAP_MAX_MS ? gap : FRAME_GAP_MAX_MS);
    if (a->cfg->headless && a->cfg->screenshot[0] && !a->screenshot_due)
        a->screenshot_due = tw_mono_ms() + 1000;
}

static void screenshot(struct app *a)
{
    if (tw_mainloop_screenshot(a->ui, a->cfg->screenshot) == 0)
        log_debug("screenshot written to %s", a->cfg->screenshot);
}

/* Presses completed outside a message (keys; ESPHome edges that timed out)
 * and offline warnings that came due: one transaction, like a batch read. */
static void run_buttons(struct app *a)
{
    int64_t now = tw_mono_ms();
    int64_t due = tw_buttons_next_deadline(a->buttons, now, tw_now());
    if (!due || due > now || a->run.read_paused_until > now)
        return;
    if (tw_store_begin(a->store) || tw_buttons_tick(a->buttons, now, tw_now()))
        a->run.batch_failed = true;
    else
        apply_button_commands(a);
    finish_batch(a);
}

/* The stand-up's keys (S, Space, Right, Left, C, R, Escape) and, while one
 * runs, taps: on Claim or Resolve, those; else the right half moves on, the
 * left half goes back. */
static bool standup_event(struct app *a, const SDL_Event *ev)
{
    bool running = tw_meeting_running(a->meeting);
    int key = tw_input_standup_key(ev, running);
    if (key >= 0)
        return local_standup(a, (tw_standup_action)key, "key", NULL);
    if (!running)
        return false;
    int x, y, w = 0, h = 0;
    tw_ui_size(a->ui, &w, &h);
    if (ev->type == SDL_MOUSEBUTTONDOWN && ev->button.which != SDL_TOUCH_MOUSEID &&
        ev->button.button == SDL_BUTTON_LEFT) {
        tw_ui_window_to_output(a->ui, ev->button.x, ev->button.y, &x, &y);
    } else if (ev->type == SDL_FINGERDOWN) {
        tw_ui_touch_to_board(a->ui, ev->tfinger.x, ev->tfinger.y, &x, &y);
    } else {
        return false;
    }
    int button = tw_ui_standup_button(a->ui, x, y);
    int act = button >= 0 ? button : tw_input_standup_tap(x, w);
    return local_standup(a, (tw_standup_action)act, "touch", NULL);
}

/* The wall's tick may re-read the figures (a walk over the recent history):
 * work for firmware/heap.c, so its freed pages go back at the next trim and
 * the quiet moment comes after it, not before. */
static void wall_tick(struct app *a)
{
    uint64_t read = tw_wall_figures_board_version(a->wall);
    tw_wall_tick(a->wall, tw_mono_ms(), tw_now());
    if (tw_wall_figures_board_version(a->wall) != read)
        tw_heap_note(tw_mono_ms());
}

static void pump_sdl(struct app *a)
{
    SDL_Event ev;
    while (SDL_PollEvent(&ev)) {
        /* Keys named in [button] sections are the buttons' (firmware/input.c). */
        if (tw_input_handle_event(a->buttons, &ev, tw_mono_ms()))
            continue;
        if (standup_event(a, &ev))
            continue;
        /* Taps and arrow keys are the wall's (cards, the detail view); its
         * Claim / Resolve / Reopen went through the board: publish them. */
        bool applied = false;
        if (tw_wall_event(a->wall, &ev, tw_mono_ms(), &applied)) {
            if (applied)
                tw_teamrun_flush_events(&a->run, true);
            continue;
        }
        tw_mainloop_window_event(&ev, &a->quit, &a->view_dirty);
    }
}

/* ---- set-up ------------------------------------------------------------------ */

static int start_mqtt(struct app *a)
{
    tw_mqtt_handlers h = {a, on_connect, on_disconnect, on_message, NULL};
    return tw_brokerlink_start(a->cfg, a->cfg->team, a->t_status, &h, &a->mqtt);
}

static void sync_publish(void *ctx, const char *topic, const char *payload, size_t len)
{
    struct app *a = ctx;
    tw_mqtt_publish(a->mqtt, topic, payload, len, 1, false, NULL);
}

static int setup(struct app *a)
{
    tw_heap_init();
    tw_heap_on_quiet(on_quiet, a);
    if (tw_i18n_use_config(a->cfg->language))
        return TW_ERR_INVAL;
    tw_config_root(a->cfg, a->root, sizeof(a->root));
    a->root_len = strlen(a->root);
    snprintf(a->t_status, sizeof(a->t_status), "%s/board/%s/status", a->root, a->cfg->board);
    snprintf(a->t_state, sizeof(a->t_state), "%s/board/%s/state", a->root, a->cfg->board);
    snprintf(a->t_events, sizeof(a->t_events), "%s/board/%s/events", a->root, a->cfg->board);
    snprintf(a->t_rejected, sizeof(a->t_rejected), "%s/board/%s/rejected", a->root, a->cfg->board);
    snprintf(a->t_standup, sizeof(a->t_standup), "%s/standup", a->root);
    if (a->cfg->ha_enabled)
        tw_ha_status_topic(a->cfg->ha_prefix, a->t_ha_status, sizeof(a->t_ha_status));
    a->started = tw_now();
    a->offline_since = a->started;
    a->warnings = tw_warnings_create();
    tw_strlcpy(a->offline_reason, "connecting", sizeof(a->offline_reason));
    tw_teamrun_start(&a->run);
    const char *crash = getenv("TW_TEST_CRASH_AFTER");
    a->crash_after = crash ? strtol(crash, NULL, 10) : 0;
    if (a->opt->trace && tw_trace_open(a->opt->trace, &a->trace))
        return TW_ERR_IO;

    if (tw_make_parent_dir(a->cfg->db))
        return TW_ERR_IO;
    a->run.db = a->cfg->db;
    a->run.warnings = a->warnings;
    int rc = tw_teamrun_open_store(&a->run, a->cfg->team, strcmp(a->cfg->sync, "full") == 0,
                                   a->fatal, sizeof(a->fatal));
    if (rc)
        return rc;
    a->store = a->run.store;
    rc = tw_board_create(a->store, &a->board);
    if (rc)
        return rc;
    tw_board_set_name(a->board, a->cfg->board);
    tw_board_set_event_handler(a->board, on_board_event, a);
    tw_meeting_options mo = {
        .store = a->store,
        .board = a->board,
        .schedule = a->cfg->standup_at,
        .item_seconds = a->cfg->standup_item_seconds,
        .meeting_minutes = a->cfg->standup_meeting_minutes,
        .on_event = queue_event,
        .ctx = a,
    };
    rc = tw_meeting_create(&mo, tw_now(), &a->meeting);
    if (rc)
        return rc;
    tw_buttons_options bo = {
        .config = a->opt->buttons,
        .root = a->root,
        .store = a->store,
        .board = a->board,
        .warnings = a->warnings,
        .standup = button_standup,
        .standup_ctx = a,
    };
    rc = tw_buttons_create(&bo, tw_now(), &a->buttons);
    if (rc)
        return rc;

    tw_ui_options uo;
    tw_mainloop_ui_options(a->cfg, a->opt->font_dir, &uo);
    rc = tw_ui_create(&uo, &a->ui);
    if (rc)
        return rc;
    tw_wall_options wo = {.cfg = a->cfg, .store = a->store, .board = a->board, .ui = a->ui};
    rc = tw_wall_create(&wo, &a->wall);
    if (rc)
        return rc;
    tw_input_check_keys(a->opt->buttons);
    tw_upkeep_options ko = {a->store, a->board, a->buttons, a->cfg->keep};
    rc = tw_upkeep_create(&ko, tw_mono_ms(), &a->upkeep);
    if (rc)
        return rc;
    tw_sync_options sy = {.store = a->store,
                          .board = a->board,
                          .root = a->root,
                          .self = a->cfg->board,
                          .pace_ms = a->cfg->sync_pace_ms,
                          .page_items = (size_t)a->cfg->sync_page_items,
                          /* A fixed clock (--now) makes a fixture: its store is
                           * the test's, not the team's. */
                          .catch_up = a->cfg->sync_catch_up && !tw_clock_fixed(),
                          .publish = sync_publish,
                          .ctx = a};
    rc = tw_sync_create(&sy, &a->sync);
    if (rc)
        return rc;
    if ((rc = start_mqtt(a)) != 0)
        return rc;
    a->run.owner = "board";
    a->run.board = a->board;
    a->run.mqtt = a->mqtt;
    a->run.trace = a->trace;
    a->run.t_events = a->t_events;
    a->run.t_rejected = a->t_rejected;
    a->run.max_payload = a->cfg->max_payload;
    a->run.view_dirty = &a->view_dirty;
    a->run.watchdog_status = true;
    a->run.ctx = a;
    a->run.publish_state = publish_state_now;
    a->run.reloaded = on_reloaded;
    return 0;
}

/* The database's full integrity check, deferred from open: PRAGMA
 * quick_check reads the whole file, which with 100,000 items was most of the
 * start (P6). The wall shows its last state first; the loop has not read the
 * broker yet, so nothing is committed or acknowledged before the check
 * passed. A damaged file is moved aside and the board starts afresh, as it
 * would have at open. */
static int verify_store(struct app *a)
{
    int64_t t0 = tw_mono_ms();
    bool recovered;
    int rc = tw_teamrun_verify_store(&a->run, &recovered);
    if (rc == 0)
        log_debug("database checked in %lld ms", (long long)(tw_mono_ms() - t0));
    return rc;
}

int tw_app_run(const tw_config *cfg, const tw_app_options *opt)
{
    struct app a_ = {0}, *a = &a_;
    a->cfg = cfg;
    a->opt = opt;
    int status = 1;
    int sigfd = tw_mainloop_signals_open();
    tw_watchdog_init();
    /* The loop owns SIGINT/SIGTERM through the signalfd, not SDL. */
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    if (sigfd < 0)
        goto out;
    if (setup(a)) {
        /* A database this build cannot use: say so on the wall and stay up
         * (a restart every 2 s would only blink a dark screen). */
        if (a->fatal[0])
            tw_fatal_screen(cfg, opt->font_dir, opt->exit_after_ms, a->fatal, sigfd);
        goto out;
    }

    int64_t t0 = tw_mono_ms();
    if (opt->exit_after_ms)
        a->exit_due = t0 + opt->exit_after_ms;
    a->minute_due = tw_mainloop_next_minute_ms();
    render(a);
    tw_trace_mark(a->trace, "first-frame");
    size_t open_items = tw_board_count(a->board, TW_KIND_COUNT);
    log_info("first frame presented %lld ms after start; %zu open items",
             (long long)(tw_mono_ms() - (opt->start_ms ? opt->start_ms : t0)), open_items);
    if (verify_store(a))
        goto out;
    char ready[128];
    snprintf(ready, sizeof(ready), "first frame up, %zu open items; connecting to the broker",
             open_items);
    tw_watchdog_status(ready);
    tw_heap_trim(); /* what loading and the first frame freed */
    tw_watchdog_ready();
    bool windowed = !cfg->headless;

    while (!a->quit) {
        int64_t now = tw_mono_ms();
        int64_t due = now + 60000;
        due = tw_mainloop_earliest(due, tw_mqtt_next_deadline(a->mqtt));
        due = tw_mainloop_earliest(due, a->minute_due);
        due = tw_mainloop_earliest(due, a->exit_due);
        due = tw_mainloop_earliest(due, a->screenshot_due);
        if (a->run.read_paused_until <= now)
            due = tw_mainloop_earliest(due, tw_buttons_next_deadline(a->buttons, now, tw_now()));
        due = tw_mainloop_earliest(due, tw_watchdog_deadline());
        due = tw_mainloop_earliest(due, tw_upkeep_deadline(a->upkeep));
        due = tw_mainloop_earliest(due, tw_sync_deadline(a->sync));
        due = tw_mainloop_earliest(due, a->run.dbwatch_due);
        due = tw_mainloop_earliest(due, tw_wall_deadline(a->wall, now));
        due = tw_mainloop_earliest(due, tw_heap_deadline());
        due = tw_mainloop_earliest(due, standup_deadline_ms(a));
        int64_t expiry = tw_warnings_next_expiry(a->warnings);
        if (expiry)
            due = tw_mainloop_earliest(due, now + (expiry - tw_now()) * 1000);
        if (a->run.read_paused_until > now)
            due = tw_mainloop_earliest(due, a->run.read_paused_until);
        if (state_due(a) && tw_mqtt_connected(a->mqtt))
            due = tw_mainloop_earliest(due, a->state_next_ms);
        if (windowed)
            due = tw_mainloop_earliest(due, now + INPUT_TICK_MS);
        if (needs_frame(a))
            due = tw_mainloop_earliest(due, a->frame_ok_ms > now ? a->frame_ok_ms : now);

        struct pollfd fds[2] = {{sigfd, POLLIN, 0}, {-1, 0, 0}};
        int fd = tw_mqtt_fd(a->mqtt);
        bool reading = a->run.read_paused_until <= now;
        if (fd >= 0) {
            fds[1].fd = fd;
            fds[1].events =
                (short)((reading ? POLLIN : 0) | (tw_mqtt_want_write(a->mqtt) ? POLLOUT : 0));
        }
        int timeout = due > now ? (int)(due - now) : 0;
        int n = poll(fds, 2, timeout);
        if (n < 0 && errno != EINTR) {
            log_error("poll: %s", strerror(errno));
            break;
        }
        if (fds[0].revents & POLLIN)
            tw_mainloop_signals_read(sigfd, &a->quit, &a->want_screenshot);
        if (fd >= 0 && reading && (fds[1].revents & (POLLIN | POLLERR | POLLHUP))) {
            int64_t start = tw_mono_ms();
            int reads = 0;
            /* The clock is read every 16 messages: a flood's batch ends
             * within a millisecond of its time all the same. */
            while (tw_mqtt_read(a->mqtt) && !a->run.batch_failed && ++reads < BATCH_MAX_MESSAGES &&
                   ((reads & 15) || tw_mono_ms() - start < BATCH_MAX_MS))
                ;
            finish_batch(a);
            tw_heap_note(tw_mono_ms());
        }
        if (tw_mqtt_fd(a->mqtt) >= 0 && tw_mqtt_want_write(a->mqtt))
            tw_mqtt_write(a->mqtt);

        now = tw_mono_ms();
        if (now >= tw_mqtt_next_deadline(a->mqtt))
            tw_mqtt_tick(a->mqtt);
        if (tw_sync_deadline(a->sync) && now >= tw_sync_deadline(a->sync))
            tw_sync_tick(a->sync, now);
        run_standup(a);
        /* The wall's figures first, so the state carries the figures of
         * the items it lists (docs/FIGURES.md, "one source of truth"). */
        wall_tick(a);
        if (tw_mqtt_connected(a->mqtt) && now >= a->state_next_ms && state_due(a))
            publish_state(a);
        if (now >= a->minute_due) {
            a->minute_due = tw_mainloop_next_minute_ms();
            a->view_dirty = true;
            tw_wall_minute(a->wall, tw_now());
        }
        if (tw_upkeep_tick(a->upkeep, now, tw_now()))
            a->view_dirty = true;
        if (now >= a->run.dbwatch_due)
            tw_teamrun_db_tick(&a->run);
        tw_watchdog_kick();
        pump_sdl(a);
        run_buttons(a);
        wall_tick(a);
        if (tw_warnings_next_expiry(a->warnings) &&
            tw_now() >= tw_warnings_next_expiry(a->warnings))
            tw_warnings_expire(a->warnings, tw_now());
        if (needs_frame(a) && tw_mono_ms() >= a->frame_ok_ms) {
            render(a);
            tw_heap_note(tw_mono_ms());
        }
        tw_heap_tick(tw_mono_ms());
        if (a->screenshot_due && now >= a->screenshot_due) {
            a->screenshot_due = 0;
            screenshot(a);
        }
        if (a->want_screenshot) {
            a->want_screenshot = false;
            screenshot(a);
        }
        if (a->exit_due && now >= a->exit_due)
            a->quit = true;
    }
    status = 0;
    screenshot(a);
    if (tw_mqtt_connected(a->mqtt)) {
        /* A clean stop suppresses the will: say "offline" ourselves. */
        tw_teamrun_publish(&a->run, a->t_status, tw_codec_status_json("offline", TW_VERSION, 0), 1,
                           true);
    }
out:
    tw_mqtt_destroy(a->mqtt, 1000);
    tw_upkeep_destroy(a->upkeep);
    tw_wall_destroy(a->wall);
    tw_ui_destroy(a->ui);
    tw_buttons_destroy(a->buttons);
    tw_sync_destroy(a->sync);
    tw_meeting_destroy(a->meeting);
    tw_board_destroy(a->board);
    tw_store_close(a->store);
    tw_teamrun_destroy(&a->run, status == 0);
    tw_warnings_destroy(a->warnings);
    tw_trace_close(a->trace);
    if (sigfd >= 0)
        close(sigfd);
    return status;
}
