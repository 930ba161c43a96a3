/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "exec_flags.h"
#include "runtime.h"
#include "spec.h"
#include "update_flags.h"
#include "util.h"

/* runc reads "--resources -" from stdin, which runc-harden consumes to
 * check it. The same bytes are put back as runc's stdin through a memfd,
 * so runc reads exactly what was checked. */
static int restore_stdin(const char *buf, size_t len, rh_error_t *err)
{
        _cleanup_close_ int fd = memfd_create("runc-harden-resources", MFD_CLOEXEC);
        size_t off = 0;

        if (fd < 0)
                return rh_error_set(err, errno, "memfd_create: %m");
        while (off < len) {
                ssize_t w = write(fd, buf + off, len - off);
                if (w < 0 && errno == EINTR)
                        continue;
                if (w < 0)
                        return rh_error_set(err, errno, "writing the resources back: %m");
                off += (size_t)w;
        }
        if (lseek(fd, 0, SEEK_SET) < 0 || dup2(fd, STDIN_FILENO) < 0)
                return rh_error_set(err, errno, "replacing stdin: %m");
        return 0;
}

static int check_resources(struct checked *c, const char *buf, size_t len, const char *what, const char *doc)
{
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT, config_err = RH_ERROR_INIT;
        _cleanup_spec_ struct spec *s = NULL, *config = NULL;
        bool changed;

        if (spec_parse(buf, len, SPEC_RESOURCES, &s, &err) < 0) {
                rh_error_wrap(&err, "%s", what);
                s = NULL;
        }
        /* A per-workload entry applies to the container's updates too: the
         * workload is its config.json's (asked of the runtime only when the
         * policy has entries; without it the policy's own rules apply). */
        if (s && c->policy->n_workloads && exec_container_config(c->inv, c->runtime, &config, &config_err) == 0)
                s->container = config;
        int r = checked_decide(c, s, &err, CHECK_UPDATE, doc, c->inv->container_id, NULL, &changed);
        if (r > 0)
                return r;
        /* Resource rules deny rather than rewrite an update: a limit the
         * operator asked for is never silently replaced. */
        if (changed)
                return checked_fail(c, "runc-harden: denied by policy: an update is never rewritten; "
                                       "fix the requested resources");
        return 0;
}

/* Without --resources runc builds the resources from its flags; the same
 * document is built and judged here. runc reads the flags itself, so
 * nothing is handed back to it. */
static int check_flags(struct checked *c)
{
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        _cleanup_free_ char *json = NULL;
        size_t len = 0;
        bool changed;

        /* A value that cannot be judged denies (in dry-run it is logged and
         * runc refuses it itself). */
        if (update_flags_resources(c->inv->update_flags, c->inv->n_update_flags, &json, &len, &err) < 0)
                return checked_decide(c, NULL, &err, CHECK_UPDATE, "the update flags", c->inv->container_id, NULL,
                                      &changed);
        return check_resources(c, json, len, "the update flags", "the update flags");
}

int cmd_update(struct runc_invocation *inv, const char *runtime)
{
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        _cleanup_free_ char *buf = NULL;
        struct checked c;
        size_t len = 0;
        int r;

        if ((r = checked_begin(&c, inv, runtime)) > 0)
                goto out;
        /* update.go: an empty --resources is no --resources */
        if (!inv->resources || !*inv->resources) {
                if ((r = check_flags(&c)) > 0)
                        goto out;
        } else {
                bool from_stdin = STREQ(inv->resources, "-");
                _cleanup_close_ int fd = -1;
                /* A resources file is opened like config.json: no symlink
                 * to follow elsewhere, only a regular file. */
                if (from_stdin || spec_open_regular(AT_FDCWD, inv->resources, &fd, NULL, &err) >= 0)
                        spec_read_fd(from_stdin ? STDIN_FILENO : fd, &buf, &len, &err);
                if (err.code) {
                        bool changed;
                        rh_error_wrap(&err, "%s", inv->resources);
                        r = checked_decide(&c, NULL, &err, CHECK_UPDATE, "the update resources", inv->container_id,
                                           NULL, &changed);
                        /* A dry run hands a file runc-harden cannot read to
                         * runc, which reports it; stdin read in part cannot
                         * be given back as it was. */
                        if (r == 0 && from_stdin)
                                r = checked_fail(&c, "runc-harden: cannot hand on the update resources from stdin: %s",
                                                 rh_error_msg(&err));
                        if (r == 0)
                                r = handoff(&c);
                        goto out;
                }
                if ((r = check_resources(&c, buf, len, inv->resources, "the update resources")) > 0)
                        goto out;
                if (from_stdin && restore_stdin(buf, len, &err) < 0) {
                        r = checked_fail(&c, "runc-harden: %s", rh_error_msg(&err));
                        goto out;
                }
        }
        r = handoff(&c);
out:
        checked_end(&c);
        return r;
}
