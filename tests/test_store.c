/* SPDX-License-Identifier: MIT */
/*
 * The SQLite store against real files: schema and migrations, the id hash and
 * ref assignment (with collisions found by brute force), find_ref, items and
 * history, transactions, corrupt-file recovery, read-only opens.
 */
#define _POSIX_C_SOURCE 200809L
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "dbfix.h"
#include "prefixes.h"
#include "store.h"
#include "util.h"

static char dir[512];

static void path_for(char *buf, size_t size, const char *name)
{
    snprintf(buf, size, "%s/%s", dir, name);
}

static bool file_exists(const char *path)
{
    return access(path, F_OK) == 0;
}

static void write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        perror(path);
        exit(2);
    }
    fwrite(data, 1, len, f);
    fclose(f);
}

static tw_item make_item(const char *id, tw_kind kind, const char *text)
{
    tw_item it;
    memset(&it, 0, sizeof(it));
    tw_strlcpy(it.id, id, sizeof(it.id));
    it.kind = kind;
    it.state = TW_STATE_OPEN;
    tw_strlcpy(it.text, text, sizeof(it.text));
    tw_strlcpy(it.author, "Ana", sizeof(it.author));
    tw_strlcpy(it.source, "mqtt", sizeof(it.source));
    it.created = 1000;
    it.updated = 1001;
    return it;
}

static tw_store *open_rw(const char *path)
{
    tw_store *s = NULL;
    int ret = tw_store_open(path, NULL, &s);
    CHECK_EQ_INT(ret, 0);
    if (ret) {
        fprintf(stderr, "cannot open %s\n", path);
        exit(check_done() ? 1 : 1);
    }
    return s;
}

static void test_hash(void)
{
    char h[TW_REF_SIZE];
    /* FNV-1a 64, the splitmix64 finaliser, top 60 bits in Crockford base32,
     * computed independently in Python (FNV-1a("a") = 0xaf63dc4c8601ec8c). */
    tw_store_hash_id("", h);
    CHECK_EQ_STR(h, "ymn1btd9pqm9");
    tw_store_hash_id("a", h);
    CHECK_EQ_STR(h, "0b0bvft82ggf");
    tw_store_hash_id("slack-T1-Ev42", h);
    CHECK_EQ_STR(h, "g2nj26k1gnd1");
    tw_store_hash_id("foobar", h);
    CHECK_EQ_STR(h, "816tkrxq81wc");

    /* Alphabet and length over many ids; determinism. */
    bool ok = true;
    for (int i = 0; i < 5000; i++) {
        char id[32], again[TW_REF_SIZE];
        snprintf(id, sizeof(id), "id-%d", i);
        tw_store_hash_id(id, h);
        tw_store_hash_id(id, again);
        if (strlen(h) != TW_HASH_LEN || strcmp(h, again) != 0 ||
            strspn(h, "0123456789abcdefghjkmnpqrstvwxyz") != TW_HASH_LEN)
            ok = false;
    }
    CHECK(ok);
}

static int collect_found(void *ctx, const tw_item *item, const char *note)
{
    char *out = ctx;
    size_t n = strlen(out);
    snprintf(out + n, 512 - n, "%s%s%s%s", n ? "," : "", item->id, note[0] ? ":" : "", note);
    return 0;
}

/* What tw_store_search() found, as "id:note,id,..." (a static buffer). */
static const char *search(tw_store *s, const char *query, size_t limit)
{
    static char out[512];
    out[0] = '\0';
    int ret = tw_store_search(s, query, limit, collect_found, out);
    if (ret)
        snprintf(out, sizeof(out), "error %d", ret);
    return out;
}

/* Search: resolved items through the full-text index (text and note, word
 * prefixes, accents and case ignored, kept as items are resolved and
 * reopened), then open ones by substring. */
static void test_search(void)
{
    char path[600];
    path_for(path, sizeof(path), "search.db");
    remove_db(path);
    tw_store *s = open_rw(path);
    struct {
        const char *id, *text, *note; /* note NULL: stays open */
    } rows[] = {
        {"q1", "Who knows the VPN setup?", "Ask IT, the form is on the wiki"},
        {"q2", "Where is the café menu?", "On the fridge"},
        {"b1", "Staging database down", "Restarted the replica"},
        {"b2", "VPN drops every hour", NULL},
        {"w1", "First deploy of the new pipeline", NULL},
    };
    for (size_t i = 0; i < TW_ARRAY_LEN(rows); i++) {
        tw_item it = make_item(rows[i].id, TW_KIND_QUESTION, rows[i].text);
        CHECK_EQ_INT(tw_store_insert(s, &it), 0);
        if (rows[i].note) {
            it.state = TW_STATE_RESOLVED;
            it.resolved = 2000;
            CHECK_EQ_INT(tw_store_update(s, &it, rows[i].note), 0);
        }
    }
    /* resolved first (both words, in text or note), then open by substring */
    CHECK_EQ_STR(search(s, "vpn", 10), "q1:Ask IT, the form is on the wiki,b2");
    CHECK_EQ_STR(search(s, "VPN wiki", 10), "q1:Ask IT, the form is on the wiki");
    CHECK_EQ_STR(search(s, "vpn", 1), "q1:Ask IT, the form is on the wiki");
    CHECK_EQ_STR(search(s, "repl", 10), "b1:Restarted the replica"); /* word prefixes */
    CHECK_EQ_STR(search(s, "cafe", 10), "q2:On the fridge");         /* accents folded */
    CHECK_EQ_STR(search(s, "pipeline", 10), "w1");
    CHECK_EQ_STR(search(s, "nothing-like-it", 10), "");
    /* whatever is typed is words, never FTS5 syntax */
    CHECK_EQ_STR(search(s, "\"vpn\" OR NOT (", 10), "");
    CHECK_EQ_STR(search(s, "vpn*", 10), "q1:Ask IT, the form is on the wiki");
    CHECK_EQ_STR(search(s, "   ", 10), "error -1");
    /* reopened: no longer what was learned; resolved again: back, new note */
    tw_item it;
    CHECK_EQ_INT(tw_store_get(s, "q1", &it), 0);
    it.state = TW_STATE_OPEN;
    CHECK_EQ_INT(tw_store_update(s, &it, NULL), 0);
    CHECK_EQ_STR(search(s, "wiki", 10), "");
    CHECK_EQ_STR(search(s, "vpn", 10), "q1,b2");
    it.state = TW_STATE_RESOLVED;
    CHECK_EQ_INT(tw_store_update(s, &it, "Use the new client"), 0);
    CHECK_EQ_STR(search(s, "client", 10), "q1:Use the new client");
    CHECK_EQ_STR(search(s, "wiki", 10), "");
    /* an item inserted resolved (an import) is learned too */
    tw_item imp = make_item("imp", TW_KIND_WIN, "Imported the old wiki");
    imp.state = TW_STATE_RESOLVED;
    imp.resolved = 1500;
    CHECK_EQ_INT(tw_store_insert(s, &imp), 0);
    CHECK_EQ_STR(search(s, "wiki", 10), "imp");
    tw_store_close(s);
    /* read-only, as teamwall-ctl opens it */
    tw_store_options ro = {.read_only = true};
    CHECK_EQ_INT(tw_store_open(path, &ro, &s), 0);
    CHECK_EQ_STR(search(s, "fridge", 10), "q2:On the fridge");
    tw_store_close(s);
    remove_db(path);
}

