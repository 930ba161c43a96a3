/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "delegate.h"

#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

int shim_check_not_self(const char *runtime, rh_error_t *err)
{
        struct stat self, target;

        if (stat("/proc/self/exe", &self) < 0)
                return 0; /* no /proc: nothing to compare with */
        if (stat(runtime, &target) < 0)
                return rh_error_set(err, errno, "the runtime %s cannot be used: %m", runtime);
        if (self.st_dev == target.st_dev && self.st_ino == target.st_ino)
                return rh_error_set(err, ELOOP,
                                    "the runtime %s is runc-harden itself; point --harden-runtime at the real runc",
                                    runtime);
        return 0;
}

int shim_check_runtime(const char *runtime, rh_error_t *err)
{
        struct stat st;

        if (stat(runtime, &st) < 0)
                return rh_error_set(err, errno, "the runtime %s cannot be used: %m", runtime);
        if (!S_ISREG(st.st_mode))
                return rh_error_set(err, EACCES, "the runtime %s cannot be used: not a regular file", runtime);
        if (access(runtime, X_OK) < 0)
                return rh_error_set(err, errno, "the runtime %s cannot be used: %m", runtime);
        return shim_check_not_self(runtime, err);
}

int shim_exec_delegate(const char *runtime, char **argv, rh_error_t *err)
{
        int r = shim_check_not_self(runtime, err);
        if (r < 0)
                return r;
        argv[0] = (char *) runtime;
        execv(runtime, argv);
        return rh_error_set(err, errno, "cannot execute the runtime %s: %m", runtime);
}
