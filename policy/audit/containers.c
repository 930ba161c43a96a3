/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "auditlog.h"
#include "internal.h"
#include "rootpath.h"
#include "util.h"

/* Running containers, seen from the host: what listens in each one's
 * network namespace, whether an SSH daemon runs in its pid namespace, and
 * whether runc-harden ever decided on it. The container list is the
 * runtime's own (`runc list --format json`), which the caller ran. */

void audit_containers_done(struct audit_containers *c)
{
        for (size_t i = 0; i < c->n; i++) {
                free(c->v[i].id);
                free(c->v[i].name);
                eval_done(&c->v[i].ev);
        }
        free(c->v);
        audit_notes_done(&c->notes);
        *c = (struct audit_containers){0};
}

int audit_parse_ports(const char *s, unsigned **ret, size_t *ret_n)
{
        size_t cap = strlen(s) / 2 + 1, n = 0;
        unsigned *v = calloc(cap, sizeof(*v));
        if (!v)
                return -ENOMEM;
        for (const char *p = s; *p;) {
                char *end;
                while (*p == ' ')
                        p++;
                if (!isdigit((unsigned char)*p))
                        break;
                unsigned long port = strtoul(p, &end, 10);
                if (port == 0 || port > 65535)
                        break;
                v[n++] = (unsigned)port;
                p = end;
                while (*p == ' ')
                        p++;
                if (*p == ',' && p[1])
                        p++;
                else if (*p) {
                        n = 0;
                        break;
                }
                if (!*p) {
                        *ret = v;
                        *ret_n = n;
                        return 0;
                }
        }
        free(v);
        return -EINVAL;
}

static bool port_allowed(unsigned port, const unsigned *v, size_t n)
{
        for (size_t i = 0; i < n; i++)
                if (v[i] == port)
                        return true;
        return false;
}

/* The container's own allowlist, from its bundle's config.json. */
static unsigned *annotation_ports(const char *root, const char *bundle, size_t *ret_n)
{
        _cleanup_free_ char *path = NULL, *buf = NULL;
        _cleanup_jdoc_ struct jdoc *d = NULL;
        rh_error_t err = RH_ERROR_INIT;
        size_t len;
        const char *s;
        unsigned *v = NULL;

        *ret_n = 0;
        if (!bundle || asprintf(&path, "%s/config.json", bundle) < 0 || audit_read(root, path, &buf, &len) < 0)
                return NULL;
        if (jdoc_parse(buf, len, &d, &err) == 0 &&
            jv_cstr(audit_json_get(jv_get(d->root, "annotations"), "org.runc-harden.ports"), &s))
                audit_parse_ports(s, &v, ret_n);
        rh_error_clear(&err);
        return v;
}

/* Whether port was seen before in bits (one per port); marks it seen.
 * Ports are 16 bits; anything wider is never taken for a repeat. */
static bool port_seen(uint64_t *bits, unsigned port)
{
        if (port > UINT16_MAX)
                return false;
        bool was = bits[port / 64] & (UINT64_C(1) << (port % 64));
        bits[port / 64] |= UINT64_C(1) << (port % 64);
        return was;
}

/* /proc/<pid>/net/<file>: "sl local rem st …", addresses as HEX:PORT.
 * TCP listens in state 0A; UDP is bound and unconnected in state 07. */
