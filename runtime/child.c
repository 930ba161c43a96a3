/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "child.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exit.h"
#include "util.h"

struct sink {
        int fd; /* the read end, -1 once at its end */
        FILE *mem;
        char *buf;
        size_t len;
};

static void sink_done(struct sink *s)
{
        if (s->fd >= 0)
                close(s->fd);
        if (s->mem)
                fclose(s->mem);
        free(s->buf);
}

/* The child: never returns. Every source is first moved above 2, so no
 * dup2() below is a no-op that would leave close-on-exec set (fds 0 to 2
 * may be closed in the parent, and a pipe may have taken one). */
static void child(const struct spawn *sp, int out, int err)
{
        int null = open("/dev/null", O_RDWR | O_CLOEXEC);

        null = null < 0 ? -1 : fcntl(null, F_DUPFD_CLOEXEC, 3);
        out = fcntl(out, F_DUPFD_CLOEXEC, 3);
        err = err < 0 ? (sp->stderr_quiet ? null : STDERR_FILENO) : fcntl(err, F_DUPFD_CLOEXEC, 3);
        if (null < 0 || out < 0 || err < 0 || dup2(null, STDIN_FILENO) < 0 || dup2(out, STDOUT_FILENO) < 0 ||
            (err != STDERR_FILENO && dup2(err, STDERR_FILENO) < 0))
                _exit(EXIT_EXEC_FAILED);
        execve(sp->argv[0], sp->argv, sp->envp ?: environ);
        _exit(EXIT_EXEC_FAILED);
}

/* Reads both pipes as the child writes them, to the end of each. */
static int drain(struct sink *s, size_t n)
{
        for (;;) {
                struct pollfd p[2];
                nfds_t np = 0;
                for (size_t i = 0; i < n; i++)
                        if (s[i].fd >= 0)
                                p[np++] = (struct pollfd){.fd = s[i].fd, .events = POLLIN};
                if (np == 0)
                        return 0;
                if (poll(p, np, -1) < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                for (nfds_t k = 0; k < np; k++) {
                        if (!p[k].revents)
                                continue;
                        struct sink *sk = s[0].fd == p[k].fd ? &s[0] : &s[1];
                        char buf[65536];
                        ssize_t r = read(sk->fd, buf, sizeof(buf));
                        if (r < 0 && errno == EINTR)
                                continue;
                        if (r < 0)
                                return -errno;
                        if (r == 0) {
                                close(TAKE_FD(sk->fd));
                                continue;
                        }
                        if (fwrite(buf, 1, (size_t)r, sk->mem) != (size_t)r)
                                return -ENOMEM;
                }
        }
}

int spawn_capture(const struct spawn *sp, char **ret_out, char **ret_err)
{
        struct sink s[2] = {{.fd = -1}, {.fd = -1}};
        size_t n = ret_err ? 2 : 1;
        int pipes[2][2] = {{-1, -1}, {-1, -1}}, status, r = 0;

        for (size_t i = 0; i < n && r == 0; i++)
                if (pipe2(pipes[i], O_CLOEXEC) < 0 || !(s[i].mem = open_memstream(&s[i].buf, &s[i].len)))
                        r = -errno ?: -ENOMEM;
        pid_t pid = r == 0 ? fork() : -1;
        if (pid == 0)
                child(sp, pipes[0][1], n == 2 ? pipes[1][1] : -1);
        if (pid < 0 && r == 0)
                r = -errno;
        for (size_t i = 0; i < 2; i++) {
                if (pipes[i][1] >= 0)
                        close(pipes[i][1]);
                s[i].fd = pipes[i][0];
        }
        if (pid > 0) {
                /* drain first, then wait; on a read error the child is still
                 * waited for, so none is left behind */
                r = drain(s, n);
                for (size_t i = 0; i < n; i++)
                        if (s[i].fd >= 0)
                                close(TAKE_FD(s[i].fd));
                while (waitpid(pid, &status, 0) < 0)
                        if (errno != EINTR) {
                                r = r ?: -errno;
                                break;
                        }
        }
        for (size_t i = 0; r == 0 && i < n; i++)
                if (fclose(TAKE_PTR(s[i].mem)) != 0 || !s[i].buf)
                        r = -ENOMEM;
        if (r == 0) {
                *ret_out = TAKE_PTR(s[0].buf);
                if (ret_err)
                        *ret_err = TAKE_PTR(s[1].buf);
                r = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        }
        sink_done(&s[0]);
        sink_done(&s[1]);
        return r;
}
