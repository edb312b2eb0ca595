/* SPDX-License-Identifier: MIT */
/*
 * Desk buttons, the configuration half (declared in buttons.h with the
 * running half, firmware/buttons.c): the [button "name"] and [buttons]
 * sections read through the config section hook, checked as a whole after
 * loading (a section without source or device, two sections for one device
 * and input), the post texts with {who}, and key names. Pure: no store, no
 * clock.
 */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buttons.h"
#include "config.h"
#include "text.h"
#include "util.h"

static const char *const default_texts[TW_KIND_COUNT] = {
    [TW_KIND_BLOCKER] = "{who} is blocked",
    [TW_KIND_QUESTION] = "{who} has a question",
    [TW_KIND_WIN] = "Win from {who}!",
};

static const char *const text_keys[TW_KIND_COUNT] = {
    [TW_KIND_BLOCKER] = "blocker_text",
    [TW_KIND_QUESTION] = "question_text",
    [TW_KIND_WIN] = "win_text",
};

/* ---- config ------------------------------------------------------------------------- */

struct tw_button_config {
    tw_button_def *defs;
    size_t count, cap;
    bool discover;
    char z2m_base[TW_ADAPTER_DEVICE_SIZE];
    char tasmota_hold[TW_ADAPTER_INPUT_SIZE]; /* a renamed StateText4 */
    char text[TW_KIND_COUNT][TW_BUTTON_TEXT_SIZE];
};

tw_button_config *tw_button_config_create(void)
{
    tw_button_config *bc = tw_xcalloc(1, sizeof(*bc));
    bc->discover = true;
    tw_strlcpy(bc->z2m_base, "zigbee2mqtt", sizeof(bc->z2m_base));
    return bc;
}

void tw_button_config_destroy(tw_button_config *bc)
{
    if (!bc)
        return;
    free(bc->defs);
    free(bc);
}

size_t tw_button_config_count(const tw_button_config *bc)
{
    return bc ? bc->count : 0;
}

const tw_button_def *tw_button_config_get(const tw_button_config *bc, size_t i)
{
    return bc && i < bc->count ? &bc->defs[i] : NULL;
}

bool tw_button_config_discover(const tw_button_config *bc)
{
    return bc ? bc->discover : true;
}

const char *tw_button_config_z2m_base(const tw_button_config *bc)
{
    return bc ? bc->z2m_base : "zigbee2mqtt";
}

const char *tw_button_config_tasmota_hold(const tw_button_config *bc)
{
    return bc ? bc->tasmota_hold : "";
}

static void def_defaults(tw_button_def *d, const char *name)
{
    memset(d, 0, sizeof(*d));
    tw_strlcpy(d->name, name, sizeof(d->name));
    d->action[TW_PRESS_SINGLE] = TW_ACTION_BLOCKER;
    d->action[TW_PRESS_DOUBLE] = TW_ACTION_QUESTION;
    d->action[TW_PRESS_LONG] = TW_ACTION_RESOLVE_OWN;
    d->offline_s = TW_BUTTON_OFFLINE_S;
}

static bool name_valid(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > TW_BUTTON_NAME_MAX)
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
            return false;
    return true;
}

/* The name in a section header: `button "desk-3"` or `button desk-3`.
 * 0 and the name, 1 for the [buttons] section, -1 for neither. */
static int section_name(const char *section, char *name, size_t size, char *err, size_t esz)
{
    if (strcmp(section, "buttons") == 0)
        return 1;
    if (strncmp(section, "button", 6) != 0 || (section[6] != ' ' && section[6] != '\t')) {
        snprintf(err, esz, "unknown section [%s]", section);
        return -1;
    }
    const char *p = section + 6;
    while (*p == ' ' || *p == '\t')
        p++;
    size_t n;
    if (*p == '"') {
        const char *q = strchr(p + 1, '"');
        if (!q || q[1] != '\0') {
            snprintf(err, esz, "a button section reads [button \"name\"], not [%s]", section);
            return -1;
        }
        p++;
        n = (size_t)(q - p);
    } else {
        n = strlen(p);
        while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
            n--;
    }
    if (n >= size) {
        snprintf(err, esz, "button name is too long (max %d characters)", TW_BUTTON_NAME_MAX);
        return -1;
    }
    memcpy(name, p, n);
    name[n] = '\0';
    if (!name_valid(name)) {
        snprintf(err, esz, "button name must be 1-%d of [A-Za-z0-9_-], not \"%s\"",
                 TW_BUTTON_NAME_MAX, name);
        return -1;
    }
    return 0;
}

