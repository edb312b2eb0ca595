/* SPDX-License-Identifier: MIT */
/*
 * bench/scaleopen (TARGETS.md P8 and P9): does a command cost more the more
 * items are open, and what does an open item cost in memory? For each level
 * L (100, 1,000, 20,000, 100,000 by default) on a fresh broker and board
 * (headless, 1920x1080, rendering as usual):
 *   1. M (3,000) "old" posts, then L "fill" posts: untimed; the old ones are
 *      the oldest items on the board;
 *   2. M new posts, timed: posts/s with L + M .. L + 2M open;
 *   3. the M old items resolved, timed: resolves/s of the oldest items with
 *      L + M others open (the worst case of the array model, where each
 *      removal moved every newer item);
 *   4. the M new ones resolved (untimed), so L are open; the resident
 *      memory is read once a frame has shown it.
 * Rates are M over first publish -> commit of the last command, from the
 * board's --trace, with four publishers as fast as the broker takes them
 * (bench/common.c); the board's CPU per command comes from /proc. The last
 * table gives each level's rates against L = 100 (P8: >= 80 % at 20,000),
 * the resident set at 20,000 (P9: <= 48 MB) and the bytes an open item costs
 * (the resident set's growth from the smallest level over the items added).
 *
 * Under callgrind (TW_BENCH_WRAP="valgrind --tool=callgrind
 * --callgrind-out-file=FILE"), each phase also gives the board's
 * instructions per command, which the machine's load does not move.
 *
 * --standup: then, with L open, a stand-up is started (`start` on
 * <root>/standup), moved SU_NEXTS times (each waited for on screen through
 * the trace's "standup-<position>") and stopped: the board's CPU for the
 * start and per `next`, and the resident set while it shows. --language L
 * runs the board in language L (TW_BENCH_LANGUAGE, bench/common.c).
 *
 * Usage: scaleopen [--levels 100,1000,20000,100000] [--measure M]
 *                  [--publishers P] [--window W] [--runs R]
 *                  [--standup] [--language en|de|fr|es|nl]
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <mosquitto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"

#define MAX_LEVELS 8

/* Posts or resolves of ids "<prefix>-<p>-<i>", count split over the
 * publishers. */
struct batch {
    const char *prefix;
    int count, publishers;
    bool resolve;
};

static int share(const struct batch *b, int p)
{
    return b->count / b->publishers + (p < b->count % b->publishers);
}

static bool make(void *ctx, int p, int i, const char **topic, char *buf, size_t size)
{
    static const char *const kinds[] = {"blocker", "question", "win"};
    const struct batch *b = ctx;
    if (i >= share(b, p))
        return false;
    if (b->resolve) {
        *topic = BENCH_TOPIC_RESOLVE;
        snprintf(buf, size, "{\"ref\":\"%s-%d-%d\",\"by\":\"pub%d\"}", b->prefix, p, i, p);
    } else {
        *topic = BENCH_TOPIC_POST;
        snprintf(buf, size,
                 "{\"kind\":\"%s\",\"text\":\"Scale post %d from publisher %d: the nightly "
                 "build of service %d needs a look\",\"author\":\"pub%d\",\"id\":\"%s-%d-%d\"}",
                 kinds[i % 3], i, p, i % 97, p, b->prefix, p, i);
    }
    return true;
}

/* Follow the trace until `want` commands on ids starting with prefix are
 * committed; the latest commit time into *last. Records are dropped once
 * read (100,000 of them would weigh on the bench's own memory). */
static bool wait_committed(bench_trace *tr, const char *prefix, long want, int64_t *last,
                           int timeout_s)
{
    size_t plen = strlen(prefix);
    long seen = 0;
    *last = 0;
    int64_t end = bench_now_us() + (int64_t)timeout_s * 1000000;
    while (seen < want) {
        bench_trace_poll(tr);
        for (size_t i = 0; i < tr->n; i++) {
            const bench_trace_item *it = &tr->items[i];
            if (strncmp(it->id, prefix, plen) == 0 && it->id[plen] == '-' && it->committed) {
                seen++;
                if (it->committed > *last)
                    *last = it->committed;
            }
        }
        tr->n = 0;
        if (seen >= want)
            return true;
        if (bench_now_us() > end) {
            fprintf(stderr, "bench: %ld of %ld %s commands committed\n", seen, want, prefix);
            return false;
        }
        bench_sleep_ms(20);
    }
    return true;
}

struct phase {
    double rate;   /* commands/s */
    double cpu_us; /* board CPU per command */
    double instr;  /* board instructions per command (under callgrind), or 0 */
};

