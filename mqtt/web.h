/* SPDX-License-Identifier: MIT */
/*
 * The web view of teamwall-bridge (docs/WEB.md): the board as one page for
 * people away from the wall. It serves the page's files (assets/web/, read
 * once at start, with ETags and a gzip copy), the board's retained state as
 * JSON (GET /board.json) and as a Server-Sent Events stream
 * (GET /board/events), the page's settings and strings (GET /board/view.json),
 * the login link (GET /login?token=) and, with [web] actions = true, the
 * page's actions (POST /board/action), which become the same commands on the
 * broker as any producer's, published through the bridge's own publisher.
 *
 * It runs inside the bridge's libmicrohttpd daemon (a thread per connection):
 * a stream's connection thread sleeps on a condition variable until the
 * state changes, the keep-alive is due or the view stops. Streams are capped
 * at [web] max_viewers so that viewers never take the connections the chats
 * need.
 */
#ifndef TW_WEB_H
#define TW_WEB_H

#include <microhttpd.h>
#include <stdbool.h>
#include <stddef.h>

#include "../firmware/config.h"

typedef struct tw_web tw_web;

/*
 * Publish payload on topic at QoS 1 and wait (bounded) for the broker:
 * returns 0 when acknowledged, or a TW_ERR_* with a reason a person reads
 * copied into reason.
 */
typedef int (*tw_web_publish_fn)(void *ctx, const char *topic, const char *payload, char *reason,
                                 size_t reason_size);

typedef struct tw_web_options {
    const tw_config *cfg;      /* borrowed for the view's life: [web], [display], listen */
    const char *root;          /* <root> of the commands ("teamwall/acme"); copied */
    const char *board;         /* the board shown; copied */
    tw_web_publish_fn publish; /* for actions; NULL: actions are off */
    void *publish_ctx;
    /* Called with the connection just before any response is queued (the
     * bridge's slow-client guard: a request being answered, an open event
     * stream above all, is never cut); NULL: nothing. */
    void (*answering)(struct MHD_Connection *c);
} tw_web_options;

/*
 * Load the page's files ([web] assets, else the build tree's assets/web, else
 * the installed share/teamwall/web) and get ready. Returns 0 with *out set,
 * or TW_ERR_IO (files missing; logged) / TW_ERR_INVAL (options).
 */
int tw_web_create(const tw_web_options *opt, tw_web **out);

/* Wake every stream so that they end, then free. NULL is a no-op. Call
 * tw_web_stop() before stopping the daemon, this after. */
void tw_web_stop(tw_web *w);
void tw_web_destroy(tw_web *w);

/* Whether url is one of the web view's routes. */
bool tw_web_owns(const char *url);

/* The board's retained state changed (copied; NULL or len 0: it was
 * cleared), or the board's status (-1 unknown, 0 offline, 1 online), or the
 * broker connection. Wakes the streams. Thread-safe. */
void tw_web_set_state(tw_web *w, const char *json, size_t len);
void tw_web_set_board_online(tw_web *w, int online);
void tw_web_set_broker(tw_web *w, bool connected);

/*
 * libmicrohttpd's access handler for a route tw_web_owns(): the arguments as
 * MHD passes them; *req is the view's own per-request pointer (starts NULL,
 * freed by tw_web_completed()). *status is set to the status code queued (0
 * while the request body is still arriving).
 */
enum MHD_Result tw_web_handle(tw_web *w, struct MHD_Connection *c, const char *url,
                              const char *method, const char *upload_data, size_t *upload_data_size,
                              void **req, unsigned *status);
void tw_web_completed(tw_web *w, void **req);

/* Streams open now, for /metrics. */
unsigned tw_web_streams(tw_web *w);

#endif
