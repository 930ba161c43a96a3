/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "policy.h"
#include "rules.h"
#include "spec.h"

typedef enum {
        VERDICT_ALLOW,
        VERDICT_FIX,
        VERDICT_DENY,
        _VERDICT_MAX,
} rh_verdict_t;

const char *verdict_name(rh_verdict_t v);

struct finding {
        const char *rule;   /* rule id (static) */
        const char *guide;  /* guide item (static) */
        rh_action_t action; /* WARN, FIX or DENY */
        bool exempted;      /* the container was exempt: logged, not acted on */
        char *pointer;
        char *message;
};

struct eval {
        struct finding *findings;
        size_t n, cap;
        bool oom;
        /* The policy's per-workload entry that applied, NULL for none. */
        const struct policy_workload *entry;
};

void eval_done(struct eval *ev);
#define _cleanup_eval_ __attribute__((cleanup(eval_done)))

/* Runs every rule the policy enables for this kind of document, with the
 * settings of the per-workload entry that matches s->workload, if any. A
 * rule that fails to run, like a spec that cannot be judged, denies.
 * Exemptions come from the annotation org.runc-harden.exempt, or (Docker,
 * which cannot set annotations) the container's label of that name
 * (workload.h); only rules the policy makes exemptible are exempted. */
int engine_evaluate(const struct policy *p, struct spec *s, check_kind_t kind, struct eval *ev, rh_error_t *err);
/* Whether the spec's exemption annotation names rule_id and the policy
 * lets that rule be exempted. */
bool engine_is_exempt(const struct policy *p, const struct spec *s, const char *rule_id);
/* Records a loader failure as the spec-invalid finding. */
void engine_add_invalid(struct eval *ev, const char *what, const rh_error_t *cause);

rh_verdict_t eval_verdict(const struct eval *ev);
size_t eval_count(const struct eval *ev, rh_action_t action);

/* Applies the fixes of every rule with a fix finding, then evaluates the
 * result again: a fix that leaves a fix or deny finding is an error, so a
 * spec is only ever handed on in a state the policy accepts. */
int engine_apply_fixes(const struct policy *p, struct spec *s, check_kind_t kind, const struct eval *ev,
                       rh_error_t *err);

/* "runc-harden: denied by policy: rule: pointer: message; ..." for the
 * deny findings (malloc'd). */
char *eval_deny_message(const struct eval *ev);

/* Takes ownership of pointer and message (either may be NULL on OOM). */
void eval_add(struct eval *ev, const char *rule, const char *guide, rh_action_t action, bool exempted,
              char *pointer, char *message);
