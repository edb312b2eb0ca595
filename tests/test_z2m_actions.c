/* SPDX-License-Identifier: MIT */
/*
 * zigbee2mqtt's action words through the adapters, for every push button and
 * remote that zigbee2mqtt's own converter library knows: tests/data/
 * z2m-actions.tsv (written by tests/tools/z2m-actions.js from
 * zigbee-herdsman-converters, its version in the first line) is replayed
 * word by word as full zigbee2mqtt payloads, with the device's vocabulary
 * known as the board learns it from zigbee2mqtt/bridge/devices. Each word
 * must be a press of a key or a deliberate ignore; each device must have at
 * least one press. Then the keys of the popular multi-key remotes, by name.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters.h"
#include "check.h"
#include "util.h"
#include "z2m_actions.h"

static const char *current_vocab;

static const char *vocab_of(void *vctx, const char *device)
{
    (void)vctx;
    (void)device;
    return current_vocab;
}

/* One message {"action":word,...} on the device's topic. */
static void replay(const char *word, tw_adapter_result *r)
{
    tw_adapter_ctx ctx = {
        .root = "teamwall/acme", .z2m_base = "zigbee2mqtt", .z2m_vocab = vocab_of};
    char payload[256];
    snprintf(payload, sizeof(payload),
             "{\"action\":\"%s\",\"battery\":87,\"linkquality\":120,\"voltage\":2950,"
             "\"last_seen\":1764061200123}",
             word);
    int rc = tw_adapter_parse(TW_SRC_ZIGBEE2MQTT, &ctx, "zigbee2mqtt/Desk 3 button", payload,
                              strlen(payload), false, r);
    CHECK_EQ_INT(rc, 0);
}

static void test_fixture(void)
{
    const char *src = getenv("TW_SOURCE_DIR");
    char path[1024];
    snprintf(path, sizeof(path), "%s/tests/data/z2m-actions.tsv", src ? src : ".");
    FILE *f = fopen(path, "r");
    CHECK(f != NULL);
    if (!f)
        return;
    /* TW_Z2M_DUMP=file: every word's verdict, for a look (and docs/BUTTONS.md). */
    FILE *dump = getenv("TW_Z2M_DUMP") ? fopen(getenv("TW_Z2M_DUMP"), "w") : NULL;
    char *line = NULL, version[200] = "?";
    size_t cap = 0;
    int devices = 0, words = 0, presses = 0, edges = 0, ignored = 0, unknown = 0, silent = 0;
    int by_press[TW_PRESS_COUNT] = {0};
    while (getline(&line, &cap, f) > 0) {
        line[strcspn(line, "\n")] = '\0';
        if (line[0] == '#') {
            if (strncmp(line, "# zigbee-herdsman-converters ", 29) == 0)
                snprintf(version, sizeof(version), "%.*s", (int)strcspn(line + 29, ":"), line + 29);
            continue;
        }
        char *vendor = line, *model = strchr(vendor, '\t');
        char *desc = model ? strchr(++model, '\t') : NULL;
        char *list = desc ? strchr(++desc, '\t') : NULL;
        CHECK(list != NULL);
        if (!list)
            continue;
        model[-1] = desc[-1] = '\0';
        *list++ = '\0';
        devices++;
        current_vocab = list;
        int device_presses = 0;
        char *copy = strdup(list);
        for (char *save = NULL, *w = strtok_r(copy, " ", &save); w;
             w = strtok_r(NULL, " ", &save)) {
            tw_adapter_result r;
            replay(w, &r);
            words++;
            if (r.battery != 87)
                fprintf(stderr, "%s %s: %s: battery lost\n", vendor, model, w);
            if (dump)
                fprintf(dump, "%s\t%s\t%s\t%s\t%s\n", vendor, model, w,
                        r.n_events ? r.events[0].input : "-",
                        !r.n_events                        ? r.ignored
                        : r.events[0].edge == TW_EDGE_DOWN ? "down"
                        : r.events[0].edge == TW_EDGE_UP   ? "up"
                                                           : tw_press_name(r.events[0].press));
            if (r.n_events == 1 && r.events[0].press != TW_PRESS_NONE) {
                presses++;
                device_presses++;
                by_press[r.events[0].press]++;
            } else if (r.n_events == 1 && r.events[0].edge != TW_EDGE_NONE) {
                edges++;
                device_presses++;
            } else if (r.n_events == 0 && !r.unknown_action && r.ignored[0]) {
                ignored++;
            } else {
                unknown++;
                fprintf(stderr, "%s %s: \"%s\" is neither a press nor a deliberate ignore (%s)\n",
                        vendor, model, w, r.ignored);
            }
        }
        free(copy);
        /* Knobs and dimmers whose only words turn or level, and a remote
         * that only identifies itself: not buttons, nothing to press. */
        static const char *const not_buttons[] = {"Z3-1BRL", "QZR-ZIG2400", "ZG-101Z/D"};
        bool excused = false;
        for (size_t i = 0; i < TW_ARRAY_LEN(not_buttons); i++)
            excused = excused || strcmp(model, not_buttons[i]) == 0;
        if (!device_presses && !excused) {
            silent++;
            fprintf(stderr, "%s %s (%s): no word of it is a press\n", vendor, model, desc);
        }
    }
    fclose(f);
    if (dump)
        fclose(dump);
    free(line);
    current_vocab = NULL;
    printf(
        "zigbee-herdsman-converters %s: %d push buttons and remotes, %d action words: %d presses "
        "(%d single, %d double, %d long), %d key down/up edges timed by the board, %d "
        "deliberately ignored, %d unknown; %d devices without a press\n",
        version, devices, words, presses, by_press[TW_PRESS_SINGLE], by_press[TW_PRESS_DOUBLE],
        by_press[TW_PRESS_LONG], edges, ignored, unknown, silent);
    CHECK(devices > 300);
    CHECK_EQ_INT(unknown, 0);
    CHECK_EQ_INT(silent, 0);
}

