/* SPDX-License-Identifier: MIT */
/*
 * The font fallback chain. Faces are found once, lazily: a board whose text
 * is all Latin never starts fontconfig. Coverage is answered by fontconfig's
 * character sets (no file opened to ask), and a face is opened at a role's
 * size only when a piece of text needs it. Each piece is shaped on its own
 * (HarfBuzz inside SDL_ttf, with direction and script set), so Arabic joins
 * and runs right to left, Devanagari conjuncts form, and emoji ZWJ sequences
 * become one glyph; kerning across a change of face is the only thing lost.
 */
#define _POSIX_C_SOURCE 200809L
#define LOG_MODULE      "fonts"
#include "fonts.h"

#include <SDL_ttf.h>
#include <fontconfig/fontconfig.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "log.h"
#include "unicode.h"
#include "util.h"

#define FACE_MAX    40
#define PIECE_MAX   64
#define MISSING_MAX 256 /* code points no face has, remembered */

/* Emoji are drawn this much taller than the text size (as browsers do:
 * Noto Color Emoji's own box is 1.17 em). */
#define EMOJI_SCALE 1.17

/* The chain after the bundled face, in order. Families that are not
 * installed are skipped; scripts.sh installs these from Debian's
 * fonts-noto-color-emoji, fonts-noto-cjk and fonts-noto-core. */
static const char *const fallback_families[] = {
    "Noto Color Emoji",     "Noto Sans CJK SC",    "Noto Sans Arabic",   "Noto Sans Hebrew",
    "Noto Sans Devanagari", "Noto Sans Bengali",   "Noto Sans Tamil",    "Noto Sans Thai",
    "Noto Sans Armenian",   "Noto Sans Georgian",  "Noto Sans Ethiopic", "Noto Sans",
    "Noto Sans Symbols",    "Noto Sans Symbols 2", "Noto Sans Math",     "DejaVu Sans",
};

typedef struct face {
    char *path;
    int index;
    FcCharSet *cs;    /* fontconfig's coverage; NULL for the bundled faces */
    bool emoji;       /* colour bitmaps, scaled to the text */
    const char *name; /* file name part of path */
} face;

typedef struct role {
    bool defined, bold;
    int px;
    TTF_Font *font[FACE_MAX]; /* by face, opened on first use */
    tw_font_metrics m;
} role;

struct tw_fonts {
    face faces[FACE_MAX];
    int n_faces;
    int chain[2][FACE_MAX]; /* per weight (0 regular, 1 bold): face indices in order */
    int chain_n[2];
    bool resolved[2];
    bool fc_up;
    role roles[TW_FONT_ROLES];
    uint32_t missing[MISSING_MAX]; /* cp + 1, open addressing */
    char *scratch;
    size_t scratch_size;
    uint64_t renders, measures;
};

/* ---- faces ---- */

static int add_face(tw_fonts *f, const char *path, int index, FcCharSet *cs, bool emoji)
{
    for (int i = 0; i < f->n_faces; i++) {
        if (f->faces[i].index == index && strcmp(f->faces[i].path, path) == 0) {
            if (cs)
                FcCharSetDestroy(cs);
            return i;
        }
    }
    if (f->n_faces == FACE_MAX) {
        if (cs)
            FcCharSetDestroy(cs);
        return -1;
    }
    face *fc = &f->faces[f->n_faces];
    fc->path = tw_xstrdup(path);
    fc->index = index;
    fc->cs = cs;
    fc->emoji = emoji;
    const char *slash = strrchr(fc->path, '/');
    fc->name = slash ? slash + 1 : fc->path;
    return f->n_faces++;
}

static void chain_add(tw_fonts *f, int weight, int face_idx)
{
    if (face_idx < 0)
        return;
    for (int i = 0; i < f->chain_n[weight]; i++)
        if (f->chain[weight][i] == face_idx)
            return;
    if (f->chain_n[weight] < FACE_MAX)
        f->chain[weight][f->chain_n[weight]++] = face_idx;
}

