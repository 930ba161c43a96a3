/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* runc's command line as runc 1.1.5 reads it (urfave/cli 1.22.1 over Go's
 * flag package). The expected values come from reading that code; the
 * comments name the rule each test pins down. */

#define ARGV(...) ((char *[]){"runc", __VA_ARGS__, NULL})

static int argv_len(char **argv)
{
        int n = 0;
        while (argv[n])
                n++;
        return n;
}

static void globals_ok(char **argv, struct runc_invocation *inv)
{
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        int r = runc_parse_globals(argv_len(argv), argv, inv, &err);
        ck_assert_msg(r == 0, "global flags refused: %s", rh_error_msg(&err));
}

static void globals_fail(char **argv, const char *want)
{
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        struct runc_invocation inv;
        int r = runc_parse_globals(argv_len(argv), argv, &inv, &err);
        ck_assert_int_eq(r, -EINVAL);
        ck_assert_msg(strstr(rh_error_msg(&err), want), "error \"%s\" lacks \"%s\"", rh_error_msg(&err), want);
        runc_invocation_free(&inv);
}

/* Global flags, then the command's; the caller frees inv. */
static void command_ok(char **argv, struct runc_invocation *inv)
{
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        globals_ok(argv, inv);
        int r = runc_parse_command(inv, &err);
        ck_assert_msg(r == 0, "command refused: %s", rh_error_msg(&err));
}

static void command_fail(char **argv, const char *want)
{
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        struct runc_invocation inv;
        globals_ok(argv, &inv);
        int r = runc_parse_command(&inv, &err);
        ck_assert_msg(r < 0, "command accepted, but runc refuses it");
        ck_assert_int_eq(r, -EINVAL);
        ck_assert_msg(strstr(rh_error_msg(&err), want), "error \"%s\" lacks \"%s\"", rh_error_msg(&err), want);
        runc_invocation_free(&inv);
}

static void assert_delegate_argv(const struct runc_invocation *inv, char **want)
{
        int n = argv_len(want);
        ck_assert_int_eq(inv->argc, n);
        for (int i = 0; i < n; i++)
                ck_assert_str_eq(inv->argv[i], want[i]);
        ck_assert_ptr_null(inv->argv[n]);
}

/* The bundle that runc create would use for this command line. */
static void assert_create_bundle(char **argv, const char *bundle, const char *id)
{
        struct runc_invocation inv;
        command_ok(argv, &inv);
        ck_assert_pstr_eq(inv.bundle, bundle);
        ck_assert_pstr_eq(inv.container_id, id);
        runc_invocation_free(&inv);
}

/* --- commands ------------------------------------------------------------ */

static const struct {
        const char *word;
        runc_cmd_t cmd;
} words[] = {
        {"checkpoint", RUNC_CMD_CHECKPOINT},
        {"create", RUNC_CMD_CREATE},
        {"delete", RUNC_CMD_DELETE},
        {"events", RUNC_CMD_EVENTS},
        {"exec", RUNC_CMD_EXEC},
        {"kill", RUNC_CMD_KILL},
        {"list", RUNC_CMD_LIST},
        {"pause", RUNC_CMD_PAUSE},
        {"ps", RUNC_CMD_PS},
        {"restore", RUNC_CMD_RESTORE},
        {"resume", RUNC_CMD_RESUME},
        {"run", RUNC_CMD_RUN},
        {"spec", RUNC_CMD_SPEC},
        {"start", RUNC_CMD_START},
        {"state", RUNC_CMD_STATE},
        {"update", RUNC_CMD_UPDATE},
        {"features", RUNC_CMD_FEATURES},
        {"help", RUNC_CMD_HELP},
        {"h", RUNC_CMD_HELP},
        {"", RUNC_CMD_HELP},
};

START_TEST(test_every_runc_subcommand_is_recognised)
{
        struct runc_invocation inv;
        globals_ok(ARGV((char *)words[_i].word, "x"), &inv);
        ck_assert_int_eq(inv.cmd, words[_i].cmd);
        ck_assert_int_eq(inv.cmd_index, 1);
        if (words[_i].cmd != RUNC_CMD_HELP)
                ck_assert_str_eq(runc_cmd_name(inv.cmd), words[_i].word);
        else
                ck_assert_str_eq(runc_cmd_name(inv.cmd), "help");
        runc_invocation_free(&inv);
}
END_TEST

START_TEST(test_other_words_are_unknown_commands)
{
        /* urfave matches names exactly: no prefixes, no case folding; "" is help */
        static const char *const others[] = {"Create", "creat", "runc", "lint", "-", "exec2", "checkpoints", "CREATE"};
        for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
                struct runc_invocation inv;
                globals_ok(ARGV((char *)others[i]), &inv);
                ck_assert_msg(inv.cmd == RUNC_CMD_UNKNOWN, "\"%s\" is not a runc command", others[i]);
                runc_invocation_free(&inv);
        }
}
END_TEST

START_TEST(test_no_subcommand_is_none)
{
        struct runc_invocation inv;
        globals_ok((char *[]){"runc", NULL}, &inv);
        ck_assert_int_eq(inv.cmd, RUNC_CMD_NONE);
        ck_assert_int_eq(inv.cmd_index, 1);
        runc_invocation_free(&inv);
        globals_ok(ARGV("--debug", "--root", "/r"), &inv);
        ck_assert_int_eq(inv.cmd, RUNC_CMD_NONE);
        ck_assert_int_eq(inv.cmd_index, inv.argc);
        runc_invocation_free(&inv);
}
END_TEST

START_TEST(test_only_create_run_restore_exec_and_update_are_checked)
{
        for (int c = 0; c < _RUNC_CMD_MAX; c++) {
                bool want = c == RUNC_CMD_CREATE || c == RUNC_CMD_RUN || c == RUNC_CMD_RESTORE || c == RUNC_CMD_EXEC ||
                            c == RUNC_CMD_UPDATE;
                ck_assert_msg(runc_cmd_is_checked((runc_cmd_t)c) == want, "%s", runc_cmd_name((runc_cmd_t)c));
        }
}
END_TEST

START_TEST(test_command_names_exist_for_none_unknown_and_out_of_range_values)
{
        ck_assert_ptr_nonnull(runc_cmd_name(RUNC_CMD_NONE));
        ck_assert_ptr_nonnull(runc_cmd_name(RUNC_CMD_UNKNOWN));
        ck_assert_ptr_nonnull(runc_cmd_name(_RUNC_CMD_MAX));
        ck_assert_str_eq(runc_cmd_name(RUNC_CMD_HELP), "help");
}
END_TEST

