/* SPDX-License-Identifier: MIT */
/*
 * pngturn IN OUT DEGREES: write IN turned clockwise by 90, 180 or 270
 * degrees to OUT, for tests/it_rotate.sh to compare a rotated board's
 * screenshot with an unrotated one (with tests/pngcmp).
 */
#define _POSIX_C_SOURCE 200809L
#include <SDL.h>
#include <SDL_image.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    int deg = argc == 4 ? atoi(argv[3]) : 0;
    if (deg != 90 && deg != 180 && deg != 270) {
        fprintf(stderr, "usage: pngturn IN OUT 90|180|270\n");
        return 2;
    }
    SDL_Surface *raw = IMG_Load(argv[1]);
    SDL_Surface *a = raw ? SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_RGBA32, 0) : NULL;
    SDL_FreeSurface(raw);
    if (!a) {
        fprintf(stderr, "pngturn: cannot read %s: %s\n", argv[1], IMG_GetError());
        return 1;
    }
    int w = deg == 180 ? a->w : a->h, h = deg == 180 ? a->h : a->w;
    SDL_Surface *b = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_RGBA32);
    for (int y = 0; y < a->h; y++) {
        for (int x = 0; x < a->w; x++) {
            int px = x, py = y;
            if (deg == 90)
                px = w - 1 - y, py = x;
            else if (deg == 180)
                px = w - 1 - x, py = h - 1 - y;
            else
                px = y, py = h - 1 - x;
            memcpy((char *)b->pixels + py * b->pitch + px * 4,
                   (char *)a->pixels + y * a->pitch + x * 4, 4);
        }
    }
    int rc = IMG_SavePNG(b, argv[2]);
    if (rc)
        fprintf(stderr, "pngturn: cannot write %s: %s\n", argv[2], IMG_GetError());
    SDL_FreeSurface(a);
    SDL_FreeSurface(b);
    return rc ? 1 : 0;
}
