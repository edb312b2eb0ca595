/* SPDX-License-Identifier: MIT */
/*
 * The stand-up on a real board and a real SQLite file (firmware/meeting.c
 * over firmware/standups.c): the walk built from the board, claim and
 * resolve of the shown item through tw_board_apply(), the started / moved /
 * ended events, the rows in the store, carried-over counts across
 * stand-ups, a start that was already held, a restart in the middle that
 * resumes where it was (and in the summary's minute), a rollback that
 * reloads, and the schema migration from the version before (4).
 */
#define _POSIX_C_SOURCE 200809L
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "codec.h"
#include "meeting.h"
#include "standups.h"
#include "util.h"
#include "wallfix.h"

static char events[32][4096];
static int n_events;

static void on_event(void *ctx, char *json)
{
    (void)ctx;
    if (n_events < 32)
        tw_strlcpy(events[n_events++], json, sizeof(events[0]));
    free(json);
}

static tw_meeting *open_meeting(wallfix *f, int64_t now)
{
    tw_meeting_options o = {
        .store = f->store, .board = f->board, .schedule = "Mon-Fri 09:30", .on_event = on_event};
    tw_meeting *m = NULL;
    CHECK_EQ_INT(tw_meeting_create(&o, now, &m), 0);
    return m;
}

static int cmd(tw_meeting *m, tw_standup_action a, int at, const char *by, int64_t now)
{
    tw_standup_cmd c;
    memset(&c, 0, sizeof(c));
    c.action = a;
    c.at = at;
    tw_strlcpy(c.by, by, sizeof(c.by));
    tw_strlcpy(c.source, "test", sizeof(c.source));
    char reason[160];
    return tw_meeting_command(m, &c, now, reason, sizeof(reason));
}

static int count_rows(void *ctx, const tw_standup_row *r)
{
    (void)r;
    (*(int *)ctx)++;
    return 0;
}

static const tw_item_view *find(wallfix *f, const char *id)
{
    return tw_board_find_id(f->board, id);
}

