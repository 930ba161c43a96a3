/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <cap-ng.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "findings.h"
#include "host.h"
#include "hostpath.h"
#include "overlay.h"
#include "overlay_trust.h"
#include "rules.h"
#include "util.h"

/* The host paths a spec's mounts name, read as runc reads them and looked
 * up on this host: bind sources, overlay layers, device sources, and
 * root.path with the layers of an overlay mounted there. */

void hostpath_invalid_once(struct rule_ctx *ctx, const struct jv *at, const char *key, const char *fmt, ...)
{
        _cleanup_free_ char *ptr = NULL, *msg = NULL;
        va_list ap;

        if (!ctx->ev)
                return; /* a fix reads the spec again: nothing is reported there */
        ptr = spec_pointer(ctx->spec, at, key);
        for (size_t i = 0; ptr && ctx->ev && i < ctx->ev->n; i++)
                if (STREQ(ctx->ev->findings[i].rule, "spec-invalid") && STREQ(ctx->ev->findings[i].pointer, ptr))
                        return;
        va_start(ap, fmt);
        if (vasprintf(&msg, fmt, ap) < 0)
                msg = NULL;
        va_end(ap);
        rule_invalid(ctx, at, key, "%s", msg ? msg : "cannot be judged");
}

const struct jv *hostpath_mounts(struct rule_ctx *ctx)
{
        struct jv *m = jv_get(ctx->spec->root, "mounts");
        if (m && m->type != JV_ARRAY) {
                hostpath_invalid_once(ctx, m, NULL, "must be a JSON array of mounts (runc refuses it)");
                return NULL;
        }
        return m;
}

/* --- options, as runc 1.1.5 reads them ---------------------------------- */

/* Reads the options as runc 1.1.5 parses them (specconv.parseMountOptions):
 * flags in order, exact spelling, the last of "ro"/"rw" wins, and "rro"
 * (mount_setattr, applied after the remount) overrides both while "rrw"
 * clears a plain "ro". "bind"/"rbind" make a bind whatever the type says;
 * crun also binds for type "bind", and any case is taken as a bind here.
 * Only "bind" without "rbind" leaves the mounts below the source behind;
 * a type "bind" without either option is taken as recursive. */
int hostpath_read_options(const struct jv *m, struct host_bind *b, bool *ret_is_bind, const struct jv **ret_bad)
{
        const struct jv *opts = jv_get(m, "options");
        const char *type;
        bool ro = false, rro = false, rrw = false, bind = false, rbind = false;

        *ret_is_bind = jv_cstr(jv_get(m, "type"), &type) && strcasecmp(type, "bind") == 0;
        if (opts && opts->type != JV_ARRAY) {
                *ret_bad = opts;
                return -EINVAL;
        }
        for (size_t i = 0; opts && i < opts->u.arr.n; i++) {
                const char *o;
                if (!jv_cstr(opts->u.arr.v[i], &o)) {
                        *ret_bad = opts->u.arr.v[i];
                        return -EINVAL;
                }
                if (strcasecmp(o, "bind") == 0)
                        bind = true;
                else if (strcasecmp(o, "rbind") == 0)
                        rbind = true;
                else if (STREQ(o, "ro") || STREQ(o, "rw"))
                        ro = STREQ(o, "ro");
                else if (STREQ(o, "rro"))
                        rro = true;
                else if (STREQ(o, "rrw"))
                        rrw = true;
                else if (STREQ(o, "shared") || STREQ(o, "rshared"))
                        b->shared = true;
        }
        *ret_is_bind = *ret_is_bind || bind || rbind;
        b->recursive = rbind || !bind;
        b->rro = rro;
        b->readonly = rro || (ro && !rrw);
        return 0;
}

static int read_options(struct rule_ctx *ctx, struct host_bind *b, bool *ret_is_bind)
{
        const struct jv *bad = NULL;
        int r = hostpath_read_options(b->m, b, ret_is_bind, &bad);
        if (r < 0)
                hostpath_invalid_once(ctx, bad, NULL,
                                      bad == jv_get(b->m, "options")
                                              ? "must be a JSON array of strings (runc refuses it)"
                                              : "mount options must be strings");
        return r;
}

