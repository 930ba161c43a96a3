/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "rules/hostpath.h"
#include "testutil.h"
#include "util.h"
#include "verify.h"

/* The judgement of a created container, on facts written here: what
 * /proc/PID would show for each prediction failure. The real /proc is read
 * by runtime/verify_proc.c, tested through the binary
 * (tests/integration/test-verify.sh). */

static const char STATUS[] = "Name:\trunc:[2:INIT]\n"
                             "Uid:\t1000\t1000\t1000\t1000\n"
                             "Gid:\t1000\t1000\t1000\t1000\n"
                             "Groups:\t5 1000 \n"
                             "NoNewPrivs:\t1\n"
                             "Seccomp:\t2\n"
                             "Seccomp_filters:\t1\n"
                             "CapInh:\t0000000000000000\n"
                             "CapPrm:\t0000000020000420\n"
                             "CapEff:\t0000000020000420\n"
                             "CapBnd:\t00000000a80425fb\n"
                             "CapAmb:\t0000000000000000\n";

static const char LIMITS[] = "Limit                     Soft Limit           Hard Limit           Units     \n"
                             "Max cpu time              unlimited            unlimited            seconds   \n"
                             "Max processes             512                  512                  processes \n"
                             "Max open files            1024                 4096                 files     \n";

START_TEST(test_the_status_lines_are_read)
{
        rh_error_t err = RH_ERROR_INIT;
        struct verify_status s;
        ck_assert_int_eq(verify_parse_status(STATUS, &s, &err), 0);
        ck_assert_uint_eq(s.cap_bnd, 0xa80425fbu);
        ck_assert_uint_eq(s.cap_eff, 0x20000420u);
        ck_assert_int_eq(s.nnp, 1);
        ck_assert_int_eq(s.seccomp, 2);
        ck_assert_int_eq(s.seccomp_filters, 1);
        ck_assert_uint_eq(s.uid[3], 1000);
        ck_assert_uint_eq(s.n_groups, 2);
        ck_assert_uint_eq(s.groups[0], 5);
        ck_assert_int_eq(verify_parse_status("Name:\tx\nCapInh:\tzz\n", &s, &err), -EINVAL);
        ck_assert_ptr_nonnull(strstr(rh_error_msg(&err), "CapInh"));
        rh_error_clear(&err);
}
END_TEST

START_TEST(test_the_limits_are_read_unlimited_included)
{
        rh_error_t err = RH_ERROR_INIT;
        struct verify_limit l[RLIM_NLIMITS];
        ck_assert_int_eq(verify_parse_limits(LIMITS, l, &err), 0);
        ck_assert(l[RLIMIT_CPU].have);
        ck_assert_uint_eq(l[RLIMIT_CPU].soft, RLIM_INFINITY);
        ck_assert_uint_eq(l[RLIMIT_NOFILE].soft, 1024);
        ck_assert_uint_eq(l[RLIMIT_NOFILE].hard, 4096);
        ck_assert(!l[RLIMIT_AS].have);
        ck_assert_int_eq(verify_parse_limits("Max open files            x  y\n", l, &err), -EINVAL);
        rh_error_clear(&err);
}
END_TEST

START_TEST(test_cgroup_lines_of_both_versions_are_read)
{
        rh_error_t err = RH_ERROR_INIT;
        struct verify_cgroups c = {0};
        ck_assert_int_eq(verify_parse_cgroups("4:memory:/docker/x\n1:cpu,cpuacct:/docker/x\n0::/docker/x\n", &c, &err),
                         0);
        ck_assert_uint_eq(c.n, 3);
        ck_assert_str_eq(c.v[1].controllers, "cpu,cpuacct");
        ck_assert_str_eq(c.v[2].controllers, "");
        ck_assert_str_eq(c.v[2].path, "/docker/x");
        verify_cgroups_done(&c);
        ck_assert_int_eq(verify_parse_cgroups("4:memory\n", &c, &err), -EINVAL);
        rh_error_clear(&err);
}
END_TEST

/* --- a container, written by hand --------------------------------------- */

struct fake {
        struct verify_facts f;
        struct stat root_st, etc_st;
        char rootfs[64];
        const char *cgroup_procs;
        const char *memory_limit;
};

/* stat_in: the container's /hostetc is the host's /etc; its mount points
 * exist (and stand for the root file system's directories). */
