/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "util.h"

/* The daemon options the guide asks for. A flag wins over daemon.json
 * here only for the message: when both are set, dockerd does not start
 * (reported as daemon-option-conflict). Values of the wrong type were
 * reported as daemon-config-invalid and count as unset. */

char *daemon_where(const struct daemon *d, const char *key)
{
        const struct flag_setting *s = daemon_flags_get(d->flags, key);
        char *w = NULL;
        if (s) {
                if (asprintf(&w, "%s (%s)", s->spelled, d->flags_origin ?: "dockerd's command line") < 0)
                        return NULL;
                return w;
        }
        return asprintf(&w, "/%s", key) < 0 ? NULL : w;
}

static const struct jv *json_get(const struct daemon *d, const char *key, jv_type_t type)
{
        const struct jv *v = d->doc ? audit_json_get(d->doc->root, key) : NULL;
        return jv_is(v, type) ? v : NULL;
}

bool daemon_bool(const struct daemon *d, const char *key, bool def)
{
        const struct flag_setting *s = daemon_flags_get(d->flags, key);
        if (s)
                return STREQ(s->values[0], "true") ? true : STREQ(s->values[0], "false") ? false : def;
        const struct jv *v = json_get(d, key, JV_BOOL);
        return v ? v->u.b : def;
}

/* NULL when unset or empty. */
const char *daemon_string(const struct daemon *d, const char *key)
{
        const struct flag_setting *s = daemon_flags_get(d->flags, key);
        const char *str = NULL;
        if (s)
                str = s->values[0];
        else
                jv_cstr(json_get(d, key, JV_STRING), &str);
        return str && *str ? str : NULL;
}

bool daemon_each(const struct daemon *d, const char *key, each_fn fn, void *data)
{
        const struct flag_setting *s = daemon_flags_get(d->flags, key);
        for (size_t i = 0; s && i < s->n; i++) {
                _cleanup_free_ char *w = daemon_where(d, key);
                if (fn(s->values[i], w ?: s->spelled, data))
                        return true;
        }
        const struct jv *a = json_get(d, key, JV_ARRAY);
        for (size_t i = 0; a && i < a->u.arr.n; i++) {
                const char *str;
                if (!jv_cstr(a->u.arr.v[i], &str))
                        continue;
                _cleanup_free_ char *w = jv_pointer(a->u.arr.v[i]);
                if (fn(str, w ?: "", data))
                        return true;
        }
        return false;
}

/* A map option: JSON object keys, or the flag's "name=value" repeats. */
static bool opt_has_key(const struct daemon *d, const char *key, const char *name)
{
        const struct flag_setting *s = daemon_flags_get(d->flags, key);
        size_t n = strlen(name);
        for (size_t i = 0; s && i < s->n; i++)
                if (strncmp(s->values[i], name, n) == 0 && s->values[i][n] == '=')
                        return true;
        const struct jv *o = json_get(d, key, JV_OBJECT);
        return o && audit_json_get(o, name);
}

void daemon_report_at(const struct daemon *d, struct eval *ev, const char *id, const char *key, const char *msg)
{
        _cleanup_free_ char *w = daemon_where(d, key);
        audit_report(ev, id, w ?: key, "%s", msg);
}

