/* SPDX-License-Identifier: MIT */
/*
 * Catch-up pages (syncpage.h): built with cJSON from the store's rows in
 * seq order (rowid ranges, so a whole catch-up is one pass over the table,
 * however many pages), applied through the same doors as live commands:
 * tw_store_insert() for a new item (refs by the shared rule),
 * tw_converge_log() for its changes and tw_converge_refold() for its state.
 */
#define _POSIX_C_SOURCE 200809L
#define LOG_MODULE      "sync"
#include "syncpage.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "converge.h"
#include "log.h"
#include "order.h"
#include "store_int.h"
#include "text.h"
#include "util.h"

enum {
    Q_OPEN = TW_STORE_SLOT_SYNC,
    Q_CHANGED,
    Q_OPS,
    Q_HISTORY,
    Q_STATE_GET,
    Q_STATE_SET,
    Q_STATE_DEL,
    Q_NEWEST,
    Q_COUNT,
    Q_SU_LIST,
    Q_SU_ITEMS,
    Q_SU_ADD,
    Q_SU_ITEM_ADD,
    Q_ANY,
};

#define PAGE_COLUMNS                                                                               \
    "seq, id, kind, text, author, source, created, note, state, claimed, claimed_by, resolved, "   \
    "resolved_by, updated"
static const char *const sql_open =
    "SELECT " PAGE_COLUMNS " FROM items WHERE state IN ('open', 'claimed') AND seq > ?1 "
    "ORDER BY seq LIMIT ?2";
static const char *const sql_changed =
    "SELECT " PAGE_COLUMNS " FROM items WHERE seq > ?1 AND state = 'resolved' AND updated >= ?2 "
    "ORDER BY seq LIMIT ?3";
static const char *const sql_ops =
    "SELECT id, action, ts, actor, source, note FROM ops WHERE item_id = ?1";
static const char *const sql_history =
    "SELECT at, action, actor, source, detail FROM history WHERE item_id = ?1 ORDER BY seq";
static const char *const sql_state_get = "SELECT value FROM sync_state WHERE key = 'catchup'";
static const char *const sql_state_set =
    "INSERT INTO sync_state (key, value) VALUES ('catchup', ?1) "
    "ON CONFLICT (key) DO UPDATE SET value = ?1";
static const char *const sql_state_del = "DELETE FROM sync_state WHERE key = 'catchup'";
static const char *const sql_newest = "SELECT coalesce(max(updated), 0) FROM items";
static const char *const sql_count = "SELECT count(*) FROM items";
/* Whether any item is stored: one b-tree step, where count(*) reads every
 * page of an index (2 MB of page cache and 30 ms for 100,000 items, at
 * every start). */
static const char *const sql_any = "SELECT EXISTS (SELECT 1 FROM items)";
/* Stand-ups that ended (a running one is each board's own to follow live),
 * newest first, with the items they walked (firmware/standups.c's tables). */
#define SU_MAX 500
static const char *const sql_su_list =
    "SELECT id, started, ended, by, position, count, item_started, summary FROM standups "
    "WHERE ended > 0 AND started >= ?1 ORDER BY started DESC LIMIT 500";
static const char *const sql_su_items =
    "SELECT position, item_id, kind, carried, flags FROM standup_items WHERE standup_id = ?1";
static const char *const sql_su_add =
    "INSERT OR IGNORE INTO standups (id, started, ended, by, position, count, item_started, "
    "summary) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const char *const sql_su_item_add =
    "INSERT OR IGNORE INTO standup_items (standup_id, position, item_id, kind, carried, flags) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

static cJSON *must(cJSON *v)
{
    if (!v) {
        log_error("out of memory building a sync page; aborting so the service restarts");
        abort();
    }
    return v;
}

static void add_str(cJSON *o, const char *key, const unsigned char *s)
{
    must(cJSON_AddStringToObject(o, key, s ? (const char *)s : ""));
}

static void add_num(cJSON *o, const char *key, int64_t v)
{
    must(cJSON_AddNumberToObject(o, key, (double)v));
}

static const char *col(sqlite3_stmt *st, int c)
{
    const unsigned char *t = sqlite3_column_text(st, c);
    return t ? (const char *)t : "";
}

/* Rows of st (bound) as objects of an array, keys[] naming the columns;
 * integer columns become numbers. */
