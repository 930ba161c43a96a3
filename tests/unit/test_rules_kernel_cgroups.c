/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mountinfo.h"
#include "testutil.h"
#include "util.h"

/* linux.cgroupsPath as every runtime reads it (policy/rules/kernel_cgroups.c):
 * runc 1.1.5 takes an empty or absent path as the container id below its
 * own cgroup, crun 1.8 takes a relative or absent one from the root of
 * each hierarchy and "" as the root. The cgroups made here are real, on
 * this host, and removed by each test. */

/* kernel-mounts' findings for a spec with this linux object, the container
 * id given (NULL: unknown, as in lint), offline or on this host. */
static struct eval cg_eval(const char *linux_json, const char *id, bool offline)
{
        _cleanup_policy_ struct policy *p = only_rule("kernel-mounts", NULL);
        _cleanup_free_ char *json = NULL;
        ck_assert(asprintf(&json, "{\"linux\":%s}", linux_json) > 0);
        _cleanup_spec_ struct spec *s = parse_spec(json);
        s->id = id;
        s->offline = offline;
        return eval_spec(p, s, CHECK_CONFIG);
}

/* The first cgroup v1 hierarchy mounted on this host, or NULL. */
static char *a_v1_hierarchy(void)
{
        _cleanup_mount_table_ struct mount_table t = {0};
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        ck_assert_msg(mount_table_read("/proc/self/mountinfo", &t, &err) == 0, "%s", rh_error_msg(&err));
        for (size_t i = 0; i < t.n; i++)
                if (STREQ(t.v[i].fstype, "cgroup") && STREQ(t.v[i].root, "/"))
                        return strdup(t.v[i].point);
        return NULL;
}

/* This process's cgroup in the hierarchy mounted at h ("/..."). */
static char *own_cgroup_in(const char *h)
{
        _cleanup_fclose_ FILE *f = fopen("/proc/self/cgroup", "re");
        _cleanup_free_ char *line = NULL;
        const char *base = strrchr(h, '/') + 1;
        size_t cap = 0;
        ssize_t n;

        while (f && (n = getline(&line, &cap, f)) > 0) {
                line[strcspn(line, "\n")] = '\0';
                char *ctl = strchr(line, ':'), *path = ctl ? strchr(ctl + 1, ':') : NULL;
                if (!path)
                        continue;
                *path = '\0';
                /* "name=systemd" is mounted at .../systemd */
                const char *name = strncmp(ctl + 1, "name=", 5) == 0 ? ctl + 6 : ctl + 1;
                if (STREQ(name, base))
                        return strdup(path + 1);
        }
        return NULL;
}

static void write_pid(const char *dir, pid_t pid)
{
        _cleanup_free_ char *procs = NULL;
        char buf[32];
        ck_assert(asprintf(&procs, "%s/cgroup.procs", dir) > 0);
        _cleanup_close_ int fd = open(procs, O_WRONLY | O_CLOEXEC);
        ck_assert_msg(fd >= 0, "%s: %m", procs);
        int n = snprintf(buf, sizeof(buf), "%d", (int)pid);
        ck_assert_int_eq(write(fd, buf, (size_t)n), n);
}

/* A parent cgroup with an (empty) child below it, as a host service's
 * parent: h/NAME-PID/svc. */
struct parent_cgroup {
        char *dir, *child;
};

static void parent_make(const char *h, const char *name, struct parent_cgroup *ret)
{
        ck_assert(asprintf(&ret->dir, "%s/%s-%d", h, name, (int)getpid()) > 0);
        ck_assert(asprintf(&ret->child, "%s/svc", ret->dir) > 0);
        ck_assert_int_eq(mkdir(ret->dir, 0755), 0);
        ck_assert_int_eq(mkdir(ret->child, 0755), 0);
}

static void parent_done(struct parent_cgroup *p)
{
        if (p->child)
                rmdir(p->child);
        if (p->dir)
                rmdir(p->dir);
        free(p->child);
        free(p->dir);
}

START_TEST(test_an_empty_cgroups_path_is_the_root_for_crun)
{
        _cleanup_eval_ struct eval ev = cg_eval("{\"cgroupsPath\":\"\"}", "fresh-id", true);
        expect(&ev, "kernel-mounts", ACTION_DENY, "/linux/cgroupsPath",
               "which crun reads as the root cgroup of every hierarchy");
}
END_TEST

