/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "host.h"
#include "hostpath.h"
#include "rules.h"
#include "util.h"

/* Host paths in the container: engine sockets, host system directories,
 * engine state, read-only binds with writable mounts below them, and mounts
 * that propagate back to the host. Every host path a mount names (a bind's
 * source, an overlay's layers, a device) is judged by what it is on this
 * host (hostpath.h), whatever path the engine wrote. */

/* How a target is named in messages: without its final "**". */
static int shown_len(const char *given)
{
        size_t n = strlen(given);
        return (int)(n > 3 && STREQ(given + n - 3, "/**") ? n - 3 : n);
}

/* "binds /x", "has the upperdir /x", ...: what the spec does with the path. */
static const char *role_verb(host_role_t role)
{
        switch (role) {
        case HOST_ROLE_LOWER:
                return "has the lowerdir";
        case HOST_ROLE_UPPER:
                return "has the upperdir";
        case HOST_ROLE_WORK:
                return "has the workdir";
        case HOST_ROLE_DEVICE:
                return "mounts the device";
        case HOST_ROLE_ROOT:
                return "is";
        case HOST_ROLE_ROOT_LAYER:
                return "is an overlay with the layer";
        case HOST_ROLE_DEVNODE:
                return "binds, through linux.devices,";
        default:
                return "binds";
        }
}

/* What the hit exposes, for "... which exposes <what>": the path that was
 * bound when it lies in the target (binding /usr exposes /usr, not /bin,
 * whatever the target list says first), the target when the path holds it,
 * and how the path is that thing when not by its name. */
static char *describe(const struct host_target *t, const struct host_hit *h)
{
        char *out = NULL;
        int tl = shown_len(t->given);
        bool in = h->kind == HOST_HIT_IN;
        int r;

        switch (h->via) {
        case HOST_VIA_NAME:
                r = in ? asprintf(&out, "the host's %s", h->path) : asprintf(&out, "the host's %.*s", tl, t->given);
                break;
        case HOST_VIA_INODE:
                r = asprintf(&out, "the host's %.*s (%s, by device and inode)", tl, t->given,
                             in ? "the same file, or one inside it" : "a directory above it");
                break;
        case HOST_VIA_ALIAS:
                r = in ? asprintf(&out, "the host's %s (the path is a bind mount of it)", h->path)
                       : asprintf(&out, "the host's %.*s (the path is a bind mount of %s, which holds it)", tl,
                                  t->given, h->path);
                break;
        default:
                r = in ? asprintf(&out, "the host's %s (mounted below the path, at %s)", h->path, h->sub->mnt->point)
                       : asprintf(&out, "the host's %.*s (through the mount below the path at %s)", tl, t->given,
                                  h->sub->mnt->point);
                break;
        }
        return r < 0 ? NULL : out;
}

/* --- engine-socket ---------------------------------------------------- */

/* A linux.devices path that is a device node here gives what mknod would:
 * the devices rule judges its numbers, kernel-mounts its file system. */
static bool device_node_entry(const struct host_bind *b)
{
        return b->role == HOST_ROLE_DEVNODE && hostpath_is_device_node(b);
}

static int engine_socket_one(struct rule_ctx *ctx, const struct host_bind *b, void *data)
{
        const struct host_targets *socks = data;
        struct host_hit h;

        if (device_node_entry(b))
                return 0;
        const struct host_target *t = hostpath_first_exposed(b, socks, false, &h);
        if (!t)
                return 0;
        _cleanup_free_ char *what = describe(t, &h);
        rule_report_unfixable(ctx, b->at, b->key,
                              "%s %s, which %s the container engine socket %.*s%s%s: whoever reaches it controls the "
                              "host; remove this mount",
                              role_verb(b->role), b->src, h.kind == HOST_HIT_IN ? "is" : "contains",
                              shown_len(t->given), t->given, h.via == HOST_VIA_NAME ? "" : "; it exposes ",
                              h.via == HOST_VIA_NAME ? ""
                              : what                 ? what
                                                     : "");
        return 0;
}

