/* SPDX-License-Identifier: MIT */
/*
 * teamwall-bridge: Slack, Mattermost, Microsoft Teams and scripts talk to the
 * wall. An HTTP server (libmicrohttpd, a thread per connection, so a request
 * waiting for the broker blocks nobody else) verifies each caller on the raw
 * body (verify.c), turns the command text into a tw_command (chat.c),
 * publishes it at QoS 1 on <root>/<post|claim|resolve|reopen> and answers in
 * the platform's JSON once the broker has acknowledged it (bounded wait, well
 * inside the 2 s the chats allow). The MQTT connection has its own thread
 * driving mosquitto_loop() with reconnects; it keeps the board's retained
 * state (for `board`) and status, and turns the board's events into chat
 * notifications (notify.c, its own thread). Unlike the board, the bridge
 * stores nothing: it has no commit-before-ack duty, so the library's own
 * threading is fine here.
 *
 * Requests: POST routes check the method, that their secret is configured
 * (else 404), the body size (Content-Length before reading, and the bytes
 * actually read: > 64 KiB is 413), then the caller (401), then a per-user
 * rate limit (429). Bad commands get a helpful 200 reply, never a 500.
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#define LOG_MODULE "bridge"

#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <errno.h>
#include <getopt.h>
#include <microhttpd.h>
#include <mosquitto.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "buttons.h"
#include "chat.h"
#include "codec.h"
#include "config.h"
#include "guard.h"
#include "httpguard.h"
#include "i18n.h"
#include "log.h"
#include "notify.h"
#include "text.h"
#include "util.h"
#include "verify.h"
#include "web.h"

#define MAX_BODY            (64 * 1024) /* bytes; more is 413 */
#define ACK_WAIT_MS         1500        /* broker's PUBACK, inside the chats' 2-3 s */
#define ACK_RING            256         /* recent PUBACKs remembered */
#define SEEN_RING           4096        /* command ids seen on the command topics */
#define RATE_SLOTS          512         /* users tracked by the rate limit */
#define RATE_BURST          20.0        /* commands a user may send at once */
#define RATE_PER_SEC        (20.0 / 60) /* ... refilled at 20 a minute */
#define DEFAULT_TIMEOUT     10          /* seconds a connection may sit idle */
#define CONNECTIONS_MAX     1024        /* in total (a thread each, 512 KiB of stack) ... */
#define PER_ADDRESS_MAX     256         /* ... and from one address (a NAT, a proxy: viewers) */
#define THREAD_STACK        (512 * 1024)
#define REQUEST_DEADLINE_MS 10000 /* headers and body, whole, or 408 (httpguard.h) */

#ifndef MHD_HTTP_CONTENT_TOO_LARGE /* libmicrohttpd before 0.9.74 */
#define MHD_HTTP_CONTENT_TOO_LARGE 413
#endif

enum route {
    R_SLACK,
    R_MM_COMMAND,
    R_MM_OUTGOING,
    R_TEAMS,
    R_API,
    R_HEALTHZ,
    R_METRICS,
    R_WEB, /* the web view's routes (web.c) */
    R_OTHER,
    R_COUNT
};
static const char *const route_paths[R_COUNT] = {"/slack/command",
                                                 "/mattermost/command",
                                                 "/mattermost/outgoing",
                                                 "/teams/outgoing",
                                                 "/api/v1/commands",
                                                 "/healthz",
                                                 "/metrics",
                                                 "web",
                                                 "other"};
static const tw_chat_platform route_platform[] = {
    TW_CHAT_SLACK, TW_CHAT_MATTERMOST, TW_CHAT_MATTERMOST_OUTGOING, TW_CHAT_TEAMS, TW_CHAT_API};

/* Status codes the bridge answers with, for /metrics; the last slot is "other". */
static const int status_codes[] = {200, 400, 401, 404, 405, 413, 429, 500, 503, 504, 0};
#define N_CODES (sizeof status_codes / sizeof status_codes[0])

struct bucket {
    uint64_t key;
    double tokens;
    int64_t last_ms;
};

static struct bridge {
    tw_config cfg;
    tw_broker_url url;
    char board[sizeof(((tw_config *)0)->board)];
    char root[160];
    char topic_state[256], topic_events[256], topic_status[256];
    int timeout_s;

    struct mosquitto *mosq;
    pthread_t mqtt_thread;
    atomic_bool stopping;

    pthread_mutex_t lock; /* everything below */
    pthread_cond_t cond;  /* CLOCK_MONOTONIC: acks, disconnects, stop */
    bool connected;
    uint64_t conn_gen; /* bumped on every lost connection */
    struct {
        int mid;
        int64_t at_ms;
    } acks[ACK_RING];
    unsigned ack_next;
    char *state; /* the board's retained state, as published */
    size_t state_len;
    int board_online; /* -1 unknown, 0 offline, 1 online */
    uint64_t requests[R_COUNT][N_CODES];
    uint64_t publishes, publish_failures;
    struct bucket buckets[RATE_SLOTS];
    /* Ids of the commands on <root>/post|claim|resolve|reopen, whoever sent
     * them: another bridge behind the same address (docs/SCALE.md) that got
     * the platform's retry first has published it already. */
    char (*seen)[TW_ID_SIZE];
    unsigned seen_next;
    uint64_t dedup_skips;

    tw_notify *notify;
    tw_chat_platform notify_style;
    struct MHD_Daemon *mhd;
    tw_web *web; /* NULL when its files are missing */
} B;

/* ---- MQTT ---- */

static int64_t mono_ms(void)
{
    return tw_mono_ms();
}

static struct timespec mono_deadline(int64_t ms_from_now)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_sec += (time_t)(ms_from_now / 1000);
    ts.tv_nsec += (long)(ms_from_now % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    return ts;
}

/* Whether the broker being down was logged since the last connection; only
 * the MQTT thread (callbacks included) touches it. */
static bool down_reported;

static void on_connect(struct mosquitto *m, void *ctx, int rc)
{
    (void)ctx;
    if (rc != 0) {
        log_warn("broker refused the connection: %s", mosquitto_connack_string(rc));
        return;
    }
    log_info("connected to the broker at %s:%d", B.url.host, B.url.port);
    down_reported = false;
    pthread_mutex_lock(&B.lock);
    B.connected = true;
    pthread_cond_broadcast(&B.cond);
    pthread_mutex_unlock(&B.lock);
    tw_web_set_broker(B.web, true);
    mosquitto_subscribe(m, NULL, B.topic_state, 1);
    mosquitto_subscribe(m, NULL, B.topic_status, 1);
    static const char *const commands[] = {"post", "claim", "resolve", "reopen"};
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        char t[256];
        snprintf(t, sizeof t, "%s/%s", B.root, commands[i]);
        mosquitto_subscribe(m, NULL, t, 1);
    }
    if (B.notify)
        mosquitto_subscribe(m, NULL, B.topic_events, 1);
}

