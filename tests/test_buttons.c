/* SPDX-License-Identifier: MIT */
/*
 * Desk buttons over a real store and board: [button] sections and their
 * line-numbered errors, the topics the board subscribes to, every source's
 * payload sequences turned into items (with the right author, once), press
 * timing for edges, 300 ms de-duplication, Shelly's event_cnt (and its reset),
 * stable ids against redelivery, resolve-own and claim-oldest, health
 * warnings raised and cleared, unassigned buttons, rollback and restart.
 */
#define _POSIX_C_SOURCE 200809L
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "board.h"
#include "buttons.h"
#include "check.h"
#include "dbfix.h"
#include "config.h"
#include "store.h"
#include "util.h"
#include "warnings.h"

#define NOW 1764061200 /* 2025-11-25T09:00:00Z */

static char dir[512];

/* Write text as a config file and load it with the button hook. */
static int load_config(const char *text, tw_button_config **out, char *err, size_t size)
{
    char path[600];
    snprintf(path, sizeof(path), "%s/buttons.conf", dir);
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    tw_config cfg;
    tw_config_defaults(&cfg);
    tw_button_config *bc = tw_button_config_create();
    tw_button_config_install(bc);
    err[0] = '\0';
    int rc = tw_config_load(&cfg, path, err, size);
    if (!rc)
        rc = tw_button_config_check(bc, path, err, size);
    if (rc || !out)
        tw_button_config_destroy(bc);
    else
        *out = bc;
    return rc;
}

/* ---- config ---- */

static void expect_error(const char *text, const char *want, int line)
{
    char err[512];
    int rc = load_config(text, NULL, err, sizeof(err));
    if (rc == TW_ERR_PARSE && strstr(err, want)) {
        check_passed++;
    } else {
        check_failed++;
        fprintf(stderr, "%s:%d: want an error with \"%s\", got %d \"%s\"\n", __FILE__, line, want,
                rc, err);
    }
}
#define CONFIG_ERROR(text, want) expect_error(text, want, __LINE__)

static void test_config(void)
{
    tw_button_config *bc = NULL;
    char err[512];
    CHECK_EQ_INT(load_config("[board]\n"
                             "team = acme\n"
                             "\n"
                             "[button \"desk-3\"]\n"
                             "source = zigbee2mqtt       ; as PROTOCOL.md writes it\n"
                             "device = Desk 3 button     ; friendly name\n"
                             "who    = Ana\n"
                             "single = blocker\n"
                             "double = question\n"
                             "long   = resolve-own\n"
                             "[button \"gong\"]\n"
                             "source = shelly-gen2\n"
                             "device = shellyplusi4-c4d8d5568e44\n"
                             "input = 2\n"
                             "single = win\n"
                             "double = standup-start\n"
                             "long = standup-next\n"
                             "win_text = {who} shipped it!\n"
                             "offline_minutes = 0\n"
                             "[button plain]\n"
                             "source = key\n"
                             "device = KP_1\n"
                             "[buttons]\n"
                             "discover = false\n"
                             "zigbee2mqtt_topic = z2m\n"
                             "blocker_text = {who} needs a hand\n",
                             &bc, err, sizeof(err)),
                 0);
    if (!bc) {
        fprintf(stderr, "config: %s\n", err);
        return;
    }
    CHECK_EQ_INT(tw_button_config_count(bc), 3);
    const tw_button_def *d = tw_button_config_get(bc, 0);
    CHECK_EQ_STR(d->name, "desk-3");
    CHECK_EQ_INT(d->line, 4);
    CHECK_EQ_INT(d->source, TW_SRC_ZIGBEE2MQTT);
    CHECK_EQ_STR(d->device, "Desk 3 button");
    CHECK_EQ_STR(d->who, "Ana");
    CHECK_EQ_INT(d->action[TW_PRESS_SINGLE], TW_ACTION_BLOCKER);
    CHECK_EQ_INT(d->action[TW_PRESS_DOUBLE], TW_ACTION_QUESTION);
    CHECK_EQ_INT(d->action[TW_PRESS_LONG], TW_ACTION_RESOLVE_OWN);
    CHECK_EQ_INT(d->offline_s, 3600);
    char text[300];
    tw_button_text(bc, d, TW_KIND_BLOCKER, text, sizeof(text));
    CHECK_EQ_STR(text, "Ana needs a hand"); /* the [buttons] template */
    tw_button_text(bc, d, TW_KIND_QUESTION, text, sizeof(text));
    CHECK_EQ_STR(text, "Ana has a question");
    tw_button_text(bc, d, TW_KIND_WIN, text, sizeof(text));
    CHECK_EQ_STR(text, "Win from Ana!");
    d = tw_button_config_get(bc, 1);
    CHECK_EQ_STR(d->input, "2");
    CHECK_EQ_STR(d->who, "gong"); /* no who: the name */
    CHECK_EQ_INT(d->action[TW_PRESS_DOUBLE], TW_ACTION_STANDUP_START);
    CHECK_EQ_INT(d->offline_s, 0);
    tw_button_text(bc, d, TW_KIND_WIN, text, sizeof(text));
    CHECK_EQ_STR(text, "gong shipped it!");
    d = tw_button_config_get(bc, 2);
    CHECK_EQ_STR(d->name, "plain");
    CHECK_EQ_INT(d->action[TW_PRESS_SINGLE], TW_ACTION_BLOCKER); /* defaults */
    CHECK_EQ_INT(d->action[TW_PRESS_LONG], TW_ACTION_RESOLVE_OWN);
    CHECK(!tw_button_config_discover(bc));
    CHECK_EQ_STR(tw_button_config_z2m_base(bc), "z2m");
    CHECK(tw_button_config_get(bc, 3) == NULL);
    tw_button_config_destroy(bc);
    tw_button_config_destroy(NULL);
    CHECK(tw_button_config_discover(NULL));

    /* Every error names the file, the line and the key. */
    CONFIG_ERROR("[button \"x\"]\nsource = zigbee\ndevice = d\n",
                 "buttons.conf:2: source: unknown source \"zigbee\" (zigbee2mqtt, tasmota,");
    CONFIG_ERROR("[button \"x\"]\nsource = mqtt\ndevice = x\n\ndouble = panic\n",
                 ":5: double: unknown action \"panic\" (blocker, question, win, resolve-own,");
    CONFIG_ERROR("[board]\nteam = acme\n[button \"x\"]\nsource = mqtt\nwho = Ana\n",
                 ":3: device: missing in [button \"x\"]");
    CONFIG_ERROR("[board]\nteam = acme\n[button \"y\"]\n\n[board]\nid = w\n",
                 ":3: device: missing in [button \"y\"]");
    CONFIG_ERROR("[button \"x\"]\ndevice = d\n", ":1: source: missing in [button \"x\"]");
    CONFIG_ERROR("[button \"a\"]\nsource = zigbee2mqtt\ndevice = d\n"
                 "[button \"b\"]\nsource = zigbee2mqtt\ndevice = d\n",
                 ":4: device: \"d\" is also [button \"a\"]");
    CONFIG_ERROR("[button \"a\"]\nsource = key\ndevice = KP_1\n"
                 "[button \"b\"]\nsource = key\ndevice = Keypad 1\n",
                 ":4: device: \"Keypad 1\" is also [button \"a\"]");
    CONFIG_ERROR("[button \"a b\"]\nsource = key\n",
                 ":2: source: button name must be 1-32 of [A-Za-z0-9_-]");
    CONFIG_ERROR("[button \"a\n", ":1: syntax error");
    CONFIG_ERROR("[buttonx]\nsource = key\n", ":2: source: unknown section [buttonx]");
    CONFIG_ERROR("[button \"x\"]\nsource = key\ndevice = F1\ncolour = red\n",
                 ":4: colour: unknown key in a button section");
    CONFIG_ERROR("[button \"x\"]\nsource = mqtt\ndevice = d\ninput = 1\n",
                 ":1: input: mqtt buttons have one input");
    CONFIG_ERROR("[button \"x\"]\nsource = zigbee2mqtt\ndevice = d\ninput = 1\n"
                 "[button \"y\"]\nsource = zigbee2mqtt\ndevice = d\ninput = 1\n",
                 ":5: device: \"d\" input 1 is also [button \"x\"]");
    CONFIG_ERROR("[button \"x\"]\nsource = zigbee2mqtt\ndevice = room/#\n", ":3: device: must be");
    CONFIG_ERROR("[button \"x\"]\nsource = zigbee2mqtt\ndevice = /lead\n", ":3: device: must be");
    CONFIG_ERROR("[button \"x\"]\nsource = mqtt\ndevice = a/b\n", ":1: device: an mqtt button");
    CONFIG_ERROR("[button \"x\"]\nsource = key\ndevice = F1\noffline_minutes = -1\n",
                 ":4: offline_minutes: must be 0-10080");
    CONFIG_ERROR("[button \"x\"]\nsource = key\ndevice = F1\noffline_minutes = 0.001\n",
                 ":4: offline_minutes: must be 0-10080 minutes (fractions allowed, at least");
    CONFIG_ERROR("[button \"x\"]\nsource = key\ndevice = F1\noffline_minutes = nan\n",
                 ":4: offline_minutes: must be 0-10080");
    CONFIG_ERROR("[button \"x\"]\nsource = key\ndevice = F1\nwho = \x01\n", ":4: who: is empty");
    CONFIG_ERROR("[button \"x\"]\nsource = shelly\ndevice = s\ninput = a b\n",
                 ":4: input: must be 1-32 of [A-Za-z0-9_:-]");
    CONFIG_ERROR("[buttons]\ndiscover = maybe\n", ":2: discover: not a boolean");
    CONFIG_ERROR("[buttons]\nzigbee2mqtt_topic = z2m/+\n", ":2: zigbee2mqtt_topic: not a topic");
    CONFIG_ERROR("[buttons]\nsource = key\n", ":2: source: unknown key in [buttons]");

    /* Without a place to keep them, values are still checked (the bridge). */
    char path[600];
    snprintf(path, sizeof(path), "%s/buttons-null.conf", dir);
    FILE *f = fopen(path, "w");
    fputs("[button \"x\"]\nsource = zigbee2mqtt\ndevice = d\n[buttons]\ndiscover = no\n", f);
    fclose(f);
    tw_config cfg;
    tw_config_defaults(&cfg);
    tw_button_config_install(NULL);
    CHECK_EQ_INT(tw_config_load(&cfg, path, err, sizeof(err)), 0);
    CHECK_EQ_INT(tw_button_config_check(NULL, path, err, sizeof(err)), 0);
    f = fopen(path, "w");
    fputs("[button \"x\"]\nsource = zigbee\n", f);
    fclose(f);
    CHECK_EQ_INT(tw_config_load(&cfg, path, err, sizeof(err)), TW_ERR_PARSE);
    CHECK(strstr(err, ":2: source: unknown source") != NULL);

    /* Action and key names. */
    for (int a = 0; a < TW_ACTION_COUNT; a++)
        CHECK_EQ_INT(tw_button_action_parse(tw_button_action_name((tw_button_action)a)), a);
    CHECK_EQ_INT(tw_button_action_parse("standup"), -1);
    CHECK(tw_button_action_available(TW_ACTION_CLAIM_OLDEST));
    CHECK(tw_button_action_available(TW_ACTION_STANDUP_NEXT));
    char k1[64], k2[64];
    tw_button_key_normalize("KP_1", k1, sizeof(k1));
    tw_button_key_normalize("Keypad 1", k2, sizeof(k2));
    CHECK_EQ_STR(k1, "kp1");
    CHECK_EQ_STR(k2, "kp1");
    tw_button_key_normalize("KEY_F1", k1, sizeof(k1));
    CHECK_EQ_STR(k1, "f1");
    tw_button_key_normalize("Keypad -", k1, sizeof(k1));
    CHECK_EQ_STR(k1, "kp-");
    tw_button_key_normalize("Page Down", k1, sizeof(k1));
    CHECK_EQ_STR(k1, "pagedown");
}

