/* SPDX-License-Identifier: MIT */
/*
 * The configuration shared by teamwall, teamwall-ctl and teamwall-bridge: one
 * INI file (inih) whose every key is checked against one table of
 * {section, key, type, default, min, max, field}, plus command-line flags
 * that override single keys through the same table. Errors read
 * "file:line: key: reason".
 */
#ifndef TW_CONFIG_H
#define TW_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "teams.h"

#define TW_CONFIG_DEFAULT_PATH "/etc/teamwall/teamwall.conf"
#define TW_CONFIG_STR          256
#define TW_CONFIG_PATH         1024

typedef struct tw_config {
    /* [board] */
    char team[33];           /* 1-32 of [a-z0-9_-] */
    char board[65];          /* this board's id; default: host name */
    char db[TW_CONFIG_PATH]; /* SQLite file */
    char sync[8];            /* "normal" | "full" (PRAGMA synchronous) */
    int keep;                /* seconds: resolved items older than this go; 0 = forever */
    /* A lobby board (docs/LOBBY.md): the teams it shows; n_teams 0 = a
     * board of one team (team). team and teams together are an error. */
    char teams[TW_CONFIG_STR];
    char team_list[TW_TEAMS_MAX][TW_TEAM_SIZE];
    int n_teams;
    /* [mqtt] */
    char broker[TW_CONFIG_STR]; /* mqtt[s]://[user:pass@]host[:port] */
    char prefix[65];            /* topic prefix, default "teamwall" */
    char username[TW_CONFIG_STR];
    char password[TW_CONFIG_STR];
    char cafile[TW_CONFIG_PATH]; /* TLS: CA file (mqtts:// uses system CAs when empty) */
    char certfile[TW_CONFIG_PATH];
    char keyfile[TW_CONFIG_PATH];
    int keepalive;   /* seconds */
    int max_payload; /* bytes */
    /* [sync] (docs/SYNC.md) */
    bool sync_catch_up;  /* an empty or sessionless board fills its store from its peers */
    int sync_pace_ms;    /* at least this long between two catch-up pages answered */
    int sync_page_items; /* items in a catch-up page at most */
    /* [display] */
    int width, height; /* 0 = automatic */
    bool fullscreen;
    bool headless;
    char screenshot[TW_CONFIG_PATH];
    char fonts[TW_CONFIG_PATH]; /* folder with the bundled fonts; empty = built-in paths */
    char theme[16];             /* "dark" | "light" | "high-contrast" */
    char on[TW_CONFIG_STR];     /* when the screen is on: "Mon-Fri 07:30-19:00"; "" = always */
    char off[8];                /* outside those hours: "blank" | "dim" */
    int escalate_after;         /* seconds: a blocker this old escalates (amber) */
    int critical_after;         /* seconds: ... and this old turns critical (red) */
    int wins_for;               /* seconds: a win leaves the wall this old (stays in the store) */
    char language[8];           /* "auto" (from LC_ALL/LC_MESSAGES/LANG), "en", "de", ... */
    bool pixel_shift;           /* move the picture a pixel every two minutes (burn-in) */
    char rotate[4];             /* "0" | "90" | "180" | "270": the picture turned clockwise */
    /* [bridge] */
    char listen[TW_CONFIG_STR]; /* address:port */
    char bridge_board[65];      /* whose retained state answers "board" */
    /* [slack] [mattermost] [teams] [api] [notify] */
    char slack_signing_secret[TW_CONFIG_STR];
    char mattermost_token[TW_CONFIG_STR];
    char teams_secret[TW_CONFIG_STR];
    char api_token[TW_CONFIG_STR];
    char notify_url[TW_CONFIG_STR];
    /* [web] (docs/WEB.md) */
    char web_token[TW_CONFIG_STR];   /* viewers' token(s); required unless listening on loopback */
    bool web_actions;                /* the page may claim, resolve and move the stand-up on */
    int web_max_viewers;             /* live pages (event streams) served at once */
    char web_assets[TW_CONFIG_PATH]; /* folder with the page's files; empty = built-in paths */
    /* [homeassistant] */
    bool ha_enabled;    /* publish MQTT discovery configs (PROTOCOL.md) */
    char ha_prefix[65]; /* Home Assistant's discovery prefix */
    /* [standup] */
    char standup_at[TW_CONFIG_STR]; /* "Mon-Fri 09:30": starts by itself; "" = only when asked */
    int standup_item_seconds;       /* per-item timer: amber at the limit, red at twice it */
    int standup_meeting_minutes;    /* meeting timer in the header */
} tw_config;

/* Broker address parsed from an mqtt[s]:// URL. */
typedef struct tw_broker_url {
    bool tls;
    char host[TW_CONFIG_STR];
    int port;
    char username[TW_CONFIG_STR]; /* "" if the URL has none */
    char password[TW_CONFIG_STR];
} tw_broker_url;

/*
 * A handler for sections the table does not know (e.g. [button "desk-3"]).
 * Return 0 if it took the key, or TW_ERR_INVAL with a reason copied to err.
 * Set with tw_config_set_section_hook() before loading.
 */
typedef int (*tw_config_section_fn)(void *ctx, const char *section, const char *key,
                                    const char *value, int line, char *err, size_t err_size);
void tw_config_set_section_hook(const char *section_prefix, tw_config_section_fn fn, void *ctx);

/* Fill cfg with the table's defaults (board id = host name). */
void tw_config_defaults(tw_config *cfg);

/* Load path over cfg. Returns 0, TW_ERR_IO (cannot open: err says so) or
 * TW_ERR_PARSE with err = "file:line: key: reason" for the first bad line. */
int tw_config_load(tw_config *cfg, const char *path, char *err, size_t err_size);

/* Set one key as a flag would ("mqtt", "broker", "mqtt://h:1883"), with the
 * same validation. Returns 0 or TW_ERR_INVAL with err = "key: reason". */
int tw_config_set(tw_config *cfg, const char *section, const char *key, const char *value,
                  char *err, size_t err_size);

/* Parse mqtt://, mqtts://, tcp:// or host[:port]. Returns 0 or TW_ERR_INVAL. */
int tw_broker_url_parse(const char *url, tw_broker_url *out);

/* Parse a comma-separated list of broker URLs (white space around each is
 * ignored): the first max into out, and the number of URLs in the list is
 * returned; TW_ERR_INVAL if any of them is not one. One URL is a list of one. */
int tw_broker_list_parse(const char *list, tw_broker_url *out, int max);

/* <prefix>/<team> into buf. */
void tw_config_root(const tw_config *cfg, char *buf, size_t size);

#endif