/* Font sets that use fontconfig: the last one to go shuts it down, so its
 * caches are freed (and leak checkers stay quiet). One thread only. */
static int fc_users;

static bool fc_start(tw_fonts *f)
{
    if (!f->fc_up) {
        if (!FcInit()) {
            log_warn("fontconfig did not start: only the bundled font is available");
            return false;
        }
        f->fc_up = true;
        fc_users++;
    }
    return true;
}

/* A font from a fontconfig match: its file, face index, coverage and colour. */
static int face_from_match(tw_fonts *f, FcPattern *m)
{
    FcChar8 *file = NULL;
    int index = 0;
    FcCharSet *cs = NULL;
    FcBool color = FcFalse;
    if (FcPatternGetString(m, FC_FILE, 0, &file) != FcResultMatch ||
        FcPatternGetCharSet(m, FC_CHARSET, 0, &cs) != FcResultMatch)
        return -1;
    FcPatternGetInteger(m, FC_INDEX, 0, &index);
    FcPatternGetBool(m, FC_COLOR, 0, &color);
    return add_face(f, (const char *)file, index, FcCharSetCopy(cs), color == FcTrue);
}

static bool family_is(FcPattern *m, const char *family)
{
    FcChar8 *name;
    for (int i = 0; FcPatternGetString(m, FC_FAMILY, i, &name) == FcResultMatch; i++)
        if (strcasecmp((const char *)name, family) == 0)
            return true;
    return false;
}

static FcPattern *weighted_pattern(int weight)
{
    FcPattern *p = FcPatternCreate();
    FcPatternAddInteger(p, FC_WEIGHT, weight ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR);
    FcPatternAddInteger(p, FC_SLANT, FC_SLANT_ROMAN);
    return p;
}

/* Look the fallback families up, once per weight. */
static void resolve_chain(tw_fonts *f, int weight)
{
    if (f->resolved[weight])
        return;
    f->resolved[weight] = true;
    if (!fc_start(f))
        return;
    int found = 0;
    for (size_t i = 0; i < TW_ARRAY_LEN(fallback_families); i++) {
        FcPattern *p = weighted_pattern(weight);
        FcPatternAddString(p, FC_FAMILY, (const FcChar8 *)fallback_families[i]);
        FcConfigSubstitute(NULL, p, FcMatchPattern);
        FcDefaultSubstitute(p);
        FcResult res;
        FcPattern *m = FcFontMatch(NULL, p, &res);
        if (m && family_is(m, fallback_families[i])) {
            int idx = face_from_match(f, m);
            chain_add(f, weight, idx);
            found += idx >= 0;
        }
        if (m)
            FcPatternDestroy(m);
        FcPatternDestroy(p);
    }
    log_info("font fallbacks (%s): %d of %zu families installed", weight ? "bold" : "regular",
             found, TW_ARRAY_LEN(fallback_families));
}

static bool missing_has(const tw_fonts *f, uint32_t cp)
{
    size_t k = (cp * 2654435761u) % MISSING_MAX;
    for (size_t n = 0; n < MISSING_MAX && f->missing[k]; n++, k = (k + 1) % MISSING_MAX)
        if (f->missing[k] == cp + 1)
            return true;
    return false;
}

static void missing_add(tw_fonts *f, uint32_t cp)
{
    size_t k = (cp * 2654435761u) % MISSING_MAX;
    for (size_t n = 0; n < MISSING_MAX; n++, k = (k + 1) % MISSING_MAX) {
        if (!f->missing[k]) {
            f->missing[k] = cp + 1;
            return;
        }
    }
    /* Full: forget everything; the worst case is asking fontconfig again. */
    memset(f->missing, 0, sizeof(f->missing));
}

static TTF_Font *sized(tw_fonts *f, int r, int idx);

/* Whether face idx draws cp. The bundled faces answer through role r's own
 * font of them, which draws the text anyway: no font held open only to be
 * asked (each is ~156 KB of FreeType's, P4). */
