/* SPDX-License-Identifier: GPL-2.0-or-later */
/* seccomp (policy/rules/seccomp.c): a profile that leaves open a call of
 * the "refuse" list counts as no profile, judged the way runc and
 * libseccomp build the filter (rule order, rules runc skips, conditions,
 * actions that let a tracer or an agent decide). */
#include <ctype.h>
#include <seccomp.h>
#include <unistd.h>

#include "rules/seccomp_judge.h"
#include "testutil.h"

extern const char rh_seccomp_default_json[];
extern const size_t rh_seccomp_default_json_len;

#define LIST                                                                                                           \
        "\"bpf\",\"delete_module\",\"finit_module\",\"init_module\",\"ioperm\",\"iopl\",\"kexec_file_load\","          \
        "\"kexec_load\",\"open_by_handle_at\",\"perf_event_open\",\"userfaultfd\""
/* Every call of the built-in list but bpf. */
#define LIST_BUT_BPF                                                                                                   \
        "\"delete_module\",\"finit_module\",\"init_module\",\"ioperm\",\"iopl\",\"kexec_file_load\","                  \
        "\"kexec_load\",\"open_by_handle_at\",\"perf_event_open\",\"userfaultfd\""
#define RULE(names, action) "{\"names\":[" names "],\"action\":\"" action "\"}"
#define RULE_ARG(names, action)                                                                                        \
        "{\"names\":[" names "],\"action\":\"" action "\",\"args\":[{\"index\":0,\"value\":1,\"op\":\"SCMP_CMP_EQ\"}]" \
        "}"
#define PROFILE(def, rules) "{\"defaultAction\":\"" def "\",\"syscalls\":[" rules "]}"

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
        _cleanup_policy_ struct policy *p = only_rule("seccomp", NULL);
        _cleanup_eval_ struct eval ev = check_profile(p, profile);
        const struct finding *f = find(&ev, "seccomp");
        ck_assert_msg(f != NULL, "kept: %s", profile);
        ck_assert_msg(f->action == ACTION_FIX, "%s: %s", action_name(f->action), f->message);
        ck_assert_str_eq(f->pointer, "/linux/seccomp");
        ck_assert_msg(strstr(f->message, text), "\"%s\" lacks \"%s\"", f->message, text);
}

static void expect_kept(const char *profile)
{
        _cleanup_policy_ struct policy *p = only_rule("seccomp", NULL);
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
        expect_open(PROFILE("SCMP_ACT_ALLOW", RULE(LIST_BUT_BPF, "SCMP_ACT_ERRNO")),
                    "leaves open bpf (defaultAction):");
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
        expect_open(PROFILE("SCMP_ACT_ALLOW",
                            RULE(LIST_BUT_BPF, "SCMP_ACT_ERRNO") "," RULE_ARG("\"bpf\"", "SCMP_ACT_ERRNO")),
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
        expect_kept(
                PROFILE("SCMP_ACT_ERRNO", RULE_ARG("\"bpf\"", "SCMP_ACT_ALLOW") "," RULE("\"bpf\"", "SCMP_ACT_TRAP")));
        /* and conditional rules after it are dropped */
        expect_kept(
                PROFILE("SCMP_ACT_ALLOW", RULE(LIST, "SCMP_ACT_KILL_THREAD") "," RULE_ARG("\"bpf\"", "SCMP_ACT_LOG")));
}
END_TEST

START_TEST(test_runc_skips_a_rule_whose_action_is_the_default)
{
        /* ERRNO with the default errno (EPERM) is the default action: runc
         * skips it, so the allow after it is the first rule for bpf */
        expect_open(PROFILE("SCMP_ACT_ERRNO", RULE("\"bpf\"", "SCMP_ACT_ERRNO") "," RULE("\"bpf\"", "SCMP_ACT_ALLOW")),
                    "leaves open bpf (syscalls/1)");
        /* ...but ERRNO with another errno is a rule of its own */
        expect_kept(
                PROFILE("SCMP_ACT_ERRNO", "{\"names\":[\"bpf\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":38}," RULE(
                                                  "\"bpf\"", "SCMP_ACT_ALLOW")));
        /* KILL is KILL_THREAD to runc */
        expect_open(
                PROFILE("SCMP_ACT_KILL", RULE("\"bpf\"", "SCMP_ACT_KILL_THREAD") "," RULE("\"bpf\"", "SCMP_ACT_ALLOW")),
                "leaves open bpf (syscalls/1)");
}
END_TEST

