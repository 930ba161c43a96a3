/* SPDX-License-Identifier: GPL-2.0-or-later */
/* host-namespace and shared-namespace (policy/rules/namespaces.c): paths
 * that are not absolute, paths that cannot be examined, and user
 * namespaces that map host root. The test process stands in for the host:
 * /proc/1/ns may be out of reach in a sandbox, and runc-harden takes its
 * own namespaces for the host's as well. */
#include <cap-ng.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "nschild.h"
#include "testutil.h"
#include "util.h"

#define REQUIRE_USER                                                                                                   \
        "{\"version\":1,\"rules\":{\"host-namespace\":{\"params\":{\"required\":"                                      \
        "[\"network\",\"pid\",\"ipc\",\"uts\",\"mount\",\"user\"]}}}}"

/* A config.json under a policy document (NULL: the built-in policy). */
static struct eval eval_ns(const char *policy, const char *json, bool offline)
{
        return eval_with(NULL, json, (struct eval_opts){.policy = policy, .offline = offline, .bundle = NO_BUNDLE});
}

/* A spec with every required namespace and this network entry. */
static struct eval eval_netns(const char *path, bool offline)
{
        char json[4096];
        snprintf(json, sizeof(json),
                 "{\"linux\":{\"namespaces\":[" NS_NO_NET ",{\"type\":\"network\",\"path\":\"%s\"}]}}", path);
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
                "/proc/1/ns/net",
                "/proc/self/ns/net",
                "//proc/self/../self/ns//net",
                "/proc/thread-self/ns/net",
        };
        for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
                char e[128];
                snprintf(e, sizeof(e), "{\"type\":\"network\",\"path\":\"%s\"}", paths[i]);
                _cleanup_eval_ struct eval ev = eval_ns_entry(e);
                const struct finding *f = find(&ev, "host-namespace");
                ck_assert_msg(f && f->action == ACTION_DENY, "%s was not denied", paths[i]);
                ck_assert_str_eq(f->pointer, "/linux/namespaces/4/path");
                /* pid 1 may be out of reach in a sandbox: then the path
                 * cannot be examined, which denies as well. /proc/self
                 * and /proc/thread-self name runc init itself when it
                 * opens them: refused for that, whatever they name here. */
                if (strncmp(paths[i], "/proc/1/", 8) == 0)
                        ck_assert_msg(strstr(f->message, "joins the host's network namespace") ||
                                              strstr(f->message, "cannot be examined"),
                                      "%s: %s", paths[i], f->message);
                else
                        ck_assert_msg(strstr(f->message, "depends on the process that opens it"), "%s: %s", paths[i],
                                      f->message);
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
        _cleanup_eval_ struct eval ev = eval_with(p, "{\"linux\":{\"namespaces\":[{\"type\":\"network\"}]}}",
                                                  (struct eval_opts){.bundle = NO_BUNDLE});
        ck_assert_uint_eq(count_rule(&ev, "host-namespace"), 1);
        ck_assert_ptr_nonnull(strstr(find(&ev, "host-namespace")->message, "cgroup"));
}
END_TEST