/* ---- the running module ---- */

static const char *const fixture_config = "[board]\n"
                                          "team = acme\n"
                                          "[buttons]\n"
                                          "win_text = {who} shipped it!\n"
                                          "[button \"desk-3\"]\n"
                                          "source = zigbee2mqtt\n"
                                          "device = Desk 3 button\n"
                                          "who = Ana\n"
                                          "[button \"ben\"]\n"
                                          "source = shelly\n"
                                          "device = shellybutton1-E8DB84AA196D\n"
                                          "who = Ben\n"
                                          "double = claim-oldest\n"
                                          "[button \"gong\"]\n"
                                          "source = shelly-gen2\n"
                                          "device = shellyplusi4-c4d8d5568e44\n"
                                          "input = 0\n"
                                          "who = Team\n"
                                          "single = win\n"
                                          "double = none\n"
                                          "long = standup-next\n"
                                          "[button \"cleo\"]\n"
                                          "source = esphome\n"
                                          "device = desk5\n"
                                          "who = Cleo\n"
                                          "[button \"dan\"]\n"
                                          "source = tasmota\n"
                                          "device = sonoff-desk\n"
                                          "who = Dan\n"
                                          "blocker_text = Dan needs a hand\n"
                                          "[button \"eve\"]\n"
                                          "source = mqtt\n"
                                          "device = eve\n"
                                          "who = Eve\n"
                                          "[button \"fkey\"]\n"
                                          "source = key\n"
                                          "device = F1\n"
                                          "who = Fay\n"
                                          "offline_minutes = 0\n";

typedef struct {
    char path[600];
    tw_store *store;
    tw_board *board;
    tw_warnings *w;
    tw_button_config *bc;
    tw_buttons *b;
    int64_t mono, now;
    int rc;           /* of the last tw_buttons_message */
    char reason[160]; /* its rejection reason */
    tw_command last;  /* the last command applied */
} fixture;

static void fx_start(fixture *f)
{
    tw_buttons_options o = {.config = f->bc,
                            .root = "teamwall/acme",
                            .store = f->store,
                            .board = f->board,
                            .warnings = f->w};
    CHECK_EQ_INT(tw_buttons_create(&o, f->now, &f->b), 0);
}

static void fx_open(fixture *f, const char *name, const char *config)
{
    memset(f, 0, sizeof(*f));
    snprintf(f->path, sizeof(f->path), "%s/%s", dir, name);
    remove_db(f->path);
    char err[512];
    if (load_config(config, &f->bc, err, sizeof(err)))
        fprintf(stderr, "fixture config: %s\n", err);
    CHECK_EQ_INT(tw_store_open(f->path, NULL, &f->store), 0);
    CHECK_EQ_INT(tw_board_create(f->store, &f->board), 0);
    f->w = tw_warnings_create();
    f->mono = 100000;
    f->now = NOW;
    fx_start(f);
}

static void fx_close(fixture *f)
{
    tw_buttons_destroy(f->b);
    tw_board_destroy(f->board);
    tw_store_close(f->store);
    tw_warnings_destroy(f->w);
    tw_button_config_destroy(f->bc);
}

/* Apply what the presses made; returns how many commands changed the board. */
static int apply(fixture *f)
{
    tw_command c;
    int n = 0;
    while (tw_buttons_next_command(f->b, &c)) {
        tw_board_result r;
        if (tw_board_apply(f->board, &c, f->now, &r) == 0 && r.changed)
            n++;
        f->last = c;
    }
    return n;
}

/* One message in one transaction, as the app does it. */
static int msg_at(fixture *f, const char *topic, const char *payload, size_t len, bool retained)
{
    CHECK_EQ_INT(tw_store_begin(f->store), 0);
    f->rc = tw_buttons_message(f->b, topic, payload, len, retained, f->mono, f->now, f->reason,
                               sizeof(f->reason));
    int n = apply(f);
    CHECK_EQ_INT(tw_store_commit(f->store), 0);
    return n;
}

static int msg(fixture *f, const char *topic, const char *payload)
{
    return msg_at(f, topic, payload, strlen(payload), false);
}

static int retained(fixture *f, const char *topic, const char *payload)
{
    return msg_at(f, topic, payload, strlen(payload), true);
}

static int tick(fixture *f)
{
    CHECK_EQ_INT(tw_store_begin(f->store), 0);
    CHECK_EQ_INT(tw_buttons_tick(f->b, f->mono, f->now), 0);
    int n = apply(f);
    CHECK_EQ_INT(tw_store_commit(f->store), 0);
    return n;
}

struct count {
    const char *author;
    int kind;  /* -1 any */
    int state; /* -1 any */
    int n;
    tw_item last;
};

static int count_one(void *ctx, const tw_item *it)
{
    struct count *c = ctx;
    if ((!c->author || strcmp(it->author, c->author) == 0) &&
        (c->kind < 0 || (int)it->kind == c->kind) && (c->state < 0 || (int)it->state == c->state)) {
        c->n++;
        c->last = *it;
    }
    return 0;
}

static int items(fixture *f, const char *author, int kind, int state, tw_item *last)
{
    struct count c = {author, kind, state, 0, {0}};
    tw_store_each(f->store, true, count_one, &c);
    if (last)
        *last = c.last;
    return c.n;
}

static const tw_warning *warning(fixture *f, const char *key)
{
    size_t n;
    const tw_warning *w = tw_warnings_list(f->w, &n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(w[i].key, key) == 0)
            return &w[i];
    return NULL;
}

static int presses_recorded(fixture *f, const char *button)
{
    char sql[200], buf[32];
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM button_presses WHERE button = '%s'", button);
    raw_text(f->path, sql, buf, sizeof(buf));
    return atoi(buf);
}

struct topics {
    char t[64][256];
    int n;
};

