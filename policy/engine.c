/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "engine.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "rules/hostpath.h"
#include "util.h"

#include "workload.h"

#define EXEMPT_ANNOTATION EXEMPT_KEY

void engine_add_invalid(struct eval *ev, const char *what, const rh_error_t *cause)
{
        const struct rule *r = rules_find("spec-invalid", NULL);
        char *msg = NULL;
        if (asprintf(&msg, "%s: %s; runc-harden cannot judge it, so it is refused", what, rh_error_msg(cause)) < 0)
                msg = NULL;
        eval_add(ev, r->id, r->guide, ACTION_DENY, false, strdup(""), msg);
}

/* The exemption list is a comma-separated annotation on the container.
 * Points item and len at the next rule id (blanks trimmed); false at the
 * end. */
static bool list_next(const char **p, const char **item, size_t *len)
{
        while (**p == ' ' || **p == ',')
                (*p)++;
        if (!**p)
                return false;
        size_t n = strcspn(*p, ","), t = n;
        while (t && (*p)[t - 1] == ' ')
                t--;
        *item = *p;
        *len = t;
        *p += n;
        return true;
}

static bool list_contains(const char *list, const char *id)
{
        const char *item;
        size_t len, n = strlen(id);
        for (const char *p = list; p && list_next(&p, &item, &len);)
                if (len == n && strncmp(item, id, n) == 0)
                        return true;
        return false;
}

bool engine_is_exempt(const struct policy *p, const struct spec *s, const char *rule_id)
{
        size_t idx;
        const char *list;

        if (!s || !rules_find(rule_id, &idx) || !p->conf[idx].exemptible)
                return false;
        return jv_cstr(jv_get_exact(jv_get(s->root, "annotations"), EXEMPT_ANNOTATION), &list) &&
               list_contains(list, rule_id);
}

static void warn_unknown_exemptions(struct eval *ev, const struct rule *inv, const char *list, const char *ptr)
{
        const char *item;
        size_t len;
        for (const char *p = list; list_next(&p, &item, &len);) {
                _cleanup_free_ char *id = strndup(item, len);
                if (id && !rules_find(id, NULL)) {
                        char *msg = NULL;
                        if (asprintf(&msg, "the exemption annotation names no rule called \"%s\"", id) < 0)
                                msg = NULL;
                        eval_add(ev, inv->id, inv->guide, ACTION_WARN, false, strdup(ptr), msg);
                }
        }
}

/* Where an exemption list came from, for the findings it makes. */
struct exemption {
        const char *list; /* NULL: none */
        const char *ptr;  /* the annotation's pointer, "" for the label */
        const char *how;  /* "the annotation ..." / "the Docker label ..." */
};

static int run_rules(const struct rule_conf *confs, struct spec *s, check_kind_t kind, struct eval *ev,
                     const struct exemption *ex)
{
        const char *exempt = ex->list, *exempt_ptr = ex->ptr;

        for (size_t i = 0; i < rules_count(); i++) {
                const struct rule *r = rules_get(i);
                const struct rule_conf *c = &confs[i];
                struct rule_ctx ctx = {.rule = r, .conf = c, .spec = s, .kind = kind, .ev = ev};

                if (c->action == ACTION_OFF || !r->check || !(r->scope & (1u << kind)))
                        continue;
                if (exempt && list_contains(exempt, r->id)) {
                        char *msg = NULL;
                        if (c->exemptible) {
                                if (asprintf(&msg, "the container is exempt through %s", ex->how) < 0)
                                        msg = NULL;
                                eval_add(ev, r->id, r->guide, c->action, true, strdup(exempt_ptr), msg);
                                continue;
                        }
                        if (asprintf(&msg,
                                     "the container asks to be exempt (%s), but the policy does not make this rule "
                                     "exemptible",
                                     ex->how) < 0)
                                msg = NULL;
                        eval_add(ev, r->id, r->guide, ACTION_WARN, false, strdup(exempt_ptr), msg);
                }
                size_t before = ev->n;
                if (r->check(&ctx) < 0) {
                        /* A rule that cannot judge denies: fail closed. */
                        bool reported = false;
                        for (size_t k = before; k < ev->n; k++)
                                if (ev->findings[k].action == ACTION_DENY)
                                        reported = true;
                        if (!reported)
                                eval_add(ev, r->id, r->guide, ACTION_DENY, false, strdup(""),
                                         strdup("the rule could not be evaluated; refusing"));
                }
        }
        return ev->oom ? -ENOMEM : 0;
}

