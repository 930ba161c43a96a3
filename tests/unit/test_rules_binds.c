/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "host.h"
#include "testutil.h"
#include "util.h"

/* Tests of the bind rules (policy/rules/binds.c): engine-socket,
 * sensitive-mount and mount-propagation, judging host paths by what they
 * are: aliases made by mounts, overlay layers, the root file
 * system, the mounts below a read-only bind, engine state, the allowlist
 * mode, and the paths that cannot be judged. Each test runs in its own
 * process; tests that mount do it in a mount namespace of their own. */

/* --- fixture -------------------------------------------------------------- */

/* tmp + "/" + rel, in a static ring of buffers */
static const char *T(const char *rel)
{
        static char ring[8][512];
        static int i;
        char *p = ring[i++ % 8];
        snprintf(p, sizeof(ring[0]), "%s/%s", tmpdir, rel);
        return p;
}

static void bind_mount(const char *src, const char *dst, bool recursive)
{
        mkdir_p(dst);
        ck_assert_int_eq(mount(src, dst, NULL, MS_BIND | (recursive ? MS_REC : 0), NULL), 0);
}

static void tmpfs_at(const char *dst, bool ro)
{
        mkdir_p(dst);
        ck_assert_int_eq(mount("t", dst, "tmpfs", ro ? MS_RDONLY : 0, "size=64k"), 0);
}

/* --- evaluating ------------------------------------------------------------ */

/* A spec's findings under the built-in policy, or o.policy; its bundle
 * o.bundle, else a directory that does not exist. */
static struct eval eval_mount_doc(const char *spec_json, struct eval_opts o)
{
        if (!o.bundle)
                o.bundle = NO_BUNDLE;
        return eval_with(NULL, spec_json, o);
}

/* A spec with one mount (JSON text of its object) after a proc mount. */
static char *spec_with_mount(const char *mount_json)
{
        char *json = NULL;
        ck_assert(asprintf(&json, "{\"mounts\":[{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\"},%s]}",
                           mount_json) > 0);
        return json;
}

static char *bind_json(const char *source, const char *options)
{
        char *json = NULL;
        ck_assert(asprintf(&json, "{\"destination\":\"/x\",\"type\":\"bind\",\"source\":\"%s\",\"options\":%s}", source,
                           options) > 0);
        return json;
}

static struct eval eval_bind_opts(const char *source, const char *options, struct eval_opts o)
{
        _cleanup_free_ char *m = bind_json(source, options);
        _cleanup_free_ char *json = spec_with_mount(m);
        return eval_mount_doc(json, o);
}

static struct eval eval_bind(const char *source, const char *options)
{
        return eval_bind_opts(source, options, (struct eval_opts){0});
}

static void expect_bind(const char *source, const char *options, const char *rule, rh_action_t action,
                        const char *msg_part)
{
        _cleanup_eval_ struct eval ev = eval_bind(source, options);
        const struct finding *f = expect(&ev, rule, action, NULL, NULL);
        if (msg_part)
                ck_assert_msg(strstr(f->message, msg_part), "%s lacks \"%s\"", f->message, msg_part);
}

static void expect_bind_passes(const char *source, const char *options)
{
        _cleanup_eval_ struct eval ev = eval_bind(source, options);
        expect_none(&ev, "sensitive-mount");
        expect_none(&ev, "engine-socket");
        expect_none(&ev, "spec-invalid");
        expect_none(&ev, "recursive-readonly");
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
        make_tmpdir();
        /* the engine's volume directory, as `docker volume create --opt
         * type=none --opt o=bind --opt device=/etc` leaves it */
        char allowed[128];
        snprintf(allowed, sizeof(allowed), "\"allowed\":[\"%s/volumes/*/_data/**\"]", tmpdir);
        _cleanup_free_ char *pol = policy_with(allowed);
        mkdir_p(T("volumes/plain/_data"));
        _cleanup_eval_ struct eval ev =
                eval_bind_opts(T("volumes/plain/_data"), "[\"rbind\"]", (struct eval_opts){.policy = pol});
        expect_none(&ev, "sensitive-mount");
        bind_mount("/etc", T("volumes/etc/_data"), false);
        eval_replace(&ev, eval_bind_opts(T("volumes/etc/_data"), "[\"rbind\"]", (struct eval_opts){.policy = pol}));
        const struct finding *f = expect(&ev, "sensitive-mount", ACTION_DENY, NULL, NULL);
        ck_assert_ptr_nonnull(strstr(f->message, "the host's /etc (the path is a bind mount of it) read-write"));
        /* read-only it is a warning, as for -v /etc:/x:ro */
        eval_replace(&ev,
                     eval_bind_opts(T("volumes/etc/_data"), "[\"rbind\",\"ro\"]", (struct eval_opts){.policy = pol}));
        expect(&ev, "sensitive-mount", ACTION_WARN, NULL, NULL);
        /* a file inside it, and a bind of a directory below /etc (neither
         * is /etc's inode or an ancestor of it) */
        _cleanup_free_ char *shadow = NULL;
        ck_assert(asprintf(&shadow, "%s/shadow", T("volumes/etc/_data")) > 0);
        eval_replace(&ev, eval_bind_opts(shadow, "[\"bind\"]", (struct eval_opts){.policy = pol}));
        expect(&ev, "sensitive-mount", ACTION_DENY, NULL, NULL);
        bind_mount("/etc/default", T("volumes/sub/_data"), false);
        eval_replace(&ev, eval_bind_opts(T("volumes/sub/_data"), "[\"rbind\"]", (struct eval_opts){.policy = pol}));
        f = expect(&ev, "sensitive-mount", ACTION_DENY, NULL, NULL);
        ck_assert_ptr_nonnull(strstr(f->message, "/etc/default"));
}
END_TEST

