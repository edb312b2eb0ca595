// SPDX-License-Identifier: MIT
// burst_pub: a QoS 1 publisher for the broker-crash test (tests/it_broker_crash.sh,
// TARGETS.md R9). It publishes COUNT posts with ids PREFIX-1 … PREFIX-COUNT to
// TOPIC at RATE per second and writes each id to ACKFILE the moment the broker
// acknowledges it (libmosquitto's on_publish, one line an id, flushed at once),
// so that a kill -9 of the broker leaves on disk exactly what the broker promised.
// libmosquitto keeps unacknowledged messages and sends them again after it
// reconnects; the program ends when every post is acknowledged or after
// TIMEOUT seconds (exit status 1).
//
// Usage: burst_pub PORT TOPIC COUNT RATE PREFIX ACKFILE [TIMEOUT]
#define _POSIX_C_SOURCE 200809L
#include <mosquitto.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int *mid_to_seq; // mid (1..65535) → sequence number, 0 when unused
static int acked;
static FILE *ackfile;
static const char *prefix;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void on_publish(struct mosquitto *m, void *obj, int mid)
{
    (void)m;
    (void)obj;
    pthread_mutex_lock(&lock);
    int seq = mid_to_seq[mid & 0xffff];
    if (seq > 0) {
        fprintf(ackfile, "%s-%d\n", prefix, seq);
        fflush(ackfile);
        mid_to_seq[mid & 0xffff] = 0;
        acked++;
    }
    pthread_mutex_unlock(&lock);
}

int main(int argc, char **argv)
{
    if (argc < 7) {
        fprintf(stderr, "usage: %s PORT TOPIC COUNT RATE PREFIX ACKFILE [TIMEOUT]\n", argv[0]);
        return 2;
    }
    int port = atoi(argv[1]);
    const char *topic = argv[2];
    int count = atoi(argv[3]);
    double rate = atof(argv[4]);
    prefix = argv[5];
    double timeout = argc > 7 ? atof(argv[7]) : 120;
    ackfile = fopen(argv[6], "w");
    mid_to_seq = calloc(65536, sizeof *mid_to_seq);
    if (!ackfile || !mid_to_seq || count <= 0 || rate <= 0) {
        perror("burst_pub");
        return 2;
    }
    mosquitto_lib_init();
    struct mosquitto *m = mosquitto_new(NULL, true, NULL);
    if (!m)
        return 2;
    mosquitto_publish_callback_set(m, on_publish);
    mosquitto_reconnect_delay_set(m, 1, 1, false);
    mosquitto_max_inflight_messages_set(m, 100);
    if (mosquitto_connect(m, "127.0.0.1", port, 10) != MOSQ_ERR_SUCCESS) {
        fprintf(stderr, "burst_pub: cannot connect to port %d\n", port);
        return 2;
    }
    mosquitto_loop_start(m);
    double start = now_s();
    for (int seq = 1; seq <= count; seq++) {
        double due = start + (seq - 1) / rate;
        double wait = due - now_s();
        if (wait > 0) {
            struct timespec ts = {(time_t)wait, (long)((wait - (time_t)wait) * 1e9)};
            nanosleep(&ts, NULL);
        }
        char payload[160];
        snprintf(payload, sizeof payload,
                 "{\"kind\":\"win\",\"text\":\"Burst %d\",\"id\":\"%s-%d\"}", seq, prefix, seq);
        int mid = 0;
        // Hold the lock so on_publish cannot see the mid before it is recorded.
        pthread_mutex_lock(&lock);
        int rc = mosquitto_publish(m, &mid, topic, (int)strlen(payload), payload, 1, false);
        if (rc == MOSQ_ERR_SUCCESS || rc == MOSQ_ERR_NO_CONN)
            mid_to_seq[mid & 0xffff] = seq; // queued by libmosquitto either way
        pthread_mutex_unlock(&lock);
        if (rc != MOSQ_ERR_SUCCESS && rc != MOSQ_ERR_NO_CONN) {
            fprintf(stderr, "burst_pub: publish %d: %s\n", seq, mosquitto_strerror(rc));
            seq--; // try the same one again
            struct timespec ts = {0, 10000000};
            nanosleep(&ts, NULL);
        }
    }
    int done = 0;
    while (now_s() - start < timeout) {
        pthread_mutex_lock(&lock);
        done = acked;
        pthread_mutex_unlock(&lock);
        if (done >= count)
            break;
        struct timespec ts = {0, 20000000};
        nanosleep(&ts, NULL);
    }
    printf("burst_pub: %d of %d acknowledged in %.1f s\n", done, count, now_s() - start);
    mosquitto_disconnect(m);
    mosquitto_loop_stop(m, true);
    mosquitto_destroy(m);
    mosquitto_lib_cleanup();
    fclose(ackfile);
    return done >= count ? 0 : 1;
}
