/* SPDX-License-Identifier: MIT */
/*
 * The web view (web.h, docs/WEB.md): the page's files with ETags, gzip and a
 * strict Content-Security-Policy; the retained state as JSON and as an event
 * stream; who may see it (loopback, the [web] token as a bearer token or a
 * signed session cookie from the login link); the page's actions as ordinary
 * commands through the broker, behind a CSRF token.
 *
 * Every response is built from data the view owns: the files are read and
 * compressed once at start, the current state is one reference-counted
 * message that all streams share (a state change costs one copy and one
 * wake-up per stream, not one copy per viewer). The page escapes nothing
 * itself: it only ever sets textContent, and the CSP forbids inline script,
 * so a post's text can never become markup.
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#define _GNU_SOURCE /* POLLRDHUP: a viewer that left */
#define LOG_MODULE  "web"

#include "web.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <openssl/evp.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "codec.h"
#include "i18n.h"
#include "item.h"
#include "log.h"
#include "text.h"
#include "util.h"
#include "verify.h"
#include "webauth.h"

#define KEEPALIVE_MS    15000         /* a comment on an idle stream */
#define RETRY_MS        2000          /* what the browser waits before reconnecting */
#define STREAM_IDLE_S   60            /* a stream whose writes stall this long is closed */
#define SESSION_S       (30 * 86400)  /* the login cookie's life */
#define ACTION_MAX_BODY 4096          /* bytes of an action's JSON */
#define ASSET_MAX       (1024 * 1024) /* bytes of one page file */
#define GZIP_MIN        512           /* smaller bodies go as they are */
#define COOKIE_NAME     "tw_session"
#define CSRF_HEADER     "X-Teamwall-CSRF"

/* No inline script or style, nothing from elsewhere, not framed. */
static const char csp[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; "
    "img-src 'self'; font-src 'self'; connect-src 'self'; manifest-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

enum route {
    W_PAGE,
    W_CSS,
    W_JS,
    W_ICON,
    W_FONT,
    W_FONT_BOLD,
    W_STATE,
    W_EVENTS,
    W_VIEW,
    W_LOGIN,
    W_ACTION,
    W_COUNT
};
static const char *const route_path[W_COUNT] = {"/",
                                                "/web/app.css",
                                                "/web/app.js",
                                                "/web/icon.svg",
                                                "/web/Inter-Regular.otf",
                                                "/web/Inter-SemiBold.otf",
                                                "/board.json",
                                                "/board/events",
                                                "/board/view.json",
                                                "/login",
                                                "/board/action"};

/* The page's files: route, file name in the asset folder, content type,
 * whether the page works without it. The fonts are the wall's own (the
 * board's assets/fonts beside assets/web), so the page looks the same on
 * every device; without them it falls back to the device's sans-serif. */
static const struct {
    enum route route;
    const char *file, *ctype;
    bool optional;
} asset_files[] = {
    {W_PAGE, "index.html", "text/html; charset=utf-8", false},
    {W_CSS, "app.css", "text/css; charset=utf-8", false},
    {W_JS, "app.js", "text/javascript; charset=utf-8", false},
    {W_ICON, "icon.svg", "image/svg+xml", false},
    {W_FONT, "../fonts/Inter-Regular.otf", "font/otf", true},
    {W_FONT_BOLD, "../fonts/Inter-SemiBold.otf", "font/otf", true},
};
#define N_ASSETS (sizeof asset_files / sizeof asset_files[0])

struct asset {
    char *data, *gz;
    size_t len, gz_len;
    char etag[24], etag_gz[28];
};

/* One message for every stream: the state as an SSE event. */
struct msg {
    atomic_int refs;
    char id[40];
    size_t len;
    char data[]; /* "event: status\ndata: …\n\nid: …\nevent: state\ndata: …\n\n" */
};

struct tw_web {
    const tw_config *cfg;
    char root[160], board[72];
    tw_web_publish_fn publish;
    void *publish_ctx;
    void (*answering)(struct MHD_Connection *c);
    bool loopback;                          /* the listen address is a loopback one */
    unsigned char key[TW_WEBAUTH_KEY_SIZE]; /* signs session cookies and CSRF tokens */
    struct asset assets[N_ASSETS];
    char *view_strings; /* the "strings" object of view.json, printed once */

    pthread_mutex_t lock; /* everything below; changes wake the streams' eventfds */
    bool stopping;
    uint64_t seq; /* bumped on every change */
    char *state;  /* the retained state as published, or NULL */
    size_t state_len;
    char state_etag[24];
    int board_online;
    bool broker_up;
    struct msg *msg; /* the current event, or NULL before any state */
    unsigned streams;
    struct stream *stream_list; /* to wake on a change */
};

struct request {
    enum route route;
    char *body;
    size_t len;
    bool too_large;
};

struct stream {
    tw_web *w;
    struct stream *next;
    int efd;          /* an eventfd written on every change and at stop */
    int sock;         /* the viewer's socket, watched for it going away; -1: not */
    uint64_t seq;     /* the change last looked at */
    char skip_id[40]; /* Last-Event-ID: the event the browser already has */
    struct msg *m;    /* being written, or NULL */
    size_t off;
    char pending[96]; /* a comment or the retry line */
    size_t pending_len, pending_off;
    int64_t keepalive_due;
};

/* ---- small helpers ---- */

static void hex(const unsigned char *in, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * n] = '\0';
}

/* The first 8 bytes of the SHA-256 of data, as 16 hex digits. */
static void digest16(const void *data, size_t len, char out[17])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (!EVP_Digest(data, len, md, &n, EVP_sha256(), NULL) || n < 8)
        memset(md, 0, 8);
    hex(md, 8, out);
}