/* Reads mount m: 1 for a bind with a source (b filled from the spec), 0
 * for another mount, < 0 when it cannot be judged (reported). */
static int read_mount(struct rule_ctx *ctx, const struct jv *m, struct host_bind *b)
{
        bool is_bind;
        int r;

        *b = (struct host_bind){.m = m, .at = m, .key = "source", .role = HOST_ROLE_BIND};
        if (m->type != JV_OBJECT) {
                hostpath_invalid_once(ctx, m, NULL, "a mount must be an object");
                return -EINVAL;
        }
        if ((r = read_options(ctx, b, &is_bind)) < 0)
                return r;
        const struct jv *src = jv_get(m, "source");
        if (src && !jv_cstr(src, &b->src)) {
                hostpath_invalid_once(ctx, src, NULL, "must be a string without NUL bytes (runc refuses it)");
                return -EINVAL;
        }
        return is_bind && b->src ? 1 : 0;
}

/* What b owns: the rest is the spec's or the facts'. */
static void bind_done(struct host_bind *b)
{
        free(b->src_owned);
        *b = (struct host_bind){0};
}

int hostpath_for_each_bind(struct rule_ctx *ctx, int (*fn)(struct rule_ctx *, const struct host_bind *, void *),
                           void *data)
{
        const struct jv *mounts = hostpath_mounts(ctx);

        for (size_t i = 0; mounts && i < mounts->u.arr.n; i++) {
                _cleanup_(bind_done) struct host_bind b;
                int r = read_mount(ctx, mounts->u.arr.v[i], &b);
                if (r <= 0)
                        continue;
                if ((r = fn(ctx, &b, data)) < 0)
                        return r;
        }
        return 0;
}

static bool is_overlay(const struct jv *m)
{
        const char *type;
        return jv_cstr(jv_get(m, "type"), &type) && STREQ(type, "overlay");
}

/* Cheap, from the spec alone: asked by every bind rule before anything
 * is looked up on the host. */
static bool is_bind_option(const char *o)
{
        return (o[0] | 0x20) == 'b' ? strcasecmp(o, "bind") == 0 : (o[0] | 0x20) == 'r' && strcasecmp(o, "rbind") == 0;
}

bool hostpath_names_host_paths(struct rule_ctx *ctx)
{
        const struct jv *mounts = hostpath_mounts(ctx);
        const struct jv *devs = jv_get(jv_get(ctx->spec->root, "linux"), "devices");

        if (jv_is(devs, JV_ARRAY) && devs->u.arr.n)
                return true; /* runc may bind them from the host */

        for (size_t i = 0; mounts && i < mounts->u.arr.n; i++) {
                const struct jv *m = mounts->u.arr.v[i], *opts = jv_get(m, "options");
                const char *s;
                if (m->type != JV_OBJECT)
                        return true; /* to be reported */
                if (jv_cstr(jv_get(m, "source"), &s) && s[0] == '/')
                        return true; /* a bind, or perhaps a device */
                if (jv_cstr(jv_get(m, "type"), &s) && (strcasecmp(s, "bind") == 0 || STREQ(s, "overlay")))
                        return true;
                for (size_t k = 0; jv_is(opts, JV_ARRAY) && k < opts->u.arr.n; k++)
                        if (jv_cstr(opts->u.arr.v[k], &s) && is_bind_option(s))
                                return true;
        }
        return false;
}

/* --- overlay layers ----------------------------------------------------- */

/* What names a layer, as the rules call it. */
static host_role_t layer_role(const struct overlay_layer *l)
{
        return l->role == OVERLAY_LOWER ? HOST_ROLE_LOWER : l->role == OVERLAY_UPPER ? HOST_ROLE_UPPER : HOST_ROLE_WORK;
}

/* The layers an overlay mount of the spec names: its options joined as
 * runc joins its data (with runc's own flags too: they name no layer, and
 * an option ending in an escaping "\" is refused, so the split is the
 * same). */
