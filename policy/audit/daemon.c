/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "host.h"
#include "internal.h"
#include "rootpath.h"
#include "util.h"

/* Loading the daemon's settings: daemon.json through the project's strict
 * parser, dockerd's flags, and a check that both agree in kind: dockerd
 * decodes daemon.json into typed fields and refuses a file that does not
 * fit, so a wrong type is a daemon that will not start. */

void daemon_done(struct daemon *d)
{
        free(d->config_path);
        jdoc_free(d->doc);
        daemon_flags_free(d->flags);
        free(d->flags_origin);
        free(d->data_root);
        free(d->harden_path);
        *d = (struct daemon){0};
}

static int load_flags(const char *root, struct daemon *d)
{
        struct dockerd_flags f;
        int r = dockerd_flags_find(root, &f);
        if (r >= 0)
                r = daemon_flags_parse(&f, &d->flags);
        if (r >= 0 && f.origin)
                d->flags_origin = TAKE_PTR(f.origin);
        dockerd_flags_done(&f);
        return r;
}

static int load_config(const struct audit_input *in, struct daemon *d, struct audit_notes *notes, rh_error_t *err)
{
        const struct flag_setting *cf = daemon_flags_get(d->flags, "config-file");
        const char *root = in->daemon_config ? "/" : in->root;
        const char *path = in->daemon_config ?: cf ? cf->values[0] : "/etc/docker/daemon.json";
        _cleanup_free_ char *buf = NULL;
        size_t len;

        if (!(d->config_path = root_path(root, path)))
                return rh_error_set(err, ENOMEM, "out of memory");
        int r = audit_read(root, path, &buf, &len);
        if (r == -ENOENT) {
                audit_note(notes, "%s does not exist: dockerd's defaults apply", d->config_path);
                return 0;
        }
        if (r < 0)
                return rh_error_set(err, -r, "%s: %s", d->config_path, strerror(-r));
        if ((r = jdoc_parse(buf, len, &d->doc, err)) < 0)
                return rh_error_wrap(err, "%s: not valid JSON", d->config_path);
        if (!jv_is(d->doc->root, JV_OBJECT))
                return rh_error_set(err, EINVAL, "%s: not a JSON object", d->config_path);
        return 0;
}

/* The types dockerd's Config struct gives these keys. */
static const struct {
        const char *key;
        jv_type_t type;
        jv_type_t member; /* for arrays and maps: the element type, or _JV_TYPE_MAX for any */
} key_types[] = {
        {"live-restore", JV_BOOL, 0},
        {"icc", JV_BOOL, 0},
        {"userland-proxy", JV_BOOL, 0},
        {"userns-remap", JV_STRING, 0},
        {"default-ulimits", JV_OBJECT, JV_OBJECT},
        {"log-driver", JV_STRING, 0},
        {"log-opts", JV_OBJECT, JV_STRING},
        {"storage-driver", JV_STRING, 0},
        {"hosts", JV_ARRAY, JV_STRING},
        {"tls", JV_BOOL, 0},
        {"tlsverify", JV_BOOL, 0},
        {"tlscacert", JV_STRING, 0},
        {"tlscert", JV_STRING, 0},
        {"tlskey", JV_STRING, 0},
        {"authorization-plugins", JV_ARRAY, JV_STRING},
        {"ip", JV_STRING, 0},
        {"selinux-enabled", JV_BOOL, 0},
        {"no-new-privileges", JV_BOOL, 0},
        {"runtimes", JV_OBJECT, JV_OBJECT},
        {"default-runtime", JV_STRING, 0},
        {"data-root", JV_STRING, 0},
        {"group", JV_STRING, 0},
        {"insecure-registries", JV_ARRAY, JV_STRING},
        {"registry-mirrors", JV_ARRAY, JV_STRING},
        {"iptables", JV_BOOL, 0},
        {"experimental", JV_BOOL, 0},
        {"log-level", JV_STRING, 0},
        {"debug", JV_BOOL, 0},
        {"seccomp-profile", JV_STRING, 0},
        {"cgroup-parent", JV_STRING, 0},
        {"exec-opts", JV_ARRAY, JV_STRING},
};

static void check_member_types(const struct jv *v, jv_type_t want, struct eval *ev)
{
        size_t n = v->type == JV_ARRAY ? v->u.arr.n : v->u.obj.n;
        for (size_t i = 0; i < n; i++) {
                const struct jv *m = v->type == JV_ARRAY ? v->u.arr.v[i] : v->u.obj.m[i].val;
                if (m->type == want)
                        continue;
                _cleanup_free_ char *ptr = jv_pointer(m);
                audit_report(ev, "daemon-config-invalid", ptr ?: "",
                             "is %s where dockerd wants %s: dockerd will not start", jv_type_name(m->type),
                             jv_type_name(want));
        }
}

