/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "rootpath.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util.h"

char *root_path(const char *root, const char *path)
{
        char *p = NULL;
        if (!root || STREQ(root, "/") || !*root)
                return strdup(path);
        size_t n = strlen(root);
        while (n > 1 && root[n - 1] == '/')
                n--;
        if (asprintf(&p, "%.*s%s%s", (int)n, root, path[0] == '/' ? "" : "/", path) < 0)
                return NULL;
        return p;
}

/* What RESOLVE_IN_ROOT does, for a kernel before 5.6 (and valgrind): one
 * component at a time, a symlink's absolute target taken from root, ".."
 * never above it. The in-root path reached; -errno. */
static int resolve_in_root_slowly(const char *root, const char *path, char **ret)
{
        char cur[PATH_MAX] = "", rest[2 * PATH_MAX], host[3 * PATH_MAX], target[PATH_MAX];
        int links = 0;

        if (strlen(path) >= sizeof(rest))
                return -ENAMETOOLONG;
        strcpy(rest, path);
        for (char *p = rest;;) {
                while (*p == '/')
                        p++;
                if (!*p)
                        break;
                size_t n = strcspn(p, "/");
                char comp[NAME_MAX + 1];
                if (n > NAME_MAX)
                        return -ENAMETOOLONG;
                memcpy(comp, p, n);
                comp[n] = '\0';
                p += n;
                if (STREQ(comp, "."))
                        continue;
                if (STREQ(comp, "..")) {
                        char *slash = strrchr(cur, '/');
                        if (slash)
                                *slash = '\0';
                        continue;
                }
                size_t l = strlen(cur);
                if (l + 1 + n >= sizeof(cur))
                        return -ENAMETOOLONG;
                snprintf(cur + l, sizeof(cur) - l, "/%s", comp);
                snprintf(host, sizeof(host), "%s%s", root, cur);
                struct stat st;
                if (lstat(host, &st) < 0)
                        return -errno;
                if (!S_ISLNK(st.st_mode))
                        continue;
                ssize_t t = readlink(host, target, sizeof(target) - 1);
                if (t < 0)
                        return -errno;
                if (++links > 40)
                        return -ELOOP;
                target[t] = '\0';
                cur[l] = '\0'; /* the link's directory */
                if (target[0] == '/')
                        cur[0] = '\0';
                char tail[2 * PATH_MAX];
                if ((size_t)snprintf(tail, sizeof(tail), "%s/%s", target, p) >= sizeof(tail))
                        return -ENAMETOOLONG;
                strcpy(rest, tail);
                p = rest;
        }
        *ret = strdup(*cur ? cur : "/");
        return *ret ? 0 : -ENOMEM;
}

int root_resolve(const char *root, const char *path, struct stat *ret_st, char **ret_shown)
{
        struct open_how how = {.flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT};
        bool real_root = !root || !*root || STREQ(root, "/");
        char link[64], buf[PATH_MAX + 1], rbuf[PATH_MAX + 1];
        ssize_t n, rn = 1;

        if (ret_shown)
                *ret_shown = NULL;
        _cleanup_close_ int rootfd = open(real_root ? "/" : root, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (rootfd < 0)
                return -errno;
        _cleanup_close_ int fd = (int)syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
        if (fd < 0 && errno == ENOSYS && real_root)
                fd = open(path, O_PATH | O_CLOEXEC); /* a kernel before 5.6: the host's own root */
        if (fd < 0 && errno == ENOSYS) {
                _cleanup_free_ char *in_root = NULL, *host = NULL;
                int r = resolve_in_root_slowly(root, path, &in_root);
                if (r < 0)
                        return r;
                if (!(host = root_path(root, in_root)))
                        return -ENOMEM;
                if (stat(host, ret_st) < 0)
                        return -errno;
                if (ret_shown)
                        *ret_shown = TAKE_PTR(in_root);
                return 0;
        }
        if (fd < 0)
                return -errno;
        if (fstat(fd, ret_st) < 0)
                return -errno;
        if (!ret_shown)
                return 0;
        snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
        if ((n = readlink(link, buf, PATH_MAX)) <= 0)
                return 0;
        buf[n] = '\0';
        rbuf[0] = '/';
        if (!real_root) {
                snprintf(link, sizeof(link), "/proc/self/fd/%d", rootfd);
                if ((rn = readlink(link, rbuf, PATH_MAX)) <= 0)
                        return 0;
                rbuf[rn] = '\0';
        }
        if (real_root)
                *ret_shown = strdup(buf);
        else if (strncmp(buf, rbuf, (size_t)rn) == 0 && buf[rn] == '/')
                *ret_shown = strdup(buf + rn);
        return 0;
}
