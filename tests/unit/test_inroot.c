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
        char cmd[128];
        close(rootfd);
        snprintf(cmd, sizeof(cmd), "rm -rf --one-file-system %s", root);
        ck_assert_int_eq(system(cmd), 0);
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

static Suite *inroot_suite(void)
{
        Suite *s = suite_create("inroot");
        TCase *tc = tcase_create("core");
        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_links_out_of_the_root_resolve_inside_it);
        tcase_add_test(tc, test_the_final_link_is_kept_unless_followed);
        tcase_add_test(tc, test_a_loop_fails_and_a_missing_parent_is_said);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(inroot_suite)
