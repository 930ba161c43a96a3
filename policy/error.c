/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "error.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int rh_error_set(rh_error_t *err, int code, const char *fmt, ...)
{
        va_list ap;
        char *m = NULL;

        if (code < 0)
                code = -code;
        if (code == 0)
                code = EINVAL;
        va_start(ap, fmt);
        if (vasprintf(&m, fmt, ap) < 0)
                m = NULL;
        va_end(ap);
        free(err->msg);
        err->msg = m;
        err->code = code;
        return -code;
}

int rh_error_wrap(rh_error_t *err, const char *fmt, ...)
{
        va_list ap;
        char *ctx = NULL, *m = NULL;

        if (err->code == 0)
                err->code = EINVAL;
        va_start(ap, fmt);
        if (vasprintf(&ctx, fmt, ap) < 0)
                ctx = NULL;
        va_end(ap);
        if (ctx && asprintf(&m, "%s: %s", ctx, rh_error_msg(err)) >= 0) {
                free(err->msg);
                err->msg = m;
        }
        free(ctx);
        return -err->code;
}

void rh_error_clear(rh_error_t *err)
{
        free(err->msg);
        err->msg = NULL;
        err->code = 0;
}

void rh_error_cleanup(rh_error_t *err)
{
        rh_error_clear(err);
}
