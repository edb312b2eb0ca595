/* SPDX-License-Identifier: MIT */
/*
 * Request verification with fixed vectors: Slack's own documented example
 * (api.slack.com, "Verifying requests from Slack"), RFC 4231 test case 2 for
 * the HMAC itself, and a Teams vector computed independently with
 *   printf %s "$BODY" | openssl dgst -sha256 -mac HMAC -macopt hexkey:$HEX -binary | base64
 * Then every way a request can be wrong: tampered body, wrong secret, stale
 * and future timestamps, malformed headers, wrong and empty tokens.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "verify.h"

static const char slack_secret[] = "8f742231b10e8888abcd99yyyzzz85a5";
static const char slack_ts[] = "1531420618";
static const char slack_body[] =
    "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id="
    "G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-"
    "collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%"
    "2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121."
    "803a0bc887a14d10d2c447fce8b6703c";
static const char slack_sig[] =
    "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

static const char teams_secret[] = "dGVhbXdhbGwtdGVhbXMtb3V0Z29pbmctc2VjcmV0ISE=";
static const char teams_body[] =
    "{\"type\":\"message\",\"id\":\"1485983408511\",\"text\":\"<at>Wall</at>&nbsp;blocker CI is "
    "red\",\"from\":{\"id\":\"29:1abc\",\"name\":\"Ana Lima\"}}";
static const char teams_auth[] = "HMAC 53Lre++8u/aqt+i+alvM6zd0wJX59p25VNrWFI1H8v8=";

static void test_hmac(void)
{
    unsigned char mac[32];
    char hex[65];
    CHECK_EQ_INT(tw_verify_hmac_sha256("Jefe", 4, "what do ya want for nothing?", 28, mac), 0);
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", mac[i]);
    CHECK_EQ_STR(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

static void test_slack(void)
{
    size_t n = strlen(slack_body);
    int64_t t = 1531420618;
    CHECK_EQ_INT(tw_verify_slack(slack_secret, slack_ts, slack_sig, slack_body, n, t),
                 TW_VERIFY_OK);
    /* Upper-case hex is the same signature. */
    char upper[sizeof slack_sig];
    memcpy(upper, slack_sig, sizeof slack_sig);
    for (char *p = upper + 3; *p; p++)
        if (*p >= 'a' && *p <= 'f')
            *p = (char)(*p - 'a' + 'A');
    CHECK_EQ_INT(tw_verify_slack(slack_secret, slack_ts, upper, slack_body, n, t), TW_VERIFY_OK);
    /* The window: 300 s either way is fine, 301 is not. */
    CHECK_EQ_INT(tw_verify_slack(slack_secret, slack_ts, slack_sig, slack_body, n, t + 300),
                 TW_VERIFY_OK);
    CHECK_EQ_INT(tw_verify_slack(slack_secret, slack_ts, slack_sig, slack_body, n, t - 300),
                 TW_VERIFY_OK);
    CHECK_EQ_INT(tw_verify_slack(slack_secret, slack_ts, slack_sig, slack_body, n, t + 301),
                 TW_VERIFY_STALE);
    CHECK_EQ_INT(tw_verify_slack(slack_secret, slack_ts, slack_sig, slack_body, n, t - 301),
                 TW_VERIFY_STALE);
    /* One byte of the body, the secret, the timestamp or the MAC changed. */
    char body[sizeof slack_body];
    memcpy(body, slack_body, sizeof body);
    body[n - 1] ^= 1;
    CHECK_EQ_INT(tw_verify_slack(slack_secret, slack_ts, slack_sig, body, n, t),
                 TW_VERIFY_MISMATCH);
    CHECK_EQ_INT(tw_verify_slack(slack_secret, slack_ts, slack_sig, slack_body, n - 1, t),
                 TW_VERIFY_MISMATCH);
    CHECK_EQ_INT(
        tw_verify_slack("8f742231b10e8888abcd99yyyzzz85a6", slack_ts, slack_sig, slack_body, n, t),
        TW_VERIFY_MISMATCH);
    CHECK_EQ_INT(tw_verify_slack(slack_secret, "1531420619", slack_sig, slack_body, n, t),
                 TW_VERIFY_MISMATCH);
    char sig[sizeof slack_sig];
    memcpy(sig, slack_sig, sizeof sig);
    sig[10] = sig[10] == '0' ? '1' : '0';
    CHECK_EQ_INT(tw_verify_slack(slack_secret, slack_ts, sig, slack_body, n, t),
                 TW_VERIFY_MISMATCH);
    /* Shapes. */
    CHECK_EQ_INT(tw_verify_slack(slack_secret, NULL, slack_sig, slack_body, n, t),
                 TW_VERIFY_MISSING);
    CHECK_EQ_INT(tw_verify_slack(slack_secret, slack_ts, "", slack_body, n, t), TW_VERIFY_MISSING);
    CHECK_EQ_INT(tw_verify_slack(slack_secret, slack_ts, slack_sig + 3, slack_body, n, t),
                 TW_VERIFY_MALFORMED);
    CHECK_EQ_INT(tw_verify_slack(slack_secret, slack_ts, "v1=00", slack_body, n, t),
                 TW_VERIFY_MALFORMED);
    CHECK_EQ_INT(tw_verify_slack(slack_secret, "15314206x8", slack_sig, slack_body, n, t),
                 TW_VERIFY_MALFORMED);
    CHECK_EQ_INT(tw_verify_slack(slack_secret, "-1531420618", slack_sig, slack_body, n, t),
                 TW_VERIFY_MALFORMED);
    CHECK_EQ_INT(tw_verify_slack(slack_secret, "99999999999999999999", slack_sig, slack_body, n, t),
                 TW_VERIFY_MALFORMED);
    sig[20] = 'g';
    CHECK_EQ_INT(tw_verify_slack(slack_secret, slack_ts, sig, slack_body, n, t),
                 TW_VERIFY_MALFORMED);
    CHECK_EQ_INT(tw_verify_slack("", slack_ts, slack_sig, slack_body, n, t), TW_VERIFY_CONFIG);
    CHECK(strcmp(tw_verify_reason(TW_VERIFY_STALE), "stale timestamp") == 0);
}

