/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "host.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "util.h"

static const struct {
        const char *oci, *proc;
} ns_names[] = {
        {"pid", "pid"},   {"network", "net"}, {"mount", "mnt"},   {"ipc", "ipc"},
        {"uts", "uts"},   {"user", "user"},   {"cgroup", "cgroup"}, {"time", "time"},
};

const char *host_ns_proc_name(const char *oci_type)
{
        for (size_t i = 0; i < ARRAY_SIZE(ns_names); i++)
                if (STREQ(ns_names[i].oci, oci_type))
                        return ns_names[i].proc;
        return NULL;
}

bool host_ns_is_host(const char *proc_name, const struct stat *st)
{
        static const char *const who[] = {"1", "self"};
        char p[64];
        struct stat h;

        for (size_t i = 0; i < ARRAY_SIZE(who); i++) {
                snprintf(p, sizeof(p), "/proc/%s/ns/%s", who[i], proc_name);
                if (stat(p, &h) == 0 && h.st_dev == st->st_dev && h.st_ino == st->st_ino)
                        return true;
        }
        return false;
}

char *path_normalize(const char *path)
{
        size_t len = strlen(path);
        char *out = malloc(len + 2);
        size_t o = 0;

        if (!out)
                return NULL;
        for (const char *p = path; *p;) {
                while (*p == '/')
                        p++;
                const char *e = strchrnul(p, '/');
                size_t n = (size_t) (e - p);
                if (n == 0 || (n == 1 && p[0] == '.')) {
                        /* nothing */
                } else if (n == 2 && p[0] == '.' && p[1] == '.') {
                        while (o > 0 && out[o - 1] != '/')
                                o--;
                        if (o > 0)
                                o--;
                } else {
                        out[o++] = '/';
                        memcpy(out + o, p, n);
                        o += n;
                }
                p = e;
        }
        if (o == 0)
                out[o++] = '/';
        out[o] = '\0';
        return out;
}

/* Host facts are looked up again and again within one process (one
 * container start or one lint run): the same system directories for every
 * protected path and every bind. Each readlink() and stat() result is kept,
 * keyed by path, in a small open-addressing table. A full table just stops
 * remembering. */
#define FACT_SLOTS 1024

struct fact {
        char *path;
        int r;          /* 0 or -errno */
        char *link;     /* readlink: the target, NULL when not a symlink */
        struct stat st; /* stat */
};

/* Slots hold pointers: a table of entries would be 170 KiB of BSS whose
 * pages fault in one by one as hashes scatter over them. */
struct fact_table {
        struct fact *v[FACT_SLOTS];
        size_t n;
};

static struct fact_table link_facts, stat_facts;

static size_t fact_hash(const char *s)
{
        uint64_t h = 1469598103934665603ULL;
        for (; *s; s++)
                h = (h ^ (unsigned char)*s) * 1099511628211ULL;
        return (size_t)(h ^ (h >> 29));
}

/* The slot of path: holding its entry, or empty where it would go (NULL
 * when the table is full). */
static struct fact **fact_slot(struct fact_table *t, const char *path)
{
        for (size_t i = fact_hash(path) % FACT_SLOTS, k = 0; k < FACT_SLOTS; k++, i = (i + 1) % FACT_SLOTS)
                if (!t->v[i] || STREQ(t->v[i]->path, path))
                        return &t->v[i];
        return NULL;
}

static struct fact *fact_add(struct fact_table *t, struct fact **slot, const char *path)
{
        struct fact *f;

        if (!slot || t->n >= FACT_SLOTS * 3 / 4 || !(f = calloc(1, sizeof(*f))))
                return NULL;
        if (!(f->path = strdup(path))) {
                free(f);
                return NULL;
        }
        t->n++;
        return *slot = f;
}

int host_stat(const char *path, struct stat *ret)
{
        struct fact **slot = fact_slot(&stat_facts, path), *f;
        if (slot && *slot) {
                *ret = (*slot)->st;
                return (*slot)->r;
        }
        int r = stat(path, ret) == 0 ? 0 : -errno;
        if ((f = fact_add(&stat_facts, slot, path))) {
                f->r = r;
                f->st = *ret;
        }
        return r;
}

