/* SPDX-License-Identifier: MIT */
/*
 * The desk-button adapters. Each source first recognises its topics (a
 * suffix or prefix test, no allocation), then reads the payload: cJSON for
 * the JSON forms, a trimmed case-insensitive word for the plain ones
 * ("online", "ON", "Offline", "true"). Values a device may send as a number
 * or a string (battery, event_cnt, last_seen) are accepted both ways, as the
 * firmwares disagree and change their minds between versions.
 */
#define _POSIX_C_SOURCE 200809L
#include "adapters.h"

#include <cjson/cJSON.h>
#include <math.h> /* isfinite: a macro, no libm */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../firmware/util.h"
#include "z2m_actions.h"

static const char *const source_names[TW_SRC_COUNT] = {
    [TW_SRC_ZIGBEE2MQTT] = "zigbee2mqtt",
    [TW_SRC_TASMOTA] = "tasmota",
    [TW_SRC_SHELLY] = "shelly",
    [TW_SRC_SHELLY_GEN2] = "shelly-gen2",
    [TW_SRC_ESPHOME] = "esphome",
    [TW_SRC_MQTT] = "mqtt",
    [TW_SRC_KEY] = "key",
};

static const char *const press_names[TW_PRESS_COUNT] = {"none", "single", "double", "long"};

const char *tw_button_source_name(tw_button_source src)
{
    return (unsigned)src < TW_SRC_COUNT ? source_names[src] : "?";
}

int tw_button_source_parse(const char *name)
{
    for (int i = 0; name && i < TW_SRC_COUNT; i++)
        if (strcmp(source_names[i], name) == 0)
            return i;
    return -1;
}

const char *tw_press_name(tw_press press)
{
    return (unsigned)press < TW_PRESS_COUNT ? press_names[press] : "?";
}

int tw_press_parse(const char *name)
{
    for (int i = 0; name && i < TW_PRESS_COUNT; i++)
        if (strcmp(press_names[i], name) == 0)
            return i;
    return -1;
}

/* ---- small helpers ---------------------------------------------------------- */

static void ignore(tw_adapter_result *out, const char *fmt, const char *arg)
{
    char shown[48];
    tw_strlcpy(shown, arg ? arg : "", sizeof(shown));
    for (char *p = shown; *p; p++)
        if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
            *p = '?';
    snprintf(out->ignored, sizeof(out->ignored), fmt, shown);
}

/* Copy a topic part of n bytes into out->device; false if it does not fit
 * or is empty. */
static bool set_device(tw_adapter_result *out, const char *s, size_t n)
{
    if (n == 0 || n >= sizeof(out->device))
        return false;
    memcpy(out->device, s, n);
    out->device[n] = '\0';
    return true;
}

static bool starts_with(const char *s, const char *prefix, size_t *len)
{
    size_t n = strlen(prefix);
    if (strncmp(s, prefix, n) != 0)
        return false;
    if (len)
        *len = n;
    return true;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n > m && strcmp(s + n - m, suffix) == 0;
}

/* The payload as a trimmed word (at most size-1 bytes; longer ones are
 * cut, which makes them match nothing). */
static void word(const void *payload, size_t len, char *buf, size_t size)
{
    const char *p = payload;
    while (len && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) {
        p++;
        len--;
    }
    while (len &&
           (p[len - 1] == ' ' || p[len - 1] == '\t' || p[len - 1] == '\r' || p[len - 1] == '\n'))
        len--;
    if (len >= size)
        len = size - 1;
    memcpy(buf, p, len);
    buf[len] = '\0';
    if (memchr(buf, '\0', len))
        buf[0] = '\0'; /* a NUL inside: not a word of ours */
}

/* "online"/"offline", "true"/"false", "Online"/"Offline", or a JSON object's
 * "state" (zigbee2mqtt's newer availability payload). -1 if neither. */
static int parse_online(const void *payload, size_t len)
{
    char w[32];
    word(payload, len, w, sizeof(w));
    if (w[0] == '{') {
        cJSON *j = cJSON_ParseWithLength(payload, len);
        const cJSON *s = cJSON_GetObjectItemCaseSensitive(j, "state");
        int r = -1;
        if (cJSON_IsString(s))
            r = strcasecmp(s->valuestring, "online") == 0    ? 1
                : strcasecmp(s->valuestring, "offline") == 0 ? 0
                                                             : -1;
        cJSON_Delete(j);
        return r;
    }
    if (strcasecmp(w, "online") == 0 || strcasecmp(w, "true") == 0 || strcmp(w, "1") == 0)
        return 1;
    if (strcasecmp(w, "offline") == 0 || strcasecmp(w, "false") == 0 || strcmp(w, "0") == 0)
        return 0;
    return -1;
}