START_TEST(test_a_dotdot_crun_would_resolve_uncleaned_is_denied)
{
        static const char *const dotdot[] = {"a/../b", "/docker/x/../../../y", "x/../z", "/a/../b/c"};
        for (size_t i = 0; i < ARRAY_SIZE(dotdot); i++) {
                _cleanup_free_ char *l = NULL;
                ck_assert(asprintf(&l, "{\"cgroupsPath\":\"%s\"}", dotdot[i]) > 0);
                _cleanup_eval_ struct eval ev = cg_eval(l, NULL, true);
                expect(&ev, "kernel-mounts", ACTION_DENY, "/linux/cgroupsPath", "crun does not clean the path");
        }
        /* ".." only as a whole component */
        _cleanup_eval_ struct eval dots = cg_eval("{\"cgroupsPath\":\"/docker/a..b/..c\"}", NULL, true);
        expect_none(&dots, "kernel-mounts");
}
END_TEST

START_TEST(test_an_absent_cgroups_path_naming_a_parent_cgroup_is_denied)
{
        _cleanup_free_ char *h = a_v1_hierarchy(), *own = NULL, *in_own = NULL, *id = NULL;
        _cleanup_(parent_done) struct parent_cgroup p = {0};

        if (!h || access(h, W_OK) < 0)
                return;
        ck_assert_ptr_nonnull(own = own_cgroup_in(h));
        ck_assert(asprintf(&in_own, "%s%s", h, STREQ(own, "/") ? "" : own) > 0);
        /* runc's reading: the id below runc-harden's own cgroup */
        parent_make(in_own, "rh-unit-absent", &p);
        id = strdup(strrchr(p.dir, '/') + 1);
        _cleanup_eval_ struct eval ev = cg_eval("{}", id, false);
        const struct finding *f =
                expect(&ev, "kernel-mounts", ACTION_DENY, "/linux/cgroupsPath", "the parent of other cgroups");
        ck_assert_msg(strstr(f->message, "absent (the runtime takes the container id"), "%s", f->message);
        /* the same id as "" for runc, and a fresh one passes */
        _cleanup_eval_ struct eval fresh = cg_eval("{}", "rh-unit-fresh-id-that-no-cgroup-has", false);
        expect_none(&fresh, "kernel-mounts");
        /* lint knows no id: nothing to judge */
        _cleanup_eval_ struct eval lint = cg_eval("{}", NULL, true);
        expect_none(&lint, "kernel-mounts");
}
END_TEST

START_TEST(test_a_relative_path_crun_reads_from_the_root_is_judged_there)
{
        _cleanup_free_ char *h = a_v1_hierarchy(), *own = NULL, *mine = NULL, *back = NULL, *l = NULL;
        _cleanup_(parent_done) struct parent_cgroup p = {0};

        if (!h || access(h, W_OK) < 0)
                return;
        /* runc-harden in a cgroup of its own, as under an engine's shim:
         * runc's and crun's readings of a relative path part */
        ck_assert_ptr_nonnull(own = own_cgroup_in(h));
        ck_assert(asprintf(&back, "%s%s", h, STREQ(own, "/") ? "" : own) > 0);
        ck_assert(asprintf(&mine, "%s/rh-unit-own-%d", h, (int)getpid()) > 0);
        ck_assert_int_eq(mkdir(mine, 0755), 0);
        write_pid(mine, getpid());
        parent_make(h, "rh-unit-crun", &p);
        ck_assert(asprintf(&l, "{\"cgroupsPath\":\"%s\"}", strrchr(p.dir, '/') + 1) > 0);
        struct eval ev = cg_eval(l, "x", false);
        write_pid(back, getpid());
        rmdir(mine);
        const struct finding *f = find(&ev, "kernel-mounts");
        ck_assert_msg(f && strstr(f->message, "which crun reads as") && strstr(f->message, p.dir),
                      "crun's reading not judged: %s", f ? f->message : "no finding");
        eval_done(&ev);
}
END_TEST

static Suite *kernel_cgroups_suite(void)
{
        Suite *s = suite_create("kernel-cgroups");
        TCase *tc = tcase_create("core");
        tcase_add_test(tc, test_an_empty_cgroups_path_is_the_root_for_crun);
        tcase_add_test(tc, test_a_dotdot_crun_would_resolve_uncleaned_is_denied);
        tcase_add_test(tc, test_an_absent_cgroups_path_naming_a_parent_cgroup_is_denied);
        tcase_add_test(tc, test_a_relative_path_crun_reads_from_the_root_is_judged_there);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(kernel_cgroups_suite)
