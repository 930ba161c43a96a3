/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>

#include "resources_testutil.h"

/* The resource rules of policy/rules/resources.c: memory-limit,
 * cpu-quota, cpu-priority, pids-limit; on config, update and the
 * engines' specs (test_rules_rlimits.c has nofile-limit and nproc-limit,
 * test_update_flags.c update's flags). */

/* --- memory-limit ------------------------------------------------------------ */

START_TEST(test_a_config_without_a_memory_limit_gets_one_gib_and_no_swap)
{
        _cleanup_eval_ struct eval ev = check_config("{" PROC "}");
        expect(&ev, "memory-limit", ACTION_FIX, "/linux/resources/memory/limit", "1073741824 bytes");
        _cleanup_free_ char *doc = fixed_config(NULL, "{" PROC "}");
        expect_in(doc, "\"memory\":{\"limit\":1073741824,\"swap\":1073741824}");
}
END_TEST

START_TEST(test_zero_and_negative_memory_limits_are_unlimited_and_fixed)
{
        static const char *const spellings[] = {"0", "-1", "-9223372036854775808", "null"};
        for (size_t i = 0; i < sizeof(spellings) / sizeof(spellings[0]); i++) {
                char json[256];
                snprintf(json, sizeof(json), "{" PROC ",\"linux\":{\"resources\":{\"memory\":{\"limit\":%s}}}}",
                         spellings[i]);
                _cleanup_eval_ struct eval ev = check_config(json);
                expect(&ev, "memory-limit", ACTION_FIX, "/linux/resources/memory/limit", NULL);
                _cleanup_free_ char *doc = fixed_config(NULL, json);
                expect_in(doc, "\"limit\":1073741824");
        }
}
END_TEST

START_TEST(test_a_memory_limit_with_finite_swap_passes)
{
        _cleanup_eval_ struct eval ev = check_config("{" PROC ",\"linux\":{\"resources\":{\"memory\":"
                                                     "{\"limit\":268435456,\"swap\":536870912}}}}");
        expect_none(&ev, "memory-limit");
}
END_TEST

START_TEST(test_unlimited_swap_next_to_a_memory_limit_becomes_the_limit)
{
        const char *json = "{" PROC ",\"linux\":{\"resources\":{\"memory\":{\"limit\":268435456,\"swap\":-1}}}}";
        _cleanup_eval_ struct eval ev = check_config(json);
        expect(&ev, "memory-limit", ACTION_FIX, "/linux/resources/memory/swap", "unlimited swap");
        ck_assert_uint_eq(count_rule(&ev, "memory-limit"), 1);
        _cleanup_free_ char *doc = fixed_config(NULL, json);
        expect_in(doc, "{\"limit\":268435456,\"swap\":268435456}");

        json = "{" PROC ",\"linux\":{\"resources\":{\"memory\":{\"limit\":268435456}}}}";
        eval_replace(&ev, check_config(json));
        expect(&ev, "memory-limit", ACTION_FIX, "/linux/resources/memory/swap", "is not set");
}
END_TEST

START_TEST(test_swap_below_a_limit_the_fix_chose_is_raised_to_it)
{
        _cleanup_free_ char *doc =
                fixed_config(NULL, "{" PROC ",\"linux\":{\"resources\":{\"memory\":{\"swap\":1048576}}}}");
        expect_in(doc, "{\"swap\":1073741824,\"limit\":1073741824}");
}
END_TEST

START_TEST(test_swap_is_left_alone_when_the_policy_does_not_limit_it)
{
        const char *pol = "{\"version\":1,\"rules\":{\"memory-limit\":{\"params\":{\"limit-swap\":false}}}}";
        _cleanup_eval_ struct eval ev = check_with(pol,
                                                   "{" PROC ",\"linux\":{\"resources\":{\"memory\":{\"limit\":1000000,"
                                                   "\"swap\":-1}}}}",
                                                   SPEC_CONFIG);
        expect_none(&ev, "memory-limit");
        _cleanup_free_ char *doc = fixed_config(pol, "{" PROC "}");
        expect_in(doc, "\"memory\":{\"limit\":1073741824}");
}
END_TEST

