/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exec_flags.h"
#include "runtime.h"
#include "spec.h"
#include "util.h"

/* --cgroup is no part of the process document: the rules see it beside
 * it, whichever way the process is given (kernel-mounts judges it). */
static void exec_cgroups_attach(const struct checked *c, struct spec *s)
{
        s->exec_cgroups = c->inv->exec.cgroups;
        s->n_exec_cgroups = (size_t)c->inv->exec.n_cgroups;
        s->runtime = c->runtime;
}

/* Whether the process is refused on its own. */
static bool refused_alone(struct checked *c, struct spec *s)
{
        _cleanup_eval_ struct eval ev = {0};
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;

        return engine_evaluate(c->policy, s, CHECK_EXEC, &ev, &err) < 0 || eval_verdict(&ev) == VERDICT_DENY;
}

/* exec --process FILE: engines (docker exec, ctr, podman) describe the new
 * process in a file; it gets the process-level rules, and a fixed process
 * is written back to the same file before runc reads it. runc takes such a
 * file as it is (no rlimits from the container's config.json), so the rules
 * also see the container's config (asked of the runtime only for a file
 * that could be read): a process that cannot be compared with its
 * container is not judged, and is refused. */
static int exec_process_file(struct checked *c, const char *file)
{
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT, config_err = RH_ERROR_INIT;
        _cleanup_spec_ struct spec *s = NULL, *config = NULL;
        _cleanup_free_ char *dir_copy = strdup(file), *base_copy = strdup(file);
        _cleanup_close_ int dirfd = -1;
        struct stat st;
        bool changed;
        int r;

        if (!dir_copy || !base_copy)
                return checked_fail(c, "runc-harden: out of memory");
        const char *dir = dirname(dir_copy), *base = basename(base_copy);
        dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dirfd < 0)
                rh_error_set(&err, errno, "cannot open %s: %m", dir);
        else if (spec_load_at(dirfd, base, SPEC_PROCESS, &s, &st, &err) >= 0)
                exec_cgroups_attach(c, s);
        if (err.code) {
                rh_error_wrap(&err, "%s", file);
        } else if (refused_alone(c, s)) {
                /* what the container has cannot lift a denial: the runtime
                 * is not asked about a process that is refused anyway */
        } else if (exec_container_config(c->inv, c->runtime, &config, &config_err) < 0) {
                spec_free(TAKE_PTR(s));
                rh_error_set(&err, config_err.code ?: EINVAL, "the container's config.json: %s",
                             rh_error_msg(&config_err));
        } else {
                s->container = config;
        }
        r = checked_decide(c, s, &err, CHECK_EXEC, "the exec process", c->inv->container_id, NULL, &changed);
        if (r > 0 || !changed)
                return r;
        _cleanup_free_ char *what = NULL;
        if (asprintf(&what, "process file %s", file) < 0)
                what = NULL;
        return checked_write_back(c, s, dirfd, base, &st, what ?: "process file");
}

/* exec without --process: the process runc would build from config.json
 * and the flags is checked, and in enforce mode runc gets that checked
 * (and fixed) process as its --process instead of the flags. */
static int exec_from_flags(struct checked *c)
{
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        _cleanup_spec_ struct spec *s = NULL, *config = NULL;
        bool changed;
        char **argv;
        int r;

        if (exec_container_config(c->inv, c->runtime, &config, &err) < 0)
                config = NULL;
        else if (exec_flags_process(c->inv, config, &s, &err) < 0)
                s = NULL;
        else {
                s->container = config;
                exec_cgroups_attach(c, s);
        }
        r = checked_decide(c, s, &err, CHECK_EXEC, "the exec process", c->inv->container_id, NULL, &changed);
        if (r > 0 || !s || c->mode != MODE_ENFORCE)
                return r;
        rh_error_clear(&err);
        if (exec_flags_handoff_argv(c->inv, s, c->fds_end, &argv, &err) < 0)
                return checked_fail(c, "runc-harden: denied by policy: cannot hand over the checked process: %s",
                                    rh_error_msg(&err));
        free(c->inv->argv);
        c->inv->argv = argv;
        return 0;
}

int cmd_exec(struct runc_invocation *inv, const char *runtime, const struct caller_fds *fds)
{
        struct checked c;
        int r;

        if ((r = checked_begin(&c, inv, runtime)) > 0 ||
            (r = checked_preserved_fds(&c, fds, inv->exec.preserve_fds)) > 0)
                goto out;
        /* runc-harden's main hands "exec --help" to runc before this. */
        if (inv->exec.process)
                r = exec_process_file(&c, inv->exec.process);
        else
                r = exec_from_flags(&c);
        if (r == 0)
                r = handoff(&c);
out:
        checked_end(&c);
        return r;
}
