/* SPDX-License-Identifier: MIT */
/*
 * libmosquitto under the caller's poll() loop. See client.h for the contract
 * and docs/ARCHITECTURE.md for why the acknowledgement waits for the write.
 */
#define _POSIX_C_SOURCE 200809L
#define LOG_MODULE      "mqtt"
#include "client.h"

#include <errno.h>
#include <mosquitto.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "log.h"
#include "util.h"

#define BACKOFF_MIN_MS 500
#define BACKOFF_MAX_MS 2000 /* R2: back within 2 s of the broker's return */
#define SEND_WINDOW    512  /* QoS 1 publishes in flight (see tw_mqtt_create) */

struct tw_mqtt {
    struct mosquitto *mosq;
    tw_mqtt_handlers h;
    char *host;
    int port, keepalive;
    bool connected; /* CONNACK accepted and socket up */
    bool started;
    bool closing;     /* tw_mqtt_destroy() is disconnecting on purpose */
    int64_t retry_at; /* monotonic ms of the next connect attempt; 0 = none due */
    int backoff_ms;
    int64_t misc_at;      /* next keepalive check */
    int64_t up_since;     /* monotonic ms of the last accepted CONNACK */
    char reason[64];      /* why we are not connected */
    long backlog;         /* publishes not yet written (QoS 0) or acknowledged (QoS 1) */
    bool session_present; /* the last CONNACK said the broker kept our session */
    /* Brokers to try in turn: [0] is host:port; more from opt->fallbacks. */
    char *hosts[TW_MQTT_HOSTS_MAX];
    int ports[TW_MQTT_HOSTS_MAX];
    int n_hosts, cur;
    int round_tries; /* failed attempts since the last success, across the list */
    int connected_host;
    int priming;           /* > 0: still leaving a session on hosts[priming] before hosts[0] */
    int subs_out;          /* subscriptions not yet acknowledged (priming waits for them) */
    bool down_logged;      /* a failed first attempt was logged (once until connected) */
    unsigned long handled; /* packets that reached a callback (tw_mqtt_read's progress) */
    bool tls;              /* keeps libmosquitto's error log while connected (on_log) */
};

static void lib_init(void)
{
    static bool done;
    if (!done) {
        mosquitto_lib_init();
        done = true;
    }
}

/* The connection is gone (or never came): note why and schedule the next
 * attempt, once per outage however many paths report it. */
static void set_offline(tw_mqtt *m, const char *reason)
{
    if (m->retry_at)
        return;
    bool was = m->connected;
    m->connected = false;
    /* A connection that dies right after it came up (the broker kicks us for
     * a packet it refuses, say) must not reconnect in a tight loop: keep
     * backing off unless it stayed up for a while. */
    if (was && tw_mono_ms() - m->up_since > 10000)
        m->backoff_ms = BACKOFF_MIN_MS;
    tw_strlcpy(m->reason, reason, sizeof(m->reason));
    if (m->priming > 0) {
        /* Leaving a session on a fallback broker at start: done with this
         * one (or it is unreachable); on to the next, at once. */
        m->priming--;
        m->cur = m->priming;
        m->retry_at = tw_mono_ms() + 1;
        return;
    }
    if (m->n_hosts > 1 && ++m->round_tries < m->n_hosts) {
        /* The next broker of the list at once; the back-off only once
         * every one was tried. */
        m->cur = (m->cur + 1) % m->n_hosts;
        m->retry_at = tw_mono_ms() + 50;
    } else {
        if (m->n_hosts > 1) {
            m->cur = (m->cur + 1) % m->n_hosts;
            m->round_tries = 0;
        }
        m->retry_at = tw_mono_ms() + m->backoff_ms;
        m->backoff_ms = m->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : m->backoff_ms * 2;
    }
    if (m->closing)
        return;
    if (was)
        log_warn("disconnected from %s:%d: %s", m->hosts[m->connected_host],
                 m->ports[m->connected_host], reason);
    else if (!m->down_logged) /* a wrong CA, say: once, not at every retry */
        log_warn("cannot connect to %s:%d: %s; retrying", m->hosts[m->cur], m->ports[m->cur],
                 reason);
    m->down_logged = true;
    if (m->h.on_disconnect)
        m->h.on_disconnect(m->h.ctx, reason);
}

