/* SPDX-License-Identifier: MIT */
/*
 * The message codec: every decode rule and reason of PROTOCOL.md "In:
 * commands", the ts forms, hostile payloads (deep nesting, NULs, trailing
 * bytes), the producer encoding round-tripping through the decoder, and the
 * exact JSON of items, state, events, rejections and status.
 */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "codec.h"
#include "item.h"
#include "util.h"

#define T0 1795598043 /* 2026-11-25T09:14:03Z */

static tw_command cmd;
static char why[128];

/* Decode from an exactly sized heap copy: the payload is not terminated on
 * the wire, and ASan must see any read past its end. */
static int decode_n(tw_cmd_type type, const char *json, size_t len)
{
    char *p = malloc(len ? len : 1);
    memcpy(p, json, len);
    strcpy(why, "(unset)");
    int rc = tw_codec_decode(type, p, len, &cmd, why, sizeof why);
    free(p);
    return rc;
}

static int decode(tw_cmd_type type, const char *json)
{
    return decode_n(type, json, strlen(json));
}

/* A literal that holds NUL bytes, all of it. */
#define DECODE_LIT(type, lit) decode_n(type, lit, sizeof(lit) - 1)

static int starts_with(const char *s, const char *prefix)
{
    return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Decode and expect a rejection with exactly this status and reason. */
#define REJECT(type, json, status, reason)                                                         \
    do {                                                                                           \
        CHECK_EQ_INT(decode(type, json), status);                                                  \
        CHECK_EQ_STR(why, reason);                                                                 \
    } while (0)

static void test_post(void)
{
    CHECK_EQ_INT(decode(TW_CMD_POST,
                        "{\"kind\":\"blocker\",\"text\":\"Waiting on prod DB access\","
                        "\"author\":\"Ana\",\"id\":\"slack-T1-Ev42\",\"source\":\"slack\","
                        "\"ts\":\"2026-11-25T09:14:03Z\"}"),
                 0);
    CHECK_EQ_STR(why, "");
    CHECK_EQ_INT(cmd.type, TW_CMD_POST);
    CHECK_EQ_INT(cmd.kind, TW_KIND_BLOCKER);
    CHECK_EQ_STR(cmd.text, "Waiting on prod DB access");
    CHECK_EQ_STR(cmd.author, "Ana");
    CHECK_EQ_STR(cmd.id, "slack-T1-Ev42");
    CHECK_EQ_STR(cmd.source, "slack");
    CHECK_EQ_INT(cmd.ts, T0);
    CHECK_EQ_STR(cmd.ref, "");
    CHECK_EQ_STR(cmd.note, "");

    /* the minimum; optional keys absent or null stay empty (the board fills
     * in its defaults); unknown keys of any type are ignored */
    CHECK_EQ_INT(decode(TW_CMD_POST, "{\"kind\":\"question\",\"text\":\"who owns the VPN?\","
                                     "\"author\":null,\"ts\":null,\"extra\":[1,{\"a\":true}],"
                                     "\"Kind\":5,\"priority\":\"high\"}"),
                 0);
    CHECK_EQ_INT(cmd.kind, TW_KIND_QUESTION);
    CHECK_EQ_STR(cmd.text, "who owns the VPN?");
    CHECK_EQ_STR(cmd.author, "");
    CHECK_EQ_STR(cmd.id, "");
    CHECK_EQ_STR(cmd.source, "");
    CHECK_EQ_INT(cmd.ts, 0);

    /* text is copied as it is: cleaning is the board's */
    CHECK_EQ_INT(decode(TW_CMD_POST, "{\"text\":\"  a\\tb\\u202e\\n \",\"kind\":\"win\"}"), 0);
    CHECK_EQ_INT(cmd.kind, TW_KIND_WIN);
    CHECK_EQ_STR(cmd.text, "  a\tb\xe2\x80\xae\n ");

    /* \u escapes, surrogate pairs and raw UTF-8 arrive as UTF-8 */
    CHECK_EQ_INT(decode(TW_CMD_POST, "{\"kind\":\"win\",\"text\":\"caf\\u00e9 \\ud83d\\ude80 "
                                     "\xe6\xbc\xa2\",\"author\":\"\xd8\xb9\xd9\x84\xd9\x8a\"}"),
                 0);
    CHECK_EQ_STR(cmd.text, "caf\xc3\xa9 \xf0\x9f\x9a\x80 \xe6\xbc\xa2");
    CHECK_EQ_STR(cmd.author, "\xd8\xb9\xd9\x84\xd9\x8a");

    /* white space around the value, a UTF-8 BOM, and a trailing NUL that a C
     * producer sent with its string */
    CHECK_EQ_INT(DECODE_LIT(TW_CMD_POST, " \r\n{\"kind\":\"win\",\"text\":\"x\"}\n\t \0"), 0);
    CHECK_EQ_STR(cmd.text, "x");
    CHECK_EQ_INT(decode(TW_CMD_POST, "\xef\xbb\xbf{\"kind\":\"win\",\"text\":\"x\"}"), 0);

    /* duplicate keys: which one the sender meant is unknown, so neither */
    CHECK_EQ_INT(decode(TW_CMD_POST, "{\"kind\":\"win\",\"text\":\"one\",\"text\":\"two\"}"),
                 TW_ERR_INVAL);
    CHECK_EQ_STR(why, "key given twice: text");
    /* "id":"" is not "no id" */
    CHECK_EQ_INT(decode(TW_CMD_POST, "{\"kind\":\"win\",\"text\":\"x\",\"id\":\"\"}"),
                 TW_ERR_INVAL);
    CHECK_EQ_STR(why, "id is empty (leave it out for none)");
    /* a day that does not exist is not rolled over into the next month */
    CHECK_EQ_INT(
        decode(TW_CMD_POST, "{\"kind\":\"win\",\"text\":\"x\",\"ts\":\"2026-02-30T00:00:00Z\"}"),
        TW_ERR_INVAL);
    CHECK_EQ_INT(
        decode(TW_CMD_POST, "{\"kind\":\"win\",\"text\":\"x\",\"ts\":\"2028-02-29T00:00:00Z\"}"),
        0);
}

static void test_claim_resolve_reopen(void)
{
    CHECK_EQ_INT(decode(TW_CMD_CLAIM, "{\"ref\":\"k3f9\",\"by\":\"Ben\"}"), 0);
    CHECK_EQ_INT(cmd.type, TW_CMD_CLAIM);
    CHECK_EQ_STR(cmd.ref, "k3f9");
    CHECK_EQ_STR(cmd.author, "Ben");
    CHECK_EQ_STR(cmd.note, "");

    CHECK_EQ_INT(
        decode(TW_CMD_RESOLVE,
               "{\"ref\":\"k3f9\",\"by\":\"Ben\",\"note\":\"Ask IT; the form is on the wiki\"}"),
        0);
    CHECK_EQ_INT(cmd.type, TW_CMD_RESOLVE);
    CHECK_EQ_STR(cmd.ref, "k3f9");
    CHECK_EQ_STR(cmd.author, "Ben");
    CHECK_EQ_STR(cmd.note, "Ask IT; the form is on the wiki");

    CHECK_EQ_INT(decode(TW_CMD_REOPEN, "{\"ref\":\"slack-T1-Ev42\"}"), 0);
    CHECK_EQ_INT(cmd.type, TW_CMD_REOPEN);
    CHECK_EQ_STR(cmd.ref, "slack-T1-Ev42");
    CHECK_EQ_STR(cmd.author, "");

    /* note belongs to resolve only: elsewhere it is an unknown key */
    CHECK_EQ_INT(decode(TW_CMD_CLAIM, "{\"ref\":\"k3f9\",\"note\":5}"), 0);
    CHECK_EQ_STR(cmd.note, "");
    /* and post keys mean nothing to claim */
    CHECK_EQ_INT(decode(TW_CMD_REOPEN, "{\"ref\":\"k3f9\",\"kind\":1,\"text\":[]}"), 0);
}

static void test_reasons(void)
{
    /* syntax */
    REJECT(TW_CMD_POST, "", TW_ERR_PARSE, "payload is empty");
    REJECT(TW_CMD_POST, "{\"kind\":\"win\",", TW_ERR_PARSE, "invalid JSON");
    REJECT(TW_CMD_POST, "{'kind':'win'}", TW_ERR_PARSE, "invalid JSON");
    REJECT(TW_CMD_POST, "single", TW_ERR_PARSE, "invalid JSON");
    REJECT(TW_CMD_POST, "{\"kind\":\"win\",\"text\":\"x\"} trailing", TW_ERR_PARSE, "invalid JSON");
    REJECT(TW_CMD_POST, "{\"kind\":\"win\",\"text\":\"x\"}{}", TW_ERR_PARSE, "invalid JSON");
    REJECT(TW_CMD_POST, "{\"text\":\"\\ud800\",\"kind\":\"win\"}", TW_ERR_PARSE,
           "invalid JSON"); /* lone surrogate escape */
    CHECK_EQ_INT(DECODE_LIT(TW_CMD_POST, "{\"kind\":\"win\",\"text\":\"a\0b\"}"), TW_ERR_PARSE);
    CHECK_EQ_STR(why, "invalid JSON");
    CHECK_EQ_INT(DECODE_LIT(TW_CMD_POST, "{\"kind\":\"win\",\0\"text\":\"ab\"}"), TW_ERR_PARSE);
    CHECK_EQ_STR(why, "invalid JSON");
    REJECT(TW_CMD_POST, "{\"kind\":\"win\",\"text\":\"a\\u0000b\"}", TW_ERR_INVAL,
           "strings may not contain \\u0000");
    /* an escaped backslash followed by "u0000" is just text */
    CHECK_EQ_INT(decode(TW_CMD_POST, "{\"kind\":\"win\",\"text\":\"a\\\\u0000b\"}"), 0);
    CHECK_EQ_STR(cmd.text, "a\\u0000b");

    /* shape */
    REJECT(TW_CMD_POST, "[]", TW_ERR_INVAL, "payload must be a JSON object");
    REJECT(TW_CMD_POST, "\"blocker\"", TW_ERR_INVAL, "payload must be a JSON object");
    REJECT(TW_CMD_CLAIM, "42", TW_ERR_INVAL, "payload must be a JSON object");
    REJECT(TW_CMD_CLAIM, "null", TW_ERR_INVAL, "payload must be a JSON object");

    /* required keys, in order */
    REJECT(TW_CMD_POST, "{}", TW_ERR_INVAL, "missing key: kind");
    REJECT(TW_CMD_POST, "{\"text\":\"x\"}", TW_ERR_INVAL, "missing key: kind");
    REJECT(TW_CMD_POST, "{\"kind\":\"win\"}", TW_ERR_INVAL, "missing key: text");
    REJECT(TW_CMD_POST, "{\"kind\":\"win\",\"Text\":\"x\"}", TW_ERR_INVAL, "missing key: text");
    REJECT(TW_CMD_CLAIM, "{\"by\":\"Ben\"}", TW_ERR_INVAL, "missing key: ref");
    REJECT(TW_CMD_RESOLVE, "{\"note\":\"done\"}", TW_ERR_INVAL, "missing key: ref");
    REJECT(TW_CMD_REOPEN, "{}", TW_ERR_INVAL, "missing key: ref");

    /* types */
    REJECT(TW_CMD_POST, "{\"kind\":1,\"text\":\"x\"}", TW_ERR_INVAL, "kind must be a string");
    REJECT(TW_CMD_POST, "{\"kind\":null,\"text\":\"x\"}", TW_ERR_INVAL, "kind must be a string");
    REJECT(TW_CMD_POST, "{\"kind\":\"win\",\"text\":5}", TW_ERR_INVAL, "text must be a string");
    REJECT(TW_CMD_POST, "{\"kind\":\"win\",\"text\":null}", TW_ERR_INVAL, "text must be a string");
    REJECT(TW_CMD_POST, "{\"kind\":\"win\",\"text\":[\"x\"]}", TW_ERR_INVAL,
           "text must be a string");
    REJECT(TW_CMD_POST, "{\"kind\":\"win\",\"text\":{\"a\":\"x\"}}", TW_ERR_INVAL,
           "text must be a string");
    REJECT(TW_CMD_POST, "{\"kind\":\"win\",\"text\":\"x\",\"author\":true}", TW_ERR_INVAL,
           "author must be a string");
    REJECT(TW_CMD_POST, "{\"kind\":\"win\",\"text\":\"x\",\"id\":42}", TW_ERR_INVAL,
           "id must be a string");
    REJECT(TW_CMD_POST, "{\"kind\":\"win\",\"text\":\"x\",\"source\":{}}", TW_ERR_INVAL,
           "source must be a string");
    REJECT(TW_CMD_CLAIM, "{\"ref\":4242}", TW_ERR_INVAL, "ref must be a string");
    REJECT(TW_CMD_CLAIM, "{\"ref\":\"k3f9\",\"by\":[]}", TW_ERR_INVAL, "by must be a string");
    REJECT(TW_CMD_RESOLVE, "{\"ref\":\"k3f9\",\"note\":false}", TW_ERR_INVAL,
           "note must be a string");

    /* kinds */
    REJECT(TW_CMD_POST, "{\"kind\":\"foo\",\"text\":\"x\"}", TW_ERR_INVAL, "unknown kind: foo");
    REJECT(TW_CMD_POST, "{\"kind\":\"Blocker\",\"text\":\"x\"}", TW_ERR_INVAL,
           "unknown kind: Blocker");
    REJECT(TW_CMD_POST, "{\"kind\":\"\",\"text\":\"x\"}", TW_ERR_INVAL, "unknown kind: ");
    /* what is echoed back is bounded and printable */
    REJECT(TW_CMD_POST, "{\"kind\":\"a\\nb\\u00e9\",\"text\":\"x\"}", TW_ERR_INVAL,
           "unknown kind: a\\x0ab\\xc3\\xa9");
    REJECT(TW_CMD_POST, "{\"kind\":\"0123456789abcdef0123456789abcdefTAIL\",\"text\":\"x\"}",
           TW_ERR_INVAL, "unknown kind: 0123456789abcdef0123456789abcdef");
}

static void test_sizes(void)
{
    /* build {"kind":"win","text":"<n × c>"} and the like */
    static char json[8192];
    char fill[5000];

    /* text: 1120 bytes fit (280 four-byte characters), 1121 do not */
    memset(fill, 'a', 1120);
    fill[1120] = '\0';
    snprintf(json, sizeof json, "{\"kind\":\"win\",\"text\":\"%s\"}", fill);
    CHECK_EQ_INT(decode(TW_CMD_POST, json), 0);
    CHECK_EQ_INT(strlen(cmd.text), 1120);
    strcat(fill, "a");
    snprintf(json, sizeof json, "{\"kind\":\"win\",\"text\":\"%s\"}", fill);
    REJECT(TW_CMD_POST, json, TW_ERR_INVAL, "text is too long");
    CHECK_EQ_STR(cmd.text, ""); /* nothing half-decoded is left behind */

    /* author and by: 256 bytes */
    memset(fill, 'b', 257);
    fill[257] = '\0';
    snprintf(json, sizeof json, "{\"kind\":\"win\",\"text\":\"x\",\"author\":\"%s\"}", fill);
    REJECT(TW_CMD_POST, json, TW_ERR_INVAL, "author is too long");
    snprintf(json, sizeof json, "{\"ref\":\"k3f9\",\"by\":\"%s\"}", fill);
    REJECT(TW_CMD_CLAIM, json, TW_ERR_INVAL, "by is too long");
    fill[256] = '\0';
    snprintf(json, sizeof json, "{\"ref\":\"k3f9\",\"by\":\"%s\"}", fill);
    CHECK_EQ_INT(decode(TW_CMD_CLAIM, json), 0);
    CHECK_EQ_INT(strlen(cmd.author), 256);

    /* id and ref: 64 */
    memset(fill, 'c', 65);
    fill[65] = '\0';
    snprintf(json, sizeof json, "{\"kind\":\"win\",\"text\":\"x\",\"id\":\"%s\"}", fill);
    REJECT(TW_CMD_POST, json, TW_ERR_INVAL, "id is too long");
    snprintf(json, sizeof json, "{\"ref\":\"%s\"}", fill);
    REJECT(TW_CMD_REOPEN, json, TW_ERR_INVAL, "ref is too long");
    fill[64] = '\0';
    snprintf(json, sizeof json, "{\"ref\":\"%s\"}", fill);
    CHECK_EQ_INT(decode(TW_CMD_REOPEN, json), 0);
    CHECK_EQ_INT(strlen(cmd.ref), 64);

    /* source: 32 */
    snprintf(json, sizeof json, "{\"kind\":\"win\",\"text\":\"x\",\"source\":\"%.33s\"}", fill);
    REJECT(TW_CMD_POST, json, TW_ERR_INVAL, "source is too long");
    snprintf(json, sizeof json, "{\"kind\":\"win\",\"text\":\"x\",\"source\":\"%.32s\"}", fill);
    CHECK_EQ_INT(decode(TW_CMD_POST, json), 0);

    /* note: 4000 */
    memset(fill, 'd', 4001);
    fill[4001] = '\0';
    snprintf(json, sizeof json, "{\"ref\":\"k3f9\",\"note\":\"%s\"}", fill);
    REJECT(TW_CMD_RESOLVE, json, TW_ERR_INVAL, "note is too long");
    fill[4000] = '\0';
    snprintf(json, sizeof json, "{\"ref\":\"k3f9\",\"note\":\"%s\"}", fill);
    CHECK_EQ_INT(decode(TW_CMD_RESOLVE, json), 0);
    CHECK_EQ_INT(strlen(cmd.note), 4000);

    /* the size is of the decoded string: six escaped bytes are one */
    char *p = json;
    p += sprintf(p, "{\"kind\":\"win\",\"text\":\"");
    for (int i = 0; i < 1120; i++)
        p += sprintf(p, "\\u0041");
    sprintf(p, "\"}");
    CHECK_EQ_INT(decode(TW_CMD_POST, json), 0);
    CHECK_EQ_INT(strlen(cmd.text), 1120);
}

static void test_nesting(void)
{
    static char json[4200];

    /* 4 KB of [[[[ and of {"a":{"a":... are refused before cJSON recurses */
    memset(json, '[', 4096);
    json[4096] = '\0';
    REJECT(TW_CMD_POST, json, TW_ERR_PARSE, "JSON is nested too deeply");
    char *p = json;
    for (int i = 0; i < 800; i++)
        p += sprintf(p, "{\"a\":");
    *p = '\0';
    REJECT(TW_CMD_POST, json, TW_ERR_PARSE, "JSON is nested too deeply");
    /* balanced and complete, 600 deep: still refused */
    p = json;
    p += sprintf(p, "{\"kind\":\"win\",\"text\":\"x\",\"meta\":");
    for (int i = 0; i < 600; i++)
        *p++ = '[';
    for (int i = 0; i < 600; i++)
        *p++ = ']';
    sprintf(p, "}");
    REJECT(TW_CMD_POST, json, TW_ERR_PARSE, "JSON is nested too deeply");

    /* a few levels of producers' own metadata are fine */
    CHECK_EQ_INT(decode(TW_CMD_POST, "{\"kind\":\"win\",\"text\":\"x\",\"meta\":{\"a\":{\"b\":"
                                     "[[{\"c\":[1,2]}]]}}}"),
                 0);
    /* brackets inside strings are text, not nesting */
    memset(json, 0, sizeof json);
    strcpy(json, "{\"kind\":\"win\",\"text\":\"");
    memset(json + strlen(json), '[', 500);
    strcat(json, "\\\"{{{{{{{{{{{{\"}");
    CHECK_EQ_INT(decode(TW_CMD_POST, json), 0);
    CHECK_EQ_INT(strlen(cmd.text), 500 + 1 + 12);
}

static void test_ts(void)
{
    static const struct {
        const char *json;
        int64_t ts;
    } good[] = {
        {"\"2026-11-25T09:14:03Z\"", T0},
        {"\"2026-11-25T10:14:03+01:00\"", T0},
        {"\"2026-11-25T04:44:03-04:30\"", T0},
        {"\"2026-11-25T09:14:03.123456Z\"", T0},
        {"\"2026-11-25t09:14:03z\"", T0},
        {"1795598043", T0},
        {"1795598043.0", T0},
        {"1.795598043e9", T0},
        {"0", 0},
        {"\"1970-01-01T00:00:00Z\"", 0},
    };
    char json[200];
    for (size_t i = 0; i < TW_ARRAY_LEN(good); i++) {
        snprintf(json, sizeof json, "{\"kind\":\"win\",\"text\":\"x\",\"ts\":%s}", good[i].json);
        CHECK_EQ_INT(decode(TW_CMD_POST, json), 0);
        CHECK_EQ_INT(cmd.ts, good[i].ts);
    }

    static const char *const bad_time[] = {
        "\"\"",
        "\"yesterday\"",
        "\"2026-11-25\"",
        "\"2026-11-25T09:14:03\"",
        "\"2026-13-25T09:14:03Z\"",
        "\"2026-11-25T09:14:03Z junk\"",
        "\"1795598043\"",
        "\"1969-12-31T23:59:59Z\"",
    };
    for (size_t i = 0; i < TW_ARRAY_LEN(bad_time); i++) {
        snprintf(json, sizeof json, "{\"kind\":\"win\",\"text\":\"x\",\"ts\":%s}", bad_time[i]);
        REJECT(TW_CMD_POST, json, TW_ERR_INVAL, "ts must be an RFC 3339 time or unix seconds");
    }
    static const char *const bad_number[] = {"-1", "1.5", "1e300", "-1e300", "253402300800"};
    for (size_t i = 0; i < TW_ARRAY_LEN(bad_number); i++) {
        snprintf(json, sizeof json, "{\"kind\":\"win\",\"text\":\"x\",\"ts\":%s}", bad_number[i]);
        REJECT(TW_CMD_POST, json, TW_ERR_INVAL, "ts must be whole non-negative unix seconds");
    }
    CHECK_EQ_INT(decode(TW_CMD_POST, "{\"kind\":\"win\",\"text\":\"x\",\"ts\":253402300799}"), 0);
    CHECK_EQ_INT(cmd.ts, 253402300799LL);
    REJECT(TW_CMD_POST, "{\"kind\":\"win\",\"text\":\"x\",\"ts\":true}", TW_ERR_INVAL,
           "ts must be a string or a number");
    REJECT(TW_CMD_POST, "{\"kind\":\"win\",\"text\":\"x\",\"ts\":[1]}", TW_ERR_INVAL,
           "ts must be a string or a number");
}

static void test_arguments(void)
{
    char small[8];
    CHECK_EQ_INT(tw_codec_decode(TW_CMD_POST, "{}", 2, NULL, why, sizeof why), TW_ERR_INVAL);
    CHECK_EQ_STR(why, "invalid argument");
    CHECK_EQ_INT(tw_codec_decode(TW_CMD_POST, NULL, 2, &cmd, why, sizeof why), TW_ERR_INVAL);
    CHECK_EQ_STR(why, "invalid argument");
    CHECK_EQ_INT(tw_codec_decode((tw_cmd_type)9, "{}", 2, &cmd, why, sizeof why), TW_ERR_INVAL);
    CHECK_EQ_STR(why, "unknown command");
    CHECK_EQ_INT(tw_codec_decode(TW_CMD_POST, NULL, 0, &cmd, why, sizeof why), TW_ERR_PARSE);
    CHECK_EQ_STR(why, "payload is empty");
    /* the reason is truncated to fit, and may be left out */
    CHECK_EQ_INT(tw_codec_decode(TW_CMD_POST, "{}", 2, &cmd, small, sizeof small), TW_ERR_INVAL);
    CHECK_EQ_STR(small, "missing");
    CHECK_EQ_INT(tw_codec_decode(TW_CMD_POST, "{}", 2, &cmd, NULL, 0), TW_ERR_INVAL);
    CHECK_EQ_INT(cmd.type, TW_CMD_POST);
}

/* encode → decode gives the same command back */
static void round_trip(const tw_command *in)
{
    char *json = tw_codec_encode_command(in);
    CHECK(json != NULL);
    if (!json)
        return;
    CHECK_EQ_INT(decode(in->type, json), 0);
    CHECK_EQ_INT(cmd.type, in->type);
    CHECK_EQ_INT(cmd.kind, in->kind);
    CHECK_EQ_STR(cmd.id, in->id);
    CHECK_EQ_STR(cmd.ref, in->ref);
    CHECK_EQ_STR(cmd.text, in->text);
    CHECK_EQ_STR(cmd.author, in->author);
    CHECK_EQ_STR(cmd.source, in->source);
    CHECK_EQ_STR(cmd.note, in->note);
    CHECK_EQ_INT(cmd.ts, in->ts);
    free(json);
}

static void test_encode_command(void)
{
    tw_command c;
    char *json;

    memset(&c, 0, sizeof c);
    c.type = TW_CMD_POST;
    c.kind = TW_KIND_BLOCKER;
    strcpy(c.text, "Waiting on prod DB access");
    strcpy(c.author, "Ana");
    strcpy(c.id, "slack-T1-Ev42");
    strcpy(c.source, "slack");
    c.ts = T0;
    json = tw_codec_encode_command(&c);
    CHECK_EQ_STR(json, "{\"kind\":\"blocker\",\"text\":\"Waiting on prod DB access\","
                       "\"author\":\"Ana\",\"id\":\"slack-T1-Ev42\",\"source\":\"slack\","
                       "\"ts\":\"2026-11-25T09:14:03Z\"}");
    free(json);
    round_trip(&c);

    /* empty optional fields and ts 0 are left out */
    memset(&c, 0, sizeof c);
    c.type = TW_CMD_POST;
    c.kind = TW_KIND_WIN;
    strcpy(c.text, "release \"4.2\" shipped \\o/\n\xf0\x9f\x9a\x80 \xd8\xb9\xd9\x84\xd9\x8a");
    json = tw_codec_encode_command(&c);
    CHECK_EQ_STR(json, "{\"kind\":\"win\",\"text\":\"release \\\"4.2\\\" shipped \\\\o/\\n"
                       "\xf0\x9f\x9a\x80 \xd8\xb9\xd9\x84\xd9\x8a\"}");
    free(json);
    round_trip(&c);

    memset(&c, 0, sizeof c);
    c.type = TW_CMD_CLAIM;
    strcpy(c.ref, "k3f9");
    strcpy(c.author, "Ben");
    json = tw_codec_encode_command(&c);
    CHECK_EQ_STR(json, "{\"ref\":\"k3f9\",\"by\":\"Ben\"}");
    free(json);
    round_trip(&c);

    c.type = TW_CMD_RESOLVE;
    strcpy(c.note, "Ask IT; the form is on the wiki");
    json = tw_codec_encode_command(&c);
    CHECK_EQ_STR(json,
                 "{\"ref\":\"k3f9\",\"by\":\"Ben\",\"note\":\"Ask IT; the form is on the wiki\"}");
    free(json);
    round_trip(&c);

    /* a note on anything but resolve is not sent */
    c.type = TW_CMD_REOPEN;
    c.author[0] = '\0';
    json = tw_codec_encode_command(&c);
    CHECK_EQ_STR(json, "{\"ref\":\"k3f9\"}");
    free(json);
    c.note[0] = '\0';
    round_trip(&c);

    /* full-size fields survive the trip */
    memset(&c, 0, sizeof c);
    c.type = TW_CMD_RESOLVE;
    memset(c.ref, 'r', TW_ID_MAX);
    memset(c.author, 'a', sizeof c.author - 1);
    for (int i = 0; i < TW_NOTE_MAX_CHARS; i++)
        memcpy(c.note + 4 * i, "\xf0\x9f\x98\x80", 4);
    round_trip(&c);

    c.type = (tw_cmd_type)9;
    CHECK(tw_codec_encode_command(&c) == NULL);
    CHECK(tw_codec_encode_command(NULL) == NULL);
}

static tw_item sample_item(void)
{
    tw_item it;
    memset(&it, 0, sizeof it);
    it.seq = 7;
    strcpy(it.id, "slack-T1-Ev42");
    strcpy(it.ref, "k3f9");
    it.kind = TW_KIND_BLOCKER;
    it.state = TW_STATE_OPEN;
    strcpy(it.text, "Waiting on prod DB access");
    strcpy(it.author, "Ana");
    strcpy(it.source, "slack");
    it.created = T0;
    it.updated = T0;
    return it;
}

static void test_item_json(void)
{
    tw_item it = sample_item();
    char *json = tw_codec_item_json(&it, NULL);
    CHECK_EQ_STR(json, "{\"id\":\"slack-T1-Ev42\",\"ref\":\"k3f9\",\"kind\":\"blocker\","
                       "\"text\":\"Waiting on prod DB access\",\"author\":\"Ana\","
                       "\"source\":\"slack\",\"state\":\"open\","
                       "\"created\":\"2026-11-25T09:14:03Z\",\"claimed_by\":null,"
                       "\"claimed\":null,\"resolved_by\":null,\"resolved\":null,\"note\":null,"
                       "\"updated\":\"2026-11-25T09:14:03Z\"}");
    free(json);

    it.state = TW_STATE_RESOLVED;
    strcpy(it.claimed_by, "Ben");
    it.claimed = T0 + 60;
    strcpy(it.resolved_by, "Ben");
    it.resolved = T0 + 3600;
    it.updated = T0 + 3600;
    json = tw_codec_item_json(&it, "Ask IT; \"the form\" is on the wiki");
    CHECK_EQ_STR(json, "{\"id\":\"slack-T1-Ev42\",\"ref\":\"k3f9\",\"kind\":\"blocker\","
                       "\"text\":\"Waiting on prod DB access\",\"author\":\"Ana\","
                       "\"source\":\"slack\",\"state\":\"resolved\","
                       "\"created\":\"2026-11-25T09:14:03Z\",\"claimed_by\":\"Ben\","
                       "\"claimed\":\"2026-11-25T09:15:03Z\",\"resolved_by\":\"Ben\","
                       "\"resolved\":\"2026-11-25T10:14:03Z\","
                       "\"note\":\"Ask IT; \\\"the form\\\" is on the wiki\","
                       "\"updated\":\"2026-11-25T10:14:03Z\"}");

    /* every key PROTOCOL.md names is there, and nothing else */
    static const char *const keys[] = {
        "id",      "ref",        "kind",    "text",        "author",   "source", "state",
        "created", "claimed_by", "claimed", "resolved_by", "resolved", "note",   "updated"};
    cJSON *o = cJSON_Parse(json);
    CHECK(o != NULL);
    CHECK_EQ_INT(cJSON_GetArraySize(o), TW_ARRAY_LEN(keys));
    for (size_t i = 0; i < TW_ARRAY_LEN(keys); i++)
        CHECK(cJSON_GetObjectItemCaseSensitive(o, keys[i]) != NULL);
    cJSON_Delete(o);
    free(json);

    CHECK(tw_codec_item_json(NULL, "x") == NULL);
    /* "" is no note */
    json = tw_codec_item_json(&it, "");
    CHECK(strstr(json, "\"note\":null") != NULL);
    free(json);
}

static void test_state_event_status(void)
{
    tw_item items[2] = {sample_item(), sample_item()};
    strcpy(items[1].id, "b2");
    strcpy(items[1].ref, "q7aa");
    items[1].kind = TW_KIND_QUESTION;
    items[1].state = TW_STATE_CLAIMED;
    strcpy(items[1].claimed_by, "Ben");
    items[1].claimed = T0;

    char *json = tw_codec_state_json("acme", "wall1", T0, items, 2, 200);
    cJSON *o = cJSON_Parse(json);
    CHECK(o != NULL);
    CHECK_EQ_STR(cJSON_GetStringValue(cJSON_GetObjectItem(o, "team")), "acme");
    CHECK_EQ_STR(cJSON_GetStringValue(cJSON_GetObjectItem(o, "board")), "wall1");
    CHECK_EQ_STR(cJSON_GetStringValue(cJSON_GetObjectItem(o, "updated")), "2026-11-25T09:14:03Z");
    cJSON *arr = cJSON_GetObjectItem(o, "items");
    CHECK(cJSON_IsArray(arr));
    CHECK_EQ_INT(cJSON_GetArraySize(arr), 2);
    cJSON *second = cJSON_GetArrayItem(arr, 1);
    CHECK_EQ_STR(cJSON_GetStringValue(cJSON_GetObjectItem(second, "ref")), "q7aa");
    CHECK_EQ_STR(cJSON_GetStringValue(cJSON_GetObjectItem(second, "state")), "claimed");
    CHECK_EQ_STR(cJSON_GetStringValue(cJSON_GetObjectItem(second, "claimed_by")), "Ben");
    CHECK(cJSON_IsObject(cJSON_GetObjectItem(o, "figures")));
    cJSON *open = cJSON_GetObjectItem(o, "open");
    CHECK_EQ_INT(cJSON_GetNumberValue(cJSON_GetObjectItem(open, "blocker")), 1);
    CHECK_EQ_INT(cJSON_GetNumberValue(cJSON_GetObjectItem(open, "question")), 1);
    CHECK_EQ_INT(cJSON_GetNumberValue(cJSON_GetObjectItem(open, "win")), 0);
    CHECK(cJSON_GetObjectItem(o, "truncated") == NULL);
    cJSON_Delete(o);
    free(json);

    /* Capped: blockers come first, the counts still cover everything. */
    tw_item three[3] = {items[1], items[0], items[0]};
    strcpy(three[2].id, "b3");
    three[2].kind = TW_KIND_WIN;
    json = tw_codec_state_json("acme", "wall1", T0, three, 3, 1);
    o = cJSON_Parse(json);
    arr = cJSON_GetObjectItem(o, "items");
    CHECK_EQ_INT(cJSON_GetArraySize(arr), 1);
    CHECK_EQ_STR(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(arr, 0), "kind")),
                 "blocker");
    CHECK(cJSON_IsTrue(cJSON_GetObjectItem(o, "truncated")));
    open = cJSON_GetObjectItem(o, "open");
    CHECK_EQ_INT(cJSON_GetNumberValue(cJSON_GetObjectItem(open, "win")), 1);
    cJSON_Delete(o);
    free(json);

    json = tw_codec_state_json("acme", "wall1", T0, NULL, 0, 200);
    CHECK_EQ_STR(json,
                 "{\"team\":\"acme\",\"board\":\"wall1\",\"updated\":\"2026-11-25T09:14:03Z\","
                 "\"items\":[],\"open\":{\"blocker\":0,\"question\":0,\"win\":0},\"figures\":{},"
                 "\"standup\":null}");
    free(json);

    json = tw_codec_event_json("claimed", &items[1], NULL);
    CHECK(starts_with(json, "{\"event\":\"claimed\",\"item\":{\"id\":\"b2\",\"ref\":\"q7aa\","));
    CHECK(strstr(json, "\"note\":null") != NULL);
    free(json);
    json = tw_codec_event_json("resolved", &items[1], "restart the runner");
    CHECK(strstr(json, "\"note\":\"restart the runner\"") != NULL);
    free(json);
    json = tw_codec_event_json("standup", NULL, NULL);
    CHECK_EQ_STR(json, "{\"event\":\"standup\"}");
    free(json);

    json = tw_codec_status_json("online", "1.2.0", T0);
    CHECK_EQ_STR(json,
                 "{\"state\":\"online\",\"version\":\"1.2.0\",\"since\":\"2026-11-25T09:14:03Z\"}");
    free(json);
    json = tw_codec_status_json("offline", NULL, 0);
    CHECK_EQ_STR(json, "{\"state\":\"offline\"}");
    free(json);
}

