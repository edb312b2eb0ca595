/* SPDX-License-Identifier: MIT */
/*
 * The message codec: PROTOCOL.md's JSON payloads to tw_command values, and
 * tw_item values back to JSON. It checks shape only (JSON syntax, an object,
 * required keys, JSON types, what fits a tw_command buffer) and copies strings
 * as they are: the text, id and ref rules are the board's, applied once for
 * every input. Payloads come straight off the network, so the decoder bounds
 * everything before cJSON sees it: nesting depth, NUL bytes, trailing bytes.
 * The reasons it gives are published to producers on .../rejected, so they
 * are short, lower-case and say what to fix.
 */
#define LOG_MODULE "codec"
#include "codec.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "text.h"
#include "util.h"

/* A command is a flat object; this leaves room for producers' own nested
 * metadata under unknown keys while keeping cJSON's recursion (parse and
 * delete) shallow whatever the payload. */
#define MAX_DEPTH 8

/* How much of an unknown kind is echoed back in the reason. */
#define KIND_ECHO 32

/* 9999-12-31T23:59:59Z: the last time tw_time_format can write. */
#define TS_MAX 253402300799.0

static int fail(int status, char *reason, size_t reason_size, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail(int status, char *reason, size_t reason_size, const char *fmt, ...)
{
    if (reason && reason_size) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(reason, reason_size, fmt, ap);
        va_end(ap);
    }
    return status;
}

/* What a scan of the raw bytes finds before parsing. */
struct scan {
    bool too_deep;
    bool nul_escape; /* "\u0000" inside a string */
};

/*
 * One pass over the raw payload, tracking strings so that brackets and
 * escapes inside them are not miscounted. In valid JSON a backslash appears
 * only inside strings and always starts an escape, so the pairwise skip is
 * exact; on invalid JSON the result does not matter, cJSON rejects it anyway.
 */
static struct scan scan_payload(const char *p, size_t len)
{
    struct scan sc = {false, false};
    bool in_string = false;
    int depth = 0;

    for (size_t i = 0; i < len; i++) {
        char c = p[i];
        if (in_string) {
            if (c == '\\') {
                if (i + 5 < len && p[i + 1] == 'u' && memcmp(p + i + 2, "0000", 4) == 0)
                    sc.nul_escape = true;
                i++;
            } else if (c == '"') {
                in_string = false;
            }
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > MAX_DEPTH) {
                sc.too_deep = true;
                return sc;
            }
        } else if (c == ']' || c == '}') {
            depth--;
        }
    }
    return sc;
}

/*
 * Parse len bytes of payload as one JSON value with nothing but white space
 * after it. The bytes are copied and terminated first: cJSON_ParseWithLength
 * has been seen to read one byte past the length it is given (cJSON issues
 * #775, #804), and the library is not built with our sanitizers, so nothing
 * would catch it.
 */
static cJSON *parse(const char *payload, size_t len)
{
    char *copy = tw_xmalloc(len + 1);
    memcpy(copy, payload, len);
    copy[len] = '\0';

    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(copy, len, &end, false);
    if (root) {
        /* Raw NUL bytes would cut strings short; JSON has none outside
         * escapes. Trailing NULs are tolerated: some C producers send the
         * terminator with the text. */
        size_t used = (size_t)(end - copy);
        bool bad = used > len || memchr(copy, '\0', used) != NULL;
        for (size_t i = used; !bad && i < len; i++)
            bad = copy[i] != ' ' && copy[i] != '\t' && copy[i] != '\n' && copy[i] != '\r' &&
                  copy[i] != '\0';
        if (bad) {
            cJSON_Delete(root);
            root = NULL;
        }
    }
    free(copy);
    return root;
}

/*
 * Copy the string under key into dst (size bytes). An absent key, or an
 * optional one set to null, leaves dst empty.
 */
