/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "auditreport.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auditlog.h"
#include "host.h"
#include "util.h"

static const char *const outcome_names[_AR_OUTCOME_MAX] = {"denied",    "fixed",  "would-deny",
                                                           "would-fix", "warned", "exempted"};

const char *ar_outcome_name(ar_outcome_t o)
{
        return o < _AR_OUTCOME_MAX ? outcome_names[o] : "?";
}

static void workload_free(struct ar_workload *a)
{
        free(a->key);
        workload_done(&a->w);
        for (size_t i = 0; i < a->n_containers; i++)
                free(a->containers[i]);
        free(a->containers);
        free(a->last);
        free(a->entry);
        for (size_t i = 0; i < a->n_rules; i++) {
                free(a->rules[i].rule);
                free(a->rules[i].pointer);
                free(a->rules[i].message);
        }
        free(a->rules);
        for (size_t i = 0; i < a->n_writes; i++) {
                free(a->writes[i].dir);
                for (size_t k = 0; k < a->writes[i].n_examples; k++)
                        free(a->writes[i].examples[k]);
        }
        free(a->writes);
        free(a->writes_error);
}

void audit_report_done(struct audit_report *r)
{
        for (size_t i = 0; i < r->n; i++)
                workload_free(&r->v[i]);
        free(r->v);
        free(r->first);
        free(r->last);
        *r = (struct audit_report){0};
}

static int replace(char **field, const char *s)
{
        char *n = s ? strdup(s) : NULL;
        if (s && !n)
                return -ENOMEM;
        free(*field);
        *field = n;
        return 0;
}

/* Grows *v (of *n elements of size sz) by one zeroed element. */
static void *grow(void *pv, size_t *n, size_t sz)
{
        void **v = pv;
        char *nv = realloc(*v, (*n + 1) * sz);
        if (!nv)
                return NULL;
        memset(nv + *n * sz, 0, sz);
        *v = nv;
        return nv + (*n)++ * sz;
}

static bool has_container(const struct ar_workload *a, const char *id)
{
        for (size_t i = 0; i < a->n_containers; i++)
                if (STREQ(a->containers[i], id))
                        return true;
        return false;
}

static char *key_of(const struct workload *w, const char *id)
{
        char *k = NULL;
        if (w->image_ref || w->image)
                return strdup(w->image_ref ? w->image_ref : w->image);
        if (asprintf(&k, "container %s", w->name ? w->name : id ? id : "(unknown)") < 0)
                return NULL;
        return k;
}

/* The workload a record is about: by what the engine told, else by the
 * container's earlier records (exec, update and delete may not say). */
static struct ar_workload *workload_for(struct audit_report *r, const struct jv *rec, const char *id)
{
        _cleanup_workload_ struct workload w = {0};
        const struct jv *wj = jv_get_exact(rec, "workload");
        struct ar_workload *a;

        if (wj && workload_from_json(wj, &w) < 0)
                return NULL;
        bool named = w.image_ref || w.image || w.name;
        if (!named && id)
                for (size_t i = 0; i < r->n; i++)
                        if (has_container(&r->v[i], id))
                                return &r->v[i];
        _cleanup_free_ char *key = key_of(&w, id);
        if (!key)
                return NULL;
        for (size_t i = 0; i < r->n; i++)
                if (STREQ(r->v[i].key, key))
                        return &r->v[i];
        if (!(a = grow(&r->v, &r->n, sizeof(*a))))
                return NULL;
        a->key = TAKE_PTR(key);
        a->w = w;
        w = (struct workload){0};
        a->memory_limit = a->memory_peak = -1;
        return a;
}

static struct ar_rule *rule_for(struct ar_workload *a, const char *rule)
{
        struct ar_rule *x;
        for (size_t i = 0; i < a->n_rules; i++)
                if (STREQ(a->rules[i].rule, rule))
                        return &a->rules[i];
        if (!(x = grow(&a->rules, &a->n_rules, sizeof(*x))) || !(x->rule = strdup(rule)))
                return NULL;
        return x;
}

