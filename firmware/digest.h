/* SPDX-License-Identifier: MIT */
/*
 * The wall's digest of recent history: the team's figures (firmware/figures)
 * and the "recently learned" answers, read from the store's recent history.
 * The board owns what is open; the digest owns what happened lately. It
 * re-reads the store only when asked (the app does so after the board
 * changed, at most every few seconds) and recomputes the figures from the
 * rows it holds when only the clock moved.
 */
#ifndef TW_DIGEST_H
#define TW_DIGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "figures.h"
#include "item.h"
#include "store.h"

#define TW_LEARNED_MAX 12 /* answers kept for the rotating line */

/* An answered question, as the "recently learned" line shows it. */
typedef struct tw_learned {
    char ref[TW_REF_SIZE];
    char question[TW_TEXT_SIZE];
    char answer[TW_NOTE_SIZE];
    char by[TW_AUTHOR_SIZE]; /* who answered */
    int64_t at;              /* when */
} tw_learned;

typedef struct tw_digest tw_digest;

tw_digest *tw_digest_create(void);
/* NULL is a no-op. */
void tw_digest_destroy(tw_digest *d);

/* Re-read the recent history from store (borrowed for the call) and
 * recompute for wall-clock time now. Returns 0 or the store's error (the
 * previous figures stay). */
int tw_digest_reload(tw_digest *d, tw_store *store, int64_t now);

/* A new item was posted (tw_board's "posted" event, item as stored): add
 * its row, as the next reload would, without reading the store. The
 * figures change at the next tw_digest_recompute(). False when a post
 * cannot be folded (it came resolved, and may be something learned): then
 * reload. Only valid while the rows describe the board as it was just
 * before this post (the caller keeps count: ui/wall.c). */
bool tw_digest_fold_post(tw_digest *d, const tw_item *it);

/* Recompute the figures from the rows held, for a new now (the windows
 * slide, days turn). Cheap: no store access. */
void tw_digest_recompute(tw_digest *d, int64_t now);

/* The figures (valid false before the first reload). Borrowed. */
const tw_figures *tw_digest_figures(const tw_digest *d);

/* Answered questions, newest first. Borrowed until the next reload. */
const tw_learned *tw_digest_learned(const tw_digest *d, size_t *count);

/* Increases whenever the figures or the learned list changed. */
uint64_t tw_digest_version(const tw_digest *d);

#endif