static bool is_connected(void)
{
    pthread_mutex_lock(&B.lock);
    bool up = B.connected;
    pthread_mutex_unlock(&B.lock);
    return up;
}

/* Returns whether the connection was up. */
static bool mark_disconnected(void)
{
    pthread_mutex_lock(&B.lock);
    bool was = B.connected;
    if (was)
        B.conn_gen++;
    B.connected = false;
    pthread_cond_broadcast(&B.cond);
    pthread_mutex_unlock(&B.lock);
    tw_web_set_broker(B.web, false);
    return was;
}

/* One line when the connection goes or a first attempt fails; the retries
 * every few seconds after that are debug lines. */
static void report_down(const char *why)
{
    bool was = mark_disconnected();
    if (atomic_load(&B.stopping))
        return;
    if (was)
        log_warn("lost the broker connection (%s); reconnecting", why);
    else if (!down_reported)
        log_warn("cannot reach the broker at %s:%d (%s); retrying", B.url.host, B.url.port, why);
    else
        log_debug("broker still unreachable (%s)", why);
    down_reported = true;
}

static void on_disconnect(struct mosquitto *m, void *ctx, int rc)
{
    (void)m;
    (void)ctx;
    report_down(rc ? mosquitto_strerror(rc) : "closed by the broker");
}

static void on_publish(struct mosquitto *m, void *ctx, int mid)
{
    (void)m;
    (void)ctx;
    pthread_mutex_lock(&B.lock);
    B.acks[B.ack_next % ACK_RING].mid = mid;
    B.acks[B.ack_next % ACK_RING].at_ms = mono_ms();
    B.ack_next++;
    pthread_cond_broadcast(&B.cond);
    pthread_mutex_unlock(&B.lock);
}

/* Was a command with this id seen on the command topics? */
static bool seen_has(const char *id)
{
    bool found = false;
    pthread_mutex_lock(&B.lock);
    for (unsigned i = 0; B.seen && id[0] && i < SEEN_RING && !found; i++)
        found = strcmp(B.seen[i], id) == 0;
    pthread_mutex_unlock(&B.lock);
    return found;
}

/* Remember the id of a command seen on <root>/<command>. */
static void seen_command(const struct mosquitto_message *msg)
{
    size_t n = strlen(B.root);
    if (strncmp(msg->topic, B.root, n) != 0 || msg->topic[n] != '/' || msg->payloadlen <= 0)
        return;
    const char *cmd = msg->topic + n + 1;
    if (strcmp(cmd, "post") && strcmp(cmd, "claim") && strcmp(cmd, "resolve") &&
        strcmp(cmd, "reopen"))
        return;
    cJSON *o = cJSON_ParseWithLength(msg->payload, (size_t)msg->payloadlen);
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(o, "id");
    if (cJSON_IsString(id) && id->valuestring[0] && strlen(id->valuestring) < TW_ID_SIZE) {
        pthread_mutex_lock(&B.lock);
        if (!B.seen)
            B.seen = tw_xcalloc(SEEN_RING, sizeof(*B.seen));
        tw_strlcpy(B.seen[B.seen_next++ % SEEN_RING], id->valuestring, TW_ID_SIZE);
        pthread_mutex_unlock(&B.lock);
    }
    cJSON_Delete(o);
}

static void on_message(struct mosquitto *m, void *ctx, const struct mosquitto_message *msg)
{
    (void)m;
    (void)ctx;
    seen_command(msg);
    if (strcmp(msg->topic, B.topic_state) == 0) {
        char why[160];
        if (msg->payloadlen > 0 && !tw_guard_state_is_own(msg->payload, (size_t)msg->payloadlen,
                                                          B.cfg.team, B.board, why, sizeof why)) {
            log_warn("ignoring the retained state on %s: not board %s's own (%s)", msg->topic,
                     B.board, why);
            return;
        }
        char *copy = NULL;
        if (msg->payloadlen > 0) {
            copy = tw_xmalloc((size_t)msg->payloadlen + 1);
            memcpy(copy, msg->payload, (size_t)msg->payloadlen);
            copy[msg->payloadlen] = '\0';
        }
        pthread_mutex_lock(&B.lock);
        free(B.state);
        B.state = copy;
        B.state_len = copy ? (size_t)msg->payloadlen : 0;
        pthread_mutex_unlock(&B.lock);
        tw_web_set_state(B.web, msg->payload, (size_t)msg->payloadlen);
    } else if (strcmp(msg->topic, B.topic_status) == 0) {
        int online = -1;
        if (msg->payloadlen > 0) {
            char head[128];
            size_t n = (size_t)msg->payloadlen < sizeof head - 1 ? (size_t)msg->payloadlen
                                                                 : sizeof head - 1;
            memcpy(head, msg->payload, n);
            head[n] = '\0';
            online = strstr(head, "\"online\"") ? 1 : strstr(head, "\"offline\"") ? 0 : -1;
        }
        pthread_mutex_lock(&B.lock);
        B.board_online = online;
        pthread_mutex_unlock(&B.lock);
        tw_web_set_board_online(B.web, online);
    } else if (B.notify && strcmp(msg->topic, B.topic_events) == 0 && !msg->retain) {
        /* A batch (a pass of the board's that committed several) notifies
         * for each member, as if each had come alone. */
        char **texts;
        size_t n = tw_chat_event_texts(msg->payload, (size_t)msg->payloadlen, &texts);
        for (size_t i = 0; i < n; i++) {
            char *json = tw_chat_notify_json(B.notify_style, texts[i]);
            tw_notify_post(B.notify, json);
            free(json);
            free(texts[i]);
        }
        free(texts);
    }
}

/* The network thread: connect, loop, reconnect with a back-off of 0.5 s
 * doubling to 5 s, until stopping; then a clean DISCONNECT. */
