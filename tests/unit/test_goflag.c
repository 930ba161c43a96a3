/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "goflag.h"
#include "testutil.h"
#include "util.h"

/* Go's own accepted and refused forms, as Go 1.19 (Debian 12's, which
 * builds runc 1.1.5) answers them: every row below was run through
 * strconv and flag with that Go, and goflag.c must answer the same. */

/* --- strconv.ParseBool ---------------------------------------------------- */

static const struct {
        const char *s;
        int r;
        bool v;
} bools[] = {
        {"1", 0, true},
        {"t", 0, true},
        {"T", 0, true},
        {"TRUE", 0, true},
        {"true", 0, true},
        {"True", 0, true},
        {"0", 0, false},
        {"f", 0, false},
        {"F", 0, false},
        {"FALSE", 0, false},
        {"false", 0, false},
        {"False", 0, false},
        {"", -EINVAL, false},
        {"yes", -EINVAL, false},
        {"no", -EINVAL, false},
        {"tRUE", -EINVAL, false},
        {"TRue", -EINVAL, false},
        {"on", -EINVAL, false},
        {" true", -EINVAL, false},
        {"true ", -EINVAL, false},
        {"01", -EINVAL, false},
        {"2", -EINVAL, false},
        {"y", -EINVAL, false},
};

START_TEST(test_parse_bool_takes_gos_twelve_spellings_only)
{
        for (size_t i = 0; i < ARRAY_SIZE(bools); i++) {
                bool v = !bools[i].v;
                int r = go_parse_bool(bools[i].s, &v);
                ck_assert_msg(r == bools[i].r, "ParseBool(\"%s\"): %d, Go: %d", bools[i].s, r, bools[i].r);
                if (r == 0)
                        ck_assert_msg(v == bools[i].v, "ParseBool(\"%s\") is %d", bools[i].s, v);
        }
}
END_TEST

/* --- strconv.ParseInt, ParseUint, Atoi ------------------------------------ */

/* Go's answer per column: the value, "!syntax" (ErrSyntax) or "!range"
 * (ErrRange). Columns: ParseInt(s, 0, 64) as flag.Int64 and (on 64-bit)
 * flag.Int read it, ParseInt(s, 0, 32), ParseInt(s, 10, 64) as runc's
 * update flags and urfave's Int64Slice do, ParseUint(s, 10, 64),
 * ParseUint(s, 0, 64) as flag.Uint64 does, and Atoi. */
enum { I0_64, I0_32, I10_64, U10_64, U0_64, ATOI, _COLS };
static const char *const col_names[_COLS] = {
        "ParseInt(s, 0, 64)",   "ParseInt(s, 0, 32)",  "ParseInt(s, 10, 64)",
        "ParseUint(s, 10, 64)", "ParseUint(s, 0, 64)", "Atoi(s)",
};

