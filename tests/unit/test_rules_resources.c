/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>

#include "rules/resources.h"
#include "testutil.h"

/* update_flags.c is in libruntime, which the unit tests link. */
#include "update_flags.h"

/* The resource rules: memory-limit, cpu-quota, cpu-priority, pids-limit,
 * nofile-limit, nproc-limit. */

static const char *const resource_rules[] = {
        "memory-limit", "cpu-quota", "cpu-priority", "pids-limit", "nofile-limit", "nproc-limit",
};

static struct eval check_kind(struct policy *p, const char *json, spec_kind_t kind)
{
        static const check_kind_t kinds[] = {
                [SPEC_CONFIG] = CHECK_CONFIG, [SPEC_PROCESS] = CHECK_EXEC, [SPEC_RESOURCES] = CHECK_UPDATE};
        struct spec *s = parse_spec_kind(json, kind);
        struct eval ev = {0};
        evaluate(p, s, kinds[kind], &ev);
        spec_free(s);
        return ev;
}

static struct eval check_with(const char *policy, const char *json, spec_kind_t kind)
{
        struct policy *p = policy ? policy_from(policy) : builtin_policy();
        struct eval ev = check_kind(p, json, kind);
        policy_free(p);
        return ev;
}

static struct eval check_config(const char *json)
{
        return check_with(NULL, json, SPEC_CONFIG);
}
static struct eval check_update(const char *json)
{
        return check_with(NULL, json, SPEC_RESOURCES);
}
static struct eval check_exec(const char *json)
{
        return check_with(NULL, json, SPEC_PROCESS);
}

/* Exactly one finding of rule with this action (and pointer, if given). */
static void expect(struct eval *ev, const char *rule, rh_action_t action, const char *pointer, const char *words)
{
        const struct finding *f = find(ev, rule);
        ck_assert_msg(f != NULL, "no %s finding", rule);
        ck_assert_msg(f->action == action, "%s: action %s, expected %s (%s)", rule, action_name(f->action),
                      action_name(action), f->message);
        if (pointer)
                ck_assert_str_eq(f->pointer, pointer);
        if (words)
                ck_assert_msg(strstr(f->message, words), "%s: \"%s\" lacks \"%s\"", rule, f->message, words);
}

static void expect_none(struct eval *ev, const char *rule)
{
        const struct finding *f = find(ev, rule);
        ck_assert_msg(f == NULL, "unexpected %s finding at %s: %s", rule, f ? f->pointer : "", f ? f->message : "");
}

static void expect_no_resource_findings(struct eval *ev)
{
        for (size_t i = 0; i < sizeof(resource_rules) / sizeof(resource_rules[0]); i++)
                expect_none(ev, resource_rules[i]);
        expect_none(ev, "spec-invalid");
}

/* Applies the fixes, checks the result has no fix or deny of this family
 * left, that a second round changes nothing, and returns the document. */
static char *fix_spec(struct policy *p, struct spec *s, check_kind_t kind)
{
        rh_error_t err = RH_ERROR_INIT;
        struct eval ev = {0}, again = {0};
        char *once = NULL, *twice = NULL;

        evaluate(p, s, kind, &ev);
        ck_assert_msg(engine_apply_fixes(p, s, kind, &ev, &err) == 0, "fix failed: %s", rh_error_msg(&err));
        ck_assert_int_eq(spec_serialize(s, false, &once, NULL, &err), 0);
        evaluate(p, s, kind, &again);
        for (size_t i = 0; i < sizeof(resource_rules) / sizeof(resource_rules[0]); i++)
                expect_none(&again, resource_rules[i]);
        ck_assert_int_eq(engine_apply_fixes(p, s, kind, &again, &err), 0);
        ck_assert_int_eq(spec_serialize(s, false, &twice, NULL, &err), 0);
        ck_assert_str_eq(once, twice);
        free(twice);
        eval_done(&ev);
        eval_done(&again);
        return once;
}

static char *fixed_config(const char *policy, const char *json)
{
        struct policy *p = policy ? policy_from(policy) : builtin_policy();
        struct spec *s = parse_spec(json);
        char *out = fix_spec(p, s, CHECK_CONFIG);
        spec_free(s);
        policy_free(p);
        return out;
}

static void expect_in(const char *doc, const char *part)
{
        ck_assert_msg(strstr(doc, part), "\"%s\" lacks \"%s\"", doc, part);
}

#define PROC "\"process\":{\"args\":[\"sh\"]}"

