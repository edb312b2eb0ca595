/* SPDX-License-Identifier: MIT */
/*
 * Fonts for every script: the bundled Inter first, then a fallback chain
 * found through fontconfig (Noto Color Emoji, Noto Sans CJK, Noto Sans
 * Arabic, Hebrew, Devanagari, ..., DejaVu Sans, then any installed font
 * that has a missing character). A string is cut into pieces by direction
 * (unicode.h's bidi), by the face that has each grapheme cluster and by
 * script; each piece is shaped by SDL_ttf's HarfBuzz with its direction and
 * script set, and the pieces are put side by side on one surface. Colour
 * emoji (bitmap strikes) are scaled to the text size.
 *
 * Roles are the screen's text styles (card text, meta, header, ...): each
 * has a weight and a pixel size and owns the sized faces it has used.
 */
#ifndef TW_UI_FONTS_H
#define TW_UI_FONTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <SDL.h>

#define TW_FONT_ROLES 16

typedef struct tw_fonts tw_fonts;

/* Open the bundled Inter-Regular.otf and Inter-SemiBold.otf from dir
 * (borrowed for the call). Fallbacks are looked up on first need.
 * Returns 0 or TW_ERR_IO (logged). */
int tw_fonts_create(const char *dir, tw_fonts **out);
/* NULL is a no-op. */
void tw_fonts_destroy(tw_fonts *f);

/* Define role (0..TW_FONT_ROLES-1): bold (Inter SemiBold and the bold
 * fallbacks) or regular, at px pixels. Returns 0 or TW_ERR_IO. */
int tw_fonts_set_role(tw_fonts *f, int role, bool bold, int px);

/* Metrics of a role's primary face, in pixels. */
typedef struct tw_font_metrics {
    int px, ascent, descent, height, skip;
} tw_font_metrics;
void tw_fonts_metrics(const tw_fonts *f, int role, tw_font_metrics *out);

/* Width in pixels of len bytes of s, laid out as a line of a paragraph
 * whose direction is rtl. */
int tw_fonts_measure(tw_fonts *f, int role, const char *s, size_t len, bool rtl);

/*
 * Rasterise len bytes of s as one line in colour c: an ARGB8888 surface the
 * caller frees, NULL for empty text or failure. The line's baseline sits at
 * *oy + ascent of the role (faces taller than the primary one grow the
 * surface upwards, rows with no ink are cropped), so the caller draws it at
 * y - *oy. With bg opaque (alpha 255) the text is laid onto bg and the
 * surface is opaque: drawing it is a copy, not a per-pixel blend (the
 * screen knows what every text is drawn on). With bg.a 0 it keeps its alpha.
 */
SDL_Surface *tw_fonts_render(tw_fonts *f, int role, SDL_Color c, SDL_Color bg, const char *s,
                             size_t len, bool rtl, int *oy);

typedef struct tw_fonts_stats {
    uint64_t renders;  /* TTF_Render* calls: glyph rasterisation */
    uint64_t measures; /* TTF_Size* calls */
    int faces;         /* faces in the chain (bundled + found) */
    int open;          /* fonts open (a role's face at its size, opened when drawn) */
    bool fallbacks;    /* fontconfig was consulted */
} tw_fonts_stats;
void tw_fonts_get_stats(const tw_fonts *f, tw_fonts_stats *out);

/* The file behind the face that draws code point cp in role (for tests and
 * the log): "Inter-Regular.otf", "NotoColorEmoji.ttf", ...; NULL if none. */
const char *tw_fonts_face_for(tw_fonts *f, int role, uint32_t cp);

#endif
