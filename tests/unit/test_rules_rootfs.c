/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

/* Tests of how sensitive-mount (policy/rules/binds.c) judges root.path:
 * an engine's per-container root passes by its name, its storage
 * directory and its image layers never do (podman --rootfs
 * /var/lib/containers/storage/overlay ran on every image's layers), and
 * a root where the host has mounted an overlay is judged by its layers,
 * not by the mount point's name (podman --rootfs DIR:O mounts in /run). */

static const char *T(const char *rel)
{
        static char ring[8][512];
        static int i;
        char *p = ring[i++ % 8];
        snprintf(p, sizeof(ring[0]), "%s/%s", tmpdir, rel);
        return p;
}

/* root.path (and readonly) under policy (NULL: the built-in policy), with
 * readonly-rootfs exempted as podman --annotation asks. */
static struct eval eval_root(const char *policy, const char *path, bool readonly)
{
        _cleanup_free_ char *json = NULL;
        ck_assert(asprintf(&json,
                           "{\"root\":{\"path\":\"%s\",\"readonly\":%s},\"annotations\":"
                           "{\"org.runc-harden.exempt\":\"readonly-rootfs\"}}",
                           path, readonly ? "true" : "false") > 0);
        return eval_with(NULL, json, (struct eval_opts){.policy = policy, .bundle = NO_BUNDLE});
}

static void expect_root_refused(const char *policy, const char *path)
{
        _cleanup_eval_ struct eval ev = eval_root(policy, path, false);
        expect(&ev, "sensitive-mount", ACTION_DENY, "/root/path", "the root file system");
        ck_assert_int_eq(eval_verdict(&ev), VERDICT_DENY);
}

static void expect_root_passes(const char *policy, const char *path)
{
        _cleanup_eval_ struct eval ev = eval_root(policy, path, true);
        expect_none(&ev, "sensitive-mount");
        expect_none(&ev, "spec-invalid");
}

START_TEST(test_an_engines_storage_directory_is_never_a_root)
{
        static const char *const storage[] = {
                "/var/lib/containers/storage/overlay",
                "/var/lib/containers/storage/overlay/",
                "/var/lib/containers/storage",
                "/var/lib/docker/overlay2",
                "/var/lib/docker/overlay2/l",
                "/var/lib/docker/vfs/dir",
                "/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots",
                "/var/lib/containerd/io.containerd.snapshotter.v1.native/snapshots",
                "/run/containerd/io.containerd.runtime.v2.task/moby",
                "/home/u/.local/share/containers/storage/overlay",
        };
        for (size_t i = 0; i < ARRAY_SIZE(storage); i++)
                expect_root_refused(NULL, storage[i]);
}
END_TEST

START_TEST(test_an_image_layer_is_never_a_root)
{
        /* with readonly-rootfs exempted the container would write into it,
         * and every later container of the image would run what it left */
        static const char *const layers[] = {
                "/var/lib/docker/overlay2/0123/diff",
                "/var/lib/docker/overlay2/0123",
                "/var/lib/docker/overlay2/0123/merged/etc",
                "/var/lib/containers/storage/overlay/0123/diff",
                "/var/lib/containers/storage/overlay/0123/merged/x",
                "/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/7/fs",
                "/var/lib/containerd/io.containerd.snapshotter.v1.native/snapshots/7/fs",
                "/run/containers/storage/overlay-containers/0123/rootfs/upper",
        };
        for (size_t i = 0; i < ARRAY_SIZE(layers); i++)
                expect_root_refused(NULL, layers[i]);
}
END_TEST

START_TEST(test_a_per_container_root_of_each_engine_passes)
{
        static const char *const roots[] = {
                "/var/lib/docker/overlay2/0123/merged",
                "/var/lib/docker/vfs/dir/0123",
                "/var/lib/containers/storage/overlay/0123/merged",
                "/home/u/.local/share/containers/storage/overlay/0123/merged",
                "/run/containerd/io.containerd.runtime.v2.task/k8s.io/0123/rootfs",
                "/var/lib/docker/buildkit/executor/abc/rootfs",
        };
        for (size_t i = 0; i < ARRAY_SIZE(roots); i++)
                expect_root_passes(NULL, roots[i]);
}
END_TEST

/* A policy whose engine state is tmpdir/state, podman's way: the root an
 * overlay at state/ID/rootfs/merge, its upper and work layers beside. */