/* --- memory-limit ------------------------------------------------------------ */

START_TEST(test_a_config_without_a_memory_limit_gets_one_gib_and_no_swap)
{
        struct eval ev = check_config("{" PROC "}");
        expect(&ev, "memory-limit", ACTION_FIX, "/linux/resources/memory/limit", "1073741824 bytes");
        eval_done(&ev);
        char *doc = fixed_config(NULL, "{" PROC "}");
        expect_in(doc, "\"memory\":{\"limit\":1073741824,\"swap\":1073741824}");
        free(doc);
}
END_TEST

START_TEST(test_zero_and_negative_memory_limits_are_unlimited_and_fixed)
{
        static const char *const spellings[] = {"0", "-1", "-9223372036854775808", "null"};
        for (size_t i = 0; i < sizeof(spellings) / sizeof(spellings[0]); i++) {
                char json[256];
                snprintf(json, sizeof(json), "{" PROC ",\"linux\":{\"resources\":{\"memory\":{\"limit\":%s}}}}",
                         spellings[i]);
                struct eval ev = check_config(json);
                expect(&ev, "memory-limit", ACTION_FIX, "/linux/resources/memory/limit", NULL);
                eval_done(&ev);
                char *doc = fixed_config(NULL, json);
                expect_in(doc, "\"limit\":1073741824");
                free(doc);
        }
}
END_TEST

START_TEST(test_a_memory_limit_with_finite_swap_passes)
{
        struct eval ev = check_config("{" PROC ",\"linux\":{\"resources\":{\"memory\":"
                                      "{\"limit\":268435456,\"swap\":536870912}}}}");
        expect_none(&ev, "memory-limit");
        eval_done(&ev);
}
END_TEST

START_TEST(test_unlimited_swap_next_to_a_memory_limit_becomes_the_limit)
{
        const char *json = "{" PROC ",\"linux\":{\"resources\":{\"memory\":{\"limit\":268435456,\"swap\":-1}}}}";
        struct eval ev = check_config(json);
        expect(&ev, "memory-limit", ACTION_FIX, "/linux/resources/memory/swap", "unlimited swap");
        ck_assert_uint_eq(count_rule(&ev, "memory-limit"), 1);
        eval_done(&ev);
        char *doc = fixed_config(NULL, json);
        expect_in(doc, "{\"limit\":268435456,\"swap\":268435456}");
        free(doc);

        json = "{" PROC ",\"linux\":{\"resources\":{\"memory\":{\"limit\":268435456}}}}";
        ev = check_config(json);
        expect(&ev, "memory-limit", ACTION_FIX, "/linux/resources/memory/swap", "is not set");
        eval_done(&ev);
}
END_TEST

START_TEST(test_swap_below_a_limit_the_fix_chose_is_raised_to_it)
{
        char *doc = fixed_config(NULL, "{" PROC ",\"linux\":{\"resources\":{\"memory\":{\"swap\":1048576}}}}");
        expect_in(doc, "{\"swap\":1073741824,\"limit\":1073741824}");
        free(doc);
}
END_TEST

START_TEST(test_swap_is_left_alone_when_the_policy_does_not_limit_it)
{
        const char *pol = "{\"version\":1,\"rules\":{\"memory-limit\":{\"params\":{\"limit-swap\":false}}}}";
        struct eval ev = check_with(pol,
                                    "{" PROC ",\"linux\":{\"resources\":{\"memory\":{\"limit\":1000000,"
                                    "\"swap\":-1}}}}",
                                    SPEC_CONFIG);
        expect_none(&ev, "memory-limit");
        eval_done(&ev);
        char *doc = fixed_config(pol, "{" PROC "}");
        expect_in(doc, "\"memory\":{\"limit\":1073741824}");
        free(doc);
}
END_TEST

START_TEST(test_a_memory_limit_above_the_maximum_is_denied_and_at_it_passes)
{
        const char *pol = "{\"version\":1,\"rules\":{\"memory-limit\":{\"params\":{\"max\":536870912}}}}";
        struct eval ev = check_with(pol,
                                    "{" PROC ",\"linux\":{\"resources\":{\"memory\":{\"limit\":536870912,"
                                    "\"swap\":536870912}}}}",
                                    SPEC_CONFIG);
        expect_none(&ev, "memory-limit");
        eval_done(&ev);
        ev = check_with(pol,
                        "{" PROC ",\"linux\":{\"resources\":{\"memory\":{\"limit\":536870913,"
                        "\"swap\":536870913}}}}",
                        SPEC_CONFIG);
        expect(&ev, "memory-limit", ACTION_DENY, "/linux/resources/memory/limit", "maximum of 536870912");
        eval_done(&ev);
        /* the default never goes past the maximum */
        char *doc = fixed_config(pol, "{" PROC "}");
        expect_in(doc, "{\"limit\":536870912,\"swap\":536870912}");
        free(doc);
}
END_TEST

