/* SPDX-License-Identifier: MIT */
/*
 * The text rules: UTF-8 validation, removal of controls and bidi overrides,
 * white-space folding, trimming, limits in code points, the id/source/team
 * character sets and the escaped payload head. Exact expected values
 * throughout, with real-world scripts.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "item.h"
#include "text.h"
#include "util.h"

static char out[TW_TEXT_SIZE];
static const char *why;

/* Clean a NUL-terminated literal as the board cleans a post's text. */
static int clean(const char *s)
{
    why = "(unset)";
    return tw_text_clean(s, strlen(s), 1, TW_TEXT_MAX_CHARS, out, sizeof out, &why);
}

/* Same, with an explicit length (for embedded NULs and truncated input). */
static int clean_n(const char *s, size_t n)
{
    why = "(unset)";
    return tw_text_clean(s, n, 1, TW_TEXT_MAX_CHARS, out, sizeof out, &why);
}

static void test_kept_intact(void)
{
    static const char *const kept[] = {
        "Waiting on prod DB access",
        "Caf\xc3\xa9 cr\xc3\xa8me br\xc3\xbbl\xc3\xa9"
        "e, \xc3\x85ngstr\xc3\xb6m, \xc5\x81\xc3\xb3"
        "d\xc5\xba",                                         /* Latin accents */
        "Release shipped \xf0\x9f\x9a\x80\xf0\x9f\x8e\x89",  /* emoji, 4-byte */
        "\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb done", /* ZWJ sequence keeps its ZWJ */
        "\xe6\x9c\xac\xe7\x95\xaa\xe7\x92\xb0\xe5\xa2\x83\xe3\x81\xae\xe3\x83\x87\xe3\x83\xbc"
        "\xe3\x82\xbf\xe3\x83\x99\xe3\x83\xbc\xe3\x82\xb9", /* Japanese */
        "\xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7 \xd8\xa8\xd8\xa7\xd9\x84\xd8\xb9\xd8\xa7"
        "\xd9\x84\xd9\x85",                 /* Arabic */
        "\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d", /* Hebrew */
        "\xf0\x90\x8d\x88 U+10348 and \xf4\x8f\xbf\xbf U+10FFFF",
        "a\xe2\x80\x8e"
        "b", /* LRM is a mark, not an override */
    };
    for (size_t i = 0; i < TW_ARRAY_LEN(kept); i++) {
        CHECK_EQ_INT(clean(kept[i]), 0);
        CHECK_EQ_STR(out, kept[i]);
    }
}

static void test_controls_removed(void)
{
    CHECK_EQ_INT(clean("a\x01"
                       "b\x07"
                       "c\x1b[31md\x7f"
                       "e"),
                 0);
    CHECK_EQ_STR(out, "abc[31mde");
    /* C1 controls U+0080..U+009F (except NEL, which is white space) */
    CHECK_EQ_INT(clean("x\xc2\x80y\xc2\x9bz\xc2\x9f"), 0);
    CHECK_EQ_STR(out, "xyz");
    /* an embedded NUL is a control, not the end of the text */
    CHECK_EQ_INT(clean_n("ab\0cd", 5), 0);
    CHECK_EQ_STR(out, "abcd");
}

static void test_bidi_removed(void)
{
    /* "Trojan Source": RLO reverses what follows; all of U+202A..U+202E go. */
    CHECK_EQ_INT(clean("fix \xe2\x80\xae"
                       "gnp.exe\xe2\x80\xac now"),
                 0);
    CHECK_EQ_STR(out, "fix gnp.exe now");
    CHECK_EQ_INT(clean("\xe2\x80\xaa"
                       "a\xe2\x80\xab"
                       "b\xe2\x80\xac"
                       "c\xe2\x80\xad"
                       "d\xe2\x80\xae"),
                 0);
    CHECK_EQ_STR(out, "abcd");
    /* isolates U+2066..U+2069 */
    CHECK_EQ_INT(clean("\xe2\x81\xa6"
                       "a\xe2\x81\xa7"
                       "b\xe2\x81\xa8"
                       "c\xe2\x81\xa9"),
                 0);
    CHECK_EQ_STR(out, "abc");
    /* the neighbours U+2029 (white space) and U+206A are not bidi overrides */
    CHECK_EQ_INT(clean("a\xe2\x81\xaa"
                       "b"),
                 0);
    CHECK_EQ_STR(out, "a\xe2\x81\xaa"
                      "b");
    /* a removed character does not split a run of white space */
    CHECK_EQ_INT(clean("a \xe2\x80\xae b"), 0);
    CHECK_EQ_STR(out, "a b");
    CHECK_EQ_INT(clean("\xe2\x80\xae\xe2\x81\xa6"), TW_ERR_INVAL);
    CHECK_EQ_STR(why, "is empty");
}

