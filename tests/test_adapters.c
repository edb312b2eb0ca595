/* SPDX-License-Identifier: MIT */
/*
 * The desk-button adapters as pure functions, with payloads as the devices
 * send them (zigbee2mqtt 1.x with IKEA, Aqara and Hue buttons, Tasmota with
 * SetOption73 and the older ACTION form, Shelly Button1 and i3, Shelly Plus
 * i4, ESPHome binary sensors, the board's own button topic), including the
 * messages that must not press: empty action resets, releases, null,
 * retained state, foreign topics.
 */
#include <stdio.h>
#include <string.h>

#include "adapters.h"
#include "check.h"
#include "util.h"

static const tw_adapter_ctx ctx = {.root = "teamwall/acme", .z2m_base = "zigbee2mqtt"};

static int parse(tw_button_source src, const char *topic, const char *payload, bool retained,
                 tw_adapter_result *out)
{
    return tw_adapter_parse(src, &ctx, topic, payload, strlen(payload), retained, out);
}

/* One press of kind p (and input), or none when p is NONE. */
static void expect_press(tw_button_source src, const char *topic, const char *payload,
                         bool retained, tw_press p, const char *device, const char *input, int line)
{
    tw_adapter_result r;
    int rc = parse(src, topic, payload, retained, &r);
    int presses = 0;
    tw_press got = TW_PRESS_NONE;
    for (int i = 0; i < r.n_events; i++) {
        if (r.events[i].press != TW_PRESS_NONE) {
            presses++;
            got = r.events[i].press;
        }
    }
    bool ok = rc == 0 && strcmp(r.device, device) == 0 && presses == (p != TW_PRESS_NONE) &&
              got == p && (!input || (r.n_events && strcmp(r.events[0].input, input) == 0));
    if (ok) {
        check_passed++;
    } else {
        check_failed++;
        fprintf(stderr,
                "%s:%d: %s %s %s: rc %d device \"%s\" presses %d (%s), want %s on \"%s\" "
                "(ignored: %s)\n",
                __FILE__, line, tw_button_source_name(src), topic, payload, rc, r.device, presses,
                tw_press_name(got), tw_press_name(p), device, r.ignored);
    }
}

#define PRESS(src, topic, payload, p, device)                                                      \
    expect_press(src, topic, payload, false, p, device, NULL, __LINE__)
#define PRESS_IN(src, topic, payload, p, device, input)                                            \
    expect_press(src, topic, payload, false, p, device, input, __LINE__)
#define RETAINED(src, topic, payload, device)                                                      \
    expect_press(src, topic, payload, true, TW_PRESS_NONE, device, NULL, __LINE__)

static void test_names(void)
{
    for (int s = 0; s < TW_SRC_COUNT; s++)
        CHECK_EQ_INT(tw_button_source_parse(tw_button_source_name((tw_button_source)s)), s);
    CHECK_EQ_INT(tw_button_source_parse("zigbee"), -1);
    CHECK_EQ_INT(tw_button_source_parse(NULL), -1);
    CHECK_EQ_STR(tw_button_source_name(TW_SRC_SHELLY_GEN2), "shelly-gen2");
    CHECK_EQ_INT(tw_press_parse("long"), TW_PRESS_LONG);
    CHECK_EQ_INT(tw_press_parse("hold"), -1);
    CHECK_EQ_STR(tw_press_name(TW_PRESS_DOUBLE), "double");
}

