/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "rootpath.h"
#include "util.h"

/* dockerd reads its options from two places, its flags and daemon.json,
 * and refuses to start when both set one. The flags of the running daemon
 * are the truth; without one, the systemd unit says what the next start
 * will use. */

void dockerd_flags_done(struct dockerd_flags *f)
{
        for (int i = 0; f->argv && i < f->argc; i++)
                free(f->argv[i]);
        free(f->argv);
        free(f->origin);
        *f = (struct dockerd_flags){0};
}

static bool is_dockerd_pid(const char *root, const char *pid)
{
        _cleanup_free_ char *path = NULL, *comm = NULL;
        if (asprintf(&path, "/proc/%s/comm", pid) < 0 || audit_read(root, path, &comm, NULL) < 0)
                return false;
        comm[strcspn(comm, "\n")] = '\0';
        return STREQ(comm, "dockerd");
}

/* cmdline is argv joined by NULs; the program itself is dropped. */
static int flags_from_cmdline(const char *buf, size_t len, struct dockerd_flags *ret)
{
        size_t n = 0;
        for (size_t i = 0; i < len; i++)
                if (buf[i] == '\0')
                        n++;
        if (len && buf[len - 1] != '\0')
                n++;
        char **argv = calloc(n + 1, sizeof(*argv));
        if (!argv)
                return -ENOMEM;
        int argc = 0;
        for (size_t i = 0, k = 0; i < len; k++) {
                size_t l = strnlen(buf + i, len - i);
                if (k > 0 && !(argv[argc++] = strndup(buf + i, l))) {
                        ret->argv = argv;
                        ret->argc = argc;
                        return -ENOMEM;
                }
                i += l + 1;
        }
        ret->argv = argv;
        ret->argc = argc;
        return 0;
}

static int flags_from_proc(const char *root, struct dockerd_flags *ret)
{
        _cleanup_free_ char *proc = root_path(root, "/proc");
        if (!proc)
                return -ENOMEM;
        _cleanup_closedir_ DIR *d = opendir(proc);
        struct dirent *de;
        int r = 0;
        while (d && (de = readdir(d))) {
                if (!isdigit((unsigned char)de->d_name[0]) || !is_dockerd_pid(root, de->d_name))
                        continue;
                _cleanup_free_ char *path = NULL, *buf = NULL;
                size_t len;
                if (asprintf(&path, "/proc/%s/cmdline", de->d_name) < 0) {
                        r = -ENOMEM;
                        break;
                }
                if (audit_read(root, path, &buf, &len) < 0 || len == 0)
                        continue; /* exited, or a zombie */
                r = flags_from_cmdline(buf, len, ret);
                if (r >= 0 && !(ret->origin = strdup(path)))
                        r = -ENOMEM;
                if (r >= 0)
                        r = 1;
                break;
        }
        return r;
}

/* One word of an ExecStart= value; returns the position after it. */
static const char *split_word(const char *p, char **ret)
{
        size_t cap = strlen(p) + 1, n = 0;
        char *w = malloc(cap);
        char quote = 0;

        if (!w)
                return NULL;
        for (; *p; p++) {
                if (!quote && (*p == ' ' || *p == '\t'))
                        break;
                if (!quote && (*p == '"' || *p == '\'')) {
                        quote = *p;
                        continue;
                }
                if (quote && *p == quote) {
                        quote = 0;
                        continue;
                }
                if (*p == '\\' && p[1]) {
                        p++;
                        w[n++] = *p == 'n' ? '\n' : *p == 't' ? '\t' : *p;
                        continue;
                }
                w[n++] = *p;
        }
        w[n] = '\0';
        *ret = w;
        return p;
}

char **dockerd_split_exec(const char *line, int *ret_argc)
{
        size_t cap = strlen(line) / 2 + 2;
        char **argv = calloc(cap, sizeof(*argv));
        int argc = 0;

        if (!argv)
                return NULL;
        while (*line == ' ' || *line == '\t')
                line++;
        while (*line && strchr("-@:+!", *line))
                line++; /* systemd's prefixes: ignore failure, argv0, privileges */
        while (*line) {
                while (*line == ' ' || *line == '\t')
                        line++;
                if (!*line)
                        break;
                char *w = NULL;
                line = split_word(line, &w);
                if (!line) {
                        for (int i = 0; i < argc; i++)
                                free(argv[i]);
                        free(argv);
                        return NULL;
                }
                argv[argc++] = w;
        }
        *ret_argc = argc;
        return argv;
}

