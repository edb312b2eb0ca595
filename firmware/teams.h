/* SPDX-License-Identifier: MIT */
/*
 * The lobby's list of teams ([board] teams = a,b,c, docs/LOBBY.md): parsing
 * and checking it (each name by the rules of [board] team, no duplicates,
 * 1..TW_TEAMS_MAX of them) and where each team's store lives beside the
 * configured [board] db. Pure: strings in, values out.
 */
#ifndef TW_TEAMS_H
#define TW_TEAMS_H

#include <stddef.h>

#define TW_TEAMS_MAX 8  /* teams one lobby may list (the screen may hold fewer) */
#define TW_TEAM_SIZE 33 /* 1-32 of [a-z0-9_-] and the NUL */

/* Parse a comma-separated list ("a, b,c"; white space around each name is
 * ignored) into out (room for TW_TEAMS_MAX names). An empty list is 0
 * teams (no lobby). Returns the number of teams, or -1 with a reason in err
 * (a bad name, a duplicate, an empty entry, more than TW_TEAMS_MAX). */
int tw_teams_parse(const char *list, char out[][TW_TEAM_SIZE], char *err, size_t err_size);

/* The store of team in a lobby whose [board] db is db: beside it, with the
 * team's name before the extension ("/var/lib/teamwall/teamwall.db", "ops"
 * -> "/var/lib/teamwall/teamwall.ops.db"; without ".db": db + ".ops.db").
 * Returns 0, or -1 when it does not fit in size. */
int tw_teams_db_path(const char *db, const char *team, char *buf, size_t size);

#endif
