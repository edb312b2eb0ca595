/* SPDX-License-Identifier: MIT */
/*
 * firmware/converge.c through the one door: boards over their own stores,
 * fed the same commands in different orders (changes before their posts,
 * resolves and reopens crossing, redeliveries), end with the same items,
 * refs, states, notes and change logs; a version 4 store migrates its
 * history into the change log.
 */
#define _POSIX_C_SOURCE 200809L
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "board.h"
#include "check.h"
#include "converge.h"
#include "dbfix.h"
#include "order.h"
#include "store.h"
#include "util.h"

#define NOW 1764061200

static char dir[512];

typedef struct board_fx {
    char path[600];
    tw_store *store;
    tw_board *board;
} board_fx;

static void open_board(board_fx *f, const char *name, bool fresh)
{
    snprintf(f->path, sizeof(f->path), "%s/%s", dir, name);
    if (fresh)
        remove_db(f->path);
    CHECK_EQ_INT(tw_store_open(f->path, NULL, &f->store), 0);
    CHECK_EQ_INT(tw_board_create(f->store, &f->board), 0);
}

/* Open items on the board, of every kind. */
static size_t open_count(const board_fx *f)
{
    size_t n = 0;
    for (int k = 0; k < TW_KIND_COUNT; k++)
        n += tw_board_count(f->board, (tw_kind)k);
    return n;
}

static void close_board(board_fx *f, bool remove)
{
    tw_board_destroy(f->board);
    tw_store_close(f->store);
    if (remove) {
        /* A bounded copy: -O2 cannot bound a path inside an array of these. */
        char p[sizeof(f->path)];
        memcpy(p, f->path, sizeof(p));
        p[sizeof(p) - 1] = '\0';
        remove_db(p);
    }
}

/* Everything boards must agree on, as text: items (all columns but seq)
 * and the change log, each sorted. Caller frees. */
static char *dump(const char *path)
{
    static const char *const sql[] = {
        "SELECT id, ref, kind, text, author, source, state, created, claimed, claimed_by, "
        "resolved, resolved_by, note, updated FROM items ORDER BY id",
        "SELECT id, item_id, action, ts, actor, note FROM ops ORDER BY id",
    };
    size_t cap = 4096, len = 0;
    char *out = tw_xmalloc(cap);
    out[0] = '\0';
    sqlite3 *db;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        return out;
    for (size_t q = 0; q < 2; q++) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(db, sql[q], -1, &st, NULL) != SQLITE_OK)
            continue;
        while (sqlite3_step(st) == SQLITE_ROW) {
            for (int c = 0; c < sqlite3_column_count(st); c++) {
                const char *t = (const char *)sqlite3_column_text(st, c);
                size_t l = strlen(t ? t : "") + 2;
                if (len + l + 1 > cap) {
                    cap = (cap + l) * 2;
                    out = tw_xrealloc(out, cap);
                }
                len += (size_t)snprintf(out + len, cap - len, "%s%c", t ? t : "",
                                        c + 1 < sqlite3_column_count(st) ? '|' : '\n');
            }
        }
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return out;
}

static tw_command post(tw_kind kind, const char *id, const char *text, const char *author,
                       int64_t ts)
{
    tw_command c;
    memset(&c, 0, sizeof(c));
    c.type = TW_CMD_POST;
    c.kind = kind;
    tw_strlcpy(c.id, id, sizeof(c.id));
    tw_strlcpy(c.text, text, sizeof(c.text));
    tw_strlcpy(c.author, author, sizeof(c.author));
    tw_strlcpy(c.source, "mqtt", sizeof(c.source)); /* as the board defaults it */
    c.ts = ts;
    return c;
}

static tw_command change(tw_cmd_type type, const char *ref, const char *by, int64_t ts,
                         const char *note)
{
    tw_command c;
    memset(&c, 0, sizeof(c));
    c.type = type;
    tw_strlcpy(c.ref, ref, sizeof(c.ref));
    tw_strlcpy(c.author, by, sizeof(c.author));
    tw_strlcpy(c.note, note ? note : "", sizeof(c.note));
    c.ts = ts;
    return c;
}

