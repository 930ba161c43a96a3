/* SPDX-License-Identifier: GPL-2.0-or-later */
/* seccomp (policy/rules/seccomp.c): a profile that leaves open a call of
 * the "refuse" list counts as no profile, judged the way runc and
 * libseccomp build the filter (rule order, rules runc skips, conditions,
 * actions that let a tracer or an agent decide). */
#include <unistd.h>

#include "rules/seccomp_judge.h"
#include "testutil.h"

#define LIST                                                                                                       \
        "\"bpf\",\"delete_module\",\"finit_module\",\"init_module\",\"ioperm\",\"iopl\",\"kexec_file_load\","      \
        "\"kexec_load\",\"open_by_handle_at\",\"perf_event_open\",\"userfaultfd\""
/* Every call of the built-in list but bpf. */
#define LIST_BUT_BPF                                                                                               \
        "\"delete_module\",\"finit_module\",\"init_module\",\"ioperm\",\"iopl\",\"kexec_file_load\","             \
        "\"kexec_load\",\"open_by_handle_at\",\"perf_event_open\",\"userfaultfd\""
#define RULE(names, action) "{\"names\":[" names "],\"action\":\"" action "\"}"
#define RULE_ARG(names, action)                                                                                    \
        "{\"names\":[" names "],\"action\":\"" action "\",\"args\":[{\"index\":0,\"value\":1,\"op\":\"SCMP_CMP_EQ\"}]}"
#define PROFILE(def, rules) "{\"defaultAction\":\"" def "\",\"syscalls\":[" rules "]}"

static struct policy *seccomp_only(const char *policy_json)
{
        struct policy *p = policy_json ? policy_from(policy_json) : builtin_policy();
        for (size_t i = 0; i < rules_count(); i++)
                if (strcmp(rules_get(i)->id, "seccomp") != 0 && strcmp(rules_get(i)->id, "spec-invalid") != 0)
                        p->conf[i].action = ACTION_OFF;
        return p;
}

static struct eval check_profile(struct policy *p, const char *profile)
{
        _cleanup_free_ char *json = NULL;
        ck_assert(asprintf(&json, "{\"linux\":{\"seccomp\":%s}}", profile) > 0);
        _cleanup_spec_ struct spec *s = parse_spec(json);
        struct eval ev = {0};
        evaluate(p, s, CHECK_CONFIG, &ev);
        return ev;
}

/* The profile is weak (fix at /linux/seccomp) and the message says text. */
static void expect_open(const char *profile, const char *text)
{
        _cleanup_policy_ struct policy *p = seccomp_only(NULL);
        _cleanup_eval_ struct eval ev = check_profile(p, profile);
        const struct finding *f = find(&ev, "seccomp");
        ck_assert_msg(f != NULL, "kept: %s", profile);
        ck_assert_msg(f->action == ACTION_FIX, "%s: %s", action_name(f->action), f->message);
        ck_assert_str_eq(f->pointer, "/linux/seccomp");
        ck_assert_msg(strstr(f->message, text), "\"%s\" lacks \"%s\"", f->message, text);
}

static void expect_kept(const char *profile)
{
        _cleanup_policy_ struct policy *p = seccomp_only(NULL);
        _cleanup_eval_ struct eval ev = check_profile(p, profile);
        ck_assert_msg(ev.n == 0, "%s: %s", profile, ev.n ? ev.findings[0].message : "");
}

START_TEST(test_a_denylist_of_an_unimplemented_call_counts_as_no_profile)
{
        /* the review's example: allow by default, errno for a call that
         * does nothing anyway */
        expect_open(PROFILE("SCMP_ACT_ALLOW", RULE("\"nfsservctl\"", "SCMP_ACT_ERRNO")),
                    "leaves open bpf (defaultAction), delete_module (defaultAction), finit_module (defaultAction), "
                    "init_module (defaultAction), ioperm (defaultAction), iopl (defaultAction), kexec_file_load "
                    "(defaultAction), kexec_load (defaultAction), open_by_handle_at (defaultAction), "
                    "perf_event_open (defaultAction), userfaultfd (defaultAction)");
        /* one call missing is enough */
        expect_open(PROFILE("SCMP_ACT_ALLOW", RULE(LIST_BUT_BPF, "SCMP_ACT_ERRNO")), "leaves open bpf (defaultAction):");
        expect_kept(PROFILE("SCMP_ACT_ALLOW", RULE(LIST, "SCMP_ACT_ERRNO")));
}
END_TEST