static tw_button_def *def_for(tw_button_config *bc, const char *name, int line)
{
    for (size_t i = 0; i < bc->count; i++)
        if (strcmp(bc->defs[i].name, name) == 0)
            return &bc->defs[i];
    if (bc->count == bc->cap) {
        bc->cap = bc->cap ? bc->cap * 2 : 8;
        bc->defs = tw_xrealloc(bc->defs, bc->cap * sizeof(*bc->defs));
    }
    tw_button_def *d = &bc->defs[bc->count++];
    def_defaults(d, name);
    d->line = line;
    return d;
}

/* A topic part: no wildcards, no control characters, no empty levels. */
static bool topic_part_valid(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n == 0 || n > max || s[0] == '/' || s[n - 1] == '/' || strstr(s, "//"))
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7f || *p == '+' || *p == '#')
            return false;
    return tw_utf8_valid(s, n);
}

/* Clean a person's name or a text template with the board's text rules. */
static int clean_text(const char *v, size_t max_chars, char *out, size_t size, char *err,
                      size_t esz)
{
    const char *why = NULL;
    if (tw_text_clean(v, strlen(v), 1, max_chars, out, size, &why)) {
        snprintf(err, esz, "%s", why ? why : "is not valid");
        return -1;
    }
    return 0;
}

static int set_text(char *field, const char *v, char *err, size_t esz)
{
    char buf[TW_BUTTON_TEXT_SIZE * 4];
    if (clean_text(v, TW_BUTTON_TEXT_SIZE - 1, buf, sizeof(buf), err, esz))
        return -1;
    if (strlen(buf) >= TW_BUTTON_TEXT_SIZE) {
        snprintf(err, esz, "is too long (max %d bytes)", TW_BUTTON_TEXT_SIZE - 1);
        return -1;
    }
    tw_strlcpy(field, buf, TW_BUTTON_TEXT_SIZE);
    return 0;
}

static int parse_bool(const char *v, bool *out)
{
    if (!strcasecmp(v, "true") || !strcasecmp(v, "yes") || !strcasecmp(v, "on") ||
        !strcmp(v, "1")) {
        *out = true;
        return 0;
    }
    if (!strcasecmp(v, "false") || !strcasecmp(v, "no") || !strcasecmp(v, "off") ||
        !strcmp(v, "0")) {
        *out = false;
        return 0;
    }
    return -1;
}

static int buttons_key(tw_button_config *bc, const char *key, const char *v, char *err, size_t esz)
{
    for (int k = 0; k < TW_KIND_COUNT; k++)
        if (strcmp(key, text_keys[k]) == 0)
            return set_text(bc->text[k], v, err, esz);
    if (strcmp(key, "discover") == 0) {
        if (parse_bool(v, &bc->discover)) {
            snprintf(err, esz, "not a boolean (true/false): \"%s\"", v);
            return -1;
        }
        return 0;
    }
    if (strcmp(key, "zigbee2mqtt_topic") == 0) {
        if (!topic_part_valid(v, TW_ADAPTER_DEVICE_SIZE - 1)) {
            snprintf(err, esz, "not a topic without wildcards: \"%s\"", v);
            return -1;
        }
        tw_strlcpy(bc->z2m_base, v, sizeof(bc->z2m_base));
        return 0;
    }
    if (strcmp(key, "tasmota_hold") == 0) {
        /* Tasmota's StateText4 (the hold word), when it was renamed */
        size_t n = strlen(v);
        bool ok = n > 0 && n < sizeof(bc->tasmota_hold);
        for (const char *p = v; ok && *p; p++)
            ok = isalnum((unsigned char)*p) || *p == '_' || *p == '-';
        if (!ok) {
            snprintf(err, esz,
                     "must be Tasmota's StateText4 word (1-%d of [A-Za-z0-9_-]), not \"%s\"",
                     (int)sizeof(bc->tasmota_hold) - 1, v);
            return -1;
        }
        tw_strlcpy(bc->tasmota_hold, v, sizeof(bc->tasmota_hold));
        return 0;
    }
    snprintf(err, esz,
             "unknown key in [buttons] (discover, zigbee2mqtt_topic, tasmota_hold, blocker_text, "
             "question_text, win_text)");
    return -1;
}

