/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "json.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_gen.h>

#include "json_internal.h"
#include "util.h"

/* --- arena ---------------------------------------------------------- */

struct arena_chunk {
        struct arena_chunk *next;
        size_t used, size;
        max_align_t data[];
};

struct arena {
        struct arena_chunk *head;
};

#define ARENA_CHUNK (32 * 1024)

static void *arena_alloc(struct arena *a, size_t n)
{
        struct arena_chunk *c = a->head;

        /* nodes, member arrays and strings need pointer alignment at most;
         * max_align_t's 16 bytes would make every 40-byte node 48 */
        n = (n + sizeof(void *) - 1) & ~(sizeof(void *) - 1);
        if (!c || c->size - c->used < n) {
                size_t size = n > ARENA_CHUNK ? n : ARENA_CHUNK;
                c = malloc(sizeof(*c) + size);
                if (!c)
                        return NULL;
                c->size = size;
                c->used = 0;
                c->next = a->head;
                a->head = c;
        }
        void *p = (char *)c->data + c->used;
        c->used += n;
        return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t len)
{
        char *p = arena_alloc(a, len + 1);
        if (!p)
                return NULL;
        memcpy(p, s, len);
        p[len] = '\0';
        return p;
}

struct jdoc *jdoc_new(void)
{
        struct jdoc *d = calloc(1, sizeof(*d));
        if (!d)
                return NULL;
        d->arena = calloc(1, sizeof(*d->arena));
        if (!d->arena) {
                free(d);
                return NULL;
        }
        return d;
}

void jdoc_free(struct jdoc *doc)
{
        if (!doc)
                return;
        for (struct arena_chunk *c = doc->arena->head, *n; c; c = n) {
                n = c->next;
                free(c);
        }
        free(doc->arena);
        free(doc);
}

/* --- nodes ---------------------------------------------------------- */

struct jv *jv_new(struct jdoc *doc, jv_type_t type)
{
        struct jv *v = arena_alloc(doc->arena, sizeof(*v));
        if (!v)
                return NULL;
        memset(v, 0, sizeof(*v));
        v->type = type;
        return v;
}

struct jv *jv_new_bool(struct jdoc *doc, bool b)
{
        struct jv *v = jv_new(doc, JV_BOOL);
        if (v)
                v->u.b = b;
        return v;
}

struct jv *jv_new_text(struct jdoc *doc, jv_type_t t, const char *s, size_t len)
{
        struct jv *v = jv_new(doc, t);
        if (!v)
                return NULL;
        v->u.str.s = arena_strndup(doc->arena, s, len);
        v->u.str.len = len;
        return v->u.str.s ? v : NULL;
}

struct jv *jv_new_string(struct jdoc *doc, const char *s)
{
        return jv_new_text(doc, JV_STRING, s, strlen(s));
}

struct jv *jv_new_int(struct jdoc *doc, int64_t n)
{
        char buf[32];
        int len = snprintf(buf, sizeof(buf), "%" PRId64, n);
        return jv_new_text(doc, JV_NUMBER, buf, (size_t)len);
}

static int grow(struct jdoc *doc, void **items, size_t *cap, size_t n, size_t elem)
{
        if (n < *cap)
                return 0;
        size_t ncap = *cap ? *cap * 2 : 8;
        void *p = arena_alloc(doc->arena, ncap * elem);
        if (!p)
                return -ENOMEM;
        if (n)
                memcpy(p, *items, n * elem);
        *items = p;
        *cap = ncap;
        return 0;
}

int jv_obj_append(struct jdoc *doc, struct jv *obj, const char *key, size_t keylen, struct jv *val)
{
        if (grow(doc, (void **)&obj->u.obj.m, &obj->u.obj.cap, obj->u.obj.n, sizeof(struct jv_member)) < 0)
                return -ENOMEM;
        struct jv_member *m = &obj->u.obj.m[obj->u.obj.n++];
        m->key = key;
        m->keylen = keylen;
        m->val = val;
        val->parent = obj;
        return 0;
}

int jv_arr_push(struct jdoc *doc, struct jv *arr, struct jv *val)
{
        if (!val || grow(doc, (void **)&arr->u.arr.v, &arr->u.arr.cap, arr->u.arr.n, sizeof(struct jv *)) < 0)
                return -ENOMEM;
        arr->u.arr.v[arr->u.arr.n++] = val;
        val->parent = arr;
        return 0;
}

/* The member named exactly key, or NULL. */
static struct jv_member *member_exact(const struct jv *obj, const char *key, size_t keylen)
{
        if (!obj || obj->type != JV_OBJECT)
                return NULL;
        for (size_t i = 0; i < obj->u.obj.n; i++) {
                struct jv_member *m = &obj->u.obj.m[i];
                if (m->keylen == keylen && memcmp(m->key, key, keylen) == 0)
                        return m;
        }
        return NULL;
}

