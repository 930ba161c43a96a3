/* SPDX-License-Identifier: GPL-2.0-or-later */
/* identity (policy/rules/identity.c): additionalGids resolved as runc 1.1's
 * user.GetAdditionalGroups resolves them (names as well as gids, file
 * order, Go's whitespace and integer parsing, 32-bit setgroups), and the
 * capabilities a process that is not root keeps across execve. */
#include <errno.h>
#include <linux/capability.h>

#include "rules/identity.h"
#include "testutil.h"

/* The gid runc gives ag under group file text (NULL: no file). */
static uint32_t gid_of(const char *text, uint32_t ag)
{
        uint32_t gid = 12345;
        ck_assert_int_eq(identity_runc_groups(text, text ? strlen(text) : 0, &ag, 1, &gid), 0);
        return gid;
}

START_TEST(test_a_group_name_that_is_an_id_wins)
{
        /* the attack: a group named "1000" whose gid is 0 */
        ck_assert_uint_eq(gid_of("1000:x:0:\nroot:x:0:\n", 1000), 0);
        /* a gid match counts as well, whichever comes first in the file */
        ck_assert_uint_eq(gid_of("users:x:1000:\n1000:x:0:\n", 1000), 1000);
        ck_assert_uint_eq(gid_of("1000:x:7:\nusers:x:1000:\n", 1000), 7);
        /* no match: the id as a number; no file: the same */
        ck_assert_uint_eq(gid_of("root:x:0:\n", 1000), 1000);
        ck_assert_uint_eq(gid_of(NULL, 1000), 1000);
        ck_assert_uint_eq(gid_of("", 1000), 1000);
}
END_TEST

START_TEST(test_a_gid_that_is_not_a_number_is_zero)
{
        /* parseLine ignores Atoi's error: the gid is Go's zero */
        ck_assert_uint_eq(gid_of("1000:x:abc:\n", 1000), 0);
        ck_assert_uint_eq(gid_of("1000:x::\n", 1000), 0);
        ck_assert_uint_eq(gid_of("1000:x\n", 1000), 0);
        ck_assert_uint_eq(gid_of("1000\n", 1000), 0);
        ck_assert_uint_eq(gid_of("1000:x: 5:\n", 1000), 0);
        ck_assert_uint_eq(gid_of("1000:x:0x5:\n", 1000), 0);
        ck_assert_uint_eq(gid_of("1000:x:5_0:\n", 1000), 0);
        /* signs are Go's: +5 is 5, -0 is 0 */
        ck_assert_uint_eq(gid_of("1000:x:+5:\n", 1000), 5);
        ck_assert_uint_eq(gid_of("1000:x:-0:\n", 1000), 0);
        ck_assert_uint_eq(gid_of("1000:x:007:\n", 1000), 7);
}
END_TEST

START_TEST(test_setgroups_takes_32_bits_of_the_gid)
{
        /* 2^32 is 0 to setgroups(2), 2^32+5 is 5 */
        ck_assert_uint_eq(gid_of("1000:x:4294967296:\n", 1000), 0);
        ck_assert_uint_eq(gid_of("1000:x:4294967301:\n", 1000), 5);
        ck_assert_uint_eq(gid_of("1000:x:-4294967296:\n", 1000), 0);
        /* out of int64's range: ParseInt's bound, whatever follows the
         * overflow (min int64 is 0 in 32 bits, max int64 is 2^32-1) */
        ck_assert_uint_eq(gid_of("1000:x:-99999999999999999999:\n", 1000), 0);
        ck_assert_uint_eq(gid_of("1000:x:-99999999999999999999zz:\n", 1000), 0);
        ck_assert_uint_eq(gid_of("1000:x:99999999999999999999:\n", 1000), UINT32_MAX);
        ck_assert_uint_eq(gid_of("1000:x:-9223372036854775808:\n", 1000), 0);
        ck_assert_uint_eq(gid_of("1000:x:9223372036854775807:\n", 1000), UINT32_MAX);
        /* a syntax error before any overflow is 0 */
        ck_assert_uint_eq(gid_of("1000:x:12z99999999999999999999:\n", 1000), 0);
}
END_TEST

