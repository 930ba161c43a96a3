/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "goflag.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Go 1.19's strconv and flag packages (see goflag.h). The flag tables and
 * what a flag means to runc are in shim/cli.c; dockerd's are in
 * policy/audit/flags.c. */

/* --- strconv -------------------------------------------------------------- */

int go_parse_bool(const char *s, bool *ret)
{
        static const char *const yes[] = {"1", "t", "T", "TRUE", "true", "True"};
        static const char *const no[] = {"0", "f", "F", "FALSE", "false", "False"};

        for (size_t i = 0; i < ARRAY_SIZE(yes); i++)
                if (STREQ(s, yes[i]))
                        return *ret = true, 0;
        for (size_t i = 0; i < ARRAY_SIZE(no); i++)
                if (STREQ(s, no[i]))
                        return *ret = false, 0;
        return -EINVAL;
}

static char go_lower(char c)
{
        return (char)(c | ('x' - 'X'));
}

/* strconv.underscoreOK: with base 0, "1_000" and "0x_ff" are numbers but
 * "_1", "1_" and "1__0" are not. */
static bool go_underscore_ok(const char *s)
{
        char saw = '^';
        bool hex = false;
        size_t i = 0;

        if (*s == '+' || *s == '-')
                s++;
        if (s[0] == '0' && s[1] && strchr("box", go_lower(s[1]))) {
                i = 2;
                saw = '0';
                hex = go_lower(s[1]) == 'x';
        }
        for (; s[i]; i++) {
                char l = go_lower(s[i]);
                if ((s[i] >= '0' && s[i] <= '9') || (hex && l >= 'a' && l <= 'f')) {
                        saw = '0';
                } else if (s[i] == '_') {
                        if (saw != '0')
                                return false;
                        saw = '_';
                } else {
                        if (saw == '_')
                                return false;
                        saw = '!';
                }
        }
        return saw != '_';
}

int go_parse_uint(const char *s, int base, unsigned bits, uint64_t *ret)
{
        const char *s0 = s;
        bool base0 = base == 0, underscores = false;
        uint64_t n = 0, max;

        if (bits == 0)
                bits = GO_INT_BITS;
        if (bits > 64 || (base != 0 && (base < 2 || base > 36)))
                return -EINVAL;
        if (!*s)
                return -EINVAL;
        if (base0) {
                /* a prefix needs a digit after it: "0x" alone is octal
                 * "0" followed by a bad digit */
                char prefix = s[0] == '0' && strlen(s) >= 3 ? go_lower(s[1]) : 0;
                base = prefix == 'b' ? 2 : prefix == 'o' ? 8 : prefix == 'x' ? 16 : s[0] == '0' ? 8 : 10;
                s += prefix == 'b' || prefix == 'o' || prefix == 'x' ? 2 : s[0] == '0' ? 1 : 0;
        }
        max = bits == 64 ? UINT64_MAX : (UINT64_C(1) << bits) - 1;
        for (; *s; s++) {
                unsigned d;
                if (*s == '_' && base0) {
                        underscores = true;
                        continue;
                } else if (*s >= '0' && *s <= '9') {
                        d = (unsigned)(*s - '0');
                } else if (go_lower(*s) >= 'a' && go_lower(*s) <= 'z') {
                        d = (unsigned)(go_lower(*s) - 'a' + 10);
                } else {
                        return -EINVAL;
                }
                if (d >= (unsigned)base)
                        return -EINVAL;
                /* Go stops at the first digit that overflows: a range
                 * error even when a bad character follows */
                if (n > (max - d) / (unsigned)base)
                        return -ERANGE;
                n = n * (unsigned)base + d;
        }
        if (underscores && !go_underscore_ok(s0))
                return -EINVAL;
        *ret = n;
        return 0;
}

int go_parse_int(const char *s, int base, unsigned bits, int64_t *ret)
{
        bool neg = false;
        uint64_t n;
        int r;

        if (bits == 0)
                bits = GO_INT_BITS;
        if (bits > 64)
                return -EINVAL;
        if (*s == '+' || *s == '-')
                neg = *s++ == '-';
        if ((r = go_parse_uint(s, base, bits, &n)) < 0)
                return r;
        uint64_t cutoff = UINT64_C(1) << (bits - 1);
        if (neg ? n > cutoff : n >= cutoff)
                return -ERANGE;
        *ret = !neg ? (int64_t)n : n == 0 ? 0 : -(int64_t)(n - 1) - 1;
        return 0;
}

/* --- Go's flag.FlagSet.Parse -------------------------------------------- */

