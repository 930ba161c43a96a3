/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime.h"
#include "spec.h"
#include "util.h"

/* create, run and restore: runc reads config.json from --bundle, else from
 * the working directory (restore builds the container from it as create
 * does, then restores the checkpointed processes into it). The same file is opened here, checked, fixed in
 * place atomically, and then runc reads the result. */
int cmd_create(struct runc_invocation *inv, const char *runtime)
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
        const char *b = inv->bundle && *inv->bundle ? inv->bundle : ".";
        bundle = realpath(b, NULL);
        dirfd = open(b, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dirfd < 0 || !bundle) {
                r = checked_fail(&c, "runc-harden: denied by policy: spec-invalid: the bundle %s cannot be opened: %m",
                                 b);
                goto out;
        }
        if (spec_load_at(dirfd, "config.json", SPEC_CONFIG, &s, &st, &err) >= 0)
                s->bundle = strdup(bundle);
        r = checked_decide(&c, s, &err, CHECK_CONFIG, "config.json", inv->container_id, bundle, &changed);
        if (r > 0)
                goto out;
        if (changed) {
                _cleanup_free_ char *what = NULL;
                if (asprintf(&what, "config.json in %s", bundle) < 0)
                        what = NULL;
                if ((r = checked_write_back(&c, s, dirfd, "config.json", &st, what ?: "config.json")) > 0)
                        goto out;
        }
        r = handoff(&c);
out:
        checked_end(&c);
        return r;
}
