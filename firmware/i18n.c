/* SPDX-License-Identifier: MIT */
/*
 * Translations: the lookups behind _(). Until a catalogue is loaded every
 * string is its own translation (English).
 */
#include "i18n.h"

const char *tw_i18n_text(const char *msgid)
{
    return msgid;
}

const char *tw_i18n_ntext(const char *singular, const char *plural, unsigned long n)
{
    return n == 1 ? singular : plural;
}
