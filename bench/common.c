/* SPDX-License-Identifier: MIT */
/*
 * Shared bench plumbing; see common.h. Processes are started with
 * posix_spawn and waited for with deadlines, never fixed sleeps.
 */
#define _GNU_SOURCE
#include "common.h"

#include <arpa/inet.h>
#include <linux/perf_event.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#ifndef TW_BENCH_TEAMWALL
#define TW_BENCH_TEAMWALL "teamwall"
#endif
#ifndef TW_SOURCE_DIR
#define TW_SOURCE_DIR "."
#endif

int64_t bench_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void bench_sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) && errno == EINTR)
        ;
}

void bench_die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "bench: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    exit(1);
}

static const char *env_or(const char *name, const char *def)
{
    const char *v = getenv(name);
    return v && *v ? v : def;
}

void bench_paths_init(bench_paths *p, const char *prefix)
{
    memset(p, 0, sizeof(*p));
    p->teamwall = env_or("TW_BENCH_TEAMWALL", TW_BENCH_TEAMWALL);
    p->source_dir = env_or("TW_SOURCE_DIR", TW_SOURCE_DIR);
    snprintf(p->work, sizeof(p->work), "%s/tw-%s.XXXXXX", env_or("TW_BENCH_TMP", "/tmp"), prefix);
    if (!mkdtemp(p->work))
        bench_die("mkdtemp %s: %s", p->work, strerror(errno));
    if (access(p->teamwall, X_OK) != 0)
        bench_die("no board binary at %s (set TW_BENCH_TEAMWALL)", p->teamwall);
}

void bench_paths_cleanup(const bench_paths *p)
{
    if (strcmp(env_or("TW_BENCH_KEEP", "0"), "1") == 0) {
        fprintf(stderr, "bench: files kept in %s\n", p->work);
        return;
    }
    char *argv[] = {"rm", "-rf", (char *)p->work, NULL};
    pid_t pid = bench_spawn(argv, "/dev/null");
    bench_wait_exit(pid, 60000, NULL);
}

/* Everything started, so a bench stopped early (Ctrl-C, a ctest timeout)
 * takes its brokers, boards and browsers with it. */
static pid_t spawned[256];
static int n_spawned;

static void stop_all(void)
{
    for (int i = 0; i < n_spawned; i++)
        if (spawned[i] > 0)
            kill(-spawned[i], SIGKILL);
}

/* A reaped process is forgotten: its id may be reused. */
static void forget(pid_t pid)
{
    for (int i = 0; i < n_spawned; i++)
        if (spawned[i] == pid)
            spawned[i] = 0;
}

static void on_signal(int sig)
{
    stop_all();
    signal(sig, SIG_DFL);
    raise(sig);
}

pid_t bench_spawn(char *const argv[], const char *log)
{
    if (n_spawned == 0) {
        atexit(stop_all);
        signal(SIGINT, on_signal);
        signal(SIGTERM, on_signal);
        signal(SIGHUP, on_signal);
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    posix_spawnattr_t at;
    posix_spawnattr_init(&at);
    /* Own process group, so a browser's helpers can be stopped together. */
    posix_spawnattr_setpgroup(&at, 0);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&at, &none);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK);
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], &fa, &at, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    if (rc)
        bench_die("cannot start %s: %s", argv[0], strerror(rc));
    if (n_spawned < (int)(sizeof(spawned) / sizeof(spawned[0])))
        spawned[n_spawned++] = pid;
    return pid;
}

bool bench_wait_exit(pid_t pid, int timeout_ms, int *status)
{
    int64_t end = bench_now_us() + (int64_t)timeout_ms * 1000;
    for (;;) {
        int st;
        pid_t r = waitpid(pid, &st, WNOHANG);
        if (r == pid) {
            if (status)
                *status = st;
            forget(pid);
            return true;
        }
        if (r < 0)
            return true;
        if (bench_now_us() >= end)
            return false;
        bench_sleep_ms(2);
    }
}