START_TEST(test_a_memory_limit_above_the_maximum_is_denied_and_at_it_passes)
{
        const char *pol = "{\"version\":1,\"rules\":{\"memory-limit\":{\"params\":{\"max\":536870912}}}}";
        _cleanup_eval_ struct eval ev =
                check_with(pol,
                           "{" PROC ",\"linux\":{\"resources\":{\"memory\":{\"limit\":536870912,"
                           "\"swap\":536870912}}}}",
                           SPEC_CONFIG);
        expect_none(&ev, "memory-limit");
        eval_replace(&ev, check_with(pol,
                                     "{" PROC ",\"linux\":{\"resources\":{\"memory\":{\"limit\":536870913,"
                                     "\"swap\":536870913}}}}",
                                     SPEC_CONFIG));
        expect(&ev, "memory-limit", ACTION_DENY, "/linux/resources/memory/limit", "maximum of 536870912");
        /* the default never goes past the maximum */
        _cleanup_free_ char *doc = fixed_config(pol, "{" PROC "}");
        expect_in(doc, "{\"limit\":536870912,\"swap\":536870912}");
}
END_TEST

START_TEST(test_a_memory_limit_of_the_wrong_type_is_spec_invalid)
{
        _cleanup_eval_ struct eval ev =
                check_config("{" PROC ",\"linux\":{\"resources\":{\"memory\":{\"limit\":\"1g\"}}}}");
        expect(&ev, "spec-invalid", ACTION_DENY, "/linux/resources/memory/limit", NULL);
        expect_none(&ev, "memory-limit");
        eval_replace(&ev, check_config("{" PROC ",\"linux\":{\"resources\":{\"memory\":{\"limit\":1.5e9}}}}"));
        expect(&ev, "spec-invalid", ACTION_DENY, "/linux/resources/memory/limit", NULL);
}
END_TEST

START_TEST(test_unified_cgroup_files_cannot_undo_the_limits)
{
        _cleanup_eval_ struct eval ev =
                check_config("{" PROC ",\"linux\":{\"resources\":{\"memory\":{\"limit\":1000000,"
                             "\"swap\":1000000},\"pids\":{\"limit\":10},\"cpu\":{\"quota\":1000,"
                             "\"shares\":1024},\"unified\":{\"memory.max\":\"max\",\"pids.max\":\"max\","
                             "\"cpu.max\":\"max 100000\",\"cpu.weight\":\"10000\",\"io.weight\":\"10\"}}}}");
        expect(&ev, "memory-limit", ACTION_DENY, "/linux/resources/unified/memory.max", "memory.max");
        expect(&ev, "pids-limit", ACTION_DENY, "/linux/resources/unified/pids.max", NULL);
        expect(&ev, "cpu-quota", ACTION_DENY, "/linux/resources/unified/cpu.max", NULL);
        expect(&ev, "cpu-priority", ACTION_DENY, "/linux/resources/unified/cpu.weight", NULL);
        eval_replace(&ev, check_update("{\"unified\":{\"pids.max\":\"max\"}}"));
        expect(&ev, "pids-limit", ACTION_DENY, "/unified/pids.max", NULL);
}
END_TEST

/* --- cpu-quota --------------------------------------------------------------- */

START_TEST(test_a_config_without_a_cpu_quota_gets_one_cpu)
{
        static const char *const cpus[] = {"", ",\"cpu\":{}", ",\"cpu\":{\"quota\":0}", ",\"cpu\":{\"quota\":-1}",
                                           ",\"cpu\":{\"period\":50000}"};
        for (size_t i = 0; i < sizeof(cpus) / sizeof(cpus[0]); i++) {
                char json[256];
                snprintf(json, sizeof(json), "{" PROC ",\"linux\":{\"resources\":{\"devices\":[]%s}}}", cpus[i]);
                _cleanup_eval_ struct eval ev = check_config(json);
                expect(&ev, "cpu-quota", ACTION_FIX, "/linux/resources/cpu/quota", "100000 us");
                _cleanup_free_ char *doc = fixed_config(NULL, json);
                expect_in(doc, "\"quota\":100000");
                expect_in(doc, "\"period\":100000");
        }
}
END_TEST

