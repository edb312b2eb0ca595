/* SPDX-License-Identifier: MIT */
/*
 * bench/ingest (TARGETS.md P2 and R8): durable ingest. Four publishers (one
 * thread and one libmosquitto connection each) send posts with ids at QoS 1
 * as fast as the broker takes them, each keeping a window of unacknowledged
 * publishes, to a private mosquitto with teamwall's config. Measured, on a
 * fresh broker each time:
 *   - reference: one `mosquitto_sub -q 1 -c -C N` (a persistent session made
 *     beforehand, like the board's) receiving the same stream; its rate is N
 *     over first publish -> its last receipt (`-F %U`);
 *   - the board (headless, 1920x1080, rendering as usual) with
 *     [board] sync = normal and = full: N over first publish -> the commit of
 *     the last post, from the board's --trace; every post must be stored.
 * Runs alternate the three and the medians are reported with the ratios.
 *
 * --r8 instead checks R8: a burst of N (20,000) from 4 publishers at once is
 * all stored, once with the board online and once while it is off (its
 * persistent session queues the burst at the broker) and started after.
 *
 * Usage: ingest [--count N] [--publishers P] [--window W] [--runs R]
 *               [--sync normal|full|both] [--r8]
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <mosquitto.h>
#include <sqlite3.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

/* N posts with ids "ing-<publisher>-<i>" from P publishers at once
 * (bench/common.c); returns when the broker acked all. */
static bench_burst publish_burst(int port, int count, int publishers, int window)
{
    bench_posts posts = {
        .prefix = "ing", .label = "Ingest", .count = count, .publishers = publishers};
    return bench_publish_burst(port, publishers, window, bench_make_post, &posts);
}

/* A persistent QoS 1 session for client_id subscribed to the post topic, so
 * whatever is published from now on is queued for it. */
static void make_session(int port, const char *client_id)
{
    struct mosquitto *m = bench_mqtt_connect(port, client_id, false);
    int mid;
    mosquitto_subscribe(m, &mid, BENCH_TOPIC_POST, 1);
    for (int i = 0; i < 20; i++)
        mosquitto_loop(m, 10, 1); /* the SUBACK */
    bench_mqtt_close(m);
}

static int64_t last_sub_time(const char *path, long *lines)
{
    FILE *f = fopen(path, "r");
    int64_t last = 0;
    *lines = 0;
    if (!f)
        return 0;
    char line[256];
    while (fgets(line, sizeof(line), f)) {
        long long s, ns;
        if (sscanf(line, "%lld.%lld", &s, &ns) == 2) {
            (*lines)++;
            int64_t t = (int64_t)s * 1000000 + ns / 1000;
            if (t > last)
                last = t;
        }
    }
    fclose(f);
    return last;
}

static double tv_us(struct timeval tv)
{
    return (double)tv.tv_sec * 1e6 + (double)tv.tv_usec;
}

/* Where the CPU went, per post: the consumer (the board or mosquitto_sub),
 * the broker and the publishers; instructions in thousands (0: no counter). */
struct cost {
    double consumer_us, consumer_ki, broker_us, broker_ki, publishers_us;
};

/* The reference: posts/s one mosquitto_sub receives. */
static double run_reference(const bench_paths *p, const char *name, int count, int publishers,
                            int window, struct cost *cost)
{
    bench_broker br;
    bench_broker_start(&br, p, name);
    make_session(br.port, "bench-ref");
    char port[16], n[16], out[700];
    snprintf(port, sizeof(port), "%d", br.port);
    snprintf(n, sizeof(n), "%d", count);
    snprintf(out, sizeof(out), "%s/sub.out", br.dir);
    char *argv[] = {"mosquitto_sub",  "-p", port, "-q", "1",  "-c", "-i", "bench-ref", "-t",
                    BENCH_TOPIC_POST, "-C", n,    "-F", "%U", NULL};
    pid_t sub = bench_spawn(argv, out);
    int ifd = bench_instructions_open(br.pid);
    long long broker0 = bench_cpu_us(br.pid);
    bench_burst b = publish_burst(br.port, count, publishers, window);
    struct rusage ru0, ru1;
    getrusage(RUSAGE_CHILDREN, &ru0);
    int st;
    if (!bench_wait_exit(sub, 300000, &st))
        bench_die("mosquitto_sub did not receive %d messages in time", count);
    getrusage(RUSAGE_CHILDREN, &ru1); /* the reaped mosquitto_sub's CPU */
    cost->broker_ki = (double)bench_instructions_read(ifd) / 1e3 / count;
    cost->broker_us = (double)(bench_cpu_us(br.pid) - broker0) / count;
    bench_instructions_close(ifd);
    cost->consumer_us =
        (tv_us(ru1.ru_utime) + tv_us(ru1.ru_stime) - tv_us(ru0.ru_utime) - tv_us(ru0.ru_stime)) /
        count;
    cost->consumer_ki = 0;
    cost->publishers_us = b.cpu_us / count;
    long lines;
    int64_t last = last_sub_time(out, &lines);
    bench_broker_stop(&br);
    if (lines != count)
        bench_die("mosquitto_sub received %ld of %d", lines, count);
    (void)b.last_ack;
    return count / ((double)(last - b.first_pub) / 1e6);
}

