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

#define REQUIRE_USER                                                                                               \
        "{\"version\":1,\"rules\":{\"host-namespace\":{\"params\":{\"required\":"                                 \
        "[\"network\",\"pid\",\"ipc\",\"uts\",\"mount\",\"user\"]}}}}"

/* A config.json under a policy document (NULL: the built-in policy). */
static struct eval eval_ns(const char *policy, const char *json, bool offline)
{
        return eval_with(NULL, json, (struct eval_opts){.policy = policy, .offline = offline, .bundle = NO_BUNDLE});
}

/* A spec with every required namespace and this network entry. */
static struct eval eval_netns(const char *path, bool offline)
{
        char json[512];
        snprintf(json, sizeof(json), "{\"linux\":{\"namespaces\":[" NS_NO_NET ",{\"type\":\"network\",\"path\":\"%s\"}]}}",
                 path);
        return eval_ns(NULL, json, offline);
}

/* A spec with every namespace but the network one, then entry (a JSON
 * object, or "" for none). */
static struct eval eval_ns_entry(const char *entry)
{
        char json[512];
        snprintf(json, sizeof(json), "{\"linux\":{\"namespaces\":[" NS_NO_NET "%s%s]}}", *entry ? "," : "", entry);
        return eval_ns(NULL, json, false);
}

/* A child in a new network namespace, until released. */
struct nschild {
        pid_t pid;
        int release;
};

static struct nschild spawn_netns_child(void)
{
        int go[2], ready[2];
        ck_assert_int_eq(pipe(go), 0);
        ck_assert_int_eq(pipe(ready), 0);
        pid_t pid = fork();
        if (pid == 0) {
                char c;
                close(go[1]);
                close(ready[0]);
                if (unshare(CLONE_NEWNET) < 0)
                        _exit(1);
                if (write(ready[1], "x", 1) != 1 || read(go[0], &c, 1) < 0)
                        _exit(1);
                _exit(0);
        }
        char c;
        close(go[0]);
        close(ready[1]);
        ck_assert_int_eq(read(ready[0], &c, 1), 1);
        close(ready[0]);
        return (struct nschild){pid, go[1]};
}

static void release_child(struct nschild *c)
{
        int status;
        close(c->release);
        waitpid(c->pid, &status, 0);
        ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* --- host-namespace: which namespaces, and the host's by any path ------- */

START_TEST(test_missing_network_namespace_is_denied)
{
        _cleanup_eval_ struct eval ev = eval_ns_entry("");
        const struct finding *f = find(&ev, "host-namespace");
        ck_assert_ptr_nonnull(f);
        ck_assert_int_eq(f->action, ACTION_DENY);
        ck_assert_str_eq(f->pointer, "/linux/namespaces");
        ck_assert_ptr_nonnull(strstr(f->message, "network"));
}
END_TEST

START_TEST(test_host_network_namespace_by_any_path_is_denied)
{
        static const char *const paths[] = {
                "/proc/1/ns/net", "/proc/self/ns/net", "//proc/self/../self/ns//net", "/proc/thread-self/ns/net",
        };
        for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
                char e[128];
                snprintf(e, sizeof(e), "{\"type\":\"network\",\"path\":\"%s\"}", paths[i]);
                _cleanup_eval_ struct eval ev = eval_ns_entry(e);
                const struct finding *f = find(&ev, "host-namespace");
                ck_assert_msg(f && f->action == ACTION_DENY, "%s was not denied", paths[i]);
                ck_assert_str_eq(f->pointer, "/linux/namespaces/4/path");
                /* pid 1 may be out of reach in a sandbox: then the path
                 * cannot be examined, which denies as well. */
                ck_assert_msg(strstr(f->message, "joins the host's network namespace") ||
                                      (strncmp(paths[i], "/proc/1/", 8) == 0 && strstr(f->message, "cannot be examined")),
                              "%s: %s", paths[i], f->message);
        }
}
END_TEST

