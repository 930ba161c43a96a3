/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"
/* preserved_fds.c is in libruntime, which the unit tests link. */
#include "preserved_fds.h"

/* --preserve-fds and LISTEN_FDS (runtime/preserved_fds.c): read only in
 * the form runc 1.1.5 (Go's flag.Int, base 0) and crun 1.8 (strtoul, base
 * 10) read alike, and every fd they name must be one the caller passed. */

static void expect_count(const char *s, int want, unsigned want_value)
{
        unsigned v = 12345;
        int r = preserve_fds_parse(s, 1u << 24, &v);
        ck_assert_msg(r == want, "--preserve-fds \"%s\": %d, expected %d", s, r, want);
        if (want == 0)
                ck_assert_uint_eq(v, want_value);
}

START_TEST(test_preserve_fds_is_read_only_where_runc_and_crun_agree)
{
        expect_count("0", 0, 0);
        expect_count("1", 0, 1);
        expect_count("96", 0, 96);
        expect_count("16777216", 0, 16777216);
        /* Go reads 96, 8, 10, 1, -1; crun reads 0, 10, 1, 1, ULONG_MAX */
        expect_count("0x60", -EINVAL, 0);
        expect_count("010", -EINVAL, 0);
        expect_count("1_0", -EINVAL, 0);
        expect_count("+1", -EINVAL, 0);
        expect_count("-1", -EINVAL, 0);
        expect_count("00", -EINVAL, 0);
        expect_count("", -EINVAL, 0);
        expect_count(" 1", -EINVAL, 0);
        expect_count("1 ", -EINVAL, 0);
        expect_count("16777217", -ERANGE, 0);
        expect_count("99999999999999999999999", -ERANGE, 0);

        unsigned v = 7;
        ck_assert_int_eq(listen_fds_parse(NULL, 100, &v), 0);
        ck_assert_uint_eq(v, 0);
        ck_assert_int_eq(listen_fds_parse("", 100, &v), 0);
        ck_assert_uint_eq(v, 0);
        ck_assert_int_eq(listen_fds_parse("2", 100, &v), 0);
        ck_assert_uint_eq(v, 2);
        /* Atoi refuses "2x" (runc: no LISTEN_FDS), strtoll reads 2 */
        ck_assert_int_eq(listen_fds_parse("2x", 100, &v), -EINVAL);
        ck_assert_int_eq(listen_fds_parse("-1", 100, &v), -EINVAL);
        ck_assert_int_eq(listen_fds_parse("101", 100, &v), -ERANGE);
}
END_TEST

static void expect_judged(int first_gap, const char *preserve, const char *listen, int want, int want_end,
                          const char *part)
{
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        struct caller_fds cf = {.first_gap = first_gap};
        int end = -1;
        int r = preserved_fds_judge(&cf, preserve, listen, &end, &err);

        ck_assert_msg(r == want, "gap %d, --preserve-fds %s, LISTEN_FDS %s: %d, expected %d (%s)", first_gap,
                      preserve ?: "-", listen ?: "-", r, want, rh_error_msg(&err));
        if (want == 0)
                ck_assert_int_eq(end, want_end);
        else
                ck_assert_msg(strstr(rh_error_msg(&err), part), "\"%s\" lacks \"%s\"", rh_error_msg(&err), part);
}

