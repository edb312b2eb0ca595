/* SPDX-License-Identifier: MIT */
/*
 * Home Assistant discovery configs (mqtt/homeassistant.c): topics, the
 * fields Home Assistant needs, ids it accepts, one device per board.
 */
#include <cjson/cJSON.h>
#include <string.h>

#include "check.h"
#include "homeassistant.h"

static const char *str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : "(missing)";
}

static void test_configs(void)
{
    tw_ha_config c[TW_HA_SENSORS];
    tw_ha_discovery("homeassistant", "teamwall/acme", "acme", "wall1", "1.2.0", c);
    CHECK_EQ_STR(c[0].topic, "homeassistant/sensor/teamwall_acme_wall1/open_blockers/config");
    CHECK_EQ_STR(c[1].topic, "homeassistant/sensor/teamwall_acme_wall1/open_questions/config");
    CHECK_EQ_STR(c[2].topic,
                 "homeassistant/sensor/teamwall_acme_wall1/blocker_clear_median/config");
    static const char *const templates[TW_HA_SENSORS] = {"{{ value_json.open.blocker }}",
                                                         "{{ value_json.open.question }}", NULL};
    for (int i = 0; i < TW_HA_SENSORS; i++) {
        cJSON *o = cJSON_Parse(c[i].payload);
        CHECK(o != NULL);
        CHECK_EQ_STR(str(o, "state_topic"), "teamwall/acme/board/wall1/state");
        CHECK_EQ_STR(str(o, "availability_topic"), "teamwall/acme/board/wall1/status");
        CHECK_EQ_STR(str(o, "availability_template"), "{{ value_json.state }}");
        CHECK_EQ_STR(str(o, "payload_available"), "online");
        CHECK_EQ_STR(str(o, "payload_not_available"), "offline");
        CHECK(strncmp(str(o, "unique_id"), "teamwall_acme_wall1_", 20) == 0);
        if (templates[i])
            CHECK_EQ_STR(str(o, "value_template"), templates[i]);
        const cJSON *dev = cJSON_GetObjectItemCaseSensitive(o, "device");
        const cJSON *ids = cJSON_GetObjectItemCaseSensitive(dev, "identifiers");
        CHECK(cJSON_IsArray(ids) && cJSON_GetArraySize(ids) == 1);
        CHECK_EQ_STR(cJSON_GetArrayItem(ids, 0)->valuestring, "teamwall_acme_wall1");
        CHECK_EQ_STR(str(dev, "sw_version"), "1.2.0");
        cJSON_Delete(o);
    }
    cJSON *o = cJSON_Parse(c[2].payload);
    CHECK_EQ_STR(str(o, "unit_of_measurement"), "h");
    CHECK_EQ_STR(str(o, "device_class"), "duration");
    CHECK(strstr(str(o, "value_template"), "median_s / 3600") != NULL);
    cJSON_Delete(o);
    tw_ha_free(c);
    CHECK(c[0].payload == NULL);
}

static void test_ids(void)
{
    /* a board id may hold '.' and ':'; Home Assistant's ids may not */
    tw_ha_config c[TW_HA_SENSORS];
    tw_ha_discovery("ha", "tw/x-1", "x-1", "pi.local:2", "0", c);
    CHECK_EQ_STR(c[0].topic, "ha/sensor/teamwall_x-1_pi_local_2/open_blockers/config");
    cJSON *o = cJSON_Parse(c[0].payload);
    CHECK_EQ_STR(str(o, "state_topic"), "tw/x-1/board/pi.local:2/state"); /* the real topic */
    cJSON_Delete(o);
    tw_ha_free(c);
    char buf[64];
    tw_ha_status_topic("homeassistant", buf, sizeof(buf));
    CHECK_EQ_STR(buf, "homeassistant/status");
}

int main(void)
{
    test_configs();
    test_ids();
    return check_done();
}