static void add_topic(void *ctx, const char *filter)
{
    struct topics *t = ctx;
    if (t->n < 64)
        snprintf(t->t[t->n++], sizeof(t->t[0]), "%s", filter);
}

static bool has(const struct topics *t, const char *s)
{
    for (int i = 0; i < t->n; i++)
        if (strcmp(t->t[i], s) == 0)
            return true;
    return false;
}

static void test_topics(void)
{
    fixture f;
    fx_open(&f, "topics.db", fixture_config);
    struct topics t = {0};
    tw_buttons_topics(f.b, add_topic, &t);
    /* Discovery wildcards of the sources in use (and the board's own). */
    CHECK(has(&t, "zigbee2mqtt/+"));
    CHECK(has(&t, "shellies/+/input_event/+"));
    CHECK(has(&t, "+/events/rpc"));
    CHECK(has(&t, "stat/+/RESULT"));
    CHECK(has(&t, "teamwall/acme/button/+"));
    /* Exact topics the wildcards do not cover; none twice. */
    CHECK(has(&t, "zigbee2mqtt/Desk 3 button/availability"));
    CHECK(!has(&t, "zigbee2mqtt/Desk 3 button"));
    CHECK(has(&t, "shellies/shellybutton1-E8DB84AA196D/sensor/battery"));
    CHECK(has(&t, "shellies/shellybutton1-E8DB84AA196D/online"));
    CHECK(!has(&t, "shellies/shellybutton1-E8DB84AA196D/input_event/+"));
    CHECK(has(&t, "shellyplusi4-c4d8d5568e44/online"));
    CHECK(has(&t, "desk5/binary_sensor/+/state"));
    CHECK(has(&t, "desk5/status"));
    CHECK(has(&t, "stat/sonoff-desk/BUTTON1"));
    CHECK(has(&t, "tele/sonoff-desk/LWT"));
    CHECK(!has(&t, "teamwall/acme/button/eve"));
    CHECK(has(&t, "zigbee2mqtt/bridge/devices")); /* models and action words */
    CHECK_EQ_INT(t.n, 14);
    for (int i = 0; i < t.n; i++)
        for (int j = 0; j < i; j++)
            CHECK(strcmp(t.t[i], t.t[j]) != 0);
    fx_close(&f);

    /* discover = false: exactly the configured devices. */
    fx_open(&f, "topics2.db",
            "[buttons]\ndiscover = false\n"
            "[button \"a\"]\nsource = zigbee2mqtt\ndevice = Desk 3 button\n"
            "[button \"b\"]\nsource = mqtt\ndevice = b\n");
    t.n = 0;
    tw_buttons_topics(f.b, add_topic, &t);
    CHECK_EQ_INT(t.n, 4);
    CHECK(has(&t, "zigbee2mqtt/bridge/devices"));
    CHECK(has(&t, "zigbee2mqtt/Desk 3 button"));
    CHECK(has(&t, "zigbee2mqtt/Desk 3 button/availability"));
    CHECK(has(&t, "teamwall/acme/button/b"));
    fx_close(&f);

    /* No buttons at all: the board's own button topic only. */
    fx_open(&f, "topics3.db", "[board]\nteam = acme\n");
    t.n = 0;
    tw_buttons_topics(f.b, add_topic, &t);
    CHECK_EQ_INT(t.n, 1);
    CHECK(has(&t, "teamwall/acme/button/+"));
    fx_close(&f);
}

static void test_zigbee2mqtt(void)
{
    fixture f;
    fx_open(&f, "z2m.db", fixture_config);
    const char *t = "zigbee2mqtt/Desk 3 button";
    /* Retained state on subscribe: nothing. */
    CHECK_EQ_INT(retained(&f, t, "{\"action\":\"single\",\"battery\":100}"), 0);
    CHECK_EQ_INT(f.rc, 1);
    CHECK_EQ_INT(items(&f, NULL, -1, -1, NULL), 0);
    /* A press, then the empty action reset zigbee2mqtt sends after it. */
    f.mono += 1000;
    CHECK_EQ_INT(msg(&f, t, "{\"action\":\"single\",\"battery\":100,\"linkquality\":134}"), 1);
    tw_item it;
    CHECK_EQ_INT(items(&f, "Ana", TW_KIND_BLOCKER, TW_STATE_OPEN, &it), 1);
    CHECK_EQ_STR(it.text, "Ana is blocked");
    CHECK_EQ_STR(it.source, "button");
    CHECK(strncmp(it.id, "btn:desk-3:t", 12) == 0);
    CHECK_EQ_INT(msg(&f, t, "{\"action\":\"\",\"battery\":100,\"linkquality\":134}"), 0);
    /* The same press reported twice within 300 ms (Aqara does): one. */
    f.mono += 2000;
    CHECK_EQ_INT(msg(&f, t, "{\"action\":\"double\",\"battery\":100}"), 1);
    f.mono += 120;
    CHECK_EQ_INT(msg(&f, t, "{\"action\":\"double\",\"battery\":100}"), 0);
    CHECK_EQ_INT(items(&f, "Ana", TW_KIND_QUESTION, -1, &it), 1);
    CHECK_EQ_STR(it.text, "Ana has a question");
    /* ... but 300 ms later it is a new press. */
    f.mono += 400;
    CHECK_EQ_INT(msg(&f, t, "{\"action\":\"double\",\"battery\":100}"), 1);
    CHECK_EQ_INT(items(&f, "Ana", TW_KIND_QUESTION, -1, NULL), 2);
    /* Release, null, legacy click. */
    f.mono += 1000;
    CHECK_EQ_INT(msg(&f, t, "{\"action\":\"release\"}"), 0);
    CHECK_EQ_INT(msg(&f, t, "{\"action\":null}"), 0);
    CHECK_EQ_INT(msg(&f, t, "{\"click\":\"single\",\"battery\":99}"), 1);
    CHECK_EQ_INT(items(&f, "Ana", TW_KIND_BLOCKER, -1, NULL), 2);
    /* Hold: resolve-own resolves the newest open item this button raised. */
    f.mono += 1000;
    CHECK_EQ_INT(msg(&f, t, "{\"action\":\"hold\"}"), 1);
    CHECK_EQ_INT(f.last.type, TW_CMD_RESOLVE);
    CHECK_EQ_STR(f.last.author, "Ana");
    CHECK_EQ_INT(items(&f, "Ana", TW_KIND_BLOCKER, TW_STATE_RESOLVED, &it), 1);
    CHECK_EQ_STR(it.resolved_by, "Ana");
    CHECK_EQ_INT(items(&f, "Ana", -1, TW_STATE_OPEN, NULL), 3);
    /* Three more holds clear the rest; a fourth finds nothing. */
    for (int i = 0; i < 4; i++) {
        f.mono += 1000;
        msg(&f, t, "{\"action\":\"hold\"}");
    }
    CHECK_EQ_INT(items(&f, "Ana", -1, TW_STATE_OPEN, NULL), 0);
    CHECK_EQ_INT(items(&f, "Ana", -1, TW_STATE_RESOLVED, NULL), 4);
    CHECK_EQ_INT(presses_recorded(&f, "desk-3"), 9);
    /* last_seen with ms is the press's identity: the same message delivered
     * again, much later, counts once. */
    const char *ls = "{\"action\":\"single\",\"last_seen\":1764062043123}";
    f.mono += 1000;
    CHECK_EQ_INT(msg(&f, t, ls), 1);
    f.mono += 5000;
    CHECK_EQ_INT(msg(&f, t, ls), 0);
    CHECK_EQ_INT(items(&f, "Ana", TW_KIND_BLOCKER, TW_STATE_OPEN, NULL), 1);
    /* Not a button's topic. */
    CHECK_EQ_INT(tw_buttons_message(f.b, "teamwall/acme/post", "{}", 2, false, f.mono, f.now,
                                    f.reason, sizeof(f.reason)),
                 0);
    CHECK_EQ_INT(tw_buttons_message(f.b, "zigbee2mqtt/bridge/state", "online", 6, true, f.mono,
                                    f.now, f.reason, sizeof(f.reason)),
                 0);
    /* The buttons table. */
    tw_button_row row;
    CHECK_EQ_INT(tw_store_button_get(f.store, "zigbee2mqtt", "Desk 3 button", "", &row), 0);
    CHECK_EQ_STR(row.name, "desk-3");
    CHECK_EQ_INT(row.battery, 99);
    CHECK_EQ_INT(row.online, 1); /* it pressed: it is up */
    CHECK_EQ_INT(row.presses, 10);
    CHECK_EQ_STR(row.last_action, "single");
    CHECK_EQ_INT(row.last_press, NOW);
    fx_close(&f);
}

