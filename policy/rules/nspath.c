/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <linux/nsfs.h>
#include <linux/openat2.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "host.h"
#include "nspath.h"
#include "util.h"

void nspath_done(struct nspath *ns)
{
        closep(&ns->fd);
        ns->fd = -1;
}

static const char why_last[] = "does not end in the name of a namespace file";
static const char why_proc[] =
        "goes through /proc other than as /proc/<pid>/ns/<type> (/proc/self, /proc/thread-self, /dev/fd, a "
        "process's cwd, root or fd links): what it names depends on the process that opens it, and runc init, which "
        "opens it from the container's root directory, is not the process that checked it";
static const char why_fuse[] =
        "goes through a FUSE file system, whose answers may depend on the process that asks: runc init may reach "
        "another file than the one checked";
static const char why_link[] = "ends in a symbolic link: name the namespace file itself (a bind-mounted namespace "
                               "file, or /proc/<pid>/ns/<type>)";
static const char why_not_ns[] = "does not name a namespace (not a file of nsfs)";

#define NSPATH_MAX_LINKS 40 /* the kernel's own limit */

/* "/proc/<pid>/ns", the pid written as procfs names it. */
static bool is_proc_pid_ns(const char *dir)
{
        const char *p;
        size_t n;

        if (strncmp(dir, "/proc/", strlen("/proc/")) != 0)
                return false;
        p = dir + strlen("/proc/");
        n = strspn(p, "0123456789");
        return n > 0 && n <= 10 && p[0] != '0' && STREQ(p + n, "/ns");
}

/* A name looked up in a directory of this file system may mean another
 * thing to another process: procfs (self, thread-self, the magic links of
 * /proc/<pid>) and FUSE (its server sees who asks). NULL when not. */
static int per_process_fs(int dirfd, const char **ret_why)
{
        struct statfs sf;

        if (fstatfs(dirfd, &sf) < 0)
                return -errno;
        *ret_why = sf.f_type == PROC_SUPER_MAGIC ? why_proc : sf.f_type == FUSE_SUPER_MAGIC ? why_fuse : NULL;
        return 0;
}

/* /proc/<pid>/ns, written so (lexically: "//proc/./42/ns/../ns" too) and
 * reached without any symbolic link, on procfs: an fd, 0 when dir is not
 * that, or -errno / -EPERM with *ret_why. */
static int open_proc_pid_ns(const char *dir, const char **ret_why)
{
        _cleanup_free_ char *norm = path_normalize(dir);
        struct open_how how = {.flags = O_PATH | O_DIRECTORY | O_CLOEXEC, .resolve = RESOLVE_NO_SYMLINKS};
        struct statfs sf;

        if (!norm)
                return -ENOMEM;
        if (!is_proc_pid_ns(norm))
                return 0;
        _cleanup_close_ int fd = (int)syscall(SYS_openat2, AT_FDCWD, dir, &how, sizeof(how));
        if (fd < 0 && errno == ELOOP) {
                *ret_why = why_proc; /* through /proc/self or another link */
                return -EPERM;
        }
        if (fd < 0)
                return -errno;
        if (fstatfs(fd, &sf) < 0)
                return -errno;
        return sf.f_type == PROC_SUPER_MAGIC ? TAKE_FD(fd) : 0;
}

/* Splits the next component off *rest (a malloc'd path). */
static char *next_component(char **rest)
{
        char *p = *rest, *c;

        while (*p == '/')
                p++;
        if (!*p)
                return NULL;
        c = p;
        p += strcspn(p, "/");
        if (*p)
                *p++ = '\0';
        *rest = p;
        return c;
}

/* The directory that holds the namespace file, walked one component at a
 * time from "/" as the kernel would, but refusing to look anything up in
 * a per-process file system and following ordinary symbolic links itself
 * (at most NSPATH_MAX_LINKS). An fd, or -errno / -EPERM with *ret_why. */
