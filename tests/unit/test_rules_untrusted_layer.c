/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "testutil.h"
#include "util.h"

/* The untrusted-layer rule (policy/rules/binds.c, with the walk of
 * policy/host.c): an overlay layer of the spec must lie where only root can
 * change what its path names. Each test builds its directories in a scratch
 * directory of root's (mode 700, in the sticky /tmp), so everything above
 * the test's own directories is trusted. */

#define NOBODY 65534

static char *path(const char *rel)
{
        char *p = NULL;
        ck_assert(asprintf(&p, "%s/%s", tmpdir, rel) > 0);
        return p;
}

static char *mkdir_in(const char *rel, mode_t mode, uid_t uid, gid_t gid)
{
        char *p = path(rel);
        ck_assert_int_eq(mkdir(p, mode), 0);
        ck_assert_int_eq(chown(p, uid, gid), 0);
        ck_assert_int_eq(chmod(p, mode), 0); /* past the umask, with the sticky bit */
        return p;
}

/* The built-in policy (or one from JSON) on an overlay with these options
 * (a JSON array), judged for this host or offline. */
static struct eval eval_layers(const char *policy_json, const char *options_json, bool offline)
{
        struct policy *p = policy_json ? policy_from(policy_json) : builtin_policy();
        _cleanup_free_ char *json = NULL;
        struct eval ev = {0};

        ck_assert(asprintf(&json,
                           "{\"mounts\":[{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\"},"
                           "{\"destination\":\"/o\",\"type\":\"overlay\",\"source\":\"overlay\",\"options\":%s}]}",
                           options_json) > 0);
        struct spec *s = parse_spec(json);
        s->bundle = strdup("/nonexistent-bundle");
        s->offline = offline;
        evaluate(p, s, CHECK_CONFIG, &ev);
        spec_free(s);
        policy_free(p);
        return ev;
}

/* options: lowerdir=L, upperdir=U, workdir=W (paths) */
static char *options(const char *l, const char *u, const char *w)
{
        char *o = NULL;
        ck_assert(asprintf(&o, "[\"lowerdir=%s\",\"upperdir=%s\",\"workdir=%s\"]", l, u, w) > 0);
        return o;
}

static void expect_denied(const char *opts, const char *pointer, const char *msg1, const char *msg2)
{
        struct eval ev = eval_layers(NULL, opts, false);
        const struct finding *f = find(&ev, "untrusted-layer");
        ck_assert_msg(f != NULL, "no untrusted-layer finding for %s", opts);
        ck_assert_int_eq(f->action, ACTION_DENY);
        ck_assert_str_eq(f->pointer, pointer);
        ck_assert_msg(strstr(f->message, msg1), "\"%s\" lacks \"%s\"", f->message, msg1);
        ck_assert_msg(!msg2 || strstr(f->message, msg2), "\"%s\" lacks \"%s\"", f->message, msg2);
        ck_assert_uint_eq(count_rule(&ev, "untrusted-layer"), 1);
        eval_done(&ev);
}

static void expect_passes(const char *opts)
{
        struct eval ev = eval_layers(NULL, opts, false);
        const struct finding *f = find(&ev, "untrusted-layer");
        ck_assert_msg(f == NULL, "unexpected: %s", f ? f->message : "");
        ck_assert_ptr_null(find(&ev, "spec-invalid"));
        eval_done(&ev);
}

START_TEST(test_layers_in_directories_only_root_can_change_pass)
{
        make_tmpdir();
        _cleanup_free_ char *l = mkdir_in("l", 0755, 0, 0), *u = mkdir_in("u", 0755, 0, 0),
                            *w = mkdir_in("w", 0700, 0, 0);
        _cleanup_free_ char *o = options(l, u, w);
        expect_passes(o);
        /* a layer owned by another user, in a directory of root's: that
         * user can change what is in it, not what the path names */
        _cleanup_free_ char *u2 = mkdir_in("u2", 0755, NOBODY, NOBODY);
        _cleanup_free_ char *o2 = options(l, u2, w);
        expect_passes(o2);
}
END_TEST