static int get_string(const cJSON *obj, const char *key, bool required, char *dst, size_t size,
                      char *reason, size_t reason_size)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    dst[0] = '\0';
    if (!v) {
        if (required)
            return fail(TW_ERR_INVAL, reason, reason_size, "missing key: %s", key);
        return 0;
    }
    if (cJSON_IsNull(v) && !required)
        return 0;
    if (!cJSON_IsString(v) || !v->valuestring)
        return fail(TW_ERR_INVAL, reason, reason_size, "%s must be a string", key);
    size_t n = strlen(v->valuestring);
    if (n >= size)
        return fail(TW_ERR_INVAL, reason, reason_size, "%s is too long", key);
    memcpy(dst, v->valuestring, n + 1);
    return 0;
}

static int get_kind(const cJSON *obj, tw_kind *kind, char *reason, size_t reason_size)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, "kind");
    if (!v)
        return fail(TW_ERR_INVAL, reason, reason_size, "missing key: kind");
    if (!cJSON_IsString(v) || !v->valuestring)
        return fail(TW_ERR_INVAL, reason, reason_size, "kind must be a string");
    int k = tw_kind_parse(v->valuestring);
    if (k < 0) {
        /* Echo a bounded, printable head of what was sent. */
        char echo[KIND_ECHO * 4 + 1];
        tw_text_escape_head(v->valuestring, strlen(v->valuestring), KIND_ECHO, echo, sizeof echo);
        return fail(TW_ERR_INVAL, reason, reason_size, "unknown kind: %s", echo);
    }
    *kind = (tw_kind)k;
    return 0;
}

/* ts: an RFC 3339 string or a JSON number of whole non-negative Unix seconds;
 * absent or null leaves 0, "the time of receipt". */
static int get_ts(const cJSON *obj, int64_t *ts, char *reason, size_t reason_size)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, "ts");
    *ts = 0;
    if (!v || cJSON_IsNull(v))
        return 0;
    if (cJSON_IsString(v) && v->valuestring) {
        int64_t t;
        if (tw_time_parse(v->valuestring, &t) != 0 || t < 0)
            return fail(TW_ERR_INVAL, reason, reason_size,
                        "ts must be an RFC 3339 time or unix seconds");
        *ts = t;
        return 0;
    }
    if (cJSON_IsNumber(v)) {
        double d = v->valuedouble;
        /* The range check comes first so the cast below is defined; NaN and
         * infinities fail it too. */
        if (!(d >= 0 && d <= TS_MAX) || d != (double)(int64_t)d)
            return fail(TW_ERR_INVAL, reason, reason_size,
                        "ts must be whole non-negative unix seconds");
        *ts = (int64_t)d;
        return 0;
    }
    return fail(TW_ERR_INVAL, reason, reason_size, "ts must be a string or a number");
}

/* "id":"" is not "no id": a producer that retries it would post twice. */
static int id_not_empty(const cJSON *obj, char *reason, size_t rs)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, "id");
    if (cJSON_IsString(v) && v->valuestring && !v->valuestring[0])
        return fail(TW_ERR_INVAL, reason, rs, "id is empty (leave it out for none)");
    return 0;
}

/* {"text":"a","text":"b"}: cJSON would take one, the sender may mean the other. */
static int no_duplicate_keys(const cJSON *obj, char *reason, size_t rs)
{
    for (const cJSON *a = obj->child; a; a = a->next)
        for (const cJSON *b = a->next; b; b = b->next)
            if (a->string && b->string && strcmp(a->string, b->string) == 0) {
                char key[32 * 4 + 1]; /* echoed escaped: it may hold anything */
                tw_text_escape_head(a->string, strlen(a->string), 32, key, sizeof key);
                return fail(TW_ERR_INVAL, reason, rs, "key given twice: %s", key);
            }
    return 0;
}

static int decode_object(tw_cmd_type type, const cJSON *obj, tw_command *out, char *reason,
                         size_t rs)
{
    int rc;
    if (type == TW_CMD_POST) {
        if ((rc = get_kind(obj, &out->kind, reason, rs)) ||
            (rc = get_string(obj, "text", true, out->text, sizeof out->text, reason, rs)) ||
            (rc = get_string(obj, "author", false, out->author, sizeof out->author, reason, rs)) ||
            (rc = get_string(obj, "id", false, out->id, sizeof out->id, reason, rs)) ||
            (rc = id_not_empty(obj, reason, rs)) ||
            (rc = get_string(obj, "source", false, out->source, sizeof out->source, reason, rs)) ||
            (rc = get_ts(obj, &out->ts, reason, rs)))
            return rc;
        return 0;
    }
    /* id and ts: the change's command id and time, so that boards order an
     * item's changes alike (docs/SYNC.md). */
    if ((rc = get_string(obj, "ref", true, out->ref, sizeof out->ref, reason, rs)) ||
        (rc = get_string(obj, "by", false, out->author, sizeof out->author, reason, rs)) ||
        (rc = get_string(obj, "id", false, out->id, sizeof out->id, reason, rs)) ||
        (rc = get_ts(obj, &out->ts, reason, rs)))
        return rc;
    if (type == TW_CMD_RESOLVE)
        return get_string(obj, "note", false, out->note, sizeof out->note, reason, rs);
    return 0;
}