START_TEST(test_double_dash_ends_the_global_flags_and_the_next_word_is_the_command)
{
        struct runc_invocation inv;
        globals_ok(ARGV("--debug", "--", "create", "id"), &inv);
        ck_assert_int_eq(inv.cmd, RUNC_CMD_CREATE);
        ck_assert_int_eq(inv.cmd_index, 3);
        ck_assert(inv.g.debug);
        assert_delegate_argv(&inv, ARGV("--debug", "--", "create", "id"));
        runc_invocation_free(&inv);

        /* after "--" even a word that looks like a flag is the command */
        globals_ok(ARGV("--", "--debug"), &inv);
        ck_assert_int_eq(inv.cmd, RUNC_CMD_UNKNOWN);
        ck_assert(!inv.g.debug);
        runc_invocation_free(&inv);

        globals_ok(ARGV("--"), &inv);
        ck_assert_int_eq(inv.cmd, RUNC_CMD_NONE);
        runc_invocation_free(&inv);
}
END_TEST

/* --- global flags -------------------------------------------------------- */

START_TEST(test_string_global_flags_in_all_four_forms)
{
        static const char *const names[] = {"log", "log-format", "root", "criu", "rootless"};
        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
                char two[64], one[64], two_eq[64], one_eq[64];
                snprintf(two, sizeof two, "--%s", names[i]);
                snprintf(one, sizeof one, "-%s", names[i]);
                snprintf(two_eq, sizeof two_eq, "--%s=V", names[i]);
                snprintf(one_eq, sizeof one_eq, "-%s=V", names[i]);
                char **forms[] = {ARGV(two, "V", "state", "x"), ARGV(one, "V", "state", "x"),
                                  ARGV(two_eq, "state", "x"), ARGV(one_eq, "state", "x")};
                for (size_t f = 0; f < 4; f++) {
                        struct runc_invocation inv;
                        globals_ok(forms[f], &inv);
                        ck_assert_int_eq(inv.cmd, RUNC_CMD_STATE);
                        ck_assert_str_eq(inv.argv[inv.cmd_index], "state");
                        const char *got = i == 0 ? inv.g.log : i == 1 ? inv.g.log_format : i == 2 ? inv.g.root : "V";
                        ck_assert_pstr_eq(got, "V");
                        assert_delegate_argv(&inv, forms[f]);
                        runc_invocation_free(&inv);
                }
        }
}
END_TEST

START_TEST(test_global_value_flag_takes_the_next_argument_even_if_it_looks_like_a_flag)
{
        struct runc_invocation inv;
        globals_ok(ARGV("--root", "--debug", "state"), &inv);
        ck_assert_str_eq(inv.g.root, "--debug");
        ck_assert(!inv.g.debug);
        ck_assert_int_eq(inv.cmd, RUNC_CMD_STATE);
        runc_invocation_free(&inv);
}
END_TEST

START_TEST(test_empty_value_after_equals_is_a_value)
{
        struct runc_invocation inv;
        globals_ok(ARGV("--log=", "state"), &inv);
        ck_assert_str_eq(inv.g.log, "");
        ck_assert_int_eq(inv.cmd, RUNC_CMD_STATE);
        runc_invocation_free(&inv);
}
END_TEST

START_TEST(test_value_splits_at_the_first_equals_sign)
{
        struct runc_invocation inv;
        globals_ok(ARGV("--root=/a=b", "state"), &inv);
        ck_assert_str_eq(inv.g.root, "/a=b");
        runc_invocation_free(&inv);
}
END_TEST

START_TEST(test_repeated_global_flag_last_wins)
{
        struct runc_invocation inv;
        globals_ok(ARGV("--root", "/a", "-root=/b", "--log-format", "text", "--log-format=json", "list"), &inv);
        ck_assert_str_eq(inv.g.root, "/b");
        ck_assert_str_eq(inv.g.log_format, "json");
        runc_invocation_free(&inv);
}
END_TEST

START_TEST(test_bool_global_flags_take_no_separate_value)
{
        struct runc_invocation inv;
        /* "false" is not debug's value but the first positional word */
        globals_ok(ARGV("--debug", "false", "state"), &inv);
        ck_assert(inv.g.debug);
        ck_assert_int_eq(inv.cmd, RUNC_CMD_UNKNOWN);
        ck_assert_int_eq(inv.cmd_index, 2);
        runc_invocation_free(&inv);

        globals_ok(ARGV("-debug", "--systemd-cgroup", "list"), &inv);
        ck_assert(inv.g.debug);
        ck_assert(inv.g.systemd_cgroup);
        ck_assert_int_eq(inv.cmd, RUNC_CMD_LIST);
        runc_invocation_free(&inv);
}
END_TEST

START_TEST(test_bool_global_flag_accepts_every_go_bool_spelling)
{
        static const char *const yes[] = {"1", "t", "T", "TRUE", "true", "True"};
        static const char *const no[] = {"0", "f", "F", "FALSE", "false", "False"};
        for (size_t i = 0; i < 6; i++) {
                char y[32], n[32];
                struct runc_invocation inv;
                snprintf(y, sizeof y, "--debug=%s", yes[i]);
                snprintf(n, sizeof n, "-systemd-cgroup=%s", no[i]);
                globals_ok(ARGV("--systemd-cgroup", y, n, "list"), &inv);
                ck_assert(inv.g.debug);
                ck_assert(!inv.g.systemd_cgroup);
                ck_assert_int_eq(inv.cmd, RUNC_CMD_LIST);
                runc_invocation_free(&inv);
        }
}
END_TEST

START_TEST(test_bool_global_flag_with_another_value_is_an_error)
{
        globals_fail(ARGV("--debug=maybe", "list"), "invalid boolean value \"maybe\" for -debug");
        globals_fail(ARGV("--debug=yes", "list"), "-debug");
        globals_fail(ARGV("--debug=", "list"), "-debug");
        globals_fail(ARGV("-systemd-cgroup=tRUE", "list"), "-systemd-cgroup");
}
END_TEST

START_TEST(test_help_and_version_globals_in_short_and_long_forms)
{
        static const char *const help[] = {"-h", "--h", "-help", "--help", "--help=true"};
        static const char *const version[] = {"-v", "--v", "-version", "--version", "-v=1"};
        for (size_t i = 0; i < 5; i++) {
                struct runc_invocation inv;
                globals_ok(ARGV((char *)help[i], "create"), &inv);
                ck_assert(inv.g.help);
                ck_assert(!inv.g.version);
                ck_assert_int_eq(inv.cmd, RUNC_CMD_CREATE);
                runc_invocation_free(&inv);
                globals_ok(ARGV((char *)version[i]), &inv);
                ck_assert(inv.g.version);
                ck_assert(!inv.g.help);
                runc_invocation_free(&inv);
        }
}
END_TEST

START_TEST(test_both_forms_of_help_together_are_an_error)
{
        /* urfave's normalizeFlags refuses two names of one flag */
        globals_fail(ARGV("-h", "--help"), "two forms");
        globals_fail(ARGV("--version", "-v", "list"), "two forms");
}
END_TEST