static int button_key(tw_button_def *d, const char *key, const char *v, char *err, size_t esz)
{
    if (strcmp(key, "source") == 0) {
        int s = tw_button_source_parse(v);
        if (s < 0) {
            snprintf(err, esz,
                     "unknown source \"%s\" (zigbee2mqtt, tasmota, shelly, shelly-gen2, "
                     "esphome, mqtt or key)",
                     v);
            return -1;
        }
        d->source = (tw_button_source)s;
        d->has_source = true;
        return 0;
    }
    if (strcmp(key, "device") == 0) {
        if (!topic_part_valid(v, TW_ADAPTER_DEVICE_SIZE - 1)) {
            snprintf(err, esz,
                     "must be 1-%d bytes without + or #, control characters or empty topic "
                     "levels, not \"%s\"",
                     TW_ADAPTER_DEVICE_SIZE - 1, v);
            return -1;
        }
        tw_strlcpy(d->device, v, sizeof(d->device));
        return 0;
    }
    if (strcmp(key, "input") == 0) {
        size_t n = strlen(v);
        bool ok = n > 0 && n < TW_ADAPTER_INPUT_SIZE;
        for (const char *p = v; ok && *p; p++)
            ok = isalnum((unsigned char)*p) || *p == '_' || *p == '-' || *p == ':';
        if (!ok) {
            snprintf(err, esz, "must be 1-%d of [A-Za-z0-9_:-], not \"%s\"",
                     TW_ADAPTER_INPUT_SIZE - 1, v);
            return -1;
        }
        tw_strlcpy(d->input, v, sizeof(d->input));
        return 0;
    }
    if (strcmp(key, "who") == 0)
        return clean_text(v, TW_AUTHOR_MAX_CHARS, d->who, sizeof(d->who), err, esz);
    for (int p = TW_PRESS_SINGLE; p < TW_PRESS_COUNT; p++) {
        if (strcmp(key, tw_press_name((tw_press)p)) != 0)
            continue;
        int a = tw_button_action_parse(v);
        if (a < 0) {
            snprintf(err, esz,
                     "unknown action \"%s\" (blocker, question, win, resolve-own, claim-oldest, "
                     "standup-start, standup-next or none)",
                     v);
            return -1;
        }
        d->action[p] = (tw_button_action)a;
        return 0;
    }
    for (int k = 0; k < TW_KIND_COUNT; k++)
        if (strcmp(key, text_keys[k]) == 0)
            return set_text(d->text[k], v, err, esz);
    if (strcmp(key, "offline_minutes") == 0) {
        /* Minutes, fractions allowed (0.5 is 30 s), whole seconds kept: a
         * test waits seconds, not an hour. */
        char *end;
        errno = 0;
        double m = strtod(v, &end);
        if (errno || end == v || *end || !(m >= 0) || m > 10080 || (m > 0 && m * 60 < 0.5)) {
            snprintf(err, esz,
                     "must be 0-10080 minutes (fractions allowed, at least a second; 0: never "
                     "warn), not \"%s\"",
                     v);
            return -1;
        }
        d->offline_s = (int)(m * 60 + 0.5);
        return 0;
    }
    snprintf(err, esz,
             "unknown key in a button section (source, device, input, who, single, "
             "double, long, blocker_text, question_text, win_text, offline_minutes)");
    return -1;
}