START_TEST(test_the_default_volume_directory_is_judged_by_identity)
{
        private_mounts();
        make_tmpdir();
        /* Docker's own volume path, on a tmpfs of this namespace only */
        struct stat st;
        if (stat("/var/lib", &st) < 0)
                return;
        tmpfs_at("/var/lib/docker/volumes", false);
        mkdir_p("/var/lib/docker/volumes/plain/_data");
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
        make_tmpdir();
        mkdir_p(T("data"));
        expect_bind_passes(T("data"), "[\"rbind\"]");
        bind_mount("/etc", T("data/inner"), false);
        expect_bind(T("data"), "[\"rbind\"]", "sensitive-mount", ACTION_DENY, "mounted below the path");
        /* a non-recursive bind leaves the mount behind */
        expect_bind_passes(T("data"), "[\"bind\"]");
}
END_TEST

START_TEST(test_binding_usr_names_usr_not_bin)
{
        _cleanup_eval_ struct eval ev = eval_bind("/usr", "[\"rbind\"]");
        const struct finding *f = expect(&ev, "sensitive-mount", ACTION_DENY, NULL, NULL);
        ck_assert_msg(strstr(f->message, "exposes the host's /usr read-write"), "%s", f->message);
        ck_assert_msg(!strstr(f->message, "/bin"), "%s", f->message);
        /* binding /usr/bin names /usr/bin, not the /bin entry of the list */
        eval_replace(&ev, eval_bind("/usr/bin", "[\"rbind\",\"ro\"]"));
        f = expect(&ev, "sensitive-mount", ACTION_WARN, NULL, NULL);
        ck_assert_msg(strstr(f->message, "exposes the host's /usr/bin read-only"), "%s", f->message);
        /* a parent names what it holds */
        eval_replace(&ev, eval_bind("/var/lib", "[\"rbind\"]"));
        f = expect(&ev, "sensitive-mount", ACTION_DENY, NULL, NULL);
        ck_assert_msg(strstr(f->message, "/var/lib/"), "%s", f->message);
}
END_TEST

/* --- the built-in lists --------------------------------------------------- */

START_TEST(test_what_root_executes_or_configures_from_is_protected)
{
        static const char *const denied[] = {"/var/lib/dpkg",
                                             "/var/lib/dpkg/info",
                                             "/var/lib/apt/lists",
                                             "/var/spool/cron",
                                             "/var/log",
                                             "/var/log/nginx",
                                             "/boot",
                                             "/root/.ssh",
                                             "/var/run/myapp",
                                             "/run/myapp",
                                             "/home",
                                             "/home/alice",
                                             "/home/alice/.ssh",
                                             "/home/alice/.bashrc",
                                             "/opt/cni/bin",
                                             "/lib/modules",
                                             "/sbin",
                                             "/dev/shm"};
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
        make_tmpdir();
        int fd = socket(AF_UNIX, SOCK_STREAM, 0);
        struct sockaddr_un a = {.sun_family = AF_UNIX};
        snprintf(a.sun_path, sizeof(a.sun_path), "%s", T("api.sock"));
        ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
        close(fd);
        char paths[128];
        snprintf(paths, sizeof(paths), "\"paths\":[\"%s/**\"]", tmpdir);
        _cleanup_free_ char *pol = policy_with(paths);
        /* connect() works on a read-only mount */
        _cleanup_eval_ struct eval ev =
                eval_bind_opts(T("api.sock"), "[\"bind\",\"ro\"]", (struct eval_opts){.policy = pol});
        expect(&ev, "sensitive-mount", ACTION_DENY, NULL, NULL);
        mkdir_p(T("dir"));
        eval_replace(&ev, eval_bind_opts(T("dir"), "[\"bind\",\"ro\"]", (struct eval_opts){.policy = pol}));
        expect(&ev, "sensitive-mount", ACTION_WARN, NULL, NULL);
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
        make_tmpdir();
        mkdir_p(T("src"));
        tmpfs_at(T("src/sub"), false);
        _cleanup_eval_ struct eval ev = eval_bind(T("src"), "[\"rbind\",\"ro\"]");
        const struct finding *f = expect(&ev, "recursive-readonly", ACTION_FIX, NULL, NULL);
        ck_assert_str_eq(f->pointer, "/mounts/1/options");
        ck_assert_msg(strstr(f->message, T("src/sub")), "%s", f->message);

        /* the fix adds "rro", and the fixed spec passes */
        _cleanup_free_ char *m = bind_json(T("src"), "[\"rbind\",\"ro\"]");
        _cleanup_free_ char *json = spec_with_mount(m);
        _cleanup_policy_ struct policy *p = builtin_policy();
        _cleanup_spec_ struct spec *s = parse_spec(json);
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        s->bundle = strdup("/nonexistent-bundle");
        eval_replace(&ev, eval_spec(p, s, CHECK_CONFIG));
        ck_assert_msg(engine_apply_fixes(p, s, CHECK_CONFIG, &ev, &err) == 0, "%s", rh_error_msg(&err));
        ck_assert(has_option(s, 1, "rro"));
        eval_replace(&ev, eval_spec(p, s, CHECK_CONFIG));
        expect_none(&ev, "recursive-readonly");

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
        _cleanup_eval_ struct eval ev = eval_bind("/sys/fs/cgroup", "[\"rbind\",\"ro\",\"rprivate\"]");
        if (!find(&ev, "recursive-readonly"))
                return; /* a host without writable cgroup mounts there */
        expect(&ev, "recursive-readonly", ACTION_FIX, NULL, NULL);
        expect(&ev, "sensitive-mount", ACTION_WARN, NULL, NULL);
        /* without the fix, the writable hierarchies are what is exposed */
        eval_replace(
                &ev,
                eval_bind_opts(
                        "/sys/fs/cgroup", "[\"rbind\",\"ro\",\"rprivate\"]",
                        (struct eval_opts){
                                .policy = "{\"version\":1,\"rules\":{\"recursive-readonly\":{\"action\":\"warn\"}}}"}));
        const struct finding *f = expect(&ev, "sensitive-mount", ACTION_DENY, NULL, NULL);
        ck_assert_msg(strstr(f->message, "rro"), "%s", f->message);
}
END_TEST

/* --- allowlist mode ------------------------------------------------------- */

