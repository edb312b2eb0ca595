/* SPDX-License-Identifier: MIT */
/*
 * The model of open items behind the board: every open and claimed item
 * once, compactly (one allocation per item, its strings sized to what they
 * hold, not tw_item's fixed buffers), indexed by seq and by id (hash tables)
 * and kept in each kind's order (a balanced tree with subtree sizes), so
 * putting, replacing or removing an item costs O(log n) and reading the first
 * few of a kind, the n-th one or one by its seq or id never walks the rest.
 *
 * The order of a kind is (created, seq), oldest first: the order of the
 * wall's blockers and questions, the stand-up's walk and the retained state
 * (wins show newest first: read them from the end). It is decided by one
 * comparison, before() in model.c.
 *
 * The model owns its entries. Every const tw_item_view * it returns is
 * borrowed: it and its strings stay valid until the next tw_model_put(),
 * tw_model_clear() or tw_model_destroy() (a put may free or move any entry).
 * Copy what must outlive that (tw_item_from_view()).
 */
#ifndef TW_MODEL_H
#define TW_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "item.h"

typedef struct tw_model tw_model;

tw_model *tw_model_create(void);
/* NULL is a no-op. */
void tw_model_destroy(tw_model *m);
/* Forget every item. */
void tw_model_clear(tw_model *m);

/* Make the model agree with item (copied): a resolved item leaves it (if it
 * was there); an open or claimed one is inserted, or replaces the entry with
 * its seq. O(log n). */
void tw_model_put(tw_model *m, const tw_item *item);

/* Open items of kind; TW_KIND_COUNT counts every kind. O(1). */
size_t tw_model_count(const tw_model *m, tw_kind kind);

/* The oldest / newest of kind in its order, or NULL when it has none. */
const tw_item_view *tw_model_first(const tw_model *m, tw_kind kind);
const tw_item_view *tw_model_last(const tw_model *m, tw_kind kind);
/* The next newer / older of the same kind, or NULL at the end. it must be
 * one of this model's entries. Amortised O(1), O(log n) at worst. */
const tw_item_view *tw_model_next(const tw_model *m, const tw_item_view *it);
const tw_item_view *tw_model_prev(const tw_model *m, const tw_item_view *it);
/* The index-th of kind in its order (0 = oldest), or NULL past the end; and
 * an entry's index in its kind. O(log n). */
const tw_item_view *tw_model_at(const tw_model *m, tw_kind kind, size_t index);
size_t tw_model_rank(const tw_model *m, const tw_item_view *it);
/* By seq or by id, or NULL when not open. O(1). */
const tw_item_view *tw_model_find_seq(const tw_model *m, int64_t seq);
const tw_item_view *tw_model_find_id(const tw_model *m, const char *id);

/* The highest seq ever put into the model while open (0 for none): an item
 * with a higher seq is newer than everything the model held. */
int64_t tw_model_seq_high(const tw_model *m);

/* Heap bytes the model asked for (entries and indexes), for the benches'
 * per-item figure; malloc's own overhead is not counted. */
size_t tw_model_bytes(const tw_model *m);

/* Check every invariant (tree balance, sizes, order, both indexes); 0 when
 * they hold. For tests: O(n). */
int tw_model_check(const tw_model *m);

#endif
