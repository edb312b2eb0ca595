/* SPDX-License-Identifier: MIT */
/*
 * The board's housekeeping between batches, from the main loop's deadline
 * list: every 10 seconds it asks SQLite whether another connection wrote the
 * database (teamwall-ctl restore: PRAGMA data_version) and then reloads the
 * model, the buttons and the state it publishes, an orderly reload and not a
 * "file replaced" alarm; after a redaction it truncates the WAL; every night
 * (03:30 local time, and a minute after start) it applies [board] keep.
 * Test hooks: with TW_TEST_FREEZE_FILE set, the loop stops in here while
 * that file exists (a wedged loop, for the watchdog test);
 * TW_TEST_UPKEEP_MS shortens the period, TW_TEST_UPKEEP_FIRST_MS the wait
 * for the first keep pass.
 */
#ifndef TW_UPKEEP_H
#define TW_UPKEEP_H

#include <stdbool.h>
#include <stdint.h>

#include "board.h"
#include "buttons.h"
#include "store.h"

typedef struct tw_upkeep tw_upkeep;

typedef struct tw_upkeep_options {
    tw_store *store;     /* borrowed */
    tw_board *board;     /* borrowed */
    tw_buttons *buttons; /* borrowed, may be NULL */
    int64_t keep_s;      /* [board] keep; 0 = forever */
} tw_upkeep_options;

int tw_upkeep_create(const tw_upkeep_options *opt, int64_t mono_ms, tw_upkeep **out);
/* NULL is a no-op. */
void tw_upkeep_destroy(tw_upkeep *u);
/* Monotonic ms of the next check. */
int64_t tw_upkeep_deadline(const tw_upkeep *u);
/* Do what is due (outside any transaction). True when the model was
 * reloaded or items were dropped: the screen and the state need refreshing. */
bool tw_upkeep_tick(tw_upkeep *u, int64_t mono_ms, int64_t now);

#endif
