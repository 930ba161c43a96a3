/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <linux/capability.h>
#include <regex.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capabilities.h"
#include "host.h"
#include "identity.h"
#include "inroot.h"
#include "namespaces.h"
#include "nspath.h"
#include "process.h"
#include "rules.h"
#include "util.h"

/* What the container's process is: an SSH daemon, credentials in its
 * environment, root without a user namespace. */

/* --- command lines ---------------------------------------------------- */

struct words {
        char **v;
        size_t n;
};

static void words_done(struct words *w)
{
        for (size_t i = 0; i < w->n; i++)
                free(w->v[i]);
        free(w->v);
        *w = (struct words){0};
}

static int words_push(struct words *w, const char *s, size_t len)
{
        char **v = realloc(w->v, (w->n + 1) * sizeof(*v));
        if (!v)
                return -ENOMEM;
        w->v = v;
        if (!(w->v[w->n] = strndup(s, len)))
                return -ENOMEM;
        w->n++;
        return 0;
}

/* Programs that run the rest of their arguments as a command: the
 * options that take a value, and how many operands precede the command. */
static const struct {
        const char *name, *argopts;
        unsigned operands;
} wrappers[] = {
        {"env", "uCS", 0},         {"exec", "a", 0},
        {"command", "", 0},        {"nohup", "", 0},
        {"setsid", "", 0},         {"nice", "n", 0},
        {"ionice", "cnpPu", 0},    {"stdbuf", "ioe", 0},
        {"timeout", "ks", 1},      {"chroot", "", 1},
        {"sudo", "ugCDprtTUh", 0}, {"doas", "uC", 0},
        {"su-exec", "", 1},        {"gosu", "", 1},
        {"s6-setuidgid", "", 1},   {"setpriv", "", 0},
        {"taskset", "", 1},        {"tini", "pe", 0},
        {"dumb-init", "r", 0},     {"catatonit", "", 0},
        {"runuser", "ugG", 0},     {"chpst", "uUbe/nlLmdopfcr", 0},
        {"busybox", "", 0},        {"dropbearmulti", "", 0},
        {"xargs", "aEeILnPsd", 0},
};

static const char *const shells[] = {"sh", "bash", "dash", "ash", "ksh", "mksh", "zsh", "hush", "su"};
static const char *const long_with_value[] = {"--user",  "--group",    "--signal", "--kill-after", "--unset",
                                              "--chdir", "--userspec", "--groups", "--reuid",      "--regid"};

#define MAX_NESTING 6
#define WHAT_LEN 64 /* what analyse_*() found: "sshd", "the ssh service" */

static const char *base_name(const char *s)
{
        const char *b = strrchr(s, '/');
        return b ? b + 1 : s;
}

/* Skips the options (and their values) and operands of a wrapper; returns
 * the index of the command it runs. */
static size_t skip_wrapper(char *const *argv, size_t argc, size_t i, const char *argopts, unsigned operands)
{
        bool is_env = STREQ(base_name(argv[i]), "env");
        for (i++; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
                if (STREQ(argv[i], "--"))
                        return i + 1 + operands;
                if (argv[i][1] == '-') {
                        if (!strchr(argv[i], '=') && strv_contains(long_with_value, ARRAY_SIZE(long_with_value), argv[i]))
                                i++;
                        continue;
                }
                for (const char *c = argv[i] + 1; *c; c++)
                        if (strchr(argopts, *c)) {
                                if (!c[1])
                                        i++; /* the value is the next word */
                                break;
                        }
        }
        i += operands;
        while (is_env && i < argc && strchr(argv[i], '=') && argv[i][0] != '=')
                i++;
        return i;
}

static int analyse_string(const struct rule_ctx *ctx, const char *script, int depth, char *ret);

/* The "-c" string of a shell (sh -c, sh -ec, su user -c), if any. */
static const char *shell_command(char *const *argv, size_t argc, size_t i)
{
        bool c = false;
        for (i++; i < argc; i++) {
                const char *w = argv[i];
                if (STREQ(w, "--command") && i + 1 < argc)
                        return argv[i + 1];
                if ((w[0] == '-' || w[0] == '+') && w[1] && w[1] != '-') {
                        if (strchr(w + 1, 'c'))
                                c = true;
                        if (STREQ(w + 1, "o") && i + 1 < argc)
                                i++; /* -o option */
                        continue;
                }
                if (c)
                        return w;
        }
        return NULL;
}

