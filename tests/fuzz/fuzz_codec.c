/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for what the board does with bytes a stranger published:
 * decode them as each command type and as a stand-up command and, where
 * they decode, check that the producer encoding decodes to the same command; where they do not,
 * check the reason is short and printable and that the rejection JSON builds. Then run the text
 * rules over the same bytes and check what they promise: valid UTF-8 out, no controls, no leading,
 * trailing or doubled spaces, within the limit, and cleaning twice changes nothing. A broken
 * promise aborts, which libFuzzer reports as a crash with the input saved.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "item.h"
#include "text.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REQUIRE(cond)                                                                              \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_codec: %s:%d: %s\n", __FILE__, __LINE__, #cond);                 \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

static bool printable(const char *s)
{
    for (; *s; s++)
        if (*s < 0x20 || *s > 0x7E)
            return false;
    return true;
}

static bool same_command(const tw_command *a, const tw_command *b)
{
    return a->type == b->type && a->kind == b->kind && a->ts == b->ts &&
           strcmp(a->id, b->id) == 0 && strcmp(a->ref, b->ref) == 0 &&
           strcmp(a->text, b->text) == 0 && strcmp(a->author, b->author) == 0 &&
           strcmp(a->source, b->source) == 0 && strcmp(a->note, b->note) == 0;
}

static void check_decode(tw_cmd_type type, const uint8_t *data, size_t size)
{
    static tw_command cmd, again;
    char reason[128], reason2[128];

    int rc = tw_codec_decode(type, data, size, &cmd, reason, sizeof reason);
    REQUIRE(cmd.type == type);
    if (rc != 0) {
        REQUIRE(rc == TW_ERR_PARSE || rc == TW_ERR_INVAL);
        REQUIRE(reason[0] != '\0' && printable(reason));
        char *json = tw_codec_rejected_json("teamwall/fuzz/post", reason, data, size);
        REQUIRE(json != NULL);
        free(json);
        return;
    }
    REQUIRE(reason[0] == '\0');
    REQUIRE(memchr(cmd.text, '\0', sizeof cmd.text) != NULL);
    REQUIRE(memchr(cmd.note, '\0', sizeof cmd.note) != NULL);

    char *json = tw_codec_encode_command(&cmd);
    REQUIRE(json != NULL);
    rc = tw_codec_decode(type, json, strlen(json), &again, reason2, sizeof reason2);
    if (rc != 0)
        fprintf(stderr, "fuzz_codec: re-decode failed: %s\n", reason2);
    REQUIRE(rc == 0);
    REQUIRE(same_command(&cmd, &again));
    free(json);

    /* what the board does next with the strings */
    char out[TW_NOTE_SIZE];
    const char *why;
    (void)tw_text_clean(cmd.text, strlen(cmd.text), 1, TW_TEXT_MAX_CHARS, out, sizeof out, &why);
    (void)tw_text_clean(cmd.author, strlen(cmd.author), 0, TW_AUTHOR_MAX_CHARS, out, sizeof out,
                        &why);
    (void)tw_text_clean(cmd.note, strlen(cmd.note), 0, TW_NOTE_MAX_CHARS, out, sizeof out, &why);
    (void)tw_id_valid(cmd.id);
    (void)tw_id_valid(cmd.ref);
    (void)tw_source_valid(cmd.source);
}

/* <root>/standup: rejected with a printable reason, or encoded and decoded
 * again to the same command. */
static void check_standup(const uint8_t *data, size_t size)
{
    static tw_standup_cmd cmd, again;
    char board[128], board2[128], reason[200];
    int rc = tw_codec_decode_standup(data, size, &cmd, board, sizeof board, reason, sizeof reason);
    if (rc != 0) {
        REQUIRE(rc == TW_ERR_PARSE || rc == TW_ERR_INVAL);
        REQUIRE(reason[0] != '\0' && printable(reason));
        return;
    }
    REQUIRE((unsigned)cmd.action < TW_SU_ACTION_COUNT && cmd.at >= 0);
    char *json = tw_codec_encode_standup(&cmd, board);
    REQUIRE(json != NULL);
    REQUIRE(tw_codec_decode_standup(json, strlen(json), &again, board2, sizeof board2, reason,
                                    sizeof reason) == 0);
    REQUIRE(again.action == cmd.action && again.at == cmd.at && again.ts == cmd.ts &&
            strcmp(again.by, cmd.by) == 0 && strcmp(again.note, cmd.note) == 0 &&
            strcmp(again.source, cmd.source) == 0 && strcmp(board, board2) == 0);
    free(json);
}

static void check_clean(const uint8_t *data, size_t size)
{
    static char out[TW_TEXT_SIZE], twice[TW_TEXT_SIZE];
    const char *why = NULL;

    int rc = tw_text_clean((const char *)data, size, 1, TW_TEXT_MAX_CHARS, out, sizeof out, &why);
    if (!tw_utf8_valid((const char *)data, size)) {
        REQUIRE(rc == TW_ERR_INVAL && strcmp(why, "invalid UTF-8") == 0);
        return;
    }
    if (rc != 0) {
        REQUIRE(rc == TW_ERR_INVAL && why && printable(why));
        REQUIRE(out[0] == '\0');
        return;
    }
    size_t n = strlen(out);
    REQUIRE(n > 0 && tw_utf8_valid(out, n));
    size_t chars = tw_utf8_count(out);
    REQUIRE(chars >= 1 && chars <= TW_TEXT_MAX_CHARS);
    REQUIRE(out[0] != ' ' && out[n - 1] != ' ' && strstr(out, "  ") == NULL);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        i += tw_utf8_next(out + i, &cp);
        REQUIRE(cp >= 0x20 && !(cp >= 0x7F && cp <= 0xA0));
        REQUIRE(!(cp >= 0x202A && cp <= 0x202E) && !(cp >= 0x2066 && cp <= 0x2069));
        REQUIRE(cp != 0x3000 && cp != 0x2028 && cp != 0x2029);
    }
    REQUIRE(tw_utf8_prefix(out, chars) == n);
    REQUIRE(tw_text_clean(out, n, 1, TW_TEXT_MAX_CHARS, twice, sizeof twice, &why) == 0);
    REQUIRE(strcmp(out, twice) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const tw_cmd_type types[] = {TW_CMD_POST, TW_CMD_CLAIM, TW_CMD_RESOLVE, TW_CMD_REOPEN};
    for (size_t i = 0; i < TW_ARRAY_LEN(types); i++)
        check_decode(types[i], data, size);
    check_standup(data, size);
    check_clean(data, size);

    char head[64 * 4 + 1];
    tw_text_escape_head(data, size, 64, head, sizeof head);
    REQUIRE(printable(head) && strlen(head) <= 64 * 4);
    return 0;
}
