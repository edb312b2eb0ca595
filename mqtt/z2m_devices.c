/* SPDX-License-Identifier: MIT */
/*
 * The device list, read with cJSON into a flat array (tens of devices, a
 * few hundred at most: a linear find is fine). The action words are the
 * "values" of the expose named "action" of type "enum", at the top level of
 * "exposes" or one level down in a composite's "features".
 */
#define _POSIX_C_SOURCE 200809L
#include "z2m_devices.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "../firmware/util.h"

struct tw_z2m_devices {
    tw_z2m_device *dev;
    size_t n;
};

tw_z2m_devices *tw_z2m_devices_create(void)
{
    return tw_xcalloc(1, sizeof(tw_z2m_devices));
}

static void clear(tw_z2m_devices *d)
{
    for (size_t i = 0; i < d->n; i++)
        free(d->dev[i].vocab);
    free(d->dev);
    d->dev = NULL;
    d->n = 0;
}

void tw_z2m_devices_destroy(tw_z2m_devices *d)
{
    if (!d)
        return;
    clear(d);
    free(d);
}

static void copy_str(const cJSON *obj, const char *key, char *out, size_t size)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    tw_strlcpy(out, cJSON_IsString(v) ? v->valuestring : "", size);
}

/* The "action" enum among exposes (or a composite's features). */
static const cJSON *action_expose(const cJSON *exposes, int depth)
{
    const cJSON *e;
    cJSON_ArrayForEach(e, exposes)
    {
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(e, "name");
        const cJSON *type = cJSON_GetObjectItemCaseSensitive(e, "type");
        if (cJSON_IsString(name) && strcmp(name->valuestring, "action") == 0 &&
            cJSON_IsString(type) && strcmp(type->valuestring, "enum") == 0)
            return e;
        if (depth == 0) {
            const cJSON *f = action_expose(cJSON_GetObjectItemCaseSensitive(e, "features"), 1);
            if (f)
                return f;
        }
    }
    return NULL;
}

static char *vocab_of(const cJSON *definition)
{
    const cJSON *act = action_expose(cJSON_GetObjectItemCaseSensitive(definition, "exposes"), 0);
    const cJSON *values = cJSON_GetObjectItemCaseSensitive(act, "values");
    size_t len = 1;
    const cJSON *v;
    cJSON_ArrayForEach(v, values) if (cJSON_IsString(v)) len += strlen(v->valuestring) + 1;
    char *out = tw_xcalloc(1, len), *p = out;
    cJSON_ArrayForEach(v, values)
    {
        /* a word with a space in it could not be told apart: not one of ours */
        if (!cJSON_IsString(v) || !v->valuestring[0] || strchr(v->valuestring, ' '))
            continue;
        size_t n = strlen(v->valuestring);
        if (p != out)
            *p++ = ' ';
        memcpy(p, v->valuestring, n);
        p += n;
    }
    *p = '\0';
    return out;
}

int tw_z2m_devices_update(tw_z2m_devices *d, const void *payload, size_t len)
{
    if (!d || !payload || len > TW_Z2M_DEVICES_MAX_PAYLOAD)
        return TW_ERR_PARSE;
    cJSON *j = cJSON_ParseWithLength(payload, len);
    if (!cJSON_IsArray(j)) {
        cJSON_Delete(j);
        return TW_ERR_PARSE;
    }
    clear(d);
    size_t cap = (size_t)cJSON_GetArraySize(j);
    d->dev = tw_xcalloc(cap ? cap : 1, sizeof(*d->dev));
    const cJSON *e;
    cJSON_ArrayForEach(e, j)
    {
        if (!cJSON_IsObject(e) || d->n == cap)
            continue;
        tw_z2m_device *dv = &d->dev[d->n];
        copy_str(e, "friendly_name", dv->name, sizeof(dv->name));
        copy_str(e, "ieee_address", dv->ieee, sizeof(dv->ieee));
        if (!dv->name[0] && !dv->ieee[0])
            continue;
        const cJSON *def = cJSON_GetObjectItemCaseSensitive(e, "definition");
        copy_str(def, "vendor", dv->vendor, sizeof(dv->vendor));
        copy_str(def, "model", dv->model, sizeof(dv->model));
        copy_str(def, "description", dv->description, sizeof(dv->description));
        dv->vocab = vocab_of(def);
        d->n++;
    }
    cJSON_Delete(j);
    return (int)d->n;
}

const tw_z2m_device *tw_z2m_devices_find(const tw_z2m_devices *d, const char *name)
{
    if (!d || !name || !*name)
        return NULL;
    for (size_t i = 0; i < d->n; i++)
        if (strcmp(d->dev[i].name, name) == 0 || strcmp(d->dev[i].ieee, name) == 0)
            return &d->dev[i];
    return NULL;
}

size_t tw_z2m_devices_count(const tw_z2m_devices *d)
{
    return d ? d->n : 0;
}
