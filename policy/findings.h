/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* What the rules found in one spec: the list every rule reports into and
 * the engine, the logs and the report read. Its own module so that the
 * rules need nothing of the engine that runs them. */

#include <stdbool.h>
#include <stddef.h>

typedef enum {
        ACTION_OFF,
        ACTION_WARN,
        ACTION_FIX,
        ACTION_DENY,
        _ACTION_MAX,
} rh_action_t;

typedef enum {
        VERDICT_ALLOW,
        VERDICT_FIX,
        VERDICT_DENY,
        _VERDICT_MAX,
} rh_verdict_t;

const char *verdict_name(rh_verdict_t v);

struct policy_workload;

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

/* Takes ownership of pointer and message (either may be NULL on OOM). */
void eval_add(struct eval *ev, const char *rule, const char *guide, rh_action_t action, bool exempted, char *pointer,
              char *message);

rh_verdict_t eval_verdict(const struct eval *ev);
size_t eval_count(const struct eval *ev, rh_action_t action);

/* "runc-harden: denied by policy: rule: pointer: message; ..." for the
 * deny findings (malloc'd). */
char *eval_deny_message(const struct eval *ev);
