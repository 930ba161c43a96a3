/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "testutil.h"
#include "util.h"

/* Reading a whole file (policy/fileio.c). */

static char *scratch(const char *name, const char *data, size_t len)
{
        char *p = NULL;
        ck_assert_int_gt(asprintf(&p, "%s/%s", tmpdir, name), 0);
        int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
        close(fd);
        return p;
}

START_TEST(test_a_file_comes_whole_and_nul_terminated)
{
        _cleanup_free_ char *p = scratch("f", "abc\0def", 7), *buf = NULL, *empty_path = scratch("e", "", 0);
        _cleanup_free_ char *empty = NULL;
        size_t len = 0;

        ck_assert_int_eq(read_full_file(p, SIZE_MAX, &buf, &len), 0);
        ck_assert_uint_eq(len, 7);
        ck_assert_int_eq(memcmp(buf, "abc\0def", 8), 0);
        ck_assert_int_eq(read_full_file(empty_path, SIZE_MAX, &empty, NULL), 0);
        ck_assert_str_eq(empty, "");
}
END_TEST

START_TEST(test_proc_files_whose_size_says_zero_come_whole)
{
        _cleanup_free_ char *buf = NULL;
        size_t len = 0;
        struct stat st;

        ck_assert_int_eq(stat("/proc/self/mountinfo", &st), 0);
        ck_assert_int_eq(st.st_size, 0);
        ck_assert_int_eq(read_full_file("/proc/self/mountinfo", SIZE_MAX, &buf, &len), 0);
        ck_assert_uint_gt(len, 0);
        ck_assert_uint_eq(strlen(buf), len);
        ck_assert_int_eq(buf[len - 1], '\n');
}
END_TEST

START_TEST(test_more_than_the_limit_is_efbig_from_a_file_or_a_pipe)
{
        char big[100000];
        _cleanup_free_ char *p = NULL, *buf = NULL;
        int fds[2];

        memset(big, 'x', sizeof(big));
        p = scratch("big", big, sizeof(big));
        ck_assert_int_eq(read_full_file(p, sizeof(big) - 1, &buf, NULL), -EFBIG);
        ck_assert_ptr_null(buf);
        ck_assert_int_eq(read_full_file(p, sizeof(big), &buf, NULL), 0);
        free(TAKE_PTR(buf));

        /* a pipe has no size to refuse up front: it is read past the limit */
        ck_assert_int_eq(pipe(fds), 0);
        ck_assert_int_eq(write(fds[1], big, 60000), 60000);
        close(fds[1]);
        ck_assert_int_eq(read_full_fd(fds[0], 20000, &buf, NULL), -EFBIG);
        ck_assert_ptr_null(buf);
        close(fds[0]);
}
END_TEST

START_TEST(test_a_directory_or_a_missing_file_is_an_errno)
{
        char *buf = NULL;
        _cleanup_free_ char *missing = NULL;

        ck_assert_int_eq(read_full_file(tmpdir, SIZE_MAX, &buf, NULL), -EISDIR);
        ck_assert_int_gt(asprintf(&missing, "%s/none", tmpdir), 0);
        ck_assert_int_eq(read_full_file(missing, SIZE_MAX, &buf, NULL), -ENOENT);
        ck_assert_ptr_null(buf);
}
END_TEST

static Suite *fileio_suite(void)
{
        Suite *s = suite_create("fileio");
        TCase *tc = tcase_create("fileio");
        tcase_add_checked_fixture(tc, make_tmpdir, remove_tmpdir);
        tcase_add_test(tc, test_a_file_comes_whole_and_nul_terminated);
        tcase_add_test(tc, test_proc_files_whose_size_says_zero_come_whole);
        tcase_add_test(tc, test_more_than_the_limit_is_efbig_from_a_file_or_a_pipe);
        tcase_add_test(tc, test_a_directory_or_a_missing_file_is_an_errno);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(fileio_suite)
