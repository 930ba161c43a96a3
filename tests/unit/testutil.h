/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <check.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "fileio.h"
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

static inline struct spec *parse_spec(const char *json) { return parse_spec_kind(json, SPEC_CONFIG); }

/* Parses and expects a failure whose message contains want. */
static inline void expect_spec_error(const char *json, size_t len, spec_kind_t kind, const char *want)
{
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        struct spec *s = NULL;
        int r = spec_parse(json, len, kind, &s, &err);
        ck_assert_msg(r < 0, "spec parsed but should not have: %.*s", (int) (len > 200 ? 200 : len), json);
        ck_assert_msg(strstr(rh_error_msg(&err), want), "error \"%s\" lacks \"%s\"", rh_error_msg(&err), want);
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

/* The first finding of rule (not exempted unless asked), or NULL. */
static inline const struct finding *find(const struct eval *ev, const char *rule)
{
        for (size_t i = 0; i < ev->n; i++)
                if (strcmp(ev->findings[i].rule, rule) == 0)
                        return &ev->findings[i];
        return NULL;
}

static inline size_t count_rule(const struct eval *ev, const char *rule)
{
        size_t n = 0;
        for (size_t i = 0; i < ev->n; i++)
                if (strcmp(ev->findings[i].rule, rule) == 0)
                        n++;
        return n;
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

/* A scratch directory per test, removed by the checked fixture
 * remove_tmpdir (tcase_add_checked_fixture(tc, NULL, remove_tmpdir)). */
static char tmpdir[64];

static inline void make_tmpdir(void)
{
        strcpy(tmpdir, "/tmp/rh-unit-XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(tmpdir));
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

static inline void remove_tmpdir(void)
{
        if (!tmpdir[0])
                return;
        remove_tree(tmpdir);
        tmpdir[0] = '\0';
}

#define RUN_SUITE(make_suite)                                                                                      \
        int main(void)                                                                                             \
        {                                                                                                          \
                SRunner *sr = srunner_create(make_suite());                                                        \
                srunner_run_all(sr, CK_NORMAL);                                                                    \
                int failed = srunner_ntests_failed(sr);                                                            \
                srunner_free(sr);                                                                                  \
                return failed ? EXIT_FAILURE : EXIT_SUCCESS;                                                       \
        }
