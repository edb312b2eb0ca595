/* SPDX-License-Identifier: MIT */
/*
 * bench/standup (TARGETS.md P10): a stand-up's `next` -> the next item
 * presented. A real board (headless, 1920x1080, software renderer, --trace)
 * on a private mosquitto with teamwall's config walks a stand-up of N items;
 * `{"action":"next","at":k}` is published every interval ms, and the trace
 * records when the board took each one and when the frame showing item k+1
 * was presented. The reference in the same run, as for P1, is the broker
 * hop: `mosquitto_sub -q 1 -F %U` on <root>/standup stamps its receipt.
 * Prints p50/p90/p99/max per stage and run (and the board's own part,
 * received -> presented, which a loaded machine's scheduling moves less),
 * the median over runs, and the spread (max - min over runs) of the p99.
 *
 * Usage: standup [--items N] [--interval MS] [--runs R]
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <mosquitto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common.h"

#define TOPIC_STANDUP "teamwall/bench/standup"

enum { ST_BROKER, ST_RECEIVED, ST_PRESENTED, ST_BOARD, ST_NUM };
static const char *const stage_name[ST_NUM] = {
    "broker hop: publish -> mosquitto_sub", "publish -> board received",
    "next -> next item presented (P10)", "the board's part: received -> presented"};

/* mosquitto_sub -F '%U %p' lines: the receipt of each "at". */
static size_t read_sub(const char *path, int n, int64_t *at)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char line[512];
    while (fgets(line, sizeof(line), f)) {
        long long s, ns;
        const char *a = strstr(line, "\"at\":");
        if (sscanf(line, "%lld.%lld", &s, &ns) != 2 || !a)
            continue;
        int k = atoi(a + 5);
        if (k >= 1 && k < n)
            at[k] = (int64_t)s * 1000000 + ns / 1000;
    }
    fclose(f);
    size_t seen = 0;
    for (int k = 1; k < n; k++)
        seen += at[k] != 0;
    return seen;
}

/* The trace's record for "standup-<pos>", or NULL. */
static const bench_trace_item *traced(const bench_trace *t, int pos)
{
    char id[32];
    snprintf(id, sizeof(id), "standup-%d", pos);
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->items[i].id, id) == 0 && t->items[i].presented)
            return &t->items[i];
    return NULL;
}

static int run_once(const bench_paths *p, int run, int n, int interval_ms, bench_stages *out)
{
    char dir[600], db[700], subout[700], pl[512], id[64];
    snprintf(dir, sizeof(dir), "%s/run%d", p->work, run);
    mkdir(dir, 0755);
    snprintf(db, sizeof(db), "%s/board.db", dir);
    snprintf(subout, sizeof(subout), "%s/sub.out", dir);

    bench_broker br;
    bench_broker_start(&br, p, "broker");
    bench_board bd;
    bench_board_start(&bd, p, &br, dir, db, "normal");
    if (!bench_board_wait_online(br.port, 20000))
        bench_die("the board did not come online (see %s)", bd.log);
    char port[16];
    snprintf(port, sizeof(port), "%d", br.port);
    char *sub_argv[] = {"mosquitto_sub", "-p", port,       "-q", "1", "-t",
                        TOPIC_STANDUP,   "-F", "%U %p\\n", NULL};
    pid_t sub = bench_spawn(sub_argv, subout);
    struct mosquitto *m = bench_mqtt_connect(br.port, "bench-standup", true);
    bench_trace tr = {.path = bd.trace};
    if (!bench_board_probe(m, &tr, "probe-0", 10000))
        bench_die("the board never showed a probe (see %s)", dir);

    /* The walk: N blockers of different texts, so each item rasterises. */
    for (int i = 1; i < n; i++) {
        snprintf(id, sizeof(id), "su-item-%d", i);
        snprintf(pl, sizeof(pl),
                 "{\"kind\":\"blocker\",\"id\":\"%s\",\"author\":\"bench\",\"text\":\"Item %d: "
                 "the %s pipeline waits on %s review number %d\"}",
                 id, i, i % 2 ? "deploy" : "release", i % 3 ? "security" : "design", i * 7);
        bench_mqtt_publish_wait(m, BENCH_TOPIC_POST, pl);
    }
    bench_mqtt_publish_wait(m, TOPIC_STANDUP, "{\"action\":\"start\",\"by\":\"bench\"}");
    bench_sleep_ms(1500); /* the first item up, the subscriber connected */

    int64_t *pub = calloc((size_t)n, sizeof(*pub)), *subt = calloc((size_t)n, sizeof(*subt));
    int64_t start = bench_now_us() + 10000;
    /* n items (the probe is one): next at 1 .. n-1 shows 2 .. n. */
    for (int k = 1; k < n; k++) {
        int64_t due = start + (int64_t)(k - 1) * interval_ms * 1000;
        for (int64_t now; (now = bench_now_us()) < due;) {
            int left_ms = (int)((due - now) / 1000);
            if (left_ms > 0)
                mosquitto_loop(m, left_ms > 5 ? 5 : left_ms, 1);
        }
        snprintf(pl, sizeof(pl), "{\"action\":\"next\",\"at\":%d}", k);
        pub[k] = bench_now_us();
        if (mosquitto_publish(m, NULL, TOPIC_STANDUP, (int)strlen(pl), pl, 1, false))
            bench_die("publish failed");
    }
    int64_t end = bench_now_us() + 30000000;
    size_t shown = 0, at_sub = 0;
    while (bench_now_us() < end) {
        mosquitto_loop(m, 5, 1);
        bench_trace_poll(&tr);
        shown = 0;
        for (int k = 1; k < n; k++)
            shown += traced(&tr, k + 1) != NULL;
        at_sub = read_sub(subout, n, subt);
        if (shown == (size_t)(n - 1) && at_sub == (size_t)(n - 1))
            break;
        bench_sleep_ms(20);
    }
    bench_mqtt_close(m);
    bench_stop(sub, 2000);
    bench_board_stop(&bd);
    bench_broker_stop(&br);
    if (shown != (size_t)(n - 1) || at_sub != (size_t)(n - 1)) {
        fprintf(stderr, "bench: run %d: %zu of %d items presented, %zu at mosquitto_sub (see %s)\n",
                run, shown, n - 1, at_sub, dir);
        return 1;
    }
    double *v = calloc((size_t)n, sizeof(*v));
    for (int s = 0; s < ST_NUM; s++) {
        for (int k = 1; k < n; k++) {
            const bench_trace_item *t = traced(&tr, k + 1);
            int64_t at = s == ST_BROKER ? subt[k] : s == ST_RECEIVED ? t->received : t->presented;
            int64_t from = s == ST_BOARD ? t->received : pub[k];
            v[k - 1] = (double)(at - from) / 1000.0;
        }
        bench_stages_set(out, s, v, (size_t)(n - 1));
    }
    free(v);
    free(pub);
    free(subt);
    bench_trace_free(&tr);
    return 0;
}