START_TEST(test_a_cpu_quota_passes_and_the_quota_is_a_parameter)
{
        _cleanup_eval_ struct eval ev =
                check_config("{" PROC ",\"linux\":{\"resources\":{\"cpu\":{\"quota\":150000}}}}");
        expect_none(&ev, "cpu-quota");
        _cleanup_free_ char *doc = fixed_config("{\"version\":1,\"rules\":{\"cpu-quota\":{\"params\":{\"quota\":50000,"
                                                "\"period\":200000}}}}",
                                                "{" PROC "}");
        expect_in(doc, "\"quota\":50000,\"period\":200000");
}
END_TEST

/* --- cpu-priority ------------------------------------------------------------ */

START_TEST(test_realtime_cpu_time_is_denied)
{
        static const char *const cpus[] = {"{\"realtimeRuntime\":950000}", "{\"realtimeRuntime\":-1}",
                                           "{\"realtimePeriod\":1000000}"};
        for (size_t i = 0; i < sizeof(cpus) / sizeof(cpus[0]); i++) {
                char json[256];
                snprintf(json, sizeof(json), "{" PROC ",\"linux\":{\"resources\":{\"cpu\":%s}}}", cpus[i]);
                _cleanup_eval_ struct eval ev = check_config(json);
                expect(&ev, "cpu-priority", ACTION_DENY, NULL, "realtime");
                snprintf(json, sizeof(json), "{\"cpu\":%s}", cpus[i]);
                eval_replace(&ev, check_update(json));
                expect(&ev, "cpu-priority", ACTION_DENY, NULL, "realtime");
        }
        _cleanup_eval_ struct eval ev =
                check_config("{" PROC ",\"linux\":{\"resources\":{\"cpu\":{\"realtimeRuntime\":0,"
                             "\"realtimePeriod\":0,\"shares\":1024}}}}");
        expect_none(&ev, "cpu-priority");
}
END_TEST

START_TEST(test_realtime_and_nice_rlimits_are_denied)
{
        static const struct {
                const char *rlimit;
                bool denied;
        } cases[] = {
                {"{\"type\":\"RLIMIT_RTPRIO\",\"soft\":0,\"hard\":0}", false},
                {"{\"type\":\"RLIMIT_RTPRIO\",\"soft\":0,\"hard\":1}", true},
                {"{\"type\":\"RLIMIT_RTPRIO\",\"soft\":99,\"hard\":99}", true},
                {"{\"type\":\"RLIMIT_NICE\",\"soft\":20,\"hard\":20}", false},
                {"{\"type\":\"RLIMIT_NICE\",\"soft\":0,\"hard\":21}", true},
                {"{\"type\":\"RLIMIT_NICE\",\"soft\":40,\"hard\":40}", true},
        };
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                char json[512];
                snprintf(json, sizeof(json), "{\"args\":[\"sh\"],\"rlimits\":[%s]}", cases[i].rlimit);
                _cleanup_eval_ struct eval ev = check_exec(json);
                if (cases[i].denied)
                        expect(&ev, "cpu-priority", ACTION_DENY, "/rlimits/0", "--ulimit");
                else
                        expect_none(&ev, "cpu-priority");
                snprintf(json, sizeof(json),
                         "{\"process\":{\"args\":[\"sh\"],\"rlimits\":[%s]},\"linux\":{\"resources\":"
                         "{\"cpu\":{\"shares\":1024}}}}",
                         cases[i].rlimit);
                eval_replace(&ev, check_config(json));
                if (cases[i].denied)
                        expect(&ev, "cpu-priority", ACTION_DENY, "/process/rlimits/0", NULL);
                else
                        expect_none(&ev, "cpu-priority");
        }
}
END_TEST

