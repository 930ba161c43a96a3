/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "delegate.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "capture.h"
#include "util.h"

/* What the kernel said about one runtime path, remembered for the life of
 * the process (a runtime wrapper lives for one command). Between the first
 * question and the exec the file could be swapped; runc's own exec of its
 * init has the same window, and the paths are root's to change. */
struct verdict {
        const char *path; /* not owned: argv strings and build constants */
        int stat_errno;   /* 0: st holds the stat() of path */
        struct stat st;
        int access_errno;           /* -1: access(X_OK) not asked yet */
        const char *fallback_tried; /* the system runtime that could not replace it */
};

/* The explicit runtime, the default and the system runtime: three paths at
 * most in one process; a fourth is answered without being remembered. */
static struct verdict verdicts[4];
static size_t n_verdicts;

static const struct stat *self_stat(void)
{
        static int state; /* 0: not asked, 1: st valid, -1: no /proc */
        static struct stat st;

        if (state == 0)
                state = stat("/proc/self/exe", &st) < 0 ? -1 : 1;
        return state > 0 ? &st : NULL;
}

static struct verdict *verdict_of(const char *path)
{
        static struct verdict scratch;
        struct verdict *v;

        for (size_t i = 0; i < n_verdicts; i++)
                if (strcmp(verdicts[i].path, path) == 0)
                        return &verdicts[i];
        v = n_verdicts < sizeof(verdicts) / sizeof(verdicts[0]) ? &verdicts[n_verdicts++] : &scratch;
        *v = (struct verdict){.path = path, .access_errno = -1};
        if (stat(path, &v->st) < 0)
                v->stat_errno = errno;
        return v;
}

/* No /proc: nothing to compare with, and runc would not run either. */
static bool is_self(const struct verdict *v)
{
        const struct stat *self = self_stat();
        return self && v->stat_errno == 0 && self->st_dev == v->st.st_dev && self->st_ino == v->st.st_ino;
}

const char *shim_choose_runtime(const char *explicit_runtime, const char *default_runtime, const char *system_runtime)
{
        struct verdict *def, *sys;

        if (explicit_runtime)
                return explicit_runtime;
        def = verdict_of(default_runtime);
        if (!is_self(def) || !system_runtime)
                return default_runtime;
        sys = verdict_of(system_runtime);
        if (sys->stat_errno == 0 && S_ISREG(sys->st.st_mode) && !is_self(sys))
                return system_runtime;
        def->fallback_tried = system_runtime;
        return default_runtime;
}

int shim_check_not_self(const char *runtime, rh_error_t *err)
{
        const struct verdict *v = verdict_of(runtime);

        if (!self_stat())
                return 0;
        if (v->stat_errno)
                return rh_error_set(err, v->stat_errno, "the runtime %s cannot be used: %s", runtime,
                                    strerror(v->stat_errno));
        if (!is_self(v))
                return 0;
        if (v->fallback_tried)
                return rh_error_set(err, ELOOP,
                                    "the runtime %s is runc-harden itself (installed as the system runc) and %s, "
                                    "where `runc-harden setup system` keeps the real runc, is not a usable runtime; "
                                    "run `runc-harden setup system` again, or point --harden-runtime at the real runc",
                                    runtime, v->fallback_tried);
        return rh_error_set(err, ELOOP, "the runtime %s is runc-harden itself; point --harden-runtime at the real runc",
                            runtime);
}

int shim_check_runtime(const char *runtime, rh_error_t *err)
{
        struct verdict *v = verdict_of(runtime);

        if (v->stat_errno)
                return rh_error_set(err, v->stat_errno, "the runtime %s cannot be used: %s", runtime,
                                    strerror(v->stat_errno));
        if (!S_ISREG(v->st.st_mode))
                return rh_error_set(err, EACCES, "the runtime %s cannot be used: not a regular file", runtime);
        if (v->access_errno < 0)
                v->access_errno = access(runtime, X_OK) < 0 ? errno : 0;
        if (v->access_errno)
                return rh_error_set(err, v->access_errno, "the runtime %s cannot be used: %s", runtime,
                                    strerror(v->access_errno));
        return shim_check_not_self(runtime, err);
}

int shim_exec_delegate(const char *runtime, char **argv, rh_error_t *err)
{
        int r = shim_check_not_self(runtime, err);
        if (r < 0)
                return r;
        argv[0] = (char *)runtime;
        execv(runtime, argv);
        return rh_error_set(err, errno, "cannot execute the runtime %s: %m", runtime);
}

/* --- running the runtime as a child --------------------------------------- */

extern char **environ;

static volatile sig_atomic_t forward_pid;

static void forward_signal(int sig)
{
        int saved = errno;
        pid_t pid = (pid_t)forward_pid;
        if (pid > 0)
                kill(pid, sig);
        errno = saved;
}

void shim_forward_signals_to(pid_t pid)
{
        forward_pid = (sig_atomic_t)pid;
}

/* Signals that report a fault of this process, or that sanitizers and
 * abort() raise: never caught, whatever the child does. */