/* A version 2 database (items.ref UNIQUE, as released) with two items is
 * migrated to 3 (same rows, same refs, found by ref, no index on ref) and
 * 4 (what was resolved before is searchable). */
static void test_migration_3(void)
{
    char path[600], buf[256];
    path_for(path, sizeof(path), "v2.db");
    remove_db(path);
    tw_store *s = open_rw(path);
    tw_store_close(s);
    CHECK_EQ_INT(
        raw_exec(path,
                 "DROP TABLE learned;"
                 "DROP TABLE ops;"
                 "DROP TABLE sync_state;"
                 "DROP TABLE items;"
                 "CREATE TABLE items (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
                 "  ref TEXT NOT NULL UNIQUE, hash TEXT NOT NULL,"
                 "  kind TEXT NOT NULL CHECK (kind = 'blocker' OR kind = 'question' OR kind = "
                 "'win'),"
                 "  text TEXT NOT NULL, author TEXT NOT NULL, source TEXT NOT NULL,"
                 "  state TEXT NOT NULL CHECK (state = 'open' OR state = 'claimed' OR state = "
                 "'resolved'),"
                 "  created INTEGER NOT NULL, claimed INTEGER NOT NULL DEFAULT 0,"
                 "  claimed_by TEXT NOT NULL DEFAULT '', resolved INTEGER NOT NULL DEFAULT 0,"
                 "  resolved_by TEXT NOT NULL DEFAULT '', note TEXT NOT NULL DEFAULT '',"
                 "  updated INTEGER NOT NULL);"
                 "CREATE INDEX items_hash ON items (hash);"
                 "CREATE INDEX items_open ON items (seq) WHERE state IN ('open', 'claimed');"
                 "INSERT INTO items (seq, id, ref, hash, kind, text, author, source, state, "
                 "  created, resolved, resolved_by, note, updated) VALUES "
                 "  (7, 'foobar', '816t', '816tabcdefgh', 'question', 'Where?', 'Ana', 'mqtt', "
                 "   'resolved', 1000, 1200, 'Ben', 'on the wiki', 1200),"
                 "  (9, 'slack-1', 'k3f9', 'k3f9abcdefgh', 'blocker', 'CI red', 'Cleo', 'slack', "
                 "   'open', 1100, 0, '', '', 1100);"
                 "PRAGMA user_version = 2;"),
        SQLITE_OK);
    s = open_rw(path);
    CHECK_EQ_INT(tw_store_schema_version(s), 9);
    tw_item got;
    CHECK_EQ_INT(tw_store_find_ref(s, "816T", &got), 0);
    CHECK_EQ_STR(got.id, "foobar");
    CHECK_EQ_INT(got.seq, 7);
    CHECK_EQ_INT(got.resolved, 1200);
    char note[TW_NOTE_SIZE];
    CHECK_EQ_INT(tw_store_note(s, "foobar", note, sizeof(note)), 0);
    CHECK_EQ_STR(note, "on the wiki");
    CHECK_EQ_INT(tw_store_find_ref(s, "k3f9", &got), 0);
    CHECK_EQ_STR(got.id, "slack-1");
    CHECK_EQ_INT(tw_store_find_ref(s, "k3f9a", &got), 0); /* a longer prefix of the hash */
    CHECK_EQ_STR(got.id, "slack-1");
    CHECK_EQ_INT(tw_store_find_ref(s, "zzzz", &got), TW_ERR_NOTFOUND);
    CHECK_EQ_STR(search(s, "wiki", 10), "foobar:on the wiki");
    tw_store_close(s);
    raw_text(path,
             "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master "
             "WHERE type = 'index' AND tbl_name = 'items' ORDER BY name)",
             buf, sizeof(buf));
    CHECK_EQ_STR(buf, "items_hash,items_open,sqlite_autoindex_items_1");
    raw_text(path, "SELECT count(*) || ' ' || max(seq) FROM items", buf, sizeof(buf));
    CHECK_EQ_STR(buf, "2 9");
    remove_db(path);
}

