/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "env_secrets.h"
#include "rules.h"
#include "util.h"

/* env-secrets: credentials in the process's environment, by name or by
 * the shape of the value. */

/* Compiling the patterns was about a fifth of a whole evaluation (glibc
 * expands every {36} into 36 nodes). Most values cannot match most
 * patterns, and a plain substring every match must contain tells so with a
 * memmem(): a pattern is compiled only the first time a value contains its
 * literal, and kept for the life of the process while the policy's list
 * stays the same (lint evaluates thousands of specs under one policy). */
struct pattern {
        char *literal; /* "" when none can be told: always run the regex */
        size_t literal_len;
        bool compiled, bad;
        regex_t re;
};

struct regexes {
        struct pattern *v;
        size_t n;
};

static void regexes_done(struct regexes *r)
{
        for (size_t i = 0; i < r->n; i++) {
                if (r->v[i].compiled)
                        regfree(&r->v[i].re);
                free(r->v[i].literal);
        }
        free(r->v);
        *r = (struct regexes){0};
}

/* The length of the bracket expression at re (which starts with '['). */
static size_t bracket_len(const char *re)
{
        size_t i = 1;
        if (re[i] == '^')
                i++;
        if (re[i] == ']')
                i++; /* a leading ']' is a member */
        while (re[i] && re[i] != ']') {
                if (re[i] == '[' && (re[i + 1] == ':' || re[i + 1] == '.' || re[i + 1] == '=')) {
                        const char *end = strstr(re + i + 2, (char[]){re[i + 1], ']', 0});
                        if (!end)
                                return strlen(re);
                        i = (size_t)(end - re) + 2;
                        continue;
                }
                i++;
        }
        return re[i] ? i + 1 : i;
}

/* A substring that every match of the extended regular expression re must
 * contain: the longest run of ordinary characters outside groups and
 * bracket expressions that no quantifier makes optional. Conservative:
 * an alternation at top level, or anything unclear, gives "" (no filter). */
size_t env_secrets_required_literal(const char *re, char *out, size_t cap)
{
        size_t best = 0, run = 0, depth = 0;
        char cur[256];

        if (cap == 0)
                return 0;
        out[0] = '\0';
#define END_RUN()                                                                                                      \
        do {                                                                                                           \
                if (run > best && run < cap) {                                                                         \
                        memcpy(out, cur, run);                                                                         \
                        out[run] = '\0';                                                                               \
                        best = run;                                                                                    \
                }                                                                                                      \
                run = 0;                                                                                               \
        } while (0)
        for (size_t i = 0; re[i];) {
                char c = re[i];
                if (c == '[') {
                        END_RUN();
                        i += bracket_len(re + i);
                        continue;
                }
                if (c == '(') {
                        END_RUN();
                        depth++;
                        i++;
                        continue;
                }
                if (c == ')') {
                        END_RUN();
                        if (depth)
                                depth--;
                        i++;
                        continue;
                }
                if (c == '|') {
                        if (depth == 0) {
                                out[0] = '\0';
                                return 0; /* either side may match alone */
                        }
                        i++;
                        continue;
                }
                if (c == '*' || c == '?' || c == '{') {
                        /* the atom before is optional: it leaves the run,
                         * which ends before it */
                        if (run > 0)
                                run--;
                        END_RUN();
                        if (c == '{') {
                                const char *close = strchr(re + i, '}');
                                if (!close) {
                                        out[0] = '\0';
                                        return 0;
                                }
                                i = (size_t)(close - re) + 1;
                        } else {
                                i++;
                        }
                        continue;
                }
                if (c == '+') {
                        END_RUN(); /* required once, but what follows need not be adjacent */
                        i++;
                        continue;
                }
                if (c == '.' || c == '^' || c == '$') {
                        END_RUN();
                        i++;
                        continue;
                }
                char lit = c;
                size_t step = 1;
                if (c == '\\') {
                        /* \. and the like are the character; \w, \b, \< ... are not */
                        if (!re[i + 1] || isalnum((unsigned char)re[i + 1]) || re[i + 1] == '<' || re[i + 1] == '>' ||
                            re[i + 1] == '`' || re[i + 1] == '\'') {
                                END_RUN();
                                i += re[i + 1] ? 2 : 1;
                                continue;
                        }
                        lit = re[i + 1];
                        step = 2;
                }
                if (depth > 0) {
                        i += step;
                        continue;
                }
                /* a quantifier after this atom takes it back out (above) */
                if (run < sizeof(cur))
                        cur[run++] = lit;
                else
                        END_RUN();
                i += step;
        }
        END_RUN();
#undef END_RUN
        return best;
}

