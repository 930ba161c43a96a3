/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared by the libFuzzer harnesses: every input is tried as each kind of
 * document runc-harden reads (config.json, an exec process file, update's
 * resources), so one corpus of JSON files seeds all three. */
#pragma once

#include <stdio.h>
#include <stdlib.h>

#include "engine.h"
#include "policy.h"
#include "spec.h"
#include "util.h"

static const struct {
        spec_kind_t spec;
        check_kind_t check;
} fuzz_kinds[] = {
        {SPEC_CONFIG, CHECK_CONFIG},
        {SPEC_PROCESS, CHECK_EXEC},
        {SPEC_RESOURCES, CHECK_UPDATE},
};

/* The built-in policy, built once: it never changes between inputs. */
static inline const struct policy *fuzz_policy(void)
{
        static struct policy *p;
        if (!p) {
                rh_error_t err = RH_ERROR_INIT;
                if (policy_builtin(&p, &err) < 0) {
                        fprintf(stderr, "built-in policy: %s\n", rh_error_msg(&err));
                        abort();
                }
        }
        return p;
}

/* A violated invariant: libFuzzer saves the input and stops. */
#define FUZZ_ASSERT(cond, ...)                                                                                         \
        do {                                                                                                           \
                if (!(cond)) {                                                                                         \
                        fprintf(stderr, "invariant violated: " __VA_ARGS__);                                           \
                        fputc('\n', stderr);                                                                           \
                        abort();                                                                                       \
                }                                                                                                      \
        } while (0)