START_TEST(test_a_memory_limit_of_the_wrong_type_is_spec_invalid)
{
        struct eval ev = check_config("{" PROC ",\"linux\":{\"resources\":{\"memory\":{\"limit\":\"1g\"}}}}");
        expect(&ev, "spec-invalid", ACTION_DENY, "/linux/resources/memory/limit", NULL);
        expect_none(&ev, "memory-limit");
        eval_done(&ev);
        ev = check_config("{" PROC ",\"linux\":{\"resources\":{\"memory\":{\"limit\":1.5e9}}}}");
        expect(&ev, "spec-invalid", ACTION_DENY, "/linux/resources/memory/limit", NULL);
        eval_done(&ev);
}
END_TEST

START_TEST(test_unified_cgroup_files_cannot_undo_the_limits)
{
        struct eval ev = check_config("{" PROC ",\"linux\":{\"resources\":{\"memory\":{\"limit\":1000000,"
                                      "\"swap\":1000000},\"pids\":{\"limit\":10},\"cpu\":{\"quota\":1000,"
                                      "\"shares\":1024},\"unified\":{\"memory.max\":\"max\",\"pids.max\":\"max\","
                                      "\"cpu.max\":\"max 100000\",\"cpu.weight\":\"10000\",\"io.weight\":\"10\"}}}}");
        expect(&ev, "memory-limit", ACTION_DENY, "/linux/resources/unified/memory.max", "memory.max");
        expect(&ev, "pids-limit", ACTION_DENY, "/linux/resources/unified/pids.max", NULL);
        expect(&ev, "cpu-quota", ACTION_DENY, "/linux/resources/unified/cpu.max", NULL);
        expect(&ev, "cpu-priority", ACTION_DENY, "/linux/resources/unified/cpu.weight", NULL);
        eval_done(&ev);
        ev = check_update("{\"unified\":{\"pids.max\":\"max\"}}");
        expect(&ev, "pids-limit", ACTION_DENY, "/unified/pids.max", NULL);
        eval_done(&ev);
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
                struct eval ev = check_config(json);
                expect(&ev, "cpu-quota", ACTION_FIX, "/linux/resources/cpu/quota", "100000 us");
                eval_done(&ev);
                char *doc = fixed_config(NULL, json);
                expect_in(doc, "\"quota\":100000");
                expect_in(doc, "\"period\":100000");
                free(doc);
        }
}
END_TEST

START_TEST(test_a_cpu_quota_passes_and_the_quota_is_a_parameter)
{
        struct eval ev = check_config("{" PROC ",\"linux\":{\"resources\":{\"cpu\":{\"quota\":150000}}}}");
        expect_none(&ev, "cpu-quota");
        eval_done(&ev);
        char *doc = fixed_config("{\"version\":1,\"rules\":{\"cpu-quota\":{\"params\":{\"quota\":50000,"
                                 "\"period\":200000}}}}",
                                 "{" PROC "}");
        expect_in(doc, "\"quota\":50000,\"period\":200000");
        free(doc);
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
                struct eval ev = check_config(json);
                expect(&ev, "cpu-priority", ACTION_DENY, NULL, "realtime");
                eval_done(&ev);
                snprintf(json, sizeof(json), "{\"cpu\":%s}", cpus[i]);
                ev = check_update(json);
                expect(&ev, "cpu-priority", ACTION_DENY, NULL, "realtime");
                eval_done(&ev);
        }
        struct eval ev = check_config("{" PROC ",\"linux\":{\"resources\":{\"cpu\":{\"realtimeRuntime\":0,"
                                      "\"realtimePeriod\":0,\"shares\":1024}}}}");
        expect_none(&ev, "cpu-priority");
        eval_done(&ev);
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
                struct eval ev = check_exec(json);
                if (cases[i].denied)
                        expect(&ev, "cpu-priority", ACTION_DENY, "/rlimits/0", "--ulimit");
                else
                        expect_none(&ev, "cpu-priority");
                eval_done(&ev);
                snprintf(json, sizeof(json),
                         "{\"process\":{\"args\":[\"sh\"],\"rlimits\":[%s]},\"linux\":{\"resources\":"
                         "{\"cpu\":{\"shares\":1024}}}}",
                         cases[i].rlimit);
                ev = check_config(json);
                if (cases[i].denied)
                        expect(&ev, "cpu-priority", ACTION_DENY, "/process/rlimits/0", NULL);
                else
                        expect_none(&ev, "cpu-priority");
                eval_done(&ev);
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
                struct eval ev = check_exec(json);
                if (cases[i].pointer)
                        expect(&ev, "cpu-priority", ACTION_DENY, cases[i].pointer, NULL);
                else
                        expect_none(&ev, "cpu-priority");
                eval_done(&ev);
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
                char *doc = fixed_config(NULL, json);
                expect_in(doc, cases[i].fixed);
                free(doc);
        }
        struct eval ev = check_config("{" PROC ",\"linux\":{\"resources\":{\"cpu\":{\"shares\":-1}}}}");
        expect(&ev, "spec-invalid", ACTION_DENY, "/linux/resources/cpu/shares", "uint64");
        eval_done(&ev);
}
END_TEST