static int check_engine_socket(struct rule_ctx *ctx)
{
        const struct host_targets *socks;

        if (!hostpath_names_host_paths(ctx))
                return 0; /* nothing to find on the host */
        if (hostpath_targets_get(ctx, "sockets", true, &socks) < 0)
                return -ENOMEM;
        return hostpath_for_each_path(ctx, false, engine_socket_one, (void *)socks);
}

static const struct param_def engine_socket_params[] = {
        {"sockets", PARAM_STRINGS,
         "[\"/var/run/docker.sock\", \"/run/docker.sock\", \"/run/user/*/docker.sock\","
         " \"/run/containerd/containerd.sock\", \"/run/containerd/containerd.sock.ttrpc\","
         " \"/run/docker/containerd/containerd.sock\", \"/run/k3s/containerd/containerd.sock\","
         " \"/run/user/*/containerd/containerd.sock\", \"/run/crio/crio.sock\", \"/var/run/crio/crio.sock\","
         " \"/run/podman/podman.sock\", \"/run/user/*/podman/podman.sock\", \"/run/buildkit/buildkitd.sock\","
         " \"/run/user/*/buildkit/buildkitd.sock\", \"/var/run/dockershim.sock\", \"/run/cri-dockerd.sock\"]",
         0, 0,
         "API sockets of container engines: absolute paths, \"*\" matches within one path component, and a "
         "trailing \"/**\" protects a whole directory"},
        {0},
};

/* --- recursive-readonly ---------------------------------------------- */

/* runc's "ro" on an rbind remounts only the top mount read-only: the
 * mounts below the source keep their own flags (a read-only bind of
 * /sys/fs/cgroup leaves every cgroup hierarchy writable). runc 1.1 and crun
 * apply "rro" with mount_setattr(AT_RECURSIVE) to the whole tree. */
static bool needs_rro(const struct host_bind *b)
{
        if (b->role != HOST_ROLE_BIND || !b->readonly || b->rro)
                return false;
        for (size_t i = 0; i < b->n_subs; i++)
                if (!b->subs[i].mnt->readonly)
                        return true;
        return false;
}

static int recursive_readonly_one(struct rule_ctx *ctx, const struct host_bind *b, void *data)
{
        (void)data;
        if (!needs_rro(b))
                return 0;
        size_t n = 0;
        const char *first = NULL;
        for (size_t i = 0; i < b->n_subs; i++)
                if (!b->subs[i].mnt->readonly) {
                        first = first ?: b->subs[i].mnt->point;
                        n++;
                }
        rule_report(ctx, b->m, "options",
                    "binds %s read-only, but %zu mount%s below it (%s%s) stay%s writable in the container: \"ro\" "
                    "makes only the top mount read-only; add \"rro\" (read-only all the way down)",
                    b->src, n, n == 1 ? "" : "s", first, n > 1 ? ", ..." : "", n == 1 ? "s" : "");
        return 0;
}

static int check_recursive_readonly(struct rule_ctx *ctx)
{
        if (!hostpath_names_host_paths(ctx))
                return 0;
        return hostpath_for_each_path(ctx, false, recursive_readonly_one, NULL);
}

static int add_rro(struct rule_ctx *ctx, const struct host_bind *b, void *data)
{
        struct jv *opts = jv_get(b->m, "options");
        (void)data;
        if (!needs_rro(b) || !jv_is(opts, JV_ARRAY))
                return 0;
        return jv_arr_push(ctx->spec->doc, opts, jv_new_string(ctx->spec->doc, "rro"));
}

static int fix_recursive_readonly(struct rule_ctx *ctx, rh_error_t *err)
{
        if (hostpath_for_each_path(ctx, false, add_rro, NULL) < 0)
                return rh_error_set(err, ENOMEM, "cannot add \"rro\" to a mount's options");
        return 0;
}

/* --- sensitive-mount -------------------------------------------------- */

