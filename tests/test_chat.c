/* SPDX-License-Identifier: MIT */
/*
 * The chat bridge's language: each platform's real request shape decoded,
 * every command of PROTOCOL.md parsed in both forms (platform command and
 * umbrella), ids stable per platform id, refs equal to the store's hash
 * prefix, helpful errors, and the replies, board listing and notifications
 * as the chats will see them (escaped, mentions defused).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chat.h"
#include "check.h"
#include "store.h"
#include "util.h"

static tw_chat_request req;
static tw_chat_action act;

static int decode(tw_chat_platform p, const char *ctype, const char *body)
{
    char reason[128];
    return tw_chat_decode(p, ctype, body, strlen(body), &req, reason, sizeof reason);
}

/* Parse "command" + "text" as if a platform had sent them. */
static void parse(tw_chat_platform p, const char *command, const char *text, const char *uid)
{
    memset(&req, 0, sizeof req);
    snprintf(req.command, sizeof req.command, "%s", command);
    snprintf(req.text, sizeof req.text, "%s", text);
    snprintf(req.user, sizeof req.user, "Ana");
    snprintf(req.uid, sizeof req.uid, "%s", uid);
    tw_chat_parse(p, &req, &act);
}

static void test_form(void)
{
    const char *body = "a=1&text=CI+is+red%21%20now&empty=&flag&text=second&nul=x%00y&pct=%zz%4";
    char out[64];
    CHECK_EQ_INT(tw_chat_form_get(body, strlen(body), "text", out, sizeof out), 14);
    CHECK_EQ_STR(out, "CI is red! now");
    CHECK_EQ_INT(tw_chat_form_get(body, strlen(body), "empty", out, sizeof out), 0);
    CHECK_EQ_INT(tw_chat_form_get(body, strlen(body), "flag", out, sizeof out), 0);
    CHECK_EQ_INT(tw_chat_form_get(body, strlen(body), "missing", out, sizeof out), -1);
    CHECK_EQ_INT(tw_chat_form_get(body, strlen(body), "nul", out, sizeof out), 2);
    CHECK_EQ_STR(out, "xy");
    CHECK_EQ_INT(tw_chat_form_get(body, strlen(body), "pct", out, sizeof out), 5);
    CHECK_EQ_STR(out, "%zz%4");
    CHECK_EQ_INT(tw_chat_form_get(body, strlen(body), "text", out, 5), -2);
    CHECK_EQ_STR(out, "CI i");
}