static void *mqtt_main(void *arg)
{
    (void)arg;
    bool have_socket = false, started = false;
    int64_t delay = 500;
    while (!atomic_load(&B.stopping)) {
        if (!have_socket) {
            int rc = started
                         ? mosquitto_reconnect_async(B.mosq)
                         : mosquitto_connect_async(B.mosq, B.url.host, B.url.port, B.cfg.keepalive);
            started = true;
            if (rc == MOSQ_ERR_SUCCESS)
                have_socket = true;
            else
                report_down(rc == MOSQ_ERR_ERRNO ? strerror(errno) : mosquitto_strerror(rc));
        }
        if (have_socket) {
            int rc = mosquitto_loop(B.mosq, 500, 1);
            if (rc == MOSQ_ERR_SUCCESS) {
                if (is_connected())
                    delay = 500;
                continue;
            }
            have_socket = false;
            report_down(rc == MOSQ_ERR_ERRNO ? strerror(errno) : mosquitto_strerror(rc));
        }
        /* Wait before the next attempt; stopping cuts it short. */
        pthread_mutex_lock(&B.lock);
        struct timespec until = mono_deadline(delay);
        while (!atomic_load(&B.stopping) &&
               pthread_cond_timedwait(&B.cond, &B.lock, &until) != ETIMEDOUT)
            ;
        pthread_mutex_unlock(&B.lock);
        delay = delay * 2 > 5000 ? 5000 : delay * 2;
    }
    if (have_socket) {
        mosquitto_disconnect(B.mosq);
        int64_t end = mono_ms() + 500;
        while (mono_ms() < end && mosquitto_loop(B.mosq, 100, 1) == MOSQ_ERR_SUCCESS)
            ;
    }
    return NULL;
}

static int mqtt_start(void)
{
    char id[96];
    snprintf(id, sizeof id, "teamwall-bridge-%s-%ld", B.cfg.team, (long)getpid());
    B.mosq = mosquitto_new(id, true, NULL);
    if (!B.mosq) {
        log_error("cannot create the MQTT client: %s", strerror(errno));
        return TW_ERR_NET;
    }
    mosquitto_threaded_set(B.mosq, true);
    const char *user = B.cfg.username[0] ? B.cfg.username : B.url.username;
    const char *pass = B.cfg.password[0] ? B.cfg.password : B.url.password;
    if (user[0] && mosquitto_username_pw_set(B.mosq, user, pass[0] ? pass : NULL)) {
        log_error("cannot set the MQTT user name");
        return TW_ERR_NET;
    }
    if (B.url.tls || B.cfg.cafile[0]) {
        int rc = mosquitto_tls_set(B.mosq, B.cfg.cafile[0] ? B.cfg.cafile : NULL,
                                   B.cfg.cafile[0] ? NULL : "/etc/ssl/certs",
                                   B.cfg.certfile[0] ? B.cfg.certfile : NULL,
                                   B.cfg.keyfile[0] ? B.cfg.keyfile : NULL, NULL);
        if (rc) {
            log_error("TLS setup failed (cafile %s): %s", B.cfg.cafile, mosquitto_strerror(rc));
            return TW_ERR_NET;
        }
    }
    mosquitto_connect_callback_set(B.mosq, on_connect);
    mosquitto_disconnect_callback_set(B.mosq, on_disconnect);
    mosquitto_publish_callback_set(B.mosq, on_publish);
    mosquitto_message_callback_set(B.mosq, on_message);
    if (pthread_create(&B.mqtt_thread, NULL, mqtt_main, NULL) != 0) {
        log_error("cannot start the MQTT thread");
        return TW_ERR_NET;
    }
    return 0;
}

enum publish_result { PUB_ACKED, PUB_OFFLINE, PUB_LOST, PUB_TIMEOUT };

static bool acked(int mid, int64_t since)
{
    for (unsigned i = 0; i < ACK_RING; i++)
        if (B.acks[i].mid == mid && B.acks[i].at_ms >= since)
            return true;
    return false;
}

/* Publish at QoS 1 and wait (bounded) for the broker's PUBACK. */
static enum publish_result publish_wait(const char *topic, const char *payload)
{
    pthread_mutex_lock(&B.lock);
    bool up = B.connected;
    uint64_t gen = B.conn_gen;
    pthread_mutex_unlock(&B.lock);
    if (!up) {
        pthread_mutex_lock(&B.lock);
        B.publish_failures++;
        pthread_mutex_unlock(&B.lock);
        return PUB_OFFLINE;
    }
    int64_t since = mono_ms();
    int mid = 0;
    int rc = mosquitto_publish(B.mosq, &mid, topic, (int)strlen(payload), payload, 1, false);
    enum publish_result res = PUB_TIMEOUT;
    pthread_mutex_lock(&B.lock);
    if (rc != MOSQ_ERR_SUCCESS) {
        res = PUB_OFFLINE;
    } else {
        struct timespec until = mono_deadline(ACK_WAIT_MS);
        for (;;) {
            if (acked(mid, since)) {
                res = PUB_ACKED;
                break;
            }
            if (B.conn_gen != gen || !B.connected) {
                res = PUB_LOST;
                break;
            }
            if (pthread_cond_timedwait(&B.cond, &B.lock, &until) == ETIMEDOUT) {
                res = acked(mid, since) ? PUB_ACKED : PUB_TIMEOUT;
                break;
            }
        }
    }
    if (res == PUB_ACKED)
        B.publishes++;
    else
        B.publish_failures++;
    pthread_mutex_unlock(&B.lock);
    if (rc != MOSQ_ERR_SUCCESS)
        log_warn("publish to %s failed: %s", topic, mosquitto_strerror(rc));
    else if (res != PUB_ACKED)
        log_warn("publish to %s not acknowledged (%s)", topic,
                 res == PUB_LOST ? "connection lost" : "timeout");
    return res;
}

/* ---- HTTP ---- */

struct request {
    enum route route;
    void *web; /* the web view's own request (R_WEB) */
    char *body;
    size_t len, cap;
    bool too_large;
    bool answered; /* a response was queued on the first call */
};

static enum route find_route(const char *url)
{
    for (int r = 0; r < R_OTHER; r++)
        if (strcmp(url, route_paths[r]) == 0)
            return (enum route)r;
    return R_OTHER;
}

static bool route_configured(enum route r)
{
    switch (r) {
    case R_SLACK: return B.cfg.slack_signing_secret[0] != '\0';
    case R_MM_COMMAND:
    case R_MM_OUTGOING: return B.cfg.mattermost_token[0] != '\0';
    case R_TEAMS: return B.cfg.teams_secret[0] != '\0';
    case R_API: return B.cfg.api_token[0] != '\0';
    default: return true;
    }
}

static void count(enum route r, int status)
{
    size_t i = 0;
    while (i < N_CODES - 1 && status_codes[i] != status)
        i++;
    pthread_mutex_lock(&B.lock);
    B.requests[r][i]++;
    pthread_mutex_unlock(&B.lock);
}

/* Queue a response; body is malloc'd and handed to MHD (NULL = empty). */
static enum MHD_Result respond(struct MHD_Connection *c, enum route r, unsigned status,
                               const char *ctype, char *body)
{
    size_t len = body ? strlen(body) : 0;
    struct MHD_Response *resp =
        body ? MHD_create_response_from_buffer_with_free_callback(len, body, free)
             : MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    if (!resp) {
        free(body);
        return MHD_NO;
    }
    if (ctype)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW,
                                r == R_HEALTHZ || r == R_METRICS ? "GET, HEAD" : "POST");
    tw_httpguard_hold(c);
    enum MHD_Result ret = MHD_queue_response(c, status, resp);
    MHD_destroy_response(resp);
    count(r, (int)status);
    return ret;
}

