/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "testutil.h"
#include "util.h"

/* The runtime-annotations rule (policy/rules/annotations.c): annotations
 * crun 1.8 or runc 1.1.5 act on are refused unless the policy allows the
 * key; the policy cannot turn the rule into a warning. */

static void policy_refused(const char *json, const char *want)
{
        expect_policy_error(json, strlen(json), want);
}

static struct eval ann_eval(const char *policy_json, const char *annotations)
{
        static const char *const ids[] = {"runtime-annotations", NULL};
        _cleanup_policy_ struct policy *p = policy_json ? policy_from(policy_json) : policy_only(ids);
        _cleanup_free_ char *json = NULL;
        struct eval ev = {0};

        ck_assert(asprintf(&json, "{\"ociVersion\":\"1.0.2\",\"annotations\":%s}", annotations) > 0);
        _cleanup_spec_ struct spec *s = parse_spec(json);
        evaluate(p, s, CHECK_CONFIG, &ev);
        return ev;
}

static void expect_denied(const char *key_json, const char *pointer, const char *what)
{
        _cleanup_free_ char *ann = NULL;
        ck_assert(asprintf(&ann, "{%s:\"x\"}", key_json) > 0);
        _cleanup_eval_ struct eval ev = ann_eval(NULL, ann);
        const struct finding *f = find(&ev, "runtime-annotations");
        ck_assert_msg(f, "%s: no finding", key_json);
        ck_assert_int_eq(f->action, ACTION_DENY);
        ck_assert_str_eq(f->pointer, pointer);
        ck_assert_msg(strstr(f->message, what), "%s: \"%s\" lacks \"%s\"", key_json, f->message, what);
}

START_TEST(test_every_annotation_crun_reads_is_denied_by_name)
{
        expect_denied("\"run.oci.seccomp_bpf_data\"", "/annotations/run.oci.seccomp_bpf_data",
                      "raw BPF as the seccomp filter instead of linux.seccomp");
        expect_denied("\"run.oci.seccomp.plugins\"", "/annotations/run.oci.seccomp.plugins", "shared objects");
        expect_denied("\"run.oci.seccomp.receiver\"", "/annotations/run.oci.seccomp.receiver", "host socket");
        expect_denied("\"run.oci.pidfd_receiver\"", "/annotations/run.oci.pidfd_receiver", "host socket");
        expect_denied("\"run.oci.hooks.stdout\"", "/annotations/run.oci.hooks.stdout", "host file");
        expect_denied("\"run.oci.hooks.stderr\"", "/annotations/run.oci.hooks.stderr", "host file");
        expect_denied("\"run.oci.keep_original_groups\"", "/annotations/run.oci.keep_original_groups",
                      "supplementary groups");
        expect_denied("\"run.oci.handler\"", "/annotations/run.oci.handler", "another handler");
        expect_denied("\"run.oci.systemd.force_cgroup_v1\"", "/annotations/run.oci.systemd.force_cgroup_v1",
                      "cgroup v1");
        expect_denied("\"run.oci.timens_offset\"", "/annotations/run.oci.timens_offset", "clocks");
        expect_denied("\"module.wasm.image/variant\"", "/annotations/module.wasm.image~1variant", "wasm");
}
END_TEST

START_TEST(test_unknown_keys_of_the_runtimes_namespaces_are_denied)
{
        expect_denied("\"run.oci.not_yet_invented\"", "/annotations/run.oci.not_yet_invented", "a newer crun");
        expect_denied("\"RUN.OCI.Seccomp_BPF_Data\"", "/annotations/RUN.OCI.Seccomp_BPF_Data", "raw BPF");
        expect_denied("\"io.crun.keep_original_groups\"", "/annotations/io.crun.keep_original_groups", "crun");
        expect_denied("\"org.systemd.property.DeviceAllow\"", "/annotations/org.systemd.property.DeviceAllow",
                      "systemd unit");
        expect_denied("\"org.criu.config\"", "/annotations/org.criu.config", "CRIU");
}
END_TEST

/* crun's yajl cuts a key at NUL: "run.oci.seccomp_bpf_data\0x" is the BPF
 * annotation to crun. Either the loader refuses the key or the rule does. */