START_TEST(test_unknown_global_flag_is_an_error_naming_it)
{
        globals_fail(ARGV("--bogus", "state", "x"), "flag provided but not defined: -bogus");
        globals_fail(ARGV("--bogus=1", "state"), "flag provided but not defined: -bogus");
        /* command flags are not global ones */
        globals_fail(ARGV("--bundle", "/b", "create", "x"), "-bundle");
}
END_TEST

START_TEST(test_global_value_flag_without_a_value_is_an_error)
{
        globals_fail(ARGV("--root"), "flag needs an argument: -root");
        globals_fail(ARGV("--debug", "-log"), "flag needs an argument: -log");
}
END_TEST

START_TEST(test_bad_flag_syntax_is_an_error)
{
        globals_fail(ARGV("---debug", "list"), "bad flag syntax: ---debug");
        globals_fail(ARGV("-=x", "list"), "bad flag syntax");
        globals_fail(ARGV("--=x", "list"), "bad flag syntax");
}
END_TEST

START_TEST(test_global_flags_after_the_command_belong_to_the_command)
{
        struct runc_invocation inv;
        globals_ok(ARGV("state", "--debug", "--harden-mode", "dry-run", "x"), &inv);
        ck_assert(!inv.g.debug);
        ck_assert_ptr_null(inv.g.harden_mode);
        ck_assert_int_eq(inv.cmd, RUNC_CMD_STATE);
        assert_delegate_argv(&inv, ARGV("state", "--debug", "--harden-mode", "dry-run", "x"));
        runc_invocation_free(&inv);
}
END_TEST

START_TEST(test_empty_argument_vector_is_an_error)
{
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        struct runc_invocation inv;
        char *argv[] = {NULL};
        ck_assert_int_eq(runc_parse_globals(0, argv, &inv, &err), -EINVAL);
        ck_assert_ptr_null(inv.argv);
}
END_TEST

/* --- runc-harden's own globals ------------------------------------------- */

START_TEST(test_harden_flags_in_all_forms_are_removed_from_the_delegate_argv)
{
        struct runc_invocation inv;
        globals_ok(ARGV("--harden-policy", "/p", "-harden-mode=dry-run", "--root", "/r", "-harden-runtime",
                        "/usr/bin/runc", "--harden-mode=enforce", "create", "--bundle", "/b", "id"),
                   &inv);
        ck_assert_str_eq(inv.g.harden_policy, "/p");
        ck_assert_str_eq(inv.g.harden_mode, "enforce");
        ck_assert_str_eq(inv.g.harden_runtime, "/usr/bin/runc");
        ck_assert_str_eq(inv.g.root, "/r");
        ck_assert_int_eq(inv.cmd, RUNC_CMD_CREATE);
        assert_delegate_argv(&inv, ARGV("--root", "/r", "create", "--bundle", "/b", "id"));
        ck_assert_int_eq(inv.cmd_index, 3);
        ck_assert_str_eq(inv.argv[inv.cmd_index], "create");
        runc_invocation_free(&inv);
}
END_TEST

START_TEST(test_everything_else_is_kept_byte_for_byte_in_order)
{
        char *argv[] = {"/usr/sbin/runc-harden",
                        "-debug=t",
                        "--log",
                        "/l",
                        "-log-format=json",
                        "--harden-policy=/p",
                        "--systemd-cgroup",
                        "--criu=/c",
                        "-rootless",
                        "auto",
                        "exec",
                        "-t",
                        "--",
                        "id",
                        "sh",
                        NULL};
        struct runc_invocation inv;
        globals_ok(argv, &inv);
        ck_assert_int_eq(inv.argc, 14);
        for (int i = 0, k = 0; argv[i]; i++) {
                if (i == 5)
                        continue;
                ck_assert_ptr_eq(inv.argv[k], argv[i]); /* the very same strings */
                k++;
        }
        ck_assert_ptr_null(inv.argv[14]);
        ck_assert_int_eq(inv.cmd, RUNC_CMD_EXEC);
        ck_assert_int_eq(inv.cmd_index, 9);
        runc_invocation_free(&inv);
}
END_TEST

START_TEST(test_harden_flag_takes_the_next_argument_even_if_it_looks_like_a_flag)
{
        struct runc_invocation inv;
        globals_ok(ARGV("--harden-policy", "--debug", "list"), &inv);
        ck_assert_str_eq(inv.g.harden_policy, "--debug");
        ck_assert(!inv.g.debug);
        assert_delegate_argv(&inv, ARGV("list"));
        runc_invocation_free(&inv);
}
END_TEST

START_TEST(test_harden_flag_given_as_a_runc_flag_value_is_kept)
{
        struct runc_invocation inv;
        globals_ok(ARGV("--root", "--harden-mode", "list"), &inv);
        ck_assert_ptr_null(inv.g.harden_mode);
        ck_assert_str_eq(inv.g.root, "--harden-mode");
        assert_delegate_argv(&inv, ARGV("--root", "--harden-mode", "list"));
        runc_invocation_free(&inv);
}
END_TEST

START_TEST(test_harden_flag_without_a_value_is_an_error)
{
        globals_fail(ARGV("--harden-runtime"), "flag needs an argument: -harden-runtime");
        globals_fail(ARGV("--debug", "--harden-policy"), "-harden-policy");
}
END_TEST

START_TEST(test_after_a_global_error_the_argv_keeps_the_rest_and_drops_harden_flags_read_before)
{
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        struct runc_invocation inv;
        char **argv = ARGV("--harden-runtime", "/rt", "--bogus", "--harden-mode", "x", "state", "id");
        ck_assert_int_eq(runc_parse_globals(argv_len(argv), argv, &inv, &err), -EINVAL);
        ck_assert_str_eq(inv.g.harden_runtime, "/rt");
        ck_assert_ptr_null(inv.g.harden_mode);
        ck_assert_int_eq(inv.cmd, RUNC_CMD_NONE);
        assert_delegate_argv(&inv, ARGV("--bogus", "--harden-mode", "x", "state", "id"));
        runc_invocation_free(&inv);
}
END_TEST

START_TEST(test_invocation_free_forgets_the_argv)
{
        struct runc_invocation inv;
        globals_ok(ARGV("list"), &inv);
        runc_invocation_free(&inv);
        ck_assert_ptr_null(inv.argv);
        ck_assert_int_eq(inv.argc, 0);
        runc_invocation_free(&inv); /* twice is harmless */
}
END_TEST

/* --- create, run, restore ------------------------------------------------ */