/* A percentage from a JSON number or numeric string, clamped to 0..100. */
static int percent(double v)
{
    if (!isfinite(v))
        return -1;
    if (v < 0)
        return 0;
    if (v > 100)
        return 100;
    return (int)(v + 0.5);
}

static int json_percent(const cJSON *v)
{
    if (cJSON_IsNumber(v))
        return percent(v->valuedouble);
    if (cJSON_IsString(v)) {
        char *end;
        double d = strtod(v->valuestring, &end);
        if (end != v->valuestring && *end == '\0')
            return percent(d);
    }
    return -1;
}

static int word_percent(const void *payload, size_t len)
{
    char w[32], *end;
    word(payload, len, w, sizeof(w));
    double d = strtod(w, &end);
    return (end != w && *end == '\0') ? percent(d) : -1;
}

static tw_adapter_event *add_event(tw_adapter_result *out)
{
    if (out->n_events >= TW_ADAPTER_MAX_EVENTS)
        return NULL;
    tw_adapter_event *e = &out->events[out->n_events++];
    memset(e, 0, sizeof(*e));
    return e;
}

/* Map a device's action word through table; NONE if it is not there. */
struct word_map {
    const char *word;
    tw_press press;
};

static tw_press lookup(const struct word_map *map, size_t n, const char *w)
{
    for (size_t i = 0; i < n; i++)
        if (strcasecmp(map[i].word, w) == 0)
            return map[i].press;
    return TW_PRESS_NONE;
}

/* ---- zigbee2mqtt --------------------------------------------------------------- */

static void z2m_identity(const cJSON *j, const char *action, tw_adapter_event *e)
{
    /* last_seen is only an identity with sub-second resolution: epoch
     * milliseconds, or ISO 8601 with a fraction. Whole seconds would merge
     * two real presses within one second. */
    const cJSON *ls = cJSON_GetObjectItemCaseSensitive(j, "last_seen");
    if (cJSON_IsNumber(ls) && ls->valuedouble > 1e12)
        snprintf(e->identity, sizeof(e->identity), "z2m:%s:%.0f", action, ls->valuedouble);
    else if (cJSON_IsString(ls) && strchr(ls->valuestring, '.') &&
             strlen(ls->valuestring) < sizeof(e->identity) - 40)
        snprintf(e->identity, sizeof(e->identity), "z2m:%s:%s", action, ls->valuestring);
}