static void check_types(const struct daemon *d, struct eval *ev)
{
        for (size_t i = 0; d->doc && i < ARRAY_SIZE(key_types); i++) {
                const struct jv *v = audit_json_get(d->doc->root, key_types[i].key);
                if (!v)
                        continue;
                _cleanup_free_ char *ptr = jv_pointer(v);
                if (v->type != key_types[i].type)
                        audit_report(ev, "daemon-config-invalid", ptr ?: "",
                                     "is %s where dockerd wants %s: dockerd will not start; fix the value",
                                     jv_type_name(v->type), jv_type_name(key_types[i].type));
                else if (v->type == JV_ARRAY || v->type == JV_OBJECT)
                        check_member_types(v, key_types[i].member, ev);
        }
        for (size_t i = 0; i < ARRAY_SIZE(key_types); i++) {
                const struct flag_setting *s = daemon_flags_get(d->flags, key_types[i].key);
                if (s && daemon_flags_is_bool(key_types[i].key) && !STREQ(s->values[0], "true") &&
                    !STREQ(s->values[0], "false"))
                        audit_report(ev, "daemon-config-invalid", s->spelled,
                                     "is not a boolean (set in %s): dockerd will not start",
                                     d->flags_origin ?: "dockerd's flags");
        }
}

/* dockerd refuses to start when one option is given both ways, even with
 * one value; different values are the likelier mistake, said so. It
 * merges "runtimes" from both instead (its skipDuplicates). */
static void check_conflicts(const struct daemon *d, struct eval *ev)
{
        for (size_t i = 0; d->doc && i < ARRAY_SIZE(key_types); i++) {
                const char *key = key_types[i].key;
                const struct jv *v = audit_json_get(d->doc->root, key);
                const struct flag_setting *s = daemon_flags_get(d->flags, key);
                if (!v || !s || STREQ(key, "runtimes"))
                        continue;
                bool same = false;
                const char *str;
                if (v->type == JV_BOOL)
                        same = STREQ(s->values[0], v->u.b ? "true" : "false");
                else if (jv_cstr(v, &str))
                        same = STREQ(s->values[0], str);
                _cleanup_free_ char *ptr = jv_pointer(v);
                audit_report(ev, "daemon-option-conflict", ptr ?: "",
                             "set both in daemon.json and by the dockerd flag %s in %s%s: dockerd refuses to "
                             "start; keep one (remove the flag from the unit's ExecStart or the key from "
                             "daemon.json)",
                             s->spelled, d->flags_origin ?: "dockerd's command line",
                             same ? " (even to the same value)" : " (to different values)");
        }
}

static int find_data_root(struct daemon *d)
{
        const struct flag_setting *s = daemon_flags_get(d->flags, "data-root");
        const struct jv *v = d->doc ? audit_json_get(d->doc->root, "data-root") : NULL;
        const char *p = "/var/lib/docker";
        if (s)
                p = s->values[0];
        else if (!jv_cstr(v, &p) || !*p)
                p = "/var/lib/docker";
        d->data_root = path_normalize(p);
        return d->data_root ? 0 : -ENOMEM;
}

int daemon_load(const struct audit_input *in, struct daemon *d, struct audit_notes *notes, rh_error_t *err)
{
        *d = (struct daemon){.root = in->root};
        if (load_flags(in->root, d) < 0)
                return rh_error_set(err, ENOMEM, "out of memory");
        if (!d->flags_origin)
                audit_note(notes, "no running dockerd and no docker.service ExecStart found: flags not checked");
        int r = load_config(in, d, notes, err);
        if (r < 0)
                return r;
        if (find_data_root(d) < 0)
                return rh_error_set(err, ENOMEM, "out of memory");
        /* Where advice says runc-harden is: the binary the audit compares
         * runtimes with. */
        d->harden_path = in->runc_harden ? strdup(in->runc_harden) : realpath("/proc/self/exe", NULL);
        /* ... and what it is: runtimes are runc-harden by device and inode,
         * as daemon-runtime-bypass judges them, never by their name. */
        struct stat st;
        if (stat(in->runc_harden ?: "/proc/self/exe", &st) == 0) {
                d->harden_known = true;
                d->harden_dev = st.st_dev;
                d->harden_ino = st.st_ino;
        }
        return 0;
}

void daemon_check(const struct daemon *d, struct eval *ev)
{
        check_types(d, ev);
        check_conflicts(d, ev);
        daemon_check_options(d, ev);
        daemon_check_hardening(d, ev);
}