START_TEST(test_an_allowlist_that_allows_a_call_of_the_list_leaves_it_open)
{
        expect_open(PROFILE("SCMP_ACT_ERRNO", RULE("\"read\",\"bpf\"", "SCMP_ACT_ALLOW")),
                    "leaves open bpf (syscalls/0)");
        expect_open(PROFILE("SCMP_ACT_ERRNO", RULE("\"read\"", "SCMP_ACT_ALLOW") "," RULE("\"iopl\"", "SCMP_ACT_LOG")),
                    "leaves open iopl (syscalls/1)");
        expect_kept(PROFILE("SCMP_ACT_ERRNO", RULE("\"read\",\"write\"", "SCMP_ACT_ALLOW")));
        expect_kept(PROFILE("SCMP_ACT_KILL_PROCESS", RULE("\"read\"", "SCMP_ACT_ALLOW")));
}
END_TEST

START_TEST(test_a_refusal_that_depends_on_the_arguments_does_not_close_a_call)
{
        /* allowed for some arguments under a refusing default */
        expect_open(PROFILE("SCMP_ACT_ERRNO", RULE_ARG("\"bpf\"", "SCMP_ACT_ALLOW")), "leaves open bpf (syscalls/0)");
        /* refused for some arguments under an allowing default */
        expect_open(PROFILE("SCMP_ACT_ALLOW", RULE(LIST_BUT_BPF, "SCMP_ACT_ERRNO") "," RULE_ARG("\"bpf\"", "SCMP_ACT_ERRNO")),
                    "leaves open bpf (defaultAction)");
}
END_TEST

START_TEST(test_libseccomp_keeps_the_first_rule_without_arguments)
{
        /* an allow before the refusal wins, whatever follows */
        expect_open(PROFILE("SCMP_ACT_KILL", RULE("\"bpf\"", "SCMP_ACT_ALLOW") "," RULE("\"bpf\"", "SCMP_ACT_ERRNO")),
                    "leaves open bpf (syscalls/0)");
        /* a refusal before the allow wins */
        expect_kept(PROFILE("SCMP_ACT_ALLOW", RULE(LIST, "SCMP_ACT_ERRNO") "," RULE("\"bpf\"", "SCMP_ACT_LOG")));
        /* a rule without arguments replaces the conditional ones before it */
        expect_kept(PROFILE("SCMP_ACT_ERRNO", RULE_ARG("\"bpf\"", "SCMP_ACT_ALLOW") "," RULE("\"bpf\"", "SCMP_ACT_TRAP")));
        /* and conditional rules after it are dropped */
        expect_kept(PROFILE("SCMP_ACT_ALLOW", RULE(LIST, "SCMP_ACT_KILL_THREAD") "," RULE_ARG("\"bpf\"", "SCMP_ACT_LOG")));
}
END_TEST

START_TEST(test_runc_skips_a_rule_whose_action_is_the_default)
{
        /* ERRNO with the default errno (EPERM) is the default action: runc
         * skips it, so the allow after it is the first rule for bpf */
        expect_open(PROFILE("SCMP_ACT_ERRNO", RULE("\"bpf\"", "SCMP_ACT_ERRNO") "," RULE("\"bpf\"", "SCMP_ACT_ALLOW")),
                    "leaves open bpf (syscalls/1)");
        /* ...but ERRNO with another errno is a rule of its own */
        expect_kept(PROFILE("SCMP_ACT_ERRNO",
                            "{\"names\":[\"bpf\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":38},"
                            RULE("\"bpf\"", "SCMP_ACT_ALLOW")));
        /* KILL is KILL_THREAD to runc */
        expect_open(PROFILE("SCMP_ACT_KILL", RULE("\"bpf\"", "SCMP_ACT_KILL_THREAD") "," RULE("\"bpf\"", "SCMP_ACT_ALLOW")),
                    "leaves open bpf (syscalls/1)");
}
END_TEST

START_TEST(test_trace_and_notify_are_not_refusals)
{
        expect_open(PROFILE("SCMP_ACT_ALLOW", RULE(LIST_BUT_BPF, "SCMP_ACT_ERRNO") "," RULE("\"bpf\"", "SCMP_ACT_TRACE")),
                    "leaves open bpf (syscalls/1)");
        expect_open(PROFILE("SCMP_ACT_TRACE", RULE("\"read\"", "SCMP_ACT_ALLOW")), "bpf (defaultAction)");
        expect_kept(PROFILE("SCMP_ACT_ALLOW", RULE(LIST_BUT_BPF, "SCMP_ACT_KILL_PROCESS") "," RULE("\"bpf\"", "SCMP_ACT_TRAP")));
}
END_TEST

