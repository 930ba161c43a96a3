/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Linked only into the static executable, with -Wl,--wrap for each name.
 *
 * glibc resolves users and groups through NSS modules that it loads at
 * run time, so a static program that calls getpwuid() and friends needs
 * the very shared libraries it was linked to avoid (the linker warns). We
 * never call them: the references come from library functions we do not
 * use (libcap-ng's capng_change_id, libselinux's getseuserbyname), which
 * share an object file with functions we do. Each call fails as "no such
 * entry" instead, so a future caller gets an error, never a half-working
 * lookup. runc-harden compares owners by number only. */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stddef.h>
#include <sys/types.h>

struct passwd *__wrap_getpwuid(uid_t uid);
int __wrap_getpwnam_r(const char *name, struct passwd *pwd, char *buf, size_t len, struct passwd **result);
int __wrap_getgrnam_r(const char *name, struct group *grp, char *buf, size_t len, struct group **result);
int __wrap_getgrouplist(const char *user, gid_t group, gid_t *groups, int *ngroups);
int __wrap_initgroups(const char *user, gid_t group);

struct passwd *__wrap_getpwuid(uid_t uid)
{
        (void)uid;
        errno = ENOENT;
        return NULL;
}

int __wrap_getpwnam_r(const char *name, struct passwd *pwd, char *buf, size_t len, struct passwd **result)
{
        (void)name, (void)pwd, (void)buf, (void)len;
        *result = NULL;
        return ENOENT;
}

int __wrap_getgrnam_r(const char *name, struct group *grp, char *buf, size_t len, struct group **result)
{
        (void)name, (void)grp, (void)buf, (void)len;
        *result = NULL;
        return ENOENT;
}

int __wrap_getgrouplist(const char *user, gid_t group, gid_t *groups, int *ngroups)
{
        (void)user, (void)group, (void)groups;
        *ngroups = 0;
        errno = ENOENT;
        return -1;
}

int __wrap_initgroups(const char *user, gid_t group)
{
        (void)user, (void)group;
        errno = ENOSYS;
        return -1;
}
