/* SPDX-License-Identifier: MIT */
/*
 * The board: the one door in. Every input (MQTT post, button press, key,
 * touch, teamwall-ctl) becomes a tw_command and enters through
 * tw_board_apply(), which validates it (text rules, ids, refs), makes it
 * idempotent, writes it to the store, updates the in-memory model of open
 * items, raises the dirty flag and reports an event.
 *
 * The board owns the model (the open items); it borrows the store.
 */
#ifndef TW_BOARD_H
#define TW_BOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "item.h"
#include "store.h"

typedef struct tw_board tw_board;

/* Called after a command changed an item: event is "posted", "claimed",
 * "resolved", "reopened" or "redacted"; item is borrowed for the call; note is the
 * resolve's note for "resolved" ("" when it had none), NULL otherwise. */
typedef void (*tw_board_event_fn)(void *ctx, const char *event, const tw_item *item,
                                  const char *note);

/* Outcome of one tw_board_apply(). */
typedef struct tw_board_result {
    bool changed;     /* false: rejected, or already applied (idempotent no-op) */
    char reason[160]; /* why it was rejected ("text is empty", "unknown ref k3f9") */
    tw_item item;     /* the item as it now is (when the command named one) */
} tw_board_result;

/* Create a board over store (borrowed, must outlive the board); loads the
 * open items. */
int tw_board_create(tw_store *store, tw_board **out);
/* NULL is a no-op. */
void tw_board_destroy(tw_board *board);

void tw_board_set_event_handler(tw_board *board, tw_board_event_fn fn, void *ctx);

/* The board's id prefix for ids it assigns to posts without one ("wall1"). Copied. */
void tw_board_set_name(tw_board *board, const char *name);

/*
 * Apply cmd (copied; the board cleans its strings itself) at time now (Unix
 * seconds). Returns:
 *   0                on success (res->changed tells applied vs. no-op);
 *   TW_ERR_INVAL, TW_ERR_NOTFOUND, TW_ERR_AMBIGUOUS when rejected, with
 *                    res->reason set; nothing is stored;
 *   TW_ERR_DB/TW_ERR_FULL/TW_ERR_BUSY when the store failed; the model is
 *                    unchanged and the caller should not acknowledge.
 * res may be NULL.
 */
int tw_board_apply(tw_board *board, const tw_command *cmd, int64_t now, tw_board_result *res);

/* The open items (open and claimed), oldest first. Borrowed until the next
 * tw_board_apply() or tw_board_reload(). */
const tw_item *tw_board_items(const tw_board *board, size_t *count);

/* Reload the model from the store (after a rollback). */
int tw_board_reload(tw_board *board);

/* Dirty: something the screen or the retained state shows has changed since
 * tw_board_clear_dirty(). */
bool tw_board_dirty(const tw_board *board);
void tw_board_clear_dirty(tw_board *board);

/* Increases with every change; lets observers notice changes without sharing
 * the dirty flag. */
uint64_t tw_board_version(const tw_board *board);

#endif
