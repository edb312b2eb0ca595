/* SPDX-License-Identifier: MIT */
/*
 * State warnings (see statewarn.h), with cJSON: parse the state, append the
 * array, print it again unformatted.
 */
#include "statewarn.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

char *tw_statewarn_add(char *json, const tw_warning *w, size_t n)
{
    cJSON *o = json ? cJSON_Parse(json) : NULL;
    if (!cJSON_IsObject(o) || cJSON_GetObjectItemCaseSensitive(o, "warnings")) {
        cJSON_Delete(o);
        return json;
    }
    cJSON *arr = cJSON_AddArrayToObject(o, "warnings");
    for (size_t i = 0; arr && i < n; i++) {
        char kind[TW_WARNING_KEY_SIZE], since[32];
        tw_strlcpy(kind, w[i].key, sizeof kind);
        kind[strcspn(kind, ":")] = '\0';
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "kind", kind);
        cJSON_AddStringToObject(e, "reason", w[i].text);
        if (w[i].since && tw_time_format(w[i].since, since, sizeof since))
            cJSON_AddStringToObject(e, "since", since);
        cJSON_AddItemToArray(arr, e);
    }
    char *out = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (!out)
        return json;
    free(json);
    return out;
}
