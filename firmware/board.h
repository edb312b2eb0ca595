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

/* The board's name ("wall1"), for its logs. Copied. Posts without an id get
 * one derived from the message, the same on every board (firmware/order.h). */
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

/*
 * Reading the open items (open and claimed). The board keeps each once, in a
 * compact model (firmware/model.h) indexed by seq and id and ordered within
 * each kind by (created, seq), oldest first: the order of the wall's
 * blockers and questions, the stand-up's walk and the retained state; wins
 * show newest first, so the wall reads them from tw_board_last() backwards.
 * Every call here is O(1) or O(log n): a reader takes what it shows (the
 * first screenful of a kind, 200 items for the state, one item by id) and
 * never walks every open item.
 *
 * Ownership: the board owns every entry. A const tw_item_view * it returns,
 * and the strings it points to, are borrowed until the next
 * tw_board_apply(), tw_board_reload() or tw_board_destroy(): any change may
 * free or move any entry, so a walk must not span a change. Copy what must
 * outlive it (tw_item_from_view() into a caller's tw_item).
 */

/* Open items of kind; TW_KIND_COUNT: of every kind. */
size_t tw_board_count(const tw_board *board, tw_kind kind);
/* The oldest / newest open item of kind, or NULL when there is none. */
const tw_item_view *tw_board_first(const tw_board *board, tw_kind kind);
const tw_item_view *tw_board_last(const tw_board *board, tw_kind kind);
/* The next newer / older item of the same kind as it (one of the board's),
 * or NULL at the end. */
const tw_item_view *tw_board_next(const tw_board *board, const tw_item_view *it);
const tw_item_view *tw_board_prev(const tw_board *board, const tw_item_view *it);
/* The index-th item of kind (0 = oldest) or NULL past the end; an item's
 * index in its kind ("4 of 11"). */
const tw_item_view *tw_board_at(const tw_board *board, tw_kind kind, size_t index);
size_t tw_board_rank(const tw_board *board, const tw_item_view *it);
/* The open item with this seq or id, or NULL when none is open (resolved
 * items are in the store only: tw_store_get()). */
const tw_item_view *tw_board_find_seq(const tw_board *board, int64_t seq);
const tw_item_view *tw_board_find_id(const tw_board *board, const char *id);
/* The highest seq the model has held open: anything newer is new. */
int64_t tw_board_seq_high(const tw_board *board);
/* Heap bytes of the model (entries and indexes), for the benches. */
size_t tw_board_model_bytes(const tw_board *board);

/* Reload the model from the store (after a rollback). */
int tw_board_reload(tw_board *board);

/* Dirty: something the screen or the retained state shows has changed since
 * tw_board_clear_dirty(). */
bool tw_board_dirty(const tw_board *board);
void tw_board_clear_dirty(tw_board *board);

/* Increases with every change; lets observers notice changes without sharing
 * the dirty flag. */
uint64_t tw_board_version(const tw_board *board);

/* How many times the model was read anew from the store (tw_board_reload,
 * at create and after trouble; a command never needs it). */
uint64_t tw_board_reloads(const tw_board *board);

#endif
