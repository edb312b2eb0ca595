/* SPDX-License-Identifier: MIT */
/*
 * Languages (firmware/i18n.c, po/): Plural-Forms expressions, lookups in the
 * catalogues the build compiled from po/<lang>.po (plain, with a context, a
 * language that has none), the language from the environment, dates in the
 * language's order and names, and the wall in German and French: the
 * reference image wall_800x480_de.png, and no section title, tile label,
 * header or banner text cut with an ellipsis: German at every size, the
 * other languages at 800x480, 1920x1080 and both turned to portrait.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <SDL_ttf.h>
#include <stdint.h>

#include "check.h"
#include "i18n.h"
#include "refcheck.h"
#include "render.h"
#include "screen.h"
#include "wallfix.h"

static char src_dir[4096], tmp_dir[4096], font_dir[8192];
static int64_t now;

static void test_plural(void)
{
    /* English's default, French's, and the harder ones gettext's manual
     * lists (Polish, Russian, Arabic), to prove the evaluator. */
    CHECK_EQ_INT(tw_i18n_plural_index(NULL, 1), 0);
    CHECK_EQ_INT(tw_i18n_plural_index("", 0), 1);
    CHECK_EQ_INT(tw_i18n_plural_index("(n != 1)", 1), 0);
    CHECK_EQ_INT(tw_i18n_plural_index("(n != 1)", 2), 1);
    CHECK_EQ_INT(tw_i18n_plural_index("(n > 1)", 0), 0);
    CHECK_EQ_INT(tw_i18n_plural_index("(n > 1)", 2), 1);
    const char *pl = "(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)";
    CHECK_EQ_INT(tw_i18n_plural_index(pl, 1), 0);
    CHECK_EQ_INT(tw_i18n_plural_index(pl, 3), 1);
    CHECK_EQ_INT(tw_i18n_plural_index(pl, 13), 2);
    CHECK_EQ_INT(tw_i18n_plural_index(pl, 22), 1);
    CHECK_EQ_INT(tw_i18n_plural_index(pl, 25), 2);
    const char *ru = "(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || "
                     "n%100>=20) ? 1 : 2)";
    CHECK_EQ_INT(tw_i18n_plural_index(ru, 21), 0);
    CHECK_EQ_INT(tw_i18n_plural_index(ru, 11), 2);
    const char *ar = "(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : "
                     "n%100>=11 ? 4 : 5)";
    CHECK_EQ_INT(tw_i18n_plural_index(ar, 0), 0);
    CHECK_EQ_INT(tw_i18n_plural_index(ar, 105), 3);
    CHECK_EQ_INT(tw_i18n_plural_index(ar, 111), 4);
    CHECK_EQ_INT(tw_i18n_plural_index(ar, 100), 5);
    CHECK_EQ_INT(tw_i18n_plural_index("!n", 0), 1);
    CHECK_EQ_INT(tw_i18n_plural_index("(n <= 1) + (n >= 5) * 2", 6), 2);
    /* Not an expression: refused, never a crash. */
    CHECK_EQ_INT(tw_i18n_plural_index("(n > ", 1), -1);
    CHECK_EQ_INT(tw_i18n_plural_index("n % 0", 1), -1);
    CHECK_EQ_INT(tw_i18n_plural_index("n ? 1", 1), -1);
}