static void test_teams(void)
{
    size_t n = strlen(teams_body);
    CHECK_EQ_INT(tw_verify_teams(teams_secret, teams_auth, teams_body, n), TW_VERIFY_OK);
    CHECK_EQ_INT(tw_verify_teams(teams_secret, "hmac 53Lre++8u/aqt+i+alvM6zd0wJX59p25VNrWFI1H8v8=",
                                 teams_body, n),
                 TW_VERIFY_OK);
    CHECK_EQ_INT(tw_verify_teams(teams_secret, teams_auth, teams_body, n - 1), TW_VERIFY_MISMATCH);
    /* The secret used as text instead of decoded: the classic mistake. */
    unsigned char key[64], mac[32];
    char b64[64], auth[80];
    CHECK_EQ_INT(tw_verify_hmac_sha256(teams_secret, strlen(teams_secret), teams_body, n, mac), 0);
    CHECK_EQ_INT(tw_verify_base64_encode(mac, 32, b64, sizeof b64), 44);
    snprintf(auth, sizeof auth, "HMAC %s", b64);
    CHECK_EQ_INT(tw_verify_teams(teams_secret, auth, teams_body, n), TW_VERIFY_MISMATCH);
    /* With the decoded key it matches, which is what the vector says too. */
    int klen = tw_verify_base64_decode(teams_secret, key, sizeof key);
    CHECK_EQ_INT(klen, 32);
    CHECK_EQ_INT(tw_verify_hmac_sha256(key, (size_t)klen, teams_body, n, mac), 0);
    CHECK_EQ_INT(tw_verify_base64_encode(mac, 32, b64, sizeof b64), 44);
    CHECK_EQ_STR(b64, teams_auth + 5);
    CHECK_EQ_INT(tw_verify_teams(teams_secret, NULL, teams_body, n), TW_VERIFY_MISSING);
    CHECK_EQ_INT(tw_verify_teams(teams_secret, "Bearer x", teams_body, n), TW_VERIFY_MALFORMED);
    CHECK_EQ_INT(tw_verify_teams(teams_secret, "HMAC not*base64", teams_body, n),
                 TW_VERIFY_MALFORMED);
    CHECK_EQ_INT(tw_verify_teams(teams_secret, "HMAC AAAA", teams_body, n), TW_VERIFY_MALFORMED);
    CHECK_EQ_INT(tw_verify_teams("not base64!", teams_auth, teams_body, n), TW_VERIFY_CONFIG);
}

