/* SPDX-License-Identifier: MIT */
/*
 * Retained-state ownership (see guard.h): parse with cJSON, compare the
 * "team" and "board" strings with what the reader subscribed to.
 */
#include "guard.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

static const char *str_of(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

bool tw_guard_state_is_own(const char *json, size_t len, const char *team, const char *board,
                           char *why, size_t why_size)
{
    bool own = false;
    cJSON *o = cJSON_ParseWithLength(json, len);
    const char *t = NULL, *b = NULL;
    if (!cJSON_IsObject(o)) {
        if (why)
            snprintf(why, why_size, "not a JSON object");
        goto out;
    }
    t = str_of(o, "team");
    b = str_of(o, "board");
    own = t && b && strcmp(t, team) == 0 && strcmp(b, board) == 0;
    if (!own && why)
        snprintf(why, why_size, "it names team \"%.32s\", board \"%.64s\"", t ? t : "(none)",
                 b ? b : "(none)");
out:
    cJSON_Delete(o);
    return own;
}
