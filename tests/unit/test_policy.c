/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>

#include "testutil.h"

static const struct rule_conf *conf_of(const struct policy *p, const char *id)
{
        size_t i;
        ck_assert_ptr_nonnull(rules_find(id, &i));
        return &p->conf[i];
}

START_TEST(test_builtin_policy_takes_every_rule_default)
{
        _cleanup_policy_ struct policy *p = builtin_policy();
        ck_assert_str_eq(p->source, "built-in");
        ck_assert_int_eq(p->mode, MODE_ENFORCE);
        ck_assert_int_eq(conf_of(p, "engine-socket")->action, ACTION_DENY);
        ck_assert_int_eq(conf_of(p, "readonly-rootfs")->action, ACTION_FIX);
        ck_assert(conf_of(p, "readonly-rootfs")->exemptible);
        ck_assert_ptr_nonnull(jv_get_exact(conf_of(p, "host-namespace")->params, "required"));
}
END_TEST

START_TEST(test_a_file_overrides_actions_params_mode_and_audit_log)
{
        _cleanup_policy_ struct policy *p =
                policy_from("{\"version\":1,\"mode\":\"dry-run\",\"audit-log\":\"/var/log/rh.log\","
                            "\"rules\":{\"readonly-rootfs\":{\"action\":\"warn\",\"exemptible\":false,"
                            "\"params\":{\"tmpfs\":[\"/tmp\",\"/run\"]}}}}");
        ck_assert_int_eq(p->mode, MODE_DRY_RUN);
        ck_assert_str_eq(p->audit_log, "/var/log/rh.log");
        const struct rule_conf *c = conf_of(p, "readonly-rootfs");
        ck_assert_int_eq(c->action, ACTION_WARN);
        ck_assert(!c->exemptible);
        ck_assert_uint_eq(jv_get_exact(c->params, "tmpfs")->u.arr.n, 2);
        /* untouched parameters keep their default */
        ck_assert_ptr_nonnull(jv_get_exact(c->params, "tmpfs-options"));
        ck_assert_int_eq(conf_of(p, "engine-socket")->action, ACTION_DENY);
}
END_TEST

START_TEST(test_invalid_policies_are_refused_with_a_reason)
{
        expect_policy_refused("{}", "version is missing");
        expect_policy_refused("{\"version\":2}", "version must be 1");
        expect_policy_refused("{\"version\":1,\"colour\":1}", "unknown key \"colour\"");
        expect_policy_refused("{\"version\":1,\"rules\":{\"no-such-rule\":{}}}", "unknown rule \"no-such-rule\"");
        expect_policy_refused("{\"version\":1,\"rules\":{\"engine-socket\":{\"action\":\"allow\"}}}",
                              "action must be one of");
        expect_policy_refused("{\"version\":1,\"rules\":{\"host-namespace\":{\"action\":\"fix\"}}}", "cannot fix");
        expect_policy_refused("{\"version\":1,\"rules\":{\"spec-invalid\":{\"action\":\"warn\"}}}", "always denies");
        expect_policy_refused("{\"version\":1,\"rules\":{\"engine-socket\":{\"params\":{\"sockets\":\"/x\"}}}}",
                              "must be an array of strings");
        expect_policy_refused("{\"version\":1,\"rules\":{\"engine-socket\":{\"params\":{\"sokets\":[]}}}}",
                              "unknown parameter \"sokets\"");
        expect_policy_refused("{\"version\":1,\"rules\":{\"engine-socket\":{\"actoin\":\"deny\"}}}",
                              "unknown key \"actoin\"");
        expect_policy_refused("{\"version\":1,\"mode\":\"audit\"}", "mode must be");
        expect_policy_refused("{\"version\":1,\"version\":1}", "duplicate key");
        expect_policy_refused("{\"version\":1,\"audit-log\":\"relative.log\"}", "absolute path");
        expect_policy_refused("{\"version\":1", "malformed JSON");
        expect_policy_refused("", "empty document");
}
END_TEST

START_TEST(test_policy_show_output_parses_back_to_the_same_policy)
{
        _cleanup_policy_ struct policy *p =
                policy_from("{\"version\":1,\"rules\":{\"no-new-privileges\":{\"action\":\"deny\"}}}");
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        _cleanup_free_ char *json = NULL, *json2 = NULL;
        ck_assert_int_eq(policy_to_json(p, &json, &err), 0);
        _cleanup_policy_ struct policy *q = policy_from(json);
        ck_assert_int_eq(conf_of(q, "no-new-privileges")->action, ACTION_DENY);
        ck_assert_int_eq(policy_to_json(q, &json2, &err), 0);
        ck_assert_str_eq(json, json2);
}
END_TEST

START_TEST(test_missing_policy_file_is_builtin_only_when_allowed)
{
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        _cleanup_policy_ struct policy *p = NULL, *q = NULL;
        ck_assert_int_eq(policy_load("/nonexistent/policy.json", true, &p, &err), 0);
        ck_assert_str_eq(p->source, "built-in");
        ck_assert_int_lt(policy_load("/nonexistent/policy.json", false, &q, &err), 0);
        ck_assert_int_eq(err.code, ENOENT);
        ck_assert_int_lt(policy_load("/tmp", false, &q, &err), 0);
        ck_assert_ptr_null(q);
}
END_TEST

/* The whole built-in policy on the real host (the confinement rules). */
START_TEST(test_the_built_in_policy_fixes_a_runc_spec_on_this_host)
{
        /* The whole built-in policy on the real host: the confinement
         * rules add a seccomp profile; the LSM rules only warn or fix,
         * never deny, whatever this host has. */
        _cleanup_policy_ struct policy *p = builtin_policy();
        _cleanup_spec_ struct spec *s =
                parse_spec("{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\","
                           "\"capabilities\":{\"bounding\":[\"CAP_KILL\"]}},\"root\":{\"path\":\"rootfs\"},"
                           "\"linux\":{}}");
        _cleanup_eval_ struct eval ev = eval_spec(p, s, CHECK_CONFIG);
        expect(&ev, "seccomp", ACTION_FIX, "/linux/seccomp", NULL);
        ck_assert_ptr_null(find(&ev, "capabilities"));
        for (size_t i = 0; i < ev.n; i++)
                if (strcmp(ev.findings[i].rule, "apparmor") == 0 || strcmp(ev.findings[i].rule, "selinux") == 0)
                        ck_assert_int_ne(ev.findings[i].action, ACTION_DENY);
}
END_TEST

static Suite *policy_suite(void)
{
        Suite *s = suite_create("policy");
        TCase *tc = tcase_create("file");
        tcase_add_test(tc, test_builtin_policy_takes_every_rule_default);
        tcase_add_test(tc, test_a_file_overrides_actions_params_mode_and_audit_log);
        tcase_add_test(tc, test_invalid_policies_are_refused_with_a_reason);
        tcase_add_test(tc, test_policy_show_output_parses_back_to_the_same_policy);
        tcase_add_test(tc, test_missing_policy_file_is_builtin_only_when_allowed);
        suite_add_tcase(s, tc);
        tc = tcase_create("together");
        tcase_add_test(tc, test_the_built_in_policy_fixes_a_runc_spec_on_this_host);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(policy_suite)
