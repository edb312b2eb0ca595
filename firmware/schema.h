/* SPDX-License-Identifier: MIT */
/*
 * The store's schema: the forward migrations, numbered by PRAGMA
 * user_version, and the one loop that applies them. Owned here, used only by
 * firmware/store.c when it opens a read-write connection (and by the tests
 * that pin the version). Append a step; never edit a released one.
 */
#ifndef TW_SCHEMA_H
#define TW_SCHEMA_H

#include <sqlite3.h>

/* The version this build creates and needs: the number of steps. */
int tw_schema_latest(void);

/* The file's PRAGMA user_version into *out; the raw SQLite code (so a caller
 * can tell a corrupt file from other trouble). */
int tw_schema_version(sqlite3 *db, int *out);

/* Bring db up to tw_schema_latest(), one transaction per step (each with its
 * user_version bump). 0, or TW_ERR_DB for a file from a newer build or not
 * teamwall's, or the TW_ERR_* of a failed step (rolled back, logged). */
int tw_schema_migrate(sqlite3 *db);

#endif
