/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>

#include "testutil.h"
#include "util.h"
#include "workload.h"

static const struct rule_conf *conf_in(const struct rule_conf *confs, const char *id)
{
        size_t i;
        ck_assert_ptr_nonnull(rules_find(id, &i));
        return &confs[i];
}

static struct policy *level(const char *name)
{
        rh_error_t err = RH_ERROR_INIT;
        struct policy *p = NULL;
        ck_assert_msg(policy_level(name, &p, &err) == 0, "%s: %s", name, rh_error_msg(&err));
        return p;
}

/* Only the named rules on (and spec-invalid), in the policy's rules and
 * in each of its entries'. */
static void only_in(struct rule_conf *confs, const char *const *ids)
{
        for (size_t i = 0; i < rules_count(); i++) {
                bool keep = STREQ(rules_get(i)->id, "spec-invalid");
                for (const char *const *id = ids; *id; id++)
                        keep |= STREQ(rules_get(i)->id, *id);
                if (!keep)
                        confs[i].action = ACTION_OFF;
        }
}

static void only_rules(struct policy *p, const char *const *ids)
{
        only_in(p->conf, ids);
        for (size_t i = 0; i < p->n_workloads; i++)
                only_in(p->workloads[i].conf, ids);
}

static bool strings_equal(const struct jv *list, const char *const *want)
{
        size_t n = 0;
        for (; want[n]; n++)
                if (n >= list->u.arr.n || !STREQ(list->u.arr.v[n]->u.str.s, want[n]))
                        return false;
        return n == list->u.arr.n;
}

START_TEST(test_restricted_is_baseline_plus_pod_security_restricted)
{
        _cleanup_policy_ struct policy *r = level("restricted"), *b = level("baseline");
        static const char *const net_bind[] = {"CAP_NET_BIND_SERVICE", NULL};

        ck_assert_str_eq(r->level, "restricted");
        ck_assert_str_eq(b->level, "baseline");
        ck_assert_int_eq(conf_in(r->conf, "capabilities")->action, ACTION_FIX);
        ck_assert(strings_equal(jv_get_exact(conf_in(r->conf, "capabilities")->params, "allowed"), net_bind));
        ck_assert_int_eq(conf_in(r->conf, "root-user")->action, ACTION_DENY);
        ck_assert_int_eq(conf_in(b->conf, "root-user")->action, ACTION_WARN);
        ck_assert_uint_gt(jv_get_exact(conf_in(r->conf, "sysctls")->params, "only")->u.arr.n, 0);
        ck_assert_uint_eq(jv_get_exact(conf_in(b->conf, "sysctls")->params, "only")->u.arr.n, 0);
        ck_assert_int_eq(conf_in(r->conf, "seccomp")->action, ACTION_FIX);
        static const char *const srv[] = {"/srv/**", NULL};
        ck_assert(strings_equal(jv_get_exact(conf_in(r->conf, "sensitive-mount")->params, "only"), srv));
        ck_assert_uint_eq(jv_get_exact(conf_in(b->conf, "sensitive-mount")->params, "only")->u.arr.n, 0);
        /* what restricted does not name stays baseline's */
        ck_assert_int_eq(conf_in(r->conf, "readonly-rootfs")->action, conf_in(b->conf, "readonly-rootfs")->action);
        rh_error_t err = RH_ERROR_INIT;
        struct policy *none = NULL;
        ck_assert_int_eq(policy_level("strict", &none, &err), -ENOENT);
        ck_assert_ptr_nonnull(strstr(rh_error_msg(&err), "baseline and restricted"));
        rh_error_clear(&err);
}
END_TEST

START_TEST(test_a_file_extends_a_level_and_overrides_it)
{
        _cleanup_policy_ struct policy *p = policy_from(
                "{\"version\":1,\"rules\":{\"root-user\":{\"action\":\"warn\"}},\"extends\":\"restricted\"}");
        ck_assert_str_eq(p->level, "restricted");
        ck_assert_int_eq(conf_in(p->conf, "root-user")->action, ACTION_WARN);
        ck_assert_int_eq(conf_in(p->conf, "capabilities")->action, ACTION_FIX);
        expect_policy_refused("{\"version\":1,\"extends\":\"strict\"}", "no level called \"strict\"");
        expect_policy_refused("{\"version\":1,\"extends\":2}", "extends must be the name of a level");
}
END_TEST