static void test_schema(void)
{
    char path[600], buf[512];
    path_for(path, sizeof(path), "schema.db");
    remove_db(path);
    tw_store *s = open_rw(path);
    CHECK_EQ_INT(tw_store_schema_version(s), 9);
    CHECK(tw_store_recovered_from(s) == NULL);
    tw_store_close(s);

    raw_text(path, "PRAGMA user_version", buf, sizeof(buf));
    CHECK_EQ_STR(buf, "9");
    raw_text(path, "PRAGMA journal_mode", buf, sizeof(buf));
    CHECK_EQ_STR(buf, "wal");
    raw_text(path,
             "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master "
             "WHERE name NOT LIKE 'sqlite_%' ORDER BY name)",
             buf, sizeof(buf));
    CHECK_EQ_STR(buf, "button_models,button_presses,buttons,history,history_item,history_no_delete,"
                      "history_no_update,items,items_hash,items_open,learned,learned_config,"
                      "learned_data,learned_delete,learned_docsize,learned_idx,learned_update,"
                      "meta,ops,ops_item,pruned,standup_items,standup_items_item,standups,"
                      "standups_started,sync_state");

    /* Items have two indexes besides the rowid: the id's (UNIQUE) and the
     * hash's, which also finds refs (migration 3 dropped ref's UNIQUE). */
    raw_text(path,
             "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master "
             "WHERE type = 'index' AND tbl_name = 'items' ORDER BY name)",
             buf, sizeof(buf));
    CHECK_EQ_STR(buf, "items_hash,items_open,sqlite_autoindex_items_1");

    /* Reopening does not migrate again; facts about the database stay. */
    s = open_rw(path);
    CHECK_EQ_INT(tw_store_schema_version(s), 9);
    CHECK_EQ_INT(tw_store_meta_get(s, "team", buf, sizeof(buf)), TW_ERR_NOTFOUND);
    CHECK_EQ_INT(tw_store_meta_set(s, "team", "acme"), 0);
    CHECK_EQ_INT(tw_store_meta_set(s, "team", "acme"), 0);
    tw_store_close(s);
    tw_store_options ro_meta = {.read_only = true};
    CHECK_EQ_INT(tw_store_open(path, &ro_meta, &s), 0);
    CHECK_EQ_INT(tw_store_meta_get(s, "team", buf, sizeof(buf)), 0);
    CHECK_EQ_STR(buf, "acme");
    tw_store_close(s);

    /* An existing SQLite file at version 0 is migrated; its own tables stay. */
    remove_db(path);
    CHECK_EQ_INT(raw_exec(path, "CREATE TABLE notes (x); INSERT INTO notes VALUES (42);"),
                 SQLITE_OK);
    s = open_rw(path);
    CHECK_EQ_INT(tw_store_schema_version(s), 9);
    CHECK(tw_store_recovered_from(s) == NULL);
    tw_store_close(s);
    raw_text(path, "SELECT x FROM notes", buf, sizeof(buf));
    CHECK_EQ_STR(buf, "42");
    /* The schema refuses kinds and states this build could not read. */
    CHECK_EQ_INT(raw_exec(path, "INSERT INTO items (id, ref, hash, kind, text, author, source, "
                                "state, created, updated) VALUES ('k', 'kkkk', 'kkkk00000000', "
                                "'bogus', 't', 'a', 'mqtt', 'open', 1, 1)"),
                 SQLITE_CONSTRAINT);
    CHECK_EQ_INT(raw_exec(path, "INSERT INTO items (id, ref, hash, kind, text, author, source, "
                                "state, created, updated) VALUES ('k', 'kkkk', 'kkkk00000000', "
                                "'win', 't', 'a', 'mqtt', 'done', 1, 1)"),
                 SQLITE_CONSTRAINT);

    /* A schema newer than this build is refused, read-write and read-only,
     * and left alone. */
    CHECK_EQ_INT(raw_exec(path, "PRAGMA user_version = 99"), SQLITE_OK);
    s = (tw_store *)1;
    CHECK_EQ_INT(tw_store_open(path, NULL, &s), TW_ERR_DB);
    CHECK(s == NULL);
    tw_store_options ro = {.read_only = true};
    CHECK_EQ_INT(tw_store_open(path, &ro, &s), TW_ERR_DB);
    raw_text(path, "PRAGMA user_version", buf, sizeof(buf));
    CHECK_EQ_STR(buf, "99");
    remove_db(path);

    /* sync_full opens the same schema. */
    tw_store_options full = {.sync_full = true};
    CHECK_EQ_INT(tw_store_open(path, &full, &s), 0);
    CHECK_EQ_INT(tw_store_schema_version(s), 9);
    tw_store_close(s);
    remove_db(path);

    CHECK_EQ_INT(tw_store_open(NULL, NULL, &s), TW_ERR_INVAL);
    CHECK_EQ_INT(tw_store_open("", NULL, &s), TW_ERR_INVAL);
    tw_store_close(NULL);
}

static void test_items(void)
{
    char path[600];
    path_for(path, sizeof(path), "items.db");
    remove_db(path);
    tw_store *s = open_rw(path);

    tw_item a = make_item("slack-T1-Ev42", TW_KIND_BLOCKER, "Waiting on prod DB access");
    CHECK_EQ_INT(tw_store_insert(s, &a), 0);
    CHECK_EQ_INT(a.seq, 1);
    CHECK_EQ_STR(a.ref, "g2nj");
    tw_item b = make_item("foobar", TW_KIND_QUESTION, "Who knows the VPN?");
    CHECK_EQ_INT(tw_store_insert(s, &b), 0);
    CHECK_EQ_INT(b.seq, 2);
    CHECK_EQ_STR(b.ref, "816t");
    tw_item dup = make_item("foobar", TW_KIND_WIN, "again");
    CHECK_EQ_INT(tw_store_insert(s, &dup), TW_ERR_INVAL);
    tw_item bad = make_item("", TW_KIND_WIN, "no id");
    CHECK_EQ_INT(tw_store_insert(s, &bad), TW_ERR_INVAL);
    bad = make_item("x", TW_KIND_COUNT, "bad kind");
    CHECK_EQ_INT(tw_store_insert(s, &bad), TW_ERR_INVAL);

    tw_item got;
    CHECK_EQ_INT(tw_store_get(s, "slack-T1-Ev42", &got), 0);
    CHECK_EQ_INT(got.seq, 1);
    CHECK_EQ_STR(got.ref, "g2nj");
    CHECK_EQ_INT(got.kind, TW_KIND_BLOCKER);
    CHECK_EQ_INT(got.state, TW_STATE_OPEN);
    CHECK_EQ_STR(got.text, "Waiting on prod DB access");
    CHECK_EQ_STR(got.author, "Ana");
    CHECK_EQ_STR(got.source, "mqtt");
    CHECK_EQ_STR(got.claimed_by, "");
    CHECK_EQ_INT(got.created, 1000);
    CHECK_EQ_INT(got.updated, 1001);
    CHECK_EQ_INT(tw_store_get(s, "nope", &got), TW_ERR_NOTFOUND);

    /* Update writes state, the claimed/resolved fields, note and updated. */
    b.state = TW_STATE_RESOLVED;
    b.claimed = 1100;
    tw_strlcpy(b.claimed_by, "Ben", sizeof(b.claimed_by));
    b.resolved = 1200;
    tw_strlcpy(b.resolved_by, "Ben", sizeof(b.resolved_by));
    b.updated = 1200;
    CHECK_EQ_INT(tw_store_update(s, &b, "Ask IT; the form is on the wiki"), 0);
    tw_item ghost = make_item("ghost", TW_KIND_WIN, "x");
    CHECK_EQ_INT(tw_store_update(s, &ghost, NULL), TW_ERR_NOTFOUND);
    char note[TW_NOTE_SIZE];
    CHECK_EQ_INT(tw_store_note(s, "ghost", note, sizeof(note)), TW_ERR_NOTFOUND);
    CHECK_EQ_INT(tw_store_note(s, "committed-later", note, sizeof(note)), TW_ERR_NOTFOUND);

    /* History. */
    CHECK_EQ_INT(tw_store_history_count(s), 0);
    CHECK_EQ_INT(tw_store_history_add(s, 1000, "foobar", "post", "Ana", "mqtt", NULL), 0);
    CHECK_EQ_INT(tw_store_history_add(s, 1200, "foobar", "resolve", "Ben", "slack", "the note"), 0);
    CHECK_EQ_INT(tw_store_history_add(s, 1200, NULL, "resolve", "Ben", "slack", NULL),
                 TW_ERR_INVAL);
    CHECK_EQ_INT(tw_store_history_count(s), 2);

    /* Transactions: rollback drops, commit keeps. */
    CHECK(!tw_store_in_transaction(s));
    CHECK_EQ_INT(tw_store_begin(s), 0);
    CHECK(tw_store_in_transaction(s));
    CHECK_EQ_INT(tw_store_begin(s), TW_ERR_INVAL);
    tw_item c = make_item("rolled-back", TW_KIND_WIN, "shipped");
    CHECK_EQ_INT(tw_store_insert(s, &c), 0);
    CHECK_EQ_INT(tw_store_history_add(s, 1300, "rolled-back", "post", "Ana", "mqtt", NULL), 0);
    tw_store_rollback(s);
    CHECK(!tw_store_in_transaction(s));
    CHECK_EQ_INT(tw_store_get(s, "rolled-back", &got), TW_ERR_NOTFOUND);
    CHECK_EQ_INT(tw_store_history_count(s), 2);
    tw_store_rollback(s); /* nothing open: no-op */
    CHECK_EQ_INT(tw_store_commit(s), TW_ERR_INVAL);

    CHECK_EQ_INT(tw_store_begin(s), 0);
    c = make_item("committed", TW_KIND_WIN, "shipped");
    CHECK_EQ_INT(tw_store_insert(s, &c), 0);
    CHECK_EQ_INT(c.seq, 3); /* the rolled-back row's seq 3 is free again */
    CHECK_EQ_INT(tw_store_commit(s), 0);
    CHECK(!tw_store_in_transaction(s));
    tw_store_close(s);

    /* Everything persists across close and open. */
    s = open_rw(path);
    CHECK_EQ_INT(tw_store_get(s, "foobar", &got), 0);
    CHECK_EQ_INT(got.seq, 2);
    CHECK_EQ_STR(got.ref, "816t");
    CHECK_EQ_INT(got.kind, TW_KIND_QUESTION);
    CHECK_EQ_INT(got.state, TW_STATE_RESOLVED);
    CHECK_EQ_INT(got.claimed, 1100);
    CHECK_EQ_STR(got.claimed_by, "Ben");
    CHECK_EQ_INT(got.resolved, 1200);
    CHECK_EQ_STR(got.resolved_by, "Ben");
    CHECK_EQ_INT(tw_store_note(s, "foobar", note, sizeof(note)), 0);
    CHECK_EQ_STR(note, "Ask IT; the form is on the wiki");
    CHECK_EQ_INT(got.updated, 1200);
    CHECK_EQ_INT(got.created, 1000);
    CHECK_EQ_INT(tw_store_get(s, "committed", &got), 0);
    CHECK_EQ_INT(got.seq, 3);
    CHECK_EQ_INT(tw_store_note(s, "committed", note, sizeof(note)), 0);
    CHECK_EQ_STR(note, ""); /* a new item has none */
    CHECK_EQ_INT(tw_store_history_count(s), 2);
    tw_store_close(s);

    /* History is append-only, even for a raw connection. */
    char buf[64];
    CHECK_EQ_INT(raw_exec(path, "UPDATE history SET actor = 'Eve'"), SQLITE_CONSTRAINT);
    CHECK_EQ_INT(raw_exec(path, "DELETE FROM history"), SQLITE_CONSTRAINT);
    raw_text(path, "SELECT count(*) FROM history WHERE actor != 'Eve'", buf, sizeof(buf));
    CHECK_EQ_STR(buf, "2");
    raw_text(path, "SELECT detail FROM history WHERE action = 'resolve'", buf, sizeof(buf));
    CHECK_EQ_STR(buf, "the note");
    raw_text(path, "SELECT detail IS NULL FROM history WHERE action = 'post'", buf, sizeof(buf));
    CHECK_EQ_STR(buf, "1");
    raw_text(path, "SELECT kind || ',' || state || ',' || hash FROM items WHERE id = 'foobar'", buf,
             sizeof(buf));
    CHECK_EQ_STR(buf, "question,resolved,816tkrxq81wc");
    remove_db(path);
}

