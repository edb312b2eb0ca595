/* SPDX-License-Identifier: MIT */
/*
 * Home Assistant MQTT discovery (PROTOCOL.md): with [homeassistant]
 * enabled, the board announces four sensors read from its retained state
 * (open blockers, open questions, the median time to clear a blocker, in
 * hours, and the wins this week) and its status topic as their availability, and announces them
 * again whenever Home Assistant says on <prefix>/status that it is online.
 * Pure: topics and JSON (cJSON) in, nothing sent here.
 */
#ifndef TW_HOMEASSISTANT_H
#define TW_HOMEASSISTANT_H

#include <stddef.h>

#define TW_HA_SENSORS 4
#define TW_HA_TOPIC   320

typedef struct tw_ha_config {
    char topic[TW_HA_TOPIC]; /* <prefix>/sensor/teamwall_<team>_<board>/<object>/config */
    char *payload;           /* JSON, the caller's to free (tw_ha_free) */
} tw_ha_config;

/* The discovery configs of this board. prefix: the discovery prefix
 * ("homeassistant"); root: the board's topic root ("teamwall/acme"); team
 * and board as configured (a board id's '.' and ':' become '_' where Home
 * Assistant allows only [a-zA-Z0-9_-]). */
void tw_ha_discovery(const char *prefix, const char *root, const char *team, const char *board,
                     const char *version, tw_ha_config out[TW_HA_SENSORS]);
void tw_ha_free(tw_ha_config configs[TW_HA_SENSORS]);

/* "<prefix>/status" into buf: where Home Assistant says "online" after its
 * own restart, asking every device to announce itself again. */
void tw_ha_status_topic(const char *prefix, char *buf, size_t size);

#endif
