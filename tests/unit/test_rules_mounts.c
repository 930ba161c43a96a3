/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"
#include "util.h"

/* readonly-rootfs and masked-paths (policy/rules/mounts.c, writable.c).
 * readonly-rootfs: the fix makes the
 * root read-only and keeps the volatile directories the image has writable
 * with a tmpfs holding a copy of them. These tests build small images in a
 * temporary directory and read the mounts the fix writes; that runc
 * accepts them is shown by tests/integration/test-fixes-run.sh. */

static void dir(const char *rel, mode_t mode, uid_t uid, gid_t gid)
{
        _cleanup_free_ char *p = NULL;
        ck_assert(asprintf(&p, "%s/%s", tmpdir, rel) > 0);
        ck_assert_msg(mkdir(p, mode) == 0, "mkdir %s: %m", p);
        ck_assert_int_eq(chmod(p, mode), 0); /* past the umask */
        ck_assert_int_eq(chown(p, uid, gid), 0);
}

static void file(const char *rel, const char *content, mode_t mode, uid_t uid, gid_t gid)
{
        _cleanup_free_ char *p = NULL;
        ck_assert(asprintf(&p, "%s/%s", tmpdir, rel) > 0);
        _cleanup_fclose_ FILE *f = fopen(p, "w");
        ck_assert_ptr_nonnull(f);
        fputs(content, f);
        ck_assert_int_eq(chmod(p, mode), 0);
        ck_assert_int_eq(chown(p, uid, gid), 0);
}

static void link_to(const char *rel, const char *target)
{
        _cleanup_free_ char *p = NULL;
        ck_assert(asprintf(&p, "%s/%s", tmpdir, rel) > 0);
        ck_assert_int_eq(symlink(target, p), 0);
}

/* A Debian-like image: /run with a postgres directory, /var/run and
 * /var/lock links into it, /tmp, /var/tmp. */
static void debian_like(void)
{
        dir("run", 0755, 0, 0);
        dir("run/lock", 01777, 0, 0);
        dir("run/postgresql", 02775, 101, 102);
        file("run/postgresql/.keep", "", 0644, 101, 102);
        dir("tmp", 01777, 0, 0);
        dir("var", 0755, 0, 0);
        dir("var/tmp", 01777, 0, 0);
        link_to("var/run", "/run");
        link_to("var/lock", "/run/lock");
}

/* A config with this image as its root, writable, and the given extra
 * members (mounts, linux). */
static struct spec *config(const char *extra)
{
        _cleanup_free_ char *json = NULL;
        ck_assert(asprintf(&json, "{\"root\":{\"path\":\"%s\",\"readonly\":false},\"process\":{\"args\":[\"sh\"]}%s%s}",
                           tmpdir, *extra ? "," : "", extra) > 0);
        return parse_spec(json);
}

static struct policy *readonly_policy(const char *params)
{
        _cleanup_free_ char *json = NULL;
        ck_assert(asprintf(&json, "{\"version\":1,\"rules\":{\"readonly-rootfs\":{\"params\":{%s}}}}", params) > 0);
        struct policy *p = policy_from(json);
        for (size_t i = 0; i < rules_count(); i++)
                if (strcmp(rules_get(i)->id, "readonly-rootfs") != 0 && strcmp(rules_get(i)->id, "spec-invalid") != 0)
                        p->conf[i].action = ACTION_OFF;
        return p;
}

/* Evaluates with readonly-rootfs only; when fixable, applies the fix and
 * returns the mounts as compact JSON (the finding's message in msg). */
static char *fixed_mounts(struct spec *s, const char *params, char **ret_msg)
{
        _cleanup_policy_ struct policy *p = readonly_policy(params);
        _cleanup_eval_ struct eval ev = {0};
        rh_error_t err = RH_ERROR_INIT;
        char *out = NULL;

        evaluate(p, s, CHECK_CONFIG, &ev);
        const struct finding *f = find(&ev, "readonly-rootfs");
        ck_assert_ptr_nonnull(f);
        if (ret_msg)
                *ret_msg = strdup(f->message);
        if (f->action != ACTION_FIX)
                return NULL;
        ck_assert_msg(engine_apply_fixes(p, s, CHECK_CONFIG, &ev, &err) == 0, "%s", rh_error_msg(&err));
        ck_assert(jv_get(jv_get(s->root, "root"), "readonly")->u.b);
        ck_assert_int_eq(jv_serialize(jv_get(s->root, "mounts") ?: jv_new(s->doc, JV_ARRAY), false, &out, NULL, &err),
                         0);
        return out;
}

