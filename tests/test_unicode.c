/* SPDX-License-Identifier: MIT */
/*
 * Unicode for the wall: decoding, grapheme clusters (accents, emoji ZWJ
 * sequences, skin tones, flags, keycaps, Hangul), CJK break opportunities,
 * scripts, emoji presentation, and the bidi runs of mixed lines in both
 * paragraph directions (numbers and times inside Arabic, Latin inside
 * Hebrew).
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "unicode.h"

static size_t end_of(const char *s)
{
    return tw_uc_grapheme_end(s, strlen(s), 0);
}

static void test_clusters(void)
{
    size_t step;
    CHECK_EQ_INT(tw_uc_decode("\xc3\xa9", 2, 0, &step), 0xE9);
    CHECK_EQ_INT(step, 2);
    CHECK_EQ_INT(tw_uc_decode("\xe2\x80", 2, 0, &step), 0xFFFD); /* truncated */
    CHECK_EQ_INT(step, 1);
    CHECK_EQ_INT(tw_uc_decode("\xc0\xaf", 2, 0, &step), 0xFFFD);     /* overlong */
    CHECK_EQ_INT(tw_uc_decode("\xed\xa0\x80", 3, 0, &step), 0xFFFD); /* surrogate */

    CHECK_EQ_INT(end_of("ab"), 1);
    CHECK_EQ_INT(end_of("e\xcc\x81x"), 3);                        /* e + acute */
    CHECK_EQ_INT(end_of("\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd!"), 8); /* thumbs up, skin tone */
    /* woman + ZWJ + laptop */
    CHECK_EQ_INT(end_of("\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb!"), 11);
    /* family: man ZWJ woman ZWJ girl */
    CHECK_EQ_INT(end_of("\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7"),
                 18);
    /* Flags are pairs: DE then FR. */
    const char *flags = "\xf0\x9f\x87\xa9\xf0\x9f\x87\xaa\xf0\x9f\x87\xab\xf0\x9f\x87\xb7";
    CHECK_EQ_INT(end_of(flags), 8);
    CHECK_EQ_INT(tw_uc_grapheme_end(flags, 16, 8), 16);
    CHECK_EQ_INT(end_of("1\xef\xb8\x8f\xe2\x83\xa3x"), 7); /* keycap 1 */
    CHECK_EQ_INT(end_of("\xe2\x9d\xa4\xef\xb8\x8fx"), 6);  /* heart + VS16 */
    /* Hangul jamo L V T make one syllable. */
    CHECK_EQ_INT(end_of("\xe1\x84\x80\xe1\x85\xa1\xe1\x86\xa8x"), 9);
    /* Devanagari: a consonant with its vowel sign and virama stays whole. */
    CHECK_EQ_INT(end_of("\xe0\xa4\xb8\xe0\xa4\xb0\xe0\xa5\x8d"), 3); /* स | र् */
    CHECK_EQ_INT(tw_uc_grapheme_end("\xe0\xa4\xb8\xe0\xa4\xb0\xe0\xa5\x8d", 9, 3), 9);
    /* Backwards. */
    const char *s = "a\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb";
    CHECK_EQ_INT(tw_uc_grapheme_start(s, strlen(s), strlen(s)), 1);
    CHECK_EQ_INT(tw_uc_grapheme_start(s, strlen(s), 1), 0);
}

static void test_breaks(void)
{
    CHECK(tw_uc_break_pair(0x6211, 0x4EEC));  /* 我|们 */
    CHECK(!tw_uc_break_pair(0x4EEC, 0x3002)); /* not before 。 */
    CHECK(!tw_uc_break_pair(0x300C, 0x4EEC)); /* not after 「 */
    CHECK(tw_uc_break_pair('a', 0x4EEC));     /* Latin then CJK */
    CHECK(!tw_uc_break_pair('a', 'b'));
    CHECK(!tw_uc_break_pair(0x4EEC, ' '));
    CHECK(tw_uc_break_between("\xe6\x88\x91\xe4\xbb\xac", 6, 3));
}

static void test_scripts(void)
{
    CHECK_EQ_INT(tw_uc_script('a'), TW_SCRIPT_LATIN);
    CHECK_EQ_INT(tw_uc_script(0xE9), TW_SCRIPT_LATIN);
    CHECK_EQ_INT(tw_uc_script('5'), TW_SCRIPT_COMMON);
    CHECK_EQ_INT(tw_uc_script(0x0645), TW_SCRIPT_ARABIC);
    CHECK_EQ_INT(tw_uc_script(0x05D0), TW_SCRIPT_HEBREW);
    CHECK_EQ_INT(tw_uc_script(0x4E2D), TW_SCRIPT_HAN);
    CHECK_EQ_INT(tw_uc_script(0x3042), TW_SCRIPT_HAN); /* hiragana shapes as CJK */
    CHECK_EQ_INT(tw_uc_script(0xAC00), TW_SCRIPT_HANGUL);
    CHECK_EQ_INT(tw_uc_script(0x0915), TW_SCRIPT_DEVANAGARI);
    CHECK_EQ_INT(tw_uc_script(0x0430), TW_SCRIPT_CYRILLIC);
    CHECK_EQ_STR(tw_uc_script_name(TW_SCRIPT_ARABIC), "Arab");

    const char *party = "\xf0\x9f\x8e\x89";
    CHECK(tw_uc_is_emoji_cluster(party, 0, 4));
    CHECK(tw_uc_is_emoji_cluster("\xe2\x9d\xa4\xef\xb8\x8f", 0, 6));  /* heart + VS16 */
    CHECK(!tw_uc_is_emoji_cluster("\xe2\x9d\xa4", 0, 3));             /* text heart */
    CHECK(!tw_uc_is_emoji_cluster("\xe2\x9d\xa4\xef\xb8\x8e", 0, 6)); /* VS15: text */
    CHECK(tw_uc_is_emoji_cluster("1\xef\xb8\x8f\xe2\x83\xa3", 0, 7)); /* keycap */
    CHECK(!tw_uc_is_emoji_cluster("1", 0, 1));
    CHECK(!tw_uc_is_emoji_cluster("\xc2\xa9", 0, 2)); /* © as text */
}

