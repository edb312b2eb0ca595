/* SPDX-License-Identifier: MIT */
/* The lobby's [board] teams (firmware/teams.c, firmware/config.c): the list
 * parsed, every name by the team rule, duplicates and empty entries refused
 * with a line-numbered reason, team and teams together refused, and where
 * each team's store goes. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "config.h"
#include "teams.h"
#include "util.h"

static char path[512];

static int load_text(tw_config *cfg, const char *text, char *err, size_t size)
{
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    tw_config_defaults(cfg);
    err[0] = '\0';
    return tw_config_load(cfg, path, err, size);
}

static void expect_error(const char *text, int line, const char *reason)
{
    tw_config cfg;
    char err[512], want[768];
    CHECK_EQ_INT(load_text(&cfg, text, err, sizeof(err)), TW_ERR_PARSE);
    snprintf(want, sizeof(want), "%s:%d: teams: %s", path, line, reason);
    CHECK_EQ_STR(err, want);
}

int main(void)
{
    const char *tmp = getenv("TW_TEST_TMP");
    snprintf(path, sizeof(path), "%s/test_teams_%d.conf", tmp ? tmp : "/tmp", (int)getpid());
    tw_config cfg;
    char err[512];
    char list[TW_TEAMS_MAX][TW_TEAM_SIZE];

    /* The parser alone. */
    CHECK_EQ_INT(tw_teams_parse("", list, err, sizeof(err)), 0);
    CHECK_EQ_INT(tw_teams_parse("   ", list, err, sizeof(err)), 0);
    CHECK_EQ_INT(tw_teams_parse("a", list, err, sizeof(err)), 1);
    CHECK_EQ_STR(list[0], "a");
    CHECK_EQ_INT(tw_teams_parse(" ops ,\tweb-2,data_x ", list, err, sizeof(err)), 3);
    CHECK_EQ_STR(list[0], "ops");
    CHECK_EQ_STR(list[1], "web-2");
    CHECK_EQ_STR(list[2], "data_x");
    CHECK_EQ_INT(tw_teams_parse("a,b,c,d,e,f,g,h", list, err, sizeof(err)), 8);
    CHECK_EQ_INT(tw_teams_parse("a,b,c,d,e,f,g,h,i", list, err, sizeof(err)), -1);
    CHECK_EQ_STR(err, "more than 8 teams (a lobby shows at most 8)");
    CHECK_EQ_INT(tw_teams_parse("a,,b", list, err, sizeof(err)), -1);
    CHECK_EQ_STR(err, "an empty team name in the list (write a,b,c)");
    CHECK_EQ_INT(tw_teams_parse("a,b,", list, err, sizeof(err)), -1);
    CHECK_EQ_INT(tw_teams_parse("a,B", list, err, sizeof(err)), -1);
    CHECK_EQ_STR(err, "team \"B\" must be 1-32 of [a-z0-9_-]");
    CHECK_EQ_INT(tw_teams_parse("a,b c", list, err, sizeof(err)), -1);
    CHECK_EQ_STR(err, "team \"b c\" must be 1-32 of [a-z0-9_-]");
    CHECK_EQ_INT(tw_teams_parse("a,b,a", list, err, sizeof(err)), -1);
    CHECK_EQ_STR(err, "team \"a\" is listed twice");
    CHECK_EQ_INT(tw_teams_parse("x,a, a", list, err, sizeof(err)), -1);
    CHECK_EQ_STR(err, "team \"a\" is listed twice");
    CHECK_EQ_INT(tw_teams_parse("abcdefghijklmnopqrstuvwxyz0123456", list, err, sizeof(err)), -1);
    CHECK(strstr(err, "longer than 32 characters") != NULL);
    CHECK_EQ_INT(tw_teams_parse("abcdefghijklmnopqrstuvwxyz012345", list, err, sizeof(err)), 1);

    /* In the config: a lobby of three. */
    CHECK_EQ_INT(load_text(&cfg, "[board]\nid = lobby\nteams = a, b,c\n", err, sizeof(err)), 0);
    CHECK_EQ_INT(cfg.n_teams, 3);
    CHECK_EQ_STR(cfg.team_list[0], "a");
    CHECK_EQ_STR(cfg.team_list[2], "c");
    CHECK_EQ_STR(cfg.teams, "a, b,c");
    /* Not a lobby: no teams, the default team. */
    CHECK_EQ_INT(load_text(&cfg, "[board]\nteam = acme\n", err, sizeof(err)), 0);
    CHECK_EQ_INT(cfg.n_teams, 0);
    CHECK_EQ_STR(cfg.team, "acme");
    CHECK_EQ_INT(load_text(&cfg, "[board]\nteams =\n", err, sizeof(err)), 0);
    CHECK_EQ_INT(cfg.n_teams, 0);

    /* Bad lists stop loading with file:line: teams: reason. */
    expect_error("[board]\n\nteams = a,b,a\n", 3, "team \"a\" is listed twice");
    expect_error("[board]\nteams = a,Ops\n", 2, "team \"Ops\" must be 1-32 of [a-z0-9_-]");
    expect_error("[board]\nteams = a,,b\n", 2, "an empty team name in the list (write a,b,c)");
    expect_error("[board]\nteams = a,b,c,d,e,f,g,h,i\n", 2,
                 "more than 8 teams (a lobby shows at most 8)");
    /* team and teams together: refused, whichever comes first. */
    expect_error("[board]\nteam = a\nteams = a,b\n", 3,
                 "a lobby board takes no [board] team (line 2 sets one): keep one of the two");
    expect_error("[board]\nteams = a,b\nid = x\nteam = c\n", 2,
                 "a lobby board takes no [board] team (line 4 sets one): keep one of the two");

    /* --team on a lobby's config (teamwall-ctl): one of its teams, or refused. */
    CHECK_EQ_INT(load_text(&cfg, "[board]\nteams = a,b\n", err, sizeof(err)), 0);
    CHECK_EQ_INT(tw_config_set(&cfg, "board", "team", "c", err, sizeof(err)), TW_ERR_INVAL);
    CHECK_EQ_STR(err, "team: \"c\" is not one of this lobby's teams (a,b)");
    CHECK_EQ_INT(tw_config_set(&cfg, "board", "team", "b", err, sizeof(err)), 0);
    CHECK_EQ_STR(cfg.team, "b");

    /* Each team's store beside the lobby's. */
    char db[256];
    CHECK_EQ_INT(tw_teams_db_path("/var/lib/teamwall/teamwall.db", "ops", db, sizeof(db)), 0);
    CHECK_EQ_STR(db, "/var/lib/teamwall/teamwall.ops.db");
    CHECK_EQ_INT(tw_teams_db_path("data/lobby", "a", db, sizeof(db)), 0);
    CHECK_EQ_STR(db, "data/lobby.a.db");
    CHECK_EQ_INT(tw_teams_db_path("/x.db/lobby", "a", db, sizeof(db)), 0);
    CHECK_EQ_STR(db, "/x.db/lobby.a.db");
    CHECK_EQ_INT(tw_teams_db_path("/var/lib/teamwall/teamwall.db", "ops", db, 20), -1);

    unlink(path);
    return check_done();
}
