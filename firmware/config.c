/* SPDX-License-Identifier: MIT */
/*
 * The configuration table and its loader. Every key any teamwall program reads
 * is one row of static_keys[] (redis' static_configs[] pattern): section, key,
 * type, default, bounds and the field it fills. inih parses the file; each
 * key is validated against the table; the first bad line stops loading with
 * "file:line: key: reason". Flags go through the same table.
 */
#define _POSIX_C_SOURCE 200809L
#define LOG_MODULE      "config"
#include "config.h"

#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "schedule.h"
#include "standup.h"
#include "text.h"
#include "util.h"

enum key_type {
    KEY_STR,
    KEY_INT,
    KEY_BOOL,
    KEY_ENUM,
    KEY_TEAM,
    KEY_TEAMS, /* a lobby's teams: "a,b,c" (firmware/teams.c) */
    KEY_ID,
    KEY_URL,
    KEY_DURATION, /* "90m", "4h", "1d", "1d12h" into int seconds, bounds in seconds */
    KEY_SCHEDULE, /* a schedule.h week: "Mon-Fri 07:30-19:00" */
    KEY_STANDUP,  /* standup.h start times: "Mon-Fri 09:30" */
};

struct key {
    const char *section;
    const char *key;
    enum key_type type;
    const char *def;     /* default, as text */
    long min, max;       /* KEY_INT bounds; KEY_STR: max length in min=0.. */
    const char *choices; /* KEY_ENUM: "a|b|c" */
    size_t offset, size;
};

#define F(field) offsetof(tw_config, field), sizeof(((tw_config *)0)->field)

static const struct key static_keys[] = {
    {"board", "team", KEY_TEAM, "team", 0, 0, NULL, F(team)},
    {"board", "id", KEY_ID, "", 0, 0, NULL, F(board)},
    {"board", "db", KEY_STR, "/var/lib/teamwall/teamwall.db", 0, 0, NULL, F(db)},
    {"board", "teams", KEY_TEAMS, "", 0, 0, NULL, F(teams)},
    {"board", "sync", KEY_ENUM, "normal", 0, 0, "normal|full", F(sync)},
    {"board", "keep", KEY_DURATION, "0s", 0, 20000L * 86400, NULL, F(keep)},
    {"mqtt", "broker", KEY_URL, "mqtt://127.0.0.1:1883", 0, 0, NULL, F(broker)},
    {"mqtt", "prefix", KEY_ID, "teamwall", 0, 0, NULL, F(prefix)},
    {"mqtt", "username", KEY_STR, "", 0, 0, NULL, F(username)},
    {"mqtt", "password", KEY_STR, "", 0, 0, NULL, F(password)},
    {"mqtt", "cafile", KEY_STR, "", 0, 0, NULL, F(cafile)},
    {"mqtt", "certfile", KEY_STR, "", 0, 0, NULL, F(certfile)},
    {"mqtt", "keyfile", KEY_STR, "", 0, 0, NULL, F(keyfile)},
    {"mqtt", "keepalive", KEY_INT, "30", 5, 3600, NULL, F(keepalive)},
    {"mqtt", "max_payload", KEY_INT, "4096", 256, 262144, NULL, F(max_payload)},
    {"sync", "catch_up", KEY_BOOL, "true", 0, 0, NULL, F(sync_catch_up)},
    {"sync", "pace_ms", KEY_INT, "20", 0, 5000, NULL, F(sync_pace_ms)},
    {"sync", "page_items", KEY_INT, "500", 1, 2000, NULL, F(sync_page_items)},
    {"display", "width", KEY_INT, "0", 0, 16384, NULL, F(width)},
    {"display", "height", KEY_INT, "0", 0, 16384, NULL, F(height)},
    {"display", "fullscreen", KEY_BOOL, "false", 0, 0, NULL, F(fullscreen)},
    {"display", "headless", KEY_BOOL, "false", 0, 0, NULL, F(headless)},
    {"display", "screenshot", KEY_STR, "", 0, 0, NULL, F(screenshot)},
    {"display", "fonts", KEY_STR, "", 0, 0, NULL, F(fonts)},
    {"display", "theme", KEY_ENUM, "dark", 0, 0, "dark|light|high-contrast", F(theme)},
    {"display", "on", KEY_SCHEDULE, "", 0, 0, NULL, F(on)},
    {"display", "off", KEY_ENUM, "blank", 0, 0, "blank|dim", F(off)},
    {"display", "escalate_after", KEY_DURATION, "1d", 60, 366 * 86400, NULL, F(escalate_after)},
    {"display", "critical_after", KEY_DURATION, "3d", 60, 366 * 86400, NULL, F(critical_after)},
    {"display", "pixel_shift", KEY_BOOL, "true", 0, 0, NULL, F(pixel_shift)},
    {"display", "rotate", KEY_ENUM, "0", 0, 0, "0|90|180|270", F(rotate)},
    {"display", "wins_for", KEY_DURATION, "7d", 60, 366 * 86400, NULL, F(wins_for)},
    {"display", "language", KEY_ENUM, "auto", 0, 0, "auto|en|de|fr|es|nl", F(language)},
    {"bridge", "listen", KEY_STR, "127.0.0.1:8088", 0, 0, NULL, F(listen)},
    {"bridge", "board", KEY_ID, "", 0, 0, NULL, F(bridge_board)},
    {"slack", "signing_secret", KEY_STR, "", 0, 0, NULL, F(slack_signing_secret)},
    {"mattermost", "token", KEY_STR, "", 0, 0, NULL, F(mattermost_token)},
    {"teams", "secret", KEY_STR, "", 0, 0, NULL, F(teams_secret)},
    {"api", "token", KEY_STR, "", 0, 0, NULL, F(api_token)},
    {"notify", "url", KEY_STR, "", 0, 0, NULL, F(notify_url)},
    {"web", "token", KEY_STR, "", 0, 0, NULL, F(web_token)},
    {"web", "actions", KEY_BOOL, "false", 0, 0, NULL, F(web_actions)},
    {"web", "max_viewers", KEY_INT, "200", 1, 1000, NULL, F(web_max_viewers)},
    {"web", "assets", KEY_STR, "", 0, 0, NULL, F(web_assets)},
    {"homeassistant", "enabled", KEY_BOOL, "false", 0, 0, NULL, F(ha_enabled)},
    {"homeassistant", "prefix", KEY_ID, "homeassistant", 0, 0, NULL, F(ha_prefix)},
    {"standup", "at", KEY_STANDUP, "", 0, 0, NULL, F(standup_at)},
    {"standup", "item_seconds", KEY_INT, "90", 10, 3600, NULL, F(standup_item_seconds)},
    {"standup", "meeting_minutes", KEY_INT, "15", 1, 240, NULL, F(standup_meeting_minutes)},
};

