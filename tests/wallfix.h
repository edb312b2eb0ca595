/* SPDX-License-Identifier: MIT */
/*
 * The wall fixture: a real SQLite store filled through the real board
 * (tw_board_apply, so every item has its history rows), with fixed times
 * around a fixed "now": a team's open blockers, questions and wins, and four
 * weeks of resolved items behind them for the figures and the "recently
 * learned" line. Shared by the render tests (reference images) and
 * bench/render. Header only: static functions.
 */
#ifndef TW_TEST_WALLFIX_H
#define TW_TEST_WALLFIX_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "board.h"
#include "digest.h"
#include "store.h"
#include "util.h"

typedef struct wallfix {
    tw_store *store;
    tw_board *board;
    tw_digest *digest;
    int64_t now;
    int failures;
} wallfix;

static inline void wallfix_remove(const char *path)
{
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    char buf[4200];
    for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
        snprintf(buf, sizeof(buf), "%.4000s%s", path, suffixes[i]);
        unlink(buf);
    }
}

/* A fresh database at path; 0 or an error. */
static inline int wallfix_open(wallfix *f, const char *path, int64_t now)
{
    memset(f, 0, sizeof(*f));
    f->now = now;
    wallfix_remove(path);
    int rc = tw_store_open(path, NULL, &f->store);
    if (rc == 0)
        rc = tw_board_create(f->store, &f->board);
    if (rc == 0)
        tw_board_set_name(f->board, "wall");
    f->digest = tw_digest_create();
    return rc;
}

static inline void wallfix_close(wallfix *f)
{
    tw_digest_destroy(f->digest);
    tw_board_destroy(f->board);
    tw_store_close(f->store);
    memset(f, 0, sizeof(*f));
}

static inline void wallfix_apply(wallfix *f, tw_command *c, int64_t at)
{
    tw_board_result res;
    int rc = tw_board_apply(f->board, c, at, &res);
    if (rc) {
        fprintf(stderr, "wallfix: %s %s: %s\n", tw_cmd_name(c->type), c->id[0] ? c->id : c->ref,
                res.reason);
        f->failures++;
    }
}

/* Post id at time at (seconds before now: ago). */
static inline void wallfix_post(wallfix *f, tw_kind kind, const char *id, const char *text,
                                const char *author, const char *source, int64_t ago)
{
    tw_command c;
    memset(&c, 0, sizeof(c));
    c.type = TW_CMD_POST;
    c.kind = kind;
    tw_strlcpy(c.id, id, sizeof(c.id));
    tw_strlcpy(c.text, text, sizeof(c.text));
    tw_strlcpy(c.author, author, sizeof(c.author));
    tw_strlcpy(c.source, source, sizeof(c.source));
    wallfix_apply(f, &c, f->now - ago);
}

static inline void wallfix_act(wallfix *f, tw_cmd_type type, const char *id, const char *by,
                               const char *source, const char *note, int64_t ago)
{
    tw_command c;
    memset(&c, 0, sizeof(c));
    c.type = type;
    tw_strlcpy(c.ref, id, sizeof(c.ref));
    tw_strlcpy(c.author, by, sizeof(c.author));
    tw_strlcpy(c.source, source, sizeof(c.source));
    if (note)
        tw_strlcpy(c.note, note, sizeof(c.note));
    wallfix_apply(f, &c, f->now - ago);
}

#define M_ 60
#define H_ 3600
#define D_ 86400

typedef struct wallfix_card {
    tw_kind kind;
    const char *text, *author, *source;
    int64_t age;
    const char *helper; /* claimed by, or NULL */
} wallfix_card;

