/* SPDX-License-Identifier: MIT */
/*
 * bench/latency (TARGETS.md P1): publish -> pixels. Publishes posts at a
 * steady pace (QoS 1) to a private mosquitto with teamwall's config and a
 * real board (headless, 1920x1080, software renderer) started with --trace,
 * which records per id when the message reached the board, when its
 * transaction committed and when the first frame including it was presented.
 * The reference in the same run is the broker hop alone: `mosquitto_sub -q 1
 * -F %U` on the same topic and broker stamps its receipt. Posts are wins,
 * which the wall shows newest first, so each one is drawn at the top of its
 * column. Prints p50/p90/p99/max per stage and run, and the median over runs.
 *
 * Usage: latency [--count N] [--interval MS] [--runs R]
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <mosquitto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common.h"

enum { ST_BROKER, ST_RECEIVED, ST_COMMITTED, ST_PRESENTED, ST_NUM };
static const char *const stage_name[ST_NUM] = {"broker hop: publish -> mosquitto_sub",
                                               "publish -> board received", "publish -> committed",
                                               "publish -> presented (P1)"};

static const char *const words[] = {
    "deploy",  "staging", "pipeline", "review", "database", "migration", "customer", "release",
    "on-call", "budget",  "sprint",   "design", "printer",  "VPN",       "laptop",   "invoice"};

/* Texts of 30 to 200 characters, all different, so each post rasterises. */
static void post_text(int i, char *buf, size_t size)
{
    int n = snprintf(buf, size, "Win %d:", i);
    int words_n = 4 + (i * 7) % 26;
    for (int w = 0; w < words_n && n < (int)size - 16; w++)
        n += snprintf(buf + n, size - (size_t)n, " %s", words[(i + w * 5) % 16]);
}

static void payload(const char *id, int i, char *buf, size_t size)
{
    char text[256];
    post_text(i, text, sizeof(text));
    snprintf(buf, size, "{\"kind\":\"win\",\"text\":\"%s\",\"author\":\"bench\",\"id\":\"%s\"}",
             text, id);
}

/* mosquitto_sub -F '%U %p': "<seconds>.<nanoseconds> <payload>". */
static size_t read_sub(const char *path, const char *prefix, int count, int64_t *at)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char line[1024], id[80];
    size_t seen = 0, plen = strlen(prefix);
    while (fgets(line, sizeof(line), f)) {
        long long s, ns;
        if (sscanf(line, "%lld.%lld", &s, &ns) != 2 || !bench_payload_id(line, id, sizeof(id)) ||
            strncmp(id, prefix, plen) != 0)
            continue;
        int i = atoi(id + plen);
        if (i < 0 || i >= count)
            continue;
        at[i] = (int64_t)s * 1000000 + ns / 1000;
    }
    fclose(f);
    for (int i = 0; i < count; i++)
        seen += at[i] != 0;
    return seen;
}

static bool sub_has(const char *path, const char *id)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    char line[1024];
    bool found = false;
    while (!found && fgets(line, sizeof(line), f))
        found = strstr(line, id) != NULL;
    fclose(f);
    return found;
}