static void test_lookup(void)
{
    CHECK_EQ_STR(tw_i18n_language(), "en");
    CHECK_EQ_STR(_("Blockers"), "Blockers");
    CHECK_EQ_INT(tw_i18n_set_language("de"), 0);
    CHECK_EQ_STR(tw_i18n_language(), "de");
    CHECK_EQ_STR(_("Blockers"), "Blocker");
    CHECK_EQ_STR(_("No open questions"), "Keine offenen Fragen");
    CHECK_EQ_STR(_("not in any catalogue"), "not in any catalogue");
    /* Contexts: the month May and a weekday. */
    CHECK_EQ_STR(C_("month", "May"), "Mai");
    CHECK_EQ_STR(C_("weekday", "Wed"), "Mi");
    CHECK_EQ_STR(C_("nothing", "May"), "May");
    /* A language with a region, and the plural rule of the catalogue. */
    CHECK_EQ_INT(tw_i18n_set_language("fr_CH.UTF-8"), 0);
    CHECK_EQ_STR(tw_i18n_language(), "fr");
    CHECK_EQ_STR(_("History"), "Historique");
    CHECK_EQ_STR(P_("one", "many", 1), "one"); /* untranslated: English's rule */
    CHECK_EQ_STR(P_("one", "many", 0), "many");
    /* Unknown: refused, and the language stays. */
    CHECK_EQ_INT(tw_i18n_set_language("tlh"), TW_ERR_NOTFOUND);
    CHECK_EQ_STR(tw_i18n_language(), "fr");
    CHECK_EQ_INT(tw_i18n_use_config("tlh"), TW_ERR_NOTFOUND);
    /* From the environment: LANG, overridden by LC_MESSAGES and LC_ALL;
     * C and a language without a catalogue are English. */
    unsetenv("LC_ALL");
    unsetenv("LC_MESSAGES");
    setenv("LANG", "es_ES.UTF-8", 1);
    CHECK_EQ_INT(tw_i18n_use_config("auto"), 0);
    CHECK_EQ_STR(tw_i18n_language(), "es");
    setenv("LC_MESSAGES", "nl_BE.UTF-8", 1);
    CHECK_EQ_INT(tw_i18n_use_config(""), 0);
    CHECK_EQ_STR(tw_i18n_language(), "nl");
    CHECK_EQ_STR(_("Wins"), "Successen");
    setenv("LC_ALL", "C.UTF-8", 1);
    CHECK_EQ_INT(tw_i18n_use_config("auto"), 0);
    CHECK_EQ_STR(tw_i18n_language(), "en");
    setenv("LC_ALL", "ja_JP.UTF-8", 1);
    CHECK_EQ_INT(tw_i18n_use_config("auto"), 0);
    CHECK_EQ_STR(tw_i18n_language(), "en");
    unsetenv("LC_ALL");
    unsetenv("LC_MESSAGES");
    CHECK_EQ_STR(tw_i18n_offered(NULL), "en, de, fr, es, nl");
    /* A file that is not a catalogue is refused with a reason. */
    char dir[4200], path[4300];
    snprintf(dir, sizeof(dir), "%s/i18n-bad/xx/LC_MESSAGES", tmp_dir);
    char cmd[8800];
    snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", dir);
    CHECK_EQ_INT(system(cmd), 0);
    snprintf(path, sizeof(path), "%s/teamwall.mo", dir);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f) {
        fputs("this is not an .mo file, but long enough to have a header", f);
        fclose(f);
    }
    snprintf(dir, sizeof(dir), "%s/i18n-bad", tmp_dir);
    setenv("TEAMWALL_LOCALEDIR", dir, 1);
    CHECK_EQ_INT(tw_i18n_set_language("xx"), TW_ERR_NOTFOUND);
    unsetenv("TEAMWALL_LOCALEDIR");
    CHECK_EQ_INT(tw_i18n_set_language("en"), 0);
}

static void test_dates(void)
{
    char buf[64];
    /* Wednesday 25 November 2026, 10:00 UTC. */
    tw_format_date(now, buf, sizeof(buf));
    CHECK_EQ_STR(buf, "Wed 25 Nov");
    tw_format_when(now - 2 * 86400 - 3600, now, buf, sizeof(buf));
    CHECK_EQ_STR(buf, "Mon 09:00");
    tw_format_when(now - 10 * 86400, now, buf, sizeof(buf));
    CHECK_EQ_STR(buf, "15 Nov 10:00");
    static const struct {
        const char *lang, *date, *week, *older, *age;
    } want[] = {
        {"de", "Mi, 25. Nov.", "Mo 09:00", "15. Nov. 10:00", "3 h"},
        {"fr", "mer. 25 nov.", "lun. 09:00", "15 nov. 10:00", "3 h"},
        {"es", "mié 25 nov", "lun 09:00", "15 nov 10:00", "3 h"},
        {"nl", "wo 25 nov", "ma 09:00", "15 nov 10:00", "3 u"},
    };
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        CHECK_EQ_INT(tw_i18n_set_language(want[i].lang), 0);
        tw_format_date(now, buf, sizeof(buf));
        CHECK_EQ_STR(buf, want[i].date);
        tw_format_when(now - 2 * 86400 - 3600, now, buf, sizeof(buf));
        CHECK_EQ_STR(buf, want[i].week);
        tw_format_when(now - 10 * 86400, now, buf, sizeof(buf));
        CHECK_EQ_STR(buf, want[i].older);
        tw_format_age(3 * 3600 + 5, buf, sizeof(buf));
        CHECK_EQ_STR(buf, want[i].age);
    }
    CHECK_EQ_INT(tw_i18n_set_language("en"), 0);
}

