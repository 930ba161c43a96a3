/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"
#include "util.h"

/* policy/rules/kernel.c: sysctls (what they need, what the rule says)
 * and hooks. */

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

/* --- sysctls' verdicts ---------------------------------------------------- */

static struct eval eval_sysctl(const char *namespaces, const char *sysctl)
{
        char json[1024];
        snprintf(json, sizeof(json), "{\"linux\":{\"namespaces\":[%s],\"sysctl\":%s}}", namespaces, sysctl);
        return eval_doc(NULL, json);
}

START_TEST(test_engine_default_sysctls_pass)
{
        static const char *const names[] = {"docker/default.json", "podman/default.json"};
        for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
                _cleanup_eval_ struct eval ev = eval_corpus(names[i], true);
                expect_none(&ev, "sysctls");
        }
}
END_TEST

START_TEST(test_network_sysctls_need_a_private_network_namespace)
{
        const char *s = "{\"net.ipv4.ip_forward\":\"1\"}";
        _cleanup_eval_ struct eval ev = eval_sysctl("{\"type\":\"network\"}", s);
        expect_none(&ev, "sysctls");
        eval_replace(&ev, eval_sysctl("{\"type\":\"pid\"}", s));
        const struct finding *f = expect(&ev, "sysctls", ACTION_DENY, NULL, NULL);
        ck_assert_str_eq(f->pointer, "/linux/sysctl/net.ipv4.ip_forward");
        eval_replace(&ev, eval_sysctl("{\"type\":\"network\",\"path\":\"/proc/self/ns/net\"}", s));
        expect(&ev, "sysctls", ACTION_DENY, NULL, NULL);
        /* runc's slash spelling is the same sysctl */
        eval_replace(&ev, eval_sysctl("{\"type\":\"pid\"}", "{\"net/ipv4/ip_forward\":\"1\"}"));
        ck_assert_ptr_nonnull(strstr(expect(&ev, "sysctls", ACTION_DENY, NULL, NULL)->message, "net.ipv4.ip_forward"));
}
END_TEST

START_TEST(test_ipc_and_uts_sysctls_need_their_namespaces)
{
        const char *s = "{\"kernel.shmmax\":\"1\",\"fs.mqueue.msg_max\":\"10\",\"kernel.domainname\":\"x\"}";
        _cleanup_eval_ struct eval ev = eval_sysctl("{\"type\":\"ipc\"},{\"type\":\"uts\"}", s);
        expect_none(&ev, "sysctls");
        eval_replace(&ev, eval_sysctl("{\"type\":\"uts\"}", s));
        ck_assert_uint_eq(count_rule(&ev, "sysctls"), 2);
}
END_TEST

START_TEST(test_host_wide_sysctls_are_denied)
{
        _cleanup_eval_ struct eval ev =
                eval_sysctl(NS_ALL, "{\"kernel.core_pattern\":\"|/tmp/x\",\"kernel/modprobe\":\"/x\","
                                    "\"vm.overcommit_memory\":\"1\",\"kernel.msgmax_not\":\"1\"}");
        ck_assert_uint_eq(count_rule(&ev, "sysctls"), 4);
        ck_assert_ptr_nonnull(strstr(find(&ev, "sysctls")->message, "host's kernel"));
}
END_TEST

START_TEST(test_sysctl_allowed_and_denied_lists)
{
        const char *pol = "{\"version\":1,\"rules\":{\"sysctls\":{\"params\":{\"allowed\":[\"vm.*\"],"
                          "\"denied\":[\"net.ipv4.conf.*.forwarding\"]}}}}";
        char json[512];
        snprintf(json, sizeof(json),
                 "{\"linux\":{\"namespaces\":[" NS_ALL "],\"sysctl\":{\"vm.swappiness\":\"1\","
                 "\"net.ipv4.conf.all.forwarding\":\"1\",\"net.ipv4.ping_group_range\":\"0 0\"}}}");
        _cleanup_eval_ struct eval ev = eval_doc(pol, json);
        ck_assert_uint_eq(count_rule(&ev, "sysctls"), 1);
        ck_assert_ptr_nonnull(strstr(find(&ev, "sysctls")->message, "net.ipv4.conf.all.forwarding"));
}
END_TEST

