/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mountinfo.h"
#include "testutil.h"
#include "util.h"

/* The kernel-mounts rule (policy/rules/kernel_mounts.c, kernel_cgroups.c).
 * Paths of this host are real: /proc, /sys, /dev and the cgroup
 * hierarchies. */

/* --- helpers ------------------------------------------------------------ */

/* The findings of kernel-mounts (and spec-invalid) alone, for spec: in
 * bundle when given (relative sources), offline as lint judges. */
static struct eval km_eval(const char *policy_json, const char *spec_json, const char *bundle, bool offline)
{
        _cleanup_policy_ struct policy *p = policy_json ? policy_from(policy_json) : builtin_policy();
        _cleanup_spec_ struct spec *s = parse_spec(spec_json);
        struct eval ev = {0};

        for (size_t i = 0; i < rules_count(); i++)
                if (strcmp(rules_get(i)->id, "kernel-mounts") != 0 && strcmp(rules_get(i)->id, "spec-invalid") != 0)
                        p->conf[i].action = ACTION_OFF;
        s->bundle = bundle ? strdup(bundle) : NULL;
        s->offline = offline;
        evaluate(p, s, CHECK_CONFIG, &ev);
        return ev;
}

/* A spec of one mount (JSON object text) after a proc at /proc. */
static char *spec_with_mount(const char *mount)
{
        char *s = NULL;
        ck_assert(asprintf(&s,
                           "{\"root\":{\"path\":\"/run/rh-unit/rootfs\"},\"mounts\":["
                           "{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\"},%s]}",
                           mount) > 0);
        return s;
}

static struct eval km_mount(const char *mount)
{
        _cleanup_free_ char *s = spec_with_mount(mount);
        return km_eval(NULL, s, NULL, false);
}

static struct eval km_linux(const char *linux_json, const char *mount)
{
        _cleanup_free_ char *s = NULL;
        ck_assert(asprintf(&s, "{\"linux\":%s,\"mounts\":[%s]}", linux_json, mount) > 0);
        return km_eval(NULL, s, NULL, false);
}

static void expect_denied(const struct eval *ev, const char *pointer, const char *words, const char *what)
{
        const struct finding *f = find(ev, "kernel-mounts");
        ck_assert_msg(f, "%s: no kernel-mounts finding", what);
        ck_assert_msg(f->action == ACTION_DENY, "%s: %s, not deny", what, action_name(f->action));
        if (pointer)
                ck_assert_msg(STREQ(f->pointer, pointer), "%s: pointer %s, expected %s", what, f->pointer, pointer);
        if (words)
                ck_assert_msg(strstr(f->message, words), "%s: \"%s\" lacks \"%s\"", what, f->message, words);
}

static void expect_clean(const struct eval *ev, const char *what)
{
        ck_assert_msg(ev->n == 0, "%s: %zu finding(s), first %s at %s: %s", what, ev->n,
                      ev->n ? ev->findings[0].rule : "", ev->n ? ev->findings[0].pointer : "",
                      ev->n ? ev->findings[0].message : "");
}

#define DENIED(mount, pointer, words)                                                                                  \
        do {                                                                                                           \
                _cleanup_eval_ struct eval _ev = km_mount(mount);                                                      \
                expect_denied(&_ev, pointer, words, mount);                                                            \
        } while (0)
#define PASSES(mount)                                                                                                  \
        do {                                                                                                           \
                _cleanup_eval_ struct eval _ev = km_mount(mount);                                                      \
                expect_clean(&_ev, mount);                                                                             \
        } while (0)

/* --- the engines' own specs ------------------------------------------- */

START_TEST(test_docker_and_podman_default_specs_pass)
{
        static const char *const files[] = {"docker/default.json",     "docker/read-only.json", "docker/hardened.json",
                                            "docker/tmpfs.json",       "docker/quotas.json",    "docker/user.json",
                                            "docker/docker-sock.json", "podman/default.json"};
        for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
                _cleanup_policy_ struct policy *p = builtin_policy();
                _cleanup_spec_ struct spec *s = corpus_spec(files[i]);
                _cleanup_eval_ struct eval ev = {0};
                evaluate(p, s, CHECK_CONFIG, &ev);
                ck_assert_msg(!find(&ev, "kernel-mounts"), "%s: %s", files[i], find(&ev, "kernel-mounts")->message);
        }
}
END_TEST

