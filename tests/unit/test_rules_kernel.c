/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "testutil.h"
#include "util.h"

/* policy/rules/kernel.c: what the sysctls rule says. (Its verdicts are
 * tested in test_rules_isolation.c, which is to be split per rule file.) */

static struct eval sysctls_of(const char *policy_json, const char *spec_json)
{
        _cleanup_policy_ struct policy *p = policy_json ? policy_from(policy_json) : builtin_policy();
        _cleanup_spec_ struct spec *s = parse_spec(spec_json);
        struct eval ev = {0};
        for (size_t i = 0; i < rules_count(); i++)
                if (!STREQ(rules_get(i)->id, "sysctls") && !STREQ(rules_get(i)->id, "spec-invalid"))
                        p->conf[i].action = ACTION_OFF;
        evaluate(p, s, CHECK_CONFIG, &ev);
        return ev;
}

/* The message of the finding at pointer. */
static const char *message_at(const struct eval *ev, const char *pointer)
{
        for (size_t i = 0; i < ev->n; i++)
                if (STREQ(ev->findings[i].pointer, pointer))
                        return ev->findings[i].message;
        ck_abort_msg("no finding at %s", pointer);
        return NULL;
}

START_TEST(test_a_sysctl_is_echoed_as_written)
{
        /* runc reads "/kernel/core_pattern" as ".kernel.core_pattern" (the
         * first separator is a slash) and refuses it, as this rule does;
         * the message names what the spec says, and the kernel's name */
        _cleanup_eval_ struct eval ev = sysctls_of(
                NULL,
                "{\"linux\":{\"namespaces\":[{\"type\":\"network\"}],\"sysctl\":{\"/kernel/core_pattern\":\"|/x\","
                "\"kernel/modprobe\":\"/x\",\"vm.swappiness\":\"1\"}}}");
        ck_assert_uint_eq(count_rule(&ev, "sysctls"), 3);
        const char *m = message_at(&ev, "/linux/sysctl/~1kernel~1core_pattern");
        ck_assert_msg(strstr(m, "sets /kernel/core_pattern (kernel.core_pattern), which no namespace"), "%s", m);
        ck_assert_ptr_null(strstr(m, ".kernel.core_pattern"));
        m = message_at(&ev, "/linux/sysctl/kernel~1modprobe");
        ck_assert_msg(strstr(m, "sets kernel/modprobe (kernel.modprobe), which"), "%s", m);
        ck_assert_msg(strstr(message_at(&ev, "/linux/sysctl/vm.swappiness"), "sets vm.swappiness,"), "vm");
}
END_TEST

START_TEST(test_namespaced_and_denied_sysctls_are_echoed_as_written)
{
        const char *pol = "{\"version\":1,\"rules\":{\"sysctls\":{\"params\":{\"denied\":[\"net.ipv4.ip_forward\"]}}}}";
        _cleanup_eval_ struct eval ev = sysctls_of(
                pol, "{\"linux\":{\"sysctl\":{\"net/ipv4/ip_forward\":\"1\",\"net/ipv4/ping_group_range\":\"0 0\"}}}");
        const char *m = message_at(&ev, "/linux/sysctl/net~1ipv4~1ip_forward");
        ck_assert_msg(strstr(m, "sets net/ipv4/ip_forward (net.ipv4.ip_forward), which the policy denies"), "%s", m);
        m = message_at(&ev, "/linux/sysctl/net~1ipv4~1ping_group_range");
        ck_assert_msg(strstr(m, "sets net/ipv4/ping_group_range (net.ipv4.ping_group_range), which belongs to the "
                                "network namespace"),
                      "%s", m);
}
END_TEST

static Suite *kernel_suite(void)
{
        Suite *s = suite_create("kernel");
        TCase *tc = tcase_create("sysctls");
        tcase_add_test(tc, test_a_sysctl_is_echoed_as_written);
        tcase_add_test(tc, test_namespaced_and_denied_sysctls_are_echoed_as_written);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(kernel_suite)
