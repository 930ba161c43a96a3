/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host.h"
#include "identity.h"
#include "inroot.h"
#include "util.h"

/* A group file larger than this is not read (Debian's is 1 KiB). */
#define GROUP_FILE_MAX (1024 * 1024)

/* --- Go's text handling, as runc 1.1 (Go 1.19) applies it ------------------ */

/* utf8.DecodeRune: the rune at s, or U+FFFD with size 1 when s does not
 * start with valid UTF-8 (overlong forms and surrogates included). */
static uint32_t utf8_decode(const unsigned char *s, size_t len, size_t *ret_size)
{
        unsigned char b = s[0], lo = 0x80, hi = 0xbf;
        size_t n;
        uint32_t r;

        *ret_size = 1;
        if (b < 0x80)
                return b;
        if (b >= 0xc2 && b <= 0xdf)
                n = 2, r = b & 0x1f;
        else if (b >= 0xe0 && b <= 0xef)
                n = 3, r = b & 0x0f, lo = b == 0xe0 ? 0xa0 : 0x80, hi = b == 0xed ? 0x9f : 0xbf;
        else if (b >= 0xf0 && b <= 0xf4)
                n = 4, r = b & 0x07, lo = b == 0xf0 ? 0x90 : 0x80, hi = b == 0xf4 ? 0x8f : 0xbf;
        else
                return 0xfffd;
        if (len < n || s[1] < lo || s[1] > hi)
                return 0xfffd;
        for (size_t i = 1; i < n; i++) {
                if (i > 1 && (s[i] < 0x80 || s[i] > 0xbf))
                        return 0xfffd;
                r = (r << 6) | (s[i] & 0x3f);
        }
        *ret_size = n;
        return r;
}

/* unicode.IsSpace */
static bool go_is_space(uint32_t r)
{
        if (r < 0x100)
                return r == ' ' || (r >= '\t' && r <= '\r') || r == 0x85 || r == 0xa0;
        return r == 0x1680 || (r >= 0x2000 && r <= 0x200a) || r == 0x2028 || r == 0x2029 || r == 0x202f ||
               r == 0x205f || r == 0x3000;
}

/* utf8.DecodeLastRune of s[off, end): the rune that ends there, or
 * U+FFFD with size 1. */
static uint32_t utf8_decode_last(const unsigned char *s, size_t off, size_t end, size_t *ret_size)
{
        size_t start = end - 1, size;
        uint32_t r;

        *ret_size = 1;
        if (s[start] < 0x80)
                return s[start];
        /* a rune is at most four bytes: its first byte is no continuation */
        while (start > off && end - start < 4 && (s[start] & 0xc0) == 0x80)
                start--;
        r = utf8_decode(s + start, end - start, &size);
        if (start + size != end)
                return 0xfffd;
        *ret_size = size;
        return r;
}

/* bytes.TrimSpace: Unicode white space off both ends of text[*off, +*len). */
static void go_trim_space(const char *text, size_t *off, size_t *len)
{
        const unsigned char *s = (const unsigned char *)text;
        size_t size;

        while (*len > 0 && go_is_space(utf8_decode(s + *off, *len, &size))) {
                *off += size;
                *len -= size;
        }
        while (*len > 0 && go_is_space(utf8_decode_last(s, *off, *off + *len, &size)))
                *len -= size;
}

/* strconv.Atoi with its error ignored, as runc's parseLine does: an
 * optional sign and decimal digits, else 0; out of int64's range, the
 * bound (ParseUint gives up at the first overflow, whatever follows, and
 * ParseInt returns the bound with its range error). */
static int64_t go_atoi_lenient(const char *s, size_t len)
{
        bool neg = false;
        uint64_t n = 0;

        if (len > 0 && (s[0] == '+' || s[0] == '-')) {
                neg = s[0] == '-';
                s++;
                len--;
        }
        if (len == 0)
                return 0;
        for (size_t i = 0; i < len; i++) {
                unsigned d = (unsigned char)s[i] - '0';
                if (d > 9)
                        return 0;
                if (n > (UINT64_MAX - d) / 10)
                        return neg ? INT64_MIN : INT64_MAX;
                n = n * 10 + d;
        }
        if (!neg)
                return n > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)n;
        return n >= (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)n;
}

