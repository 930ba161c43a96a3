/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "config.h"
#include "lsm_host.h"
#include "rules.h"
#include "util.h"

#if HAVE_SELINUX
#include <selinux/context.h>
#include <selinux/selinux.h>
#endif

/* ===================================================================== */
/* apparmor                                                              */
/* ===================================================================== */

#if HAVE_APPARMOR
static bool is_unconfined(const char *profile)
{
        return !profile || !*profile || STREQ(profile, "unconfined");
}

/* Whether the host has the profile; a finding when it does not, or when
 * the loaded profiles cannot be read (fail closed; only a warning in
 * lint, whose host is not the one that will run the container). */
static bool profile_usable(struct rule_ctx *ctx, const struct jv *at, const char *suffix, const char *profile,
                           bool policy)
{
        int r = lsm_host()->apparmor_profile_loaded(profile);
        if (r > 0)
                return true;
        if (ctx->spec->offline) {
                rule_report_warn(ctx, at, suffix,
                                 "the AppArmor profile %s is not loaded on this host; load it where the container "
                                 "runs (apparmor_parser -r)",
                                 profile);
                return false;
        }
        if (r == 0 && policy)
                rule_report_unfixable(ctx, at, suffix,
                                      "the policy's AppArmor profile %s is not loaded, so the container cannot be "
                                      "given it; load it (apparmor_parser -r /etc/apparmor.d/%s)",
                                      profile, profile);
        else if (r == 0)
                rule_report_unfixable(ctx, at, suffix,
                                      "the AppArmor profile %s is not loaded, so runc cannot apply it; load it "
                                      "(apparmor_parser -r FILE) or name a loaded one",
                                      profile);
        else
                rule_report_unfixable(ctx, at, suffix,
                                      "cannot tell whether the AppArmor profile %s is loaded (%s); refusing what "
                                      "cannot be checked",
                                      profile, strerror(-r));
        return false;
}

static void check_apparmor_enabled(struct rule_ctx *ctx, struct jv *proc, const char *profile)
{
        const char *want = rule_param_string(ctx, "profile");

        if (!is_unconfined(profile)) {
                profile_usable(ctx, jv_get(proc, "apparmorProfile"), NULL, profile, false);
                return;
        }
        /* runc gives an exec process without a profile the container's. */
        if (ctx->kind == CHECK_EXEC && (!profile || !*profile))
                return;
        if (is_unconfined(want)) {
                rule_report_unfixable(ctx, proc, "apparmorProfile",
                                      "runs unconfined by AppArmor, and the policy names no profile to give it "
                                      "(apparmor.profile); set one");
                return;
        }
        if (!profile_usable(ctx, proc, "apparmorProfile", want, true))
                return;
        rule_report(ctx, proc, "apparmorProfile",
                    "%s: the container runs unconfined by AppArmor; give it a profile (no --security-opt "
                    "apparmor=unconfined), such as %s",
                    profile ? "is unconfined" : "is not set", want);
}
#endif

static int check_apparmor(struct rule_ctx *ctx)
{
        struct jv *proc = NULL;
        const char *profile = NULL;

        if (rule_get_object(ctx, ctx->spec->root, "process", &proc) < 0 || !proc ||
            rule_get_string(ctx, proc, "apparmorProfile", &profile) < 0)
                return 0;
#if HAVE_APPARMOR
        const struct lsm_host *h = lsm_host();
        if (h->apparmor_enabled()) {
                check_apparmor_enabled(ctx, proc, profile);
                return 0;
        }
        if (profile && *profile && !STREQ(profile, "unconfined"))
                rule_report_warn(ctx, jv_get(proc, "apparmorProfile"), NULL,
                                 "AppArmor is not enabled on this host, so the profile %s cannot be enforced "
                                 "(runc fails to apply it); enable AppArmor in the kernel or remove the profile",
                                 profile);
        else if (ctx->kind == CHECK_CONFIG && !h->selinux_enabled())
                /* With SELinux enabled the container is confined by the
                 * selinux rule; a host runs one of the two. */
                rule_report_warn(ctx, proc, "apparmorProfile",
                                 "the host cannot enforce AppArmor (it is not enabled in the kernel) and SELinux is "
                                 "not enabled either, so the container runs without mandatory access control; "
                                 "enable AppArmor (apparmor=1 security=apparmor on the kernel command line) and "
                                 "load runc-harden-default");
#else
        if (ctx->kind == CHECK_CONFIG || profile)
                rule_report_warn(ctx, proc, "apparmorProfile",
                                 "this runc-harden was built without AppArmor support (libapparmor), so "
                                 "process.apparmorProfile is not checked");
#endif
        return 0;
}

