/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "auditlog.h"
#include "auditreport.h"
#include "config.h"
#include "escape.h"
#include "runtime.h"
#include "util.h"

/* runc-harden report: the audit log read back, per workload and rule,
 * with what makes each workload pass (auditreport.c). The roll-out is
 * dry-run, this report, then enforce. */

enum {
        REPORT_OK = 0,
        REPORT_FAILED = 1,
        REPORT_USAGE = 2,
};

static void report_usage(FILE *f)
{
        fputs("usage: runc-harden report [--since TIME] [--format text|json] [--policy FILE] [--audit-log FILE]\n"
              "TIME is 2026-11-29T10:00:00Z, 2026-11-29, or an age: 30m, 24h, 7d, 2w.\n"
              "The audit log is the policy's (--policy FILE, else the installed one); --audit-log reads another.\n",
              f);
}

/* Text from containers and engines (paths they wrote, image names) goes
 * to a terminal: escaped, as every text output is. */
static void put(FILE *f, const char *s)
{
        rh_escape_write(f, s ? s : "", ESCAPE_TEXT);
}

static const char *str(const struct jv *o, const char *key)
{
        const char *s;
        return jv_cstr(jv_get_exact(o, key), &s) ? s : NULL;
}

static int64_t num(const struct jv *o, const char *key)
{
        int64_t n = 0;
        jv_int64(jv_get_exact(o, key), &n);
        return n;
}

static void print_verdict(FILE *f, const struct jv *w)
{
        const char *v = str(w, "enforce"), *rules = str(w, "enforce-rules");
        const struct jv *modes = jv_get_exact(w, "modes");
        bool dry = false;

        for (size_t i = 0; jv_is(modes, JV_ARRAY) && i < modes->u.arr.n; i++)
                dry |= STREQ(modes->u.arr.v[i]->u.str.s, "dry-run");
        fputs("  enforce ", f);
        if (STREQ(v, "refuse"))
                fprintf(f, "%s it: ", dry ? "would refuse" : "refused");
        else if (STREQ(v, "break"))
                fprintf(f, "%s it, but what it did would break under: ", dry ? "would start" : "started");
        else if (STREQ(v, "change"))
                fprintf(f, "%s it with changes: ", dry ? "would start" : "started");
        else
                fprintf(f, "%s it unchanged", dry ? "would start" : "started");
        put(f, rules ? rules : "");
        fputc('\n', f);
}

static void print_rule(FILE *f, const struct jv *r)
{
        const struct jv *counts = jv_get_exact(r, "counts"), *list;
        const char *s;

        fputs("  ", f);
        put(f, str(r, "rule"));
        fputs(":", f);
        for (size_t i = 0; jv_is(counts, JV_OBJECT) && i < counts->u.obj.n; i++)
                fprintf(f, "%s %s x%" PRId64, i ? "," : "", counts->u.obj.m[i].key,
                        num(counts, counts->u.obj.m[i].key));
        if ((s = str(r, "pointer")) && *s) {
                fputs(" at ", f);
                put(f, s);
        }
        fputc('\n', f);
        if ((s = str(r, "message"))) {
                fputs("      ", f);
                put(f, s);
                fputc('\n', f);
        }
        if ((list = jv_get_exact(r, "written")) && list->u.arr.n) {
                fputs("      seen at delete, written outside what stays writable:", f);
                for (size_t i = 0; i < list->u.arr.n; i++) {
                        fputs(i ? ", " : " ", f);
                        put(f, list->u.arr.v[i]->u.str.s);
                }
                fputs(": a read-only root would refuse these writes\n", f);
        }
        if (jv_get_exact(r, "memory-peak")) {
                fprintf(f, "      seen at delete: memory peak %" PRId64 " MiB; enforce sets %" PRId64 " MiB\n",
                        num(r, "memory-peak") >> 20, num(r, "memory-limit") >> 20);
        }
        list = jv_get_exact(r, "to-pass");
        for (size_t i = 0; jv_is(list, JV_ARRAY) && i < list->u.arr.n; i++) {
                fputs(i ? "      " : "      to pass: ", f);
                put(f, list->u.arr.v[i]->u.str.s);
                fputc('\n', f);
        }
        if (jv_get_exact(r, "not-seen-yet"))
                fputs("      not seen at delete yet: what it writes is read when the container is deleted "
                      "(when it stops, for Docker)\n",
                      f);
        const struct jv *e = jv_get_exact(r, "policy"), *pr = jv_get_exact(r, "policy-rules");
        _cleanup_free_ char *json = NULL;
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        if ((e || pr) && jv_serialize(e ? e : pr, false, &json, NULL, &err) == 0) {
                fputs(e ? "      policy: \"workloads\": [" : "      policy: \"rules\": ", f);
                put(f, json);
                fputs(e ? "]\n" : "\n", f);
        }
}

