/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"
#include "util.h"
#include "verify.h"

/* The devices of a created container (policy/verify_devices.c) and the
 * state crun keeps of it (policy/verify_runtime.c), judged on facts
 * written here. The real /dev and devices.list are read through the binary
 * (tests/integration/test-verify-devices.sh). */

struct fake {
        struct verify_facts f;
        const char *devices_list; /* NULL: no such file */
        const char *nodes;        /* "c 1 3 /dev/null\n..." */
        int nodes_error;
};

static int fake_stat_in(void *data, const char *path, bool follow, struct stat *ret)
{
        (void)data, (void)path, (void)follow, (void)ret;
        return -ENOENT;
}

static int fake_resolve_in(void *data, const char *path, char **ret)
{
        (void)data, (void)path, (void)ret;
        return -ENOENT;
}

static int fake_cgroup_read(void *data, const char *controller, const char *file, char **ret)
{
        struct fake *k = data;
        if (STREQ(controller, "devices") && STREQ(file, "devices.list") && k->devices_list) {
                *ret = strdup(k->devices_list);
                return 0;
        }
        if (STREQ(file, "cgroup.procs")) {
                *ret = strdup("4242\n");
                return 0;
        }
        return -ENOENT;
}

static int fake_dev_nodes(void *data, struct verify_devnodes *ret)
{
        struct fake *k = data;
        *ret = (struct verify_devnodes){0};
        if (k->nodes_error)
                return k->nodes_error;
        for (const char *p = k->nodes; p && *p;) {
                char t, path[128];
                unsigned maj, min;
                ck_assert_int_eq(sscanf(p, "%c %u %u %127s", &t, &maj, &min, path), 4);
                ret->v = reallocarray(ret->v, ret->n + 1, sizeof(*ret->v));
                ret->v[ret->n++] = (struct verify_devnode){.path = strdup(path), .type = t, .major = maj, .minor = min};
                p = strchr(p, '\n');
                p = p ? p + 1 : NULL;
        }
        return 0;
}

static const char RUNC_DEFAULT_LIST[] = "c *:* m\nb *:* m\nc 1:3 rwm\nc 1:8 rwm\nc 1:7 rwm\nc 5:0 rwm\n"
                                        "c 1:5 rwm\nc 1:9 rwm\nc 136:* rwm\nc 5:2 rwm\nc 10:200 rwm\n";
static const char DEFAULT_NODES[] = "c 1 3 /dev/null\nc 1 5 /dev/zero\nc 1 7 /dev/full\nc 1 8 /dev/random\n"
                                    "c 1 9 /dev/urandom\nc 5 0 /dev/tty\nc 5 2 /dev/pts/ptmx\nc 136 0 /dev/console\n";

/* /proc/PID/status of a root process with no capabilities. */
static void status_of(struct verify_status *ret, int nnp, int seccomp, int filters)
{
        rh_error_t err = RH_ERROR_INIT;
        _cleanup_free_ char *text = NULL;
        ck_assert(asprintf(&text,
                           "Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nGroups:\t\nNoNewPrivs:\t%d\nSeccomp:\t%d\n"
                           "Seccomp_filters:\t%d\nCapInh:\t0000000000000000\nCapPrm:\t0000000000000000\n"
                           "CapEff:\t0000000000000000\nCapBnd:\t0000000000000000\nCapAmb:\t0000000000000000\n",
                           nnp, seccomp, filters) > 0);
        ck_assert_msg(verify_parse_status(text, ret, &err) == 0, "%s", rh_error_msg(&err));
}

static void fake_init(struct fake *k, bool runc)
{
        rh_error_t err = RH_ERROR_INIT;
        memset(k, 0, sizeof(*k));
        k->f.pid = 4242;
        k->f.id = "c1";
        k->f.bundle = "/tmp";
        k->f.runc_init = runc;
        k->devices_list = RUNC_DEFAULT_LIST;
        k->nodes = DEFAULT_NODES;
        status_of(&k->f.status, 1, 2, 1);
        status_of(&k->f.self_status, 0, 0, 0);
        ck_assert_int_eq(verify_parse_cgroups("6:devices:/c1\n4:pids:/c1\n", &k->f.cgroups, &err), 0);
        ck_assert_int_eq(verify_parse_cgroups("6:devices:/\n4:pids:/\n", &k->f.self_cgroups, &err), 0);
        k->f.uid_map = strdup("");
        k->f.gid_map = strdup("");
}

