/* SPDX-License-Identifier: MIT */
/*
 * The SQLite store: items plus an append-only history of every applied
 * command. WAL mode, schema versioned with PRAGMA user_version and forward
 * migrations. The store knows rows, not rules: tw_board decides what to write.
 *
 * Transactions are explicit so the caller can group every command decoded in
 * one MQTT read into one commit (see docs/ARCHITECTURE.md). Writes outside a
 * tw_store_begin()/tw_store_commit() pair autocommit.
 */
#ifndef TW_STORE_H
#define TW_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "item.h"

typedef struct tw_store tw_store;

typedef struct tw_store_options {
    bool sync_full; /* PRAGMA synchronous=FULL (power-loss durable) instead of NORMAL */
    bool read_only; /* open for reading only (teamwall-ctl list) */
    /* Skip the full integrity check (PRAGMA quick_check, a read of the whole
     * file: most of the board's start-up with 100,000 items) until
     * tw_store_verify(). Write nothing before that. */
    bool defer_check;
} tw_store_options;

/* Open (creating and migrating as needed) the database at path. opt may be
 * NULL for defaults. On success *out owns the connection, which only the
 * thread that opened it may use (it is opened without SQLite's mutexes). */
int tw_store_open(const char *path, const tw_store_options *opt, tw_store **out);
/* fn(ctx) after each automatic checkpoint of the write-ahead log into the
 * file (a read-write store checkpoints as SQLite does by default, once the
 * log holds 1,000 pages). */
void tw_store_on_checkpoint(tw_store *store, void (*fn)(void *ctx), void *ctx);
/* If the file at open was not a usable database (corrupt, not SQLite), it was
 * moved aside and a fresh one started: the path it was moved to, else NULL. */
const char *tw_store_recovered_from(tw_store *store);

/* Close; NULL is a no-op. */
void tw_store_close(tw_store *store);

/* The integrity check deferred by defer_check (else nothing to do: 0). A
 * damaged file is moved aside and the store goes on with a fresh one, as at
 * open: tw_store_recovered_from() then names where it went and callers
 * reload what they read. 0, or a TW_ERR_* code when no usable store remains.
 * The pages the check read are not kept in the page cache. */
int tw_store_verify(tw_store *store);

/* Bytes of SQLite's page cache the connection holds now (at most its
 * cache_size, 2 MB). */
size_t tw_store_cache_bytes(tw_store *store);

/* Give back every page of the page cache that no statement holds (P4): after
 * a walk over the history, which fills it with pages no command needs, and
 * when the board goes quiet. A command afterwards reads its few pages again
 * from the OS's file cache. NULL is a no-op. */
void tw_store_release_cache(tw_store *store);

/* Set the page cache's size (PRAGMA cache_size: pages, or KiB when
 * negative) and return the one before, or 0 when it cannot be read or set.
 * A walk that reads each page once (the recent history, a scan of the
 * items) runs in a small one and restores it: pages are then reused within
 * it rather than filling 2 MB of the heap (P4's peak). */
int tw_store_cache_size(tw_store *store, int size);
/* Around such a walk: begin makes the cache small (256 KiB) and returns
 * what end restores (0: nothing to restore); end also empties it. */
int tw_store_walk_begin(tw_store *store);
void tw_store_walk_end(tw_store *store, int restore);

/* The newest schema version this build knows. */
int tw_store_schema_latest(void);
/* Write everything the store's connection reads (committed state, WAL
 * included) to a fresh SQLite file at path, replacing it: how a file deleted
 * under the board is rewritten (firmware/dbwatch.h). */
int tw_store_copy_to(tw_store *store, const char *path);
/* Close the connection without touching the files by name (no checkpoint)
 * and open the store's path again, as a new file: after the file there was
 * replaced or rewritten. An open transaction is rolled back; callers reload
 * what they read from the store. */
int tw_store_reattach(tw_store *store);

/* Schema version of an open store (PRAGMA user_version). */
int tw_store_schema_version(tw_store *store);

/* PRAGMA data_version: changes when another connection (teamwall-ctl
 * restore) committed to the file, not for this connection's own commits. */
int tw_store_data_version(tw_store *store, int64_t *out);

/* The SQLite connection, for the store's sibling modules that run their own
 * statements in its transactions (firmware/upkeep.c: redact, keep). */
