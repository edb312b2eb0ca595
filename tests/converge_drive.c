/* SPDX-License-Identifier: MIT */
/*
 * The producers of tests/it_converge.sh (TARGETS.md S1): a seeded set of
 * mixed commands for one team (posts with and without ids, claims, resolves
 * and reopens, resolve/reopen pairs published in the wrong order from
 * different clients, some messages sent twice), published at QoS 1 by
 * several MQTT clients, each its own connection, so the broker is free to
 * interleave them. `--part i/n` publishes the i-th slice of the same set
 * (the test kills a board between slices). `--expect FILE` writes what every
 * board must end with, folded here with the same rule (firmware/order.c):
 * "id|state|claimed_by|resolved_by|note" per item, sorted by id, and the
 * counts on stdout ("items N ops M").
 */
#define _POSIX_C_SOURCE 200809L
#include <mosquitto.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "codec.h"
#include "order.h"
#include "util.h"

#define MAX_PUBLISHERS 8

struct cmd {
    tw_command c;
    char item[TW_ID_SIZE]; /* the item it is about (a post's own id) */
    int publisher;
};

static atomic_long acked;

static void on_publish(struct mosquitto *m, void *ctx, int mid)
{
    (void)m, (void)ctx, (void)mid;
    atomic_fetch_add(&acked, 1);
}

