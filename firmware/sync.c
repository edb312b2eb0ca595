/* SPDX-License-Identifier: MIT */
/*
 * Catch-up (sync.h): the asking machine, pure, and the object that carries
 * out its effects (requests out, progress kept in the store, the model
 * reloaded after each page) and answers other boards' requests, paced.
 */
#define _POSIX_C_SOURCE 200809L
#define LOG_MODULE      "sync"
#include "sync.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "util.h"

#define GATHER_MS      300 /* after the first peer shows up, wait for the one to resume with */
#define STALE_MARGIN_S 86400
#define QUEUE_MAX      8 /* boards answered at once */

/* ---- the machine ---- */

static bool online(const tw_sync_machine *m, const char *name)
{
    for (size_t i = 0; i < m->n_peers; i++)
        if (strcmp(m->peers[i], name) == 0)
            return true;
    return false;
}

static void ask(tw_sync_machine *m, const char *peer, bool keep_cursor, int64_t now,
                tw_sync_effects *fx)
{
    if (strcmp(m->peer, peer) != 0 || !keep_cursor) {
        /* Cursors are the peer's own: another starts over (pages are
         * idempotent, so nothing is lost but time). */
        m->cursor[0] = '\0';
        m->tries = 0;
    }
    tw_strlcpy(m->peer, peer, sizeof(m->peer));
    m->phase = TW_SYNC_ASKING;
    m->asked_ms = now;
    m->tries++;
    fx->ask = true;
    fx->save = true;
}

/* The peer to ask: the one the cursor belongs to if online, else the one
 * after the current in the list. */
static const char *choose(const tw_sync_machine *m, bool rotate)
{
    if (!m->n_peers)
        return NULL;
    size_t at = 0;
    for (size_t i = 0; i < m->n_peers; i++) {
        if (strcmp(m->peers[i], m->peer) == 0) {
            if (!rotate)
                return m->peers[i];
            at = (i + 1) % m->n_peers;
        }
    }
    return m->peers[at];
}

void tw_sync_step(tw_sync_machine *m, const tw_sync_input *in, int64_t now, tw_sync_effects *fx)
{
    memset(fx, 0, sizeof(*fx));
    switch (in->kind) {
    case TW_SYNC_IN_START:
        m->since = in->since;
        tw_strlcpy(m->peer, in->name ? in->name : "", sizeof(m->peer));
        tw_strlcpy(m->cursor, in->cursor ? in->cursor : "", sizeof(m->cursor));
        m->pages = m->items = 0;
        m->started_ms = now;
        m->tries = 0;
        m->phase = TW_SYNC_WANTED;
        fx->save = true;
        if (m->n_peers) {
            const char *p = choose(m, false);
            ask(m, p, true, now, fx);
        }
        break;
    case TW_SYNC_IN_PEER:
        if (!in->name || !*in->name)
            break;
        if (in->online && !online(m, in->name) && m->n_peers < TW_SYNC_PEERS_MAX) {
            tw_strlcpy(m->peers[m->n_peers++], in->name, TW_SYNC_NAME_SIZE);
            if (m->phase == TW_SYNC_WANTED) {
                if (strcmp(in->name, m->peer) == 0 || !m->peer[0])
                    ask(m, in->name, true, now, fx);
                else
                    m->asked_ms = now; /* gather: the resume peer may come */
            }
        } else if (!in->online) {
            for (size_t i = 0; i < m->n_peers; i++) {
                if (strcmp(m->peers[i], in->name) == 0) {
                    memmove(m->peers[i], m->peers[i + 1],
                            (m->n_peers - i - 1) * sizeof(m->peers[0]));
                    m->n_peers--;
                    break;
                }
            }
            if (m->phase == TW_SYNC_ASKING && strcmp(m->peer, in->name) == 0) {
                const char *p = choose(m, true);
                if (p)
                    ask(m, p, false, now, fx);
                else
                    m->phase = TW_SYNC_WANTED;
            }
        }
        break;
    case TW_SYNC_IN_PAGE:
        if (m->phase != TW_SYNC_ASKING || !in->name || strcmp(in->name, m->peer) != 0 ||
            strcmp(in->cursor ? in->cursor : "", m->cursor) != 0)
            break; /* a duplicate or a stray: idempotent, nothing moves */
        fx->applied = true;
        m->pages++;
        m->items += in->items;
        m->tries = 0;
        if (!in->next || !*in->next) {
            m->phase = TW_SYNC_DONE;
            fx->finished = true;
            break;
        }
        tw_strlcpy(m->cursor, in->next, sizeof(m->cursor));
        ask(m, m->peer, true, now, fx);
        break;
    case TW_SYNC_IN_TICK:
        if (m->phase == TW_SYNC_ASKING && now - m->asked_ms >= TW_SYNC_TIMEOUT_MS) {
            const char *p = choose(m, true);
            if (p)
                ask(m, p, true, now, fx);
        } else if (m->phase == TW_SYNC_WANTED && m->n_peers && now - m->asked_ms >= GATHER_MS) {
            ask(m, choose(m, false), true, now, fx);
        }
        break;
    case TW_SYNC_IN_CONNECTED:
        if (m->phase == TW_SYNC_ASKING)
            ask(m, m->peer, true, now, fx);
        break;
    }
    if (m->phase == TW_SYNC_ASKING)
        fx->deadline_ms = m->asked_ms + TW_SYNC_TIMEOUT_MS;
    else if (m->phase == TW_SYNC_WANTED && m->n_peers)
        fx->deadline_ms = m->asked_ms + GATHER_MS;
}