/* Sections that are handled outside the table (by prefix, e.g. "button "). */
struct section_hook {
    const char *prefix;
    tw_config_section_fn fn;
    void *ctx;
};
static struct section_hook hooks[4];

void tw_config_set_section_hook(const char *section_prefix, tw_config_section_fn fn, void *ctx)
{
    for (size_t i = 0; i < TW_ARRAY_LEN(hooks); i++) {
        if (!hooks[i].prefix || strcmp(hooks[i].prefix, section_prefix) == 0) {
            hooks[i] = (struct section_hook){section_prefix, fn, ctx};
            return;
        }
    }
}

static int parse_bool(const char *v, bool *out)
{
    static const char *const yes[] = {"true", "yes", "on", "1"};
    static const char *const no[] = {"false", "no", "off", "0"};
    for (size_t i = 0; i < TW_ARRAY_LEN(yes); i++) {
        if (strcasecmp(v, yes[i]) == 0) {
            *out = true;
            return 0;
        }
        if (strcasecmp(v, no[i]) == 0) {
            *out = false;
            return 0;
        }
    }
    return -1;
}

static bool choice_ok(const char *choices, const char *v)
{
    size_t n = strlen(v);
    for (const char *p = choices; *p;) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        if (len == n && strncmp(p, v, n) == 0)
            return true;
        if (!bar)
            break;
        p = bar + 1;
    }
    return false;
}

