/* SPDX-License-Identifier: GPL-2.0-or-later */
/* host-namespace and shared-namespace (policy/rules/namespaces.c): paths
 * that are not absolute, paths that cannot be examined, and user
 * namespaces that map host root. The test process stands in for the host:
 * /proc/1/ns may be out of reach in a sandbox, and runc-harden takes its
 * own namespaces for the host's as well. */
#include <cap-ng.h>
#include <errno.h>
#include <sched.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

#define NS_ALL "{\"type\":\"pid\"},{\"type\":\"ipc\"},{\"type\":\"uts\"},{\"type\":\"mount\"}"
#define REQUIRE_USER                                                                                               \
        "{\"version\":1,\"rules\":{\"host-namespace\":{\"params\":{\"required\":"                                 \
        "[\"network\",\"pid\",\"ipc\",\"uts\",\"mount\",\"user\"]}}}}"

static struct eval eval_with(const char *policy, const char *json, bool offline)
{
        _cleanup_policy_ struct policy *p = policy ? policy_from(policy) : builtin_policy();
        _cleanup_spec_ struct spec *s = parse_spec(json);
        struct eval ev = {0};
        s->bundle = strdup("/nonexistent-bundle");
        s->offline = offline;
        evaluate(p, s, CHECK_CONFIG, &ev);
        return ev;
}

/* A spec with every required namespace and this network entry. */
static struct eval eval_netns(const char *path, bool offline)
{
        char json[512];
        snprintf(json, sizeof(json), "{\"linux\":{\"namespaces\":[" NS_ALL ",{\"type\":\"network\",\"path\":\"%s\"}]}}",
                 path);
        return eval_with(NULL, json, offline);
}

static const struct finding *expect_at(const struct eval *ev, const char *rule, rh_action_t action, const char *ptr,
                                       const char *text)
{
        const struct finding *f = find(ev, rule);
        ck_assert_msg(f != NULL, "no %s finding", rule);
        ck_assert_msg(f->action == action, "%s: action %s (%s)", rule, action_name(f->action), f->message);
        ck_assert_str_eq(f->pointer, ptr);
        ck_assert_msg(strstr(f->message, text), "\"%s\" lacks \"%s\"", f->message, text);
        return f;
}

static void expect_none(const struct eval *ev, const char *rule)
{
        const struct finding *f = find(ev, rule);
        ck_assert_msg(f == NULL, "unexpected %s finding at %s: %s", rule, f ? f->pointer : "", f ? f->message : "");
}

/* --- paths must be absolute ---------------------------------------------- */

START_TEST(test_a_relative_namespace_path_is_spec_invalid)
{
        static const char *const paths[] = {"proc/1/ns/net", "./nsx", "../../../proc/self/ns/net", "nsx",
                                            "proc/self/ns/net"};
        for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
                for (int offline = 0; offline <= 1; offline++) {
                        _cleanup_eval_ struct eval ev = eval_netns(paths[i], offline);
                        expect_at(&ev, "spec-invalid", ACTION_DENY, "/linux/namespaces/4/path",
                                  "is not an absolute path");
                        ck_assert_uint_eq(eval_verdict(&ev), VERDICT_DENY);
                        expect_none(&ev, "shared-namespace");
                }
        }
}
END_TEST

START_TEST(test_an_absolute_or_empty_path_is_judged_as_before)
{
        _cleanup_eval_ struct eval ev = eval_netns("", false); /* a new namespace */
        expect_none(&ev, "spec-invalid");
        expect_none(&ev, "host-namespace");
        eval_replace(&ev, eval_netns("/proc/self/ns/net", false));
        expect_none(&ev, "spec-invalid");
        expect_at(&ev, "host-namespace", ACTION_DENY, "/linux/namespaces/4/path", "joins the host's network");
}
END_TEST

/* --- paths that cannot be examined ---------------------------------------- */

