/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "rules.h"
#include "util.h"

/* Annotations are free text to the OCI spec, but the runtimes act on some
 * of them, and every one of those changes what the runtime builds after
 * runc-harden has judged the fields it reads: crun 1.8 loads the raw BPF of
 * run.oci.seccomp_bpf_data instead of linux.seccomp, sends the container's
 * seccomp and pidfd descriptors to sockets the annotations name, loads
 * seccomp plugins (shared objects) into its own process, writes hooks'
 * output to host files, keeps the engine's supplementary groups, runs the
 * container under another handler (krun, wasm). runc 1.1.5 and crun pass
 * org.systemd.property.* to systemd as unit properties (DeviceAllow, memory
 * limits) when the systemd cgroup driver is used, and runc hands
 * org.criu.config to CRIU on checkpoint and restore. */

/* What each key does, in the runtime that reads it (crun 1.8.1: every
 * find_annotation() call of src/libcrun; runc 1.1.5: specconv and
 * container_linux.go). */
static const struct {
        const char *key, *what;
} known[] = {
        {"run.oci.seccomp_bpf_data", "crun loads this raw BPF as the seccomp filter instead of linux.seccomp"},
        {"run.oci.seccomp.plugins", "crun loads these shared objects into its own process as seccomp plugins"},
        {"run.oci.seccomp.receiver", "crun sends the container's seccomp listener to this host socket"},
        {"run.oci.seccomp_fail_unknown_syscall", "crun builds the seccomp filter differently"},
        {"run.oci.pidfd_receiver", "crun sends a descriptor of the container's process to this host socket"},
        {"run.oci.hooks.stdout", "crun writes the hooks' output to this host file, as root"},
        {"run.oci.hooks.stderr", "crun writes the hooks' errors to this host file, as root"},
        {"run.oci.keep_original_groups", "crun keeps the engine's supplementary groups for the process"},
        {"run.oci.handler", "crun runs the container under another handler (krun, wasm)"},
        {"run.oci.mount_context_type", "crun labels mounts with another SELinux context option"},
        {"run.oci.systemd.force_cgroup_v1", "crun mounts a host cgroup v1 hierarchy into the container"},
        {"run.oci.systemd.subgroup", "crun places the container in another cgroup below its scope"},
        {"run.oci.delegate-cgroup", "crun creates a cgroup the container is delegated"},
        {"run.oci.timens_offset", "crun sets the clocks of the container's time namespace"},
        {"module.wasm.image/variant", "crun runs the container under its wasm handler"},
};

/* Whole namespaces runtimes read from: an unknown key there is refused,
 * since a newer release may act on it. io.crun. is crun's older prefix. */
static const char *const prefixes[] = {
        "run.oci.",
        "io.crun.",
        "org.systemd.property.",
        "org.criu.",
};

/* What the runtime does with key, NULL when no runtime reads it. The key
 * is compared as a C string: crun's yajl cuts keys at NUL, so "K\0x" is K
 * to it. Prefixes ignore case, so that no spelling of a namespace passes a
 * runtime that might fold it. */
static const char *runtime_annotation_effect(const char *key)
{
        for (size_t i = 0; i < ARRAY_SIZE(known); i++)
                if (strcasecmp(key, known[i].key) == 0)
                        return known[i].what;
        for (size_t i = 0; i < ARRAY_SIZE(prefixes); i++) {
                if (strncasecmp(key, prefixes[i], strlen(prefixes[i])) != 0)
                        continue;
                if (i == 2)
                        return "runc and crun set this property on the container's systemd unit (systemd "
                               "cgroup driver)";
                if (i == 3)
                        return "runc hands this to CRIU on checkpoint and restore";
                return "a key of crun's namespace this build does not know: a newer crun may act on it";
        }
        return NULL;
}

static int check_runtime_annotations(struct rule_ctx *ctx)
{
        const struct jv *ann = jv_get(ctx->spec->root, "annotations");

        for (size_t i = 0; jv_is(ann, JV_OBJECT) && i < ann->u.obj.n; i++) {
                const struct jv_member *m = &ann->u.obj.m[i];
                const char *what = runtime_annotation_effect(m->key);
                if (!what || rule_param_strings_contains(ctx, "allowed", m->key))
                        continue;
                rule_report(ctx, m->val, NULL,
                            "the runtime acts on this annotation after runc-harden has judged the spec: %s; "
                            "remove it (or list the key in runtime-annotations.allowed)",
                            what);
        }
        return 0;
}

/* Keys that would replace what another rule judged with something no rule
 * sees: never allowed, whatever the policy says. */
static int check_allowed(const struct jv *v, rh_error_t *err)
{
        static const char *const never[] = {"run.oci.seccomp_bpf_data", "run.oci.seccomp.plugins"};
        for (size_t i = 0; i < v->u.arr.n; i++) {
                const char *k = v->u.arr.v[i]->u.str.s;
                for (size_t j = 0; j < ARRAY_SIZE(never); j++)
                        if (strcasecmp(k, never[j]) == 0)
                                return rh_error_set(err, EINVAL,
                                                    "%s cannot be allowed: it replaces the judged seccomp "
                                                    "profile with what no rule sees",
                                                    k);
        }
        return 0;
}

static const struct param_def runtime_annotations_params[] = {
        {"allowed", PARAM_STRINGS, "[]", 0, 0,
         "annotation keys (exact) the runtime may act on, such as run.oci.keep_original_groups for podman "
         "--group-add keep-groups; never run.oci.seccomp_bpf_data or run.oci.seccomp.plugins",
         check_allowed},
        {0},
};

const struct rule rules_annotations[] = {
        {
                .id = "runtime-annotations",
                .summary = "an annotation makes the runtime build something other than the judged spec",
                .guide = "RUN-5",
                .default_action = ACTION_DENY,
                .scope = SCOPE_CONFIG,
                .params = runtime_annotations_params,
                .check = check_runtime_annotations,
        },
        {0},
};
