/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"
#include "util.h"

/* DAEMON-8: whoever can write dockerd's configuration, unit files or TLS
 * key controls the daemon, which is root. Files that do not exist are
 * fine: not every distribution ships each one. The same file reached by
 * two names (/lib is /usr/lib on merged-/usr systems) is checked once. */

typedef enum {
        KIND_ROOT_FILE, /* root-owned, no group or other write */
        KIND_KEY,       /* root-owned, no group or other access */
        KIND_SOCKET,    /* root:docker (or root:root), at most 0660 */
} file_kind_t;

struct seen {
        dev_t dev[32];
        ino_t ino[32];
        size_t n;
};

static bool seen_before(struct seen *s, const struct stat *st)
{
        for (size_t i = 0; i < s->n; i++)
                if (s->dev[i] == st->st_dev && s->ino[i] == st->st_ino)
                        return true;
        if (s->n < ARRAY_SIZE(s->dev)) {
                s->dev[s->n] = st->st_dev;
                s->ino[s->n++] = st->st_ino;
        }
        return false;
}

static void check_one(const struct audit_input *in, struct seen *seen, const char *path, file_kind_t kind,
                      struct eval *ev)
{
        struct stat st;
        if (audit_stat(in->root, path, &st) < 0 || seen_before(seen, &st))
                return;
        unsigned mode = st.st_mode & 07777;
        if (st.st_uid != 0)
                audit_report(ev, "host-file-permissions", path,
                             "owned by uid %u, who can change how dockerd runs; chown root %s", (unsigned)st.st_uid,
                             path);
        switch (kind) {
        case KIND_ROOT_FILE:
                if (mode & 022)
                        audit_report(ev, "host-file-permissions", path,
                                     "mode %04o lets group or others write it; chmod go-w %s", mode, path);
                break;
        case KIND_KEY:
                if (mode & 077)
                        audit_report(ev, "host-file-permissions", path,
                                     "the TLS key has mode %04o, readable beyond root; chmod 400 %s", mode, path);
                break;
        case KIND_SOCKET: {
                gid_t docker = 0;
                bool has_group = host_docker_gid(in->root, &docker);
                if (st.st_gid != 0 && !(has_group && st.st_gid == docker))
                        audit_report(ev, "host-file-permissions", path,
                                     "group gid %u may drive dockerd (root on the host); chgrp docker %s",
                                     (unsigned)st.st_gid, path);
                if (mode & ~0660u)
                        audit_report(ev, "host-file-permissions", path,
                                     "mode %04o gives access beyond root and the docker group; chmod 660 %s", mode,
                                     path);
                break;
        }
        }
}

void host_check_files(const struct audit_input *in, const struct daemon *d, struct eval *ev)
{
        static const char *const root_files[] = {
                "/etc/docker",
                "/etc/docker/certs.d",
                "/etc/docker/daemon.json",
                "/etc/default/docker",
                "/etc/sysconfig/docker",
                "/lib/systemd/system/docker.service",
                "/usr/lib/systemd/system/docker.service",
                "/lib/systemd/system/docker.socket",
                "/usr/lib/systemd/system/docker.socket",
                "/etc/systemd/system/docker.service",
                "/etc/systemd/system/docker.service.d",
        };
        struct seen seen = {0};
        for (size_t i = 0; i < ARRAY_SIZE(root_files); i++)
                check_one(in, &seen, root_files[i], KIND_ROOT_FILE, ev);
        /* A daemon.json given elsewhere is checked where dockerd reads it. */
        if (!in->daemon_config && d->config_path && !in->root[1])
                check_one(in, &seen, d->config_path, KIND_ROOT_FILE, ev);
        const char *ca = daemon_string(d, "tlscacert"), *cert = daemon_string(d, "tlscert");
        const char *key = daemon_string(d, "tlskey");
        if (ca)
                check_one(in, &seen, ca, KIND_ROOT_FILE, ev);
        if (cert)
                check_one(in, &seen, cert, KIND_ROOT_FILE, ev);
        if (key)
                check_one(in, &seen, key, KIND_KEY, ev);
        check_one(in, &seen, "/var/run/docker.sock", KIND_SOCKET, ev);
        check_one(in, &seen, "/run/docker.sock", KIND_SOCKET, ev);
}
