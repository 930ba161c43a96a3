/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "policy.h"

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "spec.h"
#include "util.h"

static const char *const mode_names[_MODE_MAX] = {"enforce", "dry-run"};

const char *mode_name(rh_mode_t m)
{
        return m < _MODE_MAX ? mode_names[m] : "?";
}

int mode_from_string(const char *s, rh_mode_t *ret)
{
        for (int i = 0; i < _MODE_MAX; i++)
                if (STREQ(s, mode_names[i])) {
                        *ret = (rh_mode_t)i;
                        return 0;
                }
        return -EINVAL;
}

void policy_free(struct policy *p)
{
        if (!p)
                return;
        for (size_t i = 0; i < p->n_workloads; i++)
                free(p->workloads[i].conf);
        free(p->workloads);
        jdoc_free(p->doc);
        free(p->audit_log);
        free(p->source);
        free(p->level);
        free(p->conf);
        free(p);
}

static const char *const param_type_names[_PARAM_TYPE_MAX] = {"boolean", "integer", "string", "array of strings"};

/* Checks v against the parameter's declared type and bounds. */
static int param_validate(const struct param_def *d, const struct jv *v, rh_error_t *err)
{
        int64_t n;
        const char *s;

        switch (d->type) {
        case PARAM_BOOL:
                if (v->type == JV_BOOL)
                        return 0;
                break;
        case PARAM_INT:
                if (jv_int64(v, &n) < 0)
                        break;
                if (d->min < d->max && (n < d->min || n > d->max))
                        return rh_error_set(err, ERANGE, "must be between %lld and %lld", (long long)d->min,
                                            (long long)d->max);
                return 0;
        case PARAM_STRING:
                if (jv_cstr(v, &s))
                        return 0;
                break;
        case PARAM_STRINGS:
                if (v->type != JV_ARRAY)
                        break;
                for (size_t i = 0; i < v->u.arr.n; i++)
                        if (!jv_cstr(v->u.arr.v[i], &s))
                                return rh_error_set(err, EINVAL, "item %zu must be a string", i);
                return 0;
        default:
                break;
        }
        return rh_error_set(err, EINVAL, "must be %s %s", d->type == PARAM_INT || d->type == PARAM_STRINGS ? "an" : "a",
                            param_type_names[d->type]);
}

static const struct param_def *param_find(const struct rule *r, const char *name)
{
        for (const struct param_def *d = r->params; d && d->name; d++)
                if (STREQ(d->name, name))
                        return d;
        return NULL;
}

/* Every parameter's default, parsed as one JSON array (one parse instead
 * of one per parameter: this runs on every container start). */
static int builtin_defaults(struct jdoc **ret, rh_error_t *err)
{
        _cleanup_free_ char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        const char *sep = "";

        if (!f)
                return rh_error_set(err, ENOMEM, "out of memory");
        fputc('[', f);
        for (size_t i = 0; i < rules_count(); i++)
                for (const struct param_def *d = rules_get(i)->params; d && d->name; d++) {
                        fprintf(f, "%s%s", sep, d->default_json);
                        sep = ",";
                }
        fputc(']', f);
        if (fclose(f) != 0)
                return rh_error_set(err, ENOMEM, "out of memory");
        return jdoc_parse(buf, len, ret, err) < 0 ? rh_error_wrap(err, "built-in parameters") : 0;
}

