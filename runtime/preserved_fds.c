/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "preserved_fds.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

/* Far above any fd table (the kernel's nr_open is 1048576 by default), and
 * small enough that 3 + LISTEN_FDS + N stays an int. */
#define FDS_MAX (1u << 24)

static bool fd_is_open(int fd)
{
        return fcntl(fd, F_GETFD) >= 0;
}

void caller_fds_at_start(struct caller_fds *ret)
{
        long limit = sysconf(_SC_OPEN_MAX);
        int fd = 3;

        *ret = (struct caller_fds){0};
        while ((limit < 0 || fd < limit) && fd_is_open(fd))
                fd++;
        ret->first_gap = fd;
        /* A closed stdio fd is the first one the runtime opens for itself
         * (checked with runc 1.1.5: a closed stdin made the container's
         * stdin its O_PATH fd of the host's /sys/fs/cgroup). /dev/null in
         * its place, inheritable, as glibc does for setuid programs. */
        for (int i = 0; i <= STDERR_FILENO; i++) {
                if (fd_is_open(i))
                        continue;
                int n = open("/dev/null", O_RDWR | O_NOCTTY);
                if (n >= 0 && n != i) {
                        /* cannot happen: lower fds are open by now */
                        close(n);
                        n = -1;
                        errno = EBADF;
                }
                if (n < 0) {
                        ret->stdio_err = errno ?: EBADF;
                        return;
                }
                ret->stdio_filled |= 1u << i;
        }
}

/* Digits only, no leading zero but "0" itself: the one form Go's ParseInt
 * (base 0 or 10), Atoi, strtoul and strtoll all read the same way. */
static int plain_decimal(const char *s, unsigned max, unsigned *ret)
{
        unsigned long long v = 0;

        if (!s || !*s || (s[0] == '0' && s[1]))
                return -EINVAL;
        for (const char *p = s; *p; p++) {
                if (*p < '0' || *p > '9')
                        return -EINVAL;
                v = v * 10 + (unsigned)(*p - '0');
                if (v > max)
                        return -ERANGE;
        }
        *ret = (unsigned)v;
        return 0;
}

int preserve_fds_parse(const char *s, unsigned max, unsigned *ret)
{
        return plain_decimal(s, max, ret);
}

int listen_fds_parse(const char *s, unsigned max, unsigned *ret)
{
        if (!s || !*s) {
                *ret = 0;
                return 0;
        }
        return plain_decimal(s, max, ret);
}

int preserved_fds_judge(const struct caller_fds *cf, const char *preserve, const char *listen_fds, int *ret_end,
                        rh_error_t *err)
{
        unsigned n = 0, l = 0;

        *ret_end = 3;
        if (cf->stdio_err)
                return rh_error_set(err, EPERM,
                                    "the caller left a standard fd closed and /dev/null could not take its place (%s): "
                                    "the runtime would hand the container an fd of its own there",
                                    strerror(cf->stdio_err));
        if (preserve && preserve_fds_parse(preserve, FDS_MAX, &n) < 0)
                return rh_error_set(err, EINVAL,
                                    "--preserve-fds %s cannot be judged: runc and crun read only a plain decimal "
                                    "number the same way",
                                    preserve);
        if (listen_fds_parse(listen_fds, FDS_MAX, &l) < 0)
                return rh_error_set(err, EINVAL,
                                    "LISTEN_FDS=%s cannot be judged: runc and crun read only a plain decimal number "
                                    "the same way",
                                    listen_fds);
        int end = 3 + (int)l + (int)n;
        if (end > cf->first_gap) {
                /* runc passes LISTEN_FDS' fds first, then --preserve-fds' */
                _cleanup_free_ char *what = NULL;
                int k = l && preserve ? asprintf(&what, "LISTEN_FDS=%s with --preserve-fds %s", listen_fds, preserve)
                                      : asprintf(&what, "%s%s", l ? "LISTEN_FDS=" : "--preserve-fds ",
                                                 l ? listen_fds : preserve);
                if (k < 0)
                        what = NULL;
                return rh_error_set(err, EPERM,
                                    "%s would hand the container fd %d, which the caller did not pass to runc-harden "
                                    "(the runtime would pass an fd of its own there)",
                                    what ?: "--preserve-fds", cf->first_gap);
        }
        *ret_end = end;
        return 0;
}

int preserved_fds_recheck(int end, rh_error_t *err)
{
        for (int fd = 3; fd < end; fd++) {
                int flags = fcntl(fd, F_GETFD);
                if (flags < 0 || (flags & FD_CLOEXEC))
                        return rh_error_set(err, EBADF,
                                            "fd %d, to be handed to the container, is no longer the caller's (%s)", fd,
                                            flags < 0 ? "closed" : "close-on-exec");
        }
        return 0;
}