START_TEST(test_the_shares_range_is_a_parameter)
{
        const char *pol = "{\"version\":1,\"rules\":{\"cpu-priority\":{\"params\":{\"min-shares\":2,"
                          "\"max-shares\":262144,\"default-shares\":512}}}}";
        struct eval ev =
                check_with(pol, "{" PROC ",\"linux\":{\"resources\":{\"cpu\":{\"shares\":262144}}}}", SPEC_CONFIG);
        expect_none(&ev, "cpu-priority");
        eval_done(&ev);
        char *doc = fixed_config(pol, "{" PROC "}");
        expect_in(doc, "\"shares\":512");
        free(doc);
}
END_TEST

/* --- pids-limit -------------------------------------------------------------- */

START_TEST(test_a_config_without_a_pids_limit_gets_1024)
{
        static const char *const pids[] = {"", ",\"pids\":{}", ",\"pids\":{\"limit\":0}", ",\"pids\":{\"limit\":-1}"};
        for (size_t i = 0; i < sizeof(pids) / sizeof(pids[0]); i++) {
                char json[256];
                snprintf(json, sizeof(json), "{" PROC ",\"linux\":{\"resources\":{\"devices\":[]%s}}}", pids[i]);
                struct eval ev = check_config(json);
                expect(&ev, "pids-limit", ACTION_FIX, "/linux/resources/pids/limit", "fork bomb");
                eval_done(&ev);
                char *doc = fixed_config(NULL, json);
                expect_in(doc, "\"pids\":{\"limit\":1024}");
                free(doc);
        }
}
END_TEST

START_TEST(test_a_pids_limit_above_the_maximum_is_denied_and_at_it_passes)
{
        const char *pol = "{\"version\":1,\"rules\":{\"pids-limit\":{\"params\":{\"max\":100}}}}";
        struct eval ev =
                check_with(pol, "{" PROC ",\"linux\":{\"resources\":{\"pids\":{\"limit\":100}}}}", SPEC_CONFIG);
        expect_none(&ev, "pids-limit");
        eval_done(&ev);
        ev = check_with(pol, "{" PROC ",\"linux\":{\"resources\":{\"pids\":{\"limit\":101}}}}", SPEC_CONFIG);
        expect(&ev, "pids-limit", ACTION_DENY, "/linux/resources/pids/limit", "maximum of 100");
        eval_done(&ev);
        char *doc = fixed_config(pol, "{" PROC "}");
        expect_in(doc, "\"pids\":{\"limit\":100}");
        free(doc);
        /* without a maximum, any positive limit is the operator's choice */
        ev = check_config("{" PROC ",\"linux\":{\"resources\":{\"pids\":{\"limit\":9223372036854775807}}}}");
        expect_none(&ev, "pids-limit");
        eval_done(&ev);
}
END_TEST

/* --- nofile-limit, nproc-limit --------------------------------------------- */

START_TEST(test_missing_rlimits_get_the_defaults)
{
        struct eval ev = check_config("{" PROC "}");
        expect(&ev, "nofile-limit", ACTION_FIX, "/process/rlimits", "RLIMIT_NOFILE");
        expect(&ev, "nproc-limit", ACTION_FIX, "/process/rlimits", "RLIMIT_NPROC");
        eval_done(&ev);
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
                struct eval ev = check_config(json);
                if (cases[i].denied)
                        expect(&ev, "nofile-limit", ACTION_DENY, "/process/rlimits/1", "maximum of 1048576");
                else
                        expect_none(&ev, "nofile-limit");
                expect_none(&ev, "nproc-limit");
                eval_done(&ev);
        }
}
END_TEST

