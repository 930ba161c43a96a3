/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "rules.h"
#include "testutil.h"
#include "util.h"

/* The registry (policy/rules.c): every rule of every family is numbered
 * once, in order, and found again by its id; nothing past a fixed count
 * is dropped. */

START_TEST(test_every_rule_has_one_index_and_is_found_by_its_id)
{
        size_t n = rules_count();

        ck_assert_uint_gt(n, 0);
        ck_assert_ptr_null(rules_get(n));
        for (size_t i = 0; i < n; i++) {
                const struct rule *r = rules_get(i);
                size_t k = SIZE_MAX;
                ck_assert_ptr_nonnull(r);
                ck_assert_ptr_nonnull(r->id);
                ck_assert_ptr_eq(rules_find(r->id, &k), r);
                ck_assert_uint_eq(k, i);
                for (size_t j = 0; j < i; j++)
                        ck_assert_msg(strcmp(rules_get(j)->id, r->id) != 0, "rule %s twice", r->id);
        }
        ck_assert_ptr_null(rules_find("no-such-rule", NULL));
        /* spec-invalid is the first family's, the engine's own */
        ck_assert_str_eq(rules_get(0)->id, "spec-invalid");
}
END_TEST

START_TEST(test_every_isolation_rule_is_registered_with_its_default)
{
        static const struct {
                const char *id;
                rh_action_t action;
        } want[] = {
                {"host-namespace", ACTION_DENY},  {"shared-namespace", ACTION_WARN},  {"engine-socket", ACTION_DENY},
                {"sensitive-mount", ACTION_DENY}, {"mount-propagation", ACTION_DENY}, {"readonly-rootfs", ACTION_FIX},
                {"masked-paths", ACTION_FIX},     {"devices", ACTION_DENY},           {"sysctls", ACTION_DENY},
                {"hooks", ACTION_WARN},           {"ssh-server", ACTION_DENY},        {"env-secrets", ACTION_WARN},
                {"root-user", ACTION_WARN},       {"trusted-image", ACTION_OFF},
        };
        for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
                const struct rule *r = rules_find(want[i].id, NULL);
                ck_assert_msg(r != NULL, "%s is not registered", want[i].id);
                ck_assert_int_eq(r->default_action, want[i].action);
        }
}
END_TEST

static Suite *rules_suite(void)
{
        Suite *s = suite_create("rules");
        TCase *tc = tcase_create("registry");
        tcase_add_test(tc, test_every_rule_has_one_index_and_is_found_by_its_id);
        tcase_add_test(tc, test_every_isolation_rule_is_registered_with_its_default);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(rules_suite)
