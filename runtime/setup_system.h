/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* runc-harden setup system: what cmd_setup_system.c finds on the host and
 * decides, and the steps setup_system.c carries out (and rolls back). */

#include <stdbool.h>
#include <sys/stat.h>

#include "error.h"

/* The package named in the dpkg diversion: dpkg-divert --list shows who
 * moved runc. */
#define SYS_DIVERT_PACKAGE "runc-harden"
/* podman reads the drop-ins containers.conf.d/NAME.conf after containers.conf, in name
 * order; the last word on [engine] runtime wins. */
#define SYS_DROPIN_DIR "/etc/containers/containers.conf.d"
#define SYS_DROPIN SYS_DROPIN_DIR "/90-runc-harden.conf"

typedef enum {
        TARGET_MISSING,
        TARGET_REAL, /* a regular file that is not runc-harden */
        TARGET_OURS, /* resolves to runc-harden (our symlink) */
        TARGET_OTHER,
        _TARGET_STATE_MAX,
} target_state_t;

struct sys {
        /* options */
        bool undo, dry_run;
        const char *root;         /* "/", or a host image (--root) */
        char *binary;             /* the runc-harden runc becomes a symlink to */
        const char *private_path; /* RH_SYSTEM_RUNTIME: where the real runc goes */
        char *private_dir;

        /* what is there (paths as seen from root) */
        struct stat binary_st;
        char *target;  /* the runc engines run: /usr/sbin/runc on Debian */
        bool diverted; /* by SYS_DIVERT_PACKAGE, to private_path */
        target_state_t tstate;
        char *link_text; /* TARGET_OURS through a symlink: its text */
        bool private_exists;
        bool podman;            /* podman's configuration directory is there */
        bool dropin_ours;       /* SYS_DROPIN exists and setup wrote it */
        bool dropin_current;    /* … with the content setup writes */
        char *dropin_old;       /* SYS_DROPIN's content, to put back on a rollback */
        const char *dropin_new; /* what setup wrote there */

        char *made[8]; /* directories the mkdir step made, outermost first */
        size_t n_made;

        /* what to do; in --undo, link means removing the private link */
        struct {
                bool mkdir, link, divert, swap, dropin;
        } need;
};

void sys_done(struct sys *s);

/* root + path, malloc'd. */
char *sys_host_path(const struct sys *s, const char *path);
bool sys_exists(const struct sys *s, const char *path);
/* Same inode, or the same bytes. */
bool sys_same_file(const struct sys *s, const char *a, const char *b);

/* Whether dpkg and its database are there: 0 yes, 1 no. */
int sys_have_dpkg(const struct sys *s);
/* Runs /usr/bin/PROG [--root=ROOT] ARGS... with LC_ALL=C; returns its exit
 * status (stdout in *ret_out), or -errno when it could not run. */
int sys_dpkg(const struct sys *s, const char *prog, const char *const *args, char **ret_out, rh_error_t *err);
/* Prints why nothing is done and the steps to do by hand; returns
 * EXIT_ERROR. */
int sys_manual(const struct sys *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* podman's drop-in: podman, dropin_ours, dropin_current, dropin_old. */
int sys_dropin_state(struct sys *s, rh_error_t *err);

/* Carries out s->need in order (or prints it with --dry-run); on a failure
 * rolls back what it did, and says so. Returns the exit code. */
int sys_run(struct sys *s);
