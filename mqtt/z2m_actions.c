/* SPDX-License-Identifier: MIT */
/*
 * zigbee2mqtt action words as tokens. A word splits at '_' (and '-'); each
 * token is a gesture ("single", "double", "hold", "press"...), a part of the
 * key's name ("2", "left", "on", "l1", "top"), noise ("button", "arrow"), or
 * a sign that the word is deliberately not a press: a release or stop, an
 * initial press that a release word completes, a light control that repeats
 * while held (colour, hue, level), a dial turning, a status report. A token
 * in none of the tables makes the word unknown, which the board logs once.
 *
 * The tables were made against every push button and remote in
 * zigbee-herdsman-converters (tests/data/z2m-actions.tsv, replayed by
 * tests/test_z2m_actions.c): a word new to them is a test failure there,
 * not a guess here.
 */
#define _POSIX_C_SOURCE 200809L
#include "z2m_actions.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../firmware/util.h"

#define MAX_TOKENS 12
#define TOKEN_SIZE 24
#define WORD_SIZE  96

/* What a token is. */
enum tok_class {
    T_KEY = 0, /* part of the key's name */
    T_NOISE,   /* dropped: "button", "arrow" */
    T_SINGLE,  /* gestures */
    T_PRESS,   /* "press": a press, or the start of one */
    T_DOUBLE,  /* double and every multi-press */
    T_LONG,
    T_RECALL,    /* a scene recall: a press, unless the device also names the key */
    T_RELEASE,   /* release, stop: never a press */
    T_INITIAL,   /* "initial" press: what follows says which press */
    T_LIGHT,     /* colour, level, saturation: light controls, repeated while held */
    T_ROTATION,  /* dials and knobs turning */
    T_GROUP,     /* add / remove a group or scene */
    T_STATUS,    /* not something a person pressed */
    T_BRIGHTNESS /* brightness_move_up / _step_up / _up_click: a key "up" or "down" */
};

static const struct token {
    const char *name;
    enum tok_class cls;
} tokens[] = {
    /* gestures */
    {"single", T_SINGLE},
    {"click", T_SINGLE},
    {"pressed", T_SINGLE},
    {"short", T_SINGLE},
    {"once", T_SINGLE},
    {"tap", T_SINGLE},
    {"knock", T_SINGLE},
    {"press", T_PRESS},
    {"double", T_DOUBLE},
    {"twice", T_DOUBLE},
    {"triple", T_DOUBLE},
    {"tripple", T_DOUBLE},
    {"quadruple", T_DOUBLE},
    {"quintuple", T_DOUBLE},
    {"many", T_DOUBLE},
    {"shake", T_DOUBLE},
    {"strike", T_SINGLE}, /* triple_strike: a knock sensor's pattern */
    {"hold", T_LONG},
    {"held", T_LONG},
    {"long", T_LONG},
    {"longpress", T_LONG},
    {"store", T_LONG}, /* scene remotes store a scene on a long press */
    {"recall", T_RECALL},
    {"recal", T_RECALL}, /* sic, in one definition */
    /* never a press */
    {"release", T_RELEASE},
    {"released", T_RELEASE},
    {"stop", T_RELEASE},
    {"stopped", T_RELEASE},
    {"initial", T_INITIAL},
    {"color", T_LIGHT},
    {"colour", T_LIGHT},
    {"saturation", T_LIGHT},
    {"colortemp", T_LIGHT},
    {"temperature", T_LIGHT},
    {"loop", T_LIGHT},
    {"level", T_LIGHT},
    {"cw", T_LIGHT},
    {"ww", T_LIGHT},
    {"rgb", T_LIGHT},
    {"inc", T_LIGHT},
    {"enhanced", T_LIGHT},
    {"dec", T_LIGHT},
    {"rotate", T_ROTATION},
    {"rotating", T_ROTATION},
    {"rotation", T_ROTATION},
    {"clockwise", T_ROTATION},
    {"anti", T_ROTATION},
    {"dial", T_ROTATION},
    {"flip90", T_ROTATION}, /* a cube turned over: not a press */
    {"flip180", T_ROTATION},
    {"flip", T_ROTATION},
    {"slide", T_ROTATION},
    {"throw", T_ROTATION},
    {"add", T_GROUP},
    {"remove", T_GROUP},
    {"wakeup", T_STATUS},
    {"wake", T_STATUS},
    {"sleep", T_STATUS},
    {"inactivity", T_STATUS},
    {"movement", T_STATUS},
    {"moving", T_STATUS},
    {"fall", T_STATUS},
    {"daytime", T_STATUS},
    {"arrival", T_STATUS},
    {"departure", T_STATUS},
    {"enter", T_STATUS},
    {"leave", T_STATUS},
    {"identify", T_STATUS},
    {"refresh", T_STATUS},
    {"none", T_STATUS},
    {"unknown", T_STATUS},
    {"started", T_STATUS},
    {"continued", T_STATUS},
    /* key names */
    {"brightness", T_BRIGHTNESS},
    {"brightenss", T_BRIGHTNESS}, /* sic */
    {"button", T_NOISE},
    {"btn", T_NOISE},
    {"arrow", T_NOISE},
    {"move", T_LONG},
    {"step", T_SINGLE},
};

