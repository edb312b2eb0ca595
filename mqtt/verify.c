/* SPDX-License-Identifier: MIT */
/*
 * Request verification for the chat bridge (see verify.h). The MACs are
 * OpenSSL's EVP_MAC HMAC with SHA-256 fed in parts, so Slack's
 * "v0:<ts>:<body>" base string is never copied; base64 is EVP_DecodeBlock
 * and EVP_EncodeBlock behind a strict shape check (EVP_DecodeBlock alone
 * skips white space and counts padding as data). Secrets and MACs are only
 * ever compared with CRYPTO_memcmp over equal, fixed lengths.
 */
#define LOG_MODULE "verify"
#include "verify.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <string.h>
#include <strings.h>

#include "util.h"

#define MAC_LEN 32

/* Teams security tokens are 32 random bytes in base64; leave room. */
#define TEAMS_KEY_MAX 256

const char *tw_verify_reason(tw_verify_result r)
{
    switch (r) {
    case TW_VERIFY_OK: return "ok";
    case TW_VERIFY_MISSING: return "missing credentials";
    case TW_VERIFY_MALFORMED: return "malformed credentials";
    case TW_VERIFY_STALE: return "stale timestamp";
    case TW_VERIFY_MISMATCH: return "wrong signature or token";
    case TW_VERIFY_CONFIG: return "unusable secret in the configuration";
    }
    return "unknown";
}

struct part {
    const void *data;
    size_t len;
};

/* HMAC-SHA256 of the concatenated parts. 0 or TW_ERR_INVAL. */
static int hmac_parts(const void *key, size_t key_len, const struct part *parts, size_t n,
                      unsigned char out[MAC_LEN])
{
    int ret = TW_ERR_INVAL;
    EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    EVP_MAC_CTX *ctx = mac ? EVP_MAC_CTX_new(mac) : NULL;
    if (!ctx)
        goto out;
    char digest[] = "SHA256";
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
        OSSL_PARAM_construct_end(),
    };
    /* An empty key is legal HMAC but OpenSSL wants a non-NULL pointer. */
    static const unsigned char empty = 0;
    if (!EVP_MAC_init(ctx, key_len ? key : &empty, key_len, params))
        goto out;
    for (size_t i = 0; i < n; i++)
        if (parts[i].len && !EVP_MAC_update(ctx, parts[i].data, parts[i].len))
            goto out;
    size_t got = 0;
    if (!EVP_MAC_final(ctx, out, &got, MAC_LEN) || got != MAC_LEN)
        goto out;
    ret = 0;
out:
    EVP_MAC_CTX_free(ctx);
    EVP_MAC_free(mac);
    return ret;
}

