/* SPDX-License-Identifier: MIT */
/*
 * The stand-up tables (see standups.h). Statements are prepared per call:
 * they run a few times a minute during a stand-up, never on a post's path.
 */
#define _POSIX_C_SOURCE 200809L
#define LOG_MODULE      "store"
#include "standups.h"

#include <sqlite3.h>
#include <string.h>

#include "log.h"
#include "util.h"

static int prepare(tw_store *st, const char *sql, sqlite3_stmt **out)
{
    sqlite3 *db = tw_store_sqlite(st);
    if (!db)
        return TW_ERR_INVAL;
    int rc = sqlite3_prepare_v2(db, sql, -1, out, NULL);
    return rc == SQLITE_OK ? 0 : tw_store_sqlite_error(st, rc, "standups: prepare");
}

/* Step a statement that returns no row, and finalize it. */
static int run(tw_store *st, sqlite3_stmt *q, const char *what)
{
    int rc = sqlite3_step(q);
    sqlite3_finalize(q);
    return rc == SQLITE_DONE ? 0 : tw_store_sqlite_error(st, rc, what);
}

static void bind_text(sqlite3_stmt *q, int i, const char *s)
{
    sqlite3_bind_text(q, i, s ? s : "", -1, SQLITE_TRANSIENT);
}

int tw_standups_save(tw_store *st, const tw_standup *s, bool items, const char *summary_json)
{
    sqlite3_stmt *q;
    int rc = prepare(st,
                     "INSERT INTO standups (id, started, ended, by, position, count, item_started,"
                     " summary) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (id) DO UPDATE"
                     " SET ended = ?3, position = ?5, item_started = ?7, summary = ?8",
                     &q);
    if (rc)
        return rc;
    bind_text(q, 1, s->id);
    sqlite3_bind_int64(q, 2, s->started);
    sqlite3_bind_int64(q, 3, s->ended);
    bind_text(q, 4, s->by);
    sqlite3_bind_int(q, 5, s->position);
    sqlite3_bind_int(q, 6, s->count);
    sqlite3_bind_int64(q, 7, s->item_started);
    if (summary_json)
        bind_text(q, 8, summary_json);
    else
        sqlite3_bind_null(q, 8);
    if ((rc = run(st, q, "standups: save")) != 0 || !items)
        return rc;
    for (int i = 0; i < s->count; i++) {
        rc = prepare(st,
                     "INSERT OR REPLACE INTO standup_items (standup_id, position, item_id, kind,"
                     " carried, flags) VALUES (?, ?, ?, ?, ?, ?)",
                     &q);
        if (rc)
            return rc;
        const tw_standup_entry *e = &s->walk[i];
        bind_text(q, 1, s->id);
        sqlite3_bind_int(q, 2, i + 1);
        bind_text(q, 3, e->id);
        bind_text(q, 4, tw_kind_name(e->kind));
        sqlite3_bind_int(q, 5, e->carried);
        sqlite3_bind_int(q, 6, (int)e->flags);
        if ((rc = run(st, q, "standups: save item")) != 0)
            return rc;
    }
    return 0;
}

int tw_standups_save_entry(tw_store *st, const tw_standup *s, int index)
{
    if (index < 0 || index >= s->count)
        return TW_ERR_INVAL;
    sqlite3_stmt *q;
    int rc =
        prepare(st, "UPDATE standup_items SET flags = ? WHERE standup_id = ? AND position = ?", &q);
    if (rc)
        return rc;
    sqlite3_bind_int(q, 1, (int)s->walk[index].flags);
    bind_text(q, 2, s->id);
    sqlite3_bind_int(q, 3, index + 1);
    return run(st, q, "standups: save item");
}

static int load_items(tw_store *st, tw_standup *s)
{
    sqlite3_stmt *q;
    int rc = prepare(st,
                     "SELECT position, item_id, kind, carried, flags FROM standup_items"
                     " WHERE standup_id = ? ORDER BY position",
                     &q);
    if (rc)
        return rc;
    bind_text(q, 1, s->id);
    int n = 0;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW && n < TW_STANDUP_MAX_ITEMS) {
        tw_standup_entry *e = &s->walk[n++];
        memset(e, 0, sizeof(*e));
        tw_strlcpy(e->id, (const char *)sqlite3_column_text(q, 1), sizeof(e->id));
        int k = tw_kind_parse((const char *)sqlite3_column_text(q, 2));
        e->kind = k < 0 ? TW_KIND_BLOCKER : (tw_kind)k;
        e->carried = sqlite3_column_int(q, 3);
        e->flags = (unsigned)sqlite3_column_int(q, 4);
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return tw_store_sqlite_error(st, rc, "standups: load items");
    s->count = n;
    return 0;
}

