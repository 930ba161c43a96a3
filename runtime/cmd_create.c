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
        if (inv->cmd_help) {
                r = handoff(&c);
                goto out;
        }
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
                _cleanup_free_ char *data = NULL;
                size_t len;
                rh_error_clear(&err);
                if (spec_serialize(s, true, &data, &len, &err) < 0 ||
                    spec_write_atomic(dirfd, "config.json", data, len, &st, &err) < 0) {
                        r = checked_fail(&c, "runc-harden: denied by policy: cannot write the fixed config.json in %s: %s",
                                         bundle, rh_error_msg(&err));
                        goto out;
                }
        }
        r = handoff(&c);
out:
        checked_end(&c);
        return r;
}
