/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <sys/resource.h>

#include "resources_testutil.h"
#include "util.h"

/* nofile-limit, nproc-limit and exec-rlimits (policy/rules/rlimits.c):
 * exec processes get the container's limits, and no limit is asked of
 * runc that it cannot set; the defaults they fix a config and a process
 * file to. test_rules_resources.c has the rest of the family. */

static uint64_t ceiling_value = UINT64_MAX;

/* Stands in for a host where runc's own hard limits are ceiling_value
 * and it lacks CAP_SYS_RESOURCE. */
static uint64_t fake_ceiling(int resource)
{
        (void)resource;
        return ceiling_value;
}

static void ceiling_setup(void)
{
        ceiling_value = UINT64_MAX;
        rlimit_ceiling_set(fake_ceiling);
}

static void ceiling_teardown(void)
{
        rlimit_ceiling_set(NULL);
}

static struct policy *rlimit_policy(void)
{
        static const char *const ids[] = {"nofile-limit", "nproc-limit", "exec-rlimits", NULL};
        return policy_only(ids);
}

/* Fixes s (an exec process when container is given) and returns it as
 * compact JSON; the fix must leave nothing to fix and be stable. */
static char *fixed(struct spec *s, const struct spec *container, struct eval *ret_ev)
{
        _cleanup_policy_ struct policy *p = rlimit_policy();
        _cleanup_eval_ struct eval again = {0};
        check_kind_t kind = container ? CHECK_EXEC : CHECK_CONFIG;
        rh_error_t err = RH_ERROR_INIT;
        char *out = NULL;

        s->container = container;
        evaluate(p, s, kind, ret_ev);
        ck_assert_msg(engine_apply_fixes(p, s, kind, ret_ev, &err) == 0, "%s", rh_error_msg(&err));
        evaluate(p, s, kind, &again);
        ck_assert_msg(eval_count(&again, ACTION_FIX) + eval_count(&again, ACTION_DENY) == 0, "%s",
                      again.n ? again.findings[0].message : "");
        ck_assert_int_eq(spec_serialize(s, false, &out, NULL, &err), 0);
        return out;
}

static const char container_json[] =
        "{\"process\":{\"args\":[\"sh\"],\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"hard\":2000,\"soft\":1000},"
        "{\"type\":\"RLIMIT_CORE\",\"hard\":0,\"soft\":0},{\"type\":\"RLIMIT_NPROC\",\"hard\":300,\"soft\":300}]}}";

START_TEST(test_a_docker_exec_process_gets_the_containers_limits)
{
        _cleanup_spec_ struct spec *c = parse_spec(container_json);
        _cleanup_free_ char *path = corpus_path("docker/exec-plain.process.json");
        _cleanup_free_ char *buf = read_file(path, NULL);
        _cleanup_spec_ struct spec *s = parse_spec_kind(buf, SPEC_PROCESS);
        _cleanup_eval_ struct eval ev = {0};
        _cleanup_free_ char *out = fixed(s, c, &ev);

        const struct finding *f = find(&ev, "nofile-limit");
        ck_assert_ptr_nonnull(f);
        ck_assert_int_eq(f->action, ACTION_FIX);
        ck_assert_str_eq(f->pointer, "/rlimits");
        ck_assert_msg(strstr(f->message, "runc sets no limit an exec process file does not list"), "%s", f->message);
        ck_assert_msg(strstr(f->message, "it gets the container's, 1000:2000"), "%s", f->message);
        ck_assert_ptr_nonnull(find(&ev, "nproc-limit"));
        f = find(&ev, "exec-rlimits");
        ck_assert_ptr_nonnull(f);
        ck_assert_msg(strstr(f->message, "lacks RLIMIT_CORE, which the container has"), "%s", f->message);
        ck_assert_msg(strstr(out, "\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"hard\":2000,\"soft\":1000},"
                                  "{\"type\":\"RLIMIT_NPROC\",\"hard\":300,\"soft\":300},"
                                  "{\"type\":\"RLIMIT_CORE\",\"hard\":0,\"soft\":0}]"),
                      "%s", out);
}
END_TEST