/* The issue's case: a post without an id, resolved by its ref on one board
 * and reopened on another, the commands arriving in different orders. */
static void test_issue_case(void)
{
    board_fx a, b;
    open_board(&a, "ia.db", true);
    open_board(&b, "ib.db", true);
    tw_command p = post(TW_KIND_BLOCKER, "", "Waiting on prod DB access", "Ana", NOW);
    tw_board_result ra, rb;
    CHECK_EQ_INT(tw_board_apply(a.board, &p, NOW + 1, &ra), 0);
    CHECK_EQ_INT(tw_board_apply(b.board, &p, NOW + 3, &rb), 0);
    CHECK_EQ_STR(ra.item.id, rb.item.id);
    CHECK_EQ_STR(ra.item.ref, rb.item.ref);
    tw_command res = change(TW_CMD_RESOLVE, ra.item.ref, "Ben", NOW + 60, "ask IT");
    tw_command reo = change(TW_CMD_REOPEN, ra.item.ref, "Ana", NOW + 90, NULL);
    CHECK_EQ_INT(tw_board_apply(a.board, &res, NOW + 100, &ra), 0);
    CHECK_EQ_INT(tw_board_apply(a.board, &reo, NOW + 100, &ra), 0);
    CHECK_EQ_INT(ra.item.state, TW_STATE_OPEN);
    /* b: the reopen first (a no-op then), the resolve after: the reopen is
     * later, so the item ends open there too. */
    CHECK_EQ_INT(tw_board_apply(b.board, &reo, NOW + 100, &rb), 0);
    CHECK(!rb.changed);
    CHECK_EQ_INT(tw_board_apply(b.board, &res, NOW + 100, &rb), 0);
    CHECK_EQ_INT(open_count(&b), 1);
    const tw_item_view *v = tw_board_first(b.board, TW_KIND_BLOCKER);
    CHECK_EQ_INT(v ? (int)v->state : -1, TW_STATE_OPEN);
    char *da = dump(a.path), *db = dump(b.path);
    CHECK_EQ_STR(da, db);
    free(da);
    free(db);
    close_board(&a, true);
    close_board(&b, true);
}

