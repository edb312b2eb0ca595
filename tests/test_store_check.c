/* SPDX-License-Identifier: MIT */
/*
 * The store's deferred integrity check (tw_store_options.defer_check and
 * tw_store_verify()): the board opens without reading the whole file, shows
 * its first frame, then verifies; a good file stays, a damaged one is moved
 * aside and the store goes on with a fresh one, as an open with the check
 * would have done.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "dbfix.h"
#include "digest.h"
#include "store.h"
#include "util.h"

static char dir[512];

static tw_item make_item(const char *id)
{
    tw_item it;
    memset(&it, 0, sizeof(it));
    tw_strlcpy(it.id, id, sizeof(it.id));
    it.kind = TW_KIND_BLOCKER;
    it.state = TW_STATE_OPEN;
    tw_strlcpy(it.text, "a long enough text to fill several pages of the items table",
               sizeof(it.text));
    tw_strlcpy(it.author, "Ana", sizeof(it.author));
    tw_strlcpy(it.source, "mqtt", sizeof(it.source));
    it.created = 1000;
    it.updated = 1001;
    return it;
}

/* A database of n items, closed (the WAL checkpointed into the file). */
static void make_db(const char *path, int n)
{
    tw_store *s = NULL;
    CHECK_EQ_INT(tw_store_open(path, NULL, &s), 0);
    if (!s)
        return;
    tw_store_begin(s);
    for (int i = 0; i < n; i++) {
        char id[32];
        snprintf(id, sizeof(id), "bulk-%d", i);
        tw_item it = make_item(id);
        CHECK_EQ_INT(tw_store_insert(s, &it), 0);
    }
    CHECK_EQ_INT(tw_store_commit(s), 0);
    tw_store_close(s);
}

static void test_good_file(void)
{
    char path[600];
    snprintf(path, sizeof(path), "%s/good.db", dir);
    make_db(path, 50);
    tw_store_options o = {.defer_check = true};
    tw_store *s = NULL;
    CHECK_EQ_INT(tw_store_open(path, &o, &s), 0);
    CHECK(s != NULL);
    tw_item got;
    CHECK_EQ_INT(tw_store_get(s, "bulk-7", &got), 0);
    CHECK_EQ_INT(tw_store_verify(s), 0);
    CHECK(tw_store_recovered_from(s) == NULL);
    CHECK_EQ_INT(tw_store_get(s, "bulk-7", &got), 0);
    CHECK_EQ_INT(tw_store_verify(s), 0); /* once is enough: nothing more to do */
    tw_store_close(s);
    /* Without defer_check there is nothing to verify. */
    CHECK_EQ_INT(tw_store_open(path, NULL, &s), 0);
    CHECK_EQ_INT(tw_store_verify(s), 0);
    tw_store_close(s);
    CHECK_EQ_INT(tw_store_verify(NULL), TW_ERR_INVAL);
    remove_db(path);
}

static void test_check_leaves_no_cache(void)
{
    /* The check reads every page of the file; the board then holds only
     * what it reads itself (P4: 1.9 MB of a 58 MB file's pages were kept). */
    char path[600];
    snprintf(path, sizeof(path), "%s/big.db", dir);
    make_db(path, 6000);
    struct stat st;
    CHECK_EQ_INT(stat(path, &st), 0);
    CHECK(st.st_size > 1024 * 1024);
    tw_store_options o = {.defer_check = true};
    tw_store *s = NULL;
    CHECK_EQ_INT(tw_store_open(path, &o, &s), 0);
    if (!s)
        return;
    size_t before = tw_store_cache_bytes(s);
    CHECK_EQ_INT(tw_store_verify(s), 0);
    size_t after = tw_store_cache_bytes(s);
    printf("page cache: %zu KB at open, %zu KB after the check (file %lld KB)\n", before / 1024,
           after / 1024, (long long)st.st_size / 1024);
    CHECK(after < 256 * 1024);
    tw_item got;
    CHECK_EQ_INT(tw_store_get(s, "bulk-5999", &got), 0);
    CHECK(tw_store_cache_bytes(s) > 0);
    tw_store_close(s);
    CHECK_EQ_INT(tw_store_cache_bytes(NULL), 0);
    remove_db(path);
}

