/* SPDX-License-Identifier: MIT */
/*
 * The presentation step's rotation (rotate.h): one kept target texture at
 * the board's size and SDL_RenderCopyEx about the output's centre.
 */
#define _POSIX_C_SOURCE 200809L
#define LOG_MODULE      "ui"
#include "rotate.h"

#include <stdlib.h>

#include "../firmware/log.h"
#include "../firmware/util.h"

struct tw_rotate {
    int degrees;
    SDL_Texture *board; /* the frame before it is turned */
    int bw, bh;
    SDL_Texture *saved_target;
    bool active; /* begin() set the target */
};

tw_rotate *tw_rotate_create(int degrees)
{
    tw_rotate *rot = tw_xcalloc(1, sizeof(*rot));
    rot->degrees = (degrees == 90 || degrees == 180 || degrees == 270) ? degrees : 0;
    return rot;
}

void tw_rotate_destroy(tw_rotate *rot)
{
    if (!rot)
        return;
    if (rot->board)
        SDL_DestroyTexture(rot->board);
    free(rot);
}

int tw_rotate_degrees(const tw_rotate *rot)
{
    return rot ? rot->degrees : 0;
}

static bool sideways(const tw_rotate *rot)
{
    return rot && (rot->degrees == 90 || rot->degrees == 270);
}

void tw_rotate_board_size(const tw_rotate *rot, int ow, int oh, int *bw, int *bh)
{
    *bw = sideways(rot) ? oh : ow;
    *bh = sideways(rot) ? ow : oh;
}

void tw_rotate_to_board(const tw_rotate *rot, int ow, int oh, int px, int py, int *bx, int *by)
{
    int bw, bh;
    tw_rotate_board_size(rot, ow, oh, &bw, &bh);
    switch (tw_rotate_degrees(rot)) {
    case 90: /* the board's top edge is the screen's right edge */
        *bx = py;
        *by = bh - 1 - px;
        break;
    case 180:
        *bx = bw - 1 - px;
        *by = bh - 1 - py;
        break;
    case 270: /* the board's top edge is the screen's left edge */
        *bx = bw - 1 - py;
        *by = px;
        break;
    default:
        *bx = px;
        *by = py;
        break;
    }
}

int tw_rotate_begin(tw_rotate *rot, SDL_Renderer *r, int bw, int bh)
{
    if (!rot || !rot->degrees)
        return 0;
    rot->active = false;
    if (!rot->board || rot->bw != bw || rot->bh != bh) {
        if (rot->board)
            SDL_DestroyTexture(rot->board);
        rot->board =
            SDL_CreateTexture(r, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_TARGET, bw, bh);
        rot->bw = bw;
        rot->bh = bh;
        if (!rot->board) {
            log_error("rotate: no target texture (%s); drawing unrotated", SDL_GetError());
            return TW_ERR_IO;
        }
    }
    rot->saved_target = SDL_GetRenderTarget(r);
    if (SDL_SetRenderTarget(r, rot->board) != 0) {
        log_error("rotate: cannot draw into the texture (%s); drawing unrotated", SDL_GetError());
        return TW_ERR_IO;
    }
    rot->active = true;
    return 0;
}

int tw_rotate_copy(const tw_rotate *rot, SDL_Renderer *r, SDL_Texture *src, int bw, int bh, int ow,
                   int oh)
{
    /* The board centred on the output, turned about the centre. */
    SDL_Rect dst = {(ow - bw) / 2, (oh - bh) / 2, bw, bh};
    SDL_SetRenderDrawColor(r, 0, 0, 0, 255);
    SDL_RenderClear(r);
    if (SDL_RenderCopyEx(r, src, NULL, &dst, (double)tw_rotate_degrees(rot), NULL, SDL_FLIP_NONE) !=
        0) {
        log_error("rotate: copy failed: %s", SDL_GetError());
        return TW_ERR_IO;
    }
    return 0;
}

int tw_rotate_end(tw_rotate *rot, SDL_Renderer *r, SDL_Texture *target, int ow, int oh)
{
    if (!rot || !rot->active)
        return 0;
    rot->active = false;
    if (SDL_SetRenderTarget(r, target ? target : rot->saved_target) != 0) {
        log_error("rotate: cannot restore the target: %s", SDL_GetError());
        return TW_ERR_IO;
    }
    return tw_rotate_copy(rot, r, rot->board, rot->bw, rot->bh, ow, oh);
}