static enum MHD_Result respond_text(struct MHD_Connection *c, enum route r, unsigned status,
                                    const char *text)
{
    return respond(c, r, status, "text/plain; charset=utf-8", tw_xstrdup(text));
}

static enum MHD_Result respond_json(struct MHD_Connection *c, enum route r, unsigned status,
                                    char *json)
{
    return respond(c, r, status, "application/json", json);
}

/* The platform's reply with text (API: ok:true, or ok:false with status). */
static enum MHD_Result reply(struct MHD_Connection *c, enum route r, unsigned api_status,
                             const char *text)
{
    tw_chat_platform p = route_platform[r];
    if (p == TW_CHAT_API && api_status != MHD_HTTP_OK)
        return respond_json(c, r, api_status, tw_chat_api_json(false, NULL, NULL, text));
    return respond_json(c, r, MHD_HTTP_OK, tw_chat_reply_json(p, text));
}

static const char *header(struct MHD_Connection *c, const char *name)
{
    return MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
}

static void client_ip(struct MHD_Connection *c, char *out, size_t size)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    tw_strlcpy(out, "?", size);
    if (!ci || !ci->client_addr)
        return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
                  (socklen_t)size);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
                  (socklen_t)size);
}

/* The caller's credentials, on the raw body. Mattermost's token may be in
 * the body, so its request is decoded first (req filled either way). */
static tw_verify_result verify(struct MHD_Connection *c, struct request *rq,
                               const tw_chat_request *req)
{
    const char *auth = header(c, MHD_HTTP_HEADER_AUTHORIZATION);
    switch (rq->route) {
    case R_SLACK:
        return tw_verify_slack(B.cfg.slack_signing_secret, header(c, "X-Slack-Request-Timestamp"),
                               header(c, "X-Slack-Signature"), rq->body, rq->len, tw_now());
    case R_TEAMS: return tw_verify_teams(B.cfg.teams_secret, auth, rq->body, rq->len);
    case R_API: return tw_verify_authorization(B.cfg.api_token, "Bearer", auth);
    case R_MM_COMMAND:
    case R_MM_OUTGOING:
        if (auth && *auth)
            return tw_verify_authorization(B.cfg.mattermost_token, "Token", auth);
        if (!req || !req->token[0])
            return TW_VERIFY_MISSING;
        return tw_verify_token(B.cfg.mattermost_token, req->token) ? TW_VERIFY_OK
                                                                   : TW_VERIFY_MISMATCH;
    default: return TW_VERIFY_MISMATCH;
    }
}

/* Token bucket per platform and user; true if this request may go on. */
static bool rate_ok(tw_chat_platform p, const char *user)
{
    uint64_t key = 0xcbf29ce484222325ULL ^ (uint64_t)p;
    for (const unsigned char *s = (const unsigned char *)user; *s; s++) {
        key ^= *s;
        key *= 0x100000001b3ULL;
    }
    key |= 1; /* 0 marks a free slot */
    int64_t now = mono_ms();
    size_t a = key % RATE_SLOTS, b = (key >> 32) % RATE_SLOTS;
    pthread_mutex_lock(&B.lock);
    struct bucket *bk = B.buckets[a].key == key   ? &B.buckets[a]
                        : B.buckets[b].key == key ? &B.buckets[b]
                                                  : NULL;
    if (!bk) {
        /* Take the slot idle longer. */
        bk = B.buckets[a].last_ms <= B.buckets[b].last_ms ? &B.buckets[a] : &B.buckets[b];
        *bk = (struct bucket){key, RATE_BURST, now};
    }
    bk->tokens += (double)(now - bk->last_ms) / 1000.0 * RATE_PER_SEC;
    if (bk->tokens > RATE_BURST)
        bk->tokens = RATE_BURST;
    bk->last_ms = now;
    bool ok = bk->tokens >= 1.0;
    if (ok)
        bk->tokens -= 1.0;
    pthread_mutex_unlock(&B.lock);
    return ok;
}

/* A copy of the cached state (caller frees), or NULL. */
static char *state_copy(size_t *len)
{
    pthread_mutex_lock(&B.lock);
    char *s = NULL;
    if (B.state) {
        s = tw_xmalloc(B.state_len + 1);
        memcpy(s, B.state, B.state_len + 1);
        *len = B.state_len;
    }
    pthread_mutex_unlock(&B.lock);
    return s;
}

/* standup / next / done: the command on <root>/standup, with the position
 * the wall shows (its retained state) as "at". */
static enum MHD_Result run_standup(struct MHD_Connection *c, enum route r, tw_chat_action *a)
{
    char topic[256];
    snprintf(topic, sizeof topic, "%s/standup", B.root);
    size_t slen = 0;
    char *state = state_copy(&slen);
    char *payload = tw_chat_standup_json(a, state, slen);
    free(state);
    enum publish_result res = payload ? publish_wait(topic, payload) : PUB_OFFLINE;
    free(payload);
    log_info("%s: standup %s by %s -> %s", tw_chat_source(route_platform[r]),
             tw_standup_action_name(a->standup), a->cmd.author,
             res == PUB_ACKED ? "acknowledged" : "not acknowledged");
    if (res != PUB_ACKED)
        return reply(c, r, MHD_HTTP_SERVICE_UNAVAILABLE,
                     "The wall did not confirm (its broker cannot be reached or is slow). "
                     "Sending it again is safe.");
    return reply(c, r, MHD_HTTP_OK, tw_chat_standup_text(a));
}

static enum MHD_Result run_command(struct MHD_Connection *c, enum route r, tw_chat_action *a)
{
    tw_chat_platform p = route_platform[r];
    char topic[256], text[2048], ref[TW_ID_SIZE] = "";
    snprintf(topic, sizeof topic, "%s/%s", B.root, tw_cmd_name(a->cmd.type));
    if (a->cmd.type == TW_CMD_POST) {
        char short_ref[TW_REF_MIN + 1];
        tw_chat_ref(a->cmd.id, short_ref);
        tw_strlcpy(ref, short_ref, sizeof ref);
    } else {
        tw_strlcpy(ref, a->cmd.ref, sizeof ref);
    }

