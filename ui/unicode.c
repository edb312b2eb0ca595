/* SPDX-License-Identifier: MIT */
/*
 * Grapheme clusters, break opportunities, scripts and bidi for the wall.
 * Range tables stand in for the Unicode character database: they cover the
 * scripts the fallback fonts cover (Latin, Greek, Cyrillic, Armenian, Hebrew,
 * Arabic, Indic, Thai, Georgian, Hangul, Ethiopic, CJK) and emoji up to
 * Unicode 15. A miss costs a slightly odd break or cluster, never a crash or
 * a cut inside a UTF-8 sequence.
 */
#include "unicode.h"

#include <string.h>

typedef struct range {
    uint32_t lo, hi;
} range;

static bool in_ranges(uint32_t cp, const range *r, size_t n)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cp < r[mid].lo)
            hi = mid;
        else if (cp > r[mid].hi)
            lo = mid + 1;
        else
            return true;
    }
    return false;
}

#define IN(cp, table) in_ranges((cp), (table), sizeof(table) / sizeof((table)[0]))

uint32_t tw_uc_decode(const char *str, size_t len, size_t i, size_t *step)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t n = 1;
    uint32_t cp = 0xFFFD, min = 0;
    if (i >= len) {
        *step = 0;
        return 0;
    }
    unsigned char c = s[i];
    if (c < 0x80) {
        *step = 1;
        return c;
    }
    if (c >= 0xC2 && c <= 0xDF)
        n = 2, cp = c & 0x1F, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF)
        n = 3, cp = c & 0x0F, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4)
        n = 4, cp = c & 0x07, min = 0x10000;
    else {
        *step = 1;
        return 0xFFFD;
    }
    if (i + n > len) {
        *step = 1;
        return 0xFFFD;
    }
    for (size_t k = 1; k < n; k++) {
        if ((s[i + k] & 0xC0) != 0x80) {
            *step = 1;
            return 0xFFFD;
        }
        cp = cp << 6 | (s[i + k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        *step = 1;
        return 0xFFFD;
    }
    *step = n;
    return cp;
}

/* ---- grapheme clusters ---- */

/* Combining marks (Mn, Mc, Me) of the scripts above, joiners, variation
 * selectors, emoji modifiers and tags: what extends a cluster. */
static const range extend_table[] = {
    {0x0300, 0x036F},   {0x0483, 0x0489},   {0x0591, 0x05BD},   {0x05BF, 0x05BF},
    {0x05C1, 0x05C2},   {0x05C4, 0x05C5},   {0x05C7, 0x05C7},   {0x0610, 0x061A},
    {0x064B, 0x065F},   {0x0670, 0x0670},   {0x06D6, 0x06DC},   {0x06DF, 0x06E4},
    {0x06E7, 0x06E8},   {0x06EA, 0x06ED},   {0x0711, 0x0711},   {0x0730, 0x074A},
    {0x07A6, 0x07B0},   {0x07EB, 0x07F3},   {0x0816, 0x082D},   {0x0859, 0x085B},
    {0x0898, 0x089F},   {0x08CA, 0x08E1},   {0x08E3, 0x0903},   {0x093A, 0x093C},
    {0x093E, 0x094F},   {0x0951, 0x0957},   {0x0962, 0x0963},   {0x0981, 0x0983},
    {0x09BC, 0x09BC},   {0x09BE, 0x09C4},   {0x09C7, 0x09C8},   {0x09CB, 0x09CD},
    {0x09D7, 0x09D7},   {0x09E2, 0x09E3},   {0x0A01, 0x0A03},   {0x0A3C, 0x0A51},
    {0x0A70, 0x0A71},   {0x0A75, 0x0A75},   {0x0A81, 0x0A83},   {0x0ABC, 0x0ACD},
    {0x0AE2, 0x0AE3},   {0x0B01, 0x0B03},   {0x0B3C, 0x0B57},   {0x0B62, 0x0B63},
    {0x0B82, 0x0B82},   {0x0BBE, 0x0BCD},   {0x0BD7, 0x0BD7},   {0x0C00, 0x0C04},
    {0x0C3C, 0x0C56},   {0x0C62, 0x0C63},   {0x0C81, 0x0C83},   {0x0CBC, 0x0CD6},
    {0x0CE2, 0x0CE3},   {0x0D00, 0x0D03},   {0x0D3B, 0x0D3C},   {0x0D3E, 0x0D4D},
    {0x0D57, 0x0D57},   {0x0D62, 0x0D63},   {0x0D81, 0x0D83},   {0x0DCA, 0x0DDF},
    {0x0DF2, 0x0DF3},   {0x0E31, 0x0E31},   {0x0E34, 0x0E3A},   {0x0E47, 0x0E4E},
    {0x0EB1, 0x0EB1},   {0x0EB4, 0x0EBC},   {0x0EC8, 0x0ECE},   {0x0F18, 0x0F19},
    {0x0F35, 0x0F35},   {0x0F37, 0x0F37},   {0x0F39, 0x0F39},   {0x0F3E, 0x0F3F},
    {0x0F71, 0x0F84},   {0x0F86, 0x0F87},   {0x0F8D, 0x0FBC},   {0x0FC6, 0x0FC6},
    {0x102B, 0x103E},   {0x1056, 0x1059},   {0x105E, 0x1060},   {0x1062, 0x1064},
    {0x1067, 0x106D},   {0x1071, 0x1074},   {0x1082, 0x108D},   {0x108F, 0x108F},
    {0x109A, 0x109D},   {0x135D, 0x135F},   {0x1712, 0x1715},   {0x1732, 0x1734},
    {0x1752, 0x1753},   {0x1772, 0x1773},   {0x17B4, 0x17D3},   {0x17DD, 0x17DD},
    {0x180B, 0x180D},   {0x180F, 0x180F},   {0x1885, 0x1886},   {0x18A9, 0x18A9},
    {0x1920, 0x193B},   {0x1A17, 0x1A1B},   {0x1A55, 0x1A7F},   {0x1AB0, 0x1ACE},
    {0x1B00, 0x1B04},   {0x1B34, 0x1B44},   {0x1B6B, 0x1B73},   {0x1B80, 0x1B82},
    {0x1BA1, 0x1BAD},   {0x1BE6, 0x1BF3},   {0x1C24, 0x1C37},   {0x1CD0, 0x1CD2},
    {0x1CD4, 0x1CE8},   {0x1CED, 0x1CED},   {0x1CF4, 0x1CF4},   {0x1CF7, 0x1CF9},
    {0x1DC0, 0x1DFF},   {0x200C, 0x200D},   {0x20D0, 0x20F0},   {0x2CEF, 0x2CF1},
    {0x2D7F, 0x2D7F},   {0x2DE0, 0x2DFF},   {0x302A, 0x302F},   {0x3099, 0x309A},
    {0xA66F, 0xA672},   {0xA674, 0xA67D},   {0xA69E, 0xA69F},   {0xA6F0, 0xA6F1},
    {0xA802, 0xA802},   {0xA806, 0xA806},   {0xA80B, 0xA80B},   {0xA823, 0xA827},
    {0xA82C, 0xA82C},   {0xA880, 0xA881},   {0xA8B4, 0xA8C5},   {0xA8E0, 0xA8F1},
    {0xA8FF, 0xA8FF},   {0xA926, 0xA92D},   {0xA947, 0xA953},   {0xA980, 0xA983},
    {0xA9B3, 0xA9C0},   {0xA9E5, 0xA9E5},   {0xAA29, 0xAA36},   {0xAA43, 0xAA43},
    {0xAA4C, 0xAA4D},   {0xAA7B, 0xAA7D},   {0xAAB0, 0xAAB0},   {0xAAB2, 0xAAB4},
    {0xAAB7, 0xAAB8},   {0xAABE, 0xAABF},   {0xAAC1, 0xAAC1},   {0xAAEB, 0xAAEF},
    {0xAAF5, 0xAAF6},   {0xABE3, 0xABEA},   {0xABEC, 0xABED},   {0xFB1E, 0xFB1E},
    {0xFE00, 0xFE0F},   {0xFE20, 0xFE2F},   {0xFF9E, 0xFF9F},   {0x101FD, 0x101FD},
    {0x1D165, 0x1D169}, {0x1D16D, 0x1D172}, {0x1D17B, 0x1D182}, {0x1D185, 0x1D18B},
    {0x1D1AA, 0x1D1AD}, {0x1F3FB, 0x1F3FF}, {0xE0020, 0xE007F}, {0xE0100, 0xE01EF},
};

/* Extended_Pictographic, broadly: what a ZWJ may join to. */
static const range pictographic_table[] = {
    {0x00A9, 0x00A9},   {0x00AE, 0x00AE},   {0x203C, 0x203C},   {0x2049, 0x2049},
    {0x2122, 0x2122},   {0x2139, 0x2139},   {0x2194, 0x2199},   {0x21A9, 0x21AA},
    {0x231A, 0x231B},   {0x2328, 0x2328},   {0x23CF, 0x23CF},   {0x23E9, 0x23F3},
    {0x23F8, 0x23FA},   {0x24C2, 0x24C2},   {0x25AA, 0x25AB},   {0x25B6, 0x25B6},
    {0x25C0, 0x25C0},   {0x25FB, 0x25FE},   {0x2600, 0x27BF},   {0x2934, 0x2935},
    {0x2B05, 0x2B07},   {0x2B1B, 0x2B1C},   {0x2B50, 0x2B50},   {0x2B55, 0x2B55},
    {0x3030, 0x3030},   {0x303D, 0x303D},   {0x3297, 0x3297},   {0x3299, 0x3299},
    {0x1F000, 0x1F0FF}, {0x1F10D, 0x1F10F}, {0x1F12F, 0x1F12F}, {0x1F16C, 0x1F171},
    {0x1F17E, 0x1F17F}, {0x1F18E, 0x1F18E}, {0x1F191, 0x1F19A}, {0x1F1AD, 0x1F1E5},
    {0x1F201, 0x1F20F}, {0x1F21A, 0x1F21A}, {0x1F22F, 0x1F22F}, {0x1F232, 0x1F23A},
    {0x1F23C, 0x1F23F}, {0x1F249, 0x1F3FA}, {0x1F400, 0x1F53D}, {0x1F546, 0x1F64F},
    {0x1F680, 0x1F6FF}, {0x1F774, 0x1F77F}, {0x1F7D5, 0x1F7FF}, {0x1F80C, 0x1F80F},
    {0x1F848, 0x1F84F}, {0x1F85A, 0x1F85F}, {0x1F888, 0x1F88F}, {0x1F8AE, 0x1F8FF},
    {0x1F90C, 0x1F93A}, {0x1F93C, 0x1F945}, {0x1F947, 0x1FAFF}, {0x1FC00, 0x1FFFD},
};

/* Emoji_Presentation: shown as emoji even without U+FE0F. */
static const range emoji_presentation_table[] = {
    {0x231A, 0x231B},   {0x23E9, 0x23EC},   {0x23F0, 0x23F0},   {0x23F3, 0x23F3},
    {0x25FD, 0x25FE},   {0x2614, 0x2615},   {0x2648, 0x2653},   {0x267F, 0x267F},
    {0x2693, 0x2693},   {0x26A1, 0x26A1},   {0x26AA, 0x26AB},   {0x26BD, 0x26BE},
    {0x26C4, 0x26C5},   {0x26CE, 0x26CE},   {0x26D4, 0x26D4},   {0x26EA, 0x26EA},
    {0x26F2, 0x26F3},   {0x26F5, 0x26F5},   {0x26FA, 0x26FA},   {0x26FD, 0x26FD},
    {0x2705, 0x2705},   {0x270A, 0x270B},   {0x2728, 0x2728},   {0x274C, 0x274C},
    {0x274E, 0x274E},   {0x2753, 0x2755},   {0x2757, 0x2757},   {0x2795, 0x2797},
    {0x27B0, 0x27B0},   {0x27BF, 0x27BF},   {0x2B1B, 0x2B1C},   {0x2B50, 0x2B50},
    {0x2B55, 0x2B55},   {0x1F004, 0x1F004}, {0x1F0CF, 0x1F0CF}, {0x1F18E, 0x1F18E},
    {0x1F191, 0x1F19A}, {0x1F1E6, 0x1F1FF}, {0x1F201, 0x1F201}, {0x1F21A, 0x1F21A},
    {0x1F22F, 0x1F22F}, {0x1F232, 0x1F236}, {0x1F238, 0x1F23A}, {0x1F250, 0x1F251},
    {0x1F300, 0x1F320}, {0x1F32D, 0x1F335}, {0x1F337, 0x1F37C}, {0x1F37E, 0x1F393},
    {0x1F3A0, 0x1F3CA}, {0x1F3CF, 0x1F3D3}, {0x1F3E0, 0x1F3F0}, {0x1F3F4, 0x1F3F4},
    {0x1F3F8, 0x1F43E}, {0x1F440, 0x1F440}, {0x1F442, 0x1F4FC}, {0x1F4FF, 0x1F53D},
    {0x1F54B, 0x1F54E}, {0x1F550, 0x1F567}, {0x1F57A, 0x1F57A}, {0x1F595, 0x1F596},
    {0x1F5A4, 0x1F5A4}, {0x1F5FB, 0x1F64F}, {0x1F680, 0x1F6C5}, {0x1F6CC, 0x1F6CC},
    {0x1F6D0, 0x1F6D2}, {0x1F6D5, 0x1F6D7}, {0x1F6DC, 0x1F6DF}, {0x1F6EB, 0x1F6EC},
    {0x1F6F4, 0x1F6FC}, {0x1F7E0, 0x1F7EB}, {0x1F7F0, 0x1F7F0}, {0x1F90C, 0x1F93A},
    {0x1F93C, 0x1F945}, {0x1F947, 0x1F9FF}, {0x1FA70, 0x1FAFF},
};

bool tw_uc_is_extend(uint32_t cp)
{
    return IN(cp, extend_table);
}

static bool is_ri(uint32_t cp)
{
    return cp >= 0x1F1E6 && cp <= 0x1F1FF;
}

static bool is_pictographic(uint32_t cp)
{
    return IN(cp, pictographic_table);
}

/* Hangul jamo: leading consonants, vowels, trailing consonants. */
static int hangul_type(uint32_t cp)
{
    if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0xA960 && cp <= 0xA97F))
        return 'L';
    if ((cp >= 0x1160 && cp <= 0x11A7) || (cp >= 0xD7B0 && cp <= 0xD7C6))
        return 'V';
    if ((cp >= 0x11A8 && cp <= 0x11FF) || (cp >= 0xD7CB && cp <= 0xD7FB))
        return 'T';
    if (cp >= 0xAC00 && cp <= 0xD7A3)
        return (cp - 0xAC00) % 28 == 0 ? 'v' : 't'; /* LV, LVT syllables */
    return 0;
}

