/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>

#include "auditlog.h"
#include "error.h"
#include "json.h"
#include "rules.h"
#include "workload.h"

typedef enum {
        MODE_ENFORCE,
        MODE_DRY_RUN,
        _MODE_MAX,
} rh_mode_t;

const char *mode_name(rh_mode_t m);
int mode_from_string(const char *s, rh_mode_t *ret);

/* Where no policy file says otherwise, decisions go to this file (and to
 * syslog where there is one): engines delete their own logs with the
 * container. */
#define POLICY_AUDIT_LOG_DEFAULT "/var/log/runc-harden/audit.log"
#define POLICY_AUDIT_LOG_SIZE_DEFAULT (16u * 1024 * 1024)
#define POLICY_AUDIT_LOG_KEEP_DEFAULT 4

/* A per-workload entry: rules set differently for the containers that
 * match (every key given must match; the first entry that matches
 * applies). */
struct policy_workload {
        const char *name;       /* the entry's "name", or "workloads[N]" */
        const struct jv *entry; /* as written, in the policy's doc */
        /* match keys, NULL when not given (pointing into entry) */
        const char *image, *image_id, *container, *pod, *ns, *engine;
        bool has_mode;
        rh_mode_t mode;
        struct rule_conf *conf; /* rules_count() entries: the policy's, overridden */
};

struct policy {
        struct jdoc *doc; /* owns the params */
        rh_mode_t mode;
        char *audit_log; /* NULL: syslog only */
        uint64_t audit_log_size;
        unsigned audit_log_keep;
        char *source; /* the file it came from, or "built-in" */
        /* Verify the container the runtime built before create returns
         * (policy/verify.h). Off only for measuring: the spec alone is then
         * judged, and what runc makes of it is taken on trust. */
        bool verify;
        char *level;            /* the built-in level it starts from */
        struct rule_conf *conf; /* rules_count() entries */
        struct policy_workload *workloads;
        size_t n_workloads;
};

void policy_free(struct policy *p);
static inline void policy_freep(struct policy **p)
{
        if (*p)
                policy_free(*p);
}
#define _cleanup_policy_ __attribute__((cleanup(policy_freep)))

/* The built-in levels (levels.c): a name, what it is for, and the policy
 * document it lays over the built-in policy (NULL for baseline). */
struct policy_level_def {
        const char *name;
        const char *summary;
        const char *overlay;
};
size_t policy_levels_count(void);
const struct policy_level_def *policy_levels_get(size_t i);
const struct policy_level_def *policy_levels_find(const char *name);

/* The built-in policy: every rule's default action and parameters (the
 * level "baseline"). */
int policy_builtin(struct policy **ret, rh_error_t *err);
/* A built-in level: "baseline" (the built-in policy) or "restricted"
 * (levels.c). -ENOENT for another name. */
int policy_level(const char *name, struct policy **ret, rh_error_t *err);
/* The built-in policy, or the level its "extends" names, overridden by a
 * policy document; unknown keys, rule ids, parameters, wrong types and
 * out-of-range values are errors. */
int policy_parse(const char *buf, size_t len, const char *source, struct policy **ret, rh_error_t *err);
/* Loads path; when missing_ok and the file does not exist, the built-in
 * policy. */
int policy_load(const char *path, bool missing_ok, struct policy **ret, rh_error_t *err);
/* Whether decisions can be appended to the policy's audit-log: -errno with
 * a message when they could not (its directory is a file, it is not a
 * regular file, it cannot be written); 0 otherwise, with *ret_note saying
 * what the runtime will do first (create a missing directory), or NULL. */
int policy_audit_log_check(const struct policy *p, char **ret_note, rh_error_t *err);
/* The first per-workload entry that matches w, or NULL (also for a NULL
 * w). */
const struct policy_workload *policy_match(const struct policy *p, const struct workload *w);
/* The rule settings that apply under entry (NULL: the policy's own). */
static inline const struct rule_conf *policy_confs(const struct policy *p, const struct policy_workload *entry)
{
        return entry ? entry->conf : p->conf;
}
/* The audit log as the policy sets it. */
struct auditlog policy_auditlog(const struct policy *p);
/* The effective policy as a policy document. */
int policy_to_json(const struct policy *p, char **ret, rh_error_t *err);
