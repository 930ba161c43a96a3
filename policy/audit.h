/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "engine.h"
#include "error.h"

/* `runc-harden audit`: checks of the Docker daemon's settings and of the
 * host it runs on. Every check is a pure function over a root directory
 * (a fake host in tests) plus the output of the commands the caller ran
 * (dockerd --version, auditctl -l, runc list): this library never execs.
 * Audit checks are not spec rules; their table lives in policy/audit/. */

struct audit_rule {
        const char *id;      /* daemon-…, host-…, container-… */
        const char *guide;   /* guide item */
        rh_action_t action;  /* ACTION_DENY fails the audit, ACTION_WARN does not */
        const char *summary; /* one line: what is checked */
};

size_t audit_rules_count(void);
const struct audit_rule *audit_rules_get(size_t i);
const struct audit_rule *audit_rules_find(const char *id, size_t *ret_index);

struct audit_input {
        const char *root;               /* host root, "/" unless a fake host */
        const char *daemon_config;      /* daemon.json as given, or NULL: the dockerd --config-file
                                         * or /etc/docker/daemon.json under root */
        const char *min_docker_version; /* NULL: AUDIT_MIN_DOCKER_VERSION */
        const char *dockerd_version;    /* `dockerd --version` output, NULL when not run */
        const char *auditctl_rules;     /* `auditctl -l` output, NULL when not run */
        const char *runc_harden;        /* the runc-harden binary a runtime must be (same device and
                                         * inode, through symlinks) not to be a bypass; taken as is, not
                                         * under root. NULL: /proc/self/exe, the audit's own binary */
};

#define AUDIT_MIN_DOCKER_VERSION "20.10.24"

/* Docker's "20.10.24+dfsg1" against "20.10.24": <0, 0, >0; -2 if v is
 * not a version. */
int audit_version_cmp(const char *v, const char *min);

/* Notes are what could not be checked and why (not findings). */
struct audit_notes {
        char **v;
        size_t n;
};
void audit_notes_done(struct audit_notes *notes);

struct audit_result {
        char *daemon_path;      /* the daemon.json that was read (or would be), for the report */
        char *flags_origin;     /* where dockerd's flags came from, NULL if nowhere */
        char *data_root;        /* Docker's data root, as seen from the host root */
        char **harden_runtimes; /* the runtime names dockerd runs runc-harden under (NULL-terminated) */
        struct eval daemon;     /* daemon-* findings */
        struct eval host;       /* host-* findings */
        struct audit_notes notes;
};
void audit_result_done(struct audit_result *res);
void audit_names_free(char **names);

/* Runs the daemon and host checks. Fails (-EINVAL) only when daemon.json
 * is not JSON or not an object, or on allocation failure. */
int audit_run(const struct audit_input *in, struct audit_result *res, rh_error_t *err);

/* Running containers: list_json is `runc --root DIR list --format json`. */
struct audit_container_input {
        const char *root;        /* host root: /proc and bundles are read below it */
        const char *list_json;   /* runc list output */
        const unsigned *allowed; /* ports always allowed */
        size_t n_allowed;
        const char *audit_log; /* runc-harden's decision log (JSON lines), NULL: not checked */
        /* Docker's records of its containers (DATA_ROOT/containers/ID: the
         * name, the runtime it was started with), NULL: none */
        const char *data_root;
        char *const *harden_runtimes; /* dockerd's runtime names that are runc-harden; NULL: unknown */
};

struct audit_container {
        char *id;
        char *name; /* the engine's name for it, NULL when unknown */
        struct eval ev;
};

struct audit_containers {
        struct audit_container *v;
        size_t n;
        struct audit_notes notes;
};
void audit_containers_done(struct audit_containers *c);

int audit_containers_check(const struct audit_container_input *in, struct audit_containers *ret, rh_error_t *err);

/* "80,443" into ports; -EINVAL on anything else. */
int audit_parse_ports(const char *s, unsigned **ret, size_t *ret_n);