struct collect {
    char ids[16][TW_ID_SIZE];
    int n;
    int stop_after;
};

static int collect_fn(void *ctx, const tw_item *item)
{
    struct collect *c = ctx;
    if (c->n < 16)
        tw_strlcpy(c->ids[c->n], item->id, TW_ID_SIZE);
    c->n++;
    return c->stop_after && c->n >= c->stop_after ? 99 : 0;
}

static void test_each(void)
{
    char path[600];
    path_for(path, sizeof(path), "each.db");
    remove_db(path);
    tw_store *s = open_rw(path);
    const char *ids[] = {"e1", "e2", "e3", "e4"};
    tw_state states[] = {TW_STATE_RESOLVED, TW_STATE_CLAIMED, TW_STATE_OPEN, TW_STATE_RESOLVED};
    for (int i = 0; i < 4; i++) {
        tw_item it = make_item(ids[i], TW_KIND_BLOCKER, "x");
        it.state = states[i];
        CHECK_EQ_INT(tw_store_insert(s, &it), 0);
    }
    struct collect c = {0};
    CHECK_EQ_INT(tw_store_each(s, false, collect_fn, &c), 0);
    CHECK_EQ_INT(c.n, 2);
    CHECK_EQ_STR(c.ids[0], "e2");
    CHECK_EQ_STR(c.ids[1], "e3");
    memset(&c, 0, sizeof(c));
    CHECK_EQ_INT(tw_store_each(s, true, collect_fn, &c), 0);
    CHECK_EQ_INT(c.n, 4);
    CHECK_EQ_STR(c.ids[0], "e1");
    CHECK_EQ_STR(c.ids[3], "e4");
    memset(&c, 0, sizeof(c));
    c.stop_after = 2;
    CHECK_EQ_INT(tw_store_each(s, true, collect_fn, &c), 99);
    CHECK_EQ_INT(c.n, 2);
    /* The statement was reset: a new walk starts from the beginning. */
    memset(&c, 0, sizeof(c));
    CHECK_EQ_INT(tw_store_each(s, true, collect_fn, &c), 0);
    CHECK_EQ_INT(c.n, 4);
    CHECK_EQ_INT(tw_store_each(s, true, NULL, NULL), TW_ERR_INVAL);
    tw_store_close(s);
    remove_db(path);
}

/* ---- refs, with collisions found by brute force ---- */

typedef struct {
    char hash[TW_REF_SIZE];
    unsigned n;
} cand;

static int cand_cmp(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    int c = strcmp(x->hash, y->hash);
    return c ? c : (x->n > y->n) - (x->n < y->n);
}

static void cand_id(unsigned n, char *out, size_t size)
{
    snprintf(out, size, "brute-%u", n);
}

/*
 * Hash many ids and sort them: neighbours share the longest prefixes. Finds
 * three ids whose hashes share 5 characters, and two that share 6 (and
 * differ from the first three in their first 5).
 */