    enum publish_result res;
    if (a->cmd.id[0] && seen_has(a->cmd.id)) {
        /* A retry that this or another bridge already published (and the
         * broker acknowledged: it came back to us through the broker). */
        log_info("%s: %s %s is published already (a retry); not again", tw_chat_source(p),
                 tw_cmd_name(a->cmd.type), a->cmd.id);
        pthread_mutex_lock(&B.lock);
        B.dedup_skips++;
        pthread_mutex_unlock(&B.lock);
        res = PUB_ACKED;
    } else {
        /* The sender's time, so every board orders the change alike. */
        a->cmd.ts = tw_now();
        char *payload = tw_codec_encode_command(&a->cmd);
        res = payload ? publish_wait(topic, payload) : PUB_OFFLINE;
        free(payload);
    }
    log_info("%s: %s %s by %s -> %s", tw_chat_source(p), tw_cmd_name(a->cmd.type), ref,
             a->cmd.author,
             res == PUB_ACKED     ? "acknowledged"
             : res == PUB_OFFLINE ? "offline"
             : res == PUB_LOST    ? "connection lost"
                                  : "timeout");
    /* Sent but unconfirmed, a command may still arrive. Claims, resolves
     * and API posts with their id are idempotent, so sending them again is
     * safe; a chat post sent again is a new request with a new id. */
    bool again_safe = a->cmd.type != TW_CMD_POST || p == TW_CHAT_API;
    const char *again = again_safe ? "sending the same command again is safe."
                                   : "check with `board` before posting it again.";
    switch (res) {
    case PUB_OFFLINE:
        return reply(c, r, MHD_HTTP_SERVICE_UNAVAILABLE,
                     "The wall is offline (its broker cannot be reached), so nothing was "
                     "posted. Try again in a minute.");
    case PUB_LOST:
        snprintf(text, sizeof text,
                 "The wall went offline before it confirmed. It may still arrive when the "
                 "broker is back; %s",
                 again);
        return reply(c, r, MHD_HTTP_SERVICE_UNAVAILABLE, text);
    case PUB_TIMEOUT:
        snprintf(text, sizeof text, "The wall did not confirm in time. It may still arrive; %s",
                 again);
        return reply(c, r, MHD_HTTP_GATEWAY_TIMEOUT, text);
    case PUB_ACKED: break;
    }

    /* Say what it was about, from the retained state, where we can. */
    char known[TW_TEXT_SIZE] = "";
    int found = -1;
    size_t slen = 0;
    char *state = state_copy(&slen);
    if (state && a->cmd.type != TW_CMD_POST)
        found = tw_chat_state_find(state, slen, a->cmd.ref, known, sizeof known);
    pthread_mutex_lock(&B.lock);
    int online = B.board_online;
    pthread_mutex_unlock(&B.lock);
    free(state);

    tw_chat_done_text(a, ref, known, text, sizeof text);
    size_t n = strlen(text);
    if (found == 0 && a->cmd.type != TW_CMD_REOPEN)
        snprintf(text + n, sizeof text - n,
                 "\nNo open item on the wall has that ref right now, so this may change "
                 "nothing: check it with `board`.");
    else if (online == 0)
        snprintf(text + n, sizeof text - n,
                 "\nThe wall %s is offline right now; it will show this when it is back.", B.board);
    if (p == TW_CHAT_API)
        return respond_json(
            c, r, MHD_HTTP_OK,
            tw_chat_api_json(true, ref, a->cmd.type == TW_CMD_POST ? a->cmd.id : NULL, text));
    return respond_json(c, r, MHD_HTTP_OK, tw_chat_reply_json(p, text));
}

/* Exactly Slack's certificate check: ssl_check=1 and no command in the form. */
static bool slack_ssl_check(const struct request *rq)
{
    char ssl[8], other[16];
    return tw_chat_form_get(rq->body, rq->len, "ssl_check", ssl, sizeof ssl) > 0 &&
           strcmp(ssl, "1") == 0 &&
           tw_chat_form_get(rq->body, rq->len, "command", other, sizeof other) == -1 &&
           tw_chat_form_get(rq->body, rq->len, "text", other, sizeof other) == -1;
}

static enum MHD_Result handle_command(struct MHD_Connection *c, struct request *rq)
{
    enum route r = rq->route;
    tw_chat_platform p = route_platform[r];
    char ip[64], reason[128];
    client_ip(c, ip, sizeof ip);

    /* Slack's signature covers the raw body and is checked before anything
     * reads it; Mattermost's token is in the body, so that body is decoded
     * (by the same bounded decoder) and checked before anything acts on it. */
    tw_chat_request *req = tw_xmalloc(sizeof *req);
    int drc = TW_ERR_PARSE;
    tw_verify_result v;
    enum MHD_Result ret;
    if (r == R_SLACK && slack_ssl_check(rq)) {
        /* Slack's certificate check comes unsigned (its own verifier
         * accepts it so): 200, nothing read further, nothing done. */
        log_debug("%s from %s: Slack's ssl_check", route_paths[r], ip);
        ret = respond(c, r, MHD_HTTP_OK, NULL, NULL);
        goto out;
    }
    if (r == R_MM_COMMAND || r == R_MM_OUTGOING) {
        drc = tw_chat_decode(p, header(c, MHD_HTTP_HEADER_CONTENT_TYPE), rq->body, rq->len, req,
                             reason, sizeof reason);
        v = verify(c, rq, drc == 0 ? req : NULL);
    } else {
        v = verify(c, rq, NULL);
        if (v == TW_VERIFY_OK)
            drc = tw_chat_decode(p, header(c, MHD_HTTP_HEADER_CONTENT_TYPE), rq->body, rq->len, req,
                                 reason, sizeof reason);
    }
    if (v != TW_VERIFY_OK) {
        log_warn("%s from %s refused: %s", route_paths[r], ip, tw_verify_reason(v));
        ret = respond_text(c, r, MHD_HTTP_UNAUTHORIZED, "unauthorized\n");
        goto out;
    }
    if (drc != 0) {
        log_info("%s from %s: unreadable body: %s", route_paths[r], ip, reason);
        char msg[192];
        snprintf(msg, sizeof msg, "Could not read the request: %s.", reason);
        ret = reply(c, r, MHD_HTTP_BAD_REQUEST, msg);
        goto out;
    }
    if (r == R_SLACK) {
        /* Slack's periodic certificate check carries no command. */
        char ssl[8];
        if (tw_chat_form_get(rq->body, rq->len, "ssl_check", ssl, sizeof ssl) > 0 &&
            strcmp(ssl, "1") == 0) {
            ret = respond(c, r, MHD_HTTP_OK, NULL, NULL);
            goto out;
        }
    }
    if (!rate_ok(p, req->user)) {
        char who[64 * 4 + 1];
        tw_text_escape_head(req->user, strlen(req->user), 64, who, sizeof who);
        log_warn("%s: rate limit for %s", route_paths[r], who);
        tw_chat_platform rp = p;
        char *body =
            rp == TW_CHAT_API
                ? tw_chat_api_json(false, NULL, NULL, "too many commands; slow down")
                : tw_chat_reply_json(rp, "Slow down: at most 20 commands a minute, please.");
        ret = respond_json(c, r, MHD_HTTP_TOO_MANY_REQUESTS, body);
        goto out;
    }
    if (!req->uid[0]) {
        /* Retries must post once: the API may name its own id. */
        const char *key = p == TW_CHAT_API ? header(c, "Idempotency-Key") : NULL;
        if (key && *key)
            tw_strlcpy(req->uid, key, sizeof req->uid);
        else
            tw_chat_fallback_uid(rq->body, rq->len, tw_now(), req->uid, sizeof req->uid);
    }