/* Whether argv starts an SSH daemon; ret (WHAT_LEN bytes) names it. */
static int analyse_argv(const struct rule_ctx *ctx, char *const *argv, size_t argc, int depth, char *ret)
{
        const struct jv *daemons = rule_param_strings(ctx, "daemons"), *services = rule_param_strings(ctx, "services");

        for (size_t i = 0; i < argc;) {
                const char *name = base_name(argv[i]);
                size_t k;
                for (k = 0; k < daemons->u.arr.n; k++)
                        if (STREQ(name, daemons->u.arr.v[k]->u.str.s)) {
                                snprintf(ret, WHAT_LEN, "%s", daemons->u.arr.v[k]->u.str.s);
                                return 1;
                        }
                /* service ssh start, rc-service sshd start, /etc/init.d/ssh start */
                bool via_service = (STREQ(name, "service") || STREQ(name, "rc-service")) && i + 1 < argc;
                _cleanup_free_ char *dir = strndup(argv[i], (size_t)(name - argv[i]));
                _cleanup_free_ char *ndir = dir ? path_normalize(dir) : NULL;
                const char *svc = via_service ? argv[i + 1] : ndir && STREQ(ndir, "/etc/init.d") ? name : NULL;
                for (k = 0; svc && k < services->u.arr.n; k++)
                        if (STREQ(svc, services->u.arr.v[k]->u.str.s)) {
                                snprintf(ret, WHAT_LEN, "the %s service", svc);
                                return 1;
                        }
                if (strv_contains(shells, ARRAY_SIZE(shells), name)) {
                        const char *script = shell_command(argv, argc, i);
                        return script && depth < MAX_NESTING ? analyse_string(ctx, script, depth + 1, ret) : 0;
                }
                for (k = 0; k < ARRAY_SIZE(wrappers); k++)
                        if (STREQ(name, wrappers[k].name))
                                break;
                if (k == ARRAY_SIZE(wrappers))
                        return 0;
                /* command -v NAME only prints where NAME is */
                if (STREQ(name, "command") && i + 1 < argc && argv[i + 1][0] == '-' && strpbrk(argv[i + 1], "vV"))
                        return 0;
                /* env -S "sshd -D" splits its value into the command */
                if (STREQ(name, "env"))
                        for (size_t j = i + 1; j < argc && argv[j][0] == '-'; j++)
                                if (strncmp(argv[j], "-S", 2) == 0 || strncmp(argv[j], "--split-string", 14) == 0) {
                                        const char *s = argv[j][1] == 'S' && argv[j][2] ? argv[j] + 2
                                                        : strchr(argv[j], '=')          ? strchr(argv[j], '=') + 1
                                                        : j + 1 < argc                  ? argv[j + 1]
                                                                                        : "";
                                        return depth < MAX_NESTING ? analyse_string(ctx, s, depth + 1, ret) : 0;
                                }
                i = skip_wrapper(argv, argc, i, wrappers[k].argopts, wrappers[k].operands);
        }
        return 0;
}

/* Shell words that are not the command of a simple command. */
static bool is_prefix_word(const char *w)
{
        static const char *const reserved[] = {"if",    "then", "else", "elif", "fi",   "do",   "done", "while",
                                               "until", "!",    "{",    "}",    "time", "case", "esac"};
        if (strv_contains(reserved, ARRAY_SIZE(reserved), w))
                return true;
        /* NAME=value assignments */
        const char *p = w;
        if (!(isalpha((unsigned char)*p) || *p == '_'))
                return false;
        while (isalnum((unsigned char)*p) || *p == '_')
                p++;
        return *p == '=';
}

/* Analyses the collected words of one simple command. */
static int analyse_simple(const struct rule_ctx *ctx, struct words *w, int depth, char *ret)
{
        size_t i = 0;
        while (i < w->n && is_prefix_word(w->v[i]))
                i++;
        int r = i < w->n ? analyse_argv(ctx, w->v + i, w->n - i, depth, ret) : 0;
        words_done(w);
        return r;
}

/* A shell string, split the way sh would into simple commands at ; & |
 * newlines, parentheses, backquotes and $(; quotes and backslashes are
 * removed. Enough to find a daemon however the command line spells it. */