START_TEST(test_allowlist_mode_passes_only_listed_directories)
{
        private_mounts();
        make_tmpdir();
        mkdir_p(T("data/x"));
        mkdir_p(T("other"));
        char only[128];
        snprintf(only, sizeof(only), "\"only\":[\"%s/data/**\"]", tmpdir);
        _cleanup_free_ char *pol = policy_with(only);
        struct eval_opts o = {.policy = pol};
        _cleanup_eval_ struct eval ev = eval_bind_opts(T("data/x"), "[\"rbind\"]", o);
        expect_none(&ev, "sensitive-mount");
        eval_replace(&ev, eval_bind_opts(T("other"), "[\"rbind\",\"ro\"]", o));
        const struct finding *f = expect(&ev, "sensitive-mount", ACTION_DENY, NULL, NULL);
        ck_assert_msg(strstr(f->message, "sensitive-mount.only"), "%s", f->message);
        /* the engine's own files still pass */
        eval_replace(&ev, eval_bind_opts("/var/lib/docker/containers/0123/hosts", "[\"rbind\"]", o));
        expect_none(&ev, "sensitive-mount");
        /* an alias of something outside does not */
        bind_mount(T("other"), T("data/alias"), false);
        eval_replace(&ev, eval_bind_opts(T("data/alias"), "[\"rbind\"]", o));
        expect(&ev, "sensitive-mount", ACTION_DENY, NULL, NULL);
}
END_TEST

/* --- paths as runc takes them --------------------------------------------- */

START_TEST(test_relative_sources_are_joined_to_the_bundle_never_the_working_directory)
{
        make_tmpdir();
        mkdir_p(T("b/rootfs"));
        mkdir_p(T("b/data"));
        /* a link whose ".." Go's filepath.Join removes by name */
        ck_assert_int_eq(symlink("/etc/ssh", T("b/l")), 0);
        ck_assert_int_eq(chdir("/"), 0);
        struct eval_opts o = {.bundle = T("b")};
        _cleanup_eval_ struct eval ev = eval_bind_opts("etc", "[\"rbind\"]", o);
        expect_none(&ev, "sensitive-mount");
        eval_replace(&ev, eval_bind_opts("l/..", "[\"rbind\"]", o));
        expect_none(&ev, "sensitive-mount");
        eval_replace(&ev, eval_bind_opts("l", "[\"rbind\"]", o));
        expect(&ev, "sensitive-mount", ACTION_DENY, NULL, NULL);
        eval_replace(&ev, eval_bind_opts("../../../../../etc", "[\"rbind\"]", o));
        expect(&ev, "sensitive-mount", ACTION_DENY, NULL, NULL);
}
END_TEST

static struct eval eval_in_bundle(const char *mount_json)
{
        _cleanup_free_ char *json = NULL;
        ck_assert(asprintf(&json,
                           "{\"root\":{\"path\":\"rootfs\"},\"mounts\":[{\"destination\":\"/proc\",\"type\":\"proc\","
                           "\"source\":\"proc\"},%s]}",
                           mount_json) > 0);
        return eval_mount_doc(json, (struct eval_opts){.bundle = T("b")});
}

static void expect_inside_rootfs(const char *source)
{
        _cleanup_free_ char *m = bind_json(source, "[\"rbind\"]");
        _cleanup_eval_ struct eval ev = eval_in_bundle(m);
        const struct finding *f = expect(&ev, "spec-invalid", ACTION_DENY, NULL, NULL);
        ck_assert_str_eq(f->pointer, "/mounts/1/source");
        ck_assert_msg(strstr(f->message, "root file system"), "%s", f->message);
}

START_TEST(test_a_source_inside_the_containers_own_rootfs_is_refused)
{
        private_mounts();
        make_tmpdir();
        mkdir_p(T("b/rootfs/proc"));
        mkdir_p(T("b/rootfs/data"));
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
        mkdir_p(T("b/data"));
        _cleanup_free_ char *m = bind_json(T("b/data"), "[\"rbind\"]");
        _cleanup_eval_ struct eval ev = eval_in_bundle(m);
        expect_none(&ev, "spec-invalid");
}
END_TEST

START_TEST(test_a_source_through_a_link_others_can_change_is_refused)
{
        make_tmpdir();
        mkdir_p(T("user"));
        mkdir_p(T("data"));
        ck_assert_int_eq(chown(T("user"), 65534, 65534), 0);
        ck_assert_int_eq(symlink(T("data"), T("user/link")), 0);
        _cleanup_eval_ struct eval ev = eval_bind(T("user/link"), "[\"rbind\"]");
        const struct finding *f = expect(&ev, "spec-invalid", ACTION_DENY, NULL, NULL);
        ck_assert_msg(strstr(f->message, "user other than root"), "%s", f->message);
        /* the target named directly passes */
        expect_bind_passes(T("data"), "[\"rbind\"]");
        /* lint judges specs for another host: not its links */
        eval_replace(&ev, eval_bind_opts(T("user/link"), "[\"rbind\"]", (struct eval_opts){.offline = true}));
        expect_none(&ev, "spec-invalid");
}
END_TEST

START_TEST(test_a_source_through_a_proc_link_is_refused)
{
        _cleanup_eval_ struct eval ev = eval_bind("/proc/self/cwd", "[\"rbind\"]");
        const struct finding *f = expect(&ev, "spec-invalid", ACTION_DENY, NULL, NULL);
        ck_assert_msg(strstr(f->message, "/proc/self"), "%s", f->message);
}
END_TEST

START_TEST(test_a_path_longer_than_the_kernel_takes_is_refused)
{
        _cleanup_free_ char *src = malloc(5000);
        memset(src, 'a', 4999);
        src[4999] = '\0';
        for (size_t i = 0; i < 4999; i += 2)
                src[i] = '/';
        _cleanup_eval_ struct eval ev = eval_bind(src, "[\"rbind\"]");
        const struct finding *f = expect(&ev, "spec-invalid", ACTION_DENY, NULL, NULL);
        ck_assert_str_eq(f->pointer, "/mounts/1/source");
        ck_assert_msg(strstr(f->message, "longer than the kernel accepts"), "%s", f->message);
}
END_TEST

/* --- overlay mounts ------------------------------------------------------- */

