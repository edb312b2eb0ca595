/* SPDX-License-Identifier: MIT */
/*
 * The night schedule: the grammar of [display] on, lookups at the edges of
 * days and of the week, ranges past midnight, errors with reasons, minutes to
 * the next change; and the pixel shift's walk (one pixel a step, every
 * position of its square visited, never beyond the radius).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "schedule.h"
#include "util.h"

enum { SUN, MON, TUE, WED, THU, FRI, SAT };

static int m(int h, int min)
{
    return h * 60 + min;
}

static void test_parse(void)
{
    tw_schedule s;
    char err[160];

    CHECK_EQ_INT(tw_schedule_parse("Mon-Fri 07:30-19:00", &s, err, sizeof(err)), 0);
    CHECK(!tw_schedule_on(&s, MON, m(7, 29)));
    CHECK(tw_schedule_on(&s, MON, m(7, 30)));
    CHECK(tw_schedule_on(&s, FRI, m(18, 59)));
    CHECK(!tw_schedule_on(&s, FRI, m(19, 0)));
    CHECK(!tw_schedule_on(&s, SAT, m(12, 0)));
    CHECK(!tw_schedule_on(&s, SUN, m(12, 0)));
    /* Off at 19:00 on Friday until Monday 07:30: 2 days 12 h 30 min. */
    CHECK_EQ_INT(tw_schedule_minutes_to_change(&s, FRI, m(19, 0)), 2 * 1440 + 12 * 60 + 30);
    CHECK_EQ_INT(tw_schedule_minutes_to_change(&s, MON, m(7, 30)), 11 * 60 + 30);

    /* Several rules, lists of days, names in full and in any case. */
    CHECK_EQ_INT(
        tw_schedule_parse("mon, wed FRIDAY 08:00-12:00, Sat 10:00-14:00", &s, err, sizeof(err)), 0);
    CHECK(tw_schedule_on(&s, MON, m(9, 0)));
    CHECK(!tw_schedule_on(&s, TUE, m(9, 0)));
    CHECK(tw_schedule_on(&s, WED, m(9, 0)));
    CHECK(tw_schedule_on(&s, FRI, m(11, 59)));
    CHECK(tw_schedule_on(&s, SAT, m(13, 0)));
    CHECK(!tw_schedule_on(&s, SAT, m(9, 0)));

    /* Past midnight, and wrapping round the week (Sunday night into Monday). */
    CHECK_EQ_INT(tw_schedule_parse("Sun 22:00-06:00", &s, err, sizeof(err)), 0);
    CHECK(tw_schedule_on(&s, SUN, m(23, 0)));
    CHECK(tw_schedule_on(&s, MON, m(5, 59)));
    CHECK(!tw_schedule_on(&s, MON, m(6, 0)));
    CHECK(!tw_schedule_on(&s, SAT, m(23, 0)));
    CHECK_EQ_INT(tw_schedule_parse("Fri-Mon 09:00-24:00", &s, err, sizeof(err)), 0);
    CHECK(tw_schedule_on(&s, SAT, m(23, 59)));
    CHECK(tw_schedule_on(&s, MON, m(9, 0)));
    CHECK(!tw_schedule_on(&s, TUE, m(9, 0)));
    CHECK(!tw_schedule_on(&s, FRI, m(8, 59)));

    CHECK_EQ_INT(
        tw_schedule_parse("weekdays 08:00-18:00; weekends 10:00-12:00", &s, err, sizeof(err)), 0);
    CHECK(tw_schedule_on(&s, THU, m(17, 0)));
    CHECK(tw_schedule_on(&s, SUN, m(11, 0)));
    CHECK(!tw_schedule_on(&s, SUN, m(13, 0)));
    CHECK_EQ_INT(tw_schedule_parse("daily 07:00-22:00", &s, err, sizeof(err)), 0);
    CHECK(tw_schedule_on(&s, SUN, m(7, 0)));
    CHECK(!tw_schedule_on(&s, WED, m(22, 0)));

    /* Always on: empty, or "always". */
    CHECK_EQ_INT(tw_schedule_parse("", &s, err, sizeof(err)), 0);
    CHECK(tw_schedule_on(&s, SUN, 0));
    CHECK_EQ_INT(tw_schedule_minutes_to_change(&s, SUN, 0), -1);
    CHECK_EQ_INT(tw_schedule_parse("  always ", &s, err, sizeof(err)), 0);
    CHECK(tw_schedule_on(&s, WED, m(3, 0)));
    CHECK(tw_schedule_on(NULL, WED, 0));

    /* Errors say what was expected and where. */
    static const struct {
        const char *spec, *why;
    } bad[] = {
        {"Mon-Fri", "expected a time range"},
        {"07:30-19:00", "expected a day"},
        {"Mon-Fri 7:30-19:00", "expected a time range"},
        {"Mon-Fri 07:30-25:00", "expected an end time"},
        {"Mon-Fri 07:30-07:30", "empty time range"},
        {"Mon-Xyz 07:30-19:00", "expected a day after"},
        {"Mo 07:30-19:00", "expected a day"},
        {"Mon 07:30-19:00 Tue", "expected \",\" between rules"},
        {"Mon 07:60-19:00", "expected a time range"},
        {"Mon 24:00-01:00", "cannot start at 24:00"},
    };
    for (size_t i = 0; i < TW_ARRAY_LEN(bad); i++) {
        err[0] = '\0';
        CHECK_EQ_INT(tw_schedule_parse(bad[i].spec, &s, err, sizeof(err)), TW_ERR_PARSE);
        if (!strstr(err, bad[i].why))
            fprintf(stderr, "\"%s\": got \"%s\", want \"%s\"\n", bad[i].spec, err, bad[i].why);
        CHECK(strstr(err, bad[i].why) != NULL);
    }
    CHECK_EQ_INT(tw_schedule_parse(NULL, &s, NULL, 0), TW_ERR_PARSE);
}

