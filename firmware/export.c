/* SPDX-License-Identifier: MIT */
/*
 * teamwall-ctl export's writers. Markdown: a list, one entry per item with
 * its outcome under it, Markdown's punctuation escaped so a text can never
 * turn into a link or a heading. CSV: RFC 4180 (every field quoted, quotes
 * doubled, CRLF line ends), times in RFC 3339 UTC like the JSON, and a cell
 * that a spreadsheet would run as a formula starts with ' (OWASP). JSON: an
 * array of the codec's item objects.
 */
#define _POSIX_C_SOURCE 200809L
#include "export.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "util.h"

struct tw_export {
    FILE *f;
    tw_export_format format;
    size_t count;
};

int tw_export_parse_format(const char *name)
{
    if (!name)
        return -1;
    if (strcmp(name, "md") == 0 || strcmp(name, "markdown") == 0)
        return TW_EXPORT_MARKDOWN;
    if (strcmp(name, "csv") == 0)
        return TW_EXPORT_CSV;
    if (strcmp(name, "json") == 0)
        return TW_EXPORT_JSON;
    return -1;
}

static const char *when(int64_t t, char *buf, size_t size)
{
    if (!t)
        return "";
    return tw_time_format(t, buf, size);
}

/* ---- Markdown ---- */

/* s with Markdown's inline punctuation backslash-escaped (emphasis, code,
 * links, HTML, tables, strike-through) and line breaks as spaces: it always
 * follows other text on its line, so line-start syntax (headings, list
 * markers) cannot arise. */
static void md_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '\n' || *s == '\r') {
            fputc(' ', f);
            continue;
        }
        if (strchr("\\`*_[]<>|~", *s))
            fputc('\\', f);
        fputc(*s, f);
    }
}

static void md_item(FILE *f, const tw_item *it, const char *note)
{
    char t[32];
    fprintf(f, "- **%s %s** (", tw_kind_name(it->kind), it->ref);
    md_text(f, it->author);
    fprintf(f, ", %s): ", when(it->created, t, sizeof(t)));
    md_text(f, it->text);
    fputc('\n', f);
    if (it->state == TW_STATE_RESOLVED) {
        const char *what = it->kind == TW_KIND_QUESTION  ? "answered"
                           : it->kind == TW_KIND_BLOCKER ? "cleared"
                                                         : "acknowledged";
        fprintf(f, "  - %s by ", what);
        md_text(f, it->resolved_by[0] ? it->resolved_by : "someone");
        fprintf(f, ", %s", when(it->resolved, t, sizeof(t)));
        if (note && *note) {
            fputs(": ", f);
            md_text(f, note);
        }
        fputc('\n', f);
    } else if (it->state == TW_STATE_CLAIMED) {
        fputs("  - open; ", f);
        md_text(f, it->claimed_by[0] ? it->claimed_by : "someone");
        fputs(" is on it\n", f);
    } else {
        fputs("  - open\n", f);
    }
}

/* ---- CSV ---- */

static const char *const csv_columns[] = {
    "id",      "ref",     "kind",       "state",    "text",        "author", "source",
    "created", "claimed", "claimed_by", "resolved", "resolved_by", "note",   "updated"};

/* OWASP's CSV injection advice: a cell that starts with = + - @, a tab or a
 * carriage return is a formula to Excel, LibreOffice and Google Sheets
 * (=HYPERLINK(...), =cmd|...), so it gets a leading ' that makes it text. */
static bool csv_formula(const char *s)
{
    return *s && strchr("=+-@\t\r", *s) != NULL;
}

static void csv_field(FILE *f, const char *s, bool last)
{
    fputc('"', f);
    if (csv_formula(s))
        fputc('\'', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
    fputs(last ? "\r\n" : ",", f);
}

static void csv_item(FILE *f, const tw_item *it, const char *note)
{
    char created[32], claimed[32], resolved[32], updated[32];
    const char *fields[] = {it->id,
                            it->ref,
                            tw_kind_name(it->kind),
                            tw_state_name(it->state),
                            it->text,
                            it->author,
                            it->source,
                            when(it->created, created, sizeof(created)),
                            when(it->claimed, claimed, sizeof(claimed)),
                            it->claimed_by,
                            when(it->resolved, resolved, sizeof(resolved)),
                            it->resolved_by,
                            note ? note : "",
                            when(it->updated, updated, sizeof(updated))};
    _Static_assert(TW_ARRAY_LEN(fields) == TW_ARRAY_LEN(csv_columns), "a value per column");
    for (size_t i = 0; i < TW_ARRAY_LEN(fields); i++)
        csv_field(f, fields[i], i + 1 == TW_ARRAY_LEN(fields));
}

/* ---- the stream ---- */

tw_export *tw_export_begin(FILE *f, tw_export_format format, const char *title, int64_t now)
{
    tw_export *e = tw_xmalloc(sizeof(*e));
    e->f = f;
    e->format = format;
    e->count = 0;
    char t[32];
    switch (format) {
    case TW_EXPORT_MARKDOWN:
        fputs("# ", f);
        md_text(f, title ? title : "teamwall");
        fprintf(f, "\n\nExported %s.\n\n", tw_time_format(now, t, sizeof(t)));
        break;
    case TW_EXPORT_CSV:
        for (size_t i = 0; i < TW_ARRAY_LEN(csv_columns); i++)
            csv_field(f, csv_columns[i], i + 1 == TW_ARRAY_LEN(csv_columns));
        break;
    case TW_EXPORT_JSON: fputc('[', f); break;
    }
    return e;
}

void tw_export_item(tw_export *e, const tw_item *item, const char *note)
{
    switch (e->format) {
    case TW_EXPORT_MARKDOWN: md_item(e->f, item, note); break;
    case TW_EXPORT_CSV: csv_item(e->f, item, note); break;
    case TW_EXPORT_JSON: {
        char *s = tw_codec_item_json(item, note);
        fputs(e->count ? ",\n" : "\n", e->f);
        fputs(s, e->f);
        free(s);
        break;
    }
    }
    e->count++;
}

int tw_export_end(tw_export *e)
{
    if (!e)
        return TW_ERR_INVAL;
    if (e->format == TW_EXPORT_JSON)
        fputs(e->count ? "\n]\n" : "]\n", e->f);
    else if (e->format == TW_EXPORT_MARKDOWN && !e->count)
        fputs("Nothing yet.\n", e->f);
    int ret = fflush(e->f) != 0 || ferror(e->f) ? TW_ERR_IO : 0;
    free(e);
    return ret;
}