/* "90m", "4h", "1d12h", "2w": a sum of numbers with units s, m, h, d, w. */
static int parse_duration(const char *v, long *out)
{
    long total = 0;
    const char *p = v;
    if (!*p)
        return -1;
    while (*p) {
        char *end;
        errno = 0;
        long n = strtol(p, &end, 10);
        if (errno || end == p || n < 0)
            return -1;
        long unit;
        switch (*end) {
        case 's': unit = 1; break;
        case 'm': unit = 60; break;
        case 'h': unit = 3600; break;
        case 'd': unit = 86400; break;
        case 'w': unit = 7 * 86400; break;
        default: return -1;
        }
        if (n > (1L << 40) / unit)
            return -1;
        total += n * unit;
        p = end + 1;
    }
    *out = total;
    return 0;
}

/* Validate value for k and store it in cfg. Returns 0 or -1 with err = reason. */
static int set_key(tw_config *cfg, const struct key *k, const char *v, char *err, size_t esz)
{
    char *field = (char *)cfg + k->offset;
    switch (k->type) {
    case KEY_INT: {
        char *end;
        errno = 0;
        long n = strtol(v, &end, 10);
        if (errno || end == v || *end) {
            snprintf(err, esz, "not a whole number: \"%s\"", v);
            return -1;
        }
        if (n < k->min || n > k->max) {
            snprintf(err, esz, "%ld is out of range (%ld..%ld)", n, k->min, k->max);
            return -1;
        }
        *(int *)(void *)field = (int)n;
        return 0;
    }
    case KEY_DURATION: {
        long secs;
        if (parse_duration(v, &secs)) {
            snprintf(err, esz, "not a duration like 90m, 4h or 1d: \"%s\"", v);
            return -1;
        }
        if (secs < k->min || secs > k->max) {
            snprintf(err, esz, "%s is out of range (%ldm..%ldd)", v, k->min / 60, k->max / 86400);
            return -1;
        }
        *(int *)(void *)field = (int)secs;
        return 0;
    }
    case KEY_SCHEDULE: {
        tw_schedule sched;
        char why[160];
        if (tw_schedule_parse(v, &sched, why, sizeof(why))) {
            snprintf(err, esz, "%s", why);
            return -1;
        }
        break;
    }
    case KEY_STANDUP: {
        tw_schedule sched;
        bool empty;
        char why[160];
        if (tw_standup_schedule_parse(v, &sched, &empty, why, sizeof(why))) {
            snprintf(err, esz, "%s", why);
            return -1;
        }
        break;
    }
    case KEY_BOOL:
        if (parse_bool(v, (bool *)(void *)field)) {
            snprintf(err, esz, "not a boolean (true/false): \"%s\"", v);
            return -1;
        }
        return 0;
    case KEY_ENUM:
        if (!choice_ok(k->choices, v)) {
            snprintf(err, esz, "must be one of %s, not \"%s\"", k->choices, v);
            return -1;
        }
        break;
    case KEY_TEAM:
        if (!tw_team_valid(v)) {
            snprintf(err, esz, "must be 1-32 of [a-z0-9_-], not \"%s\"", v);
            return -1;
        }
        break;
    case KEY_TEAMS: {
        char list[TW_TEAMS_MAX][TW_TEAM_SIZE];
        int n = tw_teams_parse(v, list, err, esz);
        if (n < 0)
            return -1;
        memcpy(cfg->team_list, list, sizeof(list));
        cfg->n_teams = n;
        break;
    }
    case KEY_ID:
        if (*v && !tw_id_valid(v)) {
            snprintf(err, esz, "must be 1-64 of [A-Za-z0-9._:-], not \"%s\"", v);
            return -1;
        }
        break;
    case KEY_URL: {
        tw_broker_url u;
        if (tw_broker_list_parse(v, &u, 1) <= 0) {
            snprintf(err, esz,
                     "not a broker URL or a comma-separated list of them "
                     "(mqtt[s]://[user:pass@]host[:port]): \"%s\"",
                     v);
            return -1;
        }
        break;
    }
    case KEY_STR: break;
    }
    if (strlen(v) >= k->size) {
        snprintf(err, esz, "is too long (max %zu bytes)", k->size - 1);
        return -1;
    }
    tw_strlcpy(field, v, k->size);
    return 0;
}

