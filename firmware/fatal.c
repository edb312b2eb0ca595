/* SPDX-License-Identifier: MIT */
/*
 * The error frame (see fatal.h): the normal wall with no cards, "offline",
 * and the reason as an error line in the banner, redrawn every minute for
 * the clock; the loop only waits for a signal and keeps the watchdog fed.
 */
#define LOG_MODULE "fatal"
#include "fatal.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "i18n.h"
#include "log.h"
#include "mainloop.h"
#include "render.h"
#include "store.h"
#include "util.h"
#include "warnings.h"
#include "watchdog.h"

void tw_fatal_store_text(const char *path, int rc, char *buf, size_t size)
{
    int v = -1;
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            v = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    if (v > tw_store_schema_latest())
        log_error("%s is schema %d, newer than this teamwall knows (%d)", path, v,
                  tw_store_schema_latest());
    if (v > tw_store_schema_latest())
        snprintf(buf, size,
                 _("Database is schema %d, this teamwall knows %d: update it or restore a backup"),
                 v, tw_store_schema_latest());
    else
        snprintf(buf, size, _("Cannot open the database %.60s: %s"), name, tw_strerror(rc));
}

static void draw(tw_ui *ui, const tw_config *cfg, const tw_warning *w)
{
    tw_view view = {0};
    view.team = cfg->team;
    view.now = tw_now();
    view.online = false;
    view.offline_reason = _("database unusable");
    view.warnings = w;
    view.n_warnings = 1;
    tw_ui_render(ui, &view);
    if (cfg->screenshot[0] && tw_ui_screenshot(ui, cfg->screenshot) != 0)
        log_warn("cannot write %s", cfg->screenshot);
}

void tw_fatal_screen(const tw_config *cfg, const char *font_dir, int64_t exit_after_ms,
                     const char *text, int sigfd)
{
    /* The wall's own screen options, rotation included: a portrait wall
     * showed this screen on its side. */
    tw_ui_options uo;
    tw_mainloop_ui_options(cfg, font_dir, &uo);
    tw_ui *ui = NULL;
    if (tw_ui_create(&uo, &ui) != 0)
        return;
    tw_warning w = {.level = TW_WARN_ERROR, .since = tw_now()};
    tw_strlcpy(w.key, "storage", sizeof(w.key));
    tw_strlcpy(w.text, text, sizeof(w.text));
    log_error("%s; showing it on the wall until stopped", text);
    draw(ui, cfg, &w);
    tw_watchdog_ready();
    tw_watchdog_status(text);
    int64_t end = exit_after_ms ? tw_mono_ms() + exit_after_ms : INT64_MAX;
    for (;;) {
        int64_t now = tw_mono_ms();
        if (now >= end)
            break;
        int64_t due = now + 60000;
        if (tw_watchdog_deadline() < due)
            due = tw_watchdog_deadline();
        if (end < due)
            due = end;
        struct pollfd pfd = {sigfd, POLLIN, 0};
        int n = poll(&pfd, 1, due > now ? (int)(due - now) : 0);
        if (n < 0 && errno != EINTR)
            break;
        if (n > 0 && (pfd.revents & POLLIN)) {
            struct signalfd_siginfo si;
            bool stop = false;
            while (read(sigfd, &si, sizeof si) == (ssize_t)sizeof si)
                stop = stop || si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT;
            if (stop)
                break;
        }
        tw_watchdog_kick();
        draw(ui, cfg, &w);
    }
    tw_ui_destroy(ui);
}