static struct eval eval_overlay(const char *options)
{
        _cleanup_free_ char *m = NULL;
        ck_assert(asprintf(&m, "{\"destination\":\"/o\",\"type\":\"overlay\",\"source\":\"overlay\",\"options\":%s}",
                           options) > 0);
        _cleanup_free_ char *json = spec_with_mount(m);
        return eval_mount_doc(json, (struct eval_opts){0});
}

static void expect_overlay(const char *options, const char *rule, rh_action_t action, const char *pointer)
{
        _cleanup_eval_ struct eval ev = eval_overlay(options);
        const struct finding *f = expect(&ev, rule, action, NULL, NULL);
        if (pointer)
                ck_assert_str_eq(f->pointer, pointer);
}

START_TEST(test_overlay_layers_are_judged_like_binds)
{
        make_tmpdir();
        mkdir_p(T("l"));
        mkdir_p(T("u"));
        mkdir_p(T("w"));
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
        _cleanup_eval_ struct eval ev = eval_overlay(o);
        const struct finding *f = find(&ev, "sensitive-mount");
        ck_assert_ptr_nonnull(f);
        ck_assert_str_eq(f->pointer, "/mounts/1/options/2");
        ck_assert_int_eq(f->action, ACTION_WARN);
        /* escapes: "\:" keeps a colon in a layer's name */
        snprintf(o, sizeof(o), "[\"lowerdir=%s\\\\:x:%s\"]", T("l"), T("l"));
        eval_replace(&ev, eval_overlay(o));
        expect_none(&ev, "sensitive-mount");
        /* nothing of the host in it */
        snprintf(o, sizeof(o), "[\"lowerdir=%s:%s\",\"upperdir=%s\",\"workdir=%s\"]", T("l"), T("l"), T("u"), T("w"));
        eval_replace(&ev, eval_overlay(o));
        expect_none(&ev, "sensitive-mount");
        expect_none(&ev, "spec-invalid");
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
        _cleanup_eval_ struct eval ev =
                eval_mount_doc("{\"root\":{\"path\":\"/var/lib/docker/overlay2/0123/merged\"}}", (struct eval_opts){0});
        expect_none(&ev, "sensitive-mount");
        eval_replace(&ev, eval_mount_doc("{\"root\":{\"path\":\"/var/lib/containers/storage/overlay/0123/merged\"}}",
                                         (struct eval_opts){0}));
        expect_none(&ev, "sensitive-mount");
        eval_replace(
                &ev,
                eval_mount_doc(
                        "{\"root\":{\"path\":\"/run/containerd/io.containerd.runtime.v2.task/k8s.io/0123/rootfs\"}}",
                        (struct eval_opts){0}));
        expect_none(&ev, "sensitive-mount");
        eval_replace(&ev, eval_mount_doc("{\"root\":{\"path\":\"/var/lib/docker/containers/0123\",\"readonly\":true}}",
                                         (struct eval_opts){0}));
        expect(&ev, "sensitive-mount", ACTION_DENY, NULL, NULL);
        eval_replace(&ev,
                     eval_mount_doc("{\"root\":{\"path\":\"/etc/ssh\",\"readonly\":true}}", (struct eval_opts){0}));
        expect(&ev, "sensitive-mount", ACTION_DENY, NULL, NULL);
}
END_TEST

START_TEST(test_an_overlay_of_the_host_root_as_the_root_is_refused)
{
        /* podman --rootfs /:O: the engine mounts an overlay of the host's
         * root (its upper layer elsewhere) and hands that over as the root */
        private_mounts();
        make_tmpdir();
        mkdir_p(T("merged"));
        mkdir_p(T("l1"));
        tmpfs_at(T("t"), false);
        mkdir_p(T("t/u"));
        mkdir_p(T("t/w"));
        _cleanup_free_ char *data = NULL;
        ck_assert(asprintf(&data, "lowerdir=/,upperdir=%s,workdir=%s", T("t/u"), T("t/w")) > 0);
        ck_assert_int_eq(mount("overlay", T("merged"), "overlay", 0, data), 0);
        _cleanup_free_ char *json = NULL;
        ck_assert(asprintf(&json, "{\"root\":{\"path\":\"%s\",\"readonly\":true}}", T("merged")) > 0);
        _cleanup_eval_ struct eval ev = eval_mount_doc(json, (struct eval_opts){0});
        const struct finding *f = expect(&ev, "sensitive-mount", ACTION_DENY, NULL, NULL);
        ck_assert_str_eq(f->pointer, "/root/path");
        ck_assert_msg(strstr(f->message, "overlay with the layer /,"), "%s", f->message);
        ck_assert_int_eq(umount(T("merged")), 0);
        free(data);
        ck_assert(asprintf(&data, "lowerdir=%s,upperdir=%s,workdir=%s", T("l1"), T("t/u"), T("t/w")) > 0);
        ck_assert_int_eq(mount("overlay", T("merged"), "overlay", 0, data), 0);
        eval_replace(&ev, eval_mount_doc(json, (struct eval_opts){0}));
        expect_none(&ev, "sensitive-mount");
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
        make_tmpdir();
        /* a device node anywhere, not only under /dev */
        struct stat st;
        ck_assert_int_eq(stat(dev, &st), 0);
        ck_assert_int_eq(mknod(T("disk"), S_IFBLK | 0600, st.st_rdev), 0);
        _cleanup_free_ char *m = NULL;
        ck_assert(asprintf(&m, "{\"destination\":\"/d\",\"type\":\"ext4\",\"source\":\"%s\",\"options\":[\"ro\"]}",
                           T("disk")) > 0);
        _cleanup_free_ char *json = spec_with_mount(m);
        _cleanup_eval_ struct eval ev = eval_mount_doc(json, (struct eval_opts){0});
        /* the disk holds the host's root, engine state included */
        const struct finding *f = expect(&ev, "sensitive-mount", ACTION_DENY, NULL, NULL);
        ck_assert_str_eq(f->pointer, "/mounts/1/source");
        ck_assert_msg(strstr(f->message, "mounts the device"), "%s", f->message);
}
END_TEST

