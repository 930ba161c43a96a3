/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "host.h"
#include "testutil.h"

#define NS_ALL "{\"type\":\"pid\"},{\"type\":\"ipc\"},{\"type\":\"uts\"},{\"type\":\"mount\"}"

static struct eval check_json(struct policy *p, const char *json)
{
        struct spec *s = parse_spec(json);
        struct eval ev = {0};
        s->bundle = strdup("/bundle");
        evaluate(p, s, CHECK_CONFIG, &ev);
        spec_free(s);
        return ev;
}

static struct eval check_netns(const char *netns_entry)
{
        char json[512];
        struct policy *p = builtin_policy();
        snprintf(json, sizeof(json), "{\"linux\":{\"namespaces\":[" NS_ALL "%s%s]}}", *netns_entry ? "," : "",
                 netns_entry);
        struct eval ev = check_json(p, json);
        policy_free(p);
        return ev;
}

START_TEST(test_missing_network_namespace_is_denied)
{
        struct eval ev = check_netns("");
        const struct finding *f = find(&ev, "host-namespace");
        ck_assert_ptr_nonnull(f);
        ck_assert_int_eq(f->action, ACTION_DENY);
        ck_assert_str_eq(f->pointer, "/linux/namespaces");
        ck_assert_ptr_nonnull(strstr(f->message, "network"));
        eval_done(&ev);
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
                struct eval ev = check_netns(e);
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
                eval_done(&ev);
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
        struct eval ev = check_netns(e);
        ck_assert_ptr_nonnull(find(&ev, "host-namespace"));
        eval_done(&ev);
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
        struct eval ev = check_netns(e);
        ck_assert_ptr_null(find(&ev, "host-namespace"));
        eval_done(&ev);
        close(pipefd[1]);
        int status;
        waitpid(pid, &status, 0);
        ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}
END_TEST

START_TEST(test_a_namespace_path_that_does_not_exist_is_denied)
{
        struct eval ev = check_netns("{\"type\":\"network\",\"path\":\"/nonexistent/netns\"}");
        const struct finding *f = find(&ev, "host-namespace");
        ck_assert(f && f->action == ACTION_DENY);
        ck_assert_ptr_nonnull(strstr(f->message, "cannot be examined"));
        eval_done(&ev);
}
END_TEST

START_TEST(test_unknown_or_repeated_namespace_types_are_spec_invalid)
{
        struct eval ev = check_netns("{\"type\":\"net\"}");
        ck_assert_ptr_nonnull(find(&ev, "spec-invalid"));
        eval_done(&ev);
        ev = check_netns("{\"type\":\"network\"},{\"type\":\"pid\"}");
        const struct finding *f = find(&ev, "spec-invalid");
        ck_assert(f && strstr(f->message, "listed twice"));
        eval_done(&ev);
}
END_TEST

START_TEST(test_required_namespaces_are_a_parameter)
{
        struct policy *p = policy_from("{\"version\":1,\"rules\":{\"host-namespace\":{\"params\":"
                                       "{\"required\":[\"network\",\"cgroup\"]}}}}");
        struct eval ev = check_json(p, "{\"linux\":{\"namespaces\":[{\"type\":\"network\"}]}}");
        ck_assert_uint_eq(count_rule(&ev, "host-namespace"), 1);
        ck_assert_ptr_nonnull(strstr(find(&ev, "host-namespace")->message, "cgroup"));
        eval_done(&ev);
        policy_free(p);
}
END_TEST

/* --- engine-socket ---------------------------------------------------- */

static char sockdir[64], sockpath[128];

