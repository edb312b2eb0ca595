/* SPDX-License-Identifier: MIT */
/*
 * The chat bridge's language (see chat.h): request bodies to requests,
 * command text to commands, and every text the bridge sends back. Bodies come
 * from the network after verification, so they are still treated as hostile:
 * every copy is bounded, JSON is parsed from a terminated copy (cJSON has been
 * seen to read past the length it is given) with cJSON's nesting limit, and
 * text goes through the board's own text rules (tw_text_clean) before it
 * becomes a command. Replies are escaped for the markup of the chat they go
 * to, and @channel-style mentions are defused, so an item's text can neither
 * format nor page a whole channel.
 */
#define _POSIX_C_SOURCE 200809L
#define LOG_MODULE      "chat"
#include "chat.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "i18n.h"
#include "codec.h"
#include "i18n.h"
#include "store.h"
#include "text.h"
#include "util.h"

/* Items listed by "board" before "…and N more". */
#define BOARD_MAX_LINES 40
/* Item text quoted in a reply or notification, in characters. */
#define QUOTE_CHARS 200

static const char *const sources[TW_CHAT_PLATFORM_COUNT] = {"slack", "mattermost", "mattermost",
                                                            "teams", "api"};

const char *tw_chat_source(tw_chat_platform p)
{
    return (unsigned)p < TW_CHAT_PLATFORM_COUNT ? sources[p] : "chat";
}

/* ---- small helpers ---- */

/* A growing string; aborts on out-of-memory like everything else. */
struct sb {
    char *p;
    size_t len, cap;
};

static void sb_add(struct sb *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        b->p = tw_xrealloc(b->p, cap);
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void sb_adds(struct sb *b, const char *s)
{
    sb_add(b, s, strlen(s));
}

static void sb_addf(struct sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_addf(struct sb *b, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof buf) {
        sb_add(b, buf, (size_t)n);
        return;
    }
    char *big = tw_xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb_add(b, big, (size_t)n);
    free(big);
}

/* Copy n bytes of src into dst (size bytes), terminated; flag what did not fit. */
static void put(char *dst, size_t size, const char *src, size_t n, bool *too_long)
{
    if (n >= size) {
        n = size - 1;
        if (too_long)
            *too_long = true;
    }
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static void oom(void)
{
    fprintf(stderr, "chat: out of memory building JSON; aborting so the service restarts\n");
    abort();
}

static int fail(char *reason, size_t reason_size, const char *why)
{
    if (reason && reason_size)
        tw_strlcpy(reason, why, reason_size);
    return TW_ERR_PARSE;
}

static uint64_t fnv1a(const void *data, size_t len, uint64_t h)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}
#define FNV_BASIS 0xcbf29ce484222325ULL

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Skip ASCII white space and U+00A0 (chat clients love no-break spaces). */
static const char *skip_ws(const char *s)
{
    for (;;) {
        if (is_space(*s))
            s++;
        else if ((unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0)
            s += 2;
        else
            return s;
    }
}

static size_t word_len(const char *s)
{
    size_t n = 0;
    while (s[n] && !is_space(s[n]) &&
           !((unsigned char)s[n] == 0xC2 && (unsigned char)s[n + 1] == 0xA0))
        n++;
    return n;
}

/* ---- request bodies ---- */

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

/* Form-decode n bytes of s into out (size > 0); returns the decoded length
 * (which may exceed what was written), NUL bytes dropped. */
static size_t form_decode(const char *s, size_t n, char *out, size_t size)
{
    size_t o = 0, total = 0;
    for (size_t i = 0; i < n; i++) {
        int c = (unsigned char)s[i];
        if (c == '+') {
            c = ' ';
        } else if (c == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
            c = hexval(s[i + 1]) << 4 | hexval(s[i + 2]);
            i += 2;
        }
        if (c == 0)
            continue;
        if (o + 1 < size)
            out[o++] = (char)c;
        total++;
    }
    out[o] = '\0';
    return total;
}

int tw_chat_form_get(const void *body, size_t len, const char *key, char *out, size_t size)
{
    if (!out || !size || !key)
        return -1;
    out[0] = '\0';
    if (!body)
        return -1;
    const char *s = body, *end = s + len;
    char name[64];
    while (s < end) {
        const char *amp = memchr(s, '&', (size_t)(end - s));
        const char *pair_end = amp ? amp : end;
        const char *eq = memchr(s, '=', (size_t)(pair_end - s));
        const char *key_end = eq ? eq : pair_end;
        size_t klen = form_decode(s, (size_t)(key_end - s), name, sizeof name);
        if (klen < sizeof name && strcmp(name, key) == 0) {
            const char *v = eq ? eq + 1 : pair_end;
            size_t n = form_decode(v, (size_t)(pair_end - v), out, size);
            if (n >= size)
                return -2;
            return (int)n;
        }
        s = pair_end + 1;
    }
    return -1;
}

/* A form field into dst; absent leaves "". */
static void form_field(const void *body, size_t len, const char *key, char *dst, size_t size,
                       bool *too_long)
{
    if (tw_chat_form_get(body, len, key, dst, size) == -2)
        *too_long = true;
}

static bool is_json(const char *content_type)
{
    if (!content_type)
        return false;
    while (*content_type == ' ')
        content_type++;
    return strncasecmp(content_type, "application/json", 16) == 0;
}

/* Parse len bytes as one JSON object, from a terminated copy. */
static cJSON *parse_object(const void *body, size_t len, char *reason, size_t rs, int *rc)
{
    char *copy = tw_xmalloc(len + 1);
    if (len)
        memcpy(copy, body, len);
    copy[len] = '\0';
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(copy, len, &end, false);
    if (root) {
        size_t used = (size_t)(end - copy);
        bool bad = used > len;
        for (size_t i = used; !bad && i < len; i++)
            bad = !is_space(copy[i]);
        if (bad) {
            cJSON_Delete(root);
            root = NULL;
        }
    }
    free(copy);
    *rc = 0;
    if (!root) {
        *rc = fail(reason, rs, "invalid JSON");
        return NULL;
    }
    if (!cJSON_IsObject(root)) {
        cJSON_Delete(root);
        *rc = fail(reason, rs, "body must be a JSON object");
        return NULL;
    }
    return root;
}

/* A string member into dst; absent or null leaves "". Other types fail. */
static int json_field(const cJSON *obj, const char *key, char *dst, size_t size, bool *too_long,
                      char *reason, size_t rs)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    dst[0] = '\0';
    if (!v || cJSON_IsNull(v))
        return 0;
    if (!cJSON_IsString(v) || !v->valuestring) {
        char why[96];
        snprintf(why, sizeof why, "%s must be a string", key);
        return fail(reason, rs, why);
    }
    put(dst, size, v->valuestring, strlen(v->valuestring), too_long);
    return 0;
}

/* Append code point cp as UTF-8. */
static size_t utf8_put(uint32_t cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | cp >> 12);
        out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | cp >> 18);
    out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* An HTML entity at s ("&amp;", "&#39;", "&#x1F600;"): its UTF-8 into out
 * and the bytes consumed, or 0 if it is not one we know. */
