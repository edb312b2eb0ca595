/* SPDX-License-Identifier: MIT */
/*
 * The footprint fixture (see seed.h). Items are made through tw_store in
 * one transaction: insert, a "post" history row, and for all but the newest
 * `open` a resolve (update plus history row, a note on every other one);
 * every fifth open blocker or question is claimed. Texts are 20 to 280
 * characters from a word list, so cards wrap to one to three lines. Every
 * 997th note mentions the LDAP runbook: a rare word for the search bench
 * (bench/search.c) next to the word list's common ones.
 */
#define _POSIX_C_SOURCE 200809L
#include "seed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "item.h"
#include "store.h"
#include "util.h"

static const char *const words[] = {
    "the",     "build",    "staging", "deploy", "is",      "red",     "again",   "after",
    "merge",   "customer", "invoice", "VPN",    "printer", "on-call", "release", "review",
    "needs",   "a",        "second",  "pair",   "of",      "eyes",    "before",  "Friday",
    "who",     "knows",    "how",     "to",     "rotate",  "the",     "keys",    "for",
    "payment", "gateway",  "shipped", "new",    "search",  "page",    "latency", "halved"};
static const char *const people[] = {"Ana",  "Ben",   "Cleo",  "Dev",   "Eli",   "Fatima",
                                     "Gus",  "Hanna", "Ivo",   "Jun",   "Kemal", "Lea",
                                     "Mats", "Nora",  "Oskar", "Priya", "Quinn", "Rosa"};
static const char *const sources[] = {"mqtt", "slack", "button", "cli", "teams"};

static uint32_t rnd(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

static void make_text(uint32_t *s, char *buf, size_t size)
{
    size_t want = 20 + rnd(s) % 261, n = 0;
    buf[0] = '\0';
    while (n < want) {
        const char *w = words[rnd(s) % (sizeof(words) / sizeof(words[0]))];
        size_t wl = strlen(w);
        if (n + wl + 1 > want || n + wl + 2 > size)
            break;
        if (n)
            buf[n++] = ' ';
        memcpy(buf + n, w, wl);
        n += wl;
        buf[n] = '\0';
    }
    buf[0] = (char)(buf[0] >= 'a' && buf[0] <= 'z' ? buf[0] - 32 : buf[0]);
}

int seed_db(const char *db, int total, int open)
{
    tw_store *st;
    int rc = tw_store_open(db, NULL, &st);
    if (rc)
        return rc;
    rc = tw_store_begin(st);
    tw_item *it = tw_xcalloc(1, sizeof(*it));
    uint32_t s = 0x2545F491u;
    int64_t span = 400LL * 86400; /* history: the last 400 days */
    for (int i = 0; i < total && !rc; i++) {
        memset(it, 0, sizeof(*it));
        bool is_open = i >= total - open;
        snprintf(it->id, sizeof(it->id), "seed-%d", i);
        it->kind = (tw_kind)(rnd(&s) % 3);
        it->state = TW_STATE_OPEN;
        make_text(&s, it->text, sizeof(it->text));
        tw_strlcpy(it->author, people[rnd(&s) % 18], sizeof(it->author));
        tw_strlcpy(it->source, sources[rnd(&s) % 5], sizeof(it->source));
        /* Open items from the last three days, the rest spread over the span. */
        int64_t recent = 3 * 86400;
        it->created = is_open ? SEED_NOW - recent + (int64_t)(i - (total - open)) * recent / open
                              : SEED_NOW - span + (int64_t)i * (span - recent) / total;
        it->updated = it->created;
        rc = tw_store_insert(st, it);
        if (!rc)
            rc =
                tw_store_history_add(st, it->created, it->id, "post", it->author, it->source, NULL);
        if (rc)
            break;
        if (is_open) {
            if (it->kind != TW_KIND_WIN && i % 5 == 0) {
                it->state = TW_STATE_CLAIMED;
                it->claimed = it->created + 600;
                tw_strlcpy(it->claimed_by, people[rnd(&s) % 18], sizeof(it->claimed_by));
                it->updated = it->claimed;
                rc = tw_store_update(st, it, NULL);
                if (!rc)
                    rc = tw_store_history_add(st, it->claimed, it->id, "claim", it->claimed_by,
                                              "button", NULL);
            }
            continue;
        }
        it->state = TW_STATE_RESOLVED;
        it->resolved = it->created + 3600 + rnd(&s) % 86400;
        tw_strlcpy(it->resolved_by, people[rnd(&s) % 18], sizeof(it->resolved_by));
        char note[TW_NOTE_SIZE] = "";
        if (i % 2)
            make_text(&s, note, 200);
        if (i % 997 == 0)
            tw_strlcpy(note, "See the LDAP runbook, section 3", sizeof(note));
        it->updated = it->resolved;
        rc = tw_store_update(st, it, note);
        if (!rc)
            rc = tw_store_history_add(st, it->resolved, it->id, "resolve", it->resolved_by, "slack",
                                      note[0] ? note : NULL);
    }
    if (!rc)
        rc = tw_store_commit(st);
    free(it);
    tw_store_close(st);
    return rc;
}

/* ---- the HTML page ---- */

struct cards {
    tw_item *v;
    size_t n, cap;
};

static int collect(void *ctx, const tw_item *item)
{
    struct cards *c = ctx;
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 64;
        c->v = tw_xrealloc(c->v, c->cap * sizeof(*c->v));
    }
    c->v[c->n++] = *item;
    return 0;
}

