/* SPDX-License-Identifier: MIT */
/*
 * When to give freed heap back: TW_HEAP_QUIET_MS after the last work, or at
 * most every TW_HEAP_BUSY_MS while work goes on, and only when some work was
 * done since the last time (an idle board never trims: P3). malloc_trim(0)
 * releases every free page of the heap, not only its top; it took 0.1 ms
 * (median; 0.5 ms at most) with 20,000 items open.
 *
 * The quiet hook is owed from the first work after a quiet time until it
 * runs, whatever trims the busy clock made meanwhile: a busy trim that
 * lands between the last work and the quiet moment used to clear the one
 * flag both waited on, and the hook then never ran until the next work,
 * so a board at rest kept its composed regions or not depending on where
 * its last busy trim fell (R6's at-rest readings moved by their 1.4 MB).
 */
#define _GNU_SOURCE
#define LOG_MODULE "heap"
#include "heap.h"

#include <malloc.h>
#include <stdbool.h>

#define TW_HEAP_QUIET_MS 500
#define TW_HEAP_BUSY_MS  1000
/* Blocks from here up are mapped on their own and unmapped when freed
 * (glibc's default, 128 KiB, but fixed: glibc raises it to the largest block
 * freed so far, and then a burst's large blocks stay in the heap). */
#define TW_HEAP_MMAP_MIN (128 * 1024)

static bool pending;    /* a trim is owed */
static bool quiet_owed; /* the quiet hook is owed */
static int64_t last_work, last_trim;
static void (*quiet_fn)(void *ctx);
static void *quiet_ctx;

void tw_heap_on_quiet(void (*fn)(void *ctx), void *ctx)
{
    quiet_fn = fn;
    quiet_ctx = ctx;
}

/* Fixing the mmap threshold also stops glibc raising the top-of-heap trim
 * threshold (128 KiB): every free next to the top would then hand pages back
 * and the next allocation fault them in again. The trims here do that job
 * at their own pace, so the automatic one waits for a large free top. */
#define TW_HEAP_TOP_TRIM (32 * 1024 * 1024)

void tw_heap_init(void)
{
    mallopt(M_MMAP_THRESHOLD, TW_HEAP_MMAP_MIN);
    mallopt(M_TRIM_THRESHOLD, TW_HEAP_TOP_TRIM);
}

void tw_heap_note(int64_t now_ms)
{
    if (!pending && now_ms - last_trim > TW_HEAP_BUSY_MS)
        last_trim = now_ms; /* the first work after a quiet time starts the busy clock */
    pending = true;
    quiet_owed = true;
    last_work = now_ms;
}

int64_t tw_heap_deadline(void)
{
    int64_t quiet = last_work + TW_HEAP_QUIET_MS, busy = last_trim + TW_HEAP_BUSY_MS;
    if (pending && quiet_owed)
        return quiet < busy ? quiet : busy;
    if (quiet_owed)
        return quiet;
    return pending ? busy : 0;
}

void tw_heap_trim(void)
{
    malloc_trim(0);
}

void tw_heap_tick(int64_t now_ms)
{
    int64_t due = tw_heap_deadline();
    if (!due || now_ms < due)
        return;
    if (quiet_owed && now_ms >= last_work + TW_HEAP_QUIET_MS) {
        quiet_owed = false;
        if (quiet_fn)
            quiet_fn(quiet_ctx);
    }
    tw_heap_trim();
    pending = false;
    last_trim = now_ms;
}
