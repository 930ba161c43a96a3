/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "report.h"
#include "testutil.h"
#include "util.h"

/* rh_escape: what every text output of runc-harden does to a name before
 * it is shown, and what JSON outputs do to bytes that are not UTF-8. */

static void expect_escaped(const char *in, escape_mode_t mode, const char *want)
{
        _cleanup_free_ char *got = rh_escape(in, mode);
        ck_assert_ptr_nonnull(got);
        ck_assert_msg(strcmp(got, want) == 0, "escaping \"%s\": got \"%s\", want \"%s\"", in, got, want);
        ck_assert_int_eq(rh_escape_needed(in, mode), strcmp(in, want) != 0);
}

START_TEST(test_printable_text_and_utf8_stay_as_they_are)
{
        expect_escaped("", ESCAPE_TEXT, "");
        expect_escaped("/var/lib/docker: binds /etc (read-only)", ESCAPE_TEXT,
                       "/var/lib/docker: binds /etc (read-only)");
        expect_escaped("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xb3", ESCAPE_TEXT,
                       "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xb3");
        expect_escaped("say \"hi\"", ESCAPE_TEXT, "say \"hi\"");
}
END_TEST

START_TEST(test_the_forged_terminal_line_is_shown_escaped)
{
        /* ESC [2K erases the line, CR returns to its start: the denial would
         * vanish and a green "allowed" stand in its place. */
        expect_escaped("/tmp/x\x1b[2K\r\x1b[32mrunc-harden: allowed\x1b[0m\n", ESCAPE_TEXT,
                       "/tmp/x\\x1b[2K\\r\\x1b[32mrunc-harden: allowed\\x1b[0m\\n");
        expect_escaped("a\tb\x7f\x01\x1f", ESCAPE_TEXT, "a\\tb\\x7f\\x01\\x1f");
}
END_TEST

START_TEST(test_the_backslash_is_doubled_so_that_escapes_are_not_ambiguous)
{
        expect_escaped("C:\\x1b", ESCAPE_TEXT, "C:\\\\x1b");
        expect_escaped("\\", ESCAPE_QUOTED, "\\\\");
}
END_TEST

START_TEST(test_bytes_that_are_not_utf8_are_shown_as_hex)
{
        expect_escaped("a\xff/", ESCAPE_TEXT, "a\\xff/");
        expect_escaped("\xc3", ESCAPE_TEXT, "\\xc3");                            /* truncated */
        expect_escaped("\xc0\x80", ESCAPE_TEXT, "\\xc0\\x80");                   /* overlong NUL */
        expect_escaped("\xed\xa0\x80", ESCAPE_TEXT, "\\xed\\xa0\\x80");          /* a surrogate */
        expect_escaped("\xf4\x90\x80\x80", ESCAPE_TEXT, "\\xf4\\x90\\x80\\x80"); /* past U+10FFFF */
        expect_escaped("\xe2\x82", ESCAPE_TEXT, "\\xe2\\x82");
}
END_TEST

START_TEST(test_c1_controls_and_bidi_overrides_are_shown_as_code_points)
{
        expect_escaped("a\xc2\x9b[31m", ESCAPE_TEXT, "a\\u009b[31m");     /* 8-bit CSI */
        expect_escaped("x\xe2\x80\xae.exe", ESCAPE_TEXT, "x\\u202e.exe"); /* RIGHT-TO-LEFT OVERRIDE */
        expect_escaped("\xe2\x80\xa8", ESCAPE_TEXT, "\\u2028");
        expect_escaped("\xef\xbb\xbf", ESCAPE_TEXT, "\\ufeff");
}
END_TEST

START_TEST(test_quoted_mode_escapes_the_quote_for_logrus_text)
{
        expect_escaped("msg \"x\"\n", ESCAPE_QUOTED, "msg \\\"x\\\"\\n");
        expect_escaped("msg \"x\"", ESCAPE_TEXT, "msg \"x\"");
}
END_TEST

START_TEST(test_json_mode_changes_only_what_is_not_utf8)
{
        /* yajl escapes controls itself (\u001b) and refuses invalid UTF-8. */
        expect_escaped("a\x1b\n\\\"", ESCAPE_JSON, "a\x1b\n\\\"");
        expect_escaped("/b\xff\xc0\x80", ESCAPE_JSON, "/b\\xff\\xc0\\x80");
        expect_escaped("\xc2\x9b", ESCAPE_JSON, "\xc2\x9b");
}
END_TEST

