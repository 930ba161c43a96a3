/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"
#include "rules/seccomp_judge.h"
#include "util.h"

/* The daemon settings docker-bench-security checks beyond the guide's own
 * list: where images come from, who enforces the network rules, what the
 * daemon logs, and the defaults every container gets (seccomp profile,
 * cgroup parent). Each is read from the dockerd flag and the daemon.json
 * key, as the other daemon checks are. */

/* --- registries: RUN-16, trusted images ------------------------------ */

static bool report_insecure(const char *item, const char *where, void *data)
{
        struct eval *ev = data;
        audit_report(ev, "daemon-insecure-registry", where,
                     "dockerd pulls from %s over plain HTTP, or over TLS without checking its certificate: whoever "
                     "sits in between can serve any image; remove it from insecure-registries and give the registry "
                     "a certificate (its CA in /etc/docker/certs.d/%s/ca.crt)",
                     item, item);
        return false;
}

static bool report_http_mirror(const char *item, const char *where, void *data)
{
        struct eval *ev = data;
        if (strncasecmp(item, "http://", 7) == 0)
                audit_report(ev, "daemon-insecure-registry", where,
                             "the registry mirror %s is plain HTTP: every image pulled through it can be replaced on "
                             "the way; use an https:// mirror",
                             item);
        return false;
}

/* --- the network rules: DAEMON-1 ------------------------------------- */

static void check_iptables(const struct daemon *d, struct eval *ev)
{
        if (!daemon_bool(d, "iptables", true))
                daemon_report_at(d, ev, "daemon-iptables", "iptables",
                                 "dockerd does not manage iptables: \"icc\": false and the address a port is "
                                 "published on are no longer enforced by Docker, and published ports are not "
                                 "forwarded; remove \"iptables\": false (or enforce both in your own firewall rules)");
}

/* --- experimental features and debug logs: HOST-2, RUN-16 ------------ */

static void check_experimental(const struct daemon *d, struct eval *ev)
{
        if (daemon_bool(d, "experimental", false))
                daemon_report_at(d, ev, "daemon-experimental", "experimental",
                                 "experimental features are on: they are not covered by Docker's stability or "
                                 "security maintenance; remove \"experimental\": true on production hosts");
}

static void check_log_level(const struct daemon *d, struct eval *ev)
{
        const char *level = daemon_string(d, "log-level");
        /* logrus reads the level without regard to case; --debug (-D) is
         * the debug level too. */
        if (level && (strcasecmp(level, "debug") == 0 || strcasecmp(level, "trace") == 0)) {
                _cleanup_free_ char *w = daemon_where(d, "log-level");
                audit_report(ev, "daemon-log-level", w ?: "",
                             "dockerd logs at level %s: its log then holds API request bodies, the environment "
                             "of every container created (secrets included) among them; set \"log-level\": \"info\"",
                             level);
        } else if (daemon_bool(d, "debug", false)) {
                daemon_report_at(d, ev, "daemon-log-level", "debug",
                                 "dockerd runs in debug mode (log level debug): its log then holds API request "
                                 "bodies, the environment of every container created (secrets included) among "
                                 "them; remove \"debug\": true (or -D) and keep \"log-level\": \"info\"");
        }
}

/* --- the default seccomp profile: RUN-5 ------------------------------ */

static void check_seccomp_profile(const struct daemon *d, struct eval *ev)
{
        const char *p = daemon_string(d, "seccomp-profile");
        _cleanup_free_ char *w = daemon_where(d, "seccomp-profile");
        _cleanup_free_ char *buf = NULL;
        _cleanup_jdoc_ struct jdoc *doc = NULL;
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        size_t len;
        bool weak = false;

        /* Unset, or "builtin" (Docker 23): Docker's own default profile. */
        if (!p || STREQ(p, "builtin"))
                return;
        if (STREQ(p, "unconfined")) {
                audit_report(ev, "daemon-seccomp-profile", w ?: "",
                             "every container gets no seccomp filter by default: every system call is open to it, "
                             "unshare, mount and keyctl included; remove \"seccomp-profile\": \"unconfined\" (Docker's "
                             "default profile then applies) or name a profile");
                return;
        }
        int r = audit_read(d->root, p, &buf, &len);
        if (r < 0) {
                audit_report(ev, "daemon-seccomp-profile", w ?: "",
                             "the default seccomp profile %s cannot be read (%s): dockerd will not start", p,
                             strerror(-r));
                return;
        }
        if (jdoc_parse(buf, len, &doc, &err) < 0 || seccomp_profile_judge(doc->root, &weak, &err) < 0) {
                audit_report(ev, "daemon-seccomp-profile", w ?: "",
                             "the default seccomp profile %s is not one runc can install (%s): containers would not "
                             "start; fix the profile",
                             p, rh_error_msg(&err));
                return;
        }
        if (weak)
                audit_report(ev, "daemon-seccomp-profile", w ?: "",
                             "the default seccomp profile %s refuses no system call, installs no filter, or leaves "
                             "open what the seccomp rule requires refused (bpf, module loading, kexec, ...): every "
                             "container runs as if unconfined; give it a profile that refuses what containers do not "
                             "need (Docker's default is a good start)",
                             p);
}

/* --- the cgroup parent: RUN-4 ---------------------------------------- */

/* dockerd's default parent: "/docker" under cgroupfs, "system.slice" under
 * the systemd driver (exec-opts native.cgroupdriver=systemd). */
static bool systemd_driver(const char *item, const char *where, void *data)
{
        (void)where, (void)data;
        const char *k = "native.cgroupdriver";
        size_t n = strlen(k);
        if (strncmp(item, k, n) != 0)
                return false;
        const char *v = item + n;
        while (*v == ' ')
                v++;
        if (*v++ != '=')
                return false;
        while (*v == ' ')
                v++;
        return STREQ(v, "systemd");
}

static void check_cgroup_parent(const struct daemon *d, struct eval *ev)
{
        const char *p = daemon_string(d, "cgroup-parent");
        const char *def = daemon_each(d, "exec-opts", systemd_driver, NULL) ? "system.slice" : "/docker";

        if (!p || STREQ(p, def) || (def[0] == '/' && p[0] != '/' && STREQ(p, def + 1)))
                return;
        _cleanup_free_ char *w = daemon_where(d, "cgroup-parent");
        audit_report(ev, "daemon-cgroup-parent", w ?: "",
                     "containers' cgroups go under %s instead of Docker's default %s: limits, accounting and "
                     "monitoring set up for %s do not cover them, and what %s itself allows is their real ceiling; "
                     "give %s the limits you expect, or remove \"cgroup-parent\"",
                     p, def, def, p, p);
}

void daemon_check_hardening(const struct daemon *d, struct eval *ev)
{
        daemon_each(d, "insecure-registries", report_insecure, ev);
        daemon_each(d, "registry-mirrors", report_http_mirror, ev);
        check_iptables(d, ev);
        check_experimental(d, ev);
        check_log_level(d, ev);
        check_seccomp_profile(d, ev);
        check_cgroup_parent(d, ev);
}
