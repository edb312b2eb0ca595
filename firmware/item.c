/* SPDX-License-Identifier: MIT */
/* Names of kinds, states and command types, both ways; items as views. */
#include "item.h"

#include <string.h>

#include "util.h"

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

void tw_item_view_of(const tw_item *item, tw_item_view *out)
{
    *out = (tw_item_view){
        .seq = item->seq,
        .id = item->id,
        .ref = item->ref,
        .text = item->text,
        .author = item->author,
        .source = item->source,
        .claimed_by = item->claimed_by,
        .resolved_by = item->resolved_by,
        .kind = item->kind,
        .state = item->state,
        .created = item->created,
        .claimed = item->claimed,
        .resolved = item->resolved,
        .updated = item->updated,
    };
}

void tw_item_from_view(const tw_item_view *v, tw_item *out)
{
    memset(out, 0, sizeof(*out));
    out->seq = v->seq;
    tw_strlcpy(out->id, v->id, sizeof(out->id));
    tw_strlcpy(out->ref, v->ref, sizeof(out->ref));
    out->kind = v->kind;
    out->state = v->state;
    tw_strlcpy(out->text, v->text, sizeof(out->text));
    tw_strlcpy(out->author, v->author, sizeof(out->author));
    tw_strlcpy(out->source, v->source, sizeof(out->source));
    tw_strlcpy(out->claimed_by, v->claimed_by, sizeof(out->claimed_by));
    tw_strlcpy(out->resolved_by, v->resolved_by, sizeof(out->resolved_by));
    out->created = v->created;
    out->claimed = v->claimed;
    out->resolved = v->resolved;
    out->updated = v->updated;
}
