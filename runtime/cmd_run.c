/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "delegate.h"
#include "runtime.h"
#include "util.h"

/* runc run is create and start in one command, with no moment between them
 * to look at the container before the user's program runs. So run is split
 * into what it does anyway: create (the same flags), verify, start and,
 * without --detach, wait for the container and delete it (unless --keep),
 * as runc 1.1.5's run does:
 *   - stdio: the container inherits it (runc run gives a foreground
 *     container without a terminal pipes that it copies; the bytes are the
 *     same, the file types are not);
 *   - a terminal (process.terminal): runc-harden receives the pty through a
 *     console socket of its own, sets its terminal raw and copies both ways,
 *     resizing on SIGWINCH, as runc run does;
 *   - every other signal goes to the container's init process; the exit
 *     status is the container's (128 + signal when it was killed);
 *   - a container that cannot be started is deleted, as run deletes it. */

struct run_argv {
        char **v;
        size_t n;
};

static int argv_add(struct run_argv *a, const char *s)
{
        char **v = realloc(a->v, (a->n + 2) * sizeof(*v));
        if (!v)
                return -ENOMEM;
        a->v = v;
        a->v[a->n++] = (char *)s;
        a->v[a->n] = NULL;
        return 0;
}

/* globals + "create" + run's flags that create knows + the id; console: a
 * console socket of runc-harden's own, for a foreground terminal. */
static char **create_argv(const struct runc_invocation *inv, const char *console)
{
        const struct runc_create_flags *f = &inv->create;
        struct run_argv a = {0};
        int k = 0;

        for (int i = 0; i < inv->cmd_index; i++)
                k = k ?: argv_add(&a, inv->argv[i]);
        k = k ?: argv_add(&a, "create");
        if (inv->bundle)
                k = k ?: argv_add(&a, "--bundle") ?: argv_add(&a, inv->bundle);
        if (console || f->console_socket)
                k = k ?: argv_add(&a, "--console-socket") ?: argv_add(&a, console ?: f->console_socket);
        if (f->pid_file)
                k = k ?: argv_add(&a, "--pid-file") ?: argv_add(&a, f->pid_file);
        if (f->no_pivot)
                k = k ?: argv_add(&a, "--no-pivot");
        if (f->no_new_keyring)
                k = k ?: argv_add(&a, "--no-new-keyring");
        if (f->preserve_fds)
                k = k ?: argv_add(&a, "--preserve-fds") ?: argv_add(&a, f->preserve_fds);
        k = k ?: argv_add(&a, inv->container_id);
        if (k < 0) {
                free(a.v);
                return NULL;
        }
        return a.v;
}

/* globals + word + the id */
static char **command_argv(const struct runc_invocation *inv, const char *word)
{
        struct run_argv a = {0};
        int k = 0;

        for (int i = 0; i < inv->cmd_index; i++)
                k = k ?: argv_add(&a, inv->argv[i]);
        k = k ?: argv_add(&a, word) ?: argv_add(&a, inv->container_id);
        if (k < 0) {
                free(a.v);
                return NULL;
        }
        return a.v;
}

/* --- the terminal ------------------------------------------------------- */

struct console {
        char dir[64], path[96];
        int listen_fd, master;
        int host; /* the terminal runc-harden runs on, -1 when none */
        bool have_saved;
        struct termios saved;
};

#define CONSOLE_INIT                                                                                                   \
        {                                                                                                              \
                .listen_fd = -1, .master = -1, .host = -1                                                              \
        }

static void console_done(struct console *t)
{
        if (t->have_saved)
                tcsetattr(t->host, TCSANOW, &t->saved);
        if (t->host > STDERR_FILENO)
                close(t->host);
        if (t->master >= 0)
                close(t->master);
        if (t->listen_fd >= 0)
                close(t->listen_fd);
        if (t->path[0])
                unlink(t->path);
        if (t->dir[0])
                rmdir(t->dir);
        *t = (struct console)CONSOLE_INIT;
}

