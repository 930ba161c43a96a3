/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <fcntl.h>
#include <regex.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rules/process.h"
#include "testutil.h"
#include "util.h"

/* Tests of the isolation family: namespaces, binds, mounts, devices,
 * kernel settings, the process and the image. Each check runs in its own
 * forked process (Check's default), so tests that mount do it in a mount
 * namespace of their own and leave nothing behind. */

#define NS_ALL "{\"type\":\"pid\"},{\"type\":\"ipc\"},{\"type\":\"uts\"},{\"type\":\"mount\"},{\"type\":\"network\"}"

struct opts {
        const char *policy; /* policy document, NULL for the built-in one */
        spec_kind_t kind;
        bool offline;
        const char *bundle;
};

static struct eval eval_with(const char *spec_json, struct opts o)
{
        struct policy *p = o.policy ? policy_from(o.policy) : builtin_policy();
        struct spec *s = parse_spec_kind(spec_json, o.kind);
        struct eval ev = {0};
        check_kind_t k = o.kind == SPEC_PROCESS ? CHECK_EXEC : o.kind == SPEC_RESOURCES ? CHECK_UPDATE : CHECK_CONFIG;

        s->bundle = strdup(o.bundle ? o.bundle : "/nonexistent-bundle");
        s->offline = o.offline;
        evaluate(p, s, k, &ev);
        spec_free(s);
        policy_free(p);
        return ev;
}

static struct eval eval_spec(const char *spec_json)
{
        return eval_with(spec_json, (struct opts){0});
}

static struct eval eval_policy(const char *policy, const char *spec_json)
{
        return eval_with(spec_json, (struct opts){.policy = policy});
}

static const struct finding *expect(const struct eval *ev, const char *rule, rh_action_t action)
{
        const struct finding *f = find(ev, rule);
        ck_assert_msg(f != NULL, "no %s finding", rule);
        ck_assert_msg(f->action == action, "%s: action %s, expected %s (%s)", rule, action_name(f->action),
                      action_name(action), f->message);
        return f;
}

static void expect_none(const struct eval *ev, const char *rule)
{
        const struct finding *f = find(ev, rule);
        ck_assert_msg(f == NULL, "unexpected %s finding at %s: %s", rule, f ? f->pointer : "", f ? f->message : "");
}

static struct eval eval_corpus(const char *name, bool offline)
{
        struct policy *p = builtin_policy();
        struct spec *s = corpus_spec(name);
        struct eval ev = {0};
        s->offline = offline;
        s->bundle = strdup("/nonexistent-bundle");
        evaluate(p, s, CHECK_CONFIG, &ev);
        spec_free(s);
        policy_free(p);
        return ev;
}

/* A mount namespace of this test process only. */
static void private_mounts(void)
{
        ck_assert_int_eq(unshare(CLONE_NEWNS), 0);
        ck_assert_int_eq(mount("", "/", NULL, MS_REC | MS_PRIVATE, NULL), 0);
}

static char tmp[64];

static void make_tmp(void)
{
        strcpy(tmp, "/tmp/rh-iso-XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(tmp));
}

static void remove_tmp(void)
{
        char cmd[256];
        if (!tmp[0])
                return;
        snprintf(cmd, sizeof(cmd), "umount -R '%s' 2>/dev/null; rm -rf '%s'", tmp, tmp);
        if (system(cmd) != 0)
                fprintf(stderr, "cannot remove %s\n", tmp);
        tmp[0] = '\0';
}

static void mkdirs(const char *path)
{
        char cmd[512];
        snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", path);
        ck_assert_int_eq(system(cmd), 0);
}

static void write_file(const char *path, const char *content, mode_t mode)
{
        FILE *f = fopen(path, "w");
        ck_assert_ptr_nonnull(f);
        fputs(content, f);
        fclose(f);
        ck_assert_int_eq(chmod(path, mode), 0);
}

static void make_socket_at(const char *path)
{
        int fd = socket(AF_UNIX, SOCK_STREAM, 0);
        struct sockaddr_un a = {.sun_family = AF_UNIX};
        ck_assert_uint_lt(strlen(path), sizeof(a.sun_path));
        strcpy(a.sun_path, path);
        ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
        close(fd);
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

/* === host-namespace ===================================================== */

START_TEST(test_required_namespaces_accept_proc_aliases)
{
        const char *pol =
                "{\"version\":1,\"rules\":{\"host-namespace\":{\"params\":{\"required\":[\"net\",\"mnt\"]}}}}";
        struct eval ev = eval_policy(pol, "{\"linux\":{\"namespaces\":[{\"type\":\"network\"},{\"type\":\"mount\"}]}}");
        expect_none(&ev, "host-namespace");
        eval_done(&ev);
        ev = eval_policy(pol, "{\"linux\":{\"namespaces\":[{\"type\":\"network\"}]}}");
        const struct finding *f = expect(&ev, "host-namespace", ACTION_DENY);
        ck_assert_ptr_nonnull(strstr(f->message, "no mount namespace"));
        eval_done(&ev);
}
END_TEST

START_TEST(test_unknown_required_namespace_type_warns)
{
        struct eval ev =
                eval_policy("{\"version\":1,\"rules\":{\"host-namespace\":{\"params\":{\"required\":[\"netz\"]}}}}",
                            "{\"linux\":{\"namespaces\":[" NS_ALL "]}}");
        const struct finding *f = expect(&ev, "host-namespace", ACTION_WARN);
        ck_assert_ptr_nonnull(strstr(f->message, "netz"));
        eval_done(&ev);
}
END_TEST

START_TEST(test_user_and_cgroup_namespaces_are_required_only_when_the_policy_says)
{
        struct eval ev = eval_spec("{\"linux\":{\"namespaces\":[" NS_ALL "]}}");
        expect_none(&ev, "host-namespace");
        eval_done(&ev);
        ev = eval_policy("{\"version\":1,\"rules\":{\"host-namespace\":{\"params\":{\"required\":"
                         "[\"network\",\"pid\",\"ipc\",\"uts\",\"mount\",\"user\",\"cgroup\"]}}}}",
                         "{\"linux\":{\"namespaces\":[" NS_ALL "]}}");
        ck_assert_uint_eq(count_rule(&ev, "host-namespace"), 2);
        ck_assert_ptr_nonnull(strstr(find(&ev, "host-namespace")->message, "--userns=host"));
        eval_done(&ev);
}
END_TEST

START_TEST(test_host_uts_namespace_through_dot_dot_is_denied)
{
        struct eval ev =
                eval_spec("{\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"ipc\"},{\"type\":\"mount\"},"
                          "{\"type\":\"network\"},{\"type\":\"uts\",\"path\":\"/proc/self/ns/../ns//uts\"}]}}");
        const struct finding *f = expect(&ev, "host-namespace", ACTION_DENY);
        ck_assert_str_eq(f->pointer, "/linux/namespaces/4/path");
        /* through /proc/self: refused, runc init would open its own
         * (the same spelling through /proc/<pid>: test_rules_namespaces.c) */
        ck_assert_ptr_nonnull(strstr(f->message, "depends on the process that opens it"));
        expect_none(&ev, "shared-namespace");
        eval_done(&ev);
}
END_TEST

/* === shared-namespace =================================================== */

static struct eval eval_netns_path(const char *path)
{
        char json[512];
        snprintf(json, sizeof(json),
                 "{\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"ipc\"},{\"type\":\"uts\"},"
                 "{\"type\":\"mount\"},{\"type\":\"network\",\"path\":\"%s\"}]}}",
                 path);
        return eval_spec(json);
}

START_TEST(test_joining_a_namespace_another_process_uses_warns)
{
        struct nschild c = spawn_netns_child();
        char path[64], odd[96], pidstr[32];
        snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)c.pid);
        snprintf(odd, sizeof(odd), "//proc/./%d/ns/../ns/net", (int)c.pid);
        snprintf(pidstr, sizeof(pidstr), "process %d", (int)c.pid);
        const char *spellings[] = {path, odd};
        for (size_t i = 0; i < ARRAY_SIZE(spellings); i++) {
                struct eval ev = eval_netns_path(spellings[i]);
                const struct finding *f = expect(&ev, "shared-namespace", ACTION_WARN);
                ck_assert_str_eq(f->pointer, "/linux/namespaces/4/path");
                ck_assert_msg(strstr(f->message, pidstr), "%s", f->message);
                expect_none(&ev, "host-namespace");
                eval_done(&ev);
        }
        release_child(&c);
}
END_TEST

START_TEST(test_a_fresh_engine_made_namespace_is_not_sharing)
{
        char nsfile[128], link[128], src[64];
        private_mounts();
        make_tmp();
        /* What podman and CNI do: an nsfs file bind-mounted under a run
         * directory, with no process in it yet. */
        snprintf(nsfile, sizeof(nsfile), "%s/netns-1", tmp);
        write_file(nsfile, "", 0644);
        struct nschild c = spawn_netns_child();
        snprintf(src, sizeof(src), "/proc/%d/ns/net", (int)c.pid);
        ck_assert_int_eq(mount(src, nsfile, NULL, MS_BIND, NULL), 0);
        release_child(&c);
        snprintf(link, sizeof(link), "%s/netns-link", tmp);
        ck_assert_int_eq(symlink(nsfile, link), 0);
        struct eval ev = eval_netns_path(nsfile);
        expect_none(&ev, "shared-namespace");
        expect_none(&ev, "host-namespace");
        eval_done(&ev);
        ev = eval_netns_path(link);
        expect_none(&ev, "shared-namespace");
        eval_done(&ev);
        ck_assert_int_eq(umount(nsfile), 0);
}
END_TEST

START_TEST(test_namespaces_without_paths_share_nothing)
{
        struct eval ev = eval_corpus("docker/default.json", false);
        expect_none(&ev, "shared-namespace");
        expect_none(&ev, "host-namespace");
        eval_done(&ev);
}
END_TEST

