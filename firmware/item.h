/* SPDX-License-Identifier: MIT */
/*
 * The two values everything else trades in: a tw_command (what some producer
 * asks the board to do, already decoded and validated for shape) and a
 * tw_item (a blocker, question or win as stored). Fixed-size buffers so they
 * can be copied, stored on the stack and passed around without ownership
 * questions. Limits are PROTOCOL.md's, in characters; buffers hold them in
 * UTF-8 (4 bytes a character at most) plus the terminator.
 */
#ifndef TW_ITEM_H
#define TW_ITEM_H

#include <stdbool.h>
#include <stdint.h>

#define TW_TEXT_MAX_CHARS   280
#define TW_AUTHOR_MAX_CHARS 64
#define TW_NOTE_MAX_CHARS   1000
#define TW_SOURCE_MAX       32 /* [a-z0-9_-] */
#define TW_ID_MAX           64 /* [A-Za-z0-9._:-] */
#define TW_REF_MIN          4
#define TW_HASH_LEN         12 /* base32 characters of the id's hash; refs are prefixes */
#define TW_HASH_ALPHABET    "0123456789abcdefghjkmnpqrstvwxyz" /* no i, l, o, u */

#define TW_TEXT_SIZE   (TW_TEXT_MAX_CHARS * 4 + 1)
#define TW_AUTHOR_SIZE (TW_AUTHOR_MAX_CHARS * 4 + 1)
#define TW_NOTE_SIZE   (TW_NOTE_MAX_CHARS * 4 + 1)
#define TW_SOURCE_SIZE (TW_SOURCE_MAX + 1)
#define TW_ID_SIZE     (TW_ID_MAX + 1)
#define TW_REF_SIZE    (TW_HASH_LEN + 1)

typedef enum { TW_KIND_BLOCKER = 0, TW_KIND_QUESTION, TW_KIND_WIN, TW_KIND_COUNT } tw_kind;
typedef enum { TW_STATE_OPEN = 0, TW_STATE_CLAIMED, TW_STATE_RESOLVED } tw_state;
typedef enum {
    TW_CMD_POST = 0,
    TW_CMD_CLAIM,
    TW_CMD_RESOLVE,
    TW_CMD_REOPEN,
    TW_CMD_REDACT, /* the item's text, author and note removed everywhere (issue 16) */
} tw_cmd_type;

/* A request to change the board. Strings are only shape-checked by the codec
 * or an adapter; tw_board_apply() cleans them with the text rules. */
typedef struct tw_command {
    tw_cmd_type type;
    tw_kind kind;                /* post */
    char id[TW_ID_SIZE];         /* post: producer's id; "" = the board assigns one */
    char ref[TW_ID_SIZE];        /* claim/resolve/reopen: short ref or full id */
    char text[TW_TEXT_SIZE];     /* post */
    char author[TW_AUTHOR_SIZE]; /* post: author; others: "by" */
    char source[TW_SOURCE_SIZE]; /* button, chat, cli, touch, mqtt, slack, ... */
    char note[TW_NOTE_SIZE];     /* resolve: the answer or what unblocked it */
    int64_t ts;                  /* producer's time (Unix seconds); 0 = time of receipt */
} tw_command;

/* An item carries no note: open and claimed items (the board's model, the
 * wall, the retained state) never have one, and a 4 KB buffer in each made
 * an open item 6.5 KB instead of 2 KB. A resolve's note is stored with the
 * item (tw_store_update(), tw_store_note()) and in its history row, and
 * travels with the "resolved" event. */
typedef struct tw_item {
    int64_t seq; /* store row id: increases with creation */
    char id[TW_ID_SIZE];
    char ref[TW_REF_SIZE]; /* short reference shown on the card */
    tw_kind kind;
    tw_state state;
    char text[TW_TEXT_SIZE];
    char author[TW_AUTHOR_SIZE];
    char source[TW_SOURCE_SIZE];
    char claimed_by[TW_AUTHOR_SIZE];
    char resolved_by[TW_AUTHOR_SIZE];
    int64_t created, claimed, resolved, updated; /* Unix seconds; 0 = not yet */
} tw_item;

/* An item whose strings are borrowed from whoever holds them (the board's
 * model, or a tw_item): what readers of the open items get, without copying
 * 2 KB of fixed buffers. Never NULL strings ("" for none). */
typedef struct tw_item_view {
    int64_t seq;
    const char *id, *ref, *text, *author, *source, *claimed_by, *resolved_by;
    tw_kind kind;
    tw_state state;
    int64_t created, claimed, resolved, updated;
} tw_item_view;

/* A view of item (its strings borrowed from item). */
void tw_item_view_of(const tw_item *item, tw_item_view *out);
/* Copy a view into a caller's tw_item (strings truncated to the buffers,
 * which PROTOCOL.md's limits never reach). */
void tw_item_from_view(const tw_item_view *view, tw_item *out);

/* "blocker", "question", "win"; and back. Parse returns -1 for unknown names. */
const char *tw_kind_name(tw_kind kind);
int tw_kind_parse(const char *name);
/* "open", "claimed", "resolved"; and back. */
const char *tw_state_name(tw_state state);
int tw_state_parse(const char *name);
/* "post", "claim", "resolve", "reopen". */
const char *tw_cmd_name(tw_cmd_type type);

#endif
