/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "report.h"
#include "runtime.h"
#include "util.h"

/* Exit codes, for CI scripts: EXIT_OK nothing denied, EXIT_DENIED some
 * spec is denied, EXIT_ERROR a usage, I/O or policy error. */

struct lint_input {
        char *path;
        struct spec *spec;
        struct eval ev;
        rh_verdict_t verdict;
};

static void lint_usage(FILE *f)
{
        fputs("usage: runc-harden lint [--policy FILE] [--format text|json|sarif] [--fix] PATH...\n"
              "PATH is a config.json or a bundle directory. Exit: 0 nothing denied, 1 some denied, 2 error.\n",
              f);
}

/* A bundle directory means its config.json. Symlinks are followed here:
 * lint reads files, it does not hand them to runc. */
static int lint_load(struct lint_input *in, const char *arg, rh_error_t *err)
{
        struct stat st;
        _cleanup_free_ char *file = NULL;

        if (stat(arg, &st) < 0)
                return rh_error_set(err, errno, "%s: %m", arg);
        if (S_ISDIR(st.st_mode)) {
                if (asprintf(&file, "%s/config.json", arg) < 0)
                        return rh_error_set(err, ENOMEM, "out of memory");
        } else if (!(file = strdup(arg))) {
                return rh_error_set(err, ENOMEM, "out of memory");
        }
        _cleanup_free_ char *real = realpath(file, NULL);
        if (!real)
                return rh_error_set(err, errno, "%s: %m", file);
        _cleanup_free_ char *dir = strdup(real), *base = strdup(real);
        if (!dir || !base)
                return rh_error_set(err, ENOMEM, "out of memory");
        _cleanup_close_ int dirfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dirfd < 0)
                return rh_error_set(err, errno, "%s: %m", dir);
        int r = spec_load_at(dirfd, basename(base), SPEC_CONFIG, &in->spec, NULL, err);
        if (r < 0)
                return r;
        in->spec->bundle = strdup(dir);
        in->spec->offline = true;
        return 0;
}

int cmd_lint(int argc, char **argv)
{
        static const struct option opts[] = {
                {"policy", required_argument, NULL, 'p'},
                {"format", required_argument, NULL, 'f'},
                {"fix", no_argument, NULL, 'x'},
                {"help", no_argument, NULL, 'h'},
                {0},
        };
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        _cleanup_policy_ struct policy *policy = NULL;
        const char *policy_path = NULL;
        report_format_t fmt = REPORT_TEXT;
        bool fix = false;
        int o, rc = EXIT_OK;

        optind = 1;
        while ((o = getopt_long(argc, argv, "+p:f:h", opts, NULL)) != -1) {
                switch (o) {
                case 'p':
                        policy_path = optarg;
                        break;
                case 'f':
                        if (report_format_from_string(optarg, &fmt) < 0) {
                                rh_say(stderr, "runc-harden lint: --format must be text, json or sarif");
                                return EXIT_ERROR;
                        }
                        break;
                case 'x':
                        fix = true;
                        break;
                case 'h':
                        lint_usage(stdout);
                        return EXIT_OK;
                default:
                        lint_usage(stderr);
                        return EXIT_ERROR;
                }
        }
        int n = argc - optind;
        if (n < 1 || (fix && n != 1)) {
                rh_say(stderr, "runc-harden lint: %s", n < 1 ? "no PATH given" : "--fix takes exactly one PATH");
                lint_usage(stderr);
                return EXIT_ERROR;
        }
        if (policy_load(policy_path ? policy_path : RH_POLICY_PATH, !policy_path, &policy, &err) < 0) {
                rh_say(stderr, "runc-harden lint: %s", rh_error_msg(&err));
                return EXIT_ERROR;
        }

        struct lint_input *in = calloc((size_t)n, sizeof(*in));
        struct report_item *items = calloc((size_t)n, sizeof(*items));
        if (!in || !items) {
                free(in);
                free(items);
                rh_say(stderr, "runc-harden lint: out of memory");
                return EXIT_ERROR;
        }
        for (int i = 0; i < n; i++) {
                const char *arg = argv[optind + i];
                in[i].path = strdup(arg);
                rh_error_clear(&err);
                if (lint_load(&in[i], arg, &err) < 0) {
                        /* An unreadable path is an error; an unparsable one
                         * is a spec the runtime would refuse. */
                        if (err.code != EINVAL && err.code != EFBIG && err.code != ELOOP) {
                                rh_say(stderr, "runc-harden lint: %s", rh_error_msg(&err));
                                rc = EXIT_ERROR;
                        }
                        engine_add_invalid(&in[i].ev, "config.json", &err);
                } else if (engine_evaluate(policy, in[i].spec, CHECK_CONFIG, &in[i].ev, &err) < 0) {
                        rh_say(stderr, "runc-harden lint: %s: %s", arg, rh_error_msg(&err));
                        rc = EXIT_ERROR;
                }
                in[i].verdict = eval_verdict(&in[i].ev);
                /* The report needs only the findings: a spec is let go at
                 * once, so memory stays flat over thousands of them. */
                if (!fix) {
                        spec_free(in[i].spec);
                        in[i].spec = NULL;
                }
                if (in[i].verdict == VERDICT_DENY && rc == EXIT_OK)
                        rc = EXIT_DENIED;
                items[i] = (struct report_item){.path = in[i].path ?: arg, .verdict = in[i].verdict, .ev = &in[i].ev};
        }

        if (fix) {
                /* The fixed spec goes to stdout, the findings to stderr. */
                _cleanup_free_ char *data = NULL;
                rh_error_clear(&err);
                if (!in[0].spec) {
                        rc = rc ?: EXIT_DENIED;
                } else if (engine_apply_fixes(policy, in[0].spec, CHECK_CONFIG, &in[0].ev, &err) < 0 &&
                           in[0].verdict != VERDICT_DENY) {
                        rh_say(stderr, "runc-harden lint: %s: %s", items[0].path, rh_error_msg(&err));
                        rc = EXIT_ERROR;
                } else if (spec_serialize(in[0].spec, true, &data, NULL, &err) < 0) {
                        rh_say(stderr, "runc-harden lint: %s", rh_error_msg(&err));
                        rc = EXIT_ERROR;
                } else {
                        printf("%s\n", data);
                }
                rh_error_clear(&err);
                if (report_write(stderr, fmt, items, (size_t)n, &err) < 0)
                        rc = EXIT_ERROR;
        } else if (report_write(stdout, fmt, items, (size_t)n, &err) < 0) {
                rh_say(stderr, "runc-harden lint: %s", rh_error_msg(&err));
                rc = EXIT_ERROR;
        }

        for (int i = 0; i < n; i++) {
                free(in[i].path);
                spec_free(in[i].spec);
                eval_done(&in[i].ev);
        }
        free(in);
        free(items);
        return rc;
}
