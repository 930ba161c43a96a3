/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Policy evaluation with the built-in policy on every spec the loader
 * accepts: no crash, no rule failing to run on a well-formed document, and
 * every finding has a pointer and a message. */
#include <string.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        const struct policy *p = fuzz_policy();

        for (size_t k = 0; k < ARRAY_SIZE(fuzz_kinds); k++) {
                rh_error_t err = RH_ERROR_INIT;
                struct spec *s = NULL;
                struct eval ev = {0};

                if (spec_parse((const char *)data, size, fuzz_kinds[k].spec, &s, &err) < 0) {
                        rh_error_clear(&err);
                        continue;
                }
                FUZZ_ASSERT(engine_evaluate(p, s, fuzz_kinds[k].check, &ev, &err) == 0, "evaluation failed: %s",
                            rh_error_msg(&err));
                for (size_t i = 0; i < ev.n; i++) {
                        const struct finding *f = &ev.findings[i];
                        FUZZ_ASSERT(f->rule && f->pointer && f->message, "finding %zu of %s lacks text", i,
                                    f->rule ? f->rule : "?");
                        FUZZ_ASSERT(f->pointer[0] == '\0' || f->pointer[0] == '/', "%s: pointer \"%s\"", f->rule,
                                    f->pointer);
                        /* "could not be evaluated" is a rule failing on a
                         * document it should judge (fail closed, but a bug). */
                        FUZZ_ASSERT(strcmp(f->message, "the rule could not be evaluated; refusing") != 0,
                                    "%s could not be evaluated", f->rule);
                }
                char *msg = eval_deny_message(&ev);
                FUZZ_ASSERT(msg, "no deny message");
                free(msg);
                eval_done(&ev);
                spec_free(s);
        }
        return 0;
}
