/* SPDX-License-Identifier: MIT */
/*
 * What every bench shares: clocks, a private mosquitto started with the
 * broker config teamwall ships (packaging/mosquitto/teamwall.conf) on a free
 * loopback port, the real board started headless with --trace, the trace
 * file read back, percentiles and medians, and memory read from /proc.
 * Benches print tables and never assert a speed; they fail only when
 * something did not work (a post lost, a process that did not start).
 */
#ifndef TW_BENCH_COMMON_H
#define TW_BENCH_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* CLOCK_REALTIME microseconds: the clock of the board's trace and of
 * `mosquitto_sub -F %U`, so the three can be compared. */
int64_t bench_now_us(void);
void bench_sleep_ms(int ms);

/* printf to stderr and exit(1). */
void bench_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* Where things are: the build's programs and the source tree. */
typedef struct bench_paths {
    const char *teamwall;   /* the board binary */
    const char *source_dir; /* for packaging/ and assets/ */
    char work[512];         /* a fresh folder for this run's files */
} bench_paths;
/* Fill from compile-time defaults and TW_BENCH_TEAMWALL / TW_SOURCE_DIR /
 * TW_BENCH_TMP; creates the work folder (prefix names it). */
void bench_paths_init(bench_paths *p, const char *prefix);
/* rm -r the work folder unless TW_BENCH_KEEP=1. */
void bench_paths_cleanup(const bench_paths *p);

/* Start argv with stdout and stderr to log (appended). */
pid_t bench_spawn(char *const argv[], const char *log);
/* SIGTERM (then SIGKILL after timeout_ms) and reap; returns the exit status or -1. */
int bench_stop(pid_t pid, int timeout_ms);
/* Wait for pid to exit within timeout_ms; true and its status when it did. */
bool bench_wait_exit(pid_t pid, int timeout_ms, int *status);

typedef struct bench_broker {
    pid_t pid;
    int port;
    char dir[600];
} bench_broker;
/* A mosquitto with teamwall.conf on 127.0.0.1:<free port>, files in
 * work/<name>; waits until it accepts connections. */
void bench_broker_start(bench_broker *b, const bench_paths *p, const char *name);
void bench_broker_stop(bench_broker *b);

typedef struct bench_board {
    pid_t pid;
    char db[600], trace[600], log[600];
    int64_t spawned_us; /* bench_now_us() just before the exec */
} bench_board;
/* Start the board headless at 1920x1080 on broker (team "bench", board
 * "wall1") with db and a trace in dir; sync "normal" or "full". Does not
 * wait. */
void bench_board_start(bench_board *bd, const bench_paths *p, const bench_broker *b,
                       const char *dir, const char *db, const char *sync);
void bench_board_stop(bench_board *bd);

/* The board's trace, read incrementally. */
typedef struct bench_trace_item {
    char id[72];
    int64_t received, committed, presented;
} bench_trace_item;
typedef struct bench_trace {
    const char *path;
    long offset;
    char partial[256];
    bench_trace_item *items;
    size_t n, cap;
    int64_t first_frame; /* 0 until the mark appears */
    long long composed;  /* bytes of composed regions at the last "composed-" mark */
    long long sqlcache;  /* SQLite page cache bytes at the last "sqlcache-" mark */
    long long textcache; /* text cache texture bytes at the last "textcache-" mark */
} bench_trace;
/* Read what was appended since the last call. Returns items read. */
size_t bench_trace_poll(bench_trace *t);
void bench_trace_free(bench_trace *t);

/* Sort v (n values) and return the p-th percentile (0..100, nearest rank). */
double bench_percentile(double *v, size_t n, double p);
double bench_median(double *v, size_t n);

/* Resident memory of pid in kB: VmRSS, VmHWM; -1 if gone. */
long bench_rss_kb(pid_t pid);
long bench_hwm_kb(pid_t pid);
/* The number on any "<key>: N" line of /proc/<pid>/status (RssAnon in kB,
 * voluntary_ctxt_switches, ...); -1 if none. */
long bench_status(pid_t pid, const char *key);
/* Resident kB of the process's [heap] mapping (brk: glibc's main arena),
 * -1 if unreadable. */
long bench_heap_rss_kb(pid_t pid);
/* Proportional set size (smaps_rollup) in kB, -1 if unreadable. */
long bench_pss_kb(pid_t pid);
/* Sum of VmRSS (and of Pss, if pss is not NULL) over pid and all its descendants. */
long bench_tree_rss_kb(pid_t pid, long *pss, int *nprocs);
/* CPU time (user + system) pid has used, in clock ticks and in
 * microseconds (tick resolution); -1 if gone. */
long long bench_cpu_ticks(pid_t pid);
long long bench_cpu_us(pid_t pid);
/* Instructions pid executes from now on (user and kernel; threads it starts
 * later included), counted by perf_event_open(2): a figure that, unlike
 * times, does not move with the load of a shared machine. -1 when the
 * kernel refuses (perf_event_paranoid, no PMU in a VM): then read as 0. */
