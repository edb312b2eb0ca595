/* SPDX-License-Identifier: MIT */
/*
 * One team's reading on a board: what the board's loop (firmware/app.c)
 * does for its team and the lobby's loop (firmware/lobby.c) for each of
 * its teams, kept once. A command read from the broker is checked,
 * applied in the pass's transaction or rejected (rate-limited, on the
 * team's board/<id>/rejected); the board's events wait for the commit;
 * the pass is committed only while the store is still the file at its
 * path (firmware/dbwatch.h), and on any failure nothing read is
 * acknowledged: the connection is dropped, reading pauses, and a storage
 * warning says why until a commit works again.
 *
 * Ownership: the loop embeds a tw_teamrun, fills the borrowed pointers and
 * hooks below, and owns store, board, mqtt, warnings and trace. The
 * tw_teamrun owns its dbwatch (created by the loop, closed by
 * tw_teamrun_destroy()), its queued events and the reading state; the loop reads that state
 * (read_paused_until, dbwatch_due, batch_failed) for its poll deadlines.
 */
#ifndef TW_TEAMRUN_H
#define TW_TEAMRUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "board.h"
#include "client.h"
#include "codec.h"
#include "config.h"
#include "dbwatch.h"
#include "store.h"
#include "trace.h"
#include "warnings.h"

#define TW_TEAMRUN_STORAGE_RETRY_MS 1000  /* a failed commit pauses reading this long */
#define TW_TEAMRUN_DBWATCH_EVERY_MS 15000 /* an idle store file is looked at this often */
#define TW_TEAMRUN_STATE_MAX_ITEMS  200   /* items in a retained state; counts cover the rest */

typedef struct tw_teamrun {
    /* Set by the loop (borrowed). team is the lobby's team name, NULL for
     * a board's own team: log lines and warnings then name no team. */
    const char *team;
    const char *db;    /* the store's path, for log lines */
    const char *owner; /* "board" or "lobby": whose copy a replaced file keeps */
    tw_store *store;
    tw_board *board;
    tw_mqtt *mqtt;
    tw_warnings *warnings;
    tw_trace *trace; /* NULL: no --trace */
    const char *t_events, *t_rejected;
    int max_payload;
    bool *view_dirty;     /* set when storage trouble starts or ends; NULL: none */
    bool watchdog_status; /* tell the watchdog when storage trouble starts */
    void *ctx;
    void (*publish_state)(void *ctx); /* the retained state, now */
    /* After the board model was reread: rolled_back for a failed commit,
     * else a replaced file was adopted. NULL: nothing else to reread. */
    void (*reloaded)(void *ctx, bool rolled_back);

    /* Owned: the store's file, created by the loop (tw_dbwatch_create). */
    tw_dbwatch *dbwatch;

    /* The reading state, kept here; the loop reads it. */
    int64_t dbwatch_due;       /* next idle look at the file (monotonic ms) */
    int64_t read_paused_until; /* storage trouble: no reading before this */
    bool batch_failed, storage_trouble, file_trouble, rewrite_after_commit;
    int batch_commands; /* commands in this pass's transaction */
    char **events;      /* the pass's events (JSON, owned), until its commit */
    size_t n_events, cap_events;
    unsigned long shed_count; /* event messages sent at QoS 0 since the last report */
    int64_t shed_report_ms;
    double tokens; /* rejected-topic rate limit */
    int64_t tokens_ms;
    unsigned suppressed;
} tw_teamrun;

/* Open the store at r->db (the full check deferred to
 * tw_teamrun_verify_store()) and its dbwatch, warn of a log lost in a crash
 * or a file moved aside, and record team as its owner. Needs r->db,
 * r->team and r->warnings; sets r->store. On failure the error frame's text
 * is in fatal. */
int tw_teamrun_open_store(tw_teamrun *r, const char *team, bool sync_full, char *fatal,
                          size_t fatal_size);

/* The store's deferred integrity check, once the first frame is up. A
 * damaged file is moved aside, the model reread (r->reloaded too) and
 * *recovered set. Returns 0, or the error that makes the store unusable. */
int tw_teamrun_verify_store(tw_teamrun *r, bool *recovered);

/* The rate limit's full burst from now: call once before the first message. */
void tw_teamrun_start(tw_teamrun *r);

/* Free the queued events (unpublished) and close the dbwatch; clean says
 * the run ended normally (tw_dbwatch_destroy). */
void tw_teamrun_destroy(tw_teamrun *r, bool clean);

/* Publish json (owned, freed here; NULL publishes nothing) on topic. */
void tw_teamrun_publish(tw_teamrun *r, const char *topic, char *json, int qos, bool retain);

/* The team's retained state as board board_id: the first
 * TW_TEAMRUN_STATE_MAX_ITEMS open items in the board's order (blockers,
 * questions, then wins, each oldest first) and the counts, never the whole
 * model; the figures, the stand-up (NULL: none) and the warnings. Returns
 * the JSON (owned) or NULL. */
char *tw_teamrun_state_json(const tw_teamrun *r, const char *team, const char *board_id,
                            const tw_figures *figures, const tw_standup *standup);

/* Report a rejected message (log line and board/<id>/rejected), at most
 * a burst of 100 and 20 a second; what the limit drops is counted. */
void tw_teamrun_reject(tw_teamrun *r, const char *topic, const char *reason, const void *payload,
                       size_t len);

/* Queue an event's JSON (owned) for the pass's commit. */
void tw_teamrun_queue_event(tw_teamrun *r, char *json);

/* Publish (or, with publish false, drop) the queued events: one alone as
 * itself, several as batches of at most 100 (PROTOCOL.md "Events"). */
void tw_teamrun_flush_events(tw_teamrun *r, bool publish);

/* Open the pass's transaction unless one is open; false (and the pass
 * failed) if it cannot be. */
bool tw_teamrun_begin(tw_teamrun *r);

/* Subscribe r->mqtt to the team's command topics under root (QoS 1). */
void tw_teamrun_subscribe_commands(tw_teamrun *r, const char *root);

/* The command a topic's part after "<root>/" names (its tw_cmd_type), or -1
 * when it is not one of the team's command topics. */
int tw_teamrun_command_type(const char *suffix);

/* A message on one of the team's command topics, of command type: checked
 * (not retained, not larger than max_payload, decoded), applied in the
 * pass's transaction, or rejected. received_us is for --trace. */
void tw_teamrun_command(tw_teamrun *r, int type, const char *topic, const void *payload, size_t len,
                        bool retained, int64_t received_us);

/* Every TW_TEAMRUN_DBWATCH_EVERY_MS while idle (due at dbwatch_due): a
 * file deleted, replaced or made read-only shows even when nothing arrives. */
void tw_teamrun_db_tick(tw_teamrun *r);

/* Commit the pass. On failure nothing read is acknowledged: the
 * connection is dropped before the acks are written and reading pauses
 * TW_TEAMRUN_STORAGE_RETRY_MS. Returns 0 when it committed. */
int tw_teamrun_finish_batch(tw_teamrun *r);

#endif
