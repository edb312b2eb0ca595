/* SPDX-License-Identifier: MIT */
/*
 * Composed cards: parts of the screen that change rarely (a card, the
 * figures strip) drawn once into an opaque texture of their own and put
 * on screen with one copy per frame, instead of being drawn again from their
 * rounded rectangles, text and icons every frame. An entry is keyed by bytes
 * that say everything it shows (the caller builds them: text, age label,
 * colours, rings, size), so a change in any of them composes a new one and
 * the screen is never stale. Entries not used in a frame are freed at its
 * end: the cache holds what the last frame showed, no more.
 *
 * The text a card was composed from is kept alive with it (through
 * tw_textcache_keep()), so composing it again (a focus ring, a new age)
 * rasterises only the text that changed.
 *
 * A region is composed the second frame in a row that shows it unchanged:
 * the first draws it straight onto the screen (a flood's frames, a pulse's
 * steps and an idle board's one frame a minute show each card once, and
 * drawing it costs less than composing and copying it). When the board
 * goes quiet, tw_cardcache_release() frees every composed texture: the
 * screen keeps the picture, the text cache keeps the text, and the next
 * frame draws from those (P4: 5.9 MB at 1920x1080 not held while idle).
 */
#ifndef TW_UI_CARDCACHE_H
#define TW_UI_CARDCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <SDL.h>

#include "textcache.h"

typedef struct tw_cardcache tw_cardcache;

/* A composed card: draw the rect (0, 0, w, h) of tex with a plain copy (its
 * blend mode is none). Borrowed from the cache: valid until the next
 * tw_cardcache_sweep() or tw_cardcache_flush(). */
typedef struct tw_card {
    SDL_Texture *tex;
    int w, h;
} tw_card;

/* Cache for renderer r (borrowed) keeping text of text (borrowed) alive;
 * textures in pixel format (the window's on the software renderer, where a
 * copy in the same format is a row copy). Both must outlive the cache. */
tw_cardcache *tw_cardcache_create(SDL_Renderer *r, tw_textcache *text, Uint32 format);
/* Frees every texture. NULL is a no-op. */
void tw_cardcache_destroy(tw_cardcache *cc);

/* Hold at most bytes of composed textures (0: no limit, the default). A
 * card that does not fit, once the entries this frame has not used are
 * freed, is not composed: tw_cardcache_begin() returns NULL and the caller
 * draws it directly. Bounds the cache on a large screen (3840x2160). */
void tw_cardcache_set_budget(tw_cardcache *cc, size_t bytes);

/* Free every entry (the output size or the fonts changed). */
void tw_cardcache_flush(tw_cardcache *cc);

/* The board is quiet: free every entry and forget what was seen, so the
 * next frame draws directly and composes nothing until the one after. The
 * text the entries kept stays in the text cache until its next sweep, so
 * that frame rasterises nothing new. No-op while a card is being composed. */
void tw_cardcache_release(tw_cardcache *cc);

/* Compose a region only when the frame before showed it too (on, the
 * default), or at its first frame (off). */
void tw_cardcache_set_second_sight(tw_cardcache *cc, bool on);

/* The card for key (len bytes) of size w x h, marked used in this frame, with
 * the text it was composed from; NULL when there is none. */
const tw_card *tw_cardcache_find(tw_cardcache *cc, const void *key, size_t len, int w, int h);

/*
 * Start composing the card for key (copied) of size w x h: its texture
 * becomes the render target (the previous one is restored by
 * tw_cardcache_end()) and the caller draws every pixel of it. NULL when no
 * texture can be made (no target textures): then draw directly on screen.
 * Only one card is composed at a time. NULL too, with second sight on, the
 * first frame a region is asked for (it is remembered for the next).
 *
 * lines: the card goes onto whole cache lines of the screen (its x and w
 * multiples of 64 bytes of pixels). The software renderer copies rows of a
 * multiple of 16 bytes with non-temporal stores: fast on whole lines, a
 * memory round trip for each line they cut. So with lines the texture's
 * rows are exactly w pixels; without, a pixel wider, which makes SDL copy
 * them with memcpy.
 */
const tw_card *tw_cardcache_begin(tw_cardcache *cc, const void *key, size_t len, int w, int h,
                                  bool lines);
/* While composing: t is drawn into the card, keep it as long as the card. */
void tw_cardcache_text(tw_cardcache *cc, const tw_text_tex *t);
/* Composing done: the previous render target again. */
void tw_cardcache_end(tw_cardcache *cc);

/* End of a frame: free the cards it did not use. Call before the text
 * cache's sweep, so no card outlives the text it keeps. */
void tw_cardcache_sweep(tw_cardcache *cc);

typedef struct tw_cardcache_stats {
    uint64_t composed; /* cards composed so far */
    size_t entries;    /* cards held */
    size_t bytes;      /* their pixels */
} tw_cardcache_stats;

void tw_cardcache_get_stats(const tw_cardcache *cc, tw_cardcache_stats *out);

#endif
