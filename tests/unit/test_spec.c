/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

#define EXPECT_DUPLICATE(json) expect_spec_error(json, strlen(json), SPEC_CONFIG, "runc would read only one")
#define EXPECT_FOLDED(json) expect_spec_error(json, strlen(json), SPEC_CONFIG, "could be taken for the field")

START_TEST(test_duplicate_top_level_keys_are_ambiguous)
{
        EXPECT_DUPLICATE("{\"process\":{},\"process\":{}}");
}
END_TEST

START_TEST(test_case_variants_of_a_field_are_refused)
{
        EXPECT_FOLDED("{\"linux\":{},\"Linux\":{}}");
        EXPECT_FOLDED("{\"linux\":{\"namespaces\":[],\"NAMESPACES\":[]}}");
}
END_TEST

START_TEST(test_unicode_folds_of_a_field_are_refused)
{
        /* mount + long s, hoo + Kelvin sign + s */
        EXPECT_FOLDED("{\"mounts\":[],\"mount\xc5\xbf\":[]}");
        EXPECT_FOLDED("{\"hooks\":{},\"hoo\xe2\x84\xaas\":{}}");
        EXPECT_FOLDED("{\"process\":{\"user\":{\"uid\":0,\"u\xc4\xb1"
                      "d\":1}}}");
}
END_TEST

START_TEST(test_folded_keys_inside_arrays_of_objects_are_found)
{
        EXPECT_FOLDED("{\"mounts\":[{\"source\":\"/a\"},{\"source\":\"/b\",\"Source\":\"/c\"}]}");
}
END_TEST

START_TEST(test_the_message_points_at_the_object_and_names_key_and_field)
{
        expect_spec_error("{\"linux\":{\"namespaces\":[],\"NameSpaces\":[]}}", 43, SPEC_CONFIG,
                          "/linux: the key \"NameSpaces\" could be taken for the field \"namespaces\" (specs.Linux)");
}
END_TEST

START_TEST(test_map_keys_may_differ_in_case_but_not_repeat)
{
        _cleanup_spec_ struct spec *s = parse_spec("{\"annotations\":{\"a\":\"1\",\"A\":\"2\"},"
                                                   "\"linux\":{\"sysctl\":{\"net.x\":\"1\",\"NET.x\":\"2\"}}}");
        expect_spec_error("{\"annotations\":{\"a\":\"1\",\"a\":\"2\"}}", 33, SPEC_CONFIG, "duplicate keys");
}
END_TEST

START_TEST(test_a_nul_in_a_key_is_not_a_field_and_not_a_collision)
{
        const char j[] = "{\"linux\":{\"namespaces\\u0000x\":[],\"namespaces\":[{\"type\":\"pid\"}]}}";
        _cleanup_spec_ struct spec *s = parse_spec(j);
        ck_assert_uint_eq(jv_get(jv_get(s->root, "linux"), "namespaces")->u.arr.n, 1);
}
END_TEST

START_TEST(test_a_nul_key_alone_hides_no_field)
{
        _cleanup_spec_ struct spec *s = parse_spec("{\"linux\":{\"namespaces\\u0000x\":[]}}");
        ck_assert_ptr_null(jv_get(jv_get(s->root, "linux"), "namespaces"));
}
END_TEST

START_TEST(test_non_object_document_is_refused)
{
        expect_spec_error("[1]", 3, SPEC_CONFIG, "not an object");
}
END_TEST

START_TEST(test_oversized_document_is_refused_before_parsing)
{
        size_t n = SPEC_MAX_SIZE + 10;
        _cleanup_free_ char *buf = malloc(n);
        memset(buf, ' ', n);
        buf[0] = '{';
        buf[n - 1] = '}';
        expect_spec_error(buf, n, SPEC_CONFIG, "larger than the limit");
}
END_TEST

START_TEST(test_process_document_is_wrapped_and_pointers_stay_relative)
{
        _cleanup_spec_ struct spec *s = parse_spec_kind("{\"args\":[\"sh\"],\"noNewPrivileges\":false}", SPEC_PROCESS);
        struct jv *p = jv_get(s->root, "process");
        ck_assert_ptr_nonnull(p);
        _cleanup_free_ char *ptr = spec_pointer(s, jv_get(p, "noNewPrivileges"), NULL);
        ck_assert_str_eq(ptr, "/noNewPrivileges");
        expect_spec_error("{\"args\":[],\"ARGS\":[]}", 21, SPEC_PROCESS, "/: the key \"ARGS\" could be taken");
}
END_TEST