int policy_builtin(struct policy **ret, rh_error_t *err)
{
        _cleanup_policy_ struct policy *p = calloc(1, sizeof(*p));
        size_t n = rules_count(), k = 0;

        if (!p || !(p->conf = calloc(n, sizeof(*p->conf))) || !(p->source = strdup("built-in")) ||
            !(p->level = strdup("baseline")) || !(p->audit_log = strdup(POLICY_AUDIT_LOG_DEFAULT)))
                return rh_error_set(err, ENOMEM, "out of memory");
        if (builtin_defaults(&p->doc, err) < 0)
                return -EINVAL;
        const struct jv *defaults = p->doc->root;
        p->mode = MODE_ENFORCE;
        p->verify = true;
        p->audit_log_size = POLICY_AUDIT_LOG_SIZE_DEFAULT;
        p->audit_log_keep = POLICY_AUDIT_LOG_KEEP_DEFAULT;
        for (size_t i = 0; i < n; i++) {
                const struct rule *r = rules_get(i);
                struct rule_conf *c = &p->conf[i];
                c->action = r->default_action;
                c->exemptible = r->default_exemptible;
                c->params = jv_new(p->doc, JV_OBJECT);
                if (!c->params)
                        return rh_error_set(err, ENOMEM, "out of memory");
                for (const struct param_def *d = r->params; d && d->name; d++, k++) {
                        if (k >= defaults->u.arr.n || param_validate(d, defaults->u.arr.v[k], err) < 0)
                                return rh_error_wrap(err, "built-in parameter %s.%s", r->id, d->name);
                        if (jv_obj_put(p->doc, c->params, d->name, defaults->u.arr.v[k]) < 0)
                                return rh_error_set(err, ENOMEM, "out of memory");
                }
        }
        *ret = TAKE_PTR(p);
        return 0;
}

/* Our own format is matched exactly (no Go folding) and must not repeat
 * a key: a policy that says two things is an error. */
static int no_duplicate_keys(const struct jv *obj, const char *where, rh_error_t *err)
{
        for (size_t i = 0; i < obj->u.obj.n; i++) {
                if (strlen(obj->u.obj.m[i].key) != obj->u.obj.m[i].keylen)
                        return rh_error_set(err, EINVAL, "%s: a key contains a NUL byte", where);
                for (size_t j = i + 1; j < obj->u.obj.n; j++) {
                        const struct jv_member *a = &obj->u.obj.m[i], *b = &obj->u.obj.m[j];
                        if (a->keylen == b->keylen && memcmp(a->key, b->key, a->keylen) == 0)
                                return rh_error_set(err, EINVAL, "%s: duplicate key \"%s\"", where, a->key);
                }
        }
        return 0;
}

static int expect_object(const struct jv *v, const char *where, rh_error_t *err)
{
        if (!jv_is(v, JV_OBJECT))
                return rh_error_set(err, EINVAL, "%s must be an object", where);
        return no_duplicate_keys(v, where, err);
}

static int parse_rule(struct policy *p, const struct rule *r, struct rule_conf *c, const struct jv *o, rh_error_t *err)
{
        char where[128];
        int k;

        snprintf(where, sizeof(where), "rules.%s", r->id);
        if ((k = expect_object(o, where, err)) < 0)
                return k;
        for (size_t i = 0; i < o->u.obj.n; i++) {
                const struct jv_member *m = &o->u.obj.m[i];
                const char *s;
                if (STREQ(m->key, "action")) {
                        if (!jv_cstr(m->val, &s) || action_from_string(s, &c->action) < 0)
                                return rh_error_set(err, EINVAL, "%s.action must be one of deny, fix, warn, off",
                                                    where);
                } else if (STREQ(m->key, "exemptible")) {
                        if (!jv_is(m->val, JV_BOOL))
                                return rh_error_set(err, EINVAL, "%s.exemptible must be true or false", where);
                        c->exemptible = m->val->u.b;
                } else if (STREQ(m->key, "params")) {
                        if ((k = expect_object(m->val, where, err)) < 0)
                                return k;
                        for (size_t j = 0; j < m->val->u.obj.n; j++) {
                                const struct jv_member *pm = &m->val->u.obj.m[j];
                                const struct param_def *d = param_find(r, pm->key);
                                if (!d || strlen(pm->key) != pm->keylen)
                                        return rh_error_set(err, EINVAL, "%s.params: unknown parameter \"%s\"", where,
                                                            pm->key);
                                /* A policy written by `policy show` repeats the
                                 * defaults: those are known good and kept. */
                                const struct jv *cur = jv_get_exact(c->params, d->name);
                                if (cur && jv_equal(cur, pm->val))
                                        continue;
                                if (param_validate(d, pm->val, err) < 0 || (d->check && d->check(pm->val, err) < 0))
                                        return rh_error_wrap(err, "%s.params.%s", where, d->name);
                                if (jv_obj_put(p->doc, c->params, d->name, jv_copy(p->doc, pm->val)) < 0)
                                        return rh_error_set(err, ENOMEM, "out of memory");
                        }
                } else {
                        return rh_error_set(err, EINVAL, "%s: unknown key \"%s\" (expected action, exemptible, params)",
                                            where, m->key);
                }
        }
        if (c->action == ACTION_FIX && !r->fix)
                return rh_error_set(err, EINVAL, "%s.action: %s cannot fix; use deny, warn or off", where, r->id);
        /* An unjudgeable spec is never let through: fail closed. */
        if (STREQ(r->id, "spec-invalid") && c->action != ACTION_DENY)
                return rh_error_set(err, EINVAL, "%s.action: spec-invalid always denies", where);
        /* A warning would let crun act on the annotation while the
         * container looks judged: deny, or off where the operator says so. */
        if (STREQ(r->id, "runtime-annotations") && (c->action == ACTION_WARN || c->exemptible))
                return rh_error_set(err, EINVAL,
                                    "%s: runtime-annotations denies or is off, and is not exemptible; "
                                    "let a key through with params.allowed",
                                    where);
        return 0;
}