static void make_socket(void)
{
        strcpy(sockdir, "/tmp/rh-sock-XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(sockdir));
        char sub[128];
        snprintf(sub, sizeof(sub), "%s/run", sockdir);
        mkdir(sub, 0755);
        snprintf(sockpath, sizeof(sockpath), "%s/run/engine.sock", sockdir);
        int fd = socket(AF_UNIX, SOCK_STREAM, 0);
        struct sockaddr_un a = {.sun_family = AF_UNIX};
        strcpy(a.sun_path, sockpath);
        ck_assert_int_eq(bind(fd, (struct sockaddr *) &a, sizeof(a)), 0);
        close(fd);
}

static void remove_socket_dir(void)
{
        char cmd[128];
        if (!sockdir[0])
                return;
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", sockdir);
        if (system(cmd) != 0)
                fprintf(stderr, "cannot remove %s\n", sockdir);
        sockdir[0] = '\0';
}

static struct eval check_bind(const char *source, const char *type, const char *options)
{
        char pol[512], json[1024];
        snprintf(pol, sizeof(pol), "{\"version\":1,\"rules\":{\"engine-socket\":{\"params\":{\"sockets\":[\"%s\"]}}}}",
                 sockpath);
        struct policy *p = policy_from(pol);
        snprintf(json, sizeof(json),
                 "{\"mounts\":[{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\"},"
                 "{\"destination\":\"/x\",\"type\":\"%s\",\"source\":\"%s\",\"options\":%s}]}",
                 type, source, options);
        struct eval ev = check_json(p, json);
        policy_free(p);
        return ev;
}

static void expect_socket_denied(const char *source, const char *type, const char *options)
{
        struct eval ev = check_bind(source, type, options);
        const struct finding *f = find(&ev, "engine-socket");
        ck_assert_msg(f && f->action == ACTION_DENY, "bind of %s (%s %s) was not denied", source, type, options);
        ck_assert_str_eq(f->pointer, "/mounts/1/source");
        eval_done(&ev);
}

static void expect_socket_allowed(const char *source, const char *type, const char *options)
{
        struct eval ev = check_bind(source, type, options);
        ck_assert_msg(!find(&ev, "engine-socket"), "bind of %s was denied", source);
        eval_done(&ev);
}

START_TEST(test_socket_bind_is_denied_by_path_and_odd_spellings)
{
        char p[256];
        make_socket();
        expect_socket_denied(sockpath, "bind", "[\"rbind\",\"rprivate\"]");
        snprintf(p, sizeof(p), "%s//run/./engine.sock", sockdir);
        expect_socket_denied(p, "bind", "[\"bind\"]");
        snprintf(p, sizeof(p), "%s/run/../run/engine.sock", sockdir);
        expect_socket_denied(p, "bind", "[\"bind\"]");
}
END_TEST

START_TEST(test_socket_bind_is_denied_whatever_the_type_says)
{
        make_socket();
        expect_socket_denied(sockpath, "none", "[\"rbind\"]");
        expect_socket_denied(sockpath, "tmpfs", "[\"ro\",\"bind\"]");
        /* crun binds for type "bind" even without the option */
        expect_socket_denied(sockpath, "bind", "[]");
}
END_TEST

START_TEST(test_bind_of_a_parent_directory_is_denied)
{
        char p[256];
        make_socket();
        snprintf(p, sizeof(p), "%s/run", sockdir);
        expect_socket_denied(p, "bind", "[\"rbind\"]");
        expect_socket_denied(sockdir, "bind", "[\"rbind\"]");
        expect_socket_denied("/", "bind", "[\"rbind\"]");
}
END_TEST

START_TEST(test_symlink_and_hard_link_to_the_socket_are_denied)
{
        char sym[256], hard[256], dirlink[256];
        make_socket();
        snprintf(sym, sizeof(sym), "%s/sym.sock", sockdir);
        ck_assert_int_eq(symlink(sockpath, sym), 0);
        expect_socket_denied(sym, "bind", "[\"bind\"]");
        snprintf(hard, sizeof(hard), "%s/hard.sock", sockdir);
        ck_assert_int_eq(link(sockpath, hard), 0);
        expect_socket_denied(hard, "bind", "[\"bind\"]");
        snprintf(dirlink, sizeof(dirlink), "%s/runlink", sockdir);
        ck_assert_int_eq(symlink("run", dirlink), 0);
        expect_socket_denied(dirlink, "bind", "[\"bind\"]");
}
END_TEST

START_TEST(test_host_root_alias_through_proc_is_denied)
{
        char p[256];
        make_socket();
        snprintf(p, sizeof(p), "/proc/self/root%s", sockpath);
        expect_socket_denied(p, "bind", "[\"bind\"]");
        snprintf(p, sizeof(p), "/proc/thread-self/root/.%s/run", sockdir);
        expect_socket_denied(p, "bind", "[\"rbind\"]");
}
END_TEST

START_TEST(test_relative_sources_are_taken_from_the_bundle)
{
        char pol[512];
        make_socket();
        snprintf(pol, sizeof(pol), "{\"version\":1,\"rules\":{\"engine-socket\":{\"params\":{\"sockets\":[\"%s\"]}}}}",
                 sockpath);
        struct policy *p = policy_from(pol);
        struct spec *s = parse_spec("{\"mounts\":[{\"destination\":\"/x\",\"source\":\"run\",\"options\":[\"bind\"]}]}");
        s->bundle = strdup(sockdir);
        struct eval ev = {0};
        evaluate(p, s, CHECK_CONFIG, &ev);
        ck_assert_ptr_nonnull(find(&ev, "engine-socket"));
        eval_done(&ev);
        spec_free(s);
        policy_free(p);
}
END_TEST

START_TEST(test_unrelated_binds_and_non_bind_mounts_pass)
{
        char p[256];
        make_socket();
        snprintf(p, sizeof(p), "%s/run/other", sockdir);
        expect_socket_allowed(p, "bind", "[\"rbind\"]");
        expect_socket_allowed("/var/lib/docker/containers/abc/hosts", "bind", "[\"rbind\",\"rprivate\"]");
        /* a tmpfs whose source string names the socket binds nothing */
        expect_socket_allowed(sockpath, "tmpfs", "[\"nosuid\"]");
}
END_TEST

START_TEST(test_corpus_docker_sock_spec_is_denied_with_the_mount_pointer)
{
        struct policy *p = builtin_policy();
        struct spec *s = corpus_spec("docker/docker-sock.json");
        struct eval ev = {0};
        evaluate(p, s, CHECK_CONFIG, &ev);
        const struct finding *f = find(&ev, "engine-socket");
        ck_assert_ptr_nonnull(f);
        ck_assert_str_eq(f->pointer, "/mounts/10/source");
        ck_assert_ptr_nonnull(strstr(f->message, "/var/run/docker.sock"));
        ck_assert_int_eq(eval_verdict(&ev), VERDICT_DENY);
        eval_done(&ev);
        spec_free(s);
        policy_free(p);
}
END_TEST

START_TEST(test_resolving_a_missing_path_still_follows_existing_symlinks)
{
        char d[] = "/tmp/rh-resolve-XXXXXX", p[256], want[256];
        ck_assert_ptr_nonnull(mkdtemp(d));
        snprintf(p, sizeof(p), "%s/real", d);
        ck_assert_int_eq(mkdir(p, 0755), 0);
        snprintf(p, sizeof(p), "%s/link", d);
        ck_assert_int_eq(symlink("real", p), 0);
        snprintf(want, sizeof(want), "%s/real", d);
        /* the missing component is removed by "..": what remains is the link */
        snprintf(p, sizeof(p), "%s//./link/missing/..", d);
        char *r = path_resolve(p);
        ck_assert_str_eq(r, want);
        free(r);
        snprintf(p, sizeof(p), "%s/link/missing/deeper", d);
        snprintf(want, sizeof(want), "%s/real/missing/deeper", d);
        r = path_resolve(p);
        ck_assert_str_eq(r, want);
        free(r);
        char cmd[128];
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d);
        ck_assert_int_eq(system(cmd), 0);
}
END_TEST

