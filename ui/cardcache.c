/* SPDX-License-Identifier: MIT */
/*
 * The card cache: a short array of entries (a frame shows a few dozen
 * cards at most), each a key, an opaque target texture and the text
 * textures drawn into it. Lookups compare a hash, then the key's bytes, so
 * two keys are the same card only when every byte is. Every lookup stamps
 * the entry and its text with the frame; tw_cardcache_sweep() frees the
 * entries the frame did not stamp. The hashes of what a frame asked to
 * compose for the first time are kept for one frame (two small arrays,
 * swapped at each sweep): a region is composed when the frame after it
 * asks for it again.
 */
#define LOG_MODULE "cards"
#include "cardcache.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "util.h"

typedef struct entry {
    uint64_t hash, used;
    void *key;
    size_t len;
    tw_card card;
    size_t bytes;
    const tw_text_tex **text; /* kept alive with the card */
    size_t n_text, text_cap;
} entry;

struct tw_cardcache {
    SDL_Renderer *r;
    tw_textcache *text;
    Uint32 format;
    bool targets; /* the renderer can draw into textures */
    entry **e;
    size_t n, cap;
    uint64_t frame, composed;
    size_t bytes, budget; /* held; at most (0: no limit) */
    entry *open;          /* being composed */
    /* Regions asked for and drawn directly, this frame (seen[cur]) and the
     * last (seen[!cur]): hashes, a collision only composes one early. */
    uint64_t *seen[2];
    size_t n_seen[2], seen_cap[2];
    int cur;
    bool compose_after_one;
    SDL_Texture *restore; /* the render target before it */
    unsigned failures;    /* logged, a few times */
};

static uint64_t hash_key(const void *key, size_t len, int w, int h)
{
    uint64_t x = 0xcbf29ce484222325ULL; /* FNV-1a */
    const unsigned char *p = key;
    for (size_t i = 0; i < len; i++)
        x = (x ^ p[i]) * 0x100000001b3ULL;
    x = (x ^ (uint32_t)w) * 0x100000001b3ULL;
    return (x ^ (uint32_t)h) * 0x100000001b3ULL;
}

tw_cardcache *tw_cardcache_create(SDL_Renderer *r, tw_textcache *text, Uint32 format)
{
    tw_cardcache *cc = tw_xcalloc(1, sizeof(*cc));
    cc->r = r;
    cc->text = text;
    cc->format = format ? format : SDL_PIXELFORMAT_ARGB8888;
    cc->compose_after_one = true;
    SDL_RendererInfo info;
    cc->targets =
        r && SDL_GetRendererInfo(r, &info) == 0 && (info.flags & SDL_RENDERER_TARGETTEXTURE);
    if (!cc->targets)
        log_warn("the renderer cannot draw into textures: cards are drawn every frame");
    return cc;
}

static void entry_free(tw_cardcache *cc, entry *e)
{
    if (e->card.tex)
        SDL_DestroyTexture(e->card.tex);
    cc->bytes -= e->bytes;
    free(e->key);
    free(e->text);
    free(e);
}

void tw_cardcache_flush(tw_cardcache *cc)
{
    if (!cc)
        return;
    for (size_t i = 0; i < cc->n; i++)
        entry_free(cc, cc->e[i]);
    cc->n = 0;
}

void tw_cardcache_destroy(tw_cardcache *cc)
{
    if (!cc)
        return;
    if (cc->open)
        tw_cardcache_end(cc);
    tw_cardcache_flush(cc);
    free(cc->e);
    free(cc->seen[0]);
    free(cc->seen[1]);
    free(cc);
}

const tw_card *tw_cardcache_find(tw_cardcache *cc, const void *key, size_t len, int w, int h)
{
    if (!cc || !key)
        return NULL;
    uint64_t hash = hash_key(key, len, w, h);
    for (size_t i = 0; i < cc->n; i++) {
        entry *e = cc->e[i];
        if (e->hash != hash || e->len != len || e->card.w != w || e->card.h != h ||
            memcmp(e->key, key, len) != 0)
            continue;
        e->used = cc->frame;
        for (size_t j = 0; j < e->n_text; j++)
            tw_textcache_keep(cc->text, e->text[j]);
        return &e->card;
    }
    return NULL;
}

/* Free entries this frame has not used yet (the oldest frames' first) until
 * need more bytes fit the budget; false when they cannot. An entry freed
 * here that the frame still shows is composed again or drawn directly:
 * correct either way, as its key says everything it shows. */
static bool make_room(tw_cardcache *cc, size_t need)
{
    while (cc->bytes + need > cc->budget) {
        size_t victim = SIZE_MAX;
        for (size_t i = 0; i < cc->n; i++)
            if (cc->e[i]->used != cc->frame && cc->e[i] != cc->open &&
                (victim == SIZE_MAX || cc->e[i]->used < cc->e[victim]->used))
                victim = i;
        if (victim == SIZE_MAX)
            return false;
        entry_free(cc, cc->e[victim]);
        cc->e[victim] = cc->e[--cc->n];
    }
    return true;
}

/* Whether the last frame asked for hash and drew it directly; remembers
 * it for this frame's successor either way. */