static const wallfix_card wallfix_cards[] = {
    {TW_KIND_BLOCKER, "Waiting on prod DB access for the billing migration", "Ana", "chat",
     6 * D_ + 2 * H_, "Ben"},
    {TW_KIND_BLOCKER, "Kubernetes upgrade blocked by the deprecated ingress annotations", "Omar",
     "cli", 3 * D_ + H_, NULL},
    {TW_KIND_BLOCKER, "CI is red on main since the dependency bump", "Ben", "button", 2 * D_, NULL},
    {TW_KIND_BLOCKER,
     "Payment sandbox returns 502 on every request since the vendor's upgrade; their status "
     "page says all is fine",
     "Dev", "chat", 5 * H_, "Farid"},
    {TW_KIND_BLOCKER, "Staging certificate expired, the demo at 11:00 needs it", "Chlo\xc3\xa9",
     "touch", 20 * H_, NULL},
    {TW_KIND_BLOCKER, "Load balancer health checks flapping in eu-west", "Gao", "mqtt", 3 * H_,
     NULL},
    {TW_KIND_BLOCKER, "Disk on the build cache host is 97% full", "Ivan", "button", 50 * M_, NULL},
    {TW_KIND_BLOCKER, "Design files for the onboarding flow are still not shared", "Hana", "chat",
     4 * D_, NULL},
    {TW_KIND_BLOCKER, "Need a second reviewer for the auth refactor", "Eve", "chat", 30 * H_, NULL},
    {TW_KIND_BLOCKER, "Feature flag service times out from the mobile API", "Jules", "button",
     2 * H_, NULL},
    {TW_KIND_BLOCKER, "Cannot reproduce the customer's crash without their data export", "Kai",
     "chat", 26 * H_, NULL},
    {TW_KIND_BLOCKER, "VPN drops every 20 minutes for the whole Lisbon office", "Lena", "button",
     7 * H_, NULL},
    {TW_KIND_BLOCKER, "Waiting for legal to approve the new privacy text", "Marek", "chat", 9 * D_,
     NULL},
    {TW_KIND_BLOCKER, "Release branch frozen until the security scan finishes", "Nia", "cli",
     40 * M_, NULL},
    {TW_KIND_QUESTION, "Who knows the VPN setup for contractors?", "Dev", "chat", 2 * H_, NULL},
    {TW_KIND_QUESTION, "Is the design review moved to Thursday?", "Eve", "button", 5 * M_, NULL},
    {TW_KIND_QUESTION, "Which Postgres version do we target for the reporting service?", "Sam",
     "chat", D_, NULL},
    {TW_KIND_QUESTION, "Has anyone got the office printer working from Linux?", "Marek", "chat",
     3 * D_, NULL},
    {TW_KIND_QUESTION, "Where do the release notes live now?", "Tom", "touch", 30 * M_, "Priya"},
    {TW_KIND_QUESTION, "Do we still need the legacy export job?", "Kim", "cli", 4 * H_, NULL},
    {TW_KIND_QUESTION, "What is the on-call rotation over the holidays?", "Ana", "chat", 6 * H_,
     NULL},
    {TW_KIND_QUESTION, "Can someone walk me through the new cost dashboard?", "Ben", "button", H_,
     NULL},
    {TW_KIND_QUESTION, "Is there a staging account for the payments vendor?", "Chlo\xc3\xa9",
     "chat", 20 * M_, NULL},
    {TW_KIND_QUESTION, "Should new services use gRPC or REST?", "Farid", "chat", 2 * D_, NULL},
    {TW_KIND_QUESTION, "How do I get access to the analytics warehouse?", "Gao", "button", 50 * M_,
     NULL},
    {TW_KIND_QUESTION, "Who owns mobile crash reporting now?", "Hana", "chat", 3 * H_, NULL},
    {TW_KIND_QUESTION, "May we send customer data to the new LLM API?", "Ivan", "chat", 5 * H_,
     NULL},
    {TW_KIND_QUESTION, "When is the next security training?", "Jules", "mqtt", 8 * H_, NULL},
    {TW_KIND_WIN, "Cut build time from 14 to 6 minutes", "Li", "chat", 20 * M_, NULL},
    {TW_KIND_WIN, "Caf\xc3\xa9 d\xc3\xa9j\xc3\xa0 vu: the flaky checkout test is finally fixed",
     "Gao", "chat", H_, NULL},
    {TW_KIND_WIN, "Shipped search to all customers \xf0\x9f\x9a\x80", "Priya", "button", 3 * H_,
     NULL},
    {TW_KIND_WIN, "New hire laptop setup now takes an hour", "Eve", "chat", 4 * H_, NULL},
    {TW_KIND_WIN, "Support backlog below 20 tickets for the first time", "Nia", "chat", 5 * H_,
     NULL},
    {TW_KIND_WIN, "Dark mode is live in the mobile app", "Lena", "button", 6 * H_, NULL},
    {TW_KIND_WIN, "Customer NPS up 12 points", "Sam", "chat", 8 * H_, NULL},
    {TW_KIND_WIN, "First deploy of the new pipeline \xf0\x9f\x8e\x89", "Farid", "button", 17 * H_,
     NULL},
    {TW_KIND_WIN, "Onboarded two new teammates", "Kim", "chat", D_, NULL},
    {TW_KIND_WIN, "Zero-downtime database failover tested", "Omar", "cli", 2 * D_, NULL},
    {TW_KIND_WIN, "Accessibility audit passed", "Kai", "chat", 2 * D_ + 5 * H_, NULL},
    {TW_KIND_WIN, "Cost of the staging cluster down 30%", "Marek", "chat", 3 * D_, NULL},
};

