/* SPDX-License-Identifier: GPL-2.0-or-later */
/* apparmor and selinux (policy/rules/lsm.c), through the LSM seam
 * (policy/lsm_host.c): the kernel's LSM state cannot be live here, so a
 * fake host answers for it while the calls into libapparmor and
 * libselinux stay real. */
#include <errno.h>
#include <regex.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "lsm_host.h"
#include "testutil.h"
#include "util.h"

#if HAVE_SELINUX
#include <selinux/selinux.h>
#endif

#if HAVE_APPARMOR || HAVE_SELINUX
static const char *str_at(const struct spec *s, const char *a, const char *b)
{
        const char *v = NULL;
        struct jv *x = jv_get(jv_get(s->root, a), b);
        return x && jv_cstr(x, &v) ? v : NULL;
}
#endif

/* ===================================================================== */
/* the LSM seam                                                          */
/* ===================================================================== */

static bool fake_aa_on, fake_se_on;
static int fake_loaded_err;

static bool fake_apparmor_enabled(void)
{
        return fake_aa_on;
}
static int fake_apparmor_profile_loaded(const char *name)
{
        if (fake_loaded_err)
                return fake_loaded_err;
        return strcmp(name, "runc-harden-default") == 0 || strcmp(name, "docker-default") == 0;
}
static bool fake_selinux_enabled(void)
{
        return fake_se_on;
}

static const struct lsm_host fake_host = {
        .apparmor_enabled = fake_apparmor_enabled,
        .apparmor_profile_loaded = fake_apparmor_profile_loaded,
        .selinux_enabled = fake_selinux_enabled,
};

#if HAVE_APPARMOR || HAVE_SELINUX
static void host_with(bool apparmor, bool selinux)
{
        fake_aa_on = apparmor;
        fake_se_on = selinux;
        fake_loaded_err = 0;
        lsm_host_set(&fake_host);
}

static void host_restore(void)
{
        lsm_host_set(NULL);
}
#endif

START_TEST(test_the_seam_defaults_to_the_real_host)
{
        ck_assert_ptr_eq(lsm_host(), &lsm_host_real);
        ck_assert_ptr_eq(lsm_host_set(&fake_host), &lsm_host_real);
        ck_assert_ptr_eq(lsm_host(), &fake_host);
        ck_assert_ptr_eq(lsm_host_set(NULL), &fake_host);
        ck_assert_ptr_eq(lsm_host(), &lsm_host_real);
        /* Whatever this host has, the real calls answer consistently. */
        if (!lsm_host_real.apparmor_enabled())
                ck_assert_int_le(lsm_host_real.apparmor_profile_loaded("runc-harden-default"), 0);
}
END_TEST

#if HAVE_APPARMOR
/* ===================================================================== */
/* apparmor                                                              */
/* ===================================================================== */

#define AA_SPEC(profile) "{\"process\":{\"args\":[\"sh\"]" profile "}}"

START_TEST(test_apparmor_unset_or_unconfined_is_fixed_to_the_default_profile)
{
        static const char *const specs[] = {AA_SPEC(""), AA_SPEC(",\"apparmorProfile\":\"unconfined\""),
                                            AA_SPEC(",\"apparmorProfile\":\"\"")};
        host_with(true, false);
        _cleanup_policy_ struct policy *p = only_rule("apparmor", NULL);
        for (size_t i = 0; i < 3; i++) {
                _cleanup_spec_ struct spec *s = parse_spec(specs[i]);
                _cleanup_eval_ struct eval ev = eval_spec(p, s, CHECK_CONFIG);
                expect(&ev, "apparmor", ACTION_FIX, "/process/apparmorProfile", "unconfined");
                fix_ok(p, s, CHECK_CONFIG);
                ck_assert_str_eq(str_at(s, "process", "apparmorProfile"), "runc-harden-default");
                eval_replace(&ev, eval_spec(p, s, CHECK_CONFIG));
                ck_assert_uint_eq(ev.n, 0);
        }
        host_restore();
}
END_TEST

START_TEST(test_apparmor_a_loaded_profile_is_kept)
{
        host_with(true, false);
        _cleanup_policy_ struct policy *p = only_rule("apparmor", NULL);
        _cleanup_eval_ struct eval ev = eval_json(p, AA_SPEC(",\"apparmorProfile\":\"docker-default\""));
        ck_assert_uint_eq(ev.n, 0);
        host_restore();
}
END_TEST