/* "rules": {ID: {...}} into conf (the policy's, or a workload entry's
 * copy: its parameters are copied before they change, as they may be
 * shared with the policy's). */
static int parse_rules(struct policy *p, struct rule_conf *conf, bool copy_params, const struct jv *rules,
                       const char *where, rh_error_t *err)
{
        int k;

        if ((k = expect_object(rules, where, err)) < 0)
                return k;
        for (size_t j = 0; j < rules->u.obj.n; j++) {
                const struct jv_member *rm = &rules->u.obj.m[j];
                size_t idx;
                const struct rule *r = rules_find(rm->key, &idx);
                if (!r || strlen(rm->key) != rm->keylen)
                        return rh_error_set(err, EINVAL, "%s: unknown rule \"%s\"", where, rm->key);
                if (copy_params && !(conf[idx].params = jv_copy(p->doc, conf[idx].params)))
                        return rh_error_set(err, ENOMEM, "out of memory");
                if ((k = parse_rule(p, r, &conf[idx], rm->val, err)) < 0)
                        return k;
        }
        return 0;
}

static int parse_int_key(const struct jv *v, const char *key, int64_t min, int64_t max, int64_t *ret, rh_error_t *err)
{
        if (jv_int64(v, ret) < 0 || *ret < min || *ret > max)
                return rh_error_set(err, EINVAL, "%s must be an integer between %lld and %lld", key, (long long)min,
                                    (long long)max);
        return 0;
}

static const char *const match_keys[] = {"image", "image-id", "container", "pod", "namespace", "engine"};

static const char **match_field(struct policy_workload *w, size_t i)
{
        const char **fields[] = {&w->image, &w->image_id, &w->container, &w->pod, &w->ns, &w->engine};
        _Static_assert(ARRAY_SIZE(fields) == ARRAY_SIZE(match_keys), "one field per match key");
        return fields[i];
}

static int parse_match(struct policy_workload *w, const struct jv *m, const char *where, rh_error_t *err)
{
        int k;

        if ((k = expect_object(m, where, err)) < 0)
                return k;
        if (m->u.obj.n == 0)
                return rh_error_set(err, EINVAL,
                                    "%s is empty: it would match every container (set the top-level "
                                    "rules instead)",
                                    where);
        for (size_t i = 0; i < m->u.obj.n; i++) {
                const struct jv_member *mm = &m->u.obj.m[i];
                size_t f = 0;
                while (f < ARRAY_SIZE(match_keys) && !STREQ(mm->key, match_keys[f]))
                        f++;
                if (f == ARRAY_SIZE(match_keys))
                        return rh_error_set(err, EINVAL,
                                            "%s: unknown key \"%s\" (expected image, image-id, container, pod, "
                                            "namespace, engine)",
                                            where, mm->key);
                const char **field = match_field(w, f);
                if (!jv_cstr(mm->val, field) || !**field)
                        return rh_error_set(err, EINVAL, "%s.%s must be a non-empty string", where, mm->key);
        }
        if (w->image_id && (strncmp(w->image_id, "sha256:", 7) != 0 || strlen(w->image_id) != 71))
                return rh_error_set(err, EINVAL, "%s.image-id must be an image id, \"sha256:\" and 64 hex digits",
                                    where);
        return 0;
}

