/* SPDX-License-Identifier: MIT */
/*
 * The MQTT client: libmosquitto driven by the caller's own poll() loop, never
 * by a thread of the library. The caller polls tw_mqtt_fd() (POLLOUT only
 * while tw_mqtt_want_write()), then calls tw_mqtt_read()/tw_mqtt_write(), and
 * tw_mqtt_tick() when tw_mqtt_next_deadline() is due.
 *
 * The library is told the application handles its own threading
 * (mosquitto_threaded_set), so the QoS 1 PUBACK that libmosquitto queues
 * before calling on_message is not written until the next tw_mqtt_write():
 * the caller commits what the callbacks stored between read and write, and
 * the acknowledgement leaves only after the commit (docs/ARCHITECTURE.md).
 *
 * Connecting is asynchronous; a lost or refused connection is retried with a
 * back-off of 0.5 s doubling to at most 2 s; with fallback brokers, the next
 * of the list is tried at once, and the back-off applies once every one was.
 */
#ifndef TW_MQTT_CLIENT_H
#define TW_MQTT_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct tw_mqtt tw_mqtt;

#define TW_MQTT_HOSTS_MAX 8

/* A broker to fall back to. */
typedef struct tw_mqtt_host {
    const char *host;
    int port;
} tw_mqtt_host;

typedef struct tw_mqtt_options {
    const char *client_id; /* NULL = random; with clean_session false it must be set */
    bool clean_session;
    const char *host;
    int port;
    bool tls;
    const char *cafile, *certfile, *keyfile; /* "" or NULL when unused */
    const char *username, *password;         /* "" or NULL when unused */
    int keepalive;                           /* seconds */
    const char *will_topic;                  /* NULL: no will */
    const char *will_payload;                /* retained, QoS 1 */
    /* More brokers (a cluster's nodes, a bridged pair), tried in turn after
     * host:port when one is unreachable or drops; the same credentials and
     * TLS settings. With a persistent session the client first leaves a
     * session on each (subscribed, then disconnected), so each keeps what
     * is sent while the client is on another. Copied. */
    const tw_mqtt_host *fallbacks;
    int n_fallbacks;
} tw_mqtt_options;

typedef struct tw_mqtt_handlers {
    void *ctx;
    /* Connected (again): subscribe and publish status here. */
    void (*on_connect)(void *ctx);
    /* Lost or refused; reason is "unreachable", "refused credentials", "TLS error", ... */
    void (*on_disconnect)(void *ctx, const char *reason);
    /* A message. Everything is borrowed for the call. */
    void (*on_message)(void *ctx, const char *topic, const void *payload, size_t len, int qos,
                       bool retained);
    /* The broker acknowledged our QoS 1 publish mid. */
    void (*on_publish)(void *ctx, int mid);
} tw_mqtt_handlers;

/* Create the client (copies options and handlers). Does not connect. */
int tw_mqtt_create(const tw_mqtt_options *opt, const tw_mqtt_handlers *handlers, tw_mqtt **out);
/* Disconnect cleanly (flushing what is queued, at most timeout_ms) and free; NULL is a no-op. */
void tw_mqtt_destroy(tw_mqtt *m, int timeout_ms);

/* Start connecting (asynchronously). Failures are retried by tw_mqtt_tick(). */
void tw_mqtt_start(tw_mqtt *m);

/* The socket to poll, or -1 when there is none. */
int tw_mqtt_fd(tw_mqtt *m);
bool tw_mqtt_want_write(tw_mqtt *m);
/* Read what the socket has (callbacks run inside). Returns true if the socket
 * may hold more data (the caller may read again before writing). */
bool tw_mqtt_read(tw_mqtt *m);
void tw_mqtt_write(tw_mqtt *m);
/* Keepalive and reconnects; call when tw_mqtt_next_deadline() has passed. */
void tw_mqtt_tick(tw_mqtt *m);
/* Monotonic ms of the next time tw_mqtt_tick() has work. */
int64_t tw_mqtt_next_deadline(tw_mqtt *m);

/* Drop the connection without writing anything queued (the broker then
 * redelivers what was not acknowledged); reconnects later. */
void tw_mqtt_abort(tw_mqtt *m, const char *reason);

bool tw_mqtt_connected(tw_mqtt *m);
/* The last CONNACK said the broker kept this client's session (what was
 * sent while it was away is queued for it). */
bool tw_mqtt_session_present(const tw_mqtt *m);
/* Connected only to leave a session on a fallback broker (see
 * tw_mqtt_options.fallbacks); the client moves on once subscribed. */
bool tw_mqtt_priming(const tw_mqtt *m);

/* Publish (copied). mid may be NULL. Returns 0 or TW_ERR_NET. */
int tw_mqtt_publish(tw_mqtt *m, const char *topic, const void *payload, size_t len, int qos,
                    bool retain, int *mid);

/* Publishes made and not yet written (QoS 0) or acknowledged (QoS 1) by the
 * broker: what libmosquitto holds for us, in messages. Counted afresh at
 * each connection. */
long tw_mqtt_backlog(const tw_mqtt *m);
int tw_mqtt_subscribe(tw_mqtt *m, const char *pattern, int qos);

/*
 * For short-lived programs (teamwall-ctl, tests): run the poll loop until
 * done(ctx) returns true or timeout_ms passes. Returns 0 when done, else
 * TW_ERR_NET.
 */
int tw_mqtt_run_until(tw_mqtt *m, int timeout_ms, bool (*done)(void *ctx), void *ctx);

#endif
