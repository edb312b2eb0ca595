/* SPDX-License-Identifier: MIT */
/*
 * For modules that keep their own tables in the store's database
 * (firmware/converge.c: the state-change log, firmware/sync.c: catch-up
 * pages, firmware/buttonstore.c: the desk buttons): prepared statements cached by the store, so
 * they live and die with its connection (tw_store_verify() may replace it). Not for anyone else:
 * the rest of the program goes through store.h.
 */
#ifndef TW_STORE_INT_H
#define TW_STORE_INT_H

#include <sqlite3.h>

#include "store.h"

/* Slots: each module owns a range. */
#define TW_STORE_CACHED_MAX     40
#define TW_STORE_SLOT_CONVERGE  0  /* 0..15 */
#define TW_STORE_SLOT_SYNC      16 /* 16..31 */
#define TW_STORE_SLOT_BUTTONS   32 /* 32..39: firmware/buttonstore.c */
#define TW_STORE_SLOT_BUTTONS_N 8

/* The statement for slot, prepared from sql on first use (sql must be the
 * same text every time for a slot), reset and unbound. Borrowed: the store
 * finalizes it. NULL when it cannot be prepared (logged). */
sqlite3_stmt *tw_store_cached(tw_store *store, unsigned slot, const char *sql);

/* Map a SQLite code to TW_ERR_* with one log line naming what (the second
 * for a bare connection: firmware/schema.c, before the store exists). */
int tw_store_fail(tw_store *store, int rc, const char *what);
int tw_store_db_fail(sqlite3 *db, int rc, const char *what);

/* Bind s as text (NULL binds NULL); copy a text column into dst, truncated
 * to size ("" for NULL). */
void tw_store_bind_text(sqlite3_stmt *st, int i, const char *s);
void tw_store_column_copy(sqlite3_stmt *st, int col, char *dst, size_t size);

#endif
