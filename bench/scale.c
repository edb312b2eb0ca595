/* SPDX-License-Identifier: MIT */
/*
 * S4: how far one mosquitto goes. Simulated boards (MQTT clients that
 * subscribe to a team's command topics as a board does: persistent session,
 * QoS 1) and simulated desk buttons and bridges (publishers at QoS 1) share
 * the broker teamwall ships; the bench steps up boards x posts/s and
 * measures, for every post, the time from its publish to its arrival at each
 * board (p50, p99, the worst), what did not arrive within the step, and the
 * broker's CPU. The knee is the first step where p99 passes 250 ms, a post
 * is missing, or the broker saturates a core. Prints a table; fails only if
 * nothing could connect.
 */
#define _POSIX_C_SOURCE 200809L
#include <mosquitto.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"

#define MAX_BOARDS 400
#define PUBLISHERS 8
#define TEAMS      10 /* boards are spread over this many teams, posts too */

struct sample_buf {
    double *v;
    atomic_size_t n;
    size_t cap;
};

static struct sample_buf lat;
static atomic_long received;

static void on_message(struct mosquitto *m, void *ctx, const struct mosquitto_message *msg)
{
    (void)m, (void)ctx;
    long long sent;
    if (msg->payloadlen > 0 && sscanf(msg->payload, "{\"ts_us\":%lld", &sent) == 1) {
        size_t i = atomic_fetch_add(&lat.n, 1);
        if (i < lat.cap)
            lat.v[i] = (double)(bench_now_us() - sent) / 1000.0;
        atomic_fetch_add(&received, 1);
    }
}

static atomic_int subscribed;
static void on_subscribe(struct mosquitto *m, void *ctx, int mid, int n, const int *q)
{
    (void)m, (void)ctx, (void)mid, (void)n, (void)q;
    atomic_fetch_add(&subscribed, 1);
}

