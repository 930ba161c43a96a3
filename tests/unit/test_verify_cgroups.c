/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <unistd.h>

#include "testutil.h"
#include "util.h"
#include "verify.h"

/* The container's cgroup as the verification judges it (policy/
 * verify_process.c): in every hierarchy, no other process and no cgroup
 * below. runc and crun place a container in a host service's parent where
 * the spec's judgement mispredicted; this is what /proc then shows. The
 * real files are read by runtime/verify_proc.c, tested through the binary
 * (tests/integration/test-cgroups-path.sh). */

/* What each hierarchy's directory holds, by the probe's key. */
struct fake_cg {
        const char *procs_memory, *procs_pids, *procs_cpu;
        const char *child_memory, *child_cpu;
        bool no_child_probe;
        struct verify_facts f;
};

static int fake_read(void *data, const char *controller, const char *file, char **ret)
{
        struct fake_cg *k = data;
        const char *v = !STREQ(file, "cgroup.procs")  ? NULL
                        : STREQ(controller, "memory") ? k->procs_memory
                        : STREQ(controller, "pids")   ? k->procs_pids
                        : STREQ(controller, "cpu")    ? k->procs_cpu
                                                      : "4242\n";
        if (!v)
                return -ENOENT;
        *ret = strdup(v);
        return 0;
}

static int fake_child(void *data, const char *controller, char **ret)
{
        struct fake_cg *k = data;
        const char *c = STREQ(controller, "memory") ? k->child_memory : STREQ(controller, "cpu") ? k->child_cpu : NULL;
        *ret = c ? strdup(c) : NULL;
        return c ? 1 : 0;
}

static void fake_cg_init(struct fake_cg *k)
{
        rh_error_t err = RH_ERROR_INIT;
        *k = (struct fake_cg){.procs_memory = "4242\n", .procs_pids = "4242\n", .procs_cpu = "4242\n"};
        k->f.pid = 4242;
        k->f.id = "c1";
        ck_assert_int_eq(
                verify_parse_cgroups("4:memory:/c1\n8:pids:/c1\n1:cpu,cpuacct:/c1\n0::/c1\n", &k->f.cgroups, &err), 0);
        ck_assert_int_eq(
                verify_parse_cgroups("4:memory:/engine\n8:pids:/\n1:cpu,cpuacct:/\n0::/\n", &k->f.self_cgroups, &err),
                0);
}

static struct verify_probe fake_probe(struct fake_cg *k)
{
        return (struct verify_probe){
                .data = k, .cgroup_read = fake_read, .cgroup_child = k->no_child_probe ? NULL : fake_child};
}

/* The kernel-mounts findings about the cgroup, joined by " | ". */
static char *cgroup_findings(struct fake_cg *k)
{
        _cleanup_policy_ struct policy *p = only_rule("kernel-mounts", NULL);
        _cleanup_eval_ struct eval ev = {0};
        rh_error_t err = RH_ERROR_INIT;
        struct verify_probe probe = fake_probe(k);
        char *out = strdup("");

        ck_assert_int_eq(verify_judge(p, NULL, &k->f, &probe, &ev, &err), 0);
        for (size_t i = 0; i < ev.n; i++) {
                const struct finding *f = &ev.findings[i];
                char *n = NULL;
                if (!STREQ(f->rule, "kernel-mounts") || !strstr(f->pointer, "/cgroup"))
                        continue;
                ck_assert(asprintf(&n, "%s%s%s", out, *out ? " | " : "", f->message) > 0);
                free(out);
                out = n;
        }
        return out;
}

START_TEST(test_a_fresh_cgroup_of_its_own_is_not_shared)
{
        struct fake_cg k;
        fake_cg_init(&k);
        struct verify_probe probe = fake_probe(&k);
        ck_assert(!verify_cgroup_is_shared(&k.f, &probe));
        _cleanup_free_ char *m = cgroup_findings(&k);
        ck_assert_msg(STREQ(m, ""), "%s", m);
        verify_facts_done(&k.f);
}
END_TEST

START_TEST(test_a_cgroup_below_in_any_hierarchy_is_refused_and_shared)
{
        struct fake_cg k;
        fake_cg_init(&k);
        /* crun put the container at the root's /c1 while runc-harden
         * judged its own /engine/c1: only memory shows the service */
        k.child_memory = "svc";
        struct verify_probe probe = fake_probe(&k);
        ck_assert(verify_cgroup_is_shared(&k.f, &probe));
        _cleanup_free_ char *m = cgroup_findings(&k);
        ck_assert_msg(strstr(m, "the container's cgroup (/c1 of memory) has cgroups below it (svc)"), "%s", m);
        verify_facts_done(&k.f);

        /* "cpu,cpuacct" is asked for by its first controller */
        fake_cg_init(&k);
        k.child_cpu = "svc2";
        probe = fake_probe(&k);
        ck_assert(verify_cgroup_is_shared(&k.f, &probe));
        _cleanup_free_ char *c = cgroup_findings(&k);
        ck_assert_msg(strstr(c, "(/c1 of cpu,cpuacct) has cgroups below it (svc2)"), "%s", c);
        verify_facts_done(&k.f);
}
END_TEST

START_TEST(test_another_process_in_any_hierarchy_is_refused_and_shared)
{
        struct fake_cg k;
        fake_cg_init(&k);
        k.procs_memory = "4242\n777\n"; /* pids shows the init alone */
        struct verify_probe probe = fake_probe(&k);
        ck_assert(verify_cgroup_is_shared(&k.f, &probe));
        _cleanup_free_ char *m = cgroup_findings(&k);
        ck_assert_msg(strstr(m, "the container's cgroup also holds process 777 (/c1 of memory)"), "%s", m);
        ck_assert_msg(!strstr(m, " | "), "one finding: %s", m);
        verify_facts_done(&k.f);
}
END_TEST

START_TEST(test_a_probe_without_children_judges_the_processes_still)
{
        struct fake_cg k;
        fake_cg_init(&k);
        k.no_child_probe = true;
        k.child_memory = "svc"; /* cannot be seen without the probe */
        k.procs_cpu = "4242\n31\n";
        struct verify_probe probe = fake_probe(&k);
        ck_assert(verify_cgroup_is_shared(&k.f, &probe));
        _cleanup_free_ char *m = cgroup_findings(&k);
        ck_assert_msg(strstr(m, "also holds process 31 (/c1 of cpu,cpuacct)"), "%s", m);
        verify_facts_done(&k.f);
}
END_TEST

static Suite *verify_cgroups_suite(void)
{
        Suite *s = suite_create("verify-cgroups");
        TCase *tc = tcase_create("core");
        tcase_add_test(tc, test_a_fresh_cgroup_of_its_own_is_not_shared);
        tcase_add_test(tc, test_a_cgroup_below_in_any_hierarchy_is_refused_and_shared);
        tcase_add_test(tc, test_another_process_in_any_hierarchy_is_refused_and_shared);
        tcase_add_test(tc, test_a_probe_without_children_judges_the_processes_still);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(verify_cgroups_suite)