/* A socket in a directory only root can enter, for the runtime to send the
 * container's pty master to. */
static int console_listen(struct console *t)
{
        struct sockaddr_un sa = {.sun_family = AF_UNIX};

        snprintf(t->dir, sizeof(t->dir), "/tmp/runc-harden-console.XXXXXX");
        if (!mkdtemp(t->dir)) {
                t->dir[0] = '\0';
                return -errno;
        }
        snprintf(t->path, sizeof(t->path), "%s/sock", t->dir);
        snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", t->path);
        t->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (t->listen_fd < 0 || bind(t->listen_fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
            listen(t->listen_fd, 1) < 0)
                return -errno;
        return 0;
}

/* The runtime connected and sent the master while creating: it waits in the
 * backlog. */
static int console_receive(struct console *t)
{
        char data[256], ctl[CMSG_SPACE(sizeof(int))];
        struct iovec iov = {.iov_base = data, .iov_len = sizeof(data)};
        struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = sizeof(ctl)};
        struct pollfd p = {.fd = t->listen_fd, .events = POLLIN};

        if (poll(&p, 1, 0) != 1)
                return -ENOTCONN;
        _cleanup_close_ int conn = accept4(t->listen_fd, NULL, NULL, SOCK_CLOEXEC);
        if (conn < 0 || recvmsg(conn, &msg, MSG_CMSG_CLOEXEC) < 0)
                return -errno;
        struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
        if (!c || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS || c->cmsg_len != CMSG_LEN(sizeof(int)))
                return -EBADMSG;
        memcpy(&t->master, CMSG_DATA(c), sizeof(int));
        return 0;
}

/* runc's: the first of stderr, stdout, stdin that is a terminal, else the
 * controlling terminal; raw. The pty does not turn "\n" into "\r\n" (the
 * host terminal, raw, does not either). */
static void console_setup(struct console *t)
{
        struct termios raw;

        for (int fd = STDERR_FILENO; fd >= STDIN_FILENO && t->host < 0; fd--)
                if (isatty(fd))
                        t->host = fd;
        if (t->host < 0)
                t->host = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (tcgetattr(t->master, &raw) == 0) {
                raw.c_oflag &= ~(tcflag_t)ONLCR;
                tcsetattr(t->master, TCSANOW, &raw);
        }
        if (t->host < 0 || tcgetattr(t->host, &t->saved) < 0)
                return;
        t->have_saved = true;
        raw = t->saved;
        cfmakeraw(&raw);
        tcsetattr(t->host, TCSANOW, &raw);
}

static volatile sig_atomic_t winch;

static void on_winch(int sig)
{
        (void)sig;
        winch = 1;
}

static void console_resize(const struct console *t)
{
        struct winsize ws;
        if (t->host >= 0 && ioctl(t->host, TIOCGWINSZ, &ws) == 0)
                ioctl(t->master, TIOCSWINSZ, &ws);
}

static bool copy_once(int from, int to)
{
        char buf[8192];
        ssize_t n = read(from, buf, sizeof(buf));
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
                return true;
        if (n <= 0)
                return false;
        for (ssize_t o = 0; o < n;) {
                ssize_t w = write(to, buf + o, (size_t)(n - o));
                if (w < 0 && errno == EINTR)
                        continue;
                if (w <= 0)
                        return true; /* the reader is gone: drop, keep draining */
                o += w;
        }
        return true;
}

/* Copies stdin to the pty and the pty to stdout until the container has
 * exited and its terminal is drained; *ret_status: its wait status. */
