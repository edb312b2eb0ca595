/* SPDX-License-Identifier: MIT */
/*
 * S2: a replaced Pi catches up. A peer board holds a team's history (the
 * footprint fixture: --items items over 400 days, --open of them open, its
 * change log as a migrated store has it); a board with an empty store starts
 * on the same broker and asks it. Measured per run: from the new board's
 * start until every open item is in its store (on the wall), until the
 * whole history is (its log says "caught up" and the count matches), and
 * the CPU time the peer spent answering. Prints a table; fails only when
 * the catch-up does not complete.
 */
#define _POSIX_C_SOURCE 200809L
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "seed.h"

static int64_t query(const char *db, const char *sql)
{
    sqlite3 *d;
    sqlite3_stmt *st;
    int64_t v = -1;
    if (sqlite3_open_v2(db, &d, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
        sqlite3_busy_timeout(d, 200);
        if (sqlite3_prepare_v2(d, sql, -1, &st, NULL) == SQLITE_OK) {
            if (sqlite3_step(st) == SQLITE_ROW)
                v = sqlite3_column_int64(st, 0);
            sqlite3_finalize(st);
        }
    }
    sqlite3_close(d);
    return v;
}

static bool log_has(const char *path, const char *what)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    char line[1024];
    bool found = false;
    while (!found && fgets(line, sizeof(line), f))
        found = strstr(line, what) != NULL;
    fclose(f);
    return found;
}

static pid_t board(const bench_paths *p, const bench_broker *b, const char *name, const char *db,
                   const char *conf, const char *log)
{
    char url[64];
    snprintf(url, sizeof(url), "mqtt://127.0.0.1:%d", b->port);
    char *argv[] = {(char *)p->teamwall,
                    "--config",
                    (char *)conf,
                    "--broker",
                    url,
                    "--team",
                    "bench",
                    "--board",
                    (char *)name,
                    "--db",
                    (char *)db,
                    "--headless",
                    "--size",
                    "800x480",
                    NULL};
    return bench_spawn(argv, log);
}

int main(int argc, char **argv)
{
    int items = 100000, open = 300, runs = 3, pace = 20, page = 500;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--items"))
            items = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--open"))
            open = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--runs"))
            runs = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--pace"))
            pace = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--page"))
            page = atoi(argv[i + 1]);
    }
    bench_paths p;
    bench_paths_init(&p, "sync");
    char peer_db[700], fresh_db[700], conf[700], peer_log[700], fresh_log[700];
    snprintf(peer_db, sizeof(peer_db), "%s/peer.db", p.work);
    snprintf(fresh_db, sizeof(fresh_db), "%s/fresh.db", p.work);
    snprintf(conf, sizeof(conf), "%s/sync.conf", p.work);
    snprintf(peer_log, sizeof(peer_log), "%s/peer.log", p.work);
    FILE *f = fopen(conf, "w");
    if (!f)
        bench_die("cannot write %s", conf);
    fprintf(f, "[sync]\npace_ms = %d\npage_items = %d\n", pace, page);
    fclose(f);

    int64_t t = bench_now_us();
    if (seed_db(peer_db, items, open))
        bench_die("seeding %s failed", peer_db);
    /* The change log a store migrated to schema 5 has: its history. */
    sqlite3 *d;
    if (sqlite3_open(peer_db, &d) != SQLITE_OK ||
        sqlite3_exec(d,
                     "INSERT INTO ops (id, item_id, action, ts, actor, source, note, received) "
                     "SELECT 'h-' || seq, item_id, action, at, actor, source, "
                     "coalesce(detail, ''), at FROM history WHERE action IN ('claim', 'resolve', "
                     "'reopen')",
                     NULL, NULL, NULL) != SQLITE_OK)
        bench_die("backfilling the change log failed");
    sqlite3_close(d);
    printf("fixture: %d items (%d open), seeded in %.1f s\n", items, open,
           (double)(bench_now_us() - t) / 1e6);
    int64_t want_ops = query(peer_db, "SELECT count(*) FROM ops");

    bench_broker b;
    bench_broker_start(&b, &p, "broker");
    pid_t peer = board(&p, &b, "peer", peer_db, conf, peer_log);
    for (int i = 0; i < 300 && !log_has(peer_log, "connected to"); i++)
        bench_sleep_ms(100);
    if (!log_has(peer_log, "connected to"))
        bench_die("the peer board did not connect (see %s)", peer_log);
    bench_sleep_ms(500);

    char machine[256];
    bench_machine(machine, sizeof(machine));
    printf("machine: %s\n", machine);
    printf("page %d items, pace %d ms\n\n", page, pace);
    printf("%-4s %12s %12s %10s %12s %10s %10s\n", "run", "open (s)", "all (s)", "items", "changes",
           "peer CPU s", "new CPU s");
    double *all = calloc((size_t)runs, sizeof(double)),
           *opened = calloc((size_t)runs, sizeof(double));
    int failed = 0;
    for (int r = 0; r < runs; r++) {
        unlink(fresh_db);
        char side[760];
        snprintf(side, sizeof(side), "%s-wal", fresh_db);
        unlink(side);
        snprintf(side, sizeof(side), "%s-shm", fresh_db);
        unlink(side);
        snprintf(fresh_log, sizeof(fresh_log), "%s/fresh-%d.log", p.work, r);
        char name[32];
        snprintf(name, sizeof(name), "wall%d", r + 3); /* a new Pi: a new session */
        long long cpu0 = bench_cpu_us(peer);
        int64_t t0 = bench_now_us();
        pid_t fresh = board(&p, &b, name, fresh_db, conf, fresh_log);
        int64_t t_open = 0, t_all = 0;
        while (bench_now_us() - t0 < 120 * 1000000LL) {
            if (!t_open &&
                query(fresh_db, "SELECT count(*) FROM items WHERE state <> 'resolved'") == open)
                t_open = bench_now_us();
            /* The line is logged as the last page is applied, just before
             * its commit: the count settles right after. */
            if (log_has(fresh_log, "caught up from peer") &&
                query(fresh_db, "SELECT count(*) FROM items") == items) {
                t_all = bench_now_us();
                if (!t_open)
                    t_open = t_all;
                break;
            }
            bench_sleep_ms(50);
        }
        long long cpu = bench_cpu_us(peer) - cpu0, cpu_new = bench_cpu_us(fresh);
        int64_t got = query(fresh_db, "SELECT count(*) FROM items");
        int64_t got_ops = query(fresh_db, "SELECT count(*) FROM ops");
        bench_stop(fresh, 5000);
        opened[r] = (double)(t_open - t0) / 1e6;
        all[r] = t_all ? (double)(t_all - t0) / 1e6 : -1;
        printf("%-4d %12.2f %12.2f %10lld %12lld %10.2f %10.2f\n", r + 1, opened[r], all[r],
               (long long)got, (long long)got_ops, (double)cpu / 1e6, (double)cpu_new / 1e6);
        if (!t_all || got != items || got_ops != want_ops)
            failed++;
    }
    if (runs > 0)
        printf("\nmedian: on the wall %.2f s, whole history %.2f s (TARGETS.md S2: 30 s)\n",
               bench_median(opened, (size_t)runs), bench_median(all, (size_t)runs));
    bench_stop(peer, 5000);
    bench_broker_stop(&b);
    if (!failed)
        bench_paths_cleanup(&p);
    else
        printf("files kept in %s\n", p.work);
    free(all);
    free(opened);
    return failed ? 1 : 0;
}
