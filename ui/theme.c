/* SPDX-License-Identifier: MIT */
/*
 * The three themes and the contrast maths. Colours were chosen for a wall
 * read from three metres, often at an angle and in daylight: the dark theme
 * for screens in dim team rooms (less glare, no white blast at 8 a.m.), the
 * light theme for bright rooms, the high-contrast theme for people who need
 * it and for screens with poor panels. Accents keep one meaning in every
 * theme: red blockers, amber questions, green wins, blue "on it".
 */
#include "theme.h"

#include <math.h>
#include <string.h>

#define RGB(hex)                                                                                   \
    {                                                                                              \
        (uint8_t)((hex) >> 16), (uint8_t)((hex) >> 8 & 0xFF), (uint8_t)((hex)&0xFF)                \
    }

static const tw_theme themes[] = {
    {
        .name = "dark",
        .ink =
            {
                [INK_TEXT] = RGB(0xE8EBF0),
                [INK_MUTED] = RGB(0x9CA5B3),
                [INK_BLOCKER] = RGB(0xFF6B6B),
                [INK_QUESTION] = RGB(0xF5B942),
                [INK_WIN] = RGB(0x4ACB8A),
                [INK_HELPING] = RGB(0x7DB7FF),
                [INK_GOOD] = RGB(0x4ACB8A),
                [INK_WARN] = RGB(0xF5B942),
                [INK_BAD] = RGB(0xFF6B6B),
                [INK_ON_WARN] = RGB(0x1C1400),
                [INK_ON_BAD] = RGB(0x1F0506),
                [INK_ON_INFO] = RGB(0x06152B),
                [INK_ON_BUTTON] = RGB(0xE8EBF0),
                [INK_ON_PRIMARY] = RGB(0x06152B),
            },
        .surface =
            {
                [SURF_BG] = RGB(0x0E1116),
                [SURF_HEADER] = RGB(0x161A21),
                [SURF_CARD] = RGB(0x1B2029),
                [SURF_WARN] = RGB(0xF5B942),
                [SURF_BAD] = RGB(0xFF6B6B),
                [SURF_INFO] = RGB(0x7DB7FF),
                [SURF_BUTTON] = RGB(0x2A3140),
                [SURF_PRIMARY] = RGB(0x7DB7FF),
            },
        .marks =
            {
                .rule = RGB(0x262C36),
                .card_border = RGB(0x1B2029),
                .scrim = RGB(0x05070A),
                .scrim_alpha = 200,
                .focus = RGB(0x7DB7FF),
                .track = RGB(0x262C36),
                .bar_hi = RGB(0xFF6B6B),
                .bar_lo = RGB(0x4ACB8A),
            },
    },
    {
        .name = "light",
        .ink =
            {
                [INK_TEXT] = RGB(0x14171C),
                [INK_MUTED] = RGB(0x505967),
                [INK_BLOCKER] = RGB(0xB42323),
                [INK_QUESTION] = RGB(0x8A5700),
                [INK_WIN] = RGB(0x16703F),
                [INK_HELPING] = RGB(0x1D5BB8),
                [INK_GOOD] = RGB(0x16703F),
                [INK_WARN] = RGB(0x8A5700),
                [INK_BAD] = RGB(0xB42323),
                [INK_ON_WARN] = RGB(0x1C1400),
                [INK_ON_BAD] = RGB(0xFFFFFF),
                [INK_ON_INFO] = RGB(0xFFFFFF),
                [INK_ON_BUTTON] = RGB(0x14171C),
                [INK_ON_PRIMARY] = RGB(0xFFFFFF),
            },
        .surface =
            {
                [SURF_BG] = RGB(0xECEFF3),
                [SURF_HEADER] = RGB(0xFFFFFF),
                [SURF_CARD] = RGB(0xFFFFFF),
                [SURF_WARN] = RGB(0xF5B942),
                [SURF_BAD] = RGB(0xB42323),
                [SURF_INFO] = RGB(0x1D5BB8),
                [SURF_BUTTON] = RGB(0xE3E7ED),
                [SURF_PRIMARY] = RGB(0x1D5BB8),
            },
        .marks =
            {
                .rule = RGB(0xD3D8DF),
                .card_border = RGB(0xD9DEE5),
                .scrim = RGB(0x1A1E24),
                .scrim_alpha = 150,
                .focus = RGB(0x1D5BB8),
                .track = RGB(0xE3E7ED),
                .bar_hi = RGB(0xD04545),
                .bar_lo = RGB(0x2E9A5E),
            },
    },
    {
        .name = "high-contrast",
        .ink =
            {
                [INK_TEXT] = RGB(0xFFFFFF),
                [INK_MUTED] = RGB(0xD6D6D6),
                [INK_BLOCKER] = RGB(0xFF8A8A),
                [INK_QUESTION] = RGB(0xFFD84D),
                [INK_WIN] = RGB(0x66F2A6),
                [INK_HELPING] = RGB(0x8FCDFF),
                [INK_GOOD] = RGB(0x66F2A6),
                [INK_WARN] = RGB(0xFFD84D),
                [INK_BAD] = RGB(0xFF8A8A),
                [INK_ON_WARN] = RGB(0x000000),
                [INK_ON_BAD] = RGB(0x000000),
                [INK_ON_INFO] = RGB(0x000000),
                [INK_ON_BUTTON] = RGB(0xFFFFFF),
                [INK_ON_PRIMARY] = RGB(0x000000),
            },
        .surface =
            {
                [SURF_BG] = RGB(0x000000),
                [SURF_HEADER] = RGB(0x000000),
                [SURF_CARD] = RGB(0x000000),
                [SURF_WARN] = RGB(0xFFD84D),
                [SURF_BAD] = RGB(0xFF8A8A),
                [SURF_INFO] = RGB(0x8FCDFF),
                [SURF_BUTTON] = RGB(0x1E1E1E),
                [SURF_PRIMARY] = RGB(0xFFFFFF),
            },
        .marks =
            {
                .rule = RGB(0x8C8C8C),
                .card_border = RGB(0xBDBDBD),
                .scrim = RGB(0x000000),
                .scrim_alpha = 220,
                .focus = RGB(0xFFFFFF),
                .track = RGB(0x3A3A3A),
                .bar_hi = RGB(0xFF8A8A),
                .bar_lo = RGB(0x66F2A6),
            },
    },
};