static int parse_z2m(const tw_adapter_ctx *ctx, const char *topic, const void *payload, size_t len,
                     bool retained, tw_adapter_result *out)
{
    const char *base = ctx && ctx->z2m_base && *ctx->z2m_base ? ctx->z2m_base : "zigbee2mqtt";
    size_t n;
    if (!starts_with(topic, base, &n) || topic[n] != '/')
        return TW_ERR_NOTFOUND;
    const char *rest = topic + n + 1;
    if (strcmp(rest, "bridge") == 0 || strncmp(rest, "bridge/", 7) == 0)
        return TW_ERR_NOTFOUND; /* zigbee2mqtt's own topics */
    if (ends_with(rest, "/set") || ends_with(rest, "/get") || strstr(rest, "/set/") ||
        strstr(rest, "/get/"))
        return TW_ERR_NOTFOUND; /* commands to the device, not from it */
    if (ends_with(rest, "/availability")) {
        if (!set_device(out, rest, strlen(rest) - strlen("/availability")))
            return TW_ERR_NOTFOUND;
        out->online = parse_online(payload, len);
        return 0;
    }
    if (!set_device(out, rest, strlen(rest)))
        return TW_ERR_NOTFOUND;
    cJSON *j = cJSON_ParseWithLength(payload, len);
    if (!cJSON_IsObject(j)) {
        ignore(out, "not a JSON object%s", "");
        cJSON_Delete(j);
        return 0;
    }
    out->battery = json_percent(cJSON_GetObjectItemCaseSensitive(j, "battery"));
    /* "action" since zigbee2mqtt 1.x; "click" is the legacy key (Aqara). */
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(j, "action");
    if (!a || cJSON_IsNull(a) || (cJSON_IsString(a) && !a->valuestring[0])) {
        const cJSON *c = cJSON_GetObjectItemCaseSensitive(j, "click");
        if (cJSON_IsString(c) && c->valuestring[0])
            a = c;
    }
    if (!a) {
        ignore(out, "no action%s", "");
    } else if (cJSON_IsNull(a)) {
        ignore(out, "action is null%s", "");
    } else if (!cJSON_IsString(a)) {
        ignore(out, "action is not a string%s", "");
    } else if (!a->valuestring[0]) {
        ignore(out, "empty action (a reset)%s", "");
    } else if (retained) {
        ignore(out, "retained %s", a->valuestring);
    } else {
        const char *w = a->valuestring;
        tw_strlcpy(out->action, w, sizeof(out->action));
        const char *vocab = ctx && ctx->z2m_vocab ? ctx->z2m_vocab(ctx->vctx, out->device) : NULL;
        tw_z2m_action za;
        tw_z2m_action_parse(w, vocab, &za);
        bool ev = za.verdict == TW_Z2M_PRESS || za.verdict == TW_Z2M_EDGE;
        tw_adapter_event *e = ev ? add_event(out) : NULL;
        if (e) {
            e->press = za.press;
            e->edge = za.edge;
            /* Hue's "<key>_hold" comes again every second while held; with
             * the device list its presses are timed from edges instead. */
            size_t wl = strlen(w);
            e->repeats =
                za.press == TW_PRESS_LONG && !vocab && wl > 5 && strcmp(w + wl - 5, "_hold") == 0;
            tw_strlcpy(e->input, za.key, sizeof(e->input));
            if (za.verdict == TW_Z2M_PRESS)
                z2m_identity(j, w, e);
        } else if (za.verdict == TW_Z2M_UNKNOWN) {
            out->unknown_action = true;
            ignore(out, "unknown action: %s", w);
        } else {
            char why[80];
            snprintf(why, sizeof(why), "%s: %%s", za.why ? za.why : "ignored");
            ignore(out, why, w);
        }
    }
    cJSON_Delete(j);
    return 0;
}

/* ---- Tasmota ------------------------------------------------------------------- */

/* SetOption73's multi-press words; more than two presses count as a
 * double. HOLD is Tasmota's StateText4, which can be renamed: the board
 * takes [buttons] tasmota_hold as well. */
static const struct word_map tasmota_actions[] = {
    {"SINGLE", TW_PRESS_SINGLE}, {"DOUBLE", TW_PRESS_DOUBLE}, {"TRIPLE", TW_PRESS_DOUBLE},
    {"QUAD", TW_PRESS_DOUBLE},   {"PENTA", TW_PRESS_DOUBLE},  {"HOLD", TW_PRESS_LONG},
};

/* Never a press: CLEAR (held past SetOption32 x 10, the reset window),
 * INC_DEC (a dimmer's hold). */
static const char *const tasmota_ignored[] = {"CLEAR", "INC_DEC"};

static void tasmota_action(const tw_adapter_ctx *ctx, const char *w, const char *input,
                           bool retained, tw_adapter_result *out)
{
    tw_press p = lookup(tasmota_actions, TW_ARRAY_LEN(tasmota_actions), w);
    if (p == TW_PRESS_NONE && ctx && ctx->tasmota_hold && ctx->tasmota_hold[0] &&
        strcasecmp(w, ctx->tasmota_hold) == 0)
        p = TW_PRESS_LONG;
    bool known = false;
    for (size_t i = 0; i < TW_ARRAY_LEN(tasmota_ignored); i++)
        known = known || strcasecmp(w, tasmota_ignored[i]) == 0;
    if (retained) {
        ignore(out, "retained %s", w);
    } else if (!w[0]) {
        ignore(out, "empty action%s", "");
    } else if (p == TW_PRESS_NONE && known) {
        ignore(out, "not a press: %s", w);
    } else if (p == TW_PRESS_NONE) {
        ignore(out, "unknown action: %s", w); /* a StateText4 the config does not name */
        tw_strlcpy(out->action, w, sizeof(out->action));
        out->unknown_action = true;
    } else {
        if (!out->unknown_action) /* the unknown word is the one to log */
            tw_strlcpy(out->action, w, sizeof(out->action));
        tw_adapter_event *e = add_event(out);
        if (e) {
            e->press = p;
            tw_strlcpy(e->input, input, sizeof(e->input));
        }
    }
}

