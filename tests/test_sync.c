/* SPDX-License-Identifier: MIT */
/*
 * firmware/sync.c's asking machine, by tables of inputs (no broker, no
 * store), and firmware/syncpage.c's pages: built from one store in bounded
 * pages, open items first, applied to another until the last, the two stores
 * then equal; a page applied twice changes nothing more; a cursor of
 * another peer is refused.
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
#include "dbfix.h"
#include "sync.h"
#include "syncpage.h"
#include "util.h"

#define NOW 1764061200

static char dir[512];

struct step {
    tw_sync_input in;
    int64_t at;
    /* expected after it */
    tw_sync_phase phase;
    const char *peer, *cursor;
    bool ask, finished, applied;
    int64_t deadline;
};

static void run_table(const char *name, const struct step *t, size_t n)
{
    tw_sync_machine m;
    memset(&m, 0, sizeof(m));
    for (size_t i = 0; i < n; i++) {
        tw_sync_effects fx;
        tw_sync_step(&m, &t[i].in, t[i].at, &fx);
        bool ok = m.phase == t[i].phase && strcmp(m.peer, t[i].peer) == 0 &&
                  strcmp(m.cursor, t[i].cursor) == 0 && fx.ask == t[i].ask &&
                  fx.finished == t[i].finished && fx.applied == t[i].applied &&
                  fx.deadline_ms == t[i].deadline;
        if (!ok)
            fprintf(stderr,
                    "%s step %zu: phase %d peer %s cursor %s ask %d finished %d applied %d "
                    "deadline %lld\n",
                    name, i, m.phase, m.peer, m.cursor, fx.ask, fx.finished, fx.applied,
                    (long long)fx.deadline_ms);
        CHECK(ok);
    }
}

#define IN_START(since_, peer_, cursor_)                                                           \
    {                                                                                              \
        .kind = TW_SYNC_IN_START, .since = (since_), .name = (peer_), .cursor = (cursor_)          \
    }
#define IN_PEER(name_, on)                                                                         \
    {                                                                                              \
        .kind = TW_SYNC_IN_PEER, .name = (name_), .online = (on)                                   \
    }
#define IN_PAGE(name_, cursor_, next_)                                                             \
    {                                                                                              \
        .kind = TW_SYNC_IN_PAGE, .name = (name_), .cursor = (cursor_), .next = (next_),            \
        .items = 10                                                                                \
    }
#define IN_TICK                                                                                    \
    {                                                                                              \
        .kind = TW_SYNC_IN_TICK                                                                    \
    }
#define IN_CONNECTED                                                                               \
    {                                                                                              \
        .kind = TW_SYNC_IN_CONNECTED                                                               \
    }

static void test_machine(void)
{
    const int64_t T = TW_SYNC_TIMEOUT_MS;
    /* An empty board: no peer yet, then one, pages to the end. */
    const struct step fresh[] = {
        {IN_START(0, "", ""), 1000, TW_SYNC_WANTED, "", "", false, false, false, 0},
        {IN_PEER("wall1", true), 1100, TW_SYNC_ASKING, "wall1", "", true, false, false, 1100 + T},
        {IN_PAGE("wall1", "", "wall1:o:25"), 1200, TW_SYNC_ASKING, "wall1", "wall1:o:25", true,
         false, true, 1200 + T},
        /* The same page again (a redelivery): nothing moves. */
        {IN_PAGE("wall1", "", "wall1:o:25"), 1250, TW_SYNC_ASKING, "wall1", "wall1:o:25", false,
         false, false, 1200 + T},
        /* A stray page from someone else: nothing moves. */
        {IN_PAGE("wall9", "wall1:o:25", "wall9:o:3"), 1260, TW_SYNC_ASKING, "wall1", "wall1:o:25",
         false, false, false, 1200 + T},
        {IN_PAGE("wall1", "wall1:o:25", ""), 1300, TW_SYNC_DONE, "wall1", "wall1:o:25", false, true,
         true, 0},
        /* Done stays done. */
        {IN_TICK, 9000, TW_SYNC_DONE, "wall1", "wall1:o:25", false, false, false, 0},
    };
    run_table("fresh", fresh, TW_ARRAY_LEN(fresh));

    /* A peer that goes silent is replaced (and the cursor, its own, is
     * dropped); one that goes offline at once. A reconnect asks again. */
    const struct step failover[] = {
        {IN_PEER("wall1", true), 0, TW_SYNC_IDLE, "", "", false, false, false, 0},
        {IN_PEER("wall2", true), 0, TW_SYNC_IDLE, "", "", false, false, false, 0},
        {IN_START(500, "", ""), 10, TW_SYNC_ASKING, "wall1", "", true, false, false, 10 + T},
        {IN_PAGE("wall1", "", "wall1:a:7"), 20, TW_SYNC_ASKING, "wall1", "wall1:a:7", true, false,
         true, 20 + T},
        {IN_TICK, 21 + T / 2, TW_SYNC_ASKING, "wall1", "wall1:a:7", false, false, false, 20 + T},
        {IN_TICK, 20 + T, TW_SYNC_ASKING, "wall2", "", true, false, false, 20 + 2 * T},
        {IN_CONNECTED, 30 + T, TW_SYNC_ASKING, "wall2", "", true, false, false, 30 + 2 * T},
        {IN_PEER("wall2", false), 40 + T, TW_SYNC_ASKING, "wall1", "", true, false, false,
         40 + 2 * T},
        {IN_PEER("wall1", false), 50 + T, TW_SYNC_WANTED, "wall1", "", false, false, false, 0},
        /* Back: asked again, from its start (the cursor was dropped). */
        {IN_PEER("wall1", true), 60 + T, TW_SYNC_ASKING, "wall1", "", true, false, false,
         60 + 2 * T},
    };
    run_table("failover", failover, TW_ARRAY_LEN(failover));

    /* Resuming after a restart: wait briefly for the cursor's own peer. */
    const struct step resume[] = {
        {IN_START(0, "wall2", "wall2:a:40"), 0, TW_SYNC_WANTED, "wall2", "wall2:a:40", false, false,
         false, 0},
        {IN_PEER("wall1", true), 100, TW_SYNC_WANTED, "wall2", "wall2:a:40", false, false, false,
         400},
        {IN_PEER("wall2", true), 200, TW_SYNC_ASKING, "wall2", "wall2:a:40", true, false, false,
         200 + T},
    };
    run_table("resume", resume, TW_ARRAY_LEN(resume));
    const struct step resume_other[] = {
        {IN_START(0, "wall2", "wall2:a:40"), 0, TW_SYNC_WANTED, "wall2", "wall2:a:40", false, false,
         false, 0},
        {IN_PEER("wall1", true), 100, TW_SYNC_WANTED, "wall2", "wall2:a:40", false, false, false,
         400},
        {IN_TICK, 399, TW_SYNC_WANTED, "wall2", "wall2:a:40", false, false, false, 400},
        {IN_TICK, 400, TW_SYNC_ASKING, "wall1", "", true, false, false, 400 + T},
    };
    run_table("resume_other", resume_other, TW_ARRAY_LEN(resume_other));
}

