/* SPDX-License-Identifier: MIT */
/*
 * Backups of the board's database (teamwall-ctl backup and restore, the
 * nightly teamwall-backup.timer). Copies go through SQLite's online backup
 * API on their own connections, so the board keeps running and writing:
 * a backup is one read transaction (a consistent snapshot; WAL lets the
 * board commit meanwhile), a restore one write transaction into the live
 * file (same inode: the board's connection sees the new content, and the
 * board reloads its model when PRAGMA data_version says another connection
 * wrote, see tw_store_data_version()). This module owns only files; the
 * store module owns the board's connection.
 */
#ifndef TW_BACKUP_H
#define TW_BACKUP_H

#include <stddef.h>

/* Copy the database at db to dest. dest ending in '/' is a folder: the copy
 * is named teamwall-YYYYMMDD-HHMMSS.db there and, keep > 0, all but the keep
 * newest teamwall-*.db in it are deleted. The copy is written beside its name
 * and renamed into place only after PRAGMA integrity_check said "ok". The
 * path written goes into written (may be NULL). Returns 0, or TW_ERR_* with
 * a reason in err. */
int tw_backup_copy(const char *db, const char *dest, int keep, char *written, size_t written_size,
                   char *err, size_t err_size);

/* Check that path is a teamwall database a restore may use: it opens,
 * passes integrity_check and has the items and history tables. Returns 0 or
 * TW_ERR_INVAL/TW_ERR_IO/TW_ERR_DB with a reason. */
int tw_backup_check(const char *path, char *err, size_t err_size);

/* Restore the backup at src into the live database at db: checked, brought
 * to the current schema on a private copy (so the board never sees an old
 * one), then copied in by the backup API, retrying while the board holds the
 * write lock (up to timeout_ms). Returns 0 or TW_ERR_* with a reason. */
int tw_backup_restore(const char *src, const char *db, int timeout_ms, char *err, size_t err_size);

#endif
