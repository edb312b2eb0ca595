/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for what teamwall-bridge does with a stranger's request
 * (TARGETS.md R3, "bridge request parsing"). The first byte picks the route
 * and the Content-Type; up to the first newline the bytes are a header value
 * (signature, timestamp, Authorization) that goes through every verifier;
 * the rest is the body. The body is decoded as that platform's request and
 * parsed as a command, then every promise is checked: a decoded request's
 * strings are terminated; a command to publish has clean text within the
 * limits, a valid id or ref and a source, and its JSON (tw_codec) decodes
 * back to the same command; every reply, board listing, notification and
 * API answer is JSON that parses. The body is also tried as retained state,
 * as an event and as a batch of events (alone, and as members of one the
 * board builds). A broken promise aborts.
 */
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chat.h"
#include "codec.h"
#include "item.h"
#include "text.h"
#include "util.h"
#include "verify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REQUIRE(cond)                                                                              \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_bridge: %s:%d: %s\n", __FILE__, __LINE__, #cond);                \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

static bool terminated(const char *s, size_t size)
{
    return memchr(s, '\0', size) != NULL;
}

static void require_json(char *json)
{
    REQUIRE(json != NULL);
    cJSON *o = cJSON_Parse(json);
    REQUIRE(o != NULL && cJSON_IsObject(o));
    cJSON_Delete(o);
    free(json);
}

static bool clean_text(const char *s, size_t min, size_t max)
{
    size_t n = strlen(s);
    if (!tw_utf8_valid(s, n))
        return false;
    size_t chars = tw_utf8_count(s);
    if (chars < min || chars > max)
        return false;
    return n == 0 || (s[0] != ' ' && s[n - 1] != ' ' && strstr(s, "  ") == NULL);
}