static bool covers(tw_fonts *f, int r, int idx, uint32_t cp)
{
    const face *fc = &f->faces[idx];
    if (fc->cs)
        return FcCharSetHasChar(fc->cs, cp);
    TTF_Font *font = sized(f, r, idx);
    return font && TTF_GlyphIsProvided32(font, cp);
}

/* Ask fontconfig for any installed font with cp; add it to the chain. */
static int find_any(tw_fonts *f, int weight, uint32_t cp)
{
    if (missing_has(f, cp) || !fc_start(f))
        return -1;
    FcPattern *p = weighted_pattern(weight);
    FcCharSet *want = FcCharSetCreate();
    FcCharSetAddChar(want, cp);
    FcPatternAddCharSet(p, FC_CHARSET, want);
    FcCharSetDestroy(want);
    FcConfigSubstitute(NULL, p, FcMatchPattern);
    FcDefaultSubstitute(p);
    FcResult res;
    FcFontSet *set = FcFontSort(NULL, p, FcFalse, NULL, &res);
    int idx = -1;
    for (int i = 0; set && i < set->nfont && i < 8; i++) {
        FcCharSet *cs;
        if (FcPatternGetCharSet(set->fonts[i], FC_CHARSET, 0, &cs) == FcResultMatch &&
            FcCharSetHasChar(cs, cp)) {
            idx = face_from_match(f, set->fonts[i]);
            break;
        }
    }
    if (set)
        FcFontSetDestroy(set);
    FcPatternDestroy(p);
    if (idx >= 0) {
        chain_add(f, weight, idx);
        log_info("U+%04X: using %s", (unsigned)cp, f->faces[idx].name);
    } else {
        missing_add(f, cp);
    }
    return idx;
}

/* The face for one cluster s[i..e) of role r; the bundled face when
 * nothing has it (it draws its "missing" box). */
static int face_for_cluster(tw_fonts *f, int r, const char *s, size_t i, size_t e)
{
    int weight = f->roles[r].bold;
    size_t step;
    uint32_t base = tw_uc_decode(s, e, i, &step);
    int primary = f->chain[weight][0];
    bool emoji = tw_uc_is_emoji_cluster(s, i, e);
    if (!emoji && covers(f, r, primary, base)) {
        /* Marks the bundled face lacks (rare accents) send the whole cluster on. */
        bool all = true;
        for (size_t j = i + step; j < e && all; j += step)
            all = covers(f, r, primary, tw_uc_decode(s, e, j, &step));
        if (all)
            return primary;
    }
    resolve_chain(f, weight);
    /* Emoji clusters try colour faces first; text clusters try them last
     * (a text-style symbol prefers a monochrome glyph when there is one). */
    for (int pass = 0; pass < 2; pass++) {
        bool want_emoji = emoji ? pass == 0 : pass == 1;
        for (int k = 0; k < f->chain_n[weight]; k++) {
            int idx = f->chain[weight][k];
            if (f->faces[idx].emoji != want_emoji || !covers(f, r, idx, base))
                continue;
            bool all = true;
            for (size_t j = i + step; j < e && all; j += step) {
                uint32_t cp = tw_uc_decode(s, e, j, &step);
                all = covers(f, r, idx, cp) || cp == 0x200D || (cp >= 0xFE00 && cp <= 0xFE0F);
            }
            if (all || pass == 1)
                return idx;
        }
    }
    if (covers(f, r, primary, base))
        return primary;
    int idx = find_any(f, weight, base);
    return idx >= 0 ? idx : primary;
}

/* ---- pieces ---- */

typedef struct piece {
    size_t start, len;
    int face;
    bool rtl;
    tw_script script;
} piece;