/* "Button3" -> "3"; false for other keys. */
static bool tasmota_button_key(const char *key, char *input, size_t size)
{
    if (strncasecmp(key, "Button", 6) != 0 || !key[6] || strlen(key + 6) > 2)
        return false;
    for (const char *p = key + 6; *p; p++)
        if (*p < '0' || *p > '9')
            return false;
    tw_strlcpy(input, key + 6, size);
    return true;
}

static int parse_tasmota(const tw_adapter_ctx *ctx, const char *topic, const void *payload,
                         size_t len, bool retained, tw_adapter_result *out)
{
    size_t n;
    if (starts_with(topic, "tele/", &n) && ends_with(topic + n, "/LWT")) {
        if (!set_device(out, topic + n, strlen(topic + n) - 4))
            return TW_ERR_NOTFOUND;
        out->online = parse_online(payload, len);
        return 0;
    }
    if (!starts_with(topic, "stat/", &n))
        return TW_ERR_NOTFOUND;
    const char *rest = topic + n;
    const char *slash = strrchr(rest, '/');
    char topic_input[8] = "1";
    if (!slash)
        return TW_ERR_NOTFOUND;
    if (strcmp(slash, "/RESULT") != 0) {
        /* stat/<device>/BUTTON<n>: the older per-button topic. */
        char key[16];
        if (strlen(slash + 1) >= sizeof(key))
            return TW_ERR_NOTFOUND;
        tw_strlcpy(key, slash + 1, sizeof(key));
        if (strncmp(key, "BUTTON", 6) != 0 ||
            !tasmota_button_key(key, topic_input, sizeof(topic_input)))
            return TW_ERR_NOTFOUND;
    }
    if (!set_device(out, rest, (size_t)(slash - rest)))
        return TW_ERR_NOTFOUND;
    cJSON *j = cJSON_ParseWithLength(payload, len);
    if (cJSON_IsObject(j)) {
        bool any = false;
        const cJSON *c;
        cJSON_ArrayForEach(c, j)
        {
            char input[8];
            const cJSON *act = cJSON_GetObjectItemCaseSensitive(c, "Action");
            if (c->string && tasmota_button_key(c->string, input, sizeof(input)) &&
                cJSON_IsString(act)) {
                /* {"Button1":{"Action":"SINGLE"}} (SetOption73 1) */
                tasmota_action(ctx, act->valuestring, input, retained, out);
                any = true;
            } else if (c->string && strcmp(c->string, "ACTION") == 0 && cJSON_IsString(c)) {
                /* {"ACTION":"SINGLE"}: the older form */
                tasmota_action(ctx, c->valuestring, topic_input, retained, out);
                any = true;
            }
        }
        if (!any)
            ignore(out, "no button action%s", ""); /* {"POWER":"ON"} and friends */
    } else if (cJSON_IsString(j)) {
        tasmota_action(ctx, j->valuestring, topic_input, retained, out);
    } else if (strcmp(slash, "/RESULT") != 0) {
        char w[16]; /* stat/<device>/BUTTON1 SINGLE, unquoted */
        word(payload, len, w, sizeof(w));
        tasmota_action(ctx, w, topic_input, retained, out);
    } else {
        ignore(out, "not a JSON object%s", "");
    }
    cJSON_Delete(j);
    return 0;
}

/* ---- Shelly Gen 1 ----------------------------------------------------------------- */

/* S, SS, SSS (a triple counts as a double), L; SL and LS (a short and a
 * long press in one go) end or begin held: a long. */
static const struct word_map shelly_events[] = {
    {"S", TW_PRESS_SINGLE}, {"SS", TW_PRESS_DOUBLE}, {"SSS", TW_PRESS_DOUBLE},
    {"L", TW_PRESS_LONG},   {"SL", TW_PRESS_LONG},   {"LS", TW_PRESS_LONG},
};

