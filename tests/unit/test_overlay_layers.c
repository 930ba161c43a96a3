/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <sys/stat.h>
#include <unistd.h>

#include "overlay.h"
#include "testutil.h"
#include "util.h"

/* Overlay mount data read as the kernel reads it (policy/overlay.c,
 * fs/overlayfs/params.c of Linux 6.x), and the spec's options the rules
 * refuse (policy/rules/hostmounts.c): each escape form of each layer option,
 * and the option lists no reader can agree on (refused as spec-invalid). */

/* --- the parser ------------------------------------------------------------ */

/* The layers of one data string, as "role:path|role:path|..." (L, U, W). */
static char *layers_of(const char *data)
{
        size_t offsets[1] = {0};
        _cleanup_(overlay_layers_done) struct overlay_layers l = {0};
        char *out = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&out, &len);

        ck_assert_int_eq(overlay_layers_parse(&l, data, offsets, 1), 0);
        for (size_t i = 0; i < l.n; i++)
                fprintf(f, "%s%c:%s", i ? "|" : "",
                        l.v[i].role == OVERLAY_LOWER   ? 'L'
                        : l.v[i].role == OVERLAY_UPPER ? 'U'
                                                       : 'W',
                        l.v[i].path);
        fclose(f);
        return out;
}

static void expect_layers(const char *data, const char *want)
{
        _cleanup_free_ char *got = layers_of(data);
        ck_assert_msg(STREQ(got, want), "%s: got \"%s\", want \"%s\"", data, got, want);
}

START_TEST(test_a_final_backslash_ends_the_last_option_and_is_dropped)
{
        /* the attack of atk-14: the loop stepped past the end and never
         * read the last option; the kernel opens /etc/x */
        expect_layers("lowerdir=/l,workdir=/w,upperdir=/etc/x\\", "L:/l|W:/w|U:/etc/x");
        expect_layers("upperdir=/etc/x\\", "U:/etc/x");
        /* an escaped backslash at the end is one backslash of the name */
        expect_layers("upperdir=/u\\\\", "U:/u\\");
        /* and a lone one is nothing: the kernel refuses an empty layer */
        expect_layers("upperdir=\\", "");
}
END_TEST

START_TEST(test_an_escaped_comma_stays_in_its_option_and_is_unescaped)
{
        expect_layers("lowerdir=/l,upperdir=/u\\,x,workdir=/w", "L:/l|U:/u,x|W:/w");
        /* the escaped comma is no separator: ",upperdir=" stays a name */
        expect_layers("workdir=/w\\,upperdir=/etc", "W:/w,upperdir=/etc");
        expect_layers("workdir=/w\\\\,upperdir=/etc", "W:/w\\|U:/etc");
}
END_TEST

START_TEST(test_lowerdir_splits_at_colons_not_escaped_and_unescapes_each_layer)
{
        expect_layers("lowerdir=/a\\:b:/c", "L:/a:b|L:/c");
        /* data-only layers after "::" are layers too */
        expect_layers("lowerdir=/a::/d1::/d2", "L:/a|L:/d1|L:/d2");
        /* an escaped backslash before a colon: the colon separates */
        expect_layers("lowerdir=/a\\\\:/b", "L:/a\\|L:/b");
        /* any escaped character is kept, the backslash dropped */
        expect_layers("lowerdir=/e\\tc", "L:/etc");
        /* a backslash at the very end of the list is dropped */
        expect_layers("lowerdir=/a:/etc\\", "L:/a|L:/etc");
        expect_layers("lowerdir=", "");
}
END_TEST

START_TEST(test_lowerdir_plus_and_datadir_plus_are_taken_as_written)
{
        /* ovl_mount_dir_noesc: no unescaping at all */
        expect_layers("lowerdir+=/d/a\\b", "L:/d/a\\b");
        expect_layers("datadir+=/d/a\\:b", "L:/d/a\\:b");
        /* the comma split still honours the escape, and keeps it */
        expect_layers("lowerdir+=/x\\,y,upperdir=/u", "L:/x\\,y|U:/u");
        /* a final backslash stays in the name */
        expect_layers("lowerdir+=/x\\", "L:/x\\");
}
END_TEST

