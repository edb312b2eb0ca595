/* SPDX-License-Identifier: MIT */
/*
 * bench/render: the screen's costs against TARGETS.md P3 and P5.
 *
 * P5: one full frame at 1920x1080 with 200 open cards (and the figures
 * strip, the learned line), software renderer, offscreen driver, against
 * clearing and presenting an empty frame of the same size with the same
 * renderer: median time per frame over many frames, instructions per frame
 * (valgrind --tool=callgrind, counted inside the frame loops only), the
 * glyph rasterisations of a redraw whose text did not change (must be 0),
 * and the cards composed in it (0: each one is copied from the cache).
 *
 * P3: the real board (teamwall, headless, offscreen driver: no blocking
 * event wait) with 60 open cards, connected to a broker, nothing arriving,
 * CPU time and wake-ups over 60 s; against the same 60 cards as an HTML page
 * in headless Chromium (bench/seed.c's page), process tree, same 60 s.
 *
 * Prints one table. Never asserts a speed; fails only when something did not
 * run (and when an unchanged redraw rasterised text or composed a card, which
 * is a bug).
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#include <SDL.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common.h"
#include "render.h"
#include "seed.h"
#include "util.h"
#include "wallfix.h"

#define W 1920
#define H 1080

static double mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* ---- P5: frames ---- */

typedef struct p5 {
    wallfix fix;
    tw_ui *ui;
    tw_view view;
    SDL_Window *empty_win;
    SDL_Renderer *empty_r;
} p5;

static void p5_open(p5 *b, const char *work, const char *fonts)
{
    char db[700];
    snprintf(db, sizeof(db), "%s/p5.db", work);
    int64_t now;
    tw_time_parse("2026-11-25T10:00:00Z", &now);
    if (wallfix_open(&b->fix, db, now))
        bench_die("cannot create %s", db);
    wallfix_team(&b->fix, 0); /* four weeks of history: the strip has figures */
    wallfix_many(&b->fix, 200);
    if (b->fix.failures)
        bench_die("the fixture did not build");
    tw_ui_options o = {.width = W, .height = H, .headless = true, .font_dir = fonts};
    if (tw_ui_create(&o, &b->ui))
        bench_die("cannot open the screen");
    b->view = (tw_view){.team = "platform", .now = now, .online = true};
    b->view.board = b->fix.board;
    b->view.figures = tw_digest_figures(b->fix.digest);
    b->view.learned = tw_digest_learned(b->fix.digest, &b->view.n_learned);
    size_t open_cards = tw_board_count(b->fix.board, TW_KIND_COUNT);
    if (open_cards != 200)
        bench_die("fixture has %zu open cards, not 200", open_cards);

    /* The reference: the same driver and renderer, an empty frame. Created
     * after the board's screen, which set the hints (offscreen, software). */
    b->empty_win = SDL_CreateWindow("empty", 0, 0, W, H, 0);
    b->empty_r = b->empty_win ? SDL_CreateRenderer(b->empty_win, -1, SDL_RENDERER_SOFTWARE) : NULL;
    if (!b->empty_r)
        bench_die("no reference renderer: %s", SDL_GetError());
}

static void p5_close(p5 *b)
{
    SDL_DestroyRenderer(b->empty_r);
    SDL_DestroyWindow(b->empty_win);
    tw_ui_destroy(b->ui);
    wallfix_close(&b->fix);
}

/* The measured loops, by name for callgrind's --toggle-collect. */
__attribute__((noinline)) void bench_board_frames(p5 *b, int n, double *ms)
{
    for (int i = 0; i < n; i++) {
        double t = mono_ms();
        tw_ui_render(b->ui, &b->view);
        if (ms)
            ms[i] = mono_ms() - t;
    }
}

__attribute__((noinline)) void bench_empty_frames(p5 *b, int n, double *ms)
{
    for (int i = 0; i < n; i++) {
        double t = mono_ms();
        SDL_SetRenderDrawColor(b->empty_r, 0x0E, 0x11, 0x16, 0xFF);
        SDL_RenderClear(b->empty_r);
        SDL_RenderPresent(b->empty_r);
        if (ms)
            ms[i] = mono_ms() - t;
    }
}

/* Instructions per frame from a callgrind run of this program in child
 * mode; -1 when valgrind is missing or failed. */