static const char *header(struct MHD_Connection *c, const char *name)
{
    return MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
}

/* Whether the client takes gzip: a "gzip" coding in Accept-Encoding whose
 * q is not 0. */
static bool accepts_gzip(struct MHD_Connection *c)
{
    const char *ae = header(c, MHD_HTTP_HEADER_ACCEPT_ENCODING);
    if (!ae)
        return false;
    const char *p = ae;
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        const char *tok = p;
        while (*p && *p != ',' && *p != ';' && *p != ' ')
            p++;
        size_t n = (size_t)(p - tok);
        bool gzip = (n == 4 && strncasecmp(tok, "gzip", 4) == 0) ||
                    (n == 6 && strncasecmp(tok, "x-gzip", 6) == 0);
        double q = 1.0;
        while (*p && *p != ',') {
            if (*p == ';') {
                p++;
                while (*p == ' ')
                    p++;
                if (*p == 'q' && p[1] == '=')
                    q = strtod(p + 2, NULL);
            } else {
                p++;
            }
        }
        if (gzip && q > 0)
            return true;
    }
    return false;
}

/* gzip of data (zlib's deflate with the gzip wrapper); NULL if it fails. */
static char *gzip(const char *data, size_t len, size_t *out_len)
{
    z_stream z = {0};
    if (deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return NULL;
    size_t cap = deflateBound(&z, (uLong)len) + 32;
    char *out = tw_xmalloc(cap);
    z.next_in = (Bytef *)(uintptr_t)data;
    z.avail_in = (uInt)len;
    z.next_out = (Bytef *)out;
    z.avail_out = (uInt)cap;
    int rc = deflate(&z, Z_FINISH);
    *out_len = z.total_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END) {
        free(out);
        return NULL;
    }
    return out;
}

/* Whether If-None-Match names etag (or is "*"). */
static bool not_modified(struct MHD_Connection *c, const char *etag)
{
    const char *inm = header(c, MHD_HTTP_HEADER_IF_NONE_MATCH);
    return inm && (strcmp(inm, "*") == 0 || strstr(inm, etag) != NULL);
}

/* ---- responses ---- */

/* The headers every answer of the view carries. */
static void add_common(tw_web *w, struct MHD_Response *r, const char *cache)
{
    MHD_add_response_header(r, "Content-Security-Policy", csp);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Cross-Origin-Opener-Policy", "same-origin");
    MHD_add_response_header(r, "Cross-Origin-Resource-Policy", "same-origin");
    if (cache) {
        /* Behind a token the board is nobody else's business: no shared
         * cache may keep it. */
        char cc[64];
        snprintf(cc, sizeof cc, "%s%s", w->cfg->web_token[0] ? "private, " : "", cache);
        MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, cc);
    }
}

static enum MHD_Result queue(tw_web *w, struct MHD_Connection *c, struct MHD_Response *r,
                             unsigned code, unsigned *status)
{
    if (!r)
        return MHD_NO;
    if (w->answering)
        w->answering(c);
    enum MHD_Result ret = MHD_queue_response(c, code, r);
    MHD_destroy_response(r);
    *status = code;
    return ret;
}

/* A malloc'd body (handed over; NULL = empty) with a type. */
static enum MHD_Result answer(tw_web *w, struct MHD_Connection *c, unsigned code, const char *ctype,
                              char *body, const char *cache, unsigned *status)
{
    struct MHD_Response *r =
        body ? MHD_create_response_from_buffer_with_free_callback(strlen(body), body, free)
             : MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    if (!r) {
        free(body);
        return MHD_NO;
    }
    if (ctype)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
    add_common(w, r, cache ? cache : "no-store");
    return queue(w, c, r, code, status);
}

static enum MHD_Result answer_text(tw_web *w, struct MHD_Connection *c, unsigned code,
                                   const char *text, unsigned *status)
{
    size_t n = strlen(text);
    char *body = tw_xmalloc(n + 2);
    memcpy(body, text, n);
    memcpy(body + n, "\n", 2);
    return answer(w, c, code, "text/plain; charset=utf-8", body, NULL, status);
}

static enum MHD_Result answer_json(tw_web *w, struct MHD_Connection *c, unsigned code, cJSON *o,
                                   unsigned *status)
{
    char *s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (!s)
        abort(); /* out of memory, as tw_xmalloc */
    return answer(w, c, code, "application/json", s, NULL, status);
}

static enum MHD_Result answer_error(tw_web *w, struct MHD_Connection *c, unsigned code,
                                    const char *error, unsigned *status)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddFalseToObject(o, "ok");
    cJSON_AddStringToObject(o, "error", error);
    return answer_json(w, c, code, o, status);
}

/* A body the view keeps (a file, a state copy held by the caller): with its
 * ETag, its gzip twin where the client takes it, 304 when unchanged. */
static enum MHD_Result answer_cached(tw_web *w, struct MHD_Connection *c, const char *ctype,
                                     const char *data, size_t len, const char *gz, size_t gz_len,
                                     const char *etag, const char *etag_gz, const char *cache,
                                     enum MHD_ResponseMemoryMode mode, unsigned *status)
{
    bool use_gz = gz && accepts_gzip(c);
    const char *tag = use_gz ? etag_gz : etag;
    struct MHD_Response *r;
    unsigned code = MHD_HTTP_OK;
    if (not_modified(c, tag)) {
        r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
        code = MHD_HTTP_NOT_MODIFIED;
    } else {
        r = MHD_create_response_from_buffer(use_gz ? gz_len : len,
                                            (void *)(uintptr_t)(use_gz ? gz : data), mode);
        if (r && use_gz)
            MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
    }
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
    MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, tag);
    MHD_add_response_header(r, MHD_HTTP_HEADER_VARY, "Accept-Encoding");
    add_common(w, r, cache);
    return queue(w, c, r, code, status);
}