static void test_zigbee2mqtt(void)
{
    const tw_button_source Z = TW_SRC_ZIGBEE2MQTT;
    /* Aqara WXKG11LM, zigbee2mqtt 1.x. */
    PRESS(Z, "zigbee2mqtt/Desk 3 button",
          "{\"action\":\"single\",\"battery\":100,\"device_temperature\":25,\"linkquality\":134,"
          "\"power_outage_count\":4,\"voltage\":3042}",
          TW_PRESS_SINGLE, "Desk 3 button");
    PRESS(Z, "zigbee2mqtt/Desk 3 button", "{\"action\":\"double\",\"battery\":100}",
          TW_PRESS_DOUBLE, "Desk 3 button");
    PRESS(Z, "zigbee2mqtt/Desk 3 button", "{\"action\":\"hold\",\"battery\":100}", TW_PRESS_LONG,
          "Desk 3 button");
    PRESS(Z, "zigbee2mqtt/Desk 3 button", "{\"action\":\"release\",\"battery\":100}", TW_PRESS_NONE,
          "Desk 3 button");
    /* More than two presses: "more than one", a double. */
    PRESS(Z, "zigbee2mqtt/Desk 3 button", "{\"action\":\"triple\"}", TW_PRESS_DOUBLE,
          "Desk 3 button");
    /* The empty action zigbee2mqtt publishes right after an action (a reset). */
    PRESS(Z, "zigbee2mqtt/Desk 3 button", "{\"action\":\"\",\"battery\":100,\"linkquality\":134}",
          TW_PRESS_NONE, "Desk 3 button");
    PRESS(Z, "zigbee2mqtt/Desk 3 button", "{\"action\":null,\"battery\":100}", TW_PRESS_NONE,
          "Desk 3 button");
    PRESS(Z, "zigbee2mqtt/Desk 3 button", "{\"battery\":97,\"linkquality\":60}", TW_PRESS_NONE,
          "Desk 3 button");
    /* Legacy "click" (Aqara with legacy: true), with and without "action". */
    PRESS(Z, "zigbee2mqtt/0x00158d0001a2b3c4",
          "{\"battery\":100,\"click\":\"single\",\"linkquality\":134,\"voltage\":3042}",
          TW_PRESS_SINGLE, "0x00158d0001a2b3c4");
    PRESS(Z, "zigbee2mqtt/0x00158d0001a2b3c4", "{\"click\":\"double\"}", TW_PRESS_DOUBLE,
          "0x00158d0001a2b3c4");
    PRESS(Z, "zigbee2mqtt/0x00158d0001a2b3c4", "{\"click\":\"long\"}", TW_PRESS_LONG,
          "0x00158d0001a2b3c4");
    PRESS(Z, "zigbee2mqtt/0x00158d0001a2b3c4", "{\"click\":\"long_release\"}", TW_PRESS_NONE,
          "0x00158d0001a2b3c4");
    PRESS(Z, "zigbee2mqtt/0x00158d0001a2b3c4",
          "{\"action\":\"single\",\"click\":\"single\",\"battery\":90}", TW_PRESS_SINGLE,
          "0x00158d0001a2b3c4");
    PRESS(Z, "zigbee2mqtt/0x00158d0001a2b3c4", "{\"action\":\"\",\"click\":\"double\"}",
          TW_PRESS_DOUBLE, "0x00158d0001a2b3c4");
    /* IKEA E1812 shortcut button: on; hold is brightness_move_up; release
     * brightness_stop. Hue smart button: press/hold/release. */
    PRESS(Z, "zigbee2mqtt/Ikea shortcut",
          "{\"action\":\"on\",\"battery\":87,\"linkquality\":102,\"update\":{\"state\":\"idle\"}}",
          TW_PRESS_SINGLE, "Ikea shortcut");
    PRESS(Z, "zigbee2mqtt/Ikea shortcut", "{\"action\":\"brightness_move_up\",\"battery\":87}",
          TW_PRESS_LONG, "Ikea shortcut");
    PRESS(Z, "zigbee2mqtt/Ikea shortcut", "{\"action\":\"brightness_stop\",\"battery\":87}",
          TW_PRESS_NONE, "Ikea shortcut");
    PRESS(Z, "zigbee2mqtt/Hue button", "{\"action\":\"press\",\"battery\":100}", TW_PRESS_SINGLE,
          "Hue button");
    PRESS(Z, "zigbee2mqtt/Hue button", "{\"action\":\"long\"}", TW_PRESS_LONG, "Hue button");
    /* Retained state (cache_state + retain): never a press. */
    RETAINED(Z, "zigbee2mqtt/Desk 3 button", "{\"action\":\"single\",\"battery\":100}",
             "Desk 3 button");
    /* Friendly names with a slash (groups of devices by room). */
    PRESS(Z, "zigbee2mqtt/office/desk-3", "{\"action\":\"single\"}", TW_PRESS_SINGLE,
          "office/desk-3");
    /* Not JSON: the topic is the device's, but no press. */
    PRESS(Z, "zigbee2mqtt/Desk 3 button", "single", TW_PRESS_NONE, "Desk 3 button");
    PRESS(Z, "zigbee2mqtt/Desk 3 button", "{\"action\":5}", TW_PRESS_NONE, "Desk 3 button");

    tw_adapter_result r;
    CHECK_EQ_INT(
        parse(Z, "zigbee2mqtt/Desk 3 button", "{\"action\":\"single\",\"battery\":9}", false, &r),
        0);
    CHECK_EQ_INT(r.battery, 9);
    CHECK_EQ_INT(r.online, -1);
    CHECK_EQ_STR(r.events[0].identity, "");
    CHECK_EQ_INT(parse(Z, "zigbee2mqtt/Desk 3 button", "{\"battery\":14.6}", true, &r), 0);
    CHECK_EQ_INT(r.battery, 15); /* retained health still counts */
    CHECK_EQ_INT(parse(Z, "zigbee2mqtt/Desk 3 button", "{\"battery\":\"7\"}", false, &r), 0);
    CHECK_EQ_INT(r.battery, 7);
    CHECK_EQ_INT(parse(Z, "zigbee2mqtt/Desk 3 button", "{\"action\":\"\"}", false, &r), 0);
    CHECK(strstr(r.ignored, "empty") != NULL);
    /* last_seen with milliseconds is the press's identity; seconds are not. */
    CHECK_EQ_INT(
        parse(Z, "zigbee2mqtt/d", "{\"action\":\"single\",\"last_seen\":1764062043123}", false, &r),
        0);
    CHECK_EQ_STR(r.events[0].identity, "z2m:single:1764062043123");
    CHECK_EQ_INT(parse(Z, "zigbee2mqtt/d",
                       "{\"action\":\"double\",\"last_seen\":\"2026-11-25T09:14:03.123Z\"}", false,
                       &r),
                 0);
    CHECK_EQ_STR(r.events[0].identity, "z2m:double:2026-11-25T09:14:03.123Z");
    CHECK_EQ_INT(parse(Z, "zigbee2mqtt/d",
                       "{\"action\":\"single\",\"last_seen\":\"2026-11-25T10:14:03+01:00\"}", false,
                       &r),
                 0);
    CHECK_EQ_STR(r.events[0].identity, "");

    /* Availability: legacy plain text and the newer JSON. */
    CHECK_EQ_INT(parse(Z, "zigbee2mqtt/Desk 3 button/availability", "online", true, &r), 0);
    CHECK_EQ_STR(r.device, "Desk 3 button");
    CHECK_EQ_INT(r.online, 1);
    CHECK_EQ_INT(r.n_events, 0);
    CHECK_EQ_INT(parse(Z, "zigbee2mqtt/Desk 3 button/availability", "offline", false, &r), 0);
    CHECK_EQ_INT(r.online, 0);
    CHECK_EQ_INT(
        parse(Z, "zigbee2mqtt/Desk 3 button/availability", "{\"state\":\"offline\"}", true, &r), 0);
    CHECK_EQ_INT(r.online, 0);
    CHECK_EQ_INT(
        parse(Z, "zigbee2mqtt/Desk 3 button/availability", "{\"state\":\"online\"}", true, &r), 0);
    CHECK_EQ_INT(r.online, 1);

    /* Not a device's: the bridge, commands to devices, other sources. */
    CHECK_EQ_INT(parse(Z, "zigbee2mqtt/bridge/state", "{\"state\":\"online\"}", true, &r),
                 TW_ERR_NOTFOUND);
    CHECK_EQ_INT(parse(Z, "zigbee2mqtt/bridge", "online", true, &r), TW_ERR_NOTFOUND);
    CHECK_EQ_INT(parse(Z, "zigbee2mqtt/Desk 3 button/set", "{\"state\":\"ON\"}", false, &r),
                 TW_ERR_NOTFOUND);
    CHECK_EQ_INT(parse(Z, "zigbee2mqttx/a", "{\"action\":\"single\"}", false, &r), TW_ERR_NOTFOUND);
    CHECK_EQ_INT(parse(Z, "zigbee2mqtt/", "{\"action\":\"single\"}", false, &r), TW_ERR_NOTFOUND);
    CHECK_EQ_INT(parse(Z, "stat/x/RESULT", "{}", false, &r), TW_ERR_NOTFOUND);
    CHECK_EQ_STR(r.device, "");
    /* Another base topic. */
    tw_adapter_ctx other = {.root = "teamwall/acme", .z2m_base = "z2m/floor3"};
    CHECK_EQ_INT(
        tw_adapter_parse(Z, &other, "z2m/floor3/desk", "{\"action\":\"single\"}", 21, false, &r),
        0);
    CHECK_EQ_STR(r.device, "desk");
    CHECK_EQ_INT(r.events[0].press, TW_PRESS_SINGLE);
}

