/* SPDX-License-Identifier: MIT */
/*
 * Translations: the lookups behind _(). The catalogues are standard gettext
 * ones (po/<lang>.po, compiled by msgfmt into <localedir>/<lang>/LC_MESSAGES/
 * teamwall.mo); this file reads the compiled .mo itself rather than through
 * glibc's gettext(), because glibc translates only for a locale that is
 * generated on the machine (a clean Debian 12 has C.UTF-8 alone, and CI has
 * no locales package), and because setting the process locale would also
 * change how printf writes numbers, which would break the JSON the board
 * publishes. The language is the config's ([display] language), not the
 * process locale, so the board, the bridge and ctl can each be told theirs.
 *
 * An .mo file is a header, a table of the original strings sorted by bytes
 * and a table of their translations (offsets and lengths); a lookup is a
 * binary search. A context (pgettext) is stored as "context\004msgid";
 * plural forms are "singular\0plural" with the forms NUL-separated, picked by
 * the catalogue's own Plural-Forms expression, which is evaluated here (the
 * C subset gettext allows: n, numbers, ! * / % + - < > <= >= == != && || ?:).
 */
#define _POSIX_C_SOURCE 200809L
#define LOG_MODULE      "i18n"
#include "i18n.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "util.h"

#define MO_MAGIC         0x950412deU
#define MO_MAGIC_SWAPPED 0xde120495U
#define MO_MAX_BYTES     (8u << 20) /* a catalogue is tens of KiB; refuse anything absurd */

static struct catalogue {
    char lang[16];
    unsigned char *data;
    size_t size;
    bool swapped;
    uint32_t n, orig, trans;
    char plural[256]; /* the Plural-Forms expression; "" for English's n != 1 */
    int nplurals;
} cat = {.lang = "en"};

static const char *const offered[] = {"en", "de", "fr", "es", "nl"};

static uint32_t rd32(const unsigned char *p, bool swapped)
{
    uint32_t v;
    memcpy(&v, p, 4);
    if (swapped)
        v = (v >> 24) | ((v >> 8) & 0xff00) | ((v << 8) & 0xff0000) | (v << 24);
    return v;
}

/* String i of table at offset tab (originals or translations): its bytes
 * and length, or NULL when the table points outside the file. */
static const char *mo_string(const struct catalogue *c, uint32_t tab, uint32_t i, uint32_t *len)
{
    size_t at = (size_t)tab + (size_t)i * 8;
    if (at + 8 > c->size)
        return NULL;
    uint32_t l = rd32(c->data + at, c->swapped), off = rd32(c->data + at + 4, c->swapped);
    if ((size_t)off + l >= c->size || c->data[off + l] != '\0')
        return NULL;
    *len = l;
    return (const char *)c->data + off;
}

/* The translation of key (NUL-terminated; a context's key holds its \004),
 * or NULL. msgfmt sorts the originals with strcmp on the msgid, which for a
 * plural entry ("singular\0plural") is its singular. */
