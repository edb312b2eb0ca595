/* SPDX-License-Identifier: MIT */
/*
 * Shared helpers: status texts, aborting allocation, bounded copies and the
 * clock (real, or fixed by --now for tests and reference images), and the
 * folders above a file the board creates.
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#define LOG_MODULE "util"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "log.h"

const char *tw_strerror(int status)
{
    switch (status) {
    case TW_OK: return "ok";
    case TW_ERR_INVAL: return "invalid argument";
    case TW_ERR_NOMEM: return "out of memory";
    case TW_ERR_IO: return "input/output error";
    case TW_ERR_DB: return "database error";
    case TW_ERR_NOTFOUND: return "not found";
    case TW_ERR_AMBIGUOUS: return "ambiguous";
    case TW_ERR_PARSE: return "parse error";
    case TW_ERR_NET: return "network error";
    case TW_ERR_BUSY: return "busy";
    case TW_ERR_FULL: return "disk full or read-only";
    default: return "unknown error";
    }
}

static void oom(size_t n)
{
    log_error("out of memory (%zu bytes); aborting so the service restarts", n);
    abort();
}

void *tw_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom(n);
    return p;
}

void *tw_xcalloc(size_t count, size_t n)
{
    void *p = calloc(count ? count : 1, n ? n : 1);
    if (!p)
        oom(count * n);
    return p;
}

void *tw_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        oom(n);
    return q;
}

char *tw_xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = tw_xmalloc(n);
    memcpy(p, s, n);
    return p;
}

size_t tw_strlcpy(char *dst, const char *src, size_t size)
{
    size_t n = strlen(src);
    if (size) {
        size_t c = n < size - 1 ? n : size - 1;
        memcpy(dst, src, c);
        dst[c] = '\0';
    }
    return n;
}

static int64_t fixed_now;

bool tw_clock_fixed(void)
{
    return fixed_now != 0;
}

void tw_clock_fix(int64_t t)
{
    fixed_now = t;
}

int64_t tw_now(void)
{
    if (fixed_now)
        return fixed_now;
    return (int64_t)time(NULL);
}

int64_t tw_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static char *put_digits(char *p, int v, int n)
{
    for (int i = n - 1; i >= 0; i--, v /= 10)
        p[i] = (char)('0' + v % 10);
    return p + n;
}

char *tw_time_format(int64_t t, char *buf, size_t size)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm)) {
        if (size)
            buf[0] = '\0';
        return buf;
    }
    int year = tm.tm_year + 1900;
    if (size >= sizeof("YYYY-MM-DDTHH:MM:SSZ") && year >= 0 && year <= 9999) {
        /* strftime's %Y-%m-%dT%H:%M:%SZ by hand: an event carries two of
         * these and the state hundreds, and strftime's locale machinery was
         * three quarters of their cost. */
        char *p = put_digits(buf, year, 4);
        *p++ = '-';
        p = put_digits(p, tm.tm_mon + 1, 2);
        *p++ = '-';
        p = put_digits(p, tm.tm_mday, 2);
        *p++ = 'T';
        p = put_digits(p, tm.tm_hour, 2);
        *p++ = ':';
        p = put_digits(p, tm.tm_min, 2);
        *p++ = ':';
        p = put_digits(p, tm.tm_sec, 2);
        *p++ = 'Z';
        *p = '\0';
    } else if (!strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm) && size) {
        buf[0] = '\0';
    }
    return buf;
}

/* Days since the epoch of a proleptic Gregorian date (Howard Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int tw_time_parse(const char *s, int64_t *out)
{
    int y, mo, d, h, mi, se;
    if (!s || !out || strlen(s) < 20)
        return TW_ERR_PARSE;
    if (digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) || s[7] != '-' ||
        digits(s + 8, 2, &d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
        digits(s + 11, 2, &h) || s[13] != ':' || digits(s + 14, 2, &mi) || s[16] != ':' ||
        digits(s + 17, 2, &se))
        return TW_ERR_PARSE;
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 || mi > 59 || se > 60)
        return TW_ERR_PARSE;
    /* 2026-02-30 is not a day that rolls over into March: it is no day. */
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (mo == 2 && d == 29 && !leap)
        return TW_ERR_PARSE;
    const char *p = s + 19;
    if (*p == '.') {
        p++;
        if (*p < '0' || *p > '9')
            return TW_ERR_PARSE;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    int offset = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int oh, om;
        if (digits(p + 1, 2, &oh) || p[3] != ':' || digits(p + 4, 2, &om) || oh > 23 || om > 59)
            return TW_ERR_PARSE;
        offset = (oh * 60 + om) * 60 * (*p == '-' ? -1 : 1);
        p += 6;
    } else {
        return TW_ERR_PARSE;
    }
    if (*p)
        return TW_ERR_PARSE;
    *out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + (se == 60 ? 59 : se) - offset;
    return 0;
}

int tw_make_parent_dir(const char *path)
{
    char dir[PATH_MAX];
    tw_strlcpy(dir, path, sizeof(dir));
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir)
        return 0;
    *slash = '\0';
    for (char *p = dir + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(dir, 0755);
            *p = '/';
        }
    }
    if (mkdir(dir, 0755) && errno != EEXIST) {
        log_error("cannot create %s: %s", dir, strerror(errno));
        return TW_ERR_IO;
    }
    return 0;
}