static int analyse_string(const struct rule_ctx *ctx, const char *s, int depth, char *ret)
{
        _cleanup_(words_done) struct words cmd = {0};
        _cleanup_free_ char *word = malloc(strlen(s) + 1);
        size_t len = 0;
        bool in_word = false;
        int r;

        if (!word)
                return -ENOMEM;
        for (const char *p = s;; p++) {
                char c = *p;
                bool sep = !c || strchr(";&|\n()`", c) || (c == '$' && p[1] == '(');
                if (sep || c == ' ' || c == '\t') {
                        /* redirections ("2>&1", ">/dev/null") are no words */
                        if (in_word && !strpbrk(word, "<>") && (r = words_push(&cmd, word, len)) < 0)
                                return r;
                        in_word = false;
                        len = 0;
                        word[0] = '\0';
                        if (sep && (r = analyse_simple(ctx, &cmd, depth, ret)) != 0)
                                return r;
                        if (!c)
                                return 0;
                        continue;
                }
                in_word = true;
                if (c == '\'') {
                        for (p++; *p && *p != '\''; p++)
                                word[len++] = *p;
                } else if (c == '"') {
                        for (p++; *p && *p != '"'; p++) {
                                if (*p == '\\' && p[1])
                                        p++;
                                word[len++] = *p;
                        }
                } else if (c == '\\' && p[1]) {
                        word[len++] = *++p;
                } else {
                        word[len++] = c;
                }
                word[len] = '\0';
                if (!*p)
                        p--; /* unterminated quote: end at the NUL */
        }
}

/* --- ssh-server ------------------------------------------------------- */

static int check_ssh_args(struct rule_ctx *ctx, const struct jv *proc)
{
        struct jv *args = NULL;
        _cleanup_(words_done) struct words w = {0};
        char daemon[WHAT_LEN];
        int r;

        if (rule_get_array(ctx, proc, "args", &args) < 0 || !args)
                return 0;
        for (size_t i = 0; i < args->u.arr.n; i++) {
                const char *a;
                if (!jv_cstr(args->u.arr.v[i], &a))
                        return rule_invalid(ctx, args->u.arr.v[i], NULL, "must be a string (runc refuses it)"), 0;
                if ((r = words_push(&w, a, strlen(a))) < 0)
                        return r;
        }
        if ((r = analyse_argv(ctx, w.v, w.n, 0, daemon)) < 0)
                return r;
        if (r > 0)
                rule_report(ctx, args, NULL,
                            "starts an SSH server (%s): a container needs no remote login, and its keys and "
                            "passwords become a way in; use docker exec (or kubectl exec) instead",
                            daemon);
        return 0;
}

static int check_ssh_rootfs(struct rule_ctx *ctx)
{
        const struct jv *bins = rule_param_strings(ctx, "binaries");
        _cleanup_close_ int rootfd = -1;

        /* No root file system here (lint, or runc will refuse anyway). */
        if (spec_rootfs_open(ctx->spec, &rootfd) < 0)
                return 0;
        for (size_t i = 0; i < bins->u.arr.n; i++) {
                const char *b = bins->u.arr.v[i]->u.str.s;
                _cleanup_close_ int fd = -1;
                struct stat st;
                int r = inroot_open(rootfd, b, &fd);
                if (r == -ENOSYS) {
                        rule_report_warn(ctx, ctx->spec->root, "root/path",
                                         "cannot look for SSH servers in the root file system: this kernel has no "
                                         "openat2() to do it safely");
                        return 0;
                }
                if (r < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || !(st.st_mode & 0111))
                        continue;
                rule_report_warn(ctx, jv_get(ctx->spec->root, "root"), "path",
                                 "the root file system holds an SSH server (%s): build images without one", b);
                return 0;
        }
        return 0;
}

static int check_ssh_server(struct rule_ctx *ctx)
{
        struct jv *proc = NULL;
        int r;

        if (rule_get_object(ctx, ctx->spec->root, "process", &proc) < 0)
                return 0;
        if (proc && (r = check_ssh_args(ctx, proc)) < 0)
                return r;
        return ctx->kind == CHECK_CONFIG ? check_ssh_rootfs(ctx) : 0;
}

