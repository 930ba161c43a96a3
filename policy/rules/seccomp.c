/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "rules.h"
#include "seccomp_judge.h"
#include "util.h"

/* The project's default profile (data/seccomp-default.json), compiled in
 * by data/meson.build. */
extern const char rh_seccomp_default_json[];
extern const size_t rh_seccomp_default_json_len;

/* Names as runc 1.1 and crun spell them (libcontainer/seccomp/config.go). */
static const char *const known_actions[] = {
        "SCMP_ACT_KILL",  "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP",   "SCMP_ACT_ERRNO",
        "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW",        "SCMP_ACT_LOG",         "SCMP_ACT_NOTIFY",
};
static const char *const known_operators[] = {
        "SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ",
};
static const char *const known_flags[] = {
        "SECCOMP_FILTER_FLAG_TSYNC",
        "SECCOMP_FILTER_FLAG_LOG",
        "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
        "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
};

#define ARCH_PREFIX "SCMP_ARCH_"
#define SECCOMP_MAX_ARGS 6 /* system calls take at most six arguments */

/* Actions under which the system call runs. */
static bool action_allows(const char *a)
{
        return STREQ(a, "SCMP_ACT_ALLOW") || STREQ(a, "SCMP_ACT_LOG");
}

/* --- validation ------------------------------------------------------ */

/* Where problems go: spec-invalid findings for a container's profile, an
 * error for the profile the policy supplies. */
struct sink {
        struct rule_ctx *ctx; /* NULL: report into err */
        rh_error_t *err;
        bool reported; /* anything at all was said about the profile */
};

