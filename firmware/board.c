/* SPDX-License-Identifier: MIT */
/*
 * The board: the one door in. tw_board_apply() cleans and validates a
 * command, resolves its ref, decides what changes (posts are idempotent by
 * id; claim, resolve and reopen by state), writes the change and a history
 * row to the store, and only once the store has accepted it updates the
 * in-memory model of open items, the dirty flag and the version, and reports
 * the event. A store failure therefore leaves the model exactly as it was, and
 * a caller that rolls back a batch reloads the model from the store.
 */
#define _POSIX_C_SOURCE 200809L
#define LOG_MODULE      "board"
#include "board.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "model.h"
#include "retention.h"
#include "text.h"
#include "util.h"

/* Room in an assigned id (TW_ID_MAX) for "-<ms>-<counter>": 8 base36
 * characters of milliseconds until the year 5138, up to 13 of counter. */
#define NAME_MAX_CHARS 40
#define DEFAULT_AUTHOR "someone"
#define DEFAULT_SOURCE "mqtt"

struct tw_board {
    tw_store *store;
    tw_model *model; /* open and claimed items */
    bool dirty;
    uint64_t version;
    tw_board_event_fn event_fn;
    void *event_ctx;
    char name[NAME_MAX_CHARS + 1];
    uint64_t counter; /* for assigned ids */
};

/* What a command will change, decided before anything is written. */
typedef struct change {
    const char *event; /* "posted", ...; NULL: no change */
    tw_item after;
    const char *note; /* resolve: the command's note */
} change;