/* ---- the board's side ---- */

struct request {
    char board[TW_SYNC_NAME_SIZE];
    char cursor[TW_SYNC_CURSOR_SIZE];
    int64_t since;
};

struct tw_sync {
    tw_store *store;
    tw_board *board;
    char root[128], self[TW_SYNC_NAME_SIZE];
    char t_request[192], t_reply[256], t_status[192];
    int pace_ms;
    size_t page_items;
    bool catch_up;
    void (*publish)(void *ctx, const char *topic, const char *payload, size_t len);
    void *ctx;
    tw_sync_machine m;
    int64_t deadline_ms;
    bool connected;
    struct request queue[QUEUE_MAX];
    size_t queued;
    int64_t answer_ok_ms;
    size_t pages_answered;
};

static void save(tw_sync *s)
{
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddNumberToObject(o, "since", (double)s->m.since) ||
        !cJSON_AddStringToObject(o, "peer", s->m.peer) ||
        !cJSON_AddStringToObject(o, "cursor", s->m.cursor)) {
        log_error("out of memory keeping the catch-up; aborting so the service restarts");
        abort();
    }
    char *json = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (!json)
        abort();
    if (tw_syncpage_state_set(s->store, json))
        log_warn("could not keep the catch-up's progress; a restart starts it over");
    free(json);
}

static void send_request(tw_sync *s)
{
    if (!s->connected)
        return;
    cJSON *o = cJSON_CreateObject();
    char since[32];
    tw_time_format(s->m.since, since, sizeof(since));
    if (!o || !cJSON_AddStringToObject(o, "board", s->self) ||
        !cJSON_AddStringToObject(o, "since", s->m.since ? since : "") ||
        !cJSON_AddStringToObject(o, "peer", s->m.peer) ||
        !cJSON_AddStringToObject(o, "cursor", s->m.cursor))
        abort();
    char *json = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (!json)
        abort();
    log_debug("asking %s for %s", s->m.peer, s->m.cursor[0] ? s->m.cursor : "the start");
    s->publish(s->ctx, s->t_request, json, strlen(json));
    free(json);
}