static struct mosquitto *client(int port, const char *id, bool clean)
{
    struct mosquitto *m = mosquitto_new(id, clean, NULL);
    if (!m)
        bench_die("mosquitto_new failed");
    mosquitto_message_callback_set(m, on_message);
    mosquitto_subscribe_callback_set(m, on_subscribe);
    mosquitto_int_option(m, MOSQ_OPT_TCP_NODELAY, 1);
    mosquitto_int_option(m, MOSQ_OPT_SEND_MAXIMUM, 1000);
    if (mosquitto_connect(m, "127.0.0.1", port, 30) != MOSQ_ERR_SUCCESS)
        bench_die("cannot connect client %s", id);
    if (mosquitto_loop_start(m) != MOSQ_ERR_SUCCESS)
        bench_die("cannot start the loop of %s", id);
    return m;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    int seconds = 3;
    const char *boards_list = "10,50,200", *rates_list = "100,500,2000,5000";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--seconds"))
            seconds = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--boards"))
            boards_list = argv[i + 1];
        else if (!strcmp(argv[i], "--rates"))
            rates_list = argv[i + 1];
    }
    bench_paths p;
    bench_paths_init(&p, "scale");
    bench_broker b;
    bench_broker_start(&b, &p, "broker");
    mosquitto_lib_init();
    char machine[256];
    bench_machine(machine, sizeof(machine));
    printf("machine: %s\n", machine);
    printf("one mosquitto (packaging/mosquitto/teamwall.conf); boards spread over %d teams, each "
           "subscribed to its team's commands at QoS 1 with a persistent session; %d "
           "publishers (buttons, bridges) at QoS 1; %d s a step\n\n",
           TEAMS, PUBLISHERS, seconds);
    printf("%7s %8s %10s %9s %9s %9s %9s %8s %s\n", "boards", "posts/s", "deliveries", "lost",
           "p50 ms", "p99 ms", "max ms", "broker", "");
    int knee_found = 0;
    char *bl = strdup(boards_list);
    for (char *bs = strtok(bl, ","); bs; bs = strtok(NULL, ",")) {
        int nb = atoi(bs);
        if (nb < 1 || nb > MAX_BOARDS)
            continue;
        struct mosquitto **boards = calloc((size_t)nb, sizeof(*boards));
        atomic_store(&subscribed, 0);
        for (int i = 0; i < nb; i++) {
            char id[64], topic[128];
            snprintf(id, sizeof(id), "teamwall-t%d-sim%d", i % TEAMS, i);
            boards[i] = client(b.port, id, false);
            snprintf(topic, sizeof(topic), "teamwall/t%d/post", i % TEAMS);
            mosquitto_subscribe(boards[i], NULL, topic, 1);
        }
        for (int w = 0; w < 500 && atomic_load(&subscribed) < nb; w++)
            bench_sleep_ms(10);
        struct mosquitto *pubs[PUBLISHERS];
        for (int i = 0; i < PUBLISHERS; i++) {
            char id[64];
            snprintf(id, sizeof(id), "sim-button-%d", i);
            pubs[i] = client(b.port, id, true);
        }
        char *rl = strdup(rates_list);
        char *save = NULL;
        for (char *rs = strtok_r(rl, ",", &save); rs; rs = strtok_r(NULL, ",", &save)) {
            int rate = atoi(rs);
            if (rate < 1)
                continue;
            long posts = (long)rate * seconds;
            /* Each post reaches the boards of its team: nb / TEAMS of them
             * (rounded as the spread does). */
            long expect = 0;
            for (long k = 0; k < posts; k++) {
                int team = (int)(k % TEAMS);
                expect += nb / TEAMS + (team < nb % TEAMS ? 1 : 0);
            }
            lat.cap = (size_t)expect + 16;
            free(lat.v);
            lat.v = malloc(lat.cap * sizeof(double));
            atomic_store(&lat.n, 0);
            atomic_store(&received, 0);
            long long cpu0 = bench_cpu_us(b.pid);
            int64_t t0 = bench_now_us();
            for (long k = 0; k < posts; k++) {
                int64_t due = t0 + k * 1000000LL / rate;
                int64_t now = bench_now_us();
                if (due > now + 1000)
                    bench_sleep_ms((int)((due - now) / 1000));
                char topic[64], payload[256];
                snprintf(topic, sizeof(topic), "teamwall/t%ld/post", k % TEAMS);
                snprintf(payload, sizeof(payload),
                         "{\"ts_us\":%lld,\"kind\":\"blocker\",\"text\":\"simulated press %ld\","
                         "\"id\":\"sim-%d-%ld\",\"source\":\"button\"}",
                         (long long)bench_now_us(), k, rate, k);
                mosquitto_publish(pubs[k % PUBLISHERS], NULL, topic, (int)strlen(payload), payload,
                                  1, false);
            }
            /* Let the last ones arrive (2 s at most). */
            for (int w = 0; w < 200 && atomic_load(&received) < expect; w++)
                bench_sleep_ms(10);
            int64_t elapsed = bench_now_us() - t0;
            long long cpu = bench_cpu_us(b.pid) - cpu0;
            size_t n = atomic_load(&lat.n);
            if (n > lat.cap)
                n = lat.cap;
            qsort(lat.v, n, sizeof(double), cmp_double);
            double p50 = n ? lat.v[n / 2] : -1, p99 = n ? lat.v[(size_t)((double)n * 0.99)] : -1;
            double mx = n ? lat.v[n - 1] : -1;
            long lost = expect - atomic_load(&received);
            double broker = (double)cpu / (double)elapsed * 100.0;
            bool knee = p99 > 250 || lost > 0 || broker > 90;
            printf("%7d %8d %10ld %9ld %9.1f %9.1f %9.1f %7.0f%% %s\n", nb, rate, expect, lost, p50,
                   p99, mx, broker, knee ? "<- knee" : "");
            fflush(stdout);
            if (knee) {
                knee_found++;
                /* The broker's queues need to drain before the next step. */
                bench_sleep_ms(2000);
                break;
            }
        }
        free(rl);
        for (int i = 0; i < PUBLISHERS; i++) {
            mosquitto_disconnect(pubs[i]);
            mosquitto_loop_stop(pubs[i], false);
            mosquitto_destroy(pubs[i]);
        }
        for (int i = 0; i < nb; i++) {
            mosquitto_disconnect(boards[i]);
            mosquitto_loop_stop(boards[i], false);
            mosquitto_destroy(boards[i]);
        }
        free(boards);
    }
    free(bl);
    free(lat.v);
    mosquitto_lib_cleanup();
    bench_broker_stop(&b);
    bench_paths_cleanup(&p);
    printf("\n%s\n", knee_found ? "knee: the first row marked, for each number of boards"
                                : "no knee within the steps: raise --rates");
    return 0;
}