START_TEST(test_the_utf8_decoder_reads_code_points_as_go_does)
{
        uint32_t cp = 0;
        ck_assert_uint_eq(rh_utf8_next((const unsigned char *)"\xf0\x9f\x90\xb3", 4, &cp), 4);
        ck_assert_uint_eq(cp, 0x1F433);
        ck_assert_uint_eq(rh_utf8_next((const unsigned char *)"\xf0\x9f\x90\xb3", 3, &cp), 0);
        ck_assert_uint_eq(rh_utf8_next((const unsigned char *)"\xe0\x9f\xbf", 3, &cp), 0); /* overlong */
        ck_assert_uint_eq(rh_utf8_next((const unsigned char *)"\xed\x9f\xbf", 3, &cp), 3);
        ck_assert_uint_eq(cp, 0xD7FF);
        ck_assert_uint_eq(rh_utf8_next((const unsigned char *)"\x80", 1, &cp), 0);
        ck_assert_uint_eq(rh_utf8_next((const unsigned char *)"\xf5\x80\x80\x80", 4, &cp), 0);
}
END_TEST

START_TEST(test_every_byte_escapes_to_printable_ascii_or_valid_utf8)
{
        char in[2] = {0};
        for (int b = 1; b < 256; b++) {
                in[0] = (char)b;
                _cleanup_free_ char *e = rh_escape(in, ESCAPE_TEXT);
                ck_assert_ptr_nonnull(e);
                for (const unsigned char *p = (const unsigned char *)e; *p; p++)
                        ck_assert_msg(*p >= 0x20 && *p < 0x7f, "byte %02x escapes to a raw %02x", b, *p);
        }
}
END_TEST

/* A finding whose message quotes a name that carries a newline and a
 * forged item line. */
static void forged_eval(struct eval *ev)
{
        eval_add(ev, "sensitive-mount", "HOST-2", ACTION_DENY, false, strdup("/mounts/0/source"),
                 strdup("binds /tmp/x\nother.json: allow\n  deny   x\r\x1b[2K, which is /etc"));
}

START_TEST(test_a_text_report_cannot_be_given_a_forged_line)
{
        _cleanup_eval_ struct eval ev = {0};
        _cleanup_free_ char *buf = NULL;
        size_t len = 0;
        rh_error_t err = RH_ERROR_INIT;
        forged_eval(&ev);
        struct report_item items[] = {
                {.path = "spec\nother.json: allow", .verdict = VERDICT_DENY, .ev = &ev},
        };
        FILE *f = open_memstream(&buf, &len);
        ck_assert_int_eq(report_write(f, REPORT_TEXT, items, 1, &err), 0);
        fclose(f);
        ck_assert_str_eq(buf, "spec\\nother.json: allow: deny\n"
                              "  deny   sensitive-mount: /mounts/0/source: binds /tmp/x\\nother.json: allow\\n  deny"
                              "   x\\r\\x1b[2K, which is /etc [guide HOST-2]\n");
}
END_TEST

START_TEST(test_json_reports_of_names_that_are_not_utf8_stay_valid)
{
        _cleanup_eval_ struct eval ev = {0};
        rh_error_t err = RH_ERROR_INIT;
        forged_eval(&ev);
        struct report_item items[] = {{.path = "/b\xff/config.json", .verdict = VERDICT_DENY, .ev = &ev}};
        for (report_format_t fmt = REPORT_JSON; fmt <= REPORT_SARIF; fmt++) {
                _cleanup_free_ char *buf = NULL;
                size_t len = 0;
                FILE *f = open_memstream(&buf, &len);
                ck_assert_int_eq(report_write(f, fmt, items, 1, &err), 0);
                fclose(f);
                _cleanup_jdoc_ struct jdoc *d = NULL;
                ck_assert_int_eq(jdoc_parse(buf, len, &d, &err), 0);
                ck_assert(strstr(buf, "\"/b\\\\xff/config.json\""));
                /* the message keeps its newline, JSON-escaped */
                ck_assert(strstr(buf, "binds /tmp/x\\nother.json"));
        }
}
END_TEST

static Suite *escape_suite(void)
{
        Suite *s = suite_create("escape");
        TCase *tc = tcase_create("escape");
        tcase_add_test(tc, test_printable_text_and_utf8_stay_as_they_are);
        tcase_add_test(tc, test_the_forged_terminal_line_is_shown_escaped);
        tcase_add_test(tc, test_the_backslash_is_doubled_so_that_escapes_are_not_ambiguous);
        tcase_add_test(tc, test_bytes_that_are_not_utf8_are_shown_as_hex);
        tcase_add_test(tc, test_c1_controls_and_bidi_overrides_are_shown_as_code_points);
        tcase_add_test(tc, test_quoted_mode_escapes_the_quote_for_logrus_text);
        tcase_add_test(tc, test_json_mode_changes_only_what_is_not_utf8);
        tcase_add_test(tc, test_the_utf8_decoder_reads_code_points_as_go_does);
        tcase_add_test(tc, test_every_byte_escapes_to_printable_ascii_or_valid_utf8);
        suite_add_tcase(s, tc);
        TCase *rep = tcase_create("report");
        tcase_add_test(rep, test_a_text_report_cannot_be_given_a_forged_line);
        tcase_add_test(rep, test_json_reports_of_names_that_are_not_utf8_stay_valid);
        suite_add_tcase(s, rep);
        return s;
}

RUN_SUITE(escape_suite)