int bench_stop(pid_t pid, int timeout_ms)
{
    if (pid <= 0)
        return -1;
    int st = 0;
    kill(-pid, SIGTERM);
    if (!bench_wait_exit(pid, timeout_ms, &st)) {
        kill(-pid, SIGKILL);
        bench_wait_exit(pid, 5000, &st);
    }
    kill(-pid, SIGKILL); /* helpers left in the group */
    forget(pid);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(a);
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) ||
        getsockname(fd, (struct sockaddr *)&a, &len))
        bench_die("no free port: %s", strerror(errno));
    close(fd);
    return ntohs(a.sin_port);
}

static bool port_open(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    bool ok = fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0;
    if (fd >= 0)
        close(fd);
    return ok;
}

static void copy_file(const char *from, FILE *to)
{
    FILE *f = fopen(from, "r");
    if (!f)
        bench_die("cannot read %s: %s", from, strerror(errno));
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
        fwrite(buf, 1, n, to);
    fclose(f);
}

void bench_broker_start(bench_broker *b, const bench_paths *p, const char *name)
{
    memset(b, 0, sizeof(*b));
    snprintf(b->dir, sizeof(b->dir), "%s/%s", p->work, name);
    mkdir(b->dir, 0755);
    char conf[700], log[700], src[700];
    snprintf(conf, sizeof(conf), "%s/mosquitto.conf", b->dir);
    snprintf(log, sizeof(log), "%s/mosquitto.log", b->dir);
    snprintf(src, sizeof(src), "%s/packaging/mosquitto/teamwall.conf", p->source_dir);
    for (int attempt = 0; attempt < 5; attempt++) {
        b->port = free_port();
        FILE *f = fopen(conf, "w");
        if (!f)
            bench_die("cannot write %s", conf);
        /* The same file scripts/run.sh and tests/lib.sh start. */
        copy_file(src, f);
        /* As root, mosquitto would switch to the mosquitto user, which
         * cannot write its persistence file here (tests/lib.sh does the
         * same). */
        struct passwd *pw = getpwuid(geteuid());
        fprintf(f,
                "\nlistener %d 127.0.0.1\nallow_anonymous true\npersistence true\n"
                "persistence_location %s/\nuser %s\n",
                b->port, b->dir, pw ? pw->pw_name : "root");
        fclose(f);
        char *argv[] = {"mosquitto", "-c", conf, NULL};
        b->pid = bench_spawn(argv, log);
        for (int i = 0; i < 500; i++) {
            if (port_open(b->port))
                return;
            if (bench_wait_exit(b->pid, 0, NULL))
                break; /* the port was taken meanwhile: try another */
            bench_sleep_ms(10);
        }
        bench_stop(b->pid, 1000);
    }
    bench_die("mosquitto did not start (see %s)", log);
}

void bench_broker_stop(bench_broker *b)
{
    if (b->pid > 0)
        bench_stop(b->pid, 5000);
    b->pid = 0;
}

