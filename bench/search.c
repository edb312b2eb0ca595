/* SPDX-License-Identifier: MIT */
/*
 * bench/search (TARGETS.md P7): `teamwall-ctl search` over 100,000 items,
 * against grep over the same texts exported to a file. The fixture is the
 * footprint's (bench/seed.c: 100,000 items in the history, resolved ones
 * with notes on every other one); the file is what `teamwall-ctl export
 * --all --format csv` writes of it. Each search is a whole process, exec to
 * exit, as a person at a terminal waits for it: teamwall-ctl opens the
 * database, searches and prints the best 20; grep -i reads the whole file
 * and prints every matching line (to /dev/null for both). Two words: a rare
 * one ("ldap", in 1 note in 997) and a common one ("vpn", in about a third
 * of the texts).
 *
 * Usage: search [--items N] [--runs R]
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"
#include "seed.h"

#ifndef TW_BENCH_CTL
#define TW_BENCH_CTL "teamwall-ctl"
#endif

/* Milliseconds from exec to exit of argv, output to out (a path). */
static double run_ms(char *const argv[], const char *out)
{
    unlink(out); /* bench_spawn appends */
    int64_t t0 = bench_now_us();
    pid_t pid = bench_spawn(argv, out);
    int st;
    if (!bench_wait_exit(pid, 60000, &st))
        bench_die("%s did not finish", argv[0]);
    double ms = (double)(bench_now_us() - t0) / 1000.0;
    /* grep exits 1 when nothing matched: not a failure here */
    if (!WIFEXITED(st) || WEXITSTATUS(st) > 1)
        bench_die("%s failed (status %d; see %s)", argv[0], st, out);
    return ms;
}

static long count_lines(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    long n = 0;
    for (int c; (c = fgetc(f)) != EOF;)
        n += c == '\n';
    fclose(f);
    return n;
}

int main(int argc, char **argv)
{
    int items = 100000, runs = 21;
    static const struct option opts[] = {
        {"items", required_argument, 0, 'n'}, {"runs", required_argument, 0, 'r'}, {0, 0, 0, 0}};
    for (int c; (c = getopt_long(argc, argv, "", opts, NULL)) != -1;) {
        switch (c) {
        case 'n': items = atoi(optarg); break;
        case 'r': runs = atoi(optarg); break;
        default: fprintf(stderr, "usage: search [--items N] [--runs R]\n"); return 2;
        }
    }
    if (items < 1000 || runs < 1 || runs > 1000)
        bench_die("bad arguments");
    bench_paths p;
    bench_paths_init(&p, "search");
    const char *ctl = getenv("TW_BENCH_CTL") ? getenv("TW_BENCH_CTL") : TW_BENCH_CTL;
    char db[700], csv[700], out[700], machine[256];
    snprintf(db, sizeof(db), "%s/board.db", p.work);
    snprintf(csv, sizeof(csv), "%s/items.csv", p.work);
    snprintf(out, sizeof(out), "%s/out", p.work);
    bench_machine(machine, sizeof(machine));
    int64_t t0 = bench_now_us();
    if (seed_db(db, items, 200))
        bench_die("cannot make the fixture %s", db);
    printf("# P7 search: %d items, %d runs of each\nmachine: %s\nfixture made in %.1f s\n\n", items,
           runs, machine, (double)(bench_now_us() - t0) / 1e6);

    char *export_argv[] = {(char *)ctl, "--db", db, "export", "--all", "--format", "csv", NULL};
    run_ms(export_argv, csv);
    struct stat sb;
    stat(csv, &sb);
    printf("exported with `teamwall-ctl export --all --format csv`: %ld lines, %.1f MB\n\n",
           count_lines(csv) - 1, (double)sb.st_size / 1e6);

    static const char *const words[] = {"ldap", "vpn"};
    printf("| word | teamwall-ctl search: found | median ms | p90 ms | grep -i: lines | median ms "
           "| p90 ms | ratio | target | met |\n");
    printf("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |\n");
    double *a = calloc((size_t)runs, sizeof(double)), *b = calloc((size_t)runs, sizeof(double));
    for (size_t w = 0; w < sizeof(words) / sizeof(words[0]); w++) {
        char *s_argv[] = {(char *)ctl, "--db", db, "search", (char *)words[w], NULL};
        char *g_argv[] = {"grep", "-i", (char *)words[w], csv, NULL};
        long found = 0, lines = 0;
        for (int r = 0; r < runs; r++) { /* alternate, so both see the same machine */
            a[r] = run_ms(s_argv, out);
            found = count_lines(out);
            b[r] = run_ms(g_argv, out);
            lines = count_lines(out);
        }
        double am = bench_median(a, (size_t)runs), ap = bench_percentile(a, (size_t)runs, 90),
               bm = bench_median(b, (size_t)runs), bp = bench_percentile(b, (size_t)runs, 90);
        printf("| %s | %ld lines | %.1f | %.1f | %ld | %.1f | %.1f | %.2fx | <= 20 ms | %s |\n",
               words[w], found, am, ap, lines, bm, bp, am / bm, am <= 20 ? "yes" : "NO");
    }
    printf("\n(ratio = teamwall-ctl / grep; search prints the best 20 matches, grep every "
           "matching line)\n");
    free(a);
    free(b);
    bench_paths_cleanup(&p);
    return 0; /* a slow search is a figure, not a failure */
}
