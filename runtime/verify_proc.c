/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "verify_proc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "host.h"
#include "inroot.h"
#include "spec.h"
#include "util.h"

/* A /proc file, whole. */
static int read_at(int dirfd, const char *name, char **ret, rh_error_t *err)
{
        _cleanup_close_ int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        size_t len;

        if (fd < 0)
                return rh_error_set(err, errno, "%s: %m", name);
        if (spec_read_fd(fd, ret, &len, err) < 0)
                return rh_error_wrap(err, "%s", name);
        return 0;
}

static void ns_ids(int dirfd, struct verify_fileid ids[_VNS_MAX])
{
        char p[32];
        struct stat st;

        for (int t = 0; t < _VNS_MAX; t++) {
                snprintf(p, sizeof(p), "ns/%s", verify_ns_proc_name((verify_ns_t)t));
                ids[t] = (struct verify_fileid){0};
                if (fstatat(dirfd, p, &st, 0) == 0)
                        ids[t] = (struct verify_fileid){.have = true, .dev = st.st_dev, .ino = st.st_ino};
        }
}

static int read_status(int dirfd, struct verify_status *ret, rh_error_t *err)
{
        _cleanup_free_ char *text = NULL;
        if (read_at(dirfd, "status", &text, err) < 0 || verify_parse_status(text, ret, err) < 0)
                return -EINVAL;
        return 0;
}

static int read_cgroups(int dirfd, struct verify_cgroups *ret, rh_error_t *err)
{
        _cleanup_free_ char *text = NULL;
        if (read_at(dirfd, "cgroup", &text, err) < 0 || verify_parse_cgroups(text, ret, err) < 0)
                return -EINVAL;
        return 0;
}

static int read_mounts(int dirfd, struct mount_table *ret, rh_error_t *err)
{
        _cleanup_free_ char *text = NULL;
        if (read_at(dirfd, "mountinfo", &text, err) < 0 || mount_table_parse(text, strlen(text), ret, err) < 0)
                return rh_error_wrap(err, "mountinfo");
        return 0;
}

/* crun keeps in ROOT/ID the config.json it read and the seccomp filter it
 * loads at start; runc keeps neither. Missing files are left absent: the
 * judgement decides what their absence means. */
