/* SPDX-License-Identifier: MIT */
/*
 * A team's commands, events, commits and storage trouble on a board
 * (firmware/teamrun.h), shared by the board's loop and the lobby's. The
 * texts name the team when there is one (the lobby shows several teams'
 * warnings in one banner) and name none on a team's own board.
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#define LOG_MODULE "teamrun"
#include "teamrun.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "fatal.h"
#include "i18n.h"
#include "log.h"
#include "text.h"
#include "util.h"
#include "watchdog.h"

#define EVENTS_BACKLOG_MAX 256   /* messages waiting for the broker before events go at QoS 0 */
#define REJECT_BURST       100.0 /* rejected-topic rate limit: burst and per second */
#define REJECT_RATE        20.0

/* "team <name>: " before a log line of the lobby's, "" on a board. */
static const char *prefix(const tw_teamrun *r, char *buf, size_t size)
{
    if (!r->team)
        return "";
    snprintf(buf, size, "team %s: ", r->team);
    return buf;
}

/* ---- the store ---------------------------------------------------------------- */

/* The store was unreadable and moved aside: a warning says where. */
static void store_recovered(tw_teamrun *r)
{
    char text[TW_WARNING_TEXT_SIZE];
    const char *from = tw_store_recovered_from(r->store);
    if (r->team) {
        snprintf(text, sizeof(text), "%s: database was unreadable: moved to %s, started afresh",
                 r->team, from);
        log_warn("%s", text);
    } else {
        log_warn("the database was unreadable and was moved to %s; started a fresh one", from);
        snprintf(text, sizeof(text), "Database was unreadable: moved to %s, started afresh", from);
    }
    tw_warning_raise(r->warnings, "storage-recovered", TW_WARN_WARNING, text, tw_now(), 0);
}

int tw_teamrun_open_store(tw_teamrun *r, const char *team, bool sync_full, char *fatal,
                          size_t fatal_size)
{
    char p[160];
    /* The full integrity check waits until the first frame is up
     * (tw_teamrun_verify_store()); nothing is read from the broker before. */
    tw_store_options so = {.sync_full = sync_full, .defer_check = true};
    bool wal_lost = tw_dbwatch_wal_lost(r->db);
    int rc = tw_store_open(r->db, &so, &r->store);
    if (rc) {
        log_error("%scannot open the database %s: %s", prefix(r, p, sizeof(p)), r->db,
                  tw_strerror(rc));
        tw_fatal_store_text(r->db, rc, fatal, fatal_size);
        return rc;
    }
    r->dbwatch = tw_dbwatch_create(r->db);
    tw_store_on_checkpoint(r->store, tw_dbwatch_checkpointed, r->dbwatch);
    r->dbwatch_due = tw_mono_ms() + TW_TEAMRUN_DBWATCH_EVERY_MS;
    if (wal_lost) {
        char text[TW_WARNING_TEXT_SIZE];
        const char *said = _("Database log was deleted after a crash: the last items may be lost");
        log_error("%s-wal was missing after the last run stopped without closing the database: "
                  "the commits in it are lost",
                  r->db);
        if (r->team)
            snprintf(text, sizeof(text), "%s: %s", r->team, said);
        else
            tw_strlcpy(text, said, sizeof(text));
        tw_warning_raise(r->warnings, "storage:wal", TW_WARN_ERROR, text, tw_now(), 24 * 3600);
    }
    if (tw_store_recovered_from(r->store))
        store_recovered(r);
    /* Whose database this is, for teamwall-ctl run on it without --team. */
    if (tw_store_meta_set(r->store, "team", team))
        log_warn("cannot record the team in %s", r->db);
    return 0;
}

int tw_teamrun_verify_store(tw_teamrun *r, bool *recovered)
{
    char p[160];
    bool was = tw_store_recovered_from(r->store) != NULL;
    *recovered = false;
    int rc = tw_store_verify(r->store);
    if (rc) {
        log_error("%sthe database %s is unusable: %s", prefix(r, p, sizeof(p)), r->db,
                  tw_strerror(rc));
        return rc;
    }
    if (!was && tw_store_recovered_from(r->store)) {
        tw_dbwatch_rebase(r->dbwatch);
        store_recovered(r);
        tw_board_reload(r->board);
        if (r->reloaded)
            r->reloaded(r->ctx, false);
        if (r->view_dirty)
            *r->view_dirty = true;
        *recovered = true;
    }
    return 0;
}

