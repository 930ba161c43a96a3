/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <cap-ng.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "capabilities.h"
#include "rules.h"
#include "util.h"

/* The five sets of process.capabilities, in the order runc applies them. */
static const char *const cap_sets[] = {"bounding", "effective", "inheritable", "permitted", "ambient"};

/* Every capability from CAP_CHOWN to CAP_AUDIT_READ (0..37): what
 * `docker run --privileged` grants on any kernel, and what every engine's
 * privileged mode includes. Newer capabilities (PERFMON, BPF,
 * CHECKPOINT_RESTORE) are left out so that an older engine's privileged
 * spec is recognised too. */
#define CAP_PRIVILEGED_LAST 37
#define CAP_PRIVILEGED_MASK ((UINT64_C(1) << (CAP_PRIVILEGED_LAST + 1)) - 1)

/* A capability name as the runtimes accept it, and more broadly: runc
 * takes only "CAP_SYS_ADMIN", other runtimes also "sys_admin" in any case.
 * The "CAP_" prefix is optional and the case does not matter; libcap-ng
 * knows the names. -1 when nobody knows the name. */
static int cap_lookup(const char *name)
{
        if (strncasecmp(name, "cap_", 4) == 0)
                name += 4;
        if (!*name)
                return -1;
        int c = capng_name_to_capability(name);
        return c >= 0 && c < 64 ? c : -1;
}

/* libcap-ng searches its table with strcasecmp; every spec names the same
 * dozen capabilities in five sets, so answers are remembered by spelling. */
#define CAP_MEMO 128
static struct {
        char name[32];
        int c;
} cap_memo[CAP_MEMO];

static int cap_from_name(const char *name)
{
        size_t len = strlen(name), h = 5381;

        if (len >= sizeof(cap_memo[0].name))
                return cap_lookup(name);
        for (const char *p = name; *p; p++)
                h = h * 33 + (unsigned char)*p;
        for (size_t k = 0, i = h % CAP_MEMO; k < CAP_MEMO; k++, i = (i + 1) % CAP_MEMO) {
                if (!cap_memo[i].name[0]) {
                        memcpy(cap_memo[i].name, name, len + 1);
                        return cap_memo[i].c = cap_lookup(name);
                }
                if (STREQ(cap_memo[i].name, name))
                        return cap_memo[i].c;
        }
        return cap_lookup(name);
}

int capability_from_name(const char *name)
{
        return cap_from_name(name);
}

/* "CAP_SYS_ADMIN" for the messages; buf holds at least 64 bytes. */
static const char *cap_display(int c, char *buf, size_t len)
{
        const char *n = capng_capability_to_name((unsigned)c);
        size_t i = 0;

        if (!n) {
                snprintf(buf, len, "capability %d", c);
                return buf;
        }
        i = (size_t)snprintf(buf, len, "CAP_");
        for (; *n && i + 1 < len; n++)
                buf[i++] = (char)(*n >= 'a' && *n <= 'z' ? *n - 'a' + 'A' : *n);
        buf[i] = '\0';
        return buf;
}

/* The policy's allowed set as a mask; a name nobody knows is a warning
 * about the policy, not about the container. */
static uint64_t allowed_mask(struct rule_ctx *ctx)
{
        const struct jv *a = rule_param_strings(ctx, "allowed");
        uint64_t mask = 0;

        for (size_t i = 0; i < a->u.arr.n; i++) {
                int c = cap_from_name(a->u.arr.v[i]->u.str.s);
                if (c < 0) {
                        rule_report_warn(ctx, NULL, "",
                                         "the policy allows a capability \"%s\" that does not exist; "
                                         "fix capabilities.allowed",
                                         a->u.arr.v[i]->u.str.s);
                        continue;
                }
                mask |= UINT64_C(1) << c;
        }
        return mask;
}

/* One set as a mask; an item that is not a known capability name is
 * spec-invalid (runc would skip it with a warning, another runtime might
 * read it otherwise: what cannot be read one way is not judged). */
static int set_mask(struct rule_ctx *ctx, const struct jv *set, uint64_t *ret)
{
        *ret = 0;
        for (size_t i = 0; i < set->u.arr.n; i++) {
                const struct jv *item = set->u.arr.v[i];
                const char *name;
                if (!jv_is(item, JV_STRING) || !jv_cstr(item, &name))
                        return rule_invalid(ctx, item, NULL, "must be a capability name (a string)");
                int c = cap_from_name(name);
                if (c < 0)
                        return rule_invalid(ctx, item, NULL,
                                            "\"%s\" is not a capability this host knows "
                                            "(write it as CAP_NAME, e.g. CAP_NET_BIND_SERVICE)",
                                            name);
                *ret |= UINT64_C(1) << c;
        }
        return 0;
}

static void list_caps(uint64_t mask, char *out, size_t len)
{
        char name[64];
        size_t used = 0;

        out[0] = '\0';
        for (int c = 0; c < 64 && used < len; c++)
                if (mask & (UINT64_C(1) << c))
                        used += (size_t)snprintf(out + used, len - used, "%s%s", used ? ", " : "",
                                                 cap_display(c, name, sizeof(name)));
}

