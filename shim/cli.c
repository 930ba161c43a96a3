/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "goflag.h"
#include "util.h"

/* runc 1.1.5 as Debian 12 ships it: built with Go 1.19 against Debian's
 * urfave/cli 1.22.9 (not the 1.22.1 in runc's vendor/), over Go's flag
 * package. Every rule below reproduces one piece of that stack, because
 * checking a different bundle, process file or resources document than the
 * one runc then uses would let a command line slip past the policy. */

static const char *const cmd_words[_RUNC_CMD_MAX] = {
        [RUNC_CMD_CHECKPOINT] = "checkpoint",
        [RUNC_CMD_CREATE] = "create",
        [RUNC_CMD_DELETE] = "delete",
        [RUNC_CMD_EVENTS] = "events",
        [RUNC_CMD_EXEC] = "exec",
        [RUNC_CMD_KILL] = "kill",
        [RUNC_CMD_LIST] = "list",
        [RUNC_CMD_PAUSE] = "pause",
        [RUNC_CMD_PS] = "ps",
        [RUNC_CMD_RESTORE] = "restore",
        [RUNC_CMD_RESUME] = "resume",
        [RUNC_CMD_RUN] = "run",
        [RUNC_CMD_SPEC] = "spec",
        [RUNC_CMD_START] = "start",
        [RUNC_CMD_STATE] = "state",
        [RUNC_CMD_UPDATE] = "update",
        [RUNC_CMD_FEATURES] = "features",
        [RUNC_CMD_HELP] = "help",
};

const char *runc_cmd_name(runc_cmd_t cmd)
{
        if (cmd == RUNC_CMD_NONE)
                return "(no command)";
        if ((unsigned)cmd >= _RUNC_CMD_MAX || !cmd_words[cmd])
                return "(unknown command)";
        return cmd_words[cmd];
}

bool runc_cmd_is_checked(runc_cmd_t cmd)
{
        return cmd == RUNC_CMD_CREATE || cmd == RUNC_CMD_RUN || cmd == RUNC_CMD_RESTORE || cmd == RUNC_CMD_EXEC ||
               cmd == RUNC_CMD_UPDATE;
}

static runc_cmd_t cmd_from_word(const char *word)
{
        /* urfave adds "help" with the alias "h"; runc's own commands have
         * neither short names nor aliases, so no prefix or alias matches.
         * An empty word finds no command, and the app's default action
         * shows the help for "", which is the whole app's help. */
        if (STREQ(word, "h") || STREQ(word, ""))
                return RUNC_CMD_HELP;
        for (unsigned c = 0; c < _RUNC_CMD_MAX; c++)
                if (cmd_words[c] && STREQ(word, cmd_words[c]))
                        return (runc_cmd_t)c;
        return RUNC_CMD_UNKNOWN;
}

/* --- the flags runc defines --------------------------------------------- */

#define AT(field) offsetof(struct runc_invocation, field)
#define STORE(n, a, k, field)                                                                                          \
        {                                                                                                              \
                n, a, k, ROLE_STORE, AT(field), 0                                                                      \
        }
#define LIST(n, a, k, field, count)                                                                                    \
        {                                                                                                              \
                n, a, k, ROLE_STORE, AT(field), AT(count)                                                              \
        }
/* runc reads it; only its grammar matters here (does it take a value?) */
#define READ(n, a, k)                                                                                                  \
        {                                                                                                              \
                n, a, k, ROLE_STORE, NO_FIELD, 0                                                                       \
        }
#define HARDEN(n, field)                                                                                               \
        {                                                                                                              \
                n, NULL, FLAG_STRING, ROLE_HARDEN, AT(field), 0                                                        \
        }
#define UPDATE(n, k)                                                                                                   \
        {                                                                                                              \
                n, NULL, k, ROLE_UPDATE, NO_FIELD, 0                                                                   \
        }
/* urfave's Command.Run appends HelpFlag ("help, h") to every command. */
#define CMD_HELP STORE("help", "h", FLAG_BOOL, cmd_help)

static const struct flag_def flags_global[] = {
        STORE("debug", NULL, FLAG_BOOL, g.debug),
        STORE("log", NULL, FLAG_STRING, g.log),
        STORE("log-format", NULL, FLAG_STRING, g.log_format),
        STORE("root", NULL, FLAG_STRING, g.root),
        READ("criu", NULL, FLAG_STRING),
        STORE("systemd-cgroup", NULL, FLAG_BOOL, g.systemd_cgroup),
        READ("rootless", NULL, FLAG_STRING),
        STORE("help", "h", FLAG_BOOL, g.help),
        STORE("version", "v", FLAG_BOOL, g.version),
        HARDEN("harden-policy", g.harden_policy),
        HARDEN("harden-mode", g.harden_mode),
        HARDEN("harden-runtime", g.harden_runtime),
};

