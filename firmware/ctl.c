/* SPDX-License-Identifier: MIT */
/*
 * teamwall-ctl: the command line. post/claim/resolve/reopen publish a command
 * at QoS 1 and wait for the broker's acknowledgement; list, search, export,
 * stats and buttons read the board's database (read-only). Failures print one
 * line on stderr and exit non-zero.
 */
#define _POSIX_C_SOURCE 200809L
#define LOG_MODULE      "ctl"
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "backup.h"
#include "buttons.h"
#include "client.h"
#include "codec.h"
#include "config.h"
#include "ctl_standup.h"
#include "digest.h"
#include "export.h"
#include "i18n.h"
#include "log.h"
#include "store.h"
#include "teams.h"
#include "util.h"

#define ACK_TIMEOUT_MS 5000

static void usage(FILE *f)
{
    /* TRANSLATORS: keep the commands, options and their arguments as
     * they are; translate the descriptions. */
    fputs(_("Usage: teamwall-ctl [--config FILE] [--db PATH] [--broker URL] [--team NAME] "
            "COMMAND ...\n\n"
            "  post KIND TEXT [--author A] [--id ID] [--source S]   KIND: blocker|question|win\n"
            "  claim REF [--by B]\n"
            "  resolve REF [--by B] [--note N]\n"
            "  reopen REF [--by B]\n"
            "  redact REF [--by B]  remove the item's text, author and note on every board\n"
            "                       (items, history, search, exports); the history keeps\n"
            "                       who redacted it and when\n"
            "  list [--all] [--json]\n"
            "  search WORDS... [--limit N] [--json]\n"
            "                       what the team learned (resolved items whose text or\n"
            "                       answer has the words), then open items that mention them\n"
            "  export [--format md|csv|json] [--all]\n"
            "                       what the team learned (resolved items and their\n"
            "                       answers), or every item with --all, to standard output\n"
            "  stats [--json]       the team's figures, as the wall shows them\n"
            "  buttons [--json]     every desk button seen: name, source, last press,\n"
            "                       battery, online (and configured ones not seen yet)\n"
            "  backup FILE|DIR/ [--keep N]\n"
            "                       copy the database while the board runs (SQLite online\n"
            "                       backup, checked); into DIR/ as teamwall-DATE-TIME.db,\n"
            "                       keeping the N newest there\n"
            "  restore FILE         check FILE and copy it over the database; the board\n"
            "                       reloads it\n"
            "  standup start|next|back|stop [--by B]\n"
            "                       drive the team's stand-up (every board follows)\n"
            "  standups [--json]    the stand-ups held, newest first, with their summary\n\n"
            "post/claim/resolve/reopen/redact publish at QoS 1 and wait for the broker's ack;\n"
            "the others read the database.\n"),
          f);
}

static void die(int status, const char *fmt, const char *a, const char *b)
{
    fprintf(stderr, "teamwall-ctl: ");
    fprintf(stderr, fmt, a, b);
    fputc('\n', stderr);
    exit(status);
}

/* ---- publishing ---------------------------------------------------------------- */

struct pub {
    tw_mqtt *m;
    int mid;
    bool sent, acked, failed;
    char reason[64];
};

static void pub_connect(void *ctx)
{
    (void)ctx;
}

static void pub_disconnect(void *ctx, const char *reason)
{
    struct pub *p = ctx;
    p->failed = true;
    tw_strlcpy(p->reason, reason, sizeof(p->reason));
}

static void pub_ack(void *ctx, int mid)
{
    struct pub *p = ctx;
    if (p->sent && mid == p->mid)
        p->acked = true;
}

static bool pub_done(void *ctx)
{
    struct pub *p = ctx;
    return p->acked || p->failed || (!p->sent && tw_mqtt_connected(p->m));
}

