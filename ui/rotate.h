/* SPDX-License-Identifier: MIT */
/*
 * [display] rotate: the board drawn turned clockwise by 0, 90, 180 or 270
 * degrees, for a screen mounted in portrait or upside down, without touching
 * the operating system. Only the presentation step knows: the frame is drawn
 * at the board's size (the output's, with width and height swapped for 90
 * and 270) into a target texture, which is copied turned onto the screen (or
 * into the screenshot); touches and clicks on the screen are mapped back to
 * the board's coordinates. Degrees 0 costs nothing: no texture, no copy.
 * This module owns the texture; ui/render.c owns the renderer.
 */
#ifndef TW_UI_ROTATE_H
#define TW_UI_ROTATE_H

#include <SDL.h>

typedef struct tw_rotate tw_rotate;

/* degrees: 0, 90, 180 or 270 (anything else counts as 0). Never NULL. */
tw_rotate *tw_rotate_create(int degrees);
/* NULL is a no-op. */
void tw_rotate_destroy(tw_rotate *rot);
int tw_rotate_degrees(const tw_rotate *rot);

/* The board's size for an output of ow x oh. */
void tw_rotate_board_size(const tw_rotate *rot, int ow, int oh, int *bw, int *bh);

/* A point of the output (physical pixels, 0..ow-1, 0..oh-1) in the board's
 * coordinates. */
void tw_rotate_to_board(const tw_rotate *rot, int ow, int oh, int px, int py, int *bx, int *by);

/* Before drawing a frame of bw x bh: with a rotation, make the (kept)
 * board texture the render target. 0, or TW_ERR_IO when the renderer has no
 * target textures (then the frame is drawn unrotated). */
int tw_rotate_begin(tw_rotate *rot, SDL_Renderer *r, int bw, int bh);

/* After drawing: copy the board texture turned onto target (NULL: the
 * screen) of ow x oh. A no-op without a rotation. */
int tw_rotate_end(tw_rotate *rot, SDL_Renderer *r, SDL_Texture *target, int ow, int oh);

/* Copy src (bw x bh, the board) turned onto the current render target of
 * ow x oh (for the screenshot). */
int tw_rotate_copy(const tw_rotate *rot, SDL_Renderer *r, SDL_Texture *src, int bw, int bh, int ow,
                   int oh);

#endif
