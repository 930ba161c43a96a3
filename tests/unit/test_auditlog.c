/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "auditlog.h"
#include "testutil.h"
#include "util.h"

static char *path_in(const char *name)
{
        char *p = NULL;
        ck_assert(asprintf(&p, "%s/%s", tmpdir, name) > 0);
        return p;
}

static off_t size_of(const char *path)
{
        struct stat st;
        return stat(path, &st) == 0 ? st.st_size : -1;
}

/* A record of n bytes with the newline: {"n":K,"pad":"xxx..."} */
static char *record(unsigned k, size_t n)
{
        char *s = NULL;
        int head = snprintf(NULL, 0, "{\"n\":%u,\"pad\":\"\"}\n", k);
        ck_assert((size_t)head <= n);
        ck_assert(asprintf(&s, "{\"n\":%u,\"pad\":\"%0*d\"}\n", k, (int)(n - (size_t)head), 0) > 0);
        ck_assert_uint_eq(strlen(s), n);
        return s;
}

static int collect(const struct jv *rec, void *userdata)
{
        int64_t n;
        char **seen = userdata;
        ck_assert_int_eq(jv_int64(jv_get_exact(rec, "n"), &n), 0);
        char *s = NULL;
        ck_assert(asprintf(&s, "%s%s%lld", *seen ? *seen : "", *seen ? "," : "", (long long)n) > 0);
        free(*seen);
        *seen = s;
        return 0;
}

START_TEST(test_the_first_record_makes_its_directories_for_root_alone)
{
        _cleanup_free_ char *log = path_in("var/log/rh/audit.log"), *dir = path_in("var/log/rh");
        _cleanup_free_ char *line = record(1, 100);
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        struct auditlog a = {.path = log, .max_size = 1 << 20, .keep = 2};
        struct stat st;

        ck_assert_int_eq(auditlog_append(&a, line, &err), 0);
        ck_assert_int_eq(stat(dir, &st), 0);
        ck_assert_uint_eq(st.st_mode & 07777, 0700);
        ck_assert_int_eq(stat(log, &st), 0);
        ck_assert_uint_eq(st.st_mode & 07777, 0600);
        ck_assert_int_eq(size_of(log), 100);
}
END_TEST

START_TEST(test_a_full_log_is_rotated_and_the_oldest_dropped)
{
        _cleanup_free_ char *log = path_in("audit.log"), *l1 = path_in("audit.log.1"), *l2 = path_in("audit.log.2");
        _cleanup_free_ char *l3 = path_in("audit.log.3"), *seen = NULL;
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        struct auditlog a = {.path = log, .max_size = 1000, .keep = 2};
        struct auditlog_read_stats st;

        /* 25 records of 100 bytes: ten to a file */
        for (unsigned i = 1; i <= 25; i++) {
                _cleanup_free_ char *line = record(i, 100);
                ck_assert_int_eq(auditlog_append(&a, line, &err), 0);
        }
        ck_assert_int_eq(size_of(log), 500);
        ck_assert_int_eq(size_of(l1), 1000);
        ck_assert_int_eq(size_of(l2), 1000);
        ck_assert_int_eq(size_of(l3), -1);
        ck_assert_int_eq(auditlog_read(&a, collect, &seen, &st, &err), 0);
        ck_assert_str_eq(seen, "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25");
        ck_assert_uint_eq(st.files, 3);
        /* six more: the log fills, rotates, the first ten are gone */
        for (unsigned i = 26; i <= 31; i++) {
                _cleanup_free_ char *line = record(i, 100);
                ck_assert_int_eq(auditlog_append(&a, line, &err), 0);
        }
        free(TAKE_PTR(seen));
        ck_assert_int_eq(auditlog_read(&a, collect, &seen, &st, &err), 0);
        ck_assert_str_eq(seen, "11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31");
        ck_assert_int_eq(size_of(l3), -1);
}
END_TEST

START_TEST(test_with_nothing_kept_the_log_starts_over)
{
        _cleanup_free_ char *log = path_in("audit.log"), *l1 = path_in("audit.log.1"), *seen = NULL;
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        struct auditlog a = {.path = log, .max_size = 300, .keep = 0};

        for (unsigned i = 1; i <= 7; i++) {
                _cleanup_free_ char *line = record(i, 100);
                ck_assert_int_eq(auditlog_append(&a, line, &err), 0);
        }
        ck_assert_int_eq(size_of(log), 100);
        ck_assert_int_eq(size_of(l1), -1);
        ck_assert_int_eq(auditlog_read(&a, collect, &seen, NULL, &err), 0);
        ck_assert_str_eq(seen, "7");
}
END_TEST

