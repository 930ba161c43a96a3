/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host.h"
#include "hostpath.h"
#include "util.h"

/* What host paths are on this host, kept for the life of the process: the
 * mount table, and for each path the walk's findings, its mount, its other
 * names and the mounts below it. Both are dropped when the mount table
 * changes. */

/* Read when first asked for and kept until it changes: an open mountinfo
 * file polls with POLLPRI once a mount or unmount happened in its
 * namespace. What host_walk() learnt is dropped with it, since mounts
 * change what a path names. */
static struct {
        struct mount_table t;
        int watch;    /* the open mountinfo, -1 when none */
        unsigned gen; /* counts the reads */
} table = {.watch = -1};

static bool table_current(void)
{
        struct pollfd p = {.fd = table.watch, .events = POLLPRI};
        return table.watch >= 0 && poll(&p, 1, 0) == 0;
}

int hostpath_mount_table(const struct mount_table **ret)
{
        rh_error_t err = RH_ERROR_INIT;

        if (!table_current()) {
                bool again = table.watch >= 0;
                mount_table_done(&table.t);
                if (table.watch >= 0)
                        close(table.watch);
                /* watch first: a change while reading shows at the next look */
                table.watch = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC);
                int r = mount_table_read("/proc/self/mountinfo", &table.t, &err);
                rh_error_clear(&err);
                if (r < 0 || table.watch < 0) {
                        if (table.watch >= 0)
                                close(table.watch);
                        table.watch = -1;
                        return r < 0 ? r : -EIO;
                }
                table.gen++;
                if (again)
                        host_facts_forget();
        }
        *ret = &table.t;
        return 0;
}

/* The mount path lies on: by the mount id the kernel gives (exact, even
 * under stacked mounts), else by the longest mount point. */
static const struct mount_entry *mount_of(const struct mount_table *t, const char *path)
{
        struct statx stx;
        const struct mount_entry *m = NULL;

        if (statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_MNT_ID, &stx) == 0 && (stx.stx_mask & STATX_MNT_ID))
                m = mount_table_find_id(t, (int)stx.stx_mnt_id);
        return m ? m : mount_table_find(t, path);
}

/* What a path is on this host, kept for the life of the process (the
 * bind rules ask for the same paths, and the check is run again on a fixed
 * spec) until the mount table changes. */
/* An open-addressing table of pointers, dropped whole when full. */
#define FACTS_SLOTS 2048
#define FACTS_MAX (FACTS_SLOTS / 2)

static struct {
        struct host_facts *v[FACTS_SLOTS];
        size_t n;
        unsigned gen; /* of the table they were found in */
} facts;

static void facts_free(struct host_facts *f)
{
        free(f->path);
        free(f->resolved);
        free(f->up.v);
        free(f->racy_at);
        free(f->untrusted_at);
        free(f->untrusted_why);
        free(f->proc_link);
        for (size_t i = 0; i < f->n_aliases; i++)
                free(f->aliases[i]);
        free(f->aliases);
        for (size_t i = 0; i < f->n_subs; i++) {
                for (size_t n = 0; n < f->subs[i].n_names; n++)
                        free(f->subs[i].names[n]);
                free(f->subs[i].names);
        }
        free(f->subs);
        free(f);
}

static void facts_forget(void)
{
        for (size_t i = 0; i < FACTS_SLOTS; i++)
                if (facts.v[i]) {
                        facts_free(facts.v[i]);
                        facts.v[i] = NULL;
                }
        facts.n = 0;
}

/* The other names of f's object, and with HOST_FACTS_SUBS the mounts an rbind
 * of it carries. */