static void test_decode(void)
{
    /* Slack: the documented slash-command form. */
    CHECK_EQ_INT(decode(TW_CHAT_SLACK, "application/x-www-form-urlencoded",
                        "token=gIkuvaNzQIHg97ATvDxqgjtO&team_id=T0001&team_domain=example&"
                        "channel_id=C2147483705&channel_name=test&user_id=U2147483697&"
                        "user_name=Steve&command=%2Fwall&text=blocker+Waiting+on+prod+DB&"
                        "response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2F1234%2F5678&"
                        "trigger_id=13345224609.738474920.8088930838d88f008e0"),
                 0);
    CHECK_EQ_STR(req.command, "/wall");
    CHECK_EQ_STR(req.text, "blocker Waiting on prod DB");
    CHECK_EQ_STR(req.user, "Steve");
    CHECK_EQ_STR(req.uid, "13345224609.738474920.8088930838d88f008e0");
    CHECK(!req.too_long);
    /* Slack's escaping of text: entities, mentions and links. */
    CHECK_EQ_INT(decode(TW_CHAT_SLACK, NULL,
                        "text=blocker+a+%26lt%3B+b+%26amp%3Bamp%3B+%3C%40U024BE7LH%7Cana%3E+"
                        "%3C%23C024BE7LB%7Cgeneral%3E+%3C%21here%3E+"
                        "%3Chttps%3A%2F%2Fx.io%7Cdocs%3E+%3Chttps%3A%2F%2Fy.io%3E+%3Cunclosed"),
                 0);
    CHECK_EQ_STR(req.text, "blocker a < b &amp; @ana #general @here docs https://y.io <unclosed");

    /* Mattermost slash command, form and JSON. */
    CHECK_EQ_INT(decode(TW_CHAT_MATTERMOST, NULL,
                        "channel_id=c1&command=%2Fblocker&response_url=x&team_domain=t&"
                        "text=CI+is+red&token=mmtok&trigger_id=dHJpZ2dlcg%3D%3D&user_id=u1&"
                        "user_name=ben"),
                 0);
    CHECK_EQ_STR(req.command, "/blocker");
    CHECK_EQ_STR(req.token, "mmtok");
    CHECK_EQ_STR(req.uid, "dHJpZ2dlcg==");
    CHECK_EQ_INT(decode(TW_CHAT_MATTERMOST, "application/json; charset=utf-8",
                        "{\"command\":\"/wall\",\"text\":\"win shipped\",\"token\":\"t\","
                        "\"trigger_id\":\"abc\",\"user_name\":\"cleo\"}"),
                 0);
    CHECK_EQ_STR(req.text, "win shipped");
    CHECK_EQ_STR(req.user, "cleo");

    /* Mattermost outgoing webhook: the trigger word leads the text. */
    CHECK_EQ_INT(decode(TW_CHAT_MATTERMOST_OUTGOING, "application/json",
                        "{\"token\":\"hook\",\"team_id\":\"t\",\"channel_id\":\"c\",\"timestamp\":"
                        "1445532266,\"user_id\":\"u\",\"user_name\":\"dan\",\"post_id\":"
                        "\"fqsiik3c9b8ndfwqr6bc4xmc1w\",\"text\":\"#wall question Who has the "
                        "VPN?\",\"trigger_word\":\"#wall\",\"file_ids\":\"\"}"),
                 0);
    CHECK_EQ_STR(req.command, "#wall");
    CHECK_EQ_STR(req.text, " question Who has the VPN?");
    CHECK_EQ_STR(req.uid, "fqsiik3c9b8ndfwqr6bc4xmc1w");
    CHECK_EQ_STR(req.token, "hook");
    CHECK_EQ_INT(decode(TW_CHAT_MATTERMOST_OUTGOING, NULL,
                        "token=hook&post_id=p1&user_name=dan&trigger_word=blocker&"
                        "text=blocker+the+build+is+slow"),
                 0);
    CHECK_EQ_STR(req.command, "blocker");
    CHECK_EQ_STR(req.text, " the build is slow");

    /* Teams: HTML with the mention, the activity id, from.name. */
    CHECK_EQ_INT(decode(TW_CHAT_TEAMS, "application/json",
                        "{\"type\":\"message\",\"id\":\"1485983408511\",\"text\":\"<at>Wall</at>"
                        "&nbsp;blocker CI &amp; CD are <b>red</b> &#x1F525;\\n\",\"from\":{\"id\":"
                        "\"29:1\",\"name\":\"Ana Lima\"}}"),
                 0);
    CHECK_EQ_STR(req.text, " blocker CI & CD are  red  \xF0\x9F\x94\xA5\n");
    CHECK_EQ_STR(req.user, "Ana Lima");
    CHECK_EQ_STR(req.uid, "1485983408511");
    CHECK_EQ_STR(req.command, "");

    /* API. */
    CHECK_EQ_INT(
        decode(TW_CHAT_API, NULL,
               "{\"command\":\"/win\",\"text\":\"release 4.2 shipped\",\"author\":\"ci\"}"),
        0);
    CHECK_EQ_STR(req.command, "/win");
    CHECK_EQ_STR(req.user, "ci");
    CHECK_EQ_STR(req.uid, "");

    /* Broken bodies are parse errors, never crashes. */
    CHECK_EQ_INT(decode(TW_CHAT_API, NULL, "{\"text\":1}"), TW_ERR_PARSE);
    CHECK_EQ_INT(decode(TW_CHAT_API, NULL, "[1]"), TW_ERR_PARSE);
    CHECK_EQ_INT(decode(TW_CHAT_API, NULL, "{\"text\":\"x\"} junk"), TW_ERR_PARSE);
    CHECK_EQ_INT(decode(TW_CHAT_TEAMS, NULL, "{\"text\":\"x\",\"from\":\"me\"}"), TW_ERR_PARSE);
    CHECK_EQ_INT(decode(TW_CHAT_TEAMS, NULL, ""), TW_ERR_PARSE);
    char nul_body[] = "text=a\0b";
    char reason[64];
    CHECK_EQ_INT(tw_chat_decode(TW_CHAT_SLACK, NULL, nul_body, sizeof nul_body - 1, &req, reason,
                                sizeof reason),
                 TW_ERR_PARSE);

    /* A text longer than the buffer is flagged and refused politely. */
    size_t big = TW_CHAT_TEXT_SIZE + 100;
    char *body = malloc(big + 16);
    strcpy(body, "text=");
    memset(body + 5, 'a', big);
    body[5 + big] = '\0';
    CHECK_EQ_INT(decode(TW_CHAT_SLACK, NULL, body), 0);
    CHECK(req.too_long);
    tw_chat_parse(TW_CHAT_SLACK, &req, &act);
    CHECK_EQ_INT(act.verb, TW_CHAT_INVALID);
    CHECK(strstr(act.error, "too long") != NULL);
    free(body);
}