START_TEST(test_the_audit_log_is_on_by_default_and_bounded)
{
        _cleanup_policy_ struct policy *b = builtin_policy();
        ck_assert_str_eq(b->audit_log, POLICY_AUDIT_LOG_DEFAULT);
        ck_assert_uint_eq(b->audit_log_size, POLICY_AUDIT_LOG_SIZE_DEFAULT);
        ck_assert_uint_eq(b->audit_log_keep, POLICY_AUDIT_LOG_KEEP_DEFAULT);
        _cleanup_policy_ struct policy *p =
                policy_from("{\"version\":1,\"audit-log-size\":1048576,\"audit-log-keep\":0,\"audit-log\":null}");
        ck_assert_ptr_null(p->audit_log);
        ck_assert_uint_eq(p->audit_log_size, 1048576);
        ck_assert_uint_eq(p->audit_log_keep, 0);
        expect_policy_refused("{\"version\":1,\"audit-log-size\":100}", "audit-log-size must be an integer between");
        expect_policy_refused("{\"version\":1,\"audit-log-keep\":100}", "audit-log-keep must be an integer between");
        expect_policy_refused("{\"version\":1,\"audit-log-keep\":\"2\"}", "audit-log-keep");
}
END_TEST

static const char workloads_policy[] =
        "{\"version\":1,\"workloads\":["
        "{\"name\":\"nginx\",\"match\":{\"image\":\"nginx\"},\"mode\":\"dry-run\","
        " \"rules\":{\"readonly-rootfs\":{\"params\":{\"writable\":[\"/var/lib/nginx\",\"/var/cache/app\"]}}}},"
        "{\"match\":{\"namespace\":\"batch-*\"},\"rules\":{\"memory-limit\":{\"action\":\"off\"}}},"
        "{\"name\":\"late\",\"match\":{\"image\":\"docker.io/library/nginx:*\"},"
        " \"rules\":{\"readonly-rootfs\":{\"action\":\"off\"}}}],"
        "\"rules\":{\"readonly-rootfs\":{\"params\":{\"writable\":[]}}}}";

START_TEST(test_workload_entries_start_from_the_policys_rules)
{
        _cleanup_policy_ struct policy *p = policy_from(workloads_policy);
        ck_assert_uint_eq(p->n_workloads, 3);
        ck_assert_str_eq(p->workloads[0].name, "nginx");
        ck_assert_str_eq(p->workloads[1].name, "workloads[1]");
        ck_assert(p->workloads[0].has_mode && p->workloads[0].mode == MODE_DRY_RUN);
        const struct jv *base = jv_get_exact(conf_in(p->conf, "readonly-rootfs")->params, "writable");
        const struct jv *mine = jv_get_exact(conf_in(p->workloads[0].conf, "readonly-rootfs")->params, "writable");
        /* the entry's copy changed; the policy's own list is the file's, not the entry's */
        ck_assert_uint_eq(base->u.arr.n, 0);
        ck_assert_uint_eq(mine->u.arr.n, 2);
        /* the rest of the entry is the policy's */
        ck_assert_int_eq(conf_in(p->workloads[0].conf, "memory-limit")->action, ACTION_FIX);
        ck_assert_int_eq(conf_in(p->workloads[1].conf, "memory-limit")->action, ACTION_OFF);
        ck_assert_uint_eq(jv_get_exact(conf_in(p->workloads[1].conf, "readonly-rootfs")->params, "writable")->u.arr.n,
                          0);
}
END_TEST

START_TEST(test_the_first_matching_entry_applies)
{
        _cleanup_policy_ struct policy *p = policy_from(workloads_policy);
        struct workload nginx = {
                .engine = "docker", .image = "nginx:1.25", .image_ref = "docker.io/library/nginx:1.25"};
        struct workload job = {.engine = "cri", .name = "job", .ns = "batch-7"};
        struct workload other = {.engine = "cri", .image_ref = "docker.io/library/redis:7", .ns = "web"};

        ck_assert_ptr_eq(policy_match(p, &nginx), &p->workloads[0]);
        ck_assert_ptr_eq(policy_match(p, &job), &p->workloads[1]);
        ck_assert_ptr_null(policy_match(p, &other));
        ck_assert_ptr_null(policy_match(p, NULL));
        ck_assert_ptr_eq(policy_confs(p, NULL), p->conf);
}
END_TEST

