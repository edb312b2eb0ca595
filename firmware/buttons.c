/* SPDX-License-Identifier: MIT */
/*
 * Desk buttons, from message to command (the config sections are
 * firmware/button_config.c's). Two parts:
 *
 *  - press logic: edges (ESPHome, keys) timed into single, double and long
 *    presses; identical presses within 300 ms merged; Shelly's event_cnt
 *    de-duplicated; every press recorded once in button_presses under a
 *    stable id, so a redelivered message is recognised;
 *  - actions: each press queued as a pending command, made into a tw_command
 *    only when the caller asks for it, so resolve-own and claim-oldest see the
 *    board as the commands before them left it; health (battery, offline) and
 *    unassigned presses as wall warnings.
 *
 * A press's id is btn:<name>:<tag>. The tag is the device's own identity of
 * the press when it has one (Shelly's event_cnt with a count of resets,
 * Shelly Gen 2's event time, zigbee2mqtt's last_seen, an mqtt producer's id),
 * so the same press delivered twice gets the same id and counts once; else
 * the time the board received it, in ms.
 */
#define _POSIX_C_SOURCE 200809L
#define LOG_MODULE      "buttons"
#include "buttons.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "../mqtt/z2m_devices.h"
#include "config.h"
#include "i18n.h"
#include "log.h"

#include "text.h"
#include "util.h"

/* ---- actions ------------------------------------------------------------------------ */

/*
 * The action table: the config name and whether the board can do it yet.
 * Making a stand-up action work is its row's "true" plus a case in
 * make_command() that builds the stand-up command.
 */
static const struct action_def {
    const char *name;
    bool available;
} actions[TW_ACTION_COUNT] = {
    [TW_ACTION_NONE] = {"none", true},
    [TW_ACTION_BLOCKER] = {"blocker", true},
    [TW_ACTION_QUESTION] = {"question", true},
    [TW_ACTION_WIN] = {"win", true},
    [TW_ACTION_RESOLVE_OWN] = {"resolve-own", true},
    [TW_ACTION_CLAIM_OLDEST] = {"claim-oldest", true},
    [TW_ACTION_STANDUP_START] = {"standup-start", true},
    [TW_ACTION_STANDUP_NEXT] = {"standup-next", true},
};

const char *tw_button_action_name(tw_button_action action)
{
    return (unsigned)action < TW_ACTION_COUNT ? actions[action].name : "?";
}

int tw_button_action_parse(const char *name)
{
    for (int i = 0; name && i < TW_ACTION_COUNT; i++)
        if (strcmp(actions[i].name, name) == 0)
            return i;
    return -1;
}

bool tw_button_action_available(tw_button_action action)
{
    return (unsigned)action < TW_ACTION_COUNT && actions[action].available;
}

/* ---- the running module ------------------------------------------------------------- */

enum edge_state {
    E_IDLE = 0,
    E_DOWN,    /* first press held */
    E_WAIT,    /* released; a second press soon makes a double */
    E_SWALLOW, /* the press was reported; ignore until released */
};

struct button {
    tw_button_def def; /* copied */
    char key[64];      /* normalized key name (key buttons) */
    tw_button_row row; /* as stored (or to be stored) */
    /* edge timing */
    enum edge_state edge;
    int64_t t_down, t_up; /* monotonic ms */
    int64_t down_wall_ms; /* when the press began, for its id and time */
    /* identical presses within TW_BUTTON_DEDUP_MS are one */
    tw_press last_press;
    int64_t last_press_ms;
    bool offline_warned; /* its offline warning is up (health_warnings) */
    /* Shelly Gen 2: its btn_down/btn_up are timed only while it has not
     * sent a push of its own (single_push...); a timed press waits
     * PUSH_GRACE_MS for one, which replaces it. */
    bool pushes_seen;
    tw_press tentative;
    int64_t tentative_due, tentative_wall;
};

/* A press waiting for the store (from a key, or an edge timed out). */
struct pending_press {
    size_t button;
    tw_press press;
    int64_t mono_ms, wall_ms;
};

/* A press recorded in the store, waiting to become a command. */
struct pending_cmd {
    size_t button;
    tw_button_action action;
    char id[TW_ID_SIZE];
    int64_t at;
};

#define MAX_PENDING 64

struct tw_buttons {
    const tw_button_config *bc;
    struct button *btn;
    size_t n;
    char root[256];
    tw_adapter_ctx actx;
    bool used[TW_SRC_COUNT];
    bool discover;
    tw_store *store;
    tw_board *board;
    tw_warnings *warnings;
    bool (*standup)(void *ctx, const char *action, const char *by);
    void *standup_ctx;
    struct pending_press presses[MAX_PENDING];
    size_t n_presses;
    struct pending_cmd cmds[MAX_PENDING];
    size_t n_cmds;
    /* zigbee2mqtt's device list (<base>/bridge/devices), when a zigbee2mqtt
     * button is configured: models, vendors, action words */
    tw_z2m_devices *z2m;
    char z2m_devices_topic[256];
    /* "<device>|<word>" of unknown action words already logged */
    char (*unknown_logged)[TW_ADAPTER_DEVICE_SIZE + 72];
    size_t n_unknown_logged;
};

#define MAX_UNKNOWN_LOGGED 256
#define PUSH_GRACE_MS      1000 /* a Shelly's own push follows its btn_up within this */
#define HOLD_REPEAT_MS     2000 /* a repeated hold report this soon after the last is the same hold */

