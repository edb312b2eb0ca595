/* SPDX-License-Identifier: MIT */
/*
 * Drawing primitives of the screen: text in (ink, surface) pairs of the
 * theme (each pair used is recorded, so tests can prove its contrast),
 * fills, anti-aliased discs and rounded rectangles, rings, icons, and
 * composed regions: what changes rarely is drawn once into a texture
 * (ui/cardcache.c) under a key of everything it shows, then copied.
 */
#define _POSIX_C_SOURCE 200809L
#define LOG_MODULE      "ui"
#include "screen.h"

#include <string.h>

#include "log.h"

/* ---- colours ---- */

static void note_pair(tw_ui *ui, tw_ink i, tw_surface s)
{
    uint32_t bit = 1u << i;
    if (ui->pairs_used[s] & bit)
        return;
    ui->pairs_used[s] |= bit;
    if (!tw_theme_pair_allowed(i, s))
        log_error("text in %s on %s is not an allowed pair (contrast unchecked)", tw_ink_name(i),
                  tw_surface_name(s));
}

/* ---- text ---- */

/* Text drawn into a card being composed lives as long as the card. */
static const tw_text_tex *used(tw_ui *ui, const tw_text_tex *t)
{
    if (ui->composing)
        tw_cardcache_text(ui->cards, t);
    return t;
}

const tw_text_tex *tw_draw_text_str(tw_ui *ui, int role, tw_ink i, tw_surface on, const char *s)
{
    note_pair(ui, i, on);
    return used(ui, tw_textcache_str(ui->text, role, ink(ui, i), surf(ui, on), s));
}

const tw_text_tex *tw_draw_text_fit(tw_ui *ui, int role, tw_ink i, tw_surface on, const char *s,
                                    int max_w)
{
    note_pair(ui, i, on);
    if (!s || !*s)
        return NULL;
    const tw_wrap *wr = tw_textcache_wrap(ui->text, role, s, max_w > 1 ? max_w : 1, 1);
    if (wr && wr->ellipsis && role >= 0 && role < 16)
        ui->cut[role]++;
    return used(ui, tw_textcache_line(ui->text, role, ink(ui, i), surf(ui, on), s, wr, 0));
}

const tw_text_tex *tw_draw_text_line(tw_ui *ui, int role, tw_ink i, tw_surface on, const char *s,
                                     const tw_wrap *wr, int line)
{
    note_pair(ui, i, on);
    return used(ui, tw_textcache_line(ui->text, role, ink(ui, i), surf(ui, on), s, wr, line));
}

/* One character of a ref (drawn apart: see draw_meta). */
const tw_text_tex *tw_draw_text_char(tw_ui *ui, tw_surface on, const char *s, size_t n)
{
    return used(ui,
                tw_textcache_text(ui->text, F_META, ink(ui, INK_MUTED), surf(ui, on), s, n, false));
}

/* ---- drawing primitives (all shifted by the burn-in offset) ---- */

void tw_draw_fill(tw_ui *ui, int x, int y, int w, int h, SDL_Color c)
{
    if (w <= 0 || h <= 0)
        return;
    SDL_Rect rc = {x + ui->ox, y + ui->oy, w, h};
    SDL_SetRenderDrawBlendMode(ui->r, c.a == 0xFF ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
    SDL_SetRenderDrawColor(ui->r, c.r, c.g, c.b, c.a);
    SDL_RenderFillRect(ui->r, &rc);
}

/* A disc of diameter d in colour c with an anti-aliased edge (alpha from
 * the pixel's coverage, 4x4 samples), cached by size and colour. The colour
 * is in the pixels, not a colour modulation: SDL's software renderer blends
 * a modulated texture through its slow generic path, a plain one through its
 * fast one (a frame's corners cost 4x less). */
static SDL_Texture *disc(tw_ui *ui, int d, SDL_Color c)
{
    if (d < 1)
        d = 1;
    Uint32 rgb = (Uint32)c.r << 16 | (Uint32)c.g << 8 | c.b;
    for (int i = 0; i < DISC_CACHE; i++)
        if (ui->discs[i].t && ui->discs[i].d == d && ui->discs[i].rgb == rgb)
            return ui->discs[i].t;
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, d, d, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!s)
        return NULL;
    float rad = d / 2.0f;
    for (int y = 0; y < d; y++) {
        Uint32 *row = (Uint32 *)((Uint8 *)s->pixels + (size_t)y * s->pitch);
        for (int x = 0; x < d; x++) {
            int in = 0;
            for (int j = 0; j < 4; j++)
                for (int i = 0; i < 4; i++) {
                    float fx = x + (i + 0.5f) / 4 - rad, fy = y + (j + 0.5f) / 4 - rad;
                    in += fx * fx + fy * fy <= rad * rad;
                }
            row[x] = (Uint32)(in * 255 / 16) << 24 | rgb;
        }
    }
    SDL_Texture *t = SDL_CreateTextureFromSurface(ui->r, s);
    SDL_FreeSurface(s);
    if (!t)
        return NULL;
    SDL_SetTextureBlendMode(t, SDL_BLENDMODE_BLEND);
    int slot = -1;
    for (int i = 0; i < DISC_CACHE && slot < 0; i++)
        if (!ui->discs[i].t)
            slot = i;
    if (slot < 0) {
        slot = ui->disc_next;
        ui->disc_next = (ui->disc_next + 1) % DISC_CACHE;
        SDL_DestroyTexture(ui->discs[slot].t);
    }
    ui->discs[slot].t = t;
    ui->discs[slot].d = d;
    ui->discs[slot].rgb = rgb;
    return t;
}