START_TEST(test_an_exec_process_keeps_the_limits_it_lists)
{
        _cleanup_spec_ struct spec *c = parse_spec(container_json);
        _cleanup_spec_ struct spec *s =
                parse_spec_kind("{\"args\":[\"sh\"],\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"hard\":50,\"soft\":50},"
                                "{\"type\":\"RLIMIT_CORE\",\"hard\":7,\"soft\":7}]}",
                                SPEC_PROCESS);
        _cleanup_eval_ struct eval ev = {0};
        _cleanup_free_ char *out = fixed(s, c, &ev);
        ck_assert_ptr_null(find(&ev, "nofile-limit"));
        ck_assert_ptr_null(find(&ev, "exec-rlimits"));
        ck_assert_str_eq(out, "{\"args\":[\"sh\"],\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"hard\":50,\"soft\":50},"
                              "{\"type\":\"RLIMIT_CORE\",\"hard\":7,\"soft\":7},"
                              "{\"type\":\"RLIMIT_NPROC\",\"hard\":300,\"soft\":300}]}");
}
END_TEST

START_TEST(test_an_exec_process_of_a_container_without_limits_gets_the_defaults)
{
        _cleanup_spec_ struct spec *c = parse_spec("{\"process\":{\"args\":[\"sh\"]}}");
        _cleanup_spec_ struct spec *s = parse_spec_kind("{\"args\":[\"sh\"]}", SPEC_PROCESS);
        _cleanup_eval_ struct eval ev = {0};
        _cleanup_free_ char *out = fixed(s, c, &ev);
        ck_assert_ptr_null(find(&ev, "exec-rlimits"));
        ck_assert_msg(
                strstr(find(&ev, "nofile-limit")->message, "the policy's nofile-limit.soft and .hard, 1024:65536"),
                "%s", find(&ev, "nofile-limit")->message);
        ck_assert_str_eq(out,
                         "{\"args\":[\"sh\"],\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"hard\":65536,\"soft\":1024},"
                         "{\"type\":\"RLIMIT_NPROC\",\"hard\":512,\"soft\":512}]}");
}
END_TEST

START_TEST(test_a_limit_runc_cannot_set_is_lowered_to_what_it_can)
{
        /* podman asks for 1048576 open files and processes by default */
        ceiling_value = 20000;
        _cleanup_spec_ struct spec *s =
                parse_spec("{\"process\":{\"args\":[\"sh\"],\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"hard\":1048576,"
                           "\"soft\":1048576},{\"type\":\"RLIMIT_NPROC\",\"hard\":1048576,\"soft\":100}]}}");
        _cleanup_eval_ struct eval ev = {0};
        _cleanup_free_ char *out = fixed(s, NULL, &ev);
        const struct finding *f = find(&ev, "nofile-limit");
        ck_assert_ptr_nonnull(f);
        ck_assert_int_eq(f->action, ACTION_FIX);
        ck_assert_msg(strstr(f->message, "more than runc can set here (its own hard limit is 20000 and it lacks "
                                         "CAP_SYS_RESOURCE)"),
                      "%s", f->message);
        ck_assert_msg(strstr(out, "{\"type\":\"RLIMIT_NOFILE\",\"hard\":20000,\"soft\":20000},"
                                  "{\"type\":\"RLIMIT_NPROC\",\"hard\":20000,\"soft\":100}"),
                      "%s", out);
}
END_TEST

START_TEST(test_the_default_is_never_above_what_runc_can_set)
{
        ceiling_value = 20000;
        _cleanup_spec_ struct spec *s = parse_spec("{\"process\":{\"args\":[\"sh\"]}}");
        _cleanup_eval_ struct eval ev = {0};
        _cleanup_free_ char *out = fixed(s, NULL, &ev);
        ck_assert_msg(strstr(find(&ev, "nofile-limit")->message, "1024:20000 (the policy's nofile-limit.soft and "
                                                                 ".hard, the hard one lowered to what runc can set"),
                      "%s", find(&ev, "nofile-limit")->message);
        ck_assert_msg(strstr(out, "{\"type\":\"RLIMIT_NOFILE\",\"hard\":20000,\"soft\":1024}"), "%s", out);
}
END_TEST