static int fake_stat_in(void *data, const char *path, bool follow, struct stat *ret)
{
        static const char *const dirs[] = {"/", "/proc", "/proc/sys", "/dev", "/data", "/data/sub"};
        struct fake *k = data;

        (void)follow;
        if (STREQ(path, "/hostetc")) {
                *ret = k->etc_st;
                return 0;
        }
        for (size_t i = 0; i < ARRAY_SIZE(dirs); i++)
                if (STREQ(path, dirs[i])) {
                        *ret = k->root_st;
                        return 0;
                }
        return -ENOENT;
}

static int fake_resolve_in(void *data, const char *path, char **ret)
{
        struct stat st;
        if (fake_stat_in(data, path, true, &st) < 0)
                return -ENOENT;
        *ret = strdup(path);
        return 0;
}

static int fake_cgroup_read(void *data, const char *controller, const char *file, char **ret)
{
        struct fake *k = data;
        const char *v = STREQ(file, "cgroup.procs")                                           ? k->cgroup_procs
                        : STREQ(file, "memory.limit_in_bytes") && STREQ(controller, "memory") ? k->memory_limit
                                                                                              : NULL;
        if (!v)
                return -ENOENT;
        *ret = strdup(v);
        return 0;
}

static void table(struct mount_table *t, const char *text)
{
        rh_error_t err = RH_ERROR_INIT;
        ck_assert_msg(mount_table_parse(text, strlen(text), t, &err) == 0, "%s", rh_error_msg(&err));
}

/* A plain container of `runc spec`, with what each test adds to its mount
 * table. dev 254:0 stands for the host's root file system. */
static void fake_init(struct fake *k, const char *extra_mounts)
{
        rh_error_t err = RH_ERROR_INIT;
        char *mounts = NULL, host[512];
        struct stat st;

        memset(k, 0, sizeof(*k));
        snprintf(k->rootfs, sizeof(k->rootfs), "/tmp/rh-unit-verify.%d", (int)getpid());
        mkdir(k->rootfs, 0755);
        ck_assert_int_eq(stat(k->rootfs, &k->root_st), 0);
        ck_assert_int_eq(stat("/etc", &k->etc_st), 0);
        k->f.pid = 4242;
        k->f.id = "c1";
        k->f.bundle = "/tmp";
        k->cgroup_procs = "4242\n";
        for (int t = 0; t < _VNS_MAX; t++) {
                /* our own namespaces: the host's; the container's new ones */
                k->f.self_ns[t] = (struct verify_fileid){.have = true, .dev = 4, .ino = 4026531830u + (ino_t)t};
                k->f.ns[t] = k->f.self_ns[t];
        }
        for (verify_ns_t t = VNS_PID; t <= VNS_UTS; t++)
                k->f.ns[t].ino = 4026532000u + t;
        k->f.root = (struct verify_fileid){.have = true, .dev = k->root_st.st_dev, .ino = k->root_st.st_ino};
        unsigned maj = major(k->etc_st.st_dev), min = minor(k->etc_st.st_dev);
        snprintf(host, sizeof(host),
                 "1 0 %u:%u / / rw,relatime - ext4 /dev/vda rw\n"
                 "2 1 0:21 / /proc rw - proc proc rw\n"
                 "3 1 0:30 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n",
                 maj, min);
        table(&k->f.host_mounts, host);
        ck_assert(asprintf(&mounts,
                           "84 52 %u:%u %s / ro,relatime - ext4 /dev/vda rw\n"
                           "85 84 0:45 / /proc rw,relatime - proc proc rw\n"
                           "86 84 0:46 / /dev rw,nosuid - tmpfs tmpfs rw\n"
                           "53 85 0:45 /sys /proc/sys ro,relatime - proc proc rw\n"
                           "%s",
                           maj, min, k->rootfs, extra_mounts) > 0);
        table(&k->f.mounts, mounts);
        free(mounts);
        ck_assert_int_eq(verify_parse_status(STATUS, &k->f.status, &err), 0);
        ck_assert_int_eq(verify_parse_status(STATUS, &k->f.self_status, &err), 0);
        k->f.self_status.seccomp_filters = 0;
        ck_assert_int_eq(verify_parse_limits(LIMITS, k->f.limits, &err), 0);
        ck_assert_int_eq(verify_parse_cgroups("4:memory:/c1\n0::/c1\n", &k->f.cgroups, &err), 0);
        ck_assert_int_eq(verify_parse_cgroups("4:memory:/\n0::/\n", &k->f.self_cgroups, &err), 0);
        k->f.uid_map = strdup("");
        k->f.gid_map = strdup("");
        (void)st;
}

static void fake_done(struct fake *k)
{
        rmdir(k->rootfs);
        verify_facts_done(&k->f);
}