static const char *rc_reason(int rc)
{
    switch (rc) {
    case MOSQ_ERR_TLS:
    case MOSQ_ERR_TLS_HANDSHAKE: return "TLS error";
    case MOSQ_ERR_CONN_REFUSED:
    case MOSQ_ERR_AUTH: return "refused credentials";
    case MOSQ_ERR_KEEPALIVE: return "keepalive timeout";
    case MOSQ_ERR_ERRNO:
        if (errno == ECONNREFUSED || errno == EHOSTUNREACH || errno == ENETUNREACH ||
            errno == ETIMEDOUT)
            return "unreachable";
        return "connection lost";
    case MOSQ_ERR_EAI: return "unknown host";
    default: return "connection lost";
    }
}

/* libmosquitto's errors say what OpenSSL refused ("certificate verify
 * failed"): into our log. */
static void on_log(struct mosquitto *mosq, void *obj, int level, const char *str)
{
    (void)mosq;
    (void)obj;
    if (level & MOSQ_LOG_ERR)
        log_warn("libmosquitto: %s", str);
}

/* With a log callback set, libmosquitto formats a line for every packet
 * it sends or receives (a 500-byte malloc and a vsnprintf, whatever the
 * level; three a post, 8,800 of the 100,700 instructions a post costs to
 * read, apply, commit and answer, TARGETS.md P2, docs/PERFORMANCE.md), and
 * its errors are nearly all about connecting: TLS setup and the
 * handshake. So the callback is on while connecting and off once a plain
 * connection is up; a TLS connection keeps it, since OpenSSL's reason for
 * a failed read is said only there. */
static void log_while_connecting(tw_mqtt *m, bool connecting)
{
    mosquitto_log_callback_set(m->mosq, connecting || m->tls ? on_log : NULL);
}

static void on_connect(struct mosquitto *mosq, void *obj, int rc, int flags)
{
    (void)mosq;
    tw_mqtt *m = obj;
    m->handled++;
    m->session_present = (flags & 1) != 0;
    if (rc != 0) {
        /* 4: bad user name or password, 5: not authorised */
        const char *why = (rc == 4 || rc == 5) ? "refused credentials" : "refused by broker";
        log_warn("broker %s:%d refused the connection: %s", m->hosts[m->cur], m->ports[m->cur],
                 mosquitto_connack_string(rc));
        set_offline(m, why);
        return;
    }
    m->connected = true;
    log_while_connecting(m, false);
    m->up_since = tw_mono_ms();
    m->round_tries = 0;
    m->connected_host = m->cur;
    m->down_logged = false;
    /* What the session resends is acknowledged without having been counted
     * since: start afresh (the count is a load measure, not a ledger). */
    m->backlog = 0;
    m->reason[0] = '\0';
    log_info("connected to %s:%d%s", m->hosts[m->cur], m->ports[m->cur],
             m->priming > 0 ? " (leaving a session there for a failover)" : "");
    m->subs_out = 0;
    if (m->h.on_connect)
        m->h.on_connect(m->h.ctx); /* subscribes */
    if (m->priming > 0 && m->subs_out == 0)
        mosquitto_disconnect(m->mosq);
}

static void on_subscribe(struct mosquitto *mosq, void *obj, int mid, int n, const int *granted)
{
    (void)mosq, (void)mid, (void)n, (void)granted;
    tw_mqtt *m = obj;
    m->handled++;
    if (m->subs_out > 0 && --m->subs_out == 0 && m->priming > 0) {
        /* The fallback broker now keeps what is sent to us while we are on
         * the first: a failover loses nothing it acknowledged. */
        mosquitto_disconnect(m->mosq);
    }
}

static void on_disconnect(struct mosquitto *mosq, void *obj, int rc)
{
    (void)mosq;
    tw_mqtt *m = obj;
    log_while_connecting(m, true);
    set_offline(m, rc == 0 ? "disconnected" : rc_reason(rc));
}