/* One per-workload entry: {"name", "match", "mode", "rules"}. Its rules
 * start as the policy's own, so it is parsed after them. */
static int parse_workload(struct policy *p, struct policy_workload *w, const struct jv *e, size_t index,
                          rh_error_t *err)
{
        _cleanup_free_ char *where = NULL;
        const struct jv *rules = NULL, *match = NULL;
        const char *s;
        int k;

        if (asprintf(&where, "workloads[%zu]", index) < 0)
                return rh_error_set(err, ENOMEM, "out of memory");
        if ((k = expect_object(e, where, err)) < 0)
                return k;
        if (!(w->entry = jv_copy(p->doc, e)) || !(w->conf = calloc(rules_count(), sizeof(*w->conf))))
                return rh_error_set(err, ENOMEM, "out of memory");
        memcpy(w->conf, p->conf, rules_count() * sizeof(*w->conf));
        e = w->entry; /* names point into the policy's own copy */
        for (size_t i = 0; i < e->u.obj.n; i++) {
                const struct jv_member *m = &e->u.obj.m[i];
                if (STREQ(m->key, "name")) {
                        if (!jv_cstr(m->val, &w->name) || !*w->name)
                                return rh_error_set(err, EINVAL, "%s.name must be a non-empty string", where);
                } else if (STREQ(m->key, "match")) {
                        match = m->val;
                } else if (STREQ(m->key, "rules")) {
                        rules = m->val;
                } else if (STREQ(m->key, "mode")) {
                        if (!jv_cstr(m->val, &s) || mode_from_string(s, &w->mode) < 0)
                                return rh_error_set(err, EINVAL, "%s.mode must be \"enforce\" or \"dry-run\"", where);
                        w->has_mode = true;
                } else {
                        return rh_error_set(err, EINVAL, "%s: unknown key \"%s\" (expected name, match, mode, rules)",
                                            where, m->key);
                }
        }
        if (!match)
                return rh_error_set(err, EINVAL, "%s has no match (which containers it is for)", where);
        _cleanup_free_ char *mwhere = NULL, *rwhere = NULL;
        if (asprintf(&mwhere, "%s.match", where) < 0 || asprintf(&rwhere, "%s.rules", where) < 0)
                return rh_error_set(err, ENOMEM, "out of memory");
        if ((k = parse_match(w, match, mwhere, err)) < 0)
                return k;
        if (rules && (k = parse_rules(p, w->conf, true, rules, rwhere, err)) < 0)
                return k;
        if (!w->name) {
                struct jv *n = jv_new_string(p->doc, where);
                if (!n || !jv_cstr(n, &w->name))
                        return rh_error_set(err, ENOMEM, "out of memory");
        }
        return 0;
}

static int parse_workloads(struct policy *p, const struct jv *list, rh_error_t *err)
{
        if (!jv_is(list, JV_ARRAY))
                return rh_error_set(err, EINVAL, "workloads must be an array of objects");
        if (!(p->workloads = calloc(list->u.arr.n ? list->u.arr.n : 1, sizeof(*p->workloads))))
                return rh_error_set(err, ENOMEM, "out of memory");
        for (size_t i = 0; i < list->u.arr.n; i++) {
                p->n_workloads++;
                int k = parse_workload(p, &p->workloads[i], list->u.arr.v[i], i, err);
                if (k < 0)
                        return k;
        }
        return 0;
}