/* Only a translucent colour (the new-card ring) needs a modulation. */
static void with_alpha(SDL_Texture *t, SDL_Color c)
{
    SDL_SetTextureAlphaMod(t, c.a);
}

/* The four anti-aliased quarter discs of radius r at the corners of a
 * rectangle; false (nothing drawn) when there is no disc to draw them with. */
static bool corners(tw_ui *ui, int x, int y, int w, int h, int r, SDL_Color c)
{
    SDL_Texture *corner = r > 0 ? disc(ui, 2 * r, c) : NULL;
    if (!corner)
        return false;
    with_alpha(corner, c);
    const SDL_Rect src[4] = {{0, 0, r, r}, {r, 0, r, r}, {0, r, r, r}, {r, r, r, r}};
    int X = x + ui->ox, Y = y + ui->oy;
    const SDL_Rect dst[4] = {
        {X, Y, r, r}, {X + w - r, Y, r, r}, {X, Y + h - r, r, r}, {X + w - r, Y + h - r, r, r}};
    for (int i = 0; i < 4; i++)
        SDL_RenderCopy(ui->r, corner, &src[i], &dst[i]);
    return true;
}

/* Filled rectangle with anti-aliased corners of radius r. */
void tw_draw_round_rect_r(tw_ui *ui, int x, int y, int w, int h, int r, SDL_Color c)
{
    if (r > w / 2)
        r = w / 2;
    if (r > h / 2)
        r = h / 2;
    if (!corners(ui, x, y, w, h, r, c)) {
        tw_draw_fill(ui, x, y, w, h, c);
        return;
    }
    tw_draw_fill(ui, x + r, y, w - 2 * r, h, c);
    tw_draw_fill(ui, x, y + r, r, h - 2 * r, c);
    tw_draw_fill(ui, x + w - r, y + r, r, h - 2 * r, c);
}

void tw_draw_round_rect(tw_ui *ui, int x, int y, int w, int h, SDL_Color c)
{
    tw_draw_round_rect_r(ui, x, y, w, h, ui->L.radius, c);
}

/* The border of a rounded rectangle, t thick, for what is drawn inside it
 * next: the corners whole, then four strips; the inside is not filled (a
 * ring around a card would otherwise paint the card's area twice). */
static void round_border(tw_ui *ui, int x, int y, int w, int h, int r, int t, SDL_Color c)
{
    if (r > w / 2)
        r = w / 2;
    if (r > h / 2)
        r = h / 2;
    if (t >= r || t * 2 >= w || t * 2 >= h) {
        tw_draw_round_rect_r(ui, x, y, w, h, r, c);
        return;
    }
    corners(ui, x, y, w, h, r, c);
    tw_draw_fill(ui, x + r, y, w - 2 * r, t, c);
    tw_draw_fill(ui, x + r, y + h - t, w - 2 * r, t, c);
    tw_draw_fill(ui, x, y + r, t, h - 2 * r, c);
    tw_draw_fill(ui, x + w - t, y + r, t, h - 2 * r, c);
}

/* A ring of width t around r, gap g away from it, on background bg. Whatever
 * is drawn in r afterwards covers the corners' inner parts. */
void tw_draw_ring(tw_ui *ui, tw_rect r, int g, int t, SDL_Color c, SDL_Color bg)
{
    int rad = ui->L.radius;
    round_border(ui, r.x - g - t, r.y - g - t, r.w + 2 * (g + t), r.h + 2 * (g + t), rad + g + t,
                 t + g, c);
    if (g > 0)
        round_border(ui, r.x - g, r.y - g, r.w + 2 * g, r.h + 2 * g, rad + g, g, bg);
}