static int64_t realtime_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* "desk-3 (Ana)", or just the name when it is the person's. */
static void label(const struct button *b, char *out, size_t size)
{
    if (strcmp(b->def.who, b->def.name) == 0)
        snprintf(out, size, "%s", b->def.name);
    else
        snprintf(out, size, "%s (%.60s)", b->def.name, b->def.who);
}

static void fresh_row(const tw_button_def *d, tw_button_row *row)
{
    memset(row, 0, sizeof(*row));
    tw_strlcpy(row->source, tw_button_source_name(d->source), sizeof(row->source));
    tw_strlcpy(row->device, d->device, sizeof(row->device));
    tw_strlcpy(row->input, d->input, sizeof(row->input));
    tw_strlcpy(row->name, d->name, sizeof(row->name));
    row->battery = -1;
    row->online = -1;
}

static void format_since(int64_t t, int64_t now, char *out, size_t size)
{
    time_t tt = (time_t)t, tn = (time_t)now;
    struct tm a, b;
    localtime_r(&tt, &a);
    localtime_r(&tn, &b);
    if (a.tm_year == b.tm_year && a.tm_yday == b.tm_yday)
        strftime(out, size, "%H:%M", &a);
    else
        strftime(out, size, "%d %b %H:%M", &a);
}

/* How long button b has been offline, if it warns about that at all:
 * the limit in seconds (0: it does not warn, or is not offline). */
static int64_t offline_limit(const struct button *b)
{
    return b->row.online == 0 && b->def.offline_s > 0 && b->row.online_since ? b->def.offline_s : 0;
}

/* Raise or clear the button's battery and offline warnings from its row. */
static void health_warnings(tw_buttons *bs, struct button *b, int64_t now)
{
    if (!bs->warnings)
        return;
    char key[TW_WARNING_KEY_SIZE], text[TW_WARNING_TEXT_SIZE], who[128];
    tw_warning_detail d = {0};
    tw_strlcpy(d.subject, b->def.name, sizeof(d.subject));
    label(b, who, sizeof(who));
    snprintf(key, sizeof(key), "battery:%s", b->def.name);
    if (b->row.battery >= 0 && b->row.battery < TW_BUTTON_BATTERY_LOW) {
        snprintf(text, sizeof(text), _("Button %.100s: battery %d %%"), who, b->row.battery);
        d.kind = TW_WARNING_BUTTON_BATTERY;
        d.battery = b->row.battery;
        tw_warning_raise_detail(bs->warnings, key, TW_WARN_WARNING, text, now, 0, &d);
    } else {
        tw_warning_clear(bs->warnings, key);
    }
    snprintf(key, sizeof(key), "offline:%s", b->def.name);
    int64_t limit = offline_limit(b);
    b->offline_warned = limit > 0 && now - b->row.online_since >= limit;
    if (b->offline_warned) {
        char since[32];
        format_since(b->row.online_since, now, since, sizeof(since));
        snprintf(text, sizeof(text), _("Button %.100s offline since %s"), who, since);
        d.kind = TW_WARNING_BUTTON_OFFLINE;
        d.battery = 0;
        d.since = b->row.online_since;
        /* Raised as of when it went offline, so the banner's "since" on the
         * right and the text's on the left name the same minute. */
        tw_warning_raise_detail(bs->warnings, key, TW_WARN_WARNING, text, b->row.online_since, 0,
                                &d);
    } else {
        tw_warning_clear(bs->warnings, key);
    }
}

static int load_rows(tw_buttons *bs, int64_t now)
{
    for (size_t i = 0; i < bs->n; i++) {
        struct button *b = &bs->btn[i];
        tw_button_row row;
        int rc = tw_store_button_get(bs->store, tw_button_source_name(b->def.source), b->def.device,
                                     b->def.input, &row);
        if (rc == TW_ERR_NOTFOUND) {
            fresh_row(&b->def, &b->row);
        } else if (rc) {
            return rc;
        } else {
            b->row = row;
            tw_strlcpy(b->row.name, b->def.name, sizeof(b->row.name));
        }
        health_warnings(bs, b, now);
    }
    return 0;
}

/* The adapters' question: a zigbee2mqtt device's action words. */
static const char *z2m_vocab(void *vctx, const char *device)
{
    const tw_buttons *bs = vctx;
    const tw_z2m_device *d = tw_z2m_devices_find(bs->z2m, device);
    return d && d->vocab[0] ? d->vocab : NULL;
}

/* Copy what the device list says about (src, device) into row; true if
 * that changed it. */
static bool fill_model(const tw_buttons *bs, tw_button_source src, const char *device,
                       tw_button_row *row)
{
    const tw_z2m_device *d =
        src == TW_SRC_ZIGBEE2MQTT ? tw_z2m_devices_find(bs->z2m, device) : NULL;
    if (!d || (strcmp(row->vendor, d->vendor) == 0 && strcmp(row->model, d->model) == 0))
        return false;
    tw_strlcpy(row->vendor, d->vendor, sizeof(row->vendor));
    tw_strlcpy(row->model, d->model, sizeof(row->model));
    return true;
}

