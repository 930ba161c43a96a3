/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit.h"
#include "capture.h"
#include "config.h"
#include "report.h"
#include "runtime.h"
#include "util.h"

/* Exit codes, for CI scripts, as lint's: EXIT_OK nothing at deny level,
 * EXIT_DENIED some check failed, EXIT_ERROR a usage error, an unreadable
 * or malformed daemon.json. */

struct audit_opts {
        report_format_t fmt;
        const char *daemon_config;
        const char *root;
        const char *runtime_root;
        const char *runtime;
        const char *min_version;
        const char *audit_log;
        const char *runc_harden;
        unsigned *allowed;
        size_t n_allowed;
};

static void audit_usage(FILE *f)
{
        fputs("usage: runc-harden audit [--format text|json|sarif] [--daemon-config FILE] [--root-dir DIR]\n"
              "                         [--runtime-root DIR] [--runtime PATH] [--min-docker-version X.Y.Z]\n"
              "                         [--allowed-ports N,N...] [--audit-log FILE] [--runc-harden BINARY]\n"
              "Checks the Docker daemon, the host and (with the host's root) running containers.\n"
              "Exit: 0 nothing failed, 1 some check failed, 2 error.\n",
              f);
}

/* Runs argv (no shell) and returns its stdout; NULL when it cannot run or
 * fails. Only ever on the real host: a fake root has no commands. */
static char *capture(char *const argv[])
{
        char *out = NULL;

        if (access(argv[0], X_OK) < 0 || capture_program(argv, NULL, CAPTURE_ERR_NULL, &out, NULL) != 0) {
                free(out);
                return NULL;
        }
        return out;
}

static const char *find_program(const char *const *candidates)
{
        for (; *candidates; candidates++)
                if (access(*candidates, X_OK) == 0)
                        return *candidates;
        return NULL;
}

/* The SARIF document report_write makes lists the spec rules; an audit's
 * results refer to the audit table instead, so the driver's rules and
 * each result's ruleIndex are replaced. */
static int sarif_audit_rules(struct jdoc *d)
{
        const struct jv *runs = jv_get(d->root, "runs");
        struct jv *run;
        if (!jv_is(runs, JV_ARRAY) || runs->u.arr.n < 1)
                return -EINVAL;
        run = runs->u.arr.v[0];
        struct jv *driver = jv_get(jv_get(run, "tool"), "driver");
        struct jv *rules = jv_new(d, JV_ARRAY);
        if (!driver || !rules)
                return -ENOMEM;
        for (size_t i = 0; i < audit_rules_count(); i++) {
                const struct audit_rule *r = audit_rules_get(i);
                struct jv *o = jv_new(d, JV_OBJECT), *sd = jv_new(d, JV_OBJECT), *props = jv_new(d, JV_OBJECT);
                if (!o || !sd || !props || jv_obj_put(d, o, "id", jv_new_string(d, r->id)) < 0 ||
                    jv_obj_put(d, sd, "text", jv_new_string(d, r->summary)) < 0 ||
                    jv_obj_put(d, o, "shortDescription", sd) < 0 ||
                    jv_obj_put(d, props, "guide", jv_new_string(d, r->guide)) < 0 ||
                    jv_obj_put(d, o, "properties", props) < 0 || jv_arr_push(d, rules, o) < 0)
                        return -ENOMEM;
        }
        if (jv_obj_put(d, driver, "rules", rules) < 0)
                return -ENOMEM;
        struct jv *results = jv_get(run, "results");
        for (size_t i = 0; jv_is(results, JV_ARRAY) && i < results->u.arr.n; i++) {
                struct jv *res = results->u.arr.v[i];
                const char *id;
                size_t idx = 0;
                if (jv_cstr(jv_get(res, "ruleId"), &id) && audit_rules_find(id, &idx) &&
                    jv_obj_put(d, res, "ruleIndex", jv_new_int(d, (int64_t)idx)) < 0)
                        return -ENOMEM;
        }
        return 0;
}

