/* SPDX-License-Identifier: MIT */
/*
 * The SQLite store. One connection, WAL journal, every statement prepared at
 * open and reused (the board commits each MQTT read's commands in one
 * transaction, so per-command cost is a handful of sqlite3_step calls). The
 * schema is created and upgraded by forward migrations numbered by
 * PRAGMA user_version. A file that is not a usable database at open is moved
 * aside (never deleted) and a fresh store started, so a wall that lost its
 * SD card's data comes back up empty instead of crash-looping.
 */
#define _POSIX_C_SOURCE 200809L
#define LOG_MODULE      "store"
#include "store.h"

#include <ctype.h>
#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "prefixes.h"
#include "schema.h"
#include "store_int.h"
#include "util.h"

/* How long a statement waits for another connection's lock (teamwall-ctl,
 * a backup) before giving up with TW_ERR_BUSY. Short: the main loop blocks. */
#define BUSY_TIMEOUT_MS 2000

_Static_assert(TW_HASH_LEN * 5 < 64, "the hash characters must fit in 64 bits");
_Static_assert(TW_REF_MIN >= 1 && TW_REF_MIN <= TW_HASH_LEN, "refs are prefixes of the hash");

#define SCHEMA_VERSION tw_schema_latest()

#define ITEM_COLUMNS                                                                               \
    "seq, id, ref, kind, text, author, source, state, created, claimed, claimed_by, resolved, "    \
    "resolved_by, updated"
/* The same, qualified, where another table has a text or note column. */
#define ITEM_COLUMNS_I                                                                             \
    "i.seq, i.id, i.ref, i.kind, i.text, i.author, i.source, i.state, i.created, i.claimed, "      \
    "i.claimed_by, i.resolved, i.resolved_by, i.updated"

enum {
    S_BEGIN,
    S_COMMIT,
    S_ROLLBACK,
    S_GET,
    S_GET_REF,
    S_PREFIX,
    S_REFS_NEAR,
    S_SET_REF,
    S_INSERT,
    S_UPDATE,
    S_NOTE,
    S_SEARCH,
    S_LEARN,
    S_EACH_NOTED_ALL,
    S_EACH_NOTED_RESOLVED,
    S_HISTORY_ADD,
    S_HISTORY_COUNT,
    S_EACH_OPEN,
    S_EACH_ALL,
    S_HISTORY_RECENT,
    S_HISTORY_OF,
    S_HASHES,
    S_DATA_VERSION,
    S_COUNT
};

static const char *const statement_sql[S_COUNT] = {
    [S_HASHES] = "SELECT hash FROM items",
    [S_DATA_VERSION] = "PRAGMA data_version",
    /* IMMEDIATE takes the write lock up front: a deferred transaction that
     * reads first and writes later can fail with SQLITE_BUSY on the upgrade,
     * which busy_timeout cannot wait out. Read-only stores use plain BEGIN. */
    [S_BEGIN] = "BEGIN IMMEDIATE",
    [S_COMMIT] = "COMMIT",
    [S_ROLLBACK] = "ROLLBACK",
    [S_GET] = "SELECT " ITEM_COLUMNS " FROM items WHERE id = ?1",
    /* A ref is a prefix of its hash: the range finds it on the hash index. */
    [S_GET_REF] = "SELECT " ITEM_COLUMNS " FROM items WHERE hash >= ?1 AND hash < ?2 AND ref = ?1",
    /* Range on the hash index; ?2 is ?1 followed by '~', above every
     * alphabet character, so the range is exactly "starts with ?1". */
    [S_PREFIX] = "SELECT " ITEM_COLUMNS " FROM items WHERE hash >= ?1 AND hash < ?2 LIMIT 2",
    /* Refs that share the first TW_REF_MIN characters with a new hash: the
     * candidates that could already use one of its prefixes (their hashes
     * start with the same characters). */
    [S_REFS_NEAR] = "SELECT seq, id, ref, hash, created FROM items WHERE hash >= ?1 AND hash < ?2",
    [S_SET_REF] = "UPDATE items SET ref = ?2 WHERE seq = ?1",
    [S_INSERT] = "INSERT INTO items (id, ref, hash, kind, text, author, source, state, created, "
                 "claimed, claimed_by, resolved, resolved_by, note, updated) "
                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    [S_NOTE] = "SELECT note FROM items WHERE id = ?1",
    /* Resolved items matching an FTS5 query, best first (bm25). */
    [S_EACH_NOTED_ALL] = "SELECT " ITEM_COLUMNS ", note FROM items ORDER BY seq",
    [S_EACH_NOTED_RESOLVED] = "SELECT " ITEM_COLUMNS ", note FROM items "
                              "WHERE state = 'resolved' ORDER BY seq",
    /* Resolved items matching an FTS5 query, newest first: the index walks
     * its lists in rowid order and stops at the limit, where ranking (bm25)
     * scores every match first (a common word: 180 ms rather than 4 over
     * 100,000 items, TARGETS.md P7); and the latest answer is the likeliest
     * to still hold. */
    [S_LEARN] = "INSERT INTO learned (rowid, text, note) VALUES (?1, ?2, ?3)",
    [S_SEARCH] = "SELECT " ITEM_COLUMNS_I ", i.note FROM learned JOIN items i ON i.seq = "
                 "learned.rowid WHERE learned MATCH ?1 ORDER BY learned.rowid DESC LIMIT ?2",
    [S_UPDATE] = "UPDATE items SET state = ?2, claimed = ?3, claimed_by = ?4, resolved = ?5, "
                 "resolved_by = ?6, note = ?7, updated = ?8 WHERE id = ?1",
    [S_HISTORY_ADD] = "INSERT INTO history (at, item_id, action, actor, source, detail) "
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [S_HISTORY_COUNT] = "SELECT count(*) FROM history",
    [S_EACH_OPEN] = "SELECT " ITEM_COLUMNS " FROM items WHERE state IN ('open', 'claimed') "
                    "ORDER BY seq",
    [S_EACH_ALL] = "SELECT " ITEM_COLUMNS " FROM items ORDER BY seq",
    /* Newest history first, by rowid, each row with its item through the
     * unique index on id: the caller stops once rows get older than what it
     * needs, so the cost follows the recent activity, not the table. */
    [S_HISTORY_RECENT] = "SELECT i.seq, i.id, i.ref, i.kind, i.text, i.author, i.source, i.state, "
                         "i.created, i.claimed, i.claimed_by, i.resolved, i.resolved_by, "
                         "i.updated, h.seq, h.at, h.item_id, h.action, h.actor, h.source, h.detail "
                         "FROM history h JOIN items i ON i.id = h.item_id ORDER BY h.seq DESC",
    [S_HISTORY_OF] = "SELECT seq, at, item_id, action, actor, source, detail FROM history "
                     "WHERE item_id = ?1 ORDER BY seq",
};