START_TEST(test_a_layer_in_a_directory_another_user_owns_is_denied)
{
        /* atk-14 overlay-swap: nobody owns the directory that holds the
         * upper layer and swaps it for a link to /etc before runc mounts */
        make_tmpdir();
        _cleanup_free_ char *l = mkdir_in("l", 0755, 0, 0), *w = mkdir_in("w", 0700, 0, 0);
        _cleanup_free_ char *d = mkdir_in("d", 0755, NOBODY, NOBODY), *u = mkdir_in("d/up", 0755, 0, 0);
        _cleanup_free_ char *o = options(l, u, w), *why = NULL;
        ck_assert(asprintf(&why, "%s is owned by uid %d", d, NOBODY) > 0);
        expect_denied(o, "/mounts/1/options/1", "has the upperdir", why);
        /* the same for each role and key */
        _cleanup_free_ char *lo = mkdir_in("d/lo", 0755, 0, 0), *wo = mkdir_in("d/wo", 0755, 0, 0),
                            *u2 = mkdir_in("u", 0755, 0, 0);
        _cleanup_free_ char *o2 = options(lo, u2, w);
        expect_denied(o2, "/mounts/1/options/0", "has the lowerdir", why);
        _cleanup_free_ char *o3 = options(l, u2, wo);
        expect_denied(o3, "/mounts/1/options/2", "has the workdir", why);
        _cleanup_free_ char *o4 = NULL, *o5 = NULL, *o6 = NULL;
        ck_assert(asprintf(&o4, "[\"lowerdir=%s:%s\"]", l, lo) > 0);
        expect_denied(o4, "/mounts/1/options/0", "has the lowerdir", why);
        ck_assert(asprintf(&o5, "[\"lowerdir+=%s\",\"lowerdir+=%s\"]", l, lo) > 0);
        expect_denied(o5, "/mounts/1/options/1", "has the lowerdir", why);
        ck_assert(asprintf(&o6, "[\"lowerdir+=%s\",\"datadir+=%s\"]", l, lo) > 0);
        expect_denied(o6, "/mounts/1/options/1", "has the lowerdir", why);
}
END_TEST

START_TEST(test_a_layer_under_a_group_or_world_writable_directory_is_denied)
{
        make_tmpdir();
        _cleanup_free_ char *l = mkdir_in("l", 0755, 0, 0), *w = mkdir_in("w", 0700, 0, 0);
        _cleanup_free_ char *g = mkdir_in("g", 0775, 0, 100), *gu = mkdir_in("g/u", 0755, 0, 0);
        _cleanup_free_ char *o = options(l, gu, w);
        expect_denied(o, "/mounts/1/options/1", "is writable by group 100", NULL);
        /* deeper down: the first entry that can be replaced is named */
        _cleanup_free_ char *x = mkdir_in("x", 0777, 0, 0), *xy = mkdir_in("x/y", 0755, 0, 0),
                            *xyu = mkdir_in("x/y/u", 0755, 0, 0);
        _cleanup_free_ char *o2 = options(l, xyu, w), *why = NULL;
        ck_assert(asprintf(&why, "%s can be replaced by a user other than root: %s is writable by others", xy, x) > 0);
        expect_denied(o2, "/mounts/1/options/1", why, NULL);
        /* group root's members are root's own */
        _cleanup_free_ char *r = mkdir_in("r", 0775, 0, 0), *ru = mkdir_in("r/u", 0755, 0, 0);
        _cleanup_free_ char *o3 = options(l, ru, w);
        expect_passes(o3);
}
END_TEST

START_TEST(test_a_sticky_directory_is_trusted_only_for_roots_entries)
{
        make_tmpdir();
        _cleanup_free_ char *l = mkdir_in("l", 0755, 0, 0), *w = mkdir_in("w", 0700, 0, 0);
        _cleanup_free_ char *t = mkdir_in("t", 01777, 0, 0);
        _cleanup_free_ char *mine = mkdir_in("t/root-u", 0755, 0, 0), *theirs = mkdir_in("t/nobody-u", 0755, NOBODY, 0);
        _cleanup_free_ char *o = options(l, mine, w), *o2 = options(l, theirs, w);
        expect_passes(o);
        expect_denied(o2, "/mounts/1/options/1",
                      "is sticky and writable by others, and the entry is owned by uid 65534", NULL);
}
END_TEST

START_TEST(test_a_missing_layer_where_another_user_can_create_it_is_denied)
{
        make_tmpdir();
        _cleanup_free_ char *l = mkdir_in("l", 0755, 0, 0), *w = mkdir_in("w", 0700, 0, 0);
        _cleanup_free_ char *d = mkdir_in("d", 0755, NOBODY, NOBODY), *u = path("d/up");
        _cleanup_free_ char *o = options(l, u, w);
        expect_denied(o, "/mounts/1/options/1", "does not exist, and a user other than root can create it", d);
        /* missing where only root can create it: the kernel refuses the
         * mount, nobody can make it name something else */
        _cleanup_free_ char *u2 = path("l/up");
        _cleanup_free_ char *o2 = options(l, u2, w);
        expect_passes(o2);
}
END_TEST

/* An access ACL on dir that lets nobody write it (the xattr's binary form:
 * version 2, then tag, permissions, id for each entry). */
static void acl_let_nobody_write(const char *dir)
{
        struct __attribute__((packed)) {
                uint32_t version;
                struct __attribute__((packed)) {
                        uint16_t tag, perm;
                        uint32_t id;
                } e[5];
        } acl = {2,
                 {{0x01, 7, UINT32_MAX},
                  {0x02, 7, NOBODY},
                  {0x04, 5, UINT32_MAX},
                  {0x10, 7, UINT32_MAX},
                  {0x20, 5, UINT32_MAX}}};
        ck_assert_msg(setxattr(dir, "system.posix_acl_access", &acl, sizeof(acl), 0) == 0, "setxattr %s: %m", dir);
}