static int spec_overlay_layers(const struct jv *m, struct overlay_layers *l)
{
        const struct jv *opts = jv_get(m, "options");
        _cleanup_free_ size_t *offsets = NULL;
        _cleanup_free_ char *text = NULL;
        size_t len = 0, n = opts && opts->type == JV_ARRAY ? opts->u.arr.n : 0;
        FILE *f;

        *l = (struct overlay_layers){0};
        if (n == 0)
                return 0;
        if (!(offsets = calloc(n, sizeof(*offsets))) || !(f = open_memstream(&text, &len)))
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                const char *o = "";
                (void)jv_cstr(opts->u.arr.v[i], &o);
                offsets[i] = (size_t)ftell(f) + (i ? 1 : 0);
                fprintf(f, "%s%s", i ? "," : "", o);
        }
        if (fclose(f) != 0)
                return -ENOMEM;
        return overlay_layers_parse(l, text, offsets, n);
}

/* Whether an overlay's options say one thing to every reader; what does
 * not is reported (spec-invalid):
 *   - an option ending in an odd run of "\": the last one escapes the ","
 *     runc joins the next data option with (which option that is depends
 *     on the runtime's flag table, and on a label runc may append), or,
 *     last, the kernel drops it: runc-harden would judge a path the kernel
 *     never opens;
 *   - options longer, joined, than mount(2) copies: the kernel reads the
 *     first page less one byte, so a layer cut there names another path
 *     ("/etc" of "/etcetera"). runc's flags are counted too: a spec that
 *     close to the limit is refused rather than measured to the byte. */
static bool overlay_options_clear(struct rule_ctx *ctx, const struct jv *m)
{
        const struct jv *opts = jv_get(m, "options");
        long page = sysconf(_SC_PAGESIZE);
        size_t total = 0;
        bool clear = true;

        for (size_t i = 0; jv_is(opts, JV_ARRAY) && i < opts->u.arr.n; i++) {
                const char *o;
                size_t n, k = 0;
                if (!jv_cstr(opts->u.arr.v[i], &o))
                        continue;
                n = strlen(o);
                total += n + (i ? 1 : 0);
                while (k < n && o[n - 1 - k] == '\\')
                        k++;
                if (k % 2 == 0)
                        continue;
                hostpath_invalid_once(ctx, opts->u.arr.v[i], NULL,
                                      "ends in a \"\\\" that escapes nothing of its own: runc joins the next "
                                      "option after it with \",\", which the \"\\\" then escapes (and the kernel "
                                      "drops one at the end), so the overlay would read another layer than the one "
                                      "written; remove the \"\\\" or escape it as \"\\\\\"");
                clear = false;
        }
        if (page > 0 && total >= (size_t)page) {
                hostpath_invalid_once(ctx, opts, NULL,
                                      "are %zu bytes joined: mount(2) passes the kernel at most %ld bytes of "
                                      "options and cuts the rest, so the overlay would read other layers than "
                                      "the ones written; use fewer or shorter layers",
                                      total, page - 1);
                clear = false;
        }
        return clear;
}

/* --- looking a path up on the host ---------------------------------------- */

/* The root file system, against which other paths are checked. */
struct root_info {
        char *path; /* root.path as runc takes it, NULL when absent */
        bool have_id;
        struct host_fileid id;
};

/* A path of the spec as runc takes it: a relative one is joined to the
 * bundle directory and cleaned (Go's filepath.Join), never taken from our
 * working directory. */
char *hostpath_bundle_path(const struct rule_ctx *ctx, const char *p)
{
        _cleanup_free_ char *joined = NULL;

        if (p[0] == '/')
                return strdup(p);
        if (asprintf(&joined, "%s/%s", ctx->spec->bundle ? ctx->spec->bundle : "", p) < 0)
                return NULL;
        return path_normalize(joined);
}

