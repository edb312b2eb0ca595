/* SPDX-License-Identifier: MIT */
/*
 * Log lines to stderr: "teamwall[store] warning: ..." on a terminal, and with
 * sd-daemon priority prefixes when stderr is the journal (JOURNAL_STREAM set).
 */
#define _POSIX_C_SOURCE 200809L
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static enum tw_log_level max_level = TW_LOG_INFO;
static int journal = -1;

void tw_log_set_level(enum tw_log_level level)
{
    max_level = level;
}

static const char *level_name(enum tw_log_level level)
{
    switch (level) {
    case TW_LOG_ERROR: return "error";
    case TW_LOG_WARN: return "warning";
    case TW_LOG_INFO: return "info";
    default: return "debug";
    }
}

void tw_log_write(enum tw_log_level level, const char *module, const char *fmt, ...)
{
    if (journal < 0) {
        journal = getenv("JOURNAL_STREAM") != NULL;
        const char *env = getenv("TW_LOG");
        if (env && strcmp(env, "debug") == 0)
            max_level = TW_LOG_DEBUG;
    }
    if (level > max_level)
        return;
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    if (journal)
        fprintf(stderr, "<%d>%s: %s\n", (int)level, module, line);
    else
        fprintf(stderr, "teamwall[%s] %s: %s\n", module, level_name(level), line);
}