static size_t entity(const char *s, char out[4], size_t *out_len)
{
    static const struct {
        const char *name;
        const char *text;
    } named[] = {{"&amp;", "&"},   {"&lt;", "<"},   {"&gt;", ">"},
                 {"&quot;", "\""}, {"&apos;", "'"}, {"&nbsp;", " "}};
    for (size_t i = 0; i < TW_ARRAY_LEN(named); i++) {
        size_t n = strlen(named[i].name);
        if (strncasecmp(s, named[i].name, n) == 0) {
            *out_len = strlen(named[i].text);
            memcpy(out, named[i].text, *out_len);
            return n;
        }
    }
    if (s[1] != '#')
        return 0;
    size_t i = 2;
    int base = 10;
    if (s[i] == 'x' || s[i] == 'X') {
        base = 16;
        i++;
    }
    uint32_t cp = 0;
    size_t digits = 0;
    for (; s[i] && s[i] != ';' && digits < 8; i++, digits++) {
        int v = hexval(s[i]);
        if (v < 0 || v >= base)
            return 0;
        cp = cp * (uint32_t)base + (uint32_t)v;
    }
    if (s[i] != ';' || digits == 0 || cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    *out_len = utf8_put(cp, out);
    return i + 1;
}

/* The "</at>" that ends a Teams mention, any case; NULL if none. */
static const char *find_close_at(const char *s)
{
    for (; *s; s++)
        if (strncasecmp(s, "</at>", 5) == 0)
            return s;
    return NULL;
}

/* Teams sends the message as HTML with the bot's mention in it:
 * "<at>Wall</at>&nbsp;blocker CI is red<br>". Drop the mentions, turn other
 * tags into spaces (the text rules fold them), decode entities. */
static void teams_text(const char *in, char *out, size_t size, bool *too_long)
{
    size_t o = 0;
    for (const char *s = in; *s;) {
        char buf[8];
        size_t n = 0;
        if (*s == '<') {
            if (strncasecmp(s, "<at>", 4) == 0 || strncasecmp(s, "<at ", 4) == 0) {
                const char *close = find_close_at(s);
                if (close) {
                    s = close + 5;
                    continue;
                }
            }
            const char *gt = strchr(s, '>');
            if (gt) {
                s = gt + 1;
                buf[0] = ' ';
                n = 1;
            } else {
                buf[0] = *s++;
                n = 1;
            }
        } else if (*s == '&') {
            size_t used = entity(s, buf, &n);
            if (used) {
                s += used;
            } else {
                buf[0] = *s++;
                n = 1;
            }
        } else {
            buf[0] = *s++;
            n = 1;
        }
        if (o + n >= size) {
            *too_long = true;
            break;
        }
        memcpy(out + o, buf, n);
        o += n;
    }
    out[o] = '\0';
}

/*
 * Slack sends message text with &, < and > escaped as entities, and (with
 * "escape channels, users and links" on) mentions and links in angle
 * brackets: <@U024BE7LH|ana>, <#C024BE7LB|general>, <!here>,
 * <https://example.com|example>. Turn it back into what the user typed, in
 * place (the result is never longer).
 */
static void slack_unescape(char *text)
{
    char *o = text;
    for (const char *s = text; *s;) {
        if (*s == '<') {
            const char *end = strchr(s, '>');
            if (end) {
                const char *bar = memchr(s, '|', (size_t)(end - s));
                const char *from = bar ? bar + 1 : s + 1;
                /* <@U1|ana> is @ana, <#C1|general> #general, <!here> @here. */
                if (s[1] == '!') {
                    *o++ = '@';
                    from = bar ? bar + 1 : s + 2;
                } else if (bar && (s[1] == '@' || s[1] == '#')) {
                    *o++ = s[1];
                }
                memmove(o, from, (size_t)(end - from));
                o += end - from;
                s = end + 1;
                continue;
            }
        }
        if (*s == '&') {
            static const struct {
                const char *entity;
                char c;
            } ents[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}};
            size_t i;
            for (i = 0; i < TW_ARRAY_LEN(ents); i++)
                if (strncmp(s, ents[i].entity, strlen(ents[i].entity)) == 0)
                    break;
            if (i < TW_ARRAY_LEN(ents)) {
                *o++ = ents[i].c;
                s += strlen(ents[i].entity);
                continue;
            }
        }
        *o++ = *s++;
    }
    *o = '\0';
}