int tw_codec_decode(tw_cmd_type type, const void *payload, size_t len, tw_command *out,
                    char *reason, size_t reason_size)
{
    cJSON *root = NULL;
    int rc;

    if (reason && reason_size)
        reason[0] = '\0';
    if (!out || (!payload && len))
        return fail(TW_ERR_INVAL, reason, reason_size, "invalid argument");
    memset(out, 0, sizeof *out);
    if (type != TW_CMD_POST && type != TW_CMD_CLAIM && type != TW_CMD_RESOLVE &&
        type != TW_CMD_REOPEN && type != TW_CMD_REDACT)
        return fail(TW_ERR_INVAL, reason, reason_size, "unknown command");
    out->type = type;
    if (!len)
        return fail(TW_ERR_PARSE, reason, reason_size, "payload is empty");

    struct scan sc = scan_payload(payload, len);
    if (sc.too_deep)
        return fail(TW_ERR_PARSE, reason, reason_size, "JSON is nested too deeply");
    root = parse(payload, len);
    if (!root)
        return fail(TW_ERR_PARSE, reason, reason_size, "invalid JSON");
    if (sc.nul_escape) {
        rc = fail(TW_ERR_INVAL, reason, reason_size, "strings may not contain \\u0000");
        goto out;
    }
    if (!cJSON_IsObject(root)) {
        rc = fail(TW_ERR_INVAL, reason, reason_size, "payload must be a JSON object");
        goto out;
    }
    rc = no_duplicate_keys(root, reason, reason_size);
    if (!rc)
        rc = decode_object(type, root, out, reason, reason_size);
out:
    cJSON_Delete(root);
    if (rc) {
        /* Never hand back half a command. */
        memset(out, 0, sizeof *out);
        out->type = type;
    }
    return rc;
}

/* Encoding. cJSON reports running out of memory as NULL everywhere; the house
 * rule is to abort so the service restarts. */

static void oom(void)
{
    log_error("out of memory building JSON; aborting so the service restarts");
    abort();
}

static cJSON *new_object(void)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        oom();
    return o;
}

/* Keys are always string literals: added without a copy (CS: constant
 * string), which with the string references below halved the allocations
 * of an event, one per post under a flood. */
static void add(cJSON *o, const char *key, cJSON *v)
{
    if (!v || !cJSON_AddItemToObjectCS(o, key, v))
        oom();
}

/* s must outlive the object: an item's field, printed in the same call. */
static void add_ref(cJSON *o, const char *key, const char *s)
{
    add(o, key, cJSON_CreateStringReference(s));
}

/* Empty strings are JSON null: "nobody claimed it", not a name. */
static void add_ref_or_null(cJSON *o, const char *key, const char *s)
{
    add(o, key, s && *s ? cJSON_CreateStringReference(s) : cJSON_CreateNull());
}

static void add_str(cJSON *o, const char *key, const char *s)
{
    add(o, key, cJSON_CreateString(s ? s : ""));
}

/* Zero times are JSON null: "not yet". */
static void add_time(cJSON *o, const char *key, int64_t t)
{
    char buf[32];
    add(o, key, t ? cJSON_CreateString(tw_time_format(t, buf, sizeof buf)) : cJSON_CreateNull());
}

