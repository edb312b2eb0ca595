/* SPDX-License-Identifier: MIT */
/*
 * The detail view's state: which item is open, which button has the focus,
 * when it closes by itself (30 s after the last touch or key), and what a
 * key press means. Also the keyboard focus on the board before anything is
 * open. Pure: times are passed in (monotonic ms); the app turns the chosen
 * action into a tw_command for tw_board_apply() with source "touch".
 */
#ifndef TW_UI_DETAIL_H
#define TW_UI_DETAIL_H

#include <stdbool.h>
#include <stdint.h>

#include "../firmware/item.h"

#define TW_DETAIL_TIMEOUT_MS 30000
#define TW_DETAIL_BUTTONS    4

typedef enum {
    TW_ACT_NONE = 0,
    TW_ACT_CLAIM,
    TW_ACT_RESOLVE,
    TW_ACT_REOPEN,
    TW_ACT_CLOSE,
} tw_detail_action;

typedef enum {
    TW_NAV_NONE = 0,
    TW_NAV_UP,
    TW_NAV_DOWN,
    TW_NAV_LEFT,
    TW_NAV_RIGHT,
    TW_NAV_NEXT, /* Tab */
    TW_NAV_ENTER,
    TW_NAV_BACK, /* Escape, Backspace */
} tw_nav_key;

typedef struct tw_detail {
    bool open;
    char id[TW_ID_SIZE]; /* the item's id: commands and history use it */
    int64_t seq;
    int focus;         /* index into the buttons */
    int64_t closes_ms; /* monotonic deadline */
} tw_detail;

/* The buttons for an item in its state, left to right: an open blocker or
 * question: Claim, Resolve, Close; a claimed one: Resolve, Close; a
 * resolved one: Reopen, Close; a win: Resolve (labelled "Done"), Close.
 * Returns n. */
int tw_detail_buttons(const tw_item *item, tw_detail_action out[TW_DETAIL_BUTTONS]);

/* The label of a button for an item of this kind. */
const char *tw_detail_label(tw_detail_action a, tw_kind kind);

/* Open on item at now_ms, focus on the first button. */
void tw_detail_open(tw_detail *d, const tw_item *item, int64_t now_ms);
void tw_detail_close(tw_detail *d);

/* A key while open: arrows and Tab move the focus (it stays on a button
 * when the item's buttons change), Enter returns the focused action, Back
 * returns TW_ACT_CLOSE. Every key restarts the 30 s. */
tw_detail_action tw_detail_key(tw_detail *d, const tw_item *item, tw_nav_key key, int64_t now_ms);

/* A touch on button i (as laid out for item) at now_ms: its action. */
tw_detail_action tw_detail_press(tw_detail *d, const tw_item *item, int i, int64_t now_ms);

/* Keep the focus valid after the item changed (a Claim leaves Resolve). */
void tw_detail_refocus(tw_detail *d, const tw_item *item);

/* True when open and the deadline has passed. */
bool tw_detail_expired(const tw_detail *d, int64_t now_ms);

#endif
