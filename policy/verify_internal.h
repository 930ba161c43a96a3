/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "verify.h"

/* Shared by verify.c and its parts; the helpers are in verify_common.c. */

struct vctx {
        const struct policy *p;
        struct spec *s;
        const struct jv *root; /* the config view, NULL without a spec */
        const struct verify_facts *f;
        const struct verify_probe *probe;
        struct eval *ev;
        char *rootfs; /* the host path of root.path, as the runtime joined it; NULL when unknown */
};

/* A finding about the container, shown in /proc/PID/FILE. rule: the rule
 * whose requirement is broken, or "verify" where the container is not what
 * the spec says. */
void vreport(struct vctx *v, const char *rule, rh_action_t action, const char *file, const char *fmt, ...)
        __attribute__((format(printf, 5, 6)));

/* The spec's string at key, NULL when absent or not a string. */
const char *vstr(const struct jv *obj, const char *key);
/* The mount options as runc 1.1.5 reads them: bind (bind/rbind, or type
 * "bind" as crun takes it), read-only (the last of ro/rw, rro over both,
 * rrw clearing ro). */
void vmount_options(const struct jv *m, bool *ret_bind, bool *ret_readonly, bool *ret_recursive_ro);
/* The host path a spec path names when the runtime joins it to the bundle
 * (relative) or takes it as it is (absolute). malloc'd. */
char *vbundle_path(const struct vctx *v, const char *path);

/* The host id of a container id through a uid_map/gid_map text ("" when
 * there is no user namespace: the same id); -1 when unmapped. */
int64_t vmap_id(const char *map, uint64_t inside);

int verify_mounts(struct vctx *v);   /* verify_mounts.c */
void verify_process(struct vctx *v); /* verify_process.c */
void verify_rlimits(struct vctx *v);
void verify_cgroups(struct vctx *v);
void verify_devices(struct vctx *v); /* verify_devices.c */
/* verify_runtime.c: crun's state directory. */
bool verify_runtime_filter_pending(const struct vctx *v);
void verify_runtime_state(struct vctx *v);