static bool json_int64(const cJSON *v, int64_t *out)
{
    if (cJSON_IsNumber(v) && isfinite(v->valuedouble) && v->valuedouble >= 0 &&
        v->valuedouble < 9e15) {
        *out = (int64_t)v->valuedouble;
        return true;
    }
    if (cJSON_IsString(v) && v->valuestring[0]) {
        char *end;
        long long n = strtoll(v->valuestring, &end, 10);
        if (*end == '\0' && n >= 0) {
            *out = n;
            return true;
        }
    }
    return false;
}

static int parse_shelly(const char *topic, const void *payload, size_t len, bool retained,
                        tw_adapter_result *out)
{
    size_t n;
    if (!starts_with(topic, "shellies/", &n))
        return TW_ERR_NOTFOUND;
    const char *rest = topic + n;
    const char *p;
    if ((p = strstr(rest, "/input_event/")) != NULL) {
        const char *in = p + strlen("/input_event/");
        if (!*in || strchr(in, '/') || strlen(in) >= TW_ADAPTER_INPUT_SIZE ||
            !set_device(out, rest, (size_t)(p - rest)))
            return TW_ERR_NOTFOUND;
        cJSON *j = cJSON_ParseWithLength(payload, len);
        const cJSON *ev = cJSON_GetObjectItemCaseSensitive(j, "event");
        int64_t cnt = 0;
        bool has_cnt = json_int64(cJSON_GetObjectItemCaseSensitive(j, "event_cnt"), &cnt);
        if (!cJSON_IsObject(j)) {
            ignore(out, "not a JSON object%s", "");
        } else if (!cJSON_IsString(ev) || !ev->valuestring[0]) {
            ignore(out, "no event%s", ""); /* {"event":"","event_cnt":0} at boot */
        } else if (retained) {
            ignore(out, "retained %s", ev->valuestring);
        } else {
            tw_press pr = lookup(shelly_events, TW_ARRAY_LEN(shelly_events), ev->valuestring);
            tw_adapter_event *e = pr != TW_PRESS_NONE ? add_event(out) : NULL;
            if (e) {
                e->press = pr;
                tw_strlcpy(e->input, in, sizeof(e->input));
                e->has_counter = has_cnt;
                e->counter = cnt;
            } else {
                ignore(out, "unknown event: %s", ev->valuestring);
                tw_strlcpy(out->action, ev->valuestring, sizeof(out->action));
                out->unknown_action = true;
            }
        }
        cJSON_Delete(j);
        return 0;
    }
    if (ends_with(rest, "/sensor/battery")) {
        if (!set_device(out, rest, strlen(rest) - strlen("/sensor/battery")))
            return TW_ERR_NOTFOUND;
        out->battery = word_percent(payload, len);
        return 0;
    }
    if (ends_with(rest, "/online")) {
        if (!set_device(out, rest, strlen(rest) - strlen("/online")))
            return TW_ERR_NOTFOUND;
        out->online = parse_online(payload, len);
        return 0;
    }
    return TW_ERR_NOTFOUND;
}

/* ---- Shelly Gen 2 (RPC notifications) ------------------------------------------------ */

/* A triple counts as a double; btn_down/btn_up are edges (the board times
 * them when the device sends nothing else, firmware/buttons.c). */
static const struct word_map gen2_events[] = {
    {"single_push", TW_PRESS_SINGLE},
    {"double_push", TW_PRESS_DOUBLE},
    {"triple_push", TW_PRESS_DOUBLE},
    {"long_push", TW_PRESS_LONG},
};

