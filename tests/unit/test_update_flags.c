/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>

#include "resources_testutil.h"
/* update_flags.c is in libruntime, which the unit tests link. */
#include "update_flags.h"

/* runc update without --resources (runtime/update_flags.c): the flags read
 * as runc 1.1.5 reads them, and the document they make judged like a
 * --resources one. */

static char *flags_doc(const struct runc_kv *flags, int n, int want)
{
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        char *json = NULL;
        size_t len = 0;
        int r = update_flags_resources(flags, n, &json, &len, &err);
        ck_assert_msg(r == want, "update_flags_resources: %d, expected %d (%s)", r, want, rh_error_msg(&err));
        if (r < 0)
                ck_assert_ptr_nonnull(strstr(rh_error_msg(&err), "invalid value"));
        return json;
}

static void expect_flag(const char *name, const char *value, const char *part)
{
        struct runc_kv kv = {name, value};
        _cleanup_free_ char *doc = flags_doc(&kv, 1, part ? 0 : -EINVAL);
        if (part)
                ck_assert_msg(strstr(doc, part), "--%s %s: \"%s\" lacks \"%s\"", name, value, doc, part);
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
        _cleanup_eval_ struct eval ev = check_update(doc);
        expect(&ev, "pids-limit", ACTION_DENY, "/pids/limit", NULL);
        expect_none(&ev, "memory-limit");
        expect_none(&ev, "spec-invalid");
        free(doc);
        /* the last of a repeated flag wins */
        doc = flags_doc(ok, 5, 0);
        eval_replace(&ev, check_update(doc));
        expect_no_resource_findings(&ev);
        free(doc);
        /* no flags at all: every field 0, nothing changes */
        doc = flags_doc(NULL, 0, 0);
        eval_replace(&ev, check_update(doc));
        expect_no_resource_findings(&ev);
        free(doc);
}
END_TEST

static Suite *update_flags_suite(void)
{
        Suite *s = suite_create("update-flags");
        TCase *tc;

        tc = tcase_create("update-flags");
        tcase_add_checked_fixture(tc, ceiling_any, ceiling_real);
        tcase_add_test(tc, test_update_flags_are_read_as_runc_reads_them);
        tcase_add_test(tc, test_update_flags_are_judged_like_a_resources_document);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(update_flags_suite)
