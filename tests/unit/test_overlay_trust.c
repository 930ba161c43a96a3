/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "overlay_trust.h"
#include "testutil.h"
#include "util.h"

START_TEST(test_volume_data_and_what_lies_below_it_is_named)
{
        ck_assert(overlay_in_volume_data("/var/lib/docker/volumes/a/_data"));
        ck_assert(overlay_in_volume_data("/var/lib/docker/volumes/a/_data/u/x"));
        ck_assert(overlay_in_volume_data("/var/lib/docker//volumes/a/./_data/u"));
        ck_assert(overlay_in_volume_data("/var/lib/docker/volumes/a/b/../_data/u"));
        ck_assert(overlay_in_volume_data("/var/lib/containers/storage/volumes/v/_data/up"));
        ck_assert(overlay_in_volume_data("/home/u/.local/share/containers/storage/volumes/v/_data"));
        ck_assert(!overlay_in_volume_data("/var/lib/docker/volumes/a"));
        ck_assert(!overlay_in_volume_data("/var/lib/docker/volumes/a/_data2"));
        ck_assert(!overlay_in_volume_data("/var/lib/docker/overlay2/x/diff"));
        ck_assert(!overlay_in_volume_data("/srv/volumes/a/_data"));
}
END_TEST

/* A mount entry of the given super options at point (not a real mount
 * unless the caller made one). */
static struct mount_entry entry(const char *super, const char *point, int id)
{
        return (struct mount_entry){.id = id,
                                    .fstype = (char *)"overlay",
                                    .root = (char *)"/",
                                    .point = (char *)point,
                                    .super = (char *)super};
}

static void expect_doubt(const char *super, const char *point, int id, const char *want)
{
        struct mount_entry e = entry(super, point, id);
        _cleanup_free_ char *why = NULL;

        ck_assert_int_eq(overlay_mount_doubt(&e, &why), 1);
        ck_assert_msg(why && strstr(why, want), "%s: got \"%s\", want \"%s\"", super, why ? why : "(null)", want);
}

static char dir[] = "/tmp/rh-unit-ovltrust.XXXXXX";

static void make_dirs(const char *const *names)
{
        char p[PATH_MAX];
        for (; *names; names++) {
                snprintf(p, sizeof(p), "%s/%s", dir, *names);
                ck_assert_int_eq(mkdir(p, 0755), 0);
        }
}

START_TEST(test_names_that_cannot_be_layers_are_doubted)
{
        char super[4 * PATH_MAX];

        ck_assert_ptr_nonnull(mkdtemp(dir));
        make_dirs((const char *const[]){"l", "u", "w", "real", NULL});
        snprintf(super, sizeof(super), "%s/link", dir);
        ck_assert_int_eq(symlink("real", super), 0);

        expect_doubt("rw,lowerdir=l1,upperdir=/x/u,workdir=/x/w", "/m", 1, "its lowerdir l1 is relative");
        expect_doubt("rw,lowerdir=/tmp,upperdir=/var/lib/docker/volumes/v/_data/u,workdir=/w", "/m", 1,
                     "its upperdir /var/lib/docker/volumes/v/_data/u lies in an engine's volume data");
        expect_doubt("ro,lowerdir=/var/lib/containers/storage/volumes/v/_data/l", "/m", 1,
                     "its lowerdir /var/lib/containers/storage/volumes/v/_data/l lies in an engine's volume data");
        snprintf(super, sizeof(super), "rw,lowerdir=%s/l,upperdir=%s/link,workdir=%s/w", dir, dir, dir);
        expect_doubt(super, "/m", 1, "/link goes through a symlink");
        snprintf(super, sizeof(super), "rw,lowerdir=%s/l,upperdir=%s/gone,workdir=%s/w", dir, dir, dir);
        expect_doubt(super, "/m", 1, "/gone no longer reaches a directory");
        /* /proc is another file system than /tmp */
        snprintf(super, sizeof(super), "rw,lowerdir=/proc/sys,upperdir=%s/u,workdir=%s/w", dir, dir);
        expect_doubt(super, "/m", 1, "its layers lie on more than one file system");
        /* dir is no overlay's mount: its root is not read through one */
        snprintf(super, sizeof(super), "rw,lowerdir=%s/l,upperdir=%s/u,workdir=%s/w", dir, dir, dir);
        expect_doubt(super, dir, 999999, "its root cannot be looked at through the mount itself");
        expect_doubt("rw", dir, 999999, "it shows no layers");
}
END_TEST