struct tw_store {
    sqlite3 *db;
    sqlite3_stmt *st[S_COUNT];
    bool read_only;
    char *recovered_from;
    char *path;
    bool sync_full;
    bool unchecked;      /* the integrity check was deferred (tw_store_verify) */
    uint64_t refs_moved; /* items whose ref an insert changed (tw_store_refs_moved) */
    /* Their seqs, for the last insert (tw_store_last_moved); a group of
     * refs sharing a prefix is a handful of items. */
    int64_t moved[8];
    size_t n_moved;
    bool moved_more;                           /* more than fit in moved[] */
    sqlite3_stmt *cached[TW_STORE_CACHED_MAX]; /* other modules' (store_int.h) */
    void (*checkpointed)(void *ctx);           /* tw_store_on_checkpoint */
    void *checkpointed_ctx;
    /* The items' hash prefixes (firmware/prefixes.h), read at the first
     * insert of a connection; trusted only inside a transaction begun after
     * checking that no other connection wrote meanwhile (trusted). */
    tw_prefixes *prefixes;
    int64_t data_version; /* PRAGMA data_version when last checked */
    bool trusted;
};

static const char alphabet[] = TW_HASH_ALPHABET;

int tw_store_db_fail(sqlite3 *db, int rc, const char *what)
{
    int code;
    switch (rc & 0xff) {
    case SQLITE_FULL:
    case SQLITE_READONLY: code = TW_ERR_FULL; break;
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN: code = TW_ERR_IO; break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: code = TW_ERR_BUSY; break;
    default: code = TW_ERR_DB; break;
    }
    const char *msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    if (code == TW_ERR_BUSY)
        log_warn("%s: %s (%d)", what, msg, rc);
    else
        log_error("%s: %s (%d)", what, msg, rc);
    return code;
}

static int fail(tw_store *s, int rc, const char *what)
{
    return tw_store_db_fail(s->db, rc, what);
}

/* Statements are reset right after use: a statement left mid-step keeps a
 * read transaction open and would pin the WAL. */
static void done(sqlite3_stmt *st)
{
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
}

void tw_store_bind_text(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

void tw_store_column_copy(sqlite3_stmt *st, int col, char *dst, size_t size)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    tw_strlcpy(dst, t ? (const char *)t : "", size);
}

/* Fill out from a row of ITEM_COLUMNS. TW_ERR_DB for a row this build cannot
 * read (CHECK constraints make that a foreign writer's doing). */
static int read_item(sqlite3_stmt *st, tw_item *out)
{
    memset(out, 0, sizeof(*out));
    out->seq = sqlite3_column_int64(st, 0);
    tw_store_column_copy(st, 1, out->id, sizeof(out->id));
    tw_store_column_copy(st, 2, out->ref, sizeof(out->ref));
    int kind = tw_kind_parse((const char *)sqlite3_column_text(st, 3));
    tw_store_column_copy(st, 4, out->text, sizeof(out->text));
    tw_store_column_copy(st, 5, out->author, sizeof(out->author));
    tw_store_column_copy(st, 6, out->source, sizeof(out->source));
    int state = tw_state_parse((const char *)sqlite3_column_text(st, 7));
    out->created = sqlite3_column_int64(st, 8);
    out->claimed = sqlite3_column_int64(st, 9);
    tw_store_column_copy(st, 10, out->claimed_by, sizeof(out->claimed_by));
    out->resolved = sqlite3_column_int64(st, 11);
    tw_store_column_copy(st, 12, out->resolved_by, sizeof(out->resolved_by));
    out->updated = sqlite3_column_int64(st, 13);
    if (kind < 0 || state < 0) {
        log_error("item %s has an unknown kind or state", out->id);
        return TW_ERR_DB;
    }
    out->kind = (tw_kind)kind;
    out->state = (tw_state)state;
    return 0;
}

/* Step a statement expected to yield at most one item. */
static int step_item(tw_store *s, sqlite3_stmt *st, tw_item *out, const char *what)
{
    int rc = sqlite3_step(st);
    int ret;
    if (rc == SQLITE_ROW)
        ret = read_item(st, out);
    else if (rc == SQLITE_DONE)
        ret = TW_ERR_NOTFOUND;
    else
        ret = fail(s, rc, what);
    done(st);
    return ret;
}

/* First column of the first row of sql as text into buf; the raw SQLite
 * code is returned so open can tell a corrupt file from other trouble. */
static int query_text(sqlite3 *db, const char *sql, char *buf, size_t size)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK)
        return rc;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(st, 0);
        tw_strlcpy(buf, t ? (const char *)t : "", size);
        rc = SQLITE_OK;
    } else if (rc == SQLITE_DONE) {
        tw_strlcpy(buf, "", size);
        rc = SQLITE_OK;
    } else {
        /* prepare_v2 statements return the specific code from step. */
    }
    sqlite3_finalize(st);
    return rc;
}

static bool is_corrupt(int rc)
{
    return (rc & 0xff) == SQLITE_NOTADB || (rc & 0xff) == SQLITE_CORRUPT;
}

/* Set up a read-write connection. Returns a SQLite code; *corrupt tells the
 * caller the file is not usable as a database, why (size bytes) says how. */
static int configure(sqlite3 *db, bool sync_full, bool check, bool *corrupt, char *why, size_t size)
{
    char buf[256];
    *corrupt = false;
    /* The first statement that reads the file: garbage shows up here as
     * SQLITE_NOTADB. */
    int rc = query_text(db, "PRAGMA journal_mode=WAL", buf, sizeof(buf));
    if (rc == SQLITE_OK) {
        if (strcmp(buf, "wal") != 0 && strcmp(buf, "memory") != 0)
            log_warn("journal mode is %s, not wal (file system without shared memory?)", buf);
        rc = sqlite3_exec(db,
                          sync_full ? "PRAGMA synchronous=FULL; PRAGMA foreign_keys=OFF"
                                    : "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=OFF",
                          NULL, NULL, NULL);
    }
    if (rc == SQLITE_OK && check)
        rc = query_text(db, "PRAGMA quick_check", buf, sizeof(buf));
    else if (rc == SQLITE_OK)
        tw_strlcpy(buf, "ok", sizeof(buf));
    if (rc != SQLITE_OK) {
        *corrupt = is_corrupt(rc);
        snprintf(why, size, "%s", sqlite3_errmsg(db));
        return rc;
    }
    if (strcmp(buf, "ok") != 0) {
        /* quick_check's first line; newlines folded for a one-line log. */
        for (char *p = buf; *p; p++)
            if (*p == '\n')
                *p = ' ';
        snprintf(why, size, "quick_check: %s", buf);
        *corrupt = true;
        return SQLITE_CORRUPT;
    }
    return SQLITE_OK;
}

static bool exists(const char *path)
{
    return access(path, F_OK) == 0;
}

/* Move path and its companions to <path>.corrupt-<time>[-n]{,-wal,-shm,
 * -journal}: the moved set stays openable together for a post-mortem. */
