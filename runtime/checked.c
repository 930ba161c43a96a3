/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "auditlog.h"
#include "config.h"
#include "delegate.h"
#include "escape.h"
#include "report.h"
#include "runtime.h"
#include "util.h"

int checked_fail(struct checked *c, const char *fmt, ...)
{
        _cleanup_free_ char *msg = NULL;
        va_list ap;

        va_start(ap, fmt);
        if (vasprintf(&msg, fmt, ap) < 0)
                msg = NULL;
        va_end(ap);
        rh_log_write(&c->log, "error", msg ? msg : "runc-harden: out of memory");
        return EXIT_DENIED;
}

int checked_begin(struct checked *c, struct runc_invocation *inv, const char *runtime)
{
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        const char *path = inv->g.harden_policy ? inv->g.harden_policy : RH_POLICY_PATH;

        *c = (struct checked){.inv = inv, .runtime = runtime};
        rh_log_open(&c->log, inv->g.log, inv->g.log_format);
        openlog("runc-harden", LOG_PID, LOG_AUTHPRIV);
        /* The default path may be absent (built-in policy); a path the
         * operator named must exist. */
        if (policy_load(path, !inv->g.harden_policy, &c->policy, &err) < 0)
                return checked_fail(c, "runc-harden: cannot load the policy, refusing to %s (fail closed): %s",
                                    runc_cmd_name(inv->cmd), rh_error_msg(&err));
        if (shim_check_runtime(runtime, &err) < 0)
                return checked_fail(c, "runc-harden: %s; refusing to %s", rh_error_msg(&err), runc_cmd_name(inv->cmd));
        c->mode = c->policy->mode;
        if (inv->g.harden_mode && mode_from_string(inv->g.harden_mode, &c->mode) < 0)
                return checked_fail(c, "runc-harden: --harden-mode must be enforce or dry-run, not \"%s\"",
                                    inv->g.harden_mode);
        return 0;
}

int checked_preserved_fds(struct checked *c, const struct caller_fds *fds, const char *preserve)
{
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        _cleanup_free_ char *msg = NULL;
        int end;

        if (preserved_fds_judge(fds, preserve, getenv("LISTEN_FDS"), &end, &err) == 0) {
                c->fds_end = end;
                return 0;
        }
        if (c->mode == MODE_ENFORCE)
                return checked_fail(c, "runc-harden: refusing to %s: %s", runc_cmd_name(c->inv->cmd),
                                    rh_error_msg(&err));
        if (asprintf(&msg, "runc-harden: dry-run: would refuse to %s: %s", runc_cmd_name(c->inv->cmd),
                     rh_error_msg(&err)) >= 0)
                rh_log_write(&c->log, "warning", msg);
        return 0;
}

int checked_unreadable(struct runc_invocation *inv, const char *runtime, const rh_error_t *why)
{
        _cleanup_error_ rh_error_t ignored = RH_ERROR_INIT;
        _cleanup_free_ char *what = NULL;
        struct checked c = {.inv = inv, .runtime = runtime, .mode = MODE_ENFORCE};
        /* A known command means the globals were read in full: --log and
         * --log-format can be trusted, as runc trusts them by then. */
        bool globals_read = runc_cmd_is_checked(inv->cmd);
        const char *path = inv->g.harden_policy ? inv->g.harden_policy : RH_POLICY_PATH;
        int r;

        if (!globals_read || asprintf(&what, "the %s command line", runc_cmd_name(inv->cmd)) < 0)
                what = NULL;
        rh_log_open(&c.log, globals_read ? inv->g.log : NULL, globals_read ? inv->g.log_format : NULL);
        /* Only a mode known for sure is dry-run: a bad --harden-mode or a
         * policy that cannot be loaded leaves it enforcing. */
        if (inv->g.harden_mode) {
                if (mode_from_string(inv->g.harden_mode, &c.mode) < 0)
                        c.mode = MODE_ENFORCE;
        } else if (policy_load(path, !inv->g.harden_policy, &c.policy, &ignored) >= 0) {
                c.mode = c.policy->mode;
        }
        if (c.mode == MODE_DRY_RUN && inv->argv) {
                _cleanup_free_ char *msg = NULL;
                if (asprintf(&msg, "runc-harden: dry-run: would refuse: cannot read %s: %s", what ?: "the command line",
                             rh_error_msg(why)) >= 0)
                        rh_log_write(&c.log, "warning", msg);
                r = handoff(&c);
        } else {
                r = checked_fail(&c, "runc-harden: cannot read %s: %s; refusing", what ?: "the command line",
                                 rh_error_msg(why));
        }
        checked_end(&c);
        return r;
}