void tw_teamrun_start(tw_teamrun *r)
{
    r->tokens = REJECT_BURST;
    r->tokens_ms = tw_mono_ms();
}

void tw_teamrun_destroy(tw_teamrun *r, bool clean)
{
    tw_teamrun_flush_events(r, false);
    free(r->events);
    r->events = NULL;
    r->cap_events = 0;
    tw_dbwatch_destroy(r->dbwatch, clean);
    r->dbwatch = NULL;
}

/* ---- publishing -------------------------------------------------------------- */

void tw_teamrun_publish(tw_teamrun *r, const char *topic, char *json, int qos, bool retain)
{
    if (!json)
        return;
    tw_mqtt_publish(r->mqtt, topic, json, strlen(json), qos, retain, NULL);
    free(json);
}

char *tw_teamrun_state_json(const tw_teamrun *r, const char *team, const char *board_id,
                            const tw_figures *figures, const tw_standup *standup)
{
    const tw_item_view *items[TW_TEAMRUN_STATE_MAX_ITEMS];
    size_t n = 0, open[TW_KIND_COUNT];
    for (int k = 0; k < TW_KIND_COUNT; k++) {
        open[k] = tw_board_count(r->board, (tw_kind)k);
        for (const tw_item_view *it = tw_board_first(r->board, (tw_kind)k);
             it && n < TW_TEAMRUN_STATE_MAX_ITEMS; it = tw_board_next(r->board, it))
            items[n++] = it;
    }
    char *json =
        tw_codec_state_json_standup(team, board_id, tw_now(), items, n, open, figures, standup);
    return tw_warnings_add_to_state(json, r->warnings); /* firmware/warnings.c */
}

/* ---- rejections -------------------------------------------------------------- */

void tw_teamrun_reject(tw_teamrun *r, const char *topic, const char *reason, const void *payload,
                       size_t len)
{
    int64_t now = tw_mono_ms();
    r->tokens += (double)(now - r->tokens_ms) * REJECT_RATE / 1000.0;
    if (r->tokens > REJECT_BURST)
        r->tokens = REJECT_BURST;
    r->tokens_ms = now;
    if (r->tokens < 1.0) {
        r->suppressed++;
        return;
    }
    r->tokens -= 1.0;
    if (r->suppressed) {
        if (r->team)
            log_warn("%u more rejected messages of team %s were not reported (rate limit)",
                     r->suppressed, r->team);
        else
            log_warn("%u more rejected messages were not reported (rate limit)", r->suppressed);
        r->suppressed = 0;
    }
    /* The topic as sent may hold controls or bidi overrides: never raw in the log. */
    char shown[256 * 4 + 1];
    tw_text_escape_topic(topic, shown, sizeof(shown));
    log_warn("rejected %s: %s", shown, reason);
    tw_teamrun_publish(r, r->t_rejected, tw_codec_rejected_json(topic, reason, payload, len), 0,
                       false);
}

/* ---- events: published once their transaction committed --------------------- */

void tw_teamrun_queue_event(tw_teamrun *r, char *json)
{
    if (r->n_events == r->cap_events) {
        r->cap_events = r->cap_events ? r->cap_events * 2 : 64;
        r->events = tw_xrealloc(r->events, r->cap_events * sizeof(*r->events));
    }
    r->events[r->n_events++] = json;
}

/* Events go at QoS 1, so a chat bridge's persistent session gets every
 * one. Under a flood the broker, busy with the commands, acknowledges them
 * slower than the board makes them, and what libmosquitto holds has no
 * limit (1 GB over R6's million posts and resolves, each ack walking it):
 * past EVENTS_BACKLOG_MAX waiting, events go at QoS 0, which libmosquitto
 * writes at once and never holds, until the backlog drains. Load shed, not
 * memory; the retained state stays exact either way. Decided per message. */
