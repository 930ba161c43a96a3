/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>

#include "mount_options.h"
#include "testutil.h"

/* policy/mount_options.c: a mount's options as runc 1.1.5 reads them. */

static struct mount_options opts_of(const char *json)
{
        _cleanup_spec_ struct spec *s = parse_spec(json);
        struct mount_options o;
        const struct jv *bad;
        ck_assert_int_eq(mount_options_read(jv_get(s->root, "o"), &o, &bad), 0);
        return o;
}

START_TEST(test_mount_options_are_read_as_runc_reads_them)
{
        struct mount_options o = opts_of("{\"o\":[\"ro\",\"rw\",\"rbind\"]}");
        ck_assert(!o.ro && o.bind && !o.remount);
        o = opts_of("{\"o\":[\"rw\",\"ro\",\"RO\",\"bind\"]}");
        ck_assert(o.ro && o.bind);
        /* another case is data to runc; rro is not MS_RDONLY */
        o = opts_of("{\"o\":[\"Bind\",\"RBIND\",\"remount\",\"rro\"]}");
        ck_assert(!o.bind && o.remount && !o.ro);
        o = opts_of("{\"o\":null}");
        ck_assert(!o.bind && !o.ro && !o.remount);

        _cleanup_spec_ struct spec *s = parse_spec("{\"a\":\"ro\",\"b\":[\"ro\",3]}");
        const struct jv *bad;
        struct mount_options x;
        ck_assert_int_eq(mount_options_read(jv_get(s->root, "a"), &x, &bad), -EINVAL);
        ck_assert_ptr_eq(bad, jv_get(s->root, "a"));
        ck_assert_int_eq(mount_options_read(jv_get(s->root, "b"), &x, &bad), -EINVAL);
        ck_assert_ptr_eq(bad, jv_get(s->root, "b")->u.arr.v[1]);
}
END_TEST

static Suite *mount_options_suite(void)
{
        Suite *s = suite_create("mount-options");
        TCase *tc = tcase_create("core");
        tcase_add_test(tc, test_mount_options_are_read_as_runc_reads_them);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(mount_options_suite)