static int walk_dir(const char *dir, const char **ret_why)
{
        _cleanup_free_ char *buf = strdup(dir);
        char *rest = buf, *c, target[PATH_MAX];
        unsigned links = 0;
        int r;

        if (!buf)
                return -ENOMEM;
        _cleanup_close_ int fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        while ((c = next_component(&rest))) {
                struct stat st;
                if (STREQ(c, "."))
                        continue;
                if ((r = per_process_fs(fd, ret_why)) < 0 || *ret_why)
                        return r < 0 ? r : -EPERM;
                _cleanup_close_ int next = openat(fd, c, O_PATH | O_NOFOLLOW | O_CLOEXEC);
                if (next < 0 || fstat(next, &st) < 0)
                        return -errno;
                if (S_ISDIR(st.st_mode)) {
                        closep(&fd);
                        fd = TAKE_FD(next);
                        continue;
                }
                if (!S_ISLNK(st.st_mode))
                        return -ENOTDIR;
                if (++links > NSPATH_MAX_LINKS)
                        return -ELOOP;
                ssize_t n = readlinkat(next, "", target, sizeof(target) - 1);
                if (n < 0)
                        return -errno;
                target[n] = '\0';
                /* the link's target, then what was left after it */
                char *joined = NULL;
                if (asprintf(&joined, "%s/%s", target, rest) < 0)
                        return -ENOMEM;
                free(buf);
                buf = rest = joined;
                if (target[0] == '/') {
                        closep(&fd);
                        if ((fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
                                return -errno;
                }
        }
        if ((r = per_process_fs(fd, ret_why)) < 0 || *ret_why)
                return r < 0 ? r : -EPERM;
        return TAKE_FD(fd);
}

/* The directory that holds the namespace file; *ret_proc_ns when it is
 * /proc/<pid>/ns, whose entries are the one magic link allowed. */
static int open_parent(const char *dir, size_t len, bool *ret_proc_ns, const char **ret_why)
{
        _cleanup_free_ char *d = strndup(dir, len);
        int fd;

        if (!d)
                return -ENOMEM;
        if ((fd = open_proc_pid_ns(d, ret_why)) != 0) {
                *ret_proc_ns = fd > 0;
                return fd;
        }
        *ret_proc_ns = false;
        return walk_dir(d, ret_why);
}

int nspath_open(const char *path, struct nspath *ret, const char **ret_why)
{
        const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
        struct statfs sf;
        struct stat lst;
        bool proc_ns = false;
        int r;

        *ret = (struct nspath){.fd = -1};
        *ret_why = NULL;
        if (!slash || !*base || STREQ(base, ".") || STREQ(base, "..")) {
                *ret_why = why_last;
                return -EPERM;
        }
        _cleanup_close_ int dirfd = open_parent(path, slash == path ? 1 : (size_t)(slash - path), &proc_ns, ret_why);
        if (dirfd < 0)
                return dirfd;
        if (proc_ns) {
                /* The one magic link allowed: /proc/<pid>/ns/<name>. */
                r = openat(dirfd, base, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
        } else {
                /* The file itself, not what a link points at; O_NONBLOCK:
                 * nothing here may wait on a FIFO. */
                if (fstatat(dirfd, base, &lst, AT_SYMLINK_NOFOLLOW) < 0)
                        return -errno;
                if (S_ISLNK(lst.st_mode)) {
                        *ret_why = why_link;
                        return -EPERM;
                }
                r = openat(dirfd, base, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW);
        }
        if (r < 0)
                return errno == ELOOP && !proc_ns ? (*ret_why = why_link, -EPERM) : -errno;
        _cleanup_close_ int fd = r;
        if (fstatfs(fd, &sf) < 0 || fstat(fd, &ret->st) < 0)
                return -errno;
        if (sf.f_type != NSFS_MAGIC) {
                *ret_why = why_not_ns;
                return -EPERM;
        }
        r = ioctl(fd, NS_GET_NSTYPE);
        ret->nstype = r > 0 ? r : 0;
        ret->fd = TAKE_FD(fd);
        return 0;
}

/* --- user namespace maps ------------------------------------------------- */

/* One map file: empty, and whether a range holds outside id 0 (ranges
 * cannot wrap, so such a range starts there). */
static int read_map(const char *path, bool *ret_empty, bool *ret_root)
{
        _cleanup_fclose_ FILE *f = fopen(path, "re");
        unsigned long inside, outside, count;
        char line[128];

        if (!f)
                return -errno;
        *ret_empty = true;
        *ret_root = false;
        while (fgets(line, sizeof(line), f)) {
                if (sscanf(line, "%lu %lu %lu", &inside, &outside, &count) != 3)
                        return -EIO;
                *ret_empty = false;
                if (outside == 0 && count > 0)
                        *ret_root = true;
        }
        return ferror(f) ? -EIO : 0;
}

/* The child: joins the namespace, says how that went (0 or errno), then
 * waits until the parent has read its maps (hold closes). Only
 * async-signal-safe calls after fork(). */
static _Noreturn void maps_child(int nsfd, int ready, int hold)
{
        unsigned char b = 0;

        if (setns(nsfd, CLONE_NEWUSER) < 0)
                b = (unsigned char)(errno > 0 && errno < 256 ? errno : EINVAL);
        if (write(ready, &b, 1) != 1)
                _exit(1);
        while (read(hold, &b, 1) > 0)
                ;
        _exit(0);
}

static int maps_read(int nsfd, struct userns_maps *ret)
{
        int ready[2] = {-1, -1}, hold[2] = {-1, -1}, status, r;
        unsigned char b = 0;
        char path[64];
        pid_t pid;

        if (pipe2(ready, O_CLOEXEC) < 0)
                return -errno;
        if (pipe2(hold, O_CLOEXEC) < 0) {
                r = -errno;
                closep(&ready[0]);
                closep(&ready[1]);
                return r;
        }
        pid = fork();
        if (pid == 0) {
                close(ready[0]);
                close(hold[1]);
                maps_child(nsfd, ready[1], hold[0]);
        }
        r = pid < 0 ? -errno : 0;
        closep(&ready[1]);
        closep(&hold[0]);
        if (r == 0 && read(ready[0], &b, 1) != 1)
                r = -EIO;
        else if (r == 0 && b != 0)
                r = -b;
        if (r == 0) {
                snprintf(path, sizeof(path), "/proc/%d/uid_map", (int)pid);
                r = read_map(path, &ret->uid_empty, &ret->uid_host_root);
        }
        if (r == 0) {
                snprintf(path, sizeof(path), "/proc/%d/gid_map", (int)pid);
                r = read_map(path, &ret->gid_empty, &ret->gid_host_root);
        }
        closep(&ready[0]);
        closep(&hold[1]); /* the child exits */
        while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
                ;
        return r;
}

int nspath_userns_maps(const struct nspath *ns, struct userns_maps *ret)
{
        /* Not remembered by inode: a namespace's inode number is reused
         * once it is gone, and the fork costs about a millisecond. */
        if (ns->nstype && ns->nstype != CLONE_NEWUSER)
                return -EINVAL;
        *ret = (struct userns_maps){0};
        return maps_read(ns->fd, ret);
}
