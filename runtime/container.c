/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "delegate.h"
#include "host.h"
#include "runtime.h"
#include "spec.h"
#include "util.h"
#include "verify.h"
#include "verify_proc.h"

/* The container the runtime has just created (create, and run split into
 * create and start): its state, verifying it, refusing it. cmd_create.c
 * and cmd_run.c both call here. */

/* The runtime's global flags as given, its log sent nowhere (runc appends
 * to --log, where engines read the last error: ours must stay last, and
 * podman wants one record only), then words. NULL-terminated; the strings
 * are borrowed. */
char **runtime_argv(const struct runc_invocation *inv, const char *const *words, size_t n)
{
        char **argv = calloc((size_t)inv->cmd_index + n + 4, sizeof(*argv));
        size_t k = 0;

        if (!argv)
                return NULL;
        argv[k++] = inv->argv[0];
        for (int i = 1; i < inv->cmd_index; i++)
                argv[k++] = inv->argv[i];
        argv[k++] = (char *)"--log";
        argv[k++] = (char *)"/dev/null";
        for (size_t i = 0; i < n; i++)
                argv[k++] = (char *)words[i];
        return argv;
}

/* The container's init process as the runtime's `state` tells it. */
static int init_pid_from_state(struct checked *c, pid_t *ret, rh_error_t *err)
{
        const struct runc_invocation *inv = c->inv;
        const char *words[] = {"state", inv->container_id};
        _cleanup_free_ char **argv = runtime_argv(inv, words, ARRAY_SIZE(words));
        _cleanup_jdoc_ struct jdoc *state = NULL;
        _cleanup_free_ char *text = NULL;
        int64_t pid = 0;
        int status;

        if (!argv)
                return rh_error_set(err, ENOMEM, "out of memory");
        if (shim_run_capture(c->runtime, argv, &text, NULL, &status, err) < 0)
                return -EINVAL;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
                return rh_error_set(err, ENOENT, "%s state %s failed", c->runtime, inv->container_id);
        if (jdoc_parse(text, strlen(text), &state, err) < 0)
                return rh_error_wrap(err, "the container's state");
        if (jv_int64(jv_get_exact(state->root, "pid"), &pid) < 0 || pid <= 0 || pid > INT32_MAX)
                return rh_error_set(err, EINVAL, "the container's state names no process id");
        *ret = (pid_t)pid;
        return 0;
}

/* The state and parent of a process, from the stat file at dirfd/path
 * (after the command name, which may hold anything); -errno. */
static int proc_stat_read(int dirfd, const char *path, char *ret_state, long *ret_ppid)
{
        _cleanup_close_ int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
        char buf[512];
        ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

        if (n <= 0)
                return -ESRCH;
        buf[n] = '\0';
        const char *paren = strrchr(buf, ')');
        if (!paren || sscanf(paren + 1, " %c %ld", ret_state, ret_ppid) != 2)
                return -EINVAL;
        return 0;
}

/* The init process of the container just created is runc-harden's child:
 * the runtime that forked it has exited and runc-harden is its subreaper
 * (container_prepare()). Whatever a pid file or a state says, another
 * process (a twin container's init, swapped into the pid file after runc
 * wrote it) is not this container. */
static int init_is_ours(pid_t pid, rh_error_t *err)
{
        _cleanup_free_ char *path = NULL;
        long ppid = 0;
        char state;

        if (asprintf(&path, "/proc/%d/stat", (int)pid) < 0)
                return rh_error_set(err, ENOMEM, "out of memory");
        int r = proc_stat_read(AT_FDCWD, path, &state, &ppid);
        if (r == -ESRCH)
                return rh_error_set(err, ESRCH, "process %d is gone", (int)pid);
        if (r < 0)
                return rh_error_set(err, EINVAL, "%s cannot be read", path);
        if (ppid != (long)getpid())
                return rh_error_set(err, EPERM,
                                    "process %d is not the init process the runtime just created (its parent is %ld, "
                                    "not runc-harden)",
                                    (int)pid, ppid);
        return 0;
}

void container_prepare(void)
{
        /* the runtime's orphans, the container's init among them, become
         * runc-harden's children when it exits; when runc-harden exits in
         * turn they go on to its own subreaper, as they would have */
        (void)prctl(PR_SET_CHILD_SUBREAPER, 1);
}

