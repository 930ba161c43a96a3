/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
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

/* Verifying is on in the policy, and the command is one whose container
 * waits before the user's program (create; run, which is split). */
static bool verified(const struct checked *c)
{
        const struct runc_invocation *inv = c->inv;
        return c->policy->verify && (inv->cmd == RUNC_CMD_CREATE || inv->cmd == RUNC_CMD_RUN);
}

/* create: the runtime as a child, its exit status and output passed on;
 * once it has created the container, the container is verified. */
static int create_verified(struct checked *c, struct spec *s, const char *bundle)
{
        int status, r;

        container_prepare();
        if ((r = handoff_wait(c, c->inv->argv, &status)) > 0)
                return r;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
                return shim_exit_code(status);
        return container_verify(c, s, bundle, NULL);
}

/* create, run and restore: runc reads config.json from --bundle, else from
 * the working directory (restore builds the container from it as create
 * does, then restores the checkpointed processes into it). The same file is
 * opened here, checked, fixed in place atomically, and then runc reads the
 * result. After create, what runc built is verified (docs/verify.md). */
int cmd_create(struct runc_invocation *inv, const char *runtime, const struct caller_fds *fds)
{
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        _cleanup_spec_ struct spec *s = NULL;
        _cleanup_free_ char *bundle = NULL;
        _cleanup_close_ int dirfd = -1;
        struct checked c;
        struct stat st;
        bool changed;
        int r;

        if ((r = checked_begin(&c, inv, runtime)) > 0)
                goto out;
        /* restore has no --preserve-fds in runc 1.1.5, but takes
         * LISTEN_FDS as create does */
        if ((r = checked_preserved_fds(&c, fds, inv->cmd == RUNC_CMD_RESTORE ? NULL : inv->create.preserve_fds)) > 0)
                goto out;
        const char *b = inv->bundle && *inv->bundle ? inv->bundle : ".";
        bundle = realpath(b, NULL);
        dirfd = open(b, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        /* spec-invalid like an unreadable config.json: refused when
         * enforcing, and in dry-run runc answers it itself. */
        if (dirfd < 0 || !bundle)
                rh_error_set(&err, errno, "the bundle %s cannot be opened: %m", b);
        else if (spec_load_at(dirfd, "config.json", SPEC_CONFIG, &s, &st, &err) >= 0) {
                s->bundle = strdup(bundle);
                s->id = inv->container_id;
        }
        r = checked_decide(&c, s, &err, CHECK_CONFIG, "config.json", inv->container_id, bundle ?: b, &changed);
        if (r > 0)
                goto out;
        if (changed) {
                _cleanup_free_ char *what = NULL;
                if (asprintf(&what, "config.json in %s", bundle) < 0)
                        what = NULL;
                if ((r = checked_write_back(&c, s, dirfd, "config.json", &st, what ?: "config.json")) > 0)
                        goto out;
        }
        if (!verified(&c))
                r = handoff(&c);
        else if (inv->cmd == RUNC_CMD_RUN)
                r = run_verified(&c, s, bundle);
        else
                r = create_verified(&c, s, bundle);
out:
        checked_end(&c);
        return r;
}
