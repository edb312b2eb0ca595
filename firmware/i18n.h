/* SPDX-License-Identifier: MIT */
/*
 * Translations. Every string a person reads (the wall, the stand-up screens,
 * chat replies, teamwall-ctl's human output) goes through _() so that it can
 * be looked up in the language's gettext catalogue; N_() marks a string for
 * the catalogue where it is only looked up later (tables of names).
 * tw_i18n_ntext() picks the singular or plural form for n.
 *
 * Returned strings are borrowed: from the catalogue, or msgid itself.
 */
#ifndef TW_I18N_H
#define TW_I18N_H

/* The translation of msgid in the current language, or msgid. */
const char *tw_i18n_text(const char *msgid);
/* The form of singular/plural for n in the current language. */
const char *tw_i18n_ntext(const char *singular, const char *plural, unsigned long n);

#define _(s)  tw_i18n_text(s)
#define N_(s) (s)

#endif
