/* SPDX-License-Identifier: MIT */
/* Names of kinds, states and command types, both ways. */
#include "item.h"

#include <string.h>

static const char *const kinds[] = {"blocker", "question", "win"};
static const char *const states[] = {"open", "claimed", "resolved"};
static const char *const cmds[] = {"post", "claim", "resolve", "reopen", "redact"};

static int lookup(const char *const *names, int n, const char *name)
{
    for (int i = 0; name && i < n; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return -1;
}

const char *tw_kind_name(tw_kind kind)
{
    return (unsigned)kind < 3 ? kinds[kind] : "?";
}

int tw_kind_parse(const char *name)
{
    return lookup(kinds, 3, name);
}

const char *tw_state_name(tw_state state)
{
    return (unsigned)state < 3 ? states[state] : "?";
}

int tw_state_parse(const char *name)
{
    return lookup(states, 3, name);
}

const char *tw_cmd_name(tw_cmd_type type)
{
    return (unsigned)type < sizeof(cmds) / sizeof(cmds[0]) ? cmds[type] : "?";
}
