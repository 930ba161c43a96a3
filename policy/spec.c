/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "spec.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "spec_schema.h"
#include "util.h"

void spec_free(struct spec *s)
{
        if (!s)
                return;
        jdoc_free(s->doc);
        free(s->bundle);
        free(s);
}

int spec_read_fd(int fd, char **ret_buf, size_t *ret_len, rh_error_t *err)
{
        struct stat st;
        size_t cap, len = 0;

        if (fstat(fd, &st) < 0)
                return rh_error_set(err, errno, "stat: %m");
        if (S_ISDIR(st.st_mode))
                return rh_error_set(err, EISDIR, "is a directory");
        if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > SPEC_MAX_SIZE)
                return rh_error_set(err, EFBIG, "larger than the limit of %u bytes", SPEC_MAX_SIZE);
        /* proc and sysfs files say 0 */
        cap = S_ISREG(st.st_mode) && st.st_size > 0 ? (size_t)st.st_size + 1 : 16384;
        _cleanup_free_ char *buf = malloc(cap + 1);
        if (!buf)
                return rh_error_set(err, ENOMEM, "out of memory");
        for (;;) {
                if (len == cap) {
                        if (cap > SPEC_MAX_SIZE)
                                return rh_error_set(err, EFBIG, "larger than the limit of %u bytes", SPEC_MAX_SIZE);
                        cap *= 2;
                        char *n = realloc(buf, cap + 1);
                        if (!n)
                                return rh_error_set(err, ENOMEM, "out of memory");
                        buf = n;
                }
                ssize_t r = read(fd, buf + len, cap - len);
                if (r < 0) {
                        if (errno == EINTR)
                                continue;
                        return rh_error_set(err, errno, "read: %m");
                }
                if (r == 0)
                        break;
                len += (size_t)r;
        }
        if (len > SPEC_MAX_SIZE)
                return rh_error_set(err, EFBIG, "larger than the limit of %u bytes", SPEC_MAX_SIZE);
        buf[len] = '\0';
        *ret_buf = TAKE_PTR(buf);
        *ret_len = len;
        return 0;
}

int spec_rootfs_open(const struct spec *s, int *ret_fd)
{
        const char *path;
        _cleanup_free_ char *full = NULL;

        if (!jv_cstr(jv_get(jv_get(s->root, "root"), "path"), &path) || !*path)
                return -ENOENT;
        if (path[0] != '/' && s->bundle) {
                if (asprintf(&full, "%s/%s", s->bundle, path) < 0)
                        return -ENOMEM;
                path = full;
        }
        int fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        *ret_fd = fd;
        return 0;
}

int spec_open_regular(int dirfd, const char *name, int *ret_fd, struct stat *ret_st, rh_error_t *err)
{
        struct stat st;
        _cleanup_close_ int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);

        if (fd < 0) {
                if (errno == ELOOP)
                        return rh_error_set(err, ELOOP, "is a symbolic link; refusing to follow it");
                return rh_error_set(err, errno, "open: %m");
        }
        if (fstat(fd, &st) < 0)
                return rh_error_set(err, errno, "stat: %m");
        if (!S_ISREG(st.st_mode))
                return rh_error_set(err, S_ISDIR(st.st_mode) ? EISDIR : EINVAL, "is not a regular file");
        /* Regular files never block; clear O_NONBLOCK for plain reads. */
        if (fcntl(fd, F_SETFL, 0) < 0)
                return rh_error_set(err, errno, "fcntl: %m");
        if (ret_st)
                *ret_st = st;
        *ret_fd = TAKE_FD(fd);
        return 0;
}

/* --- keys ------------------------------------------------------------- */

/* A key as a message shows it: printable ASCII as it is, every other rune
 * as <U+XXXX>, so that a dotless i or a Kelvin sign cannot pass for the
 * letter it imitates, and nothing in it needs the output's own escaping;
 * cut after 48 runes. Keys were checked to be valid UTF-8 by the parser. */
static void key_escape(const char *key, size_t len, char *out, size_t outlen)
{
        const unsigned char *k = (const unsigned char *)key;
        size_t o = 0, runes = 0;

        for (size_t i = 0; i < len && o + 16 < outlen; runes++) {
                uint32_t c = k[i];
                size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
                if (runes == 48) {
                        o += (size_t)snprintf(out + o, outlen - o, "...");
                        break;
                }
                if (n > 1) {
                        c &= 0xFF >> (n + 1);
                        for (size_t j = 1; j < n && i + j < len; j++)
                                c = (c << 6) | (k[i + j] & 0x3F);
                }
                i += n;
                if (c >= 0x20 && c < 0x7F)
                        out[o++] = (char)c;
                else
                        o += (size_t)snprintf(out + o, outlen - o, "<U+%04X>", (unsigned)c);
        }
        out[o] = '\0';
}