void tw_draw_dot(tw_ui *ui, int cx, int cy, int d, SDL_Color c)
{
    SDL_Texture *t = disc(ui, d, c);
    if (!t)
        return;
    SDL_Rect dst = {cx - d / 2 + ui->ox, cy - d / 2 + ui->oy, d, d};
    with_alpha(t, c);
    SDL_RenderCopy(ui->r, t, NULL, &dst);
}

void tw_draw_blit(tw_ui *ui, const tw_text_tex *t, int x, int y)
{
    if (!t)
        return;
    SDL_Rect dst = {x + ui->ox, y - t->oy + ui->oy, t->w, t->h};
    SDL_RenderCopy(ui->r, t->tex, NULL, &dst);
}

/* An icon in colour c (baked in, as for the discs). */
SDL_Texture *tw_draw_make_icon(SDL_Renderer *r, tw_icon icon, int size, SDL_Color c)
{
    Uint32 rgb = (Uint32)c.r << 16 | (Uint32)c.g << 8 | c.b;
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, size, size, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!s)
        return NULL;
    for (int y = 0; y < size; y++) {
        Uint32 *row = (Uint32 *)((Uint8 *)s->pixels + (size_t)y * s->pitch);
        for (int x = 0; x < size; x++)
            row[x] = (Uint32)(tw_icon_pixel(icon, size, x, y) * 255 + 0.5f) << 24 | rgb;
    }
    SDL_Texture *t = SDL_CreateTextureFromSurface(r, s);
    SDL_FreeSurface(s);
    if (t)
        SDL_SetTextureBlendMode(t, SDL_BLENDMODE_BLEND);
    return t;
}

/* Icons are drawn in the muted ink, baked into their textures. */
void tw_draw_icon(tw_ui *ui, tw_icon icon, int x, int y)
{
    SDL_Texture *t = ui->icons[icon];
    if (!t)
        return;
    SDL_Rect dst = {x + ui->ox, y + ui->oy, ui->icon_size, ui->icon_size};
    SDL_RenderCopy(ui->r, t, NULL, &dst);
}

/* ---- composed cards (ui/cardcache.h) ---- */

/* The key of what is drawn next starts with head (size bytes, zeroed
 * padding included); returns its length. */
size_t tw_draw_key_start(tw_ui *ui, const void *head, size_t size)
{
    memcpy(ui->key, head, size);
    return size;
}

/* Append s and its terminator to the key of length len; SIZE_MAX (no key:
 * draw without the cache) when it does not fit. */
size_t tw_draw_key_add(tw_ui *ui, size_t len, const char *s)
{
    size_t n = strlen(s ? s : "") + 1;
    if (len == SIZE_MAX || len + n > sizeof(ui->key))
        return SIZE_MAX;
    memcpy(ui->key + len, s ? s : "", n);
    return len + n;
}

/*
 * What ui->key (len bytes) shows, at dst (output pixels): from the cache, or
 * composed now by draw(ui, arg), which paints every pixel of dst in drawing
 * coordinates (as if straight onto the screen). NULL when it cannot be
 * composed: then draw() has drawn it straight onto the screen.
 */
const tw_card *tw_draw_region(tw_ui *ui, size_t len, SDL_Rect dst, compose_fn draw, const void *arg)
{
    const tw_card *c =
        len == SIZE_MAX ? NULL : tw_cardcache_find(ui->cards, ui->key, len, dst.w, dst.h);
    if (c)
        return c;
    if (len == SIZE_MAX ||
        !(c = tw_cardcache_begin(ui->cards, ui->key, len, dst.w, dst.h, on_lines(ui, dst)))) {
        draw(ui, arg);
        return NULL;
    }
    /* Drawing coordinates land in the texture: its origin is dst. */
    int ox = ui->ox, oy = ui->oy;
    ui->ox -= dst.x;
    ui->oy -= dst.y;
    ui->composing = true;
    draw(ui, arg);
    ui->composing = false;
    ui->ox = ox;
    ui->oy = oy;
    tw_cardcache_end(ui->cards);
    return c;
}

/* A composed card onto the screen: one copy, no blending. */
void tw_draw_put(tw_ui *ui, const tw_card *c, SDL_Rect dst)
{
    if (!c)
        return;
    SDL_Rect src = {0, 0, dst.w, dst.h};
    SDL_RenderCopy(ui->r, c->tex, &src, &dst);
}

void tw_draw_free_discs(tw_ui *ui)
{
    for (int i = 0; i < DISC_CACHE; i++) {
        if (ui->discs[i].t)
            SDL_DestroyTexture(ui->discs[i].t);
        ui->discs[i].t = NULL;
    }
}