/* Mattermost outgoing webhooks repeat the trigger word at the start of the text. */
static void strip_trigger(char *text, const char *trigger)
{
    size_t n = strlen(trigger);
    const char *s = skip_ws(text);
    if (n && strncasecmp(s, trigger, n) == 0 && (s[n] == '\0' || is_space(s[n]))) {
        const char *rest = s + n;
        memmove(text, rest, strlen(rest) + 1);
    }
}

int tw_chat_decode(tw_chat_platform p, const char *content_type, const void *body, size_t len,
                   tw_chat_request *out, char *reason, size_t rs)
{
    if (reason && rs)
        reason[0] = '\0';
    if (!out || (!body && len) || (unsigned)p >= TW_CHAT_PLATFORM_COUNT)
        return fail(reason, rs, "invalid argument");
    memset(out, 0, sizeof *out);
    bool *tl = &out->too_long;

    bool json =
        p == TW_CHAT_TEAMS || p == TW_CHAT_API ||
        ((p == TW_CHAT_MATTERMOST || p == TW_CHAT_MATTERMOST_OUTGOING) && is_json(content_type));
    if (!json) {
        if (body && memchr(body, '\0', len))
            return fail(reason, rs, "NUL byte in form body");
        if (p == TW_CHAT_MATTERMOST_OUTGOING) {
            form_field(body, len, "trigger_word", out->command, sizeof out->command, tl);
            form_field(body, len, "post_id", out->uid, sizeof out->uid, tl);
        } else {
            form_field(body, len, "command", out->command, sizeof out->command, tl);
            form_field(body, len, "trigger_id", out->uid, sizeof out->uid, tl);
        }
        form_field(body, len, "text", out->text, sizeof out->text, tl);
        form_field(body, len, "user_name", out->user, sizeof out->user, tl);
        if (!out->user[0])
            form_field(body, len, "user_id", out->user, sizeof out->user, tl);
        form_field(body, len, "token", out->token, sizeof out->token, tl);
        if (p == TW_CHAT_MATTERMOST_OUTGOING)
            strip_trigger(out->text, out->command);
        if (p == TW_CHAT_SLACK)
            slack_unescape(out->text);
        return 0;
    }

    int rc;
    cJSON *root = parse_object(body, len, reason, rs, &rc);
    if (!root)
        return rc;
    switch (p) {
    case TW_CHAT_MATTERMOST:
    case TW_CHAT_MATTERMOST_OUTGOING: {
        bool outgoing = p == TW_CHAT_MATTERMOST_OUTGOING;
        if ((rc = json_field(root, outgoing ? "trigger_word" : "command", out->command,
                             sizeof out->command, tl, reason, rs)) ||
            (rc = json_field(root, outgoing ? "post_id" : "trigger_id", out->uid, sizeof out->uid,
                             tl, reason, rs)) ||
            (rc = json_field(root, "text", out->text, sizeof out->text, tl, reason, rs)) ||
            (rc = json_field(root, "user_name", out->user, sizeof out->user, tl, reason, rs)) ||
            (rc = json_field(root, "token", out->token, sizeof out->token, tl, reason, rs)))
            break;
        if (outgoing)
            strip_trigger(out->text, out->command);
        break;
    }
    case TW_CHAT_TEAMS: {
        char *html = tw_xmalloc(TW_CHAT_TEXT_SIZE);
        if ((rc = json_field(root, "id", out->uid, sizeof out->uid, tl, reason, rs)) ||
            (rc = json_field(root, "text", html, TW_CHAT_TEXT_SIZE, tl, reason, rs))) {
            free(html);
            break;
        }
        teams_text(html, out->text, sizeof out->text, tl);
        free(html);
        const cJSON *from = cJSON_GetObjectItemCaseSensitive(root, "from");
        if (from && !cJSON_IsNull(from)) {
            if (!cJSON_IsObject(from)) {
                rc = fail(reason, rs, "from must be an object");
                break;
            }
            rc = json_field(from, "name", out->user, sizeof out->user, tl, reason, rs);
        }
        break;
    }
    case TW_CHAT_API:
        (void)((rc = json_field(root, "command", out->command, sizeof out->command, tl, reason,
                                rs)) ||
               (rc = json_field(root, "text", out->text, sizeof out->text, tl, reason, rs)) ||
               (rc = json_field(root, "author", out->user, sizeof out->user, tl, reason, rs)) ||
               (rc = json_field(root, "id", out->uid, sizeof out->uid, tl, reason, rs)));
        break;
    default: rc = fail(reason, rs, "invalid argument"); break;
    }
    cJSON_Delete(root);
    if (rc) {
        memset(out, 0, sizeof *out);
        return rc;
    }
    return 0;
}