START_TEST(test_lint_does_not_judge_the_host_it_runs_on)
{
        ceiling_value = 20000;
        _cleanup_spec_ struct spec *s =
                parse_spec("{\"process\":{\"args\":[\"sh\"],\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"hard\":1048576,"
                           "\"soft\":1048576},{\"type\":\"RLIMIT_NPROC\",\"hard\":100,\"soft\":100}]}}");
        s->offline = true;
        _cleanup_policy_ struct policy *p = rlimit_policy();
        _cleanup_eval_ struct eval ev = eval_spec(p, s, CHECK_CONFIG);
        ck_assert_uint_eq(ev.n, 0);
}
END_TEST

START_TEST(test_the_real_ceiling_is_the_hosts_hard_limit_without_cap_sys_resource)
{
        rlimit_ceiling_set(NULL);
        struct rlimit rl;
        ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
        uint64_t c = rlimit_ceiling_real(RLIMIT_NOFILE);
        /* either this process may raise limits (any), or its own hard limit */
        ck_assert(c == UINT64_MAX || c == rl.rlim_max);
}
END_TEST

START_TEST(test_a_config_has_no_exec_rlimits_finding)
{
        _cleanup_spec_ struct spec *s = parse_spec(container_json);
        _cleanup_policy_ struct policy *p = rlimit_policy();
        _cleanup_eval_ struct eval ev = eval_spec(p, s, CHECK_CONFIG);
        ck_assert_uint_eq(ev.n, 0);
}
END_TEST

/* --- nofile-limit, nproc-limit --------------------------------------------- */

START_TEST(test_missing_rlimits_get_the_defaults)
{
        _cleanup_eval_ struct eval ev = check_config("{" PROC "}");
        expect(&ev, "nofile-limit", ACTION_FIX, "/process/rlimits", "RLIMIT_NOFILE");
        expect(&ev, "nproc-limit", ACTION_FIX, "/process/rlimits", "RLIMIT_NPROC");
        char *doc = fixed_config(NULL, "{" PROC "}");
        expect_in(doc, "\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"hard\":65536,\"soft\":1024},"
                       "{\"type\":\"RLIMIT_NPROC\",\"hard\":512,\"soft\":512}]");
        free(doc);
        doc = fixed_config(NULL, "{\"process\":{\"args\":[\"sh\"],\"rlimits\":[{\"type\":\"RLIMIT_CORE\","
                                 "\"hard\":0,\"soft\":0}]}}");
        expect_in(doc, "\"rlimits\":[{\"type\":\"RLIMIT_CORE\",\"hard\":0,\"soft\":0},{\"type\":\"RLIMIT_NOFILE\"");
        free(doc);
}
END_TEST

START_TEST(test_nofile_above_the_maximum_is_denied_and_at_it_passes)
{
        static const struct {
                const char *limits;
                bool denied;
        } cases[] = {
                {"\"soft\":1048576,\"hard\":1048576", false},
                {"\"soft\":1024,\"hard\":1048577", true},
                {"\"soft\":1024,\"hard\":18446744073709551615", true},
        };
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                char json[512];
                snprintf(json, sizeof(json),
                         "{\"process\":{\"args\":[\"sh\"],\"rlimits\":[{\"type\":\"RLIMIT_NPROC\",\"soft\":1,"
                         "\"hard\":1},{\"type\":\"RLIMIT_NOFILE\",%s}]}}",
                         cases[i].limits);
                _cleanup_eval_ struct eval ev = check_config(json);
                if (cases[i].denied)
                        expect(&ev, "nofile-limit", ACTION_DENY, "/process/rlimits/1", "maximum of 1048576");
                else
                        expect_none(&ev, "nofile-limit");
                expect_none(&ev, "nproc-limit");
        }
}
END_TEST