START_TEST(test_a_missing_path_is_denied_online_and_a_warning_offline)
{
        _cleanup_eval_ struct eval ev = eval_netns("/nonexistent/netns", false);
        expect_at(&ev, "host-namespace", ACTION_DENY, "/linux/namespaces/4/path",
                  "cannot be examined (No such file or directory)");
        eval_replace(&ev, eval_netns("/nonexistent/netns", true));
        expect_at(&ev, "host-namespace", ACTION_WARN, "/linux/namespaces/4/path", "does not exist on this host");
}
END_TEST

START_TEST(test_a_path_that_loops_is_denied_saying_so_even_offline)
{
        char dir[] = "/tmp/rh-nsloop-XXXXXX", a[64], b[64];
        ck_assert_ptr_nonnull(mkdtemp(dir));
        snprintf(a, sizeof(a), "%s/a", dir);
        snprintf(b, sizeof(b), "%s/b", dir);
        ck_assert_int_eq(symlink(b, a), 0);
        ck_assert_int_eq(symlink(a, b), 0);
        for (int offline = 0; offline <= 1; offline++) {
                _cleanup_eval_ struct eval ev = eval_netns(a, offline);
                const struct finding *f = expect_at(&ev, "host-namespace", ACTION_DENY, "/linux/namespaces/4/path",
                                                    "Too many levels of symbolic links");
                ck_assert_ptr_null(strstr(f->message, "does not exist"));
        }
        unlink(a);
        unlink(b);
        rmdir(dir);
}
END_TEST

/* The namespace of a process with more capabilities than the checker
 * cannot be read (ptrace access mode): stat() fails with EACCES. Here the
 * checker is a child that dropped CAP_SYS_PTRACE, and the namespace is
 * the test's own. Its verdicts go back as the exit status. */
static int check_unreadable_in_child(bool offline)
{
        char path[64];
        snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)getppid());
        capng_get_caps_process();
        capng_update(CAPNG_DROP, CAPNG_EFFECTIVE | CAPNG_PERMITTED | CAPNG_BOUNDING_SET, CAP_SYS_PTRACE);
        if (capng_apply(CAPNG_SELECT_BOTH) < 0)
                return 10;
        struct stat st;
        if (stat(path, &st) == 0 || errno != EACCES)
                return 11; /* not unreadable after all */
        _cleanup_eval_ struct eval ev = eval_netns(path, offline);
        const struct finding *f = find(&ev, "host-namespace");
        int r = !f                                                   ? 12
                : f->action != ACTION_DENY                           ? 13
                : !strstr(f->message, "cannot be examined (Permission denied)") ? 14
                : strstr(f->message, "does not exist")               ? 15
                : eval_verdict(&ev) != VERDICT_DENY                  ? 16
                                                                     : 0;
        return r;
}

START_TEST(test_a_namespace_that_may_not_be_read_is_denied_as_permission_denied)
{
        for (int offline = 0; offline <= 1; offline++) {
                pid_t pid = fork();
                if (pid == 0)
                        _exit(check_unreadable_in_child(offline));
                int status;
                ck_assert_int_eq(waitpid(pid, &status, 0), pid);
                ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "offline=%d: child said %d", offline,
                              WEXITSTATUS(status));
        }
}
END_TEST

/* --- user namespaces that map host root ------------------------------------ */

#define USERNS_SPEC(uidmap, gidmap)                                                                                \
        "{\"linux\":{\"namespaces\":[" NS_ALL ",{\"type\":\"network\"},{\"type\":\"user\"}],"                     \
        "\"uidMappings\":[" uidmap "],\"gidMappings\":[" gidmap "]}}"

