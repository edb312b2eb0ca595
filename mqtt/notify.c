/* SPDX-License-Identifier: MIT */
/*
 * The notification worker (see notify.h): one thread, one reused curl easy
 * handle (so a keep-alive connection to the chat survives between messages),
 * a ring of queued bodies under one mutex, and back-off waits on a condition
 * variable so that shutdown interrupts them at once.
 */
#define _POSIX_C_SOURCE 200809L
#define LOG_MODULE      "notify"
#include "notify.h"

#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "util.h"

struct tw_notify {
    char *url;
    int queue_max, attempts, backoff_ms, timeout_ms;

    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    char **queue; /* ring of queue_max bodies */
    int head, count;
    bool stop;
    int64_t drain_until; /* monotonic ms; valid once stop is set */
    uint64_t sent, failed;

    CURL *curl;
    struct curl_slist *headers;
};

static size_t discard(char *ptr, size_t size, size_t nmemb, void *ctx)
{
    (void)ptr;
    (void)ctx;
    return size * nmemb;
}

/* Absolute CLOCK_MONOTONIC time ms from now, for pthread_cond_timedwait. */
static struct timespec deadline_in(int64_t ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_sec += (time_t)(ms / 1000);
    ts.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    return ts;
}

enum outcome { SENT, RETRY, GIVE_UP };