/* Publish json (freed here) on <root>/<suffix> at QoS 1 and wait for the ack. */
static int publish_to(const tw_config *cfg, const char *suffix, char *json)
{
    tw_broker_url url;
    if (tw_broker_list_parse(cfg->broker, &url, 1) <= 0)
        die(2, _("bad broker URL: %s%s"), cfg->broker, "");
    struct pub p = {0};
    tw_mqtt_options mo = {
        .clean_session = true,
        .host = url.host,
        .port = url.port,
        .tls = url.tls,
        .cafile = cfg->cafile,
        .certfile = cfg->certfile,
        .keyfile = cfg->keyfile,
        .username = url.username[0] ? url.username : cfg->username,
        .password = url.username[0] ? url.password : cfg->password,
        .keepalive = 30,
    };
    tw_mqtt_handlers h = {&p, pub_connect, pub_disconnect, NULL, pub_ack};
    if (tw_mqtt_create(&mo, &h, &p.m))
        die(1, _("cannot set up the MQTT client%s%s"), "", "");
    tw_mqtt_start(p.m);
    char where[300];
    snprintf(where, sizeof(where), "%s:%d", url.host, url.port);
    /* Connect. */
    if (tw_mqtt_run_until(p.m, ACK_TIMEOUT_MS, pub_done, &p) || p.failed)
        die(1, _("cannot reach the broker at %s: %s"), where, p.reason[0] ? p.reason : "timed out");
    char topic[256], root[128];
    tw_config_root(cfg, root, sizeof(root));
    snprintf(topic, sizeof(topic), "%s/%s", root, suffix);
    int rc = tw_mqtt_publish(p.m, topic, json, strlen(json), 1, false, &p.mid);
    free(json);
    if (rc)
        die(1, _("publish to %s failed%s"), topic, "");
    p.sent = true;
    if (tw_mqtt_run_until(p.m, ACK_TIMEOUT_MS, pub_done, &p) || !p.acked)
        die(1, _("the broker at %s did not acknowledge: %s"), where,
            p.reason[0] ? p.reason : "timed out");
    tw_mqtt_destroy(p.m, 1000);
    return 0;
}

static int publish_command(const tw_config *cfg, const tw_command *cmd)
{
    return publish_to(cfg, tw_cmd_name(cmd->type), tw_codec_encode_command(cmd));
}

/* ---- list ------------------------------------------------------------------------ */

struct list_ctx {
    tw_store *store; /* for resolved items' notes */
    bool json;
    cJSON *array;
    int64_t now;
    int count;
};

static void age(int64_t secs, char *buf, size_t size)
{
    if (secs < 60)
        snprintf(buf, size, "%s", C_("age", "now"));
    else if (secs < 3600)
        snprintf(buf, size, C_("age", "%dm"), (int)(secs / 60));
    else if (secs < 86400)
        snprintf(buf, size, C_("age", "%dh"), (int)(secs / 3600));
    else
        snprintf(buf, size, C_("age", "%dd"), (int)(secs / 86400));
}

static int list_one(void *ctx, const tw_item *it)
{
    struct list_ctx *lc = ctx;
    lc->count++;
    if (lc->json) {
        char note[TW_NOTE_SIZE] = "";
        if (it->state == TW_STATE_RESOLVED && tw_store_note(lc->store, it->id, note, sizeof(note)))
            note[0] = '\0';
        char *s = tw_codec_item_json(it, note);
        cJSON_AddItemToArray(lc->array, cJSON_Parse(s));
        free(s);
        return 0;
    }
    char a[32];
    age(lc->now - it->created, a, sizeof(a));
    printf("%-8s %-8s %-8s %4s  %-16.16s %s\n", it->ref, tw_kind_name(it->kind),
           tw_state_name(it->state), a, it->author, it->text);
    return 0;
}

/* The board's database, read-only; exits on failure. */
static tw_store *open_db(const tw_config *cfg)
{
    if (access(cfg->db, R_OK) != 0)
        die(1, _("cannot read the database %s: %s"), cfg->db, "no such file or no permission");
    tw_store *store;
    tw_store_options so = {.read_only = true};
    int rc = tw_store_open(cfg->db, &so, &store);
    if (rc)
        die(1, _("cannot open the database %s: %s"), cfg->db, tw_strerror(rc));
    return store;
}

/* The team a database belongs to: --team when given, else what the board
 * recorded in it (a copy of another team's database names that team), else
 * the config's. Into buf. */