static int rows(tw_store *s, sqlite3_stmt *st, const char *const *keys, int n, cJSON *arr,
                size_t *bytes)
{
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        cJSON *o = must(cJSON_CreateObject());
        for (int c = 0; c < n; c++) {
            if (sqlite3_column_type(st, c) == SQLITE_INTEGER) {
                add_num(o, keys[c], sqlite3_column_int64(st, c));
            } else {
                add_str(o, keys[c], sqlite3_column_text(st, c));
                *bytes += (size_t)sqlite3_column_bytes(st, c);
            }
        }
        *bytes += 16 * (size_t)n;
        cJSON_AddItemToArray(arr, o);
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? 0 : tw_store_fail(s, rc, "sync page rows");
}

static const char *str_of_json(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) && v->valuestring ? v->valuestring : "";
}

static int parse_cursor(const char *peer, const char *cursor, char *phase, int64_t *seq)
{
    *phase = 'o';
    *seq = 0;
    if (!cursor || !*cursor)
        return 0;
    size_t n = strlen(peer);
    char p;
    long long v;
    if (strncmp(cursor, peer, n) != 0 || cursor[n] != ':' ||
        sscanf(cursor + n + 1, "%c:%lld", &p, &v) != 2 || (p != 'o' && p != 'a') || v < 0)
        return TW_ERR_INVAL;
    *phase = p;
    *seq = v;
    return 0;
}