/* One POST; timeout_ms bounds it. */
static enum outcome send_once(tw_notify *n, const char *body, long timeout_ms)
{
    curl_easy_setopt(n->curl, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(n->curl, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
    curl_easy_setopt(n->curl, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(n->curl, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
    CURLcode rc = curl_easy_perform(n->curl);
    if (rc != CURLE_OK) {
        log_warn("notification not delivered: %s", curl_easy_strerror(rc));
        return RETRY;
    }
    long status = 0;
    curl_easy_getinfo(n->curl, CURLINFO_RESPONSE_CODE, &status);
    if (status >= 200 && status < 300)
        return SENT;
    log_warn("notification refused: HTTP %ld", status);
    if (status >= 500 || status == 408 || status == 429)
        return RETRY;
    return GIVE_UP;
}

static void *worker(void *arg)
{
    tw_notify *n = arg;
    pthread_mutex_lock(&n->lock);
    for (;;) {
        while (!n->stop && n->count == 0)
            pthread_cond_wait(&n->cond, &n->lock);
        if (n->count == 0 || (n->stop && tw_mono_ms() >= n->drain_until))
            break;
        char *body = n->queue[n->head];
        n->queue[n->head] = NULL;
        n->head = (n->head + 1) % n->queue_max;
        n->count--;

        enum outcome o = RETRY;
        int64_t wait = n->backoff_ms;
        for (int attempt = 1;; attempt++) {
            long budget = n->timeout_ms;
            if (n->stop) {
                int64_t left = n->drain_until - tw_mono_ms();
                budget = left < budget ? (long)(left > 1 ? left : 1) : budget;
            }
            pthread_mutex_unlock(&n->lock);
            o = send_once(n, body, budget);
            pthread_mutex_lock(&n->lock);
            if (o != RETRY || attempt >= n->attempts || n->stop)
                break;
            struct timespec until = deadline_in(wait);
            while (!n->stop && pthread_cond_timedwait(&n->cond, &n->lock, &until) != ETIMEDOUT)
                ;
            if (n->stop)
                break;
            wait *= 2;
        }
        if (o == SENT) {
            n->sent++;
        } else {
            n->failed++;
            log_warn("notification dropped after failed attempts");
        }
        free(body);
    }
    pthread_mutex_unlock(&n->lock);
    return NULL;
}

int tw_notify_create(const tw_notify_options *opt, tw_notify **out)
{
    if (!opt || !out || !opt->url ||
        (strncmp(opt->url, "http://", 7) != 0 && strncmp(opt->url, "https://", 8) != 0))
        return TW_ERR_INVAL;
    *out = NULL;
    tw_notify *n = tw_xcalloc(1, sizeof *n);
    n->url = tw_xstrdup(opt->url);
    n->queue_max = opt->queue_max > 0 ? opt->queue_max : 64;
    n->attempts = opt->attempts > 0 ? opt->attempts : 5;
    n->backoff_ms = opt->backoff_ms > 0 ? opt->backoff_ms : 1000;
    n->timeout_ms = opt->timeout_ms > 0 ? opt->timeout_ms : 5000;
    n->queue = tw_xcalloc((size_t)n->queue_max, sizeof *n->queue);

    n->curl = curl_easy_init();
    if (!n->curl)
        goto fail;
    n->headers = curl_slist_append(NULL, "Content-Type: application/json");
    curl_easy_setopt(n->curl, CURLOPT_URL, n->url);
    curl_easy_setopt(n->curl, CURLOPT_HTTPHEADER, n->headers);
    curl_easy_setopt(n->curl, CURLOPT_NOSIGNAL, 1L); /* threads: no SIGALRM timeouts */
    curl_easy_setopt(n->curl, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(n->curl, CURLOPT_USERAGENT, "teamwall-bridge/" TW_VERSION);
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(n->curl, CURLOPT_PROTOCOLS_STR, "http,https");
#else
    curl_easy_setopt(n->curl, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif

    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&n->cond, &ca);
    pthread_condattr_destroy(&ca);
    pthread_mutex_init(&n->lock, NULL);
    if (pthread_create(&n->thread, NULL, worker, n) != 0) {
        pthread_cond_destroy(&n->cond);
        pthread_mutex_destroy(&n->lock);
        goto fail;
    }
    *out = n;
    return 0;
fail:
    log_error("cannot start the notification worker");
    curl_slist_free_all(n->headers);
    if (n->curl)
        curl_easy_cleanup(n->curl);
    free(n->queue);
    free(n->url);
    free(n);
    return TW_ERR_IO;
}

bool tw_notify_post(tw_notify *n, const char *json)
{
    if (!n || !json)
        return false;
    char *copy = tw_xstrdup(json);
    bool room = true;
    pthread_mutex_lock(&n->lock);
    if (n->count == n->queue_max) {
        free(n->queue[n->head]);
        n->queue[n->head] = NULL;
        n->head = (n->head + 1) % n->queue_max;
        n->count--;
        n->failed++;
        room = false;
    }
    n->queue[(n->head + n->count) % n->queue_max] = copy;
    n->count++;
    pthread_cond_signal(&n->cond);
    pthread_mutex_unlock(&n->lock);
    if (!room)
        log_warn("notification queue full: dropped the oldest message");
    return room;
}

void tw_notify_stats(tw_notify *n, uint64_t *sent, uint64_t *failed)
{
    uint64_t s = 0, f = 0;
    if (n) {
        pthread_mutex_lock(&n->lock);
        s = n->sent;
        f = n->failed;
        pthread_mutex_unlock(&n->lock);
    }
    if (sent)
        *sent = s;
    if (failed)
        *failed = f;
}

void tw_notify_destroy(tw_notify *n, int drain_ms)
{
    if (!n)
        return;
    pthread_mutex_lock(&n->lock);
    n->stop = true;
    n->drain_until = tw_mono_ms() + (drain_ms > 0 ? drain_ms : 0);
    pthread_cond_broadcast(&n->cond);
    pthread_mutex_unlock(&n->lock);
    pthread_join(n->thread, NULL);
    int dropped = n->count;
    for (int i = 0; i < n->count; i++)
        free(n->queue[(n->head + i) % n->queue_max]);
    if (dropped)
        log_warn("%d notification(s) not sent at shutdown", dropped);
    curl_slist_free_all(n->headers);
    curl_easy_cleanup(n->curl);
    pthread_cond_destroy(&n->cond);
    pthread_mutex_destroy(&n->lock);
    free(n->queue);
    free(n->url);
    free(n);
}
