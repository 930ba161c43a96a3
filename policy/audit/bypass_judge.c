/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "host.h"
#include "internal.h"
#include "rootpath.h"
#include "util.h"

/* What a runtime an engine names comes to: runc-harden (the same device
 * and inode as the audit's own binary, after every symlink), another
 * executable (a bypass), or nothing. bypass.c (dockerd, runc on PATH) and
 * bypass_conf.c (containerd's and podman's files) both ask here. */

/* The search path of services started by systemd, which is also root's
 * on Debian: where dockerd's built-in runtime and containerd's shim find
 * `runc`. */
static const char *const system_path[] = {"/usr/local/sbin", "/usr/local/bin", "/usr/sbin",
                                          "/usr/bin",        "/sbin",          "/bin"};

void bypass_rt_done(struct rt *r)
{
        free(r->named);
        free(r->resolved);
        *r = (struct rt){0};
}

char *bypass_rt_describe(const struct rt *r)
{
        char *s = NULL;
        if (r->resolved && !STREQ(r->resolved, r->named))
                return asprintf(&s, "%s (which is %s)", r->named, r->resolved) < 0 ? NULL : s;
        return strdup(r->named);
}

static void rt_judge(const struct bypass *b, const char *path, struct rt *r)
{
        struct stat st;
        r->named = strdup(path);
        int e = root_resolve(b->root, path, &st, &r->resolved);
        if (e == 0 && S_ISDIR(st.st_mode))
                e = -EISDIR;
        if (e < 0) {
                r->verdict = RT_MISSING;
                r->error = -e;
                return;
        }
        r->verdict = st.st_dev == b->dev && st.st_ino == b->ino ? RT_HARDEN : RT_OTHER;
}

void bypass_judge(const struct bypass *b, const char *name, struct rt *r)
{
        *r = (struct rt){.verdict = RT_MISSING, .error = ENOENT};
        if (strchr(name, '/')) {
                _cleanup_free_ char *abs = path_normalize(name);
                if (abs)
                        rt_judge(b, abs, r);
                return;
        }
        for (size_t i = 0; i < ARRAY_SIZE(system_path); i++) {
                _cleanup_free_ char *p = NULL;
                struct stat st;
                if (asprintf(&p, "%s/%s", system_path[i], name) < 0)
                        return;
                if (root_resolve(b->root, p, &st, NULL) < 0 || !S_ISREG(st.st_mode) || !(st.st_mode & 0111))
                        continue;
                rt_judge(b, p, r);
                return;
        }
        r->named = strdup(name);
}

bool bypass_installed(const char *root, const char *const *bins)
{
        for (; *bins; bins++)
                if (audit_exists(root, *bins))
                        return true;
        return false;
}