static void test_whitespace_folded(void)
{
    CHECK_EQ_INT(clean("  Waiting\t\ton\n\nprod \r\n DB\v\faccess  "), 0);
    CHECK_EQ_STR(out, "Waiting on prod DB access");
    /* Unicode spaces: NBSP, NEL, OGHAM, EN QUAD..HAIR, LSEP, PSEP, NNBSP, MMSP, IDEOGRAPHIC */
    CHECK_EQ_INT(clean("a\xc2\xa0"
                       "b\xc2\x85"
                       "c\xe1\x9a\x80"
                       "d\xe2\x80\x80\xe2\x80\x8a"
                       "e\xe2\x80\xa8"
                       "f\xe2\x80\xa9"
                       "g\xe2\x80\xaf"
                       "h\xe2\x81\x9f"
                       "i\xe3\x80\x80"
                       "j"),
                 0);
    CHECK_EQ_STR(out, "a b c d e f g h i j");
    /* every one of U+2000..U+200A */
    CHECK_EQ_INT(clean("\xe2\x80\x80\xe2\x80\x81\xe2\x80\x82\xe2\x80\x83\xe2\x80\x84"
                       "x\xe2\x80\x85\xe2\x80\x86\xe2\x80\x87\xe2\x80\x88\xe2\x80\x89"
                       "\xe2\x80\x8a"),
                 0);
    CHECK_EQ_STR(out, "x");
    /* zero width space U+200B is not white space: kept */
    CHECK_EQ_INT(clean("a\xe2\x80\x8b"
                       "b"),
                 0);
    CHECK_EQ_STR(out, "a\xe2\x80\x8b"
                      "b");
    /* Invisible characters alone are no text (issue 11): U+200B, U+200D,
     * U+FEFF, U+2060, U+180E, U+3164 and tag characters. */
    const char *const invisible[] = {"\xe2\x80\x8b",
                                     "\xe2\x80\x8d",
                                     "\xef\xbb\xbf",
                                     "\xe2\x81\xa0",
                                     "\xe1\xa0\x8e",
                                     "\xe3\x85\xa4",
                                     "\xf3\xa0\x80\xa1\xf3\xa0\x81\xbf",
                                     " \xe2\x80\x8b \xe2\x80\x8d\xef\xbb\xbf "};
    for (size_t k = 0; k < sizeof invisible / sizeof invisible[0]; k++) {
        CHECK_EQ_INT(clean(invisible[k]), TW_ERR_INVAL);
        CHECK_EQ_STR(out, "");
    }
    /* ... while an emoji family keeps its joiners */
    CHECK_EQ_INT(clean("\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9"), 0);
    CHECK_EQ_STR(out, "\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9");
    /* CJK text with an ideographic space between words */
    CHECK_EQ_INT(clean("\xe4\xbc\x9a\xe8\xad\xb0\xe3\x80\x80\xe3\x80\x80\xe4\xb8\xad"), 0);
    CHECK_EQ_STR(out, "\xe4\xbc\x9a\xe8\xad\xb0 \xe4\xb8\xad");
}

static void test_empty(void)
{
    CHECK_EQ_INT(clean(""), TW_ERR_INVAL);
    CHECK_EQ_STR(why, "is empty");
    CHECK_EQ_INT(clean(" \t\n\xe3\x80\x80 "), TW_ERR_INVAL);
    CHECK_EQ_STR(why, "is empty");
    CHECK_EQ_STR(out, "");
    CHECK_EQ_INT(clean("\x01\x02"), TW_ERR_INVAL);
    CHECK_EQ_STR(why, "is empty");
    /* min 0 (an optional field): empty is fine */
    CHECK_EQ_INT(tw_text_clean("  ", 2, 0, TW_AUTHOR_MAX_CHARS, out, sizeof out, &why), 0);
    CHECK_EQ_STR(out, "");
    /* min 2 */
    CHECK_EQ_INT(tw_text_clean(" x ", 3, 2, 10, out, sizeof out, &why), TW_ERR_INVAL);
    CHECK_EQ_STR(why, "is too short");
    /* NULL in with length 0 is the empty string */
    CHECK_EQ_INT(tw_text_clean(NULL, 0, 0, 10, out, sizeof out, NULL), 0);
}

