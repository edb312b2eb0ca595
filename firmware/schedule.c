/* SPDX-License-Identifier: MIT */
/*
 * The night schedule and the pixel shift. A schedule is a bitmap of the
 * 10,080 minutes of a week, filled by the parser rule by rule, so every
 * question ("on now?", "how long until it changes?") is a lookup or a short
 * walk over bits with no date arithmetic to get wrong around midnight or
 * the end of the week.
 */
#define _POSIX_C_SOURCE 200809L
#include "schedule.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "util.h"

static void set_bit(tw_schedule *s, int m)
{
    m = ((m % TW_WEEK_MINUTES) + TW_WEEK_MINUTES) % TW_WEEK_MINUTES;
    s->bits[m / 8] |= (uint8_t)(1u << (m % 8));
}

static bool get_bit(const tw_schedule *s, int m)
{
    m = ((m % TW_WEEK_MINUTES) + TW_WEEK_MINUTES) % TW_WEEK_MINUTES;
    return s->bits[m / 8] >> (m % 8) & 1;
}

static const char *const day_names[7] = {"sunday",   "monday", "tuesday", "wednesday",
                                         "thursday", "friday", "saturday"};

/* A day name at p (three letters at least, any case): its tm_wday, and the
 * length consumed; -1 if none. */
static int parse_day(const char *p, size_t *len)
{
    size_t n = 0;
    while (isalpha((unsigned char)p[n]))
        n++;
    if (n < 3)
        return -1;
    for (int d = 0; d < 7; d++) {
        if (n <= strlen(day_names[d]) && strncasecmp(p, day_names[d], n) == 0) {
            *len = n;
            return d;
        }
    }
    return -1;
}

/* "HH:MM" at p, 00:00..24:00; minutes or -1. */
static int parse_time(const char *p, size_t *len)
{
    if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]) || p[2] != ':' ||
        !isdigit((unsigned char)p[3]) || !isdigit((unsigned char)p[4]))
        return -1;
    int h = (p[0] - '0') * 10 + (p[1] - '0'), m = (p[3] - '0') * 10 + (p[4] - '0');
    if (h > 24 || m > 59 || (h == 24 && m != 0))
        return -1;
    *len = 5;
    return h * 60 + m;
}

static const char *skip_space(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

/* Word w (any case) at p, followed by a non-letter. */
static bool word_at(const char *p, const char *w)
{
    size_t n = strlen(w);
    return strncasecmp(p, w, n) == 0 && !isalpha((unsigned char)p[n]);
}

int tw_schedule_parse(const char *spec, tw_schedule *out, char *err, size_t err_size)
{
    char dummy[8];
    if (!err) {
        err = dummy;
        err_size = sizeof(dummy);
    }
    if (!spec || !out) {
        snprintf(err, err_size, "no schedule");
        return TW_ERR_PARSE;
    }
    memset(out, 0, sizeof(*out));
    const char *p = skip_space(spec);
    if (*p == '\0' || (word_at(p, "always") && *skip_space(p + 6) == '\0')) {
        memset(out->bits, 0xFF, sizeof(out->bits));
        return 0;
    }

    while (*p) {
        /* Days, until the time range. */
        bool days[7] = {false};
        bool any = false;
        for (;;) {
            p = skip_space(p);
            size_t n = 0;
            if (word_at(p, "daily")) {
                for (int d = 0; d < 7; d++)
                    days[d] = true;
                p += 5;
            } else if (word_at(p, "weekdays")) {
                for (int d = 1; d <= 5; d++)
                    days[d] = true;
                p += 8;
            } else if (word_at(p, "weekends")) {
                days[0] = days[6] = true;
                p += 8;
            } else {
                int d1 = parse_day(p, &n);
                if (d1 < 0)
                    break;
                p += n;
                int d2 = d1;
                if (*p == '-') {
                    d2 = parse_day(p + 1, &n);
                    if (d2 < 0) {
                        snprintf(err, err_size, "expected a day after \"-\" near \"%.12s\"", p);
                        return TW_ERR_PARSE;
                    }
                    p += 1 + n;
                }
                for (int d = d1;; d = (d + 1) % 7) {
                    days[d] = true;
                    if (d == d2)
                        break;
                }
            }
            any = true;
            p = skip_space(p);
            if (*p == ',' && !isdigit((unsigned char)*skip_space(p + 1)))
                p++; /* "Mon, Wed 08:00-17:00": a list of days */
        }
        if (!any) {
            snprintf(err, err_size, "expected a day (Mon..Sun, daily, weekdays) near \"%.12s\"", p);
            return TW_ERR_PARSE;
        }
        size_t n;
        int from = parse_time(p, &n);
        if (from < 0 || p[n] != '-') {
            snprintf(err, err_size, "expected a time range HH:MM-HH:MM near \"%.12s\"", p);
            return TW_ERR_PARSE;
        }
        p += n + 1;
        int to = parse_time(p, &n);
        if (to < 0) {
            snprintf(err, err_size, "expected an end time HH:MM near \"%.12s\"", p);
            return TW_ERR_PARSE;
        }
        p += n;
        if (from == to || (from == 1440 && to == 0)) {
            snprintf(err, err_size, "empty time range %02d:%02d-%02d:%02d", from / 60, from % 60,
                     to / 60, to % 60);
            return TW_ERR_PARSE;
        }
        if (from == 1440) {
            snprintf(err, err_size, "a range cannot start at 24:00");
            return TW_ERR_PARSE;
        }
        int len = to > from ? to - from : to + 1440 - from;
        for (int d = 0; d < 7; d++)
            if (days[d])
                for (int m = 0; m < len; m++)
                    set_bit(out, d * 1440 + from + m);
        p = skip_space(p);
        if (*p == ',' || *p == ';')
            p = skip_space(p + 1);
        else if (*p) {
            snprintf(err, err_size, "expected \",\" between rules near \"%.12s\"", p);
            return TW_ERR_PARSE;
        }
    }
    return 0;
}

bool tw_schedule_on(const tw_schedule *s, int wday, int minute)
{
    if (!s)
        return true;
    return get_bit(s, (wday % 7) * 1440 + minute);
}

int tw_schedule_minutes_to_change(const tw_schedule *s, int wday, int minute)
{
    if (!s)
        return -1;
    int at = (wday % 7) * 1440 + minute;
    bool now = get_bit(s, at);
    for (int i = 1; i <= TW_WEEK_MINUTES; i++)
        if (get_bit(s, at + i) != now)
            return i;
    return -1;
}

bool tw_schedule_on_at(const tw_schedule *s, int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!s || !localtime_r(&tt, &tm))
        return true;
    return tw_schedule_on(s, tm.tm_wday, tm.tm_hour * 60 + tm.tm_min);
}

void tw_pixel_shift(int64_t t, int period_s, int radius, int *dx, int *dy)
{
    int x = 0, y = 0;
    if (radius > 0 && period_s > 0 && t >= 0) {
        int side = 2 * radius + 1;
        int64_t cells = (int64_t)side * side;
        /* There and back along a snake through the square: 2 * cells - 2
         * steps, each one pixel to a neighbour. */
        int64_t cycle = 2 * cells - 2;
        int64_t k = (t / period_s) % cycle;
        if (k >= cells)
            k = cycle - k;
        int row = (int)(k / side), col = (int)(k % side);
        if (row % 2)
            col = side - 1 - col;
        x = col - radius;
        y = row - radius;
    }
    if (dx)
        *dx = x;
    if (dy)
        *dy = y;
}
