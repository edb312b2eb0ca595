/* SPDX-License-Identifier: MIT */
/*
 * Stand-ups in the store: the tables of schema version 5 (firmware/store.c's
 * migrations), one row per stand-up and one per item walked. Rows, not
 * rules: firmware/meeting.c decides what to write, in the caller's
 * transaction. The board writes them; teamwall-ctl standups reads them.
 */
#ifndef TW_STANDUPS_H
#define TW_STANDUPS_H

#include <stdbool.h>
#include <stdint.h>

#include "standup.h"
#include "store.h"

/* Write the stand-up's row (insert or update), and its items when items. */
int tw_standups_save(tw_store *st, const tw_standup *s, bool items, const char *summary_json);
/* Write one item's flags (index into s->walk). */
int tw_standups_save_entry(tw_store *st, const tw_standup *s, int index);

/* The stand-up still running at now (walking, or in its summary's minute),
 * into out. TW_ERR_NOTFOUND when none. */
int tw_standups_load_running(tw_store *st, int64_t now, tw_standup *out);

/* 1 when a stand-up with this id is stored, 0 when not, or a TW_ERR_*. */
int tw_standups_exists(tw_store *st, const char *id);

/* How many stand-ups other than except_id walked item_id (it was open at
 * each: the walk takes only open items). */
int tw_standups_carried(tw_store *st, const char *item_id, const char *except_id, int *out);

/* When the latest stand-up before t started (0 when none). */
int tw_standups_previous(tw_store *st, int64_t t, int64_t *out);

/* One stored stand-up, borrowed for the call. summary is the ended event's
 * summary JSON, or NULL while it runs. */
typedef struct tw_standup_row {
    char id[TW_STANDUP_ID_SIZE];
    char by[TW_AUTHOR_SIZE];
    int64_t started, ended;
    int position, count;
    const char *summary;
} tw_standup_row;
typedef int (*tw_standups_fn)(void *ctx, const tw_standup_row *row);
/* Every stand-up, newest first, at most limit (0: all). */
int tw_standups_each(tw_store *st, int limit, tw_standups_fn fn, void *ctx);

#endif