/* The container's init process: from --pid-file, which runc writes once
 * the container is created (the engines always pass one), else from the
 * runtime's `state`. runc 1.1.5 makes the name absolute (Go's
 * filepath.Abs) before it changes into the bundle directory, and writes it
 * from there: a name that goes through a /proc link of the process that
 * opens it (/proc/self/cwd, /dev/fd/N) is a different file to runc, and
 * whatever is in runc-harden's is not trusted; `state` tells then. */
static int init_pid_named(struct checked *c, pid_t *ret, rh_error_t *err)
{
        const struct runc_invocation *inv = c->inv;
        _cleanup_free_ char *text = NULL, *name = NULL;
        _cleanup_close_ int fd = -1;
        int64_t pid = 0;
        size_t len;
        char *end;

        if (!inv->create.pid_file)
                return init_pid_from_state(c, ret, err);
        if (!(name = go_abs(inv->create.pid_file)))
                return rh_error_set(err, errno ?: ENOMEM, "the pid file %s: %m", inv->create.pid_file);
        fd = host_open_no_magiclinks(name, O_RDONLY | O_NOCTTY | O_NONBLOCK);
        if (fd == -ELOOP || fd == -ENOSYS)
                return init_pid_from_state(c, ret, err);
        if (fd < 0 || spec_read_fd(fd, &text, &len, err) < 0)
                return fd < 0 ? rh_error_set(err, -fd, "the pid file %s: %s", name, strerror(-fd))
                              : rh_error_wrap(err, "the pid file %s", name);
        errno = 0;
        pid = strtoll(text, &end, 10);
        if (errno || end == text || (*end && *end != '\n') || pid <= 0 || pid > INT32_MAX)
                return rh_error_set(err, EINVAL, "the pid file %s holds no process id", name);
        *ret = (pid_t)pid;
        return 0;
}

/* The pid file runc wrote, removed as runc would name it; not through a
 * /proc link, where the name means another file here. */
static void pid_file_remove(const struct checked *c)
{
        _cleanup_free_ char *name = c->inv->create.pid_file ? go_abs(c->inv->create.pid_file) : NULL;
        _cleanup_close_ int fd = name ? host_open_no_magiclinks(name, O_PATH | O_NOFOLLOW) : -1;

        if (fd >= 0)
                (void)unlink(name);
}

static int init_pid(struct checked *c, pid_t *ret, rh_error_t *err)
{
        int r = init_pid_named(c, ret, err);
        return r < 0 ? r : init_is_ours(*ret, err);
}

/* runc's state directory when --root is not given: root's default (runc
 * 1.1.5: /run/runc; crun: /run/crun). */
static char *runtime_root(const struct checked *c)
{
        const char *base = strrchr(c->runtime, '/');
        base = base ? base + 1 : c->runtime;
        return path_resolve(c->inv->g.root ? c->inv->g.root : strstr(base, "crun") ? "/run/crun" : "/run/runc");
}

/* `runtime delete --force ID`: kills the init process (still blocked before
 * the user's program) and removes the cgroups and the state. NULL when it
 * worked, else what went wrong (malloc'd). */
static char *container_delete(struct checked *c)
{
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        const char *words[] = {"delete", "--force", c->inv->container_id};
        _cleanup_free_ char **argv = runtime_argv(c->inv, words, ARRAY_SIZE(words));
        _cleanup_free_ char *errtext = NULL;
        char *msg = NULL;
        int status;

        if (!argv)
                return strdup("out of memory");
        if (shim_run_capture(c->runtime, argv, NULL, &errtext, &status, &err) < 0)
                return strdup(rh_error_msg(&err));
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
                return NULL;
        errtext[strcspn(errtext, "\n")] = '\0';
        if (asprintf(&msg, "exit status %d%s%s", WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status),
                     *errtext ? ": " : "", errtext) < 0)
                msg = NULL;
        return msg;
}

void container_delete_quietly(struct checked *c)
{
        free(container_delete(c));
}

/* Up to a second for the killed init process to be gone (a zombie
 * counts: whoever holds it then reaps it, runc-harden's own subreaper once
 * runc-harden exits). Its /proc directory, opened before, says when it has
 * exited. */
