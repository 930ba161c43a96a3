/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "util.h"

void audit_result_done(struct audit_result *res)
{
        free(res->daemon_path);
        free(res->flags_origin);
        free(res->data_root);
        audit_names_free(res->harden_runtimes);
        eval_done(&res->daemon);
        eval_done(&res->host);
        audit_notes_done(&res->notes);
}

int audit_run(const struct audit_input *in, struct audit_result *res, rh_error_t *err)
{
        struct audit_input eff = *in;
        struct daemon d;

        *res = (struct audit_result){0};
        if (!eff.root || !*eff.root)
                eff.root = "/";
        int r = daemon_load(&eff, &d, &res->notes, err);
        if (r < 0) {
                daemon_done(&d);
                return r;
        }
        d.runc_is_harden = bypass_runc_is_harden(&eff);
        daemon_check(&d, &res->daemon);
        host_check(&eff, &d, &res->host, &res->notes);
        bypass_check(&eff, &d, &res->daemon, &res->host, &res->notes);
        res->daemon_path = TAKE_PTR(d.config_path);
        res->flags_origin = TAKE_PTR(d.flags_origin);
        res->data_root = TAKE_PTR(d.data_root);
        if (!(res->harden_runtimes = daemon_harden_runtimes(&d)))
                res->daemon.oom = true;
        daemon_done(&d);
        if (res->daemon.oom || res->host.oom)
                return rh_error_set(err, ENOMEM, "out of memory");
        return 0;
}