/* === engine-socket ====================================================== */

static struct eval eval_bind_policy(const char *policy, const char *source, const char *options)
{
        char json[1024];
        snprintf(json, sizeof(json),
                 "{\"mounts\":[{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\"},"
                 "{\"destination\":\"/x\",\"type\":\"bind\",\"source\":\"%s\",\"options\":%s}]}",
                 source, options);
        return eval_policy(policy, json);
}

static char sock_policy[512];

static void socket_policy(const char *entry)
{
        snprintf(sock_policy, sizeof(sock_policy),
                 "{\"version\":1,\"rules\":{\"engine-socket\":{\"params\":{\"sockets\":[\"%s\"]}}}}", entry);
}

static void expect_bind(const char *rule, const char *source, const char *options, bool denied)
{
        struct eval ev = eval_bind_policy(sock_policy, source, options);
        const struct finding *f = find(&ev, rule);
        if (denied) {
                ck_assert_msg(f && f->action == ACTION_DENY, "%s: bind of %s was not denied", rule, source);
                ck_assert_str_eq(f->pointer, "/mounts/1/source");
        } else {
                ck_assert_msg(!f, "%s: bind of %s was reported: %s", rule, source, f ? f->message : "");
        }
        eval_done(&ev);
}

START_TEST(test_rootless_podman_sockets_are_found_by_glob)
{
        char pat[256], p[256];
        make_tmp();
        snprintf(p, sizeof(p), "%s/run/user/1000/podman", tmp);
        mkdirs(p);
        strcat(p, "/podman.sock");
        make_socket_at(p);
        snprintf(pat, sizeof(pat), "%s/run/user/*/podman/podman.sock", tmp);
        socket_policy(pat);
        expect_bind("engine-socket", p, "[\"rbind\"]", true);
        snprintf(p, sizeof(p), "%s//run/user/1000/./podman/../podman", tmp);
        expect_bind("engine-socket", p, "[\"rbind\"]", true);
        snprintf(p, sizeof(p), "%s/run/user/1000", tmp);
        expect_bind("engine-socket", p, "[\"rbind\"]", true);
        snprintf(p, sizeof(p), "%s/run/user", tmp);
        expect_bind("engine-socket", p, "[\"rbind\"]", true);
        /* a user whose socket does not exist here: the path alone counts */
        snprintf(p, sizeof(p), "%s/run/user/2000/podman/podman.sock", tmp);
        expect_bind("engine-socket", p, "[\"bind\"]", true);
        snprintf(p, sizeof(p), "%s/run/user/1000/app", tmp);
        mkdirs(p);
        expect_bind("engine-socket", p, "[\"rbind\"]", false);
}
END_TEST

START_TEST(test_socket_found_through_a_hard_link_named_by_a_glob)
{
        char pat[256], sock[256], hard[256];
        make_tmp();
        snprintf(sock, sizeof(sock), "%s/run/user/1000/podman", tmp);
        mkdirs(sock);
        strcat(sock, "/podman.sock");
        make_socket_at(sock);
        snprintf(hard, sizeof(hard), "%s/elsewhere.sock", tmp);
        ck_assert_int_eq(link(sock, hard), 0);
        snprintf(pat, sizeof(pat), "%s/run/user/*/podman/podman.sock", tmp);
        socket_policy(pat);
        expect_bind("engine-socket", hard, "[\"bind\"]", true);
}
END_TEST

START_TEST(test_a_trailing_double_star_protects_a_whole_directory)
{
        char pat[256], p[256];
        make_tmp();
        snprintf(pat, sizeof(pat), "%s/run/containerd/**", tmp);
        socket_policy(pat);
        snprintf(p, sizeof(p), "%s/run/containerd/io.containerd.runtime.v2.task/k8s.io", tmp);
        expect_bind("engine-socket", p, "[\"rbind\"]", true);
        snprintf(p, sizeof(p), "%s/run", tmp);
        expect_bind("engine-socket", p, "[\"rbind\"]", true);
        snprintf(p, sizeof(p), "%s/run/containerd-other", tmp);
        expect_bind("engine-socket", p, "[\"rbind\"]", false);
}
END_TEST

START_TEST(test_a_directory_holding_a_bind_of_the_socket_directory_is_denied)
{
        char run[128], sock[256], inner[128], outer[128];
        private_mounts();
        make_tmp();
        snprintf(run, sizeof(run), "%s/run", tmp);
        mkdirs(run);
        snprintf(sock, sizeof(sock), "%s/engine.sock", run);
        make_socket_at(sock);
        snprintf(outer, sizeof(outer), "%s/mnt", tmp);
        /* mountinfo escapes the space */
        snprintf(inner, sizeof(inner), "%s/mnt/inner dir/run", tmp);
        mkdirs(inner);
        ck_assert_int_eq(mount(run, inner, NULL, MS_BIND, NULL), 0);
        socket_policy(sock);
        expect_bind("engine-socket", outer, "[\"rbind\"]", true);
        expect_bind("engine-socket", inner, "[\"rbind\"]", true);
        ck_assert_int_eq(umount(inner), 0);
        expect_bind("engine-socket", outer, "[\"rbind\"]", false);
}
END_TEST

START_TEST(test_default_sockets_include_rootless_podman_and_crio)
{
        static const char *const paths[] = {"/run/user/1000/podman/podman.sock", "/var/run/crio/crio.sock",
                                            "/run/containerd/containerd.sock", "/run/buildkit/buildkitd.sock",
                                            "//var/run/./docker.sock"};
        for (size_t i = 0; i < ARRAY_SIZE(paths); i++) {
                struct eval ev = eval_bind_policy("{\"version\":1}", paths[i], "[\"rbind\"]");
                ck_assert_msg(find(&ev, "engine-socket"), "%s was not denied", paths[i]);
                eval_done(&ev);
        }
}
END_TEST

START_TEST(test_bind_options_in_any_case_make_a_bind)
{
        char json[512];
        snprintf(json, sizeof(json),
                 "{\"mounts\":[{\"destination\":\"/x\",\"type\":\"none\",\"source\":\"/run/docker.sock\","
                 "\"options\":[\"RBIND\"]}]}");
        struct eval ev = eval_spec(json);
        expect(&ev, "engine-socket", ACTION_DENY);
        eval_done(&ev);
}
END_TEST

/* === sensitive-mount ==================================================== */

static struct eval eval_bind(const char *source, const char *options)
{
        return eval_bind_policy("{\"version\":1}", source, options);
}

static void expect_sensitive(const char *source, const char *options, rh_action_t action)
{
        struct eval ev = eval_bind(source, options);
        const struct finding *f = find(&ev, "sensitive-mount");
        ck_assert_msg(f, "bind of %s %s was not reported", source, options);
        ck_assert_msg(f->action == action, "bind of %s %s: %s, expected %s", source, options, action_name(f->action),
                      action_name(action));
        ck_assert_str_eq(f->pointer, "/mounts/1/source");
        eval_done(&ev);
}

static void expect_not_sensitive(const char *source, const char *options)
{
        struct eval ev = eval_bind(source, options);
        expect_none(&ev, "sensitive-mount");
        eval_done(&ev);
}

START_TEST(test_read_write_bind_of_etc_is_denied_however_spelled)
{
        static const char *const spellings[] = {
                "/etc", "//etc/./", "/usr/../etc", "/etc/shadow", "/etc//ssh/", "/proc/self/root/etc", "/"};
        for (size_t i = 0; i < ARRAY_SIZE(spellings); i++)
                expect_sensitive(spellings[i], "[\"rbind\",\"rprivate\"]", ACTION_DENY);
        struct eval ev = eval_bind("//etc/./", "[\"rbind\"]");
        ck_assert_ptr_nonnull(strstr(find(&ev, "sensitive-mount")->message, "read-write"));
        eval_done(&ev);
}
END_TEST

START_TEST(test_read_only_bind_of_etc_is_a_warning)
{
        expect_sensitive("/etc", "[\"rbind\",\"ro\"]", ACTION_WARN);
        expect_sensitive("/usr/share/zoneinfo", "[\"bind\",\"ro\"]", ACTION_WARN);
        /* mount_setattr's recursive read-only counts too */
        expect_sensitive("/etc", "[\"rbind\",\"rro\"]", ACTION_WARN);
}
END_TEST

START_TEST(test_read_only_follows_runc_option_order_and_spelling)
{
        expect_sensitive("/etc", "[\"rbind\",\"ro\",\"rw\"]", ACTION_DENY);
        expect_sensitive("/etc", "[\"rbind\",\"rw\",\"ro\"]", ACTION_WARN);
        /* runc's flags are case-sensitive: "RO" is file-system data */
        expect_sensitive("/etc", "[\"rbind\",\"RO\"]", ACTION_DENY);
        /* "rrw" clears the read-only flag after the remount */
        expect_sensitive("/etc", "[\"rbind\",\"ro\",\"rrw\"]", ACTION_DENY);
}
END_TEST

START_TEST(test_parents_of_sensitive_paths_are_sensitive)
{
        expect_sensitive("/var", "[\"rbind\"]", ACTION_DENY);
        expect_sensitive("/var/lib", "[\"rbind\"]", ACTION_DENY);
        expect_sensitive("/var/lib/docker/overlay2", "[\"rbind\"]", ACTION_DENY);
        /* /var/lib/kubelet counts only as itself; /run as a whole */
        expect_sensitive("/var/run", "[\"rbind\"]", ACTION_DENY);
        expect_sensitive("/run/myapp", "[\"rbind\"]", ACTION_DENY);
        expect_not_sensitive("/var/lib/kubelet/pods/uid/volumes/kubernetes.io~empty-dir/cache", "[\"rbind\"]");
}
END_TEST

