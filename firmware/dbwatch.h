/* SPDX-License-Identifier: MIT */
/*
 * The database file under a running board (TARGETS.md R11). SQLite keeps
 * writing through its open descriptors when the file's name is deleted,
 * replaced or made read-only, so a board that only looks at SQLite's result
 * codes acknowledges commands into a file that is gone. The watch remembers
 * which file (device and inode) the store opened, and its -wal and -shm, and
 * tells the board, before a commit and every few seconds when idle, whether
 * that is still what the path names:
 *
 *   deleted    the file, its -wal or its -shm is gone: rewrite everything the
 *              store still reads to a fresh file at the path (nothing lost);
 *   replaced   another file is at the path (a restore, a copy): keep the
 *              store's own data beside it as <path>.replaced-<time> and go on
 *              with the new file (an orderly reload that calls
 *              tw_dbwatch_rebase() after reopening is not a replacement);
 *   read-only  the file or its file system no longer takes writes: nothing is
 *              acknowledged until it does.
 *
 * It also keeps a marker file <path>.running while the board has the store
 * open, its time that of the board's last checkpoint, so a start after a
 * crash notices that the -wal was deleted (its last commits lost) rather
 * than checkpointed by another program. Owns: the remembered identities and
 * the marker.
 */
#ifndef TW_DBWATCH_H
#define TW_DBWATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "store.h"

typedef enum {
    TW_DBFILE_OK = 0,
    TW_DBFILE_DELETED,
    TW_DBFILE_REPLACED,
    TW_DBFILE_READ_ONLY,
} tw_dbfile_state;

typedef struct tw_dbwatch tw_dbwatch;

/* Before the store opens path: whether the last board that had it open
 * stopped without closing it (a crash) and its -wal is gone since, with
 * the file not written after that board's last checkpoint (another
 * program that replayed the log into the file and removed it lost
 * nothing). */
bool tw_dbwatch_wal_lost(const char *path);
/* The store checkpointed its log into the file (tw_store_on_checkpoint's
 * callback, ctx the watch): stamps the marker's time. */
void tw_dbwatch_checkpointed(void *ctx);

/* Start watching path, which the store has just opened; writes the marker. */
tw_dbwatch *tw_dbwatch_create(const char *path);
/* Stop; clean (the store was closed normally) removes the marker. NULL is a no-op. */
void tw_dbwatch_destroy(tw_dbwatch *w, bool clean);

/* What became of the file since it was opened or last rebased; why (size
 * bytes) says it in a sentence for the log and the wall. A few stat() calls. */
tw_dbfile_state tw_dbwatch_check(tw_dbwatch *w, char *why, size_t size);

/* The file now at the path is the store's (after tw_store_reattach() or an
 * orderly reload of a restored file). */
void tw_dbwatch_rebase(tw_dbwatch *w);

/* TW_DBFILE_DELETED: write everything to a fresh file at the path and
 * reattach the store to it. 0 or a TW_ERR_* code (then nothing changed). */
int tw_dbwatch_rewrite(tw_dbwatch *w, tw_store *store);

/* TW_DBFILE_REPLACED: copy the store's data to <path>.replaced-<time> (its
 * name into aside, size bytes) and reattach the store to the new file. */
int tw_dbwatch_adopt(tw_dbwatch *w, tw_store *store, char *aside, size_t size);

#endif