/* --- readonly-rootfs, no-new-privileges ------------------------------- */

START_TEST(test_readonly_fix_adds_tmpfs_only_where_nothing_is_mounted)
{
        /* an image with /tmp and /run (the fix mounts only what the image
         * has: test_rules_mounts.c) */
        char image[] = "/tmp/rh-unit-ro.XXXXXX", json[512], cmd[128];
        ck_assert_ptr_nonnull(mkdtemp(image));
        snprintf(cmd, sizeof(cmd), "mkdir -m 1777 '%s/tmp' && mkdir '%s/run'", image, image);
        ck_assert_int_eq(system(cmd), 0);
        struct policy *p = policy_from("{\"version\":1,\"rules\":{\"readonly-rootfs\":{\"params\":"
                                       "{\"tmpfs\":[\"/tmp\",\"/run\"]}}}}");
        snprintf(json, sizeof(json),
                 "{\"root\":{\"path\":\"%s\",\"readonly\":false},"
                 "\"mounts\":[{\"destination\":\"/tmp/\",\"type\":\"tmpfs\",\"source\":\"t\"}]}",
                 image);
        struct spec *s = parse_spec(json);
        struct eval ev = {0};
        rh_error_t err = RH_ERROR_INIT;
        evaluate(p, s, CHECK_CONFIG, &ev);
        ck_assert_int_eq(find(&ev, "readonly-rootfs")->action, ACTION_FIX);
        ck_assert_int_eq(engine_apply_fixes(p, s, CHECK_CONFIG, &ev, &err), 0);
        struct jv *mounts = jv_get(s->root, "mounts");
        ck_assert_uint_eq(mounts->u.arr.n, 2);
        ck_assert_str_eq(jv_get(mounts->u.arr.v[1], "destination")->u.str.s, "/run");
        ck_assert(jv_get(jv_get(s->root, "root"), "readonly")->u.b);
        eval_done(&ev);
        spec_free(s);
        policy_free(p);
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", image);
        ck_assert_int_eq(system(cmd), 0);
}
END_TEST