static void run(tw_sync *s, const tw_sync_input *in, int64_t now)
{
    tw_sync_effects fx;
    tw_sync_phase was = s->m.phase;
    tw_sync_step(&s->m, in, now, &fx);
    if (was != TW_SYNC_ASKING && s->m.phase == TW_SYNC_ASKING)
        log_info("catching up from %s (items changed since %lld)", s->m.peer,
                 (long long)s->m.since);
    if (fx.save)
        save(s);
    if (fx.ask)
        send_request(s);
    if (fx.finished) {
        tw_syncpage_state_set(s->store, NULL);
        log_info("caught up from %s: %zu items in %zu pages, %lld ms", s->m.peer, s->m.items,
                 s->m.pages, (long long)(now - s->m.started_ms));
    }
    s->deadline_ms = fx.deadline_ms;
}

int tw_sync_create(const tw_sync_options *opt, tw_sync **out)
{
    if (!opt || !opt->store || !opt->root || !opt->self || !opt->publish || !out)
        return TW_ERR_INVAL;
    tw_sync *s = tw_xcalloc(1, sizeof(*s));
    s->store = opt->store;
    s->board = opt->board;
    tw_strlcpy(s->root, opt->root, sizeof(s->root));
    tw_strlcpy(s->self, opt->self, sizeof(s->self));
    s->pace_ms = opt->pace_ms >= 0 ? opt->pace_ms : 20;
    s->page_items = opt->page_items ? opt->page_items : TW_SYNC_PAGE_ITEMS;
    s->catch_up = opt->catch_up;
    s->publish = opt->publish;
    s->ctx = opt->ctx;
    snprintf(s->t_request, sizeof(s->t_request), "%s/sync/request", s->root);
    snprintf(s->t_reply, sizeof(s->t_reply), "%s/sync/reply/%s", s->root, s->self);
    snprintf(s->t_status, sizeof(s->t_status), "%s/board/+/status", s->root);
    char kept[512];
    int ret = s->catch_up ? tw_syncpage_state_get(s->store, kept, sizeof(kept)) : TW_ERR_NOTFOUND;
    int64_t now = tw_mono_ms();
    if (ret == 0) {
        cJSON *o = cJSON_Parse(kept);
        const cJSON *since = cJSON_GetObjectItemCaseSensitive(o, "since");
        const cJSON *peer = cJSON_GetObjectItemCaseSensitive(o, "peer");
        const cJSON *cursor = cJSON_GetObjectItemCaseSensitive(o, "cursor");
        tw_sync_input in = {.kind = TW_SYNC_IN_START,
                            .since = cJSON_IsNumber(since) ? (int64_t)since->valuedouble : 0,
                            .name = cJSON_IsString(peer) ? peer->valuestring : "",
                            .cursor = cJSON_IsString(cursor) ? cursor->valuestring : ""};
        log_info("resuming the catch-up from %s at %s", in.name,
                 in.cursor[0] ? in.cursor : "the start");
        run(s, &in, now);
        cJSON_Delete(o);
        ret = 0;
    } else if (ret == TW_ERR_NOTFOUND) {
        ret = 0;
        if (s->catch_up && tw_syncpage_any(s->store) == 0) {
            tw_sync_input in = {.kind = TW_SYNC_IN_START, .since = 0};
            run(s, &in, now);
        }
    }
    if (ret) {
        tw_sync_destroy(s);
        return ret;
    }
    *out = s;
    return 0;
}

void tw_sync_destroy(tw_sync *s)
{
    free(s);
}

void tw_sync_topics(tw_sync *s, void (*fn)(void *ctx, const char *filter), void *ctx)
{
    if (!s)
        return;
    fn(ctx, s->t_request);
    fn(ctx, s->t_reply);
    fn(ctx, s->t_status);
}