static int config_hook(void *ctx, const char *section, const char *key, const char *value, int line,
                       char *err, size_t esz)
{
    tw_button_config *bc = ctx;
    char name[TW_BUTTON_NAME_SIZE];
    int kind = section_name(section, name, sizeof(name), err, esz);
    if (kind < 0)
        return TW_ERR_INVAL;
    int rc;
    if (kind == 1) {
        if (bc) {
            rc = buttons_key(bc, key, value, err, esz);
        } else {
            tw_button_config *tmp = tw_button_config_create();
            rc = buttons_key(tmp, key, value, err, esz);
            tw_button_config_destroy(tmp);
        }
    } else if (bc) {
        rc = button_key(def_for(bc, name, line), key, value, err, esz);
    } else {
        tw_button_def tmp;
        def_defaults(&tmp, name);
        rc = button_key(&tmp, key, value, err, esz);
    }
    return rc ? TW_ERR_INVAL : 0;
}

void tw_button_config_install(tw_button_config *bc)
{
    /* "button" also catches [buttons] and misspelt sections; config_hook
     * tells them apart. */
    tw_config_set_section_hook("button", config_hook, bc);
}

/* Lines of [button ...] headers, for errors about whole sections (the hook
 * only ever sees keys, so a section without keys is only found here). */
struct header {
    char name[TW_BUTTON_NAME_SIZE];
    int line;
};

static size_t scan_headers(const char *path, struct header *out, size_t max)
{
    FILE *f = path ? fopen(path, "r") : NULL;
    if (!f)
        return 0;
    char buf[1024], err[160];
    size_t n = 0;
    for (int line = 1; n < max && fgets(buf, sizeof(buf), f); line++) {
        char *p = buf;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p != '[')
            continue;
        char *close = strchr(p, ']');
        if (!close)
            continue;
        *close = '\0';
        char name[TW_BUTTON_NAME_SIZE];
        if (section_name(p + 1, name, sizeof(name), err, sizeof(err)) != 0)
            continue;
        bool seen = false;
        for (size_t i = 0; i < n; i++)
            seen = seen || strcmp(out[i].name, name) == 0;
        if (!seen) {
            tw_strlcpy(out[n].name, name, sizeof(out[n].name));
            out[n++].line = line;
        }
    }
    fclose(f);
    return n;
}

static bool same_device(const tw_button_def *a, const tw_button_def *b)
{
    if (a->source != b->source || strcmp(a->input, b->input) != 0)
        return false;
    if (a->source == TW_SRC_KEY) {
        char ka[64], kb[64];
        tw_button_key_normalize(a->device, ka, sizeof(ka));
        tw_button_key_normalize(b->device, kb, sizeof(kb));
        return strcmp(ka, kb) == 0;
    }
    return strcmp(a->device, b->device) == 0;
}