START_TEST(test_realtime_scheduler_policies_and_negative_nice_are_denied)
{
        static const struct {
                const char *sched;
                const char *pointer;
        } cases[] = {
                {"{\"policy\":\"SCHED_FIFO\",\"priority\":50}", "/scheduler/policy"},
                {"{\"policy\":\"SCHED_RR\"}", "/scheduler/policy"},
                {"{\"policy\":\"SCHED_DEADLINE\"}", "/scheduler/policy"},
                {"{\"policy\":\"SCHED_OTHER\",\"nice\":-5}", "/scheduler/nice"},
                {"{\"policy\":\"SCHED_BATCH\",\"nice\":10}", NULL},
                {"{\"policy\":\"SCHED_OTHER\",\"nice\":0}", NULL},
        };
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                char json[512];
                snprintf(json, sizeof(json), "{\"args\":[\"sh\"],\"scheduler\":%s}", cases[i].sched);
                _cleanup_eval_ struct eval ev = check_exec(json);
                if (cases[i].pointer)
                        expect(&ev, "cpu-priority", ACTION_DENY, cases[i].pointer, NULL);
                else
                        expect_none(&ev, "cpu-priority");
        }
}
END_TEST

START_TEST(test_cpu_shares_are_set_and_clamped_to_the_range)
{
        static const struct {
                const char *cpu;
                const char *fixed; /* NULL: passes */
        } cases[] = {
                /* not set: the kernel's 1024, within the range */
                {"{}", NULL},
                {"{\"shares\":0}", NULL},
                {"{\"shares\":2}", "\"shares\":128"},
                {"{\"shares\":127}", "\"shares\":128"},
                {"{\"shares\":128}", NULL},
                {"{\"shares\":2048}", NULL},
                {"{\"shares\":2049}", "\"shares\":2048"},
                {"{\"shares\":262144}", "\"shares\":2048"},
                {"{\"shares\":18446744073709551615}", "\"shares\":2048"},
        };
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                char json[256];
                snprintf(json, sizeof(json), "{" PROC ",\"linux\":{\"resources\":{\"cpu\":%s}}}", cases[i].cpu);
                struct eval ev = check_config(json);
                if (!cases[i].fixed) {
                        expect_none(&ev, "cpu-priority");
                        eval_done(&ev);
                        continue;
                }
                expect(&ev, "cpu-priority", ACTION_FIX, "/linux/resources/cpu/shares", NULL);
                eval_done(&ev);
                _cleanup_free_ char *doc = fixed_config(NULL, json);
                expect_in(doc, cases[i].fixed);
        }
        _cleanup_eval_ struct eval ev = check_config("{" PROC ",\"linux\":{\"resources\":{\"cpu\":{\"shares\":-1}}}}");
        expect(&ev, "spec-invalid", ACTION_DENY, "/linux/resources/cpu/shares", "uint64");
}
END_TEST

START_TEST(test_the_shares_range_is_a_parameter)
{
        const char *pol = "{\"version\":1,\"rules\":{\"cpu-priority\":{\"params\":{\"min-shares\":2,"
                          "\"max-shares\":262144,\"default-shares\":512}}}}";
        _cleanup_eval_ struct eval ev =
                check_with(pol, "{" PROC ",\"linux\":{\"resources\":{\"cpu\":{\"shares\":262144}}}}", SPEC_CONFIG);
        expect_none(&ev, "cpu-priority");
        _cleanup_free_ char *doc = fixed_config(pol, "{" PROC "}");
        expect_in(doc, "\"shares\":512");
}
END_TEST

/* --- pids-limit -------------------------------------------------------------- */

START_TEST(test_a_config_without_a_pids_limit_gets_1024)
{
        static const char *const pids[] = {"", ",\"pids\":{}", ",\"pids\":{\"limit\":0}", ",\"pids\":{\"limit\":-1}"};
        for (size_t i = 0; i < sizeof(pids) / sizeof(pids[0]); i++) {
                char json[256];
                snprintf(json, sizeof(json), "{" PROC ",\"linux\":{\"resources\":{\"devices\":[]%s}}}", pids[i]);
                _cleanup_eval_ struct eval ev = check_config(json);
                expect(&ev, "pids-limit", ACTION_FIX, "/linux/resources/pids/limit", "fork bomb");
                _cleanup_free_ char *doc = fixed_config(NULL, json);
                expect_in(doc, "\"pids\":{\"limit\":1024}");
        }
}
END_TEST