/* A change that arrives before its post is kept and applied with it. */
static void test_before_post(void)
{
    board_fx a, b;
    open_board(&a, "pa.db", true);
    open_board(&b, "pb.db", true);
    tw_command p = post(TW_KIND_QUESTION, "slack-7", "Who has the VPN key?", "Ana", NOW);
    tw_command k = change(TW_CMD_CLAIM, "slack-7", "Ben", NOW + 10, NULL);
    tw_command r = change(TW_CMD_RESOLVE, "slack-7", "Ben", NOW + 20, "in the safe");
    tw_board_result res;
    CHECK_EQ_INT(tw_board_apply(a.board, &p, NOW, &res), 0);
    CHECK_EQ_INT(tw_board_apply(a.board, &k, NOW, &res), 0);
    CHECK_EQ_INT(tw_board_apply(a.board, &r, NOW, &res), 0);
    /* b sees the resolve, then the claim, before the post: refused as
     * unknown (as before), but kept. */
    CHECK_EQ_INT(tw_board_apply(b.board, &r, NOW, &res), TW_ERR_NOTFOUND);
    CHECK_EQ_STR(res.reason, "unknown ref slack-7");
    CHECK_EQ_INT(tw_board_apply(b.board, &k, NOW, &res), TW_ERR_NOTFOUND);
    /* ... and kept once, however often it comes. */
    CHECK_EQ_INT(tw_board_apply(b.board, &k, NOW, &res), TW_ERR_NOTFOUND);
    CHECK_EQ_INT(tw_board_apply(b.board, &p, NOW, &res), 0);
    CHECK(res.changed);
    CHECK_EQ_INT(res.item.state, TW_STATE_RESOLVED);
    CHECK_EQ_INT(open_count(&b), 0);
    char note[TW_NOTE_SIZE];
    CHECK_EQ_INT(tw_store_note(b.store, "slack-7", note, sizeof(note)), 0);
    CHECK_EQ_STR(note, "in the safe");
    char *da = dump(a.path), *db = dump(b.path);
    CHECK_EQ_STR(da, db);
    free(da);
    free(db);
    /* By short ref: kept until a post whose hash starts with it. */
    tw_command p2 = post(TW_KIND_BLOCKER, "jira-12", "Staging is down", "Cleo", NOW);
    char hash[TW_REF_SIZE], ref[8];
    tw_store_hash_id("jira-12", hash);
    snprintf(ref, sizeof(ref), "%.4s", hash);
    tw_command k2 = change(TW_CMD_CLAIM, ref, "Dan", NOW + 5, NULL);
    CHECK_EQ_INT(tw_board_apply(b.board, &k2, NOW, &res), TW_ERR_NOTFOUND);
    CHECK_EQ_INT(tw_board_apply(b.board, &p2, NOW, &res), 0);
    CHECK_EQ_INT(res.item.state, TW_STATE_CLAIMED);
    CHECK_EQ_STR(res.item.claimed_by, "Dan");
    CHECK_EQ_INT(open_count(&b), 1);
    const tw_item_view *v = tw_board_first(b.board, TW_KIND_BLOCKER);
    CHECK_EQ_STR(v ? v->claimed_by : "", "Dan");
    /* Board a gets them in order: the same item, the same change, logged
     * under the same command id (derived from the message, not from the
     * item it found). */
    CHECK_EQ_INT(tw_board_apply(a.board, &p2, NOW, &res), 0);
    CHECK_EQ_INT(tw_board_apply(a.board, &k2, NOW, &res), 0);
    CHECK(res.changed);
    da = dump(a.path);
    db = dump(b.path);
    CHECK_EQ_STR(da, db);
    free(da);
    free(db);
    close_board(&a, true);
    close_board(&b, true);
}

/* A state change delivered again (the same command id, or the same
 * message without one) is one row and one effect. */
static void test_redelivery(void)
{
    board_fx a;
    open_board(&a, "ra.db", true);
    tw_command p = post(TW_KIND_BLOCKER, "x-1", "CI is red", "Ana", NOW);
    tw_board_result res;
    CHECK_EQ_INT(tw_board_apply(a.board, &p, NOW, &res), 0);
    tw_command r = change(TW_CMD_RESOLVE, "x-1", "Ben", NOW + 10, NULL);
    tw_command o = change(TW_CMD_REOPEN, "x-1", "Ana", NOW + 20, NULL);
    CHECK_EQ_INT(tw_board_apply(a.board, &r, NOW + 30, &res), 0);
    CHECK_EQ_INT(tw_board_apply(a.board, &o, NOW + 30, &res), 0);
    /* The resolve again: logged already, so it does not resolve again. */
    CHECK_EQ_INT(tw_board_apply(a.board, &r, NOW + 40, &res), 0);
    CHECK(!res.changed);
    CHECK_EQ_INT(res.item.state, TW_STATE_OPEN);
    char buf[64];
    raw_text(a.path, "SELECT count(*) FROM ops", buf, sizeof(buf));
    CHECK_EQ_STR(buf, "2");
    /* With a producer's command id, that id is the key. */
    tw_command r2 = r;
    tw_strlcpy(r2.id, "chat-991", sizeof(r2.id));
    r2.ts = NOW + 50;
    CHECK_EQ_INT(tw_board_apply(a.board, &r2, NOW + 60, &res), 0);
    CHECK(res.changed);
    r2.ts = NOW + 70; /* a retry with a new time is still the same command */
    tw_command o2 = change(TW_CMD_REOPEN, "x-1", "Ana", NOW + 60, NULL);
    CHECK_EQ_INT(tw_board_apply(a.board, &o2, NOW + 60, &res), 0);
    CHECK(res.changed);
    CHECK_EQ_INT(tw_board_apply(a.board, &r2, NOW + 80, &res), 0);
    CHECK(!res.changed);
    CHECK_EQ_INT(res.item.state, TW_STATE_OPEN);
    raw_text(a.path, "SELECT count(*) FROM ops", buf, sizeof(buf));
    CHECK_EQ_STR(buf, "4");
    /* An invalid command id is refused. */
    tw_strlcpy(r2.id, "no spaces", sizeof(r2.id));
    CHECK_EQ_INT(tw_board_apply(a.board, &r2, NOW + 80, &res), TW_ERR_INVAL);
    close_board(&a, true);
}

