/* SPDX-License-Identifier: MIT */
/*
 * The text cache: one chained hash table holding two kinds of entries,
 * rasterised strings (role, colour, direction, bytes -> texture) and wrap
 * results (role, width, line limit, bytes -> line ranges). Every lookup stamps
 * the entry with the current frame; tw_textcache_sweep() ends the frame and
 * frees what was not stamped recently (mark and sweep). Entries are allocated
 * one by one, so pointers handed out stay valid while the table grows.
 */
#define LOG_MODULE "text"
#include "textcache.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "unicode.h"
#include "util.h"

#define FONT_MAX TW_FONT_ROLES

/* ---- UTF-8 and wrapping (pure) ---- */

size_t tw_utf8_step(const char *s)
{
    size_t n = 0, step;
    while (n < 4 && s[n])
        n++;
    if (n == 0)
        return 0;
    tw_uc_decode(s, n, 0, &step);
    return step;
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

/* The first code point of the cluster at i. */
static uint32_t cp_at(const char *s, size_t n, size_t i)
{
    size_t step;
    return tw_uc_decode(s, n, i, &step);
}

/* As many clusters of the word at pos as fit (at least one). */
static size_t fit_word(const char *s, size_t pos, size_t n, int max_w, tw_measure_fn measure,
                       void *ctx)
{
    size_t e = tw_uc_grapheme_end(s, n, pos);
    while (e < n && s[e] != ' ') {
        size_t e2 = tw_uc_grapheme_end(s, n, e);
        if (measure(ctx, s + pos, e2 - pos) > max_w)
            break;
        e = e2;
    }
    return e;
}

/* End (exclusive) of the longest line starting at pos that fits max_w:
 * up to the last break opportunity that fits if one does, otherwise as many
 * clusters of the first word as fit (at least one). */
static size_t fit_line(const char *s, size_t pos, size_t n, int max_w, tw_measure_fn measure,
                       void *ctx)
{
    size_t best = pos;
    uint32_t prev = 0;
    for (size_t i = pos; i < n;) {
        size_t e = tw_uc_grapheme_end(s, n, i);
        uint32_t cur = cp_at(s, n, i);
        /* A break may come before this cluster: after spaces, or between
         * CJK ideographs. */
        bool brk = i > pos && ((s[i] == ' ' && prev != ' ') || tw_uc_break_pair(prev, cur));
        if (brk) {
            if (measure(ctx, s + pos, trim_end(s, pos, i) - pos) > max_w)
                return best > pos ? best : fit_word(s, pos, n, max_w, measure, ctx);
            best = i;
        }
        prev = cur;
        i = e;
    }
    if (measure(ctx, s + pos, trim_end(s, pos, n) - pos) <= max_w)
        return n;
    return best > pos ? best : fit_word(s, pos, n, max_w, measure, ctx);
}

/* Shorten the line [start, start + *len) until it fits with the ellipsis
 * after it: drop whole words (up to the last break opportunity) while one
 * is left, then clusters, keeping at least one. */
static void ellipsize(const char *s, size_t start, size_t *len, int max_w, tw_measure_fn measure,
                      void *ctx)
{
    size_t k = trim_end(s, start, start + *len) - start;
    const char *line = s + start;
    char *buf = tw_xmalloc(k + sizeof(TW_ELLIPSIS));

    for (;;) {
        memcpy(buf, line, k);
        memcpy(buf + k, TW_ELLIPSIS, sizeof(TW_ELLIPSIS));
        if (measure(ctx, buf, k + sizeof(TW_ELLIPSIS) - 1) <= max_w)
            break;
        /* The last break opportunity inside [0, k). */
        size_t cut = 0;
        uint32_t prev = 0;
        for (size_t i = 0; i < k;) {
            size_t e = tw_uc_grapheme_end(line, k, i);
            uint32_t cur = cp_at(line, k, i);
            if (i > 0 && ((line[i] == ' ' && prev != ' ') || tw_uc_break_pair(prev, cur)))
                cut = i;
            prev = cur;
            i = e;
        }
        cut = trim_end(line, 0, cut);
        if (cut > 0) {
            k = cut;
            continue;
        }
        size_t prev_start = tw_uc_grapheme_start(line, k, k);
        if (prev_start == 0)
            break; /* one cluster left: keep it even if too wide */
        k = trim_end(line, 0, prev_start);
        if (k == 0)
            k = prev_start;
    }
    free(buf);
    *len = k;
}

/* Is [start, end) emoji and nothing else (no letter, digit or space)? */
static bool only_emoji(const char *s, size_t start, size_t end)
{
    if (start >= end)
        return false;
    for (size_t i = start; i < end;) {
        size_t e = tw_uc_grapheme_end(s, end, i);
        if (s[i] == ' ' || !tw_uc_is_emoji_cluster(s, i, e))
            return false;
        i = e;
    }
    return true;
}

/* End of the word that starts at from (before the spaces that precede the
 * last line at ls), at most le. */
static size_t skip_back(const char *s, size_t from, size_t le, size_t ls)
{
    size_t e = ls > from ? ls : le;
    while (e > from && s[e - 1] == ' ')
        e--;
    return e;
}

/* A last line that is only an emoji ("Shipped search to all customers" /
 * "🚀") reads as a stray mark: the previous line's last word goes down
 * with it, when the two fit on the line and a word stays behind. */
static void keep_emoji_company(const char *s, int max_w, tw_measure_fn measure, void *ctx,
                               tw_wrap *out)
{
    int last = out->n - 1;
    size_t ls = out->start[last], le = ls + out->len[last];
    size_t ps = out->start[last - 1], pe = ps + out->len[last - 1];
    if (!only_emoji(s, ls, le))
        return;
    size_t cut = 0;
    uint32_t prev = 0;
    for (size_t i = ps; i < pe;) {
        size_t e = tw_uc_grapheme_end(s, pe, i);
        uint32_t cur = cp_at(s, pe, i);
        if (i > ps && ((s[i] == ' ' && prev != ' ') || tw_uc_break_pair(prev, cur)))
            cut = i;
        prev = cur;
        i = e;
    }
    if (cut <= ps)
        return;
    size_t keep = trim_end(s, ps, cut), from = skip_spaces(s, cut, pe);
    /* Only a word brings company: emoji after emoji stay as they were. */
    if (keep <= ps || only_emoji(s, from, skip_back(s, from, le, ls)) ||
        measure(ctx, s + from, le - from) > max_w)
        return;
    out->len[last - 1] = keep - ps;
    out->start[last] = from;
    out->len[last] = le - from;
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
    out->rtl = tw_bidi_paragraph_rtl(s, n);
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
    } else if (out->n >= 2) {
        keep_emoji_company(s, max_w, measure, ctx, out);
    }
}

