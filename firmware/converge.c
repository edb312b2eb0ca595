/* SPDX-License-Identifier: MIT */
/*
 * Convergence (converge.h): the ops table is the team's log of state
 * changes, one row per command id, so a redelivery is one row and every
 * board that saw the same commands holds the same rows. An item's stored
 * state is always the fold of its rows in (ts, id) order (order.h): a change
 * that sorts after the item's latest is one step, the common case and as
 * cheap as before; one that sorts earlier (it came on another topic, through
 * another broker, after a restart) refolds the item from its rows.
 */
#define _POSIX_C_SOURCE 200809L
#define LOG_MODULE      "converge"
#include "converge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "store_int.h"
#include "util.h"

enum {
    Q_ADD = TW_STORE_SLOT_CONVERGE,
    Q_LAST,
    Q_OF,
    Q_PENDING,
    Q_ATTACH,
    Q_PENDING_COUNT,
    Q_PRUNE,
};

static const char *const sql_add =
    "INSERT OR IGNORE INTO ops (id, item_id, ref, action, ts, actor, source, note, received) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
static const char *const sql_last =
    "SELECT ts, id FROM ops WHERE item_id = ?1 ORDER BY ts DESC, id DESC LIMIT 1";
static const char *const sql_of = "SELECT id, action, ts, actor, note FROM ops WHERE item_id = ?1";
static const char *const sql_pending = "SELECT id, ref FROM ops WHERE item_id = '' ORDER BY ts, id";
static const char *const sql_attach = "UPDATE ops SET item_id = ?2 WHERE id = ?1";
static const char *const sql_pending_count = "SELECT count(*) FROM ops WHERE item_id = ''";
static const char *const sql_prune =
    "DELETE FROM ops WHERE id IN (SELECT id FROM ops WHERE item_id = '' ORDER BY received "
    "LIMIT ?1)";

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
    sqlite3_bind_text(st, i, s ? s : "", -1, SQLITE_STATIC);
}

static void finish(sqlite3_stmt *st)
{
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
}

static int cmd_type(const char *action)
{
    for (int t = TW_CMD_CLAIM; t <= TW_CMD_REOPEN; t++)
        if (strcmp(action, tw_cmd_name((tw_cmd_type)t)) == 0)
            return t;
    return -1;
}

/* Log op for item_id ("" while pending, with the ref as sent). 0, 1 if the
 * command id is logged already, or a TW_ERR_*. */
static int add(tw_store *s, const tw_op *op, const char *item_id, const char *ref,
               const char *source, int64_t received)
{
    sqlite3_stmt *st = tw_store_cached(s, Q_ADD, sql_add);
    if (!st)
        return TW_ERR_DB;
    bind_text(st, 1, op->id);
    bind_text(st, 2, item_id);
    bind_text(st, 3, ref);
    bind_text(st, 4, tw_cmd_name(op->type));
    sqlite3_bind_int64(st, 5, op->ts);
    bind_text(st, 6, op->by);
    bind_text(st, 7, source);
    bind_text(st, 8, op->note);
    sqlite3_bind_int64(st, 9, received);
    int rc = sqlite3_step(st);
    finish(st);
    if (rc != SQLITE_DONE)
        return tw_store_fail(s, rc, "log a state change");
    return sqlite3_changes(sqlite3_db_handle(st)) ? 0 : 1;
}

int tw_converge_log(tw_store *store, const tw_op *op, const char *item_id, const char *source,
                    int64_t received)
{
    if (!store || !op || !item_id || !*item_id)
        return TW_ERR_INVAL;
    return add(store, op, item_id, "", source, received);
}

/* The latest change logged for item_id: 0 and *ts, id; TW_ERR_NOTFOUND. */
static int last(tw_store *s, const char *item_id, int64_t *ts, char id[TW_ID_SIZE])
{
    sqlite3_stmt *st = tw_store_cached(s, Q_LAST, sql_last);
    if (!st)
        return TW_ERR_DB;
    bind_text(st, 1, item_id);
    int rc = sqlite3_step(st), ret = 0;
    if (rc == SQLITE_ROW) {
        *ts = sqlite3_column_int64(st, 0);
        const unsigned char *t = sqlite3_column_text(st, 1);
        tw_strlcpy(id, t ? (const char *)t : "", TW_ID_SIZE);
    } else if (rc == SQLITE_DONE) {
        ret = TW_ERR_NOTFOUND;
    } else {
        ret = tw_store_fail(s, rc, "latest change");
    }
    finish(st);
    return ret;
}

