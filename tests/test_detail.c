/* SPDX-License-Identifier: MIT */
/*
 * The detail view's state machine: buttons by kind and state, focus moves,
 * Enter and Back, touches, the 30-second timeout restarted by every input.
 */
#include <string.h>

#include "check.h"
#include "detail.h"
#include "util.h"

static tw_item item(tw_kind k, tw_state s)
{
    tw_item it;
    memset(&it, 0, sizeof(it));
    it.kind = k;
    it.state = s;
    it.seq = 7;
    tw_strlcpy(it.id, "slack-T1-Ev42", sizeof(it.id));
    return it;
}

int main(void)
{
    tw_detail_action b[TW_DETAIL_BUTTONS];
    tw_item open_b = item(TW_KIND_BLOCKER, TW_STATE_OPEN);
    tw_item claimed = item(TW_KIND_QUESTION, TW_STATE_CLAIMED);
    tw_item resolved = item(TW_KIND_BLOCKER, TW_STATE_RESOLVED);
    tw_item win = item(TW_KIND_WIN, TW_STATE_OPEN);

    CHECK_EQ_INT(tw_detail_buttons(&open_b, b), 3);
    CHECK(b[0] == TW_ACT_CLAIM && b[1] == TW_ACT_RESOLVE && b[2] == TW_ACT_CLOSE);
    CHECK_EQ_INT(tw_detail_buttons(&claimed, b), 2);
    CHECK(b[0] == TW_ACT_RESOLVE && b[1] == TW_ACT_CLOSE);
    CHECK_EQ_INT(tw_detail_buttons(&resolved, b), 2);
    CHECK(b[0] == TW_ACT_REOPEN && b[1] == TW_ACT_CLOSE);
    CHECK_EQ_INT(tw_detail_buttons(&win, b), 2); /* wins cannot be claimed */
    CHECK(b[0] == TW_ACT_RESOLVE);
    CHECK_EQ_STR(tw_detail_label(TW_ACT_RESOLVE, TW_KIND_WIN), "Done");
    CHECK_EQ_STR(tw_detail_label(TW_ACT_CLAIM, TW_KIND_BLOCKER), "Claim");
    CHECK_EQ_STR(tw_detail_label(TW_ACT_REOPEN, TW_KIND_BLOCKER), "Reopen");
    CHECK_EQ_INT(tw_detail_buttons(NULL, b), 1);

    tw_detail d;
    tw_detail_open(&d, &open_b, 1000);
    CHECK(d.open);
    CHECK_EQ_STR(d.id, "slack-T1-Ev42");
    CHECK_EQ_INT(d.seq, 7);
    CHECK_EQ_INT(d.focus, 0);
    CHECK(!tw_detail_expired(&d, 1000 + TW_DETAIL_TIMEOUT_MS - 1));
    CHECK(tw_detail_expired(&d, 1000 + TW_DETAIL_TIMEOUT_MS));

    /* Arrows move within the row and stop at its ends; Tab wraps. */
    CHECK_EQ_INT(tw_detail_key(&d, &open_b, TW_NAV_LEFT, 2000), TW_ACT_NONE);
    CHECK_EQ_INT(d.focus, 0);
    tw_detail_key(&d, &open_b, TW_NAV_RIGHT, 2000);
    tw_detail_key(&d, &open_b, TW_NAV_RIGHT, 2000);
    tw_detail_key(&d, &open_b, TW_NAV_RIGHT, 2000);
    CHECK_EQ_INT(d.focus, 2);
    tw_detail_key(&d, &open_b, TW_NAV_NEXT, 2000);
    CHECK_EQ_INT(d.focus, 0);
    CHECK_EQ_INT(tw_detail_key(&d, &open_b, TW_NAV_ENTER, 2000), TW_ACT_CLAIM);
    /* Every key restarts the 30 seconds. */
    CHECK(!tw_detail_expired(&d, 1000 + TW_DETAIL_TIMEOUT_MS));
    CHECK(tw_detail_expired(&d, 2000 + TW_DETAIL_TIMEOUT_MS));

    /* After a claim the row is Resolve, Close: the focus stays on a button. */
    tw_detail_key(&d, &open_b, TW_NAV_RIGHT, 3000);
    tw_detail_key(&d, &open_b, TW_NAV_RIGHT, 3000);
    CHECK_EQ_INT(d.focus, 2);
    tw_detail_refocus(&d, &claimed);
    CHECK_EQ_INT(d.focus, 1);
    CHECK_EQ_INT(tw_detail_key(&d, &claimed, TW_NAV_ENTER, 3000), TW_ACT_CLOSE);
    CHECK_EQ_INT(tw_detail_key(&d, &claimed, TW_NAV_BACK, 3000), TW_ACT_CLOSE);

    /* Touches: the button's action; outside the buttons nothing, but the
     * timer restarts. */
    CHECK_EQ_INT(tw_detail_press(&d, &resolved, 0, 4000), TW_ACT_REOPEN);
    CHECK_EQ_INT(d.focus, 0);
    CHECK_EQ_INT(tw_detail_press(&d, &resolved, 5, 9000), TW_ACT_NONE);
    CHECK(!tw_detail_expired(&d, 4000 + TW_DETAIL_TIMEOUT_MS));

    tw_detail_close(&d);
    CHECK(!d.open);
    CHECK(!tw_detail_expired(&d, 1000000));
    CHECK_EQ_INT(tw_detail_key(&d, &open_b, TW_NAV_ENTER, 5000), TW_ACT_NONE);
    CHECK_EQ_INT(tw_detail_press(&d, &open_b, 0, 5000), TW_ACT_NONE);
    return check_done();
}