START_TEST(test_bad_workload_entries_are_refused)
{
        expect_policy_refused("{\"version\":1,\"workloads\":{}}", "workloads must be an array");
        expect_policy_refused("{\"version\":1,\"workloads\":[{\"rules\":{}}]}", "workloads[0] has no match");
        expect_policy_refused("{\"version\":1,\"workloads\":[{\"match\":{}}]}", "it would match every container");
        expect_policy_refused("{\"version\":1,\"workloads\":[{\"match\":{\"label\":\"x\"}}]}",
                              "workloads[0].match: unknown key \"label\"");
        expect_policy_refused("{\"version\":1,\"workloads\":[{\"match\":{\"image-id\":\"abc\"}}]}",
                              "image-id must be an image id");
        expect_policy_refused("{\"version\":1,\"workloads\":[{\"match\":{\"image\":\"\"}}]}",
                              "match.image must be a non-empty string");
        expect_policy_refused("{\"version\":1,\"workloads\":[{\"match\":{\"image\":\"a\"},\"when\":1}]}",
                              "workloads[0]: unknown key \"when\"");
        expect_policy_refused("{\"version\":1,\"workloads\":[{\"match\":{\"image\":\"a\"},\"mode\":\"audit\"}]}",
                              "workloads[0].mode");
        expect_policy_refused("{\"version\":1,\"workloads\":[{\"match\":{\"image\":\"a\"},"
                              "\"rules\":{\"no-such-rule\":{}}}]}",
                              "workloads[0].rules: unknown rule \"no-such-rule\"");
        expect_policy_refused("{\"version\":1,\"workloads\":[{\"match\":{\"image\":\"a\"},"
                              "\"rules\":{\"spec-invalid\":{\"action\":\"warn\"}}}]}",
                              "spec-invalid always denies");
}
END_TEST

START_TEST(test_policy_show_of_a_level_with_workloads_parses_back)
{
        _cleanup_policy_ struct policy *p = NULL, *q = NULL;
        _cleanup_free_ char *json = NULL, *again = NULL;
        rh_error_t err = RH_ERROR_INIT;
        char *with = NULL;

        ck_assert(asprintf(&with, "%.*s,\"extends\":\"restricted\"}", (int)strlen(workloads_policy) - 1,
                           workloads_policy) > 0);
        p = policy_from(with);
        free(with);
        ck_assert_int_eq(policy_to_json(p, &json, &err), 0);
        ck_assert_ptr_nonnull(strstr(json, "\"extends\": \"restricted\""));
        ck_assert_ptr_nonnull(strstr(json, "\"audit-log-keep\""));
        q = policy_from(json);
        ck_assert_uint_eq(q->n_workloads, 3);
        ck_assert_int_eq(policy_to_json(q, &again, &err), 0);
        ck_assert_str_eq(json, again);
}
END_TEST

static struct spec *cri_spec(const char *image, const char *extra)
{
        char json[1024];
        snprintf(json, sizeof(json),
                 "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"/nonexistent-rootfs\",\"readonly\":false},"
                 "\"process\":{\"user\":{\"uid\":0,\"gid\":0},\"args\":[\"sh\"]%s},"
                 "\"annotations\":{\"io.kubernetes.cri.container-type\":\"container\","
                 "\"io.kubernetes.cri.image-name\":\"%s\"}}",
                 extra, image);
        return parse_spec(json);
}

START_TEST(test_the_engine_judges_with_the_matching_entrys_rules)
{
        static const char *const ids[] = {"readonly-rootfs", NULL};
        _cleanup_policy_ struct policy *p = policy_from(workloads_policy);
        only_rules(p, ids);
        _cleanup_spec_ struct spec *s = cri_spec("redis:7", ""), *n = cri_spec("nginx:1.25", "");
        _cleanup_workload_ struct workload ws = {0}, wn = {0};
        _cleanup_eval_ struct eval ev = {0}, en = {0};

        ck_assert_int_eq(workload_identify(s, "c1", &ws), 0);
        ck_assert_int_eq(workload_identify(n, "c2", &wn), 0);
        s->workload = &ws;
        n->workload = &wn;
        evaluate(p, s, CHECK_CONFIG, &ev);
        ck_assert_ptr_null(ev.entry);
        ck_assert_ptr_nonnull(find(&ev, "readonly-rootfs"));
        /* nginx: the entry "nginx" matches first; its readonly-rootfs is
         * still on (the "late" entry, which would turn it off, is never
         * reached) */
        evaluate(p, n, CHECK_CONFIG, &en);
        ck_assert_ptr_eq(en.entry, &p->workloads[0]);
        ck_assert_ptr_nonnull(find(&en, "readonly-rootfs"));
        /* with the first entry gone, "late" turns the rule off */
        p->workloads[0].image = "quay.io/other";
        _cleanup_eval_ struct eval e2 = {0};
        evaluate(p, n, CHECK_CONFIG, &e2);
        ck_assert_ptr_eq(e2.entry, &p->workloads[2]);
        ck_assert_ptr_null(find(&e2, "readonly-rootfs"));
}
END_TEST