/* ---- the page's files ---- */

static int read_file(const char *path, char **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return TW_ERR_IO;
    int rc = TW_ERR_IO;
    char *buf = tw_xmalloc(ASSET_MAX + 1);
    size_t n = fread(buf, 1, ASSET_MAX + 1, f);
    if (ferror(f) || n > ASSET_MAX)
        goto out;
    buf[n] = '\0';
    *out = tw_xrealloc(buf, n + 1);
    *len = n;
    buf = NULL;
    rc = 0;
out:
    free(buf);
    fclose(f);
    return rc;
}

/* The folder with index.html: [web] assets, the build tree's, the installed. */
static const char *asset_dir(const tw_config *cfg)
{
    static const char *const builtin[] = {TW_ASSET_DIR "/web", TW_INSTALLED_ASSET_DIR "/web"};
    char path[TW_CONFIG_PATH + 32];
    if (cfg->web_assets[0])
        return cfg->web_assets;
    for (size_t i = 0; i < sizeof builtin / sizeof builtin[0]; i++) {
        struct stat st;
        snprintf(path, sizeof path, "%s/index.html", builtin[i]);
        if (stat(path, &st) == 0)
            return builtin[i];
    }
    return builtin[1];
}

static int load_assets(tw_web *w)
{
    const char *dir = asset_dir(w->cfg);
    for (size_t i = 0; i < N_ASSETS; i++) {
        struct asset *a = &w->assets[i];
        char path[TW_CONFIG_PATH + 32];
        snprintf(path, sizeof path, "%s/%s", dir, asset_files[i].file);
        if (read_file(path, &a->data, &a->len)) {
            if (asset_files[i].optional) {
                log_info("web view: no %s; the page uses the device's fonts", path);
                continue;
            }
            log_error("web view off: cannot read %s: %s (set [web] assets to the folder "
                      "with index.html)",
                      path, strerror(errno));
            return TW_ERR_IO;
        }
        char d[17];
        digest16(a->data, a->len, d);
        snprintf(a->etag, sizeof a->etag, "\"%s\"", d);
        snprintf(a->etag_gz, sizeof a->etag_gz, "\"%s-gz\"", d);
        if (a->len >= GZIP_MIN)
            a->gz = gzip(a->data, a->len, &a->gz_len);
    }
    log_info("web view: page from %s", dir);
    return 0;
}

/* ---- who may look ---- */

enum auth { AUTH_NONE, AUTH_OPEN, AUTH_BEARER, AUTH_COOKIE };

static enum auth authorize(tw_web *w, struct MHD_Connection *c, char nonce[TW_WEBAUTH_NONCE_SIZE])
{
    strcpy(nonce, "-");
    if (w->cfg->web_token[0]) {
        const char *authz = header(c, MHD_HTTP_HEADER_AUTHORIZATION);
        if (authz && tw_verify_authorization(w->cfg->web_token, "Bearer", authz) == TW_VERIFY_OK)
            return AUTH_BEARER;
        if (tw_webauth_session_check(w->key,
                                     MHD_lookup_connection_value(c, MHD_COOKIE_KIND, COOKIE_NAME),
                                     tw_now(), nonce))
            return AUTH_COOKIE;
        return AUTH_NONE;
    }
    if (w->loopback && tw_webauth_host_is_loopback(header(c, MHD_HTTP_HEADER_HOST)))
        return AUTH_OPEN;
    return AUTH_NONE;
}

static enum MHD_Result refuse(tw_web *w, struct MHD_Connection *c, enum route r, unsigned *status)
{
    if (w->cfg->web_token[0]) {
        struct MHD_Response *resp =
            MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
        const char *text =
            _("This board needs its login link (…/login?token=…) or an Authorization: Bearer "
              "token. Ask whoever runs the wall for the link.");
        if (r == W_PAGE) {
            /* A person at the page: the text, not an empty 401. */
            MHD_destroy_response(resp);
            size_t n = strlen(text);
            resp =
                MHD_create_response_from_buffer(n, (void *)(uintptr_t)text, MHD_RESPMEM_MUST_COPY);
            MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
                                    "text/plain; charset=utf-8");
        }
        if (!resp)
            return MHD_NO;
        MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
                                "Bearer realm=\"teamwall\"");
        add_common(w, resp, "no-store");
        return queue(w, c, resp, MHD_HTTP_UNAUTHORIZED, status);
    }
    if (!w->loopback)
        return answer_text(w, c, MHD_HTTP_FORBIDDEN,
                           _("The web view is off: teamwall-bridge listens on an address other "
                             "than loopback and [web] token is not set (docs/WEB.md)."),
                           status);
    return answer_text(w, c, MHD_HTTP_FORBIDDEN,
                       _("Without [web] token the web view answers only on this machine: open "
                         "it as http://127.0.0.1:<port>/ or http://localhost:<port>/."),
                       status);
}

/* ---- the state ---- */

static void msg_unref(struct msg *m)
{
    if (m && atomic_fetch_sub(&m->refs, 1) == 1)
        free(m);
}

