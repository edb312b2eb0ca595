/* SPDX-License-Identifier: MIT */
/*
 * Slow clients must not stop teamwall-bridge (TARGETS.md R10). libmicrohttpd
 * bounds connections in total and per address, and closes connections that
 * are idle; this module adds the one thing it lacks, a deadline for a whole
 * request: a client that has not sent its headers and body within the
 * deadline of connecting (or of its previous request's end, on a kept-alive
 * connection) gets 408 and is cut, however steadily it trickles bytes.
 *
 * It tracks every connection through MHD_OPTION_NOTIFY_CONNECTION and keeps
 * its own duplicate of the socket, so a reaper thread can write the 408 and
 * shut the socket down without racing libmicrohttpd's close (the duplicate
 * is closed when libmicrohttpd reports the connection closed). A connection
 * whose request has arrived, or that has a response queued, is never cut.
 * Owns: the connection list, its lock and the reaper thread.
 */
#ifndef TW_HTTPGUARD_H
#define TW_HTTPGUARD_H

#include <microhttpd.h>
#include <stdbool.h>
#include <stdint.h>

/* Start the reaper: requests must be whole within deadline_ms. */
int tw_httpguard_start(int deadline_ms);
/* Stop it (after MHD_stop_daemon) and close what is left. */
void tw_httpguard_stop(void);

/* For MHD_OPTION_NOTIFY_CONNECTION. */
void tw_httpguard_notify(void *cls, struct MHD_Connection *c, void **socket_context,
                         enum MHD_ConnectionNotificationCode code);

/* The request on c arrived whole or has been answered: never cut it now. */
void tw_httpguard_hold(struct MHD_Connection *c);
/* The request on c is done (MHD_OPTION_NOTIFY_COMPLETED): the deadline starts
 * again for the next request on the same connection. */
void tw_httpguard_done(struct MHD_Connection *c);

/* Connections cut with 408 since the start (for /metrics). */
uint64_t tw_httpguard_cut_total(void);

#endif