static const struct param_def ssh_server_params[] = {
        {"daemons", PARAM_STRINGS, "[\"sshd\", \"dropbear\", \"tinysshd\"]", 0, 0,
         "program names (base names) of SSH servers"},
        {"services", PARAM_STRINGS, "[\"ssh\", \"sshd\", \"dropbear\"]", 0, 0,
         "service names that start an SSH server (service NAME start, /etc/init.d/NAME)"},
        {"binaries", PARAM_STRINGS,
         "[\"/usr/sbin/sshd\", \"/usr/bin/sshd\", \"/sbin/sshd\", \"/usr/local/sbin/sshd\", \"/usr/sbin/dropbear\","
         " \"/usr/bin/dropbear\", \"/usr/sbin/dropbearmulti\", \"/usr/bin/dropbearmulti\", \"/usr/sbin/tinysshd\"]",
         0, 0, "paths inside the root file system whose presence is warned about"},
        {0},
};

/* --- env-secrets ------------------------------------------------------ */

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
#define END_RUN()                                                       \
        do {                                                            \
                if (run > best && run < cap) {                          \
                        memcpy(out, cur, run);                          \
                        out[run] = '\0';                                \
                        best = run;                                     \
                }                                                       \
                run = 0;                                                \
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
                        return rh_error_set(err, EINVAL, "item %zu is not an extended regular expression (%s)", i,
                                            why);
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
                if (regcomp(&p->re, rule_param_strings(ctx, "values")->u.arr.v[i]->u.str.s,
                            REG_EXTENDED | REG_NOSUB) != 0) {
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
         "Slack, GitLab, Stripe, Google and npm tokens, JWTs, URLs with a password)", check_value_patterns},
        {0},
};

/* --- root-user -------------------------------------------------------- */

/* Whether root of the container is someone else on the host: false
 * without a user namespace, in the host's own, and in a new one whose
 * uidMappings or gidMappings include host id 0 (container root can take
 * that id: in effect the host's user namespace). A joined user namespace
 * is judged by the maps it has (runc 1.1 wants mappings in the spec but
 * does not apply them to a namespace it joins): remapped unless they hold
 * host id 0 or are not written yet, or the path cannot be judged
 * (host-namespace says why); offline, a path that is not here is given
 * the benefit of the doubt. */
static bool root_is_remapped(const struct rule_ctx *ctx)
{
        const struct jv *l = jv_get(ctx->spec->root, "linux"), *ns = jv_get(l, "namespaces");
        const char *t, *path, *why;
        bool userns = false;

        for (size_t i = 0; jv_is(ns, JV_ARRAY) && i < ns->u.arr.n; i++) {
                if (!jv_cstr(jv_get(ns->u.arr.v[i], "type"), &t) || !STREQ(t, "user"))
                        continue;
                userns = true;
                if (!jv_cstr(jv_get(ns->u.arr.v[i], "path"), &path) || !*path)
                        continue;
                if (path[0] != '/')
                        return false;
                _cleanup_nspath_ struct nspath nsf = {.fd = -1};
                struct userns_maps m;
                int r = nspath_open(path, &nsf, &why);
                if (r < 0)
                        return !why && ctx->spec->offline && (r == -ENOENT || r == -ENOTDIR);
                if (host_ns_is_host("user", &nsf.st) || nspath_userns_maps(&nsf, &m) < 0)
                        return false;
                return !m.uid_host_root && !m.gid_host_root && !m.uid_empty && !m.gid_empty;
        }
        if (!userns)
                return false;
        return !userns_host_zero_range(l, "uidMappings") && !userns_host_zero_range(l, "gidMappings");
}

/* What gives a process that is not root group root or root, in words
 * for the findings ("unless ..." for an exec process, whose container's
 * user namespace is not in its file). */
struct root_path {
        const struct jv *at;
        const char *suffix;
        char what[512];
};

