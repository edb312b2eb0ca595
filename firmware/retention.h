/* SPDX-License-Identifier: MIT */
/*
 * What the team may take back out of its history (PRODUCT.md, "The team's
 * data is the team's"): redaction of one item (its text, author and note
 * gone from items, history and the search index, the history keeping that
 * it was redacted, by whom and when) and [board] keep, dropping resolved
 * items older than that with their history. Both write through the store's
 * connection, in its transactions (schema step 9 in firmware/schema.c lets
 * history rows lose their words, and lets the history of a deleted item go).
 */
#ifndef TW_RETENTION_H
#define TW_RETENTION_H

#include <stdbool.h>
#include <stdint.h>

#include "item.h"
#include "store.h"

/* The text a redacted item keeps (not translated: it is stored). */
#define TW_REDACTED_TEXT "[redacted]"

/* True when item was redacted already. */
bool tw_retention_redacted(const tw_item *item);

/* Redact *item (updated in place: text TW_REDACTED_TEXT, author "") in the
 * store's open transaction: items, the history of the item (notes and the
 * poster's name cleared), a "redact" history row (by, source, now), and the
 * search index rewritten without the words. Secure delete is on for it, and
 * tw_retention_checkpoint_due() asks for a WAL checkpoint after the commit.
 * Returns 0 or a TW_ERR_* store failure. */
int tw_retention_redact(tw_store *store, tw_item *item, const char *by, const char *source,
                        int64_t now);

/* Whether a redaction was committed since the last call (the caller then
 * runs tw_retention_checkpoint() outside any transaction). */
bool tw_retention_checkpoint_due(void);

/* Truncate the WAL so no old page image of a redacted item stays in it. */
int tw_retention_checkpoint(tw_store *store);

/* Delete resolved items resolved before `before` (Unix seconds) with their
 * history, in one transaction of its own. *deleted (may be NULL) gets how
 * many. Returns 0 or TW_ERR_*. */
int tw_retention_prune(tw_store *store, int64_t before, int64_t *deleted);

#endif
