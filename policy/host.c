/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "host.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "util.h"

static const struct {
        const char *oci, *proc;
} ns_names[] = {
        {"pid", "pid"}, {"network", "net"}, {"mount", "mnt"},     {"ipc", "ipc"},
        {"uts", "uts"}, {"user", "user"},   {"cgroup", "cgroup"}, {"time", "time"},
};

const char *host_ns_proc_name(const char *oci_type)
{
        for (size_t i = 0; i < ARRAY_SIZE(ns_names); i++)
                if (STREQ(ns_names[i].oci, oci_type))
                        return ns_names[i].proc;
        return NULL;
}

bool host_ns_is_host(const char *proc_name, const struct stat *st)
{
        static const char *const who[] = {"1", "self"};
        char p[64];
        struct stat h;

        for (size_t i = 0; i < ARRAY_SIZE(who); i++) {
                snprintf(p, sizeof(p), "/proc/%s/ns/%s", who[i], proc_name);
                if (stat(p, &h) == 0 && h.st_dev == st->st_dev && h.st_ino == st->st_ino)
                        return true;
        }
        return false;
}

bool host_initial_userns(void)
{
        static int known = -1;
        char line[128], more[128];
        unsigned long inside = 1, outside = 1, count = 0;

        if (known >= 0)
                return known;
        _cleanup_fclose_ FILE *f = fopen("/proc/self/uid_map", "re");
        known = f && fgets(line, sizeof(line), f) && !fgets(more, sizeof(more), f) &&
                sscanf(line, "%lu %lu %lu", &inside, &outside, &count) == 3 && inside == 0 && outside == 0 &&
                count == 4294967295UL;
        return known;
}

char *path_normalize(const char *path)
{
        size_t len = strlen(path);
        char *out = malloc(len + 2);
        size_t o = 0;

        if (!out)
                return NULL;
        for (const char *p = path; *p;) {
                while (*p == '/')
                        p++;
                const char *e = strchrnul(p, '/');
                size_t n = (size_t)(e - p);
                if (n == 0 || (n == 1 && p[0] == '.')) {
                        /* nothing */
                } else if (n == 2 && p[0] == '.' && p[1] == '.') {
                        while (o > 0 && out[o - 1] != '/')
                                o--;
                        if (o > 0)
                                o--;
                } else {
                        out[o++] = '/';
                        memcpy(out + o, p, n);
                        o += n;
                }
                p = e;
        }
        if (o == 0)
                out[o++] = '/';
        out[o] = '\0';
        return out;
}

int path_check_length(const char *path)
{
        size_t len = strlen(path);

        if (len >= PATH_MAX)
                return -ENAMETOOLONG;
        for (const char *p = path, *end = path + len; p < end;) {
                const char *slash = memchr(p, '/', (size_t)(end - p));
                if ((slash ? slash : end) - p > NAME_MAX)
                        return -ENAMETOOLONG;
                p = slash ? slash + 1 : end;
        }
        return 0;
}

/* --- the walk ----------------------------------------------------------- */

/* What the walk learnt about one directory entry, kept for the life of the
 * process (host_facts_forget() drops it all): the same system directories
 * are looked at for every protected path and every bind. Nodes form a tree
 * keyed by (parent, name), so a lookup costs the length of one name, never
 * of the whole path, and a path is walked in time linear in its length. */
struct hmemo;

struct hnode {
        struct hnode *parent, *next; /* next: hash chain */
        char *link;                  /* the target, for a symlink */
        int err;                     /* 0, or -errno from looking it up */
        mode_t mode;
        uid_t uid;
        gid_t gid;
        dev_t dev, rdev;
        ino_t ino;
        bool replaceable;    /* a user other than root can replace it, or a directory above it */
        bool acl;            /* a root-owned directory with an access ACL (it may let others write) */
        signed char in_proc; /* a directory on a proc file system: -1 not asked yet */
        struct hmemo *memo;  /* a link: where following it led */
        size_t path_len;     /* of its absolute path; the root's is 0 */
        size_t len;
        char name[];
};