START_TEST(test_resources_document_is_wrapped)
{
        _cleanup_spec_ struct spec *s = parse_spec_kind("{\"pids\":{\"limit\":5}}", SPEC_RESOURCES);
        struct jv *r = jv_get(jv_get(s->root, "linux"), "resources");
        ck_assert_ptr_nonnull(jv_get(r, "pids"));
        _cleanup_free_ char *ptr = spec_pointer(s, jv_get(jv_get(r, "pids"), "limit"), NULL);
        ck_assert_str_eq(ptr, "/pids/limit");
}
END_TEST

static int dirfd_of_tmp(void)
{
        return open(tmpdir, O_RDONLY | O_DIRECTORY);
}

static void write_at(const char *name, const char *content, mode_t mode)
{
        char p[128];
        snprintf(p, sizeof(p), "%s/%s", tmpdir, name);
        int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, mode);
        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(write(fd, content, strlen(content)), (ssize_t)strlen(content));
        close(fd);
        chmod(p, mode);
}

START_TEST(test_config_that_is_a_symlink_fifo_or_directory_is_refused)
{
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        _cleanup_spec_ struct spec *s = NULL;
        char p[128];

        make_tmpdir();
        write_at("real.json", "{}", 0644);
        snprintf(p, sizeof(p), "%s/link.json", tmpdir);
        ck_assert_int_eq(symlink("real.json", p), 0);
        snprintf(p, sizeof(p), "%s/fifo.json", tmpdir);
        ck_assert_int_eq(mkfifo(p, 0644), 0);
        snprintf(p, sizeof(p), "%s/dir.json", tmpdir);
        ck_assert_int_eq(mkdir(p, 0755), 0);
        int dfd = dirfd_of_tmp();
        ck_assert_int_lt(spec_load_at(dfd, "link.json", SPEC_CONFIG, &s, NULL, &err), 0);
        ck_assert_ptr_nonnull(strstr(rh_error_msg(&err), "symbolic link"));
        ck_assert_int_lt(spec_load_at(dfd, "fifo.json", SPEC_CONFIG, &s, NULL, &err), 0);
        ck_assert_ptr_nonnull(strstr(rh_error_msg(&err), "not a regular file"));
        ck_assert_int_lt(spec_load_at(dfd, "dir.json", SPEC_CONFIG, &s, NULL, &err), 0);
        ck_assert_int_lt(spec_load_at(dfd, "missing.json", SPEC_CONFIG, &s, NULL, &err), 0);
        ck_assert_int_eq(err.code, ENOENT);
        ck_assert_int_eq(spec_load_at(dfd, "real.json", SPEC_CONFIG, &s, NULL, &err), 0);
        close(dfd);
}
END_TEST

START_TEST(test_atomic_write_replaces_the_file_keeping_its_mode_and_leaves_no_temp)
{
        rh_error_t err = RH_ERROR_INIT;
        struct stat st;
        char p[128];

        make_tmpdir();
        write_at("config.json", "{\"old\":1}", 0640);
        int dfd = dirfd_of_tmp();
        ck_assert_int_eq(fstatat(dfd, "config.json", &st, 0), 0);
        ck_assert_int_eq(spec_write_atomic(dfd, "config.json", "{\"new\":2}", 9, &st, &err), 0);
        snprintf(p, sizeof(p), "%s/config.json", tmpdir);
        _cleanup_free_ char *content = read_file(p, NULL);
        ck_assert_str_eq(content, "{\"new\":2}");
        struct stat after;
        ck_assert_int_eq(stat(p, &after), 0);
        ck_assert_uint_eq(after.st_mode & 07777, 0640);
        ck_assert_uint_ne(after.st_ino, st.st_ino);
        char cmd[160];
        snprintf(cmd, sizeof(cmd), "test $(ls -A %s | wc -l) -eq 1", tmpdir);
        ck_assert_int_eq(system(cmd), 0);
        close(dfd);
}
END_TEST

