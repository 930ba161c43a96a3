/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "delegate.h"
#include "runtime.h"
#include "util.h"

/* runc-harden's own subcommands; runc has none of these names. */
static const struct {
        const char *name;
        int (*fn)(int argc, char **argv);
} own_commands[] = {
        {"lint", cmd_lint}, {"policy", cmd_policy}, {"setup", cmd_setup}, {"audit", cmd_audit}, {"report", cmd_report},
};

static void usage_own(void)
{
        fputs("usage: runc-harden [--harden-policy FILE] [--harden-mode enforce|dry-run] [--harden-runtime PATH]\n"
              "                   [runc global flags] COMMAND [ARGS]\n"
              "       runc-harden lint [--policy FILE] [--format text|json|sarif] [--fix] PATH...\n"
              "       runc-harden policy show [--policy FILE | --level NAME] | policy check FILE | policy levels\n"
              "       runc-harden audit [--format text|json|sarif] [--daemon-config FILE] [--root-dir DIR] "
              "[--runtime-root DIR]\n"
              "       runc-harden report [--since TIME] [--format text|json] [--policy FILE] [--audit-log FILE]\n"
              "       runc-harden setup docker [--default] [--dry-run] [--daemon-config FILE] [--path BINARY] "
              "[--policy FILE]\n"
              "       runc-harden setup system [--undo] [--dry-run] [--path BINARY] [--root DIR]\n"
              "Every runc command is accepted; create, run, exec and update are checked against the policy.\n"
              "See runc-harden(8).\n",
              stderr);
}

/* Straight to the real runtime with the argv as given (less our own flags):
 * nothing read, nothing that can fail on a broken policy. */
static int passthrough(struct runc_invocation *inv, const char *runtime)
{
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        shim_exec_delegate(runtime, inv->argv, &err);
        rh_say(stderr, "runc-harden: %s", rh_error_msg(&err));
        return 127;
}

/* runc-harden's lines, then the delegate's own (passthrough). dockerd reads
 * `RUNTIME --version` for docker info and docker version: every line that
 * contains "version" sets the runtime and its version, every "commit:"
 * line the commit, the last one winning; containerd 1.6 does not run it.
 * So only the first line here says "version", and the delegate's lines,
 * which come last, are what dockerd shows, as before. */
static void print_version(const struct runc_invocation *inv, const char *runtime)
{
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        _cleanup_policy_ struct policy *p = NULL;
        _cleanup_free_ char *state = NULL;
        const char *path = inv->g.harden_policy ?: RH_POLICY_PATH;
        const struct scmp_version *sv = seccomp_version();
        rh_mode_t mode;

        if (policy_load(path, !inv->g.harden_policy, &p, &err) < 0)
                state = strdup("invalid: checked commands are refused; runc-harden policy check says why");
        else if (asprintf(&state, "%smode %s%s", STREQ(p->source, "built-in") ? "absent, built-in policy, " : "",
                          mode_name(inv->g.harden_mode && mode_from_string(inv->g.harden_mode, &mode) == 0 ? mode
                                                                                                           : p->mode),
                          inv->g.harden_mode ? " (--harden-mode)" : "") < 0)
                state = NULL;
        printf("runc-harden version %s\n", RH_VERSION);
        printf("runc-harden build: apparmor %s, selinux %s, libseccomp %u.%u.%u, default runtime %s, system runtime "
               "%s\n",
               HAVE_APPARMOR ? "yes" : "no", HAVE_SELINUX ? "yes" : "no", sv ? sv->major : 0, sv ? sv->minor : 0,
               sv ? sv->micro : 0, RH_DEFAULT_RUNTIME, RH_SYSTEM_RUNTIME);
        rh_say(stdout, "runc-harden policy: %s (%s)", path, state ?: "?");
        rh_say(stdout, "runc-harden delegate: %s", runtime);
        fflush(stdout);
}

static bool mentions_checked_command(int argc, char **argv)
{
        static const char *const words[] = {"create", "run", "exec", "update", "restore"};
        for (int i = 1; i < argc; i++)
                for (size_t k = 0; k < ARRAY_SIZE(words); k++)
                        if (STREQ(argv[i], words[k]))
                                return true;
        return false;
}

int main(int argc, char **argv)
{
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        struct runc_invocation inv = {0};
        struct caller_fds fds;
        int r;

        /* Before anything is opened: the fds open now are the caller's,
         * and only those may be handed to the container (preserved_fds.h). */
        caller_fds_at_start(&fds);

        if (argc >= 2)
                for (size_t i = 0; i < ARRAY_SIZE(own_commands); i++)
                        if (STREQ(argv[1], own_commands[i].name))
                                return own_commands[i].fn(argc - 1, argv + 1);
        if (argc >= 2 && (STREQ(argv[1], "--harden-help"))) {
                usage_own();
                return 0;
        }

        r = runc_parse_globals(argc, argv, &inv, &err);
        const char *runtime = shim_choose_runtime(inv.g.harden_runtime, RH_DEFAULT_RUNTIME, RH_SYSTEM_RUNTIME);
        if (r < 0) {
                /* runc should refuse this command line as well, but if our
                 * reading differs from runc's, a checked command must not
                 * slip through: fail closed when one may be meant (in
                 * dry-run, runc answers it). */
                if (!inv.argv) {
                        rh_say(stderr, "runc-harden: cannot read the command line: %s; refusing", rh_error_msg(&err));
                        return 1;
                }
                r = mentions_checked_command(argc, argv) ? checked_unreadable(&inv, runtime, &err)
                                                         : passthrough(&inv, runtime);
                runc_invocation_free(&inv);
                return r;
        }
        if (inv.g.version && !inv.g.help)
                print_version(&inv, runtime);
        if (!inv.g.help && !inv.g.version && inv.cmd == RUNC_CMD_DELETE) {
                /* A container dry-run watched: what it did, before runc
                 * removes it. Bounded, and nothing here can stop the
                 * delete; a command line not read is left to runc. */
                _cleanup_error_ rh_error_t ignored = RH_ERROR_INIT;
                if (runc_parse_command(&inv, &ignored) == 0 && !inv.cmd_help)
                        dryrun_at_delete(&inv);
                r = passthrough(&inv, runtime);
                runc_invocation_free(&inv);
                return r;
        }
        if (inv.g.help || inv.g.version || !runc_cmd_is_checked(inv.cmd))
                return passthrough(&inv, runtime);

        /* The command's own flags decide which files runc reads. A command
         * line that runc-harden cannot read the way runc does is refused:
         * runc would refuse it too, or read something unchecked. A dry
         * run hands it to runc unchanged. */
        if (runc_parse_command(&inv, &err) < 0) {
                r = checked_unreadable(&inv, runtime, &err);
                runc_invocation_free(&inv);
                return r;
        }
        if (inv.cmd_help)
                return passthrough(&inv, runtime);

        switch (inv.cmd) {
        case RUNC_CMD_CREATE:
        case RUNC_CMD_RUN:
        case RUNC_CMD_RESTORE:
                r = cmd_create(&inv, runtime, &fds);
                break;
        case RUNC_CMD_EXEC:
                r = cmd_exec(&inv, runtime, &fds);
                break;
        case RUNC_CMD_UPDATE:
                r = cmd_update(&inv, runtime);
                break;
        default:
                r = passthrough(&inv, runtime);
                break;
        }
        runc_invocation_free(&inv);
        /* a runtime that died of a signal: so does runc-harden */
        return shim_raise_exit(r);
}