START_TEST(test_trace_and_notify_are_not_refusals)
{
        expect_open(
                PROFILE("SCMP_ACT_ALLOW", RULE(LIST_BUT_BPF, "SCMP_ACT_ERRNO") "," RULE("\"bpf\"", "SCMP_ACT_TRACE")),
                "leaves open bpf (syscalls/1)");
        expect_open(PROFILE("SCMP_ACT_TRACE", RULE("\"read\"", "SCMP_ACT_ALLOW")), "bpf (defaultAction)");
        expect_kept(PROFILE("SCMP_ACT_ALLOW",
                            RULE(LIST_BUT_BPF, "SCMP_ACT_KILL_PROCESS") "," RULE("\"bpf\"", "SCMP_ACT_TRAP")));
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
        _cleanup_policy_ struct policy *p = only_rule("seccomp", NULL);
        for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
                _cleanup_spec_ struct spec *s = corpus_spec(files[i]);
                _cleanup_eval_ struct eval ev = eval_spec(p, s, CHECK_CONFIG);
                ck_assert_msg(ev.n == 0, "%s: %s", files[i], ev.n ? ev.findings[0].message : "");
        }
}
END_TEST

START_TEST(test_the_list_is_a_parameter)
{
        /* podman's default profile allows unshare; Docker's refuses it */
        _cleanup_policy_ struct policy *p =
                only_rule("seccomp", "{\"version\":1,\"rules\":{\"seccomp\":{\"params\":{\"refuse\":"
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
        _cleanup_policy_ struct policy *p = only_rule("seccomp", NULL);
        _cleanup_spec_ struct spec *s = parse_spec(
                "{\"linux\":{\"seccomp\":" PROFILE("SCMP_ACT_ALLOW", RULE("\"reboot\"", "SCMP_ACT_ERRNO")) "}}");
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
        ck_assert(asprintf(&json, "{\"version\":1,\"rules\":{\"seccomp\":{\"params\":{\"profile\":\"%s\"}}}}", path) >
                  0);
        _cleanup_policy_ struct policy *p = only_rule("seccomp", json);
        _cleanup_spec_ struct spec *s = parse_spec("{\"linux\":{}}");
        _cleanup_eval_ struct eval ev = eval_spec(p, s, CHECK_CONFIG);
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

/* runc 1.1 passes errnoRet and defaultErrnoRet through int16() into
 * libseccomp-golang, which keeps 16 bits: 65537 is EPERM (1), 65536+38 is
 * ENOSYS. A rule whose value is the default's after that is the default
 * action, which runc skips; the rule after it is the one that counts. */
#define ERRNO_RULE(names, ret) "{\"names\":[" names "],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":" ret "}"
#define PROFILE_RET(def, ret, rules)                                                                                   \
        "{\"defaultAction\":\"" def "\",\"defaultErrnoRet\":" ret ",\"syscalls\":[" rules "]}"

START_TEST(test_errno_values_are_compared_as_runc_truncates_them)
{
        /* the attack: a refusal that only looks distinct from the default */
        expect_open(PROFILE_RET("SCMP_ACT_ERRNO", "1", ERRNO_RULE(LIST, "65537") "," RULE(LIST, "SCMP_ACT_ALLOW")),
                    "leaves open bpf (syscalls/1)");
        /* the same through the default: 65537 is runc's EPERM */
        expect_open(
                PROFILE_RET("SCMP_ACT_ERRNO", "65537", RULE(LIST, "SCMP_ACT_ERRNO") "," RULE(LIST, "SCMP_ACT_ALLOW")),
                "leaves open bpf (syscalls/1)");
        /* no defaultErrnoRet is EPERM too */
        expect_open(PROFILE("SCMP_ACT_ERRNO", ERRNO_RULE("\"bpf\"", "65537") "," RULE("\"bpf\"", "SCMP_ACT_ALLOW")),
                    "leaves open bpf (syscalls/1)");
        /* and any value whose low 16 bits are the default's */
        expect_open(PROFILE_RET("SCMP_ACT_ERRNO", "38",
                                ERRNO_RULE("\"bpf\"", "65574") "," RULE("\"bpf\"", "SCMP_ACT_ALLOW")),
                    "leaves open bpf (syscalls/1)");
        expect_open(PROFILE_RET("SCMP_ACT_ERRNO", "4294901761",
                                ERRNO_RULE("\"bpf\"", "1") "," RULE("\"bpf\"", "SCMP_ACT_ALLOW")),
                    "leaves open bpf (syscalls/1)");
        /* a value that differs in the low 16 bits is a rule of its own */
        expect_kept(PROFILE_RET("SCMP_ACT_ERRNO", "1", ERRNO_RULE(LIST, "65574") "," RULE(LIST, "SCMP_ACT_ALLOW")));
        expect_kept(PROFILE_RET("SCMP_ACT_ERRNO", "65537", ERRNO_RULE(LIST, "38") "," RULE(LIST, "SCMP_ACT_ALLOW")));
}
END_TEST

START_TEST(test_trace_values_are_truncated_like_errno_values)
{
        /* TRACE carries a value too: equal after truncation, the rule is
         * skipped, and the ALLOW after it is what runc installs */
        expect_open("{\"defaultAction\":\"SCMP_ACT_TRACE\",\"defaultErrnoRet\":2,\"syscalls\":["
                    "{\"names\":[" LIST
                    "],\"action\":\"SCMP_ACT_TRACE\",\"errnoRet\":65538}," RULE(LIST, "SCMP_ACT_ALLOW") "]}",
                    "leaves open bpf (syscalls/1)");
        /* the value of an action that carries none changes nothing */
        expect_open(PROFILE_RET("SCMP_ACT_KILL", "1",
                                "{\"names\":[\"bpf\"],\"action\":\"SCMP_ACT_KILL_THREAD\","
                                "\"errnoRet\":2}," RULE("\"bpf\"", "SCMP_ACT_ALLOW")),
                    "leaves open bpf (syscalls/1)");
}
END_TEST

START_TEST(test_the_audits_judge_truncates_errno_values_too)
{
        static const char *const weak_profiles[] = {
                PROFILE_RET("SCMP_ACT_ERRNO", "1", ERRNO_RULE(LIST, "65537") "," RULE(LIST, "SCMP_ACT_ALLOW")),
                PROFILE_RET("SCMP_ACT_ERRNO", "65537", RULE(LIST, "SCMP_ACT_ERRNO") "," RULE(LIST, "SCMP_ACT_ALLOW")),
        };
        for (size_t i = 0; i < ARRAY_SIZE(weak_profiles); i++) {
                _cleanup_jdoc_ struct jdoc *d = NULL;
                _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
                bool weak = false;
                ck_assert_int_eq(jdoc_parse(weak_profiles[i], strlen(weak_profiles[i]), &d, &err), 0);
                ck_assert_int_eq(seccomp_profile_judge(d->root, &weak, &err), 0);
                ck_assert_msg(weak, "%s: judged strong", weak_profiles[i]);
        }
}
END_TEST

/* --- validation, the built-in profile, the policy's own ----------------- */

static struct eval seccomp_check(struct policy *p, const char *profile)
{
        _cleanup_free_ char *json = NULL;
        ck_assert(asprintf(&json, "{\"linux\":{\"seccomp\":%s}}", profile) > 0);
        struct eval ev = eval_json(p, json);
        return ev;
}

#define ERRNO_PROFILE(rules)                                                                                           \
        "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_AARCH64\"],"        \
        "\"syscalls\":[" rules "]}"

static void expect_invalid_profile(const char *profile, const char *pointer, const char *text)
{
        _cleanup_policy_ struct policy *p = only_rule("seccomp", NULL);
        _cleanup_eval_ struct eval ev = seccomp_check(p, profile);
        expect(&ev, "spec-invalid", ACTION_DENY, pointer, text);
        ck_assert_ptr_null(find(&ev, "seccomp"));
}

START_TEST(test_a_missing_profile_gets_the_default_and_a_second_check_is_clean)
{
        _cleanup_policy_ struct policy *p = only_rule("seccomp", NULL);
        _cleanup_spec_ struct spec *s = parse_spec("{\"process\":{\"args\":[\"sh\"]},\"linux\":{\"namespaces\":[]}}");
        _cleanup_eval_ struct eval ev = eval_spec(p, s, CHECK_CONFIG);
        expect(&ev, "seccomp", ACTION_FIX, "/linux/seccomp", "no seccomp profile");
        fix_ok(p, s, CHECK_CONFIG);
        struct jv *prof = jv_get(jv_get(s->root, "linux"), "seccomp");
        ck_assert_ptr_nonnull(prof);
        ck_assert_str_eq(jv_get(prof, "defaultAction")->u.str.s, "SCMP_ACT_ERRNO");
        ck_assert_str_eq(jv_get(prof, "defaultErrnoRet")->u.str.s, "1");
        eval_replace(&ev, eval_spec(p, s, CHECK_CONFIG));
        ck_assert_msg(ev.n == 0, "re-check: %s", ev.n ? ev.findings[0].message : "");
}
END_TEST

START_TEST(test_a_spec_without_linux_gets_one)
{
        _cleanup_policy_ struct policy *p = only_rule("seccomp", NULL);
        _cleanup_spec_ struct spec *s = parse_spec("{\"process\":{\"args\":[\"sh\"]}}");
        fix_ok(p, s, CHECK_CONFIG);
        ck_assert_ptr_nonnull(jv_get(jv_get(s->root, "linux"), "seccomp"));
}
END_TEST

START_TEST(test_profiles_that_allow_everything_are_replaced)
{
        static const char *const weak[] = {
                "{\"defaultAction\":\"SCMP_ACT_ALLOW\"}",
                "{\"defaultAction\":\"SCMP_ACT_LOG\",\"syscalls\":[]}",
                "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],\"action\":"
                "\"SCMP_ACT_ALLOW\"},{\"names\":[],\"action\":\"SCMP_ACT_ERRNO\"}]}",
        };
        _cleanup_policy_ struct policy *p = only_rule("seccomp", NULL);
        for (size_t i = 0; i < sizeof(weak) / sizeof(weak[0]); i++) {
                _cleanup_eval_ struct eval ev = seccomp_check(p, weak[i]);
                expect(&ev, "seccomp", ACTION_FIX, "/linux/seccomp/defaultAction", "allows every");
        }
        /* runc installs no filter for an empty profile */
        _cleanup_eval_ struct eval ev = seccomp_check(p, "{}");
        expect(&ev, "seccomp", ACTION_FIX, "/linux/seccomp", "installs no filter");
}
END_TEST

/* A denylist is kept when it refuses the rule's "refuse" list; one that
 * refuses only mount and unshare leaves bpf, kexec_load, ... open and
 * counts as no profile (test_rules_seccomp.c has the cases). */
START_TEST(test_a_denylist_profile_is_kept)
{
        _cleanup_policy_ struct policy *p = only_rule("seccomp", NULL);
        _cleanup_eval_ struct eval ev =
                seccomp_check(p, "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":"
                                 "[\"mount\",\"unshare\",\"bpf\",\"delete_module\",\"finit_module\","
                                 "\"init_module\",\"ioperm\",\"iopl\",\"kexec_file_load\",\"kexec_load\","
                                 "\"open_by_handle_at\",\"perf_event_open\",\"userfaultfd\"],"
                                 "\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":1}]}");
        ck_assert_uint_eq(ev.n, 0);
        eval_replace(&ev, seccomp_check(p, "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":"
                                           "[\"mount\",\"unshare\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":1}]}"));
        expect(&ev, "seccomp", ACTION_FIX, "/linux/seccomp", "leaves open bpf (defaultAction)");
}
END_TEST