START_TEST(test_nproc_maximum_is_a_parameter)
{
        const char *pol = "{\"version\":1,\"rules\":{\"nproc-limit\":{\"params\":{\"max\":4096,\"soft\":100,"
                          "\"hard\":200}}}}";
        struct eval ev = check_with(pol,
                                    "{\"process\":{\"args\":[\"sh\"],\"rlimits\":[{\"type\":\"RLIMIT_NPROC\","
                                    "\"soft\":4096,\"hard\":4097}]}}",
                                    SPEC_CONFIG);
        expect(&ev, "nproc-limit", ACTION_DENY, "/process/rlimits/0", "RLIMIT_NPROC up to 4097");
        eval_done(&ev);
        char *doc = fixed_config(pol, "{" PROC "}");
        expect_in(doc, "{\"type\":\"RLIMIT_NPROC\",\"hard\":200,\"soft\":100}");
        free(doc);
}
END_TEST

START_TEST(test_a_malformed_rlimit_is_reported_once)
{
        struct eval ev = check_config("{\"process\":{\"args\":[\"sh\"],\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\","
                                      "\"soft\":1024,\"hard\":\"4096\"}]}}");
        ck_assert_uint_eq(count_rule(&ev, "spec-invalid"), 1);
        expect(&ev, "spec-invalid", ACTION_DENY, "/process/rlimits/0/hard", NULL);
        eval_done(&ev);
        ev = check_config("{\"process\":{\"args\":[\"sh\"],\"rlimits\":[{\"soft\":1,\"hard\":1}]}}");
        ck_assert_uint_eq(count_rule(&ev, "spec-invalid"), 1);
        expect(&ev, "spec-invalid", ACTION_DENY, "/process/rlimits/0/type", NULL);
        eval_done(&ev);
}
END_TEST

/* --- exec process files ------------------------------------------------------ */

/* runc gives a process file only the rlimits it lists; with no container
 * to take them from (test_rules_rlimits.c has one), the defaults. */
START_TEST(test_an_exec_process_without_rlimits_is_given_them)
{
        struct policy *p = builtin_policy();
        char *path = corpus_path("docker/exec-plain.process.json");
        char *buf = read_file(path, NULL);
        struct eval ev = check_kind(p, buf, SPEC_PROCESS);
        expect(&ev, "nofile-limit", ACTION_FIX, "/rlimits", "RLIMIT_NOFILE");
        expect(&ev, "nproc-limit", ACTION_FIX, "/rlimits", "RLIMIT_NPROC");
        expect_none(&ev, "memory-limit");
        expect_none(&ev, "cpu-quota");
        expect_none(&ev, "cpu-priority");
        expect_none(&ev, "pids-limit");
        eval_done(&ev);
        free(buf);
        free(path);
        policy_free(p);
}
END_TEST

START_TEST(test_an_exec_process_with_some_rlimits_gets_the_missing_ones)
{
        const char *json = "{\"args\":[\"sh\"],\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"soft\":10,\"hard\":10}]}";
        struct eval ev = check_exec(json);
        expect_none(&ev, "nofile-limit");
        expect(&ev, "nproc-limit", ACTION_FIX, "/rlimits", "RLIMIT_NPROC");
        expect_none(&ev, "memory-limit");
        expect_none(&ev, "pids-limit");
        expect_none(&ev, "cpu-priority");
        eval_done(&ev);
        struct policy *p = builtin_policy();
        struct spec *s = parse_spec_kind(json, SPEC_PROCESS);
        char *doc = fix_spec(p, s, CHECK_EXEC);
        expect_in(doc, "\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"soft\":10,\"hard\":10},"
                       "{\"type\":\"RLIMIT_NPROC\",\"hard\":512,\"soft\":512}]");
        free(doc);
        spec_free(s);
        policy_free(p);
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
                struct eval ev = check_update(cases[i].doc);
                expect(&ev, cases[i].rule, ACTION_DENY, cases[i].pointer, NULL);
                ck_assert_uint_eq(eval_count(&ev, ACTION_FIX), 0);
                eval_done(&ev);
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
                struct eval ev = check_update(docs[i]);
                expect_no_resource_findings(&ev);
                eval_done(&ev);
        }
}
END_TEST