/* Lock held: every stream's eventfd, so that its thread looks again. */
static void wake_streams(tw_web *w)
{
    static const uint64_t one = 1;
    for (struct stream *s = w->stream_list; s; s = s->next)
        if (write(s->efd, &one, sizeof one) < 0 && errno != EAGAIN)
            log_debug("stream wake-up: %s", strerror(errno));
}

/* The SSE event for the current state and status; lock held. The id names
 * both, so a browser that reconnects with it gets nothing it already has. */
static void rebuild_msg(tw_web *w)
{
    const char *status = !w->broker_up          ? "broker-down"
                         : w->board_online == 0 ? "offline"
                         : w->board_online == 1 ? "online"
                                                : "unknown";
    char id[40];
    if (w->state) /* state_etag is "\"hex\"": take the hex */
        snprintf(id, sizeof id, "%.16s.%s", w->state_etag + 1, status);
    else
        snprintf(id, sizeof id, "none.%s", status);
    const char *state = w->state ? w->state : "null";
    size_t slen = w->state ? w->state_len : 4;
    /* status event, then the state: data lines split at any newline. */
    size_t cap = slen + 256, len = 0;
    for (size_t i = 0; i < slen; i++)
        cap += state[i] == '\n' ? 6 : 0;
    struct msg *m = tw_xmalloc(sizeof *m + cap);
    atomic_init(&m->refs, 1);
    tw_strlcpy(m->id, id, sizeof m->id);
    len += (size_t)snprintf(
        m->data + len, cap - len,
        "event: status\ndata: {\"board\":\"%s\"}\n\nid: %s\nevent: state\ndata: ", status, id);
    for (size_t i = 0; i < slen; i++) {
        if (state[i] == '\r')
            continue;
        m->data[len++] = state[i];
        if (state[i] == '\n') {
            memcpy(m->data + len, "data: ", 6);
            len += 6;
        }
    }
    memcpy(m->data + len, "\n\n", 3);
    len += 2;
    m->len = len;
    msg_unref(w->msg);
    w->msg = m;
    w->seq++;
    wake_streams(w);
}

void tw_web_set_state(tw_web *w, const char *json, size_t len)
{
    if (!w)
        return;
    char *copy = NULL;
    if (json && len) {
        copy = tw_xmalloc(len + 1);
        memcpy(copy, json, len);
        copy[len] = '\0';
    }
    char d[17] = "";
    if (copy)
        digest16(copy, len, d);
    pthread_mutex_lock(&w->lock);
    free(w->state);
    w->state = copy;
    w->state_len = copy ? len : 0;
    snprintf(w->state_etag, sizeof w->state_etag, "\"%s\"", d);
    rebuild_msg(w);
    pthread_mutex_unlock(&w->lock);
}

void tw_web_set_board_online(tw_web *w, int online)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    if (w->board_online != online) {
        w->board_online = online;
        rebuild_msg(w);
    }
    pthread_mutex_unlock(&w->lock);
}

void tw_web_set_broker(tw_web *w, bool connected)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    if (w->broker_up != connected) {
        w->broker_up = connected;
        rebuild_msg(w);
    }
    pthread_mutex_unlock(&w->lock);
}

static enum MHD_Result serve_state(tw_web *w, struct MHD_Connection *c, unsigned *status)
{
    pthread_mutex_lock(&w->lock);
    char *s = w->state ? tw_xstrdup(w->state) : NULL;
    size_t len = w->state_len;
    char etag[24];
    tw_strlcpy(etag, w->state_etag, sizeof etag);
    pthread_mutex_unlock(&w->lock);
    if (!s)
        return answer_error(w, c, MHD_HTTP_SERVICE_UNAVAILABLE,
                            _("The wall has not published its state yet."), status);
    size_t gz_len = 0;
    char *gz = len >= GZIP_MIN && accepts_gzip(c) ? gzip(s, len, &gz_len) : NULL;
    char etag_gz[28];
    snprintf(etag_gz, sizeof etag_gz, "%.*s-gz\"", (int)strlen(etag) - 1, etag);
    enum MHD_Result ret = answer_cached(w, c, "application/json", s, len, gz, gz_len, etag, etag_gz,
                                        "no-cache", MHD_RESPMEM_MUST_COPY, status);
    free(gz);
    free(s);
    return ret;
}