START_TEST(test_engine_profiles_are_valid_and_kept)
{
        _cleanup_policy_ struct policy *p = only_rule("seccomp", NULL);
        static const char *const files[] = {"docker/default.json", "podman/default.json"};
        for (size_t i = 0; i < 2; i++) {
                _cleanup_spec_ struct spec *s = corpus_spec(files[i]);
                _cleanup_eval_ struct eval ev = eval_spec(p, s, CHECK_CONFIG);
                ck_assert_msg(ev.n == 0, "%s: %s", files[i], ev.n ? ev.findings[0].message : "");
        }
        /* --privileged: no profile at all */
        _cleanup_spec_ struct spec *s = corpus_spec("docker/privileged.json");
        _cleanup_eval_ struct eval ev = eval_spec(p, s, CHECK_CONFIG);
        expect(&ev, "seccomp", ACTION_FIX, "/linux/seccomp", NULL);
}
END_TEST

START_TEST(test_a_bad_syscall_name_in_a_refusing_rule_is_spec_invalid)
{
        expect_invalid_profile(ERRNO_PROFILE("{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\"},"
                                             "{\"names\":[\"mount\",\"mounnt\"],\"action\":\"SCMP_ACT_KILL\"}"),
                               "/linux/seccomp/syscalls/1/names/1", "mounnt");
        expect_invalid_profile(ERRNO_PROFILE("{\"names\":[\"\"],\"action\":\"SCMP_ACT_ALLOW\"}"),
                               "/linux/seccomp/syscalls/0/names/0", "empty");
}
END_TEST