/* Cut s[0..len) into pieces in visual order. */
static int split(tw_fonts *f, int r, const char *s, size_t len, bool para_rtl, piece *out)
{
    tw_bidi_run runs[PIECE_MAX];
    size_t nr = tw_bidi_runs(s, len, para_rtl, runs, PIECE_MAX);
    int np = 0;
    for (size_t k = 0; k < nr; k++) {
        int first = np;
        size_t end = runs[k].start + runs[k].len;
        for (size_t i = runs[k].start; i < end;) {
            size_t e = tw_uc_grapheme_end(s, end, i), step;
            tw_script sc = tw_uc_script(tw_uc_decode(s, end, i, &step));
            piece *cur = np > first ? &out[np - 1] : NULL;
            int fi;
            /* Neutral clusters (spaces, digits, punctuation) stay with the
             * piece they are in when its face has them. */
            if (cur && sc == TW_SCRIPT_COMMON && !f->faces[cur->face].emoji &&
                !tw_uc_is_emoji_cluster(s, i, e) &&
                covers(f, r, cur->face, tw_uc_decode(s, end, i, &step)))
                fi = cur->face;
            else
                fi = face_for_cluster(f, r, s, i, e);
            if (cur && cur->face == fi &&
                (sc == TW_SCRIPT_COMMON || cur->script == TW_SCRIPT_COMMON || cur->script == sc)) {
                cur->len = e - cur->start;
                if (cur->script == TW_SCRIPT_COMMON)
                    cur->script = sc;
            } else if (np < PIECE_MAX) {
                out[np++] = (piece){i, e - i, fi, runs[k].rtl, sc};
            } else {
                out[np - 1].len = e - out[np - 1].start; /* out of room: merge */
            }
            i = e;
        }
        /* A right-to-left run's pieces are in logical order: reverse them. */
        if (runs[k].rtl)
            for (int a = first, b = np - 1; a < b; a++, b--) {
                piece t = out[a];
                out[a] = out[b];
                out[b] = t;
            }
    }
    return np;
}

static TTF_Font *sized(tw_fonts *f, int r, int idx)
{
    role *ro = &f->roles[r];
    if (!ro->font[idx]) {
        face *fc = &f->faces[idx];
        ro->font[idx] = TTF_OpenFontIndex(fc->path, ro->px, fc->index);
        if (!ro->font[idx]) {
            log_warn("cannot open %s: %s", fc->path, TTF_GetError());
            return NULL;
        }
        TTF_SetFontHinting(ro->font[idx], TTF_HINTING_LIGHT);
    }
    return ro->font[idx];
}

/* Ready the font for a piece: direction, script, and a terminated copy. */
static TTF_Font *prepare(tw_fonts *f, int r, const char *s, const piece *p)
{
    TTF_Font *font = sized(f, r, p->face);
    if (!font)
        return NULL;
    TTF_SetFontDirection(font, p->rtl ? TTF_DIRECTION_RTL : TTF_DIRECTION_LTR);
    /* "Zzzz" (unknown) lets HarfBuzz's default shaper take neutral text. */
    TTF_SetFontScriptName(font,
                          p->script == TW_SCRIPT_COMMON ? "Zzzz" : tw_uc_script_name(p->script));
    if (p->len + 1 > f->scratch_size) {
        f->scratch_size = p->len + 64;
        f->scratch = tw_xrealloc(f->scratch, f->scratch_size);
    }
    memcpy(f->scratch, s + p->start, p->len);
    f->scratch[p->len] = '\0';
    return font;
}

/* Scale of a colour face's strike to the role's size. */
static double emoji_scale(const tw_fonts *f, int r, TTF_Font *font)
{
    int h = TTF_FontHeight(font);
    return h > 0 ? f->roles[r].px * EMOJI_SCALE / h : 1.0;
}

static int scaled(int v, double k)
{
    return (int)lround(v * k);
}

/* Width, ascent and height of a piece as it will be drawn. */
static void piece_box(tw_fonts *f, int r, const char *s, const piece *p, int *w, int *asc, int *h)
{
    *w = *asc = *h = 0;
    TTF_Font *font = prepare(f, r, s, p);
    if (!font)
        return;
    int tw = 0;
    f->measures++;
    if (TTF_SizeUTF8(font, f->scratch, &tw, NULL) != 0)
        tw = 0;
    double k = f->faces[p->face].emoji ? emoji_scale(f, r, font) : 1.0;
    *w = scaled(tw, k);
    *asc = scaled(TTF_FontAscent(font), k);
    *h = scaled(TTF_FontHeight(font), k);
}

