/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdio.h>

#include "engine.h"

typedef enum {
        REPORT_TEXT,
        REPORT_JSON,
        REPORT_SARIF,
        _REPORT_FORMAT_MAX,
} report_format_t;

int report_format_from_string(const char *s, report_format_t *ret);

struct report_item {
        const char *path;
        rh_verdict_t verdict;
        const struct eval *ev;
};

/* Writes one document (json, sarif) or one block per item (text). */
int report_write(FILE *out, report_format_t fmt, const struct report_item *items, size_t n, rh_error_t *err);

/* A finding list as a JSON array in doc, for the audit log. */
struct jv *report_findings_json(struct jdoc *doc, const struct eval *ev);
