/* SPDX-License-Identifier: MIT */
/*
 * teamwall: the board. Reads the config file, applies command-line flags over
 * it (same validation table), and runs the main loop in app.c.
 */
#define _POSIX_C_SOURCE 200809L
#define LOG_MODULE      "main"
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "buttons.h"
#include "lobby.h"
#include "config.h"
#include "log.h"
#include "util.h"

static void usage(FILE *f)
{
    fprintf(f, "Usage: teamwall [options]\n"
               "The team board: blockers, questions and wins from MQTT, on a screen.\n\n"
               "  --config FILE        config file (default " TW_CONFIG_DEFAULT_PATH ")\n"
               "  --db PATH            SQLite database file\n"
               "  --broker URL         mqtt[s]://[user:pass@]host[:port]\n"
               "  --team NAME          team name ([a-z0-9_-], 1-32)\n"
               "  --board ID           this board's id (default: host name)\n"
               "  --size WxH           window size\n"
               "  --fullscreen         full screen (KMSDRM on a console without a desktop)\n"
               "  --headless           no window: offscreen driver, software renderer\n"
               "  --screenshot FILE    write the last frame as PNG on exit and on SIGUSR1\n"
               "                       (headless: also refreshed after every change)\n"
               "  --now RFC3339        fixed clock, for tests and documentation\n"
               "  --exit-after SECONDS stop after this long\n"
               "  --help, --version\n");
}

/* Where the fonts are: the config's folder, the source tree, or the installed share. */
static const char *font_dir(const tw_config *cfg)
{
    static char buf[PATH_MAX];
    const char *candidates[] = {cfg->fonts, TW_ASSET_DIR "/fonts", TW_INSTALLED_ASSET_DIR "/fonts",
                                "/usr/share/teamwall/fonts",
                                "/usr/share/fonts/opentype/inter"}; /* Debian's fonts-inter */
    for (size_t i = 0; i < TW_ARRAY_LEN(candidates); i++) {
        if (!candidates[i][0])
            continue;
        snprintf(buf, sizeof(buf), "%s/Inter-Regular.otf", candidates[i]);
        if (access(buf, R_OK) == 0)
            return candidates[i];
    }
    return candidates[1];
}