/* UAX #29 GB6-GB8: does a Hangul b continue a cluster ending in a? */
static bool hangul_joins(int a, int b)
{
    if (a == 'L')
        return b == 'L' || b == 'V' || b == 'v' || b == 't';
    if (a == 'V' || a == 'v')
        return b == 'V' || b == 'T';
    if (a == 'T' || a == 't')
        return b == 'T';
    return false;
}

#define UC_CLUSTER_MAX_CPS 16

size_t tw_uc_grapheme_end(const char *s, size_t len, size_t i)
{
    size_t step;
    if (i >= len)
        return len;
    uint32_t first = tw_uc_decode(s, len, i, &step);
    size_t j = i + step;
    uint32_t prev = first;
    int ri = is_ri(first) ? 1 : 0;
    bool pictographic_seq = is_pictographic(first);
    /* No real cluster is longer (a family emoji with skin tones is 11, a
     * subdivision flag 7): fifty Hangul jamo or a hundred combining marks
     * would otherwise be one unbreakable cluster running out of its box. */
    int cps = 1;
    while (j < len && cps < UC_CLUSTER_MAX_CPS) {
        uint32_t cp = tw_uc_decode(s, len, j, &step);
        bool join = false;
        if (tw_uc_is_extend(cp) || cp == 0x20E3) {
            join = true; /* GB9, GB9a; keycap */
        } else if (prev == 0x200D && pictographic_seq && is_pictographic(cp)) {
            join = true; /* GB11: emoji ZWJ sequence */
        } else if (is_ri(cp) && ri == 1) {
            join = true; /* GB12/13: flags are pairs */
            ri = 2;
        } else if (hangul_joins(hangul_type(prev), hangul_type(cp))) {
            join = true;
        }
        if (!join)
            break;
        if (!tw_uc_is_extend(cp) && cp != 0x200D)
            pictographic_seq = is_pictographic(cp);
        prev = cp;
        j += step;
        cps++;
    }
    return j;
}

