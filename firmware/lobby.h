/* SPDX-License-Identifier: MIT */
/*
 * The lobby board ([board] teams = a,b,c; docs/LOBBY.md): one screen that
 * shows several teams, each in its own band. For each team it is a real
 * board of that team: its own MQTT connection as board <id> of the team
 * (client id, persistent session, will and status as any board), the team's
 * commands through the one door into the team's own store and model
 * (firmware/board.c, the same codec, ids and order as every wall, so it ends
 * with the same items), the team's figures (firmware/digest.c through
 * ui/wall.c), its retained state and events under its own board id, and
 * catch-up from the team's other boards (firmware/sync.c). What it does not
 * do for a team: follow or answer its stand-up, read its desk buttons, or
 * announce it to Home Assistant; those are the team's own walls' jobs.
 */
#ifndef TW_LOBBY_H
#define TW_LOBBY_H

#include "app.h"
#include "config.h"

/* Run the lobby until asked to stop (cfg->n_teams > 0). cfg and opt are
 * borrowed. Returns the exit status: 0 after a clean stop, 1 when start-up
 * failed, 2 when the screen cannot show that many teams legibly. */
int tw_lobby_run(const tw_config *cfg, const tw_app_options *opt);

#endif
