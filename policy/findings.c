/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "findings.h"

#include <stdio.h>
#include <stdlib.h>

static const char *const verdict_names[_VERDICT_MAX] = {"allow", "fix", "deny"};

const char *verdict_name(rh_verdict_t v)
{
        return v < _VERDICT_MAX ? verdict_names[v] : "?";
}

void eval_add(struct eval *ev, const char *rule, const char *guide, rh_action_t action, bool exempted, char *pointer,
              char *message)
{
        if (!pointer || !message || ev->oom) {
                free(pointer);
                free(message);
                ev->oom = true;
                return;
        }
        if (ev->n == ev->cap) {
                size_t ncap = ev->cap ? ev->cap * 2 : 8;
                struct finding *f = realloc(ev->findings, ncap * sizeof(*f));
                if (!f) {
                        free(pointer);
                        free(message);
                        ev->oom = true;
                        return;
                }
                ev->findings = f;
                ev->cap = ncap;
        }
        ev->findings[ev->n++] = (struct finding){
                .rule = rule,
                .guide = guide,
                .action = action,
                .exempted = exempted,
                .pointer = pointer,
                .message = message,
        };
}

void eval_done(struct eval *ev)
{
        for (size_t i = 0; i < ev->n; i++) {
                free(ev->findings[i].pointer);
                free(ev->findings[i].message);
        }
        free(ev->findings);
        *ev = (struct eval){0};
}

size_t eval_count(const struct eval *ev, rh_action_t action)
{
        size_t n = 0;
        for (size_t i = 0; i < ev->n; i++)
                if (!ev->findings[i].exempted && ev->findings[i].action == action)
                        n++;
        return n;
}

rh_verdict_t eval_verdict(const struct eval *ev)
{
        if (eval_count(ev, ACTION_DENY))
                return VERDICT_DENY;
        if (eval_count(ev, ACTION_FIX))
                return VERDICT_FIX;
        return VERDICT_ALLOW;
}

char *eval_deny_message(const struct eval *ev)
{
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        bool first = true;

        if (!f)
                return NULL;
        fputs("runc-harden: denied by policy: ", f);
        for (size_t i = 0; i < ev->n; i++) {
                const struct finding *x = &ev->findings[i];
                if (x->exempted || x->action != ACTION_DENY)
                        continue;
                fprintf(f, "%s%s: %s%s%s", first ? "" : "; ", x->rule, x->pointer, *x->pointer ? ": " : "", x->message);
                first = false;
        }
        if (fclose(f) != 0) {
                free(buf);
                return NULL;
        }
        return buf;
}