size_t tw_uc_grapheme_start(const char *s, size_t len, size_t end)
{
    /* Walk forward from a safe point: clusters are short, and a space or an
     * ASCII letter always starts one. Look back at most 64 bytes. */
    if (end == 0)
        return 0;
    size_t from = end > 64 ? end - 64 : 0;
    while (from > 0 && ((unsigned char)s[from] & 0xC0) == 0x80)
        from--;
    size_t i = from, start = from;
    while (i < end) {
        start = i;
        i = tw_uc_grapheme_end(s, len, i);
    }
    return start;
}

/* ---- line breaks ---- */

static bool is_cjk(uint32_t cp)
{
    return (cp >= 0x2E80 && cp <= 0x2FFF) || (cp >= 0x3040 && cp <= 0x30FF) ||
           (cp >= 0x3100 && cp <= 0x31FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
           (cp >= 0x20000 && cp <= 0x3FFFF);
}

/* Never at the start of a line (UAX #14 CL, EX, IS and the CJK ones). */
static bool is_closing(uint32_t cp)
{
    static const uint32_t list[] = {
        '!',    ')',    ',',    '.',    ':',    ';',    '?',    ']',    '}',    0x3001,
        0x3002, 0x3009, 0x300B, 0x300D, 0x300F, 0x3011, 0x3015, 0x3017, 0x3019, 0x301B,
        0x30FC, 0x3005, 0x309D, 0x309E, 0x30FD, 0x30FE, 0xFF01, 0xFF09, 0xFF0C, 0xFF0E,
        0xFF1A, 0xFF1B, 0xFF1F, 0xFF3D, 0xFF5D, 0x2019, 0x201D, 0x2026,
    };
    for (size_t i = 0; i < sizeof(list) / sizeof(list[0]); i++)
        if (list[i] == cp)
            return true;
    return false;
}

/* Never at the end of a line (UAX #14 OP). */
static bool is_opening(uint32_t cp)
{
    static const uint32_t list[] = {'(',    '[',    '{',    0x3008, 0x300A, 0x300C,
                                    0x300E, 0x3010, 0x3014, 0x3016, 0x3018, 0x301A,
                                    0xFF08, 0xFF3B, 0xFF5B, 0x2018, 0x201C};
    for (size_t i = 0; i < sizeof(list) / sizeof(list[0]); i++)
        if (list[i] == cp)
            return true;
    return false;
}

bool tw_uc_break_pair(uint32_t a, uint32_t b)
{
    if (a == ' ' || b == ' ')
        return false;
    if (!is_cjk(a) && !is_cjk(b))
        return false;
    return !is_closing(b) && !is_opening(a);
}

bool tw_uc_break_between(const char *s, size_t len, size_t i)
{
    if (i == 0 || i >= len)
        return false;
    size_t step;
    size_t a_start = tw_uc_grapheme_start(s, len, i);
    return tw_uc_break_pair(tw_uc_decode(s, len, a_start, &step), tw_uc_decode(s, len, i, &step));
}

/* ---- scripts ---- */

static const struct {
    uint32_t lo, hi;
    tw_script script;
} script_table[] = {
    {0x0041, 0x005A, TW_SCRIPT_LATIN},      {0x0061, 0x007A, TW_SCRIPT_LATIN},
    {0x00AA, 0x00AA, TW_SCRIPT_LATIN},      {0x00BA, 0x00BA, TW_SCRIPT_LATIN},
    {0x00C0, 0x00D6, TW_SCRIPT_LATIN},      {0x00D8, 0x00F6, TW_SCRIPT_LATIN},
    {0x00F8, 0x02AF, TW_SCRIPT_LATIN},      {0x0370, 0x03FF, TW_SCRIPT_GREEK},
    {0x0400, 0x052F, TW_SCRIPT_CYRILLIC},   {0x0530, 0x058F, TW_SCRIPT_ARMENIAN},
    {0x0590, 0x05FF, TW_SCRIPT_HEBREW},     {0x0600, 0x06FF, TW_SCRIPT_ARABIC},
    {0x0750, 0x077F, TW_SCRIPT_ARABIC},     {0x0870, 0x08FF, TW_SCRIPT_ARABIC},
    {0x0900, 0x097F, TW_SCRIPT_DEVANAGARI}, {0x0980, 0x09FF, TW_SCRIPT_BENGALI},
    {0x0B80, 0x0BFF, TW_SCRIPT_TAMIL},      {0x0E00, 0x0E7F, TW_SCRIPT_THAI},
    {0x10A0, 0x10FF, TW_SCRIPT_GEORGIAN},   {0x1100, 0x11FF, TW_SCRIPT_HANGUL},
    {0x1200, 0x139F, TW_SCRIPT_ETHIOPIC},   {0x1C90, 0x1CBF, TW_SCRIPT_GEORGIAN},
    {0x1E00, 0x1EFF, TW_SCRIPT_LATIN},      {0x1F00, 0x1FFF, TW_SCRIPT_GREEK},
    {0x2C60, 0x2C7F, TW_SCRIPT_LATIN},      {0x2D00, 0x2D2F, TW_SCRIPT_GEORGIAN},
    {0x2D80, 0x2DDF, TW_SCRIPT_ETHIOPIC},   {0x2E80, 0x2FDF, TW_SCRIPT_HAN},
    {0x3005, 0x3007, TW_SCRIPT_HAN},        {0x3021, 0x3029, TW_SCRIPT_HAN},
    {0x3038, 0x303B, TW_SCRIPT_HAN},        {0x3040, 0x30FF, TW_SCRIPT_HAN},
    {0x3130, 0x318F, TW_SCRIPT_HANGUL},     {0x31F0, 0x31FF, TW_SCRIPT_HAN},
    {0x3400, 0x4DBF, TW_SCRIPT_HAN},        {0x4E00, 0x9FFF, TW_SCRIPT_HAN},
    {0xA720, 0xA7FF, TW_SCRIPT_LATIN},      {0xA960, 0xA97F, TW_SCRIPT_HANGUL},
    {0xAB30, 0xAB6F, TW_SCRIPT_LATIN},      {0xAC00, 0xD7FF, TW_SCRIPT_HANGUL},
    {0xF900, 0xFAFF, TW_SCRIPT_HAN},        {0xFB00, 0xFB06, TW_SCRIPT_LATIN},
    {0xFB1D, 0xFB4F, TW_SCRIPT_HEBREW},     {0xFB50, 0xFDFF, TW_SCRIPT_ARABIC},
    {0xFE70, 0xFEFF, TW_SCRIPT_ARABIC},     {0xFF21, 0xFF3A, TW_SCRIPT_LATIN},
    {0xFF41, 0xFF5A, TW_SCRIPT_LATIN},      {0xFF66, 0xFF9D, TW_SCRIPT_HAN},
    {0xFFA0, 0xFFDC, TW_SCRIPT_HANGUL},     {0x20000, 0x3FFFF, TW_SCRIPT_HAN},
};

tw_script tw_uc_script(uint32_t cp)
{
    size_t lo = 0, hi = sizeof(script_table) / sizeof(script_table[0]);
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cp < script_table[mid].lo)
            hi = mid;
        else if (cp > script_table[mid].hi)
            lo = mid + 1;
        else
            return script_table[mid].script;
    }
    return TW_SCRIPT_COMMON;
}

