/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"
#include "util.h"

/* spec_write_atomic and the temporary files a killed writer leaves: the
 * next write removes those of its own naming that nobody holds, and
 * nothing else. */

static int dir_fd(void)
{
        int fd = open(tmpdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        ck_assert_int_ge(fd, 0);
        return fd;
}

/* A file in the scratch directory, its mtime seconds_ago in the past. */
static void put_aged(const char *name, long seconds_ago)
{
        char p[256];
        snprintf(p, sizeof(p), "%s/%s", tmpdir, name);
        _cleanup_close_ int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(write(fd, "{\"half\":", 8), 8);
        struct timespec t[2] = {{.tv_sec = time(NULL) - seconds_ago}, {.tv_sec = time(NULL) - seconds_ago}};
        ck_assert_int_eq(futimens(fd, t), 0);
}

static bool exists(const char *name)
{
        char p[256];
        struct stat st;
        snprintf(p, sizeof(p), "%s/%s", tmpdir, name);
        return lstat(p, &st) == 0;
}

static size_t entries(void)
{
        DIR *d = opendir(tmpdir);
        size_t n = 0;
        ck_assert_ptr_nonnull(d);
        for (struct dirent *de; (de = readdir(d));)
                if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
                        n++;
        closedir(d);
        return n;
}

static void write_config(void)
{
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        _cleanup_close_ int dfd = dir_fd();
        int r = spec_write_atomic(dfd, "config.json", "{\"fixed\":1}", 11, NULL, &err);
        ck_assert_msg(r == 0, "%s", rh_error_msg(&err));
}

START_TEST(test_a_write_leaves_only_the_file)
{
        make_tmpdir();
        write_config();
        write_config();
        ck_assert_uint_eq(entries(), 1);
        ck_assert(exists("config.json"));
}
END_TEST

START_TEST(test_a_stale_temporary_file_of_a_killed_writer_is_removed)
{
        make_tmpdir();
        put_aged(".config.json.runc-harden-0a1b2c3d", 60);
        put_aged(".config.json.runc-harden-ffffffff", 3);
        write_config();
        ck_assert(!exists(".config.json.runc-harden-0a1b2c3d"));
        ck_assert(!exists(".config.json.runc-harden-ffffffff"));
        ck_assert_uint_eq(entries(), 1);
}
END_TEST

START_TEST(test_a_temporary_file_a_live_writer_holds_is_kept)
{
        char p[256];
        make_tmpdir();
        put_aged(".config.json.runc-harden-12345678", 3600);
        snprintf(p, sizeof(p), "%s/.config.json.runc-harden-12345678", tmpdir);
        /* flock conflicts between open file descriptions, in one process
         * as between two. */
        _cleanup_close_ int held = open(p, O_RDONLY | O_CLOEXEC);
        ck_assert_int_eq(flock(held, LOCK_EX), 0);
        write_config();
        ck_assert(exists(".config.json.runc-harden-12345678"));
        ck_assert_int_eq(flock(held, LOCK_UN), 0);
        write_config();
        ck_assert(!exists(".config.json.runc-harden-12345678"));
}
END_TEST

START_TEST(test_a_temporary_file_younger_than_any_writer_is_kept)
{
        make_tmpdir();
        put_aged(".config.json.runc-harden-00000000", 0);
        write_config();
        ck_assert(exists(".config.json.runc-harden-00000000"));
}
END_TEST

START_TEST(test_files_of_another_naming_are_never_removed)
{
        static const char *const others[] = {
                ".config.json.runc-harden-1234567",   /* seven digits */
                ".config.json.runc-harden-123456789", /* nine */
                ".config.json.runc-harden-1234567G",  /* not hex */
                ".config.json.runc-harden-ABCDEF01",  /* upper case: not ours */
                "config.json.runc-harden-12345678",   /* no leading dot */
                ".other.json.runc-harden-12345678",   /* another file's */
                ".config.json.crun-12345678",         ".config.json~",
        };
        char p[256], target[256];
        make_tmpdir();
        for (size_t i = 0; i < ARRAY_SIZE(others); i++)
                put_aged(others[i], 3600);
        /* Of our naming, but not a regular file. */
        snprintf(p, sizeof(p), "%s/.config.json.runc-harden-aaaaaaaa", tmpdir);
        snprintf(target, sizeof(target), "%s/.config.json~", tmpdir);
        ck_assert_int_eq(symlink(target, p), 0);
        snprintf(p, sizeof(p), "%s/.config.json.runc-harden-bbbbbbbb", tmpdir);
        ck_assert_int_eq(mkdir(p, 0700), 0);
        write_config();
        for (size_t i = 0; i < ARRAY_SIZE(others); i++)
                ck_assert_msg(exists(others[i]), "%s was removed", others[i]);
        ck_assert(exists(".config.json.runc-harden-aaaaaaaa"));
        ck_assert(exists(".config.json.runc-harden-bbbbbbbb"));
        ck_assert_uint_eq(entries(), ARRAY_SIZE(others) + 3);
}
END_TEST

static Suite *atomic_write_suite(void)
{
        Suite *s = suite_create("atomic_write");
        TCase *tc = tcase_create("stale temporary files");
        tcase_add_checked_fixture(tc, NULL, remove_tmpdir);
        tcase_add_test(tc, test_a_write_leaves_only_the_file);
        tcase_add_test(tc, test_a_stale_temporary_file_of_a_killed_writer_is_removed);
        tcase_add_test(tc, test_a_temporary_file_a_live_writer_holds_is_kept);
        tcase_add_test(tc, test_a_temporary_file_younger_than_any_writer_is_kept);
        tcase_add_test(tc, test_files_of_another_naming_are_never_removed);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(atomic_write_suite)
