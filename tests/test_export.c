/* SPDX-License-Identifier: MIT */
/*
 * teamwall-ctl export's writers (firmware/export.c), into memory: Markdown
 * escaping and outcomes, RFC 4180 quoting, the JSON array of item objects,
 * empty exports and format names.
 */
#define _GNU_SOURCE
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "export.h"
#include "item.h"
#include "util.h"

#define T0 INT64_C(1795597200) /* 2026-11-25T09:00:00Z */

static tw_item item(const char *id, tw_kind kind, const char *text)
{
    tw_item it;
    memset(&it, 0, sizeof(it));
    tw_strlcpy(it.id, id, sizeof(it.id));
    tw_strlcpy(it.ref, "k3f9", sizeof(it.ref));
    it.kind = kind;
    tw_strlcpy(it.text, text, sizeof(it.text));
    tw_strlcpy(it.author, "Ana", sizeof(it.author));
    tw_strlcpy(it.source, "slack", sizeof(it.source));
    it.created = T0;
    it.updated = T0;
    return it;
}

static void resolve(tw_item *it, const char *by)
{
    it->state = TW_STATE_RESOLVED;
    tw_strlcpy(it->resolved_by, by, sizeof(it->resolved_by));
    it->resolved = T0 + 3600;
    it->updated = T0 + 3600;
}

/* Export items (notes in notes[]) in format; returns a malloc'd string. */
static char *export(tw_export_format format, const tw_item *items, const char *const *notes,
                    size_t n)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    tw_export *e = tw_export_begin(f, format, "What acme learned", T0 + 7200);
    for (size_t i = 0; i < n; i++)
        tw_export_item(e, &items[i], notes[i]);
    CHECK_EQ_INT(tw_export_end(e), 0);
    fclose(f);
    return buf;
}

static void test_formats(void)
{
    CHECK_EQ_INT(tw_export_parse_format("md"), TW_EXPORT_MARKDOWN);
    CHECK_EQ_INT(tw_export_parse_format("markdown"), TW_EXPORT_MARKDOWN);
    CHECK_EQ_INT(tw_export_parse_format("csv"), TW_EXPORT_CSV);
    CHECK_EQ_INT(tw_export_parse_format("json"), TW_EXPORT_JSON);
    CHECK_EQ_INT(tw_export_parse_format("xls"), -1);
    CHECK_EQ_INT(tw_export_parse_format(NULL), -1);
}

static void test_markdown(void)
{
    tw_item it[3] = {item("q1", TW_KIND_QUESTION, "Who knows the *VPN* [setup](x)?"),
                     item("b1", TW_KIND_BLOCKER, "CI is red\nagain"),
                     item("w1", TW_KIND_WIN, "Shipped <b>it</b>")};
    resolve(&it[0], "Ben");
    it[1].state = TW_STATE_CLAIMED;
    tw_strlcpy(it[1].claimed_by, "Cleo", sizeof(it[1].claimed_by));
    const char *notes[3] = {"Ask IT_desk | form `42`", "", NULL};
    char *md = export(TW_EXPORT_MARKDOWN, it, notes, 3);
    CHECK_EQ_STR(md, "# What acme learned\n\n"
                     "Exported 2026-11-25T11:00:00Z.\n\n"
                     "- **question k3f9** (Ana, 2026-11-25T09:00:00Z): "
                     "Who knows the \\*VPN\\* \\[setup\\](x)?\n"
                     "  - answered by Ben, 2026-11-25T10:00:00Z: Ask IT\\_desk \\| form \\`42\\`\n"
                     "- **blocker k3f9** (Ana, 2026-11-25T09:00:00Z): CI is red again\n"
                     "  - open; Cleo is on it\n"
                     "- **win k3f9** (Ana, 2026-11-25T09:00:00Z): Shipped \\<b\\>it\\</b\\>\n"
                     "  - open\n");
    free(md);
    /* nothing to export says so */
    md = export(TW_EXPORT_MARKDOWN, NULL, NULL, 0);
    CHECK(strstr(md, "Nothing yet.\n") != NULL);
    free(md);
}

