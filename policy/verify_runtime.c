/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <string.h>

#include "util.h"
#include "verify_internal.h"

/* What a runtime other than runc kept of the container in its state
 * directory. crun 1.8 copies the config.json it read to ROOT/ID/config.json
 * and, with no-new-privileges, loads the seccomp filter only at start, from
 * ROOT/ID/seccomp.bpf: at create the container has no filter to compare
 * with (Seccomp: 0). What vouches for the filter then is the spec crun
 * read, which must be the judged one byte for byte in its tree: the seccomp
 * rule judged linux.seccomp, the runtime-annotations rule the annotations
 * through which crun would load another filter (run.oci.seccomp_bpf_data). */

bool verify_runtime_filter_pending(const struct vctx *v)
{
        return !v->f->runc_init && v->f->status.nnp == 1 && v->f->pending_filter > 0 && v->f->runtime_config;
}

void verify_runtime_state(struct vctx *v)
{
        _cleanup_(jdoc_freep) struct jdoc *copy = NULL;
        rh_error_t err = RH_ERROR_INIT;
        const char *text = v->f->runtime_config;

        if (!v->s || !text)
                return;
        if (jdoc_parse(text, strlen(text), &copy, &err) < 0) {
                vreport(v, "verify", ACTION_DENY, "status",
                        "the runtime's copy of the spec (%s/%s/config.json) cannot be read (%s): what it built "
                        "cannot be confirmed",
                        v->f->runtime_root ?: "", v->f->id ?: "", rh_error_msg(&err));
                rh_error_clear(&err);
                return;
        }
        if (!jv_equal(copy->root, v->s->root))
                vreport(v, "verify", ACTION_DENY, "status",
                        "the runtime read another spec (%s/%s/config.json) than the one judged",
                        v->f->runtime_root ?: "", v->f->id ?: "");
}
