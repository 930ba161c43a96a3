/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "testutil.h"

#define MINIMAL                                                                                                        \
        "\"root\":{\"path\":\"rootfs\",\"readonly\":true},"                                                            \
        "\"process\":{\"args\":[\"sh\"],\"noNewPrivileges\":true},"                                                    \
        "\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"network\"},{\"type\":\"ipc\"},"                     \
        "{\"type\":\"uts\"},{\"type\":\"mount\"}]}"

START_TEST(test_a_hardened_spec_is_allowed_without_findings)
{
        _cleanup_policy_ struct policy *p = foundation_policy();
        _cleanup_spec_ struct spec *s = parse_spec("{" MINIMAL "}");
        _cleanup_eval_ struct eval ev = {0};
        evaluate(p, s, CHECK_CONFIG, &ev);
        ck_assert_uint_eq(ev.n, 0);
        ck_assert_int_eq(eval_verdict(&ev), VERDICT_ALLOW);
}
END_TEST

START_TEST(test_docker_default_spec_is_fixed_for_readonly_root_and_no_new_privileges)
{
        _cleanup_policy_ struct policy *p = foundation_policy();
        _cleanup_spec_ struct spec *s = corpus_spec("docker/default.json");
        _cleanup_eval_ struct eval ev = {0};
        rh_error_t err = RH_ERROR_INIT;
        evaluate(p, s, CHECK_CONFIG, &ev);
        ck_assert_int_eq(eval_verdict(&ev), VERDICT_FIX);
        ck_assert_int_eq(find(&ev, "readonly-rootfs")->action, ACTION_FIX);
        ck_assert_str_eq(find(&ev, "readonly-rootfs")->pointer, "/root/readonly");
        ck_assert_int_eq(find(&ev, "no-new-privileges")->action, ACTION_FIX);
        ck_assert_str_eq(find(&ev, "no-new-privileges")->pointer, "/process/noNewPrivileges");
        ck_assert_int_eq(engine_apply_fixes(p, s, CHECK_CONFIG, &ev, &err), 0);
        _cleanup_eval_ struct eval again = {0};
        evaluate(p, s, CHECK_CONFIG, &again);
        ck_assert_int_eq(eval_verdict(&again), VERDICT_ALLOW);
}
END_TEST

START_TEST(test_fixing_is_idempotent_and_keeps_unknown_fields)
{
        _cleanup_policy_ struct policy *p = foundation_policy();
        /* an image with a /tmp, which the readonly-rootfs fix mounts */
        char image[] = "/tmp/rh-unit-engine.XXXXXX", json[512], cmd[128];
        ck_assert_ptr_nonnull(mkdtemp(image));
        snprintf(cmd, sizeof(cmd), "mkdir -m 1777 '%s/tmp'", image);
        ck_assert_int_eq(system(cmd), 0);
        snprintf(json, sizeof(json),
                 "{\"x-vendor\":{\"n\":1.0e2},\"root\":{\"path\":\"%s\"},\"process\":{\"args\":[]},"
                 "\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"network\"},"
                 "{\"type\":\"ipc\"},{\"type\":\"uts\"},{\"type\":\"mount\"}]}}",
                 image);
        _cleanup_spec_ struct spec *s = parse_spec(json);
        _cleanup_eval_ struct eval ev = {0};
        rh_error_t err = RH_ERROR_INIT;
        char *once = NULL, *twice = NULL;
        evaluate(p, s, CHECK_CONFIG, &ev);
        ck_assert_int_eq(engine_apply_fixes(p, s, CHECK_CONFIG, &ev, &err), 0);
        ck_assert_int_eq(spec_serialize(s, false, &once, NULL, &err), 0);
        ck_assert_ptr_nonnull(strstr(once, "\"x-vendor\":{\"n\":1.0e2}"));
        ck_assert_ptr_nonnull(strstr(once, "\"destination\":\"/tmp\",\"type\":\"tmpfs\""));
        _cleanup_spec_ struct spec *s2 = parse_spec(once);
        _cleanup_eval_ struct eval ev2 = {0};
        evaluate(p, s2, CHECK_CONFIG, &ev2);
        ck_assert_uint_eq(ev2.n, 0);
        ck_assert_int_eq(spec_serialize(s2, false, &twice, NULL, &err), 0);
        ck_assert_str_eq(once, twice);
        free(once);
        free(twice);
        remove_tree(image);
}
END_TEST

START_TEST(test_exemption_annotation_is_honoured_only_for_exemptible_rules)
{
        _cleanup_policy_ struct policy *p = foundation_policy();
        _cleanup_spec_ struct spec *s =
                parse_spec("{\"annotations\":{\"org.runc-harden.exempt\":\"readonly-rootfs, no-new-privileges\"},"
                           "\"root\":{\"path\":\"r\"},\"process\":{\"args\":[]},"
                           "\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"network\"},"
                           "{\"type\":\"ipc\"},{\"type\":\"uts\"},{\"type\":\"mount\"}]}}");
        _cleanup_eval_ struct eval ev = {0};
        evaluate(p, s, CHECK_CONFIG, &ev);
        const struct finding *f = find(&ev, "readonly-rootfs");
        ck_assert(f && f->exempted);
        ck_assert_uint_eq(count_rule(&ev, "readonly-rootfs"), 1);
        /* no-new-privileges is not exemptible by default: a warning and the fix */
        ck_assert_uint_eq(count_rule(&ev, "no-new-privileges"), 2);
        ck_assert_int_eq(eval_verdict(&ev), VERDICT_FIX);
        ck_assert_uint_eq(eval_count(&ev, ACTION_FIX), 1);
}
END_TEST