/* Three boards, the same 300 commands in three shuffled orders with
 * redeliveries: identical stores. */
static void test_shuffled(void)
{
    enum { POSTS = 60, CHANGES = 240 };
    size_t total = POSTS + CHANGES;
    tw_command *cmds = tw_xcalloc(total, sizeof(*cmds));
    char(*ids)[TW_ID_SIZE] = tw_xcalloc(POSTS, sizeof(*ids));
    srand(14);
    for (int i = 0; i < POSTS; i++) {
        char text[64], id[32] = "";
        snprintf(text, sizeof(text), "item %d", i);
        if (i % 3)
            snprintf(id, sizeof(id), "p-%d", i);
        cmds[i] = post((tw_kind)(i % 3), id, text, i % 2 ? "Ana" : "Ben", NOW + i);
        if (id[0]) {
            tw_strlcpy(ids[i], id, TW_ID_SIZE);
        } else {
            /* What a producer that knows the rule computes; the board
             * derives it the same way. */
            tw_order_post_id(&cmds[i], ids[i]);
        }
    }
    static const char *const who[] = {"Ana", "Ben", "Cleo"};
    for (int j = 0; j < CHANGES; j++) {
        int i = rand() % POSTS;
        tw_cmd_type t = (tw_cmd_type)(TW_CMD_CLAIM + rand() % 3);
        /* Few distinct times, so ties are common. */
        cmds[POSTS + j] = change(t, ids[i], who[rand() % 3], NOW + 100 + rand() % 20,
                                 t == TW_CMD_RESOLVE ? (rand() % 2 ? "fixed" : "") : NULL);
    }
    board_fx b[3];
    char *dumps[3];
    for (int k = 0; k < 3; k++) {
        char name[16];
        snprintf(name, sizeof(name), "s%d.db", k);
        open_board(&b[k], name, true);
        size_t *order = tw_xcalloc(total, sizeof(*order));
        for (size_t i = 0; i < total; i++)
            order[i] = i;
        if (k) {
            for (size_t i = total - 1; i > 0; i--) {
                size_t r = (size_t)rand() % (i + 1), t = order[i];
                order[i] = order[r];
                order[r] = t;
            }
        }
        tw_store_begin(b[k].store);
        for (size_t i = 0; i < total; i++) {
            tw_board_apply(b[k].board, &cmds[order[i]], NOW + 200, NULL);
            if (rand() % 10 == 0) /* redelivered */
                tw_board_apply(b[k].board, &cmds[order[rand() % (i + 1)]], NOW + 200, NULL);
        }
        tw_store_commit(b[k].store);
        free(order);
        /* Board 2 is restarted half-way through nothing, but reopened: the
         * model from the store is the one it kept. */
        size_t n_live = open_count(&b[k]);
        close_board(&b[k], false);
        open_board(&b[k], name, false);
        CHECK_EQ_INT(open_count(&b[k]), n_live);
        dumps[k] = dump(b[k].path);
    }
    CHECK(strlen(dumps[0]) > 1000);
    CHECK_EQ_STR(dumps[0], dumps[1]);
    CHECK_EQ_STR(dumps[0], dumps[2]);
    char buf[32];
    raw_text(b[0].path, "SELECT count(*) FROM ops WHERE item_id = ''", buf, sizeof(buf));
    CHECK_EQ_STR(buf, "0");
    for (int k = 0; k < 3; k++) {
        free(dumps[k]);
        close_board(&b[k], true);
    }
    free(cmds);
    free(ids);
}

