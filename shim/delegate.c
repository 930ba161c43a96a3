/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "delegate.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