static const struct {
        const char *s;
        const char *want[_COLS];
} numbers[] = {
        {"0", {"0", "0", "0", "0", "0", "0"}},
        {"-0", {"0", "0", "0", "!syntax", "!syntax", "0"}},
        {"+0", {"0", "0", "0", "!syntax", "!syntax", "0"}},
        {"7", {"7", "7", "7", "7", "7", "7"}},
        {"+7", {"7", "7", "7", "!syntax", "!syntax", "7"}},
        {"-7", {"-7", "-7", "-7", "!syntax", "!syntax", "-7"}},
        {"", {"!syntax", "!syntax", "!syntax", "!syntax", "!syntax", "!syntax"}},
        {"+", {"!syntax", "!syntax", "!syntax", "!syntax", "!syntax", "!syntax"}},
        {"-", {"!syntax", "!syntax", "!syntax", "!syntax", "!syntax", "!syntax"}},
        {"0x", {"!syntax", "!syntax", "!syntax", "!syntax", "!syntax", "!syntax"}},
        {"0x1f", {"31", "31", "!syntax", "!syntax", "31", "!syntax"}},
        {"0X1F", {"31", "31", "!syntax", "!syntax", "31", "!syntax"}},
        {"0b101", {"5", "5", "!syntax", "!syntax", "5", "!syntax"}},
        {"0B101", {"5", "5", "!syntax", "!syntax", "5", "!syntax"}},
        {"0o17", {"15", "15", "!syntax", "!syntax", "15", "!syntax"}},
        {"0O17", {"15", "15", "!syntax", "!syntax", "15", "!syntax"}},
        {"017", {"15", "15", "17", "17", "15", "17"}},
        {"08", {"!syntax", "!syntax", "8", "8", "!syntax", "8"}},
        {"0_7", {"7", "7", "!syntax", "!syntax", "7", "!syntax"}},
        {"1_000", {"1000", "1000", "!syntax", "!syntax", "1000", "!syntax"}},
        {"1__000", {"!syntax", "!syntax", "!syntax", "!syntax", "!syntax", "!syntax"}},
        {"_1", {"!syntax", "!syntax", "!syntax", "!syntax", "!syntax", "!syntax"}},
        {"1_", {"!syntax", "!syntax", "!syntax", "!syntax", "!syntax", "!syntax"}},
        {"0x_ff", {"255", "255", "!syntax", "!syntax", "255", "!syntax"}},
        {"0_x1", {"!syntax", "!syntax", "!syntax", "!syntax", "!syntax", "!syntax"}},
        {"0b_1", {"1", "1", "!syntax", "!syntax", "1", "!syntax"}},
        {"-0x10", {"-16", "-16", "!syntax", "!syntax", "!syntax", "!syntax"}},
        {"+0b11", {"3", "3", "!syntax", "!syntax", "!syntax", "!syntax"}},
        {"1e3", {"!syntax", "!syntax", "!syntax", "!syntax", "!syntax", "!syntax"}},
        {" 1", {"!syntax", "!syntax", "!syntax", "!syntax", "!syntax", "!syntax"}},
        {"1 ", {"!syntax", "!syntax", "!syntax", "!syntax", "!syntax", "!syntax"}},
        {"\t1", {"!syntax", "!syntax", "!syntax", "!syntax", "!syntax", "!syntax"}},
        {"9223372036854775807",
         {"9223372036854775807", "!range", "9223372036854775807", "9223372036854775807", "9223372036854775807",
          "9223372036854775807"}},
        {"9223372036854775808", {"!range", "!range", "!range", "9223372036854775808", "9223372036854775808", "!range"}},
        {"-9223372036854775808",
         {"-9223372036854775808", "!range", "-9223372036854775808", "!syntax", "!syntax", "-9223372036854775808"}},
        {"-9223372036854775809", {"!range", "!range", "!range", "!syntax", "!syntax", "!range"}},
        {"2147483647", {"2147483647", "2147483647", "2147483647", "2147483647", "2147483647", "2147483647"}},
        {"2147483648", {"2147483648", "!range", "2147483648", "2147483648", "2147483648", "2147483648"}},
        {"-2147483648", {"-2147483648", "-2147483648", "-2147483648", "!syntax", "!syntax", "-2147483648"}},
        {"-2147483649", {"-2147483649", "!range", "-2147483649", "!syntax", "!syntax", "-2147483649"}},
        {"18446744073709551615",
         {"!range", "!range", "!range", "18446744073709551615", "18446744073709551615", "!range"}},
        {"18446744073709551616", {"!range", "!range", "!range", "!range", "!range", "!range"}},
        {"99999999999999999999x", {"!range", "!range", "!range", "!range", "!range", "!range"}},
        {"0xffffffffffffffff", {"!range", "!range", "!syntax", "!syntax", "18446744073709551615", "!syntax"}},
        {"0x7fffffffffffffff",
         {"9223372036854775807", "!range", "!syntax", "!syntax", "9223372036854775807", "!syntax"}},
        {"1.5", {"!syntax", "!syntax", "!syntax", "!syntax", "!syntax", "!syntax"}},
        {"0b2", {"!syntax", "!syntax", "!syntax", "!syntax", "!syntax", "!syntax"}},
        {"0o8", {"!syntax", "!syntax", "!syntax", "!syntax", "!syntax", "!syntax"}},
        {"0xg", {"!syntax", "!syntax", "!syntax", "!syntax", "!syntax", "!syntax"}},
        {"--1", {"!syntax", "!syntax", "!syntax", "!syntax", "!syntax", "!syntax"}},
        {"+-1", {"!syntax", "!syntax", "!syntax", "!syntax", "!syntax", "!syntax"}},
        {"0z", {"!syntax", "!syntax", "!syntax", "!syntax", "!syntax", "!syntax"}},
        {"00", {"0", "0", "0", "0", "0", "0"}},
        {"0_", {"!syntax", "!syntax", "!syntax", "!syntax", "!syntax", "!syntax"}},
        {"0x1_", {"!syntax", "!syntax", "!syntax", "!syntax", "!syntax", "!syntax"}},
        {"1_0_0", {"100", "100", "!syntax", "!syntax", "100", "!syntax"}},
        {"0b", {"!syntax", "!syntax", "!syntax", "!syntax", "!syntax", "!syntax"}},
        {"0o", {"!syntax", "!syntax", "!syntax", "!syntax", "!syntax", "!syntax"}},
        {"ab", {"!syntax", "!syntax", "!syntax", "!syntax", "!syntax", "!syntax"}},
        {"0_0x1", {"!syntax", "!syntax", "!syntax", "!syntax", "!syntax", "!syntax"}},
};