/* A store from before the change log (version 6): its
 * history becomes the log, so a change that arrives late folds over what
 * was done before. */
static void test_migration_to_7(void)
{
    board_fx a;
    open_board(&a, "m4.db", true);
    tw_command p = post(TW_KIND_BLOCKER, "old-1", "Printer jams", "Ana", NOW);
    tw_board_result res;
    CHECK_EQ_INT(tw_board_apply(a.board, &p, NOW, &res), 0);
    tw_command k = change(TW_CMD_CLAIM, "old-1", "Ben", 0, NULL);
    CHECK_EQ_INT(tw_board_apply(a.board, &k, NOW + 10, &res), 0);
    tw_command r = change(TW_CMD_RESOLVE, "old-1", "Ben", 0, "new toner");
    CHECK_EQ_INT(tw_board_apply(a.board, &r, NOW + 20, &res), 0);
    close_board(&a, false);
    /* Back to the version before: no ops table. */
    CHECK_EQ_INT(
        raw_exec(a.path, "DROP TABLE ops; DROP TABLE sync_state; PRAGMA user_version = 7;"),
        SQLITE_OK);
    open_board(&a, "m4.db", false);
    CHECK_EQ_INT(tw_store_schema_version(a.store), 9);
    char buf[256];
    raw_text(a.path,
             "SELECT group_concat(action || '@' || (ts - "
             "1764061200"
             ") || ':' || actor || ':' "
             "|| note, ',') FROM (SELECT * FROM ops ORDER BY ts)",
             buf, sizeof(buf));
    CHECK_EQ_STR(buf, "claim@10:Ben:,resolve@20:Ben:new toner");
    raw_text(a.path, "SELECT count(*) FROM ops WHERE id LIKE 'h-%'", buf, sizeof(buf));
    CHECK_EQ_STR(buf, "2");
    /* A reopen dated between the claim and the resolve comes late: the
     * resolve is still the latest, the item stays resolved. */
    tw_command o = change(TW_CMD_REOPEN, "old-1", "Ana", NOW + 15, NULL);
    CHECK_EQ_INT(tw_board_apply(a.board, &o, NOW + 30, &res), 0);
    CHECK(!res.changed);
    tw_item got;
    CHECK_EQ_INT(tw_store_get(a.store, "old-1", &got), 0);
    CHECK_EQ_INT(got.state, TW_STATE_RESOLVED);
    CHECK_EQ_INT(got.resolved, NOW + 20);
    /* One dated after it reopens. */
    o = change(TW_CMD_REOPEN, "old-1", "Ana", NOW + 25, NULL);
    CHECK_EQ_INT(tw_board_apply(a.board, &o, NOW + 30, &res), 0);
    CHECK(res.changed);
    CHECK_EQ_INT(res.item.state, TW_STATE_OPEN);
    close_board(&a, true);
}

int main(void)
{
    const char *base = getenv("TW_TEST_TMP");
    if (!base || !*base)
        base = "/tmp";
    snprintf(dir, sizeof(dir), "%s/test_converge.%ld", base, (long)getpid());
    if (mkdir(dir, 0700) != 0) {
        perror(dir);
        return 1;
    }
    test_issue_case();
    test_before_post();
    test_redelivery();
    test_shuffled();
    test_migration_to_7();
    if (rmdir(dir) != 0)
        perror(dir);
    return check_done();
}