START_TEST(test_docker_privileged_gets_its_writable_sysfs_and_cgroup_denied)
{
        _cleanup_policy_ struct policy *p = builtin_policy();
        _cleanup_spec_ struct spec *s = corpus_spec("docker/privileged.json");
        _cleanup_eval_ struct eval ev = {0};
        evaluate(p, s, CHECK_CONFIG, &ev);
        const char *want[] = {"/mounts/3/options", "/mounts/4/options"};
        size_t k = 0;
        ck_assert_uint_eq(count_rule(&ev, "kernel-mounts"), 2);
        expect_denied(&ev, "/mounts/3/options", "sysfs at /sys read-write", "privileged sysfs");
        for (size_t i = 0; i < ev.n; i++)
                if (STREQ(ev.findings[i].rule, "kernel-mounts"))
                        ck_assert_str_eq(ev.findings[i].pointer, want[k++]);
}
END_TEST

/* --- fresh mounts ------------------------------------------------------- */

START_TEST(test_a_second_proc_is_denied_wherever_it_is)
{
        DENIED("{\"destination\":\"/p\",\"type\":\"proc\",\"source\":\"proc\"}", "/mounts/1/destination",
               "second proc at /p");
        DENIED("{\"destination\":\"/proc/sys\",\"type\":\"proc\",\"source\":\"proc\"}", NULL, "at /proc/sys");
        DENIED("{\"destination\":\"/\",\"type\":\"proc\",\"source\":\"proc\"}", NULL, "at /:");
        DENIED("{\"destination\":\"/proc/../p\",\"type\":\"proc\",\"source\":\"proc\"}", NULL, "at /p");
        DENIED("{\"destination\":\"p\",\"type\":\"proc\",\"source\":\"proc\"}", NULL, "at /p");
        DENIED("{\"type\":\"proc\",\"source\":\"proc\"}", NULL, "at /:");
        /* a rootfs path that is only a prefix of the destination's text */
        DENIED("{\"destination\":\"/run/rh-unit/rootfs2/proc\",\"type\":\"proc\",\"source\":\"proc\"}", NULL,
               "at /run/rh-unit/rootfs2/proc");
}
END_TEST

START_TEST(test_proc_at_proc_passes_however_the_destination_is_spelled)
{
        PASSES("{\"destination\":\"/proc/\",\"type\":\"proc\",\"source\":\"proc\"}");
        PASSES("{\"destination\":\"//proc/.\",\"type\":\"proc\",\"source\":\"proc\",\"options\":[\"rw\"]}");
        PASSES("{\"destination\":\"proc\",\"type\":\"proc\",\"source\":\"proc\"}");
        /* runc takes the rootfs path off a destination written under it */
        PASSES("{\"destination\":\"/run/rh-unit/rootfs/proc\",\"type\":\"proc\",\"source\":\"proc\"}");
}
END_TEST

START_TEST(test_a_kernel_type_in_another_case_is_denied)
{
        DENIED("{\"destination\":\"/proc\",\"type\":\"Proc\",\"source\":\"proc\"}", "/mounts/1/type",
               "mounts Proc at /proc");
        DENIED("{\"destination\":\"/x\",\"type\":\"DEBUGFS\",\"source\":\"x\"}", "/mounts/1/type", "kernel internals");
}
END_TEST

START_TEST(test_sysfs_passes_only_at_sys_and_read_only)
{
        PASSES("{\"destination\":\"/sys\",\"type\":\"sysfs\",\"source\":\"sysfs\",\"options\":[\"nosuid\",\"ro\"]}");
        PASSES("{\"destination\":\"/sys/\",\"type\":\"sysfs\",\"source\":\"x\",\"options\":[\"rw\",\"ro\"]}");
        DENIED("{\"destination\":\"/sys\",\"type\":\"sysfs\",\"source\":\"sysfs\"}", "/mounts/1/options", "read-write");
        /* runc applies the last of ro and rw; "RO" is data; rro is ignored for sysfs */
        DENIED("{\"destination\":\"/sys\",\"type\":\"sysfs\",\"source\":\"sysfs\",\"options\":[\"ro\",\"rw\"]}",
               "/mounts/1/options", "read-write");
        DENIED("{\"destination\":\"/sys\",\"type\":\"sysfs\",\"source\":\"sysfs\",\"options\":[\"RO\"]}",
               "/mounts/1/options", "read-write");
        DENIED("{\"destination\":\"/sys\",\"type\":\"sysfs\",\"source\":\"sysfs\",\"options\":[\"rro\"]}",
               "/mounts/1/options", "ignores \"rro\"");
        DENIED("{\"destination\":\"/s\",\"type\":\"sysfs\",\"source\":\"sysfs\",\"options\":[\"ro\"]}",
               "/mounts/1/destination", "sysfs at /s");
}
END_TEST