START_TEST(test_required_namespaces_accept_proc_aliases)
{
        const char *pol =
                "{\"version\":1,\"rules\":{\"host-namespace\":{\"params\":{\"required\":[\"net\",\"mnt\"]}}}}";
        _cleanup_eval_ struct eval ev =
                eval_ns(pol, "{\"linux\":{\"namespaces\":[{\"type\":\"network\"},{\"type\":\"mount\"}]}}", false);
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
                eval_ns(NULL,
                        "{\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"ipc\"},{\"type\":\"mount\"},"
                        "{\"type\":\"network\"},{\"type\":\"uts\",\"path\":\"/proc/self/ns/../ns//uts\"}]}}",
                        false);
        const struct finding *f = expect(&ev, "host-namespace", ACTION_DENY, NULL, NULL);
        ck_assert_str_eq(f->pointer, "/linux/namespaces/4/path");
        /* through /proc/self: refused, runc init would open its own
         * (the same spelling through /proc/<pid>: further down) */
        ck_assert_ptr_nonnull(strstr(f->message, "depends on the process that opens it"));
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
                        expect(&ev, "spec-invalid", ACTION_DENY, "/linux/namespaces/4/path", "is not an absolute path");
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
        /* the test process stands in for the host (/proc/self would be
         * runc init's own: test_process_relative_paths_are_refused) */
        char path[64];
        snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)getpid());
        eval_replace(&ev, eval_netns(path, false));
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
        char dir[] = "/tmp/rh-nsloop-XXXXXX", a[64], b[64], path[80];
        ck_assert_ptr_nonnull(mkdtemp(dir));
        snprintf(a, sizeof(a), "%s/a", dir);
        snprintf(b, sizeof(b), "%s/b", dir);
        ck_assert_int_eq(symlink(b, a), 0);
        ck_assert_int_eq(symlink(a, b), 0);
        /* the loop before the last component: a final link is refused
         * as such (test_a_final_symbolic_link_is_refused) */
        snprintf(path, sizeof(path), "%s/ns", a);
        for (int offline = 0; offline <= 1; offline++) {
                _cleanup_eval_ struct eval ev = eval_netns(path, offline);
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
        int r = !f                                                              ? 12
                : f->action != ACTION_DENY                                      ? 13
                : !strstr(f->message, "cannot be examined (Permission denied)") ? 14
                : strstr(f->message, "does not exist")                          ? 15
                : eval_verdict(&ev) != VERDICT_DENY                             ? 16
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

#define USERNS_SPEC(uidmap, gidmap)                                                                                    \
        "{\"linux\":{\"namespaces\":[" NS_NO_NET ",{\"type\":\"network\"},{\"type\":\"user\"}],"                       \
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
         * speaks for it (test_rules_root_user.c) */
        _cleanup_eval_ struct eval ev = eval_ns(NULL,
                                                USERNS_SPEC("{\"containerID\":0,\"hostID\":0,\"size\":65536}",
                                                            "{\"containerID\":0,\"hostID\":0,\"size\":65536}"),
                                                false);
        expect_none(&ev, "host-namespace");
        /* and with user required but no user namespace at all, the old
         * finding stays */
        eval_replace(&ev, eval_ns(REQUIRE_USER, "{\"linux\":{\"namespaces\":[" NS_NO_NET ",{\"type\":\"network\"}]}}",
                                  false));
        expect(&ev, "host-namespace", ACTION_DENY, "/linux/namespaces", "has no user namespace");
}
END_TEST

/* --- paths judged as runc init opens them --------------------------------- */

/* runc init opens a namespace path from its own process, with the
 * container's root file system as its working directory: a path that
 * goes through /proc/self, /proc/thread-self, /dev/fd or a magic link of
 * /proc/<pid> names other files for it than for runc-harden. */
