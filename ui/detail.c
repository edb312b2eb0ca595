/* SPDX-License-Identifier: MIT */
/*
 * The detail view's state machine. Buttons follow the item's state, so a
 * Claim turns the row into Resolve / Close and a Resolve into Reopen / Close
 * (an undo for a mistaken tap, until the view closes).
 */
#include "detail.h"

#include "i18n.h"

#include <string.h>

#include "util.h"

int tw_detail_buttons(const tw_item *it, tw_detail_action out[TW_DETAIL_BUTTONS])
{
    int n = 0;
    if (!it) {
        out[n++] = TW_ACT_CLOSE;
        return n;
    }
    if (it->state == TW_STATE_RESOLVED) {
        out[n++] = TW_ACT_REOPEN;
    } else {
        if (it->kind != TW_KIND_WIN && it->state == TW_STATE_OPEN)
            out[n++] = TW_ACT_CLAIM;
        out[n++] = TW_ACT_RESOLVE;
    }
    out[n++] = TW_ACT_CLOSE;
    return n;
}

const char *tw_detail_label(tw_detail_action a, tw_kind kind)
{
    switch (a) {
    case TW_ACT_CLAIM: return _("Claim");
    case TW_ACT_RESOLVE: return kind == TW_KIND_WIN ? _("Done") : _("Resolve");
    case TW_ACT_REOPEN: return _("Reopen");
    case TW_ACT_CLOSE: return _("Close");
    default: return "";
    }
}

void tw_detail_open(tw_detail *d, const tw_item *it, int64_t now_ms)
{
    memset(d, 0, sizeof(*d));
    if (!it)
        return;
    d->open = true;
    tw_strlcpy(d->id, it->id, sizeof(d->id));
    d->seq = it->seq;
    d->focus = 0;
    d->closes_ms = now_ms + TW_DETAIL_TIMEOUT_MS;
}

void tw_detail_close(tw_detail *d)
{
    memset(d, 0, sizeof(*d));
}

void tw_detail_refocus(tw_detail *d, const tw_item *it)
{
    tw_detail_action b[TW_DETAIL_BUTTONS];
    int n = tw_detail_buttons(it, b);
    if (d->focus >= n)
        d->focus = n - 1;
    if (d->focus < 0)
        d->focus = 0;
}

tw_detail_action tw_detail_key(tw_detail *d, const tw_item *it, tw_nav_key key, int64_t now_ms)
{
    if (!d->open)
        return TW_ACT_NONE;
    d->closes_ms = now_ms + TW_DETAIL_TIMEOUT_MS;
    tw_detail_action b[TW_DETAIL_BUTTONS];
    int n = tw_detail_buttons(it, b);
    tw_detail_refocus(d, it);
    switch (key) {
    case TW_NAV_LEFT:
    case TW_NAV_UP:
        if (d->focus > 0)
            d->focus--;
        return TW_ACT_NONE;
    case TW_NAV_RIGHT:
    case TW_NAV_DOWN:
        if (d->focus < n - 1)
            d->focus++;
        return TW_ACT_NONE;
    case TW_NAV_NEXT: d->focus = (d->focus + 1) % n; return TW_ACT_NONE;
    case TW_NAV_ENTER: return b[d->focus];
    case TW_NAV_BACK: return TW_ACT_CLOSE;
    default: return TW_ACT_NONE;
    }
}

tw_detail_action tw_detail_press(tw_detail *d, const tw_item *it, int i, int64_t now_ms)
{
    if (!d->open)
        return TW_ACT_NONE;
    d->closes_ms = now_ms + TW_DETAIL_TIMEOUT_MS;
    tw_detail_action b[TW_DETAIL_BUTTONS];
    int n = tw_detail_buttons(it, b);
    if (i < 0 || i >= n)
        return TW_ACT_NONE;
    d->focus = i;
    return b[i];
}

bool tw_detail_expired(const tw_detail *d, int64_t now_ms)
{
    return d->open && now_ms >= d->closes_ms;
}
