/* SPDX-License-Identifier: MIT */
/*
 * Outgoing chat notifications: JSON bodies POSTed to one incoming-webhook URL
 * (Slack, Mattermost) by a worker thread with libcurl, so whoever queues a
 * message (the MQTT thread, an HTTP handler) never waits on the network. The
 * queue is bounded: when the chat is unreachable for long, the oldest
 * messages are dropped (and counted as failed) rather than memory growing.
 * Each message is retried with a doubling back-off on network errors, 5xx,
 * 408 and 429; other 4xx answers are final. The URL is treated as a secret
 * (a Slack webhook URL is a credential): it is never logged.
 *
 * curl_global_init() must have been called before tw_notify_create().
 */
#ifndef TW_NOTIFY_H
#define TW_NOTIFY_H

#include <stdbool.h>
#include <stdint.h>

typedef struct tw_notify tw_notify;

typedef struct tw_notify_options {
    const char *url; /* http:// or https:// (copied) */
    int queue_max;   /* messages waiting at most; 0 = 64 */
    int attempts;    /* tries per message; 0 = 5 */
    int backoff_ms;  /* wait before the first retry, doubling; 0 = 1000 */
    int timeout_ms;  /* one HTTP attempt, connect included; 0 = 5000 */
} tw_notify_options;

/* Start the worker. Returns 0, TW_ERR_INVAL (no or non-HTTP URL) or TW_ERR_IO. */
int tw_notify_create(const tw_notify_options *opt, tw_notify **out);

/* Queue one JSON body (copied). Never blocks on the network. Returns false
 * when the queue was full and the oldest message was dropped to make room. */
bool tw_notify_post(tw_notify *n, const char *json);

/* Messages delivered (2xx) and given up on, so far. */
void tw_notify_stats(tw_notify *n, uint64_t *sent, uint64_t *failed);

/* Stop: what is still queued gets one attempt each within drain_ms, the rest
 * is dropped; then the worker is joined and everything freed. NULL is a no-op. */
void tw_notify_destroy(tw_notify *n, int drain_ms);

#endif