START_TEST(test_unknown_rule_in_exemption_is_a_warning)
{
        _cleanup_policy_ struct policy *p = foundation_policy();
        _cleanup_spec_ struct spec *s =
                parse_spec("{\"annotations\":{\"org.runc-harden.exempt\":\"no-such-rule\"}," MINIMAL "}");
        _cleanup_eval_ struct eval ev = {0};
        evaluate(p, s, CHECK_CONFIG, &ev);
        ck_assert_uint_eq(ev.n, 1);
        ck_assert_int_eq(ev.findings[0].action, ACTION_WARN);
        ck_assert_ptr_nonnull(strstr(ev.findings[0].message, "no-such-rule"));
}
END_TEST

START_TEST(test_off_rules_do_not_run_and_warn_rules_never_deny)
{
        _cleanup_policy_ struct policy *p = foundation_policy();
        size_t i;
        p->conf[(rules_find("readonly-rootfs", &i), i)].action = ACTION_OFF;
        p->conf[(rules_find("engine-socket", &i), i)].action = ACTION_WARN;
        _cleanup_spec_ struct spec *s =
                parse_spec("{\"root\":{\"path\":\"r\"},\"process\":{\"noNewPrivileges\":true},"
                           "\"mounts\":[{\"destination\":\"/s\",\"source\":\"/run/docker.sock\","
                           "\"options\":[\"bind\"]}],"
                           "\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"network\"},"
                           "{\"type\":\"ipc\"},{\"type\":\"uts\"},{\"type\":\"mount\"}]}}");
        _cleanup_eval_ struct eval ev = {0};
        evaluate(p, s, CHECK_CONFIG, &ev);
        ck_assert_ptr_null(find(&ev, "readonly-rootfs"));
        ck_assert_int_eq(find(&ev, "engine-socket")->action, ACTION_WARN);
        ck_assert_int_eq(eval_verdict(&ev), VERDICT_ALLOW);
}
END_TEST

START_TEST(test_wrong_types_in_fields_rules_read_are_spec_invalid)
{
        _cleanup_policy_ struct policy *p = foundation_policy();
        _cleanup_spec_ struct spec *s =
                parse_spec("{\"root\":{\"readonly\":\"yes\"},\"process\":{\"noNewPrivileges\":1},"
                           "\"linux\":{\"namespaces\":{}}}");
        _cleanup_eval_ struct eval ev = {0};
        evaluate(p, s, CHECK_CONFIG, &ev);
        ck_assert_int_eq(eval_verdict(&ev), VERDICT_DENY);
        ck_assert_uint_ge(count_rule(&ev, "spec-invalid"), 3);
        _cleanup_free_ char *msg = eval_deny_message(&ev);
        ck_assert_ptr_nonnull(strstr(msg, "spec-invalid: /root/readonly: must be a JSON boolean, not a string"));
        ck_assert_ptr_nonnull(strstr(msg, "spec-invalid: /linux/namespaces: must be a JSON array, not an object"));
        ck_assert(strncmp(msg, "runc-harden: denied by policy: ", 31) == 0);
}
END_TEST

START_TEST(test_exec_documents_get_only_process_rules)
{
        _cleanup_policy_ struct policy *p = foundation_policy();
        struct spec *s = corpus_spec("docker/exec-plain.process.json");
        spec_free(s);
        _cleanup_free_ char *path = corpus_path("docker/exec-plain.process.json");
        size_t len;
        _cleanup_free_ char *buf = read_file(path, &len);
        rh_error_t err = RH_ERROR_INIT;
        ck_assert_int_eq(spec_parse(buf, len, SPEC_PROCESS, &s, &err), 0);
        _cleanup_eval_ struct eval ev = {0};
        evaluate(p, s, CHECK_EXEC, &ev);
        ck_assert_ptr_null(find(&ev, "readonly-rootfs"));
        ck_assert_ptr_null(find(&ev, "host-namespace"));
        const struct finding *f = find(&ev, "no-new-privileges");
        ck_assert_ptr_nonnull(f);
        ck_assert_str_eq(f->pointer, "/noNewPrivileges");
        spec_free(s);
}
END_TEST

static Suite *engine_suite(void)
{
        Suite *s = suite_create("engine");
        TCase *tc = tcase_create("evaluate");
        tcase_add_test(tc, test_a_hardened_spec_is_allowed_without_findings);
        tcase_add_test(tc, test_docker_default_spec_is_fixed_for_readonly_root_and_no_new_privileges);
        tcase_add_test(tc, test_fixing_is_idempotent_and_keeps_unknown_fields);
        tcase_add_test(tc, test_exemption_annotation_is_honoured_only_for_exemptible_rules);
        tcase_add_test(tc, test_unknown_rule_in_exemption_is_a_warning);
        tcase_add_test(tc, test_off_rules_do_not_run_and_warn_rules_never_deny);
        tcase_add_test(tc, test_wrong_types_in_fields_rules_read_are_spec_invalid);
        tcase_add_test(tc, test_exec_documents_get_only_process_rules);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(engine_suite)