static const struct key *find_key(const char *section, const char *key)
{
    for (size_t i = 0; i < TW_ARRAY_LEN(static_keys); i++)
        if (strcmp(static_keys[i].section, section) == 0 && strcmp(static_keys[i].key, key) == 0)
            return &static_keys[i];
    return NULL;
}

static bool section_known(const char *section)
{
    for (size_t i = 0; i < TW_ARRAY_LEN(static_keys); i++)
        if (strcmp(static_keys[i].section, section) == 0)
            return true;
    return false;
}

void tw_config_defaults(tw_config *cfg)
{
    char err[128];
    memset(cfg, 0, sizeof(*cfg));
    for (size_t i = 0; i < TW_ARRAY_LEN(static_keys); i++)
        set_key(cfg, &static_keys[i], static_keys[i].def, err, sizeof(err));
    char host[HOST_NAME_MAX + 1] = "";
    if (gethostname(host, sizeof(host)) == 0) {
        host[HOST_NAME_MAX] = '\0';
        /* The host name is the default board id: keep what fits the id rules. */
        char *d = cfg->board;
        for (const char *s = host; *s && d < cfg->board + sizeof(cfg->board) - 1; s++)
            if (tw_id_valid((char[]){*s, '\0'}))
                *d++ = *s;
        *d = '\0';
    }
    if (!cfg->board[0])
        tw_strlcpy(cfg->board, "wall", sizeof(cfg->board));
}

struct load_ctx {
    tw_config *cfg;
    const char *path;
    char *err;
    size_t err_size;
    bool failed;
    FILE *f;
    int line;    /* lines read so far: the handler runs for the last one */
    char **seen; /* "section\x1fkey" of every key so far: a second one is an error */
    size_t n_seen;
    size_t bytes; /* read so far: a device like /dev/zero never ends */
    bool too_big;
    int team_line, teams_line; /* where [board] team and teams were set */
};

#define CONFIG_MAX_BYTES (1024 * 1024) /* a config past this is not one */

/* A key given twice in one section would silently take the last value: an
 * edit that did not take effect. Returns whether it was seen before. */
static bool seen_before(struct load_ctx *lc, const char *section, const char *name)
{
    size_t n = strlen(section) + strlen(name) + 2;
    char *k = tw_xmalloc(n);
    snprintf(k, n, "%s\x1f%s", section, name);
    for (size_t i = 0; i < lc->n_seen; i++) {
        if (strcmp(lc->seen[i], k) == 0) {
            free(k);
            return true;
        }
    }
    lc->seen = tw_xrealloc(lc->seen, (lc->n_seen + 1) * sizeof *lc->seen);
    lc->seen[lc->n_seen++] = k;
    return false;
}

/* Secrets in a file every user may read: say so (the package installs it
 * 0640 root:teamwall, docs/RELIABILITY.md). */
static void warn_if_readable(const tw_config *cfg, const char *path, const struct stat *st)
{
    const char *const secrets[] = {
        cfg->password,  cfg->slack_signing_secret, cfg->mattermost_token, cfg->teams_secret,
        cfg->api_token, cfg->notify_url,           cfg->web_token};
    bool any = false;
    for (size_t i = 0; i < TW_ARRAY_LEN(secrets); i++)
        any = any || secrets[i][0];
    if (any && (st->st_mode & S_IROTH))
        log_warn("%s holds secrets and every user may read it (mode %04o): "
                 "chmod 0640 %s; chgrp teamwall %s",
                 path, (unsigned)(st->st_mode & 07777), path, path);
}

/* Debian's inih is built without INI_HANDLER_LINENO; count lines in the
 * reader instead, so errors can name the line. */
static char *read_line(char *str, int num, void *stream)
{
    struct load_ctx *lc = stream;
    if (lc->bytes > CONFIG_MAX_BYTES) {
        lc->too_big = true;
        return NULL;
    }
    char *r = fgets(str, num, lc->f);
    if (r) {
        lc->line++;
        lc->bytes += strlen(r) + 1; /* NULs read as short lines: count at least one */
    }
    return r;
}

