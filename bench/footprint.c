/* SPDX-License-Identifier: MIT */
/*
 * bench/footprint (TARGETS.md P4 and P6): resident memory and start-up of
 * the board against a browser kiosk showing the same board.
 *
 * The fixture (seed.c): 100,000 items in the history, 200 of them open. The
 * board starts headless at 1920x1080 on a copy of it, with a broker; P6 is
 * exec -> first frame presented (the board's --trace mark, same clock as the
 * bench), P4 the resident set from /proc: VmHWM (peak) and VmRSS over the
 * last two of five seconds after the first frame (steady; the board is
 * online and has published its state by then).
 *
 * The reference: bench/reference/board.html, the same 200 cards with the same
 * fonts, in Debian's Chromium headless with the background-networking flags
 * and a new empty profile; its time to first contentful paint (reported by
 * the page to a loopback beacon) and its resident memory summed over all its
 * processes (RSS, and PSS, which counts shared pages once), sampled.
 *
 * --standup: then a stand-up is started over the open items; the board's
 * CPU until its first item is on screen, and the resident set (steady and
 * peak, as above) while it shows. --language L: the board in language L
 * (TW_BENCH_LANGUAGE, bench/common.c). --size WxH: another output size.
 *
 * Usage: footprint [--items N] [--open N] [--runs R] [--no-browser]
 *                  [--size WxH] [--language L] [--standup]
 *        footprint --write-reference   (regenerate bench/reference/board.html)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <mosquitto.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"
#include "seed.h"

#define SETTLE_MS 5000 /* after the first frame; steady = median of the last 2 s */

struct sample {
    double first_frame_ms, peak_mb, steady_mb, pss_mb;
    /* --standup: the board's CPU to start a stand-up over the open items
     * and show its first item, and the resident set (as steady_mb) and
     * peak while it shows. */
    double su_start_ms, su_steady_mb, su_peak_mb;
};

static bool with_standup;

/* The trace's stand-up at position 1, presented, within 60 s. */
static bool standup_shown(bench_trace *tr)
{
    int64_t end = bench_now_us() + 60000000;
    while (bench_now_us() < end) {
        bench_trace_poll(tr);
        for (size_t i = 0; i < tr->n; i++)
            if (strcmp(tr->items[i].id, "standup-1") == 0 && tr->items[i].presented)
                return true;
        bench_sleep_ms(5);
    }
    return false;
}

static void copy(const char *from, const char *to)
{
    int in = open(from, O_RDONLY), out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in < 0 || out < 0)
        bench_die("copy %s -> %s: %s", from, to, strerror(errno));
    char buf[1 << 16];
    ssize_t n;
    while ((n = read(in, buf, sizeof(buf))) > 0)
        if (write(out, buf, (size_t)n) != n)
            bench_die("copy: %s", strerror(errno));
    close(in);
    close(out);
}

/* Sample pid (or its process tree) for SETTLE_MS; fills peak/steady. */
static void settle(pid_t pid, bool tree, struct sample *s)
{
    double steady[64];
    int ns = 0;
    double peak = 0;
    int64_t start = bench_now_us();
    long pss = 0;
    while (bench_now_us() - start < SETTLE_MS * 1000LL) {
        long kb = tree ? bench_tree_rss_kb(pid, &pss, NULL) : bench_rss_kb(pid);
        if (kb < 0)
            bench_die("process %d is gone", (int)pid);
        if (kb / 1024.0 > peak)
            peak = kb / 1024.0;
        if (bench_now_us() - start >= (SETTLE_MS - 2000) * 1000LL && ns < 64)
            steady[ns++] = kb / 1024.0;
        bench_sleep_ms(tree ? 100 : 50);
    }
    s->steady_mb = bench_median(steady, (size_t)ns);
    if (tree) {
        s->peak_mb = peak; /* sampled: a browser has no VmHWM across processes */
        bench_tree_rss_kb(pid, &pss, NULL);
    } else {
        s->peak_mb = bench_hwm_kb(pid) / 1024.0;
        pss = bench_pss_kb(pid);
    }
    s->pss_mb = pss / 1024.0;
}