/* The runs of s in visual order as "r:text|l:text|...". */
static const char *runs(const char *s, bool rtl)
{
    static char buf[512];
    tw_bidi_run r[16];
    size_t n = tw_bidi_runs(s, strlen(s), rtl, r, 16);
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++)
        snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%c:%.*s", i ? "|" : "",
                 r[i].rtl ? 'r' : 'l', (int)r[i].len, s + r[i].start);
    return buf;
}

#define AR    "\xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7" /* مرحبا */
#define HE    "\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d"         /* שלום */
#define MUNDH "\xd9\x85\xd9\x86\xd8\xb0"                 /* منذ */

static void test_bidi(void)
{
    CHECK(!tw_bidi_paragraph_rtl("abc " AR, strlen("abc " AR)));
    CHECK(tw_bidi_paragraph_rtl("123 " AR " abc", strlen("123 " AR " abc")));
    CHECK(tw_bidi_paragraph_rtl(HE, strlen(HE)));
    CHECK(!tw_bidi_paragraph_rtl("123", 3));

    CHECK_EQ_STR(runs("hello world", false), "l:hello world");
    CHECK_EQ_STR(runs(AR, true), "r:" AR);
    /* Latin paragraph with Arabic inside: the space between takes the
     * paragraph's direction. */
    CHECK_EQ_STR(runs("abc " AR " def", false), "l:abc |r:" AR "|l: def");
    /* Arabic paragraph with Latin and a number: the Latin run goes left. */
    CHECK_EQ_STR(runs(AR " abc 123", true), "l:abc 123|r:" AR " ");
    /* A time after an Arabic word stays "10:30", left of the word. */
    CHECK_EQ_STR(runs(MUNDH " 10:30", true), "l:10:30|r:" MUNDH " ");
    /* Arabic-Indic digits are Arabic numbers: their own LTR run. */
    CHECK_EQ_STR(runs(AR " \xd9\xa3\xd9\xa4", true), "l:\xd9\xa3\xd9\xa4|r:" AR " ");
    /* Hebrew words inside a Latin sentence keep their own order. */
    CHECK_EQ_STR(runs("Deploy " HE " " HE " now", false), "l:Deploy |r:" HE " " HE "|l: now");
    /* A mark stays with its letter; an emoji goes with its neighbours. */
    CHECK_EQ_STR(runs(AR " \xf0\x9f\x8e\x89", true), "r:" AR " \xf0\x9f\x8e\x89");
    CHECK_EQ_STR(runs("", false), "");
    /* More runs than room: the tail merges into the last one. */
    tw_bidi_run r[2];
    const char *mixed = "a " AR " b " AR " c";
    size_t n = tw_bidi_runs(mixed, strlen(mixed), false, r, 2);
    CHECK_EQ_INT(n, 2);
    CHECK_EQ_INT(r[0].len + r[1].len, strlen(mixed));
}

/* Fifty Hangul leading consonants then a vowel (issue 11): UAX #29 makes it
 * one cluster; capped, a wrapper can cut it to fit its box. */
static void test_cluster_cap(void)
{
    char s[51 * 3 + 1];
    size_t n = 0;
    for (int k = 0; k < 50; k++) {
        memcpy(s + n, "\xe1\x84\x80", 3); /* U+1100 */
        n += 3;
    }
    memcpy(s + n, "\xe1\x85\xa0", 3); /* U+1160 */
    n += 3;
    s[n] = '\0';
    size_t end = tw_uc_grapheme_end(s, n, 0);
    CHECK(end > 0 && end < n);
    CHECK_EQ_INT(end, 16 * 3);
    /* a real syllable and a family emoji stay whole */
    const char *syl = "\xe1\x84\x80\xe1\x85\xa1\xe1\x86\xa8"; /* L V T */
    CHECK_EQ_INT(tw_uc_grapheme_end(syl, strlen(syl), 0), strlen(syl));
    const char *fam =
        "\xf0\x9f\x91\xa8\xf0\x9f\x8f\xbd\xe2\x80\x8d\xf0\x9f\x91\xa9\xf0\x9f\x8f\xbd"
        "\xe2\x80\x8d\xf0\x9f\x91\xa7\xf0\x9f\x8f\xbd\xe2\x80\x8d\xf0\x9f\x91\xa6\xf0\x9f\x8f\xbd";
    CHECK_EQ_INT(tw_uc_grapheme_end(fam, strlen(fam), 0), strlen(fam));
}

int main(void)
{
    test_cluster_cap();
    test_clusters();
    test_breaks();
    test_scripts();
    test_bidi();
    return check_done();
}
