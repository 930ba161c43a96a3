/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "host.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* Resolving walks every component with readlink(); the same host paths
 * (engine sockets, system directories) are resolved for every bind of
 * every spec, so results are kept for the life of the process, which is
 * one container start or one lint run. */
#define RESOLVE_CACHE 256

static struct {
        char *in, *out;
} resolve_cache[RESOLVE_CACHE];
static size_t resolve_cache_n;

static char *path_resolve_uncached(const char *path);

char *path_resolve(const char *path)
{
        for (size_t i = 0; i < resolve_cache_n; i++)
                if (STREQ(resolve_cache[i].in, path))
                        return strdup(resolve_cache[i].out);
        char *out = path_resolve_uncached(path);
        if (out && resolve_cache_n < RESOLVE_CACHE) {
                char *in = strdup(path), *copy = strdup(out);
                if (in && copy) {
                        resolve_cache[resolve_cache_n].in = in;
                        resolve_cache[resolve_cache_n++].out = copy;
                } else {
                        free(in);
                        free(copy);
                }
        }
        return out;
}

#define STAT_CACHE 512

static struct {
        char *path;
        int r; /* 0 or -errno */
        struct stat st;
} stat_cache[STAT_CACHE];
static size_t stat_cache_n;

int host_stat(const char *path, struct stat *ret)
{
        for (size_t i = 0; i < stat_cache_n; i++)
                if (STREQ(stat_cache[i].path, path)) {
                        *ret = stat_cache[i].st;
                        return stat_cache[i].r;
                }
        int r = stat(path, ret) == 0 ? 0 : -errno;
        if (stat_cache_n < STAT_CACHE && (stat_cache[stat_cache_n].path = strdup(path))) {
                stat_cache[stat_cache_n].r = r;
                stat_cache[stat_cache_n++].st = *ret;
        }
        return r;
}

static char *path_resolve_uncached(const char *path)
{
        _cleanup_free_ char *norm = path_normalize(path);
        char *out = NULL;

        if (!norm)
                return NULL;
        /* The kernel resolves a symlink before a following "..", so the
         * whole path goes to realpath() first, as given. */
        if ((out = realpath(path, NULL)))
                return out;
        /* realpath() needs the whole path to exist; a source that does not
         * exist yet is resolved through its deepest existing ancestor (found
         * with cached stat() calls, then one realpath()). A remainder cannot
         * hold ".." or symlinks that exist. */
        size_t cut = strlen(norm);
        struct stat st;
        for (bool first = true;; first = false) {
                if (!first) {
                        while (cut > 0 && norm[cut - 1] != '/')
                                cut--;
                        if (cut > 0)
                                cut--;
                }
                char saved = norm[cut];
                norm[cut] = '\0';
                bool exists = cut == 0 || host_stat(norm, &st) == 0;
                _cleanup_free_ char *real = exists ? realpath(cut ? norm : "/", NULL) : NULL;
                norm[cut] = saved;
                if (real) {
                        const char *rest = norm + cut;
                        if (asprintf(&out, "%s%s", STREQ(real, "/") && *rest ? "" : real, rest) < 0)
                                return NULL;
                        return out;
                }
                if (cut == 0)
                        return strdup(norm);
        }
}

bool path_is_under(const char *path, const char *dir)
{
        size_t n = strlen(dir);
        if (STREQ(dir, "/"))
                return true;
        return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}
