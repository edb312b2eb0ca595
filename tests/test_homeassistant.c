/* SPDX-License-Identifier: MIT */
/*
 * Home Assistant discovery configs (mqtt/homeassistant.c): topics, the
 * fields Home Assistant needs, ids it accepts, one device per board.
 */
#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdio.h>
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
    static const char *const templates[TW_HA_SENSORS] = {
        "{{ value_json.open.blocker }}", "{{ value_json.open.question }}", NULL, NULL};
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

/*
 * Home Assistant's MQTT sensor schema, as its source defines it (see the
 * note at the top of mqtt/homeassistant.c for the files and the version):
 * every key a discovery config may carry, with its JSON type. A key outside
 * this table makes Home Assistant refuse the whole config.
 */
static const struct ha_key {
    const char *key;
    int type; /* cJSON_String, cJSON_Object, cJSON_Number, cJSON_True (bool), cJSON_Array */
} ha_sensor_schema[] = {
    /* sensor.py PLATFORM_SCHEMA */
    {"device_class", cJSON_String},
    {"expire_after", cJSON_Number},
    {"force_update", cJSON_True},
    {"last_reset_value_template", cJSON_String},
    {"name", cJSON_String},
    {"options", cJSON_Array},
    {"state_class", cJSON_String},
    {"suggested_display_precision", cJSON_Number},
    {"unit_of_measurement", cJSON_String},
    /* MQTT_RO_SCHEMA */
    {"state_topic", cJSON_String},
    {"value_template", cJSON_String},
    {"qos", cJSON_Number},
    {"encoding", cJSON_String},
    /* schemas.py MQTT_AVAILABILITY_SCHEMA */
    {"availability_topic", cJSON_String},
    {"availability_template", cJSON_String},
    {"payload_available", cJSON_String},
    {"payload_not_available", cJSON_String},
    {"availability", cJSON_Array},
    {"availability_mode", cJSON_String},
    /* schemas.py MQTT_ENTITY_COMMON_SCHEMA */
    {"device", cJSON_Object},
    {"origin", cJSON_Object},
    {"enabled_by_default", cJSON_True},
    {"entity_category", cJSON_String},
    {"entity_picture", cJSON_String},
    {"icon", cJSON_String},
    {"json_attributes_topic", cJSON_String},
    {"json_attributes_template", cJSON_String},
    {"default_entity_id", cJSON_String},
    {"unique_id", cJSON_String},
};
static const char *const ha_device_keys[] = {
    "identifiers", "connections", "manufacturer",   "model",
    "model_id",    "name",        "hw_version",     "serial_number",
    "sw_version",  "via_device",  "suggested_area", "configuration_url",
};
static const char *const ha_origin_keys[] = {"name", "sw_version", "support_url"};
/* sensor's DEVICE_CLASS_UNITS for duration, and its state classes */
static const char *const duration_units[] = {"d", "h", "min", "s", "ms"};
static const char *const state_classes[] = {"measurement", "total", "total_increasing"};

static bool in_list(const char *s, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, list[i]) == 0)
            return true;
    return false;
}

static bool type_ok(const cJSON *v, int type)
{
    if (type == cJSON_True)
        return cJSON_IsBool(v);
    return (v->type & 0xff) == type;
}

/* Check one config as Home Assistant's voluptuous schema would. */
static void check_schema(const char *payload)
{
    cJSON *o = cJSON_Parse(payload);
    CHECK(cJSON_IsObject(o));
    if (!o)
        return;
    for (const cJSON *v = o->child; v; v = v->next) {
        const struct ha_key *k = NULL;
        for (size_t i = 0; i < sizeof(ha_sensor_schema) / sizeof(*ha_sensor_schema); i++)
            if (strcmp(v->string, ha_sensor_schema[i].key) == 0)
                k = &ha_sensor_schema[i];
        if (!k)
            fprintf(stderr, "key not in Home Assistant's sensor schema: %s\n", v->string);
        CHECK(k != NULL);
        if (k)
            CHECK(type_ok(v, k->type));
    }
    /* Required, and the exclusive availability pair. */
    CHECK(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(o, "state_topic")));
    CHECK(
        !(cJSON_HasObjectItem(o, "availability") && cJSON_HasObjectItem(o, "availability_topic")));
    CHECK(!cJSON_HasObjectItem(o, "object_id")); /* removed in 2026.4 */
    /* default_entity_id is a whole entity id of this platform. */
    const char *eid = str(o, "default_entity_id");
    CHECK(strncmp(eid, "sensor.", 7) == 0 && strlen(eid) > 7);
    for (const char *p = eid + 7; *p; p++)
        CHECK((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_');
    const cJSON *dev = cJSON_GetObjectItemCaseSensitive(o, "device");
    for (const cJSON *v = dev ? dev->child : NULL; v; v = v->next)
        CHECK(in_list(v->string, ha_device_keys, sizeof(ha_device_keys) / sizeof(*ha_device_keys)));
    CHECK(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(dev, "identifiers")) >= 1);
    const cJSON *origin = cJSON_GetObjectItemCaseSensitive(o, "origin");
    CHECK(cJSON_IsObject(origin));
    for (const cJSON *v = origin ? origin->child : NULL; v; v = v->next)
        CHECK(in_list(v->string, ha_origin_keys, sizeof(ha_origin_keys) / sizeof(*ha_origin_keys)));
    CHECK(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(origin, "name")));
    if (cJSON_HasObjectItem(o, "state_class"))
        CHECK(in_list(str(o, "state_class"), state_classes, 3));
    if (strcmp(str(o, "device_class"), "duration") == 0)
        CHECK(in_list(str(o, "unit_of_measurement"), duration_units, 5));
    cJSON_Delete(o);
}

static void test_schema(void)
{
    tw_ha_config c[TW_HA_SENSORS];
    tw_ha_discovery("homeassistant", "teamwall/acme", "acme", "wall1", "1.2.0", c);
    for (int i = 0; i < TW_HA_SENSORS; i++)
        check_schema(c[i].payload);
    cJSON *o = cJSON_Parse(c[0].payload);
    CHECK_EQ_STR(str(o, "default_entity_id"), "sensor.teamwall_acme_wall1_open_blockers");
    const cJSON *origin = cJSON_GetObjectItemCaseSensitive(o, "origin");
    CHECK_EQ_STR(str(origin, "name"), "teamwall");
    CHECK_EQ_STR(str(origin, "sw_version"), "1.2.0");
    cJSON_Delete(o);
    o = cJSON_Parse(c[3].payload);
    CHECK_EQ_STR(str(o, "value_template"),
                 "{{ value_json.figures.wins_week if value_json.figures.wins_week is defined "
                 "else none }}");
    cJSON_Delete(o);
    tw_ha_free(c);
}

static void test_ids(void)
{
    /* a board id may hold '.' and ':'; Home Assistant's ids may not */
    tw_ha_config c[TW_HA_SENSORS];
    tw_ha_discovery("ha", "tw/x-1", "x-1", "Pi.local:2", "0", c);
    CHECK_EQ_STR(c[0].topic, "ha/sensor/teamwall_x-1_Pi_local_2/open_blockers/config");
    for (int i = 0; i < TW_HA_SENSORS; i++)
        check_schema(c[i].payload);
    cJSON *o = cJSON_Parse(c[0].payload);
    CHECK_EQ_STR(str(o, "default_entity_id"), "sensor.teamwall_x_1_pi_local_2_open_blockers");
    CHECK_EQ_STR(str(o, "state_topic"), "tw/x-1/board/Pi.local:2/state"); /* the real topic */
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
    test_schema();
    return check_done();
}