static void on_message(struct mosquitto *mosq, void *obj, const struct mosquitto_message *msg)
{
    (void)mosq;
    tw_mqtt *m = obj;
    m->handled++;
    if (m->h.on_message)
        m->h.on_message(m->h.ctx, msg->topic, msg->payload, (size_t)msg->payloadlen, msg->qos,
                        msg->retain);
}

static void on_publish(struct mosquitto *mosq, void *obj, int mid)
{
    (void)mosq;
    tw_mqtt *m = obj;
    m->handled++;
    if (m->backlog > 0)
        m->backlog--;
    if (m->h.on_publish)
        m->h.on_publish(m->h.ctx, mid);
}

static bool set(const char *s)
{
    return s && *s;
}

int tw_mqtt_create(const tw_mqtt_options *opt, const tw_mqtt_handlers *handlers, tw_mqtt **out)
{
    if (!opt || !opt->host || !out)
        return TW_ERR_INVAL;
    lib_init();
    tw_mqtt *m = tw_xcalloc(1, sizeof(*m));
    int rc;
    if (handlers)
        m->h = *handlers;
    m->host = tw_xstrdup(opt->host);
    m->port = opt->port;
    m->hosts[0] = tw_xstrdup(opt->host);
    m->ports[0] = opt->port;
    m->n_hosts = 1;
    for (int i = 0; i < opt->n_fallbacks && m->n_hosts < TW_MQTT_HOSTS_MAX; i++) {
        m->hosts[m->n_hosts] = tw_xstrdup(opt->fallbacks[i].host);
        m->ports[m->n_hosts++] = opt->fallbacks[i].port;
    }
    /* A persistent session on every broker of the list, so each keeps what
     * is sent to us while we are on another (a bridged pair: each holds its
     * own sessions). A cluster holds one session: then this costs a connect. */
    if (!opt->clean_session && m->n_hosts > 1)
        m->priming = m->n_hosts - 1;
    m->cur = m->priming;
    m->keepalive = opt->keepalive > 0 ? opt->keepalive : 30;
    m->backoff_ms = BACKOFF_MIN_MS;
    tw_strlcpy(m->reason, "connecting", sizeof(m->reason));
    m->mosq = mosquitto_new(opt->client_id, opt->clean_session, m);
    if (!m->mosq) {
        log_error("mosquitto_new: %s", strerror(errno));
        goto fail;
    }
    /* We run the loop ourselves and want PUBACKs deferred to our write. */
    mosquitto_threaded_set(m->mosq, true);
    mosquitto_int_option(m->mosq, MOSQ_OPT_TCP_NODELAY, 1);
    /* QoS 1 publishes (one event per change) in flight before the rest
     * wait in libmosquitto's queue. Its default, 20, let ~800 events a
     * second out when a pass reads their acks every 25 ms, fewer than a
     * flood makes, and the queue behind grew without bound; the app keeps
     * what waits under this window (tw_mqtt_backlog(), flush_events()). */
    mosquitto_int_option(m->mosq, MOSQ_OPT_SEND_MAXIMUM, SEND_WINDOW);
    mosquitto_connect_with_flags_callback_set(m->mosq, on_connect);
    mosquitto_log_callback_set(m->mosq, on_log);
    mosquitto_disconnect_callback_set(m->mosq, on_disconnect);
    mosquitto_message_callback_set(m->mosq, on_message);
    mosquitto_publish_callback_set(m->mosq, on_publish);
    mosquitto_subscribe_callback_set(m->mosq, on_subscribe);
    if (set(opt->username) && mosquitto_username_pw_set(m->mosq, opt->username,
                                                        set(opt->password) ? opt->password : NULL))
        goto fail;
    if (opt->tls || set(opt->cafile)) {
        m->tls = true;
        rc = mosquitto_tls_set(m->mosq, set(opt->cafile) ? opt->cafile : NULL,
                               set(opt->cafile) ? NULL : "/etc/ssl/certs",
                               set(opt->certfile) ? opt->certfile : NULL,
                               set(opt->keyfile) ? opt->keyfile : NULL, NULL);
        if (rc) {
            log_error("TLS setup failed (cafile %s, certfile %s): %s", opt->cafile, opt->certfile,
                      mosquitto_strerror(rc));
            goto fail;
        }
    }
    if (opt->will_topic &&
        mosquitto_will_set(m->mosq, opt->will_topic, (int)strlen(opt->will_payload),
                           opt->will_payload, 1, true))
        goto fail;
    *out = m;
    return 0;
fail:
    tw_mqtt_destroy(m, 0);
    return TW_ERR_INVAL;
}

