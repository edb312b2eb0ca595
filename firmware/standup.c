/* SPDX-License-Identifier: MIT */
/*
 * The stand-up's state machine (see standup.h). Every transition is in
 * tw_standup_step(): a command is checked against the phase and its "at"
 * (the position its sender saw: a command whose sender saw another position
 * is a redelivery or came too late, and changes nothing), then the walk
 * moves and the effects say what the caller must do. The clock only ends
 * the summary; the timers are read off the times kept in the state.
 */
#define _POSIX_C_SOURCE 200809L
#include "standup.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util.h"

static const char *const action_names[TW_SU_ACTION_COUNT] = {"start", "next",    "back",
                                                             "claim", "resolve", "stop"};

const char *tw_standup_action_name(tw_standup_action a)
{
    return (unsigned)a < TW_SU_ACTION_COUNT ? action_names[a] : "?";
}

int tw_standup_action_parse(const char *name)
{
    for (int i = 0; name && i < TW_SU_ACTION_COUNT; i++)
        if (strcmp(name, action_names[i]) == 0)
            return i;
    return -1;
}

const char *tw_standup_phase_name(tw_standup_phase p)
{
    switch (p) {
    case TW_SU_BLOCKERS: return "blockers";
    case TW_SU_QUESTIONS: return "questions";
    case TW_SU_WINS: return "wins";
    case TW_SU_SUMMARY: return "summary";
    case TW_SU_IDLE: break;
    }
    return NULL;
}

void tw_standup_init(tw_standup *s)
{
    memset(s, 0, sizeof(*s));
}

bool tw_standup_running(const tw_standup *s)
{
    return s && s->phase != TW_SU_IDLE;
}

static bool walking(const tw_standup *s)
{
    return s->phase == TW_SU_BLOCKERS || s->phase == TW_SU_QUESTIONS || s->phase == TW_SU_WINS;
}

const tw_standup_entry *tw_standup_current(const tw_standup *s)
{
    if (!s || !walking(s) || s->position < 1 || s->position > s->count)
        return NULL;
    return &s->walk[s->position - 1];
}

static tw_standup_phase phase_of(tw_kind k)
{
    return k == TW_KIND_BLOCKER    ? TW_SU_BLOCKERS
           : k == TW_KIND_QUESTION ? TW_SU_QUESTIONS
                                   : TW_SU_WINS;
}

void tw_standup_make_id(int64_t t, char out[TW_STANDUP_ID_SIZE])
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm) || !strftime(out, TW_STANDUP_ID_SIZE, "su-%Y%m%dT%H%M%SZ", &tm))
        snprintf(out, TW_STANDUP_ID_SIZE, "su-%lld", (long long)t);
}

/* Show item pos (1-based) from now. */
static void show(tw_standup *s, int pos, int64_t now)
{
    s->position = pos;
    s->item_started = now;
    s->walk[pos - 1].flags |= TW_SU_SHOWN;
    s->phase = phase_of(s->walk[pos - 1].kind);
}

static void summary(tw_standup *s, int64_t now, tw_standup_effects *fx)
{
    s->phase = TW_SU_SUMMARY;
    s->ended = now;
    fx->ended = true;
    fx->changed = fx->redraw = true;
}

/* On to the next item, or the summary after the last. */
static void advance(tw_standup *s, int64_t now, tw_standup_effects *fx)
{
    if (s->position < s->count) {
        show(s, s->position + 1, now);
        fx->moved = true;
        fx->changed = fx->redraw = true;
    } else {
        summary(s, now, fx);
    }
}

static int reject(tw_standup_effects *fx, const char *why)
{
    fx->rejected = true;
    tw_strlcpy(fx->reason, why, sizeof(fx->reason));
    return TW_ERR_INVAL;
}

static int noop(tw_standup_effects *fx, const char *why)
{
    fx->noop = true;
    tw_strlcpy(fx->reason, why, sizeof(fx->reason));
    return 0;
}

int64_t tw_standup_start_time(int64_t ts, int64_t now)
{
    return ts <= 0 || ts > now + 300 || ts < now - 3600 ? now : ts;
}