START_TEST(test_ordinary_binds_and_engine_files_pass)
{
        expect_not_sensitive("/home/user/project", "[\"rbind\"]");
        expect_not_sensitive("/srv/data", "[\"rbind\",\"rw\"]");
        expect_not_sensitive("/var/lib/docker/containers/0123abcd/hosts", "[\"rbind\",\"rprivate\"]");
        expect_not_sensitive("/var/lib/docker/volumes/cache/_data", "[\"rbind\"]");
        expect_not_sensitive("/run/containers/storage/overlay-containers/0123/userdata/resolv.conf", "[\"bind\"]");
        expect_not_sensitive("/var/lib/containerd/io.containerd.grpc.v1.cri/sandboxes/0123/hostname", "[\"bind\"]");
        /* but not a file beside them */
        expect_sensitive("/var/lib/docker/containers/0123abcd/config.v2.json", "[\"rbind\"]", ACTION_DENY);
        /* a tmpfs whose source string names /etc binds nothing */
        struct eval ev = eval_spec("{\"mounts\":[{\"destination\":\"/x\",\"type\":\"tmpfs\",\"source\":\"/etc\"}]}");
        expect_none(&ev, "sensitive-mount");
        eval_done(&ev);
}
END_TEST

START_TEST(test_corpus_engine_binds_are_not_sensitive)
{
        static const char *const names[] = {"docker/default.json", "docker/privileged.json", "docker/hardened.json",
                                            "podman/default.json"};
        for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
                struct eval ev = eval_corpus(names[i], true);
                expect_none(&ev, "sensitive-mount");
                expect_none(&ev, "mount-propagation");
                eval_done(&ev);
        }
}
END_TEST

START_TEST(test_symlink_and_bind_aliases_of_etc_are_found)
{
        char link[128], alias[128], p[160];
        private_mounts();
        make_tmp();
        snprintf(link, sizeof(link), "%s/etc-link", tmp);
        ck_assert_int_eq(symlink("/etc", link), 0);
        expect_sensitive(link, "[\"rbind\"]", ACTION_DENY);
        snprintf(p, sizeof(p), "%s/passwd", link);
        expect_sensitive(p, "[\"rbind\"]", ACTION_DENY);
        snprintf(alias, sizeof(alias), "%s/etc-alias", tmp);
        mkdirs(alias);
        ck_assert_int_eq(mount("/etc", alias, NULL, MS_BIND, NULL), 0);
        snprintf(p, sizeof(p), "%s/passwd", alias);
        expect_sensitive(p, "[\"bind\"]", ACTION_DENY);
        expect_sensitive(tmp, "[\"rbind\"]", ACTION_DENY);
        ck_assert_int_eq(umount(alias), 0);
        expect_not_sensitive(tmp, "[\"rbind\"]");
}
END_TEST

START_TEST(test_relative_sources_are_taken_from_the_bundle)
{
        struct eval ev =
                eval_with("{\"mounts\":[{\"destination\":\"/x\",\"source\":\"../../etc\",\"options\":[\"rbind\"]}]}",
                          (struct opts){.bundle = "/srv/bundle"});
        expect(&ev, "sensitive-mount", ACTION_DENY);
        eval_done(&ev);
}
END_TEST

START_TEST(test_sensitive_paths_and_exceptions_are_parameters)
{
        const char *pol = "{\"version\":1,\"rules\":{\"sensitive-mount\":{\"params\":{\"paths\":[\"/srv/secret/**\"],"
                          "\"allowed\":[\"/srv/secret/public/**\"]}}}}";
        struct eval ev = eval_bind_policy(pol, "/srv/secret/keys", "[\"rbind\"]");
        expect(&ev, "sensitive-mount", ACTION_DENY);
        eval_done(&ev);
        ev = eval_bind_policy(pol, "/srv/secret/public/x", "[\"rbind\"]");
        expect_none(&ev, "sensitive-mount");
        eval_done(&ev);
        ev = eval_bind_policy(pol, "/etc", "[\"rbind\"]");
        expect_none(&ev, "sensitive-mount");
        eval_done(&ev);
}
END_TEST

START_TEST(test_host_root_as_rootfs_is_denied)
{
        struct eval ev = eval_spec("{\"root\":{\"path\":\"//\"}}");
        const struct finding *f = expect(&ev, "sensitive-mount", ACTION_DENY);
        ck_assert_str_eq(f->pointer, "/root/path");
        eval_done(&ev);
        /* read-only too: the container would run the host's own programs */
        ev = eval_spec("{\"root\":{\"path\":\"/usr\",\"readonly\":true}}");
        expect(&ev, "sensitive-mount", ACTION_DENY);
        eval_done(&ev);
        ev = eval_spec("{\"root\":{\"path\":\"/var/lib/docker/overlay2/0123/merged\"}}");
        expect_none(&ev, "sensitive-mount");
        eval_done(&ev);
}
END_TEST

START_TEST(test_host_file_systems_are_denied)
{
        struct eval ev = eval_spec("{\"mounts\":[{\"destination\":\"/dev\",\"type\":\"devtmpfs\",\"source\":\"udev\","
                                   "\"options\":[\"ro\"]}]}");
        const struct finding *f = expect(&ev, "sensitive-mount", ACTION_DENY);
        ck_assert_str_eq(f->pointer, "/mounts/0/type");
        eval_done(&ev);
}
END_TEST

/* === mount-propagation ================================================== */

START_TEST(test_shared_propagation_on_a_bind_is_denied)
{
        struct eval ev = eval_bind("/srv/data", "[\"rbind\",\"rshared\"]");
        const struct finding *f = expect(&ev, "mount-propagation", ACTION_DENY);
        ck_assert_str_eq(f->pointer, "/mounts/1/options");
        eval_done(&ev);
        ev = eval_bind("/srv/data", "[\"bind\",\"shared\"]");
        expect(&ev, "mount-propagation", ACTION_DENY);
        eval_done(&ev);
}
END_TEST

START_TEST(test_private_and_slave_propagation_pass)
{
        static const char *const opts[] = {"[\"rbind\",\"rprivate\"]", "[\"rbind\",\"rslave\"]",
                                           "[\"rbind\",\"Shared\"]"};
        for (size_t i = 0; i < ARRAY_SIZE(opts); i++) {
                struct eval ev = eval_bind("/srv/data", opts[i]);
                expect_none(&ev, "mount-propagation");
                eval_done(&ev);
        }
        /* not a bind: a new tmpfs has no peer on the host */
        struct eval ev = eval_spec("{\"mounts\":[{\"destination\":\"/x\",\"type\":\"tmpfs\",\"source\":\"t\","
                                   "\"options\":[\"rshared\"]}]}");
        expect_none(&ev, "mount-propagation");
        eval_done(&ev);
}
END_TEST

START_TEST(test_shared_rootfs_propagation_is_denied)
{
        struct eval ev = eval_spec("{\"linux\":{\"rootfsPropagation\":\"rshared\"}}");
        const struct finding *f = expect(&ev, "mount-propagation", ACTION_DENY);
        ck_assert_str_eq(f->pointer, "/linux/rootfsPropagation");
        eval_done(&ev);
        ev = eval_spec("{\"linux\":{\"rootfsPropagation\":\"rslave\"}}");
        expect_none(&ev, "mount-propagation");
        eval_done(&ev);
}
END_TEST

/* === readonly-rootfs ==================================================== */

static void apply_fixes(struct policy *p, struct spec *s, check_kind_t kind)
{
        struct eval ev = {0};
        rh_error_t err = RH_ERROR_INIT;
        evaluate(p, s, kind, &ev);
        ck_assert_msg(engine_apply_fixes(p, s, kind, &ev, &err) == 0, "fix failed: %s", rh_error_msg(&err));
        eval_done(&ev);
}

START_TEST(test_readonly_fix_sets_readonly_and_normalises_tmpfs_paths)
{
        /* an image with /run: the fix mounts only what the image has */
        char image[] = "/tmp/rh-unit-iso.XXXXXX", json[256], cmd[128];
        ck_assert_ptr_nonnull(mkdtemp(image));
        snprintf(cmd, sizeof(cmd), "mkdir '%s/run'", image);
        ck_assert_int_eq(system(cmd), 0);
        struct policy *p =
                policy_from("{\"version\":1,\"rules\":{\"readonly-rootfs\":{\"params\":{\"tmpfs\":[\"//run//\"]}}}}");
        snprintf(json, sizeof(json), "{\"root\":{\"path\":\"%s\",\"readonly\":false}}", image);
        struct spec *s = parse_spec(json);
        apply_fixes(p, s, CHECK_CONFIG);
        ck_assert(jv_get(jv_get(s->root, "root"), "readonly")->u.b);
        struct jv *m = jv_get(s->root, "mounts");
        ck_assert_uint_eq(m->u.arr.n, 1);
        ck_assert_str_eq(jv_get(m->u.arr.v[0], "destination")->u.str.s, "/run");
        /* a second pass changes nothing */
        apply_fixes(p, s, CHECK_CONFIG);
        ck_assert_uint_eq(jv_get(s->root, "mounts")->u.arr.n, 1);
        spec_free(s);
        policy_free(p);
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", image);
        ck_assert_int_eq(system(cmd), 0);
}
END_TEST

START_TEST(test_readonly_rootfs_corpus_verdicts)
{
        struct eval ev = eval_corpus("docker/read-only.json", true);
        expect_none(&ev, "readonly-rootfs");
        eval_done(&ev);
        ev = eval_corpus("docker/default.json", true);
        ck_assert_str_eq(expect(&ev, "readonly-rootfs", ACTION_FIX)->pointer, "/root/readonly");
        eval_done(&ev);
}
END_TEST

/* === masked-paths ======================================================= */

static bool list_has(const struct jv *l, const char *s)
{
        for (size_t i = 0; l && i < l->u.arr.n; i++)
                if (STREQ(l->u.arr.v[i]->u.str.s, s))
                        return true;
        return false;
}