static void check_net_file(const struct audit_container_input *in, const char *pid, const char *file,
                           const unsigned *own, size_t n_own, struct eval *ev)
{
        _cleanup_free_ char *path = NULL, *buf = NULL;
        bool tcp = strncmp(file, "tcp", 3) == 0;
        if (asprintf(&path, "/proc/%s/net/%s", pid, file) < 0 || audit_read(in->root, path, &buf, NULL) < 0)
                return;
        char *save = NULL;
        strtok_r(buf, "\n", &save);                 /* the header */
        uint64_t seen[(UINT16_MAX + 1) / 64] = {0}; /* a bit per port */
        for (char *line = strtok_r(NULL, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                char local[128], rem[128], st[8];
                if (sscanf(line, " %*[^:]: %127s %127s %7s", local, rem, st) != 3)
                        continue;
                if (!STREQ(st, tcp ? "0A" : "07"))
                        continue;
                const char *colon = strrchr(local, ':');
                if (!colon)
                        continue;
                unsigned port = (unsigned)strtoul(colon + 1, NULL, 16);
                if (port == 0 || port_allowed(port, in->allowed, in->n_allowed) || port_allowed(port, own, n_own) ||
                    port_seen(seen, port))
                        continue;
                audit_report(ev, "container-ports", path,
                             "listens on %s port %u, which is not allowed; stop the service, or allow it with "
                             "--allowed-ports or the container's annotation org.runc-harden.ports",
                             tcp ? "TCP" : "UDP", port);
        }
}

static void check_ports(const struct audit_container_input *in, const char *pid, const char *bundle, struct eval *ev)
{
        size_t n_own = 0;
        _cleanup_free_ unsigned *own = annotation_ports(in->root, bundle, &n_own);
        static const char *const files[] = {"tcp", "tcp6", "udp", "udp6"};
        for (size_t i = 0; i < ARRAY_SIZE(files); i++)
                check_net_file(in, pid, files[i], own, n_own, ev);
}

/* Every process whose pid namespace is the container's: its comm. */
static void check_ssh(const struct audit_container_input *in, const char *pid, struct eval *ev)
{
        _cleanup_free_ char *ns = NULL, *proc = root_path(in->root, "/proc");
        struct stat cst;
        if (!proc || asprintf(&ns, "/proc/%s/ns/pid", pid) < 0 || audit_stat(in->root, ns, &cst) < 0)
                return;
        _cleanup_closedir_ DIR *d = opendir(proc);
        struct dirent *de;
        while (d && (de = readdir(d))) {
                _cleanup_free_ char *p = NULL, *comm = NULL;
                struct stat st;
                if (!isdigit((unsigned char)de->d_name[0]) || asprintf(&p, "/proc/%s/ns/pid", de->d_name) < 0 ||
                    audit_stat(in->root, p, &st) < 0 || st.st_dev != cst.st_dev || st.st_ino != cst.st_ino)
                        continue;
                free(p);
                if (asprintf(&p, "/proc/%s/comm", de->d_name) < 0 || audit_read(in->root, p, &comm, NULL) < 0)
                        continue;
                comm[strcspn(comm, "\n")] = '\0';
                if (STREQ(comm, "sshd") || STREQ(comm, "dropbear"))
                        audit_report(ev, "container-ssh-server", p,
                                     "an SSH daemon (%s, host pid %s) runs in the container; remove it from the "
                                     "image and use docker exec",
                                     comm, de->d_name);
        }
}

/* Whether one file of runc-harden's audit log has a decision for id. */
static bool logged_in(const char *root, const char *log, const char *id)
{
        _cleanup_free_ char *buf = NULL;
        if (audit_read(root, log, &buf, NULL) < 0)
                return false;
        char *save = NULL;
        for (char *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                _cleanup_jdoc_ struct jdoc *d = NULL;
                rh_error_t err = RH_ERROR_INIT;
                const char *c;
                int r = jdoc_parse(line, strlen(line), &d, &err);
                rh_error_clear(&err);
                if (r == 0 && jv_cstr(audit_json_get(d->root, "container"), &c) && STREQ(c, id))
                        return true;
        }
        return false;
}

/* The log and the files it was rotated into (LOG.1, LOG.2, ... as
 * auditlog.c numbers them). */
static bool logged(const char *root, const char *log, const char *id)
{
        if (logged_in(root, log, id))
                return true;
        for (unsigned i = 1; i <= AUDITLOG_MAX_KEEP; i++) {
                _cleanup_free_ char *p = NULL;
                if (asprintf(&p, "%s.%u", log, i) < 0 || !audit_exists(root, p))
                        return false;
                if (logged_in(root, p, id))
                        return true;
        }
        return false;
}

/* A string field of a JSON file under root; malloc'd, NULL when absent. */
static char *json_file_string(const char *root, const char *path, const char *const *keys)
{
        _cleanup_free_ char *buf = NULL;
        _cleanup_jdoc_ struct jdoc *d = NULL;
        rh_error_t err = RH_ERROR_INIT;
        size_t len;
        const char *s = NULL;

        if (audit_read(root, path, &buf, &len) < 0 || jdoc_parse(buf, len, &d, &err) < 0) {
                rh_error_clear(&err);
                return NULL;
        }
        const struct jv *v = d->root;
        for (; *keys && v; keys++)
                v = audit_json_get(v, *keys);
        return jv_cstr(v, &s) && *s ? strdup(s) : NULL;
}

/* What the engine knows of a container: Docker's record of it (its name,
 * and the runtime name it was started with), or the CRI's annotations in
 * its bundle (pod/container). */
struct engine_view {
        char *name;
        char *runtime; /* Docker's runtime name, NULL when not Docker's */
        bool docker;
};

static void engine_view(const struct audit_container_input *in, const char *id, const char *bundle,
                        struct engine_view *ret)
{
        _cleanup_free_ char *cfg = NULL, *host = NULL, *spec = NULL;

        *ret = (struct engine_view){0};
        if (in->data_root && asprintf(&cfg, "%s/containers/%s/config.v2.json", in->data_root, id) >= 0 &&
            asprintf(&host, "%s/containers/%s/hostconfig.json", in->data_root, id) >= 0 && audit_exists("/", cfg)) {
                _cleanup_free_ char *name = json_file_string("/", cfg, (const char *const[]){"Name", NULL});
                ret->docker = true;
                ret->name = name ? strdup(name + (name[0] == '/')) : NULL;
                ret->runtime = json_file_string("/", host, (const char *const[]){"Runtime", NULL});
                return;
        }
        if (!bundle || asprintf(&spec, "%s/config.json", bundle) < 0)
                return;
        _cleanup_free_ char *pod = json_file_string(
                in->root, spec, (const char *const[]){"annotations", "io.kubernetes.cri.sandbox-name", NULL});
        _cleanup_free_ char *ctr = json_file_string(
                in->root, spec, (const char *const[]){"annotations", "io.kubernetes.cri.container-name", NULL});
        if (ctr && asprintf(&ret->name, "%s%s%s", pod ?: "", pod ? "/" : "", ctr) < 0)
                ret->name = NULL;
}

static bool names_contain(char *const *names, const char *name)
{
        for (size_t i = 0; names && names[i]; i++)
                if (STREQ(names[i], name))
                        return true;
        return false;
}

/* Whether runc-harden decided on the container: its audit log says so
 * when one is given; else Docker's record says which runtime started it;
 * else nobody can tell (a note). */
static void check_unchecked(const struct audit_container_input *in, const char *id, const struct engine_view *v,
                            struct audit_container *ac, struct audit_notes *notes)
{
        if (in->audit_log) {
                if (!logged("/", in->audit_log, id))
                        audit_report(&ac->ev, "container-unchecked", in->audit_log,
                                     "not checked by runc-harden: no decision of runc-harden is recorded for it in "
                                     "this log. Either another runtime started it (docker run --runtime=runc, ctr run, "
                                     "podman's default runtime), or it was started before the log was set (or its "
                                     "record was rotated out: audit-log-keep), or by a "
                                     "runc-harden whose policy logs elsewhere%s%s%s. Recreate it through runc-harden "
                                     "once runc-harden audit shows no runtime around it",
                                     v->docker ? " (docker inspect --format '{{.HostConfig.Runtime}}' " : "",
                                     v->docker ? id : "", v->docker ? " says which runtime)" : "");
                return;
        }
        if (v->docker && in->harden_runtimes) {
                const char *rt = v->runtime ?: "runc";
                if (!names_contain(in->harden_runtimes, rt))
                        audit_report(&ac->ev, "container-unchecked", "HostConfig.Runtime",
                                     "not checked by runc-harden: Docker started it with the runtime %s, which is "
                                     "not runc-harden; recreate it with --runtime set to runc-harden's runtime (or "
                                     "without --runtime once runc-harden is the default-runtime)",
                                     rt);
                return;
        }
        audit_note(notes,
                   "container %s%s%s%s: whether runc-harden checked it is not known (no Docker record); give "
                   "--audit-log",
                   v->name ?: "", v->name ? " (" : "", id, v->name ? ")" : "");
}

static int check_one(const struct audit_container_input *in, const struct jv *c, struct audit_containers *ret)
{
        const char *id, *status, *bundle = NULL;
        int64_t pid = 0;
        if (!jv_cstr(audit_json_get(c, "id"), &id) || !jv_cstr(audit_json_get(c, "status"), &status))
                return 0;
        if (!STREQ(status, "running")) {
                audit_note(&ret->notes, "container %s is %s: not checked", id, status);
                return 0;
        }
        jv_int64(audit_json_get(c, "pid"), &pid);
        jv_cstr(audit_json_get(c, "bundle"), &bundle);
        struct audit_container *nv = realloc(ret->v, (ret->n + 1) * sizeof(*nv));
        if (!nv)
                return -ENOMEM;
        ret->v = nv;
        struct audit_container *ac = &nv[ret->n];
        *ac = (struct audit_container){.id = strdup(id)};
        if (!ac->id)
                return -ENOMEM;
        ret->n++;
        struct engine_view v;
        engine_view(in, id, bundle, &v);
        ac->name = TAKE_PTR(v.name);
        char pidstr[24];
        snprintf(pidstr, sizeof(pidstr), "%lld", (long long)pid);
        if (pid > 0) {
                check_ports(in, pidstr, bundle, &ac->ev);
                check_ssh(in, pidstr, &ac->ev);
        }
        check_unchecked(in, id, &(struct engine_view){.name = ac->name, .runtime = v.runtime, .docker = v.docker}, ac,
                        &ret->notes);
        free(v.runtime);
        return ac->ev.oom ? -ENOMEM : 0;
}

int audit_containers_check(const struct audit_container_input *in, struct audit_containers *ret, rh_error_t *err)
{
        _cleanup_jdoc_ struct jdoc *d = NULL;
        *ret = (struct audit_containers){0};
        /* runc prints "null" when there are none. */
        int r = jdoc_parse(in->list_json, strlen(in->list_json), &d, err);
        if (r < 0)
                return rh_error_wrap(err, "the runtime's container list");
        if (d->root->type == JV_NULL)
                return 0;
        if (d->root->type != JV_ARRAY)
                return rh_error_set(err, EINVAL, "the runtime's container list is not a JSON array");
        for (size_t i = 0; i < d->root->u.arr.n; i++)
                if (check_one(in, d->root->u.arr.v[i], ret) < 0)
                        return rh_error_set(err, ENOMEM, "out of memory");
        return 0;
}