static void test_parse(void)
{
    /* Platform command and umbrella give the same post. */
    parse(TW_CHAT_SLACK, "/blocker", "  Waiting on  prod DB access ", "T1.E2");
    CHECK_EQ_INT(act.verb, TW_CHAT_RUN);
    CHECK_EQ_INT(act.cmd.type, TW_CMD_POST);
    CHECK_EQ_INT(act.cmd.kind, TW_KIND_BLOCKER);
    CHECK_EQ_STR(act.cmd.text, "Waiting on prod DB access");
    CHECK_EQ_STR(act.cmd.author, "Ana");
    CHECK_EQ_STR(act.cmd.source, "slack");
    CHECK_EQ_STR(act.cmd.id, "slack-T1.E2");
    tw_command first = act.cmd;
    parse(TW_CHAT_SLACK, "/wall", "blocker Waiting on prod DB access", "T1.E2");
    CHECK_EQ_INT(act.verb, TW_CHAT_RUN);
    CHECK(memcmp(&first, &act.cmd, sizeof first) == 0);
    parse(TW_CHAT_SLACK, "/teamwall", "BLOCKER Waiting on prod DB access", "T1.E2");
    CHECK_EQ_INT(act.cmd.kind, TW_KIND_BLOCKER);

    parse(TW_CHAT_MATTERMOST, "/wall", "question Who knows the VPN?", "x");
    CHECK_EQ_INT(act.cmd.kind, TW_KIND_QUESTION);
    CHECK_EQ_STR(act.cmd.source, "mattermost");
    parse(TW_CHAT_TEAMS, "", " win Release 4.2 shipped", "1485983408511");
    CHECK_EQ_INT(act.cmd.kind, TW_KIND_WIN);
    CHECK_EQ_STR(act.cmd.id, "teams-1485983408511");
    parse(TW_CHAT_API, "/win", "release 4.2 shipped", "ci-1234");
    CHECK_EQ_STR(act.cmd.id, "api-ci-1234");
    parse(TW_CHAT_MATTERMOST_OUTGOING, "#wall", " /blocker slow builds", "p1");
    CHECK_EQ_INT(act.verb, TW_CHAT_RUN);
    CHECK_EQ_INT(act.cmd.kind, TW_KIND_BLOCKER);

    /* answer = resolve with the answer as note; resolve's note is optional. */
    parse(TW_CHAT_SLACK, "/wall", "answer k3f9 Ask IT; the form is on the wiki", "u");
    CHECK_EQ_INT(act.verb, TW_CHAT_RUN);
    CHECK_EQ_INT(act.cmd.type, TW_CMD_RESOLVE);
    CHECK(act.answer);
    CHECK_EQ_STR(act.cmd.ref, "k3f9");
    CHECK_EQ_STR(act.cmd.note, "Ask IT; the form is on the wiki");
    /* A change carries the platform's id too, so a retry is one change. */
    CHECK_EQ_STR(act.cmd.id, "slack-u");
    parse(TW_CHAT_SLACK, "/resolve", "#K3F9", "u");
    CHECK_EQ_INT(act.cmd.type, TW_CMD_RESOLVE);
    CHECK(!act.answer);
    CHECK_EQ_STR(act.cmd.ref, "K3F9");
    CHECK_EQ_STR(act.cmd.note, "");
    parse(TW_CHAT_SLACK, "/wall", "resolve k3f9 restarted the runner", "u");
    CHECK_EQ_STR(act.cmd.note, "restarted the runner");
    parse(TW_CHAT_SLACK, "/claim", "k3f9", "u");
    CHECK_EQ_INT(act.cmd.type, TW_CMD_CLAIM);
    CHECK_EQ_STR(act.cmd.author, "Ana");
    parse(TW_CHAT_SLACK, "/wall", "reopen slack-T1.E2", "u");
    CHECK_EQ_INT(act.cmd.type, TW_CMD_REOPEN);
    CHECK_EQ_STR(act.cmd.ref, "slack-T1.E2");

    parse(TW_CHAT_SLACK, "/wall", "board", "u");
    CHECK_EQ_INT(act.verb, TW_CHAT_BOARD);
    parse(TW_CHAT_SLACK, "/board", "", "u");
    CHECK_EQ_INT(act.verb, TW_CHAT_BOARD);
    parse(TW_CHAT_SLACK, "/wall", "help", "u");
    CHECK_EQ_INT(act.verb, TW_CHAT_HELP);
    parse(TW_CHAT_SLACK, "/wall", "   ", "u");
    CHECK_EQ_INT(act.verb, TW_CHAT_HELP);

    /* Mistakes get a reason. */
    parse(TW_CHAT_SLACK, "/wall", "blokcer CI red", "u");
    CHECK_EQ_INT(act.verb, TW_CHAT_INVALID);
    CHECK(strstr(act.error, "blokcer") != NULL);
    parse(TW_CHAT_SLACK, "/blocker", "   ", "u");
    CHECK_EQ_INT(act.verb, TW_CHAT_INVALID);
    CHECK(strstr(act.error, "What is the blocker?") != NULL);
    char long_text[400];
    memset(long_text, 'x', 281);
    long_text[281] = '\0';
    parse(TW_CHAT_SLACK, "/win", long_text, "u");
    CHECK_EQ_INT(act.verb, TW_CHAT_INVALID);
    CHECK(strstr(act.error, "280") != NULL);
    long_text[280] = '\0';
    parse(TW_CHAT_SLACK, "/win", long_text, "u");
    CHECK_EQ_INT(act.verb, TW_CHAT_RUN);
    parse(TW_CHAT_SLACK, "/wall", "answer k3f9", "u");
    CHECK_EQ_INT(act.verb, TW_CHAT_INVALID);
    parse(TW_CHAT_SLACK, "/wall", "claim", "u");
    CHECK_EQ_INT(act.verb, TW_CHAT_INVALID);
    CHECK(strstr(act.error, "Which item?") != NULL);
    parse(TW_CHAT_SLACK, "/wall", "claim k3", "u");
    CHECK_EQ_INT(act.verb, TW_CHAT_INVALID);
    parse(TW_CHAT_SLACK, "/wall", "claim k3f9 now please", "u");
    CHECK_EQ_INT(act.verb, TW_CHAT_INVALID);
    parse(TW_CHAT_SLACK, "/wall", "claim k3f9/x", "u");
    CHECK_EQ_INT(act.verb, TW_CHAT_INVALID);
    parse(TW_CHAT_SLACK, "/blocker", "bad \xC3\x28 utf8", "u");
    CHECK_EQ_INT(act.verb, TW_CHAT_INVALID);

    /* Control and bidi characters are cleaned by the board's text rules. */
    parse(TW_CHAT_SLACK, "/blocker",
          "a\x01 b \xE2\x80\xAE"
          "c",
          "u");
    CHECK_EQ_INT(act.verb, TW_CHAT_RUN);
    CHECK_EQ_STR(act.cmd.text, "a b c");

    /* Authors: cleaned, cut to 64 characters, "someone" when missing. */
    memset(&req, 0, sizeof req);
    strcpy(req.command, "/win");
    strcpy(req.text, "x");
    strcpy(req.uid, "u");
    tw_chat_parse(TW_CHAT_API, &req, &act);
    CHECK_EQ_STR(act.cmd.author, "someone");
    memset(req.user, 'n', 100);
    req.user[100] = '\0';
    tw_chat_parse(TW_CHAT_API, &req, &act);
    CHECK_EQ_INT(strlen(act.cmd.author), 64);
    /* A cut after a space leaves no trailing space. */
    memset(req.user, 'n', 63);
    strcpy(req.user + 63, " tail");
    tw_chat_parse(TW_CHAT_API, &req, &act);
    CHECK_EQ_INT(strlen(act.cmd.author), 63);
}