/* --- runc's GetAdditionalGroups ------------------------------------------- */

struct group_entry {
        const char *name;
        size_t name_len;
        int64_t gid;
};

static bool group_matches(const struct group_entry *g, uint32_t ag)
{
        char s[16];
        int n = snprintf(s, sizeof(s), "%u", ag);
        return (g->name_len == (size_t)n && memcmp(g->name, s, (size_t)n) == 0) || g->gid == (int64_t)ag;
}

/* One line of a group file as runc's ParseGroupFilter and parseLine read
 * it: trimmed, skipped when empty or a comment, split at ':' into name,
 * password, gid (missing or not a number: 0). false when skipped. */
static bool group_parse_line(const char *text, size_t off, size_t len, struct group_entry *ret)
{
        const char *line, *c1, *c2, *c3;
        size_t rest;

        go_trim_space(text, &off, &len);
        line = text + off;
        if (len == 0 || line[0] == '#')
                return false;
        c1 = memchr(line, ':', len);
        ret->name = line;
        ret->name_len = c1 ? (size_t)(c1 - line) : len;
        ret->gid = 0;
        if (!c1)
                return true;
        rest = len - (size_t)(c1 + 1 - line);
        c2 = memchr(c1 + 1, ':', rest);
        if (!c2)
                return true;
        rest = len - (size_t)(c2 + 1 - line);
        c3 = memchr(c2 + 1, ':', rest);
        ret->gid = go_atoi_lenient(c2 + 1, c3 ? (size_t)(c3 - c2 - 1) : rest);
        return true;
}

static bool taken_has(const int64_t *taken, size_t n, int64_t gid)
{
        for (size_t i = 0; i < n; i++)
                if (taken[i] == gid)
                        return true;
        return false;
}

int identity_runc_groups(const char *text, size_t len, const uint32_t *ags, size_t n, uint32_t *ret_gids)
{
        _cleanup_free_ int64_t *taken = calloc(n ? n : 1, sizeof(*taken));
        size_t n_taken = 0;

        if (!taken)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                bool found = false;
                /* the first group in file order that matches and whose gid
                 * is not taken yet */
                for (size_t off = 0; text && off < len && !found;) {
                        const char *nl = memchr(text + off, '\n', len - off);
                        size_t l = nl ? (size_t)(nl - (text + off)) : len - off;
                        struct group_entry g;
                        if (group_parse_line(text, off, l, &g) && group_matches(&g, ags[i]) &&
                            !taken_has(taken, n_taken, g.gid)) {
                                taken[n_taken++] = g.gid;
                                ret_gids[i] = (uint32_t)g.gid; /* setgroups' gid_t */
                                found = true;
                        }
                        off += l + 1;
                }
                if (found)
                        continue;
                if (ags[i] > INT32_MAX)
                        return -ERANGE;
                if (!taken_has(taken, n_taken, ags[i]))
                        taken[n_taken++] = ags[i];
                ret_gids[i] = ags[i];
        }
        return 0;
}

/* --- the file runc will read ------------------------------------------------ */

void group_judgement_done(struct group_judgement *g)
{
        free(g->file);
        free(g->unknown);
        *g = (struct group_judgement){.root_at = -1};
}