static void publish_event(tw_teamrun *r, const char *json, size_t len)
{
    bool shed = tw_mqtt_backlog(r->mqtt) >= EVENTS_BACKLOG_MAX;
    if (shed && ++r->shed_count && tw_mono_ms() >= r->shed_report_ms) {
        /* A flood flips this back and forth: one line a minute. */
        char p[160];
        log_warn("%s%ld messages wait for the broker: %lu event messages went at QoS 0 since "
                 "the last report",
                 prefix(r, p, sizeof(p)), tw_mqtt_backlog(r->mqtt), r->shed_count);
        r->shed_count = 0;
        r->shed_report_ms = tw_mono_ms() + 60000;
    }
    tw_mqtt_publish(r->mqtt, r->t_events, json, len, shed ? 0 : 1, false, NULL);
}

/* A pass that committed several events (a flood's thousand posts in one
 * transaction) publishes them as batches (tw_codec_events_batch_json): each
 * message costs the broker a read and a route, and the board a write and a
 * wake-up, whatever its size. A message of one event is the event itself. */
void tw_teamrun_flush_events(tw_teamrun *r, bool publish)
{
    for (size_t i = 0; publish && i < r->n_events;) {
        size_t bytes;
        size_t k = tw_codec_events_batch_fit(r->events + i, r->n_events - i, &bytes);
        if (k == 1) {
            publish_event(r, r->events[i], bytes);
        } else {
            char *batch = tw_codec_events_batch_json(r->events + i, k);
            publish_event(r, batch, strlen(batch));
            free(batch);
        }
        i += k;
    }
    for (size_t i = 0; i < r->n_events; i++)
        free(r->events[i]);
    r->n_events = 0;
}

/* ---- commands ------------------------------------------------------------------ */

bool tw_teamrun_begin(tw_teamrun *r)
{
    if (!tw_store_in_transaction(r->store) && tw_store_begin(r->store)) {
        r->batch_failed = true;
        return false;
    }
    return true;
}

/* The team's commands, in tw_cmd_type order (firmware/item.h), redaction
 * included: every board of the team applies it (issue 16). */
static const char *const command_topics[] = {"post", "claim", "resolve", "reopen", "redact"};

void tw_teamrun_subscribe_commands(tw_teamrun *r, const char *root)
{
    char topic[256];
    for (size_t i = 0; i < TW_ARRAY_LEN(command_topics); i++) {
        snprintf(topic, sizeof(topic), "%s/%s", root, command_topics[i]);
        tw_mqtt_subscribe(r->mqtt, topic, 1);
    }
}

int tw_teamrun_command_type(const char *suffix)
{
    for (size_t i = 0; i < TW_ARRAY_LEN(command_topics); i++)
        if (strcmp(suffix, command_topics[i]) == 0)
            return (int)i;
    return -1;
}

void tw_teamrun_command(tw_teamrun *r, int type, const char *topic, const void *payload, size_t len,
                        bool retained, int64_t received_us)
{
    char reason[200];
    if (retained) {
        tw_teamrun_reject(r, topic, "retained command messages are rejected", payload, len);
        return;
    }
    if (len > (size_t)r->max_payload) {
        snprintf(reason, sizeof(reason), "payload too large (%zu bytes, max %d)", len,
                 r->max_payload);
        tw_teamrun_reject(r, topic, reason, payload, len);
        return;
    }
    tw_command cmd;
    if (tw_codec_decode((tw_cmd_type)type, payload, len, &cmd, reason, sizeof(reason))) {
        tw_teamrun_reject(r, topic, reason, payload, len);
        return;
    }
    if (!tw_teamrun_begin(r))
        return;
    tw_board_result res;
    int rc = tw_board_apply(r->board, &cmd, tw_now(), &res);
    if (rc == TW_ERR_INVAL || rc == TW_ERR_NOTFOUND || rc == TW_ERR_AMBIGUOUS) {
        tw_teamrun_reject(r, topic, res.reason, payload, len);
    } else if (rc) {
        log_error("storing %s failed: %s (%s)", topic, tw_strerror(rc), res.reason);
        r->batch_failed = true;
    } else if (res.changed) {
        tw_trace_received(r->trace, res.item.id, received_us);
    }
    r->batch_commands++;
}

