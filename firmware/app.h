/* SPDX-License-Identifier: MIT */
/*
 * The board program: owns the store, the board model, the MQTT client and the
 * screen, and runs the one main loop that ties them together.
 */
#ifndef TW_APP_H
#define TW_APP_H

#include <stdint.h>

#include "config.h"

typedef struct tw_app_options {
    int64_t exit_after_ms; /* 0 = run until SIGTERM/SIGINT */
    const char *trace;     /* --trace FILE: per-command timings (bench/latency) */
    const char *font_dir;  /* resolved font folder */
    int64_t start_ms;      /* tw_mono_ms() when main() began, for the start-up figure */
    const struct tw_button_config *buttons; /* [button "..."] sections (firmware/buttons.h) */
} tw_app_options;

/* Run the board until asked to stop. cfg and opt are borrowed. Returns the
 * process exit status (0 on a clean stop, 1 when start-up failed). */
int tw_app_run(const tw_config *cfg, const tw_app_options *opt);

#endif