static void test_shelly(void)
{
    fixture f;
    fx_open(&f, "shelly.db", fixture_config);
    const char *t = "shellies/shellybutton1-E8DB84AA196D/input_event/0";
    CHECK_EQ_INT(retained(&f, t, "{\"event\":\"S\",\"event_cnt\":4}"), 0);
    CHECK_EQ_INT(msg(&f, t, "{\"event\":\"S\",\"event_cnt\":5}"), 1);
    tw_item it;
    CHECK_EQ_INT(items(&f, "Ben", TW_KIND_BLOCKER, TW_STATE_OPEN, &it), 1);
    CHECK_EQ_STR(it.id, "btn:ben:e0c5");
    /* The same event_cnt again, whenever: already counted. */
    f.mono += 10000;
    CHECK_EQ_INT(msg(&f, t, "{\"event\":\"S\",\"event_cnt\":5}"), 0);
    CHECK_EQ_INT(presses_recorded(&f, "ben"), 1);
    /* Double: claim-oldest takes the oldest open blocker that is not Ben's. */
    tw_command post = {.type = TW_CMD_POST,
                       .kind = TW_KIND_BLOCKER,
                       .author = "Cleo",
                       .text = "CI is red",
                       .id = "cleo-1"};
    CHECK_EQ_INT(tw_board_apply(f.board, &post, NOW, NULL), 0);
    CHECK_EQ_INT(msg(&f, t, "{\"event\":\"SS\",\"event_cnt\":6}"), 1);
    CHECK_EQ_INT(f.last.type, TW_CMD_CLAIM);
    tw_item got;
    CHECK_EQ_INT(tw_store_get(f.store, "cleo-1", &got), 0);
    CHECK_EQ_INT(got.state, TW_STATE_CLAIMED);
    CHECK_EQ_STR(got.claimed_by, "Ben");
    f.mono += 1000;
    CHECK_EQ_INT(msg(&f, t, "{\"event\":\"SS\",\"event_cnt\":7}"), 0); /* none left */
    /* Long: resolve-own. */
    f.mono += 1000;
    CHECK_EQ_INT(msg(&f, t, "{\"event\":\"L\",\"event_cnt\":8}"), 1);
    CHECK_EQ_INT(items(&f, "Ben", TW_KIND_BLOCKER, TW_STATE_RESOLVED, NULL), 1);
    /* Battery below 15 %: a warning; charged: cleared. */
    CHECK_EQ_INT(retained(&f, "shellies/shellybutton1-E8DB84AA196D/sensor/battery", "9"), 0);
    const tw_warning *w = warning(&f, "battery:ben");
    CHECK(w != NULL);
    if (w) {
        CHECK_EQ_STR(w->text, "Button ben (Ben): battery 9 %");
        CHECK_EQ_INT(w->level, TW_WARN_WARNING);
    }
    /* The counter restarts (new batteries): presses count again, with new ids. */
    f.mono += 1000;
    CHECK_EQ_INT(msg(&f, t, "{\"event\":\"S\",\"event_cnt\":1}"), 1);
    CHECK_EQ_INT(items(&f, "Ben", TW_KIND_BLOCKER, TW_STATE_OPEN, &it), 1);
    CHECK_EQ_STR(it.id, "btn:ben:e1c1");
    CHECK_EQ_INT(msg(&f, "shellies/shellybutton1-E8DB84AA196D/sensor/battery", "100"), 0);
    CHECK(warning(&f, "battery:ben") == NULL);
    /* A restart of the board remembers the counter and the battery. */
    CHECK_EQ_INT(msg(&f, "shellies/shellybutton1-E8DB84AA196D/sensor/battery", "12"), 0);
    tw_buttons_destroy(f.b);
    tw_warnings_destroy(f.w);
    f.w = tw_warnings_create();
    fx_start(&f);
    CHECK(warning(&f, "battery:ben") != NULL);
    f.mono += 100000;
    CHECK_EQ_INT(msg(&f, t, "{\"event\":\"S\",\"event_cnt\":1}"), 0);
    CHECK_EQ_INT(msg(&f, t, "{\"event\":\"S\",\"event_cnt\":2}"), 1);
    /* Online and offline. */
    CHECK_EQ_INT(retained(&f, "shellies/shellybutton1-E8DB84AA196D/online", "false"), 0);
    tw_button_row row;
    CHECK_EQ_INT(tw_store_button_get(f.store, "shelly", "shellybutton1-E8DB84AA196D", "", &row), 0);
    CHECK_EQ_INT(row.online, 0);
    CHECK_EQ_INT(row.has_counter, 1);
    CHECK_EQ_INT(row.counter, 2);
    CHECK_EQ_INT(row.counter_epoch, 1);
    fx_close(&f);
}

static void test_gen2_tasmota_mqtt(void)
{
    fixture f;
    fx_open(&f, "gen2.db", fixture_config);
    const char *t = "shellyplusi4-c4d8d5568e44/events/rpc";
    const char *single = "{\"src\":\"shellyplusi4-c4d8d5568e44\",\"dst\":\"shellyplusi4-"
                         "c4d8d5568e44/events\",\"method\":\"NotifyEvent\",\"params\":{\"ts\":"
                         "1631266595.43,\"events\":[{\"component\":\"input:0\",\"id\":0,"
                         "\"event\":\"single_push\",\"ts\":1631266595.43}]}}";
    CHECK_EQ_INT(msg(&f, t, single), 1);
    tw_item it;
    CHECK_EQ_INT(items(&f, "Team", TW_KIND_WIN, TW_STATE_OPEN, &it), 1);
    CHECK_EQ_STR(it.text, "Team shipped it!"); /* [buttons] win_text */
    /* Delivered again (QoS 1 redelivery), seconds later: the same id. */
    f.mono += 5000;
    CHECK_EQ_INT(msg(&f, t, single), 0);
    CHECK_EQ_INT(presses_recorded(&f, "gong"), 1);
    /* Input 1 is not gong's: an unassigned button. */
    CHECK_EQ_INT(msg(&f, t,
                     "{\"method\":\"NotifyEvent\",\"params\":{\"ts\":2.0,\"events\":[{"
                     "\"component\":\"input:1\",\"id\":1,\"event\":\"single_push\"}]}}"),
                 0);
    const tw_warning *w = warning(&f, "unassigned:shelly-gen2:shellyplusi4-c4d8d5568e44 input 1");
    CHECK(w != NULL);
    if (w) {
        CHECK_EQ_STR(w->text, "Unassigned button shellyplusi4-c4d8d5568e44 input 1 pressed");
        CHECK_EQ_INT(w->expires, NOW + 60);
        CHECK_EQ_INT(w->level, TW_WARN_INFO);
    }
    /* double = none; long = standup-next (not available yet): recorded,
     * nothing changes. */
    CHECK_EQ_INT(msg(&f, t,
                     "{\"method\":\"NotifyEvent\",\"params\":{\"ts\":3.0,\"events\":[{"
                     "\"component\":\"input:0\",\"id\":0,\"event\":\"double_push\"}]}}"),
                 0);
    CHECK_EQ_INT(msg(&f, t,
                     "{\"method\":\"NotifyEvent\",\"params\":{\"ts\":4.0,\"events\":[{"
                     "\"component\":\"input:0\",\"id\":0,\"event\":\"long_push\"}]}}"),
                 0);
    CHECK_EQ_INT(presses_recorded(&f, "gong"), 3);
    CHECK_EQ_INT(items(&f, NULL, -1, -1, NULL), 1);

    /* Tasmota: the new and the old form, and its own blocker text. */
    CHECK_EQ_INT(msg(&f, "stat/sonoff-desk/RESULT", "{\"Button1\":{\"Action\":\"SINGLE\"}}"), 1);
    CHECK_EQ_INT(items(&f, "Dan", TW_KIND_BLOCKER, -1, &it), 1);
    CHECK_EQ_STR(it.text, "Dan needs a hand");
    f.mono += 1000;
    CHECK_EQ_INT(msg(&f, "stat/sonoff-desk/BUTTON1", "{\"ACTION\":\"DOUBLE\"}"), 1);
    CHECK_EQ_INT(items(&f, "Dan", TW_KIND_QUESTION, -1, NULL), 1);
    CHECK_EQ_INT(msg(&f, "stat/sonoff-desk/RESULT", "{\"POWER\":\"OFF\"}"), 0);
    f.mono += 1000;
    CHECK_EQ_INT(msg(&f, "stat/sonoff-desk/RESULT", "{\"Button1\":{\"Action\":\"HOLD\"}}"), 1);
    CHECK_EQ_INT(items(&f, "Dan", -1, TW_STATE_RESOLVED, NULL), 1);
    /* Another Tasmota nobody configured. */
    CHECK_EQ_INT(msg(&f, "stat/tasmota_7F3E21/RESULT", "{\"Button1\":{\"Action\":\"SINGLE\"}}"), 0);
    CHECK(warning(&f, "unassigned:tasmota:tasmota_7F3E21") != NULL);

    /* The board's own topic, and producer ids. */
    CHECK_EQ_INT(msg(&f, "teamwall/acme/button/eve", "single"), 1);
    CHECK_EQ_INT(items(&f, "Eve", TW_KIND_BLOCKER, -1, NULL), 1);
    f.mono += 1000;
    CHECK_EQ_INT(msg(&f, "teamwall/acme/button/eve", "{\"action\":\"double\",\"id\":\"ci-7\"}"), 1);
    f.mono += 1000;
    CHECK_EQ_INT(msg(&f, "teamwall/acme/button/eve", "{\"action\":\"double\",\"id\":\"ci-7\"}"), 0);
    CHECK_EQ_INT(items(&f, "Eve", TW_KIND_QUESTION, -1, NULL), 1);
    CHECK_EQ_INT(msg(&f, "teamwall/acme/button/eve", "triple"), 0);
    CHECK_EQ_INT(f.rc, 1);
    CHECK_EQ_STR(f.reason, "action must be single, double or long, not \"triple\"");
    CHECK_EQ_INT(retained(&f, "teamwall/acme/button/eve", "single"), 0);
    CHECK_EQ_STR(f.reason, "");
    /* An mqtt button nobody configured. */
    CHECK_EQ_INT(msg(&f, "teamwall/acme/button/desk-42", "long"), 0);
    CHECK_EQ_INT(f.rc, 1);
    w = warning(&f, "unassigned:mqtt:desk-42");
    CHECK(w != NULL);
    if (w)
        CHECK_EQ_STR(w->text, "Unassigned button desk-42 pressed");
    CHECK_EQ_INT(msg(&f, "teamwall/acme/button/desk-43", "{\"action\":1}"), 0);
    CHECK_EQ_STR(f.reason, "action must be a string");
    /* The unassigned expire after a minute. */
    CHECK(tw_warnings_expire(f.w, NOW + 60));
    CHECK(warning(&f, "unassigned:mqtt:desk-42") == NULL);

    /* Every button seen, in the store's order: configured by name, then
     * the unassigned. */
    char buf[600];
    raw_text(f.path,
             "SELECT group_concat(CASE name WHEN '' THEN '-' || device ELSE name END, ',') FROM "
             "(SELECT * FROM buttons ORDER BY name = '', name, last_press DESC, device)",
             buf, sizeof(buf));
    CHECK_EQ_STR(buf, "dan,eve,gong,-desk-42,-shellyplusi4-c4d8d5568e44,-tasmota_7F3E21");
    fx_close(&f);
}