static void find_collisions(char triple[3][TW_ID_SIZE], char pair[2][TW_ID_SIZE])
{
    const unsigned n = 400000;
    cand *c = malloc(n * sizeof(*c));
    for (unsigned i = 0; i < n; i++) {
        char id[32];
        cand_id(i, id, sizeof(id));
        tw_store_hash_id(id, c[i].hash);
        c[i].n = i;
    }
    qsort(c, n, sizeof(*c), cand_cmp);
    bool have_triple = false, have_pair = false;
    for (unsigned i = 0; i + 2 < n && !have_triple; i++) {
        if (memcmp(c[i].hash, c[i + 2].hash, 5) == 0) {
            for (int k = 0; k < 3; k++)
                cand_id(c[i + k].n, triple[k], TW_ID_SIZE);
            have_triple = true;
        }
    }
    char t[TW_REF_SIZE];
    tw_store_hash_id(triple[0], t);
    for (unsigned i = 0; i + 1 < n && !have_pair; i++) {
        if (memcmp(c[i].hash, c[i + 1].hash, 6) == 0 && memcmp(c[i].hash, t, 5) != 0) {
            cand_id(c[i].n, pair[0], TW_ID_SIZE);
            cand_id(c[i + 1].n, pair[1], TW_ID_SIZE);
            have_pair = true;
        }
    }
    free(c);
    CHECK(have_triple);
    CHECK(have_pair);
    if (!have_triple || !have_pair)
        exit(check_done() ? 1 : 1);
    /* Inserted in ascending order of n, as the sort kept equal prefixes in
     * hash order, not n order; the expectations below do not depend on it. */
}

static void test_refs(void)
{
    char path[600];
    path_for(path, sizeof(path), "refs.db");
    remove_db(path);
    tw_store *s = open_rw(path);

    char triple[3][TW_ID_SIZE], pair[2][TW_ID_SIZE];
    find_collisions(triple, pair);
    char h[3][TW_REF_SIZE];
    tw_item t[3];
    for (int k = 0; k < 3; k++) {
        tw_store_hash_id(triple[k], h[k]);
        t[k] = make_item(triple[k], TW_KIND_BLOCKER, "collide");
        t[k].created = 1000 + k; /* refs follow (created, id) */
        CHECK_EQ_INT(tw_store_insert(s, &t[k]), 0);
    }
    /* The first takes 4 characters; the others share them and get longer,
     * each the shortest prefix nobody uses. */
    char want[TW_REF_SIZE];
    snprintf(want, sizeof(want), "%.4s", h[0]);
    CHECK_EQ_STR(t[0].ref, want);
    snprintf(want, sizeof(want), "%.5s", h[1]);
    CHECK_EQ_STR(t[1].ref, want);
    snprintf(want, sizeof(want), "%.6s", h[2]);
    CHECK_EQ_STR(t[2].ref, want);

    /* Every ref names its own item, even though it prefixes others' hashes. */
    tw_item got;
    for (int k = 0; k < 3; k++) {
        CHECK_EQ_INT(tw_store_find_ref(s, t[k].ref, &got), 0);
        CHECK_EQ_STR(got.id, triple[k]);
    }

    /* Another board that gets them newest first ends with the same refs:
     * each arrival of an older one moves the newer ones' refs on. */
    {
        char path2[600];
        path_for(path2, sizeof(path2), "refs2.db");
        remove_db(path2);
        tw_store *s2 = open_rw(path2);
        uint64_t moved = tw_store_refs_moved(s2);
        for (int k = 2; k >= 0; k--) {
            tw_item r = make_item(triple[k], TW_KIND_BLOCKER, "collide");
            r.created = 1000 + k;
            CHECK_EQ_INT(tw_store_insert(s2, &r), 0);
        }
        CHECK(tw_store_refs_moved(s2) > moved);
        for (int k = 0; k < 3; k++) {
            CHECK_EQ_INT(tw_store_get(s2, triple[k], &got), 0);
            CHECK_EQ_STR(got.ref, t[k].ref);
        }
        /* Equal times: the id decides, in any order of arrival. */
        tw_store_close(s2);
        remove_db(path2);
        char refs[2][3][TW_REF_SIZE];
        for (int pass = 0; pass < 2; pass++) {
            s2 = open_rw(path2);
            for (int i = 0; i < 3; i++) {
                int k = pass ? 2 - i : i;
                tw_item r = make_item(triple[k], TW_KIND_BLOCKER, "collide");
                CHECK_EQ_INT(tw_store_insert(s2, &r), 0);
            }
            for (int k = 0; k < 3; k++) {
                CHECK_EQ_INT(tw_store_get(s2, triple[k], &got), 0);
                tw_strlcpy(refs[pass][k], got.ref, TW_REF_SIZE);
            }
            tw_store_close(s2);
            remove_db(path2);
        }
        for (int k = 0; k < 3; k++)
            CHECK_EQ_STR(refs[0][k], refs[1][k]);
    }

    tw_item p[2];
    char ph[2][TW_REF_SIZE];
    for (int k = 0; k < 2; k++) {
        tw_store_hash_id(pair[k], ph[k]);
        p[k] = make_item(pair[k], TW_KIND_QUESTION, "pair");
        CHECK_EQ_INT(tw_store_insert(s, &p[k]), 0);
    }
    snprintf(want, sizeof(want), "%.4s", ph[0]);
    CHECK_EQ_STR(p[0].ref, want);
    snprintf(want, sizeof(want), "%.5s", ph[1]);
    CHECK_EQ_STR(p[1].ref, want);
    /* Six shared characters are nobody's ref and prefix both: ambiguous. */
    char six[8];
    snprintf(six, sizeof(six), "%.6s", ph[0]);
    memset(&got, 0x55, sizeof(got));
    CHECK_EQ_INT(tw_store_find_ref(s, six, &got), TW_ERR_AMBIGUOUS);
    /* Seven characters or the full hash tell them apart, if they differ
     * there; the full id always does. */
    if (ph[0][6] != ph[1][6]) {
        char seven[8];
        snprintf(seven, sizeof(seven), "%.7s", ph[1]);
        CHECK_EQ_INT(tw_store_find_ref(s, seven, &got), 0);
        CHECK_EQ_STR(got.id, pair[1]);
    }
    CHECK_EQ_INT(tw_store_find_ref(s, pair[0], &got), 0);
    CHECK_EQ_STR(got.id, pair[0]);

    /* Exhaustion: when every prefix of a hash is somebody's ref (a full
     * 60-bit collision, faked here with raw rows), insert refuses. */
    char victim_hash[TW_REF_SIZE];
    tw_store_hash_id("victim", victim_hash);
    tw_store_close(s);
    char sql[4096] = "";
    for (int n = TW_REF_MIN; n <= TW_HASH_LEN; n++) {
        char row[256];
        snprintf(row, sizeof(row),
                 "INSERT INTO items (id, ref, hash, kind, text, author, source, state, "
                 "created, updated) VALUES ('fake-%d', '%.*s', '%s', 'win', 'x', 'a', 'mqtt', "
                 "'resolved', 1, 1);",
                 n, n, victim_hash, victim_hash);
        strcat(sql, row);
    }
    CHECK_EQ_INT(raw_exec(path, sql), SQLITE_OK);
    s = open_rw(path);
    tw_item v = make_item("victim", TW_KIND_BLOCKER, "no room");
    CHECK_EQ_INT(tw_store_insert(s, &v), TW_ERR_INVAL);
    CHECK_EQ_INT(tw_store_get(s, "victim", &got), TW_ERR_NOTFOUND);
    /* ... and changes nobody's ref. */
    raw_text(path, "SELECT ref FROM items WHERE id = 'fake-7'", sql, sizeof(sql));
    snprintf(want, sizeof(want), "%.7s", victim_hash);
    CHECK_EQ_STR(sql, want);
    /* With one fewer, the older ones keep theirs (by time and id) and the
     * newcomer gets what is left: the whole hash. */
    tw_store_close(s);
    snprintf(sql, sizeof(sql), "UPDATE items SET hash = 'zzzzzzzzzzzz' WHERE id = 'fake-7';");
    CHECK_EQ_INT(raw_exec(path, sql), SQLITE_OK);
    s = open_rw(path);
    CHECK_EQ_INT(tw_store_insert(s, &v), 0);
    CHECK_EQ_STR(v.ref, victim_hash);
    tw_store_close(s);
    remove_db(path);
}