static int facts_mounts(struct host_facts *f, const char *exist_prefix, unsigned flags, const struct mount_table *t)
{
        if (flags & HOST_FACTS_DEVICE)
                /* the file system on the device, wherever it is mounted */
                return mount_table_names(t, f->st.st_rdev, "/", &f->aliases, &f->n_aliases);
        if (!(f->mnt = mount_of(t, exist_prefix)))
                return 0;
        _cleanup_free_ char *fs = mount_entry_fs_path(f->mnt, f->resolved);
        if (!fs || mount_table_names(t, f->mnt->dev, fs, &f->aliases, &f->n_aliases) < 0)
                return -ENOMEM;
        /* the path itself is not an alias */
        for (size_t i = 0; i < f->n_aliases; i++)
                if (STREQ(f->aliases[i], f->resolved)) {
                        free(f->aliases[i]);
                        f->aliases[i] = f->aliases[--f->n_aliases];
                        break;
                }
        for (size_t i = 0; (flags & HOST_FACTS_SUBS) && i < t->n; i++) {
                const struct mount_entry *e = &t->v[i];
                if (STREQ(e->point, f->resolved) || !path_is_under(e->point, f->resolved))
                        continue;
                struct host_sub *v = realloc(f->subs, (f->n_subs + 1) * sizeof(*v));
                if (!v)
                        return -ENOMEM;
                f->subs = v;
                struct host_sub *sub = &f->subs[f->n_subs++];
                *sub = (struct host_sub){.mnt = e};
                if (!(sub->names = calloc(1, sizeof(char *))) || !(sub->names[0] = strdup(e->point)))
                        return -ENOMEM;
                sub->n_names = 1;
                if (mount_table_names(t, e->dev, e->root, &sub->names, &sub->n_names) < 0)
                        return -ENOMEM;
        }
        return 0;
}

static int facts_find(struct host_facts *f, const char *path, const struct host_fileid *watch, unsigned flags)
{
        struct host_walk w;
        int r;

        if ((r = host_walk(path, watch, &w)) == -ENOMEM)
                return r;
        if (r < 0) {
                f->walk_err = r;
                return (f->resolved = path_normalize(path)) ? 0 : -ENOMEM;
        }
        f->resolved = TAKE_PTR(w.path);
        f->exists = w.exists;
        f->st = w.st;
        f->up = (struct host_idlist){TAKE_PTR(w.chain), w.n_chain};
        f->racy_at = TAKE_PTR(w.racy_at);
        f->untrusted_at = TAKE_PTR(w.untrusted_at);
        f->untrusted_why = TAKE_PTR(w.untrusted_why);
        f->proc_link = TAKE_PTR(w.proc_link);
        f->watched = w.watched;
        struct stat full;
        if (f->exists && (flags & HOST_FACTS_DEVICE) && stat(f->resolved, &full) == 0)
                f->st.st_rdev = full.st_rdev;
        _cleanup_free_ char *prefix = strndup(f->resolved, w.exist_len);
        host_walk_done(&w);
        if (!prefix)
                return -ENOMEM;
        if (!(flags & HOST_FACTS_MOUNTS))
                return 0;
        const struct mount_table *t;
        return (r = hostpath_mount_table(&t)) < 0 ? r : facts_mounts(f, prefix, flags, t);
}

int hostpath_facts_get(const char *path, const struct host_fileid *watch, unsigned flags, const struct host_facts **ret)
{
        struct host_fileid w = watch ? *watch : (struct host_fileid){0};
        const struct mount_table *t = NULL;
        int r;

        /* facts from an older mount table are no more */
        if ((flags & HOST_FACTS_MOUNTS) && (r = hostpath_mount_table(&t)) < 0)
                return r;
        if (t && table.gen != facts.gen) {
                facts_forget();
                facts.gen = table.gen;
        }
        uint64_t h = 1469598103934665603ULL ^ flags ^ ((uint64_t)w.dev << 32) ^ (uint64_t)w.ino;
        for (const char *c = path; *c; c++)
                h = (h ^ (unsigned char)*c) * 1099511628211ULL;
        size_t i = (size_t)(h ^ (h >> 31)) % FACTS_SLOTS;
        for (struct host_facts *f; (f = facts.v[i]); i = (i + 1) % FACTS_SLOTS)
                if (f->hash == h && f->flags == flags && f->watch.dev == w.dev && f->watch.ino == w.ino &&
                    STREQ(f->path, path)) {
                        *ret = f;
                        return 0;
                }
        if (facts.n == FACTS_MAX) {
                facts_forget();
                i = (size_t)(h ^ (h >> 31)) % FACTS_SLOTS;
        }
        struct host_facts *f = calloc(1, sizeof(*f));
        if (!f || !(f->path = strdup(path))) {
                free(f);
                return -ENOMEM;
        }
        f->flags = flags;
        f->watch = w;
        f->hash = h;
        if ((r = facts_find(f, path, watch, flags)) < 0) {
                facts_free(f);
                return r;
        }
        facts.n++;
        *ret = facts.v[i] = f;
        return 0;
}
