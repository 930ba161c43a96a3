/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>
#include <errno.h>
#include <regex.h>
#include <seccomp.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "lsm_host.h"
#include "testutil.h"
#include "util.h"

#if HAVE_SELINUX
#include <selinux/selinux.h>
#endif

extern const char rh_seccomp_default_json[];
extern const size_t rh_seccomp_default_json_len;

/* --- helpers ----------------------------------------------------------- */

static void set_action(struct policy *p, const char *id, rh_action_t a)
{
        size_t i;
        ck_assert_ptr_nonnull(rules_find(id, &i));
        p->conf[i].action = a;
}

/* The built-in policy with only rule (and spec-invalid) on. */
static struct policy *only(const char *rule)
{
        const char *const ids[] = {rule, NULL};
        return policy_only(ids);
}

/* The built-in policy changed by a policy document, with only rule on. */
static struct policy *only_from(const char *rule, const char *json)
{
        struct policy *p = policy_from(json);
        for (size_t i = 0; i < rules_count(); i++)
                if (strcmp(rules_get(i)->id, rule) != 0 && strcmp(rules_get(i)->id, "spec-invalid") != 0)
                        p->conf[i].action = ACTION_OFF;
        return p;
}

static struct eval eval_spec(struct policy *p, struct spec *s, check_kind_t kind)
{
        struct eval ev = {0};
        evaluate(p, s, kind, &ev);
        return ev;
}

static struct eval eval_json(struct policy *p, const char *json)
{
        _cleanup_spec_ struct spec *s = parse_spec(json);
        struct eval ev = eval_spec(p, s, CHECK_CONFIG);
        return ev;
}

static struct spec *corpus_process(const char *name)
{
        _cleanup_free_ char *path = corpus_path(name);
        size_t len;
        _cleanup_free_ char *buf = read_file(path, &len);
        rh_error_t err = RH_ERROR_INIT;
        struct spec *s = NULL;
        ck_assert_msg(spec_parse(buf, len, SPEC_PROCESS, &s, &err) == 0, "%s: %s", path, rh_error_msg(&err));
        return s;
}

/* Evaluates, applies the fixes and expects them to converge. */
static void fix_ok(struct policy *p, struct spec *s, check_kind_t kind)
{
        _cleanup_eval_ struct eval ev = eval_spec(p, s, kind);
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        ck_assert_int_eq(eval_verdict(&ev), VERDICT_FIX);
        ck_assert_msg(engine_apply_fixes(p, s, kind, &ev, &err) == 0, "fix failed: %s", rh_error_msg(&err));
}

static void expect_finding(const struct eval *ev, const char *rule, rh_action_t action, const char *pointer,
                           const char *text)
{
        const struct finding *f = find(ev, rule);
        ck_assert_msg(f != NULL, "no %s finding", rule);
        ck_assert_msg(f->action == action, "%s: action %s, expected %s (%s)", rule, action_name(f->action),
                      action_name(action), f->message);
        if (pointer)
                ck_assert_str_eq(f->pointer, pointer);
        if (text)
                ck_assert_msg(strstr(f->message, text), "%s: \"%s\" lacks \"%s\"", rule, f->message, text);
}

#if HAVE_APPARMOR || HAVE_SELINUX
static const char *str_at(const struct spec *s, const char *a, const char *b)
{
        const char *v = NULL;
        struct jv *x = jv_get(jv_get(s->root, a), b);
        return x && jv_cstr(x, &v) ? v : NULL;
}
#endif

/* ===================================================================== */
/* capabilities                                                          */
/* ===================================================================== */

static struct eval caps_check(struct policy *p, const char *set, const char *list)
{
        char json[1024];
        snprintf(json, sizeof(json), "{\"process\":{\"capabilities\":{\"%s\":[%s]}}}", set, list);
        return eval_json(p, json);
}

START_TEST(test_docker_and_podman_default_capabilities_are_allowed)
{
        _cleanup_policy_ struct policy *p = only("capabilities");
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
        _cleanup_policy_ struct policy *p = only("capabilities");
        for (size_t i = 0; i < sizeof(spellings) / sizeof(spellings[0]); i++) {
                char list[128];
                snprintf(list, sizeof(list), "\"CAP_CHOWN\",\"%s\"", spellings[i]);
                _cleanup_eval_ struct eval ev = caps_check(p, "bounding", list);
                expect_finding(&ev, "capabilities", ACTION_DENY, "/process/capabilities/bounding", "CAP_SYS_ADMIN");
                ck_assert_ptr_null(find(&ev, "spec-invalid"));
        }
}
END_TEST

START_TEST(test_each_of_the_five_sets_is_checked)
{
        static const char *const sets[] = {"bounding", "effective", "permitted", "inheritable", "ambient"};
        _cleanup_policy_ struct policy *p = only("capabilities");
        for (size_t i = 0; i < 5; i++) {
                char ptr[64];
                snprintf(ptr, sizeof(ptr), "/process/capabilities/%s", sets[i]);
                _cleanup_eval_ struct eval ev = caps_check(p, sets[i], "\"CAP_NET_ADMIN\"");
                expect_finding(&ev, "capabilities", ACTION_DENY, ptr, "CAP_NET_ADMIN");
                eval_replace(&ev, caps_check(p, sets[i], "\"CAP_NET_BIND_SERVICE\",\"kill\""));
                ck_assert_msg(ev.n == 0, "%s: allowed capabilities were reported", sets[i]);
        }
}
END_TEST