static void check_booleans(const struct daemon *d, struct eval *ev)
{
        if (!daemon_bool(d, "live-restore", false))
                daemon_report_at(d, ev, "daemon-live-restore", "live-restore",
                                 "live-restore is off: every container stops when dockerd stops or is upgraded; set "
                                 "\"live-restore\": true in daemon.json");
        if (daemon_bool(d, "icc", true))
                daemon_report_at(
                        d, ev, "daemon-icc", "icc",
                        "containers on the default bridge can reach each other unrestricted; set \"icc\": false "
                        "in daemon.json and link containers through user-defined networks");
        if (daemon_bool(d, "userland-proxy", true))
                daemon_report_at(d, ev, "daemon-userland-proxy", "userland-proxy",
                                 "published ports go through docker-proxy, a root process per port; set "
                                 "\"userland-proxy\": false in daemon.json (iptables does the forwarding)");
        if (!daemon_bool(d, "no-new-privileges", false))
                daemon_report_at(d, ev, "daemon-no-new-privileges", "no-new-privileges",
                                 "containers may gain privileges through setuid binaries by default; set "
                                 "\"no-new-privileges\": true in daemon.json");
        if (!daemon_string(d, "userns-remap"))
                daemon_report_at(d, ev, "daemon-userns-remap", "userns-remap",
                                 "root in a container is root on the host; set \"userns-remap\": \"default\" in "
                                 "daemon.json (creates the dockremap user) or name a user with /etc/subuid ranges");
        const char *sd = daemon_string(d, "storage-driver");
        if (sd && STREQ(sd, "aufs"))
                daemon_report_at(d, ev, "daemon-storage-driver", "storage-driver",
                                 "the aufs storage driver is unmaintained and removed from Docker 24; set "
                                 "\"storage-driver\": \"overlay2\" in daemon.json (images must be pulled again)");
        const char *ip = daemon_string(d, "ip");
        if (!ip || STREQ(ip, "0.0.0.0") || STREQ(ip, "::") || STREQ(ip, "[::]"))
                daemon_report_at(d, ev, "daemon-default-ip", "ip",
                                 "ports published without an address bind to every host interface; set \"ip\" in "
                                 "daemon.json to the address that should serve them (e.g. \"127.0.0.1\")");
}

static void check_limits_and_logs(const struct daemon *d, struct eval *ev)
{
        bool nofile = opt_has_key(d, "default-ulimits", "nofile");
        bool nproc = opt_has_key(d, "default-ulimits", "nproc");
        if (!nofile || !nproc) {
                _cleanup_free_ char *w = daemon_where(d, "default-ulimits");
                audit_report(ev, "daemon-default-ulimits", w ?: "",
                             "no default ulimit for %s%s%s: set \"default-ulimits\" in daemon.json, e.g. "
                             "{\"nofile\": {\"Name\": \"nofile\", \"Soft\": 1024, \"Hard\": 4096}, \"nproc\": "
                             "{\"Name\": \"nproc\", \"Soft\": 1024, \"Hard\": 2048}}",
                             nofile ? "" : "nofile", !nofile && !nproc ? " and " : "", nproc ? "" : "nproc");
        }
        const char *driver = daemon_string(d, "log-driver");
        if (!driver)
                daemon_report_at(d, ev, "daemon-log-driver", "log-driver",
                                 "no log driver chosen (json-file, unrotated, by default); set \"log-driver\" in "
                                 "daemon.json (\"local\", \"journald\", \"syslog\" or a remote driver)");
        if (!driver || STREQ(driver, "json-file") || STREQ(driver, "local")) {
                bool size = opt_has_key(d, "log-opts", "max-size");
                bool files = opt_has_key(d, "log-opts", "max-file");
                if (!size || !files) {
                        _cleanup_free_ char *w = daemon_where(d, "log-opts");
                        audit_report(ev, "daemon-log-rotation", w ?: "",
                                     "the %s log driver has no %s%s%s: a container can fill the disk with logs; set "
                                     "\"log-opts\": {\"max-size\": \"10m\", \"max-file\": \"3\"} in daemon.json",
                                     driver ?: "json-file", size ? "" : "max-size", !size && !files ? " and " : "",
                                     files ? "" : "max-file");
                }
        }
        if (audit_exists(d->root, "/sys/fs/selinux/enforce") && !daemon_bool(d, "selinux-enabled", false))
                daemon_report_at(d, ev, "daemon-selinux", "selinux-enabled",
                                 "the host has SELinux but dockerd does not label containers; set "
                                 "\"selinux-enabled\": true in daemon.json");
}

/* --- the remote API -------------------------------------------------- */

/* Docker's host syntax: "tcp://…", or an address with no scheme, which it
 * takes as TCP too. */
