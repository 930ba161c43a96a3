/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdint.h>

#include "json.h"
#include "testutil.h"

static struct jdoc *must_parse(const char *s, size_t len)
{
        rh_error_t err = RH_ERROR_INIT;
        struct jdoc *d = NULL;
        ck_assert_msg(jdoc_parse(s, len, &d, &err) == 0, "%s", rh_error_msg(&err));
        return d;
}

static void expect_parse_error(const char *s, size_t len, const char *want)
{
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        struct jdoc *d = NULL;
        ck_assert_msg(jdoc_parse(s, len, &d, &err) < 0, "parsed: %s", s);
        ck_assert_msg(strstr(rh_error_msg(&err), want), "\"%s\" lacks \"%s\"", rh_error_msg(&err), want);
}

static char *roundtrip(const char *s)
{
        rh_error_t err = RH_ERROR_INIT;
        _cleanup_jdoc_ struct jdoc *d = must_parse(s, strlen(s));
        char *out = NULL;
        ck_assert_int_eq(jv_serialize(d->root, false, &out, NULL, &err), 0);
        return out;
}

START_TEST(test_number_spellings_survive_a_roundtrip)
{
        const char *in = "{\"a\":18446744073709551615,\"b\":1.50e+3,\"c\":-0,\"d\":100000000000000000000000}";
        _cleanup_free_ char *out = roundtrip(in);
        ck_assert_str_eq(out, in);
}
END_TEST

START_TEST(test_key_order_and_unknown_fields_survive_a_roundtrip)
{
        const char *in = "{\"z\":1,\"a\":{\"x-custom\":[true,false,null,\"s\"]},\"m\":{}}";
        _cleanup_free_ char *out = roundtrip(in);
        ck_assert_str_eq(out, in);
}
END_TEST

START_TEST(test_key_with_embedded_nul_is_kept_whole)
{
        const char in[] = "{\"namespaces\\u0000x\":1}";
        _cleanup_jdoc_ struct jdoc *d = must_parse(in, sizeof(in) - 1);
        ck_assert_uint_eq(d->root->u.obj.m[0].keylen, 12);
        ck_assert_ptr_null(jv_get(d->root, "namespaces"));
        rh_error_t err = RH_ERROR_INIT;
        _cleanup_free_ char *out = NULL;
        ck_assert_int_eq(jv_serialize(d->root, false, &out, NULL, &err), 0);
        ck_assert_str_eq(out, in);
}
END_TEST

START_TEST(test_lookup_is_exact_and_never_folds)
{
        _cleanup_jdoc_ struct jdoc *d = must_parse("{\"PROCESS\":{},\"process\":{\"NoNewPrivileges\":true}}", 49);
        struct jv *p = jv_get(d->root, "process");
        ck_assert_ptr_nonnull(p);
        ck_assert_ptr_eq(p, d->root->u.obj.m[1].val);
        ck_assert_ptr_null(jv_get(p, "noNewPrivileges"));
        ck_assert_ptr_null(jv_get(d->root, "Process"));
}
END_TEST

START_TEST(test_put_replaces_only_the_exact_member)
{
        _cleanup_jdoc_ struct jdoc *d = must_parse("{\"Linux\":1}", 11);
        ck_assert_int_eq(jv_obj_put(d, d->root, "linux", jv_new_int(d, 2)), 0);
        ck_assert_uint_eq(d->root->u.obj.n, 2);
        ck_assert_str_eq(d->root->u.obj.m[0].key, "Linux");
        ck_assert_str_eq(d->root->u.obj.m[1].key, "linux");
        ck_assert_int_eq(jv_obj_put(d, d->root, "linux", jv_new_int(d, 3)), 0);
        ck_assert_uint_eq(d->root->u.obj.n, 2);
        ck_assert_str_eq(jv_get(d->root, "linux")->u.str.s, "3");
        ck_assert_str_eq(jv_get(d->root, "Linux")->u.str.s, "1");
}
END_TEST

START_TEST(test_null_reads_as_absent)
{
        _cleanup_jdoc_ struct jdoc *d = must_parse("{\"linux\":null}", 14);
        ck_assert_ptr_null(jv_get(d->root, "linux"));
}
END_TEST

/* A fix writes the exact name; it never writes through a member that
 * merely folds alike (the loader refuses such members in a spec anyway). */
START_TEST(test_put_writes_the_exact_name_beside_a_folded_member)
{
        _cleanup_jdoc_ struct jdoc *d = must_parse("{\"Readonly\":false}", 18);
        ck_assert_int_eq(jv_obj_put(d, d->root, "readonly", jv_new_bool(d, true)), 0);
        rh_error_t err = RH_ERROR_INIT;
        _cleanup_free_ char *out = NULL;
        ck_assert_int_eq(jv_serialize(d->root, false, &out, NULL, &err), 0);
        ck_assert_str_eq(out, "{\"Readonly\":false,\"readonly\":true}");
}
END_TEST

START_TEST(test_malformed_inputs_are_refused_with_a_position)
{
        expect_parse_error("", 0, "");
        expect_parse_error("{\"a\":1", 6, "malformed JSON");
        expect_parse_error("{\"a\":1} x", 9, "malformed JSON at line 1");
        expect_parse_error("{\"a\":1}{}", 9, "malformed JSON");
        expect_parse_error("{/* c */\"a\":1}", 14, "malformed JSON");
        expect_parse_error("{\"a\":\"\xff\"}", 9, "malformed JSON");
        expect_parse_error("{\"a\":1,}", 8, "malformed JSON");
        expect_parse_error("{\"a\":01}", 8, "malformed JSON");
        expect_parse_error("{\"a\"\0:1}", 8, "malformed JSON");
        expect_parse_error("{\n\"a\":\n tru}", 12, "line 3");
}
END_TEST

