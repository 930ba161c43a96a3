/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fnmatch.h>
#include <glob.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "host.h"
#include "hostpath.h"
#include "rules.h"
#include "util.h"

/* Protected host paths (the targets of the bind rules) and how a host
 * path named by a spec reaches one. See hostpath.h for why paths are
 * compared in several ways. */

static void idlist_done(struct host_idlist *l)
{
        free(l->v);
        *l = (struct host_idlist){0};
}

static int idlist_add(struct host_idlist *l, dev_t dev, ino_t ino)
{
        struct host_fileid *v = realloc(l->v, (l->n + 1) * sizeof(*v));
        if (!v)
                return -ENOMEM;
        l->v = v;
        l->v[l->n++] = (struct host_fileid){dev, ino};
        return 0;
}

bool hostpath_ids_have(const struct host_idlist *l, const struct stat *st)
{
        for (size_t i = 0; i < l->n; i++)
                if (l->v[i].dev == st->st_dev && l->v[i].ino == st->st_ino)
                        return true;
        return false;
}

/* Adds what path names on this host and each directory above it (anc),
 * and the object itself (base), when it exists; the resolved path in
 * *ret_resolved when asked for. One walk. */
static int ids_add_path(struct host_idlist *anc, struct host_idlist *base, const char *path, char **ret_resolved)
{
        struct host_walk w;
        int r = host_walk(path, NULL, &w);

        if (r == -ENOMEM)
                return r;
        if (r == 0 && w.exists) {
                for (size_t i = 0; i < w.n_chain && r == 0; i++)
                        r = idlist_add(anc, w.chain[i].dev, w.chain[i].ino);
                if (r == 0 && w.n_chain)
                        r = idlist_add(base, w.chain[0].dev, w.chain[0].ino);
        }
        if (r == 0 && ret_resolved)
                *ret_resolved = w.path ? TAKE_PTR(w.path) : path_normalize(path);
        host_walk_done(&w);
        return r < 0 ? r : 0;
}

/* --- path patterns -------------------------------------------------- */

static bool has_glob(const char *s)
{
        return strpbrk(s, "*?[") != NULL;
}

/* Resolves the literal leading directories of a pattern through symlinks
 * (/var/run is /run on most hosts); glob components are kept as given. */
static char *pattern_resolve(const char *pattern)
{
        _cleanup_free_ char *norm = path_normalize(pattern);
        char *out = NULL;

        if (!norm)
                return NULL;
        if (!has_glob(norm))
                return path_resolve(norm);
        char *g = strpbrk(norm, "*?[");
        while (g > norm && g[-1] != '/')
                g--;
        /* g starts the first component with a glob character */
        g[-1] = '\0';
        _cleanup_free_ char *dir = path_resolve(*norm ? norm : "/");
        if (!dir || asprintf(&out, "%s/%s", STREQ(dir, "/") ? "" : dir, g) < 0)
                return NULL;
        return out;
}

static void target_first(struct host_target *t)
{
        const char *p = t->pattern;
        while (*p == '/')
                p++;
        size_t n = strcspn(p, "/");
        if (n && !memchr(p, '*', n) && !memchr(p, '?', n) && !memchr(p, '[', n)) {
                t->first = p;
                t->first_len = n;
        }
}

static int target_init_one(struct host_target *t, const char *given, bool with_ids);

static int target_init(struct host_target *t, const char *given, bool with_ids)
{
        int r = target_init_one(t, given, with_ids);
        if (r == 0 && t->pattern)
                target_first(t);
        return r;
}

static int target_init_one(struct host_target *t, const char *given, bool with_ids)
{
        _cleanup_free_ char *p = strdup(given);
        size_t n;

        *t = (struct host_target){.given = strdup(given)};
        if (!p || !t->given)
                return -ENOMEM;
        n = strlen(p);
        if (n >= 3 && STREQ(p + n - 3, "/**")) {
                t->below = true;
                p[n - 2] = '\0';
        }
        if (with_ids && !has_glob(p)) {
                _cleanup_free_ char *norm = path_normalize(p);
                if (!norm || ids_add_path(&t->anc, &t->base, norm, &t->pattern) < 0 || !t->pattern)
                        return -ENOMEM;
                return 0;
        }
        if (!(t->pattern = pattern_resolve(p)))
                return -ENOMEM;
        if (!with_ids)
                return 0;
        glob_t g = {0};
        if (glob(t->pattern, GLOB_NOSORT, NULL, &g) == 0)
                for (size_t i = 0; i < g.gl_pathc; i++) {
                        /* ".*" matches "." and "..": not what the pattern names */
                        const char *last = strrchr(g.gl_pathv[i], '/');
                        if (last && (STREQ(last, "/.") || STREQ(last, "/..")))
                                continue;
                        if (ids_add_path(&t->anc, &t->base, g.gl_pathv[i], NULL) < 0) {
                                globfree(&g);
                                return -ENOMEM;
                        }
                }
        globfree(&g);
        return 0;
}