START_TEST(test_the_volatile_directories_the_image_has_get_a_tmpfs_with_their_content)
{
        debian_like();
        _cleanup_spec_ struct spec *s = config("");
        _cleanup_free_ char *msg = NULL, *m = fixed_mounts(s, "", &msg);
        /* /run once (not again through /var/run), its copy with it, /run/lock
         * copied with /run; /tmp and /var/tmp empty: nothing to copy */
        ck_assert_str_eq(
                m, "[{\"destination\":\"/run\",\"type\":\"tmpfs\",\"source\":\"tmpfs\",\"options\":"
                   "[\"rw\",\"nosuid\",\"nodev\",\"noexec\",\"mode=755\",\"uid=0\",\"gid=0\",\"size=65544k\","
                   "\"tmpcopyup\"]},"
                   "{\"destination\":\"/tmp\",\"type\":\"tmpfs\",\"source\":\"tmpfs\",\"options\":"
                   "[\"rw\",\"nosuid\",\"nodev\",\"noexec\",\"mode=1777\",\"uid=0\",\"gid=0\",\"size=65536k\"]},"
                   "{\"destination\":\"/var/tmp\",\"type\":\"tmpfs\",\"source\":\"tmpfs\",\"options\":"
                   "[\"rw\",\"nosuid\",\"nodev\",\"noexec\",\"mode=1777\",\"uid=0\",\"gid=0\",\"size=65536k\"]}]");
        expect_in(msg, "with /run, /tmp, /var/tmp kept writable");
        expect_in(msg, "readonly-rootfs.writable");
}
END_TEST

START_TEST(test_a_minimal_image_gets_no_mountpoint_runc_would_have_to_create)
{
        dir("bin", 0755, 0, 0);
        _cleanup_spec_ struct spec *s = config("");
        _cleanup_free_ char *msg = NULL, *m = fixed_mounts(s, "", &msg);
        ck_assert_str_eq(m, "[]");
        expect_in(msg, "with nothing kept writable");
}
END_TEST

START_TEST(test_the_mode_and_owner_are_the_images)
{
        dir("var", 0755, 0, 0);
        dir("var/lib", 0755, 0, 0);
        dir("var/lib/nginx", 0750, 33, 34);
        _cleanup_spec_ struct spec *s = config("");
        _cleanup_free_ char *m = fixed_mounts(s, "", NULL);
        expect_in(m, "{\"destination\":\"/var/lib/nginx\",\"type\":\"tmpfs\",\"source\":\"tmpfs\",\"options\":"
                     "[\"rw\",\"nosuid\",\"nodev\",\"noexec\",\"mode=750\",\"uid=33\",\"gid=34\",\"size=65536k\"]}");
}
END_TEST

START_TEST(test_what_is_mounted_already_or_lies_on_a_volume_is_left_alone)
{
        debian_like();
        /* podman's tmpfs at /run; a volume at /var (so /var/tmp is on it) */
        _cleanup_spec_ struct spec *s =
                config("\"mounts\":[{\"destination\":\"/var/run/\",\"type\":\"tmpfs\",\"source\":\"tmpfs\"},"
                       "{\"destination\":\"/var\",\"type\":\"bind\",\"source\":\"/srv/v\",\"options\":[\"rbind\"]}]");
        _cleanup_free_ char *m = fixed_mounts(s, "", NULL);
        expect_in(m, "\"destination\":\"/tmp\"");
        expect_not_in(m, "\"destination\":\"/run\"");
        expect_not_in(m, "\"destination\":\"/var/tmp\"");
}
END_TEST

START_TEST(test_the_tmpfs_goes_before_the_mounts_below_it)
{
        debian_like();
        /* a secret bound below /var/run: it must land on the new /run */
        _cleanup_spec_ struct spec *s =
                config("\"mounts\":[{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\"},"
                       "{\"destination\":\"/var/run/secrets/x\",\"type\":\"bind\",\"source\":\"/srv/"
                       "x\",\"options\":[\"rbind\"]},"
                       "{\"destination\":\"/dev/shm\",\"type\":\"tmpfs\",\"source\":\"shm\"}]");
        _cleanup_free_ char *m = fixed_mounts(s, "", NULL);
        const struct jv *mounts = jv_get(s->root, "mounts");
        ck_assert_uint_eq(mounts->u.arr.n, 6);
        ck_assert_str_eq(jv_get(mounts->u.arr.v[0], "destination")->u.str.s, "/proc");
        ck_assert_str_eq(jv_get(mounts->u.arr.v[1], "destination")->u.str.s, "/run");
        ck_assert_str_eq(jv_get(mounts->u.arr.v[2], "destination")->u.str.s, "/var/run/secrets/x");
        ck_assert_str_eq(jv_get(mounts->u.arr.v[3], "destination")->u.str.s, "/dev/shm");
}
END_TEST