static void test_edges(void)
{
    fixture f;
    fx_open(&f, "edges.db", fixture_config);
    const char *t = "desk5/binary_sensor/desk_button/state";
    /* ESPHome retains its state: a retained ON must not start a press. */
    CHECK_EQ_INT(retained(&f, t, "ON"), 0);
    CHECK_EQ_INT(tw_buttons_next_deadline(f.b, f.mono, f.now), 0);
    /* Short: a single once no second press came within 400 ms. */
    CHECK_EQ_INT(msg(&f, t, "ON"), 0);
    CHECK_EQ_INT(tw_buttons_next_deadline(f.b, f.mono, f.now), f.mono + 800);
    f.mono += 120;
    CHECK_EQ_INT(msg(&f, t, "OFF"), 0);
    CHECK_EQ_INT(tw_buttons_next_deadline(f.b, f.mono, f.now), f.mono + 400);
    f.mono += 399;
    CHECK_EQ_INT(tick(&f), 0);
    f.mono += 1;
    CHECK_EQ_INT(tick(&f), 1);
    CHECK_EQ_INT(items(&f, "Cleo", TW_KIND_BLOCKER, TW_STATE_OPEN, NULL), 1);
    CHECK_EQ_INT(tw_buttons_next_deadline(f.b, f.mono, f.now), 0);
    /* Double: the second ON within 400 ms of the release. */
    f.mono += 2000;
    msg(&f, t, "ON");
    f.mono += 100;
    msg(&f, t, "OFF");
    f.mono += 250;
    CHECK_EQ_INT(msg(&f, t, "ON"), 1);
    CHECK_EQ_INT(items(&f, "Cleo", TW_KIND_QUESTION, TW_STATE_OPEN, NULL), 1);
    f.mono += 100;
    CHECK_EQ_INT(msg(&f, t, "OFF"), 0);
    f.mono += 1000;
    CHECK_EQ_INT(tick(&f), 0);
    /* Long: held 800 ms, reported without waiting for the release. */
    f.mono += 2000;
    msg(&f, t, "ON");
    f.mono += 799;
    CHECK_EQ_INT(tick(&f), 0);
    f.mono += 1;
    CHECK_EQ_INT(tick(&f), 1); /* resolve-own: the newest of Cleo's */
    CHECK_EQ_INT(items(&f, "Cleo", TW_KIND_QUESTION, TW_STATE_RESOLVED, NULL), 1);
    f.mono += 1500;
    CHECK_EQ_INT(msg(&f, t, "OFF"), 0);
    CHECK_EQ_INT(tick(&f), 0);
    /* Stray edges: OFF without ON, ON twice. */
    f.mono += 2000;
    CHECK_EQ_INT(msg(&f, t, "OFF"), 0);
    msg(&f, t, "ON");
    f.mono += 50;
    msg(&f, t, "ON");
    f.mono += 50;
    msg(&f, t, "OFF");
    f.mono += 400;
    CHECK_EQ_INT(tick(&f), 1);
    CHECK_EQ_INT(items(&f, "Cleo", TW_KIND_BLOCKER, TW_STATE_OPEN, NULL), 2);
    /* A late tick: the second press came after the window, so two singles. */
    f.mono += 2000;
    msg(&f, t, "ON");
    f.mono += 100;
    msg(&f, t, "OFF");
    f.mono += 600;
    msg(&f, t, "ON");
    f.mono += 100;
    msg(&f, t, "OFF");
    f.mono += 400;
    tick(&f);
    CHECK_EQ_INT(items(&f, "Cleo", TW_KIND_BLOCKER, TW_STATE_OPEN, NULL), 4);
    /* Status. */
    CHECK_EQ_INT(retained(&f, "desk5/status", "offline"), 0);
    tw_button_row row;
    CHECK_EQ_INT(tw_store_button_get(f.store, "esphome", "desk5", "", &row), 0);
    CHECK_EQ_INT(row.online, 0);

    /* Keys: the same timing, fed by firmware/input.c, stored on the tick. */
    CHECK(tw_buttons_key(f.b, "F1", TW_EDGE_DOWN, f.mono));
    CHECK(!tw_buttons_key(f.b, "F2", TW_EDGE_DOWN, f.mono));
    CHECK(!tw_buttons_key(f.b, "Left", TW_EDGE_DOWN, f.mono));
    f.mono += 90;
    CHECK(tw_buttons_key(f.b, "f1", TW_EDGE_UP, f.mono));
    f.mono += 400;
    CHECK_EQ_INT(tw_buttons_next_deadline(f.b, f.mono, f.now), f.mono - 90 + 90);
    CHECK_EQ_INT(tick(&f), 1);
    CHECK_EQ_INT(items(&f, "Fay", TW_KIND_BLOCKER, TW_STATE_OPEN, NULL), 1);
    f.mono += 1000;
    tw_buttons_key(f.b, "F1", TW_EDGE_DOWN, f.mono);
    f.mono += 300;
    CHECK(tw_buttons_key(f.b, "F1", TW_EDGE_NONE, f.mono)); /* a repeat: only asks */
    f.mono += 600;
    CHECK_EQ_INT(tick(&f), 1);
    CHECK_EQ_INT(items(&f, "Fay", TW_KIND_BLOCKER, TW_STATE_RESOLVED, NULL), 1);
    tw_buttons_key(f.b, "F1", TW_EDGE_UP, f.mono);
    CHECK_EQ_INT(presses_recorded(&f, "fkey"), 2);
    fx_close(&f);
}