/* word with vocab → key and press (NONE and no edge: ignored), or edge. */
static void expect(const char *vocab, const char *word, const char *key, tw_press p, tw_edge e,
                   int line)
{
    current_vocab = vocab;
    tw_adapter_result r;
    replay(word, &r);
    bool ok = p == TW_PRESS_NONE && e == TW_EDGE_NONE
                  ? r.n_events == 0 && !r.unknown_action
                  : r.n_events == 1 && r.events[0].press == p && r.events[0].edge == e &&
                        strcmp(r.events[0].input, key) == 0;
    if (!ok)
        fprintf(stderr, "line %d: %s: want key \"%s\" %s/edge %d, got %d events (%s %s/%d) %s\n",
                line, word, key, tw_press_name(p), e, r.n_events,
                r.n_events ? r.events[0].input : "",
                r.n_events ? tw_press_name(r.events[0].press) : "",
                r.n_events ? (int)r.events[0].edge : 0, r.ignored);
    CHECK(ok);
}

#define EXPECT(v, w, k, p)      expect(v, w, k, p, TW_EDGE_NONE, __LINE__)
#define EXPECT_EDGE(v, w, k, e) expect(v, w, k, TW_PRESS_NONE, e, __LINE__)

static const char hue_dimmer[] =
    "on_press on_press_release on_hold on_hold_release up_press up_press_release up_hold "
    "up_hold_release down_press down_press_release down_hold down_hold_release off_press "
    "off_press_release off_hold off_hold_release";
static const char styrbar[] = "on off brightness_move_up brightness_move_down brightness_stop "
                              "arrow_left_click arrow_left_hold arrow_left_release "
                              "arrow_right_click arrow_right_hold arrow_right_release";
static const char tuya4[] = "1_single 1_double 1_hold 2_single 2_double 2_hold 3_single 3_double "
                            "3_hold 4_single 4_double 4_hold";