static struct {
        struct hnode *root;
        struct hnode **b;
        size_t nb, n;
} tree;

/* A walk may add a node for every component and for every component of
 * every link it follows; the tree is dropped between walks once larger. */
#define TREE_MAX_NODES 65536

static size_t node_hash(const struct hnode *parent, const char *name, size_t len)
{
        uint64_t h = 1469598103934665603ULL ^ (uint64_t)(uintptr_t)parent;
        for (size_t i = 0; i < len; i++)
                h = (h ^ (unsigned char)name[i]) * 1099511628211ULL;
        return (size_t)(h ^ (h >> 29));
}

static void node_free(struct hnode *n);

void host_facts_forget(void)
{
        for (size_t i = 0; i < tree.nb; i++)
                for (struct hnode *n = tree.b[i], *next; n; n = next) {
                        next = n->next;
                        node_free(n);
                }
        if (tree.root)
                node_free(tree.root);
        free(tree.b);
        tree = (typeof(tree)){0};
}

static void node_fill(struct hnode *n, const struct stat *st)
{
        n->mode = st->st_mode;
        n->uid = st->st_uid;
        n->gid = st->st_gid;
        n->dev = st->st_dev;
        n->ino = st->st_ino;
        n->rdev = st->st_rdev;
}

/* Whether the entry name of directory fd (an O_PATH fd, which xattr calls
 * do not take: reached through its /proc link, not by the whole path
 * again, so a deep walk stays linear) has an access ACL. What cannot be
 * read counts as one. */
static bool has_access_acl(int dirfd, const char *name)
{
        char p[64 + NAME_MAX];
        ssize_t n;

        if (dirfd == AT_FDCWD)
                n = lgetxattr(name, "system.posix_acl_access", NULL, 0);
        else if (snprintf(p, sizeof(p), "/proc/self/fd/%d/%s", dirfd, name) >= (int)sizeof(p))
                return true;
        else
                n = lgetxattr(p, "system.posix_acl_access", NULL, 0);
        return n > 0 || (n < 0 && errno != ENODATA && errno != EOPNOTSUPP);
}

static int tree_init(void)
{
        struct stat st;

        if (tree.n > TREE_MAX_NODES)
                host_facts_forget();
        if (tree.root)
                return 0;
        if (!(tree.root = calloc(1, sizeof(*tree.root) + 1)))
                return -ENOMEM;
        tree.root->in_proc = -1;
        if (lstat("/", &st) < 0)
                tree.root->err = -errno;
        else
                node_fill(tree.root, &st);
        tree.root->acl = has_access_acl(AT_FDCWD, "/");
        return 0;
}

static int tree_insert(struct hnode *n)
{
        if (tree.n >= tree.nb) {
                size_t nb = tree.nb ? tree.nb * 2 : 256;
                struct hnode **b = calloc(nb, sizeof(*b));
                if (!b)
                        return -ENOMEM;
                for (size_t i = 0; i < tree.nb; i++)
                        for (struct hnode *x = tree.b[i], *next; x; x = next) {
                                next = x->next;
                                size_t k = node_hash(x->parent, x->name, x->len) & (nb - 1);
                                x->next = b[k];
                                b[k] = x;
                        }
                free(tree.b);
                tree.b = b;
                tree.nb = nb;
        }
        size_t k = node_hash(n->parent, n->name, n->len) & (tree.nb - 1);
        n->next = tree.b[k];
        tree.b[k] = n;
        tree.n++;
        return 0;
}

static struct hnode *tree_find(const struct hnode *parent, const char *name, size_t len)
{
        if (!tree.nb)
                return NULL;
        for (struct hnode *n = tree.b[node_hash(parent, name, len) & (tree.nb - 1)]; n; n = n->next)
                if (n->parent == parent && n->len == len && memcmp(n->name, name, len) == 0)
                        return n;
        return NULL;
}

