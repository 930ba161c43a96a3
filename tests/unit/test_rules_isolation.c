/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <fcntl.h>
#include <regex.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rules/process.h"
#include "testutil.h"
#include "util.h"

/* The rest of the isolation family, until their rule files settle:
 * sysctls and hooks (policy/rules/kernel.c), ssh-server, env-secrets and
 * root-user (policy/rules/process.c). Each check runs in its own forked
 * process (Check's default). */

/* isolation's eval_with(): the built-in policy or o.policy, the bundle
 * o.bundle else a directory that does not exist. */
static struct eval eval_iso(const char *spec_json, struct eval_opts o)
{
        if (!o.bundle)
                o.bundle = NO_BUNDLE;
        return eval_with(NULL, spec_json, o);
}

/* === sysctls ============================================================ */

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
        _cleanup_eval_ struct eval ev = eval_sysctl(NS_ALL, "{\"kernel.core_pattern\":\"|/tmp/x\",\"kernel/modprobe\":\"/x\","
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

/* === hooks ============================================================== */

static struct eval eval_hook(const char *policy, const char *kind, const char *path, bool offline)
{
        char json[512];
        snprintf(json, sizeof(json), "{\"hooks\":{\"%s\":[{\"path\":\"%s\",\"args\":[\"x\",\"SECRET=1\"]}]}}", kind,
                 path);
        return eval_iso(json, (struct eval_opts){.policy = policy, .offline = offline});
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

START_TEST(test_docker_corpus_hook_passes_in_lint)
{
        _cleanup_eval_ struct eval ev = eval_corpus("docker/default.json", true);
        expect_none(&ev, "hooks");
}
END_TEST

/* === ssh-server ========================================================= */

static struct eval eval_args(const char *args, spec_kind_t kind)
{
        char json[1024];
        if (kind == SPEC_PROCESS)
                snprintf(json, sizeof(json), "{\"args\":%s,\"cwd\":\"/\"}", args);
        else
                snprintf(json, sizeof(json), "{\"process\":{\"args\":%s,\"cwd\":\"/\"}}", args);
        return eval_iso(json, (struct eval_opts){.kind = kind, .offline = true});
}

START_TEST(test_ssh_daemons_are_denied_however_started)
{
        static const char *const cmds[] = {
                "[\"/usr/sbin/sshd\",\"-D\"]",
                "[\"sshd\"]",
                "[\"dropbear\",\"-F\",\"-E\"]",
                "[\"sh\",\"-c\",\"service ssh start && tail -f /dev/null\"]",
                "[\"/bin/bash\",\"-lc\",\"echo starting; exec /usr/sbin/sshd -D -e 2>&1\"]",
                "[\"env\",\"-i\",\"FOO=1\",\"/usr/sbin/sshd\",\"-D\"]",
                "[\"/usr/bin/env\",\"-S\",\"sshd -D\"]",
                "[\"busybox\",\"sh\",\"-c\",\"(cd /; /usr/sbin/sshd)\"]",
                "[\"tini\",\"--\",\"/usr/sbin/sshd\",\"-D\"]",
                "[\"gosu\",\"root\",\"sshd\"]",
                "[\"timeout\",\"-s\",\"KILL\",\"3600\",\"sshd\"]",
                "[\"/etc/init.d/ssh\",\"start\"]",
                "[\"su\",\"-c\",\"/usr/sbin/dropbear -F\",\"root\"]",
                "[\"sh\",\"-c\",\"FOO=bar nohup sshd & wait\"]",
                "[\"sh\",\"-c\",\"if true; then '/usr/sbin/sshd' -D; fi\"]",
                "[\"sh\",\"-ec\",\"sh -c \\\"sshd -D\\\"\"]",
        };
        for (size_t i = 0; i < ARRAY_SIZE(cmds); i++) {
                _cleanup_eval_ struct eval ev = eval_args(cmds[i], SPEC_CONFIG);
                const struct finding *f = find(&ev, "ssh-server");
                ck_assert_msg(f && f->action == ACTION_DENY, "%s was not denied", cmds[i]);
                ck_assert_str_eq(f->pointer, "/process/args");
        }
}
END_TEST

START_TEST(test_commands_that_only_mention_ssh_pass)
{
        static const char *const cmds[] = {
                "[\"ssh\",\"host\"]",
                "[\"echo\",\"sshd\"]",
                "[\"sh\",\"-c\",\"echo sshd; cat /etc/ssh/sshd_config\"]",
                "[\"sh\",\"/start-sshd.sh\"]",
                "[\"sshd-keygen\"]",
                "[\"grep\",\"-r\",\"dropbear\",\"/etc\"]",
                "[\"sh\",\"-c\",\"ssh-keygen -A > /dev/null\"]",
                "[\"sh\",\"-c\",\"command -v sshd || echo no sshd\"]",
        };
        for (size_t i = 0; i < ARRAY_SIZE(cmds); i++) {
                _cleanup_eval_ struct eval ev = eval_args(cmds[i], SPEC_CONFIG);
                ck_assert_msg(!find(&ev, "ssh-server"), "%s was reported", cmds[i]);
        }
}
END_TEST

START_TEST(test_exec_of_an_ssh_daemon_is_denied)
{
        _cleanup_eval_ struct eval ev = eval_args("[\"/usr/sbin/sshd\",\"-D\"]", SPEC_PROCESS);
        ck_assert_str_eq(expect(&ev, "ssh-server", ACTION_DENY, NULL, NULL)->pointer, "/args");
}
END_TEST

static char rootfs[128];

static void make_rootfs(void)
{
        make_tmpdir();
        snprintf(rootfs, sizeof(rootfs), "%s/bundle/rootfs/usr/sbin", tmpdir);
        mkdir_p(rootfs);
        snprintf(rootfs, sizeof(rootfs), "%s/bundle/rootfs", tmpdir);
}

static struct eval eval_rootfs(const char *root_path, bool offline)
{
        char json[512], bundle[128];
        snprintf(json, sizeof(json), "{\"root\":{\"path\":\"%s\"},\"process\":{\"args\":[\"true\"]}}", root_path);
        snprintf(bundle, sizeof(bundle), "%s/bundle", tmpdir);
        return eval_iso(json, (struct eval_opts){.offline = offline, .bundle = bundle});
}

START_TEST(test_an_sshd_binary_in_the_rootfs_warns)
{
        char p[256];
        make_rootfs();
        snprintf(p, sizeof(p), "%s/usr/sbin/sshd", rootfs);
        write_file(p, "#!/bin/sh\n", 0755);
        /* root.path relative to the bundle, and absolute */
        _cleanup_eval_ struct eval ev = eval_rootfs("rootfs", false);
        const struct finding *f = expect(&ev, "ssh-server", ACTION_WARN, NULL, NULL);
        ck_assert_str_eq(f->pointer, "/root/path");
        eval_replace(&ev, eval_rootfs(rootfs, true));
        expect(&ev, "ssh-server", ACTION_WARN, NULL, NULL);
}
END_TEST

START_TEST(test_a_symlink_in_the_image_never_reaches_a_host_file)
{
        char host[256], link[256], inside[256];
        make_rootfs();
        /* an executable sshd on the host, outside the rootfs */
        snprintf(host, sizeof(host), "%s/host-sshd", tmpdir);
        write_file(host, "#!/bin/sh\n", 0755);
        snprintf(link, sizeof(link), "%s/usr/sbin/sshd", rootfs);
        ck_assert_int_eq(symlink(host, link), 0);
        _cleanup_eval_ struct eval ev = eval_rootfs("rootfs", false);
        expect_none(&ev, "ssh-server");
        /* the same through ".." climbing out of the root */
        unlink(link);
        ck_assert_int_eq(symlink("../../../../../../../../../host-sshd", link), 0);
        eval_replace(&ev, eval_rootfs("rootfs", false));
        expect_none(&ev, "ssh-server");
        /* and the absolute target is resolved inside the rootfs instead */
        snprintf(inside, sizeof(inside), "%s%s", rootfs, tmpdir);
        mkdir_p(inside);
        strcat(inside, "/host-sshd");
        write_file(inside, "#!/bin/sh\n", 0755);
        unlink(link);
        ck_assert_int_eq(symlink(host, link), 0);
        eval_replace(&ev, eval_rootfs("rootfs", false));
        expect(&ev, "ssh-server", ACTION_WARN, NULL, NULL);
}
END_TEST

START_TEST(test_a_missing_rootfs_is_skipped_quietly)
{
        make_tmpdir();
        _cleanup_eval_ struct eval ev = eval_rootfs("no-such-rootfs", true);
        expect_none(&ev, "ssh-server");
        eval_replace(&ev, eval_corpus("docker/default.json", true));
        expect_none(&ev, "ssh-server");
}
END_TEST

START_TEST(test_a_non_executable_or_directory_sshd_is_no_server)
{
        char p[256];
        make_rootfs();
        snprintf(p, sizeof(p), "%s/usr/sbin/sshd", rootfs);
        mkdir_p(p);
        snprintf(p, sizeof(p), "%s/usr/sbin/dropbear", rootfs);
        write_file(p, "", 0644);
        _cleanup_eval_ struct eval ev = eval_rootfs("rootfs", false);
        expect_none(&ev, "ssh-server");
}
END_TEST

/* === env-secrets ======================================================== */

static const char *const secret_values[] = {
        "hunter2-very-secret",
        "AKIAIOSFODNN7EXAMPLE",
        "-----BEGIN RSA PRIVATE KEY-----MIIEpAIBAAKCAQEA",
        "ghp_0123456789abcdefghijABCDEFGHIJ012345",
        "xoxb-123456789012-abcdefghij",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl",
        "postgres://app:s3cr3tpw@db:5432/app",
};

/* No finding may carry a secret, in its message or its pointer. */
static void expect_no_value_leak(const struct eval *ev)
{
        for (size_t i = 0; i < ev->n; i++)
                for (size_t k = 0; k < ARRAY_SIZE(secret_values); k++) {
                        ck_assert_msg(!strstr(ev->findings[i].message, secret_values[k]), "leak: %s",
                                      ev->findings[i].message);
                        ck_assert_msg(!strstr(ev->findings[i].pointer, secret_values[k]), "leak: %s",
                                      ev->findings[i].pointer);
                }
        for (size_t i = 0; i < ev->n; i++)
                ck_assert_ptr_null(strstr(ev->findings[i].message, "s3cr3tpw"));
}

static struct eval eval_env(const char *env, spec_kind_t kind)
{
        char json[2048];
        if (kind == SPEC_PROCESS)
                snprintf(json, sizeof(json), "{\"args\":[\"true\"],\"cwd\":\"/\",\"env\":%s}", env);
        else
                snprintf(json, sizeof(json), "{\"process\":{\"args\":[\"true\"],\"env\":%s}}", env);
        return eval_iso(json, (struct eval_opts){.kind = kind});
}

START_TEST(test_credential_names_warn_and_name_only_the_variable)
{
        struct eval ev = eval_env("[\"PATH=/bin\",\"DB_PASSWORD=hunter2-very-secret\"]", SPEC_CONFIG);
        const struct finding *f = expect(&ev, "env-secrets", ACTION_WARN, NULL, NULL);
        ck_assert_str_eq(f->pointer, "/process/env/1");
        ck_assert_ptr_nonnull(strstr(f->message, "DB_PASSWORD"));
        expect_no_value_leak(&ev);
        ck_assert_uint_eq(count_rule(&ev, "env-secrets"), 1);
        eval_done(&ev);
        static const char *const names[] = {"GITHUB_TOKEN", "api_key",   "AWS_SECRET_ACCESS_KEY", "MYSQL_ROOT_PASSWD",
                                            "BASIC_AUTH",   "SMTP_PASS", "GCP_CREDENTIALS",       "Private_Key"};
        for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
                char env[256];
                snprintf(env, sizeof(env), "[\"%s=hunter2-very-secret\"]", names[i]);
                ev = eval_env(env, SPEC_CONFIG);
                ck_assert_msg(find(&ev, "env-secrets"), "%s was not reported", names[i]);
                expect_no_value_leak(&ev);
                eval_done(&ev);
        }
}
END_TEST

START_TEST(test_credential_values_warn_under_any_name)
{
        for (size_t i = 1; i < ARRAY_SIZE(secret_values); i++) {
                char env[512];
                snprintf(env, sizeof(env), "[\"HOME=/root\",\"SETTING=%s\"]", secret_values[i]);
                _cleanup_eval_ struct eval ev = eval_env(env, SPEC_CONFIG);
                const struct finding *f = find(&ev, "env-secrets");
                ck_assert_msg(f, "value %zu was not reported", i);
                ck_assert_str_eq(f->pointer, "/process/env/1");
                ck_assert_ptr_nonnull(strstr(f->message, "SETTING"));
                expect_no_value_leak(&ev);
        }
}
END_TEST

START_TEST(test_an_entry_without_a_name_is_never_quoted)
{
        _cleanup_eval_ struct eval ev = eval_env("[\"AKIAIOSFODNN7EXAMPLE\",\"AKIAIOSFODNN7EXAMPLE=x\"]", SPEC_CONFIG);
        ck_assert_uint_eq(count_rule(&ev, "env-secrets"), 2);
        ck_assert_ptr_nonnull(strstr(find(&ev, "env-secrets")->message, "index 0"));
        expect_no_value_leak(&ev);
}
END_TEST

START_TEST(test_ordinary_variables_and_secret_files_pass)
{
        struct eval ev =
                eval_env("[\"PATH=/usr/bin\",\"HOSTNAME=abc\",\"GIT_AUTHOR_NAME=me\",\"PASSWORD_FILE=/run/secrets/db\","
                         "\"DB_PASSWORD=\",\"TOKEN_URL=https://auth.example.com/token\",\"TERM=xterm\","
                         "\"AUTHOR=x\",\"PWD=/\"]",
                         SPEC_CONFIG);
        expect_none(&ev, "env-secrets");
        eval_done(&ev);
        static const char *const names[] = {"docker/default.json", "podman/default.json", "docker/hardened.json"};
        for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
                ev = eval_corpus(names[i], true);
                expect_none(&ev, "env-secrets");
                eval_done(&ev);
        }
}
END_TEST

