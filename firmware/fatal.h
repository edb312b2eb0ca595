/* SPDX-License-Identifier: MIT */
/*
 * The wall when the board cannot start: a database this build cannot use (a
 * newer schema, a file it may not open) is shown as an error frame that
 * stays up, instead of a dark screen that systemd restarts every 2 s
 * (TARGETS.md R11). Owns the screen only while showing it.
 */
#ifndef TW_FATAL_H
#define TW_FATAL_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"

/* Why the store at path did not open (rc from tw_store_open), in a sentence
 * for the wall: names a newer schema and what to do about it. */
void tw_fatal_store_text(const char *path, int rc, char *buf, size_t size);

/* Show text as an error on the wall (cfg's size, theme and screenshot path)
 * until SIGTERM or SIGINT arrives on sigfd, or exit_after_ms passes (when
 * not 0), telling systemd the board is up but failed. */
void tw_fatal_screen(const tw_config *cfg, const char *font_dir, int64_t exit_after_ms,
                     const char *text, int sigfd);

#endif