START_TEST(test_a_symlink_out_of_the_lists_or_the_root_makes_nothing_writable)
{
        dir("usr", 0755, 0, 0);
        dir("usr/bin", 0755, 0, 0);
        dir("etc", 0755, 0, 0);
        link_to("run", "/usr/bin");
        /* resolved inside the image, never the host's /etc */
        link_to("tmp", "../../../../../../etc");
        _cleanup_spec_ struct spec *s = config("");
        _cleanup_free_ char *m = fixed_mounts(s, "", NULL);
        ck_assert_str_eq(m, "[]");
}
END_TEST

START_TEST(test_writable_adds_directories_and_is_a_parameter)
{
        debian_like();
        dir("var/cache", 0755, 0, 0);
        dir("var/cache/app", 0700, 1000, 1000);
        file("var/cache/app/big", "0123456789", 0600, 1000, 1000);
        _cleanup_spec_ struct spec *s = config("");
        _cleanup_free_ char *m = fixed_mounts(s,
                                              "\"writable\":[\"/var/cache/app\"],\"tmpfs\":[\"/tmp\"],"
                                              "\"tmpfs-size\":1048576,\"tmpfs-options\":[\"rw\"]",
                                              NULL);
        ck_assert_str_eq(m, "[{\"destination\":\"/tmp\",\"type\":\"tmpfs\",\"source\":\"tmpfs\",\"options\":"
                            "[\"rw\",\"mode=1777\",\"uid=0\",\"gid=0\",\"size=1024k\"]},"
                            "{\"destination\":\"/var/cache/app\",\"type\":\"tmpfs\",\"source\":\"tmpfs\",\"options\":"
                            "[\"rw\",\"mode=700\",\"uid=1000\",\"gid=1000\",\"size=1028k\",\"tmpcopyup\"]}]");
}
END_TEST

START_TEST(test_a_user_namespace_gets_the_owner_it_maps)
{
        debian_like();
        _cleanup_spec_ struct spec *s =
                config("\"linux\":{\"namespaces\":[{\"type\":\"user\"},{\"type\":\"mount\"}],"
                       "\"uidMappings\":[{\"containerID\":0,\"hostID\":0,\"size\":1},"
                       "{\"containerID\":1,\"hostID\":100001,\"size\":65535}],"
                       "\"gidMappings\":[{\"containerID\":0,\"hostID\":100000,\"size\":65536}]}");
        _cleanup_free_ char *m = fixed_mounts(s, "", NULL);
        /* uid 0 is mapped (to itself), gid 0 is not: no gid= option; the
         * copies' owners 101:102 are not mapped, but the overflow id is */
        expect_in(m, "\"mode=755\",\"uid=0\",\"size=");
        expect_not_in(m, "gid=");
}
END_TEST

START_TEST(test_a_user_namespace_that_cannot_own_the_copies_is_denied)
{
        debian_like();
        _cleanup_spec_ struct spec *s =
                config("\"linux\":{\"namespaces\":[{\"type\":\"user\"},{\"type\":\"mount\"}],"
                       "\"uidMappings\":[{\"containerID\":0,\"hostID\":100000,\"size\":1000}],"
                       "\"gidMappings\":[{\"containerID\":0,\"hostID\":100000,\"size\":1000}]}");
        _cleanup_free_ char *msg = NULL, *m = fixed_mounts(s, "", &msg);
        ck_assert_ptr_null(m);
        expect_in(msg, "/run/");
        expect_in(msg, "which the user namespace does not map (nor the overflow id 65534)");
}
END_TEST

START_TEST(test_a_fifo_cannot_be_copied_and_is_denied)
{
        debian_like();
        _cleanup_free_ char *p = NULL;
        ck_assert(asprintf(&p, "%s/run/fifo", tmpdir) > 0);
        ck_assert_int_eq(mkfifo(p, 0600), 0);
        _cleanup_spec_ struct spec *s = config("");
        _cleanup_free_ char *msg = NULL, *m = fixed_mounts(s, "", &msg);
        ck_assert_ptr_null(m);
        expect_in(msg, "/run/fifo is a FIFO or socket");
        expect_in(msg, "exempt the container");
}
END_TEST