static void print_workload(FILE *f, const struct jv *w)
{
        const struct jv *id = jv_get_exact(w, "identity"), *seen = jv_get_exact(w, "observed");
        const struct jv *ids = jv_get_exact(w, "containers"), *rules = jv_get_exact(w, "rules"), *modes;
        const char *s;

        fputc('\n', f);
        put(f, str(w, "workload"));
        fputs(" (", f);
        if ((s = str(id, "engine")))
                fprintf(f, "%s, ", s);
        fprintf(f, "%zu container%s", ids->u.arr.n, ids->u.arr.n == 1 ? "" : "s");
        modes = jv_get_exact(w, "modes");
        for (size_t i = 0; jv_is(modes, JV_ARRAY) && i < modes->u.arr.n; i++)
                fprintf(f, ", %s", modes->u.arr.v[i]->u.str.s);
        fputs(", last ", f);
        put(f, str(w, "last"));
        if ((s = str(w, "policy-entry"))) {
                fputs(", policy entry ", f);
                put(f, s);
        }
        fputs(")\n", f);
        print_verdict(f, w);
        for (size_t i = 0; jv_is(rules, JV_ARRAY) && i < rules->u.arr.n; i++)
                print_rule(f, rules->u.arr.v[i]);
        int64_t watched = num(seen, "containers");
        if ((s = str(seen, "error"))) {
                fputs("  what it wrote could not be seen: ", f);
                put(f, s);
                fputc('\n', f);
        } else if (watched)
                fprintf(f, "  seen at delete: %" PRId64 " container%s%s\n", watched, watched == 1 ? "" : "s",
                        jv_get_exact(seen, "truncated")->u.b ? " (the walk stopped at its bound: there may be more)"
                                                             : "");
}

static int print_text(FILE *f, const char *log, const struct jv *rep)
{
        const struct jv *list = jv_get_exact(rep, "workloads");
        fputs("runc-harden report: ", f);
        put(f, log);
        fprintf(f, ": %" PRId64 " records", num(rep, "records"));
        if (str(rep, "first"))
                fprintf(f, " from %s to %s", str(rep, "first"), str(rep, "last"));
        if (num(rep, "skipped"))
                fprintf(f, " (%" PRId64 " unreadable, skipped)", num(rep, "skipped"));
        fputc('\n', f);
        for (size_t i = 0; i < list->u.arr.n; i++)
                print_workload(f, list->u.arr.v[i]);
        return fflush(f) == 0 ? REPORT_OK : REPORT_FAILED;
}

static int add_record(const struct jv *rec, void *userdata)
{
        return audit_report_add(userdata, rec);
}

int cmd_report(int argc, char **argv)
{
        static const struct option opts[] = {
                {"since", required_argument, NULL, 's'},  {"format", required_argument, NULL, 'f'},
                {"policy", required_argument, NULL, 'p'}, {"audit-log", required_argument, NULL, 'l'},
                {"help", no_argument, NULL, 'h'},         {0},
        };
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        _cleanup_policy_ struct policy *p = NULL;
        _cleanup_audit_report_ struct audit_report rep = {0};
        _cleanup_jdoc_ struct jdoc *d = jdoc_new();
        _cleanup_free_ char *json = NULL;
        const char *since = NULL, *format = "text", *policy = NULL, *log_path = NULL;
        struct auditlog_read_stats st;
        struct jv *out;
        int o;

        optind = 1;
        while ((o = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
                switch (o) {
                case 's':
                        since = optarg;
                        break;
                case 'f':
                        format = optarg;
                        break;
                case 'p':
                        policy = optarg;
                        break;
                case 'l':
                        log_path = optarg;
                        break;
                case 'h':
                        report_usage(stdout);
                        return REPORT_OK;
                default:
                        report_usage(stderr);
                        return REPORT_USAGE;
                }
        }
        if (optind != argc || (!STREQ(format, "text") && !STREQ(format, "json"))) {
                report_usage(stderr);
                return REPORT_USAGE;
        }
        if (since && auditlog_time_parse(since, time(NULL), &rep.since) < 0) {
                fprintf(stderr,
                        "runc-harden: report: --since %s: not a time (2026-11-29T10:00:00Z, 2026-11-29) "
                        "or an age (30m, 24h, 7d)\n",
                        since);
                return REPORT_USAGE;
        }
        if (policy_load(policy ? policy : RH_POLICY_PATH, !policy, &p, &err) < 0) {
                fprintf(stderr, "runc-harden: report: %s\n", rh_error_msg(&err));
                return REPORT_FAILED;
        }
        struct auditlog log = policy_auditlog(p);
        if (log_path)
                log.path = log_path;
        if (!d || auditlog_read(&log, add_record, &rep, &st, &err) < 0) {
                fprintf(stderr, "runc-harden: report: %s\n", d ? rh_error_msg(&err) : "out of memory");
                return REPORT_FAILED;
        }
        rep.skipped += st.bad;
        if (audit_report_json(&rep, p, d, &out) < 0 ||
            jv_obj_put(d, out, "audit-log", jv_new_string(d, log.path)) < 0) {
                fputs("runc-harden: report: out of memory\n", stderr);
                return REPORT_FAILED;
        }
        if (STREQ(format, "text"))
                return print_text(stdout, log.path, out);
        if (jv_serialize(out, true, &json, NULL, &err) < 0) {
                fprintf(stderr, "runc-harden: report: %s\n", rh_error_msg(&err));
                return REPORT_FAILED;
        }
        printf("%s\n", json);
        return fflush(stdout) == 0 ? REPORT_OK : REPORT_FAILED;
}
