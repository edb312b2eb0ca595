/* SPDX-License-Identifier: MIT */
/*
 * The retained state's "warnings" (PROTOCOL.md, "Warnings in the state"):
 * what the wall's banner shows, as objects with a "kind" (the warning key up
 * to its first ':', so "storage" and "storage:file" are both kind
 * "storage"), the "reason" the wall shows and "since". Added to a state the
 * codec built; a state that already has "warnings" is left as it is.
 */
#ifndef TW_STATEWARN_H
#define TW_STATEWARN_H

#include <stddef.h>

#include "warnings.h"

/* Takes json (a state object, malloc'd) and returns it with "warnings", or
 * json unchanged when it cannot be parsed or already has them. */
char *tw_statewarn_add(char *json, const tw_warning *w, size_t n);

#endif