static void test_ids(void)
{
    char id[TW_ID_SIZE], id2[TW_ID_SIZE];
    tw_chat_make_id(TW_CHAT_SLACK, "398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c", id);
    CHECK_EQ_STR(id, "slack-398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c");
    /* Not valid as an id (the '=' of base64, '/'), or too long: hashed, stable. */
    tw_chat_make_id(TW_CHAT_MATTERMOST, "dHJpZ2dlcg==", id);
    CHECK(strncmp(id, "mattermost-h", 12) == 0);
    CHECK_EQ_INT(strlen(id), 12 + 16);
    tw_chat_make_id(TW_CHAT_MATTERMOST, "dHJpZ2dlcg==", id2);
    CHECK_EQ_STR(id, id2);
    tw_chat_make_id(TW_CHAT_MATTERMOST, "dHJpZ2dlcw==", id2);
    CHECK(strcmp(id, id2) != 0);
    char longuid[100];
    memset(longuid, 'a', 99);
    longuid[99] = '\0';
    tw_chat_make_id(TW_CHAT_TEAMS, longuid, id);
    CHECK(strncmp(id, "teams-h", 7) == 0);

    char a[64], b[64];
    tw_chat_fallback_uid("{}", 2, 1764062043, a, sizeof a);
    tw_chat_fallback_uid("{}", 2, 1764062059, b, sizeof b); /* same minute */
    CHECK_EQ_STR(a, b);
    tw_chat_fallback_uid("{}", 2, 1764062103, b, sizeof b); /* next minute */
    CHECK(strcmp(a, b) != 0);
    tw_chat_fallback_uid("{ }", 3, 1764062043, b, sizeof b);
    CHECK(strcmp(a, b) != 0);

    /* The ref is the store's hash prefix. */
    char ref[TW_REF_MIN + 1], hash[TW_REF_SIZE];
    tw_chat_ref("slack-T1.E2", ref);
    tw_store_hash_id("slack-T1.E2", hash);
    CHECK_EQ_INT(strlen(ref), 4);
    CHECK(strncmp(ref, hash, 4) == 0);
}