static long count_stored(const char *db)
{
    sqlite3 *s;
    long n = -1;
    if (sqlite3_open_v2(db, &s, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(s, "SELECT count(*) FROM items WHERE id LIKE 'ing-%'", -1, &st,
                               NULL) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(s);
    return n;
}

/* Wait until the trace shows `count` ingest posts committed; returns the
 * last commit time (0 on timeout). */
static int64_t wait_committed(bench_trace *tr, int count, int timeout_ms, size_t *seen)
{
    int64_t end = bench_now_us() + (int64_t)timeout_ms * 1000, last = 0;
    size_t n = 0, scanned = 0;
    while (bench_now_us() < end) {
        bench_trace_poll(tr);
        for (; scanned < tr->n; scanned++) {
            if (strncmp(tr->items[scanned].id, "ing-", 4) != 0)
                continue;
            n++;
            if (tr->items[scanned].committed > last)
                last = tr->items[scanned].committed;
        }
        if (n >= (size_t)count)
            break;
        bench_sleep_ms(20);
    }
    *seen = n;
    return n >= (size_t)count ? last : 0;
}

struct board_result {
    double rate, accepted_rate;
    struct cost cost;
    long stored;
};

/* The board: posts/s committed. offline: the burst goes out while the board
 * is stopped (its session queues it) and the board is started after. */
static struct board_result run_board(const bench_paths *p, const char *name, int count,
                                     int publishers, int window, const char *sync, bool offline)
{
    struct board_result r = {0};
    char dir[700], db[700];
    bench_broker br;
    bench_broker_start(&br, p, name);
    snprintf(dir, sizeof(dir), "%s/board", br.dir);
    snprintf(db, sizeof(db), "%s/board.db", br.dir);
    bench_board bd;
    bench_board_start(&bd, p, &br, dir, db, sync);
    if (!bench_board_wait_online(br.port, 20000))
        bench_die("the board did not come online (see %s)", bd.log);
    struct mosquitto *m = bench_mqtt_connect(br.port, "bench-probe", true);
    bench_trace tr = {.path = bd.trace};
    if (!bench_board_probe(m, &tr, "probe-0", 20000))
        bench_die("the board never showed the probe (see %s)", bd.log);
    bench_mqtt_close(m);
    int bfd = bench_instructions_open(bd.pid), kfd = bench_instructions_open(br.pid);
    long long board0 = bench_cpu_us(bd.pid), broker0 = bench_cpu_us(br.pid);
    bench_burst b;
    if (offline) {
        bench_board_stop(&bd);
        b = publish_burst(br.port, count, publishers, window);
        bench_board_start(&bd, p, &br, dir, db, sync);
        tr = (bench_trace){.path = bd.trace};
    } else {
        b = publish_burst(br.port, count, publishers, window);
    }
    size_t seen;
    int64_t last = wait_committed(&tr, count, 600000, &seen);
    r.cost = (struct cost){
        .consumer_us = (double)(bench_cpu_us(bd.pid) - board0) / count,
        .consumer_ki = (double)bench_instructions_read(bfd) / 1e3 / count,
        .broker_us = (double)(bench_cpu_us(br.pid) - broker0) / count,
        .broker_ki = (double)bench_instructions_read(kfd) / 1e3 / count,
        .publishers_us = b.cpu_us / count,
    };
    bench_instructions_close(bfd);
    bench_instructions_close(kfd);
    bench_board_stop(&bd);
    bench_broker_stop(&br);
    r.stored = count_stored(db);
    if (last) {
        r.rate = count / ((double)(last - b.first_pub) / 1e6);
        r.accepted_rate = count / ((double)(b.last_ack - b.first_pub) / 1e6);
    } else {
        fprintf(stderr, "bench: only %zu of %d posts committed in time (see %s)\n", seen, count,
                bd.log);
    }
    bench_trace_free(&tr);
    return r;
}

static int r8(const bench_paths *p, int count, int publishers, int window)
{
    printf("# R8: a burst of %d QoS 1 posts from %d publishers through "
           "packaging/mosquitto/teamwall.conf\n\n",
           count, publishers);
    printf("| case | stored | of | met |\n| --- | ---: | ---: | --- |\n");
    int bad = 0;
    for (int off = 0; off < 2; off++) {
        struct board_result r = run_board(p, off ? "r8-offline" : "r8-online", count, publishers,
                                          window, "normal", off);
        printf("| board %s during the burst | %ld | %d | %s |\n", off ? "off" : "on", r.stored,
               count, r.stored == count ? "yes" : "NO");
        bad |= r.stored != count;
        fflush(stdout);
    }
    return bad;
}

/* Median of one field of runs' costs. */
static double cost_median(const struct cost *c, int runs, size_t offset)
{
    double v[64];
    int n = runs < 64 ? runs : 64;
    for (int i = 0; i < n; i++)
        memcpy(&v[i], (const char *)&c[i] + offset, sizeof(double));
    return bench_median(v, (size_t)n);
}

/* Where the CPU went, per post (medians): two shared cores hold the
 * publishers, the broker and the consumer, so what the consumer spends the
 * others cannot. Instructions (perf_event_open) are steadier than times. */
static void print_costs(struct cost *cost[3], int runs, bool normal, bool full)
{
    static const char *const names[3] = {"mosquitto_sub (reference)", "board NORMAL", "board FULL"};
    printf("\n| CPU per post (medians) | consumer us | consumer kinstr | broker us | "
           "broker kinstr | publishers us | all us |\n");
    printf("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (int k = 0; k < 3; k++) {
        if ((k == 1 && !normal) || (k == 2 && !full))
            continue;
        double cu = cost_median(cost[k], runs, offsetof(struct cost, consumer_us)),
               ci = cost_median(cost[k], runs, offsetof(struct cost, consumer_ki)),
               bu = cost_median(cost[k], runs, offsetof(struct cost, broker_us)),
               bi = cost_median(cost[k], runs, offsetof(struct cost, broker_ki)),
               pu = cost_median(cost[k], runs, offsetof(struct cost, publishers_us));
        char cis[32] = "-", bis[32] = "-"; /* "-": no instruction counter here */
        if (ci > 0)
            snprintf(cis, sizeof(cis), "%.1f", ci);
        if (bi > 0)
            snprintf(bis, sizeof(bis), "%.1f", bi);
        printf("| %s | %.1f | %s | %.1f | %s | %.1f | %.1f |\n", names[k], cu, cis, bu, bis, pu,
               cu + bu + pu);
    }
}

int main(int argc, char **argv)
{
    int count = 100000, publishers = 4, window = 100, runs = 3;
    const char *sync = "both";
    bool do_r8 = false;
    static const struct option opts[] = {{"count", required_argument, 0, 'n'},
                                         {"publishers", required_argument, 0, 'p'},
                                         {"window", required_argument, 0, 'w'},
                                         {"runs", required_argument, 0, 'r'},
                                         {"sync", required_argument, 0, 's'},
                                         {"r8", no_argument, 0, '8'},
                                         {0, 0, 0, 0}};
    for (int c; (c = getopt_long(argc, argv, "", opts, NULL)) != -1;) {
        switch (c) {
        case 'n': count = atoi(optarg); break;
        case 'p': publishers = atoi(optarg); break;
        case 'w': window = atoi(optarg); break;
        case 'r': runs = atoi(optarg); break;
        case 's': sync = optarg; break;
        case '8': do_r8 = true; break;
        default:
            fprintf(stderr, "usage: ingest [--count N] [--publishers P] [--window W] [--runs R] "
                            "[--sync normal|full|both] [--r8]\n");
            return 2;
        }
    }
    if (count < publishers || publishers < 1 || window < 1 || runs < 1)
        bench_die("bad arguments");
    bench_paths p;
    bench_paths_init(&p, "ingest");
    char machine[256];
    bench_machine(machine, sizeof(machine));
    if (do_r8) {
        printf("machine: %s\n", machine);
        int rc = r8(&p, count, publishers, window);
        bench_paths_cleanup(&p);
        return rc;
    }
    bool normal = strcmp(sync, "full") != 0, full = strcmp(sync, "normal") != 0;
    printf("# P2 durable ingest: %d posts with ids, QoS 1, %d publishers (window %d), "
           "%d run(s)\nmachine: %s\n\n",
           count, publishers, window, runs, machine);
    printf("| run | mosquitto_sub /s | board NORMAL /s | ratio | board FULL /s | ratio | "
           "stored N/F |\n");
    printf("| --- | ---: | ---: | ---: | ---: | ---: | --- |\n");
    double *ref = calloc((size_t)runs, sizeof(double)), *rn = calloc((size_t)runs, sizeof(double)),
           *rf = calloc((size_t)runs, sizeof(double));
    struct cost *cost[3]; /* reference, NORMAL, FULL */
    for (int k = 0; k < 3; k++)
        cost[k] = calloc((size_t)runs, sizeof(struct cost));
    int lost = 0;
    for (int r = 0; r < runs; r++) {
        char name[32];
        snprintf(name, sizeof(name), "ref%d", r);
        ref[r] = run_reference(&p, name, count, publishers, window, &cost[0][r]);
        struct board_result n = {0}, f = {0};
        if (normal) {
            snprintf(name, sizeof(name), "normal%d", r);
            n = run_board(&p, name, count, publishers, window, "normal", false);
            lost |= n.stored != count;
        }
        if (full) {
            snprintf(name, sizeof(name), "full%d", r);
            f = run_board(&p, name, count, publishers, window, "full", false);
            lost |= f.stored != count;
        }
        rn[r] = n.rate;
        rf[r] = f.rate;
        cost[1][r] = n.cost;
        cost[2][r] = f.cost;
        printf("| %d | %.0f | %.0f | %.0f %% | %.0f | %.0f %% | %ld/%ld |\n", r + 1, ref[r], n.rate,
               100 * n.rate / ref[r], f.rate, 100 * f.rate / ref[r], n.stored, f.stored);
        fflush(stdout);
    }
    /* The ratio is each run's own (the board against the reference measured
     * just before it, on the machine as it was then), and the median of
     * those: the machine drifts between runs (the reference moved from
     * 17,000 to 21,000/s within minutes), and a ratio of two medians taken
     * from different runs mixes moments. */
    double *qn = calloc((size_t)runs, sizeof(double)), *qf = calloc((size_t)runs, sizeof(double));
    for (int r = 0; r < runs; r++) {
        qn[r] = rn[r] / ref[r];
        qf[r] = rf[r] / ref[r];
    }
    double mref = bench_median(ref, (size_t)runs), mn = bench_median(rn, (size_t)runs),
           mf = bench_median(rf, (size_t)runs), mqn = bench_median(qn, (size_t)runs),
           mqf = bench_median(qf, (size_t)runs);
    free(qn);
    free(qf);
    printf("\n| P2 (medians) | ours /s | reference /s | ratio (median of the runs') | target | met "
           "|\n");
    printf("| --- | ---: | ---: | ---: | --- | --- |\n");
    /* TARGETS.md: where a row gives a ratio and an absolute rate, the ratio
     * is the target (the reference moves with the machine); issue 6 also
     * names 20,000/s, shown on its own row. */
    if (normal) {
        printf("| synchronous=NORMAL | %.0f | %.0f | %.0f %% | >= 80 %% of the reference | %s |\n",
               mn, mref, 100 * mqn, mqn >= 0.8 ? "yes" : "NO");
        printf("| synchronous=NORMAL, absolute | %.0f | - | - | >= 20,000/s | %s |\n", mn,
               mn >= 20000 ? "yes" : "NO");
    }
    if (full)
        printf("| synchronous=FULL | %.0f | %.0f | %.0f %% | >= 50 %% | %s |\n", mf, mref,
               100 * mqf, mqf >= 0.5 ? "yes" : "NO");
    print_costs(cost, runs, normal, full);
    if (lost)
        printf("\nPOSTS LOST: not every post was stored\n");
    for (int k = 0; k < 3; k++)
        free(cost[k]);
    free(ref);
    free(rn);
    free(rf);
    bench_paths_cleanup(&p);
    return lost;
}