START_TEST(test_process_relative_paths_are_refused)
{
        char dir[] = "/tmp/rh-nscwd-XXXXXX", file[64], p[16][128];
        /* the magic links (cwd, root, fd/N) and the links that name the
         * process (self, thread-self, /dev/fd) alike */
        const char *magic = "goes through /proc other than as /proc/<pid>/ns/<type>",
                   *proc = "depends on the process that opens it";
        const char *why[16];
        size_t n = 0;
        int pid = (int)getpid();
        ck_assert_ptr_nonnull(mkdtemp(dir));
        snprintf(file, sizeof(file), "%s/ns-net", dir);
        write_file(file, "", 0644);
        ck_assert_int_eq(chdir(dir), 0); /* ns-net is a plain file from here */
        _cleanup_close_ int nsfd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
        ck_assert_int_ge(nsfd, 0);
#define ADD(w, ...) (snprintf(p[n], sizeof(p[n]), __VA_ARGS__), why[n++] = (w))
        ADD(magic, "/proc/self/cwd/ns-net");
        ADD(magic, "/proc/%d/cwd/ns-net", pid);
        ADD(magic, "/proc/thread-self/cwd/ns-net");
        ADD(magic, "/dev/fd/../cwd/ns-net");
        ADD(magic, "/proc/%d/root%s", pid, file);
        ADD(magic, "/proc/%d/root/proc/%d/ns/net", pid, pid);
        ADD(magic, "/proc/self/fd/%d/x", nsfd);
        ADD(proc, "/proc/self/ns/net");
        ADD(proc, "/proc/thread-self/ns/net");
        ADD(proc, "/proc/self/fd/%d", nsfd);
        ADD(proc, "/dev/fd/%d", nsfd);
        ADD(proc, "/proc/%d/task/%d/ns/net", pid, pid);
        ADD(proc, "/proc/%d/fd/%d", pid, nsfd);
        ADD(proc, "/proc/self/../%d/ns/net", pid);
#undef ADD
        for (size_t i = 0; i < n; i++)
                for (int offline = 0; offline <= 1; offline++) {
                        _cleanup_eval_ struct eval ev = eval_netns(p[i], offline);
                        const struct finding *f =
                                expect(&ev, "host-namespace", ACTION_DENY, "/linux/namespaces/4/path", why[i]);
                        ck_assert_msg(strstr(f->message, p[i]), "%s", f->message);
                        ck_assert_uint_eq(eval_verdict(&ev), VERDICT_DENY);
                        expect_none(&ev, "shared-namespace");
                }
        ck_assert_int_eq(chdir("/"), 0);
        unlink(file);
        rmdir(dir);
}
END_TEST

START_TEST(test_a_final_symbolic_link_is_refused)
{
        char dir[] = "/tmp/rh-nslink-XXXXXX", link[64], target[64];
        ck_assert_ptr_nonnull(mkdtemp(dir));
        snprintf(link, sizeof(link), "%s/net", dir);
        snprintf(target, sizeof(target), "/proc/%d/ns/net", (int)getpid());
        ck_assert_int_eq(symlink(target, link), 0);
        for (int offline = 0; offline <= 1; offline++) {
                _cleanup_eval_ struct eval ev = eval_netns(link, offline);
                expect(&ev, "host-namespace", ACTION_DENY, "/linux/namespaces/4/path", "ends in a symbolic link");
        }
        unlink(link);
        rmdir(dir);
}
END_TEST

START_TEST(test_a_file_that_is_not_a_namespace_is_refused)
{
        char dir[] = "/tmp/rh-nsfile-XXXXXX", file[64];
        ck_assert_ptr_nonnull(mkdtemp(dir));
        snprintf(file, sizeof(file), "%s/netns", dir);
        write_file(file, "", 0644);
        _cleanup_eval_ struct eval ev = eval_netns(file, false);
        expect(&ev, "host-namespace", ACTION_DENY, "/linux/namespaces/4/path", "does not name a namespace");
        /* nor a directory, nor a path that ends in ".." */
        eval_replace(&ev, eval_netns(dir, false));
        expect(&ev, "host-namespace", ACTION_DENY, "/linux/namespaces/4/path", "does not name a namespace");
        char up[80];
        snprintf(up, sizeof(up), "/proc/%d/ns/..", (int)getpid());
        eval_replace(&ev, eval_netns(up, false));
        expect(&ev, "host-namespace", ACTION_DENY, "/linux/namespaces/4/path", "does not end in the name");
        unlink(file);
        rmdir(dir);
}
END_TEST

START_TEST(test_a_namespace_of_another_type_is_refused)
{
        char path[64];
        snprintf(path, sizeof(path), "/proc/%d/ns/ipc", (int)getpid());
        _cleanup_eval_ struct eval ev = eval_netns(path, false);
        expect(&ev, "host-namespace", ACTION_DENY, "/linux/namespaces/4/path", "is not a network namespace");
}
END_TEST