static int parse_document(struct policy *p, const struct jv *root, rh_error_t *err)
{
        const struct jv *workloads = NULL;
        bool have_version = false;
        int64_t n;
        int k;

        if ((k = expect_object(root, "the policy", err)) < 0)
                return k;
        for (size_t i = 0; i < root->u.obj.n; i++) {
                const struct jv_member *m = &root->u.obj.m[i];
                const char *s;
                if (strlen(m->key) != m->keylen)
                        return rh_error_set(err, EINVAL, "a key contains a NUL byte");
                if (STREQ(m->key, "version")) {
                        int64_t v;
                        if (jv_int64(m->val, &v) < 0 || v != 1)
                                return rh_error_set(err, EINVAL, "version must be 1");
                        have_version = true;
                } else if (STREQ(m->key, "extends")) {
                        /* read by policy_parse before anything else */
                } else if (STREQ(m->key, "mode")) {
                        if (!jv_cstr(m->val, &s) || mode_from_string(s, &p->mode) < 0)
                                return rh_error_set(err, EINVAL, "mode must be \"enforce\" or \"dry-run\"");
                } else if (STREQ(m->key, "audit-log")) {
                        free(p->audit_log);
                        p->audit_log = NULL;
                        if (m->val->type == JV_NULL)
                                continue;
                        if (!jv_cstr(m->val, &s) || s[0] != '/')
                                return rh_error_set(err, EINVAL, "audit-log must be an absolute path or null");
                        if (!(p->audit_log = strdup(s)))
                                return rh_error_set(err, ENOMEM, "out of memory");
                } else if (STREQ(m->key, "verify")) {
                        if (!jv_is(m->val, JV_BOOL))
                                return rh_error_set(err, EINVAL, "verify must be true or false");
                        p->verify = m->val->u.b;
                } else if (STREQ(m->key, "audit-log-size")) {
                        if ((k = parse_int_key(m->val, "audit-log-size", 65536, INT64_C(1) << 40, &n, err)) < 0)
                                return k;
                        p->audit_log_size = (uint64_t)n;
                } else if (STREQ(m->key, "audit-log-keep")) {
                        if ((k = parse_int_key(m->val, "audit-log-keep", 0, AUDITLOG_MAX_KEEP, &n, err)) < 0)
                                return k;
                        p->audit_log_keep = (unsigned)n;
                } else if (STREQ(m->key, "rules")) {
                        if ((k = parse_rules(p, p->conf, false, m->val, "rules", err)) < 0)
                                return k;
                } else if (STREQ(m->key, "workloads")) {
                        workloads = m->val;
                } else {
                        return rh_error_set(err, EINVAL,
                                            "unknown key \"%s\" (expected version, extends, mode, audit-log, "
                                            "audit-log-size, audit-log-keep, verify, rules, workloads)",
                                            m->key);
                }
        }
        if (!have_version)
                return rh_error_set(err, EINVAL, "version is missing (write \"version\": 1)");
        /* Entries start from the rules as the whole document sets them,
         * wherever "rules" stands. */
        return workloads ? parse_workloads(p, workloads, err) : 0;
}

int policy_level(const char *name, struct policy **ret, rh_error_t *err)
{
        const struct policy_level_def *l = policy_levels_find(name);
        _cleanup_policy_ struct policy *p = NULL;
        _cleanup_jdoc_ struct jdoc *doc = NULL;
        int k;

        if (!l)
                return rh_error_set(err, ENOENT, "no level called \"%s\" (the levels are baseline and restricted)",
                                    name);
        if ((k = policy_builtin(&p, err)) < 0)
                return k;
        if (l->overlay) {
                if ((k = jdoc_parse(l->overlay, strlen(l->overlay), &doc, err)) < 0 ||
                    (k = parse_document(p, doc->root, err)) < 0)
                        return rh_error_wrap(err, "built-in level %s", name);
                free(p->source);
                free(p->level);
                if (!(p->source = strdup("built-in")) || !(p->level = strdup(name)))
                        return rh_error_set(err, ENOMEM, "out of memory");
        }
        *ret = TAKE_PTR(p);
        return 0;
}

