/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>

#include "auditlog.h"
#include "auditreport.h"
#include "testutil.h"
#include "util.h"

/* Records as the runtime writes them (checked.c, dryrun.c). */
#define NGINX_WL "{\"engine\":\"docker\",\"image\":\"nginx\",\"image-ref\":\"docker.io/library/nginx:latest\"}"

static const char *const dry_run_records[] = {
        /* nginx, twice in dry-run: would fix the root and memory */
        "{\"time\":\"2026-11-29T10:00:00Z\",\"command\":\"create\",\"container\":\"n1\",\"mode\":\"dry-run\","
        "\"verdict\":\"fix\",\"workload\":" NGINX_WL ",\"findings\":["
        "{\"rule\":\"readonly-rootfs\",\"action\":\"fix\",\"pointer\":\"/root/readonly\",\"message\":\"ro\"},"
        "{\"rule\":\"memory-limit\",\"action\":\"fix\",\"pointer\":\"/linux/resources/memory/"
        "limit\",\"message\":\"m\"},"
        "{\"rule\":\"memory-limit\",\"action\":\"fix\",\"pointer\":\"/linux/resources/memory/"
        "swap\",\"message\":\"s\"}]}",
        "{\"time\":\"2026-11-29T10:01:00Z\",\"command\":\"create\",\"container\":\"n2\",\"mode\":\"dry-run\","
        "\"verdict\":\"fix\",\"workload\":" NGINX_WL ",\"findings\":["
        "{\"rule\":\"readonly-rootfs\",\"action\":\"fix\",\"pointer\":\"/root/readonly\",\"message\":\"ro\"}]}",
        /* what n1 did, seen at delete */
        "{\"time\":\"2026-11-29T10:05:00Z\",\"command\":\"delete\",\"container\":\"n1\",\"mode\":\"dry-run\","
        "\"workload\":" NGINX_WL ",\"observed\":{\"writes\":[{\"dir\":\"/var/lib/app\",\"count\":3,\"removed\":0,"
        "\"paths\":[\"/var/lib/app/a\",\"/var/lib/app/b\"]},{\"dir\":\"/\",\"count\":1,\"removed\":0,"
        "\"paths\":[\"/x\"]}],\"truncated\":false,\"memory-limit\":1073741824,\"memory-peak\":1020000000}}",
        /* a container the engine names nothing of, refused (dry-run) */
        "{\"time\":\"2026-11-29T10:02:00Z\",\"command\":\"create\",\"container\":\"bare\",\"mode\":\"dry-run\","
        "\"verdict\":\"deny\",\"findings\":[{\"rule\":\"engine-socket\",\"action\":\"deny\",\"pointer\":"
        "\"/mounts/3/source\",\"message\":\"binds the Docker socket\"}]}",
        /* its exec, with no workload of its own */
        "{\"time\":\"2026-11-29T10:03:00Z\",\"command\":\"exec\",\"container\":\"bare\",\"mode\":\"dry-run\","
        "\"verdict\":\"allow\",\"findings\":[{\"rule\":\"env-secrets\",\"action\":\"warn\",\"pointer\":\"/env/1\","
        "\"message\":\"e\"}]}",
        /* an old record, before --since */
        "{\"time\":\"2026-11-01T00:00:00Z\",\"command\":\"create\",\"container\":\"old\",\"mode\":\"enforce\","
        "\"verdict\":\"deny\",\"workload\":{\"image-ref\":\"docker.io/library/old:1\"},\"findings\":[]}",
        /* not a record */
        "{\"command\":\"create\"}",
};

static struct jv *run_report(const char *policy_json, struct jdoc *d, struct audit_report *r)
{
        _cleanup_policy_ struct policy *p = policy_json ? policy_from(policy_json) : builtin_policy();
        struct jv *out;
        ck_assert_int_eq(auditlog_time_parse("2026-11-29", 0, &r->since), 0);
        for (size_t i = 0; i < ARRAY_SIZE(dry_run_records); i++) {
                _cleanup_jdoc_ struct jdoc *rec = NULL;
                rh_error_t err = RH_ERROR_INIT;
                ck_assert_msg(jdoc_parse(dry_run_records[i], strlen(dry_run_records[i]), &rec, &err) == 0, "%s: %s",
                              dry_run_records[i], rh_error_msg(&err));
                ck_assert_int_eq(audit_report_add(r, rec->root), 0);
        }
        ck_assert_int_eq(audit_report_json(r, p, d, &out), 0);
        return out;
}