static void gen2_event(const cJSON *ev, const cJSON *params, bool retained, tw_adapter_result *out)
{
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(ev, "event");
    const cJSON *comp = cJSON_GetObjectItemCaseSensitive(ev, "component");
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(ev, "id");
    if (!cJSON_IsString(name))
        return;
    tw_press p = lookup(gen2_events, TW_ARRAY_LEN(gen2_events), name->valuestring);
    tw_edge edge = strcmp(name->valuestring, "btn_down") == 0 ? TW_EDGE_DOWN
                   : strcmp(name->valuestring, "btn_up") == 0 ? TW_EDGE_UP
                                                              : TW_EDGE_NONE;
    if (p == TW_PRESS_NONE && edge == TW_EDGE_NONE) {
        ignore(out, "not a press: %s", name->valuestring); /* config_changed, scheduled_restart */
        return;
    }
    if (retained) {
        ignore(out, "retained %s", name->valuestring);
        return;
    }
    tw_adapter_event *e = add_event(out);
    if (!e)
        return;
    e->press = p;
    e->edge = edge;
    /* "input:0" -> "0"; other components (a BLU button behind a gateway)
     * keep their name. */
    if (cJSON_IsString(comp) && strncmp(comp->valuestring, "input:", 6) == 0)
        tw_strlcpy(e->input, comp->valuestring + 6, sizeof(e->input));
    else if (cJSON_IsString(comp))
        tw_strlcpy(e->input, comp->valuestring, sizeof(e->input));
    else if (cJSON_IsNumber(id) && id->valuedouble >= 0 && id->valuedouble <= 1e6)
        /* a component number; anything else (huge, negative, NaN) is not one */
        snprintf(e->input, sizeof(e->input), "%d", (int)id->valuedouble);
    else
        tw_strlcpy(e->input, "0", sizeof(e->input));
    const cJSON *ts = cJSON_GetObjectItemCaseSensitive(ev, "ts");
    if (!cJSON_IsNumber(ts))
        ts = cJSON_GetObjectItemCaseSensitive(params, "ts");
    if (cJSON_IsNumber(ts) && isfinite(ts->valuedouble)) {
        char input[TW_ADAPTER_INPUT_SIZE]; /* a copy: e->input and e->identity share e */
        tw_strlcpy(input, e->input, sizeof(input));
        snprintf(e->identity, sizeof(e->identity), "gen2:%s:%s:%.3f", input, name->valuestring,
                 ts->valuedouble);
    }
}

static int parse_gen2(const char *topic, const void *payload, size_t len, bool retained,
                      tw_adapter_result *out)
{
    if (ends_with(topic, "/online")) {
        if (!set_device(out, topic, strlen(topic) - strlen("/online")))
            return TW_ERR_NOTFOUND;
        out->online = parse_online(payload, len);
        return 0;
    }
    if (!ends_with(topic, "/events/rpc"))
        return TW_ERR_NOTFOUND;
    if (!set_device(out, topic, strlen(topic) - strlen("/events/rpc")))
        return TW_ERR_NOTFOUND;
    cJSON *j = cJSON_ParseWithLength(payload, len);
    const cJSON *method = cJSON_GetObjectItemCaseSensitive(j, "method");
    const cJSON *params = cJSON_GetObjectItemCaseSensitive(j, "params");
    if (!cJSON_IsString(method) || !cJSON_IsObject(params)) {
        ignore(out, "not an RPC notification%s", "");
    } else if (strcmp(method->valuestring, "NotifyEvent") == 0) {
        const cJSON *ev;
        cJSON_ArrayForEach(ev, cJSON_GetObjectItemCaseSensitive(params, "events"))
            gen2_event(ev, params, retained, out);
    } else if (strcmp(method->valuestring, "NotifyStatus") == 0 ||
               strcmp(method->valuestring, "NotifyFullStatus") == 0) {
        /* Battery devices (Plus H&T, BLU gateways) report devicepower:0. */
        const cJSON *dp = cJSON_GetObjectItemCaseSensitive(params, "devicepower:0");
        const cJSON *bat = cJSON_GetObjectItemCaseSensitive(dp, "battery");
        out->battery = json_percent(cJSON_GetObjectItemCaseSensitive(bat, "percent"));
    } else {
        ignore(out, "method %s", method->valuestring);
    }
    cJSON_Delete(j);
    return 0;
}

/* ---- ESPHome ------------------------------------------------------------------------ */

static int parse_esphome(const char *topic, const void *payload, size_t len, bool retained,
                         tw_adapter_result *out)
{
    if (ends_with(topic, "/status")) {
        if (!set_device(out, topic, strlen(topic) - strlen("/status")))
            return TW_ERR_NOTFOUND;
        out->online = parse_online(payload, len);
        return 0;
    }
    const char *p = strstr(topic, "/binary_sensor/");
    if (!p || !ends_with(topic, "/state"))
        return TW_ERR_NOTFOUND;
    const char *name = p + strlen("/binary_sensor/");
    size_t nlen = strlen(name) - strlen("/state");
    if (strlen(name) <= strlen("/state") || nlen >= TW_ADAPTER_INPUT_SIZE ||
        memchr(name, '/', nlen) || !set_device(out, topic, (size_t)(p - topic)))
        return TW_ERR_NOTFOUND;
    char w[8];
    word(payload, len, w, sizeof(w));
    tw_edge edge = strcasecmp(w, "ON") == 0    ? TW_EDGE_DOWN
                   : strcasecmp(w, "OFF") == 0 ? TW_EDGE_UP
                                               : TW_EDGE_NONE;
    if (edge == TW_EDGE_NONE) {
        ignore(out, "not ON or OFF: %s", w);
    } else if (retained) {
        ignore(out, "retained %s", w); /* ESPHome retains its state */
    } else {
        tw_adapter_event *e = add_event(out);
        e->edge = edge;
        memcpy(e->input, name, nlen);
        e->input[nlen] = '\0';
    }
    return 0;
}