struct sensitive {
        const struct host_targets *paths, *state, *allowed, *only, *rootfs, *layers;
};

struct only_check {
        const struct sensitive *s;
        const char *outside;
};

static bool name_permitted(const char *path, void *data)
{
        struct only_check *c = data;
        if (hostpath_matches_any(c->s->only, path) || hostpath_matches_any(c->s->allowed, path))
                return true;
        c->outside = path;
        return false;
}

/* Whether the container can change the host through the hit. A unix
 * socket takes connect() on a read-only mount as well. */
static bool hit_writable(const struct rule_ctx *ctx, const struct host_bind *b, const struct host_hit *h)
{
        if (h->via == HOST_VIA_SUB)
                return !h->sub->mnt->readonly && !hostpath_readonly_below(ctx, b);
        return !b->readonly || (b->have_st && S_ISSOCK(b->st.st_mode));
}

static void report_state(struct rule_ctx *ctx, const struct host_bind *b, const struct host_target *t,
                         const struct host_hit *h)
{
        _cleanup_free_ char *what = describe(t, h);
        rule_report_unfixable(ctx, b->at, b->key,
                              "%s %s, which exposes %s, the state of a container engine: whoever reaches it can take "
                              "over the engine and the host; remove this mount (read-only does not help: sockets and "
                              "FIFOs stay usable)",
                              role_verb(b->role), b->src, what ? what : "it");
}

static void report_paths(struct rule_ctx *ctx, const struct host_bind *b, const struct host_targets *paths,
                         bool name_allowed)
{
        const struct host_target *best = NULL;
        struct host_hit bh = {0}, h;
        bool best_w = false;

        /* the worst way: writable first, then lying in the target */
        bool subs_w = hostpath_writable_subs(ctx, b) > 0;
        for (size_t k = 0; k < paths->n; k++) {
                if (!hostpath_exposes(b, &paths->v[k], name_allowed, &h))
                        continue;
                bool w = hit_writable(ctx, b, &h);
                /* a read-only top, and a writable mount below in the target */
                if (!w && subs_w && hostpath_exposes_via(b, &paths->v[k], name_allowed, HOST_VIA_SUB_BIT, &h))
                        w = hit_writable(ctx, b, &h);
                if (!best || (w && !best_w) || (w == best_w && h.kind == HOST_HIT_IN && bh.kind != HOST_HIT_IN)) {
                        best = &paths->v[k];
                        bh = h;
                        best_w = w;
                }
        }
        if (!best)
                return;
        _cleanup_free_ char *what = describe(best, &bh);
        if (!best_w)
                rule_report_warn(ctx, b->at, b->key,
                                 "%s %s, which exposes %s read-only: the container can read host configuration "
                                 "and secrets; bind only what it needs",
                                 role_verb(b->role), b->src, what ? what : "it");
        else if (bh.via == HOST_VIA_SUB && b->readonly)
                rule_report(ctx, b->at, b->key,
                            "%s %s read-only, which exposes %s read-write: \"ro\" covers only the top mount; remove "
                            "the mount or make it read-only all the way down (option \"rro\")",
                            role_verb(b->role), b->src, what ? what : "it");
        else
                rule_report(ctx, b->at, b->key,
                            "%s %s, which exposes %s read-write: the container can change the host; remove the "
                            "mount or make it read-only (:ro, option \"ro\")",
                            role_verb(b->role), b->src, what ? what : "it");
}

/* root.path where the host has mounted an overlay (every engine's image,
 * podman --rootfs DIR:O): the container sees the layers, each judged on
 * its own, not the mount point, whose name is the engine's (podman's lies
 * in its state in /run). Only root mounts on the host's table. */
static bool root_is_overlay_mount(const struct host_bind *b)
{
        return b->role == HOST_ROLE_ROOT && b->mnt && b->resolved && STREQ(b->mnt->fstype, "overlay") &&
               STREQ(b->mnt->point, b->resolved);
}