const struct flag_def *flag_lookup(const struct flag_def *defs, size_t n_defs, const char *name, size_t len,
                                   bool *ret_alias)
{
        for (size_t i = 0; i < n_defs; i++) {
                const char *a = defs[i].alias;
                if (strlen(defs[i].name) == len && strncmp(defs[i].name, name, len) == 0)
                        return *ret_alias = false, &defs[i];
                if (a && strlen(a) == len && strncmp(a, name, len) == 0)
                        return *ret_alias = true, &defs[i];
        }
        return NULL;
}

static bool flag_value_ok(flag_kind_t kind, const char *value)
{
        int64_t v;

        if (kind == FLAG_INT)
                return go_parse_int(value, 0, 0, &v) == 0;
        if (kind == FLAG_INT64S)
                return go_parse_int(value, 10, 64, &v) == 0;
        return true;
}

/* FlagSet.parseOne: 1 after a flag, 0 at the first positional argument or
 * past a "--" that ends the flags, negative on the errors Go reports. */
static int go_flag_parse_one(const struct flag_def *defs, size_t n_defs, char **args, int n, int *pos,
                             struct flag_use *ret, rh_error_t *err)
{
        if (*pos >= n)
                return 0;
        const char *s = args[*pos];
        /* "-" alone and anything not starting with '-' is positional */
        if (s[0] != '-' || s[1] == '\0')
                return 0;
        const char *name = s + 1;
        if (*name == '-') {
                name++;
                if (*name == '\0') { /* "--" ends the flags and is consumed */
                        (*pos)++;
                        return 0;
                }
        }
        if (*name == '-' || *name == '=')
                return rh_error_set(err, EINVAL, "bad flag syntax: %s", s);

        /* "name=value" splits at the first '=' after the name's first byte */
        const char *eq = strchr(name + 1, '=');
        int len = eq ? (int)(eq - name) : (int)strlen(name);
        bool by_alias = false;
        const struct flag_def *d = flag_lookup(defs, n_defs, name, (size_t)len, &by_alias);
        if (!d)
                return rh_error_set(err, EINVAL, "flag provided but not defined: -%.*s", len, name);
        *ret = (struct flag_use){
                .def = d, .by_alias = by_alias, .value = eq ? eq + 1 : NULL, .index = *pos, .n_args = 1};
        (*pos)++;

        /* A boolean never takes the next argument: "--debug false" sets
         * debug and makes "false" the first positional argument. */
        if (d->kind == FLAG_BOOL) {
                ret->on = true;
                if (ret->value && go_parse_bool(ret->value, &ret->on) < 0)
                        return rh_error_set(err, EINVAL, "invalid boolean value \"%s\" for -%.*s: parse error",
                                            ret->value, len, name);
                return 1;
        }
        /* Any other flag takes the next argument whatever it looks like:
         * "--root --debug" sets root to "--debug". */
        if (!ret->value) {
                if (*pos >= n)
                        return rh_error_set(err, EINVAL, "flag needs an argument: -%.*s", len, name);
                ret->value = args[(*pos)++];
                ret->n_args = 2;
        }
        if (!flag_value_ok(d->kind, ret->value))
                return rh_error_set(err, EINVAL, "invalid value \"%s\" for flag -%.*s: parse error", ret->value, len,
                                    name);
        return 1;
}

int go_flags_parse(const struct flag_def *defs, size_t n_defs, char **args, int n, int start, struct flag_use *uses,
                   int *ret_n_uses, int *ret_rest, rh_error_t *err)
{
        int pos = start, n_uses = 0, r;

        for (;;) {
                int at = pos;
                r = go_flag_parse_one(defs, n_defs, args, n, &pos, &uses[n_uses], err);
                if (r < 0)
                        pos = at;
                if (r <= 0)
                        break;
                n_uses++;
        }
        *ret_n_uses = n_uses;
        *ret_rest = pos;
        return r;
}

int check_one_form_each(const struct flag_def *defs, size_t n_defs, const struct flag_use *uses, int n_uses,
                        rh_error_t *err)
{
        for (size_t i = 0; i < n_defs; i++) {
                bool by_name = false, by_alias = false;
                for (int k = 0; k < n_uses; k++)
                        if (uses[k].def == &defs[i])
                                *(uses[k].by_alias ? &by_alias : &by_name) = true;
                if (by_name && by_alias)
                        return rh_error_set(err, EINVAL, "cannot use two forms of the same flag: -%s and -%s",
                                            defs[i].name, defs[i].alias);
        }
        return 0;
}