/* Checks a policy's env-secrets.values: every item must compile. */
static int check_value_patterns(const struct jv *v, rh_error_t *err)
{
        for (size_t i = 0; i < v->u.arr.n; i++) {
                regex_t re;
                int r = regcomp(&re, v->u.arr.v[i]->u.str.s, REG_EXTENDED | REG_NOSUB);
                if (r != 0) {
                        char why[128];
                        regerror(r, &re, why, sizeof(why));
                        return rh_error_set(err, EINVAL, "item %zu is not an extended regular expression (%s)", i, why);
                }
                regfree(&re);
        }
        return 0;
}

static struct {
        char *key;
        struct regexes re;
} re_cache;

static int regexes_get(struct rule_ctx *ctx, const struct regexes **ret)
{
        const struct jv *l = rule_param_strings(ctx, "values");
        _cleanup_free_ char *key = rule_param_strings_key(l);

        if (!key)
                return -ENOMEM;
        if (!re_cache.key || !STREQ(re_cache.key, key)) {
                regexes_done(&re_cache.re);
                free(re_cache.key);
                re_cache.key = NULL;
                if (!(re_cache.re.v = calloc(l->u.arr.n + 1, sizeof(*re_cache.re.v))))
                        return -ENOMEM;
                for (size_t i = 0; i < l->u.arr.n; i++) {
                        struct pattern *p = &re_cache.re.v[i];
                        const char *s = l->u.arr.v[i]->u.str.s;
                        re_cache.re.n++;
                        if (!(p->literal = malloc(strlen(s) + 1)))
                                return -ENOMEM;
                        p->literal_len = env_secrets_required_literal(s, p->literal, strlen(s) + 1);
                }
                re_cache.key = TAKE_PTR(key);
        }
        *ret = &re_cache.re;
        return 0;
}

/* Whether pattern i matches s; compiles it on first need. A pattern that
 * does not compile (a policy file is checked when loaded, so only on
 * allocation failure) is warned about once and never matches. */
static bool pattern_matches(struct rule_ctx *ctx, struct pattern *p, size_t i, const char *s)
{
        if (p->bad || (p->literal_len && !memmem(s, strlen(s), p->literal, p->literal_len)))
                return false;
        if (!p->compiled) {
                if (regcomp(&p->re, rule_param_strings(ctx, "values")->u.arr.v[i]->u.str.s, REG_EXTENDED | REG_NOSUB) !=
                    0) {
                        p->bad = true;
                        rule_report_warn(ctx, NULL, "",
                                         "the policy's env-secrets.values[%zu] cannot be compiled as an "
                                         "extended regular expression; it is ignored",
                                         i);
                        return false;
                }
                p->compiled = true;
        }
        return regexec(&p->re, s, 0, NULL, 0) == 0;
}

/* The index of the first pattern s matches, or -1. */
static long value_match(struct rule_ctx *ctx, const struct regexes *re, const char *s)
{
        for (size_t i = 0; i < re->n; i++)
                if (pattern_matches(ctx, &re->v[i], i, s))
                        return (long)i;
        return -1;
}

static bool name_matches(const struct jv *patterns, const char *name)
{
        for (size_t i = 0; i < patterns->u.arr.n; i++)
                if (fnmatch(patterns->u.arr.v[i]->u.str.s, name, FNM_CASEFOLD) == 0)
                        return true;
        return false;
}

/* A name that can be shown: an ordinary identifier that is not itself
 * credential-shaped (an entry without "=" is all value). */
static bool name_printable(struct rule_ctx *ctx, const char *name, const struct regexes *re)
{
        size_t n = strlen(name);
        if (n == 0 || n > 128 || value_match(ctx, re, name) >= 0)
                return false;
        for (const char *p = name; *p; p++)
                if (!isalnum((unsigned char)*p) && !strchr("_.-", *p))
                        return false;
        return true;
}