START_TEST(test_a_bind_of_an_overlay_mount_point_is_judged_by_its_layers)
{
        /* podman -v SRC:DST:O can mount the overlay on the host itself and
         * hand its merged directory over as a bind */
        private_mounts();
        make_tmpdir();
        mkdir_p(T("merged"));
        tmpfs_at(T("t"), false);
        mkdir_p(T("t/u"));
        mkdir_p(T("t/w"));
        _cleanup_free_ char *data = NULL;
        ck_assert(asprintf(&data, "lowerdir=/etc,upperdir=%s,workdir=%s", T("t/u"), T("t/w")) > 0);
        ck_assert_int_eq(mount("overlay", T("merged"), "overlay", 0, data), 0);
        _cleanup_eval_ struct eval ev = eval_bind(T("merged"), "[\"rbind\"]");
        const struct finding *f = expect(&ev, "sensitive-mount", ACTION_WARN, NULL, NULL);
        ck_assert_str_eq(f->pointer, "/mounts/1/source");
        ck_assert_msg(strstr(f->message, "has the lowerdir /etc"), "%s", f->message);
        ck_assert_int_eq(umount(T("merged")), 0);
        /* layers of its own pass */
        free(data);
        mkdir_p(T("t/l"));
        ck_assert(asprintf(&data, "lowerdir=%s,upperdir=%s,workdir=%s", T("t/l"), T("t/u"), T("t/w")) > 0);
        ck_assert_int_eq(mount("overlay", T("merged"), "overlay", 0, data), 0);
        eval_replace(&ev, eval_bind(T("merged"), "[\"rbind\"]"));
        expect_none(&ev, "sensitive-mount");
}
END_TEST

/* --- engine-socket: sockets found by pattern ---------------------------- */

static void make_socket_at(const char *path)
{
        int fd = socket(AF_UNIX, SOCK_STREAM, 0);
        struct sockaddr_un a = {.sun_family = AF_UNIX};
        ck_assert_uint_lt(strlen(path), sizeof(a.sun_path));
        strcpy(a.sun_path, path);
        ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
        close(fd);
}

static struct eval eval_bind_policy(const char *policy, const char *source, const char *options)
{
        char json[1024];
        snprintf(json, sizeof(json),
                 "{\"mounts\":[{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\"},"
                 "{\"destination\":\"/x\",\"type\":\"bind\",\"source\":\"%s\",\"options\":%s}]}",
                 source, options);
        return eval_doc(policy, json);
}

static char sock_policy[512];

static void socket_policy(const char *entry)
{
        snprintf(sock_policy, sizeof(sock_policy),
                 "{\"version\":1,\"rules\":{\"engine-socket\":{\"params\":{\"sockets\":[\"%s\"]}}}}", entry);
}

static void expect_socket_bind(const char *rule, const char *source, const char *options, bool denied)
{
        _cleanup_eval_ struct eval ev = eval_bind_policy(sock_policy, source, options);
        const struct finding *f = find(&ev, rule);
        if (denied) {
                ck_assert_msg(f && f->action == ACTION_DENY, "%s: bind of %s was not denied", rule, source);
                ck_assert_str_eq(f->pointer, "/mounts/1/source");
        } else {
                ck_assert_msg(!f, "%s: bind of %s was reported: %s", rule, source, f ? f->message : "");
        }
}

START_TEST(test_rootless_podman_sockets_are_found_by_glob)
{
        char pat[256], p[256];
        make_tmpdir();
        snprintf(p, sizeof(p), "%s/run/user/1000/podman", tmpdir);
        mkdir_p(p);
        strcat(p, "/podman.sock");
        make_socket_at(p);
        snprintf(pat, sizeof(pat), "%s/run/user/*/podman/podman.sock", tmpdir);
        socket_policy(pat);
        expect_socket_bind("engine-socket", p, "[\"rbind\"]", true);
        snprintf(p, sizeof(p), "%s//run/user/1000/./podman/../podman", tmpdir);
        expect_socket_bind("engine-socket", p, "[\"rbind\"]", true);
        snprintf(p, sizeof(p), "%s/run/user/1000", tmpdir);
        expect_socket_bind("engine-socket", p, "[\"rbind\"]", true);
        snprintf(p, sizeof(p), "%s/run/user", tmpdir);
        expect_socket_bind("engine-socket", p, "[\"rbind\"]", true);
        /* a user whose socket does not exist here: the path alone counts */
        snprintf(p, sizeof(p), "%s/run/user/2000/podman/podman.sock", tmpdir);
        expect_socket_bind("engine-socket", p, "[\"bind\"]", true);
        snprintf(p, sizeof(p), "%s/run/user/1000/app", tmpdir);
        mkdir_p(p);
        expect_socket_bind("engine-socket", p, "[\"rbind\"]", false);
}
END_TEST

START_TEST(test_socket_found_through_a_hard_link_named_by_a_glob)
{
        char pat[256], sock[256], hard[256];
        make_tmpdir();
        snprintf(sock, sizeof(sock), "%s/run/user/1000/podman", tmpdir);
        mkdir_p(sock);
        strcat(sock, "/podman.sock");
        make_socket_at(sock);
        snprintf(hard, sizeof(hard), "%s/elsewhere.sock", tmpdir);
        ck_assert_int_eq(link(sock, hard), 0);
        snprintf(pat, sizeof(pat), "%s/run/user/*/podman/podman.sock", tmpdir);
        socket_policy(pat);
        expect_socket_bind("engine-socket", hard, "[\"bind\"]", true);
}
END_TEST

START_TEST(test_a_trailing_double_star_protects_a_whole_directory)
{
        char pat[256], p[256];
        make_tmpdir();
        snprintf(pat, sizeof(pat), "%s/run/containerd/**", tmpdir);
        socket_policy(pat);
        snprintf(p, sizeof(p), "%s/run/containerd/io.containerd.runtime.v2.task/k8s.io", tmpdir);
        expect_socket_bind("engine-socket", p, "[\"rbind\"]", true);
        snprintf(p, sizeof(p), "%s/run", tmpdir);
        expect_socket_bind("engine-socket", p, "[\"rbind\"]", true);
        snprintf(p, sizeof(p), "%s/run/containerd-other", tmpdir);
        expect_socket_bind("engine-socket", p, "[\"rbind\"]", false);
}
END_TEST