static int on_ini(void *user, const char *section, const char *name, const char *value)
{
    struct load_ctx *lc = user;
    int line = lc->line;
    char reason[256];
    if (lc->failed)
        return 0;
    if (!name) /* a section header alone: checked when it has keys, or below */
        return 1;
    if (seen_before(lc, section, name)) {
        snprintf(lc->err, lc->err_size, "%s:%d: %s: given twice in [%s] (which one is meant?)",
                 lc->path, line, name, section);
        lc->failed = true;
        return 0;
    }
    for (size_t i = 0; i < TW_ARRAY_LEN(hooks) && hooks[i].prefix; i++) {
        if (strncmp(section, hooks[i].prefix, strlen(hooks[i].prefix)) == 0) {
            if (hooks[i].fn(hooks[i].ctx, section, name, value, line, reason, sizeof(reason))) {
                snprintf(lc->err, lc->err_size, "%s:%d: %s: %s", lc->path, line, name, reason);
                lc->failed = true;
                return 0;
            }
            return 1;
        }
    }
    const struct key *k = find_key(section, name);
    if (!k) {
        if (section_known(section))
            snprintf(reason, sizeof(reason), "unknown key in [%s]", section);
        else
            snprintf(reason, sizeof(reason), "unknown section [%s]", section);
        snprintf(lc->err, lc->err_size, "%s:%d: %s: %s", lc->path, line, name, reason);
        lc->failed = true;
        return 0;
    }
    if (set_key(lc->cfg, k, value, reason, sizeof(reason))) {
        snprintf(lc->err, lc->err_size, "%s:%d: %s: %s", lc->path, line, name, reason);
        lc->failed = true;
        return 0;
    }
    if (strcmp(section, "board") == 0 && strcmp(name, "team") == 0)
        lc->team_line = line;
    if (strcmp(section, "board") == 0 && strcmp(name, "teams") == 0)
        lc->teams_line = lc->cfg->n_teams ? line : 0;
    return 1;
}

int tw_config_load(tw_config *cfg, const char *path, char *err, size_t err_size)
{
    if (!cfg || !path)
        return TW_ERR_INVAL;
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, err_size, "%s: cannot open: %s", path, strerror(errno));
        return TW_ERR_IO;
    }
    /* A directory reads as empty and /dev/zero never ends: only a regular
     * file of a sane size is a config. */
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || S_ISDIR(st.st_mode) || st.st_size > CONFIG_MAX_BYTES) {
        snprintf(err, err_size, "%s: not a config file (%s)", path,
                 S_ISDIR(st.st_mode) ? "a directory" : "over 1 MiB");
        fclose(f);
        return TW_ERR_IO;
    }
    struct load_ctx lc = {cfg, path, err, err_size, false, f, 0, NULL, 0, 0, false, 0, 0};
    int rc = ini_parse_stream(read_line, &lc, on_ini, &lc);
    fclose(f);
    for (size_t i = 0; i < lc.n_seen; i++)
        free(lc.seen[i]);
    free(lc.seen);
    if (lc.too_big) {
        snprintf(err, err_size, "%s: not a config file (over 1 MiB, or it never ends)", path);
        return TW_ERR_IO;
    }
    if (!lc.failed && rc == 0)
        warn_if_readable(cfg, path, &st);
    if (lc.failed)
        return TW_ERR_PARSE;
    if (lc.team_line && lc.teams_line) {
        /* A lobby shows the teams it lists and is a board of none of them. */
        snprintf(err, err_size,
                 "%s:%d: teams: a lobby board takes no [board] team (line %d sets one): keep "
                 "one of the two",
                 path, lc.teams_line, lc.team_line);
        return TW_ERR_PARSE;
    }
    if (rc > 0) {
        snprintf(err, err_size, "%s:%d: syntax error (expected [section] or key = value)", path,
                 rc);
        return TW_ERR_PARSE;
    }
    if (rc < 0) {
        snprintf(err, err_size, "%s: cannot read", path);
        return TW_ERR_IO;
    }
    return 0;
}

