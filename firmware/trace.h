/* SPDX-License-Identifier: MIT */
/*
 * The --trace recorder (bench/latency, bench/ingest, bench/footprint): for
 * every command the board applied, when its message reached the callback,
 * when the transaction holding it committed and when the first frame that
 * included it was presented; plus one-off marks ("first-frame"). Times are
 * CLOCK_REALTIME microseconds so a bench can compare them with its own
 * publish times and with `mosquitto_sub -F %U` receipts.
 *
 * The file is text, one record a line, written when a frame is presented:
 *     # teamwall trace 1: CLOCK_REALTIME microseconds
 *     mark first-frame 1795644486358565
 *     mark composed-1477376 1795644486512345   (composed regions' bytes, when they change)
 *     mark textcache-631234 1795644486512346   (text cache texture bytes, when they change)
 *     mark sqlcache-2107392 1795644486512346   (SQLite page cache bytes, when it changes)
 *     item <id> <received> <committed> <presented>
 * Every function takes a NULL trace as "not tracing" and does nothing, so
 * the loop calls them unconditionally.
 */
#ifndef TW_TRACE_H
#define TW_TRACE_H

#include <stdint.h>

typedef struct tw_trace tw_trace;

/* Create (truncating) path. Returns 0 or TW_ERR_IO; *out owns the file. */
int tw_trace_open(const char *path, tw_trace **out);
/* Flush and close; NULL is a no-op. Records not yet presented are written
 * with 0 for the missing times. */
void tw_trace_close(tw_trace *t);

/* The clock the trace uses: CLOCK_REALTIME in microseconds. */
int64_t tw_trace_clock_us(void);

/* A command for item id (copied) was applied; its message arrived at
 * received_us. It waits for the commit. */
void tw_trace_received(tw_trace *t, const char *id, int64_t received_us);
/* The transaction holding everything received so far committed now. */
void tw_trace_committed(tw_trace *t);
/* The transaction was rolled back: forget what it held (it comes again). */
void tw_trace_rolled_back(tw_trace *t);
/* A frame was presented now: everything committed is on screen. Writes
 * those records and flushes, so a bench can follow the file. */
void tw_trace_presented(tw_trace *t);
/* A one-off event at now ("first-frame"). */
void tw_trace_mark(tw_trace *t, const char *what);

#endif
