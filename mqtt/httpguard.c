/* SPDX-License-Identifier: MIT */
/*
 * The whole-request deadline of teamwall-bridge (see httpguard.h). One
 * doubly linked list of tracked connections under one mutex; the reaper
 * wakes four times a second and cuts what is past its deadline: a fixed
 * 408 status line written on our duplicate of the socket (libmicrohttpd
 * cannot answer a request whose headers never completed), then shutdown(),
 * which makes libmicrohttpd's own read fail and close the connection.
 */
#define _GNU_SOURCE
#define LOG_MODULE "http"
#include "httpguard.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "util.h"

#define REAP_EVERY_MS 250

struct tracked {
    struct tracked *prev, *next;
    int fd;        /* our duplicate of the socket; -1 once cut */
    int64_t since; /* monotonic ms: connected, or the previous request ended */
    bool held;     /* request whole or answered: not ours to cut */
};

static struct {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    struct tracked *head;
    pthread_t reaper;
    bool running, stopping;
    int deadline_ms;
    atomic_uint_fast64_t cut;
} G = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* The only bytes this module writes: what a client that was too slow gets. */
#define BODY_408 "request not complete within the deadline\n"
static const char status_408[] = "HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n"
                                 "Content-Type: text/plain\r\nContent-Length: 41\r\n\r\n" BODY_408;
_Static_assert(sizeof BODY_408 - 1 == 41, "Content-Length of the 408 body");

static void unlink_locked(struct tracked *t)
{
    if (t->prev)
        t->prev->next = t->next;
    else
        G.head = t->next;
    if (t->next)
        t->next->prev = t->prev;
    t->prev = t->next = NULL;
}

static void *reaper_main(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&G.lock);
    while (!G.stopping) {
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_nsec += REAP_EVERY_MS * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&G.wake, &G.lock, &until);
        int64_t now = tw_mono_ms();
        unsigned cut = 0;
        for (struct tracked *t = G.head; t; t = t->next) {
            if (t->held || t->fd < 0 || now - t->since < G.deadline_ms)
                continue;
            /* Best effort: a client that reads nothing still gets cut. */
            ssize_t w = send(t->fd, status_408, sizeof status_408 - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
            (void)w;
            shutdown(t->fd, SHUT_RDWR);
            close(t->fd);
            t->fd = -1;
            cut++;
        }
        if (cut) {
            atomic_fetch_add(&G.cut, cut);
            log_info("cut %u connection%s with no whole request within %d ms (408)", cut,
                     cut == 1 ? "" : "s", G.deadline_ms);
        }
    }
    pthread_mutex_unlock(&G.lock);
    return NULL;
}

int tw_httpguard_start(int deadline_ms)
{
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&G.wake, &ca);
    pthread_condattr_destroy(&ca);
    G.deadline_ms = deadline_ms;
    G.stopping = false;
    if (pthread_create(&G.reaper, NULL, reaper_main, NULL) != 0) {
        log_error("cannot start the request deadline thread: %s", strerror(errno));
        return TW_ERR_IO;
    }
    G.running = true;
    return 0;
}

void tw_httpguard_stop(void)
{
    if (!G.running)
        return;
    pthread_mutex_lock(&G.lock);
    G.stopping = true;
    pthread_cond_broadcast(&G.wake);
    pthread_mutex_unlock(&G.lock);
    pthread_join(G.reaper, NULL);
    G.running = false;
    pthread_mutex_lock(&G.lock);
    while (G.head) {
        struct tracked *t = G.head;
        unlink_locked(t);
        if (t->fd >= 0)
            close(t->fd);
        free(t);
    }
    pthread_mutex_unlock(&G.lock);
}

void tw_httpguard_notify(void *cls, struct MHD_Connection *c, void **socket_context,
                         enum MHD_ConnectionNotificationCode code)
{
    (void)cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
        struct tracked *t = tw_xcalloc(1, sizeof *t);
        t->fd = ci ? fcntl(ci->connect_fd, F_DUPFD_CLOEXEC, 0) : -1;
        t->since = tw_mono_ms();
        pthread_mutex_lock(&G.lock);
        t->next = G.head;
        if (G.head)
            G.head->prev = t;
        G.head = t;
        pthread_mutex_unlock(&G.lock);
        *socket_context = t;
    } else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
        struct tracked *t = *socket_context;
        if (!t)
            return;
        pthread_mutex_lock(&G.lock);
        unlink_locked(t);
        if (t->fd >= 0)
            close(t->fd);
        pthread_mutex_unlock(&G.lock);
        free(t);
        *socket_context = NULL;
    }
}

static struct tracked *tracked_of(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci ? ci->socket_context : NULL;
}

void tw_httpguard_hold(struct MHD_Connection *c)
{
    struct tracked *t = tracked_of(c);
    if (!t)
        return;
    pthread_mutex_lock(&G.lock);
    t->held = true;
    pthread_mutex_unlock(&G.lock);
}

void tw_httpguard_done(struct MHD_Connection *c)
{
    struct tracked *t = tracked_of(c);
    if (!t)
        return;
    pthread_mutex_lock(&G.lock);
    t->held = false;
    t->since = tw_mono_ms();
    pthread_mutex_unlock(&G.lock);
}

uint64_t tw_httpguard_cut_total(void)
{
    return atomic_load(&G.cut);
}