static void console_proxy(struct console *t, pid_t init, int *ret_status)
{
        bool in_open = true, exited = false;

        console_resize(t);
        for (;;) {
                struct pollfd p[2] = {{.fd = t->master, .events = POLLIN}, {.fd = in_open ? 0 : -1, .events = POLLIN}};
                if (winch) {
                        winch = 0;
                        console_resize(t);
                }
                int n = poll(p, 2, exited ? 50 : 200);
                if (n < 0 && errno != EINTR)
                        break;
                if (n > 0 && p[0].revents && !copy_once(t->master, STDOUT_FILENO))
                        break; /* EIO: every end of the container's terminal is closed */
                if (n > 0 && p[1].revents && !copy_once(STDIN_FILENO, t->master))
                        in_open = false;
                if (!exited && waitpid(init, ret_status, WNOHANG) == init)
                        exited = true;
                else if (exited && n == 0)
                        break; /* exited, and nothing left to read */
        }
        while (!exited && waitpid(init, ret_status, 0) < 0 && errno == EINTR)
                ;
}

/* --- run ----------------------------------------------------------------- */

/* The container's exit status, as runc run returns it. */
static int container_exit_code(int status)
{
        if (WIFEXITED(status))
                return WEXITSTATUS(status);
        if (WIFSIGNALED(status))
                return 128 + WTERMSIG(status);
        return 1;
}

static int wait_container(pid_t init)
{
        int status = 0;
        while (waitpid(init, &status, 0) < 0)
                if (errno != EINTR)
                        return 1;
        return container_exit_code(status);
}

/* Orphans of the container's processes that came to runc-harden as their
 * subreaper. */
static void reap_orphans(void)
{
        while (waitpid(-1, NULL, WNOHANG) > 0)
                ;
}

static bool spec_terminal(const struct spec *s)
{
        const struct jv *t = jv_get(jv_get(s->root, "process"), "terminal");
        return jv_is(t, JV_BOOL) && t->u.b;
}

int run_verified(struct checked *c, struct spec *s, const char *bundle)
{
        const struct runc_invocation *inv = c->inv;
        _cleanup_(console_done) struct console con = CONSOLE_INIT;
        bool tty = !inv->create.detach && s && spec_terminal(s);
        pid_t init = 0;
        int status, r;

        /* No spec to read process.terminal from (dry-run of a spec that
         * could not be judged): runc's own run. */
        if (!s && !inv->create.detach)
                return handoff(c);
        if (tty && console_listen(&con) < 0)
                return checked_fail(c, "runc-harden: cannot make a console socket for run: %m");
        _cleanup_free_ char **create = create_argv(inv, tty ? con.path : NULL);
        _cleanup_free_ char **start = command_argv(inv, "start");
        if (!create || !start)
                return checked_fail(c, "runc-harden: out of memory");
        /* The init process becomes runc-harden's child when the runtime
         * exits, so that verification knows it and run can wait for it. */
        container_prepare();
        if ((r = handoff_wait(c, create, &status)) > 0)
                return r;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
                return shim_exit_code(status);
        if (tty && console_receive(&con) < 0) {
                container_delete_quietly(c);
                return checked_fail(c, "runc-harden: the runtime sent no terminal to the console socket");
        }
        if ((r = container_verify(c, s, bundle, &init)) != 0)
                return r;
        if (tty)
                console_setup(&con);
        if ((r = handoff_wait(c, start, &status)) > 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
                container_delete_quietly(c);
                return r > 0 ? r : shim_exit_code(status);
        }
        if (inv->create.detach)
                return 0;
        if (init <= 0) /* dry-run: no init process was found; runc knows it */
                return 0;
        /* runc run resizes on SIGWINCH and sends the container every other
         * signal */
        struct sigaction sa = {.sa_handler = on_winch}, old;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGWINCH, &sa, &old);
        shim_forward_signals_to(init);
        if (tty) {
                console_proxy(&con, init, &status);
                r = container_exit_code(status);
        } else {
                r = wait_container(init);
        }
        shim_forward_signals_to(0);
        sigaction(SIGWINCH, &old, NULL);
        reap_orphans();
        if (!inv->create.keep)
                container_delete_quietly(c);
        return r;
}