START_TEST(test_exec_processes_are_checked_for_secrets)
{
        _cleanup_eval_ struct eval ev = eval_env("[\"API_TOKEN=hunter2-very-secret\"]", SPEC_PROCESS);
        const struct finding *f = expect(&ev, "env-secrets", ACTION_WARN, NULL, NULL);
        ck_assert_str_eq(f->pointer, "/env/0");
        expect_no_value_leak(&ev);
}
END_TEST

START_TEST(test_secret_patterns_are_parameters)
{
        const char *pol = "{\"version\":1,\"rules\":{\"env-secrets\":{\"params\":{\"names\":[\"*_PIN\"],"
                          "\"values\":[\"^pin-[0-9]+$\"]}}}}";
        _cleanup_policy_ struct policy *p = policy_from(pol);
        _cleanup_spec_ struct spec *s = parse_spec(
                "{\"process\":{\"env\":[\"CARD_PIN=1234\",\"X=pin-99\",\"DB_PASSWORD=hunter2-very-secret\"]}}");
        _cleanup_eval_ struct eval ev = eval_spec(p, s, CHECK_CONFIG);
        /* CARD_PIN by name, X by value; DB_PASSWORD is no longer a name */
        ck_assert_uint_eq(count_rule(&ev, "env-secrets"), 2);
        expect_no_value_leak(&ev);
}
END_TEST

