/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "escape.h"
#include "util.h"

static const char *const format_names[_REPORT_FORMAT_MAX] = {"text", "json", "sarif"};

int report_format_from_string(const char *s, report_format_t *ret)
{
        for (int i = 0; i < _REPORT_FORMAT_MAX; i++)
                if (STREQ(s, format_names[i])) {
                        *ret = (report_format_t)i;
                        return 0;
                }
        return -EINVAL;
}

/* Builders return NULL on allocation failure; one check at the end. */
static struct jv *put(struct jdoc *d, struct jv *obj, const char *key, struct jv *val, bool *oom)
{
        if (!obj || !val || jv_obj_put(d, obj, key, val) < 0)
                *oom = true;
        return val;
}

static struct jv *push(struct jdoc *d, struct jv *arr, struct jv *val, bool *oom)
{
        if (!arr || !val || jv_arr_push(d, arr, val) < 0)
                *oom = true;
        return val;
}

static struct jv *finding_json(struct jdoc *d, const struct finding *f, bool *oom)
{
        struct jv *o = jv_new(d, JV_OBJECT);
        put(d, o, "rule", jv_new_string(d, f->rule), oom);
        put(d, o, "action", jv_new_string(d, action_name(f->action)), oom);
        put(d, o, "pointer", rh_escape_jv(d, f->pointer), oom);
        put(d, o, "message", rh_escape_jv(d, f->message), oom);
        put(d, o, "guide", jv_new_string(d, f->guide), oom);
        if (f->exempted)
                put(d, o, "exempted", jv_new_bool(d, true), oom);
        return o;
}

struct jv *report_findings_json(struct jdoc *d, const struct eval *ev)
{
        bool oom = false;
        struct jv *a = jv_new(d, JV_ARRAY);
        for (size_t i = 0; i < ev->n; i++)
                push(d, a, finding_json(d, &ev->findings[i], &oom), &oom);
        return oom ? NULL : a;
}

static struct jv *json_doc(struct jdoc *d, const struct report_item *items, size_t n, bool *oom)
{
        struct jv *root = jv_new(d, JV_OBJECT);
        put(d, root, "version", jv_new_int(d, 1), oom);
        struct jv *results = put(d, root, "results", jv_new(d, JV_ARRAY), oom);
        for (size_t i = 0; i < n; i++) {
                struct jv *r = push(d, results, jv_new(d, JV_OBJECT), oom);
                put(d, r, "path", rh_escape_jv(d, items[i].path), oom);
                put(d, r, "verdict", jv_new_string(d, verdict_name(items[i].verdict)), oom);
                struct jv *f = report_findings_json(d, items[i].ev);
                if (!f)
                        *oom = true;
                put(d, r, "findings", f, oom);
        }
        return root;
}

static const char *sarif_level(rh_action_t a)
{
        return a == ACTION_DENY ? "error" : a == ACTION_FIX ? "warning" : "note";
}