static const struct flag_def flags_create[] = {
        STORE("bundle", "b", FLAG_STRING, bundle),
        STORE("console-socket", NULL, FLAG_STRING, create.console_socket),
        STORE("pid-file", NULL, FLAG_STRING, create.pid_file),
        STORE("no-pivot", NULL, FLAG_BOOL, create.no_pivot),
        STORE("no-new-keyring", NULL, FLAG_BOOL, create.no_new_keyring),
        STORE("preserve-fds", NULL, FLAG_INT, create.preserve_fds),
        CMD_HELP,
};

static const struct flag_def flags_run[] = {
        STORE("bundle", "b", FLAG_STRING, bundle),
        STORE("console-socket", NULL, FLAG_STRING, create.console_socket),
        STORE("detach", "d", FLAG_BOOL, create.detach),
        STORE("keep", NULL, FLAG_BOOL, create.keep),
        STORE("pid-file", NULL, FLAG_STRING, create.pid_file),
        STORE("no-subreaper", NULL, FLAG_BOOL, create.no_subreaper),
        STORE("no-pivot", NULL, FLAG_BOOL, create.no_pivot),
        STORE("no-new-keyring", NULL, FLAG_BOOL, create.no_new_keyring),
        STORE("preserve-fds", NULL, FLAG_INT, create.preserve_fds),
        CMD_HELP,
};

static const struct flag_def flags_restore[] = {
        READ("console-socket", NULL, FLAG_STRING),
        READ("image-path", NULL, FLAG_STRING),
        READ("work-path", NULL, FLAG_STRING),
        READ("tcp-established", NULL, FLAG_BOOL),
        READ("ext-unix-sk", NULL, FLAG_BOOL),
        READ("shell-job", NULL, FLAG_BOOL),
        READ("file-locks", NULL, FLAG_BOOL),
        READ("manage-cgroups-mode", NULL, FLAG_STRING),
        STORE("bundle", "b", FLAG_STRING, bundle),
        READ("detach", "d", FLAG_BOOL),
        READ("pid-file", NULL, FLAG_STRING),
        READ("no-subreaper", NULL, FLAG_BOOL),
        READ("no-pivot", NULL, FLAG_BOOL),
        READ("empty-ns", NULL, FLAG_STRINGS),
        READ("auto-dedup", NULL, FLAG_BOOL),
        READ("lazy-pages", NULL, FLAG_BOOL),
        READ("lsm-profile", NULL, FLAG_STRING),
        READ("lsm-mount-context", NULL, FLAG_STRING),
        CMD_HELP,
};

static const struct flag_def flags_exec[] = {
        STORE("console-socket", NULL, FLAG_STRING, exec.console_socket),
        STORE("cwd", NULL, FLAG_STRING, exec.cwd),
        LIST("env", "e", FLAG_STRINGS, exec.env, exec.n_env),
        STORE("tty", "t", FLAG_BOOL, exec.tty),
        STORE("user", "u", FLAG_STRING, exec.user),
        LIST("additional-gids", "g", FLAG_INT64S, exec.additional_gids, exec.n_additional_gids),
        STORE("process", "p", FLAG_STRING, exec.process),
        STORE("detach", "d", FLAG_BOOL, exec.detach),
        STORE("pid-file", NULL, FLAG_STRING, exec.pid_file),
        STORE("process-label", NULL, FLAG_STRING, exec.process_label),
        STORE("apparmor", NULL, FLAG_STRING, exec.apparmor),
        STORE("no-new-privs", NULL, FLAG_BOOL, exec.no_new_privs),
        LIST("cap", "c", FLAG_STRINGS, exec.caps, exec.n_caps),
        STORE("preserve-fds", NULL, FLAG_INT, exec.preserve_fds),
        LIST("cgroup", NULL, FLAG_STRINGS, exec.cgroups, exec.n_cgroups),
        STORE("ignore-paused", NULL, FLAG_BOOL, exec.ignore_paused),
        CMD_HELP,
};

/* delete is not checked: its id only tells runc-harden which dry-run
 * record to complete before the hand-off. */
static const struct flag_def flags_delete[] = {
        READ("force", "f", FLAG_BOOL),
        CMD_HELP,
};