void tw_sync_connected(tw_sync *s, bool session_present, int64_t now_ms)
{
    if (!s)
        return;
    s->connected = true;
    if (s->catch_up && !session_present &&
        (s->m.phase == TW_SYNC_IDLE || s->m.phase == TW_SYNC_DONE) &&
        tw_syncpage_any(s->store) > 0) {
        /* The broker kept nothing for us: what was sent while we were away
         * is only on the other boards. */
        /* max(updated) reads the whole items table once: in a small page
         * cache, emptied after it (it filled 2 MB with 100,000 items, held
         * through the start's busiest frames: P4's peak). */
        int cache = tw_store_walk_begin(s->store);
        int64_t newest = tw_syncpage_newest(s->store);
        tw_store_walk_end(s->store, cache);
        tw_sync_input in = {.kind = TW_SYNC_IN_START,
                            .since = newest > STALE_MARGIN_S ? newest - STALE_MARGIN_S : 0};
        log_info("the broker had no session for this board: catching up on what changed "
                 "since a day before the newest item");
        run(s, &in, now_ms);
    }
    tw_sync_input in = {.kind = TW_SYNC_IN_CONNECTED};
    run(s, &in, now_ms);
}

/* "<root>/board/<name>/status" -> name. */
static bool status_board(const tw_sync *s, const char *topic, char name[TW_SYNC_NAME_SIZE])
{
    size_t n = strlen(s->root);
    if (strncmp(topic, s->root, n) != 0 || strncmp(topic + n, "/board/", 7) != 0)
        return false;
    const char *b = topic + n + 7, *slash = strchr(b, '/');
    if (!slash || strcmp(slash, "/status") != 0 || slash == b ||
        (size_t)(slash - b) >= TW_SYNC_NAME_SIZE)
        return false;
    memcpy(name, b, (size_t)(slash - b));
    name[slash - b] = '\0';
    return true;
}

static void take_request(tw_sync *s, const void *payload, size_t len)
{
    cJSON *o = cJSON_ParseWithLength(payload, len);
    const char *board = NULL, *peer = NULL, *cursor = NULL, *since = NULL;
    if (o) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "board");
        board = cJSON_IsString(v) ? v->valuestring : NULL;
        v = cJSON_GetObjectItemCaseSensitive(o, "peer");
        peer = cJSON_IsString(v) ? v->valuestring : NULL;
        v = cJSON_GetObjectItemCaseSensitive(o, "cursor");
        cursor = cJSON_IsString(v) ? v->valuestring : NULL;
        v = cJSON_GetObjectItemCaseSensitive(o, "since");
        since = cJSON_IsString(v) ? v->valuestring : NULL;
    }
    int64_t t = 0;
    if (!board || !*board || strlen(board) >= TW_SYNC_NAME_SIZE || strchr(board, '/') ||
        strchr(board, '+') || strchr(board, '#') || (since && *since && tw_time_parse(since, &t))) {
        log_warn("a sync request that is not one was ignored");
    } else if (strcmp(board, s->self) != 0 && (!peer || !*peer || strcmp(peer, s->self) == 0)) {
        /* One pending request per board: a newer one replaces it. */
        size_t i = 0;
        while (i < s->queued && strcmp(s->queue[i].board, board) != 0)
            i++;
        if (i == s->queued && s->queued == QUEUE_MAX) {
            log_warn("%d boards are catching up from this one; %s waits", QUEUE_MAX, board);
        } else {
            if (i == s->queued)
                s->queued++;
            tw_strlcpy(s->queue[i].board, board, sizeof(s->queue[i].board));
            tw_strlcpy(s->queue[i].cursor, cursor ? cursor : "", sizeof(s->queue[i].cursor));
            s->queue[i].since = t;
        }
    }
    cJSON_Delete(o);
}