void checked_end(struct checked *c)
{
        workload_done(&c->workload);
        eval_done(&c->decided);
        policy_free(c->policy);
        c->policy = NULL;
        rh_log_close(&c->log);
        closelog();
}

/* One line per finding, as the engine's log had them before the audit
 * log was there: used only when the decision could not be recorded. */
static void log_findings(struct checked *c, const struct eval *ev, bool enforce)
{
        for (size_t i = 0; i < ev->n; i++) {
                const struct finding *f = &ev->findings[i];
                const char *what;
                _cleanup_free_ char *msg = NULL;

                if (f->exempted)
                        what = "exempt from policy";
                else if (f->action == ACTION_DENY)
                        what = enforce ? NULL : "dry-run: would deny";
                else if (f->action == ACTION_FIX)
                        what = enforce ? "fixed by policy" : "dry-run: would fix";
                else
                        what = "warning from policy";
                if (!what)
                        continue; /* denials go out together, last */
                if (asprintf(&msg, "runc-harden: %s: %s: %s%s%s", what, f->rule, f->pointer, *f->pointer ? ": " : "",
                             f->message) >= 0)
                        rh_log_write(&c->log, "warning", msg);
        }
}

/* The rule ids of one kind of finding, each once, in order, after label:
 * "LABEL a, b"; "; " before it unless it comes first. */
static bool list_rules(FILE *f, const struct eval *ev, bool exempted, rh_action_t action, const char *label, bool first)
{
        bool any = false;
        for (size_t i = 0; i < ev->n; i++) {
                const struct finding *x = &ev->findings[i];
                bool seen = false;
                if (x->exempted != exempted || (!exempted && x->action != action))
                        continue;
                for (size_t k = 0; k < i && !seen; k++)
                        seen = ev->findings[k].exempted == exempted && (exempted || ev->findings[k].action == action) &&
                               STREQ(ev->findings[k].rule, x->rule);
                if (seen)
                        continue;
                if (!any)
                        fprintf(f, "%s%s", first ? "" : "; ", label);
                fprintf(f, "%s%s", any ? ", " : "", x->rule);
                any = true;
        }
        return any;
}

/* The container's findings as one line for the engine's log: what was
 * fixed, denied (in dry-run), warned about and exempted, by rule id. The
 * details (pointers, messages) are in the audit log, where they outlive
 * the engine's log. */
static char *summary_line(const struct checked *c, const struct eval *ev, bool enforce, bool recorded)
{
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        bool any = false;

        if (!f)
                return NULL;
        fputs(enforce ? "runc-harden: " : "runc-harden: dry-run: ", f);
        if (!enforce)
                any |= list_rules(f, ev, false, ACTION_DENY, "would deny: ", !any);
        any |= list_rules(f, ev, false, ACTION_FIX, enforce ? "fixed by policy: " : "would fix: ", !any);
        any |= list_rules(f, ev, false, ACTION_WARN, "warning from policy: ", !any);
        any |= list_rules(f, ev, true, ACTION_OFF, "exempt from policy: ", !any);
        if (recorded)
                fprintf(f, " (details: runc-harden report, or the audit log %s)", c->policy->audit_log);
        if (fclose(f) != 0 || !any) {
                free(buf);
                return NULL;
        }
        return buf;
}

static int record_put_str(struct jdoc *d, struct jv *o, const char *key, const char *v)
{
        return v ? jv_obj_put(d, o, key, jv_new_string(d, v)) : 0;
}

/* One syslog line per finding, and one audit-log record per decision.
 * Returns whether the record was written. */