static bool team_given;
static const char *team_of(const tw_config *cfg, tw_store *store, char *buf, size_t size)
{
    if (team_given || tw_store_meta_get(store, "team", buf, size) != 0 || !buf[0])
        tw_strlcpy(buf, cfg->team, size);
    return buf;
}

static int list(const tw_config *cfg, bool all, bool json)
{
    tw_store *store = open_db(cfg);
    int rc;
    struct list_ctx lc = {.store = store, .json = json, .now = tw_now()};
    if (json)
        lc.array = cJSON_CreateArray();
    rc = tw_store_each(store, all, list_one, &lc);
    tw_store_close(store);
    if (rc)
        die(1, _("reading %s failed: %s"), cfg->db, tw_strerror(rc));
    if (json) {
        char *s = cJSON_Print(lc.array);
        puts(s);
        free(s);
        cJSON_Delete(lc.array);
    } else if (!lc.count) {
        printf("%s", all ? _("no items\n") : _("no open items\n"));
    }
    return 0;
}

/* ---- search, export, stats -------------------------------------------------------- */

struct found_ctx {
    bool json;
    int64_t now;
    int count;
};

static int print_found(void *ctx, const tw_item *it, const char *note)
{
    struct found_ctx *fc = ctx;
    if (fc->json) {
        char *s = tw_codec_item_json(it, note);
        printf("%s%s", fc->count ? ",\n" : "[\n", s);
        free(s);
    } else {
        char a[32];
        age(fc->now - it->created, a, sizeof(a));
        printf("%-8s %-8s %-8s %4s  %-16.16s %s\n", it->ref, tw_kind_name(it->kind),
               tw_state_name(it->state), a, it->author, it->text);
        if (note[0])
            printf("%50s-> %s (%s)\n", "", note,
                   it->resolved_by[0] ? it->resolved_by : _("someone"));
    }
    fc->count++;
    return 0;
}

static int search(const tw_config *cfg, const char *query, long limit, bool json)
{
    tw_store *store = open_db(cfg);
    struct found_ctx fc = {.json = json, .now = tw_now()};
    int rc = tw_store_search(store, query, (size_t)limit, print_found, &fc);
    tw_store_close(store);
    if (rc == TW_ERR_INVAL)
        die(2, _("search: give some words to look for%s%s"), "", "");
    if (rc)
        die(1, _("searching %s failed: %s"), cfg->db, tw_strerror(rc));
    if (json)
        puts(fc.count ? "\n]" : "[]");
    else if (!fc.count)
        printf(_("nothing found for \"%s\"\n"), query);
    return 0;
}

static int export_one(void *ctx, const tw_item *it, const char *note)
{
    tw_export_item(ctx, it, note);
    return 0;
}

static int export_items(const tw_config *cfg, const char *format, bool all)
{
    int fmt = tw_export_parse_format(format ? format : "md");
    if (fmt < 0)
        die(2, _("unknown export format \"%s\" (md, csv or json)%s"), format, "");
    tw_store *store = open_db(cfg);
    char title[160], team[sizeof(cfg->team)];
    team_of(cfg, store, team, sizeof(team));
    snprintf(title, sizeof(title), all ? _("Everything on %s's wall") : _("What %s learned"), team);
    tw_export *e = tw_export_begin(stdout, (tw_export_format)fmt, title, tw_now());
    int rc = tw_store_each_noted(store, !all, export_one, e);
    tw_store_close(store);
    int wrc = tw_export_end(e);
    if (rc)
        die(1, _("reading %s failed: %s"), cfg->db, tw_strerror(rc));
    if (wrc)
        die(1, _("writing the export failed%s%s"), "", "");
    return 0;
}