START_TEST(test_lines_are_trimmed_as_go_trims_them)
{
        /* Unicode white space before the name: NBSP, ideographic space */
        ck_assert_uint_eq(gid_of("\xc2\xa0"
                                 "1000:x:0:\n",
                                 1000),
                          0);
        ck_assert_uint_eq(gid_of("\xe3\x80\x80\t 1000:x:0:\n", 1000), 0);
        ck_assert_uint_eq(gid_of("\xc2\x85"
                                 "1000:x:0\xe2\x80\xa8\r\n",
                                 1000),
                          0);
        /* after the gid: trimmed, so the gid is read */
        ck_assert_uint_eq(gid_of("1000:x:5\xe3\x80\x80\n", 1000), 5);
        ck_assert_uint_eq(gid_of("1000:x:5\r\n", 1000), 5);
        /* not white space: a byte that is not UTF-8, a zero-width space */
        ck_assert_uint_eq(gid_of("\xa0"
                                 "1000:x:0:\n",
                                 1000),
                          1000);
        ck_assert_uint_eq(gid_of("\xe2\x80\x8b"
                                 "1000:x:0:\n",
                                 1000),
                          1000);
        ck_assert_uint_eq(gid_of("1000:x:5\xe2\x80\x8b\n", 1000), 0);
        /* comments and blank lines are skipped, after trimming */
        ck_assert_uint_eq(gid_of("#1000:x:0:\n  # 1000:x:0:\n\n   \n", 1000), 1000);
        /* the last line needs no newline */
        ck_assert_uint_eq(gid_of("root:x:0:\n1000:x:0:", 1000), 0);
}
END_TEST

START_TEST(test_a_taken_gid_passes_to_the_next_match)
{
        /* [1000, 1000]: the first takes users (1000); the second skips it
         * (taken) and takes the group named "1000": gid 0 */
        uint32_t ags[] = {1000, 1000}, gids[2];
        static const char text[] = "users:x:1000:\n1000:x:0:\n";
        ck_assert_int_eq(identity_runc_groups(text, strlen(text), ags, 2, gids), 0);
        ck_assert_uint_eq(gids[0], 1000);
        ck_assert_uint_eq(gids[1], 0);
        /* an id above 2^31-1 that matches no group: runc refuses */
        uint32_t big = 3000000000u;
        ck_assert_int_eq(identity_runc_groups("root:x:0:\n", 10, &big, 1, gids), -ERANGE);
        /* matched by a group, it is that group's */
        static const char named[] = "3000000000:x:42:\n";
        ck_assert_int_eq(identity_runc_groups(named, strlen(named), &big, 1, gids), 0);
        ck_assert_uint_eq(gids[0], 42);
}
END_TEST

START_TEST(test_capabilities_kept_across_execve)
{
        uint64_t setuid = UINT64_C(1) << CAP_SETUID, setgid = UINT64_C(1) << CAP_SETGID;
        /* ambient survives execve */
        ck_assert_uint_eq(identity_caps_kept(setuid, setuid, setuid, setuid), setuid);
        /* permitted, within inheritable or bounding: a program's file
         * capabilities give it back, no_new_privs or not */
        ck_assert_uint_eq(identity_caps_kept(0, setgid, 0, setgid), setgid);
        ck_assert_uint_eq(identity_caps_kept(0, setgid, setgid, 0), setgid);
        /* bounding or effective alone: not without a setuid program (that
         * is no-new-privileges' finding) */
        ck_assert_uint_eq(identity_caps_kept(0, 0, 0, setuid | setgid), 0);
        ck_assert_uint_eq(identity_caps_kept(0, setuid, 0, 0), 0);
}
END_TEST

static Suite *identity_suite(void)
{
        Suite *s = suite_create("rules-identity");
        TCase *tc = tcase_create("groups");
        tcase_add_test(tc, test_a_group_name_that_is_an_id_wins);
        tcase_add_test(tc, test_a_gid_that_is_not_a_number_is_zero);
        tcase_add_test(tc, test_setgroups_takes_32_bits_of_the_gid);
        tcase_add_test(tc, test_lines_are_trimmed_as_go_trims_them);
        tcase_add_test(tc, test_a_taken_gid_passes_to_the_next_match);
        tcase_add_test(tc, test_capabilities_kept_across_execve);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(identity_suite)