/* ---- the event stream ---- */

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    (void)pos;
    struct stream *s = cls;
    tw_web *w = s->w;
    for (;;) {
        if (s->pending_off < s->pending_len) {
            size_t n = s->pending_len - s->pending_off;
            n = n < max ? n : max;
            memcpy(buf, s->pending + s->pending_off, n);
            s->pending_off += n;
            return (ssize_t)n;
        }
        if (s->m && s->off < s->m->len) {
            size_t n = s->m->len - s->off;
            n = n < max ? n : max;
            memcpy(buf, s->m->data + s->off, n);
            s->off += n;
            return (ssize_t)n;
        }
        msg_unref(s->m);
        s->m = NULL;

        /* Sleep until a change, the keep-alive, the stop, or the viewer
         * leaving: its socket is watched too, so a closed tab frees its
         * place at once rather than at the next write. */
        for (;;) {
            pthread_mutex_lock(&w->lock);
            bool stop = w->stopping, changed = s->seq != w->seq;
            if (!stop && changed) {
                s->seq = w->seq;
                if (w->msg && strcmp(w->msg->id, s->skip_id) != 0) {
                    s->m = w->msg;
                    atomic_fetch_add(&s->m->refs, 1);
                    s->off = 0;
                }
                s->skip_id[0] = '\0'; /* only the first event can be one it has */
            }
            pthread_mutex_unlock(&w->lock);
            if (stop)
                return MHD_CONTENT_READER_END_OF_STREAM;
            if (s->m)
                break;
            int64_t left = s->keepalive_due - tw_mono_ms();
            if (left <= 0)
                break;
            struct pollfd pf[2] = {{.fd = s->efd, .events = POLLIN},
                                   {.fd = s->sock, .events = POLLIN | POLLRDHUP}};
            int n = poll(pf, s->sock >= 0 ? 2 : 1, (int)left);
            if (n < 0 && errno != EINTR)
                return MHD_CONTENT_READER_END_WITH_ERROR;
            if (pf[0].revents) {
                uint64_t v;
                if (read(s->efd, &v, sizeof v) < 0 && errno != EAGAIN)
                    return MHD_CONTENT_READER_END_WITH_ERROR;
            }
            if (s->sock >= 0 && pf[1].revents) {
                char c;
                ssize_t got = recv(s->sock, &c, 1, MSG_PEEK | MSG_DONTWAIT);
                if (got == 0 || (pf[1].revents & (POLLRDHUP | POLLHUP | POLLERR)))
                    return MHD_CONTENT_READER_END_WITH_ERROR; /* the viewer left */
                if (got > 0)
                    s->sock = -1; /* it sent something: stop watching, never spin */
            }
        }
        if (!s->m) {
            /* Nothing new for a while: a comment keeps proxies and NATs from
             * closing the connection, and finds viewers that left. */
            s->pending_len = (size_t)snprintf(s->pending, sizeof s->pending, ": keep-alive\n\n");
            s->pending_off = 0;
        }
        s->keepalive_due = tw_mono_ms() + KEEPALIVE_MS;
    }
}

static void stream_free(void *cls)
{
    struct stream *s = cls;
    tw_web *w = s->w;
    msg_unref(s->m);
    pthread_mutex_lock(&w->lock);
    w->streams--;
    for (struct stream **p = &w->stream_list; *p; p = &(*p)->next)
        if (*p == s) {
            *p = s->next;
            break;
        }
    pthread_mutex_unlock(&w->lock);
    close(s->efd);
    free(s);
}

static enum MHD_Result serve_events(tw_web *w, struct MHD_Connection *c, unsigned *status)
{
    pthread_mutex_lock(&w->lock);
    bool full = w->streams >= (unsigned)w->cfg->web_max_viewers;
    if (!full)
        w->streams++;
    pthread_mutex_unlock(&w->lock);
    if (full) {
        struct MHD_Response *r =
            MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
        if (!r)
            return MHD_NO;
        MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, "30");
        add_common(w, r, "no-store");
        log_warn("web view: %d viewers already, one more refused ([web] max_viewers)",
                 w->cfg->web_max_viewers);
        return queue(w, c, r, MHD_HTTP_SERVICE_UNAVAILABLE, status);
    }
    struct stream *s = tw_xcalloc(1, sizeof *s);
    s->w = w;
    s->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
    s->sock = ci ? ci->connect_fd : -1;
    if (s->efd < 0) {
        log_warn("web view: no eventfd for a viewer: %s", strerror(errno));
        pthread_mutex_lock(&w->lock);
        w->streams--;
        pthread_mutex_unlock(&w->lock);
        free(s);
        return answer_text(w, c, MHD_HTTP_SERVICE_UNAVAILABLE, "try again", status);
    }
    pthread_mutex_lock(&w->lock);
    s->next = w->stream_list;
    w->stream_list = s;
    /* Look at the current event first: seq one behind makes it "new". */
    s->seq = w->seq - 1;
    pthread_mutex_unlock(&w->lock);
    const char *last = header(c, "Last-Event-ID");
    if (last)
        tw_strlcpy(s->skip_id, last, sizeof s->skip_id);
    s->pending_len = (size_t)snprintf(s->pending, sizeof s->pending, "retry: %d\n\n", RETRY_MS);
    s->keepalive_due = tw_mono_ms() + KEEPALIVE_MS;
    struct MHD_Response *r =
        MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, stream_read, s, stream_free);
    if (!r) {
        stream_free(s);
        return MHD_NO;
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/event-stream; charset=utf-8");
    MHD_add_response_header(r, "X-Accel-Buffering", "no"); /* nginx: pass it on at once */
    add_common(w, r, "no-store");
    /* The stream is idle between changes: only a stalled write ends it. */
    MHD_set_connection_option(c, MHD_CONNECTION_OPTION_TIMEOUT, (unsigned)STREAM_IDLE_S);
    return queue(w, c, r, MHD_HTTP_OK, status);
}

/* ---- the page's settings and words ---- */

