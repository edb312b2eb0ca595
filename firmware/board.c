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

#include "converge.h"
#include "log.h"
#include "model.h"
#include "retention.h"
#include "order.h"
#include "text.h"
#include "util.h"

/* The board's name, for its logs (ids no longer carry it: every board
 * derives a post's id from the message, firmware/order.h). */
#define NAME_MAX_CHARS 40
#define DEFAULT_AUTHOR "someone"
#define DEFAULT_SOURCE "mqtt"

/* What a command will change, decided before anything is written. */
typedef struct change {
    const char *event; /* "posted", ...; NULL: no change */
    tw_item after;
    const char *note;            /* the item's note, for the event; NULL or into note_buf */
    char note_buf[TW_NOTE_SIZE]; /* a resolve's note */
    bool wrote;                  /* the change log grew (even when nothing changed) */
    bool reload;                 /* other items' refs moved: reload the model */
} change;

struct tw_board {
    tw_store *store;
    tw_model *model; /* open and claimed items */
    bool dirty;
    uint64_t version, reloads;
    tw_board_event_fn event_fn;
    void *event_ctx;
    char name[NAME_MAX_CHARS + 1];
    /* One command's scratch, kept: a post under a flood allocated and
     * zeroed 6.5 KB here, and a large malloc makes glibc consolidate its
     * fast bins each time (2 % of a post in the profile). Commands are
     * applied one at a time, never reentered. */
    change ch;
    tw_converge_result cr;
};

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
    board->reloads++;
    touch(board);
    return 0;
}

/* An insert lengthened other items' refs (an older item arrived late):
 * those that are open take their new ref from the store, each an O(log n)
 * replace. Reloading every open item instead cost each such post a read of
 * the whole open set: at 100,000 posts from 4 publishers, about one post in
 * a hundred (P2 fell from 37 to 135 µs of board CPU a post). */
static void refs_moved(tw_board *b)
{
    const int64_t *seqs;
    size_t n = tw_store_last_moved(b->store, &seqs);
    if (n == SIZE_MAX) {
        tw_board_reload(b);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const tw_item_view *v = tw_model_find_seq(b->model, seqs[i]);
        if (!v)
            continue; /* resolved: the model does not hold it */
        tw_item it;
        char id[TW_ID_SIZE];
        tw_strlcpy(id, v->id, sizeof(id));
        if (tw_store_get(b->store, id, &it) == 0)
            tw_model_put(b->model, &it);
        else
            tw_board_reload(b);
    }
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

uint64_t tw_board_reloads(const tw_board *board)
{
    return board ? board->reloads : 0;
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
        if (cmd->id[0] && !tw_id_valid(cmd->id)) {
            reject(res, "id must be 1-%d of [A-Za-z0-9._:-]", TW_ID_MAX);
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
    /* Whether the id is known is asked only if the insert refuses it:
     * under a flood nearly every post is new, and the lookup was a fifth of
     * a post's statements. Without an id, every board derives the same one
     * from the message (firmware/order.h). */
    if (cmd->id[0])
        tw_strlcpy(it->id, cmd->id, sizeof(it->id));
    else
        tw_order_post_id(cmd, it->id);
    it->kind = cmd->kind;
    it->state = TW_STATE_OPEN;
    tw_strlcpy(it->text, cmd->text, sizeof(it->text));
    tw_strlcpy(it->author, cmd->author, sizeof(it->author));
    tw_strlcpy(it->source, cmd->source, sizeof(it->source));
    it->created = tw_order_time(cmd->ts, now);
    it->updated = it->created;
    uint64_t moved = tw_store_refs_moved(b->store);
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
    /* Changes to it that arrived first (another topic) apply now. */
    bool folded;
    ret = tw_converge_posted(b->store, it, ch->note_buf, &folded);
    if (ret)
        return store_failed(res, ret);
    (void)folded; /* "posted" carries the item as it now is, and no note */
    ch->reload = tw_store_refs_moved(b->store) != moved;
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
        if (ret == TW_ERR_NOTFOUND) {
            /* Its post may come yet (another topic, a catch-up): kept. A
             * redaction is not: it names an item someone saw on a wall. */
            int kept = cmd->type == TW_CMD_REDACT ? 1 : tw_converge_keep(b->store, cmd, now);
            if (kept < 0)
                return store_failed(res, kept);
            ch->wrote = kept == 0;
            reject(res, "unknown ref %s", shown);
        } else {
            reject(res, "ambiguous ref %s; use more characters", shown);
        }
        memset(&res->item, 0, sizeof(res->item));
        return ret;
    }
    if (ret)
        return store_failed(res, ret);
    if (cmd->type == TW_CMD_REDACT) {
        /* Its own writes (items, history, the search index), the same on
         * every board whenever it comes: firmware/retention.c. */
        ch->after = res->item;
        if (tw_retention_redacted(&ch->after))
            return 0;
        ret = tw_retention_redact(b->store, &ch->after, cmd->author, cmd->source, now);
        if (ret)
            return store_failed(res, ret);
        ch->event = "redacted";
        return 0;
    }

    tw_converge_result *cr = &b->cr;
    ret = tw_converge_apply(b->store, cmd, &res->item, now, cr);
    ch->wrote = cr->wrote;
    if (ret == TW_ERR_INVAL) {
        reject(res, "%s", cr->reason);
    } else if (ret) {
        store_failed(res, ret);
    } else if (cr->event) {
        ch->event = cr->event;
        ch->after = cr->after;
        tw_strlcpy(ch->note_buf, cr->note, sizeof(ch->note_buf));
        ch->note = strcmp(cr->event, "resolved") == 0 ? ch->note_buf : NULL;
    }
    return ret;
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
    change *ch = &board->ch;
    /* Everything but the buffers, which are written before they are read. */
    ch->event = NULL;
    ch->note = NULL;
    ch->note_buf[0] = '\0';
    ch->wrote = ch->reload = false;
    if (c.type == TW_CMD_POST)
        ret = do_post(board, &c, now, res, ch);
    else
        ret = do_item_cmd(board, &c, now, res, ch);
    bool refused = ret == TW_ERR_INVAL || ret == TW_ERR_NOTFOUND || ret == TW_ERR_AMBIGUOUS;
    if (ret)
        ch->event = NULL;
    if (own) {
        /* A no-op or a refused change may still have been logged (it can
         * take effect once an earlier change or its post arrives): what was
         * written is committed, a store failure is not. */
        if ((!ret || refused) && (ch->event || ch->wrote)) {
            int rc = tw_store_commit(board->store);
            if (rc) {
                ch->event = NULL;
                ret = store_failed(res, rc);
            }
        }
        /* Whatever is left (nothing written, or a failed commit) ends here. */
        tw_store_rollback(board->store);
    }
    if (!ret && ch->event) {
        res->changed = true;
        res->item = ch->after;
        if (ch->reload)
            refs_moved(board); /* other items' refs moved */
        tw_model_put(board->model, &ch->after);
        touch(board);
        if (board->event_fn)
            board->event_fn(board->event_ctx, ch->event, &ch->after, ch->note);
    }
    return ret;
}