/* Each rule counts once per decision (a rule may report several fields);
 * its first finding there is the one shown. */
static int add_findings(struct ar_workload *a, const struct jv *findings, bool enforce)
{
        for (size_t i = 0; jv_is(findings, JV_ARRAY) && i < findings->u.arr.n; i++) {
                const struct jv *f = findings->u.arr.v[i];
                const char *rule, *action, *s;
                rh_action_t act;
                ar_outcome_t o;
                bool seen = false;
                if (!jv_cstr(jv_get_exact(f, "rule"), &rule) || !jv_cstr(jv_get_exact(f, "action"), &action) ||
                    action_from_string(action, &act) < 0)
                        continue;
                if (jv_is(jv_get_exact(f, "exempted"), JV_BOOL) && jv_get_exact(f, "exempted")->u.b)
                        o = AR_EXEMPTED;
                else if (act == ACTION_DENY)
                        o = enforce ? AR_DENIED : AR_WOULD_DENY;
                else if (act == ACTION_FIX)
                        o = enforce ? AR_FIXED : AR_WOULD_FIX;
                else
                        o = AR_WARNED;
                for (size_t k = 0; k < i && !seen; k++) {
                        const char *r2;
                        seen = jv_cstr(jv_get_exact(findings->u.arr.v[k], "rule"), &r2) && STREQ(r2, rule);
                }
                if (seen)
                        continue;
                struct ar_rule *x = rule_for(a, rule);
                if (!x)
                        return -ENOMEM;
                x->counts[o]++;
                if ((jv_cstr(jv_get_exact(f, "pointer"), &s) && replace(&x->pointer, s) < 0) ||
                    (jv_cstr(jv_get_exact(f, "message"), &s) && replace(&x->message, s) < 0))
                        return -ENOMEM;
        }
        return 0;
}

static int add_write(struct ar_workload *a, const struct jv *g)
{
        const char *dir, *s;
        int64_t count = 0;
        struct ar_write *w = NULL;

        if (!jv_cstr(jv_get_exact(g, "dir"), &dir))
                return 0;
        jv_int64(jv_get_exact(g, "count"), &count);
        for (size_t i = 0; !w && i < a->n_writes; i++)
                if (STREQ(a->writes[i].dir, dir))
                        w = &a->writes[i];
        if (!w && (!(w = grow(&a->writes, &a->n_writes, sizeof(*w))) || !(w->dir = strdup(dir))))
                return -ENOMEM;
        w->containers++;
        if ((uint64_t)count > w->count)
                w->count = (uint64_t)count;
        const struct jv *ex = jv_get_exact(g, "paths");
        for (size_t i = 0; jv_is(ex, JV_ARRAY) && i < ex->u.arr.n && w->n_examples < WRITES_EXAMPLES; i++) {
                bool dup = false;
                if (!jv_cstr(ex->u.arr.v[i], &s))
                        continue;
                for (size_t k = 0; k < w->n_examples; k++)
                        dup |= STREQ(w->examples[k], s);
                if (!dup && !(w->examples[w->n_examples++] = strdup(s)))
                        return -ENOMEM;
        }
        return 0;
}

static int add_observed(struct ar_workload *a, const struct jv *seen)
{
        const struct jv *writes = jv_get_exact(seen, "writes");
        const char *s;
        int64_t n;

        a->watched++;
        for (size_t i = 0; jv_is(writes, JV_ARRAY) && i < writes->u.arr.n; i++)
                if (add_write(a, writes->u.arr.v[i]) < 0)
                        return -ENOMEM;
        if (jv_is(jv_get_exact(seen, "truncated"), JV_BOOL) && jv_get_exact(seen, "truncated")->u.b)
                a->writes_truncated = true;
        if (jv_cstr(jv_get_exact(seen, "writes-error"), &s) && replace(&a->writes_error, s) < 0)
                return -ENOMEM;
        if (jv_int64(jv_get_exact(seen, "memory-limit"), &n) == 0)
                a->memory_limit = n;
        if (jv_int64(jv_get_exact(seen, "memory-peak"), &n) == 0 && n > a->memory_peak)
                a->memory_peak = n;
        return 0;
}

