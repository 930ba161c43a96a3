/* SPDX-License-Identifier: GPL-2.0-or-later */
/* env-secrets (policy/rules/env_secrets.c): credentials in the
 * environment, by name or by value, never echoed; the patterns' literals
 * that let most values skip the regular expressions. */
#include <regex.h>

#include "rules/env_secrets.h"
#include "testutil.h"
#include "util.h"

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
        return eval_with(NULL, json, (struct eval_opts){.kind = kind, .bundle = NO_BUNDLE});
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
                {"abc|defgh", ""},     /* either side alone */
                {"secret?s", "secre"}, /* t is optional */
                {"tok*ens", "ens"},    /* k may be absent */
                {"pa{2}ss", "ss"},     /* an interval takes its atom out */
                {"ab+cd", "ab"},       /* b repeats: cd need not follow ab */
                {"x\\.y", "x.y"},      /* an escaped dot is a dot */
                {"a\\wbc", "bc"},      /* \w is not a letter w */
                {"[]a(|]key", "key"},  /* brackets hold (, | and ] */
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
                "AKIAIOSFODNN7EXAMPLE",
                "x-----BEGIN EC PRIVATE KEY-----",
                "ghs_0123456789abcdefghijABCDEFGHIJ012345",
                "github_pat_0123456789abcdefghijABCD",
                "xoxp-1234567890",
                "eyJa.eyJb.",
                "glpat-0123456789abcdefghij",
                "sk_live_0123456789abcdefghijABCD",
                "AIza0123456789abcdefghijABCDEFGHIJ01234",
                "npm_0123456789abcdefghijABCDEFGHIJ012345",
                "https://u:p@h",
                "postgres://app:s3cr3tpw@db:5432/app",
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

static Suite *rules_env_secrets_suite(void)
{
        Suite *s = suite_create("rules-env-secrets");
        TCase *tc;

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
        return s;
}

RUN_SUITE(rules_env_secrets_suite)
