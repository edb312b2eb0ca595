/* SPDX-License-Identifier: MIT */
/*
 * The running stand-up on this board: firmware/standup.c's state machine fed
 * with commands (from <root>/standup, keys, touch, buttons, the schedule)
 * and the clock, and its effects carried out: the walk built from the
 * board's open items and the store's history of stand-ups, claims and
 * resolves of the shown item through tw_board_apply(), the stand-up and each
 * item's outcome written to the store (in the caller's transaction), the
 * started / moved / ended events handed to the caller to publish after the
 * commit. A board restarted mid-stand-up picks it up from the store.
 *
 * The meeting borrows the store and the board; the app owns all three.
 */
#ifndef TW_MEETING_H
#define TW_MEETING_H

#include <stdbool.h>
#include <stdint.h>

#include "board.h"
#include "standup.h"
#include "store.h"

typedef struct tw_meeting tw_meeting;

/* An event's JSON, handed over (the callee frees it). */
typedef void (*tw_meeting_event_fn)(void *ctx, char *json);

typedef struct tw_meeting_options {
    tw_store *store;
    tw_board *board;
    const char *schedule; /* [standup] at, "" = only when asked */
    int item_seconds;     /* per-item timer (0: 90) */
    int meeting_minutes;  /* meeting timer (0: 15) */
    tw_meeting_event_fn on_event;
    void *ctx;
} tw_meeting_options;

/* TW_ERR_PARSE when the schedule does not parse (logged). */
int tw_meeting_create(const tw_meeting_options *opt, int64_t now, tw_meeting **out);
void tw_meeting_destroy(tw_meeting *m);

/*
 * Apply cmd at now (Unix seconds), inside the caller's transaction. 0 when
 * applied or a no-op (a redelivery); TW_ERR_INVAL when rejected, with the
 * reason; TW_ERR_DB / TW_ERR_FULL / TW_ERR_BUSY when the store failed (the
 * caller rolls back and calls tw_meeting_reload()).
 */
int tw_meeting_command(tw_meeting *m, const tw_standup_cmd *cmd, int64_t now, char *reason,
                       size_t reason_size);

/* The clock, on any pass of the loop: the timers move when the second
 * changed (the screen's version with them), the summary ends after its
 * minute. No store writes. */
void tw_meeting_tick(tw_meeting *m, int64_t now);

/* Unix second of the next tick that changes the screen; 0 when idle. */
int64_t tw_meeting_deadline(const tw_meeting *m, int64_t now);

/* Is a scheduled stand-up due in the minute of now that has not started?
 * (Each board starts it by itself, with the minute as its time, so they
 * give it the same id.) *ts gets the minute's start. */
bool tw_meeting_scheduled(tw_meeting *m, int64_t now, int64_t *ts);

/* Read the stand-up from the store again (after a rollback). */
int tw_meeting_reload(tw_meeting *m, int64_t now);

const tw_standup *tw_meeting_state(const tw_meeting *m);
bool tw_meeting_running(const tw_meeting *m);
int tw_meeting_item_seconds(const tw_meeting *m);
int tw_meeting_minutes(const tw_meeting *m);

/* Bumped when the stand-up object changes (store, retained state), and when
 * anything its screen shows does (each second of the timers). */
uint64_t tw_meeting_version(const tw_meeting *m);
uint64_t tw_meeting_screen_version(const tw_meeting *m);

/* The item shown, as it is now (from the board, else the store) into out;
 * false when none is shown. */
bool tw_meeting_item(tw_meeting *m, tw_item *out);

#endif
