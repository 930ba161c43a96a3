/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>

#include "overlay.h"
#include "testutil.h"
#include "util.h"

START_TEST(test_overlay_options_give_absolute_directories)
{
        struct overlay_dirs o;

        ck_assert_int_eq(overlay_dirs_parse("rw,lowerdir=l/AB:l/CD,upperdir=x1/diff,workdir=x1/work,index=off",
                                            "/var/lib/docker/overlay2/x1/merged", &o),
                         0);
        ck_assert_str_eq(o.upper, "/var/lib/docker/overlay2/x1/diff");
        ck_assert_uint_eq(o.n_lower, 2);
        ck_assert_str_eq(o.lower[0], "/var/lib/docker/overlay2/l/AB");
        ck_assert_str_eq(o.lower[1], "/var/lib/docker/overlay2/l/CD");
        overlay_dirs_done(&o);

        ck_assert_int_eq(overlay_dirs_parse("rw,lowerdir=/s/1/fs:/s/2\\:x/fs,upperdir=/s/3/fs,workdir=/s/3/work",
                                            "/run/containerd/io.containerd.runtime.v2.task/k8s.io/c/rootfs", &o),
                         0);
        ck_assert_str_eq(o.upper, "/s/3/fs");
        ck_assert_uint_eq(o.n_lower, 2);
        ck_assert_str_eq(o.lower[1], "/s/2:x/fs");
        overlay_dirs_done(&o);

        /* a read-only overlay (no upper): nothing can be written */
        ck_assert_int_eq(overlay_dirs_parse("ro,lowerdir=/a:/b", "/x/y/merged", &o), -ENOENT);
}
END_TEST

START_TEST(test_layers_split_at_unescaped_separators_only)
{
        struct overlay_layers l = {0};
        size_t offsets[2] = {0, 19};

        /* two options as runc joins them: "lowerdir=/a\\:b::/c" and "upperdir=/u\\,v" */
        ck_assert_int_eq(overlay_layers_parse(&l, "lowerdir=/a\\:b::/c,upperdir=/u\\,v", offsets, 2), 0);
        ck_assert_uint_eq(l.n, 3);
        ck_assert_int_eq(l.v[0].role, OVERLAY_LOWER);
        ck_assert_str_eq(l.v[0].path, "/a:b");
        ck_assert_str_eq(l.v[1].path, "/c");
        ck_assert_int_eq(l.v[2].role, OVERLAY_UPPER);
        ck_assert_str_eq(l.v[2].path, "/u,v");
        ck_assert_uint_eq(l.v[2].opt, 1);
        overlay_layers_done(&l);
        _cleanup_free_ char *home = overlay_layer_home("/var/lib/docker/overlay2/x1/merged");
        ck_assert_str_eq(home, "/var/lib/docker/overlay2");
}
END_TEST

static Suite *overlay_suite(void)
{
        Suite *s = suite_create("overlay");
        TCase *tc = tcase_create("overlay");
        tcase_add_test(tc, test_overlay_options_give_absolute_directories);
        tcase_add_test(tc, test_layers_split_at_unescaped_separators_only);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(overlay_suite)