static bool audit(struct checked *c, const struct eval *ev, rh_verdict_t v, const char *what, const char *container,
                  const char *bundle, const struct spec *s)
{
        const char *cmd = runc_cmd_name(c->inv->cmd);
        /* Without a syslog daemon every syslog() call retries the socket;
         * nothing would receive the lines anyway. */
        bool have_syslog = access(_PATH_LOG, W_OK) == 0;

        /* Names from the engine and the spec, escaped: a syslog line is
         * one line. */
        _cleanup_free_ char *shown_id = rh_escape(container ?: "-", ESCAPE_TEXT);
        _cleanup_free_ char *shown_bundle = rh_escape(bundle ?: "-", ESCAPE_TEXT);
        for (size_t i = 0; have_syslog && i < ev->n; i++) {
                const struct finding *f = &ev->findings[i];
                _cleanup_free_ char *ptr = rh_escape(f->pointer, ESCAPE_TEXT);
                syslog(LOG_NOTICE, "%s container=%s bundle=%s rule=%s action=%s%s mode=%s pointer=%s", cmd,
                       shown_id ?: "?", shown_bundle ?: "?", f->rule, action_name(f->action),
                       f->exempted ? " exempted=1" : "", mode_name(c->mode), ptr ?: "?");
        }
        if (have_syslog)
                syslog(v == VERDICT_DENY ? LOG_WARNING : LOG_INFO, "%s container=%s bundle=%s verdict=%s mode=%s", cmd,
                       shown_id ?: "?", shown_bundle ?: "?", verdict_name(v), mode_name(c->mode));
        if (!c->policy->audit_log)
                return false;

        _cleanup_jdoc_ struct jdoc *d = jdoc_new();
        _cleanup_free_ char *json = NULL, *line = NULL;
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        struct auditlog log = policy_auditlog(c->policy);
        struct jv *o, *wl = NULL;
        char now[32];

        auditlog_time_format(time(NULL), now, sizeof(now));
        if (!d || !(o = jv_new(d, JV_OBJECT)))
                return false;
        int k = jv_obj_put(d, o, "time", jv_new_string(d, now));
        k = k ?: jv_obj_put(d, o, "command", jv_new_string(d, cmd));
        k = k ?: jv_obj_put(d, o, "document", jv_new_string(d, what));
        k = k ?: jv_obj_put(d, o, "container", container ? rh_escape_jv(d, container) : jv_new(d, JV_NULL));
        k = k ?: jv_obj_put(d, o, "bundle", bundle ? rh_escape_jv(d, bundle) : jv_new(d, JV_NULL));
        k = k ?: jv_obj_put(d, o, "mode", jv_new_string(d, mode_name(c->mode)));
        k = k ?: jv_obj_put(d, o, "verdict", jv_new_string(d, verdict_name(v)));
        k = k ?: jv_obj_put(d, o, "policy", jv_new_string(d, c->policy->source));
        k = k ?: jv_obj_put(d, o, "level", jv_new_string(d, c->policy->level));
        k = k ?: record_put_str(d, o, "workload-entry", ev->entry ? ev->entry->name : NULL);
        if (!k && s && s->workload && workload_known(s->workload) && (k = workload_to_json(s->workload, d, &wl)) == 0)
                k = jv_obj_put(d, o, "workload", wl);
        k = k ?: jv_obj_put(d, o, "findings", report_findings_json(d, ev));
        if (k < 0 || jv_serialize(o, false, &json, NULL, &err) < 0 || asprintf(&line, "%s\n", json) < 0)
                return false;
        int r = auditlog_append(&log, line, &err);
        /* A decision record is never dropped without a trace: say so where
         * the engine shows runc-harden's messages, and in syslog. */
        if (r != 0) {
                _cleanup_free_ char *msg = NULL;
                if (asprintf(&msg, "runc-harden: %s this decision (%s) to the audit log %s: %s",
                             r < 0 ? "cannot append" : "appended", verdict_name(v), c->policy->audit_log,
                             rh_error_msg(&err)) >= 0)
                        rh_log_write(&c->log, "warning", msg);
                if (have_syslog)
                        syslog(LOG_ERR, "the audit log %s: %s", c->policy->audit_log, rh_error_msg(&err));
        }
        return r >= 0;
}

int checked_decide(struct checked *c, struct spec *s, const rh_error_t *load_err, check_kind_t kind, const char *what,
                   const char *container, const char *bundle, bool *ret_changed)
{
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        /* kept until checked_end(): the verification after create reports
         * only what this decision did not */
        struct eval *ev = &c->decided;

        eval_done(ev);
        *ret_changed = false;
        if (s && !s->workload) {
                /* an exec process is its container's workload */
                const struct spec *from = kind == CHECK_CONFIG ? s : s->container;
                if (from && workload_identify(from, container, &c->workload) == 0)
                        s->workload = &c->workload;
        }
        if (!s)
                engine_add_invalid(ev, what, load_err);
        else if (engine_evaluate(c->policy, s, kind, ev, &err) < 0)
                return checked_fail(c, "runc-harden: cannot evaluate %s: %s", what, rh_error_msg(&err));
        /* A per-workload entry may set the mode; --harden-mode still wins. */
        if (ev->entry && ev->entry->has_mode && !c->inv->g.harden_mode)
                c->mode = ev->entry->mode;
        bool enforce = c->mode == MODE_ENFORCE;

        rh_verdict_t v = eval_verdict(ev);
        bool recorded = audit(c, ev, v, what, container, bundle, s);
        if (!recorded)
                log_findings(c, ev, enforce);
        /* Engines create, start and delete; runc run deletes by itself,
         * and no delete would ever read the watch. */
        if (!enforce && s && kind == CHECK_CONFIG && c->inv->cmd == RUNC_CMD_CREATE)
                dryrun_watch(c, s, ev, container);

        if (v == VERDICT_DENY && enforce) {
                _cleanup_free_ char *msg = eval_deny_message(ev);
                rh_log_write(&c->log, "error", msg ? msg : "runc-harden: denied by policy");
                return EXIT_DENIED;
        }
        _cleanup_free_ char *line = summary_line(c, ev, enforce, recorded);
        if (line)
                rh_log_write(&c->log, "warning", line);
        if (v == VERDICT_FIX && enforce) {
                if (engine_apply_fixes(c->policy, s, kind, ev, &err) < 0)
                        return checked_fail(c, "runc-harden: denied by policy: cannot fix %s: %s", what,
                                            rh_error_msg(&err));
                *ret_changed = true;
        }
        return 0;
}