static int stats(const tw_config *cfg, bool json)
{
    tw_store *store = open_db(cfg);
    tw_digest *d = tw_digest_create();
    int64_t now = tw_now();
    char team[sizeof(cfg->team)];
    team_of(cfg, store, team, sizeof(team));
    int rc = tw_digest_reload(d, store, now);
    tw_store_close(store);
    if (rc) {
        tw_digest_destroy(d);
        die(1, _("reading %s failed: %s"), cfg->db, tw_strerror(rc));
    }
    const tw_figures *f = tw_digest_figures(d);
    if (json) {
        char *s = tw_codec_figures_json(f);
        puts(s);
        free(s);
        tw_digest_destroy(d);
        return 0;
    }
    char dur[32], prev[32];
    printf(_("Team %s, figures of the last %d days\n\n"), team, TW_FIG_DAYS);
    if (f->clear_n) {
        tw_figures_format_duration(f->clear_median_s, dur, sizeof(dur));
        printf(_("Time to clear a blocker   median %s over %d blockers"), dur, f->clear_n);
        if (f->clear_prev_n) {
            tw_figures_format_duration(f->clear_prev_median_s, prev, sizeof(prev));
            printf(_(" (the %d days before: %s over %d)"), TW_FIG_DAYS, prev, f->clear_prev_n);
        }
        putchar('\n');
    } else if (f->clear_prev_n) {
        tw_figures_format_duration(f->clear_prev_median_s, prev, sizeof(prev));
        printf(_("Time to clear a blocker   none cleared (the %d days before: %s over %d)\n"),
               TW_FIG_DAYS, prev, f->clear_prev_n);
    } else {
        printf("%s", _("Time to clear a blocker   none cleared\n"));
    }
    int pct = tw_figures_fast_percent(f);
    if (pct >= 0)
        printf(_("Questions answered in 4 h %d %% (%d of %d decided; %d asked)\n"), pct,
               f->questions_fast, f->questions_decided, f->questions_asked);
    else
        printf(_("Questions answered in 4 h no question decided yet (%d asked)\n"),
               f->questions_asked);
    printf(_("Wins this week            %d\n\nBlockers per day           opened  cleared\n"),
           f->wins_week);
    for (int i = 0; i < TW_FIG_DAYS; i++) {
        char day[16];
        tw_figures_day_name(f, i, day, sizeof(day));
        printf("  %-24s %6d  %7d\n", day, f->opened[i], f->cleared[i]);
    }
    tw_digest_destroy(d);
    return 0;
}

/* ---- buttons --------------------------------------------------------------------- */

struct button_list {
    tw_button_row *rows;
    size_t n, cap;
};

static int collect_button(void *ctx, const tw_button_row *row)
{
    struct button_list *l = ctx;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->rows = tw_xrealloc(l->rows, l->cap * sizeof(*l->rows));
    }
    l->rows[l->n++] = *row;
    return 0;
}

/* Configured buttons by name, then unassigned ones, most recently pressed first. */
static int button_order(const void *pa, const void *pb)
{
    const tw_button_row *a = pa, *b = pb;
    if (!a->name[0] != !b->name[0])
        return a->name[0] ? -1 : 1;
    int c = strcmp(a->name, b->name);
    if (c)
        return c;
    if (a->last_press != b->last_press)
        return a->last_press > b->last_press ? -1 : 1;
    return strcmp(a->device, b->device);
}

static void button_json(cJSON *array, const tw_button_row *r)
{
    char t[32];
    cJSON *o = cJSON_CreateObject();
    if (r->name[0])
        cJSON_AddStringToObject(o, "name", r->name);
    else
        cJSON_AddNullToObject(o, "name");
    cJSON_AddStringToObject(o, "source", r->source);
    cJSON_AddStringToObject(o, "device", r->device);
    cJSON_AddStringToObject(o, "input", r->input);
    if (r->last_press) {
        cJSON_AddStringToObject(o, "last_press", tw_time_format(r->last_press, t, sizeof(t)));
        cJSON_AddStringToObject(o, "last_action", r->last_action);
    } else {
        cJSON_AddNullToObject(o, "last_press");
        cJSON_AddNullToObject(o, "last_action");
    }
    cJSON_AddNumberToObject(o, "presses", (double)r->presses);
    if (r->battery >= 0)
        cJSON_AddNumberToObject(o, "battery", r->battery);
    else
        cJSON_AddNullToObject(o, "battery");
    if (r->online >= 0)
        cJSON_AddBoolToObject(o, "online", r->online);
    else
        cJSON_AddNullToObject(o, "online");
    if (r->last_seen)
        cJSON_AddStringToObject(o, "last_seen", tw_time_format(r->last_seen, t, sizeof(t)));
    else
        cJSON_AddNullToObject(o, "last_seen");
    /* zigbee2mqtt's device list says what it is */
    if (r->vendor[0])
        cJSON_AddStringToObject(o, "vendor", r->vendor);
    else
        cJSON_AddNullToObject(o, "vendor");
    if (r->model[0])
        cJSON_AddStringToObject(o, "model", r->model);
    else
        cJSON_AddNullToObject(o, "model");
    cJSON_AddItemToArray(array, o);
}

