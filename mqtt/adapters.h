/* SPDX-License-Identifier: MIT */
/*
 * Desk-button adapters: what each kind of button publishes (zigbee2mqtt,
 * Tasmota, Shelly Gen 1 and Gen 2, ESPHome, the board's own <root>/button/…)
 * translated into presses, edges and health. Pure: (source, topic, payload,
 * retained flag) in, a tw_adapter_result value out; no broker, no store, no
 * clock. Timing edges into presses, de-duplication and actions are
 * firmware/buttons.c's job; the adapters only translate, accepting every form
 * docs/BUTTONS.md lists, old and new.
 *
 * A retained message never yields a press or an edge (zigbee2mqtt and ESPHome
 * retain their last state; a board that restarts must not re-flag anything),
 * but its health (battery, online) still counts: it is the device's last word.
 */
#ifndef TW_ADAPTERS_H
#define TW_ADAPTERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum tw_button_source {
    TW_SRC_ZIGBEE2MQTT = 0,
    TW_SRC_TASMOTA,
    TW_SRC_SHELLY, /* Gen 1 */
    TW_SRC_SHELLY_GEN2,
    TW_SRC_ESPHOME,
    TW_SRC_MQTT, /* <root>/button/<name> */
    TW_SRC_KEY,  /* SDL keys (firmware/input.c), not MQTT */
    TW_SRC_COUNT
} tw_button_source;

typedef enum tw_press {
    TW_PRESS_NONE = 0,
    TW_PRESS_SINGLE,
    TW_PRESS_DOUBLE, /* also triple and more presses: "more than one" */
    TW_PRESS_LONG,
    TW_PRESS_COUNT
} tw_press;

typedef enum tw_edge { TW_EDGE_NONE = 0, TW_EDGE_DOWN, TW_EDGE_UP } tw_edge;

#define TW_ADAPTER_DEVICE_SIZE   129 /* a device name or topic part, 128 bytes at most */
#define TW_ADAPTER_INPUT_SIZE    33
#define TW_ADAPTER_IDENTITY_SIZE 96
#define TW_ADAPTER_MAX_EVENTS    4
#define TW_ADAPTER_MAX_PAYLOAD   65536 /* larger payloads are nobody's button */

/* "zigbee2mqtt", "tasmota", "shelly", "shelly-gen2", "esphome", "mqtt", "key";
 * and back (-1 for an unknown name). */
const char *tw_button_source_name(tw_button_source src);
int tw_button_source_parse(const char *name);
/* "single", "double", "long" ("none" for TW_PRESS_NONE); and back (-1). */
const char *tw_press_name(tw_press press);
int tw_press_parse(const char *name);

/* One thing a device reported about one of its inputs. */
typedef struct tw_adapter_event {
    tw_press press; /* a whole press the device recognised itself, or NONE */
    tw_edge edge;   /* or an edge for the board to time (ESPHome), or NONE */
    /* Which input of the device: "0".."3" (Shelly, Shelly Gen 2 "input:N"),
     * "1".."8" (Tasmota ButtonN), the binary sensor (ESPHome), the key a
     * zigbee2mqtt action word names ("2" of 2_single, "left" of
     * arrow_left_click, mqtt/z2m_actions.h); "" for devices with one button
     * (mqtt, a one-key zigbee2mqtt button). */
    char input[TW_ADAPTER_INPUT_SIZE];
    /* The device's own identity of this press, the same when the message is
     * delivered again and different for the next press: zigbee2mqtt's
     * last_seen (epoch ms or ISO time with fractions), Shelly Gen 2's event
     * ts, an mqtt producer's "id". "" when the payload has none. */
    char identity[TW_ADAPTER_IDENTITY_SIZE];
    bool has_counter; /* Shelly Gen 1 event_cnt */
    int64_t counter;
    /* A long press the device repeats while the key is held (Hue's on_hold,
     * every second, when its device list is not known): repeats close
     * together are one press. */
    bool repeats;
} tw_adapter_event;

typedef struct tw_adapter_result {
    char device[TW_ADAPTER_DEVICE_SIZE]; /* the device the topic names */
    tw_adapter_event events[TW_ADAPTER_MAX_EVENTS];
    int n_events;
    int battery; /* percent 0..100; -1: not in this message */
    int online;  /* 1 online, 0 offline; -1: not in this message */
    /* Why a message on a press topic made no press ("retained", "release",
     * "empty action", "unknown action: toggle_hue"), for debug logs. */
    char ignored[80];
    /* Set (mqtt source only) when the payload breaks the documented form,
     * so the board can reject it like a malformed command. */
    bool invalid;
    /* The device's own word for what happened (zigbee2mqtt "action", Tasmota
     * "Action", Shelly "event"), "" if none; unknown_action when no table
     * knows it (the board logs that once per device and word). */
    char action[64];
    bool unknown_action;
} tw_adapter_result;

/* What the adapters need to know about the board's set-up. Borrowed. */
typedef struct tw_adapter_ctx {
    const char *root;     /* "<prefix>/<team>": the mqtt source lives under it */
    const char *z2m_base; /* zigbee2mqtt's base topic, "zigbee2mqtt" */
    /* A zigbee2mqtt device's action words, space separated, from
     * zigbee2mqtt's device list; NULL (the function or its answer) when not
     * known. Tells Hue's initial press from a press (mqtt/z2m_actions.h). */
    const char *(*z2m_vocab)(void *vctx, const char *device);
    void *vctx;
    /* Tasmota's hold word when StateText4 was renamed ("HOLD" always works);
     * NULL or "" for none. */
    const char *tasmota_hold;
} tw_adapter_ctx;

/*
 * Translate one message. Returns 0 when topic is one that src publishes on
 * (out->device set; out may still carry no event and no health), or
 * TW_ERR_NOTFOUND when it is not (a topic of another source, the
 * zigbee2mqtt bridge's own topics, a device name that does not fit). The
 * topic is looked at before the payload, so a foreign topic costs no parse.
 * payload (len bytes, not necessarily terminated) and topic are borrowed.
 */
int tw_adapter_parse(tw_button_source src, const tw_adapter_ctx *ctx, const char *topic,
                     const void *payload, size_t len, bool retained, tw_adapter_result *out);

/* Called with each topic filter to subscribe to; the string is borrowed. */
typedef void (*tw_adapter_topic_fn)(void *fctx, const char *filter);

/*
 * The exact topics one device needs: presses and health. input narrows the
 * press topic where the topic names the input (Shelly Gen 1 input_event/N,
 * Tasmota BUTTONN, ESPHome binary_sensor/NAME); "" means every input. key has
 * none. Topics longer than 255 bytes are skipped (the device name is checked
 * at config time).
 */
void tw_adapter_device_topics(tw_button_source src, const tw_adapter_ctx *ctx, const char *device,
                              const char *input, tw_adapter_topic_fn fn, void *fctx);

/*
 * Wildcard filters that show presses from devices nobody configured yet
 * (for "Unassigned button … pressed" and teamwall-ctl buttons). Only press
 * topics, one level each: zigbee2mqtt/+, stat/+/RESULT, shellies/+/input_event/+,
 * +/events/rpc, <root>/button/+. ESPHome and keys have none: a binary sensor
 * is not necessarily a button.
 */
void tw_adapter_discovery_topics(tw_button_source src, const tw_adapter_ctx *ctx,
                                 tw_adapter_topic_fn fn, void *fctx);

/* MQTT topic filter matching (+ one level, # the rest), as the broker does it. */
bool tw_topic_matches(const char *filter, const char *topic);

#endif
