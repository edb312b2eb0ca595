/* SPDX-License-Identifier: MIT */
/*
 * Key buttons end to end below the main loop: key events pushed into SDL's
 * own queue (SDL_PushEvent, dummy video driver), taken out with
 * SDL_PollEvent as pump_sdl() does, offered to firmware/input.c, timed by
 * firmware/buttons.c, applied to a real board and store. Keys that are not
 * buttons' (arrows, Enter, taps) are left alone for the rest of the UI.
 */
#define _POSIX_C_SOURCE 200809L
#include <SDL2/SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "board.h"
#include "buttons.h"
#include "check.h"
#include "openitems.h"
#include "config.h"
#include "input.h"
#include "standup.h"
#include "store.h"
#include "util.h"
#include "warnings.h"

#define NOW 1764061200

static char dir[512];

static tw_button_config *load(const char *name, const char *text)
{
    char path[600], err[512];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    tw_config cfg;
    tw_config_defaults(&cfg);
    tw_button_config *bc = tw_button_config_create();
    tw_button_config_install(bc);
    if (tw_config_load(&cfg, path, err, sizeof(err)) ||
        tw_button_config_check(bc, path, err, sizeof(err)))
        fprintf(stderr, "config: %s\n", err);
    return bc;
}

static void push_key(Uint32 type, SDL_Keycode sym, SDL_Scancode sc, int repeat)
{
    SDL_Event ev;
    memset(&ev, 0, sizeof(ev));
    ev.type = type;
    ev.key.type = type;
    ev.key.state = type == SDL_KEYDOWN ? SDL_PRESSED : SDL_RELEASED;
    ev.key.repeat = (Uint8)repeat;
    ev.key.keysym.sym = sym;
    ev.key.keysym.scancode = sc;
    CHECK_EQ_INT(SDL_PushEvent(&ev), 1);
}

/* Drain SDL's queue as pump_sdl() does; returns how many events the
 * buttons took and how many were left for others. */
static int pump(tw_buttons *b, int64_t mono, int *left)
{
    SDL_Event ev;
    int taken = 0;
    *left = 0;
    while (SDL_PollEvent(&ev)) {
        if (ev.type != SDL_KEYDOWN && ev.type != SDL_KEYUP && ev.type != SDL_MOUSEBUTTONDOWN)
            continue; /* the dummy driver's own window and focus events */
        if (tw_input_handle_event(b, &ev, mono))
            taken++;
        else
            (*left)++;
    }
    return taken;
}

/* The app's run_buttons(): tick in a transaction, apply, commit. */
static int tick(tw_store *s, tw_board *board, tw_buttons *b, int64_t mono, tw_command *last)
{
    int n = 0;
    if (tw_buttons_next_deadline(b, mono, NOW) == 0 ||
        tw_buttons_next_deadline(b, mono, NOW) > mono)
        return 0;
    CHECK_EQ_INT(tw_store_begin(s), 0);
    CHECK_EQ_INT(tw_buttons_tick(b, mono, NOW), 0);
    tw_command c;
    while (tw_buttons_next_command(b, &c)) {
        tw_board_result r;
        if (tw_board_apply(board, &c, NOW, &r) == 0 && r.changed)
            n++;
        *last = c;
    }
    CHECK_EQ_INT(tw_store_commit(s), 0);
    return n;
}

/* The stand-up's keys and taps (firmware/input.c): S, Space, Right, Left,
 * Escape; not with Ctrl, not repeats; Escape and the arrows only while one
 * runs; the halves of the screen. */