static const struct flag_def flags_update[] = {
        STORE("resources", "r", FLAG_STRING, resources),
        UPDATE("blkio-weight", FLAG_INT),
        UPDATE("cpu-period", FLAG_STRING),
        UPDATE("cpu-quota", FLAG_STRING),
        UPDATE("cpu-share", FLAG_STRING),
        UPDATE("cpu-rt-period", FLAG_STRING),
        UPDATE("cpu-rt-runtime", FLAG_STRING),
        UPDATE("cpuset-cpus", FLAG_STRING),
        UPDATE("cpuset-mems", FLAG_STRING),
        UPDATE("kernel-memory", FLAG_STRING),
        UPDATE("kernel-memory-tcp", FLAG_STRING),
        UPDATE("memory", FLAG_STRING),
        UPDATE("memory-reservation", FLAG_STRING),
        UPDATE("memory-swap", FLAG_STRING),
        UPDATE("pids-limit", FLAG_INT),
        UPDATE("l3-cache-schema", FLAG_STRING),
        UPDATE("mem-bw-schema", FLAG_STRING),
        CMD_HELP,
};

static int flag_use_apply(struct runc_invocation *inv, const struct flag_use *u, rh_error_t *err)
{
        const struct flag_def *d = u->def;

        if (d->role == ROLE_UPDATE) {
                if (inv->n_update_flags >= RUNC_MAX_LIST)
                        return rh_error_set(err, E2BIG, "more than %d resource flags", RUNC_MAX_LIST);
                inv->update_flags[inv->n_update_flags++] = (struct runc_kv){.name = d->name, .value = u->value};
                return 0;
        }
        if (d->off == NO_FIELD)
                return 0;
        char *field = (char *)inv + d->off;
        switch (d->kind) {
        case FLAG_BOOL:
                *(bool *)field = u->on;
                break;
        case FLAG_STRING:
        case FLAG_INT:
                *(const char **)field = u->value;
                break;
        case FLAG_STRINGS:
        case FLAG_INT64S: {
                int *count = (int *)((char *)inv + d->count_off);
                if (*count >= RUNC_MAX_LIST)
                        return rh_error_set(err, E2BIG, "more than %d values for --%s", RUNC_MAX_LIST, d->name);
                ((const char **)field)[(*count)++] = u->value;
                break;
        }
        default:
                break;
        }
        return 0;
}

