/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rules/hostpath.h"
#include "testutil.h"
#include "util.h"
#include "verify.h"

/* The container's root against the judged spec (policy/verify.c,
 * verify_mounts.c): root.path's identity recorded when the spec is judged
 * (hostpath_root_record()), and the root mount judged by what it is. */

static char *path(const char *rel)
{
        char *p = NULL;
        ck_assert(asprintf(&p, "%s/%s", tmpdir, rel) > 0);
        return p;
}

static struct spec *spec_with_root(const char *root_path, const char *bundle)
{
        _cleanup_free_ char *json = NULL;
        ck_assert(asprintf(&json, "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"%s\"}}", root_path) > 0);
        struct spec *s = parse_spec(json);
        s->bundle = strdup(bundle);
        return s;
}

START_TEST(test_root_path_is_recorded_as_runc_takes_it)
{
        make_tmpdir();
        _cleanup_free_ char *rootfs = path("rootfs"), *link = path("link"), *through = path("link/x");
        struct stat st;
        ck_assert_int_eq(mkdir(rootfs, 0755), 0);
        ck_assert_int_eq(stat(rootfs, &st), 0);

        /* relative: from the bundle */
        struct spec *s = spec_with_root("rootfs", tmpdir);
        hostpath_root_record(s);
        ck_assert(s->root_recorded);
        ck_assert_int_eq(s->root_err, 0);
        ck_assert(s->root_dev == st.st_dev && s->root_ino == st.st_ino);
        spec_free(s);

        /* a symlink anywhere: runc refuses it, nothing is followed */
        ck_assert_int_eq(symlink(tmpdir, link), 0);
        _cleanup_free_ char *x = path("x");
        ck_assert_int_eq(mkdir(x, 0755), 0);
        s = spec_with_root(link, "/");
        hostpath_root_record(s);
        ck_assert_int_eq(s->root_err, -ELOOP);
        spec_free(s);
        s = spec_with_root(through, "/");
        hostpath_root_record(s);
        ck_assert_int_eq(s->root_err, -ELOOP);
        spec_free(s);

        /* missing */
        s = spec_with_root("nothing-here", tmpdir);
        hostpath_root_record(s);
        ck_assert_int_eq(s->root_err, -ENOENT);
        spec_free(s);
}
END_TEST

START_TEST(test_the_judgement_records_the_root_for_create_not_offline)
{
        make_tmpdir();
        _cleanup_free_ char *rootfs = path("rootfs");
        ck_assert_int_eq(mkdir(rootfs, 0755), 0);
        struct policy *p = builtin_policy();
        struct eval ev = {0};
        struct spec *s = spec_with_root("rootfs", tmpdir);
        evaluate(p, s, CHECK_CONFIG, &ev);
        ck_assert(s->root_recorded);
        ck_assert_int_eq(s->root_err, 0);
        eval_done(&ev);
        spec_free(s);
        s = spec_with_root("rootfs", tmpdir);
        s->offline = true;
        evaluate(p, s, CHECK_CONFIG, &ev);
        ck_assert(!s->root_recorded);
        eval_done(&ev);
        spec_free(s);
        policy_free(p);
}
END_TEST

/* --- verification --------------------------------------------------------- */

static int no_stat_in(void *data, const char *p, bool follow, struct stat *ret)
{
        (void)data, (void)p, (void)follow, (void)ret;
        return -ENOENT;
}

static int no_resolve_in(void *data, const char *p, char **ret)
{
        (void)data, (void)p, (void)ret;
        return -ENOENT;
}

static int no_cgroup_read(void *data, const char *c, const char *f, char **ret)
{
        (void)data, (void)c, (void)f, (void)ret;
        return -ENOENT;
}

/* A container whose "/" is the mount line root_line of its table, on a
 * host whose table is host_text; its root directory is root_id. */
static void facts_init(struct verify_facts *f, const char *host_text, const char *root_line, dev_t dev, ino_t ino)
{
        rh_error_t err = RH_ERROR_INIT;
        memset(f, 0, sizeof(*f));
        f->pid = 4242;
        f->id = "c1";
        f->bundle = "/tmp";
        f->root = (struct verify_fileid){.have = true, .dev = dev, .ino = ino};
        f->uid_map = strdup("");
        f->gid_map = strdup("");
        ck_assert_int_eq(mount_table_parse(host_text, strlen(host_text), &f->host_mounts, &err), 0);
        ck_assert_int_eq(mount_table_parse(root_line, strlen(root_line), &f->mounts, &err), 0);
}

static void judge(struct verify_facts *f, struct spec *s, struct eval *ev)
{
        rh_error_t err = RH_ERROR_INIT;
        struct policy *p = builtin_policy();
        struct verify_probe probe = {.stat_in = no_stat_in, .resolve_in = no_resolve_in, .cgroup_read = no_cgroup_read};
        ck_assert_int_eq(verify_judge(p, s, f, &probe, ev, &err), 0);
        policy_free(p);
}

static const struct finding *finding_at(const struct eval *ev, const char *rule, const char *pointer)
{
        for (size_t i = 0; i < ev->n; i++)
                if (STREQ(ev->findings[i].rule, rule) && STREQ(ev->findings[i].pointer, pointer))
                        return &ev->findings[i];
        return NULL;
}

static const char HOST[] = "1 0 254:0 / / rw - ext4 /dev/vda rw\n";