START_TEST(test_a_bad_syscall_name_in_an_allow_rule_is_a_warning)
{
        _cleanup_policy_ struct policy *p = only_rule("seccomp", NULL);
        _cleanup_eval_ struct eval ev = seccomp_check(p, ERRNO_PROFILE("{\"names\":[\"read\",\"raed\"],\"action\":"
                                                                       "\"SCMP_ACT_ALLOW\"}"));
        expect(&ev, "seccomp", ACTION_WARN, "/linux/seccomp/syscalls/0/names/1", "raed");
        ck_assert_ptr_null(find(&ev, "spec-invalid"));
        ck_assert_int_eq(eval_verdict(&ev), VERDICT_ALLOW);
}
END_TEST

START_TEST(test_bad_architectures_are_spec_invalid)
{
        expect_invalid_profile("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_X86_64\","
                               "\"SCMP_ARCH_Z80\"]}",
                               "/linux/seccomp/architectures/1", "SCMP_ARCH_Z80");
        expect_invalid_profile("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"x86_64\"]}",
                               "/linux/seccomp/architectures/0", "architecture");
        expect_invalid_profile("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_x86_64\"]}",
                               "/linux/seccomp/architectures/0", "architecture");
}
END_TEST

START_TEST(test_bad_actions_are_spec_invalid)
{
        expect_invalid_profile("{\"defaultAction\":\"SCMP_ACT_DENY\"}", "/linux/seccomp/defaultAction",
                               "SCMP_ACT_DENY");
        expect_invalid_profile(ERRNO_PROFILE("{\"names\":[\"read\"],\"action\":\"allow\"}"),
                               "/linux/seccomp/syscalls/0/action", "allow");
        expect_invalid_profile(ERRNO_PROFILE("{\"names\":[\"read\"]}"), "/linux/seccomp/syscalls/0/action", "missing");
        /* rules without a default action: runc refuses the profile */
        expect_invalid_profile("{\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\"}]}",
                               "/linux/seccomp/defaultAction", "missing");
}
END_TEST

