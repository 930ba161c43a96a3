/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "rootpath.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "inroot.h"
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

int root_resolve(const char *root, const char *path, struct stat *ret_st, char **ret_shown)
{
        bool real_root = !root || !*root || STREQ(root, "/");
        int r;

        if (ret_shown)
                *ret_shown = NULL;
        _cleanup_close_ int rootfd = open(real_root ? "/" : root, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (rootfd < 0)
                return -errno;
        _cleanup_close_ int fd = -1;
        r = inroot_open(rootfd, path, &fd);
        if (r == -ENOSYS && real_root) {
                /* a kernel before 5.6: the host's own root needs no care */
                if ((fd = open(path, O_PATH | O_CLOEXEC)) < 0)
                        return -errno;
                r = 0;
        }
        if (r == -ENOSYS) {
                _cleanup_free_ char *in_root = NULL, *host = NULL;
                if ((r = inroot_resolve(rootfd, path, true, &in_root)) < 0)
                        return r;
                if (!(host = root_path(root, in_root)))
                        return -ENOMEM;
                if (stat(host, ret_st) < 0)
                        return -errno;
                if (ret_shown)
                        *ret_shown = TAKE_PTR(in_root);
                return 0;
        }
        if (r < 0)
                return r;
        if (fstat(fd, ret_st) < 0)
                return -errno;
        if (!ret_shown)
                return 0;
        _cleanup_free_ char *reached = fd_path(fd), *top = real_root ? strdup("/") : fd_path(rootfd);
        if (reached && top)
                *ret_shown = inroot_path_below(top, reached);
        return 0;
}