static void answer(int r, const char *value, char *buf, size_t size)
{
        snprintf(buf, size, "%s", r == 0 ? value : r == -EINVAL ? "!syntax" : r == -ERANGE ? "!range" : "!other");
}

START_TEST(test_parse_int_and_uint_answer_as_go_does)
{
        for (size_t i = 0; i < ARRAY_SIZE(numbers); i++) {
                const char *s = numbers[i].s;
                for (int c = 0; c < _COLS; c++) {
                        char got[32], value[32] = "";
                        int64_t v = 0;
                        uint64_t u = 0;
                        int r;
                        switch (c) {
                        case I0_64:
                                r = go_parse_int(s, 0, 64, &v);
                                break;
                        case I0_32:
                                r = go_parse_int(s, 0, 32, &v);
                                break;
                        case I10_64:
                                r = go_parse_int(s, 10, 64, &v);
                                break;
                        case U10_64:
                                r = go_parse_uint(s, 10, 64, &u);
                                break;
                        case U0_64:
                                r = go_parse_uint(s, 0, 64, &u);
                                break;
                        default:
                                r = go_parse_int(s, 10, 0, &v);
                                break;
                        }
                        if (c == U10_64 || c == U0_64)
                                snprintf(value, sizeof(value), "%" PRIu64, u);
                        else
                                snprintf(value, sizeof(value), "%" PRId64, v);
                        answer(r, value, got, sizeof(got));
                        ck_assert_msg(STREQ(got, numbers[i].want[c]), "%s with s = \"%s\": %s, Go: %s", col_names[c], s,
                                      got, numbers[i].want[c]);
                }
        }
}
END_TEST

START_TEST(test_go_int_is_as_wide_as_a_pointer)
{
        int64_t v;
        ck_assert_uint_eq(GO_INT_BITS, sizeof(void *) * 8);
        ck_assert_int_eq(go_parse_int("2147483648", 0, 0, &v), sizeof(void *) == 8 ? 0 : -ERANGE);
}
END_TEST

/* --- flag.FlagSet.Parse --------------------------------------------------- */