/* ---- the board's own <root>/button/<name> ------------------------------------------ */

static int parse_mqtt(const tw_adapter_ctx *ctx, const char *topic, const void *payload, size_t len,
                      bool retained, tw_adapter_result *out)
{
    size_t n;
    if (!ctx || !ctx->root || !starts_with(topic, ctx->root, &n) ||
        strncmp(topic + n, "/button/", 8) != 0)
        return TW_ERR_NOTFOUND;
    const char *name = topic + n + 8;
    if (strchr(name, '/') || !set_device(out, name, strlen(name)))
        return TW_ERR_NOTFOUND;
    char w[16];
    word(payload, len, w, sizeof(w));
    const char *action = w, *id = NULL;
    cJSON *j = NULL;
    if (w[0] == '{') {
        j = cJSON_ParseWithLength(payload, len);
        const cJSON *a = cJSON_GetObjectItemCaseSensitive(j, "action");
        const cJSON *i = cJSON_GetObjectItemCaseSensitive(j, "id");
        const char *why = !cJSON_IsObject(j)        ? "invalid JSON"
                          : !a                      ? "missing key: action"
                          : !cJSON_IsString(a)      ? "action must be a string"
                          : i && !cJSON_IsString(i) ? "id must be a string"
                                                    : NULL;
        if (why) {
            ignore(out, "%s", why);
            out->invalid = true;
            cJSON_Delete(j);
            return 0;
        }
        action = a->valuestring;
        id = i ? i->valuestring : NULL;
        out->battery = json_percent(cJSON_GetObjectItemCaseSensitive(j, "battery"));
    }
    int p = tw_press_parse(action);
    if (p <= TW_PRESS_NONE) {
        ignore(out, "action must be single, double or long, not \"%s\"", action);
        out->invalid = true;
    } else if (retained) {
        ignore(out, "retained %s", action);
    } else {
        tw_adapter_event *e = add_event(out);
        e->press = (tw_press)p;
        if (id && *id)
            snprintf(e->identity, sizeof(e->identity), "id:%.80s", id);
    }
    cJSON_Delete(j);
    return 0;
}

/* ---- entry points --------------------------------------------------------------------- */

int tw_adapter_parse(tw_button_source src, const tw_adapter_ctx *ctx, const char *topic,
                     const void *payload, size_t len, bool retained, tw_adapter_result *out)
{
    if (!out)
        return TW_ERR_INVAL;
    memset(out, 0, sizeof(*out));
    out->battery = -1;
    out->online = -1;
    if (!topic || (!payload && len))
        return TW_ERR_INVAL;
    if (!payload)
        payload = "";
    if (len > TW_ADAPTER_MAX_PAYLOAD)
        return TW_ERR_NOTFOUND;
    int rc;
    switch (src) {
    case TW_SRC_ZIGBEE2MQTT: rc = parse_z2m(ctx, topic, payload, len, retained, out); break;
    case TW_SRC_TASMOTA: rc = parse_tasmota(ctx, topic, payload, len, retained, out); break;
    case TW_SRC_SHELLY: rc = parse_shelly(topic, payload, len, retained, out); break;
    case TW_SRC_SHELLY_GEN2: rc = parse_gen2(topic, payload, len, retained, out); break;
    case TW_SRC_ESPHOME: rc = parse_esphome(topic, payload, len, retained, out); break;
    case TW_SRC_MQTT: rc = parse_mqtt(ctx, topic, payload, len, retained, out); break;
    default: rc = TW_ERR_NOTFOUND; break;
    }
    if (rc) {
        memset(out, 0, sizeof(*out));
        out->battery = -1;
        out->online = -1;
    }
    return rc;
}