static void html_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f);
        }
    }
}

static void age(int64_t secs, char *buf, size_t size)
{
    if (secs < 60)
        snprintf(buf, size, "now");
    else if (secs < 3600)
        snprintf(buf, size, "%dm", (int)(secs / 60));
    else if (secs < 86400)
        snprintf(buf, size, "%dh", (int)(secs / 3600));
    else
        snprintf(buf, size, "%lldd", (long long)(secs / 86400));
}

/* The page mirrors ui/render.c at 1920x1080: the same palette, Inter at the
 * same pixel sizes (scale 1080: header 49, status 28, titles 36, card text 33,
 * meta 27), the same column orders (blockers and questions oldest first,
 * wins newest first), text cut to three lines. */
static const char page_head[] =
    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
    "<title>teamwall</title>\n"
    "<!-- Generated by bench/seed (bench/run.sh footprint regenerates it): the board of\n"
    "     bench/footprint as one static page, the browser-kiosk reference for P4 and P6. -->\n"
    "<style>\n"
    "@font-face{font-family:Inter;font-weight:400;font-display:block;"
    "src:url(../../assets/fonts/Inter-Regular.otf) format('opentype')}\n"
    "@font-face{font-family:Inter;font-weight:600;font-display:block;"
    "src:url(../../assets/fonts/Inter-SemiBold.otf) format('opentype')}\n"
    "html,body{margin:0;width:1920px;height:1080px;overflow:hidden;background:#0E1116;"
    "color:#E8EBF0;font-family:Inter,sans-serif}\n"
    "header{height:97px;background:#161A21;border-bottom:1px solid #262C36;display:flex;"
    "align-items:center;padding:0 27px;box-sizing:border-box}\n"
    "header .team{font-weight:600;font-size:49px;flex:1}\n"
    "header .status{font-size:28px;display:flex;align-items:center;gap:13px;margin-right:40px}\n"
    "header .dot{width:16px;height:16px;border-radius:50%;background:#4ACB8A}\n"
    "header .date{font-size:28px;color:#9CA5B3;margin-right:18px}\n"
    "header .clock{font-weight:600;font-size:49px}\n"
    "main{display:grid;grid-template-columns:repeat(3,604px);gap:27px;padding:27px 27px 0;"
    "height:956px;box-sizing:border-box}\n"
    "section{overflow:hidden;height:929px}\n"
    "h2{font-weight:600;font-size:36px;margin:0 0 9px}\n"
    "h2 span{margin-left:13px}\n"
    ".rule{height:2px;margin-bottom:18px}\n"
    ".card{background:#1B2029;border-radius:9px;border-left:4px solid;padding:16px;"
    "margin-bottom:13px}\n"
    ".text{font-size:33px;line-height:1.21;display:-webkit-box;-webkit-line-clamp:3;"
    "-webkit-box-orient:vertical;overflow:hidden}\n"
    ".meta{font-size:27px;color:#9CA5B3;margin-top:9px;white-space:nowrap;overflow:hidden;"
    "text-overflow:ellipsis}\n"
    ".helper{font-size:27px;color:#7DB7FF}.helper b{font-weight:600}\n"
    ".k0{border-color:#FF6B6B;color:#FF6B6B}.k1{border-color:#F5B942;color:#F5B942}"
    ".k2{border-color:#4ACB8A;color:#4ACB8A}\n"
    ".rule.k0{background:#FF6B6B}.rule.k1{background:#F5B942}.rule.k2{background:#4ACB8A}\n"
    ".card.k0,.card.k1,.card.k2{color:#E8EBF0}\n"
    "</style>\n"
    /* bench/footprint loads the page with ?beacon=PORT and learns the time of
     * the first contentful paint (epoch ms) from an image request. */
    "<script>\n"
    "(function(){var m=/[?&]beacon=(\\d+)/.exec(location.search);if(!m)return;\n"
    "new PerformanceObserver(function(l){l.getEntries().forEach(function(e){\n"
    "if(e.name!=='first-contentful-paint')return;\n"
    "new Image().src='http://127.0.0.1:'+m[1]+'/paint?t='+(performance.timeOrigin+e.startTime);"
    "});}).observe({type:'paint',buffered:true});})();\n"
    "</script>\n"
    "</head><body>\n";