static void target_done(struct host_target *t)
{
        free((char *)t->given);
        free(t->pattern);
        idlist_done(&t->anc);
        idlist_done(&t->base);
}

static size_t count_components(const char *p)
{
        size_t n = 0;
        for (; *p; p++)
                if (p[0] != '/' && (p[1] == '/' || p[1] == '\0'))
                        n++;
        return n;
}

/* path matches the pattern, or (below) lies under a match. With
 * FNM_PATHNAME no wildcard matches a "/", so a pattern of k components can
 * only match a path of k components: under a match means that the first k
 * components of path match. One fnmatch(), whatever the length of path. */
bool hostpath_match(const char *pattern, bool below, const char *path)
{
        char prefix[PATH_MAX];

        if (!below)
                return fnmatch(pattern, path, FNM_PATHNAME) == 0;
        size_t k = count_components(pattern), seen = 0;
        const char *end = path;
        while (seen < k) {
                while (*end == '/')
                        end++;
                if (!*end)
                        return false; /* fewer than k components */
                end += strcspn(end, "/");
                seen++;
        }
        if (k == 0)
                return fnmatch(pattern, "/", FNM_PATHNAME) == 0;
        size_t n = (size_t)(end - path);
        if (n >= sizeof(prefix))
                return false; /* no pattern is that long */
        memcpy(prefix, path, n);
        prefix[n] = '\0';
        return fnmatch(pattern, prefix, FNM_PATHNAME) == 0;
}

/* dir is an ancestor of some path the pattern matches: its components
 * match the pattern's leading ones. */
bool hostpath_below_dir(const char *pattern, const char *dir)
{
        const char *p = pattern, *d = dir;
        char pc[NAME_MAX + 1], dc[NAME_MAX + 1];

        for (;;) {
                while (*d == '/')
                        d++;
                while (*p == '/')
                        p++;
                if (!*d)
                        return *p != '\0';
                if (!*p)
                        return false;
                size_t pl = strcspn(p, "/"), dl = strcspn(d, "/");
                if (pl >= sizeof(pc) || dl >= sizeof(dc))
                        return false;
                memcpy(pc, p, pl);
                pc[pl] = '\0';
                memcpy(dc, d, dl);
                dc[dl] = '\0';
                if (fnmatch(pc, dc, 0) != 0)
                        return false;
                p += pl;
                d += dl;
        }
}

/* Whether path can match or hold t at all: "/" holds everything, a path
 * whose first component is not t's literal first one, nothing. */
static bool may_reach(const struct host_target *t, const char *path)
{
        if (!t->first)
                return true;
        const char *p = path;
        while (*p == '/')
                p++;
        size_t n = strcspn(p, "/");
        return n == 0 || (n == t->first_len && memcmp(p, t->first, n) == 0);
}

bool hostpath_matches_any(const struct host_targets *ts, const char *path)
{
        for (size_t i = 0; i < ts->n; i++)
                if (may_reach(&ts->v[i], path) && hostpath_match(ts->v[i].pattern, ts->v[i].below, path))
                        return true;
        return false;
}

void hostpath_targets_done(struct host_targets *ts)
{
        for (size_t i = 0; i < ts->n; i++)
                target_done(&ts->v[i]);
        free(ts->v);
}

static int targets_load(const struct jv *l, bool with_ids, struct host_targets *ts)
{
        *ts = (struct host_targets){0};
        if (l->u.arr.n && !(ts->v = calloc(l->u.arr.n, sizeof(*ts->v))))
                return -ENOMEM;
        for (size_t i = 0; i < l->u.arr.n; i++) {
                ts->n++;
                if (target_init(&ts->v[i], l->u.arr.v[i]->u.str.s, with_ids) < 0)
                        return -ENOMEM;
        }
        return 0;
}

/* Targets follow from the parameter's value and the host facts host.c
 * keeps for the life of the process, so they are kept as long: a rule
 * loads its targets once per container start, and lint once per run. */
#define TARGETS_CACHE 12

static struct {
        char *key; /* the patterns joined by 0x1f */
        bool with_ids;
        struct host_targets ts;
} targets_cache[TARGETS_CACHE];