int tw_standups_load_running(tw_store *st, int64_t now, tw_standup *out)
{
    sqlite3_stmt *q;
    int rc = prepare(st,
                     "SELECT id, by, started, ended, position, item_started FROM standups"
                     " WHERE ended = 0 OR ended + ? > ? ORDER BY started DESC LIMIT 1",
                     &q);
    if (rc)
        return rc;
    sqlite3_bind_int(q, 1, TW_STANDUP_SUMMARY_S);
    sqlite3_bind_int64(q, 2, now);
    rc = sqlite3_step(q);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(q);
        return rc == SQLITE_DONE ? TW_ERR_NOTFOUND
                                 : tw_store_sqlite_error(st, rc, "standups: load");
    }
    tw_standup_init(out);
    tw_strlcpy(out->id, (const char *)sqlite3_column_text(q, 0), sizeof(out->id));
    tw_strlcpy(out->by, (const char *)sqlite3_column_text(q, 1), sizeof(out->by));
    out->started = sqlite3_column_int64(q, 2);
    out->ended = sqlite3_column_int64(q, 3);
    out->position = sqlite3_column_int(q, 4);
    out->item_started = sqlite3_column_int64(q, 5);
    sqlite3_finalize(q);
    if ((rc = load_items(st, out)) != 0)
        return rc;
    if (out->ended) {
        out->phase = TW_SU_SUMMARY;
    } else if (out->position >= 1 && out->position <= out->count) {
        tw_kind k = out->walk[out->position - 1].kind;
        out->phase = k == TW_KIND_BLOCKER    ? TW_SU_BLOCKERS
                     : k == TW_KIND_QUESTION ? TW_SU_QUESTIONS
                                             : TW_SU_WINS;
    } else {
        out->phase = TW_SU_SUMMARY; /* an empty walk ends at once */
        out->ended = out->started;
    }
    return 0;
}

int tw_standups_exists(tw_store *st, const char *id)
{
    sqlite3_stmt *q;
    int rc = prepare(st, "SELECT 1 FROM standups WHERE id = ?", &q);
    if (rc)
        return rc;
    bind_text(q, 1, id);
    rc = sqlite3_step(q);
    sqlite3_finalize(q);
    if (rc == SQLITE_ROW)
        return 1;
    return rc == SQLITE_DONE ? 0 : tw_store_sqlite_error(st, rc, "standups: exists");
}

int tw_standups_carried(tw_store *st, const char *item_id, const char *except_id, int *out)
{
    sqlite3_stmt *q;
    *out = 0;
    int rc = prepare(st,
                     "SELECT count(DISTINCT standup_id) FROM standup_items WHERE item_id = ?"
                     " AND standup_id <> ?",
                     &q);
    if (rc)
        return rc;
    bind_text(q, 1, item_id);
    bind_text(q, 2, except_id);
    rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    return rc == SQLITE_ROW ? 0 : tw_store_sqlite_error(st, rc, "standups: carried");
}

int tw_standups_previous(tw_store *st, int64_t t, int64_t *out)
{
    sqlite3_stmt *q;
    *out = 0;
    int rc = prepare(st, "SELECT max(started) FROM standups WHERE started < ?", &q);
    if (rc)
        return rc;
    sqlite3_bind_int64(q, 1, t);
    rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return rc == SQLITE_ROW ? 0 : tw_store_sqlite_error(st, rc, "standups: previous");
}

int tw_standups_each(tw_store *st, int limit, tw_standups_fn fn, void *ctx)
{
    sqlite3_stmt *q;
    int rc = prepare(st,
                     "SELECT id, by, started, ended, position, count, summary FROM standups"
                     " ORDER BY started DESC, id DESC LIMIT ?",
                     &q);
    if (rc)
        return rc;
    sqlite3_bind_int(q, 1, limit > 0 ? limit : -1);
    int ret = 0;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        tw_standup_row r;
        memset(&r, 0, sizeof(r));
        tw_strlcpy(r.id, (const char *)sqlite3_column_text(q, 0), sizeof(r.id));
        tw_strlcpy(r.by, (const char *)sqlite3_column_text(q, 1), sizeof(r.by));
        r.started = sqlite3_column_int64(q, 2);
        r.ended = sqlite3_column_int64(q, 3);
        r.position = sqlite3_column_int(q, 4);
        r.count = sqlite3_column_int(q, 5);
        r.summary = (const char *)sqlite3_column_text(q, 6);
        if ((ret = fn(ctx, &r)) != 0)
            break;
    }
    sqlite3_finalize(q);
    if (ret)
        return ret;
    return rc == SQLITE_DONE ? 0 : tw_store_sqlite_error(st, rc, "standups: list");
}
