/* SPDX-License-Identifier: GPL-2.0-or-later */
/* capabilities (policy/rules/capabilities.c): every set, every spelling
 * runtimes accept, privileged containers and exec processes, the fix. */
#include "testutil.h"

static struct eval caps_check(struct policy *p, const char *set, const char *list)
{
        char json[1024];
        snprintf(json, sizeof(json), "{\"process\":{\"capabilities\":{\"%s\":[%s]}}}", set, list);
        return eval_json(p, json);
}

START_TEST(test_docker_and_podman_default_capabilities_are_allowed)
{
        _cleanup_policy_ struct policy *p = only_rule("capabilities", NULL);
        static const char *const files[] = {"docker/default.json", "docker/hardened.json", "docker/user.json",
                                            "podman/default.json"};
        for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
                _cleanup_spec_ struct spec *s = corpus_spec(files[i]);
                _cleanup_eval_ struct eval ev = eval_spec(p, s, CHECK_CONFIG);
                ck_assert_msg(ev.n == 0, "%s: %s", files[i], ev.n ? ev.findings[0].message : "");
        }
}
END_TEST

START_TEST(test_sys_admin_is_denied_in_every_spelling_runtimes_accept)
{
        static const char *const spellings[] = {"CAP_SYS_ADMIN", "SYS_ADMIN", "cap_sys_admin", "Cap_Sys_Admin",
                                                "sys_admin"};
        _cleanup_policy_ struct policy *p = only_rule("capabilities", NULL);
        for (size_t i = 0; i < sizeof(spellings) / sizeof(spellings[0]); i++) {
                char list[128];
                snprintf(list, sizeof(list), "\"CAP_CHOWN\",\"%s\"", spellings[i]);
                _cleanup_eval_ struct eval ev = caps_check(p, "bounding", list);
                expect(&ev, "capabilities", ACTION_DENY, "/process/capabilities/bounding", "CAP_SYS_ADMIN");
                ck_assert_ptr_null(find(&ev, "spec-invalid"));
        }
}
END_TEST

START_TEST(test_each_of_the_five_sets_is_checked)
{
        static const char *const sets[] = {"bounding", "effective", "permitted", "inheritable", "ambient"};
        _cleanup_policy_ struct policy *p = only_rule("capabilities", NULL);
        for (size_t i = 0; i < 5; i++) {
                char ptr[64];
                snprintf(ptr, sizeof(ptr), "/process/capabilities/%s", sets[i]);
                _cleanup_eval_ struct eval ev = caps_check(p, sets[i], "\"CAP_NET_ADMIN\"");
                expect(&ev, "capabilities", ACTION_DENY, ptr, "CAP_NET_ADMIN");
                eval_replace(&ev, caps_check(p, sets[i], "\"CAP_NET_BIND_SERVICE\",\"kill\""));
                ck_assert_msg(ev.n == 0, "%s: allowed capabilities were reported", sets[i]);
        }
}
END_TEST

START_TEST(test_unknown_capability_names_are_spec_invalid)
{
        static const char *const bad[] = {"\"CAP_BOGUS\"",      "\"\"",        "\"CAP_\"", "21",
                                          "\" CAP_SYS_ADMIN\"", "\"CAP_ALL\"", "null"};
        _cleanup_policy_ struct policy *p = only_rule("capabilities", NULL);
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                char list[64];
                snprintf(list, sizeof(list), "\"CAP_CHOWN\",%s", bad[i]);
                _cleanup_eval_ struct eval ev = caps_check(p, "effective", list);
                expect(&ev, "spec-invalid", ACTION_DENY, "/process/capabilities/effective/1", NULL);
                ck_assert_ptr_null(find(&ev, "capabilities"));
        }
        _cleanup_eval_ struct eval ev = eval_json(p, "{\"process\":{\"capabilities\":{\"ambient\":\"CAP_CHOWN\"}}}");
        expect(&ev, "spec-invalid", ACTION_DENY, "/process/capabilities/ambient", NULL);
}
END_TEST