static void test_offline(void)
{
    fixture f;
    fx_open(&f, "offline.db", fixture_config);
    const char *avail = "zigbee2mqtt/Desk 3 button/availability";
    CHECK_EQ_INT(retained(&f, avail, "{\"state\":\"offline\"}"), 0);
    CHECK(warning(&f, "offline:desk-3") == NULL);
    /* The module asks to be woken when the hour is up. */
    CHECK_EQ_INT(tw_buttons_next_deadline(f.b, f.mono, f.now), f.mono + 3600 * 1000);
    f.now += 3599;
    f.mono += 3599 * 1000;
    tick(&f);
    CHECK(warning(&f, "offline:desk-3") == NULL);
    f.now += 1;
    f.mono += 1000;
    tick(&f);
    const tw_warning *w = warning(&f, "offline:desk-3");
    CHECK(w != NULL);
    if (w) {
        CHECK_EQ_STR(w->text, "Button desk-3 (Ana) offline since 09:00");
        /* The banner's "since" is the text's minute, not the hour later
         * when the warning was raised. */
        CHECK_EQ_INT(w->since, f.now - 3600);
    }
    CHECK_EQ_INT(tw_buttons_next_deadline(f.b, f.mono, f.now), 0);
    /* A restart remembers since when (a retained offline keeps the time). */
    tw_buttons_destroy(f.b);
    tw_warnings_destroy(f.w);
    f.w = tw_warnings_create();
    fx_start(&f);
    CHECK(warning(&f, "offline:desk-3") != NULL);
    CHECK_EQ_INT(retained(&f, avail, "offline"), 0);
    CHECK(warning(&f, "offline:desk-3") != NULL);
    /* Back: cleared. */
    CHECK_EQ_INT(retained(&f, avail, "online"), 0);
    CHECK(warning(&f, "offline:desk-3") == NULL);
    /* A press proves it is up, whatever the last will said. */
    CHECK_EQ_INT(msg(&f, avail, "offline"), 0);
    f.now += 7200;
    tick(&f);
    CHECK(warning(&f, "offline:desk-3") != NULL);
    f.mono += 10000;
    msg(&f, "zigbee2mqtt/Desk 3 button", "{\"action\":\"single\"}");
    CHECK(warning(&f, "offline:desk-3") == NULL);
    /* Tasmota's LWT, and a day later. */
    CHECK_EQ_INT(retained(&f, "tele/sonoff-desk/LWT", "Offline"), 0);
    f.now += 86400;
    tick(&f);
    w = warning(&f, "offline:dan");
    CHECK(w != NULL);
    if (w)
        CHECK_EQ_STR(w->text, "Button dan (Dan) offline since 25 Nov 12:00");
    fx_close(&f);
}

/* zigbee2mqtt's device list, as zigbee2mqtt retains it (trimmed). */
static const char z2m_devices[] =
    "[{\"friendly_name\":\"Coordinator\",\"ieee_address\":\"0x00124b0022ab1234\","
    "\"type\":\"Coordinator\",\"definition\":null},"
    "{\"friendly_name\":\"Tuya 4\",\"ieee_address\":\"0xa4c138aaaa000001\",\"type\":\"EndDevice\","
    "\"definition\":{\"model\":\"TS0044\",\"vendor\":\"Tuya\",\"description\":\"Wireless switch "
    "with 4 buttons\",\"exposes\":[{\"type\":\"numeric\",\"name\":\"battery\"},{\"type\":\"enum\","
    "\"name\":\"action\",\"property\":\"action\",\"values\":[\"1_single\",\"1_double\",\"1_hold\","
    "\"2_single\",\"2_double\",\"2_hold\",\"3_single\",\"3_double\",\"3_hold\",\"4_single\","
    "\"4_double\",\"4_hold\"]}]}},"
    "{\"friendly_name\":\"Styrbar\",\"ieee_address\":\"0x000b57fffe000002\",\"type\":\"EndDevice\","
    "\"definition\":{\"model\":\"E2001/E2002/E2313\",\"vendor\":\"IKEA\",\"description\":"
    "\"STYRBAR remote control\",\"exposes\":[{\"type\":\"enum\",\"name\":\"action\",\"values\":["
    "\"on\",\"off\",\"brightness_move_up\",\"brightness_move_down\",\"brightness_stop\","
    "\"arrow_left_click\",\"arrow_left_hold\",\"arrow_left_release\",\"arrow_right_click\","
    "\"arrow_right_hold\",\"arrow_right_release\"]}]}},"
    "{\"friendly_name\":\"Hue dimmer\",\"ieee_address\":\"0x0017880100000003\",\"type\":"
    "\"EndDevice\",\"definition\":{\"model\":\"324131092621\",\"vendor\":\"Philips\","
    "\"description\":\"Hue dimmer switch\",\"exposes\":[{\"type\":\"enum\",\"name\":\"action\","
    "\"values\":[\"on_press\",\"on_press_release\",\"on_hold\",\"on_hold_release\",\"up_press\","
    "\"up_press_release\",\"up_hold\",\"up_hold_release\",\"down_press\",\"down_press_release\","
    "\"down_hold\",\"down_hold_release\",\"off_press\",\"off_press_release\",\"off_hold\","
    "\"off_hold_release\"]}]}}]";

static const char multikey_config[] =
    "[button \"k1\"]\nsource = zigbee2mqtt\ndevice = Tuya 4\n"
    "input = 1\nwho = Ana\n"
    "[button \"k2\"]\nsource = zigbee2mqtt\ndevice = Tuya 4\n"
    "input = 2\nwho = Ben\n"
    "[button \"left\"]\nsource = zigbee2mqtt\ndevice = Styrbar\n"
    "input = left\nwho = Cleo\n"
    "[button \"dim\"]\nsource = zigbee2mqtt\ndevice = Hue dimmer\n"
    "input = up\nwho = Dan\n"
    "[button \"whole\"]\nsource = zigbee2mqtt\n"
    "device = 0x000b57fffe000009\nwho = Eve\n";

static void press_z2m(fixture *f, const char *device, const char *action)
{
    char t[200], p[200];
    snprintf(t, sizeof(t), "zigbee2mqtt/%s", device);
    snprintf(p, sizeof(p), "{\"action\":\"%s\",\"battery\":80}", action);
    f->mono += 1000;
    msg(f, t, p);
}

/* A multi-key device is several buttons; without input, one. */
static void test_multikey(void)
{
    fixture f;
    fx_open(&f, "multikey.db", multikey_config);
    CHECK_EQ_INT(msg(&f, "zigbee2mqtt/bridge/devices", z2m_devices), 0);
    CHECK_EQ_INT(f.rc, 1);
    /* Tuya TS0044: key 1 is Ana's, key 2 Ben's, keys 3 and 4 nobody's. */
    press_z2m(&f, "Tuya 4", "1_single");
    press_z2m(&f, "Tuya 4", "2_double");
    press_z2m(&f, "Tuya 4", "2_single");
    press_z2m(&f, "Tuya 4", "1_hold");
    CHECK_EQ_INT(items(&f, "Ana", TW_KIND_BLOCKER, TW_STATE_RESOLVED, NULL), 1);
    CHECK_EQ_INT(items(&f, "Ben", TW_KIND_QUESTION, TW_STATE_OPEN, NULL), 1);
    CHECK_EQ_INT(items(&f, "Ben", TW_KIND_BLOCKER, TW_STATE_OPEN, NULL), 1);
    press_z2m(&f, "Tuya 4", "3_single");
    tw_button_row row;
    CHECK_EQ_INT(tw_store_button_get(f.store, "zigbee2mqtt", "Tuya 4", "3", &row), 0);
    CHECK_EQ_STR(row.name, "");
    CHECK_EQ_STR(row.vendor, "Tuya");
    CHECK_EQ_STR(row.model, "TS0044");
    const tw_warning *w = warning(&f, "unassigned:zigbee2mqtt:Tuya 4 input 3");
    CHECK(w != NULL);
    if (w)
        CHECK_EQ_STR(w->text, "New Tuya Wireless switch with 4 buttons key 3 pressed: add it with "
                              "device = Tuya 4, input = 3");
    /* The configured rows learned their model from the list. */
    CHECK_EQ_INT(tw_store_button_get(f.store, "zigbee2mqtt", "Tuya 4", "1", &row), 0);
    CHECK_EQ_STR(row.name, "k1");
    CHECK_EQ_STR(row.model, "TS0044");
    /* STYRBAR's left arrow only; the others are not this button's. */
    press_z2m(&f, "Styrbar", "on");
    press_z2m(&f, "Styrbar", "brightness_move_up");
    press_z2m(&f, "Styrbar", "arrow_right_click");
    CHECK_EQ_INT(items(&f, "Cleo", -1, -1, NULL), 0);
    press_z2m(&f, "Styrbar", "arrow_left_click");
    press_z2m(&f, "Styrbar", "arrow_left_release");
    CHECK_EQ_INT(items(&f, "Cleo", TW_KIND_BLOCKER, TW_STATE_OPEN, NULL), 1);
    press_z2m(&f, "Styrbar", "arrow_left_hold");
    press_z2m(&f, "Styrbar", "arrow_left_release");
    CHECK_EQ_INT(items(&f, "Cleo", TW_KIND_BLOCKER, TW_STATE_RESOLVED, NULL), 1);
    /* Hue dimmer's up key: down and up edges, timed by the board. */
    f.mono += 1000;
    msg(&f, "zigbee2mqtt/Hue dimmer", "{\"action\":\"up_press\"}");
    f.mono += 150;
    msg(&f, "zigbee2mqtt/Hue dimmer", "{\"action\":\"up_press_release\"}");
    CHECK_EQ_INT(tw_buttons_next_deadline(f.b, f.mono, f.now), f.mono + 400);
    f.mono += 400;
    tick(&f);
    CHECK_EQ_INT(items(&f, "Dan", TW_KIND_BLOCKER, TW_STATE_OPEN, NULL), 1);
    /* Two quick presses: a double, not two singles. */
    f.mono += 1000;
    msg(&f, "zigbee2mqtt/Hue dimmer", "{\"action\":\"up_press\"}");
    f.mono += 100;
    msg(&f, "zigbee2mqtt/Hue dimmer", "{\"action\":\"up_press_release\"}");
    f.mono += 150;
    msg(&f, "zigbee2mqtt/Hue dimmer", "{\"action\":\"up_press\"}");
    f.mono += 100;
    msg(&f, "zigbee2mqtt/Hue dimmer", "{\"action\":\"up_press_release\"}");
    f.mono += 500;
    tick(&f);
    CHECK_EQ_INT(items(&f, "Dan", TW_KIND_QUESTION, TW_STATE_OPEN, NULL), 1);
    CHECK_EQ_INT(items(&f, "Dan", TW_KIND_BLOCKER, -1, NULL), 1);
    /* Held: one long (resolve-own), however often it says up_hold. */
    f.mono += 1000;
    msg(&f, "zigbee2mqtt/Hue dimmer", "{\"action\":\"up_press\"}");
    for (int i = 0; i < 3; i++) {
        f.mono += 800;
        tick(&f);
        msg(&f, "zigbee2mqtt/Hue dimmer", "{\"action\":\"up_hold\"}");
    }
    msg(&f, "zigbee2mqtt/Hue dimmer", "{\"action\":\"up_hold_release\"}");
    CHECK_EQ_INT(items(&f, "Dan", -1, TW_STATE_RESOLVED, NULL), 1);
    CHECK_EQ_INT(items(&f, "Dan", -1, TW_STATE_OPEN, NULL), 1);
    /* The on key is not Dan's. */
    f.mono += 1000;
    msg(&f, "zigbee2mqtt/Hue dimmer", "{\"action\":\"on_press\"}");
    f.mono += 100;
    msg(&f, "zigbee2mqtt/Hue dimmer", "{\"action\":\"on_press_release\"}");
    f.mono += 500;
    tick(&f);
    CHECK_EQ_INT(items(&f, "Dan", -1, -1, NULL), 2);
    /* Without input, every key is the one button (a STYRBAR not in the list:
     * IKEA's vocabulary by default). */
    press_z2m(&f, "0x000b57fffe000009", "on");
    press_z2m(&f, "0x000b57fffe000009", "arrow_right_click");
    press_z2m(&f, "0x000b57fffe000009", "brightness_move_down");
    CHECK_EQ_INT(items(&f, "Eve", TW_KIND_BLOCKER, TW_STATE_OPEN, NULL), 1);
    CHECK_EQ_INT(items(&f, "Eve", TW_KIND_BLOCKER, TW_STATE_RESOLVED, NULL), 1);
    /* A word nobody knows: ignored (and logged once). */
    press_z2m(&f, "Styrbar", "frobnicate");
    press_z2m(&f, "Styrbar", "frobnicate");
    CHECK_EQ_INT(items(&f, "Cleo", -1, -1, NULL), 1);
    /* A broken list keeps the old one. */
    CHECK_EQ_INT(msg(&f, "zigbee2mqtt/bridge/devices", "{\"oops\":1}"), 0);
    CHECK_EQ_INT(f.rc, 1);
    press_z2m(&f, "Tuya 4", "4_single");
    CHECK_EQ_INT(tw_store_button_get(f.store, "zigbee2mqtt", "Tuya 4", "4", &row), 0);
    CHECK_EQ_STR(row.model, "TS0044");
    fx_close(&f);
}

