/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <check.h>
#include <errno.h>
#include <ftw.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "engine.h"
#include "fileio.h"
#include "mountinfo.h"
#include "policy.h"
#include "spec.h"
#include "util.h"

/* Tests own what they make through the same cleanup attributes as the
 * code (_cleanup_eval_, _cleanup_spec_, _cleanup_policy_, _cleanup_free_,
 * _cleanup_error_); a local used twice is handed its next value with
 * these, which release the last one first. */
static inline void eval_replace(struct eval *ev, struct eval next)
{
        eval_done(ev);
        *ev = next;
}

static inline void spec_replace(struct spec **s, struct spec *next)
{
        spec_free(*s);
        *s = next;
}

static inline void policy_replace(struct policy **p, struct policy *next)
{
        policy_free(*p);
        *p = next;
}

static inline struct spec *parse_spec_kind(const char *json, spec_kind_t kind)
{
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        struct spec *s = NULL;
        int r = spec_parse(json, strlen(json), kind, &s, &err);
        ck_assert_msg(r == 0, "spec did not parse: %s", rh_error_msg(&err));
        return s;
}

static inline struct spec *parse_spec(const char *json)
{
        return parse_spec_kind(json, SPEC_CONFIG);
}

/* Parses and expects a failure whose message contains want. */
static inline void expect_spec_error(const char *json, size_t len, spec_kind_t kind, const char *want)
{
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        struct spec *s = NULL;
        int r = spec_parse(json, len, kind, &s, &err);
        ck_assert_msg(r < 0, "spec parsed but should not have: %.*s", (int)(len > 200 ? 200 : len), json);
        ck_assert_msg(strstr(rh_error_msg(&err), want), "error \"%s\" lacks \"%s\"", rh_error_msg(&err), want);
}

/* Parses a policy document and expects a refusal whose message has want. */
static inline void expect_policy_error(const char *buf, size_t len, const char *want)
{
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        struct policy *p = NULL;
        int r = policy_parse(buf, len, "test", &p, &err);
        ck_assert_msg(r < 0, "policy parsed but should not have: %.*s", (int)(len > 200 ? 200 : len), buf);
        ck_assert_ptr_null(p);
        ck_assert_msg(strstr(rh_error_msg(&err), want), "error \"%s\" lacks \"%s\"", rh_error_msg(&err), want);
}

/* expect_policy_error() of a NUL-terminated document. */
static inline void expect_policy_refused(const char *json, const char *want)
{
        expect_policy_error(json, strlen(json), want);
}

static inline struct policy *builtin_policy(void)
{
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        struct policy *p = NULL;
        ck_assert_int_eq(policy_builtin(&p, &err), 0);
        return p;
}

/* The built-in policy with every rule off except those named (NULL-ended
 * list): engine tests stay about the engine as rule families grow. */
static inline struct policy *policy_only(const char *const *ids)
{
        struct policy *p = builtin_policy();
        for (size_t i = 0; i < rules_count(); i++) {
                bool keep = false;
                for (const char *const *id = ids; *id; id++)
                        if (strcmp(rules_get(i)->id, *id) == 0)
                                keep = true;
                if (!keep && strcmp(rules_get(i)->id, "spec-invalid") != 0)
                        p->conf[i].action = ACTION_OFF;
        }
        return p;
}

static inline struct policy *foundation_policy(void)
{
        static const char *const ids[] = {"host-namespace", "engine-socket", "readonly-rootfs", "no-new-privileges",
                                          NULL};
        return policy_only(ids);
}

static inline struct policy *policy_from(const char *json)
{
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        struct policy *p = NULL;
        int r = policy_parse(json, strlen(json), "test", &p, &err);
        ck_assert_msg(r == 0, "policy did not parse: %s", rh_error_msg(&err));
        return p;
}

static inline void evaluate(struct policy *p, struct spec *s, check_kind_t kind, struct eval *ev)
{
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        ck_assert_int_eq(engine_evaluate(p, s, kind, ev, &err), 0);
}