/* Key names: every token of these (and numbers, l1, s2, e1, in3, key4, bell1). */
static const char *const key_words[] = {
    "on",        "off",    "toggle", "up",     "down",   "left",     "right",   "center",
    "centre",    "top",    "bottom", "middle", "both",   "all",      "and",     "or",
    "of",        "back",   "play",   "voice",  "high",   "low",      "plus",    "minus",
    "power",     "scene",  "select", "dot",    "dots",   "hue",      "energy",  "bar",
    "cinema",    "home",   "away",   "at",     "go",     "out",      "repast",  "panic",
    "emergency", "sos",    "red",    "green",  "blue",   "yellow",   "hexagon", "square",
    "triangle",  "circle", "volume", "track",  "next",   "previous", "open",    "close",
    "curtain",   "cover",  "switch", "light",  "screen", "boost",    "set",     "cancel",
    "position",  "start",  "side",   "bell",   "*",
};

static enum tok_class classify(const char *t)
{
    for (size_t i = 0; i < TW_ARRAY_LEN(tokens); i++)
        if (strcmp(tokens[i].name, t) == 0)
            return tokens[i].cls;
    return (enum tok_class) - 1;
}

/* Numbers and lettered numbers: "3", "l1", "s4", "e2", "b1", "in3", "key4", "bell1". */
static bool numbered(const char *t)
{
    size_t n = strspn(t, "abcdefghijklmnopqrstuvwxyz");
    if (n > 4 || !t[n])
        return false;
    for (const char *p = t + n; *p; p++)
        if (!isdigit((unsigned char)*p))
            return false;
    return true;
}

static bool key_word(const char *t)
{
    if (numbered(t))
        return true;
    for (size_t i = 0; i < TW_ARRAY_LEN(key_words); i++)
        if (strcmp(key_words[i], t) == 0)
            return true;
    return false;
}

/* Is word one of vocab's space-separated words? */
static bool in_vocab(const char *vocab, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = vocab; p && *p;) {
        while (*p == ' ')
            p++;
        size_t m = strcspn(p, " ");
        if (m == n && strncasecmp(p, word, n) == 0)
            return true;
        p += m;
    }
    return false;
}

/* The word of tokens with tokens [at, at+drop) replaced by with. */
static void rebuild(char tok[][TOKEN_SIZE], int n, int at, int drop, const char *with, char *out,
                    size_t size)
{
    size_t o = 0;
    out[0] = '\0';
    for (int i = 0; i < n; i++) {
        const char *t = i == at ? with : tok[i];
        if (i > at && i < at + drop)
            continue;
        if (!*t)
            continue;
        int k = snprintf(out + o, size - o, "%s%s", o ? "_" : "", t);
        if (k < 0 || (size_t)k >= size - o)
            return;
        o += (size_t)k;
    }
}

enum edge_mode { EM_NONE = 0, EM_DOWN, EM_UP, EM_HELD, EM_ECHO };