/* Instructions the board has run so far when it runs under callgrind
 * (TW_BENCH_WRAP="valgrind --tool=callgrind ..."): callgrind_control's
 * totals over its threads; -1 otherwise. The figure the shared machine's
 * load does not move. */
static long long callgrind_total(pid_t pid)
{
    const char *wrap = getenv("TW_BENCH_WRAP");
    if (!wrap || !strstr(wrap, "callgrind"))
        return -1;
    char cmd[64], line[256];
    snprintf(cmd, sizeof(cmd), "callgrind_control -e %d 2>/dev/null", (int)pid);
    FILE *f = popen(cmd, "r");
    if (!f)
        return -1;
    long long total = 0;
    while (fgets(line, sizeof(line), f)) {
        char *p = strstr(line, "Th ");
        if (!p)
            continue;
        p += 3;
        while (*p && *p != ' ')
            p++; /* the thread number */
        long long v = 0;
        for (; *p; p++)
            if (*p >= '0' && *p <= '9')
                v = v * 10 + (*p - '0');
        total += v;
    }
    pclose(f);
    return total;
}

static struct phase run_batch(const bench_broker *br, const bench_board *bd, bench_trace *tr,
                              struct batch b, int window)
{
    struct phase ph = {0};
    long long cpu0 = bench_cpu_us(bd->pid), ins0 = callgrind_total(bd->pid);
    bench_burst burst = bench_publish_burst(br->port, b.publishers, window, make, &b);
    int64_t last;
    if (!wait_committed(tr, b.prefix, b.count, &last, 900))
        bench_die("the board did not commit every %s command (see %s)", b.prefix, bd->log);
    long long cpu1 = bench_cpu_us(bd->pid), ins1 = callgrind_total(bd->pid);
    if (ins0 >= 0 && ins1 >= ins0)
        ph.instr = (double)(ins1 - ins0) / b.count;
    ph.rate = b.count / ((double)(last - burst.first_pub) / 1e6);
    ph.cpu_us = (double)(cpu1 - cpu0) / b.count;
    return ph;
}

struct level {
    int open;
    struct phase post, resolve;
    long rss, anon, hwm; /* kB, with `open` items open */
    /* --standup: the board's CPU to start a stand-up over the open items
     * (the walk, its rows) and per `next`, and the resident set while it
     * shows (kB). */
    double su_start_us, su_next_us;
    long su_rss;
};

#define TOPIC_STANDUP "teamwall/bench/standup"
#define SU_NEXTS      20

/* Wait until the trace shows the stand-up at position pos presented. */
static bool wait_standup(bench_trace *tr, int pos, int timeout_s)
{
    char id[32];
    snprintf(id, sizeof(id), "standup-%d", pos);
    int64_t end = bench_now_us() + (int64_t)timeout_s * 1000000;
    while (bench_now_us() < end) {
        bench_trace_poll(tr);
        for (size_t i = 0; i < tr->n; i++)
            if (strcmp(tr->items[i].id, id) == 0 && tr->items[i].presented)
                return true;
        bench_sleep_ms(5);
    }
    return false;
}

/* A stand-up over the open items: started, SU_NEXTS moves (each waited
 * for on screen), stopped. */
static void run_standup(const bench_broker *br, const bench_board *bd, bench_trace *tr,
                        struct level *lv)
{
    struct mosquitto *m = bench_mqtt_connect(br->port, "bench-standup", true);
    long long cpu0 = bench_cpu_us(bd->pid);
    bench_mqtt_publish_wait(m, TOPIC_STANDUP, "{\"action\":\"start\",\"by\":\"bench\"}");
    if (!wait_standup(tr, 1, 300))
        bench_die("the stand-up did not start (see %s)", bd->log);
    long long cpu1 = bench_cpu_us(bd->pid);
    for (int k = 1; k <= SU_NEXTS; k++) {
        char pl[64];
        snprintf(pl, sizeof(pl), "{\"action\":\"next\",\"at\":%d}", k);
        bench_mqtt_publish_wait(m, TOPIC_STANDUP, pl);
        if (!wait_standup(tr, k + 1, 60))
            bench_die("the stand-up did not move to %d (see %s)", k + 1, bd->log);
    }
    long long cpu2 = bench_cpu_us(bd->pid);
    bench_sleep_ms(1500); /* quiet, as the wall's own figure is read */
    lv->su_rss = bench_rss_kb(bd->pid);
    bench_mqtt_publish_wait(m, TOPIC_STANDUP, "{\"action\":\"stop\"}");
    bench_mqtt_close(m);
    lv->su_start_us = (double)(cpu1 - cpu0);
    lv->su_next_us = (double)(cpu2 - cpu1) / SU_NEXTS;
}