static int report_duplicate(const struct spec *s, const struct jv *obj, const struct jv_member *m, rh_error_t *err)
{
        _cleanup_free_ char *ptr = spec_pointer(s, obj, NULL);
        char key[512];

        key_escape(m->key, m->keylen, key, sizeof(key));
        return rh_error_set(err, EINVAL, "%s: duplicate keys \"%s\": runc would read only one of them",
                            ptr && *ptr ? ptr : "/", key);
}

static int report_folded(const struct spec *s, const struct jv *obj, const struct jv_member *m,
                         const struct schema *type, const struct schema_field *f, rh_error_t *err)
{
        _cleanup_free_ char *ptr = spec_pointer(s, obj, NULL);
        char key[512];

        key_escape(m->key, m->keylen, key, sizeof(key));
        return rh_error_set(err, EINVAL,
                            "%s: the key \"%s\" could be taken for the field \"%s\" (%s): Go's encoding/json matches "
                            "field names without regard to case, and some Go releases also fold U+212A, U+017F, "
                            "U+0130 and U+0131 onto k, s and i; only the exact name is accepted",
                            ptr && *ptr ? ptr : "/", key, f->name, type->go_name);
}

/* Objects of a spec have a handful of keys: compared pairwise, without
 * allocating; only large ones (annotations, sysctls) are sorted. */
#define PAIRWISE_MAX 24

static bool same_key(const struct jv_member *a, const struct jv_member *b)
{
        return a->keylen == b->keylen && memcmp(a->key, b->key, a->keylen) == 0;
}

static int cmp_member_key(const void *a, const void *b)
{
        const struct jv_member *x = *(const struct jv_member *const *)a, *y = *(const struct jv_member *const *)b;
        int c = memcmp(x->key, y->key, x->keylen < y->keylen ? x->keylen : y->keylen);
        if (c)
                return c;
        return x->keylen < y->keylen ? -1 : x->keylen > y->keylen;
}

/* Go decodes every occurrence of a key, in order: the last one wins for a
 * field, maps merge. Either way runc reads what a checker taking the first
 * one did not, so any repeated key is refused. */
static int check_duplicates(const struct spec *s, const struct jv *obj, rh_error_t *err)
{
        size_t n = obj->u.obj.n;
        const struct jv_member *m = obj->u.obj.m;

        if (n < 2)
                return 0;
        if (n <= PAIRWISE_MAX) {
                for (size_t i = 1; i < n; i++)
                        for (size_t j = 0; j < i; j++)
                                if (same_key(&m[j], &m[i]))
                                        return report_duplicate(s, obj, &m[i], err);
                return 0;
        }
        _cleanup_free_ const struct jv_member **sorted = calloc(n, sizeof(*sorted));
        if (!sorted)
                return rh_error_set(err, ENOMEM, "out of memory");
        for (size_t i = 0; i < n; i++)
                sorted[i] = &m[i];
        qsort(sorted, n, sizeof(*sorted), cmp_member_key);
        for (size_t i = 1; i < n; i++)
                if (same_key(sorted[i - 1], sorted[i]))
                        return report_duplicate(s, obj, sorted[i], err);
        return 0;
}

/* Walks v as the Go type t: in a struct, a key is its field's exact name,
 * or no field's at all (runc ignores it); a key that some Go release would
 * match to a field without being its exact name is refused, since
 * runc-harden reads exact names and runc might read that key. Map keys are
 * data and never fold. Below fields whose type is not described (NULL),
 * only repeated keys are looked for. */
static int check_keys(const struct spec *s, const struct jv *v, const struct schema *t, rh_error_t *err)
{
        int r;

        if (v->type == JV_ARRAY) {
                for (size_t i = 0; i < v->u.arr.n; i++)
                        if ((r = check_keys(s, v->u.arr.v[i], t, err)) < 0)
                                return r;
                return 0;
        }
        if (v->type != JV_OBJECT)
                return 0;
        if ((r = check_duplicates(s, v, err)) < 0)
                return r;
        for (size_t i = 0; i < v->u.obj.n; i++) {
                const struct jv_member *m = &v->u.obj.m[i];
                const struct schema *sub = NULL;
                const struct schema_field *f;

                if (t && t->kind == SCHEMA_MAP) {
                        sub = t->elem;
                } else if (t) {
                        if ((f = schema_field_exact(t, m->key, m->keylen)))
                                sub = f->type;
                        else if ((f = schema_field_folded(t, m->key, m->keylen)))
                                return report_folded(s, v, m, t, f, err);
                }
                if ((r = check_keys(s, m->val, sub, err)) < 0)
                        return r;
        }
        return 0;
}