int tw_buttons_create(const tw_buttons_options *opt, int64_t now, tw_buttons **out)
{
    if (!opt || !opt->store || !opt->board || !out)
        return TW_ERR_INVAL;
    *out = NULL;
    tw_buttons *bs = tw_xcalloc(1, sizeof(*bs));
    bs->bc = opt->config;
    bs->store = opt->store;
    bs->board = opt->board;
    bs->warnings = opt->warnings;
    bs->standup = opt->standup;
    bs->standup_ctx = opt->standup_ctx;
    tw_strlcpy(bs->root, opt->root ? opt->root : "", sizeof(bs->root));
    bs->actx.root = bs->root;
    bs->actx.z2m_base = tw_button_config_z2m_base(bs->bc);
    bs->actx.tasmota_hold = tw_button_config_tasmota_hold(bs->bc);
    bs->discover = tw_button_config_discover(bs->bc);
    bs->n = tw_button_config_count(bs->bc);
    bs->btn = tw_xcalloc(bs->n ? bs->n : 1, sizeof(*bs->btn));
    for (size_t i = 0; i < bs->n; i++) {
        struct button *b = &bs->btn[i];
        b->def = *tw_button_config_get(bs->bc, i);
        if (!b->def.who[0])
            tw_strlcpy(b->def.who, b->def.name, sizeof(b->def.who));
        if (b->def.source == TW_SRC_KEY)
            tw_button_key_normalize(b->def.device, b->key, sizeof(b->key));
        bs->used[b->def.source] = true;
    }
    if (bs->used[TW_SRC_ZIGBEE2MQTT]) {
        bs->z2m = tw_z2m_devices_create();
        snprintf(bs->z2m_devices_topic, sizeof(bs->z2m_devices_topic), "%s/bridge/devices",
                 bs->actx.z2m_base);
        bs->actx.z2m_vocab = z2m_vocab;
        bs->actx.vctx = bs;
    }
    int rc = load_rows(bs, now);
    if (rc) {
        tw_buttons_destroy(bs);
        return rc;
    }
    *out = bs;
    return 0;
}

void tw_buttons_destroy(tw_buttons *b)
{
    if (!b)
        return;
    tw_z2m_devices_destroy(b->z2m);
    free(b->unknown_logged);
    free(b->btn);
    free(b);
}

/* ---- subscriptions ---------------------------------------------------------------- */

struct topic_list {
    char (*t)[256];
    size_t n, cap;
};

static void collect(void *ctx, const char *filter)
{
    struct topic_list *l = ctx;
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->t[i], filter) == 0)
            return;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->t = tw_xrealloc(l->t, l->cap * sizeof(*l->t));
    }
    tw_strlcpy(l->t[l->n++], filter, sizeof(l->t[0]));
}

struct exact_ctx {
    struct topic_list *list;
    size_t n_wild; /* the first n_wild topics are the discovery wildcards */
};

static void collect_exact(void *ctx, const char *topic)
{
    struct exact_ctx *e = ctx;
    /* A wildcard that already covers it would deliver it twice (MQTT 5
     * brokers may send one copy per matching subscription). */
    for (size_t i = 0; i < e->n_wild; i++)
        if (tw_topic_matches(e->list->t[i], topic))
            return;
    collect(e->list, topic);
}

void tw_buttons_topics(const tw_buttons *bs, tw_adapter_topic_fn fn, void *fctx)
{
    if (!bs || !fn)
        return;
    struct topic_list l = {0};
    if (bs->discover) {
        for (int s = 0; s < TW_SRC_COUNT; s++)
            if (bs->used[s] || s == TW_SRC_MQTT)
                tw_adapter_discovery_topics((tw_button_source)s, &bs->actx, collect, &l);
    }
    struct exact_ctx e = {&l, l.n};
    for (size_t i = 0; i < bs->n; i++)
        tw_adapter_device_topics(bs->btn[i].def.source, &bs->actx, bs->btn[i].def.device,
                                 bs->btn[i].def.input, collect_exact, &e);
    if (bs->z2m)
        collect(&l, bs->z2m_devices_topic); /* retained: models and action words */
    for (size_t i = 0; i < l.n; i++)
        fn(fctx, l.t[i]);
    free(l.t);
}

/* ---- presses ----------------------------------------------------------------------- */

static void base36(uint64_t v, char *out, size_t size)
{
    char tmp[16];
    size_t n = 0;
    do {
        tmp[n++] = "0123456789abcdefghijklmnopqrstuvwxyz"[v % 36];
        v /= 36;
    } while (v && n < sizeof(tmp));
    size_t i = 0;
    for (; i < n && i + 1 < size; i++)
        out[i] = tmp[n - 1 - i];
    out[i] = '\0';
}

static void id_prefix(const struct button *b, char *out, size_t size)
{
    snprintf(out, size, "btn:%s:", b->def.name);
}

/* prefix + tag (+ "-n"), which fits: a name has at most 32 characters and
 * a tag at most 28 ("e" and "c" with two 13-digit base36 numbers, or a
 * letter and 12 hash characters, or "t" and a time in ms). */
static void compose_id(char id[TW_ID_SIZE], const char *prefix, const char *tag, int n)
{
    char buf[128];
    if (n)
        snprintf(buf, sizeof(buf), "%s%s-%d", prefix, tag, n);
    else
        snprintf(buf, sizeof(buf), "%s%s", prefix, tag);
    tw_strlcpy(id, buf, TW_ID_SIZE);
}

/*
 * The press's id, and whether it came from the device (then an id already
 * recorded means the same press delivered again) or from the board's clock
 * (then it is only made unique).
 */
