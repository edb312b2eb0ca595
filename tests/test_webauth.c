/* SPDX-License-Identifier: MIT */
/*
 * The web view's access rules (mqtt/webauth.c): which listen addresses and
 * Host headers are loopback (DNS-rebinding names are not), session cookies
 * (a fresh one passes; expired, tampered, truncated, another key's, another
 * nonce's and junk do not), the key from the token (stable across restarts,
 * different for another token, random without one), CSRF tokens bound to a
 * session. The signature is checked against an HMAC-SHA256 computed here
 * with verify.c's function from the documented "<expiry>.<nonce>" form.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "verify.h"
#include "webauth.h"

static void test_loopback(void)
{
    CHECK(tw_webauth_listen_is_loopback("127.0.0.1:8088"));
    CHECK(tw_webauth_listen_is_loopback("127.1.2.3:8088"));
    CHECK(tw_webauth_listen_is_loopback("[::1]:8088"));
    CHECK(tw_webauth_listen_is_loopback("localhost:8088"));
    CHECK(!tw_webauth_listen_is_loopback(":8088"));
    CHECK(!tw_webauth_listen_is_loopback("0.0.0.0:8088"));
    CHECK(!tw_webauth_listen_is_loopback("[::]:8088"));
    CHECK(!tw_webauth_listen_is_loopback("192.168.1.10:8088"));
    CHECK(!tw_webauth_listen_is_loopback("[::1:8088"));
    CHECK(!tw_webauth_listen_is_loopback(NULL));

    CHECK(tw_webauth_host_is_loopback("localhost:8088"));
    CHECK(tw_webauth_host_is_loopback("LOCALHOST"));
    CHECK(tw_webauth_host_is_loopback("127.0.0.1"));
    CHECK(tw_webauth_host_is_loopback("127.0.0.1:8088"));
    CHECK(tw_webauth_host_is_loopback("[::1]:8088"));
    CHECK(tw_webauth_host_is_loopback("[::1]"));
    CHECK(!tw_webauth_host_is_loopback(NULL));
    CHECK(!tw_webauth_host_is_loopback(""));
    CHECK(!tw_webauth_host_is_loopback("evil.example:8088"));
    CHECK(!tw_webauth_host_is_loopback("127.0.0.1.evil.example"));
    CHECK(!tw_webauth_host_is_loopback("localhost.evil.example:80"));
    CHECK(!tw_webauth_host_is_loopback("10.0.0.1:8088"));
    CHECK(!tw_webauth_host_is_loopback("[::1]x"));
    CHECK(!tw_webauth_host_is_loopback("[::2]:80"));
}

static void test_key(void)
{
    unsigned char a[TW_WEBAUTH_KEY_SIZE], b[TW_WEBAUTH_KEY_SIZE], c[TW_WEBAUTH_KEY_SIZE];
    tw_webauth_key("secret-1", a);
    tw_webauth_key("secret-1", b);
    CHECK(memcmp(a, b, sizeof a) == 0); /* a restart keeps the sessions */
    tw_webauth_key("secret-2", c);
    CHECK(memcmp(a, c, sizeof a) != 0); /* a new token ends them */
    tw_webauth_key("", b);
    tw_webauth_key(NULL, c);
    CHECK(memcmp(b, c, sizeof b) != 0); /* random without a token */
}

