/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <sys/stat.h>

/* A namespace path of the spec, opened so that what is judged is what runc
 * will join.
 *
 * runc 1.1 lstat()s the path, then its init (nsexec) open()s it before it
 * joins anything, from the container's root file system directory (its
 * working directory) and as a process of its own. A path that goes through
 * something that differs between that process and runc-harden names two
 * different files: /proc/self, /proc/thread-self and /dev/fd (the process),
 * and the magic links of /proc/<pid> (cwd, root, fd/N: another process's
 * view); and FUSE, whose server sees who asks. So the path is walked here
 * one component at a time, and refused if a name is looked up in procfs or
 * FUSE, unless it is exactly /proc/<pid>/ns/<name> (the engines' way of
 * sharing: Docker's --net=container:, Kubernetes pods); the last component
 * must be a namespace file itself (nsfs, bind-mounted as podman's
 * /run/netns/… and the CRI plugin's /var/run/netns/…), or that /proc magic
 * link. Ordinary symbolic links elsewhere (/var/run -> /run) read the same
 * for every process and are followed. */

struct nspath {
        int fd;         /* the namespace, opened read-only */
        struct stat st; /* its device and inode */
        int nstype;     /* CLONE_NEW*, as the kernel says (NS_GET_NSTYPE); 0 unknown */
};

void nspath_done(struct nspath *ns);
#define _cleanup_nspath_ __attribute__((cleanup(nspath_done)))

/* Opens path as described above. 0; or -errno when it cannot be examined
 * (it does not exist, may not be read, loops), *ret_why NULL; or
 * -EPERM with *ret_why saying why such a path is refused whatever it
 * names here (a static string to follow "the path "). */
int nspath_open(const char *path, struct nspath *ret, const char **ret_why);

/* What the user namespace ns maps, as the host sees it. */
struct userns_maps {
        bool uid_empty, gid_empty;         /* no mapping written yet */
        bool uid_host_root, gid_host_root; /* a range holds host id 0 */
};

/* Reads the uid_map and gid_map of the user namespace ns: a child of ours
 * joins it (setns) and its /proc/<pid>/uid_map is read from here, so the
 * outside ids are this process's, the host's. A mapping can be written
 * once only: what is read stays true, except that an empty map may still
 * be written by whoever holds the namespace. -errno when it cannot be
 * read (not a user namespace, not allowed to join it). */
int nspath_userns_maps(const struct nspath *ns, struct userns_maps *ret);
