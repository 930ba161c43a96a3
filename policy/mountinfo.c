/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "host.h"
#include "mountinfo.h"
#include "util.h"

static void entry_done(struct mount_entry *m)
{
        free(m->root);
        free(m->point);
        free(m->options);
        free(m->optional);
        free(m->fstype);
        free(m->source);
        free(m->super);
}

void mount_table_done(struct mount_table *t)
{
        for (size_t i = 0; i < t->n; i++)
                entry_done(&t->v[i]);
        free(t->v);
        *t = (struct mount_table){0};
}

/* The next space-separated field of [*p, end), with the kernel's octal
 * escapes (\040 \011 \012 \134) undone. */
static char *next_field(const char **p, const char *end)
{
        const char *s = *p;
        while (s < end && *s == ' ')
                s++;
        if (s >= end)
                return NULL;
        const char *e = memchr(s, ' ', (size_t) (end - s));
        if (!e)
                e = end;
        char *out = malloc((size_t) (e - s) + 1);
        size_t o = 0;
        if (!out)
                return NULL;
        for (const char *q = s; q < e; q++) {
                if (q[0] == '\\' && e - q >= 4 && q[1] >= '0' && q[1] <= '3' && q[2] >= '0' && q[2] <= '7' &&
                    q[3] >= '0' && q[3] <= '7') {
                        out[o++] = (char) (((q[1] - '0') << 6) | ((q[2] - '0') << 3) | (q[3] - '0'));
                        q += 3;
                } else {
                        out[o++] = *q;
                }
        }
        out[o] = '\0';
        *p = e;
        return out;
}

static int parse_int(const char *s, int *ret)
{
        char *end;
        errno = 0;
        long v = strtol(s, &end, 10);
        if (errno || end == s || *end || v < 0 || v > 0x7fffffff)
                return -EINVAL;
        *ret = (int) v;
        return 0;
}

/* "major:minor" */
static int parse_dev(const char *s, dev_t *ret)
{
        unsigned maj, min;
        char tail;
        if (sscanf(s, "%u:%u%c", &maj, &min, &tail) != 2)
                return -EINVAL;
        *ret = makedev(maj, min);
        return 0;
}

static int parse_line(const char *s, const char *end, struct mount_entry *m)
{
        _cleanup_free_ char *id = NULL, *parent = NULL, *dev = NULL;
        const char *p = s;

        *m = (struct mount_entry){0};
        if (!(id = next_field(&p, end)) || !(parent = next_field(&p, end)) || !(dev = next_field(&p, end)) ||
            !(m->root = next_field(&p, end)) || !(m->point = next_field(&p, end)) ||
            !(m->options = next_field(&p, end)))
                return -EINVAL;
        if (parse_int(id, &m->id) < 0 || parse_int(parent, &m->parent) < 0 || parse_dev(dev, &m->dev) < 0)
                return -EINVAL;

        /* optional fields up to the lone "-" */
        size_t olen = 0;
        m->optional = strdup("");
        if (!m->optional)
                return -ENOMEM;
        for (;;) {
                _cleanup_free_ char *f = next_field(&p, end);
                if (!f)
                        return -EINVAL;
                if (STREQ(f, "-"))
                        break;
                char *o = realloc(m->optional, olen + strlen(f) + 2);
                if (!o)
                        return -ENOMEM;
                m->optional = o;
                olen += (size_t) sprintf(o + olen, "%s%s", olen ? " " : "", f);
        }
        if (!(m->fstype = next_field(&p, end)) || !(m->source = next_field(&p, end)))
                return -EINVAL;
        m->super = next_field(&p, end);
        if (!m->super && !(m->super = strdup("")))
                return -ENOMEM;
        m->readonly = mount_entry_has_option(m, "ro");
        return 0;
}

int mount_table_parse(const char *text, size_t len, struct mount_table *ret, rh_error_t *err)
{
        struct mount_table t = {0};
        const char *p = text, *end = text + len;
        size_t cap = 0, lineno = 0;

        while (p < end) {
                const char *nl = memchr(p, '\n', (size_t) (end - p));
                const char *le = nl ? nl : end;
                lineno++;
                if (le > p) {
                        if (t.n == cap) {
                                size_t ncap = cap ? cap * 2 : 32;
                                struct mount_entry *v = realloc(t.v, ncap * sizeof(*v));
                                if (!v) {
                                        mount_table_done(&t);
                                        return rh_error_set(err, ENOMEM, "out of memory");
                                }
                                t.v = v;
                                cap = ncap;
                        }
                        int r = parse_line(p, le, &t.v[t.n]);
                        if (r < 0) {
                                entry_done(&t.v[t.n]);
                                mount_table_done(&t);
                                return rh_error_set(err, -r, "mountinfo line %zu is malformed", lineno);
                        }
                        t.n++;
                }
                p = nl ? nl + 1 : end;
        }
        if (t.n == 0)
                return rh_error_set(err, EINVAL, "mountinfo is empty");
        *ret = t;
        return 0;
}

