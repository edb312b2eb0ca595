/* SPDX-License-Identifier: MIT */
/*
 * Redaction and [board] keep (retention.h): a handful of statements on the
 * store's connection. The search index is external-content FTS5: the items
 * trigger removes the old words of a resolved item, and an 'optimize' merges
 * the segments so no deleted entry keeps them.
 */
#define _POSIX_C_SOURCE 200809L
#define LOG_MODULE      "retention"
#include "retention.h"

#include <sqlite3.h>
#include <string.h>

#include "log.h"
#include "util.h"

static bool checkpoint_due;

bool tw_retention_redacted(const tw_item *item)
{
    return item && strcmp(item->text, TW_REDACTED_TEXT) == 0 && !item->author[0];
}

static int db_error(sqlite3 *db, int rc, const char *what)
{
    log_error("%s: %s", what, sqlite3_errmsg(db));
    switch (rc & 0xff) {
    case SQLITE_FULL:
    case SQLITE_READONLY: return TW_ERR_FULL;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return TW_ERR_BUSY;
    case SQLITE_IOERR: return TW_ERR_IO;
    default: return TW_ERR_DB;
    }
}

/* Run sql with up to three text binds and one integer (?4). */
static int exec4(sqlite3 *db, const char *sql, const char *a, const char *b, const char *c,
                 int64_t d, int *changes)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK)
        return db_error(db, rc, "prepare");
    int n = sqlite3_bind_parameter_count(st);
    const char *texts[3] = {a, b, c};
    for (int i = 1; i <= n && i <= 3; i++)
        sqlite3_bind_text(st, i, texts[i - 1] ? texts[i - 1] : "", -1, SQLITE_STATIC);
    if (n >= 4)
        sqlite3_bind_int64(st, 4, d);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return db_error(db, rc, sql);
    if (changes)
        *changes = sqlite3_changes(db);
    return 0;
}

int tw_retention_redact(tw_store *store, tw_item *item, const char *by, const char *source,
                        int64_t now)
{
    sqlite3 *db = tw_store_handle(store);
    if (!db || !item)
        return TW_ERR_INVAL;
    /* Freed and rewritten cells are zeroed, not left in the file. */
    sqlite3_exec(db, "PRAGMA secure_delete = ON", NULL, NULL, NULL);
    int ret = exec4(db,
                    "UPDATE items SET text = ?2, author = '', note = '', updated = ?4 "
                    "WHERE id = ?1",
                    item->id, TW_REDACTED_TEXT, NULL, now, NULL);
    if (!ret)
        ret = exec4(db,
                    "UPDATE history SET detail = NULL, "
                    "  actor = CASE WHEN action = 'post' THEN '' ELSE actor END "
                    "WHERE item_id = ?1 AND (detail IS NOT NULL OR action = 'post')",
                    item->id, NULL, NULL, 0, NULL);
    /* The state changes every board folds (firmware/converge.c) keep the
     * answer too; a later change folds them again, so it goes there also. */
    if (!ret)
        ret = exec4(db, "UPDATE ops SET note = '' WHERE item_id = ?1 AND note != ''", item->id,
                    NULL, NULL, 0, NULL);
    if (!ret)
        ret = exec4(db,
                    "INSERT INTO history (at, item_id, action, actor, source, detail) "
                    "VALUES (?4, ?1, 'redact', ?2, ?3, NULL)",
                    item->id, by, source, now, NULL);
    if (!ret)
        ret = exec4(db, "INSERT INTO learned (learned) VALUES ('optimize')", NULL, NULL, NULL, 0,
                    NULL);
    sqlite3_exec(db, "PRAGMA secure_delete = OFF", NULL, NULL, NULL);
    if (ret)
        return ret;
    tw_strlcpy(item->text, TW_REDACTED_TEXT, sizeof(item->text));
    item->author[0] = '\0';
    item->updated = now;
    checkpoint_due = true;
    log_info("redacted %s (by %s)", item->ref, by && *by ? by : "?");
    return 0;
}

bool tw_retention_checkpoint_due(void)
{
    bool due = checkpoint_due;
    checkpoint_due = false;
    return due;
}

int tw_retention_checkpoint(tw_store *store)
{
    sqlite3 *db = tw_store_handle(store);
    if (!db)
        return TW_ERR_INVAL;
    int rc = sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
    return rc == SQLITE_OK ? 0 : db_error(db, rc, "wal_checkpoint");
}

int tw_retention_prune(tw_store *store, int64_t before, int64_t *deleted)
{
    sqlite3 *db = tw_store_handle(store);
    if (deleted)
        *deleted = 0;
    if (!db)
        return TW_ERR_INVAL;
    int n = 0;
    int ret = tw_store_begin(store);
    if (ret)
        return ret;
    /* The ids go into pruned first: step 9 lets their history rows go. */
    ret = exec4(db, "DELETE FROM pruned", NULL, NULL, NULL, 0, NULL);
    if (!ret)
        ret = exec4(db,
                    "INSERT INTO pruned SELECT id FROM items WHERE state = 'resolved' "
                    "AND resolved > 0 AND resolved < ?4",
                    NULL, NULL, NULL, before, &n);
    if (!ret && n) {
        ret = exec4(db, "DELETE FROM items WHERE id IN (SELECT item_id FROM pruned)", NULL, NULL,
                    NULL, 0, NULL);
        if (!ret)
            ret = exec4(db, "DELETE FROM history WHERE item_id IN (SELECT item_id FROM pruned)",
                        NULL, NULL, NULL, 0, NULL);
        if (!ret)
            ret = exec4(db, "DELETE FROM ops WHERE item_id IN (SELECT item_id FROM pruned)", NULL,
                        NULL, NULL, 0, NULL);
    }
    if (!ret)
        ret = exec4(db, "DELETE FROM pruned", NULL, NULL, NULL, 0, NULL);
    if (!ret)
        ret = tw_store_commit(store);
    tw_store_rollback(store);
    if (ret)
        return ret;
    if (deleted)
        *deleted = n;
    return 0;
}
