/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <check.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "delegate.h"

/* Which runtime runc-harden hands off to, with this test program standing
 * in for runc-harden: /proc/self/exe is what the delegate compares with.
 * Each test runs in its own process (check forks), so the delegate's
 * per-process memory of paths starts empty every time. */

static char dir[64], self_link[128], other[128];

static void setup(void)
{
        strcpy(dir, "/tmp/rh-delegate-XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(dir));
        snprintf(self_link, sizeof(self_link), "%s/runc", dir);
        snprintf(other, sizeof(other), "%s/real-runc", dir);
        char exe[PATH_MAX];
        ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
        ck_assert_int_gt(n, 0);
        exe[n] = '\0';
        ck_assert_int_eq(symlink(exe, self_link), 0); /* runc-harden installed as runc */
        FILE *f = fopen(other, "w");
        ck_assert_ptr_nonnull(f);
        fputs("#!/bin/sh\n", f);
        fclose(f);
        ck_assert_int_eq(chmod(other, 0755), 0);
}

static void teardown(void)
{
        unlink(self_link);
        unlink(other);
        rmdir(dir);
}

START_TEST(test_an_explicit_runtime_is_taken_as_it_is)
{
        rh_error_t err = RH_ERROR_INIT;
        ck_assert_str_eq(shim_choose_runtime(self_link, other, other), self_link);
        ck_assert_int_eq(shim_check_runtime(self_link, &err), -ELOOP);
        ck_assert_ptr_nonnull(strstr(rh_error_msg(&err), "is runc-harden itself; point --harden-runtime"));
        rh_error_clear(&err);
}
END_TEST

START_TEST(test_a_default_that_is_runc_harden_itself_gives_way_to_the_system_runtime)
{
        rh_error_t err = RH_ERROR_INIT;
        ck_assert_str_eq(shim_choose_runtime(NULL, self_link, other), other);
        ck_assert_int_eq(shim_check_runtime(other, &err), 0);
        rh_error_clear(&err);
}
END_TEST

START_TEST(test_a_default_that_is_another_runtime_is_kept)
{
        ck_assert_str_eq(shim_choose_runtime(NULL, other, self_link), other);
}
END_TEST

START_TEST(test_without_a_usable_system_runtime_the_loop_is_refused_clearly)
{
        rh_error_t err = RH_ERROR_INIT;
        char missing[160];
        snprintf(missing, sizeof(missing), "%s/none", dir);
        ck_assert_str_eq(shim_choose_runtime(NULL, self_link, missing), self_link);
        ck_assert_int_eq(shim_check_runtime(self_link, &err), -ELOOP);
        ck_assert_ptr_nonnull(strstr(rh_error_msg(&err), "installed as the system runc"));
        ck_assert_ptr_nonnull(strstr(rh_error_msg(&err), missing));
        rh_error_clear(&err);
        /* the system runtime must not be runc-harden either */
        ck_assert_str_eq(shim_choose_runtime(NULL, self_link, "/proc/self/exe"), self_link);
}
END_TEST

START_TEST(test_a_runtime_that_is_not_there_or_not_executable_is_refused)
{
        rh_error_t err = RH_ERROR_INIT;
        ck_assert_int_eq(shim_check_runtime("/nonexistent/runc", &err), -ENOENT);
        ck_assert_ptr_nonnull(strstr(rh_error_msg(&err), "cannot be used"));
        ck_assert_int_eq(chmod(other, 0644), 0);
        ck_assert_int_eq(shim_check_runtime(other, &err), -EACCES);
        ck_assert_int_eq(shim_check_runtime(dir, &err), -EACCES);
        ck_assert_ptr_nonnull(strstr(rh_error_msg(&err), "not a regular file"));
        rh_error_clear(&err);
}
END_TEST

START_TEST(test_each_path_is_looked_at_once)
{
        rh_error_t err = RH_ERROR_INIT;
        ck_assert_int_eq(shim_check_runtime(other, &err), 0);
        /* gone now, but the first answer stands for this process */
        ck_assert_int_eq(unlink(other), 0);
        ck_assert_int_eq(shim_check_runtime(other, &err), 0);
        ck_assert_int_eq(shim_check_not_self(other, &err), 0);
        rh_error_clear(&err);
}
END_TEST

/* --- running the runtime as a child ------------------------------------ */

START_TEST(test_the_childs_exit_status_and_signal_are_passed_on)
{
        rh_error_t err = RH_ERROR_INIT;
        int status;
        char *argv[] = {NULL, "-c", "exit 7", NULL};
        ck_assert_int_eq(shim_spawn_delegate("/bin/sh", argv, &status, &err), 0);
        ck_assert_int_eq(shim_exit_code(status), 7);
        char *killed[] = {NULL, "-c", "kill -TERM $$", NULL};
        ck_assert_int_eq(shim_spawn_delegate("/bin/sh", killed, &status, &err), 0);
        ck_assert_int_eq(shim_exit_code(status), SHIM_EXIT_SIGNALED | SIGTERM);
        ck_assert_int_eq(shim_raise_exit(3), 3);
        char *missing[] = {NULL, NULL};
        ck_assert_int_lt(shim_spawn_delegate("/nonexistent/runtime", missing, &status, &err), 0);
        ck_assert_ptr_nonnull(strstr(rh_error_msg(&err), "/nonexistent/runtime"));
        rh_error_clear(&err);
}
END_TEST

/* Both pipes are read together: a child that fills stderr while runc-harden
 * would still be reading stdout must not hang. */
START_TEST(test_a_capture_reads_both_streams_to_the_end)
{
        rh_error_t err = RH_ERROR_INIT;
        char *out = NULL, *errtext = NULL;
        int status;
        char *argv[] = {NULL, "-c", "head -c 300000 /dev/zero | tr '\\0' e >&2; echo out; exit 4", NULL};
        ck_assert_int_eq(shim_run_capture("/bin/sh", argv, &out, &errtext, &status, &err), 0);
        ck_assert_int_eq(shim_exit_code(status), 4);
        ck_assert_str_eq(out, "out\n");
        ck_assert_uint_eq(strlen(errtext), 300000);
        free(out);
        free(errtext);
        rh_error_clear(&err);
}
END_TEST

static Suite *delegate_suite(void)
{
        Suite *s = suite_create("delegate");
        TCase *t = tcase_create("choose");
        tcase_add_checked_fixture(t, setup, teardown);
        tcase_add_test(t, test_an_explicit_runtime_is_taken_as_it_is);
        tcase_add_test(t, test_a_default_that_is_runc_harden_itself_gives_way_to_the_system_runtime);
        tcase_add_test(t, test_a_default_that_is_another_runtime_is_kept);
        tcase_add_test(t, test_without_a_usable_system_runtime_the_loop_is_refused_clearly);
        tcase_add_test(t, test_a_runtime_that_is_not_there_or_not_executable_is_refused);
        tcase_add_test(t, test_each_path_is_looked_at_once);
        suite_add_tcase(s, t);
        TCase *c = tcase_create("child");
        tcase_add_test(c, test_the_childs_exit_status_and_signal_are_passed_on);
        tcase_add_test(c, test_a_capture_reads_both_streams_to_the_end);
        suite_add_tcase(s, c);
        return s;
}

int main(void)
{
        SRunner *sr = srunner_create(delegate_suite());
        srunner_run_all(sr, CK_NORMAL);
        int failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