/* ---- ids and refs ---- */

void tw_chat_make_id(tw_chat_platform p, const char *uid, char out[TW_ID_SIZE])
{
    const char *src = tw_chat_source(p);
    char id[TW_ID_SIZE + TW_CHAT_UID_SIZE];
    snprintf(id, sizeof id, "%s-%s", src, uid ? uid : "");
    if (strlen(id) <= TW_ID_MAX && tw_id_valid(id)) {
        tw_strlcpy(out, id, TW_ID_SIZE);
        return;
    }
    uint64_t h = fnv1a(uid ? uid : "", uid ? strlen(uid) : 0, FNV_BASIS);
    snprintf(out, TW_ID_SIZE, "%s-h%016llx", src, (unsigned long long)h);
}

void tw_chat_fallback_uid(const void *body, size_t len, int64_t now, char *out, size_t size)
{
    int64_t minute = now / 60;
    uint64_t h = fnv1a(body, body ? len : 0, FNV_BASIS);
    h = fnv1a(&minute, sizeof minute, h);
    snprintf(out, size, "b%016llx-%lld", (unsigned long long)h, (long long)minute);
}

void tw_chat_ref(const char *id, char out[TW_REF_MIN + 1])
{
    char hash[TW_REF_SIZE];
    tw_store_hash_id(id, hash);
    memcpy(out, hash, TW_REF_MIN);
    out[TW_REF_MIN] = '\0';
}

/* ---- command text ---- */

enum verb {
    V_BLOCKER,
    V_QUESTION,
    V_WIN,
    V_ANSWER,
    V_RESOLVE,
    V_CLAIM,
    V_REOPEN,
    V_BOARD,
    V_HELP,
    V_STANDUP,
    V_NEXT,
    V_DONE
};
static const char *const verbs[] = {"blocker", "question", "win",  "answer",  "resolve", "claim",
                                    "reopen",  "board",    "help", "standup", "next",    "done"};

static int find_verb(const char *s, size_t n)
{
    char low[16];
    if (n == 0 || n >= sizeof low)
        return -1;
    for (size_t i = 0; i < n; i++)
        low[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] - 'A' + 'a') : s[i];
    low[n] = '\0';
    for (size_t i = 0; i < TW_ARRAY_LEN(verbs); i++)
        if (strcmp(low, verbs[i]) == 0)
            return (int)i;
    return -1;
}

static void invalid(tw_chat_action *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void invalid(tw_chat_action *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->error, sizeof a->error, fmt, ap);
    va_end(ap);
    a->verb = TW_CHAT_INVALID;
}

/* Echo at most 32 characters of what the user typed, printable. */
static void echo(const char *s, size_t n, char *out, size_t size)
{
    char tmp[64 * 4 + 1];
    tw_text_escape_head(s, n, 32, tmp, sizeof tmp);
    tw_strlcpy(out, tmp, size);
}

/* Take a ref word from *s into ref; false (with a->error set) if there is
 * none or it cannot be a ref. */
static bool take_ref(tw_chat_action *a, const char *verb, const char **s, char ref[TW_ID_SIZE])
{
    const char *w = skip_ws(*s);
    size_t n = word_len(w);
    if (n == 0) {
        invalid(a, _("Which item? Give its ref from the card, e.g. `%s k3f9`."), verb);
        return false;
    }
    const char *r = w;
    size_t rn = n;
    if (*r == '#') { /* people write #k3f9 */
        r++;
        rn--;
    }
    char shown[160];
    echo(w, n, shown, sizeof shown);
    if (rn < TW_REF_MIN || rn > TW_ID_MAX) {
        invalid(a,
                "\"%s\" is not a ref: use the characters on the card (at least %d), "
                "see `board`.",
                shown, TW_REF_MIN);
        return false;
    }
    memcpy(ref, r, rn);
    ref[rn] = '\0';
    if (!tw_id_valid(ref)) {
        invalid(a, _("\"%s\" is not a ref: use the characters on the card, see `board`."), shown);
        return false;
    }
    *s = w + n;
    return true;
}