START_TEST(test_the_architectures_listed_change_nothing)
{
        expect_open("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X86\","
                    "\"SCMP_ARCH_X32\"],\"syscalls\":[" RULE(LIST_BUT_BPF, "SCMP_ACT_ERRNO") "]}",
                    "leaves open bpf (defaultAction):");
        expect_kept("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X86\","
                    "\"SCMP_ARCH_X32\"],\"syscalls\":[" RULE(LIST, "SCMP_ACT_ERRNO") "]}");
}
END_TEST

START_TEST(test_the_engines_profiles_refuse_the_list)
{
        static const char *const files[] = {"docker/default.json", "docker/hardened.json", "podman/default.json"};
        _cleanup_policy_ struct policy *p = seccomp_only(NULL);
        for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
                _cleanup_spec_ struct spec *s = corpus_spec(files[i]);
                _cleanup_eval_ struct eval ev = {0};
                evaluate(p, s, CHECK_CONFIG, &ev);
                ck_assert_msg(ev.n == 0, "%s: %s", files[i], ev.n ? ev.findings[0].message : "");
        }
}
END_TEST

START_TEST(test_the_list_is_a_parameter)
{
        /* podman's default profile allows unshare; Docker's refuses it */
        _cleanup_policy_ struct policy *p = seccomp_only("{\"version\":1,\"rules\":{\"seccomp\":{\"params\":{\"refuse\":"
                                        "[\"unshare\",\"bpf\"]}}}}");
        _cleanup_spec_ struct spec *s = corpus_spec("podman/default.json");
        _cleanup_eval_ struct eval podman = {0}, docker = {0};
        evaluate(p, s, CHECK_CONFIG, &podman);
        const struct finding *f = find(&podman, "seccomp");
        ck_assert_ptr_nonnull(f);
        ck_assert_msg(strstr(f->message, "leaves open unshare (syscalls/1):"), "%s", f->message);
        spec_replace(&s, corpus_spec("docker/default.json"));
        evaluate(p, s, CHECK_CONFIG, &docker);
        ck_assert_uint_eq(docker.n, 0);
}
END_TEST

static void expect_policy_refused(const char *json, const char *text)
{
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        struct policy *p = NULL;
        ck_assert_int_lt(policy_parse(json, strlen(json), "test", &p, &err), 0);
        ck_assert_msg(strstr(rh_error_msg(&err), text), "\"%s\" lacks \"%s\"", rh_error_msg(&err), text);
}

START_TEST(test_the_list_names_only_calls_libseccomp_knows)
{
        expect_policy_refused("{\"version\":1,\"rules\":{\"seccomp\":{\"params\":{\"refuse\":[\"bpf\",\"bfp\"]}}}}",
                              "\"bfp\", is not a system call libseccomp knows");
        char json[4096] = "{\"version\":1,\"rules\":{\"seccomp\":{\"params\":{\"refuse\":[";
        for (int i = 0; i < 65; i++)
                strcat(json, i ? ",\"bpf\"" : "\"bpf\"");
        strcat(json, "]}}}}");
        expect_policy_refused(json, "more than 64");
}
END_TEST

START_TEST(test_the_fix_installs_a_profile_that_refuses_the_list)
{
        _cleanup_policy_ struct policy *p = seccomp_only(NULL);
        _cleanup_spec_ struct spec *s = parse_spec("{\"linux\":{\"seccomp\":" PROFILE("SCMP_ACT_ALLOW", RULE("\"reboot\"", "SCMP_ACT_ERRNO")) "}}");
        _cleanup_eval_ struct eval before = {0}, after = {0};
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        evaluate(p, s, CHECK_CONFIG, &before);
        ck_assert_int_eq(eval_verdict(&before), VERDICT_FIX);
        ck_assert_msg(engine_apply_fixes(p, s, CHECK_CONFIG, &before, &err) == 0, "%s", rh_error_msg(&err));
        const struct jv *prof = jv_get(jv_get(s->root, "linux"), "seccomp");
        ck_assert_str_eq(jv_get(prof, "defaultAction")->u.str.s, "SCMP_ACT_ERRNO");
        evaluate(p, s, CHECK_CONFIG, &after);
        ck_assert_uint_eq(after.n, 0);
}
END_TEST

