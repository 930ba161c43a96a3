/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "testutil.h"
#include "util.h"

/* Tests of the bind rules (policy/rules/binds.c) judging host paths by
 * what they are: aliases made by mounts, overlay layers, the root file
 * system, the mounts below a read-only bind, engine state, the allowlist
 * mode, and the paths that cannot be judged. Each test runs in its own
 * process; tests that mount do it in a mount namespace of their own. */

/* --- fixture -------------------------------------------------------------- */

static char tmp[64];
static bool tmp_is_tmpfs;

/* Whether anything is mounted at or below dir in this namespace. */
static bool has_mounts_below(const char *dir)
{
        FILE *f = fopen("/proc/self/mountinfo", "re");
        char line[4096], point[4096];
        size_t n = strlen(dir);
        bool found = false;

        ck_assert_ptr_nonnull(f);
        while (!found && fgets(line, sizeof(line), f))
                if (sscanf(line, "%*s %*s %*s %*s %4095s", point) == 1 && strncmp(point, dir, n) == 0 &&
                    (point[n] == '\0' || point[n] == '/'))
                        found = true;
        fclose(f);
        return found;
}

/* The scratch directory. Tests that mount call private_mounts() first:
 * then it is a tmpfs of their own namespace, so that whatever host
 * directory a test binds below it is on another file system and never
 * reached by the removal, and the tmpfs goes with the namespace. */
static bool in_private_ns;

/* A mount namespace of this test process only. */
static void private_mounts(void)
{
        ck_assert_int_eq(unshare(CLONE_NEWNS), 0);
        ck_assert_int_eq(mount("", "/", NULL, MS_REC | MS_PRIVATE, NULL), 0);
        in_private_ns = true;
}