static const struct mount_entry *mounted_at(const struct mount_table *t, const char *point)
{
        for (size_t i = t->n; i-- > 0;)
                if (STREQ(t->v[i].point, point))
                        return &t->v[i];
        return NULL;
}

START_TEST(test_a_mounted_overlay_is_trusted_only_by_its_own_layers)
{
        char m[PATH_MAX], ro[PATH_MAX], opts[4 * PATH_MAX];
        _cleanup_free_ char *why = NULL;
        _cleanup_mount_table_ struct mount_table t = {0};
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;

        if (geteuid() != 0 || unshare(CLONE_NEWNS) < 0)
                return; /* needs root: covered by the integration test */
        ck_assert_int_eq(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), 0);
        ck_assert_ptr_nonnull(mkdtemp(dir));
        make_dirs((const char *const[]){"l1", "l2", "u", "w", "other", "m", "ro", NULL});
        snprintf(m, sizeof(m), "%s/m", dir);
        snprintf(ro, sizeof(ro), "%s/ro", dir);
        snprintf(opts, sizeof(opts), "lowerdir=%s/l1:%s/l2,upperdir=%s/u,workdir=%s/w", dir, dir, dir, dir);
        ck_assert_int_eq(mount("overlay", m, "overlay", 0, opts), 0);
        snprintf(opts, sizeof(opts), "lowerdir=%s/l2:%s/l1", dir, dir);
        ck_assert_int_eq(mount("overlay", ro, "overlay", 0, opts), 0);
        ck_assert_int_eq(mount_table_read("/proc/self/mountinfo", &t, &err), 0);
        const struct mount_entry *e = mounted_at(&t, m), *r = mounted_at(&t, ro);
        ck_assert_ptr_nonnull(e);
        ck_assert_ptr_nonnull(r);

        ck_assert_int_eq(overlay_mount_doubt(e, &why), 0);
        ck_assert_ptr_null(why);
        ck_assert_int_eq(overlay_mount_doubt(r, &why), 0);
        /* the same mount, as if its upperdir's name now reached another
         * directory on the same file system */
        snprintf(opts, sizeof(opts), "rw,lowerdir=%s/l1:%s/l2,upperdir=%s/other,workdir=%s/w", dir, dir, dir, dir);
        expect_doubt(opts, m, e->id, "its upperdir names a directory that is not the one the overlay stacked");
        /* and a read-only one whose first lower is not what it stacked */
        snprintf(opts, sizeof(opts), "ro,lowerdir=%s/l1:%s/l2", dir, dir);
        expect_doubt(opts, ro, r->id, "its first lowerdir names a directory that is not the one");
        /* a mount over the point hides the overlay's root */
        ck_assert_int_eq(mount("tmpfs", m, "tmpfs", 0, NULL), 0);
        expect_doubt(e->super, m, e->id, "its root cannot be looked at through the mount itself");
}
END_TEST

static void teardown(void)
{
        char p[PATH_MAX];
        if (strchr(dir, 'X'))
                return;
        snprintf(p, sizeof(p), "%s/m", dir);
        (void)umount2(p, MNT_DETACH);
        (void)umount2(p, MNT_DETACH);
        snprintf(p, sizeof(p), "%s/ro", dir);
        (void)umount2(p, MNT_DETACH);
        snprintf(p, sizeof(p), "rm -rf --one-file-system '%s'", dir);
        (void)!system(p);
}

static Suite *overlay_trust_suite(void)
{
        Suite *s = suite_create("overlay_trust");
        TCase *tc = tcase_create("overlay_trust");
        tcase_add_checked_fixture(tc, NULL, teardown);
        tcase_add_test(tc, test_volume_data_and_what_lies_below_it_is_named);
        tcase_add_test(tc, test_names_that_cannot_be_layers_are_doubted);
        tcase_add_test(tc, test_a_mounted_overlay_is_trusted_only_by_its_own_layers);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(overlay_trust_suite)