static void test_length_limits(void)
{
    char buf[TW_TEXT_SIZE + 16];

    /* 280 ASCII characters pass, 281 do not */
    memset(buf, 'a', 281);
    buf[280] = '\0';
    CHECK_EQ_INT(clean(buf), 0);
    CHECK_EQ_INT(strlen(out), 280);
    buf[280] = 'a';
    buf[281] = '\0';
    CHECK_EQ_INT(clean(buf), TW_ERR_INVAL);
    CHECK_EQ_STR(why, "is too long (max 280 characters)");
    CHECK_EQ_STR(out, "");

    /* 280 four-byte emoji are 280 characters (1120 bytes), and fit */
    for (int i = 0; i < 280; i++)
        memcpy(buf + 4 * i, "\xf0\x9f\x98\x80", 4);
    buf[1120] = '\0';
    CHECK_EQ_INT(clean(buf), 0);
    CHECK_EQ_INT(strlen(out), 1120);
    CHECK_EQ_INT(tw_utf8_count(out), 280);
    memcpy(buf + 1120, "\xf0\x9f\x98\x80", 5);
    CHECK_EQ_INT(clean(buf), TW_ERR_INVAL);
    CHECK_EQ_STR(why, "is too long (max 280 characters)");

    /* 280 three-byte CJK characters */
    for (int i = 0; i < 280; i++)
        memcpy(buf + 3 * i, "\xe6\xbc\xa2", 3);
    buf[840] = '\0';
    CHECK_EQ_INT(clean(buf), 0);
    CHECK_EQ_INT(tw_utf8_count(out), 280);

    /* white space that folds away does not count: 280 after folding is fine */
    memset(buf, 'b', 280);
    buf[140] = ' ';
    memset(buf + 141, '\t', 20);
    memset(buf + 161, 'c', 139);
    memset(buf + 300, ' ', 10);
    buf[310] = '\0';
    CHECK_EQ_INT(clean(buf), 0);
    CHECK_EQ_INT(strlen(out), 280);
    CHECK_EQ_INT(out[140], ' ');
    CHECK_EQ_INT(out[141], 'c');

    /* other limits get their own reason */
    memset(buf, 'x', 65);
    CHECK_EQ_INT(tw_text_clean(buf, 65, 0, TW_AUTHOR_MAX_CHARS, out, sizeof out, &why),
                 TW_ERR_INVAL);
    CHECK_EQ_STR(why, "is too long (max 64 characters)");
    CHECK_EQ_INT(tw_text_clean(buf, 64, 0, TW_AUTHOR_MAX_CHARS, out, sizeof out, &why), 0);
    CHECK_EQ_INT(tw_text_clean(buf, 11, 0, 10, out, sizeof out, &why), TW_ERR_INVAL);
    CHECK_EQ_STR(why, "is too long");

    /* an output buffer too small for what is within the character limit */
    char small[8];
    CHECK_EQ_INT(
        tw_text_clean("\xe6\xbc\xa2\xe6\xbc\xa2\xe6\xbc\xa2", 9, 1, 280, small, sizeof small, &why),
        TW_ERR_INVAL);
    CHECK_EQ_STR(why, "is too long");
    CHECK_EQ_STR(small, "");
    CHECK_EQ_INT(tw_text_clean("\xe6\xbc\xa2\xe6\xbc\xa2", 6, 1, 280, small, sizeof small, &why),
                 0);
    CHECK_EQ_STR(small, "\xe6\xbc\xa2\xe6\xbc\xa2");
}