/* Every word the page shows, through _(): the page has none of its own. */
static const struct {
    const char *key, *text;
} page_strings[] = {
    {"lang", N_("en")}, /* the page's language tag: a catalogue says its own */
    {"title", N_("Team board")},
    {"blocker", N_("Blockers")},
    {"question", N_("Questions")},
    {"win", N_("Wins")},
    {"empty_blocker", N_("No blockers")},
    {"empty_question", N_("No open questions")},
    {"empty_win", N_("No wins yet")},
    {"more", N_("+%d more")},
    {"on_it", N_("%s is on it")},
    {"live", N_("live")},
    {"connecting", N_("connecting")},
    {"board_offline", N_("wall offline")},
    {"broker_down", N_("no broker")},
    {"no_state", N_("The wall has not published its state yet.")},
    {"truncated", N_("The wall has more open items than it publishes.")},
    {"age_now", N_("now")},
    {"age_m", N_("%dm")},
    {"age_h", N_("%dh")},
    {"age_d", N_("%dd")},
    {"fig_clear", N_("Time to clear a blocker, 14 days")},
    {"none_cleared", N_("none cleared")},
    {"faster", N_("▼ %s faster")},
    {"slower", N_("▲ %s slower")},
    {"as_before", N_("as before")},
    {"median_of", N_("median of %d")},
    {"fig_questions", N_("Questions answered within 4 h")},
    {"asked_none_old", N_("%d asked, none 4 h old yet")},
    {"none_asked", N_("none asked")},
    {"n_of_m", N_("%d of %d")},
    {"fig_days", N_("Blockers opened and cleared, 14 days")},
    {"fig_wins", N_("Wins this week")},
    {"since_monday", N_("since Monday")},
    {"standup", N_("Stand-up")},
    {"phase_blockers", N_("Blockers")},
    {"phase_questions", N_("Questions")},
    {"phase_wins", N_("Wins")},
    {"phase_summary", N_("Summary")},
    {"position", N_("%d of %d")},
    {"carried_over", N_("open at %d earlier stand-ups")},
    {"item_timer", N_("this item")},
    {"su_item_gone", N_("The item being discussed was just resolved.")},
    {"su_discussed", N_("discussed")},
    {"su_resolved", N_("resolved")},
    {"su_claimed", N_("claimed")},
    {"su_carried", N_("carried over")},
    {"su_duration", N_("long")},
    {"meeting_timer", N_("meeting")},
    {"warn_button_offline", N_("Desk button %s is offline since %s")},
    {"warn_button_battery", N_("Desk button %s: battery at %d%%")},
    {"warn_storage", N_("Storage: %s")},
    {"warn_unassigned", N_("A button nobody configured is pressing: %s")},
    {"claim", N_("Claim")},
    {"resolve", N_("Resolve")},
    {"next", N_("Next")},
    {"your_name", N_("Your name (for claims and resolves)")},
    {"note", N_("Note for the resolve (optional)")},
    {"sent", N_("Sent: the wall shows it in a moment.")},
    {"failed", N_("Not sent: %s")},
    {"theme_wall", N_("Theme: as the wall")},
    {"theme_light", N_("Theme: light")},
    {"theme_dark", N_("Theme: dark")},
    {"theme_system", N_("Theme: as this device")},
};

static char *strings_json(void)
{
    cJSON *o = cJSON_CreateObject();
    for (size_t i = 0; i < sizeof page_strings / sizeof page_strings[0]; i++)
        cJSON_AddStringToObject(o, page_strings[i].key, _(page_strings[i].text));
    char *s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (!s)
        abort();
    return s;
}

static enum MHD_Result serve_view(tw_web *w, struct MHD_Connection *c, enum auth a,
                                  const char *nonce, unsigned *status)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "team", w->cfg->team);
    cJSON_AddStringToObject(o, "board", w->board);
    cJSON_AddStringToObject(o, "theme", w->cfg->theme);
    cJSON_AddNumberToObject(o, "escalate_after", w->cfg->escalate_after);
    cJSON_AddNumberToObject(o, "critical_after", w->cfg->critical_after);
    cJSON_AddNumberToObject(o, "item_seconds", w->cfg->standup_item_seconds);
    cJSON_AddNumberToObject(o, "meeting_minutes", w->cfg->standup_meeting_minutes);
    bool actions = w->cfg->web_actions && w->publish;
    cJSON_AddBoolToObject(o, "actions", actions);
    if (actions && a != AUTH_BEARER) {
        char tok[TW_WEBAUTH_TOKEN_SIZE];
        tw_webauth_csrf(w->key, nonce, tok);
        cJSON_AddStringToObject(o, "csrf", tok);
    }
    cJSON_AddItemToObject(o, "strings", cJSON_CreateRaw(w->view_strings));
    return answer_json(w, c, MHD_HTTP_OK, o, status);
}

/* ---- login ---- */

static enum MHD_Result serve_login(tw_web *w, struct MHD_Connection *c, unsigned *status)
{
    const char *given = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "token");
    if (!w->cfg->web_token[0] || !given || !tw_verify_token(w->cfg->web_token, given)) {
        if (w->cfg->web_token[0])
            log_warn("web view: a login with a wrong or missing token");
        return answer_text(w, c, w->cfg->web_token[0] ? MHD_HTTP_UNAUTHORIZED : MHD_HTTP_NOT_FOUND,
                           w->cfg->web_token[0]
                               ? _("That login link is not valid (any more): ask for a new one.")
                               : _("This board needs no login: open it without /login."),
                           status);
    }
    char value[TW_WEBAUTH_COOKIE_SIZE], cookie[320];
    tw_webauth_session_make(w->key, tw_now(), SESSION_S, value, sizeof value);
    /* Lax, not Strict: the link is opened from a chat, another site, and
     * the first page after it must carry the cookie. Actions need the CSRF
     * token as well, so Lax lets nothing be done from elsewhere. */
    const char *proto = header(c, "X-Forwarded-Proto");
    snprintf(cookie, sizeof cookie, "%s=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Lax%s",
             COOKIE_NAME, value, SESSION_S,
             proto && strcasecmp(proto, "https") == 0 ? "; Secure" : "");
    struct MHD_Response *r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, MHD_HTTP_HEADER_SET_COOKIE, cookie);
    /* Relative, so that it stays under a reverse proxy's path prefix. */
    MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, "./");
    add_common(w, r, "no-store");
    return queue(w, c, r, MHD_HTTP_SEE_OTHER, status);
}

/* ---- actions ---- */

