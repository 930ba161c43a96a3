/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* What runc-harden prints carries names from its callers: bind sources,
 * bundle paths, container ids, file names given to lint. A name with ESC,
 * CR or newline in it could rewrite the line it is shown on (ctr and podman
 * print a runtime's message raw) or forge a line of a text report. Every
 * text output goes through rh_escape, which leaves nothing raw that a
 * terminal or a line-based reader would act on. */
typedef enum {
        /* A terminal, stderr, syslog, a text report: C0 controls and DEL as
         * \n \r \t or \xNN, C1 controls and the Unicode controls that
         * reorder or break lines (bidi overrides, U+2028) as \uNNNN, bytes
         * that are not UTF-8 as \xNN, and the backslash doubled, so that
         * the shown text is never ambiguous (Go's %q does the same). */
        ESCAPE_TEXT,
        /* Inside "…" of logrus' text format: as ESCAPE_TEXT, and \". */
        ESCAPE_QUOTED,
        /* A JSON string value: the JSON writer escapes controls itself, and
         * refuses bytes that are not UTF-8; only those become \xNN. */
        ESCAPE_JSON,
        _ESCAPE_MODE_MAX,
} escape_mode_t;

/* s as it may be shown; malloc'd, NULL on allocation failure. */
char *rh_escape(const char *s, escape_mode_t mode);
/* The same, written to f. */
void rh_escape_write(FILE *f, const char *s, escape_mode_t mode);
/* Whether rh_escape would change s (no allocation). */
bool rh_escape_needed(const char *s, escape_mode_t mode);

/* The length (1-4) of the UTF-8 sequence at s (len bytes left) and its
 * code point, or 0 when it is not valid UTF-8 as Go's utf8.Valid reads it:
 * overlong forms, encoded surrogates and code points past U+10FFFF are
 * invalid. */
size_t rh_utf8_next(const unsigned char *s, size_t len, uint32_t *ret_cp);

struct jdoc;
struct jv;
/* A string from outside (a path, a bundle, an image name, a message that
 * quotes a spec's value) as a JSON value in d: bytes that are not UTF-8
 * shown as \xNN, since the JSON writer would refuse the whole document and
 * a report or an audit record must not be lost to them. NULL: no memory. */
struct jv *rh_escape_jv(struct jdoc *d, const char *s);
