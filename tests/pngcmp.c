/* SPDX-License-Identifier: MIT */
/*
 * pngcmp A.png B.png [max_channel_diff=24] [max_bad_fraction=0.002]
 *
 * Exit 0 when the two images have the same size and at most max_bad_fraction
 * of their pixels differ by more than max_channel_diff in some channel; 1
 * when they differ; 2 on a usage or read error. Prints the figures either
 * way. With PNGCMP_DIFF=out.png set, also writes an image of the differing
 * pixels (red over a dimmed A) for the reviewer.
 */
#define SDL_MAIN_HANDLED
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pngcmp.h"

static int usage(void)
{
    fprintf(stderr, "usage: pngcmp A.png B.png [max_channel_diff=%d] [max_bad_fraction=%g]\n",
            PNGCMP_MAX_DIFF, PNGCMP_MAX_BAD);
    return 2;
}

int main(int argc, char **argv)
{
    int max_diff = PNGCMP_MAX_DIFF;
    double max_bad = PNGCMP_MAX_BAD;
    char *end;

    if (argc < 3 || argc > 5)
        return usage();
    if (argc > 3) {
        errno = 0;
        long v = strtol(argv[3], &end, 10);
        if (errno || *end || end == argv[3] || v < 0 || v > 255)
            return usage();
        max_diff = (int)v;
    }
    if (argc > 4) {
        errno = 0;
        max_bad = strtod(argv[4], &end);
        if (errno || *end || end == argv[4] || !(max_bad >= 0.0 && max_bad <= 1.0))
            return usage();
    }

    pngcmp_result res;
    const char *diff = getenv("PNGCMP_DIFF");
    int rc = pngcmp_files(argv[1], argv[2], max_diff, max_bad, diff && *diff ? diff : NULL, &res);
    pngcmp_print(rc == 0 ? stdout : stderr, argv[1], argv[2], max_diff, max_bad, rc, &res);
    if (res.error[0] && rc != 2)
        fprintf(stderr, "pngcmp: %s\n", res.error);
    IMG_Quit();
    SDL_Quit();
    return rc;
}
