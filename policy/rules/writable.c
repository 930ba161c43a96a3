/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "writable.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host.h"
#include "inroot.h"
#include "util.h"

/* What runc copies into a tmpfs at every start, bounded: a directory
 * beyond this belongs on a volume. */
#define COPY_MAX_ENTRIES 10000
#define COPY_MAX_BYTES (256ull << 20)
#define COPY_MAX_DEPTH 32
#define PAGE 4096ull

void writable_plan_done(struct writable_plan *p)
{
        for (size_t i = 0; i < p->n; i++)
                free(p->dirs[i].path);
        free(p->dirs);
        free(p->problem);
        *p = (struct writable_plan){0};
}

static void problem(struct writable_plan *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void problem(struct writable_plan *p, const char *fmt, ...)
{
        va_list ap;
        if (p->problem)
                return; /* the first one says enough */
        va_start(ap, fmt);
        if (vasprintf(&p->problem, fmt, ap) < 0)
                p->problem = NULL;
        va_end(ap);
}

/* --- inside the root ------------------------------------------------------ */

struct root {
        int fd;
        char *path; /* as the kernel names it */
};

static void root_done(struct root *r)
{
        closep(&r->fd);
        free(r->path);
}

/* The root file system as the spec names it (relative to the bundle, as
 * runc takes it), and its path as the kernel names it. */
static int root_open(const struct spec *s, struct root *ret)
{
        int r = spec_rootfs_open(s, &ret->fd);

        if (r < 0)
                return r;
        if (!(ret->path = fd_path(ret->fd))) {
                closep(&ret->fd);
                return -ENOENT;
        }
        return 0;
}

/* The path of fd (opened inside the root) as the container sees it. */
static char *in_root(const struct root *r, int fd)
{
        _cleanup_free_ char *p = fd_path(fd);

        return p ? inroot_path_below(r->path, p) : NULL;
}

/* path with the symlinks of its longest existing prefix resolved inside
 * the root, the rest as written: where runc, which resolves a mount's
 * destination the same way, puts a mount. */
static char *resolve(const struct root *r, const char *path)
{
        _cleanup_free_ char *norm = path_normalize(path);
        _cleanup_close_ int fd = -1;

        if (!norm)
                return NULL;
        if (inroot_open(r->fd, norm, &fd) == 0)
                return in_root(r, fd);
        char *slash = strrchr(norm, '/');
        if (slash == norm)
                return TAKE_PTR(norm);
        *slash = '\0';
        _cleanup_free_ char *parent = resolve(r, norm);
        char *out = NULL;
        if (parent && asprintf(&out, "%s/%s", STREQ(parent, "/") ? "" : parent, slash + 1) < 0)
                out = NULL;
        return out;
}

/* --- user namespaces ------------------------------------------------------ */

struct idmap {
        struct {
                uint64_t inside, outside, count;
        } m[16];
        size_t n;
};

struct ids {
        bool userns;  /* the container has a user namespace of its own */
        bool unknown; /* one it joins, whose mappings the spec does not give */
        struct idmap uid, gid;
        uint64_t overflow_uid, overflow_gid;
};

static void idmap_read(const struct jv *list, struct idmap *ret)
{
        ret->n = 0;
        for (size_t i = 0; jv_is(list, JV_ARRAY) && i < list->u.arr.n && ret->n < ARRAY_SIZE(ret->m); i++) {
                const struct jv *e = list->u.arr.v[i];
                uint64_t in, out, count;
                if (jv_uint64(jv_get(e, "containerID"), &in) == 0 && jv_uint64(jv_get(e, "hostID"), &out) == 0 &&
                    jv_uint64(jv_get(e, "size"), &count) == 0)
                        ret->m[ret->n++] = (typeof(ret->m[0])){in, out, count};
        }
}

/* The container's id of a host id; -1 when it is not mapped. */
static int64_t idmap_inside(const struct ids *ids, const struct idmap *m, uint64_t host)
{
        if (!ids->userns)
                return (int64_t)host;
        for (size_t i = 0; i < m->n; i++)
                if (host >= m->m[i].outside && host - m->m[i].outside < m->m[i].count)
                        return (int64_t)(m->m[i].inside + (host - m->m[i].outside));
        return -1;
}

static bool idmap_has_inside(const struct idmap *m, uint64_t id)
{
        for (size_t i = 0; i < m->n; i++)
                if (id >= m->m[i].inside && id - m->m[i].inside < m->m[i].count)
                        return true;
        return false;
}

static uint64_t read_overflow(const char *file)
{
        _cleanup_fclose_ FILE *f = fopen(file, "re");
        unsigned long v = 65534;
        if (!f || fscanf(f, "%lu", &v) != 1)
                v = 65534;
        return v;
}

static void ids_read(const struct spec *s, struct ids *ret)
{
        const struct jv *l = jv_get(s->root, "linux"), *ns = jv_get(l, "namespaces");
        const char *t;

        *ret = (struct ids){0};
        for (size_t i = 0; jv_is(ns, JV_ARRAY) && i < ns->u.arr.n; i++)
                if (jv_cstr(jv_get(ns->u.arr.v[i], "type"), &t) && STREQ(t, "user")) {
                        ret->userns = true;
                        ret->unknown = jv_get(ns->u.arr.v[i], "path") != NULL;
                }
        idmap_read(jv_get(l, "uidMappings"), &ret->uid);
        idmap_read(jv_get(l, "gidMappings"), &ret->gid);
        if (ret->userns && ret->uid.n == 0)
                ret->unknown = true;
        ret->overflow_uid = read_overflow("/proc/sys/kernel/overflowuid");
        ret->overflow_gid = read_overflow("/proc/sys/kernel/overflowgid");
}

/* --- what runc would copy ---------------------------------------------------- */

struct walk {
        const struct ids *ids;
        struct writable_plan *plan;
        const char *top;
        size_t entries;
        uint64_t bytes;
};

/* runc copies as the container's root: with a user namespace it reads
 * only what that root may read, and it gives each copy the owner it sees,
 * which must be mapped (an unmapped owner shows as the overflow id). */
static bool copyable(struct walk *w, const char *rel, const struct stat *st)
{
        const struct ids *ids = w->ids;

        if (ids->unknown) {
                problem(w->plan,
                        "%s holds files, and the container joins a user namespace whose mappings the spec does not "
                        "give, so whether runc can copy them cannot be told",
                        w->top);
                return false;
        }
        if (S_ISFIFO(st->st_mode) || S_ISSOCK(st->st_mode)) {
                problem(w->plan, "%s/%s is a FIFO or socket, which runc's copy cannot recreate", w->top, rel);
                return false;
        }
        if (!ids->userns)
                return true;
        if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode)) {
                problem(w->plan, "%s/%s is a device node, which runc cannot create in a user namespace", w->top, rel);
                return false;
        }
        int64_t uid = idmap_inside(ids, &ids->uid, st->st_uid), gid = idmap_inside(ids, &ids->gid, st->st_gid);
        if ((uid < 0 && !idmap_has_inside(&ids->uid, ids->overflow_uid)) ||
            (gid < 0 && !idmap_has_inside(&ids->gid, ids->overflow_gid))) {
                problem(w->plan,
                        "%s/%s belongs to %u:%u, which the user namespace does not map (nor the overflow id "
                        "%" PRIu64 "), so runc cannot give its copy an owner",
                        w->top, rel, (unsigned)st->st_uid, (unsigned)st->st_gid, ids->overflow_uid);
                return false;
        }
        mode_t need = S_ISDIR(st->st_mode) ? S_IROTH | S_IXOTH : S_ISREG(st->st_mode) ? S_IROTH : 0;
        if ((uid < 0 || gid < 0) && (st->st_mode & need) != need) {
                problem(w->plan,
                        "%s/%s belongs to %u:%u, which the user namespace does not map, and others may not read it, "
                        "so runc cannot copy it",
                        w->top, rel, (unsigned)st->st_uid, (unsigned)st->st_gid);
                return false;
        }
        return true;
}