static char *print(cJSON *o)
{
    /* Printed on the stack, then copied at its size: no regrowing copies,
     * and no kilobyte buffer a message, which glibc treats as a large
     * request and consolidates its fast bins for (1.4 % of a post under a
     * flood); an event held for the broker takes what it needs. The rare
     * longer one is printed by cJSON into a buffer of its own. */
    char buf[4096];
    char *s;
    if (cJSON_PrintPreallocated(o, buf, (int)sizeof buf, 0))
        s = tw_xstrdup(buf);
    else
        s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (!s)
        oom();
    return s;
}

/* The retained state (up to 200 items): printed by cJSON at once, not
 * tried in print()'s buffer first. */
static char *print_large(cJSON *o)
{
    char *s = cJSON_PrintBuffered(o, 1024, 0);
    cJSON_Delete(o);
    if (!s)
        oom();
    return s;
}

static cJSON *view_object(const tw_item_view *item, const char *note)
{
    cJSON *o = new_object();
    add_ref(o, "id", item->id);
    add_ref(o, "ref", item->ref);
    add_ref(o, "kind", tw_kind_name(item->kind));
    add_ref(o, "text", item->text);
    add_ref(o, "author", item->author);
    add_ref(o, "source", item->source);
    add_ref(o, "state", tw_state_name(item->state));
    add_time(o, "created", item->created);
    add_ref_or_null(o, "claimed_by", item->claimed_by);
    add_time(o, "claimed", item->claimed);
    add_ref_or_null(o, "resolved_by", item->resolved_by);
    add_time(o, "resolved", item->resolved);
    add_ref_or_null(o, "note", note);
    add_time(o, "updated", item->updated);
    return o;
}

/* The strings stay item's: item must outlive the print. */
static cJSON *item_object(const tw_item *item, const char *note)
{
    tw_item_view v;
    tw_item_view_of(item, &v);
    return view_object(&v, note);
}

char *tw_codec_encode_command(const tw_command *cmd)
{
    if (!cmd)
        return NULL;
    cJSON *o;
    switch (cmd->type) {
    case TW_CMD_POST:
        o = new_object();
        add_str(o, "kind", tw_kind_name(cmd->kind));
        add_str(o, "text", cmd->text);
        if (cmd->author[0])
            add_str(o, "author", cmd->author);
        if (cmd->id[0])
            add_str(o, "id", cmd->id);
        if (cmd->source[0])
            add_str(o, "source", cmd->source);
        if (cmd->ts)
            add_time(o, "ts", cmd->ts);
        return print(o);
    case TW_CMD_CLAIM:
    case TW_CMD_RESOLVE:
    case TW_CMD_REOPEN:
    case TW_CMD_REDACT:
        o = new_object();
        add_str(o, "ref", cmd->ref);
        if (cmd->author[0])
            add_str(o, "by", cmd->author);
        if (cmd->type == TW_CMD_RESOLVE && cmd->note[0])
            add_str(o, "note", cmd->note);
        if (cmd->id[0])
            add_str(o, "id", cmd->id);
        if (cmd->ts)
            add_time(o, "ts", cmd->ts);
        return print(o);
    }
    return NULL;
}

char *tw_codec_item_json(const tw_item *item, const char *note)
{
    if (!item)
        return NULL;
    return print(item_object(item, note));
}

/* The figures object of the retained state (docs/FIGURES.md). */
static cJSON *figures_object(const tw_figures *f)
{
    cJSON *o = new_object();
    if (!f || !f->valid)
        return o;
    cJSON *clear = new_object();
    add(clear, "median_s", cJSON_CreateNumber((double)f->clear_median_s));
    add(clear, "count", cJSON_CreateNumber(f->clear_n));
    add(clear, "prev_median_s", cJSON_CreateNumber((double)f->clear_prev_median_s));
    add(clear, "prev_count", cJSON_CreateNumber(f->clear_prev_n));
    add(o, "blocker_clear", clear);
    cJSON *q = new_object();
    add(q, "asked", cJSON_CreateNumber(f->questions_asked));
    add(q, "decided", cJSON_CreateNumber(f->questions_decided));
    add(q, "answered_4h", cJSON_CreateNumber(f->questions_fast));
    int pct = tw_figures_fast_percent(f);
    add(q, "percent", pct < 0 ? cJSON_CreateNull() : cJSON_CreateNumber(pct));
    add(o, "questions", q);
    cJSON *days = cJSON_CreateArray();
    if (!days)
        oom();
    for (int d = 0; d < TW_FIG_DAYS; d++) {
        cJSON *day = new_object();
        char date[16];
        tw_figures_day_name(f, d, date, sizeof(date));
        add_str(day, "day", date);
        add(day, "opened", cJSON_CreateNumber(f->opened[d]));
        add(day, "cleared", cJSON_CreateNumber(f->cleared[d]));
        if (!cJSON_AddItemToArray(days, day))
            oom();
    }
    add(o, "blockers_per_day", days);
    add(o, "wins_week", cJSON_CreateNumber(f->wins_week));
    return o;
}