static int move_aside(const char *path, char **moved_to)
{
    static const char *const companions[] = {"-wal", "-shm", "-journal"};
    size_t size = strlen(path) + 64;
    char *dst = tw_xmalloc(size);
    long long now = (long long)tw_now();
    snprintf(dst, size, "%s.corrupt-%lld", path, now);
    for (int n = 1; exists(dst) && n < 1000; n++)
        snprintf(dst, size, "%s.corrupt-%lld-%d", path, now, n);
    if (rename(path, dst) != 0) {
        log_error("cannot move corrupt %s to %s: %s", path, dst, strerror(errno));
        free(dst);
        return TW_ERR_IO;
    }
    char *from = tw_xmalloc(size), *to = tw_xmalloc(size);
    for (size_t i = 0; i < TW_ARRAY_LEN(companions); i++) {
        snprintf(from, size, "%s%s", path, companions[i]);
        snprintf(to, size, "%s%s", dst, companions[i]);
        if (exists(from) && rename(from, to) != 0) {
            /* A stale -wal or -journal next to the fresh file would be
             * replayed into it: refuse to go on. */
            log_error("cannot move %s to %s: %s", from, to, strerror(errno));
            free(from);
            free(to);
            free(dst);
            return TW_ERR_IO;
        }
    }
    free(from);
    free(to);
    *moved_to = dst;
    return 0;
}

static int open_read_only(const char *path, sqlite3 **out)
{
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
    int ret = 0;
    if (rc != SQLITE_OK) {
        ret = tw_store_db_fail(db, rc, path);
        goto out;
    }
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS);
    int v;
    rc = tw_schema_version(db, &v);
    if (rc != SQLITE_OK) {
        if (is_corrupt(rc)) {
            log_error("%s: not a usable database (%s); open it read-write to recover", path,
                      sqlite3_errmsg(db));
            ret = TW_ERR_DB;
        } else {
            ret = tw_store_db_fail(db, rc, path);
        }
        goto out;
    }
    if (v != SCHEMA_VERSION) {
        if (v > SCHEMA_VERSION)
            log_error("%s: schema version %d is newer than this build knows (%d)", path, v,
                      SCHEMA_VERSION);
        else
            log_error("%s: schema version %d, this build needs %d; open it read-write once "
                      "(start teamwall) to migrate",
                      path, v, SCHEMA_VERSION);
        ret = TW_ERR_DB;
        goto out;
    }
out:
    if (ret) {
        sqlite3_close(db);
        db = NULL;
    }
    *out = db;
    return ret;
}

/* check false defers PRAGMA quick_check to tw_store_verify() (the file then
 * stays "not known good" and closing it does not checkpoint), unless the
 * schema needs a migration: nothing is written to an unchecked file. */
static int open_read_write(const char *path, bool sync_full, bool check, sqlite3 **out,
                           char **recovered)
{
    sqlite3 *db = NULL;
    int ret = 0;
    for (int attempt = 0;; attempt++) {
        /* NOMUTEX: a store is used by the thread that opened it only (the
         * board's one loop, teamwall-ctl), so SQLite's per-call locking of
         * the connection is work for nobody (about 1 % of a post). */
        int rc = sqlite3_open_v2(
            path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
        if (rc != SQLITE_OK) {
            ret = tw_store_db_fail(db, rc, path);
            goto out;
        }
        sqlite3_extended_result_codes(db, 1);
        sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS);
        /* Until the file is known good, closing must not checkpoint: that
         * would write a stray WAL into it and delete the WAL, the evidence. */
        sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)NULL);
        bool corrupt;
        char why[300];
        int v;
        bool migrating = tw_schema_version(db, &v) != SQLITE_OK || v < SCHEMA_VERSION;
        if (!migrating && v > SCHEMA_VERSION) {
            /* A newer teamwall's file: refused before configure() would
             * change it (its journal mode, a check's writes). */
            log_error("%s: schema version %d is newer than this build knows (%d); refusing to "
                      "use it",
                      path, v, SCHEMA_VERSION);
            ret = TW_ERR_DB;
            goto out;
        }
        rc = configure(db, sync_full, check || migrating, &corrupt, why, sizeof(why));
        if (rc == SQLITE_OK) {
            if (check || migrating)
                sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 0, (int *)NULL);
            break;
        }
        if (!corrupt || attempt > 0) {
            ret = tw_store_db_fail(db, rc, path);
            goto out;
        }
        log_warn("%s is not a usable database (%s); moving it aside and starting afresh", path,
                 why);
        sqlite3_close(db);
        db = NULL;
        ret = move_aside(path, recovered);
        if (ret)
            goto out;
        log_warn("corrupt database kept as %s", *recovered);
    }
    ret = tw_schema_migrate(db);
out:
    if (ret) {
        sqlite3_close(db);
        db = NULL;
    }
    *out = db;
    return ret;
}

static int prepare_all(tw_store *s)
{
    for (int i = 0; i < S_COUNT; i++) {
        const char *sql = statement_sql[i];
        if (i == S_BEGIN && s->read_only)
            sql = "BEGIN";
        int rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->st[i], NULL);
        if (rc != SQLITE_OK)
            return fail(s, rc, "prepare");
    }
    return 0;
}

/* SQLite's auto-checkpoint, as its default (sqlite3_wal_autocheckpoint:
 * a passive checkpoint once the log holds this many pages), with the
 * owner told after each: the board stamps its marker then
 * (firmware/dbwatch.c), so a start after a crash can tell a log that
 * another program checkpointed from one that was deleted. */
#define WAL_CHECKPOINT_PAGES 1000

static int wal_hook(void *ctx, sqlite3 *db, const char *name, int pages)
{
    tw_store *s = ctx;
    if (pages >= WAL_CHECKPOINT_PAGES) {
        int rc = sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
        if (rc == SQLITE_OK && s->checkpointed)
            s->checkpointed(s->checkpointed_ctx);
    }
    return SQLITE_OK;
}

/* A connection the store just opened (at open, after a failed check, after
 * a reattach): its checkpoints reported, its statements prepared. */
static int connected(tw_store *s)
{
    tw_prefixes_destroy(s->prefixes); /* another connection, maybe another file */
    s->prefixes = NULL;
    s->trusted = false;
    if (!s->read_only)
        sqlite3_wal_hook(s->db, wal_hook, s);
    return prepare_all(s);
}

void tw_store_on_checkpoint(tw_store *store, void (*fn)(void *ctx), void *ctx)
{
    if (!store)
        return;
    store->checkpointed = fn;
    store->checkpointed_ctx = ctx;
}

/* Before SQLite's first use in the process: no memory statistics. With
 * them (SQLite's default), every allocation SQLite makes takes a global
 * mutex and updates its counters (Debian builds it without lookaside, so a
 * post makes about 17; 2 % of a post's instructions, TARGETS.md P2), and
 * nothing here reads them (sqlite3_memory_used, sqlite3_status). Too late
 * (SQLite already initialised) it changes nothing, which is harmless. */
static void sqlite_setup(void)
{
    static bool done;
    if (!done) {
        sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
        done = true;
    }
}