static int fix_apparmor(struct rule_ctx *ctx, rh_error_t *err)
{
        struct jdoc *d = ctx->spec->doc;
        struct jv *proc = jv_get(ctx->spec->root, "process");

        if (!proc || jv_obj_put(d, proc, "apparmorProfile", jv_new_string(d, rule_param_string(ctx, "profile"))) < 0)
                return rh_error_set(err, ENOMEM, "cannot set process.apparmorProfile");
        return 0;
}

static const struct param_def apparmor_params[] = {
        {"profile", PARAM_STRING, "\"runc-harden-default\"", 0, 0,
         "the AppArmor profile given to containers that have none or are unconfined; it must be loaded"},
        {0},
};

/* ===================================================================== */
/* selinux                                                               */
/* ===================================================================== */

#if HAVE_SELINUX
static inline void context_freep(context_t *c)
{
        if (*c)
                context_free(*c);
}
#define _cleanup_context_ _cleanup_(context_freep)

#define MCS_CATEGORIES 1024 /* c0.c1023, the range container policies give containers */

/* The value of key in the container contexts file: lines of
 * `key = "context"`, # comments. */
static int lxc_context(const char *key, char **ret, rh_error_t *err)
{
        const char *path = selinux_lxc_contexts_path();
        _cleanup_fclose_ FILE *f = NULL;
        _cleanup_free_ char *line = NULL;
        size_t cap = 0, klen = strlen(key);

        if (!path)
                return rh_error_set(err, ENOENT, "libselinux knows no container contexts file");
        if (!(f = fopen(path, "re")))
                return rh_error_set(err, errno, "cannot read %s: %m", path);
        while (getline(&line, &cap, f) > 0) {
                char *p = line + strspn(line, " \t"), *e;
                if (strncmp(p, key, klen) != 0 || !strchr(" \t=", p[klen]))
                        continue;
                p += klen + strspn(p + klen, " \t");
                if (*p++ != '=')
                        continue;
                p += strspn(p, " \t\"");
                e = p + strcspn(p, "\"\n# \t");
                if (e == p)
                        break;
                if (!(*ret = strndup(p, (size_t)(e - p))))
                        return rh_error_set(err, ENOMEM, "out of memory");
                return 0;
        }
        return rh_error_set(err, ENOENT, "%s has no %s context", path, key);
}

/* "s0:cA,cB" with two distinct categories, fresh for each container so
 * that one container's processes cannot reach another's files. */
static int mcs_fresh(const char *sensitivity, char **ret, rh_error_t *err)
{
        unsigned r[2], c1, c2;

        do {
                if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
                        return rh_error_set(err, errno ? errno : EIO, "cannot pick MCS categories: %m");
                c1 = r[0] % MCS_CATEGORIES;
                c2 = r[1] % MCS_CATEGORIES;
        } while (c1 == c2);
        if (asprintf(ret, "%s:c%u,c%u", sensitivity, c1 < c2 ? c1 : c2, c1 < c2 ? c2 : c1) < 0)
                return rh_error_set(err, ENOMEM, "out of memory");
        return 0;
}

/* base with its MLS range replaced. */
static int context_with_range(const char *base, const char *range, char **ret, rh_error_t *err)
{
        _cleanup_context_ context_t c = context_new(base);
        const char *s;

        if (!c)
                return rh_error_set(err, EINVAL, "\"%s\" is not an SELinux context", base);
        if (context_range_set(c, range) != 0 || !(s = context_str(c)))
                return rh_error_set(err, EINVAL, "cannot give %s the range %s", base, range);
        if (!(*ret = strdup(s)))
                return rh_error_set(err, ENOMEM, "out of memory");
        return 0;
}

/* The sensitivity of a context's range ("s0" of "s0-s0:c0.c1023"). */
static char *context_sensitivity(const char *ctx)
{
        _cleanup_context_ context_t c = context_new(ctx);
        const char *range = c ? context_range_get(c) : NULL;

        if (!range)
                return strdup("s0");
        return strndup(range, strcspn(range, "-:"));
}