char *tw_codec_figures_json(const tw_figures *figures)
{
    return print(figures_object(figures));
}

char *tw_codec_state_json(const char *team, const char *board, int64_t now, const tw_item *items,
                          size_t count, size_t max_items)
{
    return tw_codec_state_json_figures(team, board, now, items, count, max_items, NULL);
}

char *tw_codec_state_json_figures(const char *team, const char *board, int64_t now,
                                  const tw_item *items, size_t count, size_t max_items,
                                  const tw_figures *figures)
{
    /* Blockers first, then questions, then wins, each in the given order,
     * until max_items: a wall with thousands of open items still publishes
     * a state that fits a broker's packet limit. */
    size_t open[TW_KIND_COUNT] = {0}, added = 0;
    for (size_t i = 0; items && i < count; i++)
        if ((unsigned)items[i].kind < TW_KIND_COUNT)
            open[items[i].kind]++;
    tw_item_view *views = tw_xmalloc((count ? count : 1) * sizeof(*views));
    const tw_item_view **picked = tw_xmalloc((count ? count : 1) * sizeof(*picked));
    for (int k = 0; k < TW_KIND_COUNT; k++) {
        for (size_t i = 0; items && i < count && added < max_items; i++) {
            if ((int)items[i].kind != k)
                continue;
            tw_item_view_of(&items[i], &views[added]);
            picked[added] = &views[added];
            added++;
        }
    }
    char *json = tw_codec_state_json_views(team, board, now, picked, added, open, figures);
    free(picked);
    free(views);
    return json;
}

char *tw_codec_state_json_views(const char *team, const char *board, int64_t now,
                                const tw_item_view *const *items, size_t n,
                                const size_t open[TW_KIND_COUNT], const tw_figures *figures)
{
    return tw_codec_state_json_standup(team, board, now, items, n, open, figures, NULL);
}

static cJSON *standup_object(const tw_standup *s);

char *tw_codec_state_json_standup(const char *team, const char *board, int64_t now,
                                  const tw_item_view *const *items, size_t n,
                                  const size_t open[TW_KIND_COUNT], const tw_figures *figures,
                                  const tw_standup *standup)
{
    cJSON *o = new_object();
    add_str(o, "team", team);
    add_str(o, "board", board);
    add_time(o, "updated", now);
    cJSON *arr = cJSON_CreateArray();
    add(o, "items", arr);
    for (size_t i = 0; items && i < n; i++)
        if (!cJSON_AddItemToArray(arr, view_object(items[i], NULL)))
            oom();
    cJSON *counts = new_object();
    size_t total = 0;
    for (int k = 0; k < TW_KIND_COUNT; k++) {
        total += open[k];
        if (!cJSON_AddNumberToObject(counts, tw_kind_name((tw_kind)k), (double)open[k]))
            oom();
    }
    add(o, "open", counts);
    if (n < total && !cJSON_AddTrueToObject(o, "truncated"))
        oom();
    add(o, "figures", figures_object(figures));
    add(o, "standup", standup_object(standup));
    return print_large(o);
}

char *tw_codec_event_json(const char *event, const tw_item *item, const char *note)
{
    cJSON *o = new_object();
    add_str(o, "event", event);
    /* Events about the board rather than one item (standup) have no item. */
    if (item)
        add(o, "item", item_object(item, note));
    return print(o);
}

/* {"event":"batch","events":[ and ]}: the wrapper's bytes around its events. */
#define BATCH_HEAD (sizeof "{\"event\":\"batch\",\"events\":[" - 1)
#define BATCH_TAIL (sizeof "]}" - 1)

