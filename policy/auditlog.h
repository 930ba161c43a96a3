/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "error.h"
#include "json.h"

/* The audit log: one JSON object per line, one line per decision (create,
 * exec, update) and per dry-run observation (delete). It is the durable
 * record of what runc-harden did: engines delete their own log files with
 * the container, so this is where `runc-harden report` reads from.
 *
 * Bounded: when a line would take the file beyond max_size, it is renamed
 * to PATH.1 (PATH.1 to PATH.2, ... up to PATH.KEEP, the oldest dropped)
 * and a new file is started, so the log never holds more than about
 * (keep + 1) * max_size bytes. */

struct auditlog {
        const char *path; /* NULL: no audit log */
        uint64_t max_size;
        unsigned keep; /* rotated files kept beside PATH */
};

#define AUDITLOG_MAX_KEEP 99

/* Appends one line (it must end in '\n') with one write(2), which
 * O_APPEND keeps whole among concurrent writers. Missing directories
 * above the log are created mode 0700 (decisions are for root's eyes).
 * Rotates first when the line would pass max_size; concurrent writers
 * rotate once (an advisory lock on the old file, then a check that the
 * path still names it). A line longer than max_size still goes in, alone
 * in its file. 0 when written; 1 when written but the rotation failed
 * (err says why: the record went to the old file); -errno with a message
 * when nothing was written. */
int auditlog_append(const struct auditlog *a, const char *line, rh_error_t *err);

/* The record's time as written ("2026-11-29T01:00:00Z", UTC) into buf
 * (at least 32 bytes). */
void auditlog_time_format(time_t t, char *buf, size_t size);
/* Parses that format, a date ("2026-11-29", midnight UTC), or an age
 * before now ("90m", "24h", "7d", "2w"). -EINVAL otherwise. */
int auditlog_time_parse(const char *s, time_t now, time_t *ret);

/* Called with each record of the log, oldest first; a negative return
 * stops the reading and is returned. rec belongs to the reader. */
typedef int (*auditlog_record_fn)(const struct jv *rec, void *userdata);

struct auditlog_read_stats {
        unsigned files; /* files read (the log and its rotated ones) */
        uint64_t lines; /* records handed on */
        uint64_t bad;   /* lines that are not a JSON object, skipped */
};

/* Reads PATH.KEEP ... PATH.1, then PATH (missing ones skipped; when none
 * exists, -ENOENT with a message). */
int auditlog_read(const struct auditlog *a, auditlog_record_fn fn, void *userdata,
                  struct auditlog_read_stats *ret_stats, rh_error_t *err);