/* Clean text for a card or a note; false with a->error set. */
static bool clean_text(tw_chat_action *a, const char *what, const char *example, const char *in,
                       size_t min, size_t max, char *out, size_t size)
{
    const char *why = NULL;
    if (tw_text_clean(in, strlen(in), min, max, out, size, &why) == 0)
        return true;
    if (why && strstr(why, "empty"))
        invalid(a, _("What is the %s? Write it after the command, e.g. `%s`."), what, example);
    else if (why && strstr(why, "long"))
        invalid(a, _("That %s is too long: the wall takes at most %zu characters."), what, max);
    else
        invalid(a, _("That %s is not valid text (%s)."), what, why ? why : "rejected");
    return false;
}

static void clean_author(const char *user, char out[TW_AUTHOR_SIZE])
{
    char buf[TW_AUTHOR_SIZE];
    out[0] = '\0';
    if (tw_text_clean(user, strlen(user), 0, TW_AUTHOR_SIZE, buf, sizeof buf, NULL) == 0) {
        size_t n = tw_utf8_prefix(buf, TW_AUTHOR_MAX_CHARS);
        while (n && buf[n - 1] == ' ') /* the cut may land after a space */
            n--;
        memcpy(out, buf, n);
        out[n] = '\0';
    }
    if (!out[0])
        tw_strlcpy(out, "someone", TW_AUTHOR_SIZE);
}

void tw_chat_parse(tw_chat_platform p, const tw_chat_request *req, tw_chat_action *out)
{
    memset(out, 0, sizeof *out);
    if (!req || (unsigned)p >= TW_CHAT_PLATFORM_COUNT) {
        invalid(out, "%s", _("That request could not be read."));
        return;
    }
    if (req->too_long) {
        invalid(out, _("That is too long: a card takes at most %d characters."), TW_TEXT_MAX_CHARS);
        return;
    }

    /* "/blocker …" names the verb; "/wall blocker …" (or any other name, or
     * none) leaves it to the first word of the text. */
    const char *name = req->command;
    while (*name == '/' || *name == '#' || *name == '!' || *name == '@')
        name++;
    int v = find_verb(name, strlen(name));
    const char *args = req->text;
    if (v < 0) {
        const char *w = skip_ws(req->text);
        size_t n = word_len(w);
        if (n == 0) {
            out->verb = TW_CHAT_HELP;
            return;
        }
        const char *vw = w;
        size_t vn = n;
        while (vn && *vw == '/') {
            vw++;
            vn--;
        }
        v = find_verb(vw, vn);
        if (v < 0) {
            char shown[160];
            echo(w, n, shown, sizeof shown);
            invalid(out, "I don't know \"%s\".", shown);
            return;
        }
        args = w + n;
    }

    tw_command *c = &out->cmd;
    tw_strlcpy(c->source, tw_chat_source(p), sizeof c->source);
    clean_author(req->user, c->author);
    const char *s = args;
    switch ((enum verb)v) {
    case V_HELP: out->verb = TW_CHAT_HELP; return;
    case V_STANDUP:
    case V_NEXT:
    case V_DONE:
        if (*skip_ws(s)) {
            invalid(out, "`%s` takes nothing after it.", verbs[v]);
            return;
        }
        out->standup = v == V_STANDUP ? TW_SU_START : v == V_NEXT ? TW_SU_NEXT : TW_SU_STOP;
        out->verb = TW_CHAT_STANDUP;
        return;
    case V_BOARD: out->verb = TW_CHAT_BOARD; return;
    case V_BLOCKER:
    case V_QUESTION:
    case V_WIN: {
        static const char *const examples[] = {"/wall blocker Waiting on prod DB access",
                                               "/wall question Who knows the VPN setup?",
                                               "/wall win Release 4.2 shipped"};
        c->type = TW_CMD_POST;
        c->kind = (tw_kind)v;
        if (!clean_text(out, verbs[v], examples[v], s, 1, TW_TEXT_MAX_CHARS, c->text,
                        sizeof c->text))
            return;
        tw_chat_make_id(p, req->uid, c->id);
        break;
    }
    case V_ANSWER:
    case V_RESOLVE: {
        c->type = TW_CMD_RESOLVE;
        out->answer = v == V_ANSWER;
        if (!take_ref(out, verbs[v], &s, c->ref))
            return;
        if (!clean_text(out, out->answer ? "answer" : "note",
                        out->answer ? "/wall answer k3f9 Ask IT; the form is on the wiki"
                                    : "/wall resolve k3f9 Fixed by restarting the runner",
                        s, out->answer ? 1 : 0, TW_NOTE_MAX_CHARS, c->note, sizeof c->note))
            return;
        /* The platform's id makes a retried change one change too. */
        tw_chat_make_id(p, req->uid, c->id);
        break;
    }
    case V_CLAIM:
    case V_REOPEN: {
        c->type = v == V_CLAIM ? TW_CMD_CLAIM : TW_CMD_REOPEN;
        if (!take_ref(out, verbs[v], &s, c->ref))
            return;
        if (*skip_ws(s)) {
            invalid(out, "`%s` takes just the ref, e.g. `%s k3f9`.", verbs[v], verbs[v]);
            return;
        }
        tw_chat_make_id(p, req->uid, c->id);
        break;
    }
    }
    out->verb = TW_CHAT_RUN;
}