static double callgrind_per_frame(const char *self, const char *work, const char *which, int n)
{
    if (access("/usr/bin/valgrind", X_OK) != 0)
        return -1;
    char out[800], toggle[64], frames[16], log[800];
    snprintf(out, sizeof(out), "--callgrind-out-file=%s/callgrind.%s", work, which);
    snprintf(toggle, sizeof(toggle), "--toggle-collect=bench_%s_frames", which);
    snprintf(frames, sizeof(frames), "%d", n);
    snprintf(log, sizeof(log), "%s/callgrind.%s.log", work, which);
    char *argv[] = {"/usr/bin/valgrind",
                    "--tool=callgrind",
                    "--collect-atstart=no",
                    toggle,
                    out,
                    (char *)self,
                    "--callgrind-child",
                    (char *)which,
                    frames,
                    (char *)work,
                    NULL};
    pid_t pid = bench_spawn(argv, log);
    int status = 0;
    if (!bench_wait_exit(pid, 900000, &status) || !WIFEXITED(status) || WEXITSTATUS(status)) {
        fprintf(stderr, "callgrind run for %s failed (see %s)\n", which, log);
        return -1;
    }
    char path[800];
    snprintf(path, sizeof(path), "%s/callgrind.%s", work, which);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[512];
    double total = -1;
    while (fgets(line, sizeof(line), f))
        if (strncmp(line, "totals:", 7) == 0 || strncmp(line, "summary:", 8) == 0)
            total = strtod(strchr(line, ':') + 1, NULL);
    fclose(f);
    return total > 0 ? total / n : -1;
}

/* ---- P3: idle ---- */

/* CPU ticks of pid and all its descendants (Chromium is many processes). */
static long long tree_ticks(pid_t root)
{
    long long total = 0;
    DIR *d = opendir("/proc");
    if (!d)
        return -1;
    for (struct dirent *e; (e = readdir(d));) {
        if (!isdigit((unsigned char)e->d_name[0]))
            continue;
        pid_t pid = (pid_t)atoi(e->d_name);
        for (pid_t p = pid; p > 1; p = bench_parent_of(p)) {
            if (p == root) {
                long long t = bench_cpu_ticks(pid);
                if (t > 0)
                    total += t;
                break;
            }
        }
    }
    closedir(d);
    return total;
}

/* Voluntary context switches of pid: how often it went to sleep and woke. */
static long wakeups(pid_t pid)
{
    return bench_status(pid, "voluntary_ctxt_switches");
}

typedef struct idle {
    double cpu_pct;
    long long ticks; /* clock ticks of CPU time: the measure's resolution */
    long wakeups;
} idle;

static idle measure_idle(pid_t pid, bool tree, int seconds)
{
    idle r = {-1, -1, -1};
    long hz = sysconf(_SC_CLK_TCK);
    long long t0 = tree ? tree_ticks(pid) : bench_cpu_ticks(pid);
    long w0 = wakeups(pid);
    double m0 = mono_ms();
    bench_sleep_ms(seconds * 1000);
    long long t1 = tree ? tree_ticks(pid) : bench_cpu_ticks(pid);
    long w1 = wakeups(pid);
    double secs = (mono_ms() - m0) / 1000.0;
    if (t0 < 0 || t1 < 0)
        return r;
    r.cpu_pct = 100.0 * (double)(t1 - t0) / (double)hz / secs;
    r.ticks = t1 - t0;
    r.wakeups = w0 >= 0 && w1 >= 0 ? w1 - w0 : -1;
    return r;
}

static idle idle_board(const bench_paths *p, int seconds)
{
    char db[700], dir[700];
    snprintf(db, sizeof(db), "%s/p3.db", p->work);
    snprintf(dir, sizeof(dir), "%s/p3", p->work);
    wallfix fx;
    int64_t now = (int64_t)time(NULL);
    if (wallfix_open(&fx, db, now))
        bench_die("cannot create %s", db);
    wallfix_team(&fx, 0);
    wallfix_many(&fx, 60);
    wallfix_close(&fx);

    bench_broker br;
    bench_broker_start(&br, p, "p3-broker");
    bench_board bd;
    bench_board_start(&bd, p, &br, dir, db, "normal");
    if (!bench_board_wait_online(br.port, 30000))
        bench_die("the board did not come online (see %s)", bd.log);
    bench_sleep_ms(5000); /* first frames, the digest, the retained state */
    idle r = measure_idle(bd.pid, false, seconds);
    bench_board_stop(&bd);
    bench_broker_stop(&br);
    return r;
}

