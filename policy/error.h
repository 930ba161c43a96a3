/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdarg.h>

/* One small error type, as in crun: an errno value plus an owned message
 * that callers extend with context on the way up. */
typedef struct rh_error {
        int code;  /* positive errno value */
        char *msg; /* owned, NULL when no error */
} rh_error_t;

#define RH_ERROR_INIT                                                                                                  \
        {                                                                                                              \
                0, NULL                                                                                                \
        }

/* Sets the error (replacing any earlier one) and returns -code. */
int rh_error_set(rh_error_t *err, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Prefixes the message with "context: " and returns -code. */
int rh_error_wrap(rh_error_t *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void rh_error_clear(rh_error_t *err);
static inline const char *rh_error_msg(const rh_error_t *err)
{
        return err->msg ? err->msg : "unknown error";
}
void rh_error_cleanup(rh_error_t *err);
#define _cleanup_error_ __attribute__((cleanup(rh_error_cleanup)))