static void report_privileged(struct rule_ctx *ctx, const struct jv *set)
{
        if (ctx->kind == CHECK_EXEC)
                rule_report_unfixable(ctx, set, NULL,
                                      "grants every capability: this is a privileged exec (docker exec "
                                      "--privileged), and privileged processes are refused; exec without "
                                      "--privileged");
        else
                rule_report_unfixable(ctx, set, NULL,
                                      "grants every capability: this is a privileged container (docker run "
                                      "--privileged), and privileged containers are refused; run it without "
                                      "--privileged and add only the capabilities it needs (--cap-add)");
}

static int check_capabilities(struct rule_ctx *ctx)
{
        struct jv *proc = NULL, *caps = NULL, *sets[ARRAY_SIZE(cap_sets)] = {NULL};
        uint64_t masks[ARRAY_SIZE(cap_sets)] = {0};

        if (rule_get_object(ctx, ctx->spec->root, "process", &proc) < 0 || !proc)
                return 0;
        /* No capabilities object: runc starts the process with none. */
        if (rule_get_object(ctx, proc, "capabilities", &caps) < 0 || !caps)
                return 0;
        for (size_t s = 0; s < ARRAY_SIZE(cap_sets); s++)
                if (rule_get_array(ctx, caps, cap_sets[s], &sets[s]) < 0 ||
                    (sets[s] && set_mask(ctx, sets[s], &masks[s]) < 0))
                        return 0; /* spec-invalid already */

        for (size_t s = 0; s < ARRAY_SIZE(cap_sets); s++)
                if (sets[s] && (masks[s] & CAP_PRIVILEGED_MASK) == CAP_PRIVILEGED_MASK) {
                        /* One plain finding, not a list of thirty
                         * capabilities per set. */
                        report_privileged(ctx, sets[s]);
                        return 0;
                }

        uint64_t allowed = allowed_mask(ctx);
        for (size_t s = 0; s < ARRAY_SIZE(cap_sets); s++) {
                uint64_t extra = masks[s] & ~allowed;
                char list[2048];
                if (!sets[s] || !extra)
                        continue;
                list_caps(extra, list, sizeof(list));
                rule_report(ctx, sets[s], NULL,
                            "grants %s beyond the allowed capabilities; drop %s (no --cap-add, or "
                            "--cap-drop) or allow %s in the policy (capabilities.allowed)",
                            list, __builtin_popcountll(extra) > 1 ? "them" : "it",
                            __builtin_popcountll(extra) > 1 ? "them" : "it");
        }
        return 0;
}

/* Keeps the allowed items of each set, with their original spelling, in
 * their order. Items that are not capability names are left for
 * spec-invalid to refuse. */
static int fix_capabilities(struct rule_ctx *ctx, rh_error_t *err)
{
        struct jv *caps = jv_get(jv_get(ctx->spec->root, "process"), "capabilities");
        uint64_t allowed = 0;
        const struct jv *a = rule_param_strings(ctx, "allowed");

        (void)err;
        for (size_t i = 0; i < a->u.arr.n; i++) {
                int c = cap_from_name(a->u.arr.v[i]->u.str.s);
                if (c >= 0)
                        allowed |= UINT64_C(1) << c;
        }
        for (size_t s = 0; s < ARRAY_SIZE(cap_sets); s++) {
                struct jv *set = jv_get(caps, cap_sets[s]);
                size_t kept = 0;
                if (!jv_is(set, JV_ARRAY))
                        continue;
                for (size_t i = 0; i < set->u.arr.n; i++) {
                        const char *name;
                        int c = jv_cstr(set->u.arr.v[i], &name) ? cap_from_name(name) : -1;
                        if (c < 0 || (allowed & (UINT64_C(1) << c)))
                                set->u.arr.v[kept++] = set->u.arr.v[i];
                }
                set->u.arr.n = kept;
        }
        return 0;
}

static const struct param_def capabilities_params[] = {
        {"allowed", PARAM_STRINGS,
         "[\"CAP_CHOWN\", \"CAP_DAC_OVERRIDE\", \"CAP_FSETID\", \"CAP_FOWNER\", \"CAP_MKNOD\", \"CAP_NET_RAW\", "
         "\"CAP_SETGID\", \"CAP_SETUID\", \"CAP_SETFCAP\", \"CAP_SETPCAP\", \"CAP_NET_BIND_SERVICE\", "
         "\"CAP_SYS_CHROOT\", \"CAP_KILL\", \"CAP_AUDIT_WRITE\"]",
         0, 0, "capabilities a process may hold (any case, CAP_ prefix optional); the default is Docker's default set"},
        {0},
};

const struct rule rules_capabilities[] = {
        {
                .id = "capabilities",
                .summary = "processes hold capabilities beyond the allowed set, or every capability (privileged)",
                .guide = "RUN-5",
                .default_action = ACTION_DENY,
                .scope = SCOPE_CONFIG | SCOPE_EXEC,
                .params = capabilities_params,
                .check = check_capabilities,
                .fix = fix_capabilities,
        },
        {0},
};
