/* SPDX-License-Identifier: MIT */
/*
 * The stand-up on this board (see meeting.h): the state machine's inputs
 * gathered, its effects carried out. The open items are read in one place,
 * walk_from_board(), so a change of how the board exposes them is one edit.
 */
#define _POSIX_C_SOURCE 200809L
#define LOG_MODULE      "standup"
#include "meeting.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "codec.h"
#include "log.h"
#include "standups.h"
#include "util.h"

#define DEFAULT_ITEM_SECONDS    90
#define DEFAULT_MEETING_MINUTES 15
#define WINS_WITHOUT_PREVIOUS_S (7 * 86400) /* first stand-up: the week's wins */

struct tw_meeting {
    tw_store *store;
    tw_board *board;
    tw_schedule schedule;
    bool scheduled;
    int64_t last_scheduled_minute; /* the last minute the schedule was looked at */
    int item_seconds, meeting_minutes;
    tw_meeting_event_fn on_event;
    void *ctx;
    tw_standup su;
    uint64_t version, screen_version;
    int64_t last_tick;      /* the second the timers last moved */
    tw_standup_entry *walk; /* scratch for a start */
};

int tw_meeting_create(const tw_meeting_options *opt, int64_t now, tw_meeting **out)
{
    *out = NULL;
    tw_meeting *m = tw_xcalloc(1, sizeof(*m));
    m->store = opt->store;
    m->board = opt->board;
    m->item_seconds = opt->item_seconds > 0 ? opt->item_seconds : DEFAULT_ITEM_SECONDS;
    m->meeting_minutes = opt->meeting_minutes > 0 ? opt->meeting_minutes : DEFAULT_MEETING_MINUTES;
    m->on_event = opt->on_event;
    m->ctx = opt->ctx;
    m->walk = tw_xmalloc(TW_STANDUP_MAX_ITEMS * sizeof(*m->walk));
    char err[160];
    bool empty = true;
    if (tw_standup_schedule_parse(opt->schedule, &m->schedule, &empty, err, sizeof(err))) {
        log_error("[standup] at: %s", err);
        tw_meeting_destroy(m);
        return TW_ERR_PARSE;
    }
    m->scheduled = !empty;
    tw_standup_init(&m->su);
    int rc = tw_meeting_reload(m, now);
    if (rc) {
        tw_meeting_destroy(m);
        return rc;
    }
    if (tw_standup_running(&m->su))
        log_info("resuming stand-up %s at %d of %d (%s)", m->su.id, m->su.position, m->su.count,
                 tw_standup_phase_name(m->su.phase));
    *out = m;
    return 0;
}

void tw_meeting_destroy(tw_meeting *m)
{
    if (!m)
        return;
    free(m->walk);
    free(m);
}

int tw_meeting_reload(tw_meeting *m, int64_t now)
{
    tw_standup_init(&m->su);
    int rc = tw_standups_load_running(m->store, now, &m->su);
    if (rc == TW_ERR_NOTFOUND)
        rc = 0;
    if (rc)
        tw_standup_init(&m->su);
    m->version++;
    m->screen_version++;
    return rc;
}

/* The walk from the board's open items (kept in (created, seq) order per
 * kind: the oldest blockers and questions, the wins since wins_since), with
 * how often each was already open at a stand-up. One of the two places that
 * read the board's open items; tw_meeting_item() is the other. */
static int walk_from_board(tw_meeting *m, int64_t started, size_t *n)
{
    int64_t prev = 0;
    int rc = tw_standups_previous(m->store, started, &prev);
    if (rc)
        return rc;
    int64_t wins_since = prev ? prev : started - WINS_WITHOUT_PREVIOUS_S;
    const tw_item_view **pick = tw_xmalloc(3 * TW_STANDUP_MAX_ITEMS * sizeof(*pick));
    size_t k = 0;
    for (int kind = TW_KIND_BLOCKER; kind <= TW_KIND_QUESTION; kind++) {
        size_t taken = 0;
        for (const tw_item_view *it = tw_board_first(m->board, (tw_kind)kind);
             it && taken < TW_STANDUP_MAX_ITEMS; it = tw_board_next(m->board, it), taken++)
            pick[k++] = it;
    }
    size_t wins = 0;
    for (const tw_item_view *it = tw_board_last(m->board, TW_KIND_WIN);
         it && it->created >= wins_since && wins < TW_STANDUP_MAX_ITEMS;
         it = tw_board_prev(m->board, it), wins++)
        pick[k++] = it;
    *n = tw_standup_walk(pick, k, wins_since, m->walk, TW_STANDUP_MAX_ITEMS);
    free(pick);
    for (size_t i = 0; i < *n; i++)
        if (m->walk[i].kind != TW_KIND_WIN &&
            (rc = tw_standups_carried(m->store, m->walk[i].id, "", &m->walk[i].carried)) != 0)
            return rc;
    return 0;
}

static void emit(tw_meeting *m, const char *action)
{
    char *json = tw_codec_standup_event_json(action, &m->su);
    if (m->on_event)
        m->on_event(m->ctx, json);
    else
        free(json);
}

/* Claim or resolve the item shown, through the one door. A refusal (the
 * item was resolved elsewhere meanwhile) is logged; the walk goes on. */
