/* SPDX-License-Identifier: MIT */
/*
 * The chat bridge's language, as pure functions: a platform's request body
 * (Slack and Mattermost forms, Mattermost outgoing webhooks, Teams activities,
 * the scripts' JSON) to a tw_chat_request; its command text ("/blocker CI is
 * red", "/wall answer k3f9 ask IT") to a tw_chat_action holding a ready
 * tw_command, a board or help request, or what was wrong; and every text the
 * bridge sends back (replies in each platform's JSON, the board listing from
 * the retained state, notifications from board events). No network, no
 * clock, no globals: teamwall-bridge (bridge.c) does the I/O.
 */
#ifndef TW_CHAT_H
#define TW_CHAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../firmware/item.h"
#include "../firmware/standup.h"

typedef enum {
    TW_CHAT_SLACK = 0,           /* POST /slack/command */
    TW_CHAT_MATTERMOST,          /* POST /mattermost/command */
    TW_CHAT_MATTERMOST_OUTGOING, /* POST /mattermost/outgoing */
    TW_CHAT_TEAMS,               /* POST /teams/outgoing */
    TW_CHAT_API,                 /* POST /api/v1/commands */
    TW_CHAT_PLATFORM_COUNT
} tw_chat_platform;

/* The item source a platform's posts carry: "slack", "mattermost", "teams", "api". */
const char *tw_chat_source(tw_chat_platform p);

#define TW_CHAT_TEXT_SIZE  8192
#define TW_CHAT_UID_SIZE   256
#define TW_CHAT_TOKEN_SIZE 256
#define TW_CHAT_CMD_SIZE   64

/* What one request carries, decoded but not yet cleaned by the text rules. */
typedef struct tw_chat_request {
    char command[TW_CHAT_CMD_SIZE]; /* "/blocker", "/wall", a trigger word, or "" */
    char text[TW_CHAT_TEXT_SIZE];   /* what follows the command */
    char user[TW_AUTHOR_SIZE];      /* the user's display name ("" if none) */
    char uid[TW_CHAT_UID_SIZE];     /* the platform's unique id of the request ("" if none) */
    char token[TW_CHAT_TOKEN_SIZE]; /* Mattermost: the body's token field ("" if none) */
    bool too_long;                  /* a field did not fit its buffer */
} tw_chat_request;

/*
 * Decode the raw body of a platform request. content_type is the request's
 * Content-Type header (may be NULL): Mattermost's routes take a form or JSON,
 * Slack a form, Teams and the API JSON. Returns 0, or TW_ERR_PARSE with a
 * short reason ("invalid JSON", "body must be a JSON object", "text must be a
 * string"). body is borrowed; out is overwritten.
 */
int tw_chat_decode(tw_chat_platform p, const char *content_type, const void *body, size_t len,
                   tw_chat_request *out, char *reason, size_t reason_size);

/*
 * The value of one application/x-www-form-urlencoded field ('+' and %XX
 * decoded, %00 dropped) into out (size bytes, terminated). Returns the decoded
 * length, -1 if the key is absent, or -2 if the value did not fit (out then
 * holds a truncated prefix). The first occurrence of a key wins.
 */
int tw_chat_form_get(const void *body, size_t len, const char *key, char *out, size_t size);

typedef enum {
    TW_CHAT_RUN = 0, /* publish action.cmd */
    TW_CHAT_BOARD,   /* list the open items */
    TW_CHAT_HELP,    /* list the commands */
    TW_CHAT_INVALID, /* action.error says what was wrong; answer with it and the help */
    TW_CHAT_STANDUP, /* publish action.standup on <root>/standup (tw_chat_standup_json) */
} tw_chat_verb;

typedef struct tw_chat_action {
    tw_chat_verb verb;
    bool answer;               /* TW_CHAT_RUN: a resolve that came from "answer" */
    tw_command cmd;            /* TW_CHAT_RUN: cleaned and ready for tw_codec_encode_command() */
    char error[512];           /* TW_CHAT_INVALID: one or two sentences for the user */
    tw_standup_action standup; /* TW_CHAT_STANDUP: start ("standup"), next, stop ("done") */
} tw_chat_action;

/*
 * Parse the command of req. The command is either the platform's own
 * (req->command "/blocker", text "CI is red") or an umbrella (req->command
 * "/wall" or any other name, or none, text "blocker CI is red"). A post's
 * id is made from req->uid (see tw_chat_make_id); req->uid must not be empty
 * for a post to be idempotent, so the caller fills it first (the API's
 * fallback is tw_chat_fallback_uid). The author is req->user, cleaned and cut
 * to 64 characters ("someone" when empty). out is overwritten.
 */