int tw_verify_hmac_sha256(const void *key, size_t key_len, const void *data, size_t len,
                          unsigned char out[32])
{
    if ((!key && key_len) || (!data && len) || !out)
        return TW_ERR_INVAL;
    struct part p = {data, len};
    return hmac_parts(key, key_len, &p, 1, out);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Exactly 2*n hex digits into n bytes. */
static bool hex_decode(const char *s, unsigned char *out, size_t n)
{
    if (strlen(s) != 2 * n)
        return false;
    for (size_t i = 0; i < n; i++) {
        int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return false;
        out[i] = (unsigned char)(hi << 4 | lo);
    }
    return true;
}

/* Decimal Unix seconds, 1 to 12 digits, nothing else. */
static bool parse_seconds(const char *s, int64_t *out)
{
    int64_t v = 0;
    size_t n = 0;
    for (; s[n]; n++) {
        if (s[n] < '0' || s[n] > '9' || n >= 12)
            return false;
        v = v * 10 + (s[n] - '0');
    }
    if (n == 0)
        return false;
    *out = v;
    return true;
}

tw_verify_result tw_verify_slack(const char *signing_secret, const char *timestamp,
                                 const char *signature, const void *body, size_t len, int64_t now)
{
    if (!signing_secret || !*signing_secret)
        return TW_VERIFY_CONFIG;
    if (!timestamp || !*timestamp || !signature || !*signature)
        return TW_VERIFY_MISSING;
    if (!body && len)
        return TW_VERIFY_MALFORMED;
    int64_t ts;
    unsigned char given[MAC_LEN], want[MAC_LEN];
    if (!parse_seconds(timestamp, &ts) || strncmp(signature, "v0=", 3) != 0 ||
        !hex_decode(signature + 3, given, sizeof given))
        return TW_VERIFY_MALFORMED;

    struct part parts[] = {
        {"v0:", 3},
        {timestamp, strlen(timestamp)},
        {":", 1},
        {body, len},
    };
    if (hmac_parts(signing_secret, strlen(signing_secret), parts, TW_ARRAY_LEN(parts), want))
        return TW_VERIFY_CONFIG;
    if (CRYPTO_memcmp(given, want, MAC_LEN) != 0)
        return TW_VERIFY_MISMATCH;
    /* Signed, but maybe captured and sent again later. */
    int64_t age = now - ts;
    if (age > TW_VERIFY_SLACK_WINDOW || age < -TW_VERIFY_SLACK_WINDOW)
        return TW_VERIFY_STALE;
    return TW_VERIFY_OK;
}

tw_verify_result tw_verify_teams(const char *secret_b64, const char *authorization,
                                 const void *body, size_t len)
{
    unsigned char key[TEAMS_KEY_MAX], given[MAC_LEN + 3], want[MAC_LEN];
    tw_verify_result r;
    int key_len;

    if (!secret_b64 || !*secret_b64)
        return TW_VERIFY_CONFIG;
    if (!authorization || !*authorization)
        return TW_VERIFY_MISSING;
    if (!body && len)
        return TW_VERIFY_MALFORMED;
    key_len = tw_verify_base64_decode(secret_b64, key, sizeof key);
    if (key_len <= 0) {
        r = TW_VERIFY_CONFIG;
        goto out;
    }
    if (strncasecmp(authorization, "HMAC ", 5) != 0) {
        r = TW_VERIFY_MALFORMED;
        goto out;
    }
    const char *b64 = authorization + 5;
    while (*b64 == ' ')
        b64++;
    if (tw_verify_base64_decode(b64, given, sizeof given) != MAC_LEN) {
        r = TW_VERIFY_MALFORMED;
        goto out;
    }
    if (tw_verify_hmac_sha256(key, (size_t)key_len, body, len, want)) {
        r = TW_VERIFY_CONFIG;
        goto out;
    }
    r = CRYPTO_memcmp(given, want, MAC_LEN) == 0 ? TW_VERIFY_OK : TW_VERIFY_MISMATCH;
out:
    OPENSSL_cleanse(key, sizeof key);
    return r;
}

bool tw_verify_token(const char *expected, const char *given)
{
    unsigned char want[MAC_LEN], got[MAC_LEN];
    unsigned int n = 0;
    if (!expected || !given)
        return false;
    /* Digests have one length whatever the tokens' lengths, so the compares
     * below neither stop early nor depend on how long any token is; every
     * listed token is compared, so which one matched does not show either. */
    if (!EVP_Digest(given, strlen(given), got, &n, EVP_sha256(), NULL) || n != MAC_LEN)
        return false;
    int match = 0;
    const char *p = expected;
    for (;;) {
        while (*p == ',' || *p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        size_t len = strcspn(p, ", \t");
        if (EVP_Digest(p, len, want, &n, EVP_sha256(), NULL) && n == MAC_LEN)
            match |= CRYPTO_memcmp(want, got, MAC_LEN) == 0;
        p += len;
    }
    return match && *given;
}

tw_verify_result tw_verify_authorization(const char *expected, const char *scheme,
                                         const char *authorization)
{
    if (!expected || !*expected)
        return TW_VERIFY_CONFIG;
    if (!authorization || !*authorization || !scheme)
        return TW_VERIFY_MISSING;
    size_t n = strlen(scheme);
    if (strncasecmp(authorization, scheme, n) != 0 || authorization[n] != ' ')
        return TW_VERIFY_MALFORMED;
    const char *cred = authorization + n;
    while (*cred == ' ')
        cred++;
    if (!*cred)
        return TW_VERIFY_MISSING;
    return tw_verify_token(expected, cred) ? TW_VERIFY_OK : TW_VERIFY_MISMATCH;
}

static bool b64_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
           c == '/';
}

int tw_verify_base64_decode(const char *in, unsigned char *out, size_t size)
{
    if (!in || !out)
        return -1;
    size_t n = strlen(in);
    if (n == 0 || n % 4 != 0 || n > (size_t)1 << 20)
        return -1;
    size_t pad = 0;
    if (in[n - 1] == '=')
        pad = in[n - 2] == '=' ? 2 : 1;
    for (size_t i = 0; i < n - pad; i++)
        if (!b64_char(in[i]))
            return -1;
    size_t full = n / 4 * 3;
    if (full > size)
        return -1;
    int got = EVP_DecodeBlock(out, (const unsigned char *)in, (int)n);
    if (got < 0 || (size_t)got != full)
        return -1;
    return (int)(full - pad);
}

int tw_verify_base64_encode(const void *in, size_t len, char *out, size_t size)
{
    if ((!in && len) || !out || len > (size_t)1 << 20)
        return -1;
    size_t need = (len + 2) / 3 * 4 + 1;
    if (need > size)
        return -1;
    int got = EVP_EncodeBlock((unsigned char *)out, len ? in : (const void *)"", (int)len);
    return got < 0 ? -1 : got;
}