static void test_invalid_utf8(void)
{
    static const struct {
        const char *s;
        size_t n;
    } bad[] = {
        {"\xc0\xaf", 2},                 /* overlong '/' */
        {"\xc1\xbf", 2},                 /* overlong DEL */
        {"\xe0\x80\xaf", 3},             /* overlong, 3 bytes */
        {"\xe0\x9f\xbf", 3},             /* overlong U+07FF */
        {"\xf0\x80\x80\xaf", 4},         /* overlong, 4 bytes */
        {"\xf0\x8f\xbf\xbf", 4},         /* overlong U+FFFF */
        {"\xed\xa0\x80", 3},             /* surrogate U+D800 */
        {"\xed\xbf\xbf", 3},             /* surrogate U+DFFF */
        {"\xed\xa0\xbd\xed\xb8\x80", 6}, /* CESU-8 pair */
        {"\xf4\x90\x80\x80", 4},         /* U+110000 */
        {"\xf5\x80\x80\x80", 4},         /* lead F5 */
        {"\xff", 1},
        {"\xfe\xfe\xff\xff", 4},
        {"\x80", 1}, /* stray continuation */
        {"abc\xbf", 4},
        {"\xc3", 1}, /* truncated at the end */
        {"\xe2\x82", 2},
        {"\xf0\x9f\x98", 3},
        {"\xc3(", 2}, /* lead without continuation */
        {"\xe2(\xa1", 3},
        {"\xf0\x9f\x98\x80\xf0\x9f", 6},
        {"\xc3\0", 2}, /* a NUL is no continuation */
    };
    for (size_t i = 0; i < TW_ARRAY_LEN(bad); i++) {
        CHECK(!tw_utf8_valid(bad[i].s, bad[i].n));
        CHECK_EQ_INT(clean_n(bad[i].s, bad[i].n), TW_ERR_INVAL);
        CHECK_EQ_STR(why, "invalid UTF-8");
    }
    /* invalid wins over too long */
    char buf[400];
    memset(buf, 'a', sizeof buf);
    buf[399] = '\xff';
    CHECK_EQ_INT(clean_n(buf, sizeof buf), TW_ERR_INVAL);
    CHECK_EQ_STR(why, "invalid UTF-8");

    /* the boundaries that are valid */
    CHECK(tw_utf8_valid("\xc2\x80", 2));
    CHECK(tw_utf8_valid("\xe0\xa0\x80", 3));
    CHECK(tw_utf8_valid("\xed\x9f\xbf", 3));     /* U+D7FF */
    CHECK(tw_utf8_valid("\xee\x80\x80", 3));     /* U+E000 */
    CHECK(tw_utf8_valid("\xef\xbf\xbf", 3));     /* U+FFFF */
    CHECK(tw_utf8_valid("\xf0\x90\x80\x80", 4)); /* U+10000 */
    CHECK(tw_utf8_valid("\xf4\x8f\xbf\xbf", 4)); /* U+10FFFF */
    CHECK(tw_utf8_valid("", 0));
    CHECK(tw_utf8_valid(NULL, 0));
    /* the length is respected: a valid prefix of an invalid buffer */
    CHECK(tw_utf8_valid("ab\xff", 2));
}

static void test_utf8_helpers(void)
{
    uint32_t cp;
    CHECK_EQ_INT(tw_utf8_next("A", &cp), 1);
    CHECK_EQ_INT(cp, 'A');
    CHECK_EQ_INT(tw_utf8_next("\xc3\xa9", &cp), 2);
    CHECK_EQ_INT(cp, 0xE9);
    CHECK_EQ_INT(tw_utf8_next("\xe2\x82\xac", &cp), 3);
    CHECK_EQ_INT(cp, 0x20AC);
    CHECK_EQ_INT(tw_utf8_next("\xf0\x9f\x98\x80", &cp), 4);
    CHECK_EQ_INT(cp, 0x1F600);
    /* invalid input still makes progress, one byte as U+FFFD, and never
     * reads past the terminator */
    CHECK_EQ_INT(tw_utf8_next("\xff", &cp), 1);
    CHECK_EQ_INT(cp, 0xFFFD);
    CHECK_EQ_INT(tw_utf8_next("\xe2\x82", &cp), 1);
    CHECK_EQ_INT(cp, 0xFFFD);

    CHECK_EQ_INT(tw_utf8_count(""), 0);
    CHECK_EQ_INT(tw_utf8_count("abc"), 3);
    CHECK_EQ_INT(tw_utf8_count("caf\xc3\xa9 \xf0\x9f\x9a\x80 \xe6\xbc\xa2"), 8);

    const char *s = "a\xc3\xa9\xe6\xbc\xa2\xf0\x9f\x98\x80z";
    CHECK_EQ_INT(tw_utf8_prefix(s, 0), 0);
    CHECK_EQ_INT(tw_utf8_prefix(s, 1), 1);
    CHECK_EQ_INT(tw_utf8_prefix(s, 2), 3);
    CHECK_EQ_INT(tw_utf8_prefix(s, 3), 6);
    CHECK_EQ_INT(tw_utf8_prefix(s, 4), 10);
    CHECK_EQ_INT(tw_utf8_prefix(s, 5), 11);
    CHECK_EQ_INT(tw_utf8_prefix(s, 99), 11);
}

