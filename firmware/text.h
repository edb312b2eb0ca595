/* SPDX-License-Identifier: MIT */
/*
 * The text rules of PROTOCOL.md, as pure functions: UTF-8 validation, removal
 * of control and bidi override/isolate characters, white-space folding,
 * trimming and length limits in characters; and the character-class rules for
 * ids and sources. No allocation, no I/O.
 */
#ifndef TW_TEXT_H
#define TW_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Clean len bytes of in into out (size bytes, always terminated on success):
 * reject invalid UTF-8 (overlong forms, surrogates, > U+10FFFF), drop C0/C1
 * controls other than white space, drop U+202A..U+202E and U+2066..U+2069,
 * fold every run of white space (ASCII and Unicode spaces, tabs, newlines)
 * to one U+0020, trim both ends, then check the length in code points is
 * within [min_chars, max_chars].
 * Returns 0, or TW_ERR_INVAL with *reason set to a static string such as
 * "invalid UTF-8", "is empty", "is too long (max 280 characters)".
 * in and out may not overlap. reason may be NULL.
 */
int tw_text_clean(const char *in, size_t len, size_t min_chars, size_t max_chars, char *out,
                  size_t size, const char **reason);

/* True if len bytes of s are valid UTF-8 (same rules as tw_text_clean). */
bool tw_utf8_valid(const char *s, size_t len);

/* Code points in a valid UTF-8 string. */
size_t tw_utf8_count(const char *s);

/* Decode one code point at s (valid UTF-8 assumed); returns its byte length (>= 1). */
size_t tw_utf8_next(const char *s, uint32_t *cp);

/* Length in bytes of the longest prefix of s with at most max_chars code points
 * that does not split a code point. */
size_t tw_utf8_prefix(const char *s, size_t max_chars);

/* 1..64 of [A-Za-z0-9._:-] */
bool tw_id_valid(const char *s);
/* 1..32 of [a-z0-9_-] */
bool tw_source_valid(const char *s);
/* team name: 1..32 of [a-z0-9_-] */
bool tw_team_valid(const char *s);

/*
 * Escape up to max bytes of data for display in logs and JSON: printable
 * ASCII kept, everything else as \xNN. out gets at most size-1 bytes.
 */
void tw_text_escape_head(const void *data, size_t len, size_t max, char *out, size_t size);

/* Whether s (len bytes) holds a control character, a bidi embedding,
 * override, isolate or mark, or invalid UTF-8: never shown raw. */
bool tw_text_has_controls(const char *s, size_t len);
/* An MQTT topic for a log line: itself when it has no such character, else
 * escaped as tw_text_escape_head does (at most 256 bytes of it). */
void tw_text_escape_topic(const char *topic, char *out, size_t size);

#endif
