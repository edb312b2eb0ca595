/* SPDX-License-Identifier: MIT */
/*
 * Online backup and restore of the board's SQLite database (backup.h):
 * sqlite3_backup_step(-1) on private connections, an integrity check of
 * what was written, atomic rename into place and rotation of the nightly
 * copies.
 */
#define _POSIX_C_SOURCE 200809L
#define LOG_MODULE      "backup"
#include "backup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"
#include "log.h"
#include "store.h"
#include "util.h"

#define BUSY_TIMEOUT_MS 5000
#define RETRY_MS        50
#define BACKUP_PREFIX   "teamwall-"
#define BACKUP_SUFFIX   ".db"

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static int open_db(const char *path, int flags, sqlite3 **out, char *err, size_t err_size)
{
    *out = NULL;
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(path, &db, flags, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, err_size, _("cannot open %s: %s"), path,
                 db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        sqlite3_close(db);
        return TW_ERR_IO;
    }
    sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS);
    *out = db;
    return 0;
}

/* All pages of src's main database into dst's, in one step (one read
 * transaction on src: a snapshot even while the board commits), retried
 * while a lock is in the way. */
static int copy_pages(sqlite3 *dst, sqlite3 *src, int timeout_ms, char *err, size_t err_size)
{
    int64_t end = tw_mono_ms() + timeout_ms;
    for (;;) {
        sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
        if (!b) {
            snprintf(err, err_size, _("cannot start the backup: %s"), sqlite3_errmsg(dst));
            return TW_ERR_DB;
        }
        int rc = sqlite3_backup_step(b, -1);
        int fin = sqlite3_backup_finish(b);
        if (rc == SQLITE_DONE && fin == SQLITE_OK)
            return 0;
        if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && tw_mono_ms() < end) {
            sleep_ms(RETRY_MS);
            continue;
        }
        snprintf(err, err_size, _("the backup failed: %s"),
                 rc == SQLITE_BUSY || rc == SQLITE_LOCKED ? _("the database stayed locked")
                                                          : sqlite3_errmsg(dst));
        return rc == SQLITE_BUSY || rc == SQLITE_LOCKED ? TW_ERR_BUSY : TW_ERR_DB;
    }
}

/* "ok" from PRAGMA integrity_check, else the first complaint in err. */
static int integrity(sqlite3 *db, const char *path, char *err, size_t err_size)
{
    sqlite3_stmt *st = NULL;
    int ret = TW_ERR_DB;
    if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK) {
        snprintf(err, err_size, _("%s is not an SQLite database: %s"), path, sqlite3_errmsg(db));
        goto out;
    }
    int rc = sqlite3_step(st);
    const char *res = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
    if (!res) {
        snprintf(err, err_size, _("%s cannot be checked: %s"), path, sqlite3_errmsg(db));
        goto out;
    }
    if (strcmp(res, "ok") != 0) {
        snprintf(err, err_size, _("%s fails the integrity check: %.120s"), path, res);
        goto out;
    }
    ret = 0;
out:
    sqlite3_finalize(st);
    return ret;
}