static void test_tokens(void)
{
    CHECK(tw_verify_token("s3cret-token", "s3cret-token"));
    CHECK(!tw_verify_token("s3cret-token", "s3cret-tokem"));
    CHECK(!tw_verify_token("s3cret-token", "s3cret-token2"));
    CHECK(!tw_verify_token("s3cret-token", ""));
    CHECK(!tw_verify_token("", ""));
    CHECK(!tw_verify_token(NULL, "x"));
    CHECK(!tw_verify_token("x", NULL));
    CHECK(tw_verify_token("slash-tok, hook-tok", "slash-tok"));
    CHECK(tw_verify_token("slash-tok, hook-tok", "hook-tok"));
    CHECK(tw_verify_token("slash-tok\thook-tok", "hook-tok"));
    CHECK(!tw_verify_token("slash-tok, hook-tok", "slash-tok, hook-tok"));
    CHECK(!tw_verify_token("slash-tok, hook-tok", "slash"));
    CHECK(!tw_verify_token(" , ", ""));
    CHECK(!tw_verify_token("a,b", ""));
    CHECK_EQ_INT(tw_verify_authorization("abc123", "Bearer", "Bearer abc123"), TW_VERIFY_OK);
    CHECK_EQ_INT(tw_verify_authorization("abc123", "Bearer", "bearer  abc123"), TW_VERIFY_OK);
    CHECK_EQ_INT(tw_verify_authorization("abc123", "Bearer", "Bearer abc124"), TW_VERIFY_MISMATCH);
    CHECK_EQ_INT(tw_verify_authorization("abc123", "Bearer", "Bearerabc123"), TW_VERIFY_MALFORMED);
    CHECK_EQ_INT(tw_verify_authorization("abc123", "Bearer", "Token abc123"), TW_VERIFY_MALFORMED);
    CHECK_EQ_INT(tw_verify_authorization("abc123", "Bearer", "Bearer "), TW_VERIFY_MISSING);
    CHECK_EQ_INT(tw_verify_authorization("abc123", "Bearer", NULL), TW_VERIFY_MISSING);
    CHECK_EQ_INT(tw_verify_authorization("", "Bearer", "Bearer "), TW_VERIFY_CONFIG);
    CHECK_EQ_INT(tw_verify_authorization("mm-tok", "Token", "Token mm-tok"), TW_VERIFY_OK);
}

static void test_base64(void)
{
    unsigned char out[16];
    char text[16];
    CHECK_EQ_INT(tw_verify_base64_decode("aGk=", out, sizeof out), 2);
    CHECK(memcmp(out, "hi", 2) == 0);
    CHECK_EQ_INT(tw_verify_base64_decode("aGVsbG8=", out, sizeof out), 5);
    CHECK_EQ_INT(tw_verify_base64_decode("aGVsbA==", out, sizeof out), 4);
    CHECK_EQ_INT(tw_verify_base64_decode("aGVs", out, sizeof out), 3);
    CHECK_EQ_INT(tw_verify_base64_decode("aGk", out, sizeof out), -1);
    CHECK_EQ_INT(tw_verify_base64_decode("aG k", out, sizeof out), -1);
    CHECK_EQ_INT(tw_verify_base64_decode("a=Gk", out, sizeof out), -1);
    CHECK_EQ_INT(tw_verify_base64_decode("", out, sizeof out), -1);
    CHECK_EQ_INT(tw_verify_base64_decode("aGVsbG8gd29ybGQhIQ==", out, 4), -1);
    CHECK_EQ_INT(tw_verify_base64_encode("hi", 2, text, sizeof text), 4);
    CHECK_EQ_STR(text, "aGk=");
    CHECK_EQ_INT(tw_verify_base64_encode("hello world!!!", 14, text, 8), -1);
}

int main(void)
{
    test_hmac();
    test_slack();
    test_teams();
    test_tokens();
    test_base64();
    return check_done();
}