static bool csrf_ok(tw_web *w, struct MHD_Connection *c, enum auth a, const char *nonce)
{
    if (a == AUTH_BEARER)
        return true; /* a header the browser never adds by itself */
    const char *site = header(c, "Sec-Fetch-Site");
    if (site && strcmp(site, "same-origin") != 0 && strcmp(site, "none") != 0)
        return false;
    const char *ct = header(c, MHD_HTTP_HEADER_CONTENT_TYPE);
    if (!ct || strncasecmp(ct, "application/json", 16) != 0)
        return false; /* a form from another site cannot send JSON without a preflight */
    return tw_webauth_csrf_check(w->key, nonce, header(c, CSRF_HEADER));
}

static const char *json_str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* A card's ref or an item's id, as PROTOCOL.md allows them ("#k3f9" too). */
static bool ref_ok(const char *ref)
{
    if (!ref)
        return false;
    if (ref[0] == '#')
        ref++;
    size_t n = strlen(ref);
    if (n < TW_REF_MIN || n > TW_ID_MAX)
        return false;
    return strspn(ref, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-") == n;
}

/* The action's command: topic and payload (caller frees), or a reason. */
static int action_command(tw_web *w, const char *body, size_t len, char *topic, size_t tsize,
                          char **payload, char *reason, size_t rsize)
{
    int rc = TW_ERR_INVAL;
    cJSON *in = cJSON_ParseWithLength(body, len), *out = NULL;
    const char *action = in ? json_str(in, "action") : NULL;
    if (!action) {
        snprintf(reason, rsize, "%s", _("want {\"action\":\"claim\"|\"resolve\"|\"next\",…}"));
        goto out;
    }
    const char *by = json_str(in, "by");
    char who[TW_AUTHOR_SIZE];
    if (!by || tw_text_clean(by, strlen(by), 1, TW_AUTHOR_MAX_CHARS, who, sizeof who, NULL) != 0)
        tw_strlcpy(who, "web", sizeof who);
    out = cJSON_CreateObject();
    tw_cmd_type type;
    if (strcmp(action, "claim") == 0 || strcmp(action, "resolve") == 0) {
        type = action[0] == 'c' ? TW_CMD_CLAIM : TW_CMD_RESOLVE;
        const char *ref = json_str(in, "ref");
        if (!ref_ok(ref)) {
            snprintf(reason, rsize, "%s", _("ref: want the card's ref (4 to 64 characters)"));
            goto out;
        }
        cJSON_AddStringToObject(out, "ref", ref);
        cJSON_AddStringToObject(out, "by", who);
        const char *note = json_str(in, "note");
        if (type == TW_CMD_RESOLVE && note && note[0])
            cJSON_AddStringToObject(out, "note", note);
        snprintf(topic, tsize, "%s/%s", w->root, tw_cmd_name(type));
    } else if (strcmp(action, "next") == 0) {
        cJSON_AddStringToObject(out, "action", "next");
        const cJSON *at = cJSON_GetObjectItemCaseSensitive(in, "at");
        if (cJSON_IsNumber(at) && at->valuedouble >= 0 && at->valuedouble < 1e6)
            cJSON_AddNumberToObject(out, "at", (int)at->valuedouble);
        cJSON_AddStringToObject(out, "by", who);
        snprintf(topic, tsize, "%s/standup", w->root);
        *payload = cJSON_PrintUnformatted(out);
        rc = *payload ? 0 : TW_ERR_INVAL;
        goto out;
    } else {
        snprintf(reason, rsize, _("unknown action: %.32s"), action);
        goto out;
    }
    *payload = cJSON_PrintUnformatted(out);
    /* The board's own decoder checks the shape, so the page gets the reason
     * at once instead of a rejection it never sees. */
    tw_command cmd;
    if (!*payload || tw_codec_decode(type, *payload, strlen(*payload), &cmd, reason, rsize)) {
        free(*payload);
        *payload = NULL;
        goto out;
    }
    rc = 0;
out:
    cJSON_Delete(in);
    cJSON_Delete(out);
    return rc;
}

static enum MHD_Result serve_action(tw_web *w, struct MHD_Connection *c, struct request *rq,
                                    enum auth a, const char *nonce, unsigned *status)
{
    if (!w->cfg->web_actions || !w->publish)
        return answer_error(w, c, MHD_HTTP_FORBIDDEN,
                            _("actions from the page are off ([web] actions = false)"), status);
    if (!csrf_ok(w, c, a, nonce)) {
        log_warn("web view: an action without a valid CSRF token refused");
        return answer_error(w, c, MHD_HTTP_FORBIDDEN, _("missing or wrong CSRF token"), status);
    }
    if (rq->too_large)
        return answer_error(w, c, MHD_HTTP_CONTENT_TOO_LARGE, _("request body over 4 KiB"), status);
    char topic[256], reason[192] = "";
    char *payload = NULL;
    if (action_command(w, rq->body ? rq->body : "", rq->len, topic, sizeof topic, &payload, reason,
                       sizeof reason))
        return answer_error(w, c, MHD_HTTP_BAD_REQUEST, reason, status);
    int rc = w->publish(w->publish_ctx, topic, payload, reason, sizeof reason);
    log_info("web view: %s %s -> %s", topic, payload, rc ? reason : "acknowledged");
    free(payload);
    if (rc)
        return answer_error(w, c, MHD_HTTP_SERVICE_UNAVAILABLE, reason, status);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddTrueToObject(o, "ok");
    return answer_json(w, c, MHD_HTTP_OK, o, status);
}

/* ---- the handler ---- */

static int find_route(const char *url)
{
    for (int r = 0; r < W_COUNT; r++)
        if (strcmp(url, route_path[r]) == 0)
            return r;
    return -1;
}

bool tw_web_owns(const char *url)
{
    return url && find_route(url) >= 0;
}

enum MHD_Result tw_web_handle(tw_web *w, struct MHD_Connection *c, const char *url,
                              const char *method, const char *upload_data, size_t *upload_data_size,
                              void **req, unsigned *status)
{
    *status = 0;
    struct request *rq = *req;
    bool get = strcmp(method, MHD_HTTP_METHOD_GET) == 0;
    bool head = strcmp(method, MHD_HTTP_METHOD_HEAD) == 0;
    if (!rq) {
        rq = tw_xcalloc(1, sizeof *rq);
        rq->route = (enum route)find_route(url);
        *req = rq;
        bool want_post = rq->route == W_ACTION;
        bool ok = want_post ? strcmp(method, MHD_HTTP_METHOD_POST) == 0
                            : get || (head && rq->route != W_EVENTS);
        if (!ok) {
            struct MHD_Response *r =
                MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
            if (!r)
                return MHD_NO;
            MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW,
                                    want_post               ? "POST"
                                    : rq->route == W_EVENTS ? "GET"
                                                            : "GET, HEAD");
            add_common(w, r, "no-store");
            return queue(w, c, r, MHD_HTTP_METHOD_NOT_ALLOWED, status);
        }
        if (!want_post)
            goto respond;
        return MHD_YES; /* the body comes next */
    }
    if (*upload_data_size) {
        size_t n = *upload_data_size;
        *upload_data_size = 0;
        if (rq->too_large || rq->len + n > ACTION_MAX_BODY) {
            rq->too_large = true;
            return MHD_YES;
        }
        rq->body = tw_xrealloc(rq->body, rq->len + n + 1);
        memcpy(rq->body + rq->len, upload_data, n);
        rq->len += n;
        rq->body[rq->len] = '\0';
        return MHD_YES;
    }
respond:;
    char nonce[TW_WEBAUTH_NONCE_SIZE];
    enum auth a = rq->route == W_LOGIN ? AUTH_OPEN : authorize(w, c, nonce);
    if (a == AUTH_NONE)
        return refuse(w, c, rq->route, status);
    switch (rq->route) {
    case W_PAGE:
    case W_CSS:
    case W_JS:
    case W_ICON:
    case W_FONT:
    case W_FONT_BOLD:
        for (size_t i = 0; i < N_ASSETS; i++) {
            if (asset_files[i].route != rq->route)
                continue;
            const struct asset *as = &w->assets[i];
            if (!as->data)
                break; /* an optional file that is not there */
            /* Not fingerprinted, so every use asks again; the ETag makes
             * that a 304 of a few bytes. */
            return answer_cached(w, c, asset_files[i].ctype, as->data, as->len, as->gz, as->gz_len,
                                 as->etag, as->etag_gz, "no-cache", MHD_RESPMEM_PERSISTENT, status);
        }
        break;
    case W_STATE: return serve_state(w, c, status);
    case W_EVENTS: return serve_events(w, c, status);
    case W_VIEW: return serve_view(w, c, a, nonce, status);
    case W_LOGIN: return serve_login(w, c, status);
    case W_ACTION: return serve_action(w, c, rq, a, nonce, status);
    default: break;
    }
    return answer_text(w, c, MHD_HTTP_NOT_FOUND, "not found", status);
}

