/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli.h"
#include "error.h"

typedef enum {
        FLAG_BOOL,
        FLAG_STRING,
        FLAG_INT,     /* flag.Int: strconv.ParseInt(s, 0, strconv.IntSize) */
        FLAG_STRINGS, /* urfave StringSlice: each use appends */
        FLAG_INT64S,  /* urfave Int64Slice: each use appends, base 10 */
        _FLAG_KIND_MAX,
} flag_kind_t;

typedef enum {
        ROLE_STORE,  /* kept in the field at off (nowhere when NO_FIELD) */
        ROLE_HARDEN, /* runc-harden's own: stored, then removed from the delegate argv */
        ROLE_UPDATE, /* update's resource flags: recorded in update_flags */
} flag_role_t;

struct flag_def {
        const char *name;  /* the long name */
        const char *alias; /* urfave's second name ("bundle, b"), or NULL */
        flag_kind_t kind;
        flag_role_t role;
        size_t off;       /* field in struct runc_invocation, or NO_FIELD */
        size_t count_off; /* lists: the field holding the count */
};

#define NO_FIELD SIZE_MAX

/* One flag as found on the command line. */
struct flag_use {
        const struct flag_def *def;
        bool by_alias;
        bool on;           /* booleans */
        const char *value; /* the others; points into argv */
        int index, n_args; /* where it sat in the parsed vector */
};

bool go_parse_bool(const char *s, bool *ret);
bool go_parse_int(const char *s, int base, unsigned bits);
const struct flag_def *flag_lookup(const struct flag_def *defs, size_t n_defs, const char *name, size_t len,
                                   bool *ret_alias);
int go_flags_parse(const struct flag_def *defs, size_t n_defs, char **args, int n, int start, struct flag_use *uses,
                   int *ret_n_uses, int *ret_rest, rh_error_t *err);
int check_one_form_each(const struct flag_def *defs, size_t n_defs, const struct flag_use *uses, int n_uses,
                        rh_error_t *err);