    tw_chat_action *a = tw_xmalloc(sizeof *a);
    tw_chat_parse(p, req, a);
    switch (a->verb) {
    case TW_CHAT_HELP: ret = reply(c, r, MHD_HTTP_OK, tw_chat_help_text()); break;
    case TW_CHAT_INVALID: {
        size_t n = strlen(a->error) + strlen(tw_chat_help_text()) + 4;
        char *msg = tw_xmalloc(n);
        snprintf(msg, n, "%s\n\n%s", a->error, tw_chat_help_text());
        ret = reply(c, r, MHD_HTTP_BAD_REQUEST, p == TW_CHAT_API ? a->error : msg);
        free(msg);
        break;
    }
    case TW_CHAT_BOARD: {
        size_t slen = 0;
        char *state = state_copy(&slen);
        char *text = state ? tw_chat_board_text(state, slen) : NULL;
        free(state);
        ret = reply(c, r, MHD_HTTP_OK,
                    text ? text
                         : "The wall has not published its state yet: is it running? "
                           "Commands still reach it when it comes back.");
        free(text);
        break;
    }
    case TW_CHAT_RUN: ret = run_command(c, r, a); break;
    case TW_CHAT_STANDUP: ret = run_standup(c, r, a); break;
    default: ret = reply(c, r, MHD_HTTP_BAD_REQUEST, tw_chat_help_text()); break;
    }
    free(a);
out:
    free(req);
    return ret;
}

static char *metrics_text(void)
{
    uint64_t sent = 0, failed = 0;
    tw_notify_stats(B.notify, &sent, &failed);
    size_t cap = 32768, len = 0; /* 88 request lines of < 128 bytes, and the rest */
    char *out = tw_xmalloc(cap);
#define EMIT(...)                                                                                  \
    do {                                                                                           \
        int n_ = snprintf(out + len, cap - len, __VA_ARGS__);                                      \
        if (n_ > 0 && (size_t)n_ < cap - len)                                                      \
            len += (size_t)n_;                                                                     \
    } while (0)
    pthread_mutex_lock(&B.lock);
    EMIT("# HELP teamwall_bridge_requests_total HTTP requests by route and status code.\n"
         "# TYPE teamwall_bridge_requests_total counter\n");
    for (int r = 0; r < R_COUNT; r++)
        for (size_t i = 0; i < N_CODES; i++)
            if (B.requests[r][i] || (i == 0 && r != R_OTHER)) {
                char code[8];
                snprintf(code, sizeof code, "%d", status_codes[i]);
                EMIT("teamwall_bridge_requests_total{route=\"%s\",code=\"%s\"} %llu\n",
                     route_paths[r], status_codes[i] ? code : "other",
                     (unsigned long long)B.requests[r][i]);
            }
    EMIT("# HELP teamwall_bridge_publishes_total Commands the broker acknowledged.\n"
         "# TYPE teamwall_bridge_publishes_total counter\n"
         "teamwall_bridge_publishes_total %llu\n"
         "# HELP teamwall_bridge_publish_failures_total Commands not acknowledged "
         "(offline, lost, timeout).\n"
         "# TYPE teamwall_bridge_publish_failures_total counter\n"
         "teamwall_bridge_publish_failures_total %llu\n",
         (unsigned long long)B.publishes, (unsigned long long)B.publish_failures);
    EMIT("# HELP teamwall_bridge_retries_skipped_total Commands not published again: their "
         "id was on the broker already (a retry, maybe to another bridge).\n"
         "# TYPE teamwall_bridge_retries_skipped_total counter\n"
         "teamwall_bridge_retries_skipped_total %llu\n",
         (unsigned long long)B.dedup_skips);
    EMIT("# HELP teamwall_bridge_notify_sent_total Notifications delivered.\n"
         "# TYPE teamwall_bridge_notify_sent_total counter\n"
         "teamwall_bridge_notify_sent_total %llu\n"
         "# HELP teamwall_bridge_notify_failed_total Notifications given up on or dropped.\n"
         "# TYPE teamwall_bridge_notify_failed_total counter\n"
         "teamwall_bridge_notify_failed_total %llu\n",
         (unsigned long long)sent, (unsigned long long)failed);
    EMIT("# HELP teamwall_bridge_broker_connected 1 while the broker connection is up.\n"
         "# TYPE teamwall_bridge_broker_connected gauge\n"
         "teamwall_bridge_broker_connected %d\n",
         B.connected ? 1 : 0);
    pthread_mutex_unlock(&B.lock);
    EMIT("# HELP teamwall_bridge_web_viewers Web view event streams open.\n"
         "# TYPE teamwall_bridge_web_viewers gauge\n"
         "teamwall_bridge_web_viewers %u\n",
         tw_web_streams(B.web));
#undef EMIT
    return out;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    (void)cls;
    (void)version;
    struct request *rq = *con_cls;
    if (!rq && B.web && tw_web_owns(url)) {
        rq = tw_xcalloc(1, sizeof *rq);
        rq->route = R_WEB;
        *con_cls = rq;
    }
    if (rq && rq->route == R_WEB) {
        unsigned status = 0;
        enum MHD_Result ret =
            tw_web_handle(B.web, c, url, method, upload_data, upload_data_size, &rq->web, &status);
        if (status) {
            count(R_WEB, (int)status);
            tw_httpguard_hold(c); /* answered: a stream may stay open for hours */
        }
        return ret;
    }
    if (!rq) {
        rq = tw_xcalloc(1, sizeof *rq);
        rq->route = find_route(url);
        *con_cls = rq;
        enum route r = rq->route;
        bool get =
            strcmp(method, MHD_HTTP_METHOD_GET) == 0 || strcmp(method, MHD_HTTP_METHOD_HEAD) == 0;
        bool post = strcmp(method, MHD_HTTP_METHOD_POST) == 0;
        /* Everything decided before the body is answered before reading it. */
        rq->answered = true;
        if (r == R_OTHER || !route_configured(r))
            return respond_text(c, r, MHD_HTTP_NOT_FOUND, "not found\n");
        if ((r == R_HEALTHZ || r == R_METRICS) ? !get : !post)
            return respond_text(c, r, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed\n");
        const char *cl = header(c, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl) {
            char *end;
            errno = 0;
            unsigned long long n = strtoull(cl, &end, 10);
            if (errno || end == cl || n > MAX_BODY)
                return respond_text(c, r, MHD_HTTP_CONTENT_TOO_LARGE, "request body over 64 KiB\n");
        }
        rq->answered = false;
        return MHD_YES;
    }
    if (*upload_data_size) {
        size_t n = *upload_data_size;
        *upload_data_size = 0;
        if (rq->answered || rq->too_large)
            return MHD_YES;
        if (rq->len + n > MAX_BODY) {
            rq->too_large = true; /* chunked or lying about its length */
            free(rq->body);
            rq->body = NULL;
            rq->len = rq->cap = 0;
            return MHD_YES;
        }
        if (rq->len + n + 1 > rq->cap) {
            size_t cap = rq->cap ? rq->cap : 4096;
            while (cap < rq->len + n + 1)
                cap *= 2;
            rq->body = tw_xrealloc(rq->body, cap);
            rq->cap = cap;
        }
        memcpy(rq->body + rq->len, upload_data, n);
        rq->len += n;
        rq->body[rq->len] = '\0';
        return MHD_YES;
    }
    if (rq->answered)
        return MHD_YES;
    rq->answered = true;
    tw_httpguard_hold(c); /* whole: answering may wait for the broker */
    if (rq->too_large)
        return respond_text(c, rq->route, MHD_HTTP_CONTENT_TOO_LARGE, "request body over 64 KiB\n");
    switch (rq->route) {
    case R_HEALTHZ:
        return is_connected() ? respond_text(c, R_HEALTHZ, MHD_HTTP_OK, "ok: broker connected\n")
                              : respond_text(c, R_HEALTHZ, MHD_HTTP_SERVICE_UNAVAILABLE,
                                             "unavailable: broker not connected\n");
    case R_METRICS:
        return respond(c, R_METRICS, MHD_HTTP_OK, "text/plain; version=0.0.4", metrics_text());
    default: {
        if (!rq->body) {
            rq->body = tw_xstrdup("");
            rq->len = 0;
        }
        return handle_command(c, rq);
    }
    }
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)toe;
    tw_httpguard_done(c);
    struct request *rq = *con_cls;
    if (rq) {
        tw_web_completed(B.web, &rq->web);
        free(rq->body);
        free(rq);
        *con_cls = NULL;
    }
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char buf[512];
    vsnprintf(buf, sizeof buf, fmt, ap);
    size_t n = strlen(buf);
    while (n && buf[n - 1] == '\n')
        buf[--n] = '\0';
    log_debug("http: %s", buf);
}