START_TEST(test_a_policy_with_a_broken_secret_pattern_is_refused)
{
        const char *pol = "{\"version\":1,\"rules\":{\"env-secrets\":{\"params\":"
                          "{\"values\":[\"^pin-[0-9]+$\",\"([\"]}}}}";
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        struct policy *p = NULL;
        ck_assert_int_lt(policy_parse(pol, strlen(pol), "test", &p, &err), 0);
        ck_assert_ptr_null(p);
        ck_assert_msg(strstr(rh_error_msg(&err), "env-secrets") && strstr(rh_error_msg(&err), "values") &&
                              strstr(rh_error_msg(&err), "item 1"),
                      "message: %s", rh_error_msg(&err));
}
END_TEST

/* The literal a pattern's matches must contain: each built-in pattern's,
 * and cases where none may be claimed. */
START_TEST(test_secret_patterns_have_the_literals_their_matches_need)
{
        static const struct {
                const char *re, *literal;
        } cases[] = {
                {"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----", "PRIVATE KEY-----"},
                {"(ghp|gho|ghs|ghu|ghr)_[A-Za-z0-9]{36}", "_"},
                {"github_pat_[A-Za-z0-9_]{22,}", "github_pat_"},
                {"xox[abpsr]-[A-Za-z0-9-]{10,}", "xox"},
                {"eyJ[A-Za-z0-9_-]+\\.eyJ[A-Za-z0-9_-]+\\.", ".eyJ"},
                {"sk_live_[A-Za-z0-9]{24,}", "sk_live_"},
                {"[A-Za-z][A-Za-z0-9+.-]*://[^/:@ ]+:[^/@ ]+@", "://"},
                {"(^|[^A-Z0-9])(AKIA|ASIA)[A-Z0-9]{16}([^A-Z0-9]|$)", ""},
                {"abc|defgh", ""},        /* either side alone */
                {"secret?s", "secre"},     /* t is optional */
                {"tok*ens", "ens"},        /* k may be absent */
                {"pa{2}ss", "ss"},         /* an interval takes its atom out */
                {"ab+cd", "ab"},           /* b repeats: cd need not follow ab */
                {"x\\.y", "x.y"},          /* an escaped dot is a dot */
                {"a\\wbc", "bc"},          /* \w is not a letter w */
                {"[]a(|]key", "key"},      /* brackets hold (, | and ] */
                {"(a|b)cde(f|g)", "cde"},
                {"^pin-[0-9]+$", "pin-"},
                {"p.ss", "ss"},
                {"", ""},
        };
        char out[64];
        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                size_t n = env_secrets_required_literal(cases[i].re, out, sizeof(out));
                ck_assert_msg(STREQ(out, cases[i].literal) && n == strlen(cases[i].literal),
                              "%s: got \"%s\", want \"%s\"", cases[i].re, out, cases[i].literal);
        }
}
END_TEST