static void test_tasmota(void)
{
    const tw_button_source T = TW_SRC_TASMOTA;
    /* SetOption73 1 (buttons detached): stat/<topic>/RESULT. */
    PRESS_IN(T, "stat/tasmota_1A2B3C/RESULT", "{\"Button1\":{\"Action\":\"SINGLE\"}}",
             TW_PRESS_SINGLE, "tasmota_1A2B3C", "1");
    PRESS_IN(T, "stat/tasmota_1A2B3C/RESULT", "{\"Button1\":{\"Action\":\"DOUBLE\"}}",
             TW_PRESS_DOUBLE, "tasmota_1A2B3C", "1");
    PRESS_IN(T, "stat/tasmota_1A2B3C/RESULT", "{\"Button1\":{\"Action\":\"HOLD\"}}", TW_PRESS_LONG,
             "tasmota_1A2B3C", "1");
    PRESS_IN(T, "stat/tasmota_1A2B3C/RESULT", "{\"Button2\":{\"Action\":\"SINGLE\"}}",
             TW_PRESS_SINGLE, "tasmota_1A2B3C", "2");
    /* More than two presses count as a double; a renamed StateText4 is a
     * hold when [buttons] tasmota_hold names it, else unknown. */
    static const char *const multi[] = {"TRIPLE", "QUAD", "PENTA"};
    for (size_t i = 0; i < 3; i++) {
        char pl[80];
        snprintf(pl, sizeof(pl), "{\"Button1\":{\"Action\":\"%s\"}}", multi[i]);
        PRESS(T, "stat/tasmota_1A2B3C/RESULT", pl, TW_PRESS_DOUBLE, "tasmota_1A2B3C");
    }
    tw_adapter_result tr;
    const char *lang = "{\"Button1\":{\"Action\":\"HALTEN\"}}";
    CHECK_EQ_INT(parse(T, "stat/tasmota_1A2B3C/RESULT", lang, false, &tr), 0);
    CHECK_EQ_INT(tr.n_events, 0);
    CHECK(tr.unknown_action);
    CHECK_EQ_STR(tr.action, "HALTEN");
    tw_adapter_ctx held = ctx;
    held.tasmota_hold = "Halten";
    CHECK_EQ_INT(
        tw_adapter_parse(T, &held, "stat/tasmota_1A2B3C/RESULT", lang, strlen(lang), false, &tr),
        0);
    CHECK(tr.n_events == 1 && tr.events[0].press == TW_PRESS_LONG);
    PRESS(T, "stat/tasmota_1A2B3C/RESULT", "{\"Button1\":{\"Action\":\"CLEAR\"}}", TW_PRESS_NONE,
          "tasmota_1A2B3C");
    PRESS(T, "stat/tasmota_1A2B3C/RESULT", "{\"POWER\":\"ON\"}", TW_PRESS_NONE, "tasmota_1A2B3C");
    /* The older form, on RESULT and on BUTTONn. */
    PRESS_IN(T, "stat/sonoff-desk/RESULT", "{\"ACTION\":\"SINGLE\"}", TW_PRESS_SINGLE,
             "sonoff-desk", "1");
    PRESS_IN(T, "stat/sonoff-desk/BUTTON1", "{\"ACTION\":\"DOUBLE\"}", TW_PRESS_DOUBLE,
             "sonoff-desk", "1");
    PRESS_IN(T, "stat/sonoff-desk/BUTTON2", "{\"ACTION\":\"HOLD\"}", TW_PRESS_LONG, "sonoff-desk",
             "2");
    PRESS_IN(T, "stat/sonoff-desk/BUTTON1", "SINGLE", TW_PRESS_SINGLE, "sonoff-desk", "1");
    RETAINED(T, "stat/sonoff-desk/RESULT", "{\"Button1\":{\"Action\":\"SINGLE\"}}", "sonoff-desk");
    tw_adapter_result r;
    CHECK_EQ_INT(parse(T, "tele/sonoff-desk/LWT", "Online", true, &r), 0);
    CHECK_EQ_STR(r.device, "sonoff-desk");
    CHECK_EQ_INT(r.online, 1);
    CHECK_EQ_INT(parse(T, "tele/sonoff-desk/LWT", "Offline", true, &r), 0);
    CHECK_EQ_INT(r.online, 0);
    CHECK_EQ_INT(parse(T, "tele/sonoff-desk/STATE", "{}", false, &r), TW_ERR_NOTFOUND);
    CHECK_EQ_INT(parse(T, "stat/sonoff-desk/POWER", "ON", false, &r), TW_ERR_NOTFOUND);
    CHECK_EQ_INT(parse(T, "cmnd/sonoff-desk/POWER", "ON", false, &r), TW_ERR_NOTFOUND);
}

