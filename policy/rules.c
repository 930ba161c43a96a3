/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "rules.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "findings.h"
#include "util.h"

/* Adding a family: one file under policy/rules/, one line here. */
static const struct rule *const families[] = {
        rules_spec_invalid, rules_namespaces, rules_binds,     rules_mounts,  rules_privileges,    rules_capabilities,
        rules_seccomp,      rules_lsm,        rules_devices,   rules_kernel,  rules_ssh_server,    rules_env_secrets,
        rules_root_user,    rules_image,      rules_resources, rules_rlimits, rules_kernel_mounts, rules_annotations,
};

/* Where each family starts in the registry's numbering, sized from the
 * families table: no rule past a fixed count is ever dropped. */
static size_t family_start[ARRAY_SIZE(families) + 1];

static void registry_init(void)
{
        if (family_start[ARRAY_SIZE(families)])
                return;
        for (size_t f = 0; f < ARRAY_SIZE(families); f++) {
                size_t n = 0;
                while (families[f][n].id)
                        n++;
                family_start[f + 1] = family_start[f] + n;
        }
}

size_t rules_count(void)
{
        registry_init();
        return family_start[ARRAY_SIZE(families)];
}

const struct rule *rules_get(size_t i)
{
        registry_init();
        for (size_t f = 0; f < ARRAY_SIZE(families); f++)
                if (i < family_start[f + 1])
                        return &families[f][i - family_start[f]];
        return NULL;
}

const struct rule *rules_find(const char *id, size_t *ret_index)
{
        registry_init();
        for (size_t f = 0; f < ARRAY_SIZE(families); f++)
                for (size_t k = 0; families[f][k].id; k++)
                        if (STREQ(families[f][k].id, id)) {
                                if (ret_index)
                                        *ret_index = family_start[f] + k;
                                return &families[f][k];
                        }
        return NULL;
}

static const char *const action_names[_ACTION_MAX] = {"off", "warn", "fix", "deny"};

const char *action_name(rh_action_t a)
{
        return a < _ACTION_MAX ? action_names[a] : "?";
}

int action_from_string(const char *s, rh_action_t *ret)
{
        for (int i = 0; i < _ACTION_MAX; i++)
                if (STREQ(s, action_names[i])) {
                        *ret = (rh_action_t)i;
                        return 0;
                }
        return -EINVAL;
}

/* --- findings ------------------------------------------------------- */

__attribute__((format(printf, 5, 0))) static void report(struct rule_ctx *ctx, rh_action_t action, const struct jv *at,
                                                         const char *suffix, const char *fmt, va_list ap)
{
        char *msg = NULL;
        if (vasprintf(&msg, fmt, ap) < 0)
                msg = NULL;
        char *ptr = at ? spec_pointer(ctx->spec, at, suffix) : strdup(suffix ? suffix : "");
        eval_add(ctx->ev, ctx->rule->id, ctx->rule->guide, action, false, ptr, msg);
}

void rule_report(struct rule_ctx *ctx, const struct jv *at, const char *suffix, const char *fmt, ...)
{
        va_list ap;
        rh_action_t a = ctx->conf->action;
        if (a == ACTION_FIX && !ctx->rule->fix)
                a = ACTION_DENY;
        va_start(ap, fmt);
        report(ctx, a, at, suffix, fmt, ap);
        va_end(ap);
}

void rule_report_unfixable(struct rule_ctx *ctx, const struct jv *at, const char *suffix, const char *fmt, ...)
{
        va_list ap;
        rh_action_t a = ctx->conf->action == ACTION_FIX ? ACTION_DENY : ctx->conf->action;
        va_start(ap, fmt);
        report(ctx, a, at, suffix, fmt, ap);
        va_end(ap);
}

void rule_report_warn(struct rule_ctx *ctx, const struct jv *at, const char *suffix, const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        report(ctx, ACTION_WARN, at, suffix, fmt, ap);
        va_end(ap);
}

int rule_invalid(struct rule_ctx *ctx, const struct jv *at, const char *suffix, const char *fmt, ...)
{
        va_list ap;
        char *msg = NULL;
        va_start(ap, fmt);
        if (vasprintf(&msg, fmt, ap) < 0)
                msg = NULL;
        va_end(ap);
        char *ptr = at ? spec_pointer(ctx->spec, at, suffix) : strdup(suffix ? suffix : "");
        const struct rule *inv = rules_find("spec-invalid", NULL);
        eval_add(ctx->ev, inv->id, inv->guide, ACTION_DENY, false, ptr, msg);
        return -EINVAL;
}