void hostpath_root_record(struct spec *s)
{
        struct open_how how = {.flags = O_PATH | O_DIRECTORY | O_CLOEXEC, .resolve = RESOLVE_NO_SYMLINKS};
        struct rule_ctx ctx = {.spec = s};
        _cleanup_free_ char *path = NULL;
        _cleanup_close_ int fd = -1;
        struct stat st;
        const char *p;

        if (s->root_recorded)
                return;
        s->root_recorded = true;
        s->root_err = -ENOENT;
        if (!jv_cstr(jv_get(jv_get(s->root, "root"), "path"), &p) || !*p)
                return; /* runc refuses it */
        if (!(path = hostpath_bundle_path(&ctx, p))) {
                s->root_err = -ENOMEM;
                return;
        }
        fd = (int)syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof(how));
        if (fd < 0 && errno == ENOSYS)
                fd = open(path, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC); /* before Linux 5.6 */
        if (fd < 0 || fstat(fd, &st) < 0) {
                s->root_err = -errno;
                return;
        }
        s->root_err = 0;
        s->root_dev = st.st_dev;
        s->root_ino = st.st_ino;
}

static int root_info_init(struct rule_ctx *ctx, struct root_info *ri)
{
        const char *p;
        struct host_walk w;

        *ri = (struct root_info){0};
        if (!jv_cstr(jv_get(jv_get(ctx->spec->root, "root"), "path"), &p) || !*p)
                return 0;
        if (!(ri->path = hostpath_bundle_path(ctx, p)))
                return -ENOMEM;
        if (host_walk(ri->path, NULL, &w) == 0 && w.exists) {
                ri->have_id = true;
                ri->id = (struct host_fileid){w.st.st_dev, w.st.st_ino};
        }
        host_walk_done(&w);
        return 0;
}

static void root_info_done(struct root_info *ri)
{
        free(ri->path);
}

static const char *const role_names[_HOST_ROLE_MAX] = {
        [HOST_ROLE_BIND] = "the source",    [HOST_ROLE_LOWER] = "the lowerdir",      [HOST_ROLE_UPPER] = "the upperdir",
        [HOST_ROLE_WORK] = "the workdir",   [HOST_ROLE_DEVICE] = "the source",       [HOST_ROLE_ROOT] = "the root path",
        [HOST_ROLE_ROOT_LAYER] = "a layer", [HOST_ROLE_DEVNODE] = "the device path",
};

/* Looks b's path (as runc takes it) up on this host. 0 when b is filled,
 * 1 when the path cannot be judged (reported as spec-invalid), < 0 on
 * allocation failure. */
static int fill_path(struct rule_ctx *ctx, struct host_bind *b, const char *path, const struct root_info *ri,
                     bool mounts)
{
        bool rootish = b->role == HOST_ROLE_ROOT || b->role == HOST_ROLE_ROOT_LAYER;
        const char *what = role_names[b->role];
        const struct host_facts *f;
        unsigned flags = 0;
        int r;

        if (path_check_length(path) < 0) {
                hostpath_invalid_once(ctx, b->at, b->key,
                                      "%s is longer than the kernel accepts (%d bytes, or a name of more than %d): "
                                      "runc refuses it",
                                      what, PATH_MAX - 1, NAME_MAX);
                return 1;
        }
        if (mounts && !ctx->spec->offline) /* another host's mounts are not these */
                flags |= HOST_FACTS_MOUNTS | (b->role == HOST_ROLE_BIND && b->recursive ? HOST_FACTS_SUBS : 0);
        if (b->role == HOST_ROLE_DEVICE)
                flags |= HOST_FACTS_DEVICE;
        if ((r = hostpath_facts_get(path, ri->have_id ? &ri->id : NULL, flags, &f)) < 0)
                return r;
        b->resolved = f->resolved;
        b->walk_err = f->walk_err;
        b->untrusted_at = f->untrusted_at;
        b->untrusted_why = f->untrusted_why;
        if (f->walk_err)
                return 0; /* cannot be walked (no permission, a loop): judged by name */
        if (!rootish && ri->path &&
            (path_is_under(path, ri->path) || path_is_under(f->resolved, ri->path) || f->watched)) {
                hostpath_invalid_once(ctx, b->at, b->key,
                                      "%s %s is inside the container's own root file system %s: runc mounts it "
                                      "after it has made the spec's earlier mounts there, so it may name something "
                                      "runc-harden cannot see; use a host path outside the root file system",
                                      what, b->src, ri->path);
                return 1;
        }
        /* still judged as this process sees it: /proc/self/root is "/" for
         * runc too, and a protected path found here is worth naming */
        if (f->proc_link)
                hostpath_invalid_once(ctx, b->at, b->key,
                                      "%s goes through %s, a link in /proc whose target depends on the process "
                                      "that follows it (runc's, not runc-harden's); name the host path itself",
                                      what, f->proc_link);
        if (f->racy_at && !ctx->spec->offline) {
                hostpath_invalid_once(ctx, b->at, b->key,
                                      "%s goes through a symlink, and %s can be replaced by a user other than root "
                                      "between runc-harden's check and runc's mount; name the target directly, in "
                                      "directories only root can change",
                                      what, f->racy_at);
                return 1;
        }
        b->have_st = f->exists;
        b->st = f->st;
        b->up = f->up;
        b->mnt = f->mnt;
        b->aliases = f->aliases;
        b->n_aliases = f->n_aliases;
        b->subs = f->subs;
        b->n_subs = f->n_subs;
        return 0;
}