START_TEST(test_bad_operators_and_arguments_are_spec_invalid)
{
        expect_invalid_profile(ERRNO_PROFILE("{\"names\":[\"personality\"],\"action\":\"SCMP_ACT_ALLOW\","
                                             "\"args\":[{\"index\":0,\"value\":0,\"op\":\"SCMP_CMP_EQUAL\"}]}"),
                               "/linux/seccomp/syscalls/0/args/0/op", "SCMP_CMP_EQUAL");
        expect_invalid_profile(ERRNO_PROFILE("{\"names\":[\"personality\"],\"action\":\"SCMP_ACT_ALLOW\","
                                             "\"args\":[{\"index\":6,\"value\":0,\"op\":\"SCMP_CMP_EQ\"}]}"),
                               "/linux/seccomp/syscalls/0/args/0/index", NULL);
        expect_invalid_profile(ERRNO_PROFILE("{\"names\":[\"personality\"],\"action\":\"SCMP_ACT_ALLOW\","
                                             "\"args\":[{\"index\":0,\"value\":-1,\"op\":\"SCMP_CMP_EQ\"}]}"),
                               "/linux/seccomp/syscalls/0/args/0/value", NULL);
        expect_invalid_profile(ERRNO_PROFILE("{\"names\":\"read\",\"action\":\"SCMP_ACT_ALLOW\"}"),
                               "/linux/seccomp/syscalls/0/names", "array");
        expect_invalid_profile("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"flags\":[\"SECCOMP_FILTER_FLAG_NOPE\"]}",
                               "/linux/seccomp/flags/0", NULL);
}
END_TEST