void tw_mqtt_destroy(tw_mqtt *m, int timeout_ms)
{
    if (!m)
        return;
    m->closing = true;
    if (m->mosq) {
        if (m->connected) {
            mosquitto_disconnect(m->mosq);
            int64_t end = tw_mono_ms() + timeout_ms;
            while (mosquitto_want_write(m->mosq) && tw_mono_ms() < end &&
                   mosquitto_socket(m->mosq) >= 0) {
                struct pollfd p = {mosquitto_socket(m->mosq), POLLOUT, 0};
                if (poll(&p, 1, 50) > 0 && mosquitto_loop_write(m->mosq, 1))
                    break;
            }
        }
        mosquitto_destroy(m->mosq);
    }
    free(m->host);
    for (int i = 0; i < m->n_hosts; i++)
        free(m->hosts[i]);
    free(m);
}

static void try_connect(tw_mqtt *m)
{
    /* Another broker of the list: connect anew (the handle keeps the
     * session flags, client id and will); the same: reconnect. */
    bool same = m->started && m->connected_host == m->cur;
    log_while_connecting(m, true);
    if (m->started && !same)
        log_info("trying %s:%d", m->hosts[m->cur], m->ports[m->cur]);
    int rc =
        same ? mosquitto_reconnect_async(m->mosq)
             : mosquitto_connect_async(m->mosq, m->hosts[m->cur], m->ports[m->cur], m->keepalive);
    m->started = true;
    m->connected_host = m->cur;
    m->retry_at = 0;
    if (rc != MOSQ_ERR_SUCCESS) {
        const char *why = rc_reason(rc);
        log_debug("connect to %s:%d failed: %s", m->hosts[m->cur], m->ports[m->cur],
                  rc == MOSQ_ERR_ERRNO ? strerror(errno) : mosquitto_strerror(rc));
        set_offline(m, why);
    }
}

void tw_mqtt_start(tw_mqtt *m)
{
    log_info("connecting to %s:%d", m->hosts[m->cur], m->ports[m->cur]);
    try_connect(m);
}

int tw_mqtt_fd(tw_mqtt *m)
{
    return mosquitto_socket(m->mosq);
}

bool tw_mqtt_want_write(tw_mqtt *m)
{
    return mosquitto_socket(m->mosq) >= 0 && mosquitto_want_write(m->mosq);
}

static void handle_rc(tw_mqtt *m, int rc)
{
    if (rc == MOSQ_ERR_SUCCESS)
        return;
    /* Usually libmosquitto already closed the socket and called
     * on_disconnect; set_offline() ignores the second report. */
    set_offline(m, rc_reason(rc));
}

bool tw_mqtt_read(tw_mqtt *m)
{
    unsigned long before = m->handled;
    int rc = mosquitto_loop_read(m->mosq, 1);
    handle_rc(m, rc);
    if (rc || mosquitto_socket(m->mosq) < 0)
        return false;
    /* A packet was handled: under a flood the next is likely there already,
     * and reading again costs one read() that fails when it is not. None
     * handled: what the socket held was at most part of a packet (or one
     * without a callback, a PINGRESP), and the caller's poll() says when
     * more comes. Asking the socket with a poll() of our own after every
     * packet cost a system call a post (P2, docs/PERFORMANCE.md). */
    return m->handled != before;
}

/* Corked: the acks and events one pass queued (a hundred or more under a
 * flood) leave in a few full segments instead of one each, which under
 * TCP_NODELAY cost the board and the broker a trip through the network
 * stack and a wake-up per packet. Uncorking sends at once, so a lone ack is
 * not delayed. */
static void cork(tw_mqtt *m, int on)
{
    int fd = mosquitto_socket(m->mosq);
    if (fd >= 0)
        setsockopt(fd, IPPROTO_TCP, TCP_CORK, &on, sizeof(on));
}

