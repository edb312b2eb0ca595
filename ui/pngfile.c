/* SPDX-License-Identifier: MIT */
/* PNG files from RGB pixels with libpng's simplified write API. */
#include "pngfile.h"

#include <png.h>
#include <stdio.h>
#include <string.h>

#include "util.h"

int tw_pngfile_write_rgb(const char *path, const void *pixels, int w, int h, int pitch, char *err,
                         size_t err_size)
{
    if (!path || !pixels || w <= 0 || h <= 0 || pitch < w * 3) {
        snprintf(err, err_size, "invalid image");
        return TW_ERR_INVAL;
    }
    png_image img;
    memset(&img, 0, sizeof(img));
    img.version = PNG_IMAGE_VERSION;
    img.width = (png_uint_32)w;
    img.height = (png_uint_32)h;
    img.format = PNG_FORMAT_RGB;
    if (!png_image_write_to_file(&img, path, 0, pixels, pitch, NULL)) {
        snprintf(err, err_size, "%s", img.message[0] ? img.message : "cannot write");
        png_image_free(&img);
        return TW_ERR_IO;
    }
    return 0;
}
