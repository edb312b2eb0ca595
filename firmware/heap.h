/* SPDX-License-Identifier: MIT */
/*
 * Giving freed memory back. glibc keeps what a burst freed (thousands of
 * open items resolved, an event backlog drained, cards composed anew) in its
 * heap, so the resident set only ever rose to the high-water mark of the
 * worst moment (R6, P9). The loop tells this module when it did work;
 * after a quiet moment, or every so often under a long flood, the free
 * pages go back to the system (malloc_trim), and large blocks are mapped on
 * their own at a fixed threshold so freeing them returns them at once.
 * Single-threaded: the loop's thread calls everything here.
 */
#ifndef TW_HEAP_H
#define TW_HEAP_H

#include <stdint.h>

/* Fix the allocator's thresholds (before the big allocations). */
void tw_heap_init(void);

/* The loop did something that allocates or frees (a batch of commands, a
 * frame) at monotonic now_ms. */
void tw_heap_note(int64_t now_ms);

/* When the next give-back is due (monotonic ms), or 0 when nothing waits. */
int64_t tw_heap_deadline(void);

/* Give the free pages back if it is due at now_ms; when it is due because
 * the loop went quiet (not under a flood), the quiet hook runs first. */
void tw_heap_tick(int64_t now_ms);

/* What to free when the loop goes quiet (caches only a busy board needs:
 * the screen's composed cards), before the pages go back. fn(ctx) runs in
 * tw_heap_tick(); NULL for none. */
void tw_heap_on_quiet(void (*fn)(void *ctx), void *ctx);

/* Give the free pages back now (at start, after loading the model). */
void tw_heap_trim(void);

#endif
