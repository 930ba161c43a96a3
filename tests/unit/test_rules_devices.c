/* SPDX-License-Identifier: GPL-2.0-or-later */
/* devices (policy/rules/devices.c): device nodes judged by their numbers,
 * and the device cgroup as runc's emulator reads its rules. */
#include "testutil.h"
#include "util.h"

START_TEST(test_privileged_docker_spec_is_denied_by_devices)
{
        _cleanup_eval_ struct eval ev = eval_corpus("docker/privileged.json", true);
        ck_assert_int_eq(eval_verdict(&ev), VERDICT_DENY);
        bool cgroup = false, kvm = false;
        for (size_t i = 0; i < ev.n; i++) {
                const struct finding *f = &ev.findings[i];
                if (!STREQ(f->rule, "devices"))
                        continue;
                ck_assert_int_eq(f->action, ACTION_DENY);
                cgroup |= STREQ(f->pointer, "/linux/resources/devices/0");
                kvm |= strstr(f->message, "/dev/kvm") != NULL;
        }
        ck_assert(cgroup && kvm);
}
END_TEST

START_TEST(test_docker_default_device_rules_pass)
{
        static const char *const names[] = {"docker/default.json", "docker/hardened.json", "podman/default.json"};
        for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
                _cleanup_eval_ struct eval ev = eval_corpus(names[i], true);
                expect_none(&ev, "devices");
        }
}
END_TEST

START_TEST(test_device_nodes_are_judged_by_their_numbers)
{
        _cleanup_eval_ struct eval ev = eval_doc(
                NULL, "{\"linux\":{\"devices\":[{\"path\":\"/dev/null\",\"type\":\"c\",\"major\":1,\"minor\":1}]}}");
        const struct finding *f = expect(&ev, "devices", ACTION_DENY, NULL, NULL);
        ck_assert_ptr_nonnull(strstr(f->message, "physical memory"));
        ck_assert_str_eq(f->pointer, "/linux/devices/0");
        eval_replace(&ev,
                     eval_doc(NULL,
                              "{\"linux\":{\"devices\":[{\"path\":\"/dev/sda\",\"type\":\"c\",\"major\":1,\"minor\":3},"
                              "{\"path\":\"/dev/fifo\",\"type\":\"p\",\"major\":0,\"minor\":0},"
                              "{\"path\":\"//dev/./pts/0\",\"type\":\"u\",\"major\":136,\"minor\":0}]}}"));
        expect_none(&ev, "devices");
        eval_replace(&ev, eval_doc(NULL, "{\"linux\":{\"devices\":[{\"path\":\"/dev/"
                                         "vda\",\"type\":\"b\",\"major\":253,\"minor\":0}]}}"));
        ck_assert_ptr_nonnull(strstr(expect(&ev, "devices", ACTION_DENY, NULL, NULL)->message, "block device"));
}
END_TEST

static struct eval eval_cgroup(const char *rules)
{
        char json[1024];
        snprintf(json, sizeof(json), "{\"linux\":{\"resources\":{\"devices\":%s}}}", rules);
        return eval_doc(NULL, json);
}

START_TEST(test_device_cgroup_follows_runc_emulator_order)
{
        /* a rule of type "a" resets everything, whatever its numbers */
        _cleanup_eval_ struct eval ev =
                eval_cgroup("[{\"allow\":false,\"access\":\"rwm\"},{\"allow\":true,\"type\":\"a\",\"major\":1,"
                            "\"minor\":3,\"access\":\"r\"}]");
        ck_assert_str_eq(expect(&ev, "devices", ACTION_DENY, NULL, NULL)->pointer, "/linux/resources/devices/1");
        /* the last reset wins */
        eval_replace(&ev, eval_cgroup("[{\"allow\":true,\"access\":\"rwm\"},{\"allow\":false,\"access\":\"rwm\"},"
                                      "{\"allow\":true,\"type\":\"c\",\"major\":1,\"minor\":9,\"access\":\"rwm\"}]"));
        expect_none(&ev, "devices");
        /* every character device */
        eval_replace(
                &ev,
                eval_cgroup(
                        "[{\"allow\":false,\"access\":\"rwm\"},{\"allow\":true,\"type\":\"c\",\"access\":\"rw\"}]"));
        ck_assert_ptr_nonnull(strstr(expect(&ev, "devices", ACTION_DENY, NULL, NULL)->message, "c *:*"));
        /* a later deny takes back read and write; mknod alone opens nothing */
        eval_replace(
                &ev,
                eval_cgroup(
                        "[{\"allow\":false,\"access\":\"rwm\"},{\"allow\":true,\"type\":\"c\",\"major\":1,\"minor\":1,"
                        "\"access\":\"rwm\"},{\"allow\":false,\"type\":\"c\",\"major\":1,\"minor\":1,\"access\":\"rw\"}"
                        ","
                        "{\"allow\":true,\"type\":\"b\",\"access\":\"m\"}]"));
        expect_none(&ev, "devices");
}
END_TEST

START_TEST(test_allowed_devices_are_a_parameter)
{
        const char *spec =
                "{\"linux\":{\"devices\":[{\"path\":\"/dev/net/tun\",\"type\":\"c\",\"major\":10,\"minor\":200}],"
                "\"resources\":{\"devices\":[{\"allow\":false,\"access\":\"rwm\"},"
                "{\"allow\":true,\"type\":\"c\",\"major\":10,\"minor\":200,\"access\":\"rwm\"}]}}}";
        _cleanup_eval_ struct eval ev = eval_doc(NULL, spec);
        ck_assert_uint_eq(count_rule(&ev, "devices"), 2);
        eval_replace(
                &ev,
                eval_doc("{\"version\":1,\"rules\":{\"devices\":{\"params\":{\"allowed\":[\"null\",\"c 10:200\"]}}}}",
                         spec));
        expect_none(&ev, "devices");
        eval_replace(&ev,
                     eval_doc("{\"version\":1,\"rules\":{\"devices\":{\"params\":{\"allowed\":[\"tun\",\"bogus\"]}}}}",
                              spec));
        ck_assert_ptr_nonnull(strstr(expect(&ev, "devices", ACTION_WARN, NULL, NULL)->message, "bogus"));
        ck_assert_uint_eq(count_rule(&ev, "devices"), 1);
}
END_TEST

START_TEST(test_device_rules_runc_refuses_are_spec_invalid)
{
        _cleanup_eval_ struct eval ev = eval_cgroup("[{\"allow\":true,\"type\":\"x\",\"access\":\"rwm\"}]");
        expect(&ev, "spec-invalid", ACTION_DENY, NULL, NULL);
        eval_replace(&ev, eval_cgroup("[{\"allow\":true,\"type\":\"c\",\"access\":\"\"}]"));
        expect(&ev, "spec-invalid", ACTION_DENY, NULL, NULL);
}
END_TEST

static Suite *rules_devices_suite(void)
{
        Suite *s = suite_create("rules-devices");
        TCase *tc;

        tc = tcase_create("devices");
        tcase_add_test(tc, test_privileged_docker_spec_is_denied_by_devices);
        tcase_add_test(tc, test_docker_default_device_rules_pass);
        tcase_add_test(tc, test_device_nodes_are_judged_by_their_numbers);
        tcase_add_test(tc, test_device_cgroup_follows_runc_emulator_order);
        tcase_add_test(tc, test_allowed_devices_are_a_parameter);
        tcase_add_test(tc, test_device_rules_runc_refuses_are_spec_invalid);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(rules_devices_suite)
