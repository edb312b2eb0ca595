/* SPDX-License-Identifier: MIT */
/*
 * The wall's warnings: short lines the header banner shows (storage trouble,
 * a desk button with a low battery or offline, an unassigned button pressed).
 * Any module raises and clears warnings by key; the app owns the set and
 * hands it to the screen, and the same set goes into the retained state as
 * "warnings" (PROTOCOL.md, "Warnings in the state"): each warning carries
 * what that array says about it. Pure data, no I/O.
 */
#ifndef TW_WARNINGS_H
#define TW_WARNINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TW_WARNING_KEY_SIZE     64
#define TW_WARNING_TEXT_SIZE    160
#define TW_WARNING_SUBJECT_SIZE 160

/* What the retained state calls a warning. */
typedef enum tw_warning_kind {
    TW_WARNING_OTHER = 0,      /* "other": only its text */
    TW_WARNING_BUTTON_OFFLINE, /* "button-offline": button, since */
    TW_WARNING_BUTTON_BATTERY, /* "button-battery": button, battery */
    TW_WARNING_STORAGE,        /* "storage": reason */
    TW_WARNING_UNASSIGNED,     /* "unassigned-button": topic */
} tw_warning_kind;

/* The machine-readable side of a warning. */
typedef struct tw_warning_detail {
    tw_warning_kind kind;
    /* the button's name (button-*), the topic (unassigned-button), the
     * reason (storage) */
    char subject[TW_WARNING_SUBJECT_SIZE];
    int64_t since; /* button-offline: wall clock it went offline */
    int battery;   /* button-battery: percent */
} tw_warning_detail;

typedef enum { TW_WARN_INFO = 0, TW_WARN_WARNING, TW_WARN_ERROR } tw_warning_level;

typedef struct tw_warning {
    char key[TW_WARNING_KEY_SIZE];   /* "storage", "battery:desk-3", "unassigned:0x1234" */
    char text[TW_WARNING_TEXT_SIZE]; /* what the wall shows: "Desk 3 button: battery 9 %" */
    tw_warning_level level;
    int64_t since;   /* wall clock when first raised */
    int64_t expires; /* wall clock when it clears itself; 0 = until cleared */
    tw_warning_detail detail;
} tw_warning;

typedef struct tw_warnings tw_warnings;

tw_warnings *tw_warnings_create(void);
/* NULL is a no-op. */
void tw_warnings_destroy(tw_warnings *w);

/* Raise or update the warning key (text copied). ttl_s > 0 makes it expire
 * ttl_s seconds after now. Changing nothing does not bump the version. A
 * key starting "storage" is a storage warning with its text as the reason;
 * any other is kind "other". */
void tw_warning_raise(tw_warnings *w, const char *key, tw_warning_level level, const char *text,
                      int64_t now, int64_t ttl_s);
/* The same with what the retained state says about it (detail copied;
 * NULL as for tw_warning_raise). */
void tw_warning_raise_detail(tw_warnings *w, const char *key, tw_warning_level level,
                             const char *text, int64_t now, int64_t ttl_s,
                             const tw_warning_detail *detail);
/* Clear key if raised; returns true if it was. */
bool tw_warning_clear(tw_warnings *w, const char *key);
/* Drop expired warnings; returns true if any went. */
bool tw_warnings_expire(tw_warnings *w, int64_t now);
/* Wall clock of the next expiry, or 0 when none expires. */
int64_t tw_warnings_next_expiry(const tw_warnings *w);

/* The current warnings, most severe first then oldest first. Borrowed until
 * the next change. */
const tw_warning *tw_warnings_list(const tw_warnings *w, size_t *count);
/* Increases with every change (the screen redraws when it moves). */
uint64_t tw_warnings_version(const tw_warnings *w);

/* "button-offline", "button-battery", "storage", "unassigned-button", "other". */
const char *tw_warning_kind_name(tw_warning_kind kind);

/*
 * The retained state's "warnings" array, in display order:
 * [{"kind":"button-offline","button":"desk-3","since":"…","text":"…"},
 *  {"kind":"button-battery","button":"desk-3","battery":9,"text":"…"},
 *  {"kind":"storage","reason":"…","text":"…"},
 *  {"kind":"unassigned-button","topic":"…","text":"…"}]. Caller frees
 * (cJSON_Delete); w NULL gives an empty array.
 */
struct cJSON *tw_warnings_state_json(const tw_warnings *w);

/*
 * state (the retained state JSON object mqtt/codec.c printed, without a
 * "warnings" key; freed here) with "warnings": tw_warnings_state_json(w)
 * added at its end. Returns the new JSON (caller frees), or state itself
 * unchanged if it is not an object.
 */
char *tw_warnings_add_to_state(char *state, const tw_warnings *w);

#endif