static void test_rejected_json(void)
{
    char *json = tw_codec_rejected_json("teamwall/acme/post", "text is empty",
                                        "{\"kind\":\"win\",\"text\":\"\"}", 24);
    CHECK_EQ_STR(json, "{\"topic\":\"teamwall/acme/post\",\"error\":\"text is empty\","
                       "\"payload_head\":\"{\\\"kind\\\":\\\"win\\\",\\\"text\\\":\\\"\\\"}\"}");
    free(json);

    /* binary: NUL, controls, invalid UTF-8, a backslash; stays valid JSON */
    json = tw_codec_rejected_json("teamwall/acme/post", "invalid JSON", "\0\x01\xff\\\"x", 6);
    CHECK_EQ_STR(json, "{\"topic\":\"teamwall/acme/post\",\"error\":\"invalid JSON\","
                       "\"payload_head\":\"\\\\x00\\\\x01\\\\xff\\\\\\\\\\\"x\"}");
    cJSON *o = cJSON_Parse(json);
    CHECK(o != NULL);
    CHECK_EQ_STR(cJSON_GetStringValue(cJSON_GetObjectItem(o, "payload_head")),
                 "\\x00\\x01\\xff\\\\\"x");
    cJSON_Delete(o);
    free(json);

    /* only the first 64 bytes */
    char big[4096];
    memset(big, 'z', sizeof big);
    json = tw_codec_rejected_json("t", "payload is too large", big, sizeof big);
    o = cJSON_Parse(json);
    CHECK_EQ_INT(strlen(cJSON_GetStringValue(cJSON_GetObjectItem(o, "payload_head"))), 64);
    cJSON_Delete(o);
    free(json);

    /* 64 bytes of binary, fully escaped, and NULL arguments */
    unsigned char bin[64];
    memset(bin, 0xee, sizeof bin);
    json = tw_codec_rejected_json(NULL, NULL, bin, sizeof bin);
    o = cJSON_Parse(json);
    CHECK_EQ_STR(cJSON_GetStringValue(cJSON_GetObjectItem(o, "topic")), "");
    CHECK_EQ_INT(strlen(cJSON_GetStringValue(cJSON_GetObjectItem(o, "payload_head"))), 256);
    cJSON_Delete(o);
    free(json);
}

