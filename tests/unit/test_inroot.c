/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "inroot.h"
#include "testutil.h"
#include "util.h"

/* A root directory as an image would make it: links that point out of it
 * must resolve inside it. */
static char root[64];
static int rootfd = -1;

static void setup(void)
{
        snprintf(root, sizeof(root), "/tmp/rh-unit-inroot.%d", (int)getpid());
        char p[128];
        mkdir(root, 0755);
        snprintf(p, sizeof(p), "%s/etc", root);
        mkdir(p, 0755);
        snprintf(p, sizeof(p), "%s/etc/passwd", root);
        close(open(p, O_CREAT | O_WRONLY, 0644));
        snprintf(p, sizeof(p), "%s/var", root);
        mkdir(p, 0755);
        snprintf(p, sizeof(p), "%s/var/run", root);
        ck_assert_int_eq(symlink("/run", p), 0); /* absolute: the root's /run */
        snprintf(p, sizeof(p), "%s/run", root);
        mkdir(p, 0755);
        snprintf(p, sizeof(p), "%s/run/x", root);
        mkdir(p, 0755);
        snprintf(p, sizeof(p), "%s/up", root);
        ck_assert_int_eq(symlink("../../../../etc", p), 0); /* ".." stops at the root */
        snprintf(p, sizeof(p), "%s/loop", root);
        ck_assert_int_eq(symlink("loop", p), 0);
        rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
        ck_assert_int_ge(rootfd, 0);
}

static void teardown(void)
{
        close(rootfd);
        remove_tree(root);
}

static void expect_resolved(const char *path, bool follow, const char *want)
{
        char *got = NULL;
        ck_assert_int_eq(inroot_resolve(rootfd, path, follow, &got), 0);
        ck_assert_str_eq(got, want);
        free(got);
}

START_TEST(test_links_out_of_the_root_resolve_inside_it)
{
        expect_resolved("/var/run/x", true, "/run/x");
        expect_resolved("/up/passwd", true, "/etc/passwd");
        expect_resolved("/../../etc//./passwd", true, "/etc/passwd");
        expect_resolved("/", true, "/");
}
END_TEST

START_TEST(test_the_final_link_is_kept_unless_followed)
{
        expect_resolved("/var/run", false, "/var/run");
        expect_resolved("/var/run", true, "/run");
}
END_TEST

START_TEST(test_a_loop_fails_and_a_missing_parent_is_said)
{
        char *got = NULL;
        ck_assert_int_eq(inroot_resolve(rootfd, "/loop", true, &got), -ELOOP);
        ck_assert_int_eq(inroot_resolve(rootfd, "/etc/passwd/x", true, &got), -ENOTDIR);
        ck_assert_int_eq(inroot_resolve(rootfd, "/nowhere", true, &got), -ENOENT);
        ck_assert_int_eq(inroot_resolve(rootfd, "/var/run/nowhere", true, &got), -ENOENT);
}
END_TEST

/* inroot_open(): the same links opened, never out of the root. */
START_TEST(test_open_stays_inside_the_root)
{
        static const struct {
                const char *path, *want; /* as seen from the root */
        } cases[] = {{"/var/run/x", "/run/x"}, {"/up/passwd", "/etc/passwd"}, {"../../etc", "/etc"}, {"/", "/"}};
        _cleanup_free_ char *top = fd_path(rootfd);

        ck_assert_ptr_nonnull(top);
        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                _cleanup_close_ int fd = -1;
                int r = inroot_open(rootfd, cases[i].path, &fd);
                if (r == -ENOSYS)
                        return; /* no openat2() here: inroot_resolve() is what callers have */
                ck_assert_msg(r == 0, "%s: %s", cases[i].path, strerror(-r));
                _cleanup_free_ char *reached = fd_path(fd), *below = inroot_path_below(top, reached);
                ck_assert_ptr_nonnull(below);
                ck_assert_str_eq(below, cases[i].want);
        }
        _cleanup_close_ int fd = -1;
        ck_assert_int_eq(inroot_open(rootfd, "/loop", &fd), -ELOOP);
        ck_assert_int_eq(inroot_open(rootfd, "/none/x", &fd), -ENOENT);
}
END_TEST

START_TEST(test_a_path_below_another_is_cut_at_component_boundaries)
{
        _cleanup_free_ char *a = inroot_path_below("/srv/root", "/srv/root/etc/x"),
                            *b = inroot_path_below("/srv/root", "/srv/root"),
                            *c = inroot_path_below("/srv/root", "/srv/rootless/etc"),
                            *d = inroot_path_below("/", "/etc"), *e = inroot_path_below("/srv/root", "/etc");

        ck_assert_str_eq(a, "/etc/x");
        ck_assert_str_eq(b, "/");
        ck_assert_ptr_null(c);
        ck_assert_str_eq(d, "/etc");
        ck_assert_ptr_null(e);
}
END_TEST

static Suite *inroot_suite(void)
{
        Suite *s = suite_create("inroot");
        TCase *tc = tcase_create("core");
        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_links_out_of_the_root_resolve_inside_it);
        tcase_add_test(tc, test_the_final_link_is_kept_unless_followed);
        tcase_add_test(tc, test_a_loop_fails_and_a_missing_parent_is_said);
        tcase_add_test(tc, test_open_stays_inside_the_root);
        tcase_add_test(tc, test_a_path_below_another_is_cut_at_component_boundaries);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(inroot_suite)
