/* SPDX-License-Identifier: MIT */
/*
 * The --trace recorder. Records wait in one array in arrival order: those
 * before `committed` are in a committed transaction and wait for a frame,
 * the rest wait for their commit. A presented frame writes and drops the
 * committed ones, so the array holds at most one batch plus what arrived
 * since the last frame.
 */
#define _POSIX_C_SOURCE 200809L
#define LOG_MODULE      "trace"
#include "trace.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "item.h"
#include "log.h"
#include "util.h"

struct record {
    char id[TW_ID_SIZE];
    int64_t received, committed;
};

struct tw_trace {
    FILE *f;
    struct record *recs;
    size_t n, cap;
    size_t committed; /* recs[0 .. committed) are committed */
};

int64_t tw_trace_clock_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int tw_trace_open(const char *path, tw_trace **out)
{
    if (!path || !out)
        return TW_ERR_INVAL;
    *out = NULL;
    FILE *f = fopen(path, "w");
    if (!f) {
        log_error("cannot write the trace %s: %s", path, strerror(errno));
        return TW_ERR_IO;
    }
    tw_trace *t = tw_xcalloc(1, sizeof(*t));
    t->f = f;
    fprintf(f, "# teamwall trace 1: CLOCK_REALTIME microseconds\n");
    *out = t;
    return 0;
}

/* " <v>" at p, v >= 0 (clock microseconds); returns the end. */
static char *put_num(char *p, int64_t v)
{
    char digits[24];
    int n = 0;
    uint64_t u = v > 0 ? (uint64_t)v : 0;
    do
        digits[n++] = (char)('0' + u % 10);
    while ((u /= 10) != 0);
    *p++ = ' ';
    while (n)
        *p++ = digits[--n];
    return p;
}

/* A line a command, under a flood 20,000 a second: formatted by hand, as
 * fprintf's three %lld cost 2,300 instructions a post (P2's bench runs the
 * board with --trace, so that was the observer's share of the measure). */
static void write_records(tw_trace *t, size_t n, int64_t presented)
{
    char line[TW_ID_SIZE + 80];
    for (size_t i = 0; i < n; i++) {
        size_t id = strlen(t->recs[i].id);
        char *p = line;
        memcpy(p, "item ", 5);
        memcpy(p + 5, t->recs[i].id, id);
        p = put_num(p + 5 + id, t->recs[i].received);
        p = put_num(p, t->recs[i].committed);
        p = put_num(p, presented);
        *p++ = '\n';
        fwrite(line, 1, (size_t)(p - line), t->f);
    }
}

void tw_trace_close(tw_trace *t)
{
    if (!t)
        return;
    write_records(t, t->n, 0);
    if (fclose(t->f) != 0)
        log_error("trace: %s", strerror(errno));
    free(t->recs);
    free(t);
}

void tw_trace_received(tw_trace *t, const char *id, int64_t received_us)
{
    if (!t || !id)
        return;
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 256;
        t->recs = tw_xrealloc(t->recs, t->cap * sizeof(*t->recs));
    }
    struct record *r = &t->recs[t->n++];
    tw_strlcpy(r->id, id, sizeof(r->id));
    r->received = received_us;
    r->committed = 0;
}

void tw_trace_committed(tw_trace *t)
{
    if (!t || t->committed == t->n)
        return;
    int64_t now = tw_trace_clock_us();
    for (size_t i = t->committed; i < t->n; i++)
        t->recs[i].committed = now;
    t->committed = t->n;
}

void tw_trace_rolled_back(tw_trace *t)
{
    if (t)
        t->n = t->committed;
}

void tw_trace_presented(tw_trace *t)
{
    if (!t || t->committed == 0)
        return;
    write_records(t, t->committed, tw_trace_clock_us());
    memmove(t->recs, t->recs + t->committed, (t->n - t->committed) * sizeof(*t->recs));
    t->n -= t->committed;
    t->committed = 0;
    fflush(t->f);
}

void tw_trace_mark(tw_trace *t, const char *what)
{
    if (!t || !what)
        return;
    fprintf(t->f, "mark %s %lld\n", what, (long long)tw_trace_clock_us());
    fflush(t->f);
}
