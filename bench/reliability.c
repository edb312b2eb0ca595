/* SPDX-License-Identifier: MIT */
/*
 * bench/reliability (TARGETS.md R1 and R6): what the board keeps through a
 * crash and through a long life, on a private mosquitto with teamwall's
 * config and the real board, like bench/ingest.
 *
 * --r1: four publishers (bench/common.c) send a burst of N (10,000) QoS 1
 * posts with ids. Once about a third of them are committed (read from the
 * database: the trace is written only when a frame is presented, five times
 * a second in a flood, too coarse for a small burst), the board gets
 * SIGKILL and is started again on the same database and broker; its
 * persistent session brings what it had not acknowledged. When every post
 * is committed and a probe published after the burst has come through (so
 * the session's queue is drained), the database must hold every id once:
 * 0 lost, 0 duplicated ('post' history rows per id, items per text).
 *
 * --r6: N (1,000,000) posts and N resolves of the same ids through one
 * board, in waves: after the first 10,000 items (posted and resolved) and
 * then every 10 % of N, the bench waits until the trace shows every command
 * committed and reads the board's VmRSS, then again R6_REST_MS later, when
 * the board is quiet (at rest: what it holds between bursts; the first
 * reading is mid-flood, with a busy board's composed cards and batch
 * buffers, so it moves with the moment). Within a wave each publisher posts
 * its items and resolves each one `--open` posts later, so the open set
 * stays small (about P x open items), as a team's would. A QoS 1
 * subscriber counts the board's events (as the chat bridge would take
 * them, a batch's members each), so each sample also shows how many the board has committed but not
 * yet published; a last sample is taken once every event is out. --drain
 * makes each wave wait for its events first, which tells that backlog apart
 * from anything else that grows. Target: VmRSS at rest grows < 2 MB after
 * the first 10,000 (at every sample); every item must be stored and
 * resolved, every event received.
 *
 * Both exit non-zero when something was lost, duplicated or left open;
 * memory over its target prints NO but is not a failure of the bench.
 *
 * Usage: reliability --r1 [--count N] [--runs R] [--kill-at F]
 *        reliability --r6 [--count N] [--open L] [--drain]
 *        both: [--publishers P] [--window W]
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <mosquitto.h>
#include <signal.h>
#include <stdatomic.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

/* ---- the database, read while the board runs (WAL) or after ---- */

static sqlite3 *db_open(const char *path)
{
    sqlite3 *s = NULL;
    if (sqlite3_open_v2(path, &s, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        bench_die("cannot open %s: %s", path, s ? sqlite3_errmsg(s) : "out of memory");
    sqlite3_busy_timeout(s, 5000);
    return s;
}

static sqlite3_stmt *db_prepare(sqlite3 *s, const char *sql)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s, sql, -1, &st, NULL) != SQLITE_OK)
        bench_die("%s: %s", sql, sqlite3_errmsg(s));
    return st;
}

/* The first column of the first row of st as an integer, st reset for the
 * next call; -1 when the step failed (a busy file). */
static long db_long(sqlite3_stmt *st)
{
    long v = sqlite3_step(st) == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : -1;
    sqlite3_reset(st);
    return v;
}

static long db_query(sqlite3 *s, const char *sql)
{
    sqlite3_stmt *st = db_prepare(s, sql);
    long v = db_long(st);
    sqlite3_finalize(st);
    return v;
}

/* Bytes of the database and its WAL. */
static long long db_bytes(const char *path)
{
    char wal[720];
    struct stat a, b;
    snprintf(wal, sizeof(wal), "%s-wal", path);
    long long n = stat(path, &a) == 0 ? (long long)a.st_size : 0;
    if (stat(wal, &b) == 0)
        n += (long long)b.st_size;
    return n;
}

/* Start the board on broker/db, wait until it is online and has drawn a
 * probe post (connected, subscribed, its persistent session made). */
static void board_up(bench_board *bd, const bench_paths *p, const bench_broker *br, const char *dir,
                     const char *db, const char *probe)
{
    bench_board_start(bd, p, br, dir, db, "normal");
    if (!bench_board_wait_online(br->port, 20000))
        bench_die("the board did not come online (see %s)", bd->log);
    struct mosquitto *m = bench_mqtt_connect(br->port, "bench-probe", true);
    bench_trace tr = {.path = bd->trace};
    if (!bench_board_probe(m, &tr, probe, 20000))
        bench_die("the board never showed the probe (see %s)", bd->log);
    bench_mqtt_close(m);
    bench_trace_free(&tr);
}

