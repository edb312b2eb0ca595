/* SPDX-License-Identifier: MIT */
/*
 * The plumbing the board's loop (firmware/app.c) and the lobby's loop
 * (firmware/lobby.c) share: signals through a signalfd, deadline
 * arithmetic, the screen's options, the window events both treat alike,
 * and the screenshot file. Kept here once so the two loops cannot drift
 * apart on them; anything about a team (store, broker, board) stays in
 * the loops.
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#define LOG_MODULE "mainloop"
#include "mainloop.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "util.h"

int tw_mainloop_signals_open(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGHUP);
    sigprocmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    /* A file size limit must surface as a failed write (storage trouble), not kill us. */
    signal(SIGXFSZ, SIG_IGN);
    return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

void tw_mainloop_signals_read(int fd, bool *quit, bool *want_screenshot)
{
    struct signalfd_siginfo si;
    while (read(fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
        if (si.ssi_signo == SIGUSR1)
            *want_screenshot = true;
        else if (si.ssi_signo != SIGHUP)
            *quit = true;
    }
}

int64_t tw_mainloop_earliest(int64_t a, int64_t b)
{
    return (b > 0 && b < a) ? b : a;
}

int64_t tw_mainloop_next_minute_ms(void)
{
    int64_t now = (int64_t)time(NULL);
    return tw_mono_ms() + (60 - now % 60) * 1000;
}

void tw_mainloop_ui_options(const tw_config *cfg, const char *font_dir, tw_ui_options *out)
{
    *out = (tw_ui_options){
        .width = cfg->width,
        .height = cfg->height,
        .fullscreen = cfg->fullscreen,
        .headless = cfg->headless,
        .font_dir = font_dir,
        .theme = cfg->theme,
        .escalate_after_s = cfg->escalate_after,
        .critical_after_s = cfg->critical_after,
        .rotate = atoi(cfg->rotate),
        .wins_for_s = cfg->wins_for,
    };
}

void tw_mainloop_window_event(const SDL_Event *ev, bool *quit, bool *view_dirty)
{
    switch (ev->type) {
    case SDL_QUIT: *quit = true; break;
    case SDL_WINDOWEVENT:
        if (ev->window.event == SDL_WINDOWEVENT_EXPOSED ||
            ev->window.event == SDL_WINDOWEVENT_SIZE_CHANGED)
            *view_dirty = true;
        break;
    case SDL_KEYDOWN:
        if (ev->key.keysym.sym == SDLK_q && (ev->key.keysym.mod & KMOD_CTRL))
            *quit = true;
        break;
    default: break;
    }
}

int tw_mainloop_screenshot(tw_ui *ui, const char *path)
{
    if (!path[0])
        return TW_ERR_INVAL;
    char tmp[TW_CONFIG_PATH + 8];
    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    if (tw_ui_screenshot(ui, tmp) != 0)
        return TW_ERR_IO;
    if (rename(tmp, path) != 0) {
        log_warn("cannot rename %s to %s: %s", tmp, path, strerror(errno));
        unlink(tmp);
        return TW_ERR_IO;
    }
    return 0;
}
