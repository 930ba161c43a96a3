/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "fileio.h"
#include "host.h"
#include "mountinfo.h"
#include "util.h"

static void entry_done(struct mount_entry *m)
{
        free(m->block);
}

void mount_table_done(struct mount_table *t)
{
        for (size_t i = 0; i < t->n; i++)
                entry_done(&t->v[i]);
        free(t->v);
        *t = (struct mount_table){0};
}

/* The kernel's octal escapes (\040 \011 \012 \134) undone, in place. */
static void unescape(char *s)
{
        char *o = s;
        for (const char *q = s; *q; q++) {
                if (q[0] == '\\' && q[1] >= '0' && q[1] <= '3' && q[2] >= '0' && q[2] <= '7' && q[3] >= '0' &&
                    q[3] <= '7') {
                        *o++ = (char)(((q[1] - '0') << 6) | ((q[2] - '0') << 3) | (q[3] - '0'));
                        q += 3;
                } else {
                        *o++ = *q;
                }
        }
        *o = '\0';
}

/* The next space-separated field of *p, cut out in place. */
static char *cut_field(char **p)
{
        char *s = *p;
        while (*s == ' ')
                s++;
        if (!*s)
                return NULL;
        char *e = strchr(s, ' ');
        if (e) {
                *e = '\0';
                *p = e + 1;
        } else {
                *p = s + strlen(s);
        }
        return s;
}

static int parse_int(const char *s, int *ret)
{
        char *end;
        errno = 0;
        long v = strtol(s, &end, 10);
        if (errno || end == s || *end || v < 0 || v > 0x7fffffff)
                return -EINVAL;
        *ret = (int)v;
        return 0;
}

/* "major:minor" */
static int parse_dev(const char *s, dev_t *ret)
{
        char *end;
        if (*s < '0' || *s > '9')
                return -EINVAL;
        unsigned long maj = strtoul(s, &end, 10);
        if (*end != ':' || end[1] < '0' || end[1] > '9')
                return -EINVAL;
        unsigned long min = strtoul(end + 1, &end, 10);
        if (*end || maj > 0xffffffffUL || min > 0xffffffffUL)
                return -EINVAL;
        *ret = makedev(maj, min);
        return 0;
}

/* One allocation per line: the line itself, cut into its fields. */
static int parse_line(const char *s, const char *end, struct mount_entry *m)
{
        char *id, *parent, *dev, *p;

        *m = (struct mount_entry){0};
        if (!(m->block = strndup(s, (size_t)(end - s))))
                return -ENOMEM;
        p = m->block;
        char *none = m->block + strlen(m->block); /* "" */
        if (!(id = cut_field(&p)) || !(parent = cut_field(&p)) || !(dev = cut_field(&p)) ||
            !(m->root = cut_field(&p)) || !(m->point = cut_field(&p)) || !(m->options = cut_field(&p)))
                return -EINVAL;
        if (parse_int(id, &m->id) < 0 || parse_int(parent, &m->parent) < 0 || parse_dev(dev, &m->dev) < 0)
                return -EINVAL;

        /* optional fields up to the lone "-", kept with their spaces */
        char *first = NULL, *last_end = NULL;
        for (;;) {
                char *f = cut_field(&p);
                if (!f)
                        return -EINVAL;
                if (STREQ(f, "-"))
                        break;
                first = first ? first : f;
                last_end = f + strlen(f);
        }
        for (char *q = first; q && q < last_end; q++)
                if (*q == '\0')
                        *q = ' ';
        m->optional = first ? first : none;
        if (!(m->fstype = cut_field(&p)) || !(m->source = cut_field(&p)))
                return -EINVAL;
        m->super = cut_field(&p);
        if (!m->super)
                m->super = none;
        char *fields[] = {m->root, m->point, m->options, m->fstype, m->source, m->super};
        for (size_t i = 0; i < ARRAY_SIZE(fields); i++)
                unescape(fields[i]);
        m->readonly = mount_entry_has_option(m, "ro");
        return 0;
}

int mount_table_parse(const char *text, size_t len, struct mount_table *ret, rh_error_t *err)
{
        struct mount_table t = {0};
        const char *p = text, *end = text + len;
        size_t cap = 0, lineno = 0;

        while (p < end) {
                const char *nl = memchr(p, '\n', (size_t)(end - p));
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
        _cleanup_free_ char *buf = NULL;
        size_t len;
        int r = read_full_file(path, SIZE_MAX, &buf, &len);

        if (r < 0)
                return rh_error_set(err, -r, "%s: %s", path, strerror(-r));
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

bool mount_list_has(const char *list, const char *word, size_t len)
{
        for (const char *p = list; p && *p;) {
                size_t n = strcspn(p, ",");
                if (n == len && memcmp(p, word, len) == 0)
                        return true;
                p = p[n] ? p + n + 1 : NULL;
        }
        return false;
}

bool mount_entry_has_option(const struct mount_entry *m, const char *option)
{
        return mount_list_has(m->options, option, strlen(option));
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
                {"proc", "proc"},
                {"sysfs", "sysfs"},
                {"cgroup", "cgroup"},
                {"cgroup2", "cgroup"},
                {"debugfs", "debugfs"},
                {"tracefs", "tracefs"},
                {"securityfs", "securityfs"},
                {"bpf", "bpf"},
                {"configfs", "configfs"},
                {"efivarfs", "efivarfs"},
                {"pstore", "pstore"},
                {"fusectl", "fusectl"},
                {"binfmt_misc", "binfmt_misc"},
                {"devtmpfs", "devtmpfs"},
                {"nsfs", "nsfs"},
                {"selinuxfs", "selinuxfs"},
                {"smackfs", "smackfs"},
                {"rpc_pipefs", "rpc_pipefs"},
        };
        if (!fstype)
                return NULL;
        for (size_t i = 0; i < ARRAY_SIZE(kernel); i++)
                if (STREQ(fstype, kernel[i][0]))
                        return kernel[i][1];
        return NULL;
}

const struct mount_entry *mount_table_find_id(const struct mount_table *t, int id)
{
        for (size_t i = 0; i < t->n; i++)
                if (t->v[i].id == id)
                        return &t->v[i];
        return NULL;
}

static int names_add(char ***names, size_t *n, char *s)
{
        if (!s)
                return -ENOMEM;
        for (size_t i = 0; i < *n; i++)
                if (STREQ((*names)[i], s)) {
                        free(s);
                        return 0;
                }
        char **v = realloc(*names, (*n + 1) * sizeof(*v));
        if (!v) {
                free(s);
                return -ENOMEM;
        }
        *names = v;
        v[(*n)++] = s;
        return 0;
}

int mount_table_names(const struct mount_table *t, dev_t dev, const char *fs_path, char ***names, size_t *n)
{
        for (size_t i = 0; i < t->n; i++) {
                const struct mount_entry *m = &t->v[i];
                char *s = NULL;
                if (m->dev != dev || !path_is_under(fs_path, m->root))
                        continue;
                /* the part of fs_path below the mount's root, with its "/" */
                const char *rest = STREQ(m->root, "/") ? fs_path : fs_path + strlen(m->root);
                if (STREQ(rest, "/"))
                        rest = "";
                if (asprintf(&s, "%s%s", STREQ(m->point, "/") && *rest ? "" : m->point, rest) < 0)
                        return -ENOMEM;
                int r = names_add(names, n, s);
                if (r < 0)
                        return r;
        }
        return 0;
}