int policy_parse(const char *buf, size_t len, const char *source, struct policy **ret, rh_error_t *err)
{
        _cleanup_policy_ struct policy *p = NULL;
        _cleanup_jdoc_ struct jdoc *doc = NULL;
        int k;

        if ((k = jdoc_parse(buf, len, &doc, err)) < 0)
                return rh_error_wrap(err, "policy %s", source);
        /* The level first: the rest of the document overrides it. */
        const struct jv *ext = jv_get_exact(doc->root, "extends");
        const char *level = "baseline";
        if (ext && !jv_cstr(ext, &level))
                return rh_error_set(err, EINVAL,
                                    "policy %s: extends must be the name of a level (baseline, "
                                    "restricted)",
                                    source);
        if ((k = policy_level(level, &p, err)) < 0 || (k = parse_document(p, doc->root, err)) < 0)
                return rh_error_wrap(err, "policy %s", source);
        free(p->source);
        if (!(p->source = strdup(source)))
                return rh_error_set(err, ENOMEM, "out of memory");
        *ret = TAKE_PTR(p);
        return 0;
}

int policy_load(const char *path, bool missing_ok, struct policy **ret, rh_error_t *err)
{
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
        _cleanup_free_ char *buf = NULL;
        struct stat st;
        size_t len;
        int k;

        if (fd < 0) {
                if (errno == ENOENT && missing_ok)
                        return policy_builtin(ret, err);
                return rh_error_set(err, errno, "policy %s: %m", path);
        }
        if (fstat(fd, &st) < 0)
                return rh_error_set(err, errno, "policy %s: %m", path);
        if (!S_ISREG(st.st_mode))
                return rh_error_set(err, EINVAL, "policy %s: not a regular file", path);
        if (fcntl(fd, F_SETFL, 0) < 0 || (k = spec_read_fd(fd, &buf, &len, err)) < 0)
                return rh_error_wrap(err, "policy %s", path);
        /* What `policy show > FILE` leaves when it reads the FILE the shell
         * has just emptied: say so, and how to get out. */
        if (strspn(buf, " \t\r\n") == len)
                return rh_error_set(
                        err, EINVAL,
                        "policy %s is empty%s: every checked command is refused until it holds a policy; "
                        "write the built-in one there with runc-harden policy show --level baseline --output %s%s",
                        path, len ? " (only white space)" : "", path,
                        missing_ok ? ", or remove the file to use the built-in policy" : "");
        return policy_parse(buf, len, path, ret, err);
}

/* dirname(path): path up to its last slash, "/" for a file in the root. */
static char *parent_dir(const char *path)
{
        const char *slash = strrchr(path, '/');
        if (!slash)
                return strdup(".");
        return slash == path ? strdup("/") : strndup(path, (size_t)(slash - path));
}

int policy_audit_log_check(const struct policy *p, char **ret_note, rh_error_t *err)
{
        struct stat st;

        *ret_note = NULL;
        if (!p->audit_log)
                return 0;
        _cleanup_free_ char *dir = parent_dir(p->audit_log);
        if (!dir)
                return rh_error_set(err, ENOMEM, "out of memory");
        if (stat(dir, &st) < 0) {
                if (errno != ENOENT)
                        return rh_error_set(err, errno, "audit-log %s: its directory %s: %m", p->audit_log, dir);
                if (asprintf(ret_note,
                             "audit-log %s: the directory %s does not exist; the runtime creates it (mode 0700) "
                             "at its first decision, or create it now: mkdir -m 0700 -p %s",
                             p->audit_log, dir, dir) < 0)
                        return rh_error_set(err, ENOMEM, "out of memory");
                return 0;
        }
        if (!S_ISDIR(st.st_mode))
                return rh_error_set(err, ENOTDIR, "audit-log %s: %s is not a directory: no decision could be recorded",
                                    p->audit_log, dir);
        bool exists = stat(p->audit_log, &st) == 0;
        if (exists && !S_ISREG(st.st_mode))
                return rh_error_set(err, EINVAL, "audit-log %s is not a regular file: no decision could be recorded",
                                    p->audit_log);
        if (access(exists ? p->audit_log : dir, W_OK) < 0)
                return rh_error_set(err, errno, "audit-log %s cannot be written: %m: no decision could be recorded",
                                    p->audit_log);
        return 0;
}

