/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "inroot.h"
#include "rules.h"
#include "ssh_command.h"
#include "util.h"

/* ssh-server: the container's command line starts an SSH daemon, or its
 * root file system holds one. */

static int check_ssh_args(struct rule_ctx *ctx, const struct jv *proc)
{
        const struct ssh_command_names names = {rule_param_strings(ctx, "daemons"),
                                                rule_param_strings(ctx, "services")};
        struct jv *args = NULL;
        char daemon[SSH_COMMAND_WHAT_LEN];
        int r;

        if (rule_get_array(ctx, proc, "args", &args) < 0 || !args)
                return 0;
        /* the strings are borrowed from the spec: the analyser only reads them */
        _cleanup_free_ char **argv = calloc(args->u.arr.n + 1, sizeof(*argv));
        if (!argv)
                return -ENOMEM;
        for (size_t i = 0; i < args->u.arr.n; i++) {
                const char *a;
                if (!jv_cstr(args->u.arr.v[i], &a))
                        return rule_invalid(ctx, args->u.arr.v[i], NULL, "must be a string (runc refuses it)"), 0;
                argv[i] = (char *)a;
        }
        if ((r = ssh_command_find(&names, argv, args->u.arr.n, daemon)) < 0)
                return r;
        if (r > 0)
                rule_report(ctx, args, NULL,
                            "starts an SSH server (%s): a container needs no remote login, and its keys and "
                            "passwords become a way in; use docker exec (or kubectl exec) instead",
                            daemon);
        return 0;
}

static int check_ssh_rootfs(struct rule_ctx *ctx)
{
        const struct jv *bins = rule_param_strings(ctx, "binaries");
        _cleanup_close_ int rootfd = -1;

        /* No root file system here (lint, or runc will refuse anyway). */
        if (spec_rootfs_open(ctx->spec, &rootfd) < 0)
                return 0;
        for (size_t i = 0; i < bins->u.arr.n; i++) {
                const char *b = bins->u.arr.v[i]->u.str.s;
                _cleanup_close_ int fd = -1;
                struct stat st;
                int r = inroot_open(rootfd, b, &fd);
                if (r == -ENOSYS) {
                        rule_report_warn(ctx, ctx->spec->root, "root/path",
                                         "cannot look for SSH servers in the root file system: this kernel has no "
                                         "openat2() to do it safely");
                        return 0;
                }
                if (r < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || !(st.st_mode & 0111))
                        continue;
                rule_report_warn(ctx, jv_get(ctx->spec->root, "root"), "path",
                                 "the root file system holds an SSH server (%s): build images without one", b);
                return 0;
        }
        return 0;
}

static int check_ssh_server(struct rule_ctx *ctx)
{
        struct jv *proc = NULL;
        int r;

        if (rule_get_object(ctx, ctx->spec->root, "process", &proc) < 0)
                return 0;
        if (proc && (r = check_ssh_args(ctx, proc)) < 0)
                return r;
        return ctx->kind == CHECK_CONFIG ? check_ssh_rootfs(ctx) : 0;
}

static const struct param_def ssh_server_params[] = {
        {"daemons", PARAM_STRINGS, "[\"sshd\", \"dropbear\", \"tinysshd\"]", 0, 0,
         "program names (base names) of SSH servers"},
        {"services", PARAM_STRINGS, "[\"ssh\", \"sshd\", \"dropbear\"]", 0, 0,
         "service names that start an SSH server (service NAME start, /etc/init.d/NAME)"},
        {"binaries", PARAM_STRINGS,
         "[\"/usr/sbin/sshd\", \"/usr/bin/sshd\", \"/sbin/sshd\", \"/usr/local/sbin/sshd\", \"/usr/sbin/dropbear\","
         " \"/usr/bin/dropbear\", \"/usr/sbin/dropbearmulti\", \"/usr/bin/dropbearmulti\", \"/usr/sbin/tinysshd\"]",
         0, 0, "paths inside the root file system whose presence is warned about"},
        {0},
};

const struct rule rules_ssh_server[] = {
        {
                .id = "ssh-server",
                .summary = "the container runs an SSH server",
                .guide = "RUN-12",
                .default_action = ACTION_DENY,
                .scope = SCOPE_CONFIG | SCOPE_EXEC,
                .params = ssh_server_params,
                .check = check_ssh_server,
        },
        {0},
};
