/* SPDX-License-Identifier: MIT */
/*
 * The team's figures, as the wall's strip, the retained state and (later)
 * teamwall-ctl stats show them: median time to clear a blocker over 14 days
 * and its trend, share of questions answered within 4 hours, blockers opened
 * and cleared per day for 14 days, wins this week. Formulas: docs/FIGURES.md.
 *
 * Pure: rows in, figures out. The caller reads the rows (the store's recent
 * history, tw_store_history_since) and the local calendar (tw_figures_clock);
 * nothing here does I/O or reads the clock.
 */
#ifndef TW_FIGURES_H
#define TW_FIGURES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "item.h"

#define TW_FIG_DAYS       14
#define TW_FIG_WINDOW_S   (14 * 86400) /* the "last 14 days" */
#define TW_FIG_FAST_S     (4 * 3600)   /* a question answered this fast counts */
#define TW_FIG_LOOKBACK_S (29 * 86400) /* rows older than this never matter */

/* What the figures need of an item. */
typedef struct tw_fig_row {
    tw_kind kind;
    tw_state state;
    int64_t created, resolved; /* Unix seconds; resolved 0 unless state is resolved */
} tw_fig_row;

/* The calendar the figures are counted in: now, and the local midnights. */
typedef struct tw_fig_clock {
    int64_t now;
    /* day_start[i] is local midnight of the day (TW_FIG_DAYS - 1 - i) days
     * ago; day_start[TW_FIG_DAYS] is tomorrow's midnight. */
    int64_t day_start[TW_FIG_DAYS + 1];
    int64_t week_start; /* Monday 00:00 local of the current week */
} tw_fig_clock;

typedef struct tw_figures {
    bool valid; /* computed at least once */
    /* Time to clear a blocker: median over blockers resolved in the last 14
     * days (now), and over the 14 days before (prev). */
    int clear_n, clear_prev_n;
    int64_t clear_median_s, clear_prev_median_s; /* 0 when the count is 0 */
    /* Questions asked in the last 14 days; of those, the ones whose outcome
     * is known (answered, or older than 4 hours); of those, the ones answered
     * within 4 hours. */
    int questions_asked, questions_decided, questions_fast;
    /* Blockers opened and cleared per local day, oldest first; today last. */
    int opened[TW_FIG_DAYS], cleared[TW_FIG_DAYS];
    int64_t day_start[TW_FIG_DAYS]; /* the days, as in tw_fig_clock */
    int wins_week;                  /* wins posted since Monday 00:00 */
} tw_figures;

/* Fill the calendar for Unix time now in the local time zone (TZ). */
void tw_figures_clock(int64_t now, tw_fig_clock *out);

/* The rows that matter start here: anything created or resolved before it
 * is outside every window. */
int64_t tw_figures_since(const tw_fig_clock *clk);

/* Compute the figures from n rows (any order; each item once). */
void tw_figures_compute(const tw_fig_row *rows, size_t n, const tw_fig_clock *clk, tw_figures *out);

/* "2026-11-25": the local date of day d (0 oldest .. TW_FIG_DAYS-1 today). */
void tw_figures_day_name(const tw_figures *f, int d, char *buf, size_t size);

/* Share answered within 4 hours in whole percent (rounded half up), or -1
 * when no question is decided yet. */
int tw_figures_fast_percent(const tw_figures *f);

/* "5h 10m", "2d 3h", "45m", "<1m": a duration the way the wall shows it. */
void tw_figures_format_duration(int64_t secs, char *buf, size_t size);

#endif