static int fsync_path(const char *path, int flags)
{
    int fd = open(path, flags | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

static void dir_of(const char *path, char *out, size_t size)
{
    tw_strlcpy(out, path, size);
    char *slash = strrchr(out, '/');
    if (!slash)
        tw_strlcpy(out, ".", size);
    else if (slash == out)
        out[1] = '\0';
    else
        *slash = '\0';
}

static void remove_db_files(const char *path)
{
    char side[4200];
    unlink(path);
    snprintf(side, sizeof(side), "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof(side), "%s-shm", path);
    unlink(side);
    snprintf(side, sizeof(side), "%s-journal", path);
    unlink(side);
}

static int is_backup_name(const char *name)
{
    size_t n = strlen(name), p = strlen(BACKUP_PREFIX), s = strlen(BACKUP_SUFFIX);
    return n > p + s && strncmp(name, BACKUP_PREFIX, p) == 0 &&
           strcmp(name + n - s, BACKUP_SUFFIX) == 0;
}

struct copy {
    char *name;
    struct timespec mtime;
};

/* Oldest first: by modification time, then name. */
static int cmp_copies(const void *pa, const void *pb)
{
    const struct copy *a = pa, *b = pb;
    if (a->mtime.tv_sec != b->mtime.tv_sec)
        return a->mtime.tv_sec < b->mtime.tv_sec ? -1 : 1;
    if (a->mtime.tv_nsec != b->mtime.tv_nsec)
        return a->mtime.tv_nsec < b->mtime.tv_nsec ? -1 : 1;
    return strcmp(a->name, b->name);
}

/* Delete all but the keep newest teamwall-*.db in dir. */
static void rotate(const char *dir, int keep)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct copy *copies = NULL;
    size_t n = 0, cap = 0;
    char path[4096 + 2 + 256]; /* dir, '/', d_name */
    for (struct dirent *e; (e = readdir(d));) {
        struct stat st;
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        if (!is_backup_name(e->d_name) || stat(path, &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            copies = tw_xrealloc(copies, cap * sizeof(*copies));
        }
        copies[n++] = (struct copy){tw_xstrdup(e->d_name), st.st_mtim};
    }
    closedir(d);
    if (n)
        qsort(copies, n, sizeof(*copies), cmp_copies);
    for (size_t i = 0; i < n; i++) {
        if (i + (size_t)keep < n) {
            snprintf(path, sizeof(path), "%s/%s", dir, copies[i].name);
            if (unlink(path) == 0)
                log_info("deleted the old backup %s", path);
        }
        free(copies[i].name);
    }
    free(copies);
}

int tw_backup_copy(const char *db_path, const char *dest, int keep, char *written,
                   size_t written_size, char *err, size_t err_size)
{
    char target[4096], tmp[4200], dir[4096];
    sqlite3 *src = NULL, *dst = NULL;
    int ret;
    size_t dl = strlen(dest);
    bool folder = dl && dest[dl - 1] == '/';
    if (folder) {
        char stamp[32];
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
        snprintf(target, sizeof(target), "%s" BACKUP_PREFIX "%s" BACKUP_SUFFIX, dest, stamp);
        /* Two in one second: teamwall-DATE-TIME-2.db and so on. */
        for (int i = 2; access(target, F_OK) == 0 && i < 100; i++)
            snprintf(target, sizeof(target), "%s" BACKUP_PREFIX "%s-%d" BACKUP_SUFFIX, dest, stamp,
                     i);
    } else {
        tw_strlcpy(target, dest, sizeof(target));
    }
    snprintf(tmp, sizeof(tmp), "%s.partial", target);
    remove_db_files(tmp);
    if (access(db_path, R_OK) != 0) {
        snprintf(err, err_size, _("cannot read the database %s: %s"), db_path, strerror(errno));
        return TW_ERR_IO;
    }
    ret = open_db(db_path, SQLITE_OPEN_READONLY, &src, err, err_size);
    if (ret)
        goto out;
    ret = open_db(tmp, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &dst, err, err_size);
    if (ret)
        goto out;
    ret = copy_pages(dst, src, BUSY_TIMEOUT_MS, err, err_size);
    if (ret)
        goto out;
    /* One self-contained file: no -wal beside the copy. */
    if (sqlite3_exec(dst, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(err, err_size, _("cannot finish %s: %s"), tmp, sqlite3_errmsg(dst));
        ret = TW_ERR_DB;
        goto out;
    }
    ret = integrity(dst, tmp, err, err_size);
    if (ret)
        goto out;
    sqlite3_close(dst);
    dst = NULL;
    if (fsync_path(tmp, O_RDONLY) != 0 || rename(tmp, target) != 0) {
        snprintf(err, err_size, _("cannot write %s: %s"), target, strerror(errno));
        ret = TW_ERR_IO;
        goto out;
    }
    dir_of(target, dir, sizeof(dir));
    fsync_path(dir, O_RDONLY | O_DIRECTORY);
    if (written)
        tw_strlcpy(written, target, written_size);
    if (folder && keep > 0)
        rotate(dir, keep);
out:
    sqlite3_close(dst);
    sqlite3_close(src);
    if (ret)
        remove_db_files(tmp);
    return ret;
}

static int has_table(sqlite3 *db, const char *name)
{
    sqlite3_stmt *st = NULL;
    int found = 0;
    if (sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?", -1,
                           &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        found = sqlite3_step(st) == SQLITE_ROW;
    }
    sqlite3_finalize(st);
    return found;
}

int tw_backup_check(const char *path, char *err, size_t err_size)
{
    sqlite3 *db = NULL;
    if (access(path, R_OK) != 0) {
        snprintf(err, err_size, _("cannot read %s: %s"), path, strerror(errno));
        return TW_ERR_IO;
    }
    int ret = open_db(path, SQLITE_OPEN_READONLY, &db, err, err_size);
    if (ret)
        goto out;
    ret = integrity(db, path, err, err_size);
    if (ret)
        goto out;
    if (!has_table(db, "items") || !has_table(db, "history")) {
        snprintf(err, err_size, _("%s is not a teamwall database (no items or history)"), path);
        ret = TW_ERR_INVAL;
    }
out:
    sqlite3_close(db);
    return ret;
}

int tw_backup_restore(const char *src_path, const char *db_path, int timeout_ms, char *err,
                      size_t err_size)
{
    char tmp[4200];
    sqlite3 *src = NULL, *dst = NULL;
    tw_store *store = NULL;
    int ret = tw_backup_check(src_path, err, err_size);
    if (ret)
        return ret;
    /* A private copy beside the database, migrated by the store itself. */
    snprintf(tmp, sizeof(tmp), "%s.restoring", db_path);
    remove_db_files(tmp);
    ret = open_db(src_path, SQLITE_OPEN_READONLY, &src, err, err_size);
    if (!ret)
        ret = open_db(tmp, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &dst, err, err_size);
    if (!ret)
        ret = copy_pages(dst, src, BUSY_TIMEOUT_MS, err, err_size);
    sqlite3_close(dst);
    sqlite3_close(src);
    dst = src = NULL;
    if (ret)
        goto out;
    ret = tw_store_open(tmp, NULL, &store);
    if (ret) {
        snprintf(err, err_size, _("%s cannot be brought to this version's schema: %s"), src_path,
                 tw_strerror(ret));
        goto out;
    }
    tw_store_close(store);
    ret = open_db(tmp, SQLITE_OPEN_READONLY, &src, err, err_size);
    if (!ret)
        ret = integrity(src, tmp, err, err_size);
    if (ret)
        goto out;
    /* Into the live file, in place: its owner, mode and inode stay. */
    ret = open_db(db_path, SQLITE_OPEN_READWRITE, &dst, err, err_size);
    if (!ret)
        ret = copy_pages(dst, src, timeout_ms, err, err_size);
    if (!ret)
        sqlite3_exec(dst, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
out:
    sqlite3_close(dst);
    sqlite3_close(src);
    remove_db_files(tmp);
    return ret;
}
