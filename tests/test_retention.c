/* SPDX-License-Identifier: MIT */
/*
 * Redaction and [board] keep (firmware/retention.c) on real SQLite files,
 * through the board's one door: schema step 9 migrated from version 8 (the
 * history stays append-only except for clearing words, and for the rows of a
 * deleted item); a redacted item's text, author and note are gone from the
 * items, the history, the search index, an export and the bytes of the file,
 * while the history says who redacted it and when; keep drops only resolved
 * items older than the cut, with their history.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "board.h"
#include "check.h"
#include "dbfix.h"
#include "export.h"
#include "retention.h"
#include "store.h"
#include "util.h"

static char dir[512];

static void path_for(char *out, size_t size, const char *name)
{
    snprintf(out, size, "%s/%s", dir, name);
}

static tw_store *open_store(const char *path)
{
    tw_store *s = NULL;
    CHECK_EQ_INT(tw_store_open(path, NULL, &s), 0);
    if (!s)
        exit(1);
    return s;
}

static tw_command command(tw_cmd_type type, const char *ref, const char *by)
{
    tw_command c;
    memset(&c, 0, sizeof(c));
    c.type = type;
    tw_strlcpy(c.ref, ref, sizeof(c.ref));
    tw_strlcpy(c.author, by, sizeof(c.author));
    tw_strlcpy(c.source, "cli", sizeof(c.source));
    return c;
}

static void post(tw_board *b, const char *id, const char *text, int64_t at)
{
    tw_command c;
    memset(&c, 0, sizeof(c));
    c.type = TW_CMD_POST;
    c.kind = TW_KIND_QUESTION;
    tw_strlcpy(c.id, id, sizeof(c.id));
    tw_strlcpy(c.text, text, sizeof(c.text));
    tw_strlcpy(c.author, "Mallory Secretname", sizeof(c.author));
    CHECK_EQ_INT(tw_board_apply(b, &c, at, NULL), 0);
}

static void resolve(tw_board *b, const char *id, const char *note, int64_t at)
{
    tw_command c = command(TW_CMD_RESOLVE, id, "Ben");
    tw_strlcpy(c.note, note, sizeof(c.note));
    CHECK_EQ_INT(tw_board_apply(b, &c, at, NULL), 0);
}

/* Does the file (and its -wal) contain needle anywhere, in any page? */
static bool file_has(const char *path, const char *needle)
{
    char name[700];
    for (int i = 0; i < 2; i++) {
        snprintf(name, sizeof(name), "%s%s", path, i ? "-wal" : "");
        FILE *f = fopen(name, "rb");
        if (!f)
            continue;
        fseek(f, 0, SEEK_END);
        long n = ftell(f);
        fseek(f, 0, SEEK_SET);
        char *buf = malloc((size_t)n + 1);
        size_t got = fread(buf, 1, (size_t)n, f);
        fclose(f);
        size_t k = strlen(needle);
        bool found = false;
        for (size_t j = 0; j + k <= got && !found; j++)
            found = memcmp(buf + j, needle, k) == 0;
        free(buf);
        if (found)
            return true;
    }
    return false;
}

/* A version 8 database (main before step 9) is migrated. */
static void test_migration_9(void)
{
    char path[600], buf[256];
    path_for(path, sizeof(path), "v4.db");
    remove_db(path);
    tw_store *s = open_store(path);
    tw_item it = {0};
    tw_strlcpy(it.id, "old-1", sizeof(it.id));
    tw_strlcpy(it.text, "from version 8", sizeof(it.text));
    tw_strlcpy(it.author, "Ana", sizeof(it.author));
    tw_strlcpy(it.source, "mqtt", sizeof(it.source));
    it.created = it.updated = 1000;
    CHECK_EQ_INT(tw_store_insert(s, &it), 0);
    CHECK_EQ_INT(tw_store_history_add(s, 1000, "old-1", "post", "Ana", "mqtt", NULL), 0);
    tw_store_close(s);
    /* Back to version 8's triggers, without the pruned table. */
    CHECK_EQ_INT(raw_exec(path, "DROP TRIGGER history_no_update; DROP TRIGGER history_no_delete;"
                                "CREATE TRIGGER history_no_update BEFORE UPDATE ON history"
                                "  BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;"
                                "CREATE TRIGGER history_no_delete BEFORE DELETE ON history"
                                "  BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;"
                                "DROP TABLE pruned; PRAGMA user_version = 8;"),
                 SQLITE_OK);
    CHECK_EQ_INT(raw_exec(path, "UPDATE history SET detail = NULL"), SQLITE_CONSTRAINT);
    s = open_store(path);
    CHECK_EQ_INT(tw_store_schema_version(s), 9);
    tw_item got;
    CHECK_EQ_INT(tw_store_get(s, "old-1", &got), 0);
    CHECK_EQ_STR(got.text, "from version 8");
    tw_store_close(s);
    raw_text(path, "SELECT count(*) FROM history", buf, sizeof(buf));
    CHECK_EQ_STR(buf, "1");
    /* Still append-only: no other change, no delete while the item exists. */
    CHECK_EQ_INT(raw_exec(path, "UPDATE history SET actor = 'Eve'"), SQLITE_CONSTRAINT);
    CHECK_EQ_INT(raw_exec(path, "UPDATE history SET at = 5"), SQLITE_CONSTRAINT);
    CHECK_EQ_INT(raw_exec(path, "DELETE FROM history"), SQLITE_CONSTRAINT);
    /* What a redaction does is allowed. */
    CHECK_EQ_INT(raw_exec(path, "UPDATE history SET detail = NULL, actor = ''"), SQLITE_OK);
    remove_db(path);
}