/* ---- texts ---- */

const char *tw_chat_help_text(void)
{
    /* TRANSLATORS: the command words themselves (blocker, question, ...)
     * stay in English: they are what the bridge understands. */
    return _("Commands for the wall (as `/wall <command>` or as their own slash command):\n"
             "• `blocker <text>` put a blocker on the wall\n"
             "• `question <text>` ask the team a question\n"
             "• `win <text>` share a win\n"
             "• `answer <ref> <text>` answer a question (resolves it with your answer)\n"
             "• `resolve <ref> [note]` mark an item resolved, with an optional note\n"
             "• `claim <ref>` say you are on it\n"
             "• `reopen <ref>` reopen a resolved item\n"
             "• `board` list what is open, with refs\n"
             "• `standup` start the stand-up on the wall, `next` move on, `done` end it\n"
             "• `help` this list\n"
             "A ref is the short code on the card, e.g. `k3f9`.");
}

char *tw_chat_standup_json(const tw_chat_action *a, const void *state, size_t len)
{
    tw_standup_cmd cmd;
    memset(&cmd, 0, sizeof cmd);
    cmd.action = a->standup;
    tw_strlcpy(cmd.by, a->cmd.author, sizeof cmd.by);
    tw_strlcpy(cmd.source, a->cmd.source, sizeof cmd.source);
    cJSON *root = state ? cJSON_ParseWithLength(state, len) : NULL;
    const cJSON *su = cJSON_GetObjectItemCaseSensitive(root, "standup");
    const cJSON *pos = cJSON_GetObjectItemCaseSensitive(su, "position");
    const cJSON *phase = cJSON_GetObjectItemCaseSensitive(su, "phase");
    if (cmd.action != TW_SU_START && cJSON_IsNumber(pos) && pos->valuedouble >= 1 &&
        !(cJSON_IsString(phase) && strcmp(phase->valuestring, "summary") == 0))
        cmd.at = (int)pos->valuedouble;
    cJSON_Delete(root);
    return tw_codec_encode_standup(&cmd, NULL);
}

const char *tw_chat_standup_text(const tw_chat_action *a)
{
    switch (a->standup) {
    case TW_SU_START: return _("Stand-up started on the wall.");
    case TW_SU_NEXT: return _("On to the next item.");
    case TW_SU_STOP: return _("Stand-up ended: the summary is on the wall.");
    default: return _("Done.");
    }
}

/* At most QUOTE_CHARS characters of s, with "…" when cut. */
static void quote(const char *s, char *out, size_t size)
{
    size_t n = tw_utf8_prefix(s, QUOTE_CHARS);
    if (n >= size)
        n = tw_utf8_prefix(s, (size - 4) / 4);
    memcpy(out, s, n);
    out[n] = '\0';
    if (s[n] && n + 4 <= size)
        memcpy(out + n, "\xE2\x80\xA6", 4);
}

void tw_chat_done_text(const tw_chat_action *a, const char *ref, const char *known_text, char *out,
                       size_t size)
{
    char q[QUOTE_CHARS * 4 + 4] = "";
    char about[sizeof q + 16] = "";
    const tw_command *c = &a->cmd;
    if (known_text && *known_text) {
        quote(known_text, q, sizeof q);
        snprintf(about, sizeof about, " \xE2\x80\x9C%s\xE2\x80\x9D", q);
    }
    if (!ref)
        ref = c->ref;
    switch (c->type) {
    case TW_CMD_POST:
        quote(c->text, q, sizeof q);
        snprintf(out, size, _("Done: %s %s is on the wall: \xE2\x80\x9C%s\xE2\x80\x9D"),
                 tw_kind_name(c->kind), ref, q);
        return;
    case TW_CMD_CLAIM:
        snprintf(out, size, _("Done: %s%s is claimed by %s."), ref, about, c->author);
        return;
    case TW_CMD_RESOLVE:
        if (a->answer)
            snprintf(out, size, _("Done: answered %s%s."), ref, about);
        else if (c->note[0])
            snprintf(out, size, _("Done: %s%s is resolved, with your note."), ref, about);
        else
            snprintf(out, size, _("Done: %s%s is resolved."), ref, about);
        return;
    case TW_CMD_REOPEN: snprintf(out, size, _("Done: %s%s is open again."), ref, about); return;
    case TW_CMD_REDACT: snprintf(out, size, _("Done: %s is redacted."), ref); return;
    }
    snprintf(out, size, _("Done."));
}

static const char *str_of(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(v) && v->valuestring ? v->valuestring : "";
}

static cJSON *parse_any(const void *data, size_t len)
{
    if (!data)
        return NULL;
    int rc;
    return parse_object(data, len, NULL, 0, &rc);
}

