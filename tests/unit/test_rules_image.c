/* SPDX-License-Identifier: GPL-2.0-or-later */
/* trusted-image (policy/rules/image.c): the image an engine names in its
 * annotations, against the policy's list. */
#include "testutil.h"
#include "util.h"

static const char *image_policy =
        "{\"version\":1,\"rules\":{\"trusted-image\":{\"action\":\"deny\",\"params\":{\"allowed\":"
        "[\"busybox\",\"registry.example.com/team/*\",\"quay.io/org/app:1.2\"]}}}}";

static struct eval eval_image(const char *policy, const char *key, const char *image)
{
        char json[512];
        snprintf(json, sizeof(json), "{\"annotations\":{\"%s\":\"%s\"}}", key, image);
        return eval_doc(policy, json);
}

START_TEST(test_trusted_image_is_off_by_default)
{
        _cleanup_eval_ struct eval ev =
                eval_image("{\"version\":1}", "io.kubernetes.cri.image-name", "docker.io/evil/miner:latest");
        expect_none(&ev, "trusted-image");
}
END_TEST

START_TEST(test_allowed_images_pass)
{
        static const char *const images[] = {"busybox",
                                             "busybox:1.36",
                                             "docker.io/library/busybox@sha256:abc",
                                             "registry.example.com/team/app:2",
                                             "registry.example.com/team/a/b",
                                             "quay.io/org/app:1.2"};
        for (size_t i = 0; i < ARRAY_SIZE(images); i++) {
                _cleanup_eval_ struct eval ev = eval_image(image_policy, "io.kubernetes.cri.image-name", images[i]);
                ck_assert_msg(!find(&ev, "trusted-image"), "%s was reported", images[i]);
        }
}
END_TEST

START_TEST(test_other_images_are_denied)
{
        static const char *const images[] = {"docker.io/evil/miner", "busybox-evil", "library/busybox/x",
                                             "quay.io/org/app:1.3", "registry.example.com/other/app"};
        for (size_t i = 0; i < ARRAY_SIZE(images); i++) {
                _cleanup_eval_ struct eval ev = eval_image(image_policy, "io.kubernetes.cri-o.ImageName", images[i]);
                const struct finding *f = find(&ev, "trusted-image");
                ck_assert_msg(f && f->action == ACTION_DENY, "%s was not denied", images[i]);
                ck_assert_str_eq(f->pointer, "/annotations/io.kubernetes.cri-o.ImageName");
        }
}
END_TEST

START_TEST(test_no_engine_set_image_name_warns)
{
        /* a label copied from the image proves nothing */
        struct eval ev = eval_image(image_policy, "org.opencontainers.image.ref.name", "busybox");
        expect(&ev, "trusted-image", ACTION_WARN, NULL, NULL);
        eval_done(&ev);
        ev = eval_with(NULL, "{}", (struct eval_opts){.policy = image_policy, .bundle = NO_BUNDLE});
        expect(&ev, "trusted-image", ACTION_WARN, NULL, NULL);
        eval_done(&ev);
        _cleanup_policy_ struct policy *p = policy_from(image_policy);
        static const char *const names[] = {"docker/default.json", "podman/default.json"};
        for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
                _cleanup_spec_ struct spec *s = corpus_spec(names[i]);
                ev = (struct eval){0};
                evaluate(p, s, CHECK_CONFIG, &ev);
                expect(&ev, "trusted-image", ACTION_WARN, NULL, NULL);
                eval_done(&ev);
        }
}
END_TEST

START_TEST(test_an_empty_allowed_list_only_warns)
{
        _cleanup_eval_ struct eval ev =
                eval_image("{\"version\":1,\"rules\":{\"trusted-image\":{\"action\":\"deny\"}}}",
                           "io.kubernetes.cri.image-name", "docker.io/evil/miner");
        expect(&ev, "trusted-image", ACTION_WARN, NULL, NULL);
        ck_assert_uint_eq(count_rule(&ev, "trusted-image"), 1);
}
END_TEST

static Suite *rules_image_suite(void)
{
        Suite *s = suite_create("rules-image");
        TCase *tc;

        tc = tcase_create("trusted-image");
        tcase_add_test(tc, test_trusted_image_is_off_by_default);
        tcase_add_test(tc, test_allowed_images_pass);
        tcase_add_test(tc, test_other_images_are_denied);
        tcase_add_test(tc, test_no_engine_set_image_name_warns);
        tcase_add_test(tc, test_an_empty_allowed_list_only_warns);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(rules_image_suite)