static int press_id(tw_buttons *bs, const struct button *b, tw_press press, const char *identity,
                    bool has_counter, int64_t wall_ms, char id[TW_ID_SIZE], bool *duplicate)
{
    char prefix[48], tag[40];
    id_prefix(b, prefix, sizeof(prefix));
    *duplicate = false;
    bool from_device = true;
    if (has_counter) {
        char e[16], c[16];
        base36((uint64_t)b->row.counter_epoch, e, sizeof(e));
        base36((uint64_t)b->row.counter, c, sizeof(c));
        snprintf(tag, sizeof(tag), "e%sc%s", e, c);
    } else if (identity && identity[0]) {
        char material[TW_ADAPTER_DEVICE_SIZE + TW_ADAPTER_INPUT_SIZE + TW_ADAPTER_IDENTITY_SIZE],
            h[TW_REF_SIZE];
        snprintf(material, sizeof(material), "%s|%s|%s", b->def.device, b->def.input, identity);
        tw_store_hash_id(material, h);
        snprintf(tag, sizeof(tag), "%c%s", tw_press_name(press)[0], h);
    } else {
        char t[16];
        base36((uint64_t)(wall_ms > 0 ? wall_ms : 0), t, sizeof(t));
        snprintf(tag, sizeof(tag), "t%s", t);
        from_device = false;
    }
    compose_id(id, prefix, tag, 0);
    for (int n = 1;; n++) {
        int rc = tw_store_press_exists(bs->store, id);
        if (rc < 0)
            return rc;
        if (!rc)
            return 0;
        if (from_device) {
            *duplicate = true;
            return 0;
        }
        /* Two presses in one millisecond, or a clock set back. */
        compose_id(id, prefix, tag, n);
    }
}

/*
 * One whole press of a configured button: de-duplicate, record, queue its
 * action. Store failures are returned; duplicates are dropped quietly.
 */
static int press(tw_buttons *bs, size_t i, tw_press p, const tw_adapter_event *ev, int64_t mono_ms,
                 int64_t wall_ms, int64_t now)
{
    struct button *b = &bs->btn[i];
    tw_button_row saved = b->row;
    if (ev && ev->has_counter) {
        if (b->row.has_counter && ev->counter == b->row.counter) {
            log_debug("button %s: event_cnt %lld again: already counted", b->def.name,
                      (long long)ev->counter);
            return 0;
        }
        if (b->row.has_counter && ev->counter < b->row.counter)
            b->row.counter_epoch++; /* the device restarted its count */
        b->row.has_counter = true;
        b->row.counter = ev->counter;
    }
    int64_t window = ev && ev->repeats ? HOLD_REPEAT_MS : TW_BUTTON_DEDUP_MS;
    if (b->last_press == p && b->last_press_ms && mono_ms - b->last_press_ms < window) {
        log_debug("button %s: %s again within %lld ms: one press", b->def.name, tw_press_name(p),
                  (long long)window);
        b->last_press_ms = mono_ms;
        return b->row.counter != saved.counter ? tw_store_button_put(bs->store, &b->row) : 0;
    }
    char id[TW_ID_SIZE];
    bool dup;
    int rc = press_id(bs, b, p, ev ? ev->identity : NULL, ev && ev->has_counter, wall_ms, id, &dup);
    if (rc)
        return rc;
    if (dup) {
        log_info("button %s: press %s was already applied (delivered again)", b->def.name, id);
        return 0;
    }
    b->last_press = p;
    b->last_press_ms = mono_ms;
    tw_button_action action = b->def.action[p];
    if (!b->row.first_seen)
        b->row.first_seen = now;
    b->row.last_seen = now;
    b->row.last_press = now;
    tw_strlcpy(b->row.last_action, tw_press_name(p), sizeof(b->row.last_action));
    b->row.presses++;
    rc = tw_store_press_add(bs->store, id, now, &b->row, tw_press_name(p),
                            tw_button_action_name(action));
    if (!rc)
        rc = tw_store_button_put(bs->store, &b->row);
    if (rc)
        return rc;
    log_info("button %s: %s -> %s (%s)", b->def.name, tw_press_name(p),
             tw_button_action_name(action), id);
    if (bs->n_cmds < MAX_PENDING) {
        struct pending_cmd *c = &bs->cmds[bs->n_cmds++];
        c->button = i;
        c->action = action;
        tw_strlcpy(c->id, id, sizeof(c->id));
        c->at = wall_ms / 1000;
    } else {
        log_warn("button %s: too many presses at once; this one is dropped", b->def.name);
    }
    return 0;
}

static void queue_now(tw_buttons *bs, size_t i, tw_press p, int64_t mono_ms, int64_t wall_ms)
{
    if (bs->n_presses >= MAX_PENDING) {
        log_warn("button %s: too many presses at once; this one is dropped", bs->btn[i].def.name);
        return;
    }
    bs->presses[bs->n_presses++] = (struct pending_press){i, p, mono_ms, wall_ms};
}

/* A press timed from edges. A Shelly Gen 2 that may still say it itself
 * (single_push after btn_up) gets PUSH_GRACE_MS to do so. */
static void queue_press(tw_buttons *bs, size_t i, tw_press p, int64_t mono_ms, int64_t wall_ms)
{
    struct button *b = &bs->btn[i];
    if (b->def.source != TW_SRC_SHELLY_GEN2 || b->pushes_seen) {
        queue_now(bs, i, p, mono_ms, wall_ms);
        return;
    }
    if (b->tentative != TW_PRESS_NONE) /* the one before had its chance */
        queue_now(bs, i, b->tentative, b->tentative_due, b->tentative_wall);
    b->tentative = p;
    b->tentative_due = mono_ms + PUSH_GRACE_MS;
    b->tentative_wall = wall_ms;
}