int tw_syncpage_build(tw_store *store, const char *peer, const char *to, const char *cursor,
                      int64_t since, size_t max_items, char **json)
{
    if (!store || !peer || !to || !json || !max_items)
        return TW_ERR_INVAL;
    *json = NULL;
    char phase;
    int64_t after;
    int ret = parse_cursor(peer, cursor, &phase, &after);
    if (ret)
        return ret;
    static const char *const op_keys[] = {"id", "action", "ts", "by", "source", "note"};
    static const char *const h_keys[] = {"at", "action", "actor", "source", "detail"};
    cJSON *page = must(cJSON_CreateObject());
    add_str(page, "board", (const unsigned char *)peer);
    add_str(page, "to", (const unsigned char *)to);
    add_str(page, "cursor", (const unsigned char *)(cursor ? cursor : ""));
    cJSON *items = must(cJSON_AddArrayToObject(page, "items"));
    size_t n = 0, bytes = 0;
    bool last = false;
    while (n < max_items && bytes < TW_SYNC_PAGE_BYTES && !last) {
        sqlite3_stmt *st = phase == 'o' ? tw_store_cached(store, Q_OPEN, sql_open)
                                        : tw_store_cached(store, Q_CHANGED, sql_changed);
        if (!st) {
            ret = TW_ERR_DB;
            goto out;
        }
        sqlite3_bind_int64(st, 1, after);
        if (phase == 'o') {
            sqlite3_bind_int64(st, 2, 64);
        } else {
            sqlite3_bind_int64(st, 2, since);
            sqlite3_bind_int64(st, 3, 64);
        }
        /* Rows in small runs, so ops and history of each are read while
         * the run's statement is reset (one statement per slot). */
        struct run {
            int64_t seq, created;
            char id[TW_ID_SIZE], kind[16], source[TW_SOURCE_SIZE], state[16];
            char *text, *author, *note, *claimed_by, *resolved_by;
            int64_t claimed, resolved, updated;
        } run[64];
        size_t got = 0;
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW && got < 64) {
            struct run *r = &run[got++];
            r->seq = sqlite3_column_int64(st, 0);
            tw_strlcpy(r->id, col(st, 1), sizeof(r->id));
            tw_strlcpy(r->kind, col(st, 2), sizeof(r->kind));
            r->text = tw_xstrdup(col(st, 3));
            r->author = tw_xstrdup(col(st, 4));
            tw_strlcpy(r->source, col(st, 5), sizeof(r->source));
            r->created = sqlite3_column_int64(st, 6);
            r->note = tw_xstrdup(col(st, 7));
            tw_strlcpy(r->state, col(st, 8), sizeof(r->state));
            r->claimed = sqlite3_column_int64(st, 9);
            r->claimed_by = tw_xstrdup(col(st, 10));
            r->resolved = sqlite3_column_int64(st, 11);
            r->resolved_by = tw_xstrdup(col(st, 12));
            r->updated = sqlite3_column_int64(st, 13);
        }
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
            for (size_t i = 0; i < got; i++)
                free(run[i].text), free(run[i].author), free(run[i].note), free(run[i].claimed_by),
                    free(run[i].resolved_by);
            ret = tw_store_fail(store, rc, "sync page");
            goto out;
        }
        size_t i = 0;
        for (; i < got && n < max_items && bytes < TW_SYNC_PAGE_BYTES; i++) {
            struct run *r = &run[i];
            cJSON *o = must(cJSON_CreateObject());
            add_str(o, "id", (const unsigned char *)r->id);
            add_str(o, "kind", (const unsigned char *)r->kind);
            add_str(o, "text", (const unsigned char *)r->text);
            add_str(o, "author", (const unsigned char *)r->author);
            add_str(o, "source", (const unsigned char *)r->source);
            add_num(o, "created", r->created);
            add_str(o, "note", (const unsigned char *)r->note);
            /* The state as the peer holds it: what a new item starts from
             * when its changes were never logged (a store seeded or
             * imported without them). */
            add_str(o, "state", (const unsigned char *)r->state);
            add_num(o, "claimed", r->claimed);
            add_str(o, "claimed_by", (const unsigned char *)r->claimed_by);
            add_num(o, "resolved", r->resolved);
            add_str(o, "resolved_by", (const unsigned char *)r->resolved_by);
            add_num(o, "updated", r->updated);
            bytes += strlen(r->text) + strlen(r->author) + strlen(r->note) + 240;
            cJSON *ops = must(cJSON_AddArrayToObject(o, "ops"));
            cJSON *hist = must(cJSON_AddArrayToObject(o, "history"));
            sqlite3_stmt *q = tw_store_cached(store, Q_OPS, sql_ops);
            ret = q ? 0 : TW_ERR_DB;
            if (!ret) {
                sqlite3_bind_text(q, 1, r->id, -1, SQLITE_STATIC);
                ret = rows(store, q, op_keys, 6, ops, &bytes);
            }
            sqlite3_stmt *h = ret ? NULL : tw_store_cached(store, Q_HISTORY, sql_history);
            if (!ret && !h)
                ret = TW_ERR_DB;
            if (!ret) {
                sqlite3_bind_text(h, 1, r->id, -1, SQLITE_STATIC);
                ret = rows(store, h, h_keys, 5, hist, &bytes);
            }
            cJSON_AddItemToArray(items, o);
            after = r->seq;
            n++;
            if (ret)
                break;
        }
        for (size_t k = 0; k < got; k++)
            free(run[k].text), free(run[k].author), free(run[k].note), free(run[k].claimed_by),
                free(run[k].resolved_by);
        if (ret)
            goto out;
        if (i == got && got < 64) {
            /* This phase is over. */
            if (phase == 'o') {
                phase = 'a';
                after = 0;
            } else {
                last = true;
            }
        }
    }
    if (last) {
        /* The last page also carries the team's stand-ups since `since`. */
        cJSON *su = must(cJSON_AddArrayToObject(page, "standups"));
        static const char *const su_keys[] = {"id",       "started", "ended",        "by",
                                              "position", "count",   "item_started", "summary"};
        static const char *const si_keys[] = {"position", "item_id", "kind", "carried", "flags"};
        sqlite3_stmt *q = tw_store_cached(store, Q_SU_LIST, sql_su_list);
        if (q) {
            sqlite3_bind_int64(q, 1, since);
            ret = rows(store, q, su_keys, 8, su, &bytes);
            if (ret)
                goto out;
            cJSON *one;
            cJSON_ArrayForEach(one, su)
            {
                cJSON *list = must(cJSON_AddArrayToObject(one, "items"));
                sqlite3_stmt *qi = tw_store_cached(store, Q_SU_ITEMS, sql_su_items);
                if (!qi)
                    break;
                sqlite3_bind_text(qi, 1, str_of_json(one, "id"), -1, SQLITE_TRANSIENT);
                ret = rows(store, qi, si_keys, 5, list, &bytes);
                if (ret)
                    goto out;
            }
        }
        must(cJSON_AddNullToObject(page, "next"));
    } else {
        char next[TW_SYNC_CURSOR_SIZE];
        snprintf(next, sizeof(next), "%s:%c:%lld", peer, phase, (long long)after);
        add_str(page, "next", (const unsigned char *)next);
    }
    *json = cJSON_PrintUnformatted(page);
    if (!*json) {
        log_error("out of memory printing a sync page; aborting so the service restarts");
        abort();
    }