static void reject(tw_board_result *res, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Set the reason a command was refused (or a store failure, for the log). */
static void reject(tw_board_result *res, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(res->reason, sizeof(res->reason), fmt, ap);
    va_end(ap);
}

/* ---- the model ---- */

static void touch(tw_board *b)
{
    b->dirty = true;
    b->version++;
}

static int load_one(void *ctx, const tw_item *item)
{
    tw_model_put(ctx, item);
    return 0;
}

int tw_board_reload(tw_board *board)
{
    if (!board)
        return TW_ERR_INVAL;
    tw_model *m = tw_model_create();
    int ret = tw_store_each(board->store, false, load_one, m);
    if (ret) {
        /* Keep the old model: better stale than empty. */
        tw_model_destroy(m);
        return ret;
    }
    tw_model_destroy(board->model);
    board->model = m;
    touch(board);
    return 0;
}

int tw_board_create(tw_store *store, tw_board **out)
{
    if (!store || !out)
        return TW_ERR_INVAL;
    *out = NULL;
    tw_board *b = tw_xcalloc(1, sizeof(*b));
    b->store = store;
    tw_strlcpy(b->name, "board", sizeof(b->name));
    int ret = tw_board_reload(b);
    if (ret) {
        tw_board_destroy(b);
        return ret;
    }
    *out = b;
    return 0;
}

void tw_board_destroy(tw_board *board)
{
    if (!board)
        return;
    tw_model_destroy(board->model);
    free(board);
}

void tw_board_set_event_handler(tw_board *board, tw_board_event_fn fn, void *ctx)
{
    if (!board)
        return;
    board->event_fn = fn;
    board->event_ctx = ctx;
}

void tw_board_set_name(tw_board *board, const char *name)
{
    if (!board)
        return;
    /* The name becomes part of ids, so it is made to fit their alphabet
     * rather than refused: a host name like "wall 1" gives "wall-1". */
    size_t n = 0;
    for (const char *p = name ? name : ""; *p && n < NAME_MAX_CHARS; p++) {
        char c = *p;
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '_' || c == ':' || c == '-';
        board->name[n++] = ok ? c : '-';
    }
    board->name[n] = '\0';
    if (n == 0)
        tw_strlcpy(board->name, "board", sizeof(board->name));
}

size_t tw_board_count(const tw_board *board, tw_kind kind)
{
    return board ? tw_model_count(board->model, kind) : 0;
}

const tw_item_view *tw_board_first(const tw_board *board, tw_kind kind)
{
    return board ? tw_model_first(board->model, kind) : NULL;
}

const tw_item_view *tw_board_last(const tw_board *board, tw_kind kind)
{
    return board ? tw_model_last(board->model, kind) : NULL;
}

const tw_item_view *tw_board_next(const tw_board *board, const tw_item_view *it)
{
    return board ? tw_model_next(board->model, it) : NULL;
}

const tw_item_view *tw_board_prev(const tw_board *board, const tw_item_view *it)
{
    return board ? tw_model_prev(board->model, it) : NULL;
}

const tw_item_view *tw_board_at(const tw_board *board, tw_kind kind, size_t index)
{
    return board ? tw_model_at(board->model, kind, index) : NULL;
}

size_t tw_board_rank(const tw_board *board, const tw_item_view *it)
{
    return board ? tw_model_rank(board->model, it) : 0;
}

const tw_item_view *tw_board_find_seq(const tw_board *board, int64_t seq)
{
    return board ? tw_model_find_seq(board->model, seq) : NULL;
}

const tw_item_view *tw_board_find_id(const tw_board *board, const char *id)
{
    return board ? tw_model_find_id(board->model, id) : NULL;
}

int64_t tw_board_seq_high(const tw_board *board)
{
    return board ? tw_model_seq_high(board->model) : 0;
}

size_t tw_board_model_bytes(const tw_board *board)
{
    return board ? tw_model_bytes(board->model) : 0;
}

bool tw_board_dirty(const tw_board *board)
{
    return board && board->dirty;
}

void tw_board_clear_dirty(tw_board *board)
{
    if (board)
        board->dirty = false;
}

uint64_t tw_board_version(const tw_board *board)
{
    return board ? board->version : 0;
}

/* ---- validation ---- */

/* Clean field (a command buffer of in_size bytes) into out; on failure the
 * reason reads "<field> is empty", "<field> is not valid UTF-8", ... */
static int clean(const char *field, const char *in, size_t in_size, size_t min, size_t max,
                 char *out, size_t out_size, tw_board_result *res)
{
    const char *why = NULL;
    int ret = tw_text_clean(in, strnlen(in, in_size), min, max, out, out_size, &why);
    if (ret) {
        if (!why)
            why = "is not valid";
        else if (strcmp(why, "invalid UTF-8") == 0)
            why = "is not valid UTF-8";
        reject(res, "%s %s", field, why);
        return TW_ERR_INVAL;
    }
    return 0;
}

/* Clean a person's name; empty means DEFAULT_AUTHOR. */
static int clean_person(const char *field, const char *in, char out[TW_AUTHOR_SIZE],
                        tw_board_result *res)
{
    int ret = clean(field, in, TW_AUTHOR_SIZE, 0, TW_AUTHOR_MAX_CHARS, out, TW_AUTHOR_SIZE, res);
    if (!ret && !out[0])
        tw_strlcpy(out, DEFAULT_AUTHOR, TW_AUTHOR_SIZE);
    return ret;
}

/* Clean cmd in place (strings, defaults); sets res->reason on rejection. */
static int validate(tw_command *cmd, tw_board_result *res)
{
    /* The command is a copy of the caller's: make sure every buffer ends. */
    cmd->id[sizeof(cmd->id) - 1] = '\0';
    cmd->ref[sizeof(cmd->ref) - 1] = '\0';
    cmd->source[sizeof(cmd->source) - 1] = '\0';

    char buf[TW_NOTE_SIZE];
    if ((unsigned)cmd->type > TW_CMD_REDACT) {
        reject(res, "unknown command");
        return TW_ERR_INVAL;
    }
    if (cmd->type == TW_CMD_POST) {
        if ((unsigned)cmd->kind >= TW_KIND_COUNT) {
            reject(res, "kind must be blocker, question or win");
            return TW_ERR_INVAL;
        }
        if (clean("text", cmd->text, sizeof(cmd->text), 1, TW_TEXT_MAX_CHARS, buf, sizeof(buf),
                  res))
            return TW_ERR_INVAL;
        tw_strlcpy(cmd->text, buf, sizeof(cmd->text));
        if (cmd->id[0] && !tw_id_valid(cmd->id)) {
            reject(res, "id must be 1-%d of [A-Za-z0-9._:-]", TW_ID_MAX);
            return TW_ERR_INVAL;
        }
    } else {
        if (!cmd->ref[0]) {
            reject(res, "ref is empty");
            return TW_ERR_INVAL;
        }
    }
    if (clean_person(cmd->type == TW_CMD_POST ? "author" : "by", cmd->author, buf, res))
        return TW_ERR_INVAL;
    tw_strlcpy(cmd->author, buf, sizeof(cmd->author));
    if (!cmd->source[0]) {
        tw_strlcpy(cmd->source, DEFAULT_SOURCE, sizeof(cmd->source));
    } else if (!tw_source_valid(cmd->source)) {
        reject(res, "source must be 1-%d of [a-z0-9_-]", TW_SOURCE_MAX);
        return TW_ERR_INVAL;
    }
    if (cmd->type == TW_CMD_RESOLVE) {
        if (clean("note", cmd->note, sizeof(cmd->note), 0, TW_NOTE_MAX_CHARS, buf, sizeof(buf),
                  res))
            return TW_ERR_INVAL;
        tw_strlcpy(cmd->note, buf, sizeof(cmd->note));
    } else {
        cmd->note[0] = '\0';
    }
    return 0;
}

/* ---- commands ---- */

static void base36(uint64_t v, char *out, size_t size)
{
    char tmp[16];
    size_t n = 0;
    do {
        tmp[n++] = "0123456789abcdefghijklmnopqrstuvwxyz"[v % 36];
        v /= 36;
    } while (v && n < sizeof(tmp));
    size_t i = 0;
    for (; i < n && i + 1 < size; i++)
        out[i] = tmp[n - 1 - i];
    out[i] = '\0';
}

/* "<name>-<unix ms>-<counter>", both numbers in base36, that the store does
 * not know yet. The milliseconds follow now (so a fixed clock gives
 * repeatable ids); the counter, bumped past any id already stored (a restart
 * within the same millisecond, or a fixed clock), makes it unique. */
static int assign_id(tw_board *b, int64_t now, char out[TW_ID_SIZE])
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t ms = now > 0 ? (uint64_t)now * 1000 : 0;
    if ((int64_t)ts.tv_sec == now)
        ms += (uint64_t)(ts.tv_nsec / 1000000);
    char m[16], c[16];
    base36(ms, m, sizeof(m));
    tw_item *tmp = tw_xmalloc(sizeof(*tmp));
    int ret;
    for (;;) {
        base36(b->counter++, c, sizeof(c));
        /* Cannot truncate: 40 + 1 + 9 (ms until the year 3000) + 1 + 13 <= 64. */
        int n = snprintf(out, TW_ID_SIZE, "%s-%s-%s", b->name, m, c);
        if (n < 0 || n >= TW_ID_SIZE) {
            log_error("assigned id does not fit: %s", out);
            ret = TW_ERR_INVAL;
            break;
        }
        ret = tw_store_get(b->store, out, tmp);
        if (ret == TW_ERR_NOTFOUND) {
            ret = 0;
            break;
        }
        if (ret)
            break;
    }
    free(tmp);
    return ret;
}