static inline char *read_file(const char *path, size_t *ret_len)
{
        char *buf = NULL;
        int r = read_full_file(path, SIZE_MAX, &buf, ret_len);
        ck_assert_msg(r == 0, "cannot read %s: %s", path, strerror(-r));
        return buf;
}

static inline char *corpus_path(const char *name)
{
        const char *dir = getenv("RH_CORPUS");
        char *p = NULL;
        ck_assert_msg(dir != NULL, "RH_CORPUS is not set");
        ck_assert(asprintf(&p, "%s/%s", dir, name) > 0);
        return p;
}

static inline struct spec *corpus_spec_kind(const char *name, spec_kind_t kind)
{
        _cleanup_free_ char *p = corpus_path(name);
        size_t len;
        _cleanup_free_ char *buf = read_file(p, &len);
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        struct spec *s = NULL;
        ck_assert_msg(spec_parse(buf, len, kind, &s, &err) == 0, "%s: %s", p, rh_error_msg(&err));
        return s;
}

static inline struct spec *corpus_spec(const char *name)
{
        return corpus_spec_kind(name, SPEC_CONFIG);
}

/* --- the rule tests' fixture: one helper per job, one signature each -- */

/* Namespace lists for specs: every type runc makes by default, and the
 * same without the network namespace (for tests that add their own). */
#define NS_NO_NET "{\"type\":\"pid\"},{\"type\":\"ipc\"},{\"type\":\"uts\"},{\"type\":\"mount\"}"
#define NS_ALL NS_NO_NET ",{\"type\":\"network\"}"

/* A bundle directory that does not exist: rules that look into the
 * bundle find nothing there. */
#define NO_BUNDLE "/nonexistent-bundle"

/* The built-in policy, or one changed by a policy document (NULL: none),
 * with every rule off but rule and spec-invalid. */
static inline struct policy *only_rule(const char *rule, const char *policy_json)
{
        struct policy *p = policy_json ? policy_from(policy_json) : builtin_policy();
        for (size_t i = 0; i < rules_count(); i++)
                if (strcmp(rules_get(i)->id, rule) != 0 && strcmp(rules_get(i)->id, "spec-invalid") != 0)
                        p->conf[i].action = ACTION_OFF;
        return p;
}

static inline void set_action(struct policy *p, const char *rule, rh_action_t a)
{
        size_t i;
        ck_assert_msg(rules_find(rule, &i) != NULL, "no rule %s", rule);
        p->conf[i].action = a;
}

/* The findings for a parsed document of kind (CHECK_CONFIG, _EXEC,
 * _UPDATE) under p. */
static inline struct eval eval_spec(struct policy *p, struct spec *s, check_kind_t kind)
{
        struct eval ev = {0};
        evaluate(p, s, kind, &ev);
        return ev;
}

static inline check_kind_t check_kind_of(spec_kind_t kind)
{
        return kind == SPEC_PROCESS ? CHECK_EXEC : kind == SPEC_RESOURCES ? CHECK_UPDATE : CHECK_CONFIG;
}

/* How eval_with() takes a document's text. */
struct eval_opts {
        const char *policy; /* a policy document, when no policy is given; NULL: the built-in policy */
        spec_kind_t kind;   /* SPEC_CONFIG unless set; judged as its check kind */
        bool offline;       /* judged without the host (lint's --offline) */
        const char *bundle; /* the spec's bundle; NULL leaves none */
};

/* The findings for json under p (NULL: o.policy, else the built-in
 * policy). */
static inline struct eval eval_with(struct policy *p, const char *json, struct eval_opts o)
{
        _cleanup_policy_ struct policy *own = p ? NULL : o.policy ? policy_from(o.policy) : builtin_policy();
        _cleanup_spec_ struct spec *s = parse_spec_kind(json, o.kind);

        if (o.bundle)
                ck_assert_ptr_nonnull(s->bundle = strdup(o.bundle));
        s->offline = o.offline;
        return eval_spec(p ? p : own, s, check_kind_of(o.kind));
}

/* A config.json's findings under p (NULL: the built-in policy), no bundle. */
static inline struct eval eval_json(struct policy *p, const char *json)
{
        return eval_with(p, json, (struct eval_opts){0});
}

