/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "writes.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include "host.h"
#include "util.h"

/* Deeper than any image goes; each level holds one directory open. */
#define WRITES_MAX_DEPTH 48

void writes_done(struct writes *w)
{
        for (size_t i = 0; i < w->n; i++) {
                free(w->groups[i].dir);
                for (size_t k = 0; k < w->groups[i].n_examples; k++)
                        free(w->groups[i].examples[k]);
        }
        free(w->groups);
        *w = (struct writes){0};
}

struct walk {
        const struct writes_scan *o;
        struct writes *w;
        uint64_t start_ms;
        bool oom;
};

static uint64_t now_ms(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static bool bounded(struct walk *k)
{
        if (k->w->truncated || k->oom)
                return true;
        if (k->o->max_entries && k->w->entries >= k->o->max_entries)
                k->w->truncated = true;
        /* the clock only every 64 entries: it is the cheap bound */
        else if (k->o->deadline_ms && (k->w->entries & 63) == 0 && now_ms() - k->start_ms >= k->o->deadline_ms)
                k->w->truncated = true;
        return k->w->truncated;
}

static bool under_any(const char *path, const char *const *dirs, size_t n)
{
        for (size_t i = 0; i < n; i++)
                if (path_is_under(path, dirs[i]))
                        return true;
        return false;
}

/* path is a mount destination, or a directory above one: runc made it as
 * the mount point, the container did not write it. */
static bool is_mount_point_path(const struct writes_scan *o, const char *path, bool dir)
{
        for (size_t i = 0; i < o->n_mounts; i++)
                if (STREQ(path, o->mounts[i]) || (dir && path_is_under(o->mounts[i], path)))
                        return true;
        return false;
}

static bool in_image(const struct writes_scan *o, const char *dir)
{
        struct stat st;
        if (STREQ(dir, "/"))
                return true;
        for (size_t i = 0; i < o->n_lower; i++) {
                _cleanup_free_ char *p = NULL;
                if (asprintf(&p, "%s%s", o->lower[i], dir) >= 0 && lstat(p, &st) == 0)
                        return S_ISDIR(st.st_mode);
        }
        return false;
}

static char *parent_of(const char *path)
{
        const char *slash = strrchr(path, '/');
        return slash == path ? strdup("/") : strndup(path, (size_t)(slash - path));
}

static struct write_group *group_for(struct walk *k, const char *path)
{
        struct writes *w = k->w;
        _cleanup_free_ char *dir = parent_of(path);

        /* the nearest directory the image has */
        while (dir && !in_image(k->o, dir)) {
                char *up = parent_of(dir);
                free(dir);
                dir = up;
        }
        if (!dir) {
                k->oom = true;
                return NULL;
        }
        for (size_t i = 0; i < w->n; i++)
                if (STREQ(w->groups[i].dir, dir))
                        return &w->groups[i];
        if (k->o->max_groups && w->n >= k->o->max_groups) {
                w->truncated = true;
                return NULL;
        }
        if (w->n == w->cap) {
                size_t cap = w->cap ? w->cap * 2 : 8;
                struct write_group *g = realloc(w->groups, cap * sizeof(*g));
                if (!g) {
                        k->oom = true;
                        return NULL;
                }
                w->groups = g;
                w->cap = cap;
        }
        w->groups[w->n] = (struct write_group){.dir = TAKE_PTR(dir)};
        return &w->groups[w->n++];
}

static void record(struct walk *k, const char *path, bool removed)
{
        struct write_group *g = group_for(k, path);
        if (!g)
                return;
        g->count++;
        g->removed += removed;
        if (g->n_examples < WRITES_EXAMPLES && !(g->examples[g->n_examples++] = strdup(path)))
                k->oom = true;
}

/* overlayfs marks a directory that replaced a removed one (its lower
 * contents hidden) with trusted.overlay.opaque = "y". */
static bool is_opaque(int dfd, const char *name)
{
        char v[4];
        _cleanup_free_ char *p = NULL;
        if (asprintf(&p, "/proc/self/fd/%d/%s", dfd, name) < 0)
                return false;
        ssize_t n = lgetxattr(p, "trusted.overlay.opaque", v, sizeof(v));
        return n == 1 && v[0] == 'y';
}

static bool changed_since(const struct writes_scan *o, const struct stat *st)
{
        return st->st_ctim.tv_sec > o->since.tv_sec ||
               (st->st_ctim.tv_sec == o->since.tv_sec && st->st_ctim.tv_nsec >= o->since.tv_nsec);
}

static void walk_dir(struct walk *k, int dfd, const char *rel, unsigned depth)
{
        DIR *d = fdopendir(dfd);
        struct dirent *de;

        if (!d) {
                close(dfd);
                return;
        }
        while (!bounded(k) && (de = readdir(d))) {
                struct stat st;
                _cleanup_free_ char *path = NULL;

                if (STREQ(de->d_name, ".") || STREQ(de->d_name, ".."))
                        continue;
                k->w->entries++;
                if (asprintf(&path, "%s/%s", STREQ(rel, "/") ? "" : rel, de->d_name) < 0) {
                        k->oom = true;
                        break;
                }
                if (under_any(path, k->o->writable, k->o->n_writable))
                        continue;
                if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                        continue;
                bool recent = changed_since(k->o, &st);
                if (S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0)) {
                        /* a whiteout: the container removed what the image had */
                        if (recent && !is_mount_point_path(k->o, path, false))
                                record(k, path, true);
                        continue;
                }
                if (!S_ISDIR(st.st_mode)) {
                        if (recent && !is_mount_point_path(k->o, path, false))
                                record(k, path, false);
                        continue;
                }
                bool made_for_mount = is_mount_point_path(k->o, path, true);
                /* A directory the image has is only the way to what was
                 * written below it (overlayfs copies parents up); a new or
                 * opaque one is a write of its own, whole. */
                if (!made_for_mount && (is_opaque(dirfd(d), de->d_name) || !in_image(k->o, path))) {
                        /* an older new directory is walked: what is
                         * recent in it counts */
                        if (recent) {
                                record(k, path, false);
                                continue;
                        }
                }
                if (depth >= WRITES_MAX_DEPTH) {
                        k->w->truncated = true;
                        break;
                }
                int sub = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (sub >= 0)
                        walk_dir(k, sub, path, depth + 1);
        }
        closedir(d);
}

int writes_scan(const struct writes_scan *o, struct writes *ret, rh_error_t *err)
{
        struct walk k = {.o = o, .w = ret, .start_ms = now_ms()};
        int fd = open(o->upper, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

        *ret = (struct writes){0};
        if (fd < 0)
                return rh_error_set(err, errno, "the upper directory %s: %m", o->upper);
        walk_dir(&k, fd, "/", 0);
        if (k.oom) {
                writes_done(ret);
                return rh_error_set(err, ENOMEM, "out of memory");
        }
        return 0;
}
