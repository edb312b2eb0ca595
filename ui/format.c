/* SPDX-License-Identifier: MIT */
/*
 * Times and ages as the wall writes them: "5m", "09:30", "Mon 3 Nov",
 * "Mon 09:40".
 */
#define _POSIX_C_SOURCE 200809L
#define LOG_MODULE      "ui"
#include "screen.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* ---- formatting ---- */

/* "now", "5m", "3h", "2d". */
void tw_format_age(int64_t secs, char *buf, size_t size)
{
    if (secs < 60)
        snprintf(buf, size, "now");
    else if (secs < 3600)
        snprintf(buf, size, "%dm", (int)(secs / 60));
    else if (secs < 86400)
        snprintf(buf, size, "%dh", (int)(secs / 3600));
    else
        snprintf(buf, size, "%lldd", (long long)(secs / 86400));
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

static const char *const weekday[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
static const char *const month[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

void tw_format_date(int64_t t, char *buf, size_t size)
{
    struct tm tm;
    local_tm(t, &tm);
    snprintf(buf, size, "%s %d %s", weekday[(unsigned)tm.tm_wday % 7], tm.tm_mday,
             month[(unsigned)tm.tm_mon % 12]);
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
        snprintf(buf, size, "%s %02d:%02d", weekday[(unsigned)a.tm_wday % 7], a.tm_hour, a.tm_min);
    else
        snprintf(buf, size, "%d %s %02d:%02d", a.tm_mday, month[(unsigned)a.tm_mon % 12], a.tm_hour,
                 a.tm_min);
}
