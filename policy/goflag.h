/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* Go's command-line syntax, in one place: the strconv functions flag
 * values go through, and Go's flag package (FlagSet.Parse), as Debian 12's
 * Go 1.19 has them. runc reads its command line through urfave/cli over
 * the flag package (shim/cli.c); dockerd's flags are spf13/pflag's, read
 * by the audit (policy/audit/flags.c) with the same values and kinds.
 * tests/unit/test_goflag.c holds Go's own accepted and refused forms. */

/* --- strconv -------------------------------------------------------------- */

/* Go's int (strconv.IntSize) is as wide as a pointer. */
#define GO_INT_BITS ((unsigned)(sizeof(void *) * 8))

/* strconv.ParseBool: 1 t T TRUE true True, 0 f F FALSE false False; 0, or
 * -EINVAL for anything else. */
int go_parse_bool(const char *s, bool *ret);

/* strconv.ParseInt(s, base, bits) and strconv.ParseUint: base 0 takes the
 * 0b, 0o, 0x prefixes, a leading 0 for octal and "_" between digits, any
 * other base from 2 to 36 only digits; bits 0 is Go's int. 0, -EINVAL
 * (Go's ErrSyntax) or -ERANGE (ErrRange). ParseInt takes one leading sign,
 * ParseUint none. strconv.Atoi is go_parse_int(s, 10, 0, ret). */
int go_parse_int(const char *s, int base, unsigned bits, int64_t *ret);
int go_parse_uint(const char *s, int base, unsigned bits, uint64_t *ret);

/* --- flags ---------------------------------------------------------------- */

/* A flag's kind, which decides whether it takes a value and how that is
 * read; one enum for every Go command line the project reads. */
typedef enum {
        FLAG_BOOL,    /* flag.Bool: no separate value; "=value" through ParseBool */
        FLAG_STRING,  /* flag.String */
        FLAG_INT,     /* flag.Int: strconv.ParseInt(s, 0, strconv.IntSize) */
        FLAG_STRINGS, /* urfave StringSlice, pflag's lists: each use appends */
        FLAG_INT64S,  /* urfave Int64Slice: each use appends, base 10 */
        _FLAG_KIND_MAX,
} flag_kind_t;

/* What a flag means to the command line that defines it (shim/cli.c); the
 * parser carries it and never reads it. */
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
        size_t off;       /* the caller's field for it, or NO_FIELD */
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

/* The definition named by name[0..len) or by its alias. */
const struct flag_def *flag_lookup(const struct flag_def *defs, size_t n_defs, const char *name, size_t len,
                                   bool *ret_alias);
/* FlagSet.Parse from args[start]. uses needs room for one entry per
 * argument. *ret_rest is the first positional argument, or on failure the
 * argument that failed; the flags read before it are in uses either way.
 * -EINVAL with Go's message on the errors Go reports. */
int go_flags_parse(const struct flag_def *defs, size_t n_defs, char **args, int n, int start, struct flag_use *uses,
                   int *ret_n_uses, int *ret_rest, rh_error_t *err);
/* urfave's normalizeFlags: "-b x --bundle y" is an error, not "last wins"
 * (only repeating the same spelling is). */
int check_one_form_each(const struct flag_def *defs, size_t n_defs, const struct flag_use *uses, int n_uses,
                        rh_error_t *err);