static const char SPEC[] = "{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"]},"
                           "\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ERRNO\"},"
                           "\"devices\":[{\"path\":\"/dev/fuse\",\"type\":\"c\",\"major\":10,\"minor\":229}],"
                           "\"resources\":{\"devices\":[{\"allow\":false,\"access\":\"rwm\"},"
                           "{\"allow\":true,\"type\":\"c\",\"major\":10,\"minor\":229,\"access\":\"rw\"}]}}}";

/* The findings' messages of the verification, joined. */
static char *judge(struct fake *k, const char *spec_json)
{
        static const char *const none[] = {NULL};
        _cleanup_policy_ struct policy *p = policy_only(none);
        _cleanup_spec_ struct spec *s = parse_spec(spec_json);
        _cleanup_eval_ struct eval ev = {0};
        rh_error_t err = RH_ERROR_INIT;
        struct verify_probe probe = {.data = k,
                                     .stat_in = fake_stat_in,
                                     .resolve_in = fake_resolve_in,
                                     .cgroup_read = fake_cgroup_read,
                                     .dev_nodes = fake_dev_nodes};
        char *all = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&all, &len);

        ck_assert_int_eq(verify_judge(p, s, &k->f, &probe, &ev, &err), 0);
        for (size_t i = 0; i < ev.n; i++)
                if (ev.findings[i].action == ACTION_DENY)
                        fprintf(f, "%s: %s\n", ev.findings[i].pointer, ev.findings[i].message);
        fclose(f);
        verify_facts_done(&k->f);
        return all;
}

static bool has_device_finding(const char *all)
{
        return strstr(all, "/dev") || strstr(all, "devices.list") || strstr(all, "device");
}

START_TEST(test_runc_defaults_and_listed_devices_pass)
{
        struct fake k;
        fake_init(&k, true);
        k.nodes = "c 1 3 /dev/null\nc 5 2 /dev/pts/ptmx\nc 10 229 /dev/fuse\n";
        k.devices_list = "c *:* m\nb *:* m\nc 10:229 rw\nc 1:3 rwm\nc 136:* rwm\nc 10:200 rwm\n";
        _cleanup_free_ char *all = judge(&k, SPEC);
        ck_assert_msg(!has_device_finding(all), "%s", all);
}
END_TEST

START_TEST(test_a_node_nobody_gave_is_refused_by_path_and_number)
{
        struct fake k;
        fake_init(&k, true);
        k.nodes = "c 1 3 /dev/null\nc 10 183 /dev/hostrng\nb 254 0 /dev/sub/vda\n";
        _cleanup_free_ char *all = judge(&k, SPEC);
        ck_assert_msg(strstr(all, "/proc/4242/root: /dev/hostrng is c 10:183, a device node the spec does not give"),
                      "%s", all);
        ck_assert_msg(strstr(all, "/dev/sub/vda is b 254:0"), "%s", all);
}
END_TEST

START_TEST(test_a_node_swapped_at_a_listed_path_is_refused)
{
        struct fake k;
        fake_init(&k, true);
        k.nodes = "c 1 11 /dev/fuse\n";
        _cleanup_free_ char *all = judge(&k, SPEC);
        ck_assert_msg(strstr(all, "/dev/fuse is c 1:11, not the device linux.devices lists at that path"), "%s", all);
}
END_TEST

START_TEST(test_a_cgroup_rule_beyond_the_spec_is_refused)
{
        struct fake k;
        fake_init(&k, true);
        k.devices_list = "c *:* m\nc 10:229 rwm\nc 10:183 rwm\na *:* rwm\n";
        _cleanup_free_ char *all = judge(&k, SPEC);
        ck_assert_msg(strstr(all, "/proc/4242/cgroup: devices.list allows c 10:229 rwm"), "%s", all); /* m beyond rw */
        ck_assert_msg(strstr(all, "devices.list allows c 10:183 rwm"), "%s", all);
        ck_assert_msg(strstr(all, "devices.list allows a *:* rwm"), "%s", all);
}
END_TEST

START_TEST(test_the_runtimes_own_defaults_differ)
{
        struct fake k;
        fake_init(&k, true);
        k.devices_list = "c 5:1 rwm\n"; /* crun's console, not runc's */
        _cleanup_free_ char *all = judge(&k, SPEC);
        ck_assert_msg(strstr(all, "devices.list allows c 5:1 rwm"), "%s", all);
        fake_init(&k, false);
        k.devices_list = "c 5:1 rwm\n";
        k.f.pending_filter = 0;
        free(all);
        all = judge(&k, SPEC);
        ck_assert_msg(!strstr(all, "devices.list"), "%s", all);
}
END_TEST