START_TEST(test_a_cgroup_mount_must_be_read_only)
{
        PASSES("{\"destination\":\"/sys/fs/cgroup\",\"type\":\"cgroup\",\"source\":\"cgroup\",\"options\":[\"ro\"]}");
        PASSES("{\"destination\":\"/cg\",\"type\":\"cgroup2\",\"source\":\"cgroup2\",\"options\":[\"ro\"]}");
        DENIED("{\"destination\":\"/sys/fs/cgroup\",\"type\":\"cgroup\",\"source\":\"cgroup\"}", "/mounts/1/options",
               "raise its own memory");
        DENIED("{\"destination\":\"/sys/fs/cgroup\",\"type\":\"cgroup\",\"source\":\"cgroup\",\"options\":[\"rro\"]}",
               "/mounts/1/options", "ignores \"rro\"");
        DENIED("{\"destination\":\"/sys/fs/cgroup\",\"type\":\"cgroup\",\"source\":\"c\",\"options\":[\"ro\",\"rw\"]}",
               "/mounts/1/options", NULL);
        DENIED("{\"destination\":\"/cg\",\"type\":\"cgroup2\",\"source\":\"cgroup2\",\"options\":[\"nosuid\"]}",
               "/mounts/1/options", "mounts cgroup2 at /cg read-write");
}
END_TEST

static const char RW_CGROUP[] = "{\"destination\":\"/sys/fs/cgroup\",\"type\":\"cgroup\",\"source\":\"cgroup\"}";

START_TEST(test_a_writable_cgroup_passes_in_a_user_namespace_without_host_root)
{
        /* Docker under userns-remap clears "ro" on the cgroup mount */
        _cleanup_eval_ struct eval ok =
                km_linux("{\"namespaces\":[{\"type\":\"user\"},{\"type\":\"mount\"}],"
                         "\"uidMappings\":[{\"containerID\":0,\"hostID\":100000,\"size\":65536}],"
                         "\"gidMappings\":[{\"containerID\":0,\"hostID\":100000,\"size\":65536}]}",
                         RW_CGROUP);
        expect_clean(&ok, "userns-remap");
        _cleanup_eval_ struct eval root =
                km_linux("{\"namespaces\":[{\"type\":\"user\"}],"
                         "\"uidMappings\":[{\"containerID\":0,\"hostID\":0,\"size\":1}],"
                         "\"gidMappings\":[{\"containerID\":0,\"hostID\":100000,\"size\":65536}]}",
                         RW_CGROUP);
        expect_denied(&root, "/mounts/0/options", NULL, "uid 0 mapped to host root");
        _cleanup_eval_ struct eval gid =
                km_linux("{\"namespaces\":[{\"type\":\"user\"}],"
                         "\"uidMappings\":[{\"containerID\":0,\"hostID\":100000,\"size\":65536}],"
                         "\"gidMappings\":[{\"containerID\":1,\"hostID\":0,\"size\":2}]}",
                         RW_CGROUP);
        expect_denied(&gid, NULL, NULL, "host gid 0 mapped");
        _cleanup_eval_ struct eval path =
                km_linux("{\"namespaces\":[{\"type\":\"user\",\"path\":\"/proc/1/ns/user\"}],"
                         "\"uidMappings\":[{\"containerID\":0,\"hostID\":100000,\"size\":65536}],"
                         "\"gidMappings\":[{\"containerID\":0,\"hostID\":100000,\"size\":65536}]}",
                         RW_CGROUP);
        expect_denied(&path, NULL, NULL, "a user namespace joined by path");
        _cleanup_eval_ struct eval none = km_linux("{\"namespaces\":[{\"type\":\"mount\"}]}", RW_CGROUP);
        expect_denied(&none, NULL, NULL, "no user namespace");
}
END_TEST

START_TEST(test_other_kernel_file_systems_are_denied_anywhere)
{
        static const char *const types[] = {"debugfs",  "tracefs",   "securityfs", "bpf",       "configfs",
                                            "efivarfs", "pstore",    "devtmpfs",   "nsfs",      "binfmt_misc",
                                            "fusectl",  "selinuxfs", "smackfs",    "rpc_pipefs"};
        for (size_t i = 0; i < ARRAY_SIZE(types); i++) {
                _cleanup_free_ char *m = NULL;
                ck_assert(asprintf(&m,
                                   "{\"destination\":\"/sys/kernel/x\",\"type\":\"%s\",\"source\":\"none\","
                                   "\"options\":[\"ro\"]}",
                                   types[i]) > 0);
                DENIED(m, "/mounts/1/type", "a kernel file system");
        }
}
END_TEST