/* Every character of every translation is in the bundled Inter (regular
 * and semibold), so no language offered needs a fallback font: read from
 * the .po files themselves. */
static void test_fonts_cover(void)
{
    CHECK_EQ_INT(TTF_Init(), 0);
    static const char *const faces[] = {"Inter-Regular.otf", "Inter-SemiBold.otf"};
    static const char *const langs[] = {"de", "fr", "es", "nl"};
    for (size_t f = 0; f < sizeof(faces) / sizeof(faces[0]); f++) {
        char path[8400];
        snprintf(path, sizeof(path), "%s/%s", font_dir, faces[f]);
        TTF_Font *font = TTF_OpenFont(path, 20);
        CHECK(font != NULL);
        if (!font)
            continue;
        for (size_t l = 0; l < sizeof(langs) / sizeof(langs[0]); l++) {
            snprintf(path, sizeof(path), "%s/po/%s.po", src_dir, langs[l]);
            FILE *po = fopen(path, "r");
            CHECK(po != NULL);
            if (!po)
                continue;
            char line[2048];
            int missing = 0, chars = 0;
            bool in_str = false;
            while (fgets(line, sizeof(line), po)) {
                if (strncmp(line, "msgstr", 6) == 0)
                    in_str = true;
                else if (line[0] != '"')
                    in_str = false;
                if (!in_str || strncmp(line, "msgstr \"\"", 9) == 0)
                    continue;
                const char *q = strchr(line, '"');
                for (const unsigned char *c = q ? (const unsigned char *)q + 1 : NULL; c && *c;) {
                    uint32_t cp = *c;
                    int len = cp < 0x80 ? 1 : cp < 0xE0 ? 2 : cp < 0xF0 ? 3 : 4;
                    if (len > 1) {
                        cp &= 0xFF >> (len + 1);
                        for (int k = 1; k < len && c[k]; k++)
                            cp = (cp << 6) | (c[k] & 0x3F);
                    }
                    c += len;
                    if (cp < 0x20 || cp == '"' || cp == '\\' || cp == '\n')
                        continue;
                    chars++;
                    if (!TTF_GlyphIsProvided32(font, cp)) {
                        if (missing++ < 5)
                            fprintf(stderr, "%s: U+%04X of po/%s.po not in %s\n", langs[l],
                                    (unsigned)cp, langs[l], faces[f]);
                    }
                }
            }
            fclose(po);
            CHECK(chars > 1000);
            CHECK_EQ_INT(missing, 0);
        }
        TTF_CloseFont(font);
    }
    TTF_Quit();
}

/* ---- the wall in other languages ---- */

static wallfix wall;

static tw_ui *open_ui(int w, int h)
{
    tw_ui_options opt = {.width = w, .height = h, .headless = true, .font_dir = font_dir};
    tw_ui *ui = NULL;
    CHECK_EQ_INT(tw_ui_create(&opt, &ui), 0);
    return ui;
}

static tw_view wall_view(bool offline)
{
    static tw_warning warn = {.key = "battery:desk-7",
                              .text = "Desk 7 button: battery at 8 %, replace it soon",
                              .level = TW_WARN_WARNING};
    tw_view v = {.team = "platform", .now = wall.now, .online = !offline};
    v.board = wall.board;
    v.figures = tw_digest_figures(wall.digest);
    v.learned = tw_digest_learned(wall.digest, &v.n_learned);
    if (offline) {
        v.offline_since = wall.now - 18 * 60;
        v.offline_reason = "refused credentials";
        warn.since = wall.now - 3 * 3600;
        v.warnings = &warn;
        v.n_warnings = 1;
    }
    return v;
}