static void emit(tw_adapter_topic_fn fn, void *fctx, const char *fmt, const char *a, const char *b)
{
    char topic[256];
    int n = snprintf(topic, sizeof(topic), fmt, a, b ? b : "");
    if (n > 0 && (size_t)n < sizeof(topic))
        fn(fctx, topic);
}

void tw_adapter_device_topics(tw_button_source src, const tw_adapter_ctx *ctx, const char *device,
                              const char *input, tw_adapter_topic_fn fn, void *fctx)
{
    if (!device || !fn)
        return;
    bool any = !input || !*input;
    const char *base = ctx && ctx->z2m_base && *ctx->z2m_base ? ctx->z2m_base : "zigbee2mqtt";
    switch (src) {
    case TW_SRC_ZIGBEE2MQTT:
        emit(fn, fctx, "%s/%s", base, device);
        emit(fn, fctx, "%s/%s/availability", base, device);
        break;
    case TW_SRC_TASMOTA:
        emit(fn, fctx, "stat/%s/RESULT%s", device, NULL);
        if (any) {
            emit(fn, fctx, "stat/%s/BUTTON1%s", device, NULL);
        } else {
            char t[32];
            snprintf(t, sizeof(t), "/BUTTON%.8s", input);
            emit(fn, fctx, "stat/%s%s", device, t);
        }
        emit(fn, fctx, "tele/%s/LWT%s", device, NULL);
        break;
    case TW_SRC_SHELLY:
        emit(fn, fctx, "shellies/%s/input_event/%s", device, any ? "+" : input);
        emit(fn, fctx, "shellies/%s/sensor/battery%s", device, NULL);
        emit(fn, fctx, "shellies/%s/online%s", device, NULL);
        break;
    case TW_SRC_SHELLY_GEN2:
        emit(fn, fctx, "%s/events/rpc%s", device, NULL);
        emit(fn, fctx, "%s/online%s", device, NULL);
        break;
    case TW_SRC_ESPHOME:
        emit(fn, fctx, "%s/binary_sensor/%s/state", device, any ? "+" : input);
        emit(fn, fctx, "%s/status%s", device, NULL);
        break;
    case TW_SRC_MQTT:
        if (ctx && ctx->root)
            emit(fn, fctx, "%s/button/%s", ctx->root, device);
        break;
    default: break;
    }
}

void tw_adapter_discovery_topics(tw_button_source src, const tw_adapter_ctx *ctx,
                                 tw_adapter_topic_fn fn, void *fctx)
{
    if (!fn)
        return;
    const char *base = ctx && ctx->z2m_base && *ctx->z2m_base ? ctx->z2m_base : "zigbee2mqtt";
    switch (src) {
    case TW_SRC_ZIGBEE2MQTT: emit(fn, fctx, "%s/+%s", base, NULL); break;
    case TW_SRC_TASMOTA: fn(fctx, "stat/+/RESULT"); break;
    case TW_SRC_SHELLY: fn(fctx, "shellies/+/input_event/+"); break;
    case TW_SRC_SHELLY_GEN2: fn(fctx, "+/events/rpc"); break;
    case TW_SRC_MQTT:
        if (ctx && ctx->root)
            emit(fn, fctx, "%s/button/+%s", ctx->root, NULL);
        break;
    default: break;
    }
}

bool tw_topic_matches(const char *filter, const char *topic)
{
    if (!filter || !topic)
        return false;
    /* A wildcard at the first level does not match $SYS-style topics. */
    if (topic[0] == '$' && (filter[0] == '+' || filter[0] == '#'))
        return false;
    const char *f = filter, *t = topic;
    for (;;) {
        if (f[0] == '#' && f[1] == '\0')
            return true;
        const char *fe = strchr(f, '/'), *te = strchr(t, '/');
        size_t fl = fe ? (size_t)(fe - f) : strlen(f);
        size_t tl = te ? (size_t)(te - t) : strlen(t);
        if (!(fl == 1 && f[0] == '+') && (fl != tl || strncmp(f, t, fl) != 0))
            return false;
        if (!fe || !te) {
            /* "a/#" also matches "a" itself. */
            if (fe && !te && strcmp(fe, "/#") == 0)
                return true;
            return !fe && !te;
        }
        f = fe + 1;
        t = te + 1;
    }
}