size_t tw_codec_events_batch_fit(char *const *events, size_t n, size_t *bytes)
{
    size_t k = 0, total = BATCH_HEAD + BATCH_TAIL;
    size_t first = n ? strlen(events[0]) : 0;
    while (k < n && k < TW_CODEC_BATCH_EVENTS) {
        size_t len = k ? strlen(events[k]) : first;
        size_t more = len + (k ? 1 : 0); /* the comma before it */
        if (k && total + more > TW_CODEC_BATCH_BYTES)
            break;
        total += more;
        k++;
    }
    if (bytes)
        *bytes = k == 1 ? first : total;
    return k;
}

char *tw_codec_events_batch_json(char *const *events, size_t n)
{
    cJSON *o = new_object();
    add(o, "event", cJSON_CreateStringReference("batch"));
    cJSON *list = cJSON_CreateArray();
    if (!list)
        oom();
    add(o, "events", list);
    size_t size = BATCH_HEAD + BATCH_TAIL + 1;
    for (size_t i = 0; i < n; i++) {
        /* Already printed: kept as they are, not parsed again. */
        if (!cJSON_AddItemToArray(list, cJSON_CreateRaw(events[i])))
            oom();
        size += strlen(events[i]) + 1;
    }
    /* cJSON_PrintUnformatted with the batch's own size as the first buffer:
     * one allocation instead of doubling from 256 bytes to 64 KiB. */
    char *s = cJSON_PrintBuffered(o, (int)size, 0);
    cJSON_Delete(o);
    if (!s)
        oom();
    return s;
}

char *tw_codec_rejected_json(const char *topic, const char *error, const void *payload, size_t len)
{
    /* 64 bytes, each at most "\xNN". */
    char head[64 * 4 + 1];
    tw_text_escape_head(payload, len, 64, head, sizeof head);
    cJSON *o = new_object();
    add_str(o, "topic", topic);
    add_str(o, "error", error);
    add_str(o, "payload_head", head);
    return print(o);
}

char *tw_codec_status_json(const char *state, const char *version, int64_t since)
{
    cJSON *o = new_object();
    add_str(o, "state", state);
    if (version)
        add_str(o, "version", version);
    if (since)
        add_time(o, "since", since);
    return print(o);
}

/* ---- stand-up (PROTOCOL.md "Stand-up") ---- */

int tw_codec_decode_standup(const void *payload, size_t len, tw_standup_cmd *out, char *board,
                            size_t board_size, char *reason, size_t rs)
{
    cJSON *root = NULL;
    int rc;
    char action[16];
    if (reason && rs)
        reason[0] = '\0';
    if (!out || !board || (!payload && len))
        return fail(TW_ERR_INVAL, reason, rs, "invalid argument");
    memset(out, 0, sizeof *out);
    board[0] = '\0';
    if (!len)
        return fail(TW_ERR_PARSE, reason, rs, "payload is empty");
    struct scan sc = scan_payload(payload, len);
    if (sc.too_deep)
        return fail(TW_ERR_PARSE, reason, rs, "JSON is nested too deeply");
    root = parse(payload, len);
    if (!root)
        return fail(TW_ERR_PARSE, reason, rs, "invalid JSON");
    if (sc.nul_escape) {
        rc = fail(TW_ERR_INVAL, reason, rs, "strings may not contain \\u0000");
        goto out;
    }
    if (!cJSON_IsObject(root)) {
        rc = fail(TW_ERR_INVAL, reason, rs, "payload must be a JSON object");
        goto out;
    }
    if ((rc = get_string(root, "action", true, action, sizeof action, reason, rs)))
        goto out;
    int a = tw_standup_action_parse(action);
    if (a < 0) {
        char echo[KIND_ECHO * 4 + 1];
        tw_text_escape_head(action, strlen(action), KIND_ECHO, echo, sizeof echo);
        rc = fail(TW_ERR_INVAL, reason, rs,
                  "unknown action: %s (start, next, back, claim, resolve, stop)", echo);
        goto out;
    }
    out->action = (tw_standup_action)a;
    const cJSON *at = cJSON_GetObjectItemCaseSensitive(root, "at");
    if (at && !cJSON_IsNull(at)) {
        if (!cJSON_IsNumber(at) || !(at->valuedouble >= 1 && at->valuedouble <= 100000) ||
            at->valuedouble != (double)(int)at->valuedouble) {
            rc = fail(TW_ERR_INVAL, reason, rs, "at must be a position from 1");
            goto out;
        }
        out->at = (int)at->valuedouble;
    }
    if ((rc = get_string(root, "by", false, out->by, sizeof out->by, reason, rs)) ||
        (rc = get_string(root, "note", false, out->note, sizeof out->note, reason, rs)) ||
        (rc = get_string(root, "source", false, out->source, sizeof out->source, reason, rs)) ||
        (rc = get_string(root, "board", false, board, board_size, reason, rs)) ||
        (rc = get_ts(root, &out->ts, reason, rs)))
        goto out;
out:
    cJSON_Delete(root);
    if (rc)
        memset(out, 0, sizeof *out);
    return rc;
}

