/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "rules/resources.h"
#include "testutil.h"

/* The resource family's tests (test_rules_resources.c, test_rules_rlimits.c,
 * test_update_flags.c) share these: its rules, documents of each kind
 * judged under a policy, and fixes that must converge. */

static const char *const resource_rules[] = {
        "memory-limit", "cpu-quota", "cpu-priority", "pids-limit", "nofile-limit", "nproc-limit",
};

#define PROC "\"process\":{\"args\":[\"sh\"]}"

/* json, a document of kind, under p */
static inline struct eval check_kind(struct policy *p, const char *json, spec_kind_t kind)
{
        return eval_with(p, json, (struct eval_opts){.kind = kind});
}

/* json, a document of kind, under a policy document (NULL: the built-in policy) */
static inline struct eval check_with(const char *policy, const char *json, spec_kind_t kind)
{
        return eval_with(NULL, json, (struct eval_opts){.policy = policy, .kind = kind});
}

static inline struct eval check_config(const char *json)
{
        return check_with(NULL, json, SPEC_CONFIG);
}

static inline struct eval check_update(const char *json)
{
        return check_with(NULL, json, SPEC_RESOURCES);
}

static inline struct eval check_exec(const char *json)
{
        return check_with(NULL, json, SPEC_PROCESS);
}

static inline void expect_no_resource_findings(const struct eval *ev)
{
        for (size_t i = 0; i < ARRAY_SIZE(resource_rules); i++)
                expect_none(ev, resource_rules[i]);
        expect_none(ev, "spec-invalid");
}

/* Applies the fixes, checks the result has no fix or deny of this family
 * left, that a second round changes nothing, and returns the document. */
static inline char *fix_spec(struct policy *p, struct spec *s, check_kind_t kind)
{
        rh_error_t err = RH_ERROR_INIT;
        _cleanup_eval_ struct eval ev = {0}, again = {0};
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
        eval_done(&again);
        return once;
}

static inline char *fixed_config(const char *policy, const char *json)
{
        _cleanup_policy_ struct policy *p = policy ? policy_from(policy) : builtin_policy();
        _cleanup_spec_ struct spec *s = parse_spec(json);
        char *out = fix_spec(p, s, CHECK_CONFIG);
        return out;
}

/* What runc can set does not depend on the limits the tests run with:
 * a checked fixture for every case of the family. */
static inline uint64_t any_limit(int resource)
{
        (void)resource;
        return UINT64_MAX;
}

static inline void ceiling_any(void)
{
        rlimit_ceiling_set(any_limit);
}

static inline void ceiling_real(void)
{
        rlimit_ceiling_set(NULL);
}