START_TEST(test_apparmor_a_profile_that_is_not_loaded_is_denied)
{
        host_with(true, false);
        _cleanup_policy_ struct policy *p = only_rule("apparmor", NULL);
        _cleanup_eval_ struct eval ev = eval_json(p, AA_SPEC(",\"apparmorProfile\":\"my-profile\""));
        expect(&ev, "apparmor", ACTION_DENY, "/process/apparmorProfile", "not loaded");
        /* lint runs away from the host that will run the container */
        _cleanup_spec_ struct spec *s = parse_spec(AA_SPEC(",\"apparmorProfile\":\"my-profile\""));
        s->offline = true;
        eval_replace(&ev, eval_spec(p, s, CHECK_CONFIG));
        expect(&ev, "apparmor", ACTION_WARN, "/process/apparmorProfile", "not loaded");
        /* the loaded profiles cannot be read: fail closed */
        fake_loaded_err = -EACCES;
        eval_replace(&ev, eval_json(p, AA_SPEC(",\"apparmorProfile\":\"docker-default\"")));
        expect(&ev, "apparmor", ACTION_DENY, "/process/apparmorProfile", "cannot tell");
        host_restore();
}
END_TEST

START_TEST(test_apparmor_the_policy_profile_must_be_loaded_to_fix)
{
        host_with(true, false);
        _cleanup_policy_ struct policy *p = only_rule("apparmor", "{\"version\":1,\"rules\":{\"apparmor\":{\"params\":"
                                                                  "{\"profile\":\"not-there\"}}}}");
        _cleanup_eval_ struct eval ev = eval_json(p, AA_SPEC(""));
        expect(&ev, "apparmor", ACTION_DENY, "/process/apparmorProfile", "apparmor_parser -r");
        host_restore();
}
END_TEST

START_TEST(test_apparmor_without_apparmor_on_the_host_warns)
{
        host_with(false, false);
        _cleanup_policy_ struct policy *p = only_rule("apparmor", NULL);
        _cleanup_eval_ struct eval ev = eval_json(p, AA_SPEC(""));
        expect(&ev, "apparmor", ACTION_WARN, "/process/apparmorProfile", "cannot enforce AppArmor");
        ck_assert_int_eq(eval_verdict(&ev), VERDICT_ALLOW);
        eval_replace(&ev, eval_json(p, AA_SPEC(",\"apparmorProfile\":\"docker-default\"")));
        expect(&ev, "apparmor", ACTION_WARN, "/process/apparmorProfile", "not enabled on this host");
        /* an SELinux host confines containers with labels instead */
        host_with(false, true);
        eval_replace(&ev, eval_json(p, AA_SPEC("")));
        ck_assert_uint_eq(ev.n, 0);
        host_restore();
}
END_TEST

START_TEST(test_apparmor_in_exec_processes)
{
        host_with(true, false);
        _cleanup_policy_ struct policy *p = only_rule("apparmor", NULL);
        /* no profile: the exec runs under the container's */
        _cleanup_spec_ struct spec *s = corpus_spec_kind("docker/exec-plain.process.json", SPEC_PROCESS);
        _cleanup_eval_ struct eval ev = eval_spec(p, s, CHECK_EXEC);
        ck_assert_uint_eq(ev.n, 0);
        spec_replace(&s, parse_spec_kind("{\"args\":[\"sh\"],\"cwd\":\"/\",\"apparmorProfile\":\"unconfined\"}",
                                         SPEC_PROCESS));
        eval_replace(&ev, eval_spec(p, s, CHECK_EXEC));
        expect(&ev, "apparmor", ACTION_FIX, "/apparmorProfile", NULL);
        fix_ok(p, s, CHECK_EXEC);
        ck_assert_str_eq(str_at(s, "process", "apparmorProfile"), "runc-harden-default");
        spec_replace(&s,
                     parse_spec_kind("{\"args\":[\"sh\"],\"cwd\":\"/\",\"apparmorProfile\":\"gone\"}", SPEC_PROCESS));
        eval_replace(&ev, eval_spec(p, s, CHECK_EXEC));
        expect(&ev, "apparmor", ACTION_DENY, "/apparmorProfile", "not loaded");
        host_restore();
}
END_TEST

START_TEST(test_apparmor_profile_of_the_wrong_type_is_spec_invalid)
{
        host_with(true, false);
        _cleanup_policy_ struct policy *p = only_rule("apparmor", NULL);
        _cleanup_eval_ struct eval ev = eval_json(p, AA_SPEC(",\"apparmorProfile\":7"));
        expect(&ev, "spec-invalid", ACTION_DENY, "/process/apparmorProfile", NULL);
        host_restore();
}
END_TEST

