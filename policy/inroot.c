/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "inroot.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util.h"

int inroot_openat(int rootfd, const char *path, int flags)
{
        struct open_how how = {
                .flags = (uint64_t)flags | O_CLOEXEC,
                .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
        };

        return (int)syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
}

int inroot_open(int rootfd, const char *path, int *ret_fd)
{
        int fd = inroot_openat(rootfd, path, O_PATH);

        if (fd < 0)
                return -errno;
        *ret_fd = fd;
        return 0;
}

char *fd_path(int fd)
{
        char link[64], buf[PATH_MAX];
        ssize_t n;

        snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
        if ((n = readlink(link, buf, sizeof(buf) - 1)) <= 0 || buf[0] != '/')
                return NULL;
        buf[n] = '\0';
        return strdup(buf);
}

char *inroot_path_below(const char *root, const char *path)
{
        size_t n = strlen(root);

        if (STREQ(root, "/"))
                return strdup(path);
        if (strncmp(path, root, n) != 0 || (path[n] != '/' && path[n] != '\0'))
                return NULL;
        return strdup(path[n] ? path + n : "/");
}

int inroot_resolve(int rootfd, const char *path, bool follow, char **ret)
{
        _cleanup_free_ char *todo = strdup(path), *out = malloc(PATH_MAX);
        char target[PATH_MAX];
        size_t o = 0;
        unsigned links = 0;

        if (!todo || !out)
                return -ENOMEM;
        for (char *p = todo; *p;) {
                while (*p == '/')
                        p++;
                size_t n = strcspn(p, "/");
                if (n == 0)
                        break;
                bool last = p[n] == '\0' || p[n + strspn(p + n, "/")] == '\0';
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
                size_t prev = o;
                out[o] = '/';
                memcpy(out + o + 1, p, n);
                o += 1 + n;
                out[o] = '\0';
                p += n;
                if (last && !follow)
                        break;
                ssize_t k = readlinkat(rootfd, out + 1, target, sizeof(target) - 1);
                if (k < 0) {
                        if (errno == EINVAL)
                                continue; /* not a symlink */
                        return -errno;
                }
                if (++links > 40)
                        return -ELOOP;
                target[k] = '\0';
                /* the target, then what was left of the path */
                char *next = NULL;
                if (asprintf(&next, "%s/%s", target, p) < 0)
                        return -ENOMEM;
                free(todo);
                todo = next;
                p = todo;
                o = target[0] == '/' ? 0 : prev;
        }
        if (o == 0)
                out[o++] = '/';
        out[o] = '\0';
        *ret = TAKE_PTR(out);
        return 0;
}
