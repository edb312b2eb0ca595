/* SPDX-License-Identifier: MIT */
/*
 * What the stand-up's screens show (ui/standupview.c draws them): the
 * running stand-up (firmware/standup.h), the item shown as it is now, the
 * last steps of its history, and the timers' limits. Borrowed for one
 * tw_ui_render(), like the rest of the view.
 */
#ifndef TW_UI_STANDUPVIEW_H
#define TW_UI_STANDUPVIEW_H

#include <stddef.h>

#include "../firmware/item.h"
#include "../firmware/standup.h"
#include "../firmware/store.h"

#define TW_STANDUP_VIEW_HISTORY 4 /* steps of the item's history shown */

typedef struct tw_standup_view {
    const tw_standup *su;            /* walking or in its summary */
    const tw_item *item;             /* the item shown, as it is now; NULL in the summary */
    const tw_history_entry *history; /* its last steps, oldest first */
    size_t n_history;
    int item_seconds;    /* per-item timer: amber at this, red at twice it */
    int meeting_minutes; /* the meeting timer's limit */
} tw_standup_view;

/* The timer's colour: 0 within the limit, 1 at it (amber), 2 at twice it
 * (red). */
int tw_standupview_timer_level(int64_t elapsed_s, int limit_s);

/* "3rd", "21st", "112th": the ordinal of n in English. */
void tw_standupview_ordinal(int n, char *buf, size_t size);

#endif