int checked_write_back(struct checked *c, const struct spec *s, int dirfd, const char *name, const struct stat *st,
                       const char *what)
{
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        _cleanup_free_ char *data = NULL;
        size_t len;

        if (spec_serialize(s, s->pretty, &data, &len, &err) < 0 ||
            spec_write_atomic(dirfd, name, data, len, st, &err) < 0)
                return checked_fail(c, "runc-harden: denied by policy: cannot write the fixed %s: %s", what,
                                    rh_error_msg(&err));
        return 0;
}

int handoff_wait(struct checked *c, char **argv, int *ret_status)
{
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;

        if (preserved_fds_recheck(c->fds_end, &err) < 0)
                return checked_fail(c, "runc-harden: refusing to %s: %s", runc_cmd_name(c->inv->cmd),
                                    rh_error_msg(&err));

        /* As for the exec: the log fd is not the runtime's to inherit
         * (it is O_CLOEXEC), and runc appends to the same file. */
        if (shim_spawn_delegate(c->runtime, argv, ret_status, &err) < 0)
                return checked_fail(c, "runc-harden: %s", rh_error_msg(&err));
        return 0;
}

/* Whether the spec's decision had a finding of this rule and kind. */
static bool decided_already(const struct checked *c, const struct finding *f)
{
        for (size_t i = 0; i < c->decided.n; i++) {
                const struct finding *d = &c->decided.findings[i];
                if (STREQ(d->rule, f->rule) && d->action == f->action && d->exempted == f->exempted)
                        return true;
        }
        return false;
}

void checked_log_verification(struct checked *c, const struct eval *all, const struct spec *s, const char *what,
                              const char *container, const char *bundle)
{
        _cleanup_eval_ struct eval fresh = {.entry = all->entry};
        bool enforce = c->mode == MODE_ENFORCE;

        /* What dry-run let through or a warning let pass is found again in
         * the container: the create's record and line said so already, and
         * a report would count it twice. */
        for (size_t i = 0; i < all->n; i++) {
                const struct finding *f = &all->findings[i];
                if (!decided_already(c, f))
                        eval_add(&fresh, f->rule, f->guide, f->action, f->exempted,
                                 f->pointer ? strdup(f->pointer) : NULL, f->message ? strdup(f->message) : NULL);
        }
        if (fresh.n == 0)
                return;
        rh_verdict_t v = eval_verdict(&fresh);
        if (!audit(c, &fresh, v, what, container, bundle, s)) {
                log_findings(c, &fresh, enforce);
                return;
        }
        /* A refusal's message names each rule and field already. */
        if (v == VERDICT_DENY && enforce)
                return;
        _cleanup_free_ char *line = summary_line(c, &fresh, enforce, true);
        if (line)
                rh_log_write(&c->log, "warning", line);
}

int handoff(struct checked *c)
{
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;

        if (preserved_fds_recheck(c->fds_end, &err) < 0)
                return checked_fail(c, "runc-harden: refusing to %s: %s", runc_cmd_name(c->inv->cmd),
                                    rh_error_msg(&err));

        /* The log fd must not leak into runc, and runc appends its own
         * records to the same file after ours. */
        rh_log_close(&c->log);
        rh_log_open(&c->log, NULL, NULL);
        shim_exec_delegate(c->runtime, c->inv->argv, &err);
        rh_log_open(&c->log, c->inv->g.log, c->inv->g.log_format);
        return checked_fail(c, "runc-harden: %s", rh_error_msg(&err));
}