START_TEST(test_the_built_in_profile_is_valid_for_every_architecture)
{
        _cleanup_policy_ struct policy *p = only_rule("seccomp", NULL);
        _cleanup_free_ char *prof = strndup(rh_seccomp_default_json, rh_seccomp_default_json_len);
        _cleanup_eval_ struct eval ev = seccomp_check(p, prof);
        ck_assert_msg(ev.n == 0, "%s: %s", ev.n ? ev.findings[0].pointer : "", ev.n ? ev.findings[0].message : "");
        /* The rule resolves names for the native architecture, as runc does;
         * the shipped profile must also name only calls libseccomp knows on
         * every architecture it lists, or a refusal would be lost there. */
        _cleanup_jdoc_ struct jdoc *d = NULL;
        rh_error_t err = RH_ERROR_INIT;
        ck_assert_int_eq(jdoc_parse(prof, strlen(prof), &d, &err), 0);
        const struct jv *archs = jv_get(d->root, "architectures"), *sc = jv_get(d->root, "syscalls");
        size_t checked = 0;
        for (size_t a = 0; a < archs->u.arr.n; a++) {
                char lower[32] = "";
                const char *tok = archs->u.arr.v[a]->u.str.s + strlen("SCMP_ARCH_");
                for (size_t c = 0; tok[c] && c + 1 < sizeof(lower); c++)
                        lower[c] = (char)tolower((unsigned char)tok[c]);
                uint32_t arch = seccomp_arch_resolve_name(lower);
                ck_assert_msg(arch != 0, "%s", archs->u.arr.v[a]->u.str.s);
                for (size_t i = 0; i < sc->u.arr.n; i++) {
                        const struct jv *names = jv_get(sc->u.arr.v[i], "names");
                        if (STREQ(jv_get(sc->u.arr.v[i], "action")->u.str.s, "SCMP_ACT_ALLOW"))
                                continue;
                        for (size_t k = 0; names && k < names->u.arr.n; k++, checked++)
                                ck_assert_msg(seccomp_syscall_resolve_name_arch(arch, names->u.arr.v[k]->u.str.s) !=
                                                      __NR_SCMP_ERROR,
                                              "%s on %s", names->u.arr.v[k]->u.str.s, archs->u.arr.v[a]->u.str.s);
                }
        }
        ck_assert_uint_gt(checked, 0);
}
END_TEST

/* Validation results are reused within a process (lint): the reuse must
 * never hide a finding. */
