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

/* Give the free pages back if it is due at now_ms. */
void tw_heap_tick(int64_t now_ms);

/* Give the free pages back now (at start, after loading the model). */
void tw_heap_trim(void);

#endif