/* <root>/standup: what decodes, what is rejected and why, and the
 * stand-up object and events of PROTOCOL.md. */
static void test_standup(void)
{
    tw_standup_cmd c;
    char board[64], reason[200];
    const char *ok = "{\"action\":\"next\",\"at\":3,\"by\":\"Ana\",\"board\":\"wall2\"}";
    CHECK_EQ_INT(
        tw_codec_decode_standup(ok, strlen(ok), &c, board, sizeof(board), reason, sizeof(reason)),
        0);
    CHECK_EQ_INT(c.action, TW_SU_NEXT);
    CHECK_EQ_INT(c.at, 3);
    CHECK_EQ_STR(c.by, "Ana");
    CHECK_EQ_STR(board, "wall2");
    const char *start = "{\"action\":\"start\",\"ts\":\"2026-11-25T09:30:00Z\"}";
    CHECK_EQ_INT(tw_codec_decode_standup(start, strlen(start), &c, board, sizeof(board), reason,
                                         sizeof(reason)),
                 0);
    CHECK_EQ_INT(c.action, TW_SU_START);
    CHECK(c.ts > 0);
    CHECK_EQ_STR(board, "");
    static const struct {
        const char *payload, *reason;
    } bad[] = {
        {"", "payload is empty"},
        {"{", "invalid JSON"},
        {"[1]", "payload must be a JSON object"},
        {"{}", "missing key: action"},
        {"{\"action\":7}", "action must be a string"},
        {"{\"action\":\"skip\"}", "unknown action: skip (start, next, back, claim, resolve, stop)"},
        {"{\"action\":\"next\",\"at\":0}", "at must be a position from 1"},
        {"{\"action\":\"next\",\"at\":1.5}", "at must be a position from 1"},
        {"{\"action\":\"next\",\"at\":\"3\"}", "at must be a position from 1"},
        {"{\"action\":\"claim\",\"by\":3}", "by must be a string"},
    };
    for (size_t i = 0; i < TW_ARRAY_LEN(bad); i++) {
        CHECK(tw_codec_decode_standup(bad[i].payload, strlen(bad[i].payload), &c, board,
                                      sizeof(board), reason, sizeof(reason)) != 0);
        CHECK_EQ_STR(reason, bad[i].reason);
    }
    /* Encoded and decoded again: the same command. */
    tw_standup_cmd e = {.action = TW_SU_RESOLVE, .at = 4};
    tw_strlcpy(e.by, "Ben", sizeof(e.by));
    tw_strlcpy(e.note, "restarted it", sizeof(e.note));
    char *json = tw_codec_encode_standup(&e, "wall1");
    CHECK_EQ_STR(json, "{\"action\":\"resolve\",\"at\":4,\"by\":\"Ben\",\"note\":\"restarted "
                       "it\",\"board\":\"wall1\"}");
    CHECK_EQ_INT(tw_codec_decode_standup(json, strlen(json), &c, board, sizeof(board), reason,
                                         sizeof(reason)),
                 0);
    CHECK(c.action == TW_SU_RESOLVE && c.at == 4 && strcmp(c.note, "restarted it") == 0);
    free(json);

    /* The object: null when idle, the keys of PROTOCOL.md while running. */
    static tw_standup su;
    tw_standup_init(&su);
    json = tw_codec_standup_json(&su);
    CHECK_EQ_STR(json, "null");
    free(json);
    tw_standup_entry walk[2] = {{"b1", TW_KIND_BLOCKER, 2, 0}, {"q1", TW_KIND_QUESTION, 0, 0}};
    tw_standup_input in = {.cmd = {.action = TW_SU_START}, .walk = walk, .n_walk = 2};
    tw_standup_effects fx;
    tw_standup_step(&su, &in, T0, &fx);
    json = tw_codec_standup_json(&su);
    CHECK_EQ_STR(json, "{\"id\":\"su-20261125T091403Z\",\"started\":\"2026-11-25T09:14:03Z\","
                       "\"position\":1,\"count\":2,\"phase\":\"blockers\",\"item\":\"b1\","
                       "\"item_started\":\"2026-11-25T09:14:03Z\",\"carried_over\":2}");
    free(json);
    in.cmd.action = TW_SU_STOP;
    tw_standup_step(&su, &in, T0 + 65, &fx);
    json = tw_codec_standup_event_json("ended", &su);
    CHECK(strstr(json, "\"event\":\"standup\",\"action\":\"ended\"") != NULL);
    CHECK(strstr(json, "\"summary\":{\"discussed\":1,\"resolved\":[],\"claimed\":[],"
                       "\"still_open\":2,\"carried_over\":[\"b1\"],\"duration_s\":65}") != NULL);
    free(json);
}