static const struct flag_def defs[] = {
        {"n", NULL, FLAG_INT, ROLE_STORE, NO_FIELD, 0},
        {"b", NULL, FLAG_BOOL, ROLE_STORE, NO_FIELD, 0},
        {"s", NULL, FLAG_STRING, ROLE_STORE, NO_FIELD, 0},
};

/* Go's outcome over flags -n (flag.Int), -b (flag.Bool) and -s
 * (flag.String): the error it prints, or the flags it set in order
 * ("name=value") and, after "|", the arguments left. */
static const struct {
        const char *args[3];
        const char *want;
} parses[] = {
        {{"-n=5"}, "n=5 |"},
        {{"--n=5"}, "n=5 |"},
        {{"-n", "5"}, "n=5 |"},
        {{"--n", "5"}, "n=5 |"},
        {{"-n", "0x10"}, "n=0x10 |"},
        {{"-n", "1_0"}, "n=1_0 |"},
        {{"-n", "_1"}, "invalid value \"_1\" for flag -n: parse error"},
        /* Go ends this one in "value out of range"; runc-harden says
         * "parse error" for both (refused all the same) */
        {{"-n=9223372036854775808"}, "invalid value \"9223372036854775808\" for flag -n: parse error"},
        {{"-b"}, "b=true |"},
        {{"--b"}, "b=true |"},
        {{"-b=false"}, "b=false |"},
        /* a bool never takes the next argument */
        {{"-b", "false"}, "b=true | false"},
        {{"-b=yes"}, "invalid boolean value \"yes\" for -b: parse error"},
        {{"-b=", "x"}, "invalid boolean value \"\" for -b: parse error"},
        {{"--"}, "|"},
        {{"-", "x"}, "| - x"},
        {{"x", "-b"}, "| x -b"},
        {{"---b"}, "bad flag syntax: ---b"},
        {{"-=x"}, "bad flag syntax: -=x"},
        {{"--=x"}, "bad flag syntax: --=x"},
        {{"-n"}, "flag needs an argument: -n"},
        {{"-x"}, "flag provided but not defined: -x"},
        /* any other flag takes the next argument, whatever it looks like */
        {{"-s", "--b"}, "s=--b |"},
        {{"-s=a=b"}, "s=a=b |"},
};

START_TEST(test_flag_parse_answers_as_go_does)
{
        for (size_t i = 0; i < ARRAY_SIZE(parses); i++) {
                char *args[4] = {NULL};
                int n = 0, n_uses = 0, rest = 0;
                struct flag_use uses[4];
                _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
                char got[256] = "";

                while (n < 3 && parses[i].args[n])
                        args[n] = (char *)parses[i].args[n], n++;
                int r = go_flags_parse(defs, ARRAY_SIZE(defs), args, n, 0, uses, &n_uses, &rest, &err);
                if (r < 0) {
                        snprintf(got, sizeof(got), "%s", rh_error_msg(&err));
                } else {
                        FILE *f = fmemopen(got, sizeof(got), "w");
                        for (int k = 0; k < n_uses; k++)
                                fprintf(f, "%s=%s ", uses[k].def->name,
                                        uses[k].def->kind == FLAG_BOOL ? (uses[k].on ? "true" : "false")
                                                                       : uses[k].value);
                        fputs("|", f);
                        for (int k = rest; k < n; k++)
                                fprintf(f, " %s", args[k]);
                        fclose(f);
                }
                ck_assert_msg(STREQ(got, parses[i].want), "parse %zu: \"%s\", Go: \"%s\"", i, got, parses[i].want);
        }
}
END_TEST

static Suite *goflag_suite(void)
{
        Suite *s = suite_create("goflag");
        TCase *tc = tcase_create("goflag");
        tcase_add_test(tc, test_parse_bool_takes_gos_twelve_spellings_only);
        tcase_add_test(tc, test_parse_int_and_uint_answer_as_go_does);
        tcase_add_test(tc, test_go_int_is_as_wide_as_a_pointer);
        tcase_add_test(tc, test_flag_parse_answers_as_go_does);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(goflag_suite)