/* Questions answered in the past, with what was learned. */
static const struct {
    const char *q, *a, *by;
} wallfix_learned[] = {
    {"How do I rotate my SSH key?", "Run make keys in the infra repo; it updates the bastion too",
     "Ben"},
    {"Where is the staging database password?",
     "In the team vault under staging/db; ask Omar for access", "Omar"},
    {"Why is the nightly export late?",
     "It waits for the warehouse snapshot, which moved to 02:00 UTC", "Kim"},
    {"Which VPN profile do contractors use?", "contractor-eu; IT sends it with the laptop", "Ana"},
    {"How do I run the mobile app against staging?",
     "Set API_BASE in .env.staging and use the debug build", "Lena"},
};

/* Time to clear (or answer) in minutes, cycled through by the history. */
static const int wallfix_minutes[] = {130, 310, 45, 1560, 95, 480, 200, 1700, 60, 260, 3000, 150};

/* The standard team: the first n_open of wallfix_cards open (40 at most),
 * then four weeks of resolved blockers and answered questions behind them. */
static inline void wallfix_team(wallfix *f, size_t n_open)
{
    char id[32], text[128];
    size_t total = sizeof(wallfix_cards) / sizeof(wallfix_cards[0]);
    /* History first, so the open items are the newest rows as they would be. */
    for (int i = 0; i < 34; i++) {
        int64_t ago = (int64_t)(27 - (i * 27) / 34) * D_ + (i % 5) * H_ + 2 * H_;
        int64_t took = (int64_t)wallfix_minutes[i % 12] * M_ * (i < 16 ? 2 : 1);
        snprintf(id, sizeof(id), "old-b%02d", i);
        snprintf(text, sizeof(text), "Old blocker %d", i);
        wallfix_post(f, TW_KIND_BLOCKER, id, text, "Ana", "chat", ago);
        if (ago - took > 0)
            wallfix_act(f, TW_CMD_RESOLVE, id, "Ben", "chat", NULL, ago - took);
    }
    for (int i = 0; i < 26; i++) {
        int64_t ago = (int64_t)(13 - (i * 13) / 26) * D_ + (i % 7) * H_ + 3 * H_;
        int64_t took = (int64_t)wallfix_minutes[(i * 5) % 12] * M_;
        snprintf(id, sizeof(id), "old-q%02d", i);
        size_t nl = sizeof(wallfix_learned) / sizeof(wallfix_learned[0]);
        bool teach = i >= 26 - (int)nl;
        const char *q = teach ? wallfix_learned[i - (26 - (int)nl)].q : "An old question";
        wallfix_post(f, TW_KIND_QUESTION, id, q, "Eve", "chat", ago);
        if (ago - took > 0)
            wallfix_act(f, TW_CMD_RESOLVE, id,
                        teach ? wallfix_learned[i - (26 - (int)nl)].by : "Sam", "chat",
                        teach ? wallfix_learned[i - (26 - (int)nl)].a : NULL, ago - took);
    }
    for (int i = 0; i < 3; i++) { /* acknowledged wins earlier this week */
        snprintf(id, sizeof(id), "old-w%d", i);
        wallfix_post(f, TW_KIND_WIN, id, "A win from Monday", "Nia", "chat", 50 * H_ + i * H_);
        wallfix_act(f, TW_CMD_RESOLVE, id, "Nia", "chat", NULL, 40 * H_);
    }
    if (n_open > total)
        n_open = total;
    /* Open cards, oldest first (as they arrived). */
    bool done[sizeof(wallfix_cards) / sizeof(wallfix_cards[0])] = {false};
    for (size_t k = 0; k < n_open; k++) {
        size_t pick = total;
        for (size_t i = 0; i < n_open; i++)
            if (!done[i] && (pick == total || wallfix_cards[i].age > wallfix_cards[pick].age))
                pick = i;
        done[pick] = true;
        const wallfix_card *c = &wallfix_cards[pick];
        snprintf(id, sizeof(id), "card-%02zu", pick);
        wallfix_post(f, c->kind, id, c->text, c->author, c->source, c->age);
        if (c->helper)
            wallfix_act(f, TW_CMD_CLAIM, id, c->helper, "chat", NULL, c->age / 2);
    }
    tw_digest_reload(f->digest, f->store, f->now);
}

/* n extra open cards (for the benches: 60, 200), spread over the kinds. */
static inline void wallfix_many(wallfix *f, size_t n)
{
    char id[32], text[200];
    size_t total = sizeof(wallfix_cards) / sizeof(wallfix_cards[0]);
    for (size_t i = 0; i < n; i++) {
        const wallfix_card *c = &wallfix_cards[i % total];
        snprintf(id, sizeof(id), "many-%04zu", i);
        snprintf(text, sizeof(text), "%s (%zu)", c->text, i);
        wallfix_post(f, c->kind, id, text, c->author, c->source, (int64_t)(n - i) * 7 * M_);
    }
    tw_digest_reload(f->digest, f->store, f->now);
}

#endif