START_TEST(test_a_directory_holding_a_bind_of_the_socket_directory_is_denied)
{
        char run[128], sock[256], inner[128], outer[128];
        private_mounts();
        make_tmpdir();
        snprintf(run, sizeof(run), "%s/run", tmpdir);
        mkdir_p(run);
        snprintf(sock, sizeof(sock), "%s/engine.sock", run);
        make_socket_at(sock);
        snprintf(outer, sizeof(outer), "%s/mnt", tmpdir);
        /* mountinfo escapes the space */
        snprintf(inner, sizeof(inner), "%s/mnt/inner dir/run", tmpdir);
        mkdir_p(inner);
        ck_assert_int_eq(mount(run, inner, NULL, MS_BIND, NULL), 0);
        socket_policy(sock);
        expect_socket_bind("engine-socket", outer, "[\"rbind\"]", true);
        expect_socket_bind("engine-socket", inner, "[\"rbind\"]", true);
        ck_assert_int_eq(umount(inner), 0);
        expect_socket_bind("engine-socket", outer, "[\"rbind\"]", false);
}
END_TEST

START_TEST(test_default_sockets_include_rootless_podman_and_crio)
{
        static const char *const paths[] = {"/run/user/1000/podman/podman.sock", "/var/run/crio/crio.sock",
                                            "/run/containerd/containerd.sock", "/run/buildkit/buildkitd.sock",
                                            "//var/run/./docker.sock"};
        for (size_t i = 0; i < ARRAY_SIZE(paths); i++) {
                _cleanup_eval_ struct eval ev = eval_bind_policy("{\"version\":1}", paths[i], "[\"rbind\"]");
                ck_assert_msg(find(&ev, "engine-socket"), "%s was not denied", paths[i]);
        }
}
END_TEST

START_TEST(test_bind_options_in_any_case_make_a_bind)
{
        char json[512];
        snprintf(json, sizeof(json),
                 "{\"mounts\":[{\"destination\":\"/x\",\"type\":\"none\",\"source\":\"/run/docker.sock\","
                 "\"options\":[\"RBIND\"]}]}");
        _cleanup_eval_ struct eval ev = eval_doc(NULL, json);
        expect(&ev, "engine-socket", ACTION_DENY, NULL, NULL);
}
END_TEST

/* --- engine-socket: a socket file of the test's own ------------------- */

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
        ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
        close(fd);
}

static void remove_socket_dir(void)
{
        if (!sockdir[0])
                return;
        remove_tree(sockdir);
        sockdir[0] = '\0';
}

static struct eval check_bind(const char *source, const char *type, const char *options)
{
        char pol[512], json[1024];
        snprintf(pol, sizeof(pol), "{\"version\":1,\"rules\":{\"engine-socket\":{\"params\":{\"sockets\":[\"%s\"]}}}}",
                 sockpath);
        _cleanup_policy_ struct policy *p = policy_from(pol);
        snprintf(json, sizeof(json),
                 "{\"mounts\":[{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\"},"
                 "{\"destination\":\"/x\",\"type\":\"%s\",\"source\":\"%s\",\"options\":%s}]}",
                 type, source, options);
        struct eval ev = eval_with(p, json, (struct eval_opts){.bundle = "/bundle"});
        return ev;
}

static void expect_socket_denied(const char *source, const char *type, const char *options)
{
        _cleanup_eval_ struct eval ev = check_bind(source, type, options);
        const struct finding *f = find(&ev, "engine-socket");
        ck_assert_msg(f && f->action == ACTION_DENY, "bind of %s (%s %s) was not denied", source, type, options);
        ck_assert_str_eq(f->pointer, "/mounts/1/source");
}

static void expect_socket_allowed(const char *source, const char *type, const char *options)
{
        _cleanup_eval_ struct eval ev = check_bind(source, type, options);
        ck_assert_msg(!find(&ev, "engine-socket"), "bind of %s was denied", source);
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

START_TEST(test_relative_socket_sources_are_taken_from_the_bundle)
{
        char pol[512];
        make_socket();
        snprintf(pol, sizeof(pol), "{\"version\":1,\"rules\":{\"engine-socket\":{\"params\":{\"sockets\":[\"%s\"]}}}}",
                 sockpath);
        _cleanup_policy_ struct policy *p = policy_from(pol);
        _cleanup_spec_ struct spec *s =
                parse_spec("{\"mounts\":[{\"destination\":\"/x\",\"source\":\"run\",\"options\":[\"bind\"]}]}");
        s->bundle = strdup(sockdir);
        _cleanup_eval_ struct eval ev = eval_spec(p, s, CHECK_CONFIG);
        ck_assert_ptr_nonnull(find(&ev, "engine-socket"));
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
        _cleanup_policy_ struct policy *p = builtin_policy();
        _cleanup_spec_ struct spec *s = corpus_spec("docker/docker-sock.json");
        _cleanup_eval_ struct eval ev = eval_spec(p, s, CHECK_CONFIG);
        const struct finding *f = find(&ev, "engine-socket");
        ck_assert_ptr_nonnull(f);
        ck_assert_str_eq(f->pointer, "/mounts/10/source");
        ck_assert_ptr_nonnull(strstr(f->message, "/var/run/docker.sock"));
        ck_assert_int_eq(eval_verdict(&ev), VERDICT_DENY);
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
        remove_tree(d);
}
END_TEST

/* --- sensitive-mount ---------------------------------------------------- */

static void expect_sensitive(const char *source, const char *options, rh_action_t action)
{
        _cleanup_eval_ struct eval ev = eval_bind(source, options);
        const struct finding *f = find(&ev, "sensitive-mount");
        ck_assert_msg(f, "bind of %s %s was not reported", source, options);
        ck_assert_msg(f->action == action, "bind of %s %s: %s, expected %s", source, options, action_name(f->action),
                      action_name(action));
        ck_assert_str_eq(f->pointer, "/mounts/1/source");
}

static void expect_not_sensitive(const char *source, const char *options)
{
        _cleanup_eval_ struct eval ev = eval_bind(source, options);
        expect_none(&ev, "sensitive-mount");
}

START_TEST(test_read_write_bind_of_etc_is_denied_however_spelled)
{
        static const char *const spellings[] = {
                "/etc", "//etc/./", "/usr/../etc", "/etc/shadow", "/etc//ssh/", "/proc/self/root/etc", "/"};
        for (size_t i = 0; i < ARRAY_SIZE(spellings); i++)
                expect_sensitive(spellings[i], "[\"rbind\",\"rprivate\"]", ACTION_DENY);
        _cleanup_eval_ struct eval ev = eval_bind("//etc/./", "[\"rbind\"]");
        ck_assert_ptr_nonnull(strstr(find(&ev, "sensitive-mount")->message, "read-write"));
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
        _cleanup_eval_ struct eval ev =
                eval_doc(NULL, "{\"mounts\":[{\"destination\":\"/x\",\"type\":\"tmpfs\",\"source\":\"/etc\"}]}");
        expect_none(&ev, "sensitive-mount");
}
END_TEST

START_TEST(test_corpus_engine_binds_are_not_sensitive)
{
        static const char *const names[] = {"docker/default.json", "docker/privileged.json", "docker/hardened.json",
                                            "podman/default.json"};
        for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
                _cleanup_eval_ struct eval ev = eval_corpus(names[i], true);
                expect_none(&ev, "sensitive-mount");
                expect_none(&ev, "mount-propagation");
        }
}
END_TEST