/* A config.json's findings under a policy document (NULL: the built-in
 * policy), its bundle a directory that does not exist. */
static inline struct eval eval_doc(const char *policy_json, const char *json)
{
        return eval_with(NULL, json, (struct eval_opts){.policy = policy_json, .bundle = NO_BUNDLE});
}

/* A corpus spec's findings under the built-in policy, as eval_doc(). */
static inline struct eval eval_corpus(const char *name, bool offline)
{
        _cleanup_policy_ struct policy *p = builtin_policy();
        _cleanup_spec_ struct spec *s = corpus_spec(name);

        s->offline = offline;
        ck_assert_ptr_nonnull(s->bundle = strdup(NO_BUNDLE));
        return eval_spec(p, s, CHECK_CONFIG);
}

/* Evaluates and applies the fixes, whatever the verdict. */
static inline void apply_fixes(struct policy *p, struct spec *s, check_kind_t kind)
{
        _cleanup_eval_ struct eval ev = eval_spec(p, s, kind);
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        ck_assert_msg(engine_apply_fixes(p, s, kind, &ev, &err) == 0, "fix failed: %s", rh_error_msg(&err));
}

/* The verdict is fix, and the fixes apply. */
static inline void fix_ok(struct policy *p, struct spec *s, check_kind_t kind)
{
        _cleanup_eval_ struct eval ev = eval_spec(p, s, kind);
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        ck_assert_int_eq(eval_verdict(&ev), VERDICT_FIX);
        ck_assert_msg(engine_apply_fixes(p, s, kind, &ev, &err) == 0, "fix failed: %s", rh_error_msg(&err));
}

/* The first finding of rule (not exempted unless asked), or NULL. */
static inline const struct finding *find(const struct eval *ev, const char *rule)
{
        for (size_t i = 0; i < ev->n; i++)
                if (strcmp(ev->findings[i].rule, rule) == 0)
                        return &ev->findings[i];
        return NULL;
}

/* The first finding of rule; the test fails without one. */
static inline const struct finding *must_find(const struct eval *ev, const char *rule)
{
        const struct finding *f = find(ev, rule);
        ck_assert_msg(f != NULL, "no %s finding", rule);
        return f;
}

/* The first finding of rule, with action and, unless NULL, at pointer
 * and with text in its message. */
static inline const struct finding *expect(const struct eval *ev, const char *rule, rh_action_t action,
                                           const char *pointer, const char *text)
{
        const struct finding *f = must_find(ev, rule);
        ck_assert_msg(f->action == action, "%s: action %s, expected %s (%s)", rule, action_name(f->action),
                      action_name(action), f->message);
        if (pointer)
                ck_assert_msg(strcmp(f->pointer, pointer) == 0, "%s: at %s, expected %s (%s)", rule, f->pointer,
                              pointer, f->message);
        if (text)
                ck_assert_msg(strstr(f->message, text), "%s: \"%s\" lacks \"%s\"", rule, f->message, text);
        return f;
}

static inline void expect_none(const struct eval *ev, const char *rule)
{
        const struct finding *f = find(ev, rule);
        ck_assert_msg(f == NULL, "unexpected %s finding at %s: %s", rule, f ? f->pointer : "", f ? f->message : "");
}

/* A document (a fixed spec as text) has part, or lacks it. */
static inline void expect_in(const char *doc, const char *part)
{
        ck_assert_msg(doc && strstr(doc, part), "\"%s\" lacks \"%s\"", doc, part);
}

static inline void expect_not_in(const char *doc, const char *part)
{
        ck_assert_msg(doc && !strstr(doc, part), "\"%s\" has \"%s\"", doc, part);
}

static inline size_t count_rule(const struct eval *ev, const char *rule)
{
        size_t n = 0;
        for (size_t i = 0; i < ev->n; i++)
                if (strcmp(ev->findings[i].rule, rule) == 0)
                        n++;
        return n;
}