START_TEST(test_docker_default_lacks_only_powercap_and_the_fix_adds_it)
{
        struct eval ev = eval_corpus("docker/default.json", true);
        const struct finding *f = expect(&ev, "masked-paths", ACTION_FIX);
        ck_assert_str_eq(f->pointer, "/linux/maskedPaths");
        ck_assert_ptr_nonnull(strstr(f->message, "/sys/devices/virtual/powercap"));
        ck_assert_ptr_null(strstr(f->message, "/proc/kcore"));
        ck_assert_uint_eq(count_rule(&ev, "masked-paths"), 1);
        eval_done(&ev);

        struct policy *p = builtin_policy();
        struct spec *s = corpus_spec("docker/default.json");
        apply_fixes(p, s, CHECK_CONFIG);
        struct jv *l = jv_get(s->root, "linux");
        ck_assert(list_has(jv_get(l, "maskedPaths"), "/sys/devices/virtual/powercap"));
        ck_assert_uint_eq(jv_get(l, "maskedPaths")->u.arr.n, 11);
        ck_assert_uint_eq(jv_get(l, "readonlyPaths")->u.arr.n, 5);
        spec_free(s);
        policy_free(p);
}
END_TEST

START_TEST(test_privileged_spec_gets_every_masked_and_readonly_path)
{
        struct policy *p = builtin_policy();
        struct spec *s = corpus_spec("docker/privileged.json");
        apply_fixes(p, s, CHECK_CONFIG);
        struct jv *l = jv_get(s->root, "linux");
        ck_assert(list_has(jv_get(l, "maskedPaths"), "/proc/kcore"));
        ck_assert(list_has(jv_get(l, "maskedPaths"), "/proc/keys"));
        ck_assert(list_has(jv_get(l, "readonlyPaths"), "/proc/sysrq-trigger"));
        ck_assert_uint_eq(jv_get(l, "readonlyPaths")->u.arr.n, 5);
        spec_free(s);
        policy_free(p);
}
END_TEST

START_TEST(test_odd_spellings_and_parent_entries_cover_required_paths)
{
        struct eval ev = eval_spec(
                "{\"linux\":{\"namespaces\":[{\"type\":\"mount\"}],"
                "\"maskedPaths\":[\"//proc/./acpi\",\"/proc/asound/\",\"/proc/kcore\",\"/proc/keys\",\"/proc/"
                "latency_stats\","
                "\"/proc/timer_list\",\"/proc/timer_stats\",\"/proc/sched_debug\",\"/proc/scsi\",\"/sys/firmware\","
                "\"/sys/devices/virtual/../virtual/powercap\",\"/proc/sysrq-trigger\"],"
                "\"readonlyPaths\":[\"/proc\"]}}");
        expect_none(&ev, "masked-paths");
        eval_done(&ev);
}
END_TEST

START_TEST(test_readonly_paths_do_not_satisfy_masking)
{
        /* podman makes /proc/asound read-only; masking is asked for */
        struct eval ev = eval_corpus("podman/default.json", true);
        const struct finding *f = expect(&ev, "masked-paths", ACTION_FIX);
        ck_assert_ptr_nonnull(strstr(f->message, "/proc/asound"));
        eval_done(&ev);
}
END_TEST

START_TEST(test_masking_without_a_mount_namespace_is_denied)
{
        struct eval ev = eval_spec("{\"linux\":{\"namespaces\":[{\"type\":\"pid\"}]}}");
        const struct finding *f = expect(&ev, "masked-paths", ACTION_DENY);
        ck_assert_str_eq(f->pointer, "/linux/maskedPaths");
        ck_assert_ptr_nonnull(strstr(f->message, "mount namespace"));
        eval_done(&ev);
}
END_TEST

START_TEST(test_masked_path_lists_are_parameters)
{
        struct eval ev =
                eval_policy("{\"version\":1,\"rules\":{\"masked-paths\":{\"params\":{\"masked\":[\"/proc/kcore\"],"
                            "\"readonly\":[]}}}}",
                            "{\"linux\":{\"namespaces\":[{\"type\":\"mount\"}],\"maskedPaths\":[\"/proc/kcore\"]}}");
        expect_none(&ev, "masked-paths");
        eval_done(&ev);
}
END_TEST

/* === devices ============================================================ */

START_TEST(test_privileged_docker_spec_is_denied_by_devices)
{
        struct eval ev = eval_corpus("docker/privileged.json", true);
        ck_assert_int_eq(eval_verdict(&ev), VERDICT_DENY);
        bool cgroup = false, kvm = false;
        for (size_t i = 0; i < ev.n; i++) {
                const struct finding *f = &ev.findings[i];
                if (!STREQ(f->rule, "devices"))
                        continue;
                ck_assert_int_eq(f->action, ACTION_DENY);
                cgroup |= STREQ(f->pointer, "/linux/resources/devices/0");
                kvm |= strstr(f->message, "/dev/kvm") != NULL;
        }
        ck_assert(cgroup && kvm);
        eval_done(&ev);
}
END_TEST

START_TEST(test_docker_default_device_rules_pass)
{
        static const char *const names[] = {"docker/default.json", "docker/hardened.json", "podman/default.json"};
        for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
                struct eval ev = eval_corpus(names[i], true);
                expect_none(&ev, "devices");
                eval_done(&ev);
        }
}
END_TEST

START_TEST(test_device_nodes_are_judged_by_their_numbers)
{
        struct eval ev = eval_spec(
                "{\"linux\":{\"devices\":[{\"path\":\"/dev/null\",\"type\":\"c\",\"major\":1,\"minor\":1}]}}");
        const struct finding *f = expect(&ev, "devices", ACTION_DENY);
        ck_assert_ptr_nonnull(strstr(f->message, "physical memory"));
        ck_assert_str_eq(f->pointer, "/linux/devices/0");
        eval_done(&ev);
        ev = eval_spec("{\"linux\":{\"devices\":[{\"path\":\"/dev/sda\",\"type\":\"c\",\"major\":1,\"minor\":3},"
                       "{\"path\":\"/dev/fifo\",\"type\":\"p\",\"major\":0,\"minor\":0},"
                       "{\"path\":\"//dev/./pts/0\",\"type\":\"u\",\"major\":136,\"minor\":0}]}}");
        expect_none(&ev, "devices");
        eval_done(&ev);
        ev = eval_spec("{\"linux\":{\"devices\":[{\"path\":\"/dev/vda\",\"type\":\"b\",\"major\":253,\"minor\":0}]}}");
        ck_assert_ptr_nonnull(strstr(expect(&ev, "devices", ACTION_DENY)->message, "block device"));
        eval_done(&ev);
}
END_TEST

static struct eval eval_cgroup(const char *rules)
{
        char json[1024];
        snprintf(json, sizeof(json), "{\"linux\":{\"resources\":{\"devices\":%s}}}", rules);
        return eval_spec(json);
}

START_TEST(test_device_cgroup_follows_runc_emulator_order)
{
        /* a rule of type "a" resets everything, whatever its numbers */
        struct eval ev = eval_cgroup("[{\"allow\":false,\"access\":\"rwm\"},{\"allow\":true,\"type\":\"a\",\"major\":1,"
                                     "\"minor\":3,\"access\":\"r\"}]");
        ck_assert_str_eq(expect(&ev, "devices", ACTION_DENY)->pointer, "/linux/resources/devices/1");
        eval_done(&ev);
        /* the last reset wins */
        ev = eval_cgroup("[{\"allow\":true,\"access\":\"rwm\"},{\"allow\":false,\"access\":\"rwm\"},"
                         "{\"allow\":true,\"type\":\"c\",\"major\":1,\"minor\":9,\"access\":\"rwm\"}]");
        expect_none(&ev, "devices");
        eval_done(&ev);
        /* every character device */
        ev = eval_cgroup("[{\"allow\":false,\"access\":\"rwm\"},{\"allow\":true,\"type\":\"c\",\"access\":\"rw\"}]");
        ck_assert_ptr_nonnull(strstr(expect(&ev, "devices", ACTION_DENY)->message, "c *:*"));
        eval_done(&ev);
        /* a later deny takes back read and write; mknod alone opens nothing */
        ev = eval_cgroup(
                "[{\"allow\":false,\"access\":\"rwm\"},{\"allow\":true,\"type\":\"c\",\"major\":1,\"minor\":1,"
                "\"access\":\"rwm\"},{\"allow\":false,\"type\":\"c\",\"major\":1,\"minor\":1,\"access\":\"rw\"},"
                "{\"allow\":true,\"type\":\"b\",\"access\":\"m\"}]");
        expect_none(&ev, "devices");
        eval_done(&ev);
}
END_TEST

START_TEST(test_allowed_devices_are_a_parameter)
{
        const char *spec =
                "{\"linux\":{\"devices\":[{\"path\":\"/dev/net/tun\",\"type\":\"c\",\"major\":10,\"minor\":200}],"
                "\"resources\":{\"devices\":[{\"allow\":false,\"access\":\"rwm\"},"
                "{\"allow\":true,\"type\":\"c\",\"major\":10,\"minor\":200,\"access\":\"rwm\"}]}}}";
        struct eval ev = eval_spec(spec);
        ck_assert_uint_eq(count_rule(&ev, "devices"), 2);
        eval_done(&ev);
        ev = eval_policy("{\"version\":1,\"rules\":{\"devices\":{\"params\":{\"allowed\":[\"null\",\"c 10:200\"]}}}}",
                         spec);
        expect_none(&ev, "devices");
        eval_done(&ev);
        ev = eval_policy("{\"version\":1,\"rules\":{\"devices\":{\"params\":{\"allowed\":[\"tun\",\"bogus\"]}}}}",
                         spec);
        ck_assert_ptr_nonnull(strstr(expect(&ev, "devices", ACTION_WARN)->message, "bogus"));
        ck_assert_uint_eq(count_rule(&ev, "devices"), 1);
        eval_done(&ev);
}
END_TEST