static int start(tw_standup *s, const tw_standup_input *in, int64_t now, tw_standup_effects *fx)
{
    if (tw_standup_running(s))
        return noop(fx, "a stand-up is already running");
    /* The sender's time names the stand-up, so every board that takes the
     * same start gives it the same id; a clock far off is not trusted. */
    int64_t t = tw_standup_start_time(in->cmd.ts, now);
    tw_standup_init(s);
    tw_standup_make_id(t, s->id);
    tw_strlcpy(s->by, in->cmd.by, sizeof(s->by));
    s->started = t;
    size_t n = in->walk ? in->n_walk : 0;
    if (n > TW_STANDUP_MAX_ITEMS)
        n = TW_STANDUP_MAX_ITEMS;
    for (size_t i = 0; i < n; i++) {
        s->walk[i] = in->walk[i];
        s->walk[i].flags = 0;
    }
    s->count = (int)n;
    fx->started = true;
    fx->changed = fx->redraw = true;
    if (n == 0) { /* nothing to walk through: say so and end */
        summary(s, t, fx);
        return 0;
    }
    show(s, 1, t);
    return 0;
}

int tw_standup_step(tw_standup *s, const tw_standup_input *in, int64_t now, tw_standup_effects *fx)
{
    memset(fx, 0, sizeof(*fx));
    fx->target = -1;
    if (!s || !in)
        return reject(fx, "invalid argument");
    if (in->tick) {
        if (s->phase == TW_SU_SUMMARY && now >= s->ended + TW_STANDUP_SUMMARY_S) {
            tw_standup_init(s);
            fx->closed = fx->changed = fx->redraw = true;
        } else if (walking(s)) {
            fx->redraw = true;
        }
        return 0;
    }
    const tw_standup_cmd *c = &in->cmd;
    if (c->action == TW_SU_START)
        return start(s, in, now, fx);
    if ((unsigned)c->action >= TW_SU_ACTION_COUNT)
        return reject(fx, "unknown action");
    if (!tw_standup_running(s))
        return reject(fx, "no stand-up is running");
    if (s->phase == TW_SU_SUMMARY)
        return noop(fx, "the stand-up is over: its summary is showing");
    if (c->at && c->at != s->position)
        return noop(fx, "already moved on from that position");
    const tw_standup_entry *cur = tw_standup_current(s);
    switch (c->action) {
    case TW_SU_NEXT: advance(s, now, fx); return 0;
    case TW_SU_BACK:
        if (s->position <= 1)
            return noop(fx, "already at the first item");
        show(s, s->position - 1, now);
        fx->moved = fx->changed = fx->redraw = true;
        return 0;
    case TW_SU_CLAIM:
        if (!cur)
            return reject(fx, "no item is shown");
        fx->claim = true;
        fx->target = s->position - 1;
        s->walk[fx->target].flags |= TW_SU_CLAIMED;
        fx->changed = fx->redraw = true;
        return 0;
    case TW_SU_RESOLVE:
        if (!cur)
            return reject(fx, "no item is shown");
        fx->resolve = true;
        fx->target = s->position - 1;
        s->walk[fx->target].flags |= TW_SU_RESOLVED;
        /* The walk moves on by itself after a resolve. */
        advance(s, now, fx);
        return 0;
    case TW_SU_STOP: summary(s, now, fx); return 0;
    default: return reject(fx, "unknown action");
    }
}

int64_t tw_standup_deadline(const tw_standup *s, int64_t now)
{
    if (!s || s->phase == TW_SU_IDLE)
        return 0;
    if (s->phase == TW_SU_SUMMARY)
        return s->ended + TW_STANDUP_SUMMARY_S;
    return now + 1;
}

static int cmp_created(const void *pa, const void *pb)
{
    const tw_item_view *a = *(const tw_item_view *const *)pa;
    const tw_item_view *b = *(const tw_item_view *const *)pb;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    if (a->created != b->created)
        return a->created < b->created ? -1 : 1;
    return (a->seq > b->seq) - (a->seq < b->seq);
}