START_TEST(test_bundle_in_each_form_before_the_container_id)
{
        assert_create_bundle(ARGV("create", "--bundle", "/b", "id"), "/b", "id");
        assert_create_bundle(ARGV("create", "--bundle=/b", "id"), "/b", "id");
        assert_create_bundle(ARGV("create", "-bundle", "/b", "id"), "/b", "id");
        assert_create_bundle(ARGV("create", "-b", "/b", "id"), "/b", "id");
        assert_create_bundle(ARGV("create", "-b=/b", "id"), "/b", "id");
        assert_create_bundle(ARGV("create", "--b", "/b", "id"), "/b", "id");
        assert_create_bundle(ARGV("run", "--bundle", "/b", "id"), "/b", "id");
        assert_create_bundle(ARGV("run", "-b=/b", "id"), "/b", "id");
        assert_create_bundle(ARGV("create", "id"), NULL, "id");
}
END_TEST

START_TEST(test_bundle_after_container_id_is_found_by_reordering)
{
        assert_create_bundle(ARGV("create", "id", "--bundle", "/b"), "/b", "id");
        assert_create_bundle(ARGV("create", "id", "-b=/b"), "/b", "id");
        assert_create_bundle(ARGV("run", "id", "-b", "/b", "--detach"), "/b", "id");
        assert_create_bundle(ARGV("create", "--pid-file", "/p", "id", "--bundle", "/b", "--no-pivot"), "/b", "id");
}
END_TEST

START_TEST(test_repeated_bundle_last_wins)
{
        assert_create_bundle(ARGV("create", "--bundle", "/a", "id", "--bundle", "/b"), "/b", "id");
        assert_create_bundle(ARGV("create", "-b", "/a", "-b=/b", "id"), "/b", "id");
}
END_TEST

START_TEST(test_bundle_and_b_together_are_an_error_not_last_wins)
{
        command_fail(ARGV("create", "-b", "/a", "--bundle", "/b", "id"), "two forms of the same flag");
        command_fail(ARGV("run", "id", "--bundle=/a", "-b=/b"), "two forms");
}
END_TEST

START_TEST(test_bool_flag_eats_the_next_word_when_reordered)
{
        /* reorderArgs moves "id" behind --no-pivot as if it were its value;
         * Go then stops at "id" and --bundle is never read: runc refuses
         * the three positional arguments. */
        command_fail(ARGV("create", "--no-pivot", "id", "--bundle", "/x"), "exactly 1 argument");
        command_fail(ARGV("run", "-d", "--keep", "id", "-b", "/x"), "exactly 1 argument");
        /* with nothing after it the eaten word is still the container id */
        assert_create_bundle(ARGV("create", "--no-pivot", "id"), NULL, "id");
        assert_create_bundle(ARGV("run", "-d", "--keep", "-b", "/b", "id"), "/b", "id");
        /* "=value" means the flag takes no further word */
        assert_create_bundle(ARGV("create", "--no-pivot=true", "id", "-b", "/x"), "/x", "id");
}
END_TEST

START_TEST(test_value_flag_before_a_dash_word_takes_it_as_its_value)
{
        /* "-x" and "-" are not create's flags: moved as --bundle's value */
        assert_create_bundle(ARGV("create", "--bundle", "-x", "id"), "-x", "id");
        assert_create_bundle(ARGV("create", "id", "--bundle", "-"), "-", "id");
        /* a known flag is moved on its own, then Go gives --bundle the
         * next word whatever it is */
        assert_create_bundle(ARGV("create", "--bundle", "-b", "id"), "-b", "id");
        command_fail(ARGV("create", "--pid-file", "-b", "/x", "id"), "exactly 1 argument");
}
END_TEST

START_TEST(test_unknown_flag_after_the_container_id_is_not_moved)
{
        /* urfave moves only the command's own flags: "--bogus" stays
         * behind the id, where Go no longer reads flags */
        command_fail(ARGV("create", "id", "--bogus"), "exactly 1 argument");
        command_fail(ARGV("create", "id", "--bogus", "-b", "/x"), "exactly 1 argument");
        /* three dashes still name a flag for urfave; Go refuses them */
        command_fail(ARGV("create", "id", "---bundle", "/x"), "bad flag syntax: ---bundle");
}
END_TEST

START_TEST(test_double_dash_stops_reordering)
{
        assert_create_bundle(ARGV("create", "-b", "/x", "--", "id"), "/x", "id");
        /* "--" is checked before the pending flag value: it becomes the value */
        assert_create_bundle(ARGV("create", "--bundle", "--", "id"), "--", "id");
        /* flags after "--" are positional */
        command_fail(ARGV("create", "id", "--", "-b", "/x"), "exactly 1 argument");
        /* "--" goes in front of the words not moved, so Go consumes it and
         * "-" before it is the one positional argument */
        assert_create_bundle(ARGV("create", "-", "--"), NULL, "-");
        assert_create_bundle(ARGV("create", "id", "-b", "/x", "--"), "/x", "id");
}
END_TEST

START_TEST(test_value_flag_given_last_takes_the_container_id_after_reordering)
{
        /* [--bundle, id]: the id becomes the bundle, no id is left */
        command_fail(ARGV("create", "id", "--bundle"), "exactly 1 argument");
}
END_TEST

START_TEST(test_value_flag_without_any_value_is_an_error)
{
        command_fail(ARGV("create", "--bundle"), "flag needs an argument: -bundle");
        command_fail(ARGV("run", "--pid-file"), "flag needs an argument: -pid-file");
        command_fail(ARGV("exec", "--user"), "flag needs an argument: -user");
        command_fail(ARGV("update", "--memory"), "flag needs an argument: -memory");
}
END_TEST

START_TEST(test_empty_bundle_means_the_working_directory)
{
        assert_create_bundle(ARGV("create", "--bundle=", "id"), NULL, "id");
        assert_create_bundle(ARGV("create", "-b", "", "id"), NULL, "id");
}
END_TEST

START_TEST(test_container_id_count_must_be_exactly_one)
{
        command_fail(ARGV("create"), "exactly 1 argument");
        command_fail(ARGV("create", "-b", "/b"), "exactly 1 argument");
        command_fail(ARGV("run", "a", "b"), "exactly 1 argument");
        command_fail(ARGV("restore"), "exactly 1 argument");
        command_fail(ARGV("update", "a", "b"), "exactly 1 argument");
}
END_TEST

START_TEST(test_dash_alone_is_a_positional_argument)
{
        assert_create_bundle(ARGV("create", "-"), NULL, "-");
}
END_TEST

START_TEST(test_unknown_command_flag_is_an_error_naming_it)
{
        command_fail(ARGV("create", "--bogus", "id"), "flag provided but not defined: -bogus");
        command_fail(ARGV("run", "-x=1", "id"), "flag provided but not defined: -x");
        /* urfave v1 commands do not inherit the global flags */
        command_fail(ARGV("create", "--debug", "id"), "flag provided but not defined: -debug");
        /* flags of the other commands are unknown too */
        command_fail(ARGV("create", "--detach", "id"), "-detach");
        command_fail(ARGV("restore", "--no-new-keyring", "id"), "-no-new-keyring");
        command_fail(ARGV("create", "---bundle", "/b", "id"), "bad flag syntax");
}
END_TEST