START_TEST(test_engine_paths_are_judged_as_before)
{
        char dir[] = "/tmp/rh-nsrun-XXXXXX", p[160];
        private_mounts();
        ck_assert_ptr_nonnull(mkdtemp(dir));
        /* podman's /run/netns/…, the CRI plugin's /var/run/netns/… where
         * /var/run is a symbolic link to /run */
        snprintf(p, sizeof(p), "%s/run", dir);
        ck_assert_int_eq(mkdir(p, 0755), 0);
        snprintf(p, sizeof(p), "%s/run/netns", dir);
        ck_assert_int_eq(mkdir(p, 0755), 0);
        snprintf(p, sizeof(p), "%s/var", dir);
        ck_assert_int_eq(mkdir(p, 0755), 0);
        snprintf(p, sizeof(p), "%s/var/run", dir);
        ck_assert_int_eq(symlink("../run", p), 0);
        snprintf(p, sizeof(p), "%s/run/netns/cni-1", dir);
        write_file(p, "", 0644);
        struct nschild c = nschild_spawn(CLONE_NEWNET);
        char src[64];
        snprintf(src, sizeof(src), "/proc/%d/ns/net", (int)c.pid);
        ck_assert_int_eq(mount(src, p, NULL, MS_BIND, NULL), 0);
        /* by /proc/<pid>/ns: shared-namespace's to judge, not refused */
        _cleanup_eval_ struct eval ev = eval_netns(src, false);
        expect_none(&ev, "host-namespace");
        expect(&ev, "shared-namespace", ACTION_WARN, "/linux/namespaces/4/path", "running process");
        nschild_release(&c);
        /* the bind-mounted file, held by no process, through the link */
        snprintf(p, sizeof(p), "%s/var/run/netns/cni-1", dir);
        eval_replace(&ev, eval_netns(p, false));
        expect_none(&ev, "host-namespace");
        expect_none(&ev, "shared-namespace");
        /* the host's, spelled oddly but through /proc/<pid>/ns */
        snprintf(p, sizeof(p), "//proc/./%d/ns/../ns//net", (int)getpid());
        eval_replace(&ev, eval_netns(p, false));
        expect(&ev, "host-namespace", ACTION_DENY, "/linux/namespaces/4/path", "--net=host");
}
END_TEST

/* --- joined user namespaces are judged by their own maps ------------------ */

#define JOIN_USERNS_SPEC                                                                                               \
        "{\"linux\":{\"namespaces\":[" NS_ALL ",{\"type\":\"user\",\"path\":\"%s\"}],"                                 \
        "\"uidMappings\":[{\"containerID\":0,\"hostID\":100000,\"size\":65536}],"                                      \
        "\"gidMappings\":[{\"containerID\":0,\"hostID\":100000,\"size\":65536}]}}"

static struct eval eval_join_userns(const char *policy, const char *path)
{
        char json[1024];
        snprintf(json, sizeof(json), JOIN_USERNS_SPEC, path);
        return eval_ns(policy, json, false);
}

START_TEST(test_a_joined_user_namespace_mapping_host_root_is_the_hosts)
{
        char path[64];
        /* the spec's own mappings (100000…) are not what runc applies */
        struct nschild c = nschild_userns("0 0 65536", "0 0 65536");
        snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)c.pid);
        _cleanup_eval_ struct eval ev = eval_join_userns(REQUIRE_USER, path);
        expect(&ev, "host-namespace", ACTION_DENY, "/linux/namespaces/5/path", "whose uid_map maps host uid 0");
        nschild_release(&c);
        /* another id mapped to host root, and group root alone */
        c = nschild_userns("0 100000 1000\n1000 0 1", "0 100000 65536");
        snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)c.pid);
        eval_replace(&ev, eval_join_userns(REQUIRE_USER, path));
        expect(&ev, "host-namespace", ACTION_DENY, "/linux/namespaces/5/path", "uid_map maps host uid 0");
        nschild_release(&c);
        c = nschild_userns("0 100000 65536", "0 0 1");
        snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)c.pid);
        eval_replace(&ev, eval_join_userns(REQUIRE_USER, path));
        expect(&ev, "host-namespace", ACTION_DENY, "/linux/namespaces/5/path", "gid_map maps host gid 0");
        /* without user required, the host's user namespace is allowed,
         * and so is one that is the host's in effect (root-user speaks) */
        eval_replace(&ev, eval_join_userns(NULL, path));
        expect_none(&ev, "host-namespace");
        nschild_release(&c);
}
END_TEST

