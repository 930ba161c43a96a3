/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "rules.h"

/* Not a check of its own: the loader and the typed accessors report under
 * this id whenever a document cannot be read the way runc will read it
 * (malformed JSON, ambiguous keys, wrong types, oversized files). Such a
 * spec cannot be judged, so it is always refused. */
const struct rule rules_spec_invalid[] = {
        {
                .id = "spec-invalid",
                .summary = "the document is not one runc-harden can judge exactly as runc will read it",
                .guide = "RUN-5",
                .default_action = ACTION_DENY,
                .scope = SCOPE_CONFIG | SCOPE_EXEC | SCOPE_UPDATE,
        },
        {0},
};
