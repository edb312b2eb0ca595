/* SPDX-License-Identifier: MIT */
/*
 * The desk buttons' rows in the store (tables buttons, button_models and
 * button_presses; schema steps 2 and 6): every button seen with its health,
 * and the presses already acted on, so a redelivered press is one press.
 * The statements are the store's cached ones (store_int.h), prepared on
 * first use and reset after each, like the store's own. Used by
 * firmware/buttons.c and teamwall-ctl buttons, through store.h.
 */
#define LOG_MODULE "store"
#include <string.h>

#include "log.h"
#include "store.h"
#include "store_int.h"
#include "util.h"

#define BUTTON_COLUMNS                                                                             \
    "source, device, input, name, first_seen, last_seen, last_press, last_action, presses, "       \
    "battery, online, online_since, counter, counter_epoch"
/* With the device's make and model (migration 6), where it is known. */
#define BUTTON_SELECT                                                                              \
    "SELECT " BUTTON_COLUMNS ", coalesce(vendor, ''), coalesce(model, '') FROM buttons "           \
    "LEFT JOIN button_models USING (source, device) "

enum { B_GET, B_PUT, B_EACH, B_MODEL_PUT, B_PRESS_GET, B_PRESS_ADD, B_COUNT };
_Static_assert(B_COUNT <= TW_STORE_SLOT_BUTTONS_N, "the buttons' statement slots");

static const char *const sql[B_COUNT] = {
    [B_GET] = BUTTON_SELECT "WHERE source = ?1 AND device = ?2 AND input = ?3",
    [B_PUT] = "INSERT INTO buttons (" BUTTON_COLUMNS ") "
              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) "
              "ON CONFLICT (source, device, input) DO UPDATE SET name = ?4, "
              "first_seen = ?5, last_seen = ?6, last_press = ?7, last_action = ?8, "
              "presses = ?9, battery = ?10, online = ?11, online_since = ?12, "
              "counter = ?13, counter_epoch = ?14",
    [B_MODEL_PUT] = "INSERT INTO button_models (source, device, vendor, model) "
                    "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (source, device) DO UPDATE "
                    "SET vendor = ?3, model = ?4",
    /* Configured buttons first, by name; then the unassigned, newest first. */
    [B_EACH] = BUTTON_SELECT "ORDER BY name = '', name, last_press DESC, source, device, input",
    [B_PRESS_GET] = "SELECT 1 FROM button_presses WHERE id = ?1",
    /* In parentheses: clang's -Wstring-concatenation takes a lone split
     * literal in an array for a missing comma. */
    [B_PRESS_ADD] = ("INSERT INTO button_presses (id, at, source, device, input, button, press, "
                     "action) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"),
};

static sqlite3_stmt *stmt(tw_store *store, int which)
{
    return tw_store_cached(store, TW_STORE_SLOT_BUTTONS + (unsigned)which, sql[which]);
}

/* Statements are reset right after use: one left mid-step keeps a read
 * transaction open and would pin the WAL. */
static void done(sqlite3_stmt *st)
{
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
}

/* tw_store_buttons_each() is not reentrant: its statement is mid-walk. */
static int walking;

static void read_button(sqlite3_stmt *st, tw_button_row *out)
{
    memset(out, 0, sizeof(*out));
    tw_store_column_copy(st, 0, out->source, sizeof(out->source));
    tw_store_column_copy(st, 1, out->device, sizeof(out->device));
    tw_store_column_copy(st, 2, out->input, sizeof(out->input));
    tw_store_column_copy(st, 3, out->name, sizeof(out->name));
    out->first_seen = sqlite3_column_int64(st, 4);
    out->last_seen = sqlite3_column_int64(st, 5);
    out->last_press = sqlite3_column_int64(st, 6);
    tw_store_column_copy(st, 7, out->last_action, sizeof(out->last_action));
    out->presses = sqlite3_column_int64(st, 8);
    out->battery = sqlite3_column_type(st, 9) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 9);
    out->online = sqlite3_column_type(st, 10) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 10);
    out->online_since = sqlite3_column_int64(st, 11);
    out->has_counter = sqlite3_column_type(st, 12) != SQLITE_NULL;
    out->counter = sqlite3_column_int64(st, 12);
    out->counter_epoch = sqlite3_column_int64(st, 13);
    tw_store_column_copy(st, 14, out->vendor, sizeof(out->vendor));
    tw_store_column_copy(st, 15, out->model, sizeof(out->model));
}