static unsigned long long rng_state;
static unsigned rnd(unsigned n)
{
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)((rng_state >> 33) % n);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    int port = 1883, count = 1000, publishers = 4, part = 1, parts = 1;
    unsigned long long seed = 14;
    const char *team = "acme", *expect = NULL;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--port"))
            port = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--count"))
            count = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--publishers"))
            publishers = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--seed"))
            seed = strtoull(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "--team"))
            team = argv[i + 1];
        else if (!strcmp(argv[i], "--expect"))
            expect = argv[i + 1];
        else if (!strcmp(argv[i], "--part") && sscanf(argv[i + 1], "%d/%d", &part, &parts) == 2)
            ;
        else {
            fprintf(stderr, "unknown argument %s\n", argv[i]);
            return 2;
        }
    }
    if (publishers < 1 || publishers > MAX_PUBLISHERS || count < 10 || part < 1 || part > parts)
        return 2;
    rng_state = seed;

    /* The commands, in the order they are published. */
    size_t cap = (size_t)count + (size_t)count / 4 + 8, n = 0;
    struct cmd *cmds = tw_xcalloc(cap, sizeof(*cmds));
    size_t n_posts = 0;
    char(*items)[TW_ID_SIZE] = tw_xcalloc((size_t)count, sizeof(*items));
    tw_kind *kinds = tw_xcalloc((size_t)count, sizeof(*kinds));
    static const char *const who[] = {"Ana", "Ben", "Cleo", "Dan", "Eve"};
    const int64_t base = 1764000000;
    size_t posts_wanted = (size_t)count * 2 / 5;
    while (n < (size_t)count) {
        struct cmd *x = &cmds[n];
        memset(x, 0, sizeof(*x));
        x->publisher = (int)rnd((unsigned)publishers);
        bool want_post = n_posts < posts_wanted && (n_posts < 5 || rnd(5) < 2);
        if (want_post) {
            tw_command *c = &x->c;
            c->type = TW_CMD_POST;
            c->kind = (tw_kind)rnd(3);
            snprintf(c->text, sizeof(c->text), "item %zu of seed %llu", n_posts, seed);
            tw_strlcpy(c->author, who[rnd(5)], sizeof(c->author));
            tw_strlcpy(c->source, "mqtt", sizeof(c->source)); /* as the board defaults it */
            c->ts = base + (int64_t)n_posts;
            if (n_posts % 2 == 0) {
                /* Without an id: the board derives it from the message;
                 * the producer can too. */
                tw_order_post_id(c, x->item);
            } else {
                snprintf(c->id, sizeof(c->id), "drive-%llu-%zu", seed, n_posts);
                tw_strlcpy(x->item, c->id, sizeof(x->item));
            }
            tw_strlcpy(items[n_posts], x->item, TW_ID_SIZE);
            kinds[n_posts] = c->kind;
            n_posts++;
            n++;
            continue;
        }
        /* A change of a recent item, timed in a narrow window so ties and
         * crossings are common. */
        size_t i = n_posts - 1 - rnd((unsigned)(n_posts < 50 ? n_posts : 50));
        tw_command *c = &x->c;
        c->type = (tw_cmd_type)(TW_CMD_CLAIM + rnd(3));
        tw_strlcpy(c->ref, items[i], sizeof(c->ref));
        tw_strlcpy(x->item, items[i], sizeof(x->item));
        tw_strlcpy(c->author, who[rnd(5)], sizeof(c->author));
        tw_strlcpy(c->source, "mqtt", sizeof(c->source));
        c->ts = base + (int64_t)i + 100 + rnd(30);
        if (c->type == TW_CMD_RESOLVE && rnd(2))
            snprintf(c->note, sizeof(c->note), "note %u", rnd(1000));
        n++;
        if (rnd(5) == 0 && n < (size_t)count) {
            /* A resolve and a reopen crossing: the later one is published
             * first, by another client, on its own topic. */
            struct cmd *first = &cmds[n - 1], *second = &cmds[n];
            *second = *first;
            first->c.type = TW_CMD_REOPEN;
            first->c.note[0] = '\0';
            first->c.ts += 1;
            second->c.type = TW_CMD_RESOLVE;
            second->publisher = (first->publisher + 1) % publishers;
            n++;
        }
    }
    /* Redeliveries: one message in twenty again, a little later. */
    size_t unique = n;
    for (size_t i = 0; i < unique && n < cap; i++) {
        if (rnd(20) == 0) {
            size_t at = i + 1 + rnd(200);
            if (at > n)
                at = n;
            memmove(&cmds[at + 1], &cmds[at], (n - at) * sizeof(*cmds));
            cmds[at] = cmds[i < at ? i : i + 1];
            cmds[at].publisher = (int)rnd((unsigned)publishers);
            n++;
            if (at <= i)
                i++;
        }
    }

    if (expect) {
        /* What every board must end with: the fold of each item's distinct
         * changes (by command id), with the rule the boards use. */
        tw_op *ops = tw_xcalloc(n, sizeof(*ops));
        char **lines = tw_xcalloc(n_posts, sizeof(*lines));
        size_t total_ops = 0;
        for (size_t p = 0; p < n_posts; p++) {
            size_t k = 0;
            for (size_t j = 0; j < n; j++) {
                const tw_command *c = &cmds[j].c;
                if (c->type == TW_CMD_POST || strcmp(cmds[j].item, items[p]) != 0)
                    continue;
                tw_op o;
                memset(&o, 0, sizeof(o));
                o.type = c->type;
                o.ts = c->ts;
                tw_order_cmd_id(c, items[p], c->ts, o.id);
                tw_strlcpy(o.by, c->author, sizeof(o.by));
                tw_strlcpy(o.note, c->note, sizeof(o.note));
                bool dup = false;
                for (size_t q = 0; q < k && !dup; q++)
                    dup = strcmp(ops[q].id, o.id) == 0;
                if (!dup)
                    ops[k++] = o;
            }
            total_ops += k;
            tw_item it;
            memset(&it, 0, sizeof(it));
            it.kind = kinds[p];
            char note[TW_NOTE_SIZE] = "";
            tw_order_fold(&it, note, ops, k);
            char line[TW_ID_SIZE + 3 * TW_AUTHOR_SIZE + TW_NOTE_SIZE];
            snprintf(line, sizeof(line), "%s|%s|%s|%s|%s", items[p], tw_state_name(it.state),
                     it.claimed_by, it.resolved_by, note);
            lines[p] = tw_xstrdup(line);
        }
        qsort(lines, n_posts, sizeof(*lines), cmp_str);
        FILE *f = fopen(expect, "w");
        if (!f) {
            perror(expect);
            return 1;
        }
        for (size_t p = 0; p < n_posts; p++) {
            fprintf(f, "%s\n", lines[p]);
            free(lines[p]);
        }
        fclose(f);
        free(lines);
        free(ops);
        printf("items %zu ops %zu messages %zu\n", n_posts, total_ops, n);
        free(cmds);
        free(items);
        free(kinds);
        return 0;
    }

    /* Publish this part's slice. */
    size_t from = n * (size_t)(part - 1) / (size_t)parts, to = n * (size_t)part / (size_t)parts;
    mosquitto_lib_init();
    struct mosquitto *m[MAX_PUBLISHERS];
    for (int p = 0; p < publishers; p++) {
        char id[64];
        snprintf(id, sizeof(id), "converge-drive-%d-%d", (int)getpid(), p);
        m[p] = mosquitto_new(id, true, NULL);
        mosquitto_publish_callback_set(m[p], on_publish);
        mosquitto_int_option(m[p], MOSQ_OPT_SEND_MAXIMUM, 200);
        if (mosquitto_connect(m[p], "127.0.0.1", port, 30) != MOSQ_ERR_SUCCESS ||
            mosquitto_loop_start(m[p]) != MOSQ_ERR_SUCCESS) {
            fprintf(stderr, "cannot connect to 127.0.0.1:%d\n", port);
            return 1;
        }
    }
    static const char *const topic[] = {"post", "claim", "resolve", "reopen"};
    long sent = 0;
    for (size_t j = from; j < to; j++) {
        char *json = tw_codec_encode_command(&cmds[j].c);
        char t[128];
        snprintf(t, sizeof(t), "teamwall/%s/%s", team, topic[cmds[j].c.type]);
        /* A bounded window of unacknowledged messages, as a real producer
         * keeps. */
        while (sent - atomic_load(&acked) > 2000) {
            struct timespec ts = {0, 1000000};
            nanosleep(&ts, NULL);
        }
        int rc =
            mosquitto_publish(m[cmds[j].publisher], NULL, t, (int)strlen(json), json, 1, false);
        free(json);
        if (rc != MOSQ_ERR_SUCCESS) {
            fprintf(stderr, "publish: %s\n", mosquitto_strerror(rc));
            return 1;
        }
        sent++;
    }
    for (int w = 0; atomic_load(&acked) < sent && w < 60000; w++) {
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
    }
    for (int p = 0; p < publishers; p++) {
        mosquitto_disconnect(m[p]);
        mosquitto_loop_stop(m[p], false);
        mosquitto_destroy(m[p]);
    }
    mosquitto_lib_cleanup();
    printf("published %ld of %zu, acknowledged %ld\n", sent, n, atomic_load(&acked));
    free(cmds);
    free(items);
    free(kinds);
    return atomic_load(&acked) == sent ? 0 : 1;
}
