/* SPDX-License-Identifier: GPL-2.0-or-later */
/* root-user (policy/rules/process.c): uid 0, gid 0 and an additional group
 * 0 are root unless a user namespace maps them to an unprivileged host
 * range; a namespace whose mappings hold host id 0 maps nothing away. */
#include "testutil.h"

static struct eval eval_kind(const char *json, spec_kind_t kind)
{
        _cleanup_policy_ struct policy *p = builtin_policy();
        _cleanup_spec_ struct spec *s = parse_spec_kind(json, kind);
        struct eval ev = {0};
        s->bundle = strdup("/nonexistent-bundle");
        evaluate(p, s, kind == SPEC_PROCESS ? CHECK_EXEC : CHECK_CONFIG, &ev);
        return ev;
}

static struct eval eval_user(const char *user, const char *linux_json)
{
        char json[1024];
        snprintf(json, sizeof(json), "{\"process\":{\"args\":[\"true\"],\"user\":%s},\"linux\":%s}", user,
                 linux_json ? linux_json : "{}");
        return eval_kind(json, SPEC_CONFIG);
}

/* The one root-user finding, at ptr, saying text. */
static void expect_root(const struct eval *ev, const char *ptr, const char *text)
{
        const struct finding *f = find(ev, "root-user");
        ck_assert_msg(f != NULL, "no root-user finding");
        ck_assert_int_eq(f->action, ACTION_WARN);
        ck_assert_str_eq(f->pointer, ptr);
        ck_assert_msg(strstr(f->message, text), "\"%s\" lacks \"%s\"", f->message, text);
        ck_assert_uint_eq(count_rule(ev, "root-user"), 1);
}

static void expect_no_root(const struct eval *ev)
{
        const struct finding *f = find(ev, "root-user");
        ck_assert_msg(f == NULL, "unexpected root-user finding at %s: %s", f ? f->pointer : "", f ? f->message : "");
}

#define USERNS(uidmap, gidmap)                                                                                     \
        "{\"namespaces\":[{\"type\":\"user\"}],\"uidMappings\":[" uidmap "],\"gidMappings\":[" gidmap "]}"
#define MAP(c, h, n) "{\"containerID\":" #c ",\"hostID\":" #h ",\"size\":" #n "}"

START_TEST(test_group_root_warns_like_user_root)
{
        _cleanup_eval_ struct eval ev = eval_user("{\"uid\":1000,\"gid\":0}", NULL);
        expect_root(&ev, "/process/user/gid", "runs with group root (gid 0)");
        /* an absent gid is Go's zero: group root */
        eval_replace(&ev, eval_user("{\"uid\":1000}", NULL));
        expect_root(&ev, "/process/user/gid", "group root");
        eval_replace(&ev, eval_user("{\"uid\":1000,\"gid\":1000,\"additionalGids\":[5,0,7]}", NULL));
        expect_root(&ev, "/process/user/additionalGids/1", "group root");
        eval_replace(&ev, eval_user("{\"uid\":1000,\"gid\":1000,\"additionalGids\":[1000,5]}", NULL));
        expect_no_root(&ev);
}
END_TEST

START_TEST(test_user_root_is_still_one_finding_at_the_uid)
{
        _cleanup_eval_ struct eval ev = eval_user("{\"uid\":0,\"gid\":0,\"additionalGids\":[0]}", NULL);
        expect_root(&ev, "/process/user/uid", "runs as root (uid 0)");
}
END_TEST

START_TEST(test_a_user_namespace_that_maps_group_root_away_passes)
{
        _cleanup_eval_ struct eval ev = eval_user("{\"uid\":0,\"gid\":0,\"additionalGids\":[0]}",
                                   USERNS(MAP(0, 100000, 65536), MAP(0, 100000, 65536)));
        expect_no_root(&ev);
        eval_replace(&ev, eval_user("{\"uid\":1000,\"gid\":0}", USERNS(MAP(0, 100000, 65536), MAP(0, 100000, 65536))));
        expect_no_root(&ev);
}
END_TEST

START_TEST(test_a_user_namespace_that_maps_host_root_anywhere_maps_nothing_away)
{
        /* uid 0 mapped away, gid 0 to the host's */
        _cleanup_eval_ struct eval ev = eval_user("{\"uid\":0,\"gid\":0}", USERNS(MAP(0, 100000, 65536), MAP(0, 0, 65536)));
        expect_root(&ev, "/process/user/uid", "runs as root");
        /* container uid 1000 is host root: container root can become it */
        eval_replace(&ev, eval_user("{\"uid\":0,\"gid\":0}",
                                    USERNS(MAP(0, 100000, 1000) "," MAP(1000, 0, 1), MAP(0, 100000, 65536))));
        expect_root(&ev, "/process/user/uid", "runs as root");
        eval_replace(&ev, eval_user("{\"uid\":1000,\"gid\":0}", USERNS(MAP(0, 100000, 65536), MAP(0, 0, 1))));
        expect_root(&ev, "/process/user/gid", "group root");
}
END_TEST

START_TEST(test_a_joined_user_namespace_by_a_relative_path_maps_nothing_away)
{
        _cleanup_eval_ struct eval ev = eval_user("{\"uid\":0}", "{\"namespaces\":[{\"type\":\"user\",\"path\":\"proc/1/ns/user\"}]}");
        expect_root(&ev, "/process/user/uid", "runs as root");
}
END_TEST

START_TEST(test_exec_with_group_root_warns)
{
        _cleanup_eval_ struct eval ev = eval_kind("{\"args\":[\"true\"],\"user\":{\"uid\":1000,\"gid\":1000,\"additionalGids\":[0]}}",
                                   SPEC_PROCESS);
        expect_root(&ev, "/user/additionalGids/0", "unless the container has a user namespace");
}
END_TEST

START_TEST(test_a_group_that_is_not_an_integer_is_spec_invalid)
{
        _cleanup_eval_ struct eval ev = eval_user("{\"uid\":1000,\"gid\":1000,\"additionalGids\":[\"0\"]}", NULL);
        const struct finding *f = find(&ev, "spec-invalid");
        ck_assert_ptr_nonnull(f);
        ck_assert_str_eq(f->pointer, "/process/user/additionalGids/0");
}
END_TEST

static Suite *process_suite(void)
{
        Suite *s = suite_create("rules-process");
        TCase *tc = tcase_create("root-user");
        tcase_add_test(tc, test_group_root_warns_like_user_root);
        tcase_add_test(tc, test_user_root_is_still_one_finding_at_the_uid);
        tcase_add_test(tc, test_a_user_namespace_that_maps_group_root_away_passes);
        tcase_add_test(tc, test_a_user_namespace_that_maps_host_root_anywhere_maps_nothing_away);
        tcase_add_test(tc, test_a_joined_user_namespace_by_a_relative_path_maps_nothing_away);
        tcase_add_test(tc, test_exec_with_group_root_warns);
        tcase_add_test(tc, test_a_group_that_is_not_an_integer_is_spec_invalid);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(process_suite)