int spec_parse(const char *buf, size_t len, spec_kind_t kind, struct spec **ret, rh_error_t *err)
{
        _cleanup_spec_ struct spec *s = calloc(1, sizeof(*s));
        const struct schema *type;
        int r;

        if (!s)
                return rh_error_set(err, ENOMEM, "out of memory");
        if (len > SPEC_MAX_SIZE)
                return rh_error_set(err, EFBIG, "larger than the limit of %u bytes", SPEC_MAX_SIZE);
        if ((r = jdoc_parse(buf, len, &s->doc, err)) < 0)
                return r;
        s->kind = kind;
        s->original = s->doc->root;
        /* a line break before the last byte: more than a trailing newline */
        s->pretty = len > 1 && memchr(buf, '\n', len - 1) != NULL;
        if (s->original->type != JV_OBJECT)
                return rh_error_set(err, EINVAL, "the document is a JSON %s, not an object",
                                    jv_type_name(s->original->type));
        switch (kind) {
        case SPEC_CONFIG:
                s->root = s->original;
                s->prefix = "";
                type = &schema_spec;
                break;
        case SPEC_PROCESS:
                s->root = jv_new(s->doc, JV_OBJECT);
                if (!s->root || jv_obj_put(s->doc, s->root, "process", s->original) < 0)
                        return rh_error_set(err, ENOMEM, "out of memory");
                s->prefix = "/process";
                type = &schema_process;
                break;
        case SPEC_RESOURCES: {
                struct jv *l = jv_new(s->doc, JV_OBJECT);
                s->root = jv_new(s->doc, JV_OBJECT);
                if (!l || !s->root || jv_obj_put(s->doc, l, "resources", s->original) < 0 ||
                    jv_obj_put(s->doc, s->root, "linux", l) < 0)
                        return rh_error_set(err, ENOMEM, "out of memory");
                s->prefix = "/linux/resources";
                type = &schema_linux_resources;
                break;
        }
        default:
                return rh_error_set(err, EINVAL, "unknown document kind");
        }
        if ((r = check_keys(s, s->original, type, err)) < 0)
                return r;
        *ret = TAKE_PTR(s);
        return 0;
}

int spec_load_at(int dirfd, const char *name, spec_kind_t kind, struct spec **ret, struct stat *ret_st, rh_error_t *err)
{
        _cleanup_close_ int fd = -1;
        _cleanup_free_ char *buf = NULL;
        size_t len;
        int r;

        if ((r = spec_open_regular(dirfd, name, &fd, ret_st, err)) < 0)
                return r;
        if ((r = spec_read_fd(fd, &buf, &len, err)) < 0)
                return r;
        return spec_parse(buf, len, kind, ret, err);
}

int spec_serialize(const struct spec *s, bool pretty, char **ret, size_t *ret_len, rh_error_t *err)
{
        return jv_serialize(s->original, pretty, ret, ret_len, err);
}

char *spec_pointer(const struct spec *s, const struct jv *at, const char *suffix)
{
        _cleanup_free_ char *p = jv_pointer(at);
        char *out = NULL;
        size_t plen;

        if (!p)
                return NULL;
        plen = strlen(s->prefix);
        const char *rel = p;
        /* Strip the wrapper's prefix so exec and update findings point into
         * the file the engine wrote. */
        if (plen && strncmp(p, s->prefix, plen) == 0 && (p[plen] == '/' || p[plen] == '\0'))
                rel = p + plen;
        if (asprintf(&out, "%s%s%s", rel, suffix ? "/" : "", suffix ? suffix : "") < 0)
                return NULL;
        return out;
}

/* --- writing --------------------------------------------------------- */