int mount_table_read(const char *path, struct mount_table *ret, rh_error_t *err)
{
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
        _cleanup_free_ char *buf = NULL;
        size_t len = 0, cap = 0;

        if (fd < 0)
                return rh_error_set(err, errno, "%s: %m", path);
        /* proc files are read to the end in pieces: a size from fstat is 0 */
        for (;;) {
                if (cap - len < 4096) {
                        size_t ncap = cap ? cap * 2 : 16384;
                        char *b = realloc(buf, ncap);
                        if (!b)
                                return rh_error_set(err, ENOMEM, "out of memory");
                        buf = b;
                        cap = ncap;
                }
                ssize_t n = read(fd, buf + len, cap - len);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return rh_error_set(err, errno, "%s: %m", path);
                if (n == 0)
                        break;
                len += (size_t) n;
        }
        if (mount_table_parse(buf, len, ret, err) < 0)
                return rh_error_wrap(err, "%s", path);
        return 0;
}

const struct mount_entry *mount_table_find(const struct mount_table *t, const char *path)
{
        const struct mount_entry *best = NULL;
        size_t best_len = 0;

        for (size_t i = 0; i < t->n; i++) {
                const struct mount_entry *m = &t->v[i];
                size_t l = strlen(m->point);
                if (!path_is_under(path, m->point))
                        continue;
                /* >=: of mounts stacked on one point the last one shows */
                if (!best || l >= best_len) {
                        best = m;
                        best_len = l;
                }
        }
        return best;
}

char *mount_entry_fs_path(const struct mount_entry *m, const char *path)
{
        const char *rest = path + strlen(m->point);
        char *out = NULL;

        if (STREQ(m->point, "/"))
                rest = path; /* "/" + "x" is "/x", and rest keeps its slash */
        if (*rest == '\0')
                return strdup(m->root);
        if (STREQ(m->root, "/"))
                return strdup(rest);
        if (asprintf(&out, "%s%s", m->root, rest) < 0)
                return NULL;
        return out;
}

bool mount_entry_has_option(const struct mount_entry *m, const char *option)
{
        size_t l = strlen(option);
        for (const char *p = m->options; p && *p;) {
                const char *c = strchr(p, ',');
                size_t n = c ? (size_t) (c - p) : strlen(p);
                if (n == l && memcmp(p, option, l) == 0)
                        return true;
                p = c ? c + 1 : NULL;
        }
        return false;
}

const char *mount_entry_propagation(const struct mount_entry *m)
{
        bool slave = false;
        for (const char *p = m->optional; p && *p;) {
                if (strncmp(p, "shared:", 7) == 0)
                        return "shared";
                if (strncmp(p, "master:", 7) == 0)
                        slave = true;
                if (strncmp(p, "unbindable", 10) == 0)
                        return "unbindable";
                p = strchr(p, ' ');
                if (p)
                        p++;
        }
        return slave ? "slave" : "private";
}

const char *mount_fstype_kernel_class(const char *fstype)
{
        /* devtmpfs is the host's /dev; nsfs names namespaces; the others
         * expose kernel state, tracing, firmware or BPF objects. */
        static const char *const kernel[][2] = {
                {"proc", "proc"},           {"sysfs", "sysfs"},         {"cgroup", "cgroup"},
                {"cgroup2", "cgroup"},      {"debugfs", "debugfs"},     {"tracefs", "tracefs"},
                {"securityfs", "securityfs"}, {"bpf", "bpf"},           {"configfs", "configfs"},
                {"efivarfs", "efivarfs"},   {"pstore", "pstore"},       {"fusectl", "fusectl"},
                {"binfmt_misc", "binfmt_misc"}, {"devtmpfs", "devtmpfs"}, {"nsfs", "nsfs"},
                {"selinuxfs", "selinuxfs"}, {"smackfs", "smackfs"},     {"rpc_pipefs", "rpc_pipefs"},
        };
        if (!fstype)
                return NULL;
        for (size_t i = 0; i < ARRAY_SIZE(kernel); i++)
                if (STREQ(fstype, kernel[i][0]))
                        return kernel[i][1];
        return NULL;
}