/* "host:port", "[v6]:port" or ":port" into an address to bind. */
static int parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *len)
{
    char host[256] = "", port[16] = "";
    const char *colon;
    if (s[0] == '[') {
        const char *close = strchr(s, ']');
        if (!close || close[1] != ':' || (size_t)(close - s - 1) >= sizeof host)
            return TW_ERR_INVAL;
        memcpy(host, s + 1, (size_t)(close - s - 1));
        colon = close + 1;
    } else {
        colon = strrchr(s, ':');
        if (!colon || (size_t)(colon - s) >= sizeof host)
            return TW_ERR_INVAL;
        memcpy(host, s, (size_t)(colon - s));
    }
    if (strlen(colon + 1) == 0 || strlen(colon + 1) >= sizeof port)
        return TW_ERR_INVAL;
    tw_strlcpy(port, colon + 1, sizeof port);
    struct addrinfo hints = {0}, *res = NULL;
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    if (getaddrinfo(host[0] ? host : NULL, port, &hints, &res) != 0 || !res)
        return TW_ERR_INVAL;
    memcpy(ss, res->ai_addr, res->ai_addrlen);
    *len = res->ai_addrlen;
    freeaddrinfo(res);
    return 0;
}

static int http_start(void)
{
    struct sockaddr_storage ss;
    socklen_t sl = 0;
    if (parse_listen(B.cfg.listen, &ss, &sl)) {
        log_error("listen: cannot use \"%s\" (want address:port, e.g. 127.0.0.1:8088)",
                  B.cfg.listen);
        return TW_ERR_INVAL;
    }
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION |
                     MHD_USE_POLL | MHD_USE_ERROR_LOG;
    uint16_t port;
    if (ss.ss_family == AF_INET6) {
        flags |= MHD_USE_IPv6;
        port = ntohs(((struct sockaddr_in6 *)(void *)&ss)->sin6_port);
    } else {
        port = ntohs(((struct sockaddr_in *)(void *)&ss)->sin_port);
    }
    B.mhd = MHD_start_daemon(
        flags, port, NULL, NULL, on_request, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)B.timeout_s, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)CONNECTIONS_MAX, MHD_OPTION_THREAD_STACK_SIZE, (size_t)THREAD_STACK,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)PER_ADDRESS_MAX, MHD_OPTION_NOTIFY_CONNECTION,
        tw_httpguard_notify, NULL, MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
        MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL, MHD_OPTION_END);
    if (!B.mhd) {
        log_error("cannot listen on %s: %s", B.cfg.listen, strerror(errno));
        return TW_ERR_IO;
    }
    return 0;
}

/* The web view's actions: the same publish as the chats' commands. */
static int web_publish(void *ctx, const char *topic, const char *payload, char *reason, size_t size)
{
    (void)ctx;
    switch (publish_wait(topic, payload)) {
    case PUB_ACKED: return 0;
    case PUB_OFFLINE: snprintf(reason, size, "%s", _("the broker cannot be reached")); break;
    case PUB_LOST: snprintf(reason, size, "%s", _("the broker connection was lost")); break;
    case PUB_TIMEOUT: snprintf(reason, size, "%s", _("the broker did not confirm in time")); break;
    }
    return TW_ERR_NET;
}

/* ---- main ---- */

static void usage(FILE *f)
{
    fprintf(f,
            "usage: teamwall-bridge [options]\n"
            "Slack, Mattermost, Microsoft Teams and scripts post to the wall (docs/CHAT.md).\n"
            "  --config FILE     config file (default " TW_CONFIG_DEFAULT_PATH ")\n"
            "  --broker URL      mqtt[s]://[user:pass@]host[:port] ([mqtt] broker)\n"
            "  --team NAME       team ([board] team)\n"
            "  --listen ADDR     address:port to serve on ([bridge] listen)\n"
            "  --timeout SECS    close connections idle this long (default %d)\n"
            "  --help            this text\n"
            "  --version         the version\n",
            DEFAULT_TIMEOUT);
}