/* --- iterating ---------------------------------------------------------- */

typedef int (*path_fn)(struct rule_ctx *, const struct host_bind *, void *);

static int visit_mounted_layers(struct rule_ctx *ctx, const struct host_bind *top, const struct root_info *ri,
                                path_fn fn, void *data);

/* Fills b from path and calls fn (and for a bind of an overlay's mount
 * point, fn for each layer); b is emptied afterwards. */
static int visit(struct rule_ctx *ctx, struct host_bind *b, const char *path, const struct root_info *ri, bool mounts,
                 path_fn fn, void *data)
{
        _cleanup_free_ char *doubt = NULL;
        int r = fill_path(ctx, b, path, ri, mounts);
        /* A bind of an overlay the host mounted: its layers are judged by
         * their names, trusted only once shown to be what it stacked. The
         * root's (the engines' images) are judged by sensitive-mount.rootfs. */
        if (r == 0 && b->role == HOST_ROLE_BIND && b->mnt && b->resolved && !ctx->spec->offline &&
            STREQ(b->mnt->fstype, "overlay") && STREQ(b->mnt->point, b->resolved)) {
                if (overlay_mount_doubt(b->mnt, &doubt) < 0)
                        r = -ENOMEM;
                b->layers_doubt = doubt;
        }
        if (r == 0)
                r = fn(ctx, b, data);
        if (r == 0 && b->role == HOST_ROLE_BIND)
                r = visit_mounted_layers(ctx, b, ri, fn, data);
        bind_done(b);
        return r < 0 ? r : 0;
}

static int visit_overlay(struct rule_ctx *ctx, const struct jv *m, const struct root_info *ri, path_fn fn, void *data)
{
        const struct jv *opts = jv_get(m, "options");
        struct overlay_layers l;
        struct host_bind top;
        int r = 0;

        if (read_mount(ctx, m, &top) < 0)
                return 0;                    /* reported */
        (void)overlay_options_clear(ctx, m); /* the layers are judged all the same */
        if (spec_overlay_layers(m, &l) < 0)
                return -ENOMEM;
        for (size_t i = 0; i < l.n && r >= 0; i++) {
                struct host_bind b = {.m = m,
                                      .at = opts->u.arr.v[l.v[i].opt],
                                      .role = layer_role(&l.v[i]),
                                      .src = l.v[i].path,
                                      .spec_layer = true,
                                      .readonly = l.v[i].role == OVERLAY_LOWER ||
                                                  (l.v[i].role == OVERLAY_UPPER && top.readonly)};
                if (l.v[i].path[0] != '/') {
                        /* runc init mounts from the root file system: its working directory */
                        hostpath_invalid_once(ctx, b.at, NULL,
                                              "%s %s is relative: the kernel takes it from runc's working "
                                              "directory when it mounts, the container's own root file system; "
                                              "use an absolute host path",
                                              role_names[b.role], l.v[i].path);
                        continue;
                }
                r = visit(ctx, &b, l.v[i].path, ri, true, fn, data);
        }
        bind_done(&top);
        overlay_layers_done(&l);
        return r;
}