static void test_sessions(void)
{
    unsigned char key[TW_WEBAUTH_KEY_SIZE], other[TW_WEBAUTH_KEY_SIZE];
    tw_webauth_key("web-token", key);
    tw_webauth_key("another-token", other);
    const int64_t now = 1795600000;
    char cookie[TW_WEBAUTH_COOKIE_SIZE], again[TW_WEBAUTH_COOKIE_SIZE];
    char nonce[TW_WEBAUTH_NONCE_SIZE], nonce2[TW_WEBAUTH_NONCE_SIZE];
    tw_webauth_session_make(key, now, 3600, cookie, sizeof cookie);
    tw_webauth_session_make(key, now, 3600, again, sizeof again);
    CHECK(strcmp(cookie, again) != 0); /* a nonce each */

    /* "<expiry>.<32 hex nonce>.<64 hex HMAC of the rest>" */
    CHECK_EQ_INT(strlen(cookie), 10 + 1 + 32 + 1 + 64);
    CHECK(strncmp(cookie, "1795603600.", 11) == 0);
    unsigned char mac[32];
    char hex[65];
    CHECK_EQ_INT(tw_verify_hmac_sha256(key, sizeof key, cookie, 10 + 1 + 32, mac), 0);
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", mac[i]);
    CHECK_EQ_STR(cookie + 44, hex);

    CHECK(tw_webauth_session_check(key, cookie, now, nonce));
    CHECK(strncmp(nonce, cookie + 11, 32) == 0 && nonce[32] == '\0');
    CHECK(tw_webauth_session_check(key, cookie, now + 3600, nonce));
    CHECK(!tw_webauth_session_check(key, cookie, now + 3601, nonce)); /* expired */
    CHECK(!tw_webauth_session_check(other, cookie, now, nonce));      /* another token's */
    CHECK(tw_webauth_session_check(key, again, now, nonce2));
    CHECK(strcmp(nonce, nonce2) != 0);

    /* Every single changed character breaks it. */
    int broken = 0;
    for (size_t i = 0; i < strlen(cookie); i++) {
        char t[TW_WEBAUTH_COOKIE_SIZE];
        strcpy(t, cookie);
        t[i] = t[i] == '0' ? '1' : '0';
        broken += !tw_webauth_session_check(key, t, now, nonce);
    }
    CHECK_EQ_INT(broken, (long long)strlen(cookie));
    /* A later expiry with the old signature. */
    char longer[TW_WEBAUTH_COOKIE_SIZE];
    strcpy(longer, cookie);
    longer[0] = '2';
    CHECK(!tw_webauth_session_check(key, longer, now, nonce));

    char cut[TW_WEBAUTH_COOKIE_SIZE];
    strcpy(cut, cookie);
    cut[strlen(cut) - 1] = '\0';
    CHECK(!tw_webauth_session_check(key, cut, now, nonce));
    CHECK(!tw_webauth_session_check(key, NULL, now, nonce));
    CHECK(!tw_webauth_session_check(key, "", now, nonce));
    CHECK(!tw_webauth_session_check(key, "1.2.3", now, nonce));
    char longjunk[300];
    memset(longjunk, 'a', sizeof longjunk - 1);
    longjunk[sizeof longjunk - 1] = '\0';
    CHECK(!tw_webauth_session_check(key, longjunk, now, nonce));
}

static void test_csrf(void)
{
    unsigned char key[TW_WEBAUTH_KEY_SIZE], other[TW_WEBAUTH_KEY_SIZE];
    tw_webauth_key("web-token", key);
    tw_webauth_key("another-token", other);
    char a[TW_WEBAUTH_TOKEN_SIZE], b[TW_WEBAUTH_TOKEN_SIZE], c[TW_WEBAUTH_TOKEN_SIZE];
    tw_webauth_csrf(key, "0123456789abcdef0123456789abcdef", a);
    tw_webauth_csrf(key, "0123456789abcdef0123456789abcdef", b);
    CHECK_EQ_STR(a, b);
    CHECK_EQ_INT(strlen(a), 64);
    tw_webauth_csrf(key, "fedcba9876543210fedcba9876543210", c);
    CHECK(strcmp(a, c) != 0); /* bound to the session */
    CHECK(tw_webauth_csrf_check(key, "0123456789abcdef0123456789abcdef", a));
    CHECK(!tw_webauth_csrf_check(key, "fedcba9876543210fedcba9876543210", a));
    CHECK(!tw_webauth_csrf_check(other, "0123456789abcdef0123456789abcdef", a));
    CHECK(!tw_webauth_csrf_check(key, "0123456789abcdef0123456789abcdef", NULL));
    CHECK(!tw_webauth_csrf_check(key, "0123456789abcdef0123456789abcdef", ""));
    a[63] = a[63] == '0' ? '1' : '0';
    CHECK(!tw_webauth_csrf_check(key, "0123456789abcdef0123456789abcdef", a));
    tw_webauth_csrf(key, "-", c); /* no session: loopback */
    CHECK(tw_webauth_csrf_check(key, "-", c));
    CHECK(!tw_webauth_csrf_check(key, "-", b));
}

int main(void)
{
    test_loopback();
    test_key();
    test_sessions();
    test_csrf();
    return check_done();
}