/* A frame after the last change, then a moment: the resident set as the
 * wall stands. */
static void settle(const bench_broker *br, bench_trace *tr, const char *probe)
{
    struct mosquitto *m = bench_mqtt_connect(br->port, "bench-probe", true);
    if (!bench_board_probe(m, tr, probe, 60000))
        bench_die("the board never showed %s", probe);
    bench_mqtt_close(m);
    tr->n = 0;
    bench_sleep_ms(1500);
}

static struct level run_level(const bench_paths *p, int run, int open, int measure, int publishers,
                              int window, bool standup)
{
    struct level lv = {.open = open};
    char name[48], dir[700], db[700];
    snprintf(name, sizeof(name), "scale-%d-%d", open, run);
    bench_broker br;
    bench_broker_start(&br, p, name);
    snprintf(dir, sizeof(dir), "%s/board", br.dir);
    snprintf(db, sizeof(db), "%s/board.db", br.dir);
    bench_board bd;
    bench_board_start(&bd, p, &br, dir, db, "normal");
    if (!bench_board_wait_online(br.port, 20000))
        bench_die("the board did not come online (see %s)", bd.log);
    bench_trace tr = {.path = bd.trace};
    settle(&br, &tr, "probe-0");

    run_batch(&br, &bd, &tr, (struct batch){"old", measure, publishers, false}, window);
    run_batch(&br, &bd, &tr, (struct batch){"fill", open, publishers, false}, window);
    lv.post = run_batch(&br, &bd, &tr, (struct batch){"new", measure, publishers, false}, window);
    lv.resolve = run_batch(&br, &bd, &tr, (struct batch){"old", measure, publishers, true}, window);
    run_batch(&br, &bd, &tr, (struct batch){"new", measure, publishers, true}, window);
    /* The probes are open too: two more than `open`. */
    settle(&br, &tr, "probe-1");
    lv.rss = bench_rss_kb(bd.pid);
    lv.anon = bench_status(bd.pid, "RssAnon");
    lv.hwm = bench_hwm_kb(bd.pid);
    if (standup)
        run_standup(&br, &bd, &tr, &lv);
    bench_trace_free(&tr);
    bench_board_stop(&bd);
    bench_broker_stop(&br);
    return lv;
}

static double mb(long kb)
{
    return (double)kb / 1024.0;
}

static int parse_levels(const char *s, int *out)
{
    int n = 0;
    char *copy = strdup(s), *save = NULL;
    for (char *t = strtok_r(copy, ",", &save); t && n < MAX_LEVELS; t = strtok_r(NULL, ",", &save))
        out[n++] = atoi(t);
    free(copy);
    return n;
}

