/* SPDX-License-Identifier: MIT */
/*
 * Times and ages as the wall writes them: "5m", "09:30", "Mon 3 Nov",
 * "Mon 09:40".
 */
#define _POSIX_C_SOURCE 200809L
#define LOG_MODULE      "ui"
#include "screen.h"

#include "i18n.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* ---- formatting ---- */

/* "now", "5m", "3h", "2d". */
void tw_format_age(int64_t secs, char *buf, size_t size)
{
    /* TRANSLATORS: the age of a card, as short as possible: just now,
     * minutes, hours, days ("5m", "3h", "2d"). */
    if (secs < 60)
        snprintf(buf, size, "%s", C_("age", "now"));
    else if (secs < 3600)
        snprintf(buf, size, C_("age", "%dm"), (int)(secs / 60));
    else if (secs < 86400)
        snprintf(buf, size, C_("age", "%dh"), (int)(secs / 3600));
    else
        snprintf(buf, size, C_("age", "%dd"), (int)(secs / 86400));
}

static void local_tm(int64_t t, struct tm *tm)
{
    time_t tt = (time_t)t;
    if (!localtime_r(&tt, tm))
        memset(tm, 0, sizeof(*tm));
}

void tw_format_hhmm(int64_t t, char *buf, size_t size)
{
    struct tm tm;
    local_tm(t, &tm);
    snprintf(buf, size, "%02d:%02d", tm.tm_hour, tm.tm_min);
}

/* Names from the catalogue, not from the C library's locale data: a clean
 * Debian 12 has no locale but C.UTF-8 generated, and the board must not
 * depend on the locales package to say "Mi" for Wednesday. */
static const char *const weekday[] = {
    NC_("weekday", "Sun"), NC_("weekday", "Mon"), NC_("weekday", "Tue"), NC_("weekday", "Wed"),
    NC_("weekday", "Thu"), NC_("weekday", "Fri"), NC_("weekday", "Sat")};
static const char *const month[] = {NC_("month", "Jan"), NC_("month", "Feb"), NC_("month", "Mar"),
                                    NC_("month", "Apr"), NC_("month", "May"), NC_("month", "Jun"),
                                    NC_("month", "Jul"), NC_("month", "Aug"), NC_("month", "Sep"),
                                    NC_("month", "Oct"), NC_("month", "Nov"), NC_("month", "Dec")};

/* A date in the language's order: %a weekday, %b month (both short), %e day
 * of the month, %H hour, %M minute (two digits), %% a percent sign. */
static void format_tm(const char *fmt, const struct tm *tm, char *buf, size_t size)
{
    size_t n = 0;
    if (size == 0)
        return;
    buf[0] = '\0';
    for (const char *p = fmt; *p && n + 1 < size; p++) {
        char part[64];
        if (*p != '%' || !p[1]) {
            buf[n++] = *p;
            buf[n] = '\0';
            continue;
        }
        switch (*++p) {
        case 'a':
            snprintf(part, sizeof(part), "%s", C_("weekday", weekday[(unsigned)tm->tm_wday % 7]));
            break;
        case 'b':
            snprintf(part, sizeof(part), "%s", C_("month", month[(unsigned)tm->tm_mon % 12]));
            break;
        case 'e': snprintf(part, sizeof(part), "%d", tm->tm_mday); break;
        case 'H': snprintf(part, sizeof(part), "%02d", tm->tm_hour); break;
        case 'M': snprintf(part, sizeof(part), "%02d", tm->tm_min); break;
        default: snprintf(part, sizeof(part), "%c", *p); break;
        }
        n += (size_t)snprintf(buf + n, size - n, "%s", part);
        if (n >= size)
            n = size - 1;
    }
}

void tw_format_date(int64_t t, char *buf, size_t size)
{
    struct tm tm;
    local_tm(t, &tm);
    /* TRANSLATORS: the date in the header, "Wed 25 Nov": %a the weekday,
     * %e the day, %b the month (short names from the catalogue). */
    format_tm(C_("date", "%a %e %b"), &tm, buf, size);
}

/* "10:12" today, "Mon 09:40" this week, "21 Nov 09:00" before. */
void tw_format_when(int64_t t, int64_t now, char *buf, size_t size)
{
    struct tm a, b;
    local_tm(t, &a);
    local_tm(now, &b);
    if (a.tm_year == b.tm_year && a.tm_yday == b.tm_yday)
        snprintf(buf, size, "%02d:%02d", a.tm_hour, a.tm_min);
    else if (now - t < 6 * 86400)
        /* TRANSLATORS: a time this week, "Mon 09:40". */
        format_tm(C_("date", "%a %H:%M"), &a, buf, size);
    else
        /* TRANSLATORS: an earlier time, "21 Nov 09:00". */
        format_tm(C_("date", "%e %b %H:%M"), &a, buf, size);
}