int tw_config_set(tw_config *cfg, const char *section, const char *key, const char *value,
                  char *err, size_t err_size)
{
    const struct key *k = find_key(section, key);
    char reason[256];
    if (!k) {
        snprintf(err, err_size, "%s: unknown key in [%s]", key, section);
        return TW_ERR_INVAL;
    }
    if (strcmp(section, "board") == 0 && strcmp(key, "team") == 0 && cfg->n_teams) {
        /* A lobby's config names its teams: teamwall-ctl --team picks one of
         * them (the lobby itself takes none: firmware/main.c). */
        bool listed = false;
        for (int i = 0; i < cfg->n_teams; i++)
            listed |= strcmp(cfg->team_list[i], value) == 0;
        if (!listed) {
            snprintf(err, err_size, "team: \"%s\" is not one of this lobby's teams (%s)", value,
                     cfg->teams);
            return TW_ERR_INVAL;
        }
    }
    if (set_key(cfg, k, value, reason, sizeof(reason))) {
        snprintf(err, err_size, "%s: %s", key, reason);
        return TW_ERR_INVAL;
    }
    return 0;
}

int tw_broker_url_parse(const char *url, tw_broker_url *out)
{
    if (!url || !out)
        return TW_ERR_INVAL;
    memset(out, 0, sizeof(*out));
    const char *p = url;
    if (strncmp(p, "mqtts://", 8) == 0) {
        out->tls = true;
        p += 8;
    } else if (strncmp(p, "mqtt://", 7) == 0) {
        p += 7;
    } else if (strncmp(p, "tcp://", 6) == 0) {
        p += 6;
    } else if (strstr(p, "://")) {
        return TW_ERR_INVAL;
    }
    out->port = out->tls ? 8883 : 1883;
    const char *at = strrchr(p, '@');
    if (at) {
        const char *colon = memchr(p, ':', (size_t)(at - p));
        size_t ulen = colon ? (size_t)(colon - p) : (size_t)(at - p);
        if (ulen == 0 || ulen >= sizeof(out->username))
            return TW_ERR_INVAL;
        memcpy(out->username, p, ulen);
        if (colon) {
            size_t plen = (size_t)(at - colon - 1);
            if (plen >= sizeof(out->password))
                return TW_ERR_INVAL;
            memcpy(out->password, colon + 1, plen);
        }
        p = at + 1;
    }
    const char *end = p + strcspn(p, "/");
    if (*end && strcmp(end, "/") != 0)
        return TW_ERR_INVAL;
    const char *host = p, *host_end;
    if (*p == '[') { /* [::1]:1883 */
        const char *close = memchr(p, ']', (size_t)(end - p));
        if (!close)
            return TW_ERR_INVAL;
        host = p + 1;
        host_end = close;
        p = close + 1;
    } else {
        host_end = memchr(p, ':', (size_t)(end - p));
        if (!host_end)
            host_end = end;
        p = host_end;
    }
    size_t hlen = (size_t)(host_end - host);
    if (hlen == 0 || hlen >= sizeof(out->host))
        return TW_ERR_INVAL;
    memcpy(out->host, host, hlen);
    for (size_t i = 0; i < hlen; i++) {
        char c = out->host[i];
        if (!(c == '.' || c == '-' || c == ':' || c == '_' || (c >= '0' && c <= '9') ||
              (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
            return TW_ERR_INVAL;
    }
    if (p < end && *p == ':') {
        char *e;
        long port = strtol(p + 1, &e, 10);
        if (e == p + 1 || e != end || port < 1 || port > 65535)
            return TW_ERR_INVAL;
        out->port = (int)port;
    } else if (p != end) {
        return TW_ERR_INVAL;
    }
    return 0;
}

void tw_config_root(const tw_config *cfg, char *buf, size_t size)
{
    snprintf(buf, size, "%s/%s", cfg->prefix, cfg->team);
}

int tw_broker_list_parse(const char *list, tw_broker_url *out, int max)
{
    if (!list || !out || max < 1)
        return TW_ERR_INVAL;
    int n = 0;
    const char *p = list;
    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        size_t len = strcspn(p, ",");
        size_t trimmed = len;
        while (trimmed && (p[trimmed - 1] == ' ' || p[trimmed - 1] == '\t'))
            trimmed--;
        char one[TW_CONFIG_STR];
        if (trimmed == 0 || trimmed >= sizeof(one))
            return TW_ERR_INVAL;
        memcpy(one, p, trimmed);
        one[trimmed] = '\0';
        tw_broker_url u;
        if (tw_broker_url_parse(one, &u))
            return TW_ERR_INVAL;
        if (n < max)
            out[n] = u;
        n++;
        if (!p[len])
            break;
        p += len + 1;
    }
    return n;
}