START_TEST(test_a_joined_user_namespace_mapped_elsewhere_passes)
{
        char path[64];
        struct nschild c = nschild_userns("0 100000 65536", "0 100000 65536");
        snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)c.pid);
        _cleanup_eval_ struct eval ev = eval_join_userns(REQUIRE_USER, path);
        expect_none(&ev, "host-namespace");
        nschild_release(&c);
}
END_TEST

START_TEST(test_a_joined_user_namespace_without_maps_is_refused)
{
        char path[64];
        /* whoever holds it could still write "0 0 1" after the check */
        struct nschild c = nschild_userns(NULL, NULL);
        snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)c.pid);
        _cleanup_eval_ struct eval ev = eval_join_userns(REQUIRE_USER, path);
        expect(&ev, "host-namespace", ACTION_DENY, "/linux/namespaces/5/path", "that has no uid_map yet");
        nschild_release(&c);
        c = nschild_userns("0 100000 65536", NULL);
        snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)c.pid);
        eval_replace(&ev, eval_join_userns(REQUIRE_USER, path));
        expect(&ev, "host-namespace", ACTION_DENY, "/linux/namespaces/5/path", "that has no gid_map yet");
        nschild_release(&c);
}
END_TEST

/* A user namespace held by a bind mount alone, with no process in it:
 * its maps are read by joining it. */
START_TEST(test_a_bind_mounted_user_namespace_is_read_by_joining_it)
{
        char dir[] = "/tmp/rh-nsuser-XXXXXX", file[64], src[64];
        private_mounts();
        ck_assert_ptr_nonnull(mkdtemp(dir));
        snprintf(file, sizeof(file), "%s/userns", dir);
        write_file(file, "", 0644);
        struct nschild c = nschild_userns("0 0 4294967295", "0 100000 65536");
        snprintf(src, sizeof(src), "/proc/%d/ns/user", (int)c.pid);
        ck_assert_int_eq(mount(src, file, NULL, MS_BIND, NULL), 0);
        nschild_release(&c);
        _cleanup_eval_ struct eval ev = eval_join_userns(REQUIRE_USER, file);
        expect(&ev, "host-namespace", ACTION_DENY, "/linux/namespaces/5/path", "uid_map maps host uid 0");
        c = nschild_userns("0 200000 65536", "0 200000 65536");
        snprintf(src, sizeof(src), "/proc/%d/ns/user", (int)c.pid);
        ck_assert_int_eq(mount(src, file, NULL, MS_BIND, NULL), 0);
        nschild_release(&c);
        eval_replace(&ev, eval_join_userns(REQUIRE_USER, file));
        expect_none(&ev, "host-namespace");
}
END_TEST

/* --- shared-namespace --------------------------------------------------- */

START_TEST(test_joining_a_namespace_another_process_uses_warns)
{
        struct nschild c = nschild_spawn(CLONE_NEWNET);
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
        nschild_release(&c);
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
        struct nschild c = nschild_spawn(CLONE_NEWNET);
        snprintf(src, sizeof(src), "/proc/%d/ns/net", (int)c.pid);
        ck_assert_int_eq(mount(src, nsfile, NULL, MS_BIND, NULL), 0);
        nschild_release(&c);
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
        tcase_add_test(tc, test_process_relative_paths_are_refused);
        tcase_add_test(tc, test_a_final_symbolic_link_is_refused);
        tcase_add_test(tc, test_a_file_that_is_not_a_namespace_is_refused);
        tcase_add_test(tc, test_a_namespace_of_another_type_is_refused);
        tcase_add_test(tc, test_engine_paths_are_judged_as_before);
        tcase_add_test(tc, test_a_joined_user_namespace_mapping_host_root_is_the_hosts);
        tcase_add_test(tc, test_a_joined_user_namespace_mapped_elsewhere_passes);
        tcase_add_test(tc, test_a_joined_user_namespace_without_maps_is_refused);
        tcase_add_test(tc, test_a_bind_mounted_user_namespace_is_read_by_joining_it);
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