static const struct jv *workload_named(const struct jv *rep, const char *key)
{
        const struct jv *list = jv_get_exact(rep, "workloads");
        for (size_t i = 0; i < list->u.arr.n; i++) {
                const char *s;
                if (jv_cstr(jv_get_exact(list->u.arr.v[i], "workload"), &s) && STREQ(s, key))
                        return list->u.arr.v[i];
        }
        return NULL;
}

static const struct jv *rule_named(const struct jv *w, const char *rule)
{
        const struct jv *list = jv_get_exact(w, "rules");
        for (size_t i = 0; i < list->u.arr.n; i++) {
                const char *s;
                if (jv_cstr(jv_get_exact(list->u.arr.v[i], "rule"), &s) && STREQ(s, rule))
                        return list->u.arr.v[i];
        }
        return NULL;
}

static const char *str(const struct jv *o, const char *key)
{
        const char *s = NULL;
        ck_assert_msg(jv_cstr(jv_get_exact(o, key), &s), "no string %s", key);
        return s;
}

static int64_t num(const struct jv *o, const char *key)
{
        int64_t n = -1;
        ck_assert_msg(jv_int64(jv_get_exact(o, key), &n) == 0, "no number %s", key);
        return n;
}

static bool any_text(const struct jv *list, const char *needle)
{
        for (size_t i = 0; jv_is(list, JV_ARRAY) && i < list->u.arr.n; i++)
                if (strstr(list->u.arr.v[i]->u.str.s, needle))
                        return true;
        return false;
}

START_TEST(test_the_report_is_per_workload_and_rule)
{
        _cleanup_audit_report_ struct audit_report r = {0};
        _cleanup_jdoc_ struct jdoc *d = jdoc_new();
        const struct jv *rep = run_report(NULL, d, &r);

        ck_assert_int_eq(num(rep, "records"), 5);
        ck_assert_int_eq(num(rep, "skipped"), 1);
        ck_assert_uint_eq(jv_get_exact(rep, "workloads")->u.arr.n, 2);
        const struct jv *nginx = workload_named(rep, "docker.io/library/nginx:latest");
        ck_assert_ptr_nonnull(nginx);
        ck_assert_uint_eq(jv_get_exact(nginx, "containers")->u.arr.n, 2);
        /* a rule counts once per decision, whatever fields it reports */
        ck_assert_int_eq(num(jv_get_exact(rule_named(nginx, "memory-limit"), "counts"), "would-fix"), 1);
        ck_assert_int_eq(num(jv_get_exact(rule_named(nginx, "readonly-rootfs"), "counts"), "would-fix"), 2);
        ck_assert_ptr_null(workload_named(rep, "docker.io/library/old:1"));
        /* the exec is the refused container's, found by its id */
        const struct jv *bare = workload_named(rep, "container bare");
        ck_assert_ptr_nonnull(bare);
        ck_assert_ptr_nonnull(rule_named(bare, "env-secrets"));
        ck_assert_str_eq(str(bare, "enforce"), "refuse");
        ck_assert_str_eq(str(bare, "enforce-rules"), "engine-socket");
}
END_TEST