static const char state[] =
    "{\"team\":\"acme\",\"board\":\"wall1\",\"updated\":\"2026-11-25T09:14:03Z\",\"items\":["
    "{\"id\":\"it-1\",\"ref\":\"k3f9\",\"kind\":\"blocker\",\"text\":\"Waiting on <prod> DB\","
    "\"author\":\"Ana\",\"source\":\"slack\",\"state\":\"claimed\",\"claimed_by\":\"Ben\"},"
    "{\"id\":\"it-2\",\"ref\":\"a1b2\",\"kind\":\"win\",\"text\":\"Shipped @channel\","
    "\"author\":\"Cleo\",\"source\":\"api\",\"state\":\"open\",\"claimed_by\":null},"
    "{\"id\":\"it-3\",\"ref\":\"q7r8\",\"kind\":\"question\",\"text\":\"Who has the VPN?\","
    "\"author\":\"Dan\",\"source\":\"teams\",\"state\":\"open\"}],\"figures\":{}}";

static void test_board(void)
{
    char *text = tw_chat_board_text(state, strlen(state));
    CHECK(text != NULL);
    if (text) {
        const char *b = strstr(text, "*Blockers*"), *q = strstr(text, "*Questions*"),
                   *w = strstr(text, "*Wins*");
        CHECK(b && q && w && b < q && q < w);
        CHECK(strstr(text, "`k3f9` Waiting on <prod> DB (Ana, claimed by Ben)") != NULL);
        CHECK(strstr(text, "`q7r8` Who has the VPN? (Dan)") != NULL);
        CHECK(strstr(text, "Open on the wall (wall1): 3") != NULL);
        /* Escaped for Slack, mention defused. */
        char *json = tw_chat_reply_json(TW_CHAT_SLACK, text);
        CHECK(strstr(json, "\"response_type\":\"ephemeral\"") != NULL);
        CHECK(strstr(json, "Waiting on &lt;prod&gt; DB") != NULL);
        CHECK(strstr(json, "@channel") == NULL);
        CHECK(strstr(json, "@\xE2\x81\xA0"
                           "channel") != NULL);
        free(json);
        /* Mattermost renders no raw HTML: no entities there. */
        json = tw_chat_reply_json(TW_CHAT_MATTERMOST, text);
        CHECK(strstr(json, "Waiting on <prod> DB") != NULL);
        free(json);
        free(text);
    }
    const char empty[] = "{\"team\":\"acme\",\"board\":\"wall1\",\"items\":[],\"figures\":{}}";
    text = tw_chat_board_text(empty, strlen(empty));
    CHECK_EQ_STR(text, "Nothing is open on the wall.");
    free(text);
    CHECK(tw_chat_board_text("nope", 4) == NULL);

    char t[64];
    CHECK_EQ_INT(tw_chat_state_find(state, strlen(state), "it-2", t, sizeof t), 1);
    CHECK_EQ_STR(t, "Shipped @channel");
    CHECK_EQ_INT(tw_chat_state_find(state, strlen(state), "K3F9", t, sizeof t), 1);
    CHECK_EQ_STR(t, "Waiting on <prod> DB");
    char hash[TW_REF_SIZE];
    tw_store_hash_id("it-3", hash);
    hash[6] = '\0';
    CHECK_EQ_INT(tw_chat_state_find(state, strlen(state), hash, t, sizeof t), 1);
    CHECK_EQ_STR(t, "Who has the VPN?");
    CHECK_EQ_INT(tw_chat_state_find(state, strlen(state), "zzzz", t, sizeof t), 0);
    CHECK_EQ_INT(tw_chat_state_find("[", 1, "zzzz", t, sizeof t), -1);

    /* A truncated state: counts for everything, some items. */
    const char big[] = "{\"board\":\"wall1\",\"items\":[{\"id\":\"b1\",\"ref\":\"k3f9\","
                       "\"kind\":\"blocker\",\"text\":\"one\",\"author\":\"A\",\"state\":"
                       "\"open\"}],\"open\":{\"blocker\":250,\"question\":3,\"win\":0},"
                       "\"truncated\":true}";
    text = tw_chat_board_text(big, strlen(big));
    CHECK(text && strstr(text, "Open on the wall (wall1): 253") != NULL);
    CHECK(text && strstr(text, "and 252 more.") != NULL);
    free(text);
    CHECK_EQ_INT(tw_chat_state_find(big, strlen(big), "k3f9", t, sizeof t), 1);
    CHECK_EQ_INT(tw_chat_state_find(big, strlen(big), "zzzz", t, sizeof t), -1);
}