START_TEST(test_device_rules_runc_refuses_are_spec_invalid)
{
        struct eval ev = eval_cgroup("[{\"allow\":true,\"type\":\"x\",\"access\":\"rwm\"}]");
        expect(&ev, "spec-invalid", ACTION_DENY);
        eval_done(&ev);
        ev = eval_cgroup("[{\"allow\":true,\"type\":\"c\",\"access\":\"\"}]");
        expect(&ev, "spec-invalid", ACTION_DENY);
        eval_done(&ev);
}
END_TEST

/* === sysctls ============================================================ */

static struct eval eval_sysctl(const char *namespaces, const char *sysctl)
{
        char json[1024];
        snprintf(json, sizeof(json), "{\"linux\":{\"namespaces\":[%s],\"sysctl\":%s}}", namespaces, sysctl);
        return eval_spec(json);
}

START_TEST(test_engine_default_sysctls_pass)
{
        static const char *const names[] = {"docker/default.json", "podman/default.json"};
        for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
                struct eval ev = eval_corpus(names[i], true);
                expect_none(&ev, "sysctls");
                eval_done(&ev);
        }
}
END_TEST

START_TEST(test_network_sysctls_need_a_private_network_namespace)
{
        const char *s = "{\"net.ipv4.ip_forward\":\"1\"}";
        struct eval ev = eval_sysctl("{\"type\":\"network\"}", s);
        expect_none(&ev, "sysctls");
        eval_done(&ev);
        ev = eval_sysctl("{\"type\":\"pid\"}", s);
        const struct finding *f = expect(&ev, "sysctls", ACTION_DENY);
        ck_assert_str_eq(f->pointer, "/linux/sysctl/net.ipv4.ip_forward");
        eval_done(&ev);
        ev = eval_sysctl("{\"type\":\"network\",\"path\":\"/proc/self/ns/net\"}", s);
        expect(&ev, "sysctls", ACTION_DENY);
        eval_done(&ev);
        /* runc's slash spelling is the same sysctl */
        ev = eval_sysctl("{\"type\":\"pid\"}", "{\"net/ipv4/ip_forward\":\"1\"}");
        ck_assert_ptr_nonnull(strstr(expect(&ev, "sysctls", ACTION_DENY)->message, "net.ipv4.ip_forward"));
        eval_done(&ev);
}
END_TEST

START_TEST(test_ipc_and_uts_sysctls_need_their_namespaces)
{
        const char *s = "{\"kernel.shmmax\":\"1\",\"fs.mqueue.msg_max\":\"10\",\"kernel.domainname\":\"x\"}";
        struct eval ev = eval_sysctl("{\"type\":\"ipc\"},{\"type\":\"uts\"}", s);
        expect_none(&ev, "sysctls");
        eval_done(&ev);
        ev = eval_sysctl("{\"type\":\"uts\"}", s);
        ck_assert_uint_eq(count_rule(&ev, "sysctls"), 2);
        eval_done(&ev);
}
END_TEST

START_TEST(test_host_wide_sysctls_are_denied)
{
        struct eval ev = eval_sysctl(NS_ALL, "{\"kernel.core_pattern\":\"|/tmp/x\",\"kernel/modprobe\":\"/x\","
                                             "\"vm.overcommit_memory\":\"1\",\"kernel.msgmax_not\":\"1\"}");
        ck_assert_uint_eq(count_rule(&ev, "sysctls"), 4);
        ck_assert_ptr_nonnull(strstr(find(&ev, "sysctls")->message, "host's kernel"));
        eval_done(&ev);
}
END_TEST

START_TEST(test_sysctl_allowed_and_denied_lists)
{
        const char *pol = "{\"version\":1,\"rules\":{\"sysctls\":{\"params\":{\"allowed\":[\"vm.*\"],"
                          "\"denied\":[\"net.ipv4.conf.*.forwarding\"]}}}}";
        char json[512];
        snprintf(json, sizeof(json),
                 "{\"linux\":{\"namespaces\":[" NS_ALL "],\"sysctl\":{\"vm.swappiness\":\"1\","
                 "\"net.ipv4.conf.all.forwarding\":\"1\",\"net.ipv4.ping_group_range\":\"0 0\"}}}");
        struct eval ev = eval_policy(pol, json);
        ck_assert_uint_eq(count_rule(&ev, "sysctls"), 1);
        ck_assert_ptr_nonnull(strstr(find(&ev, "sysctls")->message, "net.ipv4.conf.all.forwarding"));
        eval_done(&ev);
}
END_TEST

START_TEST(test_non_string_sysctl_is_spec_invalid)
{
        struct eval ev = eval_sysctl(NS_ALL, "{\"net.ipv4.ip_forward\":1}");
        expect(&ev, "spec-invalid", ACTION_DENY);
        eval_done(&ev);
}
END_TEST

/* === hooks ============================================================== */

static struct eval eval_hook(const char *policy, const char *kind, const char *path, bool offline)
{
        char json[512];
        snprintf(json, sizeof(json), "{\"hooks\":{\"%s\":[{\"path\":\"%s\",\"args\":[\"x\",\"SECRET=1\"]}]}}", kind,
                 path);
        return eval_with(json, (struct opts){.policy = policy, .offline = offline});
}

START_TEST(test_untrusted_hooks_of_every_kind_warn)
{
        static const char *const kinds[] = {"prestart",       "createRuntime", "createContainer",
                                            "startContainer", "poststart",     "poststop"};
        for (size_t i = 0; i < ARRAY_SIZE(kinds); i++) {
                struct eval ev = eval_hook(NULL, kinds[i], "/usr/local/bin/evil-hook", false);
                const struct finding *f = expect(&ev, "hooks", ACTION_WARN);
                char ptr[64];
                snprintf(ptr, sizeof(ptr), "/hooks/%s/0/path", kinds[i]);
                ck_assert_str_eq(f->pointer, ptr);
                ck_assert_ptr_null(strstr(f->message, "SECRET"));
                eval_done(&ev);
        }
}
END_TEST

START_TEST(test_a_proc_exe_hook_is_judged_by_the_running_binary)
{
        char self[64], exe[4096], pol[4200];
        snprintf(self, sizeof(self), "/proc/%d/exe", (int)getpid());
        ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
        ck_assert_int_gt(n, 0);
        exe[n] = '\0';
        /* this test program is no trusted hook */
        struct eval ev = eval_hook(NULL, "prestart", self, false);
        ck_assert_ptr_nonnull(strstr(expect(&ev, "hooks", ACTION_WARN)->message, exe));
        eval_done(&ev);
        /* ... until the policy trusts it, by path or by glob */
        snprintf(pol, sizeof(pol), "{\"version\":1,\"rules\":{\"hooks\":{\"params\":{\"trusted\":[\"%s\"]}}}}", exe);
        ev = eval_hook(pol, "prestart", self, false);
        expect_none(&ev, "hooks");
        eval_done(&ev);
        /* offline, another host's /proc/<pid>/exe says nothing */
        ev = eval_hook(NULL, "prestart", "/proc/3206/exe", true);
        expect_none(&ev, "hooks");
        eval_done(&ev);
}
END_TEST

START_TEST(test_a_symlink_to_a_trusted_hook_is_trusted)
{
        char link[128];
        make_tmp();
        snprintf(link, sizeof(link), "%s/hook", tmp);
        ck_assert_int_eq(symlink("/bin/true", link), 0);
        char pol[256];
        snprintf(pol, sizeof(pol), "{\"version\":1,\"rules\":{\"hooks\":{\"params\":{\"trusted\":[\"/bin/true\"]}}}}");
        struct eval ev = eval_hook(pol, "createRuntime", link, false);
        expect_none(&ev, "hooks");
        eval_done(&ev);
        ev = eval_hook(pol, "createRuntime", "/bin/false", false);
        expect(&ev, "hooks", ACTION_WARN);
        eval_done(&ev);
}
END_TEST

START_TEST(test_docker_corpus_hook_passes_in_lint)
{
        struct eval ev = eval_corpus("docker/default.json", true);
        expect_none(&ev, "hooks");
        eval_done(&ev);
}
END_TEST

/* === ssh-server ========================================================= */

static struct eval eval_args(const char *args, spec_kind_t kind)
{
        char json[1024];
        if (kind == SPEC_PROCESS)
                snprintf(json, sizeof(json), "{\"args\":%s,\"cwd\":\"/\"}", args);
        else
                snprintf(json, sizeof(json), "{\"process\":{\"args\":%s,\"cwd\":\"/\"}}", args);
        return eval_with(json, (struct opts){.kind = kind, .offline = true});
}

START_TEST(test_ssh_daemons_are_denied_however_started)
{
        static const char *const cmds[] = {
                "[\"/usr/sbin/sshd\",\"-D\"]",
                "[\"sshd\"]",
                "[\"dropbear\",\"-F\",\"-E\"]",
                "[\"sh\",\"-c\",\"service ssh start && tail -f /dev/null\"]",
                "[\"/bin/bash\",\"-lc\",\"echo starting; exec /usr/sbin/sshd -D -e 2>&1\"]",
                "[\"env\",\"-i\",\"FOO=1\",\"/usr/sbin/sshd\",\"-D\"]",
                "[\"/usr/bin/env\",\"-S\",\"sshd -D\"]",
                "[\"busybox\",\"sh\",\"-c\",\"(cd /; /usr/sbin/sshd)\"]",
                "[\"tini\",\"--\",\"/usr/sbin/sshd\",\"-D\"]",
                "[\"gosu\",\"root\",\"sshd\"]",
                "[\"timeout\",\"-s\",\"KILL\",\"3600\",\"sshd\"]",
                "[\"/etc/init.d/ssh\",\"start\"]",
                "[\"su\",\"-c\",\"/usr/sbin/dropbear -F\",\"root\"]",
                "[\"sh\",\"-c\",\"FOO=bar nohup sshd & wait\"]",
                "[\"sh\",\"-c\",\"if true; then '/usr/sbin/sshd' -D; fi\"]",
                "[\"sh\",\"-ec\",\"sh -c \\\"sshd -D\\\"\"]",
        };
        for (size_t i = 0; i < ARRAY_SIZE(cmds); i++) {
                struct eval ev = eval_args(cmds[i], SPEC_CONFIG);
                const struct finding *f = find(&ev, "ssh-server");
                ck_assert_msg(f && f->action == ACTION_DENY, "%s was not denied", cmds[i]);
                ck_assert_str_eq(f->pointer, "/process/args");
                eval_done(&ev);
        }
}
END_TEST