static void gen2(fixture *f, const char *device, int input, const char *event)
{
    char t[200], p[400];
    snprintf(t, sizeof(t), "%s/events/rpc", device);
    snprintf(p, sizeof(p),
             "{\"method\":\"NotifyEvent\",\"params\":{\"ts\":%lld.%03lld,\"events\":[{"
             "\"component\":\"input:%d\",\"id\":%d,\"event\":\"%s\",\"ts\":%lld.%03lld}]}}",
             (long long)(f->mono / 1000), (long long)(f->mono % 1000), input, input, event,
             (long long)(f->mono / 1000), (long long)(f->mono % 1000));
    msg(f, t, p);
}

/* Shelly Gen 2/3: a Plus i4's four inputs are four buttons; btn_down and
 * btn_up are timed like ESPHome's edges when the device sends nothing else,
 * and give way to its own pushes when it does. Tasmota: a renamed hold. */
static void test_shelly_edges_tasmota(void)
{
    fixture f;
    fx_open(&f, "gen2-edges.db",
            "[buttons]\ntasmota_hold = LONG\n"
            "[button \"i0\"]\nsource = shelly-gen2\ndevice = i4\ninput = 0\nwho = Ana\n"
            "[button \"i1\"]\nsource = shelly-gen2\ndevice = i4\ninput = 1\nwho = Ben\n"
            "[button \"i2\"]\nsource = shelly-gen2\ndevice = i4\ninput = 2\nwho = Cleo\n"
            "[button \"i3\"]\nsource = shelly-gen2\ndevice = i4\ninput = 3\nwho = Dan\n"
            "[button \"edge\"]\nsource = shelly-gen2\ndevice = blu\nwho = Eve\n"
            "[button \"t\"]\nsource = tasmota\ndevice = sonoff\nwho = Fay\n"
            "[button \"p\"]\nsource = shelly-gen2\ndevice = plus\nwho = Gus\n");
    /* Four inputs, four people. */
    const char *who[4] = {"Ana", "Ben", "Cleo", "Dan"};
    for (int i = 0; i < 4; i++) {
        f.mono += 1000;
        gen2(&f, "i4", i, "single_push");
    }
    for (int i = 0; i < 4; i++)
        CHECK_EQ_INT(items(&f, who[i], TW_KIND_BLOCKER, TW_STATE_OPEN, NULL), 1);
    /* The i4 sends btn_down, btn_up and then single_push: one press. */
    f.mono += 1000;
    gen2(&f, "i4", 1, "btn_down");
    f.mono += 100;
    gen2(&f, "i4", 1, "btn_up");
    f.mono += 450;
    tick(&f);
    gen2(&f, "i4", 1, "double_push");
    f.mono += 2000;
    tick(&f);
    CHECK_EQ_INT(items(&f, "Ben", -1, -1, NULL), 2);
    CHECK_EQ_INT(items(&f, "Ben", TW_KIND_QUESTION, -1, NULL), 1);
    /* A device that only says btn_down/btn_up: timed. A short press is a
     * single once the double window and the grace for a push are over. */
    f.mono += 1000;
    gen2(&f, "blu", 0, "btn_down");
    f.mono += 120;
    gen2(&f, "blu", 0, "btn_up");
    f.mono += 400;
    tick(&f);
    CHECK_EQ_INT(items(&f, "Eve", -1, -1, NULL), 0); /* waiting for a push that may come */
    CHECK(tw_buttons_next_deadline(f.b, f.mono, f.now) > f.mono);
    f.mono += 1000;
    tick(&f);
    CHECK_EQ_INT(items(&f, "Eve", TW_KIND_BLOCKER, TW_STATE_OPEN, NULL), 1);
    /* Two quick presses: a double. */
    f.mono += 1000;
    gen2(&f, "blu", 0, "btn_down");
    f.mono += 100;
    gen2(&f, "blu", 0, "btn_up");
    f.mono += 150;
    gen2(&f, "blu", 0, "btn_down");
    f.mono += 100;
    gen2(&f, "blu", 0, "btn_up");
    f.mono += 1100;
    tick(&f);
    CHECK_EQ_INT(items(&f, "Eve", TW_KIND_QUESTION, TW_STATE_OPEN, NULL), 1);
    /* Held: a long (resolve-own). */
    f.mono += 1000;
    gen2(&f, "blu", 0, "btn_down");
    f.mono += 800;
    tick(&f);
    f.mono += 1000;
    tick(&f);
    gen2(&f, "blu", 0, "btn_up");
    CHECK_EQ_INT(items(&f, "Eve", -1, TW_STATE_RESOLVED, NULL), 1);
    /* A device the board has not heard a push from yet, which then sends
     * one: its own push replaces the timed press (one press, not two). */
    f.mono += 1000;
    gen2(&f, "plus", 0, "btn_down");
    f.mono += 100;
    gen2(&f, "plus", 0, "btn_up");
    f.mono += 450;
    tick(&f);
    f.mono += 100;
    gen2(&f, "plus", 0, "single_push");
    f.mono += 2000;
    tick(&f);
    CHECK_EQ_INT(items(&f, "Gus", -1, -1, NULL), 1);
    /* Tasmota: StateText4 renamed to LONG, named in [buttons]. */
    f.mono += 1000;
    msg(&f, "stat/sonoff/RESULT", "{\"Button1\":{\"Action\":\"SINGLE\"}}");
    f.mono += 1000;
    msg(&f, "stat/sonoff/RESULT", "{\"Button1\":{\"Action\":\"LONG\"}}");
    CHECK_EQ_INT(items(&f, "Fay", TW_KIND_BLOCKER, TW_STATE_RESOLVED, NULL), 1);
    f.mono += 1000;
    msg(&f, "stat/sonoff/RESULT", "{\"Button1\":{\"Action\":\"PENTA\"}}");
    CHECK_EQ_INT(items(&f, "Fay", TW_KIND_QUESTION, TW_STATE_OPEN, NULL), 1);
    fx_close(&f);
}

