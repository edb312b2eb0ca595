/* SPDX-License-Identifier: MIT */
/*
 * The ordering rule several boards of one team agree on, as pure functions
 * of the commands alone (never of arrival order or a board's clock, except
 * where a command carries no time at all): the id of a post that came
 * without one, the id of a state change, the time a command counts at, the
 * total order of an item's state changes (time, then command id), and the
 * fold that turns an item as posted plus its state changes, in that order,
 * into the item as it now is. Boards that hold the same commands therefore
 * hold the same items in the same states, whatever order the broker
 * delivered them in (docs/SYNC.md).
 *
 * No store, no broker: firmware/converge.c carries the results out.
 */
#ifndef TW_ORDER_H
#define TW_ORDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "item.h"

/* How far in the future a producer's time may be and still count as given:
 * clocks of producers and boards differ by this much, and every board must
 * take the same time for the same command. Later times count as now. */
#define TW_ORDER_SKEW_S 120

/* One state change of an item, as logged. Strings are copies. */
typedef struct tw_op {
    char id[TW_ID_SIZE]; /* the command id: given by the producer or tw_order_cmd_id() */
    tw_cmd_type type;    /* TW_CMD_CLAIM, TW_CMD_RESOLVE or TW_CMD_REOPEN */
    int64_t ts;          /* when it counts (tw_order_time()) */
    char by[TW_AUTHOR_SIZE];
    char note[TW_NOTE_SIZE]; /* resolve's note, "" otherwise */
} tw_op;

/* The time cmd_ts counts at when received at now: the producer's time if it
 * gave one no more than TW_ORDER_SKEW_S ahead of now, else now. */
int64_t tw_order_time(int64_t cmd_ts, int64_t now);
/* True when cmd_ts is no time of the producer's (absent, or too far ahead):
 * then the command counts at its arrival. */
bool tw_order_untimed(int64_t cmd_ts, int64_t now);

/* The id of a post without one, from the message: "m-" and the hash of its
 * kind, cleaned text, author, source and time (0 when it gave none, so the
 * same untimed payload delivered twice is one post). cmd must be cleaned
 * (tw_board_apply's validation). */
void tw_order_post_id(const tw_command *cmd, char out[TW_ID_SIZE]);

/* The id of a state change without one: "c-" and the hash of its type, the
 * ref as sent (every board has the same message, but not necessarily the
 * item it names yet), who, note and its time (tw_order_time()). */
void tw_order_cmd_id(const tw_command *cmd, const char *ref, int64_t ts, char out[TW_ID_SIZE]);

/* The order of state changes: negative, 0 or positive as a sorts before, as,
 * or after b (time, then command id bytewise). */
int tw_order_cmp(int64_t ts_a, const char *id_a, int64_t ts_b, const char *id_b);
/* qsort comparator over tw_op. */
int tw_order_op_cmp(const void *a, const void *b);

/*
 * One state change applied to item (in place), with the board's rules: a win
 * cannot be claimed, a resolved item is not claimed, claiming what the same
 * person holds, resolving what is resolved and reopening what is open change
 * nothing. note (TW_NOTE_SIZE bytes) is the item's note, changed with it.
 * Returns the event ("claimed", "resolved", "reopened") or NULL when
 * nothing changed.
 */
const char *tw_order_step(tw_item *item, char *note, const tw_op *op);

/*
 * The item as its state changes make it: item comes in as stored, goes out
 * as the fold of ops (sorted here, in place) over the item as posted (open,
 * nobody's, updated at creation). note (TW_NOTE_SIZE bytes) gets its note.
 * Returns true if anything the store holds differs from what came in.
 */
bool tw_order_fold(tw_item *item, char *note, tw_op *ops, size_t n);

#endif