START_TEST(test_a_type_outside_the_list_is_denied)
{
        DENIED("{\"destination\":\"/mnt\",\"type\":\"ext4\",\"source\":\"/dev/vda\"}", "/mounts/1/type",
               "type ext4 at /mnt, which is not in kernel-mounts.filesystems");
        PASSES("{\"destination\":\"/tmp\",\"type\":\"tmpfs\",\"source\":\"tmpfs\"}");
        PASSES("{\"destination\":\"/dev/mqueue\",\"type\":\"mqueue\",\"source\":\"mqueue\"}");
        PASSES("{\"destination\":\"/dev/pts\",\"type\":\"devpts\",\"source\":\"devpts\"}");
        /* no type and no bind flag: the kernel refuses the mount */
        PASSES("{\"destination\":\"/x\",\"source\":\"/proc\"}");
}
END_TEST

START_TEST(test_the_policy_can_change_the_list)
{
        const char *policy = "{\"version\":1,\"rules\":{\"kernel-mounts\":{\"params\":{\"filesystems\":"
                             "[\"tmpfs\",\"debugfs\",\"sysfs\"]}}}}";
        _cleanup_free_ char *proc = spec_with_mount("{\"destination\":\"/tmp\",\"type\":\"tmpfs\"}");
        _cleanup_eval_ struct eval a = km_eval(policy, proc, NULL, false);
        expect_denied(&a, "/mounts/0/type", "mounts proc at /proc", "proc left out of the list");
        const char *dbg = "{\"mounts\":[{\"destination\":\"/d\",\"type\":\"debugfs\",\"source\":\"debugfs\"},"
                          "{\"destination\":\"/s\",\"type\":\"sysfs\",\"source\":\"sysfs\",\"options\":[\"ro\"]}]}";
        _cleanup_eval_ struct eval b = km_eval(policy, dbg, NULL, false);
        ck_assert_uint_eq(b.n, 1); /* debugfs listed; sysfs still only at /sys */
        expect_denied(&b, "/mounts/1/destination", "sysfs at /s", "sysfs elsewhere");
}
END_TEST

START_TEST(test_a_remount_is_denied)
{
        DENIED("{\"destination\":\"/sys\",\"type\":\"sysfs\",\"source\":\"sysfs\",\"options\":[\"remount\",\"rw\"]}",
               "/mounts/1/options", "remounts /sys");
        DENIED("{\"destination\":\"/sys/fs/cgroup/memory\",\"type\":\"none\",\"source\":\"/tmp\","
               "\"options\":[\"bind\",\"remount\"]}",
               "/mounts/1/options", "remounts /sys/fs/cgroup/memory");
}
END_TEST

START_TEST(test_spec_fields_of_the_wrong_type_are_spec_invalid)
{
        _cleanup_eval_ struct eval a = km_mount("{\"destination\":\"/p\",\"type\":7}");
        ck_assert_ptr_nonnull(find(&a, "spec-invalid"));
        ck_assert_str_eq(find(&a, "spec-invalid")->pointer, "/mounts/1/type");
        _cleanup_eval_ struct eval b = km_mount("{\"destination\":\"/p\",\"type\":\"proc\",\"options\":\"ro\"}");
        ck_assert_str_eq(find(&b, "spec-invalid")->pointer, "/mounts/1/options");
        _cleanup_eval_ struct eval c = km_mount("\"/p\"");
        ck_assert_str_eq(find(&c, "spec-invalid")->pointer, "/mounts/1");
        _cleanup_eval_ struct eval d = km_eval(NULL, "{\"linux\":{\"cgroupsPath\":1}}", NULL, false);
        ck_assert_str_eq(find(&d, "spec-invalid")->pointer, "/linux/cgroupsPath");
        ck_assert_uint_eq(count_rule(&d, "spec-invalid"), 1);
}
END_TEST

/* --- binds ------------------------------------------------------------- */

START_TEST(test_a_bind_of_proc_is_denied_however_it_is_named)
{
        DENIED("{\"destination\":\"/x\",\"type\":\"none\",\"source\":\"/proc\",\"options\":[\"rbind\"]}",
               "/mounts/1/source", "binds /proc, which is the host's proc");
        DENIED("{\"destination\":\"/proc\",\"type\":\"bind\",\"source\":\"/proc\"}", "/mounts/1/source", NULL);
        /* a link in proc names another object in runc's process: hostpath.c,
         * which finds every host path for this rule, refuses it */
        static const char *const links[] = {"/proc/self/fd/999", "/proc/self/root/etc", "/proc/self/ns/net"};
        for (size_t i = 0; i < ARRAY_SIZE(links); i++) {
                _cleanup_free_ char *m = NULL;
                ck_assert(asprintf(&m, "{\"destination\":\"/x\",\"type\":\"bind\",\"source\":\"%s\"}", links[i]) > 0);
                _cleanup_eval_ struct eval ev = km_mount(m);
                const struct finding *f = find(&ev, "spec-invalid");
                ck_assert_msg(f && STREQ(f->pointer, "/mounts/1/source") && strstr(f->message, "a link in /proc"),
                              "%s: no spec-invalid finding for the link", links[i]);
        }
        /* a bind in any letter case, or by type alone */
        _cleanup_eval_ struct eval other_case =
                km_mount("{\"destination\":\"/x\",\"type\":\"none\",\"source\":\"/proc/sys\",\"options\":[\"RBIND\"]}");
        /* to runc a fresh mount of type none (which fails), to others a bind */
        ck_assert_uint_eq(count_rule(&other_case, "kernel-mounts"), 2);
        ck_assert_str_eq(other_case.findings[0].pointer, "/mounts/1/type");
        ck_assert_str_eq(other_case.findings[1].pointer, "/mounts/1/source");
        DENIED("{\"destination\":\"/x\",\"type\":\"BIND\",\"source\":\"//proc/./sys/../sys/kernel\"}",
               "/mounts/1/source", NULL);
}
END_TEST