int tw_button_config_check(tw_button_config *bc, const char *path, char *err, size_t err_size)
{
    if (!bc)
        return 0;
    const char *file = path ? path : "config";
    size_t max = bc->count + 64;
    struct header *h = tw_xcalloc(max, sizeof(*h));
    size_t nh = scan_headers(path, h, max);
    int ret = 0;
    /* A header whose section has no keys never reached the hook. */
    for (size_t i = 0; i < nh && !ret; i++) {
        bool known = false;
        for (size_t j = 0; j < bc->count; j++)
            known = known || strcmp(bc->defs[j].name, h[i].name) == 0;
        if (!known) {
            snprintf(err, err_size, "%s:%d: device: missing in [button \"%s\"]", file, h[i].line,
                     h[i].name);
            ret = TW_ERR_PARSE;
        }
    }
    for (size_t i = 0; i < bc->count && !ret; i++) {
        tw_button_def *d = &bc->defs[i];
        for (size_t j = 0; j < nh; j++)
            if (strcmp(h[j].name, d->name) == 0)
                d->line = h[j].line;
        const char *key = NULL, *why = NULL;
        char reason[400] = "";
        if (!d->has_source) {
            key = "source";
            why = "missing";
        } else if (!d->device[0]) {
            key = "device";
            why = "missing";
        } else if (d->input[0] && (d->source == TW_SRC_MQTT || d->source == TW_SRC_KEY)) {
            key = "input";
            snprintf(reason, sizeof(reason), "%s buttons have one input",
                     tw_button_source_name(d->source));
        } else if (d->source == TW_SRC_MQTT && !name_valid(d->device)) {
            key = "device";
            snprintf(reason, sizeof(reason),
                     "an mqtt button's device is the last level of <root>/button/<device>: "
                     "1-%d of [A-Za-z0-9_-]",
                     TW_BUTTON_NAME_MAX);
        } else if (d->source == TW_SRC_KEY) {
            char k[64];
            tw_button_key_normalize(d->device, k, sizeof(k));
            if (!k[0]) {
                key = "device";
                snprintf(reason, sizeof(reason), "not a key name: \"%s\"", d->device);
            }
        }
        for (size_t j = 0; j < i && !key; j++) {
            if (same_device(d, &bc->defs[j])) {
                key = "device";
                snprintf(reason, sizeof(reason), "\"%s\"%s%s is also [button \"%s\"]", d->device,
                         d->input[0] ? " input " : "", d->input, bc->defs[j].name);
            }
        }
        if (key) {
            if (why)
                snprintf(reason, sizeof(reason), "%s in [button \"%s\"]", why, d->name);
            snprintf(err, err_size, "%s:%d: %s: %s", file, d->line, key, reason);
            ret = TW_ERR_PARSE;
        }
        if (!d->who[0])
            tw_strlcpy(d->who, d->name, sizeof(d->who));
    }
    free(h);
    return ret;
}

void tw_button_text(const tw_button_config *bc, const tw_button_def *def, tw_kind kind, char *out,
                    size_t size)
{
    if (!out || !size)
        return;
    out[0] = '\0';
    if ((unsigned)kind >= TW_KIND_COUNT)
        return;
    const char *tpl = def && def->text[kind][0] ? def->text[kind]
                      : bc && bc->text[kind][0] ? bc->text[kind]
                                                : default_texts[kind];
    const char *who = def && def->who[0] ? def->who : def ? def->name : "someone";
    size_t n = 0;
    for (const char *p = tpl; *p && n + 1 < size;) {
        if (strncmp(p, "{who}", 5) == 0) {
            size_t w = strlen(who);
            if (n + w >= size)
                w = size - 1 - n;
            memcpy(out + n, who, w);
            n += w;
            p += 5;
        } else {
            out[n++] = *p++;
        }
    }
    out[n] = '\0';
}

void tw_button_key_normalize(const char *name, char *out, size_t size)
{
    if (!out || !size)
        return;
    out[0] = '\0';
    if (!name)
        return;
    char low[128];
    size_t n = 0;
    for (const char *p = name; *p && n + 1 < sizeof(low); p++)
        low[n++] = (char)tolower((unsigned char)*p);
    low[n] = '\0';
    const char *p = low;
    const char *prefix = "";
    if (strncmp(p, "keypad", 6) == 0) {
        prefix = "kp"; /* SDL's "Keypad 1" is X11's KP_1 */
        p += 6;
    } else if (strncmp(p, "key_", 4) == 0 && p[4]) {
        p += 4; /* Linux input names: KEY_F1 */
    }
    size_t o = 0;
    for (const char *q = prefix; *q && o + 1 < size; q++)
        out[o++] = *q;
    for (; *p && o + 1 < size; p++)
        if (*p != ' ' && *p != '_')
            out[o++] = *p;
    out[o] = '\0';
}
