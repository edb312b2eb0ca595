/* SPDX-License-Identifier: MIT */
/*
 * The store's schema, step by step (see schema.h). Every step is plain SQL
 * run in the transaction that bumps user_version, so a crash mid-migration
 * leaves the file at the last whole step. Steps that create tables say IF NOT
 * EXISTS where a file set back by hand may still hold them.
 */
#define LOG_MODULE "store"
#include "schema.h"

#include <stdio.h>
#include <stdlib.h>

#include "log.h"
#include "store_int.h"
#include "util.h"

/*
 * Forward migrations: migrations[i] takes the schema from version i to i + 1.
 * Append only; never edit a released step. Each runs in its own transaction
 * together with the user_version bump.
 */
static const char *const migrations[] = {
    /* 1: items, history and their indexes. */
    "CREATE TABLE items ("
    "  seq INTEGER PRIMARY KEY,"
    "  id TEXT NOT NULL UNIQUE,"
    "  ref TEXT NOT NULL UNIQUE,"
    "  hash TEXT NOT NULL,"
    /* CHECKs spelled with OR, not IN: SQLite 3.40 builds an ephemeral
     * b-tree for an IN list on every row written (12,500 posts/s with IN,
     * 43,000 with OR, in one transaction). */
    "  kind TEXT NOT NULL CHECK (kind = 'blocker' OR kind = 'question' OR kind = 'win'),"
    "  text TEXT NOT NULL,"
    "  author TEXT NOT NULL,"
    "  source TEXT NOT NULL,"
    "  state TEXT NOT NULL CHECK (state = 'open' OR state = 'claimed' OR state = 'resolved'),"
    "  created INTEGER NOT NULL,"
    "  claimed INTEGER NOT NULL DEFAULT 0,"
    "  claimed_by TEXT NOT NULL DEFAULT '',"
    "  resolved INTEGER NOT NULL DEFAULT 0,"
    "  resolved_by TEXT NOT NULL DEFAULT '',"
    "  note TEXT NOT NULL DEFAULT '',"
    "  updated INTEGER NOT NULL"
    ");"
    "CREATE INDEX items_hash ON items (hash);"
    /* Partial index: the board loads only open and claimed items, a small
     * set next to years of resolved ones. */
    "CREATE INDEX items_open ON items (seq) WHERE state IN ('open', 'claimed');"
    "CREATE TABLE history ("
    "  seq INTEGER PRIMARY KEY,"
    "  at INTEGER NOT NULL,"
    "  item_id TEXT NOT NULL,"
    "  action TEXT NOT NULL,"
    "  actor TEXT NOT NULL,"
    "  source TEXT NOT NULL,"
    "  detail TEXT"
    ");"
    "CREATE INDEX history_item ON history (item_id, seq);"
    "CREATE TRIGGER history_no_update BEFORE UPDATE ON history"
    "  BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;"
    "CREATE TRIGGER history_no_delete BEFORE DELETE ON history"
    "  BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;",
    /* 2: desk buttons: every button seen (configured or not) with its health
     * and Shelly counter, and every press applied, by its stable id. */
    "CREATE TABLE buttons ("
    "  source TEXT NOT NULL,"
    "  device TEXT NOT NULL,"
    "  input TEXT NOT NULL DEFAULT '',"
    "  name TEXT NOT NULL DEFAULT '',"
    "  first_seen INTEGER NOT NULL,"
    "  last_seen INTEGER NOT NULL,"
    "  last_press INTEGER NOT NULL DEFAULT 0,"
    "  last_action TEXT NOT NULL DEFAULT '',"
    "  presses INTEGER NOT NULL DEFAULT 0,"
    "  battery INTEGER,"
    "  online INTEGER,"
    "  online_since INTEGER NOT NULL DEFAULT 0,"
    "  counter INTEGER,"
    "  counter_epoch INTEGER NOT NULL DEFAULT 0,"
    "  PRIMARY KEY (source, device, input)"
    ");"
    "CREATE TABLE button_presses ("
    "  id TEXT PRIMARY KEY,"
    "  at INTEGER NOT NULL,"
    "  source TEXT NOT NULL,"
    "  device TEXT NOT NULL,"
    "  input TEXT NOT NULL,"
    "  button TEXT NOT NULL,"
    "  press TEXT NOT NULL,"
    "  action TEXT NOT NULL"
    ");",
    /* 3: no UNIQUE index on ref. A ref is unique by construction (the
     * shortest prefix of the hash nobody has, chosen in the writing
     * transaction) and every item whose ref starts with P has a hash that
     * starts with P, so ref lookups are ranges on the hash index. The
     * second index on random keys cost each post a b-tree insert and, per
     * commit, a WAL page per post (P2 ingest, docs/PERFORMANCE.md). SQLite
     * drops a UNIQUE constraint only by rebuilding the table. */
    "CREATE TABLE items_v3 ("
    "  seq INTEGER PRIMARY KEY,"
    "  id TEXT NOT NULL UNIQUE,"
    "  ref TEXT NOT NULL,"
    "  hash TEXT NOT NULL,"
    "  kind TEXT NOT NULL CHECK (kind = 'blocker' OR kind = 'question' OR kind = 'win'),"
    "  text TEXT NOT NULL,"
    "  author TEXT NOT NULL,"
    "  source TEXT NOT NULL,"
    "  state TEXT NOT NULL CHECK (state = 'open' OR state = 'claimed' OR state = 'resolved'),"
    "  created INTEGER NOT NULL,"
    "  claimed INTEGER NOT NULL DEFAULT 0,"
    "  claimed_by TEXT NOT NULL DEFAULT '',"
    "  resolved INTEGER NOT NULL DEFAULT 0,"
    "  resolved_by TEXT NOT NULL DEFAULT '',"
    "  note TEXT NOT NULL DEFAULT '',"
    "  updated INTEGER NOT NULL"
    ");"
    "INSERT INTO items_v3 (seq, id, ref, hash, kind, text, author, source, state, created, "
    "  claimed, claimed_by, resolved, resolved_by, note, updated) "
    "SELECT seq, id, ref, hash, kind, text, author, source, state, created, claimed, claimed_by, "
    "  resolved, resolved_by, note, updated FROM items;"
    "DROP TABLE items;"
    "ALTER TABLE items_v3 RENAME TO items;"
    "CREATE INDEX items_hash ON items (hash);"
    "CREATE INDEX items_open ON items (seq) WHERE state IN ('open', 'claimed');",
    /* 4: what the team learned, searchable (teamwall-ctl search, TARGETS.md
     * P7): a full-text index of resolved items' text and note, kept by a
     * trigger as items are resolved and reopened. Only resolved items: a post
     * costs no index work (P2 ingest), and open items are few and scanned.
     * No trigger on INSERT, even one whose WHEN is false: SQLite then gives
     * every insert a statement journal (2-3 us a post); items are inserted
     * open, and tw_store_insert() indexes the rare one inserted resolved.
     * unicode61 with diacritics removed, so "cafe" finds "café". External
     * content: the words are indexed, the text stays in items. */
    "CREATE VIRTUAL TABLE learned USING fts5(text, note, content='items', content_rowid='seq',"
    "  tokenize='unicode61 remove_diacritics 2');"
    "INSERT INTO learned (rowid, text, note) SELECT seq, text, note FROM items"
    "  WHERE state = 'resolved';"
    /* Only when what is indexed changes: resolved or no longer, or a
     * resolved item's words (another column, a ref say, leaves it be). */
    "CREATE TRIGGER learned_update AFTER UPDATE ON items"
    "  WHEN (old.state = 'resolved') <> (new.state = 'resolved') OR (new.state = 'resolved'"
    "    AND (old.text IS NOT new.text OR old.note IS NOT new.note)) BEGIN"
    "  INSERT INTO learned (learned, rowid, text, note)"
    "    SELECT 'delete', old.seq, old.text, old.note WHERE old.state = 'resolved';"
    "  INSERT INTO learned (rowid, text, note)"
    "    SELECT new.seq, new.text, new.note WHERE new.state = 'resolved';"
    "END;"
    "CREATE TRIGGER learned_delete AFTER DELETE ON items WHEN old.state = 'resolved' BEGIN"
    "  INSERT INTO learned (learned, rowid, text, note) VALUES ('delete', old.seq, old.text,"
    "    old.note);"
    "END;",
    /* 5: stand-ups (firmware/standups.c): one row each, ended 0 while it
     * runs, and one row per item walked with what happened to it (flags:
     * 1 shown, 2 claimed, 4 resolved) and how many earlier stand-ups it was
     * already open at. IF NOT EXISTS: a file set back to
     * an older version by hand (the tests do) keeps these tables. */
    "CREATE TABLE IF NOT EXISTS standups ("
    "  id TEXT PRIMARY KEY,"
    "  started INTEGER NOT NULL,"
    "  ended INTEGER NOT NULL DEFAULT 0,"
    "  by TEXT NOT NULL DEFAULT '',"
    "  position INTEGER NOT NULL,"
    "  count INTEGER NOT NULL,"
    "  item_started INTEGER NOT NULL,"
    "  summary TEXT"
    ");"
    "CREATE INDEX IF NOT EXISTS standups_started ON standups (started);"
    "CREATE TABLE IF NOT EXISTS standup_items ("
    "  standup_id TEXT NOT NULL,"
    "  position INTEGER NOT NULL,"
    "  item_id TEXT NOT NULL,"
    "  kind TEXT NOT NULL,"
    "  carried INTEGER NOT NULL DEFAULT 0,"
    "  flags INTEGER NOT NULL DEFAULT 0,"
    "  PRIMARY KEY (standup_id, position)"
    ");"
    "CREATE INDEX IF NOT EXISTS standup_items_item ON standup_items (item_id);",
    /* 6: a button device's make and model, from zigbee2mqtt's device list,
     * for teamwall-ctl buttons (firmware/buttons.c). IF NOT EXISTS, as 5. */
    "CREATE TABLE IF NOT EXISTS button_models ("
    "  source TEXT NOT NULL,"
    "  device TEXT NOT NULL,"
    "  vendor TEXT NOT NULL DEFAULT '',"
    "  model TEXT NOT NULL DEFAULT '',"
    "  PRIMARY KEY (source, device)"
    ");",
    /* 7 (issue 13): facts about the database itself, such as whose team it
     * is, so teamwall-ctl run on a copy names the right team. */
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;",
    /* 8: several boards of one team (firmware/converge.c, docs/SYNC.md):
     * every state change as the team sent it, by its command id, with the
     * time it counts at, so an item's state is the fold of its changes in
     * (ts, id) order whatever order they arrived in. item_id '' marks one
     * that named an item not seen yet (ref as sent). The history that
     * existed becomes the log of the items it describes. IF NOT EXISTS, as
     * the stand-ups' step: a file set back by hand keeps its tables. */
    "CREATE TABLE IF NOT EXISTS ops ("
    "  id TEXT PRIMARY KEY,"
    "  item_id TEXT NOT NULL,"
    "  ref TEXT NOT NULL DEFAULT '',"
    "  action TEXT NOT NULL CHECK (action = 'claim' OR action = 'resolve' OR action = 'reopen'),"
    "  ts INTEGER NOT NULL,"
    "  actor TEXT NOT NULL,"
    "  source TEXT NOT NULL DEFAULT '',"
    "  note TEXT NOT NULL DEFAULT '',"
    "  received INTEGER NOT NULL"
    ");"
    "CREATE INDEX IF NOT EXISTS ops_item ON ops (item_id, ts, id);"
    "INSERT OR IGNORE INTO ops (id, item_id, action, ts, actor, source, note, received)"
    "  SELECT 'h-' || seq, item_id, action, at, actor, source, coalesce(detail, ''), at"
    "  FROM history WHERE action = 'claim' OR action = 'resolve' OR action = 'reopen';"
    /* A catch-up from the team's other boards in progress (firmware/sync.c),
     * so a restart resumes it. */
    "CREATE TABLE IF NOT EXISTS sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);",
    /* 9: what the team may take back (firmware/retention.c, issue 16). The
     * history stays append-only except that a redaction may clear a row's
     * words (detail, and the poster's name), and the rows of an item that
     * [board] keep deletes may go with it: their ids are in pruned for the
     * length of that transaction. (The trigger names no table a migration
     * rebuilds, so a later step may drop and rename items freely.) */
    "CREATE TABLE IF NOT EXISTS pruned (item_id TEXT PRIMARY KEY);"
    "DROP TRIGGER IF EXISTS history_no_update;"
    "CREATE TRIGGER history_no_update BEFORE UPDATE ON history"
    "  WHEN NOT (new.seq = old.seq AND new.at = old.at AND new.item_id = old.item_id"
    "    AND new.action = old.action AND new.source = old.source AND new.detail IS NULL"
    "    AND (new.actor = old.actor OR new.actor = ''))"
    "  BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;"
    "DROP TRIGGER IF EXISTS history_no_delete;"
    "CREATE TRIGGER history_no_delete BEFORE DELETE ON history"
    "  WHEN NOT EXISTS (SELECT 1 FROM pruned WHERE item_id = old.item_id)"
    "  BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;",
};