int tw_fonts_measure(tw_fonts *f, int r, const char *s, size_t len, bool rtl)
{
    if (!f || r < 0 || r >= TW_FONT_ROLES || !f->roles[r].defined || !s || len == 0)
        return 0;
    piece p[PIECE_MAX];
    int n = split(f, r, s, len, rtl, p), total = 0;
    for (int i = 0; i < n; i++) {
        int w, a, h;
        piece_box(f, r, s, &p[i], &w, &a, &h);
        total += w;
    }
    return total;
}

/* Area-average downscale of an ARGB8888 surface, in premultiplied alpha so
 * transparent edges do not darken the colours next to them. */
static SDL_Surface *downscale(SDL_Surface *src, int w, int h)
{
    if (w <= 0 || h <= 0)
        return NULL;
    SDL_Surface *dst = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!dst)
        return NULL;
    double sx = (double)src->w / w, sy = (double)src->h / h;
    for (int y = 0; y < h; y++) {
        Uint32 *out = (Uint32 *)((Uint8 *)dst->pixels + (size_t)y * dst->pitch);
        int y0 = (int)(y * sy), y1 = (int)ceil((y + 1) * sy);
        if (y1 > src->h)
            y1 = src->h;
        for (int x = 0; x < w; x++) {
            int x0 = (int)(x * sx), x1 = (int)ceil((x + 1) * sx);
            if (x1 > src->w)
                x1 = src->w;
            double a = 0, rr = 0, g = 0, b = 0;
            int n = 0;
            for (int yy = y0; yy < y1; yy++) {
                const Uint32 *in =
                    (const Uint32 *)((const Uint8 *)src->pixels + (size_t)yy * src->pitch);
                for (int xx = x0; xx < x1; xx++) {
                    Uint32 px = in[xx];
                    double pa = (px >> 24) / 255.0;
                    a += pa;
                    rr += ((px >> 16) & 0xFF) * pa;
                    g += ((px >> 8) & 0xFF) * pa;
                    b += (px & 0xFF) * pa;
                    n++;
                }
            }
            Uint32 v = 0;
            if (n && a > 0) {
                Uint32 A = (Uint32)lround(a / n * 255), R = (Uint32)lround(rr / a),
                       G = (Uint32)lround(g / a), B = (Uint32)lround(b / a);
                v = A << 24 | (R > 255 ? 255 : R) << 16 | (G > 255 ? 255 : G) << 8 |
                    (B > 255 ? 255 : B);
            }
            out[x] = v;
        }
    }
    return dst;
}

/* The rows of s (ARGB8888) with any ink: [*top, *bottom). */
static void ink_rows(SDL_Surface *s, int *top, int *bottom)
{
    *top = s->h;
    *bottom = 0;
    for (int y = 0; y < s->h; y++) {
        const Uint32 *row = (const Uint32 *)((const Uint8 *)s->pixels + (size_t)y * s->pitch);
        for (int x = 0; x < s->w; x++) {
            if (row[x] >> 24) {
                if (y < *top)
                    *top = y;
                *bottom = y + 1;
                break;
            }
        }
    }
    if (*top >= *bottom) { /* only spaces: keep one row, the width still counts */
        *top = 0;
        *bottom = 1;
    }
}

/* Lay the rows [top, bottom) of s over an opaque bg: a surface that is drawn
 * by copying. */
static SDL_Surface *flatten(SDL_Surface *s, int top, int bottom, SDL_Color bg)
{
    SDL_Surface *out =
        SDL_CreateRGBSurfaceWithFormat(0, s->w, bottom - top, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!out)
        return NULL;
    SDL_FillRect(out, NULL, SDL_MapRGBA(out->format, bg.r, bg.g, bg.b, 0xFF));
    SDL_SetSurfaceBlendMode(s, SDL_BLENDMODE_BLEND);
    SDL_Rect src = {0, top, s->w, bottom - top};
    SDL_BlitSurface(s, &src, out, NULL);
    return out;
}