START_TEST(test_non_string_sysctl_is_spec_invalid)
{
        _cleanup_eval_ struct eval ev = eval_sysctl(NS_ALL, "{\"net.ipv4.ip_forward\":1}");
        expect(&ev, "spec-invalid", ACTION_DENY, NULL, NULL);
}
END_TEST

/* --- hooks ------------------------------------------------------------------- */

static struct eval eval_hook(const char *policy, const char *kind, const char *path, bool offline)
{
        char json[512];
        snprintf(json, sizeof(json), "{\"hooks\":{\"%s\":[{\"path\":\"%s\",\"args\":[\"x\",\"SECRET=1\"]}]}}", kind,
                 path);
        return eval_with(NULL, json, (struct eval_opts){.policy = policy, .offline = offline, .bundle = NO_BUNDLE});
}

START_TEST(test_untrusted_hooks_of_every_kind_warn)
{
        static const char *const kinds[] = {"prestart",       "createRuntime", "createContainer",
                                            "startContainer", "poststart",     "poststop"};
        for (size_t i = 0; i < ARRAY_SIZE(kinds); i++) {
                _cleanup_eval_ struct eval ev = eval_hook(NULL, kinds[i], "/usr/local/bin/evil-hook", false);
                const struct finding *f = expect(&ev, "hooks", ACTION_WARN, NULL, NULL);
                char ptr[64];
                snprintf(ptr, sizeof(ptr), "/hooks/%s/0/path", kinds[i]);
                ck_assert_str_eq(f->pointer, ptr);
                ck_assert_ptr_null(strstr(f->message, "SECRET"));
        }
}
END_TEST

START_TEST(test_a_proc_exe_hook_is_judged_by_the_running_binary)
{
        char self[64], exe[4096], pol[4200];
        snprintf(self, sizeof(self), "/proc/%d/exe", (int)getpid());
        ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
        ck_assert_int_gt(n, 0);
        exe[n] = '\0';
        /* this test program is no trusted hook */
        _cleanup_eval_ struct eval ev = eval_hook(NULL, "prestart", self, false);
        ck_assert_ptr_nonnull(strstr(expect(&ev, "hooks", ACTION_WARN, NULL, NULL)->message, exe));
        /* ... until the policy trusts it, by path or by glob */
        snprintf(pol, sizeof(pol), "{\"version\":1,\"rules\":{\"hooks\":{\"params\":{\"trusted\":[\"%s\"]}}}}", exe);
        eval_replace(&ev, eval_hook(pol, "prestart", self, false));
        expect_none(&ev, "hooks");
        /* offline, another host's /proc/<pid>/exe says nothing */
        eval_replace(&ev, eval_hook(NULL, "prestart", "/proc/3206/exe", true));
        expect_none(&ev, "hooks");
}
END_TEST

START_TEST(test_a_symlink_to_a_trusted_hook_is_trusted)
{
        char link[128];
        make_tmpdir();
        snprintf(link, sizeof(link), "%s/hook", tmpdir);
        ck_assert_int_eq(symlink("/bin/true", link), 0);
        char pol[256];
        snprintf(pol, sizeof(pol), "{\"version\":1,\"rules\":{\"hooks\":{\"params\":{\"trusted\":[\"/bin/true\"]}}}}");
        _cleanup_eval_ struct eval ev = eval_hook(pol, "createRuntime", link, false);
        expect_none(&ev, "hooks");
        eval_replace(&ev, eval_hook(pol, "createRuntime", "/bin/false", false));
        expect(&ev, "hooks", ACTION_WARN, NULL, NULL);
}
END_TEST

