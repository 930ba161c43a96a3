/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "ssh_command.h"
#include "util.h"

/* ssh-server's command-line analyser: whether argv, or a shell string in
 * it, starts an SSH daemon, through wrappers (env, sudo, timeout...),
 * shells' -c strings and service scripts. */

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
                        if (!strchr(argv[i], '=') &&
                            strv_contains(long_with_value, ARRAY_SIZE(long_with_value), argv[i]))
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

static int analyse_string(const struct ssh_command_names *names, const char *script, int depth, char *ret);

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

/* Whether argv starts an SSH daemon; ret (SSH_COMMAND_WHAT_LEN bytes) names it. */
static int analyse_argv(const struct ssh_command_names *names, char *const *argv, size_t argc, int depth, char *ret)
{
        const struct jv *daemons = names->daemons, *services = names->services;

        for (size_t i = 0; i < argc;) {
                const char *name = base_name(argv[i]);
                size_t k;
                for (k = 0; k < daemons->u.arr.n; k++)
                        if (STREQ(name, daemons->u.arr.v[k]->u.str.s)) {
                                snprintf(ret, SSH_COMMAND_WHAT_LEN, "%s", daemons->u.arr.v[k]->u.str.s);
                                return 1;
                        }
                /* service ssh start, rc-service sshd start, /etc/init.d/ssh start */
                bool via_service = (STREQ(name, "service") || STREQ(name, "rc-service")) && i + 1 < argc;
                _cleanup_free_ char *dir = strndup(argv[i], (size_t)(name - argv[i]));
                _cleanup_free_ char *ndir = dir ? path_normalize(dir) : NULL;
                const char *svc = via_service ? argv[i + 1] : ndir && STREQ(ndir, "/etc/init.d") ? name : NULL;
                for (k = 0; svc && k < services->u.arr.n; k++)
                        if (STREQ(svc, services->u.arr.v[k]->u.str.s)) {
                                snprintf(ret, SSH_COMMAND_WHAT_LEN, "the %s service", svc);
                                return 1;
                        }
                if (strv_contains(shells, ARRAY_SIZE(shells), name)) {
                        const char *script = shell_command(argv, argc, i);
                        return script && depth < MAX_NESTING ? analyse_string(names, script, depth + 1, ret) : 0;
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
                                        return depth < MAX_NESTING ? analyse_string(names, s, depth + 1, ret) : 0;
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
static int analyse_simple(const struct ssh_command_names *names, struct words *w, int depth, char *ret)
{
        size_t i = 0;
        while (i < w->n && is_prefix_word(w->v[i]))
                i++;
        int r = i < w->n ? analyse_argv(names, w->v + i, w->n - i, depth, ret) : 0;
        words_done(w);
        return r;
}

/* A shell string, split the way sh would into simple commands at ; & |
 * newlines, parentheses, backquotes and $(; quotes and backslashes are
 * removed. Enough to find a daemon however the command line spells it. */
static int analyse_string(const struct ssh_command_names *names, const char *s, int depth, char *ret)
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
                        if (sep && (r = analyse_simple(names, &cmd, depth, ret)) != 0)
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

int ssh_command_find(const struct ssh_command_names *names, char *const *argv, size_t argc, char *ret_what)
{
        return analyse_argv(names, argv, argc, 0, ret_what);
}