int tw_store_open(const char *path, const tw_store_options *opt, tw_store **out)
{
    sqlite_setup();
    if (!path || !*path || !out)
        return TW_ERR_INVAL;
    *out = NULL;
    tw_store_options o = {0};
    if (opt)
        o = *opt;
    tw_store *s = tw_xcalloc(1, sizeof(*s));
    s->read_only = o.read_only;
    s->path = tw_xstrdup(path);
    s->sync_full = o.sync_full;
    int ret = o.read_only
                  ? open_read_only(path, &s->db)
                  : open_read_write(path, o.sync_full, !o.defer_check, &s->db, &s->recovered_from);
    if (ret)
        goto out;
    /* Unchecked unless the open ran the check after all (a migration): a
     * file not yet known good is the one that closes without checkpoint. */
    int no_ckpt = 0;
    sqlite3_db_config(s->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, -1, &no_ckpt);
    s->unchecked = !o.read_only && no_ckpt;
    ret = connected(s);
out:
    if (ret) {
        tw_store_close(s);
        return ret;
    }
    *out = s;
    return 0;
}

const char *tw_store_recovered_from(tw_store *store)
{
    return store ? store->recovered_from : NULL;
}

/* Every statement on the connection, the store's and its siblings' cached
 * ones (store_int.h): a statement left unfinalized keeps sqlite3_close from
 * closing, and would go on using the old connection after a reattach. */
static void finalize_all(tw_store *s)
{
    for (int i = 0; i < S_COUNT; i++) {
        sqlite3_finalize(s->st[i]);
        s->st[i] = NULL;
    }
    for (int i = 0; i < TW_STORE_CACHED_MAX; i++) {
        sqlite3_finalize(s->cached[i]);
        s->cached[i] = NULL;
    }
}

void tw_store_close(tw_store *store)
{
    if (!store)
        return;
    if (store->db && !sqlite3_get_autocommit(store->db)) {
        log_warn("closing with an open transaction; rolling it back");
        sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
    }
    finalize_all(store);
    if (store->db && sqlite3_close(store->db) != SQLITE_OK)
        log_error("close: %s", sqlite3_errmsg(store->db));
    tw_prefixes_destroy(store->prefixes);
    free(store->recovered_from);
    free(store->path);
    free(store);
}

int tw_store_verify(tw_store *store)
{
    if (!store || !store->db)
        return TW_ERR_INVAL;
    if (!store->unchecked)
        return 0;
    store->unchecked = false;
    char buf[256];
    int rc = query_text(store->db, "PRAGMA quick_check", buf, sizeof(buf));
    /* The check read every page: what it left in the page cache is the
     * whole file's first 2 MB, not what the board reads (P4). */
    sqlite3_db_release_memory(store->db);
    if (rc == SQLITE_OK && strcmp(buf, "ok") == 0) {
        sqlite3_db_config(store->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 0, (int *)NULL);
        return 0;
    }
    if (rc != SQLITE_OK && !is_corrupt(rc))
        return fail(store, rc, "quick_check");
    /* Start over the way an open finds a damaged file: it checks again,
     * moves the file aside and starts a fresh one. The connection closes
     * without a checkpoint (the file was never known good). */
    log_warn("%s failed its integrity check (%s)", store->path,
             rc == SQLITE_OK ? buf : sqlite3_errmsg(store->db));
    finalize_all(store);
    sqlite3_close(store->db);
    store->db = NULL;
    int ret =
        open_read_write(store->path, store->sync_full, true, &store->db, &store->recovered_from);
    return ret ? ret : connected(store);
}

size_t tw_store_cache_bytes(tw_store *store)
{
    int cur = 0, hi = 0;
    if (!store || !store->db ||
        sqlite3_db_status(store->db, SQLITE_DBSTATUS_CACHE_USED, &cur, &hi, 0) != SQLITE_OK)
        return 0;
    return cur > 0 ? (size_t)cur : 0;
}

void tw_store_release_cache(tw_store *store)
{
    if (store && store->db)
        sqlite3_db_release_memory(store->db);
}

int tw_store_cache_size(tw_store *store, int size)
{
    char buf[32], sql[48];
    if (!store || !store->db || !size ||
        query_text(store->db, "PRAGMA cache_size", buf, sizeof(buf)) != SQLITE_OK)
        return 0;
    int prev = atoi(buf);
    snprintf(sql, sizeof(sql), "PRAGMA cache_size = %d", size);
    return prev && sqlite3_exec(store->db, sql, NULL, NULL, NULL) == SQLITE_OK ? prev : 0;
}

/* The page cache a walk that reads each page once runs in, KiB. */
#define WALK_CACHE_KIB 256

int tw_store_walk_begin(tw_store *store)
{
    return tw_store_cache_size(store, -WALK_CACHE_KIB);
}

void tw_store_walk_end(tw_store *store, int restore)
{
    if (restore)
        tw_store_cache_size(store, restore);
    tw_store_release_cache(store);
}

int tw_store_schema_latest(void)
{
    return SCHEMA_VERSION;
}

/* Close the connection without a checkpoint: a file swapped or deleted under
 * it must not be written, and its -wal and -shm names (which may now be
 * another file's) are left alone. */
static void detach(tw_store *s)
{
    finalize_all(s);
    sqlite3_db_config(s->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)NULL);
    if (sqlite3_close(s->db) != SQLITE_OK)
        log_error("close: %s", sqlite3_errmsg(s->db));
    s->db = NULL;
}

int tw_store_copy_to(tw_store *store, const char *path)
{
    if (!store || !store->db || !path)
        return TW_ERR_INVAL;
    unlink(path);
    sqlite3 *dst = NULL;
    int ret = 0;
    int rc = sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc == SQLITE_OK) {
        /* The backup API reads through our connection: it still sees every
         * page of a file whose name is gone, WAL included. */
        sqlite3_backup *b = sqlite3_backup_init(dst, "main", store->db, "main");
        if (b) {
            sqlite3_backup_step(b, -1);
            rc = sqlite3_backup_finish(b);
        } else {
            rc = sqlite3_errcode(dst);
        }
    }
    if (rc != SQLITE_OK)
        ret = tw_store_db_fail(dst, rc, "copy");
    if (dst && sqlite3_close(dst) != SQLITE_OK && !ret)
        ret = TW_ERR_IO;
    if (ret)
        unlink(path);
    return ret;
}

int tw_store_reattach(tw_store *store)
{
    if (!store || !store->db || store->read_only)
        return TW_ERR_INVAL;
    if (!sqlite3_get_autocommit(store->db))
        sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
    detach(store);
    int ret =
        open_read_write(store->path, store->sync_full, true, &store->db, &store->recovered_from);
    return ret ? ret : connected(store);
}

int tw_store_schema_version(tw_store *store)
{
    if (!store)
        return TW_ERR_INVAL;
    int v;
    int rc = tw_schema_version(store->db, &v);
    if (rc != SQLITE_OK)
        return fail(store, rc, "user_version");
    return v;
}

int tw_store_data_version(tw_store *store, int64_t *out)
{
    if (!store || !out)
        return TW_ERR_INVAL;
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(store->db, "PRAGMA data_version", -1, &st, NULL);
    if (rc != SQLITE_OK)
        return fail(store, rc, "data_version");
    rc = sqlite3_step(st);
    *out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : fail(store, rc, "data_version");
}

