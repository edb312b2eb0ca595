/* SPDX-License-Identifier: MIT */
/*
 * The font set holds only the fonts text is drawn with (TARGETS.md P4):
 * each bundled face opened at a size is ~156 KB of FreeType's, and ~158 KB
 * more of HarfBuzz's once it shapes. Loading the set and defining its roles
 * keeps none open; a role's text opens that role's face, and only it.
 */
#define _POSIX_C_SOURCE 200809L
#include <SDL.h>
#include <SDL_ttf.h>
#include <malloc.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "fonts.h"
#include "refcheck.h"

#if defined(__SANITIZE_ADDRESS__)
/* ASan's allocator replaces malloc's, and mallinfo2 with it. */
size_t __sanitizer_get_current_allocated_bytes(void);
static size_t heap_in_use(void)
{
    return __sanitizer_get_current_allocated_bytes();
}
#else
static size_t heap_in_use(void)
{
    struct mallinfo2 m = mallinfo2();
    return m.uordblks + m.hblkhd;
}
#endif

static char src_dir[4096], tmp_dir[4096], font_dir[8192];

static long kib_since(size_t before)
{
    size_t now = heap_in_use();
    return now > before ? (long)((now - before) / 1024) : 0;
}

static void test_held_fonts(void)
{
    /* SDL_ttf's own start-up (FreeType's library) before the baseline. */
    size_t before = heap_in_use();
    tw_fonts *f = NULL;
    CHECK_EQ_INT(tw_fonts_create(font_dir, &f), 0);
    if (!f)
        return;
    long created = kib_since(before);
    for (int r = 0; r < 4; r++)
        CHECK_EQ_INT(tw_fonts_set_role(f, r, r % 2 == 1, 24 + 8 * r), 0);
    long defined = kib_since(before);
    printf("heap held: %ld KiB after loading the set, %ld KiB with 4 roles defined\n", created,
           defined);
    /* Before: two faces held open for coverage and metrics, 312 KiB. */
    CHECK(created < 64);
    CHECK(defined < 64);
    tw_fonts_stats st;
    tw_fonts_get_stats(f, &st);
    CHECK_EQ_INT(st.open, 0);

    tw_font_metrics m;
    tw_fonts_metrics(f, 2, &m);
    CHECK_EQ_INT(m.px, 40);
    CHECK(m.ascent > 0 && m.height >= m.ascent);

    /* A text in role 0: its face at its size, nothing else. */
    const char *s = "Who knows the VPN? Àéîõü";
    CHECK(tw_fonts_measure(f, 0, s, strlen(s), false) > 0);
    tw_fonts_get_stats(f, &st);
    CHECK_EQ_INT(st.open, 1);
    CHECK_EQ_STR(tw_fonts_face_for(f, 0, 'A'), "Inter-Regular.otf");
    CHECK_EQ_STR(tw_fonts_face_for(f, 1, 'A'), "Inter-SemiBold.otf");
    tw_fonts_get_stats(f, &st);
    CHECK_EQ_INT(st.open, 2); /* asking role 1 opened role 1's face */
    tw_fonts_destroy(f);
}

int main(void)
{
    refcheck_setup(src_dir, sizeof(src_dir), tmp_dir, sizeof(tmp_dir), font_dir, sizeof(font_dir));
    if (SDL_Init(0) != 0 || TTF_Init() != 0) {
        fprintf(stderr, "SDL_ttf: %s\n", SDL_GetError());
        return 1;
    }
    test_held_fonts();
    TTF_Quit();
    SDL_Quit();
    return check_done();
}