static bool host_is_tcp(const char *h)
{
        if (strncmp(h, "tcp://", 6) == 0)
                return true;
        return !strstr(h, "://") && h[0] != '/' && *h;
}

struct tcp_scan {
        char *where;
        const char *host;
};

static bool first_tcp(const char *item, const char *where, void *data)
{
        struct tcp_scan *t = data;
        if (!host_is_tcp(item))
                return false;
        t->where = strdup(where);
        t->host = item;
        return true;
}

static bool any_item(const char *item, const char *where, void *data)
{
        (void)where;
        (void)data;
        return *item != '\0';
}

/* Without a path, dockerd uses ~/.docker/{ca,cert,key}.pem of its user,
 * root. */
static void check_cert(const struct daemon *d, struct eval *ev, const char *key, const char *def, const char *host)
{
        const char *p = daemon_string(d, key) ?: def;
        if (audit_exists(d->root, p))
                return;
        _cleanup_free_ char *w = daemon_where(d, key);
        audit_report(ev, "daemon-remote-api-tls", w ?: "",
                     "the API listens on %s but the %s file %s does not exist; set \"%s\" to an existing file", host,
                     key, p, key);
}

static void check_remote_api(const struct daemon *d, struct eval *ev)
{
        struct tcp_scan t = {0};
        if (!daemon_each(d, "hosts", first_tcp, &t))
                return;
        _cleanup_free_ char *where = t.where;
        bool tls = daemon_bool(d, "tls", false), verify = daemon_bool(d, "tlsverify", false);
        if (!verify)
                audit_report(ev, "daemon-remote-api-tls", where ?: "",
                             "the API listens on %s %s: anyone who reaches it is root on the host; set "
                             "\"tlsverify\": true with \"tlscacert\", \"tlscert\" and \"tlskey\" in daemon.json, or "
                             "listen on the unix socket only",
                             t.host, tls ? "with TLS but without client verification" : "without TLS");
        if (tls || verify) {
                check_cert(d, ev, "tlscacert", "/root/.docker/ca.pem", t.host);
                check_cert(d, ev, "tlscert", "/root/.docker/cert.pem", t.host);
                check_cert(d, ev, "tlskey", "/root/.docker/key.pem", t.host);
        }
        if (!daemon_each(d, "authorization-plugins", any_item, NULL))
                audit_report(ev, "daemon-authorization-plugin", where ?: "",
                             "the API listens on %s and every authenticated client may do anything; add an "
                             "\"authorization-plugins\" entry in daemon.json",
                             t.host);
}

/* --- the runtime ----------------------------------------------------- */

/* The same test as daemon-runtime-bypass: the binary dockerd would run
 * (an absolute path, or a name looked up on PATH, under the audited root)
 * is runc-harden's by device and inode. A copy or another build named
 * runc-harden is not; an unknown runc-harden binary matches nothing. */
static bool is_runc_harden(const struct daemon *d, const char *path)
{
        struct bypass b = {.root = d->root, .dev = d->harden_dev, .ino = d->harden_ino};
        struct rt r;

        if (!d->harden_known)
                return false;
        bypass_judge(&b, path, &r);
        bool harden = r.verdict == RT_HARDEN;
        bypass_rt_done(&r);
        return harden;
}

/* A later member with the same key replaces this one in Go's map. */
bool audit_key_shadowed(const struct jv *o, size_t i)
{
        const struct jv_member *m = &o->u.obj.m[i];
        for (size_t k = i + 1; k < o->u.obj.n; k++)
                if (o->u.obj.m[k].keylen == m->keylen && memcmp(o->u.obj.m[k].key, m->key, m->keylen) == 0)
                        return true;
        return false;
}

static bool names_add(char ***names, size_t *n, const char *name, size_t len)
{
        char **more = realloc(*names, (*n + 2) * sizeof(char *));
        if (!more)
                return false;
        *names = more;
        if (!(more[*n] = strndup(name, len)))
                return false;
        more[++*n] = NULL;
        return true;
}