START_TEST(test_utf8_that_go_would_replace_is_refused)
{
        /* overlong, encoded surrogate, past U+10FFFF, in a value and a key */
        expect_parse_error("{\"a\":\"/run/docker\xc0\xaesock\"}", strlen("{\"a\":\"/run/docker\xc0\xaesock\"}"),
                           "invalid UTF-8");
        expect_parse_error("{\"a\":\"\xed\xa0\x80\"}", strlen("{\"a\":\"\xed\xa0\x80\"}"), "invalid UTF-8");
        expect_parse_error("{\"a\":\"\xf4\x90\x80\x80\"}", strlen("{\"a\":\"\xf4\x90\x80\x80\"}"), "invalid UTF-8");
        expect_parse_error("{\"\xe0\x80\xaf\":1}", strlen("{\"\xe0\x80\xaf\":1}"), "invalid UTF-8");
        /* escaped lone surrogates: yajl would give "?", Go U+FFFD */
        expect_parse_error("{\"a\":\"\\ud800\"}", strlen("{\"a\":\"\\ud800\"}"), "lone UTF-16 surrogate");
        expect_parse_error("{\"a\":\"x\\udc00\"}", strlen("{\"a\":\"x\\udc00\"}"), "lone UTF-16 surrogate");
        /* a proper pair and ordinary multi-byte text pass */
        _cleanup_jdoc_ struct jdoc *d = must_parse("{\"a\":\"\\ud83d\\ude00 \xe2\x82\xac\"}",
                                                   strlen("{\"a\":\"\\ud83d\\ude00 \xe2\x82\xac\"}"));
        ck_assert_str_eq(d->root->u.obj.m[0].val->u.str.s, "\xf0\x9f\x98\x80 \xe2\x82\xac");
}
END_TEST

START_TEST(test_empty_document_is_refused)
{
        expect_parse_error("   ", 3, "empty document");
}
END_TEST

START_TEST(test_deep_nesting_is_refused_not_crashed)
{
        size_t n = 100000;
        _cleanup_free_ char *s = malloc(2 * n);
        memset(s, '[', n);
        memset(s + n, ']', n);
        expect_parse_error(s, 2 * n, "nested deeper than");
}
END_TEST

START_TEST(test_integers_follow_go_ranges)
{
        _cleanup_jdoc_ struct jdoc *d =
                must_parse("[9223372036854775807,-9223372036854775808,9223372036854775808,1.5,1e3,"
                           "18446744073709551615,18446744073709551616,-1]",
                           strlen("[9223372036854775807,-9223372036854775808,9223372036854775808,1.5,1e3,"
                                  "18446744073709551615,18446744073709551616,-1]"));
        struct jv **v = d->root->u.arr.v;
        int64_t i;
        uint64_t u;
        ck_assert_int_eq(jv_int64(v[0], &i), 0);
        ck_assert(i == INT64_MAX);
        ck_assert_int_eq(jv_int64(v[1], &i), 0);
        ck_assert(i == INT64_MIN);
        ck_assert_int_eq(jv_int64(v[2], &i), -ERANGE);
        ck_assert_int_eq(jv_int64(v[3], &i), -EINVAL);
        ck_assert_int_eq(jv_int64(v[4], &i), -EINVAL);
        ck_assert_int_eq(jv_uint64(v[5], &u), 0);
        ck_assert(u == UINT64_MAX);
        ck_assert_int_eq(jv_uint64(v[6], &u), -ERANGE);
        ck_assert_int_eq(jv_uint64(v[7], &u), -ERANGE);
}
END_TEST

START_TEST(test_pointer_escapes_slash_and_tilde)
{
        _cleanup_jdoc_ struct jdoc *d = must_parse("{\"a/b\":{\"c~d\":[0,{\"e\":1}]}}", 27);
        struct jv *e = jv_get(jv_get(d->root, "a/b")->u.obj.m[0].val->u.arr.v[1], "e");
        _cleanup_free_ char *p = jv_pointer(e);
        ck_assert_str_eq(p, "/a~1b/c~0d/1/e");
}
END_TEST

static Suite *json_suite(void)
{
        Suite *s = suite_create("json");
        TCase *tc = tcase_create("core");
        tcase_add_test(tc, test_number_spellings_survive_a_roundtrip);
        tcase_add_test(tc, test_key_order_and_unknown_fields_survive_a_roundtrip);
        tcase_add_test(tc, test_key_with_embedded_nul_is_kept_whole);
        tcase_add_test(tc, test_lookup_is_exact_and_never_folds);
        tcase_add_test(tc, test_put_replaces_only_the_exact_member);
        tcase_add_test(tc, test_null_reads_as_absent);
        tcase_add_test(tc, test_put_writes_the_exact_name_beside_a_folded_member);
        tcase_add_test(tc, test_malformed_inputs_are_refused_with_a_position);
        tcase_add_test(tc, test_empty_document_is_refused);
        tcase_add_test(tc, test_utf8_that_go_would_replace_is_refused);
        tcase_add_test(tc, test_deep_nesting_is_refused_not_crashed);
        tcase_add_test(tc, test_integers_follow_go_ranges);
        tcase_add_test(tc, test_pointer_escapes_slash_and_tilde);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(json_suite)
