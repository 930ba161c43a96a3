/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "mountinfo.h"
#include "testutil.h"
#include "util.h"

/* A host where dockerd made a volume of /etc (type=none, o=bind) and a
 * path with a space in it. */
static const char TABLE[] = "22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw\n"
                            "23 22 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw\n"
                            "24 22 0:22 / /sys ro,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw\n"
                            "25 24 0:23 / /sys/fs/cgroup/memory rw,nosuid master:9 - cgroup cgroup rw,memory\n"
                            "40 22 254:0 /etc /var/lib/docker/volumes/v/_data rw,relatime shared:1 - ext4 /dev/vda rw\n"
                            "41 22 0:40 / /srv/with\\040space rw - tmpfs tmpfs rw,size=64k\n"
                            "42 22 0:41 / /srv/stacked rw - tmpfs tmpfs rw\n"
                            "43 22 0:42 / /srv/stacked ro - tmpfs tmpfs ro\n";

static void parse_table(struct mount_table *t)
{
        rh_error_t err = RH_ERROR_INIT;
        ck_assert_msg(mount_table_parse(TABLE, sizeof(TABLE) - 1, t, &err) == 0, "%s", rh_error_msg(&err));
        ck_assert_uint_eq(t->n, 8);
}

START_TEST(test_every_field_of_a_line_is_read)
{
        _cleanup_mount_table_ struct mount_table t = {0};
        parse_table(&t);
        const struct mount_entry *m = &t.v[3];
        ck_assert_int_eq(m->id, 25);
        ck_assert_int_eq(m->parent, 24);
        ck_assert_uint_eq(m->dev, makedev(0, 23));
        ck_assert_str_eq(m->root, "/");
        ck_assert_str_eq(m->point, "/sys/fs/cgroup/memory");
        ck_assert_str_eq(m->options, "rw,nosuid");
        ck_assert_str_eq(m->optional, "master:9");
        ck_assert_str_eq(m->fstype, "cgroup");
        ck_assert_str_eq(m->source, "cgroup");
        ck_assert_str_eq(m->super, "rw,memory");
        ck_assert(!m->readonly);
        ck_assert(t.v[2].readonly);
        ck_assert_str_eq(mount_entry_propagation(m), "slave");
        ck_assert_str_eq(mount_entry_propagation(&t.v[0]), "shared");
        ck_assert_str_eq(mount_entry_propagation(&t.v[5]), "private");
}
END_TEST

START_TEST(test_escaped_space_in_a_mount_point_is_undone)
{
        _cleanup_mount_table_ struct mount_table t = {0};
        parse_table(&t);
        ck_assert_str_eq(t.v[5].point, "/srv/with space");
        ck_assert_ptr_eq(mount_table_find(&t, "/srv/with space/x"), &t.v[5]);
}
END_TEST

START_TEST(test_a_volume_that_binds_etc_is_seen_as_etc)
{
        _cleanup_mount_table_ struct mount_table t = {0};
        parse_table(&t);
        const struct mount_entry *m = mount_table_find(&t, "/var/lib/docker/volumes/v/_data");
        ck_assert_ptr_nonnull(m);
        ck_assert_int_eq(m->id, 40);
        _cleanup_free_ char *p = mount_entry_fs_path(m, "/var/lib/docker/volumes/v/_data/shadow");
        ck_assert_str_eq(p, "/etc/shadow");
        _cleanup_free_ char *q = mount_entry_fs_path(m, "/var/lib/docker/volumes/v/_data");
        ck_assert_str_eq(q, "/etc");
        /* a sibling whose name only starts the same is on the root mount */
        ck_assert_int_eq(mount_table_find(&t, "/var/lib/docker/volumes/v/_database")->id, 22);
        _cleanup_free_ char *r = mount_entry_fs_path(mount_table_find(&t, "/etc/passwd"), "/etc/passwd");
        ck_assert_str_eq(r, "/etc/passwd");
}
END_TEST

START_TEST(test_the_last_of_stacked_mounts_is_the_one_seen)
{
        _cleanup_mount_table_ struct mount_table t = {0};
        parse_table(&t);
        ck_assert_int_eq(mount_table_find(&t, "/srv/stacked/f")->id, 43);
        ck_assert_int_eq(mount_table_find(&t, "/sys/fs/cgroup/memory/a")->id, 25);
        ck_assert_int_eq(mount_table_find(&t, "/sys/fs")->id, 24);
}
END_TEST

START_TEST(test_kernel_file_systems_are_classed)
{
        ck_assert_str_eq(mount_fstype_kernel_class("proc"), "proc");
        ck_assert_str_eq(mount_fstype_kernel_class("cgroup2"), "cgroup");
        ck_assert_str_eq(mount_fstype_kernel_class("devtmpfs"), "devtmpfs");
        ck_assert_ptr_null(mount_fstype_kernel_class("ext4"));
        ck_assert_ptr_null(mount_fstype_kernel_class("tmpfs"));
        ck_assert_ptr_null(mount_fstype_kernel_class(NULL));
}
END_TEST