out:
    cJSON_Delete(page);
    return ret;
}

/* ---- applying ---- */

static const char *str_of(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) && v->valuestring ? v->valuestring : NULL;
}

static bool num_of(const cJSON *o, const char *key, int64_t *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > 9e15)
        return false;
    *out = (int64_t)v->valuedouble;
    return true;
}

static int cmd_type(const char *action)
{
    for (int t = TW_CMD_CLAIM; t <= TW_CMD_REOPEN; t++)
        if (action && strcmp(action, tw_cmd_name((tw_cmd_type)t)) == 0)
            return t;
    return -1;
}

/* The changes of a page's item, parsed; *n of them (caller frees). */
static tw_op *page_ops(const cJSON *o, size_t *n, char (**sources)[TW_SOURCE_SIZE])
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(o, "ops");
    int size = cJSON_GetArraySize(arr);
    tw_op *ops = size > 0 ? tw_xcalloc((size_t)size, sizeof(*ops)) : NULL;
    *sources = size > 0 ? tw_xcalloc((size_t)size, sizeof(**sources)) : NULL;
    *n = 0;
    const cJSON *j;
    cJSON_ArrayForEach(j, arr)
    {
        const char *oid = str_of(j, "id"), *action = str_of(j, "action"), *by = str_of(j, "by");
        int t = cmd_type(action);
        tw_op *op = &ops[*n];
        if (!oid || !tw_id_valid(oid) || t < 0 || !by || !num_of(j, "ts", &op->ts))
            continue;
        tw_strlcpy(op->id, oid, sizeof(op->id));
        op->type = (tw_cmd_type)t;
        tw_strlcpy(op->by, by, sizeof(op->by));
        const char *note = str_of(j, "note");
        tw_strlcpy(op->note, note ? note : "", sizeof(op->note));
        const char *src = str_of(j, "source");
        tw_strlcpy((*sources)[*n], src && tw_source_valid(src) ? src : "sync", TW_SOURCE_SIZE);
        (*n)++;
    }
    return ops;
}

/*
 * One item of a page. *added / *changed / *ops tell what it did. A new item
 * (nearly all of a fresh board's) is folded here from the page's changes and
 * written once, final; a known one gets the changes it lacks and is folded
 * again from its whole log.
 */