static void test_replies(void)
{
    char out[1024];
    parse(TW_CHAT_SLACK, "/blocker", "CI is red", "T1.E2");
    char ref[TW_REF_MIN + 1];
    tw_chat_ref(act.cmd.id, ref);
    tw_chat_done_text(&act, ref, NULL, out, sizeof out);
    CHECK(strstr(out, "Done: blocker") == out);
    CHECK(strstr(out, ref) != NULL);
    CHECK(strstr(out, "CI is red") != NULL);
    parse(TW_CHAT_SLACK, "/claim", "k3f9", "u");
    tw_chat_done_text(&act, NULL, "Waiting on DB", out, sizeof out);
    CHECK_EQ_STR(out, "Done: k3f9 \xE2\x80\x9CWaiting on DB\xE2\x80\x9D is claimed by Ana.");
    parse(TW_CHAT_SLACK, "/wall", "answer k3f9 ask IT", "u");
    tw_chat_done_text(&act, NULL, NULL, out, sizeof out);
    CHECK_EQ_STR(out, "Done: answered k3f9.");

    char *j = tw_chat_reply_json(TW_CHAT_TEAMS, "a & b\nc");
    CHECK_EQ_STR(j, "{\"type\":\"message\",\"text\":\"a &amp; b\\n\\nc\"}");
    free(j);
    j = tw_chat_reply_json(TW_CHAT_MATTERMOST_OUTGOING, "hi @here and @heresy");
    CHECK_EQ_STR(j, "{\"text\":\"hi @\xE2\x81\xA0here and @heresy\"}");
    free(j);
    j = tw_chat_reply_json(TW_CHAT_MATTERMOST, "x");
    CHECK_EQ_STR(j, "{\"response_type\":\"ephemeral\",\"text\":\"x\"}");
    free(j);
    j = tw_chat_api_json(true, "k3f9", "api-1", "Done");
    CHECK_EQ_STR(j, "{\"ok\":true,\"ref\":\"k3f9\",\"id\":\"api-1\",\"text\":\"Done\"}");
    free(j);
    j = tw_chat_api_json(false, NULL, NULL, "the wall is offline");
    CHECK_EQ_STR(j, "{\"ok\":false,\"error\":\"the wall is offline\"}");
    free(j);
    j = tw_chat_reply_json(TW_CHAT_API, "<raw>");
    CHECK_EQ_STR(j, "{\"ok\":true,\"text\":\"<raw>\"}");
    free(j);
    j = tw_chat_notify_json(TW_CHAT_SLACK, "<!channel> hi");
    CHECK_EQ_STR(j, "{\"text\":\"&lt;!channel&gt; hi\"}");
    free(j);
    CHECK(strstr(tw_chat_help_text(), "answer <ref> <text>") != NULL);
}