static void check_env_entry(struct rule_ctx *ctx, const struct jv *at, size_t idx, const char *entry,
                            const struct regexes *re)
{
        const char *eq = strchr(entry, '=');
        _cleanup_free_ char *name = eq ? strndup(entry, (size_t)(eq - entry)) : NULL;
        const char *value = eq ? eq + 1 : entry;
        char who[200];

        if (eq && !name)
                return;
        if (name && name_printable(ctx, name, re))
                snprintf(who, sizeof(who), "sets %s", name);
        else
                snprintf(who, sizeof(who), "has an entry (index %zu)", idx);
        long v = value_match(ctx, re, value);
        if (v < 0 && name)
                v = value_match(ctx, re, name); /* a credential may even stand in the name */
        if (v >= 0) {
                rule_report(ctx, at, NULL,
                            "%s, whose value looks like a credential (env-secrets.values[%ld]): anyone who can "
                            "inspect the container reads it; pass secrets as files (docker secrets, a read-only "
                            "bind or tmpfs) instead",
                            who, v);
                return;
        }
        if (!name || !*value || !name_matches(rule_param_strings(ctx, "names"), name) ||
            name_matches(rule_param_strings(ctx, "ignore-names"), name))
                return;
        rule_report(ctx, at, NULL,
                    "%s, whose name says it holds a credential: anyone who can inspect the container reads it; "
                    "pass secrets as files (docker secrets, a read-only bind or tmpfs) instead",
                    who);
}

static int check_env_secrets(struct rule_ctx *ctx)
{
        struct jv *proc = NULL, *env = NULL;
        const struct regexes *re;

        if (rule_get_object(ctx, ctx->spec->root, "process", &proc) < 0 || !proc ||
            rule_get_array(ctx, proc, "env", &env) < 0 || !env)
                return 0;
        if (regexes_get(ctx, &re) < 0)
                return -ENOMEM;
        for (size_t i = 0; i < env->u.arr.n; i++) {
                const char *e;
                if (!jv_cstr(env->u.arr.v[i], &e)) {
                        rule_invalid(ctx, env->u.arr.v[i], NULL,
                                     "must be a string without NUL bytes (runc refuses it)");
                        continue;
                }
                check_env_entry(ctx, env->u.arr.v[i], i, e, re);
        }
        return 0;
}

static const struct param_def env_secrets_params[] = {
        {"names", PARAM_STRINGS,
         "[\"*PASSWORD*\", \"*PASSWD*\", \"*PASSPHRASE*\", \"*SECRET*\", \"*TOKEN*\", \"*API_KEY*\", \"*APIKEY*\","
         " \"*PRIVATE_KEY*\", \"*ACCESS_KEY*\", \"*CREDENTIAL*\", \"AUTH\", \"AUTH_*\", \"*_AUTH\", \"*_AUTH_*\","
         " \"*_PASS\", \"*_PWD\"]",
         0, 0, "variable names that hold credentials (fnmatch patterns, any case) when their value is not empty"},
        {"ignore-names", PARAM_STRINGS,
         "[\"*_FILE\", \"*_PATH\", \"*_DIR\", \"*_URL\", \"*_URI\", \"*_HOST\", \"*_PORT\", \"*_USER\", \"*_USERNAME\","
         " \"*_ENABLED\", \"*_TYPE\", \"*_METHOD\", \"*_MODE\", \"*_TTL\", \"*_TIMEOUT\", \"*_EXPIRY\", \"*_LENGTH\"]",
         0, 0,
         "names that match names but only point at a credential (a *_FILE of docker secrets); values still count"},
        {"values", PARAM_STRINGS,
         "[\"(^|[^A-Z0-9])(AKIA|ASIA)[A-Z0-9]{16}([^A-Z0-9]|$)\", \"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----\","
         " \"(ghp|gho|ghs|ghu|ghr)_[A-Za-z0-9]{36}\", \"github_pat_[A-Za-z0-9_]{22,}\", "
         "\"xox[abpsr]-[A-Za-z0-9-]{10,}\","
         " \"eyJ[A-Za-z0-9_-]+\\\\.eyJ[A-Za-z0-9_-]+\\\\.\", \"glpat-[A-Za-z0-9_-]{20}\", \"sk_live_[A-Za-z0-9]{24,}\","
         " \"AIza[A-Za-z0-9_-]{35}\", \"npm_[A-Za-z0-9]{36}\", \"[A-Za-z][A-Za-z0-9+.-]*://[^/:@ ]+:[^/@ ]+@\"]",
         0, 0,
         "POSIX extended regular expressions for credential-shaped values (AWS key ids, private keys, GitHub, "
         "Slack, GitLab, Stripe, Google and npm tokens, JWTs, URLs with a password)",
         check_value_patterns},
        {0},
};

const struct rule rules_env_secrets[] = {
        {
                .id = "env-secrets",
                .summary = "credentials are passed in environment variables",
                .guide = "RUN-16",
                .default_action = ACTION_WARN,
                .scope = SCOPE_CONFIG | SCOPE_EXEC,
                .params = env_secrets_params,
                .check = check_env_secrets,
        },
        {0},
};
