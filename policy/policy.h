/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>

#include "error.h"
#include "json.h"
#include "rules.h"

typedef enum {
        MODE_ENFORCE,
        MODE_DRY_RUN,
        _MODE_MAX,
} rh_mode_t;

const char *mode_name(rh_mode_t m);
int mode_from_string(const char *s, rh_mode_t *ret);

struct policy {
        struct jdoc *doc; /* owns the params */
        rh_mode_t mode;
        char *audit_log; /* NULL: syslog only */
        char *source;    /* the file it came from, or "built-in" */
        /* Verify the container the runtime built before create returns
         * (policy/verify.h). Off only for measuring: the spec alone is then
         * judged, and what runc makes of it is taken on trust. */
        bool verify;
        struct rule_conf *conf; /* rules_count() entries */
};

void policy_free(struct policy *p);
static inline void policy_freep(struct policy **p)
{
        if (*p)
                policy_free(*p);
}
#define _cleanup_policy_ __attribute__((cleanup(policy_freep)))

/* The built-in policy: every rule's default action and parameters. */
int policy_builtin(struct policy **ret, rh_error_t *err);
/* The built-in policy overridden by a policy document; unknown keys, rule
 * ids, parameters, wrong types and out-of-range values are errors. */
int policy_parse(const char *buf, size_t len, const char *source, struct policy **ret, rh_error_t *err);
/* Loads path; when missing_ok and the file does not exist, the built-in
 * policy. */
int policy_load(const char *path, bool missing_ok, struct policy **ret, rh_error_t *err);
/* Whether decisions can be appended to the policy's audit-log: -errno with
 * a message when they could not (its directory is a file, it is not a
 * regular file, it cannot be written); 0 otherwise, with *ret_note saying
 * what the runtime will do first (create a missing directory), or NULL. */
int policy_audit_log_check(const struct policy *p, char **ret_note, rh_error_t *err);
/* The effective policy as a policy document. */
int policy_to_json(const struct policy *p, char **ret, rh_error_t *err);