/* ---- R1: kill -9 mid-burst ---- */

struct r1_run {
    long acked_at_kill, committed_at_kill, stored, lost, dup_ids, dup_items, post_rows;
    double recover_s; /* restart -> every post committed */
    bool killed_mid_burst, drained;
};

static struct r1_run r1_once(const bench_paths *p, int run, int count, int publishers, int window,
                             double kill_at)
{
    struct r1_run r = {0};
    char name[32], dir[700], db[700];
    snprintf(name, sizeof(name), "r1-%d", run);
    bench_broker br;
    bench_broker_start(&br, p, name);
    snprintf(dir, sizeof(dir), "%s/board", br.dir);
    snprintf(db, sizeof(db), "%s/board.db", br.dir);
    bench_board bd;
    board_up(&bd, p, &br, dir, db, "probe-0");

    /* ids "r1-<p>-<i>": the range ['r1-', 'r1.') on items' UNIQUE(id) index. */
    static const char *const count_sql =
        "SELECT count(*) FROM items WHERE id >= 'r1-' AND id < 'r1.'";
    sqlite3 *s = db_open(db);
    sqlite3_stmt *cnt = db_prepare(s, count_sql);
    bench_posts posts = {
        .prefix = "r1", .label = "Crash", .count = count, .publishers = publishers};
    bench_publishers *pub =
        bench_publish_start(br.port, publishers, window, bench_make_post, &posts);
    long want = (long)(kill_at * count);
    if (want < 1)
        want = 1;
    int64_t end = bench_now_us() + 120 * 1000000LL;
    for (;;) {
        long n = db_long(cnt);
        if (n >= want)
            break;
        if (bench_now_us() > end)
            bench_die("only %ld of %d posts committed after 120 s (see %s)", n, count, bd.log);
        bench_sleep_ms(1);
    }
    /* The whole process group: under TW_BENCH_WRAP the board is a child. */
    kill(-bd.pid, SIGKILL);
    int st = 0;
    if (!bench_wait_exit(bd.pid, 10000, &st))
        bench_die("the board survived SIGKILL");
    bd.pid = 0;
    if (!WIFSIGNALED(st) || WTERMSIG(st) != SIGKILL)
        fprintf(stderr, "bench: the board ended otherwise than by SIGKILL (status %d)\n", st);
    r.acked_at_kill = bench_publish_acked(pub);
    r.committed_at_kill = db_long(cnt); /* exact: nobody writes now */
    r.killed_mid_burst = r.committed_at_kill < count;
    sqlite3_finalize(cnt);
    sqlite3_close(s);

    /* Same database, same client id, same broker: as systemd's restart would. */
    int64_t restart = bench_now_us();
    bench_board_start(&bd, p, &br, dir, db, "normal");
    bench_publish_join(pub);
    s = db_open(db);
    cnt = db_prepare(s, count_sql);
    end = bench_now_us() + 300 * 1000000LL;
    long n;
    while ((n = db_long(cnt)) < count && bench_now_us() < end)
        bench_sleep_ms(5);
    r.recover_s = (double)(bench_now_us() - restart) / 1e6;
    if (n < count)
        fprintf(stderr, "bench: only %ld of %d posts committed 300 s after the restart (see %s)\n",
                n, count, bd.log);
    sqlite3_finalize(cnt);
    sqlite3_close(s);

    /* A probe published after the burst reaches the board after everything
     * queued before it, redeliveries included: then nothing is left to come. */
    struct mosquitto *m = bench_mqtt_connect(br.port, "bench-probe", true);
    bench_trace tr = {.path = bd.trace};
    r.drained = bench_board_probe(m, &tr, "probe-1", 60000);
    if (!r.drained)
        fprintf(stderr, "bench: the probe after the burst never showed (see %s)\n", bd.log);
    bench_mqtt_close(m);
    bench_trace_free(&tr);
    bench_board_stop(&bd);
    bench_broker_stop(&br);

    s = db_open(db);
    sqlite3_stmt *get = db_prepare(s, "SELECT count(*) FROM items WHERE id = ?");
    for (int pi = 0; pi < publishers; pi++)
        for (int i = 0; i < bench_posts_share(&posts, pi); i++) {
            char id[64];
            snprintf(id, sizeof(id), "r1-%d-%d", pi, i);
            sqlite3_bind_text(get, 1, id, -1, SQLITE_TRANSIENT);
            if (db_long(get) == 1)
                r.stored++;
            else
                r.lost++;
        }
    sqlite3_finalize(get);
    r.dup_ids = db_query(s, "SELECT count(*) FROM (SELECT item_id FROM history WHERE action = "
                            "'post' AND item_id >= 'r1-' AND item_id < 'r1.' GROUP BY item_id "
                            "HAVING count(*) > 1)");
    r.post_rows = db_query(s, "SELECT count(*) FROM history WHERE action = 'post' AND "
                              "item_id >= 'r1-' AND item_id < 'r1.'");
    /* The same post under another id (the text names publisher and number). */
    r.dup_items = db_query(s, "SELECT count(*) - count(DISTINCT text) FROM items WHERE text LIKE "
                              "'Crash post %'") +
                  db_query(s, "SELECT count(*) FROM items WHERE text LIKE 'Crash post %' AND "
                              "NOT (id >= 'r1-' AND id < 'r1.')");
    sqlite3_close(s);
    return r;
}