START_TEST(test_symlink_to_the_host_namespace_is_denied)
{
        char link[] = "/tmp/rh-nslink-XXXXXX";
        int fd = mkstemp(link);
        close(fd);
        unlink(link);
        ck_assert_int_eq(symlink("/proc/1/ns/net", link), 0);
        char e[128];
        snprintf(e, sizeof(e), "{\"type\":\"network\",\"path\":\"%s\"}", link);
        _cleanup_eval_ struct eval ev = eval_ns_entry(e);
        ck_assert_ptr_nonnull(find(&ev, "host-namespace"));
        unlink(link);
}
END_TEST

START_TEST(test_another_network_namespace_is_not_the_host)
{
        int pipefd[2];
        ck_assert_int_eq(pipe(pipefd), 0);
        pid_t pid = fork();
        if (pid == 0) {
                char c;
                if (unshare(CLONE_NEWNET) < 0)
                        _exit(1);
                close(pipefd[1]);
                if (read(pipefd[0], &c, 1) < 0)
                        _exit(1);
                _exit(0);
        }
        close(pipefd[0]);
        usleep(100000);
        char e[128];
        snprintf(e, sizeof(e), "{\"type\":\"network\",\"path\":\"/proc/%d/ns/net\"}", pid);
        _cleanup_eval_ struct eval ev = eval_ns_entry(e);
        ck_assert_ptr_null(find(&ev, "host-namespace"));
        close(pipefd[1]);
        int status;
        waitpid(pid, &status, 0);
        ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}
END_TEST

START_TEST(test_a_namespace_path_that_does_not_exist_is_denied)
{
        _cleanup_eval_ struct eval ev = eval_ns_entry("{\"type\":\"network\",\"path\":\"/nonexistent/netns\"}");
        const struct finding *f = find(&ev, "host-namespace");
        ck_assert(f && f->action == ACTION_DENY);
        ck_assert_ptr_nonnull(strstr(f->message, "cannot be examined"));
}
END_TEST

START_TEST(test_unknown_or_repeated_namespace_types_are_spec_invalid)
{
        _cleanup_eval_ struct eval ev = eval_ns_entry("{\"type\":\"net\"}");
        ck_assert_ptr_nonnull(find(&ev, "spec-invalid"));
        eval_replace(&ev, eval_ns_entry("{\"type\":\"network\"},{\"type\":\"pid\"}"));
        const struct finding *f = find(&ev, "spec-invalid");
        ck_assert(f && strstr(f->message, "listed twice"));
}
END_TEST

START_TEST(test_required_namespaces_are_a_parameter)
{
        _cleanup_policy_ struct policy *p = policy_from("{\"version\":1,\"rules\":{\"host-namespace\":{\"params\":"
                                       "{\"required\":[\"network\",\"cgroup\"]}}}}");
        _cleanup_eval_ struct eval ev = eval_with(p, "{\"linux\":{\"namespaces\":[{\"type\":\"network\"}]}}", (struct eval_opts){.bundle = NO_BUNDLE});
        ck_assert_uint_eq(count_rule(&ev, "host-namespace"), 1);
        ck_assert_ptr_nonnull(strstr(find(&ev, "host-namespace")->message, "cgroup"));
}
END_TEST

START_TEST(test_required_namespaces_accept_proc_aliases)
{
        const char *pol =
                "{\"version\":1,\"rules\":{\"host-namespace\":{\"params\":{\"required\":[\"net\",\"mnt\"]}}}}";
        _cleanup_eval_ struct eval ev = eval_ns(pol, "{\"linux\":{\"namespaces\":[{\"type\":\"network\"},{\"type\":\"mount\"}]}}", false);
        expect_none(&ev, "host-namespace");
        eval_replace(&ev, eval_ns(pol, "{\"linux\":{\"namespaces\":[{\"type\":\"network\"}]}}", false));
        const struct finding *f = expect(&ev, "host-namespace", ACTION_DENY, NULL, NULL);
        ck_assert_ptr_nonnull(strstr(f->message, "no mount namespace"));
}
END_TEST

