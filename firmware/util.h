/* SPDX-License-Identifier: MIT */
/*
 * Small shared helpers: status codes and their text, allocation that aborts on
 * out-of-memory (the service restarts), bounded string copies and the RFC 3339
 * time format used on the wire and in the store.
 */
#ifndef TW_UTIL_H
#define TW_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Status codes: 0 is success, failures are negative. */
enum {
    TW_OK = 0,
    TW_ERR_INVAL = -1,    /* bad argument or malformed input */
    TW_ERR_NOMEM = -2,    /* never returned: tw_xmalloc aborts */
    TW_ERR_IO = -3,       /* file or socket trouble */
    TW_ERR_DB = -4,       /* SQLite failure */
    TW_ERR_NOTFOUND = -5, /* unknown id or ref */
    TW_ERR_AMBIGUOUS = -6,
    TW_ERR_PARSE = -7, /* config or message could not be parsed */
    TW_ERR_NET = -8,   /* broker unreachable or refused */
    TW_ERR_BUSY = -9,  /* database locked, try again */
    TW_ERR_FULL = -10, /* disk full or read-only */
};

/* Text for a status code; static storage. */
const char *tw_strerror(int status);

/* malloc/calloc/realloc/strdup that abort with a log line when memory runs out. */
void *tw_xmalloc(size_t n);
void *tw_xcalloc(size_t count, size_t n);
void *tw_xrealloc(void *p, size_t n);
char *tw_xstrdup(const char *s);

/* Copy at most size-1 bytes of src into dst, always terminated. Returns strlen(src). */
size_t tw_strlcpy(char *dst, const char *src, size_t size);

/* Wall-clock seconds since the epoch; a fixed clock when tw_clock_fix() was called. */
int64_t tw_now(void);
/* Fix the clock (for --now); 0 restores the real clock. */
void tw_clock_fix(int64_t t);
/* True while the clock is fixed. */
bool tw_clock_fixed(void);
/* Monotonic milliseconds, for deadlines. */
int64_t tw_mono_ms(void);

/* Format t as "2026-11-25T09:14:03Z" into buf (at least 21 bytes). Returns buf. */
char *tw_time_format(int64_t t, char *buf, size_t size);
/* Parse RFC 3339 ("2026-11-25T09:14:03Z", "...+01:00", fractional seconds allowed).
 * Returns 0 and sets *out, or TW_ERR_PARSE. */
int tw_time_parse(const char *s, int64_t *out);

/* Create the folders above the file at path (mode 0755), as mkdir -p does
 * for its dirname. Returns 0 when the last one exists, else TW_ERR_IO (logged). */
int tw_make_parent_dir(const char *path);

#define TW_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