static void test_shelly(void)
{
    const tw_button_source S = TW_SRC_SHELLY;
    const char *t = "shellies/shellybutton1-E8DB84AA196D/input_event/0";
    const char *dev = "shellybutton1-E8DB84AA196D";
    PRESS_IN(S, t, "{\"event\":\"S\",\"event_cnt\":2}", TW_PRESS_SINGLE, dev, "0");
    PRESS(S, t, "{\"event\":\"SS\",\"event_cnt\":3}", TW_PRESS_DOUBLE, dev);
    PRESS(S, t, "{\"event\":\"L\",\"event_cnt\":4}", TW_PRESS_LONG, dev);
    PRESS(S, t, "{\"event\":\"SSS\",\"event_cnt\":5}", TW_PRESS_DOUBLE, dev);
    PRESS(S, t, "{\"event\":\"SL\",\"event_cnt\":6}", TW_PRESS_LONG, dev);
    PRESS(S, t, "{\"event\":\"LS\",\"event_cnt\":7}", TW_PRESS_LONG, dev);
    PRESS(S, t, "{\"event\":\"\",\"event_cnt\":0}", TW_PRESS_NONE, dev); /* after boot */
    RETAINED(S, t, "{\"event\":\"S\",\"event_cnt\":2}", dev);
    /* Shelly i3: three inputs. */
    PRESS_IN(S, "shellies/shellyix3-98CDAC2F0C12/input_event/2",
             "{\"event\":\"S\",\"event_cnt\":7}", TW_PRESS_SINGLE, "shellyix3-98CDAC2F0C12", "2");
    tw_adapter_result r;
    CHECK_EQ_INT(parse(S, t, "{\"event\":\"S\",\"event_cnt\":42}", false, &r), 0);
    CHECK(r.events[0].has_counter);
    CHECK_EQ_INT(r.events[0].counter, 42);
    CHECK_EQ_INT(parse(S, t, "{\"event\":\"S\"}", false, &r), 0);
    CHECK(!r.events[0].has_counter);
    CHECK_EQ_INT(parse(S, "shellies/shellybutton1-E8DB84AA196D/sensor/battery", "87", true, &r), 0);
    CHECK_EQ_STR(r.device, dev);
    CHECK_EQ_INT(r.battery, 87);
    CHECK_EQ_INT(parse(S, "shellies/shellybutton1-E8DB84AA196D/sensor/battery", "n/a", true, &r),
                 0);
    CHECK_EQ_INT(r.battery, -1);
    CHECK_EQ_INT(parse(S, "shellies/shellybutton1-E8DB84AA196D/online", "true", true, &r), 0);
    CHECK_EQ_INT(r.online, 1);
    CHECK_EQ_INT(parse(S, "shellies/shellybutton1-E8DB84AA196D/online", "false", true, &r), 0);
    CHECK_EQ_INT(r.online, 0);
    CHECK_EQ_INT(parse(S, "shellies/shellybutton1-E8DB84AA196D/announce", "{}", false, &r),
                 TW_ERR_NOTFOUND);
    CHECK_EQ_INT(parse(S, "shellies/x/input_event/", "{}", false, &r), TW_ERR_NOTFOUND);
}