static void test_meeting(const char *path)
{
    wallfix f;
    int64_t now = 1764667800; /* Tue 2 Dec 2025 09:30 UTC */
    CHECK_EQ_INT(wallfix_open(&f, path, now), 0);
    wallfix_post(&f, TW_KIND_BLOCKER, "b1", "Staging DB read-only", "Ana", "slack", 5 * D_);
    wallfix_post(&f, TW_KIND_BLOCKER, "b2", "CI out of disk", "Chen", "cli", 2 * D_);
    wallfix_post(&f, TW_KIND_QUESTION, "q1", "Who approves vendor forms?", "Dee", "mqtt", D_);
    wallfix_post(&f, TW_KIND_WIN, "w1", "Release 4.2 shipped", "Eve", "button", 3 * H_);
    wallfix_post(&f, TW_KIND_WIN, "w0", "Old win", "Eve", "button", 20 * D_);

    /* Two earlier stand-ups, stopped at once: b1, b2 and q1 were open at both. */
    tw_meeting *m = open_meeting(&f, now - 2 * D_);
    CHECK_EQ_INT(cmd(m, TW_SU_START, 0, "Ana", now - 2 * D_), 0);
    CHECK_EQ_INT(cmd(m, TW_SU_STOP, 0, "Ana", now - 2 * D_ + 60), 0);
    tw_meeting_tick(m, now - 2 * D_ + 200);
    CHECK(!tw_meeting_running(m));
    CHECK_EQ_INT(cmd(m, TW_SU_START, 0, "Ana", now - D_), 0);
    CHECK_EQ_INT(cmd(m, TW_SU_STOP, 0, "Ana", now - D_ + 60), 0);
    tw_meeting_tick(m, now - D_ + 200);

    /* The third: b1, b2, q1, then the wins since the last one (w1 only). */
    n_events = 0;
    CHECK_EQ_INT(cmd(m, TW_SU_START, 0, "Ana", now), 0);
    const tw_standup *su = tw_meeting_state(m);
    CHECK_EQ_INT(su->count, 4);
    CHECK_EQ_STR(su->walk[0].id, "b1");
    CHECK_EQ_STR(su->walk[3].id, "w1");
    CHECK_EQ_INT(su->walk[0].carried, 2);
    CHECK_EQ_INT(su->walk[2].carried, 2);
    CHECK_EQ_INT(su->walk[3].carried, 0); /* wins are not carried */
    CHECK_EQ_INT(n_events, 1);
    CHECK(strstr(events[0], "\"action\":\"started\"") != NULL);
    CHECK(strstr(events[0], "\"carried_over\":2") != NULL);

    /* The timers: the screen changes once a second, however often the loop
     * ticks; the stand-up object does not change. */
    uint64_t sv = tw_meeting_screen_version(m), ov = tw_meeting_version(m);
    tw_meeting_tick(m, now + 1);
    tw_meeting_tick(m, now + 1);
    CHECK_EQ_INT(tw_meeting_screen_version(m), sv + 1);
    tw_meeting_tick(m, now + 2);
    CHECK_EQ_INT(tw_meeting_screen_version(m), sv + 2);
    CHECK_EQ_INT(tw_meeting_version(m), ov);
    CHECK_EQ_INT(tw_meeting_deadline(m, now + 2), now + 3);

    /* Claim the shown item through the board; resolve the next, which moves on. */
    CHECK_EQ_INT(cmd(m, TW_SU_CLAIM, 1, "Ben", now + 10), 0);
    CHECK(find(&f, "b1") && find(&f, "b1")->state == TW_STATE_CLAIMED);
    CHECK_EQ_STR(find(&f, "b1")->claimed_by, "Ben");
    CHECK_EQ_INT(cmd(m, TW_SU_NEXT, 1, "Ben", now + 20), 0);
    CHECK_EQ_INT(cmd(m, TW_SU_NEXT, 1, "Ben", now + 21), 0); /* redelivered: no-op */
    CHECK_EQ_INT(su->position, 2);
    CHECK_EQ_INT(cmd(m, TW_SU_RESOLVE, 2, "Chen", now + 30), 0);
    CHECK(find(&f, "b2") == NULL); /* resolved: no longer open */
    CHECK_EQ_INT(su->position, 3);
    tw_item shown;
    CHECK(tw_meeting_item(m, &shown));
    CHECK_EQ_STR(shown.id, "q1");
    /* A stand-up command that does not apply is rejected with a reason. */
    char reason[160];
    tw_standup_cmd bad = {.action = TW_SU_BACK};
    CHECK_EQ_INT(tw_meeting_command(m, &bad, now + 31, reason, sizeof(reason)), 0);
    CHECK_EQ_INT(su->position, 2);
    CHECK_EQ_INT(cmd(m, TW_SU_NEXT, 2, "Ben", now + 32), 0);

    /* Restart: a new meeting over the same store resumes at 3 of 4. */
    uint64_t flags1 = su->walk[0].flags;
    tw_meeting_destroy(m);
    m = open_meeting(&f, now + 40);
    su = tw_meeting_state(m);
    CHECK(tw_meeting_running(m));
    CHECK_EQ_INT(su->position, 3);
    CHECK_EQ_INT(su->count, 4);
    CHECK_EQ_INT(su->phase, TW_SU_QUESTIONS);
    CHECK_EQ_INT(su->item_started, now + 32);
    CHECK_EQ_INT(su->walk[0].flags, flags1);
    CHECK(su->walk[1].flags & TW_SU_RESOLVED);
    char *a = tw_codec_standup_json(su);
    CHECK(strstr(a, "\"position\":3") && strstr(a, "\"item\":\"q1\"") &&
          strstr(a, "\"phase\":\"questions\""));
    free(a);

    /* The end: the summary, stored and published. */
    n_events = 0;
    CHECK_EQ_INT(cmd(m, TW_SU_NEXT, 3, "Ben", now + 50), 0);
    CHECK_EQ_INT(cmd(m, TW_SU_NEXT, 4, "Ben", now + 60), 0);
    CHECK_EQ_INT(su->phase, TW_SU_SUMMARY);
    CHECK_EQ_INT(n_events, 2);
    CHECK(strstr(events[1], "\"action\":\"ended\"") != NULL);
    CHECK(strstr(events[1], "\"resolved\":[\"b2\"]") != NULL);
    CHECK(strstr(events[1], "\"claimed\":[\"b1\"]") != NULL);
    CHECK(strstr(events[1], "\"carried_over\":[\"b1\",\"q1\"]") != NULL);
    CHECK(strstr(events[1], "\"duration_s\":60") != NULL);
    /* Restarted within the summary's minute: still the summary. */
    tw_meeting_destroy(m);
    m = open_meeting(&f, now + 90);
    CHECK_EQ_INT(tw_meeting_state(m)->phase, TW_SU_SUMMARY);
    tw_meeting_destroy(m);
    m = open_meeting(&f, now + 200);
    CHECK(!tw_meeting_running(m));
    int rows = 0;
    CHECK_EQ_INT(tw_standups_each(f.store, 0, count_rows, &rows), 0);
    CHECK_EQ_INT(rows, 3);

    /* The same start again (its id is held) starts nothing. */
    CHECK_EQ_INT(cmd(m, TW_SU_START, 0, "Ana", now), 0);
    CHECK(!tw_meeting_running(m));

    /* The schedule: due once in its minute, on weekdays. */
    int64_t ts;
    CHECK(tw_meeting_scheduled(m, now + 5 * D_ - 200 + 7, &ts) == false); /* Sun 09:26:47 */
    CHECK(tw_meeting_scheduled(m, now + D_ + 15, &ts));                   /* Wed 09:30:15 */
    CHECK_EQ_INT(ts, now + D_);
    CHECK(!tw_meeting_scheduled(m, now + D_ + 45, &ts));

    /* A rolled-back start leaves nothing behind once reloaded. */
    CHECK_EQ_INT(tw_store_begin(f.store), 0);
    CHECK_EQ_INT(cmd(m, TW_SU_START, 0, "Ana", now + 3 * D_), 0);
    CHECK(tw_meeting_running(m));
    tw_store_rollback(f.store);
    tw_board_reload(f.board);
    CHECK_EQ_INT(tw_meeting_reload(m, now + 3 * D_ + 1), 0);
    CHECK(!tw_meeting_running(m));

    tw_meeting_destroy(m);
    wallfix_close(&f);
}

