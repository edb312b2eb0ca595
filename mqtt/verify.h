/* SPDX-License-Identifier: MIT */
/*
 * Who is calling the chat bridge: the checks of PROTOCOL.md's bridge table as
 * pure functions over the raw request bytes and header values. Slack's
 * signature (hex HMAC-SHA256 over "v0:<ts>:<body>" with a 300-second window),
 * the Teams outgoing-webhook HMAC (base64 HMAC-SHA256 keyed with the
 * base64-decoded security token), and shared tokens (Mattermost, bearer).
 * The HMAC and base64 are OpenSSL's libcrypto; every comparison of a secret
 * or a MAC is constant-time (CRYPTO_memcmp over fixed-length digests), so
 * neither the content nor the length of a secret leaks through timing.
 * Nothing here allocates beyond libcrypto's own contexts, logs or keeps state.
 */
#ifndef TW_VERIFY_H
#define TW_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Slack rejects requests whose timestamp is further than this from now. */
#define TW_VERIFY_SLACK_WINDOW 300

/* Why a check failed; TW_VERIFY_OK is 0. */
typedef enum {
    TW_VERIFY_OK = 0,
    TW_VERIFY_MISSING,   /* header or token absent or empty */
    TW_VERIFY_MALFORMED, /* not the expected shape ("v0=" + 64 hex, "HMAC <b64>", digits) */
    TW_VERIFY_STALE,     /* Slack timestamp outside the window (replay) */
    TW_VERIFY_MISMATCH,  /* well formed but wrong */
    TW_VERIFY_CONFIG,    /* our own secret is unusable (Teams secret not base64) */
} tw_verify_result;

/* Short lower-case text for a result ("stale timestamp", ...); static. */
const char *tw_verify_reason(tw_verify_result r);

/*
 * HMAC-SHA256 of len bytes of data under key (key_len bytes) into out.
 * Returns 0, or TW_ERR_INVAL if libcrypto refused.
 */
int tw_verify_hmac_sha256(const void *key, size_t key_len, const void *data, size_t len,
                          unsigned char out[32]);

/*
 * Slack: signature is the X-Slack-Signature header ("v0=" + 64 hex digits,
 * either case), timestamp the X-Slack-Request-Timestamp header (decimal Unix
 * seconds), body the raw bytes exactly as received. now is the current Unix
 * time. The MAC is checked first, then the window, so a forged request and a
 * replayed one cost the same. All arguments borrowed; NULLs count as missing.
 */
tw_verify_result tw_verify_slack(const char *signing_secret, const char *timestamp,
                                 const char *signature, const void *body, size_t len, int64_t now);

/*
 * Microsoft Teams outgoing webhook: authorization is the whole Authorization
 * header ("HMAC <base64>"), secret the webhook's security token as Teams shows
 * it (base64; it is decoded to make the key), body the raw bytes.
 */
tw_verify_result tw_verify_teams(const char *secret_b64, const char *authorization,
                                 const void *body, size_t len);

/*
 * Shared secrets: true when given equals expected, or one of the tokens in
 * expected when it lists several separated by commas or white space (two
 * Mattermost integrations, or an old and a new token while rotating).
 * Compared in constant time (all hashed to fixed-length digests first, every
 * listed token compared). An empty expected or given never matches: an
 * unconfigured secret must not accept an empty token.
 */
bool tw_verify_token(const char *expected, const char *given);

/*
 * An Authorization header of the form "<scheme> <credentials>" (scheme
 * compared case-insensitively, e.g. "Bearer" or "Token"): the credentials
 * checked with tw_verify_token().
 */
tw_verify_result tw_verify_authorization(const char *expected, const char *scheme,
                                         const char *authorization);

/*
 * Base64 (standard alphabet, padding required, no white space) of in into out
 * of size bytes: returns the decoded length, or -1 if the text is not base64
 * or does not fit. Encoding writes a terminated string and returns its length,
 * or -1 if it does not fit.
 */
int tw_verify_base64_decode(const char *in, unsigned char *out, size_t size);
int tw_verify_base64_encode(const void *in, size_t len, char *out, size_t size);

#endif
