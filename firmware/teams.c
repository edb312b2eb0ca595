/* SPDX-License-Identifier: MIT */
/*
 * The lobby's list of teams: one name after another, each checked by the
 * same rule as [board] team (firmware/text.c), duplicates refused, and the
 * path of each team's own store beside the lobby's configured one.
 */
#define _POSIX_C_SOURCE 200809L
#include "teams.h"

#include <stdio.h>
#include <string.h>

#include "text.h"
#include "util.h"

int tw_teams_parse(const char *list, char out[][TW_TEAM_SIZE], char *err, size_t err_size)
{
    if (!list)
        return 0;
    const char *p = list;
    while (*p == ' ' || *p == '\t')
        p++;
    if (!*p)
        return 0;
    int n = 0;
    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        size_t len = strcspn(p, ","), trimmed = len;
        while (trimmed && (p[trimmed - 1] == ' ' || p[trimmed - 1] == '\t'))
            trimmed--;
        char name[TW_TEAM_SIZE + 1];
        if (trimmed == 0) {
            snprintf(err, err_size, "an empty team name in the list (write a,b,c)");
            return -1;
        }
        if (trimmed >= TW_TEAM_SIZE) {
            snprintf(err, err_size, "team \"%.*s...\" is longer than 32 characters", 32, p);
            return -1;
        }
        memcpy(name, p, trimmed);
        name[trimmed] = '\0';
        if (!tw_team_valid(name)) {
            snprintf(err, err_size, "team \"%s\" must be 1-32 of [a-z0-9_-]", name);
            return -1;
        }
        for (int i = 0; i < n; i++) {
            if (strcmp(out[i], name) == 0) {
                snprintf(err, err_size, "team \"%s\" is listed twice", name);
                return -1;
            }
        }
        if (n == TW_TEAMS_MAX) {
            snprintf(err, err_size, "more than %d teams (a lobby shows at most %d)", TW_TEAMS_MAX,
                     TW_TEAMS_MAX);
            return -1;
        }
        tw_strlcpy(out[n++], name, TW_TEAM_SIZE);
        if (!p[len])
            break;
        p += len + 1;
    }
    return n;
}

int tw_teams_db_path(const char *db, const char *team, char *buf, size_t size)
{
    size_t n = strlen(db);
    const char *slash = strrchr(db, '/');
    bool ext = n > 3 && strcmp(db + n - 3, ".db") == 0 && (!slash || slash < db + n - 3 - 1);
    int w = snprintf(buf, size, "%.*s.%s.db", (int)(ext ? n - 3 : n), db, team);
    return w < 0 || (size_t)w >= size ? -1 : 0;
}