size_t tw_standup_walk(const tw_item_view *const *items, size_t n, int64_t wins_since,
                       tw_standup_entry *out, size_t max)
{
    const tw_item_view **pick = n ? tw_xmalloc(n * sizeof(*pick)) : NULL;
    size_t m = 0;
    for (size_t i = 0; items && i < n; i++) {
        const tw_item_view *it = items[i];
        if (!it || (unsigned)it->kind >= TW_KIND_COUNT || it->state == TW_STATE_RESOLVED)
            continue;
        if (it->kind == TW_KIND_WIN && it->created < wins_since)
            continue;
        pick[m++] = it;
    }
    if (m > 1)
        qsort(pick, m, sizeof(*pick), cmp_created);
    size_t k = 0;
    for (size_t i = 0; i < m && k < max; i++) {
        memset(&out[k], 0, sizeof(out[k]));
        tw_strlcpy(out[k].id, pick[i]->id, sizeof(out[k].id));
        out[k].kind = pick[i]->kind;
        k++;
    }
    free(pick);
    return k;
}

void tw_standup_summarize(const tw_standup *s, tw_standup_summary *out)
{
    memset(out, 0, sizeof(*out));
    for (int i = 0; i < s->count; i++) {
        const tw_standup_entry *e = &s->walk[i];
        if (e->flags & TW_SU_SHOWN)
            out->discussed++;
        if (e->flags & TW_SU_RESOLVED)
            out->resolved[out->n_resolved++] = i;
        else if (e->flags & TW_SU_CLAIMED)
            out->claimed[out->n_claimed++] = i;
        if (!(e->flags & TW_SU_RESOLVED) && e->kind != TW_KIND_WIN) {
            out->still_open++;
            if (e->carried > 0)
                out->carried_over[out->n_carried_over++] = i;
        }
    }
    int64_t end = s->ended ? s->ended : s->started;
    out->duration_s = end > s->started ? end - s->started : 0;
}

/* ---- the schedule ---- */

int tw_standup_schedule_parse(const char *spec, tw_schedule *out, bool *empty, char *err,
                              size_t err_size)
{
    char ranges[1024] = "";
    size_t len = 0;
    const char *p = spec ? spec : "";
    *empty = true;
    memset(out, 0, sizeof(*out));
    while (*p) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        char rule[128];
        while (n && isspace((unsigned char)*p)) {
            p++;
            n--;
        }
        while (n && isspace((unsigned char)p[n - 1]))
            n--;
        if (n == 0 || n >= sizeof(rule)) {
            snprintf(err, err_size, n ? "rule too long" : "empty rule");
            return TW_ERR_PARSE;
        }
        memcpy(rule, p, n);
        rule[n] = '\0';
        /* The rule's last word is its time: the minute becomes a one-minute
         * range for tw_schedule_parse(). */
        const char *t = strrchr(rule, ' ');
        t = t ? t + 1 : rule;
        int h, m;
        char tail;
        if (sscanf(t, "%d:%d%c", &h, &m, &tail) != 2 || h < 0 || h > 23 || m < 0 || m > 59 ||
            strlen(t) != 5) {
            snprintf(err, err_size, "\"%s\": expected days and a time, e.g. Mon-Fri 09:30", rule);
            return TW_ERR_PARSE;
        }
        if (t == rule) {
            snprintf(err, err_size, "\"%s\": which days? e.g. Mon-Fri 09:30", rule);
            return TW_ERR_PARSE;
        }
        int e = h * 60 + m + 1;
        int w = snprintf(ranges + len, sizeof(ranges) - len, "%s%s-%02d:%02d", len ? ", " : "",
                         rule, e / 60, e % 60);
        if (w < 0 || (size_t)w >= sizeof(ranges) - len) {
            snprintf(err, err_size, "too many rules");
            return TW_ERR_PARSE;
        }
        len += (size_t)w;
        p = end ? end + 1 : p + n;
        if (!end)
            break;
    }
    if (!len)
        return 0;
    *empty = false;
    return tw_schedule_parse(ranges, out, err, err_size);
}

bool tw_standup_schedule_due(const tw_schedule *s, int wday, int minute)
{
    return tw_schedule_on(s, wday, minute);
}
