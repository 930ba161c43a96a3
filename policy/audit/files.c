/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"
#include "rootpath.h"
#include "util.h"

/* DAEMON-8: whoever can write dockerd's or containerd's configuration,
 * unit files or TLS key, or talk to their sockets, controls the daemon,
 * which is root. Files that do not exist are
 * fine: not every distribution ships each one. The same file reached by
 * two names (/lib is /usr/lib on merged-/usr systems) is checked once. */

typedef enum {
        KIND_ROOT_FILE,  /* root-owned, no group or other write */
        KIND_CERT,       /* a TLS certificate: as a root file; at most 0444 (host-tls-files) */
        KIND_KEY,        /* root-owned, no group or other access; at most 0400 */
        KIND_SOCKET,     /* root:docker (or root:root), at most 0660 */
        KIND_CONTAINERD, /* containerd's sockets: root:root, at most 0660 */
} file_kind_t;

struct seen {
        struct file_id {
                dev_t dev;
                ino_t ino;
        } * v;
        size_t n;
};

static void seen_done(struct seen *s)
{
        free(s->v);
}

/* Out of memory, a file is not remembered: it may be checked twice. */
static bool seen_before(struct seen *s, const struct stat *st)
{
        for (size_t i = 0; i < s->n; i++)
                if (s->v[i].dev == st->st_dev && s->v[i].ino == st->st_ino)
                        return true;
        struct file_id *v = realloc(s->v, (s->n + 1) * sizeof(*v));
        if (v) {
                s->v = v;
                s->v[s->n++] = (struct file_id){st->st_dev, st->st_ino};
        }
        return false;
}

static void check_socket(const struct audit_input *in, const char *path, const struct stat *st, file_kind_t kind,
                         struct eval *ev)
{
        unsigned mode = st->st_mode & 07777;
        gid_t docker = 0;
        bool has_group = kind == KIND_SOCKET && docker_group_find(in->root, &docker, NULL);
        const char *who = kind == KIND_SOCKET ? "dockerd" : "containerd";

        if (st->st_gid != 0 && !(has_group && st->st_gid == docker))
                audit_report(ev, "host-file-permissions", path,
                             "group gid %u may drive %s (root on the host); chgrp %s %s", (unsigned)st->st_gid, who,
                             kind == KIND_SOCKET ? "docker" : "root", path);
        if (mode & ~0660u)
                audit_report(ev, "host-file-permissions", path, "mode %04o gives access beyond root%s; chmod 660 %s",
                             mode, kind == KIND_SOCKET ? " and the docker group" : "", path);
}

/* What the daemon's TLS material should be beyond not being writable by
 * others: certificates read-only for everyone (0444), keys for root only
 * (0400), so that not even a root process writes them by mistake. */
static void check_tls_mode(const char *path, unsigned mode, file_kind_t kind, struct eval *ev)
{
        unsigned most = kind == KIND_KEY ? 0400 : 0444;
        if (mode & ~most)
                audit_report(ev, "host-tls-files", path, "the TLS %s has mode %04o, more than %04o; chmod %o %s",
                             kind == KIND_KEY ? "key" : "certificate", mode, most, most, path);
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
                             "owned by uid %u, who can change how %s runs; chown root %s", (unsigned)st.st_uid,
                             kind == KIND_CONTAINERD ? "containerd" : "dockerd", path);
        switch (kind) {
        case KIND_ROOT_FILE:
        case KIND_CERT:
                if (mode & 022)
                        audit_report(ev, "host-file-permissions", path,
                                     "mode %04o lets group or others write it; chmod go-w %s", mode, path);
                else if (kind == KIND_CERT)
                        check_tls_mode(path, mode, kind, ev);
                break;
        case KIND_KEY:
                if (mode & 077)
                        audit_report(ev, "host-file-permissions", path,
                                     "the TLS key has mode %04o, readable beyond root; chmod 400 %s", mode, path);
                else
                        check_tls_mode(path, mode, kind, ev);
                break;
        case KIND_SOCKET:
        case KIND_CONTAINERD:
                check_socket(in, path, &st, kind, ev);
                break;
        }
}

static bool has_suffix(const char *s, const char *suffix)
{
        size_t n = strlen(s), k = strlen(suffix);
        return n > k && STREQ(s + n - k, suffix);
}

/* /etc/docker/certs.d/REGISTRY/: the CA of a registry (*.crt) and the
 * client certificate and key dockerd presents to it (*.cert, *.key). */
static void check_certs_d(const struct audit_input *in, struct seen *seen, struct eval *ev)
{
        _cleanup_free_ char *top = root_path(in->root, "/etc/docker/certs.d");
        _cleanup_closedir_ DIR *d = top ? opendir(top) : NULL;
        struct dirent *reg;

        if (!d)
                return;
        while ((reg = readdir(d))) {
                _cleanup_free_ char *dir = NULL, *host_dir = NULL;
                if (reg->d_name[0] == '.' || asprintf(&dir, "/etc/docker/certs.d/%s", reg->d_name) < 0)
                        continue;
                check_one(in, seen, dir, KIND_ROOT_FILE, ev);
                _cleanup_closedir_ DIR *rd = (host_dir = root_path(in->root, dir)) ? opendir(host_dir) : NULL;
                struct dirent *f;
                while (rd && (f = readdir(rd))) {
                        _cleanup_free_ char *p = NULL;
                        file_kind_t kind = has_suffix(f->d_name, ".key") ? KIND_KEY : KIND_CERT;
                        if (!has_suffix(f->d_name, ".crt") && !has_suffix(f->d_name, ".cert") && kind != KIND_KEY)
                                continue;
                        if (asprintf(&p, "%s/%s", dir, f->d_name) >= 0)
                                check_one(in, seen, p, kind, ev);
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
                "/etc/containerd",
                "/etc/containerd/config.toml",
        };
        _cleanup_(seen_done) struct seen seen = {0};
        for (size_t i = 0; i < ARRAY_SIZE(root_files); i++)
                check_one(in, &seen, root_files[i], KIND_ROOT_FILE, ev);
        /* A daemon.json given elsewhere is checked where dockerd reads it. */
        if (!in->daemon_config && d->config_path && !in->root[1])
                check_one(in, &seen, d->config_path, KIND_ROOT_FILE, ev);
        /* The files daemon.json names; with TLS on and none named, dockerd
         * reads ~/.docker of its user, root. */
        bool tls = daemon_bool(d, "tls", false) || daemon_bool(d, "tlsverify", false);
        const char *ca = daemon_string(d, "tlscacert") ?: tls ? "/root/.docker/ca.pem" : NULL;
        const char *cert = daemon_string(d, "tlscert") ?: tls ? "/root/.docker/cert.pem" : NULL;
        const char *key = daemon_string(d, "tlskey") ?: tls ? "/root/.docker/key.pem" : NULL;
        if (ca)
                check_one(in, &seen, ca, KIND_CERT, ev);
        if (cert)
                check_one(in, &seen, cert, KIND_CERT, ev);
        if (key)
                check_one(in, &seen, key, KIND_KEY, ev);
        check_certs_d(in, &seen, ev);
        check_one(in, &seen, "/var/run/docker.sock", KIND_SOCKET, ev);
        check_one(in, &seen, "/run/docker.sock", KIND_SOCKET, ev);
        /* Whoever can talk to containerd runs any container dockerd would
         * refuse: its socket is root's alone by default. */
        check_one(in, &seen, "/run/containerd/containerd.sock", KIND_CONTAINERD, ev);
        check_one(in, &seen, "/run/containerd/containerd.sock.ttrpc", KIND_CONTAINERD, ev);
}