int audit_report_add(struct audit_report *r, const struct jv *rec)
{
        const char *t, *cmd, *mode, *id = NULL, *s;
        time_t when;

        if (!jv_cstr(jv_get_exact(rec, "time"), &t) || auditlog_time_parse(t, 0, &when) < 0 ||
            !jv_cstr(jv_get_exact(rec, "command"), &cmd) || !jv_cstr(jv_get_exact(rec, "mode"), &mode)) {
                r->skipped++;
                return 0;
        }
        if (when < r->since)
                return 0;
        jv_cstr(jv_get_exact(rec, "container"), &id);
        struct ar_workload *a = workload_for(r, rec, id);
        if (!a)
                return -ENOMEM;
        r->records++;
        if ((!r->first && replace(&r->first, t) < 0) || replace(&r->last, t) < 0 || replace(&a->last, t) < 0)
                return -ENOMEM;
        if (id && !has_container(a, id)) {
                char **slot = grow(&a->containers, &a->n_containers, sizeof(*slot));
                if (!slot || !(*slot = strdup(id)))
                        return -ENOMEM;
        }
        bool enforce = STREQ(mode, "enforce");
        if (enforce)
                a->enforce = true;
        else
                a->dry_run = true;
        if (jv_cstr(jv_get_exact(rec, "workload-entry"), &s) && replace(&a->entry, s) < 0)
                return -ENOMEM;
        if (STREQ(cmd, "delete"))
                return add_observed(a, jv_get_exact(rec, "observed"));
        return add_findings(a, jv_get_exact(rec, "findings"), enforce);
}

/* --- what makes it pass ----------------------------------------------------- */

static uint64_t denials(const struct ar_rule *x)
{
        return x->counts[AR_DENIED] + x->counts[AR_WOULD_DENY];
}
static uint64_t fixes(const struct ar_rule *x)
{
        return x->counts[AR_FIXED] + x->counts[AR_WOULD_FIX];
}

/* "docker.io/library/nginx:1.25" -> "docker.io/library/nginx" */
static char *repository(const char *ref)
{
        const char *last = strrchr(ref, '/'), *at = strchr(ref, '@');
        const char *colon = strchr(last ? last : ref, ':');
        const char *end = at ? at : colon ? colon : ref + strlen(ref);
        return strndup(ref, (size_t)(end - ref));
}

/* The match of a per-workload entry for a: its image's repository (any
 * tag), else its container name (in its namespace). NULL when the engine
 * named neither. */
static struct jv *match_for(const struct ar_workload *a, struct jdoc *d)
{
        struct jv *m = jv_new(d, JV_OBJECT);
        if (!m)
                return NULL;
        if (a->w.image_ref || a->w.image) {
                _cleanup_free_ char *repo = repository(a->w.image_ref ? a->w.image_ref : a->w.image);
                return repo && jv_obj_put(d, m, "image", jv_new_string(d, repo)) == 0 ? m : NULL;
        }
        if (!a->w.name)
                return NULL;
        if (a->w.ns && jv_obj_put(d, m, "namespace", jv_new_string(d, a->w.ns)) < 0)
                return NULL;
        return jv_obj_put(d, m, "container", jv_new_string(d, a->w.name)) == 0 ? m : NULL;
}

/* What to put in the policy: a workloads entry {"name": KEY, "match":
 * {...}, "rules": {RULE: settings}} (put in o as "policy"), or, when the
 * engine names neither image nor container, the policy-wide rule (as
 * "policy-rules"). */