static struct jv *sarif_doc(struct jdoc *d, const struct report_item *items, size_t n, bool *oom)
{
        struct jv *root = jv_new(d, JV_OBJECT);
        put(d, root, "$schema", jv_new_string(d, "https://json.schemastore.org/sarif-2.1.0.json"), oom);
        put(d, root, "version", jv_new_string(d, "2.1.0"), oom);
        struct jv *runs = put(d, root, "runs", jv_new(d, JV_ARRAY), oom);
        struct jv *run = push(d, runs, jv_new(d, JV_OBJECT), oom);
        struct jv *tool = put(d, run, "tool", jv_new(d, JV_OBJECT), oom);
        struct jv *driver = put(d, tool, "driver", jv_new(d, JV_OBJECT), oom);
        put(d, driver, "name", jv_new_string(d, "runc-harden"), oom);
        put(d, driver, "version", jv_new_string(d, RH_VERSION), oom);
        struct jv *rules = put(d, driver, "rules", jv_new(d, JV_ARRAY), oom);
        for (size_t i = 0; i < rules_count(); i++) {
                const struct rule *r = rules_get(i);
                struct jv *o = push(d, rules, jv_new(d, JV_OBJECT), oom);
                put(d, o, "id", jv_new_string(d, r->id), oom);
                struct jv *sd = put(d, o, "shortDescription", jv_new(d, JV_OBJECT), oom);
                put(d, sd, "text", jv_new_string(d, r->summary), oom);
                struct jv *props = put(d, o, "properties", jv_new(d, JV_OBJECT), oom);
                put(d, props, "guide", jv_new_string(d, r->guide), oom);
        }
        struct jv *results = put(d, run, "results", jv_new(d, JV_ARRAY), oom);
        for (size_t i = 0; i < n; i++) {
                const struct eval *ev = items[i].ev;
                for (size_t k = 0; k < ev->n; k++) {
                        const struct finding *f = &ev->findings[k];
                        if (f->exempted)
                                continue;
                        size_t idx = 0;
                        rules_find(f->rule, &idx);
                        struct jv *res = push(d, results, jv_new(d, JV_OBJECT), oom);
                        put(d, res, "ruleId", jv_new_string(d, f->rule), oom);
                        put(d, res, "ruleIndex", jv_new_int(d, (int64_t)idx), oom);
                        put(d, res, "level", jv_new_string(d, sarif_level(f->action)), oom);
                        struct jv *msg = put(d, res, "message", jv_new(d, JV_OBJECT), oom);
                        _cleanup_free_ char *text = NULL;
                        if (asprintf(&text, "%s%s%s", f->pointer, *f->pointer ? ": " : "", f->message) < 0)
                                *oom = true;
                        put(d, msg, "text", text ? rh_escape_jv(d, text) : NULL, oom);
                        struct jv *locs = put(d, res, "locations", jv_new(d, JV_ARRAY), oom);
                        struct jv *loc = push(d, locs, jv_new(d, JV_OBJECT), oom);
                        struct jv *phys = put(d, loc, "physicalLocation", jv_new(d, JV_OBJECT), oom);
                        struct jv *art = put(d, phys, "artifactLocation", jv_new(d, JV_OBJECT), oom);
                        put(d, art, "uri", rh_escape_jv(d, items[i].path), oom);
                        struct jv *logs = put(d, loc, "logicalLocations", jv_new(d, JV_ARRAY), oom);
                        struct jv *lg = push(d, logs, jv_new(d, JV_OBJECT), oom);
                        put(d, lg, "fullyQualifiedName", rh_escape_jv(d, f->pointer), oom);
                        put(d, lg, "kind", jv_new_string(d, "member"), oom);
                        struct jv *props = put(d, res, "properties", jv_new(d, JV_OBJECT), oom);
                        put(d, props, "action", jv_new_string(d, action_name(f->action)), oom);
                        put(d, props, "guide", jv_new_string(d, f->guide), oom);
                }
        }
        return root;
}

/* One line per item and per finding: every field is escaped, so that no
 * name in a spec can end a line early or forge another item's. */
static void write_text(FILE *out, const struct report_item *items, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                const struct eval *ev = items[i].ev;
                rh_escape_write(out, items[i].path, ESCAPE_TEXT);
                fprintf(out, ": %s\n", verdict_name(items[i].verdict));
                for (size_t k = 0; k < ev->n; k++) {
                        const struct finding *f = &ev->findings[k];
                        fprintf(out, "  %-6s ", f->exempted ? "exempt" : action_name(f->action));
                        rh_escape_write(out, f->rule, ESCAPE_TEXT);
                        fputs(": ", out);
                        rh_escape_write(out, f->pointer, ESCAPE_TEXT);
                        fputs(*f->pointer ? ": " : "", out);
                        rh_escape_write(out, f->message, ESCAPE_TEXT);
                        fprintf(out, " [guide %s]\n", f->guide);
                }
        }
}

int report_write(FILE *out, report_format_t fmt, const struct report_item *items, size_t n, rh_error_t *err)
{
        if (fmt == REPORT_TEXT) {
                write_text(out, items, n);
                return fflush(out) == 0 ? 0 : rh_error_set(err, errno, "writing the report: %m");
        }
        _cleanup_jdoc_ struct jdoc *d = jdoc_new();
        _cleanup_free_ char *buf = NULL;
        bool oom = false;
        size_t len;
        int r;

        if (!d)
                return rh_error_set(err, ENOMEM, "out of memory");
        struct jv *root = fmt == REPORT_JSON ? json_doc(d, items, n, &oom) : sarif_doc(d, items, n, &oom);
        if (oom || !root)
                return rh_error_set(err, ENOMEM, "out of memory");
        if ((r = jv_serialize(root, true, &buf, &len, err)) < 0)
                return r;
        if (fwrite(buf, 1, len, out) != len || fputc('\n', out) == EOF || fflush(out) != 0)
                return rh_error_set(err, errno ?: EIO, "writing the report: %m");
        return 0;
}