START_TEST(test_a_bind_of_sysfs_devices_or_terminals_is_denied)
{
        DENIED("{\"destination\":\"/x\",\"type\":\"bind\",\"source\":\"/sys/kernel\",\"options\":[\"rbind\",\"ro\"]}",
               "/mounts/1/source", "the host's sysfs");
        DENIED("{\"destination\":\"/x\",\"type\":\"bind\",\"source\":\"/dev/null\",\"options\":[\"bind\",\"ro\"]}",
               "/mounts/1/source", "the host's devtmpfs");
        if (access("/dev/pts/ptmx", F_OK) == 0)
                DENIED("{\"destination\":\"/x\",\"type\":\"bind\",\"source\":\"/dev/pts\",\"options\":[\"bind\"]}",
                       "/mounts/1/source", "terminals");
}
END_TEST

/* The first cgroup hierarchy mounted on this host (v1 or v2), or NULL. */
static char *a_cgroup_hierarchy(void)
{
        _cleanup_mount_table_ struct mount_table t = {0};
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        ck_assert_msg(mount_table_read("/proc/self/mountinfo", &t, &err) == 0, "%s", rh_error_msg(&err));
        for (size_t i = 0; i < t.n; i++)
                if ((STREQ(t.v[i].fstype, "cgroup") || STREQ(t.v[i].fstype, "cgroup2")) && STREQ(t.v[i].root, "/"))
                        return strdup(t.v[i].point);
        return NULL;
}

START_TEST(test_a_bind_of_a_cgroup_must_be_read_only)
{
        _cleanup_free_ char *h = a_cgroup_hierarchy();
        _cleanup_free_ char *ro = NULL, *rw = NULL, *rrw = NULL, *rro = NULL;
        if (!h)
                return;
        ck_assert(asprintf(&rro,
                           "{\"destination\":\"/c\",\"type\":\"bind\",\"source\":\"%s\",\"options\":"
                           "[\"rbind\",\"rw\",\"rro\"]}",
                           h) > 0);
        ck_assert(asprintf(&ro,
                           "{\"destination\":\"/c\",\"type\":\"bind\",\"source\":\"%s\",\"options\":"
                           "[\"rbind\",\"ro\"]}",
                           h) > 0);
        ck_assert(asprintf(&rw,
                           "{\"destination\":\"/c\",\"type\":\"bind\",\"source\":\"%s\",\"options\":"
                           "[\"rbind\",\"ro\",\"rw\"]}",
                           h) > 0);
        ck_assert(asprintf(&rrw,
                           "{\"destination\":\"/c\",\"type\":\"bind\",\"source\":\"%s\",\"options\":"
                           "[\"rbind\",\"ro\",\"rrw\"]}",
                           h) > 0);
        PASSES(ro);
        DENIED(rw, "/mounts/1/source", "on a cgroup file system (/");
        DENIED(rrw, "/mounts/1/source", "read-write");
        PASSES(rro);
}
END_TEST

START_TEST(test_an_rbind_that_brings_kernel_mounts_along_is_denied)
{
        /* /sys/fs/cgroup is a tmpfs with the hierarchies mounted below */
        if (!access("/sys/fs/cgroup/cgroup.controllers", F_OK))
                return; /* a cgroup v2 host: nothing is below */
        DENIED("{\"destination\":\"/c\",\"type\":\"bind\",\"source\":\"/sys/fs/"
               "cgroup\",\"options\":[\"rbind\",\"ro\"]}",
               "/mounts/1/options", "cgroup mounts from below it, such as /sys/fs/cgroup/");
        PASSES("{\"destination\":\"/c\",\"type\":\"bind\",\"source\":\"/sys/fs/"
               "cgroup\",\"options\":[\"rbind\",\"rro\"]}");
        /* the kernel applies rro over rrw: read-only all the way down */
        PASSES("{\"destination\":\"/c\",\"type\":\"bind\",\"source\":\"/sys/fs/cgroup\","
               "\"options\":[\"rbind\",\"rro\",\"rrw\"]}");
        PASSES("{\"destination\":\"/c\",\"type\":\"bind\",\"source\":\"/sys/fs/cgroup\",\"options\":[\"bind\"]}");
        DENIED("{\"destination\":\"/r\",\"type\":\"bind\",\"source\":\"/\",\"options\":[\"rbind\",\"rro\"]}",
               "/mounts/1/options", "the host's proc at /proc");
}
END_TEST