static void button_line(const tw_button_row *r, int64_t now)
{
    char device[200], press[48], battery[16], online[48], a[32];
    snprintf(device, sizeof(device), "%s%s%s", r->device, r->input[0] ? "#" : "", r->input);
    if (r->last_press) {
        age(now - r->last_press, a, sizeof(a));
        snprintf(press, sizeof(press), "%s %s", a, r->last_action);
    } else {
        snprintf(press, sizeof(press), "%s", _("never"));
    }
    if (r->battery >= 0)
        snprintf(battery, sizeof(battery), "%d %%", r->battery);
    else
        snprintf(battery, sizeof(battery), "-");
    if (r->online < 0) {
        snprintf(online, sizeof(online), "?");
    } else if (r->online) {
        snprintf(online, sizeof(online), "%s", _("online"));
    } else if (r->online_since) {
        age(now - r->online_since, a, sizeof(a));
        snprintf(online, sizeof(online), _("offline for %s"), a);
    } else {
        snprintf(online, sizeof(online), "%s", _("offline"));
    }
    char model[140];
    snprintf(model, sizeof(model), "%s%s%s", r->vendor, r->vendor[0] ? " " : "",
             r->model[0]    ? r->model
             : r->vendor[0] ? ""
                            : "-");
    printf("%-16.16s %-12s %-28.28s %-14s %-8s %-16s %s\n",
           r->name[0] ? r->name : _("(unassigned)"), r->source, device, press, battery, online,
           model);
}

static int buttons(const tw_config *cfg, const tw_button_config *bc, bool json)
{
    tw_store *store = open_db(cfg);
    struct button_list l = {0};
    int rc = tw_store_buttons_each(store, collect_button, &l);
    tw_store_close(store);
    if (rc)
        die(1, _("reading %s failed: %s"), cfg->db, tw_strerror(rc));
    /* Configured buttons the board has not heard from yet. */
    for (size_t i = 0; i < tw_button_config_count(bc); i++) {
        const tw_button_def *d = tw_button_config_get(bc, i);
        tw_button_row r = {0};
        tw_strlcpy(r.source, tw_button_source_name(d->source), sizeof(r.source));
        tw_strlcpy(r.device, d->device, sizeof(r.device));
        tw_strlcpy(r.input, d->input, sizeof(r.input));
        bool seen = false;
        for (size_t k = 0; k < l.n && !seen; k++)
            seen = strcmp(l.rows[k].source, r.source) == 0 &&
                   strcmp(l.rows[k].device, r.device) == 0 && strcmp(l.rows[k].input, r.input) == 0;
        if (seen)
            continue;
        tw_strlcpy(r.name, d->name, sizeof(r.name));
        r.battery = -1;
        r.online = -1;
        collect_button(&l, &r);
    }
    if (l.n)
        qsort(l.rows, l.n, sizeof(*l.rows), button_order);
    int64_t now = tw_now();
    if (json) {
        cJSON *array = cJSON_CreateArray();
        for (size_t i = 0; i < l.n; i++)
            button_json(array, &l.rows[i]);
        char *s = cJSON_Print(array);
        puts(s);
        free(s);
        cJSON_Delete(array);
    } else if (!l.n) {
        printf("%s", _("no buttons seen yet\n"));
    } else {
        printf("%-16s %-12s %-28s %-14s %-8s %-16s %s\n", _("NAME"), _("SOURCE"), _("DEVICE"),
               _("LAST PRESS"), _("BATTERY"), _("ONLINE"), _("MODEL"));
        for (size_t i = 0; i < l.n; i++)
            button_line(&l.rows[i], now);
    }
    free(l.rows);
    return 0;
}