START_TEST(test_without_the_image_only_the_root_is_made_read_only)
{
        _cleanup_spec_ struct spec *s = parse_spec("{\"root\":{\"path\":\"/nonexistent/rootfs\"},"
                                                   "\"process\":{\"args\":[\"sh\"]}}");
        _cleanup_free_ char *msg = NULL, *m = fixed_mounts(s, "", &msg);
        ck_assert_str_eq(m, "[]");
        expect_in(msg, "the image is not here");
}
END_TEST

START_TEST(test_a_read_only_root_is_left_alone)
{
        debian_like();
        _cleanup_spec_ struct spec *s = parse_spec("{\"root\":{\"path\":\"/nonexistent\",\"readonly\":true}}");
        _cleanup_policy_ struct policy *p = readonly_policy("");
        _cleanup_eval_ struct eval ev = eval_spec(p, s, CHECK_CONFIG);
        ck_assert_uint_eq(ev.n, 0);
}
END_TEST

START_TEST(test_the_parameters_refuse_what_the_fix_sets_itself)
{
        static const char *const bad[] = {
                "\"tmpfs-options\":[\"size=1g\"]",   "\"tmpfs-options\":[\"mode=1777\"]",
                "\"tmpfs-options\":[\"tmpcopyup\"]", "\"tmpfs\":[\"/\"]",
                "\"writable\":[\"var/lib\"]",        "\"writable\":[\"/usr/..\"]",
        };
        for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
                _cleanup_free_ char *json = NULL;
                _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
                struct policy *p = NULL;
                ck_assert(asprintf(&json, "{\"version\":1,\"rules\":{\"readonly-rootfs\":{\"params\":{%s}}}}", bad[i]) >
                          0);
                ck_assert_msg(policy_parse(json, strlen(json), "test", &p, &err) < 0, "%s was accepted", bad[i]);
        }
}
END_TEST

/* --- readonly-rootfs: the fix and the corpus ------------------------------ */

START_TEST(test_readonly_fix_adds_tmpfs_only_where_nothing_is_mounted)
{
        /* an image with /tmp and /run (the fix mounts only what the image
         * has: test_rules_mounts.c) */
        char image[] = "/tmp/rh-unit-ro.XXXXXX", json[512], cmd[128];
        ck_assert_ptr_nonnull(mkdtemp(image));
        snprintf(cmd, sizeof(cmd), "mkdir -m 1777 '%s/tmp' && mkdir '%s/run'", image, image);
        ck_assert_int_eq(system(cmd), 0);
        _cleanup_policy_ struct policy *p = policy_from("{\"version\":1,\"rules\":{\"readonly-rootfs\":{\"params\":"
                                                        "{\"tmpfs\":[\"/tmp\",\"/run\"]}}}}");
        snprintf(json, sizeof(json),
                 "{\"root\":{\"path\":\"%s\",\"readonly\":false},"
                 "\"mounts\":[{\"destination\":\"/tmp/\",\"type\":\"tmpfs\",\"source\":\"t\"}]}",
                 image);
        _cleanup_spec_ struct spec *s = parse_spec(json);
        _cleanup_eval_ struct eval ev = {0};
        rh_error_t err = RH_ERROR_INIT;
        evaluate(p, s, CHECK_CONFIG, &ev);
        ck_assert_int_eq(find(&ev, "readonly-rootfs")->action, ACTION_FIX);
        ck_assert_int_eq(engine_apply_fixes(p, s, CHECK_CONFIG, &ev, &err), 0);
        struct jv *mounts = jv_get(s->root, "mounts");
        ck_assert_uint_eq(mounts->u.arr.n, 2);
        ck_assert_str_eq(jv_get(mounts->u.arr.v[1], "destination")->u.str.s, "/run");
        ck_assert(jv_get(jv_get(s->root, "root"), "readonly")->u.b);
        remove_tree(image);
}
END_TEST