int jv_obj_put(struct jdoc *doc, struct jv *obj, const char *key, struct jv *val)
{
        size_t len = strlen(key);

        if (!val)
                return -ENOMEM;
        struct jv_member *m = member_exact(obj, key, len);
        if (m) {
                m->val = val;
                val->parent = obj;
                return 0;
        }
        char *k = arena_strndup(doc->arena, key, len);
        if (!k)
                return -ENOMEM;
        return jv_obj_append(doc, obj, k, len, val);
}

struct jv *jv_copy(struct jdoc *doc, const struct jv *src)
{
        struct jv *v;

        switch (src->type) {
        case JV_NULL:
                return jv_new(doc, JV_NULL);
        case JV_BOOL:
                return jv_new_bool(doc, src->u.b);
        case JV_NUMBER:
        case JV_STRING:
                return jv_new_text(doc, src->type, src->u.str.s, src->u.str.len);
        case JV_OBJECT:
                v = jv_new(doc, JV_OBJECT);
                if (!v)
                        return NULL;
                for (size_t i = 0; i < src->u.obj.n; i++) {
                        const struct jv_member *m = &src->u.obj.m[i];
                        char *k = arena_strndup(doc->arena, m->key, m->keylen);
                        struct jv *c = jv_copy(doc, m->val);
                        if (!k || !c || jv_obj_append(doc, v, k, m->keylen, c) < 0)
                                return NULL;
                }
                return v;
        case JV_ARRAY:
                v = jv_new(doc, JV_ARRAY);
                if (!v)
                        return NULL;
                for (size_t i = 0; i < src->u.arr.n; i++)
                        if (jv_arr_push(doc, v, jv_copy(doc, src->u.arr.v[i])) < 0)
                                return NULL;
                return v;
        default:
                return NULL;
        }
}

/* --- lookup ---------------------------------------------------------- */

struct jv *jv_get(const struct jv *obj, const char *key)
{
        struct jv_member *m = member_exact(obj, key, strlen(key));
        if (!m || m->val->type == JV_NULL)
                return NULL;
        return m->val;
}

bool jv_equal(const struct jv *a, const struct jv *b)
{
        if (a->type != b->type)
                return false;
        switch (a->type) {
        case JV_NULL:
                return true;
        case JV_BOOL:
                return a->u.b == b->u.b;
        case JV_NUMBER:
        case JV_STRING:
                return a->u.str.len == b->u.str.len && memcmp(a->u.str.s, b->u.str.s, a->u.str.len) == 0;
        case JV_OBJECT:
                if (a->u.obj.n != b->u.obj.n)
                        return false;
                for (size_t i = 0; i < a->u.obj.n; i++) {
                        const struct jv_member *x = &a->u.obj.m[i], *y = &b->u.obj.m[i];
                        if (x->keylen != y->keylen || memcmp(x->key, y->key, x->keylen) != 0 ||
                            !jv_equal(x->val, y->val))
                                return false;
                }
                return true;
        case JV_ARRAY:
                if (a->u.arr.n != b->u.arr.n)
                        return false;
                for (size_t i = 0; i < a->u.arr.n; i++)
                        if (!jv_equal(a->u.arr.v[i], b->u.arr.v[i]))
                                return false;
                return true;
        default:
                return false;
        }
}

/* --- scalars -------------------------------------------------------- */

bool jv_cstr(const struct jv *v, const char **ret)
{
        if (!v || v->type != JV_STRING || memchr(v->u.str.s, '\0', v->u.str.len))
                return false;
        *ret = v->u.str.s;
        return true;
}

static int parse_digits(const char *s, size_t len, bool *neg, uint64_t *mag)
{
        size_t i = 0;
        uint64_t m = 0;

        *neg = false;
        if (i < len && s[i] == '-') {
                *neg = true;
                i++;
        }
        if (i == len)
                return -EINVAL;
        for (; i < len; i++) {
                if (s[i] < '0' || s[i] > '9')
                        return -EINVAL; /* fraction or exponent */
                unsigned d = (unsigned)(s[i] - '0');
                if (m > (UINT64_MAX - d) / 10)
                        return -ERANGE;
                m = m * 10 + d;
        }
        *mag = m;
        return 0;
}

int jv_int64(const struct jv *v, int64_t *ret)
{
        bool neg;
        uint64_t mag;
        int r;

        if (!v || v->type != JV_NUMBER)
                return -EINVAL;
        r = parse_digits(v->u.str.s, v->u.str.len, &neg, &mag);
        if (r < 0)
                return r;
        if (neg) {
                if (mag > (uint64_t)INT64_MAX + 1)
                        return -ERANGE;
                *ret = mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)mag;
        } else {
                if (mag > INT64_MAX)
                        return -ERANGE;
                *ret = (int64_t)mag;
        }
        return 0;
}

int jv_uint64(const struct jv *v, uint64_t *ret)
{
        bool neg;
        uint64_t mag;
        int r;

        if (!v || v->type != JV_NUMBER)
                return -EINVAL;
        r = parse_digits(v->u.str.s, v->u.str.len, &neg, &mag);
        if (r < 0)
                return r;
        if (neg && mag != 0)
                return -ERANGE;
        *ret = mag;
        return 0;
}