struct sqlite3 *tw_store_handle(tw_store *store)
{
    return store ? store->db : NULL;
}

int tw_store_meta_get(tw_store *store, const char *key, char *buf, size_t size)
{
    if (!store || !key || !buf || size == 0)
        return TW_ERR_INVAL;
    buf[0] = '\0';
    sqlite3_stmt *st = NULL;
    /* Rare (once at start), so prepared here; a database from before the
     * table simply has nothing to say. */
    int rc = sqlite3_prepare_v2(store->db, "SELECT value FROM meta WHERE key = ?1", -1, &st, NULL);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(st);
        return TW_ERR_NOTFOUND;
    }
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    int ret = TW_ERR_NOTFOUND;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const unsigned char *v = sqlite3_column_text(st, 0);
        tw_strlcpy(buf, v ? (const char *)v : "", size);
        ret = 0;
    } else if (rc != SQLITE_DONE) {
        ret = fail(store, rc, "meta");
    }
    sqlite3_finalize(st);
    return ret;
}

int tw_store_meta_set(tw_store *store, const char *key, const char *value)
{
    if (!store || !key || !value)
        return TW_ERR_INVAL;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(store->db,
                                "INSERT INTO meta (key, value) VALUES (?1, ?2) "
                                "ON CONFLICT (key) DO UPDATE SET value = excluded.value "
                                "WHERE value IS NOT excluded.value",
                                -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, value, -1, SQLITE_TRANSIENT);
        rc = sqlite3_step(st);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE || rc == SQLITE_OK ? 0 : fail(store, rc, "meta");
}

static int run(tw_store *s, int which, const char *what)
{
    sqlite3_stmt *st = s->st[which];
    int rc = sqlite3_step(st);
    int ret = 0;
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        ret = fail(s, rc, what);
    done(st);
    return ret;
}

/* In a transaction just begun (the write lock held): did another
 * connection commit since we last looked? Then the prefixes may miss its
 * items and are read again (PRAGMA data_version ignores this connection's
 * own commits). Nothing else writes a board's items (teamwall-ctl opens the
 * file read-only), so this costs a pragma a transaction. */
static void check_writers(tw_store *s)
{
    sqlite3_stmt *st = s->st[S_DATA_VERSION];
    int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    done(st);
    if (v < 0 || v != s->data_version) {
        tw_prefixes_destroy(s->prefixes);
        s->prefixes = NULL;
    }
    s->data_version = v;
    s->trusted = v >= 0;
}

int tw_store_begin(tw_store *store)
{
    if (!store)
        return TW_ERR_INVAL;
    if (!sqlite3_get_autocommit(store->db)) {
        log_error("begin: a transaction is already open");
        return TW_ERR_INVAL;
    }
    int ret = run(store, S_BEGIN, "begin");
    if (!ret)
        check_writers(store);
    return ret;
}

int tw_store_commit(tw_store *store)
{
    if (!store)
        return TW_ERR_INVAL;
    if (sqlite3_get_autocommit(store->db)) {
        log_error("commit: no transaction is open");
        return TW_ERR_INVAL;
    }
    store->trusted = false;
    return run(store, S_COMMIT, "commit");
}

void tw_store_rollback(tw_store *store)
{
    /* SQLite may already have rolled back by itself after SQLITE_FULL,
     * SQLITE_IOERR or SQLITE_BUSY; then there is nothing left to do. */
    if (store)
        store->trusted = false;
    if (store && !sqlite3_get_autocommit(store->db))
        run(store, S_ROLLBACK, "rollback");
}

bool tw_store_in_transaction(tw_store *store)
{
    return store && !sqlite3_get_autocommit(store->db);
}

int tw_store_get(tw_store *store, const char *id, tw_item *out)
{
    if (!store || !id || !out)
        return TW_ERR_INVAL;
    sqlite3_stmt *st = store->st[S_GET];
    tw_store_bind_text(st, 1, id);
    return step_item(store, st, out, "get");
}

bool tw_store_normalize_ref(const char *ref, char out[TW_REF_SIZE])
{
    size_t n = strlen(ref);
    if (n < TW_REF_MIN || n > TW_HASH_LEN)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = ref[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c == 'o')
            c = '0';
        else if (c == 'i' || c == 'l')
            c = '1';
        if (!memchr(alphabet, c, sizeof(alphabet) - 1))
            return false;
        out[i] = c;
    }
    out[n] = '\0';
    return true;
}

int tw_store_find_ref(tw_store *store, const char *ref, tw_item *out)
{
    if (!store || !ref || !out)
        return TW_ERR_INVAL;
    if (!*ref)
        return TW_ERR_NOTFOUND;
    int ret = tw_store_get(store, ref, out);
    if (ret != TW_ERR_NOTFOUND)
        return ret;
    char norm[TW_REF_SIZE];
    if (!tw_store_normalize_ref(ref, norm))
        return TW_ERR_NOTFOUND;
    char hi[TW_REF_SIZE + 1];
    snprintf(hi, sizeof(hi), "%s~", norm);
    sqlite3_stmt *st = store->st[S_GET_REF];
    tw_store_bind_text(st, 1, norm);
    tw_store_bind_text(st, 2, hi);
    ret = step_item(store, st, out, "find ref");
    if (ret != TW_ERR_NOTFOUND)
        return ret;

    st = store->st[S_PREFIX];
    tw_store_bind_text(st, 1, norm);
    tw_store_bind_text(st, 2, hi);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        ret = read_item(st, out);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
            ret = TW_ERR_AMBIGUOUS;
        else if (rc != SQLITE_DONE)
            ret = fail(store, rc, "find prefix");
    } else if (rc == SQLITE_DONE) {
        ret = TW_ERR_NOTFOUND;
    } else {
        ret = fail(store, rc, "find prefix");
    }
    done(st);
    if (ret == TW_ERR_AMBIGUOUS)
        memset(out, 0, sizeof(*out));
    return ret;
}

/* One item of a ref group: the items whose hashes share the first
 * TW_REF_MIN characters, the only ones whose refs can collide. */
struct ref_member {
    int64_t seq, created;
    char id[TW_ID_SIZE];
    char hash[TW_REF_SIZE], ref[TW_REF_SIZE];
};

#define REF_GROUP_LOCAL 2 /* members held on the stack (test_refs' triple grows past it) */

static int member_cmp(const void *a, const void *b)
{
    const struct ref_member *x = a, *y = b;
    if (x->created != y->created)
        return x->created < y->created ? -1 : 1;
    return strcmp(x->id, y->id);
}

/* Every item's hash prefix, in the transaction; NULL if they cannot be read. */
static tw_prefixes *read_prefixes(tw_store *s)
{
    tw_prefixes *p = tw_prefixes_create();
    sqlite3_stmt *st = s->st[S_HASHES];
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        tw_prefixes_add(p, (const char *)sqlite3_column_text(st, 0));
    done(st);
    if (rc != SQLITE_DONE) {
        fail(s, rc, "read hash prefixes");
        tw_prefixes_destroy(p);
        return NULL;
    }
    return p;
}