START_TEST(test_commands_that_only_mention_ssh_pass)
{
        static const char *const cmds[] = {
                "[\"ssh\",\"host\"]",
                "[\"echo\",\"sshd\"]",
                "[\"sh\",\"-c\",\"echo sshd; cat /etc/ssh/sshd_config\"]",
                "[\"sh\",\"/start-sshd.sh\"]",
                "[\"sshd-keygen\"]",
                "[\"grep\",\"-r\",\"dropbear\",\"/etc\"]",
                "[\"sh\",\"-c\",\"ssh-keygen -A > /dev/null\"]",
                "[\"sh\",\"-c\",\"command -v sshd || echo no sshd\"]",
        };
        for (size_t i = 0; i < ARRAY_SIZE(cmds); i++) {
                struct eval ev = eval_args(cmds[i], SPEC_CONFIG);
                ck_assert_msg(!find(&ev, "ssh-server"), "%s was reported", cmds[i]);
                eval_done(&ev);
        }
}
END_TEST

START_TEST(test_exec_of_an_ssh_daemon_is_denied)
{
        struct eval ev = eval_args("[\"/usr/sbin/sshd\",\"-D\"]", SPEC_PROCESS);
        ck_assert_str_eq(expect(&ev, "ssh-server", ACTION_DENY)->pointer, "/args");
        eval_done(&ev);
}
END_TEST

static char rootfs[128];

static void make_rootfs(void)
{
        make_tmp();
        snprintf(rootfs, sizeof(rootfs), "%s/bundle/rootfs/usr/sbin", tmp);
        mkdirs(rootfs);
        snprintf(rootfs, sizeof(rootfs), "%s/bundle/rootfs", tmp);
}

static struct eval eval_rootfs(const char *root_path, bool offline)
{
        char json[512], bundle[128];
        snprintf(json, sizeof(json), "{\"root\":{\"path\":\"%s\"},\"process\":{\"args\":[\"true\"]}}", root_path);
        snprintf(bundle, sizeof(bundle), "%s/bundle", tmp);
        return eval_with(json, (struct opts){.offline = offline, .bundle = bundle});
}

START_TEST(test_an_sshd_binary_in_the_rootfs_warns)
{
        char p[256];
        make_rootfs();
        snprintf(p, sizeof(p), "%s/usr/sbin/sshd", rootfs);
        write_file(p, "#!/bin/sh\n", 0755);
        /* root.path relative to the bundle, and absolute */
        struct eval ev = eval_rootfs("rootfs", false);
        const struct finding *f = expect(&ev, "ssh-server", ACTION_WARN);
        ck_assert_str_eq(f->pointer, "/root/path");
        eval_done(&ev);
        ev = eval_rootfs(rootfs, true);
        expect(&ev, "ssh-server", ACTION_WARN);
        eval_done(&ev);
}
END_TEST

START_TEST(test_a_symlink_in_the_image_never_reaches_a_host_file)
{
        char host[256], link[256], inside[256];
        make_rootfs();
        /* an executable sshd on the host, outside the rootfs */
        snprintf(host, sizeof(host), "%s/host-sshd", tmp);
        write_file(host, "#!/bin/sh\n", 0755);
        snprintf(link, sizeof(link), "%s/usr/sbin/sshd", rootfs);
        ck_assert_int_eq(symlink(host, link), 0);
        struct eval ev = eval_rootfs("rootfs", false);
        expect_none(&ev, "ssh-server");
        eval_done(&ev);
        /* the same through ".." climbing out of the root */
        unlink(link);
        ck_assert_int_eq(symlink("../../../../../../../../../host-sshd", link), 0);
        ev = eval_rootfs("rootfs", false);
        expect_none(&ev, "ssh-server");
        eval_done(&ev);
        /* and the absolute target is resolved inside the rootfs instead */
        snprintf(inside, sizeof(inside), "%s%s", rootfs, tmp);
        mkdirs(inside);
        strcat(inside, "/host-sshd");
        write_file(inside, "#!/bin/sh\n", 0755);
        unlink(link);
        ck_assert_int_eq(symlink(host, link), 0);
        ev = eval_rootfs("rootfs", false);
        expect(&ev, "ssh-server", ACTION_WARN);
        eval_done(&ev);
}
END_TEST

START_TEST(test_a_missing_rootfs_is_skipped_quietly)
{
        make_tmp();
        struct eval ev = eval_rootfs("no-such-rootfs", true);
        expect_none(&ev, "ssh-server");
        eval_done(&ev);
        ev = eval_corpus("docker/default.json", true);
        expect_none(&ev, "ssh-server");
        eval_done(&ev);
}
END_TEST

START_TEST(test_a_non_executable_or_directory_sshd_is_no_server)
{
        char p[256];
        make_rootfs();
        snprintf(p, sizeof(p), "%s/usr/sbin/sshd", rootfs);
        mkdirs(p);
        snprintf(p, sizeof(p), "%s/usr/sbin/dropbear", rootfs);
        write_file(p, "", 0644);
        struct eval ev = eval_rootfs("rootfs", false);
        expect_none(&ev, "ssh-server");
        eval_done(&ev);
}
END_TEST

/* === env-secrets ======================================================== */

static const char *const secret_values[] = {
        "hunter2-very-secret",
        "AKIAIOSFODNN7EXAMPLE",
        "-----BEGIN RSA PRIVATE KEY-----MIIEpAIBAAKCAQEA",
        "ghp_0123456789abcdefghijABCDEFGHIJ012345",
        "xoxb-123456789012-abcdefghij",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl",
        "postgres://app:s3cr3tpw@db:5432/app",
};

/* No finding may carry a secret, in its message or its pointer. */
static void expect_no_value_leak(const struct eval *ev)
{
        for (size_t i = 0; i < ev->n; i++)
                for (size_t k = 0; k < ARRAY_SIZE(secret_values); k++) {
                        ck_assert_msg(!strstr(ev->findings[i].message, secret_values[k]), "leak: %s",
                                      ev->findings[i].message);
                        ck_assert_msg(!strstr(ev->findings[i].pointer, secret_values[k]), "leak: %s",
                                      ev->findings[i].pointer);
                }
        for (size_t i = 0; i < ev->n; i++)
                ck_assert_ptr_null(strstr(ev->findings[i].message, "s3cr3tpw"));
}

static struct eval eval_env(const char *env, spec_kind_t kind)
{
        char json[2048];
        if (kind == SPEC_PROCESS)
                snprintf(json, sizeof(json), "{\"args\":[\"true\"],\"cwd\":\"/\",\"env\":%s}", env);
        else
                snprintf(json, sizeof(json), "{\"process\":{\"args\":[\"true\"],\"env\":%s}}", env);
        return eval_with(json, (struct opts){.kind = kind});
}

START_TEST(test_credential_names_warn_and_name_only_the_variable)
{
        struct eval ev = eval_env("[\"PATH=/bin\",\"DB_PASSWORD=hunter2-very-secret\"]", SPEC_CONFIG);
        const struct finding *f = expect(&ev, "env-secrets", ACTION_WARN);
        ck_assert_str_eq(f->pointer, "/process/env/1");
        ck_assert_ptr_nonnull(strstr(f->message, "DB_PASSWORD"));
        expect_no_value_leak(&ev);
        ck_assert_uint_eq(count_rule(&ev, "env-secrets"), 1);
        eval_done(&ev);
        static const char *const names[] = {"GITHUB_TOKEN", "api_key",   "AWS_SECRET_ACCESS_KEY", "MYSQL_ROOT_PASSWD",
                                            "BASIC_AUTH",   "SMTP_PASS", "GCP_CREDENTIALS",       "Private_Key"};
        for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
                char env[256];
                snprintf(env, sizeof(env), "[\"%s=hunter2-very-secret\"]", names[i]);
                ev = eval_env(env, SPEC_CONFIG);
                ck_assert_msg(find(&ev, "env-secrets"), "%s was not reported", names[i]);
                expect_no_value_leak(&ev);
                eval_done(&ev);
        }
}
END_TEST

START_TEST(test_credential_values_warn_under_any_name)
{
        for (size_t i = 1; i < ARRAY_SIZE(secret_values); i++) {
                char env[512];
                snprintf(env, sizeof(env), "[\"HOME=/root\",\"SETTING=%s\"]", secret_values[i]);
                struct eval ev = eval_env(env, SPEC_CONFIG);
                const struct finding *f = find(&ev, "env-secrets");
                ck_assert_msg(f, "value %zu was not reported", i);
                ck_assert_str_eq(f->pointer, "/process/env/1");
                ck_assert_ptr_nonnull(strstr(f->message, "SETTING"));
                expect_no_value_leak(&ev);
                eval_done(&ev);
        }
}
END_TEST

START_TEST(test_an_entry_without_a_name_is_never_quoted)
{
        struct eval ev = eval_env("[\"AKIAIOSFODNN7EXAMPLE\",\"AKIAIOSFODNN7EXAMPLE=x\"]", SPEC_CONFIG);
        ck_assert_uint_eq(count_rule(&ev, "env-secrets"), 2);
        ck_assert_ptr_nonnull(strstr(find(&ev, "env-secrets")->message, "index 0"));
        expect_no_value_leak(&ev);
        eval_done(&ev);
}
END_TEST

