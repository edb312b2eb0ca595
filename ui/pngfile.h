/* SPDX-License-Identifier: MIT */
/*
 * Screenshots as PNG files, through libpng's simplified API. The board
 * writes PNGs only when asked (headless screenshots, tests), and SDL_image,
 * which it used before, brought eleven more libraries into every board's
 * memory (libtiff, libwebp, libjpeg, libLerc, libstdc++ ...): about 1.5 MB
 * of resident set for one function. libpng is loaded anyway (FreeType).
 */
#ifndef TW_UI_PNGFILE_H
#define TW_UI_PNGFILE_H

#include <stddef.h>

/* Write w x h pixels of 8-bit R, G, B (rows pitch bytes apart, borrowed)
 * to path. Returns 0, or TW_ERR_IO with the reason in err. */
int tw_pngfile_write_rgb(const char *path, const void *pixels, int w, int h, int pitch, char *err,
                         size_t err_size);

#endif