START_TEST(test_a_docker_label_exempts_what_the_policy_allows)
{
        static const char *const ids[] = {"readonly-rootfs", "no-new-privileges", NULL};
        _cleanup_policy_ struct policy *p = builtin_policy();
        only_rules(p, ids);
        _cleanup_spec_ struct spec *s = parse_spec("{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"/"
                                                   "nonexistent-rootfs\"},\"process\":{\"args\":[\"sh\"]}}");
        struct workload w = {.engine = "docker", .exempt = "readonly-rootfs, no-new-privileges"};
        _cleanup_eval_ struct eval ev = {0};

        s->workload = &w;
        evaluate(p, s, CHECK_CONFIG, &ev);
        const struct finding *ro = find(&ev, "readonly-rootfs"), *nnp = NULL;
        ck_assert_ptr_nonnull(ro);
        ck_assert(ro->exempted);
        ck_assert_ptr_nonnull(strstr(ro->message, "the Docker label org.runc-harden.exempt"));
        /* no-new-privileges is not exemptible in the built-in policy: a
         * warning, and the rule still fixes */
        for (size_t i = 0; i < ev.n; i++)
                if (STREQ(ev.findings[i].rule, "no-new-privileges") && ev.findings[i].action == ACTION_WARN)
                        nnp = &ev.findings[i];
        ck_assert_ptr_nonnull(nnp);
        ck_assert_ptr_nonnull(strstr(nnp->message, "does not make this rule exemptible"));
        ck_assert_int_eq(eval_verdict(&ev), VERDICT_FIX);
}
END_TEST

START_TEST(test_a_label_from_the_image_is_a_warning_not_an_exemption)
{
        static const char *const ids[] = {"readonly-rootfs", NULL};
        _cleanup_policy_ struct policy *p = builtin_policy();
        only_rules(p, ids);
        _cleanup_spec_ struct spec *s = parse_spec("{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"/"
                                                   "nonexistent-rootfs\"},\"process\":{\"args\":[\"sh\"]}}");
        struct workload w = {.engine = "docker", .exempt_problem = "the image sets the label"};
        _cleanup_eval_ struct eval ev = {0};

        s->workload = &w;
        evaluate(p, s, CHECK_CONFIG, &ev);
        const struct finding *f = find(&ev, "spec-invalid");
        ck_assert_ptr_nonnull(f);
        ck_assert_int_eq(f->action, ACTION_WARN);
        ck_assert_ptr_nonnull(strstr(f->message, "is not taken: the image sets the label"));
        ck_assert(!find(&ev, "readonly-rootfs")->exempted);
}
END_TEST

static struct eval eval_restricted(const char *process_extra, const char *linux_extra)
{
        char json[1024];
        struct policy *p = level("restricted");
        static const char *const ids[] = {"root-user", "sysctls", "capabilities", NULL};
        struct eval ev = {0};
        only_rules(p, ids);
        snprintf(json, sizeof(json),
                 "{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"]%s},\"linux\":{\"namespaces\":"
                 "[{\"type\":\"network\"},{\"type\":\"ipc\"}]%s}}",
                 process_extra, linux_extra);
        struct spec *s = parse_spec(json);
        evaluate(p, s, CHECK_CONFIG, &ev);
        spec_free(s);
        policy_free(p);
        return ev;
}

START_TEST(test_restricted_wants_a_non_root_user_and_group)
{
        struct {
                const char *user;
                const char *pointer; /* NULL: passes */
        } cases[] = {
                {",\"user\":{\"uid\":0,\"gid\":0}", "/process/user/uid"},
                {",\"user\":{\"uid\":1000,\"gid\":0}", "/process/user/gid"},
                {",\"user\":{\"uid\":1000,\"gid\":1000,\"additionalGids\":[5,0]}", "/process/user/additionalGids/1"},
                {",\"user\":{\"uid\":1000,\"gid\":1000,\"additionalGids\":[5]}", NULL},
        };
        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                _cleanup_eval_ struct eval ev = eval_restricted(cases[i].user, "");
                const struct finding *f = find(&ev, "root-user");
                if (!cases[i].pointer) {
                        ck_assert_msg(!f, "%s: %s", cases[i].user, f ? f->message : "");
                        continue;
                }
                ck_assert_msg(f && f->action == ACTION_DENY, "%s: no denial", cases[i].user);
                ck_assert_str_eq(f->pointer, cases[i].pointer);
        }
}
END_TEST