/*
 * The ref of a new item (id, created, hash), and of the items of its group
 * that must change for it. Refs are a function of the group alone, so every
 * board that holds the same items shows the same refs whatever order they
 * came in: in (created, id) order each item takes the shortest prefix of its
 * hash, at least TW_REF_MIN long, that no earlier item took. A new item is
 * nearly always the newest and takes what is left, leaving the others be; an
 * older one arriving late (another topic, a catch-up) may lengthen a newer
 * item's ref, which the board then reloads (tw_store_refs_moved()).
 * TW_ERR_INVAL if every prefix is taken (a full 60-bit collision, repeated).
 */
static int assign_ref(tw_store *s, const char *id, int64_t created, const char *hash,
                      char ref[TW_REF_SIZE])
{
    char lo[TW_REF_SIZE], hi[TW_REF_SIZE + 1];
    s->n_moved = 0;
    s->moved_more = false;
    if (s->trusted && !sqlite3_get_autocommit(s->db)) {
        if (!s->prefixes)
            s->prefixes = read_prefixes(s);
        if (s->prefixes && !tw_prefixes_maybe(s->prefixes, hash)) {
            /* No item's hash starts so: the group is this item alone, and
             * the lookup below would find nothing (8 % of a post's CPU). */
            memcpy(ref, hash, TW_REF_MIN);
            ref[TW_REF_MIN] = '\0';
            tw_prefixes_add(s->prefixes, hash);
            return 0;
        }
    }
    memcpy(lo, hash, TW_REF_MIN);
    lo[TW_REF_MIN] = '\0';
    snprintf(hi, sizeof(hi), "%s~", lo);
    /* A group is nearly always the new item alone (a million 4-character
     * prefixes) or with one other: no allocation then. */
    struct ref_member local[REF_GROUP_LOCAL];
    size_t n = 1, cap = REF_GROUP_LOCAL;
    struct ref_member *g = local;
    memset(&g[0], 0, sizeof(g[0]));
    /* The new item first; seq -1 tells it from the rows. */
    g[0].seq = -1;
    g[0].created = created;
    tw_strlcpy(g[0].id, id, sizeof(g[0].id));
    tw_strlcpy(g[0].hash, hash, sizeof(g[0].hash));
    sqlite3_stmt *st = s->st[S_REFS_NEAR];
    tw_store_bind_text(st, 1, lo);
    tw_store_bind_text(st, 2, hi);
    int rc, ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            cap *= 2;
            g = g == local ? memcpy(tw_xmalloc(cap * sizeof(*g)), local, sizeof(local))
                           : tw_xrealloc(g, cap * sizeof(*g));
        }
        struct ref_member *m = &g[n++];
        memset(m, 0, sizeof(*m));
        m->seq = sqlite3_column_int64(st, 0);
        tw_store_column_copy(st, 1, m->id, sizeof(m->id));
        tw_store_column_copy(st, 2, m->ref, sizeof(m->ref));
        tw_store_column_copy(st, 3, m->hash, sizeof(m->hash));
        m->created = sqlite3_column_int64(st, 4);
        if (strcmp(m->id, id) == 0) {
            /* Known already (a redelivered post): the insert will refuse
             * it, and nobody's ref may move for it. */
            done(st);
            ret = TW_ERR_INVAL;
            goto out;
        }
    }
    done(st);
    if (rc != SQLITE_DONE) {
        ret = fail(s, rc, "assign ref");
        goto out;
    }
    qsort(g, n, sizeof(*g), member_cmp);
    /* Every ref first, then the writes: a group with no room changes
     * nothing. want[] reuses each member's hash buffer size. */
    char want_local[REF_GROUP_LOCAL][TW_REF_SIZE];
    char(*want)[TW_REF_SIZE] = n <= REF_GROUP_LOCAL ? want_local : tw_xmalloc(n * sizeof(*want));
    memset(want, 0, n * sizeof(*want));
    for (size_t j = 0; j < n; j++) {
        for (size_t len = TW_REF_MIN; len <= TW_HASH_LEN && !want[j][0]; len++) {
            bool taken = false;
            for (size_t i = 0; i < j && !taken; i++)
                taken = strlen(want[i]) == len && memcmp(want[i], g[j].hash, len) == 0;
            if (!taken) {
                memcpy(want[j], g[j].hash, len);
                want[j][len] = '\0';
            }
        }
        if (!want[j][0]) {
            log_error("no free ref for hash %s: every prefix is taken", g[j].hash);
            ret = TW_ERR_INVAL;
            goto out_want;
        }
    }
    for (size_t j = 0; j < n; j++) {
        if (g[j].seq < 0) {
            memcpy(ref, want[j], TW_REF_SIZE);
            continue;
        }
        if (strcmp(want[j], g[j].ref) == 0)
            continue;
        st = s->st[S_SET_REF];
        sqlite3_bind_int64(st, 1, g[j].seq);
        tw_store_bind_text(st, 2, want[j]);
        rc = sqlite3_step(st);
        done(st);
        if (rc != SQLITE_DONE) {
            ret = fail(s, rc, "move ref");
            goto out_want;
        }
        log_info("item %s: ref %s is now %s (an older item with a like hash arrived)", g[j].id,
                 g[j].ref, want[j]);
        s->refs_moved++;
        if (s->n_moved < TW_ARRAY_LEN(s->moved))
            s->moved[s->n_moved++] = g[j].seq;
        else
            s->moved_more = true;
    }
out_want:
    if (want != want_local)
        free(want);
    if (!ret && s->prefixes)
        tw_prefixes_add(s->prefixes, hash);
out:
    if (g != local)
        free(g);
    return ret;
}

uint64_t tw_store_refs_moved(const tw_store *store)
{
    return store ? store->refs_moved : 0;
}

size_t tw_store_last_moved(const tw_store *store, const int64_t **seqs)
{
    if (seqs)
        *seqs = store ? store->moved : NULL;
    if (!store)
        return 0;
    return store->moved_more ? SIZE_MAX : store->n_moved;
}

int tw_store_insert(tw_store *store, tw_item *item)
{
    return tw_store_insert_noted(store, item, NULL);
}