START_TEST(test_recursive_readonly_s_fix_makes_a_cgroup_rbind_acceptable)
{
        static const char *const ids[] = {"kernel-mounts", "recursive-readonly", NULL};
        if (!access("/sys/fs/cgroup/cgroup.controllers", F_OK))
                return; /* a cgroup v2 host: nothing is below */
        _cleanup_policy_ struct policy *p = policy_only(ids);
        _cleanup_free_ char *json = spec_with_mount("{\"destination\":\"/cg\",\"type\":\"bind\",\"source\":"
                                                    "\"/sys/fs/cgroup\",\"options\":[\"rbind\",\"ro\"]}");
        _cleanup_spec_ struct spec *s = parse_spec(json);
        _cleanup_eval_ struct eval ev = {0};
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        /* docker run -v /sys/fs/cgroup:/cg:ro: the fix adds rro, which runc
         * applies to the hierarchies below; nothing is left to deny */
        evaluate(p, s, CHECK_CONFIG, &ev);
        ck_assert_ptr_null(find(&ev, "kernel-mounts"));
        ck_assert_int_eq(eval_verdict(&ev), VERDICT_FIX);
        ck_assert_msg(engine_apply_fixes(p, s, CHECK_CONFIG, &ev, &err) == 0, "%s", rh_error_msg(&err));
        _cleanup_eval_ struct eval again = {0};
        evaluate(p, s, CHECK_CONFIG, &again);
        ck_assert_uint_eq(again.n, 0);
}
END_TEST

/* In a private mount namespace of the test's own process (check forks each
 * test): a directory with proc mounted on it, as a Docker volume made with
 * --opt type=proc is. */
static void private_mounts_with_proc_at(const char *dir)
{
        ck_assert_int_eq(unshare(CLONE_NEWNS), 0);
        ck_assert_int_eq(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), 0);
        ck_assert_int_eq(mkdir(dir, 0755), 0);
        ck_assert_int_eq(mount("proc", dir, "proc", 0, NULL), 0);
}

START_TEST(test_a_volume_of_proc_is_proc_whatever_its_path)
{
        _cleanup_free_ char *vols = NULL, *vol = NULL, *bind = NULL, *parent = NULL, *plain = NULL;
        make_tmpdir();
        ck_assert(asprintf(&vols, "%s/volumes", tmpdir) > 0);
        ck_assert(asprintf(&vol, "%s/volumes/_data", tmpdir) > 0);
        ck_assert(asprintf(&bind,
                           "{\"destination\":\"/v\",\"type\":\"bind\",\"source\":\"%s\",\"options\":"
                           "[\"rbind\",\"ro\"]}",
                           vol) > 0);
        /* a parent of it brings it along with rbind, and not with bind */
        ck_assert(asprintf(&parent,
                           "{\"destination\":\"/v\",\"type\":\"bind\",\"source\":\"%s\","
                           "\"options\":[\"rbind\",\"rro\"]}",
                           vols) > 0);
        ck_assert(asprintf(&plain,
                           "{\"destination\":\"/v\",\"type\":\"bind\",\"source\":\"%s\","
                           "\"options\":[\"bind\"]}",
                           vols) > 0);
        ck_assert_int_eq(mkdir(vols, 0755), 0);
        /* judged while proc is mounted, checked once it is gone: nothing
         * is left mounted for the scratch directory's removal, even when
         * an assertion fails */
        private_mounts_with_proc_at(vol);
        _cleanup_eval_ struct eval a = km_mount(bind), b = km_mount(parent), c = km_mount(plain);
        ck_assert_int_eq(umount2(vol, MNT_DETACH), 0);
        expect_denied(&a, "/mounts/1/source", "which is the host's proc (a proc file system at", "the volume");
        expect_denied(&b, "/mounts/1/options", "the host's proc at", "an rbind of its parent");
        expect_clean(&c, "a plain bind of its parent");
}
END_TEST