struct sqlite3 *tw_store_handle(tw_store *store);
/* Facts about the database ("team"): the value of key into buf (copied,
 * truncated to size), TW_ERR_NOTFOUND when not set (or the database is from
 * before schema 5), or another TW_ERR_*. set inserts or replaces. */
int tw_store_meta_get(tw_store *store, const char *key, char *buf, size_t size);
int tw_store_meta_set(tw_store *store, const char *key, const char *value);

int tw_store_begin(tw_store *store);
int tw_store_commit(tw_store *store);
/* Roll back the open transaction, if any. */
void tw_store_rollback(tw_store *store);
bool tw_store_in_transaction(tw_store *store);

/* Item by full id. TW_ERR_NOTFOUND if none. */
int tw_store_get(tw_store *store, const char *id, tw_item *out);

/*
 * Item by reference: the full id, else an item's exact short ref, else a
 * unique prefix (>= TW_REF_MIN characters) of an item's hash.
 * TW_ERR_NOTFOUND or TW_ERR_AMBIGUOUS when it does not name exactly one.
 */
int tw_store_find_ref(tw_store *store, const char *ref, tw_item *out);

/*
 * Insert a new item. item->id must be set and unknown. Sets item->seq and
 * item->ref (the shortest prefix, at least TW_REF_MIN characters, of the id's
 * hash that no other item uses as its ref). TW_ERR_INVAL if the id exists.
 */
int tw_store_insert(tw_store *store, tw_item *item);
/* The same with the item's note (a resolved item caught up from a peer);
 * note NULL or "" for none. */
int tw_store_insert_noted(tw_store *store, tw_item *item, const char *note);

/* Write an existing item's state, claimed/resolved fields, note and updated
 * time. note: a resolve's answer; NULL or "" for none (it is cleared). */
int tw_store_update(tw_store *store, const tw_item *item, const char *note);

/* The note stored with item id ("" when none) into buf (size bytes, at
 * least TW_NOTE_SIZE to hold any). TW_ERR_NOTFOUND if there is no such item. */
int tw_store_note(tw_store *store, const char *id, char *buf, size_t size);

/* Append one history row: at, item id, action ("post", "claim", ...), actor,
 * source, detail (may be NULL). */
int tw_store_history_add(tw_store *store, int64_t at, const char *item_id, const char *action,
                         const char *actor, const char *source, const char *detail);

/* Number of history rows (for tests and stats). */
int64_t tw_store_history_count(tw_store *store);

/* Call fn for each item, oldest first: only open and claimed ones unless all.
 * fn returns 0 to go on, anything else stops and is returned. */
typedef int (*tw_store_item_fn)(void *ctx, const tw_item *item);

/* Called with a found item and its note ("" when none), both borrowed for the
 * call. Return 0 to go on; anything else stops and is returned. */
typedef int (*tw_store_found_fn)(void *ctx, const tw_item *item, const char *note);

/* Every item with its note, oldest first; only the resolved ones (what the
 * team learned) if resolved_only. For teamwall-ctl export. */
int tw_store_each_noted(tw_store *store, bool resolved_only, tw_store_found_fn fn, void *ctx);

/*
 * Items matching every word of query (split at white space), at most limit:
 * first what the team learned, resolved items whose text or note has words
 * starting with each one (full-text index, accents and case ignored), newest
 * first; then open and claimed items whose text contains each word
 * (ASCII case ignored), oldest first. Query syntax is never interpreted.
 * TW_ERR_INVAL for a query without words.
 */
int tw_store_search(tw_store *store, const char *query, size_t limit, tw_store_found_fn fn,
                    void *ctx);
int tw_store_each(tw_store *store, bool all, tw_store_item_fn fn, void *ctx);

/* One history row, as tw_store_history_add() wrote it. */
typedef struct tw_history_entry {
    int64_t seq, at;
    char item_id[TW_ID_SIZE];
    char action[16]; /* "post", "claim", "resolve", "reopen" */
    char actor[TW_AUTHOR_SIZE];
    char source[TW_SOURCE_SIZE];
    char detail[TW_NOTE_SIZE]; /* "" when none */
} tw_history_entry;

/* Called with a history row (borrowed) and, for tw_store_history_since(),
 * its item as it is now (borrowed; NULL otherwise). Return 0 to go on;
 * anything else stops and is returned. */
typedef int (*tw_store_history_fn)(void *ctx, const tw_history_entry *h, const tw_item *item);

