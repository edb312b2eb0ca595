/* SPDX-License-Identifier: MIT */
/*
 * Catch-up pages (docs/SYNC.md): a peer that has the history builds one
 * bounded page of it from its store; the board that catches up applies it to
 * its own. A page holds items with their note, their change log (ops) and
 * their history rows, in the answering peer's store order, open and claimed
 * items first (so a fresh wall shows what is open after the first pages),
 * then resolved items changed since the asked time. Applying is idempotent
 * (items by id, changes by command id, the state refolded by the ordering
 * rule), so a page received twice, or from two peers, changes nothing more.
 *
 * The cursor is "<peer>:<phase>:<seq>", meaningful to the peer that made it;
 * another peer starts over (harmlessly) at "".
 *
 * The last page also carries the stand-ups that ended since the asked time
 * ("standups", with the items each walked); receivers ignore sections they
 * do not know.
 */
#ifndef TW_SYNCPAGE_H
#define TW_SYNCPAGE_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

#define TW_SYNC_CURSOR_SIZE 96
#define TW_SYNC_PAGE_ITEMS  500    /* items in a page at most */
#define TW_SYNC_PAGE_BYTES  262144 /* and about this many bytes of JSON */

/*
 * The page after cursor ("" = the start) of what peer's store has for a
 * board that asked for items changed since `since` (Unix seconds; 0 =
 * everything): JSON {"board":peer,"to":to,"cursor":…,"next":… or null,
 * "items":[…]} into *json (caller frees), at most max_items items.
 * 0 or a TW_ERR_* store failure; TW_ERR_INVAL for a cursor that is not
 * peer's (then start at "").
 */
int tw_syncpage_build(tw_store *store, const char *peer, const char *to, const char *cursor,
                      int64_t since, size_t max_items, char **json);

/* What applying a page did. */
typedef struct tw_syncpage_result {
    size_t items;    /* items in the page */
    size_t added;    /* of them new to this store */
    size_t changed;  /* of them whose state changed */
    size_t ops;      /* changes new to this store */
    size_t shown;    /* of them open or claimed now, or changed: the wall's model moves */
    size_t standups; /* ended stand-ups in the page */
    char next[TW_SYNC_CURSOR_SIZE]; /* the cursor to ask for next; "" when the page was the last */
    char from[64];                  /* the peer that answered */
} tw_syncpage_result;

/*
 * Apply page (JSON, len bytes) to store, inside the caller's transaction
 * (or each write autocommits). 0; TW_ERR_PARSE with reason for a page that
 * is not one (nothing is written); or a TW_ERR_* store failure (the caller
 * rolls back).
 */
int tw_syncpage_apply(tw_store *store, const void *page, size_t len, int64_t now,
                      tw_syncpage_result *res, char *reason, size_t reason_size);

/* The catch-up in progress, kept in the store so a restart resumes it:
 * value is a short JSON text. Get: TW_ERR_NOTFOUND when none. Set with
 * value NULL deletes it. */
int tw_syncpage_state_get(tw_store *store, char *value, size_t size);
int tw_syncpage_state_set(tw_store *store, const char *value);

/* Newest updated time of any item (0 for an empty store). */
int64_t tw_syncpage_newest(tw_store *store);
/* Items in the store (all states); reads a whole index. */
int64_t tw_syncpage_count(tw_store *store);
/* 1 if the store holds any item, 0 if none, TW_ERR_DB: what the board asks
 * at start, without reading every page (tw_syncpage_count does). */
int tw_syncpage_any(tw_store *store);

#endif