struct hist {
    char all[2048];
};

static int add_hist(void *ctx, const tw_history_entry *h, const tw_item *item)
{
    (void)item;
    struct hist *hs = ctx;
    size_t n = strlen(hs->all);
    snprintf(hs->all + n, sizeof(hs->all) - n, "%s|%s|%lld|%s;", h->action, h->actor,
             (long long)h->at, h->detail);
    return 0;
}

static int export_one(void *ctx, const tw_item *item)
{
    tw_export_item(ctx, item, "");
    return 0;
}

static void test_redact(void)
{
    char path[600], buf[256];
    path_for(path, sizeof(path), "redact.db");
    remove_db(path);
    tw_store *s = open_store(path);
    tw_board *b = NULL;
    CHECK_EQ_INT(tw_board_create(s, &b), 0);
    post(b, "q-1", "Where is the xyzzysecret server?", 1000);
    resolve(b, "q-1", "plughanswer behind the fridge", 1100);
    post(b, "q-2", "Who has the keys?", 1200);
    CHECK(file_has(path, "xyzzysecret")); /* the check below can see it */
    raw_text(path, "SELECT count(*) FROM learned WHERE learned MATCH 'plughanswer'", buf,
             sizeof(buf));
    CHECK_EQ_STR(buf, "1");

    tw_command c = command(TW_CMD_REDACT, "q-1", "Ana");
    tw_board_result res;
    CHECK_EQ_INT(tw_board_apply(b, &c, 2000, &res), 0);
    CHECK(res.changed);
    CHECK_EQ_STR(res.item.text, TW_REDACTED_TEXT);
    CHECK_EQ_STR(res.item.author, "");
    /* Applied once: a second redact (another board's echo) is a no-op. */
    CHECK_EQ_INT(tw_board_apply(b, &c, 2001, &res), 0);
    CHECK(!res.changed);

    tw_item got;
    CHECK_EQ_INT(tw_store_get(s, "q-1", &got), 0);
    CHECK_EQ_STR(got.text, TW_REDACTED_TEXT);
    CHECK_EQ_STR(got.author, "");
    CHECK(got.state == TW_STATE_RESOLVED);
    char note[TW_NOTE_SIZE] = "x";
    tw_store_note(s, "q-1", note, sizeof(note));
    CHECK_EQ_STR(note, "");
    struct hist hs = {""};
    CHECK_EQ_INT(tw_store_history_of(s, "q-1", add_hist, &hs), 0);
    CHECK_EQ_STR(hs.all, "post||1000|;resolve|Ben|1100|;redact|Ana|2000|;");
    /* The state changes every board folds (firmware/converge.c) lose the
     * answer too, so a later change cannot fold it back. */
    raw_text(path, "SELECT count(*) FROM ops WHERE item_id = 'q-1' AND note != ''", buf,
             sizeof(buf));
    CHECK_EQ_STR(buf, "0");
    tw_command ro = command(TW_CMD_REOPEN, "q-1", "Ben");
    CHECK_EQ_INT(tw_board_apply(b, &ro, 2100, &res), 0);
    tw_command rs = command(TW_CMD_RESOLVE, "q-1", "Ben");
    CHECK_EQ_INT(tw_board_apply(b, &rs, 2200, &res), 0);
    tw_store_note(s, "q-1", note, sizeof(note));
    CHECK_EQ_STR(note, "");
    CHECK_EQ_INT(tw_store_get(s, "q-1", &got), 0);
    CHECK_EQ_STR(got.text, TW_REDACTED_TEXT);
    /* The other item is untouched. */
    CHECK_EQ_INT(tw_store_get(s, "q-2", &got), 0);
    CHECK_EQ_STR(got.text, "Who has the keys?");
    CHECK_EQ_STR(got.author, "Mallory Secretname");

    /* The search index, an export. */
    raw_text(path, "SELECT count(*) FROM learned WHERE learned MATCH 'plughanswer'", buf,
             sizeof(buf));
    CHECK_EQ_STR(buf, "0");
    raw_text(path, "SELECT count(*) FROM learned WHERE learned MATCH 'xyzzysecret'", buf,
             sizeof(buf));
    CHECK_EQ_STR(buf, "0");
    char out[700];
    path_for(out, sizeof(out), "export.csv");
    FILE *f = fopen(out, "w");
    tw_export *e = tw_export_begin(f, TW_EXPORT_CSV, "t", 3000);
    CHECK_EQ_INT(tw_store_each(s, true, export_one, e), 0);
    CHECK_EQ_INT(tw_export_end(e), 0);
    fclose(f);
    CHECK(!file_has(out, "xyzzysecret"));
    CHECK(file_has(out, "Who has the keys?"));

    /* Not in any page of the file once the WAL is checkpointed. */
    CHECK(tw_retention_checkpoint_due());
    CHECK_EQ_INT(tw_retention_checkpoint(s), 0);
    CHECK(!file_has(path, "xyzzysecret"));
    CHECK(!file_has(path, "plughanswer"));
    CHECK(file_has(path, "Mallory Secretname")); /* q-2 is still Mallory's */
    tw_board_destroy(b);
    tw_store_close(s);
    raw_text(path, "PRAGMA integrity_check", buf, sizeof(buf));
    CHECK_EQ_STR(buf, "ok");
    remove_db(path);
}