/* The layers of an overlay the host has mounted where a path of the spec
 * points: root.path (podman --rootfs DIR:O, every engine's image), or a
 * bind's source (what podman hands over for a -v SRC:DST:O when it mounts
 * the overlay itself). mountinfo shows the layers as they were given. A
 * relative one at the root (Docker's overlay2 with many layers mounts
 * "l/..." from its storage directory) is taken from the directory two
 * levels above the mount point (overlay2/<id>/merged), where engines keep
 * them; elsewhere it cannot be judged and is refused. */
static int visit_mounted_layers(struct rule_ctx *ctx, const struct host_bind *top, const struct root_info *ri,
                                path_fn fn, void *data)
{
        const struct mount_entry *e = top->mnt;
        bool root = top->role == HOST_ROLE_ROOT;
        size_t offsets[1] = {0};
        struct overlay_layers l = {0};
        int r = 0;

        if (!e || !STREQ(e->fstype, "overlay") || !STREQ(e->point, top->resolved))
                return 0;
        if (overlay_layers_parse(&l, e->super, offsets, 1) < 0)
                return -ENOMEM;
        _cleanup_free_ char *home = overlay_layer_home(top->resolved);
        for (size_t i = 0; i < l.n && r >= 0 && home; i++) {
                struct host_bind b = {.m = top->m,
                                      .at = top->at,
                                      .key = top->key,
                                      .role = root ? HOST_ROLE_ROOT_LAYER : layer_role(&l.v[i]),
                                      .src = l.v[i].path,
                                      .readonly = l.v[i].role == OVERLAY_LOWER || top->readonly};
                _cleanup_free_ char *abs = NULL;
                if (l.v[i].path[0] != '/' && !root) {
                        hostpath_invalid_once(ctx, top->at, top->key,
                                              "%s is an overlay whose layer %s mountinfo shows relative: it cannot "
                                              "be judged; mount it with absolute layers",
                                              top->src, l.v[i].path);
                        continue;
                }
                if (l.v[i].path[0] != '/' && asprintf(&abs, "%s/%s", home, l.v[i].path) < 0) {
                        r = -ENOMEM;
                        break;
                }
                r = visit(ctx, &b, abs ? abs : l.v[i].path, ri, true, fn, data);
        }
        overlay_layers_done(&l);
        return r;
}

/* root.path is judged by identity only when it might be something else
 * than its name says: when it is not on the mount of "/" (it is a mount
 * point, lies on another mount, or the spec names other host paths and
 * the table is read anyway). */
static bool root_needs_table(const char *path)
{
        static int root_mnt = -1;
        struct statx stx;

        if (root_mnt < 0 && statx(AT_FDCWD, "/", 0, STATX_MNT_ID, &stx) == 0 && (stx.stx_mask & STATX_MNT_ID))
                root_mnt = (int)stx.stx_mnt_id;
        if (statx(AT_FDCWD, path, 0, STATX_MNT_ID, &stx) < 0 || !(stx.stx_mask & STATX_MNT_ID) || root_mnt < 0)
                return true;
        return (int)stx.stx_mnt_id != root_mnt;
}

/* What the rules judge as the root is what verification will compare the
 * container's root with (hostpath_root_record()): a root.path that changed
 * in between was not judged. */
static bool root_is_recorded(struct rule_ctx *ctx, const struct host_bind *b)
{
        const struct spec *s = ctx->spec;

        if (!s->root_recorded || s->root_err < 0 || !b->have_st ||
            (b->st.st_dev == s->root_dev && b->st.st_ino == s->root_ino))
                return true;
        hostpath_invalid_once(ctx, b->at, b->key,
                              "%s changed while runc-harden judged it: it is not the directory it was a moment "
                              "before; it cannot be judged",
                              b->src);
        return false;
}

