/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/hostpath.h"
#include "util.h"
#include "verify_internal.h"

/* What verify.c and its parts (verify_mounts.c, verify_process.c) share:
 * how a finding is reported, and reading the spec and the kernel's maps.
 * The parts call these, and verify.c calls the parts, never the other way
 * round. */

/* Rules whose requirement verification also judges, and where it falls
 * back when a rule is not in this build's registry. */
static const struct rule *rule_of(const char *id)
{
        const struct rule *r = rules_find(id, NULL);
        return r ? r : rules_find("sensitive-mount", NULL);
}

void vreport(struct vctx *v, const char *rule, rh_action_t action, const char *file, const char *fmt, ...)
{
        const struct rule *r = NULL;
        char *msg = NULL, *ptr = NULL;
        bool exempted = false;
        va_list ap;

        /* A policy rule's requirement is judged with its action: off is
         * not judged, warn only warns; the exemptions hold too. What the
         * spec itself says ("verify") always is. */
        if (!STREQ(rule, "verify")) {
                size_t idx;
                if (!(r = rule_of(rule)) || !rules_find(r->id, &idx))
                        return;
                rh_action_t configured = v->p->conf[idx].action;
                if (configured == ACTION_OFF)
                        return;
                if (configured == ACTION_WARN)
                        action = ACTION_WARN;
                exempted = engine_is_exempt(v->p, v->s, r->id);
                rule = r->id;
        }
        va_start(ap, fmt);
        if (vasprintf(&msg, fmt, ap) < 0)
                msg = NULL;
        va_end(ap);
        if (asprintf(&ptr, "/proc/%d/%s", (int)v->f->pid, file) < 0)
                ptr = NULL;
        eval_add(v->ev, rule, r ? r->guide : "", action, exempted, ptr, msg);
}

const char *vstr(const struct jv *obj, const char *key)
{
        const char *s;
        return jv_cstr(jv_get(obj, key), &s) ? s : NULL;
}

void vmount_options(const struct jv *m, bool *ret_bind, bool *ret_readonly, bool *ret_recursive_ro)
{
        struct host_bind b = {0};
        const struct jv *bad;

        if (hostpath_read_options(m, &b, ret_bind, &bad) < 0)
                *ret_bind = false; /* runc refuses them: judged in the spec */
        *ret_readonly = b.readonly;
        *ret_recursive_ro = b.rro;
}

char *vbundle_path(const struct vctx *v, const char *path)
{
        char *out = NULL;
        if (path[0] == '/' || !v->f->bundle)
                return strdup(path);
        if (asprintf(&out, "%s/%s", v->f->bundle, path) < 0)
                return NULL;
        return out;
}

/* uid_map lines "inside outside count": the host id of a container id, or
 * -1 when unmapped. Without a user namespace ids are the host's. */
int64_t vmap_id(const char *map, uint64_t inside)
{
        if (!map || !*map)
                return (int64_t)inside;
        for (const char *p = map; p && *p;) {
                unsigned long long in, out, n;
                if (sscanf(p, "%llu %llu %llu", &in, &out, &n) == 3 && inside >= in && inside - in < n)
                        return (int64_t)(out + (inside - in));
                p = strchr(p, '\n');
                if (p)
                        p++;
        }
        return -1;
}