static void test_shelly_gen2(void)
{
    const tw_button_source G = TW_SRC_SHELLY_GEN2;
    const char *t = "shellyplusi4-c4d8d5568e44/events/rpc";
    const char *dev = "shellyplusi4-c4d8d5568e44";
    char p[512];
#define GEN2(comp, ev, ts)                                                                         \
    (snprintf(p, sizeof(p),                                                                        \
              "{\"src\":\"shellyplusi4-c4d8d5568e44\",\"dst\":\"shellyplusi4-c4d8d5568e44/"        \
              "events\",\"method\":\"NotifyEvent\",\"params\":{\"ts\":%s,\"events\":[{"            \
              "\"component\":\"%s\",\"id\":0,\"event\":\"%s\",\"ts\":%s}]}}",                      \
              ts, comp, ev, ts),                                                                   \
     p)
    PRESS_IN(G, t, GEN2("input:0", "single_push", "1631266595.43"), TW_PRESS_SINGLE, dev, "0");
    PRESS_IN(G, t, GEN2("input:3", "double_push", "1631266596.01"), TW_PRESS_DOUBLE, dev, "3");
    PRESS(G, t, GEN2("input:0", "long_push", "1631266597.5"), TW_PRESS_LONG, dev);
    PRESS(G, t, GEN2("input:0", "triple_push", "1631266597.3"), TW_PRESS_DOUBLE, dev);
    /* Edges, for the board to time when the device sends nothing else. */
    tw_adapter_result er;
    CHECK_EQ_INT(parse(G, t, GEN2("input:2", "btn_down", "1631266597.1"), false, &er), 0);
    CHECK(er.n_events == 1 && er.events[0].press == TW_PRESS_NONE &&
          er.events[0].edge == TW_EDGE_DOWN);
    CHECK_EQ_STR(er.events[0].input, "2");
    CHECK_EQ_INT(parse(G, t, GEN2("input:2", "btn_up", "1631266597.2"), false, &er), 0);
    CHECK(er.n_events == 1 && er.events[0].edge == TW_EDGE_UP);
    CHECK_EQ_INT(parse(G, t, GEN2("input:2", "btn_up", "1631266597.2"), true, &er), 0);
    CHECK_EQ_INT(er.n_events, 0); /* retained: never */
    PRESS(G, t, GEN2("input:0", "config_changed", "1631266597.4"), TW_PRESS_NONE, dev);
    RETAINED(G, t, GEN2("input:0", "single_push", "1631266595.43"), dev);
    tw_adapter_result r;
    CHECK_EQ_INT(parse(G, t, GEN2("input:0", "single_push", "1631266595.43"), false, &r), 0);
    CHECK_EQ_STR(r.events[0].identity, "gen2:0:single_push:1631266595.430");
    /* Two events in one notification. */
    CHECK_EQ_INT(parse(G, t,
                       "{\"method\":\"NotifyEvent\",\"params\":{\"ts\":1.5,\"events\":[{"
                       "\"component\":\"input:0\",\"id\":0,\"event\":\"single_push\"},{"
                       "\"component\":\"input:1\",\"id\":1,\"event\":\"long_push\"}]}}",
                       false, &r),
                 0);
    CHECK_EQ_INT(r.n_events, 2);
    CHECK_EQ_STR(r.events[1].input, "1");
    CHECK_EQ_INT(r.events[1].press, TW_PRESS_LONG);
    CHECK_EQ_STR(r.events[0].identity, "gen2:0:single_push:1.500"); /* params.ts */
    /* A numeric id that is no component number (found by fuzz_adapters:
     * converting 6.7e26 to int was undefined behaviour): input "0". */
    CHECK_EQ_INT(parse(G, t,
                       "{\"method\":\"NotifyEvent\",\"params\":{\"events\":[{"
                       "\"id\":6.66667e26,\"event\":\"single_push\"},{"
                       "\"id\":-3,\"event\":\"single_push\"}]}}",
                       false, &r),
                 0);
    CHECK_EQ_INT(r.n_events, 2);
    CHECK_EQ_STR(r.events[0].input, "0");
    CHECK_EQ_STR(r.events[1].input, "0");
    /* Battery from a status notification; online. */
    CHECK_EQ_INT(parse(G, t,
                       "{\"method\":\"NotifyFullStatus\",\"params\":{\"ts\":1,\"devicepower:0\":"
                       "{\"id\":0,\"battery\":{\"V\":2.9,\"percent\":12},\"external\":{"
                       "\"present\":false}}}}",
                       false, &r),
                 0);
    CHECK_EQ_INT(r.battery, 12);
    CHECK_EQ_INT(r.n_events, 0);
    CHECK_EQ_INT(parse(G, "shellyplusi4-c4d8d5568e44/online", "false", true, &r), 0);
    CHECK_EQ_STR(r.device, dev);
    CHECK_EQ_INT(r.online, 0);
    CHECK_EQ_INT(parse(G, t, "{\"method\":\"NotifyStatus\"}", false, &r), 0);
    CHECK_EQ_INT(r.n_events, 0);
    CHECK_EQ_INT(parse(G, "shellyplusi4-c4d8d5568e44/status/input:0", "{}", false, &r),
                 TW_ERR_NOTFOUND);
#undef GEN2
}