START_TEST(test_a_profile_seen_before_gets_the_same_verdict)
{
        _cleanup_policy_ struct policy *p = only_rule("seccomp", NULL);
        const char *clean = ERRNO_PROFILE("{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\"},"
                                          "{\"names\":[\"mount\"],\"action\":\"SCMP_ACT_KILL\"}");
        const char *warns = ERRNO_PROFILE("{\"names\":[\"read\",\"raed\"],\"action\":\"SCMP_ACT_ALLOW\"}");
        const char *invalid = ERRNO_PROFILE("{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\"},"
                                            "{\"names\":[\"mounnt\"],\"action\":\"SCMP_ACT_KILL\"}");
        for (int round = 0; round < 3; round++) {
                const char *const profs[] = {clean, warns, clean, invalid, clean};
                for (size_t i = 0; i < ARRAY_SIZE(profs); i++) {
                        _cleanup_free_ char *json = NULL;
                        ck_assert(asprintf(&json, "{\"linux\":{\"seccomp\":%s}}", profs[i]) > 0);
                        _cleanup_spec_ struct spec *s = parse_spec(json);
                        s->offline = true; /* lint: where results are kept */
                        _cleanup_eval_ struct eval ev = eval_spec(p, s, CHECK_CONFIG);
                        if (profs[i] == clean)
                                ck_assert_msg(ev.n == 0, "round %d, %zu: %s", round, i, ev.findings[0].message);
                        else if (profs[i] == warns)
                                expect(&ev, "seccomp", ACTION_WARN, "/linux/seccomp/syscalls/0/names/1", "raed");
                        else
                                expect(&ev, "spec-invalid", ACTION_DENY, "/linux/seccomp/syscalls/1/names/0", "mounnt");
                }
        }
}
END_TEST

/* Whether any rule of prof lets name run, and whether such a rule has no
 * argument condition. */
static bool profile_allows(const struct jv *prof, const char *name, bool *ret_unconditional)
{
        const struct jv *sc = jv_get(prof, "syscalls");
        bool allowed = false;
        *ret_unconditional = false;
        for (size_t i = 0; i < sc->u.arr.n; i++) {
                const struct jv *r = sc->u.arr.v[i], *names = jv_get(r, "names");
                if (strcmp(jv_get(r, "action")->u.str.s, "SCMP_ACT_ALLOW") != 0)
                        continue;
                for (size_t k = 0; k < names->u.arr.n; k++)
                        if (strcmp(names->u.arr.v[k]->u.str.s, name) == 0) {
                                allowed = true;
                                if (!jv_get(r, "args"))
                                        *ret_unconditional = true;
                        }
        }
        return allowed;
}

START_TEST(test_the_built_in_profile_refuses_what_containers_must_not_do)
{
        static const char *const refused[] = {
                "unshare",
                "mount",
                "umount2",
                "keyctl",
                "add_key",
                "request_key",
                "kexec_load",
                "kexec_file_load",
                "bpf",
                "ptrace",
                "setns",
                "pivot_root",
                "init_module",
                "finit_module",
                "delete_module",
                "swapon",
                "swapoff",
                "reboot",
                "open_by_handle_at",
                "perf_event_open",
                "userfaultfd",
                "io_uring_setup",
                "process_vm_writev",
                "syslog",
                "acct",
                "settimeofday",
                "clock_settime",
                "sethostname",
                "fsopen",
                "move_mount",
                "name_to_handle_at",
                "iopl",
                "ioperm",
                "kcmp",
        };
        _cleanup_jdoc_ struct jdoc *doc = NULL;
        rh_error_t err = RH_ERROR_INIT;
        bool uncond;
        ck_assert_int_eq(jdoc_parse(rh_seccomp_default_json, rh_seccomp_default_json_len, &doc, &err), 0);
        ck_assert_str_eq(jv_get(doc->root, "defaultAction")->u.str.s, "SCMP_ACT_ERRNO");
        for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
                ck_assert_msg(!profile_allows(doc->root, refused[i], &uncond), "%s is allowed", refused[i]);
        /* personality and clone only with safe arguments */
        ck_assert(profile_allows(doc->root, "personality", &uncond) && !uncond);
        ck_assert(profile_allows(doc->root, "clone", &uncond) && !uncond);
        ck_assert(profile_allows(doc->root, "execve", &uncond) && uncond);
        const struct jv *arch = jv_get(doc->root, "architectures");
        ck_assert_uint_ge(arch->u.arr.n, 4);
}
END_TEST

static char profile_dir[64];

static struct policy *seccomp_policy_with_file(const char *file)
{
        char pol[512];
        snprintf(pol, sizeof(pol), "{\"version\":1,\"rules\":{\"seccomp\":{\"params\":{\"profile\":\"%s\"}}}}", file);
        return only_rule("seccomp", pol);
}