START_TEST(test_the_root_is_compared_with_root_path_as_it_was_judged)
{
        make_tmpdir();
        _cleanup_free_ char *rootfs = path("rootfs"), *line = NULL;
        struct stat st;
        ck_assert_int_eq(mkdir(rootfs, 0755), 0);
        ck_assert_int_eq(stat(rootfs, &st), 0);
        ck_assert(asprintf(&line, "84 52 254:0 %s / rw - ext4 /dev/vda rw\n", rootfs) > 0);
        struct spec *s = spec_with_root("rootfs", tmpdir);
        hostpath_root_record(s);
        struct verify_facts f;
        struct eval ev = {0};

        /* the container's root is what was recorded */
        facts_init(&f, HOST, line, st.st_dev, st.st_ino);
        judge(&f, s, &ev);
        ck_assert_ptr_null(finding_at(&ev, "verify", "/proc/4242/root"));
        eval_done(&ev);
        verify_facts_done(&f);

        /* another directory, although root.path names it by now (a bind
         * over root.path: a fresh stat() would see the container's root) */
        s->root_ino = st.st_ino + 1;
        facts_init(&f, HOST, line, st.st_dev, st.st_ino);
        judge(&f, s, &ev);
        const struct finding *x = finding_at(&ev, "verify", "/proc/4242/root");
        ck_assert_ptr_nonnull(x);
        ck_assert_int_eq(x->action, ACTION_DENY);
        ck_assert_msg(strstr(x->message, "is not root.path") && strstr(x->message, "as it was judged"), "%s",
                      x->message);
        eval_done(&ev);
        verify_facts_done(&f);

        /* not opened when judged: cannot be confirmed */
        s->root_err = -ELOOP;
        facts_init(&f, HOST, line, st.st_dev, st.st_ino);
        judge(&f, s, &ev);
        x = finding_at(&ev, "verify", "/proc/4242/root");
        ck_assert_ptr_nonnull(x);
        ck_assert_msg(strstr(x->message, "could not be opened when the spec was judged"), "%s", x->message);
        eval_done(&ev);
        verify_facts_done(&f);
        spec_free(s);
}
END_TEST

static const struct finding *root_mount_finding(const char *host_text, const char *root_line)
{
        static struct eval ev;
        struct verify_facts f;
        struct spec *s = spec_with_root("/nonexistent-root", "/");

        eval_done(&ev);
        facts_init(&f, host_text, root_line, 1, 1);
        judge(&f, s, &ev);
        verify_facts_done(&f);
        spec_free(s);
        return finding_at(&ev, "sensitive-mount", "/proc/4242/mountinfo");
}

START_TEST(test_the_root_mount_is_judged_by_what_it_is)
{
        /* the host's /usr, bound over root.path */
        const struct finding *x = root_mount_finding(HOST, "84 52 254:0 /usr / rw - ext4 /dev/vda rw\n");
        ck_assert_ptr_nonnull(x);
        ck_assert_int_eq(x->action, ACTION_DENY);
        ck_assert_msg(strstr(x->message, "/ (the root file system) is the host's /usr"), "%s", x->message);
        /* read-only too: the container runs on the host's files */
        x = root_mount_finding(HOST, "84 52 254:0 /etc / ro - ext4 /dev/vda rw\n");
        ck_assert_ptr_nonnull(x);
        ck_assert_int_eq(x->action, ACTION_DENY);
        /* the host's root itself */
        ck_assert_ptr_nonnull(root_mount_finding(HOST, "84 52 254:0 / / ro - ext4 /dev/vda rw\n"));
        /* a bundle's own directory */
        ck_assert_ptr_null(root_mount_finding(HOST, "84 52 254:0 /srv/b/rootfs / ro - ext4 /dev/vda rw\n"));
}
END_TEST

START_TEST(test_an_engines_storage_passes_by_its_name_only)
{
        const char *docker = "1 0 254:0 / / rw - ext4 /dev/vda rw\n"
                             "2 1 0:99 / /var/lib/docker/overlay2/0123/merged rw - overlay overlay rw\n";
        const char *line = "84 52 0:99 / / rw - overlay overlay rw\n";
        ck_assert_ptr_null(root_mount_finding(docker, line));
        /* the same file system also shown at engine state: judged by that name */
        const char *twice = "1 0 254:0 / / rw - ext4 /dev/vda rw\n"
                            "2 1 0:99 / /var/lib/docker/overlay2/0123/merged rw - overlay overlay rw\n"
                            "3 1 0:99 / /run/docker/x rw - overlay overlay rw\n";
        const struct finding *x = root_mount_finding(twice, line);
        ck_assert_ptr_nonnull(x);
        ck_assert_msg(strstr(x->message, "a container engine") || strstr(x->message, "/run/docker"), "%s", x->message);
}
END_TEST

static Suite *verify_root_suite(void)
{
        Suite *s = suite_create("verify-root");
        TCase *tc = tcase_create("core");
        tcase_add_checked_fixture(tc, NULL, remove_tmpdir);
        tcase_add_test(tc, test_root_path_is_recorded_as_runc_takes_it);
        tcase_add_test(tc, test_the_judgement_records_the_root_for_create_not_offline);
        tcase_add_test(tc, test_the_root_is_compared_with_root_path_as_it_was_judged);
        tcase_add_test(tc, test_the_root_mount_is_judged_by_what_it_is);
        tcase_add_test(tc, test_an_engines_storage_passes_by_its_name_only);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(verify_root_suite)