/* Feed an edge into button i's timing. Whole presses go to the queue. */
static void edge(tw_buttons *bs, size_t i, tw_edge e, int64_t mono_ms)
{
    struct button *b = &bs->btn[i];
    if (e == TW_EDGE_DOWN) {
        switch (b->edge) {
        case E_IDLE:
            b->edge = E_DOWN;
            b->t_down = mono_ms;
            b->down_wall_ms = realtime_ms();
            break;
        case E_WAIT:
            if (mono_ms - b->t_up < TW_BUTTON_DOUBLE_MS) {
                queue_press(bs, i, TW_PRESS_DOUBLE, mono_ms, b->down_wall_ms);
                b->edge = E_SWALLOW;
            } else {
                /* The single's deadline passed unnoticed (a late tick): it
                 * was a single, and this is a new press. */
                queue_press(bs, i, TW_PRESS_SINGLE, b->t_up, b->down_wall_ms);
                b->edge = E_DOWN;
                b->t_down = mono_ms;
                b->down_wall_ms = realtime_ms();
            }
            break;
        case E_DOWN:
        case E_SWALLOW: break; /* a second ON without OFF */
        }
    } else if (e == TW_EDGE_UP) {
        switch (b->edge) {
        case E_DOWN:
            if (mono_ms - b->t_down >= TW_BUTTON_LONG_MS) {
                queue_press(bs, i, TW_PRESS_LONG, mono_ms, b->down_wall_ms);
                b->edge = E_IDLE;
            } else {
                b->edge = E_WAIT;
                b->t_up = mono_ms;
            }
            break;
        case E_SWALLOW: b->edge = E_IDLE; break;
        case E_IDLE:
        case E_WAIT: break; /* OFF without ON (a retained OFF, a lost ON) */
        }
    }
}

/* Presses whose time has come: held long enough, or no second press; and
 * timed presses no push of the device's own replaced. */
static void time_edges(tw_buttons *bs, int64_t mono_ms)
{
    for (size_t i = 0; i < bs->n; i++) {
        struct button *b = &bs->btn[i];
        if (b->tentative != TW_PRESS_NONE && mono_ms >= b->tentative_due) {
            queue_now(bs, i, b->tentative, b->tentative_due, b->tentative_wall);
            b->tentative = TW_PRESS_NONE;
        }
        if (b->edge == E_DOWN && mono_ms - b->t_down >= TW_BUTTON_LONG_MS) {
            queue_press(bs, i, TW_PRESS_LONG, mono_ms, b->down_wall_ms);
            b->edge = E_SWALLOW;
        } else if (b->edge == E_WAIT && mono_ms - b->t_up >= TW_BUTTON_DOUBLE_MS) {
            queue_press(bs, i, TW_PRESS_SINGLE, mono_ms, b->down_wall_ms);
            b->edge = E_IDLE;
        }
    }
}

static int drain_presses(tw_buttons *bs, int64_t now)
{
    size_t n = bs->n_presses;
    bs->n_presses = 0;
    for (size_t k = 0; k < n; k++) {
        struct pending_press *pp = &bs->presses[k];
        int rc = press(bs, pp->button, pp->press, NULL, pp->mono_ms, pp->wall_ms, now);
        if (rc)
            return rc;
    }
    return 0;
}

/* ---- messages --------------------------------------------------------------------------- */

/* Without case: a zigbee2mqtt key is "left" whether the section says so or "Left". */
static bool input_matches(const tw_button_def *d, const char *input)
{
    return !d->input[0] || strcasecmp(d->input, input) == 0;
}

/* A press from a device (or input) nobody configured: remember it for
 * teamwall-ctl buttons and show it on the wall for a minute. */
