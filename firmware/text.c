/* SPDX-License-Identifier: MIT */
/*
 * The text rules of PROTOCOL.md: what a producer's text may contain and how it
 * is normalised before the board stores or shows it. Everything that reaches
 * the screen, the store or another producer passes tw_text_clean() first, so
 * the rules live here once: strict UTF-8 (no overlongs, surrogates or code
 * points above U+10FFFF), no control characters, no bidi overrides or isolates
 * (they would let one card reorder the text of the cards after it in logs and
 * chat), one space wherever the producer put any run of white space, and
 * limits counted in code points rather than bytes so that a Japanese or
 * Arabic post gets the same 280 characters as an English one. Pure: no
 * allocation, no I/O.
 */
#include "text.h"

#include <string.h>

#include "item.h"
#include "util.h"

/*
 * Decode one code point from at most len bytes at s. Returns its length, or 0
 * when the bytes are not strict UTF-8. Continuation bytes are checked one at a
 * time, so a NUL ends a truncated sequence before anything past it is read.
 */
static size_t decode(const unsigned char *s, size_t len, uint32_t *cp)
{
    unsigned char c = s[0];
    size_t n;
    uint32_t v, min;

    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        v = c & 0x1F;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        v = c & 0x0F;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        v = c & 0x07;
        min = 0x10000;
    } else {
        /* a stray continuation byte, an always-overlong C0/C1 lead, or F5..FF */
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if (i >= len || (s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return n;
}

/* Unicode's White_Space property: what folds to one U+0020. */
static bool is_space(uint32_t cp)
{
    return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
           (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
           cp == 0x205F || cp == 0x3000;
}

/* Characters with no ink of their own: zero width space, non-joiner and
 * joiner, word joiner, byte order mark, Mongolian vowel separator, the
 * Hangul fillers, variation selectors and tags. Kept where they are (Thai
 * breaks words with U+200B, emoji join with U+200D and tags), but a text of
 * nothing else is as empty as one of white space. */
static bool is_invisible(uint32_t cp)
{
    return (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF || cp == 0x180E ||
           cp == 0x3164 || cp == 0xFFA0 || (cp >= 0xFE00 && cp <= 0xFE0F) ||
           (cp >= 0xE0000 && cp <= 0xE007F);
}

/* C0 and C1 controls and DEL (white space is tested first), and the bidi
 * embeddings/overrides U+202A..U+202E and isolates U+2066..U+2069. */
static bool is_dropped(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069);
}

#define STR_(x) #x
#define STR(x)  STR_(x)

/* The reason must be a static string; the limits the board uses get a precise
 * one, anything else a generic one. */
static const char *too_long(size_t max_chars)
{
    if (max_chars == TW_TEXT_MAX_CHARS)
        return "is too long (max " STR(TW_TEXT_MAX_CHARS) " characters)";
    if (max_chars == TW_AUTHOR_MAX_CHARS)
        return "is too long (max " STR(TW_AUTHOR_MAX_CHARS) " characters)";
    if (max_chars == TW_NOTE_MAX_CHARS)
        return "is too long (max " STR(TW_NOTE_MAX_CHARS) " characters)";
    if (max_chars == TW_SOURCE_MAX)
        return "is too long (max " STR(TW_SOURCE_MAX) " characters)";
    return "is too long";
}

static int clean_fail(const char *why, char *out, size_t size, const char **reason)
{
    if (out && size)
        out[0] = '\0';
    if (reason)
        *reason = why;
    return TW_ERR_INVAL;
}

int tw_text_clean(const char *in, size_t len, size_t min_chars, size_t max_chars, char *out,
                  size_t size, const char **reason)
{
    if ((!in && len) || !out || !size)
        return clean_fail("invalid argument", out, size, reason);
    /* Validate everything first, so that invalid input is reported as such even
     * when it is also too long. */
    if (!tw_utf8_valid(in, len))
        return clean_fail("invalid UTF-8", out, size, reason);

    const unsigned char *p = (const unsigned char *)in;
    size_t i = 0, o = 0, chars = 0, visible = 0;
    bool space = false; /* a run of white space is pending after some text */
    while (i < len) {
        if (p[i] > 0x20 && p[i] < 0x7F) {
            /* Printable ASCII, most of what is posted: nothing to decode,
             * fold or drop (a fifth of a post's own work went here). */
            if (chars + space + 1 > max_chars)
                return clean_fail(too_long(max_chars), out, size, reason);
            if (o + space + 2 > size)
                return clean_fail("is too long", out, size, reason);
            if (space) {
                out[o++] = ' ';
                chars++;
                space = false;
            }
            out[o++] = (char)p[i++];
            chars++;
            visible++;
            continue;
        }
        uint32_t cp;
        size_t n = decode(p + i, len - i, &cp);
        i += n;
        if (is_space(cp)) {
            space = chars > 0; /* leading white space is trimmed */
            continue;
        }
        /* Dropped characters do not end a run: "a \u202E b" is "a b". */
        if (is_dropped(cp))
            continue;
        if (chars + space + 1 > max_chars)
            return clean_fail(too_long(max_chars), out, size, reason);
        if (o + space + n + 1 > size)
            return clean_fail("is too long", out, size, reason);
        if (space) {
            out[o++] = ' ';
            chars++;
            space = false;
        }
        memcpy(out + o, p + i - n, n);
        o += n;
        chars++;
        visible += !is_invisible(cp);
    }
    /* A pending space at the end is trailing white space: trimmed. */
    out[o] = '\0';
    if (!visible) { /* nothing a person would see: no text at all */
        o = chars = 0;
        out[0] = '\0';
    }
    if (chars < min_chars)
        return clean_fail(chars ? "is too short" : "is empty", out, size, reason);
    if (reason)
        *reason = NULL;
    return 0;
}

bool tw_utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    if (!s)
        return len == 0;
    for (size_t i = 0; i < len;) {
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        size_t n = decode(p + i, len - i, &cp);
        if (!n)
            return false;
        i += n;
    }
    return true;
}

size_t tw_utf8_next(const char *s, uint32_t *cp)
{
    uint32_t v;
    /* Four is the longest sequence; decode() stops at the first byte that is
     * not a continuation, so it never reads past a terminating NUL. */
    size_t n = decode((const unsigned char *)s, 4, &v);
    if (!n) {
        /* Not valid after all: step over one byte, as U+FFFD, so that callers
         * walking a string always make progress. */
        v = 0xFFFD;
        n = 1;
    }
    if (cp)
        *cp = v;
    return n;
}

size_t tw_utf8_count(const char *s)
{
    size_t count = 0;
    if (!s)
        return 0;
    while (*s) {
        s += tw_utf8_next(s, NULL);
        count++;
    }
    return count;
}

size_t tw_utf8_prefix(const char *s, size_t max_chars)
{
    size_t bytes = 0;
    if (!s)
        return 0;
    for (size_t c = 0; c < max_chars && s[bytes]; c++)
        bytes += tw_utf8_next(s + bytes, NULL);
    return bytes;
}

/* 1..max characters, each accepted by ok(). */
static bool charset_valid(const char *s, size_t max, bool (*ok)(char))
{
    size_t n = 0;
    if (!s)
        return false;
    for (; s[n]; n++)
        if (n >= max || !ok(s[n]))
            return false;
    return n > 0;
}

static bool id_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == ':' || c == '-';
}

static bool name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

bool tw_id_valid(const char *s)
{
    return charset_valid(s, TW_ID_MAX, id_char);
}

bool tw_source_valid(const char *s)
{
    return charset_valid(s, TW_SOURCE_MAX, name_char);
}

bool tw_team_valid(const char *s)
{
    return charset_valid(s, 32, name_char);
}

void tw_text_escape_head(const void *data, size_t len, size_t max, char *out, size_t size)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = data;
    size_t o = 0;

    if (!out || !size)
        return;
    if (!p)
        len = 0;
    if (len > max)
        len = max;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = p[i];
        /* A backslash is escaped too, or "\x00" in the payload would read
         * the same as a NUL byte. An escape is never cut in half. */
        if (c == '\\') {
            if (o + 2 >= size)
                break;
            out[o++] = '\\';
            out[o++] = '\\';
        } else if (c >= 0x20 && c < 0x7F) {
            if (o + 1 >= size)
                break;
            out[o++] = (char)c;
        } else {
            if (o + 4 >= size)
                break;
            out[o++] = '\\';
            out[o++] = 'x';
            out[o++] = hex[c >> 4];
            out[o++] = hex[c & 0xF];
        }
    }
    out[o] = '\0';
}

bool tw_text_has_controls(const char *s, size_t len)
{
    if (!tw_utf8_valid(s, len))
        return true;
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = decode(p + i, len - i, &cp);
        if (!n)
            return true;
        if (is_dropped(cp) || cp == 0x200E || cp == 0x200F || cp == 0x061C)
            return true;
        i += n;
    }
    return false;
}

void tw_text_escape_topic(const char *topic, char *out, size_t size)
{
    size_t len = strlen(topic);
    if (!tw_text_has_controls(topic, len))
        tw_strlcpy(out, topic, size);
    else
        tw_text_escape_head(topic, len, 256, out, size);
}