START_TEST(test_unknown_required_namespace_type_warns)
{
        _cleanup_eval_ struct eval ev =
                eval_ns("{\"version\":1,\"rules\":{\"host-namespace\":{\"params\":{\"required\":[\"netz\"]}}}}",
                            "{\"linux\":{\"namespaces\":[" NS_ALL "]}}", false);
        const struct finding *f = expect(&ev, "host-namespace", ACTION_WARN, NULL, NULL);
        ck_assert_ptr_nonnull(strstr(f->message, "netz"));
}
END_TEST

START_TEST(test_user_and_cgroup_namespaces_are_required_only_when_the_policy_says)
{
        _cleanup_eval_ struct eval ev = eval_ns(NULL, "{\"linux\":{\"namespaces\":[" NS_ALL "]}}", false);
        expect_none(&ev, "host-namespace");
        eval_replace(&ev, eval_ns("{\"version\":1,\"rules\":{\"host-namespace\":{\"params\":{\"required\":"
                                      "[\"network\",\"pid\",\"ipc\",\"uts\",\"mount\",\"user\",\"cgroup\"]}}}}",
                                      "{\"linux\":{\"namespaces\":[" NS_ALL "]}}", false));
        ck_assert_uint_eq(count_rule(&ev, "host-namespace"), 2);
        ck_assert_ptr_nonnull(strstr(find(&ev, "host-namespace")->message, "--userns=host"));
}
END_TEST

START_TEST(test_host_uts_namespace_through_dot_dot_is_denied)
{
        _cleanup_eval_ struct eval ev =
                eval_ns(NULL, "{\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"ipc\"},{\"type\":\"mount\"},"
                          "{\"type\":\"network\"},{\"type\":\"uts\",\"path\":\"/proc/self/ns/../ns//uts\"}]}}", false);
        const struct finding *f = expect(&ev, "host-namespace", ACTION_DENY, NULL, NULL);
        ck_assert_str_eq(f->pointer, "/linux/namespaces/4/path");
        ck_assert_ptr_nonnull(strstr(f->message, "--uts=host"));
        expect_none(&ev, "shared-namespace");
}
END_TEST

/* --- paths must be absolute ---------------------------------------------- */