START_TEST(test_upperdir_and_workdir_are_unescaped)
{
        expect_layers("upperdir=/u\\:x,workdir=/w\\=y", "U:/u:x|W:/w=y");
        expect_layers("upperdir=/e\\t\\c", "U:/etc");
}
END_TEST

START_TEST(test_keys_are_matched_exactly_and_empty_options_skipped)
{
        expect_layers(",,upperdir=/u,,", "U:/u");
        expect_layers("Upperdir=/etc,upperdir =/etc, upperdir=/etc,=upperdir=/etc", "");
        expect_layers("upperdir=/u=v", "U:/u=v");
        expect_layers("lowerdir+x=/etc,lowerdirs=/etc,upperdir", "");
        /* the first "=" ends the key, escaped or not */
        expect_layers("upper\\=dir=/etc", "");
}
END_TEST

START_TEST(test_each_layer_names_the_option_it_came_from)
{
        const char *data = "ro,lowerdir=/a:/b,upperdir=/u\\,v,workdir=/w";
        size_t offsets[] = {0, 3, 18, 32};
        _cleanup_(overlay_layers_done) struct overlay_layers l = {0};

        ck_assert_int_eq(overlay_layers_parse(&l, data, offsets, ARRAY_SIZE(offsets)), 0);
        ck_assert_uint_eq(l.n, 4);
        ck_assert_uint_eq(l.v[0].opt, 1);
        ck_assert_uint_eq(l.v[1].opt, 1);
        ck_assert_str_eq(l.v[2].path, "/u,v");
        ck_assert_uint_eq(l.v[2].opt, 2);
        ck_assert_uint_eq(l.v[3].opt, 3);
}
END_TEST

/* --- what the rules make of them -------------------------------------------- */

static struct eval eval_overlay(const char *options_json)
{
        struct policy *p = builtin_policy();
        _cleanup_free_ char *json = NULL;
        struct eval ev = {0};

        ck_assert(asprintf(&json,
                           "{\"mounts\":[{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\"},"
                           "{\"destination\":\"/o\",\"type\":\"overlay\",\"source\":\"overlay\",\"options\":%s}]}",
                           options_json) > 0);
        struct spec *s = parse_spec(json);
        s->bundle = strdup("/nonexistent-bundle");
        evaluate(p, s, CHECK_CONFIG, &ev);
        spec_free(s);
        policy_free(p);
        return ev;
}

static const struct finding *find_at(const struct eval *ev, const char *rule, const char *pointer)
{
        for (size_t i = 0; i < ev->n; i++)
                if (STREQ(ev->findings[i].rule, rule) && STREQ(ev->findings[i].pointer, pointer))
                        return &ev->findings[i];
        return NULL;
}

START_TEST(test_an_option_ending_in_an_escaping_backslash_is_spec_invalid)
{
        struct eval ev = eval_overlay("[\"lowerdir=/tmp\",\"upperdir=/tmp/x\\\\\",\"ro\"]");
        const struct finding *f = find_at(&ev, "spec-invalid", "/mounts/1/options/1");
        ck_assert_ptr_nonnull(f);
        ck_assert_int_eq(f->action, ACTION_DENY);
        ck_assert_msg(strstr(f->message, "escapes"), "%s", f->message);
        eval_done(&ev);
        /* last, too: the kernel would drop it */
        ev = eval_overlay("[\"lowerdir=/tmp\",\"upperdir=/tmp/x\\\\\"]");
        ck_assert_ptr_nonnull(find_at(&ev, "spec-invalid", "/mounts/1/options/1"));
        eval_done(&ev);
        /* an even run is escaped backslashes: a name, not an escape */
        ev = eval_overlay("[\"lowerdir=/tmp\",\"upperdir=/tmp/x\\\\\\\\\"]");
        ck_assert_ptr_null(find_at(&ev, "spec-invalid", "/mounts/1/options/1"));
        eval_done(&ev);
}
END_TEST

