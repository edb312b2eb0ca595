/* SPDX-License-Identifier: MIT */
/*
 * teamwall-ctl's stand-up verbs (firmware/ctl.c dispatches): the payload of
 * `standup start|next|back|stop` and the listing of `standups [--json]`.
 */
#ifndef TW_CTL_STANDUP_H
#define TW_CTL_STANDUP_H

#include <stdbool.h>

#include "config.h"

/*
 * The <root>/standup payload for action ("start", "next", "back", "stop"),
 * by (may be NULL), into *out (caller frees). next, back and stop carry the
 * position of the running stand-up as "at" when the board's database is
 * readable here, so a command sent twice moves once. TW_ERR_INVAL for an
 * unknown action.
 */
int tw_ctl_standup_payload(const tw_config *cfg, const char *action, const char *by, char **out);

/* Print the stand-ups held, newest first; 0 or an exit status. */
int tw_ctl_standups(const tw_config *cfg, bool json);

#endif