static void test_find_ref(void)
{
    char path[600];
    path_for(path, sizeof(path), "find.db");
    remove_db(path);
    tw_store *s = open_rw(path);
    tw_item a = make_item("slack-T1-Ev42", TW_KIND_BLOCKER, "a"); /* g2nj26k1gnd1 */
    tw_item b = make_item("foobar", TW_KIND_QUESTION, "b");       /* 816tkrxq81wc */
    tw_item c = make_item("g2nj", TW_KIND_WIN, "an id that looks like a's ref");
    CHECK_EQ_INT(tw_store_insert(s, &a), 0);
    CHECK_EQ_INT(tw_store_insert(s, &b), 0);
    CHECK_EQ_INT(tw_store_insert(s, &c), 0);

    tw_item got;
    /* Exact id first ... */
    CHECK_EQ_INT(tw_store_find_ref(s, "foobar", &got), 0);
    CHECK_EQ_STR(got.id, "foobar");
    CHECK_EQ_INT(tw_store_find_ref(s, "g2nj", &got), 0);
    CHECK_EQ_STR(got.id, "g2nj");
    /* ... then an exact ref ... */
    CHECK_EQ_INT(tw_store_find_ref(s, "816t", &got), 0);
    CHECK_EQ_STR(got.id, "foobar");
    CHECK_EQ_INT(tw_store_find_ref(s, "816T", &got), 0); /* as read off a card */
    CHECK_EQ_STR(got.id, "foobar");
    /* ... then a unique hash prefix. */
    CHECK_EQ_INT(tw_store_find_ref(s, "g2nj2", &got), 0);
    CHECK_EQ_STR(got.id, "slack-T1-Ev42");
    CHECK_EQ_INT(tw_store_find_ref(s, "816tkrxq81wc", &got), 0);
    CHECK_EQ_STR(got.id, "foobar");
    CHECK_EQ_INT(tw_store_find_ref(s, "816tkrxq", &got), 0);
    CHECK_EQ_STR(got.id, "foobar");
    /* Crockford look-alikes: o reads as 0, i and l as 1. */
    CHECK_EQ_INT(tw_store_find_ref(s, "8I6TKRXQ8IWC", &got), 0);
    CHECK_EQ_STR(got.id, "foobar");

    /* Too short, too long, outside the alphabet, wildcards, unknown. */
    CHECK_EQ_INT(tw_store_find_ref(s, "b52", &got), TW_ERR_NOTFOUND);
    CHECK_EQ_INT(tw_store_find_ref(s, "b", &got), TW_ERR_NOTFOUND);
    CHECK_EQ_INT(tw_store_find_ref(s, "", &got), TW_ERR_NOTFOUND);
    CHECK_EQ_INT(tw_store_find_ref(s, "816tkrxq81wcz", &got), TW_ERR_NOTFOUND);
    CHECK_EQ_INT(tw_store_find_ref(s, "b52u", &got), TW_ERR_NOTFOUND);
    CHECK_EQ_INT(tw_store_find_ref(s, "b5%%", &got), TW_ERR_NOTFOUND);
    CHECK_EQ_INT(tw_store_find_ref(s, "b5__", &got), TW_ERR_NOTFOUND);
    CHECK_EQ_INT(tw_store_find_ref(s, "b52~", &got), TW_ERR_NOTFOUND);
    CHECK_EQ_INT(tw_store_find_ref(s, "zzzz", &got), TW_ERR_NOTFOUND);
    CHECK_EQ_INT(tw_store_find_ref(s, "816t3", &got), TW_ERR_NOTFOUND);
    CHECK_EQ_INT(tw_store_find_ref(s, NULL, &got), TW_ERR_INVAL);
    tw_store_close(s);
    remove_db(path);
}

