/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "findings.h"
#include "json.h"
#include "spec.h"

const char *action_name(rh_action_t a);
int action_from_string(const char *s, rh_action_t *ret);

/* What is being checked: a container's config (create, run, lint), an
 * exec process file, or update's resources. */
typedef enum {
        CHECK_CONFIG,
        CHECK_EXEC,
        CHECK_UPDATE,
        _CHECK_KIND_MAX,
} check_kind_t;

/* Which documents a rule applies to. */
enum {
        SCOPE_CONFIG = 1 << CHECK_CONFIG,
        SCOPE_EXEC = 1 << CHECK_EXEC,
        SCOPE_UPDATE = 1 << CHECK_UPDATE,
};

typedef enum {
        PARAM_BOOL,
        PARAM_INT,
        PARAM_STRING,
        PARAM_STRINGS, /* array of strings */
        _PARAM_TYPE_MAX,
} param_type_t;

struct param_def {
        const char *name;
        param_type_t type;
        const char *default_json; /* the built-in value, as JSON text */
        int64_t min, max;         /* PARAM_INT bounds (inclusive) when min < max */
        const char *doc;
        /* Optional: more than the type says, checked when a policy file sets
         * the parameter (built-in defaults are checked by the unit tests). */
        int (*check)(const struct jv *v, rh_error_t *err);
};

struct rule_ctx;

struct rule {
        const char *id;
        const char *summary;
        const char *guide; /* the guide item it enforces, see docs/rules.md */
        rh_action_t default_action;
        bool default_exemptible;
        unsigned scope;
        const struct param_def *params; /* terminated by an entry with name == NULL */
        /* Reports findings through rule_report*(); returns < 0 only when
         * the rule could not run at all (that denies, fail closed). */
        int (*check)(struct rule_ctx *ctx);
        /* Rewrites the spec so that check() no longer reports a fixable
         * finding. NULL when the rule cannot fix. */
        int (*fix)(struct rule_ctx *ctx, rh_error_t *err);
};

/* The registry, in evaluation order. */
size_t rules_count(void);
const struct rule *rules_get(size_t i);
const struct rule *rules_find(const char *id, size_t *ret_index);

/* Per-rule settings from the policy. */
struct rule_conf {
        rh_action_t action;
        bool exemptible;
        struct jv *params; /* object: every declared param, defaults filled in */
};

struct eval;

struct rule_ctx {
        const struct rule *rule;
        const struct rule_conf *conf;
        struct spec *spec;
        check_kind_t kind;
        struct eval *ev;
};

/* Findings. The message is what the operator reads: name the field and
 * what to do; never quote a value that may be secret. */
void rule_report(struct rule_ctx *ctx, const struct jv *at, const char *suffix, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
/* A finding the rule's fix cannot repair: denies when the rule fixes. */
void rule_report_unfixable(struct rule_ctx *ctx, const struct jv *at, const char *suffix, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
/* A finding that never denies, whatever the rule's action. */
void rule_report_warn(struct rule_ctx *ctx, const struct jv *at, const char *suffix, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
/* A field has a type or value runc would refuse or misread: spec-invalid. */
int rule_invalid(struct rule_ctx *ctx, const struct jv *at, const char *suffix, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));

/* Typed field access for rules: absent or null gives false/0 without a
 * finding; a wrong type records spec-invalid and returns -EINVAL. */
int rule_get_bool(struct rule_ctx *ctx, const struct jv *obj, const char *key, bool *ret);
int rule_get_string(struct rule_ctx *ctx, const struct jv *obj, const char *key, const char **ret);
int rule_get_object(struct rule_ctx *ctx, const struct jv *obj, const char *key, struct jv **ret);
int rule_get_array(struct rule_ctx *ctx, const struct jv *obj, const char *key, struct jv **ret);
int rule_get_int64(struct rule_ctx *ctx, const struct jv *obj, const char *key, int64_t *ret);

/* Parameters, validated when the policy was loaded. */
bool rule_param_bool(const struct rule_ctx *ctx, const char *name);
int64_t rule_param_int(const struct rule_ctx *ctx, const char *name);
const char *rule_param_string(const struct rule_ctx *ctx, const char *name);
/* Array of strings; iterate with ->u.arr. Never NULL. */
const struct jv *rule_param_strings(const struct rule_ctx *ctx, const char *name);
bool rule_param_strings_contains(const struct rule_ctx *ctx, const char *name, const char *s);
/* A string-list parameter's items joined by 0x1f: the key under which a
 * rule keeps what it derived from them for the life of the process. */
char *rule_param_strings_key(const struct jv *list);

/* The rule families, one file each under policy/rules/. */
extern const struct rule rules_spec_invalid[];
extern const struct rule rules_namespaces[];
extern const struct rule rules_mounts[];
extern const struct rule rules_binds[];
extern const struct rule rules_privileges[];
extern const struct rule rules_resources[];
extern const struct rule rules_rlimits[];
extern const struct rule rules_capabilities[];
extern const struct rule rules_seccomp[];
extern const struct rule rules_lsm[];
extern const struct rule rules_devices[];
extern const struct rule rules_kernel[];
extern const struct rule rules_ssh_server[];
extern const struct rule rules_env_secrets[];
extern const struct rule rules_root_user[];
extern const struct rule rules_image[];
extern const struct rule rules_kernel_mounts[];
extern const struct rule rules_annotations[];
