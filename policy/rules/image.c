/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"
#include "util.h"
#include "workload.h"

/* Which image the container runs, as far as the spec tells: only CRI
 * engines record it, in an annotation they set themselves. Labels copied
 * from the image (org.opencontainers.image.ref.name and the like) are
 * written by the image's author and are never taken as its name. */

static int check_trusted_image(struct rule_ctx *ctx)
{
        const struct jv *allowed = rule_param_strings(ctx, "allowed"), *keys = rule_param_strings(ctx, "annotations");
        const struct jv *ann = jv_get(ctx->spec->root, "annotations"), *at = NULL;
        const char *ref = NULL;

        if (allowed->u.arr.n == 0) {
                rule_report_warn(ctx, NULL, "",
                                 "trusted-image is on but its allowed list is empty: list the "
                                 "image references containers may run");
                return 0;
        }
        for (size_t i = 0; !ref && i < keys->u.arr.n; i++) {
                at = jv_get_exact(ann, keys->u.arr.v[i]->u.str.s);
                if (at && (!jv_cstr(at, &ref) || !*ref)) {
                        ref = NULL;
                        rule_invalid(ctx, at, NULL, "must be a non-empty string");
                        return 0;
                }
        }
        if (!ref) {
                rule_report_warn(ctx, ctx->spec->root, "annotations",
                                 "names no image (Docker and podman record none; CRI engines set "
                                 "io.kubernetes.cri.image-name or io.kubernetes.cri-o.ImageName), so it cannot be "
                                 "checked against the allowed images");
                return 0;
        }
        _cleanup_free_ char *norm = image_ref_normalize(ref, false);
        if (!norm)
                return -ENOMEM;
        for (size_t i = 0; i < allowed->u.arr.n; i++)
                if (image_ref_matches(allowed->u.arr.v[i]->u.str.s, norm))
                        return 0;
        rule_report(ctx, at, NULL,
                    "the image %s is not one of the allowed images (trusted-image.allowed); run only images "
                    "from trusted sources",
                    norm);
        return 0;
}

static const struct param_def trusted_image_params[] = {
        {"allowed", PARAM_STRINGS, "[]", 0, 0,
         "image references containers may run, fully qualified (docker.io/library/busybox): a repository "
         "(any tag or digest), one tag or digest, or an fnmatch pattern where * also crosses \"/\" "
         "(\"registry.example.com/team/*\")"},
        {"annotations", PARAM_STRINGS, "[\"io.kubernetes.cri.image-name\", \"io.kubernetes.cri-o.ImageName\"]", 0, 0,
         "annotations that carry the image name, in order; only list ones the engine sets itself"},
        {0},
};

const struct rule rules_image[] = {
        {
                .id = "trusted-image",
                .summary = "the container's image is not from the allowed list",
                .guide = "RUN-16",
                .default_action = ACTION_OFF,
                .scope = SCOPE_CONFIG,
                .params = trusted_image_params,
                .check = check_trusted_image,
        },
        {0},
};
