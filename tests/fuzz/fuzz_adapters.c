/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the desk-button adapters: bytes a stranger publishes
 * on a topic a button source listens to. The input is "<source digit><topic>
 * \n<payload>"; the payload is parsed by every source, as retained and as
 * live, against the given topic and the source's own press and health
 * topics. Checked: the result stays within its bounds (events, battery,
 * online, enums), every string ends inside its buffer, a foreign topic
 * leaves the result empty, a retained message never presses, and
 * tw_topic_matches agrees with itself on the same bytes. zigbee2mqtt's
 * words are read with and without a device vocabulary (the payload's own
 * bytes as one, and Hue's), and the payload is also read as zigbee2mqtt's
 * device list. A broken promise aborts, which libFuzzer reports with the
 * input saved.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters.h"
#include "util.h"
#include "z2m_actions.h"
#include "z2m_devices.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REQUIRE(cond)                                                                              \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_adapters: %s:%d: %s\n", __FILE__, __LINE__, #cond);              \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

static bool terminated(const char *s, size_t size)
{
    return memchr(s, '\0', size) != NULL;
}

static const char *vocab_now;

static const char *vocab(void *vctx, const char *device)
{
    (void)vctx;
    (void)device;
    return vocab_now;
}

static void check(tw_button_source src, const char *topic, const uint8_t *payload, size_t len,
                  bool retained)
{
    static const tw_adapter_ctx ctx = {.root = "teamwall/acme",
                                       .z2m_base = "zigbee2mqtt",
                                       .z2m_vocab = vocab,
                                       .tasmota_hold = "LONG"};
    tw_adapter_result r;
    int rc = tw_adapter_parse(src, &ctx, topic, payload, len, retained, &r);
    REQUIRE(rc == 0 || rc == TW_ERR_NOTFOUND);
    REQUIRE(terminated(r.device, sizeof(r.device)) && terminated(r.ignored, sizeof(r.ignored)));
    REQUIRE(terminated(r.action, sizeof(r.action)));
    REQUIRE(!r.unknown_action || r.action[0] != '\0'); /* the word to log */
    REQUIRE(r.battery >= -1 && r.battery <= 100);
    REQUIRE(r.online >= -1 && r.online <= 1);
    REQUIRE(r.n_events >= 0 && r.n_events <= TW_ADAPTER_MAX_EVENTS);
    if (rc) {
        REQUIRE(r.device[0] == '\0' && r.n_events == 0 && r.battery == -1 && r.online == -1);
        return;
    }
    REQUIRE(r.device[0] != '\0');
    for (int i = 0; i < r.n_events; i++) {
        const tw_adapter_event *e = &r.events[i];
        REQUIRE((unsigned)e->press < TW_PRESS_COUNT);
        REQUIRE(e->edge == TW_EDGE_NONE || e->edge == TW_EDGE_DOWN || e->edge == TW_EDGE_UP);
        REQUIRE((e->press != TW_PRESS_NONE) != (e->edge != TW_EDGE_NONE));
        REQUIRE(!retained);
        REQUIRE(terminated(e->input, sizeof(e->input)));
        REQUIRE(terminated(e->identity, sizeof(e->identity)));
        REQUIRE(!e->has_counter || e->counter >= 0);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    tw_button_source first = (tw_button_source)((data[0] - '0') % TW_SRC_COUNT);
    const uint8_t *nl = memchr(data + 1, '\n', size - 1);
    size_t tlen = nl ? (size_t)(nl - data - 1) : 0;
    if (tlen > 300)
        tlen = 300;
    char topic[301];
    memcpy(topic, data + 1, tlen);
    topic[tlen] = '\0';
    const uint8_t *payload = nl ? nl + 1 : data + 1;
    size_t len = size - (size_t)(payload - data);

    static const char *const topics[] = {
        "zigbee2mqtt/Desk 3 button",
        "zigbee2mqtt/Desk 3 button/availability",
        "stat/sonoff-desk/RESULT",
        "stat/sonoff-desk/BUTTON2",
        "tele/sonoff-desk/LWT",
        "shellies/shellybutton1-E8DB84AA196D/input_event/0",
        "shellies/shellybutton1-E8DB84AA196D/sensor/battery",
        "shellies/shellybutton1-E8DB84AA196D/online",
        "shellyplusi4-c4d8d5568e44/events/rpc",
        "shellyplusi4-c4d8d5568e44/online",
        "desk5/binary_sensor/desk_button/state",
        "desk5/status",
        "teamwall/acme/button/eve",
    };
    for (int retained = 0; retained < 2; retained++) {
        check(first, topic, payload, len, retained);
        for (int s = 0; s < TW_SRC_COUNT; s++)
            for (size_t t = 0; t < TW_ARRAY_LEN(topics); t++)
                check((tw_button_source)s, topics[t], payload, len, retained);
    }

    /* zigbee2mqtt: the topic bytes as an action word, against no vocabulary,
     * Hue's, and the payload's bytes as one. */
    char *pv = malloc(len + 1);
    memcpy(pv, payload, len);
    pv[len] = '\0';
    const char *vocabs[] = {NULL, "on_press on_press_release on_hold on_hold_release press release",
                            pv};
    for (size_t v = 0; v < TW_ARRAY_LEN(vocabs); v++) {
        vocab_now = vocabs[v];
        tw_z2m_action a;
        tw_z2m_action_parse(topic, vocab_now, &a);
        REQUIRE(a.verdict == TW_Z2M_PRESS || a.verdict == TW_Z2M_EDGE ||
                a.verdict == TW_Z2M_IGNORE || a.verdict == TW_Z2M_UNKNOWN);
        REQUIRE(terminated(a.key, sizeof(a.key)));
        REQUIRE((a.verdict == TW_Z2M_PRESS) == (a.press != TW_PRESS_NONE));
        REQUIRE((a.verdict == TW_Z2M_EDGE) == (a.edge != TW_EDGE_NONE));
        REQUIRE(a.verdict == TW_Z2M_PRESS || a.verdict == TW_Z2M_EDGE || a.why != NULL);
        check(TW_SRC_ZIGBEE2MQTT, "zigbee2mqtt/Desk 3 button", payload, len, false);
    }
    vocab_now = NULL;
    free(pv);
    /* The payload as zigbee2mqtt's device list. */
    tw_z2m_devices *d = tw_z2m_devices_create();
    int n = tw_z2m_devices_update(d, payload, len);
    REQUIRE(n == TW_ERR_PARSE || (n >= 0 && (size_t)n == tw_z2m_devices_count(d)));
    for (int i = 0; i < n; i++) {
        (void)tw_z2m_devices_find(d, "Desk 3 button");
    }
    const tw_z2m_device *dv = tw_z2m_devices_find(d, "Desk 3 button");
    REQUIRE(!dv || (terminated(dv->model, sizeof(dv->model)) && dv->vocab != NULL));
    tw_z2m_devices_destroy(d);

    /* The topic bytes as a filter and as a topic: a filter matches itself
     * when it has no wildcards, and '#' matches everything but $-topics. */
    if (!strchr(topic, '+') && !strchr(topic, '#'))
        REQUIRE(tw_topic_matches(topic, topic));
    REQUIRE(tw_topic_matches("#", topic) == (topic[0] != '$'));
    (void)tw_topic_matches(topic, "zigbee2mqtt/Desk 3 button");
    return 0;
}
