/* SPDX-License-Identifier: MIT */
/*
 * The message codec: JSON payloads of PROTOCOL.md to tw_command values and
 * tw_item values to JSON. Pure: no broker, no store. Shape is checked here
 * (JSON syntax, object, required keys, types, sizes); content rules (text,
 * ids, refs) are the board's.
 */
#ifndef TW_CODEC_H
#define TW_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include "../firmware/figures.h"
#include "../firmware/item.h"
#include "../firmware/standup.h"

/*
 * Decode the payload of a <root>/post|claim|resolve|reopen message into *out
 * (type set from the argument). Unknown keys are ignored; known keys must
 * have the right JSON type. Returns 0, or TW_ERR_PARSE/TW_ERR_INVAL with a
 * reason ("invalid JSON", "missing key: kind", "kind must be a string",
 * "unknown kind: foo", "text is too long") copied into reason.
 */
int tw_codec_decode(tw_cmd_type type, const void *payload, size_t len, tw_command *out,
                    char *reason, size_t reason_size);

/* JSON text of a command as a producer sends it (teamwall-ctl, bridge).
 * Caller frees with free(). */
char *tw_codec_encode_command(const tw_command *cmd);

/* PROTOCOL.md's item JSON; note is the item's (a resolved one's answer), NULL
 * or "" gives "note":null. Caller frees with free(). */
char *tw_codec_item_json(const tw_item *item, const char *note);

/* Retained state: {"team","board","updated","items":[...],"open":{"blocker":n,...},
 * "figures":{}}, with at most max_items items (blockers first, then questions,
 * then wins) and "truncated":true when some were left out. Caller frees. */
char *tw_codec_state_json(const char *team, const char *board, int64_t now, const tw_item *items,
                          size_t count, size_t max_items);

/* The same with the team's figures in "figures" (docs/FIGURES.md names the
 * keys); figures NULL or not valid gives an empty object. Caller frees. */
char *tw_codec_state_json_figures(const char *team, const char *board, int64_t now,
                                  const tw_item *items, size_t count, size_t max_items,
                                  const tw_figures *figures);

/* The same from items already chosen and in order (the board's views, which
 * must outlive the call; the strings are printed by reference), with the open
 * counts of every kind: "truncated" when n is less than their sum. Caller
 * frees. */
char *tw_codec_state_json_views(const char *team, const char *board, int64_t now,
                                const tw_item_view *const *items, size_t n,
                                const size_t open[TW_KIND_COUNT], const tw_figures *figures);

/* The same with "standup": the running stand-up's object (PROTOCOL.md), or
 * null when standup is NULL or idle (the others give null). Caller frees. */
char *tw_codec_state_json_standup(const char *team, const char *board, int64_t now,
                                  const tw_item_view *const *items, size_t n,
                                  const size_t open[TW_KIND_COUNT], const tw_figures *figures,
                                  const tw_standup *standup);

/* The figures object of the retained state (docs/FIGURES.md), alone: for
 * teamwall-ctl stats --json. Caller frees. */
char *tw_codec_figures_json(const tw_figures *figures);

/* {"event":"posted","item":{...}}; note as for tw_codec_item_json(). Caller frees. */
char *tw_codec_event_json(const char *event, const tw_item *item, const char *note);

/* A pass's events in few messages (PROTOCOL.md "Events"): a batch holds at
 * most TW_CODEC_BATCH_EVENTS events and TW_CODEC_BATCH_BYTES bytes of payload. */
#define TW_CODEC_BATCH_EVENTS 100
#define TW_CODEC_BATCH_BYTES  65536

/* How many of events[0..n) (printed events, n > 0) go in the next message, in
 * order: at least one (an event alone may pass the bytes), else as many as
 * fit both limits. The batch's payload length goes to *bytes (may be NULL);
 * for one event it is that event's length. */
size_t tw_codec_events_batch_fit(char *const *events, size_t n, size_t *bytes);

/* {"event":"batch","events":[<event>,…]}: the n printed events (borrowed,
 * copied into the batch as they are, not parsed) in order. Caller frees. */
char *tw_codec_events_batch_json(char *const *events, size_t n);

/* {"topic":..,"error":..,"payload_head":"first 64 bytes, escaped"}. Caller frees. */
char *tw_codec_rejected_json(const char *topic, const char *error, const void *payload, size_t len);

/* {"state":"online","version":"..","since":".."}; since 0 omits it. Caller frees. */
char *tw_codec_status_json(const char *state, const char *version, int64_t since);

/* ---- stand-up (PROTOCOL.md "Stand-up") ---- */

/* A <root>/standup payload: "action" (start, next, back, claim, resolve,
 * stop), optional "at" (a position from 1), "by", "note", "source", "ts" (as
 * a post's) and "board" (the board that sent it, which applied it already)
 * into board. 0, or TW_ERR_PARSE/TW_ERR_INVAL with a reason. */
int tw_codec_decode_standup(const void *payload, size_t len, tw_standup_cmd *out, char *board,
                            size_t board_size, char *reason, size_t reason_size);
/* The payload for cmd, sent by board (NULL: none). Caller frees. */
char *tw_codec_encode_standup(const tw_standup_cmd *cmd, const char *board);
/* The stand-up object of the retained state, "null" when idle. Caller frees. */
char *tw_codec_standup_json(const tw_standup *s);
/* {"discussed":N,"resolved":[ids],"claimed":[ids],"still_open":N,
 *  "carried_over":[ids],"duration_s":N}. Caller frees. */
char *tw_codec_standup_summary_json(const tw_standup *s);
/* {"event":"standup","action":"started"|"moved"|"ended","standup":{...}},
 * with "summary" for ended. Caller frees. */
char *tw_codec_standup_event_json(const char *action, const tw_standup *s);

#endif