/* runc pivots into root.path: the host's root, a host system directory or
 * engine state as the root file system (or as a layer of an overlay there:
 * podman --rootfs /:O) is the widest bind of all, read-only or not. A root
 * passes by its name only where an engine puts one container's root
 * (rootfs), a layer only where engines keep layers (layers): never their
 * storage directory as a whole (every image's layers, writable once
 * readonly-rootfs is exempted) nor an image layer as a root. */
static int sensitive_root(struct rule_ctx *ctx, const struct host_bind *b, const struct sensitive *s)
{
        const struct host_targets *lists[] = {s->state, s->paths};
        bool storage = root_is_overlay_mount(b) ||
                       hostpath_matches_any(b->role == HOST_ROLE_ROOT ? s->rootfs : s->layers, b->resolved);
        struct host_hit h;

        for (size_t i = 0; i < ARRAY_SIZE(lists); i++) {
                const struct host_target *t = hostpath_first_exposed(b, lists[i], storage, &h);
                if (!t)
                        continue;
                _cleanup_free_ char *what = describe(t, &h);
                rule_report_unfixable(ctx, b->at, b->key,
                                      "the root file system %s %s, which exposes %s: the container would run on the "
                                      "host's own files or an engine's storage; give it an image root file system",
                                      role_verb(b->role), b->src, what ? what : "it");
                return 0;
        }
        return 0;
}

static int sensitive_one(struct rule_ctx *ctx, const struct host_bind *b, void *data)
{
        const struct sensitive *s = data;
        struct host_hit h;

        if (b->role == HOST_ROLE_ROOT || b->role == HOST_ROLE_ROOT_LAYER)
                return sensitive_root(ctx, b, s);
        if (device_node_entry(b))
                return 0;
        /* an engine's own file or volume, unless it is another name for
         * something else (its aliases and mounts below are still judged) */
        bool allowed = hostpath_matches_any(s->allowed, b->resolved);
        if (s->only->n) {
                struct only_check c = {s, NULL};
                if (!hostpath_all_names(b, name_permitted, &c)) {
                        rule_report_unfixable(ctx, b->at, b->key,
                                              "%s %s, which is the host's %s, outside the host directories the policy "
                                              "allows (sensitive-mount.only); bind only those",
                                              role_verb(b->role), b->src, c.outside);
                        return 0;
                }
        }
        const struct host_target *t = hostpath_first_exposed(b, s->state, allowed, &h);
        if (t) {
                report_state(ctx, b, t, &h);
                return 0;
        }
        report_paths(ctx, b, s->paths, allowed);
        return 0;
}

/* File systems whose every instance is the host's: a fresh mount of one
 * exposes host devices or kernel state whatever the options say. */
static void check_host_filesystems(struct rule_ctx *ctx)
{
        const struct jv *mounts = hostpath_mounts(ctx);
        for (size_t i = 0; mounts && i < mounts->u.arr.n; i++) {
                const char *type;
                if (!jv_cstr(jv_get(mounts->u.arr.v[i], "type"), &type) ||
                    !rule_param_strings_contains(ctx, "filesystems", type))
                        continue;
                rule_report(ctx, mounts->u.arr.v[i], "type",
                            "mounts a %s file system, which is the host's own (its devices or kernel state); "
                            "remove this mount",
                            type);
        }
}

static int check_sensitive_mount(struct rule_ctx *ctx)
{
        struct sensitive s = {0};
        /* inodes matter only for what binds can reach (hard links) */
        bool ids = hostpath_names_host_paths(ctx);
        int r;

        if (hostpath_targets_get(ctx, "paths", ids, &s.paths) < 0 ||
            hostpath_targets_get(ctx, "state", ids, &s.state) < 0 ||
            hostpath_targets_get(ctx, "allowed", false, &s.allowed) < 0 ||
            hostpath_targets_get(ctx, "only", false, &s.only) < 0 ||
            hostpath_targets_get(ctx, "rootfs", false, &s.rootfs) < 0 ||
            hostpath_targets_get(ctx, "layers", false, &s.layers) < 0)
                return -ENOMEM;
        if ((r = hostpath_for_each_path(ctx, true, sensitive_one, &s)) < 0)
                return r;
        check_host_filesystems(ctx);
        return 0;
}