START_TEST(test_restricted_allows_only_the_safe_sysctls)
{
        _cleanup_eval_ struct eval ok =
                eval_restricted(",\"user\":{\"uid\":1,\"gid\":1}", ",\"sysctl\":{\"net.ipv4.tcp_syncookies\":\"1\"}");
        _cleanup_eval_ struct eval bad =
                eval_restricted(",\"user\":{\"uid\":1,\"gid\":1}", ",\"sysctl\":{\"net.ipv4.ip_forward\":\"1\"}");
        ck_assert_ptr_null(find(&ok, "sysctls"));
        const struct finding *f = find(&bad, "sysctls");
        ck_assert_ptr_nonnull(f);
        ck_assert_int_eq(f->action, ACTION_DENY);
        ck_assert_ptr_nonnull(strstr(f->message, "sysctls.only"));
}
END_TEST

START_TEST(test_restricted_drops_every_capability_but_net_bind_service)
{
        _cleanup_policy_ struct policy *p = level("restricted");
        static const char *const ids[] = {"capabilities", NULL};
        rh_error_t err = RH_ERROR_INIT;
        _cleanup_eval_ struct eval ev = {0};
        only_rules(p, ids);
        _cleanup_spec_ struct spec *s =
                parse_spec("{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"],\"capabilities\":{"
                           "\"bounding\":[\"CAP_CHOWN\",\"CAP_NET_BIND_SERVICE\"],\"effective\":[\"CAP_CHOWN\","
                           "\"CAP_NET_BIND_SERVICE\"],\"permitted\":[\"CAP_CHOWN\",\"CAP_NET_BIND_SERVICE\"]}}}");
        evaluate(p, s, CHECK_CONFIG, &ev);
        ck_assert_int_eq(eval_verdict(&ev), VERDICT_FIX);
        ck_assert_int_eq(engine_apply_fixes(p, s, CHECK_CONFIG, &ev, &err), 0);
        const struct jv *b = jv_get(jv_get(jv_get(s->root, "process"), "capabilities"), "bounding");
        ck_assert_uint_eq(b->u.arr.n, 1);
        ck_assert_str_eq(b->u.arr.v[0]->u.str.s, "CAP_NET_BIND_SERVICE");
}
END_TEST

START_TEST(test_the_levels_are_listed)
{
        ck_assert_uint_eq(policy_levels_count(), 2);
        ck_assert_str_eq(policy_levels_get(0)->name, "baseline");
        ck_assert_ptr_null(policy_levels_get(0)->overlay);
        ck_assert_ptr_eq(policy_levels_find("restricted"), policy_levels_get(1));
        ck_assert_ptr_null(policy_levels_get(2));
}
END_TEST

static Suite *levels_suite(void)
{
        Suite *s = suite_create("policy-levels");
        TCase *tc = tcase_create("levels");
        tcase_add_test(tc, test_restricted_is_baseline_plus_pod_security_restricted);
        tcase_add_test(tc, test_a_file_extends_a_level_and_overrides_it);
        tcase_add_test(tc, test_the_audit_log_is_on_by_default_and_bounded);
        tcase_add_test(tc, test_workload_entries_start_from_the_policys_rules);
        tcase_add_test(tc, test_the_first_matching_entry_applies);
        tcase_add_test(tc, test_bad_workload_entries_are_refused);
        tcase_add_test(tc, test_policy_show_of_a_level_with_workloads_parses_back);
        tcase_add_test(tc, test_the_engine_judges_with_the_matching_entrys_rules);
        tcase_add_test(tc, test_a_docker_label_exempts_what_the_policy_allows);
        tcase_add_test(tc, test_a_label_from_the_image_is_a_warning_not_an_exemption);
        tcase_add_test(tc, test_restricted_wants_a_non_root_user_and_group);
        tcase_add_test(tc, test_restricted_allows_only_the_safe_sysctls);
        tcase_add_test(tc, test_restricted_drops_every_capability_but_net_bind_service);
        tcase_add_test(tc, test_the_levels_are_listed);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(levels_suite)