void tw_mqtt_write(tw_mqtt *m)
{
    cork(m, 1);
    int rc = mosquitto_loop_write(m->mosq, 1);
    cork(m, 0);
    handle_rc(m, rc);
}

void tw_mqtt_tick(tw_mqtt *m)
{
    int64_t now = tw_mono_ms();
    if (mosquitto_socket(m->mosq) < 0) {
        if (m->retry_at && now >= m->retry_at)
            try_connect(m);
        return;
    }
    if (now >= m->misc_at) {
        handle_rc(m, mosquitto_loop_misc(m->mosq));
        /* Check often enough that a PINGREQ leaves well before the broker's
         * 1.5 x keepalive limit. */
        int step = m->keepalive * 1000 / 4;
        m->misc_at = now + (step < 1000 ? 1000 : step > 5000 ? 5000 : step);
    }
}

int64_t tw_mqtt_next_deadline(tw_mqtt *m)
{
    if (mosquitto_socket(m->mosq) < 0)
        return m->retry_at ? m->retry_at : tw_mono_ms() + BACKOFF_MAX_MS;
    return m->misc_at;
}

void tw_mqtt_abort(tw_mqtt *m, const char *reason)
{
    int fd = mosquitto_socket(m->mosq);
    if (fd < 0)
        return;
    log_warn("dropping the connection without acknowledging: %s", reason);
    /* shutdown() rather than close(): libmosquitto owns the descriptor. The
     * next read sees the end and the library cleans up; its queued packets
     * (our PUBACKs) are discarded on reconnect. */
    shutdown(fd, SHUT_RDWR);
    handle_rc(m, mosquitto_loop_read(m->mosq, 1));
    if (mosquitto_socket(m->mosq) >= 0)
        mosquitto_disconnect(m->mosq);
}

bool tw_mqtt_priming(const tw_mqtt *m)
{
    return m && m->priming > 0;
}

bool tw_mqtt_session_present(const tw_mqtt *m)
{
    return m && m->session_present;
}

bool tw_mqtt_connected(tw_mqtt *m)
{
    return m->connected;
}

int tw_mqtt_publish(tw_mqtt *m, const char *topic, const void *payload, size_t len, int qos,
                    bool retain, int *mid)
{
    int rc = mosquitto_publish(m->mosq, mid, topic, (int)len, payload, qos, retain);
    if (rc != MOSQ_ERR_SUCCESS) {
        log_debug("publish %s: %s", topic, mosquitto_strerror(rc));
        return TW_ERR_NET;
    }
    m->backlog++;
    return 0;
}

long tw_mqtt_backlog(const tw_mqtt *m)
{
    return m->backlog;
}

int tw_mqtt_subscribe(tw_mqtt *m, const char *pattern, int qos)
{
    int rc = mosquitto_subscribe(m->mosq, NULL, pattern, qos);
    if (rc != MOSQ_ERR_SUCCESS) {
        log_warn("subscribe %s: %s", pattern, mosquitto_strerror(rc));
        return TW_ERR_NET;
    }
    m->subs_out++;
    return 0;
}

int tw_mqtt_run_until(tw_mqtt *m, int timeout_ms, bool (*done)(void *ctx), void *ctx)
{
    int64_t end = tw_mono_ms() + timeout_ms;
    while (!done(ctx)) {
        int64_t now = tw_mono_ms();
        if (now >= end)
            return TW_ERR_NET;
        int64_t wake = tw_mqtt_next_deadline(m);
        if (wake > end)
            wake = end;
        int fd = tw_mqtt_fd(m);
        int timeout = wake > now ? (int)(wake - now) : 0;
        if (fd >= 0) {
            struct pollfd p = {fd, (short)(POLLIN | (tw_mqtt_want_write(m) ? POLLOUT : 0)), 0};
            if (poll(&p, 1, timeout) > 0) {
                if (p.revents & (POLLIN | POLLERR | POLLHUP))
                    while (tw_mqtt_read(m))
                        ;
                if (tw_mqtt_fd(m) >= 0 && (p.revents & POLLOUT))
                    tw_mqtt_write(m);
            }
        } else if (timeout > 0) {
            poll(NULL, 0, timeout);
        }
        tw_mqtt_tick(m);
    }
    return 0;
}