static void test_events(void)
{
    const char posted[] = "{\"event\":\"posted\",\"item\":{\"id\":\"x\",\"ref\":\"k3f9\",\"kind\":"
                          "\"blocker\",\"text\":\"CI is red\",\"author\":\"Ana\"}}";
    char *t = tw_chat_event_text(posted, strlen(posted));
    CHECK_EQ_STR(t, "New blocker `k3f9` from Ana: \xE2\x80\x9C"
                    "CI is red\xE2\x80\x9D");
    free(t);
    const char answered[] =
        "{\"event\":\"resolved\",\"item\":{\"ref\":\"q7r8\",\"kind\":\"question\",\"text\":"
        "\"VPN?\",\"resolved_by\":\"Ben\",\"note\":\"Ask IT\"}}";
    t = tw_chat_event_text(answered, strlen(answered));
    CHECK_EQ_STR(t, "Ben answered `q7r8` \xE2\x80\x9CVPN?\xE2\x80\x9D: Ask IT");
    free(t);
    const char resolved[] = "{\"event\":\"resolved\",\"item\":{\"ref\":\"k3f9\",\"kind\":"
                            "\"blocker\",\"text\":\"CI\",\"resolved_by\":\"Ben\",\"note\":null}}";
    t = tw_chat_event_text(resolved, strlen(resolved));
    CHECK_EQ_STR(t, "Ben resolved blocker `k3f9` \xE2\x80\x9C"
                    "CI\xE2\x80\x9D");
    free(t);
    const char quiet[][128] = {
        "{\"event\":\"posted\",\"item\":{\"kind\":\"win\",\"text\":\"x\"}}",
        "{\"event\":\"claimed\",\"item\":{\"kind\":\"blocker\",\"text\":\"x\"}}",
        "{\"event\":\"standup\"}",
        "not json",
    };
    for (size_t i = 0; i < sizeof quiet / sizeof quiet[0]; i++)
        CHECK(tw_chat_event_text(quiet[i], strlen(quiet[i])) == NULL);
}

/* A batch of the board's (one pass's events in one message) notifies for
 * each member as if it had come alone, in order; quiet members give none. */