START_TEST(test_symlink_and_bind_aliases_of_etc_are_found)
{
        char link[128], alias[128], p[160];
        private_mounts();
        make_tmpdir();
        snprintf(link, sizeof(link), "%s/etc-link", tmpdir);
        ck_assert_int_eq(symlink("/etc", link), 0);
        expect_sensitive(link, "[\"rbind\"]", ACTION_DENY);
        snprintf(p, sizeof(p), "%s/passwd", link);
        expect_sensitive(p, "[\"rbind\"]", ACTION_DENY);
        snprintf(alias, sizeof(alias), "%s/etc-alias", tmpdir);
        mkdir_p(alias);
        ck_assert_int_eq(mount("/etc", alias, NULL, MS_BIND, NULL), 0);
        snprintf(p, sizeof(p), "%s/passwd", alias);
        expect_sensitive(p, "[\"bind\"]", ACTION_DENY);
        expect_sensitive(tmpdir, "[\"rbind\"]", ACTION_DENY);
        ck_assert_int_eq(umount(alias), 0);
        expect_not_sensitive(tmpdir, "[\"rbind\"]");
}
END_TEST

START_TEST(test_relative_sensitive_sources_are_taken_from_the_bundle)
{
        _cleanup_eval_ struct eval ev = eval_mount_doc(
                "{\"mounts\":[{\"destination\":\"/x\",\"source\":\"../../etc\",\"options\":[\"rbind\"]}]}",
                (struct eval_opts){.bundle = "/srv/bundle"});
        expect(&ev, "sensitive-mount", ACTION_DENY, NULL, NULL);
}
END_TEST

START_TEST(test_sensitive_paths_and_exceptions_are_parameters)
{
        const char *pol = "{\"version\":1,\"rules\":{\"sensitive-mount\":{\"params\":{\"paths\":[\"/srv/secret/**\"],"
                          "\"allowed\":[\"/srv/secret/public/**\"]}}}}";
        _cleanup_eval_ struct eval ev = eval_bind_policy(pol, "/srv/secret/keys", "[\"rbind\"]");
        expect(&ev, "sensitive-mount", ACTION_DENY, NULL, NULL);
        eval_replace(&ev, eval_bind_policy(pol, "/srv/secret/public/x", "[\"rbind\"]"));
        expect_none(&ev, "sensitive-mount");
        eval_replace(&ev, eval_bind_policy(pol, "/etc", "[\"rbind\"]"));
        expect_none(&ev, "sensitive-mount");
}
END_TEST

START_TEST(test_host_root_as_rootfs_is_denied)
{
        _cleanup_eval_ struct eval ev = eval_doc(NULL, "{\"root\":{\"path\":\"//\"}}");
        const struct finding *f = expect(&ev, "sensitive-mount", ACTION_DENY, NULL, NULL);
        ck_assert_str_eq(f->pointer, "/root/path");
        /* read-only too: the container would run the host's own programs */
        eval_replace(&ev, eval_doc(NULL, "{\"root\":{\"path\":\"/usr\",\"readonly\":true}}"));
        expect(&ev, "sensitive-mount", ACTION_DENY, NULL, NULL);
        eval_replace(&ev, eval_doc(NULL, "{\"root\":{\"path\":\"/var/lib/docker/overlay2/0123/merged\"}}"));
        expect_none(&ev, "sensitive-mount");
}
END_TEST

START_TEST(test_host_file_systems_are_denied)
{
        _cleanup_eval_ struct eval ev =
                eval_doc(NULL, "{\"mounts\":[{\"destination\":\"/dev\",\"type\":\"devtmpfs\",\"source\":\"udev\","
                               "\"options\":[\"ro\"]}]}");
        const struct finding *f = expect(&ev, "sensitive-mount", ACTION_DENY, NULL, NULL);
        ck_assert_str_eq(f->pointer, "/mounts/0/type");
}
END_TEST

/* --- mount-propagation -------------------------------------------------- */

START_TEST(test_shared_propagation_on_a_bind_is_denied)
{
        _cleanup_eval_ struct eval ev = eval_bind("/srv/data", "[\"rbind\",\"rshared\"]");
        const struct finding *f = expect(&ev, "mount-propagation", ACTION_DENY, NULL, NULL);
        ck_assert_str_eq(f->pointer, "/mounts/1/options");
        eval_replace(&ev, eval_bind("/srv/data", "[\"bind\",\"shared\"]"));
        expect(&ev, "mount-propagation", ACTION_DENY, NULL, NULL);
}
END_TEST

