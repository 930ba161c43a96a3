/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "goflag.h"
#include "internal.h"
#include "util.h"

/* dockerd's flags that set an option the audit looks at, with the
 * daemon.json key dockerd itself pairs them with when it looks for an
 * option given both ways (the flag's name, or its list's name: -H is
 * "hosts", --log-opt "log-opts", --add-runtime "runtimes"). Their kinds
 * are goflag.h's: a bool, a value, or a list each use appends to. */

static const struct {
        const char *name;
        char shorthand;
        const char *key;
        flag_kind_t kind;
} known_flags[] = {
        {"live-restore", 0, "live-restore", FLAG_BOOL},
        {"icc", 0, "icc", FLAG_BOOL},
        {"userland-proxy", 0, "userland-proxy", FLAG_BOOL},
        {"userns-remap", 0, "userns-remap", FLAG_STRING},
        {"default-ulimit", 0, "default-ulimits", FLAG_STRINGS},
        {"log-driver", 0, "log-driver", FLAG_STRING},
        {"log-opt", 0, "log-opts", FLAG_STRINGS},
        {"storage-driver", 's', "storage-driver", FLAG_STRING},
        {"host", 'H', "hosts", FLAG_STRINGS},
        {"tls", 0, "tls", FLAG_BOOL},
        {"tlsverify", 0, "tlsverify", FLAG_BOOL},
        {"tlscacert", 0, "tlscacert", FLAG_STRING},
        {"tlscert", 0, "tlscert", FLAG_STRING},
        {"tlskey", 0, "tlskey", FLAG_STRING},
        {"authorization-plugin", 0, "authorization-plugins", FLAG_STRINGS},
        {"ip", 0, "ip", FLAG_STRING},
        {"selinux-enabled", 0, "selinux-enabled", FLAG_BOOL},
        {"no-new-privileges", 0, "no-new-privileges", FLAG_BOOL},
        {"add-runtime", 0, "runtimes", FLAG_STRINGS},
        {"default-runtime", 0, "default-runtime", FLAG_STRING},
        {"data-root", 0, "data-root", FLAG_STRING},
        {"group", 'G', "group", FLAG_STRING},
        {"config-file", 0, "config-file", FLAG_STRING},
        {"insecure-registry", 0, "insecure-registries", FLAG_STRINGS},
        {"registry-mirror", 0, "registry-mirrors", FLAG_STRINGS},
        {"iptables", 0, "iptables", FLAG_BOOL},
        {"experimental", 0, "experimental", FLAG_BOOL},
        {"log-level", 'l', "log-level", FLAG_STRING},
        {"debug", 'D', "debug", FLAG_BOOL},
        {"seccomp-profile", 0, "seccomp-profile", FLAG_STRING},
        {"cgroup-parent", 0, "cgroup-parent", FLAG_STRING},
        {"exec-opt", 0, "exec-opts", FLAG_STRINGS},
};

struct daemon_flags {
        struct flag_setting s[ARRAY_SIZE(known_flags)];
};

bool daemon_flags_is_bool(const char *key)
{
        for (size_t i = 0; i < ARRAY_SIZE(known_flags); i++)
                if (STREQ(known_flags[i].key, key))
                        return known_flags[i].kind == FLAG_BOOL;
        return false;
}

void daemon_flags_free(struct daemon_flags *df)
{
        if (!df)
                return;
        for (size_t i = 0; i < ARRAY_SIZE(known_flags); i++) {
                for (size_t k = 0; k < df->s[i].n; k++)
                        free(df->s[i].values[k]);
                free(df->s[i].values);
                free(df->s[i].spelled);
        }
        free(df);
}

const struct flag_setting *daemon_flags_get(const struct daemon_flags *df, const char *key)
{
        if (!df)
                return NULL;
        for (size_t i = 0; i < ARRAY_SIZE(known_flags); i++)
                if (STREQ(known_flags[i].key, key))
                        return df->s[i].n ? &df->s[i] : NULL;
        return NULL;
}

/* A bool's value as pflag reads it (strconv.ParseBool); anything else is
 * kept as given (dockerd would refuse it). */
static const char *go_bool(const char *v)
{
        bool b;
        return go_parse_bool(v, &b) < 0 ? v : b ? "true" : "false";
}

static int known_flag_find(const char *name, size_t len, char shorthand)
{
        for (size_t i = 0; i < ARRAY_SIZE(known_flags); i++) {
                if (shorthand && known_flags[i].shorthand == shorthand)
                        return (int)i;
                if (!shorthand && strlen(known_flags[i].name) == len && strncmp(known_flags[i].name, name, len) == 0)
                        return (int)i;
        }
        return -1;
}

static int setting_add(struct flag_setting *s, flag_kind_t kind, const char *value, const char *spelled)
{
        const char *v = kind == FLAG_BOOL ? go_bool(value) : value;
        if (kind != FLAG_STRINGS && s->n) {
                /* The last one given wins. */
                char *dup = strdup(v);
                if (!dup)
                        return -ENOMEM;
                free(s->values[0]);
                s->values[0] = dup;
                return 0;
        }
        char **nv = realloc(s->values, (s->n + 1) * sizeof(*nv));
        if (!nv)
                return -ENOMEM;
        s->values = nv;
        if (!(nv[s->n] = strdup(v)))
                return -ENOMEM;
        s->n++;
        if (!s->spelled && !(s->spelled = strdup(spelled)))
                return -ENOMEM;
        return 0;
}

/* pflag's syntax: --name=value, --name value, -Xvalue, -X value, -X=value;
 * a bool takes its value only after "=". */
int daemon_flags_parse(const struct dockerd_flags *f, struct daemon_flags **ret)
{
        struct daemon_flags *df = calloc(1, sizeof(*df));
        if (!df)
                return -ENOMEM;
        for (int i = 0; i < f->argc; i++) {
                const char *a = f->argv[i], *value = NULL, *name;
                size_t len;
                int idx;
                if (STREQ(a, "--"))
                        break;
                if (a[0] != '-' || !a[1])
                        continue;
                if (a[1] == '-') {
                        name = a + 2;
                        const char *eq = strchr(name, '=');
                        len = eq ? (size_t)(eq - name) : strlen(name);
                        value = eq ? eq + 1 : NULL;
                        idx = known_flag_find(name, len, 0);
                } else {
                        idx = known_flag_find(NULL, 0, a[1]);
                        if (a[2])
                                value = a[2] == '=' ? a + 3 : a + 2;
                }
                flag_kind_t kind = idx >= 0 ? known_flags[idx].kind : FLAG_STRING;
                const char *next = i + 1 < f->argc ? f->argv[i + 1] : NULL;
                if (!value && kind == FLAG_BOOL && idx >= 0)
                        value = "true";
                /* dockerd has no positional arguments: a word after an
                 * unknown flag is that flag's value. */
                if (!value && next && (idx >= 0 || next[0] != '-')) {
                        value = next;
                        i++;
                }
                if (idx < 0 || !value)
                        continue;
                _cleanup_free_ char *spelled = NULL;
                if (asprintf(&spelled, "%s%s%s", a, value == next ? " " : "", value == next ? next : "") < 0 ||
                    setting_add(&df->s[idx], kind, value, spelled) < 0) {
                        daemon_flags_free(df);
                        return -ENOMEM;
                }
        }
        *ret = df;
        return 0;
}