START_TEST(test_a_pids_limit_above_the_maximum_is_denied_and_at_it_passes)
{
        const char *pol = "{\"version\":1,\"rules\":{\"pids-limit\":{\"params\":{\"max\":100}}}}";
        _cleanup_eval_ struct eval ev =
                check_with(pol, "{" PROC ",\"linux\":{\"resources\":{\"pids\":{\"limit\":100}}}}", SPEC_CONFIG);
        expect_none(&ev, "pids-limit");
        eval_replace(&ev,
                     check_with(pol, "{" PROC ",\"linux\":{\"resources\":{\"pids\":{\"limit\":101}}}}", SPEC_CONFIG));
        expect(&ev, "pids-limit", ACTION_DENY, "/linux/resources/pids/limit", "maximum of 100");
        _cleanup_free_ char *doc = fixed_config(pol, "{" PROC "}");
        expect_in(doc, "\"pids\":{\"limit\":100}");
        /* without a maximum, any positive limit is the operator's choice */
        eval_replace(&ev,
                     check_config("{" PROC ",\"linux\":{\"resources\":{\"pids\":{\"limit\":9223372036854775807}}}}"));
        expect_none(&ev, "pids-limit");
}
END_TEST

/* --- update documents ------------------------------------------------------- */

START_TEST(test_an_update_that_removes_a_limit_is_denied_never_fixed)
{
        static const struct {
                const char *doc, *rule, *pointer;
        } cases[] = {
                {"{\"pids\":{\"limit\":-1}}", "pids-limit", "/pids/limit"},
                {"{\"pids\":{\"limit\":-5}}", "pids-limit", "/pids/limit"},
                {"{\"memory\":{\"limit\":-1}}", "memory-limit", "/memory/limit"},
                {"{\"memory\":{\"limit\":104857600,\"swap\":-1}}", "memory-limit", "/memory/swap"},
                {"{\"cpu\":{\"quota\":-1}}", "cpu-quota", "/cpu/quota"},
                {"{\"cpu\":{\"shares\":4096}}", "cpu-priority", "/cpu/shares"},
                {"{\"cpu\":{\"shares\":2}}", "cpu-priority", "/cpu/shares"},
        };
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                _cleanup_eval_ struct eval ev = check_update(cases[i].doc);
                expect(&ev, cases[i].rule, ACTION_DENY, cases[i].pointer, NULL);
                ck_assert_uint_eq(eval_count(&ev, ACTION_FIX), 0);
        }
}
END_TEST

START_TEST(test_an_update_that_leaves_limits_alone_passes_untouched)
{
        static const char *const docs[] = {
                "{}",
                "{\"memory\":{\"limit\":0,\"swap\":0},\"cpu\":{\"shares\":0,\"quota\":0,\"period\":0},"
                "\"pids\":{\"limit\":0}}",
                "{\"pids\":{\"limit\":200}}",
                "{\"memory\":{\"limit\":104857600,\"swap\":209715200}}",
                "{\"cpu\":{\"quota\":50000,\"period\":100000,\"shares\":512}}",
                "{\"cpu\":{\"period\":50000}}",
                "{\"blockIO\":{\"weight\":500}}",
        };
        for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
                _cleanup_eval_ struct eval ev = check_update(docs[i]);
                expect_no_resource_findings(&ev);
        }
}
END_TEST

START_TEST(test_an_update_past_a_maximum_is_denied_and_at_it_passes)
{
        const char *pol = "{\"version\":1,\"rules\":{\"pids-limit\":{\"params\":{\"max\":500}},"
                          "\"memory-limit\":{\"params\":{\"max\":1073741824}}}}";
        _cleanup_eval_ struct eval ev =
                check_with(pol, "{\"pids\":{\"limit\":500},\"memory\":{\"limit\":1073741824}}", SPEC_RESOURCES);
        expect_no_resource_findings(&ev);
        eval_replace(&ev,
                     check_with(pol, "{\"pids\":{\"limit\":501},\"memory\":{\"limit\":1073741825}}", SPEC_RESOURCES));
        expect(&ev, "pids-limit", ACTION_DENY, "/pids/limit", "docker update --pids-limit");
        expect(&ev, "memory-limit", ACTION_DENY, "/memory/limit", "maximum");
}
END_TEST