int tw_schema_latest(void)
{
    return (int)TW_ARRAY_LEN(migrations);
}

int tw_schema_version(sqlite3 *db, int *out)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL);
    if (rc != SQLITE_OK)
        return rc;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *out = sqlite3_column_int(st, 0);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return rc;
}

static int exec(sqlite3 *db, const char *sql, const char *what)
{
    int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? 0 : tw_store_db_fail(db, rc, what);
}

int tw_schema_migrate(sqlite3 *db)
{
    const int latest = tw_schema_latest();
    for (;;) {
        int ret = exec(db, "BEGIN IMMEDIATE", "migrate: begin");
        if (ret)
            return ret;
        /* Read inside the write transaction: another process may have
         * migrated since we looked. */
        int v;
        int rc = tw_schema_version(db, &v);
        if (rc != SQLITE_OK) {
            ret = tw_store_db_fail(db, rc, "migrate: user_version");
            goto rollback;
        }
        if (v > latest) {
            log_error("database schema version %d is newer than this build knows (%d); "
                      "refusing to use it",
                      v, latest);
            ret = TW_ERR_DB;
            goto rollback;
        }
        if (v == latest)
            return exec(db, "COMMIT", "migrate: commit");
        if (v < 0) {
            log_error("database schema version %d is not a teamwall version", v);
            ret = TW_ERR_DB;
            goto rollback;
        }
        ret = exec(db, migrations[v], "migrate: schema");
        if (ret)
            goto rollback;
        char sql[64];
        snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", v + 1);
        ret = exec(db, sql, "migrate: user_version");
        if (ret)
            goto rollback;
        ret = exec(db, "COMMIT", "migrate: commit");
        if (ret)
            goto rollback;
        log_info("schema migrated to version %d", v + 1);
        continue;
    rollback:
        if (!sqlite3_get_autocommit(db))
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return ret;
    }
}