static void test_event_batch(void)
{
    const char batch[] =
        "{\"event\":\"batch\",\"events\":["
        "{\"event\":\"posted\",\"item\":{\"ref\":\"k3f9\",\"kind\":\"blocker\",\"text\":"
        "\"CI is red\",\"author\":\"Ana\"}},"
        "{\"event\":\"posted\",\"item\":{\"kind\":\"win\",\"text\":\"x\"}},"
        "{\"event\":\"standup\",\"action\":\"started\"},"
        "{\"event\":\"resolved\",\"item\":{\"ref\":\"q7r8\",\"kind\":\"question\",\"text\":"
        "\"VPN?\",\"resolved_by\":\"Ben\",\"note\":\"Ask IT\"}},"
        "\"not an event\",{\"event\":\"batch\",\"events\":[{\"event\":\"posted\",\"item\":{"
        "\"kind\":\"blocker\",\"text\":\"nested\"}}]},"
        "{\"event\":\"resolved\",\"item\":{\"ref\":\"k3f9\",\"kind\":\"blocker\",\"text\":"
        "\"CI\",\"resolved_by\":\"Ben\",\"note\":null}}]}";
    char **t;
    size_t n = tw_chat_event_texts(batch, strlen(batch), &t);
    CHECK_EQ_INT((int)n, 3);
    if (n == 3) {
        CHECK_EQ_STR(t[0], "New blocker `k3f9` from Ana: \xE2\x80\x9C"
                           "CI is red\xE2\x80\x9D");
        CHECK_EQ_STR(t[1], "Ben answered `q7r8` \xE2\x80\x9CVPN?\xE2\x80\x9D: Ask IT");
        CHECK_EQ_STR(t[2], "Ben resolved blocker `k3f9` \xE2\x80\x9C"
                           "CI\xE2\x80\x9D");
    }
    for (size_t i = 0; i < n; i++)
        free(t[i]);
    free(t);
    /* The batch itself is no single event. */
    CHECK(tw_chat_event_text(batch, strlen(batch)) == NULL);

    /* A single event gives its one text, as tw_chat_event_text does. */
    const char posted[] = "{\"event\":\"posted\",\"item\":{\"ref\":\"k3f9\",\"kind\":"
                          "\"blocker\",\"text\":\"CI is red\",\"author\":\"Ana\"}}";
    n = tw_chat_event_texts(posted, strlen(posted), &t);
    CHECK_EQ_INT((int)n, 1);
    if (n == 1) {
        char *one = tw_chat_event_text(posted, strlen(posted));
        CHECK_EQ_STR(t[0], one);
        free(one);
        free(t[0]);
    }
    free(t);

    const char *quiet[] = {"{\"event\":\"batch\",\"events\":[]}",
                           "{\"event\":\"batch\"}",
                           "{\"event\":\"batch\",\"events\":{}}",
                           "[1,2]",
                           "not json",
                           "{\"event\":\"claimed\",\"item\":{\"kind\":\"blocker\"}}"};
    for (size_t i = 0; i < sizeof quiet / sizeof quiet[0]; i++) {
        n = tw_chat_event_texts(quiet[i], strlen(quiet[i]), &t);
        CHECK_EQ_INT((int)n, 0);
        CHECK(t == NULL);
    }
}

/* standup, next, done on every route, and the payload they publish. */
static void test_standup(void)
{
    for (int p = 0; p < TW_CHAT_PLATFORM_COUNT; p++) {
        parse((tw_chat_platform)p, "/wall", "standup", "u1");
        CHECK_EQ_INT(act.verb, TW_CHAT_STANDUP);
        CHECK_EQ_INT(act.standup, TW_SU_START);
        parse((tw_chat_platform)p, "", "next", "u2");
        CHECK_EQ_INT(act.verb, TW_CHAT_STANDUP);
        CHECK_EQ_INT(act.standup, TW_SU_NEXT);
        parse((tw_chat_platform)p, "/done", "", "u3");
        CHECK_EQ_INT(act.verb, TW_CHAT_STANDUP);
        CHECK_EQ_INT(act.standup, TW_SU_STOP);
    }
    parse(TW_CHAT_SLACK, "/wall", "next please", "u4");
    CHECK_EQ_INT(act.verb, TW_CHAT_INVALID);
    CHECK(strstr(act.error, "`next` takes nothing") != NULL);

    parse(TW_CHAT_MATTERMOST, "/wall", "NEXT", "u5");
    const char *state = "{\"items\":[],\"standup\":{\"position\":4,\"phase\":\"questions\"}}";
    char *json = tw_chat_standup_json(&act, state, strlen(state));
    CHECK_EQ_STR(json, "{\"action\":\"next\",\"at\":4,\"by\":\"Ana\",\"source\":\"mattermost\"}");
    free(json);
    json = tw_chat_standup_json(&act, NULL, 0); /* no state yet: no at */
    CHECK_EQ_STR(json, "{\"action\":\"next\",\"by\":\"Ana\",\"source\":\"mattermost\"}");
    free(json);
    CHECK(strstr(tw_chat_help_text(), "`standup`") != NULL);
}

int main(void)
{
    test_standup();
    test_form();
    test_decode();
    test_parse();
    test_ids();
    test_board();
    test_replies();
    test_events();
    test_event_batch();
    return check_done();
}