int tw_converge_ops_of(tw_store *store, const char *item_id, tw_op **ops, size_t *n)
{
    if (!store || !item_id || !ops || !n)
        return TW_ERR_INVAL;
    *ops = NULL;
    *n = 0;
    sqlite3_stmt *st = tw_store_cached(store, Q_OF, sql_of);
    if (!st)
        return TW_ERR_DB;
    bind_text(st, 1, item_id);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int type = cmd_type((const char *)sqlite3_column_text(st, 1));
        if (type < 0)
            continue; /* the CHECK makes that a foreign writer's row */
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            *ops = tw_xrealloc(*ops, cap * sizeof(**ops));
        }
        tw_op *op = &(*ops)[(*n)++];
        memset(op, 0, sizeof(*op));
        tw_strlcpy(op->id, (const char *)sqlite3_column_text(st, 0), sizeof(op->id));
        op->type = (tw_cmd_type)type;
        op->ts = sqlite3_column_int64(st, 2);
        tw_strlcpy(op->by, (const char *)sqlite3_column_text(st, 3), sizeof(op->by));
        tw_strlcpy(op->note, (const char *)sqlite3_column_text(st, 4), sizeof(op->note));
    }
    finish(st);
    if (rc != SQLITE_DONE) {
        free(*ops);
        *ops = NULL;
        *n = 0;
        return tw_store_fail(store, rc, "changes of an item");
    }
    return 0;
}

int tw_converge_refold(tw_store *store, tw_item *item, char *note, bool *changed)
{
    if (changed)
        *changed = false;
    int ret = tw_store_note(store, item->id, note, TW_NOTE_SIZE);
    if (ret)
        return ret;
    tw_op *ops;
    size_t n;
    ret = tw_converge_ops_of(store, item->id, &ops, &n);
    if (ret)
        return ret;
    bool c = tw_order_fold(item, note, ops, n);
    free(ops);
    if (c)
        ret = tw_store_update(store, item, note);
    if (changed)
        *changed = c && !ret;
    return ret;
}

/* The event a refold that changed item from state `was` reports. */
static const char *event_of(tw_state was, const tw_item *now)
{
    if (now->state == TW_STATE_RESOLVED)
        return "resolved";
    if (now->state == TW_STATE_CLAIMED)
        return "claimed";
    return was == TW_STATE_OPEN ? "claimed" : "reopened";
}

/* Why an in-order change did nothing, in the words the board used before. */
static void refusal(const tw_item *it, const tw_op *op, char *reason, size_t size)
{
    reason[0] = '\0';
    if (op->type == TW_CMD_CLAIM && it->kind == TW_KIND_WIN)
        snprintf(reason, size, "wins cannot be claimed");
    else if (op->type == TW_CMD_CLAIM && it->state == TW_STATE_RESOLVED)
        snprintf(reason, size, "%s is resolved; reopen it first", it->ref);
}

int tw_converge_apply(tw_store *store, const tw_command *cmd, const tw_item *item, int64_t now,
                      tw_converge_result *res)
{
    if (!store || !cmd || !item || !res || cmd->type < TW_CMD_CLAIM || cmd->type > TW_CMD_REOPEN)
        return TW_ERR_INVAL;
    memset(res, 0, sizeof(*res));
    res->after = *item;
    tw_op *op = tw_xcalloc(1, sizeof(*op));
    op->type = cmd->type;
    op->ts = tw_order_time(cmd->ts, now);
    if (cmd->id[0])
        tw_strlcpy(op->id, cmd->id, sizeof(op->id));
    else
        tw_order_cmd_id(cmd, cmd->ref, op->ts, op->id);
    tw_strlcpy(op->by, cmd->author, sizeof(op->by));
    tw_strlcpy(op->note, cmd->type == TW_CMD_RESOLVE ? cmd->note : "", sizeof(op->note));

    int64_t last_ts = 0;
    char last_id[TW_ID_SIZE] = "";
    int ret = last(store, item->id, &last_ts, last_id);
    if (ret && ret != TW_ERR_NOTFOUND)
        goto out;
    if (ret == 0 && tw_order_untimed(cmd->ts, now) && op->ts <= last_ts) {
        /* No time of its own: it counts at its arrival, which on this
         * board is after the item's latest change (a resolve and a reopen
         * typed within one second keep their order). Boards can only agree
         * on changes that carry a time. */
        op->ts = last_ts + 1;
        if (!cmd->id[0])
            tw_order_cmd_id(cmd, cmd->ref, op->ts, op->id);
    }
    bool in_order = ret == TW_ERR_NOTFOUND || tw_order_cmp(op->ts, op->id, last_ts, last_id) > 0;
    ret = add(store, op, item->id, "", cmd->source, now);
    if (ret == 1) {
        log_debug("change %s of %s is logged already (delivered again)", op->id, item->id);
        ret = 0;
        goto out;
    }
    if (ret)
        goto out;
    res->wrote = true;
    tw_item *it = &res->after;
    if (in_order) {
        ret = tw_store_note(store, it->id, res->note, sizeof(res->note));
        if (ret)
            goto out;
        res->event = tw_order_step(it, res->note, op);
        if (!res->event) {
            refusal(item, op, res->reason, sizeof(res->reason));
            if (res->reason[0])
                ret = TW_ERR_INVAL;
            goto out;
        }
        ret = tw_store_update(store, it, res->note);
    } else {
        bool changed;
        log_info("change %s of %s sorts before %s: folding the item again", op->id, it->id,
                 last_id);
        ret = tw_converge_refold(store, it, res->note, &changed);
        if (!ret && changed)
            res->event = event_of(item->state, it);
    }
    if (!ret && res->event)
        ret = tw_store_history_add(store, now, it->id, tw_cmd_name(cmd->type), cmd->author,
                                   cmd->source, op->note[0] ? op->note : NULL);
out:
    if (ret && ret != TW_ERR_INVAL)
        res->event = NULL;
    free(op);
    return ret;
}

