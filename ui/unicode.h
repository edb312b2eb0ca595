/* SPDX-License-Identifier: MIT */
/*
 * The Unicode the wall needs to lay text out, as pure functions over UTF-8:
 * grapheme clusters (what a reader sees as one character: "é" as e + accent,
 * a flag, a family emoji joined with ZWJ, a skin tone), line-break
 * opportunities (spaces, and between CJK ideographs), scripts for shaping,
 * emoji presentation, and a compact bidirectional algorithm (UAX #9 without
 * explicit embeddings, which the text rules strip) that orders a line's runs
 * for display. Tables are ranges, good for what people type on a team board;
 * they are not the full Unicode database.
 */
#ifndef TW_UNICODE_H
#define TW_UNICODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decode the code point at s[i] (len bytes in all). Invalid or truncated
 * sequences decode as U+FFFD and advance one byte. *step gets the length. */
uint32_t tw_uc_decode(const char *s, size_t len, size_t i, size_t *step);

/* End of the grapheme cluster that starts at byte i (i < len). */
size_t tw_uc_grapheme_end(const char *s, size_t len, size_t i);

/* Start of the grapheme cluster that ends at byte end (end > 0). */
size_t tw_uc_grapheme_start(const char *s, size_t len, size_t end);

/* May a line break before byte i (a cluster boundary, 0 < i < len) without
 * a space? True between CJK ideographs/kana, except before closing
 * punctuation and after opening punctuation. Spaces are handled by the
 * wrapper itself. */
bool tw_uc_break_between(const char *s, size_t len, size_t i);

/* The same rule for the clusters starting with code points a and b. */
bool tw_uc_break_pair(uint32_t a, uint32_t b);

/* Scripts the shaper is told about (ISO 15924 names via tw_uc_script_name). */
typedef enum {
    TW_SCRIPT_COMMON = 0, /* digits, punctuation, symbols, emoji */
    TW_SCRIPT_LATIN,
    TW_SCRIPT_GREEK,
    TW_SCRIPT_CYRILLIC,
    TW_SCRIPT_ARMENIAN,
    TW_SCRIPT_HEBREW,
    TW_SCRIPT_ARABIC,
    TW_SCRIPT_DEVANAGARI,
    TW_SCRIPT_BENGALI,
    TW_SCRIPT_TAMIL,
    TW_SCRIPT_THAI,
    TW_SCRIPT_GEORGIAN,
    TW_SCRIPT_HANGUL,
    TW_SCRIPT_ETHIOPIC,
    TW_SCRIPT_HAN, /* ideographs, kana, CJK punctuation */
    TW_SCRIPT_COUNT
} tw_script;

tw_script tw_uc_script(uint32_t cp);
/* "Latn", "Arab", ...; "Zyyy" for common. */
const char *tw_uc_script_name(tw_script s);

/* Is the cluster s[i..end) shown as a colour emoji? (Emoji presentation by
 * default, or with U+FE0F, a ZWJ sequence, a skin tone, a keycap, a flag.) */
bool tw_uc_is_emoji_cluster(const char *s, size_t i, size_t end);

/* True for combining marks, joiners and variation selectors (never a
 * cluster's start in well-formed text). */
bool tw_uc_is_extend(uint32_t cp);

/* ---- bidi ---- */

/* Paragraph direction of s: right-to-left when its first strong character
 * is Hebrew, Arabic or another RTL letter (UAX #9 P2-P3). */
bool tw_bidi_paragraph_rtl(const char *s, size_t len);

/* A directional run of a line, in visual order (left to right on screen). */
typedef struct tw_bidi_run {
    size_t start, len; /* bytes of the line */
    bool rtl;          /* shape right to left */
} tw_bidi_run;

/*
 * Resolve levels for the line s[0..len) in a paragraph of the given
 * direction and return its runs in visual order (UAX #9 W1-W7, N1-N2, I1-I2,
 * L2 on runs). Returns the number of runs (at most max; a line with more
 * runs than that gets its tail merged into the last one). Never splits a
 * grapheme cluster.
 */
size_t tw_bidi_runs(const char *s, size_t len, bool para_rtl, tw_bidi_run *runs, size_t max);

#endif