static void set_unknown(struct group_judgement *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_unknown(struct group_judgement *g, const char *fmt, ...)
{
        va_list ap;

        if (g->unknown)
                return;
        va_start(ap, fmt);
        if (vasprintf(&g->unknown, fmt, ap) < 0)
                g->unknown = NULL;
        va_end(ap);
        if (!g->unknown)
                g->unknown = strdup("out of memory");
}

/* A path of the spec as runc takes it: relative ones from the bundle. */
static char *bundle_path(const struct spec *s, const char *p)
{
        char *out = NULL;
        if (p[0] == '/' || !s->bundle)
                return strdup(p);
        return asprintf(&out, "%s/%s", s->bundle, p) < 0 ? NULL : out;
}

/* path inside the root as the image's symbolic links resolve it (within
 * the root): the longest prefix that exists, resolved, and the rest as
 * written. root_host is the root's own path ("" for "/"). NULL when it
 * cannot be told. */
static char *resolve_in_root(int rootfd, const char *root_host, const char *path)
{
        _cleanup_free_ char *norm = path_normalize(path);
        size_t rl = strlen(root_host), cut;

        if (!norm)
                return NULL;
        for (cut = STREQ(norm, "/") ? 0 : strlen(norm);;) {
                _cleanup_free_ char *prefix = cut ? strndup(norm, cut) : strdup("/");
                if (!prefix)
                        return NULL;
                _cleanup_close_ int fd = inroot_openat(rootfd, prefix, O_PATH);
                if (fd >= 0) {
                        _cleanup_free_ char *host = fd_path(fd);
                        char *out = NULL;
                        if (!host || strncmp(host, root_host, rl) != 0 || (host[rl] != '\0' && host[rl] != '/'))
                                return NULL;
                        const char *inside = host + rl;
                        if (!*inside && !norm[cut])
                                inside = "/";
                        return asprintf(&out, "%s%s", inside, norm + cut) < 0 ? NULL : out;
                }
                if ((errno != ENOENT && errno != ENOTDIR) || cut == 0)
                        return NULL;
                while (cut > 0 && norm[--cut] != '/')
                        ;
        }
}

/* The in-root paths looked at while following a path inside the root. */
struct visited {
        char **v;
        size_t n;
};

static void visited_done(struct visited *w)
{
        for (size_t i = 0; i < w->n; i++)
                free(w->v[i]);
        free(w->v);
        *w = (struct visited){0};
}

static int visited_add(struct visited *w, const char *dir, const char *name)
{
        char **v = realloc(w->v, (w->n + 1) * sizeof(*v));
        if (!v)
                return -ENOMEM;
        w->v = v;
        if (asprintf(&w->v[w->n], "%s/%s", dir, name) < 0)
                return -ENOMEM;
        w->n++;
        return 0;
}

/* Follows path inside the root by hand, as the kernel would in a chroot of
 * it, and records every in-root path it looks at: each directory, each
 * symbolic link and where it leads, and the rest of the path, as written,
 * once something is missing (runc creates a missing mountpoint, so a mount
 * there counts too). A mount at or above any of them can change what path
 * names once runc has made it. -ELOOP after 40 links. */
static int walk_in_root(int rootfd, const char *path, struct visited *ret)
{
        _cleanup_free_ char *buf = strdup(path), *cur = strdup("");
        char *rest = buf, target[PATH_MAX];
        unsigned links = 0;
        int r;

        if (!buf || !cur)
                return -ENOMEM;
        _cleanup_close_ int fd = fcntl(rootfd, F_DUPFD_CLOEXEC, 3);
        if (fd < 0)
                return -errno;
        for (char *c = strtok_r(rest, "/", &rest); c; c = strtok_r(NULL, "/", &rest)) {
                struct stat st;
                if (STREQ(c, "."))
                        continue;
                if (STREQ(c, "..")) {
                        /* never above the root, as in a chroot */
                        char *slash = strrchr(cur, '/');
                        if (slash)
                                *slash = '\0';
                        closep(&fd);
                        if ((fd = inroot_openat(rootfd, *cur ? cur : "/", O_PATH | O_DIRECTORY)) < 0)
                                return -errno;
                        continue;
                }
                if ((r = visited_add(ret, cur, c)) < 0)
                        return r;
                _cleanup_close_ int next = openat(fd, c, O_PATH | O_NOFOLLOW | O_CLOEXEC);
                if (next < 0 && (errno == ENOENT || errno == ENOTDIR)) {
                        /* the rest as written: what runc would create */
                        for (c = strtok_r(NULL, "/", &rest); c; c = strtok_r(NULL, "/", &rest))
                                if ((r = visited_add(ret, ret->v[ret->n - 1], c)) < 0)
                                        return r;
                        return 0;
                }
                if (next < 0 || fstat(next, &st) < 0)
                        return -errno;
                if (S_ISLNK(st.st_mode)) {
                        char *joined = NULL;
                        ssize_t n;
                        if (++links > 40)
                                return -ELOOP;
                        if ((n = readlinkat(next, "", target, sizeof(target) - 1)) < 0)
                                return -errno;
                        target[n] = '\0';
                        if (asprintf(&joined, "%s/%s", target, rest) < 0)
                                return -ENOMEM;
                        free(buf);
                        buf = rest = joined;
                        if (target[0] == '/') {
                                cur[0] = '\0';
                                closep(&fd);
                                if ((fd = fcntl(rootfd, F_DUPFD_CLOEXEC, 3)) < 0)
                                        return -errno;
                        }
                        continue;
                }
                free(cur);
                cur = strdup(ret->v[ret->n - 1]);
                if (!cur)
                        return -ENOMEM;
                closep(&fd);
                fd = TAKE_FD(next);
        }
        return 0;
}

static bool is_bind_mount(const struct jv *m)
{
        const struct jv *opts = jv_get(m, "options");
        const char *t;

        if (jv_cstr(jv_get(m, "type"), &t) && strcasecmp(t, "bind") == 0)
                return true;
        for (size_t i = 0; jv_is(opts, JV_ARRAY) && i < opts->u.arr.n; i++)
                if (jv_cstr(opts->u.arr.v[i], &t) && (strcasecmp(t, "bind") == 0 || strcasecmp(t, "rbind") == 0))
                        return true;
        return false;
}

/* Reads a regular file that fd (O_PATH) names, at most GROUP_FILE_MAX
 * bytes; no device or FIFO is ever opened for reading. */
static int read_regular(int fd, char **ret, size_t *ret_len)
{
        struct stat st;
        char link[64];

        if (fstat(fd, &st) < 0)
                return -errno;
        if (S_ISDIR(st.st_mode))
                return -EISDIR;
        if (!S_ISREG(st.st_mode))
                return -EINVAL;
        if (st.st_size > GROUP_FILE_MAX)
                return -EFBIG;
        snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
        _cleanup_close_ int rfd = open(link, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
        if (rfd < 0)
                return -errno;
        _cleanup_free_ char *buf = malloc(GROUP_FILE_MAX + 1);
        size_t len = 0;
        ssize_t k;
        if (!buf)
                return -ENOMEM;
        while ((k = read(rfd, buf + len, GROUP_FILE_MAX + 1 - len)) > 0)
                if ((len += (size_t)k) > GROUP_FILE_MAX)
                        return -EFBIG;
        if (k < 0)
                return -errno;
        *ret = TAKE_PTR(buf);
        *ret_len = len;
        return 0;
}

/* Where runc will find /etc/group once the spec's mounts are made: the
 * image's file (*ret_source NULL) or a bind's host source (malloc'd); a
 * mount that decides otherwise is g->unknown. */
static int group_source(const struct spec *s, int rootfd, const char *root_host, struct group_judgement *g,
                        char **ret_source)
{
        const struct jv *mounts = jv_get(s->root, "mounts");
        _cleanup_(visited_done) struct visited seen = {0};
        int r;

        *ret_source = NULL;
        if ((r = walk_in_root(rootfd, "/etc/group", &seen)) == -ENOMEM)
                return r;
        if (r < 0 || seen.n == 0) {
                set_unknown(g, "/etc/group cannot be followed inside the root file system (%s)", strerror(-r));
                return 0;
        }
        const char *gres = seen.v[seen.n - 1]; /* where /etc/group leads */
        for (size_t i = 0; jv_is(mounts, JV_ARRAY) && i < mounts->u.arr.n; i++) {
                const struct jv *m = mounts->u.arr.v[i];
                const char *dest, *src;
                bool covers = false;
                if (!jv_cstr(jv_get(m, "destination"), &dest))
                        continue;
                _cleanup_free_ char *dlex = path_normalize(dest);
                _cleanup_free_ char *dres = resolve_in_root(rootfd, root_host, dest);
                if (!dlex || !dres) {
                        set_unknown(g, "the mount at %s cannot be followed inside the root file system", dest);
                        return 0;
                }
                for (size_t k = 0; k < seen.n && !covers; k++)
                        covers = path_is_under(seen.v[k], dlex) || path_is_under(seen.v[k], dres);
                if ((STREQ(dlex, gres) || STREQ(dres, gres)) && is_bind_mount(m) &&
                    jv_cstr(jv_get(m, "source"), &src)) {
                        /* a file bound where /etc/group leads: that file */
                        free(*ret_source);
                        if (!(*ret_source = bundle_path(s, src)))
                                return -ENOMEM;
                } else if (covers) {
                        free(*ret_source);
                        *ret_source = NULL;
                        set_unknown(g, "the mount at %s replaces what runc reads as /etc/group", dest);
                        return 0;
                }
        }
        return 0;
}

int identity_judge_groups(const struct spec *s, bool offline, const uint32_t *ags, size_t n, struct group_judgement *g)
{
        const char *root;
        _cleanup_free_ char *rootpath = NULL, *root_host = NULL, *source = NULL, *text = NULL;
        _cleanup_free_ uint32_t *gids = NULL;
        size_t len = 0;
        int r;

        *g = (struct group_judgement){.root_at = -1};
        if (n == 0)
                return 0; /* runc reads no group file */
        if (!s) {
                set_unknown(g, "the container's config.json is not known");
                return 0;
        }
        /* No root file system, or none here: runc refuses the spec, or it
         * is judged away from the host that runs it (lint). */
        if (!jv_cstr(jv_get(jv_get(s->root, "root"), "path"), &root) || !*root)
                return 0;
        if (!(rootpath = bundle_path(s, root)))
                return -ENOMEM;
        _cleanup_close_ int rootfd = open(rootpath, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (rootfd < 0) {
                int e = errno;
                if (!offline && e != ENOENT && e != ENOTDIR)
                        set_unknown(g, "its root file system %s cannot be opened (%s)", rootpath, strerror(e));
                return 0;
        }
        if (!(root_host = fd_path(rootfd))) {
                set_unknown(g, "its root file system %s cannot be located", rootpath);
                return 0;
        }
        if ((r = group_source(s, rootfd, STREQ(root_host, "/") ? "" : root_host, g, &source)) < 0 || g->unknown)
                return r;

        _cleanup_close_ int fd =
                source ? open(source, O_PATH | O_CLOEXEC) : inroot_openat(rootfd, "/etc/group", O_PATH);
        int open_errno = errno;
        if (asprintf(&g->file, "%s%s", source ? source : "the image's /etc/group",
                     source ? " (bound at /etc/group)" : "") < 0)
                return -ENOMEM;
        if (fd < 0 && open_errno == ENOENT) {
                /* runc goes on without a file: every id is taken as a number */
        } else if (fd < 0) {
                set_unknown(g, "%s cannot be opened (%s)", g->file, strerror(open_errno));
                return 0;
        } else if ((r = read_regular(fd, &text, &len)) == -EISDIR) {
                return 0; /* runc fails reading a directory: no process */
        } else if (r < 0) {
                set_unknown(g, "%s cannot be read (%s)", g->file, strerror(-r));
                return 0;
        }
        if (!(gids = calloc(n, sizeof(*gids))))
                return -ENOMEM;
        if ((r = identity_runc_groups(text, len, ags, n, gids)) == -ENOMEM)
                return r;
        for (size_t i = 0; r == 0 && i < n; i++)
                if (gids[i] == 0) {
                        g->root_at = (ssize_t)i;
                        break;
                }
        return 0;
}

/* --- capabilities ----------------------------------------------------------- */

uint64_t identity_caps_kept(uint64_t ambient, uint64_t permitted, uint64_t inheritable, uint64_t bounding)
{
        /* execve(2) of a program without file capabilities: the ambient set
         * becomes the permitted and effective sets. Of one with file
         * capabilities F: (inheritable & F.inheritable) | (F.permitted &
         * bounding), which no_new_privs caps at the permitted set held
         * before. */
        return ambient | (permitted & (inheritable | bounding));
}