START_TEST(test_unknown_capability_names_are_spec_invalid)
{
        static const char *const bad[] = {"\"CAP_BOGUS\"",      "\"\"",        "\"CAP_\"", "21",
                                          "\" CAP_SYS_ADMIN\"", "\"CAP_ALL\"", "null"};
        _cleanup_policy_ struct policy *p = only("capabilities");
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                char list[64];
                snprintf(list, sizeof(list), "\"CAP_CHOWN\",%s", bad[i]);
                _cleanup_eval_ struct eval ev = caps_check(p, "effective", list);
                expect_finding(&ev, "spec-invalid", ACTION_DENY, "/process/capabilities/effective/1", NULL);
                ck_assert_ptr_null(find(&ev, "capabilities"));
        }
        _cleanup_eval_ struct eval ev = eval_json(p, "{\"process\":{\"capabilities\":{\"ambient\":\"CAP_CHOWN\"}}}");
        expect_finding(&ev, "spec-invalid", ACTION_DENY, "/process/capabilities/ambient", NULL);
}
END_TEST

START_TEST(test_a_privileged_container_is_refused_in_plain_words)
{
        _cleanup_policy_ struct policy *p = only("capabilities");
        set_action(p, "capabilities", ACTION_FIX); /* even when the policy fixes */
        _cleanup_spec_ struct spec *s = corpus_spec("docker/privileged.json");
        _cleanup_eval_ struct eval ev = eval_spec(p, s, CHECK_CONFIG);
        expect_finding(&ev, "capabilities", ACTION_DENY, "/process/capabilities/bounding",
                       "privileged containers are refused");
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
        _cleanup_policy_ struct policy *p = only("capabilities");
        _cleanup_eval_ struct eval ev = caps_check(p, "permitted", list);
        expect_finding(&ev, "capabilities", ACTION_DENY, "/process/capabilities/permitted", "privileged");
}
END_TEST

START_TEST(test_privileged_exec_is_refused_and_plain_exec_is_allowed)
{
        _cleanup_policy_ struct policy *p = only("capabilities");
        _cleanup_spec_ struct spec *s = corpus_process("docker/exec-privileged.process.json");
        _cleanup_eval_ struct eval ev = eval_spec(p, s, CHECK_EXEC);
        expect_finding(&ev, "capabilities", ACTION_DENY, "/capabilities/bounding", "privileged");

        spec_replace(&s, corpus_process("docker/exec-plain.process.json"));
        eval_replace(&ev, eval_spec(p, s, CHECK_EXEC));
        ck_assert_uint_eq(ev.n, 0);
}
END_TEST

START_TEST(test_an_exec_adding_sys_admin_is_denied)
{
        _cleanup_policy_ struct policy *p = only("capabilities");
        _cleanup_spec_ struct spec *s = parse_spec_kind("{\"args\":[\"sh\"],\"cwd\":\"/\",\"capabilities\":{\"effective\":"
                                         "[\"CAP_KILL\",\"CAP_SYS_ADMIN\"]}}",
                                         SPEC_PROCESS);
        _cleanup_eval_ struct eval ev = eval_spec(p, s, CHECK_EXEC);
        expect_finding(&ev, "capabilities", ACTION_DENY, "/capabilities/effective", "CAP_SYS_ADMIN");
}
END_TEST