START_TEST(test_a_privileged_container_is_refused_in_plain_words)
{
        _cleanup_policy_ struct policy *p = only_rule("capabilities", NULL);
        set_action(p, "capabilities", ACTION_FIX); /* even when the policy fixes */
        _cleanup_spec_ struct spec *s = corpus_spec("docker/privileged.json");
        _cleanup_eval_ struct eval ev = eval_spec(p, s, CHECK_CONFIG);
        expect(&ev, "capabilities", ACTION_DENY, "/process/capabilities/bounding", "privileged containers are refused");
        ck_assert_uint_eq(count_rule(&ev, "capabilities"), 1);
        ck_assert_int_eq(eval_verdict(&ev), VERDICT_DENY);
}
END_TEST

START_TEST(test_every_capability_the_kernel_has_is_privileged_too)
{
        /* An engine that grants all 41 capabilities, lower-case. */
        char list[2048] = "";
        size_t used = 0;
        static const char *const names[] = {"chown",
                                            "dac_override",
                                            "dac_read_search",
                                            "fowner",
                                            "fsetid",
                                            "kill",
                                            "setgid",
                                            "setuid",
                                            "setpcap",
                                            "linux_immutable",
                                            "net_bind_service",
                                            "net_broadcast",
                                            "net_admin",
                                            "net_raw",
                                            "ipc_lock",
                                            "ipc_owner",
                                            "sys_module",
                                            "sys_rawio",
                                            "sys_chroot",
                                            "sys_ptrace",
                                            "sys_pacct",
                                            "sys_admin",
                                            "sys_boot",
                                            "sys_nice",
                                            "sys_resource",
                                            "sys_time",
                                            "sys_tty_config",
                                            "mknod",
                                            "lease",
                                            "audit_write",
                                            "audit_control",
                                            "setfcap",
                                            "mac_override",
                                            "mac_admin",
                                            "syslog",
                                            "wake_alarm",
                                            "block_suspend",
                                            "audit_read",
                                            "perfmon",
                                            "bpf",
                                            "checkpoint_restore"};
        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
                used += (size_t)snprintf(list + used, sizeof(list) - used, "%s\"cap_%s\"", i ? "," : "", names[i]);
        _cleanup_policy_ struct policy *p = only_rule("capabilities", NULL);
        _cleanup_eval_ struct eval ev = caps_check(p, "permitted", list);
        expect(&ev, "capabilities", ACTION_DENY, "/process/capabilities/permitted", "privileged");
}
END_TEST

START_TEST(test_privileged_exec_is_refused_and_plain_exec_is_allowed)
{
        _cleanup_policy_ struct policy *p = only_rule("capabilities", NULL);
        _cleanup_spec_ struct spec *s = corpus_spec_kind("docker/exec-privileged.process.json", SPEC_PROCESS);
        _cleanup_eval_ struct eval ev = eval_spec(p, s, CHECK_EXEC);
        expect(&ev, "capabilities", ACTION_DENY, "/capabilities/bounding", "privileged");

        spec_replace(&s, corpus_spec_kind("docker/exec-plain.process.json", SPEC_PROCESS));
        eval_replace(&ev, eval_spec(p, s, CHECK_EXEC));
        ck_assert_uint_eq(ev.n, 0);
}
END_TEST

START_TEST(test_an_exec_adding_sys_admin_is_denied)
{
        _cleanup_policy_ struct policy *p = only_rule("capabilities", NULL);
        _cleanup_spec_ struct spec *s =
                parse_spec_kind("{\"args\":[\"sh\"],\"cwd\":\"/\",\"capabilities\":{\"effective\":"
                                "[\"CAP_KILL\",\"CAP_SYS_ADMIN\"]}}",
                                SPEC_PROCESS);
        _cleanup_eval_ struct eval ev = eval_spec(p, s, CHECK_EXEC);
        expect(&ev, "capabilities", ACTION_DENY, "/capabilities/effective", "CAP_SYS_ADMIN");
}
END_TEST