START_TEST(test_a_relative_namespace_path_is_spec_invalid)
{
        static const char *const paths[] = {"proc/1/ns/net", "./nsx", "../../../proc/self/ns/net", "nsx",
                                            "proc/self/ns/net"};
        for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
                for (int offline = 0; offline <= 1; offline++) {
                        _cleanup_eval_ struct eval ev = eval_netns(paths[i], offline);
                        expect(&ev, "spec-invalid", ACTION_DENY, "/linux/namespaces/4/path",
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
        expect(&ev, "host-namespace", ACTION_DENY, "/linux/namespaces/4/path", "joins the host's network");
}
END_TEST

/* --- paths that cannot be examined ---------------------------------------- */

START_TEST(test_a_missing_path_is_denied_online_and_a_warning_offline)
{
        _cleanup_eval_ struct eval ev = eval_netns("/nonexistent/netns", false);
        expect(&ev, "host-namespace", ACTION_DENY, "/linux/namespaces/4/path",
                  "cannot be examined (No such file or directory)");
        eval_replace(&ev, eval_netns("/nonexistent/netns", true));
        expect(&ev, "host-namespace", ACTION_WARN, "/linux/namespaces/4/path", "does not exist on this host");
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
                const struct finding *f = expect(&ev, "host-namespace", ACTION_DENY, "/linux/namespaces/4/path",
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
        "{\"linux\":{\"namespaces\":[" NS_NO_NET ",{\"type\":\"network\"},{\"type\":\"user\"}],"                     \
        "\"uidMappings\":[" uidmap "],\"gidMappings\":[" gidmap "]}}"

START_TEST(test_a_user_namespace_mapping_host_root_is_the_hosts_when_user_is_required)
{
        _cleanup_eval_ struct eval ev = eval_ns(REQUIRE_USER,
                                   USERNS_SPEC("{\"containerID\":0,\"hostID\":0,\"size\":65536}",
                                               "{\"containerID\":0,\"hostID\":100000,\"size\":65536}"),
                                   false);
        expect(&ev, "host-namespace", ACTION_DENY, "/linux/uidMappings/0/hostID",
                  "maps host uid 0 into the container's user namespace");
        ck_assert_uint_eq(count_rule(&ev, "host-namespace"), 1);
        /* another container id mapped to host root: root can setuid to it */
        eval_replace(&ev, eval_ns(REQUIRE_USER,
                                    USERNS_SPEC("{\"containerID\":0,\"hostID\":100000,\"size\":1000},"
                                                "{\"containerID\":1000,\"hostID\":0,\"size\":1}",
                                                "{\"containerID\":0,\"hostID\":100000,\"size\":65536}"),
                                    false));
        expect(&ev, "host-namespace", ACTION_DENY, "/linux/uidMappings/1/hostID", "in effect the host's");
        /* group root counts too */
        eval_replace(&ev, eval_ns(REQUIRE_USER,
                                    USERNS_SPEC("{\"containerID\":0,\"hostID\":100000,\"size\":65536}",
                                                "{\"containerID\":0,\"hostID\":0,\"size\":1}"),
                                    false));
        expect(&ev, "host-namespace", ACTION_DENY, "/linux/gidMappings/0/hostID", "maps host gid 0");
}
END_TEST

START_TEST(test_a_user_namespace_mapped_elsewhere_passes)
{
        _cleanup_eval_ struct eval ev = eval_ns(REQUIRE_USER,
                                   USERNS_SPEC("{\"containerID\":0,\"hostID\":100000,\"size\":65536}",
                                               "{\"containerID\":0,\"hostID\":100000,\"size\":65536}"),
                                   false);
        expect_none(&ev, "host-namespace");
        /* a range of size 0 maps nothing (the kernel refuses it anyway) */
        eval_replace(&ev, eval_ns(REQUIRE_USER,
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
        _cleanup_eval_ struct eval ev = eval_ns(NULL,
                                   USERNS_SPEC("{\"containerID\":0,\"hostID\":0,\"size\":65536}",
                                               "{\"containerID\":0,\"hostID\":0,\"size\":65536}"),
                                   false);
        expect_none(&ev, "host-namespace");
        /* and with user required but no user namespace at all, the old
         * finding stays */
        eval_replace(&ev, eval_ns(REQUIRE_USER, "{\"linux\":{\"namespaces\":[" NS_NO_NET ",{\"type\":\"network\"}]}}", false));
        expect(&ev, "host-namespace", ACTION_DENY, "/linux/namespaces", "has no user namespace");
}
END_TEST

/* --- shared-namespace --------------------------------------------------- */

START_TEST(test_joining_a_namespace_another_process_uses_warns)
{
        struct nschild c = spawn_netns_child();
        char path[64], odd[96], pidstr[32];
        snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)c.pid);
        snprintf(odd, sizeof(odd), "//proc/./%d/ns/../ns/net", (int)c.pid);
        snprintf(pidstr, sizeof(pidstr), "process %d", (int)c.pid);
        const char *spellings[] = {path, odd};
        for (size_t i = 0; i < ARRAY_SIZE(spellings); i++) {
                _cleanup_eval_ struct eval ev = eval_netns(spellings[i], false);
                const struct finding *f = expect(&ev, "shared-namespace", ACTION_WARN, NULL, NULL);
                ck_assert_str_eq(f->pointer, "/linux/namespaces/4/path");
                ck_assert_msg(strstr(f->message, pidstr), "%s", f->message);
                expect_none(&ev, "host-namespace");
        }
        release_child(&c);
}
END_TEST

START_TEST(test_a_fresh_engine_made_namespace_is_not_sharing)
{
        char nsfile[128], link[128], src[64];
        private_mounts();
        make_tmpdir();
        /* What podman and CNI do: an nsfs file bind-mounted under a run
         * directory, with no process in it yet. */
        snprintf(nsfile, sizeof(nsfile), "%s/netns-1", tmpdir);
        write_file(nsfile, "", 0644);
        struct nschild c = spawn_netns_child();
        snprintf(src, sizeof(src), "/proc/%d/ns/net", (int)c.pid);
        ck_assert_int_eq(mount(src, nsfile, NULL, MS_BIND, NULL), 0);
        release_child(&c);
        snprintf(link, sizeof(link), "%s/netns-link", tmpdir);
        ck_assert_int_eq(symlink(nsfile, link), 0);
        _cleanup_eval_ struct eval ev = eval_netns(nsfile, false);
        expect_none(&ev, "shared-namespace");
        expect_none(&ev, "host-namespace");
        eval_replace(&ev, eval_netns(link, false));
        expect_none(&ev, "shared-namespace");
        ck_assert_int_eq(umount(nsfile), 0);
}
END_TEST

START_TEST(test_namespaces_without_paths_share_nothing)
{
        _cleanup_eval_ struct eval ev = eval_corpus("docker/default.json", false);
        expect_none(&ev, "shared-namespace");
        expect_none(&ev, "host-namespace");
}
END_TEST

static Suite *rules_namespaces_suite(void)
{
        Suite *s = suite_create("rules-namespaces");
        TCase *tc;

        tc = tcase_create("host-namespace");
        tcase_add_test(tc, test_missing_network_namespace_is_denied);
        tcase_add_test(tc, test_host_network_namespace_by_any_path_is_denied);
        tcase_add_test(tc, test_symlink_to_the_host_namespace_is_denied);
        tcase_add_test(tc, test_another_network_namespace_is_not_the_host);
        tcase_add_test(tc, test_a_namespace_path_that_does_not_exist_is_denied);
        tcase_add_test(tc, test_unknown_or_repeated_namespace_types_are_spec_invalid);
        tcase_add_test(tc, test_required_namespaces_are_a_parameter);
        tcase_add_test(tc, test_required_namespaces_accept_proc_aliases);
        tcase_add_test(tc, test_unknown_required_namespace_type_warns);
        tcase_add_test(tc, test_user_and_cgroup_namespaces_are_required_only_when_the_policy_says);
        tcase_add_test(tc, test_host_uts_namespace_through_dot_dot_is_denied);
        tcase_add_test(tc, test_a_relative_namespace_path_is_spec_invalid);
        tcase_add_test(tc, test_an_absolute_or_empty_path_is_judged_as_before);
        tcase_add_test(tc, test_a_missing_path_is_denied_online_and_a_warning_offline);
        tcase_add_test(tc, test_a_path_that_loops_is_denied_saying_so_even_offline);
        tcase_add_test(tc, test_a_namespace_that_may_not_be_read_is_denied_as_permission_denied);
        tcase_add_test(tc, test_a_user_namespace_mapping_host_root_is_the_hosts_when_user_is_required);
        tcase_add_test(tc, test_a_user_namespace_mapped_elsewhere_passes);
        tcase_add_test(tc, test_without_user_required_a_host_root_mapping_is_no_host_namespace_finding);
        suite_add_tcase(s, tc);

        tc = tcase_create("shared-namespace");
        tcase_add_checked_fixture(tc, NULL, remove_tmpdir);
        tcase_add_test(tc, test_joining_a_namespace_another_process_uses_warns);
        tcase_add_test(tc, test_a_fresh_engine_made_namespace_is_not_sharing);
        tcase_add_test(tc, test_namespaces_without_paths_share_nothing);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(rules_namespaces_suite)
