/* SPDX-License-Identifier: MIT */
/*
 * Writing items out for people and other tools (teamwall-ctl export):
 * Markdown to read or paste into a wiki, CSV (RFC 4180) for a spreadsheet,
 * JSON (PROTOCOL.md's item objects, from the codec) for scripts. Streaming:
 * one item at a time, so 100,000 items need no more memory than one.
 */
#ifndef TW_EXPORT_H
#define TW_EXPORT_H

#include <stdint.h>
#include <stdio.h>

#include "item.h"

typedef enum { TW_EXPORT_MARKDOWN = 0, TW_EXPORT_CSV, TW_EXPORT_JSON } tw_export_format;

/* "md" (or "markdown"), "csv", "json"; -1 for anything else. */
int tw_export_parse_format(const char *name);

typedef struct tw_export tw_export;

/* Start writing to f (borrowed) in format; title heads the Markdown ("What
 * acme learned"), now (Unix seconds) dates it. */
tw_export *tw_export_begin(FILE *f, tw_export_format format, const char *title, int64_t now);
/* One item and its note ("" or NULL when none). */
void tw_export_item(tw_export *e, const tw_item *item, const char *note);
/* Finish and free e. 0, or TW_ERR_IO if writing failed (a full disk, a
 * closed pipe). */
int tw_export_end(tw_export *e);

#endif