/* The filter never hides a match: every secret value of the table and
 * each built-in pattern's own examples still match with the literal
 * check in front (and the literal is in each). */
START_TEST(test_every_match_contains_its_pattern_literal)
{
        _cleanup_policy_ struct policy *p = builtin_policy();
        const struct jv *values = NULL;
        for (size_t i = 0; i < rules_count(); i++)
                if (STREQ(rules_get(i)->id, "env-secrets"))
                        values = jv_get(p->conf[i].params, "values");
        ck_assert_ptr_nonnull(values);
        static const char *const samples[] = {
                "AKIAIOSFODNN7EXAMPLE", "x-----BEGIN EC PRIVATE KEY-----",
                "ghs_0123456789abcdefghijABCDEFGHIJ012345", "github_pat_0123456789abcdefghijABCD",
                "xoxp-1234567890", "eyJa.eyJb.", "glpat-0123456789abcdefghij",
                "sk_live_0123456789abcdefghijABCD", "AIza0123456789abcdefghijABCDEFGHIJ01234",
                "npm_0123456789abcdefghijABCDEFGHIJ012345", "https://u:p@h", "postgres://app:s3cr3tpw@db:5432/app",
        };
        char lit[256];
        size_t matched = 0;
        for (size_t k = 0; k < values->u.arr.n; k++) {
                const char *re_s = values->u.arr.v[k]->u.str.s;
                regex_t re;
                ck_assert_int_eq(regcomp(&re, re_s, REG_EXTENDED | REG_NOSUB), 0);
                size_t n = env_secrets_required_literal(re_s, lit, sizeof(lit));
                for (size_t i = 0; i < ARRAY_SIZE(samples); i++)
                        if (regexec(&re, samples[i], 0, NULL, 0) == 0) {
                                matched++;
                                ck_assert_msg(n == 0 || strstr(samples[i], lit), "%s matches %s without \"%s\"",
                                              samples[i], re_s, lit);
                        }
                regfree(&re);
        }
        ck_assert_uint_ge(matched, ARRAY_SIZE(samples));
}
END_TEST

