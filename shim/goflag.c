/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "goflag.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Go's flag package and the strconv functions it parses values with, as
 * runc's command line (urfave/cli over flag) uses them. The flag tables and
 * what a flag means to runc are in cli.c. */

/* --- Go's strconv, as far as flag values need it ------------------------ */

bool go_parse_bool(const char *s, bool *ret)
{
        static const char *const yes[] = {"1", "t", "T", "TRUE", "true", "True"};
        static const char *const no[] = {"0", "f", "F", "FALSE", "false", "False"};

        for (size_t i = 0; i < ARRAY_SIZE(yes); i++)
                if (STREQ(s, yes[i]))
                        return *ret = true, true;
        for (size_t i = 0; i < ARRAY_SIZE(no); i++)
                if (STREQ(s, no[i]))
                        return *ret = false, true;
        return false;
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

/* Whether strconv.ParseInt(s, base, bits) succeeds, for base 0 (Go's int
 * flags: 0x, 0o, 0b and leading-0 octal prefixes, underscores) or 10
 * (urfave's Int64Slice). runc refuses the command line when it fails. */
bool go_parse_int(const char *s, int base, unsigned bits)
{
        bool base0 = base == 0, neg = false, underscores = false;
        uint64_t n = 0;

        if (*s == '+' || *s == '-')
                neg = *s++ == '-';
        if (!*s)
                return false;
        const char *digits = s;
        if (base0 && s[0] == '0') {
                char prefix = strlen(s) >= 3 ? go_lower(s[1]) : 0;
                base = prefix == 'b' ? 2 : prefix == 'o' ? 8 : prefix == 'x' ? 16 : 0;
                digits = base ? s + 2 : s + 1;
                if (!base)
                        base = 8; /* "0" and "0755": a leading zero is octal */
        } else if (base0) {
                base = 10;
        }
        for (const char *p = digits; *p; p++) {
                unsigned d;
                if (*p == '_' && base0) {
                        underscores = true;
                        continue;
                } else if (*p >= '0' && *p <= '9') {
                        d = (unsigned)(*p - '0');
                } else if (go_lower(*p) >= 'a' && go_lower(*p) <= 'z') {
                        d = (unsigned)(go_lower(*p) - 'a' + 10);
                } else {
                        return false;
                }
                if (d >= (unsigned)base || n > (UINT64_MAX - d) / (unsigned)base)
                        return false;
                n = n * (unsigned)base + d;
        }
        if (underscores && !go_underscore_ok(s))
                return false;
        uint64_t cutoff = UINT64_C(1) << (bits - 1);
        return neg ? n <= cutoff : n < cutoff;
}

/* Go's int (strconv.IntSize) is as wide as a pointer. */
#define GO_INT_BITS ((unsigned)(sizeof(void *) * CHAR_BIT))

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
        if (kind == FLAG_INT)
                return go_parse_int(value, 0, GO_INT_BITS);
        if (kind == FLAG_INT64S)
                return go_parse_int(value, 10, 64);
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
                if (ret->value && !go_parse_bool(ret->value, &ret->on))
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

/* FlagSet.Parse from args[start]. uses needs room for one entry per
 * argument. *ret_rest is the first positional argument, or on failure the
 * argument that failed; the flags read before it are in uses either way. */
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

/* urfave's normalizeFlags: "-b x --bundle y" is an error, not "last wins"
 * (only repeating the same spelling is). */
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
