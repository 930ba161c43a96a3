/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>

#include "rules.h"

/* no_new_privs stops setuid and file-capability binaries from raising a
 * process's privileges: what an untrusted program in the container runs
 * cannot gain more than it started with. */
static int check_no_new_privileges(struct rule_ctx *ctx)
{
        struct jv *proc = NULL;
        bool nnp = false;

        if (rule_get_object(ctx, ctx->spec->root, "process", &proc) < 0 || !proc)
                return 0; /* no process, nothing runs */
        if (rule_get_bool(ctx, proc, "noNewPrivileges", &nnp) < 0)
                return 0;
        if (!nnp)
                rule_report(ctx, proc, "noNewPrivileges",
                            "is not set: setuid binaries could raise privileges; set it "
                            "(docker run --security-opt no-new-privileges)");
        return 0;
}

static int fix_no_new_privileges(struct rule_ctx *ctx, rh_error_t *err)
{
        struct jdoc *d = ctx->spec->doc;
        struct jv *proc = jv_get(ctx->spec->root, "process");

        if (!proc || jv_obj_put(d, proc, "noNewPrivileges", jv_new_bool(d, true)) < 0)
                return rh_error_set(err, ENOMEM, "cannot set process.noNewPrivileges");
        return 0;
}

const struct rule rules_privileges[] = {
        {
                .id = "no-new-privileges",
                .summary = "processes may gain privileges through setuid or file capabilities",
                .guide = "RUN-5",
                .default_action = ACTION_FIX,
                .scope = SCOPE_CONFIG | SCOPE_EXEC,
                .check = check_no_new_privileges,
                .fix = fix_no_new_privileges,
        },
        {0},
};