START_TEST(test_an_unreadable_dev_or_devices_list_is_refused)
{
        struct fake k;
        fake_init(&k, true);
        k.nodes_error = -ELOOP;
        k.devices_list = NULL;
        _cleanup_free_ char *all = judge(&k, SPEC);
        ck_assert_msg(strstr(all, "the container's /dev cannot be examined"), "%s", all);
        ck_assert_msg(strstr(all, "has no devices.list to read"), "%s", all);
}
END_TEST

START_TEST(test_a_privileged_spec_allows_every_device)
{
        struct fake k;
        fake_init(&k, true);
        k.devices_list = "a *:* rwm\n";
        _cleanup_free_ char *all = judge(&k, "{\"process\":{\"args\":[\"sh\"]},\"linux\":{\"resources\":"
                                             "{\"devices\":[{\"allow\":true,\"access\":\"rwm\"}]}}}");
        ck_assert_msg(!strstr(all, "devices.list"), "%s", all);
}
END_TEST

/* crun with no-new-privileges loads its filter at start: at create it
 * must be waiting in crun's state directory, with the spec crun read being
 * the judged one. */
static void crun_pending(struct fake *k, const char *copy, int64_t filter)
{
        fake_init(k, false);
        status_of(&k->f.status, 1, 0, 0);
        k->f.runtime_root = strdup("/run/crun");
        k->f.runtime_config = copy ? strdup(copy) : NULL;
        k->f.pending_filter = filter;
}

START_TEST(test_crun_s_pending_filter_and_spec_copy_vouch_for_seccomp)
{
        struct fake k;
        crun_pending(&k, SPEC, 72);
        _cleanup_free_ char *ok = judge(&k, SPEC);
        ck_assert_msg(!strstr(ok, "seccomp") && !strstr(ok, "another spec"), "%s", ok);

        crun_pending(&k, SPEC, 0);
        _cleanup_free_ char *none = judge(&k, SPEC);
        ck_assert_msg(strstr(none, "the runtime has loaded none (Seccomp: 0), nor left one to load at start"), "%s",
                      none);

        crun_pending(&k, NULL, 72);
        _cleanup_free_ char *nocopy = judge(&k, SPEC);
        ck_assert_msg(strstr(nocopy, "loaded none"), "%s", nocopy);

        crun_pending(&k, "{\"ociVersion\":\"1.0.2\",\"annotations\":{\"run.oci.seccomp_bpf_data\":\"BgAAAAAA/38=\"}}",
                     72);
        _cleanup_free_ char *other = judge(&k, SPEC);
        ck_assert_msg(strstr(other, "the runtime read another spec (/run/crun/c1/config.json) than the one judged"),
                      "%s", other);

        crun_pending(&k, "{not json", 72);
        _cleanup_free_ char *bad = judge(&k, SPEC);
        ck_assert_msg(strstr(bad, "cannot be read"), "%s", bad);
}
END_TEST

START_TEST(test_runc_never_counts_on_a_pending_filter)
{
        struct fake k;
        crun_pending(&k, SPEC, 72);
        k.f.runc_init = true;
        _cleanup_free_ char *all = judge(&k, SPEC);
        ck_assert_msg(strstr(all, "the runtime has loaded none (Seccomp: 0)"), "%s", all);
}
END_TEST

static Suite *verify_devices_suite(void)
{
        Suite *s = suite_create("verify-devices");
        TCase *tc = tcase_create("core");
        tcase_add_test(tc, test_runc_defaults_and_listed_devices_pass);
        tcase_add_test(tc, test_a_node_nobody_gave_is_refused_by_path_and_number);
        tcase_add_test(tc, test_a_node_swapped_at_a_listed_path_is_refused);
        tcase_add_test(tc, test_a_cgroup_rule_beyond_the_spec_is_refused);
        tcase_add_test(tc, test_the_runtimes_own_defaults_differ);
        tcase_add_test(tc, test_an_unreadable_dev_or_devices_list_is_refused);
        tcase_add_test(tc, test_a_privileged_spec_allows_every_device);
        tcase_add_test(tc, test_crun_s_pending_filter_and_spec_copy_vouch_for_seccomp);
        tcase_add_test(tc, test_runc_never_counts_on_a_pending_filter);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(verify_devices_suite)