static int problem(struct sink *sk, const struct jv *at, const char *suffix, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
static int problem(struct sink *sk, const struct jv *at, const char *suffix, const char *fmt, ...)
{
        _cleanup_free_ char *msg = NULL, *ptr = NULL;
        va_list ap;

        va_start(ap, fmt);
        if (vasprintf(&msg, fmt, ap) < 0)
                msg = NULL;
        va_end(ap);
        sk->reported = true;
        if (sk->ctx)
                return rule_invalid(sk->ctx, at, suffix, "%s", msg ? msg : "is invalid");
        ptr = jv_pointer(at);
        return rh_error_set(sk->err, EINVAL, "%s%s%s: %s", ptr ? ptr : "", suffix ? "/" : "", suffix ? suffix : "",
                            msg ? msg : "is invalid");
}

/* A name libseccomp does not know is skipped by runc and crun: harmless
 * in a rule that allows (the call stays under the default action), a lost
 * refusal in any other. */
static void unknown_syscall_warning(struct sink *sk, const struct jv *at, const char *name)
{
        sk->reported = true;
        if (sk->ctx)
                rule_report_warn(sk->ctx, at, NULL,
                                 "libseccomp on this host does not know the system call \"%s\"; runc skips it, so "
                                 "it stays under the default action",
                                 name);
}

static int want_type(struct sink *sk, const struct jv *v, jv_type_t t)
{
        if (v->type != t)
                return problem(sk, v, NULL, "must be a JSON %s, not %s", jv_type_name(t), jv_type_name(v->type));
        return 0;
}

static int want_string(struct sink *sk, const struct jv *v, const char **ret)
{
        if (want_type(sk, v, JV_STRING) < 0)
                return -EINVAL;
        if (!jv_cstr(v, ret))
                return problem(sk, v, NULL, "contains a NUL byte");
        return 0;
}

static int want_uint(struct sink *sk, const struct jv *v, uint64_t max)
{
        uint64_t n;
        if (want_type(sk, v, JV_NUMBER) < 0)
                return -EINVAL;
        if (jv_uint64(v, &n) < 0 || n > max)
                return problem(sk, v, NULL, "must be an integer from 0 to %llu", (unsigned long long)max);
        return 0;
}

/* SCMP_ARCH_X86_64 -> libseccomp's "x86_64"; runc wants the upper-case
 * spelling exactly. 0 when unknown. */
static uint32_t arch_token(const char *name)
{
        char lower[32];
        size_t n = strlen(ARCH_PREFIX), i;

        if (strncmp(name, ARCH_PREFIX, n) != 0 || !name[n] || strlen(name + n) >= sizeof(lower))
                return 0;
        for (i = 0; name[n + i]; i++) {
                if (islower((unsigned char)name[n + i]))
                        return 0;
                lower[i] = (char)tolower((unsigned char)name[n + i]);
        }
        lower[i] = '\0';
        return seccomp_arch_resolve_name(lower);
}

static int validate_string_list(struct sink *sk, const struct jv *arr, const char *const *known, size_t n_known,
                                const char *what)
{
        if (want_type(sk, arr, JV_ARRAY) < 0)
                return -EINVAL;
        for (size_t i = 0; i < arr->u.arr.n; i++) {
                const char *s;
                if (want_string(sk, arr->u.arr.v[i], &s) < 0)
                        return -EINVAL;
                if (!strv_contains(known, n_known, s))
                        return problem(sk, arr->u.arr.v[i], NULL, "\"%s\" is not a seccomp %s runc knows", s, what);
        }
        return 0;
}

/* Every listed architecture must be one libseccomp knows (runc refuses
 * the profile otherwise); names are resolved for the native one only. */
static int validate_archs(struct sink *sk, const struct jv *arr)
{
        if (!arr)
                return 0;
        if (want_type(sk, arr, JV_ARRAY) < 0)
                return -EINVAL;
        for (size_t i = 0; i < arr->u.arr.n; i++) {
                const char *s;
                if (want_string(sk, arr->u.arr.v[i], &s) < 0)
                        return -EINVAL;
                if (!arch_token(s))
                        return problem(sk, arr->u.arr.v[i], NULL,
                                       "\"%s\" is not an architecture libseccomp knows (SCMP_ARCH_X86_64, "
                                       "SCMP_ARCH_AARCH64, ...)",
                                       s);
        }
        return 0;
}

static int validate_args(struct sink *sk, const struct jv *args)
{
        if (want_type(sk, args, JV_ARRAY) < 0)
                return -EINVAL;
        for (size_t i = 0; i < args->u.arr.n; i++) {
                const struct jv *a = args->u.arr.v[i], *v;
                const char *op;
                if (want_type(sk, a, JV_OBJECT) < 0)
                        return -EINVAL;
                if (!(v = jv_get(a, "index")))
                        return problem(sk, a, "index", "is missing");
                if (want_uint(sk, v, SECCOMP_MAX_ARGS - 1) < 0)
                        return -EINVAL;
                if ((v = jv_get(a, "value")) && want_uint(sk, v, UINT64_MAX) < 0)
                        return -EINVAL;
                if ((v = jv_get(a, "valueTwo")) && want_uint(sk, v, UINT64_MAX) < 0)
                        return -EINVAL;
                if (!(v = jv_get(a, "op")))
                        return problem(sk, a, "op", "is missing");
                if (want_string(sk, v, &op) < 0)
                        return -EINVAL;
                if (!strv_contains(known_operators, ARRAY_SIZE(known_operators), op))
                        return problem(sk, v, NULL, "\"%s\" is not a seccomp operator (SCMP_CMP_EQ, ...)", op);
        }
        return 0;
}

/* runc and crun resolve each name for the native architecture only
 * (seccomp_syscall_resolve_name) and skip a name that does not resolve;
 * libseccomp then translates the rule for every listed architecture. */
static int validate_names(struct sink *sk, const struct jv *names, bool allows)
{
        if (want_type(sk, names, JV_ARRAY) < 0)
                return -EINVAL;
        for (size_t i = 0; i < names->u.arr.n; i++) {
                const struct jv *nv = names->u.arr.v[i];
                const char *name;
                if (want_string(sk, nv, &name) < 0)
                        return -EINVAL;
                if (!*name)
                        return problem(sk, nv, NULL, "is empty (runc refuses an empty system call name)");
                if (seccomp_syscall_resolve_name(name) != __NR_SCMP_ERROR)
                        continue;
                if (!allows)
                        return problem(sk, nv, NULL,
                                       "\"%s\" is not a system call libseccomp knows: runc would skip it "
                                       "and the call would not be refused",
                                       name);
                unknown_syscall_warning(sk, nv, name);
        }
        return 0;
}

/* What a valid profile amounts to. */
struct profile_facts {
        bool disabled;   /* runc installs no filter */
        bool allows_all; /* the filter refuses nothing */
};

static int validate_syscall(struct sink *sk, const struct jv *sc, bool *ret_refuses)
{
        const struct jv *v;
        const char *action;

        if (want_type(sk, sc, JV_OBJECT) < 0)
                return -EINVAL;
        if (!(v = jv_get(sc, "action")))
                return problem(sk, sc, "action", "is missing (runc refuses a rule without an action)");
        if (want_string(sk, v, &action) < 0)
                return -EINVAL;
        if (!strv_contains(known_actions, ARRAY_SIZE(known_actions), action))
                return problem(sk, v, NULL, "\"%s\" is not a seccomp action (SCMP_ACT_ERRNO, SCMP_ACT_ALLOW, ...)",
                               action);
        if ((v = jv_get(sc, "errnoRet")) && want_uint(sk, v, UINT32_MAX) < 0)
                return -EINVAL;
        if ((v = jv_get(sc, "args")) && validate_args(sk, v) < 0)
                return -EINVAL;
        if ((v = jv_get(sc, "names")) && validate_names(sk, v, action_allows(action)) < 0)
                return -EINVAL;
        *ret_refuses = !action_allows(action) && v && v->u.arr.n > 0;
        return 0;
}

/* Checks a linux.seccomp object the way runc will read it, with
 * libseccomp resolving architectures and system call names. */
static int profile_validate(struct sink *sk, const struct jv *prof, struct profile_facts *ret)
{
        const struct jv *v, *syscalls;
        const char *def = "";
        bool refuses = false;

        *ret = (struct profile_facts){0};
        if (want_type(sk, prof, JV_OBJECT) < 0)
                return -EINVAL;
        if ((v = jv_get(prof, "defaultAction")) && want_string(sk, v, &def) < 0)
                return -EINVAL;
        if (*def && !strv_contains(known_actions, ARRAY_SIZE(known_actions), def))
                return problem(sk, v, NULL, "\"%s\" is not a seccomp action (SCMP_ACT_ERRNO, SCMP_ACT_ALLOW, ...)",
                               def);
        if ((v = jv_get(prof, "defaultErrnoRet")) && want_uint(sk, v, UINT32_MAX) < 0)
                return -EINVAL;
        if (validate_archs(sk, jv_get(prof, "architectures")) < 0)
                return -EINVAL;
        if ((v = jv_get(prof, "flags")) &&
            validate_string_list(sk, v, known_flags, ARRAY_SIZE(known_flags), "flag") < 0)
                return -EINVAL;
        for (const char *const *k = (const char *const[]){"listenerPath", "listenerMetadata", NULL}; *k; k++) {
                const char *s;
                if ((v = jv_get(prof, *k)) && want_string(sk, v, &s) < 0)
                        return -EINVAL;
        }
        syscalls = jv_get(prof, "syscalls");
        if (syscalls && want_type(sk, syscalls, JV_ARRAY) < 0)
                return -EINVAL;
        /* runc: no default action and no rules means no filter at all. */
        if (!*def && (!syscalls || !syscalls->u.arr.n)) {
                ret->disabled = true;
                return 0;
        }
        if (!*def)
                return problem(sk, prof, "defaultAction", "is missing (runc refuses a profile without one)");
        for (size_t i = 0; syscalls && i < syscalls->u.arr.n; i++) {
                bool r = false;
                if (validate_syscall(sk, syscalls->u.arr.v[i], &r) < 0)
                        return -EINVAL;
                refuses |= r;
        }
        ret->allows_all = action_allows(def) && !refuses;
        return 0;
}

/* --- what a profile refuses ------------------------------------------- */

/* A profile that refuses nothing that matters is no profile: whatever it
 * blocks, it must refuse every call of the rule's "refuse" list (the calls
 * that reach the host kernel or host files directly, which the built-in
 * profile and the engines' own default profiles all refuse). Judged as
 * runc and libseccomp build the filter:
 * - runc skips a rule whose action (with its errno, cut to 16 bits as runc
 *   does) is the default's, and a name libseccomp does not know;
 * - libseccomp keeps, per system call, the first rule without arguments
 *   and drops every later rule for that call; a rule without arguments
 *   replaces the conditional rules before it;
 * - a rule applies on every architecture of the filter: runc resolves the
 *   name once and libseccomp translates it for each, so the architectures
 *   listed change nothing here (a call absent on one cannot be made there).
 * A call counts as refused when every argument value gets a refusing action:
 * a conditional rule that allows it for some arguments leaves it open, and
 * a conditional refusal under an allowing default does not close it.
 * SCMP_ACT_TRACE and SCMP_ACT_NOTIFY are not refusals: a tracer (any
 * process of the container that may ptrace) or a user-space agent decides
 * whether the call runs. */

#define REFUSE_MAX 64

struct resolved_action {
        const char *name; /* "SCMP_ACT_..." */
        uint16_t ret;     /* the value ERRNO and TRACE carry */
};

/* The action as runc 1.1 computes it (libcontainer/seccomp getAction):
 * errnoRet and defaultErrnoRet pass through int16() into libseccomp-golang's
 * SetReturnCode, which keeps the low 16 bits, and only for ERRNO and TRACE.
 * Two actions are the same when those values are: errnoRet 65537 is EPERM,
 * so a rule with it under defaultErrnoRet 1 is the default action, and runc
 * skips it. crun's SCMP_ACT_ERRNO() masks the same bits. */
static struct resolved_action resolve_action(const struct jv *action, const struct jv *errno_ret)
{
        struct resolved_action a = {"", 1 /* EPERM, runc's default */};
        uint64_t n;

        if (!jv_cstr(action, &a.name))
                a.name = "";
        /* runc 1.1 gives KILL and KILL_THREAD the same libseccomp action */
        if (STREQ(a.name, "SCMP_ACT_KILL"))
                a.name = "SCMP_ACT_KILL_THREAD";
        if (!STREQ(a.name, "SCMP_ACT_ERRNO") && !STREQ(a.name, "SCMP_ACT_TRACE"))
                a.ret = 0;
        else if (errno_ret && jv_uint64(errno_ret, &n) == 0)
                a.ret = (uint16_t)(n & 0xffff);
        return a;
}

static bool action_same(struct resolved_action a, struct resolved_action b)
{
        return STREQ(a.name, b.name) && a.ret == b.ret;
}

static bool action_refuses(struct resolved_action a)
{
        static const char *const refusing[] = {"SCMP_ACT_ERRNO", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_KILL_PROCESS",
                                               "SCMP_ACT_TRAP"};
        return strv_contains(refusing, ARRAY_SIZE(refusing), a.name);
}

struct call_state {
        const struct jv *uncond;      /* the rule without arguments libseccomp keeps, or NULL */
        struct resolved_action act;   /* its action */
        const struct jv *cond_opener; /* a conditional rule that lets the call run for some arguments */
};

/* Profiles list hundreds of names and the list a dozen: a name is looked
 * up only when its length and its first and last letters match an entry's
 * (a bit per length). */
struct refuse_set {
        const struct jv *list;
        uint64_t mask[32];
};

static unsigned refuse_bit(const char *s, size_t len)
{
        return ((unsigned char)s[0] ^ ((unsigned char)s[len - 1] << 1)) & 63;
}

static void refuse_set_init(struct refuse_set *rs, const struct jv *list)
{
        *rs = (struct refuse_set){.list = list};
        for (size_t i = 0; i < list->u.arr.n && i < REFUSE_MAX; i++) {
                const struct jv *v = list->u.arr.v[i];
                if (v->u.str.len && v->u.str.len < ARRAY_SIZE(rs->mask))
                        rs->mask[v->u.str.len] |= 1ull << refuse_bit(v->u.str.s, v->u.str.len);
        }
}

static int refuse_index(const struct refuse_set *rs, const struct jv *name)
{
        const char *s = name->u.str.s;
        size_t len = name->u.str.len;

        if (!len || len >= ARRAY_SIZE(rs->mask) || !(rs->mask[len] & (1ull << refuse_bit(s, len))))
                return -1;
        for (size_t i = 0; i < rs->list->u.arr.n && i < REFUSE_MAX; i++) {
                const struct jv *r = rs->list->u.arr.v[i];
                if (r->u.str.len == len && memcmp(r->u.str.s, s, len) == 0)
                        return (int)i;
        }
        return -1;
}

/* Writes to out, for a valid profile prof, the calls of refuse it leaves
 * open and where ("bpf (syscalls/0), kexec_load (defaultAction)"); returns
 * how many. */
static size_t profile_unrefused(const struct jv *prof, const struct jv *refuse, char *out, size_t outlen)
{
        struct call_state st[REFUSE_MAX] = {0};
        struct refuse_set rs;
        struct resolved_action def = resolve_action(jv_get(prof, "defaultAction"), jv_get(prof, "defaultErrnoRet"));
        const struct jv *syscalls = jv_get(prof, "syscalls");
        size_t n = refuse->u.arr.n < REFUSE_MAX ? refuse->u.arr.n : REFUSE_MAX, open = 0, o = 0;

        out[0] = '\0';
        refuse_set_init(&rs, refuse);
        for (size_t i = 0; jv_is(syscalls, JV_ARRAY) && i < syscalls->u.arr.n; i++) {
                const struct jv *sc = syscalls->u.arr.v[i], *names = jv_get(sc, "names"), *args = jv_get(sc, "args");
                struct resolved_action act = resolve_action(jv_get(sc, "action"), jv_get(sc, "errnoRet"));
                bool cond = jv_is(args, JV_ARRAY) && args->u.arr.n > 0;

                if (action_same(act, def))
                        continue;
                for (size_t k = 0; jv_is(names, JV_ARRAY) && k < names->u.arr.n; k++) {
                        int x = jv_is(names->u.arr.v[k], JV_STRING) ? refuse_index(&rs, names->u.arr.v[k]) : -1;
                        if (x < 0 || (size_t)x >= n || st[x].uncond)
                                continue;
                        if (!cond) {
                                st[x].uncond = sc;
                                st[x].act = act;
                        } else if (!action_refuses(act) && !st[x].cond_opener) {
                                st[x].cond_opener = sc;
                        }
                }
        }
        for (size_t x = 0; x < n; x++) {
                const struct jv *by; /* what leaves it open; NULL: the default action */
                if (st[x].uncond && action_refuses(st[x].act))
                        continue;
                else if (st[x].uncond)
                        by = st[x].uncond;
                else if (st[x].cond_opener)
                        by = st[x].cond_opener;
                else if (action_refuses(def))
                        continue;
                else
                        by = NULL;
                _cleanup_free_ char *where = by ? jv_pointer(by) : NULL;
                const char *rel = where && strstr(where, "/syscalls/") ? strstr(where, "/syscalls/") + 1 : NULL;
                int w = snprintf(out + o, outlen - o, "%s%s (%s)", open ? ", " : "", refuse->u.arr.v[x]->u.str.s,
                                 rel ? rel : "defaultAction");
                if (w > 0 && (size_t)w < outlen - o)
                        o += (size_t)w;
                open++;
        }
        return open;
}

static int check_refuse_list(const struct jv *v, rh_error_t *err)
{
        if (v->u.arr.n > REFUSE_MAX)
                return rh_error_set(err, EINVAL, "lists more than %d system calls", REFUSE_MAX);
        for (size_t i = 0; i < v->u.arr.n; i++)
                if (seccomp_syscall_resolve_name(v->u.arr.v[i]->u.str.s) == __NR_SCMP_ERROR)
                        return rh_error_set(err, EINVAL, "item %zu, \"%s\", is not a system call libseccomp knows", i,
                                            v->u.arr.v[i]->u.str.s);
        return 0;
}

/* The "refuse" parameter's built-in value: the policy's default, and what
 * judges without a policy (the audit) hold profiles to. */
#define REFUSE_DEFAULT_JSON                                                                                            \
        "[\"bpf\", \"delete_module\", \"finit_module\", \"init_module\", \"ioperm\", \"iopl\", "                       \
        "\"kexec_file_load\", \"kexec_load\", \"open_by_handle_at\", \"perf_event_open\", \"userfaultfd\"]"

int seccomp_profile_judge(const struct jv *prof, bool *ret_weak, rh_error_t *err)
{
        struct sink sk = {.ctx = NULL, .err = err};
        struct profile_facts facts;
        _cleanup_jdoc_ struct jdoc *refuse = NULL;
        char open[1024];

        if (profile_validate(&sk, prof, &facts) < 0)
                return -EINVAL;
        if (facts.disabled || facts.allows_all) {
                *ret_weak = true;
                return 0;
        }
        if (jdoc_parse(REFUSE_DEFAULT_JSON, strlen(REFUSE_DEFAULT_JSON), &refuse, err) < 0)
                return -EINVAL;
        *ret_weak = profile_unrefused(prof, refuse->root, open, sizeof(open)) > 0;
        return 0;
}

/* --- the replacement profile ------------------------------------------ */

static int read_profile_file(const char *path, char **ret_buf, size_t *ret_len, rh_error_t *err)
{
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
        struct stat st;

        if (fd < 0)
                return rh_error_set(err, errno, "cannot open %s: %m", path);
        if (fstat(fd, &st) < 0)
                return rh_error_set(err, errno, "cannot examine %s: %m", path);
        if (!S_ISREG(st.st_mode))
                return rh_error_set(err, EINVAL, "%s is not a regular file", path);
        if (spec_read_fd(fd, ret_buf, ret_len, err) < 0)
                return rh_error_wrap(err, "%s", path);
        return 0;
}

/* The profile the fix installs: the built-in one, or the policy's file;
 * it must itself be valid and refuse something. */
static int replacement_parse(const char *path, struct jdoc **ret, bool *ret_clean, rh_error_t *err)
{
        _cleanup_free_ char *buf = NULL;
        _cleanup_jdoc_ struct jdoc *doc = NULL;
        const char *text = rh_seccomp_default_json;
        size_t len = rh_seccomp_default_json_len;
        const char *what = *path ? path : "the built-in seccomp profile";
        struct sink sk = {.ctx = NULL, .err = err};
        struct profile_facts facts;

        if (*path) {
                if (read_profile_file(path, &buf, &len, err) < 0)
                        return -EINVAL;
                text = buf;
        }
        if (jdoc_parse(text, len, &doc, err) < 0 || profile_validate(&sk, doc->root, &facts) < 0)
                return rh_error_wrap(err, "%s", what);
        if (facts.disabled || facts.allows_all)
                return rh_error_set(err, EINVAL, "%s refuses no system call", what);
        *ret_clean = !sk.reported;
        *ret = TAKE_PTR(doc);
        return 0;
}

/* The check and the fix both need the replacement, and lint fixes many
 * specs: it is read and validated once per process and path (a failure is
 * not kept, so it is reported each time). The document is borrowed. */
static struct {
        char *path;
        struct jdoc *doc;
        bool clean; /* validated without a warning */
} repl_cache;

static int replacement_load(const struct rule_ctx *ctx, const struct jdoc **ret, rh_error_t *err)
{
        const char *path = rule_param_string(ctx, "profile");
        struct jdoc *doc = NULL;
        bool clean = false;
        char *p;

        if (repl_cache.doc && STREQ(repl_cache.path, path)) {
                *ret = repl_cache.doc;
                return 0;
        }
        if (!(p = strdup(path)))
                return rh_error_set(err, ENOMEM, "out of memory");
        if (replacement_parse(path, &doc, &clean, err) < 0) {
                free(p);
                return -EINVAL;
        }
        jdoc_free(repl_cache.doc);
        free(repl_cache.path);
        repl_cache.doc = doc;
        repl_cache.path = p;
        repl_cache.clean = clean;
        *ret = doc;
        return 0;
}

/* Validating is a pure function of the profile, and the same profile
 * comes again: the re-check after the fix installed the replacement (known
 * good: compared with it), and in lint, specs from one engine (the last
 * profile that validated without a word is kept, as a copy, with its
 * facts; a container start evaluates one spec and copies nothing). */
static struct {
        struct jdoc *doc;
        struct profile_facts facts;
} clean_memo;

static void memo_remember(const struct jv *prof, const struct profile_facts *facts)
{
        struct jdoc *d = jdoc_new();
        struct jv *copy = d ? jv_copy(d, prof) : NULL;

        if (!copy) {
                jdoc_free(d);
                return; /* no memo, no harm */
        }
        d->root = copy;
        jdoc_free(clean_memo.doc);
        clean_memo.doc = d;
        clean_memo.facts = *facts;
}

static int profile_validate_memo(struct rule_ctx *ctx, struct sink *sk, const struct jv *prof,
                                 struct profile_facts *ret)
{
        int r;

        if (repl_cache.doc && repl_cache.clean && jv_equal(repl_cache.doc->root, prof)) {
                *ret = (struct profile_facts){0}; /* validated and refusing, or it would not be cached */
                return 0;
        }
        if (clean_memo.doc && jv_equal(clean_memo.doc->root, prof)) {
                *ret = clean_memo.facts;
                return 0;
        }
        sk->reported = false;
        if ((r = profile_validate(sk, prof, ret)) < 0 || sk->reported)
                return r;
        if (ctx->spec->offline)
                memo_remember(prof, ret);
        return 0;
}

/* --- the rule ---------------------------------------------------------- */

#define ADVICE_OPEN                                                                                                    \
        "every system call is open to the container, unshare, mount and keyctl included; give it a profile that "      \
        "refuses what it does not need (do not use --security-opt seccomp=unconfined)"

/* A finding the fix repairs, unless the replacement cannot be had or
 * leaves a call of the list open itself: then it denies with the reason
 * (fail closed, and the engine never sees a fix that fails). */
static void report_weak(struct rule_ctx *ctx, const struct jv *at, const char *suffix, const char *what,
                        const char *advice)
{
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        const struct jdoc *repl = NULL;
        char open[1024];

        if (replacement_load(ctx, &repl, &err) < 0) {
                rule_report_unfixable(ctx, at, suffix,
                                      "%s, and the policy's replacement profile cannot be used (%s); give the "
                                      "container a profile (docker run --security-opt seccomp=PROFILE.json)",
                                      what, rh_error_msg(&err));
                return;
        }
        if (profile_unrefused(repl->root, rule_param_strings(ctx, "refuse"), open, sizeof(open)) > 0) {
                rule_report_unfixable(ctx, at, suffix,
                                      "%s, and the policy's replacement profile does not refuse %s either; give the "
                                      "container a profile that does (docker run --security-opt "
                                      "seccomp=PROFILE.json)",
                                      what, open);
                return;
        }
        rule_report(ctx, at, suffix, "%s: %s", what, advice);
}

static int check_seccomp(struct rule_ctx *ctx)
{
        struct jv *l = NULL, *prof = NULL;
        struct sink sk = {.ctx = ctx};
        struct profile_facts facts;
        char open[1024], what[1200];

        if (rule_get_object(ctx, ctx->spec->root, "linux", &l) < 0)
                return 0;
        if (!l) {
                report_weak(ctx, ctx->spec->root, "linux/seccomp", "has no seccomp profile", ADVICE_OPEN);
                return 0;
        }
        if (rule_get_object(ctx, l, "seccomp", &prof) < 0)
                return 0;
        if (!prof) {
                report_weak(ctx, l, "seccomp", "has no seccomp profile", ADVICE_OPEN);
                return 0;
        }
        if (profile_validate_memo(ctx, &sk, prof, &facts) < 0)
                return 0; /* spec-invalid already */
        if (facts.disabled) {
                report_weak(ctx, prof, NULL, "has neither a default action nor rules, so runc installs no filter",
                            ADVICE_OPEN);
        } else if (facts.allows_all) {
                report_weak(ctx, jv_get(prof, "defaultAction"), NULL,
                            "allows every system call and no rule refuses any", ADVICE_OPEN);
        } else if (profile_unrefused(prof, rule_param_strings(ctx, "refuse"), open, sizeof(open)) > 0) {
                snprintf(what, sizeof(what), "leaves open %s", open);
                report_weak(ctx, prof, NULL, what,
                            "a profile that refuses none of what reaches the host kernel directly counts as no "
                            "profile; use one that refuses them (Docker's and podman's default profiles do), or let "
                            "the fix install the built-in one");
        }
        return 0;
}

static int fix_seccomp(struct rule_ctx *ctx, rh_error_t *err)
{
        struct jdoc *d = ctx->spec->doc;
        const struct jdoc *repl = NULL;
        struct jv *l = jv_get(ctx->spec->root, "linux");

        if (replacement_load(ctx, &repl, err) < 0)
                return -EINVAL;
        if (!l) {
                l = jv_new(d, JV_OBJECT);
                if (!l || jv_obj_put(d, ctx->spec->root, "linux", l) < 0)
                        return rh_error_set(err, ENOMEM, "cannot add linux");
        }
        if (jv_obj_put(d, l, "seccomp", jv_copy(d, repl->root)) < 0)
                return rh_error_set(err, ENOMEM, "cannot set linux.seccomp");
        return 0;
}

static const struct param_def seccomp_params[] = {
        {"profile", PARAM_STRING, "\"\"", 0, 0,
         "the profile (OCI linux.seccomp JSON) given to containers without one; \"\" is the built-in profile"},
        {"refuse", PARAM_STRINGS, REFUSE_DEFAULT_JSON, 0, 0,
         "system calls every profile must refuse for all arguments, or it counts as no profile (the built-in "
         "profile and Docker's and podman's defaults refuse these; add unshare, mount, setns, keyctl where the "
         "engines' profiles do)",
         check_refuse_list},
        {0},
};

const struct rule rules_seccomp[] = {
        {
                .id = "seccomp",
                .summary = "containers run without a seccomp profile, or with one that leaves open what reaches the "
                           "host kernel directly",
                .guide = "RUN-5",
                .default_action = ACTION_FIX,
                .scope = SCOPE_CONFIG,
                .params = seccomp_params,
                .check = check_seccomp,
                .fix = fix_seccomp,
        },
        {0},
};
