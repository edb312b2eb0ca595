/* SPDX-License-Identifier: MIT */
/*
 * Translations. Every string a person reads (the wall, the stand-up screens,
 * chat replies, teamwall-ctl's human output) goes through _() so that it is
 * looked up in the language's gettext catalogue (po/<lang>.po, compiled with
 * the project); N_() marks a string for the catalogue where it is only
 * looked up later (tables of names); C_(context, s) and NC_() do the same
 * with a context, for words that translate differently by use ("May" the
 * month); tw_i18n_ntext() picks the singular or plural form for n.
 * scripts/po-update.sh extracts these marks into po/teamwall.pot.
 *
 * One language per process, set once at start from the config's
 * [display] language (empty: from LC_ALL, LC_MESSAGES or LANG). Until then,
 * and for English, every string is its own translation.
 *
 * Returned strings are borrowed: from the catalogue (valid until the next
 * tw_i18n_set_language), or msgid itself.
 */
#ifndef TW_I18N_H
#define TW_I18N_H

#include <stdbool.h>
#include <stddef.h>

/* Where the catalogues are installed and built (CMake sets both). */
#ifndef TW_LOCALEDIR
#define TW_LOCALEDIR "/usr/share/locale"
#endif
#ifndef TW_BUILD_LOCALEDIR
#define TW_BUILD_LOCALEDIR ""
#endif

/* Use lang ("de", "fr_CH.UTF-8"; NULL or "" for the environment's). Looks
 * for <dir>/<lang>/LC_MESSAGES/teamwall.mo in $TEAMWALL_LOCALEDIR,
 * TW_LOCALEDIR and the build tree. Returns 0, or TW_ERR_NOTFOUND when there
 * is no catalogue for it (the language stays as it was). */
int tw_i18n_set_language(const char *lang);
/* The config's [display] language: "auto" (or empty) takes the
 * environment's and falls back to English when teamwall has no catalogue
 * for it; a named one must exist. Logs what it did; returns 0 or
 * TW_ERR_NOTFOUND. */
int tw_i18n_use_config(const char *language);
/* The language in use: "en", "de", ... */
const char *tw_i18n_language(void);
/* The language the environment asks for ("de_DE.UTF-8"), "en" for C/POSIX. */
const char *tw_i18n_env_language(void);
/* The languages teamwall ships, "en, de, fr, es, nl"; *count of them. */
const char *tw_i18n_offered(size_t *count);

/* The translation of msgid in the current language, or msgid. */
const char *tw_i18n_text(const char *msgid) __attribute__((format_arg(1)));
/* The same for msgid in context (msgctxt). */
const char *tw_i18n_ptext(const char *context, const char *msgid) __attribute__((format_arg(2)));
/* The form of singular/plural for n in the current language. */
const char *tw_i18n_ntext(const char *singular, const char *plural, unsigned long n)
    __attribute__((format_arg(1))) __attribute__((format_arg(2)));

/* Which plural form a Plural-Forms expression ("(n > 1)") gives for n, or
 * -1 when it does not parse. NULL or "": English's. For tests. */
int tw_i18n_plural_index(const char *expr, unsigned long n);

#define _(s)        tw_i18n_text(s)
#define N_(s)       (s)
#define C_(c, s)    tw_i18n_ptext(c, s)
#define NC_(c, s)   (s)
#define P_(s, p, n) tw_i18n_ntext(s, p, n)

#endif
