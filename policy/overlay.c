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

/* Adds the layer s (len bytes), unescaped as ovl_unescape() does when
 * unescape: every "\" dropped and the next character kept, a final "\"
 * dropped. An empty one is skipped (the kernel refuses it). */
static int layers_add(struct overlay_layers *l, overlay_role_t role, const char *s, size_t len, size_t opt,
                      bool unescape)
{
        struct overlay_layer *v;
        char *p = malloc(len + 1);
        size_t o = 0;

        if (!p)
                return -ENOMEM;
        for (size_t i = 0; i < len; i++) {
                if (unescape && s[i] == '\\' && ++i == len)
                        break;
                p[o++] = s[i];
        }
        p[o] = '\0';
        if (o == 0) {
                free(p);
                return 0;
        }
        if (!(v = realloc(l->v, (l->n + 1) * sizeof(*v)))) {
                free(p);
                return -ENOMEM;
        }
        l->v = v;
        l->v[l->n++] = (struct overlay_layer){role, p, opt};
        return 0;
}

/* lowerdir=: the layers between the ":" not escaped, the escapes kept
 * until each layer is unescaped (ovl_parse_param_split_lowerdirs). */
static int layers_lowerdir(struct overlay_layers *l, const char *s, size_t len, size_t opt)
{
        size_t start = 0;

        for (size_t i = 0; i < len; i++) {
                if (s[i] == '\\') {
                        i++; /* the escaped character, or past the end */
                        continue;
                }
                if (s[i] != ':')
                        continue;
                if (layers_add(l, OVERLAY_LOWER, s + start, i - start, opt, true) < 0)
                        return -ENOMEM;
                start = i + 1;
        }
        return layers_add(l, OVERLAY_LOWER, s + start, len - start, opt, true);
}

/* One option of the data (len bytes): the layers it names. The key is
 * what precedes the first "=", compared exactly (fs_parse()). */
static int layers_piece(struct overlay_layers *l, const char *s, size_t len, size_t opt)
{
        static const struct {
                const char *key;
                overlay_role_t role;
                bool unescape;
        } keys[] = {
                /* ovl_mount_dir_noesc(): taken as written */
                {"lowerdir+", OVERLAY_LOWER, false},
                {"datadir+", OVERLAY_LOWER, false},
                /* ovl_mount_dir(): unescaped */
                {"upperdir", OVERLAY_UPPER, true},
                {"workdir", OVERLAY_WORK, true},
        };
        const char *eq = memchr(s, '=', len);

        if (!eq || eq == s)
                return 0; /* no value (overlay refuses it), or skipped by the kernel */
        size_t kl = (size_t)(eq - s), vl = len - kl - 1;
        if (kl == strlen("lowerdir") && strncmp(s, "lowerdir", kl) == 0)
                return layers_lowerdir(l, eq + 1, vl, opt);
        for (size_t k = 0; k < ARRAY_SIZE(keys); k++)
                if (kl == strlen(keys[k].key) && strncmp(s, keys[k].key, kl) == 0)
                        return layers_add(l, keys[k].role, eq + 1, vl, opt, keys[k].unescape);
        return 0;
}

/* The options are split at each "," not escaped; a "\" escapes the next
 * character and stays in the text, a "\" at the very end ends the last
 * option (ovl_next_opt()). Empty options are skipped. */
int overlay_layers_parse(struct overlay_layers *l, const char *text, const size_t *offsets, size_t n_opts)
{
        size_t len = strlen(text), start = 0, opt = 0;

        for (size_t i = 0;; i++) {
                if (i < len && text[i] == '\\') {
                        i++; /* the escaped character; a final "\" stays in the last option */
                        continue;
                }
                if (i < len && text[i] != ',')
                        continue;
                size_t end = i < len ? i : len;
                while (opt + 1 < n_opts && offsets[opt + 1] <= start)
                        opt++;
                if (layers_piece(l, text + start, end - start, opt) < 0)
                        return -ENOMEM;
                if (i >= len)
                        return 0;
                start = i + 1;
        }
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
