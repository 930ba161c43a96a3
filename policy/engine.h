/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "findings.h"
#include "policy.h"
#include "rules.h"
#include "spec.h"

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

/* Applies the fixes of every rule with a fix finding, then evaluates the
 * result again: a fix that leaves a fix or deny finding is an error, so a
 * spec is only ever handed on in a state the policy accepts. */
int engine_apply_fixes(const struct policy *p, struct spec *s, check_kind_t kind, const struct eval *ev,
                       rh_error_t *err);