START_TEST(test_a_replacement_that_leaves_a_call_open_denies)
{
        char path[] = "/tmp/rh-seccomp-XXXXXX";
        int fd = mkstemp(path);
        static const char weak[] = PROFILE("SCMP_ACT_ERRNO", RULE("\"read\",\"bpf\"", "SCMP_ACT_ALLOW"));
        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(write(fd, weak, sizeof(weak) - 1), (ssize_t)(sizeof(weak) - 1));
        close(fd);
        _cleanup_free_ char *json = NULL;
        ck_assert(asprintf(&json, "{\"version\":1,\"rules\":{\"seccomp\":{\"params\":{\"profile\":\"%s\"}}}}", path) > 0);
        _cleanup_policy_ struct policy *p = seccomp_only(json);
        _cleanup_spec_ struct spec *s = parse_spec("{\"linux\":{}}");
        _cleanup_eval_ struct eval ev = {0};
        evaluate(p, s, CHECK_CONFIG, &ev);
        const struct finding *f = find(&ev, "seccomp");
        ck_assert_ptr_nonnull(f);
        ck_assert_int_eq(f->action, ACTION_DENY);
        ck_assert_msg(strstr(f->message, "replacement profile does not refuse bpf (syscalls/0) either"), "%s",
                      f->message);
        unlink(path);
}
END_TEST

/* The audit judges dockerd's daemon-wide profile the same way, with the
 * built-in list. */
START_TEST(test_the_audits_judge_holds_profiles_to_the_built_in_list)
{
        static const struct {
                const char *profile;
                bool weak;
        } cases[] = {
                {PROFILE("SCMP_ACT_ALLOW", RULE("\"nfsservctl\"", "SCMP_ACT_ERRNO")), true},
                {PROFILE("SCMP_ACT_ALLOW", RULE(LIST_BUT_BPF, "SCMP_ACT_ERRNO")), true},
                {PROFILE("SCMP_ACT_ERRNO", RULE("\"read\",\"bpf\"", "SCMP_ACT_ALLOW")), true},
                {PROFILE("SCMP_ACT_ALLOW", RULE(LIST, "SCMP_ACT_ERRNO")), false},
                {PROFILE("SCMP_ACT_ERRNO", RULE("\"read\"", "SCMP_ACT_ALLOW")), false},
        };
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                _cleanup_jdoc_ struct jdoc *d = NULL;
                rh_error_t err = RH_ERROR_INIT;
                bool weak = !cases[i].weak;
                ck_assert_int_eq(jdoc_parse(cases[i].profile, strlen(cases[i].profile), &d, &err), 0);
                ck_assert_int_eq(seccomp_profile_judge(d->root, &weak, &err), 0);
                ck_assert_msg(weak == cases[i].weak, "%s: weak %d", cases[i].profile, weak);
        }
}
END_TEST

static Suite *seccomp_suite(void)
{
        Suite *s = suite_create("rules-seccomp");
        TCase *tc = tcase_create("refuse");
        tcase_add_test(tc, test_a_denylist_of_an_unimplemented_call_counts_as_no_profile);
        tcase_add_test(tc, test_an_allowlist_that_allows_a_call_of_the_list_leaves_it_open);
        tcase_add_test(tc, test_a_refusal_that_depends_on_the_arguments_does_not_close_a_call);
        tcase_add_test(tc, test_libseccomp_keeps_the_first_rule_without_arguments);
        tcase_add_test(tc, test_runc_skips_a_rule_whose_action_is_the_default);
        tcase_add_test(tc, test_trace_and_notify_are_not_refusals);
        tcase_add_test(tc, test_the_architectures_listed_change_nothing);
        tcase_add_test(tc, test_the_engines_profiles_refuse_the_list);
        tcase_add_test(tc, test_the_list_is_a_parameter);
        tcase_add_test(tc, test_the_list_names_only_calls_libseccomp_knows);
        tcase_add_test(tc, test_the_fix_installs_a_profile_that_refuses_the_list);
        tcase_add_test(tc, test_a_replacement_that_leaves_a_call_open_denies);
        tcase_add_test(tc, test_the_audits_judge_holds_profiles_to_the_built_in_list);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(seccomp_suite)