/* Titles, labels, the header and the banner are never cut. */
static void check_uncut(tw_ui *ui, const char *what)
{
    static const int roles[] = {F_HEADER, F_TITLE, F_FIG_LABEL, F_BANNER};
    static const char *const names[] = {"header", "section title", "tile label", "banner"};
    tw_ui_stats st;
    tw_ui_get_stats(ui, &st);
    bool bad = false;
    for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
        bad |= st.cut[roles[i]] != 0;
    if (bad) { /* keep the picture for whoever fixes it */
        char out[8400];
        snprintf(out, sizeof(out), "%s/cut %s.png", tmp_dir, what);
        tw_ui_screenshot(ui, out);
    }
    for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++) {
        if (st.cut[roles[i]])
            fprintf(stderr, "%s: %u %s text(s) cut\n", what, st.cut[roles[i]], names[i]);
        CHECK_EQ_INT(st.cut[roles[i]], 0);
    }
}

static void check_ref(tw_ui *ui, const char *name)
{
    CHECK(refcheck_ui(ui, src_dir, tmp_dir, name) != REFCHECK_FAILED);
}

static void test_walls(void)
{
    char path[8192];
    snprintf(path, sizeof(path), "%s/i18n-wall.db", tmp_dir);
    CHECK_EQ_INT(wallfix_open(&wall, path, now), 0);
    wallfix_team(&wall, 40);
    CHECK_EQ_INT(wall.failures, 0);

    /* German, the longest words, on the 7" screen: the reference. */
    CHECK_EQ_INT(tw_i18n_set_language("de"), 0);
    tw_view v = wall_view(false);
    tw_ui *ui = open_ui(800, 480);
    if (ui) {
        CHECK_EQ_INT(tw_ui_render(ui, &v), 0);
        check_uncut(ui, "de 800x480");
        check_ref(ui, "wall_800x480_de");
        tw_ui_destroy(ui);
    }
    /* Every size, both orientations, each language, offline with a warning
     * too: nothing that names a part of the wall is cut. */
    static const int sizes[][2] = {{800, 480},   {480, 800},   {1024, 600},  {1280, 720},
                                   {720, 1280},  {1366, 768},  {1920, 1080}, {1080, 1920},
                                   {2560, 1440}, {3840, 2160}, {2160, 3840}};
    static const char *const langs[] = {"de", "fr", "es", "nl", "en"};
    for (size_t l = 0; l < sizeof(langs) / sizeof(langs[0]); l++) {
        CHECK_EQ_INT(tw_i18n_set_language(langs[l]), 0);
        for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
            /* German (the longest words) at every size; the others at the
             * smallest and the most common, both ways up. */
            bool small = (sizes[i][0] == 800 || sizes[i][0] == 480 || sizes[i][0] == 1920 ||
                          sizes[i][1] == 1920);
            if (strcmp(langs[l], "de") != 0 && !small)
                continue;
            for (int off = 0; off < 2; off++) {
                ui = open_ui(sizes[i][0], sizes[i][1]);
                if (!ui)
                    continue;
                tw_view lv = wall_view(off);
                CHECK_EQ_INT(tw_ui_render(ui, &lv), 0);
                char what[64];
                snprintf(what, sizeof(what), "%s %dx%d%s", langs[l], sizes[i][0], sizes[i][1],
                         off ? " offline" : "");
                check_uncut(ui, what);
                tw_ui_destroy(ui);
            }
        }
    }
    CHECK_EQ_INT(tw_i18n_set_language("en"), 0);
    wallfix_close(&wall);
}

int main(void)
{
    refcheck_setup(src_dir, sizeof(src_dir), tmp_dir, sizeof(tmp_dir), font_dir, sizeof(font_dir));
    CHECK_EQ_INT(tw_time_parse("2026-11-25T10:00:00Z", &now), 0);
    test_plural();
    test_lookup();
    test_dates();
    test_fonts_cover();
    test_walls();
    return check_done();
}