int tw_store_insert_noted(tw_store *store, tw_item *item, const char *note)
{
    if (!store || !item || !item->id[0] || (unsigned)item->kind >= TW_KIND_COUNT ||
        (unsigned)item->state > TW_STATE_RESOLVED)
        return TW_ERR_INVAL;
    char hash[TW_REF_SIZE], ref[TW_REF_SIZE];
    tw_store_hash_id(item->id, hash);
    int ret = assign_ref(store, item->id, item->created, hash, ref);
    if (ret)
        return ret;
    sqlite3_stmt *st = store->st[S_INSERT];
    tw_store_bind_text(st, 1, item->id);
    tw_store_bind_text(st, 2, ref);
    tw_store_bind_text(st, 3, hash);
    tw_store_bind_text(st, 4, tw_kind_name(item->kind));
    tw_store_bind_text(st, 5, item->text);
    tw_store_bind_text(st, 6, item->author);
    tw_store_bind_text(st, 7, item->source);
    tw_store_bind_text(st, 8, tw_state_name(item->state));
    sqlite3_bind_int64(st, 9, item->created);
    sqlite3_bind_int64(st, 10, item->claimed);
    tw_store_bind_text(st, 11, item->claimed_by);
    sqlite3_bind_int64(st, 12, item->resolved);
    tw_store_bind_text(st, 13, item->resolved_by);
    tw_store_bind_text(st, 14, note ? note : ""); /* a new post has none; a caught-up item may */
    sqlite3_bind_int64(st, 15, item->updated);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        item->seq = sqlite3_last_insert_rowid(store->db);
        memcpy(item->ref, ref, sizeof(ref));
    } else if ((rc & 0xff) == SQLITE_CONSTRAINT) {
        /* The ref was free a moment ago in this connection, so the
         * conflict is the id. */
        log_debug("insert %s: %s", item->id, sqlite3_errmsg(store->db));
        ret = TW_ERR_INVAL;
    } else {
        ret = fail(store, rc, "insert");
    }
    done(st);
    if (!ret && item->state == TW_STATE_RESOLVED) {
        /* Resolved from the start (an import, a test): what it says is
         * learned too (schema 4 has no trigger on insert). */
        st = store->st[S_LEARN];
        sqlite3_bind_int64(st, 1, item->seq);
        tw_store_bind_text(st, 2, item->text);
        tw_store_bind_text(st, 3, note ? note : "");
        rc = sqlite3_step(st);
        if (rc != SQLITE_DONE)
            ret = fail(store, rc, "insert into learned");
        done(st);
    }
    return ret;
}

int tw_store_update(tw_store *store, const tw_item *item, const char *note)
{
    if (!store || !item || !item->id[0] || (unsigned)item->state > TW_STATE_RESOLVED)
        return TW_ERR_INVAL;
    sqlite3_stmt *st = store->st[S_UPDATE];
    tw_store_bind_text(st, 1, item->id);
    tw_store_bind_text(st, 2, tw_state_name(item->state));
    sqlite3_bind_int64(st, 3, item->claimed);
    tw_store_bind_text(st, 4, item->claimed_by);
    sqlite3_bind_int64(st, 5, item->resolved);
    tw_store_bind_text(st, 6, item->resolved_by);
    tw_store_bind_text(st, 7, note ? note : "");
    sqlite3_bind_int64(st, 8, item->updated);
    int rc = sqlite3_step(st);
    int ret = 0;
    if (rc != SQLITE_DONE)
        ret = fail(store, rc, "update");
    else if (sqlite3_changes(store->db) == 0)
        ret = TW_ERR_NOTFOUND;
    done(st);
    return ret;
}

int tw_store_note(tw_store *store, const char *id, char *buf, size_t size)
{
    if (!store || !id || !buf || !size)
        return TW_ERR_INVAL;
    sqlite3_stmt *st = store->st[S_NOTE];
    tw_store_bind_text(st, 1, id);
    int rc = sqlite3_step(st);
    int ret = 0;
    if (rc == SQLITE_ROW)
        tw_store_column_copy(st, 0, buf, size);
    else if (rc == SQLITE_DONE)
        ret = TW_ERR_NOTFOUND;
    else
        ret = fail(store, rc, "note");
    done(st);
    return ret;
}

int tw_store_history_add(tw_store *store, int64_t at, const char *item_id, const char *action,
                         const char *actor, const char *source, const char *detail)
{
    if (!store || !item_id || !action)
        return TW_ERR_INVAL;
    sqlite3_stmt *st = store->st[S_HISTORY_ADD];
    sqlite3_bind_int64(st, 1, at);
    tw_store_bind_text(st, 2, item_id);
    tw_store_bind_text(st, 3, action);
    tw_store_bind_text(st, 4, actor ? actor : "");
    tw_store_bind_text(st, 5, source ? source : "");
    tw_store_bind_text(st, 6, detail);
    int rc = sqlite3_step(st);
    int ret = rc == SQLITE_DONE ? 0 : fail(store, rc, "history");
    done(st);
    return ret;
}

int64_t tw_store_history_count(tw_store *store)
{
    if (!store)
        return TW_ERR_INVAL;
    sqlite3_stmt *st = store->st[S_HISTORY_COUNT];
    int rc = sqlite3_step(st);
    int64_t n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : fail(store, rc, "history count");
    done(st);
    return n;
}

/* Step st (bound already) to its end, giving fn each row's item
 * (ITEM_COLUMNS) and, when the statement selects one after them, its note
 * ("" otherwise). Stops at fn's first non-zero and returns it; resets st. */
static int walk(tw_store *s, sqlite3_stmt *st, tw_store_found_fn fn, void *ctx, const char *what)
{
    if (sqlite3_stmt_busy(st)) {
        log_error("%s: called from inside its own callback", what);
        return TW_ERR_INVAL;
    }
    bool noted = sqlite3_column_count(st) > 14;
    tw_item *item = tw_xmalloc(sizeof(*item)); /* ~2 KiB: keep it off the stack */
    char *note = noted ? tw_xmalloc(TW_NOTE_SIZE) : NULL;
    int rc, ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        ret = read_item(st, item);
        if (ret)
            break;
        if (noted)
            tw_store_column_copy(st, 14, note, TW_NOTE_SIZE);
        ret = fn(ctx, item, noted ? note : "");
        if (ret)
            break;
    }
    if (!ret && rc != SQLITE_DONE)
        ret = fail(s, rc, what);
    done(st);
    free(note);
    free(item);
    return ret;
}

struct item_fn {
    tw_store_item_fn fn;
    void *ctx;
};

static int without_note(void *ctx, const tw_item *item, const char *note)
{
    (void)note;
    const struct item_fn *f = ctx;
    return f->fn(f->ctx, item);
}

int tw_store_each(tw_store *store, bool all, tw_store_item_fn fn, void *ctx)
{
    if (!store || !fn)
        return TW_ERR_INVAL;
    struct item_fn f = {fn, ctx};
    return walk(store, store->st[all ? S_EACH_ALL : S_EACH_OPEN], without_note, &f, "each");
}

int tw_store_each_noted(tw_store *store, bool resolved_only, tw_store_found_fn fn, void *ctx)
{
    if (!store || !fn)
        return TW_ERR_INVAL;
    return walk(store, store->st[resolved_only ? S_EACH_NOTED_RESOLVED : S_EACH_NOTED_ALL], fn, ctx,
                "each");
}

/* ---- search ---- */

#define SEARCH_WORDS_MAX 16

/* Split query at white space into at most SEARCH_WORDS_MAX words (pointers
 * into buf, a copy). Returns the count. */
static size_t split_words(const char *query, char *buf, size_t size, char *words[])
{
    tw_strlcpy(buf, query, size);
    size_t n = 0;
    for (char *p = buf; *p && n < SEARCH_WORDS_MAX;) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
            *p++ = '\0';
        if (!*p)
            break;
        words[n++] = p;
        while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
            p++;
    }
    return n;
}