const char *jv_type_name(jv_type_t t)
{
        static const char *const names[_JV_TYPE_MAX] = {"null", "boolean", "number", "string", "object", "array"};
        return t < _JV_TYPE_MAX ? names[t] : "?";
}

/* --- pointers ------------------------------------------------------- */

static int pointer_append(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
        if (*len + n + 1 > *cap) {
                size_t ncap = (*len + n + 1) * 2;
                char *p = realloc(*buf, ncap);
                if (!p)
                        return -ENOMEM;
                *buf = p;
                *cap = ncap;
        }
        memcpy(*buf + *len, s, n);
        *len += n;
        (*buf)[*len] = '\0';
        return 0;
}

static int pointer_build(const struct jv *v, char **buf, size_t *len, size_t *cap)
{
        const struct jv *p = v->parent;
        char idx[32];

        if (!p)
                return pointer_append(buf, len, cap, "", 0);
        if (pointer_build(p, buf, len, cap) < 0 || pointer_append(buf, len, cap, "/", 1) < 0)
                return -ENOMEM;
        if (p->type == JV_ARRAY) {
                for (size_t i = 0; i < p->u.arr.n; i++)
                        if (p->u.arr.v[i] == v) {
                                int n = snprintf(idx, sizeof(idx), "%zu", i);
                                return pointer_append(buf, len, cap, idx, (size_t)n);
                        }
                return 0;
        }
        for (size_t i = 0; i < p->u.obj.n; i++) {
                const struct jv_member *m = &p->u.obj.m[i];
                if (m->val != v)
                        continue;
                for (size_t k = 0; k < m->keylen; k++) {
                        const char *esc = m->key[k] == '~' ? "~0" : m->key[k] == '/' ? "~1" : NULL;
                        int r = esc ? pointer_append(buf, len, cap, esc, 2)
                                    : pointer_append(buf, len, cap, &m->key[k], 1);
                        if (r < 0)
                                return r;
                }
                return 0;
        }
        return 0;
}

char *jv_pointer(const struct jv *v)
{
        char *buf = NULL;
        size_t len = 0, cap = 0;

        if (pointer_build(v, &buf, &len, &cap) < 0 || (!buf && pointer_append(&buf, &len, &cap, "", 0) < 0)) {
                free(buf);
                return NULL;
        }
        return buf;
}

/* --- generation ----------------------------------------------------- */

static yajl_gen_status gen_value(yajl_gen g, const struct jv *v)
{
        yajl_gen_status s;

        switch (v->type) {
        case JV_NULL:
                return yajl_gen_null(g);
        case JV_BOOL:
                return yajl_gen_bool(g, v->u.b);
        case JV_NUMBER:
                return yajl_gen_number(g, v->u.str.s, v->u.str.len);
        case JV_STRING:
                return yajl_gen_string(g, (const unsigned char *)v->u.str.s, v->u.str.len);
        case JV_OBJECT:
                if ((s = yajl_gen_map_open(g)) != yajl_gen_status_ok)
                        return s;
                for (size_t i = 0; i < v->u.obj.n; i++) {
                        const struct jv_member *m = &v->u.obj.m[i];
                        if ((s = yajl_gen_string(g, (const unsigned char *)m->key, m->keylen)) != yajl_gen_status_ok)
                                return s;
                        if ((s = gen_value(g, m->val)) != yajl_gen_status_ok)
                                return s;
                }
                return yajl_gen_map_close(g);
        case JV_ARRAY:
                if ((s = yajl_gen_array_open(g)) != yajl_gen_status_ok)
                        return s;
                for (size_t i = 0; i < v->u.arr.n; i++)
                        if ((s = gen_value(g, v->u.arr.v[i])) != yajl_gen_status_ok)
                                return s;
                return yajl_gen_array_close(g);
        default:
                return yajl_gen_invalid_number;
        }
}

static void yajl_gen_freep(yajl_gen *g)
{
        if (*g)
                yajl_gen_free(*g);
}

int jv_serialize(const struct jv *v, bool pretty, char **ret, size_t *ret_len, rh_error_t *err)
{
        _cleanup_(yajl_gen_freep) yajl_gen g = yajl_gen_alloc(NULL);
        const unsigned char *out;
        size_t len;

        if (!g)
                return rh_error_set(err, ENOMEM, "out of memory");
        yajl_gen_config(g, yajl_gen_validate_utf8, 1);
        if (pretty) {
                yajl_gen_config(g, yajl_gen_beautify, 1);
                yajl_gen_config(g, yajl_gen_indent_string, "  ");
        }
        yajl_gen_status s = gen_value(g, v);
        if (s != yajl_gen_status_ok)
                return rh_error_set(err, EINVAL, "cannot serialise JSON (yajl status %d)", (int)s);
        yajl_gen_get_buf(g, &out, &len);
        char *buf = malloc(len + 1);
        if (!buf)
                return rh_error_set(err, ENOMEM, "out of memory");
        memcpy(buf, out, len);
        buf[len] = '\0';
        *ret = buf;
        if (ret_len)
                *ret_len = len;
        return 0;
}