START_TEST(test_the_fix_drops_extra_capabilities_and_keeps_the_rest)
{
        _cleanup_policy_ struct policy *p = only("capabilities");
        set_action(p, "capabilities", ACTION_FIX);
        _cleanup_spec_ struct spec *s = parse_spec("{\"process\":{\"capabilities\":{"
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
        _cleanup_policy_ struct policy *p = only("capabilities");
        set_action(p, "capabilities", ACTION_FIX);
        _cleanup_spec_ struct spec *s = parse_spec_kind("{\"args\":[\"sh\"],\"cwd\":\"/\",\"capabilities\":{\"bounding\":"
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
        _cleanup_policy_ struct policy *p = only_from("capabilities", "{\"version\":1,\"rules\":{\"capabilities\":{\"params\":"
                                                     "{\"allowed\":[\"sys_admin\",\"CAP_KILL\",\"CAP_NOPE\"]}}}}");
        _cleanup_eval_ struct eval ev = caps_check(p, "bounding", "\"CAP_SYS_ADMIN\",\"CAP_KILL\"");
        ck_assert_uint_eq(count_rule(&ev, "capabilities"), 1);
        expect_finding(&ev, "capabilities", ACTION_WARN, NULL, "CAP_NOPE");
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
        _cleanup_policy_ struct policy *p = only("capabilities");
        _cleanup_eval_ struct eval ev = eval_json(p, "{\"process\":{\"args\":[\"sh\"]}}");
        ck_assert_uint_eq(ev.n, 0);
}
END_TEST

/* ===================================================================== */
/* seccomp                                                               */
/* ===================================================================== */

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
        _cleanup_policy_ struct policy *p = only("seccomp");
        _cleanup_eval_ struct eval ev = seccomp_check(p, profile);
        expect_finding(&ev, "spec-invalid", ACTION_DENY, pointer, text);
        ck_assert_ptr_null(find(&ev, "seccomp"));
}

START_TEST(test_a_missing_profile_gets_the_default_and_a_second_check_is_clean)
{
        _cleanup_policy_ struct policy *p = only("seccomp");
        _cleanup_spec_ struct spec *s = parse_spec("{\"process\":{\"args\":[\"sh\"]},\"linux\":{\"namespaces\":[]}}");
        _cleanup_eval_ struct eval ev = eval_spec(p, s, CHECK_CONFIG);
        expect_finding(&ev, "seccomp", ACTION_FIX, "/linux/seccomp", "no seccomp profile");
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
        _cleanup_policy_ struct policy *p = only("seccomp");
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
        _cleanup_policy_ struct policy *p = only("seccomp");
        for (size_t i = 0; i < sizeof(weak) / sizeof(weak[0]); i++) {
                _cleanup_eval_ struct eval ev = seccomp_check(p, weak[i]);
                expect_finding(&ev, "seccomp", ACTION_FIX, "/linux/seccomp/defaultAction", "allows every");
        }
        /* runc installs no filter for an empty profile */
        _cleanup_eval_ struct eval ev = seccomp_check(p, "{}");
        expect_finding(&ev, "seccomp", ACTION_FIX, "/linux/seccomp", "installs no filter");
}
END_TEST

/* A denylist is kept when it refuses the rule's "refuse" list; one that
 * refuses only mount and unshare leaves bpf, kexec_load, ... open and
 * counts as no profile (test_rules_seccomp.c has the cases). */
START_TEST(test_a_denylist_profile_is_kept)
{
        _cleanup_policy_ struct policy *p = only("seccomp");
        _cleanup_eval_ struct eval ev = seccomp_check(p, "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":"
                                          "[\"mount\",\"unshare\",\"bpf\",\"delete_module\",\"finit_module\","
                                          "\"init_module\",\"ioperm\",\"iopl\",\"kexec_file_load\",\"kexec_load\","
                                          "\"open_by_handle_at\",\"perf_event_open\",\"userfaultfd\"],"
                                          "\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":1}]}");
        ck_assert_uint_eq(ev.n, 0);
        eval_replace(&ev, seccomp_check(p, "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":"
                                           "[\"mount\",\"unshare\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":1}]}"));
        expect_finding(&ev, "seccomp", ACTION_FIX, "/linux/seccomp", "leaves open bpf (defaultAction)");
}
END_TEST

START_TEST(test_engine_profiles_are_valid_and_kept)
{
        _cleanup_policy_ struct policy *p = only("seccomp");
        static const char *const files[] = {"docker/default.json", "podman/default.json"};
        for (size_t i = 0; i < 2; i++) {
                _cleanup_spec_ struct spec *s = corpus_spec(files[i]);
                _cleanup_eval_ struct eval ev = eval_spec(p, s, CHECK_CONFIG);
                ck_assert_msg(ev.n == 0, "%s: %s", files[i], ev.n ? ev.findings[0].message : "");
        }
        /* --privileged: no profile at all */
        _cleanup_spec_ struct spec *s = corpus_spec("docker/privileged.json");
        _cleanup_eval_ struct eval ev = eval_spec(p, s, CHECK_CONFIG);
        expect_finding(&ev, "seccomp", ACTION_FIX, "/linux/seccomp", NULL);
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
        _cleanup_policy_ struct policy *p = only("seccomp");
        _cleanup_eval_ struct eval ev = seccomp_check(p, ERRNO_PROFILE("{\"names\":[\"read\",\"raed\"],\"action\":"
                                                        "\"SCMP_ACT_ALLOW\"}"));
        expect_finding(&ev, "seccomp", ACTION_WARN, "/linux/seccomp/syscalls/0/names/1", "raed");
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
        _cleanup_policy_ struct policy *p = only("seccomp");
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
                                              "%s on %s", names->u.arr.v[k]->u.str.s,
                                              archs->u.arr.v[a]->u.str.s);
                }
        }
        ck_assert_uint_gt(checked, 0);
}
END_TEST

/* Validation results are reused within a process (lint): the reuse must
 * never hide a finding. */
