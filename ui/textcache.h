/* SPDX-License-Identifier: MIT */
/*
 * Text for the screen, rasterised once. The cache maps (font role, colour,
 * direction, UTF-8 string) to an SDL_Texture and its size, and (role, width,
 * line limit, string) to the result of word wrapping, so a frame whose text
 * did not change neither rasterises nor measures anything. Entries not used
 * for a few frames are swept at the end of each frame, which keeps memory
 * bounded by what the screen recently showed. The wrapping rule itself is a
 * pure function over a measuring callback so it is tested without SDL.
 * Rasterising and measuring go through the font chain (ui/fonts.h).
 */
#ifndef TW_UI_TEXTCACHE_H
#define TW_UI_TEXTCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <SDL.h>

#include "fonts.h"

#define TW_WRAP_MAX_LINES 8
#define TW_ELLIPSIS       "\xe2\x80\xa6" /* U+2026 */

/* Width in pixels of len bytes of s (not necessarily terminated). */
typedef int (*tw_measure_fn)(void *ctx, const char *s, size_t len);

/* Lines of a wrapped string: byte ranges of the original. When ellipsis is
 * set, the last line is shown as its range followed by TW_ELLIPSIS. */
typedef struct tw_wrap {
    int n;
    size_t start[TW_WRAP_MAX_LINES];
    size_t len[TW_WRAP_MAX_LINES];
    bool ellipsis;
    bool rtl; /* the paragraph runs right to left (align lines right) */
} tw_wrap;

/*
 * Wrap s into at most max_lines (1..TW_WRAP_MAX_LINES) lines no wider than
 * max_w: break at spaces and between CJK ideographs, inside a word only when
 * the word alone is wider than a line, and never inside a grapheme cluster
 * (an accented letter, an emoji sequence, a flag). Text that does not fit
 * ends in an ellipsis on the last line, which drops whole words first, then
 * whole clusters. Runs of spaces at line breaks are dropped. A line always
 * holds at least one cluster, even if narrower lines are impossible. Pure:
 * only calls measure. Sets out->rtl from the paragraph's first strong
 * character.
 */
void tw_text_wrap(const char *s, int max_w, int max_lines, tw_measure_fn measure, void *ctx,
                  tw_wrap *out);

/* Byte length of the UTF-8 sequence starting at s (1 for a stray byte, 0 at
 * the terminator), clipped to the bytes before the terminator. */
size_t tw_utf8_step(const char *s);

typedef struct tw_textcache tw_textcache;

/* A rasterised string. Borrowed from the cache: valid until the next
 * tw_textcache_sweep() or tw_textcache_flush_font(). Draw it at y - oy:
 * oy is how far faces taller than the role's own reach above its line. */
typedef struct tw_text_tex {
    SDL_Texture *tex;
    int w, h, oy;
} tw_text_tex;

/* Cache for renderer r and fonts (both borrowed; must outlive the cache).
 * Entries unused for more than keep_frames sweeps are evicted. */
tw_textcache *tw_textcache_create(SDL_Renderer *r, tw_fonts *fonts, unsigned keep_frames);
/* Frees every texture. NULL is a no-op. */
void tw_textcache_destroy(tw_textcache *tc);

/* Opaque text textures are made in this pixel format (the window's), so
 * drawing them is a plain copy with no per-pixel conversion. */
void tw_textcache_set_format(tw_textcache *tc, Uint32 format);

/* Drop every entry made with role id (after its size changed). */
void tw_textcache_flush_font(tw_textcache *tc, int id);

/* The texture of len bytes of s in role id and colour c on background bg,
 * laid out as a line of a paragraph with direction rtl; rasterised on first
 * use. An opaque bg makes an opaque texture, drawn by copying (the colour
 * must be what is under the text); bg.a 0 keeps alpha. NULL for empty text
 * or failure. */
const tw_text_tex *tw_textcache_text(tw_textcache *tc, int id, SDL_Color c, SDL_Color bg,
                                     const char *s, size_t len, bool rtl);
/* Same for a terminated string, direction from its own first strong character. */
const tw_text_tex *tw_textcache_str(tw_textcache *tc, int id, SDL_Color c, SDL_Color bg,
                                    const char *s);

/* tw_text_wrap() of s in role id, measured through the fonts, cached.
 * Borrowed like tw_textcache_text(). */
const tw_wrap *tw_textcache_wrap(tw_textcache *tc, int id, const char *s, int max_w, int max_lines);

/* The texture of line i of wr (a wrap of s), with the ellipsis on a cut last line. */
const tw_text_tex *tw_textcache_line(tw_textcache *tc, int id, SDL_Color c, SDL_Color bg,
                                     const char *s, const tw_wrap *wr, int i);

/* One line of s, cut with an ellipsis to max_w. */
const tw_text_tex *tw_textcache_fit(tw_textcache *tc, int id, SDL_Color c, SDL_Color bg,
                                    const char *s, int max_w);

/* Mark t (a texture this cache returned) as used in this frame, as a lookup
 * would, without one: what was drawn into a composed card (ui/cardcache.h)
 * stays as long as the card, so composing it again rasterises nothing. t
 * must still be valid: returned or kept since the last sweep. */
void tw_textcache_keep(tw_textcache *tc, const tw_text_tex *t);

/* End of a frame: evict what the last keep_frames frames did not use. */
void tw_textcache_sweep(tw_textcache *tc);

/* Evict what the last frame did not use, now (between frames: a board gone
 * quiet). The sweep keeps a text keep_frames frames after the screen last
 * showed it, so that a card that moves or blinks does not rasterise again;
 * but an idle board draws no frame for minutes, and the texts of the cards a
 * flood showed just before it went quiet would stay that long (R6: about
 * 1 MB after a wave of posts and resolves, at rest or not by where its last
 * frames fell). What the screen shows stays: the next frame rasterises
 * nothing. */
void tw_textcache_trim(tw_textcache *tc);

typedef struct tw_textcache_stats {
    uint64_t renders;  /* strings rasterised (cache misses) */
    uint64_t measures; /* strings measured */
    size_t entries;    /* textures and wraps held */
    size_t textures;   /* of which textures */
    size_t bytes;      /* the textures' pixels */
} tw_textcache_stats;

void tw_textcache_get_stats(const tw_textcache *tc, tw_textcache_stats *out);

#endif