char *tw_chat_board_text(const void *state, size_t len)
{
    static const char *const headings[] = {N_("Blockers"), N_("Questions"), N_("Wins")};
    cJSON *root = parse_any(state, len);
    if (!root)
        return NULL;
    const cJSON *items = cJSON_GetObjectItemCaseSensitive(root, "items");
    struct sb b = {0};
    int total = 0, shown = 0;
    const cJSON *list = cJSON_IsArray(items) ? items : NULL;
    const cJSON *it;
    cJSON_ArrayForEach(it, list)
    {
        if (cJSON_IsObject(it) && tw_kind_parse(str_of(it, "kind")) >= 0)
            total++;
    }
    /* A big wall's state carries only some items, and open counts for all. */
    const cJSON *open = cJSON_GetObjectItemCaseSensitive(root, "open");
    if (cJSON_IsObject(open)) {
        int counted = 0;
        for (int k = 0; k < TW_KIND_COUNT; k++) {
            const cJSON *n = cJSON_GetObjectItemCaseSensitive(open, tw_kind_name((tw_kind)k));
            if (cJSON_IsNumber(n) && n->valuedouble >= 0 && n->valuedouble < 1e9)
                counted += (int)n->valuedouble;
        }
        if (counted > total)
            total = counted;
    }
    if (total == 0) {
        sb_adds(&b, _("Nothing is open on the wall."));
        cJSON_Delete(root);
        return b.p;
    }
    const char *board = str_of(root, "board");
    sb_addf(&b, _("Open on the wall%s%s%s: %d\n"), *board ? " (" : "", board, *board ? ")" : "",
            total);
    for (int k = 0; k < TW_KIND_COUNT; k++) {
        bool heading = false;
        cJSON_ArrayForEach(it, list)
        {
            if (!cJSON_IsObject(it) || tw_kind_parse(str_of(it, "kind")) != k)
                continue;
            if (shown >= BOARD_MAX_LINES)
                break;
            if (!heading) {
                sb_addf(&b, "*%s*\n", _(headings[k]));
                heading = true;
            }
            char q[QUOTE_CHARS * 4 + 4];
            quote(str_of(it, "text"), q, sizeof q);
            sb_addf(&b, "\xE2\x80\xA2 `%s` %s (%s", str_of(it, "ref"), q, str_of(it, "author"));
            const char *by = str_of(it, "claimed_by");
            if (strcmp(str_of(it, "state"), "claimed") == 0 && *by)
                sb_addf(&b, _(", claimed by %s"), by);
            sb_adds(&b, ")\n");
            shown++;
        }
    }
    if (shown < total)
        sb_addf(&b,
                "\xE2\x80\xA6"
                "and %d more.\n",
                total - shown);
    b.p[--b.len] = '\0'; /* the last newline */
    cJSON_Delete(root);
    return b.p;
}

int tw_chat_state_find(const void *state, size_t len, const char *ref, char *text_out, size_t size)
{
    if (text_out && size)
        text_out[0] = '\0';
    cJSON *root = parse_any(state, len);
    if (!root)
        return -1;
    char norm[TW_REF_SIZE];
    bool can_prefix = ref && tw_store_normalize_ref(ref, norm);
    int found = 0;
    const cJSON *items = cJSON_GetObjectItemCaseSensitive(root, "items");
    const cJSON *list = cJSON_IsArray(items) ? items : NULL;
    const cJSON *it;
    cJSON_ArrayForEach(it, list)
    {
        if (!cJSON_IsObject(it) || !ref)
            continue;
        const char *id = str_of(it, "id");
        bool match = strcmp(id, ref) == 0;
        if (!match && can_prefix) {
            char hash[TW_REF_SIZE];
            tw_store_hash_id(id, hash);
            match = strncmp(hash, norm, strlen(norm)) == 0 || strcmp(str_of(it, "ref"), norm) == 0;
        }
        if (match) {
            if (found == 0 && text_out && size)
                tw_strlcpy(text_out, str_of(it, "text"), size);
            else if (text_out && size)
                text_out[0] = '\0'; /* ambiguous: the board will say so */
            found++;
        }
    }
    /* Not among the items a truncated state carries says nothing. */
    bool truncated = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(root, "truncated"));
    cJSON_Delete(root);
    return found ? 1 : truncated ? -1 : 0;
}

/* One event's notification, or NULL. */
static char *event_text(const cJSON *root)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(root, "item");
    const char *ev = str_of(root, "event");
    if (!cJSON_IsObject(item))
        return NULL;
    int kind = tw_kind_parse(str_of(item, "kind"));
    char q[QUOTE_CHARS * 4 + 4], note[QUOTE_CHARS * 4 + 4];
    quote(str_of(item, "text"), q, sizeof q);
    quote(str_of(item, "note"), note, sizeof note);
    const char *ref = str_of(item, "ref");
    struct sb b = {0};
    if (strcmp(ev, "posted") == 0 && kind == TW_KIND_BLOCKER) {
        sb_addf(&b, _("New blocker `%s` from %s: \xE2\x80\x9C%s\xE2\x80\x9D"), ref,
                str_of(item, "author"), q);
    } else if (strcmp(ev, "resolved") == 0 && kind == TW_KIND_QUESTION) {
        sb_addf(&b, _("%s answered `%s` \xE2\x80\x9C%s\xE2\x80\x9D"), str_of(item, "resolved_by"),
                ref, q);
        if (*note)
            sb_addf(&b, ": %s", note);
    } else if (strcmp(ev, "resolved") == 0 && kind == TW_KIND_BLOCKER) {
        sb_addf(&b, _("%s resolved blocker `%s` \xE2\x80\x9C%s\xE2\x80\x9D"),
                str_of(item, "resolved_by"), ref, q);
        if (*note)
            sb_addf(&b, " (%s)", note);
    }
    return b.p;
}

