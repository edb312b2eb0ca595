/* SPDX-License-Identifier: MIT */
/*
 * Watching the database file (see dbwatch.h): stat() of the path and its
 * -wal and -shm against the device and inode seen at open, the file's write
 * bits and statvfs()'s read-only flag. A -wal or -shm that did not exist at
 * open is remembered the first time it is seen (SQLite creates them on first
 * use). Rewriting goes through a temporary file next to the database and a
 * rename(), so the path never names a half-written file.
 */
#define _GNU_SOURCE
#define LOG_MODULE "dbwatch"
#include "dbwatch.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "log.h"
#include "util.h"

struct ident {
    bool known;
    dev_t dev;
    ino_t ino;
};

enum { F_MAIN, F_WAL, F_SHM, F_COUNT };
static const char *const suffix[F_COUNT] = {"", "-wal", "-shm"};

struct tw_dbwatch {
    char *path;
    char *marker;
    struct ident id[F_COUNT];
};

static char *with_suffix(const char *path, const char *sfx)
{
    size_t n = strlen(path) + strlen(sfx) + 1;
    char *s = tw_xmalloc(n);
    snprintf(s, n, "%s%s", path, sfx);
    return s;
}

static bool exists(const char *path)
{
    return access(path, F_OK) == 0;
}

/*
 * The marker's time is that of the board's last write into the file: its
 * start, then every checkpoint (tw_dbwatch_checkpointed). A file written
 * after it was written by another program: sqlite3 or a backup opening the
 * crashed board's file replays the log into it and removes the log as it
 * closes, which loses nothing.
 */
static bool written_since(const struct stat *file, const struct stat *marker)
{
    return file->st_mtim.tv_sec > marker->st_mtim.tv_sec ||
           (file->st_mtim.tv_sec == marker->st_mtim.tv_sec &&
            file->st_mtim.tv_nsec > marker->st_mtim.tv_nsec);
}

bool tw_dbwatch_wal_lost(const char *path)
{
    char *marker = with_suffix(path, ".running");
    char *wal = with_suffix(path, "-wal");
    struct stat m, f;
    bool lost =
        stat(marker, &m) == 0 && stat(path, &f) == 0 && !exists(wal) && !written_since(&f, &m);
    free(marker);
    free(wal);
    return lost;
}

void tw_dbwatch_checkpointed(void *ctx)
{
    tw_dbwatch *w = ctx;
    if (w && utimensat(AT_FDCWD, w->marker, NULL, 0) != 0)
        log_debug("cannot stamp %s: %s", w->marker, strerror(errno));
}

static void remember(tw_dbwatch *w)
{
    for (int i = 0; i < F_COUNT; i++) {
        char *p = with_suffix(w->path, suffix[i]);
        struct stat st;
        w->id[i].known = stat(p, &st) == 0;
        if (w->id[i].known) {
            w->id[i].dev = st.st_dev;
            w->id[i].ino = st.st_ino;
        }
        free(p);
    }
}

