/* SPDX-License-Identifier: MIT */
/* The config table: defaults, every key type, line-numbered errors, flags,
 * broker URLs and the section hook used by [button "..."] sections. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "config.h"
#include "util.h"

static char path[512];

static int load_text(tw_config *cfg, const char *text, char *err, size_t size)
{
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    tw_config_defaults(cfg);
    return tw_config_load(cfg, path, err, size);
}

static int hook_calls;
static int button_hook(void *ctx, const char *section, const char *key, const char *value, int line,
                       char *err, size_t err_size)
{
    (void)ctx;
    (void)line;
    hook_calls++;
    if (strcmp(section, "button \"desk-3\"") != 0 || strcmp(key, "source") != 0) {
        snprintf(err, err_size, "unexpected %s", key);
        return TW_ERR_INVAL;
    }
    if (strcmp(value, "zigbee2mqtt") != 0) {
        snprintf(err, err_size, "unknown source \"%s\"", value);
        return TW_ERR_INVAL;
    }
    return 0;
}

int main(void)
{
    const char *tmp = getenv("TW_TEST_TMP");
    snprintf(path, sizeof(path), "%s/test_config_%d.conf", tmp ? tmp : "/tmp", (int)getpid());
    tw_config cfg;
    char err[512];

    /* Defaults. */
    tw_config_defaults(&cfg);
    CHECK_EQ_STR(cfg.prefix, "teamwall");
    CHECK_EQ_STR(cfg.broker, "mqtt://127.0.0.1:1883");
    CHECK_EQ_INT(cfg.keepalive, 30);
    CHECK_EQ_INT(cfg.max_payload, 4096);
    CHECK_EQ_STR(cfg.sync, "normal");
    CHECK(cfg.board[0] != '\0');
    CHECK(!cfg.fullscreen);

    /* A good file, with inline comments as in PROTOCOL.md. */
    CHECK_EQ_INT(load_text(&cfg,
                           "[board]\nteam = acme\nid = wall1\nsync = full\n"
                           "[mqtt]\nbroker = mqtts://u:p@broker.example:8883 ; TLS\n"
                           "keepalive = 60\n[display]\nfullscreen = yes\nwidth = 800\n"
                           "[bridge]\nlisten = 127.0.0.1:8088\n[slack]\nsigning_secret = abc\n",
                           err, sizeof(err)),
                 0);
    CHECK_EQ_STR(cfg.team, "acme");
    CHECK_EQ_STR(cfg.board, "wall1");
    CHECK_EQ_STR(cfg.sync, "full");
    CHECK_EQ_STR(cfg.broker, "mqtts://u:p@broker.example:8883");
    CHECK_EQ_INT(cfg.keepalive, 60);
    CHECK(cfg.fullscreen);
    CHECK_EQ_INT(cfg.width, 800);
    CHECK_EQ_STR(cfg.slack_signing_secret, "abc");

    /* Errors name file, line and key. */
    char want[700];
    CHECK_EQ_INT(load_text(&cfg, "[board]\nid = wall1\n\nteam = Bad Team\n", err, sizeof(err)),
                 TW_ERR_PARSE);
    snprintf(want, sizeof(want), "%s:4: team: must be 1-32 of [a-z0-9_-], not \"Bad Team\"", path);
    CHECK_EQ_STR(err, want);
    CHECK_EQ_INT(load_text(&cfg, "[mqtt]\nkeepalive = 2\n", err, sizeof(err)), TW_ERR_PARSE);
    snprintf(want, sizeof(want), "%s:2: keepalive: 2 is out of range (5..3600)", path);
    CHECK_EQ_STR(err, want);
    CHECK_EQ_INT(load_text(&cfg, "[mqtt]\nkeepalive = soon\n", err, sizeof(err)), TW_ERR_PARSE);
    snprintf(want, sizeof(want), "%s:2: keepalive: not a whole number: \"soon\"", path);
    CHECK_EQ_STR(err, want);
    CHECK_EQ_INT(load_text(&cfg, "[mqtt]\nkeeplive = 30\n", err, sizeof(err)), TW_ERR_PARSE);
    snprintf(want, sizeof(want), "%s:2: keeplive: unknown key in [mqtt]", path);
    CHECK_EQ_STR(err, want);
    CHECK_EQ_INT(load_text(&cfg, "; c\n[screen]\nsize = 1\n", err, sizeof(err)), TW_ERR_PARSE);
    snprintf(want, sizeof(want), "%s:3: size: unknown section [screen]", path);
    CHECK_EQ_STR(err, want);
    CHECK_EQ_INT(load_text(&cfg, "[display]\nfullscreen = maybe\n", err, sizeof(err)),
                 TW_ERR_PARSE);
    snprintf(want, sizeof(want), "%s:2: fullscreen: not a boolean (true/false): \"maybe\"", path);
    CHECK_EQ_STR(err, want);
    CHECK_EQ_INT(load_text(&cfg, "[board]\nsync = sometimes\n", err, sizeof(err)), TW_ERR_PARSE);
    snprintf(want, sizeof(want), "%s:2: sync: must be one of normal|full, not \"sometimes\"", path);
    CHECK_EQ_STR(err, want);
    CHECK_EQ_INT(load_text(&cfg, "[mqtt]\nbroker = http://x\n", err, sizeof(err)), TW_ERR_PARSE);
    CHECK(strstr(err, ":2: broker: not a broker URL") != NULL);
    CHECK_EQ_INT(load_text(&cfg, "[board]\nthis line has no equals\n", err, sizeof(err)),
                 TW_ERR_PARSE);
    snprintf(want, sizeof(want), "%s:2: syntax error (expected [section] or key = value)", path);
    CHECK_EQ_STR(err, want);
    tw_config_defaults(&cfg);
    CHECK_EQ_INT(tw_config_load(&cfg, "/nonexistent/teamwall.conf", err, sizeof(err)), TW_ERR_IO);
    CHECK(strstr(err, "/nonexistent/teamwall.conf: cannot open") == err);

    /* Section hook. */
    tw_config_set_section_hook("button ", button_hook, NULL);
    CHECK_EQ_INT(load_text(&cfg, "[button \"desk-3\"]\nsource = zigbee2mqtt\n", err, sizeof(err)),
                 0);
    CHECK_EQ_INT(hook_calls, 1);
    CHECK_EQ_INT(
        load_text(&cfg, "[button \"desk-3\"]\nsource = carrier-pigeon\n", err, sizeof(err)),
        TW_ERR_PARSE);
    snprintf(want, sizeof(want), "%s:2: source: unknown source \"carrier-pigeon\"", path);
    CHECK_EQ_STR(err, want);

    /* Flags go through the same table. */
    tw_config_defaults(&cfg);
    CHECK_EQ_INT(tw_config_set(&cfg, "board", "team", "acme", err, sizeof(err)), 0);
    CHECK_EQ_INT(tw_config_set(&cfg, "board", "team", "ACME", err, sizeof(err)), TW_ERR_INVAL);
    CHECK_EQ_STR(err, "team: must be 1-32 of [a-z0-9_-], not \"ACME\"");
    CHECK_EQ_INT(tw_config_set(&cfg, "display", "width", "99999", err, sizeof(err)), TW_ERR_INVAL);
    CHECK_EQ_INT(tw_config_set(&cfg, "nope", "x", "1", err, sizeof(err)), TW_ERR_INVAL);

    /* Broker URLs. */
    tw_broker_url u;
    CHECK_EQ_INT(tw_broker_url_parse("mqtt://127.0.0.1:1884", &u), 0);
    CHECK_EQ_STR(u.host, "127.0.0.1");
    CHECK_EQ_INT(u.port, 1884);
    CHECK(!u.tls);
    CHECK_EQ_INT(tw_broker_url_parse("mqtts://ana:s3cr:t@mq.example.com", &u), 0);
    CHECK(u.tls);
    CHECK_EQ_INT(u.port, 8883);
    CHECK_EQ_STR(u.username, "ana");
    CHECK_EQ_STR(u.password, "s3cr:t");
    CHECK_EQ_STR(u.host, "mq.example.com");
    CHECK_EQ_INT(tw_broker_url_parse("localhost", &u), 0);
    CHECK_EQ_INT(u.port, 1883);
    CHECK_EQ_INT(tw_broker_url_parse("mqtt://[::1]:1883", &u), 0);
    CHECK_EQ_STR(u.host, "::1");
    CHECK_EQ_INT(tw_broker_url_parse("mqtt://host:0", &u), TW_ERR_INVAL);
    CHECK_EQ_INT(tw_broker_url_parse("mqtt://host:99999", &u), TW_ERR_INVAL);
    CHECK_EQ_INT(tw_broker_url_parse("mqtt://", &u), TW_ERR_INVAL);
    CHECK_EQ_INT(tw_broker_url_parse("ws://host", &u), TW_ERR_INVAL);
    CHECK_EQ_INT(tw_broker_url_parse("mqtt://ho st", &u), TW_ERR_INVAL);

    char root[128];
    tw_config_defaults(&cfg);
    tw_config_set(&cfg, "board", "team", "acme", err, sizeof(err));
    tw_config_root(&cfg, root, sizeof(root));
    CHECK_EQ_STR(root, "teamwall/acme");

    /* [display]: theme, night schedule, escalation thresholds, pixel shift. */
    tw_config_defaults(&cfg);
    CHECK_EQ_STR(cfg.theme, "dark");
    CHECK_EQ_STR(cfg.on, "");
    CHECK_EQ_STR(cfg.off, "blank");
    CHECK_EQ_INT(cfg.escalate_after, 86400);
    CHECK_EQ_INT(cfg.critical_after, 3 * 86400);
    CHECK(cfg.pixel_shift);
    CHECK_EQ_INT(load_text(&cfg,
                           "[display]\ntheme = high-contrast\non = Mon-Fri 07:30-19:00, Sat "
                           "10:00-14:00\noff = dim\nescalate_after = 4h\ncritical_after = "
                           "1d12h\npixel_shift = no\n",
                           err, sizeof(err)),
                 0);
    CHECK_EQ_STR(cfg.theme, "high-contrast");
    CHECK_EQ_STR(cfg.on, "Mon-Fri 07:30-19:00, Sat 10:00-14:00");
    CHECK_EQ_STR(cfg.off, "dim");
    CHECK_EQ_INT(cfg.escalate_after, 4 * 3600);
    CHECK_EQ_INT(cfg.critical_after, 36 * 3600);
    CHECK(!cfg.pixel_shift);
    CHECK_EQ_INT(load_text(&cfg, "[display]\ntheme = sepia\n", err, sizeof(err)), TW_ERR_PARSE);
    CHECK(strstr(err, ":2: theme: must be one of dark|light|high-contrast") != NULL);
    CHECK_EQ_INT(load_text(&cfg, "[display]\n\non = Mon-Fri 7:30-19:00\n", err, sizeof(err)),
                 TW_ERR_PARSE);
    CHECK(strstr(err, ":3: on: expected a time range HH:MM-HH:MM") != NULL);
    CHECK_EQ_INT(load_text(&cfg, "[display]\nescalate_after = 2 days\n", err, sizeof(err)),
                 TW_ERR_PARSE);
    CHECK(strstr(err, ":2: escalate_after: not a duration like 90m, 4h or 1d") != NULL);
    CHECK_EQ_INT(load_text(&cfg, "[display]\ncritical_after = 30s\n", err, sizeof(err)),
                 TW_ERR_PARSE);
    CHECK(strstr(err, "critical_after: 30s is out of range") != NULL);
    CHECK_EQ_INT(tw_config_set(&cfg, "display", "off", "sleep", err, sizeof(err)), TW_ERR_INVAL);
    CHECK_EQ_INT(tw_config_set(&cfg, "display", "on", "always", err, sizeof(err)), 0);
    /* Wins age off after wins_for; the language (issue 13). */
    tw_config_defaults(&cfg);
    CHECK_EQ_INT(cfg.wins_for, 7 * 86400);
    CHECK_EQ_STR(cfg.language, "auto");
    CHECK_EQ_INT(load_text(&cfg, "[display]\nwins_for = 3d\nlanguage = de\n", err, sizeof(err)), 0);
    CHECK_EQ_INT(cfg.wins_for, 3 * 86400);
    CHECK_EQ_STR(cfg.language, "de");
    CHECK_EQ_INT(load_text(&cfg, "[display]\nlanguage = tlh\n", err, sizeof(err)), TW_ERR_PARSE);
    CHECK(strstr(err, ":2: language: must be one of auto|en|de|fr|es|nl") != NULL);

    /* [standup]: defaults, a start time, and what is refused. */
    tw_config_defaults(&cfg);
    CHECK_EQ_STR(cfg.standup_at, "");
    CHECK_EQ_INT(cfg.standup_item_seconds, 90);
    CHECK_EQ_INT(cfg.standup_meeting_minutes, 15);
    CHECK_EQ_INT(
        load_text(&cfg, "[standup]\nat = Mon-Fri 09:30\nitem_seconds = 120\n", err, sizeof(err)),
        0);
    CHECK_EQ_STR(cfg.standup_at, "Mon-Fri 09:30");
    CHECK_EQ_INT(cfg.standup_item_seconds, 120);
    CHECK_EQ_INT(load_text(&cfg, "[standup]\n\nat = 09:30\n", err, sizeof(err)), TW_ERR_PARSE);
    CHECK(strstr(err, ":3: at: \"09:30\": which days?") != NULL);
    CHECK_EQ_INT(load_text(&cfg, "[standup]\nmeeting_minutes = 0\n", err, sizeof(err)),
                 TW_ERR_PARSE);
    CHECK(strstr(err, ":2: meeting_minutes:") != NULL);

    unlink(path);
    return check_done();
}