#endif

#if HAVE_SELINUX
/* ===================================================================== */
/* selinux                                                               */
/* ===================================================================== */

static char se_root[64];

/* A policy root whose container contexts file says what Fedora's does;
 * libselinux finds it through selinux_set_policy_root(). */
static void use_policy_root(bool with_contexts)
{
        char path[160];
        strcpy(se_root, "/tmp/rh-selinux-XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(se_root));
        snprintf(path, sizeof(path), "%s/targeted", se_root);
        ck_assert_int_eq(mkdir(path, 0755), 0);
        snprintf(path, sizeof(path), "%s/targeted/contexts", se_root);
        ck_assert_int_eq(mkdir(path, 0755), 0);
        if (with_contexts) {
                snprintf(path, sizeof(path), "%s/targeted/contexts/lxc_contexts", se_root);
                write_file(path,
                           "# container contexts\n"
                           "process = \"system_u:system_r:container_t:s0\"\n"
                           "content = \"system_u:object_r:virt_var_lib_t:s0\"\n"
                           "file = \"system_u:object_r:container_file_t:s0\"\n"
                           "ro_file=\"system_u:object_r:container_ro_file_t:s0\"\n",
                           0644);
        }
        snprintf(path, sizeof(path), "%s/targeted", se_root);
        ck_assert_int_eq(selinux_set_policy_root(path), 0);
}

static void policy_root_remove(void)
{
        remove_tree(se_root);
}

/* security_check_context() is the real one: on a host without selinuxfs
 * it cannot validate anything, and the rule fails closed. */
static bool host_has_selinuxfs(void)
{
        return access("/sys/fs/selinux/context", F_OK) == 0;
}

#define SE_SPEC(label) "{\"process\":{\"args\":[\"sh\"]" label "}}"

START_TEST(test_selinux_an_unlabelled_container_gets_a_container_label_with_fresh_categories)
{
        regex_t re;
        regmatch_t m[3];
        char first[64] = "";
        bool differs = false;

        if (host_has_selinuxfs())
                return;
        ck_assert_int_eq(regcomp(&re, "^system_u:system_r:container_t:s0:c([0-9]+),c([0-9]+)$", REG_EXTENDED), 0);
        host_with(false, true);
        use_policy_root(true);
        _cleanup_policy_ struct policy *p = only_rule("selinux", NULL);
        for (int i = 0; i < 4; i++) {
                _cleanup_spec_ struct spec *s = parse_spec(SE_SPEC(""));
                _cleanup_eval_ struct eval ev = eval_spec(p, s, CHECK_CONFIG);
                expect(&ev, "selinux", ACTION_FIX, "/process/selinuxLabel", "is not set");
                _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
                /* The labels are set; checking them again needs the
                 * kernel, which this host cannot ask: the fixed spec is
                 * denied (fail closed). */
                ck_assert_int_lt(engine_apply_fixes(p, s, CHECK_CONFIG, &ev, &err), 0);
                ck_assert_msg(strstr(rh_error_msg(&err), "selinuxfs"), "%s", rh_error_msg(&err));
                const char *label = str_at(s, "process", "selinuxLabel"), *mount = str_at(s, "linux", "mountLabel");
                ck_assert_ptr_nonnull(label);
                ck_assert_ptr_nonnull(mount);
                ck_assert_msg(regexec(&re, label, 3, m, 0) == 0, "label %s", label);
                int c1 = atoi(label + m[1].rm_so), c2 = atoi(label + m[2].rm_so);
                ck_assert(c1 < c2 && c2 < 1024);
                ck_assert_str_eq(strchr(label, ':') + strlen(":system_r:container_t"),
                                 strchr(mount, ':') + strlen(":object_r:container_file_t"));
                ck_assert(strncmp(mount, "system_u:object_r:container_file_t:s0:c", 39) == 0);
                if (!*first)
                        snprintf(first, sizeof(first), "%s", label);
                else if (strcmp(first, label) != 0)
                        differs = true;
        }
        ck_assert_msg(differs, "four containers got the same categories %s", first);
        regfree(&re);
        policy_root_remove();
        host_restore();
}
END_TEST

START_TEST(test_selinux_an_existing_mount_label_gives_its_categories)
{
        if (host_has_selinuxfs())
                return;
        host_with(false, true);
        use_policy_root(true);
        _cleanup_policy_ struct policy *p = only_rule("selinux", NULL);
        _cleanup_spec_ struct spec *s = parse_spec("{\"process\":{\"args\":[\"sh\"]},\"linux\":{\"mountLabel\":"
                                                   "\"system_u:object_r:container_file_t:s0:c7,c300\"}}");
        _cleanup_eval_ struct eval ev = eval_spec(p, s, CHECK_CONFIG);
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        (void)engine_apply_fixes(p, s, CHECK_CONFIG, &ev, &err);
        ck_assert_str_eq(str_at(s, "process", "selinuxLabel"), "system_u:system_r:container_t:s0:c7,c300");
        ck_assert_str_eq(str_at(s, "linux", "mountLabel"), "system_u:object_r:container_file_t:s0:c7,c300");
        policy_root_remove();
        host_restore();
}
END_TEST

START_TEST(test_selinux_without_a_contexts_file_cannot_fix_and_denies)
{
        host_with(false, true);
        use_policy_root(false);
        _cleanup_policy_ struct policy *p = only_rule("selinux", NULL);
        _cleanup_eval_ struct eval ev = eval_json(p, SE_SPEC(""));
        expect(&ev, "selinux", ACTION_DENY, "/process/selinuxLabel", "lxc_contexts");
        policy_root_remove();
        host_restore();
}
END_TEST

START_TEST(test_selinux_unconfined_types_are_denied)
{
        static const char *const labels[] = {
                SE_SPEC(",\"selinuxLabel\":\"system_u:system_r:spc_t:s0\""),
                SE_SPEC(",\"selinuxLabel\":\"unconfined_u:unconfined_r:unconfined_t:s0-s0:c0.c1023\""),
        };
        host_with(false, true);
        _cleanup_policy_ struct policy *p = only_rule("selinux", NULL);
        for (size_t i = 0; i < 2; i++) {
                _cleanup_eval_ struct eval ev = eval_json(p, labels[i]);
                expect(&ev, "selinux", ACTION_DENY, "/process/selinuxLabel", "does not confine");
        }
        /* the list is a parameter */
        policy_replace(&p,
                       only_rule("selinux", "{\"version\":1,\"rules\":{\"selinux\":{\"params\":{\"forbidden-types\":"
                                            "[\"container_t\"]}}}}"));
        _cleanup_eval_ struct eval ev =
                eval_json(p, SE_SPEC(",\"selinuxLabel\":\"system_u:system_r:container_t:s0:c1,c2\""));
        expect(&ev, "selinux", ACTION_DENY, "/process/selinuxLabel", "container_t");
        host_restore();
}
END_TEST

START_TEST(test_selinux_invalid_contexts_are_denied)
{
        host_with(false, true);
        _cleanup_policy_ struct policy *p = only_rule("selinux", NULL);
        _cleanup_eval_ struct eval ev = eval_json(p, SE_SPEC(",\"selinuxLabel\":\"container_t\""));
        expect(&ev, "selinux", ACTION_DENY, "/process/selinuxLabel", "not an SELinux context");
        eval_replace(&ev, eval_json(p, "{\"process\":{\"selinuxLabel\":\"system_u:system_r:container_t:s0:c1,c2\"},"
                                       "\"linux\":{\"mountLabel\":\"bogus\"}}"));
        expect(&ev, "selinux", ACTION_DENY, NULL, NULL);
        bool mount_reported = false;
        for (size_t i = 0; i < ev.n; i++)
                if (strcmp(ev.findings[i].pointer, "/linux/mountLabel") == 0)
                        mount_reported = true;
        ck_assert(mount_reported);
        host_restore();
}
END_TEST

START_TEST(test_selinux_a_label_the_kernel_cannot_check_is_denied_here)
{
        if (host_has_selinuxfs())
                return;
        host_with(false, true);
        _cleanup_policy_ struct policy *p = only_rule("selinux", NULL);
        _cleanup_spec_ struct spec *s =
                parse_spec(SE_SPEC(",\"selinuxLabel\":\"system_u:system_r:container_t:s0:c1,c2\""));
        _cleanup_eval_ struct eval ev = eval_spec(p, s, CHECK_CONFIG);
        expect(&ev, "selinux", ACTION_DENY, "/process/selinuxLabel", "selinuxfs");
        s->offline = true; /* lint: only a warning */
        eval_replace(&ev, eval_spec(p, s, CHECK_CONFIG));
        expect(&ev, "selinux", ACTION_WARN, "/process/selinuxLabel", "cannot be validated");
        host_restore();
}
END_TEST

START_TEST(test_selinux_without_selinux_on_the_host_warns)
{
        host_with(false, false);
        _cleanup_policy_ struct policy *p = only_rule("selinux", NULL);
        _cleanup_eval_ struct eval ev = eval_json(p, SE_SPEC(""));
        expect(&ev, "selinux", ACTION_WARN, "/process/selinuxLabel", "cannot enforce SELinux");
        eval_replace(&ev, eval_json(p, SE_SPEC(",\"selinuxLabel\":\"system_u:system_r:container_t:s0:c1,c2\"")));
        expect(&ev, "selinux", ACTION_WARN, "/process/selinuxLabel", "not enabled on this host");
        /* an AppArmor host confines containers with profiles instead */
        host_with(true, false);
        eval_replace(&ev, eval_json(p, SE_SPEC("")));
        ck_assert_uint_eq(ev.n, 0);
        host_restore();
}
END_TEST

START_TEST(test_selinux_in_exec_processes)
{
        host_with(false, true);
        _cleanup_policy_ struct policy *p = only_rule("selinux", NULL);
        _cleanup_spec_ struct spec *s = corpus_spec_kind("docker/exec-plain.process.json", SPEC_PROCESS);
        _cleanup_eval_ struct eval ev = eval_spec(p, s, CHECK_EXEC);
        ck_assert_uint_eq(ev.n, 0); /* inherits the container's label */
        spec_replace(
                &s, parse_spec_kind("{\"args\":[\"sh\"],\"cwd\":\"/\",\"selinuxLabel\":\"system_u:system_r:spc_t:s0\"}",
                                    SPEC_PROCESS));
        eval_replace(&ev, eval_spec(p, s, CHECK_EXEC));
        expect(&ev, "selinux", ACTION_DENY, "/selinuxLabel", "spc_t");
        host_restore();
}
END_TEST

#endif

#if !HAVE_APPARMOR
START_TEST(test_apparmor_a_build_without_libapparmor_warns)
{
        _cleanup_policy_ struct policy *p = only_rule("apparmor", NULL);
        _cleanup_eval_ struct eval ev = eval_json(p, "{\"process\":{\"args\":[\"sh\"]}}");
        expect(&ev, "apparmor", ACTION_WARN, "/process/apparmorProfile", "without AppArmor support");
}
END_TEST
#endif

#if !HAVE_SELINUX
START_TEST(test_selinux_a_build_without_libselinux_warns)
{
        _cleanup_policy_ struct policy *p = only_rule("selinux", NULL);
        _cleanup_eval_ struct eval ev = eval_json(p, "{\"process\":{\"args\":[\"sh\"]}}");
        expect(&ev, "selinux", ACTION_WARN, "/process/selinuxLabel", "without SELinux support");
}
END_TEST
#endif

static Suite *rules_lsm_suite(void)
{
        Suite *s = suite_create("rules-lsm");
        TCase *tc = tcase_create("lsm");
        tcase_add_test(tc, test_the_seam_defaults_to_the_real_host);
#if HAVE_APPARMOR
        tcase_add_test(tc, test_apparmor_unset_or_unconfined_is_fixed_to_the_default_profile);
        tcase_add_test(tc, test_apparmor_a_loaded_profile_is_kept);
        tcase_add_test(tc, test_apparmor_a_profile_that_is_not_loaded_is_denied);
        tcase_add_test(tc, test_apparmor_the_policy_profile_must_be_loaded_to_fix);
        tcase_add_test(tc, test_apparmor_without_apparmor_on_the_host_warns);
        tcase_add_test(tc, test_apparmor_in_exec_processes);
        tcase_add_test(tc, test_apparmor_profile_of_the_wrong_type_is_spec_invalid);
#else
        tcase_add_test(tc, test_apparmor_a_build_without_libapparmor_warns);
#endif
#if HAVE_SELINUX
        tcase_add_test(tc, test_selinux_an_unlabelled_container_gets_a_container_label_with_fresh_categories);
        tcase_add_test(tc, test_selinux_an_existing_mount_label_gives_its_categories);
        tcase_add_test(tc, test_selinux_without_a_contexts_file_cannot_fix_and_denies);
        tcase_add_test(tc, test_selinux_unconfined_types_are_denied);
        tcase_add_test(tc, test_selinux_invalid_contexts_are_denied);
        tcase_add_test(tc, test_selinux_a_label_the_kernel_cannot_check_is_denied_here);
        tcase_add_test(tc, test_selinux_without_selinux_on_the_host_warns);
        tcase_add_test(tc, test_selinux_in_exec_processes);
#else
        tcase_add_test(tc, test_selinux_a_build_without_libselinux_warns);
#endif
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(rules_lsm_suite)