static void test_corrupt(void)
{
    char path[600], moved[700], buf[64];
    path_for(path, sizeof(path), "corrupt.db");
    remove_db(path);
    tw_clock_fix(1764061200);
    snprintf(moved, sizeof(moved), "%s.corrupt-1764061200", path);
    remove_db(moved);

    /* Not a database at all, with a stray -wal next to it. */
    char garbage[8192];
    for (size_t i = 0; i < sizeof(garbage); i++)
        garbage[i] = (char)('a' + i % 26);
    write_file(path, garbage, sizeof(garbage));
    char wal[620];
    snprintf(wal, sizeof(wal), "%s-wal", path);
    write_file(wal, "junk", 4);

    /* Read-only never moves anything. */
    tw_store_options ro = {.read_only = true};
    tw_store *s = NULL;
    CHECK_EQ_INT(tw_store_open(path, &ro, &s), TW_ERR_DB);
    CHECK(s == NULL);
    CHECK(!file_exists(moved));

    s = open_rw(path);
    CHECK(tw_store_recovered_from(s) != NULL);
    CHECK_EQ_STR(tw_store_recovered_from(s), moved);
    CHECK(file_exists(moved));
    char moved_wal[720];
    snprintf(moved_wal, sizeof(moved_wal), "%s-wal", moved);
    CHECK(file_exists(moved_wal));
    struct stat st;
    CHECK(stat(moved, &st) == 0 && st.st_size == (off_t)sizeof(garbage));
    /* The fresh store works. */
    CHECK_EQ_INT(tw_store_schema_version(s), 9);
    tw_item it = make_item("after-recovery", TW_KIND_WIN, "back up");
    CHECK_EQ_INT(tw_store_insert(s, &it), 0);
    CHECK_EQ_INT(it.seq, 1);
    tw_store_close(s);
    s = open_rw(path);
    CHECK(tw_store_recovered_from(s) == NULL);
    tw_item got;
    CHECK_EQ_INT(tw_store_get(s, "after-recovery", &got), 0);
    tw_store_close(s);

    /* A second recovery in the same second does not overwrite the first. */
    write_file(path, garbage, 4096);
    s = open_rw(path);
    snprintf(buf, sizeof(buf), ".corrupt-1764061200-1");
    CHECK(tw_store_recovered_from(s) != NULL);
    if (tw_store_recovered_from(s)) {
        const char *r = tw_store_recovered_from(s);
        CHECK_EQ_STR(r + strlen(path), buf);
        CHECK(file_exists(r));
    }
    tw_store_close(s);
    char second[720];
    snprintf(second, sizeof(second), "%s-1", moved);
    remove_db(second);
    remove_db(moved);
    remove_db(path);

    /* A real database with a damaged page: quick_check catches it. */
    s = open_rw(path);
    for (int i = 0; i < 300; i++) {
        char id[32];
        snprintf(id, sizeof(id), "bulk-%d", i);
        tw_item b = make_item(id, TW_KIND_BLOCKER,
                              "a long enough text to fill several pages of the items table");
        CHECK_EQ_INT(tw_store_insert(s, &b), 0);
    }
    tw_store_close(s); /* checkpoints the WAL into the file */
    CHECK(!file_exists(wal));
    FILE *f = fopen(path, "r+b");
    CHECK(f != NULL);
    if (f) {
        /* Scribble over page 3 onwards (4096-byte pages), leaving the header. */
        char junk[4096];
        memset(junk, 0xA5, sizeof(junk));
        fseek(f, 2 * 4096, SEEK_SET);
        fwrite(junk, 1, sizeof(junk), f);
        fseek(f, 4 * 4096, SEEK_SET);
        fwrite(junk, 1, sizeof(junk), f);
        fclose(f);
    }
    s = open_rw(path);
    CHECK_EQ_STR(tw_store_recovered_from(s), moved);
    CHECK(file_exists(moved));
    CHECK_EQ_INT(tw_store_get(s, "bulk-1", &got), TW_ERR_NOTFOUND);
    it = make_item("fresh", TW_KIND_WIN, "x");
    CHECK_EQ_INT(tw_store_insert(s, &it), 0);
    CHECK_EQ_INT(it.seq, 1);
    tw_store_close(s);
    remove_db(moved);
    remove_db(path);
    tw_clock_fix(0);
}

static void test_read_only(void)
{
    char path[600];
    path_for(path, sizeof(path), "ro.db");
    remove_db(path);
    tw_store_options ro = {.read_only = true};
    tw_store *s = NULL;
    /* Missing file: an I/O error, and no file is created. */
    CHECK_EQ_INT(tw_store_open(path, &ro, &s), TW_ERR_IO);
    CHECK(!file_exists(path));

    /* An SQLite file that was never migrated. */
    CHECK_EQ_INT(raw_exec(path, "CREATE TABLE t (x)"), SQLITE_OK);
    CHECK_EQ_INT(tw_store_open(path, &ro, &s), TW_ERR_DB);
    remove_db(path);

    s = open_rw(path);
    tw_item a = make_item("ro-1", TW_KIND_QUESTION, "readable");
    CHECK_EQ_INT(tw_store_insert(s, &a), 0);
    CHECK_EQ_INT(tw_store_history_add(s, 5, "ro-1", "post", "Ana", "mqtt", NULL), 0);
    tw_store_close(s);

    CHECK_EQ_INT(tw_store_open(path, &ro, &s), 0);
    CHECK(tw_store_recovered_from(s) == NULL);
    CHECK_EQ_INT(tw_store_schema_version(s), 9);
    tw_item got;
    CHECK_EQ_INT(tw_store_get(s, "ro-1", &got), 0);
    CHECK_EQ_STR(got.text, "readable");
    CHECK_EQ_INT(tw_store_find_ref(s, a.ref, &got), 0);
    CHECK_EQ_STR(got.id, "ro-1");
    CHECK_EQ_INT(tw_store_history_count(s), 1);
    struct collect c = {0};
    CHECK_EQ_INT(tw_store_each(s, false, collect_fn, &c), 0);
    CHECK_EQ_INT(c.n, 1);
    /* Writes fail as "read-only". */
    tw_item b = make_item("ro-2", TW_KIND_WIN, "no");
    CHECK_EQ_INT(tw_store_insert(s, &b), TW_ERR_FULL);
    CHECK_EQ_INT(tw_store_history_add(s, 6, "ro-1", "claim", "Ben", "mqtt", NULL), TW_ERR_FULL);
    CHECK_EQ_INT(tw_store_begin(s), 0);
    CHECK(tw_store_in_transaction(s));
    tw_store_rollback(s);
    tw_store_close(s);
    remove_db(path);
}

/* How many of this process's descriptors name a deleted file. */
static int deleted_fds(void)
{
    int n = 0;
    char link[64], target[1024];
    for (int fd = 0; fd < 1024; fd++) {
        snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
        ssize_t len = readlink(link, target, sizeof(target) - 1);
        if (len <= 0)
            continue;
        target[len] = '\0';
        n += strstr(target, " (deleted)") != NULL;
    }
    return n;
}

/* Reattaching to a file put in place of the open one (firmware/dbwatch.c
 * does it when the file was deleted or replaced) moves every statement to
 * the new connection, the cached ones of the store's sibling modules too
 * (the buttons' here): none may go on writing to the old, unlinked file. */
static void test_reattach(void)
{
    char path[600], tmp[700], buf[64];
    path_for(path, sizeof(path), "reattach.db");
    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    remove_db(path);
    tw_store *s = open_rw(path);
    tw_button_row row = {.battery = -1, .online = -1};
    tw_strlcpy(row.source, "zigbee2mqtt", sizeof(row.source));
    tw_strlcpy(row.device, "desk-1", sizeof(row.device));
    tw_strlcpy(row.name, "Ana", sizeof(row.name));
    CHECK_EQ_INT(tw_store_button_put(s, &row), 0);
    /* The file is deleted under the store; a copy of it takes its name. */
    CHECK_EQ_INT(tw_store_copy_to(s, tmp), 0);
    CHECK_EQ_INT(unlink(path), 0);
    CHECK_EQ_INT(rename(tmp, path), 0);
    CHECK_EQ_INT(tw_store_reattach(s), 0);
    /* The old connection is closed: nothing holds the deleted file open. */
    CHECK_EQ_INT(deleted_fds(), 0);
    tw_strlcpy(row.device, "desk-2", sizeof(row.device));
    CHECK_EQ_INT(tw_store_button_put(s, &row), 0);
    tw_item it = make_item("after-reattach", TW_KIND_BLOCKER, "written to the new file");
    CHECK_EQ_INT(tw_store_insert(s, &it), 0);
    tw_store_close(s);
    raw_text(path, "SELECT group_concat(device, ',') FROM (SELECT device FROM buttons ORDER BY 1)",
             buf, sizeof(buf));
    CHECK_EQ_STR(buf, "desk-1,desk-2");
    raw_text(path, "SELECT count(*) FROM items WHERE id = 'after-reattach'", buf, sizeof(buf));
    CHECK_EQ_STR(buf, "1");
    remove_db(path);
}