START_TEST(test_concurrent_writers_rotate_once_and_lose_no_record)
{
        _cleanup_free_ char *log = path_in("audit.log"), *seen = NULL;
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        struct auditlog a = {.path = log, .max_size = 20000, .keep = AUDITLOG_MAX_KEEP};
        struct auditlog_read_stats st;
        const int writers = 8, each = 100;

        for (int w = 0; w < writers; w++) {
                pid_t pid = fork();
                ck_assert_int_ge(pid, 0);
                if (pid == 0) {
                        for (int i = 0; i < each; i++) {
                                char *line = record((unsigned)(w * each + i), 200);
                                if (auditlog_append(&a, line, &err) != 0)
                                        _exit(1);
                                free(line);
                        }
                        _exit(0);
                }
        }
        for (int w = 0; w < writers; w++) {
                int status;
                ck_assert_int_gt(wait(&status), 0);
                ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        }
        ck_assert_int_eq(auditlog_read(&a, collect, &seen, &st, &err), 0);
        /* 160000 bytes in files of 20000: every record is there once, whole */
        ck_assert_uint_eq(st.lines, (uint64_t)writers * each);
        ck_assert_uint_eq(st.bad, 0);
        ck_assert_uint_ge(st.files, 8);
        for (unsigned i = 1; i <= st.files - 1; i++) {
                _cleanup_free_ char *name = NULL;
                ck_assert(asprintf(&name, "%s.%u", log, i) > 0);
                /* a writer that opened the file before it was rotated
                 * still appends its one record there */
                ck_assert_int_le(size_of(name), 20000 + writers * 200);
        }
}
END_TEST

START_TEST(test_a_cut_line_is_skipped_and_counted)
{
        _cleanup_free_ char *log = path_in("audit.log"), *seen = NULL;
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        struct auditlog a = {.path = log, .max_size = 1 << 20, .keep = 1};
        struct auditlog_read_stats st;
        FILE *f = fopen(log, "w");

        ck_assert_ptr_nonnull(f);
        fputs("{\"n\":1}\n{\"n\":2,\"cut\n[1]\n{\"n\":3}\n", f);
        fclose(f);
        ck_assert_int_eq(auditlog_read(&a, collect, &seen, &st, &err), 0);
        ck_assert_str_eq(seen, "1,3");
        ck_assert_uint_eq(st.bad, 2);
}
END_TEST

START_TEST(test_no_log_at_all_says_so)
{
        _cleanup_free_ char *log = path_in("none.log"), *seen = NULL;
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        struct auditlog a = {.path = log, .max_size = 1 << 20, .keep = 3};

        ck_assert_int_eq(auditlog_read(&a, collect, &seen, NULL, &err), -ENOENT);
        ck_assert_ptr_nonnull(strstr(rh_error_msg(&err), "none.log"));
}
END_TEST

START_TEST(test_a_fifo_in_its_place_is_refused_not_waited_on)
{
        _cleanup_free_ char *log = path_in("audit.log"), *line = record(1, 50);
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        struct auditlog a = {.path = log, .max_size = 1 << 20, .keep = 1};

        ck_assert_int_eq(mkfifo(log, 0600), 0);
        /* no reader: without O_NONBLOCK the open would wait for one */
        ck_assert_int_lt(auditlog_append(&a, line, &err), 0);
        ck_assert_ptr_nonnull(strstr(rh_error_msg(&err), log));
}
END_TEST

START_TEST(test_times_and_ages_parse)
{
        time_t t;
        char buf[32];
        const time_t now = 1800000000;

        ck_assert_int_eq(auditlog_time_parse("2026-11-29T01:02:03Z", now, &t), 0);
        auditlog_time_format(t, buf, sizeof(buf));
        ck_assert_str_eq(buf, "2026-11-29T01:02:03Z");
        ck_assert_int_eq(auditlog_time_parse("2026-11-29", now, &t), 0);
        auditlog_time_format(t, buf, sizeof(buf));
        ck_assert_str_eq(buf, "2026-11-29T00:00:00Z");
        ck_assert_int_eq(auditlog_time_parse("90m", now, &t), 0);
        ck_assert_int_eq(now - t, 5400);
        ck_assert_int_eq(auditlog_time_parse("7d", now, &t), 0);
        ck_assert_int_eq(now - t, 7 * 86400);
        ck_assert_int_eq(auditlog_time_parse("2w", now, &t), 0);
        ck_assert_int_eq(now - t, 14 * 86400);
        ck_assert_int_eq(auditlog_time_parse("yesterday", now, &t), -EINVAL);
        ck_assert_int_eq(auditlog_time_parse("5x", now, &t), -EINVAL);
        ck_assert_int_eq(auditlog_time_parse("-5d", now, &t), -EINVAL);
        ck_assert_int_eq(auditlog_time_parse("99999999999999w", now, &t), -ERANGE);
        ck_assert_int_eq(auditlog_time_parse("2026-11-29T01:02:03Zjunk", now, &t), -EINVAL);
}
END_TEST

static Suite *auditlog_suite(void)
{
        Suite *s = suite_create("auditlog");
        TCase *tc = tcase_create("auditlog");
        tcase_add_checked_fixture(tc, make_tmpdir, remove_tmpdir);
        tcase_add_test(tc, test_the_first_record_makes_its_directories_for_root_alone);
        tcase_add_test(tc, test_a_full_log_is_rotated_and_the_oldest_dropped);
        tcase_add_test(tc, test_with_nothing_kept_the_log_starts_over);
        tcase_add_test(tc, test_concurrent_writers_rotate_once_and_lose_no_record);
        tcase_add_test(tc, test_a_cut_line_is_skipped_and_counted);
        tcase_add_test(tc, test_no_log_at_all_says_so);
        tcase_add_test(tc, test_a_fifo_in_its_place_is_refused_not_waited_on);
        tcase_add_test(tc, test_times_and_ages_parse);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(auditlog_suite)