/* Two options, "lowerdir=/tmp///..." and "upperdir=/tmp/u", joined by
 * runc into exactly total bytes of mount data. */
static char *options_of_length(size_t total)
{
        const char *upper = "upperdir=/tmp/u";
        size_t lower_len = total - 1 - strlen(upper);
        char *json = malloc(total + 16);
        size_t k = (size_t)sprintf(json, "[\"lowerdir=/tmp");

        while (k - 2 < lower_len)
                json[k++] = '/';
        sprintf(json + k, "\",\"%s\"]", upper);
        ck_assert_uint_eq(strlen(json), total + 6);
        return json;
}

START_TEST(test_options_longer_than_mount_data_are_spec_invalid)
{
        /* mount(2) copies one page and makes its last byte NUL: the kernel
         * reads page - 1 bytes, and a layer cut there is another path */
        size_t page = (size_t)sysconf(_SC_PAGESIZE);
        _cleanup_free_ char *too_long = options_of_length(page), *fits = options_of_length(page - 1);
        struct eval ev = eval_overlay(too_long);
        const struct finding *f = find_at(&ev, "spec-invalid", "/mounts/1/options");
        ck_assert_ptr_nonnull(f);
        ck_assert_msg(strstr(f->message, "mount(2) passes the kernel at most"), "%s", f->message);
        eval_done(&ev);
        ev = eval_overlay(fits);
        ck_assert_ptr_null(find_at(&ev, "spec-invalid", "/mounts/1/options"));
        eval_done(&ev);
}
END_TEST

START_TEST(test_a_lowerdir_plus_with_a_backslash_is_judged_as_the_kernel_opens_it)
{
        char link[128], opts[256];
        make_tmpdir();
        /* "a\b" is a link to /etc; "ab" (what unescaping would give) is harmless */
        snprintf(link, sizeof(link), "%s/a\\b", tmpdir);
        ck_assert_int_eq(symlink("/etc", link), 0);
        snprintf(link, sizeof(link), "%s/ab", tmpdir);
        ck_assert_int_eq(mkdir(link, 0755), 0);
        snprintf(opts, sizeof(opts), "[\"lowerdir+=%s/a\\\\b\"]", tmpdir);
        struct eval ev = eval_overlay(opts);
        const struct finding *f = find_at(&ev, "sensitive-mount", "/mounts/1/options/0");
        ck_assert_ptr_nonnull(f);
        ck_assert_msg(strstr(f->message, "the host's /etc"), "%s", f->message);
        eval_done(&ev);
        /* the same name as a lowerdir= layer is unescaped: "ab" */
        snprintf(opts, sizeof(opts), "[\"lowerdir=%s/a\\\\b\"]", tmpdir);
        ev = eval_overlay(opts);
        ck_assert_ptr_null(find(&ev, "sensitive-mount"));
        eval_done(&ev);
}
END_TEST

static Suite *overlay_layers_suite(void)
{
        Suite *s = suite_create("overlay-layers");
        TCase *tc = tcase_create("core");
        tcase_add_checked_fixture(tc, NULL, remove_tmpdir);
        tcase_add_test(tc, test_a_final_backslash_ends_the_last_option_and_is_dropped);
        tcase_add_test(tc, test_an_escaped_comma_stays_in_its_option_and_is_unescaped);
        tcase_add_test(tc, test_lowerdir_splits_at_colons_not_escaped_and_unescapes_each_layer);
        tcase_add_test(tc, test_lowerdir_plus_and_datadir_plus_are_taken_as_written);
        tcase_add_test(tc, test_upperdir_and_workdir_are_unescaped);
        tcase_add_test(tc, test_keys_are_matched_exactly_and_empty_options_skipped);
        tcase_add_test(tc, test_each_layer_names_the_option_it_came_from);
        tcase_add_test(tc, test_an_option_ending_in_an_escaping_backslash_is_spec_invalid);
        tcase_add_test(tc, test_options_longer_than_mount_data_are_spec_invalid);
        tcase_add_test(tc, test_a_lowerdir_plus_with_a_backslash_is_judged_as_the_kernel_opens_it);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(overlay_layers_suite)