static int write_report(report_format_t fmt, const struct report_item *items, size_t n, rh_error_t *err)
{
        if (fmt != REPORT_SARIF)
                return report_write(stdout, fmt, items, n, err);
        _cleanup_free_ char *buf = NULL, *out = NULL;
        size_t len = 0, out_len = 0;
        FILE *mem = open_memstream(&buf, &len);
        if (!mem)
                return rh_error_set(err, ENOMEM, "out of memory");
        int r = report_write(mem, fmt, items, n, err);
        fclose(mem);
        if (r < 0)
                return r;
        _cleanup_jdoc_ struct jdoc *d = NULL;
        if ((r = jdoc_parse(buf, len, &d, err)) < 0)
                return r;
        if ((r = sarif_audit_rules(d)) < 0)
                return rh_error_set(err, -r, "building the SARIF report: %s", strerror(-r));
        if ((r = jv_serialize(d->root, true, &out, &out_len, err)) < 0)
                return r;
        if (fwrite(out, 1, out_len, stdout) != out_len || fputc('\n', stdout) == EOF || fflush(stdout) != 0)
                return rh_error_set(err, EIO, "writing the report: %m");
        return 0;
}

static int parse_opts(int argc, char **argv, struct audit_opts *o)
{
        static const struct option opts[] = {
                {"format", required_argument, NULL, 'f'},
                {"daemon-config", required_argument, NULL, 'c'},
                {"root-dir", required_argument, NULL, 'r'},
                {"runtime-root", required_argument, NULL, 'R'},
                {"runtime", required_argument, NULL, 'x'},
                {"min-docker-version", required_argument, NULL, 'm'},
                {"allowed-ports", required_argument, NULL, 'p'},
                {"audit-log", required_argument, NULL, 'l'},
                {"runc-harden", required_argument, NULL, 'b'},
                {"help", no_argument, NULL, 'h'},
                {0},
        };
        int c;

        optind = 1;
        while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
                switch (c) {
                case 'f':
                        if (report_format_from_string(optarg, &o->fmt) < 0) {
                                rh_say(stderr, "runc-harden audit: --format must be text, json or sarif");
                                return EXIT_ERROR;
                        }
                        break;
                case 'c':
                        o->daemon_config = optarg;
                        break;
                case 'r':
                        o->root = optarg;
                        break;
                case 'R':
                        o->runtime_root = optarg;
                        break;
                case 'x':
                        o->runtime = optarg;
                        break;
                case 'm':
                        if (audit_version_cmp(optarg, "0") == -2) {
                                rh_say(stderr, "runc-harden audit: --min-docker-version must be like 20.10.24");
                                return EXIT_ERROR;
                        }
                        o->min_version = optarg;
                        break;
                case 'p':
                        free(o->allowed);
                        o->allowed = NULL;
                        if (audit_parse_ports(optarg, &o->allowed, &o->n_allowed) < 0) {
                                rh_say(stderr, "runc-harden audit: --allowed-ports must be like 80,443");
                                return EXIT_ERROR;
                        }
                        break;
                case 'l':
                        o->audit_log = optarg;
                        break;
                case 'b':
                        o->runc_harden = optarg;
                        break;
                case 'h':
                        audit_usage(stdout);
                        return -1;
                default:
                        audit_usage(stderr);
                        return EXIT_ERROR;
                }
        }
        if (optind != argc) {
                rh_say(stderr, "runc-harden audit: unexpected argument %s", argv[optind]);
                audit_usage(stderr);
                return EXIT_ERROR;
        }
        struct stat st;
        if (stat(o->root, &st) < 0 || !S_ISDIR(st.st_mode)) {
                rh_say(stderr, "runc-harden audit: --root-dir %s: not a directory", o->root);
                return EXIT_ERROR;
        }
        if (o->runc_harden && (stat(o->runc_harden, &st) < 0 || !S_ISREG(st.st_mode))) {
                rh_say(stderr, "runc-harden audit: --runc-harden %s: not a file", o->runc_harden);
                return EXIT_ERROR;
        }
        return 0;
}

static void print_notes(const struct audit_notes *notes)
{
        for (size_t i = 0; i < notes->n; i++)
                rh_say(stderr, "runc-harden audit: note: %s", notes->v[i]);
}

/* Container checks need the real host: pids, namespaces and the runtime's
 * state all belong to it. */