static void test_esphome(void)
{
    const tw_button_source E = TW_SRC_ESPHOME;
    tw_adapter_result r;
    CHECK_EQ_INT(parse(E, "desk3/binary_sensor/desk_button/state", "ON", false, &r), 0);
    CHECK_EQ_STR(r.device, "desk3");
    CHECK_EQ_INT(r.n_events, 1);
    CHECK_EQ_INT(r.events[0].edge, TW_EDGE_DOWN);
    CHECK_EQ_INT(r.events[0].press, TW_PRESS_NONE);
    CHECK_EQ_STR(r.events[0].input, "desk_button");
    CHECK_EQ_INT(parse(E, "desk3/binary_sensor/desk_button/state", "OFF\n", false, &r), 0);
    CHECK_EQ_INT(r.events[0].edge, TW_EDGE_UP);
    /* ESPHome retains its state: a (re)subscribing board must not see an edge. */
    CHECK_EQ_INT(parse(E, "desk3/binary_sensor/desk_button/state", "ON", true, &r), 0);
    CHECK_EQ_INT(r.n_events, 0);
    CHECK_EQ_INT(parse(E, "desk3/binary_sensor/desk_button/state", "unavailable", false, &r), 0);
    CHECK_EQ_INT(r.n_events, 0);
    CHECK_EQ_INT(parse(E, "office/desk3/binary_sensor/b/state", "ON", false, &r), 0);
    CHECK_EQ_STR(r.device, "office/desk3");
    CHECK_EQ_INT(parse(E, "desk3/status", "online", true, &r), 0);
    CHECK_EQ_INT(r.online, 1);
    CHECK_EQ_INT(parse(E, "desk3/status", "offline", true, &r), 0);
    CHECK_EQ_INT(r.online, 0);
    CHECK_EQ_INT(parse(E, "desk3/sensor/temperature/state", "21.5", false, &r), TW_ERR_NOTFOUND);
    CHECK_EQ_INT(parse(E, "desk3/binary_sensor/a/b/state", "ON", false, &r), TW_ERR_NOTFOUND);
}