/* The spec the container was judged by: runc spec's, with extra JSON
 * members spliced into "linux" and "mounts" (each may be ""). */
static struct spec *fake_spec(const struct fake *k, const char *linux_extra, const char *mounts_extra)
{
        char *json = NULL;
        ck_assert(
                asprintf(
                        &json,
                        "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"%s\",\"readonly\":true},"
                        "\"process\":{\"args\":[\"sh\"],\"noNewPrivileges\":true,"
                        "\"user\":{\"uid\":1000,\"gid\":1000},"
                        "\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"soft\":1024,\"hard\":4096}],"
                        "\"capabilities\":{\"bounding\":[\"CAP_CHOWN\",\"CAP_DAC_OVERRIDE\",\"CAP_FSETID\","
                        "\"CAP_FOWNER\",\"CAP_MKNOD\",\"CAP_NET_RAW\",\"CAP_SETGID\",\"CAP_SETUID\",\"CAP_SETFCAP\","
                        "\"CAP_SETPCAP\",\"CAP_NET_BIND_SERVICE\",\"CAP_SYS_CHROOT\",\"CAP_KILL\",\"CAP_AUDIT_WRITE\"],"
                        "\"effective\":[\"CAP_KILL\",\"CAP_NET_BIND_SERVICE\",\"CAP_AUDIT_WRITE\"],"
                        "\"permitted\":[\"CAP_KILL\",\"CAP_NET_BIND_SERVICE\",\"CAP_AUDIT_WRITE\"]}},"
                        "\"mounts\":[{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\"},"
                        "{\"destination\":\"/dev\",\"type\":\"tmpfs\",\"source\":\"tmpfs\"}%s],"
                        "\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"network\"},{\"type\":\"ipc\"},"
                        "{\"type\":\"uts\"},{\"type\":\"mount\"}],\"readonlyPaths\":[\"/proc/sys\"]%s}}",
                        k->rootfs, mounts_extra, linux_extra) > 0);
        struct spec *s = parse_spec(json);
        free(json);
        hostpath_root_record(s); /* as the create's judgement does */
        return s;
}

static void judge(struct fake *k, const struct policy *p, struct spec *s, struct eval *ev)
{
        rh_error_t err = RH_ERROR_INIT;
        struct verify_probe probe = {
                .data = k, .stat_in = fake_stat_in, .resolve_in = fake_resolve_in, .cgroup_read = fake_cgroup_read};
        ck_assert_int_eq(verify_judge(p, s, &k->f, &probe, ev, &err), 0);
}

/* The deny findings, joined, for assertions on the message. */
static char *denials(const struct eval *ev)
{
        return verify_message(ev, "c1", false);
}

START_TEST(test_a_container_that_is_what_its_spec_says_has_no_finding)
{
        struct fake k;
        struct eval ev = {0};
        fake_init(&k, "");
        struct policy *p = builtin_policy();
        struct spec *s = fake_spec(&k, "", "");
        judge(&k, p, s, &ev);
        char *m = denials(&ev);
        ck_assert_msg(eval_count(&ev, ACTION_DENY) == 0, "unexpected: %s", m);
        free(m);
        eval_done(&ev);
        spec_free(s);
        policy_free(p);
        fake_done(&k);
}
END_TEST

START_TEST(test_a_bind_that_is_the_hosts_etc_is_refused_by_what_it_is)
{
        struct fake k;
        struct eval ev = {0};
        char line[128];
        fake_init(&k, "");
        /* a volume's path in the spec; /etc's device and root in the kernel */
        snprintf(line, sizeof(line), "90 84 %u:%u /etc /hostetc rw,relatime - ext4 /dev/vda rw\n",
                 major(k.etc_st.st_dev), minor(k.etc_st.st_dev));
        mount_table_done(&k.f.mounts);
        char *mounts = NULL;
        ck_assert(asprintf(&mounts, "84 52 0:99 / / ro - overlay overlay rw\n%s", line) > 0);
        table(&k.f.mounts, mounts);
        free(mounts);
        struct policy *p = builtin_policy();
        judge(&k, p, NULL, &ev);
        const struct finding *f = find(&ev, "sensitive-mount");
        ck_assert_ptr_nonnull(f);
        ck_assert_int_eq(f->action, ACTION_DENY);
        ck_assert_str_eq(f->pointer, "/proc/4242/mountinfo");
        ck_assert_str_eq(f->message, "/hostetc is a bind of the host's /etc, writable");
        char *m = denials(&ev);
        ck_assert_ptr_nonnull(strstr(m, "runc-harden: container c1: /proc/4242/mountinfo: /hostetc is a bind of the "
                                        "host's /etc, writable (sensitive-mount)"));
        free(m);
        eval_done(&ev);

        /* read-only: a warning, as the spec layer gives one */
        k.f.mounts.v[1].readonly = true;
        judge(&k, p, NULL, &ev);
        ck_assert_int_eq(find(&ev, "sensitive-mount")->action, ACTION_WARN);
        eval_done(&ev);

        /* the rule off: off in this layer too */
        size_t idx;
        rules_find("sensitive-mount", &idx);
        p->conf[idx].action = ACTION_OFF;
        k.f.mounts.v[1].readonly = false;
        judge(&k, p, NULL, &ev);
        ck_assert_ptr_null(find(&ev, "sensitive-mount"));
        eval_done(&ev);
        policy_free(p);
        fake_done(&k);
}
END_TEST