static int store_failed(tw_board_result *res, int ret)
{
    reject(res, "storage failed: %s", tw_strerror(ret));
    return ret;
}

static int do_post(tw_board *b, const tw_command *cmd, int64_t now, tw_board_result *res,
                   change *ch)
{
    int ret;
    tw_item *it = &ch->after;
    memset(it, 0, sizeof(*it));
    if (cmd->id[0]) {
        /* Whether the id is known is asked only if the insert refuses it:
         * under a flood nearly every post is new, and the lookup was a
         * fifth of a post's statements. */
        tw_strlcpy(it->id, cmd->id, sizeof(it->id));
    } else {
        ret = assign_id(b, now, it->id);
        if (ret)
            return store_failed(res, ret);
    }
    it->kind = cmd->kind;
    it->state = TW_STATE_OPEN;
    tw_strlcpy(it->text, cmd->text, sizeof(it->text));
    tw_strlcpy(it->author, cmd->author, sizeof(it->author));
    tw_strlcpy(it->source, cmd->source, sizeof(it->source));
    it->created = cmd->ts <= 0 || cmd->ts > now ? now : cmd->ts;
    it->updated = now;
    ret = tw_store_insert(b->store, it);
    if (ret == TW_ERR_INVAL) {
        ret = tw_store_get(b->store, it->id, &res->item);
        if (ret == 0)
            return 0; /* already posted: a producer's retry */
        if (ret != TW_ERR_NOTFOUND)
            return store_failed(res, ret);
        /* A new id, so every short ref is taken. */
        reject(res, "no free short reference for id %s; use another id", it->id);
        return TW_ERR_INVAL;
    }
    if (ret)
        return store_failed(res, ret);
    ret = tw_store_history_add(b->store, now, it->id, "post", it->author, it->source, NULL);
    if (ret)
        return store_failed(res, ret);
    ch->event = "posted";
    return 0;
}