SDL_Surface *tw_fonts_render(tw_fonts *f, int r, SDL_Color c, SDL_Color bg, const char *s,
                             size_t len, bool rtl, int *oy)
{
    if (oy)
        *oy = 0;
    if (!f || r < 0 || r >= TW_FONT_ROLES || !f->roles[r].defined || !s || len == 0)
        return NULL;
    const tw_font_metrics *m = &f->roles[r].m;
    piece p[PIECE_MAX];
    SDL_Surface *surf[PIECE_MAX] = {0};
    int asc[PIECE_MAX];
    int n = split(f, r, s, len, rtl, p);
    int total = 0, top = m->ascent, below = m->height - m->ascent;

    for (int i = 0; i < n; i++) {
        TTF_Font *font = prepare(f, r, s, &p[i]);
        if (!font)
            continue;
        f->renders++;
        SDL_Surface *g = TTF_RenderUTF8_Blended(font, f->scratch, c);
        if (!g) /* zero width (a lone joiner): nothing to draw */
            continue;
        asc[i] = TTF_FontAscent(font);
        if (f->faces[p[i].face].emoji) {
            double k = emoji_scale(f, r, font);
            SDL_Surface *t = downscale(g, scaled(g->w, k), scaled(g->h, k));
            SDL_FreeSurface(g);
            g = t;
            asc[i] = scaled(asc[i], k);
            if (!g)
                continue;
        }
        surf[i] = g;
        total += g->w;
        if (asc[i] > top)
            top = asc[i];
        if (g->h - asc[i] > below)
            below = g->h - asc[i];
    }
    SDL_Surface *out = NULL;
    if (total > 0)
        out = SDL_CreateRGBSurfaceWithFormat(0, total, top + below, 32, SDL_PIXELFORMAT_ARGB8888);
    if (out) {
        SDL_FillRect(out, NULL, 0);
        int x = 0;
        for (int i = 0; i < n; i++) {
            if (!surf[i])
                continue;
            SDL_SetSurfaceBlendMode(surf[i], SDL_BLENDMODE_NONE);
            SDL_Rect dst = {x, top - asc[i], surf[i]->w, surf[i]->h};
            SDL_BlitSurface(surf[i], NULL, out, &dst);
            x += surf[i]->w;
        }
        int t0, t1;
        ink_rows(out, &t0, &t1);
        if (oy)
            *oy = top - m->ascent - t0;
        if (bg.a == 0xFF || t0 > 0 || t1 < out->h) {
            SDL_Surface *cut;
            if (bg.a == 0xFF) {
                cut = flatten(out, t0, t1, bg);
            } else {
                cut = SDL_CreateRGBSurfaceWithFormat(0, out->w, t1 - t0, 32,
                                                     SDL_PIXELFORMAT_ARGB8888);
                SDL_Rect src = {0, t0, out->w, t1 - t0};
                SDL_SetSurfaceBlendMode(out, SDL_BLENDMODE_NONE);
                if (cut)
                    SDL_BlitSurface(out, &src, cut, NULL);
            }
            SDL_FreeSurface(out);
            out = cut;
        }
    }
    for (int i = 0; i < n; i++)
        SDL_FreeSurface(surf[i]);
    return out;
}

/* ---- set-up ---- */

int tw_fonts_create(const char *dir, tw_fonts **out)
{
    if (!dir || !out)
        return TW_ERR_INVAL;
    *out = NULL;
    tw_fonts *f = tw_xcalloc(1, sizeof(*f));
    static const char *const files[2] = {"Inter-Regular.otf", "Inter-SemiBold.otf"};
    for (int w = 0; w < 2; w++) {
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s", dir, files[w]);
        /* Opened once to see that it loads; roles open it at their sizes. */
        TTF_Font *probe = TTF_OpenFont(path, 16);
        if (!probe) {
            log_error("cannot load font %s: %s", path, TTF_GetError());
            tw_fonts_destroy(f);
            return TW_ERR_IO;
        }
        TTF_CloseFont(probe);
        chain_add(f, w, add_face(f, path, 0, NULL, false));
    }
    *out = f;
    return 0;
}

