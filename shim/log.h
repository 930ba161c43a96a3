/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stdio.h>

/* Messages in runc's own log format, where the engine looks for them:
 * containerd decodes the --log file as a stream of JSON records and shows
 * the msg of the last error one; any other text there hides it. Without
 * --log (podman through conmon) the message goes to stderr in one write,
 * since podman shows what a single read returns. */
struct rh_log {
        int fd;    /* the --log file, or -1 for stderr */
        bool json; /* --log-format json */
};

/* Opens path for appending as runc does; NULL path means stderr. On
 * failure falls back to stderr, so a message is never lost. */
void rh_log_open(struct rh_log *log, const char *path, const char *format);
void rh_log_close(struct rh_log *log);
/* level: "error", "warning", "info". One write per message. */
void rh_log_write(const struct rh_log *log, const char *level, const char *msg);

/* One line for the operator on f (stderr, stdout) in one write, escaped
 * as every text output is: what fmt fills in may come from outside. The
 * newline is added here. */
void rh_say(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