/* History rows newest first while at >= since (the walk stops at the first
 * older row, so its cost follows recent activity). For the wall's figures and
 * "recently learned" line. */
int tw_store_history_since(tw_store *store, int64_t since, tw_store_history_fn fn, void *ctx);

/* The history of one item, oldest first (item NULL), for the detail view. */
int tw_store_history_of(tw_store *store, const char *item_id, tw_store_history_fn fn, void *ctx);

/* The hash characters of an id (TW_HASH_LEN base32 characters + NUL): refs are
 * prefixes of it. FNV-1a 64 of the id's bytes, then the splitmix64 finaliser,
 * the top 60 bits as lowercase Crockford base32, most significant first. Pure. */
void tw_store_hash_id(const char *id, char out[TW_REF_SIZE]);

/* Lower-case ref into out and map Crockford's look-alikes (o -> 0, i and
 * l -> 1), as people copy refs off a card. False if a character is not in
 * the alphabet or the length is outside [TW_REF_MIN, TW_HASH_LEN]. Pure. */
bool tw_store_normalize_ref(const char *ref, char out[TW_REF_SIZE]);

/* How many times an insert changed another item's ref (an older item whose
 * hash starts like a newer one's arrived late; refs follow (created, id)
 * order so every board shows the same). Whoever caches refs reloads when it
 * moves. */
uint64_t tw_store_refs_moved(const tw_store *store);
/* The items (seq) whose ref the last insert moved: their count, *seqs
 * (borrowed until the next insert) set; SIZE_MAX when more moved than the
 * store keeps (then reload everything). */
size_t tw_store_last_moved(const tw_store *store, const int64_t **seqs);

/* The connection, for modules that keep tables of their own in the same
 * file and transactions (firmware/standups.c); and a SQLite result code as a
 * TW_ERR_* with one log line, as the store's own calls map them. */
struct sqlite3;
struct sqlite3 *tw_store_sqlite(tw_store *store);
int tw_store_sqlite_error(tw_store *store, int rc, const char *what);

/* SQLite's last error message, for logs; static or store-owned. */
const char *tw_store_errmsg(tw_store *store);

/* ---- desk buttons (firmware/buttons.c writes them, teamwall-ctl buttons reads) ---- */

/* A button the board has seen, keyed by (source, device, input). */
typedef struct tw_button_row {
    char source[16];                /* "zigbee2mqtt", "shelly", ... */
    char device[129];               /* friendly name, device topic or id, key name */
    char input[33];                 /* input of a multi-input device, or "" */
    char name[33];                  /* its [button "name"] section; "" = unassigned */
    int64_t first_seen, last_seen;  /* wall clock */
    int64_t last_press;             /* wall clock of the last press; 0 = never */
    char last_action[16];           /* "single", "double", "long" */
    int64_t presses;                /* presses counted */
    int battery;                    /* percent; -1 unknown */
    int online;                     /* 1, 0; -1 unknown */
    int64_t online_since;           /* when online last changed; 0 unknown */
    bool has_counter;               /* a Shelly event_cnt was seen */
    int64_t counter, counter_epoch; /* its last value, and how often it went back */
    char vendor[64], model[64];     /* from zigbee2mqtt's device list; "" unknown */
} tw_button_row;

/* The row for (source, device, input). TW_ERR_NOTFOUND if none. */
int tw_store_button_get(tw_store *store, const char *source, const char *device, const char *input,
                        tw_button_row *out);
/* Insert, or replace the row with the same (source, device, input). */
int tw_store_button_put(tw_store *store, const tw_button_row *row);
/* Every row (borrowed for the call): configured buttons by name, then the
 * unassigned ones, most recently pressed first. fn returns 0 to go on;
 * anything else stops and is returned. */
typedef int (*tw_store_button_fn)(void *ctx, const tw_button_row *row);
int tw_store_buttons_each(tw_store *store, tw_store_button_fn fn, void *ctx);

/* 1 if a press with this id was recorded, 0 if not, or a TW_ERR_*. */
int tw_store_press_exists(tw_store *store, const char *id);
/* Record a press (ids are unique: TW_ERR_INVAL if it exists) at wall clock
 * at, of button, as press ("single", ...) doing action ("blocker", ...). */
int tw_store_press_add(tw_store *store, const char *id, int64_t at, const tw_button_row *button,
                       const char *press, const char *action);

#endif
