/* SPDX-License-Identifier: MIT */
/*
 * The lobby's layout (docs/LOBBY.md), as pure functions of the wall's own
 * layout (ui/layout.c: the same type sizes, header and banner): under the
 * banner the screen is cut into one band per team, one above the other.
 * Each band has a gutter on the left (the team's name and its figures, as
 * lines) and, right of it, the team's three sections, laid out like a
 * landscape wall's board: a tw_layout whose board is the band's, so the
 * density rules of the wall (compact cards before "+N more", columns shared
 * by need) run on each band unchanged.
 */
#ifndef TW_UI_LOBBYLAYOUT_H
#define TW_UI_LOBBYLAYOUT_H

#include "layout.h"

/* A band needs room for at least this many rows of compact cards (and the
 * "+N more" line under them) in each section, or the lobby lists too many
 * teams for the screen. */
#define TW_LOBBY_MIN_ROWS 2

/* Band i of n on the screen laid out as full: *band is full with its board
 * and sections moved into the band (card columns recomputed for their
 * width; no strip or learned line), *gutter the rect of the team's name and
 * figures. */
void tw_lobby_layout(const tw_layout *full, int n, int i, tw_layout *band, tw_rect *gutter);

/* The most bands (up to max) the screen holds with TW_LOBBY_MIN_ROWS rows of
 * compact cards in each section, each section at least a compact column
 * wide; 0 when not even one band does (a portrait screen). */
int tw_lobby_capacity(const tw_layout *full, int max);

#endif
