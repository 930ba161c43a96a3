/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "overlay.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

void overlay_layers_done(struct overlay_layers *l)
{
        for (size_t i = 0; i < l->n; i++)
                free(l->v[i].path);
        free(l->v);
        *l = (struct overlay_layers){0};
}

static int layers_add(struct overlay_layers *l, overlay_role_t role, const char *s, size_t len, size_t opt)
{
        struct overlay_layer *v = realloc(l->v, (l->n + 1) * sizeof(*v));
        char *p = malloc(len + 1);
        size_t o = 0;

        if (!v || !p) {
                free(p);
                if (v)
                        l->v = v;
                return -ENOMEM;
        }
        l->v = v;
        for (size_t i = 0; i < len; i++) {
                if (s[i] == '\\' && i + 1 < len)
                        i++;
                p[o++] = s[i];
        }
        p[o] = '\0';
        l->v[l->n++] = (struct overlay_layer){role, p, opt};
        return 0;
}

/* One "key=value" piece of the data: the layers it names. */
static int layers_piece(struct overlay_layers *l, const char *s, size_t len, size_t opt)
{
        static const struct {
                const char *key;
                overlay_role_t role;
                bool list;
        } keys[] = {
                {"lowerdir=", OVERLAY_LOWER, true},  {"lowerdir+=", OVERLAY_LOWER, false},
                {"datadir+=", OVERLAY_LOWER, false}, {"upperdir=", OVERLAY_UPPER, false},
                {"workdir=", OVERLAY_WORK, false},
        };
        for (size_t k = 0; k < ARRAY_SIZE(keys); k++) {
                size_t kl = strlen(keys[k].key);
                if (len < kl || strncmp(s, keys[k].key, kl) != 0)
                        continue;
                s += kl;
                len -= kl;
                if (!keys[k].list)
                        return len ? layers_add(l, keys[k].role, s, len, opt) : 0;
                for (size_t i = 0, start = 0; i <= len; i++) {
                        if (i < len && s[i] == '\\') {
                                i++;
                                continue;
                        }
                        if (i < len && s[i] != ':')
                                continue;
                        if (i > start && layers_add(l, keys[k].role, s + start, i - start, opt) < 0)
                                return -ENOMEM;
                        start = i + 1;
                }
                return 0;
        }
        return 0;
}

int overlay_layers_parse(struct overlay_layers *l, const char *text, const size_t *offsets, size_t n_opts)
{
        size_t len = strlen(text), start = 0, opt = 0;

        for (size_t i = 0; i <= len; i++) {
                if (i < len && text[i] == '\\') {
                        i++;
                        continue;
                }
                if (i < len && text[i] != ',')
                        continue;
                while (opt + 1 < n_opts && offsets[opt + 1] <= start)
                        opt++;
                if (layers_piece(l, text + start, i - start, opt) < 0)
                        return -ENOMEM;
                start = i + 1;
        }
        return 0;
}

char *overlay_layer_home(const char *point)
{
        char *home = strdup(point);
        for (int up = 0; home && up < 2; up++)
                *(strrchr(home, '/') ?: home) = '\0';
        return home;
}

void overlay_dirs_done(struct overlay_dirs *o)
{
        free(o->upper);
        for (size_t i = 0; i < o->n_lower; i++)
                free(o->lower[i]);
        free(o->lower);
        *o = (struct overlay_dirs){0};
}

static char *absolute(const char *home, const char *path)
{
        char *s = NULL;
        if (path[0] == '/')
                return strdup(path);
        return asprintf(&s, "%s/%s", home, path) < 0 ? NULL : s;
}

int overlay_dirs_parse(const char *options, const char *point, struct overlay_dirs *ret)
{
        _cleanup_(overlay_layers_done) struct overlay_layers l = {0};
        _cleanup_(overlay_dirs_done) struct overlay_dirs o = {0};
        _cleanup_free_ char *home = overlay_layer_home(point);
        size_t offsets[1] = {0};

        *ret = (struct overlay_dirs){0};
        if (!home || overlay_layers_parse(&l, options, offsets, 1) < 0 ||
            !(o.lower = calloc(l.n ? l.n : 1, sizeof(*o.lower))))
                return -ENOMEM;
        for (size_t i = 0; i < l.n; i++) {
                char *p = absolute(home, l.v[i].path);
                if (!p)
                        return -ENOMEM;
                if (l.v[i].role == OVERLAY_LOWER)
                        o.lower[o.n_lower++] = p;
                else if (l.v[i].role == OVERLAY_UPPER && !o.upper)
                        o.upper = p;
                else
                        free(p);
        }
        if (!o.upper)
                return -ENOENT;
        *ret = o;
        o = (struct overlay_dirs){0};
        return 0;
}