START_TEST(test_every_fd_handed_over_must_be_the_callers)
{
        /* the caller has fds 3 and 4 open, 5 not */
        expect_judged(5, NULL, NULL, 0, 3, NULL);
        expect_judged(5, "0", NULL, 0, 3, NULL);
        expect_judged(5, "2", NULL, 0, 5, NULL);
        expect_judged(5, "3", NULL, -EPERM, 0, "--preserve-fds 3 would hand the container fd 5,");
        expect_judged(3, "1", NULL, -EPERM, 0, "--preserve-fds 1 would hand the container fd 3,");
        /* LISTEN_FDS' fds come first, then the preserved ones */
        expect_judged(5, "1", "1", 0, 5, NULL);
        expect_judged(5, NULL, "2", 0, 5, NULL);
        expect_judged(5, NULL, "", 0, 3, NULL);
        expect_judged(5, "1", "2", -EPERM, 0, "LISTEN_FDS=2 with --preserve-fds 1 would hand the container fd 5,");
        expect_judged(3, NULL, "1", -EPERM, 0, "LISTEN_FDS=1 would hand the container fd 3,");
        /* what cannot be judged is refused, whatever is open */
        expect_judged(1000, "0x1", NULL, -EINVAL, 0, "--preserve-fds 0x1 cannot be judged");
        expect_judged(1000, "1", "1x", -EINVAL, 0, "LISTEN_FDS=1x cannot be judged");
        expect_judged(1000, "99999999999", NULL, -EINVAL, 0, "cannot be judged");

        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        struct caller_fds cf = {.first_gap = 100, .stdio_err = EMFILE};
        int end;
        ck_assert_int_eq(preserved_fds_judge(&cf, NULL, NULL, &end, &err), -EPERM);
        ck_assert_ptr_nonnull(strstr(rh_error_msg(&err), "standard fd closed"));
}
END_TEST

/* In a child: its fd table is the test's to shape. */
static int start_in_child(void)
{
        struct caller_fds cf;
        struct stat st, null;

        for (int fd = 3; fd < 64; fd++)
                close(fd);
        /* 3 and 4 open, 5 closed, 6 open; stdin closed */
        if (open("/dev/null", O_RDONLY) != 3 || open("/dev/null", O_RDONLY) != 4 || dup2(3, 6) != 6)
                return 10;
        close(STDIN_FILENO);
        caller_fds_at_start(&cf);
        if (cf.first_gap != 5)
                return 11;
        if (cf.stdio_filled != 1u || cf.stdio_err != 0)
                return 12;
        /* stdin is /dev/null now, inheritable, and nothing else moved */
        if (fstat(STDIN_FILENO, &st) < 0 || stat("/dev/null", &null) < 0 || st.st_rdev != null.st_rdev)
                return 13;
        if (fcntl(STDIN_FILENO, F_GETFD) != 0 || fcntl(5, F_GETFD) >= 0)
                return 14;
        return 0;
}

START_TEST(test_the_fd_table_is_read_before_anything_is_opened)
{
        pid_t pid = fork();
        int status;

        ck_assert_int_ge(pid, 0);
        if (pid == 0)
                _exit(start_in_child());
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child: status %d", status);
}
END_TEST

static int recheck_in_child(void)
{
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        int p[2];

        for (int fd = 3; fd < 64; fd++)
                close(fd);
        if (pipe(p) < 0 || p[0] != 3 || p[1] != 4)
                return 10;
        if (preserved_fds_recheck(5, &err) != 0)
                return 11;
        if (preserved_fds_recheck(6, &err) != -EBADF || !strstr(rh_error_msg(&err), "fd 5,") ||
            !strstr(rh_error_msg(&err), "closed"))
                return 12;
        rh_error_clear(&err);
        /* an fd of runc-harden's own is O_CLOEXEC: the exec would close it
         * and the runtime would fill the gap */
        if (fcntl(4, F_SETFD, FD_CLOEXEC) < 0 || preserved_fds_recheck(5, &err) != -EBADF ||
            !strstr(rh_error_msg(&err), "fd 4,") || !strstr(rh_error_msg(&err), "close-on-exec"))
                return 13;
        return 0;
}

START_TEST(test_an_fd_of_our_own_in_the_range_is_caught_before_the_hand_off)
{
        pid_t pid = fork();
        int status;

        ck_assert_int_ge(pid, 0);
        if (pid == 0)
                _exit(recheck_in_child());
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child: status %d", status);
}
END_TEST

static Suite *preserved_fds_suite(void)
{
        Suite *s = suite_create("preserved-fds");
        TCase *tc = tcase_create("preserved-fds");

        tcase_add_test(tc, test_preserve_fds_is_read_only_where_runc_and_crun_agree);
        tcase_add_test(tc, test_every_fd_handed_over_must_be_the_callers);
        tcase_add_test(tc, test_the_fd_table_is_read_before_anything_is_opened);
        tcase_add_test(tc, test_an_fd_of_our_own_in_the_range_is_caught_before_the_hand_off);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(preserved_fds_suite)
