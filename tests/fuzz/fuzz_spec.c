/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The spec loader on arbitrary bytes: spec_parse either returns a tree or
 * an error with a message, never crashes, never both, and what it accepts
 * serialises and parses again. */
#include <string.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        for (size_t k = 0; k < ARRAY_SIZE(fuzz_kinds); k++) {
                rh_error_t err = RH_ERROR_INIT;
                struct spec *s = NULL;
                int r = spec_parse((const char *)data, size, fuzz_kinds[k].spec, &s, &err);

                if (r < 0) {
                        FUZZ_ASSERT(s == NULL, "a failed parse returned a spec");
                        FUZZ_ASSERT(err.msg && *err.msg, "a failed parse has no message");
                        rh_error_clear(&err);
                        continue;
                }
                FUZZ_ASSERT(s && s->root && s->original, "a parse succeeded without a tree");

                char *out = NULL;
                size_t len = 0;
                FUZZ_ASSERT(spec_serialize(s, true, &out, &len, &err) == 0, "serialising an accepted spec: %s",
                            rh_error_msg(&err));
                struct spec *again = NULL;
                FUZZ_ASSERT(spec_parse(out, len, fuzz_kinds[k].spec, &again, &err) == 0,
                            "the serialised spec does not parse again: %s", rh_error_msg(&err));
                spec_free(again);
                free(out);
                spec_free(s);
        }
        return 0;
}