static idle idle_browser(const bench_paths *p, int seconds)
{
    idle r = {-1, -1, -1};
    const char *browser = access("/usr/bin/chromium", X_OK) == 0 ? "/usr/bin/chromium" : NULL;
    if (!browser)
        return r;
    char db[700], html[700], url[800], profile[700], log[700];
    snprintf(db, sizeof(db), "%s/p3-page.db", p->work);
    snprintf(html, sizeof(html), "%s/p3.html", p->work);
    if (seed_db(db, 60, 60) || seed_html(db, html))
        bench_die("cannot write the reference page");
    snprintf(url, sizeof(url), "file://%s", html);
    snprintf(profile, sizeof(profile), "--user-data-dir=%s/chromium", p->work);
    snprintf(log, sizeof(log), "%s/chromium.log", p->work);
    char *argv[] = {(char *)browser,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    profile,
                    "--window-size=1920,1080",
                    url,
                    NULL};
    pid_t pid = bench_spawn(argv, log);
    bench_sleep_ms(10000); /* start-up and first paint */
    r = measure_idle(pid, true, seconds);
    bench_stop(pid, 5000);
    return r;
}

/* ---- main ---- */

static void print_row(const char *id, const char *what, const char *ours, const char *ref,
                      const char *ratio, const char *target)
{
    printf("| %-2s | %-58s | %-14s | %-22s | %-7s | %-22s |\n", id, what, ours, ref, ratio, target);
}

