/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "internal.h"
#include "rootpath.h"
#include "util.h"

/* The audit checks. Deny is for what is exploitable as it stands (a bare
 * TCP socket, world-writable daemon files, containers that skipped the
 * policy) or what stops dockerd from starting; warn is for the rest of
 * the hardening a host should have. docs/audit.md describes each. */
static const struct audit_rule audit_rules[] = {
        {"daemon-config-invalid", "HOST-2", ACTION_DENY, "daemon.json values have the types dockerd decodes"},
        {"daemon-option-conflict", "HOST-2", ACTION_DENY, "no option set both as a dockerd flag and in daemon.json"},
        {"daemon-live-restore", "RUN-3", ACTION_WARN, "live-restore is enabled"},
        {"daemon-icc", "DAEMON-1", ACTION_DENY, "inter-container communication on the default bridge is off"},
        {"daemon-userland-proxy", "DAEMON-4", ACTION_WARN, "the userland proxy is off"},
        {"daemon-userns-remap", "DAEMON-5", ACTION_WARN, "user namespace remapping is on"},
        {"daemon-default-ulimits", "DAEMON-3", ACTION_WARN, "default ulimits set nofile and nproc"},
        {"daemon-log-driver", "DAEMON-7", ACTION_WARN, "a log driver is chosen"},
        {"daemon-log-rotation", "LOG-1", ACTION_WARN, "json-file and local logs have max-size and max-file"},
        {"daemon-storage-driver", "DAEMON-6", ACTION_DENY, "the storage driver is not aufs"},
        {"daemon-remote-api-tls", "RUN-11", ACTION_DENY, "a TCP API socket has TLS with client verification"},
        {"daemon-authorization-plugin", "DAEMON-2", ACTION_WARN, "a TCP API socket goes with an authorization plugin"},
        {"daemon-default-ip", "RUN-9", ACTION_WARN, "published ports bind to a chosen address, not 0.0.0.0"},
        {"daemon-selinux", "RUN-2", ACTION_WARN, "SELinux support is on where the host has SELinux"},
        {"daemon-no-new-privileges", "RUN-5", ACTION_WARN, "containers get no-new-privileges by default"},
        {"daemon-default-runtime", "RUN-5", ACTION_DENY, "runc-harden is registered and the default runtime"},
        {"daemon-runtime-bypass", "RUN-5", ACTION_DENY, "every runtime in daemon.json runs runc-harden"},
        {"daemon-insecure-registry", "RUN-16", ACTION_DENY,
         "no registry is pulled from over plain HTTP or unverified TLS (insecure-registries, http:// mirrors)"},
        {"daemon-iptables", "DAEMON-1", ACTION_WARN, "dockerd manages iptables (icc and port bindings are enforced)"},
        {"daemon-experimental", "HOST-2", ACTION_WARN, "experimental features are off"},
        {"daemon-log-level", "RUN-16", ACTION_WARN, "dockerd does not log at debug level (request bodies, secrets)"},
        {"daemon-seccomp-profile", "RUN-5", ACTION_DENY,
         "the daemon-wide seccomp profile is not unconfined and refuses system calls"},
        {"daemon-cgroup-parent", "RUN-4", ACTION_WARN, "containers' cgroups stay under Docker's default parent"},
        {"host-data-root-partition", "HOST-1", ACTION_WARN, "Docker's data root is its own file system"},
        {"host-audit-rules", "HOST-4", ACTION_WARN, "the audit daemon watches Docker's files"},
        {"host-docker-version", "HOST-3", ACTION_WARN, "Docker is at or above the minimum version"},
        {"host-docker-group", "RUN-15", ACTION_WARN, "the docker group has no members"},
        {"host-file-permissions", "DAEMON-8", ACTION_DENY,
         "Docker's and containerd's files and sockets are root-owned and not writable by others"},
        {"host-tls-files", "DAEMON-8", ACTION_WARN,
         "TLS certificates (daemon.json's, /etc/docker/certs.d) are root's, mode 0444 at most, keys 0400"},
        {"host-lsm", "RUN-1", ACTION_WARN, "AppArmor or SELinux is enabled in the kernel"},
        {"host-runtime-bypass", "RUN-5", ACTION_DENY,
         "runc on PATH, containerd's runtimes and podman's default runtime run runc-harden"},
        {"container-ports", "RUN-6", ACTION_WARN, "a container listens only on allowed ports"},
        {"container-ssh-server", "RUN-12", ACTION_DENY, "no SSH daemon runs in a container"},
        {"container-unchecked", "RUN-5", ACTION_DENY, "every container was checked by runc-harden"},
};