static void test_mqtt(void)
{
    const tw_button_source M = TW_SRC_MQTT;
    PRESS(M, "teamwall/acme/button/desk-9", "single", TW_PRESS_SINGLE, "desk-9");
    PRESS(M, "teamwall/acme/button/desk-9", "double\n", TW_PRESS_DOUBLE, "desk-9");
    PRESS(M, "teamwall/acme/button/desk-9", "long", TW_PRESS_LONG, "desk-9");
    PRESS(M, "teamwall/acme/button/desk-9", "{\"action\":\"double\"}", TW_PRESS_DOUBLE, "desk-9");
    RETAINED(M, "teamwall/acme/button/desk-9", "single", "desk-9");
    tw_adapter_result r;
    CHECK_EQ_INT(parse(M, "teamwall/acme/button/desk-9",
                       "{\"action\":\"single\",\"id\":\"ci-42\","
                       "\"battery\":50}",
                       false, &r),
                 0);
    CHECK_EQ_STR(r.events[0].identity, "id:ci-42");
    CHECK_EQ_INT(r.battery, 50);
    CHECK(!r.invalid);
    CHECK_EQ_INT(parse(M, "teamwall/acme/button/desk-9", "triple", false, &r), 0);
    CHECK(r.invalid);
    CHECK_EQ_INT(r.n_events, 0);
    CHECK(strstr(r.ignored, "single, double or long") != NULL);
    CHECK_EQ_INT(parse(M, "teamwall/acme/button/desk-9", "{\"action\":5}", false, &r), 0);
    CHECK(r.invalid);
    CHECK_EQ_STR(r.ignored, "action must be a string");
    CHECK_EQ_INT(parse(M, "teamwall/acme/button/desk-9", "{\"press\":\"single\"}", false, &r), 0);
    CHECK_EQ_STR(r.ignored, "missing key: action");
    CHECK_EQ_INT(parse(M, "teamwall/acme/button/desk-9", "{not json", false, &r), 0);
    CHECK_EQ_STR(r.ignored, "invalid JSON");
    CHECK_EQ_INT(parse(M, "teamwall/acme/button/desk-9", "", false, &r), 0);
    CHECK(r.invalid);
    CHECK_EQ_INT(parse(M, "teamwall/acme/post", "single", false, &r), TW_ERR_NOTFOUND);
    CHECK_EQ_INT(parse(M, "teamwall/other/button/desk-9", "single", false, &r), TW_ERR_NOTFOUND);
    CHECK_EQ_INT(parse(M, "teamwall/acme/button/a/b", "single", false, &r), TW_ERR_NOTFOUND);
    /* key is not an MQTT source. */
    CHECK_EQ_INT(parse(TW_SRC_KEY, "teamwall/acme/button/desk-9", "single", false, &r),
                 TW_ERR_NOTFOUND);
}

static void test_robustness(void)
{
    tw_adapter_result r;
    /* Payloads are not terminated: a length that stops inside the JSON. */
    const char *p = "{\"action\":\"single\"}garbage";
    CHECK_EQ_INT(tw_adapter_parse(TW_SRC_ZIGBEE2MQTT, &ctx, "zigbee2mqtt/d", p, 19, false, &r), 0);
    CHECK_EQ_INT(r.n_events, 1);
    CHECK_EQ_INT(tw_adapter_parse(TW_SRC_ZIGBEE2MQTT, &ctx, "zigbee2mqtt/d", p, 10, false, &r), 0);
    CHECK_EQ_INT(r.n_events, 0);
    CHECK_EQ_INT(tw_adapter_parse(TW_SRC_ZIGBEE2MQTT, &ctx, "zigbee2mqtt/d", NULL, 0, false, &r),
                 0);
    CHECK_EQ_INT(tw_adapter_parse(TW_SRC_ZIGBEE2MQTT, &ctx, "zigbee2mqtt/d", NULL, 4, false, &r),
                 TW_ERR_INVAL);
    CHECK_EQ_INT(tw_adapter_parse(TW_SRC_ZIGBEE2MQTT, NULL, "zigbee2mqtt/d", "{}", 2, false, &r),
                 0);
    CHECK_EQ_INT(
        tw_adapter_parse(TW_SRC_MQTT, NULL, "teamwall/acme/button/x", "single", 6, false, &r),
        TW_ERR_NOTFOUND);
    CHECK_EQ_INT(tw_adapter_parse(TW_SRC_COUNT, &ctx, "zigbee2mqtt/d", "{}", 2, false, &r),
                 TW_ERR_NOTFOUND);
    /* A NUL inside a plain payload is no word. */
    CHECK_EQ_INT(
        tw_adapter_parse(TW_SRC_ESPHOME, &ctx, "d/binary_sensor/b/state", "O\0N", 3, false, &r), 0);
    CHECK_EQ_INT(r.n_events, 0);
    /* A device name longer than a config could hold is nobody's. */
    char topic[400];
    memset(topic, 'a', sizeof(topic));
    memcpy(topic, "zigbee2mqtt/", 12);
    topic[sizeof(topic) - 1] = '\0';
    CHECK_EQ_INT(tw_adapter_parse(TW_SRC_ZIGBEE2MQTT, &ctx, topic, "{}", 2, false, &r),
                 TW_ERR_NOTFOUND);
    /* More events than fit: the first ones are kept. */
    char many[2048] = "{\"method\":\"NotifyEvent\",\"params\":{\"events\":[";
    for (int i = 0; i < 8; i++) {
        char e[128];
        snprintf(e, sizeof(e), "%s{\"component\":\"input:%d\",\"event\":\"single_push\"}",
                 i ? "," : "", i);
        strcat(many, e);
    }
    strcat(many, "]}}");
    CHECK_EQ_INT(
        tw_adapter_parse(TW_SRC_SHELLY_GEN2, &ctx, "d/events/rpc", many, strlen(many), false, &r),
        0);
    CHECK_EQ_INT(r.n_events, TW_ADAPTER_MAX_EVENTS);
}