START_TEST(test_ordinary_variables_and_secret_files_pass)
{
        struct eval ev =
                eval_env("[\"PATH=/usr/bin\",\"HOSTNAME=abc\",\"GIT_AUTHOR_NAME=me\",\"PASSWORD_FILE=/run/secrets/db\","
                         "\"DB_PASSWORD=\",\"TOKEN_URL=https://auth.example.com/token\",\"TERM=xterm\","
                         "\"AUTHOR=x\",\"PWD=/\"]",
                         SPEC_CONFIG);
        expect_none(&ev, "env-secrets");
        eval_done(&ev);
        static const char *const names[] = {"docker/default.json", "podman/default.json", "docker/hardened.json"};
        for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
                ev = eval_corpus(names[i], true);
                expect_none(&ev, "env-secrets");
                eval_done(&ev);
        }
}
END_TEST

START_TEST(test_exec_processes_are_checked_for_secrets)
{
        struct eval ev = eval_env("[\"API_TOKEN=hunter2-very-secret\"]", SPEC_PROCESS);
        const struct finding *f = expect(&ev, "env-secrets", ACTION_WARN);
        ck_assert_str_eq(f->pointer, "/env/0");
        expect_no_value_leak(&ev);
        eval_done(&ev);
}
END_TEST

START_TEST(test_secret_patterns_are_parameters)
{
        const char *pol = "{\"version\":1,\"rules\":{\"env-secrets\":{\"params\":{\"names\":[\"*_PIN\"],"
                          "\"values\":[\"^pin-[0-9]+$\"]}}}}";
        struct policy *p = policy_from(pol);
        struct spec *s = parse_spec(
                "{\"process\":{\"env\":[\"CARD_PIN=1234\",\"X=pin-99\",\"DB_PASSWORD=hunter2-very-secret\"]}}");
        struct eval ev = {0};
        evaluate(p, s, CHECK_CONFIG, &ev);
        /* CARD_PIN by name, X by value; DB_PASSWORD is no longer a name */
        ck_assert_uint_eq(count_rule(&ev, "env-secrets"), 2);
        expect_no_value_leak(&ev);
        eval_done(&ev);
        spec_free(s);
        policy_free(p);
}
END_TEST

START_TEST(test_a_policy_with_a_broken_secret_pattern_is_refused)
{
        const char *pol = "{\"version\":1,\"rules\":{\"env-secrets\":{\"params\":"
                          "{\"values\":[\"^pin-[0-9]+$\",\"([\"]}}}}";
        rh_error_t err = RH_ERROR_INIT;
        struct policy *p = NULL;
        ck_assert_int_lt(policy_parse(pol, strlen(pol), "test", &p, &err), 0);
        ck_assert_ptr_null(p);
        ck_assert_msg(strstr(rh_error_msg(&err), "env-secrets") && strstr(rh_error_msg(&err), "values") &&
                              strstr(rh_error_msg(&err), "item 1"),
                      "message: %s", rh_error_msg(&err));
        rh_error_clear(&err);
}
END_TEST

/* The literal a pattern's matches must contain: each built-in pattern's,
 * and cases where none may be claimed. */
START_TEST(test_secret_patterns_have_the_literals_their_matches_need)
{
        static const struct {
                const char *re, *literal;
        } cases[] = {
                {"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----", "PRIVATE KEY-----"},
                {"(ghp|gho|ghs|ghu|ghr)_[A-Za-z0-9]{36}", "_"},
                {"github_pat_[A-Za-z0-9_]{22,}", "github_pat_"},
                {"xox[abpsr]-[A-Za-z0-9-]{10,}", "xox"},
                {"eyJ[A-Za-z0-9_-]+\\.eyJ[A-Za-z0-9_-]+\\.", ".eyJ"},
                {"sk_live_[A-Za-z0-9]{24,}", "sk_live_"},
                {"[A-Za-z][A-Za-z0-9+.-]*://[^/:@ ]+:[^/@ ]+@", "://"},
                {"(^|[^A-Z0-9])(AKIA|ASIA)[A-Z0-9]{16}([^A-Z0-9]|$)", ""},
                {"abc|defgh", ""},        /* either side alone */
                {"secret?s", "secre"},     /* t is optional */
                {"tok*ens", "ens"},        /* k may be absent */
                {"pa{2}ss", "ss"},         /* an interval takes its atom out */
                {"ab+cd", "ab"},           /* b repeats: cd need not follow ab */
                {"x\\.y", "x.y"},          /* an escaped dot is a dot */
                {"a\\wbc", "bc"},          /* \w is not a letter w */
                {"[]a(|]key", "key"},      /* brackets hold (, | and ] */
                {"(a|b)cde(f|g)", "cde"},
                {"^pin-[0-9]+$", "pin-"},
                {"p.ss", "ss"},
                {"", ""},
        };
        char out[64];
        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                size_t n = env_secrets_required_literal(cases[i].re, out, sizeof(out));
                ck_assert_msg(STREQ(out, cases[i].literal) && n == strlen(cases[i].literal),
                              "%s: got \"%s\", want \"%s\"", cases[i].re, out, cases[i].literal);
        }
}
END_TEST

/* The filter never hides a match: every secret value of the table and
 * each built-in pattern's own examples still match with the literal
 * check in front (and the literal is in each). */
START_TEST(test_every_match_contains_its_pattern_literal)
{
        struct policy *p = builtin_policy();
        const struct jv *values = NULL;
        for (size_t i = 0; i < rules_count(); i++)
                if (STREQ(rules_get(i)->id, "env-secrets"))
                        values = jv_get(p->conf[i].params, "values");
        ck_assert_ptr_nonnull(values);
        static const char *const samples[] = {
                "AKIAIOSFODNN7EXAMPLE", "x-----BEGIN EC PRIVATE KEY-----",
                "ghs_0123456789abcdefghijABCDEFGHIJ012345", "github_pat_0123456789abcdefghijABCD",
                "xoxp-1234567890", "eyJa.eyJb.", "glpat-0123456789abcdefghij",
                "sk_live_0123456789abcdefghijABCD", "AIza0123456789abcdefghijABCDEFGHIJ01234",
                "npm_0123456789abcdefghijABCDEFGHIJ012345", "https://u:p@h", "postgres://app:s3cr3tpw@db:5432/app",
        };
        char lit[256];
        size_t matched = 0;
        for (size_t k = 0; k < values->u.arr.n; k++) {
                const char *re_s = values->u.arr.v[k]->u.str.s;
                regex_t re;
                ck_assert_int_eq(regcomp(&re, re_s, REG_EXTENDED | REG_NOSUB), 0);
                size_t n = env_secrets_required_literal(re_s, lit, sizeof(lit));
                for (size_t i = 0; i < ARRAY_SIZE(samples); i++)
                        if (regexec(&re, samples[i], 0, NULL, 0) == 0) {
                                matched++;
                                ck_assert_msg(n == 0 || strstr(samples[i], lit), "%s matches %s without \"%s\"",
                                              samples[i], re_s, lit);
                        }
                regfree(&re);
        }
        ck_assert_uint_ge(matched, ARRAY_SIZE(samples));
        policy_free(p);
}
END_TEST

/* === root-user ========================================================== */

START_TEST(test_root_without_a_user_namespace_warns)
{
        struct eval ev = eval_corpus("docker/default.json", true);
        ck_assert_str_eq(expect(&ev, "root-user", ACTION_WARN)->pointer, "/process/user/uid");
        eval_done(&ev);
        ev = eval_spec("{\"process\":{\"args\":[\"true\"]}}");
        ck_assert_str_eq(expect(&ev, "root-user", ACTION_WARN)->pointer, "/process/user");
        eval_done(&ev);
        ev = eval_corpus("docker/user.json", true);
        expect_none(&ev, "root-user");
        eval_done(&ev);
}
END_TEST

START_TEST(test_root_mapped_by_a_user_namespace_passes)
{
        struct eval ev =
                eval_spec("{\"process\":{\"user\":{\"uid\":0}},\"linux\":{\"namespaces\":[{\"type\":\"user\"}],"
                          "\"uidMappings\":[{\"containerID\":0,\"hostID\":100000,\"size\":65536}]}}");
        expect_none(&ev, "root-user");
        eval_done(&ev);
        /* an identity mapping of root is the host's root */
        ev = eval_spec("{\"process\":{\"user\":{\"uid\":0}},\"linux\":{\"namespaces\":[{\"type\":\"user\"}],"
                       "\"uidMappings\":[{\"containerID\":1,\"hostID\":100001,\"size\":10},"
                       "{\"containerID\":0,\"hostID\":0,\"size\":1}]}}");
        expect(&ev, "root-user", ACTION_WARN);
        eval_done(&ev);
        /* mappings without a user namespace do nothing */
        ev = eval_spec("{\"process\":{\"user\":{\"uid\":0}},\"linux\":{\"uidMappings\":[{\"containerID\":0,"
                       "\"hostID\":100000,\"size\":65536}]}}");
        expect(&ev, "root-user", ACTION_WARN);
        eval_done(&ev);
        /* joining the host's user namespace maps nothing */
        ev = eval_spec("{\"process\":{\"user\":{\"uid\":0}},\"linux\":{\"namespaces\":[{\"type\":\"user\","
                       "\"path\":\"/proc/self/ns/user\"}]}}");
        expect(&ev, "root-user", ACTION_WARN);
        eval_done(&ev);
}
END_TEST

START_TEST(test_exec_as_root_warns)
{
        struct policy *p = builtin_policy();
        struct spec *s = NULL;
        char *path = corpus_path("docker/exec-plain.process.json");
        size_t len;
        char *buf = read_file(path, &len);
        rh_error_t err = RH_ERROR_INIT;
        ck_assert_int_eq(spec_parse(buf, len, SPEC_PROCESS, &s, &err), 0);
        struct eval ev = {0};
        evaluate(p, s, CHECK_EXEC, &ev);
        ck_assert_str_eq(expect(&ev, "root-user", ACTION_WARN)->pointer, "/user/uid");
        eval_done(&ev);
        spec_free(s);
        free(buf);
        free(path);
        policy_free(p);
}
END_TEST