static bool seen_before(tw_cardcache *cc, uint64_t hash)
{
    const uint64_t *last = cc->seen[!cc->cur];
    for (size_t i = 0; i < cc->n_seen[!cc->cur]; i++)
        if (last[i] == hash)
            return true;
    int c = cc->cur;
    if (cc->n_seen[c] == cc->seen_cap[c]) {
        cc->seen_cap[c] = cc->seen_cap[c] ? cc->seen_cap[c] * 2 : 64;
        cc->seen[c] = tw_xrealloc(cc->seen[c], cc->seen_cap[c] * sizeof(*cc->seen[c]));
    }
    cc->seen[c][cc->n_seen[c]++] = hash;
    return false;
}

void tw_cardcache_release(tw_cardcache *cc)
{
    if (!cc || cc->open)
        return;
    tw_cardcache_flush(cc);
    cc->n_seen[0] = cc->n_seen[1] = 0;
    for (int i = 0; i < 2; i++) {
        free(cc->seen[i]);
        cc->seen[i] = NULL;
        cc->seen_cap[i] = 0;
    }
}

void tw_cardcache_set_second_sight(tw_cardcache *cc, bool on)
{
    if (cc)
        cc->compose_after_one = on;
}

void tw_cardcache_set_budget(tw_cardcache *cc, size_t bytes)
{
    if (cc)
        cc->budget = bytes;
}

const tw_card *tw_cardcache_begin(tw_cardcache *cc, const void *key, size_t len, int w, int h,
                                  bool lines)
{
    if (!cc || !key || !cc->targets || cc->open || w <= 0 || h <= 0)
        return NULL;
    /* Shown once (a flood's frame, a pulse's step, the one frame an idle
     * board draws a minute) costs less drawn than composed and copied. */
    if (cc->compose_after_one && !seen_before(cc, hash_key(key, len, w, h)))
        return NULL;
    /* Off whole lines, an odd width: rows that are not a multiple of 16
     * bytes are copied with memcpy, which handles a cut line in the cache
     * (twice as fast here as the non-temporal copy). */
    int tw = lines ? w : w | 1;
    size_t need = (size_t)tw * (size_t)h * 4;
    if (cc->budget && cc->bytes + need > cc->budget && !make_room(cc, need))
        return NULL; /* over the budget: this one is drawn straight onto the screen */
    SDL_Texture *t = SDL_CreateTexture(cc->r, cc->format, SDL_TEXTUREACCESS_TARGET, tw, h);
    if (!t) {
        if (cc->failures++ < 3)
            log_warn("cannot make a %dx%d card texture: %s", w, h, SDL_GetError());
        return NULL;
    }
    SDL_SetTextureBlendMode(t, SDL_BLENDMODE_NONE);
    SDL_Texture *prev = SDL_GetRenderTarget(cc->r);
    if (SDL_SetRenderTarget(cc->r, t) != 0) {
        if (cc->failures++ < 3)
            log_warn("cannot draw into a card texture: %s", SDL_GetError());
        SDL_DestroyTexture(t);
        return NULL;
    }
    entry *e = tw_xcalloc(1, sizeof(*e));
    e->hash = hash_key(key, len, w, h);
    e->used = cc->frame;
    e->key = tw_xmalloc(len ? len : 1);
    memcpy(e->key, key, len);
    e->len = len;
    e->card = (tw_card){t, w, h};
    e->bytes = (size_t)tw * (size_t)h * 4;
    cc->bytes += e->bytes;
    if (cc->n == cc->cap) {
        cc->cap = cc->cap ? cc->cap * 2 : 32;
        cc->e = tw_xrealloc(cc->e, cc->cap * sizeof(*cc->e));
    }
    cc->e[cc->n++] = e;
    cc->open = e;
    cc->restore = prev;
    cc->composed++;
    return &e->card;
}

void tw_cardcache_text(tw_cardcache *cc, const tw_text_tex *t)
{
    if (!cc || !cc->open || !t)
        return;
    entry *e = cc->open;
    for (size_t j = 0; j < e->n_text; j++)
        if (e->text[j] == t)
            return;
    if (e->n_text == e->text_cap) {
        e->text_cap = e->text_cap ? e->text_cap * 2 : 16;
        e->text = tw_xrealloc(e->text, e->text_cap * sizeof(*e->text));
    }
    e->text[e->n_text++] = t;
}

void tw_cardcache_end(tw_cardcache *cc)
{
    if (!cc || !cc->open)
        return;
    SDL_SetRenderTarget(cc->r, cc->restore);
    cc->open = NULL;
    cc->restore = NULL;
}

void tw_cardcache_sweep(tw_cardcache *cc)
{
    if (!cc)
        return;
    size_t k = 0;
    for (size_t i = 0; i < cc->n; i++) {
        if (cc->e[i]->used == cc->frame)
            cc->e[k++] = cc->e[i];
        else
            entry_free(cc, cc->e[i]);
    }
    cc->n = k;
    cc->frame++;
    cc->cur = !cc->cur;
    cc->n_seen[cc->cur] = 0;
}

void tw_cardcache_get_stats(const tw_cardcache *cc, tw_cardcache_stats *out)
{
    memset(out, 0, sizeof(*out));
    if (!cc)
        return;
    out->composed = cc->composed;
    out->entries = cc->n;
    out->bytes = cc->bytes;
}
