/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "capture.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"

struct sink {
        int fd; /* the read end, -1 at its end */
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

/* A pipe whose ends are above fd 2: with our own stdin or stdout closed, a
 * pipe end there would be replaced by the child's /dev/null or stdout
 * before it is duplicated where it belongs. */
static int pipe_above_stdio(int ret[2])
{
        if (pipe2(ret, O_CLOEXEC) < 0)
                return -errno;
        for (int i = 0; i < 2; i++)
                if (ret[i] <= STDERR_FILENO) {
                        int fd = fcntl(ret[i], F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
                        int e = errno;
                        close(ret[i]);
                        ret[i] = fd;
                        if (fd < 0) {
                                close(ret[1 - i]);
                                return -e;
                        }
                }
        return 0;
}

/* Reads the pipes as the child writes them, to the end of each. */
static int drain(struct sink *s, size_t n)
{
        for (;;) {
                struct pollfd p[2];
                struct sink *of[2];
                nfds_t np = 0;
                for (size_t i = 0; i < n; i++)
                        if (s[i].fd >= 0) {
                                of[np] = &s[i];
                                p[np++] = (struct pollfd){.fd = s[i].fd, .events = POLLIN};
                        }
                if (np == 0)
                        return 0;
                if (poll(p, np, -1) < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                for (nfds_t k = 0; k < np; k++) {
                        char buf[65536];
                        if (!p[k].revents)
                                continue;
                        ssize_t r = read(of[k]->fd, buf, sizeof(buf));
                        if (r < 0 && errno == EINTR)
                                continue;
                        if (r < 0)
                                return -errno;
                        if (r == 0)
                                close(TAKE_FD(of[k]->fd));
                        else if (fwrite(buf, 1, (size_t)r, of[k]->mem) != (size_t)r)
                                return -ENOMEM;
                }
        }
}

int capture_run(capture_start_t start, void *data, capture_err_t err, char **ret_out, char **ret_err, int *ret_status)
{
        struct sink s[2] = {{.fd = -1}, {.fd = -1}};
        size_t n = err == CAPTURE_ERR_KEEP ? 2 : 1;
        int pipes[2][2] = {{-1, -1}, {-1, -1}}, status = 0, r = 0;
        posix_spawn_file_actions_t fa;
        pid_t pid = -1;

        for (size_t i = 0; i < n && r == 0; i++)
                if ((r = pipe_above_stdio(pipes[i])) == 0 && !(s[i].mem = open_memstream(&s[i].buf, &s[i].len)))
                        r = -ENOMEM;
        if (r == 0 && (r = -posix_spawn_file_actions_init(&fa)) == 0) {
                posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
                posix_spawn_file_actions_adddup2(&fa, pipes[0][1], STDOUT_FILENO);
                if (err == CAPTURE_ERR_KEEP)
                        posix_spawn_file_actions_adddup2(&fa, pipes[1][1], STDERR_FILENO);
                else if (err == CAPTURE_ERR_NULL)
                        posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
                r = start(data, &fa, &pid);
                posix_spawn_file_actions_destroy(&fa);
        }
        for (size_t i = 0; i < 2; i++) {
                if (pipes[i][1] >= 0)
                        close(pipes[i][1]);
                s[i].fd = pipes[i][0];
        }
        if (r == 0) {
                /* drain first, then wait; after a read error the child is
                 * still waited for (it ends on the closed pipe) */
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
                if (ret_err && err == CAPTURE_ERR_KEEP)
                        *ret_err = TAKE_PTR(s[1].buf);
                *ret_status = status;
        }
        sink_done(&s[0]);
        sink_done(&s[1]);
        return r;
}

struct program {
        char *const *argv, *const *envp;
};

static int start_program(void *data, const posix_spawn_file_actions_t *fa, pid_t *ret_pid)
{
        const struct program *p = data;
        return -posix_spawn(ret_pid, p->argv[0], fa, NULL, p->argv, p->envp ?: environ);
}

int capture_program(char *const *argv, char *const *envp, capture_err_t err, char **ret_out, char **ret_err)
{
        struct program p = {argv, envp};
        int status, r = capture_run(start_program, &p, err, ret_out, ret_err, &status);

        if (r < 0)
                return r;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
