/* SPDX-License-Identifier: MIT */
/*
 * Helpers for tests that look at a database file from the outside: remove a
 * file with everything SQLite or recovery left beside it, and run SQL on a
 * separate raw connection (so the check does not go through the code under
 * test).
 */
#ifndef TW_TEST_DBFIX_H
#define TW_TEST_DBFIX_H

#include <sqlite3.h>
#include <stdio.h>
#include <unistd.h>

/* Remove a database file and its -wal, -shm and -journal companions. */
static inline void remove_db(const char *path)
{
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    char buf[1100];
    for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
        snprintf(buf, sizeof(buf), "%s%s", path, suffixes[i]);
        unlink(buf);
    }
}

/* Run sql on a separate raw connection; returns the SQLite code. */
static inline int raw_exec(const char *path, const char *sql)
{
    sqlite3 *db;
    int rc = sqlite3_open(path, &db);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    sqlite3_close(db);
    return rc;
}

/* First column of the first row of sql as text ("(null)" for NULL, "" when
 * there is no row), from a raw connection. */
static inline void raw_text(const char *path, const char *sql, char *out, size_t size)
{
    sqlite3 *db;
    sqlite3_stmt *st = NULL;
    out[0] = '\0';
    if (sqlite3_open(path, &db) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        snprintf(out, size, "%s",
                 sqlite3_column_text(st, 0) ? (const char *)sqlite3_column_text(st, 0) : "(null)");
    sqlite3_finalize(st);
    sqlite3_close(db);
}

#endif