static const struct param_def sensitive_mount_params[] = {
        {"paths", PARAM_STRINGS,
         "[\"/\", \"/bin/**\", \"/boot/**\", \"/dev/**\", \"/etc/**\", \"/home\", \"/home/*\", \"/home/*/.*/**\","
         " \"/lib/**\", \"/lib32/**\", \"/lib64/**\", \"/libx32/**\", \"/opt/cni/**\", \"/proc/**\", \"/root/**\","
         " \"/run/**\", \"/var/run/**\", \"/sbin/**\", \"/sys/**\", \"/usr/**\", \"/var/lib/apt/**\","
         " \"/var/lib/dpkg/**\", \"/var/lib/kubelet\", \"/var/log/**\", \"/var/spool/**\"]",
         0, 0,
         "host paths not to bind: a bind of the path or of a parent directory counts; with a trailing \"/**\" "
         "binds of anything below it count too; \"*\" matches within one component. Denied read-write, a warning "
         "read-only"},
        {"state", PARAM_STRINGS,
         "[\"/run/containerd/**\", \"/var/lib/containerd/**\", \"/run/docker/**\", \"/var/lib/docker/**\","
         " \"/run/runc/**\", \"/run/crun/**\", \"/run/containers/**\", \"/run/libpod/**\", \"/run/podman/**\","
         " \"/var/lib/containers/**\", \"/run/crio/**\", \"/var/lib/crio/**\", \"/run/k3s/**\", \"/run/buildkit/**\","
         " \"/var/lib/buildkit/**\", \"/var/lib/cni/**\", \"/run/user/*/containerd/**\", \"/run/user/*/runc/**\","
         " \"/run/user/*/crun/**\", \"/run/user/*/containers/**\", \"/run/user/*/libpod/**\","
         " \"/run/user/*/podman/**\", \"/var/lib/kubelet/pki/**\","
         " \"/var/lib/kubelet/device-plugins/**\", \"/var/lib/kubelet/pod-resources/**\","
         " \"/var/lib/kubelet/plugins/**\", \"/var/lib/kubelet/plugins_registry/**\"]",
         0, 0,
         "container engines' and runtimes' state (same syntax): binds of it, or of a directory holding it, are "
         "denied even read-only"},
        {"allowed", PARAM_STRINGS,
         "[\"/var/lib/docker/containers/*/resolv.conf\", \"/var/lib/docker/containers/*/hostname\","
         " \"/var/lib/docker/containers/*/hosts\", \"/var/lib/docker/containers/*/mounts/**\","
         " \"/var/lib/docker/volumes/*/_data/**\", \"/usr/bin/docker-init\", \"/usr/libexec/docker/docker-init\","
         " \"/var/lib/containers/storage/overlay-containers/*/userdata/**\","
         " \"/run/containers/storage/overlay-containers/*/userdata/**\", "
         "\"/var/lib/containers/storage/volumes/*/_data/**\","
         " \"/run/user/*/containers/overlay-containers/*/userdata/**\","
         " \"/home/*/.local/share/containers/storage/overlay-containers/*/userdata/**\","
         " \"/home/*/.local/share/containers/storage/volumes/*/_data/**\","
         " \"/usr/libexec/podman/catatonit\","
         " \"/var/lib/containerd/io.containerd.grpc.v1.cri/sandboxes/*/**\","
         " \"/var/lib/containerd/io.containerd.grpc.v1.cri/containers/*/volumes/**\","
         " \"/run/containerd/io.containerd.grpc.v1.cri/sandboxes/*/shm\","
         " \"/var/lib/docker/buildkit/executor/resolv.conf\", \"/var/lib/docker/buildkit/executor/hosts*\","
         " \"/var/lib/buildkit/runc-*/executor/resolv.conf\", \"/var/lib/buildkit/runc-*/executor/hosts*\"]",
         0, 0,
         "bind sources that are the engines' own per-container files and volumes, not findings unless they are "
         "another name (a bind mount) of something else (same syntax)"},
        {"only", PARAM_STRINGS, "[]", 0, 0,
         "allowlist mode: when not empty, every host path a mount names (and each of its other names) must lie "
         "in one of these, or be one of the engines' own files (allowed); anything else is denied"},
        {"rootfs", PARAM_STRINGS,
         "[\"/var/lib/docker/overlay2/*/merged\", \"/var/lib/docker/fuse-overlayfs/*/merged\","
         " \"/var/lib/docker/vfs/dir/*\", \"/var/lib/docker/btrfs/subvolumes/*\", \"/var/lib/docker/zfs/graph/*\","
         " \"/var/lib/docker/buildkit/executor/*/rootfs\", \"/var/lib/containers/storage/overlay/*/merged\","
         " \"/var/lib/containers/storage/vfs/dir/*\", \"/var/lib/containers/storage/btrfs/subvolumes/*\","
         " \"/home/*/.local/share/containers/storage/overlay/*/merged\","
         " \"/home/*/.local/share/containers/storage/vfs/dir/*\","
         " \"/run/containerd/io.containerd.runtime.v2.task/*/*/rootfs\", \"/var/lib/buildkit/*/executor/*/rootfs\"]",
         0, 0,
         "where engines put one container's root file system: root.path there passes unless it is another name "
         "for something else (same syntax; \"*\" is one container's directory: never the storage directory "
         "itself, never an image layer). root.path where the host has mounted an overlay is judged by its "
         "layers"},
        {"layers", PARAM_STRINGS,
         "[\"/var/lib/docker/overlay2/*/diff\", \"/var/lib/docker/overlay2/*/work\","
         " \"/var/lib/docker/fuse-overlayfs/*/diff\", \"/var/lib/docker/fuse-overlayfs/*/work\","
         " \"/var/lib/containers/storage/overlay/*/diff\", \"/var/lib/containers/storage/overlay/*/work\","
         " \"/var/lib/containers/storage/overlay/*/empty\", \"/home/*/.local/share/containers/storage/overlay/*/diff\","
         " \"/home/*/.local/share/containers/storage/overlay/*/work\","
         " \"/home/*/.local/share/containers/storage/overlay/*/empty\","
         " \"/run/containers/storage/overlay-containers/*/rootfs/upper\","
         " \"/run/containers/storage/overlay-containers/*/rootfs/work\","
         " \"/run/user/*/containers/overlay-containers/*/rootfs/upper\","
         " \"/run/user/*/containers/overlay-containers/*/rootfs/work\","
         " \"/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/*/fs\","
         " \"/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/*/work\","
         " \"/var/lib/buildkit/*/snapshots/snapshots/*/fs\", \"/var/lib/buildkit/*/snapshots/snapshots/*/work\"]",
         0, 0,
         "where engines keep the layers of the overlay they mount as a root file system: those layers pass unless "
         "they are another name for something else (same syntax)"},
        {"filesystems", PARAM_STRINGS,
         "[\"devtmpfs\", \"debugfs\", \"tracefs\", \"securityfs\", \"efivarfs\", \"bpf\", \"configfs\", \"pstore\","
         " \"fusectl\", \"binfmt_misc\"]",
         0, 0, "file system types that expose the host whatever their source; any mount of one is denied"},
        {0},
};

