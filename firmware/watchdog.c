/* SPDX-License-Identifier: MIT */
/*
 * sd_notify() for Type=notify and WatchdogSec=: the main loop kicks the
 * watchdog from its deadline list, so a wedged loop gets the service
 * restarted.
 */
#define _POSIX_C_SOURCE 200809L
#include "watchdog.h"

#include <stdbool.h>
#include <stdio.h>

#include "util.h"

#ifdef TW_WITH_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

static int64_t interval_ms; /* 0 = no watchdog */
static int64_t next_ms = INT64_MAX;

void tw_watchdog_init(void)
{
#ifdef TW_WITH_SYSTEMD
    uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
        interval_ms = (int64_t)(usec / 2000); /* half the interval */
        if (interval_ms < 1)
            interval_ms = 1;
        next_ms = tw_mono_ms();
    }
#endif
}

void tw_watchdog_ready(void)
{
#ifdef TW_WITH_SYSTEMD
    sd_notify(0, "READY=1");
#endif
}

int64_t tw_watchdog_deadline(void)
{
    return next_ms;
}

void tw_watchdog_kick(void)
{
    if (!interval_ms || tw_mono_ms() < next_ms)
        return;
#ifdef TW_WITH_SYSTEMD
    sd_notify(0, "WATCHDOG=1");
#endif
    next_ms = tw_mono_ms() + interval_ms;
}

void tw_watchdog_status(const char *status)
{
#ifdef TW_WITH_SYSTEMD
    sd_notifyf(0, "STATUS=%s", status);
#else
    (void)status;
#endif
}
