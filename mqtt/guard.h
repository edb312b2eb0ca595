/* SPDX-License-Identifier: MIT */
/*
 * Whose retained message is this: checks a reader of a board's topics makes
 * before it believes what it reads (TARGETS.md R12). The broker's ACLs
 * (packaging/mosquitto/teamwall.acl) are the wall; these are the second
 * line, for brokers run without them: a retained state is only a board's own
 * when its "team" and "board" keys name the team and board of its topic.
 * Pure functions over the payload; cJSON parses it. Used by teamwall-bridge.
 */
#ifndef TW_GUARD_H
#define TW_GUARD_H

#include <stdbool.h>
#include <stddef.h>

/* Whether the retained state JSON (len bytes, not necessarily terminated)
 * says it is board `board` of team `team`'s. When not, and why is not NULL,
 * *why says what it named instead (static text or a copy into why_buf). */
bool tw_guard_state_is_own(const char *json, size_t len, const char *team, const char *board,
                           char *why, size_t why_size);

#endif