int64_t tw_converge_pending(tw_store *store)
{
    sqlite3_stmt *st = tw_store_cached(store, Q_PENDING_COUNT, sql_pending_count);
    if (!st)
        return TW_ERR_DB;
    int rc = sqlite3_step(st);
    int64_t count = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    finish(st);
    return rc == SQLITE_ROW ? count : tw_store_fail(store, rc, "count kept changes");
}

int tw_converge_keep(tw_store *store, const tw_command *cmd, int64_t now)
{
    if (!store || !cmd)
        return TW_ERR_INVAL;
    int64_t count = tw_converge_pending(store);
    if (count < 0)
        return (int)count;
    sqlite3_stmt *st;
    int rc;
    if (count >= TW_CONVERGE_PENDING_MAX) {
        st = tw_store_cached(store, Q_PRUNE, sql_prune);
        if (!st)
            return TW_ERR_DB;
        sqlite3_bind_int64(st, 1, count - TW_CONVERGE_PENDING_MAX + 1);
        rc = sqlite3_step(st);
        finish(st);
        if (rc != SQLITE_DONE)
            return tw_store_fail(store, rc, "drop old kept changes");
        log_warn("%d changes wait for posts never seen; the oldest give way",
                 TW_CONVERGE_PENDING_MAX);
    }
    tw_op *op = tw_xcalloc(1, sizeof(*op));
    op->type = cmd->type;
    op->ts = tw_order_time(cmd->ts, now);
    if (cmd->id[0])
        tw_strlcpy(op->id, cmd->id, sizeof(op->id));
    else
        tw_order_cmd_id(cmd, cmd->ref, op->ts, op->id);
    tw_strlcpy(op->by, cmd->author, sizeof(op->by));
    tw_strlcpy(op->note, cmd->type == TW_CMD_RESOLVE ? cmd->note : "", sizeof(op->note));
    int ret = add(store, op, "", cmd->ref, cmd->source, now);
    free(op);
    return ret;
}

/* Does a kept change's ref name item (its id, or a prefix of its hash)? */
static bool names(const char *ref, const tw_item *item, const char *hash)
{
    if (strcmp(ref, item->id) == 0)
        return true;
    char norm[TW_REF_SIZE];
    return tw_store_normalize_ref(ref, norm) && strncmp(hash, norm, strlen(norm)) == 0;
}

int tw_converge_posted(tw_store *store, tw_item *item, char *note, bool *changed)
{
    if (!store || !item || !note || !changed)
        return TW_ERR_INVAL;
    *changed = false;
    sqlite3_stmt *st = tw_store_cached(store, Q_PENDING, sql_pending);
    if (!st)
        return TW_ERR_DB;
    char hash[TW_REF_SIZE];
    tw_store_hash_id(item->id, hash);
    /* Collect first: attaching while stepping would move rows under the
     * cursor. Nearly always none (one index seek). */
    char(*ids)[TW_ID_SIZE] = NULL;
    size_t n = 0, cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *ref = (const char *)sqlite3_column_text(st, 1);
        if (!ref || !names(ref, item, hash))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 4;
            ids = tw_xrealloc(ids, cap * sizeof(*ids));
        }
        tw_strlcpy(ids[n++], (const char *)sqlite3_column_text(st, 0), TW_ID_SIZE);
    }
    finish(st);
    int ret = rc == SQLITE_DONE ? 0 : tw_store_fail(store, rc, "kept changes");
    for (size_t i = 0; !ret && i < n; i++) {
        st = tw_store_cached(store, Q_ATTACH, sql_attach);
        if (!st) {
            ret = TW_ERR_DB;
            break;
        }
        bind_text(st, 1, ids[i]);
        bind_text(st, 2, item->id);
        rc = sqlite3_step(st);
        finish(st);
        if (rc != SQLITE_DONE)
            ret = tw_store_fail(store, rc, "attach a kept change");
    }
    free(ids);
    if (!ret && n) {
        log_info("%s: %zu change(s) that came before it applied", item->id, n);
        ret = tw_converge_refold(store, item, note, changed);
    }
    return ret;
}