static int write_all(int fd, const char *data, size_t len)
{
        while (len) {
                ssize_t w = write(fd, data, len);
                if (w < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                data += w;
                len -= (size_t)w;
        }
        return 0;
}

/* Temporary files are ".NAME.runc-harden-" and eight hex digits. */
#define TMP_INFIX ".runc-harden-"
#define TMP_RANDOM_LEN 8
/* A writer holds an exclusive flock on its temporary file from before it
 * has a name (O_TMPFILE) to its rename: an unlocked one belongs to a
 * writer that was killed. Where O_TMPFILE is missing, the file is named
 * for an instant before it is locked; a file that young is left alone. */
#define TMP_STALE_AFTER_SEC 2

static bool is_own_temp(const char *entry, const char *name)
{
        size_t n = strlen(name), k = strlen(TMP_INFIX);

        if (entry[0] != '.' || strncmp(entry + 1, name, n) != 0 || strncmp(entry + 1 + n, TMP_INFIX, k) != 0)
                return false;
        const char *r = entry + 1 + n + k;
        for (size_t i = 0; i < TMP_RANDOM_LEN; i++)
                if (!((r[i] >= '0' && r[i] <= '9') || (r[i] >= 'a' && r[i] <= 'f')))
                        return false;
        return r[TMP_RANDOM_LEN] == '\0';
}

/* Removes the temporary files of name that a killed writer left in dirfd
 * (SIGKILL between link and rename). Only files of this naming, regular,
 * old enough and locked by nobody; anything else is another's. Best
 * effort: nothing here can fail the write. */
static void remove_stale_temps(int dirfd, const char *name)
{
        _cleanup_close_ int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        _cleanup_closedir_ DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
        struct dirent *de;
        time_t now = time(NULL);

        if (!d)
                return;
        TAKE_FD(fd); /* the DIR owns it now */
        while ((de = readdir(d))) {
                struct stat st, locked;
                if (!is_own_temp(de->d_name, name) || fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
                    !S_ISREG(st.st_mode))
                        continue;
                if (now - st.st_mtime < TMP_STALE_AFTER_SEC)
                        continue;
                _cleanup_close_ int tfd =
                        openat(dirfd, de->d_name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
                if (tfd < 0 || flock(tfd, LOCK_EX | LOCK_NB) < 0 || fstat(tfd, &locked) < 0 ||
                    locked.st_dev != st.st_dev || locked.st_ino != st.st_ino)
                        continue;
                (void)unlinkat(dirfd, de->d_name, 0);
        }
}

static void temp_name(char *buf, size_t size, const char *name)
{
        unsigned rnd = 0;

        if (getrandom(&rnd, sizeof(rnd), GRND_NONBLOCK) < 0)
                rnd = (unsigned)getpid() ^ (unsigned)(uintptr_t)&rnd ^ (unsigned)time(NULL);
        snprintf(buf, size, ".%s" TMP_INFIX "%0*x", name, TMP_RANDOM_LEN, rnd);
}

/* Gives the unnamed file fd the name tmp in dirfd: AT_EMPTY_PATH needs
 * CAP_DAC_READ_SEARCH, /proc/self/fd does not. */
static int link_tmpfile(int fd, int dirfd, const char *tmp)
{
        char proc[64];

        if (linkat(fd, "", dirfd, tmp, AT_EMPTY_PATH) == 0)
                return 0;
        if (errno == EEXIST)
                return -EEXIST;
        snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
        return linkat(AT_FDCWD, proc, dirfd, tmp, AT_SYMLINK_FOLLOW) == 0 ? 0 : -errno;
}

int spec_write_atomic(int dirfd, const char *name, const char *data, size_t len, const struct stat *orig,
                      rh_error_t *err)
{
        char tmp[NAME_MAX + 1];
        bool named = false;
        int r;

        if (strlen(name) + sizeof(TMP_INFIX) + TMP_RANDOM_LEN + 1 > sizeof(tmp))
                return rh_error_set(err, ENAMETOOLONG, "%s: name too long for a temporary file", name);
        remove_stale_temps(dirfd, name);
        temp_name(tmp, sizeof(tmp), name);
        /* Unnamed until it is complete: a writer killed before the link
         * leaves nothing behind. */
        _cleanup_close_ int fd = openat(dirfd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
        if (fd < 0) {
                fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
                if (fd < 0)
                        return rh_error_set(err, errno, "creating a temporary file in the bundle: %m");
                named = true;
        }
        if (flock(fd, LOCK_EX) < 0) {
                r = rh_error_set(err, errno, "locking %s: %m", tmp);
                goto fail;
        }
        if ((r = write_all(fd, data, len)) < 0) {
                rh_error_set(err, r, "writing %s: %s", tmp, strerror(-r));
                goto fail;
        }
        if (orig && fchown(fd, orig->st_uid, orig->st_gid) < 0 && errno != EPERM) {
                r = rh_error_set(err, errno, "fchown %s: %m", tmp);
                goto fail;
        }
        if (fchmod(fd, orig ? orig->st_mode & 07777 : 0644) < 0) {
                r = rh_error_set(err, errno, "fchmod %s: %m", tmp);
                goto fail;
        }
        if (fsync(fd) < 0) {
                r = rh_error_set(err, errno, "fsync %s: %m", tmp);
                goto fail;
        }
        for (int tries = 0; !named; tries++) {
                r = link_tmpfile(fd, dirfd, tmp);
                if (r == -EEXIST && tries < 8) {
                        temp_name(tmp, sizeof(tmp), name);
                        continue;
                }
                if (r < 0)
                        return rh_error_set(err, -r, "naming the temporary file %s: %s", tmp, strerror(-r));
                named = true;
        }
        if (renameat(dirfd, tmp, dirfd, name) < 0) {
                r = rh_error_set(err, errno, "renaming %s over %s: %m", tmp, name);
                goto fail;
        }
        /* The rename is durable only once the directory is synced. */
        (void)fsync(dirfd);
        return 0;
fail:
        if (named)
                unlinkat(dirfd, tmp, 0);
        return r;
}