static void test_ids_and_sources(void)
{
    CHECK(tw_id_valid("slack-T1-Ev42"));
    CHECK(tw_id_valid("k3f9"));
    CHECK(tw_id_valid("gh:org/repo#1") == false); /* '/' and '#' are not allowed */
    CHECK(tw_id_valid("ci.run:42_a-B"));
    CHECK(!tw_id_valid(""));
    CHECK(!tw_id_valid(NULL));
    CHECK(!tw_id_valid("has space"));
    CHECK(!tw_id_valid("caf\xc3\xa9"));
    CHECK(!tw_id_valid("a\nb"));
    char id[80];
    memset(id, 'A', 64);
    id[64] = '\0';
    CHECK(tw_id_valid(id));
    id[64] = 'A';
    id[65] = '\0';
    CHECK(!tw_id_valid(id));

    CHECK(tw_source_valid("mqtt"));
    CHECK(tw_source_valid("slack"));
    CHECK(tw_source_valid("zigbee2mqtt"));
    CHECK(tw_source_valid("desk_3-button"));
    CHECK(!tw_source_valid("Slack"));
    CHECK(!tw_source_valid("a.b"));
    CHECK(!tw_source_valid("a:b"));
    CHECK(!tw_source_valid(""));
    CHECK(!tw_source_valid(NULL));
    memset(id, 'z', 32);
    id[32] = '\0';
    CHECK(tw_source_valid(id));
    CHECK(tw_team_valid(id));
    id[32] = 'z';
    id[33] = '\0';
    CHECK(!tw_source_valid(id));
    CHECK(!tw_team_valid(id));

    CHECK(tw_team_valid("acme"));
    CHECK(tw_team_valid("team-7_b"));
    CHECK(!tw_team_valid("Acme"));
    CHECK(!tw_team_valid("a/b"));
    CHECK(!tw_team_valid("a+"));
    CHECK(!tw_team_valid("#"));
    CHECK(!tw_team_valid(""));
}

static void test_escape_head(void)
{
    char buf[300];
    tw_text_escape_head("{\"kind\":\"win\"}", 14, 64, buf, sizeof buf);
    CHECK_EQ_STR(buf, "{\"kind\":\"win\"}");
    tw_text_escape_head("a\0b\n\xff\x7f", 6, 64, buf, sizeof buf);
    CHECK_EQ_STR(buf, "a\\x00b\\x0a\\xff\\x7f");
    tw_text_escape_head("caf\xc3\xa9", 5, 64, buf, sizeof buf);
    CHECK_EQ_STR(buf, "caf\\xc3\\xa9");
    /* a literal backslash cannot be mistaken for an escape */
    tw_text_escape_head("\\x00", 4, 64, buf, sizeof buf);
    CHECK_EQ_STR(buf, "\\\\x00");
    /* max bounds the input */
    tw_text_escape_head("abcdefgh", 8, 3, buf, sizeof buf);
    CHECK_EQ_STR(buf, "abc");
    /* size bounds the output, and escapes are not cut in half */
    char small[6];
    tw_text_escape_head("ab\x01"
                        "cd",
                        5, 64, small, sizeof small);
    CHECK_EQ_STR(small, "ab");
    tw_text_escape_head("abcdefgh", 8, 64, small, sizeof small);
    CHECK_EQ_STR(small, "abcde");
    tw_text_escape_head(NULL, 5, 64, buf, sizeof buf);
    CHECK_EQ_STR(buf, "");
    /* 64 bytes of binary fill exactly 256 characters */
    unsigned char bin[100];
    for (int i = 0; i < 100; i++)
        bin[i] = (unsigned char)(0x80 + i);
    tw_text_escape_head(bin, sizeof bin, 64, buf, sizeof buf);
    CHECK_EQ_INT(strlen(buf), 256);
    CHECK_EQ_INT(strncmp(buf, "\\x80\\x81", 8), 0);
    CHECK_EQ_INT(strcmp(buf + 252, "\\xbf"), 0);
}