/* The Docker label, when the container has no annotation: dockerd 20.10
 * cannot set annotations, and its labels do not reach config.json. */
static void docker_label_exemption(struct eval *ev, const struct rule *inv, const struct spec *s, struct exemption *ex)
{
        const struct workload *w = s->workload;
        char *msg = NULL;

        if (!w)
                return;
        if (w->exempt_problem) {
                if (asprintf(&msg, "the Docker label %s is not taken: %s", EXEMPT_KEY, w->exempt_problem) < 0)
                        msg = NULL;
                eval_add(ev, inv->id, inv->guide, ACTION_WARN, false, strdup(""), msg);
        }
        if (!w->exempt)
                return;
        *ex = (struct exemption){.list = w->exempt, .ptr = "", .how = "the Docker label " EXEMPT_KEY};
        warn_unknown_exemptions(ev, inv, w->exempt, "");
}

int engine_evaluate(const struct policy *p, struct spec *s, check_kind_t kind, struct eval *ev, rh_error_t *err)
{
        const struct rule *inv = rules_find("spec-invalid", NULL);
        const char *exempt = NULL;
        _cleanup_free_ char *exempt_ptr = NULL;
        struct exemption ex = {0};

        ev->entry = policy_match(p, s->workload);
        if (kind == CHECK_CONFIG) {
                struct jv *ann = jv_get(s->root, "annotations");
                if (!s->offline)
                        hostpath_root_record(s); /* what verification compares the container's root with */
                if (ann && ann->type != JV_OBJECT) {
                        eval_add(ev, inv->id, inv->guide, ACTION_DENY, false, spec_pointer(s, ann, NULL),
                                 strdup("must be an object of strings (runc refuses it)"));
                        return ev->oom ? rh_error_set(err, ENOMEM, "out of memory") : 0;
                }
                struct jv *e = jv_get_exact(ann, EXEMPT_ANNOTATION);
                if (e) {
                        exempt_ptr = spec_pointer(s, e, NULL);
                        if (!jv_cstr(e, &exempt)) {
                                eval_add(ev, inv->id, inv->guide, ACTION_DENY, false, strdup(exempt_ptr ?: ""),
                                         strdup("must be a string"));
                                return ev->oom ? rh_error_set(err, ENOMEM, "out of memory") : 0;
                        }
                        warn_unknown_exemptions(ev, inv, exempt, exempt_ptr ?: "");
                        ex = (struct exemption){
                                .list = exempt, .ptr = exempt_ptr ?: "", .how = "the annotation " EXEMPT_ANNOTATION};
                } else {
                        docker_label_exemption(ev, inv, s, &ex);
                }
        }
        if (run_rules(policy_confs(p, ev->entry), s, kind, ev, &ex) < 0)
                return rh_error_set(err, ENOMEM, "out of memory");
        return 0;
}

int engine_apply_fixes(const struct policy *p, struct spec *s, check_kind_t kind, const struct eval *ev,
                       rh_error_t *err)
{
        _cleanup_eval_ struct eval again = {0};
        int r;

        for (size_t i = 0; i < rules_count(); i++) {
                const struct rule *rule = rules_get(i);
                bool wanted = false;
                for (size_t k = 0; k < ev->n; k++)
                        if (!ev->findings[k].exempted && ev->findings[k].action == ACTION_FIX &&
                            STREQ(ev->findings[k].rule, rule->id))
                                wanted = true;
                if (!wanted)
                        continue;
                struct rule_ctx ctx = {
                        .rule = rule, .conf = &policy_confs(p, ev->entry)[i], .spec = s, .kind = kind, .ev = NULL};
                if (!rule->fix)
                        return rh_error_set(err, EINVAL, "%s has no fix", rule->id);
                if ((r = rule->fix(&ctx, err)) < 0)
                        return rh_error_wrap(err, "fixing %s", rule->id);
        }
        if ((r = engine_evaluate(p, s, kind, &again, err)) < 0)
                return rh_error_wrap(err, "checking the fixed spec");
        /* A fix must converge and must not create a denial of its own;
         * denials that were there before stay (lint --fix shows them). */
        bool new_denials = eval_count(&again, ACTION_DENY) > eval_count(ev, ACTION_DENY);
        for (size_t k = 0; k < again.n; k++) {
                const struct finding *f = &again.findings[k];
                if (!f->exempted && (f->action == ACTION_FIX || (new_denials && f->action == ACTION_DENY)))
                        return rh_error_set(err, EINVAL, "the fixed spec still fails %s at %s: %s", f->rule, f->pointer,
                                            f->message);
        }
        return 0;
}