/* --- typed access --------------------------------------------------- */

static int get_typed(struct rule_ctx *ctx, const struct jv *obj, const char *key, jv_type_t t, struct jv **ret)
{
        struct jv *v = jv_get(obj, key);
        *ret = NULL;
        if (!v)
                return 0;
        if (v->type != t)
                return rule_invalid(ctx, v, NULL, "must be a JSON %s, not %s %s (runc refuses it)", jv_type_name(t),
                                    v->type == JV_OBJECT || v->type == JV_ARRAY ? "an" : "a", jv_type_name(v->type));
        *ret = v;
        return 1;
}

int rule_get_bool(struct rule_ctx *ctx, const struct jv *obj, const char *key, bool *ret)
{
        struct jv *v;
        int r = get_typed(ctx, obj, key, JV_BOOL, &v);
        *ret = r > 0 ? v->u.b : false;
        return r;
}

int rule_get_string(struct rule_ctx *ctx, const struct jv *obj, const char *key, const char **ret)
{
        struct jv *v;
        int r = get_typed(ctx, obj, key, JV_STRING, &v);
        *ret = NULL;
        if (r <= 0)
                return r;
        if (!jv_cstr(v, ret))
                return rule_invalid(ctx, v, NULL, "contains a NUL byte");
        return r;
}

int rule_get_object(struct rule_ctx *ctx, const struct jv *obj, const char *key, struct jv **ret)
{
        return get_typed(ctx, obj, key, JV_OBJECT, ret);
}

int rule_get_array(struct rule_ctx *ctx, const struct jv *obj, const char *key, struct jv **ret)
{
        return get_typed(ctx, obj, key, JV_ARRAY, ret);
}

int rule_get_int64(struct rule_ctx *ctx, const struct jv *obj, const char *key, int64_t *ret)
{
        struct jv *v;
        int r = get_typed(ctx, obj, key, JV_NUMBER, &v);
        *ret = 0;
        if (r <= 0)
                return r;
        if (jv_int64(v, ret) < 0)
                return rule_invalid(ctx, v, NULL, "must be an integer within the range of int64");
        return r;
}

/* --- parameters ----------------------------------------------------- */

static const struct jv *param(const struct rule_ctx *ctx, const char *name)
{
        /* Policy loading fills in every declared parameter, so a missing
         * one is a programming error in the rule. */
        const struct jv *v = jv_get_exact(ctx->conf->params, name);
        if (!v) {
                fprintf(stderr, "runc-harden: internal error: rule %s has no parameter %s\n", ctx->rule->id, name);
                abort();
        }
        return v;
}

bool rule_param_bool(const struct rule_ctx *ctx, const char *name)
{
        return param(ctx, name)->u.b;
}

int64_t rule_param_int(const struct rule_ctx *ctx, const char *name)
{
        int64_t v = 0;
        (void)jv_int64(param(ctx, name), &v);
        return v;
}

const char *rule_param_string(const struct rule_ctx *ctx, const char *name)
{
        return param(ctx, name)->u.str.s;
}

const struct jv *rule_param_strings(const struct rule_ctx *ctx, const char *name)
{
        return param(ctx, name);
}

char *rule_param_strings_key(const struct jv *list)
{
        size_t len = 1;
        for (size_t i = 0; i < list->u.arr.n; i++)
                len += list->u.arr.v[i]->u.str.len + 1;
        char *k = malloc(len), *p = k;
        if (!k)
                return NULL;
        for (size_t i = 0; i < list->u.arr.n; i++) {
                memcpy(p, list->u.arr.v[i]->u.str.s, list->u.arr.v[i]->u.str.len);
                p += list->u.arr.v[i]->u.str.len;
                *p++ = 0x1f;
        }
        *p = '\0';
        return k;
}

bool rule_param_strings_contains(const struct rule_ctx *ctx, const char *name, const char *s)
{
        const struct jv *a = param(ctx, name);
        for (size_t i = 0; i < a->u.arr.n; i++)
                if (STREQ(a->u.arr.v[i]->u.str.s, s))
                        return true;
        return false;
}