static void close_role(role *ro)
{
    for (int i = 0; i < FACE_MAX; i++) {
        if (ro->font[i])
            TTF_CloseFont(ro->font[i]);
        ro->font[i] = NULL;
    }
}

void tw_fonts_destroy(tw_fonts *f)
{
    if (!f)
        return;
    for (int r = 0; r < TW_FONT_ROLES; r++)
        close_role(&f->roles[r]);
    for (int i = 0; i < f->n_faces; i++) {
        if (f->faces[i].cs)
            FcCharSetDestroy(f->faces[i].cs);
        free(f->faces[i].path);
    }
    free(f->scratch);
    if (f->fc_up && --fc_users == 0)
        FcFini();
    free(f);
}

int tw_fonts_set_role(tw_fonts *f, int r, bool bold, int px)
{
    if (!f || r < 0 || r >= TW_FONT_ROLES || px < 1)
        return TW_ERR_INVAL;
    role *ro = &f->roles[r];
    if (ro->defined && ro->bold == bold && ro->px == px)
        return 0;
    close_role(ro);
    ro->defined = true;
    ro->bold = bold;
    ro->px = px;
    /* The metrics from the role's bundled face opened at px and closed
     * again (0.1 ms); the role's own font is opened when text needs it: a
     * role no screen draws (the detail view's, the stand-up's, until they
     * show) costs its metrics only, not a FreeType face (~156 KB) and
     * HarfBuzz's copies of its tables (~158 KB more once it shapes, P4). */
    TTF_Font *m = sized(f, r, f->chain[bold][0]);
    if (!m) {
        ro->defined = false;
        return TW_ERR_IO;
    }
    ro->m.px = px;
    ro->m.ascent = TTF_FontAscent(m);
    ro->m.descent = -TTF_FontDescent(m);
    ro->m.height = TTF_FontHeight(m);
    ro->m.skip = TTF_FontLineSkip(m);
    close_role(ro);
    return 0;
}

void tw_fonts_metrics(const tw_fonts *f, int r, tw_font_metrics *out)
{
    memset(out, 0, sizeof(*out));
    if (f && r >= 0 && r < TW_FONT_ROLES)
        *out = f->roles[r].m;
}

void tw_fonts_get_stats(const tw_fonts *f, tw_fonts_stats *out)
{
    memset(out, 0, sizeof(*out));
    if (!f)
        return;
    out->renders = f->renders;
    out->measures = f->measures;
    out->faces = f->n_faces;
    out->fallbacks = f->fc_up;
    for (int r = 0; r < TW_FONT_ROLES; r++)
        for (int i = 0; i < FACE_MAX; i++)
            out->open += f->roles[r].font[i] != NULL;
}

const char *tw_fonts_face_for(tw_fonts *f, int r, uint32_t cp)
{
    if (!f || r < 0 || r >= TW_FONT_ROLES || !f->roles[r].defined)
        return NULL;
    char buf[8];
    int n = 0;
    if (cp < 0x80)
        buf[n++] = (char)cp;
    else if (cp < 0x800)
        buf[n++] = (char)(0xC0 | cp >> 6), buf[n++] = (char)(0x80 | (cp & 0x3F));
    else if (cp < 0x10000)
        buf[n++] = (char)(0xE0 | cp >> 12), buf[n++] = (char)(0x80 | (cp >> 6 & 0x3F)),
        buf[n++] = (char)(0x80 | (cp & 0x3F));
    else
        buf[n++] = (char)(0xF0 | cp >> 18), buf[n++] = (char)(0x80 | (cp >> 12 & 0x3F)),
        buf[n++] = (char)(0x80 | (cp >> 6 & 0x3F)), buf[n++] = (char)(0x80 | (cp & 0x3F));
    int idx = face_for_cluster(f, r, buf, 0, (size_t)n);
    return idx >= 0 ? f->faces[idx].name : NULL;
}