const char *tw_uc_script_name(tw_script s)
{
    static const char *const names[TW_SCRIPT_COUNT] = {
        [TW_SCRIPT_COMMON] = "Zyyy",   [TW_SCRIPT_LATIN] = "Latn",
        [TW_SCRIPT_GREEK] = "Grek",    [TW_SCRIPT_CYRILLIC] = "Cyrl",
        [TW_SCRIPT_ARMENIAN] = "Armn", [TW_SCRIPT_HEBREW] = "Hebr",
        [TW_SCRIPT_ARABIC] = "Arab",   [TW_SCRIPT_DEVANAGARI] = "Deva",
        [TW_SCRIPT_BENGALI] = "Beng",  [TW_SCRIPT_TAMIL] = "Taml",
        [TW_SCRIPT_THAI] = "Thai",     [TW_SCRIPT_GEORGIAN] = "Geor",
        [TW_SCRIPT_HANGUL] = "Hang",   [TW_SCRIPT_ETHIOPIC] = "Ethi",
        [TW_SCRIPT_HAN] = "Hani",
    };
    return (unsigned)s < TW_SCRIPT_COUNT ? names[s] : "Zyyy";
}

bool tw_uc_is_emoji_cluster(const char *s, size_t i, size_t end)
{
    size_t step;
    uint32_t first = tw_uc_decode(s, end, i, &step);
    if (IN(first, emoji_presentation_table))
        return true;
    bool pict =
        is_pictographic(first) || first == '#' || first == '*' || (first >= '0' && first <= '9');
    for (size_t j = i + step; j < end; j += step) {
        uint32_t cp = tw_uc_decode(s, end, j, &step);
        if (cp == 0xFE0E)
            return false; /* text presentation asked for */
        if (pict &&
            (cp == 0xFE0F || cp == 0x200D || cp == 0x20E3 || (cp >= 0x1F3FB && cp <= 0x1F3FF)))
            return true;
    }
    return false;
}