/* ---- main ------------------------------------------------------------------------ */

static void make_id(char *buf, size_t size)
{
    char host[32] = "host";
    gethostname(host, sizeof(host) - 1);
    host[sizeof(host) - 1] = '\0';
    for (char *p = host; *p; p++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-", *p))
            *p = '-';
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    snprintf(buf, size, "cli-%s-%lld%03ld-%d", host, (long long)ts.tv_sec, ts.tv_nsec / 1000000,
             (int)getpid());
}

/* ---- backup, restore ------------------------------------------------------------ */

static int backup_restore(const tw_config *cfg, const char *verb, const char *file, int keep)
{
    char err[600], written[4096] = "";
    if (!file)
        die(2, "usage: %s FILE%s", verb, strcmp(verb, "backup") == 0 ? " [--keep N]" : "");
    if (strcmp(verb, "backup") == 0) {
        if (tw_backup_copy(cfg->db, file, keep, written, sizeof(written), err, sizeof(err)))
            die(1, "%s%s", err, "");
        printf("%s\n", written);
        return 0;
    }
    if (tw_backup_restore(file, cfg->db, 30000, err, sizeof(err)))
        die(1, "%s%s", err, "");
    printf(_("restored %s into %s; a running board reloads it within ten seconds\n"), file,
           cfg->db);
    return 0;
}

int main(int argc, char **argv)
{
    enum {
        O_CONFIG = 256,
        O_DB,
        O_BROKER,
        O_TEAM,
        O_AUTHOR,
        O_ID,
        O_SOURCE,
        O_BY,
        O_NOTE,
        O_ALL,
        O_JSON,
        O_LIMIT,
        O_FORMAT,
        O_HELP,
        O_VERSION,
        O_KEEP
    };
    /* One option a line, so that adding one is a one-line change. */
    // clang-format off
    static const struct option opts[] = {{"config", required_argument, 0, O_CONFIG},
                                         {"db", required_argument, 0, O_DB},
                                         {"broker", required_argument, 0, O_BROKER},
                                         {"team", required_argument, 0, O_TEAM},
                                         {"author", required_argument, 0, O_AUTHOR},
                                         {"id", required_argument, 0, O_ID},
                                         {"source", required_argument, 0, O_SOURCE},
                                         {"by", required_argument, 0, O_BY},
                                         {"note", required_argument, 0, O_NOTE},
                                         {"all", no_argument, 0, O_ALL},
                                         {"json", no_argument, 0, O_JSON},
                                         {"limit", required_argument, 0, O_LIMIT},
                                         {"format", required_argument, 0, O_FORMAT},
                                         {"help", no_argument, 0, O_HELP},
                                         {"version", no_argument, 0, O_VERSION},
                                         {"keep", required_argument, 0, O_KEEP},
                                         {0, 0, 0, 0}};
    // clang-format on
    const char *config_path = NULL, *author = NULL, *id = NULL, *source = "cli", *by = NULL,
               *note = NULL;
    const char *db = NULL, *broker = NULL, *team = NULL;
    bool all = false, json = false;
    long limit = 20, keep = 0;
    const char *format = NULL;
    tw_log_set_level(TW_LOG_WARN); /* a command line tool speaks only when something is wrong */
    /* The environment's language until the config names one (--help, and
     * errors before the config is read). */
    tw_i18n_use_config(NULL);
    /* "+" keeps getopt from permuting, but options may follow the command too:
     * parse in rounds and collect the positional words. */
    char *words[16];
    int nwords = 0;
    while (optind < argc) {
        /* There are no one-letter options: "-2 builds failing" is a text. */
        const char *arg = argv[optind];
        if (arg[0] == '-' && arg[1] && arg[1] != '-') {
            if (nwords < 16)
                words[nwords++] = argv[optind];
            optind++;
            continue;
        }
        int c = getopt_long(argc, argv, "+", opts, NULL);
        if (c == -1) {
            if (nwords < 16)
                words[nwords++] = argv[optind];
            optind++;
            continue;
        }
        switch (c) {
        case O_CONFIG: config_path = optarg; break;
        case O_DB: db = optarg; break;
        case O_BROKER: broker = optarg; break;
        case O_TEAM:
            team = optarg;
            team_given = true;
            break;
        case O_AUTHOR: author = optarg; break;
        case O_ID: id = optarg; break;
        case O_SOURCE: source = optarg; break;
        case O_BY: by = optarg; break;
        case O_NOTE: note = optarg; break;
        case O_ALL: all = true; break;
        case O_JSON: json = true; break;
        case O_LIMIT: {
            char *end;
            limit = strtol(optarg, &end, 10);
            if (*end || limit < 1 || limit > 100000)
                die(2, _("--limit: a number from 1 to 100000, not \"%s\"%s"), optarg, "");
            break;
        }
        case O_FORMAT: format = optarg; break;
        case O_KEEP: {
            char *end;
            keep = strtol(optarg, &end, 10);
            if (*end || keep < 1 || keep > 10000)
                die(2, "--keep: a number from 1 to 10000, not \"%s\"%s", optarg, "");
            break;
        }
        case O_HELP: usage(stdout); return 0;
        case O_VERSION: printf("teamwall-ctl %s\n", TW_VERSION); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (nwords < 1) {
        usage(stderr);
        return 2;
    }

    tw_config cfg;
    char err[512];
    tw_config_defaults(&cfg);
    /* The board's [button "..."] sections: checked as the board checks them,
     * and listed by "buttons". Static: it lives as long as the process. */
    static tw_button_config *bc;
    bc = tw_button_config_create();
    tw_button_config_install(bc);
    const char *path = config_path ? config_path : TW_CONFIG_DEFAULT_PATH;
    if ((config_path || access(path, F_OK) == 0) &&
        (tw_config_load(&cfg, path, err, sizeof(err)) ||
         tw_button_config_check(bc, path, err, sizeof(err))))
        die(2, "%s%s", err, "");
    if ((db && tw_config_set(&cfg, "board", "db", db, err, sizeof(err))) ||
        (broker && tw_config_set(&cfg, "mqtt", "broker", broker, err, sizeof(err))) ||
        (team && tw_config_set(&cfg, "board", "team", team, err, sizeof(err))))
        die(2, "%s%s", err, "");
    if (cfg.n_teams) {
        /* A lobby's config (docs/LOBBY.md): one of its teams, whose store is
         * the one beside [board] db. */
        if (!team)
            die(2,
                _("this is a lobby's config ([board] teams = %s): name one of its teams with "
                  "--team%s"),
                cfg.teams, "");
        char team_db[sizeof(cfg.db)];
        if (!db && tw_teams_db_path(cfg.db, cfg.team, team_db, sizeof(team_db)) == 0)
            tw_strlcpy(cfg.db, team_db, sizeof(cfg.db));
    }
    if (tw_i18n_use_config(cfg.language))
        die(2, _("[display] language: no catalogue for \"%s\"%s"), cfg.language, "");

    const char *verb = words[0];
    if (strcmp(verb, "list") == 0)
        return list(&cfg, all, json);
    if (strcmp(verb, "search") == 0) {
        char query[1024] = "";
        for (int i = 1; i < nwords; i++) {
            size_t n = strlen(query);
            snprintf(query + n, sizeof(query) - n, "%s%s", i > 1 ? " " : "", words[i]);
        }
        return search(&cfg, query, limit, json);
    }
    if (strcmp(verb, "export") == 0)
        return export_items(&cfg, format, all);
    if (strcmp(verb, "stats") == 0)
        return stats(&cfg, json);
    if (strcmp(verb, "standups") == 0)
        return tw_ctl_standups(&cfg, json);
    if (strcmp(verb, "standup") == 0) {
        char *payload = NULL;
        if (nwords != 2 || tw_ctl_standup_payload(&cfg, words[1], by, &payload))
            die(2, _("usage: standup start|next|back|stop [--by B]%s%s"), "", "");
        publish_to(&cfg, "standup", payload);
        printf(_("standup %s sent\n"), words[1]);
        return 0;
    }
    if (strcmp(verb, "buttons") == 0) {
        int status = buttons(&cfg, bc, json);
        tw_button_config_destroy(bc);
        return status;
    }

    if (strcmp(verb, "backup") == 0 || strcmp(verb, "restore") == 0)
        return backup_restore(&cfg, verb, nwords == 2 ? words[1] : NULL, (int)keep);

    tw_command cmd;
    memset(&cmd, 0, sizeof(cmd));
    /* Refused, never cut: a cut ref or id names another item, a cut note is
     * not what was meant (and would be reported as sent). */
    const struct {
        const char *what, *value;
        size_t max;
    } sized[] = {{"ref", nwords > 1 ? words[1] : NULL, sizeof(cmd.ref)},
                 {"--author", author, sizeof(cmd.author)},
                 {"--by", by, sizeof(cmd.author)},
                 {"--id", id, sizeof(cmd.id)},
                 {"--source", source, sizeof(cmd.source)},
                 {"--note", note, sizeof(cmd.note)}};
    for (size_t i = 0; i < TW_ARRAY_LEN(sized); i++)
        if (sized[i].value && strlen(sized[i].value) >= sized[i].max &&
            (i != 0 || strcmp(verb, "post") != 0)) {
            char max[32];
            snprintf(max, sizeof max, "%zu", sized[i].max - 1);
            die(2, "%s is too long (at most %s bytes); nothing sent", sized[i].what, max);
        }
    tw_strlcpy(cmd.source, source, sizeof(cmd.source));
    if (strcmp(verb, "post") == 0) {
        /* The sender's time, so every board of the team gives the item the
         * same creation time (docs/SYNC.md). Claims, resolves and reopens
         * go without one: a script's resolve and reopen within one second
         * then keep their order (they count at their arrival), where equal
         * times would be ordered by command id. */
        cmd.ts = tw_now();
        if (nwords != 3)
            die(2, _("usage: post KIND TEXT [--author A] [--id ID]%s%s"), "", "");
        int kind = tw_kind_parse(words[1]);
        if (kind < 0)
            die(2, _("unknown kind \"%s\" (blocker, question or win)%s"), words[1], "");
        cmd.type = TW_CMD_POST;
        cmd.kind = (tw_kind)kind;
        if (strlen(words[2]) >= sizeof(cmd.text))
            die(2, _("text is too long%s%s"), "", "");
        tw_strlcpy(cmd.text, words[2], sizeof(cmd.text));
        if (author)
            tw_strlcpy(cmd.author, author, sizeof(cmd.author));
        if (id)
            tw_strlcpy(cmd.id, id, sizeof(cmd.id));
        else
            make_id(cmd.id, sizeof(cmd.id));
        publish_command(&cfg, &cmd);
        printf(_("posted %s\n"), cmd.id);
        return 0;
    }
    static const struct {
        const char *name;
        tw_cmd_type type;
    } verbs[] = {{"claim", TW_CMD_CLAIM},
                 {"resolve", TW_CMD_RESOLVE},
                 {"reopen", TW_CMD_REOPEN},
                 {"redact", TW_CMD_REDACT}};
    for (size_t i = 0; i < TW_ARRAY_LEN(verbs); i++) {
        if (strcmp(verb, verbs[i].name) != 0)
            continue;
        if (nwords != 2)
            die(2, _("usage: %s REF [--by B]%s"), verb, "");
        cmd.type = verbs[i].type;
        tw_strlcpy(cmd.ref, words[1], sizeof(cmd.ref));
        if (by)
            tw_strlcpy(cmd.author, by, sizeof(cmd.author));
        if (note)
            tw_strlcpy(cmd.note, note, sizeof(cmd.note));
        publish_command(&cfg, &cmd);
        printf(_("%s %s sent\n"), verb, words[1]);
        return 0;
    }
    die(2, _("unknown command \"%s\" (try --help)%s"), verb, "");
    return 2;
}