START_TEST(test_writes_outside_the_writable_set_say_enforce_would_break_it_and_how_to_pass)
{
        _cleanup_audit_report_ struct audit_report r = {0};
        _cleanup_jdoc_ struct jdoc *d = jdoc_new();
        const struct jv *rep = run_report(NULL, d, &r);
        const struct jv *nginx = workload_named(rep, "docker.io/library/nginx:latest");
        const struct jv *ro = rule_named(nginx, "readonly-rootfs");

        ck_assert_str_eq(str(nginx, "enforce"), "break");
        ck_assert_ptr_nonnull(strstr(str(nginx, "enforce-rules"), "readonly-rootfs"));
        ck_assert(jv_get_exact(ro, "breaks")->u.b);
        ck_assert(any_text(jv_get_exact(ro, "written"), "/var/lib/app/a"));
        ck_assert(any_text(jv_get_exact(ro, "to-pass"), "--tmpfs /var/lib/app"));
        ck_assert(any_text(jv_get_exact(ro, "to-pass"), "directly in /"));
        /* the entry keeps the policy's list and adds what was written */
        const struct jv *e = jv_get_exact(ro, "policy");
        ck_assert_str_eq(str(jv_get_exact(e, "match"), "image"), "docker.io/library/nginx");
        const struct jv *w = jv_get_exact(
                jv_get_exact(jv_get_exact(jv_get_exact(e, "rules"), "readonly-rootfs"), "params"), "writable");
        ck_assert(any_text(w, "/var/lib/nginx"));
        ck_assert(any_text(w, "/var/lib/app"));
        for (size_t i = 0; i < w->u.arr.n; i++)
                ck_assert_str_ne(w->u.arr.v[i]->u.str.s, "/");
        /* and that entry is a valid policy */
        _cleanup_free_ char *entry = NULL, *doc = NULL;
        rh_error_t err = RH_ERROR_INIT;
        ck_assert_int_eq(jv_serialize(e, false, &entry, NULL, &err), 0);
        ck_assert(asprintf(&doc, "{\"version\":1,\"workloads\":[%s]}", entry) > 0);
        _cleanup_policy_ struct policy *p = policy_from(doc);
        ck_assert_uint_eq(p->n_workloads, 1);
}
END_TEST

/* A workload enforce would refuse that also wrote outside the writable
 * set: both lists in the verdict, apart; the label among the ways out. */
static const char *const refused_and_broken[] = {
        "{\"time\":\"2026-11-29T11:00:00Z\",\"command\":\"create\",\"container\":\"w1\",\"mode\":\"dry-run\","
        "\"verdict\":\"deny\",\"workload\":" NGINX_WL ",\"findings\":["
        "{\"rule\":\"engine-socket\",\"action\":\"deny\",\"pointer\":\"/mounts/3/source\",\"message\":\"sock\"},"
        "{\"rule\":\"readonly-rootfs\",\"action\":\"fix\",\"pointer\":\"/root/readonly\",\"message\":\"ro\"}]}",
        "{\"time\":\"2026-11-29T11:05:00Z\",\"command\":\"delete\",\"container\":\"w1\",\"mode\":\"dry-run\","
        "\"workload\":" NGINX_WL ",\"observed\":{\"writes\":[{\"dir\":\"/var/log\",\"count\":1,\"removed\":0,"
        "\"paths\":[\"/var/log/app.log\"]}],\"truncated\":false}}",
};

START_TEST(test_a_refused_workload_that_would_also_break_keeps_the_lists_apart)
{
        _cleanup_audit_report_ struct audit_report r = {0};
        _cleanup_jdoc_ struct jdoc *d = jdoc_new();
        _cleanup_policy_ struct policy *p = builtin_policy();
        struct jv *rep;

        ck_assert_int_eq(auditlog_time_parse("2026-11-29", 0, &r.since), 0);
        for (size_t i = 0; i < ARRAY_SIZE(refused_and_broken); i++) {
                _cleanup_jdoc_ struct jdoc *rec = NULL;
                rh_error_t err = RH_ERROR_INIT;
                ck_assert_int_eq(jdoc_parse(refused_and_broken[i], strlen(refused_and_broken[i]), &rec, &err), 0);
                ck_assert_int_eq(audit_report_add(&r, rec->root), 0);
        }
        ck_assert_int_eq(audit_report_json(&r, p, d, &rep), 0);
        const struct jv *w = workload_named(rep, "docker.io/library/nginx:latest");
        ck_assert_str_eq(str(w, "enforce"), "refuse");
        ck_assert_str_eq(str(w, "enforce-rules"), "engine-socket; what it did would also break under: readonly-rootfs");
        const struct jv *ro = rule_named(w, "readonly-rootfs");
        ck_assert(jv_get_exact(ro, "breaks")->u.b);
        ck_assert(any_text(
                jv_get_exact(ro, "to-pass"),
                "or exempt it, as the policy allows: docker run --label org.runc-harden.exempt=readonly-rootfs"));
}
END_TEST

