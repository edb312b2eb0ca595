/* SPDX-License-Identifier: MIT */
/*
 * A tiny HTTP receiver for tests/it_bridge.sh: stands in for a chat's
 * incoming webhook. Listens on a free port of 127.0.0.1 (written to PORTFILE
 * once it listens), answers the first FAIL requests with 500 and the rest
 * with 200, and appends each request's body as one line to OUTFILE (failed
 * ones too, prefixed "500 "), so a test can see both retries and deliveries.
 * One connection at a time, "Connection: close"; bounded sizes; runs until
 * killed.
 *
 *     http_sink PORTFILE OUTFILE [FAIL]
 */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#define MAX_REQUEST (256 * 1024)

static void serve(int fd, FILE *out, int *fail_left)
{
    static char buf[MAX_REQUEST + 1];
    size_t len = 0;
    char *body = NULL;
    size_t want = 0;
    for (;;) {
        ssize_t n = read(fd, buf + len, MAX_REQUEST - len);
        if (n <= 0)
            return;
        len += (size_t)n;
        buf[len] = '\0';
        if (!body) {
            char *end = strstr(buf, "\r\n\r\n");
            if (!end) {
                if (len == MAX_REQUEST)
                    return;
                continue;
            }
            body = end + 4;
            for (char *line = strstr(buf, "\r\n"); line && line < end;
                 line = strstr(line + 2, "\r\n"))
                if (strncasecmp(line + 2, "Content-Length:", 15) == 0)
                    want = strtoul(line + 17, NULL, 10);
            if (want > MAX_REQUEST)
                return;
        }
        if ((size_t)(buf + len - body) >= want)
            break;
        if (len == MAX_REQUEST)
            return;
    }
    int status = *fail_left > 0 ? 500 : 200;
    if (*fail_left > 0)
        (*fail_left)--;
    fprintf(out, "%s%.*s\n", status == 500 ? "500 " : "", (int)want, body);
    fflush(out);
    char resp[160];
    int n = snprintf(resp, sizeof resp,
                     "HTTP/1.1 %d %s\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n"
                     "Connection: close\r\n\r\nok",
                     status, status == 200 ? "OK" : "Internal Server Error");
    if (write(fd, resp, (size_t)n) < 0)
        perror("http_sink: write");
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: http_sink PORTFILE OUTFILE [FAIL]\n");
        return 2;
    }
    int fail_left = argc > 3 ? atoi(argv[3]) : 0;
    FILE *out = fopen(argv[2], "a");
    if (!out) {
        perror(argv[2]);
        return 1;
    }
    int ls = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t al = sizeof a;
    if (ls < 0 || bind(ls, (struct sockaddr *)&a, sizeof a) || listen(ls, 16) ||
        getsockname(ls, (struct sockaddr *)&a, &al)) {
        perror("http_sink: listen");
        return 1;
    }
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", argv[1]);
    FILE *pf = fopen(tmp, "w");
    if (!pf || fprintf(pf, "%d\n", ntohs(a.sin_port)) < 0 || fclose(pf) || rename(tmp, argv[1])) {
        perror(argv[1]);
        return 1;
    }
    for (;;) {
        int fd = accept(ls, NULL, NULL);
        if (fd < 0)
            continue;
        struct timeval tv = {5, 0};
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        serve(fd, out, &fail_left);
        close(fd);
    }
}