static void test_standup_keys(void)
{
    static const struct {
        SDL_Keycode sym;
        Uint16 mod;
        int repeat;
        bool running;
        int want;
    } keys[] = {
        {SDLK_s, 0, 0, false, TW_SU_START},
        {SDLK_s, 0, 0, true, TW_SU_START},
        {SDLK_SPACE, 0, 0, true, TW_SU_NEXT},
        {SDLK_RIGHT, 0, 0, true, TW_SU_NEXT},
        {SDLK_LEFT, 0, 0, true, TW_SU_BACK},
        {SDLK_ESCAPE, 0, 0, true, TW_SU_STOP},
        {SDLK_ESCAPE, 0, 0, false, -1},
        {SDLK_RIGHT, 0, 0, false, -1},
        {SDLK_SPACE, 0, 0, false, -1},
        {SDLK_s, KMOD_LCTRL, 0, false, -1},
        {SDLK_SPACE, 0, 1, true, -1},
        {SDLK_q, 0, 0, true, -1},
        {SDLK_c, 0, 0, true, TW_SU_CLAIM},
        {SDLK_r, 0, 0, true, TW_SU_RESOLVE},
        {SDLK_c, 0, 0, false, -1},
        {SDLK_r, 0, 0, false, -1},
    };
    for (size_t i = 0; i < TW_ARRAY_LEN(keys); i++) {
        SDL_Event ev;
        memset(&ev, 0, sizeof(ev));
        ev.type = SDL_KEYDOWN;
        ev.key.keysym.sym = keys[i].sym;
        ev.key.keysym.mod = keys[i].mod;
        ev.key.repeat = (Uint8)keys[i].repeat;
        int got = tw_input_standup_key(&ev, keys[i].running);
        if (got != keys[i].want)
            fprintf(stderr, "stand-up key %zu: %d, want %d\n", i, got, keys[i].want);
        CHECK_EQ_INT(got, keys[i].want);
    }
    SDL_Event up;
    memset(&up, 0, sizeof(up));
    up.type = SDL_KEYUP;
    up.key.keysym.sym = SDLK_SPACE;
    CHECK_EQ_INT(tw_input_standup_key(&up, true), -1);
    CHECK_EQ_INT(tw_input_standup_tap(1500, 1920), TW_SU_NEXT);
    CHECK_EQ_INT(tw_input_standup_tap(960, 1920), TW_SU_NEXT);
    CHECK_EQ_INT(tw_input_standup_tap(959, 1920), TW_SU_BACK);
    CHECK_EQ_INT(tw_input_standup_tap(0, 800), TW_SU_BACK);
}