static struct sample run_board(const bench_paths *p, const char *seed, int run)
{
    struct sample s = {0};
    char dir[600], db[700], name[32];
    snprintf(dir, sizeof(dir), "%s/board%d", p->work, run);
    mkdir(dir, 0755);
    snprintf(db, sizeof(db), "%s/board.db", dir);
    copy(seed, db);
    snprintf(name, sizeof(name), "broker%d", run);
    bench_broker br;
    bench_broker_start(&br, p, name);
    bench_board bd;
    bench_board_start(&bd, p, &br, dir, db, "normal");
    bench_trace tr = {.path = bd.trace};
    int64_t end = bench_now_us() + 30000000;
    while (!tr.first_frame && bench_now_us() < end) {
        bench_trace_poll(&tr);
        bench_sleep_ms(1);
    }
    if (!tr.first_frame)
        bench_die("no first frame (see %s)", bd.log);
    s.first_frame_ms = (double)(tr.first_frame - bd.spawned_us) / 1000.0;
    settle(bd.pid, false, &s);
    if (with_standup) {
        if (!bench_board_wait_online(br.port, 20000))
            bench_die("the board did not come online (see %s)", bd.log);
        struct mosquitto *m = bench_mqtt_connect(br.port, "bench-standup", true);
        long long cpu0 = bench_cpu_us(bd.pid);
        bench_mqtt_publish_wait(m, "teamwall/bench/standup",
                                "{\"action\":\"start\",\"by\":\"bench\"}");
        if (!standup_shown(&tr))
            bench_die("the stand-up did not start (see %s)", bd.log);
        s.su_start_ms = (double)(bench_cpu_us(bd.pid) - cpu0) / 1000.0;
        struct sample su = {0};
        settle(bd.pid, false, &su);
        s.su_steady_mb = su.steady_mb;
        s.su_peak_mb = su.peak_mb;
        bench_mqtt_close(m);
    }
    bench_board_stop(&bd);
    bench_broker_stop(&br);
    bench_trace_free(&tr);
    return s;
}

