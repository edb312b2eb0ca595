/* SPDX-License-Identifier: MIT */
/*
 * The wall's colours: three themes (dark, light, high-contrast) as tables of
 * inks (what text and marks are drawn in) and surfaces (what they are drawn
 * on), the list of ink-on-surface pairs the screen may use for text, and the
 * WCAG 2 contrast maths that proves each pair reads (>= 4.5:1). Pure: no SDL.
 *
 * The renderer draws text only as an (ink, surface) pair and records which
 * pairs it used; tests check that every used pair is an allowed one and that
 * every allowed pair has the contrast.
 */
#ifndef TW_THEME_H
#define TW_THEME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct tw_rgb {
    uint8_t r, g, b;
} tw_rgb;

/* Colours text and marks are drawn in. */
typedef enum {
    INK_TEXT,     /* card text, titles, clock */
    INK_MUTED,    /* author, ref, labels */
    INK_BLOCKER,  /* kind accents: counts, rules, markers */
    INK_QUESTION, /* */
    INK_WIN,      /* */
    INK_HELPING,  /* "Ben is on it" */
    INK_GOOD,     /* live, a faster trend, cleared bars */
    INK_WARN,     /* escalated blocker age, connecting */
    INK_BAD,      /* critical blocker age, offline, a slower trend */
    INK_ON_WARN,  /* text on a warn pill or banner */
    INK_ON_BAD,   /* text on a bad pill or banner */
    INK_ON_INFO,  /* text on an info banner */
    INK_ON_BUTTON,
    INK_ON_PRIMARY, /* text on the primary (focused) button */
    INK_COUNT
} tw_ink;

/* Colours things are drawn on. */
typedef enum {
    SURF_BG,      /* the wall */
    SURF_HEADER,  /* the header bar and the figures strip */
    SURF_CARD,    /* a card, the detail panel */
    SURF_WARN,    /* pill and banner backgrounds */
    SURF_BAD,     /* */
    SURF_INFO,    /* */
    SURF_BUTTON,  /* */
    SURF_PRIMARY, /* the focused button */
    SURF_COUNT
} tw_surface;

/* Shapes with no text of their own. */
typedef struct tw_theme_marks {
    tw_rgb rule;        /* hairlines */
    tw_rgb card_border; /* high-contrast: cards get an outline; else = card */
    tw_rgb scrim;       /* behind the detail view (drawn at scrim_alpha) */
    uint8_t scrim_alpha;
    tw_rgb focus;  /* keyboard focus ring */
    tw_rgb track;  /* empty part of a bar */
    tw_rgb bar_hi; /* opened-blockers bars */
    tw_rgb bar_lo; /* cleared-blockers bars */
} tw_theme_marks;

typedef struct tw_theme {
    const char *name;
    tw_rgb ink[INK_COUNT];
    tw_rgb surface[SURF_COUNT];
    tw_theme_marks marks;
} tw_theme;

/* "dark", "light", "high-contrast"; NULL for an unknown name. */
const tw_theme *tw_theme_get(const char *name);
/* The themes, for tests: count and each. */
size_t tw_theme_count(void);
const tw_theme *tw_theme_at(size_t i);

/* May text in ink be drawn on surface? (The pairs the screen uses.) */
bool tw_theme_pair_allowed(tw_ink ink, tw_surface surface);

/* WCAG 2 relative luminance (0..1) and contrast ratio (1..21). */
double tw_luminance(tw_rgb c);
double tw_contrast(tw_rgb a, tw_rgb b);

/* a mixed with b: t = 0 gives a, 255 gives b. */
tw_rgb tw_rgb_mix(tw_rgb a, tw_rgb b, int t);

/* Names for messages: "text", "card", ... */
const char *tw_ink_name(tw_ink ink);
const char *tw_surface_name(tw_surface s);

#endif
