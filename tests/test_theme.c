/* SPDX-License-Identifier: MIT */
/*
 * Themes: the contrast maths against known values, then every text/background
 * pair any theme allows computed and held to WCAG AA (4.5:1), with the worst
 * pair of each theme printed.
 */
#include <math.h>
#include <stdio.h>

#include "check.h"
#include "theme.h"

static bool near(double a, double b)
{
    return fabs(a - b) < 0.01;
}

int main(void)
{
    /* Known values: black on white is 21:1, a colour on itself 1:1, and
     * #767676 on white is the classic just-passing grey (4.54:1). */
    tw_rgb black = {0, 0, 0}, white = {255, 255, 255}, grey = {0x76, 0x76, 0x76};
    CHECK(near(tw_contrast(black, white), 21.0));
    CHECK(near(tw_contrast(white, black), 21.0));
    CHECK(near(tw_contrast(grey, grey), 1.0));
    CHECK(near(tw_contrast(grey, white), 4.54));
    CHECK(near(tw_luminance(white), 1.0));
    CHECK(near(tw_luminance(black), 0.0));
    tw_rgb mid = tw_rgb_mix(black, white, 128);
    CHECK_EQ_INT(mid.r, 128);
    CHECK_EQ_INT(tw_rgb_mix(black, white, 0).g, 0);
    CHECK_EQ_INT(tw_rgb_mix(black, white, 255).b, 255);

    CHECK(tw_theme_get("dark") != NULL);
    CHECK(tw_theme_get("light") != NULL);
    CHECK(tw_theme_get("high-contrast") != NULL);
    CHECK(tw_theme_get("") == tw_theme_get("dark"));
    CHECK(tw_theme_get("sepia") == NULL);
    CHECK_EQ_INT(tw_theme_count(), 3);

    /* Every allowed pair of every theme. (Text is laid onto its surface's
     * colour when rasterised, so these are exactly the pixels drawn.) */
    int pairs = 0;
    for (size_t t = 0; t < tw_theme_count(); t++) {
        const tw_theme *th = tw_theme_at(t);
        double worst = 99;
        const char *wi = "", *ws = "";
        for (int s = 0; s < SURF_COUNT; s++) {
            for (int i = 0; i < INK_COUNT; i++) {
                if (!tw_theme_pair_allowed((tw_ink)i, (tw_surface)s))
                    continue;
                double c = tw_contrast(th->ink[i], th->surface[s]);
                pairs++;
                if (c < worst) {
                    worst = c;
                    wi = tw_ink_name((tw_ink)i);
                    ws = tw_surface_name((tw_surface)s);
                }
                if (c < 4.5) {
                    fprintf(stderr, "%s: %s on %s is %.2f:1 (needs 4.5)\n", th->name,
                            tw_ink_name((tw_ink)i), tw_surface_name((tw_surface)s), c);
                    CHECK(c >= 4.5);
                }
            }
        }
        printf("%-14s worst pair %s on %s: %.2f:1\n", th->name, wi, ws, worst);
    }
    /* Every surface carries some text; every ink is used somewhere. */
    for (int s = 0; s < SURF_COUNT; s++) {
        bool any = false;
        for (int i = 0; i < INK_COUNT; i++)
            any |= tw_theme_pair_allowed((tw_ink)i, (tw_surface)s);
        CHECK(any);
    }
    CHECK(!tw_theme_pair_allowed(INK_TEXT, SURF_WARN));
    CHECK(!tw_theme_pair_allowed(INK_COUNT, SURF_BG));
    printf("%d text/background pairs checked\n", pairs);
    return check_done();
}
