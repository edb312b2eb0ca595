/* SPDX-License-Identifier: MIT */
/*
 * The team's figures from item rows: medians, shares and per-day counts over
 * local calendar days. The formulas are docs/FIGURES.md's, one function
 * each, so the document and the code can be read side by side.
 */
#define _POSIX_C_SOURCE 200809L
#include "figures.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "i18n.h"
#include "util.h"

/* Local midnight of the day containing t, moved by `days` days. mktime
 * normalises the day of the month and finds the offset in force that day,
 * so days around a DST change are 23 or 25 hours long, as on the wall. */
static int64_t local_midnight(int64_t t, int days)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!localtime_r(&tt, &tm))
        return t - t % 86400 + (int64_t)days * 86400;
    tm.tm_mday += days;
    tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
    tm.tm_isdst = -1;
    return (int64_t)mktime(&tm);
}

void tw_figures_clock(int64_t now, tw_fig_clock *out)
{
    memset(out, 0, sizeof(*out));
    out->now = now;
    for (int i = 0; i <= TW_FIG_DAYS; i++)
        out->day_start[i] = local_midnight(now, i - (TW_FIG_DAYS - 1));
    time_t tt = (time_t)now;
    struct tm tm;
    int wday = localtime_r(&tt, &tm) ? tm.tm_wday : 1;
    out->week_start = local_midnight(now, -((wday + 6) % 7)); /* back to Monday */
}

int64_t tw_figures_since(const tw_fig_clock *clk)
{
    int64_t since = clk->now - 2 * (int64_t)TW_FIG_WINDOW_S;
    if (clk->day_start[0] < since)
        since = clk->day_start[0];
    if (clk->week_start < since)
        since = clk->week_start;
    return since;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Median of n values (sorted in place): the middle one, or the mean of the
 * two middle ones rounded down. 0 for none. */
static int64_t median(int64_t *v, size_t n)
{
    if (n == 0)
        return 0;
    qsort(v, n, sizeof(*v), cmp_i64);
    if (n % 2)
        return v[n / 2];
    return (v[n / 2 - 1] + v[n / 2]) / 2;
}

static bool in(int64_t t, int64_t from, int64_t to)
{
    return t >= from && t < to;
}

/* Time to clear: blockers resolved in [from, to), resolved - created each. */
static int64_t clear_median(const tw_fig_row *rows, size_t n, int64_t from, int64_t to,
                            int64_t *scratch, int *count)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const tw_fig_row *r = &rows[i];
        if (r->kind != TW_KIND_BLOCKER || r->state != TW_STATE_RESOLVED ||
            !in(r->resolved, from, to))
            continue;
        int64_t d = r->resolved - r->created;
        scratch[k++] = d > 0 ? d : 0;
    }
    *count = (int)k;
    return median(scratch, k);
}

/* The day index of t (0 oldest .. TW_FIG_DAYS-1 today), or -1 outside. */
static int day_of(const tw_fig_clock *clk, int64_t t)
{
    if (t < clk->day_start[0] || t >= clk->day_start[TW_FIG_DAYS])
        return -1;
    int lo = 0, hi = TW_FIG_DAYS - 1;
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (clk->day_start[mid] <= t)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

void tw_figures_compute(const tw_fig_row *rows, size_t n, const tw_fig_clock *clk, tw_figures *out)
{
    memset(out, 0, sizeof(*out));
    out->valid = true;
    memcpy(out->day_start, clk->day_start, sizeof(out->day_start));
    int64_t now = clk->now, from = now - TW_FIG_WINDOW_S;

    /* Scratch for the resolved blockers only: the wall recomputes after
     * each pass of a flood of posts, and n rows' worth (160 KB at 20,000)
     * was a fresh mapping, page-faulted in, every time. */
    size_t resolved_blockers = 0;
    for (size_t i = 0; i < n; i++)
        resolved_blockers += rows[i].kind == TW_KIND_BLOCKER && rows[i].state == TW_STATE_RESOLVED;
    int64_t *scratch = resolved_blockers ? tw_xmalloc(resolved_blockers * sizeof(*scratch)) : NULL;
    /* The window is (now - 14 d, now]: a blocker resolved exactly 14 days
     * ago belongs to the previous window. */
    out->clear_median_s = clear_median(rows, n, from + 1, now + 1, scratch, &out->clear_n);
    out->clear_prev_median_s =
        clear_median(rows, n, from - TW_FIG_WINDOW_S + 1, from + 1, scratch, &out->clear_prev_n);
    free(scratch);

    for (size_t i = 0; i < n; i++) {
        const tw_fig_row *r = &rows[i];
        bool resolved = r->state == TW_STATE_RESOLVED && r->resolved > 0;
        switch (r->kind) {
        case TW_KIND_QUESTION: {
            if (!in(r->created, from + 1, now + 1))
                break;
            out->questions_asked++;
            bool fast = resolved && r->resolved - r->created <= TW_FIG_FAST_S;
            if (fast || now - r->created >= TW_FIG_FAST_S)
                out->questions_decided++;
            if (fast)
                out->questions_fast++;
            break;
        }
        case TW_KIND_BLOCKER: {
            int d = r->created <= now ? day_of(clk, r->created) : -1;
            if (d >= 0)
                out->opened[d]++;
            d = resolved && r->resolved <= now ? day_of(clk, r->resolved) : -1;
            if (d >= 0)
                out->cleared[d]++;
            break;
        }
        case TW_KIND_WIN:
            if (r->created >= clk->week_start && r->created <= now)
                out->wins_week++;
            break;
        default: break;
        }
    }
}

void tw_figures_day_name(const tw_figures *f, int d, char *buf, size_t size)
{
    struct tm tm;
    time_t t = f && d >= 0 && d < TW_FIG_DAYS ? (time_t)f->day_start[d] : 0;
    if (size == 0)
        return;
    buf[0] = '\0';
    if (localtime_r(&t, &tm))
        strftime(buf, size, "%Y-%m-%d", &tm);
}

int tw_figures_fast_percent(const tw_figures *f)
{
    if (!f || f->questions_decided <= 0)
        return -1;
    return (int)((200LL * f->questions_fast + f->questions_decided) / (2LL * f->questions_decided));
}

void tw_figures_format_duration(int64_t secs, char *buf, size_t size)
{
    if (secs < 0)
        secs = 0;
    int64_t m = secs / 60, h = m / 60, d = h / 24;
    /* TRANSLATORS: durations on the wall and in ctl stats, as short as
     * the language allows: minutes, hours and minutes, days and hours. */
    if (secs < 60)
        snprintf(buf, size, "%s", C_("duration", "<1m"));
    else if (h == 0)
        snprintf(buf, size, C_("duration", "%lldm"), (long long)m);
    else if (d == 0 && m % 60)
        snprintf(buf, size, C_("duration", "%lldh %lldm"), (long long)h, (long long)(m % 60));
    else if (d == 0)
        snprintf(buf, size, C_("duration", "%lldh"), (long long)h);
    else if (h % 24)
        snprintf(buf, size, C_("duration", "%lldd %lldh"), (long long)d, (long long)(h % 24));
    else
        snprintf(buf, size, C_("duration", "%lldd"), (long long)d);
}