/* ---- the store's file (firmware/dbwatch.h) --------------------------------------- */

/* Whether the store's file is still the one at its path, before a commit:
 * 0 to commit (a deleted file is rewritten right after the commit, which
 * goes into the old file's pages); else the pass must not be acknowledged
 * (why says so). A replaced file is adopted here and the model reread. */
static int db_file_check(tw_teamrun *r, bool in_batch, char *why, size_t size)
{
    char what[160], text[TW_WARNING_TEXT_SIZE], aside[TW_CONFIG_PATH + 96], p[160];
    r->dbwatch_due = tw_mono_ms() + TW_TEAMRUN_DBWATCH_EVERY_MS;
    switch (tw_dbwatch_check(r->dbwatch, what, sizeof(what))) {
    case TW_DBFILE_OK: return 0;
    case TW_DBFILE_DELETED:
        if (in_batch) {
            r->rewrite_after_commit = true;
            return 0;
        }
        if (tw_dbwatch_rewrite(r->dbwatch, r->store) == 0) {
            const char *said =
                _("Database file was deleted: rewritten to a fresh file, nothing lost");
            log_warn("%s%s; everything was rewritten to a fresh %s", prefix(r, p, sizeof(p)), what,
                     r->db);
            if (r->team)
                snprintf(text, sizeof(text), "%s: %s", r->team, said);
            else
                tw_strlcpy(text, said, sizeof(text));
            tw_warning_raise(r->warnings, "storage:file", TW_WARN_WARNING, text, tw_now(), 3600);
            return 0;
        }
        snprintf(why, size, "%s and cannot be rewritten", what);
        return TW_ERR_IO;
    case TW_DBFILE_REPLACED:
        tw_store_rollback(r->store); /* this batch went to the old file; it comes again */
        if (tw_dbwatch_adopt(r->dbwatch, r->store, aside, sizeof(aside)) != 0) {
            snprintf(why, size, "%s", what);
            return TW_ERR_IO;
        }
        log_warn("%s%s; using the new file, the %s's own copy is kept as %s",
                 prefix(r, p, sizeof(p)), what, r->owner, aside);
        char said[TW_WARNING_TEXT_SIZE];
        snprintf(said, sizeof(said), _("Database file was replaced: using it; the old one is %s"),
                 aside);
        if (r->team)
            snprintf(text, sizeof(text), "%.32s: %.120s", r->team, said);
        else
            tw_strlcpy(text, said, sizeof(text));
        tw_warning_raise(r->warnings, "storage:file", TW_WARN_WARNING, text, tw_now(), 3600);
        tw_board_reload(r->board);
        if (r->reloaded)
            r->reloaded(r->ctx, false);
        if (r->view_dirty)
            *r->view_dirty = true;
        /* What this batch applied went to the old file: the broker sends it again. */
        snprintf(why, size, "%s (now using it)", what);
        return in_batch ? TW_ERR_IO : 0;
    case TW_DBFILE_READ_ONLY:
        /* Looked at every TW_TEAMRUN_STORAGE_RETRY_MS until it takes writes again. */
        snprintf(why, size, "%s", what);
        r->file_trouble = true;
        r->dbwatch_due = tw_mono_ms() + TW_TEAMRUN_STORAGE_RETRY_MS;
        return TW_ERR_FULL;
    }
    return 0;
}

/* The "storage" warning, with why as the state's "reason" (detail): a
 * board's idle look raises it without one (as it always has). */
