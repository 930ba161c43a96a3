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
/* Member i of a daemon.json object is replaced by a later one with the
 * same key (Go's map decoding keeps the last). */
bool audit_key_shadowed(const struct jv *o, size_t i);

/* The value of key in obj as Go decodes a map or struct: exact key, the
 * last duplicate wins; NULL when absent or null. */
struct jv *audit_json_get(const struct jv *obj, const char *key);

/* --- the host below a root directory -------------------------------- */

/* Whole file (NUL-terminated); -errno. Files over 16 MiB are refused
 * (-EFBIG). */
#define AUDIT_READ_MAX (16u << 20)
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
        char *data_root;     /* effective, normalised */
        bool runc_is_harden; /* runc on PATH is runc-harden: so is dockerd's built-in runtime "runc" */
        char *harden_path;   /* the runc-harden binary to name in advice, NULL if unknown */
        bool harden_known;   /* harden_dev/harden_ino are runc-harden's binary */
        dev_t harden_dev;
        ino_t harden_ino;
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
/* The docker group's gid and (when ret_members is not NULL) its member
 * list, malloc'd, from /etc/group under root; false when there is no such
 * group (docker_group.c). */
bool docker_group_find(const char *root, gid_t *ret_gid, char **ret_members);
/* The runtime names dockerd runs runc-harden under (options.c). */
char **daemon_harden_runtimes(const struct daemon *d);
/* An option's string value (flag, else daemon.json), NULL when unset. */
const char *daemon_string(const struct daemon *d, const char *key);
/* An option's boolean value (flag, else daemon.json), def when unset. */
bool daemon_bool(const struct daemon *d, const char *key, bool def);
/* Every string of a list option: the flag's repeats and the JSON array
 * (both are read: dockerd would refuse, but each still says something
 * about the intent). Calls fn with the item and where it is set; stops
 * when fn returns true, and returns whether one did. */
typedef bool (*each_fn)(const char *item, const char *where, void *data);
bool daemon_each(const struct daemon *d, const char *key, each_fn fn, void *data);
/* A finding of id at the option key (daemon_where), message msg. */
void daemon_report_at(const struct daemon *d, struct eval *ev, const char *id, const char *key, const char *msg);
/* docker-bench's daemon checks beyond the guide's options (hardening.c). */
void daemon_check_hardening(const struct daemon *d, struct eval *ev);

/* --- runtimes that go around runc-harden (bypass.c, bypass_conf.c) ----- */

/* bypass.c checks dockerd's runtimes and runc on PATH, then calls
 * bypass_conf.c for containerd's and podman's; both judge each runtime
 * through bypass_judge.c, which calls neither. */

/* RUN-5: every runtime an engine offers by name that is not runc-harden:
 * daemon.json's (daemon-runtime-bypass, into daemon_ev); `runc` on the
 * system's PATH, which dockerd's built-in runtime and containerd's runc
 * shim run, containerd's configured runtimes and podman's default one
 * (host-runtime-bypass, into host_ev). */
void bypass_check(const struct audit_input *in, const struct daemon *d, struct eval *daemon_ev, struct eval *host_ev,
                  struct audit_notes *notes);
/* Whether the first runc on the services' PATH is runc-harden (after
 * `runc-harden setup system`): then dockerd's built-in runtime "runc" is. */
bool bypass_runc_is_harden(const struct audit_input *in);

/* The audit's idea of runc-harden (the inode every runtime is compared
 * with), and where findings and notes go. */
struct bypass {
        const char *root;
        dev_t dev;
        ino_t ino;
        struct eval *ev;
        struct audit_notes *notes;
};

/* What a runtime path comes to. */
typedef enum {
        RT_HARDEN,  /* runc-harden */
        RT_OTHER,   /* an executable that is not runc-harden: a bypass */
        RT_MISSING, /* nothing runs there: the engine fails, nothing bypasses */
        _RT_VERDICT_MAX,
} rt_verdict_t;

struct rt {
        rt_verdict_t verdict;
        char *named;    /* the path as configured, or found on PATH */
        char *resolved; /* the file it reaches, when another name */
        int error;      /* RT_MISSING: why */
};

/* bypass_judge.c */
void bypass_rt_done(struct rt *r);
/* "/usr/bin/runc (which is /usr/sbin/runc)": for messages; malloc'd. */
char *bypass_rt_describe(const struct rt *r);
/* A runtime named as the engines name it: an absolute path, or a name Go's
 * exec.LookPath finds on the system's search path (the first regular file
 * with an execute bit). */
void bypass_judge(const struct bypass *b, const char *name, struct rt *r);
bool bypass_installed(const char *root, const char *const *bins);
/* containerd's CRI runtimes (config.toml and its imports) and podman's
 * default runtime (containers.conf and its drop-ins): bypass_conf.c. */
void bypass_check_containerd(const struct bypass *b);
void bypass_check_podman(const struct bypass *b);

/* --- a narrow TOML reader (toml.c) ------------------------------------ */

typedef enum {
        TOML_STRING,
        TOML_STRINGS, /* an array whose items are all strings */
        TOML_OTHER,   /* anything else: read past, not kept */
        _TOML_KIND_MAX,
} toml_kind_t;

/* One key = value: the whole key (table name, then the dotted key, each
 * part unquoted), the value when it is a string or strings, its line. */
struct toml_entry {
        char **key;
        size_t n_key;
        toml_kind_t kind;
        char *str;
        char **strs;
        size_t n_strs;
        unsigned line;
};

struct toml_doc {
        struct toml_entry *v;
        size_t n;
};

/* -EINVAL on anything outside the grammar it knows, with the line and a
 * reason (static); -ENOMEM. */
int toml_parse(const char *text, size_t len, struct toml_doc *ret, unsigned *ret_line, const char **ret_why);
void toml_doc_done(struct toml_doc *doc);