static int do_item_cmd(tw_board *b, const tw_command *cmd, int64_t now, tw_board_result *res,
                       change *ch)
{
    int ret = tw_store_find_ref(b->store, cmd->ref, &res->item);
    if (ret == TW_ERR_NOTFOUND || ret == TW_ERR_AMBIGUOUS) {
        char shown[80];
        tw_text_escape_head(cmd->ref, strlen(cmd->ref), 64, shown, sizeof(shown));
        if (ret == TW_ERR_NOTFOUND)
            reject(res, "unknown ref %s", shown);
        else
            reject(res, "ambiguous ref %s; use more characters", shown);
        memset(&res->item, 0, sizeof(res->item));
        return ret;
    }
    if (ret)
        return store_failed(res, ret);

    tw_item *it = &ch->after;
    *it = res->item;
    switch (cmd->type) {
    case TW_CMD_CLAIM:
        if (it->kind == TW_KIND_WIN) {
            reject(res, "wins cannot be claimed");
            return TW_ERR_INVAL;
        }
        if (it->state == TW_STATE_RESOLVED) {
            reject(res, "%s is resolved; reopen it first", it->ref);
            return TW_ERR_INVAL;
        }
        if (it->state == TW_STATE_CLAIMED && strcmp(it->claimed_by, cmd->author) == 0)
            return 0;
        it->state = TW_STATE_CLAIMED;
        it->claimed = now;
        tw_strlcpy(it->claimed_by, cmd->author, sizeof(it->claimed_by));
        ch->event = "claimed";
        break;
    case TW_CMD_RESOLVE:
        if (it->state == TW_STATE_RESOLVED)
            return 0;
        it->state = TW_STATE_RESOLVED;
        it->resolved = now;
        tw_strlcpy(it->resolved_by, cmd->author, sizeof(it->resolved_by));
        ch->note = cmd->note;
        ch->event = "resolved";
        break;
    case TW_CMD_REOPEN:
        if (it->state != TW_STATE_RESOLVED)
            return 0;
        it->state = TW_STATE_OPEN;
        it->claimed = 0;
        it->resolved = 0;
        it->claimed_by[0] = '\0';
        it->resolved_by[0] = '\0';
        ch->event = "reopened";
        break;
    case TW_CMD_REDACT:
        /* Its own writes (items, history, the search index): firmware/retention.c. */
        if (tw_retention_redacted(it))
            return 0;
        ret = tw_retention_redact(b->store, it, cmd->author, cmd->source, now);
        if (ret)
            goto failed;
        ch->event = "redacted";
        return 0;
    default: return TW_ERR_INVAL; /* validate() let only these through */
    }
    it->updated = now;
    ret = tw_store_update(b->store, it, ch->note);
    if (ret)
        goto failed;
    ret = tw_store_history_add(b->store, now, it->id, tw_cmd_name(cmd->type), cmd->author,
                               cmd->source, cmd->note[0] ? cmd->note : NULL);
    if (ret)
        goto failed;
    return 0;
failed:
    ch->event = NULL;
    return store_failed(res, ret);
}

/*
 * In the caller's transaction a store failure can leave half a command
 * written (the item updated, its history row not): the caller is told not to
 * acknowledge, and must roll the batch back and reload, as the header says.
 */
int tw_board_apply(tw_board *board, const tw_command *cmd, int64_t now, tw_board_result *res)
{
    tw_board_result scratch;
    if (!res)
        res = &scratch;
    memset(res, 0, sizeof(*res));
    if (!board || !cmd) {
        reject(res, "invalid argument");
        return TW_ERR_INVAL;
    }
    tw_command c = *cmd;
    int ret = validate(&c, res);
    if (ret)
        return ret;

    /* Inside the caller's batch transaction, or in one of our own so the
     * item and its history row land together. Reads happen inside too, so
     * what is decided is what gets written. */
    bool own = !tw_store_in_transaction(board->store);
    if (own) {
        ret = tw_store_begin(board->store);
        if (ret)
            return store_failed(res, ret);
    }
    change ch = {0};
    if (c.type == TW_CMD_POST)
        ret = do_post(board, &c, now, res, &ch);
    else
        ret = do_item_cmd(board, &c, now, res, &ch);
    if (ret)
        ch.event = NULL;
    if (own) {
        if (!ret && ch.event) {
            ret = tw_store_commit(board->store);
            if (ret) {
                ch.event = NULL;
                store_failed(res, ret);
            }
        }
        /* Rejections and no-ops wrote nothing; a failed commit may leave the
         * transaction open. Either way end it. */
        tw_store_rollback(board->store);
    }
    if (ret || !ch.event)
        return ret;

    res->changed = true;
    res->item = ch.after;
    tw_model_put(board->model, &ch.after);
    touch(board);
    if (board->event_fn)
        board->event_fn(board->event_ctx, ch.event, &ch.after, ch.note);
    return 0;
}