START_TEST(test_no_new_privileges_fix_applies_to_exec_processes)
{
        static const char *const only[] = {"no-new-privileges", NULL};
        struct policy *p = policy_only(only);
        struct spec *s = parse_spec_kind("{\"args\":[\"sh\"],\"noNewPrivileges\":false}", SPEC_PROCESS);
        struct eval ev = {0};
        rh_error_t err = RH_ERROR_INIT;
        char *out = NULL;
        evaluate(p, s, CHECK_EXEC, &ev);
        ck_assert_int_eq(eval_verdict(&ev), VERDICT_FIX);
        ck_assert_int_eq(engine_apply_fixes(p, s, CHECK_EXEC, &ev, &err), 0);
        ck_assert_int_eq(spec_serialize(s, false, &out, NULL, &err), 0);
        ck_assert_str_eq(out, "{\"args\":[\"sh\"],\"noNewPrivileges\":true}");
        free(out);
        eval_done(&ev);
        spec_free(s);
        policy_free(p);
}
END_TEST

static Suite *rules_suite(void)
{
        Suite *s = suite_create("rules-foundation");
        TCase *ns = tcase_create("host-namespace");
        tcase_add_test(ns, test_missing_network_namespace_is_denied);
        tcase_add_test(ns, test_host_network_namespace_by_any_path_is_denied);
        tcase_add_test(ns, test_symlink_to_the_host_namespace_is_denied);
        tcase_add_test(ns, test_another_network_namespace_is_not_the_host);
        tcase_add_test(ns, test_a_namespace_path_that_does_not_exist_is_denied);
        tcase_add_test(ns, test_unknown_or_repeated_namespace_types_are_spec_invalid);
        tcase_add_test(ns, test_required_namespaces_are_a_parameter);
        suite_add_tcase(s, ns);
        TCase *sock = tcase_create("engine-socket");
        tcase_add_checked_fixture(sock, NULL, remove_socket_dir);
        tcase_add_test(sock, test_socket_bind_is_denied_by_path_and_odd_spellings);
        tcase_add_test(sock, test_socket_bind_is_denied_whatever_the_type_says);
        tcase_add_test(sock, test_bind_of_a_parent_directory_is_denied);
        tcase_add_test(sock, test_symlink_and_hard_link_to_the_socket_are_denied);
        tcase_add_test(sock, test_host_root_alias_through_proc_is_denied);
        tcase_add_test(sock, test_relative_sources_are_taken_from_the_bundle);
        tcase_add_test(sock, test_unrelated_binds_and_non_bind_mounts_pass);
        tcase_add_test(sock, test_corpus_docker_sock_spec_is_denied_with_the_mount_pointer);
        tcase_add_test(sock, test_resolving_a_missing_path_still_follows_existing_symlinks);
        suite_add_tcase(s, sock);
        TCase *fix = tcase_create("fixes");
        tcase_add_test(fix, test_readonly_fix_adds_tmpfs_only_where_nothing_is_mounted);
        tcase_add_test(fix, test_no_new_privileges_fix_applies_to_exec_processes);
        suite_add_tcase(s, fix);
        return s;
}

RUN_SUITE(rules_suite)
