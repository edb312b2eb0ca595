/* SPDX-License-Identifier: MIT */
/*
 * The text cache: one chained hash table holding two kinds of entries,
 * rasterised strings (font, colour, bytes -> texture) and wrap results
 * (font, width, line limit, bytes -> line ranges). Every lookup stamps the
 * entry with the current frame; tw_textcache_sweep() ends the frame and frees
 * what was not stamped recently (mark and sweep). Entries are allocated one
 * by one, so pointers handed out stay valid while the table grows.
 */
#define LOG_MODULE "text"
#include "textcache.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "util.h"

#define FONT_MAX 16

/* ---- UTF-8 and wrapping (pure) ---- */

static bool is_cont(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

size_t tw_utf8_step(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n;

    if (u[0] == 0)
        return 0;
    if (u[0] < 0x80)
        return 1;
    if (u[0] >= 0xC2 && u[0] <= 0xDF)
        n = 2;
    else if (u[0] >= 0xE0 && u[0] <= 0xEF)
        n = 3;
    else if (u[0] >= 0xF0 && u[0] <= 0xF4)
        n = 4;
    else
        return 1;
    /* A truncated sequence is stepped over byte by byte: never read past the
     * terminator, never leave the continuation bytes to start a "line". */
    for (size_t i = 1; i < n; i++)
        if (!is_cont(u[i]))
            return 1;
    return n;
}

/* Start of the code point that ends just before s + end (end > 0). */
static size_t utf8_back(const char *s, size_t end)
{
    size_t i = end - 1;
    while (i > 0 && is_cont((unsigned char)s[i]) && end - i < 4)
        i--;
    return i;
}

static size_t skip_spaces(const char *s, size_t i, size_t n)
{
    while (i < n && s[i] == ' ')
        i++;
    return i;
}

static size_t trim_end(const char *s, size_t start, size_t end)
{
    while (end > start && s[end - 1] == ' ')
        end--;
    return end;
}

/* End (exclusive) of the longest line starting at pos that fits max_w:
 * whole words if at least one fits, otherwise as many code points of the
 * first word as fit (at least one). */
static size_t fit_line(const char *s, size_t pos, size_t n, int max_w, tw_measure_fn measure,
                       void *ctx)
{
    size_t best = pos, i = pos;

    while (i < n) {
        size_t j = i;
        while (j < n && s[j] != ' ')
            j++;
        if (measure(ctx, s + pos, j - pos) > max_w)
            break;
        best = j;
        i = skip_spaces(s, j, n);
    }
    if (best > pos)
        return best;

    size_t e = pos + tw_utf8_step(s + pos);
    while (e < n && s[e] != ' ') {
        size_t e2 = e + tw_utf8_step(s + e);
        if (measure(ctx, s + pos, e2 - pos) > max_w)
            break;
        e = e2;
    }
    return e;
}

/* Shorten the line [start, start + *len) until it fits with the ellipsis
 * after it: drop whole words while the line has more than one, then code
 * points, keeping at least one. */
static void ellipsize(const char *s, size_t start, size_t *len, int max_w, tw_measure_fn measure,
                      void *ctx)
{
    size_t k = trim_end(s, start, start + *len) - start;
    char *buf = tw_xmalloc(k + sizeof(TW_ELLIPSIS));

    for (;;) {
        memcpy(buf, s + start, k);
        memcpy(buf + k, TW_ELLIPSIS, sizeof(TW_ELLIPSIS));
        if (measure(ctx, buf, k + sizeof(TW_ELLIPSIS) - 1) <= max_w)
            break;
        size_t sp = k;
        while (sp > 0 && s[start + sp - 1] != ' ')
            sp--;
        size_t cut = trim_end(s, start, start + sp) - start;
        if (cut > 0) {
            k = cut;
            continue;
        }
        size_t prev = utf8_back(s + start, k);
        if (prev == 0)
            break; /* one code point left: keep it even if too wide */
        k = prev;
    }
    free(buf);
    *len = k;
}

void tw_text_wrap(const char *s, int max_w, int max_lines, tw_measure_fn measure, void *ctx,
                  tw_wrap *out)
{
    memset(out, 0, sizeof(*out));
    if (!s || !measure)
        return;
    if (max_lines < 1)
        max_lines = 1;
    if (max_lines > TW_WRAP_MAX_LINES)
        max_lines = TW_WRAP_MAX_LINES;

    size_t n = strlen(s);
    size_t pos = skip_spaces(s, 0, n);
    while (pos < n && out->n < max_lines) {
        size_t end = fit_line(s, pos, n, max_w, measure, ctx);
        out->start[out->n] = pos;
        out->len[out->n] = trim_end(s, pos, end) - pos;
        out->n++;
        pos = skip_spaces(s, end, n);
    }
    if (pos < n && out->n > 0) {
        out->ellipsis = true;
        ellipsize(s, out->start[out->n - 1], &out->len[out->n - 1], max_w, measure, ctx);
    }
}

/* ---- The cache ---- */

enum { ENTRY_TEXT, ENTRY_WRAP };

typedef struct entry {
    struct entry *next;
    uint64_t hash;
    uint64_t used; /* frame of the last lookup */
    int type, font;
    uint32_t a, b; /* text: colour RGBA; wrap: width, line limit */
    union {
        tw_text_tex tex;
        tw_wrap wrap;
    } u;
    size_t len;
    char str[]; /* len bytes and a terminator */
} entry;

struct tw_textcache {
    SDL_Renderer *r;
    TTF_Font *fonts[FONT_MAX];
    entry **buckets;
    size_t nbuckets, count, textures;
    uint64_t frame;
    unsigned keep;
    uint64_t renders, measures;
    char *scratch;
    size_t scratch_size;
};

static uint64_t hash_key(int type, int font, uint32_t a, uint32_t b, const char *s, size_t len)
{
    uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a */
    uint32_t head[4] = {(uint32_t)type, (uint32_t)font, a, b};
    const unsigned char *p = (const unsigned char *)head;

    for (size_t i = 0; i < sizeof(head); i++)
        h = (h ^ p[i]) * 0x100000001b3ULL;
    p = (const unsigned char *)s;
    for (size_t i = 0; i < len; i++)
        h = (h ^ p[i]) * 0x100000001b3ULL;
    return h;
}

tw_textcache *tw_textcache_create(SDL_Renderer *r, unsigned keep_frames)
{
    tw_textcache *tc = tw_xcalloc(1, sizeof(*tc));
    tc->r = r;
    tc->keep = keep_frames ? keep_frames : 1;
    tc->nbuckets = 256;
    tc->buckets = tw_xcalloc(tc->nbuckets, sizeof(*tc->buckets));
    return tc;
}

static void entry_free(tw_textcache *tc, entry *e)
{
    if (e->type == ENTRY_TEXT) {
        if (e->u.tex.tex)
            SDL_DestroyTexture(e->u.tex.tex);
        tc->textures--;
    }
    tc->count--;
    free(e);
}

/* Free the entries for which drop() says so. */
static void filter(tw_textcache *tc, bool (*drop)(const tw_textcache *, const entry *, int),
                   int arg)
{
    for (size_t i = 0; i < tc->nbuckets; i++) {
        entry **pp = &tc->buckets[i];
        while (*pp) {
            entry *e = *pp;
            if (drop(tc, e, arg)) {
                *pp = e->next;
                entry_free(tc, e);
            } else {
                pp = &e->next;
            }
        }
    }
}

static bool drop_all(const tw_textcache *tc, const entry *e, int arg)
{
    (void)tc, (void)e, (void)arg;
    return true;
}

static bool drop_font(const tw_textcache *tc, const entry *e, int font)
{
    (void)tc;
    return e->font == font;
}

static bool drop_stale(const tw_textcache *tc, const entry *e, int arg)
{
    (void)arg;
    return tc->frame - e->used >= tc->keep;
}

void tw_textcache_destroy(tw_textcache *tc)
{
    if (!tc)
        return;
    filter(tc, drop_all, 0);
    free(tc->buckets);
    free(tc->scratch);
    free(tc);
}

void tw_textcache_set_font(tw_textcache *tc, int id, TTF_Font *font)
{
    if (id < 0 || id >= FONT_MAX)
        return;
    filter(tc, drop_font, id);
    tc->fonts[id] = font;
}

static void grow(tw_textcache *tc)
{
    size_t nb = tc->nbuckets * 2;
    entry **b = tw_xcalloc(nb, sizeof(*b));

    for (size_t i = 0; i < tc->nbuckets; i++) {
        entry *e = tc->buckets[i];
        while (e) {
            entry *next = e->next;
            size_t k = e->hash & (nb - 1);
            e->next = b[k];
            b[k] = e;
            e = next;
        }
    }
    free(tc->buckets);
    tc->buckets = b;
    tc->nbuckets = nb;
}

/* Find the entry for the key, stamping it; or NULL. */
static entry *find(tw_textcache *tc, uint64_t h, int type, int font, uint32_t a, uint32_t b,
                   const char *s, size_t len)
{
    for (entry *e = tc->buckets[h & (tc->nbuckets - 1)]; e; e = e->next) {
        if (e->hash == h && e->type == type && e->font == font && e->a == a && e->b == b &&
            e->len == len && memcmp(e->str, s, len) == 0) {
            e->used = tc->frame;
            return e;
        }
    }
    return NULL;
}

static entry *insert(tw_textcache *tc, uint64_t h, int type, int font, uint32_t a, uint32_t b,
                     const char *s, size_t len)
{
    if (tc->count >= tc->nbuckets)
        grow(tc);
    entry *e = tw_xcalloc(1, sizeof(*e) + len + 1);
    e->hash = h;
    e->used = tc->frame;
    e->type = type;
    e->font = font;
    e->a = a;
    e->b = b;
    e->len = len;
    memcpy(e->str, s, len);
    e->str[len] = '\0';
    size_t k = h & (tc->nbuckets - 1);
    e->next = tc->buckets[k];
    tc->buckets[k] = e;
    tc->count++;
    return e;
}

static bool font_ok(const tw_textcache *tc, int id)
{
    return id >= 0 && id < FONT_MAX && tc->fonts[id];
}

const tw_text_tex *tw_textcache_text(tw_textcache *tc, int id, SDL_Color c, const char *s,
                                     size_t len)
{
    if (!tc || !s || len == 0 || !font_ok(tc, id))
        return NULL;
    uint32_t rgba = (uint32_t)c.r << 24 | (uint32_t)c.g << 16 | (uint32_t)c.b << 8 | c.a;
    uint64_t h = hash_key(ENTRY_TEXT, id, rgba, 0, s, len);
    entry *e = find(tc, h, ENTRY_TEXT, id, rgba, 0, s, len);
    if (e)
        return e->u.tex.tex ? &e->u.tex : NULL;

    e = insert(tc, h, ENTRY_TEXT, id, rgba, 0, s, len);
    tc->textures++;
    tc->renders++;
    /* A failure is cached too (tex NULL), so it is logged and retried once
     * per appearance on screen, not once per frame. */
    SDL_Surface *surf = TTF_RenderUTF8_Blended(tc->fonts[id], e->str, c);
    if (!surf) {
        log_warn("cannot rasterise text (%zu bytes): %s", len, TTF_GetError());
        return NULL;
    }
    e->u.tex.tex = SDL_CreateTextureFromSurface(tc->r, surf);
    e->u.tex.w = surf->w;
    e->u.tex.h = surf->h;
    SDL_FreeSurface(surf);
    if (!e->u.tex.tex) {
        log_warn("cannot create text texture: %s", SDL_GetError());
        return NULL;
    }
    SDL_SetTextureBlendMode(e->u.tex.tex, SDL_BLENDMODE_BLEND);
    return &e->u.tex;
}

const tw_text_tex *tw_textcache_str(tw_textcache *tc, int id, SDL_Color c, const char *s)
{
    return s ? tw_textcache_text(tc, id, c, s, strlen(s)) : NULL;
}

typedef struct measure_ctx {
    tw_textcache *tc;
    TTF_Font *font;
} measure_ctx;

static int measure_ttf(void *p, const char *s, size_t len)
{
    measure_ctx *m = p;
    tw_textcache *tc = m->tc;
    int w = 0;

    if (len + 1 > tc->scratch_size) {
        tc->scratch_size = len + 64;
        tc->scratch = tw_xrealloc(tc->scratch, tc->scratch_size);
    }
    memcpy(tc->scratch, s, len);
    tc->scratch[len] = '\0';
    tc->measures++;
    if (TTF_SizeUTF8(m->font, tc->scratch, &w, NULL) != 0)
        return 0;
    return w;
}

const tw_wrap *tw_textcache_wrap(tw_textcache *tc, int id, const char *s, int max_w, int max_lines)
{
    if (!tc || !s || !font_ok(tc, id))
        return NULL;
    size_t len = strlen(s);
    uint32_t a = (uint32_t)max_w, b = (uint32_t)max_lines;
    uint64_t h = hash_key(ENTRY_WRAP, id, a, b, s, len);
    entry *e = find(tc, h, ENTRY_WRAP, id, a, b, s, len);
    if (e)
        return &e->u.wrap;

    e = insert(tc, h, ENTRY_WRAP, id, a, b, s, len);
    measure_ctx m = {tc, tc->fonts[id]};
    tw_text_wrap(e->str, max_w, max_lines, measure_ttf, &m, &e->u.wrap);
    return &e->u.wrap;
}

void tw_textcache_sweep(tw_textcache *tc)
{
    if (!tc)
        return;
    filter(tc, drop_stale, 0);
    tc->frame++;
}

void tw_textcache_get_stats(const tw_textcache *tc, tw_textcache_stats *out)
{
    memset(out, 0, sizeof(*out));
    if (!tc)
        return;
    out->renders = tc->renders;
    out->measures = tc->measures;
    out->entries = tc->count;
    out->textures = tc->textures;
}