/* === trusted-image ====================================================== */

static const char *image_policy =
        "{\"version\":1,\"rules\":{\"trusted-image\":{\"action\":\"deny\",\"params\":{\"allowed\":"
        "[\"busybox\",\"registry.example.com/team/*\",\"quay.io/org/app:1.2\"]}}}}";

static struct eval eval_image(const char *policy, const char *key, const char *image)
{
        char json[512];
        snprintf(json, sizeof(json), "{\"annotations\":{\"%s\":\"%s\"}}", key, image);
        return eval_policy(policy, json);
}

START_TEST(test_trusted_image_is_off_by_default)
{
        struct eval ev = eval_image("{\"version\":1}", "io.kubernetes.cri.image-name", "docker.io/evil/miner:latest");
        expect_none(&ev, "trusted-image");
        eval_done(&ev);
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
                struct eval ev = eval_image(image_policy, "io.kubernetes.cri.image-name", images[i]);
                ck_assert_msg(!find(&ev, "trusted-image"), "%s was reported", images[i]);
                eval_done(&ev);
        }
}
END_TEST

START_TEST(test_other_images_are_denied)
{
        static const char *const images[] = {"docker.io/evil/miner", "busybox-evil", "library/busybox/x",
                                             "quay.io/org/app:1.3", "registry.example.com/other/app"};
        for (size_t i = 0; i < ARRAY_SIZE(images); i++) {
                struct eval ev = eval_image(image_policy, "io.kubernetes.cri-o.ImageName", images[i]);
                const struct finding *f = find(&ev, "trusted-image");
                ck_assert_msg(f && f->action == ACTION_DENY, "%s was not denied", images[i]);
                ck_assert_str_eq(f->pointer, "/annotations/io.kubernetes.cri-o.ImageName");
                eval_done(&ev);
        }
}
END_TEST

START_TEST(test_no_engine_set_image_name_warns)
{
        /* a label copied from the image proves nothing */
        struct eval ev = eval_image(image_policy, "org.opencontainers.image.ref.name", "busybox");
        expect(&ev, "trusted-image", ACTION_WARN);
        eval_done(&ev);
        ev = eval_with("{}", (struct opts){.policy = image_policy});
        expect(&ev, "trusted-image", ACTION_WARN);
        eval_done(&ev);
        struct policy *p = policy_from(image_policy);
        static const char *const names[] = {"docker/default.json", "podman/default.json"};
        for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
                struct spec *s = corpus_spec(names[i]);
                ev = (struct eval){0};
                evaluate(p, s, CHECK_CONFIG, &ev);
                expect(&ev, "trusted-image", ACTION_WARN);
                eval_done(&ev);
                spec_free(s);
        }
        policy_free(p);
}
END_TEST

START_TEST(test_an_empty_allowed_list_only_warns)
{
        struct eval ev = eval_image("{\"version\":1,\"rules\":{\"trusted-image\":{\"action\":\"deny\"}}}",
                                    "io.kubernetes.cri.image-name", "docker.io/evil/miner");
        expect(&ev, "trusted-image", ACTION_WARN);
        ck_assert_uint_eq(count_rule(&ev, "trusted-image"), 1);
        eval_done(&ev);
}
END_TEST

/* === the registry ======================================================== */

START_TEST(test_every_isolation_rule_is_registered_with_its_default)
{
        static const struct {
                const char *id;
                rh_action_t action;
        } want[] = {
                {"host-namespace", ACTION_DENY},  {"shared-namespace", ACTION_WARN},  {"engine-socket", ACTION_DENY},
                {"sensitive-mount", ACTION_DENY}, {"mount-propagation", ACTION_DENY}, {"readonly-rootfs", ACTION_FIX},
                {"masked-paths", ACTION_FIX},     {"devices", ACTION_DENY},           {"sysctls", ACTION_DENY},
                {"hooks", ACTION_WARN},           {"ssh-server", ACTION_DENY},        {"env-secrets", ACTION_WARN},
                {"root-user", ACTION_WARN},       {"trusted-image", ACTION_OFF},
        };
        for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
                const struct rule *r = rules_find(want[i].id, NULL);
                ck_assert_msg(r != NULL, "%s is not registered", want[i].id);
                ck_assert_int_eq(r->default_action, want[i].action);
        }
}
END_TEST

static Suite *make_suite(void)
{
        Suite *s = suite_create("rules-isolation");
        struct {
                const char *name;
                const TTest *tests[24];
        } cases[] = {
                {"host-namespace",
                 {test_required_namespaces_accept_proc_aliases, test_unknown_required_namespace_type_warns,
                  test_user_and_cgroup_namespaces_are_required_only_when_the_policy_says,
                  test_host_uts_namespace_through_dot_dot_is_denied}},
                {"shared-namespace",
                 {test_joining_a_namespace_another_process_uses_warns,
                  test_a_fresh_engine_made_namespace_is_not_sharing, test_namespaces_without_paths_share_nothing}},
                {"engine-socket",
                 {test_rootless_podman_sockets_are_found_by_glob, test_socket_found_through_a_hard_link_named_by_a_glob,
                  test_a_trailing_double_star_protects_a_whole_directory,
                  test_a_directory_holding_a_bind_of_the_socket_directory_is_denied,
                  test_default_sockets_include_rootless_podman_and_crio, test_bind_options_in_any_case_make_a_bind}},
                {"sensitive-mount",
                 {test_read_write_bind_of_etc_is_denied_however_spelled, test_read_only_bind_of_etc_is_a_warning,
                  test_read_only_follows_runc_option_order_and_spelling, test_parents_of_sensitive_paths_are_sensitive,
                  test_ordinary_binds_and_engine_files_pass, test_corpus_engine_binds_are_not_sensitive,
                  test_symlink_and_bind_aliases_of_etc_are_found, test_relative_sources_are_taken_from_the_bundle,
                  test_sensitive_paths_and_exceptions_are_parameters, test_host_root_as_rootfs_is_denied,
                  test_host_file_systems_are_denied}},
                {"mount-propagation",
                 {test_shared_propagation_on_a_bind_is_denied, test_private_and_slave_propagation_pass,
                  test_shared_rootfs_propagation_is_denied}},
                {"readonly-rootfs",
                 {test_readonly_fix_sets_readonly_and_normalises_tmpfs_paths, test_readonly_rootfs_corpus_verdicts}},
                {"masked-paths",
                 {test_docker_default_lacks_only_powercap_and_the_fix_adds_it,
                  test_privileged_spec_gets_every_masked_and_readonly_path,
                  test_odd_spellings_and_parent_entries_cover_required_paths,
                  test_readonly_paths_do_not_satisfy_masking, test_masking_without_a_mount_namespace_is_denied,
                  test_masked_path_lists_are_parameters}},
                {"devices",
                 {test_privileged_docker_spec_is_denied_by_devices, test_docker_default_device_rules_pass,
                  test_device_nodes_are_judged_by_their_numbers, test_device_cgroup_follows_runc_emulator_order,
                  test_allowed_devices_are_a_parameter, test_device_rules_runc_refuses_are_spec_invalid}},
                {"sysctls",
                 {test_engine_default_sysctls_pass, test_network_sysctls_need_a_private_network_namespace,
                  test_ipc_and_uts_sysctls_need_their_namespaces, test_host_wide_sysctls_are_denied,
                  test_sysctl_allowed_and_denied_lists, test_non_string_sysctl_is_spec_invalid}},
                {"hooks",
                 {test_untrusted_hooks_of_every_kind_warn, test_a_proc_exe_hook_is_judged_by_the_running_binary,
                  test_a_symlink_to_a_trusted_hook_is_trusted, test_docker_corpus_hook_passes_in_lint}},
                {"ssh-server",
                 {test_ssh_daemons_are_denied_however_started, test_commands_that_only_mention_ssh_pass,
                  test_exec_of_an_ssh_daemon_is_denied, test_an_sshd_binary_in_the_rootfs_warns,
                  test_a_symlink_in_the_image_never_reaches_a_host_file, test_a_missing_rootfs_is_skipped_quietly,
                  test_a_non_executable_or_directory_sshd_is_no_server}},
                {"env-secrets",
                 {test_credential_names_warn_and_name_only_the_variable, test_credential_values_warn_under_any_name,
                  test_an_entry_without_a_name_is_never_quoted, test_ordinary_variables_and_secret_files_pass,
                  test_exec_processes_are_checked_for_secrets, test_secret_patterns_are_parameters,
                  test_a_policy_with_a_broken_secret_pattern_is_refused,
                  test_secret_patterns_have_the_literals_their_matches_need,
                  test_every_match_contains_its_pattern_literal}},
                {"root-user",
                 {test_root_without_a_user_namespace_warns, test_root_mapped_by_a_user_namespace_passes,
                  test_exec_as_root_warns}},
                {"trusted-image",
                 {test_trusted_image_is_off_by_default, test_allowed_images_pass, test_other_images_are_denied,
                  test_no_engine_set_image_name_warns, test_an_empty_allowed_list_only_warns}},
                {"registry", {test_every_isolation_rule_is_registered_with_its_default}},
        };
        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                TCase *tc = tcase_create(cases[i].name);
                tcase_add_checked_fixture(tc, NULL, remove_tmp);
                for (size_t k = 0; k < ARRAY_SIZE(cases[i].tests) && cases[i].tests[k]; k++)
                        tcase_add_test(tc, cases[i].tests[k]);
                suite_add_tcase(s, tc);
        }
        return s;
}

RUN_SUITE(make_suite)