START_TEST(test_a_relative_source_is_taken_from_the_bundle)
{
        _cleanup_free_ char *link = NULL;
        make_tmpdir();
        ck_assert(asprintf(&link, "%s/hostproc", tmpdir) > 0);
        ck_assert_int_eq(symlink("/proc/sys", link), 0);
        const char *spec = "{\"mounts\":[{\"destination\":\"/x\",\"type\":\"bind\",\"source\":\"hostproc\","
                           "\"options\":[\"rbind\",\"ro\"]}]}";
        _cleanup_eval_ struct eval ev = km_eval(NULL, spec, tmpdir, false);
        expect_denied(&ev, "/mounts/0/source", "binds hostproc, which is the host's proc", "bundle symlink");
        /* a source that does not exist fails in runc: nothing to judge */
        const char *gone = "{\"mounts\":[{\"destination\":\"/x\",\"type\":\"bind\",\"source\":\"nothing-here\"}]}";
        _cleanup_eval_ struct eval none = km_eval(NULL, gone, tmpdir, false);
        expect_clean(&none, "a missing source");
}
END_TEST

START_TEST(test_a_root_file_system_on_a_kernel_file_system_is_denied)
{
        _cleanup_eval_ struct eval ev = km_eval(NULL, "{\"root\":{\"path\":\"/sys/fs/cgroup/..\"}}", NULL, false);
        expect_denied(&ev, "/root/path", "the host's sysfs", "root.path");
}
END_TEST

/* --- cgroupsPath ------------------------------------------------------- */

static struct eval km_cgroups_path(const char *path, bool offline)
{
        _cleanup_free_ char *s = NULL;
        ck_assert(asprintf(&s, "{\"linux\":{\"cgroupsPath\":\"%s\"}}", path) > 0);
        return km_eval(NULL, s, NULL, offline);
}

START_TEST(test_a_cgroups_path_of_the_root_or_of_the_engine_is_denied)
{
        static const char *const root[] = {"/", "//", "/..", "/docker/../../.."};
        static const char *const own[] = {".", "..", "a/..", "../..", "x:y:../../.."};
        for (size_t i = 0; i < ARRAY_SIZE(root); i++) {
                _cleanup_eval_ struct eval ev = km_cgroups_path(root[i], true);
                expect_denied(&ev, "/linux/cgroupsPath", "the root cgroup of every hierarchy", root[i]);
        }
        for (size_t i = 0; i < ARRAY_SIZE(own); i++) {
                _cleanup_eval_ struct eval ev = km_cgroups_path(own[i], true);
                expect_denied(&ev, "/linux/cgroupsPath", "its own cgroup, the engine's", own[i]);
        }
}
END_TEST

START_TEST(test_the_engines_cgroups_paths_pass)
{
        static const char *const paths[] = {"/docker/41caba0710844a4b9ff2f03aa982547419f751da42c8600edccf73406e7ace9b",
                                            "/libpod_parent/libpod-1f21d47740e4", "system.slice:docker:41caba07108",
                                            "/default/rh-unit-ctr", "rh-unit-relative/x"};
        for (size_t i = 0; i < ARRAY_SIZE(paths); i++) {
                _cleanup_eval_ struct eval ev = km_cgroups_path(paths[i], false);
                expect_clean(&ev, paths[i]);
        }
}
END_TEST

/* A cgroup below hierarchy h, with a sleeping child process in it. */
struct busy_cgroup {
        char *dir;
        pid_t pid;
};

static void busy_cgroup_make(const char *h, struct busy_cgroup *b)
{
        _cleanup_free_ char *procs = NULL;
        char pid[32];
        ck_assert(asprintf(&b->dir, "%s/rh-unit-%d", h, (int)getpid()) > 0);
        ck_assert_int_eq(mkdir(b->dir, 0755), 0);
        b->pid = fork();
        ck_assert_int_ge(b->pid, 0);
        if (b->pid == 0) {
                prctl(PR_SET_PDEATHSIG, SIGKILL); /* gone with the test, even when it fails */
                pause();
                _exit(0);
        }
        ck_assert(asprintf(&procs, "%s/cgroup.procs", b->dir) > 0);
        int fd = open(procs, O_WRONLY | O_CLOEXEC);
        ck_assert_int_ge(fd, 0);
        int n = snprintf(pid, sizeof(pid), "%d", (int)b->pid);
        ck_assert_int_eq(write(fd, pid, (size_t)n), n);
        close(fd);
}

static void busy_cgroup_done(struct busy_cgroup *b)
{
        if (b->pid > 0) {
                kill(b->pid, SIGKILL);
                waitpid(b->pid, NULL, 0);
        }
        if (b->dir) {
                _cleanup_free_ char *child = NULL;
                if (asprintf(&child, "%s/child", b->dir) > 0)
                        rmdir(child);
                for (int i = 0; i < 50 && rmdir(b->dir) < 0 && errno == EBUSY; i++)
                        usleep(10000);
                free(b->dir);
        }
}