/* === root-user ========================================================== */

START_TEST(test_root_without_a_user_namespace_warns)
{
        _cleanup_eval_ struct eval ev = eval_corpus("docker/default.json", true);
        ck_assert_str_eq(expect(&ev, "root-user", ACTION_WARN, NULL, NULL)->pointer, "/process/user/uid");
        eval_replace(&ev, eval_doc(NULL, "{\"process\":{\"args\":[\"true\"]}}"));
        ck_assert_str_eq(expect(&ev, "root-user", ACTION_WARN, NULL, NULL)->pointer, "/process/user");
        eval_replace(&ev, eval_corpus("docker/user.json", true));
        expect_none(&ev, "root-user");
}
END_TEST

START_TEST(test_root_mapped_by_a_user_namespace_passes)
{
        _cleanup_eval_ struct eval ev =
                eval_doc(NULL, "{\"process\":{\"user\":{\"uid\":0}},\"linux\":{\"namespaces\":[{\"type\":\"user\"}],"
                          "\"uidMappings\":[{\"containerID\":0,\"hostID\":100000,\"size\":65536}]}}");
        expect_none(&ev, "root-user");
        /* an identity mapping of root is the host's root */
        eval_replace(&ev, eval_doc(NULL, "{\"process\":{\"user\":{\"uid\":0}},\"linux\":{\"namespaces\":[{\"type\":\"user\"}],"
                                    "\"uidMappings\":[{\"containerID\":1,\"hostID\":100001,\"size\":10},"
                                    "{\"containerID\":0,\"hostID\":0,\"size\":1}]}}"));
        expect(&ev, "root-user", ACTION_WARN, NULL, NULL);
        /* mappings without a user namespace do nothing */
        eval_replace(&ev, eval_doc(NULL, "{\"process\":{\"user\":{\"uid\":0}},\"linux\":{\"uidMappings\":[{\"containerID\":0,"
                                    "\"hostID\":100000,\"size\":65536}]}}"));
        expect(&ev, "root-user", ACTION_WARN, NULL, NULL);
        /* joining the host's user namespace maps nothing */
        eval_replace(&ev, eval_doc(NULL, "{\"process\":{\"user\":{\"uid\":0}},\"linux\":{\"namespaces\":[{\"type\":\"user\","
                                    "\"path\":\"/proc/self/ns/user\"}]}}"));
        expect(&ev, "root-user", ACTION_WARN, NULL, NULL);
}
END_TEST