static int by_created(const void *pa, const void *pb)
{
    const tw_item *a = pa, *b = pb;
    if (a->created != b->created)
        return a->created < b->created ? -1 : 1;
    return (a->seq > b->seq) - (a->seq < b->seq);
}

int seed_html(const char *db, const char *path)
{
    tw_store_options o = {.read_only = true};
    tw_store *st;
    if (tw_store_open(db, &o, &st))
        return TW_ERR_IO;
    struct cards c = {0};
    tw_store_each(st, false, collect, &c);
    tw_store_close(st);
    qsort(c.v, c.n, sizeof(*c.v), by_created);
    FILE *f = fopen(path, "w");
    if (!f) {
        free(c.v);
        return TW_ERR_IO;
    }
    fputs(page_head, f);
    time_t now = (time_t)SEED_NOW;
    struct tm tm;
    gmtime_r(&now, &tm);
    char date[64], clock[16];
    strftime(date, sizeof(date), "%a %d %b", &tm);
    strftime(clock, sizeof(clock), "%H:%M", &tm);
    fprintf(f,
            "<header><div class=\"team\">bench</div><div class=\"status\"><div class=\"dot\">"
            "</div>live</div><div class=\"date\">%s</div><div class=\"clock\">%s</div>"
            "</header>\n<main>\n",
            date, clock);
    static const char *const title[] = {"Blockers", "Questions", "Wins"};
    for (int k = 0; k < TW_KIND_COUNT; k++) {
        size_t n = 0;
        for (size_t i = 0; i < c.n; i++)
            n += c.v[i].kind == (tw_kind)k;
        fprintf(f,
                "<section><h2>%s<span class=\"k%d\">%zu</span></h2><div class=\"rule k%d\">"
                "</div>\n",
                title[k], k, n, k);
        for (size_t j = 0; j < c.n; j++) {
            /* Wins newest first. */
            const tw_item *it = &c.v[k == TW_KIND_WIN ? c.n - 1 - j : j];
            if (it->kind != (tw_kind)k)
                continue;
            char a[32];
            age(SEED_NOW - it->created, a, sizeof(a));
            fprintf(f, "<div class=\"card k%d\"><div class=\"text\">", k);
            html_text(f, it->text);
            fputs("</div><div class=\"meta\">", f);
            html_text(f, it->author);
            fprintf(f, " &middot; %s &middot; %s</div>", a, it->ref);
            if (it->state == TW_STATE_CLAIMED) {
                fputs("<div class=\"helper\"><b>", f);
                html_text(f, it->claimed_by);
                fputs("</b> is on it</div>", f);
            }
            fputs("</div>\n", f);
        }
        fputs("</section>\n", f);
    }
    fputs("</main>\n</body></html>\n", f);
    free(c.v);
    return fclose(f) == 0 ? 0 : TW_ERR_IO;
}