START_TEST(test_a_memory_peak_near_the_limit_enforce_sets_is_a_break)
{
        _cleanup_audit_report_ struct audit_report r = {0};
        _cleanup_jdoc_ struct jdoc *d = jdoc_new();
        const struct jv *rep = run_report(NULL, d, &r);
        const struct jv *mem = rule_named(workload_named(rep, "docker.io/library/nginx:latest"), "memory-limit");

        ck_assert(jv_get_exact(mem, "breaks")->u.b);
        ck_assert_int_eq(num(mem, "memory-peak"), 1020000000);
        ck_assert(any_text(jv_get_exact(mem, "to-pass"), "docker run --memory"));
        int64_t def = num(jv_get_exact(jv_get_exact(jv_get_exact(jv_get_exact(mem, "policy"), "rules"), "memory-limit"),
                                       "params"),
                          "default");
        ck_assert_int_ge(def, 1020000000 + 1020000000 / 2);
        ck_assert_int_eq(def % (1 << 20), 0);
}
END_TEST

START_TEST(test_a_denial_says_how_to_pass_and_names_the_exemption_only_when_allowed)
{
        static const char exemptible[] = "{\"version\":1,\"rules\":{\"engine-socket\":{\"exemptible\":true}}}";
        _cleanup_audit_report_ struct audit_report r1 = {0}, r2 = {0};
        _cleanup_jdoc_ struct jdoc *d1 = jdoc_new(), *d2 = jdoc_new();
        const struct jv *sock1 =
                rule_named(workload_named(run_report(NULL, d1, &r1), "container bare"), "engine-socket");
        const struct jv *sock2 =
                rule_named(workload_named(run_report(exemptible, d2, &r2), "container bare"), "engine-socket");

        ck_assert(any_text(jv_get_exact(sock1, "to-pass"), "make engine-socket a warning"));
        ck_assert(!any_text(jv_get_exact(sock1, "to-pass"), "exempt"));
        ck_assert(any_text(jv_get_exact(sock2, "to-pass"), "org.runc-harden.exempt=engine-socket"));
        /* no image, no name: only the policy-wide rule can say it */
        ck_assert_ptr_null(jv_get_exact(sock1, "policy"));
        ck_assert_str_eq(str(jv_get_exact(jv_get_exact(sock1, "policy-rules"), "engine-socket"), "action"), "warn");
}
END_TEST

START_TEST(test_a_container_not_yet_deleted_is_not_yet_seen)
{
        _cleanup_audit_report_ struct audit_report r = {0};
        _cleanup_jdoc_ struct jdoc *d = jdoc_new();
        _cleanup_jdoc_ struct jdoc *rec = NULL;
        _cleanup_policy_ struct policy *p = builtin_policy();
        rh_error_t err = RH_ERROR_INIT;
        struct jv *out;

        ck_assert_int_eq(jdoc_parse(dry_run_records[1], strlen(dry_run_records[1]), &rec, &err), 0);
        ck_assert_int_eq(audit_report_add(&r, rec->root), 0);
        ck_assert_int_eq(audit_report_json(&r, p, d, &out), 0);
        const struct jv *ro = rule_named(workload_named(out, "docker.io/library/nginx:latest"), "readonly-rootfs");
        ck_assert_ptr_nonnull(jv_get_exact(ro, "not-seen-yet"));
        ck_assert_str_eq(str(workload_named(out, "docker.io/library/nginx:latest"), "enforce"), "change");
}
END_TEST

static Suite *auditreport_suite(void)
{
        Suite *s = suite_create("auditreport");
        TCase *tc = tcase_create("report");
        tcase_add_test(tc, test_the_report_is_per_workload_and_rule);
        tcase_add_test(tc, test_writes_outside_the_writable_set_say_enforce_would_break_it_and_how_to_pass);
        tcase_add_test(tc, test_a_memory_peak_near_the_limit_enforce_sets_is_a_break);
        tcase_add_test(tc, test_a_refused_workload_that_would_also_break_keeps_the_lists_apart);
        tcase_add_test(tc, test_a_denial_says_how_to_pass_and_names_the_exemption_only_when_allowed);
        tcase_add_test(tc, test_a_container_not_yet_deleted_is_not_yet_seen);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(auditreport_suite)