struct args {
    const bench_paths *p;
    int items, interval;
};

static int one_run(void *ctx, int run, bench_stages *out)
{
    const struct args *a = ctx;
    return run_once(a->p, run, a->items, a->interval, out);
}

int main(int argc, char **argv)
{
    int items = 200, interval = 150, runs = 3;
    static const struct option opts[] = {{"items", required_argument, 0, 'n'},
                                         {"interval", required_argument, 0, 'i'},
                                         {"runs", required_argument, 0, 'r'},
                                         {0, 0, 0, 0}};
    for (int c; (c = getopt_long(argc, argv, "n:i:r:", opts, NULL)) != -1;) {
        switch (c) {
        case 'n': items = atoi(optarg); break;
        case 'i': interval = atoi(optarg); break;
        case 'r': runs = atoi(optarg); break;
        default:
            fprintf(stderr, "usage: standup [--items N] [--interval MS] [--runs R]\n");
            return 2;
        }
    }
    if (items < 2 || items > 300 || interval < 1 || runs < 1)
        bench_die("items must be 2..300, interval and runs positive");
    bench_paths p;
    bench_paths_init(&p, "standup");
    char machine[256];
    bench_machine(machine, sizeof(machine));
    printf("# P10 stand-up next -> next item presented: %d items, a next every %d ms, QoS 1, "
           "%d run(s)\n",
           items, interval, runs);
    printf("machine: %s\n\n", machine);
    bench_stages *res = calloc((size_t)runs, sizeof(*res)), med;
    struct args args = {&p, items, interval};
    int failed = bench_stages_runs(runs, one_run, &args, stage_name, ST_NUM, res, &med) != 0;
    if (!failed) {
        double lo = 1e9, hi = 0;
        for (int r = 0; r < runs; r++) {
            lo = res[r].q[ST_PRESENTED][2] < lo ? res[r].q[ST_PRESENTED][2] : lo;
            hi = res[r].q[ST_PRESENTED][2] > hi ? res[r].q[ST_PRESENTED][2] : hi;
        }
        double p50 = med.q[ST_PRESENTED][0], p99 = med.q[ST_PRESENTED][2];
        double ref = med.q[ST_BROKER][2] > 0 ? med.q[ST_BROKER][2] : 1;
        printf("\n| P10 | ours | reference (broker hop) | ratio | target | met |\n");
        printf("| --- | ---: | ---: | ---: | --- | --- |\n");
        printf("| p50 | %.2f ms | %.2f ms | %.1fx | | |\n", p50, med.q[ST_BROKER][0],
               p50 / (med.q[ST_BROKER][0] > 0 ? med.q[ST_BROKER][0] : 1));
        printf("| p99 | %.2f ms | %.2f ms | %.1fx | <= 50 ms | %s |\n", p99, med.q[ST_BROKER][2],
               p99 / ref, p99 <= 50 ? "yes" : "NO");
        printf("\np99 over runs: %.2f .. %.2f ms (spread %.2f ms)\n", lo, hi, hi - lo);
    }
    free(res);
    bench_paths_cleanup(&p);
    return failed;
}