static void test_keep(void)
{
    char path[600], buf[256];
    path_for(path, sizeof(path), "keep.db");
    remove_db(path);
    tw_store *s = open_store(path);
    tw_board *b = NULL;
    CHECK_EQ_INT(tw_board_create(s, &b), 0);
    post(b, "old-resolved", "resolved long ago", 1000);
    resolve(b, "old-resolved", "answer one", 1100);
    post(b, "old-open", "open for ages", 1000);
    post(b, "new-resolved", "resolved lately", 9000);
    resolve(b, "new-resolved", "answer two", 9100);
    int64_t deleted = -1;
    CHECK_EQ_INT(tw_retention_prune(s, 5000, &deleted), 0);
    CHECK_EQ_INT((int)deleted, 1);
    tw_item got;
    CHECK_EQ_INT(tw_store_get(s, "old-resolved", &got), TW_ERR_NOTFOUND);
    CHECK_EQ_INT(tw_store_get(s, "old-open", &got), 0);
    CHECK_EQ_INT(tw_store_get(s, "new-resolved", &got), 0);
    tw_board_destroy(b);
    tw_store_close(s);
    raw_text(path, "SELECT count(*) FROM history WHERE item_id = 'old-resolved'", buf, sizeof(buf));
    CHECK_EQ_STR(buf, "0");
    raw_text(path, "SELECT count(*) FROM ops WHERE item_id = 'old-resolved'", buf, sizeof(buf));
    CHECK_EQ_STR(buf, "0");
    raw_text(path, "SELECT count(*) FROM history", buf, sizeof(buf));
    CHECK_EQ_STR(buf, "3");
    raw_text(path, "SELECT count(*) FROM learned WHERE learned MATCH 'one'", buf, sizeof(buf));
    CHECK_EQ_STR(buf, "0");
    raw_text(path, "SELECT count(*) FROM learned WHERE learned MATCH 'two'", buf, sizeof(buf));
    CHECK_EQ_STR(buf, "1");
    /* Nothing more to drop: a second pass deletes nothing. */
    s = open_store(path);
    CHECK_EQ_INT(tw_retention_prune(s, 5000, &deleted), 0);
    CHECK_EQ_INT((int)deleted, 0);
    tw_store_close(s);
    remove_db(path);
}

int main(void)
{
    const char *base = getenv("TW_TEST_TMP");
    if (!base)
        base = "/tmp";
    snprintf(dir, sizeof(dir), "%s/test_retention.%ld", base, (long)getpid());
    mkdir(base, 0755);
    mkdir(dir, 0755);
    test_migration_9();
    test_redact();
    test_keep();
    rmdir(dir);
    return check_done();
}