/* --- untrusted-layer ------------------------------------------------- */

/* The kernel resolves an overlay's layers when runc mounts them, after
 * the check, and the mount shows nothing of them afterwards (its device is
 * the overlay's own): verification cannot tell which directories it
 * stacked. So the layers of a spec's overlay must lie where only root can
 * change what their paths name: a user who owns a directory on the way (or
 * can write it) swaps a layer for a symlink to /etc in between. A bind of
 * an overlay the host mounted is judged by its layers' names, which must
 * first be shown to be its layers (overlay_trust.h). */
static int untrusted_layer_one(struct rule_ctx *ctx, const struct host_bind *b, void *data)
{
        (void)data;
        if (b->layers_doubt)
                rule_report(ctx, b->at, b->key,
                            "the source %s is an overlay the host has mounted, whose layers mountinfo shows "
                            "only by the names they were given, and %s; bind a directory, or an overlay whose "
                            "layers lie in directories only root can change",
                            b->src, b->layers_doubt);
        if (!b->spec_layer)
                return 0;
        if (b->walk_err)
                rule_report(ctx, b->at, b->key,
                            "%s %s cannot be looked at (%s): whether a user other than root can swap it before "
                            "runc mounts cannot be told; use a layer in directories only root can change",
                            role_verb(b->role), b->src, strerror(-b->walk_err));
        else if (b->untrusted_at)
                rule_report(ctx, b->at, b->key,
                            "%s %s, which a user other than root can swap for a symlink between runc-harden's "
                            "check and runc's mount (the kernel follows it then): %s; keep overlay layers in "
                            "directories only root can change",
                            role_verb(b->role), b->src, b->untrusted_why);
        return 0;
}