static int child(int argc, char **argv)
{
    /* valgrind child: render this many frames of one kind and exit. */
    if (argc < 5)
        return 2;
    const char *which = argv[2], *work = argv[4];
    int n = atoi(argv[3]);
    char fonts[700];
    snprintf(fonts, sizeof(fonts), "%s/assets/fonts", TW_SOURCE_DIR);
    char sub[800];
    snprintf(sub, sizeof(sub), "%s/cg-%s", work, which);
    mkdir(sub, 0755);
    p5 b;
    memset(&b, 0, sizeof(b));
    p5_open(&b, sub, fonts);
    bench_board_frames(&b, 0, NULL);
    tw_ui_render(b.ui, &b.view); /* warm: the text is rasterised, the cache full */
    tw_ui_render(b.ui, &b.view);
    if (strcmp(which, "board") == 0)
        bench_board_frames(&b, n, NULL);
    else
        bench_empty_frames(&b, n, NULL);
    p5_close(&b);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--callgrind-child") == 0)
        return child(argc, argv);
    int frames = 300, seconds = 60, cg_frames = 5;
    bool browser = true, callgrind = true;
    static const struct option opts[] = {{"frames", required_argument, 0, 'f'},
                                         {"idle-seconds", required_argument, 0, 's'},
                                         {"no-browser", no_argument, 0, 'B'},
                                         {"no-callgrind", no_argument, 0, 'C'},
                                         {0, 0, 0, 0}};
    for (int c; (c = getopt_long(argc, argv, "", opts, NULL)) != -1;) {
        switch (c) {
        case 'f': frames = atoi(optarg); break;
        case 's': seconds = atoi(optarg); break;
        case 'B': browser = false; break;
        case 'C': callgrind = false; break;
        default:
            fprintf(stderr, "usage: render [--frames N] [--idle-seconds S] [--no-browser] "
                            "[--no-callgrind]\n");
            return 2;
        }
    }
    if (frames < 10 || frames > 100000 || seconds < 1)
        bench_die("bad arguments");
    setenv("TZ", "UTC", 1);
    tzset();
    bench_paths p;
    bench_paths_init(&p, "render");
    char fonts[700];
    snprintf(fonts, sizeof(fonts), "%s/assets/fonts", p.source_dir);

    /* P5. */
    p5 b;
    memset(&b, 0, sizeof(b));
    p5_open(&b, p.work, fonts);
    double t = mono_ms();
    tw_ui_render(b.ui, &b.view);
    double cold = mono_ms() - t;
    tw_ui_stats s1, s2;
    tw_ui_render(b.ui, &b.view);
    tw_ui_get_stats(b.ui, &s1);
    double *ms = calloc((size_t)frames, sizeof(double));
    double *ref = calloc((size_t)frames, sizeof(double));
    if (!ms || !ref)
        bench_die("out of memory");
    bench_board_frames(&b, frames, ms);
    tw_ui_get_stats(b.ui, &s2);
    bench_empty_frames(&b, frames, ref);
    uint64_t raster = s2.glyph_renders - s1.glyph_renders;
    uint64_t composed = s2.composed - s1.composed;
    double board_ms = bench_median(ms, (size_t)frames),
           empty_ms = bench_median(ref, (size_t)frames);
    double board_p90 = bench_percentile(ms, (size_t)frames, 90);
    int shown = s2.cards_drawn;
    p5_close(&b);
    free(ms);
    free(ref);

    double ir_board = -1, ir_empty = -1;
    if (callgrind && !getenv("ASAN_OPTIONS")) {
        char self[700];
        ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
        if (n > 0) {
            self[n] = '\0';
            ir_board = callgrind_per_frame(self, p.work, "board", cg_frames);
            ir_empty = callgrind_per_frame(self, p.work, "empty", cg_frames);
        }
    }

    /* P3. */
    idle ours = idle_board(&p, seconds);
    idle page = browser ? idle_browser(&p, seconds) : (idle){-1, -1, -1};

    char machine[256];
    bench_machine(machine, sizeof(machine));
    printf("\nbench/render: the screen's costs (TARGETS.md P3, P5)\n%s\n\n", machine);
    print_row("id", "what", "teamwall", "reference", "ratio", "target");
    printf("|----|%.60s|%.16s|%.24s|%.9s|%.24s|\n",
           "------------------------------------------------------------", "----------------",
           "------------------------", "---------", "------------------------");
    char a[64], r[64], q[32];
    snprintf(a, sizeof(a), "%.2f ms", board_ms);
    snprintf(r, sizeof(r), "%.2f ms (clear+present)", empty_ms);
    snprintf(q, sizeof(q), "%.2fx", board_ms / empty_ms);
    char what[96];
    snprintf(what, sizeof(what), "frame 1920x1080, 200 cards (%d shown), median of %d", shown,
             frames);
    print_row("P5", what, a, r, q, "<= 1.5x, <= 5 ms");
    snprintf(a, sizeof(a), "%.2f ms", board_p90);
    print_row("P5", "frame, 90th percentile", a, "", "", "");
    snprintf(a, sizeof(a), "%.1f ms", cold);
    print_row("P5", "first frame (all text rasterised)", a, "", "", "once");
    if (ir_board > 0 && ir_empty > 0) {
        snprintf(a, sizeof(a), "%.2f M", ir_board / 1e6);
        snprintf(r, sizeof(r), "%.2f M", ir_empty / 1e6);
        snprintf(q, sizeof(q), "%.2fx", ir_board / ir_empty);
        print_row("P5", "instructions per frame (callgrind)", a, r, q, "reported");
    } else {
        print_row("P5", "instructions per frame (callgrind)", "n/a", "n/a", "", "reported");
    }
    snprintf(a, sizeof(a), "%llu", (unsigned long long)raster);
    snprintf(what, sizeof(what), "glyph rasterisations in %d unchanged redraws", frames);
    print_row("P5", what, a, "", "", "0");
    snprintf(a, sizeof(a), "%llu", (unsigned long long)composed);
    snprintf(what, sizeof(what), "cards composed in %d unchanged redraws", frames);
    print_row("P5", what, a, "", "", "0");
    /* CPU time comes in clock ticks (10 ms at 100 Hz): 0 ticks in 60 s means
     * less than 0.017 %, and the table says so. */
    snprintf(a, sizeof(a), "%.3f %% (%lld tick%s)", ours.cpu_pct, ours.ticks,
             ours.ticks == 1 ? "" : "s");
    if (page.cpu_pct >= 0) {
        snprintf(r, sizeof(r), "%.3f %% (Chromium)", page.cpu_pct);
        if (ours.cpu_pct > 0)
            snprintf(q, sizeof(q), "1/%.0f", page.cpu_pct / ours.cpu_pct);
        else
            snprintf(q, sizeof(q), "-");
    } else {
        snprintf(r, sizeof(r), "not run");
        q[0] = '\0';
    }
    snprintf(what, sizeof(what), "idle CPU, 60 cards, %d s, offscreen driver", seconds);
    print_row("P3", what, a, r, q, "<= 0.5 % of one core");
    snprintf(a, sizeof(a), "%ld", ours.wakeups);
    snprintf(what, sizeof(what), "wake-ups (voluntary context switches) in %d s", seconds);
    print_row("P3", what, a, "", "", "");
    bench_paths_cleanup(&p);
    if (raster != 0) {
        fprintf(stderr, "an unchanged redraw rasterised text: that is a bug\n");
        return 1;
    }
    if (composed != 0) {
        fprintf(stderr, "an unchanged redraw composed a card again: that is a bug\n");
        return 1;
    }
    return 0;
}
