/* SPDX-License-Identifier: MIT */
/*
 * SDL key events to button edges. A key is looked up by its key name (what
 * the layout makes of it: "F1", "Return", "Keypad 1") and, failing that, by
 * its scancode name (where the key is), both normalised the way the config's
 * names are (tw_button_key_normalize), so "KP_1" in the config matches SDL's
 * "Keypad 1".
 */
#define LOG_MODULE "input"
#include "input.h"

#include <string.h>

#include "log.h"
#include "standup.h"

static bool offer(tw_buttons *b, const SDL_KeyboardEvent *k, tw_edge edge, int64_t mono_ms)
{
    const char *name = SDL_GetKeyName(k->keysym.sym);
    if (name && *name && tw_buttons_key(b, name, edge, mono_ms))
        return true;
    name = SDL_GetScancodeName(k->keysym.scancode);
    return name && *name && tw_buttons_key(b, name, edge, mono_ms);
}

bool tw_input_handle_event(tw_buttons *buttons, const SDL_Event *ev, int64_t mono_ms)
{
    if (!buttons || !ev || (ev->type != SDL_KEYDOWN && ev->type != SDL_KEYUP))
        return false;
    const SDL_KeyboardEvent *k = &ev->key;
    tw_edge edge = ev->type == SDL_KEYDOWN ? TW_EDGE_DOWN : TW_EDGE_UP;
    /* Auto-repeat while held is no new press, but still the button's. */
    if (k->repeat)
        edge = TW_EDGE_NONE;
    return offer(buttons, k, edge, mono_ms);
}

static bool sdl_knows(const char *norm)
{
    char n[64];
    for (int sc = 0; sc < SDL_NUM_SCANCODES; sc++) {
        const char *names[2] = {SDL_GetScancodeName((SDL_Scancode)sc),
                                SDL_GetKeyName(SDL_GetKeyFromScancode((SDL_Scancode)sc))};
        for (int i = 0; i < 2; i++) {
            if (!names[i] || !*names[i])
                continue;
            tw_button_key_normalize(names[i], n, sizeof(n));
            if (strcmp(n, norm) == 0)
                return true;
        }
    }
    return false;
}

int tw_input_check_keys(const tw_button_config *config)
{
    int unknown = 0;
    for (size_t i = 0; i < tw_button_config_count(config); i++) {
        const tw_button_def *d = tw_button_config_get(config, i);
        if (d->source != TW_SRC_KEY)
            continue;
        char norm[64];
        tw_button_key_normalize(d->device, norm, sizeof(norm));
        if (!sdl_knows(norm)) {
            log_warn("button %s: no key is called \"%s\" (SDL names: F1, Return, Keypad 1, "
                     "Space, A)",
                     d->name, d->device);
            unknown++;
        }
    }
    return unknown;
}

int tw_input_standup_key(const SDL_Event *ev, bool running)
{
    if (!ev || ev->type != SDL_KEYDOWN || ev->key.repeat ||
        (ev->key.keysym.mod & (KMOD_CTRL | KMOD_ALT | KMOD_GUI)))
        return -1;
    switch (ev->key.keysym.sym) {
    case SDLK_s: return TW_SU_START;
    case SDLK_SPACE:
    case SDLK_RIGHT: return running ? TW_SU_NEXT : -1;
    case SDLK_LEFT: return running ? TW_SU_BACK : -1;
    case SDLK_c: return running ? TW_SU_CLAIM : -1;
    case SDLK_r: return running ? TW_SU_RESOLVE : -1;
    case SDLK_ESCAPE: return running ? TW_SU_STOP : -1;
    default: return -1;
    }
}

int tw_input_standup_tap(int x, int w)
{
    return x >= w / 2 ? TW_SU_NEXT : TW_SU_BACK;
}