int tw_sync_message(tw_sync *s, const char *topic, const void *payload, size_t len, bool retained,
                    int64_t now_ms)
{
    if (!s || !topic)
        return 0;
    char name[TW_SYNC_NAME_SIZE];
    if (status_board(s, topic, name)) {
        if (strcmp(name, s->self) != 0) {
            cJSON *o = cJSON_ParseWithLength(payload, len);
            const cJSON *st = cJSON_GetObjectItemCaseSensitive(o, "state");
            bool on = cJSON_IsString(st) && strcmp(st->valuestring, "online") == 0;
            cJSON_Delete(o);
            tw_sync_input in = {.kind = TW_SYNC_IN_PEER, .name = name, .online = on};
            run(s, &in, now_ms);
        }
        return 1;
    }
    if (strcmp(topic, s->t_request) == 0) {
        if (!retained)
            take_request(s, payload, len);
        return 1;
    }
    if (strcmp(topic, s->t_reply) != 0)
        return 0;
    char reason[160];
    tw_syncpage_result *r = tw_xcalloc(1, sizeof(*r));
    int ret = tw_syncpage_apply(s->store, payload, len, tw_now(), r, reason, sizeof(reason));
    if (ret == TW_ERR_PARSE) {
        log_warn("%s: %s", topic, reason);
        free(r);
        return 1;
    }
    if (ret) {
        free(r);
        return ret;
    }
    if (r->shown)
        tw_board_reload(s->board); /* the wall shows what is open as it arrives */
    cJSON *o = cJSON_ParseWithLength(payload, len);
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(o, "cursor");
    tw_sync_input in = {.kind = TW_SYNC_IN_PAGE,
                        .name = r->from,
                        .cursor = cJSON_IsString(c) ? c->valuestring : "",
                        .next = r->next,
                        .items = r->items};
    run(s, &in, now_ms);
    log_debug("page from %s: %zu items, %zu new, %zu changed, %zu changes", r->from, r->items,
              r->added, r->changed, r->ops);
    cJSON_Delete(o);
    free(r);
    return 1;
}

int64_t tw_sync_deadline(const tw_sync *s)
{
    if (!s)
        return 0;
    int64_t d = s->deadline_ms;
    if (s->queued && (!d || s->answer_ok_ms < d))
        d = s->answer_ok_ms ? s->answer_ok_ms : 1;
    return d;
}

void tw_sync_tick(tw_sync *s, int64_t now_ms)
{
    if (!s)
        return;
    if (s->deadline_ms && now_ms >= s->deadline_ms) {
        tw_sync_input in = {.kind = TW_SYNC_IN_TICK};
        run(s, &in, now_ms);
    }
    if (!s->queued || now_ms < s->answer_ok_ms || !s->connected)
        return;
    struct request r = s->queue[0];
    memmove(&s->queue[0], &s->queue[1], (s->queued - 1) * sizeof(s->queue[0]));
    s->queued--;
    char *json = NULL;
    int ret =
        tw_syncpage_build(s->store, s->self, r.board, r.cursor, r.since, s->page_items, &json);
    if (ret == TW_ERR_INVAL) /* another peer's cursor: from the start */
        ret = tw_syncpage_build(s->store, s->self, r.board, "", r.since, s->page_items, &json);
    if (ret) {
        log_warn("could not answer %s's catch-up: %s", r.board, tw_strerror(ret));
    } else {
        char topic[256];
        snprintf(topic, sizeof(topic), "%s/sync/reply/%s", s->root, r.board);
        s->publish(s->ctx, topic, json, strlen(json));
        s->pages_answered++;
    }
    free(json);
    /* The pace starts after the page was built: a page that took long to
     * read leaves the loop its time before the next. */
    s->answer_ok_ms = tw_mono_ms() + s->pace_ms;
}

bool tw_sync_busy(const tw_sync *s, size_t *items, const char **peer)
{
    bool busy = s && (s->m.phase == TW_SYNC_ASKING || s->m.phase == TW_SYNC_WANTED);
    if (items)
        *items = s ? s->m.items : 0;
    if (peer)
        *peer = s ? s->m.peer : "";
    return busy;
}