START_TEST(test_preserve_fds_accepts_go_integers)
{
        static const char *const ok[] = {"0",
                                         "3",
                                         "+3",
                                         "-1",
                                         "0x10",
                                         "0X1f",
                                         "010",
                                         "0o17",
                                         "0b101",
                                         "1_000",
                                         "0x_ff",
                                         "0_7",
                                         "00",
                                         "9223372036854775807",
                                         "-9223372036854775808"};
        for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
                struct runc_invocation inv;
                command_ok(ARGV("create", "--preserve-fds", (char *)ok[i], "id"), &inv);
                ck_assert_str_eq(inv.container_id, "id");
                runc_invocation_free(&inv);
        }
}
END_TEST

START_TEST(test_preserve_fds_refuses_what_go_does_not_parse)
{
        static const char *const bad[] = {"",
                                          "abc",
                                          "08",
                                          "0x",
                                          "0b",
                                          "0x1g",
                                          "1_",
                                          "_1",
                                          "1__0",
                                          "0_",
                                          "1.5",
                                          "+",
                                          "-",
                                          "--1",
                                          " 1",
                                          "1 ",
                                          "0b2",
                                          "0o8",
                                          "9223372036854775808",
                                          "-9223372036854775809",
                                          "99999999999999999999"};
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                char arg[64];
                snprintf(arg, sizeof arg, "--preserve-fds=%s", bad[i]);
                command_fail(ARGV("run", arg, "id"), "invalid value");
        }
}
END_TEST

START_TEST(test_help_flag_is_accepted_without_a_container_id)
{
        static const char *const forms[] = {"--help", "-h", "-help", "--h=true"};
        for (size_t i = 0; i < 4; i++) {
                struct runc_invocation inv;
                command_ok(ARGV("create", (char *)forms[i]), &inv);
                ck_assert(inv.cmd_help);
                runc_invocation_free(&inv);
                command_ok(ARGV("exec", (char *)forms[i]), &inv);
                ck_assert(inv.cmd_help);
                runc_invocation_free(&inv);
        }
        struct runc_invocation inv;
        command_ok(ARGV("update", "a", "b", "--help"), &inv);
        ck_assert(inv.cmd_help);
        runc_invocation_free(&inv);
}
END_TEST

START_TEST(test_help_false_is_no_help)
{
        struct runc_invocation inv;
        command_ok(ARGV("run", "--help=false", "id"), &inv);
        ck_assert(!inv.cmd_help);
        ck_assert_str_eq(inv.container_id, "id");
        runc_invocation_free(&inv);
        command_fail(ARGV("run", "--help=false"), "exactly 1 argument");
}
END_TEST

START_TEST(test_help_does_not_excuse_a_flag_error)
{
        command_fail(ARGV("create", "--help", "--bogus"), "-bogus");
        command_fail(ARGV("create", "-h", "--help"), "two forms");
        command_fail(ARGV("create", "--help=maybe"), "invalid boolean value");
}
END_TEST

START_TEST(test_restore_reads_its_bundle_and_knows_its_flags)
{
        struct runc_invocation inv;
        command_ok(ARGV("restore", "--image-path", "/img", "id", "-b", "/b", "--empty-ns", "network", "--empty-ns",
                        "ipc", "--tcp-established", "--lsm-profile=apparmor:x", "--manage-cgroups-mode", "soft"),
                   &inv);
        ck_assert_str_eq(inv.bundle, "/b");
        ck_assert_str_eq(inv.container_id, "id");
        runc_invocation_free(&inv);
}
END_TEST

/* --- exec ---------------------------------------------------------------- */

START_TEST(test_exec_process_in_each_form)
{
        static const char *const forms[][2] = {{"--process", "/p.json"},    {"-process", "/p.json"},
                                               {"-p", "/p.json"},           {"--p", "/p.json"},
                                               {"--process=/p.json", NULL}, {"-p=/p.json", NULL}};
        for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
                struct runc_invocation inv;
                char **argv = forms[i][1] ? ARGV("exec", (char *)forms[i][0], (char *)forms[i][1], "id")
                                          : ARGV("exec", (char *)forms[i][0], "id");
                command_ok(argv, &inv);
                ck_assert_pstr_eq(inv.exec.process, "/p.json");
                ck_assert_str_eq(inv.container_id, "id");
                ck_assert_int_eq(inv.n_exec_args, 0);
                runc_invocation_free(&inv);
        }
}
END_TEST

START_TEST(test_exec_is_not_reordered_so_a_process_flag_after_the_id_is_a_command_word)
{
        /* SkipArgReorder: Go stops at the id; runc runs "--process x" in
         * the container, built from config.json and the flags */
        struct runc_invocation inv;
        command_ok(ARGV("exec", "id", "--process", "x"), &inv);
        ck_assert_ptr_null(inv.exec.process);
        ck_assert_str_eq(inv.container_id, "id");
        ck_assert_int_eq(inv.n_exec_args, 2);
        ck_assert_str_eq(inv.exec_args[0], "--process");
        ck_assert_str_eq(inv.exec_args[1], "x");
        runc_invocation_free(&inv);
}
END_TEST

START_TEST(test_exec_command_words_point_into_the_delegate_argv)
{
        struct runc_invocation inv;
        command_ok(ARGV("--harden-mode", "enforce", "exec", "-t", "id", "sh", "-c", "true"), &inv);
        ck_assert(inv.exec.tty);
        ck_assert_int_eq(inv.n_exec_args, 3);
        ck_assert_ptr_eq(inv.exec_args, inv.argv + 4);
        ck_assert_str_eq(inv.exec_args[0], "sh");
        ck_assert_str_eq(inv.exec_args[2], "true");
        runc_invocation_free(&inv);
}
END_TEST

START_TEST(test_exec_without_process_needs_a_command)
{
        command_fail(ARGV("exec", "id"), "process args cannot be empty");
        command_fail(ARGV("exec", "-t", "id"), "process args cannot be empty");
        command_fail(ARGV("exec"), "minimum of 1 argument");
        command_fail(ARGV("exec", "-p", "/p.json"), "minimum of 1 argument");
}
END_TEST

START_TEST(test_exec_with_process_ignores_extra_words)
{
        struct runc_invocation inv;
        command_ok(ARGV("exec", "-p", "/p.json", "id", "ignored", "words"), &inv);
        ck_assert_str_eq(inv.exec.process, "/p.json");
        ck_assert_int_eq(inv.n_exec_args, 0);
        runc_invocation_free(&inv);
}
END_TEST

