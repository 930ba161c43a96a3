/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* A child of the test in namespaces of its own, held until released:
 * the stand-in for another container (or a user namespace's holder). */
#include <check.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct nschild {
        pid_t pid;
        int hold; /* closing it lets the child exit */
};

/* A child that has unshare()d flags. */
static inline struct nschild nschild_spawn(int flags)
{
        int ready[2], hold[2];
        char b;
        ck_assert_int_eq(pipe(ready), 0);
        ck_assert_int_eq(pipe(hold), 0);
        pid_t pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
                close(ready[0]);
                close(hold[1]);
                if (unshare(flags) < 0 || write(ready[1], "x", 1) != 1)
                        _exit(1);
                while (read(hold[0], &b, 1) > 0)
                        ;
                _exit(0);
        }
        close(ready[1]);
        close(hold[0]);
        ck_assert_int_eq(read(ready[0], &b, 1), 1);
        close(ready[0]);
        return (struct nschild){pid, hold[1]};
}

static inline void nschild_release(struct nschild *c)
{
        int status;
        close(c->hold);
        waitpid(c->pid, &status, 0);
}

/* A child in a user namespace whose uid_map and gid_map are the given
 * ones (NULL: left unwritten). */
static inline struct nschild nschild_userns(const char *uidmap, const char *gidmap)
{
        struct nschild c = nschild_spawn(CLONE_NEWUSER);
        const char *maps[] = {uidmap, gidmap}, *files[] = {"uid_map", "gid_map"};
        for (size_t i = 0; i < 2; i++) {
                char path[64];
                if (!maps[i])
                        continue;
                snprintf(path, sizeof(path), "/proc/%d/%s", (int)c.pid, files[i]);
                int fd = open(path, O_WRONLY | O_CLOEXEC);
                ck_assert_int_ge(fd, 0);
                ck_assert_int_eq(write(fd, maps[i], strlen(maps[i])), (ssize_t)strlen(maps[i]));
                close(fd);
        }
        return c;
}