char *tw_chat_event_text(const void *event, size_t len)
{
    cJSON *root = parse_any(event, len);
    if (!root)
        return NULL;
    char *ret = event_text(root);
    cJSON_Delete(root);
    return ret;
}

size_t tw_chat_event_texts(const void *message, size_t len, char ***texts)
{
    *texts = NULL;
    cJSON *root = parse_any(message, len);
    if (!root)
        return 0;
    size_t n = 0, cap = 0;
    char **out = NULL;
    const cJSON *events = cJSON_GetObjectItemCaseSensitive(root, "events");
    if (strcmp(str_of(root, "event"), "batch") == 0 && cJSON_IsArray(events)) {
        const cJSON *ev;
        cJSON_ArrayForEach(ev, events)
        {
            /* A member is an event; a batch in a batch is not one. */
            char *t = cJSON_IsObject(ev) ? event_text(ev) : NULL;
            if (!t)
                continue;
            if (n == cap) {
                cap = cap ? cap * 2 : 8;
                out = tw_xrealloc(out, cap * sizeof *out);
            }
            out[n++] = t;
        }
    } else {
        char *t = event_text(root);
        if (t) {
            out = tw_xmalloc(sizeof *out);
            out[n++] = t;
        }
    }
    cJSON_Delete(root);
    *texts = out;
    return n;
}

/* ---- replies ---- */

/* Mentions that would page everyone if a chat parsed them in our text. */
static size_t mass_mention(const char *s)
{
    static const char *const words[] = {"channel", "here", "all", "everyone"};
    for (size_t i = 0; i < TW_ARRAY_LEN(words); i++) {
        size_t n = strlen(words[i]);
        if (strncasecmp(s, words[i], n) == 0) {
            char c = s[n];
            bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alnum)
                return n;
        }
    }
    return 0;
}

static char *escape_for(tw_chat_platform p, const char *text)
{
    bool entities = p == TW_CHAT_SLACK || p == TW_CHAT_TEAMS;
    struct sb b = {0};
    sb_adds(&b, "");
    for (const char *s = text ? text : ""; *s; s++) {
        if (entities && *s == '&')
            sb_adds(&b, "&amp;");
        else if (entities && *s == '<')
            sb_adds(&b, "&lt;");
        else if (entities && *s == '>')
            sb_adds(&b, "&gt;");
        else if (*s == '@' && mass_mention(s + 1))
            sb_adds(&b, "@\xE2\x81\xA0"); /* U+2060 WORD JOINER breaks the mention */
        else
            sb_add(&b, s, 1);
    }
    if (p == TW_CHAT_TEAMS) {
        /* Teams' markdown needs a blank line to break one. */
        struct sb t = {0};
        sb_adds(&t, "");
        for (const char *s = b.p; *s; s++) {
            if (*s == '\n')
                sb_adds(&t, "\n\n");
            else
                sb_add(&t, s, 1);
        }
        free(b.p);
        return t.p;
    }
    return b.p;
}

static char *print(cJSON *o)
{
    char *s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (!s)
        oom();
    return s;
}

static cJSON *object(void)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        oom();
    return o;
}

static void add_str(cJSON *o, const char *key, const char *value)
{
    if (!cJSON_AddStringToObject(o, key, value ? value : ""))
        oom();
}

char *tw_chat_reply_json(tw_chat_platform p, const char *text)
{
    if (p == TW_CHAT_API)
        return tw_chat_api_json(true, NULL, NULL, text);
    char *esc = escape_for(p, text);
    cJSON *o = object();
    switch (p) {
    case TW_CHAT_SLACK:
    case TW_CHAT_MATTERMOST:
        add_str(o, "response_type", "ephemeral");
        add_str(o, "text", esc);
        break;
    case TW_CHAT_TEAMS:
        add_str(o, "type", "message");
        add_str(o, "text", esc);
        break;
    default: add_str(o, "text", esc); break;
    }
    free(esc);
    return print(o);
}

char *tw_chat_api_json(bool ok, const char *ref, const char *id, const char *text)
{
    cJSON *o = object();
    if (!(ok ? cJSON_AddTrueToObject(o, "ok") : cJSON_AddFalseToObject(o, "ok")))
        oom();
    if (ok) {
        if (ref)
            add_str(o, "ref", ref);
        if (id)
            add_str(o, "id", id);
        add_str(o, "text", text);
    } else {
        add_str(o, "error", text);
    }
    return print(o);
}

char *tw_chat_notify_json(tw_chat_platform p, const char *text)
{
    char *esc = escape_for(p == TW_CHAT_API ? TW_CHAT_MATTERMOST : p, text);
    cJSON *o = object();
    add_str(o, "text", esc);
    free(esc);
    return print(o);
}