static const char *mo_find(const struct catalogue *c, const char *key, uint32_t *tlen)
{
    if (!c->data)
        return NULL;
    uint32_t lo = 0, hi = c->n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2, olen;
        const char *o = mo_string(c, c->orig, mid, &olen);
        if (!o)
            return NULL;
        int cmp = strcmp(key, o);
        if (cmp == 0) {
            const char *t = mo_string(c, c->trans, mid, tlen);
            return t && *tlen ? t : NULL; /* an empty msgstr means untranslated */
        }
        if (cmp < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

/* ---- Plural-Forms: a recursive-descent evaluator ---- */

struct expr {
    const char *p;
    unsigned long n;
    bool bad;
};

static void ws(struct expr *e)
{
    while (*e->p == ' ' || *e->p == '\t')
        e->p++;
}

static unsigned long ternary(struct expr *e);

static unsigned long primary(struct expr *e)
{
    ws(e);
    if (*e->p == '(') {
        e->p++;
        unsigned long v = ternary(e);
        ws(e);
        if (*e->p == ')')
            e->p++;
        else
            e->bad = true;
        return v;
    }
    if (*e->p == '!') {
        e->p++;
        return !primary(e);
    }
    if (*e->p == 'n') {
        e->p++;
        return e->n;
    }
    if (*e->p >= '0' && *e->p <= '9') {
        unsigned long v = 0;
        while (*e->p >= '0' && *e->p <= '9')
            v = v * 10 + (unsigned long)(*e->p++ - '0');
        return v;
    }
    e->bad = true;
    return 0;
}

/* Binary operators by precedence, lowest first. */
static const char *const levels[][4] = {
    {"||"}, {"&&"}, {"==", "!="}, {"<=", ">=", "<", ">"}, {"+", "-"}, {"*", "/", "%"},
};
#define LEVELS ((int)(sizeof(levels) / sizeof(levels[0])))

static unsigned long apply(const char *op, unsigned long a, unsigned long b, bool *bad)
{
    switch (op[0]) {
    case '|': return a || b;
    case '&': return a && b;
    case '=': return a == b;
    case '!': return a != b;
    case '<': return op[1] == '=' ? a <= b : a < b;
    case '>': return op[1] == '=' ? a >= b : a > b;
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/':
    case '%':
        if (b == 0) {
            *bad = true;
            return 0;
        }
        return op[0] == '/' ? a / b : a % b;
    default: *bad = true; return 0;
    }
}

static unsigned long binary(struct expr *e, int level)
{
    if (level == LEVELS)
        return primary(e);
    unsigned long v = binary(e, level + 1);
    for (;;) {
        ws(e);
        const char *op = NULL;
        for (int i = 0; i < 4 && levels[level][i]; i++) {
            size_t l = strlen(levels[level][i]);
            /* "<" must not take the "<" of "<=", nor "!" of "!=" go here. */
            if (strncmp(e->p, levels[level][i], l) == 0 && !(l == 1 && e->p[1] == '=')) {
                op = levels[level][i];
                break;
            }
        }
        if (!op || e->bad)
            return v;
        e->p += strlen(op);
        unsigned long r = binary(e, level + 1);
        v = apply(op, v, r, &e->bad);
    }
}

static unsigned long ternary(struct expr *e)
{
    unsigned long c = binary(e, 0);
    ws(e);
    if (*e->p != '?')
        return c;
    e->p++;
    unsigned long a = ternary(e);
    ws(e);
    if (*e->p != ':') {
        e->bad = true;
        return 0;
    }
    e->p++;
    unsigned long b = ternary(e);
    return c ? a : b;
}

int tw_i18n_plural_index(const char *expr, unsigned long n)
{
    if (!expr || !*expr)
        return n == 1 ? 0 : 1;
    struct expr e = {expr, n, false};
    unsigned long v = ternary(&e);
    ws(&e);
    if (e.bad || (*e.p && *e.p != ';'))
        return -1;
    return v > 16 ? -1 : (int)v;
}

/* "Plural-Forms: nplurals=2; plural=(n > 1);" from the header entry. */
static void read_plural(struct catalogue *c)
{
    uint32_t len;
    const char *h = mo_find(c, "", &len);
    c->plural[0] = '\0';
    c->nplurals = 2;
    const char *pf = h ? strstr(h, "Plural-Forms:") : NULL;
    if (!pf)
        return;
    const char *np = strstr(pf, "nplurals=");
    if (np)
        c->nplurals = atoi(np + 9);
    const char *pl = strstr(pf, "plural=");
    if (!pl)
        return;
    pl += 7;
    size_t k = 0;
    while (pl[k] && pl[k] != ';' && pl[k] != '\n' && k + 1 < sizeof(c->plural))
        k++;
    memcpy(c->plural, pl, k);
    c->plural[k] = '\0';
    if (tw_i18n_plural_index(c->plural, 1) < 0) {
        log_warn("catalogue %s: cannot read its Plural-Forms \"%s\"", c->lang, c->plural);
        c->plural[0] = '\0';
    }
}

static int load_mo(const char *path, struct catalogue *out)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return TW_ERR_NOTFOUND;
    int ret = TW_ERR_INVAL;
    unsigned char *buf = NULL;
    size_t cap = 0, n = 0;
    for (;;) {
        if (n == cap) {
            if (cap >= MO_MAX_BYTES)
                goto out;
            cap = cap ? cap * 2 : 65536;
            buf = tw_xrealloc(buf, cap + 1);
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        ret = TW_ERR_IO;
        goto out;
    }
    if (n < 28)
        goto out;
    uint32_t magic;
    memcpy(&magic, buf, 4);
    if (magic != MO_MAGIC && magic != MO_MAGIC_SWAPPED)
        goto out;
    out->swapped = magic == MO_MAGIC_SWAPPED;
    out->data = buf;
    out->size = n;
    if (rd32(buf + 4, out->swapped) >> 16 != 0) /* major revision 0 only */
        goto out;
    out->n = rd32(buf + 8, out->swapped);
    out->orig = rd32(buf + 12, out->swapped);
    out->trans = rd32(buf + 16, out->swapped);
    if ((size_t)out->orig + (size_t)out->n * 8 > n || (size_t)out->trans + (size_t)out->n * 8 > n)
        goto out;
    buf = NULL; /* kept */
    ret = 0;
out:
    if (ret)
        out->data = NULL;
    free(buf);
    fclose(f);
    return ret;
}

/* "de_DE.UTF-8@euro" -> "de_DE", and its language alone, "de". */
static void lang_candidates(const char *lang, char full[16], char base[16])
{
    size_t k = strcspn(lang, ".@");
    if (k >= 16)
        k = 15;
    memcpy(full, lang, k);
    full[k] = '\0';
    size_t b = strcspn(full, "_-");
    memcpy(base, full, b);
    base[b] = '\0';
}

static bool try_dir(const char *dir, const char *code, struct catalogue *c)
{
    if (!dir || !*dir)
        return false;
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s/LC_MESSAGES/teamwall.mo", dir, code);
    int rc = load_mo(path, c);
    if (rc == 0)
        return true;
    if (rc != TW_ERR_NOTFOUND)
        log_warn("%s: not a usable gettext catalogue (%s)", path, tw_strerror(rc));
    return false;
}

const char *tw_i18n_env_language(void)
{
    static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (size_t i = 0; i < TW_ARRAY_LEN(vars); i++) {
        const char *v = getenv(vars[i]);
        if (v && *v)
            return strcmp(v, "C") == 0 || strncmp(v, "C.", 2) == 0 || strcmp(v, "POSIX") == 0 ? "en"
                                                                                              : v;
    }
    return "en";
}

int tw_i18n_set_language(const char *lang)
{
    if (!lang || !*lang)
        lang = tw_i18n_env_language();
    char full[16], base[16];
    lang_candidates(lang, full, base);
    struct catalogue next = {0};
    if (strcmp(base, "en") == 0 || strcmp(base, "C") == 0) {
        tw_strlcpy(next.lang, "en", sizeof(next.lang));
    } else {
        /* The environment first (tests, a build tree), then where the
         * package installs them, then the build tree this came from. */
        const char *dirs[] = {getenv("TEAMWALL_LOCALEDIR"), TW_LOCALEDIR, TW_BUILD_LOCALEDIR};
        bool found = false;
        for (size_t d = 0; d < TW_ARRAY_LEN(dirs) && !found; d++) {
            found = try_dir(dirs[d], full, &next) || try_dir(dirs[d], base, &next);
        }
        if (!found)
            return TW_ERR_NOTFOUND;
        tw_strlcpy(next.lang, base, sizeof(next.lang));
        read_plural(&next);
    }
    free(cat.data);
    cat = next;
    return 0;
}

const char *tw_i18n_language(void)
{
    return cat.lang;
}

const char *tw_i18n_offered(size_t *count)
{
    static char list[64];
    if (!list[0])
        for (size_t i = 0; i < TW_ARRAY_LEN(offered); i++)
            snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", i ? ", " : "",
                     offered[i]);
    if (count)
        *count = TW_ARRAY_LEN(offered);
    return list;
}

const char *tw_i18n_text(const char *msgid)
{
    if (!msgid || !cat.data)
        return msgid;
    uint32_t len;
    const char *t = mo_find(&cat, msgid, &len);
    return t ? t : msgid;
}

const char *tw_i18n_ptext(const char *context, const char *msgid)
{
    if (!msgid || !context || !cat.data)
        return msgid;
    char key[512];
    int k = snprintf(key, sizeof(key), "%s\004%s", context, msgid);
    if (k < 0 || (size_t)k >= sizeof(key))
        return msgid;
    uint32_t len;
    const char *t = mo_find(&cat, key, &len);
    return t ? t : msgid;
}

const char *tw_i18n_ntext(const char *singular, const char *plural, unsigned long n)
{
    const char *english = n == 1 ? singular : plural;
    if (!singular || !plural || !cat.data)
        return english;
    uint32_t len;
    const char *t = mo_find(&cat, singular, &len);
    if (!t)
        return english;
    int idx = tw_i18n_plural_index(cat.plural, n);
    if (idx < 0 || idx >= cat.nplurals)
        return english;
    /* The forms are NUL-separated inside the translation's len bytes. */
    const char *p = t, *end = t + len;
    for (int i = 0; i < idx; i++) {
        p += strlen(p) + 1;
        if (p >= end)
            return english;
    }
    return p;
}

int tw_i18n_use_config(const char *language)
{
    bool automatic = !language || !*language || strcmp(language, "auto") == 0;
    const char *want = automatic ? tw_i18n_env_language() : language;
    int rc = tw_i18n_set_language(want);
    if (rc == 0)
        return 0;
    if (automatic) {
        /* A locale teamwall has no catalogue for: English, said once. */
        log_info("no catalogue for the locale's language \"%s\"; English (offered: %s)", want,
                 tw_i18n_offered(NULL));
        tw_i18n_set_language("en");
        return 0;
    }
    log_error("[display] language = %s: no catalogue found (offered: %s; looked in "
              "$TEAMWALL_LOCALEDIR, %s, %s)",
              language, tw_i18n_offered(NULL), TW_LOCALEDIR, TW_BUILD_LOCALEDIR);
    return rc;
}