/* ---- The cache ---- */

enum { ENTRY_TEXT, ENTRY_WRAP };

typedef struct entry {
    struct entry *next;
    uint64_t hash;
    uint64_t used; /* frame of the last lookup */
    int type, font;
    uint32_t a, b; /* text: colour RGBA, background RGB and direction; wrap: width, lines */
    union {
        tw_text_tex tex;
        tw_wrap wrap;
    } u;
    size_t bytes; /* a texture's pixels */
    size_t len;
    char str[]; /* len bytes and a terminator */
} entry;

struct tw_textcache {
    SDL_Renderer *r;
    tw_fonts *fonts;
    Uint32 format; /* of opaque textures; 0 = as rasterised */
    entry **buckets;
    size_t nbuckets, count, textures, bytes;
    uint64_t frame;
    unsigned keep;
    uint64_t renders, measures;
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

tw_textcache *tw_textcache_create(SDL_Renderer *r, tw_fonts *fonts, unsigned keep_frames)
{
    tw_textcache *tc = tw_xcalloc(1, sizeof(*tc));
    tc->r = r;
    tc->fonts = fonts;
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
        tc->bytes -= e->bytes;
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

static bool drop_stale(const tw_textcache *tc, const entry *e, int frames)
{
    return tc->frame - e->used >= (uint64_t)frames;
}

void tw_textcache_destroy(tw_textcache *tc)
{
    if (!tc)
        return;
    filter(tc, drop_all, 0);
    free(tc->buckets);
    free(tc);
}

void tw_textcache_set_format(tw_textcache *tc, Uint32 format)
{
    if (tc)
        tc->format = format;
}

void tw_textcache_flush_font(tw_textcache *tc, int id)
{
    if (tc && id >= 0 && id < FONT_MAX)
        filter(tc, drop_font, id);
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
    return id >= 0 && id < FONT_MAX && tc->fonts;
}

const tw_text_tex *tw_textcache_text(tw_textcache *tc, int id, SDL_Color c, SDL_Color bg,
                                     const char *s, size_t len, bool rtl)
{
    if (!tc || !s || len == 0 || !font_ok(tc, id))
        return NULL;
    uint32_t rgba = (uint32_t)c.r << 24 | (uint32_t)c.g << 16 | (uint32_t)c.b << 8 | c.a;
    bool opaque = bg.a == 0xFF;
    /* Background colour, opaque flag, direction: one key word. */
    uint32_t under =
        (opaque ? (uint32_t)bg.r << 24 | (uint32_t)bg.g << 16 | (uint32_t)bg.b << 8 | 2u : 0u) |
        (rtl ? 1u : 0u);
    uint64_t h = hash_key(ENTRY_TEXT, id, rgba, under, s, len);
    entry *e = find(tc, h, ENTRY_TEXT, id, rgba, under, s, len);
    if (e)
        return e->u.tex.tex ? &e->u.tex : NULL;

    e = insert(tc, h, ENTRY_TEXT, id, rgba, under, s, len);
    tc->textures++;
    tc->renders++;
    /* A failure is cached too (tex NULL), so it is logged and retried once
     * per appearance on screen, not once per frame. */
    int oy = 0;
    SDL_Surface *surf = tw_fonts_render(tc->fonts, id, c, bg, e->str, len, rtl, &oy);
    if (!surf) {
        log_warn("cannot rasterise text (%zu bytes)", len);
        return NULL;
    }
    if (opaque && tc->format && surf->format->format != tc->format) {
        SDL_Surface *conv = SDL_ConvertSurfaceFormat(surf, tc->format, 0);
        if (conv) {
            SDL_FreeSurface(surf);
            surf = conv;
        }
    }
    e->u.tex.tex = SDL_CreateTextureFromSurface(tc->r, surf);
    e->u.tex.w = surf->w;
    e->u.tex.h = surf->h;
    e->u.tex.oy = oy;
    SDL_FreeSurface(surf);
    if (e->u.tex.tex) {
        /* What the texture holds: the software renderer keeps the pixels in
         * the heap, a GPU's driver its own copy. */
        Uint32 fmt = 0;
        SDL_QueryTexture(e->u.tex.tex, &fmt, NULL, NULL, NULL);
        e->bytes = (size_t)e->u.tex.w * (size_t)e->u.tex.h * SDL_BYTESPERPIXEL(fmt);
        tc->bytes += e->bytes;
    }
    if (!e->u.tex.tex) {
        log_warn("cannot create text texture: %s", SDL_GetError());
        return NULL;
    }
    SDL_SetTextureBlendMode(e->u.tex.tex, opaque ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
    return &e->u.tex;
}

const tw_text_tex *tw_textcache_str(tw_textcache *tc, int id, SDL_Color c, SDL_Color bg,
                                    const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s);
    return tw_textcache_text(tc, id, c, bg, s, n, tw_bidi_paragraph_rtl(s, n));
}

typedef struct measure_ctx {
    tw_textcache *tc;
    int id;
    bool rtl;
} measure_ctx;

static int measure_fonts(void *p, const char *s, size_t len)
{
    measure_ctx *m = p;
    m->tc->measures++;
    return tw_fonts_measure(m->tc->fonts, m->id, s, len, m->rtl);
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
    measure_ctx m = {tc, id, tw_bidi_paragraph_rtl(s, len)};
    tw_text_wrap(e->str, max_w, max_lines, measure_fonts, &m, &e->u.wrap);
    return &e->u.wrap;
}

const tw_text_tex *tw_textcache_line(tw_textcache *tc, int id, SDL_Color c, SDL_Color bg,
                                     const char *s, const tw_wrap *wr, int i)
{
    if (!wr || i < 0 || i >= wr->n)
        return NULL;
    bool dots = wr->ellipsis && i == wr->n - 1;
    if (!dots)
        return tw_textcache_text(tc, id, c, bg, s + wr->start[i], wr->len[i], wr->rtl);
    /* Only the last line needs a new string. No line near this long fits on
     * any screen, so cutting at the buffer (on a cluster) loses nothing. */
    char buf[2048];
    size_t n = wr->len[i];
    if (n > sizeof(buf) - sizeof(TW_ELLIPSIS)) {
        const char *line = s + wr->start[i];
        size_t k = 0;
        while (k < wr->len[i]) {
            size_t e = tw_uc_grapheme_end(line, wr->len[i], k);
            if (e > sizeof(buf) - sizeof(TW_ELLIPSIS))
                break;
            k = e;
        }
        n = k;
    }
    memcpy(buf, s + wr->start[i], n);
    memcpy(buf + n, TW_ELLIPSIS, sizeof(TW_ELLIPSIS));
    return tw_textcache_text(tc, id, c, bg, buf, n + sizeof(TW_ELLIPSIS) - 1, wr->rtl);
}

const tw_text_tex *tw_textcache_fit(tw_textcache *tc, int id, SDL_Color c, SDL_Color bg,
                                    const char *s, int max_w)
{
    if (!s || !*s)
        return NULL;
    const tw_wrap *wr = tw_textcache_wrap(tc, id, s, max_w > 1 ? max_w : 1, 1);
    return tw_textcache_line(tc, id, c, bg, s, wr, 0);
}

void tw_textcache_keep(tw_textcache *tc, const tw_text_tex *t)
{
    if (!tc || !t)
        return;
    /* Only textures are handed out, each inside its entry. */
    entry *e = (entry *)((const char *)t - offsetof(entry, u.tex));
    e->used = tc->frame;
}

void tw_textcache_sweep(tw_textcache *tc)
{
    if (!tc)
        return;
    filter(tc, drop_stale, (int)tc->keep);
    tc->frame++;
}

/* Only the last frame's: after its sweep the frame counter moved on by one,
 * so what it used is 1 frame old (what was looked up since, 0). */
void tw_textcache_trim(tw_textcache *tc)
{
    if (tc)
        filter(tc, drop_stale, 2);
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
    out->bytes = tc->bytes;
}
