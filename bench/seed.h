/* SPDX-License-Identifier: MIT */
/*
 * The footprint fixture: a board database with `total` items in its history
 * of which `open` are still open (the newest ones; some claimed), written
 * through tw_store like the board writes, deterministic for given sizes; and
 * the same open cards as one static HTML page (bench/reference/board.html)
 * for the browser-kiosk reference.
 */
#ifndef TW_BENCH_SEED_H
#define TW_BENCH_SEED_H

#include <stdint.h>

/* The clock the fixture is made for (item ages on the page count from it). */
#define SEED_NOW INT64_C(1795651200) /* 2026-11-26T00:00:00Z */

/* Create db (must not exist) with total items, open of them open. Returns 0
 * or a TW_ERR_* code. */
int seed_db(const char *db, int total, int open);

/* Write the HTML page of db's open items to path. 0 or TW_ERR_IO. */
int seed_html(const char *db, const char *path);

#endif
