/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "config.h"
#include "runtime.h"
#include "util.h"

/* Exit: EXIT_OK valid (or shown), EXIT_DENIED invalid policy or not
 * written, EXIT_ERROR usage. */

static void policy_usage(FILE *f)
{
        fputs("usage: runc-harden policy show [--policy FILE | --level NAME] [--output FILE]\n"
              "       runc-harden policy check FILE\n"
              "       runc-harden policy levels\n"
              "show prints the effective policy (the file, else the built-in one), or a built-in level whole;\n"
              "--output FILE replaces FILE atomically (never `policy show > FILE`: the shell empties FILE before\n"
              "it is read). levels lists the built-in levels a policy file can extend.\n",
              f);
}

/* The policy into path, all or nothing: a temporary file renamed over it,
 * keeping an existing file's mode and owner. A runtime reading the file
 * meanwhile sees the old policy or the new one, never an empty one. */
static int write_policy(const char *path, const char *json, rh_error_t *err)
{
        _cleanup_free_ char *dcopy = strdup(path), *bcopy = strdup(path), *data = NULL;
        struct stat st;

        if (!dcopy || !bcopy || asprintf(&data, "%s\n", json) < 0)
                return rh_error_set(err, ENOMEM, "out of memory");
        _cleanup_close_ int dirfd = open(dirname(dcopy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dirfd < 0)
                return rh_error_set(err, errno, "%s: its directory: %m", path);
        const char *name = basename(bcopy);
        bool exists = fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
        if (exists && !S_ISREG(st.st_mode))
                return rh_error_set(err, EINVAL, "%s is not a regular file", path);
        return spec_write_atomic(dirfd, name, data, strlen(data), exists ? &st : NULL, err);
}

static int policy_show(int argc, char **argv)
{
        static const struct option opts[] = {
                {"policy", required_argument, NULL, 'p'},
                {"level", required_argument, NULL, 'l'},
                {"output", required_argument, NULL, 'o'},
                {"help", no_argument, NULL, 'h'},
                {0},
        };
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        _cleanup_policy_ struct policy *p = NULL;
        _cleanup_free_ char *json = NULL;
        const char *path = NULL, *output = NULL, *level = NULL;
        int o;

        optind = 1;
        while ((o = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
                switch (o) {
                case 'p':
                        path = optarg;
                        break;
                case 'o':
                        output = optarg;
                        break;
                case 'l':
                        level = optarg;
                        break;
                case 'h':
                        policy_usage(stdout);
                        return EXIT_OK;
                default:
                        policy_usage(stderr);
                        return EXIT_ERROR;
                }
        }
        if (optind != argc || (path && level)) {
                policy_usage(stderr);
                return EXIT_ERROR;
        }
        /* A level is printed whole: a file that extends it is that, key by
         * key. */
        if ((level ? policy_level(level, &p, &err) : policy_load(path ? path : RH_POLICY_PATH, !path, &p, &err)) < 0 ||
            policy_to_json(p, &json, &err) < 0) {
                rh_say(stderr, "runc-harden: %s", rh_error_msg(&err));
                return EXIT_DENIED;
        }
        if (!output) {
                printf("%s\n", json);
                return fflush(stdout) == 0 ? EXIT_OK : EXIT_DENIED;
        }
        if (write_policy(output, json, &err) < 0) {
                rh_say(stderr, "runc-harden: policy show: cannot write %s: %s", output, rh_error_msg(&err));
                return EXIT_DENIED;
        }
        if (level)
                rh_say(stdout, "runc-harden: the built-in level %s written to %s", level, output);
        else if (STREQ(p->source, "built-in"))
                rh_say(stdout, "runc-harden: the built-in policy written to %s", output);
        else
                rh_say(stdout, "runc-harden: the policy %s written to %s", p->source, output);
        return EXIT_OK;
}

static int policy_check(int argc, char **argv)
{
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        _cleanup_policy_ struct policy *p = NULL;
        _cleanup_free_ char *note = NULL;

        if (argc == 2 && (STREQ(argv[1], "--help") || STREQ(argv[1], "-h"))) {
                policy_usage(stdout);
                return EXIT_OK;
        }
        if (argc != 2) {
                policy_usage(stderr);
                return EXIT_ERROR;
        }
        if (policy_load(argv[1], false, &p, &err) < 0) {
                rh_say(stderr, "runc-harden: %s", rh_error_msg(&err));
                return EXIT_DENIED;
        }
        /* A policy whose decisions would go nowhere is not one to deploy. */
        if (policy_audit_log_check(p, &note, &err) < 0) {
                rh_say(stderr, "runc-harden: policy %s: %s", argv[1], rh_error_msg(&err));
                return EXIT_DENIED;
        }
        if (note)
                rh_say(stderr, "runc-harden: policy %s: note: %s", argv[1], note);
        rh_say(stdout, "%s: valid policy (mode %s)", argv[1], mode_name(p->mode));
        return EXIT_OK;
}

static int policy_levels(int argc, char **argv)
{
        if (argc == 2 && (STREQ(argv[1], "--help") || STREQ(argv[1], "-h"))) {
                policy_usage(stdout);
                return EXIT_OK;
        }
        if (argc != 1) {
                policy_usage(stderr);
                return EXIT_ERROR;
        }
        for (size_t i = 0; i < policy_levels_count(); i++)
                printf("%s: %s\n", policy_levels_get(i)->name, policy_levels_get(i)->summary);
        return fflush(stdout) == 0 ? EXIT_OK : EXIT_DENIED;
}

int cmd_policy(int argc, char **argv)
{
        if (argc >= 2 && STREQ(argv[1], "check"))
                return policy_check(argc - 1, argv + 1);
        if (argc >= 2 && STREQ(argv[1], "show"))
                return policy_show(argc - 1, argv + 1);
        if (argc >= 2 && STREQ(argv[1], "levels"))
                return policy_levels(argc - 1, argv + 1);
        bool help = argc >= 2 && STREQ(argv[1], "--help");
        policy_usage(help ? stdout : stderr);
        return help ? EXIT_OK : EXIT_ERROR;
}
