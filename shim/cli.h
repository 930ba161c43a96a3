/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>

#include "error.h"

/* runc's command-line grammar, reproduced so that runc-harden finds the
 * same bundle, process file and resources that runc will use. The target is
 * Debian 12's runc 1.1.5, built against Debian's urfave/cli 1.22.9 (not the
 * 1.22.1 upstream vendors: its argument reordering differs), over Go's flag
 * package; checked against the real binary. See docs/cli.md. */

typedef enum {
        RUNC_CMD_NONE, /* no subcommand: runc prints help */
        RUNC_CMD_CHECKPOINT,
        RUNC_CMD_CREATE,
        RUNC_CMD_DELETE,
        RUNC_CMD_EVENTS,
        RUNC_CMD_EXEC,
        RUNC_CMD_KILL,
        RUNC_CMD_LIST,
        RUNC_CMD_PAUSE,
        RUNC_CMD_PS,
        RUNC_CMD_RESTORE,
        RUNC_CMD_RESUME,
        RUNC_CMD_RUN,
        RUNC_CMD_SPEC,
        RUNC_CMD_START,
        RUNC_CMD_STATE,
        RUNC_CMD_UPDATE,
        RUNC_CMD_FEATURES,
        RUNC_CMD_HELP,    /* "help" / "h" */
        RUNC_CMD_UNKNOWN, /* anything else: runc rejects it */
        _RUNC_CMD_MAX,
} runc_cmd_t;

const char *runc_cmd_name(runc_cmd_t cmd);
/* create, run, restore, exec, update: the commands whose input is checked
 * (restore makes a container from the bundle's config.json, like create). */
bool runc_cmd_is_checked(runc_cmd_t cmd);

struct runc_globals {
        const char *log;        /* --log */
        const char *log_format; /* --log-format; NULL means runc's default, text */
        const char *root;       /* --root */
        bool debug, systemd_cgroup;
        bool help, version; /* --help/-h, --version/-v given at the global level */
        /* runc-harden's own globals, removed before the hand-off */
        const char *harden_policy;
        const char *harden_mode;
        const char *harden_runtime;
};

/* One value of update's flags, in argv order (the last one wins in Go). */
struct runc_kv {
        const char *name; /* long name without dashes, e.g. "memory" */
        const char *value;
};

#define RUNC_MAX_LIST 256

struct runc_exec_flags {
        const char *process; /* --process/-p */
        const char *cwd, *user, *process_label, *apparmor, *console_socket, *pid_file;
        bool tty, detach, no_new_privs, ignore_paused;
        const char *env[RUNC_MAX_LIST];
        int n_env;
        const char *caps[RUNC_MAX_LIST];
        int n_caps;
        const char *additional_gids[RUNC_MAX_LIST];
        int n_additional_gids;
        const char *cgroups[RUNC_MAX_LIST];
        int n_cgroups;
        const char *preserve_fds;
};

/* create, run and restore: the flags runc-harden needs after the hand-off
 * (to find the container's init process, and for run to be split into
 * create, start and wait). */
struct runc_create_flags {
        const char *pid_file, *console_socket, *preserve_fds;
        bool detach, keep, no_subreaper, no_pivot, no_new_keyring;
};

struct runc_invocation {
        /* The argv to hand to the delegate: the original argv minus
         * runc-harden's own global flags. argv[0] is the original argv[0];
         * the caller replaces it with the delegate's path. NULL-terminated;
         * the strings point into the original argv. */
        char **argv;
        int argc;
        struct runc_globals g;
        runc_cmd_t cmd;
        int cmd_index; /* index of the subcommand word in argv, or argc */

        /* Filled by runc_parse_command() for checked commands. */
        bool cmd_help;      /* --help/-h given to the subcommand: runc prints help only */
        const char *bundle; /* create/run/restore: --bundle/-b (last wins); NULL: cwd */
        const char *container_id;
        const char *resources; /* update: --resources/-r; "-" is stdin */
        struct runc_kv update_flags[RUNC_MAX_LIST];
        int n_update_flags;
        struct runc_exec_flags exec;
        struct runc_create_flags create;
        /* exec without --process: the command and its arguments */
        char **exec_args;
        int n_exec_args;
};

/* Parses the global flags and finds the subcommand. Accepts runc's globals
 * in any order, in the forms Go's flag package accepts (-f, --f, -f=v,
 * --f=v, -f v, --f v; booleans take no separate value), and runc-harden's
 * --harden-policy, --harden-mode, --harden-runtime in the same forms.
 * On an error that runc would also reject (unknown flag, missing value),
 * returns -EINVAL with a message; the caller decides what to do. */
int runc_parse_globals(int argc, char **argv, struct runc_invocation *ret, rh_error_t *err);

/* Parses the subcommand's flags exactly as runc would (urfave/cli's
 * argument reordering, except for exec, then Go's flag package) for
 * create, run, restore, exec and update, and delete (for its id only). Returns -EINVAL on any error that
 * makes runc refuse the command line, or on a grammar we do not know. */
int runc_parse_command(struct runc_invocation *inv, rh_error_t *err);

void runc_invocation_free(struct runc_invocation *inv);