static const char *find_browser(void)
{
    static const char *const names[] = {"/usr/bin/chromium", "/usr/bin/chromium-browser"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (access(names[i], X_OK) == 0)
            return names[i];
    return NULL;
}

/* Wait for the page's beacon: "GET /paint?t=<epoch ms> ...". */
static int64_t wait_beacon(int ls, int timeout_ms)
{
    struct pollfd pf = {ls, POLLIN, 0};
    int64_t end = bench_now_us() + (int64_t)timeout_ms * 1000;
    while (bench_now_us() < end) {
        if (poll(&pf, 1, 100) <= 0)
            continue;
        int c = accept(ls, NULL, NULL);
        if (c < 0)
            continue;
        char buf[1024];
        ssize_t n = recv(c, buf, sizeof(buf) - 1, 0);
        const char *reply = "HTTP/1.0 204 No Content\r\n\r\n";
        if (send(c, reply, strlen(reply), MSG_NOSIGNAL) < 0) {
            /* The page does not wait for the answer. */
        }
        close(c);
        if (n <= 0)
            continue;
        buf[n] = '\0';
        char *t = strstr(buf, "/paint?t=");
        if (t)
            return (int64_t)(strtod(t + 9, NULL) * 1000.0);
    }
    return 0;
}

static struct sample run_browser(const bench_paths *p, const char *browser, int run)
{
    struct sample s = {0};
    int ls = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(a);
    if (ls < 0 || bind(ls, (struct sockaddr *)&a, sizeof(a)) || listen(ls, 8) ||
        getsockname(ls, (struct sockaddr *)&a, &len))
        bench_die("beacon socket: %s", strerror(errno));
    char url[1200], profile[600], log[600], html[700];
    snprintf(html, sizeof(html), "%s/bench/reference/board.html", p->source_dir);
    char *abs = realpath(html, NULL);
    if (!abs)
        bench_die("no %s", html);
    snprintf(url, sizeof(url), "file://%s?beacon=%d", abs, ntohs(a.sin_port));
    free(abs);
    snprintf(profile, sizeof(profile), "--user-data-dir=%s/chromium%d", p->work, run);
    snprintf(log, sizeof(log), "%s/chromium%d.log", p->work, run);
    char *argv[] = {(char *)browser,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    profile,
                    "--window-size=1920,1080",
                    url,
                    NULL};
    int64_t spawned = bench_now_us();
    pid_t pid = bench_spawn(argv, log);
    int64_t paint = wait_beacon(ls, 60000);
    close(ls);
    if (!paint) {
        bench_stop(pid, 2000);
        bench_die("the page never reported a paint (see %s)", log);
    }
    s.first_frame_ms = (double)(paint - spawned) / 1000.0;
    settle(pid, true, &s);
    bench_stop(pid, 5000);
    return s;
}

static double med(struct sample *v, int n, size_t off)
{
    double x[64];
    for (int i = 0; i < n && i < 64; i++)
        x[i] = *(double *)((char *)&v[i] + off);
    return bench_median(x, (size_t)(n < 64 ? n : 64));
}

int main(int argc, char **argv)
{
    int items = 100000, open_n = 200, runs = 5;
    bool browser_on = true, write_ref = false;
    static const struct option opts[] = {{"items", required_argument, 0, 'n'},
                                         {"open", required_argument, 0, 'o'},
                                         {"runs", required_argument, 0, 'r'},
                                         {"no-browser", no_argument, 0, 'B'},
                                         {"write-reference", no_argument, 0, 'W'},
                                         {"size", required_argument, 0, 's'},
                                         {"language", required_argument, 0, 'L'},
                                         {"standup", no_argument, 0, 'S'},
                                         {0, 0, 0, 0}};
    for (int c; (c = getopt_long(argc, argv, "", opts, NULL)) != -1;) {
        switch (c) {
        case 'n': items = atoi(optarg); break;
        case 'o': open_n = atoi(optarg); break;
        case 'r': runs = atoi(optarg); break;
        case 'B': browser_on = false; break;
        case 'W': write_ref = true; break;
        case 's': setenv("TW_BENCH_SIZE", optarg, 1); break; /* the board's output, WxH */
        case 'L': setenv("TW_BENCH_LANGUAGE", optarg, 1); break;
        case 'S': with_standup = true; break;
        default:
            fprintf(stderr, "usage: footprint [--items N] [--open N] [--runs R] [--no-browser] "
                            "[--size WxH] [--language L] [--standup] | --write-reference\n");
            return 2;
        }
    }
    if (items < 1 || open_n < 1 || open_n > items || runs < 1 || runs > 64)
        bench_die("bad arguments");
    bench_paths p;
    bench_paths_init(&p, "footprint");
    char seed[700];
    snprintf(seed, sizeof(seed), "%s/seed.db", p.work);
    int64_t t0 = bench_now_us();
    if (seed_db(seed, items, open_n))
        bench_die("cannot make the fixture %s", seed);
    double seed_s = (double)(bench_now_us() - t0) / 1e6;
    if (write_ref) {
        char html[700];
        snprintf(html, sizeof(html), "%s/bench/reference/board.html", p.source_dir);
        if (seed_html(seed, html))
            bench_die("cannot write %s", html);
        printf("wrote %s\n", html);
        bench_paths_cleanup(&p);
        return 0;
    }
    char machine[256];
    bench_machine(machine, sizeof(machine));
    const char *size = getenv("TW_BENCH_SIZE");
    printf("# P4 and P6: %d items in history, %d open, %s, %d run(s)\n", items, open_n,
           size && *size ? size : "1920x1080", runs);
    const char *lang = getenv("TW_BENCH_LANGUAGE");
    printf("machine: %s\nlanguage: %s\nfixture made in %.1f s\n\n", machine,
           lang && *lang ? lang : "the board's default (en)", seed_s);

    const char *browser = browser_on ? find_browser() : NULL;
    if (browser_on && !browser)
        printf("no Chromium found (bench/run.sh footprint installs it): reference skipped\n\n");
    struct sample ours[64], ref[64];
    printf("| run | board: first frame ms | peak MB | steady MB | PSS MB | browser: first paint "
           "ms | peak MB | steady MB | PSS MB |\n");
    printf("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (int r = 0; r < runs; r++) {
        ours[r] = run_board(&p, seed, r);
        if (browser)
            ref[r] = run_browser(&p, browser, r);
        printf("| %d | %.0f | %.1f | %.1f | %.1f | ", r + 1, ours[r].first_frame_ms,
               ours[r].peak_mb, ours[r].steady_mb, ours[r].pss_mb);
        if (browser)
            printf("%.0f | %.1f | %.1f | %.1f |\n", ref[r].first_frame_ms, ref[r].peak_mb,
                   ref[r].steady_mb, ref[r].pss_mb);
        else
            printf("- | - | - | - |\n");
        fflush(stdout);
    }
    double ff = med(ours, runs, offsetof(struct sample, first_frame_ms)),
           pk = med(ours, runs, offsetof(struct sample, peak_mb)),
           sd = med(ours, runs, offsetof(struct sample, steady_mb)),
           ps = med(ours, runs, offsetof(struct sample, pss_mb));
    double rff = 0, rpk = 0, rsd = 0, rps = 0;
    if (browser) {
        rff = med(ref, runs, offsetof(struct sample, first_frame_ms));
        rpk = med(ref, runs, offsetof(struct sample, peak_mb));
        rsd = med(ref, runs, offsetof(struct sample, steady_mb));
        rps = med(ref, runs, offsetof(struct sample, pss_mb));
    }
    printf("\n| target (medians) | ours | Chromium headless | ratio | target | met |\n");
    printf("| --- | ---: | ---: | ---: | --- | --- |\n");
    printf("| P4 resident peak (VmHWM; browser: sampled sum of RSS) | %.1f MB | %.1f MB | "
           "%.1fx | <= 40 MB | %s |\n",
           pk, rpk, pk > 0 ? rpk / pk : 0, pk <= 40 ? "yes" : "NO");
    printf("| P4 resident steady (RSS) | %.1f MB | %.1f MB | %.1fx | <= 40 MB | %s |\n", sd, rsd,
           sd > 0 ? rsd / sd : 0, sd <= 40 ? "yes" : "NO");
    printf("| P4 proportional (PSS) | %.1f MB | %.1f MB | %.1fx | - | - |\n", ps, rps,
           ps > 0 ? rps / ps : 0);
    printf("| P6 exec -> first frame (browser: first contentful paint) | %.0f ms | %.0f ms | "
           "%.1fx | <= 250 ms | %s |\n",
           ff, rff, ff > 0 ? rff / ff : 0, ff <= 250 ? "yes" : "NO");
    printf("\n(ratio = browser / board: how many times lighter or faster the board is)\n");
    if (with_standup) {
        printf("\n| run | stand-up start: board CPU ms | steady MB while it shows | over the wall "
               "MB | peak MB |\n| ---: | ---: | ---: | ---: | ---: |\n");
        for (int r = 0; r < runs; r++)
            printf("| %d | %.0f | %.1f | %+.1f | %.1f |\n", r + 1, ours[r].su_start_ms,
                   ours[r].su_steady_mb, ours[r].su_steady_mb - ours[r].steady_mb,
                   ours[r].su_peak_mb);
        printf("| median | %.0f | %.1f | %+.1f | %.1f |\n",
               med(ours, runs, offsetof(struct sample, su_start_ms)),
               med(ours, runs, offsetof(struct sample, su_steady_mb)),
               med(ours, runs, offsetof(struct sample, su_steady_mb)) - sd,
               med(ours, runs, offsetof(struct sample, su_peak_mb)));
    }
    bench_paths_cleanup(&p);
    return 0;
}
