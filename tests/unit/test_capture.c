/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "capture.h"
#include "testutil.h"
#include "util.h"

/* Running a child and keeping what it prints (shim/capture.c). */

static int sh(const char *script, capture_err_t err, char **ret_out, char **ret_err)
{
        char *const argv[] = {(char *)"/bin/sh", (char *)"-c", (char *)script, NULL};
        return capture_program(argv, NULL, err, ret_out, ret_err);
}

START_TEST(test_stdout_stderr_and_the_exit_status_are_kept_apart)
{
        _cleanup_free_ char *out = NULL, *err = NULL;

        ck_assert_int_eq(sh("echo out; echo err >&2; exit 3", CAPTURE_ERR_KEEP, &out, &err), 3);
        ck_assert_str_eq(out, "out\n");
        ck_assert_str_eq(err, "err\n");
}
END_TEST

/* Both pipes hold 64 KiB; a child that fills both before it exits only
 * finishes when they are drained as it writes. */
START_TEST(test_a_child_filling_both_pipes_does_not_hang)
{
        _cleanup_free_ char *out = NULL, *err = NULL;

        ck_assert_int_eq(sh("head -c 300000 /dev/zero | tr '\\0' o; head -c 200000 /dev/zero | tr '\\0' e >&2; "
                            "head -c 100000 /dev/zero | tr '\\0' o",
                            CAPTURE_ERR_KEEP, &out, &err),
                         0);
        ck_assert_uint_eq(strlen(out), 400000);
        ck_assert_uint_eq(strlen(err), 200000);
        ck_assert_uint_eq(strspn(out, "o"), 400000);
}
END_TEST

START_TEST(test_stdin_is_empty_and_the_environment_is_the_one_given)
{
        char *const argv[] = {(char *)"/bin/sh", (char *)"-c", (char *)"cat; echo \"[$LC_ALL]\"", NULL};
        char *const envp[] = {(char *)"LC_ALL=C", (char *)"PATH=/usr/bin:/bin", NULL};
        _cleanup_free_ char *out = NULL;

        ck_assert_int_eq(capture_program(argv, envp, CAPTURE_ERR_NULL, &out, NULL), 0);
        ck_assert_str_eq(out, "[C]\n");
}
END_TEST

START_TEST(test_a_program_that_cannot_run_is_an_errno_and_a_signal_is_128_plus)
{
        char *const argv[] = {(char *)"/no/such/program", NULL};
        _cleanup_free_ char *out = NULL;

        ck_assert_int_eq(capture_program(argv, NULL, CAPTURE_ERR_NULL, &out, NULL), -ENOENT);
        ck_assert_ptr_null(out);
        ck_assert_int_eq(sh("kill -9 $$", CAPTURE_ERR_NULL, &out, NULL), 128 + 9);
        ck_assert_str_eq(out, "");
}
END_TEST

/* runc-harden may be started with stdin, stdout or stderr closed: the
 * child still gets /dev/null, the pipe and the pipe. */
START_TEST(test_closed_standard_fds_in_the_parent_do_not_matter)
{
        _cleanup_free_ char *out = NULL, *err = NULL;
        int saved_in = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 10), saved_out = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 10);

        ck_assert_int_ge(saved_in, 0);
        ck_assert_int_ge(saved_out, 0);
        /* the pipe for stdout gets fds 0 and 1 */
        close(STDIN_FILENO);
        close(STDOUT_FILENO);
        int r = sh("cat; echo out; echo err >&2", CAPTURE_ERR_KEEP, &out, &err);
        ck_assert_int_eq(dup2(saved_in, STDIN_FILENO), STDIN_FILENO);
        ck_assert_int_eq(dup2(saved_out, STDOUT_FILENO), STDOUT_FILENO);
        close(saved_in);
        close(saved_out);
        ck_assert_int_eq(r, 0);
        ck_assert_str_eq(out, "out\n");
        ck_assert_str_eq(err, "err\n");
}
END_TEST

static Suite *capture_suite(void)
{
        Suite *s = suite_create("capture");
        TCase *tc = tcase_create("capture");
        tcase_add_test(tc, test_stdout_stderr_and_the_exit_status_are_kept_apart);
        tcase_add_test(tc, test_a_child_filling_both_pipes_does_not_hang);
        tcase_add_test(tc, test_stdin_is_empty_and_the_environment_is_the_one_given);
        tcase_add_test(tc, test_a_program_that_cannot_run_is_an_errno_and_a_signal_is_128_plus);
        tcase_add_test(tc, test_closed_standard_fds_in_the_parent_do_not_matter);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(capture_suite)
