/* SPDX-License-Identifier: MIT */
/*
 * zigbee2mqtt's action words, as a key and a press. zigbee2mqtt publishes
 * what a remote or push button did as one word in "action": "single",
 * "1_double", "on_press_release", "arrow_left_hold", "brightness_move_up",
 * "button_3_single_pressed"... Each device has its own vocabulary
 * (zigbee-herdsman-converters' definitions; tests/data/z2m-actions.tsv holds
 * them all). This module reads a word as tokens: which key of the device
 * ("2", "left", "on", "" for a device with one), which gesture (single,
 * double, long), or a deliberate ignore (releases, stops, light controls that
 * repeat while held, dial rotation, status reports).
 *
 * Pure: a word (and the device's whole vocabulary, when zigbee2mqtt's device
 * list gave it) in, a verdict out. Used by mqtt/adapters.c.
 */
#ifndef TW_Z2M_ACTIONS_H
#define TW_Z2M_ACTIONS_H

#include <stdbool.h>

#include "adapters.h"

typedef enum tw_z2m_verdict {
    TW_Z2M_PRESS = 0, /* a press of key */
    TW_Z2M_EDGE,      /* key went down or up: the board times the press (edge) */
    TW_Z2M_IGNORE,    /* deliberately nothing; why says why */
    TW_Z2M_UNKNOWN,   /* a word this table does not know */
} tw_z2m_verdict;

typedef struct tw_z2m_action {
    tw_z2m_verdict verdict;
    tw_press press; /* TW_Z2M_PRESS: single, double (also triple and more, shake) or long */
    tw_edge edge;   /* TW_Z2M_EDGE: down or up */
    /* Which key: "" for the device as a whole ("single", "hold"), else the
     * word's key tokens joined by '_': "2" (Tuya 2_single), "left" (IKEA
     * arrow_left_click), "on"/"off"/"up"/"down" (Hue on_press_release,
     * IKEA on / brightness_move_up), "l1", "top_left", "scene_1". */
    char key[TW_ADAPTER_INPUT_SIZE];
    const char *why; /* TW_Z2M_IGNORE / UNKNOWN: a short reason (static) */
} tw_z2m_action;

/*
 * Read one action word. vocab is the device's action words separated by
 * spaces (zigbee2mqtt's bridge/devices), or NULL when unknown. It tells:
 *  - a device that reports a key going down and up (Hue's on_press and
 *    on_press_release or on_hold_release, the Hue smart button's press and
 *    release, press_1 and release_1): then those words are edges, timed by
 *    the board like an ESPHome button (two quick presses a double, held a
 *    long), and its own hold report is left to that timing;
 *  - a press of its own (press_1 with no release_1) from such a start;
 *  - whether IKEA's brightness_move_up is the hold of the "on" key (a
 *    two-key remote) or of an "up" key.
 * Without it: "<key>_press" is Hue's initial press (ignored),
 * "<key>_press_release" a single, "<key>_hold" a long.
 */
void tw_z2m_action_parse(const char *word, const char *vocab, tw_z2m_action *out);

#endif
