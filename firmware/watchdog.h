/* SPDX-License-Identifier: MIT */
/*
 * systemd integration: READY=1 once the first frame is up, WATCHDOG=1 at half
 * the interval systemd asks for (WATCHDOG_USEC), STATUS= lines. Without
 * systemd (or when not started by it) every call is a cheap no-op.
 */
#ifndef TW_WATCHDOG_H
#define TW_WATCHDOG_H

#include <stdint.h>

/* Read the watchdog interval from the environment. */
void tw_watchdog_init(void);
/* Tell systemd start-up is complete. */
void tw_watchdog_ready(void);
/* Monotonic ms by which tw_watchdog_kick() must run; INT64_MAX when unused. */
int64_t tw_watchdog_deadline(void);
/* Ping the watchdog if due. */
void tw_watchdog_kick(void);
/* One status line for systemctl status (copied). */
void tw_watchdog_status(const char *status);

#endif
