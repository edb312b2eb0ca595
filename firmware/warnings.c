/* SPDX-License-Identifier: MIT */
/*
 * A small sorted set of warnings keyed by string. Tens of entries at most, so
 * a plain array kept in display order is the simplest thing that works. The
 * retained state's "warnings" array is made here too, from each warning's
 * detail, with cJSON.
 */
#include "warnings.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct tw_warnings {
    tw_warning *items;
    size_t count, cap;
    uint64_t version;
};

tw_warnings *tw_warnings_create(void)
{
    return tw_xcalloc(1, sizeof(tw_warnings));
}

void tw_warnings_destroy(tw_warnings *w)
{
    if (!w)
        return;
    free(w->items);
    free(w);
}

static int order(const void *pa, const void *pb)
{
    const tw_warning *a = pa, *b = pb;
    if (a->level != b->level)
        return a->level > b->level ? -1 : 1;
    if (a->since != b->since)
        return a->since < b->since ? -1 : 1;
    return strcmp(a->key, b->key);
}

static tw_warning *find(const tw_warnings *w, const char *key)
{
    for (size_t i = 0; i < w->count; i++)
        if (strcmp(w->items[i].key, key) == 0)
            return &w->items[i];
    return NULL;
}

void tw_warning_raise(tw_warnings *w, const char *key, tw_warning_level level, const char *text,
                      int64_t now, int64_t ttl_s)
{
    tw_warning_raise_detail(w, key, level, text, now, ttl_s, NULL);
}

void tw_warning_raise_detail(tw_warnings *w, const char *key, tw_warning_level level,
                             const char *text, int64_t now, int64_t ttl_s,
                             const tw_warning_detail *detail)
{
    tw_warning *it = find(w, key);
    int64_t expires = ttl_s > 0 ? now + ttl_s : 0;
    tw_warning_detail d;
    memset(&d, 0, sizeof(d)); /* compared with memcmp: no stray padding bytes */
    if (detail) {
        d.kind = detail->kind;
        tw_strlcpy(d.subject, detail->subject, sizeof(d.subject));
        d.since = detail->since;
        d.battery = detail->battery;
    } else if (strncmp(key, "storage", 7) == 0) {
        d.kind = TW_WARNING_STORAGE;
        tw_strlcpy(d.subject, text, sizeof(d.subject));
    }
    if (it) {
        if (it->level == level && strcmp(it->text, text) == 0 && it->expires == expires &&
            memcmp(&it->detail, &d, sizeof(d)) == 0)
            return;
    } else {
        if (w->count == w->cap) {
            w->cap = w->cap ? w->cap * 2 : 8;
            w->items = tw_xrealloc(w->items, w->cap * sizeof(*w->items));
        }
        it = &w->items[w->count++];
        memset(it, 0, sizeof(*it));
        tw_strlcpy(it->key, key, sizeof(it->key));
        it->since = now;
    }
    tw_strlcpy(it->text, text, sizeof(it->text));
    it->level = level;
    it->expires = expires;
    it->detail = d;
    qsort(w->items, w->count, sizeof(*w->items), order);
    w->version++;
}

static void remove_at(tw_warnings *w, size_t i)
{
    memmove(&w->items[i], &w->items[i + 1], (w->count - i - 1) * sizeof(*w->items));
    w->count--;
    w->version++;
}

bool tw_warning_clear(tw_warnings *w, const char *key)
{
    tw_warning *it = find(w, key);
    if (!it)
        return false;
    remove_at(w, (size_t)(it - w->items));
    return true;
}

bool tw_warnings_expire(tw_warnings *w, int64_t now)
{
    bool any = false;
    for (size_t i = w->count; i-- > 0;) {
        if (w->items[i].expires && w->items[i].expires <= now) {
            remove_at(w, i);
            any = true;
        }
    }
    return any;
}

int64_t tw_warnings_next_expiry(const tw_warnings *w)
{
    int64_t next = 0;
    for (size_t i = 0; i < w->count; i++)
        if (w->items[i].expires && (!next || w->items[i].expires < next))
            next = w->items[i].expires;
    return next;
}

const tw_warning *tw_warnings_list(const tw_warnings *w, size_t *count)
{
    *count = w->count;
    return w->items;
}

uint64_t tw_warnings_version(const tw_warnings *w)
{
    return w->version;
}

const char *tw_warning_kind_name(tw_warning_kind kind)
{
    switch (kind) {
    case TW_WARNING_BUTTON_OFFLINE: return "button-offline";
    case TW_WARNING_BUTTON_BATTERY: return "button-battery";
    case TW_WARNING_STORAGE: return "storage";
    case TW_WARNING_UNASSIGNED: return "unassigned-button";
    default: return "other";
    }
}

cJSON *tw_warnings_state_json(const tw_warnings *w)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; w && i < w->count; i++) {
        const tw_warning *it = &w->items[i];
        const tw_warning_detail *d = &it->detail;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "kind", tw_warning_kind_name(d->kind));
        char buf[40];
        switch (d->kind) {
        case TW_WARNING_BUTTON_OFFLINE:
            cJSON_AddStringToObject(o, "button", d->subject);
            cJSON_AddStringToObject(o, "since", tw_time_format(d->since, buf, sizeof(buf)));
            break;
        case TW_WARNING_BUTTON_BATTERY:
            cJSON_AddStringToObject(o, "button", d->subject);
            cJSON_AddNumberToObject(o, "battery", d->battery);
            break;
        case TW_WARNING_STORAGE: cJSON_AddStringToObject(o, "reason", d->subject); break;
        case TW_WARNING_UNASSIGNED: cJSON_AddStringToObject(o, "topic", d->subject); break;
        default: break;
        }
        cJSON_AddStringToObject(o, "text", it->text);
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}

char *tw_warnings_add_to_state(char *state, const tw_warnings *w)
{
    /* The state is a whole JSON object (mqtt/codec.c prints it, without a
     * "warnings" key): the array goes in before its closing brace. Parsing
     * and printing it again cost ms a publish with 200 items. */
    size_t n = state ? strlen(state) : 0;
    while (n && (state[n - 1] == ' ' || state[n - 1] == '\n' || state[n - 1] == '\r' ||
                 state[n - 1] == '\t'))
        n--;
    if (n < 2 || state[0] != '{' || state[n - 1] != '}')
        return state;
    cJSON *arr = tw_warnings_state_json(w);
    char *json = cJSON_PrintUnformatted(arr);
    cJSON_Delete(arr);
    if (!json)
        return state;
    bool empty = true; /* "{}" or "{ }": no comma before the key */
    for (size_t i = 1; i + 1 < n && empty; i++)
        empty = state[i] == ' ' || state[i] == '\n' || state[i] == '\r' || state[i] == '\t';
    size_t jl = strlen(json), len = (n - 1) + 1 + 12 + jl + 2;
    char *out = malloc(len);
    if (out) {
        snprintf(out, len, "%.*s%s\"warnings\":%s}", (int)(n - 1), state, empty ? "" : ",", json);
        free(state);
        state = out;
    }
    free(json);
    return state;
}