int main(int argc, char **argv)
{
    int levels[MAX_LEVELS] = {100, 1000, 20000, 100000}, n_levels = 4;
    int measure = 3000, publishers = 4, window = 100, runs = 1;
    bool standup = false;
    static const struct option opts[] = {
        {"levels", required_argument, 0, 'l'},     {"measure", required_argument, 0, 'm'},
        {"publishers", required_argument, 0, 'p'}, {"window", required_argument, 0, 'w'},
        {"runs", required_argument, 0, 'r'},       {"standup", no_argument, 0, 's'},
        {"language", required_argument, 0, 'L'},   {0, 0, 0, 0}};
    for (int c; (c = getopt_long(argc, argv, "", opts, NULL)) != -1;) {
        switch (c) {
        case 'l': n_levels = parse_levels(optarg, levels); break;
        case 'm': measure = atoi(optarg); break;
        case 'p': publishers = atoi(optarg); break;
        case 'w': window = atoi(optarg); break;
        case 'r': runs = atoi(optarg); break;
        case 's': standup = true; break;
        case 'L': setenv("TW_BENCH_LANGUAGE", optarg, 1); break;
        default:
            fprintf(stderr, "usage: scaleopen [--levels 100,1000,20000,100000] [--measure M]\n"
                            "                 [--publishers P] [--window W] [--runs R]\n"
                            "                 [--standup] [--language en|de|fr|es|nl]\n");
            return 2;
        }
    }
    if (n_levels < 1 || measure < publishers || publishers < 1 || window < 1 || runs < 1)
        bench_die("bad arguments");
    for (int i = 0; i < n_levels; i++)
        if (levels[i] < publishers)
            bench_die("level %d is below the publishers", levels[i]);
    bench_paths p;
    bench_paths_init(&p, "scale");
    char machine[256];
    bench_machine(machine, sizeof(machine));
    printf("machine: %s\n", machine);
    const char *lang = getenv("TW_BENCH_LANGUAGE");
    printf("language: %s\n", lang && *lang ? lang : "the board's default (en)");
    printf("# P8, P9: %d posts and %d resolves of the oldest items at each level of open items, "
           "%d publishers (window %d), %d run(s), levels in turn\n\n",
           measure, measure, publishers, window, runs);
    printf("| run | open | posts/s | board µs/post | instructions/post | resolves/s | board "
           "µs/resolve | instructions/resolve | VmRSS MB | RssAnon MB | VmHWM MB |\n");
    printf("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    static struct level all[MAX_LEVELS][64];
    if (runs > 64)
        runs = 64;
    for (int r = 0; r < runs; r++) {
        for (int i = 0; i < n_levels; i++) {
            struct level lv = run_level(&p, r, levels[i], measure, publishers, window, standup);
            all[i][r] = lv;
            printf("| %d | %d | %.0f | %.1f | %.0f | %.0f | %.1f | %.0f | %.2f | %.2f | %.2f |\n",
                   r + 1, lv.open, lv.post.rate, lv.post.cpu_us, lv.post.instr, lv.resolve.rate,
                   lv.resolve.cpu_us, lv.resolve.instr, mb(lv.rss), mb(lv.anon), mb(lv.hwm));
            fflush(stdout);
        }
    }

    /* Medians per level; ratios against the first level. */
    double post[MAX_LEVELS], res[MAX_LEVELS], pcpu[MAX_LEVELS], rcpu[MAX_LEVELS], rss[MAX_LEVELS];
    for (int i = 0; i < n_levels; i++) {
        double v[5][64];
        for (int r = 0; r < runs; r++) {
            v[0][r] = all[i][r].post.rate;
            v[1][r] = all[i][r].resolve.rate;
            v[2][r] = all[i][r].post.cpu_us;
            v[3][r] = all[i][r].resolve.cpu_us;
            v[4][r] = (double)all[i][r].rss;
        }
        post[i] = bench_median(v[0], runs);
        res[i] = bench_median(v[1], runs);
        pcpu[i] = bench_median(v[2], runs);
        rcpu[i] = bench_median(v[3], runs);
        rss[i] = bench_median(v[4], runs);
    }
    printf("\n| open (medians) | posts/s | of the first | board µs/post | resolves/s | of the "
           "first | board µs/resolve | VmRSS MB | bytes an item over the first |\n");
    printf("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (int i = 0; i < n_levels; i++) {
        char per[32] = "-";
        if (i > 0 && levels[i] > levels[0])
            snprintf(per, sizeof(per), "%.0f",
                     (rss[i] - rss[0]) * 1024.0 / (double)(levels[i] - levels[0]));
        printf("| %d | %.0f | %.0f %% | %.1f | %.0f | %.0f %% | %.1f | %.2f | %s |\n", levels[i],
               post[i], 100.0 * post[i] / post[0], pcpu[i], res[i], 100.0 * res[i] / res[0],
               rcpu[i], rss[i] / 1024.0, per);
    }
    if (standup) {
        printf("\n| open | run | stand-up start: board CPU ms | board µs per next | VmRSS MB "
               "while it shows | over the wall alone MB |\n");
        printf("| ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (int i = 0; i < n_levels; i++)
            for (int r = 0; r < runs; r++) {
                const struct level *lv = &all[i][r];
                printf("| %d | %d | %.1f | %.0f | %.2f | %+.2f |\n", lv->open, r + 1,
                       lv->su_start_us / 1000.0, lv->su_next_us, mb(lv->su_rss),
                       mb(lv->su_rss - lv->rss));
            }
    }
    printf("\n| target | measured | target | met |\n| --- | ---: | --- | --- |\n");
    for (int i = 0; i < n_levels; i++) {
        if (levels[i] != 20000)
            continue;
        double pr = post[i] / post[0], rr = res[i] / res[0];
        printf("| P8 posts/s at 20000 open, of %d open | %.0f %% | >= 80 %% | %s |\n", levels[0],
               100 * pr, pr >= 0.8 ? "yes" : "NO");
        printf("| P8 resolves/s at 20000 open, of %d open | %.0f %% | >= 80 %% | %s |\n", levels[0],
               100 * rr, rr >= 0.8 ? "yes" : "NO");
        printf("| P9 resident at 20000 open, 1920x1080 | %.2f MB | <= 48 MB | %s |\n",
               rss[i] / 1024.0, rss[i] <= 48 * 1024 ? "yes" : "NO");
    }
    bench_paths_cleanup(&p);
    return 0;
}