/* An event of exactly len bytes: {"event":"posted","pad":"xxx…"}. */
static char *padded_event(size_t len)
{
    if (len < 28) { /* {"a":"xy"} and shorter */
        char *e = malloc(len + 1);
        memcpy(e, "{\"a\":\"xy\"}", len);
        e[len] = '\0';
        return e;
    }
    static const char head[] = "{\"event\":\"posted\",\"pad\":\"";
    size_t fixed = sizeof head - 1 + 2;
    char *e = malloc(len + 1);
    memcpy(e, head, sizeof head - 1);
    memset(e + sizeof head - 1, 'x', len - fixed);
    memcpy(e + len - 2, "\"}", 3);
    return e;
}

/* One pass's events as batches: the builder keeps every member as printed, in
 * order, and the fit cuts at 100 events or 64 KiB, whichever comes first. */
static void test_events_batch(void)
{
    enum { N = 250 };
    char *events[N];
    for (int i = 0; i < N; i++) {
        tw_item it = sample_item();
        snprintf(it.id, sizeof it.id, "e-%d", i + 1);
        snprintf(it.text, sizeof it.text, "Burst \"%d\" \xC3\xA9\\", i + 1);
        events[i] =
            tw_codec_event_json(i % 2 ? "resolved" : "posted", &it, i % 3 ? "a note" : NULL);
    }
    size_t at = 0, batches = 0, sizes[4] = {0};
    while (at < N) {
        size_t bytes;
        size_t k = tw_codec_events_batch_fit(events + at, N - at, &bytes);
        CHECK(k >= 1 && k <= TW_CODEC_BATCH_EVENTS);
        if (batches < 4)
            sizes[batches] = k;
        char *json = tw_codec_events_batch_json(events + at, k);
        CHECK_EQ_INT((int)strlen(json), (int)bytes);
        CHECK(strlen(json) <= TW_CODEC_BATCH_BYTES);
        /* Exactly the wrapper around the members as they were printed. */
        size_t want = 0;
        for (size_t i = 0; i < k; i++)
            want += strlen(events[at + i]) + 1;
        char *expect = malloc(want + 64);
        strcpy(expect, "{\"event\":\"batch\",\"events\":[");
        for (size_t i = 0; i < k; i++) {
            if (i)
                strcat(expect, ",");
            strcat(expect, events[at + i]);
        }
        strcat(expect, "]}");
        CHECK_EQ_STR(json, expect);
        free(expect);
        /* Valid JSON, and each member parses back to its event's id. */
        cJSON *o = cJSON_Parse(json);
        CHECK(o != NULL);
        CHECK_EQ_STR(cJSON_GetStringValue(cJSON_GetObjectItem(o, "event")), "batch");
        cJSON *list = cJSON_GetObjectItem(o, "events");
        CHECK(cJSON_IsArray(list));
        CHECK_EQ_INT(cJSON_GetArraySize(list), (int)k);
        for (size_t i = 0; i < k; i++) {
            char id[32];
            snprintf(id, sizeof id, "e-%zu", at + i + 1);
            cJSON *item = cJSON_GetObjectItem(cJSON_GetArrayItem(list, (int)i), "item");
            CHECK_EQ_STR(cJSON_GetStringValue(cJSON_GetObjectItem(item, "id")), id);
        }
        cJSON_Delete(o);
        free(json);
        at += k;
        batches++;
    }
    CHECK_EQ_INT((int)batches, 3);
    CHECK_EQ_INT((int)sizes[0], 100);
    CHECK_EQ_INT((int)sizes[1], 100);
    CHECK_EQ_INT((int)sizes[2], 50);
    for (int i = 0; i < N; i++)
        free(events[i]);

    /* The bytes: 29 of wrapper, a comma between: two of 32,753 make 65,536. */
    char *big[3] = {padded_event(32753), padded_event(32753), padded_event(10)};
    size_t bytes;
    CHECK_EQ_INT((int)tw_codec_events_batch_fit(big, 3, &bytes), 2);
    CHECK_EQ_INT((int)bytes, 65536);
    char *json = tw_codec_events_batch_json(big, 2);
    CHECK_EQ_INT((int)strlen(json), 65536);
    cJSON *o = cJSON_Parse(json);
    CHECK(o != NULL && cJSON_GetArraySize(cJSON_GetObjectItem(o, "events")) == 2);
    cJSON_Delete(o);
    free(json);
    free(big[0]);
    big[0] = padded_event(32754); /* one byte more: the second starts a batch */
    CHECK_EQ_INT((int)tw_codec_events_batch_fit(big, 3, &bytes), 1);
    CHECK_EQ_INT((int)bytes, 32754);
    CHECK_EQ_INT((int)tw_codec_events_batch_fit(big + 1, 2, &bytes), 2);
    CHECK_EQ_INT((int)bytes, 29 + 32753 + 1 + 10);
    free(big[0]);
    big[0] = padded_event(70000); /* alone past the limit: still sent, alone */
    CHECK_EQ_INT((int)tw_codec_events_batch_fit(big, 3, &bytes), 1);
    CHECK_EQ_INT((int)bytes, 70000);
    CHECK_EQ_INT((int)tw_codec_events_batch_fit(big + 2, 1, &bytes), 1);
    CHECK_EQ_INT((int)bytes, 10);
    for (int i = 0; i < 3; i++)
        free(big[i]);
}

int main(void)
{
    test_post();
    test_claim_resolve_reopen();
    test_reasons();
    test_sizes();
    test_nesting();
    test_ts();
    test_arguments();
    test_encode_command();
    test_item_json();
    test_state_event_status();
    test_rejected_json();
    test_standup();
    test_events_batch();
    return check_done();
}
