/* SPDX-License-Identifier: MIT */
/*
 * Home Assistant discovery configs: one sensor each for open blockers, open
 * questions, the median time to clear a blocker and the wins this week, all
 * reading the board's retained state with a value template, available while
 * the board's status says "online", grouped as one device per board, with
 * the origin block Home Assistant logs discovered entities by.
 *
 * The keys are those of Home Assistant's MQTT sensor schema, checked against
 * home-assistant/core's source: homeassistant/components/mqtt/schemas.py
 * (MQTT_ENTITY_COMMON_SCHEMA, MQTT_ORIGIN_INFO_SCHEMA: origin needs "name",
 * takes "sw_version" and "support_url"; MQTT_ENTITY_DEVICE_INFO_SCHEMA: at
 * least one identifier), as of 2025.10, where CONF_DEFAULT_ENTITY_ID
 * ("default_entity_id", a whole entity id such as "sensor.x") replaced
 * CONF_OBJECT_ID ("object_id", deprecated in 2025.10 and removed in
 * 2026.4), and sensor.py's PLATFORM_SCHEMA (device_class, state_class,
 * unit_of_measurement; state_topic required). tests/test_homeassistant.c
 * holds that key table and checks every config against it.
 */
#define _POSIX_C_SOURCE 200809L
#include "homeassistant.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "log.h"
#include "util.h"

static const struct sensor {
    const char *object, *name, *icon, *value_template, *unit, *device_class;
} sensors[TW_HA_SENSORS] = {
    {"open_blockers", N_("Open blockers"), "mdi:alert-octagon", "{{ value_json.open.blocker }}",
     NULL, NULL},
    {"open_questions", N_("Open questions"), "mdi:help-circle", "{{ value_json.open.question }}",
     NULL, NULL},
    /* Hours, and unknown (none) until a blocker was cleared in the window. */
    {"blocker_clear_median", N_("Median time to clear a blocker"), "mdi:timer-outline",
     "{{ (value_json.figures.blocker_clear.median_s / 3600) | round(1) "
     "if value_json.figures.blocker_clear is defined and value_json.figures.blocker_clear.count "
     "else none }}",
     "h", "duration"},
    {"wins_week", N_("Wins this week"), "mdi:trophy",
     "{{ value_json.figures.wins_week if value_json.figures.wins_week is defined else none }}",
     NULL, NULL},
};

/* Home Assistant's ids take [a-zA-Z0-9_-]: anything else becomes '_'. */
static void node_id(const char *team, const char *board, char *buf, size_t size)
{
    snprintf(buf, size, "teamwall_%s_%s", team, board);
    for (char *p = buf; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '_' || *p == '-'))
            *p = '_';
}

static void oom(void)
{
    log_error("out of memory building JSON; aborting so the service restarts");
    abort();
}

static void add_str(cJSON *o, const char *key, const char *value)
{
    if (!cJSON_AddStringToObject(o, key, value))
        oom();
}

void tw_ha_discovery(const char *prefix, const char *root, const char *team, const char *board,
                     const char *version, tw_ha_config out[TW_HA_SENSORS])
{
    char node[160], state[TW_HA_TOPIC], status[TW_HA_TOPIC], uid[224], entity[232], devname[160];
    node_id(team, board, node, sizeof(node));
    snprintf(state, sizeof(state), "%s/board/%s/state", root, board);
    snprintf(status, sizeof(status), "%s/board/%s/status", root, board);
    snprintf(devname, sizeof(devname), "teamwall %s (%s)", team, board);
    for (int i = 0; i < TW_HA_SENSORS; i++) {
        const struct sensor *s = &sensors[i];
        snprintf(out[i].topic, sizeof(out[i].topic), "%s/sensor/%s/%s/config", prefix, node,
                 s->object);
        snprintf(uid, sizeof(uid), "%s_%s", node, s->object);
        /* An entity id takes [a-z0-9_] only. */
        snprintf(entity, sizeof(entity), "sensor.%s", uid);
        for (char *p = entity + 7; *p; p++)
            *p = *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') : *p == '-' ? '_' : *p;
        cJSON *o = cJSON_CreateObject(), *dev = cJSON_CreateObject(), *ids = cJSON_CreateArray(),
              *origin = cJSON_CreateObject();
        if (!o || !dev || !ids || !origin)
            oom();
        add_str(o, "name", _(s->name));
        add_str(o, "unique_id", uid);
        add_str(o, "default_entity_id", entity);
        add_str(o, "state_topic", state);
        add_str(o, "value_template", s->value_template);
        add_str(o, "state_class", "measurement");
        add_str(o, "icon", s->icon);
        if (s->unit)
            add_str(o, "unit_of_measurement", s->unit);
        if (s->device_class)
            add_str(o, "device_class", s->device_class);
        add_str(o, "availability_topic", status);
        add_str(o, "availability_template", "{{ value_json.state }}");
        add_str(o, "payload_available", "online");
        add_str(o, "payload_not_available", "offline");
        cJSON *id = cJSON_CreateString(node);
        if (!id || !cJSON_AddItemToArray(ids, id) ||
            !cJSON_AddItemToObject(dev, "identifiers", ids))
            oom();
        add_str(dev, "name", devname);
        add_str(dev, "manufacturer", "teamwall");
        add_str(dev, "model", "team board");
        add_str(dev, "sw_version", version);
        if (!cJSON_AddItemToObject(o, "device", dev))
            oom();
        add_str(origin, "name", "teamwall");
        add_str(origin, "sw_version", version);
        if (!cJSON_AddItemToObject(o, "origin", origin))
            oom();
        out[i].payload = cJSON_PrintUnformatted(o);
        cJSON_Delete(o);
        if (!out[i].payload)
            oom();
    }
}

void tw_ha_free(tw_ha_config configs[TW_HA_SENSORS])
{
    for (int i = 0; i < TW_HA_SENSORS; i++) {
        free(configs[i].payload);
        configs[i].payload = NULL;
    }
}

void tw_ha_status_topic(const char *prefix, char *buf, size_t size)
{
    snprintf(buf, size, "%s/status", prefix);
}
