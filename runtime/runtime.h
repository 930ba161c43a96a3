/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "cli.h"
#include "engine.h"
#include "exit.h"
#include "log.h"
#include "policy.h"
#include "preserved_fds.h"
#include "spec.h"

#include <sys/stat.h>
#include <sys/types.h>

/* State shared by the checked commands (create, run, exec, update). */
struct checked {
        struct runc_invocation *inv;
        const char *runtime;
        struct policy *policy;
        rh_mode_t mode;
        struct rh_log log;
        struct workload workload; /* what the engine tells about the container */
        struct eval decided;      /* the last decision's findings */
        int fds_end;              /* the runtime hands the container fds [3, fds_end) */
};

/* Loads the policy and opens the log; returns an exit code > 0 after
 * logging when the command must fail closed, 0 to go on. */
int checked_begin(struct checked *c, struct runc_invocation *inv, const char *runtime);
void checked_end(struct checked *c);

/* A command line that runc-harden cannot read the way runc does (why says
 * how). Enforcing, it is refused before anything is read or written: runc
 * might read it in a way that starts an unchecked container. In dry-run
 * (--harden-mode, else the policy's mode) runc gets it unchanged and
 * answers it itself. Returns an exit code, or does not return. */
int checked_unreadable(struct runc_invocation *inv, const char *runtime, const rh_error_t *why);

/* --preserve-fds (preserve: its value, NULL when absent) and LISTEN_FDS:
 * every fd the runtime would hand the container must be one the caller
 * passed (preserved_fds.h). Enforcing, anything else is refused with a
 * message that names the flag and the fd; a dry run says it would refuse.
 * Returns an exit code > 0 after logging, or 0 to go on. */
int checked_preserved_fds(struct checked *c, const struct caller_fds *fds, const char *preserve);

/* Evaluates, logs every finding, writes the audit record, and applies the
 * fixes to the in-memory spec when enforcing. Returns 0 when the command
 * may go on (then *ret_changed says whether the document must be written
 * back), or an exit code. A NULL spec means it could not be loaded
 * (load_err says why): spec-invalid. */
int checked_decide(struct checked *c, struct spec *s, const rh_error_t *load_err, check_kind_t kind, const char *what,
                   const char *container, const char *bundle, bool *ret_changed);

/* Writes a fixed document back over dirfd/name atomically; on failure logs
 * "cannot write the fixed WHAT" and returns EXIT_DENIED. */
int checked_write_back(struct checked *c, const struct spec *s, int dirfd, const char *name, const struct stat *st,
                       const char *what);

/* Logs an error and returns EXIT_DENIED. */
int checked_fail(struct checked *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Hands off to the real runtime; returns an exit code only on failure. */
int handoff(struct checked *c);
/* Runs the real runtime with argv as a child and waits for it (signals
 * forwarded meanwhile); 0 and its wait status, or an exit code after
 * logging why it could not be run. */
int handoff_wait(struct checked *c, char **argv, int *ret_status);
/* Writes the verification's audit record and its one line (warnings, and in
 * dry-run its refusals, by rule id), as checked_decide() does for a spec:
 * only for the findings the spec's decision did not already have. */
void checked_log_verification(struct checked *c, const struct eval *ev, const struct spec *s, const char *what,
                              const char *container, const char *bundle);

/* The container the runtime has just created (its init process waits
 * before the user's program): verified against the spec s (NULL when it
 * could not be read) and the policy. 0 to go on (*ret_pid, when not NULL:
 * its init process), or EXIT_DENIED once it is deleted and the refusal
 * logged. */
int container_verify(struct checked *c, struct spec *s, const char *bundle, pid_t *ret_pid);
/* Before the runtime creates a container that will be verified: its init
 * process must come to runc-harden (container_verify() checks that). */
void container_prepare(void);
/* The runtime's global flags as given, its log sent nowhere, then words
 * (container.c); NULL-terminated, the strings borrowed. */
char **runtime_argv(const struct runc_invocation *inv, const char *const *words, size_t n);
/* `runtime delete --force ID`, its outcome not reported. */
void container_delete_quietly(struct checked *c);
/* run: create, verify, start and, unless --detach, wait (cmd_run.c). */
int run_verified(struct checked *c, struct spec *s, const char *bundle);

/* Dry-run's watch (dryrun.c): at create, what the container is to be
 * watched for (where its root's writes land, what the fixes would have
 * set); at delete, what it did, into the audit log. Best effort: failures
 * are logged and never stop the command. */
void dryrun_watch(struct checked *c, const struct spec *s, const struct eval *ev, const char *container);
void dryrun_at_delete(const struct runc_invocation *inv);

int cmd_create(struct runc_invocation *inv, const char *runtime, const struct caller_fds *fds);
int cmd_exec(struct runc_invocation *inv, const char *runtime, const struct caller_fds *fds);
int cmd_update(struct runc_invocation *inv, const char *runtime);
int cmd_lint(int argc, char **argv);
int cmd_policy(int argc, char **argv);
int cmd_setup(int argc, char **argv);
int cmd_setup_system(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_report(int argc, char **argv);
