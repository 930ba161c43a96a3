/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The fixed-spec writer: fixes are applied, the result serialised and
 * loaded again as runc would read it, and evaluated again. A rule that
 * fixed the spec must find nothing left to fix or deny there (fixing is
 * idempotent and survives the round trip through the file). */
#include <string.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool rule_had_fix(const struct eval *ev, const char *rule)
{
        for (size_t i = 0; i < ev->n; i++)
                if (!ev->findings[i].exempted && ev->findings[i].action == ACTION_FIX &&
                    strcmp(ev->findings[i].rule, rule) == 0)
                        return true;
        return false;
}

static void check_fixed(const struct policy *p, size_t k, const char *data, size_t size)
{
        rh_error_t err = RH_ERROR_INIT;
        struct spec *s = NULL, *again = NULL;
        struct eval ev = {0}, ev2 = {0};
        char *out = NULL;
        size_t len;

        if (spec_parse(data, size, fuzz_kinds[k].spec, &s, &err) < 0) {
                rh_error_clear(&err);
                return;
        }
        FUZZ_ASSERT(engine_evaluate(p, s, fuzz_kinds[k].check, &ev, &err) == 0, "evaluation: %s", rh_error_msg(&err));
        if (eval_count(&ev, ACTION_FIX) == 0)
                goto out;
        /* The engine re-evaluates itself; a failure here is a fix that
         * does not converge in memory. */
        FUZZ_ASSERT(engine_apply_fixes(p, s, fuzz_kinds[k].check, &ev, &err) == 0, "applying fixes: %s",
                    rh_error_msg(&err));
        FUZZ_ASSERT(spec_serialize(s, true, &out, &len, &err) == 0, "serialising the fixed spec: %s",
                    rh_error_msg(&err));
        FUZZ_ASSERT(spec_parse(out, len, fuzz_kinds[k].spec, &again, &err) == 0, "the fixed spec does not load: %s",
                    rh_error_msg(&err));
        FUZZ_ASSERT(engine_evaluate(p, again, fuzz_kinds[k].check, &ev2, &err) == 0, "re-evaluation: %s",
                    rh_error_msg(&err));
        for (size_t i = 0; i < ev2.n; i++) {
                const struct finding *f = &ev2.findings[i];
                if (f->exempted)
                        continue;
                FUZZ_ASSERT(f->action != ACTION_FIX, "the reloaded fixed spec still needs %s at %s: %s", f->rule,
                            f->pointer, f->message);
                FUZZ_ASSERT(!(f->action == ACTION_DENY && rule_had_fix(&ev, f->rule)),
                            "%s fixed the spec, then denies the reloaded result at %s: %s", f->rule, f->pointer,
                            f->message);
        }
out:
        eval_done(&ev);
        eval_done(&ev2);
        spec_free(again);
        spec_free(s);
        free(out);
        rh_error_clear(&err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        const struct policy *p = fuzz_policy();

        for (size_t k = 0; k < ARRAY_SIZE(fuzz_kinds); k++)
                check_fixed(p, k, (const char *)data, size);
        return 0;
}