/*
 * Does the vocabulary make this word an edge? A press word whose release the
 * device also says (X_press with X_press_release, press_N with release_N),
 * that release, a hold_release after such a press, the hold report in
 * between, and (the Hue smart button) the on/off it also sends.
 */
static enum edge_mode edge_mode(char tok[][TOKEN_SIZE], int n, const char *vocab)
{
    char a[WORD_SIZE + 16], b[WORD_SIZE + 16];
    if (!vocab)
        return EM_NONE;
    for (int i = 0; i < n; i++) {
        bool next_release = i + 1 < n && strcmp(tok[i + 1], "release") == 0;
        /* long_press / long_release, double_press: a whole press and its end */
        enum tok_class before = i > 0 ? classify(tok[i - 1]) : T_KEY;
        if (before == T_LONG || before == T_DOUBLE || before == T_SINGLE || before == T_INITIAL)
            return EM_NONE;
        if (strcmp(tok[i], "press") == 0 && !next_release) {
            rebuild(tok, n, i, 1, "press_release", a, sizeof(a));
            rebuild(tok, n, i, 1, "release", b, sizeof(b));
            return in_vocab(vocab, a) || in_vocab(vocab, b) ? EM_DOWN : EM_NONE;
        }
        if (strcmp(tok[i], "press") == 0 && next_release) {
            rebuild(tok, n, i, 2, "press", a, sizeof(a));
            return in_vocab(vocab, a) ? EM_UP : EM_NONE;
        }
        if (strcmp(tok[i], "hold") == 0) {
            rebuild(tok, n, i, next_release ? 2 : 1, "press", a, sizeof(a));
            if (!in_vocab(vocab, a))
                return EM_NONE;
            rebuild(tok, n, i, next_release ? 2 : 1, "press_release", b, sizeof(b));
            bool pairs = in_vocab(vocab, b);
            rebuild(tok, n, i, next_release ? 2 : 1, "release", b, sizeof(b));
            pairs = pairs || in_vocab(vocab, b);
            return !pairs ? EM_NONE : next_release ? EM_UP : EM_HELD;
        }
        if (strcmp(tok[i], "release") == 0) {
            rebuild(tok, n, i, 1, "press", a, sizeof(a));
            return in_vocab(vocab, a) ? EM_UP : EM_NONE;
        }
    }
    /* The Hue smart button's on/off come with its press and release. */
    if (n == 1 && (strcmp(tok[0], "on") == 0 || strcmp(tok[0], "off") == 0) &&
        in_vocab(vocab, "press") && in_vocab(vocab, "release"))
        return EM_ECHO;
    return EM_NONE;
}

static void verdict(tw_z2m_action *out, tw_z2m_verdict v, const char *why)
{
    out->verdict = v;
    out->press = TW_PRESS_NONE;
    out->key[0] = '\0';
    out->why = why;
}