static int unassigned(tw_buttons *bs, tw_button_source src, const char *topic,
                      const tw_adapter_result *res, const tw_adapter_event *ev, int64_t now)
{
    tw_button_row row;
    const char *source = tw_button_source_name(src);
    int rc = tw_store_button_get(bs->store, source, res->device, ev->input, &row);
    if (rc == TW_ERR_NOTFOUND) {
        memset(&row, 0, sizeof(row));
        tw_strlcpy(row.source, source, sizeof(row.source));
        tw_strlcpy(row.device, res->device, sizeof(row.device));
        tw_strlcpy(row.input, ev->input, sizeof(row.input));
        row.first_seen = now;
        row.battery = -1;
        row.online = -1;
    } else if (rc) {
        return rc;
    }
    row.name[0] = '\0';
    row.last_seen = now;
    row.last_press = now;
    /* a key going down (a device the board times) is a press too */
    const char *what = ev->press != TW_PRESS_NONE ? tw_press_name(ev->press) : "press";
    tw_strlcpy(row.last_action, what, sizeof(row.last_action));
    row.presses++;
    fill_model(bs, src, res->device, &row);
    if (res->battery >= 0)
        row.battery = res->battery;
    if (res->online >= 0) {
        if (row.online != res->online)
            row.online_since = now;
        row.online = res->online;
    }
    rc = tw_store_button_put(bs->store, &row);
    if (rc)
        return rc;
    char name[TW_ADAPTER_DEVICE_SIZE + TW_ADAPTER_INPUT_SIZE + 16];
    if (ev->input[0] && strcmp(ev->input, "0") != 0 &&
        !(src == TW_SRC_TASMOTA && strcmp(ev->input, "1") == 0) && src != TW_SRC_ESPHOME)
        snprintf(name, sizeof(name), "%s input %s", res->device, ev->input);
    else
        snprintf(name, sizeof(name), "%s", res->device);
    const tw_z2m_device *zd =
        src == TW_SRC_ZIGBEE2MQTT ? tw_z2m_devices_find(bs->z2m, res->device) : NULL;
    const char *model = zd && zd->description[0] ? zd->description : zd ? zd->model : "";
    log_info("unassigned %s button %s%s%s%s pressed (%s); add a [button] section for it", source,
             name, model[0] ? " (" : "", model[0] ? zd->vendor : "", model[0] ? ")" : "", what);
    if (bs->warnings) {
        char key[TW_WARNING_KEY_SIZE], text[TW_WARNING_TEXT_SIZE];
        snprintf(key, sizeof(key), "unassigned:%s:%.40s", source, name);
        if (model[0] && ev->input[0])
            /* one key of a remote: which one, and how to name it */
            snprintf(text, sizeof(text),
                     _("New %.30s %.50s key %.20s pressed: add it with device = %.40s, input = "
                       "%.20s"),
                     zd->vendor, model, ev->input, res->device, ev->input);
        else if (model[0])
            /* "New IKEA STYRBAR remote control pressed: add it with device = 0x…" */
            snprintf(text, sizeof(text), _("New %.30s %.50s pressed: add it with device = %.60s"),
                     zd->vendor, model, res->device);
        else
            snprintf(text, sizeof(text), _("Unassigned button %.120s pressed"), name);
        tw_warning_detail d = {.kind = TW_WARNING_UNASSIGNED};
        tw_strlcpy(d.subject, topic, sizeof(d.subject));
        tw_warning_raise_detail(bs->warnings, key, TW_WARN_INFO, text, now,
                                TW_BUTTON_UNASSIGNED_TTL, &d);
    }
    return 0;
}

/* Worth a write: anything but last_seen, or last_seen by a minute. */
static bool row_changed(const tw_button_row *a, const tw_button_row *b)
{
    return a->first_seen != b->first_seen || a->last_seen / 60 != b->last_seen / 60 ||
           a->battery != b->battery || a->online != b->online ||
           a->online_since != b->online_since || a->has_counter != b->has_counter ||
           a->counter != b->counter || a->counter_epoch != b->counter_epoch ||
           a->last_press != b->last_press || strcmp(a->vendor, b->vendor) != 0 ||
           strcmp(a->model, b->model) != 0;
}

/* Everything res says about configured button i. */
static int apply_result(tw_buttons *bs, size_t i, const tw_adapter_result *res, bool retained,
                        bool *used, int64_t mono_ms, int64_t now)
{
    struct button *b = &bs->btn[i];
    tw_button_row before = b->row;
    bool pressed = false;
    int rc;
    for (int k = 0; k < res->n_events; k++) {
        const tw_adapter_event *ev = &res->events[k];
        if (!input_matches(&b->def, ev->input))
            continue;
        used[k] = true;
        if (ev->press != TW_PRESS_NONE) {
            if (b->def.source == TW_SRC_SHELLY_GEN2) {
                b->pushes_seen = true; /* its own pushes from now on, not its edges */
                b->tentative = TW_PRESS_NONE;
                b->edge = E_IDLE;
            }
            rc = press(bs, i, ev->press, ev, mono_ms, realtime_ms(), now);
            if (rc)
                return rc;
            pressed = true;
        } else if (ev->edge != TW_EDGE_NONE) {
            if (!(b->def.source == TW_SRC_SHELLY_GEN2 && b->pushes_seen))
                edge(bs, i, ev->edge, mono_ms);
            pressed = true;
        }
    }
    if (!b->row.first_seen)
        b->row.first_seen = now;
    b->row.last_seen = now;
    if (res->battery >= 0)
        b->row.battery = res->battery;
    fill_model(bs, b->def.source, res->device, &b->row);
    int online = res->online;
    if (online < 0 && pressed && !retained)
        online = 1; /* it just spoke: whatever its last will said, it is up */
    if (online >= 0 && online != b->row.online) {
        b->row.online = online;
        b->row.online_since = now;
        log_info("button %s is %s", b->def.name, online ? "online" : "offline");
    }
    if (row_changed(&before, &b->row)) {
        rc = tw_store_button_put(bs->store, &b->row);
        if (rc)
            return rc;
    }
    health_warnings(bs, b, now);
    return 0;
}

/* zigbee2mqtt's device list came (retained at start, again when a device
 * joins, leaves or is renamed): the configured buttons learn their model. */
static int device_list(tw_buttons *bs, const void *payload, size_t len)
{
    int n = tw_z2m_devices_update(bs->z2m, payload, len);
    if (n < 0) {
        log_warn("%s: not a device list (a JSON array); kept the one before",
                 bs->z2m_devices_topic);
        return 1;
    }
    log_info("zigbee2mqtt device list: %d devices", n);
    for (size_t i = 0; i < bs->n; i++) {
        struct button *b = &bs->btn[i];
        if (!fill_model(bs, b->def.source, b->def.device, &b->row))
            continue;
        log_info("button %s is a %s %s", b->def.name, b->row.vendor, b->row.model);
        if (!b->row.first_seen)
            continue; /* never heard from: it gets a row with its first message */
        int rc = tw_store_button_put(bs->store, &b->row);
        if (rc)
            return rc;
    }
    return 1;
}

