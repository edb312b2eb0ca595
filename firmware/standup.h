/* SPDX-License-Identifier: MIT */
/*
 * The stand-up as a pure state machine: (state, input, now) -> (state,
 * effects). Inputs are the commands of PROTOCOL.md's <root>/standup (start,
 * next, back, claim, resolve, stop, each with an optional "at") and the
 * clock; the state is the walk (open blockers oldest first, open questions
 * oldest first, wins since the previous stand-up), where it stands, and what
 * happened to each item; the effects say what to publish, store and apply.
 * No screen, broker, store or clock of its own: firmware/meeting.c feeds it
 * and carries out its effects, so every board fed the same commands walks
 * the same stand-up.
 *
 * Also pure helpers: the walk from a board's open items, the summary, and
 * the `[standup] at = Mon-Fri 09:30` schedule over firmware/schedule.c.
 */
#ifndef TW_STANDUP_H
#define TW_STANDUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "item.h"
#include "schedule.h"

#define TW_STANDUP_MAX_ITEMS 300 /* items walked at most (the oldest first) */
#define TW_STANDUP_ID_SIZE   32
#define TW_STANDUP_SUMMARY_S 60 /* the summary screen shows this long */

typedef enum {
    TW_SU_START = 0,
    TW_SU_NEXT,
    TW_SU_BACK,
    TW_SU_CLAIM,
    TW_SU_RESOLVE,
    TW_SU_STOP,
    TW_SU_ACTION_COUNT
} tw_standup_action;

/* "start", "next", ...; parse returns -1 for an unknown name. */
const char *tw_standup_action_name(tw_standup_action a);
int tw_standup_action_parse(const char *name);

/* One command, as decoded from <root>/standup (mqtt/codec.c) or made by a
 * key, button, touch or chat. */
typedef struct tw_standup_cmd {
    tw_standup_action action;
    int at; /* the position the sender saw; 0 = not given */
    char by[TW_AUTHOR_SIZE];
    char note[TW_NOTE_SIZE];     /* resolve */
    char source[TW_SOURCE_SIZE]; /* for the claim or resolve it makes */
    int64_t ts;                  /* start: the sender's time (the id comes from it); 0 = now */
} tw_standup_cmd;

typedef enum {
    TW_SU_IDLE = 0, /* no stand-up: the board */
    TW_SU_BLOCKERS,
    TW_SU_QUESTIONS,
    TW_SU_WINS,
    TW_SU_SUMMARY,
} tw_standup_phase;

/* "blockers", "questions", "wins", "summary" (NULL for idle). */
const char *tw_standup_phase_name(tw_standup_phase p);

/* What happened to an item during the stand-up. */
enum { TW_SU_SHOWN = 1, TW_SU_CLAIMED = 2, TW_SU_RESOLVED = 4 };

typedef struct tw_standup_entry {
    char id[TW_ID_SIZE];
    tw_kind kind;
    int carried;    /* earlier stand-ups it was already open at */
    unsigned flags; /* TW_SU_SHOWN | TW_SU_CLAIMED | TW_SU_RESOLVED */
} tw_standup_entry;

/* The state. A plain value: copy it, compare it, store it. */
typedef struct tw_standup {
    tw_standup_phase phase;
    char id[TW_STANDUP_ID_SIZE]; /* "su-20261202T093000Z" */
    char by[TW_AUTHOR_SIZE];     /* who started it */
    int64_t started;             /* Unix seconds */
    int64_t item_started;        /* when the item shown came up */
    int64_t ended;               /* when the summary began; 0 while walking */
    int position;                /* 1-based; 0 when the walk is empty */
    int count;
    tw_standup_entry walk[TW_STANDUP_MAX_ITEMS];
} tw_standup;

/* An input: a command (with, for a start, the walk it begins with) or a
 * tick of the clock. */
typedef struct tw_standup_input {
    bool tick;
    tw_standup_cmd cmd;
    const tw_standup_entry *walk; /* start: the walk (tw_standup_walk()) */
    size_t n_walk;
} tw_standup_input;

typedef struct tw_standup_effects {
    bool changed;  /* the stand-up object changed: store it, publish the state */
    bool redraw;   /* the screen changes (timers tick) */
    bool started;  /* events to publish, in this order */
    bool moved;    /* position changed */
    bool ended;    /* the summary began */
    bool closed;   /* the summary is over: back to the board */
    bool claim;    /* claim walk[target] by cmd.by */
    bool resolve;  /* resolve walk[target] by cmd.by with cmd.note */
    int target;    /* index into walk */
    bool rejected; /* the command was refused: reason says why */
    bool noop;     /* accepted but changed nothing (a redelivery) */
    char reason[128];
} tw_standup_effects;

/* When a start sent at ts (0: not given) and received at now begins: ts,
 * unless it is missing or far from now. */
int64_t tw_standup_start_time(int64_t ts, int64_t now);

/* An idle state. */
void tw_standup_init(tw_standup *s);

/* Apply in to s at now (Unix seconds). fx is overwritten. Returns 0, or
 * TW_ERR_INVAL when the command was rejected (fx->reason). */
int tw_standup_step(tw_standup *s, const tw_standup_input *in, int64_t now, tw_standup_effects *fx);

/* Wall-clock second (Unix) of the next tick that changes something, 0 when
 * idle: each second while walking (the timers), the summary's end. */
int64_t tw_standup_deadline(const tw_standup *s, int64_t now);

/* The entry shown, or NULL (idle, summary, empty walk). */
const tw_standup_entry *tw_standup_current(const tw_standup *s);

/* Is a stand-up running (walking or in its summary)? */
bool tw_standup_running(const tw_standup *s);

/*
 * The walk from open items (n views, any order): open and claimed blockers
 * oldest first, then questions oldest first, then wins created at or after
 * wins_since, oldest first; at most max into out. Carried counts are 0 (the
 * caller knows the history). Returns how many.
 */
size_t tw_standup_walk(const tw_item_view *const *items, size_t n, int64_t wins_since,
                       tw_standup_entry *out, size_t max);

/* The summary, from the walk. Indexes into s->walk. */
typedef struct tw_standup_summary {
    int discussed;
    int resolved[TW_STANDUP_MAX_ITEMS], n_resolved;
    int claimed[TW_STANDUP_MAX_ITEMS], n_claimed;
    int still_open; /* blockers and questions not resolved */
    int carried_over[TW_STANDUP_MAX_ITEMS], n_carried_over; /* ...that were open at earlier ones */
    int64_t duration_s;
} tw_standup_summary;
void tw_standup_summarize(const tw_standup *s, tw_standup_summary *out);

/* The id of a stand-up started at t: "su-YYYYMMDDTHHMMSSZ". */
void tw_standup_make_id(int64_t t, char out[TW_STANDUP_ID_SIZE]);

/*
 * `[standup] at`: "" (never by itself) or rules of days and one time each,
 * separated by commas: "Mon-Fri 09:30", "Mon Wed 09:30, Fri 10:00" (days as
 * in firmware/schedule.h). Each rule is the minute it starts at. Returns 0
 * or TW_ERR_PARSE with a reason. *empty is set for "".
 */
int tw_standup_schedule_parse(const char *spec, tw_schedule *out, bool *empty, char *err,
                              size_t err_size);
/* Does a stand-up start at weekday wday (0 = Sunday), minute of the day? */
bool tw_standup_schedule_due(const tw_schedule *s, int wday, int minute);

#endif