size_t audit_rules_count(void)
{
        return ARRAY_SIZE(audit_rules);
}

const struct audit_rule *audit_rules_get(size_t i)
{
        return i < ARRAY_SIZE(audit_rules) ? &audit_rules[i] : NULL;
}

const struct audit_rule *audit_rules_find(const char *id, size_t *ret_index)
{
        for (size_t i = 0; i < ARRAY_SIZE(audit_rules); i++)
                if (STREQ(audit_rules[i].id, id)) {
                        if (ret_index)
                                *ret_index = i;
                        return &audit_rules[i];
                }
        return NULL;
}

void audit_report(struct eval *ev, const char *id, const char *where, const char *fmt, ...)
{
        const struct audit_rule *r = audit_rules_find(id, NULL);
        char *msg = NULL;
        va_list ap;

        if (!r)
                abort(); /* a typo in a check: caught by any test of it */
        va_start(ap, fmt);
        if (vasprintf(&msg, fmt, ap) < 0)
                msg = NULL;
        va_end(ap);
        eval_add(ev, r->id, r->guide, r->action, false, strdup(where ?: ""), msg);
}

void audit_note(struct audit_notes *notes, const char *fmt, ...)
{
        char *msg = NULL;
        va_list ap;

        va_start(ap, fmt);
        if (vasprintf(&msg, fmt, ap) < 0)
                msg = NULL;
        va_end(ap);
        char **v = msg ? realloc(notes->v, (notes->n + 1) * sizeof(*v)) : NULL;
        if (!v) {
                free(msg);
                return;
        }
        v[notes->n++] = msg;
        notes->v = v;
}

void audit_notes_done(struct audit_notes *notes)
{
        for (size_t i = 0; i < notes->n; i++)
                free(notes->v[i]);
        free(notes->v);
        *notes = (struct audit_notes){0};
}

struct jv *audit_json_get(const struct jv *obj, const char *key)
{
        size_t len = strlen(key);
        struct jv *found = NULL;
        if (!obj || obj->type != JV_OBJECT)
                return NULL;
        for (size_t i = 0; i < obj->u.obj.n; i++) {
                const struct jv_member *m = &obj->u.obj.m[i];
                if (m->keylen == len && memcmp(m->key, key, len) == 0)
                        found = m->val;
        }
        return found && found->type != JV_NULL ? found : NULL;
}

int audit_read(const char *root, const char *path, char **ret, size_t *ret_len)
{
        _cleanup_free_ char *p = root_path(root, path);

        if (!p)
                return -ENOMEM;
        return read_full_file(p, AUDIT_READ_MAX, ret, ret_len);
}

int audit_stat(const char *root, const char *path, struct stat *st)
{
        _cleanup_free_ char *p = root_path(root, path);
        if (!p)
                return -ENOMEM;
        return stat(p, st) < 0 ? -errno : 0;
}

bool audit_exists(const char *root, const char *path)
{
        struct stat st;
        return audit_stat(root, path, &st) == 0;
}

/* Numeric components compared one by one; a suffix after "+", "-" or
 * "~" (a distribution's build) does not count. */
int audit_version_cmp(const char *v, const char *min)
{
        while (*v == ' ')
                v++;
        if (*v == 'v')
                v++;
        if (*v < '0' || *v > '9')
                return -2;
        for (;;) {
                char *ve, *me;
                unsigned long a = strtoul(v, &ve, 10), b = strtoul(min, &me, 10);
                if (ve == v)
                        a = 0;
                if (me == min)
                        b = 0;
                if (a != b)
                        return a < b ? -1 : 1;
                bool vmore = *ve == '.', mmore = *me == '.';
                if (!vmore && !mmore)
                        return 0;
                v = vmore ? ve + 1 : ve;
                min = mmore ? me + 1 : me;
                if (!vmore)
                        v = "0";
                if (!mmore)
                        min = "0";
        }
}