struct topics {
    char t[16][256];
    int n;
};

static void add_topic(void *ctx, const char *filter)
{
    struct topics *t = ctx;
    if (t->n < 16)
        snprintf(t->t[t->n++], sizeof(t->t[0]), "%s", filter);
}

static bool has(const struct topics *t, const char *s)
{
    for (int i = 0; i < t->n; i++)
        if (strcmp(t->t[i], s) == 0)
            return true;
    return false;
}

static void test_topics(void)
{
    struct topics t = {0};
    tw_adapter_device_topics(TW_SRC_ZIGBEE2MQTT, &ctx, "Desk 3 button", "", add_topic, &t);
    CHECK_EQ_INT(t.n, 2);
    CHECK(has(&t, "zigbee2mqtt/Desk 3 button"));
    CHECK(has(&t, "zigbee2mqtt/Desk 3 button/availability"));
    t.n = 0;
    tw_adapter_device_topics(TW_SRC_TASMOTA, &ctx, "sonoff-desk", "2", add_topic, &t);
    CHECK(has(&t, "stat/sonoff-desk/RESULT"));
    CHECK(has(&t, "stat/sonoff-desk/BUTTON2"));
    CHECK(has(&t, "tele/sonoff-desk/LWT"));
    t.n = 0;
    tw_adapter_device_topics(TW_SRC_SHELLY, &ctx, "shellybutton1-X", "", add_topic, &t);
    CHECK(has(&t, "shellies/shellybutton1-X/input_event/+"));
    CHECK(has(&t, "shellies/shellybutton1-X/sensor/battery"));
    CHECK(has(&t, "shellies/shellybutton1-X/online"));
    t.n = 0;
    tw_adapter_device_topics(TW_SRC_SHELLY_GEN2, &ctx, "shellyplusi4-X", "0", add_topic, &t);
    CHECK(has(&t, "shellyplusi4-X/events/rpc"));
    CHECK(has(&t, "shellyplusi4-X/online"));
    t.n = 0;
    tw_adapter_device_topics(TW_SRC_ESPHOME, &ctx, "desk3", "desk_button", add_topic, &t);
    CHECK(has(&t, "desk3/binary_sensor/desk_button/state"));
    CHECK(has(&t, "desk3/status"));
    t.n = 0;
    tw_adapter_device_topics(TW_SRC_MQTT, &ctx, "desk-9", "", add_topic, &t);
    CHECK_EQ_INT(t.n, 1);
    CHECK(has(&t, "teamwall/acme/button/desk-9"));
    t.n = 0;
    tw_adapter_device_topics(TW_SRC_KEY, &ctx, "F1", "", add_topic, &t);
    CHECK_EQ_INT(t.n, 0);

    t.n = 0;
    for (int s = 0; s < TW_SRC_COUNT; s++)
        tw_adapter_discovery_topics((tw_button_source)s, &ctx, add_topic, &t);
    CHECK_EQ_INT(t.n, 5);
    CHECK(has(&t, "zigbee2mqtt/+"));
    CHECK(has(&t, "stat/+/RESULT"));
    CHECK(has(&t, "shellies/+/input_event/+"));
    CHECK(has(&t, "+/events/rpc"));
    CHECK(has(&t, "teamwall/acme/button/+"));

    CHECK(tw_topic_matches("zigbee2mqtt/+", "zigbee2mqtt/Desk 3 button"));
    CHECK(!tw_topic_matches("zigbee2mqtt/+", "zigbee2mqtt/Desk 3 button/availability"));
    CHECK(!tw_topic_matches("zigbee2mqtt/+", "zigbee2mqtt/office/desk"));
    CHECK(tw_topic_matches("shellies/+/input_event/+", "shellies/x/input_event/+"));
    CHECK(tw_topic_matches("shellies/+/input_event/+", "shellies/x/input_event/0"));
    CHECK(tw_topic_matches("a/#", "a"));
    CHECK(tw_topic_matches("a/#", "a/b/c"));
    CHECK(tw_topic_matches("#", "a/b"));
    CHECK(!tw_topic_matches("#", "$SYS/broker"));
    CHECK(!tw_topic_matches("+/events/rpc", "$SYS/events/rpc"));
    CHECK(tw_topic_matches("+/events/rpc", "shellyplusi4-X/events/rpc"));
    CHECK(!tw_topic_matches("a/b", "a/b/c"));
    CHECK(!tw_topic_matches("a/b/c", "a/b"));
    CHECK(tw_topic_matches("a/+/c", "a//c"));
    CHECK(!tw_topic_matches(NULL, "a"));
}

int main(void)
{
    test_names();
    test_zigbee2mqtt();
    test_tasmota();
    test_shelly();
    test_shelly_gen2();
    test_esphome();
    test_mqtt();
    test_robustness();
    test_topics();
    return check_done();
}