static int policy_for(const struct ar_workload *a, struct jdoc *d, struct jv *o, const char *rule, struct jv *settings)
{
        struct jv *e = jv_new(d, JV_OBJECT), *rules = jv_new(d, JV_OBJECT), *m = match_for(a, d);
        if (!e || !rules || !settings || jv_obj_put(d, rules, rule, settings) < 0)
                return -ENOMEM;
        if (!m)
                return jv_obj_put(d, o, "policy-rules", rules);
        if (jv_obj_put(d, e, "name", jv_new_string(d, a->key)) < 0 || jv_obj_put(d, e, "match", m) < 0 ||
            jv_obj_put(d, e, "rules", rules) < 0)
                return -ENOMEM;
        return jv_obj_put(d, o, "policy", e);
}

static int add_text(struct jdoc *d, struct jv *list, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int add_text(struct jdoc *d, struct jv *list, const char *fmt, ...)
{
        _cleanup_free_ char *s = NULL;
        va_list ap;
        va_start(ap, fmt);
        int r = vasprintf(&s, fmt, ap);
        va_end(ap);
        return r < 0 ? -ENOMEM : jv_arr_push(d, list, jv_new_string(d, s));
}

static const char *exempt_how(const struct ar_workload *a)
{
        if (a->w.engine && STREQ(a->w.engine, "docker"))
                return "docker run --label " EXEMPT_KEY "=";
        if (a->w.engine && STREQ(a->w.engine, "podman"))
                return "podman run --annotation " EXEMPT_KEY "=";
        return "the container annotation " EXEMPT_KEY "=";
}

/* The directories written outside what the fix keeps writable, that a
 * policy can keep writable (not "/": only a volume helps there). */
static bool writes_outside(const struct ar_workload *a)
{
        for (size_t i = 0; i < a->n_writes; i++)
                if (a->writes[i].count)
                        return true;
        return false;
}

static char *human(int64_t bytes)
{
        char *s = NULL;
        if (bytes >= (INT64_C(1) << 30) && asprintf(&s, "%.1f GiB", (double)bytes / (1 << 30)) >= 0)
                return s;
        if (asprintf(&s, "%.0f MiB", (double)bytes / (1 << 20)) < 0)
                return NULL;
        return s;
}

/* readonly-rootfs in dry-run: what the container wrote where the
 * read-only root would refuse it, and the writable list that keeps it. */
static int pass_readonly(const struct ar_workload *a, const struct rule_conf *conf, struct jdoc *d, struct jv *o,
                         struct jv *to_pass)
{
        const struct jv *cur = jv_get_exact(conf->params, "writable");
        struct jv *list = jv_copy(d, cur), *paths = jv_new(d, JV_ARRAY);
        bool volume_only = false;
        int k = list && paths ? 0 : -ENOMEM;

        for (size_t i = 0; !k && i < a->n_writes; i++) {
                const struct ar_write *w = &a->writes[i];
                bool have = false;
                for (size_t e = 0; !k && e < w->n_examples; e++)
                        k = jv_arr_push(d, paths, jv_new_string(d, w->examples[e]));
                if (STREQ(w->dir, "/")) {
                        volume_only = true;
                        continue;
                }
                for (size_t j = 0; jv_is(list, JV_ARRAY) && j < list->u.arr.n; j++) {
                        const char *s;
                        have |= jv_cstr(list->u.arr.v[j], &s) && path_is_under(w->dir, s);
                }
                if (!have && !k)
                        k = jv_arr_push(d, list, jv_new_string(d, w->dir));
        }
        k = k ?: jv_obj_put(d, o, "written", paths);
        if (k < 0)
                return k;
        struct jv *params = jv_new(d, JV_OBJECT), *settings = jv_new(d, JV_OBJECT);
        k = params && settings ? 0 : -ENOMEM;
        k = k ?: jv_obj_put(d, params, "writable", list);
        k = k ?: jv_obj_put(d, settings, "params", params);
        k = k ?: policy_for(a, d, o, "readonly-rootfs", settings);
        _cleanup_free_ char *dirs = NULL;
        size_t dl = 0;
        FILE *f = open_memstream(&dirs, &dl);
        if (!f)
                return -ENOMEM;
        for (size_t i = 0; i < a->n_writes; i++)
                if (!STREQ(a->writes[i].dir, "/"))
                        fprintf(f, " --tmpfs %s", a->writes[i].dir);
        if (fclose(f) != 0)
                return -ENOMEM;
        if (!k)
                k = add_text(d, to_pass,
                             "keep the directories it wrote writable: add them to readonly-rootfs.writable%s",
                             match_for(a, d) ? " in a workloads entry for it (below)"
                                             : " (the engine names no image: the policy-wide list, below)");
        if (!k && *dirs)
                k = add_text(d, to_pass, "or give them a tmpfs or a volume: docker run%s (podman the same)", dirs);
        if (!k && conf->exemptible)
                k = add_text(d, to_pass, "or exempt it, as the policy allows: %sreadonly-rootfs", exempt_how(a));
        if (!k && volume_only)
                k = add_text(d, to_pass,
                             "it wrote files directly in /: only a volume on the file's path, or an exemption, "
                             "keeps those writable");
        return k;
}

static int pass_memory(const struct ar_workload *a, struct jdoc *d, struct jv *o, struct jv *to_pass, bool *ret_breaks)
{
        _cleanup_free_ char *peak = NULL, *limit = NULL, *want = NULL;
        int64_t w = a->memory_peak + a->memory_peak / 2;

        *ret_breaks = false;
        if (a->memory_peak < 0 || a->memory_limit <= 0)
                return 0;
        /* 90%: the page cache is counted too, and reclaimed first */
        *ret_breaks = a->memory_peak >= a->memory_limit / 10 * 9;
        w = (w + (INT64_C(1) << 20) - 1) & ~((INT64_C(1) << 20) - 1);
        if (!(peak = human(a->memory_peak)) || !(limit = human(a->memory_limit)) || !(want = human(w)))
                return -ENOMEM;
        int k = jv_obj_put(d, o, "memory-peak", jv_new_int(d, a->memory_peak));
        k = k ?: jv_obj_put(d, o, "memory-limit", jv_new_int(d, a->memory_limit));
        if (k || !*ret_breaks)
                return k;
        struct jv *params = jv_new(d, JV_OBJECT), *settings = jv_new(d, JV_OBJECT);
        k = params && settings ? 0 : -ENOMEM;
        k = k ?: jv_obj_put(d, params, "default", jv_new_int(d, w));
        k = k ?: jv_obj_put(d, settings, "params", params);
        k = k ?: policy_for(a, d, o, "memory-limit", settings);
        k = k
                    ?: add_text(d, to_pass,
                                "its memory peaked at %s, near or above the %s enforce sets: give it room, "
                                "docker run --memory %" PRId64 "m, or memory-limit.default for this image",
                                peak, limit, w >> 20);
        return k;
}

static int rule_json(const struct ar_workload *a, const struct ar_rule *x, const struct policy *p, struct jdoc *d,
                     struct jv *out, bool *ret_breaks)
{
        struct jv *o = jv_new(d, JV_OBJECT), *counts = jv_new(d, JV_OBJECT), *to_pass = jv_new(d, JV_ARRAY);
        size_t idx;
        const struct rule *r = rules_find(x->rule, &idx);
        const struct policy_workload *pe = policy_match(p, &a->w);
        const struct rule_conf *conf = r ? &policy_confs(p, pe)[idx] : NULL;
        int k = o && counts && to_pass ? 0 : -ENOMEM;
        bool breaks = false;

        k = k ?: jv_obj_put(d, o, "rule", jv_new_string(d, x->rule));
        for (int i = 0; !k && i < _AR_OUTCOME_MAX; i++)
                if (x->counts[i])
                        k = jv_obj_put(d, counts, outcome_names[i], jv_new_int(d, (int64_t)x->counts[i]));
        k = k ?: jv_obj_put(d, o, "counts", counts);
        if (!k && x->pointer)
                k = jv_obj_put(d, o, "pointer", jv_new_string(d, x->pointer));
        if (!k && x->message)
                k = jv_obj_put(d, o, "message", jv_new_string(d, x->message));
        if (k)
                return k;
        if (denials(x)) {
                struct jv *settings = jv_new(d, JV_OBJECT);
                k = settings ? jv_obj_put(d, settings, "action", jv_new_string(d, "warn")) : -ENOMEM;
                k = k ?: policy_for(a, d, o, x->rule, settings);
                k = k ?: add_text(d, to_pass, "change what the message names (the flag or the image)");
                if (!k && conf && conf->exemptible)
                        k = add_text(d, to_pass, "or exempt it, as the policy allows: %s%s", exempt_how(a), x->rule);
                if (!k)
                        k = add_text(d, to_pass, "or let it pass: make %s a warning%s", x->rule,
                                     match_for(a, d) ? " for this workload (below)" : " (below)");
        } else if (fixes(x) && conf && STREQ(x->rule, "readonly-rootfs") && writes_outside(a)) {
                breaks = true;
                k = pass_readonly(a, conf, d, o, to_pass);
        } else if (x->counts[AR_WOULD_FIX] && STREQ(x->rule, "readonly-rootfs") && !a->watched) {
                /* the writes are read when the container is deleted */
                k = jv_obj_put(d, o, "not-seen-yet", jv_new_bool(d, true));
        } else if (fixes(x) && STREQ(x->rule, "memory-limit")) {
                k = pass_memory(a, d, o, to_pass, &breaks);
        }
        k = k ?: jv_obj_put(d, o, "breaks", jv_new_bool(d, breaks));
        if (!k && to_pass->u.arr.n)
                k = jv_obj_put(d, o, "to-pass", to_pass);
        k = k ?: jv_arr_push(d, out, o);
        *ret_breaks = breaks;
        return k;
}

/* What enforce does (did) to the workload, in one line. */
static int verdict_json(const struct ar_workload *a, const char *breaking, struct jdoc *d, struct jv *o)
{
        _cleanup_free_ char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        const char *verdict;
        bool any;

        if (!f)
                return -ENOMEM;
        any = false;
        for (size_t i = 0; i < a->n_rules; i++)
                if (denials(&a->rules[i])) {
                        fprintf(f, "%s%s", any ? ", " : "", a->rules[i].rule);
                        any = true;
                }
        if (any)
                verdict = "refuse";
        else if (*breaking)
                verdict = "break";
        else {
                for (size_t i = 0; i < a->n_rules; i++)
                        if (fixes(&a->rules[i])) {
                                fprintf(f, "%s%s", any ? ", " : "", a->rules[i].rule);
                                any = true;
                        }
                verdict = any ? "change" : "pass";
        }
        if (*breaking)
                fprintf(f, "%s%s", any ? "; what it did would also break under: " : "", breaking);
        if (fclose(f) != 0)
                return -ENOMEM;
        int k = jv_obj_put(d, o, "enforce", jv_new_string(d, verdict));
        return k ?: jv_obj_put(d, o, "enforce-rules", jv_new_string(d, buf ? buf : ""));
}

static int workload_json(const struct ar_workload *a, const struct policy *p, struct jdoc *d, struct jv *out)
{
        struct jv *o = jv_new(d, JV_OBJECT), *rules = jv_new(d, JV_ARRAY), *id = NULL, *modes = jv_new(d, JV_ARRAY);
        struct jv *ids = jv_new(d, JV_ARRAY);
        _cleanup_free_ char *breaking = NULL;
        size_t blen = 0;
        FILE *bf = open_memstream(&breaking, &blen);
        int k = o && rules && modes && ids && bf ? 0 : -ENOMEM;
        bool first_break = true;

        k = k ?: jv_obj_put(d, o, "workload", jv_new_string(d, a->key));
        k = k ?: workload_to_json(&a->w, d, &id);
        k = k ?: jv_obj_put(d, o, "identity", id);
        for (size_t i = 0; !k && i < a->n_containers; i++)
                k = jv_arr_push(d, ids, jv_new_string(d, a->containers[i]));
        k = k ?: jv_obj_put(d, o, "containers", ids);
        k = k ?: jv_obj_put(d, o, "last", jv_new_string(d, a->last ? a->last : ""));
        if (!k && a->dry_run)
                k = jv_arr_push(d, modes, jv_new_string(d, "dry-run"));
        if (!k && a->enforce)
                k = jv_arr_push(d, modes, jv_new_string(d, "enforce"));
        k = k ?: jv_obj_put(d, o, "modes", modes);
        if (!k && a->entry)
                k = jv_obj_put(d, o, "policy-entry", jv_new_string(d, a->entry));
        for (size_t i = 0; !k && i < a->n_rules; i++) {
                bool breaks = false;
                k = rule_json(a, &a->rules[i], p, d, rules, &breaks);
                if (breaks && bf) {
                        fprintf(bf, "%s%s", first_break ? "" : ", ", a->rules[i].rule);
                        first_break = false;
                }
        }
        if (bf && fclose(bf) != 0)
                k = -ENOMEM;
        k = k ?: jv_obj_put(d, o, "rules", rules);
        struct jv *seen = jv_new(d, JV_OBJECT);
        k = k ?: seen ? 0 : -ENOMEM;
        k = k ?: jv_obj_put(d, seen, "containers", jv_new_int(d, (int64_t)a->watched));
        k = k ?: jv_obj_put(d, seen, "truncated", jv_new_bool(d, a->writes_truncated));
        if (!k && a->writes_error)
                k = jv_obj_put(d, seen, "error", jv_new_string(d, a->writes_error));
        if (!k && a->memory_peak >= 0)
                k = jv_obj_put(d, seen, "memory-peak", jv_new_int(d, a->memory_peak));
        struct jv *writes = jv_new(d, JV_ARRAY);
        k = k ?: writes ? 0 : -ENOMEM;
        for (size_t i = 0; !k && i < a->n_writes; i++) {
                struct jv *w = jv_new(d, JV_OBJECT), *ex = jv_new(d, JV_ARRAY);
                k = w && ex ? 0 : -ENOMEM;
                k = k ?: jv_obj_put(d, w, "dir", jv_new_string(d, a->writes[i].dir));
                k = k ?: jv_obj_put(d, w, "count", jv_new_int(d, (int64_t)a->writes[i].count));
                k = k ?: jv_obj_put(d, w, "containers", jv_new_int(d, (int64_t)a->writes[i].containers));
                for (size_t e = 0; !k && e < a->writes[i].n_examples; e++)
                        k = jv_arr_push(d, ex, jv_new_string(d, a->writes[i].examples[e]));
                k = k ?: jv_obj_put(d, w, "paths", ex);
                k = k ?: jv_arr_push(d, writes, w);
        }
        k = k ?: jv_obj_put(d, seen, "writes", writes);
        k = k ?: jv_obj_put(d, o, "observed", seen);
        k = k ?: verdict_json(a, breaking ? breaking : "", d, o);
        return k ?: jv_arr_push(d, out, o);
}

int audit_report_json(const struct audit_report *r, const struct policy *p, struct jdoc *d, struct jv **ret)
{
        struct jv *o = jv_new(d, JV_OBJECT), *list = jv_new(d, JV_ARRAY);
        char since[32];
        int k = o && list ? 0 : -ENOMEM;

        auditlog_time_format(r->since, since, sizeof(since));
        k = k ?: jv_obj_put(d, o, "since", jv_new_string(d, since));
        k = k ?: jv_obj_put(d, o, "records", jv_new_int(d, (int64_t)r->records));
        k = k ?: jv_obj_put(d, o, "skipped", jv_new_int(d, (int64_t)r->skipped));
        if (!k && r->first)
                k = jv_obj_put(d, o, "first", jv_new_string(d, r->first));
        if (!k && r->last)
                k = jv_obj_put(d, o, "last", jv_new_string(d, r->last));
        for (size_t i = 0; !k && i < r->n; i++)
                k = workload_json(&r->v[i], p, d, list);
        k = k ?: jv_obj_put(d, o, "workloads", list);
        if (k < 0)
                return -ENOMEM;
        *ret = o;
        return 0;
}