void audit_names_free(char **names)
{
        for (size_t i = 0; names && names[i]; i++)
                free(names[i]);
        free(names);
}

static bool names_contain(char *const *names, const char *name)
{
        for (size_t i = 0; names && names[i]; i++)
                if (STREQ(names[i], name))
                        return true;
        return false;
}

/* The runtime names dockerd runs runc-harden under: the "runtimes" map's
 * entries and --add-runtime name=path whose path is runc-harden, and the
 * built-in "runc" when the runc on PATH is runc-harden. NULL-terminated;
 * NULL on allocation failure. */
char **daemon_harden_runtimes(const struct daemon *d)
{
        const struct flag_setting *s = daemon_flags_get(d->flags, "runtimes");
        char **names = calloc(1, sizeof(char *));
        size_t n = 0;
        bool ok = names != NULL;

        for (size_t i = 0; ok && s && i < s->n; i++) {
                const char *eq = strchr(s->values[i], '=');
                if (eq && is_runc_harden(d, eq + 1))
                        ok = names_add(&names, &n, s->values[i], (size_t)(eq - s->values[i]));
        }
        const struct jv *o = json_get(d, "runtimes", JV_OBJECT);
        for (size_t i = 0; ok && o && i < o->u.obj.n; i++) {
                const char *path;
                const struct jv_member *m = &o->u.obj.m[i];
                if (!audit_key_shadowed(o, i) && jv_cstr(audit_json_get(m->val, "path"), &path) &&
                    is_runc_harden(d, path))
                        ok = names_add(&names, &n, m->key, m->keylen);
        }
        if (ok && d->runc_is_harden && !names_contain(names, "runc"))
                ok = names_add(&names, &n, "runc", 4);
        if (!ok) {
                audit_names_free(names);
                return NULL;
        }
        return names;
}

static void check_runtime(const struct daemon *d, struct eval *ev)
{
        const char *def = daemon_string(d, "default-runtime") ?: "runc";
        char **names = daemon_harden_runtimes(d);
        _cleanup_free_ char *setup = NULL;

        /* setup docker writes /etc/docker/daemon.json unless told: a
         * dockerd started with --config-file never reads that one. */
        const char *file = d->config_path && !STREQ(d->config_path, "/etc/docker/daemon.json") ? d->config_path : NULL;
        if (!names || asprintf(&setup, "runc-harden setup docker --default%s%s", file ? " --daemon-config " : "",
                               file ?: "") < 0) {
                audit_names_free(names);
                ev->oom = true;
                return;
        }
        if (names_contain(names, def)) {
                audit_names_free(names);
                return;
        }
        if (!names[0]) {
                _cleanup_free_ char *w = daemon_where(d, "runtimes");
                audit_report(ev, "daemon-default-runtime", w ?: "",
                             "runc-harden is not registered, so containers start unchecked; run %s (it adds the "
                             "runtime \"hardened\" with the path %s to daemon.json and makes it the default-runtime), "
                             "then reload dockerd: kill -HUP $(pidof dockerd); or make runc-harden the system's runc "
                             "for every engine: runc-harden setup system",
                             setup, d->harden_path ?: "of the runc-harden binary");
        } else {
                _cleanup_free_ char *w = daemon_where(d, "default-runtime");
                audit_report(ev, "daemon-default-runtime", w ?: "",
                             "the default runtime is %s, not runc-harden: containers started without --runtime go "
                             "unchecked; set \"default-runtime\": \"%s\" (the name runc-harden is registered under), "
                             "or run %s, then reload dockerd: kill -HUP $(pidof dockerd)",
                             def, names[0], setup);
        }
        audit_names_free(names);
}

void daemon_check_options(const struct daemon *d, struct eval *ev)
{
        check_booleans(d, ev);
        check_limits_and_logs(d, ev);
        check_remote_api(d, ev);
        check_runtime(d, ev);
}