static void read_runtime_state(struct verify_facts *f)
{
        _cleanup_close_ int rootfd = -1, dirfd = -1, fd = -1;
        rh_error_t err = RH_ERROR_INIT;
        struct stat st;
        size_t len;

        if (f->runc_init || !f->runtime_root || !f->id || !*f->id || strchr(f->id, '/') || STREQ(f->id, ".") ||
            STREQ(f->id, ".."))
                return;
        if ((rootfd = open(f->runtime_root, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0 ||
            (dirfd = openat(rootfd, f->id, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
                return;
        if (fstatat(dirfd, "seccomp.bpf", &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode))
                f->pending_filter = (int64_t)st.st_size;
        fd = openat(dirfd, "config.json", O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
            spec_read_fd(fd, &f->runtime_config, &len, &err) < 0)
                f->runtime_config = NULL;
        rh_error_clear(&err);
}

int verify_proc_collect(pid_t pid, struct verify_facts *f, struct verify_proc *vp, rh_error_t *err)
{
        _cleanup_close_ int self = open("/proc/self", O_PATH | O_DIRECTORY | O_CLOEXEC);
        _cleanup_free_ char *limits = NULL, *comm = NULL;
        char path[64];
        struct stat st;
        int r;

        snprintf(path, sizeof(path), "/proc/%d", (int)pid);
        /* Every file below is read through this one directory: should the
         * process be gone, its pid reused, the reads fail (ESRCH). */
        if ((vp->procfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
                return rh_error_set(err, errno, "%s: %m", path);
        if (self < 0)
                return rh_error_set(err, errno, "/proc/self: %m");
        f->pid = pid;
        vp->f = f;
        ns_ids(vp->procfd, f->ns);
        ns_ids(self, f->self_ns);
        if ((r = read_mounts(vp->procfd, &f->mounts, err)) < 0 || (r = read_mounts(self, &f->host_mounts, err)) < 0 ||
            (r = read_status(vp->procfd, &f->status, err)) < 0 || (r = read_status(self, &f->self_status, err)) < 0 ||
            (r = read_cgroups(vp->procfd, &f->cgroups, err)) < 0 ||
            (r = read_cgroups(self, &f->self_cgroups, err)) < 0 ||
            (r = read_at(vp->procfd, "limits", &limits, err)) < 0 ||
            (r = verify_parse_limits(limits, f->limits, err)) < 0 || (r = read_at(vp->procfd, "comm", &comm, err)) < 0)
                return rh_error_wrap(err, "%s", path);
        f->runc_init = strncmp(comm, "runc:[2:INIT]", 13) == 0;
        bool own_userns =
                f->ns[VNS_USER].have && f->self_ns[VNS_USER].have &&
                (f->ns[VNS_USER].dev != f->self_ns[VNS_USER].dev || f->ns[VNS_USER].ino != f->self_ns[VNS_USER].ino);
        if (own_userns) {
                if (read_at(vp->procfd, "uid_map", &f->uid_map, err) < 0 ||
                    read_at(vp->procfd, "gid_map", &f->gid_map, err) < 0)
                        return rh_error_wrap(err, "%s", path);
        } else if (!(f->uid_map = strdup("")) || !(f->gid_map = strdup(""))) {
                return rh_error_set(err, ENOMEM, "out of memory");
        }
        if ((vp->rootfd = openat(vp->procfd, "root", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0 ||
            fstat(vp->rootfd, &st) < 0)
                return rh_error_set(err, errno, "%s/root: %m", path);
        f->root = (struct verify_fileid){.have = true, .dev = st.st_dev, .ino = st.st_ino};
        read_runtime_state(f);
        return 0;
}

void verify_proc_done(struct verify_proc *vp)
{
        if (vp->procfd >= 0)
                close(vp->procfd);
        if (vp->rootfd >= 0)
                close(vp->rootfd);
        *vp = (struct verify_proc)VERIFY_PROC_INIT;
}

/* --- the probes ------------------------------------------------------------ */

static int probe_stat_in(void *data, const char *path, bool follow, struct stat *ret)
{
        const struct verify_proc *vp = data;
        _cleanup_free_ char *real = NULL;
        int r = inroot_resolve(vp->rootfd, path, follow, &real);

        if (r < 0)
                return r;
        return fstatat(vp->rootfd, STREQ(real, "/") ? "." : real + 1, ret, AT_SYMLINK_NOFOLLOW) < 0 ? -errno : 0;
}

/* The path a mount destination names, as mountinfo shows its point. */
static int probe_resolve_in(void *data, const char *path, char **ret)
{
        const struct verify_proc *vp = data;
        _cleanup_free_ char *real = NULL;
        struct stat st;
        int r = inroot_resolve(vp->rootfd, path, true, &real);

        if (r < 0)
                return r;
        if (fstatat(vp->rootfd, STREQ(real, "/") ? "." : real + 1, &st, AT_SYMLINK_NOFOLLOW) < 0)
                return -errno;
        *ret = TAKE_PTR(real);
        return 0;
}

/* The container's directory in a hierarchy, through the host's mount of
 * it (ours: runc-harden runs in the host's cgroup namespace, as runc),
 * opened O_DIRECTORY; -ENOENT when the hierarchy is not mounted here. */
static int cgroup_dir_open(const struct verify_facts *f, const char *controller)
{
        const struct verify_cgroup *c = NULL;

        for (size_t i = 0; i < f->cgroups.n && !c; i++)
                if (*controller ? mount_list_has(f->cgroups.v[i].controllers, controller, strlen(controller))
                                : !*f->cgroups.v[i].controllers)
                        c = &f->cgroups.v[i];
        if (!c)
                return -ENOENT;
        for (size_t i = 0; i < f->host_mounts.n; i++) {
                const struct mount_entry *m = &f->host_mounts.v[i];
                if (*controller
                            ? !STREQ(m->fstype, "cgroup") || !mount_list_has(m->super, controller, strlen(controller))
                            : !STREQ(m->fstype, "cgroup2"))
                        continue;
                if (!path_is_under(c->path, m->root))
                        continue;
                const char *rest = STREQ(m->root, "/") ? c->path : c->path + strlen(m->root);
                _cleanup_free_ char *p = NULL;
                if (asprintf(&p, "%s%s", STREQ(m->point, "/") ? "" : m->point, STREQ(rest, "/") ? "/" : rest) < 0)
                        return -ENOMEM;
                int fd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
                if (fd >= 0)
                        return fd;
        }
        return -ENOENT;
}

static int probe_cgroup_read(void *data, const char *controller, const char *file, char **ret)
{
        const struct verify_proc *vp = data;
        rh_error_t err = RH_ERROR_INIT;
        _cleanup_close_ int dirfd = cgroup_dir_open(vp->f, controller);
        size_t len;

        if (dirfd < 0)
                return dirfd;
        _cleanup_close_ int fd = openat(dirfd, file, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW);
        if (fd < 0)
                return -errno;
        int r = spec_read_fd(fd, ret, &len, &err);
        rh_error_clear(&err);
        return r;
}

static int probe_cgroup_child(void *data, const char *controller, char **ret)
{
        const struct verify_proc *vp = data;
        int dirfd = cgroup_dir_open(vp->f, controller);
        DIR *d = dirfd >= 0 ? fdopendir(dirfd) : NULL;
        struct dirent *e;
        int r = 0;

        *ret = NULL;
        if (!d) {
                r = dirfd < 0 ? dirfd : -errno;
                if (dirfd >= 0)
                        close(dirfd);
                return r;
        }
        while (r == 0 && (e = readdir(d)))
                if (e->d_type == DT_DIR && !STREQ(e->d_name, ".") && !STREQ(e->d_name, ".."))
                        r = (*ret = strdup(e->d_name)) ? 1 : -ENOMEM;
        closedir(d);
        return r;
}

#define DEV_NODES_MAX 65536
#define DEV_DEPTH_MAX 8

static int dev_add(struct verify_devnodes *d, const char *path, const struct stat *st)
{
        if (d->n >= DEV_NODES_MAX) {
                d->truncated = true;
                return 0;
        }
        if (d->n % 64 == 0) {
                struct verify_devnode *v = reallocarray(d->v, d->n + 64, sizeof(*v));
                if (!v)
                        return -ENOMEM;
                d->v = v;
        }
        if (!(d->v[d->n].path = strdup(path)))
                return -ENOMEM;
        d->v[d->n].type = S_ISBLK(st->st_mode) ? 'b' : 'c';
        d->v[d->n].major = major(st->st_rdev);
        d->v[d->n].minor = minor(st->st_rdev);
        d->n++;
        return 0;
}

/* Walks one directory of the container's /dev: directories are opened
 * with O_NOFOLLOW, everything else is only looked at (fstatat). */
static int dev_walk(int dirfd, const char *path, int depth, struct verify_devnodes *d)
{
        int fd = dup(dirfd);
        DIR *dir = fd >= 0 ? fdopendir(fd) : NULL;
        struct dirent *e;
        int r = 0;

        if (!dir) {
                r = -errno;
                if (fd >= 0)
                        close(fd);
                return r;
        }
        while (r >= 0 && (e = readdir(dir))) {
                _cleanup_free_ char *sub = NULL;
                struct stat st;
                if (STREQ(e->d_name, ".") || STREQ(e->d_name, ".."))
                        continue;
                if (fstatat(dirfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                        continue; /* gone since readdir: nothing there */
                if (asprintf(&sub, "%s/%s", path, e->d_name) < 0) {
                        r = -ENOMEM;
                        break;
                }
                if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) {
                        r = dev_add(d, sub, &st);
                } else if (S_ISDIR(st.st_mode)) {
                        if (depth >= DEV_DEPTH_MAX) {
                                d->truncated = true;
                                continue;
                        }
                        _cleanup_close_ int sfd =
                                openat(dirfd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                        if (sfd < 0)
                                r = -errno;
                        else
                                r = dev_walk(sfd, sub, depth + 1, d);
                }
        }
        closedir(dir);
        return r;
}

static int probe_dev_nodes(void *data, struct verify_devnodes *ret)
{
        const struct verify_proc *vp = data;
        _cleanup_close_ int fd = openat(vp->rootfd, "dev", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

        *ret = (struct verify_devnodes){0};
        if (fd < 0)
                return errno == ENOENT ? 0 : -errno;
        int r = dev_walk(fd, "/dev", 1, ret);
        if (r < 0)
                verify_devnodes_done(ret);
        return r;
}

void verify_proc_probe(struct verify_proc *vp, struct verify_probe *ret)
{
        *ret = (struct verify_probe){
                .data = vp,
                .stat_in = probe_stat_in,
                .resolve_in = probe_resolve_in,
                .cgroup_read = probe_cgroup_read,
                .cgroup_child = probe_cgroup_child,
                .dev_nodes = probe_dev_nodes,
        };
}