START_TEST(test_private_and_slave_propagation_pass)
{
        static const char *const eval_opts[] = {"[\"rbind\",\"rprivate\"]", "[\"rbind\",\"rslave\"]",
                                                "[\"rbind\",\"Shared\"]"};
        for (size_t i = 0; i < ARRAY_SIZE(eval_opts); i++) {
                _cleanup_eval_ struct eval ev = eval_bind("/srv/data", eval_opts[i]);
                expect_none(&ev, "mount-propagation");
        }
        /* not a bind: a new tmpfs has no peer on the host */
        _cleanup_eval_ struct eval ev =
                eval_doc(NULL, "{\"mounts\":[{\"destination\":\"/x\",\"type\":\"tmpfs\",\"source\":\"t\","
                               "\"options\":[\"rshared\"]}]}");
        expect_none(&ev, "mount-propagation");
}
END_TEST

START_TEST(test_shared_rootfs_propagation_is_denied)
{
        _cleanup_eval_ struct eval ev = eval_doc(NULL, "{\"linux\":{\"rootfsPropagation\":\"rshared\"}}");
        const struct finding *f = expect(&ev, "mount-propagation", ACTION_DENY, NULL, NULL);
        ck_assert_str_eq(f->pointer, "/linux/rootfsPropagation");
        eval_replace(&ev, eval_doc(NULL, "{\"linux\":{\"rootfsPropagation\":\"rslave\"}}"));
        expect_none(&ev, "mount-propagation");
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
        tcase_add_checked_fixture(a, NULL, remove_tmpdir);
        suite_add_tcase(s, a);
        TCase *b = tcase_create("paths");
        tcase_add_test(b, test_relative_sources_are_joined_to_the_bundle_never_the_working_directory);
        tcase_add_test(b, test_a_source_inside_the_containers_own_rootfs_is_refused);
        tcase_add_test(b, test_a_source_through_a_link_others_can_change_is_refused);
        tcase_add_test(b, test_a_source_through_a_proc_link_is_refused);
        tcase_add_test(b, test_a_path_longer_than_the_kernel_takes_is_refused);
        tcase_add_checked_fixture(b, NULL, remove_tmpdir);
        suite_add_tcase(s, b);
        TCase *c = tcase_create("overlay-root-device");
        tcase_add_test(c, test_overlay_layers_are_judged_like_binds);
        tcase_add_test(c, test_a_relative_overlay_layer_is_refused);
        tcase_add_test(c, test_engine_storage_as_the_root_passes_and_engine_state_does_not);
        tcase_add_test(c, test_an_overlay_of_the_host_root_as_the_root_is_refused);
        tcase_add_test(c, test_a_bind_of_an_overlay_mount_point_is_judged_by_its_layers);
        tcase_add_test(c, test_mounting_the_hosts_disk_is_judged_as_what_it_holds);
        tcase_add_checked_fixture(c, NULL, remove_tmpdir);
        suite_add_tcase(s, c);
        TCase *sock = tcase_create("engine-socket");
        tcase_add_checked_fixture(sock, NULL, remove_tmpdir);
        tcase_add_test(sock, test_rootless_podman_sockets_are_found_by_glob);
        tcase_add_test(sock, test_socket_found_through_a_hard_link_named_by_a_glob);
        tcase_add_test(sock, test_a_trailing_double_star_protects_a_whole_directory);
        tcase_add_test(sock, test_a_directory_holding_a_bind_of_the_socket_directory_is_denied);
        tcase_add_test(sock, test_default_sockets_include_rootless_podman_and_crio);
        tcase_add_test(sock, test_bind_options_in_any_case_make_a_bind);
        suite_add_tcase(s, sock);
        TCase *sock_file = tcase_create("engine-socket-file");
        tcase_add_checked_fixture(sock_file, NULL, remove_socket_dir);
        tcase_add_test(sock_file, test_socket_bind_is_denied_by_path_and_odd_spellings);
        tcase_add_test(sock_file, test_socket_bind_is_denied_whatever_the_type_says);
        tcase_add_test(sock_file, test_bind_of_a_parent_directory_is_denied);
        tcase_add_test(sock_file, test_symlink_and_hard_link_to_the_socket_are_denied);
        tcase_add_test(sock_file, test_host_root_alias_through_proc_is_denied);
        tcase_add_test(sock_file, test_relative_socket_sources_are_taken_from_the_bundle);
        tcase_add_test(sock_file, test_unrelated_binds_and_non_bind_mounts_pass);
        tcase_add_test(sock_file, test_corpus_docker_sock_spec_is_denied_with_the_mount_pointer);
        tcase_add_test(sock_file, test_resolving_a_missing_path_still_follows_existing_symlinks);
        suite_add_tcase(s, sock_file);
        TCase *sens = tcase_create("sensitive-mount");
        tcase_add_checked_fixture(sens, NULL, remove_tmpdir);
        tcase_add_test(sens, test_read_write_bind_of_etc_is_denied_however_spelled);
        tcase_add_test(sens, test_read_only_bind_of_etc_is_a_warning);
        tcase_add_test(sens, test_read_only_follows_runc_option_order_and_spelling);
        tcase_add_test(sens, test_parents_of_sensitive_paths_are_sensitive);
        tcase_add_test(sens, test_ordinary_binds_and_engine_files_pass);
        tcase_add_test(sens, test_corpus_engine_binds_are_not_sensitive);
        tcase_add_test(sens, test_symlink_and_bind_aliases_of_etc_are_found);
        tcase_add_test(sens, test_relative_sensitive_sources_are_taken_from_the_bundle);
        tcase_add_test(sens, test_sensitive_paths_and_exceptions_are_parameters);
        tcase_add_test(sens, test_host_root_as_rootfs_is_denied);
        tcase_add_test(sens, test_host_file_systems_are_denied);
        suite_add_tcase(s, sens);
        TCase *prop = tcase_create("mount-propagation");
        tcase_add_test(prop, test_shared_propagation_on_a_bind_is_denied);
        tcase_add_test(prop, test_private_and_slave_propagation_pass);
        tcase_add_test(prop, test_shared_rootfs_propagation_is_denied);
        suite_add_tcase(s, prop);
        return s;
}

RUN_SUITE(binds_suite)