void tw_z2m_action_parse(const char *word, const char *vocab, tw_z2m_action *out)
{
    memset(out, 0, sizeof(*out));
    char w[WORD_SIZE];
    size_t len = word ? strlen(word) : 0;
    if (!len) {
        verdict(out, TW_Z2M_IGNORE, "empty action (a reset)");
        return;
    }
    if (len >= sizeof(w)) {
        verdict(out, TW_Z2M_UNKNOWN, "too long");
        return;
    }
    for (size_t i = 0; i <= len; i++)
        w[i] = (char)tolower((unsigned char)word[i]);
    if (strcmp(w, "r_g_b") == 0 || strcmp(w, "b_g_r") == 0) {
        verdict(out, TW_Z2M_IGNORE, "light control");
        return;
    }
    char tok[MAX_TOKENS][TOKEN_SIZE];
    int n = 0;
    for (char *p = w; *p;) {
        size_t m = strcspn(p, "_- ");
        if (m) {
            if (n == MAX_TOKENS || m >= TOKEN_SIZE) {
                verdict(out, TW_Z2M_UNKNOWN, "too many parts");
                return;
            }
            memcpy(tok[n], p, m);
            tok[n++][m] = '\0';
        }
        p += m;
        if (*p)
            p++;
    }
    if (n == 0) {
        verdict(out, TW_Z2M_UNKNOWN, "no word");
        return;
    }
    enum edge_mode em = edge_mode(tok, n, vocab);
    if (em == EM_HELD) {
        verdict(out, TW_Z2M_IGNORE, "held (the board times the hold from the edges)");
        return;
    }
    if (em == EM_ECHO) {
        verdict(out, TW_Z2M_IGNORE, "echo of a press its press and release words tell");
        return;
    }
    bool single = false, dbl = false, lng = false, press = false, recall = false;
    bool brightness = false, bright_move = false, has_to = false, has_hue = false,
         hue_light = false;
    const char *ignore = NULL;
    bool used[MAX_TOKENS] = {false}, unknown = false;
    for (int i = 0; i < n; i++) {
        const char *t = tok[i];
        /* "5_click": a count of presses, not key 5 */
        if (numbered(t) && isdigit((unsigned char)t[0]) && i + 1 < n &&
            strcmp(tok[i + 1], "click") == 0 && t[0] >= '2' && !t[1] &&
            (i == 0 || classify(tok[i - 1]) != T_NOISE)) {
            dbl = true;
            used[i] = used[i + 1] = true;
            i++;
            continue;
        }
        enum tok_class c = classify(t);
        if (strcmp(t, "to") == 0) {
            has_to = true; /* move_to_hue, brightness_move_to_level; flip_to_side */
            used[i] = true;
            continue;
        }
        if (strcmp(t, "hue") == 0)
            has_hue = true;
        switch ((int)c) {
        case T_SINGLE: single = true; break;
        case T_PRESS: press = true; break;
        case T_DOUBLE: dbl = true; break;
        case T_LONG:
            lng = true;
            if (strcmp(t, "move") == 0)
                bright_move = true;
            break;
        case T_RECALL: recall = true; break;
        case T_RELEASE:
            /* press_release, short_release: the end of a short press */
            if (i > 0 && (strcmp(tok[i - 1], "press") == 0 || strcmp(tok[i - 1], "short") == 0)) {
                single = true;
                press = false;
                if (strcmp(tok[i - 1], "press") == 0)
                    used[i - 1] = true;
            } else if (!ignore) {
                ignore = "release or stop";
            }
            break;
        case T_INITIAL: ignore = ignore ? ignore : "initial press (what follows says which)"; break;
        case T_LIGHT: ignore = ignore ? ignore : "light control"; break;
        case T_ROTATION: ignore = ignore ? ignore : "rotation"; break;
        case T_GROUP: ignore = ignore ? ignore : "group or scene management"; break;
        case T_STATUS: ignore = ignore ? ignore : "status, not a press"; break;
        case T_BRIGHTNESS: brightness = true; break;
        case T_NOISE: break;
        case T_KEY: break;
        default:
            if (!key_word(t))
                unknown = true; /* unless the word is ignored anyway */
            continue;           /* a key part: not used up */
        }
        used[i] = true;
    }
    /* hue_move, hue_step_up, hue_stop: the colour; "hue_press" is a key */
    for (int i = 0; has_hue && i < n; i++)
        if (strcmp(tok[i], "move") == 0 || strcmp(tok[i], "step") == 0 ||
            strcmp(tok[i], "stop") == 0)
            hue_light = true;
    if (hue_light || (has_to && bright_move))
        ignore = "light control"; /* move_to_hue, brightness_move_to_level */
    /* A dial's turns come as brightness steps too (Hue tap dial). */
    if (!ignore && brightness && !bright_move && vocab && strstr(vocab, "rotate"))
        ignore = "rotation";
    if (em != EM_NONE && ignore && strncmp(ignore, "release", 7) == 0)
        ignore = NULL; /* a release that is an edge */
    if (ignore) {
        verdict(out, TW_Z2M_IGNORE, ignore);
        return;
    }
    if (unknown) {
        verdict(out, TW_Z2M_UNKNOWN, "unknown word");
        return;
    }
    if (bright_move && !brightness) {
        verdict(out, TW_Z2M_IGNORE, "light control"); /* "move" of something else */
        return;
    }
    /* The key: what is left, in order. */
    char key[TW_ADAPTER_INPUT_SIZE] = "";
    size_t kl = 0;
    int dir = 0; /* brightness words: +1 up, -1 down */
    for (int i = 0; i < n; i++) {
        if (used[i])
            continue;
        const char *t = strcmp(tok[i], "centre") == 0 ? "center" : tok[i];
        if (brightness && strcmp(t, "up") == 0)
            dir = 1;
        if (brightness && strcmp(t, "down") == 0)
            dir = -1;
        size_t tl = strlen(t);
        if (kl + tl + (kl ? 1 : 0) >= sizeof(key)) {
            verdict(out, TW_Z2M_UNKNOWN, "key name too long");
            return;
        }
        if (kl)
            key[kl++] = '_';
        memcpy(key + kl, t, tl + 1);
        kl += tl;
    }
    if (brightness && !dir) {
        verdict(out, TW_Z2M_IGNORE, "light control"); /* "brightness" alone */
        return;
    }
    if (em == EM_DOWN || em == EM_UP) {
        out->verdict = TW_Z2M_EDGE;
        out->edge = em == EM_DOWN ? TW_EDGE_DOWN : TW_EDGE_UP;
        tw_strlcpy(out->key, key, sizeof(out->key));
        return;
    }
    if (press && !single && !dbl && !lng) {
        /* A bare "press": the start of a press when the device also has
         * "<word>_release" (Hue: on_press, then on_press_release or on_hold);
         * else the press itself (press_1, press). Without the vocabulary,
         * "<key>_press" is Hue's pattern. */
        char rel[WORD_SIZE + 16];
        snprintf(rel, sizeof(rel), "%s_release", word);
        bool starts = vocab ? in_vocab(vocab, rel) : len > 6 && strcmp(w + len - 6, "_press") == 0;
        if (starts) {
            verdict(out, TW_Z2M_IGNORE, "initial press (what follows says which)");
            return;
        }
        single = true;
    }
    if (recall && !single && !dbl && !lng) {
        /* Hue's dimmer recalls scenes with its on key, which says
         * on_press_release itself: the recall is not another press. */
        if (vocab && strstr(vocab, "_press_release")) {
            verdict(out, TW_Z2M_IGNORE, "scene recall (the key's own word follows)");
            return;
        }
        single = true;
    }
    if (brightness && bright_move && dir) {
        /* IKEA's two-key remotes (E1743, RODRET, STYRBAR's top and bottom
         * keys): "on" when pressed, brightness_move_up when held; the same
         * key. Remotes with separate dimming keys also say brightness_step_up. */
        char suffix[TW_ADAPTER_INPUT_SIZE] = "", on_word[WORD_SIZE], step_word[WORD_SIZE];
        const char *rest = key + (dir > 0 ? 2 : 4); /* after "up" / "down" */
        if (strncmp(key, dir > 0 ? "up" : "down", dir > 0 ? 2 : 4) == 0)
            tw_strlcpy(suffix, rest, sizeof(suffix));
        snprintf(on_word, sizeof(on_word), "%s%s", dir > 0 ? "on" : "off", suffix);
        snprintf(step_word, sizeof(step_word), "brightness_step_%s%s", dir > 0 ? "up" : "down",
                 suffix);
        bool fold = strncmp(key, dir > 0 ? "up" : "down", dir > 0 ? 2 : 4) == 0 &&
                    (!vocab || (in_vocab(vocab, on_word) && !in_vocab(vocab, step_word)));
        if (fold)
            tw_strlcpy(key, on_word, sizeof(key));
    }
    out->verdict = TW_Z2M_PRESS;
    out->press = lng ? TW_PRESS_LONG : dbl ? TW_PRESS_DOUBLE : TW_PRESS_SINGLE;
    tw_strlcpy(out->key, key, sizeof(out->key));
    out->why = NULL;
}