/* Whether a user other than root can create entries in dir: it is theirs
 * (its owner can always make it writable), writable by a group other than
 * root or by others, or has an access ACL (which may name other writers;
 * not decoded). Members of group root are not looked up. */
static bool others_can_create(const struct hnode *dir)
{
        return dir->uid != 0 || dir->acl || ((dir->mode & S_IWGRP) && dir->gid != 0) || (dir->mode & S_IWOTH);
}

/* Whether a user other than root can replace entry within dir: one who can
 * create there, except that with the sticky bit group and other writers
 * may only replace their own entries. */
static bool others_can_replace(const struct hnode *dir, const struct hnode *entry)
{
        if (dir->uid != 0 || dir->acl)
                return true;
        if (!((dir->mode & S_IWGRP) && dir->gid != 0) && !(dir->mode & S_IWOTH))
                return false;
        if (dir->mode & S_ISVTX)
                return entry->uid != 0;
        return true;
}

/* A walk's open directory: lookups are relative to it, so the kernel walks
 * one component per lookup, not the whole path again. */
struct walk_dir {
        int fd;
        const struct hnode *node;
};

static void walk_dir_done(struct walk_dir *d)
{
        if (d->fd >= 0)
                close(d->fd);
}

/* An fd for directory node dir, whose path is path (length dir->path_len). */
static int walk_dir_open(struct walk_dir *d, const struct hnode *dir, const char *path)
{
        int fd;

        if (d->fd >= 0 && d->node == dir)
                return d->fd;
        if (d->fd >= 0 && dir->parent == d->node)
                fd = openat(d->fd, dir->name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        else if (d->fd >= 0 && d->node->parent == dir)
                fd = openat(d->fd, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
        else if (dir->path_len == 0)
                fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
        else {
                _cleanup_free_ char *p = strndup(path, dir->path_len);
                if (!p)
                        return -ENOMEM;
                fd = open(p, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        }
        if (fd < 0)
                return -errno;
        if (d->fd >= 0)
                close(d->fd);
        d->fd = fd;
        d->node = dir;
        return fd;
}

/* The entry name (len bytes) of directory dir, looked up once. */
static struct hnode *node_lookup(struct walk_dir *d, struct hnode *dir, const char *dir_path, const char *name,
                                 size_t len)
{
        struct hnode *n = tree_find(dir, name, len);
        struct stat st;
        int fd;

        if (n)
                return n;
        if (!(n = calloc(1, sizeof(*n) + len + 1)))
                return NULL;
        memcpy(n->name, name, len);
        n->len = len;
        n->parent = dir;
        n->path_len = dir->path_len + 1 + len;
        n->in_proc = -1;
        if (dir->err < 0 || !S_ISDIR(dir->mode))
                n->err = -ENOTDIR;
        else if ((fd = walk_dir_open(d, dir, dir_path)) < 0)
                n->err = fd;
        else if (fstatat(fd, n->name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                n->err = -errno;
        else {
                node_fill(n, &st);
                if (S_ISDIR(st.st_mode) && st.st_uid == 0)
                        n->acl = has_access_acl(fd, n->name);
                if (S_ISLNK(st.st_mode)) {
                        char buf[PATH_MAX];
                        ssize_t k = readlinkat(fd, n->name, buf, sizeof(buf) - 1);
                        if (k < 0)
                                n->err = -errno;
                        else if (!(n->link = strndup(buf, (size_t)k))) {
                                free(n);
                                return NULL;
                        }
                }
        }
        n->replaceable = dir->replaceable || (n->err == 0 && others_can_replace(dir, n));
        if (tree_insert(n) < 0) {
                free(n->link);
                free(n);
                return NULL;
        }
        return n;
}

static bool node_in_proc(struct walk_dir *d, struct hnode *dir, const char *dir_path)
{
        struct statfs sf;
        int fd;

        if (dir->in_proc < 0 && (fd = walk_dir_open(d, dir, dir_path)) >= 0)
                dir->in_proc = fstatfs(fd, &sf) == 0 && sf.f_type == PROC_SUPER_MAGIC;
        return dir->in_proc > 0;
}

/* A growable string. */
struct sbuf {
        char *s;
        size_t n, cap;
};

static int sbuf_grow(struct sbuf *b, size_t len)
{
        if (b->n + len + 1 <= b->cap)
                return 0;
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->n + len + 1)
                cap *= 2;
        char *ns = realloc(b->s, cap);
        if (!ns)
                return -ENOMEM;
        b->s = ns;
        b->cap = cap;
        return 0;
}

static int sbuf_put(struct sbuf *b, const char *s, size_t len)
{
        if (sbuf_grow(b, len) < 0)
                return -ENOMEM;
        memcpy(b->s + b->n, s, len);
        b->n += len;
        b->s[b->n] = '\0';
        return 0;
}

/* "/" and a component */
static int sbuf_component(struct sbuf *b, const char *c, size_t len)
{
        if (sbuf_grow(b, len + 1) < 0)
                return -ENOMEM;
        b->s[b->n] = '/';
        memcpy(b->s + b->n + 1, c, len);
        b->n += len + 1;
        b->s[b->n] = '\0';
        return 0;
}

static void sbuf_pop(struct sbuf *b)
{
        while (b->n > 0 && b->s[b->n - 1] != '/')
                b->n--;
        if (b->n > 0)
                b->n--;
        if (b->s)
                b->s[b->n] = '\0';
}

/* The kernel follows at most 40 links in one lookup; what is left of the
 * path and of each link being followed is a stack, as in the kernel:
 * nothing is copied when a link is followed. */
#define WALK_MAX_LINKS 40

/* What a walk met, for the result and for each link being followed. */
struct walk_events {
        const struct hnode *replaceable; /* the first entry others can replace */
        const struct hnode *proc_link;   /* the first link followed inside /proc */
        bool watched;
};

struct walk_frame {
        const char *s;
        size_t pos;
        struct hnode *link; /* the link this frame follows, NULL for the path */
        size_t links_before;
        struct walk_events ev; /* met while following it */
};

struct walk_state {
        struct walk_frame stack[WALK_MAX_LINKS + 1];
        size_t depth, links;
        struct walk_events ev; /* the whole walk's */
};

/* What following a link once came to, kept on its node: a path through
 * many links with long targets (40 of them, each up to 4 KiB) costs their
 * length once per process, not once per walk. Valid for the watched
 * object it was found with. */
struct hmemo {
        struct hnode *node; /* where its target leads */
        char *tail;         /* and the part of it that does not exist */
        size_t tail_len, links;
        struct walk_events ev;
        struct host_fileid watch;
        bool have_watch;
};

static void node_free(struct hnode *n)
{
        if (n->memo) {
                free(n->memo->tail);
                free(n->memo);
        }
        free(n->link);
        free(n);
}

static void walk_event(struct walk_state *ws, const struct hnode *replaceable, const struct hnode *proc_link,
                       bool watched)
{
        for (size_t i = 0; i <= ws->depth; i++) {
                struct walk_events *e = i < ws->depth ? &ws->stack[i].ev : &ws->ev;
                if (replaceable && !e->replaceable)
                        e->replaceable = replaceable;
                if (proc_link && !e->proc_link)
                        e->proc_link = proc_link;
                e->watched = e->watched || watched;
        }
}

static bool memo_fits(const struct hmemo *m, const struct host_fileid *watch)
{
        if (!m)
                return false;
        if (!watch)
                return !m->have_watch;
        return m->have_watch && m->watch.dev == watch->dev && m->watch.ino == watch->ino;
}

/* A frame is done: its link's result is kept. */
static int memo_save(const struct walk_frame *f, struct hnode *cur, const struct sbuf *tail, size_t links,
                     const struct host_fileid *watch)
{
        struct hmemo *m = f->link->memo;
        if (!m && !(m = f->link->memo = calloc(1, sizeof(*m))))
                return -ENOMEM;
        free(m->tail);
        *m = (struct hmemo){.node = cur, .tail_len = tail->n, .links = links - f->links_before, .ev = f->ev};
        if (watch) {
                m->watch = *watch;
                m->have_watch = true;
        }
        if (tail->n && !(m->tail = strndup(tail->s, tail->n)))
                return -ENOMEM;
        return 0;
}

/* The path of node n into out ("" for the root). */
static int sbuf_node(struct sbuf *out, const struct hnode *n)
{
        out->n = 0;
        if (sbuf_grow(out, n->path_len) < 0)
                return -ENOMEM;
        size_t end = n->path_len;
        for (const struct hnode *x = n; x->parent; x = x->parent) {
                end -= x->len;
                memcpy(out->s + end, x->name, x->len);
                out->s[--end] = '/';
        }
        out->n = n->path_len;
        out->s[out->n] = '\0';
        return 0;
}

static int node_path(const struct hnode *n, char **ret)
{
        struct sbuf b = {0};
        if (sbuf_node(&b, n) < 0 || (b.n == 0 && sbuf_put(&b, "/", 1) < 0)) {
                free(b.s);
                return -ENOMEM;
        }
        *ret = b.s;
        return 0;
}

void host_walk_done(struct host_walk *w)
{
        free(w->path);
        free(w->chain);
        free(w->racy_at);
        free(w->untrusted_at);
        free(w->untrusted_why);
        free(w->proc_link);
        *w = (struct host_walk){0};
}

/* Why a user other than root can change dir's entry (NULL: create one). */
static int untrusted_reason(const struct hnode *dir, const struct hnode *entry, char **ret)
{
        _cleanup_free_ char *d = NULL;
        int r;

        if (node_path(dir, &d) < 0)
                return -ENOMEM;
        if (dir->uid != 0)
                r = asprintf(ret, "%s is owned by uid %u", d, (unsigned)dir->uid);
        else if (dir->acl)
                r = asprintf(ret, "%s has an access ACL, which may let others write it", d);
        else if (entry && (dir->mode & S_ISVTX))
                r = asprintf(ret, "%s is sticky and writable by others, and the entry is owned by uid %u", d,
                             (unsigned)entry->uid);
        else if ((dir->mode & S_IWGRP) && dir->gid != 0)
                r = asprintf(ret, "%s is writable by group %u", d, (unsigned)dir->gid);
        else if (dir->mode & S_IWOTH)
                r = asprintf(ret, "%s is writable by others", d);
        else
                r = asprintf(ret, "a directory above %s can be replaced", d);
        return r < 0 ? -ENOMEM : 0;
}

/* The first entry of the walk a user other than root can replace, or the
 * last directory that exists (missing: the rest is created there) when
 * such a user can create entries in it: what the path names can change
 * after this look, symlink or not. */
static int walk_untrusted(struct host_walk *ret, const struct hnode *replaceable, const struct hnode *missing_in)
{
        _cleanup_free_ char *why = NULL;
        const struct hnode *at;
        int r;

        if (replaceable && replaceable->parent)
                at = replaceable;
        else if (missing_in && S_ISDIR(missing_in->mode) && others_can_create(missing_in))
                at = missing_in;
        else
                return 0;
        if (node_path(at, &ret->untrusted_at) < 0 ||
            untrusted_reason(at == replaceable ? at->parent : at, at == replaceable ? at : NULL, &why) < 0)
                return -ENOMEM;
        if (at == replaceable)
                r = asprintf(&ret->untrusted_why, "%s can be replaced by a user other than root: %s", ret->untrusted_at,
                             why);
        else
                r = asprintf(&ret->untrusted_why,
                             "the rest of the path does not exist, and a user other than root can create it: %s", why);
        return r < 0 ? -ENOMEM : 0;
}

static int walk_result(struct host_walk *ret, const struct walk_state *ws, const struct hnode *cur, struct sbuf *out,
                       const struct sbuf *tail)
{
        size_t n = 0;

        if (out->s)
                out->s[out->n] = '\0';
        ret->exist_len = out->n ? out->n : 1;
        if (tail->n && sbuf_put(out, tail->s, tail->n) < 0)
                return -ENOMEM;
        if (out->n == 0 && sbuf_put(out, "/", 1) < 0)
                return -ENOMEM;
        ret->path = TAKE_PTR(out->s);
        ret->exists = tail->n == 0;
        ret->st = (struct stat){.st_mode = cur->mode,
                                .st_uid = cur->uid,
                                .st_gid = cur->gid,
                                .st_dev = cur->dev,
                                .st_ino = cur->ino,
                                .st_rdev = cur->rdev};
        ret->watched = ws->ev.watched;
        /* an entry on the way that a user can replace matters once a link
         * was followed: then what the path names can change */
        if (ret->followed_link && ws->ev.replaceable && node_path(ws->ev.replaceable, &ret->racy_at) < 0)
                return -ENOMEM;
        if (ws->ev.proc_link && node_path(ws->ev.proc_link, &ret->proc_link) < 0)
                return -ENOMEM;
        if (walk_untrusted(ret, ws->ev.replaceable, tail->n ? cur : NULL) < 0)
                return -ENOMEM;
        for (const struct hnode *x = cur; x; x = x->parent)
                n++;
        if (!(ret->chain = calloc(n, sizeof(*ret->chain))))
                return -ENOMEM;
        for (const struct hnode *x = cur; x; x = x->parent)
                ret->chain[ret->n_chain++] = (struct host_fileid){x->dev, x->ino};
        return 0;
}

/* Follows link child of cur: pushes its target, or jumps to where it led
 * before. */
static int walk_link(struct walk_state *ws, struct walk_dir *d, struct hnode **cur, struct sbuf *out, struct sbuf *tail,
                     struct hnode *child, const struct host_fileid *watch)
{
        bool in_proc = node_in_proc(d, *cur, out->s);
        const struct hmemo *m = child->memo;

        if (memo_fits(m, watch)) {
                if ((ws->links += m->links) > WALK_MAX_LINKS)
                        return -ELOOP;
                walk_event(ws, child->replaceable ? child : NULL, in_proc ? child : NULL, false);
                walk_event(ws, m->ev.replaceable, m->ev.proc_link, m->ev.watched);
                *cur = m->node;
                return sbuf_node(out, *cur) ?: m->tail_len ? sbuf_put(tail, m->tail, m->tail_len) : 0;
        }
        if (ws->links++ >= WALK_MAX_LINKS)
                return -ELOOP;
        ws->stack[ws->depth++] = (struct walk_frame){.s = child->link, .link = child, .links_before = ws->links - 1};
        walk_event(ws, child->replaceable ? child : NULL, in_proc ? child : NULL, false);
        if (child->link[0] == '/') {
                *cur = tree.root;
                out->n = 0;
        }
        return 0;
}

int host_walk(const char *path, const struct host_fileid *watch, struct host_walk *ret)
{
        struct walk_state ws = {.stack = {{.s = path}}, .depth = 1};
        _cleanup_(walk_dir_done) struct walk_dir d = {.fd = -1};
        struct sbuf out = {0}, tail = {0};
        int r = 0;

        *ret = (struct host_walk){0};
        if ((r = path_check_length(path)) < 0)
                return r;
        if (path[0] != '/')
                return -EINVAL;
        if (tree_init() < 0)
                return -ENOMEM;
        struct hnode *cur = tree.root;
        /* out holds cur's path; tail what follows the first missing component */
        while (r == 0 && ws.depth > 0) {
                struct walk_frame *f = &ws.stack[ws.depth - 1];
                while (f->s[f->pos] == '/')
                        f->pos++;
                if (!f->s[f->pos]) {
                        if (f->link)
                                r = memo_save(f, cur, &tail, ws.links, watch);
                        ws.depth--;
                        continue;
                }
                const char *c = f->s + f->pos;
                size_t n = strcspn(c, "/");
                f->pos += n;
                if (n == 1 && c[0] == '.')
                        continue;
                if (n == 2 && c[0] == '.' && c[1] == '.') {
                        if (tail.n)
                                sbuf_pop(&tail);
                        else if (cur->parent) {
                                cur = cur->parent;
                                out.n = cur->path_len;
                        }
                        continue;
                }
                if (tail.n) {
                        r = sbuf_component(&tail, c, n);
                        continue;
                }
                struct hnode *child = node_lookup(&d, cur, out.s, c, n);
                if (!child) {
                        r = -ENOMEM;
                        break;
                }
                if (child->err == -ENOENT || child->err == -ENOTDIR) {
                        r = sbuf_component(&tail, c, n);
                        continue;
                }
                if (child->err < 0) {
                        r = child->err;
                        break;
                }
                if (S_ISLNK(child->mode)) {
                        ret->followed_link = true;
                        r = walk_link(&ws, &d, &cur, &out, &tail, child, watch);
                        continue;
                }
                walk_event(&ws, child->replaceable ? child : NULL, NULL,
                           watch && child->dev == watch->dev && child->ino == watch->ino);
                cur = child;
                r = sbuf_component(&out, c, n);
        }
        if (r == 0)
                r = walk_result(ret, &ws, cur, &out, &tail);
        free(out.s);
        free(tail.s);
        if (r < 0)
                host_walk_done(ret);
        return r;
}

char *path_resolve(const char *path)
{
        struct host_walk w;
        _cleanup_free_ char *abs = NULL;
        char cwd[PATH_MAX];

        if (path[0] != '/') {
                /* hooks: runc runs them from its working directory */
                if (!getcwd(cwd, sizeof(cwd)) || asprintf(&abs, "%s/%s", cwd, path) < 0)
                        return path_normalize(path);
                path = abs;
        }
        if (host_walk(path, NULL, &w) < 0)
                return path_normalize(path); /* cannot be walked: by name */
        char *out = TAKE_PTR(w.path);
        host_walk_done(&w);
        return out;
}

int host_stat(const char *path, struct stat *ret)
{
        struct host_walk w;
        int r = host_walk(path, NULL, &w);
        if (r < 0)
                return r;
        if (!w.exists) {
                host_walk_done(&w);
                return -ENOENT;
        }
        *ret = w.st;
        host_walk_done(&w);
        return 0;
}

bool path_is_under(const char *path, const char *dir)
{
        size_t n = strlen(dir);
        if (STREQ(dir, "/"))
                return true;
        return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

int host_open_no_magiclinks(const char *path, int flags)
{
        struct open_how how = {.flags = (uint64_t)(flags | O_CLOEXEC), .resolve = RESOLVE_NO_MAGICLINKS};
        int fd = (int)syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof(how));
        return fd < 0 ? -errno : fd;
}

char *go_getwd(void)
{
        const char *pwd = getenv("PWD");
        struct stat dot, d;

        if (stat(".", &dot) < 0)
                return NULL;
        if (pwd && pwd[0] == '/' && stat(pwd, &d) == 0 && d.st_dev == dot.st_dev && d.st_ino == dot.st_ino)
                return strdup(pwd);
        return getcwd(NULL, 0);
}

char *go_abs(const char *path)
{
        _cleanup_free_ char *cwd = NULL, *joined = NULL;

        if (path[0] == '/')
                return path_normalize(path);
        if (!(cwd = go_getwd()) || asprintf(&joined, "%s/%s", cwd, path) < 0)
                return NULL;
        return path_normalize(joined);
}