int main(int argc, char **argv)
{
    enum { O_CONFIG = 1, O_BROKER, O_TEAM, O_LISTEN, O_TIMEOUT, O_HELP, O_VERSION };
    static const struct option opts[] = {
        {"config", required_argument, 0, O_CONFIG},   {"broker", required_argument, 0, O_BROKER},
        {"team", required_argument, 0, O_TEAM},       {"listen", required_argument, 0, O_LISTEN},
        {"timeout", required_argument, 0, O_TIMEOUT}, {"help", no_argument, 0, O_HELP},
        {"version", no_argument, 0, O_VERSION},       {0, 0, 0, 0}};
    char err[512];
    const char *config_path = NULL;
    int o;
    opterr = 0;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (o == O_CONFIG) {
            config_path = optarg;
        } else if (o == O_HELP) {
            usage(stdout);
            return 0;
        } else if (o == O_VERSION) {
            printf("teamwall-bridge %s\n", TW_VERSION);
            return 0;
        } else if (o == '?') {
            fprintf(stderr, "teamwall-bridge: unknown or incomplete option %s\n", argv[optind - 1]);
            usage(stderr);
            return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "teamwall-bridge: unexpected argument %s\n", argv[optind]);
        return 2;
    }

    tw_config_defaults(&B.cfg);
    /* The board's [button "..."] sections live in the same file: check them,
     * keep nothing. */
    tw_button_config_install(NULL);
    const char *path = config_path ? config_path : TW_CONFIG_DEFAULT_PATH;
    if (config_path || access(path, F_OK) == 0) {
        if (tw_config_load(&B.cfg, path, err, sizeof err)) {
            fprintf(stderr, "teamwall-bridge: %s\n", err);
            return 2;
        }
    }
    B.timeout_s = DEFAULT_TIMEOUT;
    optind = 1;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        int rc = 0;
        switch (o) {
        case O_BROKER: rc = tw_config_set(&B.cfg, "mqtt", "broker", optarg, err, sizeof err); break;
        case O_TEAM: rc = tw_config_set(&B.cfg, "board", "team", optarg, err, sizeof err); break;
        case O_LISTEN:
            rc = tw_config_set(&B.cfg, "bridge", "listen", optarg, err, sizeof err);
            break;
        case O_TIMEOUT: {
            char *end;
            long t = strtol(optarg, &end, 10);
            if (*end || t < 1 || t > 3600) {
                snprintf(err, sizeof err, "--timeout: want 1-3600 seconds, not \"%s\"", optarg);
                rc = TW_ERR_INVAL;
            } else {
                B.timeout_s = (int)t;
            }
            break;
        }
        default: break;
        }
        if (rc) {
            fprintf(stderr, "teamwall-bridge: %s\n", err);
            return 2;
        }
    }
    /* Chat replies in the board's language ([display] language). */
    if (tw_i18n_use_config(B.cfg.language))
        return 2;
    if (tw_broker_list_parse(B.cfg.broker, &B.url, 1) <= 0) {
        fprintf(stderr, "teamwall-bridge: broker: not a broker URL: \"%s\"\n", B.cfg.broker);
        return 2;
    }
    /* Whose state and events: [bridge] board, else this host's [board] id. */
    tw_strlcpy(B.board, B.cfg.bridge_board[0] ? B.cfg.bridge_board : B.cfg.board, sizeof B.board);
    tw_config_root(&B.cfg, B.root, sizeof B.root);
    snprintf(B.topic_state, sizeof B.topic_state, "%s/board/%s/state", B.root, B.board);
    snprintf(B.topic_events, sizeof B.topic_events, "%s/board/%s/events", B.root, B.board);
    snprintf(B.topic_status, sizeof B.topic_status, "%s/board/%s/status", B.root, B.board);
    B.board_online = -1;

    /* Signals are taken by sigwait() in this thread alone: block them before
     * any thread starts, so every thread inherits the mask. */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);

    pthread_mutex_init(&B.lock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&B.cond, &ca);
    pthread_condattr_destroy(&ca);

    int status = 1;
    bool mqtt_running = false;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    mosquitto_lib_init();
    if (B.cfg.notify_url[0]) {
        tw_notify_options no = {.url = B.cfg.notify_url};
        if (tw_notify_create(&no, &B.notify)) {
            log_error("[notify] url must be an http:// or https:// URL");
            goto out;
        }
        B.notify_style =
            strstr(B.cfg.notify_url, "hooks.slack.com") ? TW_CHAT_SLACK : TW_CHAT_MATTERMOST;
    }
    tw_web_options wo = {.cfg = &B.cfg,
                         .root = B.root,
                         .board = B.board,
                         .publish = web_publish,
                         .answering = tw_httpguard_hold};
    if (tw_web_create(&wo, &B.web))
        log_warn("the web view is off (see above); the chat routes work");
    if (mqtt_start())
        goto out;
    mqtt_running = true;
    if (tw_httpguard_start(REQUEST_DEADLINE_MS) || http_start())
        goto out;

    int routes = 0;
    for (int r = 0; r < R_HEALTHZ; r++)
        routes += route_configured((enum route)r);
    log_info("teamwall-bridge %s serving http://%s for team %s (board %s, %d chat route%s%s)",
             TW_VERSION, B.cfg.listen, B.cfg.team, B.board, routes, routes == 1 ? "" : "s",
             B.notify ? ", notifications on" : "");
    if (routes == 0)
        log_warn("no chat route is configured: set [slack], [mattermost], [teams] or [api]");

    int sig = 0;
    sigwait(&sigs, &sig);
    log_info("%s: shutting down", sig == SIGTERM ? "SIGTERM" : "SIGINT");
    status = 0;
out:
    /* Requests in flight finish (each within ACK_WAIT_MS), then the broker
     * connection closes cleanly, then queued notifications get a last try. */
    tw_web_stop(B.web); /* its streams end, so the daemon can join their threads */
    if (B.mhd)
        MHD_stop_daemon(B.mhd);
    tw_httpguard_stop();
    atomic_store(&B.stopping, true);
    pthread_mutex_lock(&B.lock);
    pthread_cond_broadcast(&B.cond);
    pthread_mutex_unlock(&B.lock);
    if (mqtt_running)
        pthread_join(B.mqtt_thread, NULL);
    tw_notify_destroy(B.notify, 2000);
    mosquitto_destroy(B.mosq);
    mosquitto_lib_cleanup();
    curl_global_cleanup();
    free(B.state);
    tw_web_destroy(B.web);
    pthread_cond_destroy(&B.cond);
    pthread_mutex_destroy(&B.lock);
    return status;
}
