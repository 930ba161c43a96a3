/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"
#include "util.h"

/* Which image the container runs, as far as the spec tells: only CRI
 * engines record it, in an annotation they set themselves. Labels copied
 * from the image (org.opencontainers.image.ref.name and the like) are
 * written by the image's author and are never taken as its name. */

/* "busybox" is "docker.io/library/busybox" and "team/app:1" is
 * "docker.io/team/app:1", as Docker and the CRI engines expand them: the
 * first component is a registry only when it has a dot or a colon or is
 * "localhost". */
static char *image_normalize(const char *ref)
{
        const char *slash = strchr(ref, '/');
        char *out = NULL;
        size_t first = slash ? (size_t)(slash - ref) : strlen(ref);
        bool has_domain = slash && (memchr(ref, '.', first) || memchr(ref, ':', first) ||
                                    (first == 9 && strncmp(ref, "localhost", 9) == 0));

        if (has_domain)
                return strdup(ref);
        if (asprintf(&out, "docker.io/%s%s", slash ? "" : "library/", ref) < 0)
                return NULL;
        return out;
}

/* An entry with a glob character is an fnmatch pattern ("*" crosses "/");
 * a plain entry names a repository and allows it with any tag or digest,
 * or names one exact tag or digest. */
static bool image_allowed(const char *pattern, const char *ref)
{
        size_t n = strlen(pattern);

        if (strpbrk(pattern, "*?["))
                return fnmatch(pattern, ref, 0) == 0;
        if (strncmp(pattern, ref, n) != 0)
                return false;
        return ref[n] == '\0' || ((ref[n] == ':' || ref[n] == '@') && !strchr(ref + n + 1, '/'));
}

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
        _cleanup_free_ char *norm = image_normalize(ref);
        if (!norm)
                return -ENOMEM;
        for (size_t i = 0; i < allowed->u.arr.n; i++) {
                const char *a = allowed->u.arr.v[i]->u.str.s;
                _cleanup_free_ char *plain = strpbrk(a, "*?[") ? NULL : image_normalize(a);
                if (image_allowed(plain ? plain : a, norm))
                        return 0;
        }
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
