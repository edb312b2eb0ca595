/* SPDX-License-Identifier: MIT */
/*
 * A minimal sd_notify listener for tests/it_watchdog.sh, standing in for
 * systemd: binds a datagram socket at PATH (the board gets it as
 * NOTIFY_SOCKET) and appends every line of every datagram to OUTFILE as
 * "<monotonic ms> <line>", flushed at once. When a datagram says READY=1 and
 * LOG and NEEDLE are given, it looks into LOG at that moment and adds
 * " [after NEEDLE]" or " [before NEEDLE]", so a test can tell that readiness
 * came only after, say, the first frame. Runs until killed.
 *
 *     sd_listen PATH OUTFILE [LOG NEEDLE]
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static long long mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Whether needle is in the file at path (read whole, bounded). */
static int file_has(const char *path, const char *needle)
{
    static char buf[1 << 20];
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    return strstr(buf, needle) != NULL;
}

int main(int argc, char **argv)
{
    if (argc != 3 && argc != 5) {
        fprintf(stderr, "usage: sd_listen PATH OUTFILE [LOG NEEDLE]\n");
        return 2;
    }
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (strlen(argv[1]) >= sizeof(sa.sun_path)) {
        fprintf(stderr, "sd_listen: path too long\n");
        return 2;
    }
    strcpy(sa.sun_path, argv[1]);
    unlink(argv[1]);
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
        perror("sd_listen: bind");
        return 1;
    }
    FILE *out = fopen(argv[2], "a");
    if (!out) {
        perror(argv[2]);
        return 1;
    }
    static char buf[4097];
    for (;;) {
        ssize_t n = recv(fd, buf, sizeof(buf) - 1, 0);
        if (n < 0)
            continue;
        buf[n] = '\0';
        long long t = mono_ms();
        for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
            fprintf(out, "%lld %s", t, line);
            if (argc == 5 && strcmp(line, "READY=1") == 0)
                fprintf(out, file_has(argv[3], argv[4]) ? " [after %s]" : " [before %s]", argv[4]);
            fputc('\n', out);
        }
        fflush(out);
    }
}