static void test_on_at(void)
{
    tw_schedule s;
    tw_schedule_parse("Mon-Fri 07:30-19:00", &s, NULL, 0);
    int64_t t;
    tw_time_parse("2026-11-25T07:29:59Z", &t); /* Wednesday */
    CHECK(!tw_schedule_on_at(&s, t));
    CHECK(tw_schedule_on_at(&s, t + 1));
    tw_time_parse("2026-11-28T12:00:00Z", &t); /* Saturday */
    CHECK(!tw_schedule_on_at(&s, t));
}

static void test_shift(void)
{
    int dx, dy, px = 0, py = 0;
    tw_pixel_shift(0, 120, 0, &dx, &dy);
    CHECK(dx == 0 && dy == 0);
    /* Radius 2: 25 positions, there and back in 48 steps of two minutes. */
    bool seen[5][5] = {{false}};
    int max_step = 0;
    for (int k = 0; k < 200; k++) {
        tw_pixel_shift((int64_t)k * 120, 120, 2, &dx, &dy);
        CHECK(dx >= -2 && dx <= 2 && dy >= -2 && dy <= 2);
        seen[dy + 2][dx + 2] = true;
        if (k > 0) {
            int step = abs(dx - px) + abs(dy - py);
            if (step > max_step)
                max_step = step;
        }
        px = dx, py = dy;
    }
    int visited = 0;
    for (int y = 0; y < 5; y++)
        for (int x = 0; x < 5; x++)
            visited += seen[y][x];
    CHECK_EQ_INT(visited, 25);
    CHECK_EQ_INT(max_step, 1);
    /* Constant within a period; the cycle repeats after 48 steps. */
    int ax, ay, bx, by;
    tw_pixel_shift(1000 * 120, 120, 2, &ax, &ay);
    tw_pixel_shift(1000 * 120 + 119, 120, 2, &bx, &by);
    CHECK(ax == bx && ay == by);
    tw_pixel_shift((1000 + 48) * 120, 120, 2, &bx, &by);
    CHECK(ax == bx && ay == by);
}

int main(void)
{
    setenv("TZ", "UTC", 1);
    tzset();
    test_parse();
    test_on_at();
    test_shift();
    return check_done();
}