START_TEST(test_an_update_past_a_maximum_is_denied_and_at_it_passes)
{
        const char *pol = "{\"version\":1,\"rules\":{\"pids-limit\":{\"params\":{\"max\":500}},"
                          "\"memory-limit\":{\"params\":{\"max\":1073741824}}}}";
        struct eval ev =
                check_with(pol, "{\"pids\":{\"limit\":500},\"memory\":{\"limit\":1073741824}}", SPEC_RESOURCES);
        expect_no_resource_findings(&ev);
        eval_done(&ev);
        ev = check_with(pol, "{\"pids\":{\"limit\":501},\"memory\":{\"limit\":1073741825}}", SPEC_RESOURCES);
        expect(&ev, "pids-limit", ACTION_DENY, "/pids/limit", "docker update --pids-limit");
        expect(&ev, "memory-limit", ACTION_DENY, "/memory/limit", "maximum");
        eval_done(&ev);
}
END_TEST

START_TEST(test_the_docker_update_corpus)
{
        struct policy *p = builtin_policy();
        char *path = corpus_path("docker/update-mem.resources.json");
        char *buf = read_file(path, NULL);
        struct eval ev = check_kind(p, buf, SPEC_RESOURCES);
        expect_no_resource_findings(&ev);
        eval_done(&ev);
        free(buf);
        free(path);

        path = corpus_path("docker/update-unlimit.resources.json");
        buf = read_file(path, NULL);
        ev = check_kind(p, buf, SPEC_RESOURCES);
        expect(&ev, "pids-limit", ACTION_DENY, "/pids/limit", "would remove the process limit");
        expect_none(&ev, "memory-limit");
        expect_none(&ev, "cpu-quota");
        expect_none(&ev, "cpu-priority");
        ck_assert_int_eq(eval_verdict(&ev), VERDICT_DENY);
        char *msg = eval_deny_message(&ev);
        ck_assert_ptr_nonnull(strstr(msg, "pids-limit: /pids/limit"));
        free(msg);
        eval_done(&ev);
        free(buf);
        free(path);
        policy_free(p);
}
END_TEST

/* --- update flags (runtime/update_flags.c) -------------------------------- */

static char *flags_doc(const struct runc_kv *flags, int n, int want)
{
        rh_error_t err = RH_ERROR_INIT;
        char *json = NULL;
        size_t len = 0;
        int r = update_flags_resources(flags, n, &json, &len, &err);
        ck_assert_msg(r == want, "update_flags_resources: %d, expected %d (%s)", r, want, rh_error_msg(&err));
        if (r < 0)
                ck_assert_ptr_nonnull(strstr(rh_error_msg(&err), "invalid value"));
        rh_error_clear(&err);
        return json;
}

static void expect_flag(const char *name, const char *value, const char *part)
{
        struct runc_kv kv = {name, value};
        char *doc = flags_doc(&kv, 1, part ? 0 : -EINVAL);
        if (part)
                ck_assert_msg(strstr(doc, part), "--%s %s: \"%s\" lacks \"%s\"", name, value, doc, part);
        free(doc);
}

