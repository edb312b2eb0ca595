/* SPDX-License-Identifier: MIT */
/*
 * Who may look at the web view (web.c, docs/WEB.md), as pure functions:
 * whether an address or a Host header is this machine's loopback, the login
 * link's session cookies (HMAC-SHA256 signed, with an expiry and a nonce)
 * and the CSRF token of a session. No clock, no I/O: the caller passes the
 * time and the key; the key comes from the [web] token (so sessions survive
 * a restart and end when the token changes) or at random.
 */
#ifndef TW_WEBAUTH_H
#define TW_WEBAUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TW_WEBAUTH_KEY_SIZE    32
#define TW_WEBAUTH_NONCE_SIZE  33  /* 32 hex digits and the NUL */
#define TW_WEBAUTH_TOKEN_SIZE  65  /* a CSRF token: 64 hex digits and the NUL */
#define TW_WEBAUTH_COOKIE_SIZE 128 /* "<expiry>.<nonce>.<signature>" */

/* Whether the host of a listen address ("127.0.0.1:8088", "[::1]:8088",
 * "localhost:8088") is loopback; ":8088" (every address) and names that
 * resolve elsewhere are not. */
bool tw_webauth_listen_is_loopback(const char *listen);

/* Whether a Host header ("localhost:8088", "127.0.0.1", "[::1]:80") names
 * loopback; NULL is not. */
bool tw_webauth_host_is_loopback(const char *host);

/* The signing key: derived from token (its whole text, so every listed
 * token gives the same key), or random when token is NULL or "". */
void tw_webauth_key(const char *token, unsigned char key[TW_WEBAUTH_KEY_SIZE]);

/* A new session cookie value valid until now + life_s, into out (at least
 * TW_WEBAUTH_COOKIE_SIZE bytes). */
void tw_webauth_session_make(const unsigned char key[TW_WEBAUTH_KEY_SIZE], int64_t now,
                             int64_t life_s, char *out, size_t size);

/* Whether cookie is a session this key signed that has not expired at now;
 * its nonce copied into nonce when it is. Compared in constant time. */
bool tw_webauth_session_check(const unsigned char key[TW_WEBAUTH_KEY_SIZE], const char *cookie,
                              int64_t now, char nonce[TW_WEBAUTH_NONCE_SIZE]);

/* The CSRF token of a session nonce ("-" for a request without a session),
 * and the constant-time check of one a request sent (NULL is false). */
void tw_webauth_csrf(const unsigned char key[TW_WEBAUTH_KEY_SIZE], const char *nonce,
                     char out[TW_WEBAUTH_TOKEN_SIZE]);
bool tw_webauth_csrf_check(const unsigned char key[TW_WEBAUTH_KEY_SIZE], const char *nonce,
                           const char *given);

#endif
