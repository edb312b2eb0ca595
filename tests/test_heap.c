/* SPDX-License-Identifier: MIT */
/* firmware/heap.c's clock: the quiet hook (which frees the screen's composed
 * regions) runs once TW_HEAP_QUIET_MS after the last work, never under a
 * flood, never while idle, and also when a busy-clock trim fell between the
 * last work and the quiet moment (it used to be skipped then, so a board at
 * rest held its composed header and figures strip or not by chance: R6). */
#include <stdbool.h>
#include <stdint.h>

#include "check.h"
#include "heap.h"

static int quiet_calls;

static void on_quiet(void *ctx)
{
    (void)ctx;
    quiet_calls++;
}

/* Work every 100 ms from t to end inclusive, ticking as the loop does. */
static void busy(int64_t t, int64_t end)
{
    for (; t <= end; t += 100) {
        tw_heap_note(t);
        tw_heap_tick(t);
    }
}

int main(void)
{
    tw_heap_init();
    tw_heap_on_quiet(on_quiet, NULL);
    CHECK_EQ_INT(tw_heap_deadline(), 0); /* nothing done: nothing due */

    /* A flood of 3 s: trims on the busy clock, no quiet hook. */
    busy(100000, 103000);
    CHECK_EQ_INT(quiet_calls, 0);

    /* The flood's last work at 103000: follow the loop's own deadlines
     * (a busy trim, then the quiet moment) until nothing is due. */
    int64_t last = 103000;
    for (int steps = 0; steps < 10 && tw_heap_deadline(); steps++) {
        int64_t due = tw_heap_deadline();
        CHECK(due > last - 1000 && due <= last + 500);
        tw_heap_tick(due);
    }
    CHECK_EQ_INT(quiet_calls, 1);
    CHECK_EQ_INT(tw_heap_deadline(), 0); /* at rest: idle, nothing due (P3) */
    tw_heap_tick(200000);
    CHECK_EQ_INT(quiet_calls, 1);

    /* The case that skipped the hook: work at 300000 starts the busy clock
     * (due 301000); work until 300900, so the busy trim (301000) lands
     * before the quiet moment (301400). */
    busy(300000, 300900);
    CHECK_EQ_INT(tw_heap_deadline(), 301000);
    tw_heap_tick(301000); /* the busy trim: not quiet yet */
    CHECK_EQ_INT(quiet_calls, 1);
    CHECK_EQ_INT(tw_heap_deadline(), 301400); /* the hook is still owed */
    tw_heap_tick(301399);
    CHECK_EQ_INT(quiet_calls, 1);
    tw_heap_tick(301400);
    CHECK_EQ_INT(quiet_calls, 2);
    CHECK_EQ_INT(tw_heap_deadline(), 0);

    /* One piece of work after a long idle time: quiet 500 ms later. */
    tw_heap_note(400000);
    CHECK_EQ_INT(tw_heap_deadline(), 400500);
    tw_heap_tick(400499);
    CHECK_EQ_INT(quiet_calls, 2);
    tw_heap_tick(400500);
    CHECK_EQ_INT(quiet_calls, 3);
    CHECK_EQ_INT(tw_heap_deadline(), 0);
    return check_done();
}