START_TEST(test_exec_empty_process_means_no_process)
{
        /* runc tests the path with != "" and builds the process from flags */
        command_fail(ARGV("exec", "--process=", "id"), "process args cannot be empty");
        struct runc_invocation inv;
        command_ok(ARGV("exec", "-p", "", "id", "sh"), &inv);
        ck_assert_ptr_null(inv.exec.process);
        ck_assert_int_eq(inv.n_exec_args, 1);
        runc_invocation_free(&inv);
}
END_TEST

START_TEST(test_exec_repeated_process_last_wins)
{
        struct runc_invocation inv;
        command_ok(ARGV("exec", "-p", "/a", "-p=/b", "id"), &inv);
        ck_assert_str_eq(inv.exec.process, "/b");
        runc_invocation_free(&inv);
        command_fail(ARGV("exec", "-p", "/a", "--process", "/b", "id"), "two forms");
}
END_TEST

START_TEST(test_exec_list_flags_append_in_order)
{
        struct runc_invocation inv;
        command_ok(ARGV("exec", "-e", "A=1", "-e=B=2", "--cap", "CAP_X", "--cap=CAP_Y", "-g", "10", "-g", "-20",
                        "--cgroup", "cpu:/a", "--cgroup", "memory:/b", "id", "sh"),
                   &inv);
        ck_assert_int_eq(inv.exec.n_env, 2);
        ck_assert_str_eq(inv.exec.env[0], "A=1");
        ck_assert_str_eq(inv.exec.env[1], "B=2");
        ck_assert_int_eq(inv.exec.n_caps, 2);
        ck_assert_str_eq(inv.exec.caps[0], "CAP_X");
        ck_assert_str_eq(inv.exec.caps[1], "CAP_Y");
        ck_assert_int_eq(inv.exec.n_additional_gids, 2);
        ck_assert_str_eq(inv.exec.additional_gids[0], "10");
        ck_assert_str_eq(inv.exec.additional_gids[1], "-20");
        ck_assert_int_eq(inv.exec.n_cgroups, 2);
        ck_assert_str_eq(inv.exec.cgroups[1], "memory:/b");
        runc_invocation_free(&inv);
}
END_TEST

START_TEST(test_exec_list_flag_in_both_forms_is_an_error)
{
        command_fail(ARGV("exec", "--env", "A=1", "-e", "B=2", "id", "sh"), "two forms");
        command_fail(ARGV("exec", "-c", "CAP_X", "--cap", "CAP_Y", "id", "sh"), "two forms");
}
END_TEST

START_TEST(test_exec_additional_gids_must_be_decimal_int64)
{
        command_fail(ARGV("exec", "-g", "0x10", "id", "sh"), "invalid value \"0x10\" for flag -g");
        command_fail(ARGV("exec", "-g", "1_0", "id", "sh"), "invalid value");
        command_fail(ARGV("exec", "--additional-gids=x", "id", "sh"), "invalid value");
        struct runc_invocation inv;
        command_ok(ARGV("exec", "-g", "010", "id", "sh"), &inv);
        ck_assert_str_eq(inv.exec.additional_gids[0], "010");
        runc_invocation_free(&inv);
}
END_TEST

START_TEST(test_exec_scalar_flags_are_stored)
{
        struct runc_invocation inv;
        command_ok(ARGV("exec", "--cwd", "/w", "-u", "1:2", "-t", "-d", "--no-new-privs", "--apparmor=prof",
                        "--process-label", "lbl", "--console-socket", "/s", "--pid-file", "/pid", "--preserve-fds",
                        "0x2", "--ignore-paused", "id", "sh"),
                   &inv);
        ck_assert_str_eq(inv.exec.cwd, "/w");
        ck_assert_str_eq(inv.exec.user, "1:2");
        ck_assert(inv.exec.tty && inv.exec.detach && inv.exec.no_new_privs && inv.exec.ignore_paused);
        ck_assert_str_eq(inv.exec.apparmor, "prof");
        ck_assert_str_eq(inv.exec.process_label, "lbl");
        ck_assert_str_eq(inv.exec.console_socket, "/s");
        ck_assert_str_eq(inv.exec.pid_file, "/pid");
        ck_assert_str_eq(inv.exec.preserve_fds, "0x2");
        runc_invocation_free(&inv);
}
END_TEST

START_TEST(test_exec_bool_flag_does_not_take_the_next_word)
{
        /* no reordering, and booleans never take a value: "false" is the id */
        struct runc_invocation inv;
        command_ok(ARGV("exec", "--tty", "false", "sh"), &inv);
        ck_assert(inv.exec.tty);
        ck_assert_str_eq(inv.container_id, "false");
        runc_invocation_free(&inv);
        command_ok(ARGV("exec", "--tty=false", "--no-new-privs=0", "id", "sh"), &inv);
        ck_assert(!inv.exec.tty);
        ck_assert(!inv.exec.no_new_privs);
        runc_invocation_free(&inv);
}
END_TEST

START_TEST(test_exec_double_dash_before_the_id_is_consumed_after_it_is_a_word)
{
        struct runc_invocation inv;
        command_ok(ARGV("exec", "-t", "--", "id", "sh"), &inv);
        ck_assert_str_eq(inv.container_id, "id");
        ck_assert_int_eq(inv.n_exec_args, 1);
        runc_invocation_free(&inv);
        command_ok(ARGV("exec", "id", "--", "sh"), &inv);
        ck_assert_int_eq(inv.n_exec_args, 2);
        ck_assert_str_eq(inv.exec_args[0], "--");
        runc_invocation_free(&inv);
}
END_TEST

START_TEST(test_exec_unknown_flag_before_the_id_is_an_error)
{
        command_fail(ARGV("exec", "--bundle", "/b", "id", "sh"), "flag provided but not defined: -bundle");
        command_fail(ARGV("exec", "-it", "id", "sh"), "flag provided but not defined: -it");
}
END_TEST

/* --- update -------------------------------------------------------------- */

START_TEST(test_update_resources_in_each_form)
{
        static const char *const forms[][2] = {{"--resources", "-"}, {"-resources", "-"},     {"-r", "-"},
                                               {"--r", "-"},         {"--resources=-", NULL}, {"-r=-", NULL}};
        for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
                struct runc_invocation inv;
                char **argv = forms[i][1] ? ARGV("update", (char *)forms[i][0], (char *)forms[i][1], "id")
                                          : ARGV("update", (char *)forms[i][0], "id");
                command_ok(argv, &inv);
                ck_assert_pstr_eq(inv.resources, "-");
                ck_assert_str_eq(inv.container_id, "id");
                runc_invocation_free(&inv);
        }
}
END_TEST

START_TEST(test_update_resources_file_after_the_id_is_found_by_reordering)
{
        struct runc_invocation inv;
        command_ok(ARGV("update", "id", "--resources", "/r.json"), &inv);
        ck_assert_str_eq(inv.resources, "/r.json");
        ck_assert_str_eq(inv.container_id, "id");
        runc_invocation_free(&inv);
}
END_TEST