/* A scratch directory per test (Check runs each test in a process of its
 * own), removed by the checked fixture remove_tmpdir
 * (tcase_add_checked_fixture(tc, NULL, remove_tmpdir)). A test that
 * mounts calls private_mounts() first: the scratch directory is then a
 * tmpfs of its own mount namespace, so a host directory bound below it
 * is on another file system and never reached by the removal. */
static char tmpdir[64];
static bool tmpdir_is_tmpfs, in_private_mounts;

/* A mount namespace of this test process only: what the test mounts goes
 * with it. */
static inline void private_mounts(void)
{
        ck_assert_int_eq(unshare(CLONE_NEWNS), 0);
        ck_assert_int_eq(mount("", "/", NULL, MS_REC | MS_PRIVATE, NULL), 0);
        in_private_mounts = true;
}

static inline void make_tmpdir(void)
{
        strcpy(tmpdir, "/tmp/rh-unit-XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(tmpdir));
        tmpdir_is_tmpfs = in_private_mounts;
        if (tmpdir_is_tmpfs)
                ck_assert_int_eq(mount("scratch", tmpdir, "tmpfs", 0, "size=16m"), 0);
}

static inline int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
        (void)st, (void)flag, (void)ftw;
        return remove(path);
}

/* Never below a mount point: FTW_MOUNT stays on the scratch directory's
 * file system, so a bind a test left behind is not deleted through. */
static inline void remove_tree(const char *dir)
{
        if (nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT) != 0)
                fprintf(stderr, "cannot remove %s\n", dir);
}

/* Detaches every mount at or below dir, the innermost first; false when
 * one stays. */
static inline bool detach_mounts_below(const char *dir)
{
        size_t n = strlen(dir);

        for (int round = 0; round < 64; round++) {
                _cleanup_mount_table_ struct mount_table t = {0};
                _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
                const char *last = NULL;
                if (mount_table_read("/proc/self/mountinfo", &t, &err) < 0)
                        return false;
                for (size_t i = 0; i < t.n; i++)
                        if (strncmp(t.v[i].point, dir, n) == 0 && (t.v[i].point[n] == '/' || t.v[i].point[n] == '\0'))
                                last = t.v[i].point;
                if (!last)
                        return true;
                if (umount2(last, MNT_DETACH) < 0)
                        return false;
        }
        return false;
}

static inline void remove_tmpdir(void)
{
        if (!tmpdir[0])
                return;
        if (!detach_mounts_below(tmpdir))
                fprintf(stderr, "%s still has mounts below it: left in place\n", tmpdir);
        else
                remove_tree(tmpdir);
        tmpdir[0] = '\0';
}

/* A path below the scratch directory; malloc'd. */
static inline char *tmp_path(const char *name)
{
        char *p = NULL;
        ck_assert(asprintf(&p, "%s/%s", tmpdir, name) > 0);
        return p;
}

/* mkdir -p */
static inline void mkdir_p(const char *path)
{
        _cleanup_free_ char *p = strdup(path);
        ck_assert_ptr_nonnull(p);
        for (char *s = p + 1; *s; s++)
                if (*s == '/') {
                        *s = '\0';
                        ck_assert_msg(mkdir(p, 0755) == 0 || errno == EEXIST, "mkdir %s: %s", p, strerror(errno));
                        *s = '/';
                }
        ck_assert_msg(mkdir(p, 0755) == 0 || errno == EEXIST, "mkdir %s: %s", p, strerror(errno));
}

static inline void write_file(const char *path, const char *content, mode_t mode)
{
        FILE *f = fopen(path, "w");
        ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
        fputs(content, f);
        ck_assert_int_eq(fclose(f), 0);
        ck_assert_int_eq(chmod(path, mode), 0);
}

#define RUN_SUITE(make_suite)                                                                                          \
        int main(void)                                                                                                 \
        {                                                                                                              \
                SRunner *sr = srunner_create(make_suite());                                                            \
                srunner_run_all(sr, CK_NORMAL);                                                                        \
                int failed = srunner_ntests_failed(sr);                                                                \
                srunner_free(sr);                                                                                      \
                return failed ? EXIT_FAILURE : EXIT_SUCCESS;                                                           \
        }
