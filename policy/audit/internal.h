/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <sys/stat.h>

#include "audit.h"
#include "json.h"

/* --- findings ------------------------------------------------------- */

/* Adds a finding of the audit rule id (which must be in the table) with a
 * printf message; where is the pointer (a daemon.json key, a flag, a host
 * path). */
void audit_report(struct eval *ev, const char *id, const char *where, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
void audit_note(struct audit_notes *notes, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The value of key in obj as Go decodes a map or struct: exact key, the
 * last duplicate wins; NULL when absent or null. */
struct jv *audit_json_get(const struct jv *obj, const char *key);

/* --- the host below a root directory -------------------------------- */

/* root + path ("/" root gives path); malloc'd. */
char *audit_host_path(const char *root, const char *path);
/* Whole file (NUL-terminated); -errno. Files over 16 MiB are refused. */
int audit_read(const char *root, const char *path, char **ret, size_t *ret_len);
int audit_stat(const char *root, const char *path, struct stat *st);
bool audit_exists(const char *root, const char *path);

/* --- dockerd's command line ------------------------------------------ */

struct dockerd_flags {
        char **argv; /* the arguments after the program, NULL-terminated */
        int argc;
        char *origin; /* "/proc/123/cmdline" or the unit file that set ExecStart */
};
void dockerd_flags_done(struct dockerd_flags *f);

/* From a running dockerd under root, else the systemd unit; argc 0 when
 * neither names one. */
int dockerd_flags_find(const char *root, struct dockerd_flags *ret);
/* Splits one ExecStart= value the way systemd does (quotes, backslash
 * escapes, a leading "-@:+!" prefix); NULL on allocation failure. */
char **dockerd_split_exec(const char *line, int *ret_argc);

/* One daemon option as dockerd's flags set it: every value given (lists
 * repeat), and how it was spelled, for the report. */
struct flag_setting {
        char **values;
        size_t n;
        char *spelled; /* first occurrence, e.g. "-H tcp://0.0.0.0:2375" */
};

/* Which daemon.json key each dockerd flag sets. Flags not known to matter
 * for the audit are skipped (with their value, since dockerd takes no
 * positional arguments). */
struct daemon_flags;
int daemon_flags_parse(const struct dockerd_flags *f, struct daemon_flags **ret);
void daemon_flags_free(struct daemon_flags *df);
const struct flag_setting *daemon_flags_get(const struct daemon_flags *df, const char *key);
bool daemon_flags_is_bool(const char *key);

/* --- the daemon's effective settings --------------------------------- */

struct daemon {
        const char *root;
        char *config_path; /* host path of daemon.json */
        struct jdoc *doc;  /* NULL when daemon.json is absent */
        struct daemon_flags *flags;
        char *flags_origin;
        char *data_root; /* effective, normalised */
};

int daemon_load(const struct audit_input *in, struct daemon *d, struct audit_notes *notes, rh_error_t *err);
void daemon_done(struct daemon *d);
void daemon_check(const struct daemon *d, struct eval *ev);
/* The hardening options (options.c), after the types and conflicts. */
void daemon_check_options(const struct daemon *d, struct eval *ev);
/* Where an option is set: the flag and its origin, or the daemon.json
 * pointer (of an absent key, too: that is where to add it). malloc'd. */
char *daemon_where(const struct daemon *d, const char *key);
void host_check(const struct audit_input *in, const struct daemon *d, struct eval *ev, struct audit_notes *notes);
/* DAEMON-8: owners and modes of the daemon's files (files.c). */
void host_check_files(const struct audit_input *in, const struct daemon *d, struct eval *ev);
/* The docker group's gid from /etc/group under root. */
bool host_docker_gid(const char *root, gid_t *ret_gid);
/* An option's string value (flag, else daemon.json), NULL when unset. */
const char *daemon_string(const struct daemon *d, const char *key);