/* An action word no table knows: said once per device and word (a button
 * pressed all day must not fill the log), with its model so the table can
 * learn it. */
static void log_unknown_action(tw_buttons *bs, tw_button_source src, const tw_adapter_result *res)
{
    char key[TW_ADAPTER_DEVICE_SIZE + 72];
    snprintf(key, sizeof(key), "%s|%s", res->device, res->action);
    for (size_t i = 0; i < bs->n_unknown_logged; i++)
        if (strcmp(bs->unknown_logged[i], key) == 0)
            return;
    if (bs->n_unknown_logged < MAX_UNKNOWN_LOGGED) {
        if (!bs->unknown_logged)
            bs->unknown_logged = tw_xcalloc(MAX_UNKNOWN_LOGGED, sizeof(*bs->unknown_logged));
        tw_strlcpy(bs->unknown_logged[bs->n_unknown_logged++], key, sizeof(key));
    }
    const tw_z2m_device *d = tw_z2m_devices_find(bs->z2m, res->device);
    log_warn("%s %s (%s %s): action \"%s\" is no press the board knows; ignored (said once; "
             "please report it with the model)",
             tw_button_source_name(src), res->device, d && d->vendor[0] ? d->vendor : "model",
             d && d->model[0] ? d->model : "unknown", res->action);
}

int tw_buttons_message(tw_buttons *bs, const char *topic, const void *payload, size_t len,
                       bool retained, int64_t mono_ms, int64_t now, char *reason,
                       size_t reason_size)
{
    if (reason && reason_size)
        reason[0] = '\0';
    if (!bs || !topic)
        return 0;
    /* A device name comes from the topic: one with controls or bidi
     * characters would reach the log, the wall and teamwall-ctl buttons. */
    if (tw_text_has_controls(topic, strlen(topic))) {
        if (reason && reason_size && strstr(topic, "/button/"))
            snprintf(reason, reason_size, "topic has control or bidi characters");
        return 0;
    }
    if (bs->z2m && strcmp(topic, bs->z2m_devices_topic) == 0)
        return device_list(bs, payload, len);
    tw_adapter_result res, cand;
    int cand_src = -1;
    for (int s = 0; s < TW_SRC_COUNT; s++) {
        if (s == TW_SRC_KEY || (!bs->used[s] && s != TW_SRC_MQTT))
            continue;
        if (tw_adapter_parse((tw_button_source)s, &bs->actx, topic, payload, len, retained, &res))
            continue;
        bool used[TW_ADAPTER_MAX_EVENTS] = {false}, configured = false;
        for (size_t i = 0; i < bs->n; i++) {
            if (bs->btn[i].def.source != (tw_button_source)s ||
                strcmp(bs->btn[i].def.device, res.device) != 0)
                continue;
            configured = true;
            int rc = apply_result(bs, i, &res, retained, used, mono_ms, now);
            if (!rc)
                rc = drain_presses(bs, now);
            if (rc)
                return rc;
        }
        if (res.unknown_action)
            log_unknown_action(bs, (tw_button_source)s, &res);
        else if (res.ignored[0])
            log_debug("%s %s: %s", tw_button_source_name((tw_button_source)s), res.device,
                      res.ignored);
        if (res.invalid && reason && reason_size)
            snprintf(reason, reason_size, "%s", res.ignored);
        if (configured) {
            for (int k = 0; k < res.n_events; k++) {
                if (!used[k] &&
                    (res.events[k].press != TW_PRESS_NONE || res.events[k].edge == TW_EDGE_DOWN)) {
                    int rc = unassigned(bs, (tw_button_source)s, topic, &res, &res.events[k], now);
                    if (rc)
                        return rc;
                }
            }
            return 1;
        }
        if (cand_src < 0 && (res.n_events > 0 || s == TW_SRC_MQTT)) {
            cand = res;
            cand_src = s;
        }
    }
    if (cand_src < 0)
        return 0;
    for (int k = 0; k < cand.n_events; k++) {
        if (cand.events[k].press == TW_PRESS_NONE && cand.events[k].edge != TW_EDGE_DOWN)
            continue;
        int rc = unassigned(bs, (tw_button_source)cand_src, topic, &cand, &cand.events[k], now);
        if (rc)
            return rc;
    }
    return 1;
}

bool tw_buttons_key(tw_buttons *bs, const char *name, tw_edge e, int64_t mono_ms)
{
    if (!bs || !name)
        return false;
    char k[64];
    tw_button_key_normalize(name, k, sizeof(k));
    if (!k[0])
        return false;
    bool mine = false;
    for (size_t i = 0; i < bs->n; i++) {
        if (bs->btn[i].def.source != TW_SRC_KEY || strcmp(bs->btn[i].key, k) != 0)
            continue;
        mine = true;
        edge(bs, i, e, mono_ms);
    }
    return mine;
}