START_TEST(test_the_docker_update_corpus)
{
        _cleanup_policy_ struct policy *p = builtin_policy();
        char *path = corpus_path("docker/update-mem.resources.json");
        char *buf = read_file(path, NULL);
        _cleanup_eval_ struct eval ev = check_kind(p, buf, SPEC_RESOURCES);
        expect_no_resource_findings(&ev);
        free(buf);
        free(path);

        path = corpus_path("docker/update-unlimit.resources.json");
        buf = read_file(path, NULL);
        eval_replace(&ev, check_kind(p, buf, SPEC_RESOURCES));
        expect(&ev, "pids-limit", ACTION_DENY, "/pids/limit", "would remove the process limit");
        expect_none(&ev, "memory-limit");
        expect_none(&ev, "cpu-quota");
        expect_none(&ev, "cpu-priority");
        ck_assert_int_eq(eval_verdict(&ev), VERDICT_DENY);
        _cleanup_free_ char *msg = eval_deny_message(&ev);
        ck_assert_ptr_nonnull(strstr(msg, "pids-limit: /pids/limit"));
        free(buf);
        free(path);
}
END_TEST

/* --- the corpus ------------------------------------------------------------------ */

START_TEST(test_docker_quotas_pass_the_limits_they_set)
{
        _cleanup_policy_ struct policy *p = builtin_policy();
        _cleanup_spec_ struct spec *s = corpus_spec("docker/quotas.json");
        _cleanup_eval_ struct eval ev = eval_spec(p, s, CHECK_CONFIG);
        expect_none(&ev, "memory-limit");
        expect_none(&ev, "cpu-quota");
        expect_none(&ev, "cpu-priority"); /* shares 512 */
        expect_none(&ev, "pids-limit");
        /* docker run without --ulimit passes no rlimits */
        expect(&ev, "nofile-limit", ACTION_FIX, "/process/rlimits", NULL);
        expect(&ev, "nproc-limit", ACTION_FIX, "/process/rlimits", NULL);
}
END_TEST

START_TEST(test_docker_hardened_passes_with_its_unset_cpu_weight)
{
        _cleanup_policy_ struct policy *p = builtin_policy();
        _cleanup_spec_ struct spec *s = corpus_spec("docker/hardened.json");
        _cleanup_eval_ struct eval ev = eval_spec(p, s, CHECK_CONFIG);
        expect_none(&ev, "memory-limit");
        expect_none(&ev, "cpu-quota");
        expect_none(&ev, "pids-limit");
        expect_none(&ev, "nofile-limit");
        expect_none(&ev, "nproc-limit");
        /* docker writes "shares": 0 when --cpu-shares is not given: the
         * kernel's weight, not something to fix */
        expect_none(&ev, "cpu-priority");
        expect_no_resource_findings(&ev);
}
END_TEST

START_TEST(test_docker_and_podman_defaults_are_fixed_to_the_limits)
{
        static const char *const names[] = {"docker/default.json", "podman/default.json", "docker/privileged.json"};
        _cleanup_policy_ struct policy *p = builtin_policy();
        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
                _cleanup_spec_ struct spec *s = corpus_spec(names[i]);
                _cleanup_eval_ struct eval ev = eval_spec(p, s, CHECK_CONFIG);
                expect(&ev, "memory-limit", ACTION_FIX, NULL, NULL);
                expect(&ev, "cpu-quota", ACTION_FIX, NULL, NULL);
                _cleanup_free_ char *doc = fix_spec(p, s, CHECK_CONFIG);
                expect_in(doc, "\"limit\":1073741824");
                expect_in(doc, "\"quota\":100000");
                if (i == 1) {
                        /* podman: pids 2048, nofile 1048576 (at the maximum), nproc 32768 */
                        expect_in(doc, "\"pids\":{\"limit\":2048}");
                        expect_in(doc, "\"hard\":1048576");
                } else {
                        expect_in(doc, "\"pids\":{\"limit\":1024}");
                        expect_in(doc, "{\"type\":\"RLIMIT_NOFILE\",\"hard\":65536,\"soft\":1024}");
                }
        }
}
END_TEST