static tw_command post(const char *id, tw_kind kind, const char *text, int64_t ts)
{
    tw_command c;
    memset(&c, 0, sizeof(c));
    c.type = TW_CMD_POST;
    c.kind = kind;
    tw_strlcpy(c.id, id, sizeof(c.id));
    tw_strlcpy(c.text, text, sizeof(c.text));
    tw_strlcpy(c.author, "Ana", sizeof(c.author));
    c.ts = ts;
    return c;
}

static char *dump(const char *path)
{
    char *out = tw_xcalloc(1, 1 << 20);
    sqlite3 *db;
    sqlite3_stmt *st;
    sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
    const char *sql = "SELECT id || ref || kind || text || state || created || claimed_by || "
                      "resolved_by || note || updated FROM items ORDER BY id";
    size_t len = 0;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
        while (sqlite3_step(st) == SQLITE_ROW && len < (1 << 20) - 2000)
            len += (size_t)snprintf(out + len, (1 << 20) - len, "%s\n", sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return out;
}

static void test_pages(void)
{
    char pa[600], pb[600];
    snprintf(pa, sizeof(pa), "%s/a.db", dir);
    snprintf(pb, sizeof(pb), "%s/b.db", dir);
    remove_db(pa);
    remove_db(pb);
    tw_store *a, *b;
    tw_board *ba;
    CHECK_EQ_INT(tw_store_open(pa, NULL, &a), 0);
    CHECK_EQ_INT(tw_store_open(pb, NULL, &b), 0);
    CHECK_EQ_INT(tw_board_create(a, &ba), 0);
    char id[32], text[64];
    for (int i = 0; i < 57; i++) {
        snprintf(id, sizeof(id), "it-%02d", i);
        snprintf(text, sizeof(text), "item %d", i);
        tw_command c = post(id, (tw_kind)(i % 3), text, NOW + i);
        CHECK_EQ_INT(tw_board_apply(ba, &c, NOW + 100, NULL), 0);
        if (i % 2) {
            tw_command r;
            memset(&r, 0, sizeof(r));
            r.type = TW_CMD_RESOLVE;
            tw_strlcpy(r.ref, id, sizeof(r.ref));
            tw_strlcpy(r.author, "Ben", sizeof(r.author));
            snprintf(r.note, sizeof(r.note), "because %d", i);
            r.ts = NOW + 200 + i;
            CHECK_EQ_INT(tw_board_apply(ba, &r, NOW + 300, NULL), 0);
        }
    }
    /* Two stand-ups: one ended (it travels, with what it walked), one
     * running (each board follows that one live). */
    CHECK_EQ_INT(raw_exec(pa, "INSERT INTO standups (id, started, ended, by, position, count, "
                              "item_started, summary) VALUES ('su-1', 1764060000, 1764060900, "
                              "'Ana', 3, 3, 1764060800, '{\"discussed\":3}'), ('su-2', "
                              "1764061100, 0, 'Ben', 1, 5, 1764061100, NULL);"
                              "INSERT INTO standup_items VALUES ('su-1', 1, 'it-00', 'blocker', 0, "
                              "1), ('su-1', 2, 'it-03', 'blocker', 2, 5);"),
                 SQLITE_OK);
    CHECK_EQ_INT(tw_syncpage_count(a), 57);
    CHECK_EQ_INT(tw_syncpage_newest(a), NOW + 200 + 55);
    /* Pages of 10 until next is null; the first pages hold only open items. */
    char cursor[TW_SYNC_CURSOR_SIZE] = "";
    int pages = 0;
    size_t total = 0, first_open = 0;
    for (;;) {
        char *json;
        CHECK_EQ_INT(tw_syncpage_build(a, "wall1", "wall2", cursor, 0, 10, &json), 0);
        if (!json)
            break;
        tw_syncpage_result r;
        char reason[160];
        CHECK_EQ_INT(
            tw_syncpage_apply(b, json, strlen(json), NOW + 400, &r, reason, sizeof(reason)), 0);
        if (pages == 0) {
            first_open = r.items;
            CHECK(strstr(json, "\"state\":\"resolved\"") == NULL);
        }
        /* The same page again: nothing new. */
        tw_syncpage_result again;
        CHECK_EQ_INT(
            tw_syncpage_apply(b, json, strlen(json), NOW + 400, &again, reason, sizeof(reason)), 0);
        CHECK_EQ_INT(again.added + again.changed + again.ops, 0);
        free(json);
        CHECK(r.items <= 10);
        CHECK_EQ_STR(r.from, "wall1");
        total += r.items;
        pages++;
        if (!r.next[0] || pages > 20)
            break;
        tw_strlcpy(cursor, r.next, sizeof(cursor));
    }
    CHECK_EQ_INT(first_open, 10);
    char buf[256];
    raw_text(pb,
             "SELECT group_concat(id || ':' || ended || ':' || summary || ':' || (SELECT "
             "group_concat(item_id || '/' || flags) FROM standup_items WHERE standup_id = id)) "
             "FROM standups",
             buf, sizeof(buf));
    CHECK_EQ_STR(buf, "su-1:1764060900:{\"discussed\":3}:it-00/1,it-03/5");
    CHECK_EQ_INT(total, 57);
    CHECK(pages >= 6 && pages <= 8);
    char *da = dump(pa), *db = dump(pb);
    CHECK(strlen(da) > 500);
    CHECK_EQ_STR(da, db);
    free(da);
    free(db);
    /* Only what changed since a time: the resolved items resolved since. */
    char *json;
    CHECK_EQ_INT(tw_syncpage_build(a, "wall1", "wall3", "wall1:a:0", NOW + 250, 100, &json), 0);
    CHECK(json && strstr(json, "\"next\":null"));
    CHECK(json && strstr(json, "it-55") && !strstr(json, "it-03"));
    free(json);
    /* Another peer's cursor and nonsense are refused. */
    CHECK_EQ_INT(tw_syncpage_build(a, "wall1", "wall2", "wall9:o:3", 0, 10, &json), TW_ERR_INVAL);
    CHECK_EQ_INT(tw_syncpage_build(a, "wall1", "wall2", "wall1:x:3", 0, 10, &json), TW_ERR_INVAL);
    tw_syncpage_result r;
    char reason[160];
    CHECK_EQ_INT(tw_syncpage_apply(b, "{\"items\":3}", 11, NOW, &r, reason, sizeof(reason)),
                 TW_ERR_PARSE);
    /* The kept progress. */
    char v[64];
    CHECK_EQ_INT(tw_syncpage_state_get(b, v, sizeof(v)), TW_ERR_NOTFOUND);
    CHECK_EQ_INT(tw_syncpage_state_set(b, "{\"cursor\":\"x\"}"), 0);
    CHECK_EQ_INT(tw_syncpage_state_get(b, v, sizeof(v)), 0);
    CHECK_EQ_STR(v, "{\"cursor\":\"x\"}");
    CHECK_EQ_INT(tw_syncpage_state_set(b, NULL), 0);
    CHECK_EQ_INT(tw_syncpage_state_get(b, v, sizeof(v)), TW_ERR_NOTFOUND);
    tw_board_destroy(ba);
    tw_store_close(a);
    tw_store_close(b);
    remove_db(pa);
    remove_db(pb);
}

int main(void)
{
    const char *base = getenv("TW_TEST_TMP");
    if (!base || !*base)
        base = "/tmp";
    snprintf(dir, sizeof(dir), "%s/test_sync.%ld", base, (long)getpid());
    if (mkdir(dir, 0700) != 0) {
        perror(dir);
        return 1;
    }
    test_machine();
    test_pages();
    if (rmdir(dir) != 0)
        perror(dir);
    return check_done();
}