START_TEST(test_nproc_maximum_is_a_parameter)
{
        const char *pol = "{\"version\":1,\"rules\":{\"nproc-limit\":{\"params\":{\"max\":4096,\"soft\":100,"
                          "\"hard\":200}}}}";
        _cleanup_eval_ struct eval ev =
                check_with(pol,
                           "{\"process\":{\"args\":[\"sh\"],\"rlimits\":[{\"type\":\"RLIMIT_NPROC\","
                           "\"soft\":4096,\"hard\":4097}]}}",
                           SPEC_CONFIG);
        expect(&ev, "nproc-limit", ACTION_DENY, "/process/rlimits/0", "RLIMIT_NPROC up to 4097");
        _cleanup_free_ char *doc = fixed_config(pol, "{" PROC "}");
        expect_in(doc, "{\"type\":\"RLIMIT_NPROC\",\"hard\":200,\"soft\":100}");
}
END_TEST

START_TEST(test_a_malformed_rlimit_is_reported_once)
{
        _cleanup_eval_ struct eval ev =
                check_config("{\"process\":{\"args\":[\"sh\"],\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\","
                             "\"soft\":1024,\"hard\":\"4096\"}]}}");
        ck_assert_uint_eq(count_rule(&ev, "spec-invalid"), 1);
        expect(&ev, "spec-invalid", ACTION_DENY, "/process/rlimits/0/hard", NULL);
        eval_replace(&ev, check_config("{\"process\":{\"args\":[\"sh\"],\"rlimits\":[{\"soft\":1,\"hard\":1}]}}"));
        ck_assert_uint_eq(count_rule(&ev, "spec-invalid"), 1);
        expect(&ev, "spec-invalid", ACTION_DENY, "/process/rlimits/0/type", NULL);
}
END_TEST

/* --- exec process files ------------------------------------------------------ */

/* runc gives a process file only the rlimits it lists; with no container
 * to take them from (test_rules_rlimits.c has one), the defaults. */
START_TEST(test_an_exec_process_without_rlimits_is_given_them)
{
        _cleanup_policy_ struct policy *p = builtin_policy();
        _cleanup_free_ char *path = corpus_path("docker/exec-plain.process.json");
        _cleanup_free_ char *buf = read_file(path, NULL);
        _cleanup_eval_ struct eval ev = check_kind(p, buf, SPEC_PROCESS);
        expect(&ev, "nofile-limit", ACTION_FIX, "/rlimits", "RLIMIT_NOFILE");
        expect(&ev, "nproc-limit", ACTION_FIX, "/rlimits", "RLIMIT_NPROC");
        expect_none(&ev, "memory-limit");
        expect_none(&ev, "cpu-quota");
        expect_none(&ev, "cpu-priority");
        expect_none(&ev, "pids-limit");
}
END_TEST

START_TEST(test_an_exec_process_with_some_rlimits_gets_the_missing_ones)
{
        const char *json = "{\"args\":[\"sh\"],\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"soft\":10,\"hard\":10}]}";
        _cleanup_eval_ struct eval ev = check_exec(json);
        expect_none(&ev, "nofile-limit");
        expect(&ev, "nproc-limit", ACTION_FIX, "/rlimits", "RLIMIT_NPROC");
        expect_none(&ev, "memory-limit");
        expect_none(&ev, "pids-limit");
        expect_none(&ev, "cpu-priority");
        _cleanup_policy_ struct policy *p = builtin_policy();
        _cleanup_spec_ struct spec *s = parse_spec_kind(json, SPEC_PROCESS);
        _cleanup_free_ char *doc = fix_spec(p, s, CHECK_EXEC);
        expect_in(doc, "\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"soft\":10,\"hard\":10},"
                       "{\"type\":\"RLIMIT_NPROC\",\"hard\":512,\"soft\":512}]");
}
END_TEST