START_TEST(test_the_policy_may_name_its_own_profile)
{
        char path[128];
        strcpy(profile_dir, "/tmp/rh-seccomp-XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(profile_dir));
        snprintf(path, sizeof(path), "%s/mine.json", profile_dir);
        write_file(path,
                   "{\"defaultAction\":\"SCMP_ACT_KILL_PROCESS\",\"syscalls\":[{\"names\":[\"read\",\"write\","
                   "\"exit_group\"],\"action\":\"SCMP_ACT_ALLOW\"}]}",
                   0644);
        _cleanup_policy_ struct policy *p = seccomp_policy_with_file(path);
        _cleanup_spec_ struct spec *s = parse_spec("{\"linux\":{}}");
        fix_ok(p, s, CHECK_CONFIG);
        ck_assert_str_eq(jv_get(jv_get(jv_get(s->root, "linux"), "seccomp"), "defaultAction")->u.str.s,
                         "SCMP_ACT_KILL_PROCESS");
        unlink(path);
        rmdir(profile_dir);
}
END_TEST

START_TEST(test_an_unusable_policy_profile_denies)
{
        char path[128];
        strcpy(profile_dir, "/tmp/rh-seccomp-XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(profile_dir));
        snprintf(path, sizeof(path), "%s/bad.json", profile_dir);
        write_file(path, "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_Z80\"]}", 0644);
        _cleanup_policy_ struct policy *p = seccomp_policy_with_file(path);
        _cleanup_eval_ struct eval ev = eval_json(p, "{\"linux\":{}}");
        expect(&ev, "seccomp", ACTION_DENY, "/linux/seccomp", "SCMP_ARCH_Z80");

        write_file(path, "{\"defaultAction\":\"SCMP_ACT_ALLOW\"}", 0644);
        policy_replace(&p, seccomp_policy_with_file(path));
        eval_replace(&ev, eval_json(p, "{\"linux\":{}}"));
        expect(&ev, "seccomp", ACTION_DENY, "/linux/seccomp", "refuses no system call");

        policy_replace(&p, seccomp_policy_with_file("/nonexistent/profile.json"));
        eval_replace(&ev, eval_json(p, "{\"linux\":{}}"));
        expect(&ev, "seccomp", ACTION_DENY, "/linux/seccomp", "cannot open");
        unlink(path);
        rmdir(profile_dir);
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
        tcase_add_test(tc, test_errno_values_are_compared_as_runc_truncates_them);
        tcase_add_test(tc, test_trace_values_are_truncated_like_errno_values);
        tcase_add_test(tc, test_the_audits_judge_truncates_errno_values_too);
        suite_add_tcase(s, tc);

        tc = tcase_create("seccomp-validation");
        tcase_add_test(tc, test_a_missing_profile_gets_the_default_and_a_second_check_is_clean);
        tcase_add_test(tc, test_a_spec_without_linux_gets_one);
        tcase_add_test(tc, test_profiles_that_allow_everything_are_replaced);
        tcase_add_test(tc, test_a_denylist_profile_is_kept);
        tcase_add_test(tc, test_engine_profiles_are_valid_and_kept);
        tcase_add_test(tc, test_a_bad_syscall_name_in_a_refusing_rule_is_spec_invalid);
        tcase_add_test(tc, test_a_bad_syscall_name_in_an_allow_rule_is_a_warning);
        tcase_add_test(tc, test_bad_architectures_are_spec_invalid);
        tcase_add_test(tc, test_bad_actions_are_spec_invalid);
        tcase_add_test(tc, test_bad_operators_and_arguments_are_spec_invalid);
        tcase_add_test(tc, test_the_built_in_profile_is_valid_for_every_architecture);
        tcase_add_test(tc, test_a_profile_seen_before_gets_the_same_verdict);
        tcase_add_test(tc, test_the_built_in_profile_refuses_what_containers_must_not_do);
        tcase_add_test(tc, test_the_policy_may_name_its_own_profile);
        tcase_add_test(tc, test_an_unusable_policy_profile_denies);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(seccomp_suite)