static int apply_item(tw_store *s, const cJSON *o, int64_t now, const char *from, bool pending,
                      bool *added, bool *changed, size_t *ops, bool *shown)
{
    *shown = false;
    *added = *changed = false;
    const char *id = str_of(o, "id"), *kind = str_of(o, "kind"), *text = str_of(o, "text");
    const char *author = str_of(o, "author"), *source = str_of(o, "source");
    int64_t created;
    int k = tw_kind_parse(kind);
    if (!id || !tw_id_valid(id) || k < 0 || !text || !*text || !author ||
        !num_of(o, "created", &created)) {
        log_warn("sync page from %s: an item without a valid id, kind, text or time skipped", from);
        return 0;
    }
    tw_item *it = tw_xcalloc(1, sizeof(*it));
    char *note = tw_xmalloc(TW_NOTE_SIZE);
    note[0] = '\0';
    size_t n_ops;
    char(*sources)[TW_SOURCE_SIZE];
    tw_op *list = page_ops(o, &n_ops, &sources);
    tw_strlcpy(it->id, id, sizeof(it->id));
    it->kind = (tw_kind)k;
    it->state = TW_STATE_OPEN;
    tw_strlcpy(it->text, text, sizeof(it->text));
    tw_strlcpy(it->author, author, sizeof(it->author));
    tw_strlcpy(it->source, source && tw_source_valid(source) ? source : "mqtt", sizeof(it->source));
    it->created = it->updated = created;
    int st = tw_state_parse(str_of(o, "state"));
    if (n_ops) {
        /* Sorts list; the log below does not care about order. */
        tw_order_fold(it, note, list, n_ops);
    } else if (st > 0) {
        /* No changes logged with it (a store seeded or imported without
         * them): its state as the peer has it. */
        it->state = (tw_state)st;
        num_of(o, "claimed", &it->claimed);
        num_of(o, "resolved", &it->resolved);
        num_of(o, "updated", &it->updated);
        const char *cb = str_of(o, "claimed_by"), *rb = str_of(o, "resolved_by");
        const char *nt = str_of(o, "note");
        tw_strlcpy(it->claimed_by, cb ? cb : "", sizeof(it->claimed_by));
        tw_strlcpy(it->resolved_by, rb ? rb : "", sizeof(it->resolved_by));
        tw_strlcpy(note, nt ? nt : "", TW_NOTE_SIZE);
    }
    /* The insert refuses a known id (found in the ref group it reads). */
    int ret = tw_store_insert_noted(s, it, note);
    if (ret == 0) {
        *added = true;
        *changed = it->state != TW_STATE_OPEN;
        /* Its history as the peer recorded it: the figures and the detail
         * view of a replaced board read the team's past, not an empty one. */
        const cJSON *h;
        cJSON_ArrayForEach(h, cJSON_GetObjectItemCaseSensitive(o, "history"))
        {
            int64_t at;
            const char *action = str_of(h, "action");
            if (!action || !num_of(h, "at", &at))
                continue;
            const char *detail = str_of(h, "detail");
            ret = tw_store_history_add(s, at, id, action, str_of(h, "actor"), str_of(h, "source"),
                                       detail && *detail ? detail : NULL);
            if (ret)
                goto out;
        }
    } else if (ret == TW_ERR_INVAL) {
        ret = tw_store_get(s, id, it);
        if (ret == TW_ERR_NOTFOUND) {
            log_warn("sync page from %s: no free ref for %s; skipped", from, id);
            ret = 0;
            goto out;
        }
        if (ret)
            goto out;
    } else {
        goto out;
    }
    for (size_t i = 0; i < n_ops; i++) {
        ret = tw_converge_log(s, &list[i], id, sources[i], now);
        if (ret < 0)
            goto out;
        if (ret == 0)
            (*ops)++;
        ret = 0;
    }
    if (*added && pending) {
        bool folded;
        ret = tw_converge_posted(s, it, note, &folded); /* changes kept for it */
        *changed = *changed || folded;
    } else if (!*added && *ops) {
        ret = tw_converge_refold(s, it, note, changed);
    }
    *shown = it->state != TW_STATE_RESOLVED || (!*added && *changed);
out:
    free(list);
    free(sources);
    free(note);
    free(it);
    return ret;
}