static int apply_to_item(tw_meeting *m, const tw_standup_cmd *c, int target, bool resolve,
                         int64_t now)
{
    tw_command cmd;
    memset(&cmd, 0, sizeof(cmd));
    cmd.type = resolve ? TW_CMD_RESOLVE : TW_CMD_CLAIM;
    tw_strlcpy(cmd.ref, m->su.walk[target].id, sizeof(cmd.ref));
    tw_strlcpy(cmd.author, c->by[0] ? c->by : "someone", sizeof(cmd.author));
    tw_strlcpy(cmd.source, c->source[0] ? c->source : "standup", sizeof(cmd.source));
    if (resolve)
        tw_strlcpy(cmd.note, c->note, sizeof(cmd.note));
    tw_board_result res;
    int rc = tw_board_apply(m->board, &cmd, now, &res);
    if (rc == TW_ERR_INVAL || rc == TW_ERR_NOTFOUND || rc == TW_ERR_AMBIGUOUS) {
        log_warn("stand-up %s of %s refused: %s", tw_cmd_name(cmd.type), cmd.ref, res.reason);
        return 0;
    }
    return rc;
}

int tw_meeting_command(tw_meeting *m, const tw_standup_cmd *cmd, int64_t now, char *reason,
                       size_t reason_size)
{
    if (reason && reason_size)
        reason[0] = '\0';
    tw_standup_input in;
    memset(&in, 0, sizeof(in));
    in.cmd = *cmd;
    int rc;
    if (cmd->action == TW_SU_START && !tw_standup_running(&m->su)) {
        /* A start that was already taken (the same id) starts nothing. */
        char id[TW_STANDUP_ID_SIZE];
        tw_standup_make_id(tw_standup_start_time(cmd->ts, now), id);
        if ((rc = tw_standups_exists(m->store, id)) != 0) {
            if (rc == 1)
                log_info("stand-up %s was already held: start ignored", id);
            return rc == 1 ? 0 : rc;
        }
        size_t n = 0;
        if ((rc = walk_from_board(m, tw_standup_start_time(cmd->ts, now), &n)) != 0)
            return rc;
        in.walk = m->walk;
        in.n_walk = n;
    }
    tw_standup before = m->su;
    tw_standup_effects fx;
    rc = tw_standup_step(&m->su, &in, now, &fx);
    if (rc) {
        tw_strlcpy(reason, fx.reason, reason_size);
        return rc;
    }
    if (fx.noop) {
        log_info("stand-up %s: %s", tw_standup_action_name(cmd->action), fx.reason);
        return 0;
    }
    if ((fx.claim || fx.resolve) && (rc = apply_to_item(m, cmd, fx.target, fx.resolve, now)) != 0)
        goto fail;
    if (fx.changed) {
        char *summary = fx.ended ? tw_codec_standup_summary_json(&m->su) : NULL;
        rc = tw_standups_save(m->store, &m->su, fx.started, summary);
        free(summary);
        if (!rc && !fx.started && fx.target >= 0)
            rc = tw_standups_save_entry(m->store, &m->su, fx.target);
        if (!rc && !fx.started && m->su.position >= 1 && m->su.position - 1 != fx.target)
            rc = tw_standups_save_entry(m->store, &m->su, m->su.position - 1);
        if (rc)
            goto fail;
        m->version++;
    }
    if (fx.redraw)
        m->screen_version++;
    if (fx.started) {
        log_info("stand-up %s started by %s: %d items", m->su.id, m->su.by[0] ? m->su.by : "?",
                 m->su.count);
        emit(m, "started");
    }
    if (fx.moved)
        emit(m, "moved");
    if (fx.ended) {
        log_info("stand-up %s ended after %lld s", m->su.id,
                 (long long)(m->su.ended - m->su.started));
        emit(m, "ended");
    }
    return 0;
fail:
    m->su = before;
    return rc;
}

void tw_meeting_tick(tw_meeting *m, int64_t now)
{
    /* Called on every pass of the loop: the timers move once a second. */
    if (!tw_standup_running(&m->su) || now == m->last_tick)
        return;
    m->last_tick = now;
    tw_standup_input in;
    memset(&in, 0, sizeof(in));
    in.tick = true;
    tw_standup_effects fx;
    tw_standup_step(&m->su, &in, now, &fx);
    if (fx.changed)
        m->version++;
    if (fx.redraw)
        m->screen_version++;
}

int64_t tw_meeting_deadline(const tw_meeting *m, int64_t now)
{
    return tw_standup_deadline(&m->su, now);
}

bool tw_meeting_scheduled(tw_meeting *m, int64_t now, int64_t *ts)
{
    if (!m->scheduled || tw_standup_running(&m->su))
        return false;
    /* Each minute is looked at once (the loop asks on every pass). */
    int64_t minute = now - now % 60;
    if (minute == m->last_scheduled_minute)
        return false;
    m->last_scheduled_minute = minute;
    time_t tt = (time_t)now;
    struct tm tm;
    if (!localtime_r(&tt, &tm) ||
        !tw_standup_schedule_due(&m->schedule, tm.tm_wday, tm.tm_hour * 60 + tm.tm_min))
        return false;
    *ts = minute;
    return true;
}

const tw_standup *tw_meeting_state(const tw_meeting *m)
{
    return &m->su;
}

bool tw_meeting_running(const tw_meeting *m)
{
    return m && tw_standup_running(&m->su);
}

int tw_meeting_item_seconds(const tw_meeting *m)
{
    return m->item_seconds;
}

int tw_meeting_minutes(const tw_meeting *m)
{
    return m->meeting_minutes;
}

uint64_t tw_meeting_version(const tw_meeting *m)
{
    return m ? m->version : 0;
}

uint64_t tw_meeting_screen_version(const tw_meeting *m)
{
    return m ? m->screen_version : 0;
}

bool tw_meeting_item(tw_meeting *m, tw_item *out)
{
    const tw_standup_entry *e = tw_standup_current(&m->su);
    if (!e)
        return false;
    const tw_item_view *v = tw_board_find_id(m->board, e->id);
    if (v) {
        tw_item_from_view(v, out);
        return true;
    }
    return tw_store_get(m->store, e->id, out) == 0;
}