int policy_to_json(const struct policy *p, char **ret, rh_error_t *err)
{
        _cleanup_jdoc_ struct jdoc *d = jdoc_new();
        struct jv *root, *rules;

        if (!d || !(root = jv_new(d, JV_OBJECT)) || !(rules = jv_new(d, JV_OBJECT)))
                return rh_error_set(err, ENOMEM, "out of memory");
        d->root = root;
        int k = jv_obj_put(d, root, "version", jv_new_int(d, 1));
        k = k ?: jv_obj_put(d, root, "extends", jv_new_string(d, p->level));
        k = k ?: jv_obj_put(d, root, "mode", jv_new_string(d, mode_name(p->mode)));
        k = k ?: jv_obj_put(d, root, "audit-log", p->audit_log ? jv_new_string(d, p->audit_log) : jv_new(d, JV_NULL));
        k = k ?: jv_obj_put(d, root, "audit-log-size", jv_new_int(d, (int64_t)p->audit_log_size));
        k = k ?: jv_obj_put(d, root, "audit-log-keep", jv_new_int(d, p->audit_log_keep));
        k = k ?: jv_obj_put(d, root, "verify", jv_new_bool(d, p->verify));
        k = k ?: jv_obj_put(d, root, "rules", rules);
        if (!k && p->n_workloads) {
                struct jv *list = jv_new(d, JV_ARRAY);
                k = list ? jv_obj_put(d, root, "workloads", list) : -ENOMEM;
                for (size_t i = 0; !k && i < p->n_workloads; i++)
                        k = jv_arr_push(d, list, jv_copy(d, p->workloads[i].entry));
        }
        for (size_t i = 0; !k && i < rules_count(); i++) {
                const struct rule *r = rules_get(i);
                struct jv *o = jv_new(d, JV_OBJECT);
                if (!o)
                        return rh_error_set(err, ENOMEM, "out of memory");
                k = jv_obj_put(d, o, "action", jv_new_string(d, action_name(p->conf[i].action)));
                k = k ?: jv_obj_put(d, o, "exemptible", jv_new_bool(d, p->conf[i].exemptible));
                k = k ?: jv_obj_put(d, o, "params", jv_copy(d, p->conf[i].params));
                k = k ?: jv_obj_put(d, rules, r->id, o);
        }
        if (k < 0)
                return rh_error_set(err, ENOMEM, "out of memory");
        return jv_serialize(root, true, ret, NULL, err);
}

static bool glob_matches(const char *pattern, const char *s)
{
        return s && fnmatch(pattern, s, 0) == 0;
}

static bool workload_matches(const struct policy_workload *e, const struct workload *w)
{
        if (e->image && !(w->image_ref && image_ref_matches(e->image, w->image_ref)))
                return false;
        if (e->image_id && !(w->image_id && STREQ(e->image_id, w->image_id)))
                return false;
        if (e->engine && !(w->engine && STREQ(e->engine, w->engine)))
                return false;
        return (!e->container || glob_matches(e->container, w->name)) && (!e->pod || glob_matches(e->pod, w->pod)) &&
               (!e->ns || glob_matches(e->ns, w->ns));
}

const struct policy_workload *policy_match(const struct policy *p, const struct workload *w)
{
        for (size_t i = 0; w && i < p->n_workloads; i++)
                if (workload_matches(&p->workloads[i], w))
                        return &p->workloads[i];
        return NULL;
}

struct auditlog policy_auditlog(const struct policy *p)
{
        return (struct auditlog){.path = p->audit_log, .max_size = p->audit_log_size, .keep = p->audit_log_keep};
}