START_TEST(test_the_rules_can_be_switched_to_warn)
{
        const char *pol = "{\"version\":1,\"rules\":{\"pids-limit\":{\"action\":\"warn\"},"
                          "\"cpu-priority\":{\"action\":\"warn\"}}}";
        _cleanup_eval_ struct eval ev = check_with(
                pol, "{\"process\":{\"args\":[\"sh\"],\"scheduler\":{\"policy\":\"SCHED_FIFO\"}}}", SPEC_CONFIG);
        expect(&ev, "pids-limit", ACTION_WARN, NULL, NULL);
        expect(&ev, "cpu-priority", ACTION_WARN, "/process/scheduler/policy", NULL);
}
END_TEST

static Suite *rules_resources_suite(void)
{
        Suite *s = suite_create("rules-resources");
        TCase *tc;

        tc = tcase_create("memory");
        tcase_add_checked_fixture(tc, ceiling_any, ceiling_real);
        tcase_add_test(tc, test_a_config_without_a_memory_limit_gets_one_gib_and_no_swap);
        tcase_add_test(tc, test_zero_and_negative_memory_limits_are_unlimited_and_fixed);
        tcase_add_test(tc, test_a_memory_limit_with_finite_swap_passes);
        tcase_add_test(tc, test_unlimited_swap_next_to_a_memory_limit_becomes_the_limit);
        tcase_add_test(tc, test_swap_below_a_limit_the_fix_chose_is_raised_to_it);
        tcase_add_test(tc, test_swap_is_left_alone_when_the_policy_does_not_limit_it);
        tcase_add_test(tc, test_a_memory_limit_above_the_maximum_is_denied_and_at_it_passes);
        tcase_add_test(tc, test_a_memory_limit_of_the_wrong_type_is_spec_invalid);
        tcase_add_test(tc, test_unified_cgroup_files_cannot_undo_the_limits);
        suite_add_tcase(s, tc);

        tc = tcase_create("cpu");
        tcase_add_checked_fixture(tc, ceiling_any, ceiling_real);
        tcase_add_test(tc, test_a_config_without_a_cpu_quota_gets_one_cpu);
        tcase_add_test(tc, test_a_cpu_quota_passes_and_the_quota_is_a_parameter);
        tcase_add_test(tc, test_realtime_cpu_time_is_denied);
        tcase_add_test(tc, test_realtime_and_nice_rlimits_are_denied);
        tcase_add_test(tc, test_realtime_scheduler_policies_and_negative_nice_are_denied);
        tcase_add_test(tc, test_cpu_shares_are_set_and_clamped_to_the_range);
        tcase_add_test(tc, test_the_shares_range_is_a_parameter);
        suite_add_tcase(s, tc);

        tc = tcase_create("pids");
        tcase_add_checked_fixture(tc, ceiling_any, ceiling_real);
        tcase_add_test(tc, test_a_config_without_a_pids_limit_gets_1024);
        tcase_add_test(tc, test_a_pids_limit_above_the_maximum_is_denied_and_at_it_passes);
        suite_add_tcase(s, tc);

        tc = tcase_create("update");
        tcase_add_checked_fixture(tc, ceiling_any, ceiling_real);
        tcase_add_test(tc, test_an_update_that_removes_a_limit_is_denied_never_fixed);
        tcase_add_test(tc, test_an_update_that_leaves_limits_alone_passes_untouched);
        tcase_add_test(tc, test_an_update_past_a_maximum_is_denied_and_at_it_passes);
        tcase_add_test(tc, test_the_docker_update_corpus);
        suite_add_tcase(s, tc);

        tc = tcase_create("corpus");
        tcase_add_checked_fixture(tc, ceiling_any, ceiling_real);
        tcase_add_test(tc, test_docker_quotas_pass_the_limits_they_set);
        tcase_add_test(tc, test_docker_hardened_passes_with_its_unset_cpu_weight);
        tcase_add_test(tc, test_docker_and_podman_defaults_are_fixed_to_the_limits);
        tcase_add_test(tc, test_the_rules_can_be_switched_to_warn);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(rules_resources_suite)