/* readlink(), remembered: 1 and *ret_target (borrowed) for a symlink, 0
 * for anything else that exists, -errno when the path cannot be reached. */
static int host_readlink(const char *path, const char **ret_target)
{
        struct fact **slot = fact_slot(&link_facts, path), *f = slot ? *slot : NULL;
        char buf[PATH_MAX];

        if (!f) {
                ssize_t n = readlink(path, buf, sizeof(buf) - 1);
                int r = n >= 0 ? 1 : errno == EINVAL ? 0 : -errno;
                char *link = n >= 0 ? strndup(buf, (size_t)n) : NULL;
                if (n >= 0 && !link)
                        return -ENOMEM;
                if (!(f = fact_add(&link_facts, slot, path))) {
                        /* not remembered: answer from this call */
                        static char *last;
                        free(last);
                        last = link;
                        *ret_target = last;
                        return r;
                }
                f->r = r;
                f->link = link;
        }
        *ret_target = f->link;
        return f->r;
}

/* The kernel's walk of path, the way realpath() does it, through the
 * remembered readlink() results: the canonical path when every component
 * exists. From the first component that does not exist (or is not a
 * directory where one is needed) the rest is taken as written, with "."
 * and ".." applied by name: nothing there can be a symlink yet. Other
 * failures (-EACCES, -ELOOP, ...) are returned. */
static int resolve_walk(const char *path, char **ret)
{
        bool missing = false;
        _cleanup_free_ char *todo = strdup(path);
        _cleanup_free_ char *out = malloc(PATH_MAX);
        size_t o = 0;
        unsigned links = 0;

        if (!todo || !out)
                return -ENOMEM;
        if (*todo != '/') {
                if (!getcwd(out, PATH_MAX))
                        return -errno;
                o = strlen(out);
                if (o == 1)
                        o = 0;
        }
        char *p = todo;
        while (*p) {
                while (*p == '/')
                        p++;
                if (!*p)
                        break;
                size_t n = strcspn(p, "/");
                if (n == 1 && p[0] == '.') {
                        p += n;
                        continue;
                }
                if (n == 2 && p[0] == '.' && p[1] == '.') {
                        while (o > 0 && out[o - 1] != '/')
                                o--;
                        if (o > 0)
                                o--;
                        p += n;
                        continue;
                }
                if (o + 1 + n >= PATH_MAX)
                        return -ENAMETOOLONG;
                out[o] = '/';
                memcpy(out + o + 1, p, n);
                size_t prev = o;
                o += 1 + n;
                out[o] = '\0';
                p += n;

                if (missing)
                        continue;
                const char *target;
                int r = host_readlink(out, &target);
                if (r == -ENOENT || r == -ENOTDIR) {
                        missing = true;
                        continue;
                }
                if (r < 0)
                        return r;
                if (r == 0)
                        continue;
                if (++links > 40)
                        return -ELOOP;
                /* the link's target, then what was left of the path */
                char *next = NULL;
                if (asprintf(&next, "%s/%s", target, p) < 0)
                        return -ENOMEM;
                free(todo);
                todo = next;
                p = todo;
                o = *target == '/' ? 0 : prev;
        }
        if (o == 0)
                out[o++] = '/';
        out[o] = '\0';
        /* the result, not the PATH_MAX work buffer: resolved paths are
         * kept, and 4 KiB each would be pages faulted in for nothing */
        if (!(*ret = strndup(out, o)))
                return -ENOMEM;
        return 0;
}

static struct fact_table resolve_facts;

char *path_resolve(const char *path)
{
        struct fact **slot = fact_slot(&resolve_facts, path), *f;
        _cleanup_free_ char *norm = NULL;
        char *out = NULL;

        if (slot && *slot)
                return strdup((*slot)->link);
        if (resolve_walk(path, &out) < 0) {
                /* cannot be walked (no permission, a loop): by name */
                if (!(norm = path_normalize(path)))
                        return NULL;
                out = TAKE_PTR(norm);
        }
        char *copy = out ? strdup(out) : NULL;
        if (copy && (f = fact_add(&resolve_facts, slot, path)))
                f->link = copy;
        else
                free(copy);
        return out;
}

bool path_is_under(const char *path, const char *dir)
{
        size_t n = strlen(dir);
        if (STREQ(dir, "/"))
                return true;
        return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}