static void count_checkpoint(void *ctx)
{
    (*(int *)ctx)++;
}

/* A commit that leaves 1,000 pages or more in the log is checkpointed and
 * reported (firmware/dbwatch.c stamps its marker then), on the connection
 * the store opened and on the one a reattach opens. */
static void test_checkpoint_reported(void)
{
    char path[600], tmp[700];
    path_for(path, sizeof(path), "checkpoint.db");
    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    remove_db(path);
    tw_store *s = open_rw(path);
    int n = 0;
    tw_store_on_checkpoint(s, count_checkpoint, &n);
    sqlite3 *db = tw_store_handle(s);
    CHECK_EQ_INT(sqlite3_exec(db, "CREATE TABLE big (b BLOB)", NULL, NULL, NULL), SQLITE_OK);
    CHECK_EQ_INT(n, 0); /* a few pages: no checkpoint yet */
    CHECK_EQ_INT(sqlite3_exec(db, "INSERT INTO big VALUES (randomblob(4200000))", NULL, NULL, NULL),
                 SQLITE_OK);
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_INT(tw_store_copy_to(s, tmp), 0);
    CHECK_EQ_INT(unlink(path), 0);
    CHECK_EQ_INT(rename(tmp, path), 0);
    CHECK_EQ_INT(tw_store_reattach(s), 0);
    db = tw_store_handle(s);
    CHECK_EQ_INT(sqlite3_exec(db, "INSERT INTO big VALUES (randomblob(4200000))", NULL, NULL, NULL),
                 SQLITE_OK);
    CHECK_EQ_INT(n, 2);
    tw_store_close(s);
    remove_db(path);
}

/* Inside a transaction the store trusts its hash prefixes (a post whose
 * prefix nobody has skips the group lookup) and still gives the shared
 * rule's refs; an item another connection wrote is seen at the next
 * transaction, though the prefixes were read before it. */
static void test_prefix_filter(void)
{
    tw_prefixes *pf = tw_prefixes_create();
    CHECK(!tw_prefixes_maybe(pf, "abcd0000"));
    CHECK(tw_prefixes_add(pf, "abcd1234"));
    CHECK(tw_prefixes_maybe(pf, "abcdzzzz"));
    CHECK(!tw_prefixes_maybe(pf, "abce1234"));
    CHECK(tw_prefixes_maybe(pf, "ab"));   /* too short to tell: look */
    CHECK(!tw_prefixes_add(pf, "abci"));  /* no i in the alphabet */
    CHECK(tw_prefixes_maybe(pf, "zzzz")); /* and then nothing is told apart */
    tw_prefixes_destroy(pf);

    char triple[3][TW_ID_SIZE], pair[2][TW_ID_SIZE];
    find_collisions(triple, pair);
    char th[TW_REF_SIZE], ph[2][TW_REF_SIZE], want[TW_REF_SIZE];
    tw_store_hash_id(triple[0], th);
    tw_store_hash_id(pair[0], ph[0]);
    tw_store_hash_id(pair[1], ph[1]);
    CHECK(memcmp(th, ph[0], TW_REF_MIN) != 0);
    char path[600];
    path_for(path, sizeof(path), "prefixes.db");
    remove_db(path);
    tw_store *a = open_rw(path), *b = open_rw(path);

    CHECK_EQ_INT(tw_store_begin(a), 0);
    tw_item x = make_item(triple[0], TW_KIND_BLOCKER, "first");
    CHECK_EQ_INT(tw_store_insert(a, &x), 0); /* reads the prefixes: none */
    snprintf(want, sizeof(want), "%.4s", th);
    CHECK_EQ_STR(x.ref, want);
    tw_item y = make_item(triple[1], TW_KIND_BLOCKER, "second");
    y.created = x.created + 1;
    CHECK_EQ_INT(tw_store_insert(a, &y), 0); /* its prefix is known now */
    CHECK_EQ_INT((int)strlen(y.ref), 5);
    CHECK_EQ_INT(tw_store_commit(a), 0);

    tw_item p0 = make_item(pair[0], TW_KIND_QUESTION, "by the other connection");
    CHECK_EQ_INT(tw_store_insert(b, &p0), 0);
    snprintf(want, sizeof(want), "%.4s", ph[0]);
    CHECK_EQ_STR(p0.ref, want);

    CHECK_EQ_INT(tw_store_begin(a), 0);
    tw_item p1 = make_item(pair[1], TW_KIND_QUESTION, "after it");
    p1.created = p0.created + 1;
    CHECK_EQ_INT(tw_store_insert(a, &p1), 0);
    snprintf(want, sizeof(want), "%.5s", ph[1]);
    CHECK_EQ_STR(p1.ref, want); /* not p0's four characters again */
    CHECK_EQ_INT(tw_store_commit(a), 0);
    tw_item got;
    CHECK_EQ_INT(tw_store_find_ref(a, p0.ref, &got), 0);
    CHECK_EQ_STR(got.id, pair[0]);
    CHECK_EQ_INT(tw_store_find_ref(a, p1.ref, &got), 0);
    CHECK_EQ_STR(got.id, pair[1]);

    tw_store_close(b);
    tw_store_close(a);
    remove_db(path);
}

int main(void)
{
    const char *base = getenv("TW_TEST_TMP");
    if (!base || !*base)
        base = "/tmp";
    snprintf(dir, sizeof(dir), "%s/test_store.%ld", base, (long)getpid());
    if (mkdir(dir, 0700) != 0) {
        perror(dir);
        return 2;
    }
    test_hash();
    test_schema();
    test_migration_3();
    test_search();
    test_items();
    test_each();
    test_refs();
    test_prefix_filter();
    test_find_ref();
    test_corrupt();
    test_read_only();
    test_reattach();
    test_checkpoint_reported();
    if (rmdir(dir) != 0)
        perror(dir); /* a leftover file means a test did not clean up */
    return check_done();
}