int bench_instructions_open(pid_t pid);
/* The count so far (0 for fd -1); bench_instructions_close() closes fd. */
unsigned long long bench_instructions_read(int fd);
void bench_instructions_close(int fd);
/* The parent of pid from /proc/<pid>/stat, or -1. */
pid_t bench_parent_of(pid_t pid);

/* "3.1 GHz Intel(R) ... , 2 cores, Linux 6.1" for the results table. */
void bench_machine(char *buf, size_t size);

/* The id in a post payload ("id":"..."), copied into out; false if none. */
bool bench_payload_id(const char *payload, char *out, size_t size);

#endif

/* ---- MQTT (libmosquitto, in the caller's thread) ---- */
struct mosquitto;
/* A connected client (QoS 1 publishing, TCP_NODELAY) or exit. */
struct mosquitto *bench_mqtt_connect(int port, const char *client_id, bool clean_session);
/* Publish at QoS 1 and run the client until the broker acknowledged it. */
void bench_mqtt_publish_wait(struct mosquitto *m, const char *topic, const char *payload);
void bench_mqtt_close(struct mosquitto *m);
/* Wait until the board's retained status says online. */
bool bench_board_wait_online(int port, int timeout_ms);
/* Post one probe item (id given) and wait until the trace shows it
 * presented: the board is connected, subscribed and drawing. */
bool bench_board_probe(struct mosquitto *m, bench_trace *t, const char *id, int timeout_ms);

#define BENCH_TOPIC_POST    "teamwall/bench/post"
#define BENCH_TOPIC_RESOLVE "teamwall/bench/resolve"
#define BENCH_TOPIC_EVENTS  "teamwall/bench/board/wall1/events"

/* ---- Publishers: P threads, one libmosquitto connection each ---- */

/* Publisher `publisher`'s message i (0, 1, 2, ... in publish order): set
 * *topic, write the payload into buf and return true, or return false when
 * that publisher has nothing more to send. Runs in that publisher's thread:
 * it may change only that publisher's part of ctx. */
typedef bool (*bench_make_fn)(void *ctx, int publisher, int i, const char **topic, char *buf,
                              size_t size);

typedef struct bench_burst {
    int64_t first_pub, last_ack; /* bench_now_us(): first publish, last acknowledgement */
    long sent;
    double cpu_us; /* this process's CPU time from start to join (the publishers') */
} bench_burst;

typedef struct bench_publishers bench_publishers;
/* Start `publishers` threads (clients bench-pub-<i>, clean sessions), released
 * together, each publishing make's messages at QoS 1 as fast as the broker
 * acknowledges them, with at most `window` unacknowledged. ctx is borrowed
 * until bench_publish_join(). */
bench_publishers *bench_publish_start(int port, int publishers, int window, bench_make_fn make,
                                      void *ctx);
/* Messages the broker has acknowledged so far, over all publishers. */
long bench_publish_acked(bench_publishers *pub);
/* Wait until every message is acknowledged (exit on a publisher's error);
 * frees pub. */
bench_burst bench_publish_join(bench_publishers *pub);
/* Start and join. */
bench_burst bench_publish_burst(int port, int publishers, int window, bench_make_fn make,
                                void *ctx);

/* Posts with ids split evenly over the publishers: publisher p sends
 * bench_posts_share() of them, ids "<prefix>-<p>-<i>", text
 * "<label> post <i> from publisher <p>: ...", kinds in turn. */
typedef struct bench_posts {
    const char *prefix, *label;
    int count, publishers;
} bench_posts;
int bench_posts_share(const bench_posts *posts, int publisher);
/* A bench_make_fn for ctx = a bench_posts. */
bool bench_make_post(void *ctx, int publisher, int i, const char **topic, char *buf, size_t size);

/* ---- Latency stages (bench/latency P1, bench/standup P10) ---- */

#define BENCH_STAGES_MAX 6
/* What a stage table shows of each stage: p50, p90, p99 and the maximum. */
extern const double bench_stage_pcts[4];
typedef struct bench_stages {
    double q[BENCH_STAGES_MAX][4]; /* ms, by stage and bench_stage_pcts */
} bench_stages;
/* The percentiles of v (n values; sorted in place) into out->q[stage]. */
void bench_stages_set(bench_stages *out, int stage, double *v, size_t n);
/* "title", then the table of the n stages (names[i] each). */
void bench_stages_print(const char *title, const char *const *names, int n, const bench_stages *r);
/* One run of a latency bench: fills out, 0 or non-zero when it failed. */
typedef int (*bench_stages_fn)(void *ctx, int run, bench_stages *out);
/* Run fn for runs 0..runs-1 into res[] (runs of them), printing each
 * run's table ("run N"); when all ran, the median over runs of every
 * figure into med, printed as "median over runs". Returns 0, or the first
 * failed run's result (then med is not filled). */
int bench_stages_runs(int runs, bench_stages_fn fn, void *ctx, const char *const *names, int n,
                      bench_stages *res, bench_stages *med);