START_TEST(test_a_profile_seen_before_gets_the_same_verdict)
{
        _cleanup_policy_ struct policy *p = only("seccomp");
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
                                expect_finding(&ev, "seccomp", ACTION_WARN, "/linux/seccomp/syscalls/0/names/1", "raed");
                        else
                                expect_finding(&ev, "spec-invalid", ACTION_DENY, "/linux/seccomp/syscalls/1/names/0",
                                               "mounnt");
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

static void write_text(const char *path, const char *text)
{
        FILE *f = fopen(path, "w");
        ck_assert_ptr_nonnull(f);
        fputs(text, f);
        fclose(f);
}

static struct policy *seccomp_policy_with_file(const char *file)
{
        char pol[512];
        snprintf(pol, sizeof(pol), "{\"version\":1,\"rules\":{\"seccomp\":{\"params\":{\"profile\":\"%s\"}}}}", file);
        return only_from("seccomp", pol);
}

START_TEST(test_the_policy_may_name_its_own_profile)
{
        char path[128];
        strcpy(profile_dir, "/tmp/rh-seccomp-XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(profile_dir));
        snprintf(path, sizeof(path), "%s/mine.json", profile_dir);
        write_text(path, "{\"defaultAction\":\"SCMP_ACT_KILL_PROCESS\",\"syscalls\":[{\"names\":[\"read\",\"write\","
                         "\"exit_group\"],\"action\":\"SCMP_ACT_ALLOW\"}]}");
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
        write_text(path, "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_Z80\"]}");
        _cleanup_policy_ struct policy *p = seccomp_policy_with_file(path);
        _cleanup_eval_ struct eval ev = eval_json(p, "{\"linux\":{}}");
        expect_finding(&ev, "seccomp", ACTION_DENY, "/linux/seccomp", "SCMP_ARCH_Z80");

        write_text(path, "{\"defaultAction\":\"SCMP_ACT_ALLOW\"}");
        policy_replace(&p, seccomp_policy_with_file(path));
        eval_replace(&ev, eval_json(p, "{\"linux\":{}}"));
        expect_finding(&ev, "seccomp", ACTION_DENY, "/linux/seccomp", "refuses no system call");

        policy_replace(&p, seccomp_policy_with_file("/nonexistent/profile.json"));
        eval_replace(&ev, eval_json(p, "{\"linux\":{}}"));
        expect_finding(&ev, "seccomp", ACTION_DENY, "/linux/seccomp", "cannot open");
        unlink(path);
        rmdir(profile_dir);
}
END_TEST

/* ===================================================================== */
/* the LSM seam                                                          */
/* ===================================================================== */

static bool fake_aa_on, fake_se_on;
static int fake_loaded_err;

static bool fake_apparmor_enabled(void)
{
        return fake_aa_on;
}
static int fake_apparmor_profile_loaded(const char *name)
{
        if (fake_loaded_err)
                return fake_loaded_err;
        return strcmp(name, "runc-harden-default") == 0 || strcmp(name, "docker-default") == 0;
}
static bool fake_selinux_enabled(void)
{
        return fake_se_on;
}

static const struct lsm_host fake_host = {
        .apparmor_enabled = fake_apparmor_enabled,
        .apparmor_profile_loaded = fake_apparmor_profile_loaded,
        .selinux_enabled = fake_selinux_enabled,
};

#if HAVE_APPARMOR || HAVE_SELINUX
static void host_with(bool apparmor, bool selinux)
{
        fake_aa_on = apparmor;
        fake_se_on = selinux;
        fake_loaded_err = 0;
        lsm_host_set(&fake_host);
}

static void host_restore(void)
{
        lsm_host_set(NULL);
}
#endif

START_TEST(test_the_seam_defaults_to_the_real_host)
{
        ck_assert_ptr_eq(lsm_host(), &lsm_host_real);
        ck_assert_ptr_eq(lsm_host_set(&fake_host), &lsm_host_real);
        ck_assert_ptr_eq(lsm_host(), &fake_host);
        ck_assert_ptr_eq(lsm_host_set(NULL), &fake_host);
        ck_assert_ptr_eq(lsm_host(), &lsm_host_real);
        /* Whatever this host has, the real calls answer consistently. */
        if (!lsm_host_real.apparmor_enabled())
                ck_assert_int_le(lsm_host_real.apparmor_profile_loaded("runc-harden-default"), 0);
}
END_TEST

#if HAVE_APPARMOR
/* ===================================================================== */
/* apparmor                                                              */
/* ===================================================================== */

#define AA_SPEC(profile) "{\"process\":{\"args\":[\"sh\"]" profile "}}"

START_TEST(test_apparmor_unset_or_unconfined_is_fixed_to_the_default_profile)
{
        static const char *const specs[] = {AA_SPEC(""), AA_SPEC(",\"apparmorProfile\":\"unconfined\""),
                                            AA_SPEC(",\"apparmorProfile\":\"\"")};
        host_with(true, false);
        _cleanup_policy_ struct policy *p = only("apparmor");
        for (size_t i = 0; i < 3; i++) {
                _cleanup_spec_ struct spec *s = parse_spec(specs[i]);
                _cleanup_eval_ struct eval ev = eval_spec(p, s, CHECK_CONFIG);
                expect_finding(&ev, "apparmor", ACTION_FIX, "/process/apparmorProfile", "unconfined");
                fix_ok(p, s, CHECK_CONFIG);
                ck_assert_str_eq(str_at(s, "process", "apparmorProfile"), "runc-harden-default");
                eval_replace(&ev, eval_spec(p, s, CHECK_CONFIG));
                ck_assert_uint_eq(ev.n, 0);
        }
        host_restore();
}
END_TEST

START_TEST(test_apparmor_a_loaded_profile_is_kept)
{
        host_with(true, false);
        _cleanup_policy_ struct policy *p = only("apparmor");
        _cleanup_eval_ struct eval ev = eval_json(p, AA_SPEC(",\"apparmorProfile\":\"docker-default\""));
        ck_assert_uint_eq(ev.n, 0);
        host_restore();
}
END_TEST

START_TEST(test_apparmor_a_profile_that_is_not_loaded_is_denied)
{
        host_with(true, false);
        _cleanup_policy_ struct policy *p = only("apparmor");
        _cleanup_eval_ struct eval ev = eval_json(p, AA_SPEC(",\"apparmorProfile\":\"my-profile\""));
        expect_finding(&ev, "apparmor", ACTION_DENY, "/process/apparmorProfile", "not loaded");
        /* lint runs away from the host that will run the container */
        _cleanup_spec_ struct spec *s = parse_spec(AA_SPEC(",\"apparmorProfile\":\"my-profile\""));
        s->offline = true;
        eval_replace(&ev, eval_spec(p, s, CHECK_CONFIG));
        expect_finding(&ev, "apparmor", ACTION_WARN, "/process/apparmorProfile", "not loaded");
        /* the loaded profiles cannot be read: fail closed */
        fake_loaded_err = -EACCES;
        eval_replace(&ev, eval_json(p, AA_SPEC(",\"apparmorProfile\":\"docker-default\"")));
        expect_finding(&ev, "apparmor", ACTION_DENY, "/process/apparmorProfile", "cannot tell");
        host_restore();
}
END_TEST

START_TEST(test_apparmor_the_policy_profile_must_be_loaded_to_fix)
{
        host_with(true, false);
        _cleanup_policy_ struct policy *p = only_from("apparmor", "{\"version\":1,\"rules\":{\"apparmor\":{\"params\":"
                                                 "{\"profile\":\"not-there\"}}}}");
        _cleanup_eval_ struct eval ev = eval_json(p, AA_SPEC(""));
        expect_finding(&ev, "apparmor", ACTION_DENY, "/process/apparmorProfile", "apparmor_parser -r");
        host_restore();
}
END_TEST

START_TEST(test_apparmor_without_apparmor_on_the_host_warns)
{
        host_with(false, false);
        _cleanup_policy_ struct policy *p = only("apparmor");
        _cleanup_eval_ struct eval ev = eval_json(p, AA_SPEC(""));
        expect_finding(&ev, "apparmor", ACTION_WARN, "/process/apparmorProfile", "cannot enforce AppArmor");
        ck_assert_int_eq(eval_verdict(&ev), VERDICT_ALLOW);
        eval_replace(&ev, eval_json(p, AA_SPEC(",\"apparmorProfile\":\"docker-default\"")));
        expect_finding(&ev, "apparmor", ACTION_WARN, "/process/apparmorProfile", "not enabled on this host");
        /* an SELinux host confines containers with labels instead */
        host_with(false, true);
        eval_replace(&ev, eval_json(p, AA_SPEC("")));
        ck_assert_uint_eq(ev.n, 0);
        host_restore();
}
END_TEST

START_TEST(test_apparmor_in_exec_processes)
{
        host_with(true, false);
        _cleanup_policy_ struct policy *p = only("apparmor");
        /* no profile: the exec runs under the container's */
        _cleanup_spec_ struct spec *s = corpus_process("docker/exec-plain.process.json");
        _cleanup_eval_ struct eval ev = eval_spec(p, s, CHECK_EXEC);
        ck_assert_uint_eq(ev.n, 0);
        spec_replace(&s, parse_spec_kind("{\"args\":[\"sh\"],\"cwd\":\"/\",\"apparmorProfile\":\"unconfined\"}", SPEC_PROCESS));
        eval_replace(&ev, eval_spec(p, s, CHECK_EXEC));
        expect_finding(&ev, "apparmor", ACTION_FIX, "/apparmorProfile", NULL);
        fix_ok(p, s, CHECK_EXEC);
        ck_assert_str_eq(str_at(s, "process", "apparmorProfile"), "runc-harden-default");
        spec_replace(&s, parse_spec_kind("{\"args\":[\"sh\"],\"cwd\":\"/\",\"apparmorProfile\":\"gone\"}", SPEC_PROCESS));
        eval_replace(&ev, eval_spec(p, s, CHECK_EXEC));
        expect_finding(&ev, "apparmor", ACTION_DENY, "/apparmorProfile", "not loaded");
        host_restore();
}
END_TEST

START_TEST(test_apparmor_profile_of_the_wrong_type_is_spec_invalid)
{
        host_with(true, false);
        _cleanup_policy_ struct policy *p = only("apparmor");
        _cleanup_eval_ struct eval ev = eval_json(p, AA_SPEC(",\"apparmorProfile\":7"));
        expect_finding(&ev, "spec-invalid", ACTION_DENY, "/process/apparmorProfile", NULL);
        host_restore();
}
END_TEST

#endif

#if HAVE_SELINUX
/* ===================================================================== */
/* selinux                                                               */
/* ===================================================================== */

static char se_root[64];

/* A policy root whose container contexts file says what Fedora's does;
 * libselinux finds it through selinux_set_policy_root(). */
static void use_policy_root(bool with_contexts)
{
        char path[160];
        strcpy(se_root, "/tmp/rh-selinux-XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(se_root));
        snprintf(path, sizeof(path), "%s/targeted", se_root);
        ck_assert_int_eq(mkdir(path, 0755), 0);
        snprintf(path, sizeof(path), "%s/targeted/contexts", se_root);
        ck_assert_int_eq(mkdir(path, 0755), 0);
        if (with_contexts) {
                snprintf(path, sizeof(path), "%s/targeted/contexts/lxc_contexts", se_root);
                write_text(path, "# container contexts\n"
                                 "process = \"system_u:system_r:container_t:s0\"\n"
                                 "content = \"system_u:object_r:virt_var_lib_t:s0\"\n"
                                 "file = \"system_u:object_r:container_file_t:s0\"\n"
                                 "ro_file=\"system_u:object_r:container_ro_file_t:s0\"\n");
        }
        snprintf(path, sizeof(path), "%s/targeted", se_root);
        ck_assert_int_eq(selinux_set_policy_root(path), 0);
}

static void policy_root_remove(void)
{
        char cmd[128];
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", se_root);
        ck_assert_int_eq(system(cmd), 0);
}

/* security_check_context() is the real one: on a host without selinuxfs
 * it cannot validate anything, and the rule fails closed. */
static bool host_has_selinuxfs(void)
{
        return access("/sys/fs/selinux/context", F_OK) == 0;
}

#define SE_SPEC(label) "{\"process\":{\"args\":[\"sh\"]" label "}}"

START_TEST(test_selinux_an_unlabelled_container_gets_a_container_label_with_fresh_categories)
{
        regex_t re;
        regmatch_t m[3];
        char first[64] = "";
        bool differs = false;

        if (host_has_selinuxfs())
                return;
        ck_assert_int_eq(regcomp(&re, "^system_u:system_r:container_t:s0:c([0-9]+),c([0-9]+)$", REG_EXTENDED), 0);
        host_with(false, true);
        use_policy_root(true);
        _cleanup_policy_ struct policy *p = only("selinux");
        for (int i = 0; i < 4; i++) {
                _cleanup_spec_ struct spec *s = parse_spec(SE_SPEC(""));
                _cleanup_eval_ struct eval ev = eval_spec(p, s, CHECK_CONFIG);
                expect_finding(&ev, "selinux", ACTION_FIX, "/process/selinuxLabel", "is not set");
                _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
                /* The labels are set; checking them again needs the
                 * kernel, which this host cannot ask: the fixed spec is
                 * denied (fail closed). */
                ck_assert_int_lt(engine_apply_fixes(p, s, CHECK_CONFIG, &ev, &err), 0);
                ck_assert_msg(strstr(rh_error_msg(&err), "selinuxfs"), "%s", rh_error_msg(&err));
                const char *label = str_at(s, "process", "selinuxLabel"), *mount = str_at(s, "linux", "mountLabel");
                ck_assert_ptr_nonnull(label);
                ck_assert_ptr_nonnull(mount);
                ck_assert_msg(regexec(&re, label, 3, m, 0) == 0, "label %s", label);
                int c1 = atoi(label + m[1].rm_so), c2 = atoi(label + m[2].rm_so);
                ck_assert(c1 < c2 && c2 < 1024);
                ck_assert_str_eq(strchr(label, ':') + strlen(":system_r:container_t"),
                                 strchr(mount, ':') + strlen(":object_r:container_file_t"));
                ck_assert(strncmp(mount, "system_u:object_r:container_file_t:s0:c", 39) == 0);
                if (!*first)
                        snprintf(first, sizeof(first), "%s", label);
                else if (strcmp(first, label) != 0)
                        differs = true;
        }
        ck_assert_msg(differs, "four containers got the same categories %s", first);
        regfree(&re);
        policy_root_remove();
        host_restore();
}
END_TEST

START_TEST(test_selinux_an_existing_mount_label_gives_its_categories)
{
        if (host_has_selinuxfs())
                return;
        host_with(false, true);
        use_policy_root(true);
        _cleanup_policy_ struct policy *p = only("selinux");
        _cleanup_spec_ struct spec *s = parse_spec("{\"process\":{\"args\":[\"sh\"]},\"linux\":{\"mountLabel\":"
                                    "\"system_u:object_r:container_file_t:s0:c7,c300\"}}");
        _cleanup_eval_ struct eval ev = eval_spec(p, s, CHECK_CONFIG);
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        (void)engine_apply_fixes(p, s, CHECK_CONFIG, &ev, &err);
        ck_assert_str_eq(str_at(s, "process", "selinuxLabel"), "system_u:system_r:container_t:s0:c7,c300");
        ck_assert_str_eq(str_at(s, "linux", "mountLabel"), "system_u:object_r:container_file_t:s0:c7,c300");
        policy_root_remove();
        host_restore();
}
END_TEST

START_TEST(test_selinux_without_a_contexts_file_cannot_fix_and_denies)
{
        host_with(false, true);
        use_policy_root(false);
        _cleanup_policy_ struct policy *p = only("selinux");
        _cleanup_eval_ struct eval ev = eval_json(p, SE_SPEC(""));
        expect_finding(&ev, "selinux", ACTION_DENY, "/process/selinuxLabel", "lxc_contexts");
        policy_root_remove();
        host_restore();
}
END_TEST

START_TEST(test_selinux_unconfined_types_are_denied)
{
        static const char *const labels[] = {
                SE_SPEC(",\"selinuxLabel\":\"system_u:system_r:spc_t:s0\""),
                SE_SPEC(",\"selinuxLabel\":\"unconfined_u:unconfined_r:unconfined_t:s0-s0:c0.c1023\""),
        };
        host_with(false, true);
        _cleanup_policy_ struct policy *p = only("selinux");
        for (size_t i = 0; i < 2; i++) {
                _cleanup_eval_ struct eval ev = eval_json(p, labels[i]);
                expect_finding(&ev, "selinux", ACTION_DENY, "/process/selinuxLabel", "does not confine");
        }
        /* the list is a parameter */
        policy_replace(&p, only_from("selinux", "{\"version\":1,\"rules\":{\"selinux\":{\"params\":{\"forbidden-types\":"
                                                "[\"container_t\"]}}}}"));
        _cleanup_eval_ struct eval ev = eval_json(p, SE_SPEC(",\"selinuxLabel\":\"system_u:system_r:container_t:s0:c1,c2\""));
        expect_finding(&ev, "selinux", ACTION_DENY, "/process/selinuxLabel", "container_t");
        host_restore();
}
END_TEST

START_TEST(test_selinux_invalid_contexts_are_denied)
{
        host_with(false, true);
        _cleanup_policy_ struct policy *p = only("selinux");
        _cleanup_eval_ struct eval ev = eval_json(p, SE_SPEC(",\"selinuxLabel\":\"container_t\""));
        expect_finding(&ev, "selinux", ACTION_DENY, "/process/selinuxLabel", "not an SELinux context");
        eval_replace(&ev, eval_json(p, "{\"process\":{\"selinuxLabel\":\"system_u:system_r:container_t:s0:c1,c2\"},"
                                       "\"linux\":{\"mountLabel\":\"bogus\"}}"));
        expect_finding(&ev, "selinux", ACTION_DENY, NULL, NULL);
        bool mount_reported = false;
        for (size_t i = 0; i < ev.n; i++)
                if (strcmp(ev.findings[i].pointer, "/linux/mountLabel") == 0)
                        mount_reported = true;
        ck_assert(mount_reported);
        host_restore();
}
END_TEST

START_TEST(test_selinux_a_label_the_kernel_cannot_check_is_denied_here)
{
        if (host_has_selinuxfs())
                return;
        host_with(false, true);
        _cleanup_policy_ struct policy *p = only("selinux");
        _cleanup_spec_ struct spec *s = parse_spec(SE_SPEC(",\"selinuxLabel\":\"system_u:system_r:container_t:s0:c1,c2\""));
        _cleanup_eval_ struct eval ev = eval_spec(p, s, CHECK_CONFIG);
        expect_finding(&ev, "selinux", ACTION_DENY, "/process/selinuxLabel", "selinuxfs");
        s->offline = true; /* lint: only a warning */
        eval_replace(&ev, eval_spec(p, s, CHECK_CONFIG));
        expect_finding(&ev, "selinux", ACTION_WARN, "/process/selinuxLabel", "cannot be validated");
        host_restore();
}
END_TEST

START_TEST(test_selinux_without_selinux_on_the_host_warns)
{
        host_with(false, false);
        _cleanup_policy_ struct policy *p = only("selinux");
        _cleanup_eval_ struct eval ev = eval_json(p, SE_SPEC(""));
        expect_finding(&ev, "selinux", ACTION_WARN, "/process/selinuxLabel", "cannot enforce SELinux");
        eval_replace(&ev, eval_json(p, SE_SPEC(",\"selinuxLabel\":\"system_u:system_r:container_t:s0:c1,c2\"")));
        expect_finding(&ev, "selinux", ACTION_WARN, "/process/selinuxLabel", "not enabled on this host");
        /* an AppArmor host confines containers with profiles instead */
        host_with(true, false);
        eval_replace(&ev, eval_json(p, SE_SPEC("")));
        ck_assert_uint_eq(ev.n, 0);
        host_restore();
}
END_TEST

START_TEST(test_selinux_in_exec_processes)
{
        host_with(false, true);
        _cleanup_policy_ struct policy *p = only("selinux");
        _cleanup_spec_ struct spec *s = corpus_process("docker/exec-plain.process.json");
        _cleanup_eval_ struct eval ev = eval_spec(p, s, CHECK_EXEC);
        ck_assert_uint_eq(ev.n, 0); /* inherits the container's label */
        spec_replace(&s, parse_spec_kind("{\"args\":[\"sh\"],\"cwd\":\"/\",\"selinuxLabel\":\"system_u:system_r:spc_t:s0\"}",
                                         SPEC_PROCESS));
        eval_replace(&ev, eval_spec(p, s, CHECK_EXEC));
        expect_finding(&ev, "selinux", ACTION_DENY, "/selinuxLabel", "spc_t");
        host_restore();
}
END_TEST

#endif

#if !HAVE_APPARMOR
START_TEST(test_apparmor_a_build_without_libapparmor_warns)
{
        _cleanup_policy_ struct policy *p = only("apparmor");
        _cleanup_eval_ struct eval ev = eval_json(p, "{\"process\":{\"args\":[\"sh\"]}}");
        expect_finding(&ev, "apparmor", ACTION_WARN, "/process/apparmorProfile", "without AppArmor support");
}
END_TEST
#endif

#if !HAVE_SELINUX
START_TEST(test_selinux_a_build_without_libselinux_warns)
{
        _cleanup_policy_ struct policy *p = only("selinux");
        _cleanup_eval_ struct eval ev = eval_json(p, "{\"process\":{\"args\":[\"sh\"]}}");
        expect_finding(&ev, "selinux", ACTION_WARN, "/process/selinuxLabel", "without SELinux support");
}
END_TEST
#endif

/* ===================================================================== */
/* together                                                              */
/* ===================================================================== */

START_TEST(test_the_built_in_policy_fixes_a_runc_spec_on_this_host)
{
        /* The whole built-in policy on the real host: the confinement
         * rules add a seccomp profile; the LSM rules only warn or fix,
         * never deny, whatever this host has. */
        _cleanup_policy_ struct policy *p = builtin_policy();
        _cleanup_spec_ struct spec *s = parse_spec("{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\","
                                    "\"capabilities\":{\"bounding\":[\"CAP_KILL\"]}},\"root\":{\"path\":\"rootfs\"},"
                                    "\"linux\":{}}");
        _cleanup_eval_ struct eval ev = eval_spec(p, s, CHECK_CONFIG);
        expect_finding(&ev, "seccomp", ACTION_FIX, "/linux/seccomp", NULL);
        ck_assert_ptr_null(find(&ev, "capabilities"));
        for (size_t i = 0; i < ev.n; i++)
                if (strcmp(ev.findings[i].rule, "apparmor") == 0 || strcmp(ev.findings[i].rule, "selinux") == 0)
                        ck_assert_int_ne(ev.findings[i].action, ACTION_DENY);
}
END_TEST

static Suite *make_suite(void)
{
        Suite *s = suite_create("rules-confinement");
        TCase *tc = tcase_create("capabilities");
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

        tc = tcase_create("seccomp");
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

        tc = tcase_create("lsm");
        tcase_add_test(tc, test_the_seam_defaults_to_the_real_host);
#if HAVE_APPARMOR
        tcase_add_test(tc, test_apparmor_unset_or_unconfined_is_fixed_to_the_default_profile);
        tcase_add_test(tc, test_apparmor_a_loaded_profile_is_kept);
        tcase_add_test(tc, test_apparmor_a_profile_that_is_not_loaded_is_denied);
        tcase_add_test(tc, test_apparmor_the_policy_profile_must_be_loaded_to_fix);
        tcase_add_test(tc, test_apparmor_without_apparmor_on_the_host_warns);
        tcase_add_test(tc, test_apparmor_in_exec_processes);
        tcase_add_test(tc, test_apparmor_profile_of_the_wrong_type_is_spec_invalid);
#else
        tcase_add_test(tc, test_apparmor_a_build_without_libapparmor_warns);
#endif
#if HAVE_SELINUX
        tcase_add_test(tc, test_selinux_an_unlabelled_container_gets_a_container_label_with_fresh_categories);
        tcase_add_test(tc, test_selinux_an_existing_mount_label_gives_its_categories);
        tcase_add_test(tc, test_selinux_without_a_contexts_file_cannot_fix_and_denies);
        tcase_add_test(tc, test_selinux_unconfined_types_are_denied);
        tcase_add_test(tc, test_selinux_invalid_contexts_are_denied);
        tcase_add_test(tc, test_selinux_a_label_the_kernel_cannot_check_is_denied_here);
        tcase_add_test(tc, test_selinux_without_selinux_on_the_host_warns);
        tcase_add_test(tc, test_selinux_in_exec_processes);
#else
        tcase_add_test(tc, test_selinux_a_build_without_libselinux_warns);
#endif
        suite_add_tcase(s, tc);

        tc = tcase_create("together");
        tcase_add_test(tc, test_the_built_in_policy_fixes_a_runc_spec_on_this_host);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(make_suite)