START_TEST(test_exec_as_root_warns)
{
        _cleanup_policy_ struct policy *p = builtin_policy();
        _cleanup_spec_ struct spec *s = NULL;
        _cleanup_free_ char *path = corpus_path("docker/exec-plain.process.json");
        size_t len;
        _cleanup_free_ char *buf = read_file(path, &len);
        rh_error_t err = RH_ERROR_INIT;
        ck_assert_int_eq(spec_parse(buf, len, SPEC_PROCESS, &s, &err), 0);
        _cleanup_eval_ struct eval ev = eval_spec(p, s, CHECK_EXEC);
        ck_assert_str_eq(expect(&ev, "root-user", ACTION_WARN, NULL, NULL)->pointer, "/user/uid");
}
END_TEST

static Suite *rules_isolation_suite(void)
{
        Suite *s = suite_create("rules-isolation");
        TCase *tc;

        tc = tcase_create("sysctls");
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
        tcase_add_test(tc, test_docker_corpus_hook_passes_in_lint);
        suite_add_tcase(s, tc);

        tc = tcase_create("ssh-server");
        tcase_add_checked_fixture(tc, NULL, remove_tmpdir);
        tcase_add_test(tc, test_ssh_daemons_are_denied_however_started);
        tcase_add_test(tc, test_commands_that_only_mention_ssh_pass);
        tcase_add_test(tc, test_exec_of_an_ssh_daemon_is_denied);
        tcase_add_test(tc, test_an_sshd_binary_in_the_rootfs_warns);
        tcase_add_test(tc, test_a_symlink_in_the_image_never_reaches_a_host_file);
        tcase_add_test(tc, test_a_missing_rootfs_is_skipped_quietly);
        tcase_add_test(tc, test_a_non_executable_or_directory_sshd_is_no_server);
        suite_add_tcase(s, tc);

        tc = tcase_create("env-secrets");
        tcase_add_checked_fixture(tc, NULL, remove_tmpdir);
        tcase_add_test(tc, test_credential_names_warn_and_name_only_the_variable);
        tcase_add_test(tc, test_credential_values_warn_under_any_name);
        tcase_add_test(tc, test_an_entry_without_a_name_is_never_quoted);
        tcase_add_test(tc, test_ordinary_variables_and_secret_files_pass);
        tcase_add_test(tc, test_exec_processes_are_checked_for_secrets);
        tcase_add_test(tc, test_secret_patterns_are_parameters);
        tcase_add_test(tc, test_a_policy_with_a_broken_secret_pattern_is_refused);
        tcase_add_test(tc, test_secret_patterns_have_the_literals_their_matches_need);
        tcase_add_test(tc, test_every_match_contains_its_pattern_literal);
        suite_add_tcase(s, tc);

        tc = tcase_create("root-user");
        tcase_add_checked_fixture(tc, NULL, remove_tmpdir);
        tcase_add_test(tc, test_root_without_a_user_namespace_warns);
        tcase_add_test(tc, test_root_mapped_by_a_user_namespace_passes);
        tcase_add_test(tc, test_exec_as_root_warns);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(rules_isolation_suite)