START_TEST(test_a_hook_path_runc_would_take_elsewhere_is_invalid)
{
        char link[128], pol[256];
        make_tmpdir();
        snprintf(pol, sizeof(pol), "{\"version\":1,\"rules\":{\"hooks\":{\"params\":{\"trusted\":[\"/bin/true\"]}}}}");
        /* relative: runc takes it from the bundle directory */
        _cleanup_eval_ struct eval ev = eval_hook(pol, "createRuntime", "bin/true", false);
        ck_assert_ptr_nonnull(
                strstr(expect(&ev, "spec-invalid", ACTION_DENY, "/hooks/createRuntime/0/path", NULL)->message,
                       "not an absolute path"));
        eval_replace(&ev, eval_hook(pol, "poststop", "bin/true", true));
        expect(&ev, "spec-invalid", ACTION_DENY, "/hooks/poststop/0/path", NULL);
        /* through runc-harden's own cwd, even where ".." leaves /proc by name */
        eval_replace(&ev, eval_hook(pol, "prestart", "/proc/self/cwd/../../../../../../bin/true", false));
        ck_assert_ptr_nonnull(
                strstr(expect(&ev, "spec-invalid", ACTION_DENY, "/hooks/prestart/0/path", NULL)->message, "/proc"));
        eval_replace(&ev, eval_hook(pol, "prestart", "//proc/self/root/bin/true", true));
        expect(&ev, "spec-invalid", ACTION_DENY, "/hooks/prestart/0/path", NULL);
        /* a link of the host's to a /proc link */
        snprintf(link, sizeof(link), "%s/hook", tmpdir);
        ck_assert_int_eq(symlink("/proc/self/root/bin/true", link), 0);
        eval_replace(&ev, eval_hook(pol, "poststart", link, false));
        expect(&ev, "spec-invalid", ACTION_DENY, "/hooks/poststart/0/path", NULL);
        /* the trusted program by its own name still runs */
        eval_replace(&ev, eval_hook(pol, "poststart", "/bin/true", false));
        expect_none(&ev, "spec-invalid");
        expect_none(&ev, "hooks");
}
END_TEST

START_TEST(test_docker_corpus_hook_passes_in_lint)
{
        _cleanup_eval_ struct eval ev = eval_corpus("docker/default.json", true);
        expect_none(&ev, "hooks");
}
END_TEST

static Suite *kernel_suite(void)
{
        Suite *s = suite_create("kernel");
        TCase *tc = tcase_create("sysctls");
        tcase_add_test(tc, test_a_sysctl_is_echoed_as_written);
        tcase_add_test(tc, test_namespaced_and_denied_sysctls_are_echoed_as_written);
        suite_add_tcase(s, tc);

        tc = tcase_create("sysctls-verdicts");
        tcase_add_checked_fixture(tc, NULL, remove_tmpdir);
        tcase_add_test(tc, test_engine_default_sysctls_pass);
        tcase_add_test(tc, test_network_sysctls_need_a_private_network_namespace);
        tcase_add_test(tc, test_ipc_and_uts_sysctls_need_their_namespaces);
        tcase_add_test(tc, test_host_wide_sysctls_are_denied);
        tcase_add_test(tc, test_sysctl_allowed_and_denied_lists);
        tcase_add_test(tc, test_non_string_sysctl_is_spec_invalid);
        suite_add_tcase(s, tc);

        tc = tcase_create("hooks");
        tcase_add_checked_fixture(tc, NULL, remove_tmpdir);
        tcase_add_test(tc, test_untrusted_hooks_of_every_kind_warn);
        tcase_add_test(tc, test_a_proc_exe_hook_is_judged_by_the_running_binary);
        tcase_add_test(tc, test_a_symlink_to_a_trusted_hook_is_trusted);
        tcase_add_test(tc, test_a_hook_path_runc_would_take_elsewhere_is_invalid);
        tcase_add_test(tc, test_docker_corpus_hook_passes_in_lint);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(kernel_suite)
