/* SPDX-License-Identifier: GPL-2.0-or-later */
/* no-new-privileges (policy/rules/privileges.c). The real effect, NoNewPrivs
 * in a container's status, is shown by tests/integration. */
#include "testutil.h"

START_TEST(test_no_new_privileges_fix_applies_to_exec_processes)
{
        static const char *const only[] = {"no-new-privileges", NULL};
        _cleanup_policy_ struct policy *p = policy_only(only);
        _cleanup_spec_ struct spec *s = parse_spec_kind("{\"args\":[\"sh\"],\"noNewPrivileges\":false}", SPEC_PROCESS);
        _cleanup_eval_ struct eval ev = {0};
        rh_error_t err = RH_ERROR_INIT;
        _cleanup_free_ char *out = NULL;
        evaluate(p, s, CHECK_EXEC, &ev);
        ck_assert_int_eq(eval_verdict(&ev), VERDICT_FIX);
        ck_assert_int_eq(engine_apply_fixes(p, s, CHECK_EXEC, &ev, &err), 0);
        ck_assert_int_eq(spec_serialize(s, false, &out, NULL, &err), 0);
        ck_assert_str_eq(out, "{\"args\":[\"sh\"],\"noNewPrivileges\":true}");
}
END_TEST

static Suite *rules_privileges_suite(void)
{
        Suite *s = suite_create("rules-privileges");
        TCase *tc;

        tc = tcase_create("no-new-privileges");
        tcase_add_test(tc, test_no_new_privileges_fix_applies_to_exec_processes);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(rules_privileges_suite)
