/* SPDX-License-Identifier: MIT */
/*
 * Local input for desk buttons: SDL key events (a USB keyboard or button box,
 * keys wired to the Pi's GPIO through the gpio-key overlay, which arrive as
 * ordinary key presses) for the keys that [button] sections with
 * source = key name. Those keys are the buttons' alone; every other event
 * (arrows, Enter, taps, unnamed keys) is left to the rest of the screen's
 * input handling.
 */
#ifndef TW_INPUT_H
#define TW_INPUT_H

#include <SDL2/SDL.h>
#include <stdbool.h>
#include <stdint.h>

#include "buttons.h"

/*
 * Offer one SDL event. A key down or up of a key button is fed to its
 * timing (tw_buttons_key) and true returned: the event is consumed. Key
 * repeats of a button key are consumed without an edge. Anything else:
 * false, untouched. buttons may be NULL (then always false).
 */
bool tw_input_handle_event(tw_buttons *buttons, const SDL_Event *ev, int64_t mono_ms);

/*
 * Log a warning for each key button whose key name SDL does not know (under
 * any of its spellings: SDL's "Keypad 1", X11's "KP_1", "KEY_F1"), so a typo
 * shows at start-up instead of as a button that never works. Call after SDL
 * video is initialised. Returns how many names are unknown.
 */
int tw_input_check_keys(const tw_button_config *config);

/*
 * The stand-up's keys: S starts, Space or Right moves on, Left goes back,
 * C claims and R resolves the item shown, Escape stops (all but S only while
 * one runs: otherwise Escape and the arrows are the board's).
 * Key downs without Ctrl or Alt, no repeats. Returns the action
 * (tw_standup_action) or -1 when the event is no stand-up key.
 */
int tw_input_standup_key(const SDL_Event *ev, bool running);

/* A tap during a stand-up, not on its Claim or Resolve button: the right
 * half of a screen w wide moves on, the left half goes back
 * (tw_standup_action). */
int tw_input_standup_tap(int x, int w);

#endif
