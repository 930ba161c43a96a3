/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>
#include <fnmatch.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "engine.h"
#include "host.h"
#include "hostpath.h"
#include "rules.h"
#include "util.h"

/* Host paths named by a spec: patterns, identities, bind mounts. See
 * hostpath.h for why paths are compared both ways. */

static void idlist_done(struct host_idlist *l)
{
        free(l->v);
        *l = (struct host_idlist){0};
}

static int idlist_add(struct host_idlist *l, const struct stat *st)
{
        struct host_fileid *v = realloc(l->v, (l->n + 1) * sizeof(*v));
        if (!v)
                return -ENOMEM;
        l->v = v;
        l->v[l->n++] = (struct host_fileid){st->st_dev, st->st_ino};
        return 0;
}

bool hostpath_ids_have(const struct host_idlist *l, const struct stat *st)
{
        for (size_t i = 0; i < l->n; i++)
                if (l->v[i].dev == st->st_dev && l->v[i].ino == st->st_ino)
                        return true;
        return false;
}

/* Adds the files at path and, when ancestors, at each parent directory up
 * to "/", for those that exist. */
static int idlist_add_path(struct host_idlist *l, const char *path, bool ancestors)
{
        _cleanup_free_ char *p = strdup(path);
        struct stat st;

        if (!p)
                return -ENOMEM;
        for (;;) {
                if (host_stat(p, &st) == 0 && idlist_add(l, &st) < 0)
                        return -ENOMEM;
                char *slash = strrchr(p, '/');
                if (!ancestors || !slash || STREQ(p, "/"))
                        return 0;
                slash[slash == p ? 1 : 0] = '\0';
        }
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

static int target_init(struct host_target *t, const char *given, bool with_ids)
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
        if (!(t->pattern = pattern_resolve(p)))
                return -ENOMEM;
        if (!with_ids)
                return 0;
        if (!has_glob(t->pattern))
                return idlist_add_path(&t->anc, t->pattern, true) ?: idlist_add_path(&t->base, t->pattern, false);
        glob_t g = {0};
        if (glob(t->pattern, GLOB_NOSORT, NULL, &g) == 0)
                for (size_t i = 0; i < g.gl_pathc; i++)
                        if (idlist_add_path(&t->anc, g.gl_pathv[i], true) < 0 ||
                            idlist_add_path(&t->base, g.gl_pathv[i], false) < 0) {
                                globfree(&g);
                                return -ENOMEM;
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

/* path matches the pattern, or (below) lies under a match. */
bool hostpath_match(const char *pattern, bool below, const char *path)
{
        _cleanup_free_ char *p = strdup(path);

        if (!p)
                return true;
        for (;;) {
                if (fnmatch(pattern, p, FNM_PATHNAME) == 0)
                        return true;
                char *slash = strrchr(p, '/');
                if (!below || !slash || STREQ(p, "/"))
                        return false;
                slash[slash == p ? 1 : 0] = '\0';
        }
}

/* dir is an ancestor of some path the pattern matches: its components
 * match the pattern's leading ones. */
bool hostpath_below_dir(const char *pattern, const char *dir)
{
        const char *p = pattern, *d = dir;
        char pc[256], dc[256];

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

/* --- binds ------------------------------------------------------------ */

static void bind_done(struct host_bind *b)
{
        free(b->resolved);
        idlist_done(&b->up);
        idlist_done(&b->inside);
}

/* A spec-invalid finding once per node, whichever of the bind rules reads
 * the field first. */
static void invalid_once(struct rule_ctx *ctx, const struct jv *at, const char *msg)
{
        _cleanup_free_ char *ptr = spec_pointer(ctx->spec, at, NULL);
        for (size_t i = 0; ptr && ctx->ev && i < ctx->ev->n; i++)
                if (STREQ(ctx->ev->findings[i].rule, "spec-invalid") && STREQ(ctx->ev->findings[i].pointer, ptr))
                        return;
        rule_invalid(ctx, at, NULL, "%s", msg);
}

const struct jv *hostpath_mounts(struct rule_ctx *ctx)
{
        struct jv *m = jv_get(ctx->spec->root, "mounts");
        if (m && m->type != JV_ARRAY) {
                invalid_once(ctx, m, "must be a JSON array of mounts (runc refuses it)");
                return NULL;
        }
        return m;
}

/* Reads the options as runc 1.1.5 parses them (specconv.parseMountOptions):
 * flags in order, exact spelling, the last of "ro"/"rw" wins, and "rro"
 * (mount_setattr, applied after the remount) overrides both while "rrw"
 * clears a plain "ro". "bind"/"rbind" make a bind whatever the type says;
 * crun also binds for type "bind", and any case is taken as a bind here. */
static int bind_read_options(struct rule_ctx *ctx, struct host_bind *b, bool *ret_is_bind)
{
        const struct jv *opts = jv_get(b->m, "options");
        const char *type;
        bool ro = false, rro = false, rrw = false;

        *ret_is_bind = jv_cstr(jv_get(b->m, "type"), &type) && strcasecmp(type, "bind") == 0;
        if (opts && opts->type != JV_ARRAY) {
                invalid_once(ctx, opts, "must be a JSON array of strings (runc refuses it)");
                return -EINVAL;
        }
        for (size_t i = 0; opts && i < opts->u.arr.n; i++) {
                const char *o;
                if (!jv_cstr(opts->u.arr.v[i], &o)) {
                        invalid_once(ctx, opts->u.arr.v[i], "mount options must be strings");
                        return -EINVAL;
                }
                if (strcasecmp(o, "bind") == 0 || strcasecmp(o, "rbind") == 0)
                        *ret_is_bind = true;
                else if (STREQ(o, "ro") || STREQ(o, "rw"))
                        ro = STREQ(o, "ro");
                else if (STREQ(o, "rro"))
                        rro = true;
                else if (STREQ(o, "rrw"))
                        rrw = true;
                else if (STREQ(o, "shared") || STREQ(o, "rshared"))
                        b->shared = true;
        }
        b->readonly = rro || (ro && !rrw);
        return 0;
}

/* The host path a bind's source names, as runc computes it: relative
 * sources are taken from the bundle. */
char *hostpath_bundle_path(const struct rule_ctx *ctx, const char *src)
{
        char *joined = NULL;
        if (src[0] == '/' || !ctx->spec->bundle)
                return strdup(src);
        if (asprintf(&joined, "%s/%s", ctx->spec->bundle, src) < 0)
                return NULL;
        return joined;
}

/* The mount points of our mount table, read when a bind is first looked
 * at and kept until the table changes: an open mountinfo file polls with
 * POLLPRI once a mount or unmount happened in its namespace. */
struct mountpoints {
        char **v;
        size_t n;
        int watch; /* the open mountinfo, -1 when none */
};

static struct mountpoints host_mounts = {.watch = -1};

/* mountinfo's fifth field, with the octal escapes of space, tab, newline
 * and backslash undone. NULL when the line is malformed. */
static char *mountinfo_point(const char *line)
{
        const char *p = line;
        for (int field = 0; field < 4 && p; field++)
                if ((p = strchr(p, ' ')))
                        p++;
        if (!p)
                return NULL;
        char *out = malloc(strlen(p) + 1);
        size_t o = 0;
        if (!out)
                return NULL;
        for (; *p && *p != ' ' && *p != '\n'; p++) {
                if (p[0] == '\\' && p[1] >= '0' && p[1] <= '3' && p[2] && p[3]) {
                        out[o++] = (char)(((p[1] - '0') << 6) | ((p[2] - '0') << 3) | (p[3] - '0'));
                        p += 3;
                } else {
                        out[o++] = *p;
                }
        }
        out[o] = '\0';
        return out;
}

static bool mountpoints_current(const struct mountpoints *mp)
{
        struct pollfd p = {.fd = mp->watch, .events = POLLPRI};
        return mp->watch >= 0 && poll(&p, 1, 0) == 0;
}

static int mountpoints_load(struct mountpoints *mp)
{
        _cleanup_fclose_ FILE *f = NULL;
        _cleanup_free_ char *line = NULL;
        size_t cap = 0;

        for (size_t i = 0; i < mp->n; i++)
                free(mp->v[i]);
        free(mp->v);
        if (mp->watch >= 0)
                close(mp->watch);
        /* watch first: a change while reading shows at the next look */
        *mp = (struct mountpoints){.watch = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC)};
        f = fopen("/proc/self/mountinfo", "re");
        while (f && getline(&line, &cap, f) > 0) {
                char *point = mountinfo_point(line);
                char **v = point ? realloc(mp->v, (mp->n + 1) * sizeof(*v)) : NULL;
                if (!v) {
                        free(point);
                        return -ENOMEM;
                }
                mp->v = v;
                mp->v[mp->n++] = point;
        }
        return 0;
}

/* Mount points below the source: an rbind carries them into the
 * container, and one may be another bind of a protected path. */
static int bind_collect_submounts(struct host_bind *b, struct mountpoints *mp)
{
        struct stat st;

        if (!mountpoints_current(mp) && mountpoints_load(mp) < 0)
                return -ENOMEM;
        for (size_t i = 0; i < mp->n; i++)
                if (!STREQ(mp->v[i], b->resolved) && path_is_under(mp->v[i], b->resolved) && stat(mp->v[i], &st) == 0 &&
                    idlist_add(&b->inside, &st) < 0)
                        return -ENOMEM;
        return 0;
}

/* Reads mount m; returns 1 for a bind (b filled, and with on_host what its
 * source is on this host), 0 for another mount, < 0 when it cannot be
 * judged (reported) or on allocation failure. */
static int bind_read(struct rule_ctx *ctx, const struct jv *m, struct mountpoints *on_host, struct host_bind *b)
{
        bool is_bind;
        int r;

        *b = (struct host_bind){.m = m};
        if (m->type != JV_OBJECT) {
                invalid_once(ctx, m, "a mount must be an object");
                return -EINVAL;
        }
        if ((r = bind_read_options(ctx, b, &is_bind)) < 0)
                return r;
        const struct jv *src = jv_get(m, "source");
        if (src && !jv_cstr(src, &b->src)) {
                invalid_once(ctx, src, "must be a string without NUL bytes (runc refuses it)");
                return -EINVAL;
        }
        if (!is_bind || !b->src)
                return 0;
        if (!on_host)
                return 1;
        _cleanup_free_ char *full = hostpath_bundle_path(ctx, b->src);
        if (!full || !(b->resolved = path_resolve(full)))
                return -ENOMEM;
        b->have_st = stat(full, &b->st) == 0;
        if (idlist_add_path(&b->up, b->resolved, true) < 0 || bind_collect_submounts(b, on_host) < 0)
                return -ENOMEM;
        return 1;
}

bool hostpath_exposes(const struct host_bind *b, const struct host_target *t)
{
        if (hostpath_match(t->pattern, t->below, b->resolved) || hostpath_below_dir(t->pattern, b->resolved))
                return true;
        if (b->have_st && hostpath_ids_have(&t->anc, &b->st))
                return true; /* another name for the target or a parent */
        for (size_t i = 0; t->below && i < b->up.n; i++)
                for (size_t k = 0; k < t->base.n; k++)
                        if (b->up.v[i].dev == t->base.v[k].dev && b->up.v[i].ino == t->base.v[k].ino)
                                return true; /* below the target, by another name */
        for (size_t i = 0; i < b->inside.n; i++)
                for (size_t k = 0; k < t->anc.n; k++)
                        if (b->inside.v[i].dev == t->anc.v[k].dev && b->inside.v[i].ino == t->anc.v[k].ino)
                                return true; /* a mount below the source */
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
#define TARGETS_CACHE 8

static struct {
        char *key; /* the patterns joined by 0x1f */
        bool with_ids;
        struct host_targets ts;
} targets_cache[TARGETS_CACHE];

int hostpath_targets_get(const struct rule_ctx *ctx, const char *param, bool with_ids,
                         const struct host_targets **ret)
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

static int count_one(struct rule_ctx *ctx, const struct host_bind *b, void *data)
{
        (void)ctx;
        (void)b;
        ++*(size_t *)data;
        return 0;
}

size_t hostpath_count_binds(struct rule_ctx *ctx)
{
        size_t n = 0;
        (void)hostpath_for_each_bind(ctx, false, count_one, &n);
        return n;
}

int hostpath_for_each_bind(struct rule_ctx *ctx, bool on_host,
                           int (*fn)(struct rule_ctx *, const struct host_bind *, void *), void *data)
{
        const struct jv *mounts = hostpath_mounts(ctx);

        for (size_t i = 0; mounts && i < mounts->u.arr.n; i++) {
                _cleanup_(bind_done) struct host_bind b;
                int r = bind_read(ctx, mounts->u.arr.v[i], on_host ? &host_mounts : NULL, &b);
                if (r == -ENOMEM)
                        return r;
                if (r <= 0)
                        continue;
                if ((r = fn(ctx, &b, data)) < 0)
                        return r;
        }
        return 0;
}