static int flag_uses_apply(struct runc_invocation *inv, const struct flag_use *uses, int n_uses, rh_error_t *err)
{
        for (int i = 0; i < n_uses; i++) {
                int r = flag_use_apply(inv, &uses[i], err);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* --- the global level ---------------------------------------------------- */

/* The delegate's argv: argv less the --harden-* flags and their values.
 * *ret_cmd_index: where argv[cmd] lands in it (its argc when cmd >= argc). */
static int delegate_argv_build(struct runc_invocation *inv, int argc, char **argv, const struct flag_use *uses,
                               int n_uses, int cmd, int *ret_cmd_index)
{
        _cleanup_free_ bool *drop = calloc((size_t)argc, sizeof *drop);
        char **out = calloc((size_t)argc + 1, sizeof *out);
        int k = 0;

        if (!drop || !out) {
                free(out);
                return -ENOMEM;
        }
        for (int i = 0; i < n_uses; i++)
                if (uses[i].def->role == ROLE_HARDEN)
                        for (int j = 0; j < uses[i].n_args; j++)
                                drop[uses[i].index + j] = true;
        for (int i = 0; i < argc; i++) {
                if (i == cmd)
                        *ret_cmd_index = k;
                if (!drop[i])
                        out[k++] = argv[i];
        }
        if (cmd >= argc)
                *ret_cmd_index = k;
        out[k] = NULL;
        inv->argv = out;
        inv->argc = k;
        return 0;
}

/* On failure *ret still holds what was read before the error and the
 * delegate argv: the caller may hand a command line runc rejects on to
 * runc (which then reports it), using --harden-runtime if it was read.
 * Call runc_invocation_free() in every case. */
int runc_parse_globals(int argc, char **argv, struct runc_invocation *ret, rh_error_t *err)
{
        _cleanup_free_ struct flag_use *uses = NULL;
        _cleanup_error_ rh_error_t ignored = RH_ERROR_INIT;
        int n_uses = 0, rest = 1, r, q;

        *ret = (struct runc_invocation){.cmd = RUNC_CMD_NONE};
        if (argc < 1 || !argv || !argv[0])
                return rh_error_set(err, EINVAL, "empty argument vector");
        uses = calloc((size_t)argc, sizeof *uses);
        if (!uses)
                return rh_error_set(err, ENOMEM, "out of memory");

        /* App.Run: Go's parser over argv[1:] with no reordering; the
         * first positional argument is the command. */
        r = go_flags_parse(flags_global, ARRAY_SIZE(flags_global), argv, argc, 1, uses, &n_uses, &rest, err);
        if (r == 0)
                r = check_one_form_each(flags_global, ARRAY_SIZE(flags_global), uses, n_uses, err);
        q = flag_uses_apply(ret, uses, n_uses, r < 0 ? &ignored : err);
        if (r == 0)
                r = q;
        if (delegate_argv_build(ret, argc, argv, uses, n_uses, r < 0 ? argc : rest, &ret->cmd_index) < 0)
                return rh_error_set(err, ENOMEM, "out of memory");
        if (r < 0)
                return r;
        if (ret->cmd_index < ret->argc)
                ret->cmd = cmd_from_word(ret->argv[ret->cmd_index]);
        return 0;
}

/* --- the command level --------------------------------------------------- */

/* urfave's argIsFlag: an argument is moved only if it names one of the
 * command's own flags, after up to three leading dashes and before any
 * '='. "-" and "--" never are; an unknown "--bogus" stays in place. */
static bool urfave_arg_is_flag(const struct flag_def *defs, size_t n_defs, const char *arg)
{
        bool by_alias;

        if (arg[0] != '-' || STREQ(arg, "-") || STREQ(arg, "--"))
                return false;
        const char *name = arg + 1;
        if (arg[1] == '-')
                name = arg[2] == '-' ? arg + 3 : arg + 2;
        return flag_lookup(defs, n_defs, name, strcspn(name, "="), &by_alias) != NULL;
}

/* urfave/cli 1.22.9's reorderArgs, which Debian 12 builds runc 1.1.5
 * against (runc's own vendor/ has 1.22.1, which reorders differently and
 * is not what runs): the command's flags move in front of everything else,
 * each taking the next word as its possible value if it has no '=' and
 * that word is not itself one of the flags ("-", "--" and "--bogus" are
 * taken). A "--" that is not a value goes first among the rest, so every
 * word not moved, even one before it, becomes positional. Go's parser then
 * stops at the first positional argument: "create --no-pivot ID --bundle
 * /x" leaves --bundle unread and runc refuses three arguments. */
static char **urfave_reorder(const struct flag_def *defs, size_t n_defs, char **args, int n)
{
        char **out = calloc(2 * (size_t)n + 1, sizeof *out);
        if (!out)
                return NULL;
        char **rest = out + n;
        int n_moved = 0, n_rest = 0;
        bool may_be_value = false;

        for (int i = 0; i < n; i++) {
                bool is_flag = urfave_arg_is_flag(defs, n_defs, args[i]);
                if (may_be_value && !is_flag) {
                        may_be_value = false;
                        out[n_moved++] = args[i];
                } else if (STREQ(args[i], "--")) {
                        memmove(rest + 1, rest, (size_t)n_rest * sizeof *rest);
                        rest[0] = args[i];
                        n_rest++;
                        while (++i < n)
                                rest[n_rest++] = args[i];
                        break;
                } else if (is_flag) {
                        out[n_moved++] = args[i];
                        may_be_value = !strchr(args[i], '=');
                } else {
                        rest[n_rest++] = args[i];
                }
        }
        memmove(out + n_moved, rest, (size_t)n_rest * sizeof *out);
        return out;
}

/* checkArgs(context, 1, exactArgs) in create, run, restore and update */
static int take_container_id(struct runc_invocation *inv, char **args, int n, rh_error_t *err)
{
        if (n != 1)
                return rh_error_set(err, EINVAL, "requires exactly 1 argument (the container id), got %d", n);
        inv->container_id = args[0];
        return 0;
}

/* exec: checkArgs(context, 1, minArgs), then execProcess refuses an empty
 * command unless --process names a file; with one, the words after the
 * container id are ignored. */
static int take_exec_args(struct runc_invocation *inv, char **args, int n, rh_error_t *err)
{
        if (n < 1)
                return rh_error_set(err, EINVAL, "requires a minimum of 1 argument (the container id)");
        inv->container_id = args[0];
        if (inv->exec.process)
                return 0;
        if (n < 2)
                return rh_error_set(err, EINVAL, "process args cannot be empty");
        inv->exec_args = args + 1;
        inv->n_exec_args = n - 1;
        return 0;
}

struct command_grammar {
        runc_cmd_t cmd;
        bool reorder; /* false with urfave's SkipArgReorder (exec) */
        const struct flag_def *flags;
        size_t n_flags;
        int (*take_args)(struct runc_invocation *inv, char **args, int n, rh_error_t *err);
};

static const struct command_grammar grammars[] = {
        {RUNC_CMD_CREATE, true, flags_create, ARRAY_SIZE(flags_create), take_container_id},
        {RUNC_CMD_RUN, true, flags_run, ARRAY_SIZE(flags_run), take_container_id},
        {RUNC_CMD_RESTORE, true, flags_restore, ARRAY_SIZE(flags_restore), take_container_id},
        {RUNC_CMD_EXEC, false, flags_exec, ARRAY_SIZE(flags_exec), take_exec_args},
        {RUNC_CMD_UPDATE, true, flags_update, ARRAY_SIZE(flags_update), take_container_id},
        {RUNC_CMD_DELETE, true, flags_delete, ARRAY_SIZE(flags_delete), take_container_id},
};

static const struct command_grammar *grammar_find(runc_cmd_t cmd)
{
        for (size_t i = 0; i < ARRAY_SIZE(grammars); i++)
                if (grammars[i].cmd == cmd)
                        return &grammars[i];
        return NULL;
}

static void command_fields_reset(struct runc_invocation *inv)
{
        inv->cmd_help = false;
        inv->bundle = inv->container_id = inv->resources = NULL;
        inv->n_update_flags = 0;
        inv->exec = (struct runc_exec_flags){0};
        inv->create = (struct runc_create_flags){0};
        inv->exec_args = NULL;
        inv->n_exec_args = 0;
}

/* runc tests these with `!= ""`: an empty value means the flag's absence
 * (the working directory, the flags instead of a file). */
static const char *empty_is_unset(const char *s)
{
        return s && *s ? s : NULL;
}

static int command_parse(struct runc_invocation *inv, const struct command_grammar *gr, char **args, int n,
                         rh_error_t *err)
{
        _cleanup_free_ struct flag_use *uses = calloc((size_t)n + 1, sizeof *uses);
        int n_uses = 0, rest = 0, r;

        if (!uses)
                return rh_error_set(err, ENOMEM, "out of memory");
        r = go_flags_parse(gr->flags, gr->n_flags, args, n, 0, uses, &n_uses, &rest, err);
        if (r == 0)
                r = check_one_form_each(gr->flags, gr->n_flags, uses, n_uses, err);
        if (r == 0)
                r = flag_uses_apply(inv, uses, n_uses, err);
        if (r < 0)
                return r;
        inv->bundle = empty_is_unset(inv->bundle);
        inv->resources = empty_is_unset(inv->resources);
        inv->exec.process = empty_is_unset(inv->exec.process);
        inv->create.pid_file = empty_is_unset(inv->create.pid_file);
        inv->create.console_socket = empty_is_unset(inv->create.console_socket);
        /* urfave shows the help before the action checks the arguments */
        if (inv->cmd_help)
                return 0;
        return gr->take_args(inv, args + rest, n - rest, err);
}

/* The invocation is left untouched on failure. */
int runc_parse_command(struct runc_invocation *inv, rh_error_t *err)
{
        const struct command_grammar *gr = grammar_find(inv->cmd);
        _cleanup_free_ char **reordered = NULL;

        if (!gr)
                return rh_error_set(err, EINVAL, "the flags of runc %s are not known", runc_cmd_name(inv->cmd));
        if (!inv->argv || inv->cmd_index < 0 || inv->cmd_index >= inv->argc)
                return rh_error_set(err, EINVAL, "runc %s: no command word in the argument vector",
                                    runc_cmd_name(inv->cmd));

        char **args = inv->argv + inv->cmd_index + 1;
        int n = inv->argc - inv->cmd_index - 1;
        if (gr->reorder) {
                reordered = urfave_reorder(gr->flags, gr->n_flags, args, n);
                if (!reordered)
                        return rh_error_set(err, ENOMEM, "out of memory");
                args = reordered;
        }
        /* exec_args may point into args: without reordering that is
         * inv->argv itself, and reordered commands keep no vector. */
        struct runc_invocation out = *inv;
        command_fields_reset(&out);
        int r = command_parse(&out, gr, args, n, err);
        if (r < 0)
                return rh_error_wrap(err, "runc %s", runc_cmd_name(inv->cmd));
        *inv = out;
        return 0;
}

void runc_invocation_free(struct runc_invocation *inv)
{
        free(inv->argv);
        inv->argv = NULL;
        inv->argc = 0;
        /* they pointed into argv */
        inv->exec_args = NULL;
        inv->n_exec_args = 0;
}
