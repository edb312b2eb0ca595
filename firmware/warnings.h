/* SPDX-License-Identifier: MIT */
/*
 * The wall's warnings: short lines the header banner shows (storage trouble,
 * a desk button with a low battery or offline, an unassigned button pressed).
 * Any module raises and clears warnings by key; the app owns the set and
 * hands it to the screen. Pure data, no I/O.
 */
#ifndef TW_WARNINGS_H
#define TW_WARNINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TW_WARNING_KEY_SIZE  64
#define TW_WARNING_TEXT_SIZE 160

typedef enum { TW_WARN_INFO = 0, TW_WARN_WARNING, TW_WARN_ERROR } tw_warning_level;

typedef struct tw_warning {
    char key[TW_WARNING_KEY_SIZE];   /* "storage", "battery:desk-3", "unassigned:0x1234" */
    char text[TW_WARNING_TEXT_SIZE]; /* what the wall shows: "Desk 3 button: battery 9 %" */
    tw_warning_level level;
    int64_t since;   /* wall clock when first raised */
    int64_t expires; /* wall clock when it clears itself; 0 = until cleared */
} tw_warning;

typedef struct tw_warnings tw_warnings;

tw_warnings *tw_warnings_create(void);
/* NULL is a no-op. */
void tw_warnings_destroy(tw_warnings *w);

/* Raise or update the warning key (text copied). ttl_s > 0 makes it expire
 * ttl_s seconds after now. Changing nothing does not bump the version. */
void tw_warning_raise(tw_warnings *w, const char *key, tw_warning_level level, const char *text,
                      int64_t now, int64_t ttl_s);
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

#endif