static void raise_storage(tw_teamrun *r, const char *why, bool detail)
{
    char text[TW_WARNING_TEXT_SIZE];
    tw_warning_detail d = {.kind = TW_WARNING_STORAGE}; /* the state's "reason" */
    tw_strlcpy(d.subject, why, sizeof(d.subject));
    if (r->team) {
        /* TRANSLATORS: a lobby's banner: the team's name, then why. */
        snprintf(text, sizeof(text), _("%s: storage trouble: %.80s; new items wait on the broker"),
                 r->team, why);
    } else {
        snprintf(text, sizeof(text), _("Storage trouble: %.90s; new items wait on the broker"),
                 why);
    }
    if (r->team || detail)
        tw_warning_raise_detail(r->warnings, "storage", TW_WARN_ERROR, text, tw_now(), 0, &d);
    else
        tw_warning_raise(r->warnings, "storage", TW_WARN_ERROR, text, tw_now(), 0);
    if (detail && r->watchdog_status)
        tw_watchdog_status(text);
}

void tw_teamrun_db_tick(tw_teamrun *r)
{
    char why[200], p[160];
    bool was = r->file_trouble; /* the check sets it for a read-only file */
    int rc = db_file_check(r, false, why, sizeof(why));
    if (rc && !was) {
        log_error("%sstorage trouble: %s; nothing is acknowledged until it is fixed",
                  prefix(r, p, sizeof(p)), why);
        raise_storage(r, why, false);
        r->file_trouble = r->storage_trouble = true;
    } else if (!rc && was) {
        log_info("%sstorage works again", prefix(r, p, sizeof(p)));
        tw_warning_clear(r->warnings, "storage");
        r->file_trouble = r->storage_trouble = false;
    }
}

/* ---- the commit and storage trouble ---------------------------------------------- */

int tw_teamrun_finish_batch(tw_teamrun *r)
{
    int rc = 0;
    char why[200] = "", p[160];
    if (tw_store_in_transaction(r->store)) {
        r->rewrite_after_commit = false;
        rc = r->batch_failed ? TW_ERR_DB : db_file_check(r, true, why, sizeof(why));
        if (!rc && (rc = tw_store_commit(r->store)) == 0 && r->rewrite_after_commit) {
            /* The commit went into a file whose name is gone: rewrite
             * before any acknowledgement. */
            r->rewrite_after_commit = false;
            rc = db_file_check(r, false, why, sizeof(why));
        } else if (rc && !r->batch_failed && !why[0]) {
            tw_strlcpy(why, tw_store_errmsg(r->store), sizeof(why));
        }
        if (rc) {
            tw_store_rollback(r->store);
            tw_board_reload(r->board);
            if (r->reloaded)
                r->reloaded(r->ctx, true);
        }
    } else if (r->batch_failed) {
        rc = TW_ERR_DB;
    }
    if (rc && !why[0])
        tw_strlcpy(why, r->batch_failed ? "a store write failed" : "the commit failed",
                   sizeof(why));
    if (rc) {
        tw_trace_rolled_back(r->trace);
        tw_teamrun_flush_events(r, false);
        if (!r->storage_trouble) {
            log_error("%sstorage trouble: %s; retrying every %d ms", prefix(r, p, sizeof(p)), why,
                      TW_TEAMRUN_STORAGE_RETRY_MS);
            raise_storage(r, why, true);
        }
        /* Queued at QoS 1, the state goes out again after the reconnect (only
         * the acknowledgements are dropped): it says why, at every retry. */
        if (tw_mqtt_connected(r->mqtt))
            r->publish_state(r->ctx);
        tw_mqtt_abort(r->mqtt, "the store could not commit; the broker will redeliver");
        r->storage_trouble = true;
        r->read_paused_until = tw_mono_ms() + TW_TEAMRUN_STORAGE_RETRY_MS;
        if (r->view_dirty)
            *r->view_dirty = true;
    } else {
        tw_trace_committed(r->trace);
        tw_teamrun_flush_events(r, true);
        if (r->storage_trouble && r->batch_commands) {
            log_info("%sstorage works again", prefix(r, p, sizeof(p)));
            tw_warning_clear(r->warnings, "storage");
            r->storage_trouble = r->file_trouble = false;
            if (r->view_dirty)
                *r->view_dirty = true;
        }
    }
    r->batch_failed = false;
    r->batch_commands = 0;
    return rc;
}