/* The labels the fix gives a container: the container contexts of this
 * host's policy, sharing one MCS pair; an existing mount label's range
 * is kept, so that the process can use the files labelled for it. */
static int labels_make(const char *mount_label, char **ret_process, char **ret_file, rh_error_t *err)
{
        _cleanup_free_ char *proc_base = NULL, *file_base = NULL, *sens = NULL, *range = NULL;
        _cleanup_context_ context_t m = NULL;

        if (lxc_context("process", &proc_base, err) < 0 || lxc_context("file", &file_base, err) < 0)
                return -EINVAL;
        if (mount_label) {
                m = context_new(mount_label);
                if (!m || !context_range_get(m))
                        return rh_error_set(err, EINVAL, "linux.mountLabel is not an SELinux context with a range");
                if (!(range = strdup(context_range_get(m))))
                        return rh_error_set(err, ENOMEM, "out of memory");
        } else {
                if (!(sens = context_sensitivity(proc_base)))
                        return rh_error_set(err, ENOMEM, "out of memory");
                if (mcs_fresh(sens, &range, err) < 0)
                        return -EINVAL;
        }
        if (context_with_range(proc_base, range, ret_process, err) < 0)
                return -EINVAL;
        if (!mount_label && context_with_range(file_base, range, ret_file, err) < 0) {
                free(*ret_process);
                *ret_process = NULL;
                return -EINVAL;
        }
        return 0;
}

/* A label the kernel must accept, and, for a process, not a type the
 * policy leaves unconfined. Without selinuxfs (the kernel interface)
 * security_check_context() fails with ENOENT: the label cannot be
 * checked, which denies (a warning in lint). */
static void check_label(struct rule_ctx *ctx, const struct jv *at, const char *label, bool process)
{
        _cleanup_context_ context_t c = context_new(label);
        const char *type = c ? context_type_get(c) : NULL;

        if (!type) {
                rule_report_unfixable(ctx, at, NULL, "is not an SELinux context (user:role:type:level)");
                return;
        }
        if (process && rule_param_strings_contains(ctx, "forbidden-types", type)) {
                rule_report_unfixable(ctx, at, NULL,
                                      "runs the process as %s, a type SELinux does not confine; remove "
                                      "--security-opt label=disable or label=type:%s and let the engine label "
                                      "the container",
                                      type, type);
                return;
        }
        if (security_check_context(label) == 0)
                return;
        if (errno == ENOENT) {
                if (ctx->spec->offline)
                        rule_report_warn(ctx, at, NULL, "cannot be validated on this host (no selinuxfs)");
                else
                        rule_report_unfixable(ctx, at, NULL,
                                              "cannot be validated: the kernel's SELinux interface (selinuxfs) "
                                              "is not mounted; refusing a label that cannot be checked");
        } else if (ctx->spec->offline) {
                rule_report_warn(ctx, at, NULL, "is not a valid context in this host's SELinux policy (%m)");
        } else {
                rule_report_unfixable(ctx, at, NULL,
                                      "is not a valid context in the loaded SELinux policy (%m); runc could not "
                                      "apply it");
        }
}

static void report_unlabelled(struct rule_ctx *ctx, struct jv *proc, const char *mount_label)
{
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        _cleanup_free_ char *p = NULL, *f = NULL;

        if (labels_make(mount_label, &p, &f, &err) < 0) {
                rule_report_unfixable(ctx, proc, "selinuxLabel",
                                      "is not set, and runc-harden cannot label the container (%s); set "
                                      "process.selinuxLabel (start the engine with --selinux-enabled)",
                                      rh_error_msg(&err));
                return;
        }
        rule_report(ctx, proc, "selinuxLabel",
                    "is not set: the container would run in the runtime's own SELinux domain; give it a "
                    "container label (dockerd --selinux-enabled), such as the policy's container type with a "
                    "private pair of MCS categories");
}

static void check_selinux_enabled(struct rule_ctx *ctx, struct jv *proc, const char *label, const struct jv *mount_node,
                                  const char *mount_label)
{
        if (label)
                check_label(ctx, jv_get(proc, "selinuxLabel"), label, true);
        else if (ctx->kind == CHECK_CONFIG)
                report_unlabelled(ctx, proc, mount_label);
        if (mount_label)
                check_label(ctx, mount_node, mount_label, false);
}
#endif