static const char aqara[] = "single double triple quadruple hold release";
static const char e1810[] = "toggle brightness_up_click brightness_down_click brightness_up_hold "
                            "brightness_up_release brightness_down_hold brightness_down_release "
                            "toggle_hold arrow_left_click arrow_left_hold arrow_left_release "
                            "arrow_right_click arrow_right_hold arrow_right_release";
static const char muller[] = "on off brightness_step_up brightness_step_down brightness_move_up "
                             "brightness_move_down brightness_stop color_temperature_move";

static void test_keys(void)
{
    /* Hue dimmer: it says when a key goes down and up; the board times
     * that (single, double, long), its own hold report is left out. */
    EXPECT_EDGE(hue_dimmer, "on_press", "on", TW_EDGE_DOWN);
    EXPECT_EDGE(hue_dimmer, "on_press_release", "on", TW_EDGE_UP);
    EXPECT_EDGE(hue_dimmer, "up_press_release", "up", TW_EDGE_UP);
    EXPECT(hue_dimmer, "up_hold", "", TW_PRESS_NONE);
    EXPECT_EDGE(hue_dimmer, "up_hold_release", "up", TW_EDGE_UP);
    EXPECT(hue_dimmer, "off_hold", "", TW_PRESS_NONE);
    /* The Hue smart button: press and release; its on/off echo is not a press. */
    static const char smart[] = "on off press hold release";
    EXPECT_EDGE(smart, "press", "", TW_EDGE_DOWN);
    EXPECT_EDGE(smart, "release", "", TW_EDGE_UP);
    EXPECT(smart, "hold", "", TW_PRESS_NONE);
    EXPECT(smart, "on", "", TW_PRESS_NONE);
    EXPECT_EDGE("press_1 release_1", "release_1", "1", TW_EDGE_UP);
    /* Without the device list: "<key>_press" is Hue's initial press, its
     * release a single, its hold a long. */
    EXPECT(NULL, "down_press", "", TW_PRESS_NONE);
    EXPECT(NULL, "down_press_release", "down", TW_PRESS_SINGLE);
    EXPECT(NULL, "down_hold", "down", TW_PRESS_LONG);
    EXPECT(NULL, "down_hold_release", "", TW_PRESS_NONE);
    /* A device whose press has no release word presses at once. */
    EXPECT("press_1 hold_1 press_2 hold_2", "press_2", "2", TW_PRESS_SINGLE);
    EXPECT("press_1 hold_1 press_2 hold_2", "hold_2", "2", TW_PRESS_LONG);
    EXPECT(NULL, "press_2", "2", TW_PRESS_SINGLE);
    EXPECT(NULL, "button_4_click", "4", TW_PRESS_SINGLE);
    /* Tuya TS0044: four keys. */
    EXPECT(tuya4, "1_single", "1", TW_PRESS_SINGLE);
    EXPECT(tuya4, "2_double", "2", TW_PRESS_DOUBLE);
    EXPECT(tuya4, "4_hold", "4", TW_PRESS_LONG);
    /* STYRBAR / E1743 / RODRET: on and brightness_move_up are one key. */
    EXPECT(styrbar, "on", "on", TW_PRESS_SINGLE);
    EXPECT(styrbar, "brightness_move_up", "on", TW_PRESS_LONG);
    EXPECT(styrbar, "off", "off", TW_PRESS_SINGLE);
    EXPECT(styrbar, "brightness_move_down", "off", TW_PRESS_LONG);
    EXPECT(styrbar, "brightness_stop", "", TW_PRESS_NONE);
    EXPECT(styrbar, "arrow_left_click", "left", TW_PRESS_SINGLE);
    EXPECT(styrbar, "arrow_left_hold", "left", TW_PRESS_LONG);
    EXPECT(styrbar, "arrow_left_release", "", TW_PRESS_NONE);
    EXPECT(styrbar, "arrow_right_click", "right", TW_PRESS_SINGLE);
    EXPECT(NULL, "brightness_move_up", "on", TW_PRESS_LONG); /* IKEA when unknown */
    /* A remote with separate dimming keys: brightness words are "up"/"down". */
    EXPECT(muller, "brightness_step_up", "up", TW_PRESS_SINGLE);
    EXPECT(muller, "brightness_move_up", "up", TW_PRESS_LONG);
    EXPECT(muller, "color_temperature_move", "", TW_PRESS_NONE);
    EXPECT(e1810, "brightness_up_click", "up", TW_PRESS_SINGLE);
    EXPECT(e1810, "toggle_hold", "toggle", TW_PRESS_LONG);
    /* Aqara: one key, more than two presses count as a double; shake too. */
    EXPECT(aqara, "single", "", TW_PRESS_SINGLE);
    EXPECT(aqara, "triple", "", TW_PRESS_DOUBLE);
    EXPECT(aqara, "quadruple", "", TW_PRESS_DOUBLE);
    EXPECT(aqara, "release", "", TW_PRESS_NONE);
    EXPECT("single double hold release shake", "shake", "", TW_PRESS_DOUBLE);
    /* Numbered, lettered and spelled-out keys. */
    EXPECT(NULL, "button_3_hold", "3", TW_PRESS_LONG);
    EXPECT(NULL, "single_left", "left", TW_PRESS_SINGLE);
    EXPECT(NULL, "5_click_l1", "l1", TW_PRESS_DOUBLE);
    EXPECT(NULL, "button_1_single_pressed", "1", TW_PRESS_SINGLE);
    EXPECT(NULL, "dots_1_short_release", "dots_1", TW_PRESS_SINGLE);
    EXPECT(NULL, "dots_1_initial_press", "", TW_PRESS_NONE);
    EXPECT(NULL, "on_l2", "on_l2", TW_PRESS_SINGLE);
    EXPECT(NULL, "brightness_move_up_1", "on_1", TW_PRESS_LONG);
    EXPECT(NULL, "centre_button_double_click", "center", TW_PRESS_DOUBLE);
    /* The legacy words. */
    EXPECT(NULL, "long", "", TW_PRESS_LONG);
    EXPECT(NULL, "press", "", TW_PRESS_SINGLE);
    EXPECT(NULL, "hold_release", "", TW_PRESS_NONE);
    /* Not words of any table: unknown, for the board to log once. */
    current_vocab = NULL;
    tw_adapter_result r;
    replay("frobnicate_left", &r);
    CHECK_EQ_INT(r.n_events, 0);
    CHECK(r.unknown_action);
    CHECK_EQ_STR(r.action, "frobnicate_left");
    /* The hold repeats are marked as such. */
    current_vocab = NULL;
    replay("on_hold", &r);
    CHECK(r.n_events == 1 && r.events[0].repeats);
    /* Direct calls: the why of an ignore. */
    tw_z2m_action a;
    tw_z2m_action_parse("hue_move", NULL, &a);
    CHECK_EQ_INT(a.verdict, TW_Z2M_IGNORE);
    CHECK_EQ_STR(a.why, "light control");
    tw_z2m_action_parse("dial_rotate_left_step", NULL, &a);
    CHECK_EQ_STR(a.why, "rotation");
    tw_z2m_action_parse("hue_press_release", NULL, &a);
    CHECK_EQ_INT(a.verdict, TW_Z2M_PRESS);
    CHECK_EQ_STR(a.key, "hue");
    tw_z2m_action_parse("", NULL, &a);
    CHECK_EQ_INT(a.verdict, TW_Z2M_IGNORE);
    tw_z2m_action_parse("a_b_c_d_e_f_g_h_i_j_k_l_m", NULL, &a);
    CHECK_EQ_INT(a.verdict, TW_Z2M_UNKNOWN);
}

int main(void)
{
    test_fixture();
    test_keys();
    return check_done();
}
