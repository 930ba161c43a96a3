/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <unistd.h>

#include "testutil.h"

/* exec --cgroup, judged by kernel-mounts (policy/rules/kernel_cgroups.c):
 * any ".." is refused, in the controller form and the plain one, in every
 * occurrence, and so is a controller list (crun reads none); on the host,
 * the rest must name an existing cgroup below the container's. */

#define PROCESS "{\"args\":[\"true\"],\"cwd\":\"/\",\"user\":{\"uid\":0,\"gid\":0}}"

/* The findings of an exec process with these --cgroup values, judged by
 * name only (lint). */
static struct eval eval_cgroups(const char *const *v, size_t n)
{
        _cleanup_policy_ struct policy *p = only_rule("kernel-mounts", NULL);
        _cleanup_spec_ struct spec *s = parse_spec_kind(PROCESS, SPEC_PROCESS);

        s->exec_cgroups = v;
        s->n_exec_cgroups = n;
        s->offline = true;
        return eval_spec(p, s, CHECK_EXEC);
}

/* The same on the host, for a container whose init process is pid,
 * handed to runtime. */
static struct eval eval_cgroup_by(const char *v, pid_t pid, const char *runtime)
{
        _cleanup_policy_ struct policy *p = only_rule("kernel-mounts", NULL);
        _cleanup_spec_ struct spec *s = parse_spec_kind(PROCESS, SPEC_PROCESS);
        _cleanup_spec_ struct spec *c = parse_spec_kind("{}", SPEC_CONFIG);

        c->pid = pid;
        s->container = c;
        s->exec_cgroups = &v;
        s->n_exec_cgroups = 1;
        s->runtime = runtime;
        struct eval ev = eval_spec(p, s, CHECK_EXEC);
        s->container = NULL;
        return ev;
}

static struct eval eval_cgroup_of(const char *v, pid_t pid)
{
        return eval_cgroup_by(v, pid, "/usr/sbin/runc");
}

static void expect_refused(const char *v)
{
        _cleanup_eval_ struct eval ev = eval_cgroups(&v, 1);
        expect(&ev, "kernel-mounts", ACTION_DENY, "--cgroup", "has a \"..\" component");
        ck_assert_msg(strstr(must_find(&ev, "kernel-mounts")->message, v), "the message names %s", v);
}

static void expect_passed(const char *v)
{
        _cleanup_eval_ struct eval ev = eval_cgroups(&v, 1);
        expect_none(&ev, "kernel-mounts");
        expect_none(&ev, "spec-invalid");
}

START_TEST(test_exec_cgroup_with_dotdot_is_denied)
{
        /* atk-5 F1: a sibling whose name starts with the container's leaf
         * passes runc's bare prefix test */
        expect_refused("memory,pids,devices:../atk-5-hostsvc");
        expect_refused("../atk-5-hostsvc");
        /* crun joins the whole value: "../.." is the root cgroup */
        expect_refused("../..");
        expect_refused("..");
        expect_refused("pids:..");
        expect_refused("pids:sub/../../x");
        expect_refused("pids:/..");
        /* runc refuses the controller "../..", crun reads a path that climbs */
        expect_refused("../..:x");
        /* a ".." that stays inside is refused all the same */
        expect_refused("sub/../sub");
}
END_TEST

START_TEST(test_exec_cgroup_below_the_container_passes)
{
        expect_passed("sub");
        expect_passed("/sub");
        expect_passed("...");
        expect_passed("..sub");
        expect_passed("sub..");
        expect_passed("./sub");
        expect_passed("a/b");
        expect_passed("");
}
END_TEST

/* atk-6 F1b: crun takes "pids:sub" as one directory name, which does not
 * exist, and leaves the process in its own cgroup */
START_TEST(test_exec_cgroup_with_controllers_is_denied)
{
        static const char *const v[] = {"pids:sub", "memory,pids:a/b", "pids:./sub", ":", "a,b", "name=systemd:x"};
        for (size_t i = 0; i < ARRAY_SIZE(v); i++) {
                _cleanup_eval_ struct eval ev = eval_cgroups(&v[i], 1);
                expect(&ev, "kernel-mounts", ACTION_DENY, "--cgroup", "names controllers");
        }
}
END_TEST