START_TEST(test_a_proc_outside_proc_and_a_writable_cgroup_are_refused)
{
        struct fake k;
        struct eval ev = {0};
        fake_init(&k, "91 84 0:47 / /p2 rw - proc proc rw\n"
                      "92 84 0:30 /c1 /cg rw - cgroup cgroup rw,memory\n"
                      "93 84 0:30 /c1 /cg2 ro - cgroup cgroup rw,memory\n");
        struct policy *p = builtin_policy();
        judge(&k, p, NULL, &ev);
        char *m = denials(&ev);
        ck_assert_ptr_nonnull(strstr(m, "/p2 is a proc file system outside /proc's place"));
        ck_assert_ptr_nonnull(strstr(m, "/cg is a writable cgroup file system"));
        ck_assert_ptr_null(strstr(m, "/cg2"));
        ck_assert_ptr_null(strstr(m, "/proc/sys")); /* runc's read-only bind of its own proc */
        free(m);
        eval_done(&ev);
        policy_free(p);
        fake_done(&k);
}
END_TEST

START_TEST(test_a_read_only_bind_is_read_only_all_the_way_down)
{
        struct fake k;
        struct eval ev = {0};
        fake_init(&k, "94 84 254:0 /srv /data ro - ext4 /dev/vda rw\n"
                      "95 94 0:50 / /data/sub rw - tmpfs tmpfs rw\n");
        k.f.mounts.v[4].dev = k.root_st.st_dev; /* /data is the bind source below */
        struct policy *p = builtin_policy();
        char mounts[256];
        snprintf(mounts, sizeof(mounts),
                 ",{\"destination\":\"/data\",\"type\":\"bind\",\"source\":\"%s\","
                 "\"options\":[\"rbind\",\"ro\"]}",
                 k.rootfs);
        struct spec *s = fake_spec(&k, "", mounts);
        judge(&k, p, s, &ev);
        char *m = denials(&ev);
        ck_assert_ptr_nonnull(strstr(m, "/data/sub is writable inside /data, which the spec binds read-only: \"ro\" "
                                        "is not recursive; use \"rro\" (recursive-readonly)"));
        free(m);
        eval_done(&ev);
        spec_free(s);
        policy_free(p);
        fake_done(&k);
}
END_TEST

START_TEST(test_namespaces_are_compared_with_the_spec_and_the_host)
{
        struct fake k;
        struct eval ev = {0};
        fake_init(&k, "");
        k.f.ns[VNS_NET] = k.f.self_ns[VNS_NET]; /* runc did not make one */
        struct policy *p = builtin_policy();
        struct spec *s = fake_spec(&k, "", "");
        judge(&k, p, s, &ev);
        char *m = denials(&ev);
        ck_assert_ptr_nonnull(strstr(m, "/proc/4242/ns: the spec asks for a new network namespace; the container "
                                        "shares runc-harden's (the host's) (verify)"));
        ck_assert_ptr_nonnull(strstr(m, "/proc/4242/ns: the container is in the host's network namespace "
                                        "(host-namespace)"));
        free(m);
        eval_done(&ev);
        spec_free(s);
        policy_free(p);
        fake_done(&k);
}
END_TEST