int hostpath_targets_get(const struct rule_ctx *ctx, const char *param, bool with_ids, const struct host_targets **ret)
{
        const struct jv *l = rule_param_strings(ctx, param);
        _cleanup_free_ char *key = rule_param_strings_key(l);
        size_t slot = 0;

        if (!key)
                return -ENOMEM;
        for (size_t i = 0; i < TARGETS_CACHE; i++) {
                if (targets_cache[i].key && targets_cache[i].with_ids == with_ids && STREQ(targets_cache[i].key, key)) {
                        *ret = &targets_cache[i].ts;
                        return 0;
                }
                if (!targets_cache[i].key)
                        slot = i;
        }
        if (targets_cache[slot].key) { /* full: the last slot is reused */
                slot = TARGETS_CACHE - 1;
                free(targets_cache[slot].key);
                targets_cache[slot].key = NULL;
                hostpath_targets_done(&targets_cache[slot].ts);
        }
        struct host_targets ts;
        if (targets_load(l, with_ids, &ts) < 0) {
                hostpath_targets_done(&ts);
                return -ENOMEM;
        }
        targets_cache[slot].ts = ts;
        targets_cache[slot].with_ids = with_ids;
        targets_cache[slot].key = TAKE_PTR(key);
        *ret = &targets_cache[slot].ts;
        return 0;
}

/* --- how a path reaches a target -------------------------------------- */

static bool hit(struct host_hit *ret, host_hit_kind_t kind, host_via_t via, const char *path,
                const struct host_sub *sub)
{
        *ret = (struct host_hit){kind, via, path, sub};
        return true;
}

/* path, by name: in the target, or holding it. */
static host_hit_kind_t name_hit(const struct host_target *t, const char *path)
{
        if (!may_reach(t, path))
                return HOST_HIT_NONE;
        if (hostpath_match(t->pattern, t->below, path))
                return HOST_HIT_IN;
        if (hostpath_below_dir(t->pattern, path))
                return HOST_HIT_CONTAINS;
        return HOST_HIT_NONE;
}

static bool ids_intersect(const struct host_idlist *a, const struct host_idlist *b)
{
        for (size_t i = 0; i < a->n; i++)
                for (size_t k = 0; k < b->n; k++)
                        if (a->v[i].dev == b->v[k].dev && a->v[i].ino == b->v[k].ino)
                                return true;
        return false;
}

bool hostpath_exposes_via(const struct host_bind *b, const struct host_target *t, bool name_allowed, unsigned vias,
                          struct host_hit *ret)
{
        host_hit_kind_t k;

        if ((vias & HOST_VIA_NAME_BIT) && !name_allowed && (k = name_hit(t, b->resolved)))
                return hit(ret, k, HOST_VIA_NAME, b->resolved, NULL);
        for (size_t i = 0; (vias & HOST_VIA_ALIAS_BIT) && i < b->n_aliases; i++)
                if ((k = name_hit(t, b->aliases[i])))
                        return hit(ret, k, HOST_VIA_ALIAS, b->aliases[i], NULL);
        if ((vias & HOST_VIA_INODE_BIT) && b->have_st && hostpath_ids_have(&t->anc, &b->st))
                /* another name for the target or a directory above it */
                return hit(ret, hostpath_ids_have(&t->base, &b->st) ? HOST_HIT_IN : HOST_HIT_CONTAINS, HOST_VIA_INODE,
                           b->resolved, NULL);
        if ((vias & HOST_VIA_INODE_BIT) && !name_allowed && t->below && ids_intersect(&b->up, &t->base))
                return hit(ret, HOST_HIT_IN, HOST_VIA_INODE, b->resolved, NULL); /* below the target */
        for (size_t i = 0; (vias & HOST_VIA_SUB_BIT) && i < b->n_subs; i++)
                for (size_t n = 0; n < b->subs[i].n_names; n++)
                        if ((k = name_hit(t, b->subs[i].names[n])))
                                return hit(ret, k, HOST_VIA_SUB, b->subs[i].names[n], &b->subs[i]);
        return false;
}

const struct host_target *hostpath_first_exposed(const struct host_bind *b, const struct host_targets *ts,
                                                 bool name_allowed, struct host_hit *ret)
{
        const struct host_target *holds = NULL;
        struct host_hit h;

        for (size_t k = 0; k < ts->n; k++) {
                if (!hostpath_exposes(b, &ts->v[k], name_allowed, &h))
                        continue;
                if (h.kind == HOST_HIT_IN) {
                        *ret = h;
                        return &ts->v[k];
                }
                if (!holds) {
                        holds = &ts->v[k];
                        *ret = h;
                }
        }
        return holds;
}

bool hostpath_exposes(const struct host_bind *b, const struct host_target *t, bool name_allowed, struct host_hit *ret)
{
        return hostpath_exposes_via(b, t, name_allowed, HOST_VIA_ALL, ret);
}

bool hostpath_all_names(const struct host_bind *b, bool (*fn)(const char *path, void *data), void *data)
{
        if (!fn(b->resolved, data))
                return false;
        for (size_t i = 0; i < b->n_aliases; i++)
                if (!fn(b->aliases[i], data))
                        return false;
        for (size_t i = 0; i < b->n_subs; i++)
                for (size_t n = 0; n < b->subs[i].n_names; n++)
                        if (!fn(b->subs[i].names[n], data))
                                return false;
        return true;
}