int main(int argc, char **argv)
{
    int64_t start_ms = tw_mono_ms();
    enum {
        O_CONFIG = 256,
        O_DB,
        O_BROKER,
        O_TEAM,
        O_BOARD,
        O_SIZE,
        O_FULL,
        O_HEADLESS,
        O_SHOT,
        O_NOW,
        O_EXIT,
        O_TRACE,
        O_HELP,
        O_VERSION
    };
    static const struct option opts[] = {{"config", required_argument, 0, O_CONFIG},
                                         {"db", required_argument, 0, O_DB},
                                         {"broker", required_argument, 0, O_BROKER},
                                         {"team", required_argument, 0, O_TEAM},
                                         {"board", required_argument, 0, O_BOARD},
                                         {"size", required_argument, 0, O_SIZE},
                                         {"fullscreen", no_argument, 0, O_FULL},
                                         {"headless", no_argument, 0, O_HEADLESS},
                                         {"screenshot", required_argument, 0, O_SHOT},
                                         {"now", required_argument, 0, O_NOW},
                                         {"exit-after", required_argument, 0, O_EXIT},
                                         {"trace", required_argument, 0, O_TRACE},
                                         {"help", no_argument, 0, O_HELP},
                                         {"version", no_argument, 0, O_VERSION},
                                         {0, 0, 0, 0}};

    /* First pass: the config file, so flags override it whatever their order. */
    const char *config_path = NULL;
    opterr = 0;
    for (int c; (c = getopt_long(argc, argv, "", opts, NULL)) != -1;)
        if (c == O_CONFIG)
            config_path = optarg;

    tw_config cfg;
    tw_config_defaults(&cfg);
    char err[512];
    /* [button "..."] sections; static: it lives as long as the process. */
    static tw_button_config *buttons;
    buttons = tw_button_config_create();
    tw_button_config_install(buttons);
    const char *path = config_path ? config_path : TW_CONFIG_DEFAULT_PATH;
    if (config_path || access(path, F_OK) == 0) {
        int rc = tw_config_load(&cfg, path, err, sizeof(err));
        if (!rc)
            rc = tw_button_config_check(buttons, path, err, sizeof(err));
        if (rc) {
            fprintf(stderr, "teamwall: %s\n", err);
            return 2;
        }
    }

    tw_app_options ao = {0};
    bool team_flag = false;
    optind = 1;
    opterr = 1;
    for (int c; (c = getopt_long(argc, argv, "", opts, NULL)) != -1;) {
        int rc = 0;
        switch (c) {
        case O_CONFIG: break;
        case O_DB: rc = tw_config_set(&cfg, "board", "db", optarg, err, sizeof(err)); break;
        case O_BROKER: rc = tw_config_set(&cfg, "mqtt", "broker", optarg, err, sizeof(err)); break;
        case O_TEAM:
            team_flag = true;
            if (!cfg.n_teams) /* a lobby's: refused below, with the reason */
                rc = tw_config_set(&cfg, "board", "team", optarg, err, sizeof(err));
            break;
        case O_BOARD: rc = tw_config_set(&cfg, "board", "id", optarg, err, sizeof(err)); break;
        case O_SIZE: {
            char w[16], h[16];
            if (sscanf(optarg, "%15[0-9]x%15[0-9]", w, h) != 2) {
                snprintf(err, sizeof(err), "size: expected WxH, not \"%s\"", optarg);
                rc = -1;
                break;
            }
            rc = tw_config_set(&cfg, "display", "width", w, err, sizeof(err));
            if (!rc)
                rc = tw_config_set(&cfg, "display", "height", h, err, sizeof(err));
            break;
        }
        case O_FULL: cfg.fullscreen = true; break;
        case O_HEADLESS: cfg.headless = true; break;
        case O_SHOT:
            rc = tw_config_set(&cfg, "display", "screenshot", optarg, err, sizeof(err));
            break;
        case O_NOW: {
            int64_t t;
            if (tw_time_parse(optarg, &t)) {
                snprintf(err, sizeof(err), "now: not an RFC 3339 time: \"%s\"", optarg);
                rc = -1;
            } else {
                tw_clock_fix(t);
            }
            break;
        }
        case O_EXIT: {
            char *end;
            double s = strtod(optarg, &end);
            if (end == optarg || *end || s <= 0) {
                snprintf(err, sizeof(err), "exit-after: not a positive number of seconds");
                rc = -1;
            }
            ao.exit_after_ms = (int64_t)(s * 1000);
            break;
        }
        case O_TRACE: ao.trace = optarg; break;
        case O_HELP: usage(stdout); return 0;
        case O_VERSION: printf("teamwall %s\n", TW_VERSION); return 0;
        default: usage(stderr); return 2;
        }
        if (rc) {
            fprintf(stderr, "teamwall: %s\n", err);
            return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "teamwall: unexpected argument \"%s\"\n", argv[optind]);
        return 2;
    }
    ao.font_dir = font_dir(&cfg);
    ao.start_ms = start_ms;
    ao.buttons = buttons;
    if (cfg.n_teams && team_flag) {
        fprintf(stderr,
                "teamwall: --team: this config is a lobby's ([board] teams = %s): a lobby "
                "takes no team\n",
                cfg.teams);
        tw_button_config_destroy(buttons);
        return 2;
    }
    if (cfg.n_teams && tw_button_config_count(buttons)) {
        fprintf(stderr,
                "teamwall: %s: [button] sections belong to a team's wall; a lobby "
                "([board] teams) reads no desk buttons\n",
                path);
        tw_button_config_destroy(buttons);
        return 2;
    }
    int status = cfg.n_teams ? tw_lobby_run(&cfg, &ao) : tw_app_run(&cfg, &ao);
    tw_button_config_destroy(buttons);
    return status;
}
