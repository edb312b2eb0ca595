/* SPDX-License-Identifier: MIT */
/*
 * A team's broker connection as a board of that team sees it: the
 * [mqtt] broker list (the first, then the fallbacks), TLS files, the log-in
 * (the URL's user, else [mqtt] username, else the board id, as the shipped
 * ACLs expect) and the retained "offline" will. Used by the board's loop
 * (firmware/app.c) for its team and by the lobby's (firmware/lobby.c) for
 * each of its teams; the caller owns the client it gets and its handlers.
 */
#ifndef TW_BROKERLINK_H
#define TW_BROKERLINK_H

#include "client.h"
#include "config.h"

/* Create and start the client of board cfg->board of team `team`
 * (client id teamwall-<team>-<board>, a persistent session), its will on
 * will_topic (borrowed until this returns). Returns 0 and sets *out, or
 * TW_ERR_INVAL for a broker list that names no broker, or the client's
 * error. */
int tw_brokerlink_start(const tw_config *cfg, const char *team, const char *will_topic,
                        const tw_mqtt_handlers *handlers, tw_mqtt **out);

#endif