static int audit_running(const struct audit_opts *o, const struct audit_result *res, struct audit_containers *ct,
                         rh_error_t *err)
{
        struct stat st;
        if (!STREQ(o->root, "/")) {
                rh_say(stderr, "runc-harden audit: note: --root-dir given: running containers not checked");
                return 0;
        }
        if (stat(o->runtime_root, &st) < 0) {
                rh_say(stderr, "runc-harden audit: note: %s: %m: running containers not checked", o->runtime_root);
                return 0;
        }
        char *const argv[] = {(char *)o->runtime, "--root", (char *)o->runtime_root, "list", "--format", "json", NULL};
        _cleanup_free_ char *list = capture(argv);
        if (!list) {
                rh_say(stderr, "runc-harden audit: note: %s list failed: running containers not checked", o->runtime);
                return 0;
        }
        struct audit_container_input in = {
                .root = o->root,
                .list_json = list,
                .allowed = o->allowed,
                .n_allowed = o->n_allowed,
                .audit_log = o->audit_log,
                .data_root = res->data_root,
                .harden_runtimes = res->harden_runtimes,
        };
        int r = audit_containers_check(&in, ct, err);
        print_notes(&ct->notes);
        return r;
}

int cmd_audit(int argc, char **argv)
{
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        struct audit_opts o = {
                .fmt = REPORT_TEXT,
                .root = "/",
                .runtime_root = "/run/docker/runtime-runc/moby",
                .runtime = RH_DEFAULT_RUNTIME,
        };
        struct audit_result res = {0};
        struct audit_containers ct = {0};
        int rc = parse_opts(argc, argv, &o);
        if (rc != 0) {
                free(o.allowed);
                return rc < 0 ? EXIT_OK : rc;
        }

        _cleanup_free_ char *version = NULL, *rules = NULL;
        if (STREQ(o.root, "/")) {
                static const char *const dockerd[] = {"/usr/bin/dockerd", "/usr/sbin/dockerd", "/usr/local/bin/dockerd",
                                                      NULL};
                static const char *const auditctl[] = {"/sbin/auditctl", "/usr/sbin/auditctl", NULL};
                const char *p = find_program(dockerd);
                if (p)
                        version = capture((char *const[]){(char *)p, "--version", NULL});
                if ((p = find_program(auditctl)))
                        rules = capture((char *const[]){(char *)p, "-l", NULL});
        }
        struct audit_input in = {
                .root = o.root,
                .daemon_config = o.daemon_config,
                .min_docker_version = o.min_version,
                .dockerd_version = version,
                .auditctl_rules = rules,
                .runc_harden = o.runc_harden,
        };
        if (audit_run(&in, &res, &err) < 0) {
                rh_say(stderr, "runc-harden audit: %s", rh_error_msg(&err));
                audit_result_done(&res);
                free(o.allowed);
                return EXIT_ERROR;
        }
        print_notes(&res.notes);
        rc = EXIT_OK;
        if (audit_running(&o, &res, &ct, &err) < 0) {
                rh_say(stderr, "runc-harden audit: %s", rh_error_msg(&err));
                rc = EXIT_ERROR;
        }

        size_t n = 2 + ct.n;
        struct report_item *items = calloc(n, sizeof(*items));
        char **names = calloc(n, sizeof(*names));
        if (!items || !names) {
                rh_say(stderr, "runc-harden audit: out of memory");
                rc = EXIT_ERROR;
                n = 0;
        }
        for (size_t i = 0; i < n; i++) {
                const struct eval *ev = i == 0 ? &res.daemon : i == 1 ? &res.host : &ct.v[i - 2].ev;
                /* The engine's name where it is known: ids are 64 hex digits. */
                const struct audit_container *c = i >= 2 ? &ct.v[i - 2] : NULL;
                if (c && asprintf(&names[i], "container %s%s%s%s", c->name ?: "", c->name ? " (" : "", c->id,
                                  c->name ? ")" : "") < 0)
                        names[i] = NULL;
                items[i] = (struct report_item){
                        .path = i == 0 ? res.daemon_path : i == 1 ? "host" : names[i] ?: "container",
                        .verdict = eval_verdict(ev),
                        .ev = ev,
                };
                if (items[i].verdict == VERDICT_DENY && rc == EXIT_OK)
                        rc = EXIT_DENIED;
        }
        if (n && write_report(o.fmt, items, n, &err) < 0) {
                rh_say(stderr, "runc-harden audit: %s", rh_error_msg(&err));
                rc = EXIT_ERROR;
        }
        for (size_t i = 0; names && i < n; i++)
                free(names[i]);
        free(names);
        free(items);
        audit_containers_done(&ct);
        audit_result_done(&res);
        free(o.allowed);
        return rc;
}