static void test_csv(void)
{
    tw_item it[2] = {item("q1", TW_KIND_QUESTION, "Say \"hi\", then\r\nleave"),
                     item("w1", TW_KIND_WIN, "Shipped")};
    resolve(&it[0], "Ben");
    const char *notes[2] = {"a, b", NULL};
    char *csv = export(TW_EXPORT_CSV, it, notes, 2);
    CHECK_EQ_STR(csv,
                 "\"id\",\"ref\",\"kind\",\"state\",\"text\",\"author\",\"source\",\"created\","
                 "\"claimed\",\"claimed_by\",\"resolved\",\"resolved_by\",\"note\","
                 "\"updated\"\r\n"
                 "\"q1\",\"k3f9\",\"question\",\"resolved\",\"Say \"\"hi\"\", then\r\nleave\","
                 "\"Ana\",\"slack\",\"2026-11-25T09:00:00Z\",\"\",\"\","
                 "\"2026-11-25T10:00:00Z\",\"Ben\",\"a, b\",\"2026-11-25T10:00:00Z\"\r\n"
                 "\"w1\",\"k3f9\",\"win\",\"open\",\"Shipped\",\"Ana\",\"slack\","
                 "\"2026-11-25T09:00:00Z\",\"\",\"\",\"\",\"\",\"\","
                 "\"2026-11-25T09:00:00Z\"\r\n");
    free(csv);
}

/* OWASP CSV injection: cells starting with = + - @ tab CR are written with
 * a leading ' so a spreadsheet shows them as text, never runs them. */
static void test_csv_formulas(void)
{
    const char *bad[] = {"=HYPERLINK(\"http://evil\",\"x\")",
                         "+1+cmd|' /C calc'!A0",
                         "-2+3",
                         "@SUM(A1)",
                         "\tTab",
                         "\rCR"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        tw_item it = item("f1", TW_KIND_BLOCKER, bad[i]);
        tw_strlcpy(it.author, bad[i], sizeof it.author);
        const char *notes[1] = {bad[i]};
        char *csv = export(TW_EXPORT_CSV, &it, notes, 1);
        char want[128];
        snprintf(want, sizeof want, ",\"'%c", bad[i][0]);
        /* text, author and note: three cells, each neutralised */
        int n = 0;
        for (const char *p = csv; (p = strstr(p, want)) != NULL; p++)
            n++;
        CHECK_EQ_INT(n, 3);
        free(csv);
    }
    /* harmless starts are left alone */
    tw_item ok = item("f2", TW_KIND_WIN, "Shipped = done");
    const char *none[1] = {NULL};
    char *csv = export(TW_EXPORT_CSV, &ok, none, 1);
    CHECK(strstr(csv, ",\"Shipped = done\",") != NULL);
    free(csv);
}

static void test_json(void)
{
    tw_item it[2] = {item("q1", TW_KIND_QUESTION, "VPN?"), item("w1", TW_KIND_WIN, "Shipped")};
    resolve(&it[0], "Ben");
    const char *notes[2] = {"Ask \"IT\"", ""};
    char *json = export(TW_EXPORT_JSON, it, notes, 2);
    cJSON *a = cJSON_Parse(json);
    CHECK(cJSON_IsArray(a));
    CHECK_EQ_INT(cJSON_GetArraySize(a), 2);
    cJSON *note = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(a, 0), "note");
    CHECK(cJSON_IsString(note) && strcmp(note->valuestring, "Ask \"IT\"") == 0);
    CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(a, 1), "note")));
    cJSON_Delete(a);
    free(json);
    json = export(TW_EXPORT_JSON, NULL, NULL, 0);
    a = cJSON_Parse(json);
    CHECK(cJSON_IsArray(a) && cJSON_GetArraySize(a) == 0);
    cJSON_Delete(a);
    free(json);
}

int main(void)
{
    test_formats();
    test_markdown();
    test_csv();
    test_csv_formulas();
    test_json();
    return check_done();
}