void tw_web_completed(tw_web *w, void **req)
{
    (void)w;
    struct request *rq = *req;
    if (rq) {
        free(rq->body);
        free(rq);
        *req = NULL;
    }
}

unsigned tw_web_streams(tw_web *w)
{
    if (!w)
        return 0;
    pthread_mutex_lock(&w->lock);
    unsigned n = w->streams;
    pthread_mutex_unlock(&w->lock);
    return n;
}

/* ---- life ---- */

int tw_web_create(const tw_web_options *opt, tw_web **out)
{
    if (!opt || !opt->cfg || !opt->root || !opt->board || !out)
        return TW_ERR_INVAL;
    tw_web *w = tw_xcalloc(1, sizeof *w);
    w->cfg = opt->cfg;
    tw_strlcpy(w->root, opt->root, sizeof w->root);
    tw_strlcpy(w->board, opt->board, sizeof w->board);
    w->publish = opt->publish;
    w->publish_ctx = opt->publish_ctx;
    w->answering = opt->answering;
    w->loopback = tw_webauth_listen_is_loopback(opt->cfg->listen);
    w->board_online = -1;
    pthread_mutex_init(&w->lock, NULL);
    /* Sessions survive a restart and end with the token. */
    tw_webauth_key(opt->cfg->web_token, w->key);
    w->view_strings = strings_json();
    int rc = load_assets(w);
    if (rc) {
        tw_web_destroy(w);
        return rc;
    }
    if (!opt->cfg->web_token[0] && !w->loopback)
        log_warn("web view off: %s is not a loopback address and [web] token is not set",
                 opt->cfg->listen);
    pthread_mutex_lock(&w->lock);
    rebuild_msg(w);
    pthread_mutex_unlock(&w->lock);
    *out = w;
    return 0;
}

void tw_web_stop(tw_web *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    w->stopping = true;
    wake_streams(w);
    pthread_mutex_unlock(&w->lock);
}

void tw_web_destroy(tw_web *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < N_ASSETS; i++) {
        free(w->assets[i].data);
        free(w->assets[i].gz);
    }
    free(w->view_strings);
    free(w->state);
    msg_unref(w->msg);
    pthread_mutex_destroy(&w->lock);
    free(w);
}