int tw_store_button_get(tw_store *store, const char *source, const char *device, const char *input,
                        tw_button_row *out)
{
    if (!store || !source || !device || !out)
        return TW_ERR_INVAL;
    sqlite3_stmt *st = stmt(store, B_GET);
    if (!st)
        return TW_ERR_DB;
    tw_store_bind_text(st, 1, source);
    tw_store_bind_text(st, 2, device);
    tw_store_bind_text(st, 3, input ? input : "");
    int rc = sqlite3_step(st);
    int ret = 0;
    if (rc == SQLITE_ROW)
        read_button(st, out);
    else if (rc == SQLITE_DONE)
        ret = TW_ERR_NOTFOUND;
    else
        ret = tw_store_fail(store, rc, "button get");
    done(st);
    return ret;
}

int tw_store_button_put(tw_store *store, const tw_button_row *row)
{
    if (!store || !row || !row->source[0] || !row->device[0])
        return TW_ERR_INVAL;
    sqlite3_stmt *st = stmt(store, B_PUT);
    if (!st)
        return TW_ERR_DB;
    tw_store_bind_text(st, 1, row->source);
    tw_store_bind_text(st, 2, row->device);
    tw_store_bind_text(st, 3, row->input);
    tw_store_bind_text(st, 4, row->name);
    sqlite3_bind_int64(st, 5, row->first_seen);
    sqlite3_bind_int64(st, 6, row->last_seen);
    sqlite3_bind_int64(st, 7, row->last_press);
    tw_store_bind_text(st, 8, row->last_action);
    sqlite3_bind_int64(st, 9, row->presses);
    if (row->battery >= 0)
        sqlite3_bind_int(st, 10, row->battery);
    else
        sqlite3_bind_null(st, 10);
    if (row->online >= 0)
        sqlite3_bind_int(st, 11, row->online ? 1 : 0);
    else
        sqlite3_bind_null(st, 11);
    sqlite3_bind_int64(st, 12, row->online_since);
    if (row->has_counter)
        sqlite3_bind_int64(st, 13, row->counter);
    else
        sqlite3_bind_null(st, 13);
    sqlite3_bind_int64(st, 14, row->counter_epoch);
    int rc = sqlite3_step(st);
    int ret = rc == SQLITE_DONE ? 0 : tw_store_fail(store, rc, "button put");
    done(st);
    if (ret || (!row->vendor[0] && !row->model[0]))
        return ret;
    st = stmt(store, B_MODEL_PUT); /* the device's, for all its inputs */
    if (!st)
        return TW_ERR_DB;
    tw_store_bind_text(st, 1, row->source);
    tw_store_bind_text(st, 2, row->device);
    tw_store_bind_text(st, 3, row->vendor);
    tw_store_bind_text(st, 4, row->model);
    rc = sqlite3_step(st);
    ret = rc == SQLITE_DONE ? 0 : tw_store_fail(store, rc, "button model put");
    done(st);
    return ret;
}

int tw_store_buttons_each(tw_store *store, tw_store_button_fn fn, void *ctx)
{
    if (!store || !fn)
        return TW_ERR_INVAL;
    if (walking) {
        log_error("buttons: called from inside its own callback");
        return TW_ERR_INVAL;
    }
    sqlite3_stmt *st = stmt(store, B_EACH);
    if (!st)
        return TW_ERR_DB;
    walking++;
    int rc, ret = 0;
    tw_button_row row;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        read_button(st, &row);
        ret = fn(ctx, &row);
        if (ret)
            break;
    }
    if (!ret && rc != SQLITE_DONE)
        ret = tw_store_fail(store, rc, "buttons");
    done(st);
    walking--;
    return ret;
}

int tw_store_press_exists(tw_store *store, const char *id)
{
    if (!store || !id)
        return TW_ERR_INVAL;
    sqlite3_stmt *st = stmt(store, B_PRESS_GET);
    if (!st)
        return TW_ERR_DB;
    tw_store_bind_text(st, 1, id);
    int rc = sqlite3_step(st);
    int ret = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : tw_store_fail(store, rc, "press get");
    done(st);
    return ret;
}

int tw_store_press_add(tw_store *store, const char *id, int64_t at, const tw_button_row *button,
                       const char *press, const char *action)
{
    if (!store || !id || !*id || !button || !press || !action)
        return TW_ERR_INVAL;
    sqlite3_stmt *st = stmt(store, B_PRESS_ADD);
    if (!st)
        return TW_ERR_DB;
    tw_store_bind_text(st, 1, id);
    sqlite3_bind_int64(st, 2, at);
    tw_store_bind_text(st, 3, button->source);
    tw_store_bind_text(st, 4, button->device);
    tw_store_bind_text(st, 5, button->input);
    tw_store_bind_text(st, 6, button->name);
    tw_store_bind_text(st, 7, press);
    tw_store_bind_text(st, 8, action);
    int rc = sqlite3_step(st);
    int ret = 0;
    if ((rc & 0xff) == SQLITE_CONSTRAINT)
        ret = TW_ERR_INVAL;
    else if (rc != SQLITE_DONE)
        ret = tw_store_fail(store, rc, "press add");
    done(st);
    return ret;
}