/* docker run --ulimit nproc=-1 writes RLIM_INFINITY: asked for, but no
 * limit; without a policy maximum it passed unseen. It gets the policy's,
 * online (runc could set it) and in lint alike; a soft limit under the
 * new hard one is kept. */
START_TEST(test_an_unlimited_entry_is_no_limit)
{
        static const char *const specs[] = {
                "{\"process\":{\"args\":[\"sh\"],\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"hard\":4096,\"soft\":1024},"
                "{\"type\":\"RLIMIT_NPROC\",\"hard\":18446744073709551615,\"soft\":18446744073709551615}]}}",
                "{\"process\":{\"args\":[\"sh\"],\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"hard\":4096,\"soft\":1024},"
                "{\"type\":\"RLIMIT_NPROC\",\"hard\":18446744073709551615,\"soft\":100}]}}",
        };
        static const char *const want[] = {"{\"type\":\"RLIMIT_NPROC\",\"hard\":512,\"soft\":512}",
                                           "{\"type\":\"RLIMIT_NPROC\",\"hard\":512,\"soft\":100}"};
        for (size_t i = 0; i < 2; i++) {
                _cleanup_spec_ struct spec *s = parse_spec(specs[i]);
                _cleanup_eval_ struct eval ev = {0};
                _cleanup_free_ char *out = fixed(s, NULL, &ev);
                const struct finding *f = find(&ev, "nproc-limit");
                ck_assert_ptr_nonnull(f);
                ck_assert_int_eq(f->action, ACTION_FIX);
                ck_assert_str_eq(f->pointer, "/process/rlimits/1");
                ck_assert_msg(strstr(f->message, "sets RLIMIT_NPROC to unlimited (18446744073709551615), which is no "
                                                 "limit at all; it becomes 512:512"),
                              "%s", f->message);
                ck_assert_msg(strstr(out, want[i]), "%s", out);
        }
}
END_TEST

static Suite *make_suite(void)
{
        Suite *s = suite_create("rules-rlimits");
        TCase *tc = tcase_create("exec");
        tcase_add_checked_fixture(tc, ceiling_setup, ceiling_teardown);
        tcase_add_test(tc, test_a_docker_exec_process_gets_the_containers_limits);
        tcase_add_test(tc, test_an_exec_process_keeps_the_limits_it_lists);
        tcase_add_test(tc, test_an_exec_process_of_a_container_without_limits_gets_the_defaults);
        tcase_add_test(tc, test_a_config_has_no_exec_rlimits_finding);
        suite_add_tcase(s, tc);
        tc = tcase_create("ceiling");
        tcase_add_checked_fixture(tc, ceiling_setup, ceiling_teardown);
        tcase_add_test(tc, test_a_limit_runc_cannot_set_is_lowered_to_what_it_can);
        tcase_add_test(tc, test_the_default_is_never_above_what_runc_can_set);
        tcase_add_test(tc, test_lint_does_not_judge_the_host_it_runs_on);
        tcase_add_test(tc, test_the_real_ceiling_is_the_hosts_hard_limit_without_cap_sys_resource);
        tcase_add_test(tc, test_an_unlimited_entry_is_no_limit);
        suite_add_tcase(s, tc);
        tc = tcase_create("defaults");
        tcase_add_checked_fixture(tc, ceiling_setup, ceiling_teardown);
        tcase_add_test(tc, test_missing_rlimits_get_the_defaults);
        tcase_add_test(tc, test_nofile_above_the_maximum_is_denied_and_at_it_passes);
        tcase_add_test(tc, test_nproc_maximum_is_a_parameter);
        tcase_add_test(tc, test_a_malformed_rlimit_is_reported_once);
        tcase_add_test(tc, test_an_exec_process_without_rlimits_is_given_them);
        tcase_add_test(tc, test_an_exec_process_with_some_rlimits_gets_the_missing_ones);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(make_suite)
