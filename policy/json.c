/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "json.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_parse.h>

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

        n = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
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
        void *p = (char *) c->data + c->used;
        c->used += n;
        return p;
}

static char *arena_strndup(struct arena *a, const char *s, size_t len)
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

static struct jv *new_text(struct jdoc *doc, jv_type_t t, const char *s, size_t len)
{
        struct jv *v = jv_new(doc, t);
        if (!v)
                return NULL;
        v->u.str.s = arena_strndup(doc->arena, s, len);
        v->u.str.len = len;
        return v->u.str.s ? v : NULL;
}

struct jv *jv_new_string(struct jdoc *doc, const char *s) { return new_text(doc, JV_STRING, s, strlen(s)); }

struct jv *jv_new_int(struct jdoc *doc, int64_t n)
{
        char buf[32];
        int len = snprintf(buf, sizeof(buf), "%" PRId64, n);
        return new_text(doc, JV_NUMBER, buf, (size_t) len);
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

static int obj_append(struct jdoc *doc, struct jv *obj, const char *key, size_t keylen, struct jv *val)
{
        if (grow(doc, (void **) &obj->u.obj.m, &obj->u.obj.cap, obj->u.obj.n, sizeof(struct jv_member)) < 0)
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
        if (!val || grow(doc, (void **) &arr->u.arr.v, &arr->u.arr.cap, arr->u.arr.n, sizeof(struct jv *)) < 0)
                return -ENOMEM;
        arr->u.arr.v[arr->u.arr.n++] = val;
        val->parent = arr;
        return 0;
}

int jv_obj_put(struct jdoc *doc, struct jv *obj, const char *key, struct jv *val)
{
        if (!val)
                return -ENOMEM;
        struct jv_member *m = jv_member_fold(obj, key, strlen(key));
        if (m) {
                m->val = val;
                val->parent = obj;
                return 0;
        }
        char *k = arena_strndup(doc->arena, key, strlen(key));
        if (!k)
                return -ENOMEM;
        return obj_append(doc, obj, k, strlen(key), val);
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
                return new_text(doc, src->type, src->u.str.s, src->u.str.len);
        case JV_OBJECT:
                v = jv_new(doc, JV_OBJECT);
                if (!v)
                        return NULL;
                for (size_t i = 0; i < src->u.obj.n; i++) {
                        const struct jv_member *m = &src->u.obj.m[i];
                        char *k = arena_strndup(doc->arena, m->key, m->keylen);
                        struct jv *c = jv_copy(doc, m->val);
                        if (!k || !c || obj_append(doc, v, k, m->keylen, c) < 0)
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

/* --- Go's key matching ---------------------------------------------- */

size_t jv_fold(const char *key, size_t len, char *out)
{
        const unsigned char *s = (const unsigned char *) key;
        size_t o = 0;

        for (size_t i = 0; i < len;) {
                unsigned char c = s[i];
                if (c < 0x80) {
                        out[o++] = (c >= 'a' && c <= 'z') ? (char) (c - 32) : (char) c;
                        i++;
                        continue;
                }
                /* The only non-ASCII runes that Go folds onto ASCII letters:
                 * U+017F long s, U+212A Kelvin sign (all Go versions), U+0130
                 * and U+0131 (Go >= 1.21 folds with ToUpper(ToLower(r))). */
                if (i + 1 < len && c == 0xC5 && s[i + 1] == 0xBF) {
                        out[o++] = 'S';
                        i += 2;
                } else if (i + 1 < len && c == 0xC4 && (s[i + 1] == 0xB0 || s[i + 1] == 0xB1)) {
                        out[o++] = 'I';
                        i += 2;
                } else if (i + 2 < len && c == 0xE2 && s[i + 1] == 0x84 && s[i + 2] == 0xAA) {
                        out[o++] = 'K';
                        i += 3;
                } else {
                        out[o++] = (char) c;
                        i++;
                }
        }
        return o;
}

bool jv_fold_equal(const char *a, size_t alen, const char *b, size_t blen)
{
        char sa[256], sb[256];

        if (alen == blen && memcmp(a, b, alen) == 0)
                return true;
        /* Field names are short ASCII words and folding at most triples a
         * key's length, so a key this long matches nothing but itself. */
        if (alen > sizeof(sa) || blen > sizeof(sb))
                return false;
        size_t fa = jv_fold(a, alen, sa), fb = jv_fold(b, blen, sb);
        return fa == fb && memcmp(sa, sb, fa) == 0;
}

struct jv_member *jv_member_fold(const struct jv *obj, const char *key, size_t keylen)
{
        if (!obj || obj->type != JV_OBJECT)
                return NULL;
        for (size_t i = 0; i < obj->u.obj.n; i++) {
                struct jv_member *m = &obj->u.obj.m[i];
                if (jv_fold_equal(m->key, m->keylen, key, keylen))
                        return m;
        }
        return NULL;
}

struct jv *jv_get(const struct jv *obj, const char *key)
{
        struct jv_member *m = jv_member_fold(obj, key, strlen(key));
        if (!m || m->val->type == JV_NULL)
                return NULL;
        return m->val;
}

struct jv *jv_get_exact(const struct jv *obj, const char *key)
{
        size_t len = strlen(key);
        if (!obj || obj->type != JV_OBJECT)
                return NULL;
        for (size_t i = 0; i < obj->u.obj.n; i++) {
                const struct jv_member *m = &obj->u.obj.m[i];
                if (m->keylen == len && memcmp(m->key, key, len) == 0)
                        return m->val->type == JV_NULL ? NULL : m->val;
        }
        return NULL;
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
                unsigned d = (unsigned) (s[i] - '0');
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
                if (mag > (uint64_t) INT64_MAX + 1)
                        return -ERANGE;
                *ret = mag == (uint64_t) INT64_MAX + 1 ? INT64_MIN : -(int64_t) mag;
        } else {
                if (mag > INT64_MAX)
                        return -ERANGE;
                *ret = (int64_t) mag;
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
                                return pointer_append(buf, len, cap, idx, (size_t) n);
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

/* --- parsing -------------------------------------------------------- */

struct parse_ctx {
        struct jdoc *doc;
        struct jv *stack[JV_MAX_DEPTH];
        unsigned depth;
        const char *key;
        size_t keylen;
        bool too_deep, nomem, bad_utf8;
};

static int add_value(struct parse_ctx *c, struct jv *v)
{
        if (!v) {
                c->nomem = true;
                return 0;
        }
        if (c->depth == 0) {
                c->doc->root = v;
                return 1;
        }
        struct jv *top = c->stack[c->depth - 1];
        int r = top->type == JV_OBJECT ? obj_append(c->doc, top, c->key, c->keylen, v) : jv_arr_push(c->doc, top, v);
        if (r < 0) {
                c->nomem = true;
                return 0;
        }
        return 1;
}

static int cb_null(void *ctx)
{
        struct parse_ctx *c = ctx;
        return add_value(c, jv_new(c->doc, JV_NULL));
}

static int cb_bool(void *ctx, int b)
{
        struct parse_ctx *c = ctx;
        return add_value(c, jv_new_bool(c->doc, b));
}

static int cb_number(void *ctx, const char *s, size_t len)
{
        struct parse_ctx *c = ctx;
        return add_value(c, new_text(c->doc, JV_NUMBER, s, len));
}

/* yajl checks only the shape of UTF-8 sequences; Go's decoder replaces
 * overlong forms, encoded surrogates and code points past U+10FFFF with
 * U+FFFD, so runc would see another string than the one checked. Such
 * strings are refused (RFC 3629, the same table as Go's utf8.Valid). */
static bool utf8_strict(const unsigned char *s, size_t len)
{
        for (size_t i = 0; i < len;) {
                unsigned char c = s[i];
                size_t n;
                unsigned char lo = 0x80, hi = 0xBF;
                if (c < 0x80) {
                        i++;
                        continue;
                } else if (c >= 0xC2 && c <= 0xDF) {
                        n = 1;
                } else if (c >= 0xE0 && c <= 0xEF) {
                        n = 2;
                        if (c == 0xE0)
                                lo = 0xA0;
                        else if (c == 0xED)
                                hi = 0x9F;
                } else if (c >= 0xF0 && c <= 0xF4) {
                        n = 3;
                        if (c == 0xF0)
                                lo = 0x90;
                        else if (c == 0xF4)
                                hi = 0x8F;
                } else {
                        return false;
                }
                if (i + n >= len)
                        return false;
                if (s[i + 1] < lo || s[i + 1] > hi)
                        return false;
                for (size_t k = 2; k <= n; k++)
                        if (s[i + k] < 0x80 || s[i + k] > 0xBF)
                                return false;
                i += n + 1;
        }
        return true;
}

static int hex4(const char *p)
{
        int v = 0;
        for (int i = 0; i < 4; i++) {
                char c = p[i];
                int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
                if (d < 0)
                        return -1;
                v = v * 16 + d;
        }
        return v;
}

/* yajl turns an escaped lone surrogate ("\ud800") into "?", Go into
 * U+FFFD: the strings differ, so such escapes are refused. Returns the
 * offset of the first one, or -1. Runs before yajl, over the raw text; an
 * escape outside a string is a syntax error yajl reports anyway. */
static ssize_t find_lone_surrogate(const char *buf, size_t len)
{
        bool in_string = false;
        for (size_t i = 0; i < len; i++) {
                if (buf[i] == '"') {
                        in_string = !in_string;
                } else if (in_string && buf[i] == '\\' && i + 1 < len) {
                        if (buf[i + 1] != 'u' || i + 6 > len) {
                                i++;
                                continue;
                        }
                        int u = hex4(buf + i + 2);
                        if (u >= 0xDC00 && u <= 0xDFFF)
                                return (ssize_t) i;
                        if (u >= 0xD800 && u <= 0xDBFF) {
                                int lo = i + 12 <= len && buf[i + 6] == '\\' && buf[i + 7] == 'u' ? hex4(buf + i + 8) : -1;
                                if (lo < 0xDC00 || lo > 0xDFFF)
                                        return (ssize_t) i;
                                i += 6;
                        }
                        i += 5;
                }
        }
        return -1;
}

static int cb_string(void *ctx, const unsigned char *s, size_t len)
{
        struct parse_ctx *c = ctx;
        if (!utf8_strict(s, len)) {
                c->bad_utf8 = true;
                return 0;
        }
        return add_value(c, new_text(c->doc, JV_STRING, (const char *) s, len));
}

static int open_container(struct parse_ctx *c, jv_type_t t)
{
        if (c->depth >= JV_MAX_DEPTH) {
                c->too_deep = true;
                return 0;
        }
        struct jv *v = jv_new(c->doc, t);
        if (!add_value(c, v))
                return 0;
        c->stack[c->depth++] = v;
        return 1;
}

static int cb_start_map(void *ctx) { return open_container(ctx, JV_OBJECT); }
static int cb_start_array(void *ctx) { return open_container(ctx, JV_ARRAY); }

static int cb_end(void *ctx)
{
        struct parse_ctx *c = ctx;
        c->depth--;
        return 1;
}

static int cb_key(void *ctx, const unsigned char *k, size_t len)
{
        struct parse_ctx *c = ctx;
        if (!utf8_strict(k, len)) {
                c->bad_utf8 = true;
                return 0;
        }
        c->key = arena_strndup(c->doc->arena, (const char *) k, len);
        c->keylen = len;
        if (!c->key) {
                c->nomem = true;
                return 0;
        }
        return 1;
}

static const yajl_callbacks parse_callbacks = {
        .yajl_null = cb_null,
        .yajl_boolean = cb_bool,
        .yajl_number = cb_number,
        .yajl_string = cb_string,
        .yajl_start_map = cb_start_map,
        .yajl_map_key = cb_key,
        .yajl_end_map = cb_end,
        .yajl_start_array = cb_start_array,
        .yajl_end_array = cb_end,
};

static void yajl_handle_freep(yajl_handle *h)
{
        if (*h)
                yajl_free(*h);
}

static int parse_error(rh_error_t *err, yajl_handle h, const char *buf, size_t len, size_t off, struct parse_ctx *c)
{
        size_t line = 1, col = 1;
        if (off > len)
                off = len;
        for (size_t i = 0; i < off; i++) {
                if (buf[i] == '\n') {
                        line++;
                        col = 1;
                } else {
                        col++;
                }
        }
        if (c->nomem)
                return rh_error_set(err, ENOMEM, "out of memory");
        if (c->bad_utf8)
                return rh_error_set(err, EINVAL,
                                    "invalid UTF-8 in a string near line %zu, column %zu (overlong form, surrogate "
                                    "or code point past U+10FFFF): runc would read it differently",
                                    line, col);
        if (c->too_deep)
                return rh_error_set(err, EINVAL, "nested deeper than %d levels at line %zu, column %zu",
                                    JV_MAX_DEPTH, line, col);
        /* Not the verbose form: it quotes the input, which may hold secrets. */
        unsigned char *m = yajl_get_error(h, 0, (const unsigned char *) buf, len);
        char what[128];
        snprintf(what, sizeof(what), "%s", m ? (const char *) m : "parse error");
        if (m)
                yajl_free_error(h, m);
        /* yajl prefixes "lexical error: " / "parse error: " already. */
        for (char *p = what; *p; p++)
                if (*p == '\n')
                        *p = ' ';
        size_t wl = strlen(what);
        while (wl && what[wl - 1] == ' ')
                what[--wl] = '\0';
        return rh_error_set(err, EINVAL, "malformed JSON at line %zu, column %zu: %s", line, col, what);
}

int jdoc_parse(const char *buf, size_t len, struct jdoc **ret, rh_error_t *err)
{
        _cleanup_jdoc_ struct jdoc *doc = jdoc_new();
        struct parse_ctx c = {.doc = doc};

        if (!doc)
                return rh_error_set(err, ENOMEM, "out of memory");
        size_t ws = 0;
        while (ws < len && (buf[ws] == ' ' || buf[ws] == '\t' || buf[ws] == '\r' || buf[ws] == '\n'))
                ws++;
        if (ws == len)
                return rh_error_set(err, EINVAL, "empty document");
        ssize_t sur = find_lone_surrogate(buf, len);
        if (sur >= 0)
                return rh_error_set(err, EINVAL,
                                    "an escaped lone UTF-16 surrogate at byte %zd: runc would read it as U+FFFD", sur);
        _cleanup_(yajl_handle_freep) yajl_handle h = yajl_alloc(&parse_callbacks, NULL, &c);
        if (!h)
                return rh_error_set(err, ENOMEM, "out of memory");
        /* yajl's defaults are what we want and are set here for the reader:
         * no comments, no trailing data, strings validated as UTF-8. */
        yajl_config(h, yajl_allow_comments, 0);
        yajl_config(h, yajl_dont_validate_strings, 0);
        yajl_config(h, yajl_allow_trailing_garbage, 0);
        yajl_config(h, yajl_allow_multiple_values, 0);

        if (yajl_parse(h, (const unsigned char *) buf, len) != yajl_status_ok)
                return parse_error(err, h, buf, len, yajl_get_bytes_consumed(h), &c);
        if (yajl_complete_parse(h) != yajl_status_ok)
                return parse_error(err, h, buf, len, len, &c);
        if (!doc->root)
                return rh_error_set(err, EINVAL, "empty document");
        *ret = TAKE_PTR(doc);
        return 0;
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
                return yajl_gen_string(g, (const unsigned char *) v->u.str.s, v->u.str.len);
        case JV_OBJECT:
                if ((s = yajl_gen_map_open(g)) != yajl_gen_status_ok)
                        return s;
                for (size_t i = 0; i < v->u.obj.n; i++) {
                        const struct jv_member *m = &v->u.obj.m[i];
                        if ((s = yajl_gen_string(g, (const unsigned char *) m->key, m->keylen)) != yajl_gen_status_ok)
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
                return rh_error_set(err, EINVAL, "cannot serialise JSON (yajl status %d)", (int) s);
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
