/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

/* kernel-mounts (policy/rules/kernel_mounts.c) and the host's mqueue: a
 * Docker volume made with --opt type=mqueue is an mqueue that dockerd
 * mounted in its own IPC namespace (the host's), handed to runc as a
 * bind. The container would see and write the host's POSIX message
 * queues; only verification caught it. A fresh mqueue mount of the spec
 * is the container's own and passes. */

static struct eval mq_eval(const char *mount_json, bool offline)
{
        _cleanup_policy_ struct policy *p = builtin_policy();
        _cleanup_free_ char *json = NULL;
        ck_assert(asprintf(&json, "{\"mounts\":[%s]}", mount_json) > 0);
        _cleanup_spec_ struct spec *s = parse_spec(json);
        struct eval ev = {0};

        ck_assert_ptr_nonnull(s->bundle = strdup(NO_BUNDLE));
        s->offline = offline;
        evaluate(p, s, CHECK_CONFIG, &ev);
        return ev;
}

static char *bind_of(const char *src, const char *opts)
{
        char *m = NULL;
        ck_assert(asprintf(&m, "{\"destination\":\"/q\",\"type\":\"bind\",\"source\":\"%s\",\"options\":%s}", src,
                           opts) > 0);
        return m;
}

START_TEST(test_a_bind_of_a_host_mqueue_is_denied_by_the_spec)
{
        _cleanup_free_ char *vol = NULL, *m = NULL, *ro = NULL;
        make_tmpdir();
        ck_assert(asprintf(&vol, "%s/volumes/mq/_data", tmpdir) > 0);
        mkdir_p(vol);
        m = bind_of(vol, "[\"rbind\"]");
        ro = bind_of(vol, "[\"rbind\",\"rro\"]");
        ck_assert_int_eq(unshare(CLONE_NEWNS), 0);
        ck_assert_int_eq(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), 0);
        ck_assert_int_eq(mount("mqueue", vol, "mqueue", 0, NULL), 0);
        _cleanup_eval_ struct eval a = mq_eval(m, false), b = mq_eval(ro, false), c = mq_eval(m, true);
        ck_assert_int_eq(umount2(vol, MNT_DETACH), 0);
        expect(&a, "kernel-mounts", ACTION_DENY, "/mounts/0/source", "the host's mqueue");
        expect(&a, "kernel-mounts", ACTION_DENY, NULL, "message queues");
        /* read-only does not help: mq_send() needs no write to the mount */
        expect(&b, "kernel-mounts", ACTION_DENY, "/mounts/0/source", "mqueue");
        /* lint, without the mount table: by statfs() */
        expect(&c, "kernel-mounts", ACTION_DENY, "/mounts/0/source", "mqueue");
        /* the directory once the mqueue is gone is an ordinary one */
        _cleanup_eval_ struct eval d = mq_eval(m, false);
        expect_none(&d, "kernel-mounts");
}
END_TEST

START_TEST(test_a_fresh_mqueue_is_the_containers_own)
{
        _cleanup_eval_ struct eval ev =
                mq_eval("{\"destination\":\"/dev/mqueue\",\"type\":\"mqueue\",\"source\":\"mqueue\","
                        "\"options\":[\"nosuid\",\"noexec\",\"nodev\"]}",
                        false);
        expect_none(&ev, "kernel-mounts");
        expect_none(&ev, "sensitive-mount");
}
END_TEST

static Suite *mqueue_suite(void)
{
        Suite *s = suite_create("kernel-mqueue");
        TCase *tc = tcase_create("mqueue");
        tcase_add_checked_fixture(tc, NULL, remove_tmpdir);
        tcase_add_test(tc, test_a_bind_of_a_host_mqueue_is_denied_by_the_spec);
        tcase_add_test(tc, test_a_fresh_mqueue_is_the_containers_own);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(mqueue_suite)
