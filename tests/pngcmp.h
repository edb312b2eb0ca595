/* SPDX-License-Identifier: MIT */
/*
 * Compare two PNG images with a tolerance, shared by the pngcmp tool and the
 * UI tests: the images match when they have the same size and at most a
 * fraction max_bad of their pixels differ by more than max_diff in any
 * channel (R, G, B or A). Anti-aliasing and font rasteriser versions move a
 * few edge pixels by a little; a layout change moves many by a lot.
 */
#ifndef TW_PNGCMP_H
#define TW_PNGCMP_H

#include <SDL.h>
#include <SDL_image.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PNGCMP_MAX_DIFF 24
#define PNGCMP_MAX_BAD  0.002

typedef struct pngcmp_result {
    int w, h;         /* size of a */
    int w2, h2;       /* size of b */
    long pixels, bad; /* pixels compared, pixels over max_diff */
    int worst;        /* largest channel difference seen */
    double bad_fraction;
    char error[256]; /* set when an image could not be read */
} pngcmp_result;

static inline SDL_Surface *pngcmp_load_(const char *path, pngcmp_result *res)
{
    SDL_Surface *raw = IMG_Load(path);
    if (!raw) {
        snprintf(res->error, sizeof(res->error), "cannot read %.120s: %s", path, IMG_GetError());
        return NULL;
    }
    SDL_Surface *s = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_RGBA32, 0);
    SDL_FreeSurface(raw);
    if (!s)
        snprintf(res->error, sizeof(res->error), "cannot convert %.120s: %s", path, SDL_GetError());
    return s;
}

/*
 * Compare the PNG files a and b. When diff_path is not NULL and the sizes
 * match, write there a copy of a, dimmed, with the differing pixels in red.
 * Returns 0 when they match, 1 when they differ, 2 when one cannot be read.
 */
static inline int pngcmp_files(const char *a, const char *b, int max_diff, double max_bad,
                               const char *diff_path, pngcmp_result *res)
{
    memset(res, 0, sizeof(*res));
    SDL_Surface *sa = pngcmp_load_(a, res);
    SDL_Surface *sb = sa ? pngcmp_load_(b, res) : NULL;
    int rc = 2;
    if (!sa || !sb)
        goto out;
    res->w = sa->w, res->h = sa->h, res->w2 = sb->w, res->h2 = sb->h;
    rc = 1;
    if (sa->w != sb->w || sa->h != sb->h)
        goto out;

    SDL_Surface *d = diff_path ? SDL_ConvertSurfaceFormat(sa, SDL_PIXELFORMAT_RGBA32, 0) : NULL;
    for (int y = 0; y < sa->h; y++) {
        const Uint8 *pa = (const Uint8 *)sa->pixels + (size_t)y * sa->pitch;
        const Uint8 *pb = (const Uint8 *)sb->pixels + (size_t)y * sb->pitch;
        Uint8 *pd = d ? (Uint8 *)d->pixels + (size_t)y * d->pitch : NULL;
        for (int x = 0; x < sa->w; x++) {
            int worst = 0;
            for (int c = 0; c < 4; c++) {
                int diff = abs((int)pa[4 * x + c] - (int)pb[4 * x + c]);
                if (diff > worst)
                    worst = diff;
            }
            if (worst > res->worst)
                res->worst = worst;
            bool bad = worst > max_diff;
            res->bad += bad;
            if (pd) {
                for (int c = 0; c < 3; c++)
                    pd[4 * x + c] = bad ? (c == 0 ? 255 : 0) : pa[4 * x + c] / 4;
                pd[4 * x + 3] = 255;
            }
        }
    }
    res->pixels = (long)sa->w * sa->h;
    res->bad_fraction = res->pixels ? (double)res->bad / (double)res->pixels : 0.0;
    rc = res->bad_fraction <= max_bad ? 0 : 1;
    if (d) {
        if (IMG_SavePNG(d, diff_path) != 0)
            snprintf(res->error, sizeof(res->error), "cannot write %.120s: %.100s", diff_path,
                     IMG_GetError());
        SDL_FreeSurface(d);
    }
out:
    SDL_FreeSurface(sa);
    SDL_FreeSurface(sb);
    return rc;
}

/* One line on f with the figures of a comparison. */
static inline void pngcmp_print(FILE *f, const char *a, const char *b, int max_diff, double max_bad,
                                int rc, const pngcmp_result *res)
{
    if (rc == 2)
        fprintf(f, "pngcmp: %s\n", res->error);
    else if (res->w != res->w2 || res->h != res->h2)
        fprintf(f, "pngcmp: %s is %dx%d, %s is %dx%d: sizes differ\n", a, res->w, res->h, b,
                res->w2, res->h2);
    else
        fprintf(f,
                "pngcmp: %s vs %s: %dx%d, %ld of %ld pixels differ by more than %d (%.5f, "
                "limit %.5f), largest difference %d: %s\n",
                a, b, res->w, res->h, res->bad, res->pixels, max_diff, res->bad_fraction, max_bad,
                res->worst, rc == 0 ? "match" : "DIFFERENT");
}

#endif
