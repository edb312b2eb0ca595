/* SPDX-License-Identifier: MIT */
/*
 * The reference screenshots of tests/ref/, for the UI tests: screenshot a
 * tw_ui's last frame to <tmp>/<name>.png and compare it with
 * <src>/tests/ref/<name>.png within pngcmp.h's tolerance (a diff image goes
 * to <tmp>/<name>.diff.png), or, with TW_UPDATE_REF=1, rewrite the
 * reference (then look at it before committing).
 */
#ifndef TW_REFCHECK_H
#define TW_REFCHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pngcmp.h"
#include "render.h"

enum { REFCHECK_FAILED = -1, REFCHECK_MATCH = 0, REFCHECK_WRITTEN = 1 };

/* REFCHECK_MATCH, REFCHECK_WRITTEN, or REFCHECK_FAILED (said on stderr or
 * in pngcmp's line on stdout). */
static inline int refcheck_ui(tw_ui *ui, const char *src_dir, const char *tmp_dir, const char *name)
{
    char out[8192], ref[8192], diff[8192];
    snprintf(out, sizeof(out), "%.4000s/%.200s.png", tmp_dir, name);
    snprintf(ref, sizeof(ref), "%.4000s/tests/ref/%.200s.png", src_dir, name);
    snprintf(diff, sizeof(diff), "%.4000s/%.200s.diff.png", tmp_dir, name);
    if (tw_ui_screenshot(ui, out) != 0) {
        fprintf(stderr, "refcheck: cannot write %s\n", out);
        return REFCHECK_FAILED;
    }
    const char *upd = getenv("TW_UPDATE_REF");
    if (upd && strcmp(upd, "1") == 0) {
        if (tw_ui_screenshot(ui, ref) != 0) {
            fprintf(stderr, "refcheck: cannot write %s\n", ref);
            return REFCHECK_FAILED;
        }
        printf("wrote %s: look at it before committing\n", ref);
        return REFCHECK_WRITTEN;
    }
    pngcmp_result res;
    int rc = pngcmp_files(out, ref, PNGCMP_MAX_DIFF, PNGCMP_MAX_BAD, diff, &res);
    pngcmp_print(stdout, out, ref, PNGCMP_MAX_DIFF, PNGCMP_MAX_BAD, rc, &res);
    return rc == 0 ? REFCHECK_MATCH : REFCHECK_FAILED;
}

/* A UI test's start: UTC, the offscreen video driver, and its folders from
 * the environment ctest sets (TW_SOURCE_DIR, TW_TEST_TMP), fonts under
 * the source's assets/fonts. Each buffer holds at least 600 bytes. */
static inline void refcheck_setup(char *src_dir, size_t src_size, char *tmp_dir, size_t tmp_size,
                                  char *font_dir, size_t font_size)
{
    setenv("TZ", "UTC", 1);
    tzset();
    setenv("SDL_VIDEODRIVER", "offscreen", 1);
    const char *src = getenv("TW_SOURCE_DIR"), *tmp = getenv("TW_TEST_TMP");
    snprintf(src_dir, src_size, "%.500s", src && *src ? src : ".");
    snprintf(tmp_dir, tmp_size, "%.500s", tmp && *tmp ? tmp : "/tmp");
    snprintf(font_dir, font_size, "%.500s/assets/fonts", src_dir);
}

#endif