/* A file at schema version 4 (before the stand-ups) migrates to 5 and
 * keeps its items. */
static void test_migration(const char *path)
{
    wallfix f;
    CHECK_EQ_INT(wallfix_open(&f, path, 1764667800), 0);
    wallfix_post(&f, TW_KIND_BLOCKER, "b1", "Kept", "Ana", "cli", 60);
    wallfix_close(&f);
    sqlite3 *db;
    CHECK_EQ_INT(sqlite3_open(path, &db), SQLITE_OK);
    CHECK_EQ_INT(sqlite3_exec(db,
                              "DROP TABLE standup_items; DROP TABLE standups; "
                              "PRAGMA user_version = 4;",
                              NULL, NULL, NULL),
                 SQLITE_OK);
    sqlite3_close(db);
    tw_store *s;
    CHECK_EQ_INT(tw_store_open(path, NULL, &s), 0);
    CHECK_EQ_INT(tw_store_schema_version(s), 9);
    tw_item it;
    CHECK_EQ_INT(tw_store_get(s, "b1", &it), 0);
    CHECK_EQ_INT(tw_standups_exists(s, "su-x"), 0);
    tw_store_close(s);
}

int main(void)
{
    setenv("TZ", "UTC", 1);
    const char *tmp = getenv("TW_TEST_TMP");
    char path[4096];
    snprintf(path, sizeof(path), "%s/meeting.db", tmp && *tmp ? tmp : "/tmp");
    test_meeting(path);
    snprintf(path, sizeof(path), "%s/meeting-v4.db", tmp && *tmp ? tmp : "/tmp");
    test_migration(path);
    return check_done();
}