/* One ended stand-up of a page, and its items, unless known. */
static int apply_standup(tw_store *s, const cJSON *o)
{
    const char *id = str_of(o, "id");
    int64_t v[6];
    static const char *const nums[] = {"started", "ended", "position", "count", "item_started"};
    for (int i = 0; i < 5; i++)
        if (!num_of(o, nums[i], &v[i]))
            return 0;
    if (!id || !*id || v[1] <= 0)
        return 0;
    sqlite3_stmt *q = tw_store_cached(s, Q_SU_ADD, sql_su_add);
    if (!q)
        return TW_ERR_DB;
    sqlite3_bind_text(q, 1, id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(q, 2, v[0]);
    sqlite3_bind_int64(q, 3, v[1]);
    sqlite3_bind_text(q, 4, str_of(o, "by") ? str_of(o, "by") : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(q, 5, v[2]);
    sqlite3_bind_int64(q, 6, v[3]);
    sqlite3_bind_int64(q, 7, v[4]);
    if (str_of(o, "summary"))
        sqlite3_bind_text(q, 8, str_of(o, "summary"), -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(q);
    bool added = rc == SQLITE_DONE && sqlite3_changes(sqlite3_db_handle(q)) > 0;
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    if (rc != SQLITE_DONE)
        return tw_store_fail(s, rc, "caught-up stand-up");
    const cJSON *it, *items = added ? cJSON_GetObjectItemCaseSensitive(o, "items") : NULL;
    cJSON_ArrayForEach(it, items)
    {
        int64_t pos, carried = 0, flags = 0;
        const char *item = str_of(it, "item_id"), *kind = str_of(it, "kind");
        if (!num_of(it, "position", &pos) || !item || !kind)
            continue;
        num_of(it, "carried", &carried);
        num_of(it, "flags", &flags);
        sqlite3_stmt *qi = tw_store_cached(s, Q_SU_ITEM_ADD, sql_su_item_add);
        if (!qi)
            return TW_ERR_DB;
        sqlite3_bind_text(qi, 1, id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(qi, 2, pos);
        sqlite3_bind_text(qi, 3, item, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(qi, 4, kind, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(qi, 5, carried);
        sqlite3_bind_int64(qi, 6, flags);
        rc = sqlite3_step(qi);
        sqlite3_reset(qi);
        sqlite3_clear_bindings(qi);
        if (rc != SQLITE_DONE)
            return tw_store_fail(s, rc, "caught-up stand-up item");
    }
    return 0;
}

int tw_syncpage_apply(tw_store *store, const void *page, size_t len, int64_t now,
                      tw_syncpage_result *res, char *reason, size_t reason_size)
{
    if (!store || !page || !res)
        return TW_ERR_INVAL;
    memset(res, 0, sizeof(*res));
    if (reason && reason_size)
        reason[0] = '\0';
    cJSON *root = cJSON_ParseWithLength(page, len);
    const char *from = root ? str_of(root, "board") : NULL;
    const cJSON *items = root ? cJSON_GetObjectItemCaseSensitive(root, "items") : NULL;
    const cJSON *next = root ? cJSON_GetObjectItemCaseSensitive(root, "next") : NULL;
    if (!from || !cJSON_IsArray(items) || !(cJSON_IsNull(next) || cJSON_IsString(next))) {
        if (reason)
            snprintf(reason, reason_size, "not a sync page (board, items and next are needed)");
        cJSON_Delete(root);
        return TW_ERR_PARSE;
    }
    tw_strlcpy(res->from, from, sizeof(res->from));
    if (cJSON_IsString(next))
        tw_strlcpy(res->next, next->valuestring, sizeof(res->next));
    /* Changes kept for items not seen yet are rare: look for theirs only
     * when there are some. */
    bool pending = tw_converge_pending(store) > 0;
    int ret = 0;
    const cJSON *o;
    cJSON_ArrayForEach(o, items)
    {
        bool added, changed, shown;
        size_t ops = 0;
        ret = apply_item(store, o, now, from, pending, &added, &changed, &ops, &shown);
        if (ret)
            break;
        res->items++;
        res->added += added;
        res->changed += changed;
        res->ops += ops;
        res->shown += shown;
    }
    const cJSON *su, *sus = ret ? NULL : cJSON_GetObjectItemCaseSensitive(root, "standups");
    cJSON_ArrayForEach(su, sus)
    {
        ret = apply_standup(store, su);
        if (ret)
            break;
        res->standups++;
    }
    cJSON_Delete(root);
    return ret;
}

/* ---- the catch-up's own state ---- */

int tw_syncpage_state_get(tw_store *store, char *value, size_t size)
{
    sqlite3_stmt *st = tw_store_cached(store, Q_STATE_GET, sql_state_get);
    if (!st)
        return TW_ERR_DB;
    int rc = sqlite3_step(st), ret = 0;
    if (rc == SQLITE_ROW)
        tw_strlcpy(value, col(st, 0), size);
    else if (rc == SQLITE_DONE)
        ret = TW_ERR_NOTFOUND;
    else
        ret = tw_store_fail(store, rc, "sync state");
    sqlite3_reset(st);
    return ret;
}

int tw_syncpage_state_set(tw_store *store, const char *value)
{
    sqlite3_stmt *st = value ? tw_store_cached(store, Q_STATE_SET, sql_state_set)
                             : tw_store_cached(store, Q_STATE_DEL, sql_state_del);
    if (!st)
        return TW_ERR_DB;
    if (value)
        sqlite3_bind_text(st, 1, value, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? 0 : tw_store_fail(store, rc, "sync state");
}

static int64_t scalar(tw_store *store, unsigned slot, const char *sql)
{
    sqlite3_stmt *st = tw_store_cached(store, slot, sql);
    if (!st)
        return TW_ERR_DB;
    int rc = sqlite3_step(st);
    int64_t v = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : tw_store_fail(store, rc, "sync");
    sqlite3_reset(st);
    return v;
}

int64_t tw_syncpage_newest(tw_store *store)
{
    return scalar(store, Q_NEWEST, sql_newest);
}

int64_t tw_syncpage_count(tw_store *store)
{
    return scalar(store, Q_COUNT, sql_count);
}

int tw_syncpage_any(tw_store *store)
{
    return (int)scalar(store, Q_ANY, sql_any);
}