static int check_untrusted_layer(struct rule_ctx *ctx)
{
        if (ctx->spec->offline || !hostpath_names_host_paths(ctx))
                return 0; /* another host's directories are not these */
        return hostpath_for_each_path(ctx, false, untrusted_layer_one, NULL);
}

/* --- mount-propagation ------------------------------------------------ */

static int propagation_one(struct rule_ctx *ctx, const struct host_bind *b, void *data)
{
        (void)data;
        if (b->shared)
                rule_report(ctx, b->m, "options",
                            "binds %s with shared propagation: mounts made in the container appear on the host "
                            "and the host's in the container; use rprivate or rslave",
                            b->src);
        return 0;
}

static int check_mount_propagation(struct rule_ctx *ctx)
{
        const struct jv *l = jv_get(ctx->spec->root, "linux"), *prop = jv_get(l, "rootfsPropagation");
        const char *p;

        if (prop && jv_cstr(prop, &p) && (STREQ(p, "shared") || STREQ(p, "rshared")))
                rule_report(ctx, prop, NULL,
                            "is %s: mounts made in the container propagate to the host; use rprivate or rslave "
                            "(or leave it out)",
                            p);
        return hostpath_for_each_bind(ctx, propagation_one, NULL);
}

const struct rule rules_binds[] = {
        {
                .id = "engine-socket",
                .summary = "a container engine's API socket is bound into the container",
                .guide = "RUN-14",
                .default_action = ACTION_DENY,
                .scope = SCOPE_CONFIG,
                .params = engine_socket_params,
                .check = check_engine_socket,
        },
        {
                .id = "recursive-readonly",
                .summary = "a read-only bind leaves the mounts below its source writable",
                .guide = "HOST-2",
                .default_action = ACTION_FIX,
                .scope = SCOPE_CONFIG,
                .check = check_recursive_readonly,
                .fix = fix_recursive_readonly,
        },
        {
                .id = "sensitive-mount",
                .summary = "a host system directory or an engine's state is mounted into the container",
                .guide = "HOST-2",
                .default_action = ACTION_DENY,
                .scope = SCOPE_CONFIG,
                .params = sensitive_mount_params,
                .check = check_sensitive_mount,
        },
        {
                .id = "untrusted-layer",
                .summary = "an overlay layer lies where a user other than root can swap it before runc mounts",
                .guide = "HOST-2",
                .default_action = ACTION_DENY,
                .scope = SCOPE_CONFIG,
                .check = check_untrusted_layer,
        },
        {
                .id = "mount-propagation",
                .summary = "a bind propagates mounts between the container and the host",
                .guide = "RUN-13",
                .default_action = ACTION_DENY,
                .scope = SCOPE_CONFIG,
                .check = check_mount_propagation,
        },
        {0},
};
