/* SPDX-License-Identifier: MIT */
/*
 * teamwall-ctl standup / standups (see ctl_standup.h). The listing reads the
 * board's database read-only, as list and stats do.
 */
#define _POSIX_C_SOURCE 200809L
#define LOG_MODULE      "ctl"
#include "ctl_standup.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "codec.h"
#include "i18n.h"
#include "standups.h"
#include "store.h"
#include "util.h"

static tw_store *open_ro(const tw_config *cfg)
{
    if (access(cfg->db, R_OK) != 0)
        return NULL;
    tw_store *st = NULL;
    tw_store_options so = {.read_only = true};
    return tw_store_open(cfg->db, &so, &st) == 0 ? st : NULL;
}

int tw_ctl_standup_payload(const tw_config *cfg, const char *action, const char *by, char **out)
{
    *out = NULL;
    int a = tw_standup_action_parse(action);
    if (a != TW_SU_START && a != TW_SU_NEXT && a != TW_SU_BACK && a != TW_SU_STOP)
        return TW_ERR_INVAL;
    tw_standup_cmd cmd;
    memset(&cmd, 0, sizeof(cmd));
    cmd.action = (tw_standup_action)a;
    tw_strlcpy(cmd.by, by ? by : "", sizeof(cmd.by));
    tw_strlcpy(cmd.source, "cli", sizeof(cmd.source));
    if (a == TW_SU_START) {
        cmd.ts = tw_now(); /* every board names it the same */
    } else {
        tw_store *st = open_ro(cfg);
        tw_standup *su = tw_xmalloc(sizeof(*su));
        if (st && tw_standups_load_running(st, tw_now(), su) == 0 && su->phase != TW_SU_SUMMARY)
            cmd.at = su->position;
        free(su);
        tw_store_close(st);
    }
    *out = tw_codec_encode_standup(&cmd, NULL);
    return 0;
}

struct list {
    bool json;
    cJSON *array;
    int n;
};

static int count_of(const cJSON *summary, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(summary, key);
    return cJSON_IsArray(v) ? cJSON_GetArraySize(v) : cJSON_IsNumber(v) ? (int)v->valuedouble : 0;
}

static int one(void *ctx, const tw_standup_row *r)
{
    struct list *l = ctx;
    char started[32], ended[32];
    tw_time_format(r->started, started, sizeof(started));
    tw_time_format(r->ended, ended, sizeof(ended));
    cJSON *summary = r->summary ? cJSON_Parse(r->summary) : NULL;
    l->n++;
    if (l->json) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "id", r->id);
        cJSON_AddStringToObject(o, "started", started);
        if (r->ended)
            cJSON_AddStringToObject(o, "ended", ended);
        else
            cJSON_AddNullToObject(o, "ended");
        cJSON_AddStringToObject(o, "by", r->by);
        cJSON_AddNumberToObject(o, "count", r->count);
        cJSON_AddNumberToObject(o, "position", r->position);
        if (summary)
            cJSON_AddItemToObject(o, "summary", summary);
        else
            cJSON_AddNullToObject(o, "summary");
        cJSON_AddItemToArray(l->array, o);
        return 0;
    }
    if (!summary) {
        printf(_("%s  %s  running: %d of %d\n"), started, r->id, r->position, r->count);
        return 0;
    }
    int secs = count_of(summary, "duration_s");
    printf(_("%s  %s  %d:%02d  discussed %d of %d, resolved %d, claimed %d, still open %d, "
             "carried over %d\n"),
           started, r->id, secs / 60, secs % 60, count_of(summary, "discussed"), r->count,
           count_of(summary, "resolved"), count_of(summary, "claimed"),
           count_of(summary, "still_open"), count_of(summary, "carried_over"));
    cJSON_Delete(summary);
    return 0;
}

int tw_ctl_standups(const tw_config *cfg, bool json)
{
    tw_store *st = open_ro(cfg);
    if (!st) {
        fprintf(stderr, "teamwall-ctl: cannot read the database %s\n", cfg->db);
        return 1;
    }
    struct list l = {json, json ? cJSON_CreateArray() : NULL, 0};
    int rc = tw_standups_each(st, 0, one, &l);
    tw_store_close(st);
    if (rc) {
        fprintf(stderr, "teamwall-ctl: cannot list the stand-ups: %s\n", tw_strerror(rc));
        cJSON_Delete(l.array);
        return 1;
    }
    if (json) {
        char *s = cJSON_Print(l.array);
        printf("%s\n", s ? s : "[]");
        free(s);
        cJSON_Delete(l.array);
    } else if (l.n == 0) {
        printf("%s\n", _("no stand-ups yet"));
    }
    return 0;
}