tw_dbwatch *tw_dbwatch_create(const char *path)
{
    tw_dbwatch *w = tw_xcalloc(1, sizeof *w);
    w->path = tw_xstrdup(path);
    w->marker = with_suffix(path, ".running");
    remember(w);
    int fd = open(w->marker, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (fd >= 0) {
        char line[32];
        int n = snprintf(line, sizeof line, "%ld\n", (long)getpid());
        if (write(fd, line, (size_t)n) != n)
            log_debug("%s: %s", w->marker, strerror(errno));
        close(fd);
    } else {
        log_debug("cannot write %s: %s", w->marker, strerror(errno));
    }
    return w;
}

void tw_dbwatch_destroy(tw_dbwatch *w, bool clean)
{
    if (!w)
        return;
    if (clean)
        unlink(w->marker);
    free(w->marker);
    free(w->path);
    free(w);
}

void tw_dbwatch_rebase(tw_dbwatch *w)
{
    if (w)
        remember(w);
}

tw_dbfile_state tw_dbwatch_check(tw_dbwatch *w, char *why, size_t size)
{
    tw_dbfile_state state = TW_DBFILE_OK;
    if (!w)
        return state;
    /* The wall has room for a file name, not a path (the log names it). */
    const char *name = strrchr(w->path, '/') ? strrchr(w->path, '/') + 1 : w->path;
    for (int i = 0; i < F_COUNT && state == TW_DBFILE_OK; i++) {
        char *p = with_suffix(w->path, suffix[i]);
        char shown[96];
        snprintf(shown, sizeof shown, "%.80s%s", name, suffix[i]);
        struct stat st;
        bool there = stat(p, &st) == 0;
        if (!w->id[i].known) {
            if (there && i != F_MAIN) { /* created by SQLite since the open */
                w->id[i] = (struct ident){true, st.st_dev, st.st_ino};
            } else if (!there && i == F_MAIN) {
                state = TW_DBFILE_DELETED;
                snprintf(why, size, "the database file %s was deleted", shown);
            }
        } else if (!there) {
            state = TW_DBFILE_DELETED;
            snprintf(why, size, "%s %s was deleted",
                     i == F_MAIN  ? "the database file"
                     : i == F_WAL ? "the database's write-ahead log"
                                  : "the database's shared-memory file",
                     shown);
        } else if (st.st_dev != w->id[i].dev || st.st_ino != w->id[i].ino) {
            /* A new -wal or -shm next to our file: ours was deleted. So was
             * the file when an empty one took its name (sqlite3 opening the
             * path, a touch): rewriting over it loses nothing. */
            state = i == F_MAIN && st.st_size > 0 ? TW_DBFILE_REPLACED : TW_DBFILE_DELETED;
            snprintf(why, size, "%s was %s", shown,
                     state == TW_DBFILE_REPLACED ? "replaced by another file" : "deleted");
        } else if (i == F_MAIN && !(st.st_mode & S_IWUSR)) {
            state = TW_DBFILE_READ_ONLY;
            snprintf(why, size, "the database file %s was made read-only", shown);
        } else if (i == F_MAIN) {
            struct statvfs vfs;
            if (statvfs(p, &vfs) == 0 && (vfs.f_flag & ST_RDONLY)) {
                state = TW_DBFILE_READ_ONLY;
                snprintf(why, size, "the file system of %s is read-only", shown);
            }
        }
        free(p);
    }
    return state;
}

int tw_dbwatch_rewrite(tw_dbwatch *w, tw_store *store)
{
    char *tmp = with_suffix(w->path, ".rewrite");
    int ret = tw_store_copy_to(store, tmp);
    if (ret)
        goto out;
    /* Stale companions of the old file must not be replayed into the new one. */
    for (int i = F_WAL; i < F_COUNT; i++) {
        char *p = with_suffix(w->path, suffix[i]);
        unlink(p);
        free(p);
    }
    if (rename(tmp, w->path) != 0) {
        log_error("cannot move %s to %s: %s", tmp, w->path, strerror(errno));
        unlink(tmp);
        ret = TW_ERR_IO;
        goto out;
    }
    ret = tw_store_reattach(store);
    if (ret == 0)
        tw_dbwatch_rebase(w);
out:
    free(tmp);
    return ret;
}

int tw_dbwatch_adopt(tw_dbwatch *w, tw_store *store, char *aside, size_t size)
{
    snprintf(aside, size, "%s.replaced-%lld", w->path, (long long)tw_now());
    int ret = tw_store_copy_to(store, aside);
    if (ret)
        return ret;
    /* The -wal and -shm at the path are still the old file's: SQLite would
     * replay that log into the new file. Ours go (our copy is aside). */
    for (int i = F_WAL; i < F_COUNT; i++) {
        char *p = with_suffix(w->path, suffix[i]);
        struct stat st;
        if (w->id[i].known && stat(p, &st) == 0 && st.st_dev == w->id[i].dev &&
            st.st_ino == w->id[i].ino)
            unlink(p);
        free(p);
    }
    ret = tw_store_reattach(store);
    if (ret == 0)
        tw_dbwatch_rebase(w);
    return ret;
}
