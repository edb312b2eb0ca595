/* SPDX-License-Identifier: MIT */
/*
 * What the board's loop (firmware/app.c) and the lobby's loop
 * (firmware/lobby.c) share outside any one team: the signalfd both poll
 * (SIGTERM/SIGINT stop, SIGUSR1 asks for a screenshot, SIGHUP is ignored),
 * the poll timeout's arithmetic, the screen's options from the config, the
 * SDL window events neither loop handles itself, and the screenshot file
 * written beside and renamed. Each loop owns its own state; these helpers
 * only read the config and set the flags they are given.
 */
#ifndef TW_MAINLOOP_H
#define TW_MAINLOOP_H

#include <SDL2/SDL.h>
#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "render.h"

/* Block SIGTERM, SIGINT, SIGUSR1 and SIGHUP into a non-blocking signalfd
 * (the caller owns it and closes it), and ignore SIGPIPE and SIGXFSZ.
 * Returns the fd, or -1. */
int tw_mainloop_signals_open(void);

/* Read every signal waiting on fd: SIGUSR1 sets *want_screenshot, SIGHUP
 * nothing, any other sets *quit. */
void tw_mainloop_signals_read(int fd, bool *quit, bool *want_screenshot);

/* The earlier of deadline a and b, where b <= 0 means "none". */
int64_t tw_mainloop_earliest(int64_t a, int64_t b);

/* Monotonic ms of the next wall-clock minute. */
int64_t tw_mainloop_next_minute_ms(void);

/* The screen's options from the config, fonts from font_dir (borrowed). */
void tw_mainloop_ui_options(const tw_config *cfg, const char *font_dir, tw_ui_options *out);

/* An SDL event neither loop took: a quit (window closed, Ctrl+Q) sets
 * *quit, an exposed or resized window sets *view_dirty; others do nothing. */
void tw_mainloop_window_event(const SDL_Event *ev, bool *quit, bool *view_dirty);

/* Write the screen to path through path.tmp and a rename, so whoever
 * watches the file never reads a half-written PNG. Returns 0 when path
 * was written; nothing is written when path is "". */
int tw_mainloop_screenshot(tw_ui *ui, const char *path);

#endif