char *tw_codec_encode_standup(const tw_standup_cmd *cmd, const char *board)
{
    if (!cmd)
        return NULL;
    cJSON *o = new_object();
    add_str(o, "action", tw_standup_action_name(cmd->action));
    if (cmd->at)
        add(o, "at", cJSON_CreateNumber(cmd->at));
    if (cmd->by[0])
        add_str(o, "by", cmd->by);
    if (cmd->note[0])
        add_str(o, "note", cmd->note);
    if (cmd->source[0])
        add_str(o, "source", cmd->source);
    if (cmd->ts)
        add_time(o, "ts", cmd->ts);
    if (board && *board)
        add_str(o, "board", board);
    return print(o);
}

static cJSON *id_array(const tw_standup *s, const int *idx, int n)
{
    cJSON *a = cJSON_CreateArray();
    if (!a)
        oom();
    for (int i = 0; i < n; i++)
        if (!cJSON_AddItemToArray(a, cJSON_CreateString(s->walk[idx[i]].id)))
            oom();
    return a;
}

static cJSON *summary_object(const tw_standup *s)
{
    tw_standup_summary *m = tw_xmalloc(sizeof *m);
    tw_standup_summarize(s, m);
    cJSON *o = new_object();
    add(o, "discussed", cJSON_CreateNumber(m->discussed));
    add(o, "resolved", id_array(s, m->resolved, m->n_resolved));
    add(o, "claimed", id_array(s, m->claimed, m->n_claimed));
    add(o, "still_open", cJSON_CreateNumber(m->still_open));
    add(o, "carried_over", id_array(s, m->carried_over, m->n_carried_over));
    add(o, "duration_s", cJSON_CreateNumber((double)m->duration_s));
    free(m);
    return o;
}

static cJSON *standup_object(const tw_standup *s)
{
    if (!s || !tw_standup_running(s))
        return cJSON_CreateNull();
    cJSON *o = new_object();
    const tw_standup_entry *cur = tw_standup_current(s);
    add_str(o, "id", s->id);
    add_time(o, "started", s->started);
    add(o, "position", cJSON_CreateNumber(s->position));
    add(o, "count", cJSON_CreateNumber(s->count));
    add_str(o, "phase", tw_standup_phase_name(s->phase));
    add(o, "item", cur ? cJSON_CreateString(cur->id) : cJSON_CreateNull());
    add_time(o, "item_started", cur ? s->item_started : 0);
    add(o, "carried_over", cJSON_CreateNumber(cur ? cur->carried : 0));
    if (s->phase == TW_SU_SUMMARY) {
        add_time(o, "ended", s->ended);
        add(o, "summary", summary_object(s));
    }
    return o;
}

char *tw_codec_standup_json(const tw_standup *s)
{
    return print(standup_object(s));
}

char *tw_codec_standup_summary_json(const tw_standup *s)
{
    return s ? print(summary_object(s)) : NULL;
}

char *tw_codec_standup_event_json(const char *action, const tw_standup *s)
{
    cJSON *o = new_object();
    add_str(o, "event", "standup");
    add_str(o, "action", action);
    add(o, "standup", standup_object(s));
    if (strcmp(action, "ended") == 0)
        add(o, "summary", summary_object(s));
    return print(o);
}