/* ---- bidi ---- */

enum { BC_L, BC_R, BC_AL, BC_EN, BC_AN, BC_ES, BC_ET, BC_CS, BC_NSM, BC_ON };

static int bidi_class(uint32_t cp)
{
    if (cp < 0x80) {
        if ((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z'))
            return BC_L;
        if (cp >= '0' && cp <= '9')
            return BC_EN;
        if (cp == '+' || cp == '-')
            return BC_ES;
        if (cp == '#' || cp == '$' || cp == '%')
            return BC_ET;
        if (cp == ',' || cp == '.' || cp == '/' || cp == ':')
            return BC_CS;
        return BC_ON;
    }
    if (tw_uc_is_extend(cp) && !(cp >= 0x1F3FB && cp <= 0x1F3FF))
        return BC_NSM;
    if (cp == 0x00B2 || cp == 0x00B3 || cp == 0x00B9 || (cp >= 0x06F0 && cp <= 0x06F9) ||
        (cp >= 0x2070 && cp <= 0x2079) || (cp >= 0x2080 && cp <= 0x2089) ||
        (cp >= 0xFF10 && cp <= 0xFF19))
        return BC_EN;
    if ((cp >= 0x0660 && cp <= 0x0669) || cp == 0x066B || cp == 0x066C)
        return BC_AN;
    if (cp == 0x00A2 || cp == 0x00A3 || cp == 0x00A4 || cp == 0x00A5 || cp == 0x00B0 ||
        cp == 0x00B1 || cp == 0x066A || (cp >= 0x2030 && cp <= 0x2034) ||
        (cp >= 0x20A0 && cp <= 0x20CF))
        return BC_ET;
    if (cp == 0x00A0 || cp == 0x060C || cp == 0x202F || cp == 0x2044 || cp == 0xFE50 ||
        cp == 0xFE52 || cp == 0xFE55 || cp == 0xFF0C || cp == 0xFF0E || cp == 0xFF1A)
        return BC_CS;
    if ((cp >= 0x0590 && cp <= 0x05FF) || (cp >= 0x07C0 && cp <= 0x085F) ||
        (cp >= 0xFB1D && cp <= 0xFB4F) || (cp >= 0x10800 && cp <= 0x10FFF) ||
        (cp >= 0x1E800 && cp <= 0x1EFFF))
        return BC_R;
    if ((cp >= 0x0600 && cp <= 0x07BF) || (cp >= 0x0860 && cp <= 0x08FF) ||
        (cp >= 0xFB50 && cp <= 0xFDCF) || (cp >= 0xFDF0 && cp <= 0xFDFF) ||
        (cp >= 0xFE70 && cp <= 0xFEFF))
        return BC_AL;
    /* Strong left-to-right: the letters of every other script here. */
    if ((cp >= 0x00C0 && cp <= 0x024F && cp != 0x00D7 && cp != 0x00F7) ||
        (cp >= 0x0250 && cp <= 0x02AF) || cp == 0x00AA || cp == 0x00B5 || cp == 0x00BA ||
        (cp >= 0x0370 && cp <= 0x058F) || (cp >= 0x0900 && cp <= 0x1FFF) ||
        (cp >= 0x2C00 && cp <= 0x2DFF) || (cp >= 0x3040 && cp <= 0x9FFF) ||
        (cp >= 0xA000 && cp <= 0xD7FF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
        (cp >= 0xFF21 && cp <= 0xFF3A) || (cp >= 0xFF41 && cp <= 0xFF5A) ||
        (cp >= 0xFF66 && cp <= 0xFFDC) || (cp >= 0x20000 && cp <= 0x3FFFF))
        return BC_L;
    return BC_ON;
}

bool tw_bidi_paragraph_rtl(const char *s, size_t len)
{
    size_t step;
    for (size_t i = 0; i < len; i += step) {
        int c = bidi_class(tw_uc_decode(s, len, i, &step));
        if (c == BC_L)
            return false;
        if (c == BC_R || c == BC_AL)
            return true;
    }
    return false;
}

/* Clusters of a line with their classes; lines are short (one line of a
 * card), so a fixed array serves and longer lines merge their tail. */
#define BIDI_MAX 512

typedef struct bidi_unit {
    size_t start, end;
    int cls, level;
} bidi_unit;

static int strong_dir(int cls) /* for N1: L, or R (numbers count as R) */
{
    if (cls == BC_L)
        return BC_L;
    if (cls == BC_R || cls == BC_AL || cls == BC_EN || cls == BC_AN)
        return BC_R;
    return -1;
}

size_t tw_bidi_runs(const char *s, size_t len, bool para_rtl, tw_bidi_run *runs, size_t max)
{
    if (!runs || max == 0)
        return 0;
    if (len == 0)
        return 0;
    static _Thread_local bidi_unit u[BIDI_MAX];
    size_t n = 0, step;
    for (size_t i = 0; i < len && n < BIDI_MAX;) {
        size_t e = tw_uc_grapheme_end(s, len, i);
        if (n == BIDI_MAX - 1)
            e = len;
        u[n].start = i;
        u[n].end = e;
        u[n].cls = bidi_class(tw_uc_decode(s, len, i, &step));
        n++;
        i = e;
    }
    int sos = para_rtl ? BC_R : BC_L;

    /* W1: a mark takes the class of what it follows. */
    for (size_t i = 0; i < n; i++)
        if (u[i].cls == BC_NSM)
            u[i].cls = i ? u[i - 1].cls : sos;
    /* W2: numbers after Arabic letters are Arabic numbers. W3: AL is R. */
    int last = sos;
    for (size_t i = 0; i < n; i++) {
        int c = u[i].cls;
        if (c == BC_L || c == BC_R || c == BC_AL)
            last = c;
        else if (c == BC_EN && last == BC_AL)
            u[i].cls = BC_AN;
    }
    for (size_t i = 0; i < n; i++)
        if (u[i].cls == BC_AL)
            u[i].cls = BC_R;
    /* W4: one separator between two numbers of a kind joins them. */
    for (size_t i = 1; i + 1 < n; i++) {
        int a = u[i - 1].cls, b = u[i + 1].cls, c = u[i].cls;
        if (c == BC_ES && a == BC_EN && b == BC_EN)
            u[i].cls = BC_EN;
        else if (c == BC_CS && a == b && (a == BC_EN || a == BC_AN))
            u[i].cls = a;
    }
    /* W5: terminators next to European numbers belong to them. */
    for (size_t i = 0; i < n; i++) {
        if (u[i].cls != BC_ET)
            continue;
        size_t j = i;
        while (j < n && u[j].cls == BC_ET)
            j++;
        bool en = (i > 0 && u[i - 1].cls == BC_EN) || (j < n && u[j].cls == BC_EN);
        for (size_t k = i; k < j; k++)
            u[k].cls = en ? BC_EN : BC_ON;
        i = j - 1;
    }
    /* W6: the remaining separators are neutral. W7: European numbers in
     * left-to-right text are left-to-right. */
    last = sos;
    for (size_t i = 0; i < n; i++) {
        int c = u[i].cls;
        if (c == BC_ES || c == BC_ET || c == BC_CS)
            u[i].cls = c = BC_ON;
        if (c == BC_L || c == BC_R)
            last = c;
        else if (c == BC_EN && last == BC_L)
            u[i].cls = BC_L;
    }
    /* N1, N2: neutrals between two of the same direction take it; the rest
     * take the paragraph's. */
    for (size_t i = 0; i < n; i++) {
        if (u[i].cls != BC_ON)
            continue;
        size_t j = i;
        while (j < n && u[j].cls == BC_ON)
            j++;
        int before = i > 0 ? strong_dir(u[i - 1].cls) : sos;
        int after = j < n ? strong_dir(u[j].cls) : sos;
        int dir = before == after ? before : sos;
        for (size_t k = i; k < j; k++)
            u[k].cls = dir == BC_L ? BC_L : BC_R;
        i = j - 1;
    }
    /* I1, I2: levels. */
    int base = para_rtl ? 1 : 0, top = base;
    for (size_t i = 0; i < n; i++) {
        int c = u[i].cls, lv = base;
        if (base == 0)
            lv = c == BC_R ? 1 : (c == BC_AN || c == BC_EN) ? 2 : 0;
        else
            lv = c == BC_L || c == BC_EN || c == BC_AN ? 2 : 1;
        u[i].level = lv;
        if (lv > top)
            top = lv;
    }
    /* Runs of one level, in logical order. */
    size_t nr = 0;
    int levels[BIDI_MAX];
    for (size_t i = 0; i < n; i++) {
        if (nr > 0 && levels[nr - 1] == u[i].level) {
            runs[nr - 1].len = u[i].end - runs[nr - 1].start;
            continue;
        }
        if (nr == max) { /* out of room: the tail joins the last run */
            runs[nr - 1].len = len - runs[nr - 1].start;
            break;
        }
        runs[nr].start = u[i].start;
        runs[nr].len = u[i].end - u[i].start;
        levels[nr] = u[i].level;
        nr++;
    }
    for (size_t i = 0; i < nr; i++)
        runs[i].rtl = levels[i] % 2;
    /* L2: from the highest level down to the lowest odd one, reverse every
     * sequence of runs at that level or above. */
    for (int lv = top; lv >= 1; lv--) {
        for (size_t i = 0; i < nr; i++) {
            if (levels[i] < lv)
                continue;
            size_t j = i;
            while (j < nr && levels[j] >= lv)
                j++;
            for (size_t a = i, b = j - 1; a < b; a++, b--) {
                tw_bidi_run t = runs[a];
                runs[a] = runs[b];
                runs[b] = t;
                int tl = levels[a];
                levels[a] = levels[b];
                levels[b] = tl;
            }
            i = j;
        }
    }
    return nr;
}
