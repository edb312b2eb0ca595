/* SPDX-License-Identifier: MIT */
/*
 * Desk buttons: the [button "name"] sections of the config
 * (firmware/button_config.c), and the module that turns what the buttons
 * send into commands for the one door (firmware/buttons.c).
 *
 *   MQTT message ─ mqtt/adapters ─> press | edge | health ─┐
 *   SDL key (firmware/input.c) ──────────────> edge ────────┤
 *                                                           ▼
 *   tw_buttons: edges timed into presses (single, double, long), identical
 *   presses within 300 ms merged, Shelly's event_cnt de-duplicated, each press
 *   recorded once by a stable id, its action made a tw_command
 *   (tw_buttons_next_command) for tw_board_apply(); battery and availability
 *   kept in the store and shown as wall warnings; presses from devices nobody
 *   configured shown as "Unassigned button <name> pressed" for a minute;
 *   zigbee2mqtt's device list (<base>/bridge/devices) read for each
 *   device's model and action words (mqtt/z2m_devices.h).
 *
 * The module writes the store (buttons, button_presses) inside the caller's
 * transaction: tw_buttons_message() and tw_buttons_tick() expect one to be open
 * (otherwise each write commits on its own), and after a rollback the caller
 * calls tw_buttons_reload(). It borrows the store, the board (to pick the
 * item resolve-own and claim-oldest act on) and the warnings.
 */
#ifndef TW_BUTTONS_H
#define TW_BUTTONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../mqtt/adapters.h"
#include "board.h"
#include "item.h"
#include "store.h"
#include "warnings.h"

#define TW_BUTTON_NAME_MAX       32 /* [A-Za-z0-9_-] */
#define TW_BUTTON_NAME_SIZE      (TW_BUTTON_NAME_MAX + 1)
#define TW_BUTTON_TEXT_SIZE      201 /* a text template, {who} included */
#define TW_BUTTON_DOUBLE_MS      400 /* edges: a second press this soon after a release */
#define TW_BUTTON_LONG_MS        800 /* edges: held this long */
#define TW_BUTTON_DEDUP_MS       300 /* identical presses this close are one */
#define TW_BUTTON_BATTERY_LOW    15  /* percent: below this, a warning */
#define TW_BUTTON_OFFLINE_S      3600
#define TW_BUTTON_UNASSIGNED_TTL 60 /* seconds the "Unassigned button" line stays */

/* What a press does. The names are the config's. */
typedef enum tw_button_action {
    TW_ACTION_NONE = 0,
    TW_ACTION_BLOCKER,
    TW_ACTION_QUESTION,
    TW_ACTION_WIN,
    TW_ACTION_RESOLVE_OWN,
    TW_ACTION_CLAIM_OLDEST,
    TW_ACTION_STANDUP_START,
    TW_ACTION_STANDUP_NEXT,
    TW_ACTION_COUNT
} tw_button_action;

/* "blocker", "resolve-own", ...; and back (-1 for an unknown name). */
const char *tw_button_action_name(tw_button_action action);
int tw_button_action_parse(const char *name);
/* False for actions the board accepts in the config but cannot do yet
 * (the stand-up ones until the stand-up mode exists). */
bool tw_button_action_available(tw_button_action action);

/* One [button "name"] section. */
typedef struct tw_button_def {
    char name[TW_BUTTON_NAME_SIZE];
    int line; /* where the section starts (0 if unknown) */
    tw_button_source source;
    bool has_source;
    char device[TW_ADAPTER_DEVICE_SIZE];     /* friendly name, device topic or id, key name */
    char input[TW_ADAPTER_INPUT_SIZE];       /* which input of a multi-input device; "" = any */
    char who[TW_AUTHOR_SIZE];                /* author of its posts; default: the name */
    tw_button_action action[TW_PRESS_COUNT]; /* by press: single, double, long */
    char text[TW_KIND_COUNT][TW_BUTTON_TEXT_SIZE]; /* "" = the [buttons] default */
    /* warn after this long offline, in seconds (offline_minutes, which
     * takes fractions: 0.05 is 3 s); 0 = never */
    int offline_s;
} tw_button_def;

typedef struct tw_button_config tw_button_config;

tw_button_config *tw_button_config_create(void);
/* NULL is a no-op. */
void tw_button_config_destroy(tw_button_config *bc);

/*
 * Make tw_config_load() read [button "name"] and [buttons] sections into bc
 * (through tw_config_set_section_hook), with "file:line: key: reason" errors
 * for an unknown source, action or key, a bad name or value. bc NULL: check
 * the values and keep nothing, for programs that read the same file but have
 * no buttons (teamwall-bridge). bc is borrowed until loading is done.
 */
void tw_button_config_install(tw_button_config *bc);

