/* SPDX-License-Identifier: MIT */
/*
 * The ordering rule of several boards (order.h): ids from the message, the
 * time a command counts at, the total order of state changes and the fold
 * over them. Pure: values in, values out, so tests/test_order.c checks it
 * with tables and every permutation of a set of changes.
 */
#define _POSIX_C_SOURCE 200809L
#include "order.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "util.h"

int64_t tw_order_time(int64_t cmd_ts, int64_t now)
{
    if (tw_order_untimed(cmd_ts, now))
        return now;
    return cmd_ts;
}

bool tw_order_untimed(int64_t cmd_ts, int64_t now)
{
    return cmd_ts <= 0 || cmd_ts > now + TW_ORDER_SKEW_S;
}

/* Fields joined by the unit separator (never in cleaned text: control
 * characters are removed), hashed twice with different salts: 80 bits,
 * so two different messages do not share an id in any team's lifetime. */
static void derive(const char *prefix, const char *const *fields, size_t n, char out[TW_ID_SIZE])
{
    size_t len = 2;
    for (size_t i = 0; i < n; i++)
        len += strlen(fields[i]) + 1;
    char *m = tw_xmalloc(len + 1);
    size_t o = 0;
    m[o++] = 'a'; /* the salt, replaced below */
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(fields[i]);
        memcpy(m + o, fields[i], l);
        o += l;
        m[o++] = '\x1f';
    }
    m[o] = '\0';
    char h1[TW_REF_SIZE], h2[TW_REF_SIZE];
    tw_store_hash_id(m, h1);
    m[0] = 'b';
    tw_store_hash_id(m, h2);
    free(m);
    snprintf(out, TW_ID_SIZE, "%s%s%.4s", prefix, h1, h2);
}

void tw_order_post_id(const tw_command *cmd, char out[TW_ID_SIZE])
{
    char ts[24];
    snprintf(ts, sizeof(ts), "%lld", (long long)(cmd->ts > 0 ? cmd->ts : 0));
    const char *f[] = {tw_kind_name(cmd->kind), cmd->text, cmd->author, cmd->source, ts};
    derive("m-", f, TW_ARRAY_LEN(f), out);
}

void tw_order_cmd_id(const tw_command *cmd, const char *ref, int64_t ts, char out[TW_ID_SIZE])
{
    char t[24];
    snprintf(t, sizeof(t), "%lld", (long long)ts);
    const char *f[] = {tw_cmd_name(cmd->type), ref, cmd->author, cmd->note, t};
    derive("c-", f, TW_ARRAY_LEN(f), out);
}

int tw_order_cmp(int64_t ts_a, const char *id_a, int64_t ts_b, const char *id_b)
{
    if (ts_a != ts_b)
        return ts_a < ts_b ? -1 : 1;
    return strcmp(id_a, id_b);
}

int tw_order_op_cmp(const void *a, const void *b)
{
    const tw_op *x = a, *y = b;
    return tw_order_cmp(x->ts, x->id, y->ts, y->id);
}

const char *tw_order_step(tw_item *it, char *note, const tw_op *op)
{
    switch (op->type) {
    case TW_CMD_CLAIM:
        if (it->kind == TW_KIND_WIN || it->state == TW_STATE_RESOLVED)
            return NULL;
        if (it->state == TW_STATE_CLAIMED && strcmp(it->claimed_by, op->by) == 0)
            return NULL;
        it->state = TW_STATE_CLAIMED;
        it->claimed = op->ts;
        tw_strlcpy(it->claimed_by, op->by, sizeof(it->claimed_by));
        it->updated = op->ts;
        return "claimed";
    case TW_CMD_RESOLVE:
        if (it->state == TW_STATE_RESOLVED)
            return NULL;
        it->state = TW_STATE_RESOLVED;
        it->resolved = op->ts;
        tw_strlcpy(it->resolved_by, op->by, sizeof(it->resolved_by));
        tw_strlcpy(note, op->note, TW_NOTE_SIZE);
        it->updated = op->ts;
        return "resolved";
    case TW_CMD_REOPEN:
        if (it->state != TW_STATE_RESOLVED)
            return NULL;
        it->state = TW_STATE_OPEN;
        it->claimed = 0;
        it->resolved = 0;
        it->claimed_by[0] = '\0';
        it->resolved_by[0] = '\0';
        note[0] = '\0';
        it->updated = op->ts;
        return "reopened";
    case TW_CMD_POST:
    case TW_CMD_REDACT: break; /* not state changes (firmware/retention.c) */
    }
    return NULL;
}

bool tw_order_fold(tw_item *item, char *note, tw_op *ops, size_t n)
{
    tw_item before = *item;
    char *before_note = tw_xstrdup(note);
    item->state = TW_STATE_OPEN;
    item->claimed = item->resolved = 0;
    item->claimed_by[0] = item->resolved_by[0] = '\0';
    item->updated = item->created;
    note[0] = '\0';
    if (n)
        qsort(ops, n, sizeof(*ops), tw_order_op_cmp);
    for (size_t i = 0; i < n; i++)
        tw_order_step(item, note, &ops[i]);
    bool changed = before.state != item->state || before.claimed != item->claimed ||
                   before.resolved != item->resolved || before.updated != item->updated ||
                   strcmp(before.claimed_by, item->claimed_by) != 0 ||
                   strcmp(before.resolved_by, item->resolved_by) != 0 ||
                   strcmp(before_note, note) != 0;
    free(before_note);
    return changed;
}