START_TEST(test_a_cgroup_another_process_uses_is_denied)
{
        _cleanup_free_ char *h = a_cgroup_hierarchy();
        _cleanup_(busy_cgroup_done) struct busy_cgroup b = {0};
        char path[64], below[96];

        if (!h || access(h, W_OK) < 0)
                return;
        busy_cgroup_make(h, &b);
        snprintf(path, sizeof(path), "/rh-unit-%d", (int)getpid());
        _cleanup_eval_ struct eval in = km_cgroups_path(path, false);
        expect_denied(&in, "/linux/cgroupsPath", "a cgroup that 1 process already uses", "joining");
        snprintf(below, sizeof(below), "%s/new", path);
        _cleanup_eval_ struct eval nest = km_cgroups_path(below, false);
        expect_denied(&nest, "/linux/cgroupsPath", "count against their limits", "nesting");
        /* lint cannot see the host that will run it */
        _cleanup_eval_ struct eval lint = km_cgroups_path(path, true);
        expect_clean(&lint, "offline");
}
END_TEST

START_TEST(test_a_cgroup_with_cgroups_below_it_is_denied)
{
        _cleanup_free_ char *h = a_cgroup_hierarchy(), *dir = NULL, *child = NULL;
        char path[64];

        if (!h || access(h, W_OK) < 0)
                return;
        snprintf(path, sizeof(path), "/rh-unit-parent-%d", (int)getpid());
        ck_assert(asprintf(&dir, "%s%s", h, path) > 0);
        ck_assert(asprintf(&child, "%s/child", dir) > 0);
        ck_assert_int_eq(mkdir(dir, 0755), 0);
        ck_assert_int_eq(mkdir(child, 0755), 0);
        struct eval ev = km_cgroups_path(path, false);
        rmdir(child);
        rmdir(dir);
        expect_denied(&ev, "/linux/cgroupsPath", "the parent of other cgroups", "a parent");
        eval_done(&ev);
}
END_TEST

static Suite *kernel_mounts_suite(void)
{
        Suite *s = suite_create("kernel-mounts");
        TCase *tc = tcase_create("core");
        tcase_add_checked_fixture(tc, NULL, remove_tmpdir);
        tcase_add_test(tc, test_docker_and_podman_default_specs_pass);
        tcase_add_test(tc, test_docker_privileged_gets_its_writable_sysfs_and_cgroup_denied);
        tcase_add_test(tc, test_a_second_proc_is_denied_wherever_it_is);
        tcase_add_test(tc, test_proc_at_proc_passes_however_the_destination_is_spelled);
        tcase_add_test(tc, test_a_kernel_type_in_another_case_is_denied);
        tcase_add_test(tc, test_sysfs_passes_only_at_sys_and_read_only);
        tcase_add_test(tc, test_a_cgroup_mount_must_be_read_only);
        tcase_add_test(tc, test_a_writable_cgroup_passes_in_a_user_namespace_without_host_root);
        tcase_add_test(tc, test_other_kernel_file_systems_are_denied_anywhere);
        tcase_add_test(tc, test_a_type_outside_the_list_is_denied);
        tcase_add_test(tc, test_the_policy_can_change_the_list);
        tcase_add_test(tc, test_a_remount_is_denied);
        tcase_add_test(tc, test_spec_fields_of_the_wrong_type_are_spec_invalid);
        tcase_add_test(tc, test_a_bind_of_proc_is_denied_however_it_is_named);
        tcase_add_test(tc, test_a_bind_of_sysfs_devices_or_terminals_is_denied);
        tcase_add_test(tc, test_a_bind_of_a_cgroup_must_be_read_only);
        tcase_add_test(tc, test_an_rbind_that_brings_kernel_mounts_along_is_denied);
        tcase_add_test(tc, test_recursive_readonly_s_fix_makes_a_cgroup_rbind_acceptable);
        tcase_add_test(tc, test_a_volume_of_proc_is_proc_whatever_its_path);
        tcase_add_test(tc, test_a_relative_source_is_taken_from_the_bundle);
        tcase_add_test(tc, test_a_root_file_system_on_a_kernel_file_system_is_denied);
        tcase_add_test(tc, test_a_cgroups_path_of_the_root_or_of_the_engine_is_denied);
        tcase_add_test(tc, test_the_engines_cgroups_paths_pass);
        tcase_add_test(tc, test_a_cgroup_another_process_uses_is_denied);
        tcase_add_test(tc, test_a_cgroup_with_cgroups_below_it_is_denied);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(kernel_mounts_suite)