static int run_once(const bench_paths *p, int run, int count, int interval_ms, bench_stages *out)
{
    char dir[600], db[700], subout[700], topic_id[64];
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
    char *sub_argv[] = {"mosquitto_sub",  "-p", port,       "-q", "1", "-t",
                        BENCH_TOPIC_POST, "-F", "%U %p\\n", NULL};
    pid_t sub = bench_spawn(sub_argv, subout);

    struct mosquitto *m = bench_mqtt_connect(br.port, "bench-latency", true);
    bench_trace tr = {.path = bd.trace};
    /* Probe until both the board and mosquitto_sub see posts. */
    bool ready = false;
    for (int k = 0; k < 40 && !ready; k++) {
        snprintf(topic_id, sizeof(topic_id), "probe-%d", k);
        ready = bench_board_probe(m, &tr, topic_id, 10000) && sub_has(subout, topic_id);
        if (!ready)
            bench_sleep_ms(100);
    }
    if (!ready)
        bench_die("board or mosquitto_sub never saw a probe (see %s)", dir);

    char pl[512], id[64];
    /* Warm-up at the same pace: not counted. */
    for (int i = 0; i < 20; i++) {
        snprintf(id, sizeof(id), "warm-%d", i);
        payload(id, 100000 + i, pl, sizeof(pl));
        mosquitto_publish(m, NULL, BENCH_TOPIC_POST, (int)strlen(pl), pl, 1, false);
        int64_t due = bench_now_us() + interval_ms * 1000;
        while (bench_now_us() < due)
            mosquitto_loop(m, 1, 1);
    }

    int64_t *pub = calloc((size_t)count, sizeof(*pub));
    int64_t *subt = calloc((size_t)count, sizeof(*subt));
    int64_t start = bench_now_us() + 10000;
    for (int i = 0; i < count; i++) {
        int64_t due = start + (int64_t)i * interval_ms * 1000;
        for (int64_t now; (now = bench_now_us()) < due;) {
            int left_ms = (int)((due - now) / 1000);
            if (left_ms > 0)
                mosquitto_loop(m, left_ms > 5 ? 5 : left_ms, 1);
        }
        snprintf(id, sizeof(id), "lat-%d", i);
        payload(id, i, pl, sizeof(pl));
        pub[i] = bench_now_us();
        if (mosquitto_publish(m, NULL, BENCH_TOPIC_POST, (int)strlen(pl), pl, 1, false))
            bench_die("publish failed");
    }

    /* Wait for every post on screen and at mosquitto_sub. */
    int64_t end = bench_now_us() + 60000000;
    size_t on_screen = 0, at_sub = 0;
    int64_t *presented = calloc((size_t)count, sizeof(*presented));
    int64_t *received = calloc((size_t)count, sizeof(*received));
    int64_t *committed = calloc((size_t)count, sizeof(*committed));
    while (bench_now_us() < end) {
        mosquitto_loop(m, 5, 1);
        bench_trace_poll(&tr);
        on_screen = 0;
        for (size_t k = 0; k < tr.n; k++) {
            if (strncmp(tr.items[k].id, "lat-", 4) != 0)
                continue;
            int i = atoi(tr.items[k].id + 4);
            if (i < 0 || i >= count || !tr.items[k].presented)
                continue;
            received[i] = tr.items[k].received;
            committed[i] = tr.items[k].committed;
            presented[i] = tr.items[k].presented;
        }
        for (int i = 0; i < count; i++)
            on_screen += presented[i] != 0;
        at_sub = read_sub(subout, "lat-", count, subt);
        if (on_screen == (size_t)count && at_sub == (size_t)count)
            break;
        bench_sleep_ms(20);
    }
    bench_mqtt_close(m);
    bench_stop(sub, 2000);
    bench_board_stop(&bd);
    bench_broker_stop(&br);
    if (on_screen != (size_t)count || at_sub != (size_t)count) {
        fprintf(stderr, "bench: run %d: %zu of %d posts presented, %zu at mosquitto_sub\n", run,
                on_screen, count, at_sub);
        return 1;
    }

    double *v = calloc((size_t)count, sizeof(*v));
    const int64_t *stage_t[ST_NUM] = {subt, received, committed, presented};
    for (int s = 0; s < ST_NUM; s++) {
        for (int i = 0; i < count; i++)
            v[i] = (double)(stage_t[s][i] - pub[i]) / 1000.0;
        bench_stages_set(out, s, v, (size_t)count);
    }
    free(v);
    free(pub);
    free(subt);
    free(presented);
    free(received);
    free(committed);
    bench_trace_free(&tr);
    return 0;
}

struct args {
    const bench_paths *p;
    int count, interval;
};

static int one_run(void *ctx, int run, bench_stages *out)
{
    const struct args *a = ctx;
    return run_once(a->p, run, a->count, a->interval, out);
}

int main(int argc, char **argv)
{
    int count = 1000, interval = 20, runs = 3;
    static const struct option opts[] = {{"count", required_argument, 0, 'n'},
                                         {"interval", required_argument, 0, 'i'},
                                         {"runs", required_argument, 0, 'r'},
                                         {0, 0, 0, 0}};
    for (int c; (c = getopt_long(argc, argv, "n:i:r:", opts, NULL)) != -1;) {
        switch (c) {
        case 'n': count = atoi(optarg); break;
        case 'i': interval = atoi(optarg); break;
        case 'r': runs = atoi(optarg); break;
        default:
            fprintf(stderr, "usage: latency [--count N] [--interval MS] [--runs R]\n");
            return 2;
        }
    }
    if (count < 1 || interval < 1 || runs < 1)
        bench_die("count, interval and runs must be positive");
    bench_paths p;
    bench_paths_init(&p, "latency");
    char machine[256];
    bench_machine(machine, sizeof(machine));
    printf("# P1 publish -> pixels: %d posts at one every %d ms, QoS 1, %d run(s)\n", count,
           interval, runs);
    printf("machine: %s\n\n", machine);

    bench_stages *res = calloc((size_t)runs, sizeof(*res)), med;
    struct args args = {&p, count, interval};
    int failed = bench_stages_runs(runs, one_run, &args, stage_name, ST_NUM, res, &med) != 0;
    if (!failed) {
        double p50 = med.q[ST_PRESENTED][0], p99 = med.q[ST_PRESENTED][2];
        printf("\n| P1 | ours | reference (broker hop) | ratio | target | met |\n");
        printf("| --- | ---: | ---: | ---: | --- | --- |\n");
        printf("| p50 | %.2f ms | %.2f ms | %.1fx | <= 10 ms | %s |\n", p50, med.q[ST_BROKER][0],
               p50 / (med.q[ST_BROKER][0] > 0 ? med.q[ST_BROKER][0] : 1), p50 <= 10 ? "yes" : "NO");
        printf("| p99 | %.2f ms | %.2f ms | %.1fx | <= 25 ms | %s |\n", p99, med.q[ST_BROKER][2],
               p99 / (med.q[ST_BROKER][2] > 0 ? med.q[ST_BROKER][2] : 1), p99 <= 25 ? "yes" : "NO");
    }
    free(res);
    bench_paths_cleanup(&p);
    return failed;
}