static void root_path_set(struct root_path *rp, const struct jv *at, const char *suffix, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
static void root_path_set(struct root_path *rp, const struct jv *at, const char *suffix, const char *fmt, ...)
{
        va_list ap;

        rp->at = at;
        rp->suffix = suffix;
        va_start(ap, fmt);
        vsnprintf(rp->what, sizeof(rp->what), fmt, ap);
        va_end(ap);
}

/* The process's additionalGids as runc hands them on; false when a wrong
 * type was reported (spec-invalid: runc refuses it). */
static bool read_additional_gids(struct rule_ctx *ctx, const struct jv *groups, uint32_t **ret, size_t *ret_n)
{
        *ret = NULL;
        *ret_n = 0;
        if (!groups || !groups->u.arr.n)
                return true;
        if (!(*ret = calloc(groups->u.arr.n, sizeof(**ret))))
                return false;
        for (size_t i = 0; i < groups->u.arr.n; i++) {
                int64_t g;
                if (jv_int64(groups->u.arr.v[i], &g) < 0 || g < 0 || g > UINT32_MAX) {
                        rule_invalid(ctx, groups->u.arr.v[i], NULL,
                                     "must be a group id from 0 to 4294967295 (runc refuses it)");
                        free(TAKE_PTR(*ret));
                        return false;
                }
                (*ret)[i] = (uint32_t)g;
        }
        *ret_n = groups->u.arr.n;
        return true;
}

/* Group root: the gid, an additional gid of 0, or one that runc resolves
 * to group 0 through the group file it reads (runc matches additionalGids
 * against group names as well as gids: a group named "1000" whose gid is 0
 * turns additionalGids [1000] into group root). Group root that cannot be
 * ruled out (the file cannot be read, a mount replaces it) counts as
 * found: fail closed. false when a wrong type was reported. */
static bool find_root_group(struct rule_ctx *ctx, const struct jv *user, struct root_path *rp)
{
        struct jv *groups = NULL;
        _cleanup_free_ uint32_t *ags = NULL;
        _cleanup_group_judgement_ struct group_judgement gj = {.root_at = -1};
        const struct spec *config = ctx->kind == CHECK_EXEC ? ctx->spec->container : ctx->spec;
        int64_t gid = 0;
        size_t n = 0;

        if (rule_get_int64(ctx, user, "gid", &gid) < 0)
                return false;
        /* An absent gid is Go's zero value: group root. */
        if (gid == 0)
                return root_path_set(rp, user, "gid", "runs with group root (gid 0)"), true;
        if (rule_get_array(ctx, user, "additionalGids", &groups) < 0 || !read_additional_gids(ctx, groups, &ags, &n))
                return false;
        for (size_t i = 0; i < n; i++)
                if (ags[i] == 0)
                        return root_path_set(rp, groups->u.arr.v[i], NULL, "runs with group root (gid 0)"), true;
        if (identity_judge_groups(config, ctx->spec->offline, ags, n, &gj) < 0)
                return root_path_set(rp, groups, NULL, "cannot be resolved (out of memory)"), true;
        if (gj.unknown)
                root_path_set(rp, groups, NULL,
                              "may give group root: runc resolves additionalGids through /etc/group as it finds "
                              "it after the spec's mounts, matching group names as well as gids, and %s; refusing "
                              "what cannot be checked",
                              gj.unknown);
        else if (gj.root_at >= 0)
                root_path_set(rp, groups->u.arr.v[gj.root_at], NULL,
                              "runs with group root (gid 0): runc resolves %u through %s, where a group whose name "
                              "or gid is \"%u\" has gid 0 (runc matches group names as well as gids, and hands "
                              "setgroups 32 bits of the gid)",
                              ags[gj.root_at], gj.file, ags[gj.root_at]);
        return true;
}

/* Capabilities that make a process that is not root, root: CAP_SETUID
 * (setuid(0)) and CAP_SETGID (setgid(0), setgroups). Only those that
 * survive runc's execve of the program count (identity.h). */
static void find_root_caps(const struct jv *proc, struct root_path *rp)
{
        static const char *const sets[] = {"ambient", "permitted", "inheritable", "bounding"};
        const struct jv *caps = jv_get(proc, "capabilities");
        uint64_t mask[ARRAY_SIZE(sets)] = {0};

        for (size_t s = 0; s < ARRAY_SIZE(sets); s++) {
                const struct jv *set = jv_get(caps, sets[s]);
                const char *name;
                for (size_t i = 0; jv_is(set, JV_ARRAY) && i < set->u.arr.n; i++) {
                        int c = jv_cstr(set->u.arr.v[i], &name) ? capability_from_name(name) : -1;
                        if (c >= 0)
                                mask[s] |= UINT64_C(1) << c;
                }
        }
        uint64_t kept = identity_caps_kept(mask[0], mask[1], mask[2], mask[3]);
        bool setuid = kept & (UINT64_C(1) << CAP_SETUID), setgid = kept & (UINT64_C(1) << CAP_SETGID);
        if (!setuid && !setgid)
                return;
        bool ambient = mask[0] & ((setuid ? UINT64_C(1) << CAP_SETUID : 0) | (setgid ? UINT64_C(1) << CAP_SETGID : 0));
        root_path_set(rp, caps, ambient ? "ambient" : "permitted",
                      "does not run as root but keeps %s%s%s across execve (%s): one %s call makes it %s",
                      setuid ? "CAP_SETUID" : "", setuid && setgid ? " and " : "", setgid ? "CAP_SETGID" : "",
                      ambient ? "the ambient set, which execve keeps"
                              : "the permitted set, which a program of the image with that file capability "
                                "regains, no_new_privs or not",
                      setuid ? "setuid(0)" : "setgid(0)", setuid ? "root (uid 0)" : "group root (gid 0)");
}

/* What follows each finding: for a container, whose user namespace is
 * known, and for an exec process, whose is not. */
struct root_advice {
        const char *uid, *groups, *caps;
};

static const struct root_advice config_advice = {
        " and no user namespace maps it to an unprivileged host user: whoever escapes the container is root on the "
        "host; run as another user (docker run --user 1000:1000) or enable user namespaces (dockerd "
        "--userns-remap)",
        " and no user namespace maps it to an unprivileged host group: files and devices of group root on the host "
        "are open to it; run with another group (docker run --user 1000:1000, no --group-add 0) or enable user "
        "namespaces (dockerd --userns-remap)",
        ", and no user namespace maps that to an unprivileged host user; drop the capability from the ambient and "
        "permitted sets (podman run --cap-drop, no --cap-add for a user that is not root) or enable user namespaces",
};

static const struct root_advice exec_advice = {
        "; unless the container has a user namespace, that is the host's root once out of the container; exec as "
        "another user (docker exec --user)",
        "; unless the container has a user namespace, that is the host's root group; exec with another group "
        "(docker exec --user UID:GID)",
        "; unless the container has a user namespace, that is the host's; drop them from the ambient and permitted "
        "sets",
};

static int check_root_user(struct rule_ctx *ctx)
{
        struct jv *proc = NULL, *user = NULL;
        struct root_path groups = {0}, caps = {0};
        int64_t uid = 0;

        if (rule_get_object(ctx, ctx->spec->root, "process", &proc) < 0 || !proc ||
            rule_get_object(ctx, proc, "user", &user) < 0 || rule_get_int64(ctx, user, "uid", &uid) < 0)
                return 0;
        /* With uid 0 one finding says it all; group root alone is its own:
         * the host's files and devices of group root (0660 disks under
         * some layouts, root-group-writable state) are open to it. */
        if (uid != 0) {
                if (!find_root_group(ctx, user, &groups))
                        return 0;
                find_root_caps(proc, &caps);
                if (!groups.at && !caps.at)
                        return 0;
        }
        /* The container's user namespace is not in a process file. */
        const struct root_advice *adv = ctx->kind == CHECK_EXEC ? &exec_advice : &config_advice;
        if (ctx->kind != CHECK_EXEC && root_is_remapped(ctx))
                return 0;
        if (uid == 0)
                rule_report(ctx, user ? user : proc, user ? "uid" : "user", "runs as root (uid 0)%s", adv->uid);
        if (groups.at)
                rule_report(ctx, groups.at, groups.suffix, "%s%s", groups.what, adv->groups);
        if (caps.at)
                rule_report(ctx, caps.at, caps.suffix, "%s%s", caps.what, adv->caps);
        return 0;
}

const struct rule rules_process[] = {
        {
                .id = "ssh-server",
                .summary = "the container runs an SSH server",
                .guide = "RUN-12",
                .default_action = ACTION_DENY,
                .scope = SCOPE_CONFIG | SCOPE_EXEC,
                .params = ssh_server_params,
                .check = check_ssh_server,
        },
        {
                .id = "env-secrets",
                .summary = "credentials are passed in environment variables",
                .guide = "RUN-16",
                .default_action = ACTION_WARN,
                .scope = SCOPE_CONFIG | SCOPE_EXEC,
                .params = env_secrets_params,
                .check = check_env_secrets,
        },
        {
                .id = "root-user",
                .summary = "the process runs as root or with group root, or can make itself root, without a user "
                           "namespace",
                .guide = "DAEMON-5",
                .default_action = ACTION_WARN,
                .scope = SCOPE_CONFIG | SCOPE_EXEC,
                .check = check_root_user,
        },
        {0},
};