/* atk-6 F1b: a sub-cgroup that does not exist is crun's own cgroup */
START_TEST(test_exec_cgroup_must_exist_below_the_container)
{
        _cleanup_eval_ struct eval ev = eval_cgroup_of("", getpid());
        expect_none(&ev, "kernel-mounts");
        eval_replace(&ev, eval_cgroup_of(".", getpid()));
        expect_none(&ev, "kernel-mounts");
        eval_replace(&ev, eval_cgroup_of("rh-unit-no-such-cgroup", getpid()));
        expect(&ev, "kernel-mounts", ACTION_DENY, "--cgroup", "does not exist");
        /* no running init process: nothing to look below */
        eval_replace(&ev, eval_cgroup_of("sub", 0));
        expect(&ev, "kernel-mounts", ACTION_DENY, "--cgroup", "cannot be judged");
}
END_TEST

/* atk-8: crun skips a hierarchy whose sub-cgroup is missing when it joins,
 * late: a sub-cgroup goes to runc only; the container's own is anyone's */
START_TEST(test_exec_cgroup_below_the_container_is_for_runc_only)
{
        _cleanup_eval_ struct eval ev = eval_cgroup_by("sub", getpid(), "/usr/bin/crun");
        expect(&ev, "kernel-mounts", ACTION_DENY, "--cgroup", "not runc");
        eval_replace(&ev, eval_cgroup_by("/", getpid(), "/usr/bin/crun"));
        expect_none(&ev, "kernel-mounts");
        eval_replace(&ev, eval_cgroup_by(".", getpid(), "/tmp/runc-wrapper"));
        expect_none(&ev, "kernel-mounts");
        eval_replace(&ev, eval_cgroup_by("rh-unit-no-such-cgroup", getpid(), "/usr/libexec/runc-harden/runc"));
        expect(&ev, "kernel-mounts", ACTION_DENY, "--cgroup", "does not exist");
}
END_TEST

/* the process judged alone, before its container is attached (exec
 * --process): nothing is said yet, the full judgement follows */
START_TEST(test_exec_cgroup_is_judged_with_its_container)
{
        _cleanup_policy_ struct policy *p = only_rule("kernel-mounts", NULL);
        _cleanup_spec_ struct spec *s = parse_spec_kind(PROCESS, SPEC_PROCESS);
        static const char *const v[] = {"sub"};

        s->exec_cgroups = v;
        s->n_exec_cgroups = 1;
        s->runtime = "/usr/sbin/runc";
        _cleanup_eval_ struct eval ev = eval_spec(p, s, CHECK_EXEC);
        expect_none(&ev, "kernel-mounts");
}
END_TEST

START_TEST(test_every_exec_cgroup_is_judged)
{
        static const char *const v[] = {"sub", "memory:../other", "a/b"};
        _cleanup_eval_ struct eval ev = eval_cgroups(v, 3);

        ck_assert_uint_eq(count_rule(&ev, "kernel-mounts"), 1);
        expect(&ev, "kernel-mounts", ACTION_DENY, "--cgroup", "memory:../other");
        /* no --cgroup: nothing to say */
        _cleanup_eval_ struct eval none = eval_cgroups(NULL, 0);
        expect_none(&none, "kernel-mounts");
}
END_TEST

START_TEST(test_exec_cgroup_follows_the_rules_action)
{
        _cleanup_policy_ struct policy *p = only_rule("kernel-mounts", NULL);
        _cleanup_spec_ struct spec *s = parse_spec_kind(PROCESS, SPEC_PROCESS);
        static const char *const v[] = {"../x"};

        s->exec_cgroups = v;
        s->n_exec_cgroups = 1;
        set_action(p, "kernel-mounts", ACTION_WARN);
        _cleanup_eval_ struct eval ev = eval_spec(p, s, CHECK_EXEC);
        expect(&ev, "kernel-mounts", ACTION_WARN, "--cgroup", "../x");
}
END_TEST

static Suite *exec_cgroup_suite(void)
{
        Suite *s = suite_create("exec-cgroup");
        TCase *tc = tcase_create("exec-cgroup");

        tcase_add_test(tc, test_exec_cgroup_with_dotdot_is_denied);
        tcase_add_test(tc, test_exec_cgroup_below_the_container_passes);
        tcase_add_test(tc, test_exec_cgroup_with_controllers_is_denied);
        tcase_add_test(tc, test_exec_cgroup_must_exist_below_the_container);
        tcase_add_test(tc, test_exec_cgroup_below_the_container_is_for_runc_only);
        tcase_add_test(tc, test_exec_cgroup_is_judged_with_its_container);
        tcase_add_test(tc, test_every_exec_cgroup_is_judged);
        tcase_add_test(tc, test_exec_cgroup_follows_the_rules_action);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(exec_cgroup_suite)
