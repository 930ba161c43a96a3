/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "testutil.h"
#include "util.h"
#include "writes.h"

/* An overlay's directories as they are after a container ran, made by
 * hand (the walk reads only the upper and lower directories): lower is
 * the image, upper what the container wrote. */

static char *at(const char *rel)
{
        char *p = NULL;
        ck_assert(asprintf(&p, "%s/%s", tmpdir, rel) > 0);
        return p;
}

static void mk(const char *rel)
{
        _cleanup_free_ char *cmd = NULL;
        ck_assert(asprintf(&cmd, "mkdir -p '%s/%s'", tmpdir, rel) > 0);
        ck_assert_int_eq(system(cmd), 0);
}

static void touch(const char *rel)
{
        _cleanup_free_ char *p = at(rel);
        int fd = open(p, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
        ck_assert_int_ge(fd, 0);
        close(fd);
}

/* overlayfs' mark of a removed file: a 0:0 character device */
static void whiteout(const char *rel)
{
        _cleanup_free_ char *p = at(rel);
        ck_assert_int_eq(mknod(p, S_IFCHR | 0000, makedev(0, 0)), 0);
}

static void image(void)
{
        mk("lower/etc/nginx");
        mk("lower/var/lib/nginx");
        mk("lower/var/log");
        mk("lower/run");
        mk("lower/tmp");
        mk("lower/srv");
        touch("lower/etc/motd");
        mk("upper");
}

static struct writes scan(const char *const *writable, size_t n_writable, const char *const *mounts, size_t n_mounts,
                          uint64_t max_entries)
{
        _cleanup_free_ char *upper = at("upper"), *lower = at("lower");
        const char *lowers[] = {lower};
        struct writes_scan o = {.upper = upper,
                                .lower = lowers,
                                .n_lower = 1,
                                .writable = writable,
                                .n_writable = n_writable,
                                .mounts = mounts,
                                .n_mounts = n_mounts,
                                .max_entries = max_entries,
                                .max_groups = 16};
        struct writes w;
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        ck_assert_msg(writes_scan(&o, &w, &err) == 0, "%s", rh_error_msg(&err));
        return w;
}

static const struct write_group *group(const struct writes *w, const char *dir)
{
        for (size_t i = 0; i < w->n; i++)
                if (STREQ(w->groups[i].dir, dir))
                        return &w->groups[i];
        return NULL;
}

static bool has_example(const struct write_group *g, const char *path)
{
        for (size_t i = 0; g && i < g->n_examples; i++)
                if (STREQ(g->examples[i], path))
                        return true;
        return false;
}

START_TEST(test_writes_are_grouped_by_the_nearest_directory_of_the_image)
{
        image();
        /* nginx made body/ with files in it, wrote a log, removed motd */
        mk("upper/var/lib/nginx/body/00");
        touch("upper/var/lib/nginx/body/00/0001");
        mk("upper/var/log");
        touch("upper/var/log/app.log");
        mk("upper/etc");
        whiteout("upper/etc/motd");
        _cleanup_writes_ struct writes w = scan(NULL, 0, NULL, 0, 0);

        ck_assert(!w.truncated);
        const struct write_group *nginx = group(&w, "/var/lib/nginx"), *log = group(&w, "/var/log"),
                                 *etc = group(&w, "/etc");
        ck_assert_ptr_nonnull(nginx);
        /* a new directory counts once, whole: its contents are its own */
        ck_assert_uint_eq(nginx->count, 1);
        ck_assert(has_example(nginx, "/var/lib/nginx/body"));
        ck_assert_ptr_nonnull(log);
        ck_assert(has_example(log, "/var/log/app.log"));
        ck_assert_ptr_nonnull(etc);
        ck_assert_uint_eq(etc->removed, 1);
        ck_assert(has_example(etc, "/etc/motd"));
        ck_assert_uint_eq(w.n, 3);
}
END_TEST

START_TEST(test_what_stays_writable_and_mount_points_are_not_writes)
{
        image();
        mk("upper/run/nginx");
        touch("upper/run/nginx.pid");
        mk("upper/tmp");
        touch("upper/tmp/x");
        mk("upper/data"); /* runc made the volume's mount point */
        mk("upper/etc");
        touch("upper/etc/resolv.conf"); /* a file mount point */
        mk("upper/srv/www/static");     /* a mount point's parents */
        touch("upper/srv/notes");
        static const char *const writable[] = {"/run", "/tmp"};
        static const char *const mounts[] = {"/data", "/etc/resolv.conf", "/srv/www/static/files"};
        _cleanup_writes_ struct writes w = scan(writable, 2, mounts, 3, 0);

        ck_assert_uint_eq(w.n, 1);
        ck_assert_str_eq(w.groups[0].dir, "/srv");
        ck_assert(has_example(&w.groups[0], "/srv/notes"));
        ck_assert_uint_eq(w.groups[0].count, 1);
}
END_TEST

START_TEST(test_a_directory_replaced_whole_is_one_write)
{
        image();
        mk("upper/etc/nginx");
        touch("upper/etc/nginx/nginx.conf");
        _cleanup_free_ char *p = at("upper/etc/nginx");
        ck_assert_int_eq(lsetxattr(p, "trusted.overlay.opaque", "y", 1, 0), 0);
        _cleanup_writes_ struct writes w = scan(NULL, 0, NULL, 0, 0);

        const struct write_group *etc = group(&w, "/etc");
        ck_assert_ptr_nonnull(etc);
        ck_assert_uint_eq(etc->count, 1);
        ck_assert(has_example(etc, "/etc/nginx"));
}
END_TEST

START_TEST(test_a_write_in_a_new_top_directory_needs_a_volume)
{
        image();
        mk("upper/newdir");
        touch("upper/newdir/f");
        touch("upper/at-root");
        _cleanup_writes_ struct writes w = scan(NULL, 0, NULL, 0, 0);

        ck_assert_uint_eq(w.n, 1);
        ck_assert_str_eq(w.groups[0].dir, "/");
        ck_assert_uint_eq(w.groups[0].count, 2);
}
END_TEST

START_TEST(test_the_walk_stops_at_its_bound)
{
        image();
        mk("upper/var/log");
        for (int i = 0; i < 200; i++) {
                char rel[64];
                snprintf(rel, sizeof(rel), "upper/var/log/f%03d", i);
                touch(rel);
        }
        _cleanup_writes_ struct writes w = scan(NULL, 0, NULL, 0, 50);
        ck_assert(w.truncated);
        ck_assert_uint_le(w.entries, 50);
        ck_assert_uint_le(group(&w, "/var/log")->n_examples, WRITES_EXAMPLES);

        _cleanup_writes_ struct writes all = scan(NULL, 0, NULL, 0, 0);
        ck_assert(!all.truncated);
        ck_assert_uint_eq(group(&all, "/var/log")->count, 200);
}
END_TEST

START_TEST(test_symlinks_in_the_upper_directory_are_not_followed)
{
        image();
        mk("upper/var/log");
        _cleanup_free_ char *link = at("upper/var/log/out");
        ck_assert_int_eq(symlink("/etc", link), 0);
        _cleanup_writes_ struct writes w = scan(NULL, 0, NULL, 0, 0);
        /* the link itself is the write; /etc behind it is not walked */
        ck_assert_uint_eq(w.n, 1);
        ck_assert_uint_eq(group(&w, "/var/log")->count, 1);
}
END_TEST

START_TEST(test_only_what_changed_since_the_watch_began_counts)
{
        image();
        /* the engine's own preparation, before the runtime was called */
        mk("upper/etc");
        touch("upper/etc/mtab");
        mk("upper/newdir");
        touch("upper/newdir/old");
        usleep(30000);
        _cleanup_free_ char *upper = at("upper"), *lower = at("lower");
        const char *lowers[] = {lower};
        struct writes_scan o = {.upper = upper, .lower = lowers, .n_lower = 1};
        clock_gettime(CLOCK_REALTIME_COARSE, &o.since);
        usleep(30000);
        touch("upper/etc/app.conf");
        touch("upper/newdir/new");
        _cleanup_writes_ struct writes w = {0};
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;

        ck_assert_int_eq(writes_scan(&o, &w, &err), 0);
        const struct write_group *etc = group(&w, "/etc"), *root = group(&w, "/");
        ck_assert_ptr_nonnull(etc);
        ck_assert_uint_eq(etc->count, 1);
        ck_assert(has_example(etc, "/etc/app.conf"));
        /* the older new directory changed (a file was added to it): it
         * counts, whole, once */
        ck_assert_ptr_nonnull(root);
        ck_assert_uint_eq(root->count, 1);
        ck_assert(has_example(root, "/newdir"));
        /* left alone, it does not */
        writes_done(&w);
        usleep(30000);
        clock_gettime(CLOCK_REALTIME_COARSE, &o.since);
        ck_assert_int_eq(writes_scan(&o, &w, &err), 0);
        ck_assert_uint_eq(w.n, 0);
}
END_TEST

START_TEST(test_a_missing_upper_directory_is_an_error)
{
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        struct writes_scan o = {.upper = "/nonexistent/upper"};
        struct writes w;
        ck_assert_int_eq(writes_scan(&o, &w, &err), -ENOENT);
        ck_assert_ptr_nonnull(strstr(rh_error_msg(&err), "/nonexistent/upper"));
}
END_TEST

static Suite *writes_suite(void)
{
        Suite *s = suite_create("writes");
        TCase *tc = tcase_create("writes");
        tcase_add_checked_fixture(tc, make_tmpdir, remove_tmpdir);
        tcase_add_test(tc, test_writes_are_grouped_by_the_nearest_directory_of_the_image);
        tcase_add_test(tc, test_what_stays_writable_and_mount_points_are_not_writes);
        tcase_add_test(tc, test_a_directory_replaced_whole_is_one_write);
        tcase_add_test(tc, test_a_write_in_a_new_top_directory_needs_a_volume);
        tcase_add_test(tc, test_the_walk_stops_at_its_bound);
        tcase_add_test(tc, test_symlinks_in_the_upper_directory_are_not_followed);
        tcase_add_test(tc, test_only_what_changed_since_the_watch_began_counts);
        tcase_add_test(tc, test_a_missing_upper_directory_is_an_error);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(writes_suite)