static void test_arguments(void)
{
    why = NULL;
    CHECK_EQ_INT(tw_text_clean(NULL, 3, 0, 10, out, sizeof out, &why), TW_ERR_INVAL);
    CHECK_EQ_STR(why, "invalid argument");
    CHECK_EQ_INT(tw_text_clean("a", 1, 0, 10, NULL, 10, &why), TW_ERR_INVAL);
    CHECK_EQ_INT(tw_text_clean("a", 1, 0, 10, out, 0, NULL), TW_ERR_INVAL);
    /* success leaves no reason behind */
    CHECK_EQ_INT(tw_text_clean("a", 1, 0, 10, out, sizeof out, &why), 0);
    CHECK(why == NULL);
}

/* Printable ASCII takes a path of its own (no decoding): at its limits and
 * next to what the general path handles, the same rules. */
static void test_ascii_path(void)
{
    char s[TW_TEXT_MAX_CHARS + 2];
    memset(s, 'a', TW_TEXT_MAX_CHARS);
    s[TW_TEXT_MAX_CHARS] = '\0';
    CHECK_EQ_INT(clean(s), 0);
    CHECK_EQ_INT(strlen(out), TW_TEXT_MAX_CHARS);
    s[TW_TEXT_MAX_CHARS] = 'a';
    s[TW_TEXT_MAX_CHARS + 1] = '\0';
    CHECK_EQ_INT(clean(s), TW_ERR_INVAL);
    CHECK_EQ_STR(why, "is too long (max 280 characters)");
    /* 279 letters and a pending space: the space counts when text follows */
    memset(s, 'a', TW_TEXT_MAX_CHARS - 1);
    s[TW_TEXT_MAX_CHARS - 1] = ' ';
    s[TW_TEXT_MAX_CHARS] = 'b';
    s[TW_TEXT_MAX_CHARS + 1] = '\0';
    CHECK_EQ_INT(clean(s), TW_ERR_INVAL);
    CHECK_EQ_INT(clean("  a\t\tb \xc3\xa9 c\x7f d  "), 0);
    CHECK_EQ_STR(out, "a b \xc3\xa9 c d");
    CHECK_EQ_INT(clean_n("a\0b", 3), 0);
    CHECK_EQ_STR(out, "ab");
    /* the output buffer's size is a limit on either path */
    char small[4];
    CHECK_EQ_INT(tw_text_clean("abcd", 4, 1, 10, small, sizeof small, &why), TW_ERR_INVAL);
    CHECK_EQ_STR(why, "is too long");
    CHECK_EQ_INT(tw_text_clean("abc", 3, 1, 10, small, sizeof small, &why), 0);
    CHECK_EQ_STR(small, "abc");
}

/* RFC 3339 UTC times, written without strftime: the same text as strftime
 * over leap days, year ends and the epoch; a short buffer gets nothing. */
static void test_time_format(void)
{
    const int64_t times[] = {0,          951782400,  951868799,  1709164800,
                             1735689599, 1764060843, 4102444800, 253402300799};
    for (size_t i = 0; i < sizeof times / sizeof times[0]; i++) {
        for (int64_t d = 0; d < 3 * 86400; d += 3599) {
            time_t t = (time_t)(times[i] + d);
            struct tm tm;
            char want[32], got[32];
            gmtime_r(&t, &tm);
            strftime(want, sizeof want, "%Y-%m-%dT%H:%M:%SZ", &tm);
            tw_time_format(times[i] + d, got, sizeof got);
            CHECK_EQ_STR(got, want);
        }
    }
    char buf[32];
    CHECK_EQ_STR(tw_time_format(1764060843, buf, sizeof buf), "2025-11-25T08:54:03Z");
    char tiny[20];
    CHECK_EQ_STR(tw_time_format(1764060843, tiny, sizeof tiny), "");
}

int main(void)
{
    test_ascii_path();
    test_time_format();
    test_kept_intact();
    test_controls_removed();
    test_bidi_removed();
    test_whitespace_folded();
    test_empty();
    test_length_limits();
    test_invalid_utf8();
    test_utf8_helpers();
    test_ids_and_sources();
    test_escape_head();
    test_arguments();
    return check_done();
}