void tw_chat_parse(tw_chat_platform p, const tw_chat_request *req, tw_chat_action *out);

/*
 * The item id for a platform's unique id: "<source>-<uid>" when that is a
 * valid id (1-64 of [A-Za-z0-9._:-]), else "<source>-h" + 16 hex digits of
 * the uid's FNV-1a 64 hash. The same uid always gives the same id.
 */
void tw_chat_make_id(tw_chat_platform p, const char *uid, char out[TW_ID_SIZE]);

/*
 * A uid for requests that carry none (API without "id" or Idempotency-Key):
 * a hash of the body and the current minute, so a request retried within
 * the minute posts once. now is Unix seconds.
 */
void tw_chat_fallback_uid(const void *body, size_t len, int64_t now, char *out, size_t size);

/* The ref the wall shows for a new item with this id: the first four
 * characters of tw_store_hash_id(id) (longer only after a collision). */
void tw_chat_ref(const char *id, char out[TW_REF_MIN + 1]);

/*
 * The <root>/standup payload for a TW_CHAT_STANDUP action, by the user, from
 * the chat's platform: next and stop carry the position of the running
 * stand-up as "at" when the retained state (may be NULL) has one, so a
 * retried message moves once. Caller frees.
 */
char *tw_chat_standup_json(const tw_chat_action *a, const void *state, size_t len);

/* What the user sees once the broker took it ("Stand-up started on the
 * wall."). Static. */
const char *tw_chat_standup_text(const tw_chat_action *a);

/* The command list; static. */
const char *tw_chat_help_text(void);

/*
 * What the user sees when the broker took the command: "Posted blocker k3f9:
 * “CI is red”.", "Claimed k3f9 for Ana." ... known_text is the item's text
 * when the caller knows it (from the retained state), else NULL or "".
 */
void tw_chat_done_text(const tw_chat_action *a, const char *ref, const char *known_text, char *out,
                       size_t size);

/*
 * The board's open items grouped by kind, with refs, from the retained state
 * JSON (at most 40 listed; the state's "open" counts, when present, give the
 * total, as a big wall's state carries only some items). Caller frees. A
 * state that does not parse gives NULL.
 */
char *tw_chat_board_text(const void *state, size_t len);

/*
 * Whether ref (a full id or a prefix of at least 4 characters of an item's
 * hash, any case, with Crockford's o/i/l look-alikes) names an open item of
 * the retained state; if so its text goes to text_out (may be NULL). Returns
 * 1 found, 0 not found, -1 when the state does not parse or is truncated
 * (does not carry every open item) and the ref is not among those it has.
 */
int tw_chat_state_find(const void *state, size_t len, const char *ref, char *text_out, size_t size);

/*
 * A board event ({"event":"posted","item":{...}}) as a notification: new
 * blockers, answered questions and resolved blockers. Caller frees; NULL for
 * events nobody is told about and for JSON that does not parse.
 */
char *tw_chat_event_text(const void *event, size_t len);

/*
 * Every notification of a message on <root>/board/<board>/events: a single
 * event's (as tw_chat_event_text()) or, for {"event":"batch","events":[…]},
 * each member's in order, skipping those nobody is told about. Returns how
 * many went to *texts (NULL when none); caller frees each and the array.
 */
size_t tw_chat_event_texts(const void *message, size_t len, char ***texts);

/*
 * The reply body for a platform: Slack and Mattermost slash commands
 * {"response_type":"ephemeral","text":…}, Mattermost outgoing webhooks
 * {"text":…}, Teams {"type":"message","text":…}, API {"ok":true,"text":…}.
 * The text is escaped for the platform's markup (Slack and Teams: &, <, >;
 * every chat: @channel-style mentions are defused). Caller frees.
 */
char *tw_chat_reply_json(tw_chat_platform p, const char *text);

/* API replies: {"ok":true,"ref":…,"id":…,"text":…} (ref, id omitted when
 * NULL) or {"ok":false,"error":…}. Caller frees. */
char *tw_chat_api_json(bool ok, const char *ref, const char *id, const char *text);

/* An incoming-webhook body {"text":…}, escaped like a reply on p (Slack for
 * hooks.slack.com URLs, else Mattermost). Caller frees. */
char *tw_chat_notify_json(tw_chat_platform p, const char *text);

#endif