static void make_tmp(void)
{
        strcpy(tmp, "/tmp/rh-binds-XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(tmp));
        tmp_is_tmpfs = in_private_ns;
        if (tmp_is_tmpfs)
                ck_assert_int_eq(mount("scratch", tmp, "tmpfs", 0, "size=16m"), 0);
}

/* Removes the scratch directory, never through a mount: a bind of a host
 * directory below it would otherwise be emptied (rm's --one-file-system
 * does not stop at a bind of the same file system). */
static void remove_tmp(void)
{
        char cmd[256];
        if (!tmp[0])
                return;
        if (tmp_is_tmpfs || has_mounts_below(tmp))
                (void)umount2(tmp, MNT_DETACH);
        while (has_mounts_below(tmp)) {
                /* something stacked: detach the innermost first */
                char line[4096], point[4096], last[4096] = "";
                FILE *f = fopen("/proc/self/mountinfo", "re");
                size_t n = strlen(tmp);
                while (f && fgets(line, sizeof(line), f))
                        if (sscanf(line, "%*s %*s %*s %*s %4095s", point) == 1 && strncmp(point, tmp, n) == 0 &&
                            (point[n] == '\0' || point[n] == '/'))
                                strcpy(last, point);
                if (f)
                        fclose(f);
                if (!last[0] || umount2(last, MNT_DETACH) < 0) {
                        fprintf(stderr, "%s still has mounts below it: left in place\n", tmp);
                        tmp[0] = '\0';
                        return;
                }
        }
        snprintf(cmd, sizeof(cmd), "rm -rf --one-file-system '%s'", tmp);
        if (system(cmd) != 0)
                fprintf(stderr, "cannot remove %s\n", tmp);
        tmp[0] = '\0';
}

/* tmp + "/" + rel, in a static ring of buffers */
static const char *T(const char *rel)
{
        static char ring[8][512];
        static int i;
        char *p = ring[i++ % 8];
        snprintf(p, sizeof(ring[0]), "%s/%s", tmp, rel);
        return p;
}

static void mkdirs(const char *path)
{
        char cmd[600];
        snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", path);
        ck_assert_int_eq(system(cmd), 0);
}

static void bind_mount(const char *src, const char *dst, bool recursive)
{
        mkdirs(dst);
        ck_assert_int_eq(mount(src, dst, NULL, MS_BIND | (recursive ? MS_REC : 0), NULL), 0);
}

static void tmpfs_at(const char *dst, bool ro)
{
        mkdirs(dst);
        ck_assert_int_eq(mount("t", dst, "tmpfs", ro ? MS_RDONLY : 0, "size=64k"), 0);
}

/* --- evaluating ------------------------------------------------------------ */

struct opts {
        const char *policy; /* policy document, NULL for the built-in one */
        const char *bundle;
        bool offline;
};

static struct eval eval_with(const char *spec_json, struct opts o)
{
        struct policy *p = o.policy ? policy_from(o.policy) : builtin_policy();
        struct spec *s = parse_spec(spec_json);
        struct eval ev = {0};

        s->bundle = strdup(o.bundle ? o.bundle : "/nonexistent-bundle");
        s->offline = o.offline;
        evaluate(p, s, CHECK_CONFIG, &ev);
        spec_free(s);
        policy_free(p);
        return ev;
}

/* A spec with one mount (JSON text of its object) after a proc mount. */
static char *spec_with_mount(const char *mount_json)
{
        char *json = NULL;
        ck_assert(asprintf(&json,
                           "{\"mounts\":[{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\"},%s]}",
                           mount_json) > 0);
        return json;
}

static char *bind_json(const char *source, const char *options)
{
        char *json = NULL;
        ck_assert(asprintf(&json, "{\"destination\":\"/x\",\"type\":\"bind\",\"source\":\"%s\",\"options\":%s}",
                           source, options) > 0);
        return json;
}

static struct eval eval_bind_opts(const char *source, const char *options, struct opts o)
{
        _cleanup_free_ char *m = bind_json(source, options);
        _cleanup_free_ char *json = spec_with_mount(m);
        return eval_with(json, o);
}

static struct eval eval_bind(const char *source, const char *options)
{
        return eval_bind_opts(source, options, (struct opts){0});
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

static void expect_bind(const char *source, const char *options, const char *rule, rh_action_t action,
                        const char *msg_part)
{
        struct eval ev = eval_bind(source, options);
        const struct finding *f = expect(&ev, rule, action);
        if (msg_part)
                ck_assert_msg(strstr(f->message, msg_part), "%s lacks \"%s\"", f->message, msg_part);
        eval_done(&ev);
}

static void expect_bind_passes(const char *source, const char *options)
{
        struct eval ev = eval_bind(source, options);
        expect_none(&ev, "sensitive-mount");
        expect_none(&ev, "engine-socket");
        expect_none(&ev, "spec-invalid");
        expect_none(&ev, "recursive-readonly");
        eval_done(&ev);
}

/* A policy whose sensitive-mount params are the built-in ones except
 * for those given (JSON members). */
static char *policy_with(const char *params)
{
        char *p = NULL;
        ck_assert(asprintf(&p, "{\"version\":1,\"rules\":{\"sensitive-mount\":{\"params\":{%s}}}}", params) > 0);
        return p;
}

/* --- aliases ------------------------------------------------------------- */

START_TEST(test_a_volume_that_is_a_bind_of_etc_is_judged_as_etc)
{
        private_mounts();
        make_tmp();
        /* the engine's volume directory, as `docker volume create --opt
         * type=none --opt o=bind --opt device=/etc` leaves it */
        char allowed[128];
        snprintf(allowed, sizeof(allowed), "\"allowed\":[\"%s/volumes/*/_data/**\"]", tmp);
        _cleanup_free_ char *pol = policy_with(allowed);
        mkdirs(T("volumes/plain/_data"));
        struct eval ev = eval_bind_opts(T("volumes/plain/_data"), "[\"rbind\"]", (struct opts){.policy = pol});
        expect_none(&ev, "sensitive-mount");
        eval_done(&ev);
        bind_mount("/etc", T("volumes/etc/_data"), false);
        ev = eval_bind_opts(T("volumes/etc/_data"), "[\"rbind\"]", (struct opts){.policy = pol});
        const struct finding *f = expect(&ev, "sensitive-mount", ACTION_DENY);
        ck_assert_ptr_nonnull(strstr(f->message, "the host's /etc (the path is a bind mount of it) read-write"));
        eval_done(&ev);
        /* read-only it is a warning, as for -v /etc:/x:ro */
        ev = eval_bind_opts(T("volumes/etc/_data"), "[\"rbind\",\"ro\"]", (struct opts){.policy = pol});
        expect(&ev, "sensitive-mount", ACTION_WARN);
        eval_done(&ev);
        /* a file inside it, and a bind of a directory below /etc (neither
         * is /etc's inode or an ancestor of it) */
        _cleanup_free_ char *shadow = NULL;
        ck_assert(asprintf(&shadow, "%s/shadow", T("volumes/etc/_data")) > 0);
        ev = eval_bind_opts(shadow, "[\"bind\"]", (struct opts){.policy = pol});
        expect(&ev, "sensitive-mount", ACTION_DENY);
        eval_done(&ev);
        bind_mount("/etc/default", T("volumes/sub/_data"), false);
        ev = eval_bind_opts(T("volumes/sub/_data"), "[\"rbind\"]", (struct opts){.policy = pol});
        f = expect(&ev, "sensitive-mount", ACTION_DENY);
        ck_assert_ptr_nonnull(strstr(f->message, "/etc/default"));
        eval_done(&ev);
}
END_TEST

START_TEST(test_the_default_volume_directory_is_judged_by_identity)
{
        private_mounts();
        make_tmp();
        /* Docker's own volume path, on a tmpfs of this namespace only */
        struct stat st;
        if (stat("/var/lib", &st) < 0)
                return;
        tmpfs_at("/var/lib/docker/volumes", false);
        mkdirs("/var/lib/docker/volumes/plain/_data");
        expect_bind_passes("/var/lib/docker/volumes/plain/_data", "[\"rbind\",\"rprivate\"]");
        bind_mount("/etc", "/var/lib/docker/volumes/etc/_data", false);
        expect_bind("/var/lib/docker/volumes/etc/_data", "[\"rbind\",\"rprivate\"]", "sensitive-mount", ACTION_DENY,
                    "bind mount of it");
        /* a tmpfs volume (--opt type=tmpfs) is its own file system */
        tmpfs_at("/var/lib/docker/volumes/tmp/_data", false);
        expect_bind_passes("/var/lib/docker/volumes/tmp/_data", "[\"rbind\",\"rprivate\"]");
        /* a volume's parent is the engine's state, read-only or not */
        expect_bind("/var/lib/docker/volumes/plain", "[\"rbind\",\"ro\"]", "sensitive-mount", ACTION_DENY,
                    "the state of a container engine");
}
END_TEST

START_TEST(test_a_directory_holding_a_mount_of_etc_is_judged_by_that_mount)
{
        private_mounts();
        make_tmp();
        mkdirs(T("data"));
        expect_bind_passes(T("data"), "[\"rbind\"]");
        bind_mount("/etc", T("data/inner"), false);
        expect_bind(T("data"), "[\"rbind\"]", "sensitive-mount", ACTION_DENY, "mounted below the path");
        /* a non-recursive bind leaves the mount behind */
        expect_bind_passes(T("data"), "[\"bind\"]");
}
END_TEST

START_TEST(test_binding_usr_names_usr_not_bin)
{
        struct eval ev = eval_bind("/usr", "[\"rbind\"]");
        const struct finding *f = expect(&ev, "sensitive-mount", ACTION_DENY);
        ck_assert_msg(strstr(f->message, "exposes the host's /usr read-write"), "%s", f->message);
        ck_assert_msg(!strstr(f->message, "/bin"), "%s", f->message);
        eval_done(&ev);
        /* binding /usr/bin names /usr/bin, not the /bin entry of the list */
        ev = eval_bind("/usr/bin", "[\"rbind\",\"ro\"]");
        f = expect(&ev, "sensitive-mount", ACTION_WARN);
        ck_assert_msg(strstr(f->message, "exposes the host's /usr/bin read-only"), "%s", f->message);
        eval_done(&ev);
        /* a parent names what it holds */
        ev = eval_bind("/var/lib", "[\"rbind\"]");
        f = expect(&ev, "sensitive-mount", ACTION_DENY);
        ck_assert_msg(strstr(f->message, "/var/lib/"), "%s", f->message);
        eval_done(&ev);
}
END_TEST

/* --- the built-in lists --------------------------------------------------- */

START_TEST(test_what_root_executes_or_configures_from_is_protected)
{
        static const char *const denied[] = {"/var/lib/dpkg",  "/var/lib/dpkg/info", "/var/lib/apt/lists",
                                             "/var/spool/cron", "/var/log",           "/var/log/nginx",
                                             "/boot",          "/root/.ssh",         "/var/run/myapp",
                                             "/run/myapp",     "/home",              "/home/alice",
                                             "/home/alice/.ssh", "/home/alice/.bashrc", "/opt/cni/bin",
                                             "/lib/modules",   "/sbin",              "/dev/shm"};
        for (size_t i = 0; i < ARRAY_SIZE(denied); i++) {
                expect_bind(denied[i], "[\"rbind\"]", "sensitive-mount", ACTION_DENY, "read-write");
                expect_bind(denied[i], "[\"rbind\",\"ro\"]", "sensitive-mount", ACTION_WARN, "read-only");
        }
        /* a project below a home directory, an operator's data */
        expect_bind_passes("/home/alice/project", "[\"rbind\"]");
        expect_bind_passes("/home/alice/project/.git", "[\"rbind\"]");
        expect_bind_passes("/srv/data", "[\"rbind\",\"rw\"]");
        expect_bind_passes("/var/lib/kubelet/pods/u/volumes/kubernetes.io~empty-dir/cache", "[\"rbind\"]");
        expect_bind_passes("/var/lib/postgresql", "[\"rbind\"]");
}
END_TEST

START_TEST(test_engine_state_is_denied_even_read_only)
{
        static const char *const state[] = {
                "/run/containerd/s",
                "/run/containerd/io.containerd.runtime.v2.task/moby/0123",
                "/run/docker/runtime-runc",
                "/run/docker/libnetwork",
                "/run/runc",
                "/var/lib/docker/containers/0123",
                "/var/lib/docker/volumes",
                "/var/lib/containerd",
                "/var/lib/containers/storage",
                "/run/containers/storage",
                "/run/crun",
                "/var/lib/kubelet/pki",
                "/run", /* holds all of them */
        };
        for (size_t i = 0; i < ARRAY_SIZE(state); i++) {
                expect_bind(state[i], "[\"rbind\",\"ro\"]", "sensitive-mount", ACTION_DENY,
                            "the state of a container engine");
                expect_bind(state[i], "[\"rbind\",\"rro\"]", "sensitive-mount", ACTION_DENY, NULL);
        }
        /* the engines' own files for the container pass */
        expect_bind_passes("/var/lib/docker/containers/0123/hosts", "[\"rbind\",\"rprivate\"]");
        expect_bind_passes("/var/lib/docker/containers/0123/mounts/shm", "[\"rbind\",\"rprivate\"]");
        expect_bind_passes("/run/containers/storage/overlay-containers/0123/userdata/resolv.conf", "[\"bind\"]");
        expect_bind_passes("/run/containerd/io.containerd.grpc.v1.cri/sandboxes/0123/shm", "[\"rbind\"]");
}
END_TEST

START_TEST(test_a_socket_is_writable_through_a_read_only_bind)
{
        make_tmp();
        int fd = socket(AF_UNIX, SOCK_STREAM, 0);
        struct sockaddr_un a = {.sun_family = AF_UNIX};
        snprintf(a.sun_path, sizeof(a.sun_path), "%s", T("api.sock"));
        ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
        close(fd);
        char paths[128];
        snprintf(paths, sizeof(paths), "\"paths\":[\"%s/**\"]", tmp);
        _cleanup_free_ char *pol = policy_with(paths);
        /* connect() works on a read-only mount */
        struct eval ev = eval_bind_opts(T("api.sock"), "[\"bind\",\"ro\"]", (struct opts){.policy = pol});
        expect(&ev, "sensitive-mount", ACTION_DENY);
        eval_done(&ev);
        mkdirs(T("dir"));
        ev = eval_bind_opts(T("dir"), "[\"bind\",\"ro\"]", (struct opts){.policy = pol});
        expect(&ev, "sensitive-mount", ACTION_WARN);
        eval_done(&ev);
}
END_TEST

/* --- recursive read-only -------------------------------------------------- */

static bool has_option(const struct spec *s, size_t mount, const char *opt)
{
        const struct jv *o = jv_get(jv_get(s->root, "mounts")->u.arr.v[mount], "options");
        for (size_t i = 0; i < o->u.arr.n; i++)
                if (STREQ(o->u.arr.v[i]->u.str.s, opt))
                        return true;
        return false;
}

START_TEST(test_a_read_only_bind_with_writable_mounts_below_gets_rro)
{
        private_mounts();
        make_tmp();
        mkdirs(T("src"));
        tmpfs_at(T("src/sub"), false);
        struct eval ev = eval_bind(T("src"), "[\"rbind\",\"ro\"]");
        const struct finding *f = expect(&ev, "recursive-readonly", ACTION_FIX);
        ck_assert_str_eq(f->pointer, "/mounts/1/options");
        ck_assert_msg(strstr(f->message, T("src/sub")), "%s", f->message);
        eval_done(&ev);

        /* the fix adds "rro", and the fixed spec passes */
        _cleanup_free_ char *m = bind_json(T("src"), "[\"rbind\",\"ro\"]");
        _cleanup_free_ char *json = spec_with_mount(m);
        struct policy *p = builtin_policy();
        struct spec *s = parse_spec(json);
        rh_error_t err = RH_ERROR_INIT;
        s->bundle = strdup("/nonexistent-bundle");
        ev = (struct eval){0};
        evaluate(p, s, CHECK_CONFIG, &ev);
        ck_assert_msg(engine_apply_fixes(p, s, CHECK_CONFIG, &ev, &err) == 0, "%s", rh_error_msg(&err));
        ck_assert(has_option(s, 1, "rro"));
        eval_done(&ev);
        evaluate(p, s, CHECK_CONFIG, &ev);
        expect_none(&ev, "recursive-readonly");
        eval_done(&ev);
        spec_free(s);
        policy_free(p);

        /* already recursive, not recursive, or nothing writable below */
        expect_bind_passes(T("src"), "[\"rbind\",\"ro\",\"rro\"]");
        expect_bind_passes(T("src"), "[\"bind\",\"ro\"]");
        ck_assert_int_eq(umount(T("src/sub")), 0);
        tmpfs_at(T("src/sub"), true);
        expect_bind_passes(T("src"), "[\"rbind\",\"ro\"]");
}
END_TEST

START_TEST(test_a_read_only_bind_of_the_cgroups_is_fixed_not_denied)
{
        /* /sys/fs/cgroup is a tmpfs with the (writable) hierarchies below */
        struct eval ev = eval_bind("/sys/fs/cgroup", "[\"rbind\",\"ro\",\"rprivate\"]");
        if (!find(&ev, "recursive-readonly")) {
                eval_done(&ev);
                return; /* a host without writable cgroup mounts there */
        }
        expect(&ev, "recursive-readonly", ACTION_FIX);
        expect(&ev, "sensitive-mount", ACTION_WARN);
        eval_done(&ev);
        /* without the fix, the writable hierarchies are what is exposed */
        ev = eval_bind_opts("/sys/fs/cgroup", "[\"rbind\",\"ro\",\"rprivate\"]",
                            (struct opts){.policy = "{\"version\":1,\"rules\":{\"recursive-readonly\":{\"action\":\"warn\"}}}"});
        const struct finding *f = expect(&ev, "sensitive-mount", ACTION_DENY);
        ck_assert_msg(strstr(f->message, "rro"), "%s", f->message);
        eval_done(&ev);
}
END_TEST

/* --- allowlist mode ------------------------------------------------------- */

START_TEST(test_allowlist_mode_passes_only_listed_directories)
{
        private_mounts();
        make_tmp();
        mkdirs(T("data/x"));
        mkdirs(T("other"));
        char only[128];
        snprintf(only, sizeof(only), "\"only\":[\"%s/data/**\"]", tmp);
        _cleanup_free_ char *pol = policy_with(only);
        struct opts o = {.policy = pol};
        struct eval ev = eval_bind_opts(T("data/x"), "[\"rbind\"]", o);
        expect_none(&ev, "sensitive-mount");
        eval_done(&ev);
        ev = eval_bind_opts(T("other"), "[\"rbind\",\"ro\"]", o);
        const struct finding *f = expect(&ev, "sensitive-mount", ACTION_DENY);
        ck_assert_msg(strstr(f->message, "sensitive-mount.only"), "%s", f->message);
        eval_done(&ev);
        /* the engine's own files still pass */
        ev = eval_bind_opts("/var/lib/docker/containers/0123/hosts", "[\"rbind\"]", o);
        expect_none(&ev, "sensitive-mount");
        eval_done(&ev);
        /* an alias of something outside does not */
        bind_mount(T("other"), T("data/alias"), false);
        ev = eval_bind_opts(T("data/alias"), "[\"rbind\"]", o);
        expect(&ev, "sensitive-mount", ACTION_DENY);
        eval_done(&ev);
}
END_TEST

/* --- paths as runc takes them --------------------------------------------- */

START_TEST(test_relative_sources_are_joined_to_the_bundle_never_the_working_directory)
{
        make_tmp();
        mkdirs(T("b/rootfs"));
        mkdirs(T("b/data"));
        /* a link whose ".." Go's filepath.Join removes by name */
        ck_assert_int_eq(symlink("/etc/ssh", T("b/l")), 0);
        ck_assert_int_eq(chdir("/"), 0);
        struct opts o = {.bundle = T("b")};
        struct eval ev = eval_bind_opts("etc", "[\"rbind\"]", o);
        expect_none(&ev, "sensitive-mount");
        eval_done(&ev);
        ev = eval_bind_opts("l/..", "[\"rbind\"]", o);
        expect_none(&ev, "sensitive-mount");
        eval_done(&ev);
        ev = eval_bind_opts("l", "[\"rbind\"]", o);
        expect(&ev, "sensitive-mount", ACTION_DENY);
        eval_done(&ev);
        ev = eval_bind_opts("../../../../../etc", "[\"rbind\"]", o);
        expect(&ev, "sensitive-mount", ACTION_DENY);
        eval_done(&ev);
}
END_TEST

static struct eval eval_in_bundle(const char *mount_json)
{
        _cleanup_free_ char *json = NULL;
        ck_assert(asprintf(&json,
                           "{\"root\":{\"path\":\"rootfs\"},\"mounts\":[{\"destination\":\"/proc\",\"type\":\"proc\","
                           "\"source\":\"proc\"},%s]}",
                           mount_json) > 0);
        return eval_with(json, (struct opts){.bundle = T("b")});
}

static void expect_inside_rootfs(const char *source)
{
        _cleanup_free_ char *m = bind_json(source, "[\"rbind\"]");
        struct eval ev = eval_in_bundle(m);
        const struct finding *f = expect(&ev, "spec-invalid", ACTION_DENY);
        ck_assert_str_eq(f->pointer, "/mounts/1/source");
        ck_assert_msg(strstr(f->message, "root file system"), "%s", f->message);
        eval_done(&ev);
}

START_TEST(test_a_source_inside_the_containers_own_rootfs_is_refused)
{
        private_mounts();
        make_tmp();
        mkdirs(T("b/rootfs/proc"));
        mkdirs(T("b/rootfs/data"));
        expect_inside_rootfs("rootfs/proc/self/root/etc");
        expect_inside_rootfs("rootfs");
        expect_inside_rootfs(T("b/rootfs/data"));
        expect_inside_rootfs(T("b/rootfs/../rootfs/data"));
        /* through a link that leads into it, or another name of it */
        ck_assert_int_eq(symlink(T("b/rootfs/data"), T("into")), 0);
        expect_inside_rootfs(T("into"));
        bind_mount(T("b/rootfs"), T("alias"), false);
        expect_inside_rootfs(T("alias/data"));
        /* beside it is fine */
        mkdirs(T("b/data"));
        _cleanup_free_ char *m = bind_json(T("b/data"), "[\"rbind\"]");
        struct eval ev = eval_in_bundle(m);
        expect_none(&ev, "spec-invalid");
        eval_done(&ev);
}
END_TEST

START_TEST(test_a_source_through_a_link_others_can_change_is_refused)
{
        make_tmp();
        mkdirs(T("user"));
        mkdirs(T("data"));
        ck_assert_int_eq(chown(T("user"), 65534, 65534), 0);
        ck_assert_int_eq(symlink(T("data"), T("user/link")), 0);
        struct eval ev = eval_bind(T("user/link"), "[\"rbind\"]");
        const struct finding *f = expect(&ev, "spec-invalid", ACTION_DENY);
        ck_assert_msg(strstr(f->message, "user other than root"), "%s", f->message);
        eval_done(&ev);
        /* the target named directly passes */
        expect_bind_passes(T("data"), "[\"rbind\"]");
        /* lint judges specs for another host: not its links */
        ev = eval_bind_opts(T("user/link"), "[\"rbind\"]", (struct opts){.offline = true});
        expect_none(&ev, "spec-invalid");
        eval_done(&ev);
}
END_TEST

START_TEST(test_a_source_through_a_proc_link_is_refused)
{
        struct eval ev = eval_bind("/proc/self/cwd", "[\"rbind\"]");
        const struct finding *f = expect(&ev, "spec-invalid", ACTION_DENY);
        ck_assert_msg(strstr(f->message, "/proc/self"), "%s", f->message);
        eval_done(&ev);
}
END_TEST

START_TEST(test_a_path_longer_than_the_kernel_takes_is_refused)
{
        char *src = malloc(5000);
        memset(src, 'a', 4999);
        src[4999] = '\0';
        for (size_t i = 0; i < 4999; i += 2)
                src[i] = '/';
        struct eval ev = eval_bind(src, "[\"rbind\"]");
        const struct finding *f = expect(&ev, "spec-invalid", ACTION_DENY);
        ck_assert_str_eq(f->pointer, "/mounts/1/source");
        ck_assert_msg(strstr(f->message, "longer than the kernel accepts"), "%s", f->message);
        eval_done(&ev);
        free(src);
}
END_TEST

/* --- overlay mounts ------------------------------------------------------- */

static struct eval eval_overlay(const char *options)
{
        _cleanup_free_ char *m = NULL;
        ck_assert(asprintf(&m, "{\"destination\":\"/o\",\"type\":\"overlay\",\"source\":\"overlay\",\"options\":%s}",
                           options) > 0);
        _cleanup_free_ char *json = spec_with_mount(m);
        return eval_with(json, (struct opts){0});
}

static void expect_overlay(const char *options, const char *rule, rh_action_t action, const char *pointer)
{
        struct eval ev = eval_overlay(options);
        const struct finding *f = expect(&ev, rule, action);
        if (pointer)
                ck_assert_str_eq(f->pointer, pointer);
        eval_done(&ev);
}

START_TEST(test_overlay_layers_are_judged_like_binds)
{
        make_tmp();
        mkdirs(T("l"));
        mkdirs(T("u"));
        mkdirs(T("w"));
        char o[512];
        /* a lower layer is never written: read-only */
        snprintf(o, sizeof(o), "[\"lowerdir=/etc:%s\"]", T("l"));
        expect_overlay(o, "sensitive-mount", ACTION_WARN, "/mounts/1/options/0");
        /* an upper layer takes the container's writes */
        snprintf(o, sizeof(o), "[\"lowerdir=%s\",\"upperdir=/etc\",\"workdir=%s\"]", T("l"), T("w"));
        expect_overlay(o, "sensitive-mount", ACTION_DENY, "/mounts/1/options/1");
        snprintf(o, sizeof(o), "[\"lowerdir=%s\",\"upperdir=%s\",\"workdir=/root/w\"]", T("l"), T("u"));
        expect_overlay(o, "sensitive-mount", ACTION_DENY, "/mounts/1/options/2");
        /* runc joins the options with ",": one option can hold several */
        snprintf(o, sizeof(o), "[\"lowerdir=%s,upperdir=/var/lib/dpkg,workdir=%s\"]", T("l"), T("w"));
        expect_overlay(o, "sensitive-mount", ACTION_DENY, "/mounts/1/options/0");
        /* the kernel's newer keys */
        expect_overlay("[\"lowerdir+=/etc\",\"datadir+=/tmp\"]", "sensitive-mount", ACTION_WARN, NULL);
        /* engine state, even as a lower layer */
        expect_overlay("[\"lowerdir=/run/containerd/s:/tmp\"]", "sensitive-mount", ACTION_DENY, NULL);
        /* a read-only overlay does not write its upper layer */
        snprintf(o, sizeof(o), "[\"ro\",\"lowerdir=%s\",\"upperdir=/etc\",\"workdir=%s\"]", T("l"), T("w"));
        struct eval ev = eval_overlay(o);
        const struct finding *f = find(&ev, "sensitive-mount");
        ck_assert_ptr_nonnull(f);
        ck_assert_str_eq(f->pointer, "/mounts/1/options/2");
        ck_assert_int_eq(f->action, ACTION_WARN);
        eval_done(&ev);
        /* escapes: "\:" keeps a colon in a layer's name */
        snprintf(o, sizeof(o), "[\"lowerdir=%s\\\\:x:%s\"]", T("l"), T("l"));
        ev = eval_overlay(o);
        expect_none(&ev, "sensitive-mount");
        eval_done(&ev);
        /* nothing of the host in it */
        snprintf(o, sizeof(o), "[\"lowerdir=%s:%s\",\"upperdir=%s\",\"workdir=%s\"]", T("l"), T("l"), T("u"), T("w"));
        ev = eval_overlay(o);
        expect_none(&ev, "sensitive-mount");
        expect_none(&ev, "spec-invalid");
        eval_done(&ev);
}
END_TEST

START_TEST(test_a_relative_overlay_layer_is_refused)
{
        /* runc mounts from the root file system: a relative layer is in it */
        expect_overlay("[\"lowerdir=proc/1/root/etc:l2\"]", "spec-invalid", ACTION_DENY, "/mounts/1/options/0");
}
END_TEST

/* --- the root file system -------------------------------------------------- */

START_TEST(test_engine_storage_as_the_root_passes_and_engine_state_does_not)
{
        struct eval ev = eval_with("{\"root\":{\"path\":\"/var/lib/docker/overlay2/0123/merged\"}}", (struct opts){0});
        expect_none(&ev, "sensitive-mount");
        eval_done(&ev);
        ev = eval_with("{\"root\":{\"path\":\"/var/lib/containers/storage/overlay/0123/merged\"}}", (struct opts){0});
        expect_none(&ev, "sensitive-mount");
        eval_done(&ev);
        ev = eval_with("{\"root\":{\"path\":\"/run/containerd/io.containerd.runtime.v2.task/k8s.io/0123/rootfs\"}}",
                       (struct opts){0});
        expect_none(&ev, "sensitive-mount");
        eval_done(&ev);
        ev = eval_with("{\"root\":{\"path\":\"/var/lib/docker/containers/0123\",\"readonly\":true}}", (struct opts){0});
        expect(&ev, "sensitive-mount", ACTION_DENY);
        eval_done(&ev);
        ev = eval_with("{\"root\":{\"path\":\"/etc/ssh\",\"readonly\":true}}", (struct opts){0});
        expect(&ev, "sensitive-mount", ACTION_DENY);
        eval_done(&ev);
}
END_TEST

START_TEST(test_an_overlay_of_the_host_root_as_the_root_is_refused)
{
        /* podman --rootfs /:O: the engine mounts an overlay of the host's
         * root (its upper layer elsewhere) and hands that over as the root */
        private_mounts();
        make_tmp();
        mkdirs(T("merged"));
        mkdirs(T("l1"));
        tmpfs_at(T("t"), false);
        mkdirs(T("t/u"));
        mkdirs(T("t/w"));
        _cleanup_free_ char *data = NULL;
        ck_assert(asprintf(&data, "lowerdir=/,upperdir=%s,workdir=%s", T("t/u"), T("t/w")) > 0);
        ck_assert_int_eq(mount("overlay", T("merged"), "overlay", 0, data), 0);
        _cleanup_free_ char *json = NULL;
        ck_assert(asprintf(&json, "{\"root\":{\"path\":\"%s\",\"readonly\":true}}", T("merged")) > 0);
        struct eval ev = eval_with(json, (struct opts){0});
        const struct finding *f = expect(&ev, "sensitive-mount", ACTION_DENY);
        ck_assert_str_eq(f->pointer, "/root/path");
        ck_assert_msg(strstr(f->message, "overlay with the layer /,"), "%s", f->message);
        eval_done(&ev);
        ck_assert_int_eq(umount(T("merged")), 0);
        free(data);
        ck_assert(asprintf(&data, "lowerdir=%s,upperdir=%s,workdir=%s", T("l1"), T("t/u"), T("t/w")) > 0);
        ck_assert_int_eq(mount("overlay", T("merged"), "overlay", 0, data), 0);
        ev = eval_with(json, (struct opts){0});
        expect_none(&ev, "sensitive-mount");
        eval_done(&ev);
}
END_TEST

/* --- devices -------------------------------------------------------------- */

/* The block device holding "/", found in /dev; NULL when there is none. */
static char *root_device(void)
{
        struct stat root, st;
        DIR *d = opendir("/dev");
        struct dirent *e;
        char *found = NULL;

        ck_assert_int_eq(stat("/", &root), 0);
        while (d && !found && (e = readdir(d))) {
                char p[300];
                snprintf(p, sizeof(p), "/dev/%s", e->d_name);
                if (lstat(p, &st) == 0 && S_ISBLK(st.st_mode) && st.st_rdev == root.st_dev)
                        found = strdup(p);
        }
        if (d)
                closedir(d);
        return found;
}

START_TEST(test_mounting_the_hosts_disk_is_judged_as_what_it_holds)
{
        _cleanup_free_ char *dev = root_device();
        if (!dev)
                return;
        make_tmp();
        /* a device node anywhere, not only under /dev */
        struct stat st;
        ck_assert_int_eq(stat(dev, &st), 0);
        ck_assert_int_eq(mknod(T("disk"), S_IFBLK | 0600, st.st_rdev), 0);
        _cleanup_free_ char *m = NULL;
        ck_assert(asprintf(&m, "{\"destination\":\"/d\",\"type\":\"ext4\",\"source\":\"%s\",\"options\":[\"ro\"]}",
                           T("disk")) > 0);
        _cleanup_free_ char *json = spec_with_mount(m);
        struct eval ev = eval_with(json, (struct opts){0});
        /* the disk holds the host's root, engine state included */
        const struct finding *f = expect(&ev, "sensitive-mount", ACTION_DENY);
        ck_assert_str_eq(f->pointer, "/mounts/1/source");
        ck_assert_msg(strstr(f->message, "mounts the device"), "%s", f->message);
        eval_done(&ev);
}
END_TEST

START_TEST(test_a_bind_of_an_overlay_mount_point_is_judged_by_its_layers)
{
        /* podman -v SRC:DST:O can mount the overlay on the host itself and
         * hand its merged directory over as a bind */
        private_mounts();
        make_tmp();
        mkdirs(T("merged"));
        tmpfs_at(T("t"), false);
        mkdirs(T("t/u"));
        mkdirs(T("t/w"));
        _cleanup_free_ char *data = NULL;
        ck_assert(asprintf(&data, "lowerdir=/etc,upperdir=%s,workdir=%s", T("t/u"), T("t/w")) > 0);
        ck_assert_int_eq(mount("overlay", T("merged"), "overlay", 0, data), 0);
        struct eval ev = eval_bind(T("merged"), "[\"rbind\"]");
        const struct finding *f = expect(&ev, "sensitive-mount", ACTION_WARN);
        ck_assert_str_eq(f->pointer, "/mounts/1/source");
        ck_assert_msg(strstr(f->message, "has the lowerdir /etc"), "%s", f->message);
        eval_done(&ev);
        ck_assert_int_eq(umount(T("merged")), 0);
        /* layers of its own pass */
        free(data);
        mkdirs(T("t/l"));
        ck_assert(asprintf(&data, "lowerdir=%s,upperdir=%s,workdir=%s", T("t/l"), T("t/u"), T("t/w")) > 0);
        ck_assert_int_eq(mount("overlay", T("merged"), "overlay", 0, data), 0);
        ev = eval_bind(T("merged"), "[\"rbind\"]");
        expect_none(&ev, "sensitive-mount");
        eval_done(&ev);
}
END_TEST

static Suite *binds_suite(void)
{
        Suite *s = suite_create("binds");
        TCase *a = tcase_create("identity");
        tcase_add_test(a, test_a_volume_that_is_a_bind_of_etc_is_judged_as_etc);
        tcase_add_test(a, test_the_default_volume_directory_is_judged_by_identity);
        tcase_add_test(a, test_a_directory_holding_a_mount_of_etc_is_judged_by_that_mount);
        tcase_add_test(a, test_binding_usr_names_usr_not_bin);
        tcase_add_test(a, test_what_root_executes_or_configures_from_is_protected);
        tcase_add_test(a, test_engine_state_is_denied_even_read_only);
        tcase_add_test(a, test_a_socket_is_writable_through_a_read_only_bind);
        tcase_add_test(a, test_a_read_only_bind_with_writable_mounts_below_gets_rro);
        tcase_add_test(a, test_a_read_only_bind_of_the_cgroups_is_fixed_not_denied);
        tcase_add_test(a, test_allowlist_mode_passes_only_listed_directories);
        tcase_add_checked_fixture(a, NULL, remove_tmp);
        suite_add_tcase(s, a);
        TCase *b = tcase_create("paths");
        tcase_add_test(b, test_relative_sources_are_joined_to_the_bundle_never_the_working_directory);
        tcase_add_test(b, test_a_source_inside_the_containers_own_rootfs_is_refused);
        tcase_add_test(b, test_a_source_through_a_link_others_can_change_is_refused);
        tcase_add_test(b, test_a_source_through_a_proc_link_is_refused);
        tcase_add_test(b, test_a_path_longer_than_the_kernel_takes_is_refused);
        tcase_add_checked_fixture(b, NULL, remove_tmp);
        suite_add_tcase(s, b);
        TCase *c = tcase_create("overlay-root-device");
        tcase_add_test(c, test_overlay_layers_are_judged_like_binds);
        tcase_add_test(c, test_a_relative_overlay_layer_is_refused);
        tcase_add_test(c, test_engine_storage_as_the_root_passes_and_engine_state_does_not);
        tcase_add_test(c, test_an_overlay_of_the_host_root_as_the_root_is_refused);
        tcase_add_test(c, test_a_bind_of_an_overlay_mount_point_is_judged_by_its_layers);
        tcase_add_test(c, test_mounting_the_hosts_disk_is_judged_as_what_it_holds);
        tcase_add_checked_fixture(c, NULL, remove_tmp);
        suite_add_tcase(s, c);
        return s;
}

RUN_SUITE(binds_suite)