/* Does text contain word, ignoring ASCII case? */
static bool contains_word(const char *text, const char *word)
{
    size_t n = strlen(word);
    for (const char *t = text; *t; t++) {
        size_t i = 0;
        while (i < n && t[i] && tolower((unsigned char)t[i]) == tolower((unsigned char)word[i]))
            i++;
        if (i == n)
            return true;
    }
    return false;
}

struct open_match {
    char **words;
    size_t n_words, limit, found;
    tw_store_found_fn fn;
    void *ctx;
};

static int match_open(void *ctx, const tw_item *item)
{
    struct open_match *m = ctx;
    for (size_t i = 0; i < m->n_words; i++)
        if (!contains_word(item->text, m->words[i]))
            return 0;
    if (m->found >= m->limit)
        return 1; /* enough: stop the walk */
    m->found++;
    return m->fn(m->ctx, item, "");
}

struct counted {
    tw_store_found_fn fn;
    void *ctx;
    size_t found;
};

static int count_found(void *ctx, const tw_item *item, const char *note)
{
    struct counted *c = ctx;
    c->found++;
    return c->fn(c->ctx, item, note);
}

int tw_store_search(tw_store *store, const char *query, size_t limit, tw_store_found_fn fn,
                    void *ctx)
{
    if (!store || !query || !fn || !limit)
        return TW_ERR_INVAL;
    char buf[1024], *words[SEARCH_WORDS_MAX];
    size_t n = split_words(query, buf, sizeof(buf), words);
    if (n == 0)
        return TW_ERR_INVAL;
    /* Each word a quoted FTS5 string with a prefix match, "" for a quote:
     * whatever people type is words to find, never query syntax. */
    char match[sizeof(buf) * 2 + SEARCH_WORDS_MAX * 4];
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        match[len++] = '"';
        for (const char *c = words[i]; *c; c++) {
            if (*c == '"')
                match[len++] = '"';
            match[len++] = *c;
        }
        match[len++] = '"';
        match[len++] = '*';
        match[len++] = ' ';
    }
    match[len - 1] = '\0';

    sqlite3_stmt *st = store->st[S_SEARCH];
    tw_store_bind_text(st, 1, match);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)limit);
    struct counted c = {fn, ctx, 0};
    int ret = walk(store, st, count_found, &c, "search");
    if (ret || c.found >= limit)
        return ret;

    /* Then what is still open: few items, matched here, word by word. */
    struct open_match m = {words, n, limit - c.found, 0, fn, ctx};
    ret = tw_store_each(store, false, match_open, &m);
    return ret == 1 && m.found >= m.limit ? 0 : ret;
}

/* Fill h from a history row whose columns start at col. */
static void read_history(sqlite3_stmt *st, int col, tw_history_entry *h)
{
    memset(h, 0, sizeof(*h));
    h->seq = sqlite3_column_int64(st, col);
    h->at = sqlite3_column_int64(st, col + 1);
    tw_store_column_copy(st, col + 2, h->item_id, sizeof(h->item_id));
    tw_store_column_copy(st, col + 3, h->action, sizeof(h->action));
    tw_store_column_copy(st, col + 4, h->actor, sizeof(h->actor));
    tw_store_column_copy(st, col + 5, h->source, sizeof(h->source));
    tw_store_column_copy(st, col + 6, h->detail, sizeof(h->detail));
}

/* Run a history statement, rows to fn. With items (the recent walk), each
 * row is ITEM_COLUMNS then the history columns, and the walk stops at the
 * first row older than since. */
static int each_history(tw_store *store, sqlite3_stmt *st, bool with_item, int64_t since,
                        tw_store_history_fn fn, void *ctx, const char *what)
{
    int rc, ret = 0;
    /* Both ~6 KiB: off the stack. */
    tw_history_entry *h = tw_xmalloc(sizeof(*h));
    tw_item *item = with_item ? tw_xmalloc(sizeof(*item)) : NULL;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        read_history(st, with_item ? 14 : 0, h);
        if (with_item && h->at < since)
            break;
        if (item && read_item(st, item))
            continue; /* logged; one unreadable row does not hide the rest */
        ret = fn(ctx, h, item);
        if (ret)
            break;
    }
    if (!ret && rc != SQLITE_DONE && rc != SQLITE_ROW)
        ret = fail(store, rc, what);
    done(st);
    free(h);
    free(item);
    return ret;
}

int tw_store_history_since(tw_store *store, int64_t since, tw_store_history_fn fn, void *ctx)
{
    if (!store || !fn)
        return TW_ERR_INVAL;
    sqlite3_stmt *st = store->st[S_HISTORY_RECENT];
    if (sqlite3_stmt_busy(st)) {
        log_error("recent history: called from inside its own callback");
        return TW_ERR_INVAL;
    }
    return each_history(store, st, true, since, fn, ctx, "recent history");
}

int tw_store_history_of(tw_store *store, const char *item_id, tw_store_history_fn fn, void *ctx)
{
    if (!store || !item_id || !fn)
        return TW_ERR_INVAL;
    sqlite3_stmt *st = store->st[S_HISTORY_OF];
    if (sqlite3_stmt_busy(st)) {
        log_error("item history: called from inside its own callback");
        return TW_ERR_INVAL;
    }
    tw_store_bind_text(st, 1, item_id);
    return each_history(store, st, false, 0, fn, ctx, "item history");
}

void tw_store_hash_id(const char *id, char out[TW_REF_SIZE])
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (const unsigned char *p = (const unsigned char *)(id ? id : ""); *p; p++) {
        h ^= *p;
        h *= 0x100000001b3ULL;
    }
    /* FNV-1a alone leaves ids that differ only at the end ("...-41",
     * "...-42") with neighbouring top bits: unique, but refs like 8ed1, 8ed2,
     * 8ed3 that people at the wall confuse. The splitmix64 finaliser spreads
     * every input bit over every output bit, so refs look unrelated. The top
     * 60 bits are rendered most significant first. */
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebULL;
    h ^= h >> 31;
    for (int i = 0; i < TW_HASH_LEN; i++)
        out[i] = alphabet[(h >> (64 - 5 * (i + 1))) & 31];
    out[TW_HASH_LEN] = '\0';
}

sqlite3_stmt *tw_store_cached(tw_store *store, unsigned slot, const char *sql)
{
    if (!store || !store->db || slot >= TW_STORE_CACHED_MAX || !sql)
        return NULL;
    if (!store->cached[slot]) {
        int rc = sqlite3_prepare_v3(store->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
                                    &store->cached[slot], NULL);
        if (rc != SQLITE_OK) {
            fail(store, rc, "prepare");
            return NULL;
        }
    }
    done(store->cached[slot]);
    return store->cached[slot];
}

int tw_store_fail(tw_store *store, int rc, const char *what)
{
    return fail(store, rc, what);
}

sqlite3 *tw_store_sqlite(tw_store *store)
{
    return store ? store->db : NULL;
}

int tw_store_sqlite_error(tw_store *store, int rc, const char *what)
{
    return tw_store_db_fail(store->db, rc, what);
}

const char *tw_store_errmsg(tw_store *store)
{
    return store && store->db ? sqlite3_errmsg(store->db) : "no store";
}
