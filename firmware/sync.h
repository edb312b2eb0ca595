/* SPDX-License-Identifier: MIT */
/*
 * Catch-up from the team's other boards, over the broker (docs/SYNC.md).
 *
 * A board whose store is empty (a replaced Pi), or whose broker session was
 * lost (it may have missed commands), asks one peer at a time on
 * `<root>/sync/request` {"board":"wall3","since":…,"peer":"wall1","cursor":…}
 * and gets one bounded page on `<root>/sync/reply/wall3`; it applies the
 * page (firmware/syncpage.c), keeps the cursor in its store and asks for the
 * next, so the catch-up is paced by the asker and resumes after a disconnect
 * or a restart. Peers are the boards whose retained status says online; one
 * that does not answer within TW_SYNC_TIMEOUT_MS is replaced by the next.
 * Every board answers requests that name it (or no one), one page per
 * pace_ms at most, from its main loop, so answering costs a busy peer
 * little.
 *
 * The asking side is a pure machine (tw_sync_step: state, input, now ->
 * state, effects), tested with tables (tests/test_sync.c); tw_sync carries
 * out its effects and answers peers.
 */
#ifndef TW_SYNC_H
#define TW_SYNC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "board.h"
#include "store.h"
#include "syncpage.h"

#define TW_SYNC_TIMEOUT_MS 3000 /* a peer that has not answered by then is replaced */
#define TW_SYNC_PEERS_MAX  16
#define TW_SYNC_NAME_SIZE  64

/* ---- the asking side, pure ---- */

typedef enum {
    TW_SYNC_IDLE = 0, /* nothing to catch up */
    TW_SYNC_WANTED,   /* to catch up, no peer online yet */
    TW_SYNC_ASKING,   /* a request is out */
    TW_SYNC_DONE,     /* caught up */
} tw_sync_phase;

typedef struct tw_sync_machine {
    tw_sync_phase phase;
    int64_t since;                    /* items changed since (0 = all) */
    char peer[TW_SYNC_NAME_SIZE];     /* who is asked */
    char cursor[TW_SYNC_CURSOR_SIZE]; /* what was asked for */
    int64_t asked_ms;                 /* when */
    int tries;                        /* requests to this peer since its last page */
    size_t pages, items;              /* received so far */
    int64_t started_ms;
    char peers[TW_SYNC_PEERS_MAX][TW_SYNC_NAME_SIZE]; /* online, ours excluded */
    size_t n_peers;
} tw_sync_machine;

typedef enum {
    TW_SYNC_IN_START,     /* catch up: since, cursor and peer (both may be "") */
    TW_SYNC_IN_PEER,      /* name went online (online) or offline */
    TW_SYNC_IN_PAGE,      /* a page from name for cursor: next ("" = last), items */
    TW_SYNC_IN_TICK,      /* time passed */
    TW_SYNC_IN_CONNECTED, /* (re)connected to the broker: ask again */
} tw_sync_input_kind;

typedef struct tw_sync_input {
    tw_sync_input_kind kind;
    const char *name;   /* PEER, PAGE: the peer; START: the peer to resume with */
    bool online;        /* PEER */
    const char *cursor; /* START: to resume; PAGE: what the page answered */
    const char *next;   /* PAGE */
    size_t items;       /* PAGE */
    int64_t since;      /* START */
} tw_sync_input;

typedef struct tw_sync_effects {
    bool ask;            /* publish a request to machine.peer for machine.cursor */
    bool save;           /* keep the machine's progress in the store */
    bool finished;       /* the catch-up completed: clear the kept progress */
    bool applied;        /* the page was the one asked for (else: a duplicate, applied anyway) */
    int64_t deadline_ms; /* when to TICK next; 0 = no need */
} tw_sync_effects;

/* One input; fx is cleared first. Pure. */
void tw_sync_step(tw_sync_machine *m, const tw_sync_input *in, int64_t now_ms, tw_sync_effects *fx);

/* ---- the board's catch-up and its answers ---- */

typedef struct tw_sync tw_sync;

typedef struct tw_sync_options {
    tw_store *store;         /* borrowed */
    tw_board *board;         /* borrowed: reloaded after each page */
    const char *root, *self; /* "<prefix>/<team>", this board's id (copied) */
    int pace_ms;             /* at least this long between two pages answered */
    size_t page_items;       /* items in a page at most (0: TW_SYNC_PAGE_ITEMS) */
    bool catch_up;           /* false: never ask (still answer others) */
    /* Publish at QoS 1, not retained (payload copied by the callee). */
    void (*publish)(void *ctx, const char *topic, const char *payload, size_t len);
    void *ctx;
} tw_sync_options;

/* Reads the store to decide whether to catch up (empty, or a catch-up to
 * resume). 0 or a TW_ERR_* store failure. */
int tw_sync_create(const tw_sync_options *opt, tw_sync **out);
void tw_sync_destroy(tw_sync *s);

/* The topic filters to subscribe to (QoS 1), each through fn. */
void tw_sync_topics(tw_sync *s, void (*fn)(void *ctx, const char *filter), void *ctx);
/* Connected; session_present false means the broker kept nothing for us:
 * a board with items then catches up on the last day. */
void tw_sync_connected(tw_sync *s, bool session_present, int64_t now_ms);
/*
 * A message: 1 if it was sync's (a page is applied inside the caller's
 * transaction), 0 if not, or a TW_ERR_* store failure (roll back; the
 * broker redelivers).
 */
int tw_sync_message(tw_sync *s, const char *topic, const void *payload, size_t len, bool retained,
                    int64_t now_ms);
/* Monotonic ms of the next tw_sync_tick() with work; 0 = none. */
int64_t tw_sync_deadline(const tw_sync *s);
void tw_sync_tick(tw_sync *s, int64_t now_ms);
/* Catching up now; *items received so far (may be NULL). */
bool tw_sync_busy(const tw_sync *s, size_t *items, const char **peer);

#endif