/* The board runs on: nobody calls the tick unless the module asks for it.
 * Once the hour is up, the module must still ask (it used to stop asking
 * exactly then, and the warning waited for a restart). */
static void test_offline_while_running(void)
{
    fixture f;
    fx_open(&f, "offline-running.db", fixture_config);
    const char *avail = "zigbee2mqtt/Desk 3 button/availability";
    CHECK_EQ_INT(msg(&f, avail, "offline"), 0);
    int64_t due = tw_buttons_next_deadline(f.b, f.mono, f.now);
    CHECK_EQ_INT(due, f.mono + 3600 * 1000);
    /* The loop sleeps until then; the clock reads the hour gone, or a
     * second more (a late wake-up). */
    for (int late = 0; late < 2; late++) {
        int64_t mono = due + late * 1000, now = f.now + 3600 + late;
        int64_t again = tw_buttons_next_deadline(f.b, mono, now);
        CHECK(again != 0 && again <= mono);
    }
    f.mono = due;
    f.now += 3600;
    tick(&f);
    const tw_warning *w = warning(&f, "offline:desk-3");
    CHECK(w != NULL);
    if (w) {
        CHECK_EQ_INT(w->detail.kind, TW_WARNING_BUTTON_OFFLINE);
        CHECK_EQ_STR(w->detail.subject, "desk-3");
        CHECK_EQ_INT(w->detail.since, NOW);
    }
    /* Raised: nothing more to wake up for. */
    CHECK_EQ_INT(tw_buttons_next_deadline(f.b, f.mono, f.now), 0);
    /* Back, then gone again: asked for again. */
    CHECK_EQ_INT(msg(&f, avail, "{\"state\":\"online\"}"), 0);
    CHECK(warning(&f, "offline:desk-3") == NULL);
    CHECK_EQ_INT(msg(&f, avail, "offline"), 0);
    CHECK_EQ_INT(tw_buttons_next_deadline(f.b, f.mono, f.now), f.mono + 3600 * 1000);
    /* A battery warning says which button and how much. */
    msg(&f, "zigbee2mqtt/Desk 3 button", "{\"battery\":9}");
    w = warning(&f, "battery:desk-3");
    CHECK(w != NULL);
    if (w) {
        CHECK_EQ_INT(w->detail.kind, TW_WARNING_BUTTON_BATTERY);
        CHECK_EQ_INT(w->detail.battery, 9);
    }
    fx_close(&f);
    /* Fractional minutes, for seconds (tests, impatient people). */
    fx_open(&f, "offline-seconds.db",
            "[button \"q\"]\nsource = tasmota\ndevice = quick\noffline_minutes = 0.05\n");
    CHECK_EQ_INT(tw_button_config_get(f.bc, 0)->offline_s, 3);
    CHECK_EQ_INT(msg(&f, "tele/quick/LWT", "Offline"), 0);
    CHECK_EQ_INT(tw_buttons_next_deadline(f.b, f.mono, f.now), f.mono + 3000);
    f.mono += 3000;
    f.now += 3;
    CHECK(tw_buttons_next_deadline(f.b, f.mono, f.now) == f.mono);
    tick(&f);
    CHECK(warning(&f, "offline:q") != NULL);
    fx_close(&f);
}

/* A rolled-back batch leaves no trace: the press counts when it comes again. */
static void test_rollback(void)
{
    fixture f;
    fx_open(&f, "rollback.db", fixture_config);
    const char *t = "shellies/shellybutton1-E8DB84AA196D/input_event/0";
    CHECK_EQ_INT(tw_store_begin(f.store), 0);
    CHECK_EQ_INT(tw_buttons_message(f.b, t, "{\"event\":\"S\",\"event_cnt\":9}", 29, false, f.mono,
                                    f.now, f.reason, sizeof(f.reason)),
                 1);
    apply(&f);
    tw_store_rollback(f.store);
    tw_board_reload(f.board);
    CHECK_EQ_INT(tw_buttons_reload(f.b, f.now), 0);
    CHECK_EQ_INT(items(&f, NULL, -1, -1, NULL), 0);
    CHECK(!tw_buttons_next_command(f.b, &f.last));
    f.mono += 2000;
    CHECK_EQ_INT(msg(&f, t, "{\"event\":\"S\",\"event_cnt\":9}"), 1);
    CHECK_EQ_INT(items(&f, "Ben", TW_KIND_BLOCKER, TW_STATE_OPEN, NULL), 1);
    fx_close(&f);
}

static void test_schema(void)
{
    char path[600], buf[64];
    snprintf(path, sizeof(path), "%s/schema-buttons.db", dir);
    remove_db(path);
    tw_store *s;
    CHECK_EQ_INT(tw_store_open(path, NULL, &s), 0);
    CHECK_EQ_INT(tw_store_schema_version(s), 9);
    tw_button_row row = {.source = "mqtt",
                         .device = "x",
                         .battery = -1,
                         .online = -1,
                         .first_seen = 1,
                         .last_seen = 2};
    CHECK_EQ_INT(tw_store_button_put(s, &row), 0);
    row.battery = 50;
    CHECK_EQ_INT(tw_store_button_put(s, &row), 0); /* an upsert */
    tw_button_row got;
    CHECK_EQ_INT(tw_store_button_get(s, "mqtt", "x", "", &got), 0);
    CHECK_EQ_INT(got.battery, 50);
    CHECK_EQ_INT(got.online, -1);
    CHECK(!got.has_counter);
    CHECK_EQ_INT(tw_store_button_get(s, "mqtt", "y", "", &got), TW_ERR_NOTFOUND);
    CHECK_EQ_INT(tw_store_press_exists(s, "p1"), 0);
    CHECK_EQ_INT(tw_store_press_add(s, "p1", 5, &row, "single", "blocker"), 0);
    CHECK_EQ_INT(tw_store_press_exists(s, "p1"), 1);
    CHECK_EQ_INT(tw_store_press_add(s, "p1", 6, &row, "single", "blocker"), TW_ERR_INVAL);
    tw_store_close(s);
    raw_text(path, "PRAGMA user_version", buf, sizeof(buf));
    CHECK_EQ_STR(buf, "9");
    /* Read-only (teamwall-ctl buttons). */
    tw_store_options ro = {.read_only = true};
    CHECK_EQ_INT(tw_store_open(path, &ro, &s), 0);
    CHECK_EQ_INT(tw_store_button_get(s, "mqtt", "x", "", &got), 0);
    tw_store_close(s);

    /* A board's database from before the buttons (version 1) is migrated
     * and keeps its items; a read-only open of it asks for the migration. */
    CHECK_EQ_INT(raw_exec(path,
                          "DROP TABLE buttons; DROP TABLE button_presses; DROP TABLE learned; "
                          "DROP TRIGGER learned_update; "
                          "DROP TRIGGER learned_delete; DROP TABLE ops; DROP TABLE sync_state; "
                          "PRAGMA user_version = 1; "
                          "INSERT INTO items (id, ref, hash, kind, text, author, source, "
                          "state, created, updated) VALUES ('old-1', 'abcd', "
                          "'abcd00000000', 'blocker', 'from v1', 'Ana', 'mqtt', 'open', 1, "
                          "1)"),
                 SQLITE_OK);
    CHECK_EQ_INT(tw_store_open(path, &ro, &s), TW_ERR_DB);
    CHECK_EQ_INT(tw_store_open(path, NULL, &s), 0);
    CHECK_EQ_INT(tw_store_schema_version(s), 9);
    tw_item it;
    CHECK_EQ_INT(tw_store_get(s, "old-1", &it), 0);
    CHECK_EQ_STR(it.text, "from v1");
    CHECK_EQ_INT(tw_store_button_put(s, &row), 0);
    tw_store_close(s);
    remove_db(path);
}

int main(void)
{
    const char *tmp = getenv("TW_TEST_TMP");
    snprintf(dir, sizeof(dir), "%s", tmp ? tmp : "/tmp");
    setenv("TZ", "UTC", 1);
    tzset();
    test_config();
    test_topics();
    test_zigbee2mqtt();
    test_shelly();
    test_gen2_tasmota_mqtt();
    test_edges();
    test_offline();
    test_offline_while_running();
    test_multikey();
    test_shelly_edges_tasmota();
    test_rollback();
    test_schema();
    return check_done();
}
