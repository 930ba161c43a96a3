/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>

#include "error.h"

/* The fds a runtime hands the container beyond stdio: runc 1.1.5 and crun
 * 1.8 pass fds 3 .. 3 + LISTEN_FDS + --preserve-fds - 1 of their own fd
 * table, whatever is there. An fd in that range the caller did not open is
 * one the runtime opened for itself: runc's fd 3 is its O_PATH handle on
 * the host's /sys/fs/cgroup, and /proc/self/fd/3/../../.. is the host's
 * "/". So every fd in the range must be one the caller handed to
 * runc-harden, and runc-harden must not have put one of its own there. */

/* The fd table as runc-harden found it, before it opened anything. */
struct caller_fds {
        int first_gap; /* the lowest fd >= 3 that was not open */
        /* stdio the caller left closed (bit n: fd n), since then /dev/null,
         * so that no fd of the runtime's own lands on the container's
         * stdio; stdio_err: errno when that could not be done */
        unsigned stdio_filled;
        int stdio_err;
};

/* Called first thing in main: every fd open then was inherited across
 * the exec that started runc-harden, so it is the caller's. */
void caller_fds_at_start(struct caller_fds *ret);

/* --preserve-fds as runc and crun both read it: runc 1.1.5 declares it a
 * cli.IntFlag (Go's flag.Int, strconv.ParseInt base 0: "0x60" is 96,
 * "010" is 8, "1_0" is 10, "-1" is -1), crun reads it with strtoul base
 * 10 ("0x60" is 0). Only a plain decimal reads the same in both: 0, or
 * digits without a leading zero, at most max. Else -EINVAL. */
int preserve_fds_parse(const char *s, unsigned max, unsigned *ret);

/* LISTEN_FDS as runc (strconv.Atoi, when LISTEN_PID is its pid) and crun
 * (strtoll base 10, always) read it; NULL or "" is 0 for both. Only a
 * plain decimal is judged, as above. */
int listen_fds_parse(const char *s, unsigned max, unsigned *ret);

/* The range the runtime will hand over, [3, *ret_end), judged against the
 * caller's fds: 0, or -EPERM (an fd the caller did not pass: the message
 * names it and the flag) or -EINVAL (a value that cannot be judged).
 * preserve is --preserve-fds' value (NULL: not given); listen_fds the
 * LISTEN_FDS environment variable (NULL: unset). */
int preserved_fds_judge(const struct caller_fds *cf, const char *preserve, const char *listen_fds, int *ret_end,
                        rh_error_t *err);

/* Right before the runtime runs: every fd in [3, end) is still open and
 * inheritable (runc-harden's own fds are all O_CLOEXEC, so one of them
 * there would be closed by the exec and the runtime would fill the gap).
 * 0, or -EBADF with a message naming the fd. */
int preserved_fds_recheck(int end, rh_error_t *err);
