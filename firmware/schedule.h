/* SPDX-License-Identifier: MIT */
/*
 * When the wall is on, and where it stands: the night schedule of
 * `[display] on = Mon-Fri 07:30-19:00` as a week of minutes, and the slow
 * pixel shift against burn-in. Pure: values in, values out; the caller turns
 * the wall clock into a local weekday and minute.
 */
#ifndef TW_SCHEDULE_H
#define TW_SCHEDULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TW_WEEK_MINUTES (7 * 1440)

/* One bit per minute of the week, Sunday 00:00 first (struct tm's tm_wday). */
typedef struct tw_schedule {
    uint8_t bits[TW_WEEK_MINUTES / 8];
} tw_schedule;

/*
 * Parse a schedule: "" or "always" (on all the time), or rules separated by
 * commas, each one or more days then a time range:
 *   "Mon-Fri 07:30-19:00", "Mon-Fri 07:30-19:00, Sat 10:00-14:00",
 *   "Mon Wed Fri 08:00-17:00", "daily 07:00-22:00", "weekdays 22:00-06:00".
 * Days: Mon..Sun (three letters or the full name, any case), ranges that
 * may wrap ("Fri-Mon"), "daily", "weekdays", "weekends". A range whose end is
 * before its start runs past midnight into the next day; "24:00" is the end
 * of the day. Returns 0, or TW_ERR_PARSE with a reason copied to err.
 */
int tw_schedule_parse(const char *spec, tw_schedule *out, char *err, size_t err_size);

/* Is the wall on at weekday wday (0 = Sunday) and minute of the day (0..1439)? */
bool tw_schedule_on(const tw_schedule *s, int wday, int minute);

/* Minutes from (wday, minute) until the state changes, or -1 if it never does. */
int tw_schedule_minutes_to_change(const tw_schedule *s, int wday, int minute);

/* Is the wall on at Unix time t, in the local time zone? */
bool tw_schedule_on_at(const tw_schedule *s, int64_t t);

/*
 * Offset of the whole picture at Unix time t: one step of one pixel every
 * period_s seconds, walking every position of the (2r+1) x (2r+1) square
 * row by row and back, so each step moves by a single pixel and no pixel
 * stays lit at the same place for long. radius 0 gives (0, 0).
 */
void tw_pixel_shift(int64_t t, int period_s, int radius, int *dx, int *dy);

#endif