START_TEST(test_update_flags_are_read_as_runc_reads_them)
{
        /* go-units RAMInBytes: binary multiples, any case, optional i/b */
        expect_flag("memory", "100m", "\"limit\":104857600,");
        expect_flag("memory", "100MiB", "\"limit\":104857600,");
        expect_flag("memory", "100 kb", "\"limit\":102400,");
        expect_flag("memory", "1.5g", "\"limit\":1610612736,");
        expect_flag("memory", "100", "\"limit\":100,");
        expect_flag("memory", "7b", "\"limit\":7,");
        expect_flag("memory", "2i", "\"limit\":2,");
        expect_flag("memory", "-1", "\"limit\":-1,");
        expect_flag("memory", "", "\"limit\":0,");
        expect_flag("memory", "10000000000000000000", "\"limit\":-9223372036854775808,");
        expect_flag("memory-swap", "200m", "\"swap\":209715200,");
        expect_flag("memory-swap", "-1", "\"swap\":-1,");
        /* runc refuses these: a flag with a judged limit denies */
        expect_flag("memory", "-2", NULL);
        expect_flag("memory", "1.2.3", NULL);
        expect_flag("memory", "1e9", NULL);
        expect_flag("memory", "1.", NULL);
        expect_flag("memory", "100mm", NULL);
        expect_flag("memory", " 100", NULL);
        expect_flag("memory-swap", "unlimited", NULL);
        /* cpu: ParseUint / ParseInt in base 10 */
        expect_flag("cpu-share", "4096", "\"shares\":4096,");
        expect_flag("cpu-share", "18446744073709551615", "\"shares\":18446744073709551615,");
        expect_flag("cpu-share", "+5", NULL);
        expect_flag("cpu-share", "-1", NULL);
        expect_flag("cpu-share", "18446744073709551616", NULL);
        expect_flag("cpu-quota", "-1", "\"quota\":-1,");
        expect_flag("cpu-quota", "+100", "\"quota\":100,");
        expect_flag("cpu-quota", "0x10", NULL);
        expect_flag("cpu-rt-runtime", "950000", "\"realtimeRuntime\":950000,");
        expect_flag("cpu-rt-period", "1000000", "\"realtimePeriod\":1000000}");
        /* flag.Int: base prefixes */
        expect_flag("pids-limit", "-1", "\"pids\":{\"limit\":-1}");
        expect_flag("pids-limit", "0x10", "\"pids\":{\"limit\":16}");
        expect_flag("pids-limit", "010", "\"pids\":{\"limit\":8}");
        expect_flag("pids-limit", "1_000", "\"pids\":{\"limit\":1000}");
        expect_flag("blkio-weight", "65537", "\"weight\":1}");
        /* flags that bear no judged limit are left for runc to refuse */
        expect_flag("kernel-memory", "bogus", "\"kernel\":0,");
        expect_flag("cpu-period", "-5", "\"period\":0,");
}
END_TEST

START_TEST(test_update_flags_are_judged_like_a_resources_document)
{
        static const struct runc_kv unlimit[] = {{"memory", "100m"}, {"pids-limit", "-1"}};
        static const struct runc_kv ok[] = {{"memory", "-1"},
                                            {"pids-limit", "-1"},
                                            {"memory", "100m"},
                                            {"pids-limit", "200"},
                                            {"cpuset-cpus", "0"}};
        char *doc = flags_doc(unlimit, 2, 0);
        struct eval ev = check_update(doc);
        expect(&ev, "pids-limit", ACTION_DENY, "/pids/limit", NULL);
        expect_none(&ev, "memory-limit");
        expect_none(&ev, "spec-invalid");
        eval_done(&ev);
        free(doc);
        /* the last of a repeated flag wins */
        doc = flags_doc(ok, 5, 0);
        ev = check_update(doc);
        expect_no_resource_findings(&ev);
        eval_done(&ev);
        free(doc);
        /* no flags at all: every field 0, nothing changes */
        doc = flags_doc(NULL, 0, 0);
        ev = check_update(doc);
        expect_no_resource_findings(&ev);
        eval_done(&ev);
        free(doc);
}
END_TEST

/* --- the corpus ------------------------------------------------------------------ */

START_TEST(test_docker_quotas_pass_the_limits_they_set)
{
        struct policy *p = builtin_policy();
        struct spec *s = corpus_spec("docker/quotas.json");
        struct eval ev = {0};
        evaluate(p, s, CHECK_CONFIG, &ev);
        expect_none(&ev, "memory-limit");
        expect_none(&ev, "cpu-quota");
        expect_none(&ev, "cpu-priority"); /* shares 512 */
        expect_none(&ev, "pids-limit");
        /* docker run without --ulimit passes no rlimits */
        expect(&ev, "nofile-limit", ACTION_FIX, "/process/rlimits", NULL);
        expect(&ev, "nproc-limit", ACTION_FIX, "/process/rlimits", NULL);
        eval_done(&ev);
        spec_free(s);
        policy_free(p);
}
END_TEST

START_TEST(test_docker_hardened_passes_with_its_unset_cpu_weight)
{
        struct policy *p = builtin_policy();
        struct spec *s = corpus_spec("docker/hardened.json");
        struct eval ev = {0};
        evaluate(p, s, CHECK_CONFIG, &ev);
        expect_none(&ev, "memory-limit");
        expect_none(&ev, "cpu-quota");
        expect_none(&ev, "pids-limit");
        expect_none(&ev, "nofile-limit");
        expect_none(&ev, "nproc-limit");
        /* docker writes "shares": 0 when --cpu-shares is not given: the
         * kernel's weight, not something to fix */
        expect_none(&ev, "cpu-priority");
        expect_no_resource_findings(&ev);
        eval_done(&ev);
        spec_free(s);
        policy_free(p);
}
END_TEST