static int visit_root(struct rule_ctx *ctx, const struct root_info *ri, bool host_paths, path_fn fn, void *data)
{
        struct jv *root = jv_get(ctx->spec->root, "root");
        const struct jv *ro = jv_get(root, "readonly");
        const char *p;
        int r;

        if (!ri->path || !jv_cstr(jv_get(root, "path"), &p))
                return 0; /* absent or wrong: runc refuses it */
        struct host_bind b = {.m = root,
                              .at = root,
                              .key = "path",
                              .role = HOST_ROLE_ROOT,
                              .src = p,
                              .readonly = jv_is(ro, JV_BOOL) && ro->u.b};
        /* without a mount of its own, by name and inode */
        r = fill_path(ctx, &b, ri->path, ri, host_paths || root_needs_table(ri->path));
        if (r == 0 && !root_is_recorded(ctx, &b))
                r = 1;
        if (r == 0)
                r = fn(ctx, &b, data);
        if (r == 0)
                r = visit_mounted_layers(ctx, &b, ri, fn, data);
        bind_done(&b);
        return r < 0 ? r : 0;
}

/* --- linux.devices ------------------------------------------------------- */

/* runc 1.1.5 binds instead of mknod when the spec has a user namespace,
 * new or joined (config.Namespaces.Contains(NEWUSER)), or when runc runs in
 * one itself (userns.RunningInUserNS(), the same uid_map test); and it
 * falls back to the bind wherever mknod fails with EPERM: without
 * CAP_MKNOD in runc's bounding set (runc runs as root, so that is its
 * permitted set), under a device cgroup that forbids mknod, or on a file
 * system without device nodes (an mqueue mounted where the node goes
 * takes os.Create() but not mknod()). The first three are known here; the
 * last two are why HOST_DEVICES_MKNOD still looks at the host's paths.
 * lint runs elsewhere: only the spec counts there. */
host_devices_t hostpath_devices_mode(const struct rule_ctx *ctx)
{
        static int self = -1; /* runc, as runc-harden runs it, must bind */
        const struct jv *ns = jv_get(jv_get(ctx->spec->root, "linux"), "namespaces");
        const char *t;

        for (size_t i = 0; jv_is(ns, JV_ARRAY) && i < ns->u.arr.n; i++)
                if (jv_cstr(jv_get(ns->u.arr.v[i], "type"), &t) && STREQ(t, "user"))
                        return HOST_DEVICES_BIND;
        if (ctx->spec->offline)
                return HOST_DEVICES_MKNOD;
        if (self < 0)
                self = !host_initial_userns() || capng_get_caps_process() < 0 ||
                       capng_have_capability(CAPNG_BOUNDING_SET, CAP_MKNOD) != 1;
        return self ? HOST_DEVICES_BIND : HOST_DEVICES_MKNOD;
}

bool hostpath_is_device_node(const struct host_bind *b)
{
        return b->have_st && (S_ISCHR(b->st.st_mode) || S_ISBLK(b->st.st_mode));
}

/* Each entry's path as runc binds it: mount(2) of node.Path as written,
 * from runc init's working directory, the container's root file system
 * (so a relative one can reach any host file through a symlink of the
 * image). /dev/ptmx is skipped (setupPtmx makes it a symlink), and an
 * entry without a path is for the device cgroup alone. all: also paths
 * that do not exist here (runc fails on them). */
