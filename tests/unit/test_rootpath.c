/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rootpath.h"
#include "testutil.h"
#include "util.h"

/* Paths below a root that stands for a host (rootpath.c): the audit's
 * --root-dir and setup system's --root read a fake host through these. */

static char *under(const char *path)
{
        char *p = root_path(tmpdir, path);
        ck_assert_ptr_nonnull(p);
        return p;
}

START_TEST(test_root_path_joins_root_and_path_once)
{
        _cleanup_free_ char *a = root_path("/", "/etc/passwd"), *b = root_path(NULL, "/etc"), *c = root_path("", "x");
        _cleanup_free_ char *d = root_path("/srv/host//", "/etc"), *e = root_path("/srv/host", "etc");

        ck_assert_str_eq(a, "/etc/passwd");
        ck_assert_str_eq(b, "/etc");
        ck_assert_str_eq(c, "x");
        ck_assert_str_eq(d, "/srv/host/etc");
        ck_assert_str_eq(e, "/srv/host/etc");
}
END_TEST

START_TEST(test_an_absolute_symlink_resolves_inside_the_root)
{
        _cleanup_free_ char *bin = under("/usr"), *sbin = under("/usr/sbin"), *runc = under("/usr/sbin/runc");
        _cleanup_free_ char *link = under("/usr/bin"), *shown = NULL;
        struct stat st, want;

        ck_assert_int_eq(mkdir(bin, 0755), 0);
        ck_assert_int_eq(mkdir(sbin, 0755), 0);
        FILE *f = fopen(runc, "w");
        ck_assert_ptr_nonnull(f);
        fclose(f);
        ck_assert_int_eq(symlink("/usr/sbin", link), 0);
        ck_assert_int_eq(stat(runc, &want), 0);

        ck_assert_int_eq(root_resolve(tmpdir, "/usr/bin/runc", &st, &shown), 0);
        ck_assert(st.st_ino == want.st_ino && st.st_dev == want.st_dev);
        ck_assert_ptr_nonnull(shown);
        ck_assert_str_eq(shown, "/usr/sbin/runc");
}
END_TEST

START_TEST(test_dot_dot_never_leaves_the_root)
{
        _cleanup_free_ char *etc = under("/etc"), *link = under("/up"), *shown = NULL;
        struct stat st, want;

        ck_assert_int_eq(mkdir(etc, 0755), 0);
        ck_assert_int_eq(symlink("../../../../etc", link), 0);
        ck_assert_int_eq(stat(etc, &want), 0);
        /* the host's /etc would be another inode */
        ck_assert_int_eq(root_resolve(tmpdir, "/up", &st, &shown), 0);
        ck_assert(st.st_ino == want.st_ino && st.st_dev == want.st_dev);
        ck_assert_int_eq(root_resolve(tmpdir, "/../../etc", &st, NULL), 0);
        ck_assert(st.st_ino == want.st_ino && st.st_dev == want.st_dev);
}
END_TEST

START_TEST(test_a_missing_path_is_enoent)
{
        struct stat st;
        char *shown = (char *)"unchanged";

        ck_assert_int_eq(root_resolve(tmpdir, "/no/such/file", &st, &shown), -ENOENT);
        ck_assert_ptr_null(shown);
}
END_TEST

static Suite *rootpath_suite(void)
{
        Suite *s = suite_create("rootpath");
        TCase *tc = tcase_create("rootpath");
        tcase_add_checked_fixture(tc, make_tmpdir, remove_tmpdir);
        tcase_add_test(tc, test_root_path_joins_root_and_path_once);
        tcase_add_test(tc, test_an_absolute_symlink_resolves_inside_the_root);
        tcase_add_test(tc, test_dot_dot_never_leaves_the_root);
        tcase_add_test(tc, test_a_missing_path_is_enoent);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(rootpath_suite)