const tw_theme *tw_theme_get(const char *name)
{
    if (!name || !*name)
        return &themes[0];
    for (size_t i = 0; i < sizeof(themes) / sizeof(themes[0]); i++)
        if (strcmp(themes[i].name, name) == 0)
            return &themes[i];
    return NULL;
}

size_t tw_theme_count(void)
{
    return sizeof(themes) / sizeof(themes[0]);
}

const tw_theme *tw_theme_at(size_t i)
{
    return i < tw_theme_count() ? &themes[i] : NULL;
}

#define B(i) (1u << (i))
/* For each surface, the inks text may use on it. */
static const uint32_t allowed[SURF_COUNT] = {
    [SURF_BG] = B(INK_TEXT) | B(INK_MUTED) | B(INK_BLOCKER) | B(INK_QUESTION) | B(INK_WIN) |
                B(INK_GOOD) | B(INK_WARN) | B(INK_BAD) | B(INK_HELPING),
    [SURF_HEADER] = B(INK_TEXT) | B(INK_MUTED) | B(INK_BLOCKER) | B(INK_QUESTION) | B(INK_WIN) |
                    B(INK_GOOD) | B(INK_WARN) | B(INK_BAD) | B(INK_HELPING),
    [SURF_CARD] = B(INK_TEXT) | B(INK_MUTED) | B(INK_BLOCKER) | B(INK_QUESTION) | B(INK_WIN) |
                  B(INK_GOOD) | B(INK_WARN) | B(INK_BAD) | B(INK_HELPING),
    [SURF_WARN] = B(INK_ON_WARN),
    [SURF_BAD] = B(INK_ON_BAD),
    [SURF_INFO] = B(INK_ON_INFO),
    [SURF_BUTTON] = B(INK_ON_BUTTON),
    [SURF_PRIMARY] = B(INK_ON_PRIMARY),
};

bool tw_theme_pair_allowed(tw_ink ink, tw_surface surface)
{
    if ((unsigned)ink >= INK_COUNT || (unsigned)surface >= SURF_COUNT)
        return false;
    return allowed[surface] & B(ink);
}

static double channel(uint8_t v)
{
    double c = v / 255.0;
    return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

double tw_luminance(tw_rgb c)
{
    return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
}

double tw_contrast(tw_rgb a, tw_rgb b)
{
    double la = tw_luminance(a), lb = tw_luminance(b);
    if (la < lb) {
        double t = la;
        la = lb;
        lb = t;
    }
    return (la + 0.05) / (lb + 0.05);
}

tw_rgb tw_rgb_mix(tw_rgb a, tw_rgb b, int t)
{
    if (t < 0)
        t = 0;
    if (t > 255)
        t = 255;
    tw_rgb c = {(uint8_t)((a.r * (255 - t) + b.r * t + 127) / 255),
                (uint8_t)((a.g * (255 - t) + b.g * t + 127) / 255),
                (uint8_t)((a.b * (255 - t) + b.b * t + 127) / 255)};
    return c;
}

const char *tw_ink_name(tw_ink ink)
{
    static const char *const names[INK_COUNT] = {
        "text", "muted", "blocker", "question", "win",     "helping",   "good",
        "warn", "bad",   "on-warn", "on-bad",   "on-info", "on-button", "on-primary",
    };
    return (unsigned)ink < INK_COUNT ? names[ink] : "?";
}

const char *tw_surface_name(tw_surface s)
{
    static const char *const names[SURF_COUNT] = {
        "background", "header", "card", "warn", "bad", "info", "button", "primary",
    };
    return (unsigned)s < SURF_COUNT ? names[s] : "?";
}