START_TEST(test_readonly_fix_sets_readonly_and_normalises_tmpfs_paths)
{
        /* an image with /run: the fix mounts only what the image has */
        char image[] = "/tmp/rh-unit-iso.XXXXXX", json[256], cmd[128];
        ck_assert_ptr_nonnull(mkdtemp(image));
        snprintf(cmd, sizeof(cmd), "mkdir '%s/run'", image);
        ck_assert_int_eq(system(cmd), 0);
        _cleanup_policy_ struct policy *p =
                policy_from("{\"version\":1,\"rules\":{\"readonly-rootfs\":{\"params\":{\"tmpfs\":[\"//run//\"]}}}}");
        snprintf(json, sizeof(json), "{\"root\":{\"path\":\"%s\",\"readonly\":false}}", image);
        _cleanup_spec_ struct spec *s = parse_spec(json);
        apply_fixes(p, s, CHECK_CONFIG);
        ck_assert(jv_get(jv_get(s->root, "root"), "readonly")->u.b);
        struct jv *m = jv_get(s->root, "mounts");
        ck_assert_uint_eq(m->u.arr.n, 1);
        ck_assert_str_eq(jv_get(m->u.arr.v[0], "destination")->u.str.s, "/run");
        /* a second pass changes nothing */
        apply_fixes(p, s, CHECK_CONFIG);
        ck_assert_uint_eq(jv_get(s->root, "mounts")->u.arr.n, 1);
        remove_tree(image);
}
END_TEST

START_TEST(test_readonly_rootfs_corpus_verdicts)
{
        _cleanup_eval_ struct eval ev = eval_corpus("docker/read-only.json", true);
        expect_none(&ev, "readonly-rootfs");
        eval_replace(&ev, eval_corpus("docker/default.json", true));
        ck_assert_str_eq(expect(&ev, "readonly-rootfs", ACTION_FIX, NULL, NULL)->pointer, "/root/readonly");
}
END_TEST

/* --- masked-paths ----------------------------------------------------------- */

static bool list_has(const struct jv *l, const char *s)
{
        for (size_t i = 0; l && i < l->u.arr.n; i++)
                if (STREQ(l->u.arr.v[i]->u.str.s, s))
                        return true;
        return false;
}

START_TEST(test_docker_default_lacks_only_powercap_and_the_fix_adds_it)
{
        _cleanup_eval_ struct eval ev = eval_corpus("docker/default.json", true);
        const struct finding *f = expect(&ev, "masked-paths", ACTION_FIX, NULL, NULL);
        ck_assert_str_eq(f->pointer, "/linux/maskedPaths");
        ck_assert_ptr_nonnull(strstr(f->message, "/sys/devices/virtual/powercap"));
        ck_assert_ptr_null(strstr(f->message, "/proc/kcore"));
        ck_assert_uint_eq(count_rule(&ev, "masked-paths"), 1);

        _cleanup_policy_ struct policy *p = builtin_policy();
        _cleanup_spec_ struct spec *s = corpus_spec("docker/default.json");
        apply_fixes(p, s, CHECK_CONFIG);
        struct jv *l = jv_get(s->root, "linux");
        ck_assert(list_has(jv_get(l, "maskedPaths"), "/sys/devices/virtual/powercap"));
        ck_assert_uint_eq(jv_get(l, "maskedPaths")->u.arr.n, 11);
        ck_assert_uint_eq(jv_get(l, "readonlyPaths")->u.arr.n, 5);
}
END_TEST

START_TEST(test_privileged_spec_gets_every_masked_and_readonly_path)
{
        _cleanup_policy_ struct policy *p = builtin_policy();
        _cleanup_spec_ struct spec *s = corpus_spec("docker/privileged.json");
        apply_fixes(p, s, CHECK_CONFIG);
        struct jv *l = jv_get(s->root, "linux");
        ck_assert(list_has(jv_get(l, "maskedPaths"), "/proc/kcore"));
        ck_assert(list_has(jv_get(l, "maskedPaths"), "/proc/keys"));
        ck_assert(list_has(jv_get(l, "readonlyPaths"), "/proc/sysrq-trigger"));
        ck_assert_uint_eq(jv_get(l, "readonlyPaths")->u.arr.n, 5);
}
END_TEST

START_TEST(test_odd_spellings_and_parent_entries_cover_required_paths)
{
        _cleanup_eval_ struct eval ev = eval_doc(
                NULL,
                "{\"linux\":{\"namespaces\":[{\"type\":\"mount\"}],"
                "\"maskedPaths\":[\"//proc/./acpi\",\"/proc/asound/\",\"/proc/kcore\",\"/proc/keys\",\"/proc/"
                "latency_stats\","
                "\"/proc/timer_list\",\"/proc/timer_stats\",\"/proc/sched_debug\",\"/proc/scsi\",\"/sys/firmware\","
                "\"/sys/devices/virtual/../virtual/powercap\",\"/proc/sysrq-trigger\"],"
                "\"readonlyPaths\":[\"/proc\"]}}");
        expect_none(&ev, "masked-paths");
}
END_TEST