START_TEST(test_a_malformed_table_is_refused_whole)
{
        static const char *const bad[] = {
                "",
                "22 1 254:0 / / rw\n",                                    /* no separator */
                "22 1 254:0 / / rw - ext4\n",                             /* no source */
                "x 1 254:0 / / rw - ext4 /dev/vda rw\n",                  /* id */
                "22 1 254 / / rw - ext4 /dev/vda rw\n",                   /* device */
                "22 1 254:0 / / rw - ext4 /dev/vda rw\n23 22 0:2 / /p\n", /* a later line */
        };
        for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
                _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
                struct mount_table t = {0};
                ck_assert_msg(mount_table_parse(bad[i], strlen(bad[i]), &t, &err) < 0, "parsed: %s", bad[i]);
                ck_assert_ptr_null(t.v);
        }
}
END_TEST

START_TEST(test_our_own_table_has_the_root_and_proc)
{
        rh_error_t err = RH_ERROR_INIT;
        _cleanup_mount_table_ struct mount_table t = {0};
        struct stat st;
        ck_assert_msg(mount_table_read("/proc/self/mountinfo", &t, &err) == 0, "%s", rh_error_msg(&err));
        const struct mount_entry *m = mount_table_find(&t, "/proc/self");
        ck_assert_ptr_nonnull(m);
        ck_assert_str_eq(m->fstype, "proc");
        ck_assert_int_eq(stat("/proc/self", &st), 0);
        ck_assert_uint_eq(m->dev, st.st_dev);
}
END_TEST

START_TEST(test_a_mount_is_found_by_its_id)
{
        _cleanup_mount_table_ struct mount_table t = {0};
        parse_table(&t);
        ck_assert_str_eq(mount_table_find_id(&t, 40)->point, "/var/lib/docker/volumes/v/_data");
        ck_assert_ptr_null(mount_table_find_id(&t, 99));
}
END_TEST

static bool has_name(char **names, size_t n, const char *want)
{
        for (size_t i = 0; i < n; i++)
                if (STREQ(names[i], want))
                        return true;
        return false;
}

static void free_names(char **names, size_t n)
{
        for (size_t i = 0; i < n; i++)
                free(names[i]);
        free(names);
}

START_TEST(test_every_mount_of_a_file_system_gives_a_path_another_name)
{
        _cleanup_mount_table_ struct mount_table t = {0};
        char **names = NULL;
        size_t n = 0;
        parse_table(&t);
        /* /etc/shadow is also the volume's shadow */
        ck_assert_int_eq(mount_table_names(&t, makedev(254, 0), "/etc/shadow", &names, &n), 0);
        ck_assert_uint_eq(n, 2);
        ck_assert(has_name(names, n, "/etc/shadow"));
        ck_assert(has_name(names, n, "/var/lib/docker/volumes/v/_data/shadow"));
        /* asked again: nothing twice */
        ck_assert_int_eq(mount_table_names(&t, makedev(254, 0), "/etc/shadow", &names, &n), 0);
        ck_assert_uint_eq(n, 2);
        free_names(names, n);
        names = NULL;
        n = 0;
        /* the file system's root is seen only where it is mounted whole */
        ck_assert_int_eq(mount_table_names(&t, makedev(254, 0), "/", &names, &n), 0);
        ck_assert_uint_eq(n, 1);
        ck_assert_str_eq(names[0], "/");
        free_names(names, n);
        names = NULL;
        n = 0;
        ck_assert_int_eq(mount_table_names(&t, makedev(0, 23), "/tasks", &names, &n), 0);
        ck_assert_uint_eq(n, 1);
        ck_assert_str_eq(names[0], "/sys/fs/cgroup/memory/tasks");
        free_names(names, n);
}
END_TEST

START_TEST(test_several_optional_fields_are_kept_together)
{
        static const char line[] = "30 22 0:50 / /x rw shared:5 master:3 - tmpfs t rw\n";
        rh_error_t err = RH_ERROR_INIT;
        _cleanup_mount_table_ struct mount_table t = {0};
        ck_assert_int_eq(mount_table_parse(line, sizeof(line) - 1, &t, &err), 0);
        ck_assert_str_eq(t.v[0].optional, "shared:5 master:3");
        ck_assert_str_eq(t.v[0].fstype, "tmpfs");
        ck_assert_str_eq(t.v[0].super, "rw");
}
END_TEST

static Suite *mountinfo_suite(void)
{
        Suite *s = suite_create("mountinfo");
        TCase *tc = tcase_create("core");
        tcase_add_test(tc, test_every_field_of_a_line_is_read);
        tcase_add_test(tc, test_escaped_space_in_a_mount_point_is_undone);
        tcase_add_test(tc, test_a_volume_that_binds_etc_is_seen_as_etc);
        tcase_add_test(tc, test_the_last_of_stacked_mounts_is_the_one_seen);
        tcase_add_test(tc, test_kernel_file_systems_are_classed);
        tcase_add_test(tc, test_a_malformed_table_is_refused_whole);
        tcase_add_test(tc, test_our_own_table_has_the_root_and_proc);
        tcase_add_test(tc, test_a_mount_is_found_by_its_id);
        tcase_add_test(tc, test_every_mount_of_a_file_system_gives_a_path_another_name);
        tcase_add_test(tc, test_several_optional_fields_are_kept_together);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(mountinfo_suite)
