/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "lsm_host.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "util.h"

#if HAVE_APPARMOR
#include <sys/apparmor.h>
#endif
#if HAVE_SELINUX
#include <selinux/selinux.h>
#endif

#if HAVE_APPARMOR
static bool real_apparmor_enabled(void)
{
        return aa_is_enabled() == 1;
}

/* The kernel lists loaded profiles one a line as "NAME (MODE)"; a name
 * may itself contain spaces, so the mode is cut at the last " (". */
static bool profiles_line_names(const char *line, const char *name)
{
        const char *mode = strrchr(line, '(');
        size_t n;

        if (!mode || mode == line || mode[-1] != ' ')
                return false;
        n = (size_t)(mode - 1 - line);
        return n == strlen(name) && strncmp(line, name, n) == 0;
}

static int real_apparmor_profile_loaded(const char *name)
{
        _cleanup_free_ char *mnt = NULL, *path = NULL, *line = NULL;
        _cleanup_fclose_ FILE *f = NULL;
        size_t cap = 0;

        if (aa_find_mountpoint(&mnt) < 0)
                return -errno;
        if (asprintf(&path, "%s/profiles", mnt) < 0)
                return -ENOMEM;
        f = fopen(path, "re");
        if (!f)
                return -errno;
        while (getline(&line, &cap, f) > 0) {
                line[strcspn(line, "\n")] = '\0';
                if (profiles_line_names(line, name))
                        return 1;
        }
        return ferror(f) ? -EIO : 0;
}
#else
static bool real_apparmor_enabled(void)
{
        return false;
}
static int real_apparmor_profile_loaded(const char *name)
{
        (void)name;
        return -EOPNOTSUPP;
}
#endif

#if HAVE_SELINUX
static bool real_selinux_enabled(void)
{
        return is_selinux_enabled() == 1;
}
#else
static bool real_selinux_enabled(void)
{
        return false;
}
#endif

const struct lsm_host lsm_host_real = {
        .apparmor_enabled = real_apparmor_enabled,
        .apparmor_profile_loaded = real_apparmor_profile_loaded,
        .selinux_enabled = real_selinux_enabled,
};

/* The one mutable global: the seam tests turn. */
static const struct lsm_host *current = &lsm_host_real;

const struct lsm_host *lsm_host(void)
{
        return current;
}

const struct lsm_host *lsm_host_set(const struct lsm_host *h)
{
        const struct lsm_host *old = current;
        current = h ? h : &lsm_host_real;
        return old;
}
