/* SPDX-License-Identifier: MIT */
/*
 * Logging with levels and a module name per file. Lines go to stderr; under
 * systemd (JOURNAL_STREAM set) they carry sd-daemon "<N>" priority prefixes so
 * the journal keeps the level.
 *
 * Each .c file defines LOG_MODULE before including this header:
 *     #define LOG_MODULE "store"
 *     #include "log.h"
 */
#ifndef TW_LOG_H
#define TW_LOG_H

enum tw_log_level { TW_LOG_ERROR = 3, TW_LOG_WARN = 4, TW_LOG_INFO = 6, TW_LOG_DEBUG = 7 };

/* Lines above this level are dropped. Default TW_LOG_INFO; TW_LOG=debug raises it. */
void tw_log_set_level(enum tw_log_level level);
void tw_log_write(enum tw_log_level level, const char *module, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#ifndef LOG_MODULE
#define LOG_MODULE "teamwall"
#endif

#define log_error(...) tw_log_write(TW_LOG_ERROR, LOG_MODULE, __VA_ARGS__)
#define log_warn(...)  tw_log_write(TW_LOG_WARN, LOG_MODULE, __VA_ARGS__)
#define log_info(...)  tw_log_write(TW_LOG_INFO, LOG_MODULE, __VA_ARGS__)
#define log_debug(...) tw_log_write(TW_LOG_DEBUG, LOG_MODULE, __VA_ARGS__)

#endif