int main(void)
{
    const char *tmp = getenv("TW_TEST_TMP");
    snprintf(dir, sizeof(dir), "%s", tmp ? tmp : "/tmp");
    setenv("SDL_VIDEODRIVER", "dummy", 1);
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        fprintf(stderr, "SDL_Init: %s\n", SDL_GetError());
        return 1;
    }

    test_standup_keys();
    tw_button_config *bc = load("input.conf", "[button \"fay\"]\n"
                                              "source = key\n"
                                              "device = F1\n"
                                              "who = Fay\n"
                                              "[button \"gpio\"]\n"
                                              "source = key\n"
                                              "device = KP_1\n"
                                              "who = Gus\n"
                                              "long = win\n"
                                              "[button \"scan\"]\n"
                                              "source = key\n"
                                              "device = KEY_F5\n"
                                              "who = Hal\n");
    CHECK_EQ_INT(tw_button_config_count(bc), 3);
    CHECK_EQ_INT(tw_input_check_keys(bc), 0);

    char path[600];
    snprintf(path, sizeof(path), "%s/input.db", dir);
    unlink(path);
    tw_store *store;
    tw_board *board;
    CHECK_EQ_INT(tw_store_open(path, NULL, &store), 0);
    CHECK_EQ_INT(tw_board_create(store, &board), 0);
    tw_warnings *w = tw_warnings_create();
    tw_buttons *b;
    tw_buttons_options o = {
        .config = bc, .root = "teamwall/acme", .store = store, .board = board, .warnings = w};
    CHECK_EQ_INT(tw_buttons_create(&o, NOW, &b), 0);

    int64_t mono = 1000;
    int left;
    tw_command last;
    /* F1 tapped: a single once no second tap came; the arrows and a tap on
     * the screen are not the buttons'. */
    push_key(SDL_KEYDOWN, SDLK_F1, SDL_SCANCODE_F1, 0);
    push_key(SDL_KEYDOWN, SDLK_LEFT, SDL_SCANCODE_LEFT, 0);
    push_key(SDL_KEYDOWN, SDLK_RETURN, SDL_SCANCODE_RETURN, 0);
    SDL_Event tap;
    memset(&tap, 0, sizeof(tap));
    tap.type = SDL_MOUSEBUTTONDOWN;
    SDL_PushEvent(&tap);
    CHECK_EQ_INT(pump(b, mono, &left), 1);
    CHECK_EQ_INT(left, 3);
    mono += 80;
    push_key(SDL_KEYUP, SDLK_F1, SDL_SCANCODE_F1, 0);
    CHECK_EQ_INT(pump(b, mono, &left), 1);
    CHECK_EQ_INT(tick(store, board, b, mono + 399, &last), 0);
    CHECK_EQ_INT(tick(store, board, b, mono + 400, &last), 1);
    CHECK_EQ_INT(last.type, TW_CMD_POST);
    CHECK_EQ_INT(last.kind, TW_KIND_BLOCKER);
    CHECK_EQ_STR(last.text, "Fay is blocked");
    CHECK_EQ_STR(last.author, "Fay");
    CHECK_EQ_STR(last.source, "button");
    size_t n;
    const tw_item *items = open_items(board, &n);
    CHECK_EQ_INT(n, 1);
    if (n)
        CHECK(strncmp(items[0].id, "btn:fay:t", 9) == 0);

    /* F1 tapped twice: a question. */
    mono += 2000;
    push_key(SDL_KEYDOWN, SDLK_F1, SDL_SCANCODE_F1, 0);
    pump(b, mono, &left);
    mono += 70;
    push_key(SDL_KEYUP, SDLK_F1, SDL_SCANCODE_F1, 0);
    pump(b, mono, &left);
    mono += 150;
    push_key(SDL_KEYDOWN, SDLK_F1, SDL_SCANCODE_F1, 0);
    pump(b, mono, &left);
    CHECK_EQ_INT(tick(store, board, b, mono, &last), 1);
    CHECK_EQ_INT(last.kind, TW_KIND_QUESTION);
    CHECK_EQ_STR(last.text, "Fay has a question");
    mono += 60;
    push_key(SDL_KEYUP, SDLK_F1, SDL_SCANCODE_F1, 0);
    pump(b, mono, &left);
    CHECK_EQ_INT(tick(store, board, b, mono + 1000, &last), 0);

    /* The keypad 1 (a GPIO key through gpio-key) held: its key repeats are
     * the button's too, and the hold is a long press (here: a win). */
    mono += 2000;
    push_key(SDL_KEYDOWN, SDLK_KP_1, SDL_SCANCODE_KP_1, 0);
    CHECK_EQ_INT(pump(b, mono, &left), 1);
    for (int i = 1; i <= 4; i++) {
        push_key(SDL_KEYDOWN, SDLK_KP_1, SDL_SCANCODE_KP_1, 1);
        CHECK_EQ_INT(pump(b, mono + i * 150, &left), 1);
        CHECK_EQ_INT(tick(store, board, b, mono + i * 150, &last), 0);
    }
    CHECK_EQ_INT(tick(store, board, b, mono + 800, &last), 1);
    CHECK_EQ_INT(last.kind, TW_KIND_WIN);
    CHECK_EQ_STR(last.text, "Win from Gus!");
    push_key(SDL_KEYUP, SDLK_KP_1, SDL_SCANCODE_KP_1, 0);
    CHECK_EQ_INT(pump(b, mono + 1200, &left), 1);
    CHECK_EQ_INT(tick(store, board, b, mono + 3000, &last), 0);

    /* A key whose layout gives it no key code is still found by where it is
     * (its scancode name): config "KEY_F5" is SDL's "F5". */
    mono += 5000;
    push_key(SDL_KEYDOWN, SDLK_UNKNOWN, SDL_SCANCODE_F5, 0);
    push_key(SDL_KEYUP, SDLK_UNKNOWN, SDL_SCANCODE_F5, 0);
    CHECK_EQ_INT(pump(b, mono, &left), 2);
    CHECK_EQ_INT(tick(store, board, b, mono + 400, &last), 1);
    CHECK_EQ_STR(last.author, "Hal");
    open_items(board, &n);
    CHECK_EQ_INT(n, 4);

    /* No buttons module: nothing is taken. */
    push_key(SDL_KEYDOWN, SDLK_F1, SDL_SCANCODE_F1, 0);
    CHECK_EQ_INT(pump(NULL, mono, &left), 0);
    CHECK_EQ_INT(left, 1);

    /* A name SDL does not know is reported at start-up. */
    tw_button_config *bad = load("input-bad.conf", "[button \"x\"]\nsource = key\n"
                                                   "device = NoSuchKey\n"
                                                   "[button \"y\"]\nsource = zigbee2mqtt\n"
                                                   "device = F9\n");
    CHECK_EQ_INT(tw_input_check_keys(bad), 1);
    tw_button_config_destroy(bad);

    tw_buttons_destroy(b);
    tw_warnings_destroy(w);
    tw_board_destroy(board);
    tw_store_close(store);
    tw_button_config_destroy(bc);
    SDL_Quit();
    unlink(path);
    return check_done();
}
