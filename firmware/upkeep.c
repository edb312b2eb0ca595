/* SPDX-License-Identifier: MIT */
/*
 * The board's housekeeping (upkeep.h): restore detection by PRAGMA
 * data_version, the WAL truncated after a redaction, [board] keep nightly.
 */
#define _POSIX_C_SOURCE 200809L
#define LOG_MODULE      "upkeep"
#include "upkeep.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "retention.h"
#include "util.h"
#include "watchdog.h"

/* Every 10 s: an idle wall wakes 6 more times a minute (P3 counts wake-ups). */
#define CHECK_MS       10000
#define FIRST_PRUNE_MS 60000

struct tw_upkeep {
    tw_upkeep_options o;
    int64_t next_ms, period_ms;
    int64_t data_version;
    int64_t prune_at; /* wall clock of the next [board] keep pass */
    int64_t prune_first_ms;
    const char *freeze_file;
};

/* The next 03:30 local time after now. */
static int64_t next_night(int64_t now)
{
    time_t t = (time_t)now;
    struct tm tm;
    localtime_r(&t, &tm);
    tm.tm_hour = 3;
    tm.tm_min = 30;
    tm.tm_sec = 0;
    tm.tm_isdst = -1;
    time_t night = mktime(&tm);
    if (night <= t) {
        tm.tm_mday++;
        tm.tm_isdst = -1;
        night = mktime(&tm);
    }
    return (int64_t)night;
}

int tw_upkeep_create(const tw_upkeep_options *opt, int64_t mono_ms, tw_upkeep **out)
{
    if (!opt || !opt->store || !opt->board || !out)
        return TW_ERR_INVAL;
    tw_upkeep *u = tw_xcalloc(1, sizeof(*u));
    u->o = *opt;
    /* TW_TEST_UPKEEP_MS: a shorter period, for tests. */
    const char *period = getenv("TW_TEST_UPKEEP_MS");
    u->period_ms = period && *period ? strtoll(period, NULL, 10) : CHECK_MS;
    if (u->period_ms < 10)
        u->period_ms = 10;
    u->next_ms = mono_ms + u->period_ms;
    /* The first pass a minute after start (TW_TEST_UPKEEP_FIRST_MS: sooner, for tests). */
    const char *first = getenv("TW_TEST_UPKEEP_FIRST_MS");
    int64_t first_ms = first && *first ? strtoll(first, NULL, 10) : FIRST_PRUNE_MS;
    u->prune_first_ms = opt->keep_s > 0 ? mono_ms + first_ms : 0;
    u->prune_at = next_night(tw_now());
    tw_store_data_version(opt->store, &u->data_version);
    const char *f = getenv("TW_TEST_FREEZE_FILE");
    u->freeze_file = f && *f ? f : NULL;
    *out = u;
    return 0;
}

void tw_upkeep_destroy(tw_upkeep *u)
{
    free(u);
}

int64_t tw_upkeep_deadline(const tw_upkeep *u)
{
    return u ? u->next_ms : INT64_MAX;
}

static bool reload_if_restored(tw_upkeep *u, int64_t now)
{
    int64_t v;
    if (tw_store_data_version(u->o.store, &v) || v == u->data_version)
        return false;
    u->data_version = v;
    if (tw_board_reload(u->o.board))
        return false;
    if (u->o.buttons)
        tw_buttons_reload(u->o.buttons, now);
    size_t n = tw_board_count(u->o.board, TW_KIND_COUNT);
    log_info("the database was written by another program (teamwall-ctl restore): "
             "reloaded, %zu open items",
             n);
    char status[96];
    snprintf(status, sizeof(status), "live; database reloaded after a restore, %zu open items", n);
    tw_watchdog_status(status);
    return true;
}

static bool prune(tw_upkeep *u, int64_t now)
{
    int64_t deleted = 0;
    int rc = tw_retention_prune(u->o.store, now - u->o.keep_s, &deleted);
    if (rc) {
        log_error("[board] keep: dropping old resolved items failed: %s", tw_strerror(rc));
        return false;
    }
    if (!deleted)
        return false;
    log_info("[board] keep: dropped %lld resolved items older than %lld days", (long long)deleted,
             (long long)(u->o.keep_s / 86400));
    /* Our own commit: not a restore. */
    tw_store_data_version(u->o.store, &u->data_version);
    return true;
}

bool tw_upkeep_tick(tw_upkeep *u, int64_t mono_ms, int64_t now)
{
    if (!u || mono_ms < u->next_ms)
        return false;
    u->next_ms = mono_ms + u->period_ms;
    while (u->freeze_file && access(u->freeze_file, F_OK) == 0) {
        struct timespec ts = {0, 50 * 1000000L};
        nanosleep(&ts, NULL); /* test hook: a wedged loop, no watchdog pings */
    }
    bool changed = reload_if_restored(u, now);
    if (tw_retention_checkpoint_due())
        tw_retention_checkpoint(u->o.store);
    if (u->o.keep_s > 0 &&
        ((u->prune_first_ms && mono_ms >= u->prune_first_ms) || now >= u->prune_at)) {
        u->prune_first_ms = 0;
        u->prune_at = next_night(now);
        changed = prune(u, now) || changed;
    }
    return changed;
}