START_TEST(test_atomic_write_failure_leaves_the_original_untouched)
{
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        char p[128];

        make_tmpdir();
        write_at("config.json", "{\"old\":1}", 0644);
        int dfd = dirfd_of_tmp();
        /* Renaming onto a directory fails after the temporary file exists. */
        snprintf(p, sizeof(p), "%s/sub", tmpdir);
        ck_assert_int_eq(mkdir(p, 0755), 0);
        snprintf(p, sizeof(p), "%s/sub/x", tmpdir);
        write_at("sub/x", "", 0644);
        ck_assert_int_lt(spec_write_atomic(dfd, "sub", "{}", 2, NULL, &err), 0);
        snprintf(p, sizeof(p), "%s/config.json", tmpdir);
        _cleanup_free_ char *content = read_file(p, NULL);
        ck_assert_str_eq(content, "{\"old\":1}");
        char cmd[160];
        snprintf(cmd, sizeof(cmd), "test $(ls -A %s | wc -l) -eq 2", tmpdir);
        ck_assert_msg(system(cmd) == 0, "a temporary file was left behind");
        close(dfd);
}
END_TEST

/* A fixed spec is written back as the engine wrote it: one line from
 * Docker and containerd, indented from `runc spec`. */
START_TEST(test_the_layout_of_the_file_is_remembered)
{
        static const struct {
                const char *json;
                bool pretty;
        } cases[] = {
                {"{\"process\":{}}", false},
                {"{\"process\":{}}\n", false},
                {"{\n  \"process\": {}\n}\n", true},
                {"{\"a\":\"x\",\n\"process\":{}}", true},
        };
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                _cleanup_spec_ struct spec *sp = NULL;
                rh_error_t err = RH_ERROR_INIT;
                ck_assert_int_eq(spec_parse(cases[i].json, strlen(cases[i].json), SPEC_CONFIG, &sp, &err), 0);
                ck_assert_msg(sp->pretty == cases[i].pretty, "case %zu", i);
                _cleanup_free_ char *out = NULL;
                size_t len = 0;
                ck_assert_int_eq(spec_serialize(sp, sp->pretty, &out, &len, &err), 0);
                ck_assert_msg((memchr(out, '\n', len ? len - 1 : 0) != NULL) == cases[i].pretty, "case %zu: %s", i,
                              out);
        }
}
END_TEST

static Suite *spec_suite(void)
{
        Suite *s = suite_create("spec");
        TCase *tc = tcase_create("loader");
        tcase_add_test(tc, test_duplicate_top_level_keys_are_ambiguous);
        tcase_add_test(tc, test_case_variants_of_a_field_are_refused);
        tcase_add_test(tc, test_unicode_folds_of_a_field_are_refused);
        tcase_add_test(tc, test_folded_keys_inside_arrays_of_objects_are_found);
        tcase_add_test(tc, test_the_message_points_at_the_object_and_names_key_and_field);
        tcase_add_test(tc, test_map_keys_may_differ_in_case_but_not_repeat);
        tcase_add_test(tc, test_a_nul_in_a_key_is_not_a_field_and_not_a_collision);
        tcase_add_test(tc, test_a_nul_key_alone_hides_no_field);
        tcase_add_test(tc, test_non_object_document_is_refused);
        tcase_add_test(tc, test_oversized_document_is_refused_before_parsing);
        tcase_add_test(tc, test_process_document_is_wrapped_and_pointers_stay_relative);
        tcase_add_test(tc, test_resources_document_is_wrapped);
        tcase_add_test(tc, test_the_layout_of_the_file_is_remembered);
        suite_add_tcase(s, tc);
        TCase *io = tcase_create("files");
        tcase_add_checked_fixture(io, NULL, remove_tmpdir);
        tcase_add_test(io, test_config_that_is_a_symlink_fifo_or_directory_is_refused);
        tcase_add_test(io, test_atomic_write_replaces_the_file_keeping_its_mode_and_leaves_no_temp);
        tcase_add_test(io, test_atomic_write_failure_leaves_the_original_untouched);
        suite_add_tcase(s, io);
        return s;
}

RUN_SUITE(spec_suite)