START_TEST(test_readonly_paths_do_not_satisfy_masking)
{
        /* podman makes /proc/asound read-only; masking is asked for */
        _cleanup_eval_ struct eval ev = eval_corpus("podman/default.json", true);
        const struct finding *f = expect(&ev, "masked-paths", ACTION_FIX, NULL, NULL);
        ck_assert_ptr_nonnull(strstr(f->message, "/proc/asound"));
}
END_TEST

START_TEST(test_masking_without_a_mount_namespace_is_denied)
{
        _cleanup_eval_ struct eval ev = eval_doc(NULL, "{\"linux\":{\"namespaces\":[{\"type\":\"pid\"}]}}");
        const struct finding *f = expect(&ev, "masked-paths", ACTION_DENY, NULL, NULL);
        ck_assert_str_eq(f->pointer, "/linux/maskedPaths");
        ck_assert_ptr_nonnull(strstr(f->message, "mount namespace"));
}
END_TEST

START_TEST(test_masked_path_lists_are_parameters)
{
        _cleanup_eval_ struct eval ev =
                eval_doc("{\"version\":1,\"rules\":{\"masked-paths\":{\"params\":{\"masked\":[\"/proc/kcore\"],"
                         "\"readonly\":[]}}}}",
                         "{\"linux\":{\"namespaces\":[{\"type\":\"mount\"}],\"maskedPaths\":[\"/proc/kcore\"]}}");
        expect_none(&ev, "masked-paths");
}
END_TEST

static Suite *make_suite(void)
{
        Suite *s = suite_create("rules-mounts");
        TCase *tc = tcase_create("readonly-rootfs");
        tcase_add_checked_fixture(tc, make_tmpdir, remove_tmpdir);
        tcase_add_test(tc, test_the_volatile_directories_the_image_has_get_a_tmpfs_with_their_content);
        tcase_add_test(tc, test_a_minimal_image_gets_no_mountpoint_runc_would_have_to_create);
        tcase_add_test(tc, test_the_mode_and_owner_are_the_images);
        tcase_add_test(tc, test_what_is_mounted_already_or_lies_on_a_volume_is_left_alone);
        tcase_add_test(tc, test_the_tmpfs_goes_before_the_mounts_below_it);
        tcase_add_test(tc, test_a_symlink_out_of_the_lists_or_the_root_makes_nothing_writable);
        tcase_add_test(tc, test_writable_adds_directories_and_is_a_parameter);
        tcase_add_test(tc, test_a_user_namespace_gets_the_owner_it_maps);
        tcase_add_test(tc, test_a_user_namespace_that_cannot_own_the_copies_is_denied);
        tcase_add_test(tc, test_a_fifo_cannot_be_copied_and_is_denied);
        tcase_add_test(tc, test_without_the_image_only_the_root_is_made_read_only);
        tcase_add_test(tc, test_a_read_only_root_is_left_alone);
        tcase_add_test(tc, test_the_parameters_refuse_what_the_fix_sets_itself);
        suite_add_tcase(s, tc);
        tc = tcase_create("readonly-rootfs-fix");
        tcase_add_test(tc, test_readonly_fix_adds_tmpfs_only_where_nothing_is_mounted);
        tcase_add_test(tc, test_readonly_fix_sets_readonly_and_normalises_tmpfs_paths);
        tcase_add_test(tc, test_readonly_rootfs_corpus_verdicts);
        suite_add_tcase(s, tc);
        tc = tcase_create("masked-paths");
        tcase_add_test(tc, test_docker_default_lacks_only_powercap_and_the_fix_adds_it);
        tcase_add_test(tc, test_privileged_spec_gets_every_masked_and_readonly_path);
        tcase_add_test(tc, test_odd_spellings_and_parent_entries_cover_required_paths);
        tcase_add_test(tc, test_readonly_paths_do_not_satisfy_masking);
        tcase_add_test(tc, test_masking_without_a_mount_namespace_is_denied);
        tcase_add_test(tc, test_masked_path_lists_are_parameters);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(make_suite)