static void init_wait_gone(const struct verify_proc *vp)
{
        for (int i = 0; i < 100; i++) {
                char state;
                long ppid;
                int r = proc_stat_read(vp->procfd, "stat", &state, &ppid);
                if (r == -ESRCH || (r == 0 && (state == 'Z' || state == 'X')))
                        return;
                usleep(10000);
        }
}

/* Refuses the created container: kills its init process (still blocked
 * before the user's program), deletes it unless its cgroup is shared (see
 * verify_cgroup_is_shared()), removes the pid file runc wrote (a failed
 * create writes none), logs msg. vp: the init process's /proc directory,
 * NULL when it was never found. */
static int container_refuse(struct checked *c, const char *msg, const struct verify_proc *vp, bool shared_cgroup)
{
        _cleanup_free_ char *failed = NULL;
        struct stat st;

        /* through the /proc directory opened before: a pid that was reused
         * since fails here (ESRCH) and is left alone */
        if (vp && vp->f && vp->procfd >= 0 && fstatat(vp->procfd, "stat", &st, 0) == 0 &&
            kill(vp->f->pid, SIGKILL) == 0)
                init_wait_gone(vp);
        pid_file_remove(c);
        if (shared_cgroup)
                return checked_fail(c,
                                    "%s; its init process is killed, and `%s delete` is not run: the container's "
                                    "cgroup holds other processes, which runc delete would kill as well",
                                    msg, c->runtime);
        if ((failed = container_delete(c)))
                return checked_fail(c, "%s; deleting the container failed (%s): it is left stopped, never started", msg,
                                    failed);
        rh_log_write(&c->log, "error", msg);
        return EXIT_DENIED;
}

int container_verify(struct checked *c, struct spec *s, const char *bundle, pid_t *ret_pid)
{
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        _cleanup_(verify_facts_done) struct verify_facts f = {0};
        _cleanup_(verify_proc_done) struct verify_proc vp = VERIFY_PROC_INIT;
        _cleanup_eval_ struct eval ev = {0};
        _cleanup_free_ char *msg = NULL, *what = NULL;
        struct verify_probe probe;
        bool enforce = c->mode == MODE_ENFORCE;
        pid_t pid = 0;

        f.id = c->inv->container_id;
        f.bundle = bundle;
        f.runtime = c->runtime;
        f.runtime_root = runtime_root(c);
        int r = init_pid(c, &pid, &err);
        if (r >= 0 && ret_pid)
                *ret_pid = pid;
        if (r < 0 || verify_proc_collect(pid, &f, &vp, &err) < 0) {
                if (asprintf(&msg, "runc-harden: %scontainer %s: cannot be verified: %s",
                             enforce ? "" : "dry-run: ", f.id, rh_error_msg(&err)) < 0)
                        msg = NULL;
                if (!enforce) {
                        rh_log_write(&c->log, "warning", msg ?: "runc-harden: dry-run: cannot verify the container");
                        return 0;
                }
                /* what was read of its cgroup still says whether runc
                 * delete may run */
                bool shared = false;
                if (vp.f && f.cgroups.n > 0) {
                        verify_proc_probe(&vp, &probe);
                        shared = verify_cgroup_is_shared(&f, &probe);
                }
                return container_refuse(c, msg ?: "runc-harden: the container cannot be verified",
                                        vp.procfd >= 0 ? &vp : NULL, shared);
        }
        verify_proc_probe(&vp, &probe);
        if (verify_judge(c->policy, s, &f, &probe, &ev, &err) < 0)
                return container_refuse(c, "runc-harden: out of memory while verifying the container", &vp,
                                        verify_cgroup_is_shared(&f, &probe));
        if (asprintf(&what, "/proc/%d", (int)pid) < 0)
                what = NULL;
        /* A container that is what it should be adds nothing to the log or
         * the audit log: the create's record stands for it. */
        if (ev.n > 0)
                checked_log_verification(c, &ev, s, what ?: "/proc", f.id, bundle);
        if (eval_verdict(&ev) != VERDICT_DENY || !enforce)
                return 0;
        msg = verify_message(&ev, f.id, false);
        return container_refuse(c, msg ?: "runc-harden: the container is not what the policy allows", &vp,
                                verify_cgroup_is_shared(&f, &probe));
}