START_TEST(test_update_resources_dash_after_the_id_is_its_value)
{
        /* urfave 1.22.9 moves any word that is not one of the command's
         * flags as the value, "-" included (1.22.1 would not have) */
        struct runc_invocation inv;
        command_ok(ARGV("update", "id", "--resources", "-"), &inv);
        ck_assert_str_eq(inv.resources, "-");
        ck_assert_str_eq(inv.container_id, "id");
        runc_invocation_free(&inv);
}
END_TEST

START_TEST(test_update_empty_resources_means_the_flags)
{
        struct runc_invocation inv;
        command_ok(ARGV("update", "-r=", "--memory", "1g", "id"), &inv);
        ck_assert_ptr_null(inv.resources);
        ck_assert_int_eq(inv.n_update_flags, 1);
        runc_invocation_free(&inv);
}
END_TEST

static const char *const update_value_flags[] = {
        "blkio-weight", "cpu-period",  "cpu-quota",       "cpu-share",         "cpu-rt-period", "cpu-rt-runtime",
        "cpuset-cpus",  "cpuset-mems", "kernel-memory",   "kernel-memory-tcp", "memory",        "memory-reservation",
        "memory-swap",  "pids-limit",  "l3-cache-schema", "mem-bw-schema",
};

START_TEST(test_update_each_resource_flag_is_recorded_with_its_long_name)
{
        const char *name = update_value_flags[_i];
        char spaced[64], joined[64];
        snprintf(spaced, sizeof spaced, "--%s", name);
        snprintf(joined, sizeof joined, "-%s=20", name);
        struct runc_invocation inv;
        command_ok(ARGV("update", spaced, "10", "id", joined), &inv);
        ck_assert_int_eq(inv.n_update_flags, 2);
        ck_assert_str_eq(inv.update_flags[0].name, name);
        ck_assert_str_eq(inv.update_flags[0].value, "10");
        ck_assert_str_eq(inv.update_flags[1].name, name);
        ck_assert_str_eq(inv.update_flags[1].value, "20");
        ck_assert_ptr_null(inv.resources);
        runc_invocation_free(&inv);
}
END_TEST

START_TEST(test_update_flags_keep_argv_order_and_sit_beside_resources)
{
        struct runc_invocation inv;
        command_ok(ARGV("update", "--memory", "1g", "id", "--cpu-quota=5", "-r", "/r", "--l3-cache-schema", "L3:0=f"),
                   &inv);
        ck_assert_int_eq(inv.n_update_flags, 3);
        ck_assert_str_eq(inv.update_flags[0].name, "memory");
        ck_assert_str_eq(inv.update_flags[1].name, "cpu-quota");
        ck_assert_str_eq(inv.update_flags[2].name, "l3-cache-schema");
        ck_assert_str_eq(inv.update_flags[2].value, "L3:0=f");
        ck_assert_str_eq(inv.resources, "/r");
        runc_invocation_free(&inv);
}
END_TEST

START_TEST(test_update_int_flags_are_validated_and_string_ones_are_not)
{
        command_fail(ARGV("update", "--pids-limit", "abc", "id"), "invalid value \"abc\" for flag -pids-limit");
        command_fail(ARGV("update", "--blkio-weight=1.5", "id"), "-blkio-weight");
        struct runc_invocation inv;
        command_ok(ARGV("update", "--blkio-weight", "0x1f4", "--memory", "not-a-size", "id"), &inv);
        ck_assert_int_eq(inv.n_update_flags, 2);
        runc_invocation_free(&inv);
}
END_TEST

START_TEST(test_update_resources_in_both_forms_is_an_error)
{
        command_fail(ARGV("update", "-r=-", "--resources=-", "id"), "two forms");
        command_fail(ARGV("update", "-r", "-", "--resources", "-", "id"), "two forms");
}
END_TEST

START_TEST(test_update_unknown_flag_is_an_error)
{
        command_fail(ARGV("update", "--cpus", "2", "id"), "flag provided but not defined: -cpus");
}
END_TEST

/* --- runc_parse_command's own contract ---------------------------------- */

START_TEST(test_parse_command_refuses_a_command_without_a_known_grammar)
{
        command_fail(ARGV("state", "id"), "not known");
        command_fail(ARGV("foo"), "not known");
        command_fail(ARGV("--debug"), "not known");
}
END_TEST

START_TEST(test_parse_command_leaves_the_invocation_untouched_on_failure)
{
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        struct runc_invocation inv;
        globals_ok(ARGV("create", "-b", "/b", "--bogus", "id"), &inv);
        ck_assert_int_lt(runc_parse_command(&inv, &err), 0);
        ck_assert_ptr_null(inv.bundle);
        ck_assert_ptr_null(inv.container_id);
        ck_assert_msg(strstr(rh_error_msg(&err), "runc create: "), "context: %s", rh_error_msg(&err));
        runc_invocation_free(&inv);
}
END_TEST

START_TEST(test_parse_command_after_global_flags_and_harden_flags)
{
        struct runc_invocation inv;
        command_ok(ARGV("--root", "/run/x", "--harden-policy", "/p", "--systemd-cgroup", "run", "-b", "/b", "-d", "id"),
                   &inv);
        ck_assert_int_eq(inv.cmd, RUNC_CMD_RUN);
        ck_assert_str_eq(inv.bundle, "/b");
        ck_assert_str_eq(inv.container_id, "id");
        ck_assert_str_eq(inv.g.harden_policy, "/p");
        runc_invocation_free(&inv);
}
END_TEST

START_TEST(test_too_many_list_values_are_refused)
{
        enum { N = RUNC_MAX_LIST + 1 };
        char *argv[2 * N + 5];
        int k = 0;
        argv[k++] = "runc";
        argv[k++] = "exec";
        for (int i = 0; i < N; i++) {
                argv[k++] = "-e";
                argv[k++] = "A=1";
        }
        argv[k++] = "id";
        argv[k++] = "sh";
        argv[k] = NULL;
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        struct runc_invocation inv;
        globals_ok(argv, &inv);
        ck_assert_int_lt(runc_parse_command(&inv, &err), 0);
        ck_assert_int_eq(inv.exec.n_env, 0);
        runc_invocation_free(&inv);
}
END_TEST