START_TEST(test_a_key_cut_at_nul_is_judged_as_crun_reads_it)
{
        static const char json[] = "{\"annotations\":{\"run.oci.seccomp_bpf_data\\u0000x\":\"x\"}}";
        static const char *const ids[] = {"runtime-annotations", NULL};
        _cleanup_policy_ struct policy *p = policy_only(ids);
        rh_error_t err = RH_ERROR_INIT;
        struct spec *s = NULL;
        if (spec_parse(json, strlen(json), SPEC_CONFIG, &s, &err) < 0) {
                rh_error_clear(&err);
                return; /* refused by the loader: spec-invalid */
        }
        _cleanup_spec_ struct spec *owned = s;
        _cleanup_eval_ struct eval ev = {0};
        evaluate(p, owned, CHECK_CONFIG, &ev);
        ck_assert_int_eq(eval_verdict(&ev), VERDICT_DENY);
        ck_assert_ptr_nonnull(find(&ev, "runtime-annotations"));
}
END_TEST

START_TEST(test_annotations_no_runtime_reads_pass)
{
        _cleanup_eval_ struct eval ev =
                ann_eval(NULL, "{\"io.kubernetes.cri-o.TTY\":\"false\",\"io.container.manager\":\"libpod\","
                               "\"io.kubernetes.cri.container-type\":\"sandbox\",\"run.ocix\":\"1\","
                               "\"org.opencontainers.image.stopSignal\":\"15\"}");
        ck_assert_int_eq(ev.n, 0);
}
END_TEST

START_TEST(test_the_engines_specs_pass)
{
        static const char *const files[] = {"docker/default.json", "docker/privileged.json", "podman/default.json"};
        static const char *const ids[] = {"runtime-annotations", NULL};
        for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
                _cleanup_policy_ struct policy *p = policy_only(ids);
                _cleanup_spec_ struct spec *s = corpus_spec(files[i]);
                _cleanup_eval_ struct eval ev = {0};
                evaluate(p, s, CHECK_CONFIG, &ev);
                ck_assert_msg(count_rule(&ev, "runtime-annotations") == 0, "%s", files[i]);
        }
}
END_TEST

START_TEST(test_an_allowed_key_passes_and_only_that_key)
{
        _cleanup_eval_ struct eval ev =
                ann_eval("{\"version\":1,\"rules\":{\"runtime-annotations\":{\"params\":{\"allowed\":"
                         "[\"run.oci.keep_original_groups\"]}}}}",
                         "{\"run.oci.keep_original_groups\":\"1\",\"run.oci.handler\":\"krun\"}");
        ck_assert_int_eq(count_rule(&ev, "runtime-annotations"), 1);
        ck_assert_str_eq(find(&ev, "runtime-annotations")->pointer, "/annotations/run.oci.handler");
}
END_TEST

START_TEST(test_the_policy_cannot_make_the_rule_a_warning)
{
        policy_refused("{\"version\":1,\"rules\":{\"runtime-annotations\":{\"action\":\"warn\"}}}",
                       "runtime-annotations denies or is off");
        policy_refused("{\"version\":1,\"rules\":{\"runtime-annotations\":{\"exemptible\":true}}}", "not exemptible");
        policy_refused("{\"version\":1,\"rules\":{\"runtime-annotations\":{\"params\":{\"allowed\":"
                       "[\"run.oci.seccomp_bpf_data\"]}}}}",
                       "run.oci.seccomp_bpf_data cannot be allowed");
        policy_refused("{\"version\":1,\"rules\":{\"runtime-annotations\":{\"params\":{\"allowed\":"
                       "[\"Run.Oci.Seccomp.Plugins\"]}}}}",
                       "cannot be allowed");
        _cleanup_policy_ struct policy *off =
                policy_from("{\"version\":1,\"rules\":{\"runtime-annotations\":{\"action\":\"off\"}}}");
        _cleanup_eval_ struct eval ev = {0};
        _cleanup_spec_ struct spec *s = parse_spec("{\"annotations\":{\"run.oci.seccomp_bpf_data\":\"x\"}}");
        evaluate(off, s, CHECK_CONFIG, &ev);
        ck_assert_int_eq(count_rule(&ev, "runtime-annotations"), 0);
}
END_TEST

static Suite *annotations_suite(void)
{
        Suite *s = suite_create("runtime-annotations");
        TCase *tc = tcase_create("core");
        tcase_add_test(tc, test_every_annotation_crun_reads_is_denied_by_name);
        tcase_add_test(tc, test_unknown_keys_of_the_runtimes_namespaces_are_denied);
        tcase_add_test(tc, test_a_key_cut_at_nul_is_judged_as_crun_reads_it);
        tcase_add_test(tc, test_annotations_no_runtime_reads_pass);
        tcase_add_test(tc, test_the_engines_specs_pass);
        tcase_add_test(tc, test_an_allowed_key_passes_and_only_that_key);
        tcase_add_test(tc, test_the_policy_cannot_make_the_rule_a_warning);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(annotations_suite)