int64_t tw_buttons_next_deadline(const tw_buttons *bs, int64_t mono_ms, int64_t now)
{
    if (!bs)
        return 0;
    if (bs->n_presses || bs->n_cmds)
        return mono_ms;
    int64_t due = 0;
    for (size_t i = 0; i < bs->n; i++) {
        const struct button *b = &bs->btn[i];
        int64_t t = 0;
        if (b->edge == E_DOWN)
            t = b->t_down + TW_BUTTON_LONG_MS;
        else if (b->edge == E_WAIT)
            t = b->t_up + TW_BUTTON_DOUBLE_MS;
        if (t && (!due || t < due))
            due = t;
        if (b->tentative != TW_PRESS_NONE && (!due || b->tentative_due < due))
            due = b->tentative_due;
        /* Offline, not yet for long enough to warn: wake when it will be;
         * long enough but not warned yet: now. (Returning nothing once it
         * was due left the warning to the next restart.) */
        int64_t limit = offline_limit(b);
        if (limit > 0 && !b->offline_warned) {
            int64_t left = b->row.online_since + limit - now;
            t = left > 0 ? mono_ms + left * 1000 : mono_ms;
            if (!due || t < due)
                due = t;
        }
    }
    return due;
}

int tw_buttons_tick(tw_buttons *bs, int64_t mono_ms, int64_t now)
{
    if (!bs)
        return 0;
    time_edges(bs, mono_ms);
    int rc = drain_presses(bs, now);
    if (rc)
        return rc;
    for (size_t i = 0; i < bs->n; i++)
        health_warnings(bs, &bs->btn[i], now);
    return 0;
}

/* The newest open item that button b raised (its ids carry its name): the
 * highest seq, looked for from the newest of each kind back. */
static const tw_item_view *newest_own(const tw_buttons *bs, const struct button *b)
{
    char prefix[48];
    id_prefix(b, prefix, sizeof(prefix));
    size_t plen = strlen(prefix);
    const tw_item_view *best = NULL;
    for (int k = 0; k < TW_KIND_COUNT; k++)
        for (const tw_item_view *it = tw_board_last(bs->board, (tw_kind)k); it;
             it = tw_board_prev(bs->board, it))
            if ((!best || it->seq > best->seq) && strncmp(it->id, prefix, plen) == 0)
                best = it;
    return best;
}

/* The oldest open (unclaimed) blocker that is not the owner's own. */
static const tw_item_view *oldest_blocker(const tw_buttons *bs, const struct button *b)
{
    char prefix[48];
    id_prefix(b, prefix, sizeof(prefix));
    size_t plen = strlen(prefix);
    for (const tw_item_view *it = tw_board_first(bs->board, TW_KIND_BLOCKER); it;
         it = tw_board_next(bs->board, it))
        if (it->state == TW_STATE_OPEN && strncmp(it->id, prefix, plen) != 0 &&
            strcmp(it->author, b->def.who) != 0)
            return it;
    return NULL;
}

/* Build the command for c; false when the action does nothing now. */
static bool make_command(tw_buttons *bs, const struct pending_cmd *c, tw_command *out)
{
    const struct button *b = &bs->btn[c->button];
    memset(out, 0, sizeof(*out));
    tw_strlcpy(out->author, b->def.who, sizeof(out->author));
    tw_strlcpy(out->source, "button", sizeof(out->source));
    const tw_item_view *it;
    switch (c->action) {
    case TW_ACTION_BLOCKER:
    case TW_ACTION_QUESTION:
    case TW_ACTION_WIN:
        out->type = TW_CMD_POST;
        out->kind = c->action == TW_ACTION_BLOCKER    ? TW_KIND_BLOCKER
                    : c->action == TW_ACTION_QUESTION ? TW_KIND_QUESTION
                                                      : TW_KIND_WIN;
        tw_strlcpy(out->id, c->id, sizeof(out->id));
        tw_button_text(bs->bc, &b->def, out->kind, out->text, sizeof(out->text));
        out->ts = c->at;
        return true;
    case TW_ACTION_RESOLVE_OWN:
        /* During a stand-up it resolves the item being shown. */
        if (bs->standup && bs->standup(bs->standup_ctx, "resolve", b->def.who))
            return false;
        it = newest_own(bs, b);
        if (!it) {
            log_info("button %s: resolve-own, but nothing it raised is open", b->def.name);
            return false;
        }
        out->type = TW_CMD_RESOLVE;
        tw_strlcpy(out->ref, it->id, sizeof(out->ref));
        return true;
    case TW_ACTION_CLAIM_OLDEST:
        it = oldest_blocker(bs, b);
        if (!it) {
            log_info("button %s: claim-oldest, but no open blocker is waiting", b->def.name);
            return false;
        }
        out->type = TW_CMD_CLAIM;
        tw_strlcpy(out->ref, it->id, sizeof(out->ref));
        return true;
    case TW_ACTION_STANDUP_START:
    case TW_ACTION_STANDUP_NEXT:
        if (bs->standup)
            bs->standup(bs->standup_ctx, c->action == TW_ACTION_STANDUP_START ? "start" : "next",
                        b->def.who);
        return false;
    case TW_ACTION_NONE: return false;
    default:
        log_info("button %s: %s is not available yet", b->def.name,
                 tw_button_action_name(c->action));
        return false;
    }
}

bool tw_buttons_next_command(tw_buttons *bs, tw_command *out)
{
    if (!bs || !out)
        return false;
    while (bs->n_cmds) {
        struct pending_cmd c = bs->cmds[0];
        memmove(&bs->cmds[0], &bs->cmds[1], (bs->n_cmds - 1) * sizeof(bs->cmds[0]));
        bs->n_cmds--;
        if (make_command(bs, &c, out))
            return true;
    }
    return false;
}

int tw_buttons_reload(tw_buttons *bs, int64_t now)
{
    if (!bs)
        return TW_ERR_INVAL;
    bs->n_cmds = 0;
    bs->n_presses = 0;
    return load_rows(bs, now);
}