static int r1(const bench_paths *p, int count, int publishers, int window, int runs, double kill_at)
{
    printf("# R1: kill -9 of the board during a burst of %d QoS 1 posts with ids from %d "
           "publishers, then restart\n\n",
           count, publishers);
    printf("| run | acked by the broker at the kill | committed at the kill | committed after "
           "the restart | restart -> all committed | stored | lost | duplicated ids | "
           "duplicated items |\n");
    printf("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    long lost = 0, dup = 0, stored = 0;
    bool all_mid = true, all_drained = true;
    for (int run = 0; run < runs; run++) {
        struct r1_run r = r1_once(p, run, count, publishers, window, kill_at);
        printf("| %d | %ld | %ld | %ld | %.2f s | %ld | %ld | %ld | %ld |\n", run + 1,
               r.acked_at_kill, r.committed_at_kill, r.stored - r.committed_at_kill, r.recover_s,
               r.stored, r.lost, r.dup_ids, r.dup_items);
        fflush(stdout);
        lost += r.lost;
        dup += r.dup_ids + r.dup_items + (r.post_rows - r.stored > 0 ? r.post_rows - r.stored : 0);
        stored += r.stored;
        all_mid = all_mid && r.killed_mid_burst;
        all_drained = all_drained && r.drained;
    }
    printf("\n| R1 (all runs) | measured | target | met |\n| --- | ---: | --- | --- |\n");
    printf("| lost (ids not stored) | %ld of %ld | 0 | %s |\n", lost, (long)count * runs,
           lost == 0 ? "yes" : "NO");
    printf("| duplicated (ids with > 1 'post' row, posts stored twice) | %ld | 0 | %s |\n", dup,
           dup == 0 ? "yes" : "NO");
    if (!all_mid)
        printf("\nnote: a kill came after the last commit, so nothing was in flight then; use "
               "a larger --count or a smaller --kill-at\n");
    if (!all_drained)
        printf("\nnote: the probe after a burst never came through: duplicates arriving later "
               "would not have been seen\n");
    return lost || dup || !all_drained ? 1 : 0;
}

/* ---- R6: a million posts and resolves ---- */

/* A wave: items [start, end); item k is "r6-<k>", publisher k % P's. */
struct r6_wave {
    int publishers, open, start, end;
};

/* Publisher p's items in the wave: first, first + P, ... (m of them). */
static int wave_items(const struct r6_wave *w, int p, int *first)
{
    int P = w->publishers;
    *first = w->start + ((p - w->start % P) % P + P) % P;
    return *first < w->end ? (w->end - 1 - *first) / P + 1 : 0;
}

/* Message i of publisher p: its first `open` items posted, then a post and
 * the resolve of the item posted `open` before, then the last resolves:
 * every resolve follows its post from the same connection (the broker keeps
 * one publisher's order), `open` posts later. */
static bool r6_make(void *ctx, int p, int i, const char **topic, char *buf, size_t size)
{
    static const char *const kinds[] = {"blocker", "question", "win"};
    const struct r6_wave *w = ctx;
    int first, m = wave_items(w, p, &first);
    int a = m < w->open ? m : w->open;
    int j;
    bool post;
    if (i >= 2 * m)
        return false;
    if (i < a) {
        post = true, j = i;
    } else if (i < a + 2 * (m - a)) {
        int q = i - a;
        post = q % 2 == 0;
        j = post ? a + q / 2 : q / 2;
    } else {
        post = false, j = m - a + (i - a - 2 * (m - a));
    }
    int k = first + j * w->publishers;
    if (post) {
        *topic = BENCH_TOPIC_POST;
        snprintf(buf, size,
                 "{\"kind\":\"%s\",\"text\":\"Reliability post %d: the nightly build of "
                 "service %d needs a look\",\"author\":\"pub%d\",\"id\":\"r6-%d\"}",
                 kinds[k % 3], k, k % 97, p, k);
    } else if (k % 2) {
        *topic = BENCH_TOPIC_RESOLVE;
        snprintf(buf, size, "{\"ref\":\"r6-%d\",\"by\":\"pub%d\",\"note\":\"Fixed in build %d\"}",
                 k, p, k);
    } else {
        *topic = BENCH_TOPIC_RESOLVE;
        snprintf(buf, size, "{\"ref\":\"r6-%d\",\"by\":\"pub%d\"}", k, p);
    }
    return true;
}

/* Follow the trace until it shows `want` r6 commands committed in all;
 * *seen counts across calls. The records are dropped once counted: a
 * million lines would not fit the bench's own memory budget. */
static bool wait_commands(bench_trace *tr, long want, long *seen, int timeout_s)
{
    int64_t end = bench_now_us() + (int64_t)timeout_s * 1000000;
    while (*seen < want) {
        bench_trace_poll(tr);
        for (size_t i = 0; i < tr->n; i++)
            if (strncmp(tr->items[i].id, "r6-", 3) == 0 && tr->items[i].committed)
                (*seen)++;
        tr->n = 0;
        if (*seen >= want)
            break;
        if (bench_now_us() > end)
            return false;
        bench_sleep_ms(20);
    }
    return true;
}

/* The board's events, counted by a QoS 1 subscriber (as the chat bridge's
 * persistent session would take them): the board publishes one per change
 * after its commit (several of a pass in one batch message), so committed changes minus events
 * received is what is pending: mostly still in the board's memory, waiting to be published. */
static atomic_long events_received;

/* How many events a message carries: one, or a batch's members
 * ({"event":"batch","events":[{"event":…},…]}, a pass that committed
 * several). Counted by their opening bytes, which only an event's object
 * has: inside a JSON string the quotes would be escaped. */
static long events_in(const struct mosquitto_message *msg)
{
    static const char batch[] = "{\"event\":\"batch\",", open[] = "{\"event\":\"";
    const char *p = msg->payload;
    size_t len = (size_t)msg->payloadlen, n = sizeof open - 1;
    if (len < sizeof batch - 1 || memcmp(p, batch, sizeof batch - 1) != 0)
        return 1;
    long count = 0;
    for (size_t i = sizeof batch - 1; i + n <= len; i++)
        if (p[i] == '{' && memcmp(p + i, open, n) == 0)
            count++;
    return count;
}

static void on_event(struct mosquitto *m, void *obj, const struct mosquitto_message *msg)
{
    (void)m;
    (void)obj;
    atomic_fetch_add_explicit(&events_received, events_in(msg), memory_order_relaxed);
}

static struct mosquitto *events_start(int port)
{
    struct mosquitto *m = bench_mqtt_connect(port, "bench-events", true);
    mosquitto_message_callback_set(m, on_event);
    if (mosquitto_subscribe(m, NULL, BENCH_TOPIC_EVENTS, 1))
        bench_die("cannot subscribe to the events");
    for (int i = 0; i < 20; i++)
        mosquitto_loop(m, 10, 1); /* the SUBACK */
    if (mosquitto_loop_start(m))
        bench_die("mosquitto_loop_start failed");
    return m;
}

static void events_stop(struct mosquitto *m)
{
    mosquitto_disconnect(m);
    mosquitto_loop_stop(m, false);
    bench_mqtt_close(m);
}

struct r6_sample {
    const char *label; /* NULL: the row is labelled with items */
    long items, pending;
    long rss, anon, file, shmem, hwm;  /* kB */
    long rest;                         /* VmRSS kB R6_REST_MS after the sample: the board quiet */
    long rest_anon, rest_heap;         /* RssAnon, the [heap] mapping's Rss then */
    long long composed, rest_composed; /* bytes of composed regions (the board's trace) */
    long long rest_sqlcache;           /* SQLite's page cache then (the board's trace) */
    long long rest_text;               /* the text cache's textures then (the board's trace) */
    long long db;
    double at_s, rate;
};

static double mb(long kb)
{
    return (double)kb / 1024.0;
}

/* After a wave the board goes quiet: 500 ms after its last work it frees
 * what only a busy board needs (the composed cards) and gives the free
 * pages back (firmware/heap.c). This long after the last commit of a wave
 * it has. */
#define R6_REST_MS 1500

static void r6_sample_take(struct r6_sample *s, pid_t board, const char *db, long items)
{
    s->items = items;
    s->pending = 2 * items - atomic_load(&events_received);
    s->rss = bench_rss_kb(board);
    s->anon = bench_status(board, "RssAnon");
    s->file = bench_status(board, "RssFile");
    s->shmem = bench_status(board, "RssShmem");
    s->hwm = bench_hwm_kb(board);
    s->db = db_bytes(db);
}

/* The rest reading, R6_REST_MS after the sample. */
static void r6_rest_take(struct r6_sample *s, pid_t board, bench_trace *tr)
{
    s->rest = bench_rss_kb(board);
    s->rest_anon = bench_status(board, "RssAnon");
    s->rest_heap = bench_heap_rss_kb(board);
    bench_trace_poll(tr);
    tr->n = 0;
    s->rest_composed = tr->composed;
    s->rest_sqlcache = tr->sqlcache;
    s->rest_text = tr->textcache;
}

static void r6_sample_print(const struct r6_sample *s, const struct r6_sample *base)
{
    char label[64], rate[32] = "-";
    if (s->label)
        snprintf(label, sizeof(label), "%s", s->label);
    else
        snprintf(label, sizeof(label), "%ld", s->items);
    if (s->rate > 0)
        snprintf(rate, sizeof(rate), "%.0f", s->rate);
    printf("| %s | %.2f | %+.2f | %.2f | %.2f | %+.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | "
           "%.2f | %.2f | %.2f | %ld | %.0f | %.0f | %s |\n",
           label, mb(s->rss), mb(s->rss - base->rss), (double)s->composed / 1048576.0, mb(s->rest),
           mb(s->rest - base->rest), (double)s->rest_composed / 1048576.0,
           (double)s->rest_text / 1048576.0, (double)s->rest_sqlcache / 1048576.0, mb(s->rest_anon),
           mb(s->rest_heap), mb(s->anon), mb(s->file), mb(s->shmem), mb(s->hwm), s->pending,
           (double)s->db / 1e6, s->at_s, rate);
    fflush(stdout);
}

static int r6(const bench_paths *p, int count, int publishers, int window, int open, bool drain)
{
    printf("# R6: %d posts and %d resolves through one board, %d publishers (window %d), "
           "each resolved %d posts later%s\n\n",
           count, count, publishers, window, open,
           drain ? "; each wave waits until every event is out" : "");
    bench_broker br;
    bench_broker_start(&br, p, "r6");
    char dir[700], db[700];
    snprintf(dir, sizeof(dir), "%s/board", br.dir);
    snprintf(db, sizeof(db), "%s/board.db", br.dir);
    bench_board bd;
    board_up(&bd, p, &br, dir, db, "probe-0");
    bench_trace tr = {.path = bd.trace};
    struct mosquitto *ev = events_start(br.port);

    /* Sample points: the first 10,000 (a tenth of a small run), then every 10 %. */
    int points[12], n_points = 0;
    int base = count / 10 < 10000 ? count / 10 : 10000;
    if (base < 1)
        base = count;
    points[n_points++] = base;
    for (int t = 1; t <= 10; t++)
        if ((long)count * t / 10 > points[n_points - 1])
            points[n_points++] = (int)((long)count * t / 10);
    struct r6_sample samples[13];
    int s_n = 0, done = 0;
    bool ok = true;
    long seen = 0;
    int64_t t0 = bench_now_us();
    printf("| items posted and resolved | VmRSS MB | growth MB | composed MB | at rest MB | "
           "growth at rest MB | composed at rest MB | text cache at rest MB | "
           "SQLite cache at rest MB | RssAnon at rest MB | heap at rest MB | "
           "RssAnon MB | RssFile MB | RssShmem MB | VmHWM MB | events pending | database MB | "
           "s | items/s |\n");
    printf("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | "
           "---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (int w = 0; w < n_points; w++) {
        struct r6_wave wave = {publishers, open, done, points[w]};
        int64_t w0 = bench_now_us();
        bench_publish_burst(br.port, publishers, window, r6_make, &wave);
        if (!wait_commands(&tr, 2L * points[w], &seen, 600)) {
            fprintf(stderr, "bench: only %ld of %ld posts and resolves committed (see %s)\n", seen,
                    2L * points[w], bd.log);
            ok = false;
            break;
        }
        /* --drain: the next wave starts once the board owes nothing, so a
         * resident set that still grows is not the event backlog. */
        int64_t now = bench_now_us(), end = now + 600 * 1000000LL;
        while (drain && atomic_load(&events_received) < 2L * points[w] && bench_now_us() < end)
            bench_sleep_ms(20);
        struct r6_sample *s = &samples[s_n++];
        *s = (struct r6_sample){0};
        r6_sample_take(s, bd.pid, db, points[w]);
        s->composed = tr.composed;
        now = bench_now_us();
        s->at_s = (double)(now - t0) / 1e6;
        s->rate = (points[w] - done) / ((double)(now - w0) / 1e6);
        bench_sleep_ms(R6_REST_MS);
        r6_rest_take(s, bd.pid, &tr);
        done = points[w];
        r6_sample_print(s, &samples[0]);
    }
    /* After the last commit the board may still owe events: once the last
     * has reached the subscriber, sample again (what is left is kept). */
    bool drained = false;
    if (ok) {
        int64_t last = bench_now_us(), end = last + 600 * 1000000LL;
        while (atomic_load(&events_received) < 2L * count && bench_now_us() < end)
            bench_sleep_ms(50);
        drained = atomic_load(&events_received) >= 2L * count;
        struct r6_sample *s = &samples[s_n++];
        *s = (struct r6_sample){0};
        static char label[64];
        snprintf(label, sizeof(label), "every event out, %.1f s later",
                 (double)(bench_now_us() - last) / 1e6);
        s->label = drained ? label : "events still pending after 600 s";
        r6_sample_take(s, bd.pid, db, count);
        s->at_s = (double)(bench_now_us() - t0) / 1e6;
        bench_sleep_ms(R6_REST_MS);
        r6_rest_take(s, bd.pid, &tr);
        r6_sample_print(s, &samples[0]);
    }
    events_stop(ev);
    bench_trace_free(&tr);
    bench_board_stop(&bd);
    bench_broker_stop(&br);

    sqlite3 *s = db_open(db);
    long stored = db_query(s, "SELECT count(*) FROM items WHERE id >= 'r6-' AND id < 'r6.'");
    long resolved = db_query(s, "SELECT count(*) FROM items WHERE id >= 'r6-' AND id < 'r6.' "
                                "AND state = 'resolved'");
    long rows = db_query(s, "SELECT count(*) FROM history WHERE item_id >= 'r6-' AND "
                            "item_id < 'r6.'");
    sqlite3_close(s);

    /* Growth: after the last commit against after the first 10,000; the
     * largest of every sample too (a backlog that drains still raised the
     * resident set, which the allocator seldom gives back). */
    long growth = 0, peak = 0, rgrowth = 0, rpeak = 0;
    int last = ok && s_n > 1 ? s_n - 2 : s_n - 1; /* the last commit's sample */
    for (int i = 1; i < s_n; i++) {
        if (samples[i].rss - samples[0].rss > peak)
            peak = samples[i].rss - samples[0].rss;
        if (samples[i].rest - samples[0].rest > rpeak)
            rpeak = samples[i].rest - samples[0].rest;
    }
    if (last > 0) {
        growth = samples[last].rss - samples[0].rss;
        rgrowth = samples[last].rest - samples[0].rest;
    }
    bool complete = ok && stored == count && resolved == count && rows == 2L * count;
    printf("\n| R6 | after %d | after the last commit | growth | largest growth | target | met |\n",
           base);
    printf("| --- | ---: | ---: | ---: | ---: | --- | --- |\n");
    if (s_n > 0) {
        printf("| resident memory at rest (VmRSS %d ms after each wave) | %.2f MB | %.2f MB | "
               "%+.2f MB | %+.2f MB | < 2 MB after the first %d | %s |\n",
               R6_REST_MS, mb(samples[0].rest), mb(samples[last].rest), mb(rgrowth), mb(rpeak),
               base, ok && rpeak < 2048 ? "yes" : "NO");
        printf("| resident memory at each wave's last commit (mid-flood: composed cards, "
               "batches) | %.2f MB | %.2f MB | %+.2f MB | %+.2f MB | - | - |\n",
               mb(samples[0].rss), mb(samples[last].rss), mb(growth), mb(peak));
    }
    printf("\n| check | measured | of | met |\n| --- | ---: | ---: | --- |\n");
    printf("| items stored | %ld | %d | %s |\n", stored, count, stored == count ? "yes" : "NO");
    printf("| items resolved | %ld | %d | %s |\n", resolved, count,
           resolved == count ? "yes" : "NO");
    printf("| history rows (a post and a resolve each) | %ld | %ld | %s |\n", rows, 2L * count,
           rows == 2L * count ? "yes" : "NO");
    printf("| events received (posted and resolved) | %ld | %ld | %s |\n",
           (long)atomic_load(&events_received), 2L * count, drained ? "yes" : "NO");
    return complete && drained ? 0 : 1;
}

int main(int argc, char **argv)
{
    int count = 0, publishers = 4, window = 100, runs = 1, open = 25;
    double kill_at = 1.0 / 3;
    bool drain = false;
    int mode = 0;
    static const struct option opts[] = {{"r1", no_argument, 0, '1'},
                                         {"r6", no_argument, 0, '6'},
                                         {"count", required_argument, 0, 'n'},
                                         {"publishers", required_argument, 0, 'p'},
                                         {"window", required_argument, 0, 'w'},
                                         {"runs", required_argument, 0, 'r'},
                                         {"kill-at", required_argument, 0, 'k'},
                                         {"open", required_argument, 0, 'o'},
                                         {"drain", no_argument, 0, 'd'},
                                         {0, 0, 0, 0}};
    for (int c; (c = getopt_long(argc, argv, "", opts, NULL)) != -1;) {
        switch (c) {
        case '1': mode = 1; break;
        case '6': mode = 6; break;
        case 'n': count = atoi(optarg); break;
        case 'p': publishers = atoi(optarg); break;
        case 'w': window = atoi(optarg); break;
        case 'r': runs = atoi(optarg); break;
        case 'k': kill_at = atof(optarg); break;
        case 'o': open = atoi(optarg); break;
        case 'd': drain = true; break;
        default: mode = -1; break;
        }
    }
    if (mode <= 0) {
        fprintf(stderr, "usage: reliability --r1 [--count N] [--runs R] [--kill-at F]\n"
                        "       reliability --r6 [--count N] [--open L] [--drain]\n"
                        "       both: [--publishers P] [--window W]\n");
        return 2;
    }
    if (count == 0)
        count = mode == 1 ? 10000 : 1000000;
    if (count < publishers || publishers < 1 || window < 1 || runs < 1 || open < 1 ||
        kill_at <= 0 || kill_at >= 1)
        bench_die("bad arguments");
    bench_paths p;
    bench_paths_init(&p, mode == 1 ? "r1" : "r6");
    char machine[256];
    bench_machine(machine, sizeof(machine));
    printf("machine: %s\n", machine);
    int rc = mode == 1 ? r1(&p, count, publishers, window, runs, kill_at)
                       : r6(&p, count, publishers, window, open, drain);
    bench_paths_cleanup(&p);
    return rc;
}