START_TEST(test_a_user_namespace_mapping_host_root_is_the_hosts_when_user_is_required)
{
        _cleanup_eval_ struct eval ev = eval_with(REQUIRE_USER,
                                   USERNS_SPEC("{\"containerID\":0,\"hostID\":0,\"size\":65536}",
                                               "{\"containerID\":0,\"hostID\":100000,\"size\":65536}"),
                                   false);
        expect_at(&ev, "host-namespace", ACTION_DENY, "/linux/uidMappings/0/hostID",
                  "maps host uid 0 into the container's user namespace");
        ck_assert_uint_eq(count_rule(&ev, "host-namespace"), 1);
        /* another container id mapped to host root: root can setuid to it */
        eval_replace(&ev, eval_with(REQUIRE_USER,
                                    USERNS_SPEC("{\"containerID\":0,\"hostID\":100000,\"size\":1000},"
                                                "{\"containerID\":1000,\"hostID\":0,\"size\":1}",
                                                "{\"containerID\":0,\"hostID\":100000,\"size\":65536}"),
                                    false));
        expect_at(&ev, "host-namespace", ACTION_DENY, "/linux/uidMappings/1/hostID", "in effect the host's");
        /* group root counts too */
        eval_replace(&ev, eval_with(REQUIRE_USER,
                                    USERNS_SPEC("{\"containerID\":0,\"hostID\":100000,\"size\":65536}",
                                                "{\"containerID\":0,\"hostID\":0,\"size\":1}"),
                                    false));
        expect_at(&ev, "host-namespace", ACTION_DENY, "/linux/gidMappings/0/hostID", "maps host gid 0");
}
END_TEST

START_TEST(test_a_user_namespace_mapped_elsewhere_passes)
{
        _cleanup_eval_ struct eval ev = eval_with(REQUIRE_USER,
                                   USERNS_SPEC("{\"containerID\":0,\"hostID\":100000,\"size\":65536}",
                                               "{\"containerID\":0,\"hostID\":100000,\"size\":65536}"),
                                   false);
        expect_none(&ev, "host-namespace");
        /* a range of size 0 maps nothing (the kernel refuses it anyway) */
        eval_replace(&ev, eval_with(REQUIRE_USER,
                                    USERNS_SPEC("{\"containerID\":0,\"hostID\":100000,\"size\":65536},"
                                                "{\"containerID\":70000,\"hostID\":0,\"size\":0}",
                                                "{\"containerID\":0,\"hostID\":100000,\"size\":65536}"),
                                    false));
        expect_none(&ev, "host-namespace");
}
END_TEST

START_TEST(test_without_user_required_a_host_root_mapping_is_no_host_namespace_finding)
{
        /* the default policy does not require a user namespace: the host's
         * is allowed, and so is one that is the host's in effect; root-user
         * speaks for it (test_rules_process.c) */
        _cleanup_eval_ struct eval ev = eval_with(NULL,
                                   USERNS_SPEC("{\"containerID\":0,\"hostID\":0,\"size\":65536}",
                                               "{\"containerID\":0,\"hostID\":0,\"size\":65536}"),
                                   false);
        expect_none(&ev, "host-namespace");
        /* and with user required but no user namespace at all, the old
         * finding stays */
        eval_replace(&ev, eval_with(REQUIRE_USER, "{\"linux\":{\"namespaces\":[" NS_ALL ",{\"type\":\"network\"}]}}", false));
        expect_at(&ev, "host-namespace", ACTION_DENY, "/linux/namespaces", "has no user namespace");
}
END_TEST

static Suite *namespaces_suite(void)
{
        Suite *s = suite_create("rules-namespaces");
        TCase *tc = tcase_create("host-namespace");
        tcase_add_test(tc, test_a_relative_namespace_path_is_spec_invalid);
        tcase_add_test(tc, test_an_absolute_or_empty_path_is_judged_as_before);
        tcase_add_test(tc, test_a_missing_path_is_denied_online_and_a_warning_offline);
        tcase_add_test(tc, test_a_path_that_loops_is_denied_saying_so_even_offline);
        tcase_add_test(tc, test_a_namespace_that_may_not_be_read_is_denied_as_permission_denied);
        tcase_add_test(tc, test_a_user_namespace_mapping_host_root_is_the_hosts_when_user_is_required);
        tcase_add_test(tc, test_a_user_namespace_mapped_elsewhere_passes);
        tcase_add_test(tc, test_without_user_required_a_host_root_mapping_is_no_host_namespace_finding);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(namespaces_suite)