START_TEST(test_a_layer_under_a_directory_with_an_acl_is_denied)
{
        make_tmpdir();
        _cleanup_free_ char *l = mkdir_in("l", 0755, 0, 0), *w = mkdir_in("w", 0700, 0, 0);
        _cleanup_free_ char *a = mkdir_in("a", 0755, 0, 0), *au = mkdir_in("a/u", 0755, 0, 0);
        acl_let_nobody_write(a);
        _cleanup_free_ char *o = options(l, au, w);
        expect_denied(o, "/mounts/1/options/1", "has an access ACL", a);
}
END_TEST

START_TEST(test_a_layer_through_a_link_is_judged_where_it_leads)
{
        make_tmpdir();
        _cleanup_free_ char *l = mkdir_in("l", 0755, 0, 0), *w = mkdir_in("w", 0700, 0, 0);
        _cleanup_free_ char *d = mkdir_in("d", 0755, NOBODY, NOBODY), *u = mkdir_in("d/u", 0755, 0, 0);
        _cleanup_free_ char *link = path("link"), *o = NULL;
        /* root's link into nobody's directory */
        ck_assert_int_eq(symlink(u, link), 0);
        o = options(l, link, w);
        struct eval ev = eval_layers(NULL, o, false);
        /* through a link: the older symlink check (spec-invalid) or this rule */
        const struct finding *f = find(&ev, "untrusted-layer") ?: find(&ev, "spec-invalid");
        ck_assert_ptr_nonnull(f);
        ck_assert_int_eq(f->action, ACTION_DENY);
        ck_assert_str_eq(f->pointer, "/mounts/1/options/1");
        eval_done(&ev);
}
END_TEST

START_TEST(test_the_rule_can_be_turned_off_and_is_not_judged_offline)
{
        make_tmpdir();
        _cleanup_free_ char *l = mkdir_in("l", 0755, 0, 0), *w = mkdir_in("w", 0700, 0, 0);
        _cleanup_free_ char *d = mkdir_in("d", 0755, NOBODY, NOBODY), *u = mkdir_in("d/up", 0755, 0, 0);
        _cleanup_free_ char *o = options(l, u, w);
        struct eval ev = eval_layers("{\"version\":1,\"rules\":{\"untrusted-layer\":{\"action\":\"off\"}}}", o, false);
        ck_assert_ptr_null(find(&ev, "untrusted-layer"));
        eval_done(&ev);
        ev = eval_layers("{\"version\":1,\"rules\":{\"untrusted-layer\":{\"action\":\"warn\"}}}", o, false);
        const struct finding *f = find(&ev, "untrusted-layer");
        ck_assert_ptr_nonnull(f);
        ck_assert_int_eq(f->action, ACTION_WARN);
        eval_done(&ev);
        /* lint on another host: these are not its directories */
        ev = eval_layers(NULL, o, true);
        ck_assert_ptr_null(find(&ev, "untrusted-layer"));
        eval_done(&ev);
}
END_TEST

START_TEST(test_binds_are_not_judged_by_this_rule)
{
        /* a bind's source is checked again after create, by device and
         * inode (verification); only overlay layers cannot be */
        make_tmpdir();
        _cleanup_free_ char *d = mkdir_in("d", 0755, NOBODY, NOBODY), *s = mkdir_in("d/s", 0755, 0, 0);
        _cleanup_free_ char *json = NULL;
        ck_assert(asprintf(&json,
                           "{\"mounts\":[{\"destination\":\"/x\",\"type\":\"bind\",\"source\":\"%s\","
                           "\"options\":[\"rbind\"]}]}",
                           s) > 0);
        struct policy *p = builtin_policy();
        struct spec *sp = parse_spec(json);
        struct eval ev = {0};
        evaluate(p, sp, CHECK_CONFIG, &ev);
        ck_assert_ptr_null(find(&ev, "untrusted-layer"));
        eval_done(&ev);
        spec_free(sp);
        policy_free(p);
}
END_TEST

static Suite *untrusted_layer_suite(void)
{
        Suite *s = suite_create("untrusted-layer");
        TCase *tc = tcase_create("core");
        tcase_add_checked_fixture(tc, NULL, remove_tmpdir);
        tcase_add_test(tc, test_layers_in_directories_only_root_can_change_pass);
        tcase_add_test(tc, test_a_layer_in_a_directory_another_user_owns_is_denied);
        tcase_add_test(tc, test_a_layer_under_a_group_or_world_writable_directory_is_denied);
        tcase_add_test(tc, test_a_sticky_directory_is_trusted_only_for_roots_entries);
        tcase_add_test(tc, test_a_missing_layer_where_another_user_can_create_it_is_denied);
        tcase_add_test(tc, test_a_layer_under_a_directory_with_an_acl_is_denied);
        tcase_add_test(tc, test_a_layer_through_a_link_is_judged_where_it_leads);
        tcase_add_test(tc, test_the_rule_can_be_turned_off_and_is_not_judged_offline);
        tcase_add_test(tc, test_binds_are_not_judged_by_this_rule);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(untrusted_layer_suite)