START_TEST(test_credentials_rlimits_and_limits_are_compared_with_the_spec)
{
        struct fake k;
        struct eval ev = {0};
        fake_init(&k, "");
        k.f.status.cap_eff |= UINT64_C(1) << 21; /* CAP_SYS_ADMIN */
        k.f.status.nnp = 0;
        k.f.status.uid[1] = 0;
        k.f.limits[RLIMIT_NOFILE].soft = 1048576;
        k.memory_limit = "9223372036854771712\n";
        struct policy *p = builtin_policy();
        struct spec *s = fake_spec(&k, ",\"resources\":{\"memory\":{\"limit\":67108864}}", "");
        judge(&k, p, s, &ev);
        char *m = denials(&ev);
        ck_assert_ptr_nonnull(strstr(m, "CapEff has CAP_SYS_ADMIN, which process.capabilities.effective does not "
                                        "grant"));
        ck_assert_ptr_nonnull(strstr(m, "process.noNewPrivileges is true and the process has NoNewPrivs: 0"));
        ck_assert_ptr_nonnull(strstr(m, "the process runs as uid 0; process.user.uid is 1000"));
        ck_assert_ptr_nonnull(strstr(m, "Max open files is 1048576 (soft) and 4096 (hard)"));
        ck_assert_ptr_nonnull(strstr(m, "memory.limit_in_bytes is 9223372036854771712; the spec's "
                                        "linux.resources.memory.limit makes it 67108864"));
        free(m);
        eval_done(&ev);
        spec_free(s);
        policy_free(p);
        fake_done(&k);
}
END_TEST

START_TEST(test_a_cgroup_that_is_not_the_containers_own_is_seen)
{
        struct fake k;
        struct eval ev = {0};
        fake_init(&k, "");
        struct verify_probe probe = {
                .data = &k, .stat_in = fake_stat_in, .resolve_in = fake_resolve_in, .cgroup_read = fake_cgroup_read};
        ck_assert(!verify_cgroup_is_shared(&k.f, &probe));
        k.cgroup_procs = "4242\n777\n";
        ck_assert(verify_cgroup_is_shared(&k.f, &probe));
        struct policy *p = builtin_policy();
        judge(&k, p, NULL, &ev);
        char *m = denials(&ev);
        ck_assert_ptr_nonnull(strstr(m, "the container's cgroup also holds process 777"));
        free(m);
        eval_done(&ev);
        k.cgroup_procs = "4242\n";
        free(k.f.cgroups.v[0].path);
        k.f.cgroups.v[0].path = strdup("/");
        ck_assert(verify_cgroup_is_shared(&k.f, &probe));
        judge(&k, p, NULL, &ev);
        m = denials(&ev);
        ck_assert_ptr_nonnull(strstr(m, "the container is in the root cgroup of memory"));
        free(m);
        eval_done(&ev);
        policy_free(p);
        fake_done(&k);
}
END_TEST

START_TEST(test_an_exemption_holds_in_this_layer_too)
{
        struct fake k;
        struct eval ev = {0};
        fake_init(&k, "91 84 0:47 / /p2 rw - proc proc rw\n");
        struct policy *p = builtin_policy();
        size_t idx;
        const struct rule *r = rules_find("kernel-mounts", &idx);
        if (!r)
                r = rules_find("sensitive-mount", &idx);
        p->conf[idx].exemptible = true;
        char ann[128];
        snprintf(ann, sizeof(ann), ",\"x\":0},\"annotations\":{\"org.runc-harden.exempt\":\"%s\"", r->id);
        struct spec *s = fake_spec(&k, ann, "");
        judge(&k, p, s, &ev);
        const struct finding *f = find(&ev, r->id);
        ck_assert_ptr_nonnull(f);
        ck_assert(f->exempted);
        ck_assert(eval_verdict(&ev) != VERDICT_DENY);
        eval_done(&ev);
        spec_free(s);
        policy_free(p);
        fake_done(&k);
}
END_TEST

static Suite *verify_suite(void)
{
        Suite *s = suite_create("verify");
        TCase *tc = tcase_create("core");
        tcase_add_test(tc, test_the_status_lines_are_read);
        tcase_add_test(tc, test_the_limits_are_read_unlimited_included);
        tcase_add_test(tc, test_cgroup_lines_of_both_versions_are_read);
        tcase_add_test(tc, test_a_container_that_is_what_its_spec_says_has_no_finding);
        tcase_add_test(tc, test_a_bind_that_is_the_hosts_etc_is_refused_by_what_it_is);
        tcase_add_test(tc, test_a_proc_outside_proc_and_a_writable_cgroup_are_refused);
        tcase_add_test(tc, test_a_read_only_bind_is_read_only_all_the_way_down);
        tcase_add_test(tc, test_namespaces_are_compared_with_the_spec_and_the_host);
        tcase_add_test(tc, test_credentials_rlimits_and_limits_are_compared_with_the_spec);
        tcase_add_test(tc, test_a_cgroup_that_is_not_the_containers_own_is_seen);
        tcase_add_test(tc, test_an_exemption_holds_in_this_layer_too);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(verify_suite)