/*
 * After tw_config_load(path): what needs whole sections, an error naming the
 * section's line: a section without source or device, two sections naming
 * the same device and input. Returns 0 or TW_ERR_PARSE with err set.
 */
int tw_button_config_check(tw_button_config *bc, const char *path, char *err, size_t err_size);

size_t tw_button_config_count(const tw_button_config *bc);
/* The i-th section in file order; borrowed. NULL past the end. */
const tw_button_def *tw_button_config_get(const tw_button_config *bc, size_t i);
/* [buttons] discover (default true): subscribe to wildcard press topics of the
 * sources in use, to see buttons nobody configured yet. */
bool tw_button_config_discover(const tw_button_config *bc);
/* [buttons] zigbee2mqtt_topic (default "zigbee2mqtt"). Borrowed. */
const char *tw_button_config_z2m_base(const tw_button_config *bc);
/* [buttons] tasmota_hold: Tasmota's StateText4 when renamed ("" if not). */
const char *tw_button_config_tasmota_hold(const tw_button_config *bc);

/*
 * The text a post of kind gets from def: its own template, else the
 * [buttons] one, else "{who} is blocked", "{who} has a question",
 * "Win from {who}!", with {who} replaced. bc may be NULL.
 */
void tw_button_text(const tw_button_config *bc, const tw_button_def *def, tw_kind kind, char *out,
                    size_t size);

/* Key names compare without case, spaces or underscores, and with "KP"
 * for "Keypad": "KP_1", "kp1" and SDL's "Keypad 1" are one key. */
void tw_button_key_normalize(const char *name, char *out, size_t size);

/* ---- the running module ------------------------------------------------------- */

typedef struct tw_buttons tw_buttons;

typedef struct tw_buttons_options {
    const tw_button_config *config; /* borrowed, outlives the module; NULL = none */
    const char *root;               /* "<prefix>/<team>", copied */
    tw_store *store;                /* borrowed */
    tw_board *board;                /* borrowed */
    tw_warnings *warnings;          /* borrowed */
    /* The stand-up actions (firmware/meeting.c through the app): action is
     * "start", "next" or "resolve" (resolve-own during a stand-up: the item
     * shown), by the button's "who". Returns false when it does not apply
     * (resolve while no stand-up runs: then resolve-own does its own). */
    bool (*standup)(void *ctx, const char *action, const char *by);
    void *standup_ctx;
} tw_buttons_options;

/* Create and load what the store remembers of each configured button
 * (battery, online, Shelly counters), raising warnings that still hold.
 * now: wall clock seconds. */
int tw_buttons_create(const tw_buttons_options *opt, int64_t now, tw_buttons **out);
/* NULL is a no-op. */
void tw_buttons_destroy(tw_buttons *b);

/* Every topic filter the board needs for its buttons (exact device topics,
 * and the discovery wildcards that do not already cover them). */
void tw_buttons_topics(const tw_buttons *b, tw_adapter_topic_fn fn, void *fctx);

/*
 * A message from the broker. Returns 1 if the topic is a button's (handled:
 * presses queued as commands, health stored), 0 if not, or a TW_ERR_* store
 * failure (the caller does not acknowledge and rolls back). When the
 * message was on <root>/button/<name> but malformed, reason gets why (the
 * board rejects it like a malformed command); else reason[0] is '\0'.
 * mono_ms: monotonic ms; now: wall clock seconds.
 */
int tw_buttons_message(tw_buttons *b, const char *topic, const void *payload, size_t len,
                       bool retained, int64_t mono_ms, int64_t now, char *reason,
                       size_t reason_size);

/*
 * A key went down (TW_EDGE_DOWN) or up (TW_EDGE_UP), from firmware/input.c.
 * Returns true if name is a key button's: the edge is timed, and the press
 * it completes waits for tw_buttons_tick(). TW_EDGE_NONE only asks (for key
 * repeats, which are the button's but no edge). Touches no store.
 */
bool tw_buttons_key(tw_buttons *b, const char *name, tw_edge edge, int64_t mono_ms);

/* Monotonic ms when tw_buttons_tick() has work (a pending press, an edge to
 * time out, a button to declare offline for too long), or 0 for never. */
int64_t tw_buttons_next_deadline(const tw_buttons *b, int64_t mono_ms, int64_t now);

/* Time out edges, handle pending key presses, raise offline warnings. Returns
 * 0 or a TW_ERR_* store failure. */
int tw_buttons_tick(tw_buttons *b, int64_t mono_ms, int64_t now);

/*
 * The next command a press produced, made now against the board's current
 * model (so resolve-own sees what earlier commands of the batch did). false
 * when none is left. Apply each with tw_board_apply().
 */
bool tw_buttons_next_command(tw_buttons *b, tw_command *out);

/* After a rollback: forget what was not committed (pending commands, state
 * changes) and reload from the store. */
int tw_buttons_reload(tw_buttons *b, int64_t now);

#endif