static int visit_devices(struct rule_ctx *ctx, const struct root_info *ri, bool all, path_fn fn, void *data)
{
        const struct jv *devs = jv_get(jv_get(ctx->spec->root, "linux"), "devices");

        for (size_t i = 0; jv_is(devs, JV_ARRAY) && i < devs->u.arr.n; i++) {
                const struct jv *e = devs->u.arr.v[i];
                const char *p;
                if (!jv_cstr(jv_get(e, "path"), &p) || !*p)
                        continue; /* a wrong type is the devices rule's to report */
                if (p[0] != '/') {
                        hostpath_invalid_once(ctx, e, "path",
                                              "is relative: where runc binds device nodes from the host (a user "
                                              "namespace, or mknod failing) it takes the path from its working "
                                              "directory, the container's root file system, where a symlink can "
                                              "name any host file; use an absolute path");
                        continue;
                }
                _cleanup_free_ char *norm = path_normalize(p);
                if (!norm)
                        return -ENOMEM;
                if (STREQ(norm, "/dev/ptmx"))
                        continue;
                struct host_bind b = {.m = e, .at = e, .key = "path", .role = HOST_ROLE_DEVNODE, .src = p};
                int r = fill_path(ctx, &b, p, ri, true);
                if (r == 0 && (all || b.have_st))
                        r = fn(ctx, &b, data);
                bind_done(&b);
                if (r < 0)
                        return r;
        }
        return 0;
}

int hostpath_for_each_device(struct rule_ctx *ctx, path_fn fn, void *data)
{
        _cleanup_(root_info_done) struct root_info ri;
        int r = root_info_init(ctx, &ri);

        return r < 0 ? r : visit_devices(ctx, &ri, true, fn, data);
}

int hostpath_for_each_path(struct rule_ctx *ctx, bool with_root, path_fn fn, void *data)
{
        _cleanup_(root_info_done) struct root_info ri;
        const struct jv *mounts = hostpath_mounts(ctx);
        bool host_paths = hostpath_names_host_paths(ctx);
        struct stat st;
        int r;

        if ((r = root_info_init(ctx, &ri)) < 0)
                return r;
        for (size_t i = 0; mounts && i < mounts->u.arr.n; i++) {
                const struct jv *m = mounts->u.arr.v[i];
                struct host_bind b;
                if ((r = read_mount(ctx, m, &b)) < 0)
                        continue; /* reported */
                if (r == 0 && is_overlay(m)) {
                        bind_done(&b);
                        r = visit_overlay(ctx, m, &ri, fn, data);
                } else if (r == 1) {
                        _cleanup_free_ char *p = hostpath_bundle_path(ctx, b.src);
                        r = p ? visit(ctx, &b, p, &ri, true, fn, data) : -ENOMEM;
                } else if (b.src && b.src[0] == '/' && stat(b.src, &st) == 0 && S_ISBLK(st.st_mode)) {
                        /* a block device: the file system on it is the host's */
                        b.role = HOST_ROLE_DEVICE;
                        r = visit(ctx, &b, b.src, &ri, true, fn, data);
                } else {
                        bind_done(&b);
                        r = 0;
                }
                bind_done(&b);
                if (r < 0)
                        return r;
        }
        if ((r = visit_devices(ctx, &ri, false, fn, data)) < 0)
                return r;
        return with_root ? visit_root(ctx, &ri, host_paths, fn, data) : 0;
}

bool hostpath_readonly_below(const struct rule_ctx *ctx, const struct host_bind *b)
{
        if (b->rro || !b->readonly || !ctx->ev)
                return b->rro;
        _cleanup_free_ char *ptr = spec_pointer(ctx->spec, b->m, "options");
        for (size_t i = 0; ptr && i < ctx->ev->n; i++) {
                const struct finding *f = &ctx->ev->findings[i];
                if (STREQ(f->rule, "recursive-readonly") && f->action == ACTION_FIX && !f->exempted &&
                    STREQ(f->pointer, ptr))
                        return true; /* its fix adds "rro" */
        }
        return false;
}

size_t hostpath_writable_subs(const struct rule_ctx *ctx, const struct host_bind *b)
{
        bool ro_below = b->n_subs && hostpath_readonly_below(ctx, b);
        size_t n = 0;

        for (size_t i = 0; i < b->n_subs; i++)
                if (!ro_below && !b->subs[i].mnt->readonly)
                        n++;
        return n;
}