static Suite *cli_suite(void)
{
        Suite *s = suite_create("cli");
        TCase *tc = tcase_create("commands");
        tcase_add_loop_test(tc, test_every_runc_subcommand_is_recognised, 0, (int)(sizeof(words) / sizeof(words[0])));
        tcase_add_test(tc, test_other_words_are_unknown_commands);
        tcase_add_test(tc, test_no_subcommand_is_none);
        tcase_add_test(tc, test_only_create_run_restore_exec_and_update_are_checked);
        tcase_add_test(tc, test_command_names_exist_for_none_unknown_and_out_of_range_values);
        tcase_add_test(tc, test_double_dash_ends_the_global_flags_and_the_next_word_is_the_command);
        suite_add_tcase(s, tc);

        tc = tcase_create("globals");
        tcase_add_test(tc, test_string_global_flags_in_all_four_forms);
        tcase_add_test(tc, test_global_value_flag_takes_the_next_argument_even_if_it_looks_like_a_flag);
        tcase_add_test(tc, test_empty_value_after_equals_is_a_value);
        tcase_add_test(tc, test_value_splits_at_the_first_equals_sign);
        tcase_add_test(tc, test_repeated_global_flag_last_wins);
        tcase_add_test(tc, test_bool_global_flags_take_no_separate_value);
        tcase_add_test(tc, test_bool_global_flag_accepts_every_go_bool_spelling);
        tcase_add_test(tc, test_bool_global_flag_with_another_value_is_an_error);
        tcase_add_test(tc, test_help_and_version_globals_in_short_and_long_forms);
        tcase_add_test(tc, test_both_forms_of_help_together_are_an_error);
        tcase_add_test(tc, test_unknown_global_flag_is_an_error_naming_it);
        tcase_add_test(tc, test_global_value_flag_without_a_value_is_an_error);
        tcase_add_test(tc, test_bad_flag_syntax_is_an_error);
        tcase_add_test(tc, test_global_flags_after_the_command_belong_to_the_command);
        tcase_add_test(tc, test_empty_argument_vector_is_an_error);
        suite_add_tcase(s, tc);

        tc = tcase_create("harden");
        tcase_add_test(tc, test_harden_flags_in_all_forms_are_removed_from_the_delegate_argv);
        tcase_add_test(tc, test_everything_else_is_kept_byte_for_byte_in_order);
        tcase_add_test(tc, test_harden_flag_takes_the_next_argument_even_if_it_looks_like_a_flag);
        tcase_add_test(tc, test_harden_flag_given_as_a_runc_flag_value_is_kept);
        tcase_add_test(tc, test_harden_flag_without_a_value_is_an_error);
        tcase_add_test(tc, test_after_a_global_error_the_argv_keeps_the_rest_and_drops_harden_flags_read_before);
        tcase_add_test(tc, test_invocation_free_forgets_the_argv);
        suite_add_tcase(s, tc);

        tc = tcase_create("create-run-restore");
        tcase_add_test(tc, test_bundle_in_each_form_before_the_container_id);
        tcase_add_test(tc, test_bundle_after_container_id_is_found_by_reordering);
        tcase_add_test(tc, test_repeated_bundle_last_wins);
        tcase_add_test(tc, test_bundle_and_b_together_are_an_error_not_last_wins);
        tcase_add_test(tc, test_bool_flag_eats_the_next_word_when_reordered);
        tcase_add_test(tc, test_value_flag_before_a_dash_word_takes_it_as_its_value);
        tcase_add_test(tc, test_unknown_flag_after_the_container_id_is_not_moved);
        tcase_add_test(tc, test_double_dash_stops_reordering);
        tcase_add_test(tc, test_value_flag_given_last_takes_the_container_id_after_reordering);
        tcase_add_test(tc, test_value_flag_without_any_value_is_an_error);
        tcase_add_test(tc, test_empty_bundle_means_the_working_directory);
        tcase_add_test(tc, test_container_id_count_must_be_exactly_one);
        tcase_add_test(tc, test_dash_alone_is_a_positional_argument);
        tcase_add_test(tc, test_unknown_command_flag_is_an_error_naming_it);
        tcase_add_test(tc, test_preserve_fds_accepts_go_integers);
        tcase_add_test(tc, test_preserve_fds_refuses_what_go_does_not_parse);
        tcase_add_test(tc, test_help_flag_is_accepted_without_a_container_id);
        tcase_add_test(tc, test_help_false_is_no_help);
        tcase_add_test(tc, test_help_does_not_excuse_a_flag_error);
        tcase_add_test(tc, test_restore_reads_its_bundle_and_knows_its_flags);
        suite_add_tcase(s, tc);

        tc = tcase_create("exec");
        tcase_add_test(tc, test_exec_process_in_each_form);
        tcase_add_test(tc, test_exec_is_not_reordered_so_a_process_flag_after_the_id_is_a_command_word);
        tcase_add_test(tc, test_exec_command_words_point_into_the_delegate_argv);
        tcase_add_test(tc, test_exec_without_process_needs_a_command);
        tcase_add_test(tc, test_exec_with_process_ignores_extra_words);
        tcase_add_test(tc, test_exec_empty_process_means_no_process);
        tcase_add_test(tc, test_exec_repeated_process_last_wins);
        tcase_add_test(tc, test_exec_list_flags_append_in_order);
        tcase_add_test(tc, test_exec_list_flag_in_both_forms_is_an_error);
        tcase_add_test(tc, test_exec_additional_gids_must_be_decimal_int64);
        tcase_add_test(tc, test_exec_scalar_flags_are_stored);
        tcase_add_test(tc, test_exec_bool_flag_does_not_take_the_next_word);
        tcase_add_test(tc, test_exec_double_dash_before_the_id_is_consumed_after_it_is_a_word);
        tcase_add_test(tc, test_exec_unknown_flag_before_the_id_is_an_error);
        suite_add_tcase(s, tc);

        tc = tcase_create("update");
        tcase_add_test(tc, test_update_resources_in_each_form);
        tcase_add_test(tc, test_update_resources_file_after_the_id_is_found_by_reordering);
        tcase_add_test(tc, test_update_resources_dash_after_the_id_is_its_value);
        tcase_add_test(tc, test_update_empty_resources_means_the_flags);
        tcase_add_loop_test(tc, test_update_each_resource_flag_is_recorded_with_its_long_name, 0,
                            (int)(sizeof(update_value_flags) / sizeof(update_value_flags[0])));
        tcase_add_test(tc, test_update_flags_keep_argv_order_and_sit_beside_resources);
        tcase_add_test(tc, test_update_int_flags_are_validated_and_string_ones_are_not);
        tcase_add_test(tc, test_update_resources_in_both_forms_is_an_error);
        tcase_add_test(tc, test_update_unknown_flag_is_an_error);
        suite_add_tcase(s, tc);

        tc = tcase_create("contract");
        tcase_add_test(tc, test_parse_command_refuses_a_command_without_a_known_grammar);
        tcase_add_test(tc, test_parse_command_leaves_the_invocation_untouched_on_failure);
        tcase_add_test(tc, test_parse_command_after_global_flags_and_harden_flags);
        tcase_add_test(tc, test_too_many_list_values_are_refused);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        SRunner *sr = srunner_create(cli_suite());
        srunner_run_all(sr, CK_NORMAL);
        int failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