static void test_walk_leaves_no_cache(void)
{
    /* The digest's walk over the recent history reads its pages once: it
     * runs in a small page cache and leaves none of them (P4: the whole
     * 2 MB cache was held through the start's composed frames). The cache
     * size the walk set is restored. */
    char path[600];
    snprintf(path, sizeof(path), "%s/walk.db", dir);
    make_db(path, 6000);
    tw_store *s = NULL;
    CHECK_EQ_INT(tw_store_open(path, NULL, &s), 0);
    if (!s)
        return;
    tw_digest *d = tw_digest_create();
    CHECK_EQ_INT(tw_digest_reload(d, s, 2000), 0);
    size_t after = tw_store_cache_bytes(s);
    printf("page cache after the history walk: %zu KB\n", after / 1024);
    CHECK(after < 64 * 1024);
    int was = tw_store_cache_size(s, -256);
    CHECK(was < 0); /* SQLite's default, in KiB */
    CHECK_EQ_INT(tw_store_cache_size(s, was), -256);
    CHECK_EQ_INT(tw_store_cache_size(NULL, -256), 0);
    tw_store_release_cache(NULL);
    tw_digest_destroy(d);
    tw_store_close(s);
    remove_db(path);
}

static void test_damaged_file(void)
{
    char path[600];
    snprintf(path, sizeof(path), "%s/damaged.db", dir);
    make_db(path, 300);
    FILE *f = fopen(path, "r+b");
    CHECK(f != NULL);
    if (f) {
        /* Scribble over pages 3 and 5 (4096-byte pages), leaving the header. */
        char junk[4096];
        memset(junk, 0xA5, sizeof(junk));
        fseek(f, 2 * 4096, SEEK_SET);
        fwrite(junk, 1, sizeof(junk), f);
        fseek(f, 4 * 4096, SEEK_SET);
        fwrite(junk, 1, sizeof(junk), f);
        fclose(f);
    }
    tw_store_options o = {.defer_check = true};
    tw_store *s = NULL;
    /* The open itself does not read the damaged pages. */
    CHECK_EQ_INT(tw_store_open(path, &o, &s), 0);
    CHECK(s != NULL);
    if (!s)
        return;
    CHECK(tw_store_recovered_from(s) == NULL);
    CHECK_EQ_INT(tw_store_verify(s), 0);
    const char *moved = tw_store_recovered_from(s);
    CHECK(moved != NULL);
    char kept[700] = "";
    if (moved) {
        snprintf(kept, sizeof(kept), "%s", moved);
        CHECK(strncmp(moved, path, strlen(path)) == 0 && strstr(moved, ".corrupt-") != NULL);
        CHECK(access(moved, F_OK) == 0);
    }
    /* A fresh, working store on the same path. */
    tw_item got, it = make_item("fresh");
    CHECK_EQ_INT(tw_store_get(s, "bulk-1", &got), TW_ERR_NOTFOUND);
    CHECK_EQ_INT(tw_store_insert(s, &it), 0);
    CHECK_EQ_INT(it.seq, 1);
    tw_store_close(s);
    CHECK_EQ_INT(tw_store_open(path, NULL, &s), 0);
    CHECK_EQ_INT(tw_store_get(s, "fresh", &got), 0);
    tw_store_close(s);
    if (kept[0])
        remove_db(kept);
    remove_db(path);
}

int main(void)
{
    const char *base = getenv("TW_TEST_TMP");
    if (!base || !*base)
        base = "/tmp";
    snprintf(dir, sizeof(dir), "%s/test_store_check.%ld", base, (long)getpid());
    if (mkdir(dir, 0700) != 0) {
        perror(dir);
        return 2;
    }
    test_good_file();
    test_check_leaves_no_cache();
    test_walk_leaves_no_cache();
    test_damaged_file();
    rmdir(dir);
    return check_done();
}