static bool signal_is_synchronous(int sig)
{
        return sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL || sig == SIGTRAP || sig == SIGSYS ||
               sig == SIGABRT;
}

/* Installs the forwarding handler on every signal that can be caught and
 * is not ignored; *ret_caught: those, which the child gets back at their
 * default (as an exec would give it). Installed once per process. */
static void forwarding_install(sigset_t *ret_caught)
{
        static bool installed;
        static sigset_t caught;

        if (!installed) {
                sigemptyset(&caught);
                for (int sig = 1; sig < NSIG; sig++) {
                        struct sigaction old, sa = {.sa_handler = forward_signal, .sa_flags = SA_RESTART};
                        if (sig == SIGKILL || sig == SIGSTOP || sig == SIGCHLD || signal_is_synchronous(sig))
                                continue;
                        if (sigaction(sig, NULL, &old) < 0 || old.sa_handler == SIG_IGN)
                                continue; /* glibc's own, or ignored: the child inherits it so */
                        sigfillset(&sa.sa_mask);
                        if (sigaction(sig, &sa, NULL) == 0)
                                sigaddset(&caught, sig);
                }
                /* waitpid() needs SIGCHLD not ignored; the runtime (Go)
                 * sets its own handler anyway */
                signal(SIGCHLD, SIG_DFL);
                installed = true;
        }
        *ret_caught = caught;
}

static int spawn(const char *runtime, char **argv, const posix_spawn_file_actions_t *fa, pid_t *ret_pid,
                 rh_error_t *err)
{
        sigset_t all, old, caught;
        posix_spawnattr_t attr;
        int r;

        forwarding_install(&caught);
        sigfillset(&all);
        sigprocmask(SIG_BLOCK, &all, &old);
        if ((r = posix_spawnattr_init(&attr)) != 0) {
                sigprocmask(SIG_SETMASK, &old, NULL);
                return rh_error_set(err, r, "cannot start the runtime %s: %s", runtime, strerror(r));
        }
        posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
        posix_spawnattr_setsigmask(&attr, &old);
        posix_spawnattr_setsigdefault(&attr, &caught);
        argv[0] = (char *)runtime;
        r = posix_spawn(ret_pid, runtime, fa, &attr, argv, environ);
        posix_spawnattr_destroy(&attr);
        if (r == 0)
                forward_pid = (sig_atomic_t)*ret_pid;
        /* pending signals are delivered now, to the child */
        sigprocmask(SIG_SETMASK, &old, NULL);
        if (r != 0)
                return rh_error_set(err, r, "cannot execute the runtime %s: %s", runtime, strerror(r));
        return 0;
}

static int wait_for(pid_t pid, int *ret_status, rh_error_t *err)
{
        int status;
        while (waitpid(pid, &status, 0) < 0)
                if (errno != EINTR) {
                        forward_pid = 0;
                        return rh_error_set(err, errno, "waiting for the runtime: %m");
                }
        forward_pid = 0;
        *ret_status = status;
        return 0;
}

int shim_spawn_delegate(const char *runtime, char **argv, int *ret_status, rh_error_t *err)
{
        pid_t pid;
        int r = shim_check_not_self(runtime, err);

        if (r < 0 || (r = spawn(runtime, argv, NULL, &pid, err)) < 0)
                return r;
        return wait_for(pid, ret_status, err);
}

struct runtime_start {
        const char *runtime;
        char **argv;
        rh_error_t *err;
        bool failed; /* spawn() said why in err */
};

static int start_runtime(void *data, const posix_spawn_file_actions_t *fa, pid_t *ret_pid)
{
        struct runtime_start *rs = data;
        int r = spawn(rs->runtime, rs->argv, fa, ret_pid, rs->err);
        rs->failed = r < 0;
        return r;
}

int shim_run_capture(const char *runtime, char **argv, char **ret_out, char **ret_err, int *ret_status, rh_error_t *err)
{
        struct runtime_start rs = {runtime, argv, err, false};
        _cleanup_free_ char *out = NULL, *errtext = NULL;
        int r = capture_run(start_runtime, &rs, CAPTURE_ERR_KEEP, &out, &errtext, ret_status);

        forward_pid = 0;
        if (r < 0 && rs.failed)
                return r;
        if (r < 0)
                return rh_error_set(err, -r, "running the runtime %s: %s", runtime, strerror(-r));
        if (ret_out)
                *ret_out = TAKE_PTR(out);
        if (ret_err)
                *ret_err = TAKE_PTR(errtext);
        return 0;
}

int shim_exit_code(int status)
{
        if (WIFEXITED(status))
                return WEXITSTATUS(status);
        if (WIFSIGNALED(status))
                return SHIM_EXIT_SIGNALED | WTERMSIG(status);
        return 1;
}

int shim_raise_exit(int code)
{
        if (!(code & SHIM_EXIT_SIGNALED))
                return code;
        int sig = code & 0x7f;
        sigset_t s;
        signal(sig, SIG_DFL);
        sigemptyset(&s);
        sigaddset(&s, sig);
        sigprocmask(SIG_UNBLOCK, &s, NULL);
        raise(sig);
        return 128 + sig;
}