/* Backslash-newline continues a line in unit files. */
static void join_continuations(char *buf)
{
        char *w = buf;
        for (char *r = buf; *r; r++) {
                if (r[0] == '\\' && r[1] == '\n') {
                        r++;
                        continue;
                }
                *w++ = *r;
        }
        *w = '\0';
}

/* Applies the ExecStart= lines of one unit file or drop-in: an empty one
 * resets what came before, as systemd does. */
static int exec_from_unit(const char *root, const char *path, char **exec, char **origin)
{
        _cleanup_free_ char *buf = NULL;
        if (audit_read(root, path, &buf, NULL) < 0)
                return 0;
        join_continuations(buf);
        bool in_service = false;
        for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
                while (*line == ' ' || *line == '\t')
                        line++;
                if (*line == '[') {
                        in_service = strncmp(line, "[Service]", 9) == 0;
                        continue;
                }
                if (!in_service || strncmp(line, "ExecStart", 9) != 0)
                        continue;
                char *v = line + 9;
                while (*v == ' ')
                        v++;
                if (*v != '=')
                        continue;
                v++;
                while (*v == ' ')
                        v++;
                free(*exec);
                free(*origin);
                *exec = *v ? strdup(v) : NULL;
                *origin = *v ? strdup(path) : NULL;
                if (*v && (!*exec || !*origin))
                        return -ENOMEM;
        }
        return 0;
}

static int cmp_str(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

static int exec_from_dropins(const char *root, const char *dir, char **exec, char **origin)
{
        _cleanup_free_ char *p = root_path(root, dir);
        if (!p)
                return -ENOMEM;
        _cleanup_closedir_ DIR *d = opendir(p);
        if (!d)
                return 0;
        char **names = NULL;
        size_t n = 0;
        int r = 0;
        struct dirent *de;
        while ((de = readdir(d))) {
                size_t l = strlen(de->d_name);
                if (l < 6 || !STREQ(de->d_name + l - 5, ".conf"))
                        continue;
                char **nn = realloc(names, (n + 1) * sizeof(*nn));
                if (!nn || asprintf(&nn[n], "%s/%s", dir, de->d_name) < 0) {
                        names = nn ?: names;
                        r = -ENOMEM;
                        break;
                }
                names = nn;
                n++;
        }
        closedir(TAKE_PTR(d));
        if (names)
                qsort(names, n, sizeof(*names), cmp_str);
        for (size_t i = 0; i < n; i++) {
                if (r >= 0)
                        r = exec_from_unit(root, names[i], exec, origin);
                free(names[i]);
        }
        free(names);
        return r;
}

static int flags_from_systemd(const char *root, struct dockerd_flags *ret)
{
        /* The first unit file found wins, as in systemd's search path;
         * drop-ins then apply in name order. */
        static const char *const units[] = {
                "/etc/systemd/system/docker.service",
                "/run/systemd/system/docker.service",
                "/lib/systemd/system/docker.service",
                "/usr/lib/systemd/system/docker.service",
        };
        static const char *const dropins[] = {
                "/usr/lib/systemd/system/docker.service.d",
                "/lib/systemd/system/docker.service.d",
                "/run/systemd/system/docker.service.d",
                "/etc/systemd/system/docker.service.d",
        };
        _cleanup_free_ char *exec = NULL, *origin = NULL;
        int r = 0;

        for (size_t i = 0; i < ARRAY_SIZE(units) && r >= 0; i++)
                if (audit_exists(root, units[i])) {
                        r = exec_from_unit(root, units[i], &exec, &origin);
                        break;
                }
        for (size_t i = 0; i < ARRAY_SIZE(dropins) && r >= 0; i++)
                r = exec_from_dropins(root, dropins[i], &exec, &origin);
        if (r < 0)
                return r;
        if (!exec)
                return 0;
        int argc = 0;
        char **argv = dockerd_split_exec(exec, &argc);
        if (!argv)
                return -ENOMEM;
        /* Drop the program; the rest are its flags. */
        if (argc > 0) {
                free(argv[0]);
                memmove(argv, argv + 1, (size_t)argc * sizeof(*argv));
                argc--;
        }
        ret->argv = argv;
        ret->argc = argc;
        ret->origin = TAKE_PTR(origin);
        return 1;
}

int dockerd_flags_find(const char *root, struct dockerd_flags *ret)
{
        *ret = (struct dockerd_flags){0};
        int r = flags_from_proc(root, ret);
        if (r != 0)
                return r < 0 ? r : 0;
        r = flags_from_systemd(root, ret);
        return r < 0 ? r : 0;
}