static void check_action(tw_chat_platform p, const tw_chat_action *a)
{
    char text[4096];
    switch (a->verb) {
    case TW_CHAT_HELP:
    case TW_CHAT_BOARD: return;
    case TW_CHAT_INVALID:
        REQUIRE(a->error[0] != '\0' && terminated(a->error, sizeof a->error));
        REQUIRE(tw_utf8_valid(a->error, strlen(a->error)));
        require_json(tw_chat_reply_json(p, a->error));
        return;
    case TW_CHAT_STANDUP: {
        /* standup, next, done: a payload the board decodes, with or without
         * a state to take the position from. */
        REQUIRE(a->standup == TW_SU_START || a->standup == TW_SU_NEXT || a->standup == TW_SU_STOP);
        static const char state[] = "{\"standup\":{\"position\":2,\"phase\":\"blockers\"}}";
        for (int i = 0; i < 2; i++) {
            char *json = tw_chat_standup_json(a, i ? state : NULL, i ? sizeof state - 1 : 0);
            tw_standup_cmd cmd;
            char board[64], why[200];
            REQUIRE(json && tw_codec_decode_standup(json, strlen(json), &cmd, board, sizeof board,
                                                    why, sizeof why) == 0);
            REQUIRE(cmd.action == a->standup);
            free(json);
        }
        require_json(tw_chat_reply_json(p, tw_chat_standup_text(a)));
        return;
    }
    case TW_CHAT_RUN: break;
    default: REQUIRE(!"unknown verb");
    }
    const tw_command *c = &a->cmd;
    REQUIRE(tw_source_valid(c->source));
    REQUIRE(clean_text(c->author, 1, TW_AUTHOR_MAX_CHARS));
    if (c->type == TW_CMD_POST) {
        REQUIRE((unsigned)c->kind < TW_KIND_COUNT);
        REQUIRE(clean_text(c->text, 1, TW_TEXT_MAX_CHARS));
        REQUIRE(tw_id_valid(c->id));
    } else {
        REQUIRE(tw_id_valid(c->ref) && strlen(c->ref) >= TW_REF_MIN);
        REQUIRE(clean_text(c->note, 0, TW_NOTE_MAX_CHARS));
    }
    /* What the bridge publishes decodes back to the same command. */
    char *json = tw_codec_encode_command(c);
    REQUIRE(json != NULL);
    static tw_command again;
    char reason[128];
    REQUIRE(tw_codec_decode(c->type, json, strlen(json), &again, reason, sizeof reason) == 0);
    if (c->type == TW_CMD_POST)
        REQUIRE(strcmp(again.text, c->text) == 0 && strcmp(again.id, c->id) == 0 &&
                again.kind == c->kind && strcmp(again.source, c->source) == 0);
    else
        REQUIRE(strcmp(again.ref, c->ref) == 0 && strcmp(again.note, c->note) == 0);
    REQUIRE(strcmp(again.author, c->author) == 0);
    free(json);

    char ref[TW_REF_MIN + 1];
    tw_chat_ref(c->type == TW_CMD_POST ? c->id : c->ref, ref);
    REQUIRE(strlen(ref) == TW_REF_MIN);
    tw_chat_done_text(a, ref, c->text, text, sizeof text);
    REQUIRE(tw_utf8_valid(text, strlen(text)));
    require_json(tw_chat_reply_json(p, text));
    require_json(tw_chat_api_json(true, ref, c->id, text));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static const char *const ctypes[] = {NULL, "application/json",
                                         "application/x-www-form-urlencoded",
                                         " Application/JSON; charset=utf-8"};
    tw_chat_platform p = (tw_chat_platform)(data[0] % TW_CHAT_PLATFORM_COUNT);
    const char *ctype = ctypes[(data[0] / TW_CHAT_PLATFORM_COUNT) % 4];
    data++;
    size--;

    /* The header value: bytes up to the first newline, as a C string. */
    const uint8_t *nl = memchr(data, '\n', size);
    size_t hlen = nl ? (size_t)(nl - data) : 0;
    char header[512];
    if (hlen >= sizeof header)
        hlen = sizeof header - 1;
    memcpy(header, data, hlen);
    header[hlen] = '\0';
    const uint8_t *body = nl ? nl + 1 : data;
    size_t len = nl ? size - (size_t)(nl + 1 - data) : size;

    /* Verifiers never accept a made-up credential for a fixed secret. */
    REQUIRE(tw_verify_slack("8f742231b10e8888abcd99yyyzzz85a5", header, header, body, len,
                            1531420618) != TW_VERIFY_OK);
    REQUIRE(tw_verify_teams("dGVhbXdhbGwtdGVhbXMtb3V0Z29pbmctc2VjcmV0ISE=", header, body, len) !=
            TW_VERIFY_OK);
    (void)tw_verify_authorization("token", "Bearer", header);
    unsigned char b64[512];
    int n = tw_verify_base64_decode(header, b64, sizeof b64);
    REQUIRE(n >= -1 && n <= (int)sizeof b64);

    static tw_chat_request req;
    static tw_chat_action act;
    char reason[128];
    int rc = tw_chat_decode(p, ctype, body, len, &req, reason, sizeof reason);
    if (rc != 0) {
        REQUIRE(rc == TW_ERR_PARSE && reason[0] != '\0');
    } else {
        REQUIRE(terminated(req.command, sizeof req.command));
        REQUIRE(terminated(req.text, sizeof req.text));
        REQUIRE(terminated(req.user, sizeof req.user));
        REQUIRE(terminated(req.uid, sizeof req.uid));
        REQUIRE(terminated(req.token, sizeof req.token));
        if (!req.uid[0])
            tw_chat_fallback_uid(body, len, 1764062043, req.uid, sizeof req.uid);
        tw_chat_parse(p, &req, &act);
        check_action(p, &act);
    }

    /* The same bytes as the board's retained state and as an event. */
    char *text = tw_chat_board_text(body, len);
    if (text) {
        REQUIRE(tw_utf8_valid(text, strlen(text)) || !tw_utf8_valid((const char *)body, len));
        require_json(tw_chat_reply_json(TW_CHAT_SLACK, text));
        free(text);
    }
    char found[TW_TEXT_SIZE];
    int f = tw_chat_state_find(body, len, header, found, sizeof found);
    REQUIRE(f >= -1 && f <= 1 && terminated(found, sizeof found));
    text = tw_chat_event_text(body, len);
    if (text)
        require_json(tw_chat_notify_json(TW_CHAT_MATTERMOST, text));
    /* As a message that may be a batch: a single event gives its one text;
     * every member's text is a notification. */
    char **texts;
    size_t nt = tw_chat_event_texts(body, len, &texts);
    REQUIRE((nt == 0) == (texts == NULL));
    if (text)
        REQUIRE(nt == 1 && strcmp(texts[0], text) == 0);
    for (size_t i = 0; i < nt; i++) {
        REQUIRE(texts[i] != NULL);
        require_json(tw_chat_notify_json(TW_CHAT_SLACK, texts[i]));
        free(texts[i]);
    }
    free(texts);
    /* The same bytes as two members of a batch the board builds: what notifies
     * alone notifies twice, the same (0 only past cJSON's nesting limit). */
    if (text && !memchr(body, '\0', len)) {
        char *member = tw_xmalloc(len + 1);
        memcpy(member, body, len);
        member[len] = '\0';
        char *const pair[] = {member, member};
        char *batch = tw_codec_events_batch_json(pair, 2);
        nt = tw_chat_event_texts(batch, strlen(batch), &texts);
        REQUIRE(nt == 0 || nt == 2);
        for (size_t i = 0; i < nt; i++) {
            REQUIRE(strcmp(texts[i], text) == 0);
            free(texts[i]);
        }
        free(texts);
        free(batch);
        free(member);
    }
    free(text);
    return 0;
}
