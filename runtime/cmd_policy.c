/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "runtime.h"
#include "util.h"

static void policy_usage(FILE *f)
{
        fputs("usage: runc-harden policy show [--policy FILE]\n"
              "       runc-harden policy check FILE\n",
              f);
}

/* Exit: 0 valid (or shown), 1 invalid policy, 2 usage error. */
int cmd_policy(int argc, char **argv)
{
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        _cleanup_policy_ struct policy *p = NULL;
        _cleanup_free_ char *json = NULL;

        if (argc >= 2 && STREQ(argv[1], "check")) {
                if (argc != 3) {
                        policy_usage(stderr);
                        return 2;
                }
                if (policy_load(argv[2], false, &p, &err) < 0) {
                        fprintf(stderr, "runc-harden: %s\n", rh_error_msg(&err));
                        return 1;
                }
                printf("%s: valid policy (mode %s)\n", argv[2], mode_name(p->mode));
                return 0;
        }
        if (argc >= 2 && STREQ(argv[1], "show")) {
                const char *path = NULL;
                if (argc == 4 && STREQ(argv[2], "--policy"))
                        path = argv[3];
                else if (argc == 3 && strncmp(argv[2], "--policy=", 9) == 0)
                        path = argv[2] + 9;
                else if (argc != 2) {
                        policy_usage(stderr);
                        return 2;
                }
                if (policy_load(path ? path : RH_POLICY_PATH, !path, &p, &err) < 0 ||
                    policy_to_json(p, &json, &err) < 0) {
                        fprintf(stderr, "runc-harden: %s\n", rh_error_msg(&err));
                        return 1;
                }
                printf("%s\n", json);
                return 0;
        }
        policy_usage(argc >= 2 && STREQ(argv[1], "--help") ? stdout : stderr);
        return argc >= 2 && STREQ(argv[1], "--help") ? 0 : 2;
}
