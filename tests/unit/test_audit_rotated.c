/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "audit_testutil.h"

/* The audit's container-unchecked reads the audit log as auditlog.c
 * rotates it: a decision in LOG.1 or LOG.2 counts. */
START_TEST(test_a_decision_in_a_rotated_file_counts)
{
        _cleanup_audit_containers_ struct audit_containers c = {0};
        fake_containers();
        put("/log.jsonl", "{\"time\":\"t\",\"command\":\"exec\",\"container\":\"c9\",\"verdict\":\"allow\"}\n");
        put("/log.jsonl.1", "{\"time\":\"t\",\"command\":\"update\",\"container\":\"c8\",\"verdict\":\"allow\"}\n");
        put("/log.jsonl.2", "{\"time\":\"t\",\"command\":\"create\",\"container\":\"c1\",\"verdict\":\"allow\"}\n");
        containers_ok((struct audit_container_input){.audit_log = at("/log.jsonl")}, &c);
        ck_assert_uint_eq(count_rule(&c.v[0].ev, "container-unchecked"), 0);
        ck_assert_uint_eq(count_rule(&c.v[1].ev, "container-unchecked"), 1);
}
END_TEST

START_TEST(test_a_gap_in_the_numbering_ends_the_search)
{
        _cleanup_audit_containers_ struct audit_containers c = {0};
        fake_containers();
        put("/log.jsonl", "\n");
        put("/log.jsonl.2", "{\"time\":\"t\",\"command\":\"create\",\"container\":\"c1\",\"verdict\":\"allow\"}\n");
        containers_ok((struct audit_container_input){.audit_log = at("/log.jsonl")}, &c);
        /* rotation never leaves LOG.2 without LOG.1: that file is not the log's */
        ck_assert_uint_eq(count_rule(&c.v[0].ev, "container-unchecked"), 1);
        bool said = false;
        for (size_t i = 0; i < c.v[0].ev.n; i++)
                if (STREQ(c.v[0].ev.findings[i].rule, "container-unchecked"))
                        said = strstr(c.v[0].ev.findings[i].message, "rotated out") != NULL;
        ck_assert_msg(said, "the message names rotation as a cause");
}
END_TEST

static Suite *rotated_suite(void)
{
        Suite *s = suite_create("audit-rotated");
        TCase *tc = tcase_create("rotated");
        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_a_decision_in_a_rotated_file_counts);
        tcase_add_test(tc, test_a_gap_in_the_numbering_ends_the_search);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        SRunner *sr = srunner_create(rotated_suite());
        srunner_run_all(sr, CK_NORMAL);
        int failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