static int walk_dir(struct walk *w, int parent, const char *rel, int depth)
{
        _cleanup_close_ int fd = openat(parent, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        DIR *dir = fd >= 0 ? fdopendir(fd) : NULL;
        struct dirent *de;
        int r = 0;

        if (!dir) {
                problem(w->plan, "cannot read %s%s%s: %m", w->top, *rel ? "/" : "", rel);
                return 0;
        }
        fd = -1; /* the DIR owns it */
        if (depth > COPY_MAX_DEPTH) {
                problem(w->plan, "%s/%s is nested too deep to copy", w->top, rel);
                closedir(dir);
                return 0;
        }
        while (!w->plan->problem && (de = readdir(dir))) {
                struct stat st;
                _cleanup_free_ char *sub = NULL;
                if (STREQ(de->d_name, ".") || STREQ(de->d_name, ".."))
                        continue;
                if (asprintf(&sub, "%s%s%s", rel, *rel ? "/" : "", de->d_name) < 0) {
                        r = -ENOMEM;
                        break;
                }
                if (fstatat(dirfd(dir), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
                        problem(w->plan, "cannot examine %s/%s: %m", w->top, sub);
                        break;
                }
                if (++w->entries > COPY_MAX_ENTRIES) {
                        problem(w->plan, "%s holds more than %d files, too many to copy at every start", w->top,
                                COPY_MAX_ENTRIES);
                        break;
                }
                if (!copyable(w, sub, &st))
                        break;
                w->bytes += S_ISREG(st.st_mode) ? (((uint64_t)st.st_size + PAGE - 1) / PAGE) * PAGE : PAGE;
                if (w->bytes > COPY_MAX_BYTES) {
                        problem(w->plan, "%s holds more than %llu MiB, too much to copy into memory at every start",
                                w->top, COPY_MAX_BYTES >> 20);
                        break;
                }
                if (S_ISDIR(st.st_mode)) {
                        _cleanup_close_ int sfd =
                                openat(dirfd(dir), de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                        if (sfd < 0) {
                                problem(w->plan, "cannot read %s/%s: %m", w->top, sub);
                                break;
                        }
                        if ((r = walk_dir(w, sfd, sub, depth + 1)) < 0)
                                break;
                }
        }
        closedir(dir);
        return r;
}

/* --- the plan --------------------------------------------------------------- */

static bool listed(const struct jv *a, const struct jv *b, const char *path)
{
        const struct jv *lists[] = {a, b};
        for (size_t k = 0; k < ARRAY_SIZE(lists); k++)
                for (size_t i = 0; i < lists[k]->u.arr.n; i++) {
                        _cleanup_free_ char *n = path_normalize(lists[k]->u.arr.v[i]->u.str.s);
                        if (n && STREQ(n, path))
                                return true;
                }
        return false;
}

static int add_dir(struct writable_plan *p, char *path, const struct stat *st, const struct ids *ids)
{
        struct writable_dir *d = realloc(p->dirs, (p->n + 1) * sizeof(*d));
        if (!d) {
                free(path);
                return -ENOMEM;
        }
        p->dirs = d;
        d[p->n++] = (struct writable_dir){
                .path = path,
                .mode = st->st_mode & 07777,
                .uid = ids->unknown ? -1 : idmap_inside(ids, &ids->uid, st->st_uid),
                .gid = ids->unknown ? -1 : idmap_inside(ids, &ids->gid, st->st_gid),
        };
        return 0;
}

/* Adds the directory the image has at want, if it is one to add. */
static int consider(struct writable_plan *p, const struct root *r, const struct ids *ids, const struct jv *a,
                    const struct jv *b, const char *want)
{
        _cleanup_free_ char *norm = path_normalize(want), *path = NULL;
        _cleanup_close_ int fd = -1;
        struct stat st;
        int k;

        if (!norm)
                return -ENOMEM;
        if ((k = inroot_open(r->fd, norm, &fd)) < 0) {
                if (k == -ENOSYS)
                        problem(p, "this kernel has no openat2(), without which the image cannot be examined "
                                   "safely");
                return 0; /* not in the image */
        }
        if (fstat(fd, &st) < 0 || !S_ISDIR(st.st_mode) || !(path = in_root(r, fd)))
                return 0;
        /* A symlink that leads out of the lists (an image's /run -> /usr)
         * does not make its target writable. */
        if (STREQ(path, "/") || !listed(a, b, path))
                return 0;
        for (size_t i = 0; i < p->n; i++)
                if (path_is_under(path, p->dirs[i].path))
                        return 0; /* the same, or copied with it */
        /* A listed directory below this one is copied with it. */
        for (size_t i = 0; i < p->n;)
                if (path_is_under(p->dirs[i].path, path)) {
                        free(p->dirs[i].path);
                        p->dirs[i] = p->dirs[--p->n];
                } else {
                        i++;
                }
        return add_dir(p, TAKE_PTR(path), &st, ids);
}

/* Drops what lies on another mount or is mounted over already, and finds
 * where each tmpfs goes among the spec's mounts. */
static int place(struct writable_plan *p, const struct root *r, const struct jv *mounts)
{
        size_t n = jv_is(mounts, JV_ARRAY) ? mounts->u.arr.n : 0;

        for (size_t i = 0; i < p->n; i++)
                p->dirs[i].before = n;
        for (size_t m = n; m-- > 0;) {
                const char *dest;
                if (!jv_cstr(jv_get(mounts->u.arr.v[m], "destination"), &dest))
                        continue;
                _cleanup_free_ char *at = resolve(r, dest);
                if (!at)
                        return -ENOMEM;
                for (size_t i = 0; i < p->n;) {
                        if (!STREQ(at, "/") && path_is_under(p->dirs[i].path, at)) {
                                free(p->dirs[i].path);
                                p->dirs[i] = p->dirs[--p->n];
                                continue;
                        }
                        if (path_is_under(at, p->dirs[i].path))
                                p->dirs[i].before = m;
                        i++;
                }
        }
        return 0;
}

static int by_path(const void *a, const void *b)
{
        return strcmp(((const struct writable_dir *)a)->path, ((const struct writable_dir *)b)->path);
}

int writable_plan_make(const struct spec *s, const struct jv *volatile_dirs, const struct jv *extra,
                       struct writable_plan *p)
{
        _cleanup_(root_done) struct root r = {.fd = -1};
        struct ids ids;
        int k;

        *p = (struct writable_plan){0};
        if ((k = root_open(s, &r)) < 0) {
                p->no_image = true;
                return k == -ENOMEM ? k : 0;
        }
        ids_read(s, &ids);
        const struct jv *lists[] = {volatile_dirs, extra};
        for (size_t l = 0; l < ARRAY_SIZE(lists); l++)
                for (size_t i = 0; i < lists[l]->u.arr.n; i++)
                        if ((k = consider(p, &r, &ids, volatile_dirs, extra, lists[l]->u.arr.v[i]->u.str.s)) < 0)
                                return k;
        if ((k = place(p, &r, jv_get(s->root, "mounts"))) < 0)
                return k;
        if (p->n > 1)
                qsort(p->dirs, p->n, sizeof(p->dirs[0]), by_path);
        for (size_t i = 0; i < p->n && !p->problem; i++) {
                struct writable_dir *d = &p->dirs[i];
                _cleanup_close_ int fd = -1;
                struct walk w = {.ids = &ids, .plan = p, .top = d->path};
                struct stat st;
                if (inroot_open(r.fd, d->path, &fd) < 0 || fstat(fd, &st) < 0) {
                        problem(p, "cannot open %s in the image", d->path);
                        break;
                }
                if ((k = walk_dir(&w, fd, "", 0)) < 0)
                        return k;
                d->copy = w.entries > 0;
                d->bytes = w.bytes;
                /* runc reads the directory itself to copy what it holds. */
                if (d->copy && ids.userns && (d->uid < 0 || d->gid < 0) &&
                    (st.st_mode & (S_IROTH | S_IXOTH)) != (S_IROTH | S_IXOTH))
                        problem(p,
                                "%s belongs to %u:%u, which the user namespace does not map, and others may not "
                                "read it, so runc cannot copy what it holds",
                                d->path, (unsigned)st.st_uid, (unsigned)st.st_gid);
        }
        return 0;
}

char *writable_plan_paths(const struct writable_plan *p)
{
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);

        if (!f)
                return NULL;
        for (size_t i = 0; i < p->n; i++)
                fprintf(f, "%s%s", i ? ", " : "", p->dirs[i].path);
        if (fclose(f) != 0) {
                free(buf);
                return NULL;
        }
        return buf;
}