void bench_board_start(bench_board *bd, const bench_paths *p, const bench_broker *b,
                       const char *dir, const char *db, const char *sync)
{
    memset(bd, 0, sizeof(*bd));
    mkdir(dir, 0755);
    snprintf(bd->db, sizeof(bd->db), "%s", db);
    snprintf(bd->trace, sizeof(bd->trace), "%s/trace", dir);
    snprintf(bd->log, sizeof(bd->log), "%s/board.log", dir);
    /* A restarted board writes its trace anew: never let a reader see the
     * previous one before the board truncated it. */
    unlink(bd->trace);
    char conf[700], url[64];
    snprintf(conf, sizeof(conf), "%s/teamwall.conf", dir);
    FILE *f = fopen(conf, "w");
    if (!f)
        bench_die("cannot write %s", conf);
    fprintf(f, "[board]\nsync = %s\n", sync ? sync : "normal");
    /* TW_BENCH_LANGUAGE=de: the wall in another language (the benches'
     * --language): what a catalogue costs. */
    const char *lang = getenv("TW_BENCH_LANGUAGE");
    if (lang && *lang)
        fprintf(f, "[display]\nlanguage = %s\n", lang);
    fclose(f);
    snprintf(url, sizeof(url), "mqtt://127.0.0.1:%d", b ? b->port : 1);
    /* TW_BENCH_SIZE=3840x2160: another output size (bench_footprint --size). */
    const char *size = getenv("TW_BENCH_SIZE");
    char *argv[] = {(char *)p->teamwall,
                    "--config",
                    conf,
                    "--broker",
                    url,
                    "--team",
                    "bench",
                    "--board",
                    "wall1",
                    "--db",
                    bd->db,
                    "--headless",
                    "--size",
                    (char *)(size && *size ? size : "1920x1080"),
                    "--trace",
                    bd->trace,
                    NULL};
    /* TW_BENCH_WRAP="perf record -g -o FILE --" (or valgrind ...) runs the
     * board under a profiler; words are split at spaces. */
    char *wrapped[64], wrap[512];
    int n = 0;
    const char *w = getenv("TW_BENCH_WRAP");
    if (w && *w) {
        snprintf(wrap, sizeof(wrap), "%s", w);
        for (char *tok = strtok(wrap, " "); tok && n < 40; tok = strtok(NULL, " "))
            wrapped[n++] = tok;
    }
    for (int i = 0; argv[i] && n < 63; i++)
        wrapped[n++] = argv[i];
    wrapped[n] = NULL;
    bd->spawned_us = bench_now_us();
    bd->pid = bench_spawn(wrapped, bd->log);
}

void bench_board_stop(bench_board *bd)
{
    /* TW_BENCH_SMAPS=DIR: keep the board's /proc/<pid>/smaps as it was just
     * before the stop (DIR/smaps-<pid>), to see where its resident set is. */
    const char *keep = getenv("TW_BENCH_SMAPS");
    if (bd->pid > 0 && keep && *keep) {
        char from[64], to[600], buf[8192];
        snprintf(from, sizeof(from), "/proc/%d/smaps", (int)bd->pid);
        snprintf(to, sizeof(to), "%s/smaps-%d", keep, (int)bd->pid);
        FILE *in = fopen(from, "r"), *out = in ? fopen(to, "w") : NULL;
        for (size_t n; out && (n = fread(buf, 1, sizeof(buf), in)) > 0;)
            fwrite(buf, 1, n, out);
        if (out)
            fclose(out);
        if (in)
            fclose(in);
    }
    if (bd->pid > 0) {
        int rc = bench_stop(bd->pid, 10000);
        if (rc != 0)
            fprintf(stderr, "bench: the board exited with %d (see %s)\n", rc, bd->log);
    }
    bd->pid = 0;
}

static void trace_line(bench_trace *t, char *line)
{
    if (strncmp(line, "item ", 5) == 0) {
        bench_trace_item it = {0};
        long long r, c, p;
        if (sscanf(line + 5, "%71s %lld %lld %lld", it.id, &r, &c, &p) != 4)
            return;
        it.received = r;
        it.committed = c;
        it.presented = p;
        if (t->n == t->cap) {
            t->cap = t->cap ? t->cap * 2 : 1024;
            t->items = realloc(t->items, t->cap * sizeof(*t->items));
            if (!t->items)
                bench_die("out of memory");
        }
        t->items[t->n++] = it;
    } else if (strncmp(line, "mark first-frame ", 17) == 0) {
        t->first_frame = strtoll(line + 17, NULL, 10);
    } else if (strncmp(line, "mark composed-", 14) == 0) {
        t->composed = strtoll(line + 14, NULL, 10);
    } else if (strncmp(line, "mark sqlcache-", 14) == 0) {
        t->sqlcache = strtoll(line + 14, NULL, 10);
    } else if (strncmp(line, "mark textcache-", 15) == 0) {
        t->textcache = strtoll(line + 15, NULL, 10);
    }
}

