/* SPDX-License-Identifier: MIT */
/* Warnings: raise, update, clear, expire, order, version; the retained
 * state's "warnings" array (PROTOCOL.md, "Warnings in the state"). */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "warnings.h"

static void test_state_json(void)
{
    tw_warnings *w = tw_warnings_create();
    tw_warning_detail off = {
        .kind = TW_WARNING_BUTTON_OFFLINE, .subject = "desk-3", .since = 1764061200};
    tw_warning_raise_detail(w, "offline:desk-3", TW_WARN_WARNING, "Button desk-3 offline", 100, 0,
                            &off);
    tw_warning_detail bat = {.kind = TW_WARNING_BUTTON_BATTERY, .subject = "desk-3", .battery = 9};
    tw_warning_raise_detail(w, "battery:desk-3", TW_WARN_WARNING, "Button desk-3: battery 9 %", 101,
                            0, &bat);
    tw_warning_raise(w, "storage", TW_WARN_ERROR, "Storage trouble: disk full", 102, 0);
    tw_warning_detail un = {.kind = TW_WARNING_UNASSIGNED, .subject = "zigbee2mqtt/0x1234"};
    tw_warning_raise_detail(w, "unassigned:z:0x1234", TW_WARN_INFO, "Unassigned", 103, 60, &un);
    /* The detail alone changing is a change (a new battery figure). */
    uint64_t v = tw_warnings_version(w);
    bat.battery = 8;
    tw_warning_raise_detail(w, "battery:desk-3", TW_WARN_WARNING, "Button desk-3: battery 9 %", 104,
                            0, &bat);
    CHECK(tw_warnings_version(w) > v);
    char *state = tw_warnings_add_to_state(strdup("{\"team\":\"acme\",\"items\":[]}"), w);
    cJSON *j = cJSON_Parse(state);
    CHECK_EQ_STR(cJSON_GetObjectItem(j, "team")->valuestring, "acme");
    cJSON *arr = cJSON_GetObjectItem(j, "warnings");
    CHECK_EQ_INT(cJSON_GetArraySize(arr), 4);
    const char *want[4][4] = {
        {"storage", "reason", "Storage trouble: disk full", NULL},
        {"button-offline", "button", "desk-3", "2025-11-25T09:00:00Z"},
        {"button-battery", "button", "desk-3", NULL},
        {"unassigned-button", "topic", "zigbee2mqtt/0x1234", NULL},
    };
    for (int i = 0; i < 4 && i < cJSON_GetArraySize(arr); i++) {
        cJSON *o = cJSON_GetArrayItem(arr, i);
        CHECK_EQ_STR(cJSON_GetObjectItem(o, "kind")->valuestring, want[i][0]);
        cJSON *subject = cJSON_GetObjectItem(o, want[i][1]);
        CHECK(cJSON_IsString(subject));
        if (cJSON_IsString(subject))
            CHECK_EQ_STR(subject->valuestring, want[i][2]);
        if (want[i][3]) {
            CHECK(cJSON_IsString(cJSON_GetObjectItem(o, "since")));
            if (cJSON_IsString(cJSON_GetObjectItem(o, "since")))
                CHECK_EQ_STR(cJSON_GetObjectItem(o, "since")->valuestring, want[i][3]);
        }
        CHECK(cJSON_IsString(cJSON_GetObjectItem(o, "text")));
    }
    CHECK_EQ_INT(cJSON_GetObjectItem(cJSON_GetArrayItem(arr, 2), "battery")->valueint, 8);
    cJSON_Delete(j);
    free(state);
    /* Not an object: handed back unchanged. */
    char *bad = strdup("[1]");
    CHECK(tw_warnings_add_to_state(bad, w) == bad);
    free(bad);
    /* No warnings: an empty array, not a missing key. */
    tw_warnings_destroy(w);
    state = tw_warnings_add_to_state(strdup("{}"), NULL);
    CHECK_EQ_STR(state, "{\"warnings\":[]}");
    free(state);
    state = tw_warnings_add_to_state(strdup("{\"a\":{\"b\":[1]}}\n"), NULL);
    CHECK_EQ_STR(state, "{\"a\":{\"b\":[1]},\"warnings\":[]}");
    j = cJSON_Parse(state);
    CHECK(cJSON_IsArray(cJSON_GetObjectItem(j, "warnings")));
    cJSON_Delete(j);
    free(state);
}

int main(void)
{
    test_state_json();
    tw_warnings *w = tw_warnings_create();
    size_t n;
    CHECK(tw_warnings_list(w, &n) != NULL || n == 0);
    CHECK_EQ_INT(n, 0);
    uint64_t v0 = tw_warnings_version(w);
    tw_warning_raise(w, "battery:desk-3", TW_WARN_WARNING, "Desk 3 button: battery 9 %", 100, 0);
    tw_warning_raise(w, "storage", TW_WARN_ERROR, "Storage: disk full", 200, 0);
    tw_warning_raise(w, "unassigned:x", TW_WARN_INFO, "Unassigned button x pressed", 150, 60);
    const tw_warning *list = tw_warnings_list(w, &n);
    CHECK_EQ_INT(n, 3);
    CHECK_EQ_STR(list[0].key, "storage"); /* most severe first */
    CHECK_EQ_STR(list[1].key, "battery:desk-3");
    CHECK_EQ_STR(list[2].key, "unassigned:x");
    CHECK_EQ_INT(list[2].expires, 210);
    CHECK(tw_warnings_version(w) > v0);
    /* Raising the same again changes nothing. */
    uint64_t v1 = tw_warnings_version(w);
    tw_warning_raise(w, "battery:desk-3", TW_WARN_WARNING, "Desk 3 button: battery 9 %", 300, 0);
    CHECK_EQ_INT(tw_warnings_version(w), v1);
    list = tw_warnings_list(w, &n);
    CHECK_EQ_INT(list[1].since, 100); /* keeps its first time */
    /* Updating the text bumps the version. */
    tw_warning_raise(w, "battery:desk-3", TW_WARN_WARNING, "Desk 3 button: battery 7 %", 300, 0);
    CHECK(tw_warnings_version(w) > v1);
    CHECK_EQ_INT(tw_warnings_next_expiry(w), 210);
    CHECK(!tw_warnings_expire(w, 209));
    CHECK(tw_warnings_expire(w, 210));
    tw_warnings_list(w, &n);
    CHECK_EQ_INT(n, 2);
    CHECK_EQ_INT(tw_warnings_next_expiry(w), 0);
    CHECK(tw_warning_clear(w, "storage"));
    CHECK(!tw_warning_clear(w, "storage"));
    list = tw_warnings_list(w, &n);
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_STR(list[0].text, "Desk 3 button: battery 7 %");
    tw_warnings_destroy(w);
    tw_warnings_destroy(NULL);
    return check_done();
}