START_TEST(test_docker_and_podman_defaults_are_fixed_to_the_limits)
{
        static const char *const names[] = {"docker/default.json", "podman/default.json", "docker/privileged.json"};
        struct policy *p = builtin_policy();
        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
                struct spec *s = corpus_spec(names[i]);
                struct eval ev = {0};
                evaluate(p, s, CHECK_CONFIG, &ev);
                expect(&ev, "memory-limit", ACTION_FIX, NULL, NULL);
                expect(&ev, "cpu-quota", ACTION_FIX, NULL, NULL);
                eval_done(&ev);
                char *doc = fix_spec(p, s, CHECK_CONFIG);
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
                free(doc);
                spec_free(s);
        }
        policy_free(p);
}
END_TEST

START_TEST(test_the_rules_can_be_switched_to_warn)
{
        const char *pol = "{\"version\":1,\"rules\":{\"pids-limit\":{\"action\":\"warn\"},"
                          "\"cpu-priority\":{\"action\":\"warn\"}}}";
        struct eval ev = check_with(pol, "{\"process\":{\"args\":[\"sh\"],\"scheduler\":{\"policy\":\"SCHED_FIFO\"}}}",
                                    SPEC_CONFIG);
        expect(&ev, "pids-limit", ACTION_WARN, NULL, NULL);
        expect(&ev, "cpu-priority", ACTION_WARN, "/process/scheduler/policy", NULL);
        eval_done(&ev);
}
END_TEST

/* What runc can set does not depend on the limits the tests run with. */
static uint64_t any_limit(int resource)
{
        (void)resource;
        return UINT64_MAX;
}

static Suite *make_suite(void)
{
        rlimit_ceiling_set(any_limit);
        Suite *s = suite_create("rules-resources");
        TCase *tc = tcase_create("memory");
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
        tcase_add_test(tc, test_a_config_without_a_cpu_quota_gets_one_cpu);
        tcase_add_test(tc, test_a_cpu_quota_passes_and_the_quota_is_a_parameter);
        tcase_add_test(tc, test_realtime_cpu_time_is_denied);
        tcase_add_test(tc, test_realtime_and_nice_rlimits_are_denied);
        tcase_add_test(tc, test_realtime_scheduler_policies_and_negative_nice_are_denied);
        tcase_add_test(tc, test_cpu_shares_are_set_and_clamped_to_the_range);
        tcase_add_test(tc, test_the_shares_range_is_a_parameter);
        suite_add_tcase(s, tc);

        tc = tcase_create("pids-rlimits");
        tcase_add_test(tc, test_a_config_without_a_pids_limit_gets_1024);
        tcase_add_test(tc, test_a_pids_limit_above_the_maximum_is_denied_and_at_it_passes);
        tcase_add_test(tc, test_missing_rlimits_get_the_defaults);
        tcase_add_test(tc, test_nofile_above_the_maximum_is_denied_and_at_it_passes);
        tcase_add_test(tc, test_nproc_maximum_is_a_parameter);
        tcase_add_test(tc, test_a_malformed_rlimit_is_reported_once);
        tcase_add_test(tc, test_an_exec_process_without_rlimits_is_given_them);
        tcase_add_test(tc, test_an_exec_process_with_some_rlimits_gets_the_missing_ones);
        suite_add_tcase(s, tc);

        tc = tcase_create("update");
        tcase_add_test(tc, test_an_update_that_removes_a_limit_is_denied_never_fixed);
        tcase_add_test(tc, test_an_update_that_leaves_limits_alone_passes_untouched);
        tcase_add_test(tc, test_an_update_past_a_maximum_is_denied_and_at_it_passes);
        tcase_add_test(tc, test_the_docker_update_corpus);
        tcase_add_test(tc, test_update_flags_are_read_as_runc_reads_them);
        tcase_add_test(tc, test_update_flags_are_judged_like_a_resources_document);
        suite_add_tcase(s, tc);

        tc = tcase_create("corpus");
        tcase_add_test(tc, test_docker_quotas_pass_the_limits_they_set);
        tcase_add_test(tc, test_docker_hardened_passes_with_its_unset_cpu_weight);
        tcase_add_test(tc, test_docker_and_podman_defaults_are_fixed_to_the_limits);
        tcase_add_test(tc, test_the_rules_can_be_switched_to_warn);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(make_suite)