size_t bench_trace_poll(bench_trace *t)
{
    FILE *f = fopen(t->path, "r");
    if (!f)
        return 0;
    size_t before = t->n;
    fseek(f, t->offset, SEEK_SET);
    char buf[512];
    while (fgets(buf, sizeof(buf), f)) {
        size_t len = strlen(buf);
        if (len == 0 || buf[len - 1] != '\n') {
            /* The board is mid-write: take the line up next time. */
            break;
        }
        t->offset += (long)len;
        buf[len - 1] = '\0';
        trace_line(t, buf);
    }
    fclose(f);
    return t->n - before;
}

void bench_trace_free(bench_trace *t)
{
    free(t->items);
    t->items = NULL;
    t->n = t->cap = 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double bench_percentile(double *v, size_t n, double p)
{
    if (n == 0)
        return 0;
    qsort(v, n, sizeof(*v), cmp_double);
    size_t rank = (size_t)(p / 100.0 * (double)n + 0.999999);
    if (rank < 1)
        rank = 1;
    if (rank > n)
        rank = n;
    return v[rank - 1];
}

double bench_median(double *v, size_t n)
{
    if (n == 0)
        return 0;
    qsort(v, n, sizeof(*v), cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

long bench_status(pid_t pid, const char *key)
{
    char path[64], line[256];
    snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    long v = -1;
    size_t klen = strlen(key);
    while (fgets(line, sizeof(line), f))
        if (strncmp(line, key, klen) == 0 && line[klen] == ':') {
            v = strtol(line + klen + 1, NULL, 10);
            break;
        }
    fclose(f);
    return v;
}

long bench_rss_kb(pid_t pid)
{
    return bench_status(pid, "VmRSS");
}

long bench_hwm_kb(pid_t pid)
{
    return bench_status(pid, "VmHWM");
}

long bench_pss_kb(pid_t pid)
{
    char path[64], line[256];
    snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    long v = -1;
    while (fgets(line, sizeof(line), f))
        if (strncmp(line, "Pss:", 4) == 0) {
            v = strtol(line + 4, NULL, 10);
            break;
        }
    fclose(f);
    return v;
}

long bench_heap_rss_kb(pid_t pid)
{
    char path[64], line[512];
    snprintf(path, sizeof(path), "/proc/%d/smaps", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    long v = -1;
    bool in_heap = false;
    while (fgets(line, sizeof(line), f)) {
        size_t len = strlen(line);
        if (len > 7 && strncmp(line + len - 7, "[heap]\n", 7) == 0)
            in_heap = true;
        else if (in_heap && strncmp(line, "Rss:", 4) == 0) {
            v = strtol(line + 4, NULL, 10);
            break;
        }
    }
    fclose(f);
    return v;
}

/* The fields of /proc/<pid>/stat after the command name ("S 1 ..."), in
 * buf; NULL if pid is gone. */
static const char *stat_fields(pid_t pid, char *buf, size_t size)
{
    char path[64];
    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    size_t n = fread(buf, 1, size - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *p = strrchr(buf, ')'); /* the command name may hold spaces */
    return p ? p + 1 : NULL;
}

long long bench_cpu_ticks(pid_t pid)
{
    char buf[1024];
    const char *p = stat_fields(pid, buf, sizeof(buf));
    unsigned long ut, st;
    /* state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime */
    if (!p || sscanf(p, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
        return -1;
    return (long long)(ut + st);
}

long long bench_cpu_us(pid_t pid)
{
    long long t = bench_cpu_ticks(pid);
    return t < 0 ? -1 : t * 1000000 / sysconf(_SC_CLK_TCK);
}

pid_t bench_parent_of(pid_t pid)
{
    char buf[512];
    const char *p = stat_fields(pid, buf, sizeof(buf));
    int ppid;
    if (!p || sscanf(p, " %*c %d", &ppid) != 1)
        return -1;
    return ppid;
}

long bench_tree_rss_kb(pid_t root, long *pss, int *nprocs)
{
    /* Descendants: repeat passes over /proc until no new child is found. */
    pid_t tree[512];
    int n = 0;
    tree[n++] = root;
    bool grew = true;
    while (grew) {
        grew = false;
        DIR *d = opendir("/proc");
        if (!d)
            break;
        struct dirent *e;
        while ((e = readdir(d)) && n < (int)(sizeof(tree) / sizeof(tree[0]))) {
            pid_t pid = (pid_t)atoi(e->d_name);
            if (pid <= 0)
                continue;
            bool known = false;
            for (int i = 0; i < n; i++)
                known = known || tree[i] == pid;
            if (known)
                continue;
            pid_t pp = bench_parent_of(pid);
            for (int i = 0; i < n; i++)
                if (tree[i] == pp) {
                    tree[n++] = pid;
                    grew = true;
                    break;
                }
        }
        closedir(d);
    }
    long rss = 0, ps = 0;
    int alive = 0;
    for (int i = 0; i < n; i++) {
        long r = bench_rss_kb(tree[i]);
        if (r < 0)
            continue;
        alive++;
        rss += r;
        long q = pss ? bench_pss_kb(tree[i]) : 0;
        if (q > 0)
            ps += q;
    }
    if (pss)
        *pss = ps;
    if (nprocs)
        *nprocs = alive;
    return alive ? rss : -1;
}

void bench_machine(char *buf, size_t size)
{
    char model[160] = "unknown CPU", line[256];
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (f) {
        while (fgets(line, sizeof(line), f))
            if (strncmp(line, "model name", 10) == 0) {
                char *c = strchr(line, ':');
                if (c) {
                    snprintf(model, sizeof(model), "%s", c + 2);
                    model[strcspn(model, "\n")] = '\0';
                }
                break;
            }
        fclose(f);
    }
    struct utsname u;
    uname(&u);
    snprintf(buf, size, "%s, %ld cores, Linux %s", model, sysconf(_SC_NPROCESSORS_ONLN), u.release);
}

bool bench_payload_id(const char *payload, char *out, size_t size)
{
    const char *p = strstr(payload, "\"id\":\"");
    if (!p)
        return false;
    p += 6;
    size_t n = strcspn(p, "\"");
    if (n == 0 || n >= size)
        return false;
    memcpy(out, p, n);
    out[n] = '\0';
    return true;
}

/* ---- MQTT ---- */

#include <mosquitto.h>

struct conn_state {
    bool connected, failed;
    int acked;
    char online;
};

static void on_connect_cb(struct mosquitto *m, void *obj, int rc)
{
    (void)m;
    struct conn_state *s = obj;
    if (rc == 0)
        s->connected = true;
    else
        s->failed = true;
}

static void on_publish_cb(struct mosquitto *m, void *obj, int mid)
{
    (void)m;
    (void)mid;
    struct conn_state *s = obj;
    s->acked++;
}

/* Once, from the main thread: mosquitto_lib_init() is not thread-safe. */
static void mqtt_init(void)
{
    static bool init;
    if (!init) {
        mosquitto_lib_init();
        init = true;
    }
}

struct mosquitto *bench_mqtt_connect(int port, const char *client_id, bool clean_session)
{
    mqtt_init();
    struct conn_state *s = calloc(1, sizeof(*s));
    struct mosquitto *m = mosquitto_new(client_id, clean_session, s);
    if (!s || !m)
        bench_die("mosquitto_new failed");
    mosquitto_int_option(m, MOSQ_OPT_TCP_NODELAY, 1);
    mosquitto_connect_callback_set(m, on_connect_cb);
    mosquitto_publish_callback_set(m, on_publish_cb);
    if (mosquitto_connect(m, "127.0.0.1", port, 60) != MOSQ_ERR_SUCCESS)
        bench_die("cannot connect to the broker on port %d", port);
    int64_t end = bench_now_us() + 10000000;
    while (!s->connected && !s->failed && bench_now_us() < end)
        mosquitto_loop(m, 50, 1);
    if (!s->connected)
        bench_die("the broker on port %d did not accept %s", port, client_id);
    return m;
}

void bench_mqtt_publish_wait(struct mosquitto *m, const char *topic, const char *payload)
{
    struct conn_state *s = mosquitto_userdata(m);
    int want = s->acked + 1;
    if (mosquitto_publish(m, NULL, topic, (int)strlen(payload), payload, 1, false))
        bench_die("publish failed");
    int64_t end = bench_now_us() + 10000000;
    while (s->acked < want && bench_now_us() < end)
        mosquitto_loop(m, 50, 1);
    if (s->acked < want)
        bench_die("the broker did not acknowledge a publish");
}

void bench_mqtt_close(struct mosquitto *m)
{
    if (!m)
        return;
    void *s = mosquitto_userdata(m);
    mosquitto_disconnect(m);
    mosquitto_loop(m, 10, 1);
    mosquitto_destroy(m);
    free(s);
}

static void on_status_cb(struct mosquitto *m, void *obj, const struct mosquitto_message *msg)
{
    (void)m;
    struct conn_state *s = obj;
    if (msg->payloadlen > 0 && memmem(msg->payload, (size_t)msg->payloadlen, "\"online\"", 8))
        s->online = 1;
}

bool bench_board_wait_online(int port, int timeout_ms)
{
    struct mosquitto *m = bench_mqtt_connect(port, NULL, true);
    struct conn_state *s = mosquitto_userdata(m);
    mosquitto_message_callback_set(m, on_status_cb);
    mosquitto_subscribe(m, NULL, "teamwall/bench/board/wall1/status", 1);
    int64_t end = bench_now_us() + (int64_t)timeout_ms * 1000;
    while (!s->online && bench_now_us() < end)
        mosquitto_loop(m, 20, 1);
    bool ok = s->online;
    bench_mqtt_close(m);
    return ok;
}

bool bench_board_probe(struct mosquitto *m, bench_trace *t, const char *id, int timeout_ms)
{
    char payload[256];
    snprintf(payload, sizeof(payload),
             "{\"kind\":\"question\",\"text\":\"Bench probe %s\",\"author\":\"bench\","
             "\"id\":\"%s\"}",
             id, id);
    bench_mqtt_publish_wait(m, BENCH_TOPIC_POST, payload);
    int64_t end = bench_now_us() + (int64_t)timeout_ms * 1000;
    while (bench_now_us() < end) {
        bench_trace_poll(t);
        for (size_t i = 0; i < t->n; i++)
            if (strcmp(t->items[i].id, id) == 0 && t->items[i].presented)
                return true;
        bench_sleep_ms(5);
    }
    return false;
}

/* ---- Publishers ---- */

struct publisher {
    int port, index, window;
    bench_make_fn make;
    void *ctx;
    pthread_barrier_t *start;
    int64_t first_pub, last_ack;
    long sent;
    atomic_long acked; /* read by bench_publish_acked() from the main thread */
    char error[128];
};

struct bench_publishers {
    int n;
    pthread_barrier_t start;
    struct publisher *pubs;
    pthread_t *threads;
    double cpu0;
};

static void on_pub(struct mosquitto *m, void *obj, int mid)
{
    (void)m;
    (void)mid;
    struct publisher *p = obj;
    atomic_fetch_add_explicit(&p->acked, 1, memory_order_relaxed);
}

static void *publish_thread(void *arg)
{
    struct publisher *p = arg;
    char id[32], buf[1024];
    snprintf(id, sizeof(id), "bench-pub-%d", p->index);
    struct mosquitto *m = bench_mqtt_connect(p->port, id, true);
    /* Our own counter: the helper's userdata is replaced by this one. */
    void *helper_state = mosquitto_userdata(m);
    mosquitto_user_data_set(m, p);
    mosquitto_publish_callback_set(m, on_pub);
    mosquitto_int_option(m, MOSQ_OPT_SEND_MAXIMUM, p->window);
    pthread_barrier_wait(p->start);
    p->first_pub = bench_now_us();
    bool more = true;
    for (;;) {
        long acked = atomic_load_explicit(&p->acked, memory_order_relaxed);
        while (more && p->sent - acked < p->window) {
            const char *topic = NULL;
            more = p->make(p->ctx, p->index, (int)p->sent, &topic, buf, sizeof(buf));
            if (!more)
                break;
            int rc = mosquitto_publish(m, NULL, topic, (int)strlen(buf), buf, 1, false);
            if (rc) {
                snprintf(p->error, sizeof(p->error), "publish: %s", mosquitto_strerror(rc));
                goto out;
            }
            p->sent++;
        }
        if (!more && acked >= p->sent)
            break;
        int rc = mosquitto_loop(m, 10, 1);
        if (rc) {
            snprintf(p->error, sizeof(p->error), "loop: %s", mosquitto_strerror(rc));
            goto out;
        }
    }
    p->last_ack = bench_now_us();
out:
    mosquitto_user_data_set(m, NULL);
    mosquitto_disconnect(m);
    mosquitto_destroy(m);
    free(helper_state);
    return NULL;
}

static double process_cpu_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

bench_publishers *bench_publish_start(int port, int publishers, int window, bench_make_fn make,
                                      void *ctx)
{
    if (publishers < 1 || window < 1 || !make)
        bench_die("bench_publish_start: bad arguments");
    mqtt_init();
    bench_publishers *b = calloc(1, sizeof(*b));
    if (!b)
        bench_die("out of memory");
    b->n = publishers;
    b->pubs = calloc((size_t)publishers, sizeof(*b->pubs));
    b->threads = calloc((size_t)publishers, sizeof(*b->threads));
    if (!b->pubs || !b->threads)
        bench_die("out of memory");
    pthread_barrier_init(&b->start, NULL, (unsigned)publishers);
    b->cpu0 = process_cpu_us();
    for (int i = 0; i < publishers; i++) {
        struct publisher *p = &b->pubs[i];
        p->port = port;
        p->index = i;
        p->window = window;
        p->make = make;
        p->ctx = ctx;
        p->start = &b->start;
        atomic_init(&p->acked, 0);
        if (pthread_create(&b->threads[i], NULL, publish_thread, p))
            bench_die("cannot start publisher %d", i);
    }
    return b;
}

long bench_publish_acked(bench_publishers *b)
{
    long n = 0;
    for (int i = 0; i < b->n; i++)
        n += atomic_load_explicit(&b->pubs[i].acked, memory_order_relaxed);
    return n;
}

bench_burst bench_publish_join(bench_publishers *b)
{
    bench_burst r = {0};
    for (int i = 0; i < b->n; i++) {
        struct publisher *p = &b->pubs[i];
        pthread_join(b->threads[i], NULL);
        if (p->error[0])
            bench_die("publisher %d: %s", i, p->error);
        if (!r.first_pub || p->first_pub < r.first_pub)
            r.first_pub = p->first_pub;
        if (p->last_ack > r.last_ack)
            r.last_ack = p->last_ack;
        r.sent += p->sent;
    }
    r.cpu_us = process_cpu_us() - b->cpu0;
    pthread_barrier_destroy(&b->start);
    free(b->pubs);
    free(b->threads);
    free(b);
    return r;
}

bench_burst bench_publish_burst(int port, int publishers, int window, bench_make_fn make, void *ctx)
{
    return bench_publish_join(bench_publish_start(port, publishers, window, make, ctx));
}

int bench_posts_share(const bench_posts *posts, int publisher)
{
    return posts->count / posts->publishers + (publisher < posts->count % posts->publishers);
}

bool bench_make_post(void *ctx, int publisher, int i, const char **topic, char *buf, size_t size)
{
    static const char *const kinds[] = {"blocker", "question", "win"};
    const bench_posts *posts = ctx;
    if (i >= bench_posts_share(posts, publisher))
        return false;
    *topic = BENCH_TOPIC_POST;
    snprintf(buf, size,
             "{\"kind\":\"%s\",\"text\":\"%s post %d from publisher %d: the nightly build of "
             "service %d needs a look\",\"author\":\"pub%d\",\"id\":\"%s-%d-%d\"}",
             kinds[i % 3], posts->label, i, publisher, i % 97, publisher, posts->prefix, publisher,
             i);
    return true;
}

/* ---- CPU: times and instruction counts ---- */

int bench_instructions_open(pid_t pid)
{
    struct perf_event_attr a;
    memset(&a, 0, sizeof(a));
    a.size = sizeof(a);
    a.type = PERF_TYPE_HARDWARE;
    a.config = PERF_COUNT_HW_INSTRUCTIONS;
    a.inherit = 1;
    a.exclude_hv = 1;
    long fd = syscall(SYS_perf_event_open, &a, pid, -1, -1, PERF_FLAG_FD_CLOEXEC);
    return fd < 0 ? -1 : (int)fd;
}

unsigned long long bench_instructions_read(int fd)
{
    unsigned long long n = 0;
    if (fd < 0 || read(fd, &n, sizeof(n)) != (ssize_t)sizeof(n))
        return 0;
    return n;
}

void bench_instructions_close(int fd)
{
    if (fd >= 0)
        close(fd);
}

/* ---- Latency stages ---- */

const double bench_stage_pcts[4] = {50, 90, 99, 100};

void bench_stages_set(bench_stages *out, int stage, double *v, size_t n)
{
    if (stage < 0 || stage >= BENCH_STAGES_MAX)
        bench_die("bench_stages_set: stage %d out of range", stage);
    for (int q = 0; q < 4; q++)
        out->q[stage][q] = bench_percentile(v, n, bench_stage_pcts[q]);
}

void bench_stages_print(const char *title, const char *const *names, int n, const bench_stages *r)
{
    printf("%s\n", title);
    printf("| %-38s | %8s | %8s | %8s | %8s |\n", "stage (ms)", "p50", "p90", "p99", "max");
    printf("| %-38s | %8s | %8s | %8s | %8s |\n", "---", "---:", "---:", "---:", "---:");
    for (int s = 0; s < n; s++)
        printf("| %-38s | %8.2f | %8.2f | %8.2f | %8.2f |\n", names[s], r->q[s][0], r->q[s][1],
               r->q[s][2], r->q[s][3]);
}

int bench_stages_runs(int runs, bench_stages_fn fn, void *ctx, const char *const *names, int n,
                      bench_stages *res, bench_stages *med)
{
    if (n < 1 || n > BENCH_STAGES_MAX)
        bench_die("bench_stages_runs: %d stages", n);
    for (int r = 0; r < runs; r++) {
        int rc = fn(ctx, r, &res[r]);
        if (rc)
            return rc;
        char title[64];
        snprintf(title, sizeof(title), "run %d", r + 1);
        bench_stages_print(title, names, n, &res[r]);
        printf("\n");
        fflush(stdout);
    }
    double *v = calloc((size_t)runs, sizeof(*v));
    if (!v)
        bench_die("out of memory");
    memset(med, 0, sizeof(*med));
    for (int s = 0; s < n; s++)
        for (int q = 0; q < 4; q++) {
            for (int r = 0; r < runs; r++)
                v[r] = res[r].q[s][q];
            med->q[s][q] = bench_median(v, (size_t)runs);
        }
    free(v);
    bench_stages_print("median over runs", names, n, med);
    return 0;
}
