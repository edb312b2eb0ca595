/* SPDX-License-Identifier: MIT */
/*
 * Convergence of several boards of one team: the log of state changes
 * (claim, resolve, reopen) in the store's ops table, by command id, and how
 * a change is applied so that the item ends the same on every board
 * whatever order the changes arrived in (firmware/order.h is the rule; this
 * module carries it out against the store). A change that names an item not
 * seen yet is kept and applied when its post arrives.
 *
 * tw_board_apply() calls these inside its transaction; they borrow the
 * store and write only through it.
 */
#ifndef TW_CONVERGE_H
#define TW_CONVERGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "item.h"
#include "order.h"
#include "store.h"

/* What one change did. */
typedef struct tw_converge_result {
    const char *event;       /* "claimed", "resolved", "reopened"; NULL: nothing changed */
    bool wrote;              /* something was stored (the log grew) */
    tw_item after;           /* the item as it now is */
    char note[TW_NOTE_SIZE]; /* its note (a resolve's answer), "" when none */
    char reason[160];        /* why a change that arrived in order did nothing */
} tw_converge_result;

/*
 * Apply the state change cmd (cleaned: claim, resolve or reopen) to item
 * (as stored, found by cmd->ref) at now. The change is logged under its
 * command id (cmd->id, else tw_order_cmd_id()); one logged already (a
 * redelivery) does nothing. In order (after the item's latest change) it is
 * one tw_order_step(); otherwise the item is folded again from its whole
 * log. The item, its note and a history row are written when it changed.
 * Returns 0 (res->event tells), TW_ERR_INVAL when it arrived in order and
 * the rules refuse it (res->reason: "wins cannot be claimed", ...; it is
 * still logged, since a change dated before it may arrive later), or a
 * TW_ERR_* store failure.
 */
int tw_converge_apply(tw_store *store, const tw_command *cmd, const tw_item *item, int64_t now,
                      tw_converge_result *res);

/* Keep the state change cmd, whose ref names no item yet, for when its post
 * arrives (bounded: TW_CONVERGE_PENDING_MAX; the oldest give way). 0, 1 if
 * it was kept already, or a TW_ERR_* store failure. */
#define TW_CONVERGE_PENDING_MAX 10000
int tw_converge_keep(tw_store *store, const tw_command *cmd, int64_t now);

/*
 * After item was inserted: attach the kept changes that name it (its id, or
 * a short ref its hash starts with) and fold them in. *changed tells whether
 * the item changed (then *item and note, TW_NOTE_SIZE bytes, are the new
 * state, written). 0 or a TW_ERR_* store failure.
 */
int tw_converge_posted(tw_store *store, tw_item *item, char *note, bool *changed);

/* Changes kept for items not seen yet, or a TW_ERR_*. */
int64_t tw_converge_pending(tw_store *store);

/* The whole log of item_id into *ops (caller frees), any order. */
int tw_converge_ops_of(tw_store *store, const char *item_id, tw_op **ops, size_t *n);

/* Record an op for item_id as logged elsewhere (catch-up): 0, 1 if known,
 * or a TW_ERR_*. The caller folds. */
int tw_converge_log(tw_store *store, const tw_op *op, const char *item_id, const char *source,
                    int64_t received);

/* Fold item (as stored) over its whole log and write it if that changes it.
 * *changed (may be NULL) tells; note (TW_NOTE_SIZE) gets its note. */
int tw_converge_refold(tw_store *store, tw_item *item, char *note, bool *changed);

#endif