static char *state_policy(void)
{
        char *p = NULL;
        ck_assert(asprintf(&p,
                           "{\"version\":1,\"rules\":{\"sensitive-mount\":{\"params\":{"
                           "\"state\":[\"%s/state/**\"],\"rootfs\":[],"
                           "\"layers\":[\"%s/state/*/rootfs/upper\",\"%s/state/*/rootfs/work\"]}}}}",
                           tmpdir, tmpdir, tmpdir) > 0);
        return p;
}

static void overlay_at(const char *merge, const char *lower, const char *upper, const char *work)
{
        _cleanup_free_ char *data = NULL;
        mkdir_p(merge);
        mkdir_p(upper);
        mkdir_p(work);
        ck_assert(asprintf(&data, "lowerdir=%s,upperdir=%s,workdir=%s", lower, upper, work) > 0);
        ck_assert_int_eq(mount("overlay", merge, "overlay", 0, data), 0);
}

START_TEST(test_an_overlay_root_is_judged_by_its_layers_not_its_mount_point)
{
        private_mounts();
        make_tmpdir();
        _cleanup_free_ char *pol = state_policy();
        mkdir_p(T("img/bin"));
        /* podman --rootfs DIR:O: a harmless image directory runs */
        overlay_at(T("state/c1/rootfs/merge"), T("img"), T("state/c1/rootfs/upper"), T("state/c1/rootfs/work"));
        expect_root_passes(pol, T("state/c1/rootfs/merge"));
        /* the same path without the overlay is the engine's state */
        mkdir_p(T("state/c2/rootfs/merge"));
        expect_root_refused(pol, T("state/c2/rootfs/merge"));
        /* the host's /etc as its image is still the host's */
        overlay_at(T("state/c3/rootfs/merge"), "/etc", T("state/c3/rootfs/upper"), T("state/c3/rootfs/work"));
        _cleanup_eval_ struct eval ev = eval_root(pol, T("state/c3/rootfs/merge"), true);
        expect(&ev, "sensitive-mount", ACTION_DENY, "/root/path", "is an overlay with the layer /etc");
        /* an upper layer elsewhere in the engine's state is not a layer */
        overlay_at(T("state/c4/rootfs/merge"), T("img"), T("state/c4/other/u"), T("state/c4/other/w"));
        expect_root_refused(pol, T("state/c4/rootfs/merge"));
        /* a directory below the mount point is not the overlay's root */
        mkdir_p(T("state/c1/rootfs/merge/bin/x"));
        expect_root_refused(pol, T("state/c1/rootfs/merge/bin/x"));
        /* lint, away from the host's mounts, judges the name */
        _cleanup_free_ char *json = NULL;
        ck_assert(asprintf(&json, "{\"root\":{\"path\":\"%s\"}}", T("state/c1/rootfs/merge")) > 0);
        eval_replace(&ev, eval_with(NULL, json, (struct eval_opts){.policy = pol, .offline = true}));
        expect(&ev, "sensitive-mount", ACTION_DENY, "/root/path", NULL);
}
END_TEST

START_TEST(test_a_storage_directory_is_refused_on_this_host_too)
{
        /* by what the path is here, not only its name: a bind of the
         * storage directory elsewhere is found through the mount table */
        private_mounts();
        make_tmpdir();
        _cleanup_free_ char *pol = state_policy();
        mkdir_p(T("state/store/0123/diff"));
        mkdir_p(T("alias"));
        ck_assert_int_eq(mount(T("state/store"), T("alias"), NULL, MS_BIND, NULL), 0);
        expect_root_refused(pol, T("alias"));
}
END_TEST

static Suite *rootfs_suite(void)
{
        Suite *s = suite_create("rootfs");
        TCase *names = tcase_create("by-name");
        tcase_add_test(names, test_an_engines_storage_directory_is_never_a_root);
        tcase_add_test(names, test_an_image_layer_is_never_a_root);
        tcase_add_test(names, test_a_per_container_root_of_each_engine_passes);
        suite_add_tcase(s, names);
        TCase *host = tcase_create("on-the-host");
        tcase_add_checked_fixture(host, NULL, remove_tmpdir);
        tcase_add_test(host, test_an_overlay_root_is_judged_by_its_layers_not_its_mount_point);
        tcase_add_test(host, test_a_storage_directory_is_refused_on_this_host_too);
        suite_add_tcase(s, host);
        return s;
}

RUN_SUITE(rootfs_suite)
