/* SPDX-License-Identifier: MIT */
/*
 * The web view's access rules (webauth.h): loopback addresses and Host
 * headers, signed session cookies, CSRF tokens. Signatures are HMAC-SHA256
 * through verify.c (libcrypto's EVP_MAC), compared with CRYPTO_memcmp over
 * fixed lengths; randomness is RAND_bytes.
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE

#include "webauth.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "util.h"
#include "verify.h"

static void hex(const unsigned char *in, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * n] = '\0';
}

bool tw_webauth_listen_is_loopback(const char *listen)
{
    char host[256] = "";
    if (!listen)
        return false;
    if (listen[0] == '[') {
        const char *close = strchr(listen, ']');
        if (!close || (size_t)(close - listen - 1) >= sizeof host)
            return false;
        memcpy(host, listen + 1, (size_t)(close - listen - 1));
    } else {
        const char *colon = strrchr(listen, ':');
        size_t n = colon ? (size_t)(colon - listen) : strlen(listen);
        if (n >= sizeof host)
            return false;
        memcpy(host, listen, n);
        host[n] = '\0';
    }
    if (!host[0])
        return false; /* every address */
    struct addrinfo hints = {0}, *res = NULL;
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(host, NULL, &hints, &res) != 0)
        return false;
    /* Every address the name gives must be loopback. */
    bool lo = true;
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        if (ai->ai_family == AF_INET) {
            const struct sockaddr_in *s = (const void *)ai->ai_addr;
            lo = lo && (ntohl(s->sin_addr.s_addr) >> 24) == 127;
        } else if (ai->ai_family == AF_INET6) {
            const struct sockaddr_in6 *s = (const void *)ai->ai_addr;
            lo = lo && IN6_IS_ADDR_LOOPBACK(&s->sin6_addr);
        } else {
            lo = false;
        }
    }
    freeaddrinfo(res);
    return lo;
}

bool tw_webauth_host_is_loopback(const char *host)
{
    if (!host || strlen(host) >= 128)
        return false;
    char h[128];
    tw_strlcpy(h, host, sizeof h);
    if (h[0] == '[') {
        char *close = strchr(h, ']');
        if (!close || (close[1] && close[1] != ':'))
            return false;
        close[1] = '\0';
        return strcmp(h, "[::1]") == 0;
    }
    char *colon = strrchr(h, ':');
    if (colon)
        *colon = '\0';
    if (strcasecmp(h, "localhost") == 0)
        return true;
    /* A literal address only: a name (even "127.0.0.1.example") is not. */
    struct in_addr a;
    return inet_pton(AF_INET, h, &a) == 1 && (ntohl(a.s_addr) >> 24) == 127;
}

void tw_webauth_key(const char *token, unsigned char key[TW_WEBAUTH_KEY_SIZE])
{
    static const char label[] = "teamwall web session v1";
    if (token && token[0]) {
        if (tw_verify_hmac_sha256(token, strlen(token), label, sizeof label - 1, key) == 0)
            return;
    } else if (RAND_bytes(key, TW_WEBAUTH_KEY_SIZE) == 1) {
        return;
    }
    abort(); /* libcrypto cannot hash or has no entropy: nothing safe to do */
}

/* HMAC-SHA256(key, text) as 64 hex digits. */
static void sign(const unsigned char *key, const char *text, char out[TW_WEBAUTH_TOKEN_SIZE])
{
    unsigned char mac[32];
    if (tw_verify_hmac_sha256(key, TW_WEBAUTH_KEY_SIZE, text, strlen(text), mac))
        abort();
    hex(mac, sizeof mac, out);
}

void tw_webauth_session_make(const unsigned char key[TW_WEBAUTH_KEY_SIZE], int64_t now,
                             int64_t life_s, char *out, size_t size)
{
    unsigned char rnd[16];
    char nonce[TW_WEBAUTH_NONCE_SIZE], body[64], sig[TW_WEBAUTH_TOKEN_SIZE];
    if (RAND_bytes(rnd, sizeof rnd) != 1)
        abort();
    hex(rnd, sizeof rnd, nonce);
    snprintf(body, sizeof body, "%lld.%s", (long long)(now + life_s), nonce);
    sign(key, body, sig);
    snprintf(out, size, "%s.%s", body, sig);
}

bool tw_webauth_session_check(const unsigned char key[TW_WEBAUTH_KEY_SIZE], const char *cookie,
                              int64_t now, char nonce[TW_WEBAUTH_NONCE_SIZE])
{
    if (!cookie || strlen(cookie) >= TW_WEBAUTH_COOKIE_SIZE)
        return false;
    const char *dot = strrchr(cookie, '.');
    if (!dot || strlen(dot + 1) != 64)
        return false;
    char body[TW_WEBAUTH_COOKIE_SIZE], sig[TW_WEBAUTH_TOKEN_SIZE];
    memcpy(body, cookie, (size_t)(dot - cookie));
    body[dot - cookie] = '\0';
    sign(key, body, sig);
    if (CRYPTO_memcmp(sig, dot + 1, 64) != 0)
        return false;
    /* Signed by us, so well formed; checked anyway. */
    char *end;
    long long exp = strtoll(body, &end, 10);
    if (end == body || *end != '.' || strlen(end + 1) != 32 || exp < now)
        return false;
    memcpy(nonce, end + 1, TW_WEBAUTH_NONCE_SIZE);
    return true;
}

void tw_webauth_csrf(const unsigned char key[TW_WEBAUTH_KEY_SIZE], const char *nonce,
                     char out[TW_WEBAUTH_TOKEN_SIZE])
{
    char text[48];
    snprintf(text, sizeof text, "csrf.%.33s", nonce ? nonce : "-");
    sign(key, text, out);
}

bool tw_webauth_csrf_check(const unsigned char key[TW_WEBAUTH_KEY_SIZE], const char *nonce,
                           const char *given)
{
    char want[TW_WEBAUTH_TOKEN_SIZE];
    tw_webauth_csrf(key, nonce, want);
    return given && strlen(given) == 64 && CRYPTO_memcmp(given, want, 64) == 0;
}