START_TEST(test_the_fix_drops_extra_capabilities_and_keeps_the_rest)
{
        _cleanup_policy_ struct policy *p = only_rule("capabilities", NULL);
        set_action(p, "capabilities", ACTION_FIX);
        _cleanup_spec_ struct spec *s =
                parse_spec("{\"process\":{\"capabilities\":{"
                           "\"bounding\":[\"CAP_CHOWN\",\"cap_sys_admin\",\"kill\",\"CAP_NET_ADMIN\"],"
                           "\"effective\":[\"SYS_ADMIN\"],\"ambient\":[\"CAP_KILL\"]}}}");
        fix_ok(p, s, CHECK_CONFIG);
        _cleanup_free_ char *out = NULL;
        size_t len;
        rh_error_t err = RH_ERROR_INIT;
        ck_assert_int_eq(spec_serialize(s, false, &out, &len, &err), 0);
        ck_assert_str_eq(out, "{\"process\":{\"capabilities\":{\"bounding\":[\"CAP_CHOWN\",\"kill\"],"
                              "\"effective\":[],\"ambient\":[\"CAP_KILL\"]}}}");
        _cleanup_eval_ struct eval ev = eval_spec(p, s, CHECK_CONFIG);
        ck_assert_uint_eq(ev.n, 0);
}
END_TEST

START_TEST(test_the_fix_applies_to_exec_processes)
{
        _cleanup_policy_ struct policy *p = only_rule("capabilities", NULL);
        set_action(p, "capabilities", ACTION_FIX);
        _cleanup_spec_ struct spec *s =
                parse_spec_kind("{\"args\":[\"sh\"],\"cwd\":\"/\",\"capabilities\":{\"bounding\":"
                                "[\"CAP_KILL\",\"CAP_SYS_PTRACE\"]}}",
                                SPEC_PROCESS);
        fix_ok(p, s, CHECK_EXEC);
        struct jv *b = jv_get(jv_get(jv_get(s->root, "process"), "capabilities"), "bounding");
        ck_assert_uint_eq(b->u.arr.n, 1);
        ck_assert_str_eq(b->u.arr.v[0]->u.str.s, "CAP_KILL");
}
END_TEST

START_TEST(test_the_allowed_set_is_a_parameter_in_any_spelling)
{
        _cleanup_policy_ struct policy *p =
                only_rule("capabilities", "{\"version\":1,\"rules\":{\"capabilities\":{\"params\":"
                                          "{\"allowed\":[\"sys_admin\",\"CAP_KILL\",\"CAP_NOPE\"]}}}}");
        _cleanup_eval_ struct eval ev = caps_check(p, "bounding", "\"CAP_SYS_ADMIN\",\"CAP_KILL\"");
        ck_assert_uint_eq(count_rule(&ev, "capabilities"), 1);
        expect(&ev, "capabilities", ACTION_WARN, NULL, "CAP_NOPE");
        eval_replace(&ev, caps_check(p, "bounding", "\"CAP_CHOWN\""));
        bool denied = false;
        for (size_t i = 0; i < ev.n; i++)
                if (ev.findings[i].action == ACTION_DENY && strstr(ev.findings[i].message, "grants CAP_CHOWN"))
                        denied = true;
        ck_assert_msg(denied, "CAP_CHOWN is no longer allowed but was not denied");
}
END_TEST

START_TEST(test_no_capabilities_object_means_none)
{
        _cleanup_policy_ struct policy *p = only_rule("capabilities", NULL);
        _cleanup_eval_ struct eval ev = eval_json(p, "{\"process\":{\"args\":[\"sh\"]}}");
        ck_assert_uint_eq(ev.n, 0);
}
END_TEST

static Suite *rules_capabilities_suite(void)
{
        Suite *s = suite_create("rules-capabilities");
        TCase *tc;

        tc = tcase_create("capabilities");
        tcase_add_test(tc, test_docker_and_podman_default_capabilities_are_allowed);
        tcase_add_test(tc, test_sys_admin_is_denied_in_every_spelling_runtimes_accept);
        tcase_add_test(tc, test_each_of_the_five_sets_is_checked);
        tcase_add_test(tc, test_unknown_capability_names_are_spec_invalid);
        tcase_add_test(tc, test_a_privileged_container_is_refused_in_plain_words);
        tcase_add_test(tc, test_every_capability_the_kernel_has_is_privileged_too);
        tcase_add_test(tc, test_privileged_exec_is_refused_and_plain_exec_is_allowed);
        tcase_add_test(tc, test_an_exec_adding_sys_admin_is_denied);
        tcase_add_test(tc, test_the_fix_drops_extra_capabilities_and_keeps_the_rest);
        tcase_add_test(tc, test_the_fix_applies_to_exec_processes);
        tcase_add_test(tc, test_the_allowed_set_is_a_parameter_in_any_spelling);
        tcase_add_test(tc, test_no_capabilities_object_means_none);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(rules_capabilities_suite)