static int check_selinux(struct rule_ctx *ctx)
{
        struct jv *proc = NULL, *l = NULL;
        const char *label = NULL, *mount_label = NULL;

        if (rule_get_object(ctx, ctx->spec->root, "process", &proc) < 0 || !proc ||
            rule_get_string(ctx, proc, "selinuxLabel", &label) < 0)
                return 0;
        if (label && !*label)
                label = NULL; /* runc: "" is no label */
        if (ctx->kind == CHECK_CONFIG && (rule_get_object(ctx, ctx->spec->root, "linux", &l) < 0 ||
                                          rule_get_string(ctx, l, "mountLabel", &mount_label) < 0))
                return 0;
        if (mount_label && !*mount_label)
                mount_label = NULL;
#if HAVE_SELINUX
        const struct lsm_host *h = lsm_host();
        if (h->selinux_enabled()) {
                check_selinux_enabled(ctx, proc, label, jv_get(l, "mountLabel"), mount_label);
                return 0;
        }
        if (label || mount_label)
                rule_report_warn(ctx, label ? jv_get(proc, "selinuxLabel") : jv_get(l, "mountLabel"), NULL,
                                 "SELinux is not enabled on this host, so the label cannot be enforced (runc "
                                 "refuses a process label when SELinux is disabled); enable SELinux or remove it");
        else if (ctx->kind == CHECK_CONFIG && !h->apparmor_enabled())
                rule_report_warn(ctx, proc, "selinuxLabel",
                                 "the host cannot enforce SELinux (it is not enabled in the kernel) and AppArmor is "
                                 "not enabled either, so the container runs without mandatory access control; "
                                 "enable SELinux with a policy that has container types, or AppArmor");
#else
        if (ctx->kind == CHECK_CONFIG || label)
                rule_report_warn(ctx, proc, "selinuxLabel",
                                 "this runc-harden was built without SELinux support (libselinux), so SELinux "
                                 "labels are not checked");
#endif
        return 0;
}

static int fix_selinux(struct rule_ctx *ctx, rh_error_t *err)
{
#if HAVE_SELINUX
        struct jdoc *d = ctx->spec->doc;
        struct jv *proc = jv_get(ctx->spec->root, "process"), *l = jv_get(ctx->spec->root, "linux");
        const char *mount_label = NULL;
        _cleanup_free_ char *p = NULL, *f = NULL;

        if (!proc)
                return 0;
        if (jv_cstr(jv_get(l, "mountLabel"), &mount_label) && !*mount_label)
                mount_label = NULL;
        if (labels_make(mount_label, &p, &f, err) < 0)
                return -EINVAL;
        if (jv_obj_put(d, proc, "selinuxLabel", jv_new_string(d, p)) < 0)
                return rh_error_set(err, ENOMEM, "cannot set process.selinuxLabel");
        if (!f)
                return 0;
        if (!l && (!(l = jv_new(d, JV_OBJECT)) || jv_obj_put(d, ctx->spec->root, "linux", l) < 0))
                return rh_error_set(err, ENOMEM, "cannot add linux");
        if (jv_obj_put(d, l, "mountLabel", jv_new_string(d, f)) < 0)
                return rh_error_set(err, ENOMEM, "cannot set linux.mountLabel");
        return 0;
#else
        (void)ctx;
        return rh_error_set(err, EOPNOTSUPP, "built without SELinux support");
#endif
}

static const struct param_def selinux_params[] = {
        {"forbidden-types", PARAM_STRINGS, "[\"spc_t\", \"unconfined_t\"]", 0, 0,
         "process types a container may not run as: the unconfined and super-privileged ones"},
        {0},
};

const struct rule rules_lsm[] = {
        {
                .id = "apparmor",
                .summary = "containers run without an AppArmor profile, or with one the host has not loaded",
                .guide = "RUN-1",
                .default_action = ACTION_FIX,
                .scope = SCOPE_CONFIG | SCOPE_EXEC,
                .params = apparmor_params,
                .check = check_apparmor,
                .fix = fix_apparmor,
        },
        {
                .id = "selinux",
                .summary = "containers run without an SELinux label, with an invalid one, or as an unconfined type",
                .guide = "RUN-2",
                .default_action = ACTION_FIX,
                .scope = SCOPE_CONFIG | SCOPE_EXEC,
                .params = selinux_params,
                .check = check_selinux,
                .fix = fix_selinux,
        },
        {0},
};
